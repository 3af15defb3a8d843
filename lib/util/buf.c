/*
 * buf.c - a growable byte buffer with a cap (see buf.h).
 */
#include "util/buf.h"

#include <allot/allot.h>
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
