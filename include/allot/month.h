/*
 * allot/month.h - months as integers (year * 12 + month - 1).
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_MONTH_H
#define ALLOT_MONTH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Months                                                                    */

typedef int32_t allot_month;
#define ALLOT_NO_MONTH INT32_MIN

/* Parses "YYYY-MM" (year 1000..9999, month 01..12) exactly; 0 on success. */
int allot_month_parse(const char *s, allot_month *out);
/* Writes "YYYY-MM" into buf (at least 8 bytes); ALLOT_NO_MONTH writes "".
 * Returns buf.  (The canonical month of files and JSON; for a reader,
 * allot_style_month says "after YYYY-MM" past the horizon.) */
const char *allot_month_format(allot_month m, char buf[8]);

/* JSON (jansson; the caller owns the result, NULL when out of memory). */
struct json_t;
/* A month as JSON: "YYYY-MM", null for ALLOT_NO_MONTH: the one month writer
 * of every answer's JSON and of the files the library writes as JSON. */
struct json_t *allot_month_json(allot_month m);
/* A policy switch month: allot_month_json, and null too for
 * ALLOT_SWITCH_NONE (no switch; allot/plan.h), never the date it is coded
 * as. */
struct json_t *allot_switch_month_json(allot_month m);
/* A month as its index (year * 12 + month - 1), null for ALLOT_NO_MONTH:
 * the report's chart data, whose time axes count months. */
struct json_t *allot_month_index_json(allot_month m);

#ifdef __cplusplus
}
#endif
#endif
