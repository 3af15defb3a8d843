/*
 * csvwrite.c - canonical CSV output (see csvwrite.h).
 */
#define _GNU_SOURCE /* sync_file_range */
#include "io/csvwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"

void csvw_init(struct csvw *w, FILE *f)
{
	w->f = f;
	w->nfield = 0;
	w->err = 0;
	w->n = 0;
	w->buf = w->line;
	w->cap = sizeof w->line;
	w->off = 0;
}

void csvw_init_bulk(struct csvw *w, FILE *f)
{
	csvw_init(w, f);
	char *b = mem_alloc(CSVW_BULK);
	if (b) { /* else line by line, as csvw_init: slower, the same bytes */
		w->buf = b;
		w->cap = CSVW_BULK;
	}
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

static int is_bulk(const struct csvw *w)
{
	return w->buf != w->line;
}

/* A bulk writer's piece goes to the file descriptor itself (the stream's
 * buffer would only copy it again), and the kernel is asked to start
 * writing it to the disk now, so that the fsync at the end finds most of
 * the file written (a hint: fsync still decides durability; it fails
 * harmlessly where the descriptor is not a file). */
static void out_fd(struct csvw *w, const char *s, size_t n)
{
	int fd = fileno(w->f);
	if (fflush(w->f) != 0) { /* what went through the stream before */
		w->err = errno ? errno : EIO;
		return;
	}
	off_t at = w->off;
	while (n) {
		ssize_t k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->err = k < 0 && errno ? errno : EIO;
			return;
		}
		s += k;
		n -= (size_t)k;
		w->off += k;
	}
#ifdef SYNC_FILE_RANGE_WRITE
	sync_file_range(fd, at, w->off - at, SYNC_FILE_RANGE_WRITE);
#else
	(void)at;
#endif
}

/* The stream is this writer's alone: no locking. */
static void out(struct csvw *w, const char *s, size_t n)
{
	if (w->err || !n)
		return;
	if (is_bulk(w))
		out_fd(w, s, n);
	else if (fwrite_unlocked(s, 1, n, w->f) != n)
		w->err = errno ? errno : EIO;
}

static void flush_buf(struct csvw *w)
{
	out(w, w->buf, w->n);
	w->n = 0;
}

static void put(struct csvw *w, const char *s, size_t n)
{
	if (n > w->cap - w->n) {
		flush_buf(w);
		if (n > w->cap) {
			out(w, s, n);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

/* At least k bytes free at the end of the buffer (k <= CSVW_LINE). */
static char *room(struct csvw *w, size_t k)
{
	if (w->cap - w->n < k)
		flush_buf(w);
	return w->buf + w->n;
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

/* A field without a byte that needs quotes is copied in the pass that
 * looks for those bytes (most fields: ids, codes); anything else, or a
 * field longer than the room left, goes the general way. */
void csvw_str(struct csvw *w, const char *s)
{
	if (!s)
		s = "";
	size_t n0 = w->n, lim = w->cap - w->n;
	char *d = w->buf + w->n;
	size_t i = 0;
	if (w->nfield && lim)
		d[i++] = ',';
	size_t start = i;
	for (; i < lim; i++) {
		char c = s[i - start];
		if (c == '\0' || c == ',' || c == '"' || c == '\r' || c == '\n')
			break;
		d[i] = c;
	}
	if (i < lim && s[i - start] == '\0' &&
	    (i == start || (d[start] != ' ' && d[i - 1] != ' '))) {
		w->n = n0 + i;
		w->nfield++;
		return;
	}
	w->n = n0;
	csvw_strn(w, s, strlen(s));
}

void csvw_double(struct csvw *w, double v)
{
	char buf[32];
	allot_fmt_double(v, buf);
	sep(w);
	put(w, buf, strlen(buf));
}

/* "%lld" by hand, straight into the buffer: a plan's files hold millions
 * of integers. */
void csvw_int(struct csvw *w, long long v)
{
	char *d = room(w, 22); /* comma, sign, 19 digits */
	if (w->nfield++)
		*d++ = ',';
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	if (v < 0)
		*d++ = '-';
	size_t k = 1;
	for (unsigned long long t = u; t >= 10; t /= 10)
		k++;
	char *e = d + k;
	do {
		*--e = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	w->n = (size_t)(d + k - w->buf);
}

void csvw_bool(struct csvw *w, int v)
{
	sep(w);
	put(w, v ? "1" : "0", 1);
}

void csvw_month(struct csvw *w, allot_month m)
{
	char *d = room(w, 9); /* comma, YYYY-MM, its NUL */
	if (w->nfield++)
		*d++ = ',';
	allot_month_format(m, d);
	w->n = (size_t)(d + (d[0] ? 7 : 0) - w->buf);
}

void csvw_row(struct csvw *w, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csvw_str(w, fields[i]);
	csvw_end(w);
}

/* A line writer writes each line; a bulk writer when less than a line's
 * room is left. */
void csvw_end(struct csvw *w)
{
	put(w, "\n", 1);
	if (!is_bulk(w) || w->cap - w->n < CSVW_LINE)
		flush_buf(w);
	w->nfield = 0;
}

int csvw_finish(struct csvw *w)
{
	flush_buf(w);
	if (is_bulk(w))
		mem_free(w->buf);
	w->buf = w->line;
	w->cap = sizeof w->line;
	return w->err;
}

int csvw_error(const struct csvw *w)
{
	return w->err;
}
