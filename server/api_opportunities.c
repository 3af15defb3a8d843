/*
 * api_opportunities.c - GET /api/scenarios/{name}/opportunities[?policy=
 * &switch=&months=24&top=5]: catalog capacity left unsold in the first
 * `months` months of the plan, per system, with up to `top` partners best
 * placed to buy it (allot_opportunities_run, docs/report.md): the object of
 * `allot opportunities --json` (allot_opportunities_json).
 */
#include <stdlib.h>

#include "server_int.h"

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
		resp_json(out, 200,
			  allot_opportunities_json(p, op)); /* allot opportunities --json */
	}
	allot_opportunities_free(op);
	allot_plan_free(p);
	req_scenario_done(r, s);
}
