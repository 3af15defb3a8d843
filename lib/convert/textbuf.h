/*
 * textbuf.h - a growable text buffer with printf, for generated documents
 * (SOURCES.md).  A failed append sets `err` and leaves the text as it was;
 * callers check once at the end.  Capped at 64 MiB.
 */
#ifndef ALLOT_CONVERT_TEXTBUF_H
#define ALLOT_CONVERT_TEXTBUF_H

#include <stddef.h>

struct textbuf {
	char *v;   /* NUL-terminated once anything was appended */
	size_t n, cap;
	int err;   /* ALLOT_ENOMEM / ALLOT_ELIMIT after a failed append */
};

void textbuf_init(struct textbuf *b);
void textbuf_free(struct textbuf *b);
void textbuf_add(struct textbuf *b, const char *s);
void textbuf_printf(struct textbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Hands the text over (never NULL unless err); the buffer is reset. */
char *textbuf_take(struct textbuf *b);

#endif
