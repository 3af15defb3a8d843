/*
 * test_metrics_requests.c - the quarterly metrics count the case process:
 * requests received by the quarter of their LOR month, LOAs offered by the
 * quarter of their estimated LOA month, by the partner's tier, and a
 * request held at a catalog gate is never offered.
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

static void add_request(struct allot_scenario *s, const char *id, int partner, int system,
			const char *lor)
{
	s->requests = realloc(s->requests, (s->n_requests + 1) * sizeof *s->requests);
	struct allot_request *r = &s->requests[s->n_requests++];
	memset(r, 0, sizeof *r);
	r->request_id = strdup(id);
	r->partner = partner;
	r->system = system;
	r->qty = 10;
	r->lor_month = tu_m(lor);
	r->value_usd = 1e6;
	r->category = -1;
}

static const struct allot_quarter_metrics *at(const struct allot_metrics *m, const char *month,
					      int tier)
{
	allot_quarter q = allot_quarter_of(tu_m(month));
	assert_true(q >= m->first && (size_t)(q - m->first) < m->n_quarters);
	return &m->rows[(size_t)(q - m->first) * (m->n_tiers + 1) + (size_t)tier];
}

static void requests_and_offers_by_quarter(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 36);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0); /* tier 1 */
	int b = tu_partner(s, "BBB", "africa", 0, 0, 0, 0, 0, 0, 0);                /* tier 3 */
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e5, 2, 0);
	tu_order(s, "O1", a, y, 5, 0, "2024-06", NULL, -1);
	add_request(s, "R1", a, y, "2025-02");
	add_request(s, "R2", b, y, "2025-05");
	add_request(s, "R3", a, y, "2025-06");

	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = ALLOT_POLICY_FCFS;
	struct allot_plan *p = NULL;
	struct allot_metrics *m = NULL;
	assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
	assert_int_equal(allot_metrics_quarterly(p, &m), ALLOT_OK);
	assert_int_equal(at(m, "2025-01", 0)->requests_received, 1);
	assert_int_equal(at(m, "2025-01", 1)->requests_received, 1);
	assert_int_equal(at(m, "2025-04", 0)->requests_received, 2);
	assert_int_equal(at(m, "2025-04", 1)->requests_received, 1);
	assert_int_equal(at(m, "2025-04", 3)->requests_received, 1);
	assert_int_equal(at(m, "2025-07", 0)->requests_received, 0);
	/* Each request is offered once, in the quarter of its estimated LOA. */
	size_t offered = 0;
	for (size_t i = 0; i < s->n_requests; i++) {
		struct allot_case_estimate e;
		allot_case_estimate(s, i, ALLOT_POLICY_FCFS, p->switch_month, &e);
		assert_int_equal(e.held, 0);
		assert_true(e.loa_month > s->requests[i].lor_month);
		char buf[8];
		allot_month_format(e.loa_month, buf);
		assert_true(at(m, buf, 0)->loas_offered >= 1);
	}
	for (size_t q = 0; q < m->n_quarters; q++)
		offered += m->rows[q * (m->n_tiers + 1)].loas_offered;
	assert_int_equal(offered, 3);
	allot_metrics_free(m);
	allot_plan_free(p);

	/* Under priority, a catalog gate at tier 1 holds BBB's request. */
	allot_case_policy_default(&s->policy.cases);
	s->policy.cases.set = 1;
	snprintf(s->policy.cases.gates[0].system_id, sizeof s->policy.cases.gates[0].system_id,
		 "S");
	s->policy.cases.gates[0].min_tier = 1;
	s->policy.cases.n_gates = 1;
	o.policy = ALLOT_POLICY_PRIORITY;
	assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
	assert_int_equal(allot_metrics_quarterly(p, &m), ALLOT_OK);
	offered = 0;
	size_t offered_t3 = 0;
	for (size_t q = 0; q < m->n_quarters; q++) {
		offered += m->rows[q * (m->n_tiers + 1)].loas_offered;
		offered_t3 += m->rows[q * (m->n_tiers + 1) + 3].loas_offered;
	}
	assert_int_equal(offered, 2);
	assert_int_equal(offered_t3, 0);
	assert_int_equal(at(m, "2025-04", 3)->requests_received, 1);
	allot_metrics_free(m);
	allot_plan_free(p);
	allot_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(requests_and_offers_by_quarter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
