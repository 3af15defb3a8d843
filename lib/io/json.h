/*
 * json.h - reading JSON text with jansson, errors as diagnostics.
 *
 * The one JSON entry point of the library: scenario.json and the policy file
 * are read through json_load_path, and the JSONTestSuite test runs
 * json_parse_bytes over every case.  Any JSON value is accepted at the top
 * (callers check the type they need); a raw NUL byte anywhere is an error;
 * "\u0000" inside a string is accepted (jansson's JSON_ALLOW_NUL) so callers
 * that need C strings check json_string_length against strlen.  Nesting
 * deeper than jansson's limit (2048) is refused, never a crash.
 */
#ifndef ALLOT_IO_JSON_H
#define ALLOT_IO_JSON_H

#include <stdarg.h>
#include <stddef.h>

#include <jansson.h>

#include <allot/allot.h>

#define JSONP_UNIQUE_KEYS 1u /* a key repeated in one object is an error */

#define JSONP_MAX_BYTES (16L << 20) /* files larger than 16 MiB are refused */

/* Parses len bytes.  On success *out owns the value (json_decref).  On
 * failure returns ALLOT_EINPUT (or ALLOT_ENOMEM) with one diagnostic
 * "name:line:col: invalid JSON: <jansson's text>" and *out NULL. */
int json_parse_bytes(const char *buf, size_t len, unsigned flags, const char *name,
		     struct allot_diags *d, json_t **out);
/* Reads and parses a file (diagnostics name it `name`, NULL = path),
 * skipping a UTF-8 byte order mark at its very start.  A
 * missing file is ALLOT_EIO with "cannot open: ..." unless *missing_ok, in
 * which case it returns ALLOT_ENOTFOUND without a diagnostic.  The text is
 * kept in *text (caller frees with mem_free) when text != NULL, so that
 * callers can point at keys (json_find_key). */
int json_load_path(const char *path, const char *name, unsigned flags, int missing_ok,
		   struct allot_diags *d, json_t **out, char **text);

/* Finds where "key" occurs as an object key in text: when it occurs exactly
 * once, sets *line and *col (1-based) and returns 1; else 0. */
int json_find_key(const char *text, const char *key, long *line, long *col);

/* A diagnostic in file at key's position in text (json_find_key; line and
 * column 0 when the key is not there exactly once, or text or key is NULL). */
void json_diag_v(struct allot_diags *d, const char *file, const char *text, const char *key,
		 const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* A JSON value as messages show it: compact, cut to n bytes ending "...". */
void json_shown(const json_t *v, char *buf, size_t n);

#endif
