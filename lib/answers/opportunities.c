/*
 * opportunities.c - capacity left unsold, and who is best placed to buy it
 * (`allot opportunities`, docs/report.md).
 *
 * A system is looked at when systems.csv marks it as catalog (offered for
 * new sales); when the scenario marks none, every system is, and the result
 * says so.  Its unsold capacity is its line's: the sum over the window's
 * months of the foreign capacity F(t) less what the plan used.  Systems on
 * one line share that capacity (the figures do not add up across them).
 *
 * The partners best placed to buy are ranked as the priority rule would
 * serve them, tier first; within a tier the line's customers (partners with
 * an order for a system made on that line: they already fly or fire it)
 * come first, then score (at month 0), then ISO3.  A partner is left
 * out when the system is EEUM and its end-use status at month 0 is
 * violation (it would be blocked), or when a budget cap leaves it less room
 * than one unit's cost.  Budget room: the latest budget_cap event for the
 * partner dated before the window's end, less the committed value (the
 * partner's units still to produce at as_of, after the plan's cuts, at unit
 * cost); "no cap" when no such event exists.
 */
#include <allot/allot.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answers/report_int.h"
#include "util/mem.h"

void allot_opportunities_free(struct allot_opportunities *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++)
		mem_free(o->v[i].buyers);
	mem_free(o->v);
	mem_free(o);
}

/* Per partner: the budget cap that applies (if any), its room, and the
 * end-use status at month 0. */
struct standing {
	int capped;
	allot_month cap_month;
	double cap, room;
	enum allot_eum eum;
};

static void partner_standing(const struct allot_plan *p, int months, struct standing *st)
{
	const struct allot_scenario *s = p->scenario;
	allot_month end = s->as_of + months;
	for (size_t i = 0; i < s->n_partners; i++) {
		memset(&st[i], 0, sizeof st[i]);
		st[i].eum = s->partners[i].eum_status;
	}
	/* Events in file order: for a partner's caps keep the latest month
	 * (the last row of that month). */
	for (size_t e = 0; e < s->n_events; e++) {
		const struct allot_event *ev = &s->events[e];
		if (ev->type != ALLOT_EV_EUM_STATUS && ev->type != ALLOT_EV_BUDGET_CAP)
			continue;
		struct standing *ps = &st[ev->index];
		if (ev->type == ALLOT_EV_EUM_STATUS && ev->month <= s->as_of)
			ps->eum = ev->eum;
		if (ev->type == ALLOT_EV_BUDGET_CAP && ev->month < end &&
		    (!ps->capped || ev->month >= ps->cap_month)) {
			ps->capped = 1;
			ps->cap_month = ev->month;
			ps->cap = ev->num;
		}
	}
	for (size_t i = 0; i < s->n_partners; i++)
		st[i].room = st[i].cap;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		int64_t units = o->qty - o->delivered - p->orders[i].cancelled;
		double cost = s->systems[o->system].unit_cost_usd;
		/* a cap binds known costs only (docs/allocation.md) */
		if (st[o->partner].capped && units > 0 && allot_cost_known(cost))
			st[o->partner].room -= (double)units * cost;
	}
}

/* Partners in serving order: tier, score desc, iso3. */
struct ranked {
	int partner;
	int tier;
	double score;
	const char *iso3;
};

static int by_rank(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->tier != y->tier)
		return x->tier < y->tier ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->iso3, y->iso3);
}

/* (line, partner) pairs of every order, sorted: who already buys from a
 * line. */
struct pair {
	int line, partner;
};

static int by_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->partner > y->partner) - (x->partner < y->partner);
}

static struct pair *customer_pairs(const struct allot_scenario *s)
{
	struct pair *v = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < s->n_orders; i++) {
		v[i].line = s->systems[s->orders[i].system].line;
		v[i].partner = s->orders[i].partner;
	}
	qsort(v, s->n_orders, sizeof *v, by_pair);
	return v;
}

static int is_customer(const struct allot_scenario *s, const struct pair *v, int line, int partner)
{
	struct pair k = { line, partner };
	return bsearch(&k, v, s->n_orders, sizeof *v, by_pair) != NULL;
}

/* Takes partners tier by tier; within a tier the line's customers first,
 * each group by score. */
static int pick_buyers(const struct allot_plan *p, const struct ranked *rk,
		       const struct standing *st, const struct pair *cust, size_t top,
		       struct allot_opportunity *op)
{
	const struct allot_scenario *s = p->scenario;
	const struct allot_system *y = &s->systems[op->system];
	size_t P = s->n_partners;
	op->buyers = mem_calloc(top ? top : 1, sizeof *op->buyers);
	if (!op->buyers)
		return ALLOT_ENOMEM;
	for (size_t a = 0, b; a < P && op->n_buyers < top; a = b) {
		for (b = a; b < P && rk[b].tier == rk[a].tier; b++)
			;
		for (int want = 1; want >= 0; want--)
			for (size_t i = a; i < b && op->n_buyers < top; i++) {
				const struct standing *ps = &st[rk[i].partner];
				int c = is_customer(s, cust, y->line, rk[i].partner);
				if (c != want || (y->eeum && ps->eum == ALLOT_EUM_VIOLATION) ||
				    (ps->capped && allot_cost_known(y->unit_cost_usd) &&
				     ps->room < y->unit_cost_usd))
					continue;
				struct allot_buyer *by = &op->buyers[op->n_buyers++];
				by->partner = rk[i].partner;
				by->tier = rk[i].tier;
				by->score = rk[i].score;
				by->customer = c;
				by->capped = ps->capped;
				by->room_usd = ps->capped ? ps->room : 0;
			}
	}
	return ALLOT_OK;
}

struct keyed {
	struct allot_opportunity op;
	const char *id;
};

static int by_value(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int kx = allot_cost_known(x->op.value_usd), ky = allot_cost_known(y->op.value_usd);
	if (kx != ky) /* an unknown value (unknown unit cost) after every known one */
		return kx ? -1 : 1;
	if (kx && x->op.value_usd != y->op.value_usd)
		return x->op.value_usd > y->op.value_usd ? -1 : 1;
	if (x->op.unsold_units != y->op.unsold_units)
		return x->op.unsold_units > y->op.unsold_units ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int sort_ops(const struct allot_scenario *s, struct allot_opportunities *r)
{
	struct keyed *k = mem_calloc(r->n ? r->n : 1, sizeof *k);
	if (!k)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		k[i].op = r->v[i];
		k[i].id = s->systems[r->v[i].system].system_id;
	}
	qsort(k, r->n, sizeof *k, by_value);
	for (size_t i = 0; i < r->n; i++)
		r->v[i] = k[i].op;
	mem_free(k);
	return ALLOT_OK;
}

/* Unsold units of a line over the window, and the first month with any. */
static int64_t unsold(const struct allot_plan *p, int line, int months, int32_t *first)
{
	size_t H = (size_t)p->scenario->horizon_months;
	int64_t sum = 0;
	*first = -1;
	for (int t = 0; t < months; t++) {
		int64_t u = p->capacity[(size_t)line * H + (size_t)t] -
			    p->used[(size_t)line * H + (size_t)t];
		if (u > 0 && *first < 0)
			*first = t;
		sum += u;
	}
	return sum;
}

int allot_opportunities_run(const struct allot_plan *p, int months, size_t top,
			    struct allot_opportunities **out)
{
	const struct allot_scenario *s = p->scenario;
	size_t P = s->n_partners ? s->n_partners : 1;
	struct allot_opportunities *r = mem_calloc(1, sizeof *r);
	struct standing *st = mem_calloc(P, sizeof *st);
	struct ranked *rk = mem_calloc(P, sizeof *rk);
	struct pair *cust = customer_pairs(s);
	int rc = ALLOT_ENOMEM;
	if (!r || !st || !rk || !cust ||
	    !(r->v = mem_calloc(s->n_systems ? s->n_systems : 1, sizeof *r->v)))
		goto done;
	if (months > s->horizon_months)
		months = s->horizon_months;
	if (months < 0)
		months = 0;
	r->months = months;
	for (size_t i = 0; i < s->n_systems; i++)
		r->catalog_only |=
			allot_system_flag_at(s, (int)i, ALLOT_EV_CATALOG, ALLOT_NO_MONTH);
	partner_standing(p, months, st);
	for (size_t i = 0; i < s->n_partners; i++) {
		rk[i].partner = (int)i;
		rk[i].tier = p->score0[i].tier;
		rk[i].score = p->score0[i].score;
		rk[i].iso3 = s->partners[i].iso3;
	}
	qsort(rk, s->n_partners, sizeof *rk, by_rank);
	rc = ALLOT_OK;
	for (size_t i = 0; i < s->n_systems && rc == ALLOT_OK; i++) {
		const struct allot_system *y = &s->systems[i];
		if (r->catalog_only &&
		    !allot_system_flag_at(s, (int)i, ALLOT_EV_CATALOG, ALLOT_NO_MONTH))
			continue;
		int32_t first;
		int64_t u = unsold(p, y->line, months, &first);
		if (u <= 0)
			continue;
		struct allot_opportunity *op = &r->v[r->n++];
		op->system = (int)i;
		op->unsold_units = u;
		op->first_month = first;
		op->value_usd = (double)u * y->unit_cost_usd;
		rc = pick_buyers(p, rk, st, cust, top, op);
	}
	if (rc == ALLOT_OK)
		rc = sort_ops(s, r);
done:
	mem_free(st);
	mem_free(rk);
	mem_free(cust);
	if (rc != ALLOT_OK) {
		allot_opportunities_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}

/* --- one rendering: the columns of every face (issue 14) ------------------ */

const char *const allot_opportunity_columns[ALLOT_OPPORTUNITY_NCOL] = {
	"system_id",    "system",        "line_id",   "first_month",
	"unsold_units", "unit_cost_usd", "value_usd",
};
const char *const allot_buyer_columns[ALLOT_BUYER_NCOL] = {
	"rank", "iso3", "partner", "tier", "customer", "score", "budget_room_usd",
};

void allot_opportunity_cells(const struct allot_scenario *s, const struct allot_opportunity *op,
			     struct allot_cell c[ALLOT_OPPORTUNITY_NCOL])
{
	const struct allot_system *y = &s->systems[op->system];
	c[0] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = y->system_id };
	c[1] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = y->name };
	c[2] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = s->lines[y->line].line_id };
	c[3] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH,
				    .m = op->first_month < 0 ? ALLOT_NO_MONTH
							     : s->as_of + op->first_month };
	c[4] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = op->unsold_units };
	c[5] = allot_usd_cell(y->unit_cost_usd);
	c[6] = allot_usd_cell(op->value_usd);
}

void allot_buyer_cells(const struct allot_scenario *s, const struct allot_buyer *b, size_t rank,
		       struct allot_cell c[ALLOT_BUYER_NCOL])
{
	const struct allot_partner *pt = &s->partners[b->partner];
	c[0] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = (int64_t)rank };
	c[1] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = pt->iso3 };
	c[2] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = pt->name };
	c[3] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = b->tier };
	c[4] = (struct allot_cell){ .kind = ALLOT_CELL_BOOL, .i = b->customer };
	c[5] = (struct allot_cell){ .kind = ALLOT_CELL_NUM, .v = b->score, .fmt = "%.2f" };
	c[6] = b->capped ? (struct allot_cell){ .kind = ALLOT_CELL_NUM,
						.v = b->room_usd,
						.fmt = "%.0f" }
			 : (struct allot_cell){ .kind = ALLOT_CELL_NULL };
}

json_t *allot_opportunities_json(const struct allot_plan *p, const struct allot_opportunities *o)
{
	const struct allot_scenario *s = p->scenario;
	struct allot_cell c[ALLOT_OPPORTUNITY_NCOL], bc[ALLOT_BUYER_NCOL];
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < o->n; i++) {
		const struct allot_opportunity *op = &o->v[i];
		allot_opportunity_cells(s, op, c);
		json_t *row =
			allot_cells_json(allot_opportunity_columns, c, ALLOT_OPPORTUNITY_NCOL);
		/* the unsold units rest on the line's rate: its basis when stated */
		if (row)
			allot_json_rate_basis(row, s, op->system);
		json_t *buyers = json_array();
		for (size_t k = 0; buyers && k < op->n_buyers; k++) {
			allot_buyer_cells(s, &op->buyers[k], k + 1, bc);
			json_array_append_new(buyers, allot_cells_json(allot_buyer_columns, bc,
								       ALLOT_BUYER_NCOL));
		}
		if (!row || !buyers || json_object_set_new(row, "buyers", buyers) != 0 ||
		    json_array_append_new(arr, row) != 0) {
			json_decref(row);
			json_decref(arr);
			return NULL;
		}
	}
	json_t *j = allot_answer_head(p);
	if (!j || !arr ||
	    json_object_update_new(j, json_pack("{s:i, s:b, s:o}", "months", o->months,
						"catalog_only", o->catalog_only, "systems", arr)) !=
		    0) {
		json_decref(j);
		return NULL;
	}
	return j;
}
