/*
 * allot/answers.h - answers: compare, metrics, quote, diff, order book, explain, mineral cover,
 * risk, opportunities.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_ANSWERS_H
#define ALLOT_ANSWERS_H

#include <stddef.h>
#include <stdint.h>
#include <allot/diag.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/plan.h>
#include <allot/store.h>
#include <allot/style.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Answers: compare, metrics, quote, diff, explain                           */
/* docs/answers.md defines every figure below precisely.                     */

/* How results are grouped. */
enum allot_group_by {
	ALLOT_BY_PARTNER = 0, /* key iso3, label partner name */
	ALLOT_BY_TIER,        /* key "1", "2" ...: the partner's tier at month 0 */
	ALLOT_BY_REGION,      /* key region */
	ALLOT_BY_SYSTEM,      /* key system_id, label system name */
	ALLOT_BY_COUNT
};
const char *allot_group_by_name(enum allot_group_by g);
int allot_group_by_parse(const char *s, enum allot_group_by *out);

/* --- compare: two policies side by side --------------------------------- */

struct allot_compare_options {
	enum allot_policy_kind policy[2]; /* default fcfs, priority */
	allot_month switch_month;         /* ALLOT_NO_MONTH: the scenario's */
	int year;                         /* "delivered by": 0 = as_of year + 3 */
};
void allot_compare_options_init(struct allot_compare_options *o);

/* One order under both plans.  `counted` is 1 when the order is in the
 * wait figures: units open at as_of, and the same units cancelled under
 * both plans (none, usually) and not all of them, so both sides wait for
 * the same units.  An order a budget cap cuts more under one plan is not a
 * wait at all: it is `cut` (more cancelled after) or `restored` (fewer). */
struct allot_compare_order {
	int counted;
	int cut, restored;
	int64_t cancelled[2];    /* units cancelled by budget caps */
	double open_value;       /* units open at as_of x unit cost: the weight
				  * of its wait in the value-weighted mean */
	double value_by_year[2]; /* USD value of by_year (0: cost unknown) */
	int cost_unknown;        /* 1: the unit cost is unknown: no value, no
				  * weight; counted apart in the groups' sums */
	int wait[2];             /* months from max(as_of, LOA) to completion, the
				  * horizon's end when not complete (censored) */
	allot_month completion[2];
	int64_t by_year[2]; /* units arriving from as_of to December of year */
	int shift_known;    /* 0 when complete under neither policy */
	int shift;          /* completion[1] - completion[0] in months, a
			     * missing one at the horizon's end (allot diff's
			     * definition, one place: lib/answers/diff.c) */
};

/* One group (a partner, tier, region or system) under both plans; index 0
 * is policy[0] ("before"), 1 is policy[1] ("after"). */
struct allot_compare_group {
	char *key;             /* owned */
	char *label;           /* owned: partner/system name, "tier 1", region */
	size_t orders;         /* counted orders */
	size_t censored[2];    /* of which not complete in the horizon */
	double mean_wait[2];   /* mean of wait over counted orders (0 if none) */
	double delta_wait;     /* mean_wait[1] - mean_wait[0]: < 0 gains */
	int64_t by_year[2];    /* units arriving by the end of `year` */
	int64_t delta_units;   /* by_year[1] - by_year[0] */
	size_t earlier, later; /* counted orders completing earlier / later */
	/* Value: USD delivered by the end of `year`, and the mean wait over
	 * counted orders weighted by open_value (NaN when no counted order
	 * has a unit cost); gainers are ranked by value_months when the
	 * group has value, else by delta_wait (docs/answers.md). */
	double value_by_year[2];           /* the known part of value_usd */
	struct allot_usd value_usd[2];     /* USD by `year`, unknowns apart */
	struct allot_usd cancelled_usd[2]; /* of the cancelled units */
	double delta_value;
	double vwait[2];
	double delta_vwait;
	double weight;       /* sum of open_value over counted orders */
	double value_months; /* sum of open_value x (wait[1] - wait[0]) over
			      * counted orders: USD-months of waiting
			      * saved (< 0) or added; the gain ranking */
	/* Cancellations, their own outcome (never a shift in months). */
	size_t cut, restored; /* orders cut more / less under [1] */
	int64_t cancelled[2]; /* units cancelled by budget caps */
	double cancelled_value[2];
	/* mean |wait[1] - wait[0]| over the counted orders complete in at least
	 * one plan (a missing completion at the horizon's end): exactly allot
	 * diff's mean absolute change, one definition (issue 17). */
	double mean_abs_shift;
	size_t shift_orders; /* its denominator */
};

struct allot_compare {
	enum allot_policy_kind policy[2];
	allot_month switch_month; /* as planned (ALLOT_NO_MONTH: none) */
	int year;
	struct allot_plan *plan[2];         /* owned; reuse them (report) */
	struct allot_compare_order *orders; /* n_orders of the scenario */
	/* Per grouping.  Partners and regions are sorted by delta_wait
	 * ascending (who gains first), then delta_units descending, then key;
	 * tiers by tier; systems by mean_abs_shift descending (the queues that
	 * change most), then key.  Groups with no counted order and no units
	 * in either plan are left out. */
	struct allot_compare_group *groups[ALLOT_BY_COUNT];
	size_t n_groups[ALLOT_BY_COUNT];
	struct allot_compare_group all; /* every counted order */
	int borrowed;                   /* 1: plan[] are the caller's (allot_compare_plans) */
};

/* Plans s under both policies and compares them.  *out owns the plans
 * (which borrow s: keep s alive) and is freed with allot_compare_free. */
int allot_compare_run(const struct allot_scenario *s, const struct allot_compare_options *o,
		      struct allot_compare **out);
/* The same figures for two scenarios with the same orders (allot whatif:
 * a base and the base with changes): plans `before` under policy[0] and
 * `after` under policy[1].  Groups are keyed by `before`'s partners and
 * systems.  ALLOT_EINPUT when the order counts differ.  *out borrows both
 * scenarios (keep them alive). */
int allot_compare_scenarios(const struct allot_scenario *before, const struct allot_scenario *after,
			    const struct allot_compare_options *o, struct allot_compare **out);
/* The same figures from two plans already made (the server's what-if: the
 * cached base and the plan resumed from its checkpoint): policies and
 * switch month are the plans', year 0 = as_of's year + 3.  *out borrows
 * both plans (allot_compare_free leaves them; keep them alive). */
int allot_compare_plans(const struct allot_plan *before, const struct allot_plan *after, int year,
			struct allot_compare **out);
void allot_compare_free(struct allot_compare *c);
/* 1 when a USD sum of the answer (delivered or cancelled, either side)
 * leaves units of unknown unit cost out: its USD changes are then changes of
 * the known costs only, and text says so (docs/allocation.md). */
int allot_compare_has_unknown_costs(const struct allot_compare *c);

/* --- metrics: the quarterly performance figures ------------------------- */

/* Quarters are integers: year * 4 + (quarter - 1); "2025-Q1". */
typedef int32_t allot_quarter;
static inline allot_quarter allot_quarter_of(allot_month m)
{
	return m / 3;
}
/* Writes "YYYY-Qn" into buf (at least 8 bytes). */
void allot_quarter_format(allot_quarter q, char buf[8]);

/* How much of a quarter the plan's dated deliveries cover. */
enum allot_coverage {
	ALLOT_COVER_NONE = 0, /* before as_of: history, not dated */
	ALLOT_COVER_PARTIAL,  /* as_of or the horizon's end falls inside it */
	ALLOT_COVER_FULL,
};

struct allot_quarter_metrics {
	allot_quarter quarter;
	int tier;                     /* 0 = every tier */
	size_t loas;                  /* orders with loa_month in the quarter */
	int64_t loa_units;            /* their qty */
	double loa_value_usd;         /* their qty x unit_cost_usd */
	enum allot_coverage coverage; /* of the delivery figures below */
	int64_t units_delivered;      /* plan units with delivery month in it */
	double value_delivered_usd;
	int backlog_known;     /* 0 for quarters ending before as_of */
	int64_t backlog_units; /* at quarter end: signed, open, not arrived */
	double backlog_value_usd;
	size_t open_cases;        /* orders with units in that backlog */
	double median_age_months; /* of open cases (months since LOA); -1 none */
	int64_t need_units;       /* units delivered in it, orders with a need */
	int64_t on_time_units;    /* ... of which on or before the need month */
	size_t need_orders;       /* orders completing in it with a need month */
	size_t on_time_orders;    /* ... of which completing on or before it */
	/* The case process (requests.csv, docs/case-process.md): */
	int requests_known;       /* 0 for quarters ending before as_of:
				   * requests.csv lists only the requests not
				   * yet orders at as_of, so earlier counts
				   * (received, offered) are not known */
	size_t requests_received; /* requests with lor_month in the quarter */
	size_t loas_offered;      /* requests not held whose estimated LOA
				   * month (under the plan's policy) is in it */
	/* Units of unknown unit cost left out of the three USD figures above
	 * (docs/allocation.md, "Unknown unit costs"): each is a lower bound. */
	int64_t loa_unknown_cost_units, delivered_unknown_cost_units, backlog_unknown_cost_units;
};

struct allot_metrics {
	allot_quarter first; /* first quarter: earliest LOA or as_of */
	size_t n_quarters;   /* through the quarter of the horizon's last month */
	size_t n_tiers;      /* policy tiers; rows have n_tiers + 1 per quarter */
	/* rows[q * (n_tiers + 1) + t]: quarter first + q, t = 0 all, t = tier */
	struct allot_quarter_metrics *rows;
};

/* Computes the quarterly metrics of a plan (and its scenario's history). */
int allot_metrics_quarterly(const struct allot_plan *p, struct allot_metrics **out);
void allot_metrics_free(struct allot_metrics *m);

/* --- quote: available-to-promise for a new order ------------------------ */

struct allot_quote_request {
	const char *iso3, *system_id;
	int64_t qty;
	allot_month loa;      /* ALLOT_NO_MONTH: as_of */
	allot_month need;     /* ALLOT_NO_MONTH: none */
	const char *order_id; /* NULL: "QUOTE-1" (QUOTE-2 ... if taken) */
	enum allot_policy_kind policy;
	allot_month switch_month; /* ALLOT_NO_MONTH: the scenario's */
	int max_per_month;        /* the new order's delivery pace; 0: none */
	allot_month not_before;   /* its earliest delivery month (orders.csv
				   * not_before); ALLOT_NO_MONTH: none */
};
/* What a count of units is (a quote's quantity, a delivery pace a month),
 * as the CLI (QTY, --max-per-month), the API (qty, max_per_month) and the
 * library say they expect it: 1 .. ALLOT_QTY_MAX. */
#define ALLOT_UNITS_EXPECTED "a whole number of units from 1 to " ALLOT_QTY_MAX_TEXT
void allot_quote_request_init(struct allot_quote_request *r);

struct allot_quote_delivery {
	allot_month month; /* delivery month */
	int64_t units;
};

/* An existing order whose outcome the new order changes. */
struct allot_quote_impact {
	int32_t order;                     /* index into the scenario's orders */
	allot_month before, after;         /* completion without / with (or NO_MONTH) */
	int months;                        /* after - before; a missing completion counts
					    * as the horizon's end (see censored) */
	int censored;                      /* 1 when either completion is missing */
	int64_t short_before, short_after; /* units short at the horizon end */
};

struct allot_quote {
	char *order_id;           /* owned: the id the new order got */
	struct allot_order order; /* the new order (order_id borrowed from above) */
	struct allot_quote_delivery *deliveries;
	size_t n_deliveries;
	allot_month first, completion; /* first / last delivery (or NO_MONTH) */
	int64_t units_short;           /* of the new order at the horizon end */
	int64_t units_blocked, units_cancelled;
	/* Existing orders that complete later or end shorter with the new
	 * order, most months first, then order id.  Orders helped (possible
	 * under budget caps) are listed too, with months < 0. */
	struct allot_quote_impact *impacts;
	size_t n_impacts;
};

/* Plans s without and with the requested order (s is not changed).
 * ALLOT_ENOTFOUND (with a diag) for an unknown partner or system,
 * ALLOT_EINPUT for qty < 1 or a given order_id that exists. */
int allot_quote_run(const struct allot_scenario *s, const struct allot_quote_request *r,
		    struct allot_quote **out, struct allot_diags *diags);
void allot_quote_free(struct allot_quote *q);
/* --- diff: schedule stability between two plans ------------------------- */

/* Reads orders_out.csv (docs/planner.md) of `allot plan --out`. */
int allot_run_orders_read_csv(const char *path, struct allot_run_orders **out,
			      struct allot_diags *diags);

struct allot_diff_row {
	const char *order_id;             /* borrowed from a */
	allot_month a, b;                 /* completion months (or NO_MONTH) */
	int delta;                        /* b - a in months, missing ones at `end` */
	int counted;                      /* 1 when in the stability figures */
	int64_t cancelled_a, cancelled_b; /* units cut by budget caps (0 when
					   * unknown) */
	int cut;                          /* 1: b cuts more units than a, -1 fewer; such
					   * an order is its own outcome, not a move in
					   * months, and not counted */
};

struct allot_diff {
	allot_month end;             /* horizon end used for missing completions */
	struct allot_diff_row *rows; /* orders in both, sorted |delta| desc, id */
	size_t n_rows;
	size_t both_complete, only_a, only_b, neither; /* completion in ... */
	size_t missing_in_a, missing_in_b;             /* order ids in one run only */
	size_t counted;                                /* orders in the figures */
	double mean_abs_change;                        /* mean |delta| over counted orders */
	size_t moved_over_6;                           /* counted orders with |delta| > 6 */
	double share_over_6;                           /* moved_over_6 / counted (0 when none) */
	size_t earlier, later;                         /* counted orders with delta < 0 / > 0 */
	size_t cut, restored;                          /* orders b cuts more / less than a */
	int64_t cut_units; /* sum over rows of cancelled_b - cancelled_a */
};

/* Compares two plans' completions order by order (matching order ids).
 * A completion missing in one plan counts as `end` (the horizon's end:
 * a's, else b's; with both unknown such orders are not counted).  Orders
 * complete in neither plan are counted in `neither` only.  Rows borrow
 * from a. */
int allot_diff_run(const struct allot_run_orders *a, const struct allot_run_orders *b,
		   struct allot_diff **out);
void allot_diff_free(struct allot_diff *d);

/* --- figures: one description of each answer's figures (figures.c) ------ */

/* A figure's key is its only name: the CLI's --json and --csv, the API, the
 * report and the workbook all use it (docs/api.md); the title heads it in
 * text.  offset locates it in the answer's struct; the kind says its C type
 * and how it is written. */
enum allot_fig_kind {
	ALLOT_FIG_COUNT,   /* size_t: orders */
	ALLOT_FIG_UNITS,   /* int64_t: units */
	ALLOT_FIG_MONTHS,  /* double: months ("%.1f" in text) */
	ALLOT_FIG_SHARE,   /* double: 0..1 ("12.3%" in text) */
	ALLOT_FIG_USD,     /* double: USD (allot_style_usd in text) */
	ALLOT_FIG_USD_SUM, /* struct allot_usd: a USD sum with unknowns
			    * (allot_style_usd_sum in text, allot_usd_put in
			    * JSON) */
};
struct allot_figure {
	const char *key, *title, *unit;
	enum allot_fig_kind kind;
	size_t offset;
};
struct allot_figures {
	const struct allot_figure *f;
	size_t n;
};
extern const struct allot_figures allot_wait_figures;           /* allot_wait_stats */
extern const struct allot_figures allot_plan_figures;           /* allot_plan_stats */
extern const struct allot_figures allot_diff_stability_figures; /* allot_diff */
extern const struct allot_figures allot_diff_count_figures;     /* allot_diff */
extern const struct allot_figures allot_diff_cut_figures;       /* allot_diff */
/* The columns of one diff row, in CSV order (JSON rows use the same keys). */
#define ALLOT_DIFF_NCOL 8
extern const char *const allot_diff_columns[ALLOT_DIFF_NCOL];
/* "earlier", "later", "same", "cut", "restored" or "none" (not counted). */
const char *allot_diff_outcome(const struct allot_diff_row *row);

/* The figure's value as a double (NaN when unknown). */
double allot_figure_value(const struct allot_figure *f, const void *rec);
/* The figure as text in the one style: counts grouped, months "%.1f",
 * shares "12.3%", money allot_style_usd (a sum with unknowns allot_style_usd_sum), unknown
 * ALLOT_SYM_UNKNOWN. */
const char *allot_figure_text(const struct allot_figure *f, const void *rec,
			      char buf[ALLOT_STYLE_USD_SUM_MAX]);

/* JSON (jansson; the caller owns the result, NULL when out of memory). */
struct json_t;
/* Adds each figure of g, read from rec, to the object obj. */
int allot_figures_put(struct json_t *obj, const struct allot_figures *g, const void *rec);
struct json_t *allot_figures_json(const struct allot_figures *g, const void *rec);
/* A USD sum with unknowns as JSON: key the known sum (null when the whole
 * figure is unknown), key_unknown_cost_orders and key_unknown_cost_units
 * what it leaves out (0 when nothing).  The one JSON shape of struct
 * allot_usd for the CLI, the API and the report. */
int allot_usd_put(struct json_t *obj, const char *key, const struct allot_usd *u);
/* A plan's statistics: policy, switch_month, allot_plan_figures,
 * delivered_by_year, wait_all and wait_by_tier (allot_wait_figures).  The
 * same object for `allot plan --json` and every API summary. */
struct json_t *allot_plan_stats_json(const struct allot_plan *p, const struct allot_plan_stats *st);
/* One cell of an answer's row, typed, so that every face writes it alike:
 * JSON as a string/number/bool/null, CSV by allot_cell_text, the report
 * and workbook by its kind. */
enum allot_cell_kind {
	ALLOT_CELL_NULL,
	ALLOT_CELL_STR,
	ALLOT_CELL_INT,
	ALLOT_CELL_NUM,
	ALLOT_CELL_MONTH,
	ALLOT_CELL_BOOL
};
struct allot_cell {
	enum allot_cell_kind kind;
	const char *s;   /* STR (borrowed); on a NULL cell the word the text
			  * faces (the CLI's tables, the report) show for it,
			  * ALLOT_SYM_UNKNOWN or ALLOT_SYM_NA (none: blank) */
	int64_t i;       /* INT, BOOL */
	double v;        /* NUM */
	allot_month m;   /* MONTH (ALLOT_NO_MONTH: null) */
	const char *fmt; /* NUM: printf format of its CSV text ("%.0f");
			  * NULL: allot_fmt_double */
};
/* The cell as CSV text: months YYYY-MM, numbers allot_fmt_double, booleans
 * 0/1, null empty.  Returns buf (>= 64 bytes) or the borrowed string. */
const char *allot_cell_text(const struct allot_cell *c, char buf[64]);
/* The one cell of a USD amount (an order's value, a sum, a change): the
 * amount ("%.0f"), or, when it is unknown (NaN: no unit cost prices it,
 * docs/allocation.md), a null that reads ALLOT_SYM_UNKNOWN: null in JSON,
 * empty in CSV, "unknown" in text, the report and the dashboard. */
struct allot_cell allot_usd_cell(double v);
/* ... of a sum: unknown when every unit in it has an unknown cost */
struct allot_cell allot_usd_sum_cell(const struct allot_usd *u);
/* The text a text face shows for c: allot_cell_text, but a null's word. */
const char *allot_cell_word(const struct allot_cell *c, char buf[64]);
/* A row of n cells as a JSON object keyed by keys. */
struct json_t *allot_cells_json(const char *const *keys, const struct allot_cell *c, size_t n);
/* One column of an answer's rows, described once for every face: key (the
 * CSV header, the JSON key, the report's and workbook's heading); header,
 * text_at and width for the text table (its heading, its place there from
 * 1, 0: not in it, and the width past which a text is clipped, 0: none);
 * unit ("units", "months", "USD"; NULL for names and months); the cells'
 * kind (INT and NUM align right); fmt (a NUM cell's printf format; NULL:
 * allot_fmt_double) and flags. */
enum {
	ALLOT_COL_AFTER = 1,       /* a month; null reads "after" the horizon's
				    * last month in text (allot_style_month) */
	ALLOT_COL_NA = 2,          /* null reads ALLOT_SYM_NA in text */
	ALLOT_COL_OFFLINE = 4,     /* only when the scenario has off-line units */
	ALLOT_COL_RATE_BASIS = 8,  /* only when some line states its rate basis */
	ALLOT_COL_SPARSE = 16,     /* in the text table only when a shown row has
				    * a value */
	ALLOT_COL_PACE = 32,       /* only when some order states max_per_month */
	ALLOT_COL_NOT_BEFORE = 64, /* only when some order states not_before */
	ALLOT_COL_LOA_BASIS = 128, /* only when some order states loa_basis */
	ALLOT_COL_COST_BASIS = 256 /* only when some system states unit_cost_basis */
};
struct allot_column {
	const char *key;
	const char *header;
	int text_at, width;
	const char *unit;
	enum allot_cell_kind kind;
	const char *fmt;
	unsigned flags;
};
/* A row of n cells as a JSON object keyed by the columns for which keep
 * (NULL: all) is 1. */
struct json_t *allot_columns_json(const struct allot_column *cols, const struct allot_cell *c,
				  size_t n, const int *keep);

/* metrics: one quarter's columns (allot metrics --csv/--json, GET
 * .../metrics).  coverage: "history" (before the plan: deliveries not
 * dated, unknown), "partial" or "plan"; tier "all" or the tier number. */
#define ALLOT_METRICS_NCOL 23
extern const char *const allot_metrics_columns[ALLOT_METRICS_NCOL];
const char *allot_coverage_name(enum allot_coverage c);
/* qb (8 bytes) holds the quarter's text, which out[0] borrows. */
void allot_metrics_row_cells(const struct allot_quarter_metrics *q,
			     struct allot_cell out[ALLOT_METRICS_NCOL], char qb[8]);

/* risk: one row's columns, the same keys in allot risk --csv/--json, GET
 * .../risk and the report's and workbook's table. */
#define ALLOT_RISK_NCOL 11
extern const char *const allot_risk_columns[ALLOT_RISK_NCOL];
struct allot_risk_row;
void allot_risk_row_cells(const struct allot_plan *p, const struct allot_risk_row *row,
			  struct allot_cell out[ALLOT_RISK_NCOL]);
/* The row as JSON (allot risk --json, GET .../risk): its columns, and
 * rate_basis when the order's line states one (a completion on an
 * estimated line rate says so, allot_json_rate_basis). */
struct json_t *allot_risk_row_json(const struct allot_plan *p, const struct allot_risk_row *row);

/* A month as JSON: allot_month_json (allot/month.h). */
/* Adds "rate_basis" (cited or estimate) to an answer about an order of
 * `system` when its line states one; nothing otherwise. */
void allot_json_rate_basis(struct json_t *obj, const struct allot_scenario *s, int system);
/* One order's inputs (order_id, iso3, partner, system_id, system, line_id,
 * qty, delivered, loa_month, need_month, partner_rank, unit_cost_usd, and
 * rate_basis when its line states one) and its plan result (tier,
 * produced, delivered_in_horizon, units_short, cancelled, blocked,
 * first_delivery, completion, months_late), as every answer about orders
 * writes them (GET .../orders, explain, what-if). */
#define ALLOT_ORDER_INPUT_NCOL 12
extern const char *const allot_order_input_columns[ALLOT_ORDER_INPUT_NCOL];
#define ALLOT_ORDER_RESULT_NCOL 9
extern const char *const allot_order_result_columns[ALLOT_ORDER_RESULT_NCOL];
struct json_t *allot_order_input_json(const struct allot_scenario *s, size_t i);
struct json_t *allot_order_result_json(const struct allot_plan *p, size_t i);
/* The head of every answer that rests on one plan: scenario (its name),
 * policy and switch_month (null: none). */
struct json_t *allot_answer_head(const struct allot_plan *p);

/* One rendering (issue 14): a delivery's and an impact's columns, the same
 * keys in allot quote --csv/--json and GET/POST .../quote(s). */
#define ALLOT_QUOTE_DELIVERY_NCOL 2
extern const char *const allot_quote_delivery_columns[ALLOT_QUOTE_DELIVERY_NCOL];
#define ALLOT_QUOTE_IMPACT_NCOL 9
extern const char *const allot_quote_impact_columns[ALLOT_QUOTE_IMPACT_NCOL];
void allot_quote_impact_cells(const struct allot_scenario *s, const struct allot_quote_impact *m,
			      struct allot_cell c[ALLOT_QUOTE_IMPACT_NCOL]);
/* The answer: scenario, policy, switch_month (as r asked, else the
 * scenario's), the new order, its outcome, rate_basis (when its line states
 * one), deliveries, impacts (each with rate_basis likewise) and committed. */
struct json_t *allot_quote_json(const struct allot_scenario *s, const struct allot_quote_request *r,
				const struct allot_quote *q, int committed);

/* minerals: a mineral's columns, the same keys in allot minerals --csv and
 * --json, GET .../minerals and the report's and workbook's table (amounts in
 * kg; shortfall_* null when the stock alone lasts; orders_cut counts the
 * orders a shortfall hits first, first_cut the first of them, systems_cut
 * their systems, space-separated).  The CSV and the table put one column
 * per case after draw_total_kg, named by the case's key; JSON has them as
 * cover_months. */
#define ALLOT_MINERAL_NCOL        11
#define ALLOT_MINERAL_SYSTEMS_MAX 1024
#define ALLOT_MINERAL_COVER_AT    6
extern const char *const allot_mineral_columns[ALLOT_MINERAL_NCOL];
struct allot_mineral_cover;
struct allot_minerals;
/* sys holds systems_cut's text, which c[10] borrows. */
void allot_mineral_cells(const struct allot_scenario *s, const struct allot_mineral_cover *mc,
			 struct allot_cell c[ALLOT_MINERAL_NCOL],
			 char sys[ALLOT_MINERAL_SYSTEMS_MAX]);
/* A case's key: stock_alone, with_supply, no_SOURCE[_MINERAL] (_2, _3 ...
 * after a key already taken). */
#define ALLOT_CASE_KEY_MAX 64
void allot_minerals_case_key(const struct allot_scenario *s, const struct allot_minerals *m,
			     size_t c, char key[ALLOT_CASE_KEY_MAX]);
/* The answer: scenario, policy, switch_month, as_of, horizon_end,
 * demand_months, cases (key, kind, label, hypothetical) and minerals (the
 * columns, cover_months per case (null: the whole horizon) and up to
 * max_hits hits: order_id, iso3, units_cut). */
struct json_t *allot_minerals_json(const struct allot_plan_options *o,
				   const struct allot_scenario *s, const struct allot_minerals *m,
				   size_t max_hits);

/* explain: a span's columns, the same keys in allot explain --csv (and
 * `ahead`, "ID:units ..."), --json and GET .../explain.  limit is the
 * trace's reason, "got-all" when nothing held the order back. */
struct allot_explain;
struct allot_explain_span;
const char *allot_explain_limit_word(enum allot_limit l);
#define ALLOT_EXPLAIN_SPAN_NCOL 12
extern const char *const allot_explain_span_columns[ALLOT_EXPLAIN_SPAN_NCOL];
void allot_explain_span_cells(const struct allot_scenario *s, const struct allot_explain_span *sp,
			      struct allot_cell c[ALLOT_EXPLAIN_SPAN_NCOL]);
/* The answer: allot_answer_head, the order's inputs and result
 * (allot_order_input_json, allot_order_result_json), score, the off-line
 * units when the scenario has any (supply, wip_units, offline_units),
 * spans (the columns and up to span_ahead orders ahead), months (each month
 * it wanted units, with up to month_ahead of the largest orders ahead) and
 * limits (months by reason). */
struct json_t *allot_explain_json(const struct allot_explain *e, size_t span_ahead,
				  size_t month_ahead);

/* compare: a group's columns, the same keys in allot compare --csv (after
 * `group` and `year`) and --json, GET .../compare and the report's and
 * workbook's table; _a is policies[0], _b policies[1] (docs/answers.md). */
#define ALLOT_COMPARE_NCOL 27
extern const char *const allot_compare_columns[ALLOT_COMPARE_NCOL];
struct allot_compare_group;
struct allot_compare;
void allot_compare_group_cells(const struct allot_compare_group *g,
			       struct allot_cell c[ALLOT_COMPARE_NCOL]);
/* What a group's missing value-weighted wait reads: ALLOT_SYM_NA when the
 * group has no wait to measure (no order), ALLOT_SYM_UNKNOWN when its
 * orders have no unit cost to weigh by. */
const char *allot_compare_nowait_word(const struct allot_compare_group *g);
/* The answer: scenario, policies, switch_month, year, all, and by_partner,
 * by_tier, by_region, by_system (only by_G when by is ALLOT_BY_G; -1: every
 * grouping), each a list of groups. */
struct json_t *allot_compare_json(const struct allot_scenario *s, const struct allot_compare *c,
				  int by);

/* what-if: a group's columns are compare's (_a without the changes, _b
 * with them) followed by these, the same keys in allot whatif --csv (after
 * `group` and `year`), --json and POST .../whatif (docs/whatif.md):
 * cancelled_usd_a/_b (the known USD of the cancelled units, null when all
 * of unknown cost), what each USD sum leaves out, in orders and units. */
#define ALLOT_WHATIF_EXTRA_NCOL 8
extern const char *const allot_whatif_extra_columns[ALLOT_WHATIF_EXTRA_NCOL];
void allot_whatif_extra_cells(const struct allot_compare_group *g,
			      struct allot_cell c[ALLOT_WHATIF_EXTRA_NCOL]);
/* The what-if answer (docs/whatif.md), one object for allot whatif --json
 * and POST .../whatif: scenario, overlay, question, policy, year, changes
 * ({flag, value, meaning} each), all, by_partner, by_tier, by_region,
 * by_system (groups: allot_compare_columns, allot_whatif_extra_columns),
 * requests
 * (allot_whatif_requests_json) and lines (allot_whatif_lines_json, to the
 * end of c->year).  c compares the base (plan[0]) with the base under the
 * n changes ch (plan[1]).  NULL on ENOMEM. */
struct allot_change;
struct allot_whatif_requests;
struct json_t *allot_whatif_json(const struct allot_scenario *s, const struct allot_change *ch,
				 size_t n, const struct allot_compare *c,
				 const struct allot_whatif_requests *q, const char *overlay,
				 const char *question);
/* One change in words ("budget cap on TWN: $5.0bn from 2026-02"), as the
 * text and JSON answers of allot whatif write it. */
void allot_change_describe(const struct allot_scenario *s, const struct allot_change *c, char *buf,
			   size_t size);

/* One diff row keyed by allot_diff_columns. */
struct json_t *allot_diff_row_json(const struct allot_diff_row *row);
/* The diff answer: a, b, end, stability, counts, cut, and orders = rows
 * (taken over; NULL leaves it out).  `allot diff --json` and GET /api/diff. */
struct json_t *allot_diff_json(const char *label_a, const char *label_b,
			       const struct allot_diff *df, struct json_t *rows);

/* --- orderbook: the order book with both policies (`allot orders`) ----- */

/* Which orders to keep; empty lists and zero fields keep everything. */
struct allot_order_filter {
	int *partners;
	size_t n_partners; /* partner indices */
	int *systems;
	size_t n_systems; /* system indices */
	int *lines;
	size_t n_lines;     /* the system's line */
	int tier;           /* the partner's tier at month 0; 0 = any */
	const char *region; /* the partner's region, ignoring case; NULL = any */
	int late;           /* 1: only orders late against need_month under
			     * either policy (months_late > 0) */
	int open;           /* 1: only orders with units left at as_of */
};
/* Fills f (zeroed first) from what a user typed, NULL for any: partners,
 * systems and lines are comma lists of ids, names or unique prefixes
 * (allot_lookup_list), region one of the scenario's regions, ignoring case
 * (borrowed).  The caller sets tier, late and open.  On a miss a one-line
 * message in msg and ALLOT_ENOTFOUND ("no partner 'PLO' in the scenario;
 * did you mean ...") or ALLOT_EINPUT (a list of no item; "no partner in
 * region 'mars'; regions: ..."); ALLOT_ENOMEM.  The CLI's flags and the
 * API's query read through it. */
int allot_order_filter_parse(const struct allot_scenario *s, const char *partners,
			     const char *systems, const char *lines, const char *region,
			     struct allot_order_filter *f, char *msg, size_t size);
void allot_order_filter_free(struct allot_order_filter *f);

/* One order of the book; [0] fcfs throughout, [1] priority from the
 * switch month. */
struct allot_orderbook_row {
	size_t order;                  /* index into the scenario's orders */
	int tier;                      /* partner's tier at month 0 */
	int64_t left;                  /* qty - delivered before as_of */
	double value_left_usd;         /* left x unit cost; NaN: the cost is unknown */
	int64_t wip;                   /* units of wip.csv (allot_plan_offline) */
	allot_month first_delivery[2]; /* ALLOT_NO_MONTH: none in the horizon */
	allot_month completion[2];     /* ALLOT_NO_MONTH: not complete in the horizon */
	int wait[2];                   /* months from the later of as_of and the LOA to
					* completion, the horizon's end when not complete
					* (allot_plan_stats' wait) */
	int64_t short_units[2];        /* units not delivered by the horizon's end */
	int64_t cancelled[2];          /* units cut by budget caps */
	int late[2];                   /* allot_plan_months_late (-1: no need month) */
	int shift_known;               /* 0 when complete under neither policy */
	int shift;                     /* priority - fcfs completion in months, a missing
					* one at the horizon's end (as allot diff) */
};

struct allot_orderbook {
	const struct allot_scenario *scenario; /* borrowed */
	allot_month horizon_end;               /* as_of + horizon_months (first month after) */
	allot_month switch_month;              /* as planned (ALLOT_SWITCH_NONE: never) */
	struct allot_orderbook_row *rows;
	/* The summary over the kept rows (allot_orderbook_figures). */
	size_t n_rows;                           /* kept, scenario order */
	size_t n_total;                          /* orders in the scenario */
	int64_t units_left;                      /* sum of left */
	struct allot_usd value_left;             /* left x unit cost, unknown costs apart */
	size_t complete_fcfs, complete_priority; /* complete in the horizon */
	size_t earlier, later;                   /* shift < 0, shift > 0 */
	/* Which optional columns the rows have (allot_orderbook_has). */
	int offline;    /* the scenario has off-line units: supply, wip_units */
	int rate_basis; /* some line states its rate basis: rate_basis */
	int paced;      /* some order states a delivery pace: max_per_month */
	int not_before; /* some order states an earliest delivery: not_before */
	int loa_basis;  /* some order states what its loa_month rests on */
	int cost_basis; /* some system states what its unit cost rests on */
};

/* Plans s under fcfs and under priority (switch_month, or the scenario's
 * when ALLOT_NO_MONTH) and keeps the orders f lets through (NULL: all). */
int allot_orderbook_run(const struct allot_scenario *s, allot_month switch_month,
			const struct allot_order_filter *f, struct allot_orderbook **out);
/* The same from two plans of one scenario already made (fcfs, priority),
 * borrowed only while it runs: the report's table uses its plans. */
int allot_orderbook_build(const struct allot_plan *fcfs, const struct allot_plan *priority,
			  const struct allot_order_filter *f, struct allot_orderbook **out);
void allot_orderbook_free(struct allot_orderbook *b);

/* One rendering (issue 14): the summary's figures and the rows' columns,
 * the same keys in allot orders --csv/--json, GET .../orderbook and the
 * report's and workbook's orders table.  Columns flagged
 * ALLOT_COL_OFFLINE, ALLOT_COL_RATE_BASIS, ALLOT_COL_PACE or ALLOT_COL_NOT_BEFORE are in a
 * book's rows only when
 * allot_orderbook_has says so, in every face alike. */
extern const struct allot_figures allot_orderbook_figures;
#define ALLOT_ORDERBOOK_NCOL 32
extern const struct allot_column allot_orderbook_columns[ALLOT_ORDERBOOK_NCOL];
int allot_orderbook_has(const struct allot_orderbook *b, size_t col);
/* Row r's cells, one per column (borrowing from the scenario). */
void allot_orderbook_cells(const struct allot_orderbook *b, const struct allot_orderbook_row *r,
			   struct allot_cell c[ALLOT_ORDERBOOK_NCOL]);
/* The answer: scenario, policies, switch_month (null: none), as_of,
 * horizon_end, the summary's figures and orders (the rows, keyed by the
 * columns the book has). */
struct json_t *allot_orderbook_json(const struct allot_orderbook *b);

/* One partner's deliveries under a plan: units
 * arriving in each relative month of the horizon into by_month (horizon
 * entries), and units that would arrive after the horizon's last month
 * into *after_horizon (never plotted past the horizon).  Needs a plan run
 * with record_allocations.  ALLOT_EINPUT for a bad partner index. */
int allot_partner_deliveries(const struct allot_plan *p, int partner, int64_t *by_month,
			     int64_t *after_horizon);

/* --- explain: why an order completes when it does ------------------------ */

/* A run of consecutive production months with the same story: the same
 * binding limit, the same key (tier, score, policy in force), the same
 * orders ahead of it on its line, and whether it got units. */
struct allot_explain_span {
	allot_month from, to; /* production months, inclusive */
	enum allot_limit limit;
	int mineral;           /* the binding mineral (ALLOT_LIMIT_MINERAL), else -1 */
	int64_t wanted;        /* units still wanted when the span began */
	int64_t got;           /* units made for it over the span */
	int64_t line_capacity; /* its line's F(t), summed over the span */
	int64_t cancelled;     /* units a budget cap cut as the span began */
	int tier;              /* its partner's tier and score in force */
	double score;
	int priority_keys; /* 1 when months walked in priority order */
	/* Orders served before it on its line (line or mineral limit, or it
	 * got all it wanted), units summed over the span, in walk order. */
	struct allot_trace_ahead *ahead;
	size_t n_ahead;
};

struct allot_explain {
	int32_t order;
	struct allot_plan *plan; /* owned: the traced plan (borrows s) */
	struct allot_explain_span *spans;
	size_t n_spans;
};

/* Plans s with options o, tracing order `order`, and collapses its months
 * into spans.  *out is freed with allot_explain_free (keep s alive). */
int allot_explain_run(const struct allot_scenario *s, const struct allot_plan_options *o,
		      int32_t order, struct allot_explain **out);
void allot_explain_free(struct allot_explain *e);

/* --- minerals: months of cover ------------------------------------------ */

enum allot_cover_kind {
	ALLOT_CASE_STOCK = 0, /* stock alone: no supply at all */
	ALLOT_CASE_SUPPLY,    /* every source's supply, no embargo */
	ALLOT_CASE_EMBARGO,   /* supply less one embargo, in its months */
};

struct allot_cover_case {
	enum allot_cover_kind kind;
	char *label;                  /* owned: "stock alone", "embargo china ..." */
	struct allot_embargo embargo; /* ALLOT_CASE_EMBARGO (source owned) */
	int hypothetical;             /* 1: given by the caller, not in the scenario */
};

/* An order cut in the first month the stock alone falls short. */
struct allot_cover_hit {
	int32_t order;
	int64_t units_cut; /* of the units the plan would produce then */
};

struct allot_mineral_cover {
	int mineral;
	int64_t stock_g;         /* at as_of */
	int64_t supply_g_month;  /* every source, as in supply.csv */
	double demand_g_month;   /* planned draw: mean over the first
				  * demand_months of the unconstrained plan */
	int64_t draw_total_g;    /* planned draw over the whole horizon */
	int *cover;              /* per case: whole months from as_of whose
				  * draw the stock meets; -1 = the horizon */
	int32_t shortfall_month; /* relative month the stock alone first
				  * falls short; -1 never in the horizon */
	int64_t shortfall_g;     /* grams missing in that month */
	/* Orders cut that month, last in key order first (the ones a shortfall
	 * hits first), and their systems in the same order. */
	struct allot_cover_hit *hits;
	size_t n_hits;
	int *hit_systems;
	size_t n_hit_systems;
};

struct allot_minerals {
	struct allot_cover_case *cases;
	size_t n_cases; /* stock, supply, embargoes */
	struct allot_mineral_cover *m;
	size_t n;          /* one per mineral */
	int demand_months; /* 12, or the horizon when shorter */
};

/* Months of cover of every mineral of s under the plan options o (policy,
 * switch) with the scenario's embargoes and `extra` hypothetical ones (each
 * a case of its own; sources borrowed).  *out is freed with
 * allot_minerals_free. */
int allot_minerals_run(const struct allot_scenario *s, const struct allot_plan_options *o,
		       const struct allot_embargo *extra, size_t n_extra,
		       struct allot_minerals **out);
void allot_minerals_free(struct allot_minerals *m);

/* --- risk: sales at risk of going to a foreign alternative --------------- */

struct allot_risk_row {
	int32_t order;
	int wait;         /* months from max(as_of, LOA) to completion */
	int censored;     /* 1: not complete in the horizon (wait to its end) */
	int64_t units;    /* qty - delivered - cancelled: still to deliver */
	double value_usd; /* units x unit_cost_usd; NaN when it is unknown */
};

struct allot_risk {
	int tier;        /* the tier looked at: the policy's lowest */
	int wait_months; /* the threshold: waits strictly longer count */
	struct allot_risk_row *rows;
	size_t n; /* value desc, wait desc, id */
	int64_t units;
	double value_usd;       /* the known part of value */
	struct allot_usd value; /* units of unknown cost apart (a row's
				 * value_usd is then NaN: unknown) */
};

/* Orders of partners in the lowest tier (at month 0) for a system with a
 * foreign_alternative whose wait exceeds wait_months.  *out is freed with
 * allot_risk_free. */
int allot_risk_run(const struct allot_plan *p, int wait_months, struct allot_risk **out);
void allot_risk_free(struct allot_risk *r);

/* --- opportunities: catalog capacity left unsold ------------------------- */

struct allot_buyer {
	int partner;
	int tier;
	double score;    /* at month 0 */
	int customer;    /* 1: already has an order for a system of the line */
	int capped;      /* 1 when a budget cap applies */
	double room_usd; /* capped: cap - committed value; else 0 */
};

struct allot_opportunity {
	int system;
	int64_t unsold_units; /* its line: sum over the window of F(t) - used(t) */
	int32_t first_month;  /* first relative month with unsold capacity */
	double value_usd;     /* unsold_units x unit_cost_usd */
	struct allot_buyer *buyers;
	size_t n_buyers; /* best placed first */
};

struct allot_opportunities {
	int months;       /* the window: months 0 .. months-1 */
	int catalog_only; /* 0: the scenario marks no catalog system, so
			   * every system was considered */
	struct allot_opportunity *v;
	size_t n; /* value desc, units desc, id */
};

/* Systems (catalog ones, else all) whose line has capacity left unsold in
 * the first `months` months of the plan, with up to `top` partners best
 * placed to buy (docs/report.md).  *out is freed with
 * allot_opportunities_free. */
int allot_opportunities_run(const struct allot_plan *p, int months, size_t top,
			    struct allot_opportunities **out);
void allot_opportunities_free(struct allot_opportunities *o);

/* One rendering (issue 14): a system's columns and a buyer's, the same keys
 * in allot opportunities --csv (a row per system and buyer), --json and GET
 * .../opportunities (systems, each with its buyers), and the report's and
 * workbook's table.  first_month null when none; budget_room_usd null when
 * no cap applies. */
#define ALLOT_OPPORTUNITY_NCOL 7
extern const char *const allot_opportunity_columns[ALLOT_OPPORTUNITY_NCOL];
#define ALLOT_BUYER_NCOL 7
extern const char *const allot_buyer_columns[ALLOT_BUYER_NCOL];
void allot_opportunity_cells(const struct allot_scenario *s, const struct allot_opportunity *op,
			     struct allot_cell c[ALLOT_OPPORTUNITY_NCOL]);
/* rank counts from 1. */
void allot_buyer_cells(const struct allot_scenario *s, const struct allot_buyer *b, size_t rank,
		       struct allot_cell c[ALLOT_BUYER_NCOL]);
/* The answer: allot_answer_head, months, catalog_only and systems. */
struct json_t *allot_opportunities_json(const struct allot_plan *p,
					const struct allot_opportunities *o);

#ifdef __cplusplus
}
#endif
#endif
