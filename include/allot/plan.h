/*
 * allot/plan.h - the planner: production month by month, its results and statistics.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_PLAN_H
#define ALLOT_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/score.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Planning                                                                  */

enum allot_policy_kind { ALLOT_POLICY_FCFS = 0, ALLOT_POLICY_PRIORITY };
int allot_policy_kind_parse(const char *s, enum allot_policy_kind *out);
const char *allot_policy_kind_name(enum allot_policy_kind k);

/* A switch month meaning "never switch": the named policy from month 0
 * (`--switch none`, the API's switch=none).  It is a month before every
 * as_of (ALLOT_MIN_YEAR), so every switch_month option takes it. */
#define ALLOT_SWITCH_NONE ((allot_month)(1000 * 12))

struct allot_plan_options {
	enum allot_policy_kind policy;
	allot_month switch_month; /* ALLOT_NO_MONTH: use the scenario's */
	int record_allocations;   /* keep every (order, month, units) row */
	int32_t trace_order;      /* order index to trace (allot explain); -1 none */
	/* Threads a plan may use (docs/performance.md, eighth round): 0, the
	 * default, two on a machine with several cores when the scenario is
	 * big enough to gain (ALLOT_PLAN_THREADS=1 in the environment forces
	 * one); 1 one; 2 two whatever the size.  The plan is the same, bit for
	 * bit, with any number. */
	int threads;
};

/* Why a traced order got what it got in one month. */
enum allot_limit {
	ALLOT_LIMIT_NONE = 0,     /* it got every unit it still wanted */
	ALLOT_LIMIT_NOT_ELIGIBLE, /* its LOA month is still ahead */
	ALLOT_LIMIT_DONE,         /* nothing left: produced or cancelled */
	ALLOT_LIMIT_BLOCKED,      /* EEUM system, partner in violation */
	ALLOT_LIMIT_LINE,         /* the line's capacity ran out first */
	ALLOT_LIMIT_MINERAL,      /* a mineral's stock ran out first */
	ALLOT_LIMIT_PACE,         /* its own max_per_month (orders.csv) */
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
	int mineral; /* the binding mineral (ALLOT_LIMIT_MINERAL), else -1 */
	int tier;    /* the order's partner's tier and score in force */
	double score;
	int priority_keys;           /* 1 when the month walked in priority order */
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
	int32_t month; /* relative month: 0 = as_of */
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
	int64_t produced;           /* units produced on the line within the horizon */
	int64_t delivered_in_h;     /* units delivered within the horizon (all kinds) */
	int64_t cancelled;          /* units cut by budget caps */
	int64_t blocked;            /* units waiting on an EEUM block at the end */
	int64_t cap_unchecked;      /* units a budget cap kept without a check: the
				     * unit cost is unknown (docs/allocation.md) */
	allot_month first_delivery; /* ALLOT_NO_MONTH when none */
	allot_month completion;     /* absolute month or ALLOT_NO_MONTH */
	int64_t short_units;        /* qty - delivered - delivered_in_h - cancelled */
	int tier0;                  /* partner's tier at month 0 */
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
	struct allot_alloc *allocs;
	size_t n_allocs;
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
int allot_plan_run(const struct allot_scenario *s, const struct allot_plan_options *o,
		   struct allot_plan **out);
void allot_plan_free(struct allot_plan *p);

/* A planner's working memory, kept from one run to the next: a loop that
 * plans many scenarios of the same size (a sweep's worker) gets the same
 * blocks back instead of fresh pages from the kernel, which at 1M orders
 * cost as much as a third of a plan.  A workspace serves one thread at a
 * time.  allot_plan_run_in and allot_plan_resume_in are allot_plan_run and
 * allot_plan_resume planning in w (NULL: none); the plan they return owns
 * its arrays as usual, and allot_plan_workspace_recycle(w, p) frees p but
 * keeps its arrays for the next plan (instead of allot_plan_free). */
struct allot_plan_workspace;
#define ALLOT_HAVE_PLAN_WORKSPACE 1
struct allot_plan_workspace *allot_plan_workspace_new(void); /* NULL: no memory */
void allot_plan_workspace_free(struct allot_plan_workspace *w);
int allot_plan_run_in(struct allot_plan_workspace *w, const struct allot_scenario *s,
		      const struct allot_plan_options *o, struct allot_plan **out);
void allot_plan_workspace_recycle(struct allot_plan_workspace *w, struct allot_plan *p);

/* Incremental re-planning (docs/planner.md, "Incremental re-planning").
 * allot_plan_run_checkpointed plans s as allot_plan_run does and also
 * keeps the planner's whole state at the start of every `every`-th month
 * (every <= 0: none; no copies when o traces an order; the interval is
 * widened so that the copies stay under 128 MiB).  *cp borrows s:
 * keep it alive.  allot_plan_resume then plans x, a scenario derived from
 * s (allot_changes_apply, a server edit), with options o: when x's static
 * rows and policy are s's (the same arrays) and the options are the
 * same, it restores the latest copy at or before the first month whose
 * dated actions or embargoes differ and plans on from there; otherwise it
 * plans x from month 0.  *from is the month it started at.  Either way
 * *out is exactly allot_plan_run(x, o). */
struct allot_plan_checkpoints;
int allot_plan_run_checkpointed(const struct allot_scenario *s, const struct allot_plan_options *o,
				int every, struct allot_plan **out,
				struct allot_plan_checkpoints **cp);
int allot_plan_resume(const struct allot_plan_checkpoints *cp, const struct allot_scenario *x,
		      const struct allot_plan_options *o, struct allot_plan **out, int *from);
void allot_plan_checkpoints_free(struct allot_plan_checkpoints *cp);
int allot_plan_resume_in(struct allot_plan_workspace *w, const struct allot_plan_checkpoints *cp,
			 const struct allot_scenario *x, const struct allot_plan_options *o,
			 struct allot_plan **out, int *from);

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
	double p90; /* nearest rank */
};

struct allot_plan_stats {
	int first_year, n_years;
	int64_t *delivered_by_year;      /* units arriving in each calendar year */
	struct allot_usd *value_by_year; /* their value (units of unknown cost apart) */
	int64_t produced, cancelled, blocked;
	size_t cap_unchecked;  /* orders a budget cap kept unchecked:
				* their unit cost is unknown */
	int64_t backlog_units; /* not delivered by the horizon's end */
	struct allot_usd backlog_value;
	int64_t *backlog_by_tier_month; /* (n_tiers) x horizon: units not yet
					 * delivered at the end of each month */
	size_t n_tiers;                 /* policy tiers */
	struct allot_wait_stats all, by_tier[ALLOT_MAX_TIERS];
};

int allot_plan_stats(const struct allot_plan *p, struct allot_plan_stats *out);
/* The same figures over one partner's orders (partner: an index into the
 * scenario's partners; -1: every order, as allot_plan_stats).  The plan is
 * still the whole scenario's: only what is counted is filtered. */
int allot_plan_stats_partner(const struct allot_plan *p, int partner, struct allot_plan_stats *out);
void allot_plan_stats_free(struct allot_plan_stats *st);

#ifdef __cplusplus
}
#endif
#endif
