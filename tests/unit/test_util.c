/*
 * test_util.c - months, canonical numbers, diagnostics, the string map.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "util/mem.h"
#include "util/strmap.h"

static void month_parse_and_format(void **state)
{
	(void)state;
	allot_month m;
	char buf[8];
	assert_int_equal(allot_month_parse("2026-02", &m), 0);
	assert_int_equal(m, 2026 * 12 + 1);
	allot_month_format(m, buf);
	assert_string_equal(buf, "2026-02");
	assert_int_equal(allot_month_parse("2025-12", &m), 0);
	allot_month_format(m + 1, buf);
	assert_string_equal(buf, "2026-01");
	const char *bad[] = { "2026-13", "2026-00", "2026-1", "26-01", "2026/01",
			      "2026-011", "", "abcd-ef", "0999-01", " 2026-01" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_not_equal(allot_month_parse(bad[i], &m), 0);
	allot_month_format(ALLOT_NO_MONTH, buf);
	assert_string_equal(buf, "");
}

static void fmt_double_is_shortest_and_round_trips(void **state)
{
	(void)state;
	char buf[32];
	allot_fmt_double(0.0, buf);
	assert_string_equal(buf, "0");
	allot_fmt_double(-0.0, buf);
	assert_string_equal(buf, "0");
	allot_fmt_double(166.67, buf);
	assert_string_equal(buf, "166.67");
	allot_fmt_double(40000, buf);
	assert_string_equal(buf, "40000");
	allot_fmt_double(0.1 + 0.2, buf);
	assert_string_equal(buf, "0.30000000000000004");
	allot_fmt_double(50e9, buf);
	assert_string_equal(buf, "50000000000");
	allot_fmt_double(2.5e20, buf);
	assert_string_equal(buf, "2.5e+20");
	double vals[] = { 1.0 / 3, 2000.0 / 12, 1e-7, 123456.789, -4.25 };
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
		allot_fmt_double(vals[i], buf);
		assert_true(strtod(buf, NULL) == vals[i]);
	}
}

static void diags_keep_limit_and_count_the_rest(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	d.limit = 3;
	for (int i = 0; i < 5; i++)
		allot_diags_add(&d, "orders.csv", i + 2, 4, "expected %s, found %d", "x", i);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.dropped, 2);
	assert_int_equal(allot_diags_count(&d), 5);
	assert_string_equal(d.v[1].msg, "expected x, found 1");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	allot_diags_print(&d, f);
	fclose(f);
	assert_string_equal(text,
			    "orders.csv:2:4: expected x, found 0\n"
			    "orders.csv:3:4: expected x, found 1\n"
			    "orders.csv:4:4: expected x, found 2\n"
			    "... and 2 more errors\n");
	free(text);
	allot_diags_free(&d);
}

static void strmap_put_get_duplicates(void **state)
{
	(void)state;
	struct strmap m;
	strmap_init(&m);
	char keys[1000][16];
	for (int i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		assert_int_equal(strmap_put(&m, keys[i], i, NULL), 0);
	}
	int old = -1;
	assert_int_equal(strmap_put(&m, "k17", 5, &old), 1);
	assert_int_equal(old, 17);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(strmap_get(&m, keys[i]), i);
	assert_int_equal(strmap_get(&m, "nope"), -1);
	strmap_free(&m);
}

static void mem_fault_injection_fails_the_nth(void **state)
{
	(void)state;
	mem_fail_after(2, 0);
	void *a = mem_alloc(8);
	void *b = mem_alloc(8);
	void *c = mem_alloc(8);
	assert_non_null(a);
	assert_null(b);
	assert_non_null(c);
	mem_free(a);
	mem_free(c);
	mem_fail_after(0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(month_parse_and_format),
		cmocka_unit_test(fmt_double_is_shortest_and_round_trips),
		cmocka_unit_test(diags_keep_limit_and_count_the_rest),
		cmocka_unit_test(strmap_put_get_duplicates),
		cmocka_unit_test(mem_fault_injection_fails_the_nth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
