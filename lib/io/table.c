/*
 * table.c - named columns over the CSV reader (see table.h).
 */
#include "io/table.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "io/value.h"

/* Lists the known column names for "expected one of ...". */
static void col_list(const struct table *t, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < t->ncols && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? "," : "", t->cols[i].name);
}

static int read_header(struct table *t)
{
	const struct csvr_record *h;
	int rc = csvr_next(t->r, &h);
	if (rc)
		return t->status = rc;
	if (!h) {
		allot_diags_add(t->d, t->file, 1, 1,
				"expected a header row naming the columns, found an empty file");
		return t->status = ALLOT_EINPUT;
	}
	t->width = h->n;
	int bad = 0;
	for (size_t f = 0; f < h->n; f++) {
		const struct csvr_field *x = &h->f[f];
		size_t c = 0;
		while (c < t->ncols && strcmp(t->cols[c].name, x->s) != 0)
			c++;
		char q[96];
		csvr_quote_for_msg(x->s, x->len, q, sizeof q);
		if (c == t->ncols) {
			char list[512];
			col_list(t, list, sizeof list);
			allot_diags_add(t->d, t->file, x->line, x->col,
					"unknown column %s; expected one of %s", q, list);
			bad = 1;
		} else if (t->at[c] >= 0) {
			allot_diags_add(t->d, t->file, x->line, x->col,
					"duplicate column %s (first at column %ld)", q,
					h->f[t->at[c]].col);
			bad = 1;
		} else {
			t->at[c] = (int)f;
		}
	}
	for (size_t c = 0; c < t->ncols; c++) {
		if ((t->cols[c].flags & TC_REQ) && t->at[c] < 0) {
			allot_diags_add(t->d, t->file, 1, 0, "missing required column \"%s\"",
					t->cols[c].name);
			bad = 1;
		}
	}
	(void)bad; /* rows are still checked, to report everything in one run */
	return ALLOT_OK;
}

int table_open(struct table *t, const char *path, const struct tcol *cols, size_t ncols,
	       int optional, struct allot_diags *d)
{
	memset(t, 0, sizeof *t);
	t->file = path;
	t->cols = cols;
	t->ncols = ncols;
	t->d = d;
	for (size_t i = 0; i < TABLE_MAX_COLS; i++)
		t->at[i] = -1;
	struct stat st;
	if (stat(path, &st) != 0 && errno == ENOENT) {
		if (optional)
			return ALLOT_ENOTFOUND;
		allot_diags_add(d, path, 0, 0, "expected a file %s, found none (it is required)",
				strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
		return t->status = ALLOT_EIO;
	}
	int rc = csvr_open(path, path, CSVR_UTF8, d, &t->r);
	if (rc)
		return t->status = rc;
	return read_header(t);
}

int table_next(struct table *t)
{
	if (t->status)
		return 0;
	for (;;) {
		int rc = csvr_next(t->r, &t->rec);
		if (rc || !t->rec) {
			t->status = rc;
			t->rec = NULL;
			return 0;
		}
		if (t->rec->n == t->width)
			return 1;
		const struct csvr_record *r = t->rec;
		long col = r->n > t->width ? r->f[t->width].col : 0;
		t->ragged++;
		allot_diags_add(t->d, t->file, r->line, col,
				"expected %zu fields (as in the header), found %zu", t->width,
				r->n);
	}
}

void table_close(struct table *t)
{
	csvr_close(t->r);
	t->r = NULL;
}

long table_line(const struct table *t)
{
	return t->rec ? t->rec->line : 0;
}

static const struct csvr_field *field(const struct table *t, int c)
{
	return table_field(t, c);
}

const char *table_str(const struct table *t, int c)
{
	const struct csvr_field *x = field(t, c);
	return x ? x->s : "";
}

void table_err(const struct table *t, int c, const char *fmt, ...)
{
	const struct csvr_field *x = field(t, c);
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	allot_diags_add(t->d, t->file, x ? x->line : table_line(t), x ? x->col : 0, "%s", buf);
}

const char *table_found(const struct table *t, int c, char *buf, size_t n)
{
	const struct csvr_field *x = field(t, c);
	if (!x || x->len == 0)
		snprintf(buf, n, "an empty field");
	else
		csvr_quote_for_msg(x->s, x->len, buf, n);
	return buf;
}

void table_range_text(char *buf, size_t n, int integer, double lo, double hi)
{
	char a[32], b[32];
	const char *what = integer ? "an integer" : "a number";
	allot_fmt_double(lo, a);
	allot_fmt_double(hi, b);
	if (isfinite(lo) && isfinite(hi))
		snprintf(buf, n, "%s from %s to %s", what, a, b);
	else if (isfinite(lo))
		snprintf(buf, n, "%s >= %s", what, a);
	else if (isfinite(hi))
		snprintf(buf, n, "%s <= %s", what, b);
	else
		snprintf(buf, n, "%s", what);
}

/* 0 when column c has text, 1 when it is empty (or absent) and may be, -1
 * when it is empty and may not be (the caller reports) or is a required
 * column missing from the header (reported once already: *silent = 1). */
static int empty(const struct table *t, int c, int *silent)
{
	*silent = 0;
	if (t->at[c] < 0) {
		if (!(t->cols[c].flags & TC_REQ))
			return 1;
		*silent = 1;
		return -1;
	}
	if (field(t, c)->len > 0)
		return 0;
	return (t->cols[c].flags & TC_VAL) ? -1 : 1;
}

static int bad_value(const struct table *t, int c, const char *what)
{
	char found[96];
	table_err(t, c, "expected %s in %s, found %s", what, t->cols[c].name,
		  table_found(t, c, found, sizeof found));
	return -1;
}

static int bad_range(const struct table *t, int c, int integer, double lo, double hi)
{
	char what[96];
	table_range_text(what, sizeof what, integer, lo, hi);
	return bad_value(t, c, what);
}

int table_key(const struct table *t, int c, const char **out)
{
	int silent, e = empty(t, c, &silent);
	if (e < 0)
		return silent ? -1 : bad_value(t, c, "a value");
	*out = table_str(t, c);
	return 0;
}

int table_num(const struct table *t, int c, double lo, double hi, double *out)
{
	int silent, e = empty(t, c, &silent);
	*out = 0;
	if (e)
		return e > 0 ? 0 : silent ? -1 : bad_range(t, c, 0, lo, hi);
	double v;
	if (value_number(table_str(t, c), &v) != 0 || v < lo || v > hi)
		return bad_range(t, c, 0, lo, hi);
	*out = v;
	return 0;
}

int table_int(const struct table *t, int c, int64_t lo, int64_t hi, int64_t dflt, int64_t *out)
{
	double dhi = hi == INT64_MAX ? HUGE_VAL : (double)hi;
	int silent, e = empty(t, c, &silent);
	*out = dflt;
	if (e)
		return e > 0 ? 0 : silent ? -1 : bad_range(t, c, 1, (double)lo, dhi);
	int64_t v;
	if (value_int(table_str(t, c), &v) != 0 || v < lo || v > hi)
		return bad_range(t, c, 1, (double)lo, dhi);
	*out = v;
	return 0;
}

int table_bool(const struct table *t, int c, int *out)
{
	const char *what = "a boolean (1, 0, true or false)";
	int silent, e = empty(t, c, &silent);
	*out = 0;
	if (e)
		return e > 0 ? 0 : silent ? -1 : bad_value(t, c, what);
	if (value_bool(table_str(t, c), out) != 0)
		return bad_value(t, c, what);
	return 0;
}

int table_month(const struct table *t, int c, allot_month *out)
{
	const char *what = "a month YYYY-MM";
	int silent, e = empty(t, c, &silent);
	*out = ALLOT_NO_MONTH;
	if (e)
		return e > 0 ? 0 : silent ? -1 : bad_value(t, c, what);
	if (allot_month_parse(table_str(t, c), out) != 0)
		return bad_value(t, c, what);
	return 0;
}

int table_eum(const struct table *t, int c, enum allot_eum *out)
{
	const char *what = "an end-use status (compliant, delinquent or violation)";
	int silent, e = empty(t, c, &silent);
	*out = ALLOT_EUM_COMPLIANT;
	if (e)
		return e > 0 ? 0 : silent ? -1 : bad_value(t, c, what);
	if (allot_eum_parse(table_str(t, c), out) != 0)
		return bad_value(t, c, what);
	return 0;
}
