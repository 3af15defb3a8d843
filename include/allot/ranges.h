/*
 * allot/ranges.h - ranges of numeric inputs (docs/limits.md).
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_RANGES_H
#define ALLOT_RANGES_H

#include <stddef.h>
#include <allot/diag.h>
#include <allot/scenario.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Ranges of numeric inputs (docs/limits.md): one table that the loader, the
 * store, the server's edits and sweep draws all use, chosen so that every
 * scenario within them plans without overflow and scores without NaN. */
enum allot_range_id {
	ALLOT_RANGE_RATE,      /* units/month: line rates, capacity events, added_rate */
	ALLOT_RANGE_SHARE,     /* us_share: a fraction */
	ALLOT_RANGE_KG,        /* kg: stock, supply per month, bill of materials */
	ALLOT_RANGE_QTY,       /* units of an order, request or transfer; partner_rank */
	ALLOT_RANGE_UNIT_COST, /* USD per unit of a system */
	ALLOT_RANGE_USD,       /* other money: investments, budget caps, partners' USD */
	ALLOT_RANGE_VALUE,     /* a request's value_usd (up to qty x unit cost) */
	ALLOT_RANGE_PRICE,     /* USD per kg of a mineral */
	ALLOT_RANGE_PCT_GDP,   /* defense_pct_gdp */
	ALLOT_RANGE_GROWTH,    /* real_growth_3y_pct */
	ALLOT_RANGE_TROOPS,    /* us_troops */
	ALLOT_RANGE_WEIGHT,    /* policy weights and factors, weight events */
	ALLOT_RANGE_REF,       /* policy references (> 0): target_pct, ref_usd, ... */
	ALLOT_RANGE_POINTS,    /* score points: penalties, tier thresholds */
	ALLOT_RANGE_COUNT
};
struct allot_range {
	const char *name; /* "a rate" ... for messages */
	double lo, hi;    /* inclusive, but lo excluded when lo_open */
	int lo_open;
	int integer;
};
const struct allot_range *allot_range_get(enum allot_range_id id);
/* 1 when v is finite and within range id. */
int allot_range_ok(enum allot_range_id id, double v);
/* "a number from 0 to 1000000000" (or "an integer ...", "a number > 0 and
 * <= ..."): what a message says is expected. */
void allot_range_text(enum allot_range_id id, char *buf, size_t n);
/* A value clamped into range id (NaN gives lo): for values drawn at random. */
double allot_range_clamp(enum allot_range_id id, double v);
/* The largest quantity, ALLOT_RANGE_QTY's hi: an order's units, a
 * request's, a delivery pace (max_per_month).  A plain integer, so that a
 * message can spell it: ALLOT_QTY_MAX_TEXT is "1000000000". */
#define ALLOT_QTY_MAX           1000000000
#define ALLOT_QTY_MAX_TEXT      ALLOT_QTY_MAX_TEXT_X(ALLOT_QTY_MAX)
#define ALLOT_QTY_MAX_TEXT_X(n) ALLOT_QTY_MAX_TEXT_S(n)
#define ALLOT_QTY_MAX_TEXT_S(n) #n
/* Sums that the per-value ranges do not bound. */
#define ALLOT_MAX_TOTAL_QTY 1e15 /* open units over all orders */
#define ALLOT_MIN_YEAR      1900 /* as_of ... */
#define ALLOT_MAX_YEAR      9999 /* ... and the horizon's last month */
/* Checks every numeric value of s against the table, and the sums: the
 * open units of all orders at most ALLOT_MAX_TOTAL_QTY; as_of from
 * ALLOT_MIN_YEAR and the horizon ending by ALLOT_MAX_YEAR-12; the policy's
 * weights not all zero, nor made all zero by weight events.  Messages name
 * file, the table, the row and the column.  ALLOT_EINPUT when any fails. */
int allot_scenario_check_ranges(const struct allot_scenario *s, const char *file,
				struct allot_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
