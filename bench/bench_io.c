/*
 * bench_io.c - the scenario's way in and out, timed: load a scenario
 * directory (CSV parse + model build), plan it, write the plan's two files
 * (`allot plan --out`), store the scenario in a fresh SQLite store, store
 * the plan there (`allot plan --db`).
 *
 * usage: bench_io [--orders N] [--lines N] [--runs R] [--seed S]
 *                 [--dir D] [--only load|plan|write|store|putplan]
 * Defaults: 1,000,000 orders, 60 lines, 5 runs of each step.  The scenario
 * is generated (lib/synth.c), written once to D (default a fresh directory
 * under $TMPDIR) and read back from the page cache by every load run.
 *
 * Only the public API is used, so `make bench` (bench/run.sh) also compiles
 * this file against an older library and prints the ratio new/old.  One
 * line per figure, machine-readable after the label:
 *	load   median 0.210 s (min ..., max ..., 5 runs) cpu 0.200 s  orders.csv ...
 * (cpu: the median CPU time of the process over the step, which a busy
 * machine disturbs much less than the wall clock).
 */
#include <allot/allot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *what, double *t, double *c, int runs, const char *extra)
{
	qsort(t, (size_t)runs, sizeof *t, cmp_double);
	qsort(c, (size_t)runs, sizeof *c, cmp_double);
	printf("%-6s median %.3f s (min %.3f, max %.3f, %d runs) cpu %.3f s  %s\n", what,
	       t[runs / 2], t[0], t[runs - 1], runs, c[runs / 2], extra);
	fflush(stdout);
}

static double file_mb(const char *dir, const char *name)
{
	char p[4096];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", dir, name);
	return stat(p, &st) == 0 ? (double)st.st_size / 1e6 : 0;
}

static int rm_rf(const char *path)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
	return system(cmd);
}

static int fail(const char *what, int rc, struct allot_diags *d)
{
	fprintf(stderr, "bench_io: %s failed: %s\n", what, allot_strerror(rc));
	allot_diags_print(d, stderr);
	return 1;
}

int main(int argc, char **argv)
{
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = 1000000;
	sp.lines = 60;
	int runs = 5;
	const char *dir = NULL, *only = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "bench_io: %s needs a value (see bench/bench_io.c)\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--orders") == 0)
			sp.orders = strtoull(v, NULL, 10);
		else if (strcmp(a, "--lines") == 0)
			sp.lines = strtoull(v, NULL, 10);
		else if (strcmp(a, "--runs") == 0)
			runs = atoi(v);
		else if (strcmp(a, "--seed") == 0)
			sp.seed = strtoull(v, NULL, 10);
		else if (strcmp(a, "--dir") == 0)
			dir = v;
		else if (strcmp(a, "--only") == 0)
			only = v;
		else {
			fprintf(stderr, "bench_io: unknown option %s\n", a);
			return 2;
		}
	}
	if (runs < 1)
		runs = 1;
	char tmp[4096];
	int own = 0;
	if (!dir) {
		const char *td = getenv("TMPDIR");
		snprintf(tmp, sizeof tmp, "%s/allot-bench-io-XXXXXX", td && *td ? td : "/tmp");
		if (!mkdtemp(tmp)) {
			perror("bench_io: mkdtemp");
			return 1;
		}
		dir = tmp;
		own = 1;
	} else {
		mkdir(dir, 0755); /* may exist */
	}
	char scen[4200], out[4200], db[4200];
	snprintf(scen, sizeof scen, "%s/scenario", dir);
	snprintf(out, sizeof out, "%s/out", dir);
	snprintf(db, sizeof db, "%s/bench.db", dir);

	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	int rc = allot_synth_scenario(&sp, &s);
	if (rc == ALLOT_OK)
		rc = allot_scenario_write(s, scen, &d);
	if (rc != ALLOT_OK)
		return fail("generating the scenario", rc, &d);
	printf("scenario: %zu orders, %zu lines, %zu systems, %zu partners, %d months "
	       "(seed %llu); orders.csv %.1f MB\n",
	       s->n_orders, s->n_lines, s->n_systems, s->n_partners, s->horizon_months,
	       (unsigned long long)sp.seed, file_mb(scen, "orders.csv"));
	allot_scenario_free(s);
	s = NULL;

	double *t = calloc((size_t)runs, sizeof *t);
	double *u = calloc((size_t)runs, sizeof *u);
	char extra[256];
	int all = !only;
	/* load: the scenario is always loaded (the other steps need it) */
	for (int r = 0; r < (all || strcmp(only, "load") == 0 ? runs : 1); r++) {
		allot_scenario_free(s);
		s = NULL;
		double a = now(), b = cpu();
		rc = allot_scenario_load(scen, &s, &d);
		t[r] = now() - a;
		u[r] = cpu() - b;
		if (rc != ALLOT_OK)
			return fail("load", rc, &d);
	}
	if (all || strcmp(only, "load") == 0) {
		double mb = file_mb(scen, "orders.csv");
		qsort(t, (size_t)runs, sizeof *t, cmp_double); /* MB/s at the median, not run 1 */
		snprintf(extra, sizeof extra, "orders.csv %.1f MB, %.0f MB/s, %zu orders", mb,
			 mb / t[runs / 2], s->n_orders);
		report("load", t, u, runs, extra);
	}

	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *p = NULL;
	int np = all || strcmp(only, "plan") == 0                             ? runs
		 : strcmp(only, "write") == 0 || strcmp(only, "putplan") == 0 ? 1
									      : 0;
	for (int r = 0; r < np; r++) {
		allot_plan_free(p);
		p = NULL;
		double a = now(), b = cpu();
		rc = allot_plan_run(s, &o, &p);
		t[r] = now() - a;
		u[r] = cpu() - b;
		if (rc != ALLOT_OK)
			return fail("plan", rc, &d);
	}
	if (all || strcmp(only, "plan") == 0) {
		snprintf(extra, sizeof extra, "%zu orders, %zu allocation rows (%s)", s->n_orders,
			 p->n_allocs, allot_policy_kind_name(o.policy));
		report("plan", t, u, runs, extra);
	}

	if (all || strcmp(only, "write") == 0) {
		for (int r = 0; r < runs; r++) {
			double a = now(), b = cpu();
			rc = allot_plan_write(p, out);
			t[r] = now() - a;
			u[r] = cpu() - b;
			if (rc != ALLOT_OK)
				return fail("write", rc, &d);
		}
		snprintf(extra, sizeof extra,
			 "allocations.csv %.1f MB + orders_out.csv %.1f MB, each synced",
			 file_mb(out, "allocations.csv"), file_mb(out, "orders_out.csv"));
		report("write", t, u, runs, extra);
	}

	if (all || strcmp(only, "store") == 0) {
		for (int r = 0; r < runs; r++) {
			char side[4300];
			unlink(db);
			snprintf(side, sizeof side, "%s-wal", db);
			unlink(side);
			snprintf(side, sizeof side, "%s-shm", db);
			unlink(side);
			struct allot_store *st = NULL;
			rc = allot_store_open(db, &st, &d);
			if (rc != ALLOT_OK)
				return fail("store open", rc, &d);
			double a = now(), b = cpu();
			rc = allot_store_put_scenario(st, "bench", s, &d);
			t[r] = now() - a;
			u[r] = cpu() - b;
			allot_store_close(st);
			if (rc != ALLOT_OK)
				return fail("store", rc, &d);
		}
		snprintf(extra, sizeof extra, "%zu orders into a fresh store, %.1f MB", s->n_orders,
			 file_mb(dir, "bench.db"));
		report("store", t, u, runs, extra);
	}

	/* putplan: `allot plan --db`, the plan's runs row, allocation rows and
	 * order results into the store the last store run left (each run
	 * deleted again, untimed, so that every put finds the same store) */
	if (p && (all || strcmp(only, "putplan") == 0)) {
		struct allot_store *st = NULL;
		if (!all) { /* the scenario is not stored yet */
			rc = allot_store_open(db, &st, &d);
			if (rc == ALLOT_OK)
				rc = allot_store_put_scenario(st, "bench", s, &d);
			allot_store_close(st);
			if (rc != ALLOT_OK)
				return fail("store", rc, &d);
		}
		for (int r = 0; r < runs; r++) {
			int64_t run = 0;
			rc = allot_store_open(db, &st, &d);
			if (rc != ALLOT_OK)
				return fail("store open", rc, &d);
			double a = now(), b = cpu();
			rc = allot_store_put_plan(st, "bench", p, &run, &d);
			t[r] = now() - a;
			u[r] = cpu() - b;
			if (rc == ALLOT_OK)
				rc = allot_store_delete_run(st, run, &d);
			allot_store_close(st);
			if (rc != ALLOT_OK)
				return fail("putplan", rc, &d);
		}
		snprintf(extra, sizeof extra,
			 "%zu allocation rows + %zu order results into the store (one run)",
			 p->n_allocs, s->n_orders);
		report("putplan", t, u, runs, extra);
	}
	allot_plan_free(p);
	allot_scenario_free(s);
	free(t);
	free(u);
	allot_diags_free(&d);
	if (own)
		rm_rf(dir);
	return 0;
}
