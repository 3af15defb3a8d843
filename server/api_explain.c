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
	/* allot explain --json's object, with fewer orders ahead */
	json_t *j = allot_explain_json(e, 2 * AHEAD_SHOWN, AHEAD_SHOWN);
	resp_json(out, 200, j);
done:
	allot_explain_free(e);
	req_scenario_done(r, s);
}
