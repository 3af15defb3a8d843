/*
 * table.h - one scenario CSV file seen as a table of named columns.
 *
 * Built on the CSV reader: the header row names the columns (any order);
 * a column table (struct tcol) says which names exist and which are required.
 * Unknown, duplicate and missing required columns, and rows whose field count
 * differs from the header's (ragged rows, which are then skipped), are
 * reported here.  The typed getters parse one field of the current row and
 * report a bad value as "expected <what> in <column>, found <text>" at the
 * field's position; an absent optional column reads as an empty field.
 *
 * Every getter returns 0 when the value is good (or empty and optional) and
 * -1 after reporting a problem (or silently when a required column is
 * missing from the header, which was reported once already).
 */
#ifndef ALLOT_IO_TABLE_H
#define ALLOT_IO_TABLE_H

#include <stdint.h>

#include <allot/allot.h>

#include "io/csvread.h"

#define TC_REQ 1u /* the header must name this column */
#define TC_VAL 2u /* the value may not be empty */

#define TABLE_MAX_COLS 32

struct tcol {
	const char *name;
	unsigned flags;
};

struct table {
	struct csvr *r;
	const char *file; /* name in diagnostics */
	const struct tcol *cols;
	size_t ncols;
	int at[TABLE_MAX_COLS]; /* field index of each column, -1 when absent */
	size_t width;           /* fields in the header */
	const struct csvr_record *rec;
	struct allot_diags *d;
	int status;  /* reader status once it stopped (0 = read to the end) */
	long ragged; /* rows skipped for a wrong field count */
};

/* Opens dir/name (the path is also the name in diagnostics) and reads its
 * header.  Returns 0; ALLOT_ENOTFOUND when the file does not exist and
 * `optional` (no diagnostic); ALLOT_EIO/EINPUT/ELIMIT/ENOMEM otherwise. */
int table_open(struct table *t, const char *path, const struct tcol *cols, size_t ncols,
	       int optional, struct allot_diags *d);
/* Moves to the next row with the header's field count: 1 = a row, 0 = the end
 * or a reader error (t->status says which). */
int table_next(struct table *t);
void table_close(struct table *t);

/* Column c's field in the current row; NULL when the header lacks it. */
static inline const struct csvr_field *table_field(const struct table *t, int c)
{
	int f = t->at[c];
	return f >= 0 && t->rec ? &t->rec->f[f] : NULL;
}

/* The current row's line. */
long table_line(const struct table *t);
/* Raw text of column c in the current row ("" when absent). */
const char *table_str(const struct table *t, int c);
/* Reports "msg" at column c's field (or at the row when the column is
 * absent), printf-style. */
void table_err(const struct table *t, int c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Text quoted for a message ("abc" or "an empty field"). */
const char *table_found(const struct table *t, int c, char *buf, size_t n);

/* Non-empty text (TC_VAL columns). */
int table_key(const struct table *t, int c, const char **out);
/* A number in [lo, hi] (use -HUGE_VAL / HUGE_VAL for open ends); empty: 0. */
int table_num(const struct table *t, int c, double lo, double hi, double *out);
/* An integer in [lo, hi]; empty: dflt. */
int table_int(const struct table *t, int c, int64_t lo, int64_t hi, int64_t dflt, int64_t *out);
int table_bool(const struct table *t, int c, int *out);
/* A month; empty: ALLOT_NO_MONTH. */
int table_month(const struct table *t, int c, allot_month *out);
int table_eum(const struct table *t, int c, enum allot_eum *out);

/* "a number", "a number >= 0", "an integer from 0 to 3" ... */
void table_range_text(char *buf, size_t n, int integer, double lo, double hi);

#endif
