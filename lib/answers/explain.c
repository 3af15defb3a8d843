/*
 * explain.c - why an order completes when it does (`allot explain`): plans
 * the scenario with the planner's trace on that order (plan_trace.c) and
 * collapses its months into spans that tell the same story: the binding
 * limit, the key in force, the orders served before it on its line
 * (docs/answers.md).
 *
 * Orders ahead are kept only for months in which the order was in the walk
 * (it got what it wanted, or its line or a mineral ran out); for months in
 * which it was not yet eligible, blocked or done they say nothing about it.
 */
#include <allot/allot.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/mem.h"

static int walked(enum allot_limit l)
{
	return l == ALLOT_LIMIT_NONE || l == ALLOT_LIMIT_LINE || l == ALLOT_LIMIT_MINERAL ||
	       l == ALLOT_LIMIT_PACE;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* The sorted order indices ahead in trace month m (into buf). */
static size_t ahead_set(const struct allot_trace *tr, const struct allot_trace_month *m,
			int32_t *buf)
{
	if (!walked(m->limit))
		return 0;
	for (size_t i = 0; i < m->n_ahead; i++)
		buf[i] = tr->ahead[m->ahead_start + i].order;
	qsort(buf, m->n_ahead, sizeof *buf, cmp_i32);
	return m->n_ahead;
}

/* Units cut by a budget cap as month t began: what it wanted then is less
 * than what was left after the month before (at month 0, its open units
 * less those off the line: work in progress, or all of an order not
 * supplied new). */
static int64_t cut_at(const struct allot_scenario *s, const struct allot_plan *p,
		      const struct allot_trace *tr, size_t t)
{
	const struct allot_order *o = &s->orders[tr->order];
	int64_t before = t ? tr->months[t - 1].wanted - tr->months[t - 1].got
			   : o->qty - o->delivered - allot_plan_offline(p, (size_t)tr->order).units;
	int64_t cut = before - tr->months[t].wanted;
	return cut > 0 ? cut : 0;
}

static int same_story(const struct allot_trace_month *a, const struct allot_trace_month *b,
		      const int32_t *sa, size_t na, const int32_t *sb, size_t nb)
{
	if (a->limit != b->limit || a->mineral != b->mineral || a->tier != b->tier ||
	    a->score != b->score || a->priority_keys != b->priority_keys ||
	    (a->got > 0) != (b->got > 0) || na != nb)
		return 0;
	return na == 0 || memcmp(sa, sb, na * sizeof *sa) == 0;
}

/* Adds month m's orders ahead to the span, summing units per order. */
static int add_ahead(struct allot_explain_span *sp, size_t *cap, const struct allot_trace *tr,
		     const struct allot_trace_month *m)
{
	if (!walked(m->limit))
		return ALLOT_OK;
	for (size_t i = 0; i < m->n_ahead; i++) {
		const struct allot_trace_ahead *a = &tr->ahead[m->ahead_start + i];
		size_t k = 0;
		while (k < sp->n_ahead && sp->ahead[k].order != a->order)
			k++;
		if (k == sp->n_ahead) {
			if (mem_grow(&sp->ahead, cap, k + 1, sizeof *sp->ahead) != 0)
				return ALLOT_ENOMEM;
			sp->ahead[sp->n_ahead++] = (struct allot_trace_ahead){ a->order, 0 };
		}
		sp->ahead[k].units += a->units;
	}
	return ALLOT_OK;
}

static int build_spans(struct allot_explain *e, const struct allot_scenario *s)
{
	const struct allot_trace *tr = e->plan->trace;
	size_t n = tr->n_months, max_ahead = 1;
	for (size_t t = 0; t < n; t++)
		if (tr->months[t].n_ahead > max_ahead)
			max_ahead = tr->months[t].n_ahead;
	int32_t *cur = mem_alloc(max_ahead * sizeof *cur),
		*nxt = mem_alloc(max_ahead * sizeof *nxt);
	e->spans = mem_calloc(n ? n : 1, sizeof *e->spans);
	if (!cur || !nxt || !e->spans) {
		mem_free(cur);
		mem_free(nxt);
		return ALLOT_ENOMEM;
	}
	int rc = ALLOT_OK;
	size_t ncur = 0, cap = 0;
	struct allot_explain_span *sp = NULL;
	for (size_t t = 0; t < n && rc == ALLOT_OK; t++) {
		const struct allot_trace_month *m = &tr->months[t];
		size_t nn = ahead_set(tr, m, nxt);
		int64_t cut = cut_at(s, e->plan, tr, t);
		if (!sp || cut > 0 || !same_story(&tr->months[t - 1], m, cur, ncur, nxt, nn)) {
			sp = &e->spans[e->n_spans++];
			cap = 0;
			sp->from = s->as_of + m->month;
			sp->limit = m->limit;
			sp->mineral = m->mineral;
			sp->wanted = m->wanted;
			sp->cancelled = cut;
			sp->tier = m->tier;
			sp->score = m->score;
			sp->priority_keys = m->priority_keys;
		}
		int32_t *swap = cur;
		cur = nxt;
		nxt = swap;
		ncur = nn;
		sp->to = s->as_of + m->month;
		sp->got += m->got;
		sp->line_capacity += m->line_capacity;
		rc = add_ahead(sp, &cap, tr, m);
	}
	mem_free(cur);
	mem_free(nxt);
	return rc;
}

int allot_explain_run(const struct allot_scenario *s, const struct allot_plan_options *o,
		      int32_t order, struct allot_explain **out)
{
	*out = NULL;
	if (order < 0 || (size_t)order >= s->n_orders)
		return ALLOT_ENOTFOUND;
	struct allot_explain *e = mem_calloc(1, sizeof *e);
	if (!e)
		return ALLOT_ENOMEM;
	e->order = order;
	struct allot_plan_options po = *o;
	po.trace_order = order;
	int rc = allot_plan_run(s, &po, &e->plan);
	if (rc == ALLOT_OK && !e->plan->trace)
		rc = ALLOT_EINPUT;
	if (rc == ALLOT_OK)
		rc = build_spans(e, s);
	if (rc != ALLOT_OK) {
		allot_explain_free(e);
		return rc;
	}
	*out = e;
	return ALLOT_OK;
}

void allot_explain_free(struct allot_explain *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_spans; i++)
		mem_free(e->spans[i].ahead);
	mem_free(e->spans);
	allot_plan_free(e->plan);
	mem_free(e);
}

/* --- one rendering: the columns of every face (issue 14) ------------------ */

const char *allot_explain_limit_word(enum allot_limit l)
{
	return l == ALLOT_LIMIT_NONE ? "got-all" : allot_limit_name(l);
}

const char *const allot_explain_span_columns[ALLOT_EXPLAIN_SPAN_NCOL] = {
	"from",          "to",        "limit", "mineral", "wanted",         "got",
	"line_capacity", "cancelled", "tier",  "score",   "priority_order", "n_ahead",
};

void allot_explain_span_cells(const struct allot_scenario *s, const struct allot_explain_span *sp,
			      struct allot_cell c[ALLOT_EXPLAIN_SPAN_NCOL])
{
	c[0] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH, .m = sp->from };
	c[1] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH, .m = sp->to };
	c[2] = (struct allot_cell){ .kind = ALLOT_CELL_STR,
				    .s = allot_explain_limit_word(sp->limit) };
	c[3] = sp->mineral >= 0 ? (struct allot_cell){ .kind = ALLOT_CELL_STR,
						       .s = s->minerals[sp->mineral].mineral_id }
				: (struct allot_cell){ .kind = ALLOT_CELL_NULL };
	c[4] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = sp->wanted };
	c[5] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = sp->got };
	c[6] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = sp->line_capacity };
	c[7] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = sp->cancelled };
	c[8] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = sp->tier };
	c[9] = (struct allot_cell){ .kind = ALLOT_CELL_NUM, .v = sp->score, .fmt = "%.2f" };
	c[10] = (struct allot_cell){ .kind = ALLOT_CELL_BOOL, .i = sp->priority_keys };
	c[11] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = (int64_t)sp->n_ahead };
}

/* [{order_id, iso3, units}] of up to max of v. */
static json_t *ahead_json(const struct allot_scenario *s, const struct allot_trace_ahead *v,
			  size_t n, size_t max)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n && i < max; i++) {
		const struct allot_order *o = &s->orders[v[i].order];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:I}", "order_id", o->order_id,
						     "iso3", s->partners[o->partner].iso3, "units",
						     (json_int_t)v[i].units));
	}
	return arr;
}

static int by_units_desc(const void *a, const void *b)
{
	const struct allot_trace_ahead *x = a, *y = b;
	if (x->units != y->units)
		return x->units > y->units ? -1 : 1;
	return x->order - y->order;
}

/* The months in which the order still wanted units, each with its
 * `month_ahead` largest orders ahead; limits counts them by reason. */
static json_t *months_json(const struct allot_plan *p, json_t *limits, size_t month_ahead)
{
	const struct allot_scenario *s = p->scenario;
	const struct allot_trace *tr = p->trace;
	json_t *arr = json_array();
	for (size_t i = 0; arr && tr && i < tr->n_months; i++) {
		const struct allot_trace_month *m = &tr->months[i];
		if (m->wanted == 0 && m->got == 0)
			continue;
		const char *lim = allot_explain_limit_word(m->limit);
		json_object_set_new(
			limits, lim,
			json_integer(json_integer_value(json_object_get(limits, lim)) + 1));
		struct allot_trace_ahead *v = mem_calloc(m->n_ahead + 1, sizeof *v);
		if (!v) {
			json_decref(arr);
			return NULL;
		}
		if (m->n_ahead) /* tr->ahead is NULL when no month has an order ahead */
			memcpy(v, tr->ahead + m->ahead_start, m->n_ahead * sizeof *v);
		qsort(v, m->n_ahead, sizeof *v, by_units_desc);
		json_t *ahead = ahead_json(s, v, m->n_ahead, month_ahead);
		mem_free(v);
		json_array_append_new(
			arr,
			json_pack("{s:o, s:I, s:I, s:s, s:o, s:I, s:I, s:i, s:f, s:b, s:I, s:o}",
				  "month", allot_month_json(s->as_of + m->month), "wanted",
				  (json_int_t)m->wanted, "got", (json_int_t)m->got, "limit", lim,
				  "mineral",
				  m->mineral >= 0 ? json_string(s->minerals[m->mineral].mineral_id)
						  : json_null(),
				  "line_capacity", (json_int_t)m->line_capacity, "line_left",
				  (json_int_t)m->line_left, "tier", m->tier, "score", m->score,
				  "priority_order", m->priority_keys, "n_ahead",
				  (json_int_t)m->n_ahead, "ahead", ahead ? ahead : json_null()));
	}
	return arr;
}

json_t *allot_explain_json(const struct allot_explain *e, size_t span_ahead, size_t month_ahead)
{
	const struct allot_plan *p = e->plan;
	const struct allot_scenario *s = p->scenario;
	const struct allot_order *o = &s->orders[e->order];
	json_t *j = allot_answer_head(p);
	json_t *limits = json_object(), *spans = json_array();
	if (!j || !limits || !spans) {
		json_decref(j);
		json_decref(limits);
		json_decref(spans);
		return NULL;
	}
	json_object_update_new(j, allot_order_input_json(s, (size_t)e->order));
	json_object_update_new(j, allot_order_result_json(p, (size_t)e->order));
	json_object_set_new(j, "score", json_real(p->score0[o->partner].score));
	if (allot_scenario_has_offline(s)) { /* docs/allocation.md */
		struct allot_offline_result f = allot_plan_offline(p, (size_t)e->order);
		json_object_set_new(
			j, "supply",
			json_string(allot_supply_type_name((enum allot_supply_type)o->supply)));
		json_object_set_new(j, "wip_units", json_integer((json_int_t)f.wip));
		json_object_set_new(j, "offline_units", json_integer((json_int_t)f.units));
	}
	for (size_t i = 0; i < e->n_spans; i++) {
		const struct allot_explain_span *sp = &e->spans[i];
		struct allot_cell c[ALLOT_EXPLAIN_SPAN_NCOL];
		allot_explain_span_cells(s, sp, c);
		json_t *row =
			allot_cells_json(allot_explain_span_columns, c, ALLOT_EXPLAIN_SPAN_NCOL);
		if (row)
			json_object_set_new(row, "ahead",
					    ahead_json(s, sp->ahead, sp->n_ahead, span_ahead));
		json_array_append_new(spans, row ? row : json_null());
	}
	json_object_set_new(j, "spans", spans);
	json_t *months = months_json(p, limits, month_ahead);
	json_object_set_new(j, "months", months ? months : json_null());
	json_object_set_new(j, "limits", limits);
	return j;
}
