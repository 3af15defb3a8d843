/*
 * test_answers_opps.c - unsold capacity and the best-placed buyers
 * (allot_opportunities_run) on a small scenario checked by hand, and a run
 * on the bundled dataset.
 *
 * Line L makes 10 units a month, half reserved for US forces: F(t) = 5.
 * Its catalog system C (2 m USD) has one order of 30 units from partner
 * S2, made in months 0..5.  Over a 12-month window the line has months
 * 6..11 free: 6 x 5 = 30 units unsold from month 6, worth 60 m USD.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

struct hand {
	struct allot_scenario *s;
	int c, n;                       /* systems */
	int s1, s2, www, yyy, vvv, xxx; /* partners */
};

static void build(struct hand *h)
{
	struct allot_scenario *s = tu_scenario("2025-01", 24);
	h->s1 = tu_partner(s, "SS1", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0); /* 100 */
	h->s2 = tu_partner(s, "SS2", "europe-east", 1, 4.0, 30, 50000, 3, 50e9, 0); /* 94 */
	h->www = tu_partner(s, "WWW", "africa", 0, 0, 0, 0, 0, 0, 0);
	h->yyy = tu_partner(s, "YYY", "africa", 0, 0, 0, 0, 0, 0, 0);
	h->vvv = tu_partner(s, "VVV", "africa", 0, 0, 0, 0, 0, 0, 0);
	h->xxx = tu_partner(s, "XXX", "africa", 0, 0, 0, 0, 0, 0, 0);
	s->partners[h->vvv].eum_status = ALLOT_EUM_VIOLATION;
	int l = tu_line(s, "L", 10, 0.5), l2 = tu_line(s, "L2", 1, 0);
	h->c = tu_system(s, "C", l, 2e6, 0, 1); /* EEUM */
	h->n = tu_system(s, "N", l2, 1e6, 0, 0);
	s->systems[h->c].catalog = 1;
	tu_order(s, "O1", h->s2, h->c, 30, 0, "2024-01", NULL, -1);
	tu_order(s, "O2", h->www, h->n, 2, 0, "2024-01", NULL, -1);
	/* WWW: cap 5 m, 2 m committed (O2): room 3 m >= one C. */
	tu_event(s, "2025-06", ALLOT_EV_BUDGET_CAP, "WWW", "5000000");
	/* XXX: room 1 m < one C: left out. */
	tu_event(s, "2025-02", ALLOT_EV_BUDGET_CAP, "XXX", "1000000");
	/* YYY: its cap comes after a 12-month window: no cap. */
	tu_event(s, "2026-06", ALLOT_EV_BUDGET_CAP, "YYY", "1000000");
	h->s = s;
}

static struct allot_plan *plan(const struct allot_scenario *s)
{
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
	return p;
}

static void unsold_by_hand(void **state)
{
	(void)state;
	struct hand h;
	build(&h);
	struct allot_plan *p = plan(h.s);
	struct allot_opportunities *r = NULL;
	assert_int_equal(allot_opportunities_run(p, 12, 10, &r), ALLOT_OK);
	assert_int_equal(r->months, 12);
	assert_int_equal(r->catalog_only, 1);
	assert_int_equal(r->n, 1); /* N is not catalog */
	const struct allot_opportunity *op = &r->v[0];
	assert_int_equal(op->system, h.c);
	assert_int_equal(op->unsold_units, 30);
	assert_int_equal(op->first_month, 6);
	assert_true(op->value_usd == 60e6);
	/* Tier 1: the line's customer SS2 before SS1 (higher score); tier 3:
	 * WWW (capped, room 3 m) and YYY (no cap), by ISO3; VVV blocked (EEUM,
	 * violation), XXX out of room. */
	assert_int_equal(op->n_buyers, 4);
	assert_int_equal(op->buyers[0].partner, h.s2);
	assert_int_equal(op->buyers[0].customer, 1);
	assert_int_equal(op->buyers[0].tier, 1);
	assert_true(op->buyers[0].score == 94.0);
	assert_int_equal(op->buyers[0].capped, 0);
	assert_int_equal(op->buyers[1].partner, h.s1);
	assert_int_equal(op->buyers[1].customer, 0);
	assert_true(op->buyers[1].score == 100.0);
	assert_int_equal(op->buyers[2].partner, h.www);
	assert_int_equal(op->buyers[2].tier, 3);
	assert_int_equal(op->buyers[2].capped, 1);
	assert_true(op->buyers[2].room_usd == 3e6);
	assert_int_equal(op->buyers[3].partner, h.yyy);
	assert_int_equal(op->buyers[3].capped, 0);
	allot_opportunities_free(r);

	/* top 1; a 24-month window: YYY's cap now applies (room 1 m: out). */
	assert_int_equal(allot_opportunities_run(p, 24, 1, &r), ALLOT_OK);
	assert_int_equal(r->v[0].unsold_units, 90);
	assert_int_equal(r->v[0].n_buyers, 1);
	assert_int_equal(r->v[0].buyers[0].partner, h.s2);
	allot_opportunities_free(r);
	assert_int_equal(allot_opportunities_run(p, 24, 10, &r), ALLOT_OK);
	assert_int_equal(r->v[0].n_buyers, 3);
	assert_int_equal(r->v[0].buyers[2].partner, h.www);
	allot_opportunities_free(r);

	/* A window of 6 months: the line is full, nothing to sell. */
	assert_int_equal(allot_opportunities_run(p, 6, 3, &r), ALLOT_OK);
	assert_int_equal(r->n, 0);
	allot_opportunities_free(r);
	allot_plan_free(p);
	allot_scenario_free(h.s);
}

/* No catalog system: every system is looked at, and the result says so.
 * L2 makes 1 a month; O2 takes months 0 and 1: 10 unsold in 12 months,
 * worth 10 m, so C (60 m) comes first. */
static void no_catalog_falls_back_to_all(void **state)
{
	(void)state;
	struct hand h;
	build(&h);
	h.s->systems[h.c].catalog = 0;
	struct allot_plan *p = plan(h.s);
	struct allot_opportunities *r = NULL;
	assert_int_equal(allot_opportunities_run(p, 12, 3, &r), ALLOT_OK);
	assert_int_equal(r->catalog_only, 0);
	assert_int_equal(r->n, 2);
	assert_int_equal(r->v[0].system, h.c);
	assert_int_equal(r->v[1].system, h.n);
	assert_int_equal(r->v[1].unsold_units, 10);
	assert_int_equal(r->v[1].first_month, 2);
	assert_true(r->v[1].value_usd == 10e6);
	/* N is not EEUM: VVV may buy it; WWW is N's line customer. */
	assert_int_equal(r->v[1].buyers[0].partner, h.s1);
	assert_int_equal(r->v[1].buyers[1].partner, h.s2);
	assert_int_equal(r->v[1].buyers[2].partner, h.www);
	assert_int_equal(r->v[1].buyers[2].customer, 1);
	allot_opportunities_free(r);
	allot_plan_free(p);
	allot_scenario_free(h.s);
}

static void bundled_dataset(void **state)
{
	(void)state;
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_plan *p = plan(s);
	struct allot_opportunities *r = NULL;
	assert_int_equal(allot_opportunities_run(p, 24, 3, &r), ALLOT_OK);
	assert_int_equal(r->catalog_only, 0); /* the bundled data marks none */
	assert_true(r->n > 0);
	for (size_t i = 0; i < r->n; i++) {
		assert_true(r->v[i].unsold_units > 0);
		assert_true(r->v[i].n_buyers == 3);
		/* value desc; an unknown value (unknown unit cost) after every known */
		if (i && allot_cost_known(r->v[i].value_usd))
			assert_true(r->v[i - 1].value_usd >= r->v[i].value_usd);
		if (i && !allot_cost_known(r->v[i - 1].value_usd))
			assert_false(allot_cost_known(r->v[i].value_usd));
	}
	allot_opportunities_free(r);
	allot_plan_free(p);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unsold_by_hand),
		cmocka_unit_test(no_catalog_falls_back_to_all),
		cmocka_unit_test(bundled_dataset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
