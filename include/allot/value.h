/*
 * allot/value.h - strict parsing of the scalar values of scenario files.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_VALUE_H
#define ALLOT_VALUE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The grammar of every number in a scenario file (docs/scenario-format.md),
 * for other readers of numbers (the server's query arguments and edits):
 * plain decimals with an optional sign, fraction and exponent; no spaces,
 * hex, "inf", "nan" or overflow.  Integers have no fractional part and are
 * at most 2^53 in size.  Booleans are 1, 0, true, false.  0 on success, -1
 * when s does not match. */
int allot_value_number(const char *s, double *out);
int allot_value_int(const char *s, int64_t *out);
int allot_value_bool(const char *s, int *out);
/* 1 when s is exactly three upper-case ASCII letters. */
int allot_value_iso3(const char *s);

#ifdef __cplusplus
}
#endif
#endif
