/*
 * wip.c - allot_derive_wip: the work in progress of a scenario's order book
 * at as_of, by the rule of docs/dataset.md ("Work in progress").
 *
 * Before 2026-02 the lines served their orders first come, first served.
 * So at as_of each line's pipeline holds what that rule put into it: the
 * units delivered in month as_of + t (t < lead) were produced in month
 * t - lead, before as_of.  The line delivers its foreign-sales capacity
 * F(t) (docs/allocation.md, at the rate and US share in force at as_of)
 * each month, to its orders supplied new in (loa_month, order_id) order; an
 * order takes units in month t only while t < its system's lead (the unit
 * was produced before as_of) and its LOA is at least a lead before
 * (t >= loa_month - as_of + lead), or, with first_months, at least the
 * larger of the lead and its system's measured time from contract to first
 * delivery before; with pace_months, an order takes at most
 * ceil(qty / pace) units a month, the rest of the month's capacity going
 * to the next orders (a contract is delivered over its line's measured
 * span, several contracts in parallel); with rank, in (rank, loa_month,
 * order_id) order, and with limit, its open units spread evenly over
 * limit[order] months from as_of: by month as_of + t at most
 * floor(open x (t + 1) / limit[order]) in all (wip_share.c).  The result replaces s->wip; every row
 * satisfies the loader's rules (as_of <= month < as_of + lead, at most
 * qty - delivered per order).
 *
 * allot_schedule_offline states when the orders not supplied new arrive,
 * from the supply type's timing measured on the register (sipri.c), except
 * those whose schedule a source states (rows already in s->wip).
 */
#define _GNU_SOURCE /* qsort_r */
#include <allot/allot.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "convert/dataset.h"
#include "util/mem.h"

struct fcfs_arg {
	const struct allot_order *o;
	const int64_t *rank; /* NULL: every order rank 0 (wip_share.c) */
};

static int cmp_fcfs(const void *a, const void *b, void *arg)
{
	const struct fcfs_arg *f = arg;
	int32_t i = *(const int32_t *)a, j = *(const int32_t *)b;
	const struct allot_order *x = &f->o[i], *y = &f->o[j];
	if (f->rank && f->rank[i] != f->rank[j])
		return f->rank[i] < f->rank[j] ? -1 : 1;
	if (x->loa_month != y->loa_month)
		return x->loa_month < y->loa_month ? -1 : 1;
	return strcmp(x->order_id, y->order_id);
}

static int cmp_wip(const void *a, const void *b)
{
	const struct allot_wip *x = a, *y = b;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (x->month > y->month) - (x->month < y->month);
}

/* Milli-units of foreign capacity per month of each line at as_of: the
 * file's rate and share, then events and investments dated up to as_of in
 * the planner's order (events, then investments). */
static int rates_at_as_of(const struct allot_scenario *s, int64_t *m)
{
	size_t L = s->n_lines;
	double *rate = mem_calloc(L ? L : 1, sizeof *rate),
	       *share = mem_calloc(L ? L : 1, sizeof *share);
	if (!rate || !share) {
		mem_free(rate);
		mem_free(share);
		return ALLOT_ENOMEM;
	}
	for (size_t l = 0; l < L; l++) {
		rate[l] = s->lines[l].rate_per_month;
		share[l] = s->lines[l].us_share;
	}
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *e = &s->events[i];
		if (e->month > s->as_of)
			continue;
		if (e->type == ALLOT_EV_CAPACITY)
			rate[e->index] = e->num;
		else if (e->type == ALLOT_EV_US_SHARE)
			share[e->index] = e->num;
	}
	for (size_t i = 0; i < s->n_investments; i++)
		if (s->investments[i].online_month <= s->as_of)
			rate[s->investments[i].line] += s->investments[i].added_rate;
	for (size_t l = 0; l < L; l++) {
		double v = 1000 * rate[l] * (1 - share[l]);
		int64_t x = (int64_t)(v < 0 ? ceil(v - 0.5) : floor(v + 0.5));
		m[l] = x < 0 ? 0 : x;
	}
	mem_free(rate);
	mem_free(share);
	return ALLOT_OK;
}

/* Fills one line's pipeline: orders[0..n) are its new orders in fcfs order,
 * rem their open units (taken down as WIP is assigned). */
static int fill_line(struct allot_scenario *s, const int32_t *orders, size_t n,
		     const int *first_months, const int *pace_months, int64_t *rem, int64_t milli,
		     const double *share, int years, const int64_t *limit, struct allot_wip **rows,
		     size_t *nrows, size_t *cap)
{
	int64_t cum = 0;
	int maxlead = 0;
	for (size_t k = 0; k < n; k++) {
		int lead = s->systems[s->orders[orders[k]].system].lead_months;
		if (lead > maxlead)
			maxlead = lead;
	}
	for (int t = 0; t < maxlead; t++) {
		/* the book's share of month t's capacity (book_share.c) */
		int64_t m = milli;
		if (share)
			m = llround((double)milli * share[t / 12 < years ? t / 12 : years - 1]);
		int64_t left = (cum + m) / 1000 - cum / 1000;
		cum += m;
		for (size_t k = 0; k < n && left > 0; k++) {
			int32_t o = orders[k];
			const struct allot_order *od = &s->orders[o];
			int lead = s->systems[od->system].lead_months;
			int first = first_months && first_months[od->system] > lead
					    ? first_months[od->system]
					    : lead;
			if (rem[o] == 0 || t >= lead ||
			    (int64_t)od->loa_month - s->as_of + first > t)
				continue;
			int64_t u = rem[o] < left ? rem[o] : left;
			int pace = pace_months ? pace_months[od->system] : 0;
			if (pace > 0 && u > (od->qty + pace - 1) / pace)
				u = (od->qty + pace - 1) / pace; /* the contract's pace */
			if (od->max_per_month > 0 && u > od->max_per_month)
				u = od->max_per_month; /* the order's own stated pace */
			if (limit && limit[o] > 0) {
				/* spread to its expected end (wip_share.c): by month
				 * t at most floor(open x (t + 1) / limit) in all */
				int64_t open = od->qty - od->delivered, M = limit[o];
				int64_t due = open / M * (t + 1) + open % M * (t + 1) / M;
				if (u > due - (open - rem[o]))
					u = due - (open - rem[o]);
				if (u <= 0)
					continue;
			}
			if (mem_grow(rows, cap, *nrows + 1, sizeof **rows) != 0)
				return ALLOT_ENOMEM;
			(*rows)[(*nrows)++] = (struct allot_wip){ o, s->as_of + t, u };
			rem[o] -= u;
			left -= u;
		}
	}
	return ALLOT_OK;
}

allot_month ds_expected_end(const int duration_after[ALLOT_TIMING_AGES], allot_month loa_month,
			    allot_month as_of)
{
	/* open at as_of, a whole years after its year of order: it lasts as
	 * long as the past records that took more than a years (the median),
	 * its last unit in the December of that year */
	int a = (int)(as_of / 12 - loa_month / 12);
	if (a < 0 || a >= ALLOT_TIMING_AGES || duration_after[a] <= 0)
		return -1;
	return (allot_month)((loa_month / 12 + duration_after[a] - 1) * 12 + 11);
}

int64_t ds_months_to_end(const int duration_after[ALLOT_TIMING_AGES], allot_month loa_month,
			 allot_month as_of)
{
	allot_month end = ds_expected_end(duration_after, loa_month, as_of);
	if (end < 0)
		return 0;
	int64_t months = (int64_t)end - as_of + 1;
	return months < 1 ? 1 : months;
}

int allot_derive_wip(struct allot_scenario *s)
{
	return allot_derive_wip_from(s, NULL);
}

int allot_derive_wip_from(struct allot_scenario *s, const int *first_months)
{
	return allot_derive_wip_paced(s, first_months, NULL);
}

int allot_derive_wip_paced(struct allot_scenario *s, const int *first_months,
			   const int *pace_months)
{
	return allot_derive_wip_shared(s, first_months, pace_months, NULL, 0);
}

int allot_derive_wip_shared(struct allot_scenario *s, const int *first_months,
			    const int *pace_months, const double *share, int years)
{
	return allot_derive_wip_ranked(s, first_months, pace_months, share, years, NULL, NULL);
}

int allot_derive_wip_ranked(struct allot_scenario *s, const int *first_months,
			    const int *pace_months, const double *share, int years,
			    const int64_t *rank, const int64_t *limit)
{
	size_t N = s->n_orders, L = s->n_lines;
	int32_t *byline = mem_alloc((N ? N : 1) * sizeof *byline);
	size_t *start = mem_calloc(L + 2, sizeof *start);
	int64_t *rem = mem_calloc(N ? N : 1, sizeof *rem);
	int64_t *milli = mem_calloc(L ? L : 1, sizeof *milli);
	struct allot_wip *rows = NULL;
	size_t nrows = 0, cap = 0;
	int rc = ALLOT_ENOMEM;
	if (!byline || !start || !rem || !milli)
		goto done;
	/* The new orders with units open, grouped by line, fcfs within. */
	for (size_t i = 0; i < N; i++) {
		const struct allot_order *o = &s->orders[i];
		rem[i] = o->supply == ALLOT_SUPPLY_NEW ? o->qty - o->delivered : 0;
		if (rem[i] > 0)
			start[s->systems[o->system].line + 2]++;
	}
	for (size_t l = 0; l < L; l++)
		start[l + 2] += start[l + 1];
	for (size_t i = 0; i < N; i++)
		if (rem[i] > 0)
			byline[start[s->systems[s->orders[i].system].line + 1]++] = (int32_t)i;
	rc = rates_at_as_of(s, milli);
	for (size_t l = 0; l < L && rc == ALLOT_OK; l++) {
		size_t b = start[l], n = start[l + 1] - b;
		struct fcfs_arg f = { s->orders, rank };
		qsort_r(byline + b, n, sizeof *byline, cmp_fcfs, &f);
		rc = fill_line(s, byline + b, n, first_months, pace_months, rem, milli[l],
			       share && years > 0 ? share + l * (size_t)years : NULL, years, limit,
			       &rows, &nrows, &cap);
	}
	if (rc == ALLOT_OK) {
		qsort(rows, nrows, sizeof *rows, cmp_wip);
		mem_free(s->wip);
		s->wip = rows;
		s->n_wip = nrows;
		rows = NULL;
	}
done:
	mem_free(byline);
	mem_free(start);
	mem_free(rem);
	mem_free(milli);
	mem_free(rows);
	return rc;
}

int allot_schedule_offline(struct allot_scenario *s,
			   const struct allot_supply_timing timing[ALLOT_SUPPLY_COUNT])
{
	size_t cap = s->n_wip;
	unsigned char *stated = mem_calloc(s->n_orders ? s->n_orders : 1, 1);
	if (!stated)
		return ALLOT_ENOMEM;
	for (size_t k = 0; k < s->n_wip; k++)
		stated[s->wip[k].order] = 1;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_supply_timing *tm = &timing[o->supply];
		int64_t open = o->qty - o->delivered;
		if (o->supply == ALLOT_SUPPLY_NEW || tm->records == 0 || open <= 0 || stated[i])
			continue;
		allot_month start = o->loa_month + 12 * tm->lag_years;
		if (start < s->as_of)
			start = s->as_of;
		int64_t months = 12 * (int64_t)(tm->span_years > 0 ? tm->span_years : 1);
		allot_month end = ds_expected_end(tm->duration_after, o->loa_month, s->as_of);
		if (end >= 0) {
			if (start > end)
				start = end;
			months = end - start + 1;
		}
		if (o->max_per_month > 0) /* a started contract's own pace (order_pace.c) */
			months = open / o->max_per_month + (open % o->max_per_month != 0);
		if (open > INT64_MAX / (months + 1))
			months = 1; /* no overflow in open * k: all at the start */
		for (int64_t k = 0; k < months; k++) {
			int64_t u = open * (k + 1) / months - open * k / months;
			if (u == 0)
				continue;
			if (mem_grow(&s->wip, &cap, s->n_wip + 1, sizeof *s->wip) != 0) {
				mem_free(stated);
				return ALLOT_ENOMEM;
			}
			s->wip[s->n_wip++] =
				(struct allot_wip){ (int)i, start + (allot_month)k, u };
		}
	}
	mem_free(stated);
	qsort(s->wip, s->n_wip, sizeof *s->wip, cmp_wip);
	return ALLOT_OK;
}
