/*
 * test_style.c - the one visual language (lib/style.c): money, counts and
 * months exactly as every face prints them, and the colours and symbols the
 * report and the dashboard receive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include <jansson.h>

static const char *usd(double v)
{
	static char buf[ALLOT_STYLE_USD_MAX];
	return allot_style_usd(v, buf);
}

static void money(void **state)
{
	(void)state;
	assert_string_equal(usd(0), "USD 0");
	assert_string_equal(usd(400), "USD 400");
	assert_string_equal(usd(12345), "USD 12,345");
	assert_string_equal(usd(99999), "USD 99,999");
	assert_string_equal(usd(757721), "USD 0.76 million");
	assert_string_equal(usd(100000), "USD 0.10 million");
	assert_string_equal(usd(950.3e6), "USD 950.3 million");
	assert_string_equal(usd(12e9), "USD 12.0 billion");
	assert_string_equal(usd(1234.5e9), "USD 1,234.5 billion");
	assert_string_equal(usd(-2.5e6), "-USD 2.5 million");
	assert_string_equal(usd(NAN), "unknown");
	assert_string_equal(usd(1e300), "USD 1,000,000,000,000.0 billion");
}

/* A USD sum with unknown unit costs (allot_usd, docs/allocation.md): a
 * lower bound with its units and orders of unknown cost in text, the known
 * sum beside its counts in JSON and CSV, never a silent 0. */
static void usd_sums_with_unknowns(void **state)
{
	(void)state;
	char b[ALLOT_STYLE_USD_SUM_MAX], n[48];
	struct allot_usd u = { 0 };
	allot_usd_add(&u, 10, 1e6, 1);
	assert_string_equal(allot_style_usd_sum(&u, b), "USD 10.0 million");
	allot_usd_add(&u, 5, NAN, 1);
	allot_usd_add(&u, 3, NAN, 1);
	allot_usd_add(&u, 0, NAN, 1); /* no units: nothing left out */
	assert_true(u.known == 1e7);
	assert_int_equal(u.unknown_units, 8);
	assert_int_equal(u.unknown_orders, 2);
	assert_string_equal(allot_style_usd_sum(&u, b),
			    ">= USD 10.0 million (+2 orders, 8 units of unknown cost)");
	assert_string_equal(allot_usd_num(&u, 1e6, 1, 1, n), ">= 10.0");
	assert_string_equal(allot_usd_num(&u, 1, 0, 0, n), "10000000");
	struct allot_usd w = { 0 };
	allot_usd_add(&w, 1, NAN, 1);
	assert_true(allot_usd_all_unknown(&w));
	assert_string_equal(allot_style_usd_sum(&w, b),
			    "unknown (1 order, 1 unit of unknown cost)");
	assert_string_equal(allot_usd_num(&w, 1e6, 1, 1, n), "unknown");
	assert_string_equal(allot_usd_num(&w, 1, 0, 0, n), "");
	struct allot_usd a = { 0 };
	allot_usd_add(&a, 7, NAN, 0); /* a sum over allocations: units only */
	allot_usd_add(&a, 2, 500, 0);
	assert_string_equal(allot_style_usd_sum(&a, b), ">= USD 1,000 (+7 units of unknown cost)");
	allot_usd_sum(&a, &u);
	assert_true(a.known == 1e7 + 1000);
	assert_int_equal(a.unknown_units, 15);
	assert_int_equal(a.unknown_orders, 2);
	/* JSON: the known sum (null when nothing is known) and the counts */
	json_t *o = json_object();
	assert_int_equal(allot_usd_put(o, "value_usd", &u), ALLOT_OK);
	assert_int_equal(allot_usd_put(o, "all", &w), ALLOT_OK);
	assert_true(json_real_value(json_object_get(o, "value_usd")) == 1e7);
	assert_int_equal(json_integer_value(json_object_get(o, "value_usd_unknown_cost_orders")),
			 2);
	assert_int_equal(json_integer_value(json_object_get(o, "value_usd_unknown_cost_units")), 8);
	assert_true(json_is_null(json_object_get(o, "all")));
	assert_int_equal(json_integer_value(json_object_get(o, "all_unknown_cost_units")), 1);
	json_decref(o);
	/* A change between two sums: nothing to say without unknown units; of
	 * the known costs, with what the unknown units do, otherwise. */
	char c[120];
	struct allot_usd k0 = { 5e6, 0, 0 }, k1 = { 7e6, 0, 0 };
	assert_string_equal(allot_usd_change_note(&k0, &k1, c, sizeof c), "");
	assert_string_equal(allot_usd_change_note(&u, &u, c, sizeof c),
			    " of known unit costs; the units of unknown cost do not change");
	assert_string_equal(allot_usd_change_note(&u, &k1, c, sizeof c),
			    " of known unit costs, -8 units of unknown cost");
	assert_string_equal(allot_usd_change_note(&k0, &w, c, sizeof c),
			    " of known unit costs, +1 unit of unknown cost");
}

static void counts_and_months(void **state)
{
	(void)state;
	char b[32], m[ALLOT_STYLE_MONTH_MAX];
	assert_string_equal(allot_style_count(0, b), "0");
	assert_string_equal(allot_style_count(999, b), "999");
	assert_string_equal(allot_style_count(10357, b), "10,357");
	assert_string_equal(allot_style_count(-1234567, b), "-1,234,567");
	allot_month last, x;
	assert_int_equal(allot_month_parse("2039-12", &last), 0);
	assert_int_equal(allot_month_parse("2031-01", &x), 0);
	assert_string_equal(allot_style_month(x, last, m), "2031-01");
	assert_string_equal(allot_style_month(ALLOT_NO_MONTH, last, m), "after 2039-12");
	assert_string_equal(allot_style_month(last + 3, last, m), "after 2039-12");
	assert_string_equal(allot_style_month(ALLOT_NO_MONTH, ALLOT_NO_MONTH, m), "unknown");
	/* a span of one year is that year, never "2025-2025" */
	char y[ALLOT_STYLE_YEARS_MAX];
	assert_string_equal(allot_style_years(2025, 2029, y), "2025-2029");
	assert_string_equal(allot_style_years(2025, 2025, y), "2025");
	/* a change that rounds to nothing has no sign: never "-0.0" */
	char d[32];
	assert_string_equal(allot_fmt_delta(1.24, 1, d), "+1.2");
	assert_string_equal(allot_fmt_delta(-0.3, 1, d), "-0.3");
	assert_string_equal(allot_fmt_delta(-0.04, 1, d), "0.0");
	assert_string_equal(allot_fmt_delta(0.0, 1, d), "0.0");
	assert_string_equal(allot_fmt_delta(-0.0, 1, d), "0.0");
	assert_string_equal(allot_fmt_delta(-0.4, 0, d), "0");
	assert_string_equal(allot_fmt_delta(12.6, 0, d), "+13");
	assert_string_equal(allot_fmt_delta(NAN, 1, d), "");
}

static void colours(void **state)
{
	(void)state;
	assert_string_equal(allot_style_tier_color(1), "#0072b2");
	assert_string_equal(allot_style_policy_color(ALLOT_POLICY_PRIORITY), "#0072b2");
	assert_string_not_equal(allot_style_tier_color(1), allot_style_tier_color(2));
	char *text = allot_style_json();
	assert_non_null(text);
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(j);
	json_t *tier = json_object_get(j, "tier");
	assert_int_equal(json_array_size(tier), ALLOT_MAX_TIERS);
	assert_string_equal(json_string_value(json_array_get(tier, 0)), allot_style_tier_color(1));
	json_t *crit = json_object_get(j, "criterion");
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		assert_string_equal(json_string_value(json_object_get(
					    crit, allot_criterion_name((enum allot_criterion)k))),
				    allot_style_criterion_color((enum allot_criterion)k));
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(j, "symbols"), "unknown")),
		"unknown");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(money),
		cmocka_unit_test(usd_sums_with_unknowns),
		cmocka_unit_test(counts_and_months),
		cmocka_unit_test(colours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
