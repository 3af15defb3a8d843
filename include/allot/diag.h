/*
 * allot/diag.h - status codes and diagnostics (file:line:column: message).
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_DIAG_H
#define ALLOT_DIAG_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */

enum allot_status {
	ALLOT_OK = 0,
	ALLOT_EINPUT = 1,    /* bad input: see the diagnostics */
	ALLOT_ENOMEM = 2,    /* allocation failed */
	ALLOT_EIO = 3,       /* a file or the store could not be read/written */
	ALLOT_ESTORE = 4,    /* the SQLite store failed (busy, corrupt, ...) */
	ALLOT_ENOTFOUND = 5, /* a named scenario, run or order does not exist */
	ALLOT_ELIMIT = 6,    /* a documented size limit was exceeded */
};

const char *allot_strerror(int status);

/* ------------------------------------------------------------------------ */
/* Diagnostics: file:line:column: message                                    */

struct allot_diag {
	char *file; /* owned; may be "" */
	long line;  /* 1-based; 0 when the message concerns the whole file */
	long col;   /* 1-based; 0 when the message concerns the whole line */
	char *msg;  /* owned: "what was expected, what was found" */
};

struct allot_diags {
	struct allot_diag *v;
	size_t n, cap;
	size_t limit;   /* stop recording after this many (default 50) */
	size_t dropped; /* messages past the limit, counted not kept */
};

void allot_diags_init(struct allot_diags *d);
void allot_diags_free(struct allot_diags *d);
/* Forgets the diagnostics recorded after the first n (n <= the count) and
 * sets the count of dropped ones back to `dropped`: what was said since a
 * mark, taken back (a file read again says it again). */
void allot_diags_truncate(struct allot_diags *d, size_t n, size_t dropped);
/* Records a diagnostic (printf-style message).  Never fails loudly: on
 * allocation failure the message is counted in `dropped`. */
void allot_diags_add(struct allot_diags *d, const char *file, long line, long col, const char *fmt,
		     ...) __attribute__((format(printf, 5, 6)));
/* Prints every diagnostic as "file:line:col: msg\n", then a count of any
 * dropped ones. */
void allot_diags_print(const struct allot_diags *d, FILE *out);
size_t allot_diags_count(const struct allot_diags *d);

#ifdef __cplusplus
}
#endif
#endif
