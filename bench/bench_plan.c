/*
 * bench_plan.c - plans a synthetic scenario under both policies and prints
 * what it measures: plan time (median, min, max of several runs), orders
 * per second, and memory (peak resident set of the process, and its growth
 * over the scenario alone, i.e. what planning added).
 *
 * usage: bench_plan [--orders N] [--lines N] [--minerals N] [--months N]
 *                   [--runs R] [--seed S] [--no-events] [--policy fcfs|priority]
 * Defaults are the planner issue's benchmark: 1,000,000 orders, 2,000 lines,
 * 20 minerals, 240 months, 5 runs per policy.  The goal is under 1 s and
 * under 1 GiB per plan on one core; the ratio to that goal is printed.
 */
#include <allot/allot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, resident = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * 4;
}

static long peak_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	int runs = 5, only = -1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--no-events") == 0) {
			sp.events = 0;
			continue;
		}
		if (!v) {
			fprintf(stderr, "bench_plan: %s needs a value (see the top of bench/bench_plan.c)\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--orders") == 0)
			sp.orders = strtoull(v, NULL, 10);
		else if (strcmp(a, "--lines") == 0)
			sp.lines = strtoull(v, NULL, 10);
		else if (strcmp(a, "--minerals") == 0)
			sp.minerals = strtoull(v, NULL, 10);
		else if (strcmp(a, "--months") == 0)
			sp.horizon_months = atoi(v);
		else if (strcmp(a, "--runs") == 0)
			runs = atoi(v);
		else if (strcmp(a, "--seed") == 0)
			sp.seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--policy") == 0)
			only = strcmp(v, "fcfs") == 0 ? 0 : 1;
		else {
			fprintf(stderr, "bench_plan: unknown option %s\n", a);
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;

	double t0 = now();
	struct allot_scenario *s = NULL;
	int rc = allot_synth_scenario(&sp, &s);
	if (rc != ALLOT_OK) {
		fprintf(stderr, "bench_plan: cannot generate: %s\n", allot_strerror(rc));
		return 1;
	}
	double gen = now() - t0;
	long base_rss = rss_kib();
	printf("scenario: %zu orders, %zu lines, %zu systems, %zu minerals, %zu partners, "
	       "%d months, %zu events (seed %llu, generated in %.2f s, %ld MiB resident)\n",
	       s->n_orders, s->n_lines, s->n_systems, s->n_minerals, s->n_partners,
	       s->horizon_months, s->n_events, (unsigned long long)sp.seed, gen, base_rss / 1024);

	int fail = 0;
	for (int k = 0; k < 2; k++) {
		if (only >= 0 && k != only)
			continue;
		struct allot_plan_options o;
		allot_plan_options_init(&o);
		o.policy = k == 0 ? ALLOT_POLICY_FCFS : ALLOT_POLICY_PRIORITY;
		double *t = calloc((size_t)runs, sizeof *t);
		int64_t units = 0;
		size_t allocs = 0;
		long grew = 0;
		for (int r = 0; r < runs; r++) {
			struct allot_plan *p = NULL;
			double a = now();
			rc = allot_plan_run(s, &o, &p);
			t[r] = now() - a;
			if (rc != ALLOT_OK) {
				fprintf(stderr, "bench_plan: plan failed: %s\n", allot_strerror(rc));
				return 1;
			}
			long g = peak_kib() - base_rss;
			if (g > grew)
				grew = g;
			units = 0;
			for (int m = 0; m < s->horizon_months; m++)
				units += p->produced_by_month[m];
			allocs = p->n_allocs;
			allot_plan_free(p);
		}
		qsort(t, (size_t)runs, sizeof *t, cmp_double);
		double med = t[runs / 2];
		printf("%-8s median %.3f s (min %.3f, max %.3f, %d runs)  %.2f M orders/s  "
		       "%zu allocation rows, %lld units  peak RSS %ld MiB (+%ld MiB over the scenario)  "
		       "time/goal %.2f\n",
		       allot_policy_kind_name(o.policy), med, t[0], t[runs - 1], runs,
		       (double)s->n_orders / med / 1e6, allocs, (long long)units,
		       peak_kib() / 1024, grew / 1024, med / 1.0);
		free(t);
	}
	allot_scenario_free(s);
	return fail;
}
