/*
 * csvread.h - a strict CSV reader that knows where every field starts.
 *
 * A thin layer over libcsv (RFC 4180: comma separated, "..." quoting with ""
 * for a quote, quoted fields may hold commas and line breaks).  libcsv does
 * the unquoting; this layer feeds it one field at a time so that it can say
 * on which line and column each field starts, enforces the size limits, and
 * turns every problem into a diagnostic "file:line:col: expected ..., found
 * ...".
 *
 * Positions: lines are 1-based and counted at LF bytes (so a quoted field
 * with line breaks moves the next field's line on).  Columns are 1-based
 * character columns of the field's first byte (its opening quote when it is
 * quoted): with CSVR_UTF8 a character is a UTF-8 sequence, otherwise a byte
 * (Latin-1 and other 8-bit input is read as is, never validated).
 *
 * Accepted: a UTF-8 byte order mark at the very start (skipped, not counted
 * in columns), LF or CRLF line ends, blank lines (skipped).  Spaces are data:
 * nothing is trimmed.  Rejected (diagnostic, then the reader stops): a quote
 * inside an unquoted field, text after a closing quote, a quote left open at
 * the end of the file.  Rejected per field (diagnostic, reading goes on): a
 * NUL byte, invalid UTF-8 (with CSVR_UTF8 only).
 *
 * Limits (ALLOT_ELIMIT with a diagnostic): CSVR_MAX_LINE bytes per line,
 * CSVR_MAX_FIELD bytes per field, CSVR_MAX_ROWS records per file.
 *
 * The tolerant mode (CSVR_TOLERANT) is for the public files the converters
 * read as they are published (lib/convert): the input is read whole; when it
 * is not valid UTF-8 each byte is read as Latin-1; a NUL byte reads as a
 * space; a quote inside an unquoted field, and text after a closing quote,
 * are kept as written ("ab"cd reads abcd); only LF or CRLF ends a record (a
 * lone CR is data); a record that is a lone empty field ("" alone on a line)
 * is skipped as a blank line; a quote left open is reported (a diagnostic,
 * not a stop) and its field runs to the end of the input; the line and field
 * size limits become CSVR_TOL_MAX_FIELD per field.  Nothing else stops it.
 *
 * Usage:
 *	struct csvr *r;
 *	rc = csvr_open(path, "orders.csv", CSVR_UTF8, diags, &r);
 *	while ((rc = csvr_next(r, &rec)) == 0 && rec) {
 *		rec->f[i].s, rec->f[i].len, rec->f[i].line, rec->f[i].col ...
 *	}
 *	csvr_close(r);
 * csvr_errors(r) counts the diagnostics the reader added (including the
 * per-field ones that do not stop it).
 */
#ifndef ALLOT_IO_CSVREAD_H
#define ALLOT_IO_CSVREAD_H

#include <stddef.h>

#include <allot/allot.h>

#define CSVR_MAX_LINE  (1L << 20) /* 1 MiB */
#define CSVR_MAX_FIELD (1L << 16) /* 64 KiB */
#define CSVR_MAX_ROWS  10000000L  /* records per file, header included */

/* Flags for csvr_open. */
#define CSVR_UTF8 1u /* fields must be valid UTF-8; columns count characters */
#define CSVR_LAX                                                     \
	2u /* accept a bare quote inside an unquoted field (libcsv's \
	      non-strict mode); other rules stay */
#define CSVR_LIBCSV                                                                        \
	4u                             /* feed every byte through libcsv (no fast path for \
					  lines without quotes); the tests compare the two */
#define CSVR_TOLERANT      8u          /* the converters' mode (above); other flags ignored */
#define CSVR_TOL_MAX_FIELD (16L << 20) /* 16 MiB, tolerant mode */

struct csvr_field {
	const char *s; /* NUL-terminated; valid until the next csvr_next */
	size_t len;    /* bytes, without the NUL */
	long line;     /* where the field starts, 1-based */
	long col;
};

struct csvr_record {
	struct csvr_field *f;
	size_t n;   /* number of fields (>= 1) */
	long line;  /* line of the first field */
	long index; /* 0 for the first record (the header, usually) */
};

struct csvr;

/* Opens a file.  `name` is the file name printed in diagnostics (NULL: the
 * path).  Returns 0, ALLOT_EIO (with a diagnostic) or ALLOT_ENOMEM. */
int csvr_open(const char *path, const char *name, unsigned flags, struct allot_diags *d,
	      struct csvr **out);
/* Reads from memory (borrowed: buf must outlive the reader). */
int csvr_open_mem(const void *buf, size_t len, const char *name, unsigned flags,
		  struct allot_diags *d, struct csvr **out);
/* Field delimiter (default ','); call before the first csvr_next. */
void csvr_set_delim(struct csvr *r, char delim);
/* Reads the next record into *rec (owned by the reader, valid until the next
 * call); *rec = NULL at the end of the input.  Returns 0, ALLOT_EINPUT after
 * a syntax error, ALLOT_ELIMIT, ALLOT_EIO or ALLOT_ENOMEM; each error but
 * ENOMEM comes with a diagnostic and ends the reading (later calls return
 * the same code). */
int csvr_next(struct csvr *r, const struct csvr_record **rec);
/* Diagnostics this reader has added so far. */
size_t csvr_errors(const struct csvr *r);
/* The name used in diagnostics. */
const char *csvr_name(const struct csvr *r);
void csvr_close(struct csvr *r);

/* Appends `s` to buf as a quoted, escaped, shortened text for messages:
 * "abc", "a\"b", "\x01", "long text..." (at most ~40 characters). */
void csvr_quote_for_msg(const char *s, size_t len, char *buf, size_t size);

/* 1 when s[0..len) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utf8_valid(const char *s, size_t len);

/* Reads a whole file into a NUL-terminated buffer (mem_free it).  ALLOT_EIO
 * with a diagnostic "cannot read: <reason>" on failure. */
int csvr_slurp(const char *path, char **buf, size_t *len, struct allot_diags *d);

/* ---- a whole file as rows (csvtable.c), for the converters ------------- */

struct csvr_row {
	long line; /* 1-based line where the record starts */
	size_t n;  /* number of fields (>= 1) */
	char **f;  /* fields, NUL-terminated; one allocation with the row */
	long *col; /* each field's column, as csvr_field's (same allocation) */
};

struct csvr_table {
	struct csvr_row *rows;
	size_t n, cap;
};

/* Reads every record of buf[0..len) (or of the file at path) with `flags`
 * (CSVR_TOLERANT for the converters); `name` labels diagnostics (NULL: the
 * path).  Returns 0 or the reader's error; *out is empty after an error. */
int csvr_table_mem(const char *buf, size_t len, const char *name, unsigned flags,
		   struct csvr_table *out, struct allot_diags *d);
int csvr_table_read(const char *path, unsigned flags, struct csvr_table *out,
		    struct allot_diags *d);
void csvr_table_free(struct csvr_table *t);
/* Index of the column named `name` in a header row (exact match after
 * trimming spaces), or -1. */
int csvr_col(const struct csvr_row *hdr, const char *name);
/* The column, for diagnostics, of field i of row r: where it starts (1-based
 * characters, as csvr_field's col), or for a field past the row's end the
 * column just past its last field.  A field after a line break inside an
 * earlier quoted field counts its column on its own line (the row's line
 * is the record's first). */
long csvr_colno(const struct csvr_row *r, int i);
/* Field i of a row, or "" when the row is shorter (or i < 0). */
const char *csvr_get(const struct csvr_row *r, int i);

#endif
