/*
 * test_reserve.c - allot_reserve_run against purchases worked out by hand
 * (docs/reserve.md), the LP bound against the exact planner on random
 * scenarios, the heuristic's gap to the bound, and a run on the bundled
 * dataset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

/* Measured on the 50 random cases (docs/reserve.md), with some margin. */
#define RANDOM_MAX_GAP_PCT  35.0
#define RANDOM_MEAN_GAP_PCT 8.0

/* A partner scoring 100 (tier 1) and one scoring 3 (tier 3). */
static int strong(struct allot_scenario *s, const char *iso3)
{
	return tu_partner(s, iso3, "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
}

static int weak(struct allot_scenario *s, const char *iso3)
{
	return tu_partner(s, iso3, "africa", 0, 0, 0, 0, 0, 0, 0);
}

static int mineral(struct allot_scenario *s, const char *id, double stock_kg, double price)
{
	int m = tu_mineral(s, id, stock_kg);
	s->minerals[m].price_usd_per_kg = price;
	return m;
}

static struct allot_reserve *run(const struct allot_scenario *s, double budget,
				 const struct allot_embargo *e, size_t ne, int window,
				 enum allot_reserve_objective obj)
{
	struct allot_reserve_options o;
	allot_reserve_options_init(&o);
	o.budget_usd = budget;
	o.embargoes = e;
	o.n_embargoes = ne;
	o.window_months = window;
	o.objective = obj;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_reserve *r = NULL;
	int rc = allot_reserve_run(s, &o, &r, &d);
	if (rc != ALLOT_OK)
		allot_diags_print(&d, stderr);
	allot_diags_free(&d);
	assert_int_equal(rc, ALLOT_OK);
	return r;
}

static struct allot_embargo china(const char *start, const char *end)
{
	struct allot_embargo e = { "china", -1, tu_m(start), end ? tu_m(end) : ALLOT_NO_MONTH };
	return e;
}

/* One binding mineral.  A 10/month line makes S (1 kg of X a unit, no lead
 * time) for a tier-1 order of 100.  X: 20 kg in stock, 5 kg/month from
 * China, embargoed for the six months of the window.  Without a reserve
 * the line makes 10 + 10 units and stops; 60 units (10 a month) need 60 kg,
 * so the best purchase is exactly 40 kg (USD 400 at 10/kg) of the USD 1000
 * budget, worth 40 more tier-1 units (weight 3). */
static void one_binding_mineral(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 12);
	int a = strong(s, "AAA");
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	tu_order(s, "O1", a, y, 100, 0, "2024-01", NULL, -1);
	int x = mineral(s, "X", 20, 10);
	tu_supply(s, x, "china", 5);
	tu_bom(s, y, x, 1);
	struct allot_embargo e = china("2025-01", "2025-06");
	struct allot_reserve *r = run(s, 1000, &e, 1, 0, ALLOT_RESERVE_EXPECTED);

	assert_int_equal(r->window, 6); /* embargo end + 1 + median lead 0 */
	assert_int_equal(r->base.units_by_tier[0], 20);
	assert_int_equal(r->base.cover[0], 2); /* binds from month 2 */
	assert_true(r->base.binding[2 * 1 + 0]);
	assert_false(r->base.binding[1 * 1 + 0]);
	assert_true(fabs(r->lp_kg[0] - 40) < 1e-6);
	assert_true(fabs(r->lp_bound - 180) < 1e-6);
	assert_int_equal(r->lp.buy_g[0], 40000);
	assert_int_equal(r->heur.buy_g[0], 40000);
	assert_true(fabs(r->heur.cost_usd - 400) < 1e-9);
	assert_int_equal(r->heur.units_by_tier[0], 60);
	/* USD of those units: 20 and 60 at USD 1 million each */
	assert_true(fabs(r->base.usd_by_tier[0].known - 20e6) < 1e-3);
	assert_true(fabs(r->heur.usd_by_tier[0].known - 60e6) < 1e-3);
	assert_int_equal(r->heur.usd_by_tier[0].unknown_units, 0);
	assert_true(fabs(r->heur.objective - 180) < 1e-9);
	assert_int_equal(r->heur.cover[0], 6);
	assert_true(fabs(allot_reserve_gap_pct(r, &r->heur)) < 1e-9);
	allot_reserve_free(r);
	allot_scenario_free(s);
}

/* The same line and mineral, but the order may not be delivered before
 * 2025-04 (not_before; lead 0): the planner makes it from month 3 only,
 * so 30 units fit in the six months, 20 from the stock and 10 from a
 * purchase of 10 kg; the LP's bound is those 30 tier-1 units (90), not
 * the 60 an order eligible from its LOA would give (docs/reserve.md, "The
 * LP relaxation": an order's first eligible month is the planner's). */
static void not_before_holds_the_lp_too(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 12);
	int a = strong(s, "AAA");
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	int o = tu_order(s, "O1", a, y, 100, 0, "2024-01", NULL, -1);
	s->orders[o].not_before = tu_m("2025-04");
	int x = mineral(s, "X", 20, 10);
	tu_supply(s, x, "china", 5);
	tu_bom(s, y, x, 1);
	struct allot_embargo e = china("2025-01", "2025-06");
	struct allot_reserve *r = run(s, 1000, &e, 1, 0, ALLOT_RESERVE_EXPECTED);

	assert_int_equal(r->window, 6);
	assert_int_equal(r->base.units_by_tier[0], 20); /* months 3 and 4 */
	assert_int_equal(r->base.cover[0], 5);
	assert_true(fabs(r->lp_kg[0] - 10) < 1e-6);
	assert_true(fabs(r->lp_bound - 90) < 1e-6);
	assert_int_equal(r->heur.buy_g[0], 10000);
	assert_int_equal(r->heur.units_by_tier[0], 30);
	assert_true(fabs(allot_reserve_gap_pct(r, &r->heur)) < 1e-9);
	allot_reserve_free(r);
	/* With no stock the mineral binds when the order first wants units,
	 * month 3, not in the months it is held back. */
	s->minerals[x].stock_g = 0;
	r = run(s, 0, &e, 1, 0, ALLOT_RESERVE_EXPECTED);
	assert_int_equal(r->base.units_by_tier[0], 0);
	assert_int_equal(r->base.cover[0], 3);
	allot_reserve_free(r);
	allot_scenario_free(s);
}

/* Two minerals compete for USD 400.  Line LA makes A (1 kg X, USD 10/kg)
 * for a tier-1 order, line LB makes B (1 kg Y, USD 2/kg) for a tier-3
 * order; no stock, no supply, 10 units a month each over 6 months.  Value
 * per dollar: Y 1/2 = 0.5, X 3/10 = 0.3: buy all the Y that helps (60 kg,
 * USD 120), then X with the rest (USD 280 = 28 kg).  Value 60 + 3 x 28 =
 * 144. */
static void two_minerals_compete(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 6);
	int a = strong(s, "AAA"), b = weak(s, "BBB");
	int la = tu_line(s, "LA", 10, 0), lb = tu_line(s, "LB", 10, 0);
	int ya = tu_system(s, "A", la, 1e6, 0, 0), yb = tu_system(s, "B", lb, 1e6, 0, 0);
	tu_order(s, "OA", a, ya, 100, 0, "2024-01", NULL, -1);
	tu_order(s, "OB", b, yb, 100, 0, "2024-01", NULL, -1);
	int x = mineral(s, "X", 0, 10), yy = mineral(s, "Y", 0, 2);
	tu_bom(s, ya, x, 1);
	tu_bom(s, yb, yy, 1);
	s->systems[yb].unit_cost_usd = NAN; /* B's unit cost unknown: never USD 0 */
	struct allot_reserve *r = run(s, 400, NULL, 0, 0, ALLOT_RESERVE_EXPECTED);

	assert_int_equal(r->window, 6);
	assert_true(fabs(r->lp_bound - 144) < 1e-6);
	assert_int_equal(r->lp.buy_g[x], 28000);
	assert_int_equal(r->lp.buy_g[yy], 60000);
	assert_true(fabs(r->lp.objective - 144) < 1e-9);
	assert_int_equal(r->heur.buy_g[x], 28000);
	assert_int_equal(r->heur.buy_g[yy], 60000);
	assert_int_equal(r->heur.units_by_tier[0], 28);
	assert_int_equal(r->heur.units_by_tier[2], 60);
	assert_true(fabs(r->heur.usd_by_tier[0].known - 28e6) < 1e-3);
	assert_true(r->heur.usd_by_tier[2].known == 0);
	assert_int_equal(r->heur.usd_by_tier[2].unknown_units, 60);
	assert_int_equal(r->heur.usd_by_tier[2].unknown_orders, 1);
	assert_true(r->heur.cost_usd <= 400 + 1e-9);
	allot_reserve_free(r);

	/* The same with tier weights 10, 2, 1: X now gives 1 unit of value per
	 * dollar, Y 0.5: all 40 kg go to X. */
	s->policy.tier_weight[0] = 10;
	s->policy.tier_weight[1] = 2;
	s->policy.tier_weight[2] = 1;
	s->policy.n_tier_weights = 3;
	r = run(s, 400, NULL, 0, 0, ALLOT_RESERVE_EXPECTED);
	assert_int_equal(r->lp.buy_g[x], 40000);
	assert_int_equal(r->lp.buy_g[yy], 0);
	assert_int_equal(r->heur.buy_g[x], 40000);
	assert_int_equal(r->heur.buy_g[yy], 0);
	assert_true(fabs(r->heur.objective - 400) < 1e-9);
	allot_reserve_free(r);
	allot_scenario_free(s);
}

/* An embargo that ends before the stock runs out: 100 kg cover 10 months
 * of 10 units, the embargo lasts 3: buy nothing. */
static void embargo_ends_first(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 12);
	int a = strong(s, "AAA");
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	tu_order(s, "O1", a, y, 500, 0, "2024-01", NULL, -1);
	int x = mineral(s, "X", 100, 10);
	tu_supply(s, x, "china", 10);
	tu_bom(s, y, x, 1);
	struct allot_embargo e = china("2025-01", "2025-03");
	struct allot_reserve *r = run(s, 1e6, &e, 1, 12, ALLOT_RESERVE_EXPECTED);
	assert_int_equal(r->base.units_by_tier[0], 120);
	assert_int_equal(r->lp.buy_g[x], 0);
	assert_int_equal(r->heur.buy_g[x], 0);
	assert_true(r->heur.cost_usd == 0 && r->lp.cost_usd == 0);
	assert_true(fabs(r->lp_bound - 360) < 1e-6);
	assert_int_equal(r->base.cover[x], 12);
	allot_reserve_free(r);
	allot_scenario_free(s);
}

/* Two scenarios: China stops X (line LA, tier 1) or the allies stop Y
 * (line LB, tier 1).  Each mineral has no stock and 10 kg/month from its
 * one source; USD 600 buys 60 kg at 10/kg; 6 months of 10 units.
 * Expected value: any split x + y = 60 gives (3*60 + 3*60 + 3*x + 3*y)/2
 * ... both lines run in the scenario that does not hit them, so the mean
 * is 3*(60 + (x + y)/2) = 270 for any split; the worst case is
 * 3*(60 + min(x, y)), best at x = y = 30: 270. */
static void worst_case_splits(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 6);
	int a = strong(s, "AAA");
	int la = tu_line(s, "LA", 10, 0), lb = tu_line(s, "LB", 10, 0);
	int ya = tu_system(s, "A", la, 1e6, 0, 0), yb = tu_system(s, "B", lb, 1e6, 0, 0);
	tu_order(s, "OA", a, ya, 100, 0, "2024-01", NULL, -1);
	tu_order(s, "OB", a, yb, 100, 0, "2024-01", NULL, -1);
	int x = mineral(s, "X", 0, 10), yy = mineral(s, "Y", 0, 10);
	tu_supply(s, x, "china", 10);
	tu_supply(s, yy, "allied", 10);
	tu_bom(s, ya, x, 1);
	tu_bom(s, yb, yy, 1);
	struct allot_embargo e[2] = { china("2025-01", "2025-06"),
				      { "allied", -1, tu_m("2025-01"), tu_m("2025-06") } };
	struct allot_reserve *r = run(s, 600, e, 2, 6, ALLOT_RESERVE_WORST);
	assert_true(fabs(r->lp_bound - 270) < 1e-6);
	assert_true(fabs(r->base.objective - 180) < 1e-9);
	const struct allot_reserve_outcome *b = allot_reserve_best(r);
	assert_int_equal(b->buy_g[x], 30000);
	assert_int_equal(b->buy_g[yy], 30000);
	assert_true(fabs(b->objective - 270) < 1e-9);
	allot_reserve_free(r);
	r = run(s, 600, e, 2, 6, ALLOT_RESERVE_EXPECTED);
	assert_true(fabs(r->lp_bound - 270) < 1e-6);
	assert_true(fabs(allot_reserve_best(r)->objective - 270) < 1e-9);
	allot_reserve_free(r);
	allot_scenario_free(s);
}

static void bad_options(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 6);
	int x = mineral(s, "X", 0, 10);
	tu_supply(s, x, "china", 10);
	struct allot_reserve_options o;
	allot_reserve_options_init(&o);
	struct allot_embargo e = { "mars", -1, tu_m("2025-01"), tu_m("2025-06") };
	o.embargoes = &e;
	o.n_embargoes = 1;
	o.budget_usd = -1;
	o.window_months = 7;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_reserve *r = (struct allot_reserve *)&o;
	assert_int_equal(allot_reserve_run(s, &o, &r, &d), ALLOT_EINPUT);
	assert_null(r);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.v[0].msg, "expected a budget >= 0 USD, found -1");
	assert_string_equal(d.v[1].msg,
			    "expected a window of 1 to 6 months (the horizon), found 7");
	assert_string_equal(d.v[2].msg,
			    "expected an embargo on a supply source of supply.csv, found 'mars'");
	allot_diags_free(&d);
	allot_scenario_free(s);
}

static void tier_weights_default(void **state)
{
	(void)state;
	struct allot_policy p;
	assert_int_equal(allot_policy_default(&p), ALLOT_OK);
	assert_true(allot_policy_tier_weight(&p, 1) == 3);
	assert_true(allot_policy_tier_weight(&p, 2) == 2);
	assert_true(allot_policy_tier_weight(&p, 3) == 1);
	assert_true(allot_policy_tier_weight(&p, 4) == 0);
	p.n_tier_weights = 3;
	p.tier_weight[0] = 5;
	p.tier_weight[1] = 0.5;
	p.tier_weight[2] = 0;
	assert_true(allot_policy_tier_weight(&p, 2) == 0.5);
	assert_true(allot_policy_tier_weight(&p, 3) == 0);
	allot_policy_free(&p);
}

/* Random small scenarios: the LP bound is never beaten by either purchase
 * under the exact planner, purchases stay within the budget, and the
 * heuristic's gap to the bound stays within the figure docs/reserve.md
 * states. */
#define RANDOM_CASES 50
#ifndef RANDOM_BUDGET
#define RANDOM_BUDGET 1e6
#endif
static void random_gap(void **state)
{
	(void)state;
	double sum = 0, worst = 0, sum_lp = 0, worst_lp = 0, vs_lp = 0;
	int heur_wins = 0, bought = 0;
	for (int i = 0; i < RANDOM_CASES; i++) {
		struct allot_synth_params sp;
		allot_synth_params_init(&sp);
		sp.seed = 1000 + (uint64_t)i;
		sp.orders = 40;
		sp.lines = 4;
		sp.minerals = 3;
		sp.partners = 8;
		sp.horizon_months = 36;
		sp.events = 0;
		struct allot_scenario *s = NULL;
		assert_int_equal(allot_synth_scenario(&sp, &s), ALLOT_OK);
		/* Scarce minerals: small stocks and supply, so that the embargo
		 * binds and the budget (about a third of what would cover
		 * everything) has to choose. */
		for (size_t m = 0; m < s->n_minerals; m++) {
			s->minerals[m].price_usd_per_kg = 10 + 20 * (double)m;
			s->minerals[m].stock_g /= 2000;
		}
		for (size_t k = 0; k < s->n_supply; k++)
			s->supply[k].g_per_month /= 200;
		struct allot_embargo e = china("2025-01", "2026-06");
		e.start_month = s->as_of;
		e.end_month = s->as_of + 17;
		struct allot_reserve *r = run(s, RANDOM_BUDGET, &e, 1, 30, ALLOT_RESERVE_EXPECTED);
		assert_true(r->lp.cost_usd <= RANDOM_BUDGET + 1e-6);
		assert_true(r->heur.cost_usd <= RANDOM_BUDGET + 1e-6);
		assert_true(r->lp.objective_mineral <= r->lp_bound + 1e-6);
		assert_true(r->heur.objective_mineral <= r->lp_bound + 1e-6);
		assert_true(r->base.objective_mineral <= r->heur.objective_mineral + 1e-6);
		double g = allot_reserve_gap_pct(r, &r->heur),
		       gl = allot_reserve_gap_pct(r, &r->lp);
		sum += g;
		sum_lp += gl;
		worst = g > worst ? g : worst;
		worst_lp = gl > worst_lp ? gl : worst_lp;
		vs_lp += r->heur.objective - r->lp.objective;
		heur_wins += r->heur.objective > r->lp.objective + 1e-9;
		bought += r->heur.cost_usd > 0;
		allot_reserve_free(r);
		allot_scenario_free(s);
	}
	printf("random_gap: %d cases (%d buy), heuristic gap to LP bound mean %.2f%% max %.2f%%; "
	       "LP purchase mean %.2f%% max %.2f%%; heuristic better in %d, mean value "
	       "difference %+.1f\n",
	       RANDOM_CASES, bought, sum / RANDOM_CASES, worst, sum_lp / RANDOM_CASES, worst_lp,
	       heur_wins, vs_lp / RANDOM_CASES);
	assert_true(worst <= RANDOM_MAX_GAP_PCT);
	assert_true(sum / RANDOM_CASES <= RANDOM_MEAN_GAP_PCT);
}

/* The bundled dataset with a 24-month Chinese embargo (the README's
 * headline): the purchase keeps more tier-1 units on schedule. */
static void bundled_dataset(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_embargo e = china("2025-01", "2026-12");
	struct allot_reserve *r = run(s, 12e9, &e, 1, 0, ALLOT_RESERVE_EXPECTED);
	const struct allot_reserve_outcome *b = allot_reserve_best(r);
	assert_int_equal(r->window, 48); /* 24 months + median lead 24 */
	assert_true(b->units_by_tier[0] > r->base.units_by_tier[0]);
	assert_true(b->cost_usd > 0 && b->cost_usd <= 12e9);
	assert_true(b->objective_mineral <= r->lp_bound + 1e-6);
	assert_true(r->lp.objective_mineral <= r->lp_bound + 1e-6);
	allot_reserve_free(r);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_binding_mineral),
		cmocka_unit_test(not_before_holds_the_lp_too),
		cmocka_unit_test(two_minerals_compete),
		cmocka_unit_test(embargo_ends_first),
		cmocka_unit_test(worst_case_splits),
		cmocka_unit_test(bad_options),
		cmocka_unit_test(tier_weights_default),
		cmocka_unit_test(random_gap),
		cmocka_unit_test(bundled_dataset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
