/*
 * report_int.h - what minerals.c, risk.c, opportunities.c and the report
 * files (report.c, report_html.c, report_xlsx.c) share (private).
 */
#ifndef ALLOT_REPORT_INT_H
#define ALLOT_REPORT_INT_H

#include <allot/allot.h>

/* 1 when the plan walks relative month t in priority order (its policy is
 * priority and the switch month, if any, has come), else 0 (fcfs). */
int report_priority_in(const struct allot_plan *p, int t);

/* The wait of an order as allot_plan_stats counts it: months from the
 * later of as_of and its LOA month to completion, or to the horizon's end
 * when it does not complete (*censored set to 1 then). */
int report_wait(const struct allot_plan *p, size_t order, int *censored);

#endif
