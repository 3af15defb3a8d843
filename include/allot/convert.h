/*
 * allot/convert.h - converters: raw public data to scenario files.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_CONVERT_H
#define ALLOT_CONVERT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <allot/diag.h>
#include <allot/month.h>
#include <allot/scenario.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Converters: raw public data -> scenario files                             */

/* The country-name mapping table (data/mappings/countries.csv: name,iso3).
 * Every conversion step joins names from different sources through it. */
struct allot_countries;
int allot_countries_load(const char *path, struct allot_countries **out, struct allot_diags *diags);
void allot_countries_free(struct allot_countries *c);
/* The ISO3 code for a name (exact match, then case-insensitive), or NULL. */
const char *allot_countries_iso3(const struct allot_countries *c, const char *name);

/* One record of a SIPRI trade register ("Recipient,Supplier,Year of order,
 * ..." export).  Text is UTF-8 (the export is Latin-1).  Numbers that are
 * empty or not numbers read as -1; the three TIV columns are kept as
 * written. */
struct allot_sipri_record {
	long line; /* physical line where the record starts */
	char *recipient, *supplier;
	int year_of_order;
	int order_uncertain; /* '?' flag after the year of order */
	int64_t qty;         /* number ordered; -1 when unknown */
	int qty_uncertain;
	char *designation, *description;
	int64_t delivered; /* -1 when the cell is empty */
	int delivered_uncertain;
	char *delivery_years; /* "2017; 2018" */
	char *status, *comments;
	char *tiv_unit, *tiv_total, *tiv_delivered;
	/* SIPRI's units by delivery year from the per-year export, when
	 * allot_sipri_attach_years matched the record to one deal: n_by years
	 * (ascending) by_year[k] with by_units[k] units, the export covering
	 * the years by_from..by_to.  by_to is 0 when the record has none. */
	int *by_year;
	int64_t *by_units;
	int n_by, by_from, by_to;
};

struct allot_sipri_register {
	struct allot_sipri_record *v;
	size_t n;
	char *source;    /* the file name given to read or parse */
	char *generated; /* banner "Data generated: ..." value, "" if none */
	size_t rejoined; /* records rebuilt from a line broken inside Comments */
	size_t skipped;  /* malformed lines reported and left out */
};

/* Reads a SIPRI trade-register CSV export.  Finds the header line after the
 * banner, converts Latin-1 to UTF-8 (UTF-8 input is kept), rejoins records
 * whose Comments hold an unquoted line break, and reports any other
 * malformed line in diags as a warning (file:line) while returning ALLOT_OK.
 * ALLOT_EIO when unreadable, ALLOT_EINPUT when the file is not a SIPRI
 * register (no header line).  *out is freed with allot_sipri_free. */
int allot_sipri_read(const char *path, struct allot_sipri_register **out,
		     struct allot_diags *diags);
/* The same on a buffer; `name` labels diagnostics. */
int allot_sipri_parse(const char *buf, size_t len, const char *name,
		      struct allot_sipri_register **out, struct allot_diags *diags);
void allot_sipri_free(struct allot_sipri_register *r);

/* A started contract's own pace, the converter's rule (docs/backtest.md,
 * "A started contract's own pace"): the record's units delivered before
 * as_of over its listed years before as_of (round up), / 12 (round up); 0 when fewer
 * than two listed years ended before as_of or nothing was delivered. */
int32_t allot_order_own_pace(const struct allot_sipri_record *r, allot_month as_of);
/* 1 when the units before as_of of a record, k of whose n listed years
 * (years) are before as_of, are known without what was recorded after it:
 * no later year listed, or SIPRI's per-year units cover the k-th year. */
int allot_sipri_units_before_recorded(const struct allot_sipri_record *r, const int *years, int n,
				      int k);
/* Which records are open orders.  An order is open when its supplier is
 * `supplier`, its year of order is known, >= order_from and before as_of
 * (loa month = January of that year, < as_of), the number ordered is known
 * and greater than the number delivered before as_of
 * (allot_sipri_delivered_before; empty delivered = 0). */
struct allot_sipri_filter {
	const char *supplier; /* default "United States" */
	int order_from;       /* default 2015 */
	allot_month as_of;    /* default 2025-01: open at end-2024 */
};
void allot_sipri_filter_init(struct allot_sipri_filter *f);
int allot_sipri_is_open(const struct allot_sipri_record *r, const struct allot_sipri_filter *f);
/* The distinct years listed in a record's "Year(s) of delivery", ascending,
 * into years (at most ALLOT_SIPRI_MAX_YEARS); returns how many. */
#define ALLOT_SIPRI_MAX_YEARS 64
int allot_sipri_delivery_years(const struct allot_sipri_record *r,
			       int years[ALLOT_SIPRI_MAX_YEARS]);
/* SIPRI gives a record's number delivered and the years of delivery, not
 * the units of each year: the units are spread evenly over the n listed
 * years, so that the first k of them hold round(delivered * k / n) units
 * (half up; an empty number delivered is 0).  With no year listed, every
 * delivered unit counts as delivered by any date. */
int64_t allot_sipri_delivered_by(const struct allot_sipri_record *r, int k, int n);
/* r's listed years (allot_sipri_delivery_years: into years, their count
 * into *n) and how many of the first of them end before month m (year Y
 * counts when (Y + 1) * 12 <= m): the one definition of "delivered before
 * m" (allot_sipri_delivered_before, a started contract's own pace). */
int allot_sipri_years_before(const struct allot_sipri_record *r, allot_month m,
			     int years[ALLOT_SIPRI_MAX_YEARS], int *n);
/* Units delivered before month m: allot_sipri_units_through over the listed
 * years that end before m (allot_sipri_years_before). */
int64_t allot_sipri_delivered_before(const struct allot_sipri_record *r, allot_month m);
/* The units SIPRI records for r in the years from..to by its per-year
 * export: 1 and *units when r was matched to a deal and the export covers
 * every year of from..to up to `to` (to <= by_to; the years before by_from
 * hold none, since a matched record lists no earlier year), else 0. */
int allot_sipri_units_in(const struct allot_sipri_record *r, int from, int to, int64_t *units);
/* The units SIPRI records for r in its first k listed years, years[0..n)
 * being its listed years (allot_sipri_delivery_years), the one definition
 * behind allot_sipri_delivered_before and allot_sipri_units_of:
 * - all n years (k >= n): the register's whole number delivered (the
 *   per-year export may record another total for the same years: the two
 *   exports were revised apart, and the register is the later);
 * - a record without per-year units (no export match, or a first year after
 *   the export): the even spread of allot_sipri_delivered_by;
 * - k years the export covers: its units for them, capped at the register's
 *   number delivered and at the number ordered;
 * - more: those of every covered year (capped alike) plus what the
 *   register's total leaves after them, spread evenly over the listed years
 *   after the export (round half up).
 * It never decreases in k and reaches the register's total at k = n. */
int64_t allot_sipri_units_through(const struct allot_sipri_record *r, const int *years, int n,
				  int k);
/* The units SIPRI records for r in years[i]: units_through(i + 1) -
 * units_through(i), so that the units of the years before a month sum to
 * allot_sipri_delivered_before of that month. */
int64_t allot_sipri_units_of(const struct allot_sipri_record *r, const int *years, int n, int i);
/* Reads SIPRI's per-year export ("deal rows": one row per deal and year
 * of delivery, with the units delivered that year) and attaches each
 * deal's years to the register record it matches (docs/backtest.md,
 * "Units delivered before as_of"): same supplier, recipient, year of
 * order and TIV per unit, and delivery years equal to the record's
 * listed years within the export's coverage; a record listing a year
 * before the coverage, or
 * matching no deal or several, or whose deal another record also matches,
 * keeps the even spread.  Returns how many records matched in *matched.
 * ALLOT_EIO when unreadable, ALLOT_EINPUT when the header is not found. */
int allot_sipri_attach_years(struct allot_sipri_register *reg, const char *path, size_t *matched,
			     struct allot_diags *diags);
/* How a record is supplied, from its status and Comments (the rule is in
 * docs/dataset.md, "Supply type"): lease, else used (second-hand, EDA),
 * else licence (licence production or assembly abroad), else new. */
enum allot_supply_type allot_sipri_supply_type(const struct allot_sipri_record *r);
/* Work in progress at as_of for the scenario's orders supplied new
 * (docs/dataset.md, "Work in progress"): replaces s->wip.  An order's
 * max_per_month (when > 0) bounds its units of each month here too. */
int allot_derive_wip(struct allot_scenario *s);
/* The same, where an order takes work in progress only from the month
 * loa_month + max(lead, first_months[system]): first_months (indexed by
 * system, NULL: every lead) is the measured time from a contract to its
 * first delivery (docs/dataset.md, "Work in progress"). */
int allot_derive_wip_from(struct allot_scenario *s, const int *first_months);
/* The same, where an order also takes at most ceil(qty / pace_months[
 * system]) units a month (pace_months NULL or an entry <= 0: no limit),
 * the rest of the month's capacity going to the line's next orders:
 * pace_months is the measured time a contract takes from its first
 * delivery to its last (docs/dataset.md, "Work in progress"). */
int allot_derive_wip_paced(struct allot_scenario *s, const int *first_months,
			   const int *pace_months);
/* The same, where line l offers only the share share[l * years + y] of its
 * capacity in the months as_of + 12y .. as_of + 12y + 11 (y < years; the
 * last entry holds after): the book's share of the line's output
 * (docs/dataset.md, "The book's share of a line"); share NULL: all of it. */
int allot_derive_wip_shared(struct allot_scenario *s, const int *first_months,
			    const int *pace_months, const double *share, int years);
/* The same, where each line's pipeline serves its orders in (rank[order],
 * loa_month, order_id) order (rank NULL: every rank 0) and an order's
 * open units are spread evenly over limit[order] months from as_of: by
 * month as_of + t it takes at most floor(open x (t + 1) / limit[order])
 * in all (limit NULL or an entry <= 0: no limit).  The converter's
 * (wip_share.c, docs/dataset.md, "Work in progress"): allot_wip_rank_started fills rank (n_orders
 * entries) with 0 for an order with units delivered before as_of, 1 for an order supplied new with
 * nothing delivered (contracts already delivering are served first), and returns how many are rank
 * 1; allot_wip_limit_after fills limit with M for an order supplied new with nothing delivered, a
 * whole years after its year of order, M being the months from as_of to the December of its year of
 * order + duration_after[a] - 1 (at least 1; allot_supply_timing's duration_after of the new
 * records), 0 for the others, and returns how many are limited. */
int allot_derive_wip_ranked(struct allot_scenario *s, const int *first_months,
			    const int *pace_months, const double *share, int years,
			    const int64_t *rank, const int64_t *limit);
/* How long the supplier's records of one supply type took, from the
 * deliveries the register records (docs/dataset.md, "Off-line
 * schedules"): of the records ordered in [from, to] with a delivery year
 * up to `to`, the (lower) median years from the order to the first
 * delivery, and of those delivered in full by the end of `to`, the median
 * years from the first delivery to the last, inclusive (so a backtest
 * never measures deliveries after its as-of month), and the median years
 * from the year of order to the last delivery, inclusive (an order of 2016
 * delivered in full in 2016-2018 took 3; the converter spreads the backlog
 * of a line without recent deliveries over it: docs/dataset.md, "Lines").
 * records = 0 when there are none (then lag and span are 0); complete = 0
 * leaves span_years 1 and duration_years 0. */
#define ALLOT_TIMING_AGES 12
struct allot_supply_timing {
	size_t records, complete;
	int lag_years, span_years, duration_years;
	/* duration_after[a]: the (lower) median duration_years of the records
	 * delivered in full that took more than a years (duration_years > a),
	 * for a = 0 .. ALLOT_TIMING_AGES - 1; 0 when none did.  An order still
	 * open a years after its year of order is one of those that take
	 * longer (docs/dataset.md, "Off-line schedules"). */
	int duration_after[ALLOT_TIMING_AGES];
};
int allot_sipri_supply_timing(const struct allot_sipri_register *reg, const char *supplier,
			      enum allot_supply_type type, int from, int to,
			      struct allot_supply_timing *out);
/* The same over the records i with only[i] != 0 (only NULL: every record);
 * the converter measures each line's time to first delivery with it
 * (docs/dataset.md, "Work in progress"). */
int allot_sipri_supply_timing_of(const struct allot_sipri_register *reg, const char *supplier,
				 enum allot_supply_type type, int from, int to,
				 const unsigned char *only, struct allot_supply_timing *out);
/* Appends wip.csv rows stating when each order not supplied new arrives:
 * its open units from max(loa_month + 12 x lag, as_of), spread evenly to
 * the December of the year of order + duration_after[a] - 1, a being the
 * whole years from its year of order to as_of's (or, without such a
 * duration, over 12 x span months; an order with a max_per_month, its own
 * recorded pace (order_pace.c), over ceil(open / max_per_month) months
 * instead; timing indexed by supply type; a type
 * with no records gets no rows and keeps the planner's rule).  An order not supplied new
 * that already has rows in s->wip keeps them and gets none: a schedule a
 * source states (data/sources/schedules.csv) replaces the measured one. */
int allot_schedule_offline(struct allot_scenario *s,
			   const struct allot_supply_timing timing[ALLOT_SUPPLY_COUNT]);
/* The work in progress's ranks and limits (allot_derive_wip_ranked). */
size_t allot_wip_rank_started(const struct allot_scenario *s, int64_t *rank);
size_t allot_wip_limit_after(const struct allot_scenario *s,
			     const int duration_after[ALLOT_TIMING_AGES], int64_t *limit);
/* A new contract with exactly one listed delivery year before as_of
 * (docs/backtest.md, "One delivery year"): the larger of that year's units
 * / 12 and its open units spread evenly to its expected end (ceil(open /
 * M), M the months from as_of to the December ds_expected_end gives, at
 * least 1), a month; 0 when it has not exactly one such year, nothing
 * delivered, nothing open or no measured duration. */
int32_t allot_order_first_year_pace(const struct allot_sipri_record *r, int64_t open,
				    allot_month loa_month, allot_month as_of,
				    const int duration_after[ALLOT_TIMING_AGES]);
/* A started new contract of record r that neither its own pace nor its
 * one delivery year paces (started_end_pace.c; docs/backtest.md, "The
 * held-out date"): its open units spread evenly to its expected end,
 * ceil(open / M) a month, M the months from as_of to the December
 * ds_expected_end gives (at least 1); 0 when one of those two rules paces
 * it, nothing is open or no duration is measured. */
int32_t allot_order_end_pace(const struct allot_sipri_record *r, int64_t open,
			     allot_month loa_month, allot_month as_of,
			     const int duration_after[ALLOT_TIMING_AGES]);
/* Writes the open orders as CSV (recipient, recipient_iso3, designation,
 * description, year_of_order, order_uncertain, qty, qty_uncertain,
 * delivered (before as_of), delivered_uncertain, delivery_years, status, comments,
 * tiv_unit, tiv_total, tiv_delivered), in register order.  countries may be
 * NULL (empty iso3); unmapped recipients get an empty iso3 and one warning
 * each in diags.  *n_out receives the number of rows. */
int allot_sipri_write_open(const struct allot_sipri_register *r, const struct allot_sipri_filter *f,
			   const struct allot_countries *countries, FILE *out, size_t *n_out,
			   struct allot_diags *diags);

/* The book's share of a line's output after as_of (docs/dataset.md, "The
 * book's share of a line"): an experiment of the backtest, off unless
 * asked for.  A rule measures, on deliveries recorded before as_of, the
 * share of year as_of + j (j < ALLOT_BOOK_SHARE_YEARS) the book receives. */
enum allot_book_share_rule {
	ALLOT_BOOK_SHARE_OFF = 0,
	ALLOT_BOOK_SHARE_DELIVERED, /* the book's part of the year's deliveries */
	ALLOT_BOOK_SHARE_CAPACITY,  /* the book's deliveries / the capacity estimated then */
	ALLOT_BOOK_SHARE_TAKEN,     /* 1 - the later orders' deliveries / that capacity */
	ALLOT_BOOK_SHARE_NEED,      /* the book's deliveries / min(capacity, book open) */
};
struct allot_book_share {
	enum allot_book_share_rule rule;
	int pooled;   /* every line the curve of all lines */
	int wip_only; /* the work in progress only, no capacity events */
	int then_all; /* after the measured years the whole output (else the last share) */
};
/* "need", "taken,pooled", "capacity,wip", "delivered,then-all", "off",
 * "own-pace" (no modifier: the name of the default rule since it was
 * adopted, read as "off"): 0, or -1 when s is none of them. */
int allot_book_share_parse(const char *s, struct allot_book_share *out);
/* The rule as allot_book_share_parse reads it ("taken,wip"; "off"), in
 * buf of n bytes (ALLOT_BOOK_SHARE_NAME_MAX is enough). */
#define ALLOT_BOOK_SHARE_NAME_MAX 40
void allot_book_share_format(const struct allot_book_share *b, char *buf, size_t n);
/* The years after as_of whose share is measured (the last holds after). */
#define ALLOT_BOOK_SHARE_YEARS 5
/* The measurement (docs/dataset.md, "The book's share of a line"): reg's
 * records, record i on line line[i] of n_lines (-1: none; the caller keeps
 * only the new production of its supplier), as_of a January.  share gets
 * (n_lines + 1) x ALLOT_BOOK_SHARE_YEARS shares in [0, 1], rounded to
 * three decimals, the last row those of every line together; records
 * (n_lines + 1) the records delivering in the ALLOT_BOOK_SHARE_YEARS years
 * before as_of.  ALLOT_OK or ALLOT_ENOMEM. */
int allot_book_share_measure(const struct allot_sipri_register *reg, const int *line,
			     size_t n_lines, allot_month as_of, enum allot_book_share_rule rule,
			     double *share, size_t *records);

struct allot_convert_dirs {
	const char *raw;      /* data/raw */
	const char *sources;  /* data/sources */
	const char *mappings; /* data/mappings */
	/* NULL (or rule off): the bundled rules, no book share */
	const struct allot_book_share *book_share;
};
/* Builds the bundled dataset (docs/dataset.md) from the raw public data in
 * raw_dir, the hand-typed cited tables in sources_dir and the name table in
 * mappings_dir.  On success *out is a complete scenario (write it with
 * allot_scenario_write) and *sources_md a NUL-terminated SOURCES.md text
 * (mem-allocated; free with allot_convert_free_text). */
int allot_convert_dataset(const struct allot_convert_dirs *dirs, struct allot_scenario **out,
			  char **sources_md, struct allot_diags *diags);
/* The same dataset as it stood at as_of (a January, at most 2025-01), for
 * a backtest (docs/backtest.md): orders placed from as_of - 10 years and
 * not fully delivered before as_of, line rates estimated from SIPRI
 * deliveries of the five years before as_of or cited with a rate_date
 * before it, events and requests dated before it.  allot_convert_dataset
 * is this with 2025-01, where every cited figure counts as known. */
int allot_convert_dataset_as_of(const struct allot_convert_dirs *dirs, allot_month as_of,
				struct allot_scenario **out, char **sources_md,
				struct allot_diags *diags);
/* critical_minerals.csv of the dataset (docs/reserve.md, "The economy's
 * scale"): every mineral of the 2025 critical-minerals list from
 * data/sources/critical_minerals.csv and the USGS tables; s (the dataset
 * built above) gives the stock of the minerals it has.  *csv_out is the
 * file, *md_out the section to append to SOURCES.md (both mem-allocated;
 * free with allot_convert_free_text). */
int allot_convert_critical_minerals(const struct allot_convert_dirs *dirs,
				    const struct allot_scenario *s, char **csv_out, char **md_out,
				    struct allot_diags *diags);
void allot_convert_free_text(char *text);

#ifdef __cplusplus
}
#endif
#endif
