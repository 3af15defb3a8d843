/*
 * test_answers_orderbook.c - the order book (allot_orderbook_run/_build,
 * its columns and its JSON: allot orders, GET .../orderbook and the
 * report's orders table) on small scenarios checked by hand, the filter
 * parser's messages, and the bundled dataset.
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

#include <jansson.h>

#include <allot/allot.h>
#include "testutil.h"

static const char *month_str(allot_month m)
{
	static char buf[8][8];
	static int k;
	char *b = buf[k++ & 7];
	allot_month_format(m, b);
	return b;
}

static struct allot_scenario *load(const char *rel)
{
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_load(tu_src(rel), &s, &d), ALLOT_OK);
	allot_diags_free(&d);
	return s;
}

static const struct allot_orderbook_row *row_of(const struct allot_orderbook *b, const char *id)
{
	for (size_t i = 0; i < b->n_rows; i++)
		if (strcmp(b->scenario->orders[b->rows[i].order].order_id, id) == 0)
			return &b->rows[i];
	fail_msg("no row %s", id);
	return NULL;
}

static size_t col(const char *key)
{
	for (size_t k = 0; k < ALLOT_ORDERBOOK_NCOL; k++)
		if (strcmp(allot_orderbook_columns[k].key, key) == 0)
			return k;
	fail_msg("no column %s", key);
	return 0;
}

/* One order's figures: first delivery, completion, wait, cancelled units,
 * months late (-1: no need month), for [0] fcfs and [1] priority. */
static void expect(const struct allot_orderbook_row *r, int k, const char *first, const char *done,
		   int wait, int64_t cancelled, int late)
{
	assert_string_equal(month_str(r->first_delivery[k]), first);
	assert_string_equal(month_str(r->completion[k]), done);
	assert_int_equal(r->wait[k], wait);
	assert_int_equal(r->cancelled[k], cancelled);
	assert_int_equal(r->late[k], late);
}

/*
 * tests/data/scenarios/unknown-cost: line L makes 10 a month, lead 2,
 * from 2025-01 for 6 months.  A1 (AAA, tier 1, 12 x USD 1 million, LOA
 * 2024-09, need 2025-03), A2 (AAA, 5 of U, unit cost unknown, LOA 2024-10),
 * B1 (BBB, tier 3, 15 x USD 1 million, LOA 2024-06).  AAA's cap of USD 10
 * million cuts A1 to 10 under both policies (2 cancelled); A2 cannot be
 * checked and is kept.
 *   fcfs (LOA order B1, A1, A2): made Jan B1 10; Feb B1 5, A1 5; Mar A1 5,
 *   A2 5.  Delivered two months later: B1 2025-03..04, A1 2025-04..05, A2
 *   2025-05.
 *   priority (tier, then LOA: A1, A2, B1): Jan A1 10; Feb A2 5, B1 5; Mar
 *   B1 10.  A1 2025-03, A2 2025-04, B1 2025-04..05.
 * Waits from as_of (every LOA is before it): completion - 2025-01.  A1 is
 * late 2 months under fcfs, 0 under priority.  Shifts: A1 -2, A2 -1, B1
 * +1.  Value left: 12 + 15 = USD 27 million known, A2's 5 units apart.
 */
static void unknown_cost_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = load("tests/data/scenarios/unknown-cost");
	struct allot_orderbook *b = NULL;
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	assert_int_equal(b->n_rows, 3);
	const struct allot_orderbook_row *a1 = row_of(b, "A1"), *a2 = row_of(b, "A2"),
					 *b1 = row_of(b, "B1");
	expect(a1, 0, "2025-04", "2025-05", 4, 2, 2);
	expect(a1, 1, "2025-03", "2025-03", 2, 2, 0);
	expect(a2, 0, "2025-05", "2025-05", 4, 0, -1);
	expect(a2, 1, "2025-04", "2025-04", 3, 0, -1);
	expect(b1, 0, "2025-03", "2025-04", 3, 0, -1);
	expect(b1, 1, "2025-04", "2025-05", 4, 0, -1);
	assert_int_equal(a1->shift, -2);
	assert_int_equal(a2->shift, -1);
	assert_int_equal(b1->shift, 1);
	assert_int_equal(a1->tier, 1);
	assert_int_equal(b1->tier, 3);
	assert_int_equal(a1->left, 12);
	assert_true(a1->value_left_usd == 12e6);
	assert_true(isnan(a2->value_left_usd)); /* unknown, never 0 */
	/* the summary */
	assert_int_equal(b->units_left, 32);
	assert_true(b->value_left.known == 27e6);
	assert_int_equal(b->value_left.unknown_orders, 1);
	assert_int_equal(b->value_left.unknown_units, 5);
	assert_int_equal(b->complete_fcfs, 3);
	assert_int_equal(b->complete_priority, 3);
	assert_int_equal(b->earlier, 2);
	assert_int_equal(b->later, 1);
	/* the cells: A2's value is null, not 0; no optional column */
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	char buf[64];
	allot_orderbook_cells(b, a2, c);
	assert_int_equal(c[col("value_left_usd")].kind, ALLOT_CELL_NULL);
	assert_string_equal(allot_cell_text(&c[col("value_left_usd")], buf), "");
	assert_int_equal(c[col("months_late_fcfs")].kind, ALLOT_CELL_NULL);
	allot_orderbook_cells(b, a1, c);
	assert_string_equal(allot_cell_text(&c[col("value_left_usd")], buf), "12000000");
	assert_string_equal(allot_cell_text(&c[col("shift_months")], buf), "-2");
	assert_false(allot_orderbook_has(b, col("supply")));
	assert_false(allot_orderbook_has(b, col("wip_units")));
	assert_false(allot_orderbook_has(b, col("rate_basis")));
	assert_false(allot_orderbook_has(b, col("max_per_month")));
	assert_false(allot_orderbook_has(b, col("not_before")));
	/* the JSON: the sum's unknowns apart, A2's value null */
	json_t *j = allot_orderbook_json(b);
	assert_non_null(j);
	assert_true(json_real_value(json_object_get(j, "value_left_usd")) == 27e6);
	assert_int_equal(
		json_integer_value(json_object_get(j, "value_left_usd_unknown_cost_units")), 5);
	json_t *rows = json_object_get(j, "orders");
	assert_int_equal(json_array_size(rows), 3);
	json_t *r1 = json_array_get(rows, 1);
	assert_string_equal(json_string_value(json_object_get(r1, "order_id")), "A2");
	assert_true(json_is_null(json_object_get(r1, "value_left_usd")));
	/* the 5 above, and loa_basis and unit_cost_basis: no basis stated */
	assert_int_equal(json_object_size(r1), ALLOT_ORDERBOOK_NCOL - 7);
	json_decref(j);
	allot_orderbook_free(b);
	allot_scenario_free(s);
}

/* Line L makes 10 a month, lead 0, from 2025-01 for 3 months.  A (STR,
 * tier 1) 20 units, LOA 2024-06, need 2025-02; B (WEK, tier 3) 15, LOA
 * 2024-01.  fcfs: B 10 + 5 (done 2025-02), A 5 + 10 from February: 15 of
 * 20 by the end, not complete (5 short, late at least 2025-04 - 2025-02 =
 * 2, wait 3 to the horizon's end).  priority: A 10 + 10 (done 2025-02), B
 * 10 in March: not complete.  The shifts count a missing completion at the
 * horizon's end (2025-04): A 2025-02 - 2025-04 = -2, B +2. */
static struct allot_scenario *short_horizon(void)
{
	struct allot_scenario *s = tu_scenario("2025-01", 3);
	int str = tu_partner(s, "STR", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int wek = tu_partner(s, "WEK", "africa", 0, 0, 0, 0, 0, 0, 0);
	int y = tu_system(s, "S", tu_line(s, "L", 10, 0), 1e6, 0, 0);
	tu_order(s, "A", str, y, 20, 0, "2024-06", "2025-02", -1);
	tu_order(s, "B", wek, y, 15, 0, "2024-01", NULL, -1);
	return s;
}

static void not_complete_at_the_horizon(void **state)
{
	(void)state;
	struct allot_scenario *s = short_horizon();
	struct allot_orderbook *b = NULL;
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	const struct allot_orderbook_row *a = row_of(b, "A"), *bb = row_of(b, "B");
	assert_int_equal(a->tier, 1);
	assert_int_equal(bb->tier, 3);
	expect(a, 0, "2025-02", "", 3, 0, 2);
	expect(a, 1, "2025-01", "2025-02", 1, 0, 0);
	expect(bb, 0, "2025-01", "2025-02", 1, 0, -1);
	expect(bb, 1, "2025-03", "", 3, 0, -1);
	assert_int_equal(a->short_units[0], 5);
	assert_int_equal(a->short_units[1], 0);
	assert_int_equal(bb->short_units[1], 5);
	assert_true(a->shift_known && a->shift == -2);
	assert_true(bb->shift_known && bb->shift == 2);
	assert_int_equal(b->complete_fcfs, 1);
	assert_int_equal(b->complete_priority, 1);
	/* a null completion is null in every face, "after" only in text */
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	allot_orderbook_cells(b, a, c);
	assert_int_equal(c[col("completion_fcfs")].kind, ALLOT_CELL_MONTH);
	assert_int_equal(c[col("completion_fcfs")].m, ALLOT_NO_MONTH);
	assert_true(allot_orderbook_columns[col("completion_fcfs")].flags & ALLOT_COL_AFTER);
	/* filters: late keeps A only (B has no need month); tier 3 keeps B */
	allot_orderbook_free(b);
	struct allot_order_filter f = { .late = 1 };
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, &f, &b), ALLOT_OK);
	assert_int_equal(b->n_rows, 1);
	assert_int_equal(b->units_left, 20);
	assert_int_equal(b->n_total, 2);
	row_of(b, "A");
	allot_orderbook_free(b);
	f = (struct allot_order_filter){ .tier = 3 };
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, &f, &b), ALLOT_OK);
	assert_int_equal(b->n_rows, 1);
	row_of(b, "B");
	allot_orderbook_free(b);
	/* a switch after the horizon: priority never applies, no shift */
	assert_int_equal(allot_orderbook_run(s, tu_m("2026-01"), NULL, &b), ALLOT_OK);
	assert_int_equal(b->earlier + b->later, 0);
	allot_orderbook_free(b);
	allot_scenario_free(s);
}

/* The filter parser: the CLI's and the API's messages, lists resolved by
 * name, prefix and id, each partner once. */
static void filter_parse(void **state)
{
	(void)state;
	struct allot_scenario *s = short_horizon();
	struct allot_order_filter f;
	char msg[256];
	assert_int_equal(allot_order_filter_parse(s, "wek, STR,wek", NULL, "L", "AFRICA", &f, msg,
						  sizeof msg),
			 ALLOT_OK);
	assert_int_equal(f.n_partners, 2);
	assert_int_equal(f.partners[0], 1);
	assert_int_equal(f.partners[1], 0);
	assert_int_equal(f.n_lines, 1);
	assert_string_equal(f.region, "AFRICA");
	struct allot_orderbook *b = NULL;
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, &f, &b), ALLOT_OK);
	assert_int_equal(b->n_rows, 1); /* africa: B */
	row_of(b, "B");
	allot_orderbook_free(b);
	allot_order_filter_free(&f);
	assert_null(f.partners);
	assert_int_equal(allot_order_filter_parse(s, "WEX", NULL, NULL, NULL, &f, msg, sizeof msg),
			 ALLOT_ENOTFOUND);
	assert_string_equal(msg, "no partner 'WEX' in the scenario; did you mean WEK (WEK)?");
	assert_null(f.partners);
	assert_int_equal(allot_order_filter_parse(s, NULL, ",", NULL, NULL, &f, msg, sizeof msg),
			 ALLOT_EINPUT);
	assert_string_equal(msg, "expected a system id or name, found ','");
	assert_int_equal(allot_order_filter_parse(s, NULL, NULL, NULL, "mars", &f, msg, sizeof msg),
			 ALLOT_EINPUT);
	assert_string_equal(msg, "no partner in region 'mars'; regions: europe-east africa");
	allot_scenario_free(s);
}

/* Every face keys a row by the columns the book has, in their order; the
 * off-line columns come with off-line units, rate_basis with a stated
 * basis (the unit cost unknown: null), max_per_month with a stated pace,
 * not_before with a stated earliest delivery, loa_basis and unit_cost_basis
 * with stated bases. */
static void optional_columns(void **state)
{
	(void)state;
	struct allot_scenario *s = load("tests/data/scenarios/wip");
	struct allot_orderbook *b = NULL;
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	assert_true(allot_orderbook_has(b, col("supply")));
	assert_true(allot_orderbook_has(b, col("wip_units")));
	assert_false(allot_orderbook_has(b, col("rate_basis")));
	assert_false(allot_orderbook_has(b, col("max_per_month")));
	json_t *j = allot_orderbook_json(b);
	json_t *r0 = json_array_get(json_object_get(j, "orders"), 0);
	const char *key;
	json_t *v;
	size_t k = 0;
	json_object_foreach(r0, key, v)
	{
		while (!allot_orderbook_has(b, k))
			k++;
		assert_string_equal(key, allot_orderbook_columns[k].key);
		k++;
	}
	assert_int_equal(k, col("wip_units") + 1);
	/* POL-1: 10 units of wip.csv, supplied new; JPN-1 licence */
	assert_string_equal(json_string_value(json_object_get(r0, "supply")), "new");
	assert_int_equal(json_integer_value(json_object_get(r0, "wip_units")), 10);
	json_decref(j);
	allot_orderbook_free(b);
	allot_scenario_free(s);

	s = load("tests/data/scenarios/two-tiers-estimated");
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	assert_false(allot_orderbook_has(b, col("supply")));
	assert_true(allot_orderbook_has(b, col("rate_basis")));
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	allot_orderbook_cells(b, &b->rows[0], c);
	assert_string_equal(c[col("rate_basis")].s, "estimate");
	allot_orderbook_free(b);
	allot_scenario_free(s);

	/* max_per_month with a stated pace: POL-1 8 a month, JPN-1 none. */
	s = load("tests/data/scenarios/paced");
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	assert_true(allot_orderbook_has(b, col("max_per_month")));
	assert_false(allot_orderbook_has(b, col("supply")));
	allot_orderbook_cells(b, &b->rows[0], c);
	assert_int_equal(c[col("max_per_month")].kind, ALLOT_CELL_INT);
	assert_int_equal(c[col("max_per_month")].i, 8);
	allot_orderbook_cells(b, &b->rows[1], c);
	assert_int_equal(c[col("max_per_month")].kind, ALLOT_CELL_NULL);
	j = allot_orderbook_json(b);
	r0 = json_array_get(json_object_get(j, "orders"), 0);
	assert_int_equal(json_integer_value(json_object_get(r0, "max_per_month")), 8);
	assert_true(json_is_null(
		json_object_get(json_array_get(json_object_get(j, "orders"), 1), "max_per_month")));
	assert_false(allot_orderbook_has(b, col("not_before")));
	json_decref(j);
	allot_orderbook_free(b);
	allot_scenario_free(s);

	/* not_before with a stated earliest delivery: JPN-1 2028-09, POL-1
	 * none (empty, null: never a month 0 or 0000-00). */
	s = load("tests/data/scenarios/not-before");
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	assert_true(allot_orderbook_has(b, col("not_before")));
	assert_false(allot_orderbook_has(b, col("max_per_month")));
	char buf[64];
	allot_orderbook_cells(b, &b->rows[1], c);
	assert_string_equal(allot_cell_text(&c[col("not_before")], buf), "2028-09");
	allot_orderbook_cells(b, &b->rows[0], c);
	assert_string_equal(allot_cell_text(&c[col("not_before")], buf), "");
	j = allot_orderbook_json(b);
	json_t *orders = json_object_get(j, "orders");
	assert_string_equal(
		json_string_value(json_object_get(json_array_get(orders, 1), "not_before")),
		"2028-09");
	assert_true(json_is_null(json_object_get(json_array_get(orders, 0), "not_before")));
	/* it holds JPN-1: its first unit arrives in 2028-09, not 2026-02 */
	assert_int_equal(b->rows[1].first_delivery[1], 2028 * 12 + 8);
	assert_false(allot_orderbook_has(b, col("loa_basis")));
	assert_false(allot_orderbook_has(b, col("unit_cost_basis")));
	json_decref(j);
	allot_orderbook_free(b);
	allot_scenario_free(s);

	/* loa_basis and unit_cost_basis with stated bases (issue 15): POL-1
	 * month, JPN-1 and SAU-1 year, BRA-1 not stated (null: never read as
	 * "month"); PAC3-MSE's cost cited, GMLRS-U's an estimate */
	s = load("tests/data/scenarios/estimates");
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	assert_true(allot_orderbook_has(b, col("loa_basis")));
	assert_true(allot_orderbook_has(b, col("unit_cost_basis")));
	static const char *const loa[] = { "month", "year", "year", NULL };
	static const char *const cost[] = { "cited", "cited", "estimate", "estimate" };
	for (size_t i = 0; i < 4; i++) {
		allot_orderbook_cells(b, &b->rows[i], c);
		if (loa[i])
			assert_string_equal(c[col("loa_basis")].s, loa[i]);
		else
			assert_int_equal(c[col("loa_basis")].kind, ALLOT_CELL_NULL);
		assert_string_equal(c[col("unit_cost_basis")].s, cost[i]);
	}
	assert_string_equal(allot_loa_mark(s, 1), " (month not known)");
	assert_string_equal(allot_loa_mark(s, 0), "");
	assert_string_equal(allot_loa_mark(s, 3), "");
	allot_orderbook_free(b);
	allot_scenario_free(s);
}

/* On the bundled data: the book from two plans already made (the report's
 * way) is the book allot orders plans itself, row for row; the summary is
 * the sum of the rows. */
static void bundled_build_is_run(void **state)
{
	(void)state;
	struct allot_scenario *s = load("data/default");
	struct allot_orderbook *b = NULL, *c = NULL;
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	struct allot_compare_options co;
	allot_compare_options_init(&co);
	struct allot_compare *cmp = NULL;
	assert_int_equal(allot_compare_run(s, &co, &cmp), ALLOT_OK);
	assert_int_equal(allot_orderbook_build(cmp->plan[0], cmp->plan[1], NULL, &c), ALLOT_OK);
	assert_int_equal(b->n_rows, s->n_orders);
	assert_int_equal(c->n_rows, b->n_rows);
	assert_int_equal(c->switch_month, b->switch_month);
	struct allot_usd v = { 0 };
	int64_t left = 0;
	size_t unknown = 0;
	for (size_t i = 0; i < b->n_rows; i++) {
		const struct allot_orderbook_row *x = &b->rows[i], *y = &c->rows[i];
		assert_int_equal(x->order, y->order);
		for (int k = 0; k < 2; k++) {
			assert_int_equal(x->completion[k], y->completion[k]);
			assert_int_equal(x->first_delivery[k], y->first_delivery[k]);
			assert_int_equal(x->wait[k], y->wait[k]);
			assert_int_equal(x->short_units[k], y->short_units[k]);
			assert_int_equal(x->cancelled[k], y->cancelled[k]);
			assert_int_equal(x->late[k], y->late[k]);
		}
		assert_int_equal(x->shift_known, y->shift_known);
		assert_int_equal(x->shift, y->shift);
		const struct allot_order *o = &s->orders[x->order];
		double cost = s->systems[o->system].unit_cost_usd;
		allot_usd_add(&v, x->left, cost, 1);
		left += x->left;
		unknown += isnan(x->value_left_usd);
		assert_true(isnan(x->value_left_usd) ? !allot_cost_known(cost)
						     : x->value_left_usd == (double)x->left * cost);
	}
	assert_int_equal(b->units_left, left);
	assert_true(b->value_left.known == v.known);
	assert_int_equal(b->value_left.unknown_orders, unknown);
	assert_true(unknown > 0); /* the bundled data has orders of unknown cost */
	allot_compare_free(cmp);
	allot_orderbook_free(b);
	allot_orderbook_free(c);
	allot_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_cost_by_hand),
		cmocka_unit_test(not_complete_at_the_horizon),
		cmocka_unit_test(filter_parse),
		cmocka_unit_test(optional_columns),
		cmocka_unit_test(bundled_build_is_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
