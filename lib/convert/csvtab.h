/*
 * csvtab.h - a whole CSV file as a table of rows, for the converters.
 *
 * The converters read small-to-medium public tables (a few MB at most) and
 * need every row with the line it started on, tolerant of what such files
 * contain: a UTF-8 byte-order mark, CRLF or LF line ends, quoted fields with
 * commas, doubled quotes and line breaks, a stray quote inside an unquoted
 * field (kept as text) and a quote that is never closed (reported, the field
 * runs to the end of the input).  Blank lines are skipped.
 *
 * Ownership: a csvtab owns every row and string; csvtab_free releases it.
 */
#ifndef ALLOT_CONVERT_CSVTAB_H
#define ALLOT_CONVERT_CSVTAB_H

#include <allot/allot.h>

struct csvtab_row {
	long line;  /* 1-based physical line where the record starts */
	size_t n;   /* number of fields (>= 1) */
	char **f;   /* fields, NUL-terminated; owned */
};

struct csvtab {
	struct csvtab_row *rows;
	size_t n, cap;
};

/* Parses buf[0..len) (UTF-8 text; NUL bytes are read as spaces).  `name`
 * labels diagnostics.  Problems that do not stop parsing (an unterminated
 * quote) go to diags as warnings; returns ALLOT_OK or ALLOT_ENOMEM. */
int csvtab_parse(const char *buf, size_t len, const char *name,
		 struct csvtab *out, struct allot_diags *diags);
/* UTF-8 text of buf: a copy when buf is valid UTF-8, otherwise each byte
 * read as Latin-1 (never fails on content).  *out is mem-allocated and
 * NUL-terminated. */
int csvtab_to_utf8(const char *buf, size_t len, char **out, size_t *out_len);
/* Reads and parses a file (converted with csvtab_to_utf8).  ALLOT_EIO (with a diagnostic) when unreadable. */
int csvtab_read(const char *path, struct csvtab *out, struct allot_diags *diags);
void csvtab_free(struct csvtab *t);
/* The next integer in a text list such as SIPRI's "2019; 2020": skips
 * what is not a number, stores it in *out and returns the text after it;
 * NULL when there is none left. */
const char *csvtab_next_int(const char *p, long *out);

/* Index of the column named `name` in a header row (exact match after
 * trimming spaces), or -1. */
int csvtab_col(const struct csvtab_row *hdr, const char *name);
/* Field i of a row, or "" when the row is shorter. */
const char *csvtab_get(const struct csvtab_row *r, int i);

/* Reads a whole file into a NUL-terminated buffer (mem_free it).  ALLOT_EIO
 * with a diagnostic "cannot read: <reason>" on failure. */
int csvtab_slurp(const char *path, char **buf, size_t *len,
		 struct allot_diags *diags);

#endif
