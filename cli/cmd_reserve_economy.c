/*
 * cmd_reserve_economy.c - the output of `allot reserve` at the economy's
 * scale (docs/reserve.md, "The economy's scale"): purchases in kg and USD
 * with the reason for every mineral, days of cover before and after for
 * each consumer group, days of supply against the aim of about 60 days, the
 * arms lines that keep running and the foreign units protected by tier, the
 * methods (LP bound, heuristic gap, times) and the next billion.  Called by
 * cmd_reserve.c once the options are parsed and the scenario is loaded.
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define AIM_DAYS 60.0
#define DAYS 30.436875
#define G ALLOT_CG_COUNT

/* Days of all US consumption the stock (today's plus kg) would last. */
/* Days of US consumption held: the stock held today plus kg bought.  -1
 * when consumption is missing.  A missing stock (stock_kg < 0) counts as
 * none here: the outputs show "missing" before and ">=" after. */
static double days_held(const struct allot_econ_mineral *x, double kg)
{
	double s = (x->stock_kg > 0 ? x->stock_kg : 0) + kg;
	return x->consumption_kg_month > 0 ? s / (x->consumption_kg_month / DAYS) : -1;
}

static int stock_known(const struct allot_econ_mineral *x)
{
	return x->stock_kg >= 0;
}

static double gap_pct(double bound, double v)
{
	return bound > 0 ? 100 * (bound - v) / bound : 0;
}

static const char *scen_label(const struct allot_xreserve *r, size_t k, char *buf, size_t n)
{
	char a[8], b[8];
	const struct allot_embargo *e = &r->emb[k];
	allot_month_format(e->start_month, a);
	allot_month_format(e->end_month, b);
	snprintf(buf, n, "%s stops its share of %s %s..%s (%d months), probability %.2f",
		 e->source, e->mineral < 0 ? "every mineral" : r->e->m[e->mineral].mineral_id, a, b,
		 (int)(e->end_month - e->start_month) + 1, r->prob[k]);
	return buf;
}

static int has_defence_use(const struct allot_xreserve *r, size_t m)
{
	if (r->e->m[m].enduse[0] > 0)
		return 1;
	for (int g = 0; g < 2; g++)
		for (int t = 0; t < r->months; t++)
			if (r->demand[(m * G + (size_t)g) * (size_t)r->months + (size_t)t] > 0)
				return 1;
	return 0;
}

static const char *why(const struct allot_xreserve *r, size_t m, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "%s", allot_xr_reason_text(r->reason[m]));
	if (r->reason[m] == ALLOT_XR_MISSING && r->missing[m] && len < n)
		len += (size_t)snprintf(buf + len, n - len, " (%s)", r->missing[m]);
	if (r->reason[m] != ALLOT_XR_MISSING && !has_defence_use(r, m) && len < n)
		snprintf(buf + len, n - len, "; no defence use");
	return buf;
}

static double sum_cover(const double *v, size_t m, int def)
{
	double s = 0;
	for (int g = def ? 0 : ALLOT_CG_DEFENCE_N; g < (def ? ALLOT_CG_DEFENCE_N : G); g++)
		s += v[m * G + (size_t)g];
	return s;
}

/* ---- text ------------------------------------------------------------------ */

static void text_purchase(const struct allot_xreserve *r)
{
	static const char *const h[] = { "mineral", "kg", "cost_usd", "usd_per_kg_today",
					 "usd_per_kg_paid", "cap_kg", "china_share",
					 "days_held_before", "days_held_after",
					 "cover_days_per_usd_m", "why" };
	static const int num[] = { 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
	struct cli_table *t = cli_table_new(11, h, num);
	for (size_t m = 0; m < r->n_minerals; m++) {
		const struct allot_econ_mineral *x = &r->e->m[m];
		double kg = r->best_kg[m];
		char w[200];
		cli_table_add(t, x->mineral_id);
		cli_table_addf(t, "%.0f", kg);
		cli_table_addf(t, "%.0f", r->best_cost[m]);
		if (x->price_usd_per_kg >= 0)
			cli_table_addf(t, "%g", x->price_usd_per_kg);
		else
			cli_table_add(t, "missing");
		if (kg > 0)
			cli_table_addf(t, "%.4g", r->best_cost[m] / kg);
		else
			cli_table_add(t, "-");
		if (r->cap_kg[m] >= 0)
			cli_table_addf(t, "%.0f", r->cap_kg[m]);
		else
			cli_table_add(t, "-");
		if (x->share[ALLOT_SRC_CHINA] >= 0)
			cli_table_addf(t, "%.3f", x->share[ALLOT_SRC_CHINA]);
		else
			cli_table_add(t, "missing");
		double b = days_held(x, 0), a = days_held(x, kg);
		if (b >= 0 && stock_known(x)) {
			cli_table_addf(t, "%.1f", b);
			cli_table_addf(t, "%.1f", a);
		} else if (b >= 0) { /* the stock held today is missing */
			cli_table_add(t, "missing");
			cli_table_addf(t, ">=%.1f", a);
		} else {
			cli_table_add(t, "missing");
			cli_table_add(t, "missing");
		}
		if (r->value_per_musd[m] >= 0)
			cli_table_addf(t, "%.4g", r->value_per_musd[m]);
		else
			cli_table_add(t, "-");
		cli_table_add(t, why(r, m, w, sizeof w));
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	printf("kg and USD: the recommended purchase; usd_per_kg_paid: the average on the\n"
	       "rising price curve; days_held: days of all US consumption the stock (held\n"
	       "today + bought) would last (aim: about %.0f days); cover_days_per_usd_m: days\n"
	       "of cover the first USD million of the mineral buys (weighted; the LP and the\n"
	       "heuristic buy where this is highest).  Stock held today: National Defense\n"
	       "Stockpile holdings where a figure by material is public, else an estimate,\n"
	       "else missing (days_held_before 'missing', days_held_after '>=' the days\n"
	       "bought); usd_per_kg_today: a USGS chapter price or an\n"
	       "estimate.  critical_minerals.csv, column basis, says which, mineral by\n"
	       "mineral.\n",
	       AIM_DAYS);
}

static void text_cover(const struct allot_xreserve *r)
{
	printf("\ndays of cover during the embargo (expected over the scenarios): days on\n"
	       "which the supply a group loses is met from the stock, before (stock held\n"
	       "today) and after the purchase; only groups that lose supply are listed\n");
	static const char *const h[] = { "mineral", "group", "days_short", "before", "after",
					 "gained" };
	static const int num[] = { 0, 0, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(6, h, num);
	for (size_t m = 0; m < r->n_minerals; m++)
		for (int g = 0; g < G; g++) {
			size_t i = m * G + (size_t)g;
			if (r->shortfall_days[i] <= 0)
				continue;
			cli_table_add(t, r->e->m[m].mineral_id);
			cli_table_add(t, allot_cgroup_name((enum allot_cgroup)g));
			cli_table_addf(t, "%.1f", r->shortfall_days[i]);
			cli_table_addf(t, "%.1f", r->cover_before[i]);
			cli_table_addf(t, "%.1f", r->cover_after[i]);
			cli_table_addf(t, "%+.1f", r->cover_after[i] - r->cover_before[i]);
		}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	/* the same by consumer group: sums over the minerals the group is short
	 * of, and the mineral that leaves it the fewest days */
	printf("\nby consumer group (sums over the minerals the group is short of; fewest:\n"
	       "the mineral covered the fewest days after the purchase)\n");
	static const char *const hg[] = { "group", "minerals_short", "days_short", "before",
					  "after", "fewest_after" };
	static const int numg[] = { 0, 1, 1, 1, 1, 0 };
	t = cli_table_new(6, hg, numg);
	for (int g = 0; g < G; g++) {
		int n = 0;
		double sh = 0, be = 0, af = 0, low = 0;
		size_t lowm = 0;
		for (size_t m = 0; m < r->n_minerals; m++) {
			size_t i = m * G + (size_t)g;
			if (r->shortfall_days[i] <= 0)
				continue;
			if (!n || r->cover_after[i] < low) {
				low = r->cover_after[i];
				lowm = m;
			}
			n++;
			sh += r->shortfall_days[i];
			be += r->cover_before[i];
			af += r->cover_after[i];
		}
		if (!n)
			continue;
		cli_table_add(t, allot_cgroup_name((enum allot_cgroup)g));
		cli_table_addf(t, "%d", n);
		cli_table_addf(t, "%.1f", sh);
		cli_table_addf(t, "%.1f", be);
		cli_table_addf(t, "%.1f", af);
		cli_table_addf(t, "%s %.1f", r->e->m[lowm].mineral_id, low);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
}

static void text_lines(const struct allot_xreserve *r)
{
	const struct allot_scenario *s = r->s;
	printf("\narms lines (bills of materials): share of the embargo months each keeps\n"
	       "running (every modelled mineral of its bill fully supplied), before and after\n");
	static const char *const h[] = { "line", "running_before_pct", "running_after_pct" };
	static const int num[] = { 0, 1, 1 };
	struct cli_table *t = cli_table_new(3, h, num);
	int n = 0, kept = 0;
	for (size_t l = 0; l < s->n_lines; l++) {
		if (r->line_run_before[l] < 0)
			continue;
		n++;
		kept += r->line_run_after[l] >= 1 - 1e-9;
		cli_table_add(t, s->lines[l].line_id);
		cli_table_addf(t, "%.0f", 100 * r->line_run_before[l]);
		cli_table_addf(t, "%.0f", 100 * r->line_run_after[l]);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	printf("%d of %d arms lines keep running through the embargo with the purchase\n", kept, n);
	printf("foreign units protected by partner tier (line output kept running, split by\n"
	       "the tiers of the line's open orders):");
	for (size_t i = 0; i < r->n_tiers; i++)
		printf(" tier %zu %.0f%s", i + 1, r->tier_units_protected[i],
		       i + 1 < r->n_tiers ? "," : "\n");
}

static void text_methods(const struct allot_xreserve *r, unsigned methods)
{
	char b1[32];
	printf("\nmethods (defence days = expected days of cover summed over minerals and the\n"
	       "three defence groups; civil days weighted 8, 4, 2, 1 in the civil order;\n"
	       "judged by the release rule: defence first)\n");
	static const char *const h[] = { "method", "cost_usd", "defence_days", "civil_days",
					 "civil_gap_pct", "seconds" };
	static const int num[] = { 0, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(6, h, num);
	cli_table_add(t, "none");
	cli_table_add(t, "0");
	cli_table_addf(t, "%.1f", r->none.defence_days);
	cli_table_addf(t, "%.1f", r->none.civil_days);
	cli_table_addf(t, (methods & ALLOT_RESERVE_LP) ? "%.2f" : "-",
		       gap_pct(r->lp_civil_bound, r->none.civil_days));
	cli_table_add(t, "");
	if (methods & ALLOT_RESERVE_LP) {
		cli_table_add(t, "lp bound");
		cli_table_add(t, "");
		cli_table_addf(t, "%.1f", r->lp_defence_bound);
		cli_table_addf(t, "%.1f", r->lp_civil_bound);
		cli_table_add(t, "0.00");
		cli_table_add(t, "");
		cli_table_add(t, "lp");
		cli_table_addf(t, "%.0f", r->lp.cost_usd);
		cli_table_addf(t, "%.1f", r->lp.defence_days);
		cli_table_addf(t, "%.1f", r->lp.civil_days);
		cli_table_addf(t, "%.2f", gap_pct(r->lp_civil_bound, r->lp.civil_days));
		cli_table_addf(t, "%.3f", r->lp_seconds);
	}
	if (methods & ALLOT_RESERVE_HEURISTIC) {
		cli_table_add(t, "heuristic");
		cli_table_addf(t, "%.0f", r->heur.cost_usd);
		cli_table_addf(t, "%.1f", r->heur.defence_days);
		cli_table_addf(t, "%.1f", r->heur.civil_days);
		if (methods & ALLOT_RESERVE_LP)
			cli_table_addf(t, "%.2f", gap_pct(r->lp_civil_bound, r->heur.civil_days));
		else
			cli_table_add(t, "-");
		cli_table_addf(t, "%.3f", r->heur_seconds);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	if (methods & ALLOT_RESERVE_LP)
		printf("LP: %d rows, %d columns, %d non-zeros (GLPK simplex, 3 passes; %.3f s more "
		       "for budget + USD 1 billion, warm); budget dual %.3g weighted civil days per "
		       "USD million\n",
		       r->lp_rows, r->lp_cols, r->lp_nonzeros, r->lp_next_seconds,
		       r->budget_dual * 1e6);
	printf("recommended: %s (%s)\n", r->recommended == ALLOT_RESERVE_LP ? "lp" : "heuristic",
	       allot_style_usd(r->best.cost_usd, b1));
}

static void print_text(const struct allot_xreserve *r, unsigned methods)
{
	char lab[200], b1[32], b2[32];
	printf("critical-minerals reserve at the economy's scale: %zu minerals "
	       "(critical_minerals.csv), budget %s\n",
	       r->n_minerals, allot_style_usd(r->budget_usd, b1));
	for (size_t k = 0; k < r->n_scenarios; k++)
		printf("scenario %zu: %s\n", k + 1, scen_label(r, k, lab, sizeof lab));
	printf("\n");
	text_purchase(r);
	text_cover(r);
	text_lines(r);
	text_methods(r, methods);
	double dd = 0, db = 0, cd = 0, cb = 0;
	for (size_t m = 0; m < r->n_minerals; m++) {
		dd += sum_cover(r->cover_after, m, 1);
		db += sum_cover(r->cover_before, m, 1);
		cd += sum_cover(r->cover_after, m, 0);
		cb += sum_cover(r->cover_before, m, 0);
	}
	printf("\nbudget used %s of %s (%.1f %%); the budget %s\n", allot_style_usd(r->best.cost_usd, b1),
	       allot_style_usd(r->budget_usd, b2),
	       r->budget_usd > 0 ? 100 * r->best.cost_usd / r->budget_usd : 0,
	       r->budget_binds ? "binds" : "does not bind: every shortfall the market caps allow "
					   "is covered");
	double more = r->next_billion.cost_usd;
	printf("the next USD 1 billion adds %.1f defence days and %.1f weighted civil days "
	       "(costing %s)\n",
	       r->next_billion.defence_days, r->next_billion.civil_days,
	       allot_style_usd(fabs(more) < 0.5 ? 0 : more, b1));
	double emb = 0;
	for (size_t k = 0; k < r->n_scenarios; k++)
		emb += r->prob[k] * DAYS * (double)(r->emb[k].end_month - r->emb[k].start_month + 1);
	printf("days of cover, summed over minerals and groups: defence %.0f -> %.0f, "
	       "civilian %.0f -> %.0f (expected embargo: %.0f days)\n",
	       db, dd, cb, cd, emb);
	int n = 0, before = 0, after = 0;
	for (size_t m = 0; m < r->n_minerals; m++) {
		double b = days_held(&r->e->m[m], 0), a = days_held(&r->e->m[m], r->best_kg[m]);
		if (b < 0)
			continue;
		n++;
		before += b >= AIM_DAYS;
		after += a >= AIM_DAYS;
	}
	printf("against the stated aim of about %.0f days of supply: %d of %d minerals with a "
	       "consumption figure reach it before, %d after\n", AIM_DAYS, before, n, after);
}

/* ---- CSV and JSON ------------------------------------------------------------ */

static void csv_row(const char *section, const char *key, const char *metric, const char *fmt,
		    ...)
{
	printf("%s,%s,%s,", section, key, metric);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void print_csv(const struct allot_xreserve *r, unsigned methods)
{
	const struct allot_scenario *s = r->s;
	printf("section,key,metric,value\n");
	csv_row("summary", "all", "budget_usd", "%.2f", r->budget_usd);
	csv_row("summary", "all", "cost_usd", "%.2f", r->best.cost_usd);
	csv_row("summary", "all", "budget_binds", "%d", r->budget_binds);
	csv_row("summary", "all", "recommended", "%s",
		r->recommended == ALLOT_RESERVE_LP ? "lp" : "heuristic");
	csv_row("summary", "all", "defence_days", "%.3f", r->best.defence_days);
	csv_row("summary", "all", "civil_days", "%.3f", r->best.civil_days);
	csv_row("summary", "all", "next_billion_defence_days", "%.3f",
		r->next_billion.defence_days);
	csv_row("summary", "all", "next_billion_civil_days", "%.3f",
		r->next_billion.civil_days);
	if (methods & ALLOT_RESERVE_LP) {
		csv_row("method", "lp", "defence_bound", "%.3f", r->lp_defence_bound);
		csv_row("method", "lp", "civil_bound", "%.3f", r->lp_civil_bound);
		csv_row("method", "lp", "cost_usd", "%.2f", r->lp.cost_usd);
		csv_row("method", "lp", "civil_days", "%.3f", r->lp.civil_days);
	}
	if (methods & ALLOT_RESERVE_HEURISTIC) {
		csv_row("method", "heuristic", "cost_usd", "%.2f", r->heur.cost_usd);
		csv_row("method", "heuristic", "defence_days", "%.3f", r->heur.defence_days);
		csv_row("method", "heuristic", "civil_days", "%.3f", r->heur.civil_days);
	}
	for (size_t m = 0; m < r->n_minerals; m++) {
		const char *id = r->e->m[m].mineral_id;
		char w[200];
		csv_row("purchase", id, "kg", "%.3f", r->best_kg[m]);
		csv_row("purchase", id, "cost_usd", "%.2f", r->best_cost[m]);
		csv_row("purchase", id, "reason", "\"%s\"", why(r, m, w, sizeof w));
		double b = days_held(&r->e->m[m], 0);
		if (b >= 0) {
			/* A missing stock: no "before", and "after" is the days
			 * bought, a lower bound (stock_held_today says so). */
			if (stock_known(&r->e->m[m]))
				csv_row("purchase", id, "days_held_before", "%.3f", b);
			else
				csv_row("purchase", id, "stock_held_today", "%s", "missing");
			csv_row("purchase", id, "days_held_after", "%.3f",
				days_held(&r->e->m[m], r->best_kg[m]));
		}
		for (int g = 0; g < G; g++) {
			size_t i = m * G + (size_t)g;
			if (r->shortfall_days[i] <= 0)
				continue;
			char key[128];
			snprintf(key, sizeof key, "%s:%s", id, allot_cgroup_name((enum allot_cgroup)g));
			csv_row("cover", key, "days_short", "%.3f", r->shortfall_days[i]);
			csv_row("cover", key, "before", "%.3f", r->cover_before[i]);
			csv_row("cover", key, "after", "%.3f", r->cover_after[i]);
		}
	}
	for (size_t l = 0; l < s->n_lines; l++)
		if (r->line_run_before[l] >= 0) {
			csv_row("line", s->lines[l].line_id, "running_before", "%.4f", r->line_run_before[l]);
			csv_row("line", s->lines[l].line_id, "running_after", "%.4f", r->line_run_after[l]);
		}
	for (size_t i = 0; i < r->n_tiers; i++) {
		char key[32];
		snprintf(key, sizeof key, "%zu", i + 1);
		csv_row("tier", key, "foreign_units_protected", "%.1f", r->tier_units_protected[i]);
	}
}

static void print_json(const struct allot_xreserve *r, unsigned methods)
{
	const struct allot_scenario *s = r->s;
	json_t *scen = json_array(), *purchase = json_array(), *lines = json_array();
	json_t *tiers = json_array();
	char lab[200];
	for (size_t k = 0; k < r->n_scenarios; k++)
		json_array_append_new(scen, json_string(scen_label(r, k, lab, sizeof lab)));
	for (size_t m = 0; m < r->n_minerals; m++) {
		const struct allot_econ_mineral *x = &r->e->m[m];
		char w[200];
		json_t *cov = json_object();
		for (int g = 0; g < G; g++) {
			size_t i = m * G + (size_t)g;
			if (r->shortfall_days[i] > 0)
				json_object_set_new(cov, allot_cgroup_name((enum allot_cgroup)g),
						    json_pack("{s:f, s:f, s:f}", "days_short",
							      r->shortfall_days[i], "before",
							      r->cover_before[i], "after",
							      r->cover_after[i]));
		}
		double b = days_held(x, 0);
		json_t *j = json_pack("{s:s, s:f, s:f, s:s, s:o}", "mineral", x->mineral_id, "kg",
				      r->best_kg[m], "cost_usd", r->best_cost[m], "why",
				      why(r, m, w, sizeof w), "cover_days", cov);
		json_object_set_new(j, "days_held_before",
				    b >= 0 && stock_known(x) ? json_real(b) : json_null());
		json_object_set_new(j, "days_held_after",
				    b >= 0 ? json_real(days_held(x, r->best_kg[m])) : json_null());
		/* false: the stock held today is missing, days_held_after is
		 * the days bought alone (a lower bound). */
		json_object_set_new(j, "stock_known", json_boolean(stock_known(x)));
		json_array_append_new(purchase, j);
	}
	for (size_t l = 0; l < s->n_lines; l++)
		if (r->line_run_before[l] >= 0)
			json_array_append_new(lines, json_pack("{s:s, s:f, s:f}", "line",
							       s->lines[l].line_id, "running_before",
							       r->line_run_before[l], "running_after",
							       r->line_run_after[l]));
	for (size_t i = 0; i < r->n_tiers; i++)
		json_array_append_new(tiers, json_real(r->tier_units_protected[i]));
	json_t *root = json_pack("{s:f, s:f, s:b, s:s, s:o, s:o}", "budget_usd", r->budget_usd,
				 "cost_usd", r->best.cost_usd, "budget_binds", r->budget_binds,
				 "recommended",
				 r->recommended == ALLOT_RESERVE_LP ? "lp" : "heuristic",
				 "scenarios", scen, "purchase", purchase);
	json_object_set_new(root, "lines", lines);
	json_object_set_new(root, "foreign_units_protected_by_tier", tiers);
	json_object_set_new(root, "defence_days", json_real(r->best.defence_days));
	json_object_set_new(root, "civil_days", json_real(r->best.civil_days));
	json_object_set_new(root, "next_billion",
			    json_pack("{s:f, s:f, s:f}", "defence_days",
				      r->next_billion.defence_days,
				      "civil_days", r->next_billion.civil_days,
				      "cost_usd", r->next_billion.cost_usd));
	if (methods & ALLOT_RESERVE_LP)
		json_object_set_new(root, "lp",
				    json_pack("{s:f, s:f, s:f, s:f, s:i, s:i, s:i, s:f}",
					      "defence_bound", r->lp_defence_bound, "civil_bound",
					      r->lp_civil_bound, "cost_usd", r->lp.cost_usd,
					      "civil_days", r->lp.civil_days, "rows", r->lp_rows,
					      "columns", r->lp_cols, "nonzeros", r->lp_nonzeros,
					      "seconds", r->lp_seconds));
	if (methods & ALLOT_RESERVE_LP)
		json_object_set_new(json_object_get(root, "lp"), "next_billion_seconds",
				    json_real(r->lp_next_seconds));
	if (methods & ALLOT_RESERVE_HEURISTIC)
		json_object_set_new(root, "heuristic",
				    json_pack("{s:f, s:f, s:f, s:f}", "cost_usd", r->heur.cost_usd,
					      "defence_days", r->heur.defence_days, "civil_days",
					      r->heur.civil_days, "seconds", r->heur_seconds));
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	fputc('\n', stdout);
	json_decref(root);
}

int cli_reserve_economy(const struct allot_scenario *s, const char *path,
			const struct allot_xreserve_options *o, enum cli_format fmt)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_economy *e = NULL;
	struct allot_xreserve *r = NULL;
	int rc = allot_economy_load(path, &e, &d);
	if (rc == ALLOT_OK)
		rc = allot_xreserve_run(e, s, o, &r, &d);
	if (rc != ALLOT_OK) {
		for (size_t i = 0; i < d.n; i++) {
			const struct allot_diag *g = &d.v[i];
			if (g->file && g->file[0] && strcmp(g->file, "reserve") != 0)
				fprintf(stderr, "%s:%ld:%ld: %s\n", g->file, g->line, g->col, g->msg);
			else
				fprintf(stderr, "allot reserve: %s\n", g->msg);
		}
		if (d.n == 0)
			fprintf(stderr, "allot reserve: %s\n", allot_strerror(rc));
	} else if (fmt == CLI_JSON) {
		print_json(r, o->methods);
	} else if (fmt == CLI_CSV) {
		print_csv(r, o->methods);
	} else {
		print_text(r, o->methods);
	}
	allot_xreserve_free(r);
	allot_economy_free(e);
	allot_diags_free(&d);
	return cli_exit_code(rc);
}
