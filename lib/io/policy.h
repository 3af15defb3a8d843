/*
 * policy.h - the policy codec: policy.json <-> struct allot_policy.
 *
 * One table of keys (policy.c: pkeys, the "cases" object included) drives
 * the reader, the unknown-key messages, the canonical writer (the file, the
 * store's scenarios.policy_json and the API's "policy" all have its shape),
 * the defaults and the store's check: adding a setting is adding a row
 * there (plus its field in struct allot_policy).  allot_policy_json (the
 * canonical text) and allot_policy_default are its public face.
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
int policy_from_json(const json_t *j, const char *text, const char *file, struct allot_policy *p,
		     struct allot_diags *d);
/* Parses text (unique keys) and reads it as policy_from_json does, without
 * positions: the store's reader of the text allot_policy_json wrote. */
int policy_parse(const char *text, const char *file, struct allot_policy *p, struct allot_diags *d);
/* Writes the whole policy (every key) in canonical form, as the file. */
void policy_write(const struct allot_policy *p, FILE *f);
/* 0 when the policy can be written as JSON that reads back to it (distinct
 * regions, finite numbers, tiers within bounds); else ALLOT_EINPUT with a
 * message labelled file. */
int policy_check(const struct allot_policy *p, const char *file, struct allot_diags *d);
/* 1 when the codec writes p as text, up to whitespace and string escapes
 * (the store's check of what it reads: jansson may drop a byte silently when
 * out of memory), 0 when not, -1 when out of memory. */
int policy_text_same(const struct allot_policy *p, const char *text);
/* Calls fn for every number of the policy that has a range in lib/ranges.c
 * (the case process's bounds are the reader's alone), in table order, with
 * the key's dotted path ("tiers" for each threshold, ...). */
void policy_each_range(const struct allot_policy *p,
		       void (*fn)(void *arg, enum allot_range_id lim, double v, const char *path),
		       void *arg);
/* Writes s as a JSON string literal. */
void json_write_string(FILE *f, const char *s);

#endif
