/*
 * plan_out.c - what a plan means to a reader: the two output files of
 * `allot plan` (allocations.csv, orders_out.csv; docs/planner.md) and the
 * summary figures (deliveries by year, backlog, waits by tier).
 */
#include <allot/allot.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvwrite.h"
#include "util/afile.h"
#include "util/mem.h"

int allot_plan_months_late(const struct allot_plan *p, size_t i)
{
	const struct allot_scenario *s = p->scenario;
	const struct allot_order *o = &s->orders[i];
	if (o->need_month == ALLOT_NO_MONTH || o->qty - o->delivered <= 0)
		return -1;
	const struct allot_order_result *r = &p->orders[i];
	allot_month end = r->completion;
	if (end == ALLOT_NO_MONTH) {
		if (r->short_units == 0) /* wholly cancelled: nothing to be late */
			return -1;
		end = s->as_of + s->horizon_months;
	}
	return end > o->need_month ? (int)(end - o->need_month) : 0;
}

/* Writes the rows into af (committed by the caller).  0 or ALLOT_EIO. */
static int write_allocations(const struct allot_plan *p, struct afile *af)
{
	const struct allot_scenario *s = p->scenario;
	struct csvw w;
	csvw_init_bulk(&w, af->f);
	static const char *const head[] = { "order_id",       "month",         "units",
					    "delivery_month", "after_horizon", "supply" };
	int supply = allot_scenario_has_offline(s);
	csvw_row(&w, head, supply ? 6 : 5);
	for (size_t i = 0; i < p->n_allocs; i++) {
		const struct allot_alloc *a = &p->allocs[i];
		const struct allot_order *o = &s->orders[a->order];
		csvw_str(&w, o->order_id);
		csvw_month(&w, s->as_of + a->month);
		csvw_int(&w, a->units);
		int delivery = a->month + s->systems[o->system].lead_months;
		csvw_month(&w, s->as_of + delivery);
		csvw_int(&w, delivery >= s->horizon_months); /* arrives past the horizon */
		if (supply)
			csvw_str(&w, allot_alloc_supply(s, a));
		csvw_end(&w);
	}
	return csvw_finish(&w) ? ALLOT_EIO : ALLOT_OK;
}

static int write_orders(const struct allot_plan *p, struct afile *af)
{
	const struct allot_scenario *s = p->scenario;
	struct csvw w;
	csvw_init_bulk(&w, af->f);
	static const char *const head[] = {
		"order_id",       "iso3",
		"system_id",      "tier",
		"first_delivery", "completion_month",
		"units_short",    "months_late",
		"blocked_units",  "cancelled_units",
		"supply",         "wip_units",
	};
	int supply = allot_scenario_has_offline(s);
	csvw_row(&w, head, sizeof head / sizeof *head - (supply ? 0 : 2));
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_order_result *r = &p->orders[i];
		csvw_str(&w, o->order_id);
		csvw_str(&w, s->partners[o->partner].iso3);
		csvw_str(&w, s->systems[o->system].system_id);
		csvw_int(&w, r->tier0);
		csvw_month(&w, r->first_delivery);
		csvw_month(&w, r->completion);
		csvw_int(&w, r->short_units);
		int late = allot_plan_months_late(p, i);
		if (late < 0)
			csvw_str(&w, "");
		else
			csvw_int(&w, late);
		csvw_int(&w, r->blocked);
		csvw_int(&w, r->cancelled);
		if (supply) {
			csvw_str(&w, allot_supply_type_name((enum allot_supply_type)o->supply));
			csvw_int(&w, allot_plan_offline(p, i).wip);
		}
		csvw_end(&w);
	}
	return csvw_finish(&w) ? ALLOT_EIO : ALLOT_OK;
}

/* The two files are one plan: both are written and synced before either
 * is renamed, so a failure leaves both old files (afile_commit_all). */
int allot_plan_write(const struct allot_plan *p, const char *dir)
{
	if (afile_mkdirs(dir) != 0)
		return ALLOT_EIO;
	static const char *const names[] = { "allocations.csv", "orders_out.csv" };
	struct afile af[2] = { 0 };
	size_t n = strlen(dir) + 32;
	char *path = mem_alloc(n);
	int rc = path ? ALLOT_OK : ALLOT_ENOMEM;
	for (int k = 0; k < 2 && rc == ALLOT_OK; k++) {
		snprintf(path, n, "%s/%s", dir, names[k]);
		if (afile_open(&af[k], path) != 0)
			rc = ALLOT_EIO;
		else
			rc = k ? write_orders(p, &af[k]) : write_allocations(p, &af[k]);
	}
	if (rc == ALLOT_OK && afile_commit_all(af, 2) != 0)
		rc = ALLOT_EIO;
	afile_abort(&af[0]); /* nothing left after a commit; the temporary files otherwise */
	afile_abort(&af[1]);
	mem_free(path);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Summary figures                                                          */

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void wait_stats(int *w, size_t n, size_t censored, struct allot_wait_stats *out)
{
	out->orders = n;
	out->censored = censored;
	if (n == 0)
		return;
	qsort(w, n, sizeof *w, cmp_int);
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += w[i];
	out->mean = sum / (double)n;
	size_t rank = (size_t)ceil(0.9 * (double)n);
	out->p90 = w[rank ? rank - 1 : 0];
}

/* Whether order i counts in the statistics: every order, or one partner's. */
static int counts(const struct allot_scenario *s, size_t i, int partner)
{
	return partner < 0 || s->orders[i].partner == partner;
}

static int compute_waits(const struct allot_plan *p, int partner, struct allot_plan_stats *st)
{
	const struct allot_scenario *s = p->scenario;
	size_t N = s->n_orders, T = st->n_tiers;
	int *w = mem_alloc((N ? N : 1) * sizeof *w);
	int *tw = mem_alloc((N ? N : 1) * sizeof *tw);
	if (!w || !tw) {
		mem_free(w);
		mem_free(tw);
		return ALLOT_ENOMEM;
	}
	allot_month end = s->as_of + s->horizon_months;
	size_t n = 0, censored = 0;
	for (size_t i = 0; i < N; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_order_result *r = &p->orders[i];
		int64_t open = o->qty - o->delivered;
		if (open <= 0 || r->cancelled >= open || !counts(s, i, partner))
			continue;
		allot_month e = o->loa_month > s->as_of ? o->loa_month : s->as_of;
		allot_month done = r->completion != ALLOT_NO_MONTH ? r->completion : end;
		censored += r->completion == ALLOT_NO_MONTH;
		w[n++] = done > e ? (int)(done - e) : 0;
	}
	wait_stats(w, n, censored, &st->all);
	for (size_t t = 0; t < T; t++) {
		size_t k = 0, c = 0;
		n = 0;
		for (size_t i = 0; i < N; i++) {
			const struct allot_order *o = &s->orders[i];
			const struct allot_order_result *r = &p->orders[i];
			int64_t open = o->qty - o->delivered;
			if (open <= 0 || r->cancelled >= open || (size_t)r->tier0 != t + 1 ||
			    !counts(s, i, partner))
				continue;
			allot_month e = o->loa_month > s->as_of ? o->loa_month : s->as_of;
			allot_month done = r->completion != ALLOT_NO_MONTH ? r->completion : end;
			c += r->completion == ALLOT_NO_MONTH;
			tw[k++] = done > e ? (int)(done - e) : 0;
		}
		wait_stats(tw, k, c, &st->by_tier[t]);
	}
	mem_free(w);
	mem_free(tw);
	return ALLOT_OK;
}

int allot_plan_stats(const struct allot_plan *p, struct allot_plan_stats *st)
{
	return allot_plan_stats_partner(p, -1, st);
}

int allot_plan_stats_partner(const struct allot_plan *p, int partner, struct allot_plan_stats *st)
{
	const struct allot_scenario *s = p->scenario;
	int H = s->horizon_months;
	memset(st, 0, sizeof *st);
	st->n_tiers = s->policy.n_tier_thresholds + 1;
	st->first_year = s->as_of / 12;
	st->n_years = (s->as_of + H - 1) / 12 - st->first_year + 1;
	st->delivered_by_year = mem_calloc((size_t)st->n_years, sizeof *st->delivered_by_year);
	st->value_by_year = mem_calloc((size_t)st->n_years, sizeof *st->value_by_year);
	st->backlog_by_tier_month = mem_calloc(st->n_tiers * (size_t)H, sizeof(int64_t));
	if (!st->delivered_by_year || !st->value_by_year || !st->backlog_by_tier_month) {
		allot_plan_stats_free(st);
		return ALLOT_ENOMEM;
	}
	/* Arrivals by year and by tier-month; the backlog of a tier at the end
	 * of month t is its open units less what has arrived by then and what
	 * budget caps have cancelled (counted from month 0: caps are rare). */
	int64_t *arrive = st->backlog_by_tier_month;
	for (size_t i = 0; i < p->n_allocs; i++) {
		const struct allot_alloc *a = &p->allocs[i];
		const struct allot_order *o = &s->orders[a->order];
		const struct allot_system *y = &s->systems[o->system];
		int d = a->month + y->lead_months;
		if (d >= H || !counts(s, a->order, partner))
			continue;
		int yr = (s->as_of + d) / 12 - st->first_year;
		st->delivered_by_year[yr] += a->units;
		allot_usd_add(&st->value_by_year[yr], a->units, y->unit_cost_usd, 0);
		arrive[(size_t)(p->orders[a->order].tier0 - 1) * H + d] += a->units;
	}
	for (size_t t = 0; t < st->n_tiers; t++) {
		int64_t open = 0;
		for (size_t i = 0; i < s->n_orders; i++)
			if ((size_t)p->orders[i].tier0 == t + 1 && counts(s, i, partner))
				open += s->orders[i].qty - s->orders[i].delivered -
					p->orders[i].cancelled;
		int64_t *row = arrive + t * (size_t)H;
		for (int m = 0; m < H; m++) {
			open -= row[m];
			row[m] = open;
		}
	}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order_result *r = &p->orders[i];
		if (!counts(s, i, partner))
			continue;
		st->produced += r->produced;
		st->cancelled += r->cancelled;
		st->blocked += r->blocked;
		st->backlog_units += r->short_units;
		st->cap_unchecked += r->cap_unchecked > 0;
		allot_usd_add(&st->backlog_value, r->short_units,
			      s->systems[s->orders[i].system].unit_cost_usd, 1);
	}
	int rc = compute_waits(p, partner, st);
	if (rc != ALLOT_OK)
		allot_plan_stats_free(st);
	return rc;
}

void allot_plan_stats_free(struct allot_plan_stats *st)
{
	if (!st)
		return;
	mem_free(st->delivered_by_year);
	mem_free(st->value_by_year);
	mem_free(st->backlog_by_tier_month);
	st->delivered_by_year = NULL;
	st->value_by_year = NULL;
	st->backlog_by_tier_month = NULL;
}
