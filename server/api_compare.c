/*
 * api_compare.c - GET /api/scenarios/{name}/compare: two policies side by
 * side (allot_compare_run, docs/answers.md): who gains and who waits.
 *
 * Query: before=fcfs, after=priority, switch=YYYY-MM|none, year=YYYY (the
 * "delivered by" year; default as_of's year + 3), by=partner|tier|region|
 * system (default partner), orders=1 to add every order's two outcomes.
 */
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "server_int.h"

static json_t *pair_i(int64_t a, int64_t b)
{
	return json_pack("[I,I]", (json_int_t)a, (json_int_t)b);
}

static json_t *j_orders(const struct allot_compare *c, const struct allot_scenario *s,
			struct page *pg)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < s->n_orders; i++) {
		const struct allot_compare_order *o = &c->orders[i];
		if (!page_take(pg))
			continue;
		json_array_append_new(arr,
				      json_pack("{s:o, s:s, s:b, s:[i,i], s:[o,o], s:o}",
						"order_id", jstr(s->orders[i].order_id), "iso3",
						s->partners[s->orders[i].partner].iso3, "counted",
						o->counted, "wait_months", o->wait[0], o->wait[1],
						"completion", jmonth(o->completion[0]),
						jmonth(o->completion[1]), "units_by_year",
						pair_i(o->by_year[0], o->by_year[1])));
	}
	return arr;
}

static int parse_args(struct req *r, struct allot_compare_options *o, enum allot_group_by *by,
		      struct resp *out)
{
	allot_compare_options_init(o);
	const char *pol[2] = { req_query(r, "before"), req_query(r, "after") };
	for (int k = 0; k < 2; k++)
		if (pol[k] && allot_policy_kind_parse(pol[k], &o->policy[k]) != 0) {
			resp_error(out, 400, "%s: expected fcfs or priority, found '%.40s'",
				   k ? "after" : "before", pol[k]);
			return -1;
		}
	struct allot_plan_options po;
	if (plan_opts_query(r, &po, out) != 0)
		return -1;
	o->switch_month = po.switch_month;
	const char *y = req_query(r, "year");
	if (y) {
		int64_t v;
		if (value_int(y, &v) != 0 || v < 1000 || v > 9999) {
			resp_error(out, 400, "year: expected a year YYYY, found '%.20s'", y);
			return -1;
		}
		o->year = (int)v;
	}
	const char *b = req_query(r, "by");
	*by = ALLOT_BY_PARTNER;
	if (b && allot_group_by_parse(b, by) != 0) {
		resp_error(out, 400, "by: expected partner, tier, region or system, found '%.20s'",
			   b);
		return -1;
	}
	return 0;
}

void api_compare(struct req *r, struct resp *out)
{
	struct allot_compare_options o;
	enum allot_group_by by;
	struct page pg;
	if (parse_args(r, &o, &by, out) != 0 || page_query(r, &pg, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct allot_compare *c = NULL;
	int rc = allot_compare_run(s, &o, &c);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot compare the policies");
	} else {
		/* allot compare --by BY --json's object, and the two plans' summaries */
		json_t *j = allot_compare_json(s, c, (int)by);
		if (j) {
			json_object_set_new(j, "before", j_plan_summary(c->plan[0]));
			json_object_set_new(j, "after", j_plan_summary(c->plan[1]));
		}
		const char *ord = req_query(r, "orders");
		if (j && ord && strcmp(ord, "1") == 0) {
			json_object_set_new(j, "orders", j_orders(c, s, &pg));
			json_object_set_new(j, "page", j_page(&pg));
		}
		resp_json(out, 200, j);
	}
	allot_compare_free(c);
	req_scenario_done(r, s);
}
