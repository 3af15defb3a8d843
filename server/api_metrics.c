/*
 * api_metrics.c - GET /api/scenarios/{name}/metrics[?policy=&switch=
 * &tier=N]: the quarterly performance figures of the plan
 * (allot_metrics_quarterly, docs/answers.md): LOAs signed, units and value
 * delivered, backlog, median age of open cases and on-time deliveries,
 * for every tier together (tier 0, the default) or one tier.
 */
#include <stdlib.h>

#include "value.h"
#include "server_int.h"

/* One quarter: the cells and keys of allot metrics --csv/--json. */
static json_t *j_row(const struct allot_quarter_metrics *q)
{
	struct allot_cell c[ALLOT_METRICS_NCOL];
	char qb[8];
	allot_metrics_row_cells(q, c, qb);
	return allot_cells_json(allot_metrics_columns, c, ALLOT_METRICS_NCOL);
}

void api_metrics(struct req *r, struct resp *out)
{
	struct allot_plan_options o;
	if (plan_opts_query(r, &o, out) != 0)
		return;
	const char *t = req_query(r, "tier");
	int64_t tier = 0;
	if (t && (value_int(t, &tier) != 0 || tier < 0 || tier > ALLOT_MAX_TIERS))
		return resp_error(out, 400,
				  "tier: expected 0 (all) or a tier number, found '%.20s'", t);
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct allot_plan *p = NULL;
	struct allot_metrics *m = NULL;
	int rc = allot_plan_run(s, &o, &p);
	if (rc == ALLOT_OK)
		rc = allot_metrics_quarterly(p, &m);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot compute the metrics");
	} else if ((size_t)tier > m->n_tiers) {
		resp_error(out, 400, "tier: expected 0 to %zu, found %ld", m->n_tiers, tier);
	} else {
		json_t *arr = json_array();
		for (size_t q = 0; arr && q < m->n_quarters; q++)
			json_array_append_new(arr,
					      j_row(&m->rows[q * (m->n_tiers + 1) + (size_t)tier]));
		resp_json(out, 200,
			  json_pack("{s:s, s:s, s:o, s:i, s:I, s:o}", "scenario", r->param[0],
				    "policy", allot_policy_kind_name(p->policy), "switch_month",
				    allot_switch_month_json(p->switch_month), "tier", (int)tier,
				    "tiers", (json_int_t)m->n_tiers, "quarters", arr));
	}
	allot_metrics_free(m);
	allot_plan_free(p);
	req_scenario_done(r, s);
}
