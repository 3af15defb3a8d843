/*
 * quote.c - available-to-promise for a new order (`allot quote`): plans
 * the scenario without and with one more order and reports the months the
 * new order's units would arrive and every existing order whose completion
 * or shortfall changes (docs/answers.md).
 *
 * The scenario is never changed: the "with" plan runs on a shallow copy
 * that shares every table with the original except the orders array, which
 * is a copy with the new order appended (so existing orders keep their
 * indices).  The copy lives only inside allot_quote_run.
 */
#define _GNU_SOURCE /* qsort_r */
#include <allot/allot.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/mem.h"

void allot_quote_request_init(struct allot_quote_request *r)
{
	memset(r, 0, sizeof *r);
	r->qty = 1;
	r->loa = ALLOT_NO_MONTH;
	r->need = ALLOT_NO_MONTH;
	r->policy = ALLOT_POLICY_PRIORITY;
	r->switch_month = ALLOT_NO_MONTH;
	r->not_before = ALLOT_NO_MONTH;
}

/* Checks the request against s and fills q->order and q->order_id. */
static int make_order(const struct allot_scenario *s, const struct allot_quote_request *r,
		      struct allot_quote *q, struct allot_diags *d)
{
	char msg[512];
	int partner =
		allot_lookup_msg(s, ALLOT_KIND_PARTNER, r->iso3 ? r->iso3 : "", msg, sizeof msg);
	if (partner < 0) {
		allot_diags_add(d, "", 0, 0, "%s", msg);
		return ALLOT_ENOTFOUND;
	}
	int system = allot_lookup_msg(s, ALLOT_KIND_SYSTEM, r->system_id ? r->system_id : "", msg,
				      sizeof msg);
	if (system < 0) {
		allot_diags_add(d, "", 0, 0, "%s", msg);
		return ALLOT_ENOTFOUND;
	}
	if (!allot_range_ok(ALLOT_RANGE_QTY, (double)r->qty)) {
		allot_diags_add(d, "", 0, 0, "qty: expected " ALLOT_UNITS_EXPECTED ", found %lld",
				(long long)r->qty);
		return ALLOT_EINPUT;
	}
	if (r->max_per_month != 0 && /* 0: none */
	    !allot_range_ok(ALLOT_RANGE_QTY, (double)r->max_per_month)) {
		allot_diags_add(d, "", 0, 0,
				"max_per_month: expected " ALLOT_UNITS_EXPECTED
				" or none, found %d",
				r->max_per_month);
		return ALLOT_EINPUT;
	}
	if (r->order_id) {
		if (!*r->order_id || allot_scenario_find_order(s, r->order_id) >= 0) {
			allot_diags_add(d, "", 0, 0, "expected a new order id, found '%s'%s",
					r->order_id, *r->order_id ? " (it exists)" : "");
			return ALLOT_EINPUT;
		}
		q->order_id = mem_strdup(r->order_id);
	} else {
		char id[32];
		for (int k = 1;; k++) {
			snprintf(id, sizeof id, "QUOTE-%d", k);
			if (allot_scenario_find_order(s, id) < 0)
				break;
		}
		q->order_id = mem_strdup(id);
	}
	if (!q->order_id)
		return ALLOT_ENOMEM;
	q->order.order_id = q->order_id;
	q->order.partner = partner;
	q->order.system = system;
	q->order.qty = r->qty;
	q->order.delivered = 0;
	q->order.loa_month = r->loa != ALLOT_NO_MONTH ? r->loa : s->as_of;
	q->order.need_month = r->need;
	q->order.not_before = r->not_before; /* planned as orders.csv's */
	q->order.partner_rank = -1;
	q->order.max_per_month = r->max_per_month;
	return ALLOT_OK;
}

/* Units arriving per month within the horizon, in month order. */
static int collect_deliveries(const struct allot_plan *p, int32_t order, struct allot_quote *q)
{
	const struct allot_scenario *s = p->scenario;
	int H = s->horizon_months;
	int lead = s->systems[s->orders[order].system].lead_months;
	int64_t *by = mem_calloc((size_t)H, sizeof *by);
	if (!by)
		return ALLOT_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < p->n_allocs; i++) {
		const struct allot_alloc *a = &p->allocs[i];
		int d = a->month + lead;
		if (a->order != order || d >= H)
			continue;
		n += by[d] == 0;
		by[d] += a->units;
	}
	q->deliveries = mem_calloc(n ? n : 1, sizeof *q->deliveries);
	if (!q->deliveries) {
		mem_free(by);
		return ALLOT_ENOMEM;
	}
	for (int d = 0; d < H; d++)
		if (by[d]) {
			q->deliveries[q->n_deliveries].month = s->as_of + d;
			q->deliveries[q->n_deliveries++].units = by[d];
		}
	mem_free(by);
	const struct allot_order_result *r = &p->orders[order];
	q->first = r->first_delivery;
	q->completion = r->completion;
	q->units_short = r->short_units;
	q->units_blocked = r->blocked;
	q->units_cancelled = r->cancelled;
	return ALLOT_OK;
}

static int cmp_impact(const void *a, const void *b, void *arg)
{
	const struct allot_scenario *s = arg;
	const struct allot_quote_impact *x = a, *y = b;
	if (x->months != y->months)
		return x->months > y->months ? -1 : 1;
	int64_t sx = x->short_after - x->short_before, sy = y->short_after - y->short_before;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return strcmp(s->orders[x->order].order_id, s->orders[y->order].order_id);
}

static int collect_impacts(const struct allot_plan *p0, const struct allot_plan *p1,
			   struct allot_quote *q)
{
	const struct allot_scenario *s = p0->scenario;
	allot_month end = s->as_of + s->horizon_months;
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->n_orders; i++) {
			const struct allot_order_result *a = &p0->orders[i], *b = &p1->orders[i];
			if (a->completion == b->completion && a->short_units == b->short_units)
				continue;
			if (pass == 0) {
				n++;
				continue;
			}
			struct allot_quote_impact *im = &q->impacts[q->n_impacts++];
			im->order = (int32_t)i;
			im->before = a->completion;
			im->after = b->completion;
			allot_month x = a->completion != ALLOT_NO_MONTH ? a->completion : end;
			allot_month y = b->completion != ALLOT_NO_MONTH ? b->completion : end;
			im->months = (int)(y - x);
			im->censored = a->completion == ALLOT_NO_MONTH ||
				       b->completion == ALLOT_NO_MONTH;
			im->short_before = a->short_units;
			im->short_after = b->short_units;
		}
		if (pass == 0 && !(q->impacts = mem_calloc(n ? n : 1, sizeof *q->impacts)))
			return ALLOT_ENOMEM;
	}
	qsort_r(q->impacts, q->n_impacts, sizeof *q->impacts, cmp_impact, (void *)s);
	return ALLOT_OK;
}

int allot_quote_run(const struct allot_scenario *s, const struct allot_quote_request *r,
		    struct allot_quote **out, struct allot_diags *diags)
{
	*out = NULL;
	struct allot_quote *q = mem_calloc(1, sizeof *q);
	if (!q)
		return ALLOT_ENOMEM;
	struct allot_scenario with = *s;
	struct allot_plan *p0 = NULL, *p1 = NULL;
	with.orders = NULL;
	int rc = make_order(s, r, q, diags);
	if (rc != ALLOT_OK)
		goto done;
	with.orders = mem_calloc(s->n_orders + 1, sizeof *with.orders);
	if (!with.orders) {
		rc = ALLOT_ENOMEM;
		goto done;
	}
	if (s->n_orders)
		memcpy(with.orders, s->orders, s->n_orders * sizeof *s->orders);
	with.orders[s->n_orders] = q->order;
	with.n_orders = s->n_orders + 1;

	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = r->policy;
	po.switch_month = r->switch_month;
	if ((rc = allot_plan_run(s, &po, &p0)) != ALLOT_OK ||
	    (rc = allot_plan_run(&with, &po, &p1)) != ALLOT_OK)
		goto done;
	if ((rc = collect_deliveries(p1, (int32_t)s->n_orders, q)) != ALLOT_OK)
		goto done;
	rc = collect_impacts(p0, p1, q);
done:
	allot_plan_free(p0);
	allot_plan_free(p1);
	mem_free(with.orders);
	if (rc != ALLOT_OK) {
		allot_quote_free(q);
		return rc;
	}
	*out = q;
	return ALLOT_OK;
}

void allot_quote_free(struct allot_quote *q)
{
	if (!q)
		return;
	mem_free(q->order_id);
	mem_free(q->deliveries);
	mem_free(q->impacts);
	mem_free(q);
}

/* --- one rendering: the columns of every face (issue 14) ------------------ */

const char *const allot_quote_delivery_columns[ALLOT_QUOTE_DELIVERY_NCOL] = { "month", "units" };
const char *const allot_quote_impact_columns[ALLOT_QUOTE_IMPACT_NCOL] = {
	"order_id",      "iso3",     "system_id",          "completion_before", "completion_after",
	"change_months", "censored", "units_short_before", "units_short_after",
};

void allot_quote_impact_cells(const struct allot_scenario *s, const struct allot_quote_impact *m,
			      struct allot_cell c[ALLOT_QUOTE_IMPACT_NCOL])
{
	const struct allot_order *o = &s->orders[m->order];
	c[0] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = o->order_id };
	c[1] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = s->partners[o->partner].iso3 };
	c[2] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = s->systems[o->system].system_id };
	c[3] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH, .m = m->before };
	c[4] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH, .m = m->after };
	c[5] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = m->months };
	c[6] = (struct allot_cell){ .kind = ALLOT_CELL_BOOL, .i = m->censored };
	c[7] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = m->short_before };
	c[8] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = m->short_after };
}

json_t *allot_quote_json(const struct allot_scenario *s, const struct allot_quote_request *r,
			 const struct allot_quote *q, int committed)
{
	const struct allot_order *o = &q->order;
	json_t *del = json_array(), *imp = json_array();
	for (size_t i = 0; del && i < q->n_deliveries; i++) {
		struct allot_cell c[ALLOT_QUOTE_DELIVERY_NCOL] = {
			{ .kind = ALLOT_CELL_MONTH, .m = q->deliveries[i].month },
			{ .kind = ALLOT_CELL_INT, .i = q->deliveries[i].units },
		};
		json_array_append_new(del, allot_cells_json(allot_quote_delivery_columns, c,
							    ALLOT_QUOTE_DELIVERY_NCOL));
	}
	for (size_t i = 0; imp && i < q->n_impacts; i++) {
		struct allot_cell c[ALLOT_QUOTE_IMPACT_NCOL];
		allot_quote_impact_cells(s, &q->impacts[i], c);
		json_t *row =
			allot_cells_json(allot_quote_impact_columns, c, ALLOT_QUOTE_IMPACT_NCOL);
		allot_json_rate_basis(row, s, s->orders[q->impacts[i].order].system);
		json_array_append_new(imp, row);
	}
	allot_month sw = r->switch_month == ALLOT_NO_MONTH ? s->switch_month : r->switch_month;
	json_t *j = json_pack(
		"{s:s, s:s, s:o, s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:I, s:I, s:I}",
		"scenario", s->name, "policy", allot_policy_kind_name(r->policy), "switch_month",
		allot_switch_month_json(sw), "order_id", q->order_id, "iso3",
		s->partners[o->partner].iso3, "system_id", s->systems[o->system].system_id, "qty",
		(json_int_t)o->qty, "loa_month", allot_month_json(o->loa_month), "need_month",
		allot_month_json(o->need_month), "first_delivery", allot_month_json(q->first),
		"completion", allot_month_json(q->completion), "units_short",
		(json_int_t)q->units_short, "units_blocked", (json_int_t)q->units_blocked,
		"units_cancelled", (json_int_t)q->units_cancelled);
	allot_json_rate_basis(j, s, o->system);
	if (j && o->max_per_month > 0) /* only when asked: old answers keep their keys */
		json_object_set_new(j, "max_per_month", json_integer(o->max_per_month));
	if (j && o->not_before != ALLOT_NO_MONTH) /* likewise */
		json_object_set_new(j, "not_before", allot_month_json(o->not_before));
	if (!j || !del || !imp) {
		json_decref(del);
		json_decref(imp);
		json_decref(j);
		return NULL;
	}
	if (json_object_set_new(j, "deliveries", del) != 0 ||
	    json_object_set_new(j, "impacts", imp) != 0 ||
	    json_object_set_new(j, "committed", json_boolean(committed)) != 0) {
		json_decref(j);
		return NULL;
	}
	return j;
}
