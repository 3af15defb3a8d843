/*
 * allot/style.h - one visual language for the CLI, report, dashboard and workbooks.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_STYLE_H
#define ALLOT_STYLE_H

#include <stdint.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/plan.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* One visual language: shared by the CLI, report, dashboard and workbooks  */

#define ALLOT_SYM_UNKNOWN "unknown"     /* the data lacks the value */
#define ALLOT_SYM_NA "n/a"              /* the figure does not apply */
#define ALLOT_SYM_WHOLE_HORIZON "whole horizon" /* lasts past the horizon */
#define ALLOT_STYLE_USD_MAX 32
#define ALLOT_STYLE_MONTH_MAX 16
/* Money: "USD 12.0 billion", "USD 950.3 million", "USD 0.76 million" (from
 * USD 100,000), "USD 12,345" (below), 
 * "USD 1,234.5 billion", "USD 0"; never an ungrouped integer. */
const char *allot_style_usd(double v, char buf[ALLOT_STYLE_USD_MAX]);
/* Counts with thousands separators: "10,357". */
const char *allot_style_count(int64_t v, char buf[32]);
/* A month "YYYY-MM"; ALLOT_NO_MONTH or a month past last (the horizon's
 * last month) is "after YYYY-MM" (never within the horizon); with no last
 * either, "unknown". */
const char *allot_style_month(allot_month m, allot_month last,
			      char buf[ALLOT_STYLE_MONTH_MAX]);
const char *allot_style_tier_color(int tier);              /* "#0072b2" */
const char *allot_style_criterion_color(enum allot_criterion c);
const char *allot_style_policy_color(enum allot_policy_kind k);
/* The colours and symbols as one JSON object for the report and the
 * dashboard (caller frees with free()); NULL when out of memory. */
char *allot_style_json(void);

#ifdef __cplusplus
}
#endif
#endif
