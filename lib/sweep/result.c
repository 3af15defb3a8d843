/*
 * result.c - a sweep's summary from its samples: per order, nearest-rank
 * P10/P50/P90 of the completion month; per partner, how often it lands in
 * each tier and the spread of its mean wait.  The summary is a function of
 * the samples alone (no timing, no thread count), so the same seed gives
 * the same bytes however the runs were planned.
 *
 * Nearest rank: the q-th percentile of n values is the value at position
 * ceil(q * n / 100) (1-based) in ascending order, computed in integers.  A
 * run in which an order is not complete within the horizon (or every open
 * unit was cancelled) counts as later than every month; a percentile that
 * lands among those runs is ALLOT_NO_MONTH, "after the horizon".
 */
#include <allot/allot.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

static size_t rank_of(unsigned q, size_t n)
{
	size_t r = (q * n + 99) / 100;
	return r ? r : 1;
}

/* The histogram `hist` (H months) holds the runs complete in each month;
 * n counts every run, complete or not. */
static allot_month month_percentile(const size_t *hist, int H, size_t n, unsigned q,
				    allot_month as_of)
{
	size_t want = rank_of(q, n), cum = 0;
	for (int t = 0; t < H; t++) {
		cum += hist[t];
		if (cum >= want)
			return as_of + t;
	}
	return ALLOT_NO_MONTH;
}

static void order_stats(const struct allot_sweep_samples *sm, size_t i, int H, allot_month as_of,
			size_t *hist, struct allot_sweep_order *out)
{
	memset(hist, 0, (size_t)H * sizeof *hist);
	memset(out, 0, sizeof *out);
	for (size_t r = 0; r < sm->runs; r++) {
		int v = sm->completion[r * sm->n_orders + i];
		if (v == ALLOT_SWEEP_NONE)
			continue;
		out->runs++;
		if (v == ALLOT_SWEEP_CANCELLED)
			out->cancelled++;
		else if (v >= 0 && v < H) {
			hist[v]++;
			out->complete++;
		}
	}
	out->p10 = out->p50 = out->p90 = ALLOT_NO_MONTH;
	if (out->runs == 0)
		return;
	out->p10 = month_percentile(hist, H, out->runs, 10, as_of);
	out->p50 = month_percentile(hist, H, out->runs, 50, as_of);
	out->p90 = month_percentile(hist, H, out->runs, 90, as_of);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void partner_stats(const struct allot_sweep_samples *sm, size_t k, double *buf,
			  struct allot_sweep_partner *out)
{
	memset(out, 0, sizeof *out);
	size_t n = 0;
	double sum = 0;
	for (size_t r = 0; r < sm->runs; r++) {
		unsigned t = sm->tier[r * sm->n_partners + k];
		if (t >= 1 && t <= ALLOT_MAX_TIERS)
			out->tier_runs[t - 1]++;
		double w = sm->wait[r * sm->n_partners + k];
		if (!isnan(w)) {
			buf[n++] = w;
			sum += w;
		}
	}
	out->wait_runs = n;
	if (n == 0) {
		out->wait_mean = out->wait_p10 = out->wait_p50 = out->wait_p90 = NAN;
		return;
	}
	out->wait_mean = sum / (double)n;
	qsort(buf, n, sizeof *buf, cmp_double);
	out->wait_p10 = buf[rank_of(10, n) - 1];
	out->wait_p50 = buf[rank_of(50, n) - 1];
	out->wait_p90 = buf[rank_of(90, n) - 1];
}

void allot_sweep_result_free(struct allot_sweep_result *r)
{
	if (!r)
		return;
	mem_free(r->vary);
	mem_free(r->orders);
	mem_free(r->partners);
	mem_free(r);
}

int allot_sweep_summarise(const struct allot_scenario *s, const struct allot_sweep_options *o,
			  const struct allot_sweep_samples *sm, struct allot_sweep_result **out)
{
	if (sm->n_orders != s->n_orders || sm->n_partners != s->n_partners)
		return ALLOT_EINPUT;
	int rc = ALLOT_ENOMEM, H = s->horizon_months;
	struct allot_sweep_result *r = mem_calloc(1, sizeof *r);
	size_t *hist = mem_calloc((size_t)H, sizeof *hist);
	double *buf = mem_calloc(sm->runs, sizeof *buf);
	if (!r || !hist || !buf)
		goto done;
	r->scenario = s;
	r->runs = sm->runs;
	r->seed = o->seed;
	r->policy = o->plan.policy;
	r->switch_month = o->plan.switch_month != ALLOT_NO_MONTH ? o->plan.switch_month
								 : s->switch_month;
	r->n_tiers = s->policy.n_tier_thresholds + 1;
	r->n_vary = o->n_vary;
	r->vary = mem_calloc(o->n_vary, sizeof *r->vary);
	r->orders = mem_calloc(s->n_orders, sizeof *r->orders);
	r->partners = mem_calloc(s->n_partners, sizeof *r->partners);
	if (!r->vary || !r->orders || !r->partners)
		goto done;
	if (o->n_vary)
		memcpy(r->vary, o->vary, o->n_vary * sizeof *r->vary);
	for (size_t i = 0; i < s->n_orders; i++)
		order_stats(sm, i, H, s->as_of, hist, &r->orders[i]);
	for (size_t k = 0; k < s->n_partners; k++)
		partner_stats(sm, k, buf, &r->partners[k]);
	*out = r;
	r = NULL;
	rc = ALLOT_OK;
done:
	allot_sweep_result_free(r);
	mem_free(hist);
	mem_free(buf);
	return rc;
}

int allot_sweep_run(const struct allot_scenario *s, const struct allot_sweep_options *o,
		    struct allot_sweep_result **out)
{
	struct allot_sweep_options all = *o;
	all.first = 0;
	all.step = 1;
	struct allot_sweep_samples sm;
	int rc = allot_sweep_samples_alloc(&sm, s, o->runs);
	if (rc == ALLOT_OK)
		rc = allot_sweep_compute(s, &all, &sm);
	if (rc == ALLOT_OK)
		rc = allot_sweep_summarise(s, o, &sm, out);
	allot_sweep_samples_free(&sm);
	return rc;
}

double allot_sweep_tier_prob(const struct allot_sweep_result *r, size_t partner, size_t k)
{
	if (r->runs == 0 || k >= ALLOT_MAX_TIERS)
		return 0;
	return (double)r->partners[partner].tier_runs[k] / (double)r->runs;
}
