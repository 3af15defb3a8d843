/*
 * test_sweep.c - allot sweep's library (lib/sweep, docs/scaling.md).
 *
 * Exact figures on small scenarios: percentiles of hand-made samples, the
 * completion months of a one-line scenario under rates:X% (closed form per
 * run, from the run's own draws), tiers under Dirichlet weights, a drawn
 * embargo, caps cancelling every unit.  Then reproducibility on the bundled
 * dataset: 1, 2 and 3 threads, and runs split as MPI ranks split them,
 * give byte-identical files.  And the SPEC grammar's errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "sweep/sweep_int.h"
#include "testutil.h"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                  */

static struct allot_vary vary(const char *spec)
{
	struct allot_vary v;
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = allot_vary_parse(spec, &v, &d);
	if (rc != ALLOT_OK)
		allot_diags_print(&d, stderr);
	assert_int_equal(rc, ALLOT_OK);
	allot_diags_free(&d);
	return v;
}

static struct allot_sweep_result *sweep(const struct allot_scenario *s, const struct allot_vary *v,
					size_t n_vary, size_t runs, uint64_t seed, int threads)
{
	struct allot_sweep_options o;
	allot_sweep_options_init(&o);
	o.vary = v;
	o.n_vary = n_vary;
	o.runs = runs;
	o.seed = seed;
	o.threads = threads;
	struct allot_sweep_result *r = NULL;
	assert_int_equal(allot_sweep_run(s, &o, &r), ALLOT_OK);
	return r;
}

static int64_t round_half_away(double v)
{
	return (int64_t)(v < 0 ? ceil(v - 0.5) : floor(v + 0.5));
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* ---------------------------------------------------------------------- */
/* Percentiles of hand-made samples                                          */

static void test_percentiles_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 12);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	tu_order(s, "O1", p, y, 10, 0, "2024-01", NULL, -1);
	tu_order(s, "O2", p, y, 10, 10, "2024-01", NULL, -1); /* nothing open */
	struct allot_sweep_samples sm;
	assert_int_equal(allot_sweep_samples_alloc(&sm, s, 10), ALLOT_OK);
	const int16_t comp[10] = {
		5, 3, ALLOT_SWEEP_AFTER, 7, 1, 9, ALLOT_SWEEP_CANCELLED, 2, 4, 6
	};
	const uint8_t tier[10] = { 1, 1, 2, 3, 1, 2, 1, 1, 1, 3 };
	const double wait[10] = { 10, 20, NAN, 40, 50, 60, 70, 80, 90, 100 };
	for (int r = 0; r < 10; r++) {
		sm.completion[r * 2] = comp[r];
		sm.completion[r * 2 + 1] = ALLOT_SWEEP_NONE;
		sm.tier[r] = tier[r];
		sm.wait[r] = wait[r];
	}
	struct allot_sweep_options o;
	allot_sweep_options_init(&o);
	o.runs = 10;
	struct allot_sweep_result *res = NULL;
	assert_int_equal(allot_sweep_summarise(s, &o, &sm, &res), ALLOT_OK);
	/* Sorted: 1 2 3 4 5 6 7 9 after after.  Nearest rank: P10 = 1st,
	 * P50 = 5th, P90 = 9th. */
	const struct allot_sweep_order *o1 = &res->orders[0];
	assert_int_equal(o1->runs, 10);
	assert_int_equal(o1->complete, 8);
	assert_int_equal(o1->cancelled, 1);
	assert_int_equal(o1->p10, tu_m("2025-02"));
	assert_int_equal(o1->p50, tu_m("2025-06"));
	assert_int_equal(o1->p90, ALLOT_NO_MONTH);
	const struct allot_sweep_order *o2 = &res->orders[1];
	assert_int_equal(o2->runs, 0);
	assert_int_equal(o2->p50, ALLOT_NO_MONTH);
	/* Tiers 6 / 2 / 2 of 10; waits sorted 10 20 40 50 60 70 80 90 100. */
	const struct allot_sweep_partner *sp = &res->partners[0];
	assert_int_equal(sp->tier_runs[0], 6);
	assert_int_equal(sp->tier_runs[1], 2);
	assert_int_equal(sp->tier_runs[2], 2);
	assert_true(allot_sweep_tier_prob(res, 0, 0) == 0.6);
	assert_int_equal(sp->wait_runs, 9);
	assert_true(sp->wait_p10 == 10);
	assert_true(sp->wait_p50 == 60);
	assert_true(sp->wait_p90 == 100);
	assert_true(sp->wait_mean == 520.0 / 9);

	/* The files: a percentile after the horizon is an empty cell. */
	char *dir = tu_tmpdir();
	assert_int_equal(allot_sweep_write(res, dir), ALLOT_OK);
	char path[512];
	snprintf(path, sizeof path, "%s/sweep_orders.csv", dir);
	char *text = tu_slurp(path, NULL);
	assert_string_equal(text, "order_id,iso3,system_id,runs,p10,p50,p90,complete,cancelled\n"
				  "O1,AAA,S,10,2025-02,2025-06,,8,1\n"
				  "O2,AAA,S,0,,,,0,0\n");
	free(text);
	snprintf(path, sizeof path, "%s/sweep_partners.csv", dir);
	text = tu_slurp(path, NULL);
	char want[512], mean[32];
	allot_fmt_double(520.0 / 9, mean);
	snprintf(want, sizeof want,
		 "iso3,name,runs,p_tier1,p_tier2,p_tier3,wait_runs,wait_mean,wait_p10,wait_p50,"
		 "wait_p90\nAAA,AAA,10,0.6,0.2,0.2,9,%s,10,60,100\n",
		 mean);
	assert_string_equal(text, want);
	free(text);
	/* sweep.json: the same months by the one month writer, null after
	 * the horizon */
	snprintf(path, sizeof path, "%s/sweep.json", dir);
	text = tu_slurp(path, NULL);
	assert_non_null(strstr(text, "\"runs\": 10, \"p10\": \"2025-02\", \"p50\": "
				     "\"2025-06\", \"p90\": null, \"complete\": 8"));
	assert_non_null(strstr(text, "\"p10\": null, \"p50\": null, \"p90\": null"));
	free(text);
	tu_rmtree(dir);
	free(dir);
	allot_sweep_result_free(res);
	allot_sweep_samples_free(&sm);
	allot_scenario_free(s);
}

/* ---------------------------------------------------------------------- */
/* rates:10% on one line: each run's completion in closed form              */

static void test_rates_closed_form(void **state)
{
	(void)state;
	/* One line of 10 units/month, one order of 1000 units, lead 1.  With
	 * the run's factor f, m = round(1000 * 10f) milli-units a month, the
	 * order's last unit is made in month ceil(1000000 / m) - 1 and
	 * arrives a month later. */
	struct allot_scenario *s = tu_scenario("2025-01", 150);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 1, 0);
	tu_order(s, "O1", p, y, 1000, 0, "2024-01", NULL, -1);
	enum { RUNS = 101 };
	const uint64_t seed = 7;
	int done[RUNS];
	for (int i = 0; i < RUNS; i++) {
		struct sweep_rng r;
		sweep_rng_seed(&r, seed, (uint64_t)i, 0);
		double f = 1 - 0.1 + 2 * 0.1 * sweep_rng_unit(&r);
		double rate = 10.0 * f + 0.0;
		int64_t m = round_half_away(1000 * rate * (1 - 0.0));
		done[i] = (int)((1000000 + m - 1) / m - 1) + 1;
		assert_true(done[i] >= 91 && done[i] <= 112);
	}
	struct allot_vary v = vary("rates:10%");
	struct allot_sweep_result *res = sweep(s, &v, 1, RUNS, seed, 2);
	qsort(done, RUNS, sizeof *done, cmp_int);
	/* Nearest rank of 101 values: 11th, 51st, 91st. */
	assert_int_equal(res->orders[0].runs, RUNS);
	assert_int_equal(res->orders[0].complete, RUNS);
	assert_int_equal(res->orders[0].p10, s->as_of + done[10]);
	assert_int_equal(res->orders[0].p50, s->as_of + done[50]);
	assert_int_equal(res->orders[0].p90, s->as_of + done[90]);
	assert_true(done[10] < done[90]); /* the draws do spread */
	/* The wait of the only order is its completion month (LOA before as_of). */
	assert_true(res->partners[0].wait_p50 == done[50]);
	assert_true(res->partners[0].wait_p90 == done[90]);
	allot_sweep_result_free(res);
	allot_scenario_free(s);
}

/* ---------------------------------------------------------------------- */
/* Tiers under weights:dirichlet=A                                          */

static void test_tiers_dirichlet(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 24);
	/* AAA has every criterion at 1: score 100 under any weights (tier 1).
	 * BBB has only geography, 0.2 * 0.6 = 0.12: at most 12 (tier 3).
	 * CCC is in between and moves with the weights. */
	int a = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 50000, 3, 50e9, 0);
	int b = tu_partner(s, "BBB", "africa", 0, 0, 0, 0, 0, 0, 0);
	int c = tu_partner(s, "CCC", "europe-west", 1, 5, 0, 0, 0, 0, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	tu_order(s, "A1", a, y, 20, 0, "2024-01", NULL, -1);
	tu_order(s, "B1", b, y, 20, 0, "2024-01", NULL, -1);
	tu_order(s, "C1", c, y, 20, 0, "2024-01", NULL, -1);
	enum { RUNS = 200 };
	const double A = 4;
	size_t want[3] = { 0 };
	double sum = 0;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		sum += s->policy.weight[k];
	for (int i = 0; i < RUNS; i++) {
		struct sweep_rng r;
		sweep_rng_seed(&r, 3, (uint64_t)i, 0);
		struct allot_policy pol = s->policy;
		double g[ALLOT_CRIT_COUNT], gs = 0;
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
			gs += g[k] = sweep_rng_gamma(&r, A * s->policy.weight[k] / sum);
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
			pol.weight[k] = g[k] / gs;
		struct allot_score sc;
		allot_score_partner(&pol, &s->partners[c], 0, ALLOT_EUM_COMPLIANT, &sc);
		want[sc.tier - 1]++;
	}
	assert_true(want[0] > 0 && want[1] > 0); /* CCC does move between tiers */
	struct allot_vary v = vary("weights:dirichlet=4");
	struct allot_sweep_result *res = sweep(s, &v, 1, RUNS, 3, 3);
	assert_int_equal(res->n_tiers, 3);
	assert_int_equal(res->partners[a].tier_runs[0], RUNS);
	assert_int_equal(res->partners[b].tier_runs[2], RUNS);
	for (int k = 0; k < 3; k++)
		assert_int_equal(res->partners[c].tier_runs[k], want[k]);
	for (size_t p = 0; p < s->n_partners; p++) {
		size_t n = 0;
		double prob = 0;
		for (size_t k = 0; k < res->n_tiers; k++) {
			n += res->partners[p].tier_runs[k];
			prob += allot_sweep_tier_prob(res, p, k);
		}
		assert_int_equal(n, RUNS);
		assert_true(fabs(prob - 1) < 1e-12);
	}
	allot_sweep_result_free(res);
	allot_scenario_free(s);
}

/* ---------------------------------------------------------------------- */
/* A drawn embargo, and caps cancelling every unit                           */

static void test_embargo_by_hand(void **state)
{
	(void)state;
	/* The only supply of mineral X is china, 10 units' worth a month, and
	 * the stock is empty: without an embargo 50 units take months 0..4.
	 * An embargo of exactly 2025-02..2025-04 stops months 1..3, so the
	 * order gets 10 in month 0, then 10 a month from month 4: done in
	 * month 7 (2025-08). */
	struct allot_scenario *s = tu_scenario("2025-01", 12);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 100, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	int x = tu_mineral(s, "X", 0);
	tu_supply(s, x, "china", 10);
	tu_bom(s, y, x, 1);
	tu_order(s, "O1", p, y, 50, 0, "2024-01", NULL, -1);
	struct allot_vary none = vary("rates:0%");
	struct allot_sweep_result *res = sweep(s, &none, 1, 5, 1, 1);
	assert_int_equal(res->orders[0].p10, tu_m("2025-05"));
	assert_int_equal(res->orders[0].p90, tu_m("2025-05"));
	allot_sweep_result_free(res);
	const char *specs[] = { "embargo:china:start=2025-02,months=3",
				"embargo:china:start=2025-02..2025-02,months=3..3,mineral=X" };
	for (int k = 0; k < 2; k++) {
		struct allot_vary v = vary(specs[k]);
		res = sweep(s, &v, 1, 5, 1, 2);
		assert_int_equal(res->orders[0].p10, tu_m("2025-08"));
		assert_int_equal(res->orders[0].p90, tu_m("2025-08"));
		allot_sweep_result_free(res);
	}
	/* A range: every run's embargo starts in 2025-02..2025-03 and lasts 1
	 * or 2 months, so completion is 2025-06 or 2025-07. */
	struct allot_vary v = vary("embargo:china:start=2025-02..2025-03,months=1..2");
	res = sweep(s, &v, 1, 40, 9, 2);
	assert_true(res->orders[0].p10 >= tu_m("2025-06"));
	assert_true(res->orders[0].p90 <= tu_m("2025-07"));
	assert_true(res->orders[0].p10 < res->orders[0].p90);
	allot_sweep_result_free(res);
	/* Unknown source or mineral: refused against the scenario. */
	struct allot_diags d;
	allot_diags_init(&d);
	v = vary("embargo:chnia:start=2025-02,months=3");
	assert_int_equal(allot_vary_check(&v, s, &d), ALLOT_EINPUT);
	assert_string_equal(d.v[0].msg,
			    "expected a supply source of the scenario (china), found 'chnia'");
	v = vary("embargo:china:start=2025-02,months=3,mineral=Y");
	assert_int_equal(allot_vary_check(&v, s, &d), ALLOT_EINPUT);
	assert_string_equal(d.v[1].msg, "expected a mineral id of the scenario or *, found 'Y'");
	allot_diags_free(&d);
	allot_scenario_free(s);
}

static void test_caps_cancel(void **state)
{
	(void)state;
	/* A cap of 0 stays 0 under caps:30%: every open unit is cancelled in
	 * every run, so no percentile falls inside the horizon and the
	 * partner has no wait. */
	struct allot_scenario *s = tu_scenario("2025-01", 12);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	tu_order(s, "O1", p, y, 5, 0, "2024-01", NULL, -1);
	tu_event(s, "2025-01", ALLOT_EV_BUDGET_CAP, "AAA", "0");
	struct allot_vary v = vary("caps:30%");
	assert_int_equal(allot_vary_targets(&v, s), 1);
	struct allot_sweep_result *res = sweep(s, &v, 1, 7, 1, 2);
	assert_int_equal(res->orders[0].runs, 7);
	assert_int_equal(res->orders[0].cancelled, 7);
	assert_int_equal(res->orders[0].complete, 0);
	assert_int_equal(res->orders[0].p10, ALLOT_NO_MONTH);
	assert_int_equal(res->partners[0].wait_runs, 0);
	assert_true(isnan(res->partners[0].wait_p50));
	allot_sweep_result_free(res);
	allot_scenario_free(s);
}

/* ---------------------------------------------------------------------- */
/* Reproducibility on the bundled dataset                                    */

static const char *const files[] = { "sweep_orders.csv", "sweep_partners.csv", "sweep.json" };

static void assert_same_files(const char *a, const char *b)
{
	for (int f = 0; f < 3; f++) {
		char pa[512], pb[512];
		snprintf(pa, sizeof pa, "%s/%s", a, files[f]);
		snprintf(pb, sizeof pb, "%s/%s", b, files[f]);
		size_t na = 0, nb = 0;
		char *ta = tu_slurp(pa, &na), *tb = tu_slurp(pb, &nb);
		assert_non_null(ta);
		assert_non_null(tb);
		assert_int_equal(na, nb);
		assert_memory_equal(ta, tb, na);
		free(ta);
		free(tb);
	}
}

static struct allot_scenario *load_default(void)
{
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	allot_diags_free(&d);
	return s;
}

/* Runs whose draws are dated (caps, embargoes) resume from the base plan's
 * checkpoints: the samples are those of full re-plans, which a process
 * given a single run makes (fewer than 4 runs plan in full). */
static void test_resumed_runs_match_full(void **state)
{
	(void)state;
	struct allot_scenario *s = load_default();
	tu_event(s, "2027-06", ALLOT_EV_BUDGET_CAP, s->partners[0].iso3, "2e9");
	tu_event(s, "2030-01", ALLOT_EV_BUDGET_CAP, "POL", "1e10");
	struct allot_vary v[3] = {
		vary("caps:50%"),
		vary("embargo:china:start=2026-01..2035-12,months=6..36"),
		vary("embargo:allied@2028-01..2040-01+12..60"),
	};
	enum { RUNS = 40 };
	struct allot_sweep_samples sm[2];
	for (int k = 0; k < 2; k++) {
		struct allot_sweep_options o;
		allot_sweep_options_init(&o);
		o.vary = v;
		o.n_vary = 3;
		o.runs = RUNS;
		o.seed = 5;
		o.threads = 2;
		o.plan.policy = ALLOT_POLICY_PRIORITY;
		assert_int_equal(allot_sweep_samples_alloc(&sm[k], s, RUNS), ALLOT_OK);
		if (k == 0) {
			assert_int_equal(allot_sweep_compute(s, &o, &sm[k]), ALLOT_OK);
			continue;
		}
		o.step = RUNS; /* one run per call: run r alone */
		for (size_t r = 0; r < RUNS; r++) {
			o.first = r;
			assert_int_equal(allot_sweep_compute(s, &o, &sm[k]), ALLOT_OK);
		}
	}
	assert_memory_equal(sm[0].completion, sm[1].completion,
			    RUNS * s->n_orders * sizeof *sm[0].completion);
	assert_memory_equal(sm[0].tier, sm[1].tier, RUNS * s->n_partners * sizeof *sm[0].tier);
	assert_memory_equal(sm[0].wait, sm[1].wait, RUNS * s->n_partners * sizeof *sm[0].wait);
	/* The draws do move the plans: the runs are not all alike. */
	int differ = 0;
	for (size_t i = 0; i < s->n_orders && !differ; i++)
		for (size_t r = 1; r < RUNS && !differ; r++)
			differ = sm[0].completion[r * s->n_orders + i] != sm[0].completion[i];
	assert_true(differ);
	allot_sweep_samples_free(&sm[0]);
	allot_sweep_samples_free(&sm[1]);
	allot_scenario_free(s);
}

static void test_reproducible_default(void **state)
{
	(void)state;
	struct allot_scenario *s = load_default();
	struct allot_vary v[5] = {
		vary("weights:dirichlet=30"),
		vary("rates:10%"),
		vary("supply:20%"),
		vary("caps:30%"),
		vary("embargo:china:start=2026-01..2027-12,months=6..36"),
	};
	enum { RUNS = 24 };
	char *dir[4];
	struct allot_sweep_result *res[3];
	for (int t = 0; t < 3; t++) {
		res[t] = sweep(s, v, 5, RUNS, 11, t + 1);
		dir[t] = tu_tmpdir();
		assert_int_equal(allot_sweep_write(res[t], dir[t]), ALLOT_OK);
	}
	assert_same_files(dir[0], dir[1]);
	assert_same_files(dir[0], dir[2]);

	/* Three "ranks": runs r, r + 3, ... each, into one set of samples. */
	struct allot_sweep_options o;
	allot_sweep_options_init(&o);
	o.vary = v;
	o.n_vary = 5;
	o.runs = RUNS;
	o.seed = 11;
	o.threads = 1;
	o.step = 3;
	struct allot_sweep_samples sm;
	assert_int_equal(allot_sweep_samples_alloc(&sm, s, RUNS), ALLOT_OK);
	for (size_t r = 0; r < 3; r++) {
		o.first = r;
		assert_int_equal(allot_sweep_compute(s, &o, &sm), ALLOT_OK);
	}
	struct allot_sweep_result *ranks = NULL;
	assert_int_equal(allot_sweep_summarise(s, &o, &sm, &ranks), ALLOT_OK);
	dir[3] = tu_tmpdir();
	assert_int_equal(allot_sweep_write(ranks, dir[3]), ALLOT_OK);
	assert_same_files(dir[0], dir[3]);

	/* The figures make sense: every tier share sums to 1, every order
	 * with units open counts every run, and the inputs do vary. */
	int spread = 0;
	for (size_t p = 0; p < s->n_partners; p++) {
		size_t n = 0;
		for (size_t k = 0; k < res[0]->n_tiers; k++)
			n += res[0]->partners[p].tier_runs[k];
		assert_int_equal(n, RUNS);
	}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_sweep_order *so = &res[0]->orders[i];
		assert_true(so->runs == 0 || so->runs == RUNS);
		assert_true(so->complete + so->cancelled <= so->runs);
		if (so->p10 != ALLOT_NO_MONTH && so->p90 != ALLOT_NO_MONTH)
			assert_true(so->p10 <= so->p50 && so->p50 <= so->p90);
		spread |= so->p10 != so->p90;
	}
	assert_true(spread);
	/* Another seed gives other draws. */
	struct allot_sweep_result *other = sweep(s, v, 5, RUNS, 12, 2);
	char *od = tu_tmpdir();
	assert_int_equal(allot_sweep_write(other, od), ALLOT_OK);
	char pa[512], pb[512];
	snprintf(pa, sizeof pa, "%s/sweep_orders.csv", dir[0]);
	snprintf(pb, sizeof pb, "%s/sweep_orders.csv", od);
	char *ta = tu_slurp(pa, NULL), *tb = tu_slurp(pb, NULL);
	assert_true(strcmp(ta, tb) != 0);
	free(ta);
	free(tb);
	tu_rmtree(od);
	free(od);
	allot_sweep_result_free(other);

	allot_sweep_result_free(ranks);
	allot_sweep_samples_free(&sm);
	for (int t = 0; t < 4; t++) {
		tu_rmtree(dir[t]);
		free(dir[t]);
	}
	for (int t = 0; t < 3; t++)
		allot_sweep_result_free(res[t]);
	allot_scenario_free(s);
}

/* ---------------------------------------------------------------------- */
/* The SPEC grammar                                                         */

static void test_spec_grammar(void **state)
{
	(void)state;
	static const struct {
		const char *spec, *canon;
	} good[] = {
		{ "weights:dirichlet=50", "weights:dirichlet=50" },
		{ "weights:dirichlet=0.5", "weights:dirichlet=0.5" },
		{ "rates:10%", "rates:10%" },
		{ "supply:20%", "supply:20%" },
		{ "caps:2.5%", "caps:2.5%" },
		{ "embargo:china:start=2026-01..2027-12,months=6..36",
		  "embargo:china:start=2026-01..2027-12,months=6..36" },
		{ "embargo:allied:months=3,start=2026-05,mineral=gallium",
		  "embargo:allied:start=2026-05,months=3,mineral=gallium" },
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		struct allot_vary v = vary(good[i].spec);
		char buf[256];
		allot_vary_format(&v, buf, sizeof buf);
		assert_string_equal(buf, good[i].canon);
	}
	struct allot_vary v = vary("rates:10%");
	assert_true(v.kind == ALLOT_VARY_RATES && v.spread == 0.1);
	v = vary("embargo:china:start=2026-01..2027-12,months=6..36");
	assert_int_equal(v.start_lo, tu_m("2026-01"));
	assert_int_equal(v.start_hi, tu_m("2027-12"));
	assert_int_equal(v.months_lo, 6);
	assert_int_equal(v.months_hi, 36);
	assert_string_equal(v.mineral, "*");

	static const struct {
		const char *spec, *msg;
	} bad[] = {
		{ "rate:10%",
		  "expected weights, rates, supply, caps or embargo before ':', found 'rate'" },
		{ "rates",
		  "expected ':' and a setting after the name (see allot sweep --help), found nothing" },
		{ "rates:10",
		  "expected a percentage from 0% to 100% after 'rates:' (e.g. rates:10%), found '10'" },
		{ "supply:150%",
		  "expected a percentage from 0% to 100% after 'supply:' (e.g. supply:10%), found '150%'" },
		{ "caps:-5%",
		  "expected a percentage from 0% to 100% after 'caps:' (e.g. caps:10%), found '-5%'" },
		{ "weights:50",
		  "expected 'dirichlet=A' after 'weights:' (e.g. weights:dirichlet=50), found '50'" },
		{ "weights:dirichlet=0",
		  "expected a concentration A > 0 in 'dirichlet=A' (e.g. dirichlet=50), found '0'" },
		{ "weights:dirichlet=x",
		  "expected a concentration A > 0 in 'dirichlet=A' (e.g. dirichlet=50), found 'x'" },
		{ "embargo:china",
		  "expected embargo:SOURCE:start=YYYY-MM..YYYY-MM,months=M..N (e.g. embargo:china:start=2026-01..2027-12,months=6..36), found 'china'" },
		{ "embargo:china:start=2026-13,months=6",
		  "expected start=YYYY-MM or start=YYYY-MM..YYYY-MM, found '2026-13'" },
		{ "embargo:china:start=2027-01..2026-01,months=6",
		  "expected a start range from an earlier month to a later one, found '2027-01..2026-01'" },
		{ "embargo:china:start=2026-01,months=0",
		  "expected months=N or months=N..M, whole months from 1 to 1200, found '0'" },
		{ "embargo:china:start=2026-01,months=9..3",
		  "expected a months range from a shorter length to a longer one, found '9..3'" },
		{ "embargo:china:start=2026-01",
		  "expected a months=M..N setting in the embargo, found nothing" },
		{ "embargo:china:months=6",
		  "expected a start=YYYY-MM..YYYY-MM setting in the embargo, found nothing" },
		{ "embargo:china:start=2026-01,months=6,length=3",
		  "expected start=, months= or mineral= in the embargo's settings, found 'length'" },
		{ "embargo:china:start",
		  "expected KEY=VALUE (start=, months= or mineral=), found 'start'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_vary w;
		assert_int_equal(allot_vary_parse(bad[i].spec, &w, &d), ALLOT_EINPUT);
		assert_int_equal(allot_diags_count(&d), 1);
		char file[300];
		snprintf(file, sizeof file, "--vary %s", bad[i].spec);
		assert_string_equal(d.v[0].file, file);
		assert_string_equal(d.v[0].msg, bad[i].msg);
		allot_diags_free(&d);
	}
}

/* The generator: the same (seed, run, stream) gives the same stream, another
 * run another one; draws stay in range and gamma draws have mean k. */
static void test_rng(void **state)
{
	(void)state;
	struct sweep_rng a, b;
	sweep_rng_seed(&a, 1, 0, 0);
	sweep_rng_seed(&b, 1, 0, 0);
	for (int i = 0; i < 100; i++)
		assert_true(sweep_rng_next(&a) == sweep_rng_next(&b));
	sweep_rng_seed(&b, 1, 1, 0);
	assert_true(sweep_rng_next(&a) != sweep_rng_next(&b));
	double mean = 0;
	for (int i = 0; i < 20000; i++) {
		int64_t k = sweep_rng_int(&a, 3, 5);
		assert_true(k >= 3 && k <= 5);
		double g = sweep_rng_gamma(&a, 2.5);
		assert_true(g > 0);
		mean += g / 20000;
	}
	assert_true(fabs(mean - 2.5) < 0.1); /* E[Gamma(k)] = k */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_percentiles_by_hand),
		cmocka_unit_test(test_rates_closed_form),
		cmocka_unit_test(test_tiers_dirichlet),
		cmocka_unit_test(test_embargo_by_hand),
		cmocka_unit_test(test_caps_cancel),
		cmocka_unit_test(test_resumed_runs_match_full),
		cmocka_unit_test(test_reproducible_default),
		cmocka_unit_test(test_spec_grammar),
		cmocka_unit_test(test_rng),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
