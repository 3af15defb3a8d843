/*
 * wip_share.c - how a line's pipeline at as_of is shared among its
 * contracts (docs/dataset.md, "Work in progress": "Contracts already
 * delivering first"; docs/backtest.md, "How a line's pipeline is shared").
 *
 * The work in progress (wip.c) fills each line's pipeline first come,
 * first served, each contract at its line's pace.  Two rules shape that:
 * - a contract with units delivered before as_of is the line's current
 *   work; one with nothing delivered may be years from its first delivery.
 *   The pipeline serves the first kind before the second (rank 0, then
 *   rank 1; first come, first served within each), and the second takes
 *   what the first leave, so a line's output stays in its pipeline;
 * - a contract with nothing delivered a whole years after its year of
 *   order is one of those that take more than a years: like them (the
 *   median of the supplier's new records delivered in full before as_of
 *   that took more than a years, order to last delivery), it lasts to the
 *   December of its year of order + that median - 1, so in the pipeline its
 *   open units are spread evenly over the months from as_of to then: by
 *   month as_of + t (t = 0, 1, ...) at most floor(open x (t + 1) / M) in
 *   all, M being those months (at least 1).  A contract of 3 units due in
 *   24 months gets one every 8 (a monthly cap of ceil(3 / 24) = 1, the
 *   rule before, delivered all 3 in the first 3 months).
 * Only deliveries recorded before as_of decide either.
 */
#include <allot/allot.h>

#include <string.h>

#include "convert/dataset.h"
#include "util/mem.h"

size_t allot_wip_rank_started(const struct allot_scenario *s, int64_t *rank)
{
	size_t later = 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		rank[i] = o->supply == ALLOT_SUPPLY_NEW && o->delivered == 0 && o->qty > 0;
		later += (size_t)rank[i];
	}
	return later;
}

size_t allot_wip_limit_after(const struct allot_scenario *s,
			     const int duration_after[ALLOT_TIMING_AGES], int64_t *limit)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		int64_t open = o->qty - o->delivered;
		int64_t months = ds_months_to_end(duration_after, o->loa_month, s->as_of);
		limit[i] = 0;
		if (o->supply != ALLOT_SUPPLY_NEW || o->delivered > 0 || open <= 0 || months == 0)
			continue;
		limit[i] = months;
		n++;
	}
	return n;
}

int ds_wip_share(struct ds *ds, int64_t *rank, int64_t *limit)
{
	struct allot_scenario *s = ds->s;
	int to = (int)(s->as_of / 12) - 1, from = to - DS_TIMING_YEARS + 1;
	const struct allot_supply_timing *tms;
	int rc = ds_timings(ds, &tms);
	if (rc != ALLOT_OK)
		return rc;
	const struct allot_supply_timing *tm = &tms[ALLOT_SUPPLY_NEW];
	size_t later = allot_wip_rank_started(s, rank);
	size_t limited = allot_wip_limit_after(s, tm->duration_after, limit);
	buf_printf(
		&ds->md,
		"\nHow each line's pipeline is shared (docs/dataset.md, \"Work in "
		"progress\"): the orders supplied new with units delivered before as_of "
		"first, then the %zu with nothing delivered, with what is left; of those, "
		"the %zu a whole years after their year of order with a measured duration "
		"have their open units spread evenly over the months from as_of to the "
		"December of their year of order + that duration - 1 (by month as_of + t at "
		"most open x (t + 1) / those months in all, rounded down). The duration: the median "
		"years from order to last delivery, inclusive, of the %zu mapped new "
		"records ordered %d-%d delivered in full by %d that took more than a years. "
		"Measured, not reported.\n\n| a | median years |\n|---|---|\n",
		later, limited, tm->complete, from, to, to);
	for (int a = 1; a < ALLOT_TIMING_AGES; a++)
		if (tm->duration_after[a] > 0)
			buf_printf(&ds->md, "| %d | %d |\n", a, tm->duration_after[a]);
	return ALLOT_OK;
}
