/*
 * test_book_share.c - the book's share of a line's output after as_of, the
 * backtest's experiment (lib/convert/book_share.c, docs/dataset.md "The
 * book's share of a line"): the measurement on a fixture register by hand,
 * the work in progress it shapes by hand, and the capacity events it
 * multiplies into the bundled lines.
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

enum { J = ALLOT_BOOK_SHARE_YEARS };

static void parse_rules(void **state)
{
	(void)state;
	struct allot_book_share b;
	assert_int_equal(allot_book_share_parse("need", &b), 0);
	assert_int_equal(b.rule, ALLOT_BOOK_SHARE_NEED);
	assert_false(b.pooled || b.wip_only || b.then_all);
	assert_int_equal(allot_book_share_parse("taken,pooled,wip,then-all", &b), 0);
	assert_int_equal(b.rule, ALLOT_BOOK_SHARE_TAKEN);
	assert_true(b.pooled && b.wip_only && b.then_all);
	assert_int_equal(allot_book_share_parse("off", &b), 0);
	assert_int_equal(b.rule, ALLOT_BOOK_SHARE_OFF);
	const char *bad[] = { "",          "needs",      "pooled",    "need,",
			      "need,pool", "off,pooled", "need,need", "Need" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(allot_book_share_parse(bad[i], &b), -1);
}

/* tests/data/sipri/register-booksh.csv, as of 2020-01 (no per-year export:
 * every record spread evenly over its listed years).  Line 0:
 *   R0 ordered 2005, 300 delivered 2008-2010 (100 a year);
 *   R1 ordered 2012, 100 delivered 2014-2017 (25 a year);
 *   R2 ordered 2016, 40 delivered 2017-2018 (20 a year).
 * Line 0 delivers 25, 25, 25, 45, 20, 0 in 2014-2019 and 100 in 2008-2010;
 * the capacity estimated at B (its best year of B-5..B-1) is 100 for B =
 * 2011..2015, 25 for 2016 and 2017, 45 for 2018 and 2019.  R3 is on no line
 * (1000 in 2015: it must not count); R4 (line 1) ordered 2017, 10 in 2018.
 * For offset j the bases are B = 2015-j .. 2019-j (B + j in 2015-2019):
 *   to the book of B (ordered B-10..B-1) in B + j: j=0 115 (25+25+45+20),
 *   j=1 95, j=2 75, j=3 50, j=4 25; to orders placed from B on: 0, 20, 40,
 *   65, 90.
 *   delivered: / 115 (the line's 2015-2019 units) = 1, .826, .652, .435, .217;
 *   capacity: / (100+25+25+45+45 = 240, 295, 350, 425, 500) = .479, .322,
 *     .214, .118, .050;
 *   taken: 1 - (0, 20, 40, 65, 90) / (240, ...) = 1, .932, .886, .847, .820;
 *   need: / sum of min(capacity at B, the book's open units at B + j):
 *     j=0 75+25+25+20+0 = 145 (.793), j=1 75+50+25+20+0 = 170 (.559),
 *     j=2 75+50+25+0+0 = 150 (.500), j=3 0+50+25+0+0 = 75 (.667),
 *     j=4 0+0+25+0+0 = 25 (1). */
static void measure_by_hand(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *r = NULL;
	assert_int_equal(allot_sipri_read(tu_src("tests/data/sipri/register-booksh.csv"), &r, &d),
			 ALLOT_OK);
	assert_int_equal(r->n, 5);
	assert_string_equal(r->v[3].recipient, "Sweden");
	int line[5] = { 0, 0, 0, -1, 1 };
	static const double want[5][J] = {
		{ 0 },
		{ 1, 0.826, 0.652, 0.435, 0.217 },
		{ 0.479, 0.322, 0.214, 0.118, 0.05 },
		{ 1, 0.932, 0.886, 0.847, 0.82 },
		{ 0.793, 0.559, 0.5, 0.667, 1 },
	};
	double sh[3 * J];
	size_t rec[3];
	for (int rule = ALLOT_BOOK_SHARE_DELIVERED; rule <= ALLOT_BOOK_SHARE_NEED; rule++) {
		assert_int_equal(allot_book_share_measure(r, line, 2, tu_m("2020-01"),
							  (enum allot_book_share_rule)rule, sh,
							  rec),
				 ALLOT_OK);
		for (int j = 0; j < J; j++)
			assert_float_equal(sh[j], want[rule][j], 1e-9);
		assert_int_equal(rec[0], 2); /* R1, R2 deliver in 2015-2019 */
		assert_int_equal(rec[1], 1);
		assert_int_equal(rec[2], 3);
	}
	/* line 1 and every line, delivered: R4's 10 of 2018 went to the book of
	 * 2018 only; all lines: (115 + 10, 95, 75, 50, 25) / 125 */
	assert_int_equal(allot_book_share_measure(r, line, 2, tu_m("2020-01"),
						  ALLOT_BOOK_SHARE_DELIVERED, sh, rec),
			 ALLOT_OK);
	static const double line1[J] = { 1, 0, 0, 0, 0 }, all[J] = { 1, 0.76, 0.6, 0.4, 0.2 };
	for (int j = 0; j < J; j++) {
		assert_float_equal(sh[J + j], line1[j], 1e-9);
		assert_float_equal(sh[2 * J + j], all[j], 1e-9);
	}
	/* as of 2018-01 nothing of 2018 is read: R4 is gone, R2 half there */
	assert_int_equal(allot_book_share_measure(r, line, 2, tu_m("2018-01"),
						  ALLOT_BOOK_SHARE_DELIVERED, sh, rec),
			 ALLOT_OK);
	assert_int_equal(rec[1], 0);
	assert_float_equal(sh[J], 1, 1e-9); /* nothing measured: the whole output */
	allot_sipri_free(r);
	allot_diags_free(&d);
}

/* s->wip is exactly want[0..n): (order index, month, units) rows. */
static void assert_wip(const struct allot_scenario *s, const int (*want)[3], size_t n,
		       const char *first)
{
	assert_int_equal(s->n_wip, n);
	for (size_t k = 0; k < n; k++) {
		assert_int_equal(s->wip[k].order, want[k][0]);
		assert_int_equal(s->wip[k].month, tu_m(first) + want[k][1]);
		assert_int_equal(s->wip[k].units, want[k][2]);
	}
}

/* The work in progress takes the share of its delivery year, by hand.  Line
 * L makes 4 a month, S has lead 13: A (100 open, LOA 2020-01) takes 4 x .5 =
 * 2 a month in 2025 and 4 x .25 = 1 in 2026-01 (its last lead month).  Line
 * M makes 1 a month at .3 (then .3), S2 lead 12: 300 milli-units a month,
 * a whole unit when the running sum crosses one (months 4, 7, 10). */
static void wip_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 36);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 0, 3, 0, 0);
	int l = tu_line(s, "L", 4, 0), m = tu_line(s, "M", 1, 0);
	int y = tu_system(s, "S", l, 1, 13, 0), y2 = tu_system(s, "S2", m, 1, 12, 0);
	tu_order(s, "A", p, y, 100, 0, "2020-01", NULL, -1);
	tu_order(s, "X", p, y2, 10, 0, "2020-01", NULL, -1);
	const double share[2 * 2] = { 0.5, 0.25, 0.3, 0.3 };
	assert_int_equal(allot_derive_wip_shared(s, NULL, NULL, share, 2), ALLOT_OK);
	/* (order, months after 2025-01, units): A 2 a month in 2025, 1 in
	 * 2026-01; X 1 in months 3, 6 and 9 */
	static const int want[][3] = {
		{ 0, 0, 2 },  { 0, 1, 2 }, { 0, 2, 2 }, { 0, 3, 2 }, { 0, 4, 2 },  { 0, 5, 2 },
		{ 0, 6, 2 },  { 0, 7, 2 }, { 0, 8, 2 }, { 0, 9, 2 }, { 0, 10, 2 }, { 0, 11, 2 },
		{ 0, 12, 1 }, { 1, 3, 1 }, { 1, 6, 1 }, { 1, 9, 1 },
	};
	assert_wip(s, want, sizeof want / sizeof *want, "2025-01");
	/* without a share: the whole capacity, as allot_derive_wip_paced (A 4
	 * a month for 13 months, X 1 a month for 10) */
	static const int whole[][3] = {
		{ 0, 0, 4 },  { 0, 1, 4 }, { 0, 2, 4 }, { 0, 3, 4 }, { 0, 4, 4 },  { 0, 5, 4 },
		{ 0, 6, 4 },  { 0, 7, 4 }, { 0, 8, 4 }, { 0, 9, 4 }, { 0, 10, 4 }, { 0, 11, 4 },
		{ 0, 12, 4 }, { 1, 0, 1 }, { 1, 1, 1 }, { 1, 2, 1 }, { 1, 3, 1 },  { 1, 4, 1 },
		{ 1, 5, 1 },  { 1, 6, 1 }, { 1, 7, 1 }, { 1, 8, 1 }, { 1, 9, 1 },
	};
	assert_int_equal(allot_derive_wip_shared(s, NULL, NULL, NULL, 0), ALLOT_OK);
	assert_wip(s, whole, sizeof whole / sizeof *whole, "2025-01");
	assert_int_equal(allot_derive_wip_paced(s, NULL, NULL), ALLOT_OK);
	assert_wip(s, whole, sizeof whole / sizeof *whole, "2025-01");
	allot_scenario_free(s);
}

/* A line's rate in month t: its rate, then its capacity events up to t (the
 * later month wins, then the later row), as the planner applies them. */
static double rate_at(const struct allot_scenario *s, int l, allot_month t)
{
	double r = s->lines[l].rate_per_month;
	allot_month best = ALLOT_NO_MONTH;
	for (size_t k = 0; k < s->n_events; k++) {
		const struct allot_event *e = &s->events[k];
		if (e->type == ALLOT_EV_CAPACITY && e->index == l && e->month <= t &&
		    (best == ALLOT_NO_MONTH || e->month >= best)) {
			best = e->month;
			r = e->num;
		}
	}
	return r;
}

static int64_t wip_units(const struct allot_scenario *s)
{
	int64_t u = 0;
	for (size_t k = 0; k < s->n_wip; k++)
		u += s->wip[k].units;
	return u;
}

/* The bundled dataset with need,pooled: every line's rate in production
 * month t is the bundled rate (with its typed ramps, e.g. GMLRS 2026-01)
 * times the share of the year t + lead delivers in, the curve SOURCES.md
 * prints; the work in progress shrinks; the rest is the bundled data. */
static void events_multiply_the_bundled_lines(void **state)
{
	(void)state;
	struct allot_book_share bs;
	assert_int_equal(allot_book_share_parse("need,pooled", &bs), 0);
	struct allot_convert_dirs dirs = tu_bundled_dirs();
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *off = NULL, *on = NULL;
	char *md_off = NULL, *md_on = NULL;
	assert_int_equal(allot_convert_dataset(&dirs, &off, &md_off, &d), ALLOT_OK);
	dirs.book_share = &bs;
	assert_int_equal(allot_convert_dataset(&dirs, &on, &md_on, &d), ALLOT_OK);
	assert_null(strstr(md_off, "The book's share"));
	const char *row = strstr(md_on, "\n| (all lines) | ");
	assert_non_null(row);
	row = strchr(row + 16, '|');
	double a[J];
	assert_int_equal(
		sscanf(row, "| %lf, %lf, %lf, %lf, %lf", &a[0], &a[1], &a[2], &a[3], &a[4]), 5);
	for (int j = 0; j < J; j++)
		assert_true(a[j] > 0 && a[j] < 1); /* measured, not the whole output */
	assert_int_equal(on->n_lines, off->n_lines);
	assert_int_equal(on->n_orders, off->n_orders);
	/* rate_at against hand values, so that the oracle is not only the
	 * rule it checks: GMLRS, 10,000 rockets a year, 14,000 from 2026-01
	 * (data/sources: lines.csv and its ramp). */
	int gm = allot_scenario_find_line(off, "gmlrs");
	assert_true(gm >= 0);
	assert_float_equal(rate_at(off, gm, tu_m("2025-12")), 10000.0 / 12, 1e-9);
	assert_float_equal(rate_at(off, gm, tu_m("2026-01")), 14000.0 / 12, 1e-9);
	int ramps = 0, cited = 0;
	for (size_t l = 0; l < on->n_lines; l++) {
		assert_string_equal(on->lines[l].line_id, off->lines[l].line_id);
		/* the share is an estimate: so is every date resting on it */
		cited += off->lines[l].rate_basis == ALLOT_RATE_CITED;
		assert_int_equal(on->lines[l].rate_basis, ALLOT_RATE_ESTIMATE);
		int lead = 0;
		for (size_t y = 0; y < on->n_systems; y++)
			if (on->systems[y].line == (int)l && on->systems[y].lead_months > lead)
				lead = on->systems[y].lead_months;
		for (allot_month t = on->as_of; t < on->as_of + 120; t++) {
			int j = (int)((t - on->as_of + lead) / 12);
			double want = rate_at(off, (int)l, t) * a[j < J ? j : J - 1];
			assert_float_equal(rate_at(on, (int)l, t), want, 1e-9 * (1 + want));
			ramps += t > on->as_of &&
				 rate_at(off, (int)l, t) != rate_at(off, (int)l, t - 1);
		}
	}
	assert_true(ramps > 5); /* the typed ramps were multiplied, not dropped */
	assert_true(cited > 5);
	/* the other events are the bundled ones */
	size_t other_on = 0, other_off = 0;
	for (size_t k = 0; k < on->n_events; k++)
		other_on += on->events[k].type != ALLOT_EV_CAPACITY;
	for (size_t k = 0; k < off->n_events; k++)
		other_off += off->events[k].type != ALLOT_EV_CAPACITY;
	assert_int_equal(other_on, other_off);
	assert_true(wip_units(on) < wip_units(off));
	allot_scenario_free(off);
	allot_scenario_free(on);
	allot_convert_free_text(md_off);
	allot_convert_free_text(md_on);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_rules),
		cmocka_unit_test(measure_by_hand),
		cmocka_unit_test(wip_by_hand),
		cmocka_unit_test(events_multiply_the_bundled_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
