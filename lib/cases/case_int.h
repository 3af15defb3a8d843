/*
 * case_int.h - internals of lib/cases shared with the policy reader and
 * writer (lib/io/policy.c) and the store (lib/store/store_policy.c).
 *
 * The "cases" object of policy.json is read and written here so that its
 * keys live in one table (case_policy.c: ckeys) whatever reads them.
 */
#ifndef ALLOT_CASES_CASE_INT_H
#define ALLOT_CASES_CASE_INT_H

#include <stdio.h>

#include <jansson.h>

#include <allot/allot.h>

/* Reads the "cases" object v into *c: first the defaults, then every key
 * given (all optional), and sets c->set.  `text` is the file's text (to
 * point at keys; may be NULL), `file` labels diagnostics.  Returns 0, or
 * ALLOT_EINPUT after reporting every problem in d. */
int case_policy_from_json(const json_t *v, const char *text, const char *file,
			  struct allot_case_policy *c, struct allot_diags *d);
/* Writes the object (every key) in canonical form: pretty = 1 as in
 * policy.json (indented as the value of a top-level key), 0 on one line. */
void case_policy_write(const struct allot_case_policy *c, FILE *f, int pretty);

#endif
