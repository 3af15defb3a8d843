/*
 * reserve.c - allot_reserve_run: what to buy for a critical-minerals
 * reserve so that the most priority-weighted units are delivered under the
 * embargo scenarios given (docs/reserve.md).
 *
 * The run checks the options, fixes the window, evaluates "no purchase",
 * solves the LP relaxation (reserve_lp.c) and rounds its purchase to whole
 * grams, runs the marginal-value heuristic (reserve_heur.c), trims both
 * purchases and evaluates each with the exact planner (reserve_eval.c); the
 * recommendation is the better of the two under the exact planner (then
 * the cheaper, then the LP's).
 */
#include "reserve/reserve_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void allot_reserve_options_init(struct allot_reserve_options *o)
{
	memset(o, 0, sizeof *o);
	o->objective = ALLOT_RESERVE_EXPECTED;
	o->methods = ALLOT_RESERVE_LP | ALLOT_RESERVE_HEURISTIC;
	o->policy = ALLOT_POLICY_PRIORITY;
	o->switch_month = ALLOT_NO_MONTH;
	o->step_months = 1;
}

double allot_policy_tier_weight(const struct allot_policy *p, int tier)
{
	int n = (int)p->n_tier_thresholds + 1;
	if (tier < 1 || tier > n)
		return 0;
	if (p->n_tier_weights == (size_t)n)
		return p->tier_weight[tier - 1];
	return (double)(n - tier + 1);
}

const struct allot_reserve_outcome *allot_reserve_best(const struct allot_reserve *r)
{
	return r->recommended == ALLOT_RESERVE_LP ? &r->lp : &r->heur;
}

double allot_reserve_gap_pct(const struct allot_reserve *r, const struct allot_reserve_outcome *x)
{
	if (!(r->methods & ALLOT_RESERVE_LP) || r->lp_bound <= 0)
		return 0;
	return 100.0 * (r->lp_bound - x->objective_mineral) / r->lp_bound;
}

void allot_reserve_free(struct allot_reserve *r)
{
	if (!r)
		return;
	reserve_outcome_free(&r->base);
	reserve_outcome_free(&r->lp);
	reserve_outcome_free(&r->heur);
	mem_free(r->embargoes);
	mem_free(r->mineral_line);
	mem_free(r->lp_kg);
	mem_free(r->order_tier);
	mem_free(r);
}

static int has_source(const struct allot_scenario *s, const char *src)
{
	for (size_t i = 0; i < s->n_supply; i++)
		if (strcmp(s->supply[i].source, src) == 0)
			return 1;
	return 0;
}

static int check(const struct allot_scenario *s, const struct allot_reserve_options *o,
		 struct allot_diags *d)
{
	int bad = 0;
	if (!isfinite(o->budget_usd) || o->budget_usd < 0) {
		allot_diags_add(d, "", 0, 0, "expected a budget >= 0 USD, found %g", o->budget_usd);
		bad = 1;
	}
	if (o->methods == 0 || (o->methods & ~3u)) {
		allot_diags_add(d, "", 0, 0, "expected the lp method, the heuristic or both");
		bad = 1;
	}
	if (!isfinite(o->step_months) || o->step_months <= 0) {
		allot_diags_add(d, "", 0, 0, "expected a heuristic step > 0 months, found %g",
				o->step_months);
		bad = 1;
	}
	if (o->window_months < 0 || o->window_months > s->horizon_months) {
		allot_diags_add(d, "", 0, 0,
				"expected a window of 1 to %d months (the horizon), found %d",
				s->horizon_months, o->window_months);
		bad = 1;
	}
	for (size_t k = 0; k < o->n_embargoes; k++) {
		const struct allot_embargo *e = &o->embargoes[k];
		if (!e->source || !has_source(s, e->source)) {
			allot_diags_add(
				d, "", 0, 0,
				"expected an embargo on a supply source of supply.csv, found '%s'",
				e->source ? e->source : "");
			bad = 1;
		}
		if (e->end_month != ALLOT_NO_MONTH && e->end_month < e->start_month) {
			allot_diags_add(d, "", 0, 0,
					"expected an embargo of at least one month on '%s'",
					e->source ? e->source : "");
			bad = 1;
		}
	}
	return bad ? ALLOT_EINPUT : ALLOT_OK;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The median lead time of the systems with a bill of materials (the lower
 * middle one of an even count); 0 when none. */
static int median_lead(const struct allot_scenario *s)
{
	int *v = mem_calloc(s->n_systems + 1, sizeof *v);
	unsigned char *has = mem_calloc(s->n_systems + 1, 1);
	size_t n = 0;
	int lead = 0;
	if (v && has) {
		for (size_t b = 0; b < s->n_bom; b++)
			has[s->bom[b].system] = 1;
		for (size_t i = 0; i < s->n_systems; i++)
			if (has[i])
				v[n++] = s->systems[i].lead_months;
		qsort(v, n, sizeof *v, cmp_int);
		lead = n ? v[(n - 1) / 2] : 0;
	}
	mem_free(v);
	mem_free(has);
	return lead;
}

/* The window: the horizon when no embargo ends; else the end of the latest
 * embargo plus the median lead time of the systems with a bill of
 * materials (so a unit produced in the embargo's last month by a typical
 * system is counted), at most the horizon. */
static int window_of(const struct allot_scenario *s, const struct allot_reserve *r)
{
	int H = s->horizon_months, end = -1;
	for (size_t k = 0; k < s->n_embargoes + r->n_scenarios; k++) {
		const struct allot_embargo *e =
			k < s->n_embargoes ? &s->embargoes[k] : &r->embargoes[k - s->n_embargoes];
		if (e->mineral == -2)
			continue;
		if (e->end_month == ALLOT_NO_MONTH)
			return H;
		int x = (int)(e->end_month - s->as_of);
		if (x > end)
			end = x;
	}
	if (end < 0)
		return H;
	long w = (long)end + 1 + median_lead(s);
	return w > H ? H : (w < 1 ? 1 : (int)w);
}

static int setup(struct rctx *c, const struct allot_scenario *s,
		 const struct allot_reserve_options *o, struct allot_reserve *r)
{
	size_t M = s->n_minerals;
	memset(c, 0, sizeof *c);
	c->s = s;
	c->o = o;
	c->r = r;
	r->scenario = s;
	r->n_minerals = M;
	r->n_orders = s->n_orders;
	r->n_tiers = s->policy.n_tier_thresholds + 1;
	r->methods = o->methods;
	r->budget_usd = o->budget_usd;
	r->objective = o->objective;
	r->n_scenarios = o->n_embargoes ? o->n_embargoes : 1;
	for (size_t t = 0; t < r->n_tiers; t++)
		r->tier_weight[t] = allot_policy_tier_weight(&s->policy, (int)t + 1);
	r->embargoes = mem_calloc(r->n_scenarios, sizeof *r->embargoes);
	r->mineral_line = mem_calloc(s->n_lines + 1, 1);
	r->lp_kg = mem_calloc(M + 1, sizeof *r->lp_kg);
	c->mins = mem_calloc(M + 1, sizeof *c->mins);
	c->emb = mem_calloc(s->n_embargoes + 1, sizeof *c->emb);
	c->price_g = mem_calloc(M + 1, sizeof *c->price_g);
	c->used = mem_calloc(M + 1, 1);
	c->tier0 = r->order_tier = mem_calloc(s->n_orders + 1, sizeof *c->tier0);
	if (!r->embargoes || !r->mineral_line || !r->lp_kg || !c->mins || !c->emb || !c->price_g ||
	    !c->used || !c->tier0)
		return ALLOT_ENOMEM;
	if (o->n_embargoes) {
		for (size_t k = 0; k < o->n_embargoes; k++) {
			r->embargoes[k] = o->embargoes[k];
			r->embargoes[k].mineral = -1;
		}
	} else {
		r->embargoes[0].source = "";
		r->embargoes[0].mineral = -2;
	}
	for (size_t b = 0; b < s->n_bom; b++) {
		r->mineral_line[s->systems[s->bom[b].system].line] = 1;
		c->used[s->bom[b].mineral] = 1;
	}
	for (size_t m = 0; m < M; m++) {
		c->mins[m] = s->minerals[m];
		c->price_g[m] = s->minerals[m].price_usd_per_kg / 1000.0;
	}
	if (s->n_embargoes)
		memcpy(c->emb, s->embargoes, s->n_embargoes * sizeof *c->emb);
	r->window = o->window_months ? o->window_months : window_of(s, r);
	c->copy = *s;
	c->copy.horizon_months = r->window;
	c->copy.minerals = c->mins;
	c->copy.embargoes = c->emb;
	allot_plan_options_init(&c->po);
	c->po.policy = o->policy;
	c->po.switch_month = o->switch_month;
	c->po.trace_order = -1;
	return ALLOT_OK;
}

/* F(t) of every line and the tiers at month 0, from one plan. */
static int base_plan(struct rctx *c)
{
	const struct allot_scenario *s = c->s;
	struct allot_plan *p = NULL;
	c->copy.n_embargoes = s->n_embargoes;
	c->po.record_allocations = 0;
	int rc = allot_plan_run(&c->copy, &c->po, &p);
	if (rc != ALLOT_OK)
		return rc;
	c->plans++;
	size_t n = s->n_lines * (size_t)c->r->window;
	c->cap = mem_calloc(n + 1, sizeof *c->cap);
	if (!c->cap) {
		allot_plan_free(p);
		return ALLOT_ENOMEM;
	}
	memcpy(c->cap, p->capacity, n * sizeof *c->cap);
	for (size_t o = 0; o < s->n_orders; o++)
		c->tier0[o] = p->orders[o].tier0;
	allot_plan_free(p);
	return ALLOT_OK;
}

/* The LP's kilograms as whole grams: rounded up unless that breaks the
 * budget, then down. */
static void lp_grams(const struct rctx *c, int64_t *buy)
{
	size_t M = c->s->n_minerals;
	for (size_t m = 0; m < M; m++)
		buy[m] = (int64_t)ceil(c->r->lp_kg[m] * 1000.0 - 1e-6);
	if (reserve_cost(c, buy) > c->o->budget_usd)
		for (size_t m = 0; m < M; m++)
			buy[m] = (int64_t)floor(c->r->lp_kg[m] * 1000.0);
}

int allot_reserve_run(const struct allot_scenario *s, const struct allot_reserve_options *o,
		      struct allot_reserve **out, struct allot_diags *d)
{
	*out = NULL;
	int rc = check(s, o, d);
	if (rc != ALLOT_OK)
		return rc;
	struct allot_reserve *r = mem_calloc(1, sizeof *r);
	if (!r)
		return ALLOT_ENOMEM;
	struct rctx c;
	int64_t *buy = NULL;
	if ((rc = setup(&c, s, o, r)) != ALLOT_OK || (rc = base_plan(&c)) != ALLOT_OK)
		goto done;
	if (!(buy = mem_calloc(s->n_minerals + 1, sizeof *buy))) {
		rc = ALLOT_ENOMEM;
		goto done;
	}
	if ((rc = reserve_outcome(&c, NULL, &r->base)) != ALLOT_OK)
		goto done;
	if (o->methods & ALLOT_RESERVE_LP) {
		if ((rc = reserve_lp(&c, d)) != ALLOT_OK)
			goto done;
		lp_grams(&c, buy);
		if ((rc = reserve_trim(&c, buy)) != ALLOT_OK ||
		    (rc = reserve_outcome(&c, buy, &r->lp)) != ALLOT_OK)
			goto done;
	}
	if (o->methods & ALLOT_RESERVE_HEURISTIC) {
		memset(buy, 0, s->n_minerals * sizeof *buy);
		size_t before = c.plans;
		if ((rc = reserve_heuristic(&c, buy)) != ALLOT_OK)
			goto done;
		r->heur_plans = c.plans - before;
		if ((rc = reserve_outcome(&c, buy, &r->heur)) != ALLOT_OK)
			goto done;
	}
	r->recommended = o->methods & ALLOT_RESERVE_LP ? ALLOT_RESERVE_LP : ALLOT_RESERVE_HEURISTIC;
	if (o->methods == (ALLOT_RESERVE_LP | ALLOT_RESERVE_HEURISTIC) &&
	    (r->heur.objective > r->lp.objective + 1e-9 ||
	     (fabs(r->heur.objective - r->lp.objective) <= 1e-9 &&
	      r->heur.cost_usd < r->lp.cost_usd)))
		r->recommended = ALLOT_RESERVE_HEURISTIC;
done:
	mem_free(buy);
	mem_free(c.mins);
	mem_free(c.emb);
	mem_free(c.price_g);
	mem_free(c.used);
	mem_free(c.cap);
	if (rc != ALLOT_OK) {
		allot_reserve_free(r);
		return rc;
	}
	*out = r;
	return ALLOT_OK;
}
