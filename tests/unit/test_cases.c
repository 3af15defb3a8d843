/*
 * test_cases.c - the case process (lib/cases) on small scenarios checked by
 * hand: 36(b) thresholds on both sides for both partner groups and every
 * kind, LOA months with shortening, the catalog gate, EEUM reviews, holds
 * and releases, third-party transfer decisions under both regimes, the
 * pipeline's deliveries and tier totals, and the catalog's capacity.
 *
 * The scenario: as_of 2026-01, one line of 10 units a month (no US share),
 * three partners whose default-policy tiers are fixed by their inputs:
 *   DEU  tier 1 (score 100), alliance nato          -> NATO+ group
 *   JPN  tier 2 (score 55),  alliance treaty, listed -> NATO+ group
 *   IND  tier 3 (score 3),   alliance none           -> other group
 * and systems jet (MDE, USD 10 million), svc (not MDE, USD 1 million),
 * msl (MDE, EEUM, USD 1 million), all on the line with no lead time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"
#include "util/mem.h"

enum { DEU, JPN, IND };
enum { JET, SVC, MSL };

static void set_alliance(struct allot_scenario *s, int p, const char *a)
{
	mem_free(s->partners[p].alliance);
	s->partners[p].alliance = mem_strdup(a);
	assert_non_null(s->partners[p].alliance);
}

static struct allot_scenario *base(void)
{
	struct allot_scenario *s = tu_scenario("2026-01", 60);
	tu_partner(s, "DEU", "indo-pacific", 1, 5, 30, 50000, 3, 50e9, 0);
	tu_partner(s, "JPN", "indo-pacific", 1, 5, 0, 0, 0, 0, 0);
	tu_partner(s, "IND", "other", 0, 0, 0, 0, 0, 0, 0);
	set_alliance(s, DEU, "nato");
	set_alliance(s, JPN, "treaty");
	set_alliance(s, IND, "none");
	int l = tu_line(s, "L", 10, 0);
	tu_system(s, "jet", l, 10e6, 0, 0);
	tu_system(s, "svc", l, 1e6, 0, 0);
	tu_system(s, "msl", l, 1e6, 0, 1);
	s->systems[SVC].not_mde = 1;
	return s;
}

static int add_request(struct allot_scenario *s, const char *id, int partner, int system,
		       int64_t qty, const char *lor, double value, int category)
{
	struct allot_request *v = mem_reallocarray(s->requests, s->n_requests + 1, sizeof *v);
	assert_non_null(v);
	s->requests = v;
	struct allot_request *r = &v[s->n_requests];
	memset(r, 0, sizeof *r);
	r->request_id = mem_strdup(id);
	r->partner = partner;
	r->system = system;
	r->qty = qty;
	r->lor_month = tu_m(lor);
	r->value_usd = value;
	r->category = category;
	return (int)s->n_requests++;
}

static int add_transfer(struct allot_scenario *s, const char *id, int from, const char *to,
			int system, int64_t qty, const char *month)
{
	struct allot_transfer *v = mem_reallocarray(s->transfers, s->n_transfers + 1, sizeof *v);
	assert_non_null(v);
	s->transfers = v;
	struct allot_transfer *x = &v[s->n_transfers];
	memset(x, 0, sizeof *x);
	x->transfer_id = mem_strdup(id);
	x->from = from;
	memcpy(x->to_iso3, to, 4);
	x->to = allot_scenario_find_partner(s, to);
	x->system = system;
	x->qty = qty;
	x->request_month = tu_m(month);
	return (int)s->n_transfers++;
}

static struct allot_case_estimate est(const struct allot_scenario *s, int r,
				      enum allot_policy_kind k)
{
	struct allot_case_estimate e;
	allot_case_estimate(s, (size_t)r, k, ALLOT_NO_MONTH, &e);
	return e;
}

/* The fixture's tiers and groups are what the header says. */
static void test_fixture(void **state)
{
	(void)state;
	struct allot_scenario *s = base();
	int r0 = add_request(s, "r0", DEU, JET, 1, "2026-03", 1, -1);
	int r1 = add_request(s, "r1", JPN, JET, 1, "2026-03", 1, -1);
	int r2 = add_request(s, "r2", IND, JET, 1, "2026-03", 1, -1);
	assert_int_equal(est(s, r0, ALLOT_POLICY_FCFS).tier, 1);
	assert_int_equal(est(s, r1, ALLOT_POLICY_FCFS).tier, 2);
	assert_int_equal(est(s, r2, ALLOT_POLICY_FCFS).tier, 3);
	assert_int_equal(est(s, r0, ALLOT_POLICY_FCFS).group, ALLOT_GROUP_NATO_PLUS);
	assert_int_equal(est(s, r1, ALLOT_POLICY_FCFS).group, ALLOT_GROUP_NATO_PLUS);
	assert_int_equal(est(s, r2, ALLOT_POLICY_FCFS).group, ALLOT_GROUP_OTHER);
	allot_scenario_free(s);
}

/* Every 36(b) threshold, one dollar below and exactly at it, for both
 * groups (DEU through its alliance, JPN through the list, IND other). */
static void test_thresholds(void **state)
{
	(void)state;
	static const struct {
		int partner, system, category;
		double at;
		int kind;
		double review; /* formal + advance */
	} cases[] = {
		{ DEU, JET, -1, 25e6, ALLOT_NOTIFY_MDE, 15 },
		{ JPN, JET, -1, 25e6, ALLOT_NOTIFY_MDE, 15 },
		{ IND, JET, -1, 14e6, ALLOT_NOTIFY_MDE, 50 },
		{ DEU, SVC, -1, 100e6, ALLOT_NOTIFY_ARTICLES, 15 },
		{ JPN, SVC, ALLOT_CAT_A, 100e6, ALLOT_NOTIFY_ARTICLES, 15 },
		{ IND, SVC, -1, 50e6, ALLOT_NOTIFY_ARTICLES, 50 },
		{ DEU, SVC, ALLOT_CAT_DC, 300e6, ALLOT_NOTIFY_CONSTRUCTION, 15 },
		{ JPN, JET, ALLOT_CAT_DC, 300e6, ALLOT_NOTIFY_CONSTRUCTION, 15 },
		{ IND, SVC, ALLOT_CAT_DC, 200e6, ALLOT_NOTIFY_CONSTRUCTION, 50 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct allot_scenario *s = base();
		int below = add_request(s, "below", cases[i].partner, cases[i].system, 1, "2026-03",
					cases[i].at - 1, cases[i].category);
		int at = add_request(s, "at", cases[i].partner, cases[i].system, 1, "2026-03",
				     cases[i].at, cases[i].category);
		struct allot_case_estimate b = est(s, below, ALLOT_POLICY_FCFS);
		struct allot_case_estimate a = est(s, at, ALLOT_POLICY_FCFS);
		assert_int_equal(b.notify, 0);
		assert_int_equal(b.notify_kind, -1);
		assert_true(b.review_days == 0);
		assert_true(b.threshold_usd == cases[i].at);
		assert_int_equal(b.threshold_kind, cases[i].kind);
		assert_int_equal(a.notify, 1);
		assert_int_equal(a.notify_kind, cases[i].kind);
		assert_true(a.threshold_usd == cases[i].at);
		assert_true(a.review_days == cases[i].review);
		allot_scenario_free(s);
	}
}

/* An MDE case above the MDE threshold is notified as MDE even when it is
 * under the articles threshold; a value between the two for a non-MDE
 * system is not notified. */
static void test_mde_flag(void **state)
{
	(void)state;
	struct allot_scenario *s = base();
	int jet = add_request(s, "jet", IND, JET, 2, "2026-03", 20e6, -1);
	int svc = add_request(s, "svc", IND, SVC, 20, "2026-03", 20e6, -1);
	assert_int_equal(est(s, jet, ALLOT_POLICY_FCFS).notify_kind, ALLOT_NOTIFY_MDE);
	assert_int_equal(est(s, svc, ALLOT_POLICY_FCFS).notify, 0);
	char why[256];
	struct allot_case_estimate e = est(s, jet, ALLOT_POLICY_FCFS);
	allot_case_reason(s, &e, why, sizeof why);
	assert_string_equal(why, "36(b) MDE: USD 20.0 million >= USD 14.0 million "
				 "(other group, 50-day review)");
	e = est(s, svc, ALLOT_POLICY_FCFS);
	allot_case_reason(s, &e, why, sizeof why);
	assert_string_equal(why, "no 36(b): USD 20.0 million < USD 50.0 million "
				 "articles and services (other group)");
	allot_scenario_free(s);
}

/* LOA months: days to months rounds at the half (mid-month LOR); catalog
 * and tier shortening apply under priority only, from the switch month. */
static void test_loa_months(void **state)
{
	(void)state;
	assert_int_equal(allot_case_days_to_months(0), 0);
	assert_int_equal(allot_case_days_to_months(15), 0);  /* 0.49 */
	assert_int_equal(allot_case_days_to_months(16), 1);  /* 0.53 */
	assert_int_equal(allot_case_days_to_months(45), 1);  /* 1.48 */
	assert_int_equal(allot_case_days_to_months(100), 3); /* 3.29 */
	assert_int_equal(allot_case_days_to_months(150), 5); /* 4.93 */

	struct allot_scenario *s = base();
	s->systems[JET].catalog = 1;
	/* IND, B (100 days), USD 14 million MDE: 100 + 30 + 20 = 150 days. */
	int r = add_request(s, "r", IND, JET, 1, "2026-03", 14e6, -1);
	struct allot_case_estimate e = est(s, r, ALLOT_POLICY_FCFS);
	assert_int_equal(e.category, ALLOT_CAT_B);
	assert_true(e.total_days == 150);
	assert_int_equal(e.loa_month, tu_m("2026-08"));
	/* Priority: tier 3 cuts 0, catalog 25 %: 75 + 50 = 125 days -> 4. */
	e = est(s, r, ALLOT_POLICY_PRIORITY);
	assert_int_equal(e.strategy, 1);
	assert_true(e.processing_days == 75);
	assert_int_equal(e.loa_month, tu_m("2026-07"));
	/* DEU tier 1, catalog, C (150): 150 x 0.75 x 0.75 = 84.375 days -> 3;
	 * below its threshold: no review. */
	int d = add_request(s, "d", DEU, JET, 1, "2026-03", 1e6, ALLOT_CAT_C);
	e = est(s, d, ALLOT_POLICY_PRIORITY);
	assert_true(e.processing_days == 84.375);
	assert_int_equal(e.loa_month, tu_m("2026-06"));
	assert_int_equal(est(s, d, ALLOT_POLICY_FCFS).loa_month, tu_m("2026-08"));
	/* A switch month after the LOR: the strategy does not apply yet. */
	s->switch_month = tu_m("2026-04");
	assert_int_equal(est(s, d, ALLOT_POLICY_PRIORITY).strategy, 0);
	assert_int_equal(est(s, d, ALLOT_POLICY_PRIORITY).loa_month, tu_m("2026-08"));
	struct allot_case_estimate e2;
	allot_case_estimate(s, (size_t)d, ALLOT_POLICY_PRIORITY, tu_m("2026-03"), &e2);
	assert_int_equal(e2.strategy, 1);
	allot_scenario_free(s);
}

/* The catalog gate holds requests below the system's minimum tier, under
 * the strategy only. */
static void test_catalog_gate(void **state)
{
	(void)state;
	struct allot_scenario *s = base();
	allot_case_policy_default(&s->policy.cases);
	s->policy.cases.set = 1;
	strcpy(s->policy.cases.gates[0].system_id, "jet");
	s->policy.cases.gates[0].min_tier = 2;
	s->policy.cases.n_gates = 1;
	int d = add_request(s, "d", DEU, JET, 1, "2026-03", 1e6, -1);
	int j = add_request(s, "j", JPN, JET, 1, "2026-03", 1e6, -1);
	int i = add_request(s, "i", IND, JET, 1, "2026-03", 1e6, -1);
	int k = add_request(s, "k", IND, SVC, 1, "2026-03", 1e6, -1);
	assert_int_equal(est(s, d, ALLOT_POLICY_PRIORITY).held, 0);
	assert_int_equal(est(s, j, ALLOT_POLICY_PRIORITY).held, 0);
	struct allot_case_estimate e = est(s, i, ALLOT_POLICY_PRIORITY);
	assert_int_equal(e.held, 1);
	assert_int_equal(e.min_tier, 2);
	assert_int_equal(e.loa_month, ALLOT_NO_MONTH);
	char why[256];
	allot_case_reason(s, &e, why, sizeof why);
	assert_string_equal(why, "held: tier 3 below the catalog gate (tier 2)");
	assert_int_equal(est(s, i, ALLOT_POLICY_FCFS).held, 0);
	assert_int_equal(est(s, k, ALLOT_POLICY_PRIORITY).held, 0);
	allot_scenario_free(s);
}

/* EEUM: a delinquent partner's request for an EEUM system waits the review
 * time; after an event makes it compliant, it does not; a partner in
 * violation is flagged (and the planner holds production, see below). */
static void test_eeum_review(void **state)
{
	(void)state;
	struct allot_scenario *s = base();
	s->partners[IND].eum_status = ALLOT_EUM_DELINQUENT;
	tu_event(s, "2026-06", ALLOT_EV_EUM_STATUS, "IND", "compliant");
	int a = add_request(s, "a", IND, MSL, 1, "2026-03", 1e6, ALLOT_CAT_A);
	int b = add_request(s, "b", IND, SVC, 1, "2026-03", 1e6, ALLOT_CAT_A);
	int c = add_request(s, "c", IND, MSL, 1, "2026-06", 1e6, ALLOT_CAT_A);
	struct allot_case_estimate e = est(s, a, ALLOT_POLICY_FCFS);
	assert_int_equal(e.eeum_review, 1);
	assert_true(e.eeum_days == 90);
	assert_true(e.total_days == 135);               /* 45 + 90 */
	assert_int_equal(e.loa_month, tu_m("2026-07")); /* 4.44 -> 4 */
	assert_int_equal(est(s, b, ALLOT_POLICY_FCFS).eeum_review, 0);
	e = est(s, c, ALLOT_POLICY_FCFS);
	assert_int_equal(e.eeum_review, 0);
	assert_int_equal(e.loa_month, tu_m("2026-07")); /* 45 days -> 1 */
	s->partners[IND].eum_status = ALLOT_EUM_VIOLATION;
	assert_int_equal(est(s, a, ALLOT_POLICY_FCFS).eeum_violation, 1);
	assert_int_equal(est(s, a, ALLOT_POLICY_FCFS).eeum_review, 0);
	assert_int_equal(est(s, c, ALLOT_POLICY_FCFS).eeum_violation, 0);
	allot_scenario_free(s);
}

/* Transfers under both regimes with the default rules:
 * standard 90 days (+60 EEUM), streamlined 30 (+30 EEUM), recipients
 * without eligibility refused, AECA 3(d) review when the value reaches the
 * recipient group's threshold. */
static void test_transfers(void **state)
{
	(void)state;
	struct allot_scenario *s = base();
	int plain = add_transfer(s, "plain", DEU, "JPN", SVC, 10, "2026-02");
	int stranger = add_transfer(s, "stranger", DEU, "XYZ", SVC, 1, "2026-02");
	int eeum = add_transfer(s, "eeum", DEU, "JPN", MSL, 1, "2026-02");
	int big = add_transfer(s, "big", DEU, "IND", JET, 2, "2026-02");
	struct allot_transfer_decision d;

	allot_transfer_decide(s, (size_t)plain, 0, &d);
	assert_int_equal(d.consent, 1);
	assert_int_equal(d.why, 0);
	assert_true(d.days == 90);
	assert_int_equal(d.month, tu_m("2026-05"));
	allot_transfer_decide(s, (size_t)plain, 1, &d);
	assert_true(d.days == 30);
	assert_int_equal(d.month, tu_m("2026-03"));

	for (int regime = 0; regime < 2; regime++) {
		allot_transfer_decide(s, (size_t)stranger, regime, &d);
		assert_int_equal(d.consent, 0);
		assert_int_equal(d.why, ALLOT_TPT_INELIGIBLE);
	}

	allot_transfer_decide(s, (size_t)eeum, 0, &d);
	assert_int_equal(d.consent, 1);
	assert_int_equal(d.why, ALLOT_TPT_EEUM);
	assert_true(d.days == 150);
	assert_int_equal(d.month, tu_m("2026-07"));
	allot_transfer_decide(s, (size_t)eeum, 1, &d);
	assert_true(d.days == 60);
	assert_int_equal(d.month, tu_m("2026-04"));

	/* 2 x USD 10 million MDE to IND (other group): 30-day review. */
	allot_transfer_decide(s, (size_t)big, 0, &d);
	assert_int_equal(d.why, ALLOT_TPT_NOTIFY);
	assert_int_equal(d.notify_kind, ALLOT_NOTIFY_MDE);
	assert_true(d.days == 120);
	assert_int_equal(d.month, tu_m("2026-06"));

	/* A recipient in violation has no eligibility; a refuse_eeum rule
	 * refuses an EEUM item in that regime only; the ineligible recipient
	 * can be reviewed instead of refused. */
	allot_case_policy_default(&s->policy.cases);
	s->policy.cases.set = 1;
	s->policy.cases.tpt[0].refuse_eeum = 1;
	s->policy.cases.tpt[1].refuse_ineligible = 0;
	s->policy.cases.tpt[1].ineligible_days = 45;
	allot_transfer_decide(s, (size_t)eeum, 0, &d);
	assert_int_equal(d.consent, 0);
	allot_transfer_decide(s, (size_t)eeum, 1, &d);
	assert_int_equal(d.consent, 1);
	allot_transfer_decide(s, (size_t)stranger, 1, &d);
	assert_int_equal(d.consent, 1);
	assert_true(d.days == 75);
	s->partners[JPN].eum_status = ALLOT_EUM_VIOLATION;
	allot_transfer_decide(s, (size_t)plain, 0, &d);
	assert_int_equal(d.consent, 0);
	assert_int_equal(d.why, ALLOT_TPT_INELIGIBLE);
	allot_scenario_free(s);
}

/* The pipeline plans requests as orders: one request alone on a line of 10
 * a month is delivered in its LOA month; an order ahead of it on the line
 * pushes it back; a partner in violation gets nothing until an event
 * makes it compliant (release). */
static void test_pipeline(void **state)
{
	(void)state;
	struct allot_scenario *s = base();
	/* 25 units signed by DEU, LOA 2025-06: months 0..2 (10, 10, 5). */
	tu_order(s, "o1", DEU, SVC, 25, 0, "2025-06", NULL, -1);
	/* IND jets, B, USD 14 million: LOA 2026-08 under both policies (tier
	 * 3, not catalog: no shortening). */
	add_request(s, "r", IND, JET, 5, "2026-03", 14e6, -1);
	/* JPN svc, A (45 days -> 1 month): LOA 2026-02; the line still serves
	 * o1 then: 5 of 20 in 2026-03, 10 in 2026-04, 5 in 2026-05. */
	add_request(s, "q", JPN, SVC, 20, "2026-01", 1e6, ALLOT_CAT_A);
	/* IND msl (A: LOA 2026-02) while IND is in violation, compliant from
	 * 2026-10: nothing is made before then. */
	s->partners[IND].eum_status = ALLOT_EUM_VIOLATION;
	tu_event(s, "2026-10", ALLOT_EV_EUM_STATUS, "IND", "compliant");
	add_request(s, "m", IND, MSL, 3, "2026-01", 1e6, ALLOT_CAT_A);
	struct allot_pipeline *pl = NULL;
	assert_int_equal(allot_pipeline_run(s, ALLOT_NO_MONTH, &pl), ALLOT_OK);
	for (int k = 0; k < 2; k++) {
		const struct allot_pipeline_row *w = pl->rows[k];
		assert_int_equal(w[0].est.loa_month, tu_m("2026-08"));
		assert_int_equal(w[0].first_delivery, tu_m("2026-08"));
		assert_int_equal(w[0].last_delivery, tu_m("2026-08"));
		assert_int_equal(w[0].months, 5);
		assert_int_equal(w[1].est.loa_month, tu_m("2026-02"));
		assert_int_equal(w[1].first_delivery, tu_m("2026-03"));
		assert_int_equal(w[1].last_delivery, tu_m("2026-05"));
		assert_int_equal(w[1].months, 2);
		assert_int_equal(w[2].est.eeum_violation, 1);
		assert_int_equal(w[2].first_delivery, tu_m("2026-10"));
		assert_int_equal(w[2].months, 9);
	}
	/* Tier totals: tier 2 one request of 2 months, tier 3 two of 5 and 9. */
	assert_int_equal(pl->n_tiers, 3);
	assert_int_equal(pl->tiers[1].requests, 1);
	assert_true(pl->tiers[1].mean_months[0] == 2);
	assert_int_equal(pl->tiers[2].requests, 2);
	assert_true(pl->tiers[2].mean_months[1] == 7);
	allot_pipeline_free(pl);

	/* Without the release the violation partner's units stay blocked and
	 * the request is censored at the horizon's end (2031-01). */
	s->n_events = 0;
	mem_free(s->events[0].target);
	mem_free(s->events[0].value);
	assert_int_equal(allot_pipeline_run(s, ALLOT_NO_MONTH, &pl), ALLOT_OK);
	assert_int_equal(pl->rows[1][2].blocked, 3);
	assert_int_equal(pl->rows[1][2].first_delivery, ALLOT_NO_MONTH);
	assert_int_equal(pl->rows[1][2].censored, 1);
	assert_int_equal(pl->rows[1][2].months, tu_m("2031-01") - tu_m("2026-01"));
	allot_pipeline_free(pl);
	allot_scenario_free(s);
}

/* A gated request is held under priority and planned under fcfs. */
static void test_pipeline_held(void **state)
{
	(void)state;
	struct allot_scenario *s = base();
	allot_case_policy_default(&s->policy.cases);
	s->policy.cases.set = 1;
	strcpy(s->policy.cases.gates[0].system_id, "jet");
	s->policy.cases.gates[0].min_tier = 1;
	s->policy.cases.n_gates = 1;
	add_request(s, "r", IND, JET, 1, "2026-03", 1e6, -1);
	struct allot_pipeline *pl = NULL;
	assert_int_equal(allot_pipeline_run(s, ALLOT_NO_MONTH, &pl), ALLOT_OK);
	assert_int_equal(pl->rows[0][0].order, (int)s->n_orders);
	assert_int_equal(pl->rows[1][0].order, -1);
	assert_int_equal(pl->rows[1][0].months, -1);
	assert_int_equal(pl->tiers[2].held[1], 1);
	assert_int_equal(pl->tiers[2].held[0], 0);
	assert_int_equal(pl->planned[1].n_orders, s->n_orders);
	assert_int_equal(pl->planned[0].n_orders, s->n_orders + 1);
	allot_pipeline_free(pl);
	allot_scenario_free(s);
}

/* The catalog: capacity 10 a month, committed units by year, open slots. */
static void test_catalog(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2026-07", 24);
	int p = tu_partner(s, "DEU", "europe-east", 1, 5, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 10, 0.5);
	int l2 = tu_line(s, "M", 4, 0);
	int a = tu_system(s, "a", l, 1, 0, 0);
	tu_system(s, "b", l2, 1, 0, 0);
	s->systems[a].catalog = 1;
	tu_order(s, "o", p, a, 40, 0, "2026-01", NULL, -1);
	add_request(s, "r", p, a, 7, "2026-09", 7, -1);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *pl = NULL;
	assert_int_equal(allot_plan_run(s, &o, &pl), ALLOT_OK);
	struct allot_catalog *c = NULL;
	assert_int_equal(allot_catalog_run(pl, 0, &c), ALLOT_OK);
	assert_int_equal(c->catalog_only, 1);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->first_year, 2026);
	assert_int_equal(c->n_years, 3); /* 2026-07 .. 2028-06 */
	const struct allot_catalog_row *r = &c->rows[0];
	assert_int_equal(r->requests, 1);
	assert_int_equal(r->requested_units, 7);
	/* 5 a month for foreign orders: 2026 has 6 months (30), the 40 units
	 * take 30 then 10; 2028 has 6 months. */
	assert_int_equal(r->years[0].months, 6);
	assert_int_equal(r->years[0].capacity, 30);
	assert_int_equal(r->years[0].committed, 30);
	assert_int_equal(r->years[0].open, 0);
	assert_int_equal(r->years[1].capacity, 60);
	assert_int_equal(r->years[1].committed, 10);
	assert_int_equal(r->years[1].open, 50);
	assert_int_equal(r->years[2].months, 6);
	assert_int_equal(r->years[2].open, 30);
	allot_catalog_free(c);
	assert_int_equal(allot_catalog_run(pl, 1, &c), ALLOT_OK);
	assert_int_equal(c->n_years, 1);
	allot_catalog_free(c);
	/* No system marked: every system is listed. */
	s->systems[a].catalog = 0;
	assert_int_equal(allot_catalog_run(pl, 0, &c), ALLOT_OK);
	assert_int_equal(c->catalog_only, 0);
	assert_int_equal(c->n, 2);
	assert_int_equal(c->rows[1].years[1].open, 48);
	allot_catalog_free(c);
	allot_plan_free(pl);
	allot_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),       cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_mde_flag),      cmocka_unit_test(test_loa_months),
		cmocka_unit_test(test_catalog_gate),  cmocka_unit_test(test_eeum_review),
		cmocka_unit_test(test_transfers),     cmocka_unit_test(test_pipeline),
		cmocka_unit_test(test_pipeline_held), cmocka_unit_test(test_catalog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
