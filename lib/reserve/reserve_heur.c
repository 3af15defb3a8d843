/*
 * reserve_heur.c - the marginal-value heuristic and the trim
 * (docs/reserve.md).
 *
 * Moves: for each mineral some bill lists, one step of that mineral; for
 * each system whose bill lists two or more minerals, one step of its whole
 * bill (a unit needs every mineral of its bill, so one mineral alone may
 * add nothing); and one step of every mineral at once (under the worst
 * case, only that may lift the minimum).  A step is `step_months` of full-rate use: the mean of the
 * line's F(t) over the window (at least one unit a month) times the bill.
 * Each round evaluates every move with the exact planner and takes the one
 * with the most value per dollar (a move that does not fit the budget left
 * is scaled down to fit); a move taken twice in a row doubles its step (up
 * to 64 steps); when no move adds value the steps fall back to one step
 * once, then the search stops.  The trim then cuts each mineral of the
 * purchase to the least amount that keeps the exact value; when that frees
 * money the greedy rounds run again from the trimmed purchase (at most
 * MAX_PASSES passes).
 */
#include "reserve/reserve_int.h"

#include <math.h>
#include <string.h>

#include "util/mem.h"

#define MAX_ROUNDS 400
#define MAX_MULT   64
#define MAX_PASSES 4

struct move {
	int64_t *d; /* grams per mineral for one step */
	int mult;
};

/* Units per month a line offers on average over the window (>= 1 when it
 * offers anything). */
static double line_rate(const struct rctx *c, size_t l)
{
	int W = c->r->window;
	double sum = 0;
	for (int t = 0; t < W; t++)
		sum += (double)c->cap[l * (size_t)W + (size_t)t];
	double mean = sum / (double)W;
	return sum > 0 && mean < 1 ? 1 : mean;
}

static int moves_build(struct rctx *c, struct move **out, size_t *n)
{
	const struct allot_scenario *s = c->s;
	size_t M = s->n_minerals;
	double step = c->o->step_months;
	size_t cap = M + 1 + s->n_systems, nm = 0;
	struct move *mv = mem_calloc(cap + 1, sizeof *mv);
	double *need = mem_calloc(M * (s->n_lines + 1) + 1, sizeof *need);
	size_t *nbom = mem_calloc(s->n_systems + 1, sizeof *nbom);
	int rc = ALLOT_ENOMEM;
	if (!mv || !need || !nbom)
		goto done;
	/* need[m, l]: the largest bill of m among the line's systems. */
	for (size_t b = 0; b < s->n_bom; b++) {
		const struct allot_bom *bm = &s->bom[b];
		size_t l = (size_t)s->systems[bm->system].line;
		double *x = &need[(size_t)bm->mineral * s->n_lines + l];
		if ((double)bm->g_per_unit > *x)
			*x = (double)bm->g_per_unit;
		nbom[bm->system]++;
	}
	for (size_t m = 0; m < M; m++) {
		double g = 0;
		for (size_t l = 0; l < s->n_lines; l++)
			g += need[m * s->n_lines + l] * line_rate(c, l);
		if (g * step < 1)
			continue;
		if (!(mv[nm].d = mem_calloc(M, sizeof *mv[nm].d)))
			goto done;
		mv[nm].d[m] = (int64_t)ceil(g * step);
		mv[nm++].mult = 1;
	}
	/* One step of every mineral at once (several scenarios: the worst case
	 * may rise only when every mineral does). */
	size_t singles = nm;
	if (singles >= 2) {
		if (!(mv[nm].d = mem_calloc(M, sizeof *mv[nm].d)))
			goto done;
		for (size_t i = 0; i < singles; i++)
			for (size_t m = 0; m < M; m++)
				mv[nm].d[m] += mv[i].d[m];
		mv[nm++].mult = 1;
	}
	for (size_t sy = 0; sy < s->n_systems; sy++) {
		if (nbom[sy] < 2)
			continue;
		double rate = line_rate(c, (size_t)s->systems[sy].line) * step;
		if (rate <= 0)
			continue;
		if (!(mv[nm].d = mem_calloc(M, sizeof *mv[nm].d)))
			goto done;
		for (size_t b = 0; b < s->n_bom; b++)
			if ((size_t)s->bom[b].system == sy)
				mv[nm].d[s->bom[b].mineral] =
					(int64_t)ceil((double)s->bom[b].g_per_unit * rate);
		mv[nm++].mult = 1;
	}
	rc = ALLOT_OK;
done:
	mem_free(need);
	mem_free(nbom);
	*out = mv;
	*n = nm;
	return rc;
}

/* trial = buy + the move scaled to fit the budget left; 0 when it adds
 * nothing. */
static int trial_of(const struct rctx *c, const int64_t *buy, const struct move *mv, int64_t *trial)
{
	size_t M = c->s->n_minerals;
	double left = c->o->budget_usd - reserve_cost(c, buy);
	double full = 0;
	for (size_t m = 0; m < M; m++)
		full += (double)mv->d[m] * mv->mult * c->price_g[m];
	if (left <= 0 || full <= 0)
		return 0;
	double f = full > left ? left / full : 1;
	int any = 0;
	for (size_t m = 0; m < M; m++) {
		int64_t add = (int64_t)floor((double)mv->d[m] * mv->mult * f);
		trial[m] = buy[m] + add;
		any |= add > 0;
	}
	return any;
}

/* Greedy rounds from buy; *added is set when a round bought something. */
static int greedy(struct rctx *c, struct move *mv, size_t nm, int64_t *buy, int64_t *trial,
		  int64_t *best, int *added)
{
	size_t M = c->s->n_minerals;
	double cur;
	int rc = reserve_value(c, buy, &cur, NULL);
	*added = 0;
	for (size_t i = 0; i < nm; i++)
		mv[i].mult = 1;
	if (rc != ALLOT_OK)
		return rc;
	size_t last = (size_t)-1;
	int reset = 0;
	for (int round = 0; round < MAX_ROUNDS; round++) {
		double best_gain = 0, best_val = cur;
		size_t pick = (size_t)-1;
		for (size_t i = 0; i < nm; i++) {
			if (!trial_of(c, buy, &mv[i], trial))
				continue;
			double v, cost = reserve_cost(c, trial) - reserve_cost(c, buy);
			if ((rc = reserve_value(c, trial, &v, NULL)) != ALLOT_OK)
				return rc;
			double gain = cost > 0 ? (v - cur) / cost : 0;
			if (v - cur > 1e-9 && gain > best_gain) {
				best_gain = gain;
				best_val = v;
				pick = i;
				memcpy(best, trial, M * sizeof *best);
			}
		}
		if (pick == (size_t)-1) {
			int wide = 0;
			for (size_t i = 0; i < nm; i++)
				wide |= mv[i].mult > 1, mv[i].mult = 1;
			if (wide && !reset) {
				reset = 1;
				continue;
			}
			break;
		}
		reset = 0;
		*added = 1;
		memcpy(buy, best, M * sizeof *buy);
		cur = best_val;
		c->r->heur_steps++;
		if (pick == last && mv[pick].mult < MAX_MULT)
			mv[pick].mult *= 2;
		else if (pick != last && last != (size_t)-1)
			mv[last].mult = 1;
		last = pick;
	}
	return ALLOT_OK;
}

int reserve_heuristic(struct rctx *c, int64_t *buy)
{
	size_t M = c->s->n_minerals;
	struct move *mv = NULL;
	size_t nm = 0;
	double t0 = reserve_now();
	int64_t *trial = mem_calloc(M + 1, sizeof *trial);
	int64_t *best = mem_calloc(M + 1, sizeof *best);
	int rc = moves_build(c, &mv, &nm);
	if (rc == ALLOT_OK && (!trial || !best))
		rc = ALLOT_ENOMEM;
	/* Greedy, trim, and again while the trim frees money that buys more. */
	for (int pass = 0; pass < MAX_PASSES && rc == ALLOT_OK; pass++) {
		int added = 0;
		if ((rc = greedy(c, mv, nm, buy, trial, best, &added)) != ALLOT_OK)
			break;
		if (!added && pass > 0)
			break;
		double before = reserve_cost(c, buy);
		if ((rc = reserve_trim(c, buy)) != ALLOT_OK || reserve_cost(c, buy) >= before)
			break;
	}

	c->r->heur_seconds = reserve_now() - t0;
	for (size_t i = 0; i < nm; i++)
		mem_free(mv[i].d);
	mem_free(mv);
	mem_free(trial);
	mem_free(best);
	return rc;
}

int reserve_trim(struct rctx *c, int64_t *buy)
{
	size_t M = c->s->n_minerals;
	double target;
	int rc = reserve_value(c, buy, &target, NULL);
	for (size_t m = 0; m < M && rc == ALLOT_OK; m++) {
		if (buy[m] <= 0)
			continue;
		int64_t hi = buy[m], lo = 0;
		double v;
		buy[m] = 0;
		if ((rc = reserve_value(c, buy, &v, NULL)) != ALLOT_OK)
			break;
		if (v >= target - 1e-9)
			continue;
		while (hi - lo > 1) {
			buy[m] = lo + (hi - lo) / 2;
			if ((rc = reserve_value(c, buy, &v, NULL)) != ALLOT_OK)
				break;
			if (v >= target - 1e-9)
				hi = buy[m];
			else
				lo = buy[m];
		}
		buy[m] = hi;
	}
	return rc;
}
