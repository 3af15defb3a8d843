/*
 * api_explain.c - GET /api/scenarios/{name}/orders/{id}/explain
 * [?policy=&switch=]: why an order completes when it does, month by month,
 * from the planner's trace of that order (allot_plan_options.trace_order).
 *
 * Each month while the order still wanted units: what it wanted, what it
 * got, what held it back (limit: none, not_eligible, done, blocked, line,
 * mineral), its line's capacity and what was left when its turn came, its
 * tier and score in force, and the orders served before it on its line
 * (the largest `ahead` of them, all counted in n_ahead).  `limits` counts
 * the months by reason.  `spans` is the same story collapsed into runs of
 * months with the same limit, key and orders ahead (allot_explain_run, the
 * library behind `allot explain`).
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "server_int.h"

#define AHEAD_SHOWN 5

static int by_units_desc(const void *a, const void *b)
{
	const struct allot_trace_ahead *x = a, *y = b;
	if (x->units != y->units)
		return x->units > y->units ? -1 : 1;
	return x->order - y->order;
}

static json_t *j_ahead(const struct allot_plan *p, const struct allot_trace_month *m)
{
	const struct allot_scenario *s = p->scenario;
	size_t n = m->n_ahead;
	struct allot_trace_ahead *v = mem_calloc(n + 1, sizeof *v);
	if (!v)
		return NULL;
	memcpy(v, p->trace->ahead + m->ahead_start, n * sizeof *v);
	qsort(v, n, sizeof *v, by_units_desc);
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n && i < AHEAD_SHOWN; i++) {
		const struct allot_order *o = &s->orders[v[i].order];
		json_array_append_new(arr, json_pack("{s:o, s:s, s:I}", "order_id",
						     jstr(o->order_id), "iso3",
						     s->partners[o->partner].iso3, "units",
						     (json_int_t)v[i].units));
	}
	mem_free(v);
	return arr;
}

static json_t *j_months(const struct allot_plan *p, json_t *limits)
{
	const struct allot_scenario *s = p->scenario;
	const struct allot_trace *tr = p->trace;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < tr->n_months; i++) {
		const struct allot_trace_month *m = &tr->months[i];
		if (m->wanted == 0 && m->got == 0)
			continue;
		const char *lim = allot_limit_name(m->limit);
		json_object_set_new(limits, lim,
				    json_integer(json_integer_value(json_object_get(limits, lim)) + 1));
		json_array_append_new(arr, json_pack(
			"{s:o, s:I, s:I, s:s, s:o, s:I, s:I, s:i, s:o, s:b, s:I, s:o}", "month",
			jmonth(s->as_of + m->month), "wanted", (json_int_t)m->wanted, "got",
			(json_int_t)m->got, "limit", lim, "mineral",
			m->mineral >= 0 ? jstr(s->minerals[m->mineral].mineral_id) : json_null(),
			"line_capacity", (json_int_t)m->line_capacity, "line_left",
			(json_int_t)m->line_left, "tier", m->tier, "score", jnum(m->score),
			"priority_order", m->priority_keys, "n_ahead", (json_int_t)m->n_ahead,
			"ahead", j_ahead(p, m)));
	}
	return arr;
}

static json_t *j_spans(const struct allot_explain *e)
{
	const struct allot_scenario *s = e->plan->scenario;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < e->n_spans; i++) {
		const struct allot_explain_span *sp = &e->spans[i];
		json_t *ahead = json_array();
		for (size_t k = 0; ahead && k < sp->n_ahead && k < 2 * AHEAD_SHOWN; k++) {
			const struct allot_order *o = &s->orders[sp->ahead[k].order];
			json_array_append_new(ahead, json_pack("{s:o, s:s, s:I}", "order_id",
							       jstr(o->order_id), "iso3",
							       s->partners[o->partner].iso3, "units",
							       (json_int_t)sp->ahead[k].units));
		}
		json_array_append_new(arr, json_pack(
			"{s:o, s:o, s:s, s:o, s:I, s:I, s:I, s:I, s:i, s:o, s:b, s:I, s:o}", "from",
			jmonth(sp->from), "to", jmonth(sp->to), "limit", allot_limit_name(sp->limit),
			"mineral",
			sp->mineral >= 0 ? jstr(s->minerals[sp->mineral].mineral_id) : json_null(),
			"wanted", (json_int_t)sp->wanted, "got", (json_int_t)sp->got, "line_capacity",
			(json_int_t)sp->line_capacity, "cancelled", (json_int_t)sp->cancelled, "tier",
			sp->tier, "score", jnum(sp->score), "priority_order", sp->priority_keys,
			"n_ahead", (json_int_t)sp->n_ahead, "ahead", ahead));
	}
	return arr;
}

void api_explain(struct req *r, struct resp *out)
{
	struct allot_plan_options o;
	if (plan_opts_query(r, &o, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct allot_explain *e = NULL;
	int i = allot_scenario_find_order(s, r->param[1]);
	if (i < 0) {
		resp_error(out, 404, "no order '%s' in scenario %s", r->param[1], r->param[0]);
		goto done;
	}
	int rc = allot_explain_run(s, &o, i, &e);
	const struct allot_plan *p = rc == ALLOT_OK ? e->plan : NULL;
	if (rc != ALLOT_OK || !p->trace) {
		resp_status(out, rc ? rc : ALLOT_ENOMEM, NULL, "cannot plan the scenario");
		goto done;
	}
	json_t *j = j_order_input(s, (size_t)i);
	json_t *limits = json_object();
	if (j && limits) {
		json_object_update_new(j, j_order_result(p, (size_t)i));
		json_object_set_new(j, "policy", json_string(allot_policy_kind_name(p->policy)));
		json_object_set_new(j, "switch_month", jswitch(p->switch_month));
		json_object_set_new(j, "months", j_months(p, limits));
		json_object_set_new(j, "limits", limits);
		json_object_set_new(j, "spans", j_spans(e));
		limits = NULL;
	}
	json_decref(limits);
	resp_json(out, 200, j);
done:
	allot_explain_free(e);
	req_scenario_done(r, s);
}
