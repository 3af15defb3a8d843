/*
 * value.h - strict parsing of the scalar values found in scenario files.
 *
 * Numbers are plain decimals: an optional sign, digits with an optional
 * fraction (".5" and "5." are accepted), an optional exponent.  Spaces, hex,
 * "inf", "nan" and values that overflow a double are refused.  Integers are
 * numbers with no fractional part ("3", "3.0", "3e2"), at most 2^53 in size.
 * Booleans are 1, 0, true, false.
 */
#ifndef ALLOT_IO_VALUE_H
#define ALLOT_IO_VALUE_H

#include <stdint.h>

/* 0 on success; -1 when s is not a number in the syntax above. */
int value_number(const char *s, double *out);
int value_int(const char *s, int64_t *out);
int value_bool(const char *s, int *out);
/* 1 when s is exactly three upper-case ASCII letters. */
int value_iso3(const char *s);

#endif
