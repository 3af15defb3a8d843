/*
 * api_minerals.c - critical minerals and sales at risk:
 *
 *   GET /api/scenarios/{name}/minerals[?policy=&switch=
 *       &embargo=SOURCE:MINERAL|*:YYYY-MM[:YYYY-MM] ...]
 *       months of cover of every mineral: stock alone, with supply, under
 *       each embargo of the scenario and each hypothetical one given here
 *       (allot_minerals_run, docs/report.md), and the orders a shortfall
 *       hits first;
 *   GET /api/scenarios/{name}/risk[?policy=&switch=&wait=36]
 *       orders of the lowest tier for a system with a foreign alternative
 *       that wait longer than `wait` months (allot_risk_run).
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "value.h"
#include "server_int.h"

#define MAX_EMBARGO_ARGS 16

struct embargo_args {
	const struct allot_scenario *s;
	struct allot_embargo v[MAX_EMBARGO_ARGS];
	char src[MAX_EMBARGO_ARGS][64];
	size_t n;
	char bad[160];
};

/* SOURCE:MINERAL:START[:END] into a->v[a->n]. */
static int parse_embargo(struct embargo_args *a, const char *text)
{
	char buf[160], *f[4] = { NULL };
	size_t nf = 0;
	snprintf(buf, sizeof buf, "%s", text);
	for (char *p = buf, *tok; nf < 4 && (tok = strsep(&p, ":")) != NULL;)
		f[nf++] = tok;
	if (a->n == MAX_EMBARGO_ARGS || nf < 3 || !*f[0] || strlen(f[0]) >= sizeof a->src[0])
		return -1;
	struct allot_embargo *x = &a->v[a->n];
	x->mineral = strcmp(f[1], "*") == 0 ? -1 : allot_scenario_find_mineral(a->s, f[1]);
	x->end_month = ALLOT_NO_MONTH;
	if ((x->mineral < 0 && strcmp(f[1], "*") != 0) ||
	    allot_month_parse(f[2], &x->start_month) != 0 ||
	    (nf == 4 && *f[3] && allot_month_parse(f[3], &x->end_month) != 0) ||
	    (x->end_month != ALLOT_NO_MONTH && x->end_month < x->start_month))
		return -1;
	snprintf(a->src[a->n], sizeof a->src[0], "%s", f[0]);
	x->source = a->src[a->n++];
	return 0;
}

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	(void)kind;
	struct embargo_args *a = cls;
	if (strcmp(key, "embargo") != 0 || a->bad[0])
		return MHD_YES;
	if (!value || parse_embargo(a, value) != 0)
		snprintf(a->bad, sizeof a->bad, "%.100s", value ? value : "");
	return MHD_YES;
}

void api_minerals(struct req *r, struct resp *out)
{
	struct allot_plan_options o;
	if (plan_opts_query(r, &o, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct embargo_args *a = mem_calloc(1, sizeof *a);
	struct allot_minerals *m = NULL;
	if (!a) {
		resp_json(out, 500, NULL);
		goto done;
	}
	a->s = s;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, each_arg, a);
	if (a->bad[0]) {
		resp_error(out, 400,
			   "embargo: expected SOURCE:MINERAL|*:YYYY-MM[:YYYY-MM] (at "
			   "most %d), found '%s'",
			   MAX_EMBARGO_ARGS, a->bad);
		goto done;
	}
	int rc = allot_minerals_run(s, &o, a->v, a->n, &m);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot compute the cover");
		goto done;
	}
	/* allot minerals --json's object, the orders hit first listed up to
	 * SRV_PAGE_MAX per mineral (orders_cut counts them all) */
	resp_json(out, 200, allot_minerals_json(&o, s, m, SRV_PAGE_MAX));
done:
	allot_minerals_free(m);
	mem_free(a);
	req_scenario_done(r, s);
}

void api_risk(struct req *r, struct resp *out)
{
	struct allot_plan_options o;
	if (plan_opts_query(r, &o, out) != 0)
		return;
	const char *w = req_query(r, "wait");
	int64_t wait = 36;
	if (w && (value_int(w, &wait) != 0 || wait < 0 || wait > 1200))
		return resp_error(out, 400, "wait: expected months from 0 to 1200, found '%.20s'",
				  w);
	struct page pg;
	if (page_query(r, &pg, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct allot_plan *p = NULL;
	struct allot_risk *k = NULL;
	int rc = allot_plan_run(s, &o, &p);
	if (rc == ALLOT_OK)
		rc = allot_risk_run(p, (int)wait, &k);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot compute the risk");
	} else {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < k->n; i++)
			if (page_take(&pg)) /* rate_basis too: allot risk --json's rows */
				json_array_append_new(arr, allot_risk_row_json(p, &k->rows[i]));
		json_t *body = json_pack("{s:s, s:i, s:i, s:I, s:o, s:o, s:o}", "scenario",
					 r->param[0], "tier", k->tier, "wait_months",
					 k->wait_months, "units", (json_int_t)k->units, "value_usd",
					 jnum(k->value_usd), "page", j_page(&pg), "orders", arr);
		if (body) /* value_usd with its unknown unit costs beside it */
			allot_usd_put(body, "value_usd", &k->value);
		resp_json(out, 200, body);
	}
	allot_risk_free(k);
	allot_plan_free(p);
	req_scenario_done(r, s);
}
