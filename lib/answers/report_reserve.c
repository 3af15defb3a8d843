/*
 * report_reserve.c - the "Critical-minerals reserve" section of a report
 * (docs/report.md): when the scenario has minerals, allot_reserve_run (the
 * call behind `allot reserve`) with the report's budget and embargo
 * scenarios, under the report's policy and switch month, and from it the
 * section's text (what was asked, how it was solved), its headline
 * sentence, and its tables: the purchase with months of cover before and
 * after, units delivered by tier without and with the reserve, and the
 * methods against the LP bound.  A scenario without minerals gets a
 * one-line note instead.
 *
 * Nothing here depends on the clock: the solve times stay out of the page
 * and the workbook, so the same inputs give the same files.
 */
#include <allot/allot.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "answers/report_int.h"
#include "util/mem.h"

#define DEFAULT_EMBARGO_MONTHS 24

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *fmt(const char *f, ...)
{
	char buf[2048];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	return mem_strdup(buf);
}

/* The supply source spelled "china" in any case, as supply.csv spells it. */
static const char *china_source(const struct allot_scenario *s)
{
	for (size_t i = 0; i < s->n_supply; i++)
		if (strcasecmp(s->supply[i].source, "china") == 0)
			return s->supply[i].source;
	return NULL;
}

int report_reserve_cover(const struct allot_report *r, const struct allot_reserve_outcome *x,
			 size_t m)
{
	const struct allot_reserve *v = r->reserve;
	int c = v->window;
	for (size_t k = 0; k < v->n_scenarios; k++)
		if (x->cover[k * v->n_minerals + m] < c)
			c = x->cover[k * v->n_minerals + m];
	return c;
}

double report_reserve_units(const struct allot_report *r, const struct allot_reserve_outcome *x,
			    size_t t)
{
	const struct allot_reserve *v = r->reserve;
	double sum = 0;
	for (size_t k = 0; k < v->n_scenarios; k++)
		sum += (double)x->units_by_tier[k * v->n_tiers + t];
	return sum / (double)v->n_scenarios;
}

/* "1310" or, for a mean over scenarios, "12.5". */
static const char *units(double v, char buf[32])
{
	if (v == (double)(long long)v)
		allot_style_count((int64_t)v, buf); /* "1,310" */
	else
		snprintf(buf, 32, "%.1f", v);
	return buf;
}

/* "china 2025-01..2026-12; allied 2026-01..2026-12" (at most 8 named). */
static void scenarios_phrase(const struct allot_report *r, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < r->n_reserve_emb && k < 8 && used < size; k++) {
		const struct allot_embargo *e = &r->reserve_emb[k];
		char a[8], b[8];
		allot_month_format(e->start_month, a);
		allot_month_format(e->end_month, b);
		int n = snprintf(buf + used, size - used, "%s%.40s %s..%s", k ? "; " : "",
				 e->source, a, b);
		used += n > 0 ? (size_t)n : 0;
	}
	if (r->n_reserve_emb > 8 && used < size)
		snprintf(buf + used, size - used, "; and %zu more", r->n_reserve_emb - 8);
}

/* Where the units are counted and under which embargo, for the headline. */
static void during_phrase(const struct allot_report *r, char *buf, size_t size)
{
	const struct allot_embargo *e = r->reserve_emb;
	char a[8], sc[600];
	if (r->n_reserve_emb == 0) {
		snprintf(buf, size, "under the scenario as given (no embargo added)");
	} else if (r->n_reserve_emb == 1) {
		allot_month_format(e->start_month, a);
		snprintf(buf, size, "during a %d-month embargo on %.40s from %s",
			 (int)(e->end_month - e->start_month + 1), e->source, a);
	} else {
		scenarios_phrase(r, sc, sizeof sc);
		snprintf(buf, size, "on average over %zu embargo scenarios (%s)", r->n_reserve_emb,
			 sc);
	}
}

static int headline(struct allot_report *r)
{
	const struct allot_reserve *v = r->reserve;
	const struct allot_reserve_outcome *b = allot_reserve_best(v);
	char during[800], end[8], n[32], w0[32], w1[32], c[32], bud[32];
	during_phrase(r, during, sizeof during);
	allot_month_format(r->s->as_of + v->window - 1, end);
	double u0 = report_reserve_units(r, &v->base, 0), u1 = report_reserve_units(r, b, 0);
	allot_style_usd(b->cost_usd, c);
	allot_style_usd(v->budget_usd, bud);
	if (b->cost_usd <= 0)
		r->reserve_headline = fmt(
			"With the reserve spent this way (nothing bought: no purchase within "
			"%s adds units delivered by %s), %s more units reach tier-1 partners %s.",
			bud, end, units(u1 - u0, n), during);
	else
		r->reserve_headline = fmt(
			"With the reserve spent this way (%s of %s), %s more units reach "
			"tier-1 partners %s; counted to %s, %s without the reserve and %s with it.",
			c, bud, units(u1 - u0, n), during, end, units(u0, w0), units(u1, w1));
	return r->reserve_headline ? ALLOT_OK : ALLOT_ENOMEM;
}

static const char *method_phrase(const struct allot_reserve *v, char *buf, size_t size)
{
	const struct allot_reserve_outcome *b = allot_reserve_best(v);
	int lp = v->methods & ALLOT_RESERVE_LP, he = v->methods & ALLOT_RESERVE_HEURISTIC;
	if (lp && he)
		snprintf(
			buf, size,
			"Solved as allot reserve solves it: the LP relaxation (GLPK; %d rows, %d "
			"columns; bound %.1f weighted units on the mineral lines) and the "
			"marginal-value heuristic (%zu steps, %zu exact plans), each purchase judged "
			"by the exact planner; recommended: the %s's purchase, %.2f %% below the "
			"bound.",
			v->lp_rows, v->lp_cols, v->lp_bound, v->heur_steps, v->heur_plans,
			v->recommended == ALLOT_RESERVE_LP ? "LP" : "heuristic",
			allot_reserve_gap_pct(v, b));
	else if (lp)
		snprintf(
			buf, size,
			"Solved with the LP relaxation only (GLPK; %d rows, %d columns; bound %.1f "
			"weighted units on the mineral lines), its purchase judged by the exact "
			"planner: %.2f %% below the bound.",
			v->lp_rows, v->lp_cols, v->lp_bound, allot_reserve_gap_pct(v, b));
	else
		snprintf(
			buf, size,
			"Solved with the marginal-value heuristic only (%zu steps, %zu exact plans; "
			"no LP bound).",
			v->heur_steps, v->heur_plans);
	return buf;
}

static int how(struct allot_report *r, int default_budget, int default_embargo)
{
	const struct allot_scenario *s = r->s;
	const struct allot_reserve *v = r->reserve;
	char bud[32], emb[800], a[8], e[8], sc[600], meth[600], wts[96];
	allot_style_usd(v->budget_usd, bud);
	allot_month_format(s->as_of, a);
	allot_month_format(s->as_of + v->window - 1, e);
	if (r->n_reserve_emb == 0) {
		snprintf(emb, sizeof emb,
			 "the scenario as given: no supply row names china, so the default "
			 "embargo (china from %s for %d months) cannot apply; --reserve-embargo "
			 "names another source",
			 a, DEFAULT_EMBARGO_MONTHS);
	} else {
		scenarios_phrase(r, sc, sizeof sc);
		snprintf(emb, sizeof emb, "%s (%s), every mineral of the source%s", sc,
			 default_embargo ? "the default: china from as_of for 24 months; "
					   "--reserve-embargo SOURCE[:START:MONTHS] changes it"
					 : "--reserve-embargo",
			 r->n_reserve_emb > 1 ? ", each a scenario of equal weight" : "");
	}
	size_t used = 0;
	wts[0] = '\0';
	for (size_t t = 0; t < v->n_tiers && used < sizeof wts; t++) {
		int n = snprintf(wts + used, sizeof wts - used, "%s%g", t ? ", " : "",
				 v->tier_weight[t]);
		used += n > 0 ? (size_t)n : 0;
	}
	r->reserve_how = fmt(
		"What a strategic reserve of critical minerals should buy (kg added to the stock at "
		"%s, at the scenario's prices) within %s (%s) to keep the most "
		"priority-weighted units flowing (tier weights %s), under the embargo: %s. Units "
		"count when delivered in the window %s..%s (%d months%s), as the %s plan delivers "
		"them. %s Cover: "
		"months before a mineral first holds production back (the least over the "
		"scenarios); a full bar means it does not within the window.",
		a, bud,
		default_budget ? "the default; --reserve-budget changes it" : "--reserve-budget",
		wts, emb, a, e, v->window,
		r->n_reserve_emb ? ": the embargo's end plus the median lead time of the systems "
				   "with a bill of materials, at most the horizon"
				 : "",
		allot_policy_kind_name(r->o.policy), method_phrase(v, meth, sizeof meth));
	return r->reserve_how ? ALLOT_OK : ALLOT_ENOMEM;
}

/* The embargo scenarios: the options', else china from as_of for 24
 * months when a supply row names china, else none (as given). */
static int embargoes(struct allot_report *r, int *default_embargo)
{
	const struct allot_scenario *s = r->s;
	size_t n = r->o.n_reserve_embargoes;
	r->reserve_emb = mem_calloc(n ? n : 1, sizeof *r->reserve_emb);
	if (!r->reserve_emb)
		return ALLOT_ENOMEM;
	*default_embargo = n == 0;
	for (size_t k = 0; k < n; k++) {
		r->reserve_emb[k] = r->o.reserve_embargoes[k];
		r->reserve_emb[k].mineral = -1;
	}
	const char *china = n ? NULL : china_source(s);
	if (china) {
		struct allot_embargo e = { (char *)china, -1, s->as_of,
					   s->as_of + DEFAULT_EMBARGO_MONTHS - 1 };
		r->reserve_emb[0] = e;
		n = 1;
	}
	r->n_reserve_emb = n;
	return ALLOT_OK;
}

/* The reserve at the economy's scale (docs/reserve.md): the report's
 * embargoes whose source is a source group, else china for 24 months. */
static int economy_run(struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	size_t n = 0, want = r->o.n_reserve_embargoes;
	r->xreserve_emb = mem_calloc(want ? want : 1, sizeof *r->xreserve_emb);
	if (!r->xreserve_emb)
		return ALLOT_ENOMEM;
	for (size_t k = 0; k < want; k++)
		if (allot_source_group_parse(r->o.reserve_embargoes[k].source) >= 0) {
			r->xreserve_emb[n] = r->o.reserve_embargoes[k];
			r->xreserve_emb[n++].mineral = -1;
		}
	if (n == 0) {
		struct allot_embargo e = { (char *)"china", -1, s->as_of,
					   s->as_of + DEFAULT_EMBARGO_MONTHS - 1 };
		r->xreserve_emb[n++] = e;
	}
	struct allot_xreserve_options o;
	allot_xreserve_options_init(&o);
	o.budget_usd = r->o.reserve_budget_usd;
	o.embargoes = r->xreserve_emb;
	o.n_embargoes = n;
	o.methods = r->o.reserve_methods;
	struct allot_diags local;
	allot_diags_init(&local);
	int rc = allot_xreserve_run(r->o.reserve_economy, s, &o, &r->xreserve,
				    r->o.diags ? r->o.diags : &local);
	allot_diags_free(&local);
	if (rc != ALLOT_OK)
		return rc;
	const struct allot_xreserve *x = r->xreserve;
	double d0 = 0, d1 = 0;
	int lines = 0, kept = 0, aim0 = 0, aim1 = 0, bought = 0;
	for (size_t i = 0; i < x->n_minerals * ALLOT_CG_COUNT; i++)
		if (i % ALLOT_CG_COUNT < ALLOT_CG_DEFENCE_N) {
			d0 += x->cover_before[i];
			d1 += x->cover_after[i];
		}
	for (size_t l = 0; l < s->n_lines; l++)
		if (x->line_run_before[l] >= 0) {
			lines++;
			kept += x->line_run_after[l] >= 1 - 1e-9;
		}
	int cited = 0;
	for (size_t m = 0; m < x->n_minerals; m++) {
		bought += x->best_kg[m] > 0;
		cited += strncmp(x->e->m[m].basis, "price: USGS", 11) == 0;
	}
	struct allot_xr_aim aim;
	allot_xreserve_aim(x, &aim);
	aim0 = aim.before;
	aim1 = aim.after;
	char c[32], b[32];
	allot_style_usd(x->best.cost_usd, c);
	allot_style_usd(x->budget_usd, b);
	r->xreserve_headline = fmt(
		"At the economy's scale (%zu minerals covering the 2025 critical-minerals list, "
		"every consumer group, defence first; %s%s), %s of %s buys %d minerals and %s; "
		"defence cover rises from %.0f to %.0f days (summed over minerals and defence "
		"groups), %d of %d arms lines with bills of materials keep running, and %d "
		"minerals hold the stated aim of about 60 days of US consumption (%d today). "
		"%d of the %zu prices are USGS chapter prices; the other prices, the shares "
		"and the stocks are cited, labelled estimates or missing (critical_minerals.csv, "
		"column basis).",
		x->n_minerals, n == 1 ? "embargo: " : "",
		n == 1 ? r->xreserve_emb[0].source : "several embargo scenarios", c, b, bought,
		x->budget_binds ? "the budget binds"
				: "the budget does not bind (the market caps do)",
		d0, d1, kept, lines, aim1, aim0, cited, x->n_minerals);
	return r->xreserve_headline ? ALLOT_OK : ALLOT_ENOMEM;
}

int report_reserve_run(struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	if (s->n_minerals == 0) {
		r->reserve_note = mem_strdup("Skipped: the scenario has no minerals (minerals.csv "
					     "lists none), so there is no reserve to buy.");
		return r->reserve_note ? ALLOT_OK : ALLOT_ENOMEM;
	}
	int default_embargo;
	int rc = embargoes(r, &default_embargo);
	if (rc != ALLOT_OK)
		return rc;
	struct allot_reserve_options ro;
	allot_reserve_options_init(&ro);
	ro.budget_usd = r->o.reserve_budget_usd;
	ro.embargoes = r->n_reserve_emb ? r->reserve_emb : NULL;
	ro.n_embargoes = r->n_reserve_emb;
	ro.methods = r->o.reserve_methods;
	ro.policy = r->o.policy;
	ro.switch_month = r->o.switch_month;
	struct allot_diags local;
	allot_diags_init(&local);
	rc = allot_reserve_run(s, &ro, &r->reserve, r->o.diags ? r->o.diags : &local);
	allot_diags_free(&local);
	if (rc == ALLOT_OK)
		rc = how(r, r->o.reserve_budget_usd == REPORT_RESERVE_BUDGET, default_embargo);
	if (rc == ALLOT_OK)
		rc = headline(r);
	if (rc == ALLOT_OK && r->o.reserve_economy)
		rc = economy_run(r);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Tables: the workbook's "reserve" sheet, and the section's tables.       */

static void cover_cell(struct rtable *t, const struct allot_report *r,
		       const struct allot_reserve_outcome *x, size_t m)
{
	int c = report_reserve_cover(r, x, m);
	if (c >= r->reserve->window)
		rtable_empty(t);
	else
		rtable_int(t, c);
}

static int t_purchase(const struct allot_report *r, struct rtable *t)
{
	static const char *const cols[] = { "mineral",  "usd_per_kg",          "kg",
					    "cost_usd", "cover_before_months", "cover_after_months",
					    "lp_kg",    "heuristic_kg" };
	static const int num[] = { 0, 1, 1, 1, 1, 1, 1, 1 };
	const struct allot_reserve *v = r->reserve;
	const struct allot_reserve_outcome *b = allot_reserve_best(v);
	int rc = rtable_init(t, "reserve",
			     "Reserve purchase (recommended) and months of cover "
			     "(empty: does not bind within the window)",
			     8, cols, num);
	const struct allot_scenario *s = r->s;
	for (size_t m = 0; rc == ALLOT_OK && m < v->n_minerals; m++) {
		double price = s->minerals[m].price_usd_per_kg;
		rtable_str(t, s->minerals[m].mineral_id);
		rtable_num(t, price);
		rtable_num(t, (double)b->buy_g[m] / 1000.0);
		rtable_num(t, (double)b->buy_g[m] / 1000.0 * price);
		cover_cell(t, r, &v->base, m);
		cover_cell(t, r, b, m);
		if (v->methods & ALLOT_RESERVE_LP)
			rtable_num(t, (double)v->lp.buy_g[m] / 1000.0);
		else
			rtable_empty(t);
		if (v->methods & ALLOT_RESERVE_HEURISTIC)
			rtable_num(t, (double)v->heur.buy_g[m] / 1000.0);
		else
			rtable_empty(t);
	}
	if (rc == ALLOT_OK) {
		rtable_str(t, "total");
		rtable_empty(t);
		rtable_empty(t);
		rtable_num(t, b->cost_usd);
		for (int e = 0; e < 4; e++)
			rtable_empty(t);
	}
	return rc;
}

static int t_tiers(const struct allot_report *r, struct rtable *t)
{
	static const char *const cols[] = { "tier",
					    "weight",
					    "units_without",
					    "units_with",
					    "more_units",
					    "weighted_units_without",
					    "weighted_units_with" };
	static const int num[] = { 1, 1, 1, 1, 1, 1, 1 };
	const struct allot_reserve *v = r->reserve;
	const struct allot_reserve_outcome *b = allot_reserve_best(v);
	int rc = rtable_init(t, "reserve-tiers",
			     "Units delivered in the window by tier, without and with the reserve "
			     "(mean over the embargo scenarios)",
			     7, cols, num);
	for (size_t k = 0; rc == ALLOT_OK && k < v->n_tiers; k++) {
		double u0 = report_reserve_units(r, &v->base, k),
		       u1 = report_reserve_units(r, b, k);
		rtable_int(t, (int64_t)k + 1);
		rtable_num(t, v->tier_weight[k]);
		rtable_num(t, u0);
		rtable_num(t, u1);
		rtable_num(t, u1 - u0);
		rtable_num(t, u0 * v->tier_weight[k]);
		rtable_num(t, u1 * v->tier_weight[k]);
	}
	return rc;
}

static void method_row(struct rtable *t, const struct allot_reserve *v, const char *name,
		       const struct allot_reserve_outcome *x)
{
	rtable_str(t, name);
	rtable_num(t, x->cost_usd);
	rtable_num(t, x->objective);
	rtable_num(t, x->objective_mineral);
	if (v->methods & ALLOT_RESERVE_LP)
		rtable_num(t, allot_reserve_gap_pct(v, x));
	else
		rtable_empty(t);
}

static int t_methods(const struct allot_report *r, struct rtable *t)
{
	static const char *const cols[] = { "method", "cost_usd", "weighted_units",
					    "weighted_units_mineral_lines", "gap_to_bound_pct" };
	static const int num[] = { 0, 1, 1, 1, 1 };
	const struct allot_reserve *v = r->reserve;
	int rc = rtable_init(t, "reserve-methods",
			     "Methods: weighted units delivered (mean over the scenarios) and the "
			     "gap to the LP bound on the mineral lines",
			     5, cols, num);
	if (rc != ALLOT_OK)
		return rc;
	method_row(t, v, "none", &v->base);
	if (v->methods & ALLOT_RESERVE_LP) {
		rtable_str(t, "lp bound");
		rtable_empty(t);
		rtable_empty(t);
		rtable_num(t, v->lp_bound);
		rtable_num(t, 0);
		method_row(t, v,
			   v->recommended == ALLOT_RESERVE_LP ? "lp purchase (recommended)"
							      : "lp purchase",
			   &v->lp);
	}
	if (v->methods & ALLOT_RESERVE_HEURISTIC)
		method_row(t, v,
			   v->recommended == ALLOT_RESERVE_HEURISTIC ? "heuristic (recommended)"
								     : "heuristic",
			   &v->heur);
	return ALLOT_OK;
}

/* The economy's scale: every mineral with what is bought and why. */
static int t_economy(const struct allot_report *r, struct rtable *t)
{
	static const char *const cols[] = {
		"mineral",         "kg", "cost_usd", "china_share", "days_held_before",
		"days_held_after", "why"
	};
	static const int num[] = { 0, 1, 1, 1, 1, 1, 0 };
	const struct allot_xreserve *x = r->xreserve;
	int rc = rtable_init(t, "reserve-economy",
			     "Reserve at the economy's scale: purchase by mineral, days of all US "
			     "consumption held (aim: about 60; before is empty where the stock "
			     "held today is missing, and after then counts the purchase alone, "
			     "empty when nothing is bought) "
			     "and why",
			     7, cols, num);
	for (size_t m = 0; rc == ALLOT_OK && m < x->n_minerals; m++) {
		const struct allot_econ_mineral *e = &x->e->m[m];
		double per_day = e->consumption_kg_month / 30.436875;
		double held = e->stock_kg > 0 ? e->stock_kg : 0;
		rtable_str(t, e->mineral_id);
		rtable_num(t, x->best_kg[m]);
		rtable_num(t, x->best_cost[m]);
		if (e->share[ALLOT_SRC_CHINA] >= 0)
			rtable_num(t, e->share[ALLOT_SRC_CHINA]);
		else
			rtable_empty(t);
		if (per_day > 0) {
			/* A missing stock held today (< 0): no "before", and
			 * "after" is the days bought alone, a lower bound (the
			 * title says so). */
			if (e->stock_kg >= 0)
				rtable_num(t, held / per_day);
			else
				rtable_empty(t);
			/* Missing stock and nothing bought: "after" is unknown
			 * too, not 0 days (the CLI writes ">=0.0"). */
			if (e->stock_kg >= 0 || x->best_kg[m] > 0)
				rtable_num(t, (held + x->best_kg[m]) / per_day);
			else
				rtable_empty(t);
		} else {
			rtable_empty(t);
			rtable_empty(t);
		}
		char w[200];
		rtable_str(t, allot_xreserve_why(x, m, w, sizeof w));
	}
	return rc;
}

/* Days of cover by consumer group (allot_xreserve_groups): the same keys and
 * numbers as the CLI's "group" section, the API and the dashboard. */
static int t_economy_groups(const struct allot_report *r, struct rtable *t)
{
	static const char *const cols[] = { "group",       "minerals_short", "days_short",
					    "before",      "after",          "fewest_after_mineral",
					    "fewest_after" };
	static const int num[] = { 0, 1, 1, 1, 1, 0, 1 };
	const struct allot_xreserve *x = r->xreserve;
	struct allot_xr_group gr[ALLOT_CG_COUNT];
	allot_xreserve_groups(x, gr);
	int rc = rtable_init(
		t, "reserve-groups",
		"Reserve at the economy's scale: days of cover by consumer group during "
		"the embargo, before and after the purchase (sums over the minerals the "
		"group is short of; fewest: the mineral covered the fewest days after)",
		7, cols, num);
	for (int g = 0; rc == ALLOT_OK && g < ALLOT_CG_COUNT; g++) {
		if (!gr[g].n_short)
			continue;
		rtable_str(t, allot_cgroup_name((enum allot_cgroup)g));
		rtable_int(t, gr[g].n_short);
		rtable_num(t, gr[g].days_short);
		rtable_num(t, gr[g].before);
		rtable_num(t, gr[g].after);
		rtable_str(t, x->e->m[gr[g].fewest].mineral_id);
		rtable_num(t, gr[g].fewest_after);
	}
	return rc;
}

int report_reserve_tables(const struct allot_report *r, struct rtable *t, size_t *n)
{
	*n = 0;
	if (!r->reserve) {
		static const char *const cols[] = { "note" };
		int rc = rtable_init(t, "reserve", "Critical-minerals reserve", 1, cols, NULL);
		*n = 1;
		if (rc == ALLOT_OK)
			rtable_str(t, r->reserve_note);
		return rc;
	}
	int rc = t_purchase(r, &t[0]);
	*n = 1;
	if (rc == ALLOT_OK) {
		rc = t_tiers(r, &t[1]);
		*n = 2;
	}
	if (rc == ALLOT_OK) {
		rc = t_methods(r, &t[2]);
		*n = 3;
	}
	t[1].same_sheet = t[2].same_sheet = 1;
	if (rc == ALLOT_OK && r->xreserve) {
		rc = t_economy(r, &t[3]);
		*n = 4;
		t[3].same_sheet = 1;
	}
	if (rc == ALLOT_OK && r->xreserve) {
		rc = t_economy_groups(r, &t[4]);
		*n = 5;
		t[4].same_sheet = 1;
	}
	return rc;
}
