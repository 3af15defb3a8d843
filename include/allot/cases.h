/*
 * allot/cases.h - the case process: requests to offers, notification, catalog, transfers.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_CASES_H
#define ALLOT_CASES_H

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
/* Case process: requests to offers, notification, catalog, end-use          */
/* monitoring, third-party transfers (docs/case-process.md,                */
/* docs/policy.md)                                                           */

/* "A", "B", "C", "DC"; parse returns -1 when unknown. */
const char *allot_case_category_name(int c);
int allot_case_category_parse(const char *s);
const char *allot_notify_kind_name(enum allot_notify_kind k);   /* "MDE" ... */
const char *allot_notify_group_name(enum allot_notify_group g); /* "NATO+" ... */

/* The defaults of docs/policy.md (set = 0). */
void allot_case_policy_default(struct allot_case_policy *c);
/* The settings in force: p->cases when set, else the defaults. */
void allot_case_policy_of(const struct allot_policy *p, struct allot_case_policy *out);
/* The min_tier gate of a system (0: none). */
int allot_case_min_tier(const struct allot_case_policy *c, const char *system_id);
/* The same in force in month m: the policy's gate, replaced by the
 * min_tier event of the system with the latest month <= m (file order
 * within a month; docs/case-process.md). */
int allot_case_min_tier_at(const struct allot_scenario *s, const struct allot_case_policy *c,
			   int system, allot_month m);
/* A system's catalog (type ALLOT_EV_CATALOG) or EEUM (ALLOT_EV_EEUM) flag in
 * force in month m: systems.csv's, replaced by the system's event of that
 * type with the latest month <= m (file order within a month).  m =
 * ALLOT_NO_MONTH: set at any time (the column or any event with 1). */
int allot_system_flag_at(const struct allot_scenario *s, int system, enum allot_event_type type,
			 allot_month m);
/* The 36(b) group of a partner: NATO+ when its alliance is "nato"
 * (any case) or its code is in nato_plus. */
enum allot_notify_group allot_case_group(const struct allot_case_policy *c, const char *iso3,
					 const char *alliance);
/* A partner's end-use status in force in month m: its eum_status, then
 * every eum_status event with month <= m in file order. */
enum allot_eum allot_case_eum_at(const struct allot_scenario *s, int partner, allot_month m);
/* Calendar days to whole months: floor(days / 30.4375 + 0.5) (a request
 * dated mid-month lands in the month its end date falls in). */
int allot_case_days_to_months(double days);

/* One request's path to an offer. */
struct allot_case_estimate {
	int category; /* applied (the default when the row had none) */
	int tier;     /* partner's tier at as_of */
	enum allot_notify_group group;
	int strategy;           /* 1: the strategy's rules applied (priority
				 * policy, LOR on or after the switch month) */
	double base_days;       /* processing_days of the category */
	double processing_days; /* after catalog and tier shortening */
	double value_usd;       /* the case value compared with the thresholds */
	int notify;             /* 1: a 36(b) notification is needed */
	int notify_kind;        /* enum allot_notify_kind crossed; -1 none */
	double threshold_usd;   /* the threshold crossed (or the lowest that
				 * applied, when none was) */
	int threshold_kind;     /* its enum allot_notify_kind */
	double review_days;     /* formal + advance review when notify */
	int eeum_review;        /* 1: EEUM system, partner delinquent at LOR */
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
void allot_case_estimate(const struct allot_scenario *s, size_t r, enum allot_policy_kind kind,
			 allot_month switch_month, struct allot_case_estimate *out);
/* Why, in words: "36(b) MDE: USD 30.0 million >= USD 25.0 million (NATO+
 * group, 15-day review)", "no 36(b): USD 13.0 million < USD 14.0 million
 * MDE (other group)", "held: tier 2 below the catalog gate (tier 1)". */
void allot_case_reason(const struct allot_scenario *s, const struct allot_case_estimate *e,
		       char *buf, size_t size);

/* One transfer's consent decision under one regime. */
enum {
	ALLOT_TPT_INELIGIBLE = 1, /* recipient not a partner, or in violation */
	ALLOT_TPT_EEUM = 2,       /* an EEUM item */
	ALLOT_TPT_NOTIFY = 4,     /* AECA 3(d) notification and review */
};
struct allot_transfer_decision {
	int consent;     /* 1 consent, 0 refused */
	unsigned why;    /* ALLOT_TPT_* that applied */
	int notify_kind; /* -1 none */
	double days;
	allot_month month; /* request_month + days_to_months(days) */
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
	size_t requests; /* requests of partners in the tier */
	size_t held[2];
	size_t counted[2];     /* not held */
	size_t censored[2];    /* no delivery in the horizon */
	double mean_months[2]; /* LOR to first delivery over counted */
};

struct allot_pipeline {
	const struct allot_scenario *scenario; /* borrowed */
	allot_month switch_month;              /* in force for the priority side */
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
	int months;        /* months of the year inside the horizon */
	int64_t capacity;  /* sum of the line's foreign capacity F(t) */
	int64_t committed; /* units the plan makes on the line */
	int64_t open;      /* capacity - committed */
};
struct allot_catalog_row {
	int system;
	int min_tier;    /* the policy's gate (0: none) */
	size_t requests; /* requests for the system */
	int64_t requested_units;
	struct allot_catalog_year *years; /* n_years of the catalog */
};
struct allot_catalog {
	int first_year, n_years;
	int catalog_only; /* 0: no system is marked catalog: all listed */
	struct allot_catalog_row *rows;
	size_t n; /* system order */
};
/* years: at most this many calendar years from as_of (0: all). */
int allot_catalog_run(const struct allot_plan *p, int years, struct allot_catalog **out);
void allot_catalog_free(struct allot_catalog *c);

#ifdef __cplusplus
}
#endif
#endif
