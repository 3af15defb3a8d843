/*
 * started_end_pace.c - a started contract without a recorded pace
 * (docs/backtest.md, "The held-out date: a started contract without a
 * recorded pace"; issue 15, heldout9).
 *
 * A contract supplied new with units delivered before as_of gets a pace
 * from its own record: two or more listed years recorded before as_of
 * (order_pace.c), or one (first_year_pace.c: at least that year's units /
 * 12, at most slowed to its expected end).  Both need SIPRI's per-year
 * units when the record lists years after as_of: the register's total and
 * years are recorded after it (allot_sipri_units_before_recorded).  A
 * started contract that fails that guard had no pace at all, and ran at
 * its line's best year in the pipeline and after it: planned early on
 * every backtest date (2016-01, 2018-01 and 2020-01).  Such a contract is
 * like the one-year case without its own year: here it takes at most its
 * open units spread evenly to its expected end,
 *   ceil(open / M) a month, M the months from as_of to the December
 *   ds_expected_end gives (ds_months_to_end: at least 1),
 * the second term of first_year_pace.c alone.  Of the record it reads
 * only whether those two rules pace it (each under its guard); the cap
 * rests on the order's age, its open units and the supplier's records
 * delivered in full before as_of (duration_after), nothing recorded after.  Without a measured
 * duration it gets no cap (as before).  Orders not made on a US line are
 * left alone: their off-line schedule already spreads them to that end
 * (allot_schedule_offline).
 */
#include <allot/allot.h>

#include "convert/dataset.h"

int32_t allot_order_end_pace(const struct allot_sipri_record *r, int64_t open,
			     allot_month loa_month, allot_month as_of,
			     const int duration_after[ALLOT_TIMING_AGES])
{
	/* a pace of its own (order_pace.c) or of its one year
	 * (first_year_pace.c) stands */
	if (allot_order_own_pace(r, as_of) > 0 ||
	    allot_order_first_year_pace(r, open, loa_month, as_of, duration_after) > 0)
		return 0;
	int64_t months = ds_months_to_end(duration_after, loa_month, as_of);
	if (open <= 0 || months == 0)
		return 0;
	int64_t pm = (open + months - 1) / months;
	return pm > INT32_MAX ? INT32_MAX : (int32_t)pm;
}

int ds_started_end_pace(const struct ds *ds, struct allot_order *o,
			const struct allot_sipri_record *r, const struct allot_supply_timing *tm)
{
	if (o->supply != ALLOT_SUPPLY_NEW || o->delivered <= 0 || o->max_per_month > 0)
		return 0;
	o->max_per_month = allot_order_end_pace(r, o->qty - o->delivered, o->loa_month,
						ds->s->as_of, tm[ALLOT_SUPPLY_NEW].duration_after);
	return o->max_per_month > 0;
}

void ds_started_end_pace_note(struct ds *ds, size_t n)
{
	buf_printf(&ds->md,
		   "\nA started contract without a recorded pace (docs/backtest.md, \"The "
		   "held-out date\"): %zu orders supplied new, with units delivered before "
		   "as_of but neither a pace of their own nor one delivery year recorded per "
		   "year, take at most their open units spread evenly to their type's expected "
		   "end, rounded up, a month (orders.csv `max_per_month`). An estimate.\n",
		   n);
}
