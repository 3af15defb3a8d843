/*
 * test_backtest.c - `allot backtest` (docs/backtest.md): the comparison on a
 * small register checked by hand, the even spread of deliveries over the
 * listed years, and the as-of dataset and backtest on the bundled data.
 *
 * The hand case (tests/data/sipri/register-backtest.csv, as of 2020-01):
 *
 *   record 0  POL 2018  12 x A, delivered 2019; 2020; 2021  -> 4 before 2020
 *   record 1  JPN 2019  10 x A, delivered 2023
 *   record 2  QAT 2019   6 x B, 3 delivered 2023 (not completed)
 *   record 3  JPN 2019   4 x A, delivered 2020
 *
 * Line 1 makes 1 A a month (lead 12 months), line 2 makes 0.5 B a month
 * (lead 24).  First come, first served: O1 (8 open) is produced in months
 * 0-7 and delivered 2021-01..08 (planned 2021, recorded 2021: error 0); O2
 * in months 8-17, delivered 2021-09..2022-06 (2022 against 2023: -1); O4 in
 * months 18-21, delivered 2022-07..10 (2022 against 2020: +2); O3's six B
 * in months 1, 3, .., 11, delivered in 2022.  Completed: O1, O2, O4; within
 * +-1 year: 2 of 3; MAE (0 + 1 + 2) / 3 = 1; bias (0 - 1 + 2) / 3.
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
#include <jansson.h>
#include "testutil.h"

static struct allot_sipri_register *read_fixture(void)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *reg = NULL;
	assert_int_equal(
		allot_sipri_read(tu_src("tests/data/sipri/register-backtest.csv"), &reg, &d),
		ALLOT_OK);
	assert_int_equal(reg->n, 6);
	allot_diags_free(&d);
	return reg;
}

/* The hand register with the fixture's per-year export attached (2 of
 * its records match: test_per_year_units). */
static struct allot_sipri_register *read_fixture_with_years(struct allot_diags *d)
{
	struct allot_sipri_register *reg = read_fixture();
	size_t matched = 0;
	assert_int_equal(allot_sipri_attach_years(reg,
						  tu_src("tests/data/sipri/deal-rows-backtest.csv"),
						  &matched, d),
			 ALLOT_OK);
	assert_int_equal(matched, 2);
	return reg;
}

static void test_delivered_before(void **state)
{
	(void)state;
	struct allot_sipri_register *reg = read_fixture();
	const struct allot_sipri_record *r = &reg->v[0]; /* 12 over 2019-2021 */
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2019-01")), 0);
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2019-12")), 0);
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2020-01")), 4);
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2021-01")), 8);
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2025-01")), 12);
	/* 10 over three years: round(10/3) = 3, round(20/3) = 7 */
	struct allot_sipri_record x = *r;
	x.delivered = 10;
	x.delivery_years = "2021; 2019; 2020; 2020"; /* unsorted, repeated */
	assert_int_equal(allot_sipri_delivered_before(&x, tu_m("2020-01")), 3);
	assert_int_equal(allot_sipri_delivered_before(&x, tu_m("2021-01")), 7);
	/* no year listed: every delivered unit counts as delivered */
	x.delivery_years = "";
	assert_int_equal(allot_sipri_delivered_before(&x, tu_m("2000-01")), 10);
	x.delivered = -1; /* an empty cell */
	x.delivery_years = "2020";
	assert_int_equal(allot_sipri_delivered_before(&x, tu_m("2025-01")), 0);
	/* open at 2020-01: qty 12 > 4; the record of 2017 is closed */
	struct allot_sipri_filter f;
	allot_sipri_filter_init(&f);
	f.as_of = tu_m("2020-01");
	f.order_from = 2010;
	assert_true(allot_sipri_is_open(&reg->v[0], &f));
	assert_false(allot_sipri_is_open(&reg->v[4], &f));
	assert_false(allot_sipri_is_open(&reg->v[5], &f)); /* France */
	allot_sipri_free(reg);
}

/* SIPRI's per-year export attached to the hand register
 * (tests/data/sipri/deal-rows-backtest.csv, covering 2019-2020):
 *
 *   deal 101  POL 2018 A, TIV 5: 2 in 2019, 7 in 2020 -> record 0
 *             (listed 2019; 2020; 2021: within the coverage 2019; 2020)
 *   deal 102  JPN 2019 A: 3 in 2020 -> record 3 (listed 2020); not record
 *             1, which lists no year within the coverage
 *   deal 103  KOR 2017 A: 2019 -> none (record 4 lists 2018: the exports
 *             disagree, so it keeps the even spread)
 *   deals 104, 105  QAT 2019 B, both 2020 -> none (record 2 lists 2023,
 *             and two deals would be ambiguous anyway)
 *
 * Record 0: delivered before 2020-01 is 2 (SIPRI's 2019), not the even
 * spread's round(12 / 3) = 4; before 2021-01, 9; before 2022-01, 2021 is
 * after the export: the even spread, 8 of 12 by 2020 ... 12 by 2021's end.
 * By year: 2, 7, then the register's 12 less the 9 known = 3 in 2021. */
static void test_per_year_units(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *reg = read_fixture_with_years(&d);
	const struct allot_sipri_record *r = &reg->v[0];
	assert_int_equal(r->by_from, 2019);
	assert_int_equal(r->by_to, 2020);
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2019-01")), 0);
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2020-01")), 2);
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2021-01")), 9);
	assert_int_equal(allot_sipri_delivered_before(r, tu_m("2022-01")), 12);
	int years[ALLOT_SIPRI_MAX_YEARS];
	int n = allot_sipri_delivery_years(r, years);
	assert_int_equal(n, 3);
	assert_int_equal(allot_sipri_units_of(r, years, n, 0), 2);
	assert_int_equal(allot_sipri_units_of(r, years, n, 1), 7);
	assert_int_equal(allot_sipri_units_of(r, years, n, 2), 3);
	int64_t u = -1;
	assert_true(allot_sipri_units_in(r, 2015, 2019, &u));
	assert_int_equal(u, 2);
	assert_false(allot_sipri_units_in(r, 2019, 2021, &u)); /* 2021 is not covered */
	/* record 3: 3 of its 4 units in 2020 by the export, none before; by
	 * 2021-01 every listed year (2020) has ended, so all 4 the register
	 * delivered count (the exports disagree on the units, not the years),
	 * and so 2020, its last year, holds all 4 (test_one_definition) */
	assert_int_equal(reg->v[3].by_to, 2020);
	assert_int_equal(allot_sipri_delivered_before(&reg->v[3], tu_m("2020-01")), 0);
	assert_int_equal(allot_sipri_delivered_before(&reg->v[3], tu_m("2021-01")), 4);
	n = allot_sipri_delivery_years(&reg->v[3], years);
	assert_int_equal(allot_sipri_units_of(&reg->v[3], years, n, 0), 4);
	/* records 1, 2 and 4: not matched, the even spread */
	assert_int_equal(reg->v[1].by_to, 0);
	assert_int_equal(reg->v[2].by_to, 0);
	assert_int_equal(reg->v[4].by_to, 0);
	n = allot_sipri_delivery_years(&reg->v[4], years);
	assert_int_equal(allot_sipri_units_of(&reg->v[4], years, n, 0), 5);
	assert_int_equal(allot_sipri_delivered_before(&reg->v[4], tu_m("2019-01")), 5);
	/* a file that is not the export */
	size_t m2;
	assert_int_equal(allot_sipri_attach_years(
				 reg, tu_src("tests/data/sipri/register-backtest.csv"), &m2, &d),
			 ALLOT_EINPUT);
	allot_sipri_free(reg);
	allot_diags_free(&d);
}

/* Every listed year's units sum to what was delivered before the next
 * January: allot_sipri_delivered_before and allot_sipri_units_of rest on
 * one definition (allot_sipri_units_through).  Hand-checked, with the
 * fixture's export covering 2019-2020:
 *
 *   record 0 made to deliver 13 over 2019; 2020; 2021; 2022: the export
 *   gives 2 in 2019 and 7 in 2020; the 4 left after it spread over 2021
 *   and 2022, 2 each.  Before 2022-01: 2 + 7 + 2 = 11 (the old
 *   delivered_before fell back to the even spread, round(13 * 3 / 4) = 10,
 *   while the old units_of summed to 11).
 *   record 3: the export has 3 in 2020, the register 4 delivered, 2020 its
 *   only year: 4 before 2021-01 and 4 in 2020 (the old units_of gave 3).
 *
 * Then, on every record of the real register with the real per-year
 * export: no year has a negative count. */
static void check_no_negative_year(const struct allot_sipri_record *r)
{
	/* Since units_of is units_through's difference, the years' units
	 * sum to delivered_before by construction (not checked: it cannot
	 * fail); what can fail is a year given a negative count, that is
	 * units_through not rising with the years. */
	int years[ALLOT_SIPRI_MAX_YEARS];
	int n = allot_sipri_delivery_years(r, years);
	for (int i = 0; i < n; i++)
		if (allot_sipri_units_of(r, years, n, i) < 0)
			fail_msg("line %ld, year %d: %lld units", r->line, years[i],
				 (long long)allot_sipri_units_of(r, years, n, i));
}

static void test_one_definition(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *reg = read_fixture_with_years(&d);
	size_t matched = 0;
	struct allot_sipri_record x = reg->v[0];
	x.delivered = 13;
	x.qty = 13;
	x.delivery_years = "2019; 2020; 2021; 2022";
	int years[ALLOT_SIPRI_MAX_YEARS];
	int n = allot_sipri_delivery_years(&x, years);
	assert_int_equal(allot_sipri_delivered_before(&x, tu_m("2021-01")), 9);
	assert_int_equal(allot_sipri_delivered_before(&x, tu_m("2022-01")), 11);
	assert_int_equal(allot_sipri_delivered_before(&x, tu_m("2023-01")), 13);
	assert_int_equal(allot_sipri_units_of(&x, years, n, 2), 2);
	assert_int_equal(allot_sipri_units_of(&x, years, n, 3), 2);
	assert_int_equal(allot_sipri_delivered_before(&reg->v[3], tu_m("2021-01")), 4);
	n = allot_sipri_delivery_years(&reg->v[3], years);
	assert_int_equal(allot_sipri_units_of(&reg->v[3], years, n, 0), 4);
	check_no_negative_year(&x);
	for (size_t i = 0; i < reg->n; i++)
		check_no_negative_year(&reg->v[i]);
	allot_sipri_free(reg);
	/* the real register and export */
	const char *raw = tu_src("data/raw/sipri-trade-register/"
				 "trade-register_1950-2024_generated-2025-03-13.csv");
	assert_int_equal(allot_sipri_read(raw, &reg, &d), ALLOT_OK);
	assert_int_equal(allot_sipri_attach_years(
				 reg,
				 tu_src("data/raw/sipri-trade-register/"
					"trade_2023_deal-rows_2000-2023_generated-2025-01-03.csv"),
				 &matched, &d),
			 ALLOT_OK);
	assert_true(matched > 1000);
	for (size_t i = 0; i < reg->n; i++)
		check_no_negative_year(&reg->v[i]);
	allot_sipri_free(reg);
	allot_diags_free(&d);
}

static struct allot_backtest *hand_backtest(struct allot_scenario **sp, struct allot_plan **pp)
{
	struct allot_scenario *s = tu_scenario("2020-01", 60);
	int pol = tu_partner(s, "POL", "europe-east", 1, 2, 0, 0, 0, 0, 0);
	int jpn = tu_partner(s, "JPN", "indo-pacific", 0, 1, 0, 0, 0, 0, 0);
	int qat = tu_partner(s, "QAT", "middle-east", 0, 1, 0, 0, 0, 0, 0);
	int a = tu_system(s, "A", tu_line(s, "L1", 1, 0), 1e6, 12, 0);
	int b = tu_system(s, "B", tu_line(s, "L2", 0.5, 0), 1e6, 24, 0);
	tu_order(s, "O1", pol, a, 12, 4, "2018-01", NULL, -1);
	tu_order(s, "O2", jpn, a, 10, 0, "2019-01", NULL, -1);
	tu_order(s, "O3", qat, b, 6, 0, "2019-01", NULL, -1);
	tu_order(s, "O4", jpn, a, 4, 0, "2019-01", NULL, -1);
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = ALLOT_POLICY_FCFS;
	po.record_allocations = 1;
	assert_int_equal(allot_plan_run(s, &po, pp), ALLOT_OK);
	struct allot_sipri_register *reg = read_fixture();
	static const size_t rec[] = { 0, 1, 2, 3 };
	struct allot_backtest *bt = NULL;
	assert_int_equal(allot_backtest_compare(*pp, reg, rec, 2024, &bt), ALLOT_OK);
	allot_sipri_free(reg);
	*sp = s;
	return bt;
}

static void test_hand_case(void **state)
{
	(void)state;
	struct allot_scenario *s;
	struct allot_plan *p;
	struct allot_backtest *b = hand_backtest(&s, &p);
	assert_int_equal(b->year_from, 2020);
	assert_int_equal(b->n_years, 5);
	assert_int_equal(b->n_orders, 4);
	assert_int_equal(b->n_completed, 3);
	assert_int_equal(b->n_within, 2);
	assert_true(fabs(b->share_within - 2.0 / 3) < 1e-12);
	assert_true(fabs(b->mae_years - 1.0) < 1e-12);
	assert_true(fabs(b->bias_years - 1.0 / 3) < 1e-12);
	assert_int_equal(b->n_early, 0); /* O2 is 1 year early: within */
	assert_int_equal(b->n_late, 1);  /* O4, 2 years late */

	static const int completed[] = { 1, 1, 0, 1 }, actual[] = { 2021, 2023, -1, 2020 };
	static const int planned[] = { 2021, 2022, 2022, 2022 }, err[] = { 0, -1, 0, 2 };
	static const int64_t open[] = { 8, 10, 6, 4 }, rec[] = { 8, 10, 3, 4 },
			     plan[] = { 8, 10, 6, 4 };
	for (int i = 0; i < 4; i++) {
		const struct allot_backtest_order *o = &b->orders[i];
		assert_int_equal(o->completed, completed[i]);
		assert_int_equal(o->actual_year, actual[i]);
		assert_int_equal(o->planned_year, planned[i]);
		assert_int_equal(o->error_years, err[i]);
		assert_int_equal(o->open_units, open[i]);
		assert_int_equal(o->recorded_units, rec[i]);
		assert_int_equal(o->planned_units, plan[i]);
	}

	/* systems, most recorded units first: A (22), then B (3) */
	assert_int_equal(b->n_systems, 2);
	const struct allot_backtest_group *A = &b->systems[0], *B = &b->systems[1];
	assert_string_equal(A->id, "A");
	static const int64_t a_rec[] = { 8, 4, 0, 10, 0 }, a_plan[] = { 0, 12, 10, 0, 0 };
	static const int64_t b_rec[] = { 0, 0, 0, 3, 0 }, b_plan[] = { 0, 0, 6, 0, 0 };
	for (int y = 0; y < 5; y++) {
		assert_int_equal(A->recorded[y], a_rec[y]);
		assert_int_equal(A->planned[y], a_plan[y]);
		assert_int_equal(B->recorded[y], b_rec[y]);
		assert_int_equal(B->planned[y], b_plan[y]);
	}
	assert_int_equal(A->recorded_total, 22);
	assert_int_equal(A->planned_total, 22);
	assert_int_equal(A->years_within, 1); /* 2024: nothing against nothing */
	assert_int_equal(B->years_within, 3); /* 2020, 2021, 2024 */
	assert_int_equal(A->n_completed, 3);
	assert_int_equal(A->n_within, 2);
	assert_true(fabs(A->mae_years - 1.0) < 1e-12);
	assert_int_equal(b->n_top, 2);
	assert_int_equal(b->n_top_cells, 10);
	assert_int_equal(b->n_top_cells_within, 4);
	assert_int_equal(b->n_top_totals_within, 1); /* A 22/22; B 6 against 3 */

	/* partners, worst first: JPN (|-1| + |2| = 3), then POL and QAT (0) */
	assert_string_equal(b->partners[0].id, "JPN");
	assert_true(fabs(b->partners[0].abs_error_years - 3) < 1e-12);
	assert_int_equal(b->partners[0].n_within, 1);
	assert_string_equal(b->partners[1].id, "POL");
	assert_string_equal(b->partners[2].id, "QAT");

	/* Where the error lies, by hand: the completed orders are O1 (new,
	 * ordered 2 years before as_of, 12 units, 4 delivered before as_of,
	 * recorded 2021, error 0), O2 (new, 1 year, 10, none, 2023, -1) and O4
	 * (new, 1 year, 4, none, 2020, +2); the test lines state no basis. */
	static const char *const cells[] = { "supply/new 3 2 0 1 1.00 +0.33",
					     "age/1 year 2 1 0 1 1.50 +0.50",
					     "age/2 years 1 1 0 0 0.00 +0.00",
					     "size/1-5 units 1 0 0 1 2.00 +2.00",
					     "size/6-30 units 2 2 0 0 0.50 -0.50",
					     "started/none delivered 2 1 0 1 1.50 +0.50",
					     "started/some delivered 1 1 0 0 0.00 +0.00",
					     "rate/unstated 3 2 0 1 1.00 +0.33",
					     "recorded/2020 1 0 0 1 2.00 +2.00",
					     "recorded/2021 1 1 0 0 0.00 +0.00",
					     "recorded/2023 1 1 0 0 1.00 -1.00" };
	assert_int_equal(b->n_breakdown, sizeof cells / sizeof *cells);
	for (size_t i = 0; i < b->n_breakdown; i++) {
		const struct allot_backtest_cell *c = &b->breakdown[i];
		char got[96];
		snprintf(got, sizeof got, "%s/%s %zu %zu %zu %zu %.2f %+.2f", c->by, c->group,
			 c->n_completed, c->n_within, c->n_early, c->n_late, c->mae_years,
			 c->bias_years);
		assert_string_equal(got, cells[i]);
	}

	/* the CSV files say the same */
	char *dir = tu_tmpdir();
	assert_int_equal(allot_backtest_write(b, dir), ALLOT_OK);
	char path[4096];
	snprintf(path, sizeof path, "%s/backtest_orders.csv", dir);
	char *text = tu_slurp(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "O4,JPN,A,4,1,2020,2022,2,4,4\n"));
	assert_non_null(strstr(text, "O3,QAT,B,6,0,,2022,,3,6\n"));
	free(text);
	snprintf(path, sizeof path, "%s/backtest_summary.csv", dir);
	text = tu_slurp(path, NULL);
	assert_non_null(strstr(text, "share_within_1y,0.6667\n"));
	assert_non_null(strstr(text, "mae_years,1\n"));
	free(text);
	snprintf(path, sizeof path, "%s/backtest_breakdown.csv", dir);
	text = tu_slurp(path, NULL);
	assert_non_null(text);
	assert_non_null(
		strstr(text, "by,group,completed,within_1y,share_within_1y,mae_years,"
			     "bias_years,early_2y,late_2y\nsupply,new,3,2,0.6667,1,0.3333,0,1\n"));
	assert_non_null(strstr(text, "\nage,1 year,2,1,0.5,1.5,0.5,0,1\n"));
	free(text);
	tu_rmtree(dir);
	free(dir);

	allot_backtest_free(b);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* A plan that does not complete in the horizon counts as the year after it. */
static void test_beyond_horizon(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2020-01", 24);
	int pol = tu_partner(s, "POL", "europe-east", 1, 2, 0, 0, 0, 0, 0);
	int a = tu_system(s, "A", tu_line(s, "L1", 0.25, 0), 1e6, 12, 0);
	tu_order(s, "O1", pol, a, 12, 4, "2018-01", NULL, -1);
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = ALLOT_POLICY_FCFS;
	po.record_allocations = 1;
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &po, &p), ALLOT_OK);
	struct allot_sipri_register *reg = read_fixture();
	static const size_t rec[] = { 0 };
	struct allot_backtest *b = NULL;
	assert_int_equal(allot_backtest_compare(p, reg, rec, 2024, &b), ALLOT_OK);
	assert_int_equal(b->orders[0].planned_year, -1);
	/* the horizon ends with 2021-12: counted as 2023, against 2021 */
	assert_int_equal(b->orders[0].error_years, 2);
	assert_int_equal(b->n_within, 0);
	allot_backtest_free(b);
	allot_sipri_free(reg);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* The first line of a file (its CSV header), without the newline. */
static char *head_line(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *text = tu_slurp(path, NULL);
	assert_non_null(text);
	text[strcspn(text, "\n")] = '\0';
	return text;
}

/* An object's keys in order, comma-separated, after `first` ("" for none),
 * leaving out `skip` (NULL for none). */
static void keys_of(const json_t *o, const char *first, const char *skip, char *buf, size_t size)
{
	snprintf(buf, size, "%s", first);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)o, k, v)
	{
		if (skip && strcmp(k, skip) == 0)
			continue;
		size_t n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", n ? "," : "", k);
	}
}

/* One rendering (issue 14): the JSON answer, the CSV files (and so --csv,
 * backtest_systems.csv) and the report table (report_test.js) use one
 * column list per table: the same keys, and the same values. */
static void test_same_keys(void **state)
{
	(void)state;
	struct allot_scenario *s;
	struct allot_plan *p;
	struct allot_backtest *b = hand_backtest(&s, &p);
	char *dir = tu_tmpdir();
	assert_int_equal(allot_backtest_write(b, dir), ALLOT_OK);
	json_t *j = allot_backtest_json(b);
	assert_non_null(j);
	char keys[1024];

	/* orders and the breakdown: the CSV header is the JSON row's keys */
	char *h = head_line(dir, "backtest_orders.csv");
	keys_of(json_array_get(json_object_get(j, "order_rows"), 0), "", NULL, keys, sizeof keys);
	assert_string_equal(h, keys);
	free(h);
	h = head_line(dir, "backtest_breakdown.csv");
	keys_of(json_array_get(json_object_get(j, "breakdown"), 0), "", NULL, keys, sizeof keys);
	assert_string_equal(h, keys);
	free(h);

	/* systems and partners: a year's row after the key; the `all` row is
	 * the group's own figures */
	static const char *const file[2] = { "backtest_systems.csv", "backtest_partners.csv" };
	static const char *const key[2] = { "system_id", "iso3" };
	for (int k = 0; k < 2; k++) {
		json_t *g = json_array_get(json_object_get(j, k ? "partners" : "systems"), 0);
		h = head_line(dir, file[k]);
		keys_of(json_array_get(json_object_get(g, "years"), 0), key[k], NULL, keys,
			sizeof keys);
		assert_string_equal(h, keys);
		free(h);
		const struct allot_backtest_group *bg = k ? b->partners : b->systems;
		size_t ng = k ? b->n_partners : b->n_systems;
		for (size_t i = 0; i < ng; i++) {
			g = json_array_get(json_object_get(j, k ? "partners" : "systems"), i);
			assert_string_equal(json_string_value(json_object_get(g, key[k])),
					    bg[i].id);
			struct allot_cell cell[ALLOT_BACKTEST_YEAR_NCOL];
			allot_backtest_year_cells(b, &bg[i], b->n_years, cell);
			for (size_t c = 1; c < ALLOT_BACKTEST_YEAR_NCOL - (size_t)k; c++) {
				json_t *v = json_object_get(g, allot_backtest_year_columns[c]);
				assert_non_null(v);
				char t[64], jt[64];
				allot_cell_text(&cell[c], t);
				if (json_is_null(v))
					jt[0] = '\0';
				else if (json_is_boolean(v))
					snprintf(jt, sizeof jt, "%d", json_is_true(v));
				else
					allot_fmt_double(json_number_value(v), jt);
				assert_string_equal(jt, t);
			}
		}
	}

	/* the summary: a measure per top-level figure, in order, same value */
	char path[4096];
	snprintf(path, sizeof path, "%s/backtest_summary.csv", dir);
	char *text = tu_slurp(path, NULL);
	assert_non_null(text);
	char *line = strchr(text, '\n') + 1;
	size_t n = 0;
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v)
	{
		if (json_is_array(v) || strcmp(k, "notes") == 0)
			continue;
		char want[128], jt[64];
		if (json_is_string(v))
			snprintf(jt, sizeof jt, "%s", json_string_value(v));
		else if (json_is_null(v)) /* missing: an empty cell */
			jt[0] = '\0';
		else
			allot_fmt_double(json_number_value(v), jt);
		snprintf(want, sizeof want, "%s,%s\n", k, jt);
		assert_memory_equal(line, want, strlen(want));
		line += strlen(want);
		n++;
	}
	assert_int_equal(n, ALLOT_BACKTEST_SUMMARY_NCOL);
	assert_string_equal(line, "");
	free(text);

	json_decref(j);
	tu_rmtree(dir);
	free(dir);
	allot_backtest_free(b);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* The worst lists of the text report: only groups with some error, worst
 * first, ties in the answer's order, at most top. */
static void test_worst(void **state)
{
	(void)state;
	struct allot_scenario *s;
	struct allot_plan *p;
	struct allot_backtest *b = hand_backtest(&s, &p);
	const struct allot_backtest_group *v[4];
	/* A: |0| + |-1| + |2| over O1, O2, O4; B has no completed order */
	assert_int_equal(allot_backtest_worst(b, 1, 4, v), 1);
	assert_string_equal(v[0]->id, "A");
	/* JPN: O2 and O4; POL's O1 is exact */
	assert_int_equal(allot_backtest_worst(b, 0, 4, v), 1);
	assert_string_equal(v[0]->id, "JPN");
	/* ties keep the answer's order; top cuts */
	b->partners[2].abs_error_years = 5; /* QAT */
	b->partners[1].abs_error_years = 3; /* POL, tied with JPN */
	assert_int_equal(allot_backtest_worst(b, 0, 2, v), 2);
	assert_string_equal(v[0]->id, "QAT");
	assert_string_equal(v[1]->id, "JPN");
	assert_int_equal(allot_backtest_worst(b, 0, 4, v), 3);
	assert_string_equal(v[2]->id, "POL");
	allot_backtest_free(b);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* The one headline (issue 14) of the hand case, word for word: 2 of 3
 * completed within +-1 year (66.7 %, goal missed), MAE 1 (missed), bias
 * +1/3 with O4 2 years late; A and B the top systems, 4 of their 10
 * system-years and A's total within +-25 % (test_hand_case).  Then with no
 * completed order the share and error are missing, not 0 (in the summary
 * cells too); and a short
 * buffer is cut as snprintf cuts, with the full length returned. */
static void test_headline(void **state)
{
	(void)state;
	struct allot_scenario *s;
	struct allot_plan *p;
	struct allot_backtest *b = hand_backtest(&s, &p);
	static const char want[] =
		"Of the 3 orders SIPRI shows completed by 2024, 2 (66.7 %) are planned within "
		"+-1 year (goal >= 70 %: missed), with a mean absolute error of 1.00 years (goal "
		"< 1: missed) and a mean error of +0.33 years (plans late; 0 planned 2 or more "
		"years early, 1 late); of the top 2 systems by recorded units, 4 of 10 "
		"system-years (goal all: missed) and 1 of 2 totals for 2020-2024 are within "
		"+-25 %.";
	char h[ALLOT_BACKTEST_HEADLINE_MAX], cut[16];
	assert_int_equal(allot_backtest_headline(b, h, sizeof h), strlen(want));
	assert_string_equal(h, want);
	assert_int_equal(allot_backtest_headline(b, cut, sizeof cut), strlen(want));
	assert_string_equal(cut, "Of the 3 orders");
	assert_int_equal(allot_backtest_headline(b, NULL, 0), strlen(want));

	b->n_completed = b->n_within = 0;
	allot_backtest_headline(b, h, sizeof h);
	assert_string_equal(h, "None of the 4 orders in the book is shown completed by 2024 in "
			       "SIPRI's register, so the share within +-1 year and the mean "
			       "absolute error are missing (goals >= 70 % and < 1 year: not "
			       "measured); of the top 2 systems by recorded units, 4 of 10 "
			       "system-years (goal all: missed) and 1 of 2 totals for 2020-2024 "
			       "are within +-25 %.");
	/* the summary row and --json say the same: missing, not 0 */
	struct allot_cell c[ALLOT_BACKTEST_SUMMARY_NCOL];
	allot_backtest_summary_cells(b, c);
	int missing = 0;
	for (int i = 0; i < ALLOT_BACKTEST_SUMMARY_NCOL; i++)
		if (!strcmp(allot_backtest_summary_columns[i], "share_within_1y") ||
		    !strcmp(allot_backtest_summary_columns[i], "mae_years") ||
		    !strcmp(allot_backtest_summary_columns[i], "bias_years")) {
			assert_int_equal(c[i].kind, ALLOT_CELL_NULL);
			missing++;
		}
	assert_int_equal(missing, 3);
	allot_backtest_free(b);
	allot_plan_free(p);
	allot_scenario_free(s);
}

static struct allot_convert_dirs data_dirs(void)
{
	static char raw[4096], src[4096], map[4096];
	snprintf(raw, sizeof raw, "%s", tu_src("data/raw"));
	snprintf(src, sizeof src, "%s", tu_src("data/sources"));
	snprintf(map, sizeof map, "%s", tu_src("data/mappings"));
	return (struct allot_convert_dirs){ .raw = raw, .sources = src, .mappings = map };
}

/* The as-of dataset knows nothing dated at or after its as-of month. */
static void test_as_of_dataset(void **state)
{
	(void)state;
	struct allot_convert_dirs dirs = data_dirs();
	struct allot_diags d;
	char *md, *md_now = NULL;
	struct allot_scenario *s = tu_as_of_book("2020-01", &md, &d), *now = NULL;
	/* the hand tables map every open record of 2020-01: nothing left out */
	assert_int_equal(allot_diags_count(&d), 0);
	assert_null(strstr(md, "Left out"));
	assert_int_equal(s->as_of, tu_m("2020-01"));
	assert_true(s->n_orders > 100);
	for (size_t i = 0; i < s->n_orders; i++) {
		assert_true(s->orders[i].loa_month < tu_m("2020-01"));
		assert_true(s->orders[i].loa_month >= tu_m("2010-01"));
		assert_true(s->orders[i].qty > s->orders[i].delivered);
	}
	for (size_t i = 0; i < s->n_events; i++)
		assert_true(s->events[i].month < tu_m("2020-01"));
	for (size_t i = 0; i < s->n_requests; i++)
		assert_true(s->requests[i].lor_month < tu_m("2020-01"));
	/* every line is a SIPRI estimate (us_share 0): the cited rates are
	 * dated after 2020-01 or undated */
	for (size_t i = 0; i < s->n_lines; i++)
		assert_true(s->lines[i].us_share == 0);
	assert_non_null(strstr(md, "estimate (SIPRI deliveries 2015-2019)"));
	/* A line's estimated rate is its best year (docs/dataset.md).  The
	 * register's new AGM-65 Maverick deliveries of 2015-2019, by SIPRI's
	 * per-year export (docs/backtest.md; the even spread of the register's
	 * totals gave 41.67 in 2017 and 2019, 283.333 in all): 50 in 2015
	 * (Iraq, order of 2011), 50 in 2016 (Iraq, 2013), 50 and 50 in 2015
	 * and 2016 (South Korea, 2014), 25 in 2017 and 50 in 2019 (the
	 * Philippines, 2013, whose 50 of 2020 are after the window): 100, 100,
	 * 25, 0, 50.  Best year 100 -> 100/12 a month (the mean is 55/12). */
	int mav = allot_scenario_find_line(s, "maverick");
	assert_true(mav >= 0);
	assert_true(fabs(s->lines[mav].rate_per_month - 100.0 / 12) < 1e-12);
	assert_non_null(strstr(md,
			       "| maverick | 8.333333333333334 | 0 | estimate (SIPRI deliveries "
			       "2015-2019): 100 new units delivered to foreign recipients in 2015, "
			       "the peak year (275 in the 5 years)"));
	/* months that are not January, or after the register, are refused */
	struct allot_scenario *bad = NULL;
	char *bad_md = NULL;
	assert_int_equal(allot_convert_dataset_as_of(&dirs, tu_m("2020-03"), &bad, &bad_md, &d),
			 ALLOT_EINPUT);
	assert_int_equal(allot_convert_dataset_as_of(&dirs, tu_m("2026-01"), &bad, &bad_md, &d),
			 ALLOT_EINPUT);
	assert_null(bad);
	/* 2018-01: eight open records no table maps are left out, with a
	 * warning each, instead of failing */
	allot_diags_free(&d);
	bad = tu_as_of_book("2018-01", &bad_md, &d);
	assert_int_equal(allot_diags_count(&d), 8);
	assert_non_null(
		strstr(bad_md, "Left out (no systems.csv or countries.csv row): 8 open records"));
	/* A line's estimate is at least its largest open contract over a
	 * typical order's time (lib/convert/line_floor.c, docs/dataset.md
	 * "Lines").  Excalibur as of 2018-01: SIPRI's only new deliveries of
	 * 2013-2017 are Canada's 100 shells of 2013 (best year 100 -> 100/12 a
	 * month, the old rule), and the Netherlands' 3,500 of 2017 (register
	 * line 16925) are open with nothing delivered before 2018: 3,500 over
	 * 36 months (12 x the median 3 years from order to last delivery). */
	int exc = allot_scenario_find_line(bad, "excalibur");
	assert_true(exc >= 0);
	assert_true(fabs(bad->lines[exc].rate_per_month - 3500.0 / 36) < 1e-12);
	assert_non_null(strstr(bad_md,
			       "| excalibur | 97.22222222222223 | 0 | estimate (SIPRI "
			       "deliveries 2013-2017): 100 new units delivered to foreign "
			       "recipients in 2013, the peak year (100 in the 5 years), / 12 "
			       "months; raised to its largest open contract, 3500 units, "
			       "over 36 months, 12 x the median 3 years"));
	allot_convert_free_text(bad_md);
	allot_scenario_free(bad);
	allot_diags_free(&d);
	allot_diags_init(&d);
	/* 2025-01 is the bundled dataset */
	assert_int_equal(allot_convert_dataset(&dirs, &now, &md_now, &d), ALLOT_OK);
	assert_int_equal(now->n_orders, 526); /* 528 open, 2 of non-partners */
	/* The floor's months are the line's own when it has 5 new records
	 * delivered in full in the 20 years (line_floor.c): ESSM at 2025-01,
	 * best year 39.67 (2022), largest open contract 750, the line's 10
	 * records' median 6 years from order to last delivery: 750 / 72 a
	 * month (the supplier's 36 months would give 750 / 36). */
	int essm = allot_scenario_find_line(now, "essm");
	assert_true(essm >= 0);
	assert_true(fabs(now->lines[essm].rate_per_month - 750.0 / 72) < 1e-12);
	assert_non_null(strstr(md_now, "raised to its largest open contract, 750 units, over 72 "
				       "months, 12 x the median 6 years from order to last "
				       "delivery of the line's 10 new records of 2005-2024"));
	assert_true(now->n_events > 0);
	allot_convert_free_text(md);
	allot_convert_free_text(md_now);
	allot_scenario_free(s);
	allot_scenario_free(now);
	allot_diags_free(&d);
}

/* Issue 15's second goal on the bundled plan (docs/backtest.md, "The
 * bundled plan against its cited rates"): no order of a line with a cited
 * rate completes more than twice as late as the rate implies, that is
 * after as_of + 2 x (lead + the line's whole open backlog / its foreign
 * rate at as_of; the ramps of events.csv only shorten it).  Violations
 * are listed before the test fails, and so is what each cited line
 * delivers in 2025 against its foreign rate. */
static void test_bundled_plan_cited_rates(void **state)
{
	(void)state;
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.record_allocations = 1;
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &po, &p), ALLOT_OK);
	size_t L = s->n_lines, N = s->n_orders;
	int64_t *backlog = calloc(L, sizeof *backlog), *in2025 = calloc(L, sizeof *in2025);
	int64_t *wip = calloc(N, sizeof *wip);
	assert_non_null(backlog);
	assert_non_null(in2025);
	assert_non_null(wip);
	for (size_t k = 0; k < s->n_wip; k++)
		wip[s->wip[k].order] += s->wip[k].units;
	for (size_t i = 0; i < N; i++) {
		const struct allot_order *o = &s->orders[i];
		if (o->supply == ALLOT_SUPPLY_NEW)
			backlog[s->systems[o->system].line] += o->qty - o->delivered - wip[i];
	}
	for (size_t k = 0; k < p->n_allocs; k++) {
		const struct allot_alloc *a = &p->allocs[k];
		const struct allot_order *o = &s->orders[a->order];
		int lead = s->systems[o->system].lead_months;
		if (o->supply == ALLOT_SUPPLY_NEW && a->month + lead >= 0 && a->month + lead < 12)
			in2025[s->systems[o->system].line] += a->units;
	}
	size_t cited = 0, violations = 0;
	for (size_t i = 0; i < N; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_line *l = &s->lines[s->systems[o->system].line];
		int64_t open = o->qty - o->delivered - wip[i];
		if (l->rate_basis != ALLOT_RATE_CITED || o->supply != ALLOT_SUPPLY_NEW || open <= 0)
			continue;
		cited++;
		double rate = l->rate_per_month * (1 - l->us_share);
		double implied = s->systems[o->system].lead_months +
				 ceil((double)backlog[s->systems[o->system].line] / rate);
		/* no completion within the horizon is late only when twice the
		 * implied wait ends within it */
		allot_month c = p->orders[i].completion;
		if (c == ALLOT_NO_MONTH ? 2 * implied < s->horizon_months
					: (double)(c - s->as_of) > 2 * implied) {
			char m[8] = "none";
			if (c != ALLOT_NO_MONTH)
				allot_month_format(c, m);
			print_message(
				"violation: %s on %s completes %s, rate implies %.0f months\n",
				o->order_id, l->line_id, m, implied);
			violations++;
		}
	}
	for (size_t l = 0; l < L; l++)
		if (s->lines[l].rate_basis == ALLOT_RATE_CITED && backlog[l] > 0)
			print_message(
				"%s: %lld units delivered in 2025 (new production), foreign rate "
				"%.1f a year, open line units %lld\n",
				s->lines[l].line_id, (long long)in2025[l],
				12 * s->lines[l].rate_per_month * (1 - s->lines[l].us_share),
				(long long)backlog[l]);
	assert_true(cited > 20);
	assert_int_equal(violations, 0);
	/* no silent zero: a line with units on order and a rate of 0 states
	 * why in lines.csv (a typed, cited rate, e.g. production ended), and
	 * a line with new-production units to make has a rate above 0 */
	int64_t *open = calloc(L, sizeof *open);
	assert_non_null(open);
	for (size_t i = 0; i < N; i++)
		open[s->systems[s->orders[i].system].line] +=
			s->orders[i].qty - s->orders[i].delivered;
	size_t zeros = 0;
	for (size_t l = 0; l < L; l++) {
		const struct allot_line *ln = &s->lines[l];
		if (ln->rate_per_month > 0 || open[l] <= 0)
			continue;
		if (ln->rate_basis != ALLOT_RATE_CITED || backlog[l] > 0) {
			print_message("silent zero: line %s (%s) has rate 0, %lld units open, "
				      "%lld of them new production\n",
				      ln->line_id, allot_rate_basis_name(ln->rate_basis),
				      (long long)open[l], (long long)backlog[l]);
			zeros++;
		}
	}
	assert_int_equal(zeros, 0);
	free(open);
	free(backlog);
	free(in2025);
	free(wip);
	allot_plan_free(p);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

/* Whether the file rel of the source tree, its runs of white space read
 * as one space (the docs wrap lines anywhere), holds the text printf
 * makes of fmt. */
static int doc_says(const char *rel, const char *fmt, ...)
{
	char want[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(want, sizeof want, fmt, ap);
	va_end(ap);
	size_t n = 0;
	char *t = tu_slurp(tu_src(rel), &n);
	assert_non_null(t);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int sp = t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r';
		if (!sp || (k > 0 && t[k - 1] != ' '))
			t[k++] = sp ? ' ' : t[i];
	}
	t[k] = '\0';
	int found = strstr(t, want) != NULL;
	if (!found)
		print_error("%s does not say \"%s\"\n", rel, want);
	free(t);
	return found;
}

/* The backtest on the bundled data: sums agree, shares are shares. */
static void test_bundled_backtest(void **state)
{
	(void)state;
	struct allot_convert_dirs dirs = data_dirs();
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_backtest_options o;
	allot_backtest_options_init(&o);
	struct allot_backtest *b = NULL;
	assert_int_equal(allot_backtest_run(&dirs, &o, &b, &d), ALLOT_OK);
	assert_int_equal(b->year_from, 2020);
	assert_int_equal(b->year_to, 2024);
	assert_true(b->n_completed > 100 && b->n_completed <= b->n_orders);
	assert_true(b->n_within <= b->n_completed);
	assert_int_equal(b->n_top, ALLOT_BACKTEST_TOP);
	int64_t rec = 0, plan = 0, srec = 0, splan = 0;
	size_t done = 0;
	for (size_t i = 0; i < b->n_orders; i++) {
		rec += b->orders[i].recorded_units;
		plan += b->orders[i].planned_units;
		assert_true(b->orders[i].recorded_units <= b->orders[i].open_units);
		assert_true(b->orders[i].planned_units <= b->orders[i].open_units);
		done += b->orders[i].completed;
	}
	for (size_t i = 0; i < b->n_systems; i++) {
		srec += b->systems[i].recorded_total;
		splan += b->systems[i].planned_total;
		if (i > 0)
			assert_true(b->systems[i - 1].recorded_total >=
				    b->systems[i].recorded_total);
	}
	assert_int_equal(rec, srec);
	assert_int_equal(plan, splan);
	assert_int_equal(done, b->n_completed);
	/* the headline figures the docs quote are those it prints now */
	double pct = 100.0 * b->share_within;
	assert_true(doc_says("README.md",
			     "**%.1f %% of the %zu orders SIPRI shows completed by 2024 "
			     "within +-1 year**",
			     pct, b->n_completed));
	assert_true(doc_says("README.md", "mean absolute error **%.2f years**", b->mae_years));
	assert_true(doc_says("docs/report.md",
			     "completed by 2024, %zu (%.1f %%) are planned within", b->n_within,
			     pct));
	assert_true(doc_says("docs/backtest.md",
			     "2020-01, %zu of %zu completed orders within +-1 "
			     "year (%.1f %%",
			     b->n_within, b->n_completed, pct));
	assert_true(doc_says("docs/backtest.md",
			     "MAE %.2f years (%s), %zu of the top-20 "
			     "systems' %zu system-years (missed) and %zu of their 20 totals",
			     b->mae_years, b->mae_years < 1.0 ? "met" : "missed",
			     b->n_top_cells_within, b->n_top_cells, b->n_top_totals_within));
	/* out of range options */
	struct allot_backtest *none = NULL;
	o.year_to = 2019;
	assert_int_equal(allot_backtest_run(&dirs, &o, &none, &d), ALLOT_EINPUT);
	o.year_to = 2025; /* after the register's last year */
	assert_int_equal(allot_backtest_run(&dirs, &o, &none, &d), ALLOT_EINPUT);
	assert_null(none);
	allot_backtest_free(b);
	/* the held-out date the docs quote */
	allot_backtest_options_init(&o);
	o.as_of = tu_m("2018-01");
	o.year_to = 2022;
	assert_int_equal(allot_backtest_run(&dirs, &o, &b, &d), ALLOT_OK);
	assert_true(doc_says("README.md",
			     "gives %.1f %% of %zu within +-1 year, MAE %.2f years, "
			     "%zu of %zu system-years and %zu of 20 totals",
			     100.0 * b->share_within, b->n_completed, b->mae_years,
			     b->n_top_cells_within, b->n_top_cells, b->n_top_totals_within));
	assert_true(doc_says("docs/backtest.md", "held-out 2018-01, %zu of %zu (%.1f %%",
			     b->n_within, b->n_completed, 100.0 * b->share_within));
	allot_backtest_free(b);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delivered_before),
		cmocka_unit_test(test_per_year_units),
		cmocka_unit_test(test_one_definition),
		cmocka_unit_test(test_hand_case),
		cmocka_unit_test(test_beyond_horizon),
		cmocka_unit_test(test_same_keys),
		cmocka_unit_test(test_worst),
		cmocka_unit_test(test_headline),
		cmocka_unit_test(test_as_of_dataset),
		cmocka_unit_test(test_bundled_backtest),
		cmocka_unit_test(test_bundled_plan_cited_rates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
