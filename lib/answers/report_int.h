/*
 * report_int.h - what minerals.c, risk.c, opportunities.c and the report
 * files (report.c, report_table.c, report_data.c, report_html.c,
 * report_xlsx.c, report_reserve.c) share (private).
 */
#ifndef ALLOT_REPORT_INT_H
#define ALLOT_REPORT_INT_H

#include <allot/allot.h>

/* 1 when the plan walks relative month t in priority order (its policy is
 * priority and the switch month, if any, has come), else 0 (fcfs). */
int report_priority_in(const struct allot_plan *p, int t);

/* The wait of an order as allot_plan_stats counts it: months from the
 * later of as_of and its LOA month to completion, or to the horizon's end
 * when it does not complete (*censored set to 1 then). */
int report_wait(const struct allot_plan *p, size_t order, int *censored);

/* ---------------------------------------------------------------------- */
/* Tables: what the HTML shows under each chart and the workbook holds,   */
/* one sheet each (report_table.c).                                        */

enum rcell_kind { RCELL_EMPTY = 0, RCELL_STR, RCELL_NUM };

struct rcell {
	enum rcell_kind kind;
	char *s;  /* RCELL_STR, owned */
	double v; /* RCELL_NUM */
};

struct rtable {
	char *id;    /* "leaderboard": the HTML anchor and the sheet name */
	char *title; /* "Partner leaderboard" */
	int ncols;
	char **cols;  /* ncols headers, owned */
	int *numeric; /* ncols flags */
	struct rcell *cells;
	size_t n, cap;     /* cells so far; rows = n / ncols */
	int err;           /* an allocation failed: the table is incomplete */
	const char *blank; /* what an empty numeric cell means on the page (a style
			    * symbol, e.g. ALLOT_SYM_WHOLE_HORIZON); NULL:
			    * nothing to say (shown blank) */
	int same_sheet;    /* 1: the workbook writes it below the previous table,
			    * on that table's sheet (a title row, then its header) */
};

/* Sets up an empty table (ALLOT_ENOMEM on failure; free it either way). */
int rtable_init(struct rtable *t, const char *id, const char *title, int ncols,
		const char *const *cols, const int *numeric);
void rtable_free(struct rtable *t);
/* Append a cell to the current row (a row is complete after ncols). */
void rtable_str(struct rtable *t, const char *s);
void rtable_num(struct rtable *t, double v);
void rtable_int(struct rtable *t, int64_t v);
void rtable_month(struct rtable *t, allot_month m); /* "YYYY-MM"; empty for none */
void rtable_empty(struct rtable *t);
size_t rtable_rows(const struct rtable *t);
const struct rcell *rtable_cell(const struct rtable *t, size_t row, int col);

/* ---------------------------------------------------------------------- */
/* The report: every figure, gathered once (report.c).                     */

enum { REPORT_FCFS = 0, REPORT_PRIORITY = 1 };

struct allot_report {
	const struct allot_scenario *s; /* borrowed */
	struct allot_report_options o;
	struct allot_compare *cmp;        /* plan[0] fcfs, plan[1] priority */
	const struct allot_plan *plan[2]; /* borrowed from cmp */
	const struct allot_plan *shown;   /* the plan under o.policy */
	struct allot_plan_stats stats[2];
	struct allot_metrics *metrics; /* of the shown plan */
	struct allot_minerals *minerals;
	struct allot_risk *risk;
	struct allot_opportunities *opps;
	char **findings;
	size_t n_findings;
	struct rtable *tables;
	size_t n_tables;
	/* The critical-minerals reserve section (report_reserve.c). */
	struct allot_reserve *reserve;     /* NULL: the section is skipped */
	struct allot_embargo *reserve_emb; /* the embargo scenarios run */
	size_t n_reserve_emb;              /* 0: the scenario as given */
	char *reserve_note;                /* skipped: the one-line note saying why */
	char *reserve_how;                 /* how to read the section: budget, embargoes,
					    * window, methods */
	char *reserve_headline;            /* "With the reserve spent this way, N more
					    * units reach tier-1 partners ..." */
	struct allot_xreserve *xreserve;   /* the economy's scale, or NULL */
	struct allot_embargo *xreserve_emb;
	char *xreserve_headline; /* "At the economy's scale, ..." */
	/* The storylines section (report_story.c); none when
	 * o.storylines_dir is NULL. */
	struct report_story *stories;
	size_t n_stories;
};

/* One storyline of the report: its question, its headline in units and
 * USD, and the partners whose delivered value changes most (the chart). */
enum { REPORT_STORY_BARS = 8 };
struct report_story {
	char *name, *question, *headline; /* owned; headline: the answer or
					   * why the storyline could not run */
	int ok;                           /* 0: headline says what failed */
	int year;
	int64_t units[2], cancelled[2]; /* [0] without, [1] with */
	double usd[2], cancelled_usd[2];
	size_t cut;
	char *labels[REPORT_STORY_BARS];           /* owned partner names */
	double bar[2][REPORT_STORY_BARS];          /* USD delivered by the year */
	int64_t bar_unknown[2][REPORT_STORY_BARS]; /* units of unknown cost
						    * left out of bar */
	size_t n_bars;
	int concerned; /* 1: no partner's USD changes; the
			* bars are the partners the
			* storyline concerns */
};
int report_story_run(struct allot_report *r);
void report_story_free(struct allot_report *r);
int report_story_table(const struct allot_report *r, struct rtable *t);

/* Partner indexes best first: tier, then score (month 0, the shown plan),
 * then file order; mem-allocated (report_tables.c). */
int *report_rank_partners(const struct allot_report *r);
/* A reader's name for mineral cover case c: "stock alone", "with supply",
 * "without china supply (what-if)", "china embargo on gallium 2026-01..". */
void report_case_label(const struct allot_report *r, size_t c, char buf[128]);
/* Writes each finding sentence (report_findings.c). */
int report_findings(struct allot_report *r);
/* Builds r->tables (report_tables.c). */
int report_tables(struct allot_report *r);

/* The reserve section (report_reserve.c).  report_reserve_run runs
 * allot_reserve_run with the report's options when the scenario has
 * minerals and writes the section's sentences (ALLOT_EINPUT with messages
 * in r->o.diags on bad options); report_reserve_tables fills t[0..*n) with
 * the tables of the workbook's "reserve" sheet (at most
 * REPORT_RESERVE_TABLES; one table holding the note when skipped). */
enum { REPORT_RESERVE_TABLES = 5 };
#define REPORT_RESERVE_BUDGET 12e9 /* the default budget, USD */
int report_reserve_run(struct allot_report *r);
int report_reserve_tables(const struct allot_report *r, struct rtable *t, size_t *n);
/* Months of cover of mineral m in outcome x: the least over the embargo
 * scenarios; the window when it never binds in it. */
int report_reserve_cover(const struct allot_report *r, const struct allot_reserve_outcome *x,
			 size_t m);
/* Units delivered to tier t (0-based) in outcome x, mean over scenarios. */
double report_reserve_units(const struct allot_report *r, const struct allot_reserve_outcome *x,
			    size_t t);
/* Writes tables as a workbook, one sheet each (same_sheet ones below the
 * one before), atomically (report_xlsx.c). */
int report_xlsx_write(const struct rtable *tables, size_t n_tables, const char *path);
/* The partner whose deliveries the report charts (report_data.c). */
int report_partner(const struct allot_report *r);
/* The data the page's script draws from, as JSON text (report_data.c);
 * mem-allocated, NUL-terminated, with "</" written "<\/". */
char *report_data_json(const struct allot_report *r);

#endif
