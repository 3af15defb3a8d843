/*
 * policy.h - the policy file (policy.json) to and from struct allot_policy.
 *
 * The keys live in one table (policy.c: pkeys): adding a setting is adding a
 * row there (plus its field in struct allot_policy); the reader, the unknown-
 * key messages and the writer all follow the table.
 */
#ifndef ALLOT_IO_POLICY_H
#define ALLOT_IO_POLICY_H

#include <stdio.h>

#include <jansson.h>

#include <allot/allot.h>

/* Reads a parsed policy object into *p, starting from the defaults (every key
 * is optional).  `text` is the file's text (to point at keys; may be NULL).
 * On bad input returns ALLOT_EINPUT with every problem in d and leaves *p
 * zeroed; on success *p owns memory (allot_policy_free). */
int policy_from_json(const json_t *j, const char *text, const char *file,
		     struct allot_policy *p, struct allot_diags *d);
/* Writes the whole policy (every key) in canonical form. */
void policy_write(const struct allot_policy *p, FILE *f);
/* Writes s as a JSON string literal. */
void json_write_string(FILE *f, const char *s);

#endif
