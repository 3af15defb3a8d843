/*
 * api_reserve.c - the critical-minerals reserve at the economy's scale
 * (docs/reserve.md, docs/api.md):
 *
 *   GET /api/scenarios/{name}/reserve[?budget=USD
 *       &embargo=SOURCE[@YYYY-MM][+MONTHS] ...&probabilities=P1,P2,...
 *       &method=lp|heuristic|both]
 *       what to buy, days of cover by mineral and by consumer group, the
 *       arms lines kept running, units protected by tier, the next billion
 *       and the aim of 60 days: the object of `allot reserve --json`
 *       (allot_xreserve_json), with the scenario's name.
 *
 * The economy (critical_minerals.csv) is read once at start from `allot
 * serve --critical-minerals FILE`; without it the route answers 404 and
 * says so.  Defaults as the CLI: USD 12 billion, China for 24 months from
 * the scenario's as_of, equal probabilities, both methods.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "value.h"
#include "server_int.h"

struct emb_args {
	allot_month as_of;
	struct allot_embargo v[ALLOT_XR_MAX_SCENARIOS];
	char src[ALLOT_XR_MAX_SCENARIOS][16];
	size_t n;
	char bad[120];
};

/* SOURCE[@YYYY-MM][+MONTHS], SOURCE a source group (china, allies, others). */
static int parse_embargo(struct emb_args *a, const char *text)
{
	char buf[64];
	if (a->n == ALLOT_XR_MAX_SCENARIOS || strlen(text) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", text);
	char *plus = strchr(buf, '+'), *at = strchr(buf, '@');
	int64_t months = 24;
	if (plus) {
		*plus = '\0';
		if (value_int(plus + 1, &months) != 0 || months < 1 || months > 1200)
			return -1;
	}
	struct allot_embargo *x = &a->v[a->n];
	x->start_month = a->as_of;
	if (at) {
		*at = '\0';
		if (allot_month_parse(at + 1, &x->start_month) != 0)
			return -1;
	}
	if (allot_source_group_parse(buf) < 0 || strlen(buf) >= sizeof a->src[0])
		return -1;
	snprintf(a->src[a->n], sizeof a->src[0], "%s", buf);
	x->source = a->src[a->n];
	x->mineral = -1;
	x->end_month = x->start_month + (allot_month)months - 1;
	a->n++;
	return 0;
}

static enum MHD_Result each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	(void)kind;
	struct emb_args *a = cls;
	if (strcmp(key, "embargo") != 0 || a->bad[0])
		return MHD_YES;
	if (!value || parse_embargo(a, value) != 0)
		snprintf(a->bad, sizeof a->bad, "%.80s", value ? value : "");
	return MHD_YES;
}

/* P1,P2,... into p (n numbers >= 0, at least one > 0). */
static int parse_probs(const char *text, double *p, size_t n)
{
	char buf[512];
	if (strlen(text) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", text);
	size_t k = 0;
	double sum = 0;
	for (char *q = buf, *tok; (tok = strsep(&q, ",")) != NULL;) {
		if (k == n || value_number(tok, &p[k]) != 0 || p[k] < 0 || p[k] > 1e6)
			return -1;
		sum += p[k++];
	}
	return k == n && sum > 0 ? 0 : -1;
}

void api_reserve(struct req *r, struct resp *out)
{
	const struct allot_economy *e = r->srv->economy;
	if (!e)
		return resp_error(out, 404,
				  "the reserve at the economy's scale needs "
				  "critical_minerals.csv: start allot serve with "
				  "--critical-minerals FILE (e.g. "
				  "data/default/critical_minerals.csv)");
	struct allot_xreserve_options o;
	allot_xreserve_options_init(&o);
	o.budget_usd = 12e9;
	const char *b = req_query(r, "budget");
	if (b && (value_number(b, &o.budget_usd) != 0 || o.budget_usd < 0 || o.budget_usd > 1e15))
		return resp_error(out, 400, "budget: expected USD from 0 to 1e15, found '%.40s'",
				  b);
	const char *m = req_query(r, "method");
	if (m) {
		if (strcmp(m, "lp") == 0)
			o.methods = ALLOT_RESERVE_LP;
		else if (strcmp(m, "heuristic") == 0)
			o.methods = ALLOT_RESERVE_HEURISTIC;
		else if (strcmp(m, "both") != 0)
			return resp_error(out, 400,
					  "method: expected lp, heuristic or both, found "
					  "'%.40s'",
					  m);
	}
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct emb_args *a = mem_calloc(1, sizeof *a);
	double *prob = mem_calloc(ALLOT_XR_MAX_SCENARIOS, sizeof *prob);
	struct allot_xreserve *x = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	if (!a || !prob) {
		resp_json(out, 500, NULL);
		goto done;
	}
	a->as_of = s->as_of;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, each_arg, a);
	if (a->bad[0]) {
		resp_error(out, 400,
			   "embargo: expected SOURCE[@YYYY-MM][+MONTHS] with SOURCE "
			   "china, allies or others (at most %d), found '%s'",
			   ALLOT_XR_MAX_SCENARIOS, a->bad);
		goto done;
	}
	if (a->n == 0) /* the default scenario: china, 24 months from as_of */
		parse_embargo(a, "china");
	const char *p = req_query(r, "probabilities");
	if (p && parse_probs(p, prob, a->n) != 0) {
		resp_error(out, 400,
			   "probabilities: expected %zu numbers >= 0 (one per embargo), "
			   "not all 0, found '%.80s'",
			   a->n, p);
		goto done;
	}
	o.embargoes = a->v;
	o.n_embargoes = a->n;
	o.prob = p ? prob : NULL;
	int rc = allot_xreserve_run(e, s, &o, &x, &d);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, &d, "cannot compute the reserve");
		goto done;
	}
	json_t *j = allot_xreserve_json(x, o.methods, 1);
	if (j)
		json_object_set_new(j, "scenario", jstr(r->param[0]));
	resp_json(out, j ? 200 : 500, j);
done:
	allot_xreserve_free(x);
	allot_diags_free(&d);
	mem_free(prob);
	mem_free(a);
	req_scenario_done(r, s);
}
