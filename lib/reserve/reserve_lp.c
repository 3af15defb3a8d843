/*
 * reserve_lp.c - the LP relaxation of the reserve problem, solved by GLPK
 * (docs/reserve.md states it in full).
 *
 * Columns: b[m] kg bought (minerals some bill lists); for each embargo
 * scenario k, y[k,g,t] units produced for group g = (system on a mineral
 * line, partner tier at month 0) in month t (only months whose production
 * is delivered inside the window, from the group's first eligible month),
 * and z[k,m,t] kg of mineral m in stock at the end of month t; v, the
 * objective.  Rows: the budget; per k, cumulative demand of each group at
 * each month its eligible units grow and at its last month, each mineral
 * line's foreign capacity F(t) (taken from the exact planner), each
 * mineral's stock balance, and (worst case) v <= value of k.  Every plan
 * the exact planner can make for a purchase is a feasible point (budget
 * caps, end-use blocks and the order of service are relaxed away, units are
 * continuous), so the optimum bounds the planner's value from above.
 *
 * With ALLOT_RESERVE_MPS=FILE in the environment, the first LP is also
 * written to FILE in free MPS (to time other solvers on it).
 *
 * Two solves: the first maximises v; the second, warm-started, keeps v at
 * its optimum (less 1e-9 relative) and minimises the cost, so the LP never
 * buys what adds no value.
 */
#include "reserve/reserve_int.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reserve/glp_env.h"
#include "util/mem.h"

/* Triplets of the constraint matrix, 1-based as GLPK wants them. */
struct trip {
	int *i, *j;
	double *v;
	size_t n, cap;
};

static int put(struct trip *t, int i, int j, double v)
{
	if (t->n + 2 > t->cap) {
		size_t cap = t->cap;
		if (mem_grow(&t->i, &cap, t->n + 2, sizeof *t->i) != 0)
			return -1;
		cap = t->cap;
		if (mem_grow(&t->j, &cap, t->n + 2, sizeof *t->j) != 0)
			return -1;
		size_t cap2 = t->cap;
		if (mem_grow(&t->v, &cap2, t->n + 2, sizeof *t->v) != 0)
			return -1;
		t->cap = cap;
	}
	t->n++;
	t->i[t->n] = i;
	t->j[t->n] = j;
	t->v[t->n] = v;
	return 0;
}

/* One group's orders, summarised: open units that become eligible in each
 * month (cumulative D(t) built from them). */
struct group {
	int system, tier, first, last; /* production months [first, last] */
	int col;                       /* first y column of scenario 0 */
	int64_t *elig;                 /* units eligible from month t */
};

/* Builds the groups: one per (system on a mineral line, tier) with open
 * units whose delivery can fall inside the window. */
static int groups_build(struct rctx *c, const int *tier0, struct group **out, size_t *n)
{
	const struct allot_scenario *s = c->s;
	const struct allot_reserve *r = c->r;
	int W = r->window;
	size_t T = r->n_tiers;
	int *gi = mem_calloc(s->n_systems * T + 1, sizeof *gi); /* index + 1 */
	struct group *g = mem_calloc(s->n_systems * T + 1, sizeof *g);
	size_t ng = 0;
	int64_t *wip = mem_calloc(s->n_orders + 1, sizeof *wip);
	if (!gi || !g || !wip)
		goto oom;
	for (size_t k = 0; k < s->n_wip; k++)
		wip[s->wip[k].order] += s->wip[k].units;
	for (size_t o = 0; o < s->n_orders; o++) {
		const struct allot_order *od = &s->orders[o];
		const struct allot_system *sy = &s->systems[od->system];
		/* Only units the line makes: not work in progress, nothing of an
		 * order not supplied new (docs/allocation.md). */
		int64_t open = od->supply == ALLOT_SUPPLY_NEW ? od->qty - od->delivered - wip[o]
							      : 0;
		int last = W - 1 - sy->lead_months;
		int64_t e = allot_order_start(s, o); /* its LOA, or not_before less lead */
		if (e < 0)
			e = 0;
		if (!r->mineral_line[sy->line] || open <= 0 || e > last)
			continue;
		size_t key = (size_t)od->system * T + (size_t)(tier0[o] - 1);
		if (!gi[key]) {
			struct group *x = &g[ng];
			x->system = od->system;
			x->tier = tier0[o];
			x->first = (int)e;
			x->last = last;
			if (!(x->elig = mem_calloc((size_t)W, sizeof *x->elig)))
				goto oom;
			gi[key] = (int)++ng;
		}
		struct group *x = &g[gi[key] - 1];
		if (e < x->first)
			x->first = (int)e;
		x->elig[e] += open;
	}
	mem_free(gi);
	mem_free(wip);
	*out = g;
	*n = ng;
	return ALLOT_OK;
oom:
	for (size_t i = 0; i < ng; i++)
		mem_free(g[i].elig);
	mem_free(g);
	mem_free(gi);
	mem_free(wip);
	return ALLOT_ENOMEM;
}

static void groups_free(struct group *g, size_t n)
{
	for (size_t i = 0; i < n && g; i++)
		mem_free(g[i].elig);
	mem_free(g);
}

struct lp {
	struct rctx *c;
	glp_prob *P;
	struct trip a;
	struct group *g;
	size_t ng;
	int *bcol;          /* n_minerals: column of b[m], 0 when not used */
	int vcol;           /* v */
	int ycols;          /* y columns per scenario */
	int zbase;          /* first z column of scenario 0 */
	int zper;           /* z columns per scenario */
	int tmax;           /* months with production: [0, tmax) */
	int nused;          /* minerals with a column */
	int *zidx;          /* n_minerals: index among used minerals */
	const int64_t *cap; /* the planner's F(t), lines x window */
};

static int ycol(const struct lp *L, size_t k, const struct group *g, int t)
{
	return g->col + (int)k * L->ycols + (t - g->first);
}

static int zcol(const struct lp *L, size_t k, int m, int t)
{
	return L->zbase + (int)k * L->zper + L->zidx[m] * L->tmax + t;
}

static int add_row(struct lp *L, int type, double lo, double up)
{
	int i = glp_add_rows(L->P, 1);
	glp_set_row_bnds(L->P, i, type, lo, up);
	return i;
}

/* Columns: b, v, then per scenario the y and z blocks. */
static void columns(struct lp *L)
{
	struct rctx *c = L->c;
	const struct allot_scenario *s = c->s;
	size_t K = c->r->n_scenarios;
	int col = 1;
	for (size_t m = 0; m < s->n_minerals; m++)
		if (c->used[m]) {
			L->zidx[m] = L->nused++;
			L->bcol[m] = col++;
		}
	L->vcol = col++;
	L->ycols = 0;
	L->tmax = 0;
	for (size_t i = 0; i < L->ng; i++) {
		L->g[i].col = col + L->ycols;
		L->ycols += L->g[i].last - L->g[i].first + 1;
		if (L->g[i].last + 1 > L->tmax)
			L->tmax = L->g[i].last + 1;
	}
	L->zbase = col + (int)K * L->ycols;
	L->zper = L->nused * L->tmax;
	int total = L->zbase + (int)K * L->zper - 1;
	glp_add_cols(L->P, total);
	for (int j = 1; j <= total; j++)
		glp_set_col_bnds(L->P, j, GLP_LO, 0, 0);
	glp_set_col_bnds(L->P, L->vcol, GLP_FR, 0, 0);
	glp_set_obj_coef(L->P, L->vcol, 1);
}

/* The value of scenario k as coefficients on row i (sign: +1 or -1). */
static int value_terms(struct lp *L, size_t k, int i, double sign)
{
	for (size_t gi = 0; gi < L->ng; gi++) {
		const struct group *g = &L->g[gi];
		double w = L->c->r->tier_weight[g->tier - 1];
		if (w == 0)
			continue;
		for (int t = g->first; t <= g->last; t++)
			if (put(&L->a, i, ycol(L, k, g, t), sign * w) != 0)
				return ALLOT_ENOMEM;
	}
	return ALLOT_OK;
}

static int rows_scenario(struct lp *L, size_t k)
{
	struct rctx *c = L->c;
	const struct allot_scenario *s = c->s;
	int W = c->r->window;
	/* Demand: cumulative production <= units eligible so far. */
	for (size_t gi = 0; gi < L->ng; gi++) {
		const struct group *g = &L->g[gi];
		int64_t D = 0;
		for (int t = 0; t < g->first; t++)
			D += g->elig[t];
		for (int t = g->first; t <= g->last; t++) {
			D += g->elig[t];
			if (t < g->last && g->elig[t + 1] == 0)
				continue;
			int i = add_row(L, GLP_UP, 0, (double)D);
			for (int u = g->first; u <= t; u++)
				if (put(&L->a, i, ycol(L, k, g, u), 1) != 0)
					return ALLOT_ENOMEM;
		}
	}
	/* Line capacity F(t): one row per mineral line and month. */
	for (size_t l = 0; l < s->n_lines; l++) {
		if (!c->r->mineral_line[l])
			continue;
		for (int t = 0; t < L->tmax; t++) {
			int i = 0;
			for (size_t gi = 0; gi < L->ng; gi++) {
				const struct group *g = &L->g[gi];
				if ((size_t)s->systems[g->system].line != l || t < g->first ||
				    t > g->last)
					continue;
				if (!i)
					i = add_row(L, GLP_UP, 0,
						    (double)L->cap[l * (size_t)W + (size_t)t]);
				if (put(&L->a, i, ycol(L, k, g, t), 1) != 0)
					return ALLOT_ENOMEM;
			}
		}
	}
	/* Stock balance, kg: z[t] - z[t-1] + sum bom y[t] (- b at t = 0)
	 * = supply(t) (+ stock at t = 0). */
	for (size_t m = 0; m < s->n_minerals; m++) {
		if (!c->used[m])
			continue;
		for (int t = 0; t < L->tmax; t++) {
			double rhs = (double)reserve_supply(c, k, (int)m, t) / 1000.0;
			if (t == 0)
				rhs += (double)s->minerals[m].stock_g / 1000.0;
			int i = add_row(L, GLP_FX, rhs, rhs);
			if (put(&L->a, i, zcol(L, k, (int)m, t), 1) != 0 ||
			    (t > 0 && put(&L->a, i, zcol(L, k, (int)m, t - 1), -1) != 0) ||
			    (t == 0 && put(&L->a, i, L->bcol[m], -1) != 0))
				return ALLOT_ENOMEM;
			for (size_t b = 0; b < s->n_bom; b++) {
				if (s->bom[b].mineral != (int)m)
					continue;
				for (size_t gi = 0; gi < L->ng; gi++) {
					const struct group *g = &L->g[gi];
					if (g->system != s->bom[b].system || t < g->first ||
					    t > g->last)
						continue;
					if (put(&L->a, i, ycol(L, k, g, t),
						(double)s->bom[b].g_per_unit / 1000.0) != 0)
						return ALLOT_ENOMEM;
				}
			}
		}
	}
	return ALLOT_OK;
}

static int build(struct lp *L)
{
	struct rctx *c = L->c;
	const struct allot_scenario *s = c->s;
	size_t K = c->r->n_scenarios;
	columns(L);
	/* Budget. */
	int i = add_row(L, GLP_UP, 0, c->o->budget_usd);
	for (size_t m = 0; m < s->n_minerals; m++)
		if (c->used[m] && put(&L->a, i, L->bcol[m], c->price_g[m] * 1000.0) != 0)
			return ALLOT_ENOMEM;
	/* The objective v: the mean value (one row) or v <= each value. */
	if (c->o->objective == ALLOT_RESERVE_WORST) {
		for (size_t k = 0; k < K; k++) {
			i = add_row(L, GLP_UP, 0, 0);
			if (put(&L->a, i, L->vcol, 1) != 0 || value_terms(L, k, i, -1) != 0)
				return ALLOT_ENOMEM;
		}
	} else {
		i = add_row(L, GLP_FX, 0, 0);
		if (put(&L->a, i, L->vcol, (double)K) != 0)
			return ALLOT_ENOMEM;
		for (size_t k = 0; k < K; k++)
			if (value_terms(L, k, i, -1) != 0)
				return ALLOT_ENOMEM;
	}
	for (size_t k = 0; k < K; k++) {
		int rc = rows_scenario(L, k);
		if (rc != ALLOT_OK)
			return rc;
	}
	glp_load_matrix(L->P, (int)L->a.n, L->a.i, L->a.j, L->a.v);
	return ALLOT_OK;
}

static int solve(struct lp *L, int presolve, struct allot_diags *d)
{
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = presolve ? GLP_ON : GLP_OFF;
	int err = glp_simplex(L->P, &parm);
	if (err == 0 && glp_get_status(L->P) == GLP_OPT)
		return ALLOT_OK;
	allot_diags_add(d, "", 0, 0,
			"expected the LP to solve to optimality, found GLPK error %d, status %d",
			err, glp_get_status(L->P));
	return ALLOT_EINPUT;
}

int reserve_lp(struct rctx *c, struct allot_diags *d)
{
	const struct allot_scenario *s = c->s;
	struct allot_reserve *r = c->r;
	struct lp L = { 0 };
	L.c = c;
	int rc = ALLOT_ENOMEM;
	double t0 = reserve_now();
	L.bcol = mem_calloc(s->n_minerals + 1, sizeof *L.bcol);
	L.zidx = mem_calloc(s->n_minerals + 1, sizeof *L.zidx);
	if (!L.bcol || !L.zidx)
		goto done;
	L.cap = c->cap;
	if ((rc = groups_build(c, c->tier0, &L.g, &L.ng)) != ALLOT_OK)
		goto done;
	L.P = reserve_glp_open();
	glp_set_obj_dir(L.P, GLP_MAX);
	if ((rc = build(&L)) != ALLOT_OK)
		goto done;
	r->lp_rows = glp_get_num_rows(L.P);
	r->lp_cols = glp_get_num_cols(L.P);
	r->lp_nonzeros = glp_get_num_nz(L.P);
	/* For measuring other solvers on the same LP (docs/reserve.md). */
	const char *mps = getenv("ALLOT_RESERVE_MPS");
	if (mps && *mps)
		glp_write_mps(L.P, GLP_MPS_FILE, NULL, mps);
	glp_scale_prob(L.P, GLP_SF_AUTO);
	if ((rc = solve(&L, 1, d)) != ALLOT_OK)
		goto done;
	double best = glp_get_obj_val(L.P);
	r->lp_bound = best;
	/* Second solve: the cheapest purchase with that value. */
	glp_set_col_bnds(L.P, L.vcol, GLP_LO, best - 1e-9 * fabs(best) - 1e-9, 0);
	glp_set_obj_coef(L.P, L.vcol, 0);
	glp_set_obj_dir(L.P, GLP_MIN);
	for (size_t m = 0; m < s->n_minerals; m++)
		if (c->used[m])
			glp_set_obj_coef(L.P, L.bcol[m], c->price_g[m] * 1000.0);
	if ((rc = solve(&L, 0, d)) != ALLOT_OK) /* warm start */
		goto done;
	for (size_t m = 0; m < s->n_minerals; m++) {
		double kg = c->used[m] ? glp_get_col_prim(L.P, L.bcol[m]) : 0;
		r->lp_kg[m] = kg > 0 ? kg : 0;
	}
	rc = ALLOT_OK;
done:
	r->lp_seconds = reserve_now() - t0;
	reserve_glp_close(L.P);
	groups_free(L.g, L.ng);
	mem_free(L.a.i);
	mem_free(L.a.j);
	mem_free(L.a.v);
	mem_free(L.bcol);
	mem_free(L.zidx);
	return rc;
}
