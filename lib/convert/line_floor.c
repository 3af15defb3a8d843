/*
 * line_floor.c - the floor of a line rate estimated from SIPRI deliveries
 * (docs/dataset.md, "Lines"; docs/backtest.md, "A line delivers the
 * contracts it signs"), the converter's rule since issue 15 (rates8).
 *
 * A line without a usable cited rate is rated at its best year of foreign
 * deliveries in the five years before as_of: what it has shown it can
 * make.  That is a floor of its capacity, not its capacity: a line whose
 * foreign customers happened to take little in those years (Excalibur as
 * of 2018-01: 100 shells in 2013, nothing since) was rated at that, and
 * the Netherlands' 3,500 shells of 2017 waited 35 years in the plan,
 * while a line with no foreign deliveries at all gets its open backlog
 * over a typical contract's time.  So the estimate is also at least what
 * the line's largest open contract asks: its open units over a typical
 * contract's time on that line (12 x the median years from order to last
 * delivery of the line's new records ordered in the DS_TIMING_YEARS years
 * before as_of and delivered in full before it, when there are
 * LINE_MIN_RECORDS of them, as for the line's time to first delivery;
 * else the supplier's, the months of the rule for lines without
 * deliveries).  A maker signs a contract for a
 * schedule it can deliver; the largest one, not the sum, because several
 * contracts are not signed for the same months.
 *
 * Reads only what is known at as_of: the open contracts and deliveries
 * recorded before it (a contract's open units are the book's: for a record
 * without SIPRI's per-year units, the even spread of "Units delivered before
 * as_of" in docs/backtest.md, which rests on the register's later total).  No constant is fitted:
 * the months are the existing rule's.
 */
#include <stdio.h>
#include <string.h>

#include "convert/dataset.h"
#include "util/mem.h"

/* The fewest of a line's records delivered in full that make its own
 * typical time (the converter's DS_FIRST_MIN for the time to first
 * delivery). */
#define LINE_MIN_RECORDS 5

int ds_line_months(const struct ds *ds, const char *line_id, int *months, char *how, size_t cap)
{
	int to = (int)(ds->filter.as_of / 12) - 1, from = to - DS_TIMING_YEARS + 1;
	unsigned char *only = mem_calloc(ds->reg->n ? ds->reg->n : 1, 1);
	if (!only)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < ds->reg->n; i++)
		only[i] = ds->rec_system[i] >= 0 &&
			  strcmp(ds_system_line(ds, ds->rec_system[i]), line_id) == 0;
	struct allot_supply_timing tm;
	int rc = allot_sipri_supply_timing_of(ds->reg, ds->filter.supplier, ALLOT_SUPPLY_NEW, from,
					      to, only, &tm);
	mem_free(only);
	if (rc != ALLOT_OK || tm.complete < LINE_MIN_RECORDS)
		return rc; /* the supplier's months stand */
	*months = 12 * (tm.duration_years < 1 ? 1 : tm.duration_years);
	snprintf(how, cap,
		 "%d months, 12 x the median %d years from order to last delivery of the "
		 "line's %zu new records of %d-%d delivered in full by %d",
		 *months, tm.duration_years, tm.complete, from, to, to);
	return ALLOT_OK;
}

double ds_line_floor(double peak_per_month, double largest_open, int months, const char *how,
		     char *note, size_t cap)
{
	if (cap)
		note[0] = '\0';
	if (months <= 0 || largest_open <= 0)
		return peak_per_month;
	double floor = largest_open / months;
	if (floor <= peak_per_month)
		return peak_per_month;
	if (cap)
		snprintf(note, cap,
			 "; raised to its largest open contract, %.6g units, over %s (a line "
			 "delivers the contracts it signs within a typical contract's time)",
			 largest_open, how);
	return floor;
}
