/*
 * test_ranges.c - the table of numeric ranges (lib/ranges.c) and plans at
 * the edges of it: every value in range plans without overflow and scores
 * without NaN; values past it are refused with exact messages.
 *
 * The overflow cases are those of issue 13: a line's summed rate past what
 * the cumulative counter holds, 120 supply rows of the largest kg a month
 * for 1200 months, open units past 1e15, weights made all zero by events,
 * huge or inf x 0 weights reaching the scorer, a horizon past 9999-12, and
 * a budget cap over a unit cost so small that room / cost passes int64.
 * tests/fuzz feeds values at the edges of every range at random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

static struct allot_plan *plan(const struct allot_scenario *s)
{
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = ALLOT_POLICY_PRIORITY;
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
	return p;
}

/* The messages of a range check, one a line. */
static char *check_msgs(const struct allot_scenario *s, int *rc)
{
	struct allot_diags d;
	allot_diags_init(&d);
	*rc = allot_scenario_check_ranges(s, "x.db", &d);
	size_t n = 1;
	for (size_t i = 0; i < d.n; i++)
		n += strlen(d.v[i].msg) + 1;
	char *all = calloc(1, n);
	assert_non_null(all);
	for (size_t i = 0; i < d.n; i++) {
		strcat(all, d.v[i].msg);
		strcat(all, "\n");
	}
	allot_diags_free(&d);
	return all;
}

static void expect_msgs(const struct allot_scenario *s, const char *want)
{
	int rc;
	char *got = check_msgs(s, &rc);
	assert_string_equal(got, want);
	assert_int_equal(rc, want[0] ? ALLOT_EINPUT : ALLOT_OK);
	free(got);
}

static char *fmt(double v, char buf[32])
{
	allot_fmt_double(v, buf);
	return buf;
}

static struct allot_scenario *base(int horizon)
{
	struct allot_scenario *s = tu_scenario("2026-01", horizon);
	tu_partner(s, "POL", "europe-east", 1, 4, 0, 10000, 3, 1e10, 0);
	return s;
}

/* ---------------------------------------------------------------------- */

static void table_edges(void **state)
{
	(void)state;
	for (int id = 0; id < ALLOT_RANGE_COUNT; id++) {
		const struct allot_range *r = allot_range_get(id);
		assert_non_null(r);
		assert_true(r->lo < r->hi);
		assert_int_equal(allot_range_ok(id, r->lo), !r->lo_open);
		assert_true(allot_range_ok(id, r->hi));
		assert_false(allot_range_ok(id, nextafter(r->hi, INFINITY)));
		assert_false(allot_range_ok(id, nextafter(r->lo, -INFINITY)));
		assert_false(allot_range_ok(id, NAN));
		assert_false(allot_range_ok(id, INFINITY));
		assert_false(allot_range_ok(id, -INFINITY));
		assert_true(allot_range_clamp(id, 1e300) == r->hi);
		assert_true(allot_range_clamp(id, -1e300) == r->lo);
		assert_true(allot_range_clamp(id, NAN) == r->lo);
	}
	assert_false(allot_range_ok(ALLOT_RANGE_QTY, 1.5));
	assert_false(allot_range_ok(ALLOT_RANGE_COUNT, 1));
	char buf[96];
	allot_range_text(ALLOT_RANGE_QTY, buf, sizeof buf);
	assert_string_equal(buf, "an integer from 1 to 1000000000");
	allot_range_text(ALLOT_RANGE_REF, buf, sizeof buf);
	assert_string_equal(buf, "a number > 0 and <= 1e+15");
}

/* 10,000 investments of the largest added rate on one line: 1e13 units a
 * month would pass int64 in the milli-unit counter within 1200 months;
 * the summed rate saturates at 1e12, so every month opens exactly 1e12. */
static void summed_rate_saturates(void **state)
{
	(void)state;
	struct allot_scenario *s = base(1200);
	int l = tu_line(s, "L", 1e9, 0);
	int y = tu_system(s, "S", l, 1, 0, 0);
	for (int i = 0; i < 10000; i++)
		tu_investment(s, 0, l, 0, "2026-01", 1e9, "2026-01");
	tu_order(s, "O", 0, y, 1000000000, 0, "2025-01", NULL, -1);
	expect_msgs(s, "");
	struct allot_plan *p = plan(s);
	for (int t = 0; t < 1200; t++)
		assert_int_equal(p->capacity[t], 1000000000000LL);
	assert_int_equal(p->orders[0].produced, 1000000000);
	assert_int_equal(p->produced_by_month[0], 1000000000);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* A line at the top of the range produces its rate every month. */
static void line_at_top_rate_produces(void **state)
{
	(void)state;
	struct allot_scenario *s = base(1200);
	int l = tu_line(s, "L", 1e9, 0);
	int y = tu_system(s, "S", l, 1e12, 0, 0);
	for (int i = 0; i < 1000; i++) {
		char id[16];
		snprintf(id, sizeof id, "O%d", i);
		tu_order(s, id, 0, y, 1000000000, 0, "2025-01", NULL, -1);
	}
	expect_msgs(s, "");
	struct allot_plan *p = plan(s);
	for (int t = 0; t < 1000; t++) {
		assert_int_equal(p->capacity[t], 1000000000);
		assert_int_equal(p->produced_by_month[t], 1000000000);
	}
	assert_int_equal(p->produced_by_month[1000], 0);
	struct allot_plan_stats st;
	assert_int_equal(allot_plan_stats(p, &st), ALLOT_OK);
	assert_int_equal(st.produced, 1000000000000LL);
	assert_true(isfinite(st.backlog_value.known));
	allot_plan_stats_free(&st);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* 120 supply rows of 9e12 kg a month: 1.08e18 g a month passes int64 in
 * the ninth month (before, the stock went negative and more supply made a
 * bigger backlog); the stock saturates at 2^62 g. */
static void stock_saturates(void **state)
{
	(void)state;
	struct allot_scenario *s = base(1200);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1, 0, 0);
	int m = tu_mineral(s, "M", 9e12);
	for (int i = 0; i < 120; i++)
		tu_supply(s, m, "mine", 9e12);
	tu_bom(s, y, m, 1);
	tu_order(s, "O", 0, y, 1000, 0, "2025-01", NULL, -1);
	expect_msgs(s, "");
	struct allot_plan *p = plan(s);
	const int64_t top = (int64_t)1 << 62;
	for (int t = 0; t < 1200; t++) {
		assert_true(p->stock_end[t] > 0);
		if (t >= 100) /* the order is done: nothing consumed */
			assert_int_equal(p->stock_end[t], top);
		else if (t >= 8) /* saturated, then 10 units of 1 kg */
			assert_int_equal(p->stock_end[t], top - 10000);
	}
	assert_int_equal(p->orders[0].produced, 1000);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* Open units past 1e15 over all orders, each order in range. */
static void open_units_total(void **state)
{
	(void)state;
	struct allot_scenario *s = base(12);
	int l = tu_line(s, "L", 10, 0);
	tu_system(s, "S", l, 1, 0, 0);
	size_t n = 1000001;
	s->orders = calloc(n, sizeof *s->orders);
	assert_non_null(s->orders);
	s->n_orders = n;
	for (size_t i = 0; i < n; i++) {
		s->orders[i].qty = 1000000000;
		s->orders[i].loa_month = tu_m("2025-01");
		s->orders[i].need_month = ALLOT_NO_MONTH;
		s->orders[i].not_before = ALLOT_NO_MONTH;
		s->orders[i].partner_rank = -1;
	}
	expect_msgs(s, "expected at most 1000000000000000 open units over all orders, "
		       "found 1000001000000000\n");
	s->orders[0].delivered = 1000000000; /* exactly 1e15 open: accepted */
	expect_msgs(s, "");
	s->orders[1].qty = 1000000001;
	s->orders[2].delivered = -1;
	expect_msgs(s, "expected an integer from 1 to 1000000000 in orders row 2 qty, found "
		       "1000000001\n"
		       "expected an integer from 0 to 1000000000 in orders row 3 delivered, "
		       "found -1\n");
	s->n_orders = 0; /* the order ids are NULL: nothing to free */
	allot_scenario_free(s);
}

static void weights_zeroed_by_events(void **state)
{
	(void)state;
	static const char *const crit[] = { "investment", "growth", "geography", "operations",
					    "economic" };
	struct allot_scenario *s = base(36);
	for (int k = 0; k < 5; k++)
		tu_event(s, "2027-01", ALLOT_EV_WEIGHT, crit[k], "0");
	expect_msgs(s, "expected the weights not all zero after the weight events of "
		       "2027-01, found all five zero\n");
	/* One set back within the same month: never all zero in force. */
	tu_event(s, "2027-01", ALLOT_EV_WEIGHT, "growth", "0.5");
	expect_msgs(s, "");
	/* ... but a later month zeroes it again. */
	tu_event(s, "2027-06", ALLOT_EV_WEIGHT, "growth", "0");
	expect_msgs(s, "expected the weights not all zero after the weight events of "
		       "2027-06, found all five zero\n");
	allot_scenario_free(s);
}

/* Weights and factors past the ranges, as a program could set them, score
 * 0..100 and never NaN; the range check refuses them. */
static void scores_never_nan(void **state)
{
	(void)state;
	struct allot_scenario *s = base(12);
	struct allot_policy *p = &s->policy;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		p->weight[k] = 1e308;
	p->theaters[0].weight = INFINITY;
	p->frontline_factor = 0; /* inf x 0 in geography */
	free(s->partners[0].region);
	s->partners[0].region = strdup(p->theaters[0].region);
	struct allot_score sc;
	allot_score_partner(p, &s->partners[0], 0, ALLOT_EUM_COMPLIANT, &sc);
	assert_false(isnan(sc.score));
	assert_true(sc.score >= 0 && sc.score <= 100);
	int rc;
	char *msgs = check_msgs(s, &rc);
	assert_int_equal(rc, ALLOT_EINPUT);
	assert_non_null(strstr(msgs, "expected a number from 0 to 1000000 in the policy "
				     "weights.investment, found 1e+308\n"));
	assert_non_null(strstr(msgs, "expected a number from 0 to 1000000 in the policy "
				     "geography.theater_weights, found inf\n"));
	free(msgs);
	allot_scenario_free(s);
}

static void horizon_and_switch(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("9999-12", 1);
	expect_msgs(s, "");
	s->horizon_months = 2;
	expect_msgs(s, "expected the horizon to end by 9999-12, found as_of 9999-12 plus 2 "
		       "months (at most 1 from this as_of)\n");
	s->as_of = tu_m("1899-12");
	expect_msgs(s, "expected as_of from 1900-01 to 9999-12, found 1899-12\n");
	s->as_of = tu_m("2026-01");
	s->horizon_months = 12;
	s->switch_month = tu_m("2026-12");
	expect_msgs(s, "");
	s->switch_month = tu_m("2027-01");
	expect_msgs(s, "expected switch_month by the horizon's last month 2026-12 (or none), "
		       "found 2027-01, which would leave the whole plan FCFS\n");
	allot_scenario_free(s);
}

/* A budget cap over a unit cost of 2^-1000 (in range): the units that fit
 * are counted in double, exactly (400 of 1000). */
static void budget_cap_tiny_cost(void **state)
{
	(void)state;
	struct allot_scenario *s = base(24);
	int l = tu_line(s, "L", 100, 0);
	int y = tu_system(s, "S", l, ldexp(1, -1000), 0, 0);
	tu_order(s, "O", 0, y, 1000, 0, "2025-01", NULL, -1);
	char cap[32];
	tu_event(s, "2026-01", ALLOT_EV_BUDGET_CAP, "POL", fmt(400 * ldexp(1, -1000), cap));
	expect_msgs(s, "");
	struct allot_plan *p = plan(s);
	assert_int_equal(p->orders[0].cancelled, 600);
	assert_int_equal(p->orders[0].produced, 400);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* The planner itself stays defined on rates past the ranges (a program
 * may plan a scenario it built without the check): 1000 x 1e16 or 1e308
 * milli-units overflowed the cast to int64 (UBSan float-cast-overflow; the
 * line produced nothing); the summed rate saturates at 1e12 a month. */
static void planner_saturates_rates_past_the_range(void **state)
{
	(void)state;
	struct allot_scenario *s = base(12);
	int l = tu_line(s, "L", 1e16, 0);
	int y = tu_system(s, "S", l, 1, 0, 0);
	tu_order(s, "O", 0, y, 1000000000, 0, "2025-01", NULL, -1);
	tu_event(s, "2026-06", ALLOT_EV_CAPACITY, "L", "1e308");
	int rc;
	char *msgs = check_msgs(s, &rc);
	assert_int_equal(rc, ALLOT_EINPUT);
	free(msgs);
	struct allot_plan *p = plan(s);
	for (int t = 0; t < 12; t++)
		assert_int_equal(p->capacity[t], 1000000000000LL);
	assert_int_equal(p->orders[0].produced, 1000000000);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* ---------------------------------------------------------------------- */
/* Random scenarios at the edges of every range                             */

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
	return tu_xorshift(&rng);
}

/* An edge of range id: lo, hi, just inside either, or tiny. */
static double edge(enum allot_range_id id)
{
	const struct allot_range *r = allot_range_get(id);
	double lo = r->lo_open ? nextafter(r->lo, INFINITY) : r->lo;
	switch (next() % 5) {
	case 0:
		return lo;
	case 1:
		return r->hi;
	case 2:
		return r->integer ? r->hi - 1 : nextafter(r->hi, -INFINITY);
	case 3:
		return r->integer ? lo + 1 : lo + 1e-300;
	default:
		return r->integer ? floor(r->hi / 2) : r->hi / 3;
	}
}

/* Lines, systems, orders, minerals, supply, bom, events and investments
 * with values at the edges of their ranges, horizons of 1 or 1200 months:
 * each is accepted and plans under both policies with capacities, stocks
 * and scores in bounds, production within the orders and a finite backlog
 * value. */
static void random_scenarios_at_the_edges(void **state)
{
	(void)state;
	for (int run = 0; run < 60; run++) {
		int horizon = next() % 2 ? 1200 : 1 + (int)(next() % 24);
		struct allot_scenario *s = tu_scenario(next() % 2 ? "1900-01" : "2026-01", horizon);
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
			s->policy.weight[k] = edge(ALLOT_RANGE_WEIGHT);
		s->policy.weight[next() % ALLOT_CRIT_COUNT] = 1e6; /* not all zero */
		s->policy.frontline_factor = edge(ALLOT_RANGE_WEIGHT);
		s->policy.invest_multiplier = edge(ALLOT_RANGE_WEIGHT);
		s->policy.economic_unit_usd = edge(ALLOT_RANGE_REF);
		s->policy.target_pct = edge(ALLOT_RANGE_REF);
		for (int i = 0; i < 3; i++) {
			char iso[4] = { 'A', 'A', (char)('A' + i), 0 };
			tu_partner(s, iso, "europe-east", (int)(next() % 2),
				   edge(ALLOT_RANGE_PCT_GDP), edge(ALLOT_RANGE_GROWTH),
				   edge(ALLOT_RANGE_TROOPS), (int)(next() % 4),
				   edge(ALLOT_RANGE_USD), edge(ALLOT_RANGE_USD));
		}
		int m = tu_mineral(s, "M", edge(ALLOT_RANGE_KG));
		for (int i = 0; i < 3; i++)
			tu_supply(s, m, "mine", edge(ALLOT_RANGE_KG));
		for (int l = 0; l < 2; l++) {
			char id[8], buf[32];
			snprintf(id, sizeof id, "L%d", l);
			int li = tu_line(s, id, edge(ALLOT_RANGE_RATE),
					 next() % 2 ? 0 : edge(ALLOT_RANGE_SHARE));
			int y = tu_system(s, id, li, edge(ALLOT_RANGE_UNIT_COST), (int)(next() % 3),
					  0);
			if (next() % 2)
				tu_bom(s, y, m, edge(ALLOT_RANGE_KG));
			tu_event(s, "2026-02", ALLOT_EV_CAPACITY, id,
				 fmt(edge(ALLOT_RANGE_RATE), buf));
			tu_investment(s, (int)(next() % 3), li, edge(ALLOT_RANGE_USD), "2026-01",
				      edge(ALLOT_RANGE_RATE), "2026-03");
			for (int o = 0; o < 4; o++) {
				snprintf(id, sizeof id, "O%d%d", l, o);
				int64_t q = (int64_t)edge(ALLOT_RANGE_QTY);
				tu_order(s, id, (int)(next() % 3), y, q, next() % 2 ? 0 : q - 1,
					 "2025-01", NULL,
					 next() % 2 ? -1 : (int64_t)edge(ALLOT_RANGE_QTY));
			}
		}
		char buf[32];
		tu_event(s, "2026-02", ALLOT_EV_BUDGET_CAP, "AAB", fmt(edge(ALLOT_RANGE_USD), buf));
		tu_event(s, "2026-03", ALLOT_EV_WEIGHT, "growth",
			 fmt(edge(ALLOT_RANGE_WEIGHT), buf));
		expect_msgs(s, "");
		for (int pol = 0; pol < 2; pol++) {
			struct allot_plan_options o;
			allot_plan_options_init(&o);
			o.policy = pol ? ALLOT_POLICY_PRIORITY : ALLOT_POLICY_FCFS;
			struct allot_plan *p = NULL;
			assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
			for (size_t i = 0; i < s->n_lines * (size_t)horizon; i++)
				assert_true(p->capacity[i] >= 0);
			for (size_t i = 0; i < s->n_minerals * (size_t)horizon; i++)
				assert_true(p->stock_end[i] >= 0);
			for (size_t i = 0; i < s->n_orders; i++) {
				const struct allot_order *ord = &s->orders[i];
				assert_true(p->orders[i].produced >= 0);
				assert_true(p->orders[i].produced <= ord->qty - ord->delivered);
			}
			for (size_t i = 0; i < s->n_partners; i++)
				assert_true(p->score0[i].score >= 0 && p->score0[i].score <= 100);
			struct allot_plan_stats st;
			assert_int_equal(allot_plan_stats(p, &st), ALLOT_OK);
			assert_true(st.backlog_units >= 0);
			assert_true(isfinite(st.backlog_value.known) &&
				    st.backlog_value.known >= 0);
			allot_plan_stats_free(&st);
			allot_plan_free(p);
		}
		allot_scenario_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_edges),
		cmocka_unit_test(summed_rate_saturates),
		cmocka_unit_test(line_at_top_rate_produces),
		cmocka_unit_test(stock_saturates),
		cmocka_unit_test(open_units_total),
		cmocka_unit_test(weights_zeroed_by_events),
		cmocka_unit_test(scores_never_nan),
		cmocka_unit_test(horizon_and_switch),
		cmocka_unit_test(budget_cap_tiny_cost),
		cmocka_unit_test(planner_saturates_rates_past_the_range),
		cmocka_unit_test(random_scenarios_at_the_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
