/*
 * test_whatif.c - the one change grammar (lib/whatif): every flag at its
 * boundaries with the exact error and column, names resolved, currencies
 * converted, the rows a change adds, and cancellations counted as their
 * own outcome on a case checked by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

struct pcase {
	enum allot_change_kind kind;
	const char *text;
	int col; /* 0 with msg NULL: must parse */
	const char *msg;
};

static const struct pcase cases[] = {
	/* --cap */
	{ ALLOT_CHG_CAP, "TWN:5e9@2026-03", 0, NULL },
	{ ALLOT_CHG_CAP, "TWN:0@2026-03", 0, NULL },
	{ ALLOT_CHG_CAP, "Taiwan:400bnTWD@2026-05", 0, NULL },
	{ ALLOT_CHG_CAP, "TWN:5e9@2026-13", 9,
	  "expected the month after '@' as a month YYYY-MM (month 01 to 12), found \"2026-13\"" },
	{ ALLOT_CHG_CAP, "TWN:5e9@2026-1", 9,
	  "expected the month after '@' as a month YYYY-MM (month 01 to 12), found \"2026-1\"" },
	{ ALLOT_CHG_CAP, "TWN:-5@2026-03", 5,
	  "expected an amount (a number such as 12, 0.5 or 4e9), found \"-5\"" },
	{ ALLOT_CHG_CAP, "TWN:5e9", 8,
	  "expected '@' before the month the cap applies from, found the end" },
	{ ALLOT_CHG_CAP, ":5e9@2026-03", 1, "expected a partner (ISO3 code or name), found \":\"" },
	{ ALLOT_CHG_CAP, "TWN:5bnTW@2026-03", 8,
	  "expected '@' before the month the cap applies from, found \"TW\"" },
	{ ALLOT_CHG_CAP, "TWN:5e9@2026-03x", 9,
	  "expected the month after '@' as a month YYYY-MM (month 01 to 12), found \"2026-03x\"" },
	/* --invest */
	{ ALLOT_CHG_INVEST, "SAU:thaad:2bn:+4@2028-01", 0, NULL },
	{ ALLOT_CHG_INVEST, "SAU:thaad:2bn:+400/12@2028-01", 0, NULL },
	{ ALLOT_CHG_INVEST, "SAU:thaad:2bn:4@2028-01", 15,
	  "expected '+' before the rate added per month, found \"4\"" },
	{ ALLOT_CHG_INVEST, "SAU:thaad:2bn:+4/0@2028-01", 18,
	  "expected a divisor other than 0 after '/', found \"0\"" },
	{ ALLOT_CHG_INVEST, "SAU::2bn:+4@2028-01", 5, "expected a line (id or name), found \":\"" },
	/* --embargo */
	{ ALLOT_CHG_EMBARGO, "china", 0, NULL },
	{ ALLOT_CHG_EMBARGO, "china:gallium@2026-03+24", 0, NULL },
	{ ALLOT_CHG_EMBARGO, "china@2026-03+1200", 0, NULL },
	{ ALLOT_CHG_EMBARGO, "china@2026-03+0", 15,
	  "expected a number of months from 1 to 1200 after '+', found \"0\"" },
	{ ALLOT_CHG_EMBARGO, "china@2026-03+1201", 15,
	  "expected a number of months from 1 to 1200 after '+', found \"1201\"" },
	{ ALLOT_CHG_EMBARGO, "china:2025-01:24", 7,
	  "expected a mineral after ':', found the month \"2025-01\"; write the start after '@' "
	  "and the length after '+': china@2025-01+24" },
	{ ALLOT_CHG_EMBARGO, "china@2026-03+24x", 17,
	  "expected the end after the months, found \"x\"" },
	/* --us-share */
	{ ALLOT_CHG_US_SHARE, "gmlrs:0.8@2026-06+12", 0, NULL },
	{ ALLOT_CHG_US_SHARE, "gmlrs:1@2026-06", 0, NULL },
	{ ALLOT_CHG_US_SHARE, "gmlrs:1.01@2026-06", 7, "expected a share from 0 to 1, found 1.01" },
	/* --rate */
	{ ALLOT_CHG_RATE, "pac3-mse:2000/12@2027-01", 0, NULL },
	{ ALLOT_CHG_RATE, "pac3-mse:inf@2027-01", 10,
	  "expected a rate in units per month (a number such as 12, 0.5 or 4e9), found \"inf\"" },
	/* --status */
	{ ALLOT_CHG_STATUS, "TUR:violation@2026-05", 0, NULL },
	{ ALLOT_CHG_STATUS, "TUR:bad@2026-05", 5,
	  "expected a status (compliant, delinquent or violation), found \"bad\"" },
	/* --weight */
	{ ALLOT_CHG_WEIGHT, "geography:0.4", 0, NULL },
	{ ALLOT_CHG_WEIGHT, "geography:0.4@2026-06", 0, NULL },
	{ ALLOT_CHG_WEIGHT, "luck:1", 1,
	  "expected a criterion (investment, growth, geography, operations or economic), found "
	  "\"luck\"" },
	/* --catalog */
	{ ALLOT_CHG_CATALOG, "himars@2026-06", 0, NULL },
	{ ALLOT_CHG_CATALOG, "himars:0@2026-06", 0, NULL },
	{ ALLOT_CHG_CATALOG, "himars:8@2026-06", 0, NULL },
	{ ALLOT_CHG_CATALOG, "himars:9@2026-06", 8,
	  "expected a tier gate (the worst tier served; 0: no gate) from 0 to 8, found \"9\"" },
	{ ALLOT_CHG_CATALOG, "himars:-1@2026-06", 8,
	  "expected a tier gate (the worst tier served; 0: no gate) from 0 to 8, found \"-1\"" },
	{ ALLOT_CHG_CATALOG, "himars:1.5@2026-06", 9,
	  "expected '@' before the month it applies from, found \".5\"" },
	{ ALLOT_CHG_CATALOG, "himars", 7,
	  "expected '@' before the month it applies from, found "
	  "the end" },
	{ ALLOT_CHG_CATALOG, "@2026-06", 1, "expected a system (id or name), found \"@\"" },
	{ ALLOT_CHG_CATALOG, "himars@2026-00", 8,
	  "expected the month after '@' as a month YYYY-MM (month 01 to 12), found \"2026-00\"" },
	{ ALLOT_CHG_CATALOG, "himars:2@2026-06+3", 17,
	  "expected the end after the month, found "
	  "\"+\"" },
	/* --eeum */
	{ ALLOT_CHG_EEUM, "javelin@2026-05", 0, NULL },
	{ ALLOT_CHG_EEUM, "javelin:0@2026-05", 0, NULL },
	{ ALLOT_CHG_EEUM, "javelin:2@2026-05", 9,
	  "expected 1 (under EEUM) or 0 (not) from 0 to 1, found \"2\"" },
	{ ALLOT_CHG_EEUM, "javelin:yes@2026-05", 9,
	  "expected 1 (under EEUM) or 0 (not) from 0 to 1, found \"yes\"" },
};

static void parse_boundaries(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct pcase *c = &cases[i];
		struct allot_change ch;
		struct allot_change_error err;
		int rc = allot_change_parse(c->kind, c->text, &ch, &err);
		if (!c->msg) {
			if (rc != ALLOT_OK)
				fail_msg("%s: %s (col %d)", c->text, err.msg, err.col);
			continue;
		}
		if (rc != ALLOT_EINPUT || strcmp(err.msg, c->msg) != 0 || err.col != c->col)
			fail_msg("%s: got col %d \"%s\"", c->text, err.col, err.msg);
	}
}

static void parse_values(void **state)
{
	(void)state;
	struct allot_change ch;
	struct allot_change_error err;
	assert_int_equal(allot_change_parse(ALLOT_CHG_CAP, "Taiwan:400bnTWD@2026-05", &ch, &err),
			 0);
	assert_string_equal(ch.who, "Taiwan");
	assert_true(ch.amount == 400e9);
	assert_string_equal(ch.currency, "TWD");
	assert_int_equal(ch.month, tu_m("2026-05"));
	assert_int_equal(allot_change_parse(ALLOT_CHG_CAP, "BRA:5BRL@2026-05", &ch, &err), 0);
	assert_true(ch.amount == 5);
	assert_string_equal(ch.currency, "BRL");
	assert_int_equal(allot_change_parse(ALLOT_CHG_CAP, "BRA:5BUSD@2026-05", &ch, &err), 0);
	assert_true(ch.amount == 5e9);
	assert_int_equal(
		allot_change_parse(ALLOT_CHG_INVEST, "SAU:thaad:2bn:+400/12@2028-01", &ch, &err),
		0);
	assert_true(fabs(ch.rate - 400.0 / 12) < 1e-12);
	assert_true(ch.amount == 2e9);
	assert_int_equal(
		allot_change_parse(ALLOT_CHG_EMBARGO, "china:gallium@2026-03+24", &ch, &err), 0);
	assert_string_equal(ch.what, "gallium");
	assert_int_equal(ch.months, 24);
}

/* The same parser behind a whole line (changes.txt, the API): columns
 * count from the start of the line. */
static void parse_lines(void **state)
{
	(void)state;
	struct allot_change ch;
	struct allot_change_error err;
	assert_int_equal(allot_change_parse_line("--cap TWN:5e9@2026-03", &ch, &err), 0);
	assert_int_equal(ch.kind, ALLOT_CHG_CAP);
	assert_int_equal(allot_change_parse_line("cap=TWN:5e9@2026-03", &ch, &err), 0);
	assert_int_equal(allot_change_parse_line("--cap TWN:5e9@2026-13", &ch, &err), ALLOT_EINPUT);
	assert_int_equal(err.col, 15);
	assert_int_equal(allot_change_parse_line("--cut TWN:5e9@2026-13", &ch, &err), ALLOT_EINPUT);
	assert_int_equal(err.col, 1);
	assert_string_equal(err.msg, "expected a change (--cap, --invest, --embargo, --us-share, "
				     "--rate, --status, --weight, --catalog or --eeum), found "
				     "\"--cut\"");
	assert_int_equal(allot_change_parse_line("--catalog himars:9@2026-06", &ch, &err),
			 ALLOT_EINPUT);
	assert_int_equal(err.col, 18);
	char buf[512];
	allot_change_parse(ALLOT_CHG_CAP, "TWN:5e9@2026-13", &ch, &err);
	allot_change_error_format(ALLOT_CHG_CAP, "TWN:5e9@2026-13", &err, buf, sizeof buf);
	assert_string_equal(buf, "--cap TWN:5e9@2026-13: column 9: expected the month after '@' "
				 "as a month YYYY-MM (month 01 to 12), found \"2026-13\"");
}

static struct allot_scenario *tiny(void)
{
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_load(tu_src("tests/data/scenarios/tiny"), &s, &d), 0);
	allot_diags_free(&d);
	return s;
}

/* The foreign share of the lines the changes name, by hand on tiny (as_of
 * 2026-01, 36 months): PAC3 makes 50 a month, 65 from 2026-06, plus JPN's
 * +5 online 2028-01, with a US share of 0.4, so F(t) is 30 a month for 5
 * months, 39 for 19 and 42 for 12: 150 + 741 + 504 = 1,395 to the
 * horizon's end (2028-12, before the end of 2029).  A US share of 0.9
 * for 2026-02..07 gives 30, then 5 a month for 4 months (20), then 6.5 a
 * month for 2 (13, whole units from cumulative milli-units), then 39 for
 * 17 (663) and 42 for 12 (504): 1,230.  Ending with 2026: 150 + 7 x 39 =
 * 423 without, 30 + 20 + 13 + 5 x 39 = 258 with.  GMLRS is not named:
 * not listed. */
static void lines_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tiny(), *x = NULL;
	struct allot_change ch;
	struct allot_change_error err;
	size_t bad;
	assert_int_equal(allot_change_parse(ALLOT_CHG_US_SHARE, "PAC3:0.9@2026-02+6", &ch, &err),
			 0);
	assert_int_equal(allot_changes_apply(s, &ch, 1, NULL, &x, &bad, &err), 0);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = ALLOT_POLICY_PRIORITY;
	struct allot_plan *p0 = NULL, *p1 = NULL;
	assert_int_equal(allot_plan_run(s, &o, &p0), 0);
	assert_int_equal(allot_plan_run(x, &o, &p1), 0);
	struct allot_whatif_lines w;
	assert_int_equal(allot_whatif_lines(p0, p1, 2029, &ch, 1, &w), 0);
	assert_int_equal(w.n, 1);
	assert_string_equal(s->lines[w.v[0].line].line_id, "PAC3");
	assert_int_equal(w.v[0].foreign_capacity[0], 1395);
	assert_int_equal(w.v[0].foreign_capacity[1], 1230);
	assert_true(w.v[0].foreign_used[0] <= 1395 && w.v[0].foreign_used[1] <= 1230);
	allot_whatif_lines_free(&w);
	assert_int_equal(allot_whatif_lines(p0, p1, 2026, &ch, 1, &w), 0);
	assert_int_equal(w.v[0].foreign_capacity[0], 423);
	assert_int_equal(w.v[0].foreign_capacity[1], 258);
	allot_whatif_lines_free(&w);
	/* A year before as_of: nothing summed. */
	assert_int_equal(allot_whatif_lines(p0, p1, 2025, &ch, 1, &w), 0);
	assert_int_equal(w.v[0].foreign_capacity[0], 0);
	allot_whatif_lines_free(&w);
	allot_plan_free(p0);
	allot_plan_free(p1);
	allot_changed_free(x);
	allot_scenario_free(s);
}

static void apply_rows(void **state)
{
	(void)state;
	struct allot_scenario *s = tiny(), *x = NULL;
	struct allot_change ch[6];
	struct allot_change_error err;
	size_t bad;
	assert_int_equal(allot_change_parse(ALLOT_CHG_CAP, "poland:100m@2026-03", &ch[0], &err), 0);
	assert_int_equal(allot_change_parse(ALLOT_CHG_US_SHARE, "Patriot PAC-3 MSE:0.9@2026-06+12",
					    &ch[1], &err),
			 0);
	assert_int_equal(
		allot_change_parse(ALLOT_CHG_EMBARGO, "Domestic:ga@2026-02+3", &ch[2], &err), 0);
	assert_int_equal(
		allot_change_parse(ALLOT_CHG_INVEST, "JPN:GMLRS:1bn:+10@2027-01", &ch[3], &err), 0);
	assert_int_equal(allot_change_parse(ALLOT_CHG_WEIGHT, "growth:0", &ch[4], &err), 0);
	assert_int_equal(allot_change_parse(ALLOT_CHG_CAP, "JPN:1000JPY@2026-03", &ch[5], &err), 0);
	size_t ev0 = s->n_events, em0 = s->n_embargoes, in0 = s->n_investments;
	assert_int_equal(allot_changes_apply(s, ch, 5, NULL, &x, &bad, &err), 0);
	assert_string_equal(ch[0].id, "POL");
	assert_true(ch[0].usd == 100e6);
	assert_string_equal(ch[1].id, "PAC3");
	assert_true(ch[1].share_after == 0.4);
	assert_int_equal(x->n_events, ev0 + 4); /* cap, share, share back, weight */
	const struct allot_event *e = &x->events[ev0];
	assert_int_equal(e->type, ALLOT_EV_BUDGET_CAP);
	assert_string_equal(e->target, "POL");
	assert_string_equal(e->value, "100000000");
	assert_int_equal(e[1].type, ALLOT_EV_US_SHARE);
	assert_int_equal(e[1].month, tu_m("2026-06"));
	assert_int_equal(e[2].month, tu_m("2027-06"));
	assert_true(e[2].num == 0.4);
	assert_int_equal(e[3].type, ALLOT_EV_WEIGHT);
	assert_int_equal(e[3].month, s->as_of);
	assert_int_equal(x->n_embargoes, em0 + 1);
	assert_string_equal(x->embargoes[em0].source, "domestic");
	assert_int_equal(x->embargoes[em0].start_month, tu_m("2026-02"));
	assert_int_equal(x->embargoes[em0].end_month, tu_m("2026-04"));
	assert_int_equal(x->n_investments, in0 + 1);
	assert_true(x->investments[in0].added_rate == 10);
	assert_int_equal(s->n_events, ev0); /* the base is untouched */
	allot_changed_free(x);

	/* a currency without a rate: error at the currency's column */
	assert_int_equal(allot_changes_apply(s, ch, 6, NULL, &x, &bad, &err), ALLOT_EINPUT);
	assert_int_equal(bad, 5);
	assert_int_equal(err.col, 9);
	assert_null(x);
	struct allot_fx_rate r = { "JPY", 0, 0.0065 };
	r.month = tu_m("2025-01");
	struct allot_fx fx = { &r, 1 };
	assert_int_equal(allot_changes_apply(s, ch, 6, &fx, &x, &bad, &err), 0);
	assert_true(fabs(ch[5].usd - 6.5) < 1e-9);
	allot_changed_free(x);
	r.month = tu_m("2026-04"); /* after the cap's month: no rate yet */
	assert_int_equal(allot_changes_apply(s, ch, 6, &fx, &x, &bad, &err), ALLOT_EINPUT);

	/* unknown names */
	assert_int_equal(allot_change_parse(ALLOT_CHG_RATE, "Poland:5@2026-01", &ch[0], &err), 0);
	assert_int_equal(allot_changes_apply(s, ch, 1, NULL, &x, &bad, &err), ALLOT_EINPUT);
	assert_int_equal(err.col, 1);
	assert_string_equal(err.msg, "expected a line of the scenario (a line id such as pac3-mse, "
				     "a line name, or a system made on it), found \"Poland\"");
	allot_scenario_free(s);
}

/* A budget cap that cuts units is a cut, not an earlier completion.
 * as_of 2026-01; line L makes 10 a month, system S costs USD 1 m, lead 0;
 * AAA: A1 10 units (LOA 2025-06), A2 20 units (LOA 2025-07); BBB: B1 2
 * units of T (USD 3 m, line M at 1 a month).
 *   without: A1 10 in 2026-01 (wait 0); A2 10 + 10 in 2026-02, 2026-03
 *            (wait 2); B1 1 + 1 in 2026-01, 2026-02 (wait 1).
 *   with --cap AAA:15m@2026-01: A1 keeps 10 (USD 10 m), A2 is cut to the
 *            5 that fit (USD 5 m): 15 units cancelled, USD 15 m; it
 *            completes in 2026-02, a month "earlier", but that is a cut.
 * Counted waits: A1 (weight USD 10 m, wait 0) and B1 (USD 6 m, wait 1):
 * value-weighted 6/16 = 0.375, unweighted 0.5, the same on both sides. */
static void cancellations_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2026-01", 12);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int b = tu_partner(s, "BBB", "africa", 0, 0, 0, 0, 0, 0, 0);
	int l = tu_line(s, "L", 10, 0), m = tu_line(s, "M", 1, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0), t = tu_system(s, "T", m, 3e6, 0, 0);
	tu_order(s, "A1", a, y, 10, 0, "2025-06", NULL, -1);
	tu_order(s, "A2", a, y, 20, 0, "2025-07", NULL, -1);
	tu_order(s, "B1", b, t, 2, 0, "2025-01", NULL, -1);
	struct allot_change ch;
	struct allot_change_error err;
	struct allot_scenario *x = NULL;
	size_t bad;
	assert_int_equal(allot_change_parse(ALLOT_CHG_CAP, "AAA:15m@2026-01", &ch, &err), 0);
	assert_int_equal(allot_changes_apply(s, &ch, 1, NULL, &x, &bad, &err), 0);
	struct allot_compare_options o;
	allot_compare_options_init(&o);
	o.policy[0] = o.policy[1] = ALLOT_POLICY_PRIORITY;
	struct allot_compare *c = NULL;
	assert_int_equal(allot_compare_scenarios(s, x, &o, &c), 0);
	const struct allot_compare_order *a2 = &c->orders[1];
	assert_int_equal(a2->cancelled[0], 0);
	assert_int_equal(a2->cancelled[1], 15);
	assert_int_equal(a2->cut, 1);
	assert_int_equal(a2->counted, 0);
	assert_int_equal(a2->completion[0], tu_m("2026-03"));
	assert_int_equal(a2->completion[1], tu_m("2026-02"));
	const struct allot_compare_group *g = &c->all;
	assert_int_equal(g->cut, 1);
	assert_int_equal(g->restored, 0);
	assert_int_equal(g->cancelled[1], 15);
	assert_true(g->cancelled_value[1] == 15e6);
	assert_int_equal(g->orders, 2);
	assert_int_equal(g->earlier, 0); /* the cut is not an earlier completion */
	assert_int_equal(g->later, 0);
	assert_int_equal(g->by_year[0], 32);
	assert_int_equal(g->by_year[1], 17);
	assert_true(g->value_by_year[0] == 36e6);
	assert_true(g->value_by_year[1] == 21e6);
	assert_true(fabs(g->vwait[0] - 0.375) < 1e-12);
	assert_true(fabs(g->vwait[1] - 0.375) < 1e-12);
	assert_true(fabs(g->mean_wait[0] - 0.5) < 1e-12);
	/* by partner: AAA carries the cut */
	for (size_t k = 0; k < c->n_groups[ALLOT_BY_PARTNER]; k++) {
		const struct allot_compare_group *p = &c->groups[ALLOT_BY_PARTNER][k];
		if (strcmp(p->key, "AAA") == 0) {
			assert_int_equal(p->cut, 1);
			assert_true(p->cancelled_value[1] == 15e6);
			assert_int_equal(p->orders, 1);
		}
	}
	/* The API's path: the same figures from two plans made apart
	 * (allot_compare_plans borrows them), and the same what-if answer. */
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = ALLOT_POLICY_PRIORITY;
	struct allot_plan *p0 = NULL, *p1 = NULL;
	assert_int_equal(allot_plan_run(s, &po, &p0), 0);
	assert_int_equal(allot_plan_run(x, &po, &p1), 0);
	struct allot_compare *c2 = NULL;
	assert_int_equal(allot_compare_plans(p0, p1, 0, &c2), 0);
	struct allot_whatif_requests q = { 0 };
	json_t *j1 = allot_whatif_json(s, &ch, 1, c, &q, NULL, NULL);
	json_t *j2 = allot_whatif_json(s, &ch, 1, c2, &q, NULL, NULL);
	assert_non_null(j1);
	assert_true(json_equal(j1, j2));
	/* compare's keys: _b is the plan with the changes */
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(j1, "all"), "units_by_year_b")),
		17);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(j1, "changes"), 0), "flag")),
			    "cap");
	json_decref(j1);
	json_decref(j2);
	allot_compare_free(c2); /* leaves p0 and p1 */
	assert_int_equal(p1->orders[1].cancelled, 15);
	allot_plan_free(p0);
	allot_plan_free(p1);
	allot_compare_free(c);
	allot_changed_free(x);
	allot_scenario_free(s);
}

/* The dated system flags by hand.  as_of 2026-01, 12 months; line L makes
 * 10 a month; system S (USD 1 m, lead 0, not EEUM); BBB is in violation
 * and orders 40 S (LOA 2025-01).
 *   no change: 10 a month, complete 2026-04, nothing blocked.
 *   --eeum S@2026-02 --eeum S:0@2026-04: 10 in 2026-01, blocked in 02
 *   and 03, 10 in 04, 05, 06: complete 2026-06.
 *   --eeum S@2026-03 alone: 20 made, 20 blocked at the horizon's end. */
static void system_flags_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2026-01", 12);
	int b = tu_partner(s, "BBB", "africa", 0, 0, 0, 0, 0, 0, 0);
	s->partners[b].eum_status = ALLOT_EUM_VIOLATION;
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	tu_order(s, "B1", b, y, 40, 0, "2025-01", NULL, -1);
	struct allot_change ch[2];
	struct allot_change_error err;
	struct allot_scenario *x = NULL;
	struct allot_plan *p = NULL;
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = ALLOT_POLICY_PRIORITY;
	size_t bad;
	assert_int_equal(allot_plan_run(s, &o, &p), 0);
	assert_int_equal(p->orders[0].completion, tu_m("2026-04"));
	assert_int_equal(p->orders[0].blocked, 0);
	allot_plan_free(p);

	assert_int_equal(allot_change_parse(ALLOT_CHG_EEUM, "S@2026-02", &ch[0], &err), 0);
	assert_int_equal(allot_change_parse(ALLOT_CHG_EEUM, "s:0@2026-04", &ch[1], &err), 0);
	assert_int_equal(allot_changes_apply(s, ch, 2, NULL, &x, &bad, &err), 0);
	assert_int_equal(x->n_events, 2);
	assert_int_equal(x->events[0].type, ALLOT_EV_EEUM);
	assert_string_equal(x->events[0].value, "1");
	assert_string_equal(x->events[1].value, "0");
	assert_int_equal(allot_plan_run(x, &o, &p), 0);
	assert_int_equal(p->orders[0].completion, tu_m("2026-06"));
	assert_int_equal(p->orders[0].blocked, 0);
	allot_plan_free(p);
	allot_changed_free(x);

	assert_int_equal(allot_changes_apply(s, ch, 1, NULL, &x, &bad, &err), 0);
	ch[0].month = tu_m("2026-03");
	allot_changed_free(x);
	assert_int_equal(allot_changes_apply(s, ch, 1, NULL, &x, &bad, &err), 0);
	assert_int_equal(allot_plan_run(x, &o, &p), 0);
	assert_int_equal(p->orders[0].completion, ALLOT_NO_MONTH);
	assert_int_equal(p->orders[0].produced, 20);
	assert_int_equal(p->orders[0].blocked, 20);
	allot_plan_free(p);
	allot_changed_free(x);

	/* an unknown system */
	assert_int_equal(allot_change_parse(ALLOT_CHG_CATALOG, "Q:1@2026-06", &ch[0], &err), 0);
	assert_int_equal(allot_changes_apply(s, ch, 1, NULL, &x, &bad, &err), ALLOT_EINPUT);
	assert_int_equal(err.col, 1);
	assert_string_equal(err.msg, "expected a system of the scenario (a system id such as "
				     "himars or a name), found \"Q\"");
	allot_scenario_free(s);
}

/* The catalog and its gate act on requests from the month they start, at
 * the LOR month (docs/case-process.md).  The default case policy cuts a
 * catalog system's processing days by catalog_shortening 0.25 (checked
 * as a ratio); AAA is tier 1, CCC tier 3. */
static void catalog_requests_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2026-01", 24);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int c = tu_partner(s, "CCC", "africa", 0, 0, 0, 0, 0, 0, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	struct allot_request rq[3] = {
		{ "RA1", a, y, 5, 0, 5e6, -1 }, /* LOR 2026-05: before the catalog */
		{ "RA2", a, y, 5, 0, 5e6, -1 }, /* LOR 2026-07 */
		{ "RC", c, y, 5, 0, 5e6, -1 },  /* LOR 2026-07 */
	};
	rq[0].lor_month = tu_m("2026-05");
	rq[1].lor_month = rq[2].lor_month = tu_m("2026-07");
	s->requests = rq;
	s->n_requests = 3;
	struct allot_change ch;
	struct allot_change_error err;
	struct allot_scenario *x = NULL;
	size_t bad;
	assert_int_equal(allot_change_parse(ALLOT_CHG_CATALOG, "S:2@2026-06", &ch, &err), 0);
	assert_int_equal(allot_changes_apply(s, &ch, 1, NULL, &x, &bad, &err), 0);
	assert_int_equal(x->n_events, 2); /* catalog 1 and min_tier 2 */
	assert_int_equal(allot_system_flag_at(x, y, ALLOT_EV_CATALOG, tu_m("2026-05")), 0);
	assert_int_equal(allot_system_flag_at(x, y, ALLOT_EV_CATALOG, tu_m("2026-06")), 1);
	assert_int_equal(allot_system_flag_at(x, y, ALLOT_EV_CATALOG, ALLOT_NO_MONTH), 1);
	assert_int_equal(allot_system_flag_at(s, y, ALLOT_EV_CATALOG, ALLOT_NO_MONTH), 0);
	struct allot_whatif_requests q;
	assert_int_equal(allot_whatif_requests(s, x, ALLOT_POLICY_PRIORITY, tu_m("2026-01"), &q),
			 0);
	/* RA1 is before the catalog: unchanged, not listed */
	assert_int_equal(q.n, 2);
	const struct allot_whatif_request *w = &q.v[0];
	assert_int_equal(w->request, 1);
	assert_int_equal(w->est[1].tier, 1);
	assert_true(w->est[1].processing_days == 0.75 * w->est[0].processing_days);
	assert_false(w->est[1].held);
	assert_int_equal(w[1].request, 2);
	assert_int_equal(w[1].est[1].tier, 3);
	assert_false(w[1].est[0].held);
	assert_true(w[1].est[1].held);
	assert_int_equal(w[1].est[1].min_tier, 2);
	assert_int_equal(w[1].est[1].loa_month, ALLOT_NO_MONTH);
	assert_int_equal(q.held, 1);
	assert_int_equal(q.units_held, 5);
	assert_true(q.usd_held == 5e6);
	/* the LOA moves by whole months only */
	int sooner = w->est[1].loa_month < w->est[0].loa_month;
	assert_int_equal((int)q.sooner, sooner);
	allot_whatif_requests_free(&q);
	/* Under fcfs the strategy never applies: the catalog, its shortening
	 * and its gate act on nothing, so no request moves (its estimate still
	 * records the gate). */
	assert_int_equal(allot_whatif_requests(s, x, ALLOT_POLICY_FCFS, tu_m("2026-01"), &q), 0);
	assert_int_equal(q.n, 0);
	assert_int_equal(q.held, 0);
	allot_whatif_requests_free(&q);
	allot_changed_free(x);
	s->requests = NULL;
	s->n_requests = 0;
	allot_scenario_free(s);
}

static void fx_file(void **state)
{
	(void)state;
	struct allot_fx fx;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(
		allot_fx_load(tu_src("data/storylines/taiwan-special-budget/fx.csv"), &fx, &d), 0);
	double r;
	assert_int_equal(allot_fx_rate_at(&fx, "TWD", tu_m("2026-02"), &r), 0);
	assert_true(r == 0.031912);
	assert_int_equal(allot_fx_rate_at(&fx, "TWD", tu_m("2025-10"), &r), -1);
	assert_int_equal(allot_fx_rate_at(&fx, "USD", tu_m("2025-10"), &r), 0);
	assert_true(r == 1);
	allot_fx_free(&fx);
	allot_diags_free(&d);
}

/* allot sweep --vary embargo: in the change grammar means what the old
 * key=value spelling does. */
static void sweep_embargo(void **state)
{
	(void)state;
	struct allot_vary a, b;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_vary_parse("embargo:china:start=2026-01..2027-12,months=6..36,"
					  "mineral=gallium",
					  &a, &d),
			 0);
	assert_int_equal(allot_vary_parse("embargo:china:gallium@2026-01..2027-12+6..36", &b, &d),
			 0);
	assert_int_equal(memcmp(&a, &b, sizeof a), 0);
	assert_int_equal(allot_vary_parse("embargo:china@2026-07+12", &b, &d), 0);
	assert_int_equal(b.start_lo, b.start_hi);
	assert_int_equal(b.months_lo, 12);
	assert_string_equal(b.mineral, "*");
	assert_int_equal(allot_vary_parse("embargo:china@2026-07", &b, &d), ALLOT_EINPUT);
	assert_int_equal(allot_vary_parse("embargo:china@2026-07+0..3", &b, &d), ALLOT_EINPUT);
	assert_int_equal(allot_vary_parse("embargo:china@2027-07..2026-07+3", &b, &d),
			 ALLOT_EINPUT);
	allot_diags_free(&d);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	static char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* allot diff: an order cut between two plans is a cut, not a move. */
static void diff_cuts(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	const char *head = "order_id,completion_month,units_short,cancelled_units\n";
	char a[512], b[512], pa[4096], pb[4096];
	snprintf(a, sizeof a, "%sA1,2025-04,0,0\nA2,2025-06,0,0\nB1,2025-05,0,0\n", head);
	snprintf(b, sizeof b, "%sA1,2025-03,0,7\nA2,2025-08,0,0\nB1,2025-01,0,12\n", head);
	snprintf(pa, sizeof pa, "%s", write_file(dir, "a.csv", a));
	snprintf(pb, sizeof pb, "%s", write_file(dir, "b.csv", b));
	struct allot_run_orders *ra = NULL, *rb = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_run_orders_read_csv(pa, &ra, &d), 0);
	assert_int_equal(allot_run_orders_read_csv(pb, &rb, &d), 0);
	struct allot_diff *df = NULL;
	assert_int_equal(allot_diff_run(ra, rb, &df), 0);
	assert_int_equal(df->cut, 2);
	assert_int_equal(df->restored, 0);
	assert_int_equal(df->cut_units, 19);
	assert_int_equal(df->counted, 1); /* only A2 moved in months */
	assert_int_equal(df->earlier, 0);
	assert_int_equal(df->later, 1);
	for (size_t i = 0; i < df->n_rows; i++)
		if (strcmp(df->rows[i].order_id, "A1") == 0) {
			assert_int_equal(df->rows[i].cut, 1);
			assert_int_equal(df->rows[i].cancelled_b, 7);
			assert_int_equal(df->rows[i].counted, 0);
		}
	allot_diff_free(df);
	/* swapped: the same orders are restored */
	assert_int_equal(allot_diff_run(rb, ra, &df), 0);
	assert_int_equal(df->cut, 0);
	assert_int_equal(df->restored, 2);
	assert_int_equal(df->cut_units, -19);
	allot_diff_free(df);
	/* a bad cancelled_units cell is reported at its position */
	snprintf(b, sizeof b, "%sA1,2025-03,0,-1\n", head);
	snprintf(pb, sizeof pb, "%s", write_file(dir, "c.csv", b));
	allot_run_orders_free(rb);
	rb = NULL;
	assert_int_equal(allot_run_orders_read_csv(pb, &rb, &d), ALLOT_EINPUT);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 14);
	allot_diags_free(&d);
	allot_run_orders_free(ra);
	allot_run_orders_free(rb);
	tu_rmtree(dir);
	free(dir);
}

/* The amount multipliers, shared by the what-if amounts and allot reserve
 * --budget: the longest suffix wins (bn, not b then n), none is 1. */
static void amount_multipliers(void **state)
{
	(void)state;
	static const struct {
		const char *p;
		double m;
		size_t len;
	} v[] = { { "bn", 1e9, 2 }, { "b", 1e9, 1 },     { "B", 1e9, 1 }, { "tn", 1e12, 2 },
		  { "t", 1e12, 1 }, { "k", 1e3, 1 },     { "K", 1e3, 1 }, { "m", 1e6, 1 },
		  { "M", 1e6, 1 },  { "bnUSD", 1e9, 2 }, { "", 1, 0 },    { "x", 1, 0 },
		  { "USD", 1, 0 },  { "T", 1, 0 } };
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		size_t len = 99;
		assert_true(allot_amount_multiplier(v[i].p, &len) == v[i].m);
		assert_int_equal(len, v[i].len);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(amount_multipliers),
		cmocka_unit_test(lines_by_hand),
		cmocka_unit_test(parse_boundaries),
		cmocka_unit_test(parse_values),
		cmocka_unit_test(parse_lines),
		cmocka_unit_test(apply_rows),
		cmocka_unit_test(cancellations_by_hand),
		cmocka_unit_test(system_flags_by_hand),
		cmocka_unit_test(catalog_requests_by_hand),
		cmocka_unit_test(fx_file),
		cmocka_unit_test(sweep_embargo),
		cmocka_unit_test(diff_cuts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
