/*
 * api_opportunities.c - GET /api/scenarios/{name}/opportunities[?policy=
 * &switch=&months=24&top=5]: catalog capacity left unsold in the first
 * `months` months of the plan, per system, with up to `top` partners best
 * placed to buy it (allot_opportunities_run, docs/report.md).
 */
#include <stdlib.h>

#include "server_int.h"

static json_t *j_opportunity(const struct allot_scenario *s, const struct allot_opportunity *o)
{
	json_t *buyers = json_array();
	for (size_t i = 0; buyers && i < o->n_buyers; i++) {
		const struct allot_buyer *b = &o->buyers[i];
		json_array_append_new(buyers, json_pack("{s:s, s:o, s:i, s:o, s:b, s:o}", "iso3",
							s->partners[b->partner].iso3, "name",
							jstr(s->partners[b->partner].name), "tier",
							b->tier, "score", jnum(b->score), "capped",
							b->capped, "room_usd",
							b->capped ? jnum(b->room_usd) : json_null()));
	}
	const struct allot_system *y = &s->systems[o->system];
	return json_pack("{s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "system_id", jstr(y->system_id),
			 "name", jstr(y->name), "line_id", jstr(s->lines[y->line].line_id),
			 "unsold_units", (json_int_t)o->unsold_units, "first_month",
			 o->first_month < 0 ? json_null() : jmonth(s->as_of + o->first_month),
			 "value_usd", jnum(o->value_usd), "buyers", buyers);
}

void api_opportunities(struct req *r, struct resp *out)
{
	struct allot_plan_options o;
	int64_t months = 24, top = 5;
	if (plan_opts_query(r, &o, out) != 0 || query_int(r, "months", 1, 1200, &months, out) ||
	    query_int(r, "top", 0, 100, &top, out))
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct allot_plan *p = NULL;
	struct allot_opportunities *op = NULL;
	int rc = allot_plan_run(s, &o, &p);
	if (rc == ALLOT_OK)
		rc = allot_opportunities_run(p, (int)months, (size_t)top, &op);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot compute the opportunities");
	} else {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < op->n; i++)
			json_array_append_new(arr, j_opportunity(s, &op->v[i]));
		resp_json(out, 200, json_pack("{s:s, s:i, s:b, s:o}", "scenario", r->param[0],
					      "months", op->months, "catalog_only",
					      op->catalog_only, "systems", arr));
	}
	allot_opportunities_free(op);
	allot_plan_free(p);
	req_scenario_done(r, s);
}
