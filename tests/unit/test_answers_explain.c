/*
 * test_answers_explain.c - allot_explain_run: each limit of the trace on a
 * scenario checked by hand (line capacity with and without orders ahead,
 * not yet eligible, a budget cap, an EEUM block, a mineral), the collapsing
 * of months into ranges, and the bundled dataset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

/* "from..to limit wanted/got [ahead:units ...]" per span, ';'-separated. */
static const char *story(const struct allot_scenario *s, const struct allot_explain *e)
{
	static char buf[2048];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < e->n_spans; i++) {
		const struct allot_explain_span *sp = &e->spans[i];
		char a[8], b[8];
		allot_month_format(sp->from, a);
		allot_month_format(sp->to, b);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s..%s %s %lld/%lld",
				      i ? "; " : "", a, b, allot_limit_name(sp->limit),
				      (long long)sp->wanted, (long long)sp->got);
		if (sp->cancelled)
			n += (size_t)snprintf(buf + n, sizeof buf - n, " cut %lld",
					      (long long)sp->cancelled);
		for (size_t j = 0; j < sp->n_ahead; j++)
			n += (size_t)snprintf(buf + n, sizeof buf - n, " %s:%lld",
					      s->orders[sp->ahead[j].order].order_id,
					      (long long)sp->ahead[j].units);
	}
	return buf;
}

/*
 * as_of 2025-01, 8 months, lead 0 everywhere.
 *   L 10/month: W1 (weak XXX, 30, LOA 2024-01), Q1 (strong AAA, 10, LOA
 *     2025-03).  Priority: W1 takes the whole line in Jan and Feb; in Mar
 *     Q1 is eligible and takes all 10; W1 gets its last 10 in Apr.
 *   M 2/month: C1 (YYY, 10 at USD 1m); a budget cap of USD 3m from 2025-03
 *     cuts its 6 unmade units to 3.
 *   N 10/month: E1 (ZZZ, 2 of an EEUM system); ZZZ is in violation until
 *     an event makes it compliant in 2025-03.
 *   P 10/month: G1 (AAA, 5); its system needs 1 kg of ga a unit, 3 kg in
 *     stock and no supply.
 */
static struct allot_scenario *scenario(void)
{
	struct allot_scenario *s = tu_scenario("2025-01", 8);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int x = tu_partner(s, "XXX", "africa", 0, 0, 0, 0, 0, 0, 0);
	int y = tu_partner(s, "YYY", "africa", 0, 0, 0, 0, 0, 0, 0);
	int z = tu_partner(s, "ZZZ", "africa", 0, 0, 0, 0, 0, 0, 0);
	int L = tu_line(s, "L", 10, 0), M = tu_line(s, "M", 2, 0);
	int N = tu_line(s, "N", 10, 0), P = tu_line(s, "P", 10, 0);
	int sl = tu_system(s, "SL", L, 1e6, 0, 0), sm = tu_system(s, "SM", M, 1e6, 0, 0);
	int sn = tu_system(s, "SN", N, 1e6, 0, 1), sp = tu_system(s, "SP", P, 1e6, 0, 0);
	int ga = tu_mineral(s, "ga", 3);
	tu_bom(s, sp, ga, 1);
	tu_order(s, "W1", x, sl, 30, 0, "2024-01", NULL, -1);
	tu_order(s, "Q1", a, sl, 10, 0, "2025-03", NULL, -1);
	tu_order(s, "C1", y, sm, 10, 0, "2024-01", NULL, -1);
	tu_order(s, "E1", z, sn, 2, 0, "2024-01", NULL, -1);
	tu_order(s, "G1", a, sp, 5, 0, "2024-01", NULL, -1);
	tu_event(s, "2025-01", ALLOT_EV_EUM_STATUS, "ZZZ", "violation");
	tu_event(s, "2025-03", ALLOT_EV_EUM_STATUS, "ZZZ", "compliant");
	tu_event(s, "2025-03", ALLOT_EV_BUDGET_CAP, "YYY", "3000000");
	return s;
}

static const char *explain(const struct allot_scenario *s, const char *id, enum allot_policy_kind k,
			   struct allot_explain **keep)
{
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = k;
	struct allot_explain *e = NULL;
	assert_int_equal(allot_explain_run(s, &o, allot_scenario_find_order(s, id), &e), ALLOT_OK);
	const char *r = story(s, e);
	if (keep)
		*keep = e;
	else
		allot_explain_free(e);
	return r;
}

static void line_and_eligibility(void **state)
{
	(void)state;
	struct allot_scenario *s = scenario();
	struct allot_explain *e = NULL;
	assert_string_equal(explain(s, "W1", ALLOT_POLICY_PRIORITY, &e),
			    "2025-01..2025-02 line-capacity 30/20; "
			    "2025-03..2025-03 line-capacity 10/0 Q1:10; "
			    "2025-04..2025-04 none 10/10; "
			    "2025-05..2025-08 done 0/0");
	assert_int_equal(e->spans[0].line_capacity, 20);
	assert_int_equal(e->spans[0].tier, 3);
	assert_int_equal(e->spans[1].priority_keys, 1);
	assert_int_equal(e->plan->orders[e->order].completion, tu_m("2025-04"));
	allot_explain_free(e);
	assert_string_equal(explain(s, "Q1", ALLOT_POLICY_PRIORITY, &e),
			    "2025-01..2025-02 not-eligible 10/0; "
			    "2025-03..2025-03 none 10/10; "
			    "2025-04..2025-08 done 0/0");
	assert_int_equal(e->spans[1].tier, 1);
	allot_explain_free(e);
	/* Under fcfs W1 (LOA 2024-01) is ahead of Q1 in March. */
	assert_string_equal(explain(s, "Q1", ALLOT_POLICY_FCFS, NULL),
			    "2025-01..2025-02 not-eligible 10/0; "
			    "2025-03..2025-03 line-capacity 10/0 W1:10; "
			    "2025-04..2025-04 none 10/10; "
			    "2025-05..2025-08 done 0/0");
	allot_scenario_free(s);
}

static void cap_block_mineral(void **state)
{
	(void)state;
	struct allot_scenario *s = scenario();
	/* C1: 2 + 2 made; then 6 unmade are worth USD 6m over a 3m cap: 3 cut. */
	assert_string_equal(explain(s, "C1", ALLOT_POLICY_PRIORITY, NULL),
			    "2025-01..2025-02 line-capacity 10/4; "
			    "2025-03..2025-03 line-capacity 3/2 cut 3; "
			    "2025-04..2025-04 none 1/1; "
			    "2025-05..2025-08 done 0/0");
	assert_string_equal(explain(s, "E1", ALLOT_POLICY_PRIORITY, NULL),
			    "2025-01..2025-02 blocked 2/0; "
			    "2025-03..2025-03 none 2/2; "
			    "2025-04..2025-08 done 0/0");
	struct allot_explain *e = NULL;
	assert_string_equal(explain(s, "G1", ALLOT_POLICY_PRIORITY, &e),
			    "2025-01..2025-01 mineral 5/3; "
			    "2025-02..2025-08 mineral 2/0");
	assert_string_equal(s->minerals[e->spans[0].mineral].mineral_id, "ga");
	assert_int_equal(e->spans[1].mineral, e->spans[0].mineral);
	assert_int_equal(e->plan->orders[e->order].short_units, 2);
	allot_explain_free(e);
	allot_scenario_free(s);
}

/* Work in progress and an order not supplied new are off the line: the
 * story starts from the line units, and nothing reads as cut by a cap. */
static void offline_units_are_not_cut(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 6);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 2, 0);
	int w = tu_order(s, "W", a, y, 15, 0, "2024-01", NULL, -1);
	int u = tu_order(s, "U", a, y, 4, 0, "2024-01", NULL, -1);
	tu_wip(s, w, "2025-02", 5);
	s->orders[u].supply = ALLOT_SUPPLY_LEASE;
	struct allot_explain *e = NULL;
	assert_string_equal(explain(s, "W", ALLOT_POLICY_FCFS, &e),
			    "2025-01..2025-01 none 10/10; 2025-02..2025-06 done 0/0");
	assert_int_equal(allot_plan_offline(e->plan, w).wip, 5);
	assert_int_equal(e->plan->orders[w].completion, tu_m("2025-03"));
	allot_explain_free(e);
	assert_string_equal(explain(s, "U", ALLOT_POLICY_FCFS, NULL), "2025-01..2025-06 done 0/0");
	allot_scenario_free(s);
}

static void bad_order(void **state)
{
	(void)state;
	struct allot_scenario *s = scenario();
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_explain *e = NULL;
	assert_int_equal(allot_explain_run(s, &o, 99, &e), ALLOT_ENOTFOUND);
	assert_int_equal(allot_explain_run(s, &o, -1, &e), ALLOT_ENOTFOUND);
	assert_null(e);
	allot_scenario_free(s);
}

/* The bundled data, every order: the spans cover the horizon month after
 * month, and what they say it got adds up to what the plan produced. */
static void bundled(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	for (size_t i = 0; i < s->n_orders; i += 7) {
		struct allot_explain *e = NULL;
		assert_int_equal(allot_explain_run(s, &o, (int32_t)i, &e), ALLOT_OK);
		int64_t got = 0;
		allot_month next = s->as_of;
		for (size_t k = 0; k < e->n_spans; k++) {
			assert_int_equal(e->spans[k].from, next);
			assert_true(e->spans[k].to >= e->spans[k].from);
			next = e->spans[k].to + 1;
			got += e->spans[k].got;
		}
		assert_int_equal(next, s->as_of + s->horizon_months);
		assert_int_equal(got, e->plan->orders[i].produced);
		allot_explain_free(e);
	}
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_and_eligibility),
		cmocka_unit_test(cap_block_mineral),
		cmocka_unit_test(offline_units_are_not_cut),
		cmocka_unit_test(bad_order),
		cmocka_unit_test(bundled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
