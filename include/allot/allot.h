/*
 * allot.h - the public API of liballot.
 *
 * liballot is the planning engine behind the `allot` tool: it loads a
 * scenario (a directory of CSV files plus scenario.json and policy.json),
 * scores and tiers partners, allocates constrained production month by month
 * and stores scenarios and plan runs in SQLite.  The exact meaning of a plan
 * and of a score is fixed by docs/allocation.md (a copy of the design
 * contract); docs/scenario-format.md documents every file and column.
 *
 * Conventions used throughout:
 *   - Functions return 0 on success and a non-zero ALLOT_E* code on failure.
 *     Results are written through out-parameters.
 *   - Errors about input carry the file, line and column they concern and
 *     are collected in a struct allot_diags so that one run reports many.
 *   - Every destructor accepts NULL.
 *   - Strings in the model are owned by the model (NUL-terminated, UTF-8).
 *   - Months are integers: year * 12 + (month - 1).  ALLOT_NO_MONTH marks an
 *     absent month (an empty optional cell).
 */
#ifndef ALLOT_ALLOT_H
#define ALLOT_ALLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */

enum allot_status {
	ALLOT_OK = 0,
	ALLOT_EINPUT = 1, /* bad input: see the diagnostics */
	ALLOT_ENOMEM = 2, /* allocation failed */
	ALLOT_EIO = 3,    /* a file or the store could not be read/written */
	ALLOT_ESTORE = 4, /* the SQLite store failed (busy, corrupt, ...) */
	ALLOT_ENOTFOUND = 5, /* a named scenario, run or order does not exist */
	ALLOT_ELIMIT = 6, /* a documented size limit was exceeded */
};

const char *allot_strerror(int status);

/* ------------------------------------------------------------------------ */
/* Diagnostics: file:line:column: message                                    */

struct allot_diag {
	char *file; /* owned; may be "" */
	long line;  /* 1-based; 0 when the message concerns the whole file */
	long col;   /* 1-based; 0 when the message concerns the whole line */
	char *msg;  /* owned: "what was expected, what was found" */
};

struct allot_diags {
	struct allot_diag *v;
	size_t n, cap;
	size_t limit;     /* stop recording after this many (default 50) */
	size_t dropped;   /* messages past the limit, counted not kept */
};

void allot_diags_init(struct allot_diags *d);
void allot_diags_free(struct allot_diags *d);
/* Records a diagnostic (printf-style message).  Never fails loudly: on
 * allocation failure the message is counted in `dropped`. */
void allot_diags_add(struct allot_diags *d, const char *file, long line,
		     long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Prints every diagnostic as "file:line:col: msg\n", then a count of any
 * dropped ones. */
void allot_diags_print(const struct allot_diags *d, FILE *out);
size_t allot_diags_count(const struct allot_diags *d);

/* ------------------------------------------------------------------------ */
/* Months                                                                    */

typedef int32_t allot_month;
#define ALLOT_NO_MONTH INT32_MIN

/* Parses "YYYY-MM" (year 1000..9999, month 01..12) exactly; 0 on success. */
int allot_month_parse(const char *s, allot_month *out);
/* Writes "YYYY-MM" into buf (at least 8 bytes); ALLOT_NO_MONTH writes "". */
void allot_month_format(allot_month m, char buf[8]);

/* ------------------------------------------------------------------------ */
/* The scenario model                                                        */

enum allot_eum { ALLOT_EUM_COMPLIANT = 0, ALLOT_EUM_DELINQUENT, ALLOT_EUM_VIOLATION };
const char *allot_eum_name(enum allot_eum e);
int allot_eum_parse(const char *s, enum allot_eum *out); /* "" = compliant */

struct allot_partner {
	char iso3[4];
	char *name;
	char *region;   /* a key of the policy's theater_weights, or other */
	char *alliance; /* free text: nato, mnna, treaty, none ... */
	int frontline;  /* 0/1 */
	double defense_pct_gdp;
	double real_growth_3y_pct;
	double us_troops;
	int basing_access; /* 0..3 */
	double us_purchases_5y_usd;
	double invest_in_us_usd;
	enum allot_eum eum_status;
};

struct allot_system {
	char *system_id;
	char *name;
	int line; /* index into scenario lines */
	double unit_cost_usd;
	int lead_months;
	int eeum;    /* 0/1 */
	int catalog; /* 0/1 */
	char *foreign_alternative; /* "" when none */
};

struct allot_line {
	char *line_id;
	char *name;
	double rate_per_month; /* total output, units/month */
	double us_share;       /* 0..1 reserved for US forces */
};

struct allot_order {
	char *order_id;
	int partner; /* index into partners */
	int system;  /* index into systems */
	int64_t qty;
	int64_t delivered; /* delivered before as_of */
	allot_month loa_month;
	allot_month need_month;  /* ALLOT_NO_MONTH when empty */
	int64_t partner_rank;    /* -1 when empty */
};

struct allot_mineral {
	char *mineral_id;
	char *name;
	int64_t stock_g;           /* grams at as_of */
	double price_usd_per_kg;
};

struct allot_supply {
	int mineral;
	char *source;
	int64_t g_per_month;
};

struct allot_bom {
	int system;
	int mineral;
	int64_t g_per_unit;
};

enum allot_event_type {
	ALLOT_EV_CAPACITY = 0, /* line -> rate (units/month) */
	ALLOT_EV_US_SHARE,     /* line -> share */
	ALLOT_EV_BUDGET_CAP,   /* iso3 -> usd */
	ALLOT_EV_EUM_STATUS,   /* iso3 -> status */
	ALLOT_EV_WEIGHT,       /* criterion -> weight */
	ALLOT_EV_COUNT
};
const char *allot_event_type_name(enum allot_event_type t);

struct allot_event {
	allot_month month;
	enum allot_event_type type;
	char *target; /* as written in the file */
	char *value;  /* as written in the file */
	int index;    /* resolved target: line, partner or criterion index */
	double num;   /* parsed numeric value (capacity, share, cap, weight) */
	enum allot_eum eum; /* parsed status (eum_status) */
};

struct allot_investment {
	int partner;
	int line;
	double usd;
	allot_month month;
	double added_rate;
	allot_month online_month;
};

struct allot_embargo {
	char *source;
	int mineral; /* -1 = every mineral ("*") */
	allot_month start_month;
	allot_month end_month; /* ALLOT_NO_MONTH = to the horizon */
};

/* The scoring criteria, in the order used for weights and contributions. */
enum allot_criterion {
	ALLOT_CRIT_INVESTMENT = 0,
	ALLOT_CRIT_GROWTH,
	ALLOT_CRIT_GEOGRAPHY,
	ALLOT_CRIT_OPERATIONS,
	ALLOT_CRIT_ECONOMIC,
	ALLOT_CRIT_COUNT
};
const char *allot_criterion_name(enum allot_criterion c);
int allot_criterion_parse(const char *s); /* -1 when unknown */

struct allot_theater {
	char *region;
	double weight;
};

#define ALLOT_MAX_TIERS 8

/* policy.json: every number of the scoring rule is a setting. */
struct allot_policy {
	double weight[ALLOT_CRIT_COUNT];
	double target_pct;        /* investment: defense_pct_gdp target (5.0) */
	double growth_full_pct;   /* growth: real growth giving 1.0 (30) */
	double troops_ref;        /* operations: troops giving 1.0 (50000) */
	double basing_max;        /* operations: basing_access maximum (3) */
	double frontline_factor;  /* geography: 1.0 frontline ... */
	double rear_factor;       /* ... 0.6 otherwise */
	double economic_ref_usd;  /* economic: v giving 1.0 (50e9) */
	double economic_unit_usd; /* economic: log10(1 + v / unit) (1e6) */
	double invest_multiplier; /* economic: v = purchases + k * invest (2) */
	double penalty_delinquent; /* points subtracted (10) */
	double penalty_violation;  /* points subtracted (25) */
	struct allot_theater *theaters;
	size_t n_theaters;
	double default_theater; /* weight of a region missing from the table */
	double tier_min[ALLOT_MAX_TIERS]; /* tier i+1 when score >= tier_min[i] */
	size_t n_tier_thresholds;        /* tiers = n_tier_thresholds + 1 */
};

/* Fills p with the default policy of docs/allocation.md.  Owns memory:
 * release with allot_policy_free. */
int allot_policy_default(struct allot_policy *p);
void allot_policy_free(struct allot_policy *p);
int allot_policy_copy(struct allot_policy *dst, const struct allot_policy *src);

struct allot_scenario {
	char *name;         /* scenario name in a store, or the directory */
	allot_month as_of;
	int horizon_months; /* default 180 */
	allot_month switch_month; /* ALLOT_NO_MONTH when none */
	char *policy_file;  /* as named in scenario.json (default policy.json) */
	char *notes;        /* "" when none */
	struct allot_policy policy;

	struct allot_partner *partners; size_t n_partners;
	struct allot_system *systems;   size_t n_systems;
	struct allot_line *lines;       size_t n_lines;
	struct allot_order *orders;     size_t n_orders;
	struct allot_mineral *minerals; size_t n_minerals;
	struct allot_supply *supply;    size_t n_supply;
	struct allot_bom *bom;          size_t n_bom;
	struct allot_event *events;     size_t n_events;
	struct allot_investment *investments; size_t n_investments;
	struct allot_embargo *embargoes; size_t n_embargoes;

	/* Which optional files were present, so export writes the same set. */
	unsigned present; /* bit (1u << ALLOT_FILE_*) */
};

enum allot_file {
	ALLOT_FILE_MINERALS = 0,
	ALLOT_FILE_SUPPLY,
	ALLOT_FILE_BOM,
	ALLOT_FILE_EVENTS,
	ALLOT_FILE_INVESTMENTS,
	ALLOT_FILE_EMBARGOES,
};

void allot_scenario_free(struct allot_scenario *s);
/* Lookups by key; -1 when absent.  Linear or hashed, callers need not care. */
int allot_scenario_find_partner(const struct allot_scenario *s, const char *iso3);
int allot_scenario_find_system(const struct allot_scenario *s, const char *id);
int allot_scenario_find_line(const struct allot_scenario *s, const char *id);
int allot_scenario_find_mineral(const struct allot_scenario *s, const char *id);
int allot_scenario_find_order(const struct allot_scenario *s, const char *id);

/* Loads a scenario directory.  On bad input returns ALLOT_EINPUT with every
 * problem (up to diags->limit) in diags and *out untouched.  On success *out
 * owns a new scenario (free with allot_scenario_free). */
int allot_scenario_load(const char *dir, struct allot_scenario **out,
			struct allot_diags *diags);
/* Writes a scenario directory in canonical form (the form `allot export`
 * and `allot convert` write; load then write is byte-identical).  Each file
 * is written to a temporary file, synced and renamed into place. */
int allot_scenario_write(const struct allot_scenario *s, const char *dir,
			 struct allot_diags *diags);

/* ------------------------------------------------------------------------ */
/* Scores and tiers                                                          */

struct allot_score {
	double x[ALLOT_CRIT_COUNT];       /* criterion value 0..1 */
	double contrib[ALLOT_CRIT_COUNT]; /* points: 100 * w_k * x_k / sum w */
	double penalty;                   /* points subtracted for end use */
	double score;                     /* final, clamped, rounded to 0.01 */
	int tier;                         /* 1 = best */
};

/* Scores one partner under a policy with the given invest_in_us_usd and
 * end-use status (so that the planner can score with inputs in force). */
void allot_score_partner(const struct allot_policy *p,
			 const struct allot_partner *partner,
			 double invest_in_us_usd, enum allot_eum eum,
			 struct allot_score *out);
int allot_score_tier(const struct allot_policy *p, double score);

/* ------------------------------------------------------------------------ */
/* Planning                                                                  */

enum allot_policy_kind { ALLOT_POLICY_FCFS = 0, ALLOT_POLICY_PRIORITY };
int allot_policy_kind_parse(const char *s, enum allot_policy_kind *out);
const char *allot_policy_kind_name(enum allot_policy_kind k);

struct allot_plan_options {
	enum allot_policy_kind policy;
	allot_month switch_month; /* ALLOT_NO_MONTH: use the scenario's */
	int record_allocations;   /* keep every (order, month, units) row */
	int32_t trace_order;      /* order index to trace (allot explain); -1 none */
};

/* Why a traced order got what it got in one month. */
enum allot_limit {
	ALLOT_LIMIT_NONE = 0,     /* it got every unit it still wanted */
	ALLOT_LIMIT_NOT_ELIGIBLE, /* its LOA month is still ahead */
	ALLOT_LIMIT_DONE,         /* nothing left: produced or cancelled */
	ALLOT_LIMIT_BLOCKED,      /* EEUM system, partner in violation */
	ALLOT_LIMIT_LINE,         /* the line's capacity ran out first */
	ALLOT_LIMIT_MINERAL,      /* a mineral's stock ran out first */
};
const char *allot_limit_name(enum allot_limit l);

struct allot_trace_month {
	int32_t month;         /* relative month */
	int64_t wanted;        /* units still wanted when the month began */
	int64_t line_capacity; /* the line's F(t) */
	int64_t line_left;     /* capacity left when the order's turn came
				* (0 when the line ran out before it) */
	int64_t got;
	enum allot_limit limit;
	int mineral;           /* the binding mineral (ALLOT_LIMIT_MINERAL), else -1 */
	int tier;              /* the order's partner's tier and score in force */
	double score;
	int priority_keys;     /* 1 when the month walked in priority order */
	size_t ahead_start, n_ahead; /* orders served before it on its line */
};

struct allot_trace_ahead {
	int32_t order;
	int64_t units;
};

struct allot_trace {
	int32_t order;
	struct allot_trace_month *months; /* one per month of the horizon */
	size_t n_months;
	struct allot_trace_ahead *ahead;
	size_t n_ahead;
};
void allot_trace_free(struct allot_trace *tr); /* allot_plan_free calls it */
void allot_plan_options_init(struct allot_plan_options *o);

/* One production grant: units of an order produced in a month. */
struct allot_alloc {
	int32_t order;
	int32_t month;  /* relative month: 0 = as_of */
	int64_t units;
};

struct allot_order_result {
	int64_t produced;        /* units produced within the horizon */
	int64_t delivered_in_h;  /* units delivered within the horizon */
	int64_t cancelled;       /* units cut by budget caps */
	int64_t blocked;         /* units waiting on an EEUM block at the end */
	allot_month first_delivery; /* ALLOT_NO_MONTH when none */
	allot_month completion;  /* absolute month or ALLOT_NO_MONTH */
	int64_t short_units;     /* qty - delivered - delivered_in_h - cancelled */
	int tier0;               /* partner's tier at month 0 */
};

struct allot_plan {
	const struct allot_scenario *scenario; /* borrowed */
	enum allot_policy_kind policy;
	allot_month switch_month;
	struct allot_order_result *orders; /* n_orders */
	struct allot_alloc *allocs; size_t n_allocs;
	/* Per relative month: units produced for foreign orders. */
	int64_t *produced_by_month; /* horizon */
	/* Per line and relative month: foreign capacity F(t) (lines x horizon). */
	int64_t *capacity;
	int64_t *used;
	/* Per mineral, stock at the end of each month (minerals x horizon), g. */
	int64_t *stock_end;
	/* Per partner: score at month 0. */
	struct allot_score *score0;
	/* With options.trace_order >= 0: that order, month by month. */
	struct allot_trace *trace;
};

/* Plans a scenario.  *out owns the result (allot_plan_free). */
int allot_plan_run(const struct allot_scenario *s,
		   const struct allot_plan_options *o, struct allot_plan **out);
void allot_plan_free(struct allot_plan *p);

/* Writes allocations.csv and orders_out.csv (docs/planner.md) to dir. */
int allot_plan_write(const struct allot_plan *p, const char *dir);

/* Months late against need_month: max(0, completion - need); for an order
 * not complete in the horizon, max(0, horizon end - need) (a lower bound).
 * -1 when the order has no need month or nothing left to deliver. */
int allot_plan_months_late(const struct allot_plan *p, size_t order);

/* Waits, in months, from the month an order could first be produced for
 * (the later of as_of and its LOA month) to its completion.  An order not
 * complete within the horizon counts with the horizon's end (censored).
 * Orders complete before as_of, or wholly cancelled, are left out. */
struct allot_wait_stats {
	size_t orders;
	size_t censored; /* of which not complete in the horizon */
	double mean;
	double p90;      /* nearest rank */
};

struct allot_plan_stats {
	int first_year, n_years;
	int64_t *delivered_by_year;   /* units arriving in each calendar year */
	double *value_by_year;        /* their value, USD */
	int64_t produced, cancelled, blocked;
	int64_t backlog_units;        /* not delivered by the horizon's end */
	double backlog_value;
	int64_t *backlog_by_tier_month; /* (n_tiers) x horizon: units not yet
					 * delivered at the end of each month */
	size_t n_tiers;               /* policy tiers */
	struct allot_wait_stats all, by_tier[ALLOT_MAX_TIERS];
};

int allot_plan_stats(const struct allot_plan *p, struct allot_plan_stats *out);
void allot_plan_stats_free(struct allot_plan_stats *st);

/* ------------------------------------------------------------------------ */
/* The SQLite store                                                          */

struct allot_store;

/* Opens (creating if needed) a store: WAL, synchronous=FULL, foreign keys,
 * busy timeout.  diags gets a readable message on failure. */
int allot_store_open(const char *path, struct allot_store **out,
		     struct allot_diags *diags);
void allot_store_close(struct allot_store *st);
/* Replaces (or creates) the named scenario in one transaction.  On any
 * failure the store is exactly as it was. */
int allot_store_put_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s,
			     struct allot_diags *diags);
/* Reads a named scenario (NULL name: the only one, or "default"). */
int allot_store_get_scenario(struct allot_store *st, const char *name,
			     struct allot_scenario **out,
			     struct allot_diags *diags);
/* Lists scenario names; *names is a NULL-terminated array the caller frees
 * with allot_strv_free. */
int allot_store_list_scenarios(struct allot_store *st, char ***names);
void allot_strv_free(char **v);
/* Stores a plan run with its results in one transaction; *run_id receives
 * the new run's id. */
int allot_store_put_plan(struct allot_store *st, const char *scenario_name,
			 const struct allot_plan *p, int64_t *run_id,
			 struct allot_diags *diags);

/* ------------------------------------------------------------------------ */
/* Synthetic scenarios (benchmarks, tests, `allot synth`)                     */

struct allot_synth_params {
	uint64_t seed;
	size_t orders, lines, minerals, partners;
	int horizon_months;
	int events; /* also investments and embargoes: 0 for none */
};
void allot_synth_params_init(struct allot_synth_params *p); /* bench defaults */
/* Builds a reproducible random scenario: the same parameters give the same
 * scenario on every machine.  *out owns it. */
int allot_synth_scenario(const struct allot_synth_params *p,
			 struct allot_scenario **out);

/* ------------------------------------------------------------------------ */
/* Canonical number formatting (shared by every writer)                      */

/* Shortest text that reads back as the same double ("%.15g" .. "%.17g");
 * integers print without a decimal point.  buf >= 32 bytes. */
void allot_fmt_double(double v, char buf[32]);


/* ------------------------------------------------------------------------ */
/* Converters: raw public data -> scenario files (lib/convert)               */

/* The country-name mapping table (data/mappings/countries.csv: name,iso3).
 * Every conversion step joins names from different sources through it. */
struct allot_countries;
int allot_countries_load(const char *path, struct allot_countries **out,
			 struct allot_diags *diags);
void allot_countries_free(struct allot_countries *c);
/* The ISO3 code for a name (exact match, then case-insensitive), or NULL. */
const char *allot_countries_iso3(const struct allot_countries *c,
				 const char *name);

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
	int64_t delivered;   /* -1 when the cell is empty */
	int delivered_uncertain;
	char *delivery_years; /* "2017; 2018" */
	char *status, *comments;
	char *tiv_unit, *tiv_total, *tiv_delivered;
};

struct allot_sipri_register {
	struct allot_sipri_record *v;
	size_t n;
	char *source;     /* the file name given to read or parse */
	char *generated;  /* banner "Data generated: ..." value, "" if none */
	size_t rejoined;  /* records rebuilt from a line broken inside Comments */
	size_t skipped;   /* malformed lines reported and left out */
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
		      struct allot_sipri_register **out,
		      struct allot_diags *diags);
void allot_sipri_free(struct allot_sipri_register *r);

/* Which records are open orders.  An order is open when its supplier is
 * `supplier`, its year of order is known, >= order_from and before as_of
 * (loa month = January of that year, < as_of), the number ordered is known
 * and greater than the number delivered (empty delivered = 0). */
struct allot_sipri_filter {
	const char *supplier; /* default "United States" */
	int order_from;       /* default 2015 */
	allot_month as_of;    /* default 2025-01: open at end-2024 */
};
void allot_sipri_filter_init(struct allot_sipri_filter *f);
int allot_sipri_is_open(const struct allot_sipri_record *r,
			const struct allot_sipri_filter *f);
/* Writes the open orders as CSV (recipient, recipient_iso3, designation,
 * description, year_of_order, order_uncertain, qty, qty_uncertain,
 * delivered, delivered_uncertain, delivery_years, status, comments,
 * tiv_unit, tiv_total, tiv_delivered), in register order.  countries may be
 * NULL (empty iso3); unmapped recipients get an empty iso3 and one warning
 * each in diags.  *n_out receives the number of rows. */
int allot_sipri_write_open(const struct allot_sipri_register *r,
			   const struct allot_sipri_filter *f,
			   const struct allot_countries *countries, FILE *out,
			   size_t *n_out, struct allot_diags *diags);

/* Builds the bundled dataset (docs/dataset.md) from the raw public data in
 * raw_dir, the hand-typed cited tables in sources_dir and the name table in
 * mappings_dir.  On success *out is a complete scenario (write it with
 * allot_scenario_write) and *sources_md a NUL-terminated SOURCES.md text
 * (mem-allocated; free with allot_convert_free_text). */
struct allot_convert_dirs {
	const char *raw;      /* ../shared/data/raw */
	const char *sources;  /* data/sources */
	const char *mappings; /* data/mappings */
};
int allot_convert_dataset(const struct allot_convert_dirs *dirs,
			  struct allot_scenario **out, char **sources_md,
			  struct allot_diags *diags);
void allot_convert_free_text(char *text);

#ifdef __cplusplus
}
#endif
#endif
