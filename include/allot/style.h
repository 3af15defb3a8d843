/*
 * allot/style.h - one visual language for the CLI, report, dashboard and workbooks.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_STYLE_H
#define ALLOT_STYLE_H

#include <stddef.h>
#include <stdint.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/plan.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* One visual language: shared by the CLI, report, dashboard and workbooks  */

#define ALLOT_SYM_UNKNOWN       "unknown"       /* the data lacks the value */
#define ALLOT_SYM_NA            "n/a"           /* the figure does not apply */
#define ALLOT_SYM_WHOLE_HORIZON "whole horizon" /* lasts past the horizon */
#define ALLOT_STYLE_USD_MAX     32
#define ALLOT_STYLE_MONTH_MAX   16
/* Money: "USD 12.0 billion", "USD 950.3 million", "USD 0.76 million" (from
 * USD 100,000), "USD 12,345" (below),
 * "USD 1,234.5 billion", "USD 0"; never an ungrouped integer. */
const char *allot_style_usd(double v, char buf[ALLOT_STYLE_USD_MAX]);
/* A USD sum with unknowns: a unit cost may be unknown (allot_cost_known),
 * and a sum that includes such units is a lower bound that states what it
 * leaves out, never a silent 0 (docs/allocation.md, "Unknown unit costs").
 * Every USD sum over orders shown to a user is one of these. */
/* Adds units x unit_cost (nothing when units is 0); an unknown cost adds
 * the units, and one order when order is 1, to the unknown counts. */
void allot_usd_add(struct allot_usd *u, int64_t units, double unit_cost, int order);
/* a += b. */
void allot_usd_sum(struct allot_usd *a, const struct allot_usd *b);
/* 1 when nothing is known and something is unknown: the whole figure is
 * unknown (null in JSON). */
int allot_usd_all_unknown(const struct allot_usd *u);
#define ALLOT_STYLE_USD_SUM_MAX 96
/* "USD 1.2 billion"; with unknowns ">= USD 1.2 billion (+3 orders, 40 units
 * of unknown cost)" (units only when orders were not counted); all unknown
 * "unknown (3 orders, 40 units of unknown cost)". */
const char *allot_style_usd_sum(const struct allot_usd *u, char buf[ALLOT_STYLE_USD_SUM_MAX]);
/* The known part as a plain number for table and CSV cells: known / div
 * with that many decimals; "" when the whole figure is unknown; with text
 * 1, ">= " before it when units of unknown cost are left out (a CSV cell
 * stays a number: its unknown counts go in a column of their own). */
const char *allot_usd_num(const struct allot_usd *u, double div, int decimals, int text,
			  char buf[48]);
/* What a change between two such sums is: "" when neither leaves units of
 * unknown cost out; else " of known unit costs; the units of unknown cost do
 * not change" or " of known unit costs, +5 units of unknown cost", to write
 * right after the change (a change of lower bounds is the change of the
 * known costs only). */
const char *allot_usd_change_note(const struct allot_usd *without, const struct allot_usd *with,
				  char *buf, size_t size);
/* A span of calendar years: "2025-2029", or "2025" when from == to (never
 * "2025-2025"). */
#define ALLOT_STYLE_YEARS_MAX 24
const char *allot_style_years(int from, int to, char buf[ALLOT_STYLE_YEARS_MAX]);
/* Counts with thousands separators: "10,357". */
const char *allot_style_count(int64_t v, char buf[32]);
/* A month "YYYY-MM"; ALLOT_NO_MONTH or a month past last (the horizon's
 * last month) is "after YYYY-MM" (never within the horizon); with no last
 * either, "unknown". */
const char *allot_style_month(allot_month m, allot_month last, char buf[ALLOT_STYLE_MONTH_MAX]);
const char *allot_style_tier_color(int tier); /* "#0072b2" */
const char *allot_style_criterion_color(enum allot_criterion c);
const char *allot_style_policy_color(enum allot_policy_kind k);
/* The colours and symbols as one JSON object for the report and the
 * dashboard (caller frees with free()); NULL when out of memory. */
char *allot_style_json(void);

#ifdef __cplusplus
}
#endif
#endif
