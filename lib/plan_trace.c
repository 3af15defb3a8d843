/*
 * plan_trace.c - one order's story, month by month (allot explain).
 *
 * With allot_plan_options.trace_order set, the planner records for that
 * order, each month: what it still wanted, its line's F(t), how much of the
 * line was left when its turn came, what it got, and the limit that bound
 * it; and which orders were served on its line before its turn.  The hooks
 * below are called from plan.c; with no trace they are never reached.
 */
#include <allot/allot.h>

#include <string.h>

#include "plan_int.h"
#include "util/mem.h"

#define DEAD INT32_MAX

static const char *const limit_names[] = {
	[ALLOT_LIMIT_NONE] = "none",          [ALLOT_LIMIT_NOT_ELIGIBLE] = "not-eligible",
	[ALLOT_LIMIT_DONE] = "done",          [ALLOT_LIMIT_BLOCKED] = "blocked",
	[ALLOT_LIMIT_LINE] = "line-capacity", [ALLOT_LIMIT_MINERAL] = "mineral",
	[ALLOT_LIMIT_PACE] = "paced",
};

const char *allot_limit_name(enum allot_limit l)
{
	return (unsigned)l < sizeof limit_names / sizeof *limit_names ? limit_names[l] : "?";
}

int trace_init(struct planner *P, int32_t order)
{
	if (order < 0)
		return ALLOT_OK;
	if ((size_t)order >= P->s->n_orders)
		return ALLOT_EINPUT;
	struct allot_trace *tr = mem_calloc(1, sizeof *tr);
	if (!tr)
		return ALLOT_ENOMEM;
	tr->order = order;
	tr->months = mem_calloc((size_t)P->H, sizeof *tr->months);
	if (!tr->months) {
		mem_free(tr);
		return ALLOT_ENOMEM;
	}
	P->trace = tr;
	P->tr_line = P->s->systems[P->s->orders[order].system].line;
	return ALLOT_OK;
}

void allot_trace_free(struct allot_trace *tr)
{
	if (!tr)
		return;
	mem_free(tr->months);
	mem_free(tr->ahead);
	mem_free(tr);
}

void trace_month_begin(struct planner *P, int t)
{
	struct allot_trace *tr = P->trace;
	int32_t o = tr->order;
	int p = P->s->orders[o].partner;
	struct allot_trace_month *m = &tr->months[t];
	tr->n_months = (size_t)t + 1;
	memset(m, 0, sizeof *m);
	m->month = t;
	m->wanted = P->os[P->st_of[o]].rem;
	m->line_capacity = P->left[P->tr_line];
	m->mineral = -1;
	m->tier = P->tier[p];
	m->score = P->cents[p] / 100.0;
	m->priority_keys = P->keyed_priority;
	m->ahead_start = tr->n_ahead;
	P->tr_reached = 0;
}

int trace_ahead(struct planner *P, int32_t o, int64_t u)
{
	struct allot_trace *tr = P->trace;
	if (mem_grow(&tr->ahead, &P->tr_ahead_cap, tr->n_ahead + 1, sizeof *tr->ahead) != 0)
		return ALLOT_ENOMEM;
	tr->ahead[tr->n_ahead++] = (struct allot_trace_ahead){ o, u };
	tr->months[tr->n_months - 1].n_ahead++;
	return ALLOT_OK;
}

/* The mineral with the fewest units' worth of stock for the order's system. */
static int binding_mineral(const struct planner *P, int sys)
{
	int best = -1;
	int64_t lim = INT64_MAX;
	for (int32_t b = P->bom_start[sys]; b < P->bom_start[sys + 1]; b++) {
		int64_t u = P->stock[P->bom_mineral[b]] / P->bom_g[b];
		if (u < lim) {
			lim = u;
			best = P->bom_mineral[b];
		}
	}
	return best;
}

/* What bound the offer, when the order got less than it wanted: the
 * smallest of the line's units left, the order's own max_per_month (pace)
 * and the stocks' limit; on a tie the line, then the pace. */
void trace_offer(struct planner *P, int64_t left, int64_t wanted, int64_t pace, int64_t mineral_lim,
		 int64_t got)
{
	struct allot_trace_month *m = &P->trace->months[P->trace->n_months - 1];
	P->tr_reached = 1;
	m->line_left = left;
	m->got = got;
	if (got == wanted)
		m->limit = ALLOT_LIMIT_NONE;
	else if (left <= pace && left <= mineral_lim)
		m->limit = ALLOT_LIMIT_LINE;
	else if (pace <= mineral_lim)
		m->limit = ALLOT_LIMIT_PACE;
	else {
		m->limit = ALLOT_LIMIT_MINERAL;
		m->mineral = binding_mineral(P, P->s->orders[P->trace->order].system);
	}
}

/* An order the walk did not offer anything to this month: say why. */
void trace_month_end(struct planner *P, int t)
{
	if (P->tr_reached)
		return;
	int32_t o = P->trace->order;
	const struct allot_order *ord = &P->s->orders[o];
	struct allot_trace_month *m = &P->trace->months[t];
	int64_t e = planner_order_start(P, o);
	int sys = ord->system;
	if (P->os[P->st_of[o]].rem == 0)
		m->limit = ALLOT_LIMIT_DONE;
	else if (e > t)
		m->limit = ALLOT_LIMIT_NOT_ELIGIBLE;
	else if (P->sys_eeum[sys] && P->eum[ord->partner] == ALLOT_EUM_VIOLATION)
		m->limit = ALLOT_LIMIT_BLOCKED;
	else if (P->sys_dry[sys] == t + 1) {
		m->limit = ALLOT_LIMIT_MINERAL;
		m->mineral = binding_mineral(P, sys);
	} else
		m->limit = ALLOT_LIMIT_LINE; /* the line ran out before its turn */
}
