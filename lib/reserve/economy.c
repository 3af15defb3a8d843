/*
 * economy.c - allot_xreserve_run: the critical-minerals reserve at the
 * economy's scale (docs/reserve.md, "The economy's scale").
 *
 * Demand: every mineral of critical_minerals.csv is drawn monthly by seven
 * consumer groups: US and foreign production on the arms lines (line rate x
 * US share, and the rest, times the largest bill of materials on the line;
 * events change rates and shares over time), the rest of defence (the
 * defence share of consumption less the arms lines, at least 0), and the
 * civilian groups from their end-use shares of apparent consumption.
 *
 * Shortfall: an embargo scenario takes away the source group's share of US
 * supply for its months.  By default each group loses that share of its own
 * supply; with supply_priority the market supply left goes to defence
 * first, then the civilian groups in policy order.
 *
 * Stock: today's holdings (missing counts as none) plus the purchase, which
 * arrives evenly over delivery_months from as_of, are released to the
 * groups in draw order (xr_simulate): each month the defence groups take
 * their shortfall first; the civilian groups, in policy order, take only
 * what is not needed for the defence shortfall of the months left (less
 * what of the purchase is still to arrive).  The LP (economy_lp.c) chooses the
 * purchase and the release to maximise days of defence cover first, then
 * weighted days of civilian cover; the greedy (economy_heur.c) is the fast
 * path.  Both purchases are judged by the release rule and the better one
 * is recommended.
 */
#include "reserve/economy_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/mem.h"

static const char *const group_names[XR_G] = {
	"arms-us",   "arms-foreign",   "defence-other", "semiconductors",
	"batteries", "communications", "rest",
};
static const char *const source_names[ALLOT_SRC_COUNT] = { "domestic", "china", "allies",
							   "others" };

const char *allot_cgroup_name(enum allot_cgroup g)
{
	return (unsigned)g < XR_G ? group_names[g] : "?";
}

int allot_cgroup_parse(const char *s)
{
	for (int g = 0; g < XR_G; g++)
		if (strcmp(s, group_names[g]) == 0)
			return g;
	return -1;
}

const char *allot_source_group_name(int g)
{
	return g >= 0 && g < ALLOT_SRC_COUNT ? source_names[g] : "?";
}

int allot_source_group_parse(const char *s)
{
	if (strcmp(s, "allied") == 0)
		return ALLOT_SRC_ALLIES;
	for (int g = 1; g < ALLOT_SRC_COUNT; g++)
		if (strcmp(s, source_names[g]) == 0)
			return g;
	return -1;
}

const char *allot_xr_reason_text(enum allot_xr_reason r)
{
	static const char *const t[ALLOT_XR_COUNT] = {
		"bought",
		"bought up to the market cap",
		"not modelled: a figure is missing",
		"nothing to cover: none of its supply comes from the embargoed source",
		"nothing to buy: the stock held today already covers the shortfall",
		"low value: a USD buys fewer days of cover than the minerals bought",
	};
	return (unsigned)r < ALLOT_XR_COUNT ? t[r] : "?";
}

void allot_xreserve_options_init(struct allot_xreserve_options *o)
{
	memset(o, 0, sizeof *o);
	o->civil_order[0] = ALLOT_CG_SEMIS;
	o->civil_order[1] = ALLOT_CG_COMMS;
	o->civil_order[2] = ALLOT_CG_BATTERIES;
	o->civil_order[3] = ALLOT_CG_REST;
	o->max_price_rise = 0.2;
	o->market_share = 0.1;
	o->delivery_months = 12;
	o->segments = 4;
	o->methods = ALLOT_RESERVE_LP | ALLOT_RESERVE_HEURISTIC;
	o->marginal = 1;
}

/* The answer's arrays, for the allocation check and for freeing. */
#define XR_ARRAYS 19
static void xr_arrays(const struct allot_xreserve *r, void *v[XR_ARRAYS])
{
	void *a[XR_ARRAYS] = { r->prob,
			       r->emb,
			       r->demand,
			       r->cap_kg,
			       r->model,
			       r->missing,
			       r->base_price,
			       r->lp_kg,
			       r->heur_kg,
			       r->best_kg,
			       r->best_cost,
			       r->reason,
			       r->value_per_musd,
			       r->cover_before,
			       r->cover_after,
			       r->shortfall_days,
			       r->line_run_before,
			       r->line_run_after,
			       r->tier_units_protected };
	memcpy(v, a, sizeof a);
}

void allot_xreserve_free(struct allot_xreserve *r)
{
	if (!r)
		return;
	if (r->missing)
		for (size_t m = 0; m < r->n_minerals; m++)
			mem_free(r->missing[m]);
	void *v[XR_ARRAYS];
	xr_arrays(r, v);
	for (size_t i = 0; i < XR_ARRAYS; i++)
		mem_free(v[i]);
	mem_free(r);
}

double xr_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- options ------------------------------------------------------------ */

static int check(const struct allot_economy *e, const struct allot_scenario *s,
		 const struct allot_xreserve_options *o, struct allot_diags *d)
{
	if (!(o->budget_usd >= 0) || !isfinite(o->budget_usd)) {
		allot_diags_add(d, "reserve", 0, 0, "expected a budget >= 0, found %g",
				o->budget_usd);
		return ALLOT_EINPUT;
	}
	if (o->n_embargoes < 1 || o->n_embargoes > ALLOT_XR_MAX_SCENARIOS) {
		allot_diags_add(d, "reserve", 0, 0,
				"expected 1 to %d embargo scenarios (--embargo), found %zu",
				ALLOT_XR_MAX_SCENARIOS, o->n_embargoes);
		return ALLOT_EINPUT;
	}
	double psum = 0;
	for (size_t k = 0; k < o->n_embargoes; k++) {
		const struct allot_embargo *x = &o->embargoes[k];
		int g = allot_source_group_parse(x->source);
		if (g < 0) {
			allot_diags_add(
				d, "reserve", 0, 0,
				"expected an embargo source china, allies or others, found '%s'",
				x->source);
			return ALLOT_EINPUT;
		}
		if (x->start_month < s->as_of || x->end_month < x->start_month ||
		    x->end_month - s->as_of >= 1200) {
			allot_diags_add(
				d, "reserve", 0, 0,
				"expected an embargo from as_of on, of at most 1200 months");
			return ALLOT_EINPUT;
		}
		if (x->mineral < -1 || x->mineral >= (int)e->n) {
			allot_diags_add(d, "reserve", 0, 0,
					"expected a mineral of critical_minerals.csv");
			return ALLOT_EINPUT;
		}
		double p = o->prob ? o->prob[k] : 1;
		if (!(p >= 0) || !isfinite(p)) {
			allot_diags_add(d, "reserve", 0, 0, "expected probabilities >= 0, found %g",
					p);
			return ALLOT_EINPUT;
		}
		psum += p;
	}
	if (!(psum > 0)) {
		allot_diags_add(d, "reserve", 0, 0,
				"expected probabilities adding up to more than 0");
		return ALLOT_EINPUT;
	}
	int seen[XR_G] = { 0 };
	for (int i = 0; i < 4; i++) {
		int g = (int)o->civil_order[i];
		if (g < ALLOT_CG_DEFENCE_N || g >= XR_G || seen[g]++) {
			allot_diags_add(
				d, "reserve", 0, 0,
				"expected the four civilian groups once each in the civil order");
			return ALLOT_EINPUT;
		}
	}
	if (!(o->max_price_rise >= 0 && o->max_price_rise <= 10) ||
	    !(o->market_share > 0 && o->market_share <= 1) || o->delivery_months < 1 ||
	    o->delivery_months > 120 || o->segments < 1 || o->segments > 64) {
		allot_diags_add(d, "reserve", 0, 0,
				"expected a price rise 0..10, a market share in (0, 1], 1..120 "
				"delivery months and 1..64 price pieces");
		return ALLOT_EINPUT;
	}
	return ALLOT_OK;
}

/* ---- demand ------------------------------------------------------------- */

/* Rate and US share of line l in relative month t (events applied). */
static void line_at(const struct allot_scenario *s, size_t l, int t, double *rate, double *share)
{
	*rate = s->lines[l].rate_per_month;
	*share = s->lines[l].us_share;
	allot_month m = s->as_of + t;
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *e = &s->events[i];
		if (e->index != (int)l || e->month > m)
			continue;
		if (e->type == ALLOT_EV_CAPACITY)
			*rate = e->num;
		else if (e->type == ALLOT_EV_US_SHARE)
			*share = e->num;
	}
}

/* kg per unit of scenario mineral sm on line l: the largest bill there. */
static double line_kg(const struct allot_scenario *s, size_t l, int sm)
{
	double kg = 0;
	for (size_t b = 0; b < s->n_bom; b++)
		if (s->bom[b].mineral == sm && s->systems[s->bom[b].system].line == (int)l &&
		    s->bom[b].g_per_unit / 1000.0 > kg)
			kg = s->bom[b].g_per_unit / 1000.0;
	return kg;
}

#define DEMAND(r, m, g, t) \
	((r)->demand[(((m)*XR_G + (size_t)(g)) * (size_t)(r)->months) + (size_t)(t)])

static void build_demand(struct xctx *c)
{
	struct allot_xreserve *r = c->r;
	const struct allot_scenario *s = c->s;
	for (size_t m = 0; m < c->M; m++) {
		const struct allot_econ_mineral *x = &c->e->m[m];
		int sm = allot_scenario_find_mineral(s, x->mineral_id);
		double C = x->consumption_kg_month;
		for (int t = 0; t < c->T; t++) {
			double us = 0, fo = 0;
			for (size_t l = 0; sm >= 0 && l < s->n_lines; l++) {
				double kg = line_kg(s, l, sm), rate, share;
				if (kg <= 0)
					continue;
				line_at(s, l, t, &rate, &share);
				us += rate * share * kg;
				fo += rate * (1 - share) * kg;
			}
			DEMAND(r, m, ALLOT_CG_ARMS_US, t) = us;
			DEMAND(r, m, ALLOT_CG_ARMS_FOREIGN, t) = fo;
			if (C < 0)
				continue;
			double def = x->enduse[0] > 0 ? x->enduse[0] * C : 0;
			DEMAND(r, m, ALLOT_CG_DEFENCE, t) = def > us + fo ? def - us - fo : 0;
			double civil = 0;
			for (int k = 1; k < 4; k++) {
				double v = x->enduse[k] > 0 ? x->enduse[k] * C : 0;
				DEMAND(r, m, ALLOT_CG_SEMIS + k - 1, t) = v;
				civil += v;
			}
			double rest = C - (def > us + fo ? def : us + fo) - civil;
			DEMAND(r, m, ALLOT_CG_REST, t) = rest > 0 ? rest : 0;
		}
	}
}

/* Which minerals the model can take, and why not. */
static int classify(struct xctx *c)
{
	struct allot_xreserve *r = c->r;
	for (size_t m = 0; m < c->M; m++) {
		const struct allot_econ_mineral *x = &c->e->m[m];
		const char *miss = x->consumption_kg_month < 0     ? "US consumption"
				   : x->price_usd_per_kg < 0       ? "price"
				   : x->share[ALLOT_SRC_CHINA] < 0 ? "share of supply by source"
								   : NULL;
		for (int g = 0; !miss && g < ALLOT_SRC_COUNT; g++)
			if (x->share[g] < 0)
				miss = "share of supply by source";
		r->base_price[m] = x->price_usd_per_kg;
		if (miss) {
			if (!(r->missing[m] = mem_strdup(miss)))
				return ALLOT_ENOMEM;
			r->cap_kg[m] = -1;
			continue;
		}
		r->model[m] = 1;
		double world = x->world_kg_year >= 0 ? x->world_kg_year
						     : 12 * x->consumption_kg_month;
		r->cap_kg[m] = c->o->market_share * world;
		c->stock0[m] = x->stock_kg > 0 ? x->stock_kg : 0;
	}
	return ALLOT_OK;
}

/* Shortfall of each group under each scenario. */
static void build_shortfall(struct xctx *c)
{
	const struct allot_xreserve_options *o = c->o;
	struct allot_xreserve *r = c->r;
	for (size_t k = 0; k < c->K; k++) {
		const struct allot_embargo *em = &r->emb[k];
		int src = allot_source_group_parse(em->source);
		int t0 = (int)(em->start_month - c->s->as_of),
		    t1 = (int)(em->end_month - c->s->as_of);
		for (size_t m = 0; m < c->M; m++) {
			if (!r->model[m] || (em->mineral >= 0 && (size_t)em->mineral != m))
				continue;
			double lost = c->e->m[m].share[src];
			for (int t = t0; t <= t1 && t < c->T && lost > 0; t++) {
				double total = 0;
				for (int g = 0; g < XR_G; g++)
					total += DEMAND(r, m, g, t);
				double left = total * (1 - lost);
				for (int i = 0; i < XR_G; i++) {
					int g = c->order[i];
					double dem = DEMAND(r, m, g, t), sh;
					if (o->supply_priority) {
						double got = dem < left ? dem : left;
						left -= got;
						sh = dem - got;
					} else {
						sh = dem * lost;
					}
					XR_SHORT(c, k, m, g, t) = sh > 1e-9 ? sh : 0;
				}
			}
		}
	}
}

static int price_curve(struct xctx *c)
{
	int S = c->S;
	for (size_t m = 0; m < c->M; m++) {
		if (!c->r->model[m])
			continue;
		c->seg_kg[m] = c->r->cap_kg[m] / S;
		for (int i = 0; i < S; i++)
			c->seg_price[m * (size_t)S + (size_t)i] =
				c->e->m[m].price_usd_per_kg *
				(1 + c->o->max_price_rise * (i + 0.5) / S);
	}
	return ALLOT_OK;
}

double xr_cost(const struct xctx *c, size_t m, double kg)
{
	double cost = 0;
	for (int i = 0; i < c->S && kg > 0; i++) {
		double q = kg < c->seg_kg[m] ? kg : c->seg_kg[m];
		cost += q * c->seg_price[m * (size_t)c->S + (size_t)i];
		kg -= q;
	}
	return cost;
}

/* ---- the release rule ----------------------------------------------------- */

void xr_simulate(const struct xctx *c, size_t m, double buy_kg, double *def, double *civ,
		 double *served)
{
	const struct allot_xreserve *r = c->r;
	int T = c->T;
	*def = *civ = 0;
	for (size_t k = 0; k < c->K; k++) {
		/* need[t]: defence shortfall from month t on, less what of the
		 * purchase arrives after t: the stock civil groups must leave. */
		double z = c->stock0[m], prev = 0, need = 0;
		for (int t = 0; t < T; t++)
			for (int g = 0; g < ALLOT_CG_DEFENCE_N; g++)
				need += XR_SHORT(c, k, m, g, t);
		for (int t = 0; t < T; t++) {
			z += (c->arrive[t] - prev) * buy_kg;
			prev = c->arrive[t];
			double later = (c->arrive[T - 1] - c->arrive[t]) * buy_kg;
			for (int i = 0; i < XR_G; i++) {
				int g = c->order[i];
				double sh = XR_SHORT(c, k, m, g, t), avail = z;
				if (g < ALLOT_CG_DEFENCE_N) {
					need -= sh;
				} else {
					double keep = need - later;
					avail = z - (keep > 0 ? keep : 0);
				}
				double x = sh < avail ? sh : avail;
				if (x < 0)
					x = 0;
				if (served)
					served[((k * XR_G) + (size_t)g) * (size_t)T + (size_t)t] =
						x;
				if (sh <= 0)
					continue;
				z -= x;
				double days = r->prob[k] * XR_DAYS * x / sh * c->weight[g];
				if (g < ALLOT_CG_DEFENCE_N)
					*def += days;
				else
					*civ += days;
			}
		}
	}
}

/* Days of cover by group, before and after; arms lines and tiers. */
static int judge(struct xctx *c, const double *kg, struct allot_xr_purchase *p)
{
	p->kg = p->cost_usd = p->defence_days = p->civil_days = 0;
	for (size_t m = 0; m < c->M; m++) {
		if (!c->r->model[m])
			continue;
		double dd, cd;
		xr_simulate(c, m, kg[m], &dd, &cd, NULL);
		p->defence_days += dd;
		p->civil_days += cd;
		p->kg += kg[m];
		p->cost_usd += xr_cost(c, m, kg[m]);
	}
	return ALLOT_OK;
}

static int cover(struct xctx *c, const double *kg, double *out, double *run, double *short_days,
		 const struct allot_plan *plan, double *tier_units, int sign)
{
	struct allot_xreserve *r = c->r;
	const struct allot_scenario *s = c->s;
	size_t KGT = c->K * XR_G * (size_t)c->T;
	double *served = mem_calloc(c->M * KGT + 1, sizeof *served);
	if (!served)
		return ALLOT_ENOMEM;
	for (size_t m = 0; m < c->M; m++) {
		if (!r->model[m])
			continue;
		double dd, cd;
		xr_simulate(c, m, kg ? kg[m] : 0, &dd, &cd, served + m * KGT);
		for (size_t k = 0; k < c->K; k++)
			for (int g = 0; g < XR_G; g++)
				for (int t = 0; t < c->T; t++) {
					double sh = XR_SHORT(c, k, m, g, t);
					if (sh <= 0)
						continue;
					double x = served[m * KGT +
							  (k * XR_G + (size_t)g) * (size_t)c->T +
							  (size_t)t];
					out[m * XR_G + (size_t)g] += r->prob[k] * XR_DAYS * x / sh;
					if (short_days)
						short_days[m * XR_G + (size_t)g] +=
							r->prob[k] * XR_DAYS;
				}
	}
	/* A line runs in a month of an embargo when every modelled mineral of
	 * its bill has the arms groups' lost supply fully served. */
	for (size_t l = 0; l < s->n_lines; l++) {
		run[l] = -1;
		int any = 0;
		for (size_t b = 0; b < s->n_bom && !any; b++)
			any = s->systems[s->bom[b].system].line == (int)l;
		if (!any)
			continue;
		run[l] = 0;
		for (size_t k = 0; k < c->K; k++) {
			int t0 = (int)(r->emb[k].start_month - s->as_of),
			    t1 = (int)(r->emb[k].end_month - s->as_of);
			int months = 0, ok = 0;
			for (int t = t0; t <= t1 && t < c->T; t++, months++) {
				int runs = 1;
				for (size_t b = 0; b < s->n_bom && runs; b++) {
					if (s->systems[s->bom[b].system].line != (int)l)
						continue;
					const char *id = s->minerals[s->bom[b].mineral].mineral_id;
					for (size_t m = 0; m < c->M && runs; m++) {
						if (!r->model[m] ||
						    strcmp(c->e->m[m].mineral_id, id) != 0)
							continue;
						for (int g = 0; g < 2; g++) {
							double sh = XR_SHORT(c, k, m, g, t);
							double x = served[m * KGT +
									  (k * XR_G + (size_t)g) *
										  (size_t)c->T +
									  (size_t)t];
							if (sh > 0 && x < sh * (1 - 1e-9))
								runs = 0;
						}
					}
				}
				ok += runs;
				if (runs && tier_units && plan) {
					double rate, share;
					line_at(s, l, t, &rate, &share);
					double open = 0, byt[ALLOT_MAX_TIERS] = { 0 };
					for (size_t o = 0; o < s->n_orders; o++) {
						if (s->systems[s->orders[o].system].line != (int)l)
							continue;
						double q = (double)(s->orders[o].qty -
								    s->orders[o].delivered);
						int tr = plan->orders[o].tier0;
						if (q > 0 && tr >= 1 && (size_t)tr <= r->n_tiers) {
							byt[tr - 1] += q;
							open += q;
						}
					}
					for (size_t i = 0; open > 0 && i < r->n_tiers; i++)
						tier_units[i] += sign * r->prob[k] * rate *
								 (1 - share) * byt[i] / open;
				}
			}
			if (months)
				run[l] += r->prob[k] * ok / months;
		}
	}
	mem_free(served);
	return ALLOT_OK;
}

/* Why each mineral gets what it gets; days of cover per USD million. */
static void explain(struct xctx *c)
{
	struct allot_xreserve *r = c->r;
	double cut = INFINITY; /* the worst value per USD among minerals bought */
	for (size_t m = 0; m < c->M; m++) {
		r->value_per_musd[m] = -1;
		if (!r->model[m])
			continue;
		double d0, c0, d1, c1, step = c->seg_kg[m] / 1000;
		xr_simulate(c, m, 0, &d0, &c0, NULL);
		xr_simulate(c, m, step, &d1, &c1, NULL);
		double usd = xr_cost(c, m, step);
		r->value_per_musd[m] = usd > 0 ? ((d1 - d0) + (c1 - c0)) / usd * 1e6 : 0;
		if (r->best_kg[m] > 0) {
			double b0, bc0, b1, bc1, at = r->best_kg[m];
			double lo = at - step > 0 ? at - step : 0;
			xr_simulate(c, m, lo, &b0, &bc0, NULL);
			xr_simulate(c, m, at, &b1, &bc1, NULL);
			double u = xr_cost(c, m, at) - xr_cost(c, m, lo);
			double v = u > 0 ? ((b1 - b0) + (bc1 - bc0)) / u * 1e6 : 0;
			if (v < cut)
				cut = v;
		}
	}
	for (size_t m = 0; m < c->M; m++) {
		if (!r->model[m]) {
			r->reason[m] = ALLOT_XR_MISSING;
			continue;
		}
		double sh = 0;
		for (size_t k = 0; k < c->K; k++)
			for (int g = 0; g < XR_G; g++)
				for (int t = 0; t < c->T; t++)
					sh += XR_SHORT(c, k, m, g, t);
		if (r->best_kg[m] > 0)
			r->reason[m] = r->best_kg[m] >= r->cap_kg[m] * (1 - 1e-4)
					       ? ALLOT_XR_BOUGHT_CAP
					       : ALLOT_XR_BOUGHT;
		else if (sh <= 0)
			r->reason[m] = ALLOT_XR_NO_EXPOSURE;
		else if (r->value_per_musd[m] <= 1e-12)
			r->reason[m] = ALLOT_XR_COVERED;
		else
			r->reason[m] = ALLOT_XR_LOW_VALUE;
	}
	(void)cut;
}

/* ---- the run -------------------------------------------------------------- */

static int alloc_all(struct xctx *c)
{
	struct allot_xreserve *r = c->r;
	size_t M = c->M, K = c->K, T = (size_t)c->T, L = c->s->n_lines + 1;
	r->prob = mem_calloc(K, sizeof *r->prob);
	r->emb = mem_calloc(K, sizeof *r->emb);
	r->demand = mem_calloc(M * XR_G * T + 1, sizeof *r->demand);
	r->cap_kg = mem_calloc(M + 1, sizeof *r->cap_kg);
	r->model = mem_calloc(M + 1, 1);
	r->missing = mem_calloc(M + 1, sizeof *r->missing);
	r->base_price = mem_calloc(M + 1, sizeof *r->base_price);
	r->lp_kg = mem_calloc(M + 1, sizeof *r->lp_kg);
	r->heur_kg = mem_calloc(M + 1, sizeof *r->heur_kg);
	r->best_kg = mem_calloc(M + 1, sizeof *r->best_kg);
	r->best_cost = mem_calloc(M + 1, sizeof *r->best_cost);
	r->reason = mem_calloc(M + 1, sizeof *r->reason);
	r->value_per_musd = mem_calloc(M + 1, sizeof *r->value_per_musd);
	r->cover_before = mem_calloc(M * XR_G + 1, sizeof(double));
	r->cover_after = mem_calloc(M * XR_G + 1, sizeof(double));
	r->shortfall_days = mem_calloc(M * XR_G + 1, sizeof(double));
	r->line_run_before = mem_calloc(L, sizeof(double));
	r->line_run_after = mem_calloc(L, sizeof(double));
	r->tier_units_protected = mem_calloc(ALLOT_MAX_TIERS, sizeof(double));
	c->short_kg = mem_calloc(K * M * XR_G * T + 1, sizeof *c->short_kg);
	c->arrive = mem_calloc(T + 1, sizeof *c->arrive);
	c->stock0 = mem_calloc(M + 1, sizeof *c->stock0);
	c->seg_price = mem_calloc(M * (size_t)c->S + 1, sizeof *c->seg_price);
	c->seg_kg = mem_calloc(M + 1, sizeof *c->seg_kg);
	void *v[XR_ARRAYS];
	xr_arrays(r, v);
	for (size_t i = 0; i < XR_ARRAYS; i++)
		if (!v[i])
			return ALLOT_ENOMEM;
	if (!c->short_kg || !c->arrive || !c->stock0 || !c->seg_price || !c->seg_kg)
		return ALLOT_ENOMEM;
	return ALLOT_OK;
}

static void free_ctx(struct xctx *c)
{
	mem_free(c->short_kg);
	mem_free(c->arrive);
	mem_free(c->stock0);
	mem_free(c->seg_price);
	mem_free(c->seg_kg);
}

static int setup(struct xctx *c)
{
	struct allot_xreserve *r = c->r;
	const struct allot_xreserve_options *o = c->o;
	double psum = 0;
	for (size_t k = 0; k < c->K; k++)
		psum += o->prob ? o->prob[k] : 1;
	for (size_t k = 0; k < c->K; k++) {
		r->emb[k] = o->embargoes[k];
		r->prob[k] = (o->prob ? o->prob[k] : 1) / psum;
	}
	for (int g = 0; g < ALLOT_CG_DEFENCE_N; g++) {
		c->order[g] = g;
		c->weight[g] = 1;
	}
	for (int i = 0; i < 4; i++) {
		c->order[ALLOT_CG_DEFENCE_N + i] = (int)o->civil_order[i];
		c->weight[o->civil_order[i]] = (double)(8 >> i);
	}
	for (int t = 0; t < c->T; t++)
		c->arrive[t] = t + 1 >= o->delivery_months ? 1
							   : (double)(t + 1) / o->delivery_months;
	build_demand(c);
	int rc = classify(c);
	if (rc == ALLOT_OK) {
		build_shortfall(c);
		rc = price_curve(c);
	}
	return rc;
}

/* The recommendation and what it gives. */
static int outcomes(struct xctx *c, struct allot_diags *d)
{
	struct allot_xreserve *r = c->r;
	const struct allot_xreserve_options *o = c->o;
	int lp = o->methods & ALLOT_RESERVE_LP, he = o->methods & ALLOT_RESERVE_HEURISTIC, rc;
	double *zero = mem_calloc(c->M + 1, sizeof *zero);
	if (!zero)
		return ALLOT_ENOMEM;
	judge(c, zero, &r->none);
	double *more = mem_calloc(c->M + 1, sizeof *more);
	if (!more) {
		mem_free(zero);
		return ALLOT_ENOMEM;
	}
	struct xr_lp_out lo[2] = { { r->lp_kg, 0, 0, 0, 0 }, { more, 0, 0, 0, 0 } };
	if (lp) {
		int size[3];
		double budgets[2] = { o->budget_usd, o->budget_usd + 1e9 };
		rc = xr_lp(c, budgets, o->marginal ? 2 : 1, lo, size, d);
		r->lp_seconds = lo[0].seconds;
		r->lp_next_seconds = o->marginal ? lo[1].seconds : 0;
		if (rc != ALLOT_OK) {
			mem_free(zero);
			mem_free(more);
			return rc;
		}
		r->lp_defence_bound = lo[0].def;
		r->lp_civil_bound = lo[0].civ;
		r->budget_dual = lo[0].dual;
		r->lp_rows = size[0];
		r->lp_cols = size[1];
		r->lp_nonzeros = size[2];
		judge(c, r->lp_kg, &r->lp);
	}
	if (he) {
		double t0 = xr_now();
		rc = xr_heuristic(c, o->budget_usd, r->heur_kg);
		r->heur_seconds = xr_now() - t0;
		if (rc != ALLOT_OK) {
			mem_free(zero);
			mem_free(more);
			return rc;
		}
		judge(c, r->heur_kg, &r->heur);
	}
	/* Better under the release rule: more defence days, then more civil
	 * days, then cheaper by more than a hair; ties go to the LP. */
	int pick_lp = lp;
	if (lp && he) {
		const struct allot_xr_purchase *a = &r->lp, *b = &r->heur;
		double td = 1e-6 * (1 + fabs(a->defence_days)),
		       tc = 1e-6 * (1 + fabs(a->civil_days));
		if (b->defence_days > a->defence_days + td)
			pick_lp = 0;
		else if (b->defence_days >= a->defence_days - td) {
			if (b->civil_days > a->civil_days + tc)
				pick_lp = 0;
			else if (b->civil_days >= a->civil_days - tc &&
				 b->cost_usd < a->cost_usd * (1 - 1e-6) - 1)
				pick_lp = 0;
		}
	}
	r->recommended = pick_lp ? ALLOT_RESERVE_LP : ALLOT_RESERVE_HEURISTIC;
	memcpy(r->best_kg, pick_lp ? r->lp_kg : r->heur_kg, c->M * sizeof *r->best_kg);
	r->best = pick_lp ? r->lp : r->heur;
	for (size_t m = 0; m < c->M; m++)
		r->best_cost[m] = r->model[m] ? xr_cost(c, m, r->best_kg[m]) : 0;
	r->budget_binds = r->best.cost_usd >= o->budget_usd * (1 - 1e-6) - 1 && o->budget_usd > 0;
	if (lp && r->budget_dual > 1e-12)
		r->budget_binds = 1;
	if (o->marginal) {
		rc = lp ? ALLOT_OK : xr_heuristic(c, o->budget_usd + 1e9, more);
		if (rc == ALLOT_OK) {
			/* as a difference from the same method's purchase */
			const struct allot_xr_purchase *base = lp ? &r->lp : &r->heur;
			judge(c, more, &r->next_billion);
			r->next_billion.kg -= base->kg;
			r->next_billion.cost_usd -= base->cost_usd;
			r->next_billion.defence_days -= base->defence_days;
			r->next_billion.civil_days -= base->civil_days;
			/* a difference within the LP's tolerance (1e-7 a pass) is
			 * none, not "-0.0 days" */
			if (fabs(r->next_billion.defence_days) <=
			    1e-6 * (1 + fabs(base->defence_days)))
				r->next_billion.defence_days = 0;
			if (fabs(r->next_billion.civil_days) <= 1e-6 * (1 + fabs(base->civil_days)))
				r->next_billion.civil_days = 0;
		}
	}
	mem_free(more);
	if (rc != ALLOT_OK) {
		mem_free(zero);
		return rc;
	}
	const struct allot_plan *plan = NULL;
	struct allot_plan *p = NULL;
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.record_allocations = 0;
	rc = allot_plan_run(c->s, &po, &p);
	if (rc == ALLOT_OK)
		plan = p;
	r->n_tiers = c->s->policy.n_tier_thresholds + 1;
	if (rc == ALLOT_OK)
		rc = cover(c, NULL, r->cover_before, r->line_run_before, r->shortfall_days, plan,
			   r->tier_units_protected, -1);
	if (rc == ALLOT_OK)
		rc = cover(c, r->best_kg, r->cover_after, r->line_run_after, NULL, plan,
			   r->tier_units_protected, 1);
	/* after - before of equal sums leaves a residue of the order of 1e-12
	 * units: nothing protected, printed 0 (not "-0") and written 0 */
	for (size_t i = 0; rc == ALLOT_OK && i < (size_t)r->n_tiers; i++)
		if (fabs(r->tier_units_protected[i]) < 1e-6)
			r->tier_units_protected[i] = 0;
	allot_plan_free(p);
	mem_free(zero);
	if (rc == ALLOT_OK)
		explain(c);
	return rc;
}

int allot_xreserve_run(const struct allot_economy *e, const struct allot_scenario *s,
		       const struct allot_xreserve_options *o, struct allot_xreserve **out,
		       struct allot_diags *d)
{
	*out = NULL;
	int rc = check(e, s, o, d);
	if (rc != ALLOT_OK)
		return rc;
	struct allot_xreserve *r = mem_calloc(1, sizeof *r);
	if (!r)
		return ALLOT_ENOMEM;
	struct xctx c;
	memset(&c, 0, sizeof c);
	c.e = e;
	c.s = s;
	c.o = o;
	c.r = r;
	c.M = e->n;
	c.K = o->n_embargoes;
	c.S = o->segments;
	allot_month last = s->as_of;
	for (size_t k = 0; k < c.K; k++)
		if (o->embargoes[k].end_month > last)
			last = o->embargoes[k].end_month;
	c.T = (int)(last - s->as_of) + 1;
	r->e = e;
	r->s = s;
	r->n_minerals = c.M;
	r->n_scenarios = c.K;
	r->months = c.T;
	r->budget_usd = o->budget_usd;
	rc = alloc_all(&c);
	if (rc == ALLOT_OK)
		rc = setup(&c);
	if (rc == ALLOT_OK)
		rc = outcomes(&c, d);
	free_ctx(&c);
	if (rc != ALLOT_OK) {
		allot_xreserve_free(r);
		return rc;
	}
	*out = r;
	return ALLOT_OK;
}
