/*
 * bench_reserve.c - solve time of allot reserve against problem size.
 *
 * For each size (orders, lines, minerals) a seeded synthetic scenario
 * (allot_synth_scenario, no events) is made scarce the way
 * tests/unit/test_reserve.c does it (stock / 2000, supply / 200), a
 * 24-month embargo on "china" is set and a 36-month window is planned.  It
 * prints the LP's size, the LP solve time (GLPK, both solves), the
 * heuristic's time and number of exact plans, and the gap of each purchase
 * to the LP bound.  Then the bundled dataset if data/default is found.
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
		{ 50, 5, 3, 10 },     { 200, 20, 5, 20 },    { 1000, 50, 8, 50 },
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
		snprintf(label, sizeof label, "synth %zuo/%zul/%zum", sizes[i].orders, sizes[i].lines,
			 sizes[i].minerals);
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
		allot_scenario_free(s);
	}
	allot_diags_free(&d);
	return 0;
}
