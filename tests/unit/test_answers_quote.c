/*
 * test_answers_quote.c - allot_quote_run on scenarios checked by hand (the
 * months a new order gets, the orders it pushes back and by how much), the
 * store's add-order that --commit uses, and the bundled dataset.
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

static const char *month_str(allot_month m)
{
	static char buf[4][8];
	static int k;
	char *b = buf[k++ & 3];
	allot_month_format(m, b);
	return b;
}

/* "YYYY-MM:u ..." of a quote's deliveries. */
static const char *deliveries(const struct allot_quote *q)
{
	static char buf[256];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < q->n_deliveries; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s:%lld", i ? " " : "",
				      month_str(q->deliveries[i].month),
				      (long long)q->deliveries[i].units);
	return buf;
}

/* Line L makes 10 a month (lead 0).  X1, a tier-3 partner's order for 20
 * signed 2024-01, takes months 0 and 1 without the quote.  Y1 sits on a
 * line of its own. */
static struct allot_scenario *one_line(int horizon)
{
	struct allot_scenario *s = tu_scenario("2025-01", horizon);
	tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int x = tu_partner(s, "XXX", "africa", 0, 0, 0, 0, 0, 0, 0);
	int l = tu_line(s, "L", 10, 0), m = tu_line(s, "M", 5, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0), t = tu_system(s, "T", m, 1e6, 0, 0);
	tu_order(s, "X1", x, y, 20, 0, "2024-01", NULL, -1);
	tu_order(s, "Y1", x, t, 3, 0, "2024-01", NULL, -1);
	return s;
}

static struct allot_quote *quote(const struct allot_scenario *s, enum allot_policy_kind k,
				 int64_t qty, const char *loa, int want_rc)
{
	struct allot_quote_request r;
	allot_quote_request_init(&r);
	r.iso3 = "AAA";
	r.system_id = "S";
	r.qty = qty;
	r.policy = k;
	if (loa)
		r.loa = tu_m(loa);
	struct allot_quote *q = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_quote_run(s, &r, &q, &d), want_rc);
	allot_diags_free(&d);
	return q;
}

/* Priority: the tier-1 quote takes 10, 10, 5 in months 0..2, so X1 gets
 * 5 in month 2, 10 in 3 and 5 in 4: done 2025-05 instead of 2025-02,
 * pushed back 3 months.  Y1 is untouched. */
static void pushes_back_under_priority(void **state)
{
	(void)state;
	struct allot_scenario *s = one_line(12);
	struct allot_quote *q = quote(s, ALLOT_POLICY_PRIORITY, 25, NULL, ALLOT_OK);
	assert_string_equal(q->order_id, "QUOTE-1");
	assert_string_equal(month_str(q->order.loa_month), "2025-01");
	assert_string_equal(deliveries(q), "2025-01:10 2025-02:10 2025-03:5");
	assert_string_equal(month_str(q->first), "2025-01");
	assert_string_equal(month_str(q->completion), "2025-03");
	assert_int_equal(q->units_short, 0);
	assert_int_equal(q->n_impacts, 1);
	const struct allot_quote_impact *im = &q->impacts[0];
	assert_string_equal(s->orders[im->order].order_id, "X1");
	assert_string_equal(month_str(im->before), "2025-02");
	assert_string_equal(month_str(im->after), "2025-05");
	assert_int_equal(im->months, 3);
	assert_int_equal(im->censored, 0);
	assert_int_equal(im->short_before, 0);
	assert_int_equal(im->short_after, 0);
	allot_quote_free(q);
	/* The scenario is as it was. */
	assert_int_equal(s->n_orders, 2);
	assert_int_equal(allot_scenario_find_order(s, "QUOTE-1"), -1);
	allot_scenario_free(s);
}

/* FCFS: the quote queues behind X1 (LOA 2024-01) and pushes nobody. */
static void queues_under_fcfs(void **state)
{
	(void)state;
	struct allot_scenario *s = one_line(12);
	struct allot_quote *q = quote(s, ALLOT_POLICY_FCFS, 25, NULL, ALLOT_OK);
	assert_string_equal(deliveries(q), "2025-03:10 2025-04:10 2025-05:5");
	assert_int_equal(q->n_impacts, 0);
	allot_quote_free(q);
	/* A later LOA: eligible from 2025-06, after X1 is done. */
	q = quote(s, ALLOT_POLICY_PRIORITY, 25, "2025-06", ALLOT_OK);
	assert_string_equal(deliveries(q), "2025-06:10 2025-07:10 2025-08:5");
	assert_int_equal(q->n_impacts, 0);
	allot_quote_free(q);
	allot_scenario_free(s);
}

/* A 3-month horizon: with the quote X1 no longer completes; it counts at
 * the horizon's end (2025-04), 2 months after 2025-02, and ends 15 short.
 * The quote itself is 0 short. */
static void pushes_past_the_horizon(void **state)
{
	(void)state;
	struct allot_scenario *s = one_line(3);
	struct allot_quote *q = quote(s, ALLOT_POLICY_PRIORITY, 25, NULL, ALLOT_OK);
	assert_int_equal(q->n_impacts, 1);
	const struct allot_quote_impact *im = &q->impacts[0];
	assert_int_equal(im->after, ALLOT_NO_MONTH);
	assert_int_equal(im->months, 2);
	assert_int_equal(im->censored, 1);
	assert_int_equal(im->short_after, 15);
	assert_int_equal(q->units_short, 0);
	allot_quote_free(q);
	/* A quote too big for the horizon: 30 units made, 10 short. */
	q = quote(s, ALLOT_POLICY_PRIORITY, 40, NULL, ALLOT_OK);
	assert_int_equal(q->completion, ALLOT_NO_MONTH);
	assert_int_equal(q->units_short, 10);
	assert_string_equal(deliveries(q), "2025-01:10 2025-02:10 2025-03:10");
	allot_quote_free(q);
	allot_scenario_free(s);
}

static void bad_requests(void **state)
{
	(void)state;
	struct allot_scenario *s = one_line(12);
	assert_null(quote(s, ALLOT_POLICY_PRIORITY, 0, NULL, ALLOT_EINPUT));
	struct allot_quote_request r;
	allot_quote_request_init(&r);
	r.iso3 = "ZZZ";
	r.system_id = "S";
	struct allot_quote *q = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_quote_run(s, &r, &q, &d), ALLOT_ENOTFOUND);
	assert_string_equal(d.v[0].msg, "no partner 'ZZZ' in the scenario");
	r.iso3 = "AAA";
	r.system_id = "nope";
	assert_int_equal(allot_quote_run(s, &r, &q, &d), ALLOT_ENOTFOUND);
	r.system_id = "S";
	r.order_id = "X1";
	assert_int_equal(allot_quote_run(s, &r, &q, &d), ALLOT_EINPUT);
	assert_null(q);
	allot_diags_free(&d);
	/* QUOTE-1 taken: the next free id. */
	int x = allot_scenario_find_partner(s, "XXX");
	tu_order(s, "QUOTE-1", x, allot_scenario_find_system(s, "T"), 1, 0, "2024-01", NULL, -1);
	q = quote(s, ALLOT_POLICY_PRIORITY, 1, NULL, ALLOT_OK);
	assert_string_equal(q->order_id, "QUOTE-2");
	allot_quote_free(q);
	allot_scenario_free(s);
}

/* --commit: the order goes into the stored scenario, the plan runs stay. */
static void store_add_order(void **state)
{
	(void)state;
	struct allot_scenario *s = one_line(12);
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/a.db", dir);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(path, &st, &d), ALLOT_OK);
	assert_int_equal(allot_store_put_scenario(st, "one-line", s, &d), ALLOT_OK);
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &po, &p), ALLOT_OK);
	int64_t run = 0;
	assert_int_equal(allot_store_put_plan(st, "one-line", p, &run, &d), ALLOT_OK);
	allot_plan_free(p);

	struct allot_quote *q = quote(s, ALLOT_POLICY_PRIORITY, 25, "2025-02", ALLOT_OK);
	assert_int_equal(allot_store_add_order(st, NULL, s, &q->order, &d), ALLOT_OK);
	/* Twice: refused, store unchanged. */
	assert_int_equal(allot_store_add_order(st, NULL, s, &q->order, &d), ALLOT_EINPUT);
	allot_quote_free(q);

	struct allot_scenario *back = NULL;
	assert_int_equal(allot_store_get_scenario(st, NULL, &back, &d), ALLOT_OK);
	assert_int_equal(back->n_orders, 3);
	const struct allot_order *o = &back->orders[2];
	assert_string_equal(o->order_id, "QUOTE-1");
	assert_string_equal(back->partners[o->partner].iso3, "AAA");
	assert_string_equal(back->systems[o->system].system_id, "S");
	assert_int_equal(o->qty, 25);
	assert_string_equal(month_str(o->loa_month), "2025-02");
	assert_int_equal(o->need_month, ALLOT_NO_MONTH);
	assert_int_equal(o->partner_rank, -1);
	assert_int_equal(o->max_per_month, 0);
	allot_scenario_free(back);

	/* A paced quote (3 a month, behind nothing: AAA is tier 1, X1 gets the
	 * rest of L) arrives 3 a month, and its order keeps the pace in the
	 * store; a pace out of range is refused, by the quote and the store. */
	struct allot_quote_request r;
	allot_quote_request_init(&r);
	r.iso3 = "AAA";
	r.system_id = "S";
	r.qty = 25;
	r.loa = tu_m("2025-02");
	r.order_id = "PACED";
	r.max_per_month = 3;
	q = NULL;
	assert_int_equal(allot_quote_run(s, &r, &q, &d), ALLOT_OK);
	assert_string_equal(deliveries(q), "2025-02:3 2025-03:3 2025-04:3 2025-05:3 2025-06:3 "
					   "2025-07:3 2025-08:3 2025-09:3 2025-10:1");
	assert_int_equal(allot_store_add_order(st, NULL, s, &q->order, &d), ALLOT_OK);
	q->order.max_per_month = -1;
	size_t before = allot_diags_count(&d);
	assert_int_equal(allot_store_add_order(st, NULL, s, &q->order, &d), ALLOT_EINPUT);
	assert_non_null(strstr(
		d.v[before].msg,
		"max_per_month: expected a whole number of units from 1 to 1000000000 or none, found"));
	allot_quote_free(q);
	r.max_per_month = -1;
	q = NULL;
	assert_int_equal(allot_quote_run(s, &r, &q, &d), ALLOT_EINPUT);
	assert_null(q);
	assert_int_equal(allot_store_get_scenario(st, NULL, &back, &d), ALLOT_OK);
	assert_int_equal(back->n_orders, 4);
	assert_string_equal(back->orders[3].order_id, "PACED");
	assert_int_equal(back->orders[3].max_per_month, 3);
	allot_scenario_free(back);

	/* The earlier run is still there and reads back. */
	struct allot_run_orders *ro = NULL;
	assert_int_equal(allot_store_get_run_orders(st, run, &ro, &d), ALLOT_OK);
	assert_int_equal(ro->n, 2);
	assert_string_equal(ro->order_id[0], "X1");
	assert_string_equal(month_str(ro->completion[0]), "2025-02");
	assert_string_equal(month_str(ro->end), "2026-01");
	allot_run_orders_free(ro);
	assert_int_equal(allot_store_get_run_orders(st, run + 1, &ro, &d), ALLOT_ENOTFOUND);
	assert_null(ro);
	allot_store_close(st);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
	allot_scenario_free(s);
}

/* The bundled data: a quote for 10 PAC-3 MSE interceptors for Poland.
 * Every existing order stays accounted for: impacts name existing orders,
 * and the new order's deliveries add up to what it gets. */
static void bundled(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_quote_request r;
	allot_quote_request_init(&r);
	r.iso3 = "POL";
	r.system_id = "pac3-mse";
	r.qty = 10;
	struct allot_quote *q = NULL;
	assert_int_equal(allot_quote_run(s, &r, &q, &d), ALLOT_OK);
	int64_t got = 0;
	for (size_t i = 0; i < q->n_deliveries; i++) {
		assert_true(q->deliveries[i].units > 0);
		got += q->deliveries[i].units;
	}
	assert_int_equal(got + q->units_short + q->units_cancelled, 10);
	for (size_t i = 0; i < q->n_impacts; i++) {
		assert_true((size_t)q->impacts[i].order < s->n_orders);
		if (i)
			assert_true(q->impacts[i - 1].months >= q->impacts[i].months);
	}
	allot_quote_free(q);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pushes_back_under_priority),
		cmocka_unit_test(queues_under_fcfs),
		cmocka_unit_test(pushes_past_the_horizon),
		cmocka_unit_test(bad_requests),
		cmocka_unit_test(store_add_order),
		cmocka_unit_test(bundled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
