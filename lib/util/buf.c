/*
 * buf.c - a growable byte buffer with a cap (see buf.h).
 */
#include "util/buf.h"

#include <allot/allot.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "util/mem.h"

void buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max ? max : SIZE_MAX - 1;
}

void buf_free(struct buf *b)
{
	size_t max = b->max;
	mem_free(b->v);
	buf_init(b, max);
}

/* Room for more bytes and the NUL. */
static int reserve(struct buf *b, size_t more)
{
	if (b->err)
		return b->err;
	if (more > b->max - b->n)
		return b->err = ALLOT_ELIMIT;
	if (mem_grow(&b->v, &b->cap, b->n + more + 1, 1))
		return b->err = ALLOT_ENOMEM;
	return ALLOT_OK;
}

int buf_add(struct buf *b, const void *p, size_t len)
{
	int rc = reserve(b, len);
	if (rc)
		return rc;
	if (len)
		memcpy(b->v + b->n, p, len);
	b->n += len;
	b->v[b->n] = '\0';
	return ALLOT_OK;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

/* Columns of the n bytes at s: code points (UTF-8 continuation bytes do
 * not count). */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* A word of symbols only ("<", ">=", "%:"), or empty: never at either
 * side of a line break, so that "< 1" and "25 %" stay whole. */
static int symbols_only(const char *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)w[i]) || ((unsigned char)w[i] & 0x80))
			return 0;
	return 1;
}

/* The bytes from w to the end of its word, and of each word after it that
 * a symbols-only word on either side glues to it. */
static size_t unbreakable(const char *w)
{
	size_t n = strcspn(w, " \n");
	const char *last = w;
	while (w[n] == ' ') {
		size_t sp = strspn(w + n, " ");
		const char *next = w + n + sp;
		size_t nn = strcspn(next, " \n");
		if (nn == 0 ||
		    !(symbols_only(last, (size_t)(w + n - last)) || symbols_only(next, nn)))
			break;
		last = next;
		n += sp + nn;
	}
	return n;
}

int buf_wrap(struct buf *b, const char *text, size_t width)
{
	size_t col = 0; /* columns on the current line */
	const char *p = text;
	while (*p) {
		size_t sp = strspn(p, " ");
		const char *w = p + sp;
		size_t n = unbreakable(w), wc = columns(w, n);
		if (col > 0 && n > 0 && col + sp + wc > width) {
			buf_putc(b, '\n'); /* in place of the spaces */
			col = 0;
		} else {
			buf_add(b, p, sp);
			col += sp;
		}
		buf_add(b, w, n);
		col += wc;
		p = w + n;
		if (*p == '\n') {
			buf_putc(b, '\n');
			col = 0;
			p++;
		}
	}
	return b->err;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (b->err)
		return b->err;
	if (len < 0)
		return b->err = ALLOT_ENOMEM; /* only an encoding error gets here */
	int rc = reserve(b, (size_t)len);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->v + b->n, (size_t)len + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
	return ALLOT_OK;
}

int buf_read(struct buf *b, FILE *f)
{
	size_t chunk = 4096;
	for (;;) {
		if (b->err)
			return b->err;
		size_t room = b->max - b->n;
		if (room == 0) {
			/* Exactly the cap is allowed: refuse only a byte more. */
			int c = fgetc(f);
			if (c == EOF)
				return ferror(f) ? ALLOT_EIO : ALLOT_OK;
			return b->err = ALLOT_ELIMIT;
		}
		size_t want = room < chunk ? room : chunk;
		int rc = reserve(b, want);
		if (rc)
			return rc;
		size_t got = fread(b->v + b->n, 1, want, f);
		b->n += got;
		b->v[b->n] = '\0';
		if (got < want)
			return ferror(f) ? ALLOT_EIO : ALLOT_OK;
		if (chunk < (1u << 20))
			chunk *= 2;
	}
}

char *buf_take(struct buf *b)
{
	if (b->err || (!b->v && reserve(b, 0)))
		return NULL;
	b->v[b->n] = '\0';
	char *v = b->v;
	size_t max = b->max;
	buf_init(b, max);
	return v;
}
