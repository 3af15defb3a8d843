/*
 * test_limits.c - every documented size limit (docs/limits.md) at its exact
 * boundary: the largest allowed input is read, one byte or one record more
 * gives ALLOT_ELIMIT with its message, and reading stops there instead of
 * growing without bound.
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
#include "io/csvread.h"
#include "io/json.h"
#include "testutil.h"

/* Reads buf to the end; returns the status and the number of records. */
static int read_csv(const char *buf, size_t len, long *records, struct allot_diags *d)
{
	struct csvr *r = NULL;
	assert_int_equal(csvr_open_mem(buf, len, "t.csv", CSVR_UTF8, d, &r), ALLOT_OK);
	const struct csvr_record *rec;
	int rc;
	*records = 0;
	while ((rc = csvr_next(r, &rec)) == ALLOT_OK && rec)
		(*records)++;
	csvr_close(r);
	return rc;
}

static char *filled(size_t n, char c)
{
	char *b = malloc(n + 1);
	memset(b, c, n);
	b[n] = '\0';
	return b;
}

static void field_limit_is_64_kib(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	long n;
	/* "a,<65536 x>\n": the largest field allowed. */
	size_t len = 2 + (size_t)CSVR_MAX_FIELD + 1;
	char *b = filled(len, 'x');
	memcpy(b, "a,", 2);
	b[len - 1] = '\n';
	assert_int_equal(read_csv(b, len, &n, &d), ALLOT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(d.n, 0);
	free(b);
	/* One byte more, quoted this time (the quotes do not count). */
	len = 2 + 1 + (size_t)CSVR_MAX_FIELD + 1 + 1 + 1;
	b = filled(len, 'x');
	memcpy(b, "a,\"", 3);
	memcpy(b + len - 2, "\"\n", 2);
	assert_int_equal(read_csv(b, len, &n, &d), ALLOT_ELIMIT);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 1);
	assert_int_equal(d.v[0].col, 3);
	assert_string_equal(d.v[0].msg,
			    "expected at most 65536 bytes in a field, found more (size limit)");
	free(b);
	allot_diags_free(&d);
}

static void line_limit_is_1_mib(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	long n;
	/* Short fields "x,x,...": exactly 1 MiB before the LF, then a 2nd line. */
	size_t line = (size_t)CSVR_MAX_LINE, len = line + 1 + 2;
	char *b = filled(len, ',');
	for (size_t i = 0; i < line; i += 2)
		b[i] = 'x';
	b[line] = '\n';
	memcpy(b + line + 1, "y\n", 2);
	assert_int_equal(read_csv(b, len, &n, &d), ALLOT_OK);
	assert_int_equal(n, 2);
	assert_int_equal(d.n, 0);
	free(b);
	/* One byte more on line 2 (CR of a CRLF counts as a line byte, so the
	 * line is LF-free here). */
	len = 2 + line + 1 + 1;
	b = filled(len, ',');
	memcpy(b, "h\n", 2);
	for (size_t i = 2; i < 2 + line + 1; i += 2)
		b[i] = 'x';
	b[len - 1] = '\n';
	assert_int_equal(read_csv(b, len, &n, &d), ALLOT_ELIMIT);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 0);
	assert_string_equal(d.v[0].msg,
			    "expected at most 1048576 bytes in a line, found more (size limit)");
	free(b);
	allot_diags_free(&d);
}

static void record_limit_is_ten_million(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	long n;
	size_t rows = (size_t)CSVR_MAX_ROWS, len = 2 * (rows + 1);
	char *b = malloc(len);
	for (size_t i = 0; i < len; i += 2)
		memcpy(b + i, "a\n", 2);
	assert_int_equal(read_csv(b, len - 2, &n, &d), ALLOT_OK);
	assert_int_equal(n, CSVR_MAX_ROWS);
	assert_int_equal(read_csv(b, len, &n, &d), ALLOT_ELIMIT);
	assert_int_equal(n, CSVR_MAX_ROWS);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, CSVR_MAX_ROWS + 1);
	assert_string_equal(d.v[0].msg,
			    "expected at most 10000000 records in a file, found more (size limit)");
	free(b);
	allot_diags_free(&d);
}

/* A JSON file of n bytes: {"notes": "xxx..."} padded to size. */
static int json_of_size(const char *path, size_t n, struct allot_diags *d)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	const char *head = "{\"notes\": \"", *tail = "\"}";
	fputs(head, f);
	for (size_t i = strlen(head) + strlen(tail); i < n; i++)
		fputc('x', f);
	fputs(tail, f);
	fclose(f);
	json_t *j = NULL;
	int rc = json_load_path(path, "s.json", 0, 0, d, &j, NULL);
	json_decref(j);
	return rc;
}

static void json_limit_is_16_mib(void **state)
{
	(void)state;
	char *dir = tu_tmpdir(), path[4096];
	snprintf(path, sizeof path, "%s/s.json", dir);
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(json_of_size(path, (size_t)JSONP_MAX_BYTES - 1, &d), ALLOT_OK);
	assert_int_equal(json_of_size(path, (size_t)JSONP_MAX_BYTES, &d), ALLOT_OK);
	assert_int_equal(d.n, 0);
	assert_int_equal(json_of_size(path, (size_t)JSONP_MAX_BYTES + 1, &d), ALLOT_ELIMIT);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "expected at most 16777216 bytes, found more (size limit)");
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

static void diagnostics_keep_fifty_and_count_the_rest(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(d.limit, 50);
	for (int i = 0; i < 1000; i++)
		allot_diags_add(&d, "f", i + 1, 1, "message %d", i);
	assert_int_equal(d.n, 50);
	assert_int_equal(d.dropped, 950);
	assert_int_equal(allot_diags_count(&d), 1000);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(field_limit_is_64_kib),
		cmocka_unit_test(line_limit_is_1_mib),
		cmocka_unit_test(record_limit_is_ten_million),
		cmocka_unit_test(json_limit_is_16_mib),
		cmocka_unit_test(diagnostics_keep_fifty_and_count_the_rest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
