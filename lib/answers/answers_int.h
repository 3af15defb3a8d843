/*
 * answers_int.h - what the files of lib/answers share (private).
 *
 * compare.c, metrics.c, quote.c, diff.c and explain.c turn plans into the
 * answers of docs/answers.md; each is a client of the planner's public
 * results (struct allot_plan) and of the scenario model.
 */
#ifndef ALLOT_ANSWERS_INT_H
#define ALLOT_ANSWERS_INT_H

#include <allot/allot.h>

/* The wait of one order in months (allot_plan_stats' definition): from the
 * later of as_of and its LOA month to its completion, or to the horizon's
 * end (as_of + horizon_months) when it does not complete. */
int answers_wait(const struct allot_scenario *s, const struct allot_order *o,
		 const struct allot_order_result *r);

/* The shift of one order between two plans A and B, the one definition
 * behind allot diff's mean absolute change, compare's mean |shift| and
 * allot orders' shift (issue 17): B - A in months, a completion missing in
 * one plan counting at `end` (the horizon's end).  Returns 0 (no shift to
 * measure) when neither plan completes the order, or when one does not and
 * end is ALLOT_NO_MONTH; 1 with *shift set otherwise. */
int answers_shift(allot_month a, allot_month b, allot_month end, int *shift);

/* Shifts summed up: the mean absolute shift and the counts beside it. */
struct answers_shifts {
	size_t n;              /* shifts added */
	size_t over_6;         /* |shift| > 6 */
	size_t earlier, later; /* shift < 0, > 0 */
	double abs_sum;
};
void answers_shifts_add(struct answers_shifts *s, int shift);
/* Mean |shift| in months; 0 when none was added. */
double answers_shifts_mean(const struct answers_shifts *s);

#endif
