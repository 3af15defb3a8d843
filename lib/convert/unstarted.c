/*
 * unstarted.c - EXPERIMENT of issue 15 (sysyear9; docs/backtest.md, "When an
 * unstarted contract starts, and its profile"), removed in the next commit:
 * switches read from the environment (SY_ON, SY_START, SY_Q, SY_OFF, SY_END,
 * SY_SQ, SY_SMIN, SY_CAP, SY_CAPV, SY_CAPSMIN, SY_LIMIT, SY_DEBUG) shape the
 * start and the profile of a contract supplied new with nothing delivered
 * at as_of.  Off (SY_ON unset) it changes nothing.
 */
#include <allot/allot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/dataset.h"
#include "util/mem.h"

static int env(const char *k, int def)
{
	const char *v = getenv(k);
	return v && *v ? atoi(v) : def;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

#define N_SIZE 4
static int size_class(int64_t q)
{
	return q <= 5 ? 0 : q <= 30 ? 1 : q <= 200 ? 2 : 3;
}

struct ut {
	int lag_after[ALLOT_TIMING_AGES]; /* lower median of first-order >= a */
	int span[N_SIZE];                 /* lower median span by size class */
	size_t n_lag, n_span[N_SIZE];
};

static void measure(const struct ds *ds, const unsigned char *only, int q, struct ut *u)
{
	int to = (int)(ds->s->as_of / 12) - 1, from = to - DS_TIMING_YEARS + 1;
	size_t n = ds->reg->n;
	int *lag = mem_alloc((n ? n : 1) * sizeof *lag);
	int *span[N_SIZE];
	for (int k = 0; k < N_SIZE; k++)
		span[k] = mem_alloc((n ? n : 1) * sizeof *span[k]);
	memset(u, 0, sizeof *u);
	size_t nl = 0;
	for (size_t i = 0; i < n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		int years[ALLOT_SIPRI_MAX_YEARS];
		if ((only && !only[i]) || ds->rec_system[i] < 0 ||
		    strcmp(r->supplier, ds->filter.supplier) != 0 || r->year_of_order < from ||
		    r->year_of_order > to || allot_sipri_supply_type(r) != ALLOT_SUPPLY_NEW)
			continue;
		int k = allot_sipri_delivery_years(r, years);
		if (k == 0 || years[0] > to)
			continue;
		lag[nl++] = years[0] - r->year_of_order;
		if (r->qty > 0 && r->delivered >= r->qty && years[k - 1] <= to) {
			int c = size_class(r->qty);
			span[c][u->n_span[c]++] = years[k - 1] - years[0] + 1;
		}
	}
	u->n_lag = nl;
	qsort(lag, nl, sizeof *lag, cmp_int);
	size_t j = 0;
	for (int a = 0; a < ALLOT_TIMING_AGES; a++) {
		while (j < nl && lag[j] < a)
			j++;
		if (j < nl)
			u->lag_after[a] = lag[j + (nl - j - 1) * (size_t)q / 4];
	}
	for (int c = 0; c < N_SIZE; c++) {
		qsort(span[c], u->n_span[c], sizeof *span[c], cmp_int);
		int sq = env("SY_SQ", 2);
		u->span[c] = u->n_span[c] ? span[c][(u->n_span[c] - 1) * (size_t)sq / 4] : 1;
		mem_free(span[c]);
	}
	mem_free(lag);
}

/* per order: start month F (ALLOT_NO_MONTH: none) and months M' */
static int schedule(struct ds *ds, allot_month *F, int64_t *M)
{
	struct allot_scenario *s = ds->s;
	const struct allot_supply_timing *tm;
	int rc = ds_timings(ds, &tm);
	if (rc != ALLOT_OK)
		return rc;
	int start = env("SY_START", 0), off = env("SY_OFF", 0), endv = env("SY_END", 0);
	int q = env("SY_Q", 2); /* quantile in quarters: 2 = median */
	struct ut pooled;
	measure(ds, NULL, q, &pooled);
	if (env("SY_DEBUG", 0)) {
		fprintf(stderr, "lag_after(q=%d, n=%zu):", q, pooled.n_lag);
		for (int a = 0; a < 8; a++)
			fprintf(stderr, " %d", pooled.lag_after[a]);
		fprintf(stderr, "\nspan by size (n):");
		for (int c = 0; c < N_SIZE; c++)
			fprintf(stderr, " %d (%zu)", pooled.span[c], pooled.n_span[c]);
		fprintf(stderr, "\nD(a):");
		for (int a = 0; a < 8; a++)
			fprintf(stderr, " %d", tm[ALLOT_SUPPLY_NEW].duration_after[a]);
		fprintf(stderr, "\n");
	}
	unsigned char *only = mem_calloc(ds->reg->n ? ds->reg->n : 1, 1);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		F[i] = ALLOT_NO_MONTH;
		M[i] = 0;
		if (o->supply != ALLOT_SUPPLY_NEW || o->delivered > 0 || o->qty <= 0)
			continue;
		int a = (int)(s->as_of / 12 - o->loa_month / 12);
		if (a < 0 || a >= ALLOT_TIMING_AGES)
			continue;
		struct ut line, *u = &pooled;
		if (start == 2) {
			const char *id = s->lines[s->systems[o->system].line].line_id;
			for (size_t r = 0; r < ds->reg->n; r++)
				only[r] = ds->rec_system[r] >= 0 &&
					  strcmp(ds_system_line(ds, ds->rec_system[r]), id) == 0;
			measure(ds, only, q, &line);
			if (line.n_lag >= 5 && line.lag_after[a] > 0)
				u = &line;
		}
		allot_month f = s->as_of;
		if (start && u->lag_after[a] > 0)
			f = (allot_month)((o->loa_month / 12 + u->lag_after[a]) * 12 + off);
		if (f < s->as_of)
			f = s->as_of;
		allot_month e = ds_expected_end(tm[ALLOT_SUPPLY_NEW].duration_after, o->loa_month,
						s->as_of);
		int S = size_class(o->qty) >= env("SY_SMIN", 0) ? pooled.span[size_class(o->qty)] : 1;
		allot_month es = (allot_month)((f / 12 + S - 1) * 12 + 11);
		if (endv == 1 && es > e)
			e = es;
		else if (endv == 2)
			e = es;
		else if (endv == 3 && e >= 0)
			e += 12;
		if (e < 0)
			continue;
		if (e < f)
			e = f;
		F[i] = f;
		M[i] = e - f + 1;
	}
	mem_free(only);
	return ALLOT_OK;
}

int ds_unstarted(struct ds *ds)
{
	struct allot_scenario *s = ds->s;
	if (!env("SY_ON", 0))
		return ALLOT_OK;
	allot_month *F = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *F);
	int64_t *M = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *M);
	int rc = schedule(ds, F, M);
	int cap = env("SY_CAP", 0), nb = env("SY_NB", 1);
	for (size_t i = 0; rc == ALLOT_OK && i < s->n_orders; i++) {
		struct allot_order *o = &s->orders[i];
		if (F[i] == ALLOT_NO_MONTH)
			continue;
		if (nb && F[i] > s->as_of)
			o->not_before = F[i];
		int64_t m = M[i];
		if (env("SY_CAPV", 0) == 1)
			m -= s->systems[o->system].lead_months;
		if (env("SY_CAPSMIN", 0) > size_class(o->qty))
			continue;
		if (cap && m > 0)
			o->max_per_month = (int)((o->qty + m - 1) / m);
	}
	mem_free(F);
	mem_free(M);
	return rc;
}

int ds_unstarted_limit(struct ds *ds, int64_t *limit)
{
	struct allot_scenario *s = ds->s;
	if (!env("SY_ON", 0) || !env("SY_LIMIT", 1))
		return ALLOT_OK;
	allot_month *F = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *F);
	int64_t *M = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *M);
	int rc = schedule(ds, F, M);
	for (size_t i = 0; rc == ALLOT_OK && i < s->n_orders; i++)
		if (F[i] != ALLOT_NO_MONTH)
			limit[i] = M[i];
	mem_free(F);
	mem_free(M);
	return rc;
}
