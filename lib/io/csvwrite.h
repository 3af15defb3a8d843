/*
 * csvwrite.h - writing CSV in the canonical form, and files atomically.
 *
 * Canonical CSV: comma separated, LF line ends, no BOM.  A field is quoted
 * only when it holds a comma, a quote, CR or LF, or starts or ends with a
 * space; quotes inside are doubled.  Numbers use allot_fmt_double (shortest
 * text that reads back exactly), integers %lld, months YYYY-MM, booleans 1/0;
 * absent optional values are empty fields.
 *
 * A struct csvw wraps a FILE and remembers the first write error, so callers
 * write a whole table and check once (csvw_error).
 * Files are replaced atomically with util/afile.h.
 */
#ifndef ALLOT_IO_CSVWRITE_H
#define ALLOT_IO_CSVWRITE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <allot/allot.h>

/* The fields of a line are gathered in `line` and written by csvw_end in
 * one call (a plan's files were ten stdio calls a row); a field that does
 * not fit is written through.  So a line reaches the FILE at csvw_end.
 *
 * A bulk writer (csvw_init_bulk; a plan's output files, tens of MB) gathers
 * lines in a buffer of its own, CSVW_BULK bytes, and writes it to the
 * stream's file descriptor when less than a line's room is left (fields
 * are formatted in place, no stdio copy), asking the kernel to start
 * writing each piece to the disk (sync_file_range) so that the file's
 * fsync has little left to wait for.  Its lines reach the file only at
 * csvw_finish, which must be called (it also frees the buffer); nothing
 * else may write to the stream meanwhile. */
#define CSVW_LINE 512
#define CSVW_BULK (1024 * 1024)

struct csvw {
	FILE *f;
	int nfield; /* fields written on the current line */
	int err;    /* first errno seen, 0 if none */
	size_t n;   /* bytes in buf */
	size_t cap; /* buf's size */
	char *buf;  /* line, or a bulk writer's own buffer */
	off_t off;  /* a bulk writer: bytes it wrote to the file so far */
	char line[CSVW_LINE];
};

void csvw_init(struct csvw *w, FILE *f);
/* A bulk writer (above); without memory for its buffer it writes line by
 * line, as csvw_init's, the same bytes. */
void csvw_init_bulk(struct csvw *w, FILE *f);
/* Writes what a bulk writer holds and frees its buffer (any writer:
 * returns csvw_error). */
int csvw_finish(struct csvw *w);
/* Writes one text field (quoted when needed), preceded by a comma unless it
 * is the first of its line. */
void csvw_str(struct csvw *w, const char *s);
void csvw_strn(struct csvw *w, const char *s, size_t len);
void csvw_double(struct csvw *w, double v);
void csvw_int(struct csvw *w, long long v);
void csvw_bool(struct csvw *w, int v);
void csvw_month(struct csvw *w, allot_month m); /* ALLOT_NO_MONTH: empty */
/* Writes a header or any row of plain strings. */
void csvw_row(struct csvw *w, const char *const *fields, size_t n);
void csvw_end(struct csvw *w);        /* ends the line with LF and writes it */
int csvw_error(const struct csvw *w); /* errno of the first failure, or 0 */

/* 1 when the field has to be quoted. */
int csv_needs_quotes(const char *s, size_t len);

#endif
