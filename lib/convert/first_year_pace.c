/*
 * first_year_pace.c - a contract with one delivery year before as_of
 * (docs/backtest.md, "One delivery year: a pace bounded by the expected
 * end"; issue 15, sysyear8).
 *
 * order_pace.c gives a started contract its own recorded pace only from
 * two listed years before as_of: one year is often a part year, so its
 * units understate the pace (a cap at them planned Qatar's 703 PAC-3 of
 * 2014, 2020 in the record, in 2026).  With no pace at all such a
 * contract ran at its line's best year in the pipeline and after it, and
 * delivered in months what SIPRI spreads over years.  Here a new order
 * with exactly one listed year before as_of takes at most the larger of
 *   - its one year's units / 12 (round up): a lower bound of its pace, and
 *   - its open units spread evenly to its expected end (ds_expected_end:
 *     the December of its year of order + the median years, order to last
 *     delivery, of the supplier's new records that took more than its age;
 *     the rule wip_share.c applies to a contract not yet started): ceil(open
 *     / M), M the months from as_of to that December (at least 1),
 * a month.  So the part year can slow the contract no later than the
 * median contract of its age ends.  Without a measured duration it gets
 * no cap (as before).  It reads only deliveries recorded before as_of.
 */
#include <allot/allot.h>

#include "convert/dataset.h"
#include "util/mem.h"

int32_t allot_order_first_year_pace(const struct allot_sipri_record *r, int64_t open,
				    allot_month loa_month, allot_month as_of,
				    const int duration_after[ALLOT_TIMING_AGES])
{
	int years[ALLOT_SIPRI_MAX_YEARS], n;
	int k = allot_sipri_years_before(r, as_of, years, &n);
	int64_t done = k == 1 ? allot_sipri_units_through(r, years, n, 1) : 0;
	int64_t months = ds_months_to_end(duration_after, loa_month, as_of);
	if (k != 1 || done <= 0 || open <= 0 || months == 0 ||
	    !allot_sipri_units_before_recorded(r, years, n, k))
		return 0;
	int64_t own = (done + 11) / 12, spread = (open + months - 1) / months;
	int64_t pm = own > spread ? own : spread;
	return pm > INT32_MAX ? INT32_MAX : (int32_t)pm;
}

int ds_timings(struct ds *ds, const struct allot_supply_timing **tm)
{
	*tm = ds->timing;
	if (ds->have_timing)
		return ALLOT_OK;
	int to = (int)(ds->s->as_of / 12) - 1, from = to - DS_TIMING_YEARS + 1;
	unsigned char *only = mem_calloc(ds->reg->n ? ds->reg->n : 1, 1);
	if (!only)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < ds->reg->n; i++)
		only[i] = ds->rec_system[i] >= 0;
	int rc = allot_sipri_supply_timing_of(ds->reg, ds->filter.supplier, ALLOT_SUPPLY_NEW, from,
					      to, only, &ds->timing[ALLOT_SUPPLY_NEW]);
	mem_free(only);
	for (int k = ALLOT_SUPPLY_USED; rc == ALLOT_OK && k < ALLOT_SUPPLY_COUNT; k++)
		rc = allot_sipri_supply_timing(ds->reg, ds->filter.supplier,
					       (enum allot_supply_type)k, from, to, &ds->timing[k]);
	ds->have_timing = rc == ALLOT_OK;
	return rc;
}
