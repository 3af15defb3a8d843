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
 * the line's largest open contract asks: its open units over the same
 * typical time (12 x the median years from order to last delivery of the
 * supplier's new records delivered in full before as_of, the months of
 * the rule for lines without deliveries).  A maker signs a contract for a
 * schedule it can deliver; the largest one, not the sum, because several
 * contracts are not signed for the same months.
 *
 * Reads only what is known at as_of: the open contracts and deliveries
 * recorded before it.  No constant is fitted: the months are the existing
 * rule's.
 */
#include <stdio.h>

#include "convert/dataset.h"

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
