/*
 * economy_heur.c - the greedy fast path of the economy-scale reserve
 * (docs/reserve.md): buy, step by step, the piece of a mineral that adds
 * the most days of defence cover per USD while any does, then the most
 * weighted days of civilian cover per USD, judged by the release rule
 * (xr_simulate); a step is 1/32 of the mineral's market cap; the last step
 * is cut to the money left.  Then each mineral is trimmed to the least kg
 * that keeps its value (bisection): steps overshoot what a shortfall needs.
 */
#include "reserve/economy_int.h"

#include <math.h>
#include <string.h>

#include "util/mem.h"

struct gain {
	double step, dd, dc, usd;
};

static void next_gain(const struct xctx *c, size_t m, const double *kg, struct gain *g)
{
	double d0, c0, d1, c1;
	g->step = c->r->cap_kg[m] / 32;
	if (kg[m] + g->step > c->r->cap_kg[m])
		g->step = c->r->cap_kg[m] - kg[m];
	if (g->step <= c->r->cap_kg[m] * 1e-9) {
		g->dd = g->dc = 0;
		g->usd = 0;
		return;
	}
	xr_simulate(c, m, kg[m], &d0, &c0, NULL);
	xr_simulate(c, m, kg[m] + g->step, &d1, &c1, NULL);
	g->dd = d1 - d0;
	g->dc = c1 - c0;
	g->usd = xr_cost(c, m, kg[m] + g->step) - xr_cost(c, m, kg[m]);
}

/* kg of m that the money left buys on top of kg[m] (bisection on cost). */
static double fit(const struct xctx *c, size_t m, const double *kg, double step, double left)
{
	double lo = 0, hi = step, base = xr_cost(c, m, kg[m]);
	for (int i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;
		if (xr_cost(c, m, kg[m] + mid) - base <= left)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The least kg <= kg0 of mineral m with the value of kg0. */
static double trim(const struct xctx *c, size_t m, double kg0)
{
	double d0, c0, d, cv, lo = 0, hi = kg0;
	xr_simulate(c, m, kg0, &d0, &c0, NULL);
	for (int i = 0; i < 50; i++) {
		double mid = (lo + hi) / 2;
		xr_simulate(c, m, mid, &d, &cv, NULL);
		if (d >= d0 - 1e-9 * (1 + d0) && cv >= c0 - 1e-9 * (1 + c0))
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* The mineral whose next step adds the most defence (or civilian) days per
 * USD; M when no step adds any. */
static size_t pick(const struct xctx *c, const struct gain *g, int defence)
{
	size_t best = c->M;
	double bv = 0;
	for (size_t m = 0; m < c->M; m++) {
		if (!c->r->model[m] || g[m].usd <= 0)
			continue;
		double dv = defence ? g[m].dd : g[m].dc;
		if (dv <= 1e-9)
			continue;
		if (dv / g[m].usd > bv) {
			bv = dv / g[m].usd;
			best = m;
		}
	}
	return best;
}

int xr_heuristic(struct xctx *c, double budget, double *kg)
{
	size_t M = c->M;
	struct gain *g = mem_calloc(M + 1, sizeof *g);
	if (!g)
		return ALLOT_ENOMEM;
	memset(kg, 0, M * sizeof *kg);
	for (size_t m = 0; m < M; m++)
		if (c->r->model[m] && c->r->cap_kg[m] > 0)
			next_gain(c, m, kg, &g[m]);
	double left = budget;
	for (;;) {
		size_t best = pick(c, g, 1);
		if (best == M)
			best = pick(c, g, 0);
		if (best == M || left <= 1e-6)
			break;
		if (g[best].usd > left) {
			kg[best] += fit(c, best, kg, g[best].step, left);
			break;
		}
		kg[best] += g[best].step;
		left -= g[best].usd;
		next_gain(c, best, kg, &g[best]);
	}
	mem_free(g);
	for (size_t m = 0; m < M; m++)
		if (kg[m] > 0)
			kg[m] = trim(c, m, kg[m]);
	return ALLOT_OK;
}
