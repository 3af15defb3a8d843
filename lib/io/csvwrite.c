/*
 * csvwrite.c - canonical CSV output (see csvwrite.h).
 */
#include "io/csvwrite.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void csvw_init(struct csvw *w, FILE *f)
{
	w->f = f;
	w->nfield = 0;
	w->err = 0;
	w->n = 0;
}

int csv_needs_quotes(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (s[0] == ' ' || s[len - 1] == ' ')
		return 1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\r' || c == '\n')
			return 1;
	}
	return 0;
}

/* The stream is this writer's alone: no locking. */
static void out(struct csvw *w, const char *s, size_t n)
{
	if (!w->err && n && fwrite_unlocked(s, 1, n, w->f) != n)
		w->err = errno ? errno : EIO;
}

static void flush_line(struct csvw *w)
{
	out(w, w->line, w->n);
	w->n = 0;
}

static void put(struct csvw *w, const char *s, size_t n)
{
	if (n > sizeof w->line - w->n) {
		flush_line(w);
		if (n > sizeof w->line) {
			out(w, s, n);
			return;
		}
	}
	memcpy(w->line + w->n, s, n);
	w->n += n;
}

static void sep(struct csvw *w)
{
	if (w->nfield++)
		put(w, ",", 1);
}

void csvw_strn(struct csvw *w, const char *s, size_t len)
{
	sep(w);
	if (!csv_needs_quotes(s, len)) {
		put(w, s, len);
		return;
	}
	put(w, "\"", 1);
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"') {
			put(w, s + from, i + 1 - from); /* through the quote */
			put(w, "\"", 1);
			from = i + 1;
		}
	}
	put(w, s + from, len - from);
	put(w, "\"", 1);
}

void csvw_str(struct csvw *w, const char *s)
{
	csvw_strn(w, s ? s : "", s ? strlen(s) : 0);
}

void csvw_double(struct csvw *w, double v)
{
	char buf[32];
	allot_fmt_double(v, buf);
	sep(w);
	put(w, buf, strlen(buf));
}

/* "%lld" by hand: a plan's files hold millions of integers. */
void csvw_int(struct csvw *w, long long v)
{
	char buf[24];
	char *e = buf + sizeof buf, *p = e;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sep(w);
	put(w, p, (size_t)(e - p));
}

void csvw_bool(struct csvw *w, int v)
{
	sep(w);
	put(w, v ? "1" : "0", 1);
}

void csvw_month(struct csvw *w, allot_month m)
{
	char buf[8];
	allot_month_format(m, buf);
	sep(w);
	put(w, buf, buf[0] ? 7 : 0);
}

void csvw_row(struct csvw *w, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csvw_str(w, fields[i]);
	csvw_end(w);
}

void csvw_end(struct csvw *w)
{
	put(w, "\n", 1);
	flush_line(w);
	w->nfield = 0;
}

int csvw_error(const struct csvw *w)
{
	return w->err;
}
