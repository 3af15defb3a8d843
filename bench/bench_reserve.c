/*
 * bench_reserve.c - solve time of allot reserve against problem size.
 *
 * For each size (orders, lines, minerals) a seeded synthetic scenario
 * (allot_synth_scenario, no events) is made scarce the way
 * tests/unit/test_reserve.c does it (stock / 2000, supply / 200), a
 * 24-month embargo on "china" is set and a 36-month window is planned.  It
 * prints the LP's size, the LP solve time (GLPK, both solves), the
 * heuristic's time and number of exact plans, and the gap of each purchase
 * to the LP bound.  Then the bundled dataset if data/default is found,
 * and the reserve at the economy's scale (allot_xreserve_run) on it for a
 * 24-month Chinese embargo, four scenarios up to 180 months, and three
 * 180-month embargoes on every source group plus one of 120 months.
 *
 * usage: bench_reserve [--quick] [--scenarios K]
 */
#include <allot/allot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct size {
	size_t orders, lines, minerals, partners;
};

static int run(const struct allot_scenario *s, size_t k, int window, const char *label)
{
	struct allot_embargo e[4];
	for (size_t i = 0; i < k; i++) {
		e[i].source = i % 2 ? "allied" : "china";
		e[i].mineral = -1;
		e[i].start_month = s->as_of + (allot_month)(6 * (i / 2));
		e[i].end_month = e[i].start_month + 23;
	}
	struct allot_reserve_options o;
	allot_reserve_options_init(&o);
	o.budget_usd = 5e6;
	o.embargoes = e;
	o.n_embargoes = k;
	o.window_months = window;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_reserve *r = NULL;
	int rc = allot_reserve_run(s, &o, &r, &d);
	if (rc != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		allot_diags_free(&d);
		return 1;
	}
	printf("%-22s %2zu %7d %7d %8d %9.3f %9.3f %7zu %8.2f %8.2f\n", label, k, r->lp_rows,
	       r->lp_cols, r->lp_nonzeros, r->lp_seconds, r->heur_seconds, r->heur_plans,
	       allot_reserve_gap_pct(r, &r->lp), allot_reserve_gap_pct(r, &r->heur));
	fflush(stdout);
	allot_reserve_free(r);
	allot_diags_free(&d);
	return 0;
}

/* The economy's scale: k embargoes (source, months), all from as_of. */
static void run_economy(const struct allot_scenario *s, const struct allot_economy *e,
			const char *const *src, const int *months, size_t k, const char *label)
{
	struct allot_embargo emb[4];
	for (size_t i = 0; i < k; i++) {
		emb[i].source = (char *)src[i];
		emb[i].mineral = -1;
		emb[i].start_month = s->as_of;
		emb[i].end_month = s->as_of + months[i] - 1;
	}
	struct allot_xreserve_options o;
	allot_xreserve_options_init(&o);
	o.budget_usd = 12e9;
	o.embargoes = emb;
	o.n_embargoes = k;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_xreserve *r = NULL;
	if (allot_xreserve_run(e, s, &o, &r, &d) == ALLOT_OK) {
		double b = r->lp_civil_bound;
		printf("%-30s %zu %6d %6d %7d %8.3f %8.3f %8.4f %9.2f %9.2f %5.2f\n", label, k,
		       r->lp_rows, r->lp_cols, r->lp_nonzeros, r->lp_seconds, r->lp_next_seconds,
		       r->heur_seconds, b > 0 ? 100 * (b - r->lp.civil_days) / b : 0,
		       b > 0 ? 100 * (b - r->heur.civil_days) / b : 0, r->best.cost_usd / 1e9);
	}
	allot_xreserve_free(r);
	allot_diags_free(&d);
}

static void economy(const struct allot_scenario *s)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_economy *e = NULL;
	if (allot_economy_load("data/default/critical_minerals.csv", &e, &d) == ALLOT_OK) {
		static const char *const one[] = { "china" };
		static const int m1[] = { 24 };
		static const char *const four[] = { "china", "china", "allies", "others" };
		static const int m4[] = { 24, 120, 12, 180 };
		static const char *const all[] = { "china", "allies", "others", "china" };
		static const int ma[] = { 180, 180, 180, 120 };
		printf("\neconomy's scale (data/default/critical_minerals.csv, USD 12 billion; gaps: "
		       "civilian days against the LP bound)\n");
		printf("%-30s %s %6s %6s %7s %8s %8s %8s %9s %9s %5s\n", "embargoes", "K", "rows",
		       "cols", "nonzero", "lp_s", "next_s", "heur_s", "lp_gap%", "heur_gap%",
		       "usd_bn");
		run_economy(s, e, one, m1, 1, "china 24");
		run_economy(s, e, four, m4, 4, "china 24+120, allies 12, others 180");
		run_economy(s, e, all, ma, 4, "all sources 180, china 120");
	}
	allot_economy_free(e);
	allot_diags_free(&d);
}

int main(int argc, char **argv)
{
	int quick = 0;
	size_t k = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else if (strcmp(argv[i], "--scenarios") == 0 && i + 1 < argc)
			k = (size_t)atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: bench_reserve [--quick] [--scenarios 1..4]\n");
			return 2;
		}
	}
	if (k < 1 || k > 4)
		k = 1;
	static const struct size sizes[] = {
		{ 50, 5, 3, 10 },       { 200, 20, 5, 20 },      { 1000, 50, 8, 50 },
		{ 4000, 100, 10, 100 }, { 10000, 200, 12, 200 },
	};
	size_t n = quick ? 3 : sizeof sizes / sizeof *sizes;
	printf("%-22s %2s %7s %7s %8s %9s %9s %7s %8s %8s\n", "scenario", "K", "rows", "cols",
	       "nonzero", "lp_s", "heur_s", "plans", "lp_gap%", "heur_gap%");
	for (size_t i = 0; i < n; i++) {
		struct allot_synth_params sp;
		allot_synth_params_init(&sp);
		sp.seed = 42;
		sp.orders = sizes[i].orders;
		sp.lines = sizes[i].lines;
		sp.minerals = sizes[i].minerals;
		sp.partners = sizes[i].partners;
		sp.horizon_months = 60;
		sp.events = 0;
		struct allot_scenario *s = NULL;
		if (allot_synth_scenario(&sp, &s) != ALLOT_OK)
			return 1;
		for (size_t m = 0; m < s->n_minerals; m++)
			s->minerals[m].stock_g /= 2000;
		for (size_t x = 0; x < s->n_supply; x++)
			s->supply[x].g_per_month /= 200;
		char label[64];
		snprintf(label, sizeof label, "synth %zuo/%zul/%zum", sizes[i].orders,
			 sizes[i].lines, sizes[i].minerals);
		int rc = run(s, k, 36, label);
		allot_scenario_free(s);
		if (rc)
			return 1;
	}
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	if (allot_scenario_load("data/default", &s, &d) == ALLOT_OK) {
		run(s, k, 0, "data/default");
		economy(s);
		allot_scenario_free(s);
	}
	allot_diags_free(&d);
	return 0;
}
