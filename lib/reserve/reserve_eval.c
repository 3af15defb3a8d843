/*
 * reserve_eval.c - a purchase under the exact planner (docs/reserve.md).
 *
 * Each evaluation plans the shallow copy of the scenario kept in struct
 * rctx: stock at month 0 = the scenario's stock + the purchase, the horizon
 * cut to the window (the month loop is causal, so months before the cut are
 * planned exactly as in the full horizon), and the embargo scenario as one
 * more embargoes row.  The value of a plan is
 *   sum over orders of tier_weight[tier at month 0] x units delivered in
 *   the window,
 * combined over the embargo scenarios by their mean or their minimum.
 */
#include "reserve/reserve_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/mem.h"

double reserve_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double reserve_cost(const struct rctx *c, const int64_t *buy_g)
{
	double usd = 0;
	for (size_t m = 0; m < c->s->n_minerals; m++)
		usd += (double)buy_g[m] * c->price_g[m];
	return usd;
}

int64_t reserve_supply(const struct rctx *c, size_t k, int m, int t)
{
	const struct allot_scenario *s = c->s;
	const struct allot_embargo *extra = &c->r->embargoes[k];
	allot_month month = s->as_of + t;
	int64_t g = 0;
	for (size_t i = 0; i < s->n_supply; i++) {
		const struct allot_supply *sp = &s->supply[i];
		if (sp->mineral != m)
			continue;
		int cut = 0;
		for (size_t e = 0; e <= s->n_embargoes && !cut; e++) {
			const struct allot_embargo *x = e < s->n_embargoes ? &s->embargoes[e]
									   : extra;
			if (x->mineral == -2 || (x->mineral != -1 && x->mineral != m))
				continue;
			if (month < x->start_month ||
			    (x->end_month != ALLOT_NO_MONTH && month > x->end_month))
				continue;
			cut = strcmp(x->source, sp->source) == 0;
		}
		if (!cut)
			g += sp->g_per_month;
	}
	return g;
}

/* Plans scenario k with the purchase. */
static int plan_k(struct rctx *c, const int64_t *buy_g, size_t k, int record,
		  struct allot_plan **out)
{
	const struct allot_scenario *s = c->s;
	for (size_t m = 0; m < s->n_minerals; m++)
		c->mins[m].stock_g = s->minerals[m].stock_g + (buy_g ? buy_g[m] : 0);
	c->copy.n_embargoes = s->n_embargoes;
	if (c->r->embargoes[k].mineral != -2)
		c->emb[c->copy.n_embargoes++] = c->r->embargoes[k];
	c->po.record_allocations = record;
	c->plans++;
	return allot_plan_run(&c->copy, &c->po, out);
}

static double combine(const struct rctx *c, const double *v)
{
	size_t K = c->r->n_scenarios;
	double acc = c->o->objective == ALLOT_RESERVE_WORST ? v[0] : 0;
	for (size_t k = 0; k < K; k++) {
		if (c->o->objective == ALLOT_RESERVE_WORST)
			acc = v[k] < acc ? v[k] : acc;
		else
			acc += v[k];
	}
	return c->o->objective == ALLOT_RESERVE_WORST ? acc : acc / (double)K;
}

/* Units an order receives from its line within the horizon: work in
 * progress and orders not supplied new (docs/allocation.md) arrive whatever
 * is bought, so the reserve leaves them out (docs/reserve.md). */
static int64_t line_units(const struct allot_plan *p, size_t o)
{
	return p->orders[o].delivered_in_h - allot_plan_offline(p, o).in_h;
}

static int on_mineral_line(const struct rctx *c, size_t o)
{
	const struct allot_scenario *s = c->s;
	return c->r->mineral_line[s->systems[s->orders[o].system].line];
}

int reserve_value(struct rctx *c, const int64_t *buy_g, double *all, double *mineral)
{
	size_t K = c->r->n_scenarios;
	double *v = mem_calloc(2 * K, sizeof *v);
	if (!v)
		return ALLOT_ENOMEM;
	int rc = ALLOT_OK;
	for (size_t k = 0; k < K && rc == ALLOT_OK; k++) {
		struct allot_plan *p = NULL;
		if ((rc = plan_k(c, buy_g, k, 0, &p)) != ALLOT_OK)
			break;
		for (size_t o = 0; o < c->s->n_orders; o++) {
			const struct allot_order_result *x = &p->orders[o];
			double w = c->r->tier_weight[x->tier0 - 1] * (double)line_units(p, o);
			v[k] += w;
			if (on_mineral_line(c, o))
				v[K + k] += w;
		}
		allot_plan_free(p);
	}
	if (rc == ALLOT_OK) {
		*all = combine(c, v);
		if (mineral)
			*mineral = combine(c, v + K);
	}
	mem_free(v);
	return rc;
}

void reserve_outcome_free(struct allot_reserve_outcome *x)
{
	if (!x)
		return;
	mem_free(x->buy_g);
	mem_free(x->value);
	mem_free(x->units_by_tier);
	mem_free(x->value_by_tier);
	mem_free(x->usd_by_tier);
	mem_free(x->cover);
	mem_free(x->binding);
	mem_free(x->delivered);
	mem_free(x->completion);
	memset(x, 0, sizeof *x);
}

/* Which minerals held production back in each month of plan p (scenario
 * k): mineral m binds in month t when a system drawing on m still had an
 * order wanting units at the end of t, its line had capacity left, and the
 * stock of m left was less than one unit's need.  An order "wants" from its
 * eligible month until it has produced its open units less those cancelled
 * or blocked at the end. */
static int binding(struct rctx *c, const struct allot_plan *p, size_t k,
		   struct allot_reserve_outcome *x)
{
	const struct allot_scenario *s = c->s;
	const struct allot_reserve *r = c->r;
	int W = r->window;
	size_t M = s->n_minerals;
	int rc = ALLOT_ENOMEM;
	int64_t *cum = mem_calloc(s->n_orders, sizeof *cum);
	int64_t *target = mem_calloc(s->n_orders, sizeof *target);
	int32_t *want = mem_calloc(s->n_systems, sizeof *want);
	if (!cum || !target || !want)
		goto done;
	for (size_t o = 0; o < s->n_orders; o++) {
		const struct allot_order *od = &s->orders[o];
		const struct allot_order_result *res = &p->orders[o];
		target[o] = od->qty - od->delivered - allot_plan_offline(p, o).units -
			    res->cancelled - res->blocked;
	}
	size_t a = 0;
	for (int t = 0; t < W; t++) {
		for (size_t o = 0; o < s->n_orders; o++) {
			int64_t e = allot_order_start(s, o); /* as the planner has it */
			if ((e < 0 ? 0 : e) == t && target[o] > 0)
				want[s->orders[o].system]++;
		}
		while (a < p->n_allocs && !allot_alloc_on_line(s, &p->allocs[a]))
			a++; /* off-line rows: no purchase moves them */
		for (; a < p->n_allocs && p->allocs[a].month == t; a++) {
			int32_t o = p->allocs[a].order;
			int64_t before = cum[o];
			cum[o] += p->allocs[a].units;
			if (before < target[o] && cum[o] >= target[o])
				want[s->orders[o].system]--;
		}
		for (size_t b = 0; b < s->n_bom; b++) {
			const struct allot_bom *bm = &s->bom[b];
			int l = s->systems[bm->system].line;
			size_t lt = (size_t)l * (size_t)W + (size_t)t;
			if (want[bm->system] > 0 && p->used[lt] < p->capacity[lt] &&
			    p->stock_end[(size_t)bm->mineral * (size_t)W + (size_t)t] <
				    bm->g_per_unit)
				x->binding[(k * (size_t)W + (size_t)t) * M + (size_t)bm->mineral] =
					1;
		}
	}
	for (size_t m = 0; m < M; m++) {
		int cover = W;
		for (int t = W - 1; t >= 0; t--)
			if (x->binding[(k * (size_t)W + (size_t)t) * M + m])
				cover = t;
		x->cover[k * M + m] = cover;
	}
	rc = ALLOT_OK;
done:
	mem_free(cum);
	mem_free(target);
	mem_free(want);
	return rc;
}

int reserve_outcome(struct rctx *c, const int64_t *buy_g, struct allot_reserve_outcome *x)
{
	const struct allot_scenario *s = c->s;
	const struct allot_reserve *r = c->r;
	size_t K = r->n_scenarios, M = s->n_minerals, T = r->n_tiers, N = s->n_orders;
	size_t W = (size_t)r->window;
	memset(x, 0, sizeof *x);
	x->buy_g = mem_calloc(M ? M : 1, sizeof *x->buy_g);
	x->value = mem_calloc(K, sizeof *x->value);
	x->units_by_tier = mem_calloc(K * T, sizeof *x->units_by_tier);
	x->value_by_tier = mem_calloc(K * T, sizeof *x->value_by_tier);
	x->usd_by_tier = mem_calloc(K * T + 1, sizeof *x->usd_by_tier);
	x->cover = mem_calloc(K * M + 1, sizeof *x->cover);
	x->binding = mem_calloc(K * W * M + 1, 1);
	x->delivered = mem_calloc(K * N + 1, sizeof *x->delivered);
	x->completion = mem_calloc(K * N + 1, sizeof *x->completion);
	double *vmin = mem_calloc(K, sizeof *vmin);
	int rc = ALLOT_ENOMEM;
	if (!x->buy_g || !x->value || !x->units_by_tier || !x->value_by_tier || !x->usd_by_tier ||
	    !x->cover || !x->binding || !x->delivered || !x->completion || !vmin)
		goto done;
	if (buy_g)
		memcpy(x->buy_g, buy_g, M * sizeof *buy_g);
	x->cost_usd = reserve_cost(c, x->buy_g);
	for (size_t k = 0; k < K; k++) {
		struct allot_plan *p = NULL;
		if ((rc = plan_k(c, x->buy_g, k, 1, &p)) != ALLOT_OK)
			goto done;
		for (size_t o = 0; o < N; o++) {
			const struct allot_order_result *res = &p->orders[o];
			size_t tier = (size_t)res->tier0 - 1;
			double w = r->tier_weight[tier] * (double)line_units(p, o);
			x->units_by_tier[k * T + tier] += line_units(p, o);
			x->value_by_tier[k * T + tier] += w;
			allot_usd_add(&x->usd_by_tier[k * T + tier], line_units(p, o),
				      s->systems[s->orders[o].system].unit_cost_usd, 1);
			x->value[k] += w;
			if (on_mineral_line(c, o))
				vmin[k] += w;
			x->delivered[k * N + o] = line_units(p, o);
			x->completion[k * N + o] = res->completion;
		}
		rc = binding(c, p, k, x);
		allot_plan_free(p);
		if (rc != ALLOT_OK)
			goto done;
	}
	x->objective = combine(c, x->value);
	x->objective_mineral = combine(c, vmin);
	rc = ALLOT_OK;
done:
	mem_free(vmin);
	if (rc != ALLOT_OK)
		reserve_outcome_free(x);
	return rc;
}
