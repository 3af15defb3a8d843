/*
 * buf.h - a growable byte buffer with a cap.
 *
 * Appends copy bytes or printf output to the end; the text stays NUL
 * terminated.  An append that would take the buffer past its cap fails
 * with ALLOT_ELIMIT and one that cannot allocate with ALLOT_ENOMEM; either
 * leaves the text as it was and is remembered in `err`, so that a writer
 * may append freely and check once at the end.  Every later append fails
 * the same way.  Memory comes from lib/util/mem.c (fault injection
 * reaches it).
 */
#ifndef ALLOT_UTIL_BUF_H
#define ALLOT_UTIL_BUF_H

#include <stddef.h>
#include <stdio.h>

struct buf {
	char *v;    /* NUL-terminated once anything was appended; may be NULL */
	size_t n;   /* bytes held, without the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* the cap: at most this many bytes (0: no cap but SIZE_MAX) */
	int err;    /* 0, or ALLOT_ELIMIT / ALLOT_ENOMEM after a failed append */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
/* Each returns 0 (ALLOT_OK) or the error also kept in b->err. */
int buf_add(struct buf *b, const void *p, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends text for a terminal: a line break in place of the spaces before
 * each word that would take its line past width columns (code points), so
 * that lines end on word boundaries; a word of symbols only ("<", "%")
 * stays with its neighbours ("< 1", "25 %"), a word wider than width
 * stands alone on its line, and the text's own line breaks stay. */
int buf_wrap(struct buf *b, const char *text, size_t width);
/* Appends what is left of f up to its end: 0, ALLOT_ELIMIT when f holds
 * more than the cap allows (exactly the cap is fine), ALLOT_ENOMEM, or
 * ALLOT_EIO on a read error (errno set). */
int buf_read(struct buf *b, FILE *f);
/* Hands the text over ("" when nothing was appended; NULL after an error
 * or when out of memory); the buffer is empty again, with the same cap. */
char *buf_take(struct buf *b);

#endif
