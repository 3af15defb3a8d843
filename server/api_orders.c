/*
 * api_orders.c - the order book with plan results.
 *
 *   GET /api/scenarios/{name}/orders[?policy=&switch=&iso3=&system=&tier=
 *       &limit=&offset=]
 *       a page of the orders (those matching the filters, in file order)
 *       with their plan results under the policy, the count of all that
 *       match, and the plan's summary;
 *   GET /api/scenarios/{name}/orders/{order_id}[?policy=&switch=]
 *       one order, its result and its production month by month;
 *   GET /api/scenarios/{name}/orderbook[?switch=&partner=&system=&line=
 *       &tier=&region=&late=&limit=&offset=]
 *       the order book under both policies: the object of `allot orders
 *       --json` (allot_orderbook_json) with a page of its orders.
 *
 * Each request plans afresh: the planner only reads the shared scenario and
 * the result belongs to the request, so requests never interfere.
 */
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

static int plan(struct req *r, const struct allot_scenario *s, struct allot_plan **p,
		struct resp *out)
{
	struct allot_plan_options o;
	if (plan_opts_query(r, &o, out) != 0)
		return -1;
	int rc = allot_plan_run(s, &o, p);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot plan the scenario");
		return -1;
	}
	return 0;
}

static json_t *j_order(const struct allot_plan *p, size_t i)
{
	json_t *j = allot_order_input_json(p->scenario, i);
	if (j && json_object_update_new(j, allot_order_result_json(p, i)) != 0) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Filters: ?iso3=, ?system=, ?tier= (the partner's tier at month 0;
 * -1: any). */
static int keep(struct req *r, const struct allot_plan *p, size_t i, int64_t tier)
{
	const struct allot_scenario *s = p->scenario;
	const char *iso3 = req_query(r, "iso3"), *sys = req_query(r, "system");
	if (iso3 && strcmp(iso3, s->partners[s->orders[i].partner].iso3) != 0)
		return 0;
	if (sys && strcmp(sys, s->systems[s->orders[i].system].system_id) != 0)
		return 0;
	return tier < 0 || tier == p->orders[i].tier0;
}

void api_orders(struct req *r, struct resp *out)
{
	struct page pg;
	int64_t tier = -1;
	if (page_query(r, &pg, out) || query_int(r, "tier", 0, ALLOT_MAX_TIERS, &tier, out))
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct allot_plan *p = NULL;
	if (plan(r, s, &p, out) == 0) {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < s->n_orders; i++)
			if (keep(r, p, i, tier) && page_take(&pg) &&
			    json_array_append_new(arr, j_order(p, i)) != 0) {
				json_decref(arr);
				arr = NULL;
			}
		json_t *sum = j_plan_summary(p);
		if (arr && sum)
			resp_json(out, 200,
				  json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "scenario",
					    r->param[0], "as_of", jmonth(s->as_of), "horizon_end",
					    jmonth(s->as_of + s->horizon_months), "summary", sum,
					    "page", j_page(&pg), "orders", arr));
		else {
			json_decref(arr);
			json_decref(sum);
			resp_json(out, 500, NULL);
		}
	}
	allot_plan_free(p);
	req_scenario_done(r, s);
}

/* The order's allocation rows as allocations.csv has them: a row not made
 * on the line in the plan (work in progress at as_of, whose month is before
 * as_of, or an order not supplied new) says so in supply, as the CSV's
 * supply column (docs/planner.md), when the scenario has such rows. */
static json_t *j_production(const struct allot_plan *p, size_t i)
{
	const struct allot_scenario *s = p->scenario;
	int lead = s->systems[s->orders[i].system].lead_months;
	int supply = allot_scenario_has_offline(s);
	json_t *arr = json_array();
	for (size_t k = 0; arr && k < p->n_allocs; k++) {
		const struct allot_alloc *a = &p->allocs[k];
		if ((size_t)a->order != i)
			continue;
		allot_month m = s->as_of + a->month;
		json_t *row = json_pack("{s:o, s:I, s:o}", "month", jmonth(m), "units",
					(json_int_t)a->units, "delivery_month", jmonth(m + lead));
		if (row && supply)
			json_object_set_new(row, "supply", json_string(allot_alloc_supply(s, a)));
		json_array_append_new(arr, row);
	}
	return arr;
}

void api_order(struct req *r, struct resp *out)
{
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	int i = allot_scenario_find_order(s, r->param[1]);
	struct allot_plan *p = NULL;
	if (i < 0) {
		resp_error(out, 404, "no order '%s' in scenario %s", r->param[1], r->param[0]);
	} else if (plan(r, s, &p, out) == 0) {
		json_t *j = j_order(p, (size_t)i);
		json_t *prod = j_production(p, (size_t)i);
		if (j && prod) {
			json_object_set_new(j, "production", prod);
			json_object_set_new(j, "policy",
					    json_string(allot_policy_kind_name(p->policy)));
			resp_json(out, 200, j);
		} else {
			json_decref(j);
			json_decref(prod);
			resp_json(out, 500, NULL);
		}
	}
	allot_plan_free(p);
	req_scenario_done(r, s);
}

void api_orderbook(struct req *r, struct resp *out)
{
	struct page pg;
	struct allot_plan_options o;
	int64_t tier = 0, late = 0;
	if (page_query(r, &pg, out) || plan_opts_query(r, &o, out) ||
	    query_int(r, "tier", 1, ALLOT_MAX_TIERS, &tier, out) ||
	    query_int(r, "late", 0, 1, &late, out))
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	/* the flags of allot orders, read by the same parser */
	struct allot_order_filter f;
	struct allot_orderbook *b = NULL;
	char msg[1024];
	int rc = allot_order_filter_parse(s, req_query(r, "partner"), req_query(r, "system"),
					  req_query(r, "line"), req_query(r, "region"), &f, msg,
					  sizeof msg);
	if (rc != ALLOT_OK) {
		if (rc == ALLOT_ENOMEM)
			resp_json(out, 500, NULL);
		else
			resp_error(out, 400, "%s", msg);
		goto done;
	}
	f.tier = (int)tier;
	f.late = (int)late;
	rc = allot_orderbook_run(s, o.switch_month, &f, &b);
	json_t *j = rc == ALLOT_OK ? allot_orderbook_json(b) : NULL;
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot plan the scenario");
	} else if (!j) {
		resp_json(out, 500, NULL);
	} else {
		page_array(json_object_get(j, "orders"), &pg);
		json_object_set_new(j, "page", j_page(&pg));
		resp_json(out, 200, j);
	}
done:
	allot_orderbook_free(b);
	allot_order_filter_free(&f);
	req_scenario_done(r, s);
}
