/*
 * test_answers_risk.c - sales at risk (allot_risk_run) on a small scenario
 * checked by hand, and a run on the bundled dataset.
 *
 * Every line makes one unit a month for one order (lead time 0), so an
 * order of Q units open at as_of completes in month Q - 1 and waits Q - 1
 * months (from as_of, its LOA being earlier).
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

static void set_alternative(struct allot_scenario *s, int system, const char *alt)
{
	free(s->systems[system].foreign_alternative);
	s->systems[system].foreign_alternative = strdup(alt);
}

/* A system with (or without) an alternative on a line of its own. */
static int own_line(struct allot_scenario *s, const char *id, double cost, const char *alt)
{
	int l = tu_line(s, id, 1, 0);
	int y = tu_system(s, id, l, cost, 0, 0);
	if (alt)
		set_alternative(s, y, alt);
	return y;
}

struct hand {
	struct allot_scenario *s;
	int r1, r2, r3, r4, r5;
};

static void build(struct hand *h)
{
	struct allot_scenario *s = tu_scenario("2025-01", 60);
	int weak = tu_partner(s, "WEK", "africa", 0, 0, 0, 0, 0, 0, 0);
	int strong = tu_partner(s, "STR", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int f35 = own_line(s, "f35", 100e6, "Rafale");
	int g = own_line(s, "g", 100e6, NULL);
	int f35b = own_line(s, "f35b", 100e6, "Rafale");
	int f3 = own_line(s, "f3", 100e6, "Gripen");
	int f5 = own_line(s, "f5", 10e6, "Gripen");
	/* 41 units: complete in month 40, wait 40 > 36: at risk. */
	h->r1 = tu_order(s, "R1", weak, f35, 41, 0, "2024-01", NULL, -1);
	/* The same wait, no alternative: not at risk. */
	h->r2 = tu_order(s, "R2", weak, g, 41, 0, "2024-01", NULL, -1);
	/* The same wait, tier 1: not at risk. */
	h->r3 = tu_order(s, "R3", strong, f35b, 41, 0, "2024-01", NULL, -1);
	/* 30 units: wait 29: not at risk. */
	h->r4 = tu_order(s, "R4", weak, f3, 30, 0, "2024-01", NULL, -1);
	/* 90 open units: not complete in 60 months, waits at least 60. */
	h->r5 = tu_order(s, "R5", weak, f5, 100, 10, "2024-01", NULL, -1);
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

static void at_risk_by_hand(void **state)
{
	(void)state;
	struct hand h;
	build(&h);
	struct allot_plan *p = plan(h.s);
	struct allot_risk *r = NULL;
	assert_int_equal(allot_risk_run(p, 36, &r), ALLOT_OK);
	assert_int_equal(r->tier, 3);
	assert_int_equal(r->wait_months, 36);
	assert_int_equal(r->n, 2);
	/* By value: R1 41 x 100 m = 4.1 bn before R5 90 x 10 m = 0.9 bn. */
	assert_int_equal(r->rows[0].order, h.r1);
	assert_int_equal(r->rows[0].wait, 40);
	assert_int_equal(r->rows[0].censored, 0);
	assert_int_equal(r->rows[0].units, 41);
	assert_true(r->rows[0].value_usd == 4.1e9);
	assert_int_equal(r->rows[1].order, h.r5);
	assert_int_equal(r->rows[1].wait, 60);
	assert_int_equal(r->rows[1].censored, 1);
	assert_int_equal(r->rows[1].units, 90);
	assert_true(r->rows[1].value_usd == 9e8);
	assert_int_equal(r->units, 131);
	assert_true(r->value_usd == 5e9);
	allot_risk_free(r);

	/* The threshold is strict: a wait of exactly 40 is not over 40. */
	assert_int_equal(allot_risk_run(p, 40, &r), ALLOT_OK);
	assert_int_equal(r->n, 1);
	assert_int_equal(r->rows[0].order, h.r5);
	allot_risk_free(r);
	assert_int_equal(allot_risk_run(p, 28, &r), ALLOT_OK);
	/* R4 (wait 29, 30 x 100 m = 3 bn) joins, second by value. */
	assert_int_equal(r->n, 3);
	assert_int_equal(r->rows[0].order, h.r1);
	assert_int_equal(r->rows[1].order, h.r4);
	assert_int_equal(r->rows[2].order, h.r5);
	allot_risk_free(r);
	allot_plan_free(p);
	allot_scenario_free(h.s);
}

/* Units a budget cap cancels are not at risk: a cap of 2 bn on the weak
 * partner keeps R1's first 20 units (its rank comes first) and cancels
 * the rest of R1 and everything after it. */
static void cancelled_units_are_not_at_risk(void **state)
{
	(void)state;
	struct hand h;
	build(&h);
	h.s->orders[h.r1].partner_rank = 1;
	tu_event(h.s, "2025-01", ALLOT_EV_BUDGET_CAP, "WEK", "2000000000");
	struct allot_plan *p = plan(h.s);
	assert_int_equal(p->orders[h.r1].cancelled, 21);
	struct allot_risk *r = NULL;
	assert_int_equal(allot_risk_run(p, 0, &r), ALLOT_OK);
	/* R1 now completes in month 19 with 20 units. */
	assert_int_equal(r->n, 1);
	assert_int_equal(r->rows[0].order, h.r1);
	assert_int_equal(r->rows[0].units, 20);
	assert_int_equal(r->rows[0].wait, 19);
	allot_risk_free(r);
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
	struct allot_risk *r = NULL;
	assert_int_equal(allot_risk_run(p, 36, &r), ALLOT_OK);
	assert_true(r->n > 0);
	double sum = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct allot_order *o = &s->orders[r->rows[i].order];
		assert_int_equal(p->score0[o->partner].tier, 3);
		assert_true(s->systems[o->system].foreign_alternative[0] != '\0');
		assert_true(r->rows[i].wait > 36);
		if (i)
			assert_true(r->rows[i - 1].value_usd >= r->rows[i].value_usd);
		sum += r->rows[i].value_usd;
	}
	assert_true(sum == r->value_usd);
	allot_risk_free(r);
	allot_plan_free(p);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(at_risk_by_hand),
		cmocka_unit_test(cancelled_units_are_not_at_risk),
		cmocka_unit_test(bundled_dataset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
