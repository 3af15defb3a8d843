/*
 * cmd_sweep.c - `allot sweep`: Monte Carlo over a scenario.  Each run draws
 * the inputs named by --vary (policy weights, line rates, mineral supply,
 * an embargo, budget caps), plans them, and the sweep reports per order the
 * P10/P50/P90 completion month and per partner the probability of each tier
 * and the spread of its mean wait (docs/scaling.md).
 *
 * Runs spread over --threads threads; built with -DALLOT_WITH_MPI (cmake
 * -DALLOT_MPI=ON, the allot-mpi binary) they also spread over the ranks of
 * `mpirun`: rank r plans runs r, r + K, ..., rank 0 gathers every run's row
 * and writes the same bytes as a single process with the same seed.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef ALLOT_WITH_MPI
#include <mpi.h>
#endif

#include "cli.h"

#define MAX_VARY    16
#define SHOW_ORDERS 20

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot sweep DIR | --db FILE [--scenario NAME] --runs N --vary SPEC...\n"
		"                   [--seed S] [--threads N] [--policy fcfs|priority]\n"
		"                   [--switch YYYY-MM] [--out DIR] [--csv | --json]\n"
		"\n"
		"Plans the scenario N times, each time with the inputs named by --vary drawn\n"
		"anew, and reports how sure each result is: for every order the P10, P50 and\n"
		"P90 completion month, for every partner the probability of each tier and\n"
		"the spread of its mean wait.  Run i draws from its own stream of (seed, i),\n"
		"so the same seed gives the same bytes on any number of threads or ranks.\n"
		"\n"
		"SPEC (several --vary allowed; the grammar is in docs/scaling.md):\n"
		"  weights:dirichlet=A   policy weights ~ Dirichlet around the policy's,\n"
		"                        concentration A (larger = closer to the policy)\n"
		"  rates:X%%              each line's rate (and its capacity events) x U(1-X, 1+X)\n"
		"  supply:X%%             each mineral supply row x U(1-X, 1+X)\n"
		"  caps:X%%               each budget_cap event's value x U(1-X, 1+X)\n"
		"  embargo:SOURCE:start=YYYY-MM..YYYY-MM,months=M..N[,mineral=ID]\n"
		"                        adds an embargo on SOURCE (every mineral, or ID),\n"
		"                        first month and length drawn uniformly; also\n"
		"  embargo:SOURCE[:MINERAL]@YYYY-MM..YYYY-MM+M..N\n"
		"                        the same in the grammar of allot whatif --embargo\n"
		"                        (docs/whatif.md), each end a single value or A..B\n"
		"\n"
		"options:\n"
		"  --runs N          number of runs (default 1000)\n"
		"  --vary SPEC       what varies (at least one)\n"
		"  --seed S          seed, 0..2^64-1 (default 1)\n"
		"  --threads N       threads (default: every online core)\n"
		"  --policy P        fcfs or priority (default: priority)\n"
		"  --switch YYYY-MM  months before this use fcfs (default: the scenario's)\n"
		"  --out DIR         write sweep_orders.csv, sweep_partners.csv, sweep.json\n"
		"  --db FILE         read the scenario from a store (--scenario NAME)\n"
		"  --csv             every figure as a long table section,key,metric,value\n"
		"  --json            every figure as sweep.json has them\n"
		"  -h, --help        show this help\n"
		"\n"
		"A percentile that falls among runs where the order is not complete within\n"
		"the horizon prints as 'after' (empty in CSV, null in JSON).\n"
		"\n"
		"examples:\n"
		"  allot sweep data/default --runs 10000 --vary weights:dirichlet=50 --out sweep\n"
		"  allot sweep data/default --runs 2000 --vary rates:10%% --vary supply:20%% \\\n"
		"      --vary embargo:china:start=2026-01..2027-12,months=6..36\n"
		"  mpirun -np 4 allot-mpi sweep data/default --runs 100000 --vary caps:30%%\n");
}

struct sweep_args {
	struct cli_common o;
	struct allot_vary vary[MAX_VARY];
	size_t n_vary;
	struct allot_sweep_options so;
	const char *out;
};

static int parse_count(const char *opt, const char *arg, unsigned long long lo,
		       unsigned long long hi, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 10);
	if (!*arg || *end || errno || arg[0] == '-' || v < lo || v > hi) {
		fprintf(stderr,
			"allot sweep: %s takes a whole number from %llu to %llu, not '%s'\n", opt,
			lo, hi, arg);
		return EXIT_USAGE;
	}
	*out = v;
	return EXIT_OK;
}

static int add_vary(struct sweep_args *a, const char *spec)
{
	if (a->n_vary == MAX_VARY) {
		fprintf(stderr, "allot sweep: at most %d --vary options\n", MAX_VARY);
		return EXIT_USAGE;
	}
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_vary *v = &a->vary[a->n_vary];
	int rc = allot_vary_parse(spec, v, &d);
	if (rc != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		allot_diags_free(&d);
		return EXIT_USAGE;
	}
	allot_diags_free(&d);
	for (size_t i = 0; i < a->n_vary; i++)
		if (v->kind != ALLOT_VARY_EMBARGO && a->vary[i].kind == v->kind) {
			char first[256];
			allot_vary_format(&a->vary[i], first, sizeof first);
			fprintf(stderr,
				"--vary %s: expected each of weights, rates, supply and caps "
				"once, found a second after --vary %s\n",
				spec, first);
			return EXIT_USAGE;
		}
	a->n_vary++;
	return EXIT_OK;
}

/* The option op->min names ('r' for --runs ...). */
static int opt_own(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	struct sweep_args *a = args;
	int c = (int)op->min;
	unsigned long long v;
	int rc = EXIT_OK;
	switch (c) {
	case 'r':
		if ((rc = parse_count("--runs", arg, 1, 100000000, &v)) == EXIT_OK)
			a->so.runs = (size_t)v;
		return rc;
	case 's':
		if ((rc = parse_count("--seed", arg, 0, UINT64_MAX, &v)) == EXIT_OK)
			a->so.seed = v;
		return rc;
	case 't':
		if ((rc = parse_count("--threads", arg, 1, 1024, &v)) == EXIT_OK)
			a->so.threads = (int)v;
		return rc;
	case 'v':
		return add_vary(a, arg);
	case 'p':
		return cli_opt_policy("sweep", arg, &a->so.plan.policy) ? EXIT_USAGE : EXIT_OK;
	case 'w':
		return cli_opt_month("sweep", "switch", arg, &a->so.plan.switch_month) ? EXIT_USAGE
										       : EXIT_OK;
	}
	return cli_usage_error(cmd, "unknown option '--%s'", op->name);
}

/* opt_own's EXIT_USAGE is the failure cli_parse expects (not 0). */
/* A braced macro body: see cli.h, CLI_OPT_FLAG. */
/* clang-format off */
#define OWN_OPT(name, c) { name, CLI_T_FN, 0, 0, c, 0, NULL, opt_own }
/* clang-format on */
static const struct cli_opt sweep_opts[] = {
	OWN_OPT("runs", 'r'),
	OWN_OPT("vary", 'v'),
	OWN_OPT("seed", 's'),
	OWN_OPT("threads", 't'),
	OWN_OPT("policy", 'p'),
	OWN_OPT("switch", 'w'),
	CLI_OPT_STR("out", struct sweep_args, out),
	{ 0 },
};

static int check(void *args, struct cli_common *o)
{
	struct sweep_args *a = args;
	(void)o;
	if (a->n_vary == 0) {
		fprintf(stderr, "allot sweep: nothing varies: give at least one --vary SPEC "
				"(e.g. --vary weights:dirichlet=50; see allot sweep --help)\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
static const struct cli_spec sweep_spec = { "sweep", usage, sweep_opts, CLI_SOURCE | CLI_FORMAT,
					    0,       check };

/* Every SPEC against the scenario; a SPEC that varies nothing is worth a
 * warning, not a refusal (a script may sweep many scenarios alike). */
static int check_specs(const struct sweep_args *a, const struct allot_scenario *s)
{
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = ALLOT_OK;
	for (size_t i = 0; i < a->n_vary; i++) {
		if (allot_vary_check(&a->vary[i], s, &d) != ALLOT_OK) {
			rc = ALLOT_EINPUT;
			continue;
		}
		if (allot_vary_targets(&a->vary[i], s) == 0) {
			char spec[256];
			allot_vary_format(&a->vary[i], spec, sizeof spec);
			fprintf(stderr,
				"allot sweep: warning: --vary %s varies nothing in scenario %s\n",
				spec, s->name);
		}
	}
	allot_diags_print(&d, stderr);
	allot_diags_free(&d);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Output                                                                   */

static void print_head(const struct sweep_args *a, const struct allot_scenario *s,
		       const struct allot_sweep_result *r)
{
	char sw[8];
	allot_month_format(r->switch_month, sw);
	printf("sweep: scenario %s, policy %s", s->name, allot_policy_kind_name(r->policy));
	if (r->policy == ALLOT_POLICY_PRIORITY && r->switch_month != ALLOT_NO_MONTH &&
	    r->switch_month > s->as_of)
		printf(" (fcfs before %s)", sw);
	printf(", %zu runs, seed %llu\nvarying:", r->runs, (unsigned long long)r->seed);
	static const char *const what[] = { "weights", "lines", "supply rows", "budget caps",
					    "embargo" };
	for (size_t i = 0; i < a->n_vary; i++) {
		char spec[256];
		allot_vary_format(&a->vary[i], spec, sizeof spec);
		printf("%s %s", i ? "," : "", spec);
		if (a->vary[i].kind != ALLOT_VARY_EMBARGO)
			printf(" (%zu %s)", allot_vary_targets(&a->vary[i], s),
			       what[a->vary[i].kind]);
	}
	printf("\n");
}

static void print_partners(const struct allot_scenario *s, const struct allot_sweep_result *r)
{
	char m0[8];
	allot_month_format(s->as_of, m0);
	printf("\npartners: share of runs in each tier at %s, and mean wait in months\n"
	       "(P10 / P50 / P90 over runs; wait as in allot plan's summary)\n",
	       m0);
	const char *h[3 + ALLOT_MAX_TIERS + 3];
	int num[3 + ALLOT_MAX_TIERS + 3];
	char tier_h[ALLOT_MAX_TIERS][32];
	int nc = 0;
	h[nc] = "iso3", num[nc++] = 0;
	h[nc] = "name", num[nc++] = 0;
	for (size_t k = 0; k < r->n_tiers; k++) {
		snprintf(tier_h[k], sizeof tier_h[k], "tier%zu", k + 1);
		h[nc] = tier_h[k], num[nc++] = 1;
	}
	h[nc] = "wait_p10", num[nc++] = 1;
	h[nc] = "wait_p50", num[nc++] = 1;
	h[nc] = "wait_p90", num[nc++] = 1;
	struct cli_table *t = cli_table_new(nc, h, num);
	for (size_t p = 0; p < s->n_partners; p++) {
		const struct allot_sweep_partner *sp = &r->partners[p];
		cli_table_add(t, s->partners[p].iso3);
		cli_table_add(t, s->partners[p].name);
		for (size_t k = 0; k < r->n_tiers; k++)
			cli_table_addf(t, "%.3f", allot_sweep_tier_prob(r, p, k));
		double w[3] = { sp->wait_p10, sp->wait_p50, sp->wait_p90 };
		for (int i = 0; i < 3; i++) {
			if (isnan(w[i]))
				cli_table_add(t, "");
			else
				cli_table_addf(t, "%.1f", w[i]);
		}
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
}

/* Months from P10 to P90, an "after" counting as the horizon's end. */
static long spread_of(const struct allot_scenario *s, const struct allot_sweep_order *o)
{
	allot_month after = s->as_of + s->horizon_months;
	allot_month lo = o->p10 == ALLOT_NO_MONTH ? after : o->p10;
	allot_month hi = o->p90 == ALLOT_NO_MONTH ? after : o->p90;
	return o->runs ? (long)hi - lo : -1;
}

struct ranked {
	long spread;
	size_t i;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->spread != y->spread)
		return x->spread > y->spread ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

static void print_orders(const struct allot_scenario *s, const struct allot_sweep_result *r)
{
	size_t n = s->n_orders, every = 0, some = 0, open = 0, shown = 0;
	struct ranked *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct allot_sweep_order *o = &r->orders[i];
		v[i] = (struct ranked){ spread_of(s, o), i };
		if (o->runs == 0)
			continue;
		open++;
		every += o->complete == o->runs;
		some += o->complete > 0 && o->complete < o->runs;
	}
	qsort(v, n, sizeof *v, cmp_ranked);
	char end[8];
	allot_month_format(s->as_of + s->horizon_months - 1, end);
	printf("\norders with units open: %zu; complete by %s in every run: %zu, in some runs: "
	       "%zu, in none: %zu\n",
	       open, end, every, some, open - every - some);
	static const char *const h[] = { "order_id", "iso3", "system_id", "p10",
					 "p50",      "p90",  "complete" };
	static const int num[] = { 0, 0, 0, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(7, h, num);
	for (size_t k = 0; k < n && shown < SHOW_ORDERS && v[k].spread > 0; k++, shown++) {
		const struct allot_order *o = &s->orders[v[k].i];
		const struct allot_sweep_order *so = &r->orders[v[k].i];
		char b[3][ALLOT_STYLE_MONTH_MAX];
		allot_month last = s->as_of + s->horizon_months - 1;
		cli_table_add(t, o->order_id);
		cli_table_add(t, s->partners[o->partner].iso3);
		cli_table_add(t, s->systems[o->system].system_id);
		cli_table_add(t, allot_style_month(so->p10, last, b[0]));
		cli_table_add(t, allot_style_month(so->p50, last, b[1]));
		cli_table_add(t, allot_style_month(so->p90, last, b[2]));
		cli_table_addf(t, "%.3f", (double)so->complete / (double)so->runs);
	}
	if (shown) {
		printf("the %zu with the widest P10..P90 spread of completion month ('after %s':\n"
		       "not complete within the horizon; every order: --out, --csv or --json)\n",
		       shown, end);
		cli_table_print(t, CLI_TEXT, stdout);
	} else {
		printf("no order's completion month spreads from P10 to P90\n");
	}
	cli_table_free(t);
	free(v);
}

/* --csv: one long table, section,key,metric,value (like allot plan --csv). */
static void csv_field(const char *v)
{
	if (strpbrk(v, ",\"\r\n") == NULL && v[0] != ' ' && (!*v || v[strlen(v) - 1] != ' ')) {
		fputs(v, stdout);
		return;
	}
	putchar('"');
	for (; *v; v++) {
		if (*v == '"')
			putchar('"');
		putchar(*v);
	}
	putchar('"');
}

static void csv_row(const char *section, const char *key, const char *metric, const char *value)
{
	printf("%s,", section);
	csv_field(key);
	printf(",%s,%s\n", metric, value);
}

static void csv_num(const char *section, const char *key, const char *metric, double v)
{
	char b[32] = "";
	if (!isnan(v))
		allot_fmt_double(v, b);
	csv_row(section, key, metric, b);
}

static void print_csv(const struct allot_scenario *s, const struct allot_sweep_result *r)
{
	printf("section,key,metric,value\n");
	csv_num("sweep", "all", "runs", (double)r->runs);
	printf("sweep,all,seed,%llu\n", (unsigned long long)r->seed);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_sweep_order *o = &r->orders[i];
		const char *id = s->orders[i].order_id;
		char b[8];
		csv_num("order", id, "runs", (double)o->runs);
		allot_month_format(o->p10, b);
		csv_row("order", id, "p10", b);
		allot_month_format(o->p50, b);
		csv_row("order", id, "p50", b);
		allot_month_format(o->p90, b);
		csv_row("order", id, "p90", b);
		csv_num("order", id, "complete", (double)o->complete);
		csv_num("order", id, "cancelled", (double)o->cancelled);
	}
	for (size_t p = 0; p < s->n_partners; p++) {
		const struct allot_sweep_partner *sp = &r->partners[p];
		const char *iso = s->partners[p].iso3;
		for (size_t k = 0; k < r->n_tiers; k++) {
			char m[32];
			snprintf(m, sizeof m, "p_tier%zu", k + 1);
			csv_num("partner", iso, m, allot_sweep_tier_prob(r, p, k));
		}
		csv_num("partner", iso, "wait_runs", (double)sp->wait_runs);
		csv_num("partner", iso, "wait_mean", sp->wait_mean);
		csv_num("partner", iso, "wait_p10", sp->wait_p10);
		csv_num("partner", iso, "wait_p50", sp->wait_p50);
		csv_num("partner", iso, "wait_p90", sp->wait_p90);
	}
}

/* ---------------------------------------------------------------------- */
/* Running: threads in this process, and MPI ranks when built with them     */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(size_t done, size_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\rallot sweep: %zu/%zu runs", done, total);
	if (done == total)
		fputc('\n', stderr);
}

#ifdef ALLOT_WITH_MPI
/* Bytes of one run's row: completions, tiers, waits. */
static size_t row_bytes(const struct allot_sweep_samples *sm)
{
	return sm->n_orders * sizeof *sm->completion + sm->n_partners * sizeof *sm->tier +
	       sm->n_partners * sizeof *sm->wait;
}

static void row_copy(struct allot_sweep_samples *sm, size_t run, unsigned char *buf, int pack)
{
	struct {
		void *base;
		size_t size;
	} part[3] = {
		{ sm->completion + run * sm->n_orders, sm->n_orders * sizeof *sm->completion },
		{ sm->tier + run * sm->n_partners, sm->n_partners * sizeof *sm->tier },
		{ sm->wait + run * sm->n_partners, sm->n_partners * sizeof *sm->wait },
	};
	for (int i = 0; i < 3; i++) {
		if (pack)
			memcpy(buf, part[i].base, part[i].size);
		else
			memcpy(part[i].base, buf, part[i].size);
		buf += part[i].size;
	}
}

/* Rank r > 0 sends the rows of its runs (r, r + K, ...) to rank 0, in
 * batches of whole rows under 256 MiB; rank 0 puts each where it belongs. */
static int gather(struct allot_sweep_samples *sm, int rank, int size)
{
	size_t rb = row_bytes(sm), step = (size_t)size;
	size_t per = rb ? ((size_t)256 << 20) / rb : 1;
	if (per == 0)
		per = 1;
	unsigned char *buf = malloc(per * (rb ? rb : 1));
	if (!buf)
		return ALLOT_ENOMEM;
	for (int r = 1; r < size; r++) {
		if (rank != 0 && rank != r)
			continue;
		for (size_t run = (size_t)r; run < sm->runs;) {
			size_t n = 0;
			for (size_t q = run; q < sm->runs && n < per; q += step, n++)
				if (rank == r)
					row_copy(sm, q, buf + n * rb, 1);
			if (rank == r)
				MPI_Send(buf, (int)(n * rb), MPI_BYTE, 0, 7, MPI_COMM_WORLD);
			else
				MPI_Recv(buf, (int)(n * rb), MPI_BYTE, r, 7, MPI_COMM_WORLD,
					 MPI_STATUS_IGNORE);
			for (size_t k = 0, q = run; rank == 0 && k < n; k++, q += step)
				row_copy(sm, q, buf + k * rb, 0);
			run += n * step;
		}
	}
	free(buf);
	return ALLOT_OK;
}
#endif

/* Under MPI, the worst status of every rank, so that all ranks take the
 * same branch; otherwise rc. */
static int agree(int rc)
{
#ifdef ALLOT_WITH_MPI
	int worst = 0;
	MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
	return worst;
#else
	return rc;
#endif
}

/* Plans this process's runs and, under MPI, brings every row to rank 0.
 * Every rank returns the same status. */
static int compute(const struct allot_scenario *s, struct allot_sweep_options *so,
		   struct allot_sweep_samples *sm, int rank, int size)
{
	so->first = (size_t)rank;
	so->step = (size_t)size;
	int rc = allot_sweep_samples_alloc(sm, s, so->runs);
	if (rc == ALLOT_OK)
		rc = allot_sweep_compute(s, so, sm);
	rc = agree(rc);
#ifdef ALLOT_WITH_MPI
	if (rc == ALLOT_OK && size > 1)
		rc = agree(gather(sm, rank, size));
#endif
	(void)rank;
	(void)size;
	return rc;
}

static int report(const struct sweep_args *a, const struct allot_scenario *s,
		  const struct allot_sweep_result *r)
{
	if (a->out) {
		int rc = allot_sweep_write(r, a->out);
		if (rc != ALLOT_OK) {
			fprintf(stderr, "allot sweep: cannot write to %s: %s\n", a->out,
				allot_strerror(rc));
			return rc;
		}
	}
	if (a->o.fmt == CLI_JSON) {
		allot_sweep_write_json(r, stdout);
	} else if (a->o.fmt == CLI_CSV) {
		print_csv(s, r);
	} else {
		print_head(a, s, r);
		print_partners(s, r);
		print_orders(s, r);
		if (a->out)
			printf("\nwrote %s/sweep_orders.csv, %s/sweep_partners.csv and %s/sweep.json\n",
			       a->out, a->out, a->out);
	}
	return ALLOT_OK;
}

/* one_thread: the MPI library allows no thread beside the one calling it
 * (cmd_sweep): plan on one thread, whatever --threads says. */
static int sweep(int argc, char **argv, int rank, int size, int one_thread)
{
	struct sweep_args a;
	memset(&a, 0, sizeof a);
	allot_sweep_options_init(&a.so);
	int rc = cli_parse(&sweep_spec, argc, argv, &a, &a.o);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if (one_thread) {
		a.so.threads = 1;
		a.so.plan.threads = 1;
	}
	struct allot_scenario *s = NULL;
	if ((rc = agree(cli_load(&a.o.src, &s))) != EXIT_OK) {
		allot_scenario_free(s);
		return rc;
	}
	struct allot_sweep_samples sm = { 0 };
	struct allot_sweep_result *r = NULL;
	int lrc = check_specs(&a, s);
	if (lrc != ALLOT_OK)
		goto done;
	a.so.vary = a.vary;
	a.so.n_vary = a.n_vary;
	if (rank == 0 && cli_progress_enabled() && !one_thread) /* one_thread: no ticking thread */
		a.so.progress = progress;
	double t0 = now();
	if ((lrc = compute(s, &a.so, &sm, rank, size)) != ALLOT_OK) {
		fprintf(stderr, "allot sweep: %s\n", allot_strerror(lrc));
		goto done;
	}
	if (rank != 0)
		goto done;
	double secs = now() - t0;
	if (cli_progress_enabled())
		fprintf(stderr, "allot sweep: %zu runs in %.2f s (%.0f runs/s)\n", a.so.runs, secs,
			secs > 0 ? (double)a.so.runs / secs : 0);
	if ((lrc = allot_sweep_summarise(s, &a.so, &sm, &r)) != ALLOT_OK) {
		fprintf(stderr, "allot sweep: %s\n", allot_strerror(lrc));
		goto done;
	}
	lrc = report(&a, s, r);
done:
	allot_sweep_result_free(r);
	allot_sweep_samples_free(&sm);
	allot_scenario_free(s);
	return cli_exit_code(lrc);
}

/* Under MPI only this (the main) thread calls MPI; the sweep's workers and
 * the planner's second thread (lib/plan_thread.c) never do, so the level
 * needed is MPI_THREAD_FUNNELED.  An MPI that provides less (SINGLE) gets
 * one planning thread per rank, and rank 0 says so. */
int cmd_sweep(int argc, char **argv)
{
#ifdef ALLOT_WITH_MPI
	int rank = 0, size = 1, provided = MPI_THREAD_SINGLE;
	if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
		return EXIT_RUNTIME;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	int one_thread = provided < MPI_THREAD_FUNNELED;
	if (one_thread && rank == 0)
		fprintf(stderr,
			"allot sweep: the MPI library provides MPI_THREAD_SINGLE, not "
			"MPI_THREAD_FUNNELED: each rank plans on one thread (--threads 1)\n");
	/* Every rank parses and loads the same; only rank 0 speaks.  A rank
	 * that cannot be silenced fails every rank (a rank that left alone
	 * would leave the others waiting in their first collective call), and
	 * every rank finalizes. */
	int bad = rank != 0 &&
		  (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr));
	int rc = agree(bad) ? EXIT_RUNTIME : EXIT_OK;
	if (rc && rank == 0)
		fprintf(stderr, "allot sweep: a rank could not send its output to /dev/null\n");
	if (!rc)
		rc = sweep(argc, argv, rank, size, one_thread);
	MPI_Finalize();
	return rc;
#else
	return sweep(argc, argv, 0, 1, 0);
#endif
}
