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

static json_t *j_cover(const struct allot_scenario *s, const struct allot_minerals *m,
		       const struct allot_mineral_cover *c)
{
	json_t *cover = json_array(), *hits = json_array(), *sys = json_array();
	for (size_t k = 0; cover && k < m->n_cases; k++)
		json_array_append_new(cover, c->cover[k] < 0 ? json_null()
							     : json_integer(c->cover[k]));
	/* The orders cut first: at most SRV_PAGE_MAX of them, n_hits counts all. */
	for (size_t k = 0; hits && k < c->n_hits && k < SRV_PAGE_MAX; k++) {
		const struct allot_order *o = &s->orders[c->hits[k].order];
		json_array_append_new(hits, json_pack("{s:o, s:s, s:I}", "order_id",
						      jstr(o->order_id), "iso3",
						      s->partners[o->partner].iso3, "units_cut",
						      (json_int_t)c->hits[k].units_cut));
	}
	for (size_t k = 0; sys && k < c->n_hit_systems; k++)
		json_array_append_new(sys, jstr(s->systems[c->hit_systems[k]].system_id));
	const struct allot_mineral *mn = &s->minerals[c->mineral];
	return json_pack("{s:o, s:o, s:I, s:I, s:o, s:I, s:o, s:o, s:I, s:I, s:o, s:o}",
			 "mineral_id", jstr(mn->mineral_id), "name", jstr(mn->name), "stock_g",
			 (json_int_t)c->stock_g, "supply_g_month", (json_int_t)c->supply_g_month,
			 "demand_g_month", jnum(c->demand_g_month), "draw_total_g",
			 (json_int_t)c->draw_total_g, "cover_months", cover, "shortfall_month",
			 c->shortfall_month < 0 ? json_null() : jmonth(s->as_of + c->shortfall_month),
			 "shortfall_g", (json_int_t)c->shortfall_g, "n_hits", (json_int_t)c->n_hits,
			 "hits", hits, "hit_systems", sys);
}

static json_t *j_cases(const struct allot_minerals *m)
{
	static const char *const kinds[] = { "stock", "supply", "embargo" };
	json_t *arr = json_array();
	for (size_t k = 0; arr && k < m->n_cases; k++)
		json_array_append_new(arr, json_pack("{s:s, s:o, s:b}", "kind",
						     kinds[m->cases[k].kind], "label",
						     jstr(m->cases[k].label), "hypothetical",
						     m->cases[k].hypothetical));
	return arr;
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
		resp_error(out, 400, "embargo: expected SOURCE:MINERAL|*:YYYY-MM[:YYYY-MM] (at "
			   "most %d), found '%s'", MAX_EMBARGO_ARGS, a->bad);
		goto done;
	}
	int rc = allot_minerals_run(s, &o, a->v, a->n, &m);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot compute the cover");
		goto done;
	}
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < m->n; i++)
		json_array_append_new(arr, j_cover(s, m, &m->m[i]));
	resp_json(out, 200, json_pack("{s:s, s:o, s:o, s:i, s:o, s:o}", "scenario", r->param[0],
				      "as_of", jmonth(s->as_of), "horizon_end",
				      jmonth(s->as_of + s->horizon_months), "demand_months",
				      m->demand_months, "cases", j_cases(m), "minerals", arr));
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
		return resp_error(out, 400, "wait: expected months from 0 to 1200, found '%.20s'", w);
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
		for (size_t i = 0; arr && i < k->n; i++) {
			struct allot_cell c[ALLOT_RISK_NCOL];
			if (!page_take(&pg))
				continue;
			allot_risk_row_cells(p, &k->rows[i], c);
			json_array_append_new(arr, allot_cells_json(allot_risk_columns, c,
								    ALLOT_RISK_NCOL));
		}
		resp_json(out, 200, json_pack("{s:s, s:i, s:i, s:I, s:o, s:o, s:o}", "scenario",
					      r->param[0], "tier", k->tier, "wait_months",
					      k->wait_months, "units", (json_int_t)k->units,
					      "value_usd", jnum(k->value_usd), "page", j_page(&pg),
					      "orders", arr));
	}
	allot_risk_free(k);
	allot_plan_free(p);
	req_scenario_done(r, s);
}
