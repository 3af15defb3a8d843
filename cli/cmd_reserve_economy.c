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

#define AIM_DAYS ALLOT_XR_AIM_DAYS
#define DAYS     30.436875
#define G        ALLOT_CG_COUNT

static double days_held(const struct allot_econ_mineral *x, double kg)
{
	return allot_xreserve_days_held(x, kg);
}

static int stock_known(const struct allot_econ_mineral *x)
{
	return x->stock_kg >= 0;
}

static double gap_pct(double bound, double v)
{
	return bound > 0 ? 100 * (bound - v) / bound : 0;
}

static const char *why(const struct allot_xreserve *r, size_t m, char *buf, size_t n)
{
	return allot_xreserve_why(r, m, buf, n);
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
	static const char *const h[] = { "mineral",
					 "kg",
					 "cost_usd",
					 "usd_per_kg_today",
					 "usd_per_kg_paid",
					 "cap_kg",
					 "china_share",
					 "days_held_before",
					 "days_held_after",
					 "cover_days_per_usd_m",
					 "why" };
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
	static const char *const h[] = { "mineral", "group", "days_short",
					 "before",  "after", "gained" };
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
	/* the same by consumer group (allot_xreserve_groups: every face) */
	printf("\nby consumer group (sums over the minerals the group is short of; fewest:\n"
	       "the mineral covered the fewest days after the purchase)\n");
	static const char *const hg[] = { "group", "minerals_short",       "days_short",  "before",
					  "after", "fewest_after_mineral", "fewest_after" };
	static const int numg[] = { 0, 1, 1, 1, 1, 0, 1 };
	struct allot_xr_group gr[ALLOT_CG_COUNT];
	allot_xreserve_groups(r, gr);
	t = cli_table_new(7, hg, numg);
	for (int g = 0; g < G; g++) {
		if (!gr[g].n_short)
			continue;
		cli_table_add(t, allot_cgroup_name((enum allot_cgroup)g));
		cli_table_addf(t, "%d", gr[g].n_short);
		cli_table_addf(t, "%.1f", gr[g].days_short);
		cli_table_addf(t, "%.1f", gr[g].before);
		cli_table_addf(t, "%.1f", gr[g].after);
		cli_table_add(t, r->e->m[gr[g].fewest].mineral_id);
		cli_table_addf(t, "%.1f", gr[g].fewest_after);
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
	static const char *const h[] = { "method",     "cost_usd",      "defence_days",
					 "civil_days", "civil_gap_pct", "seconds" };
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
		printf("scenario %zu: %s\n", k + 1,
		       allot_xreserve_scenario_label(r, k, lab, sizeof lab));
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
	printf("\nbudget used %s of %s (%.1f %%); the budget %s\n",
	       allot_style_usd(r->best.cost_usd, b1), allot_style_usd(r->budget_usd, b2),
	       r->budget_usd > 0 ? 100 * r->best.cost_usd / r->budget_usd : 0,
	       r->budget_binds ? "binds"
			       : "does not bind: every shortfall the market caps allow "
				 "is covered");
	double more = r->next_billion.cost_usd;
	printf("the next USD 1 billion adds %.1f defence days and %.1f weighted civil days "
	       "(costing %s)\n",
	       r->next_billion.defence_days, r->next_billion.civil_days,
	       allot_style_usd(fabs(more) < 0.5 ? 0 : more, b1));
	double emb = 0;
	for (size_t k = 0; k < r->n_scenarios; k++)
		emb += r->prob[k] * DAYS *
		       (double)(r->emb[k].end_month - r->emb[k].start_month + 1);
	printf("days of cover, summed over minerals and groups: defence %.0f -> %.0f, "
	       "civilian %.0f -> %.0f (expected embargo: %.0f days)\n",
	       db, dd, cb, cd, emb);
	struct allot_xr_aim aim;
	allot_xreserve_aim(r, &aim);
	printf("against the stated aim of about %.0f days of supply: %d of %d minerals with a "
	       "consumption figure reach it before, %d after\n",
	       AIM_DAYS, aim.before, aim.n, aim.after);
}

/* ---- CSV and JSON ------------------------------------------------------------ */

static void csv_row(const char *section, const char *key, const char *metric, const char *fmt, ...)
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
	csv_row("summary", "all", "next_billion_civil_days", "%.3f", r->next_billion.civil_days);
	csv_row("summary", "all", "next_billion_cost_usd", "%.2f", r->next_billion.cost_usd);
	struct allot_xr_aim aim;
	allot_xreserve_aim(r, &aim);
	csv_row("summary", "all", "aim_days", "%.0f", AIM_DAYS);
	csv_row("summary", "all", "aim_minerals_with_consumption", "%d", aim.n);
	csv_row("summary", "all", "aim_reached_before", "%d", aim.before);
	csv_row("summary", "all", "aim_reached_after", "%d", aim.after);
	if (methods & ALLOT_RESERVE_LP) {
		csv_row("method", "lp", "defence_bound", "%.3f", r->lp_defence_bound);
		csv_row("method", "lp", "civil_bound", "%.3f", r->lp_civil_bound);
		csv_row("method", "lp", "cost_usd", "%.2f", r->lp.cost_usd);
		csv_row("method", "lp", "civil_days", "%.3f", r->lp.civil_days);
		csv_row("method", "lp", "budget_dual_civil_days_per_usd_m", "%.6g",
			r->budget_dual * 1e6);
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
			snprintf(key, sizeof key, "%s:%s", id,
				 allot_cgroup_name((enum allot_cgroup)g));
			csv_row("cover", key, "days_short", "%.3f", r->shortfall_days[i]);
			csv_row("cover", key, "before", "%.3f", r->cover_before[i]);
			csv_row("cover", key, "after", "%.3f", r->cover_after[i]);
		}
	}
	struct allot_xr_group gr[ALLOT_CG_COUNT];
	allot_xreserve_groups(r, gr);
	for (int g = 0; g < G; g++) {
		if (!gr[g].n_short)
			continue;
		const char *key = allot_cgroup_name((enum allot_cgroup)g);
		csv_row("group", key, "minerals_short", "%d", gr[g].n_short);
		csv_row("group", key, "days_short", "%.3f", gr[g].days_short);
		csv_row("group", key, "before", "%.3f", gr[g].before);
		csv_row("group", key, "after", "%.3f", gr[g].after);
		csv_row("group", key, "fewest_after_mineral", "%s",
			r->e->m[gr[g].fewest].mineral_id);
		csv_row("group", key, "fewest_after", "%.3f", gr[g].fewest_after);
	}
	for (size_t l = 0; l < s->n_lines; l++)
		if (r->line_run_before[l] >= 0) {
			csv_row("line", s->lines[l].line_id, "running_before", "%.4f",
				r->line_run_before[l]);
			csv_row("line", s->lines[l].line_id, "running_after", "%.4f",
				r->line_run_after[l]);
		}
	for (size_t i = 0; i < r->n_tiers; i++) {
		char key[32];
		snprintf(key, sizeof key, "%zu", i + 1);
		csv_row("tier", key, "foreign_units_protected", "%.1f", r->tier_units_protected[i]);
	}
}

static void print_json(const struct allot_xreserve *r, unsigned methods)
{
	json_t *root = allot_xreserve_json(r, methods, 1);
	if (root)
		json_dumpf(root, stdout,
			   JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	else
		printf("{\"error\": \"out of memory\"}");
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
				fprintf(stderr, "%s:%ld:%ld: %s\n", g->file, g->line, g->col,
					g->msg);
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
