/*
 * allot/reserve.h - what to buy for a critical-minerals reserve (docs/reserve.md).
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_RESERVE_H
#define ALLOT_RESERVE_H

#include <stddef.h>
#include <stdint.h>
#include <allot/diag.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/plan.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Reserve: what to buy for a critical-minerals reserve                      */
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
	unsigned methods;              /* default LP | HEURISTIC */
	enum allot_policy_kind policy; /* the exact planner's rule (priority) */
	allot_month switch_month;      /* ALLOT_NO_MONTH: the scenario's */
	int window_months;             /* deliveries counted in months [0, window);
					* 0: the default of docs/reserve.md */
	double step_months;            /* heuristic increment (default 1) */
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
	int64_t *buy_g; /* n_minerals: grams bought */
	double cost_usd;
	double objective;              /* expected or worst weighted value, all orders */
	double objective_mineral;      /* the same over the orders of mineral lines */
	double *value;                 /* n_scenarios: weighted value */
	int64_t *units_by_tier;        /* n_scenarios x n_tiers: units delivered */
	double *value_by_tier;         /* n_scenarios x n_tiers: weighted value */
	struct allot_usd *usd_by_tier; /* n_scenarios x n_tiers: USD of units_by_tier,
					* unknown unit costs apart (allot_usd_add) */
	int *cover;                    /* n_scenarios x n_minerals: months before the
					* mineral first holds production back
					* (window when it never does) */
	uint8_t *binding;              /* n_scenarios x window x n_minerals: 1 when
					* the mineral held production back */
	int64_t *delivered;            /* n_scenarios x n_orders: units delivered */
	allot_month *completion;       /* n_scenarios x n_orders (in the window) */
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
	int *order_tier; /* n_orders: partner's tier at month 0 */
	unsigned methods;
	unsigned char *mineral_line;       /* n_lines: 1 when a system of the
					    * line has a bill of materials */
	struct allot_reserve_outcome base; /* no purchase */
	struct allot_reserve_outcome lp;   /* the LP's purchase (methods & LP) */
	struct allot_reserve_outcome heur; /* the heuristic's (& HEURISTIC) */
	double *lp_kg;                     /* n_minerals: the LP's purchase before rounding */
	double lp_bound;                   /* LP optimum of the weighted value (mineral
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
int allot_reserve_run(const struct allot_scenario *s, const struct allot_reserve_options *o,
		      struct allot_reserve **out, struct allot_diags *d);
void allot_reserve_free(struct allot_reserve *r);
/* The recommended outcome (lp or heur). */
const struct allot_reserve_outcome *allot_reserve_best(const struct allot_reserve *r);
/* Gap of an outcome to the LP bound on the mineral lines, in percent:
 * 100 * (bound - objective_mineral) / bound (0 when the bound is 0). */
double allot_reserve_gap_pct(const struct allot_reserve *r, const struct allot_reserve_outcome *x);

/* ------------------------------------------------------------------------ */
/* The reserve at the economy's scale                                        */
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
	ALLOT_CG_COMMS, /* communications */
	ALLOT_CG_REST,  /* the rest of the economy */
	ALLOT_CG_COUNT
};
#define ALLOT_CG_DEFENCE_N 3 /* groups 0..2 are defence */
const char *allot_cgroup_name(enum allot_cgroup g);
int allot_cgroup_parse(const char *s); /* -1 when unknown */

/* Source groups of US supply (critical_minerals.csv shares). */
enum {
	ALLOT_SRC_DOMESTIC = 0,
	ALLOT_SRC_CHINA,
	ALLOT_SRC_ALLIES,
	ALLOT_SRC_OTHERS,
	ALLOT_SRC_COUNT
};
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
	int price_year;   /* 0 when missing */
	double stock_kg;  /* held today */
	double enduse[4]; /* defence, semiconductors, batteries,
			   * communications: shares of consumption */
};
struct allot_economy {
	struct allot_econ_mineral *m;
	size_t n;
};
/* Reads critical_minerals.csv (the dataset's, docs/reserve.md).  Bad input:
 * ALLOT_EINPUT with file:line:column diagnostics. */
int allot_economy_load(const char *path, struct allot_economy **out, struct allot_diags *d);
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
	ALLOT_XR_BOUGHT_CAP,  /* bought up to the market cap */
	ALLOT_XR_MISSING,     /* a figure the model needs is missing */
	ALLOT_XR_NO_EXPOSURE, /* none of its supply comes from the embargoed source */
	ALLOT_XR_COVERED,     /* the stock held today already covers the shortfall */
	ALLOT_XR_LOW_VALUE,   /* each USD buys fewer days of cover than the
			       * minerals bought (the budget binds) */
	ALLOT_XR_COUNT
};
const char *allot_xr_reason_text(enum allot_xr_reason r);

struct allot_xr_purchase {
	double kg, cost_usd;
	double defence_days, civil_days; /* expected weighted days served */
};

struct allot_xreserve {
	const struct allot_economy *e;  /* borrowed */
	const struct allot_scenario *s; /* borrowed */
	size_t n_minerals, n_scenarios;
	int months;                /* modelled: as_of .. last embargo end */
	double *prob;              /* n_scenarios */
	struct allot_embargo *emb; /* n_scenarios (source borrowed) */
	double budget_usd;
	double *demand;       /* minerals x groups x months: kg/month */
	double *cap_kg;       /* minerals: market cap, -1 when not buyable */
	unsigned char *model; /* minerals: 1 when in the model */
	char **missing;       /* minerals: what is missing or NULL */
	double *base_price;   /* minerals: USD/kg (or -1) */
	/* Purchases (kg per mineral) and what they give. */
	double *lp_kg, *heur_kg, *best_kg;
	double *best_cost; /* minerals: USD paid for best_kg on the curve */
	struct allot_xr_purchase lp, heur, best, none;
	struct allot_xr_purchase next_billion;   /* what budget + 1e9 adds (LP, else
						  * the heuristic): differences */
	double lp_defence_bound, lp_civil_bound; /* the LP optimum */
	double budget_dual;                      /* civil days per USD of the last dollar (LP) */
	int budget_binds;
	enum allot_xr_reason *reason; /* minerals */
	double *value_per_musd;       /* minerals: days of cover the
				       * first USD million buys */
	/* Days of cover (expected over scenarios) of each group, per mineral,
	 * before (stock today) and after the recommended purchase: days of the
	 * embargo the group's lost supply is met from stock.  minerals x groups */
	double *cover_before, *cover_after, *shortfall_days;
	/* Arms lines (those with a bill of materials on a modelled mineral). */
	double *line_run_before, *line_run_after; /* n_lines: share of embargo
						   * months running (expected) */
	double *tier_units_protected;             /* n_tiers: foreign units */
	size_t n_tiers;
	int lp_rows, lp_cols, lp_nonzeros;
	double lp_seconds;      /* the LP at the budget (build + 3 passes) */
	double lp_next_seconds; /* the same at budget + 1e9, warm-started */
	double heur_seconds;
	unsigned recommended;
};

/* Recommends a purchase.  e and s are borrowed (keep them alive). */
int allot_xreserve_run(const struct allot_economy *e, const struct allot_scenario *s,
		       const struct allot_xreserve_options *o, struct allot_xreserve **out,
		       struct allot_diags *d);
void allot_xreserve_free(struct allot_xreserve *r);

/* ---- What every face shows (lib/reserve/economy_out.c) ------------------ */
/* The CLI (text, CSV, JSON), the report, the API and the dashboard take their
 * figures from these, so the same inputs give the same numbers everywhere. */

#define ALLOT_XR_AIM_DAYS 60.0 /* the stated aim: about 60 days of supply */

/* Days of all US consumption the stock held today plus kg would last; -1
 * when consumption is missing.  A missing stock held today counts as none
 * (the faces show "missing" before and ">=" after). */
double allot_xreserve_days_held(const struct allot_econ_mineral *x, double kg);

/* Why mineral m gets what it gets, in words: the reason, what is missing,
 * and "; no defence use" where neither the bills nor the end-use table give
 * one. */
const char *allot_xreserve_why(const struct allot_xreserve *r, size_t m, char *buf, size_t n);

/* Scenario k in words: "china stops its share of every mineral 2025-01..
 * 2026-12 (24 months), probability 1.00". */
const char *allot_xreserve_scenario_label(const struct allot_xreserve *r, size_t k, char *buf,
					  size_t n);

/* Days of cover by consumer group: sums over the minerals the group is
 * short of (days_short > 0), and the mineral covered the fewest days after
 * the purchase (fewest = -1 when the group is short of none). */
struct allot_xr_group {
	int n_short;
	double days_short, before, after;
	long fewest;
	double fewest_after;
};
void allot_xreserve_groups(const struct allot_xreserve *r,
			   struct allot_xr_group out[ALLOT_CG_COUNT]);

/* Against the aim: minerals with a consumption figure, and how many of them
 * hold at least ALLOT_XR_AIM_DAYS before and after the purchase. */
struct allot_xr_aim {
	int n, before, after;
};
void allot_xreserve_aim(const struct allot_xreserve *r, struct allot_xr_aim *a);

/* The whole answer as one JSON object (the CLI's --json and the API's
 * GET /api/scenarios/{name}/reserve): with_times 0 leaves out the seconds.
 * NULL when out of memory. */
struct json_t;
struct json_t *allot_xreserve_json(const struct allot_xreserve *r, unsigned methods,
				   int with_times);

#ifdef __cplusplus
}
#endif
#endif
