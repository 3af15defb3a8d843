/*
 * allot/scenario.h - the scenario model: partners, systems, lines, orders, minerals, events, the
 * policy; loading, writing and lookups.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_SCENARIO_H
#define ALLOT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <allot/diag.h>
#include <allot/month.h>

#ifdef __cplusplus
extern "C" {
#endif

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
	/* What us_purchases_5y_usd counts (partners.csv us_purchases_basis,
	 * enum allot_purchases_basis): 0 not stated. */
	int purchases_basis;
	/* NaN when unknown (partners.csv `unknown` or empty): the score counts
	 * it as 0, the documented default (allot_invest_known_or_0). */
	double invest_in_us_usd;
	enum allot_eum eum_status;
};

/* A partner's invest_in_us_usd as the score counts it: an unknown figure
 * (NaN) gives no credit, 0 (docs/allocation.md, "Partner score and tier"). */
static inline double allot_invest_known_or_0(double invest_in_us_usd)
{
	return invest_in_us_usd == invest_in_us_usd ? invest_in_us_usd : 0;
}

struct allot_system {
	char *system_id;
	char *name;
	int line;             /* index into scenario lines */
	double unit_cost_usd; /* NaN when unknown (allot_cost_known) */
	int lead_months;
	int eeum;                  /* 0/1 */
	int catalog;               /* 0/1 */
	char *foreign_alternative; /* "" when none */
	int not_mde;               /* 1: not major defense equipment (systems.csv mde = 0);
				    * 0, the default, counts it as MDE for AECA 36(b) */
	/* What unit_cost_usd rests on (systems.csv unit_cost_basis): a value
	 * of enum allot_rate_basis, ALLOT_RATE_UNSTATED when not stated. */
	int unit_cost_basis;
};

/* A unit cost the scenario states as unknown (`unknown` or an empty cell
 * in systems.csv) is NaN in the model, never 0: every USD sum counts such
 * units apart (allot_usd in allot/style.h, docs/allocation.md). */
static inline int allot_cost_known(double unit_cost)
{
	return unit_cost == unit_cost;
}
/* A USD sum with unknowns (functions in allot/style.h). */
struct allot_usd {
	double known;           /* USD of the units whose unit cost is known */
	int64_t unknown_units;  /* units of unknown unit cost left out of known */
	int64_t unknown_orders; /* orders with such units (sums over orders) */
};

/* What a line's rate rests on (lines.csv rate_basis, optional). */
enum allot_rate_basis {
	ALLOT_RATE_UNSTATED = 0, /* column absent or empty: not marked */
	ALLOT_RATE_CITED,        /* a published figure */
	ALLOT_RATE_ESTIMATE      /* ours: outputs mark dates that rest on it */
};
const char *allot_rate_basis_name(enum allot_rate_basis b);            /* "" when unstated */
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
const char *allot_supply_type_name(enum allot_supply_type t);            /* "new", ... */
int allot_supply_type_parse(const char *s, enum allot_supply_type *out); /* "" = new */
#define ALLOT_NO_FIGURE (-1) /* partner figure years: no figure exists */

struct allot_scenario;
/* The mark that outputs append to a date resting on an estimated line rate:
 * " (estimated line rate)" when system's line has rate_basis estimate, else
 * "".  system < 0 or out of range gives "". */
const char *allot_rate_mark(const struct allot_scenario *s, int system);
#define ALLOT_RATE_MARK " (estimated line rate)"
/* 1 when some line of s states its rate basis (lines.csv rate_basis):
 * the outputs then carry a rate_basis column (orders, report, risk, ...). */
int allot_scenario_has_rate_basis(const struct allot_scenario *s);

/* What an order's loa_month rests on (orders.csv loa_basis, optional;
 * docs/scenario-format.md).  Unstated is neither: the scenario does not
 * say, and outputs show the month without a basis. */
enum allot_loa_basis {
	ALLOT_LOA_UNSTATED = 0, /* column absent or empty */
	ALLOT_LOA_MONTH,        /* the month is known */
	ALLOT_LOA_YEAR          /* only the year is known: the month is a placeholder */
};
const char *allot_loa_basis_name(enum allot_loa_basis b);            /* "" when unstated */
int allot_loa_basis_parse(const char *s, enum allot_loa_basis *out); /* -1: bad */
/* " (month not known)" when the order's loa_basis is year, else "". */
const char *allot_loa_mark(const struct allot_scenario *s, int order);
#define ALLOT_LOA_MARK " (month not known)"
/* 1 when some order states its loa_basis: the outputs then carry one. */
int allot_scenario_has_loa_basis(const struct allot_scenario *s);
/* 1 when some system states its unit_cost_basis, some mineral its
 * stock_basis (systems.csv, minerals.csv). */
int allot_scenario_has_cost_basis(const struct allot_scenario *s);
int allot_scenario_has_stock_basis(const struct allot_scenario *s);
/* " (estimate)" when the figure's basis is estimate, else "". */
const char *allot_estimate_mark(int basis);
#define ALLOT_ESTIMATE_MARK " (estimate)"

/* What partners.csv us_purchases_5y_usd counts (us_purchases_basis). */
enum allot_purchases_basis {
	ALLOT_PURCHASES_UNSTATED = 0, /* not stated: shown as USD, unmarked */
	ALLOT_PURCHASES_USD,          /* US dollars paid */
	ALLOT_PURCHASES_TIV           /* SIPRI TIV x 1e6 used as a USD proxy */
};
const char *allot_purchases_basis_name(enum allot_purchases_basis b); /* "" when unstated */
int allot_purchases_basis_parse(const char *s, enum allot_purchases_basis *out);
/* 1 when some partner's purchases are a TIV proxy (us_purchases_basis tiv). */
int allot_scenario_purchases_tiv(const struct allot_scenario *s);

struct allot_order {
	char *order_id;
	int partner; /* index into partners */
	int system;  /* index into systems */
	int64_t qty;
	int64_t delivered; /* delivered before as_of */
	allot_month loa_month;
	allot_month need_month; /* ALLOT_NO_MONTH when empty */
	int64_t partner_rank;   /* -1 when empty */
	int supply;             /* enum allot_supply_type; 0 = new */
	int max_per_month;      /* units a month from its line; 0 = no limit */
	allot_month not_before; /* earliest delivery month; ALLOT_NO_MONTH when empty */
	int loa_basis;          /* enum allot_loa_basis; 0 = not stated */
};

/* The same for an order: "" when the order is not supplied new (second-hand,
 * lease, licence production), whose units arrive on their own schedule and
 * never at a US line's rate, whatever its system's line rests on. */
const char *allot_order_rate_mark(const struct allot_scenario *s, const struct allot_order *o);
/* The word for the rate an order's dates rest on, as the text tables show
 * it: the line's basis ("cited", "estimate", "" when unstated) for an order
 * supplied new, ALLOT_RATE_OFF_LINE for the others. */
const char *allot_order_rate_word(const struct allot_scenario *s, const struct allot_order *o);
#define ALLOT_RATE_OFF_LINE "off line"

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
	int64_t stock_g; /* grams at as_of */
	double price_usd_per_kg;
	int stock_basis; /* enum allot_rate_basis: cited, estimate, 0 unstated */
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
	ALLOT_EV_CATALOG,      /* system -> 0/1: in the priority catalog */
	ALLOT_EV_EEUM,         /* system -> 0/1: under EEUM */
	ALLOT_EV_MIN_TIER,     /* system -> tier gate (0: none) */
	ALLOT_EV_COUNT
};
const char *allot_event_type_name(enum allot_event_type t);

struct allot_event {
	allot_month month;
	enum allot_event_type type;
	char *target;       /* as written in the file */
	char *value;        /* as written in the file */
	int index;          /* resolved target: line, partner, criterion or system */
	double num;         /* parsed numeric value (capacity, share, cap, weight,
			     * catalog and eeum 0/1, min_tier) */
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
#define ALLOT_CASE_MAX_GATES 64 /* min_tier entries */
#define ALLOT_CASE_MAX_GROUP 32 /* nato_plus codes */
#define ALLOT_CASE_ID_MAX    64 /* system id bytes in a gate, NUL included */

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
	int default_category;                    /* for a request without case_category */
	double acceptance_days;                  /* offer to signature */
	double catalog_shortening;               /* 0..1: fraction cut for catalog systems */
	double tier_shortening[ALLOT_MAX_TIERS]; /* 0..1 per tier (strategy) */
	size_t n_tier_shortening;                /* entries given; missing tiers cut 0 */
	struct allot_case_gate gates[ALLOT_CASE_MAX_GATES];
	size_t n_gates;
	char nato_plus[ALLOT_CASE_MAX_GROUP][4]; /* besides alliance "nato" */
	size_t n_nato_plus;
	double threshold_usd[ALLOT_GROUP_COUNT][ALLOT_NOTIFY_KINDS];
	double review_days[ALLOT_GROUP_COUNT];  /* formal review period */
	double advance_days[ALLOT_GROUP_COUNT]; /* informal tiered review */
	double eeum_delinquent_days;            /* a delinquent partner's EEUM request */
	int tpt_streamlined;                    /* 1: the streamlined regime is in force */
	struct allot_tpt_rules tpt[2];          /* [0] standard, [1] streamlined */
};

/* policy.json: every number of the scoring rule is a setting. */
struct allot_policy {
	double weight[ALLOT_CRIT_COUNT];
	double target_pct;         /* investment: defense_pct_gdp target (5.0) */
	double growth_full_pct;    /* growth: real growth giving 1.0 (30) */
	double troops_ref;         /* operations: troops giving 1.0 (50000) */
	double basing_max;         /* operations: basing_access maximum (3) */
	double frontline_factor;   /* geography: 1.0 frontline ... */
	double rear_factor;        /* ... 0.6 otherwise */
	double economic_ref_usd;   /* economic: v giving 1.0 (50e9) */
	double economic_unit_usd;  /* economic: log10(1 + v / unit) (1e6) */
	double invest_multiplier;  /* economic: v = purchases + k * invest (2) */
	double penalty_delinquent; /* points subtracted (10) */
	double penalty_violation;  /* points subtracted (25) */
	struct allot_theater *theaters;
	size_t n_theaters;
	double default_theater;           /* weight of a region missing from the table */
	double tier_min[ALLOT_MAX_TIERS]; /* tier i+1 when score >= tier_min[i] */
	size_t n_tier_thresholds;         /* tiers = n_tier_thresholds + 1 */
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
/* The policy as canonical policy.json text (docs/scenario-format.md): every
 * key in the file's order, numbers in their shortest exact form; indented as
 * the file is written (pretty 1) or on one line, as the store keeps it (0).
 * NULL when out of memory; release with free(). */
char *allot_policy_json(const struct allot_policy *p, int pretty);

struct allot_scenario {
	char *name; /* scenario name in a store, or the directory */
	allot_month as_of;
	int horizon_months;       /* default 180 */
	allot_month switch_month; /* ALLOT_NO_MONTH when none */
	char *policy_file;        /* as named in scenario.json (default policy.json) */
	char *notes;              /* "" when none */
	struct allot_policy policy;

	struct allot_partner *partners;
	size_t n_partners;
	struct allot_system *systems;
	size_t n_systems;
	struct allot_line *lines;
	size_t n_lines;
	struct allot_order *orders;
	size_t n_orders;
	struct allot_mineral *minerals;
	size_t n_minerals;
	struct allot_supply *supply;
	size_t n_supply;
	struct allot_bom *bom;
	size_t n_bom;
	struct allot_event *events;
	size_t n_events;
	struct allot_investment *investments;
	size_t n_investments;
	struct allot_embargo *embargoes;
	size_t n_embargoes;
	/* The case process (docs/case-process.md): requests.csv, transfers.csv. */
	struct allot_request *requests;
	size_t n_requests;
	struct allot_transfer *transfers;
	size_t n_transfers;
	/* Work in progress at as_of (wip.csv, docs/allocation.md). */
	struct allot_wip *wip;
	size_t n_wip;

	/* Which optional files were present, so export writes the same set. */
	unsigned present; /* bit (1u << ALLOT_FILE_*) */

	/* The order ids the loader read, one after the other in one block
	 * (a million of them were a million allocations); allot_scenario_free
	 * frees an order_id on its own only when it is not in this block.
	 * NULL when none. */
	char *id_block;
	size_t id_block_size;
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

/* requests.csv: a Letter of Request not yet an order. */
struct allot_request {
	char *request_id;
	int partner; /* index into partners */
	int system;  /* index into systems */
	int64_t qty;
	allot_month lor_month;
	double value_usd; /* the case value (empty cell: qty x unit cost) */
	int category;     /* enum allot_case_category; -1: policy default */
};

/* transfers.csv: a request for US consent to a third-party transfer. */
struct allot_transfer {
	char *transfer_id;
	int from; /* index into partners: the present holder */
	char to_iso3[4];
	int to; /* index into partners, -1 when not a partner */
	int system;
	int64_t qty;
	allot_month request_month;
};

/* Lookups by key; -1 when absent.  Linear or hashed, callers need not care. */
int allot_scenario_find_partner(const struct allot_scenario *s, const char *iso3);
int allot_scenario_find_system(const struct allot_scenario *s, const char *id);
int allot_scenario_find_line(const struct allot_scenario *s, const char *id);
int allot_scenario_find_mineral(const struct allot_scenario *s, const char *id);
int allot_scenario_find_order(const struct allot_scenario *s, const char *id);

/* The first month, relative to as_of (may be negative), in which order i
 * may be produced on its line: its LOA month, or its not_before less its
 * system's lead time when that is later (docs/allocation.md, "Earliest
 * delivery").  The planner and the reserve's LP and checks use this one
 * definition. */
int64_t allot_order_start(const struct allot_scenario *s, size_t i);

/* Lookups as a user types them: an id, a name, or a unique
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
	int index;                     /* the match, or -1 */
	int n_matches;                 /* at the deciding level (may exceed MAX) */
	int matches[ALLOT_LOOKUP_MAX]; /* the first of them */
	size_t n_suggest;              /* on a miss: nearest first */
	int suggest[ALLOT_LOOKUP_MAX];
};
const char *allot_kind_name(enum allot_kind k); /* "partner" ... */
const char *allot_kind_id(const struct allot_scenario *s, enum allot_kind k, size_t i);
const char *allot_kind_label(const struct allot_scenario *s, enum allot_kind k,
			     size_t i); /* the name ("" for orders) */
int allot_lookup(const struct allot_scenario *s, enum allot_kind k, const char *text,
		 struct allot_lookup *out);
/* The index, or -1 with a one-line message in msg: "no partner 'PLO' in the
 * scenario; did you mean POL (Poland)?" or "'Po' matches 2 partners: POL
 * (Poland) or PRT (Portugal); give more of the id or name". */
int allot_lookup_msg(const struct allot_scenario *s, enum allot_kind k, const char *text, char *msg,
		     size_t size);

/* A comma list of lookups ("POL, Germany,ISR"; blanks around items
 * ignored): the distinct indices in the order given into *out (free with
 * free()) and their count into *n.  ALLOT_ENOTFOUND with allot_lookup_msg's
 * message for an item that misses, ALLOT_EINPUT ("expected a partner id or
 * name, found ''") for a list of no item, ALLOT_ENOMEM; *out NULL then. */
int allot_lookup_list(const struct allot_scenario *s, enum allot_kind k, const char *text,
		      int **out, size_t *n, char *msg, size_t size);

/* Loads a scenario directory.  On bad input returns ALLOT_EINPUT with every
 * problem (up to diags->limit) in diags and *out untouched.  On success *out
 * owns a new scenario (free with allot_scenario_free). */
int allot_scenario_load(const char *dir, struct allot_scenario **out, struct allot_diags *diags);
/* Writes a scenario directory in canonical form (the form `allot export`
 * and `allot convert` write; load then write is byte-identical).  Each file
 * is written to a temporary file, synced and renamed into place. */
int allot_scenario_write(const struct allot_scenario *s, const char *dir,
			 struct allot_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
