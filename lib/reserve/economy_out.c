/*
 * economy_out.c - what every face of the economy-scale reserve shows
 * (docs/reserve.md, "Output"): days held against the aim, the reason of
 * each mineral in words, days of cover by consumer group, and the whole
 * answer as JSON.  The CLI (text, CSV, JSON), the report, the API and the
 * dashboard take their figures from here, so that the same inputs give the
 * same keys and the same numbers in every face.
 */
#include "reserve/economy_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

double allot_xreserve_days_held(const struct allot_econ_mineral *x, double kg)
{
	double s = (x->stock_kg > 0 ? x->stock_kg : 0) + kg;
	return x->consumption_kg_month > 0 ? s / (x->consumption_kg_month / XR_DAYS) : -1;
}

/* A defence use: a defence end-use share, or an arms draw in some month. */
static int has_defence_use(const struct allot_xreserve *r, size_t m)
{
	if (r->e->m[m].enduse[0] > 0)
		return 1;
	for (int g = 0; g < 2; g++)
		for (int t = 0; t < r->months; t++)
			if (r->demand[(m * XR_G + (size_t)g) * (size_t)r->months + (size_t)t] > 0)
				return 1;
	return 0;
}

const char *allot_xreserve_why(const struct allot_xreserve *r, size_t m, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "%s", allot_xr_reason_text(r->reason[m]));
	if (r->reason[m] == ALLOT_XR_MISSING && r->missing[m] && len < n)
		len += (size_t)snprintf(buf + len, n - len, " (%s)", r->missing[m]);
	if (r->reason[m] != ALLOT_XR_MISSING && !has_defence_use(r, m) && len < n)
		snprintf(buf + len, n - len, "; no defence use");
	return buf;
}

void allot_xreserve_groups(const struct allot_xreserve *r,
			   struct allot_xr_group out[ALLOT_CG_COUNT])
{
	for (int g = 0; g < XR_G; g++) {
		struct allot_xr_group *o = &out[g];
		memset(o, 0, sizeof *o);
		o->fewest = -1;
		for (size_t m = 0; m < r->n_minerals; m++) {
			size_t i = m * XR_G + (size_t)g;
			if (r->shortfall_days[i] <= 0)
				continue;
			if (o->fewest < 0 || r->cover_after[i] < o->fewest_after) {
				o->fewest_after = r->cover_after[i];
				o->fewest = (long)m;
			}
			o->n_short++;
			o->days_short += r->shortfall_days[i];
			o->before += r->cover_before[i];
			o->after += r->cover_after[i];
		}
	}
}

void allot_xreserve_aim(const struct allot_xreserve *r, struct allot_xr_aim *a)
{
	memset(a, 0, sizeof *a);
	for (size_t m = 0; m < r->n_minerals; m++) {
		const struct allot_econ_mineral *x = &r->e->m[m];
		double b = allot_xreserve_days_held(x, 0);
		if (b < 0)
			continue;
		a->n++;
		a->before += x->stock_kg >= 0 && b >= ALLOT_XR_AIM_DAYS;
		a->after += allot_xreserve_days_held(x, r->best_kg[m]) >= ALLOT_XR_AIM_DAYS;
	}
}

const char *allot_xreserve_scenario_label(const struct allot_xreserve *r, size_t k, char *buf,
					  size_t n)
{
	char a[8], b[8];
	const struct allot_embargo *e = &r->emb[k];
	allot_month_format(e->start_month, a);
	allot_month_format(e->end_month, b);
	snprintf(buf, n, "%s stops its share of %s %s..%s (%d months), probability %.2f", e->source,
		 e->mineral < 0 ? "every mineral" : r->e->m[e->mineral].mineral_id, a, b,
		 (int)(e->end_month - e->start_month) + 1, r->prob[k]);
	return buf;
}

/* ---- JSON -------------------------------------------------------------------- */

static json_t *j_purchase(const struct allot_xreserve *r, size_t m)
{
	const struct allot_econ_mineral *x = &r->e->m[m];
	char w[200];
	json_t *cov = json_object();
	for (int g = 0; cov && g < XR_G; g++) {
		size_t i = m * XR_G + (size_t)g;
		if (r->shortfall_days[i] > 0)
			json_object_set_new(cov, allot_cgroup_name((enum allot_cgroup)g),
					    json_pack("{s:f, s:f, s:f}", "days_short",
						      r->shortfall_days[i], "before",
						      r->cover_before[i], "after",
						      r->cover_after[i]));
	}
	double b = allot_xreserve_days_held(x, 0);
	json_t *j = json_pack("{s:s, s:f, s:f, s:s, s:o}", "mineral", x->mineral_id, "kg",
			      r->best_kg[m], "cost_usd", r->best_cost[m], "why",
			      allot_xreserve_why(r, m, w, sizeof w), "cover_days", cov);
	if (!j)
		return NULL;
	json_object_set_new(j, "days_held_before",
			    b >= 0 && x->stock_kg >= 0 ? json_real(b) : json_null());
	json_object_set_new(j, "days_held_after",
			    b >= 0 ? json_real(allot_xreserve_days_held(x, r->best_kg[m]))
				   : json_null());
	/* false: the stock held today is missing, days_held_after is the days
	 * bought alone (a lower bound). */
	json_object_set_new(j, "stock_known", json_boolean(x->stock_kg >= 0));
	return j;
}

/* Days of cover by consumer group: the keys of the CSV's section "group". */
static json_t *j_groups(const struct allot_xreserve *r)
{
	struct allot_xr_group gr[ALLOT_CG_COUNT];
	allot_xreserve_groups(r, gr);
	json_t *arr = json_array();
	for (int g = 0; arr && g < XR_G; g++) {
		if (!gr[g].n_short)
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:i, s:f, s:f, s:f, s:s, s:f}", "group",
						     allot_cgroup_name((enum allot_cgroup)g),
						     "minerals_short", gr[g].n_short, "days_short",
						     gr[g].days_short, "before", gr[g].before,
						     "after", gr[g].after, "fewest_after_mineral",
						     r->e->m[gr[g].fewest].mineral_id,
						     "fewest_after", gr[g].fewest_after));
	}
	return arr;
}

json_t *allot_xreserve_json(const struct allot_xreserve *r, unsigned methods, int with_times)
{
	const struct allot_scenario *s = r->s;
	json_t *scen = json_array(), *purchase = json_array(), *lines = json_array();
	json_t *tiers = json_array();
	char lab[200];
	for (size_t k = 0; scen && k < r->n_scenarios; k++)
		json_array_append_new(
			scen, json_string(allot_xreserve_scenario_label(r, k, lab, sizeof lab)));
	for (size_t m = 0; purchase && m < r->n_minerals; m++)
		json_array_append_new(purchase, j_purchase(r, m));
	for (size_t l = 0; lines && l < s->n_lines; l++)
		if (r->line_run_before[l] >= 0)
			json_array_append_new(
				lines, json_pack("{s:s, s:f, s:f}", "line", s->lines[l].line_id,
						 "running_before", r->line_run_before[l],
						 "running_after", r->line_run_after[l]));
	for (size_t i = 0; tiers && i < r->n_tiers; i++)
		json_array_append_new(tiers, json_real(r->tier_units_protected[i]));
	struct allot_xr_aim aim;
	allot_xreserve_aim(r, &aim);
	json_t *root = json_pack("{s:f, s:f, s:b, s:s, s:o, s:o, s:o}", "budget_usd", r->budget_usd,
				 "cost_usd", r->best.cost_usd, "budget_binds", r->budget_binds,
				 "recommended",
				 r->recommended == ALLOT_RESERVE_LP ? "lp" : "heuristic",
				 "scenarios", scen, "purchase", purchase, "groups", j_groups(r));
	if (!root) {
		json_decref(lines);
		json_decref(tiers);
		return NULL;
	}
	json_object_set_new(root, "lines", lines);
	json_object_set_new(root, "foreign_units_protected_by_tier", tiers);
	json_object_set_new(root, "defence_days", json_real(r->best.defence_days));
	json_object_set_new(root, "civil_days", json_real(r->best.civil_days));
	json_object_set_new(root, "aim",
			    json_pack("{s:f, s:i, s:i, s:i}", "days", ALLOT_XR_AIM_DAYS,
				      "minerals_with_consumption", aim.n, "before", aim.before,
				      "after", aim.after));
	json_object_set_new(root, "next_billion",
			    json_pack("{s:f, s:f, s:f}", "defence_days",
				      r->next_billion.defence_days, "civil_days",
				      r->next_billion.civil_days, "cost_usd",
				      r->next_billion.cost_usd));
	if (methods & ALLOT_RESERVE_LP) {
		json_t *lp = json_pack("{s:f, s:f, s:f, s:f, s:i, s:i, s:i, s:f}", "defence_bound",
				       r->lp_defence_bound, "civil_bound", r->lp_civil_bound,
				       "cost_usd", r->lp.cost_usd, "civil_days", r->lp.civil_days,
				       "rows", r->lp_rows, "columns", r->lp_cols, "nonzeros",
				       r->lp_nonzeros, "budget_dual_civil_days_per_usd_m",
				       r->budget_dual * 1e6);
		if (lp && with_times) {
			json_object_set_new(lp, "seconds", json_real(r->lp_seconds));
			json_object_set_new(lp, "next_billion_seconds",
					    json_real(r->lp_next_seconds));
		}
		json_object_set_new(root, "lp", lp);
	}
	if (methods & ALLOT_RESERVE_HEURISTIC) {
		json_t *h = json_pack("{s:f, s:f, s:f}", "cost_usd", r->heur.cost_usd,
				      "defence_days", r->heur.defence_days, "civil_days",
				      r->heur.civil_days);
		if (h && with_times)
			json_object_set_new(h, "seconds", json_real(r->heur_seconds));
		json_object_set_new(root, "heuristic", h);
	}
	return root;
}
