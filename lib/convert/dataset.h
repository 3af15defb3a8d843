/*
 * dataset.h - the private interface between the parts of the dataset
 * builder (allot_convert_dataset, docs/dataset.md):
 *
 *   dataset.c           orchestration; orders, systems and lines
 *   dataset_partners.c  partner rows from SIPRI milex, NATO, troopdata
 *   dataset_minerals.c  minerals, supply by source, bills of materials
 *   dataset_events.c    events from data/sources/events.csv
 *   dataset_economy.c   critical_minerals.csv: every 2025 critical mineral
 *
 * Every part reads its inputs through the one country table, appends rows
 * to ds->s and writes what it derived, with its basis, to ds->md (the
 * generated half of SOURCES.md).
 */
#ifndef ALLOT_CONVERT_DATASET_H
#define ALLOT_CONVERT_DATASET_H

#include <allot/allot.h>

#include "io/csvread.h"
#include "util/buf.h"

/* The bundled dataset's as-of month (2025-01: the register ends in 2024).
 * The years whose US deliveries estimate production rates and purchases
 * are the DS_YEARS years before the as-of month (2020-2024 for 2025-01);
 * orders count from DS_ORDER_YEARS years before it (2015 for 2025). */
#define DS_AS_OF       (2025 * 12)
#define DS_YEARS       5
#define DS_ORDER_YEARS 10
/* Supply timings (dataset.c, wip_share.c) are measured on the supplier's
 * records ordered in the DS_TIMING_YEARS years before as_of. */
#define DS_TIMING_YEARS 20
/* SIPRI TIV per unit -> USD when no cost is cited: about the US CPI-U
 * ratio 2024/1990 (313.7 / 130.7), TIV being based on 1990 prices. */
#define DS_TIV_USD 2.4e6

/* The cap of a generated text (SOURCES.md, CSV) in a struct buf: a failed
 * append sets its `err` and leaves the text as it was; callers check once at
 * the end. */
#define DS_TEXT_MAX (64u << 20)

/* A hand-typed table with its required columns resolved. */
struct ds_table {
	char *path;
	struct csvr_table t;
	int col[20]; /* required columns: at most 19 and a NULL */
};

struct ds {
	const struct allot_convert_dirs *dirs;
	struct allot_diags *d;
	struct allot_countries *countries;
	struct allot_sipri_register *reg;
	size_t by_year_matched; /* records with SIPRI's per-year units */
	struct allot_sipri_filter filter;
	/* filter.as_of / 12 - DS_YEARS .. filter.as_of / 12 - 1 */
	int year_from, year_to;
	/* Only what is dated before this month is used (cited rates, events,
	 * requests): the as-of month of a dataset built for an earlier date
	 * (allot_convert_dataset_as_of), ALLOT_NO_MONTH for the bundled one. */
	allot_month known;
	int *rec_system; /* per register record: row in systems.csv, or -1 */
	struct ds_table systems, lines;
	struct ds_table dsca;  /* data/sources/dsca_cases.csv (dataset_dsca.c) */
	struct ds_table sched; /* data/sources/schedules.csv, optional (dataset_schedules.c) */
	struct allot_scenario *s;
	struct buf md;
	/* mappings/non-partners.csv (iso3,reason; optional): recipients that
	 * are not states and so are not scored as partners; their open orders
	 * are left out of the scenario and counted in SOURCES.md. */
	struct csvr_table non_partners;
	size_t skipped_orders;
	int64_t skipped_units;
	/* ds_timings(): each supply type's timing, measured once */
	struct allot_supply_timing timing[ALLOT_SUPPLY_COUNT];
	int have_timing;
};

/* Reads dir/name and resolves the named columns (NULL-terminated list)
 * into t->col; ALLOT_EIO / ALLOT_EINPUT with a diagnostic otherwise. */
int ds_table_load(struct ds *ds, const char *dir, const char *name, const char *const *cols,
		  struct ds_table *t);
void ds_table_free(struct ds_table *t);
/* Field `col` (an index into t->col) of data row i (1-based like rows). */
const char *ds_field(const struct ds_table *t, size_t row, int col);
/* The column of that field for a diagnostic (csvr_colno: characters, 1-based). */
long ds_colno(const struct ds_table *t, size_t row, int col);

/* A number, or "a/b" (e.g. "2000/12"); 0 on success.  Empty is an error. */
int ds_number(const char *s, double *out);
/* Fraction of a record's deliveries that fall in [from, to], spreading
 * them evenly over the years listed in "2019; 2020; 2021". */
double ds_delivery_share(const char *years, int from, int to);
/* r's units of year y: SIPRI's per-year export's when known (it covers the
 * whole window read), else its total spread evenly over its listed years
 * (ds_delivery_share); 0 when nothing is delivered.  The rule of a line's
 * history (dataset.c) and of the book's share (book_share.c). */
double ds_units_of_year(const struct allot_sipri_record *r, int known, int y);
/* "path/name" into buf. */
const char *ds_path(char *buf, size_t n, const char *dir, const char *name);

/* 1 when a figure dated `month` ("YYYY-MM", "YYYY" = December of that
 * year, "" = unknown date) may be used: always in the bundled dataset;
 * before ds->known only (and never undated) in an as-of dataset. */
int ds_is_known(const struct ds *ds, const char *month);

/* The dataset as it stood at as_of (a January): what
 * allot_convert_dataset_as_of returns, plus the register and, per order
 * (in the scenario's order), the index of its register record; all owned
 * by the caller (ds_result_free). */
struct ds_result {
	struct allot_scenario *s;
	char *sources_md;
	struct allot_sipri_register *reg;
	size_t *order_record;
};
int ds_build(const struct allot_convert_dirs *dirs, allot_month as_of, struct ds_result *out,
	     struct allot_diags *diags);
void ds_result_free(struct ds_result *r);

/* The USGS MCS 2025 tables T5 and Fig. 2 with their columns resolved
 * (dataset_minerals.c); ds_usgs_free releases them. */
struct ds_usgs {
	struct csvr_table t5, fig2;
	int t5_name, t5_nir, t5_lead, t5_pct, t5_cons, t5_world;
	int f2_name, f2_sources, f2_nir;
};
int ds_load_usgs(struct ds *ds, struct ds_usgs *u);
void ds_usgs_free(struct ds_usgs *u);

int ds_partners(struct ds *ds, char **iso3, size_t n);
int ds_minerals(struct ds *ds);
int ds_events(struct ds *ds);
int ds_requests(struct ds *ds);  /* dataset_requests.c */
int ds_embargoes(struct ds *ds); /* dataset_embargoes.c: after ds_minerals */
/* dataset_dsca.c: load and check dsca_cases.csv; a system's case value per
 * unit (1, with cost and a basis text) or 0 when it has no case. */
int ds_dsca_load(struct ds *ds);
int ds_dsca_unit_cost(const struct ds *ds, const char *system_id, double *cost, char *basis,
		      size_t n);
int ds_dsca_check(struct ds *ds); /* after the orders exist */
/* dataset_schedules.c: load schedules.csv (optional); append its stated
 * wip rows, checked against the orders (bundled dataset only). */
int ds_schedules_load(struct ds *ds);
int ds_schedules_apply(struct ds *ds);
/* dataset_loa.c: loa_months.csv (optional): the LOA months a source states,
 * onto their orders (loa_basis month); after the orders exist. */
int ds_loa_months(struct ds *ds);

/* book_share.c: the book's share of each line's output in the years after
 * as_of, measured on deliveries before it (docs/dataset.md); *share gets
 * n_lines x ALLOT_BOOK_SHARE_YEARS factors (the caller frees it) and
 * SOURCES.md a table.  ds_book_share_events multiplies them into the
 * lines' capacity from as_of on, a lead before the months they deliver.
 * ds_system_line: the line_id of a row of systems.csv (dataset.c). */
int ds_book_share(struct ds *ds, double **share, struct buf *md);
int ds_book_share_events(struct ds *ds, const double *share);
/* A started contract's own pace (order_pace.c), the converter's rule: each
 * started new order's max_per_month from its own record (order_rec: each
 * order's register record). */
int ds_order_pace(struct ds *ds, const size_t *order_rec);
/* first_year_pace.c: each supply type's timing over the supplier's records
 * ordered in the DS_TIMING_YEARS before as_of (new: those mapped to a
 * system, allot_sipri_supply_timing_of; the others: allot_sipri_supply_timing),
 * measured on the first call and kept in ds->timing; *tm points at it.  The
 * off-line schedules, the pipeline's sharing, the paces and the time to a
 * first delivery all read it. */
int ds_timings(struct ds *ds, const struct allot_supply_timing **tm);
const char *ds_system_line(const struct ds *ds, int row);
/* started_end_pace.c: a started new order without a recorded pace (after
 * ds_order_pace's two rules) gets allot_order_end_pace as max_per_month;
 * 1 when it got one.  The note is SOURCES.md's line for n such orders. */
int ds_started_end_pace(const struct ds *ds, struct allot_order *o,
			const struct allot_sipri_record *r, const struct allot_supply_timing *tm);
void ds_started_end_pace_note(struct ds *ds, size_t n);
/* line_floor.c: a line rate estimated from deliveries (its best year,
 * peak_per_month) is at least its largest open contract's units over
 * `months`, a typical contract's time (`how` says which); *note (cap
 * bytes) says when that raised it, else is empty. */
double ds_line_floor(double peak_per_month, double largest_open, int months, const char *how,
		     char *note, size_t cap);
/* line_floor.c: a typical contract's time on line_id (12 x the median
 * years from order to last delivery of its new records delivered in full
 * before as_of, when it has enough of them) into *months and how; left as
 * given (the supplier's) otherwise. */
int ds_line_months(const struct ds *ds, const char *line_id, int *months, char *how, size_t cap);

/* wip_share.c: each order's rank and monthly limit in its line's pipeline
 * at as_of (n_orders entries each, for allot_derive_wip_ranked), measured
 * on the register before as_of, and a SOURCES.md note. */
int ds_wip_share(struct ds *ds, int64_t *rank, int64_t *limit);
/* wip.c: the December by which an order of loa_month still open at as_of,
 * a = as_of's year - its year of order, is expected delivered: that of its
 * year of order + duration_after[a] - 1 (allot_supply_timing); -1 when a
 * is out of range or has no measured duration.  The off-line schedules
 * and the pipeline's limits (wip_share.c) both use it. */
allot_month ds_expected_end(const int duration_after[ALLOT_TIMING_AGES], allot_month loa_month,
			    allot_month as_of);
/* wip.c: the months from as_of through that December, at least 1; 0 when
 * ds_expected_end gives none.  The spreads to the expected end (the
 * pipeline's limits, first_year_pace.c, started_end_pace.c) divide by it. */
int64_t ds_months_to_end(const int duration_after[ALLOT_TIMING_AGES], allot_month loa_month,
			 allot_month as_of);

/* Makes room for one more row in the array *v holding n rows of sz bytes
 * (the scenario's arrays grow one row at a time while converting).  0, or
 * -1 when memory runs out (*v is then untouched). */
int ds_push(void *v, size_t n, size_t sz);
/* The next integer in a text list such as SIPRI's "2019; 2020": skips
 * what is not a number, stores it in *out and returns the text after it;
 * NULL when there is none left (sipri.c). */
const char *sipri_next_int(const char *p, long *out);

#endif
