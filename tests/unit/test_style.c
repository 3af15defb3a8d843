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
		assert_string_equal(
			json_string_value(json_object_get(
				crit, allot_criterion_name((enum allot_criterion)k))),
			allot_style_criterion_color((enum allot_criterion)k));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "symbols"),
							      "unknown")),
			    "unknown");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(money),
		cmocka_unit_test(counts_and_months),
		cmocka_unit_test(colours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
