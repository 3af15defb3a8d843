/*
 * test_order_pace.c - a started contract's own pace (the converter's rule)
 * (lib/convert/order_pace.c, docs/backtest.md "A started contract's own
 * pace"): a started contract's own recorded pace by hand, the work in
 * progress that honours an order's max_per_month by hand, and the as-of
 * book of the real register (Saudi Arabia's HARM of 2011).
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

/* A record without SIPRI's per-year units: the even spread. */
static struct allot_sipri_record rec(int64_t qty, int64_t delivered, const char *years)
{
	struct allot_sipri_record r;
	memset(&r, 0, sizeof r);
	r.qty = qty;
	r.delivered = delivered;
	r.delivery_years = (char *)years;
	return r;
}

/* By hand:
 *   1000 of 1200 delivered 2016-2020 without per-year units: as of 2017-01
 *     one listed year has ended: no pace; as of 2018-01 and 2019-01 no
 *     pace either (the even spread's 400 in 2 years rests on the later
 *     total and years); as of 2021-01, all 1000 in 5 years, 200 a year,
 *     ceil(200 / 12) = 17 a month.
 *   2500 of 5000 delivered 2017-2019, as of 2020-01: ceil(2500 / 3) = 834 a
 *     year, ceil(834 / 12) = 70 a month (rounding down twice gave 69).
 *   30 of 100 delivered 2018-2019, as of 2020-01: 15 a year, 2 a month; as
 *     of 2019-01 one year: none.
 *   a record with no number delivered, or no year listed: none. */
static void own_pace_by_hand(void **state)
{
	(void)state;
	struct allot_sipri_record a = rec(1200, 1000, "2016; 2017; 2018; 2019; 2020");
	assert_int_equal(allot_order_own_pace(&a, tu_m("2017-01")), 0);
	assert_int_equal(allot_order_own_pace(&a, tu_m("2018-01")), 0);
	assert_int_equal(allot_order_own_pace(&a, tu_m("2019-01")), 0);
	assert_int_equal(allot_order_own_pace(&a, tu_m("2021-01")), 17);
	struct allot_sipri_record b = rec(5000, 2500, "2017; 2018; 2019");
	assert_int_equal(allot_order_own_pace(&b, tu_m("2020-01")), 70);
	struct allot_sipri_record c = rec(100, 30, "2018; 2019");
	assert_int_equal(allot_order_own_pace(&c, tu_m("2020-01")), 2);
	assert_int_equal(allot_order_own_pace(&c, tu_m("2019-01")), 0);
	struct allot_sipri_record d = rec(100, -1, "2018; 2019");
	assert_int_equal(allot_order_own_pace(&d, tu_m("2020-01")), 0);
	struct allot_sipri_record e = rec(100, 30, "");
	assert_int_equal(allot_order_own_pace(&e, tu_m("2020-01")), 0);
}

/* SIPRI's per-year units (the deal-rows export, 2000-2023) for a record. */
static struct allot_sipri_record rec_by(int64_t qty, const char *years, int *by_year,
					int64_t *by_units, int n_by)
{
	struct allot_sipri_record r = rec(qty, 0, years);
	for (int k = 0; k < n_by; k++)
		r.delivered += by_units[k];
	r.supplier = (char *)"United States";
	r.status = (char *)"New";
	r.comments = (char *)"";
	r.by_year = by_year;
	r.by_units = by_units;
	r.n_by = n_by;
	r.by_from = 2000;
	r.by_to = 2023;
	return r;
}

/* No leak: the own pace (order_pace.c) and a line's typical contract time
 * (line_floor.c, through allot_sipri_supply_timing_of) of an as-of book are
 * the same whatever SIPRI recorded after as_of.  As of 2018-01 an order of
 * 1000 delivered 100 in 2016 and 150 in 2017 (per-year units): 250 in 2
 * years, ceil(125 / 12) = 11 a month, whether nothing, 750 in 2018, or 300
 * and 450 in 2018-2019 followed.  Without per-year units, 1000 delivered
 * in 2016-2018 or in 2016-2019 has no pace as of 2018-01 (the even spread
 * gave 667 or 500 in 2016-2017: 28 or 21 a month, read from the later
 * total and years).  The timing over orders of 1998-2017
 * delivered in full by 2017: five records taking 1, 1, 2, 4, 4 years
 * (lower median 2); two orders of 2010 open at 2017 finish in 2019 (10
 * years) in the later register; counted, they would move the median to 4. */
static void own_pace_and_line_time_read_nothing_after_as_of(void **state)
{
	(void)state;
	int y0[] = { 2016, 2017 }, y1[] = { 2016, 2017, 2018 }, y2[] = { 2016, 2017, 2018, 2019 };
	int64_t u0[] = { 100, 150 }, u1[] = { 100, 150, 750 }, u2[] = { 100, 150, 300, 450 };
	struct allot_sipri_record p0 = rec_by(1000, "2016; 2017", y0, u0, 2),
				  p1 = rec_by(1000, "2016; 2017; 2018", y1, u1, 3),
				  p2 = rec_by(1000, "2016; 2017; 2018; 2019", y2, u2, 4);
	allot_month as_of = tu_m("2018-01");
	assert_int_equal(allot_order_own_pace(&p0, as_of), 11);
	assert_int_equal(allot_order_own_pace(&p1, as_of), 11);
	assert_int_equal(allot_order_own_pace(&p2, as_of), 11);
	struct allot_sipri_record q1 = rec(1000, 1000, "2016; 2017; 2018"),
				  q2 = rec(1000, 1000, "2016; 2017; 2018; 2019");
	assert_int_equal(allot_order_own_pace(&q1, as_of), allot_order_own_pace(&q2, as_of));
	assert_int_equal(allot_order_own_pace(&q1, as_of), 0);

	static const struct {
		int order;
		const char *years; /* as known at 2018-01 / as recorded later */
		const char *later;
		int64_t qty, done, done_later;
	} spec[] = {
		{ 2015, "2015", "2015", 10, 10, 10 },
		{ 2014, "2014", "2014", 10, 10, 10 },
		{ 2012, "2012; 2013", "2012; 2013", 10, 10, 10 },
		{ 2013, "2014; 2016", "2014; 2016", 10, 10, 10 },
		{ 2011, "2012; 2014", "2012; 2014", 10, 10, 10 },
		{ 2010, "2012; 2017", "2012; 2017; 2019", 10, 6, 10 },
		{ 2010, "2016", "2016; 2018; 2019", 10, 2, 10 },
		{ 2016, "", "2018", 10, 0, 10 },
	};
	enum { N = sizeof spec / sizeof *spec };
	struct allot_sipri_record known[N], later[N];
	for (int i = 0; i < N; i++) {
		known[i] = rec(spec[i].qty, spec[i].done, spec[i].years);
		later[i] = rec(spec[i].qty, spec[i].done_later, spec[i].later);
		known[i].year_of_order = later[i].year_of_order = spec[i].order;
		known[i].supplier = later[i].supplier = (char *)"United States";
		known[i].status = later[i].status = (char *)"New";
		known[i].comments = later[i].comments = (char *)"";
	}
	struct allot_sipri_register rk = { .v = known, .n = N }, rl = { .v = later, .n = N };
	struct allot_supply_timing tk, tl;
	assert_int_equal(allot_sipri_supply_timing_of(&rk, "United States", ALLOT_SUPPLY_NEW, 1998,
						      2017, NULL, &tk),
			 ALLOT_OK);
	assert_int_equal(allot_sipri_supply_timing_of(&rl, "United States", ALLOT_SUPPLY_NEW, 1998,
						      2017, NULL, &tl),
			 ALLOT_OK);
	assert_int_equal(tk.complete, 5);
	assert_int_equal(tk.duration_years, 2);
	assert_int_equal(tl.records, tk.records);
	assert_int_equal(tl.complete, tk.complete);
	assert_int_equal(tl.lag_years, tk.lag_years);
	assert_int_equal(tl.span_years, tk.span_years);
	assert_int_equal(tl.duration_years, tk.duration_years);
	for (int a = 0; a < ALLOT_TIMING_AGES; a++)
		assert_int_equal(tl.duration_after[a], tk.duration_after[a]);
}

/* One delivery year (first_year_pace.c), by hand; the supplier's median
 * years to the last delivery of the records that took more than a years:
 * D(1) = 3, D(2) = 4, none for a = 3.
 *   10,000 of 20,000 delivered in 2019, ordered 2019, as of 2020-01 (a =
 *     1): expected end 2019 + 3 - 1 = 2021-12, M = 24 months; own year
 *     ceil(10000 / 12) = 834 a month, the spread ceil(10000 / 24) = 417:
 *     834 (the rule before: no cap at all).
 *   50 of 1,000 delivered in 2017 (a part year), ordered 2016, as of
 *     2018-01 (a = 2): end 2016 + 4 - 1 = 2019-12, M = 24; own ceil(50 /
 *     12) = 5, the spread ceil(950 / 24) = 40: 40, not the part year's 5.
 *   the same ordered 2015 (a = 3, no measured duration): none.
 *   two listed years (the own pace's): none; nothing open: none. */
static void first_year_pace_by_hand(void **state)
{
	(void)state;
	int dur[ALLOT_TIMING_AGES] = { 0, 3, 4 };
	struct allot_sipri_record a = rec(20000, 10000, "2019");
	assert_int_equal(
		allot_order_first_year_pace(&a, 10000, tu_m("2019-01"), tu_m("2020-01"), dur), 834);
	/* b's 50 of 2017 are SIPRI's own per-year units; without them the
	 * even spread of the later total over 2017-2019 would be read from
	 * what was recorded after as_of: no pace (the leak guard) */
	int by[] = { 2017 };
	int64_t bu[] = { 50 };
	struct allot_sipri_record b = rec_by(1000, "2017; 2018; 2019", by, bu, 1);
	assert_int_equal(
		allot_order_first_year_pace(&b, 950, tu_m("2016-01"), tu_m("2018-01"), dur), 40);
	struct allot_sipri_record bl = rec(1000, 50, "2017; 2018; 2019");
	assert_int_equal(
		allot_order_first_year_pace(&bl, 950, tu_m("2016-01"), tu_m("2018-01"), dur), 0);
	assert_int_equal(
		allot_order_first_year_pace(&b, 950, tu_m("2015-01"), tu_m("2018-01"), dur), 0);
	assert_int_equal(allot_order_first_year_pace(&b, 0, tu_m("2016-01"), tu_m("2018-01"), dur),
			 0);
	assert_int_equal(
		allot_order_first_year_pace(&a, 10000, tu_m("2018-01"), tu_m("2021-01"), dur), 0);
}

/* A started contract without a recorded pace (started_end_pace.c), by
 * hand; D(1) = 3, D(2) = 4, D(3) = 5, none for a = 4.
 *   57 of which 11 delivered 2019-2023, no per-year units, ordered 2017,
 *     as of 2020-01 (a = 3; one listed year before as_of, but the even
 *     spread rests on the later total: neither the own nor the one-year
 *     pace): end 2017 + 5 - 1 = 2021-12, M = 24 months, ceil(46 / 24) = 2.
 *   the same ordered 2016 (a = 4, no measured duration): none.
 *   ordered 2018, D(2) = 4, end 2021-12, M = 24: 2; with D(2) = 1 the end
 *     (2018-12) is before as_of: M = 1, all 46 at once.
 *   SIPRI's per-year units (11 in 2019): the one-year pace stands
 *     (max(ceil(11 / 12), ceil(46 / 24)) = 2 from first_year_pace.c): none
 *     here.  Two recorded years: the own pace stands: none.  Nothing
 *     open: none. */
static void end_pace_by_hand(void **state)
{
	(void)state;
	int dur[ALLOT_TIMING_AGES] = { 0, 3, 4, 5 };
	allot_month as_of = tu_m("2020-01");
	struct allot_sipri_record a = rec(57, 11, "2019; 2020; 2021; 2022; 2023");
	assert_int_equal(allot_order_end_pace(&a, 46, tu_m("2017-01"), as_of, dur), 2);
	assert_int_equal(allot_order_end_pace(&a, 46, tu_m("2016-01"), as_of, dur), 0);
	assert_int_equal(allot_order_end_pace(&a, 46, tu_m("2018-01"), as_of, dur), 2);
	int short_dur[ALLOT_TIMING_AGES] = { 0, 3, 1 };
	assert_int_equal(allot_order_end_pace(&a, 46, tu_m("2018-01"), as_of, short_dur), 46);
	assert_int_equal(allot_order_end_pace(&a, 0, tu_m("2017-01"), as_of, dur), 0);
	int by[] = { 2019 }, by2[] = { 2018, 2019 };
	int64_t bu[] = { 11 }, bu2[] = { 5, 6 };
	struct allot_sipri_record b = rec_by(57, "2019; 2020; 2021; 2022; 2023", by, bu, 1);
	assert_int_equal(allot_order_end_pace(&b, 46, tu_m("2017-01"), as_of, dur), 0);
	struct allot_sipri_record c = rec_by(57, "2018; 2019; 2020; 2021", by2, bu2, 2);
	assert_int_equal(allot_order_end_pace(&c, 46, tu_m("2017-01"), as_of, dur), 0);
}

/* No leak: the end pace of a started contract is the same whatever SIPRI
 * recorded after as_of.  As of 2018-01, an order of 2016 with 40 of 100
 * open and 2016-2017 listed before: the register later lists 2018, or
 * 2018-2021, with the same or another total (no per-year units, so no
 * recorded pace): D(2) = 4, end 2016 + 4 - 1 = 2019-12, M = 24 months,
 * ceil(40 / 24) = 2 in every case.  A rule that read the later listed
 * years (the last, 2018 or 2021) or the later total would differ. */
static void end_pace_reads_nothing_after_as_of(void **state)
{
	(void)state;
	int dur[ALLOT_TIMING_AGES] = { 0, 3, 4, 5 };
	allot_month as_of = tu_m("2018-01"), loa = tu_m("2016-01");
	struct allot_sipri_record v[] = {
		rec(100, 100, "2016; 2017; 2018"),
		rec(100, 100, "2016; 2017; 2018; 2019; 2020; 2021"),
		rec(100, 80, "2016; 2017; 2018; 2019"),
		rec(120, 90, "2016; 2017; 2018; 2019; 2020"),
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		assert_int_equal(allot_order_end_pace(&v[i], 40, loa, as_of, dur), 2);
}

/* The work in progress honours an order's max_per_month, by hand.  Line L
 * makes 4 a month (us_share 0), S has lead 3; in fcfs order A (12 open,
 * LOA 2022-01), B (6, 2022-06).
 *   Without a cap: t = 0, 1, 2: A 4 each (B nothing).
 *   A at 1 a month: t=0 A 1, B 3; t=1 A 1, B 3; t=2 A 1 (B is done; the
 *   line's other 3 go to no order of the book). */
static void wip_honours_max_per_month(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 24);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 0, 3, 0, 0);
	int l = tu_line(s, "L", 4, 0);
	int y = tu_system(s, "S", l, 1, 3, 0);
	int a = tu_order(s, "A", p, y, 12, 0, "2022-01", NULL, -1);
	tu_order(s, "B", p, y, 6, 0, "2022-06", NULL, -1);
	assert_int_equal(allot_derive_wip(s), ALLOT_OK);
	assert_string_equal(tu_wip_text(s), "A:2025-01:4 A:2025-02:4 A:2025-03:4");
	s->orders[a].max_per_month = 1;
	assert_int_equal(allot_derive_wip(s), ALLOT_OK);
	assert_string_equal(tu_wip_text(s), "A:2025-01:1 A:2025-02:1 A:2025-03:1 B:2025-01:3 "
					    "B:2025-02:3");
	allot_scenario_free(s);
}

/* The as-of book of the real register (own pace is the converter's rule):
 * Saudi Arabia's 600 AGM-88 HARM of 2011 (register line 21450; delivered
 * 2018-2023, 100 a year by SIPRI's per-year export) had 200 delivered in
 * 2018 and 2019: 100 a year, ceil(100 / 12) = 9 a month, in its work in
 * progress too.  `--book-share own-pace`, the rule's name as an
 * experiment, now reads as "off", the default.  51 orders of that book
 * supplied new are paced, and 12 not made on a US line (SOURCES.md of
 * `allot convert dataset --as-of 2020-01` says so). */
static void own_pace_in_as_of_book(void **state)
{
	(void)state;
	struct allot_book_share bs;
	assert_int_equal(allot_book_share_parse("own-pace", &bs), 0);
	assert_int_equal(bs.rule, ALLOT_BOOK_SHARE_OFF);
	assert_int_equal(allot_book_share_parse("own-pace,pooled", &bs), -1);
	assert_int_equal(allot_book_share_parse("own-pace,wip", &bs), -1);
	assert_int_equal(allot_book_share_parse("need,own-pace", &bs), -1);
	struct allot_diags d;
	char *md;
	struct allot_scenario *s = tu_as_of_book("2020-01", &md, &d);
	int o = allot_scenario_find_order(s, "SIPRI-SAU-2011-04");
	assert_true(o >= 0);
	assert_string_equal(s->systems[s->orders[o].system].system_id, "harm");
	assert_int_equal(s->orders[o].delivered, 200);
	assert_int_equal(s->orders[o].max_per_month, 9);
	size_t paced = 0, offline = 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		paced += s->orders[i].max_per_month > 0 && s->orders[i].supply == ALLOT_SUPPLY_NEW;
		offline += s->orders[i].max_per_month > 0 &&
			   s->orders[i].supply != ALLOT_SUPPLY_NEW;
	}
	/* 45 new and 11 off-line orders at their own pace (two or more listed
	 * years; 51 and 12 while a record without per-year units took the even
	 * spread of its later total), 58 and 3 at a one-year pace
	 * (first_year_pace.c, under the same guard), and 9 new orders started
	 * without a recorded pace spread to their expected end
	 * (started_end_pace.c) */
	assert_int_equal(paced, 45 + 58 + 9);
	assert_int_equal(offline, 11 + 3);
	/* Saudi Arabia's 20,000 Paveway kits of 2019, 10,000 delivered in 2019
	 * (one listed year): at least its year's pace, ceil(10000 / 12) = 834
	 * a month (first_year_pace.c; no cap before, 5,004 planned in 2020
	 * where SIPRI records all 10,000). */
	int pw = allot_scenario_find_order(s, "SIPRI-SAU-2019-02");
	assert_true(pw >= 0);
	assert_int_equal(s->orders[pw].delivered, 10000);
	assert_int_equal(s->orders[pw].max_per_month, 834);
	assert_non_null(strstr(md, "\"One delivery year\"): 58 orders supplied new and 3 "));
	assert_non_null(strstr(md, "without a recorded pace (docs/backtest.md, \"The held-out "
				   "date\"): 9 orders supplied new"));
	/* Saudi Arabia's 57 Black Hawks of 2017 (11 delivered before 2020-01,
	 * SIPRI-SAU-2017-04; its record has no per-year units and lists years
	 * after as_of): no recorded pace, so its 46 open units are spread to
	 * 2017 + D(3) - 1 = 2021-12 (D(3) = 5 years at 2020-01, wip_share.c's
	 * table in SOURCES.md): ceil(46 / 24) = 2 a month; it ran at the
	 * line's best year before (planned 2020, 2023 in the record). */
	int bh = allot_scenario_find_order(s, "SIPRI-SAU-2017-04");
	assert_true(bh >= 0);
	assert_string_equal(s->systems[s->orders[bh].system].system_id, "black-hawk");
	assert_int_equal(s->orders[bh].delivered, 11);
	assert_int_equal(s->orders[bh].max_per_month, 2);
	assert_non_null(strstr(md, "| 3 | 5 |"));
	char said[96];
	snprintf(said, sizeof said, "own pace\"): %zu orders supplied new", paced - 58 - 9);
	assert_non_null(strstr(md, said));
	snprintf(said, sizeof said, "after it; %zu orders not made on a US line", offline - 3);
	assert_non_null(strstr(md, said));
	/* Afghanistan's 1,673 second-hand M113 of 2017 (1,422 delivered in 2018
	 * and 2019, ceil(711 / 12) = 60 a month): its 251 open units over
	 * ceil(251 / 60) = 5 months, 2020-01..05, not to its type's expected
	 * end (2017 + 4 - 1: 2020-12). */
	int e = allot_scenario_find_order(s, "SIPRI-AFG-2017-02");
	assert_true(e >= 0);
	assert_int_equal(s->orders[e].supply, ALLOT_SUPPLY_USED);
	assert_int_equal(s->orders[e].delivered, 1422);
	assert_int_equal(s->orders[e].max_per_month, 60);
	int64_t ewip = 0;
	allot_month last = 0;
	for (size_t k = 0; k < s->n_wip; k++)
		if (s->wip[k].order == e) {
			ewip += s->wip[k].units;
			assert_true(s->wip[k].units <= 60);
			last = s->wip[k].month > last ? s->wip[k].month : last;
		}
	assert_int_equal(ewip, 1673 - 1422);
	assert_int_equal(last, tu_m("2020-05"));
	int64_t wip = 0;
	for (size_t k = 0; k < s->n_wip; k++)
		if (s->wip[k].order == o) {
			wip += s->wip[k].units;
			assert_true(s->wip[k].units <= 9);
		}
	assert_true(wip > 0);
	allot_convert_free_text(md);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_pace_by_hand),
		cmocka_unit_test(own_pace_and_line_time_read_nothing_after_as_of),
		cmocka_unit_test(first_year_pace_by_hand),
		cmocka_unit_test(end_pace_by_hand),
		cmocka_unit_test(end_pace_reads_nothing_after_as_of),
		cmocka_unit_test(wip_honours_max_per_month),
		cmocka_unit_test(own_pace_in_as_of_book),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
