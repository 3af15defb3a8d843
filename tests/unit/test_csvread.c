/*
 * test_csvread.c - the CSV reader's fast path (lines without quotes split
 * without libcsv) against libcsv on every byte (CSVR_LIBCSV): the same
 * records, fields, positions, messages and return codes, on hand-written
 * cases (CRLF, quotes, BOM, blank-line runs, NUL bytes, bad UTF-8 after
 * multi-byte characters) and on thousands of random inputs, from memory and
 * from files bigger than the read buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/csvread.h"
#include "io/value.h"
#include "testutil.h"
#include <math.h>

/* Everything the reader says about an input, as one text. */
struct text {
	char *s;
	size_t n, cap;
};

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	if (!t->s) { /* never offset a null pointer (UBSan) */
		t->cap = 256;
		t->s = malloc(t->cap);
		assert_non_null(t->s);
	}
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
		if ((size_t)k < t->cap - t->n) {
			t->n += (size_t)k;
			return;
		}
		t->cap = t->cap * 2 + (size_t)k + 64;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
}

static void describe(struct csvr *r, struct allot_diags *d, struct text *t)
{
	const struct csvr_record *rec;
	int rc;
	while ((rc = csvr_next(r, &rec)) == 0 && rec) {
		put(t, "record %ld line %ld:", rec->index, rec->line);
		for (size_t i = 0; i < rec->n; i++) {
			const struct csvr_field *f = &rec->f[i];
			assert_int_equal(f->s[f->len], '\0');
			put(t, " [%ld:%ld %zu ", f->line, f->col, f->len);
			for (size_t k = 0; k < f->len; k++)
				put(t, "%02x", (unsigned char)f->s[k]);
			put(t, "]");
		}
		put(t, "\n");
	}
	put(t, "rc %d errors %zu\n", rc, csvr_errors(r));
	for (size_t i = 0; i < d->n; i++)
		put(t, "%s:%ld:%ld: %s\n", d->v[i].file, d->v[i].line, d->v[i].col, d->v[i].msg);
}

/* Reads a whole input (a file when path is set, else in[0..len)). */
static char *read_any(const char *path, const char *in, size_t len, unsigned flags)
{
	struct allot_diags d;
	allot_diags_init(&d);
	d.limit = 100000;
	struct csvr *r;
	if (path)
		assert_int_equal(csvr_open(path, "t.csv", flags, &d, &r), 0);
	else
		assert_int_equal(csvr_open_mem(in, len, "t.csv", flags, &d, &r), 0);
	struct text t = { 0 };
	put(&t, "");
	describe(r, &d, &t);
	csvr_close(r);
	allot_diags_free(&d);
	return t.s;
}

static char *read_mem(const char *in, size_t len, unsigned flags)
{
	return read_any(NULL, in, len, flags);
}

static char *read_file(const char *path, unsigned flags)
{
	return read_any(path, NULL, 0, flags);
}

/* Both paths, UTF-8 and 8-bit, strict and lax: identical answers.  Returns
 * the fast path's UTF-8 strict answer for further checks. */
static char *same_both_ways(const char *in, size_t len)
{
	static const unsigned modes[] = { CSVR_UTF8, 0, CSVR_LAX, CSVR_UTF8 | CSVR_LAX };
	char *first = NULL;
	for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
		char *fast = read_mem(in, len, modes[m]);
		char *slow = read_mem(in, len, modes[m] | CSVR_LIBCSV);
		if (strcmp(fast, slow) != 0) {
			fprintf(stderr, "input (%zu bytes):", len);
			for (size_t i = 0; i < len; i++)
				fprintf(stderr, " %02x", (unsigned char)in[i]);
			fprintf(stderr, "\nmode %u fast:\n%s\nlibcsv:\n%s\n", modes[m], fast, slow);
		}
		assert_string_equal(fast, slow);
		free(slow);
		if (m == 0)
			first = fast;
		else
			free(fast);
	}
	return first;
}

static void hand_written_cases_agree(void **state)
{
	(void)state;
	static const char *const cases[] = {
		"a,b,c\n1,2,3\n",
		"a,b,c\r\n1,2,3\r\n", /* CRLF */
		"\xEF\xBB\xBF"
		"a,b\r\n1,2\r\n",           /* BOM + CRLF */
		"a,b\n\n\n\r\n\r\n1,2\n\n", /* blank-line runs */
		"\n\n\na,b\n1,2",           /* leading blanks, no final LF */
		"a,,b,\n,,\n,\n",           /* empty fields */
		"a,\"q,1\",c\n1,2,3\n",     /* quotes go to libcsv */
		"a,b\n\"x\ny\",2\n3,4\n",   /* quoted line break */
		"a,b\n1,x\"y\n3,4\n",       /* bare quote: error */
		"a,b\n\"1\"x,2\n",          /* text after a quote */
		"a,b\n\"open,2\n3,4\n",     /* open quote at the end */
		"a,b\n1\r2,3\n4,5\n",       /* bare CR ends a record */
		"a\rb\rc\n",
		"\r\r\ra\n",
		"id,name\nx1,na\x00me\n",               /* NUL byte */
		"id,name\n\xc3\xa9\xc3\xa9,\xff\xfe\n", /* bad UTF-8 after 2 chars */
		"id,name\n\xc3\xa9,\xc3\xa9,\xc3\n",
		"a,b\n\xEF\xBB\xBF"
		"x,y\n",      /* a BOM not at the start */
		"  a , b \n", /* spaces are data */
		"a;b,c\n",
		"",
		"\n",
		"\r\n",
		"x",
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = strlen(cases[i]);
		if (i == 14) /* the NUL case: strlen stops at it */
			len = sizeof "id,name\nx1,na\x00me\n" - 1;
		free(same_both_ways(cases[i], len));
	}
}

/* The fast path's own answers, checked by hand. */
static void fast_path_positions_and_messages(void **state)
{
	(void)state;
	const char in[] =
		"id,name\r\n\r\n\n\xc3\xa9\xc3\xa9,na\x00me,\xff\n\n\nz,\xc3\xa9t\xc3\xa9\r\n";
	char *got = same_both_ways(in, sizeof in - 1);
	const char *want = "record 0 line 1: [1:1 2 6964] [1:4 4 6e616d65]\n"
			   "record 1 line 4: [4:1 4 c3a9c3a9] [4:4 5 6e61006d65] [4:10 1 ff]\n"
			   "record 2 line 7: [7:1 1 7a] [7:3 5 c3a974c3a9]\n"
			   "rc 0 errors 2\n"
			   "t.csv:4:4: expected text, found a NUL byte\n"
			   "t.csv:4:10: expected UTF-8 text, found invalid UTF-8 bytes\n";
	assert_string_equal(got, want);
	free(got);
}

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* Random inputs over the bytes that matter: delimiters, quotes, line ends,
 * NUL, a BOM, valid and broken UTF-8, plain text. */
static size_t random_csv(char *buf, size_t max)
{
	static const char *const atoms[] = {
		",",    ",",        ",",
		"\n",   "\n",       "\r\n",
		"\r",   "\"",       "\"\"",
		"a",    "bc",       "123",
		" ",    "\xc3\xa9", "\xe2\x82\xac",
		"\xc3", "\xff",     "\xEF\xBB\xBF",
		"x",    "ORD-1",    "\n\n",
	};
	size_t n = 0, k = (size_t)rnd(40);
	if (rnd(2))
		k += rnd(200);
	for (size_t i = 0; i < k; i++) {
		const char *a;
		size_t len;
		if (rnd(60) == 0) {
			a = "\0";
			len = 1;
		} else {
			a = atoms[rnd(sizeof atoms / sizeof *atoms)];
			len = strlen(a);
		}
		if (n + len > max)
			break;
		memcpy(buf + n, a, len);
		n += len;
	}
	return n;
}

static void random_inputs_agree(void **state)
{
	(void)state;
	char buf[2048];
	for (int i = 0; i < 5000; i++) {
		size_t n = random_csv(buf, sizeof buf);
		free(same_both_ways(buf, n));
	}
}

/* ---- the tolerant mode ----------------------------------------------- */

/* The converters' reader before it became the tolerant mode of this one
 * (lib/convert/csvtab.c at fce8fad), kept as the oracle: UTF-8 or else
 * Latin-1, a NUL read as a space, a BOM skipped, quotes kept where they are
 * not a field's opening one, only LF or CRLF ending a record, a lone empty
 * field skipped.  Its answer as text: one line per record. */
static char *oracle(const char *raw, size_t rawlen, size_t *nwarn)
{
	char *buf = malloc(rawlen * 2 + 1);
	assert_non_null(buf);
	int utf8 = utf8_valid(raw, rawlen);
	size_t len = 0;
	for (size_t i = 0; i < rawlen; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (utf8 || c < 0x80) {
			buf[len++] = (char)c;
		} else {
			buf[len++] = (char)(0xC0 | (c >> 6));
			buf[len++] = (char)(0x80 | (c & 0x3F));
		}
	}
	struct text out = { 0 }, field = { 0 }, row = { 0 };
	put(&out, "");
	put(&field, "");
	put(&row, "");
	enum { START, PLAIN, QUOTED, AFTER } st = START;
	long line = 1, start_line = 1;
	size_t nf = 0, i = 0;
	int lone_empty = 1;
	*nwarn = 0;
#define END_FIELD()                                               \
	(put(&row, " [%zu ", field.n), put(&row, "%s]", field.s), \
	 lone_empty = nf == 0 && field.n == 0, nf++, field.n = 0, field.s[0] = '\0')
#define END_ROW()                                                                                 \
	(nf > 1 || !lone_empty ? put(&out, "line %ld:%s\n", start_line, row.s) : (void)0, nf = 0, \
	 row.n = 0, row.s[0] = '\0')
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++) {
		char c = buf[i] ? buf[i] : ' ';
		char hex[4];
		snprintf(hex, sizeof hex, "%02x", (unsigned char)c);
		if (st == QUOTED) {
			if (c == '"' && i + 1 < len && buf[i + 1] == '"') {
				put(&field, "22");
				i++;
			} else if (c == '"') {
				st = AFTER;
			} else {
				line += c == '\n';
				put(&field, "%s", hex);
			}
			continue;
		}
		if (c == ',') {
			END_FIELD();
			st = START;
		} else if (c == '\n' || (c == '\r' && i + 1 < len && buf[i + 1] == '\n')) {
			i += c == '\r';
			END_FIELD();
			END_ROW();
			start_line = ++line;
			st = START;
		} else if (c == '"' && st == START) {
			st = QUOTED;
		} else {
			put(&field, "%s", hex);
			st = PLAIN;
		}
	}
	if (st == QUOTED)
		++*nwarn;
	if (st != START || nf > 0) {
		END_FIELD();
		END_ROW();
	}
#undef END_FIELD
#undef END_ROW
	free(field.s);
	free(row.s);
	free(buf);
	return out.s;
}

/* The tolerant mode's answer in the oracle's form (field lengths in bytes
 * of hex text, so the two compare as text). */
static char *tolerant(const char *in, size_t len, size_t *nerr)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct csvr *r;
	assert_int_equal(csvr_open_mem(in, len, "t.csv", CSVR_TOLERANT, &d, &r), 0);
	struct text t = { 0 };
	put(&t, "");
	const struct csvr_record *rec;
	int rc;
	while ((rc = csvr_next(r, &rec)) == 0 && rec) {
		put(&t, "line %ld:", rec->line);
		for (size_t i = 0; i < rec->n; i++) {
			put(&t, " [%zu ", 2 * rec->f[i].len);
			for (size_t k = 0; k < rec->f[i].len; k++)
				put(&t, "%02x", (unsigned char)rec->f[i].s[k]);
			put(&t, "]");
		}
		put(&t, "\n");
	}
	assert_int_equal(rc, 0);
	*nerr = csvr_errors(r);
	assert_int_equal(*nerr, allot_diags_count(&d));
	csvr_close(r);
	allot_diags_free(&d);
	return t.s;
}

/* Hand-checked answers: what a public file's quirks read as, where each
 * field starts, and the one diagnostic (an open quote, at its line). */
static void tolerant_mode_hand_checked(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
		/* text after a closing quote and a bare quote are kept */
		{ "\"ab\"cd,x\"y\n", 0, "record 0 line 1: [1:1 4 61626364] [1:8 3 782279]\n" },
		/* a lone CR is data; CRLF ends the record; "" alone is a blank line */
		{ "a\rb,c\r\n\"\"\r\n\n,\n", 0,
		  "record 0 line 1: [1:1 3 610d62] [1:5 1 63]\n"
		  "record 1 line 4: [4:1 0 ] [4:2 0 ]\n" },
		/* a quoted line break moves the next field's line; "" is a quote */
		{ "\"x\ny\",\"a\"\"b\",\xc3\xa9,z\n", 0,
		  "record 0 line 1: [1:1 3 780a79] [2:4 3 612262] [2:11 2 c3a9] [2:13 1 7a]\n" },
		/* Latin-1 (not valid UTF-8) read as such, a NUL as a space */
		{ "caf\xe9,a\0b", 8, "record 0 line 1: [1:1 5 636166c3a9] [1:6 3 612062]\n" },
		/* a BOM skipped in UTF-8 text (not in Latin-1: the old reader's rule) */
		{ "\xEF\xBB\xBF\xc3\xa9,b", 0, "record 0 line 1: [1:1 2 c3a9] [1:3 1 62]\n" },
		{ "\xEF\xBB\xBF\xe9", 0, "record 0 line 1: [1:1 8 c3afc2bbc2bfc3a9]\n" },
		/* a quote left open: reported, the field runs to the end */
		{ "a,b\n\"c,\nd", 0,
		  "record 0 line 1: [1:1 1 61] [1:3 1 62]\n"
		  "record 1 line 2: [2:1 4 632c0a64]\n"
		  "t.csv:2:0: expected a closing quote for the field opened here, found "
		  "the end of the file\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		char *got = read_mem(cases[i].in, len, CSVR_TOLERANT);
		char want[512];
		size_t nd = 0;
		for (const char *p = cases[i].want; (p = strstr(p, "t.csv:")); p++)
			nd++;
		snprintf(want, sizeof want, "%src 0 errors %zu\n", cases[i].want, nd);
		/* the diagnostics follow the counts in describe's answer */
		const char *diag = strstr(cases[i].want, "t.csv:");
		if (diag)
			snprintf(want, sizeof want, "%.*src 0 errors %zu\n%s",
				 (int)(diag - cases[i].want), cases[i].want, nd, diag);
		if (strcmp(got, want) != 0)
			fprintf(stderr, "case %zu:\n%s\nwant:\n%s\n", i, got, want);
		assert_string_equal(got, want);
		free(got);
	}
}

/* Random inputs: the tolerant mode reads what the converters' old reader
 * read, record for record, with the same number of diagnostics. */
static void tolerant_mode_matches_old_reader(void **state)
{
	(void)state;
	char buf[2048];
	for (int i = 0; i < 5000; i++) {
		size_t n = random_csv(buf, sizeof buf), nwarn, nerr;
		char *want = oracle(buf, n, &nwarn);
		char *got = tolerant(buf, n, &nerr);
		if (strcmp(got, want) != 0 || nwarn != nerr) {
			fprintf(stderr, "input (%zu bytes):", n);
			for (size_t k = 0; k < n; k++)
				fprintf(stderr, " %02x", (unsigned char)buf[k]);
			fprintf(stderr, "\nold:\n%s(%zu)\ntolerant:\n%s(%zu)\n", want, nwarn, got,
				nerr);
		}
		assert_string_equal(got, want);
		assert_int_equal(nerr, nwarn);
		free(want);
		free(got);
	}
}

/* A whole file as rows (csvr_table_read): lines, fields, lookups. */
static void table_reads_rows(void **state)
{
	(void)state;
	char path[] = "/tmp/allot-test-csvtable-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = " id , name\n\"p\nq\",\xe9t\xe9\n\nr\n";
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	struct allot_diags d;
	allot_diags_init(&d);
	struct csvr_table t;
	assert_int_equal(csvr_table_read(path, CSVR_TOLERANT, &t, &d), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(csvr_col(&t.rows[0], "name"), 1);
	assert_int_equal(csvr_col(&t.rows[0], "id"), 0);
	assert_int_equal(csvr_col(&t.rows[0], "nam"), -1);
	assert_int_equal(t.rows[1].line, 2);
	assert_string_equal(csvr_get(&t.rows[1], 0), "p\nq");
	assert_string_equal(csvr_get(&t.rows[1], 1), "\xc3\xa9t\xc3\xa9");
	assert_int_equal(t.rows[2].line, 5);
	assert_int_equal(t.rows[2].n, 1);
	assert_string_equal(csvr_get(&t.rows[2], 1), "");
	assert_string_equal(csvr_get(&t.rows[2], -1), "");
	/* columns as the reader counts them, for the converters' messages: a
	 * quoted field at its quote, a field after a quoted line break on its
	 * own line (q", then the field: column 4), characters not bytes, and a
	 * field past the row's end just after its last field */
	assert_int_equal(csvr_colno(&t.rows[0], 0), 1);
	assert_int_equal(csvr_colno(&t.rows[0], 1), 6);
	assert_int_equal(csvr_colno(&t.rows[1], 0), 1);
	assert_int_equal(csvr_colno(&t.rows[1], 1), 4);
	assert_int_equal(csvr_colno(&t.rows[1], 2), 7); /* 'été' is 3 characters */
	assert_int_equal(csvr_colno(&t.rows[2], 0), 1);
	assert_int_equal(csvr_colno(&t.rows[2], 1), 2);
	csvr_table_free(&t);
	assert_int_equal(t.n, 0);
	unlink(path);
	assert_int_equal(csvr_table_read(path, CSVR_TOLERANT, &t, &d), ALLOT_EIO);
	assert_int_equal(allot_diags_count(&d), 1);
	assert_non_null(strstr(d.v[0].msg, "cannot read: "));
	allot_diags_free(&d);
}

/* Files bigger than the read buffer: lines cut by a refill go to libcsv,
 * the others take the fast path; the answers must not differ. */
static void big_files_agree(void **state)
{
	(void)state;
	size_t cap = 3u << 20, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	char path[] = "/tmp/allot-test-csvread-XXXXXX";
	for (int round = 0; round < 3; round++) {
		n = 0;
		while (n + 64 < cap) {
			if (round == 2 && rnd(200) == 0) {
				n += random_csv(buf + n, 60);
				continue;
			}
			n += (size_t)snprintf(buf + n, cap - n, "O%u,%s,%u,%04u-%02u%s",
					      rnd(1000000), rnd(3) ? "USA" : "\xc3\xa9t\xc3\xa9",
					      rnd(5000), 2020 + rnd(20), 1 + rnd(12),
					      round == 1 ? "\r\n" : "\n");
			if (rnd(100) == 0)
				buf[n++] = '\n';
		}
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, buf, n), (ssize_t)n);
		close(fd);
		char *fast = read_file(path, CSVR_UTF8);
		char *slow = read_file(path, CSVR_UTF8 | CSVR_LIBCSV);
		assert_true(strcmp(fast, slow) == 0);
		free(fast);
		free(slow);
		unlink(path);
		strcpy(path, "/tmp/allot-test-csvread-XXXXXX");
	}
	free(buf);
}

/* value_number and value_int before their plain-integer fast path: the
 * reference the fast path must agree with, bit for bit. */
static int ref_number(const char *s, double *out)
{
	const char *p = s;
	int whole = 0, frac = 0;
	if (*p == '+' || *p == '-')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, whole = 1;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++, frac = 1;
	}
	if (!whole && !frac)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return -1;
	double v = strtod(s, NULL);
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int ref_int(const char *s, int64_t *out)
{
	double v;
	if (ref_number(s, &v) != 0 || v != floor(v) || fabs(v) > 9007199254740992.0)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static void numbers_read_as_strtod_reads_them(void **state)
{
	(void)state;
	static const char *const fixed[] = {
		"0",
		"-0",
		"+0",
		"7",
		"-12",
		"+12",
		"007",
		"999999999999999",
		"-999999999999999",
		"1000000000000000",
		"9007199254740993",
		"12345678901234567890",
		"1.5",
		"1e3",
		"",
		"+",
		"-",
		"1-",
		" 1",
		"1 ",
		"0x10",
		"--1",
	};
	char buf[32];
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed + 20000; i++) {
		const char *s;
		if (i < sizeof fixed / sizeof *fixed) {
			s = fixed[i];
		} else {
			static const char alpha[] = "0123456789999+-.e";
			size_t n = rnd(20);
			for (size_t k = 0; k < n; k++)
				buf[k] = alpha[rnd(sizeof alpha - 1)];
			buf[n] = '\0';
			s = buf;
		}
		double a = 0, b = 0;
		int ra = value_number(s, &a), rb = ref_number(s, &b);
		assert_int_equal(ra, rb);
		if (ra == 0) /* bit for bit: -0 stays -0 */
			assert_memory_equal(&a, &b, sizeof a);
		int64_t x = 0, y = 0;
		ra = value_int(s, &x);
		rb = ref_int(s, &y);
		assert_int_equal(ra, rb);
		if (ra == 0)
			assert_true(x == y);
	}
}

/* A big random scenario (100,000 orders, through the fast path and the
 * number reader) written, loaded and written again byte for byte, then
 * through a store and back, byte for byte again. */
static void big_random_scenario_round_trips(void **state)
{
	(void)state;
	static const char *const files[] = { "orders.csv", "partners.csv", "systems.csv",
					     "lines.csv",  "events.csv",   "scenario.json" };
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = 100000;
	sp.lines = 40;
	sp.seed = 7;
	struct allot_scenario *s = NULL, *t = NULL, *u = NULL;
	assert_int_equal(allot_synth_scenario(&sp, &s), 0);
	char dir[] = "/tmp/allot-test-roundtrip-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char a[256], b[256], c[256], db[256];
	snprintf(a, sizeof a, "%s/a", dir);
	snprintf(b, sizeof b, "%s/b", dir);
	snprintf(c, sizeof c, "%s/c", dir);
	snprintf(db, sizeof db, "%s/s.db", dir);
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_write(s, a, &d), 0);
	assert_int_equal(allot_scenario_load(a, &t, &d), 0);
	assert_int_equal(t->n_orders, 100000);
	assert_int_equal(allot_scenario_write(t, b, &d), 0);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), 0);
	assert_int_equal(allot_store_put_scenario(st, "big", t, &d), 0);
	assert_int_equal(allot_store_get_scenario(st, "big", &u, &d), 0);
	allot_store_close(st);
	assert_int_equal(allot_scenario_write(u, c, &d), 0);
	assert_int_equal(d.n, 0);
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char pa[300], pb[300], pc[300];
		snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
		snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
		snprintf(pc, sizeof pc, "%s/%s", c, files[i]);
		size_t na = 0, nb = 0, nc = 0;
		char *ta = tu_slurp(pa, &na), *tb = tu_slurp(pb, &nb), *tc = tu_slurp(pc, &nc);
		assert_non_null(ta);
		assert_true(na == nb && memcmp(ta, tb, na) == 0);
		assert_true(na == nc && memcmp(ta, tc, na) == 0);
		free(ta);
		free(tb);
		free(tc);
	}
	for (size_t i = 0; i < t->n_orders; i += 997) {
		assert_string_equal(t->orders[i].order_id, s->orders[i].order_id);
		assert_true(t->orders[i].qty == s->orders[i].qty);
		assert_int_equal(t->orders[i].loa_month, s->orders[i].loa_month);
		assert_int_equal(allot_scenario_find_order(t, s->orders[i].order_id), (int)i);
	}
	allot_diags_free(&d);
	allot_scenario_free(s);
	allot_scenario_free(t);
	allot_scenario_free(u);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hand_written_cases_agree),
		cmocka_unit_test(fast_path_positions_and_messages),
		cmocka_unit_test(random_inputs_agree),
		cmocka_unit_test(big_files_agree),
		cmocka_unit_test(tolerant_mode_hand_checked),
		cmocka_unit_test(tolerant_mode_matches_old_reader),
		cmocka_unit_test(table_reads_rows),
		cmocka_unit_test(numbers_read_as_strtod_reads_them),
		cmocka_unit_test(big_random_scenario_round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
