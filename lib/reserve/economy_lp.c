/*
 * economy_lp.c - the LP of the economy-scale reserve (docs/reserve.md),
 * solved with GLPK's simplex in three passes on one problem:
 *
 *   1. maximise expected days of defence cover;
 *   2. keep (1) at its optimum, maximise weighted days of civilian cover;
 *   3. keep (2) at its optimum, minimise the cost.
 *
 * Columns: q[m,i] kg bought on piece i of mineral m's price curve (0 ..
 * cap/S, at USD p[m,i] each); for each scenario k and mineral m with a
 * shortfall, from its first to its last month of shortfall: z[k,m,t] stock
 * at the end of month t and x[k,m,g,t] kg released to group g (0 ..
 * shortfall; months with the same shortfall share a column).  Rows: the
 * budget, and the stock balance
 *   z[t] - z[t-1] + sum_g x[g,t] - (a(t) - a(t-1)) sum_i q[m,i] = 0
 * (the first month: z - a(t) sum_i q + sum_g x = stock today), a(t) the
 * share of a purchase arrived by the end of t; once every purchase has
 * arrived, the months left are one row (no arrival can change what is
 * feasible there, so the aggregate is exact).  A kg released to group g in
 * month t is worth prob[k] x 30.44 x weight[g] / shortfall[k,m,g,t] days.
 */
#include "reserve/economy_int.h"

#include <glpk.h>
#include <math.h>
#include <string.h>

#include "reserve/glp_env.h"
#include "util/mem.h"

struct trip {
	int *i, *j;
	double *v;
	size_t n, cap;
};

static int put(struct trip *a, int i, int j, double v)
{
	if (a->n + 1 >= a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 4096;
		int *ni = mem_reallocarray(a->i, cap, sizeof *ni);
		if (!ni)
			return ALLOT_ENOMEM;
		a->i = ni;
		int *nj = mem_reallocarray(a->j, cap, sizeof *nj);
		if (!nj)
			return ALLOT_ENOMEM;
		a->j = nj;
		double *nv = mem_reallocarray(a->v, cap, sizeof *nv);
		if (!nv)
			return ALLOT_ENOMEM;
		a->v = nv;
		a->cap = cap;
	}
	a->n++;
	a->i[a->n] = i;
	a->j[a->n] = j;
	a->v[a->n] = v;
	return ALLOT_OK;
}

struct lp {
	glp_prob *P;
	struct trip a;
	int *qcol;    /* M: first q column of mineral m (0 = none) */
	double *defc; /* column -> defence value */
	double *civc; /* column -> civilian value */
	double *cost; /* column -> USD */
	size_t ncol, capcol;
	int floor[2]; /* rows keeping passes 1 and 2 at their optimum */
};

static int add_col(struct lp *L, double lo, double up, double def, double civ, double usd)
{
	if (L->ncol + 2 > L->capcol) {
		size_t cap = L->capcol ? L->capcol * 2 : 4096;
		double *a = mem_reallocarray(L->defc, cap, sizeof *a);
		if (!a)
			return -1;
		L->defc = a;
		a = mem_reallocarray(L->civc, cap, sizeof *a);
		if (!a)
			return -1;
		L->civc = a;
		a = mem_reallocarray(L->cost, cap, sizeof *a);
		if (!a)
			return -1;
		L->cost = a;
		L->capcol = cap;
	}
	int j = glp_add_cols(L->P, 1);
	glp_set_col_bnds(L->P, j, up > lo ? GLP_DB : GLP_FX, lo, up > lo ? up : lo);
	L->defc[j] = def;
	L->civc[j] = civ;
	L->cost[j] = usd;
	L->ncol = (size_t)j;
	return j;
}

/* Release columns of group g in months t..tend of row `row`: one column per
 * run of months with the same shortfall (the same value per kg), bounded by
 * the run's total shortfall. */
static int releases(struct xctx *c, struct lp *L, int row, size_t k, size_t m, int g, int t,
		    int tend)
{
	for (int u = t; u <= tend;) {
		double sh = XR_SHORT(c, k, m, g, u);
		int n = 1;
		while (u + n <= tend && XR_SHORT(c, k, m, g, u + n) == sh)
			n++;
		if (sh > 0) {
			double v = c->r->prob[k] * XR_DAYS * c->weight[g] / sh;
			int x = add_col(L, 0, n * sh, g < ALLOT_CG_DEFENCE_N ? v : 0,
					g < ALLOT_CG_DEFENCE_N ? 0 : v, 0);
			if (x < 0)
				return ALLOT_ENOMEM;
			int rc = put(&L->a, row, x, 1);
			if (rc != ALLOT_OK)
				return rc;
		}
		u += n;
	}
	return ALLOT_OK;
}

static int build(struct xctx *c, struct lp *L, double budget)
{
	const struct allot_xreserve *r = c->r;
	int S = c->S, rc = ALLOT_OK;
	int brow = glp_add_rows(L->P, 1);
	glp_set_row_bnds(L->P, brow, GLP_UP, 0, budget);
	for (size_t m = 0; m < c->M; m++) {
		if (!r->model[m] || !(c->seg_kg[m] > 0))
			continue;
		for (int i = 0; i < S; i++) {
			double p = c->seg_price[m * (size_t)S + (size_t)i];
			int j = add_col(L, 0, c->seg_kg[m], 0, 0, p);
			if (j < 0)
				return ALLOT_ENOMEM;
			if (i == 0)
				L->qcol[m] = j;
			if ((rc = put(&L->a, brow, j, p)) != ALLOT_OK)
				return rc;
		}
	}
	for (size_t k = 0; k < c->K; k++)
		for (size_t m = 0; m < c->M; m++) {
			if (!r->model[m])
				continue;
			int t0 = -1, t1 = -1;
			for (int t = 0; t < c->T; t++)
				for (int g = 0; g < XR_G; g++)
					if (XR_SHORT(c, k, m, g, t) > 0) {
						if (t0 < 0)
							t0 = t;
						t1 = t;
					}
			if (t0 < 0)
				continue;
			/* From ts on every purchase has arrived: one row for the
			 * months ts..t1 (releases in any order are then feasible). */
			int zprev = 0, ts = t0;
			while (ts <= t1 && c->arrive[ts] < 1)
				ts++;
			for (int t = t0; t <= t1; t++) {
				int tend = t >= ts ? t1 : t;
				int row = glp_add_rows(L->P, 1);
				glp_set_row_bnds(L->P, row, GLP_FX, t == t0 ? c->stock0[m] : 0,
						 t == t0 ? c->stock0[m] : 0);
				int z = add_col(L, 0, 0, 0, 0, 0);
				if (z < 0)
					return ALLOT_ENOMEM;
				glp_set_col_bnds(L->P, z, GLP_LO, 0, 0);
				rc = put(&L->a, row, z, 1);
				if (rc == ALLOT_OK && zprev)
					rc = put(&L->a, row, zprev, -1);
				double da = c->arrive[t] - (t == t0 ? 0 : c->arrive[t - 1]);
				for (int i = 0; rc == ALLOT_OK && L->qcol[m] && i < S && da > 0;
				     i++)
					rc = put(&L->a, row, L->qcol[m] + i, -da);
				for (int g = 0; rc == ALLOT_OK && g < XR_G; g++)
					rc = releases(c, L, row, k, m, g, t, tend);
				if (rc != ALLOT_OK)
					return rc;
				zprev = z;
				if (tend == t1)
					break;
			}
		}
	return ALLOT_OK;
}

static int solve(struct lp *L, struct allot_diags *d, const char *what)
{
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	parm.presolve = GLP_OFF;
	int err = glp_simplex(L->P, &parm);
	if (err == 0 && glp_get_status(L->P) == GLP_OPT)
		return ALLOT_OK;
	allot_diags_add(d, "reserve", 0, 0, "the LP (%s) did not solve: GLPK error %d, status %d",
			what, err, glp_get_status(L->P));
	return ALLOT_ELIMIT;
}

/* Sets the objective to column values v (direction dir) and solves; with
 * keep (0 or 1), keeps the optimum as a floor in row L->floor[keep]: added
 * the first time, raised afterwards (a larger budget never lowers it). */
static int pass(struct lp *L, const double *v, int dir, double *opt, struct allot_diags *d,
		const char *what, int keep)
{
	int n = glp_get_num_cols(L->P);
	glp_set_obj_dir(L->P, dir);
	for (int j = 1; j <= n; j++)
		glp_set_obj_coef(L->P, j, v[j]);
	int rc = solve(L, d, what);
	if (rc != ALLOT_OK)
		return rc;
	*opt = glp_get_obj_val(L->P);
	if (keep < 0)
		return ALLOT_OK;
	if (!L->floor[keep]) {
		int row = glp_add_rows(L->P, 1), cnt = 0;
		int *ind = mem_calloc((size_t)n + 1, sizeof *ind);
		double *val = mem_calloc((size_t)n + 1, sizeof *val);
		if (!ind || !val) {
			mem_free(ind);
			mem_free(val);
			return ALLOT_ENOMEM;
		}
		for (int j = 1; j <= n; j++)
			if (v[j] != 0) {
				ind[++cnt] = j;
				val[cnt] = v[j];
			}
		glp_set_mat_row(L->P, row, cnt, ind, val);
		mem_free(ind);
		mem_free(val);
		L->floor[keep] = row;
	}
	double tol = 1e-7 * fabs(*opt) + 1e-9;
	glp_set_row_bnds(L->P, L->floor[keep], GLP_LO, *opt - tol, 0);
	return ALLOT_OK;
}

int xr_lp(struct xctx *c, const double *budget, size_t nb, struct xr_lp_out *out, int size[3],
	  struct allot_diags *d)
{
	struct lp L;
	memset(&L, 0, sizeof L);
	double t0 = xr_now();
	L.P = reserve_glp_open();
	L.qcol = mem_calloc(c->M + 1, sizeof *L.qcol);
	int rc = L.qcol ? build(c, &L, budget[0]) : ALLOT_ENOMEM;
	if (size)
		size[0] = size[1] = size[2] = 0;
	if (rc == ALLOT_OK && L.ncol == 0) {
		/* nothing to buy or cover: an empty purchase */
		for (size_t b = 0; b < nb; b++) {
			memset(out[b].kg, 0, c->M * sizeof *out[b].kg);
			out[b].def = out[b].civ = out[b].dual = 0;
		}
		goto done;
	}
	if (rc == ALLOT_OK) {
		glp_load_matrix(L.P, (int)L.a.n, L.a.i, L.a.j, L.a.v);
		if (size) {
			size[0] = glp_get_num_rows(L.P);
			size[1] = glp_get_num_cols(L.P);
			size[2] = glp_get_num_nz(L.P);
		}
		glp_scale_prob(L.P, GLP_SF_AUTO);
	}
	/* Budgets in ascending order, each warm-started from the last. */
	for (size_t b = 0; rc == ALLOT_OK && b < nb; b++) {
		struct xr_lp_out *o = &out[b];
		double cost;
		glp_set_row_bnds(L.P, 1, GLP_UP, 0, budget[b]);
		rc = pass(&L, L.defc, GLP_MAX, &o->def, d, "defence", 0);
		if (rc == ALLOT_OK)
			rc = pass(&L, L.civc, GLP_MAX, &o->civ, d, "civilian", 1);
		if (rc == ALLOT_OK)
			o->dual = glp_get_row_dual(L.P, 1);
		if (rc == ALLOT_OK)
			rc = pass(&L, L.cost, GLP_MIN, &cost, d, "cost", -1);
		o->seconds = xr_now() - t0;
		t0 = xr_now();
		for (size_t m = 0; rc == ALLOT_OK && m < c->M; m++) {
			o->kg[m] = 0;
			for (int i = 0; L.qcol[m] && i < c->S; i++)
				o->kg[m] += glp_get_col_prim(L.P, L.qcol[m] + i);
			if (o->kg[m] < 1e-9 * (c->r->cap_kg[m] + 1))
				o->kg[m] = 0;
		}
	}
done:
	reserve_glp_close(L.P);
	mem_free(L.a.i);
	mem_free(L.a.j);
	mem_free(L.a.v);
	mem_free(L.qcol);
	mem_free(L.defc);
	mem_free(L.civc);
	mem_free(L.cost);
	return rc;
}
