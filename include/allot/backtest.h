/*
 * allot/backtest.h - the model against what SIPRI recorded (docs/backtest.md).
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_BACKTEST_H
#define ALLOT_BACKTEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <allot/diag.h>
#include <allot/month.h>
#include <allot/plan.h>
#include <allot/convert.h>
#include <allot/answers.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Backtest: the model against what SIPRI recorded (docs/backtest.md)        */

#define ALLOT_BACKTEST_TOP 20 /* systems with most recorded units */

struct allot_backtest_options {
	allot_month as_of; /* a January; default 2020-01 */
	int year_to;       /* last year compared; default 2024 (the register's) */
	/* an experiment: the book's share of the lines (allot/convert.h); off */
	struct allot_book_share book_share;
};
void allot_backtest_options_init(struct allot_backtest_options *o);

/* One order of the book at as_of. */
struct allot_backtest_order {
	char *order_id, *system_id;
	char iso3[4];
	int64_t open_units;                    /* qty - delivered before as_of */
	int completed;                         /* SIPRI: every unit delivered by year_to */
	int actual_year;                       /* last listed delivery year; -1 if not completed */
	int planned_year;                      /* planned completion year; -1 beyond the horizon */
	int error_years;                       /* planned - actual (completed orders); a plan
						* beyond the horizon counts as the year after it */
	int64_t planned_units, recorded_units; /* delivered as_of..year_to */
};

/* Units delivered by a system (or a partner) over the years compared. */
struct allot_backtest_group {
	char *id;
	int64_t *planned, *recorded; /* one per year, year_from..year_to */
	int64_t planned_total, recorded_total;
	size_t n_completed, n_within; /* completed orders; of them within +-1 */
	double abs_error_years;       /* sum of |error| over completed orders */
	double mae_years;             /* abs_error_years / n_completed (0 if none) */
	int top;                      /* among the ALLOT_BACKTEST_TOP systems */
	int years_within;             /* years whose units are within +-25 % */
};

/* The completed orders of one group of a breakdown (docs/backtest.md,
 * "Where the error lies"): `by` names the dimension (supply, age, size,
 * started, rate, recorded), `group` the group within it. */
struct allot_backtest_cell {
	const char *by; /* a static string */
	char group[24];
	size_t n_completed, n_within, n_early, n_late;
	double mae_years, bias_years; /* means over the group's completed orders */
};

struct allot_backtest {
	allot_month as_of;
	int year_from, year_to, n_years;
	size_t n_orders, n_completed, n_within;
	double share_within; /* n_within / n_completed (0 when none) */
	double mae_years;    /* mean |planned - actual| over completed orders */
	double bias_years;   /* mean planned - actual */
	/* completed orders planned 2 or more years early / late: the orders
	 * outside +-1 year, by the direction of their error */
	size_t n_early, n_late;
	struct allot_backtest_order *orders;
	/* Systems by recorded units (descending, then id); partners by
	 * abs_error_years (descending, then id): the worst first. */
	struct allot_backtest_group *systems;
	size_t n_systems;
	struct allot_backtest_group *partners;
	size_t n_partners;
	size_t n_top;                           /* systems in the top group (<= 20) */
	size_t n_top_cells, n_top_cells_within; /* (system, year) cells */
	size_t n_top_totals_within;             /* top systems whose total is within +-25 % */
	char *notes;                            /* the as-of dataset's notes */
	/* the --book-share experiment the book was built under ("taken,wip";
	 * docs/backtest.md), "" for the bundled rules */
	char book_share[ALLOT_BOOK_SHARE_NAME_MAX];
	/* The completed orders by supply type, age at as_of, size, whether any
	 * unit was delivered before as_of, line rate basis and recorded
	 * completion year; only groups with a completed order, in that order. */
	struct allot_backtest_cell *breakdown;
	size_t n_breakdown;
};

/* Builds the dataset as of o->as_of (allot_convert_dataset_as_of), plans
 * it first come, first served, and compares with the register. */
int allot_backtest_run(const struct allot_convert_dirs *dirs,
		       const struct allot_backtest_options *o, struct allot_backtest **out,
		       struct allot_diags *diags);
/* The comparison alone: s planned as p (fcfs), each order's register
 * record order_record[i] of reg; deliveries compared as_of year..year_to. */
int allot_backtest_compare(const struct allot_plan *p, const struct allot_sipri_register *reg,
			   const size_t *order_record, int year_to, struct allot_backtest **out);
void allot_backtest_free(struct allot_backtest *b);
/* Within +-25 %: |planned - recorded| <= recorded / 4; with nothing
 * recorded, only a plan of nothing is within. */
int allot_backtest_within25(int64_t planned, int64_t recorded);

/* ---- One rendering (issue 14; lib/answers/backtest_answer.c) -------------
 * One column list per table, the same keys in allot backtest --csv and
 * --json, the files under --out and the report's backtest table
 * (docs/backtest.md, "Outputs").  Ratios and means are rounded to 4
 * decimals; a missing figure is null (an empty CSV cell). */

/* The headline: backtest_summary.csv's measures (a row each) and the
 * top-level figures of --json. */
#define ALLOT_BACKTEST_SUMMARY_NCOL 16
extern const char *const allot_backtest_summary_columns[ALLOT_BACKTEST_SUMMARY_NCOL];
void allot_backtest_summary_cells(const struct allot_backtest *b,
				  struct allot_cell c[ALLOT_BACKTEST_SUMMARY_NCOL]);
/* An order: backtest_orders.csv, --json's order_rows. */
#define ALLOT_BACKTEST_ORDER_NCOL 10
extern const char *const allot_backtest_order_columns[ALLOT_BACKTEST_ORDER_NCOL];
void allot_backtest_order_cells(const struct allot_backtest_order *o,
				struct allot_cell c[ALLOT_BACKTEST_ORDER_NCOL]);
/* A system or partner over the years compared, after its key (system_id
 * or iso3): --json's systems and partners, the report's table.  top20 is
 * last, for systems only (partners take NCOL - 1 columns). */
#define ALLOT_BACKTEST_GROUP_NCOL 10
extern const char *const allot_backtest_group_columns[ALLOT_BACKTEST_GROUP_NCOL];
void allot_backtest_group_cells(const struct allot_backtest_group *g,
				struct allot_cell c[ALLOT_BACKTEST_GROUP_NCOL]);
/* One year of a group (y = 0 .. n_years - 1), or with y = n_years its
 * total (year "all"): backtest_systems.csv and backtest_partners.csv
 * after the key, --csv, --json's years.  top20 last, systems only. */
#define ALLOT_BACKTEST_YEAR_NCOL 6
extern const char *const allot_backtest_year_columns[ALLOT_BACKTEST_YEAR_NCOL];
void allot_backtest_year_cells(const struct allot_backtest *b, const struct allot_backtest_group *g,
			       int y, struct allot_cell c[ALLOT_BACKTEST_YEAR_NCOL]);
/* A group of the breakdown: backtest_breakdown.csv, --json's breakdown. */
#define ALLOT_BACKTEST_BREAKDOWN_NCOL 9
extern const char *const allot_backtest_breakdown_columns[ALLOT_BACKTEST_BREAKDOWN_NCOL];
void allot_backtest_breakdown_cells(const struct allot_backtest_cell *x,
				    struct allot_cell c[ALLOT_BACKTEST_BREAKDOWN_NCOL]);

/* The worst systems (or partners) by abs_error_years, the sum of |error|
 * over their completed orders: up to top groups with some error into out,
 * worst first, ties in the answer's order.  Returns their number. */
size_t allot_backtest_worst(const struct allot_backtest *b, int systems, size_t top,
			    const struct allot_backtest_group **out);

/* The headline (issue 14): one sentence with the share of the completed
 * orders within +-1 year, the mean absolute error and the bias, and the
 * top systems' years and totals within +-25 %, each goal met or missed
 * (docs/backtest.md, "Goals").  allot backtest's text, the report's
 * backtest headline and its finding all print it.  Writes at most size
 * bytes to buf as snprintf does and returns the length it needs; a buffer
 * of ALLOT_BACKTEST_HEADLINE_MAX always holds it. */
#define ALLOT_BACKTEST_HEADLINE_MAX 640
size_t allot_backtest_headline(const struct allot_backtest *b, char *buf, size_t size);

enum allot_backtest_table {
	ALLOT_BACKTEST_ORDERS,
	ALLOT_BACKTEST_SYSTEMS, /* a row per system and year, then its `all` row */
	ALLOT_BACKTEST_PARTNERS,
	ALLOT_BACKTEST_SUMMARY, /* measure,value */
	ALLOT_BACKTEST_BREAKDOWN
};
/* One table as CSV with its header. */
int allot_backtest_write_csv(const struct allot_backtest *b, enum allot_backtest_table table,
			     FILE *f);
/* backtest_orders.csv, backtest_systems.csv, backtest_partners.csv,
 * backtest_summary.csv and backtest_breakdown.csv into dir. */
int allot_backtest_write(const struct allot_backtest *b, const char *dir);
/* The answer: the summary's figures, systems and partners (each with
 * years), order_rows, breakdown and notes; NULL when out of memory. */
struct json_t *allot_backtest_json(const struct allot_backtest *b);
int allot_backtest_write_json(const struct allot_backtest *b, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
