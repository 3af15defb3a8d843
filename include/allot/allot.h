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
	/* The year each of the two figures above is from (partners.csv
	 * defense_pct_gdp_year, real_growth_3y_year; the growth's is the last
	 * year of its window): 0 not stated, ALLOT_NO_FIGURE when no figure
	 * exists and the value is a policy default. */
	int defense_year, growth_year;
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
	int not_mde; /* 1: not major defense equipment (systems.csv mde = 0);
		      * 0, the default, counts it as MDE for AECA 36(b) */
};

/* What a line's rate rests on (lines.csv rate_basis, optional). */
enum allot_rate_basis {
	ALLOT_RATE_UNSTATED = 0, /* column absent or empty: not marked */
	ALLOT_RATE_CITED,        /* a published figure */
	ALLOT_RATE_ESTIMATE      /* ours: outputs mark dates that rest on it */
};
const char *allot_rate_basis_name(enum allot_rate_basis b); /* "" when unstated */
int allot_rate_basis_parse(const char *s, enum allot_rate_basis *out); /* -1: bad */

struct allot_line {
	char *line_id;
	char *name;
	double rate_per_month; /* total output, units/month */
	double us_share;       /* 0..1 reserved for US forces */
	enum allot_rate_basis rate_basis;
};

/* How an order is supplied (orders.csv `supply`, docs/allocation.md):
 * only new production takes a US line's capacity and minerals; the others
 * are delivered on their own schedule. */
enum allot_supply_type {
	ALLOT_SUPPLY_NEW = 0, /* new production on the system's US line */
	ALLOT_SUPPLY_USED,    /* second-hand or excess defence articles */
	ALLOT_SUPPLY_LEASE,   /* leased from US stocks */
	ALLOT_SUPPLY_LICENCE, /* licence production abroad */
	ALLOT_SUPPLY_COUNT
};
const char *allot_supply_type_name(enum allot_supply_type t); /* "new", ... */
int allot_supply_type_parse(const char *s, enum allot_supply_type *out); /* "" = new */
#define ALLOT_NO_FIGURE (-1) /* partner figure years: no figure exists */

struct allot_scenario;
/* The mark that outputs append to a date resting on an estimated line rate:
 * " (estimated line rate)" when system's line has rate_basis estimate, else
 * "".  system < 0 or out of range gives "". */
const char *allot_rate_mark(const struct allot_scenario *s, int system);
#define ALLOT_RATE_MARK " (estimated line rate)"

struct allot_order {
	char *order_id;
	int partner; /* index into partners */
	int system;  /* index into systems */
	int64_t qty;
	int64_t delivered; /* delivered before as_of */
	allot_month loa_month;
	allot_month need_month;  /* ALLOT_NO_MONTH when empty */
	int64_t partner_rank;    /* -1 when empty */
	int supply;              /* enum allot_supply_type; 0 = new */
};

/* wip.csv: units of an order already in production at as_of (work in
 * progress), delivered in `month` (as_of <= month < as_of + lead_months). */
struct allot_wip {
	int order; /* index into orders */
	allot_month month;
	int64_t units;
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

/* policy.json "cases": the case process settings (docs/policy.md, which
 * cites every default; declared here because struct allot_policy holds
 * them; the functions are in the section "Case process" below).  Plain
 * data: copying the policy copies them. */
enum allot_case_category {
	ALLOT_CAT_A = 0, /* AOD group A */
	ALLOT_CAT_B,     /* AOD group B */
	ALLOT_CAT_C,     /* AOD group C */
	ALLOT_CAT_DC,    /* design and construction services */
	ALLOT_CAT_COUNT
};
/* 36(b) partner groups and value kinds. */
enum allot_notify_group { ALLOT_GROUP_NATO_PLUS = 0, ALLOT_GROUP_OTHER, ALLOT_GROUP_COUNT };
enum allot_notify_kind {
	ALLOT_NOTIFY_MDE = 0,      /* major defense equipment */
	ALLOT_NOTIFY_ARTICLES,     /* defense articles and services */
	ALLOT_NOTIFY_CONSTRUCTION, /* design and construction services */
	ALLOT_NOTIFY_KINDS
};
#define ALLOT_CASE_MAX_GATES 64  /* min_tier entries */
#define ALLOT_CASE_MAX_GROUP 32  /* nato_plus codes */
#define ALLOT_CASE_ID_MAX 64     /* system id bytes in a gate, NUL included */

struct allot_case_gate {
	char system_id[ALLOT_CASE_ID_MAX];
	int min_tier; /* requests from a worse tier are held (strategy only) */
};

/* Third-party transfer rules of one regime. */
struct allot_tpt_rules {
	double days;            /* base processing, calendar days */
	double eeum_days;       /* added for an EEUM item */
	int refuse_eeum;        /* 1: an EEUM item is refused */
	double ineligible_days; /* added for a recipient without eligibility */
	int refuse_ineligible;  /* 1: such a recipient is refused */
};

struct allot_case_policy {
	int set; /* 1 when policy.json has "cases" (then written back) */
	double processing_days[ALLOT_CAT_COUNT];
	int default_category;      /* for a request without case_category */
	double acceptance_days;    /* offer to signature */
	double catalog_shortening; /* 0..1: fraction cut for catalog systems */
	double tier_shortening[ALLOT_MAX_TIERS]; /* 0..1 per tier (strategy) */
	size_t n_tier_shortening;  /* entries given; missing tiers cut 0 */
	struct allot_case_gate gates[ALLOT_CASE_MAX_GATES];
	size_t n_gates;
	char nato_plus[ALLOT_CASE_MAX_GROUP][4]; /* besides alliance "nato" */
	size_t n_nato_plus;
	double threshold_usd[ALLOT_GROUP_COUNT][ALLOT_NOTIFY_KINDS];
	double review_days[ALLOT_GROUP_COUNT];  /* formal review period */
	double advance_days[ALLOT_GROUP_COUNT]; /* informal tiered review */
	double eeum_delinquent_days; /* a delinquent partner's EEUM request */
	int tpt_streamlined;         /* 1: the streamlined regime is in force */
	struct allot_tpt_rules tpt[2]; /* [0] standard, [1] streamlined */
};

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
	/* reserve.tier_weights: value of a unit delivered to tier i+1 (allot
	 * reserve, docs/reserve.md); n_tier_weights 0 = the default
	 * (tiers, tiers-1, ..., 1: 3, 2, 1 for three tiers). */
	double tier_weight[ALLOT_MAX_TIERS];
	size_t n_tier_weights;
	/* "cases": the case process (allot pipeline, allot catalog). */
	struct allot_case_policy cases;
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
	/* The case process (docs/case-process.md): requests.csv, transfers.csv. */
	struct allot_request *requests; size_t n_requests;
	struct allot_transfer *transfers; size_t n_transfers;
	/* Work in progress at as_of (wip.csv, docs/allocation.md). */
	struct allot_wip *wip;          size_t n_wip;

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
	ALLOT_FILE_REQUESTS,
	ALLOT_FILE_TRANSFERS,
	ALLOT_FILE_WIP,
};

void allot_scenario_free(struct allot_scenario *s);

/* ------------------------------------------------------------------------ */
/* Ranges of numeric inputs (docs/limits.md): one table that the loader, the
 * store, the server's edits and sweep draws all use, chosen so that every
 * scenario within them plans without overflow and scores without NaN. */
enum allot_range_id {
	ALLOT_RANGE_RATE,       /* units/month: line rates, capacity events, added_rate */
	ALLOT_RANGE_SHARE,      /* us_share: a fraction */
	ALLOT_RANGE_KG,         /* kg: stock, supply per month, bill of materials */
	ALLOT_RANGE_QTY,        /* units of an order, request or transfer; partner_rank */
	ALLOT_RANGE_UNIT_COST,  /* USD per unit of a system */
	ALLOT_RANGE_USD,        /* other money: investments, budget caps, partners' USD */
	ALLOT_RANGE_VALUE,      /* a request's value_usd (up to qty x unit cost) */
	ALLOT_RANGE_PRICE,      /* USD per kg of a mineral */
	ALLOT_RANGE_PCT_GDP,    /* defense_pct_gdp */
	ALLOT_RANGE_GROWTH,     /* real_growth_3y_pct */
	ALLOT_RANGE_TROOPS,     /* us_troops */
	ALLOT_RANGE_WEIGHT,     /* policy weights and factors, weight events */
	ALLOT_RANGE_REF,        /* policy references (> 0): target_pct, ref_usd, ... */
	ALLOT_RANGE_POINTS,     /* score points: penalties, tier thresholds */
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
/* Sums that the per-value ranges do not bound. */
#define ALLOT_MAX_TOTAL_QTY 1e15     /* open units over all orders */
#define ALLOT_MIN_YEAR 1900          /* as_of ... */
#define ALLOT_MAX_YEAR 9999          /* ... and the horizon's last month */
/* Checks every numeric value of s against the table, and the sums: the
 * open units of all orders at most ALLOT_MAX_TOTAL_QTY; as_of from
 * ALLOT_MIN_YEAR and the horizon ending by ALLOT_MAX_YEAR-12; the policy's
 * weights not all zero, nor made all zero by weight events.  Messages name
 * file, the table, the row and the column.  ALLOT_EINPUT when any fails. */
int allot_scenario_check_ranges(const struct allot_scenario *s, const char *file,
				struct allot_diags *diags);
/* Lookups by key; -1 when absent.  Linear or hashed, callers need not care. */
int allot_scenario_find_partner(const struct allot_scenario *s, const char *iso3);
int allot_scenario_find_system(const struct allot_scenario *s, const char *id);
int allot_scenario_find_line(const struct allot_scenario *s, const char *id);
int allot_scenario_find_mineral(const struct allot_scenario *s, const char *id);
int allot_scenario_find_order(const struct allot_scenario *s, const char *id);

/* Lookups as a user types them (lib/lookup.c): an id, a name, or a unique
 * prefix of either, in any case ("POL", "Poland", "pol", "himars").  Levels,
 * the first with any match deciding: exact id; id or name ignoring case; a
 * prefix of id or name; a prefix of a word of the name.  One match resolves
 * (index, ALLOT_OK); several are ambiguous and none is a miss (ALLOT_ENOTFOUND,
 * with matches or the nearest ids by edit distance in suggest). */
enum allot_kind {
	ALLOT_KIND_PARTNER = 0,
	ALLOT_KIND_SYSTEM,
	ALLOT_KIND_LINE,
	ALLOT_KIND_MINERAL,
	ALLOT_KIND_ORDER,
	ALLOT_KIND_COUNT
};
#define ALLOT_LOOKUP_MAX 5
struct allot_lookup {
	int index;                        /* the match, or -1 */
	int n_matches;                    /* at the deciding level (may exceed MAX) */
	int matches[ALLOT_LOOKUP_MAX];    /* the first of them */
	size_t n_suggest;                 /* on a miss: nearest first */
	int suggest[ALLOT_LOOKUP_MAX];
};
const char *allot_kind_name(enum allot_kind k);  /* "partner" ... */
const char *allot_kind_id(const struct allot_scenario *s, enum allot_kind k, size_t i);
const char *allot_kind_label(const struct allot_scenario *s, enum allot_kind k,
			     size_t i); /* the name ("" for orders) */
int allot_lookup(const struct allot_scenario *s, enum allot_kind k, const char *text,
		 struct allot_lookup *out);
/* The index, or -1 with a one-line message in msg: "no partner 'PLO' in the
 * scenario; did you mean POL (Poland)?" or "'Po' matches 2 partners: POL
 * (Poland) or PRT (Portugal); give more of the id or name". */
int allot_lookup_msg(const struct allot_scenario *s, enum allot_kind k, const char *text,
		     char *msg, size_t size);

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

/* One production grant: units of an order produced in a month.  Units that
 * take no line capacity (work in progress, an order not supplied new) are
 * rows too, at month = their delivery month - lead_months, which may be
 * before as_of (negative); allot_alloc_supply tells which kind a row is. */
struct allot_alloc {
	int32_t order;
	int32_t month;  /* relative month: 0 = as_of */
	int64_t units;
};

/* What an allocation row is: "new" (line production), "wip", or the
 * order's supply type ("used", "lease", "licence"). */
const char *allot_alloc_supply(const struct allot_scenario *s, const struct allot_alloc *a);
/* 1 when the row took its line's capacity (new production in the plan). */
int allot_alloc_on_line(const struct allot_scenario *s, const struct allot_alloc *a);
/* 1 when the scenario has work in progress or an order not supplied new:
 * the plan's files then carry the supply columns (docs/planner.md). */
int allot_scenario_has_offline(const struct allot_scenario *s);

struct allot_order_result {
	int64_t produced;        /* units produced on the line within the horizon */
	int64_t delivered_in_h;  /* units delivered within the horizon (all kinds) */
	int64_t cancelled;       /* units cut by budget caps */
	int64_t blocked;         /* units waiting on an EEUM block at the end */
	allot_month first_delivery; /* ALLOT_NO_MONTH when none */
	allot_month completion;  /* absolute month or ALLOT_NO_MONTH */
	int64_t short_units;     /* qty - delivered - delivered_in_h - cancelled */
	int tier0;               /* partner's tier at month 0 */
};

/* An order's units that take no line capacity (docs/allocation.md). */
struct allot_offline_result {
	int64_t wip;   /* units of wip.csv (in production at as_of) */
	int64_t units; /* every off-line unit: wip, and every open unit of an
			* order not supplied new */
	int64_t in_h;  /* of which delivered within the horizon */
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
	/* Per order: units off the line (allot_plan_offline); NULL when the
	 * scenario has none, so plans without them take no memory for it. */
	struct allot_offline_result *offline;
	/* With options.trace_order >= 0: that order, month by month. */
	struct allot_trace *trace;
};

/* Plans a scenario.  *out owns the result (allot_plan_free). */
int allot_plan_run(const struct allot_scenario *s,
		   const struct allot_plan_options *o, struct allot_plan **out);
void allot_plan_free(struct allot_plan *p);

/* Order `order`'s off-line units (all zero when the plan has none). */
struct allot_offline_result allot_plan_offline(const struct allot_plan *p, size_t order);

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
/* Opens a store that exists already: ALLOT_ENOTFOUND, with no diagnostic,
 * when path does not exist (the caller words it). */
int allot_store_open_existing(const char *path, struct allot_store **out,
			      struct allot_diags *diags);
void allot_store_close(struct allot_store *st);
/* Replaces (or creates) the named scenario in one transaction.  On any
 * failure the store is exactly as it was. */
int allot_store_put_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s,
			     struct allot_diags *diags);
/* Adds the named scenario in one write transaction, only when the store
 * has none of that name: the check is made inside the transaction, so of
 * two concurrent adds of one name exactly one succeeds.  When the name is
 * taken: ALLOT_EINPUT, *exists = 1, no diagnostic, nothing written. */
int allot_store_add_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s, int *exists,
			     struct allot_diags *diags);
/* `allot import`: stores s as name in the store at path, creating the
 * store when it does not exist.  A new store is built beside path under a
 * private temporary name and appears at path, complete, by link(2) (which
 * fails when path exists); so path is never an empty or half-written store,
 * a failure (a full disk) leaves nothing behind, and nothing this function
 * does can remove a store another process has written.  When path appears
 * meanwhile, the scenario goes into that store instead.  Without replace,
 * a taken name is ALLOT_EINPUT with *exists = 1 (no diagnostic).  *created
 * is 1 when this call created the store. */
int allot_store_import(const char *path, const char *name,
		       const struct allot_scenario *s, int replace, int *exists,
		       int *created, struct allot_diags *diags);
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
/* An integer with thousands separators: -2539000 -> "-2,539,000".  Returns
 * buf (>= 32 bytes). */
const char *allot_fmt_grouped(int64_t v, char buf[32]);


/* ------------------------------------------------------------------------ */
/* One visual language (lib/style.c): shared by the CLI, report, dashboard   */
/* and workbooks                                                              */

#define ALLOT_SYM_UNKNOWN "unknown"     /* the data lacks the value */
#define ALLOT_SYM_NA "n/a"              /* the figure does not apply */
#define ALLOT_SYM_WHOLE_HORIZON "whole horizon" /* lasts past the horizon */
#define ALLOT_STYLE_USD_MAX 32
#define ALLOT_STYLE_MONTH_MAX 16
/* Money: "USD 12.0 billion", "USD 950.3 million", "USD 0.76 million" (from
 * USD 100,000), "USD 12,345" (below), 
 * "USD 1,234.5 billion", "USD 0"; never an ungrouped integer. */
const char *allot_style_usd(double v, char buf[ALLOT_STYLE_USD_MAX]);
/* Counts with thousands separators: "10,357". */
const char *allot_style_count(int64_t v, char buf[32]);
/* A month "YYYY-MM"; ALLOT_NO_MONTH or a month past last (the horizon's
 * last month) is "after YYYY-MM" (never within the horizon); with no last
 * either, "unknown". */
const char *allot_style_month(allot_month m, allot_month last,
			      char buf[ALLOT_STYLE_MONTH_MAX]);
const char *allot_style_tier_color(int tier);              /* "#0072b2" */
const char *allot_style_criterion_color(enum allot_criterion c);
const char *allot_style_policy_color(enum allot_policy_kind k);
/* The colours and symbols as one JSON object for the report and the
 * dashboard (caller frees with free()); NULL when out of memory. */
char *allot_style_json(void);

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
 * and greater than the number delivered before as_of
 * (allot_sipri_delivered_before; empty delivered = 0). */
struct allot_sipri_filter {
	const char *supplier; /* default "United States" */
	int order_from;       /* default 2015 */
	allot_month as_of;    /* default 2025-01: open at end-2024 */
};
void allot_sipri_filter_init(struct allot_sipri_filter *f);
int allot_sipri_is_open(const struct allot_sipri_record *r,
			const struct allot_sipri_filter *f);
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
/* Units delivered before month m under that rule: the listed years that
 * end before m (year Y counts when (Y + 1) * 12 <= m). */
int64_t allot_sipri_delivered_before(const struct allot_sipri_record *r,
				     allot_month m);
/* How a record is supplied, from its status and Comments (the rule is in
 * docs/dataset.md, "Supply type"): lease, else used (second-hand, EDA),
 * else licence (licence production or assembly abroad), else new. */
enum allot_supply_type allot_sipri_supply_type(const struct allot_sipri_record *r);
/* Work in progress at as_of for the scenario's orders supplied new
 * (docs/dataset.md, "Work in progress"): replaces s->wip. */
int allot_derive_wip(struct allot_scenario *s);
/* How long the supplier's records of one supply type took, from the
 * deliveries the register records (docs/dataset.md, "Off-line
 * schedules"): of the records ordered in [from, to] with delivery years,
 * the (lower) median years from the order to the first delivery, and of
 * those delivered in full, the median years from the first delivery to the
 * last, inclusive.  records = 0 when there are none (then lag and span are
 * 0); complete = 0 leaves span_years 1. */
struct allot_supply_timing {
	size_t records, complete;
	int lag_years, span_years;
};
int allot_sipri_supply_timing(const struct allot_sipri_register *reg, const char *supplier,
			      enum allot_supply_type type, int from, int to,
			      struct allot_supply_timing *out);
/* Appends wip.csv rows stating when each order not supplied new arrives:
 * its open units from max(loa_month + 12 x lag, as_of), spread evenly over
 * 12 x span months (timing indexed by supply type; a type with no records
 * gets no rows and keeps the planner's rule). */
int allot_schedule_offline(struct allot_scenario *s,
			   const struct allot_supply_timing timing[ALLOT_SUPPLY_COUNT]);
/* Writes the open orders as CSV (recipient, recipient_iso3, designation,
 * description, year_of_order, order_uncertain, qty, qty_uncertain,
 * delivered (before as_of), delivered_uncertain, delivery_years, status, comments,
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
	const char *raw;      /* data/raw */
	const char *sources;  /* data/sources */
	const char *mappings; /* data/mappings */
};
int allot_convert_dataset(const struct allot_convert_dirs *dirs,
			  struct allot_scenario **out, char **sources_md,
			  struct allot_diags *diags);
/* The same dataset as it stood at as_of (a January, at most 2025-01), for
 * a backtest (docs/backtest.md): orders placed from as_of - 10 years and
 * not fully delivered before as_of, line rates estimated from SIPRI
 * deliveries of the five years before as_of or cited with a rate_date
 * before it, events and requests dated before it.  allot_convert_dataset
 * is this with 2025-01, where every cited figure counts as known. */
int allot_convert_dataset_as_of(const struct allot_convert_dirs *dirs,
				allot_month as_of, struct allot_scenario **out,
				char **sources_md, struct allot_diags *diags);
/* critical_minerals.csv of the dataset (docs/reserve.md, "The economy's
 * scale"): every mineral of the 2025 critical-minerals list from
 * data/sources/critical_minerals.csv and the USGS tables; s (the dataset
 * built above) gives the stock of the minerals it has.  *csv_out is the
 * file, *md_out the section to append to SOURCES.md (both mem-allocated;
 * free with allot_convert_free_text). */
int allot_convert_critical_minerals(const struct allot_convert_dirs *dirs,
				   const struct allot_scenario *s, char **csv_out,
				   char **md_out, struct allot_diags *diags);
void allot_convert_free_text(char *text);

/* ------------------------------------------------------------------------ */
/* Backtest: the model against what SIPRI recorded (docs/backtest.md)        */

#define ALLOT_BACKTEST_TOP 20 /* systems with most recorded units */

struct allot_backtest_options {
	allot_month as_of; /* a January; default 2020-01 */
	int year_to;       /* last year compared; default 2024 (the register's) */
};
void allot_backtest_options_init(struct allot_backtest_options *o);

/* One order of the book at as_of. */
struct allot_backtest_order {
	char *order_id, *system_id;
	char iso3[4];
	int64_t open_units;   /* qty - delivered before as_of */
	int completed;        /* SIPRI: every unit delivered by year_to */
	int actual_year;      /* last listed delivery year; -1 if not completed */
	int planned_year;     /* planned completion year; -1 beyond the horizon */
	int error_years;      /* planned - actual (completed orders); a plan
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

struct allot_backtest {
	allot_month as_of;
	int year_from, year_to, n_years;
	size_t n_orders, n_completed, n_within;
	double share_within;  /* n_within / n_completed (0 when none) */
	double mae_years;     /* mean |planned - actual| over completed orders */
	double bias_years;    /* mean planned - actual */
	struct allot_backtest_order *orders;
	/* Systems by recorded units (descending, then id); partners by
	 * abs_error_years (descending, then id): the worst first. */
	struct allot_backtest_group *systems; size_t n_systems;
	struct allot_backtest_group *partners; size_t n_partners;
	size_t n_top;              /* systems in the top group (<= 20) */
	size_t n_top_cells, n_top_cells_within; /* (system, year) cells */
	size_t n_top_totals_within; /* top systems whose total is within +-25 % */
	char *notes;               /* the as-of dataset's notes */
};

/* Builds the dataset as of o->as_of (allot_convert_dataset_as_of), plans
 * it first come, first served, and compares with the register. */
int allot_backtest_run(const struct allot_convert_dirs *dirs,
		       const struct allot_backtest_options *o,
		       struct allot_backtest **out, struct allot_diags *diags);
/* The comparison alone: s planned as p (fcfs), each order's register
 * record order_record[i] of reg; deliveries compared as_of year..year_to. */
int allot_backtest_compare(const struct allot_plan *p,
			   const struct allot_sipri_register *reg,
			   const size_t *order_record, int year_to,
			   struct allot_backtest **out);
void allot_backtest_free(struct allot_backtest *b);
/* backtest_orders.csv, backtest_systems.csv (one row per system and year),
 * backtest_partners.csv and backtest_summary.csv into dir. */
int allot_backtest_write(const struct allot_backtest *b, const char *dir);
int allot_backtest_write_json(const struct allot_backtest *b, FILE *out);

/* ------------------------------------------------------------------------ */
/* Answers: compare, metrics, quote, diff, explain (lib/answers)             */
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
	int64_t cancelled[2]; /* units cancelled by budget caps */
	double open_value;    /* units open at as_of x unit cost: the weight
			       * of its wait in the value-weighted mean */
	double value_by_year[2]; /* USD value of by_year */
	int wait[2];          /* months from max(as_of, LOA) to completion, the
			       * horizon's end when not complete (censored) */
	allot_month completion[2];
	int64_t by_year[2];   /* units arriving from as_of to December of year */
};

/* One group (a partner, tier, region or system) under both plans; index 0
 * is policy[0] ("before"), 1 is policy[1] ("after"). */
struct allot_compare_group {
	char *key;            /* owned */
	char *label;          /* owned: partner/system name, "tier 1", region */
	size_t orders;        /* counted orders */
	size_t censored[2];   /* of which not complete in the horizon */
	double mean_wait[2];  /* mean of wait over counted orders (0 if none) */
	double delta_wait;    /* mean_wait[1] - mean_wait[0]: < 0 gains */
	int64_t by_year[2];   /* units arriving by the end of `year` */
	int64_t delta_units;  /* by_year[1] - by_year[0] */
	size_t earlier, later;   /* counted orders completing earlier / later */
	/* Value: USD delivered by the end of `year`, and the mean wait over
	 * counted orders weighted by open_value (NaN when no counted order
	 * has a unit cost); gainers are ranked by value_months when the
	 * group has value, else by delta_wait (docs/answers.md). */
	double value_by_year[2];
	double delta_value;
	double vwait[2];
	double delta_vwait;
	double weight;           /* sum of open_value over counted orders */
	double value_months;     /* sum of open_value x (wait[1] - wait[0]) over
				  * counted orders: USD-months of waiting
				  * saved (< 0) or added; the gain ranking */
	/* Cancellations, their own outcome (never a shift in months). */
	size_t cut, restored;    /* orders cut more / less under [1] */
	int64_t cancelled[2];    /* units cancelled by budget caps */
	double cancelled_value[2];
	/* mean |wait[1] - wait[0]| over the counted orders complete in at least
	 * one plan (a missing completion at the horizon's end): exactly allot
	 * diff's mean absolute change, one definition (issue 17). */
	double mean_abs_shift;
	size_t shift_orders;     /* its denominator */
};

struct allot_compare {
	enum allot_policy_kind policy[2];
	allot_month switch_month; /* as planned (ALLOT_NO_MONTH: none) */
	int year;
	struct allot_plan *plan[2];   /* owned; reuse them (report) */
	struct allot_compare_order *orders; /* n_orders of the scenario */
	/* Per grouping.  Partners and regions are sorted by delta_wait
	 * ascending (who gains first), then delta_units descending, then key;
	 * tiers by tier; systems by mean_abs_shift descending (the queues that
	 * change most), then key.  Groups with no counted order and no units
	 * in either plan are left out. */
	struct allot_compare_group *groups[ALLOT_BY_COUNT];
	size_t n_groups[ALLOT_BY_COUNT];
	struct allot_compare_group all; /* every counted order */
};

/* Plans s under both policies and compares them.  *out owns the plans
 * (which borrow s: keep s alive) and is freed with allot_compare_free. */
int allot_compare_run(const struct allot_scenario *s,
		      const struct allot_compare_options *o,
		      struct allot_compare **out);
/* The same figures for two scenarios with the same orders (allot whatif:
 * a base and the base with changes): plans `before` under policy[0] and
 * `after` under policy[1].  Groups are keyed by `before`'s partners and
 * systems.  ALLOT_EINPUT when the order counts differ.  *out borrows both
 * scenarios (keep them alive). */
int allot_compare_scenarios(const struct allot_scenario *before,
			    const struct allot_scenario *after,
			    const struct allot_compare_options *o,
			    struct allot_compare **out);
void allot_compare_free(struct allot_compare *c);

/* --- metrics: the quarterly performance figures ------------------------- */

/* Quarters are integers: year * 4 + (quarter - 1); "2025-Q1". */
typedef int32_t allot_quarter;
static inline allot_quarter allot_quarter_of(allot_month m) { return m / 3; }
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
	int tier;                 /* 0 = every tier */
	size_t loas;              /* orders with loa_month in the quarter */
	int64_t loa_units;        /* their qty */
	double loa_value_usd;     /* their qty x unit_cost_usd */
	enum allot_coverage coverage; /* of the delivery figures below */
	int64_t units_delivered;  /* plan units with delivery month in it */
	double value_delivered_usd;
	int backlog_known;        /* 0 for quarters ending before as_of */
	int64_t backlog_units;    /* at quarter end: signed, open, not arrived */
	double backlog_value_usd;
	size_t open_cases;        /* orders with units in that backlog */
	double median_age_months; /* of open cases (months since LOA); -1 none */
	int64_t need_units;       /* units delivered in it, orders with a need */
	int64_t on_time_units;    /* ... of which on or before the need month */
	size_t need_orders;       /* orders completing in it with a need month */
	size_t on_time_orders;    /* ... of which completing on or before it */
	/* The case process (requests.csv, docs/case-process.md): */
	size_t requests_received; /* requests with lor_month in the quarter */
	size_t loas_offered;      /* requests not held whose estimated LOA
				   * month (under the plan's policy) is in it */
};

struct allot_metrics {
	allot_quarter first;  /* first quarter: earliest LOA or as_of */
	size_t n_quarters;    /* through the quarter of the horizon's last month */
	size_t n_tiers;       /* policy tiers; rows have n_tiers + 1 per quarter */
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
	allot_month loa;          /* ALLOT_NO_MONTH: as_of */
	allot_month need;         /* ALLOT_NO_MONTH: none */
	const char *order_id;     /* NULL: "QUOTE-1" (QUOTE-2 ... if taken) */
	enum allot_policy_kind policy;
	allot_month switch_month; /* ALLOT_NO_MONTH: the scenario's */
};
void allot_quote_request_init(struct allot_quote_request *r);

struct allot_quote_delivery {
	allot_month month;        /* delivery month */
	int64_t units;
};

/* An existing order whose outcome the new order changes. */
struct allot_quote_impact {
	int32_t order;            /* index into the scenario's orders */
	allot_month before, after; /* completion without / with (or NO_MONTH) */
	int months;               /* after - before; a missing completion counts
				   * as the horizon's end (see censored) */
	int censored;             /* 1 when either completion is missing */
	int64_t short_before, short_after; /* units short at the horizon end */
};

struct allot_quote {
	char *order_id;           /* owned: the id the new order got */
	struct allot_order order; /* the new order (order_id borrowed from above) */
	struct allot_quote_delivery *deliveries; size_t n_deliveries;
	allot_month first, completion; /* first / last delivery (or NO_MONTH) */
	int64_t units_short;      /* of the new order at the horizon end */
	int64_t units_blocked, units_cancelled;
	/* Existing orders that complete later or end shorter with the new
	 * order, most months first, then order id.  Orders helped (possible
	 * under budget caps) are listed too, with months < 0. */
	struct allot_quote_impact *impacts; size_t n_impacts;
};

/* Plans s without and with the requested order (s is not changed).
 * ALLOT_ENOTFOUND (with a diag) for an unknown partner or system,
 * ALLOT_EINPUT for qty < 1 or a given order_id that exists. */
int allot_quote_run(const struct allot_scenario *s,
		    const struct allot_quote_request *r, struct allot_quote **out,
		    struct allot_diags *diags);
void allot_quote_free(struct allot_quote *q);
/* Adds one order (an order of s, with its partner and system) to the named
 * stored scenario in one transaction, keeping its plan runs.  The order's
 * id must be new in the store (else ALLOT_EINPUT).  lib/store/store_order.c */
int allot_store_add_order(struct allot_store *st, const char *scenario_name,
			  const struct allot_scenario *s, const struct allot_order *o,
			  struct allot_diags *diags);

/* --- diff: schedule stability between two plans ------------------------- */

/* The per-order outcome of one plan, as read back from a store or from
 * orders_out.csv. */
struct allot_run_orders {
	char *label;          /* "run 3 (priority)", the directory ... */
	allot_month end;      /* as_of + horizon_months; NO_MONTH if unknown */
	char **order_id;      /* n, owned */
	allot_month *completion; /* n; NO_MONTH: not complete in the horizon */
	int64_t *units_short; /* n */
	int64_t *cancelled;   /* n: units cut by budget caps; NULL when the
			       * source does not say (an orders_out.csv
			       * without cancelled_units) */
	size_t n;
};
void allot_run_orders_free(struct allot_run_orders *r);
/* Reads orders_out.csv (docs/planner.md) of `allot plan --out`. */
int allot_run_orders_read_csv(const char *path, struct allot_run_orders **out,
			      struct allot_diags *diags);
/* Reads a stored plan run's order results (lib/store/store_runs.c). */
int allot_store_get_run_orders(struct allot_store *st, int64_t run_id,
			       struct allot_run_orders **out,
			       struct allot_diags *diags);

struct allot_diff_row {
	const char *order_id;  /* borrowed from a */
	allot_month a, b;      /* completion months (or NO_MONTH) */
	int delta;             /* b - a in months, missing ones at `end` */
	int counted;           /* 1 when in the stability figures */
	int64_t cancelled_a, cancelled_b; /* units cut by budget caps (0 when
					   * unknown) */
	int cut;               /* 1: b cuts more units than a, -1 fewer; such
				* an order is its own outcome, not a move in
				* months, and not counted */
};

struct allot_diff {
	allot_month end;       /* horizon end used for missing completions */
	struct allot_diff_row *rows; /* orders in both, sorted |delta| desc, id */
	size_t n_rows;
	size_t both_complete, only_a, only_b, neither; /* completion in ... */
	size_t missing_in_a, missing_in_b; /* order ids in one run only */
	size_t counted;        /* orders in the figures */
	double mean_abs_change; /* mean |delta| over counted orders */
	size_t moved_over_6;   /* counted orders with |delta| > 6 */
	double share_over_6;   /* moved_over_6 / counted (0 when none) */
	size_t earlier, later; /* counted orders with delta < 0 / > 0 */
	size_t cut, restored;  /* orders b cuts more / less than a */
	int64_t cut_units;     /* sum over rows of cancelled_b - cancelled_a */
};

/* Compares two plans' completions order by order (matching order ids).
 * A completion missing in one plan counts as `end` (the horizon's end:
 * a's, else b's; with both unknown such orders are not counted).  Orders
 * complete in neither plan are counted in `neither` only.  Rows borrow
 * from a. */
int allot_diff_run(const struct allot_run_orders *a,
		   const struct allot_run_orders *b, struct allot_diff **out);
void allot_diff_free(struct allot_diff *d);

/* --- orderbook: the order book with both policies (`allot orders`) ----- */
/* lib/answers/orderbook.c */

/* Which orders to keep; empty lists and zero fields keep everything. */
struct allot_order_filter {
	const int *partners; size_t n_partners; /* partner indices */
	const int *systems; size_t n_systems;   /* system indices */
	const int *lines; size_t n_lines;       /* the system's line */
	int tier;            /* the partner's tier at month 0; 0 = any */
	const char *region;  /* the partner's region, ignoring case; NULL = any */
	int late;            /* 1: only orders late against need_month under
			      * either policy (months_late > 0) */
};

struct allot_orderbook_row {
	size_t order;          /* index into the scenario's orders */
	int tier;              /* partner's tier at month 0 */
	int64_t left;          /* qty - delivered before as_of */
	/* [0] fcfs throughout, [1] priority from the switch month: */
	allot_month completion[2]; /* ALLOT_NO_MONTH: not complete in the horizon */
	int64_t short_units[2];    /* units not delivered by the horizon's end */
	int late[2];               /* allot_plan_months_late (-1: no need month) */
	int shift_known;       /* 0 when complete under neither policy */
	int shift;             /* priority - fcfs completion in months, a missing
				* one at the horizon's end (as allot diff) */
};

struct allot_orderbook {
	allot_month horizon_end; /* as_of + horizon_months (first month after) */
	allot_month switch_month;
	size_t n_total;          /* orders in the scenario */
	struct allot_orderbook_row *rows; size_t n_rows; /* kept, scenario order */
};

/* Plans s under fcfs and under priority (switch_month, or the scenario's
 * when ALLOT_NO_MONTH) and keeps the orders f lets through (NULL: all). */
int allot_orderbook_run(const struct allot_scenario *s, allot_month switch_month,
			const struct allot_order_filter *f, struct allot_orderbook **out);
void allot_orderbook_free(struct allot_orderbook *b);

/* One partner's deliveries under a plan (lib/answers/deliveries.c): units
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
	allot_month from, to;   /* production months, inclusive */
	enum allot_limit limit;
	int mineral;            /* the binding mineral (ALLOT_LIMIT_MINERAL), else -1 */
	int64_t wanted;         /* units still wanted when the span began */
	int64_t got;            /* units made for it over the span */
	int64_t line_capacity;  /* its line's F(t), summed over the span */
	int64_t cancelled;      /* units a budget cap cut as the span began */
	int tier;               /* its partner's tier and score in force */
	double score;
	int priority_keys;      /* 1 when months walked in priority order */
	/* Orders served before it on its line (line or mineral limit, or it
	 * got all it wanted), units summed over the span, in walk order. */
	struct allot_trace_ahead *ahead; size_t n_ahead;
};

struct allot_explain {
	int32_t order;
	struct allot_plan *plan;  /* owned: the traced plan (borrows s) */
	struct allot_explain_span *spans; size_t n_spans;
};

/* Plans s with options o, tracing order `order`, and collapses its months
 * into spans.  *out is freed with allot_explain_free (keep s alive). */
int allot_explain_run(const struct allot_scenario *s, const struct allot_plan_options *o,
		      int32_t order, struct allot_explain **out);
void allot_explain_free(struct allot_explain *e);

/* ------------------------------------------------------------------------ */
/* What-if changes: one grammar for every command, the API and storylines    */
/* (lib/whatif; docs/whatif.md)                                              */

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
	char who[ALLOT_CHANGE_TEXT_MAX];  /* ISO3, LINE, SOURCE or CRITERION */
	char what[ALLOT_CHANGE_TEXT_MAX]; /* invest: LINE; embargo: MINERAL
					   * ("" every); status: STATUS */
	double amount;      /* cap: AMOUNT (in currency); invest: USD; share;
			     * rate; weight */
	char currency[4];   /* cap: "USD" unless given */
	double rate;        /* invest: units/month added */
	allot_month month;  /* @: ALLOT_NO_MONTH when not given (embargo,
			     * weight: from as_of) */
	int months;         /* +MONTHS; 0 when not given */
	int col_who, col_what, col_amount, col_currency, col_month; /* 1-based */
	/* Filled by allot_changes_apply: */
	char id[64];        /* who resolved: iso3, line_id, source, criterion */
	char id2[64];       /* invest: line_id; embargo: mineral_id ("" every) */
	double usd;         /* cap and invest: the amount in USD */
	double usd_per_unit; /* cap: the exchange rate used (1 for USD) */
	double share_after; /* us-share with +MONTHS: the share restored */
};

/* A positioned error in a change's text. */
struct allot_change_error {
	int col;        /* 1-based character in the text; 0: the whole change */
	char msg[256];  /* "expected ..., found ..." */
};

/* Parses the value of one flag (the text after "--cap ").  On bad text
 * returns ALLOT_EINPUT and fills *err.  Needs no scenario. */
int allot_change_parse(enum allot_change_kind kind, const char *text,
		       struct allot_change *out, struct allot_change_error *err);
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
int allot_changes_apply(const struct allot_scenario *base,
			struct allot_change *v, size_t n,
			const struct allot_fx *fx, struct allot_scenario **out,
			size_t *bad, struct allot_change_error *err);
void allot_changed_free(struct allot_scenario *s);
/* Resolves one parsed --embargo against s into an embargo row (its source
 * points into s): start as_of when not given; without +MONTHS, lasting
 * default_months (0: to the horizon).  ALLOT_EINPUT with *err for an
 * unknown source or mineral.  allot minerals, reserve and report use it. */
int allot_change_embargo(const struct allot_scenario *s, struct allot_change *c,
			 int default_months, struct allot_embargo *out,
			 struct allot_change_error *err);

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
/* The storylines under root (folders with a README.md), sorted; *names is
 * NULL-terminated, freed with allot_strv_free. */
int allot_storylines_list(const char *root, char ***names, size_t *n);


/* ------------------------------------------------------------------------ */
/* Sweeps: Monte Carlo over a scenario (lib/sweep, docs/scaling.md)          */

/* What one `--vary SPEC` varies.  The grammar is in docs/scaling.md:
 *   weights:dirichlet=A   policy weights ~ Dirichlet(A * w / sum w)
 *   rates:X%              each line's rate (and its capacity events) x U(1-X, 1+X)
 *   supply:X%             each supply row's g/month x U(1-X, 1+X)
 *   caps:X%               each budget_cap event's value x U(1-X, 1+X)
 *   embargo:SOURCE:start=YYYY-MM..YYYY-MM,months=M..N[,mineral=ID]
 *                         one more embargo, start and length uniform */
enum allot_vary_kind {
	ALLOT_VARY_WEIGHTS = 0,
	ALLOT_VARY_RATES,
	ALLOT_VARY_SUPPLY,
	ALLOT_VARY_CAPS,
	ALLOT_VARY_EMBARGO,
};

#define ALLOT_VARY_NAME_MAX 64

struct allot_vary {
	enum allot_vary_kind kind;
	double concentration; /* weights: A > 0 */
	double spread;        /* rates, supply, caps: 0.1 for 10% (0..1) */
	char source[ALLOT_VARY_NAME_MAX];  /* embargo: a supply source */
	char mineral[ALLOT_VARY_NAME_MAX]; /* embargo: a mineral id, "*" = all */
	allot_month start_lo, start_hi;    /* embargo: first month, inclusive */
	int months_lo, months_hi;          /* embargo: length in months, >= 1 */
};

/* Parses one SPEC.  On bad text returns ALLOT_EINPUT with one diagnostic
 * "--vary SPEC: expected X, found Y" in diags. */
int allot_vary_parse(const char *spec, struct allot_vary *out,
		     struct allot_diags *diags);
/* Checks a parsed SPEC against a scenario (the embargo's source and
 * mineral exist); ALLOT_EINPUT with a diagnostic when not. */
int allot_vary_check(const struct allot_vary *v, const struct allot_scenario *s,
		     struct allot_diags *diags);
/* How many rows of the scenario the SPEC varies (criteria with a weight,
 * lines, supply rows, budget_cap events; 1 for an embargo). */
size_t allot_vary_targets(const struct allot_vary *v, const struct allot_scenario *s);
/* The canonical text of a SPEC ("rates:10%"); buf of at least 256 bytes. */
void allot_vary_format(const struct allot_vary *v, char *buf, size_t size);

struct allot_sweep_options {
	struct allot_plan_options plan; /* policy and switch (allocations unused) */
	uint64_t seed;
	size_t runs;                    /* runs of the whole sweep */
	const struct allot_vary *vary;  /* borrowed */
	size_t n_vary;
	int threads;                    /* 0: every online core */
	/* This process plans runs first, first + step, ... (MPI rank, ranks);
	 * the default 0, 1 plans them all. */
	size_t first, step;
	/* Called from the calling thread about every 200 ms while runs go on. */
	void (*progress)(size_t done, size_t total, void *arg);
	void *progress_arg;
};
void allot_sweep_options_init(struct allot_sweep_options *o);

/* Run i draws from its own generator, seeded from (seed, i), so a run's
 * inputs and plan do not depend on which thread or process plans it. */

/* Marks in allot_sweep_samples.completion besides a relative month. */
#define ALLOT_SWEEP_NONE (-1)                 /* no units open at as_of */
#define ALLOT_SWEEP_AFTER INT16_MAX           /* not complete in the horizon */
#define ALLOT_SWEEP_CANCELLED (INT16_MAX - 1) /* every open unit cut by caps */

/* What each run leaves behind, one row per run (row-major, run i at
 * i * n_orders and i * n_partners): the summary is computed from this. */
struct allot_sweep_samples {
	size_t runs, n_orders, n_partners;
	int16_t *completion; /* relative completion month or a mark above */
	uint8_t *tier;       /* the partner's tier at month 0 */
	double *wait;        /* the partner's mean wait (months); NaN: no orders */
};
int allot_sweep_samples_alloc(struct allot_sweep_samples *sm,
			      const struct allot_scenario *s, size_t runs);
void allot_sweep_samples_free(struct allot_sweep_samples *sm);

/* Plans the runs of this process (o->first, o->first + o->step, ...) on
 * o->threads threads and writes each into its row of sm; other rows are
 * left alone.  The scenario is only read.  ALLOT_EINPUT when a SPEC does
 * not fit the scenario (allot_vary_check) or the runs exceed sm. */
int allot_sweep_compute(const struct allot_scenario *s,
			const struct allot_sweep_options *o,
			struct allot_sweep_samples *sm);

/* Per order, over the runs: nearest-rank percentiles of the completion
 * month, where a run not complete in the horizon (or wholly cancelled)
 * counts as later than any month; a percentile that falls there is
 * ALLOT_NO_MONTH ("after the horizon"). */
struct allot_sweep_order {
	size_t runs;      /* runs with units open at as_of (0 or all) */
	size_t complete;  /* runs complete within the horizon */
	size_t cancelled; /* runs where caps cut every open unit */
	allot_month p10, p50, p90;
};

/* Per partner: runs in each tier at month 0, and the spread over runs of
 * its mean wait (docs/planner.md's wait, averaged over its orders). */
struct allot_sweep_partner {
	size_t tier_runs[ALLOT_MAX_TIERS]; /* [k]: runs in tier k + 1 */
	size_t wait_runs;                  /* runs where it had a wait */
	double wait_mean, wait_p10, wait_p50, wait_p90; /* NaN when none */
};

struct allot_sweep_result {
	const struct allot_scenario *scenario; /* borrowed */
	size_t runs;
	uint64_t seed;
	enum allot_policy_kind policy;
	allot_month switch_month; /* in force; ALLOT_NO_MONTH when none */
	struct allot_vary *vary;  /* copies */
	size_t n_vary;
	size_t n_tiers;
	struct allot_sweep_order *orders;     /* n_orders */
	struct allot_sweep_partner *partners; /* n_partners */
};

int allot_sweep_summarise(const struct allot_scenario *s,
			  const struct allot_sweep_options *o,
			  const struct allot_sweep_samples *sm,
			  struct allot_sweep_result **out);
/* Plans every run here (first and step ignored) and summarises. */
int allot_sweep_run(const struct allot_scenario *s,
		    const struct allot_sweep_options *o,
		    struct allot_sweep_result **out);
void allot_sweep_result_free(struct allot_sweep_result *r);
/* P(tier k + 1) = tier_runs[k] / runs. */
double allot_sweep_tier_prob(const struct allot_sweep_result *r, size_t partner,
			     size_t k);

/* sweep_orders.csv, sweep_partners.csv and sweep.json (docs/scaling.md)
 * into dir, each replaced atomically.  The same results give the same
 * bytes. */
int allot_sweep_write(const struct allot_sweep_result *r, const char *dir);
int allot_sweep_write_orders_csv(const struct allot_sweep_result *r, FILE *out);
int allot_sweep_write_partners_csv(const struct allot_sweep_result *r, FILE *out);
int allot_sweep_write_json(const struct allot_sweep_result *r, FILE *out);

/* ------------------------------------------------------------------------ */
/* Reserve: what to buy for a critical-minerals reserve (lib/reserve)        */
/* docs/reserve.md defines the problem, the LP and the heuristic.            */

enum allot_reserve_objective {
	ALLOT_RESERVE_EXPECTED = 0, /* mean over the embargo scenarios */
	ALLOT_RESERVE_WORST,        /* the worst scenario */
};
/* Methods (a bit set). */
enum { ALLOT_RESERVE_LP = 1, ALLOT_RESERVE_HEURISTIC = 2 };

struct allot_reserve_options {
	double budget_usd;
	/* One embargo scenario per row (source, mineral -1 = every mineral,
	 * start, end), added to the scenario's own embargoes.csv.  Borrowed.
	 * None: one scenario, the scenario as given. */
	const struct allot_embargo *embargoes;
	size_t n_embargoes;
	enum allot_reserve_objective objective;
	unsigned methods;           /* default LP | HEURISTIC */
	enum allot_policy_kind policy; /* the exact planner's rule (priority) */
	allot_month switch_month;   /* ALLOT_NO_MONTH: the scenario's */
	int window_months;          /* deliveries counted in months [0, window);
				     * 0: the default of docs/reserve.md */
	double step_months;         /* heuristic increment (default 1) */
};
void allot_reserve_options_init(struct allot_reserve_options *o);

/* The value of a unit delivered to a partner of tier `tier` (1-based):
 * reserve.tier_weights of the policy, or the default n, n-1, ..., 1. */
double allot_policy_tier_weight(const struct allot_policy *p, int tier);

/* One purchase and what it gives under the exact planner (allot_plan_run
 * on a copy of the scenario with the purchase added to the stock at month
 * 0, the horizon cut to the window and each scenario's embargo as one more
 * embargoes row).  Arrays are indexed [scenario * n + i]. */
struct allot_reserve_outcome {
	int64_t *buy_g;          /* n_minerals: grams bought */
	double cost_usd;
	double objective;        /* expected or worst weighted value, all orders */
	double objective_mineral; /* the same over the orders of mineral lines */
	double *value;           /* n_scenarios: weighted value */
	int64_t *units_by_tier;  /* n_scenarios x n_tiers: units delivered */
	double *value_by_tier;   /* n_scenarios x n_tiers: weighted value */
	int *cover;              /* n_scenarios x n_minerals: months before the
				  * mineral first holds production back
				  * (window when it never does) */
	uint8_t *binding;        /* n_scenarios x window x n_minerals: 1 when
				  * the mineral held production back */
	int64_t *delivered;      /* n_scenarios x n_orders: units delivered */
	allot_month *completion; /* n_scenarios x n_orders (in the window) */
};

struct allot_reserve {
	const struct allot_scenario *scenario; /* borrowed */
	size_t n_scenarios, n_minerals, n_tiers, n_orders;
	struct allot_embargo *embargoes; /* n_scenarios (source borrowed);
					  * mineral -2 marks "as given" */
	int window;                      /* months */
	double budget_usd;
	enum allot_reserve_objective objective;
	double tier_weight[ALLOT_MAX_TIERS];
	int *order_tier;                 /* n_orders: partner's tier at month 0 */
	unsigned methods;
	unsigned char *mineral_line;     /* n_lines: 1 when a system of the
					  * line has a bill of materials */
	struct allot_reserve_outcome base; /* no purchase */
	struct allot_reserve_outcome lp;   /* the LP's purchase (methods & LP) */
	struct allot_reserve_outcome heur; /* the heuristic's (& HEURISTIC) */
	double *lp_kg;        /* n_minerals: the LP's purchase before rounding */
	double lp_bound;      /* LP optimum of the weighted value (mineral
			       * lines only): no purchase within the budget
			       * can do better under the exact planner */
	int lp_rows, lp_cols, lp_nonzeros;
	double lp_seconds, heur_seconds;
	size_t heur_steps, heur_plans;
	unsigned recommended; /* ALLOT_RESERVE_LP or _HEURISTIC */
};

/* Recommends a purchase.  On bad options returns ALLOT_EINPUT with a
 * message in d.  *out owns the result (allot_reserve_free); it borrows s
 * and the options' embargo sources: keep them alive. */
int allot_reserve_run(const struct allot_scenario *s,
		      const struct allot_reserve_options *o,
		      struct allot_reserve **out, struct allot_diags *d);
void allot_reserve_free(struct allot_reserve *r);
/* The recommended outcome (lp or heur). */
const struct allot_reserve_outcome *
allot_reserve_best(const struct allot_reserve *r);
/* Gap of an outcome to the LP bound on the mineral lines, in percent:
 * 100 * (bound - objective_mineral) / bound (0 when the bound is 0). */
double allot_reserve_gap_pct(const struct allot_reserve *r,
			     const struct allot_reserve_outcome *x);

/* ------------------------------------------------------------------------ */
/* The reserve at the economy's scale (lib/reserve/economy*.c)               */
/* docs/reserve.md, "The economy's scale": every 2025 critical mineral, the   */
/* whole US draw by consumer group, purchases with a rising price.           */

/* Consumer groups, in the order defence draws first (the three defence
 * groups), then the civilian groups in the order of the policy setting. */
enum allot_cgroup {
	ALLOT_CG_ARMS_US = 0,  /* US production on the arms lines (bills of materials) */
	ALLOT_CG_ARMS_FOREIGN, /* foreign production on the same lines */
	ALLOT_CG_DEFENCE,      /* the rest of defence */
	ALLOT_CG_SEMIS,        /* semiconductors */
	ALLOT_CG_BATTERIES,
	ALLOT_CG_COMMS,        /* communications */
	ALLOT_CG_REST,         /* the rest of the economy */
	ALLOT_CG_COUNT
};
#define ALLOT_CG_DEFENCE_N 3 /* groups 0..2 are defence */
const char *allot_cgroup_name(enum allot_cgroup g);
int allot_cgroup_parse(const char *s); /* -1 when unknown */

/* Source groups of US supply (critical_minerals.csv shares). */
enum { ALLOT_SRC_DOMESTIC = 0, ALLOT_SRC_CHINA, ALLOT_SRC_ALLIES, ALLOT_SRC_OTHERS,
       ALLOT_SRC_COUNT };
const char *allot_source_group_name(int g);
int allot_source_group_parse(const char *s); /* "china", "allies" (or
					      * "allied"), "others"; -1 */

/* One row of critical_minerals.csv.  Every figure is < 0 when missing. */
struct allot_econ_mineral {
	char *mineral_id, *name, *covers, *nir_text, *basis;
	double consumption_kg_month; /* US apparent consumption */
	double world_kg_year;        /* world production */
	double nir_pct;
	double share[ALLOT_SRC_COUNT]; /* of US supply, 0..1 */
	double price_usd_per_kg;
	int price_year;              /* 0 when missing */
	double stock_kg;             /* held today */
	double enduse[4];            /* defence, semiconductors, batteries,
				      * communications: shares of consumption */
};
struct allot_economy {
	struct allot_econ_mineral *m;
	size_t n;
};
/* Reads critical_minerals.csv (the dataset's, docs/reserve.md).  Bad input:
 * ALLOT_EINPUT with file:line:column diagnostics. */
int allot_economy_load(const char *path, struct allot_economy **out,
		       struct allot_diags *d);
void allot_economy_free(struct allot_economy *e);

#define ALLOT_XR_MAX_SCENARIOS 32
struct allot_xreserve_options {
	double budget_usd;
	/* Embargo scenarios: source is a source group name; mineral -1 = every
	 * mineral (else an index into the economy); start..end months.
	 * Borrowed.  prob: n_embargoes probabilities (NULL: equal). */
	const struct allot_embargo *embargoes;
	size_t n_embargoes;
	const double *prob;
	/* Civilian groups in the order they draw after defence (policy
	 * setting); weight of unmet demand of each: 8, 4, 2, 1 by rank. */
	enum allot_cgroup civil_order[4];
	int supply_priority;   /* 1: the market supply left also goes to
				* defence first; 0 (default): each group loses
				* the embargoed share of its own supply */
	double max_price_rise; /* 0.2: buying the whole cap raises the price
				* by this much (linear in the quantity) */
	double market_share;   /* 0.1: the cap is this share of a year's world
				* production */
	int delivery_months;   /* 12: purchases arrive evenly over these months */
	int segments;          /* 4: pieces of the price curve */
	unsigned methods;      /* ALLOT_RESERVE_LP | ALLOT_RESERVE_HEURISTIC */
	int marginal;          /* 1 (default): also solve with budget + 1e9 */
};
void allot_xreserve_options_init(struct allot_xreserve_options *o);

/* Why a mineral gets what it gets. */
enum allot_xr_reason {
	ALLOT_XR_BOUGHT = 0,
	ALLOT_XR_BOUGHT_CAP,    /* bought up to the market cap */
	ALLOT_XR_MISSING,       /* a figure the model needs is missing */
	ALLOT_XR_NO_EXPOSURE,   /* none of its supply comes from the embargoed source */
	ALLOT_XR_COVERED,       /* the stock held today already covers the shortfall */
	ALLOT_XR_LOW_VALUE,     /* each USD buys fewer days of cover than the
				 * minerals bought (the budget binds) */
	ALLOT_XR_COUNT
};
const char *allot_xr_reason_text(enum allot_xr_reason r);

struct allot_xr_purchase {
	double kg, cost_usd;
	double defence_days, civil_days; /* expected weighted days served */
};

struct allot_xreserve {
	const struct allot_economy *e;       /* borrowed */
	const struct allot_scenario *s;      /* borrowed */
	size_t n_minerals, n_scenarios;
	int months;                          /* modelled: as_of .. last embargo end */
	double *prob;                        /* n_scenarios */
	struct allot_embargo *emb;           /* n_scenarios (source borrowed) */
	double budget_usd;
	double *demand;      /* minerals x groups x months: kg/month */
	double *cap_kg;      /* minerals: market cap, -1 when not buyable */
	unsigned char *model;                /* minerals: 1 when in the model */
	char **missing;                      /* minerals: what is missing or NULL */
	double *base_price;                  /* minerals: USD/kg (or -1) */
	/* Purchases (kg per mineral) and what they give. */
	double *lp_kg, *heur_kg, *best_kg;
	double *best_cost;    /* minerals: USD paid for best_kg on the curve */
	struct allot_xr_purchase lp, heur, best, none;
	struct allot_xr_purchase next_billion; /* what budget + 1e9 adds (LP, else
						* the heuristic): differences */
	double lp_defence_bound, lp_civil_bound; /* the LP optimum */
	double budget_dual;   /* civil days per USD of the last dollar (LP) */
	int budget_binds;
	enum allot_xr_reason *reason;        /* minerals */
	double *value_per_musd;              /* minerals: days of cover the
					      * first USD million buys */
	/* Days of cover (expected over scenarios) of each group, per mineral,
	 * before (stock today) and after the recommended purchase: days of the
	 * embargo the group's lost supply is met from stock.  minerals x groups */
	double *cover_before, *cover_after, *shortfall_days;
	/* Arms lines (those with a bill of materials on a modelled mineral). */
	double *line_run_before, *line_run_after; /* n_lines: share of embargo
						   * months running (expected) */
	double *tier_units_protected;        /* n_tiers: foreign units */
	size_t n_tiers;
	int lp_rows, lp_cols, lp_nonzeros;
	double lp_seconds;      /* the LP at the budget (build + 3 passes) */
	double lp_next_seconds; /* the same at budget + 1e9, warm-started */
	double heur_seconds;
	unsigned recommended;
};

/* Recommends a purchase.  e and s are borrowed (keep them alive). */
int allot_xreserve_run(const struct allot_economy *e, const struct allot_scenario *s,
		       const struct allot_xreserve_options *o,
		       struct allot_xreserve **out, struct allot_diags *d);
void allot_xreserve_free(struct allot_xreserve *r);

/* ------------------------------------------------------------------------ */
/* Answers: mineral cover, sales at risk, unsold capacity, the report        */
/* (lib/answers/{minerals,risk,opportunities,report*}.c; docs/report.md).    */

/* --- minerals: months of cover ------------------------------------------ */

enum allot_cover_kind {
	ALLOT_CASE_STOCK = 0,  /* stock alone: no supply at all */
	ALLOT_CASE_SUPPLY,     /* every source's supply, no embargo */
	ALLOT_CASE_EMBARGO,    /* supply less one embargo, in its months */
};

struct allot_cover_case {
	enum allot_cover_kind kind;
	char *label;               /* owned: "stock alone", "embargo china ..." */
	struct allot_embargo embargo; /* ALLOT_CASE_EMBARGO (source owned) */
	int hypothetical;          /* 1: given by the caller, not in the scenario */
};

/* An order cut in the first month the stock alone falls short. */
struct allot_cover_hit {
	int32_t order;
	int64_t units_cut;         /* of the units the plan would produce then */
};

struct allot_mineral_cover {
	int mineral;
	int64_t stock_g;           /* at as_of */
	int64_t supply_g_month;    /* every source, as in supply.csv */
	double demand_g_month;     /* planned draw: mean over the first
				    * demand_months of the unconstrained plan */
	int64_t draw_total_g;      /* planned draw over the whole horizon */
	int *cover;                /* per case: whole months from as_of whose
				    * draw the stock meets; -1 = the horizon */
	int32_t shortfall_month;   /* relative month the stock alone first
				    * falls short; -1 never in the horizon */
	int64_t shortfall_g;       /* grams missing in that month */
	/* Orders cut that month, last in key order first (the ones a shortfall
	 * hits first), and their systems in the same order. */
	struct allot_cover_hit *hits; size_t n_hits;
	int *hit_systems; size_t n_hit_systems;
};

struct allot_minerals {
	struct allot_cover_case *cases; size_t n_cases; /* stock, supply, embargoes */
	struct allot_mineral_cover *m; size_t n;        /* one per mineral */
	int demand_months;         /* 12, or the horizon when shorter */
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
	int wait;          /* months from max(as_of, LOA) to completion */
	int censored;      /* 1: not complete in the horizon (wait to its end) */
	int64_t units;     /* qty - delivered - cancelled: still to deliver */
	double value_usd;  /* units x unit_cost_usd */
};

struct allot_risk {
	int tier;          /* the tier looked at: the policy's lowest */
	int wait_months;   /* the threshold: waits strictly longer count */
	struct allot_risk_row *rows; size_t n; /* value desc, wait desc, id */
	int64_t units;
	double value_usd;
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
	double score;      /* at month 0 */
	int customer;      /* 1: already has an order for a system of the line */
	int capped;        /* 1 when a budget cap applies */
	double room_usd;   /* capped: cap - committed value; else 0 */
};

struct allot_opportunity {
	int system;
	int64_t unsold_units;  /* its line: sum over the window of F(t) - used(t) */
	int32_t first_month;   /* first relative month with unsold capacity */
	double value_usd;      /* unsold_units x unit_cost_usd */
	struct allot_buyer *buyers; size_t n_buyers; /* best placed first */
};

struct allot_opportunities {
	int months;            /* the window: months 0 .. months-1 */
	int catalog_only;      /* 0: the scenario marks no catalog system, so
				* every system was considered */
	struct allot_opportunity *v; size_t n; /* value desc, units desc, id */
};

/* Systems (catalog ones, else all) whose line has capacity left unsold in
 * the first `months` months of the plan, with up to `top` partners best
 * placed to buy (docs/report.md).  *out is freed with
 * allot_opportunities_free. */
int allot_opportunities_run(const struct allot_plan *p, int months, size_t top,
			    struct allot_opportunities **out);
void allot_opportunities_free(struct allot_opportunities *o);

/* --- report: one self-contained HTML file (and a workbook) --------------- */

struct allot_report_options {
	enum allot_policy_kind policy; /* the plan shown (default priority) */
	allot_month switch_month;      /* ALLOT_NO_MONTH: the scenario's */
	int wait_months;               /* risk threshold (36) */
	int opportunity_months;        /* opportunities window (24) */
	/* The critical-minerals reserve section (allot_reserve_run, run when
	 * the scenario has minerals; docs/report.md).  Appended for issue 6. */
	double reserve_budget_usd;     /* 12e9 */
	/* One embargo scenario each (source, start, end; mineral ignored),
	 * borrowed: keep them alive as long as the report.  None: "china" from
	 * as_of for 24 months, or the scenario as given when no supply row
	 * names china. */
	const struct allot_embargo *reserve_embargoes;
	size_t n_reserve_embargoes;
	unsigned reserve_methods;      /* ALLOT_RESERVE_LP | _HEURISTIC */
	/* The backtest section (docs/backtest.md), borrowed; NULL: the
	 * section says how to add it (allot report --backtest). */
	const struct allot_backtest *backtest;
	struct allot_diags *diags;     /* optional: why bad reserve options are
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
int allot_report_build(const struct allot_scenario *s,
		       const struct allot_report_options *o,
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
int allot_workbook_write(const char *path, const struct allot_workbook_sheet *sheets,
			 size_t n);

/* ------------------------------------------------------------------------ */
/* Case process: requests to offers, notification, catalog, end-use          */
/* monitoring, third-party transfers (lib/cases; docs/case-process.md,       */
/* docs/policy.md)                                                           */

/* requests.csv: a Letter of Request not yet an order. */
struct allot_request {
	char *request_id;
	int partner;          /* index into partners */
	int system;           /* index into systems */
	int64_t qty;
	allot_month lor_month;
	double value_usd;     /* the case value (empty cell: qty x unit cost) */
	int category;         /* enum allot_case_category; -1: policy default */
};

/* transfers.csv: a request for US consent to a third-party transfer. */
struct allot_transfer {
	char *transfer_id;
	int from;             /* index into partners: the present holder */
	char to_iso3[4];
	int to;               /* index into partners, -1 when not a partner */
	int system;
	int64_t qty;
	allot_month request_month;
};

/* "A", "B", "C", "DC"; parse returns -1 when unknown. */
const char *allot_case_category_name(int c);
int allot_case_category_parse(const char *s);
const char *allot_notify_kind_name(enum allot_notify_kind k); /* "MDE" ... */
const char *allot_notify_group_name(enum allot_notify_group g); /* "NATO+" ... */

/* The defaults of docs/policy.md (set = 0). */
void allot_case_policy_default(struct allot_case_policy *c);
/* The settings in force: p->cases when set, else the defaults. */
void allot_case_policy_of(const struct allot_policy *p, struct allot_case_policy *out);
/* The min_tier gate of a system (0: none). */
int allot_case_min_tier(const struct allot_case_policy *c, const char *system_id);
/* The 36(b) group of a partner: NATO+ when its alliance is "nato"
 * (any case) or its code is in nato_plus. */
enum allot_notify_group allot_case_group(const struct allot_case_policy *c,
					 const char *iso3, const char *alliance);
/* A partner's end-use status in force in month m: its eum_status, then
 * every eum_status event with month <= m in file order. */
enum allot_eum allot_case_eum_at(const struct allot_scenario *s, int partner,
				 allot_month m);
/* Calendar days to whole months: floor(days / 30.4375 + 0.5) (a request
 * dated mid-month lands in the month its end date falls in). */
int allot_case_days_to_months(double days);

/* One request's path to an offer. */
struct allot_case_estimate {
	int category;          /* applied (the default when the row had none) */
	int tier;              /* partner's tier at as_of */
	enum allot_notify_group group;
	int strategy;          /* 1: the strategy's rules applied (priority
				* policy, LOR on or after the switch month) */
	double base_days;      /* processing_days of the category */
	double processing_days; /* after catalog and tier shortening */
	double value_usd;      /* the case value compared with the thresholds */
	int notify;            /* 1: a 36(b) notification is needed */
	int notify_kind;       /* enum allot_notify_kind crossed; -1 none */
	double threshold_usd;  /* the threshold crossed (or the lowest that
				* applied, when none was) */
	int threshold_kind;    /* its enum allot_notify_kind */
	double review_days;    /* formal + advance review when notify */
	int eeum_review;       /* 1: EEUM system, partner delinquent at LOR */
	double eeum_days;
	int eeum_violation;    /* 1: EEUM system, partner in violation at LOR:
				* the planner produces nothing while it lasts */
	double total_days;     /* processing + acceptance + reviews */
	int held;              /* 1: below the system's min_tier (strategy) */
	int min_tier;          /* the gate (0: none) */
	allot_month loa_month; /* lor + days_to_months(total); NO_MONTH held */
};

/* Estimates request r of s under a planning policy (the strategy's rules
 * apply under ALLOT_POLICY_PRIORITY from switch_month; ALLOT_NO_MONTH:
 * the scenario's, and none: from the start). */
void allot_case_estimate(const struct allot_scenario *s, size_t r,
			 enum allot_policy_kind kind, allot_month switch_month,
			 struct allot_case_estimate *out);
/* Why, in words: "36(b) MDE: USD 30.0 million >= USD 25.0 million (NATO+
 * group, 15-day review)", "no 36(b): USD 13.0 million < USD 14.0 million
 * MDE (other group)", "held: tier 2 below the catalog gate (tier 1)". */
void allot_case_reason(const struct allot_scenario *s,
		       const struct allot_case_estimate *e, char *buf, size_t size);

/* One transfer's consent decision under one regime. */
enum {
	ALLOT_TPT_INELIGIBLE = 1, /* recipient not a partner, or in violation */
	ALLOT_TPT_EEUM = 2,       /* an EEUM item */
	ALLOT_TPT_NOTIFY = 4,     /* AECA 3(d) notification and review */
};
struct allot_transfer_decision {
	int consent;            /* 1 consent, 0 refused */
	unsigned why;           /* ALLOT_TPT_* that applied */
	int notify_kind;        /* -1 none */
	double days;
	allot_month month;      /* request_month + days_to_months(days) */
};
/* regime 0: standard, 1: streamlined. */
void allot_transfer_decide(const struct allot_scenario *s, size_t t, int regime,
			   struct allot_transfer_decision *out);

/* allot pipeline: every request under both planning policies. */
struct allot_pipeline_row {
	struct allot_case_estimate est;
	int32_t order;              /* its order in plans[k]; -1 when held */
	allot_month first_delivery; /* NO_MONTH: none in the horizon */
	allot_month last_delivery;  /* completion; NO_MONTH: not complete */
	int64_t delivered;          /* units delivered within the horizon */
	int64_t blocked;            /* units waiting on an EEUM block at the end */
	int months;                 /* LOR to first delivery; to the horizon's
				     * end when none (censored); -1 held */
	int censored;
};

struct allot_pipeline_tier {
	int tier;
	size_t requests;            /* requests of partners in the tier */
	size_t held[2];
	size_t counted[2];          /* not held */
	size_t censored[2];         /* no delivery in the horizon */
	double mean_months[2];      /* LOR to first delivery over counted */
};

struct allot_pipeline {
	const struct allot_scenario *scenario; /* borrowed */
	allot_month switch_month;   /* in force for the priority side */
	/* [k] for enum allot_policy_kind k: the scenario plus the requests not
	 * held as orders at their LOA months, and its plan. */
	struct allot_scenario planned[2]; /* shallow copies: own only orders */
	struct allot_plan *plan[2];
	struct allot_pipeline_row *rows[2]; /* n_requests each */
	struct allot_pipeline_tier *tiers;  /* one per policy tier */
	size_t n_tiers;
	struct allot_transfer_decision *transfers[2]; /* [regime][n_transfers] */
};

/* Estimates and plans every request under fcfs and priority.  *out
 * borrows s (keep it alive); free with allot_pipeline_free. */
int allot_pipeline_run(const struct allot_scenario *s, allot_month switch_month,
		       struct allot_pipeline **out);
void allot_pipeline_free(struct allot_pipeline *p);

/* allot catalog: catalog systems' line capacity, committed backlog and
 * open slots by calendar year, from a plan of the signed orders. */
struct allot_catalog_year {
	int year;
	int months;            /* months of the year inside the horizon */
	int64_t capacity;      /* sum of the line's foreign capacity F(t) */
	int64_t committed;     /* units the plan makes on the line */
	int64_t open;          /* capacity - committed */
};
struct allot_catalog_row {
	int system;
	int min_tier;          /* the policy's gate (0: none) */
	size_t requests;       /* requests for the system */
	int64_t requested_units;
	struct allot_catalog_year *years; /* n_years of the catalog */
};
struct allot_catalog {
	int first_year, n_years;
	int catalog_only;      /* 0: no system is marked catalog: all listed */
	struct allot_catalog_row *rows; size_t n; /* system order */
};
/* years: at most this many calendar years from as_of (0: all). */
int allot_catalog_run(const struct allot_plan *p, int years,
		      struct allot_catalog **out);
void allot_catalog_free(struct allot_catalog *c);

/* ------------------------------------------------------------------------ */
/* Stored runs read in full, and a change counter (for `allot serve`)        */
/* lib/store/store_runs_read.c, lib/store/store_version.c                    */

struct allot_run_info {
	int64_t id;
	char *scenario;            /* owned: the scenario's name */
	enum allot_policy_kind policy;
	allot_month switch_month;  /* ALLOT_NO_MONTH when none */
	char inputs_hash[65];      /* SHA-256 hex of the inputs (docs/store.md) */
	char created_at[32];       /* UTC, "2026-02-01T09:30:00Z" */
	int64_t n_orders, n_allocations, units_produced;
	char *label;               /* owned: `allot runs label`, NULL when none */
};

/* One row of run_orders: an order's outcome in a stored run. */
struct allot_run_order {
	char *order_id;            /* owned */
	int64_t produced, delivered_in_h, units_short, blocked, cancelled;
	allot_month first_delivery, completion; /* or ALLOT_NO_MONTH */
	int months_late;           /* -1 when NULL (no need month) */
	int tier0;
};

/* One row of run_allocations (calendar months). */
struct allot_run_alloc {
	size_t order;              /* index into allot_run.orders */
	allot_month month, delivery_month;
	int64_t units;
};

struct allot_run {
	struct allot_run_info info;
	struct allot_run_order *orders; size_t n_orders;   /* scenario order */
	struct allot_run_alloc *allocs; size_t n_allocs;   /* plan order */
};

/* The runs of a stored scenario (NULL name: the only one, or "default"),
 * newest first.  *out (n rows) is freed with allot_run_infos_free. */
int allot_store_list_runs(struct allot_store *st, const char *scenario_name,
			  struct allot_run_info **out, size_t *n,
			  struct allot_diags *diags);
void allot_run_infos_free(struct allot_run_info *v, size_t n);
/* One stored run: header, order results and (with_allocations) every
 * allocation.  ALLOT_ENOTFOUND when there is no such run.  *out is freed
 * with allot_run_free. */
int allot_store_get_run(struct allot_store *st, int64_t run_id, int with_allocations,
			struct allot_run **out, struct allot_diags *diags);
void allot_run_free(struct allot_run *r);
/* Labels a run ("" removes the label; at most 200 characters, one line)
 * or deletes it with its orders and allocations, in one transaction each.
 * ALLOT_ENOTFOUND, with a diag listing the stored runs, when there is no
 * such run.  lib/store/store_runs_edit.c */
int allot_store_label_run(struct allot_store *st, int64_t run_id, const char *label,
			  struct allot_diags *diags);
int allot_store_delete_run(struct allot_store *st, int64_t run_id,
			   struct allot_diags *diags);
/* SQLite's PRAGMA data_version on this handle: it changes whenever another
 * connection commits to the store.  Caches compare two readings. */
int allot_store_data_version(struct allot_store *st, int64_t *out,
			     struct allot_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
