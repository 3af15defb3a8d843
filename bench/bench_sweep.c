/*
 * bench_sweep.c - how fast `allot sweep` goes: runs per second on 1 and 2
 * threads (or --threads LIST), on the bundled dataset and on a synthetic
 * scenario (allot_synth_scenario, 1,000,000 orders by default), and the
 * scaling efficiency rate(T) / (T * rate(1)).
 *
 * usage: bench_sweep [--data DIR] [--runs N] [--repeat R] [--threads 1,2]
 *                    [--synth-orders N] [--synth-runs N] [--no-synth]
 * Defaults: data/default (run from the source tree), 2000 runs repeated 3
 * times per thread count (the median is reported), then 1,000,000 synthetic
 * orders with 4 runs once per thread count.  Each run varies the weights
 * (dirichlet=50) and the line rates (10%), as `allot sweep` would.
 *
 * The machine may be shared: the load average is printed with each table,
 * and the median of several repeats is what to quote.  runs/cpu-s (runs per
 * second of CPU time used by the process) hardly depends on the load: it is
 * what one core delivers, and the wall-clock efficiency shows how much of a
 * second core the sweep actually got.
 */
#include <allot/allot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_T 16

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double loadavg(void)
{
	double l = -1;
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (fscanf(f, "%lf", &l) != 1)
			l = -1;
		fclose(f);
	}
	return l;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct bench {
	size_t runs;
	int repeat;
	int threads[MAX_T];
	int n_threads;
	struct allot_vary vary[2];
};

/* Times `repeat` sweeps on each thread count; prints runs/s and efficiency. */
static int measure(const struct allot_scenario *s, const struct bench *b, const char *label)
{
	printf("\n%s: %zu orders, %zu lines, %d months; %zu runs x %d, varying weights:dirichlet=50 "
	       "and rates:10%% (load average %.2f)\n",
	       label, s->n_orders, s->n_lines, s->horizon_months, b->runs, b->repeat, loadavg());
	printf("threads  runs/s median        min        max  s/10k runs  efficiency  runs/cpu-s\n");
	double base = 0;
	for (int k = 0; k < b->n_threads; k++) {
		double *rate = calloc((size_t)b->repeat, sizeof *rate), cpu = 0;
		if (!rate)
			return 1;
		for (int r = 0; r < b->repeat; r++) {
			struct allot_sweep_options o;
			allot_sweep_options_init(&o);
			o.runs = b->runs;
			o.seed = 1;
			o.threads = b->threads[k];
			o.vary = b->vary;
			o.n_vary = 2;
			struct allot_sweep_result *res = NULL;
			double t0 = now(), c0 = cpu_now();
			int rc = allot_sweep_run(s, &o, &res);
			double dt = now() - t0;
			cpu += cpu_now() - c0;
			allot_sweep_result_free(res);
			if (rc != ALLOT_OK) {
				fprintf(stderr, "bench_sweep: sweep failed: %s\n",
					allot_strerror(rc));
				free(rate);
				return 1;
			}
			rate[r] = (double)b->runs / dt;
		}
		qsort(rate, (size_t)b->repeat, sizeof *rate, cmp_double);
		double med = rate[b->repeat / 2];
		if (k == 0)
			base = med / b->threads[0];
		printf("%7d  %13.3f  %9.3f  %9.3f  %10.2f  %9.0f%%  %10.3f\n", b->threads[k], med,
		       rate[0], rate[b->repeat - 1], 10000 / med,
		       100 * med / (b->threads[k] * base), (double)b->runs * b->repeat / cpu);
		fflush(stdout);
		free(rate);
	}
	return 0;
}

static int parse_threads(const char *v, struct bench *b)
{
	b->n_threads = 0;
	for (const char *p = v; *p && b->n_threads < MAX_T;) {
		int t = atoi(p);
		if (t < 1)
			return -1;
		b->threads[b->n_threads++] = t;
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return b->n_threads ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct bench b = { .runs = 2000, .repeat = 3, .threads = { 1, 2 }, .n_threads = 2 };
	const char *data = "data/default";
	size_t synth_orders = 1000000, synth_runs = 4;
	int synth = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--no-synth") == 0) {
			synth = 0;
			continue;
		}
		if (!v) {
			fprintf(stderr, "bench_sweep: %s needs a value (see bench/bench_sweep.c)\n",
				a);
			return 2;
		}
		i++;
		if (strcmp(a, "--data") == 0)
			data = v;
		else if (strcmp(a, "--runs") == 0)
			b.runs = strtoull(v, NULL, 10);
		else if (strcmp(a, "--repeat") == 0)
			b.repeat = atoi(v);
		else if (strcmp(a, "--synth-orders") == 0)
			synth_orders = strtoull(v, NULL, 10);
		else if (strcmp(a, "--synth-runs") == 0)
			synth_runs = strtoull(v, NULL, 10);
		else if (strcmp(a, "--threads") != 0 || parse_threads(v, &b) != 0) {
			fprintf(stderr, "bench_sweep: bad option %s %s\n", a, v);
			return 2;
		}
	}
	if (b.runs < 1 || b.repeat < 1) {
		fprintf(stderr, "bench_sweep: --runs and --repeat must be at least 1\n");
		return 2;
	}
	struct allot_diags d;
	allot_diags_init(&d);
	if (allot_vary_parse("weights:dirichlet=50", &b.vary[0], &d) != ALLOT_OK ||
	    allot_vary_parse("rates:10%", &b.vary[1], &d) != ALLOT_OK)
		return 1;
	printf("bench_sweep: %ld online cores; the machine may be shared, so figures are the "
	       "median of repeats and vary with the load\n",
	       sysconf(_SC_NPROCESSORS_ONLN));

	struct allot_scenario *s = NULL;
	if (allot_scenario_load(data, &s, &d) != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		return 1;
	}
	allot_diags_free(&d);
	char label[256];
	snprintf(label, sizeof label, "bundled dataset (%s)", data);
	int rc = measure(s, &b, label);
	allot_scenario_free(s);
	if (rc != 0 || !synth)
		return rc;

	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = synth_orders;
	double t0 = now();
	if (allot_synth_scenario(&sp, &s) != ALLOT_OK) {
		fprintf(stderr, "bench_sweep: cannot generate the synthetic scenario\n");
		return 1;
	}
	snprintf(label, sizeof label, "synthetic scenario (seed 1, generated in %.1f s)",
		 now() - t0);
	b.runs = synth_runs;
	b.repeat = 1;
	rc = measure(s, &b, label);
	allot_scenario_free(s);
	return rc;
}
