/*
 * bench_plan.c - plans a synthetic scenario under both policies and prints
 * what it measures: plan time (median, min, max of several runs, wall clock
 * and CPU time of the process), orders per second, page faults, memory
 * (peak resident set of the process, and its growth over the scenario
 * alone, i.e. what planning added) and a digest of the plan.
 *
 * usage: bench_plan [--orders N] [--lines N] [--minerals N] [--months N]
 *                   [--runs R] [--seed S] [--no-events] [--policy fcfs|priority]
 * Defaults are the planner issue's benchmark: 1,000,000 orders, 2,000 lines,
 * 20 minerals, 240 months, 5 runs per policy.  The goal is under 0.3 s and
 * under 200 MiB over the scenario per plan (issue 19); the ratio of the
 * wall-clock median to that time is printed.  The planner uses a second
 * thread for its per-queue passes on a big scenario (docs/planner.md), so
 * the CPU figure, which adds both threads, can exceed the wall clock;
 * ALLOT_PLAN_THREADS=1 in the environment measures one thread.  The last
 * figure, caller-cpu, is the CPU time of the thread that called the
 * planner alone: about the wall clock on a machine with a free core.
 *
 * Only the public API is used, so `make bench` (bench/run.sh) also compiles
 * this file against the previous library and runs both in turn: the
 * digest (FNV-1a of every array of the plan) must be the same for both,
 * and the ratio of the CPU medians is the speed-up.  One line per policy,
 * machine-readable after the label:
 *	fcfs     median 0.210 s (min ..., max ..., 5 runs) cpu 0.200 s ...
 *	         digest 0123456789abcdef
 * and, with a library that has planner workspaces, a second line per
 * policy ("fcfs-ws") for the same plans in one workspace whose plans are
 * recycled, as a sweep's worker plans (the first run fills the workspace
 * and is left out of the figures).
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

/* CPU time of this process: on a shared machine it moves much less with
 * the load than the wall clock does. */
static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread alone: the planner's second thread takes
 * part of the work, so on a machine with a free core the wall clock is
 * about this (plus the waits for the worker's last chunks); on a loaded
 * machine, where the wall clock is mostly waiting for a core, it shows
 * what the caller's share of the work was. */
static double caller_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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

static long minor_faults(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* Every figure of the plan, field by field (no padding bytes). */
static uint64_t digest(const struct allot_scenario *s, const struct allot_plan *p)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t H = (size_t)s->horizon_months;
	h = fnv(h, &p->n_allocs, sizeof p->n_allocs);
	for (size_t i = 0; i < p->n_allocs; i++) {
		h = fnv(h, &p->allocs[i].order, sizeof p->allocs[i].order);
		h = fnv(h, &p->allocs[i].month, sizeof p->allocs[i].month);
		h = fnv(h, &p->allocs[i].units, sizeof p->allocs[i].units);
	}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order_result *r = &p->orders[i];
		int64_t v[] = { r->produced,       r->delivered_in_h, r->cancelled,   r->blocked,
				r->first_delivery, r->completion,     r->short_units, r->tier0 };
		h = fnv(h, v, sizeof v);
	}
	h = fnv(h, p->produced_by_month, H * sizeof *p->produced_by_month);
	h = fnv(h, p->capacity, s->n_lines * H * sizeof *p->capacity);
	h = fnv(h, p->used, s->n_lines * H * sizeof *p->used);
	h = fnv(h, p->stock_end, s->n_minerals * H * sizeof *p->stock_end);
	for (size_t k = 0; k < s->n_partners; k++)
		h = fnv(h, &p->score0[k].score, sizeof p->score0[k].score);
	return h;
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
			fprintf(stderr,
				"bench_plan: %s needs a value (see the top of bench/bench_plan.c)\n",
				a);
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

	uint64_t dg_plain[2] = { 0, 0 };
	for (int k = 0; k < 4; k++) {
		if (only >= 0 && k % 2 != only)
			continue;
		struct allot_plan_options o;
		allot_plan_options_init(&o);
		o.policy = k % 2 == 0 ? ALLOT_POLICY_FCFS : ALLOT_POLICY_PRIORITY;
		struct allot_plan_workspace *w = NULL;
		uint64_t plain = k < 2 ? 0 : dg_plain[k % 2];
#ifdef ALLOT_HAVE_PLAN_WORKSPACE
		if (k >= 2) {
			if (!(w = allot_plan_workspace_new()))
				return 1;
			struct allot_plan *p = NULL;
			if (allot_plan_run_in(w, s, &o, &p) != ALLOT_OK)
				return 1;
			allot_plan_workspace_recycle(w, p);
		}
#else
		(void)w;
		if (k >= 2)
			continue;
#endif
		double *t = calloc((size_t)runs, sizeof *t), *c = calloc((size_t)runs, sizeof *c);
		double *cc = calloc((size_t)runs, sizeof *cc);
		long *pf = calloc((size_t)runs, sizeof *pf);
		if (!t || !c || !cc || !pf)
			return 1;
		int64_t units = 0;
		size_t allocs = 0;
		long grew = 0;
		uint64_t dg = 0;
		for (int r = 0; r < runs; r++) {
			struct allot_plan *p = NULL;
			long f = minor_faults();
			double a = now(), b = cpu(), bc = caller_cpu();
#ifdef ALLOT_HAVE_PLAN_WORKSPACE
			rc = w ? allot_plan_run_in(w, s, &o, &p) : allot_plan_run(s, &o, &p);
#else
			rc = allot_plan_run(s, &o, &p);
#endif
			t[r] = now() - a;
			c[r] = cpu() - b;
			cc[r] = caller_cpu() - bc;
			pf[r] = minor_faults() - f;
			if (rc != ALLOT_OK) {
				fprintf(stderr, "bench_plan: plan failed: %s\n",
					allot_strerror(rc));
				return 1;
			}
			long g = peak_kib() - base_rss;
			if (g > grew)
				grew = g;
			units = 0;
			for (int m = 0; m < s->horizon_months; m++)
				units += p->produced_by_month[m];
			allocs = p->n_allocs;
			uint64_t d = digest(s, p);
			if (r > 0 && d != dg) {
				fprintf(stderr, "bench_plan: run %d planned differently\n", r);
				return 1;
			}
			dg = d;
#ifdef ALLOT_HAVE_PLAN_WORKSPACE
			if (w) {
				allot_plan_workspace_recycle(w, p);
				continue;
			}
#endif
			allot_plan_free(p);
		}
		if (k >= 2 && dg != plain) {
			fprintf(stderr, "bench_plan: the workspace planned differently\n");
			return 1;
		}
		if (k < 2)
			dg_plain[k] = dg;
		long first_pf = pf[0];
		qsort(t, (size_t)runs, sizeof *t, cmp_double);
		qsort(c, (size_t)runs, sizeof *c, cmp_double);
		qsort(cc, (size_t)runs, sizeof *cc, cmp_double);
		double med = t[runs / 2];
		char label[32];
		snprintf(label, sizeof label, "%s%s", allot_policy_kind_name(o.policy),
			 k >= 2 ? "-ws" : "");
		printf("%-11s median %.3f s (min %.3f, max %.3f, %d runs) cpu %.3f s  %.2f M orders/s  "
		       "%zu allocation rows, %lld units  page faults: last run %ld, first run %ld  "
		       "peak RSS %ld MiB (+%ld MiB over the scenario)  time/goal %.2f  digest %016llx  "
		       "caller-cpu %.3f s\n",
		       label, med, t[0], t[runs - 1], runs, c[runs / 2],
		       (double)s->n_orders / med / 1e6, allocs, (long long)units, pf[runs - 1],
		       first_pf, peak_kib() / 1024, grew / 1024, med / 0.3, (unsigned long long)dg,
		       cc[runs / 2]);
		fflush(stdout);
		free(t);
		free(c);
		free(cc);
		free(pf);
#ifdef ALLOT_HAVE_PLAN_WORKSPACE
		allot_plan_workspace_free(w);
#endif
	}
	allot_scenario_free(s);
	return 0;
}
