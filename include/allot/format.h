/*
 * allot/format.h - canonical number formatting.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_FORMAT_H
#define ALLOT_FORMAT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Canonical number formatting (shared by every writer)                      */

/* Shortest text that reads back as the same double ("%.15g" .. "%.17g");
 * integers print without a decimal point.  buf >= 32 bytes. */
void allot_fmt_double(double v, char buf[32]);
/* A change for a reader, with decimals places: "+1.2", "-0.3", and "0.0"
 * (no sign) for one that rounds to zero, never "-0.0" or "+0.0".  NaN (no
 * change measured) is "" for the caller to name (unknown, n/a).  Returns
 * buf (>= 32 bytes). */
const char *allot_fmt_delta(double v, int decimals, char buf[32]);
/* The same for a count: "+12", "-3", and "0" (no sign) for no change, as
 * allot_fmt_delta's "0.0".  Returns buf (>= 32 bytes). */
const char *allot_fmt_delta_int(int64_t v, char buf[32]);
/* An integer with thousands separators: -2539000 -> "-2,539,000".  Returns
 * buf (>= 32 bytes). */
const char *allot_fmt_grouped(int64_t v, char buf[32]);

#ifdef __cplusplus
}
#endif
#endif
