/*
 * textbuf.c - growable text with printf (see textbuf.h).
 */
#include "convert/textbuf.h"

#include <allot/allot.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"

#define TEXTBUF_MAX (64u << 20)

void textbuf_init(struct textbuf *b)
{
	memset(b, 0, sizeof *b);
}

void textbuf_free(struct textbuf *b)
{
	mem_free(b->v);
	memset(b, 0, sizeof *b);
}

static int reserve(struct textbuf *b, size_t more)
{
	if (b->err)
		return -1;
	if (b->n + more + 1 > TEXTBUF_MAX) {
		b->err = ALLOT_ELIMIT;
		return -1;
	}
	if (mem_grow(&b->v, &b->cap, b->n + more + 1, 1)) {
		b->err = ALLOT_ENOMEM;
		return -1;
	}
	return 0;
}

void textbuf_add(struct textbuf *b, const char *s)
{
	size_t len = strlen(s);
	if (reserve(b, len))
		return;
	memcpy(b->v + b->n, s, len + 1);
	b->n += len;
}

void textbuf_printf(struct textbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || reserve(b, (size_t)len))
		return;
	va_start(ap, fmt);
	vsnprintf(b->v + b->n, (size_t)len + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
}

char *textbuf_take(struct textbuf *b)
{
	if (b->err)
		return NULL;
	if (!b->v && reserve(b, 0))
		return NULL;
	if (b->n == 0)
		b->v[0] = '\0';
	char *v = b->v;
	memset(b, 0, sizeof *b);
	return v;
}
