/*
 * test_answers_compare.c - allot_compare_run on a scenario checked by
 * hand, and on the bundled dataset (every open order accounted for).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

static int strong(struct allot_scenario *s, const char *iso3)
{
	return tu_partner(s, iso3, "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
}

static int weak(struct allot_scenario *s, const char *iso3)
{
	return tu_partner(s, iso3, "africa", 0, 0, 0, 0, 0, 0, 0);
}

static const struct allot_compare_group *group(const struct allot_compare *c,
					       enum allot_group_by by, size_t k)
{
	assert_true(k < c->n_groups[by]);
	return &c->groups[by][k];
}

/* The two-tiers case of test_plan.c moved to as_of 2025-10 (so that the
 * year 2025 cuts deliveries), plus a third partner on a line of its own.
 *   fcfs:     B1 (weak, LOA 2024-06) makes 10 in month 0, 5 in month 1;
 *             A1 (strong, LOA 2024-09) 5 in month 1, 7 in month 2.
 *   priority: A1 10, 2; B1 8, 7.  Lead 2 months.
 * Arrivals fcfs: B1 2025-12:10 2026-01:5 (done 2026-01, wait 3);
 *                A1 2026-01:5 2026-02:7 (done 2026-02, wait 4).
 * priority:      A1 2025-12:10 2026-01:2 (wait 3); B1 2026-01:8 2026-02:7
 *                (wait 4).  C1: 5 units in 2025-10 both ways, wait 0. */
static struct allot_scenario *three_partners(void)
{
	struct allot_scenario *s = tu_scenario("2025-10", 6);
	int a = strong(s, "AAA"), b = weak(s, "BBB"), cc = weak(s, "CCC");
	int l = tu_line(s, "L", 10, 0), m = tu_line(s, "M", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 2, 0), t = tu_system(s, "T", m, 1e6, 0, 0);
	tu_order(s, "B1", b, y, 15, 0, "2024-06", NULL, -1);
	tu_order(s, "A1", a, y, 12, 0, "2024-09", NULL, -1);
	tu_order(s, "C1", cc, t, 5, 0, "2025-01", NULL, -1);
	return s;
}

static void by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = three_partners();
	struct allot_compare_options o;
	allot_compare_options_init(&o);
	o.year = 2025;
	struct allot_compare *c = NULL;
	assert_int_equal(allot_compare_run(s, &o, &c), ALLOT_OK);

	/* Orders. */
	assert_int_equal(c->orders[0].wait[0], 3);
	assert_int_equal(c->orders[0].wait[1], 4);
	assert_int_equal(c->orders[1].wait[0], 4);
	assert_int_equal(c->orders[1].wait[1], 3);
	assert_int_equal(c->orders[0].by_year[0], 10);
	assert_int_equal(c->orders[0].by_year[1], 0);
	assert_int_equal(c->orders[1].by_year[0], 0);
	assert_int_equal(c->orders[1].by_year[1], 10);
	assert_int_equal(c->orders[2].wait[0], 0);
	assert_int_equal(c->orders[2].by_year[1], 5);

	/* Partners: who gains first (AAA), unchanged (CCC), who waits (BBB). */
	assert_int_equal(c->n_groups[ALLOT_BY_PARTNER], 3);
	const struct allot_compare_group *g = group(c, ALLOT_BY_PARTNER, 0);
	assert_string_equal(g->key, "AAA");
	assert_true(g->mean_wait[0] == 4 && g->mean_wait[1] == 3 && g->delta_wait == -1);
	assert_int_equal(g->by_year[0], 0);
	assert_int_equal(g->by_year[1], 10);
	assert_int_equal(g->delta_units, 10);
	assert_int_equal(g->earlier, 1);
	assert_string_equal(group(c, ALLOT_BY_PARTNER, 1)->key, "CCC");
	assert_true(group(c, ALLOT_BY_PARTNER, 1)->delta_wait == 0);
	g = group(c, ALLOT_BY_PARTNER, 2);
	assert_string_equal(g->key, "BBB");
	assert_true(g->delta_wait == 1);
	assert_int_equal(g->delta_units, -10);
	assert_int_equal(g->later, 1);

	/* Tiers: 1 (AAA) and 3 (BBB, CCC); tier 2 has nobody. */
	assert_int_equal(c->n_groups[ALLOT_BY_TIER], 2);
	assert_string_equal(group(c, ALLOT_BY_TIER, 0)->key, "1");
	g = group(c, ALLOT_BY_TIER, 1);
	assert_string_equal(g->key, "3");
	assert_int_equal(g->orders, 2);
	assert_true(g->mean_wait[0] == 1.5 && g->mean_wait[1] == 2.0);
	assert_int_equal(g->by_year[0], 15);
	assert_int_equal(g->by_year[1], 5);

	/* Regions: europe-east gains 1 month, africa waits half a month. */
	assert_int_equal(c->n_groups[ALLOT_BY_REGION], 2);
	assert_string_equal(group(c, ALLOT_BY_REGION, 0)->key, "europe-east");
	g = group(c, ALLOT_BY_REGION, 1);
	assert_string_equal(g->key, "africa");
	assert_true(g->delta_wait == 0.5);
	assert_int_equal(g->delta_units, -10);

	/* Systems: S's queue swaps (each order moves 1 month), T's does not. */
	g = group(c, ALLOT_BY_SYSTEM, 0);
	assert_string_equal(g->key, "S");
	assert_true(g->mean_abs_shift == 1 && g->delta_wait == 0);
	assert_int_equal(g->earlier, 1);
	assert_int_equal(g->later, 1);
	assert_string_equal(group(c, ALLOT_BY_SYSTEM, 1)->key, "T");
	assert_true(group(c, ALLOT_BY_SYSTEM, 1)->mean_abs_shift == 0);

	assert_int_equal(c->all.orders, 3);
	assert_true(fabs(c->all.mean_wait[0] - 7.0 / 3) < 1e-12);
	assert_true(fabs(c->all.mean_wait[1] - 7.0 / 3) < 1e-12);
	allot_compare_free(c);

	/* Default year: as_of year + 3 = 2028, by which everything arrived;
	 * reversed policies swap the signs. */
	allot_compare_options_init(&o);
	o.policy[0] = ALLOT_POLICY_PRIORITY;
	o.policy[1] = ALLOT_POLICY_FCFS;
	assert_int_equal(allot_compare_run(s, &o, &c), ALLOT_OK);
	assert_int_equal(c->year, 2028);
	assert_string_equal(group(c, ALLOT_BY_PARTNER, 0)->key, "BBB");
	assert_int_equal(group(c, ALLOT_BY_PARTNER, 0)->by_year[0], 15);
	assert_int_equal(group(c, ALLOT_BY_PARTNER, 0)->delta_units, 0);
	allot_compare_free(c);
	allot_scenario_free(s);
}

/* A group whose units are all of unknown unit cost has an unknown USD sum
 * (null, an empty CSV cell, "unknown" in text: allot_usd_cell), never 0;
 * its change too, and its cancelled USD in what-if's columns
 * (docs/allocation.md, "Unknown unit costs"). */
static void unknown_cost_is_null(void **state)
{
	(void)state;
	struct allot_scenario *s = three_partners();
	s->systems[1].unit_cost_usd = NAN; /* T: C1's 5 units */
	struct allot_compare_options o;
	allot_compare_options_init(&o);
	o.year = 2025;
	struct allot_compare *c = NULL;
	assert_int_equal(allot_compare_run(s, &o, &c), ALLOT_OK);
	const struct allot_compare_group *t = group(c, ALLOT_BY_SYSTEM, 1);
	assert_string_equal(t->key, "T");
	struct allot_cell cell[ALLOT_COMPARE_NCOL];
	char buf[64];
	allot_compare_group_cells(t, cell);
	for (int k = 0; k < ALLOT_COMPARE_NCOL; k++) {
		const char *col = allot_compare_columns[k];
		if (strcmp(col, "usd_by_year_a") == 0 || strcmp(col, "usd_by_year_b") == 0 ||
		    strcmp(col, "change_usd") == 0) {
			assert_string_equal(allot_cell_text(&cell[k], buf), "");
			assert_int_equal(cell[k].kind, ALLOT_CELL_NULL);
			assert_string_equal(allot_cell_word(&cell[k], buf), ALLOT_SYM_UNKNOWN);
		}
		if (strcmp(col, "usd_by_year_a_unknown_cost_units") == 0)
			assert_string_equal(allot_cell_text(&cell[k], buf), "5");
	}
	/* S's units have a cost: known sums, 0 included */
	allot_compare_group_cells(group(c, ALLOT_BY_SYSTEM, 0), cell);
	for (int k = 0; k < ALLOT_COMPARE_NCOL; k++)
		if (strcmp(allot_compare_columns[k], "usd_by_year_b") == 0)
			assert_string_equal(allot_cell_text(&cell[k], buf), "10000000");
	allot_compare_free(c);
	allot_scenario_free(s);
}

/* A switch month: both plans are fcfs before it, so a switch past the
 * horizon makes the two plans equal. */
static void switch_past_horizon(void **state)
{
	(void)state;
	struct allot_scenario *s = three_partners();
	struct allot_compare_options o;
	allot_compare_options_init(&o);
	o.switch_month = tu_m("2030-01");
	struct allot_compare *c = NULL;
	assert_int_equal(allot_compare_run(s, &o, &c), ALLOT_OK);
	assert_int_equal(c->all.earlier + c->all.later, 0);
	for (size_t k = 0; k < c->n_groups[ALLOT_BY_PARTNER]; k++)
		assert_true(c->groups[ALLOT_BY_PARTNER][k].delta_wait == 0);
	allot_compare_free(c);
	allot_scenario_free(s);
}

static void group_names(void **state)
{
	(void)state;
	enum allot_group_by g;
	assert_int_equal(allot_group_by_parse("region", &g), 0);
	assert_int_equal(g, ALLOT_BY_REGION);
	assert_int_equal(allot_group_by_parse("country", &g), -1);
	assert_string_equal(allot_group_by_name(ALLOT_BY_SYSTEM), "system");
}

/* The bundled data: every order with units open is counted once, in one
 * partner, tier, region and system; waits are never negative; the units
 * of the groups add up to the plans'. */
static void bundled(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_compare_options o;
	allot_compare_options_init(&o);
	struct allot_compare *c = NULL;
	assert_int_equal(allot_compare_run(s, &o, &c), ALLOT_OK);
	size_t open = 0;
	int64_t units[2] = { 0, 0 };
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order * or = &s->orders[i];
		int64_t left = or->qty - or->delivered;
		int whole_cut = c->plan[0]->orders[i].cancelled >= left ||
				c->plan[1]->orders[i].cancelled >= left;
		open += left > 0 && !whole_cut;
		assert_int_equal(c->orders[i].counted, left > 0 && !whole_cut);
		assert_true(c->orders[i].wait[0] >= 0 && c->orders[i].wait[1] >= 0);
		assert_true(c->orders[i].wait[0] <= s->horizon_months);
		units[0] += c->orders[i].by_year[0];
		units[1] += c->orders[i].by_year[1];
	}
	assert_true(open > 400);
	assert_int_equal(c->all.orders, open);
	for (int by = 0; by < ALLOT_BY_COUNT; by++) {
		size_t n = 0;
		int64_t u0 = 0, u1 = 0;
		for (size_t k = 0; k < c->n_groups[by]; k++) {
			n += c->groups[by][k].orders;
			u0 += c->groups[by][k].by_year[0];
			u1 += c->groups[by][k].by_year[1];
			assert_true(c->groups[by][k].mean_wait[0] >= 0);
		}
		assert_int_equal(n, open);
		assert_int_equal(u0, units[0]);
		assert_int_equal(u1, units[1]);
	}
	allot_compare_free(c);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_hand),
		cmocka_unit_test(unknown_cost_is_null),
		cmocka_unit_test(switch_past_horizon),
		cmocka_unit_test(group_names),
		cmocka_unit_test(bundled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
