/*
 * allot/whatif.h - what-if changes, exchange rates, overlays and storylines (docs/whatif.md).
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_WHATIF_H
#define ALLOT_WHATIF_H

#include <stddef.h>
#include <allot/diag.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/cases.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* What-if changes: one grammar for every command, the API and storylines    */
/* (docs/whatif.md)                                                          */

/* The changes a what-if can make, one flag each:
 *   --cap ISO3:AMOUNT[CUR]@YYYY-MM          budget cap (USD unless CUR)
 *   --invest ISO3:LINE:USD:+RATE@ONLINE     investment adding RATE/month
 *   --embargo SOURCE[:MINERAL]@START[+MONTHS]
 *   --us-share LINE:SHARE@YYYY-MM[+MONTHS]  then back to the share before
 *   --rate LINE:RATE@YYYY-MM                line capacity (units/month)
 *   --status ISO3:STATUS@YYYY-MM            end-use status
 *   --weight CRITERION:W[@YYYY-MM]          policy weight (from as_of)
 * AMOUNT and USD take k, m, b or bn (thousand, million, billion); RATE may
 * be a fraction (400/12 = 400 a year); ISO3, LINE and SOURCE also accept
 * a partner's or line's name, case-insensitively (Poland, "PAC-3 MSE"). */
enum allot_change_kind {
	ALLOT_CHG_CAP = 0,
	ALLOT_CHG_INVEST,
	ALLOT_CHG_EMBARGO,
	ALLOT_CHG_US_SHARE,
	ALLOT_CHG_RATE,
	ALLOT_CHG_STATUS,
	ALLOT_CHG_WEIGHT,
	ALLOT_CHG_CATALOG, /* --catalog SYSTEM[:TIER]@YYYY-MM */
	ALLOT_CHG_EEUM,    /* --eeum SYSTEM[:0|1]@YYYY-MM */
	ALLOT_CHG_COUNT
};
/* "cap", "invest", ... (the flag without its dashes). */
const char *allot_change_flag(enum allot_change_kind k);
/* The kind of a flag name ("cap", "--cap"); -1 when unknown. */
int allot_change_kind_parse(const char *flag);
/* The grammar of a kind's value, for messages ("ISO3:AMOUNT[CUR]@YYYY-MM"). */
const char *allot_change_syntax(enum allot_change_kind k);

#define ALLOT_CHANGE_TEXT_MAX 256

/* One change as written.  Names are resolved by allot_changes_apply. */
struct allot_change {
	enum allot_change_kind kind;
	char text[ALLOT_CHANGE_TEXT_MAX]; /* the value as given */
	char who[ALLOT_CHANGE_TEXT_MAX];  /* ISO3, LINE, SOURCE, CRITERION or
					   * SYSTEM */
	char what[ALLOT_CHANGE_TEXT_MAX]; /* invest: LINE; embargo: MINERAL
					   * ("" every); status: STATUS */
	double amount;                    /* cap: AMOUNT (in currency); invest: USD; share;
					   * rate; weight; catalog: TIER (-1 none given);
					   * eeum: 0 or 1 */
	char currency[4];                 /* cap: "USD" unless given */
	double rate;                      /* invest: units/month added */
	allot_month month;                /* @: ALLOT_NO_MONTH when not given (embargo,
					   * weight: from as_of) */
	int months;                       /* +MONTHS; 0 when not given */
	int col_who, col_what, col_amount, col_currency, col_month; /* 1-based */
	/* Filled by allot_changes_apply: */
	char id[64];         /* who resolved: iso3, line_id, source, criterion */
	char id2[64];        /* invest: line_id; embargo: mineral_id ("" every) */
	double usd;          /* cap and invest: the amount in USD */
	double usd_per_unit; /* cap: the exchange rate used (1 for USD) */
	double share_after;  /* us-share with +MONTHS: the share restored */
};

/* A positioned error in a change's text. */
struct allot_change_error {
	int col;       /* 1-based character in the text; 0: the whole change */
	char msg[256]; /* "expected ..., found ..." */
};

/* Parses the value of one flag (the text after "--cap ").  On bad text
 * returns ALLOT_EINPUT and fills *err.  Needs no scenario. */
/* The multiplier a what-if amount may carry right after its number, at p:
 * k, m, b, bn, t or tn (K, M, B also); its length goes into *len (0 and
 * a multiplier of 1 when there is none).  allot reserve --budget takes the
 * same (the CLI's cli_parse_usd). */
double allot_amount_multiplier(const char *p, size_t *len);
int allot_change_parse(enum allot_change_kind kind, const char *text, struct allot_change *out,
		       struct allot_change_error *err);
/* Parses one whole change as written in a changes.txt line or an API
 * request: "--cap TWN:5e9@2026-03", "cap TWN:5e9@2026-03" or
 * "--cap=TWN:5e9@2026-03".  err->col counts from the start of `line`. */
int allot_change_parse_line(const char *line, struct allot_change *out,
			    struct allot_change_error *err);
/* "--cap TWN:5e9@2026-03: column 15: expected ..." (or without the column
 * when err->col is 0). */
void allot_change_error_format(enum allot_change_kind kind, const char *text,
			       const struct allot_change_error *err, char *buf, size_t size);

/* Exchange rates: USD per unit of a currency from a month on (fx.csv:
 * currency,month,usd_per_unit,citation; docs/whatif.md). */
struct allot_fx_rate {
	char currency[4];
	allot_month month;
	double usd_per_unit;
};
struct allot_fx {
	struct allot_fx_rate *v;
	size_t n;
};
/* Reads fx.csv.  A missing file gives an empty table (ALLOT_OK). */
int allot_fx_load(const char *path, struct allot_fx *out, struct allot_diags *diags);
void allot_fx_free(struct allot_fx *fx);
/* The rate in force in month m: the row of that currency with the latest
 * month <= m.  USD is 1.  -1 when there is none. */
int allot_fx_rate_at(const struct allot_fx *fx, const char *currency, allot_month m,
		     double *usd_per_unit);

/* The scenario with the changes applied: a copy sharing every array of
 * base but events, investments and embargoes (base's rows, then the
 * changes' rows in order; a weight or embargo without a month starts at
 * as_of; an embargo without +MONTHS lasts to the horizon).  Names
 * resolve to ids here (written back into v); an unknown name, a currency without a rate or a
 * value out of range returns ALLOT_EINPUT with the index of the change in
 * *bad and the error in *err.  *out borrows base and fx: keep them alive;
 * free it with allot_changed_free. */
int allot_changes_apply(const struct allot_scenario *base, struct allot_change *v, size_t n,
			const struct allot_fx *fx, struct allot_scenario **out, size_t *bad,
			struct allot_change_error *err);
void allot_changed_free(struct allot_scenario *s);
/* Resolves one parsed --embargo against s into an embargo row (its source
 * points into s): start as_of when not given; without +MONTHS, lasting
 * default_months (0: to the horizon).  ALLOT_EINPUT with *err for an
 * unknown source or mineral.  allot minerals, reserve and report use it. */
int allot_change_embargo(const struct allot_scenario *s, struct allot_change *c, int default_months,
			 struct allot_embargo *out, struct allot_change_error *err);

/* The case process under a what-if (docs/whatif.md): each request of base
 * (after has the same requests) estimated on both sides under `kind` and
 * `switch_month` (allot_case_estimate).  Only the requests whose estimate
 * differs (LOA month, held, processing or EEUM review) are kept, in file
 * order; the counts say how many of them are offered sooner, later, newly
 * held and released.  Free with allot_whatif_requests_free. */
struct allot_whatif_request {
	size_t request;                    /* index into base->requests */
	struct allot_case_estimate est[2]; /* [0] without, [1] with */
};
struct allot_whatif_requests {
	struct allot_whatif_request *v;
	size_t n;
	size_t sooner, later, held, released; /* released: held only without */
	double usd_sooner, usd_held;          /* the requests' value_usd */
	int64_t units_sooner, units_held;
};
int allot_whatif_requests(const struct allot_scenario *base, const struct allot_scenario *after,
			  enum allot_policy_kind kind, allot_month switch_month,
			  struct allot_whatif_requests *out);
void allot_whatif_requests_free(struct allot_whatif_requests *r);
/* The lines the changes name (--rate, --us-share, --invest): the foreign
 * capacity the planner opened on each (rate less the US share, plus added
 * rates; plan->capacity) and the units foreign orders took of it (plan->
 * used), summed over the months from as_of to the end of `year`, [0]
 * without and [1] with the changes (docs/whatif.md, "Lines").  The plans
 * are of the scenarios before and after allot_changes_apply, whose lines
 * are the same; ch are the applied changes.  Free with
 * allot_whatif_lines_free. */
struct allot_whatif_line {
	size_t line;                 /* index into the scenario's lines */
	int64_t foreign_capacity[2]; /* units */
	int64_t foreign_used[2];
	/* the line's foreign orders at as_of: their open units, and those off
	 * the line (in production at as_of, or not supplied new), which deliver
	 * on their own schedule and take none of foreign_capacity: why foreign
	 * orders may take nothing of a line they fill (docs/whatif.md) */
	int64_t open_units[2], off_line_units[2];
};
struct allot_whatif_lines {
	struct allot_whatif_line *v;
	size_t n;
	int year;
};
struct allot_plan;
int allot_whatif_lines(const struct allot_plan *without, const struct allot_plan *with, int year,
		       const struct allot_change *ch, size_t n, struct allot_whatif_lines *out);
void allot_whatif_lines_free(struct allot_whatif_lines *w);
/* "" when no open unit of the line's orders is off the line; else why
 * foreign orders take less than they hold: "; of their 2,207 units open at
 * as_of, 2,207 are off the line (in production at as_of, or not supplied
 * new) and deliver on their own schedule" (both sides when they differ). */
const char *allot_whatif_line_off(const struct allot_whatif_line *x, char *buf, size_t size);
/* {"year", "lines": [{"line_id", "name", "foreign_capacity": [without,
 * with], "foreign_used": [...], "foreign_idle": [...], "open_units": [...],
 * "off_line_units": [...]}]}, the one set of
 * keys of allot whatif --json and the API.  NULL on ENOMEM. */
struct json_t;
struct json_t *allot_whatif_lines_json(const struct allot_scenario *s,
				       const struct allot_whatif_lines *w);

/* The requests section of allot whatif --json and of the API's what-if,
 * one set of keys (docs/whatif.md, "Requests"): the counts, and "moved",
 * one object per request whose estimate differs.  NULL on ENOMEM. */
struct json_t;
struct json_t *allot_whatif_requests_json(const struct allot_scenario *s,
					  const struct allot_whatif_requests *q);

/* The base scenario plus an overlay directory holding only rows to add
 * (CSV files with the base's headers, as `allot export` writes them; also
 * fx.csv, changes.txt and README.md, which this does not read).  Problems
 * in the overlay's rows are reported at the overlay file's own lines.
 * *out is a new scenario named "BASE+OVERLAY" (allot_scenario_free). */
int allot_overlay_load(const struct allot_scenario *base, const char *overlay_dir,
		       struct allot_scenario **out, struct allot_diags *diags);

/* Reads a changes.txt: one change a line as allot_change_parse_line takes
 * it; blank lines and lines starting with # are skipped.  Appends to *v
 * (mem-allocated, *n entries; free with free()).  Errors are
 * path:line:column.  ALLOT_ENOTFOUND when the file does not exist. */
int allot_changes_read(const char *path, struct allot_change **v, size_t *n,
		       struct allot_diags *diags);
/* The question of a storyline: the text after "Question:" in its
 * README.md.  ALLOT_ENOTFOUND when there is none. */
int allot_storyline_question(const char *dir, char *buf, size_t size);
/* The year a storyline's answer is read at: a line `**Year:** YYYY` in
 * its README.md (for changes that act after as_of + 3).  0 when none. */
int allot_storyline_year(const char *dir);
/* The storylines under root (folders with a README.md), sorted; *names is
 * NULL-terminated, freed with allot_strv_free. */
int allot_storylines_list(const char *root, char ***names, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
