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
#include <jansson.h>
#include "util/buf.h"
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
	const char *bad[] = { "2026-13",  "2026-00", "2026-1",  "26-01",   "2026/01",
			      "2026-011", "",        "abcd-ef", "0999-01", " 2026-01" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_not_equal(allot_month_parse(bad[i], &m), 0);
	allot_month_format(ALLOT_NO_MONTH, buf);
	assert_string_equal(buf, "");

	/* The one month writer of JSON: "YYYY-MM" or null; the report's
	 * charts take the index, or null. */
	json_t *j = allot_month_json(m);
	assert_string_equal(json_string_value(j), "2025-12");
	json_decref(j);
	j = allot_month_json(ALLOT_NO_MONTH);
	assert_true(json_is_null(j));
	json_decref(j);
	j = allot_month_index_json(m);
	assert_int_equal(json_integer_value(j), 2025 * 12 + 11);
	json_decref(j);
	j = allot_month_index_json(ALLOT_NO_MONTH);
	assert_true(json_is_null(j));
	json_decref(j);
	/* a policy switch: its month, or null when there is none (never the
	 * 1000-01 that ALLOT_SWITCH_NONE is coded as) */
	j = allot_switch_month_json(m);
	assert_string_equal(json_string_value(j), "2025-12");
	json_decref(j);
	j = allot_switch_month_json(ALLOT_SWITCH_NONE);
	assert_true(json_is_null(j));
	json_decref(j);
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
	assert_string_equal(text, "orders.csv:2:4: expected x, found 0\n"
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

static const char *key_in(const void *ctx, int val)
{
	return ((const char *const *)ctx)[val];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* A map that finds its keys from the values (the loader's order ids), one
 * reserved up front and a plain one give the same answers on random keys
 * with duplicates; strmap_hash_len is strmap_hash; short keys of one length
 * never share a hash (the comment in strmap.c). */
static void strmap_keyed_and_reserved_agree(void **state)
{
	(void)state;
	enum { N = 20000 };
	static char text[N][26];
	static const char *stored[N];
	struct strmap plain, keyed, big;
	strmap_init(&plain);
	strmap_init_keyed(&keyed, key_in, stored);
	strmap_init(&big);
	assert_int_equal(strmap_reserve(&big, N), 0);
	size_t cap = big.cap;
	uint64_t x = 88172645463325252ull;
	int n = 0; /* values given out: the rows stored */
	for (int i = 0; i < N; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int len = (int)(x % 25);
		if (i > 10 && x % 7 == 0) { /* a key seen before */
			memcpy(text[i], text[(x >> 8) % (uint64_t)i], sizeof text[i]);
		} else {
			for (int k = 0; k < len; k++)
				text[i][k] = (char)(1 + (x >> (k % 8 * 8)) % 255 * (k + 1) % 255);
			text[i][len] = '\0';
		}
		const char *k = text[i];
		assert_true(strmap_hash_len(k, strlen(k)) == strmap_hash(k));
		stored[n] = k;
		int o1 = -1, o2 = -2, o3 = -3;
		int r1 = strmap_put(&plain, k, n, &o1);
		int r2 = strmap_put_hashed(&keyed, k, strmap_hash(k), n, &o2);
		int r3 = strmap_put(&big, k, n, &o3);
		assert_int_equal(r1, r2);
		assert_int_equal(r1, r3);
		if (r1 == 1) {
			assert_int_equal(o1, o2);
			assert_int_equal(o1, o3);
			assert_string_equal(stored[o1], k);
		} else {
			n++;
		}
	}
	assert_true(big.cap == cap); /* reserved: never rehashed */
	assert_null(keyed.keys);
	assert_int_equal((int)plain.n, n);
	for (int i = 0; i < N; i++) {
		int v = strmap_get(&plain, text[i]);
		assert_true(v >= 0);
		assert_string_equal(stored[v], text[i]);
		assert_int_equal(strmap_get(&keyed, text[i]), v);
		assert_int_equal(strmap_get(&big, text[i]), v);
	}
	assert_int_equal(strmap_get(&keyed, "not a key \x01"), -1);
	strmap_free(&plain);
	strmap_free(&keyed);
	strmap_free(&big);

	/* every two-byte key (no NUL): 65,025 distinct 64-bit hashes */
	static uint64_t h[255 * 255];
	size_t m = 0;
	for (int a = 1; a < 256; a++)
		for (int b = 1; b < 256; b++) {
			char k[3] = { (char)a, (char)b, 0 };
			h[m++] = strmap_hash(k);
		}
	qsort(h, m, sizeof *h, cmp_u64);
	for (size_t i = 1; i < m; i++)
		assert_true(h[i] != h[i - 1]);
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

/* Growth past the first allocation keeps every byte, in order, with the
 * NUL after them; printf appends its output. */
static void buf_grows_and_keeps_the_text(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	char want[20001];
	for (int i = 0; i < 20000; i++) {
		want[i] = (char)('a' + i % 26);
		assert_int_equal(buf_putc(&b, want[i]), ALLOT_OK);
	}
	want[20000] = '\0';
	assert_int_equal(b.n, 20000);
	assert_true(b.cap > 20000);
	assert_string_equal(b.v, want);
	assert_int_equal(buf_printf(&b, "|%d|%s|", 42, "x"), ALLOT_OK);
	assert_int_equal(buf_puts(&b, "end"), ALLOT_OK);
	assert_string_equal(b.v + 20000, "|42|x|end");
	char *t = buf_take(&b);
	assert_non_null(t);
	assert_int_equal(strlen(t), 20009);
	assert_null(b.v);
	assert_int_equal(b.n, 0);
	free(t);
	/* Nothing appended: "" */
	t = buf_take(&b);
	assert_string_equal(t, "");
	free(t);
	buf_free(&b);
}

static char *wrapped(const char *text, size_t width)
{
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_wrap(&b, text, width), ALLOT_OK);
	return buf_take(&b);
}

/* Wrapping for a terminal: breaks on word boundaries, a line as full as
 * width allows (exactly width fits), a word wider than width alone on its
 * line, a word of symbols only with its neighbours, the text's own line
 * breaks and indentation kept, a code point one column; on a long sentence
 * every line fits, is full, and joining the lines with spaces gives the
 * sentence back. */
static void buf_wrap_breaks_between_words(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t width;
		const char *want;
	} c[] = {
		{ "aaa bbb ccc", 7, "aaa bbb\nccc" },
		{ "aaa bbb ccc", 6, "aaa\nbbb\nccc" },
		{ "aaa bbb ccc", 11, "aaa bbb ccc" },
		{ "aaaaaaaaaa bb c", 5, "aaaaaaaaaa\nbb c" },
		{ "ab cd\nef gh ij", 5, "ab cd\nef gh\nij" },
		{ "  indented text", 10, "  indented\ntext" },
		{ "\xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9", 7, "\xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9" },
		{ "\xc3\xa9t\xc3\xa9 \xc3\xa9t\xc3\xa9", 6,
		  "\xc3\xa9t\xc3\xa9\n\xc3\xa9t\xc3\xa9" },
		{ "", 10, "" },
		/* symbols stay with their neighbours */
		{ "goal < 1: missed", 7, "goal < 1:\nmissed" },
		{ "within +-25 % ok", 11, "within\n+-25 % ok" },
		{ "a b <", 3, "a\nb <" },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		char *t = wrapped(c[i].text, c[i].width);
		assert_string_equal(t, c[i].want);
		free(t);
	}
	char text[2000];
	size_t n = 0;
	unsigned seed = 7;
	while (n < sizeof text - 40) {
		seed = seed * 1103515245u + 12345u;
		size_t len = 1 + (seed >> 16) % 12;
		for (size_t k = 0; k < len; k++)
			text[n++] = (char)('a' + k);
		text[n++] = ' ';
	}
	text[n - 1] = '\0';
	char *t = wrapped(text, 80);
	size_t line = 0, lines = 1;
	for (char *q = t; *q; q++) {
		if (*q == '\n') {
			/* full: the next word (at most 12) did not fit */
			assert_true(line <= 80 && line > 80 - 13);
			line = 0;
			lines++;
			*q = ' ';
		} else {
			line++;
		}
	}
	assert_true(line <= 80);
	assert_true(lines > 10);
	assert_string_equal(t, text);
	free(t);
}

/* The cap: exactly max bytes fit; a byte more fails with ALLOT_ELIMIT,
 * leaves the text as it was, and every later append fails too. */
static void buf_cap_fails_cleanly(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 10);
	assert_int_equal(buf_puts(&b, "0123456789"), ALLOT_OK);
	assert_int_equal(buf_putc(&b, 'x'), ALLOT_ELIMIT);
	assert_int_equal(b.err, ALLOT_ELIMIT);
	assert_string_equal(b.v, "0123456789");
	assert_int_equal(b.n, 10);
	assert_int_equal(buf_puts(&b, ""), ALLOT_ELIMIT);
	assert_null(buf_take(&b));
	buf_free(&b);

	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "abc"), ALLOT_OK);
	assert_int_equal(buf_printf(&b, "%s", "defghi"), ALLOT_ELIMIT);
	assert_string_equal(b.v, "abc");
	buf_free(&b);

	/* Out of memory is remembered the same way. */
	buf_init(&b, 0);
	mem_fail_after(1, 0);
	assert_int_equal(buf_puts(&b, "abc"), ALLOT_ENOMEM);
	mem_fail_after(0, 0);
	assert_int_equal(b.err, ALLOT_ENOMEM);
	assert_int_equal(buf_puts(&b, "abc"), ALLOT_ENOMEM);
	buf_free(&b);
}

/* buf_read: a file of exactly the cap is read whole; one byte more is
 * ALLOT_ELIMIT; a file larger than the first chunks is read in order. */
static void buf_read_honours_the_cap(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	for (int i = 0; i < 100000; i++)
		fputc('0' + i % 10, f);
	struct buf b;
	for (size_t max = 99999; max <= 100001; max++) {
		rewind(f);
		buf_init(&b, max);
		int rc = buf_read(&b, f);
		if (max < 100000) {
			assert_int_equal(rc, ALLOT_ELIMIT);
		} else {
			assert_int_equal(rc, ALLOT_OK);
			assert_int_equal(b.n, 100000);
			assert_int_equal(strlen(b.v), 100000);
			for (size_t i = 0; i < b.n; i++)
				assert_int_equal(b.v[i], '0' + (int)(i % 10));
		}
		buf_free(&b);
	}
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(month_parse_and_format),
		cmocka_unit_test(fmt_double_is_shortest_and_round_trips),
		cmocka_unit_test(diags_keep_limit_and_count_the_rest),
		cmocka_unit_test(strmap_put_get_duplicates),
		cmocka_unit_test(strmap_keyed_and_reserved_agree),
		cmocka_unit_test(mem_fault_injection_fails_the_nth),
		cmocka_unit_test(buf_grows_and_keeps_the_text),
		cmocka_unit_test(buf_wrap_breaks_between_words),
		cmocka_unit_test(buf_cap_fails_cleanly),
		cmocka_unit_test(buf_read_honours_the_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
