/*
 * test_answers_metrics.c - allot_metrics_quarterly on a scenario computed
 * by hand, quarter by quarter, and on the bundled dataset.
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

static const struct allot_quarter_metrics *at(const struct allot_metrics *m, const char *q,
					      int tier)
{
	for (size_t i = 0; i < m->n_quarters * (m->n_tiers + 1); i++) {
		char b[8];
		allot_quarter_format(m->rows[i].quarter, b);
		if (strcmp(b, q) == 0 && m->rows[i].tier == tier)
			return &m->rows[i];
	}
	fail_msg("no row %s tier %d", q, tier);
	return NULL;
}

/*
 * as_of 2025-01, 6 months.  Line L 10/month, system S (lead 1, USD 2m);
 * line M 1/month, system T (lead 0, USD 1m).  AAA is tier 1, BBB tier 3.
 *   A1 AAA S qty 12 delivered 2, LOA 2024-05, need 2025-02
 *   B1 BBB S qty 15,             LOA 2024-11, need 2025-03
 *   D1 BBB T qty 10,             LOA 2024-12
 *   C1 AAA S qty 5,              LOA 2025-04
 * Plan (either policy): Jan A1 10; Feb B1 10; Mar B1 5; Apr C1 5; D1 one
 * a month.  Arrivals (lead 1): A1 Feb 10 (done 2025-02); B1 Mar 10, Apr 5
 * (done 2025-04, a month late); C1 May 5 (done 2025-05); D1 Jan..Jun one
 * each (not complete).
 */
static struct allot_plan *hand_plan(struct allot_scenario **sp)
{
	struct allot_scenario *s = tu_scenario("2025-01", 6);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int b = tu_partner(s, "BBB", "africa", 0, 0, 0, 0, 0, 0, 0);
	int l = tu_line(s, "L", 10, 0), m = tu_line(s, "M", 1, 0);
	int y = tu_system(s, "S", l, 2e6, 1, 0), t = tu_system(s, "T", m, 1e6, 0, 0);
	tu_order(s, "A1", a, y, 12, 2, "2024-05", "2025-02", -1);
	tu_order(s, "B1", b, y, 15, 0, "2024-11", "2025-03", -1);
	tu_order(s, "D1", b, t, 10, 0, "2024-12", NULL, -1);
	tu_order(s, "C1", a, y, 5, 0, "2025-04", NULL, -1);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
	*sp = s;
	return p;
}

static void by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s;
	struct allot_plan *p = hand_plan(&s);
	struct allot_metrics *m = NULL;
	assert_int_equal(allot_metrics_quarterly(p, &m), ALLOT_OK);
	char b[8];
	allot_quarter_format(m->first, b);
	assert_string_equal(b, "2024-Q2");
	assert_int_equal(m->n_quarters, 5); /* 2024-Q2 .. 2025-Q2 */
	assert_int_equal(m->n_tiers, 3);

	/* LOAs: history is dated. */
	const struct allot_quarter_metrics *r = at(m, "2024-Q2", 0);
	assert_int_equal(r->loas, 1);
	assert_int_equal(r->loa_units, 12);
	assert_true(r->loa_value_usd == 24e6);
	assert_int_equal(r->coverage, ALLOT_COVER_NONE);
	assert_int_equal(r->backlog_known, 0);
	assert_true(r->median_age_months == -1);
	assert_int_equal(at(m, "2024-Q3", 0)->loas, 0);
	r = at(m, "2024-Q4", 0);
	assert_int_equal(r->loas, 2);
	assert_int_equal(r->loa_units, 25);
	assert_true(r->loa_value_usd == 40e6);
	assert_int_equal(at(m, "2024-Q4", 3)->loas, 2);
	assert_int_equal(at(m, "2024-Q4", 1)->loas, 0);
	assert_int_equal(at(m, "2025-Q2", 1)->loas, 1);

	/* 2025-Q1: A1 10 (Feb), B1 10 (Mar), D1 3. */
	r = at(m, "2025-Q1", 0);
	assert_int_equal(r->coverage, ALLOT_COVER_FULL);
	assert_int_equal(r->units_delivered, 23);
	assert_true(r->value_delivered_usd == 43e6);
	assert_int_equal(r->backlog_known, 1);
	assert_int_equal(r->backlog_units, 12); /* B1 5 + D1 7 */
	assert_true(r->backlog_value_usd == 17e6);
	assert_int_equal(r->open_cases, 2); /* B1 age 4, D1 age 3 */
	assert_true(r->median_age_months == 3.5);
	assert_int_equal(r->need_units, 20);
	assert_int_equal(r->on_time_units, 20);
	assert_int_equal(r->need_orders, 1); /* A1 done 2025-02, need 2025-02 */
	assert_int_equal(r->on_time_orders, 1);
	r = at(m, "2025-Q1", 1);
	assert_int_equal(r->units_delivered, 10);
	assert_int_equal(r->backlog_units, 0);
	assert_int_equal(r->open_cases, 0);
	assert_true(r->median_age_months == -1);
	r = at(m, "2025-Q1", 3);
	assert_int_equal(r->units_delivered, 13);
	assert_true(r->backlog_value_usd == 17e6);
	assert_true(r->median_age_months == 3.5);
	assert_int_equal(at(m, "2025-Q1", 2)->open_cases, 0);

	/* 2025-Q2: B1 5 (Apr, late), C1 5 (May), D1 3; D1 open, age 6. */
	r = at(m, "2025-Q2", 0);
	assert_int_equal(r->units_delivered, 13);
	assert_true(r->value_delivered_usd == 23e6);
	assert_int_equal(r->backlog_units, 4);
	assert_true(r->backlog_value_usd == 4e6);
	assert_int_equal(r->open_cases, 1);
	assert_true(r->median_age_months == 6);
	assert_int_equal(r->need_units, 5);
	assert_int_equal(r->on_time_units, 0);
	assert_int_equal(r->need_orders, 1);
	assert_int_equal(r->on_time_orders, 0);
	assert_int_equal(at(m, "2025-Q2", 1)->units_delivered, 5);
	assert_int_equal(at(m, "2025-Q2", 1)->backlog_units, 0);

	allot_metrics_free(m);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* as_of in the middle of a quarter: that quarter is partial, and the
 * backlog is known at its end. */
static void partial_quarters(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-02", 4); /* Feb..May */
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 1, 0);
	int y = tu_system(s, "S", l, 1, 0, 0);
	tu_order(s, "O", a, y, 2, 0, "2025-01", NULL, -1);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
	struct allot_metrics *m = NULL;
	assert_int_equal(allot_metrics_quarterly(p, &m), ALLOT_OK);
	assert_int_equal(m->n_quarters, 2);
	assert_int_equal(at(m, "2025-Q1", 0)->coverage, ALLOT_COVER_PARTIAL);
	assert_int_equal(at(m, "2025-Q1", 0)->units_delivered, 2); /* Feb, Mar */
	assert_int_equal(at(m, "2025-Q1", 0)->backlog_known, 1);
	assert_int_equal(at(m, "2025-Q1", 0)->backlog_units, 0);
	assert_int_equal(at(m, "2025-Q2", 0)->coverage, ALLOT_COVER_PARTIAL);
	assert_int_equal(at(m, "2025-Q2", 0)->backlog_known, 0); /* ends after May */
	allot_metrics_free(m);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* The bundled data: LOAs add up to the orders, deliveries to the plan's
 * units arriving in the horizon, and no figure is negative. */
static void bundled(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
	struct allot_metrics *m = NULL;
	assert_int_equal(allot_metrics_quarterly(p, &m), ALLOT_OK);
	struct allot_plan_stats st;
	assert_int_equal(allot_plan_stats(p, &st), ALLOT_OK);
	int64_t delivered = 0, plan_delivered = 0;
	size_t loas = 0;
	size_t W = m->n_tiers + 1;
	for (size_t q = 0; q < m->n_quarters; q++) {
		const struct allot_quarter_metrics *r = &m->rows[q * W];
		loas += r->loas;
		delivered += r->units_delivered;
		size_t tier_loas = 0;
		for (size_t t = 1; t < W; t++)
			tier_loas += r[t].loas;
		assert_int_equal(tier_loas, r->loas);
		assert_true(r->backlog_units >= 0 && r->backlog_value_usd >= -1e-3);
		assert_true(r->on_time_units <= r->need_units);
		if (r->backlog_known && r->open_cases)
			assert_true(r->median_age_months >= 0);
	}
	for (int y = 0; y < st.n_years; y++)
		plan_delivered += st.delivered_by_year[y];
	assert_int_equal(loas, s->n_orders);
	assert_int_equal(delivered, plan_delivered);
	/* The last quarter's backlog is the plan's backlog at the end. */
	assert_int_equal(m->rows[(m->n_quarters - 1) * W].backlog_units, st.backlog_units);
	allot_plan_stats_free(&st);
	allot_metrics_free(m);
	allot_plan_free(p);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_hand),
		cmocka_unit_test(partial_quarters),
		cmocka_unit_test(bundled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
