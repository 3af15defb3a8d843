/*
 * bench_whatif.c - the incremental what-if (docs/planner.md, "Incremental
 * re-planning") against the full re-plan, in the same run, on the bundled
 * dataset: for changes dated at several months of the horizon, the time to
 * plan the changed scenario from month 0 (allot_plan_run) and from the
 * base's checkpoint (allot_plan_resume), and their ratio.  Also the cost
 * of planning the base with checkpoints, once per scenario and policy
 * (the server caches it).
 *
 * Then the same on a synthetic scenario (allot_synth_scenario, 100,000
 * orders by default), where the month loop rather than the set-up is
 * most of a plan.
 *
 * usage: bench_whatif [--data DIR] [--runs N] [--every K] [--synth-orders N]
 * Defaults: data/default (run from the source tree), 21 runs per figure
 * (the median is reported; 5 on the synthetic scenario), a checkpoint
 * every 6 months (the server's); --synth-orders 0 skips the synthetic one.
 * Each figure checks that both plans are identical.  Times are CPU time of
 * the thread (the wall clock on a shared machine adds the waits).
 */
#include <allot/allot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this thread: the machine may be shared, and a plan of a few
 * milliseconds is mostly what one core does (no I/O, no threads). */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int same(const struct allot_scenario *s, const struct allot_plan *a,
		const struct allot_plan *b)
{
	size_t H = (size_t)s->horizon_months;
	return a->n_allocs == b->n_allocs &&
	       memcmp(a->allocs, b->allocs, a->n_allocs * sizeof *a->allocs) == 0 &&
	       memcmp(a->orders, b->orders, s->n_orders * sizeof *a->orders) == 0 &&
	       memcmp(a->used, b->used, s->n_lines * H * sizeof *a->used) == 0 &&
	       memcmp(a->stock_end, b->stock_end, s->n_minerals * H * sizeof *a->stock_end) == 0;
}

/* One change at month as_of + rel; returns 0, or 1 on a failure. */
static int measure(const struct allot_scenario *s, const struct allot_plan_checkpoints *cp,
		   const struct allot_plan_options *o, const char *fmt, int rel, int runs)
{
	char text[160], m[8];
	allot_month_format(s->as_of + rel, m);
	snprintf(text, sizeof text, fmt, s->lines[0].line_id, m);
	struct allot_change ch;
	struct allot_change_error err;
	struct allot_scenario *x = NULL;
	size_t bad;
	if (allot_change_parse_line(text, &ch, &err) != ALLOT_OK ||
	    allot_changes_apply(s, &ch, 1, NULL, &x, &bad, &err) != ALLOT_OK) {
		fprintf(stderr, "bench_whatif: %s: %s\n", text, err.msg);
		return 1;
	}
	double *full = malloc((size_t)runs * sizeof *full),
	       *inc = malloc((size_t)runs * sizeof *inc);
	int from = 0, rc = full && inc ? 0 : 1;
	for (int r = 0; rc == 0 && r < runs; r++) {
		/* Alternately first: the second finds the allocator warm. */
		struct allot_plan *a = NULL, *b = NULL;
		for (int k = 0; k < 2; k++) {
			double t0 = now();
			if ((k + r) % 2 == 0)
				rc |= allot_plan_run(x, o, &a) != ALLOT_OK;
			else
				rc |= allot_plan_resume(cp, x, o, &b, &from) != ALLOT_OK;
			*((k + r) % 2 == 0 ? &full[r] : &inc[r]) = now() - t0;
		}
		if (!rc && !same(x, a, b)) {
			fprintf(stderr, "bench_whatif: %s: the plans differ\n", text);
			rc = 1;
		}
		allot_plan_free(a);
		allot_plan_free(b);
	}
	if (rc == 0) {
		double f = median(full, runs), i = median(inc, runs);
		printf("  %-34s from month %3d   full %7.2f ms   incremental %7.2f ms   ratio %.3f\n",
		       text, from, f * 1e3, i * 1e3, i / f);
	}
	free(full);
	free(inc);
	allot_changed_free(x);
	return rc;
}

static int bench(const struct allot_scenario *s, const char *label, int runs, int every, double la);

int main(int argc, char **argv)
{
	const char *data = "data/default";
	int runs = 21, every = 6;
	size_t synth = 100000;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data = argv[++i];
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--every") == 0 && i + 1 < argc)
			every = atoi(argv[++i]);
		else if (strcmp(argv[i], "--synth-orders") == 0 && i + 1 < argc)
			synth = (size_t)strtoull(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: bench_whatif [--data DIR] [--runs N] [--every K] "
					"[--synth-orders N]\n");
			return 2;
		}
	}
	if (runs < 1 || every < 1) {
		fprintf(stderr, "bench_whatif: --runs and --every take a number >= 1\n");
		return 2;
	}
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	if (allot_scenario_load(data, &s, &d) != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		return 1;
	}
	allot_diags_free(&d);
	if (s->n_lines == 0) {
		fprintf(stderr, "bench_whatif: %s has no lines\n", data);
		return 1;
	}
	double la = -1;
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &la) != 1)
			la = -1;
		fclose(f);
	}
	int rc = bench(s, data, runs, every, la);
	allot_scenario_free(s);
	if (rc != 0 || synth == 0)
		return rc;
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = synth;
	if (allot_synth_scenario(&sp, &s) != ALLOT_OK) {
		fprintf(stderr, "bench_whatif: cannot generate the synthetic scenario\n");
		return 1;
	}
	rc = bench(s, "synthetic scenario (seed 1)", runs < 5 ? runs : 5, every, la);
	allot_scenario_free(s);
	return rc;
}

static int bench(const struct allot_scenario *s, const char *label, int runs, int every, double la)
{
	printf("bench_whatif: %s (%zu orders, %zu lines, %d months), a checkpoint asked every "
	       "%d months (wider past 128 MiB of copies), median of %d runs, load average %.2f\n",
	       label, s->n_orders, s->n_lines, s->horizon_months, every, runs, la);
	int rc = 0;
	for (int k = 0; k < 2 && rc == 0; k++) {
		struct allot_plan_options o;
		allot_plan_options_init(&o);
		o.policy = k ? ALLOT_POLICY_FCFS : ALLOT_POLICY_PRIORITY;
		double *t = malloc((size_t)runs * sizeof *t);
		struct allot_plan_checkpoints *cp = NULL;
		for (int r = 0; t && r < runs && rc == 0; r++) {
			struct allot_plan *p = NULL;
			allot_plan_checkpoints_free(cp);
			cp = NULL;
			double t0 = now();
			rc = allot_plan_run_checkpointed(s, &o, every, &p, &cp) != ALLOT_OK;
			t[r] = now() - t0;
			allot_plan_free(p);
		}
		if (!t || rc) {
			free(t);
			allot_plan_checkpoints_free(cp);
			fprintf(stderr, "bench_whatif: cannot plan %s\n", label);
			return 1;
		}
		printf("%s: base plan with checkpoints %.2f ms (once per scenario and policy)\n",
		       k ? "fcfs" : "priority", median(t, runs) * 1e3);
		free(t);
		int H = s->horizon_months;
		int rels[] = { 1, H / 4, H / 2, 3 * H / 4, H - 1 };
		for (size_t i = 0; i < sizeof rels / sizeof *rels && rc == 0; i++)
			rc = measure(s, cp, &o, "--rate %s:0@%s", rels[i], runs);
		if (rc == 0)
			rc = measure(s, cp, &o, "--us-share %s:0.9@%s+12", H / 2, runs);
		allot_plan_checkpoints_free(cp);
	}
	return rc;
}
