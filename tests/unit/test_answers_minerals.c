/*
 * test_answers_minerals.c - months of cover (allot_minerals_run) on small
 * scenarios checked by hand, and a run on the bundled dataset.
 *
 * The hand scenario: two lines making 6 and 4 units a month of systems that
 * each need 1 kg of mineral "ge" a unit, so the planned draw is 10 kg a
 * month; 120 kg in stock; supply 2 kg (domestic) + 4 kg (china) a month.
 *   stock alone: 120 / 10 = 12 months;
 *   supply:      the stock falls 4 kg a month: 120 / 4 = 30 months;
 *   no china:    it falls 8 kg a month: 120 / 8 = 15 months;
 *   no domestic: 6 kg a month: 120 / 6 = 20 months;
 *   china cut in 2025-03..2025-04 only: 8 kg more lost: (120 - 8) / 4 = 28.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

struct hand {
	struct allot_scenario *s;
	int ge, other;
	int a, b; /* orders: a weak partner's (LOA 2020), a strong one's (LOA 2024) */
};

static void build(struct hand *h, double stock_kg)
{
	struct allot_scenario *s = tu_scenario("2025-01", 36);
	int strong = tu_partner(s, "STR", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int weak = tu_partner(s, "WEK", "africa", 0, 0, 0, 0, 0, 0, 0);
	int l1 = tu_line(s, "l1", 6, 0), l2 = tu_line(s, "l2", 4, 0);
	int s1 = tu_system(s, "s1", l1, 1e6, 0, 0), s2 = tu_system(s, "s2", l2, 1e6, 0, 0);
	h->ge = tu_mineral(s, "ge", stock_kg);
	h->other = tu_mineral(s, "unused", 5);
	tu_supply(s, h->ge, "domestic", 2);
	tu_supply(s, h->ge, "china", 4);
	tu_bom(s, s1, h->ge, 1);
	tu_bom(s, s2, h->ge, 1);
	h->a = tu_order(s, "A", weak, s1, 1000, 0, "2020-01", NULL, -1);
	h->b = tu_order(s, "B", strong, s2, 1000, 0, "2024-01", NULL, -1);
	h->s = s;
}

static struct allot_minerals *run(const struct allot_scenario *s, enum allot_policy_kind k,
				  const struct allot_embargo *extra, size_t n)
{
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = k;
	struct allot_minerals *m = NULL;
	assert_int_equal(allot_minerals_run(s, &o, extra, n, &m), ALLOT_OK);
	assert_non_null(m);
	return m;
}

static void cover_by_hand(void **state)
{
	(void)state;
	struct hand h;
	build(&h, 120);
	tu_embargo(h.s, "china", h.ge, "2025-01", NULL);
	tu_embargo(h.s, "china", -1, "2025-03", "2025-04");
	struct allot_embargo extra = { "domestic", -1, tu_m("2025-01"), ALLOT_NO_MONTH };
	struct allot_minerals *m = run(h.s, ALLOT_POLICY_PRIORITY, &extra, 1);

	assert_int_equal(m->demand_months, 12);
	assert_int_equal(m->n_cases, 5);
	assert_int_equal(m->cases[0].kind, ALLOT_CASE_STOCK);
	assert_int_equal(m->cases[1].kind, ALLOT_CASE_SUPPLY);
	assert_int_equal(m->cases[2].kind, ALLOT_CASE_EMBARGO);
	assert_string_equal(m->cases[2].label, "embargo china (ge) 2025-01..");
	assert_string_equal(m->cases[3].label, "embargo china 2025-03..2025-04");
	assert_string_equal(m->cases[4].label, "embargo domestic 2025-01..");
	assert_int_equal(m->cases[3].hypothetical, 0);
	assert_int_equal(m->cases[4].hypothetical, 1);

	assert_int_equal(m->n, 2);
	const struct allot_mineral_cover *ge = &m->m[h.ge];
	assert_int_equal(ge->stock_g, 120000);
	assert_int_equal(ge->supply_g_month, 6000);
	assert_true(ge->demand_g_month == 10000.0);
	assert_int_equal(ge->draw_total_g, 360000);
	assert_int_equal(ge->cover[0], 12);
	assert_int_equal(ge->cover[1], 30);
	assert_int_equal(ge->cover[2], 15);
	assert_int_equal(ge->cover[3], 28);
	assert_int_equal(ge->cover[4], 20);
	/* Stock alone: nothing left in month 12, so both orders are cut in
	 * full, the weak partner's first (last in priority order). */
	assert_int_equal(ge->shortfall_month, 12);
	assert_int_equal(ge->shortfall_g, 10000);
	assert_int_equal(ge->n_hits, 2);
	assert_int_equal(ge->hits[0].order, h.a);
	assert_int_equal(ge->hits[0].units_cut, 6);
	assert_int_equal(ge->hits[1].order, h.b);
	assert_int_equal(ge->hits[1].units_cut, 4);
	assert_int_equal(ge->n_hit_systems, 2);
	assert_int_equal(ge->hit_systems[0], 0);
	assert_int_equal(ge->hit_systems[1], 1);

	/* A mineral no bill uses: no draw, never short. */
	const struct allot_mineral_cover *un = &m->m[h.other];
	assert_true(un->demand_g_month == 0.0);
	assert_int_equal(un->draw_total_g, 0);
	for (size_t c = 0; c < m->n_cases; c++)
		assert_int_equal(un->cover[c], -1);
	assert_int_equal(un->shortfall_month, -1);
	assert_int_equal(un->n_hits, 0);
	allot_minerals_free(m);
	allot_scenario_free(h.s);
}

/* 125 kg: 5 kg are left in month 12.  Under priority the strong partner's
 * order B takes its 4 units, A gets 1 of 6 (5 cut).  Under fcfs A (LOA
 * 2020) takes 5 of 6 (1 cut) and B gets nothing (4 cut): B is hit first. */
static void hits_follow_key_order(void **state)
{
	(void)state;
	struct hand h;
	build(&h, 125);
	struct allot_minerals *m = run(h.s, ALLOT_POLICY_PRIORITY, NULL, 0);
	const struct allot_mineral_cover *ge = &m->m[h.ge];
	assert_int_equal(ge->cover[0], 12);
	assert_int_equal(ge->cover[1], 31); /* 125 - 4t + 6 >= 10 up to t = 30 */
	assert_int_equal(ge->shortfall_g, 5000);
	assert_int_equal(ge->n_hits, 1);
	assert_int_equal(ge->hits[0].order, h.a);
	assert_int_equal(ge->hits[0].units_cut, 5);
	allot_minerals_free(m);

	m = run(h.s, ALLOT_POLICY_FCFS, NULL, 0);
	ge = &m->m[h.ge];
	assert_int_equal(ge->n_hits, 2);
	assert_int_equal(ge->hits[0].order, h.b);
	assert_int_equal(ge->hits[0].units_cut, 4);
	assert_int_equal(ge->hits[1].order, h.a);
	assert_int_equal(ge->hits[1].units_cut, 1);
	assert_int_equal(ge->hit_systems[0], 1);
	assert_int_equal(ge->hit_systems[1], 0);
	allot_minerals_free(m);
	allot_scenario_free(h.s);
}

/* The draw is the plan's without minerals: a stock too small for even one
 * month's production does not shrink it. */
static void draw_ignores_the_stock(void **state)
{
	(void)state;
	struct hand h;
	build(&h, 3);
	struct allot_minerals *m = run(h.s, ALLOT_POLICY_PRIORITY, NULL, 0);
	assert_true(m->m[h.ge].demand_g_month == 10000.0);
	assert_int_equal(m->m[h.ge].cover[0], 0);
	/* Month 0: 3 + 6 = 9 kg < 10 kg. */
	assert_int_equal(m->m[h.ge].cover[1], 0);
	assert_int_equal(m->m[h.ge].shortfall_month, 0);
	assert_int_equal(m->m[h.ge].shortfall_g, 7000);
	allot_minerals_free(m);
	allot_scenario_free(h.s);
}

/* A horizon shorter than a year averages the draw over the horizon. */
static void short_horizon(void **state)
{
	(void)state;
	struct hand h;
	build(&h, 1000);
	h.s->horizon_months = 6;
	struct allot_minerals *m = run(h.s, ALLOT_POLICY_PRIORITY, NULL, 0);
	assert_int_equal(m->demand_months, 6);
	assert_true(m->m[h.ge].demand_g_month == 10000.0);
	assert_int_equal(m->m[h.ge].cover[0], -1);
	allot_minerals_free(m);
	allot_scenario_free(h.s);
}

/* a >= b in months of cover, where -1 (the whole horizon) is the most. */
static int at_least(int a, int b)
{
	return a < 0 || (b >= 0 && a >= b);
}

static void bundled_dataset(void **state)
{
	(void)state;
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_embargo china = { "china", -1, s->as_of, ALLOT_NO_MONTH };
	struct allot_minerals *m = run(s, ALLOT_POLICY_PRIORITY, &china, 1);
	assert_int_equal(m->n, s->n_minerals);
	assert_int_equal(m->n_cases, 2 + s->n_embargoes + 1);
	for (size_t i = 0; i < m->n; i++) {
		const struct allot_mineral_cover *mc = &m->m[i];
		assert_true(mc->demand_g_month > 0);
		/* Supply only helps; an embargo only hurts. */
		assert_true(mc->cover[0] >= 0);
		assert_true(at_least(mc->cover[1], mc->cover[2]));
		assert_true(at_least(mc->cover[2], mc->cover[0]));
		assert_int_equal(mc->shortfall_month, mc->cover[0]);
		assert_true(mc->n_hits > 0);
		for (size_t k = 0; k < mc->n_hits; k++)
			assert_true(mc->hits[k].units_cut > 0);
	}
	allot_minerals_free(m);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cover_by_hand),          cmocka_unit_test(hits_follow_key_order),
		cmocka_unit_test(draw_ignores_the_stock), cmocka_unit_test(short_horizon),
		cmocka_unit_test(bundled_dataset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
