/*
 * allot/report.h - the report: one self-contained HTML file, and workbooks.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_REPORT_H
#define ALLOT_REPORT_H

#include <stddef.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/plan.h>
#include <allot/backtest.h>
#include <allot/reserve.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- report: one self-contained HTML file (and a workbook) --------------- */

struct allot_report_options {
	enum allot_policy_kind policy; /* the plan shown (default priority) */
	allot_month switch_month;      /* ALLOT_NO_MONTH: the scenario's */
	int wait_months;               /* risk threshold (36) */
	int opportunity_months;        /* opportunities window (24) */
	/* The critical-minerals reserve section (allot_reserve_run, run when
	 * the scenario has minerals; docs/report.md).  Appended for issue 6. */
	double reserve_budget_usd; /* 12e9 */
	/* One embargo scenario each (source, start, end; mineral ignored),
	 * borrowed: keep them alive as long as the report.  None: "china" from
	 * as_of for 24 months, or the scenario as given when no supply row
	 * names china. */
	const struct allot_embargo *reserve_embargoes;
	size_t n_reserve_embargoes;
	unsigned reserve_methods; /* ALLOT_RESERVE_LP | _HEURISTIC */
	/* The backtest section (docs/backtest.md), borrowed; NULL: the
	 * section says how to add it (allot report --backtest). */
	const struct allot_backtest *backtest;
	struct allot_diags *diags; /* optional: why bad reserve options are
				    * bad (allot_report_build: ALLOT_EINPUT) */
	/* critical_minerals.csv (allot_economy_load), borrowed; when set the
	 * section also gives the reserve at the economy's scale
	 * (allot_xreserve_run; docs/reserve.md) under the embargoes whose
	 * source is china, allies or others (default: china, 24 months). */
	const struct allot_economy *reserve_economy;
	/* The storylines section (docs/whatif.md): each storyline under this
	 * folder planned without and with its changes under `policy`; NULL:
	 * no section.  Appended for issue 16. */
	const char *storylines_dir;
	/* The partner whose deliveries the report charts under both policies
	 * (issue 17): an index into the partners, or -1 for POL when present,
	 * else the partner with the most units on order. */
	int partner;
};
void allot_report_options_init(struct allot_report_options *o);

struct allot_report;
/* Plans s under both policies and gathers every figure of the report.
 * *out borrows s (keep it alive) and is freed with allot_report_free. */
int allot_report_build(const struct allot_scenario *s, const struct allot_report_options *o,
		       struct allot_report **out);
void allot_report_free(struct allot_report *r);
/* The headline findings, one sentence each (owned by r). */
const char *const *allot_report_findings(const struct allot_report *r, size_t *n);
/* Writes the report as one HTML file with the charting library and the
 * data inline (no network reference), atomically (temp, fsync, rename). */
int allot_report_write_html(const struct allot_report *r, const char *path);
/* Writes the same tables as an .xlsx workbook, one sheet each, atomically. */
int allot_report_write_xlsx(const struct allot_report *r, const char *path);
/* Any tables as a workbook (`allot plan --xlsx`, the dashboard's XLSX
 * downloads), in the report's workbook style: one sheet per table, bold
 * frozen header, numbers as numbers with thousands separators.  cells are
 * nrows x ncols texts; a numeric column's cell that reads as a number is
 * written as one, "" is left empty.  Written atomically.  Sheet names: at
 * most 31 characters, none of []:*?/\ (libxlsxwriter's rules; ALLOT_EIO). */
struct allot_workbook_sheet {
	const char *name;
	int ncols;
	const char *const *cols;
	const int *numeric;
	const char *const *cells;
	size_t nrows;
};
int allot_workbook_write(const char *path, const struct allot_workbook_sheet *sheets, size_t n);

/* The charting library the report writes inline (Chart.js, pinned in
 * web/package-lock.json) as its text in NULL-terminated chunks, so that
 * the dashboard serves the very same file.  Static: never freed. */
const char *const *allot_report_chart_js(void);

#ifdef __cplusplus
}
#endif
#endif
