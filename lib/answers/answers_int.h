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

#endif
