/*
 * order_pace.c - a started contract's own pace, the converter's rule in
 * data/default and every as-of book since issue 15 adopted it
 * (docs/backtest.md, "A started contract's own pace"; an experiment
 * before): an order that SIPRI records delivering in two or more listed
 * years before as_of keeps the pace it was recorded at.  Supplied new, in
 * its line's work in progress at as_of and in the plan after it; not made
 * on a US line (second-hand, lease, licence), in its off-line schedule
 * (allot_schedule_offline: its open units over open / pace months instead
 * of to its type's expected end; docs/backtest.md, "Spread to the end").
 *
 * The pace is the order's own: its units delivered before as_of over the
 * listed years before as_of (round up), a month's cap being a twelfth of
 * that (round up), written as the order's max_per_month.  One listed year
 * is not a pace (SIPRI counts whole years; the first is often a part year,
 * a few units of a lot just begun).  It reads only deliveries recorded
 * before as_of: a record that lists years after as_of without SIPRI's
 * per-year units for those before has no pace (the even spread would read
 * the register's later total and years).
 */
#include <allot/allot.h>

#include "convert/dataset.h"

/* The fewest listed years before as_of that make a pace. */
#define PACE_MIN_YEARS 2

/* With later years listed, a record's units before as_of must be SIPRI's
 * own per-year units: the even spread rests on the register's later total
 * and number of years, recorded after as_of.  k of its n listed years are
 * before as_of. */
int allot_sipri_units_before_recorded(const struct allot_sipri_record *r, const int *years, int n,
				      int k)
{
	return k >= n || (r->by_to != 0 && years[k - 1] <= r->by_to);
}

int32_t allot_order_own_pace(const struct allot_sipri_record *r, allot_month as_of)
{
	int years[ALLOT_SIPRI_MAX_YEARS], n;
	int k = allot_sipri_years_before(r, as_of, years, &n);
	if (k < PACE_MIN_YEARS)
		return 0;
	if (!allot_sipri_units_before_recorded(r, years, n, k))
		return 0;
	int64_t done = allot_sipri_units_through(r, years, n, k);
	if (done <= 0)
		return 0;
	int64_t per_year = (done + k - 1) / k;
	int64_t per_month = (per_year + 11) / 12;
	return per_month > INT32_MAX ? INT32_MAX : (int32_t)per_month;
}

int ds_order_pace(struct ds *ds, const size_t *order_rec)
{
	struct allot_scenario *s = ds->s;
	size_t paced = 0, offline = 0, one_year = 0, one_off = 0, end_paced = 0;
	const struct allot_supply_timing *tm;
	int rc = ds_timings(ds, &tm);
	if (rc != ALLOT_OK)
		return rc;
	for (size_t i = 0; i < s->n_orders; i++) {
		struct allot_order *o = &s->orders[i];
		if (o->delivered <= 0)
			continue;
		o->max_per_month = allot_order_own_pace(&ds->reg->v[order_rec[i]], s->as_of);
		if (o->max_per_month == 0 && o->supply < ALLOT_SUPPLY_COUNT) {
			/* one listed year: first_year_pace.c */
			o->max_per_month = allot_order_first_year_pace(
				&ds->reg->v[order_rec[i]], o->qty - o->delivered, o->loa_month,
				s->as_of, tm[o->supply].duration_after);
			one_year += o->max_per_month > 0;
			one_off += o->max_per_month > 0 && o->supply != ALLOT_SUPPLY_NEW;
			/* no recorded pace: started_end_pace.c */
			end_paced +=
				(size_t)ds_started_end_pace(ds, o, &ds->reg->v[order_rec[i]], tm);
			continue;
		}
		paced += o->max_per_month > 0;
		offline += o->max_per_month > 0 && o->supply != ALLOT_SUPPLY_NEW;
	}
	buf_printf(&ds->md,
		   "\nA started contract's own pace (docs/backtest.md, \"A started "
		   "contract's own pace\"): %zu orders supplied new, recorded delivering "
		   "in %d or more listed years before as_of, take at most their own recorded pace "
		   "(units delivered before as_of / those years / 12, rounded up) a month "
		   "(orders.csv `max_per_month`), in the work in progress and after it; "
		   "%zu orders not made on a US line (second-hand, lease, licence) are "
		   "delivered at theirs (their open units spread evenly over open / that pace "
		   "months, rounded up, instead of to their type's expected end). "
		   "An estimate.\n",
		   paced - offline, PACE_MIN_YEARS, offline);
	buf_printf(&ds->md,
		   "\nOne delivery year (docs/backtest.md, \"One delivery year\"): %zu orders "
		   "supplied new and %zu not made on a US line, recorded delivering in one "
		   "listed year before as_of, take at most the larger of that year's units / 12 "
		   "and their open units spread evenly to their type's expected end, rounded up, "
		   "a month (orders.csv `max_per_month`). An estimate.\n",
		   one_year - one_off, one_off);
	ds_started_end_pace_note(ds, end_paced);
	return ALLOT_OK;
}
