/*
 * cmd_catalog.c - `allot catalog`: the priority sales catalog as capacity.
 * For each catalog system and calendar year: its line's foreign capacity,
 * the backlog the signed orders commit on it (from a plan) and the open
 * slots left, with the policy's minimum tier and the requests waiting
 * (docs/case-process.md).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot catalog DIR | --db FILE [--scenario NAME] [--policy P]\n"
		"                     [--switch YYYY-MM] [--years N] [--top N | --all]\n"
		"                     [--csv | --json]\n"
		"\n"
		"Lists the systems marked catalog in systems.csv (every system when none is)\n"
		"with, for each calendar year from as_of, their line's capacity for foreign\n"
		"orders (rate less the US share, summed over the year's months in the\n"
		"horizon), the units the signed orders use on it in a plan (committed) and\n"
		"the open slots left.  Systems on one line share its figures.  min_tier is\n"
		"the policy's gate (policy.json cases.min_tier; none: 'n/a' in the text,\n"
		"empty in CSV, null in JSON): under the priority policy a request from a\n"
		"worse tier is held.  requests and requested_units count requests.csv\n"
		"rows for the system.\n"
		"The text opens with a summary and shows one row per system with its open\n"
		"slots per year, most open slots first (--top N systems, default 15, or\n"
		"--all); --csv and --json give every system and year with capacity and\n"
		"committed units.\n"
		"\n"
		"options:\n"
		"  --db FILE         read the scenario from a store instead of DIR\n"
		"  --scenario NAME   which stored scenario (default: the only one, or default)\n"
		"  --policy P        plan the orders under fcfs or priority (default priority)\n"
		"  --switch YYYY-MM  month the priority rule takes over (default: scenario's)\n"
		"  --years N         at most N calendar years (default 5; 0: the horizon)\n"
		"  --top N, --all    text: the N systems with most open slots, or all\n"
		"  --csv, --json     machine-readable output\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot catalog data/default\n"
		"  allot catalog --db allot.db --years 3 --csv\n");
}

static int64_t total_open(const struct allot_catalog *c, size_t i)
{
	int64_t sum = 0;
	for (int k = 0; k < c->n_years; k++)
		sum += c->rows[i].years[k].open;
	return sum;
}

static const struct allot_catalog *sort_cat;

static int by_open(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int64_t ox = total_open(sort_cat, x), oy = total_open(sort_cat, y);
	if (ox != oy)
		return ox > oy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* One row per system: open slots by year, most open first. */
static int print_summary(const struct allot_scenario *s, const struct allot_catalog *c, long top)
{
	size_t *idx = calloc(c->n + 1, sizeof *idx);
	if (!idx)
		return EXIT_RUNTIME;
	int64_t open = 0;
	size_t with_open = 0;
	for (size_t i = 0; i < c->n; i++) {
		idx[i] = i;
		int64_t o = total_open(c, i);
		with_open += o > 0;
		/* Systems on one line share its slots: count each line once. */
		size_t j = 0;
		while (j < i &&
		       s->systems[c->rows[j].system].line != s->systems[c->rows[i].system].line)
			j++;
		if (j == i)
			open += o;
	}
	sort_cat = c;
	qsort(idx, c->n, sizeof *idx, by_open);
	char b[32], yb[ALLOT_STYLE_YEARS_MAX];
	printf("%zu system%s, %zu with open slots: %s unit%s of foreign capacity not yet\n"
	       "committed in %s (each line counted once)\n\n",
	       c->n, c->n == 1 ? "" : "s", with_open, allot_style_count(open, b),
	       open == 1 ? "" : "s",
	       allot_style_years(c->first_year, c->first_year + c->n_years - 1, yb));
	/* 'basis' after the line when some line states its rate basis: the
	 * capacity and open slots rest on the line's rate */
	int basis = allot_scenario_has_rate_basis(s), f = 4 + basis;
	int nc = f + (c->n_years < 8 ? c->n_years : 8);
	const char *head[13] = { "system", "line", "basis", "min_tier", "open" };
	int num[13] = { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	if (!basis) {
		memmove(head + 2, head + 3, 2 * sizeof *head);
		memmove(num + 2, num + 3, 10 * sizeof *num);
	}
	char years[8][8];
	for (int k = 0; k + f < nc; k++) {
		snprintf(years[k], sizeof years[k], "%d", c->first_year + k);
		head[f + k] = years[k];
	}
	struct cli_table *t = cli_table_new(nc, head, num);
	size_t n = top > 0 && (size_t)top < c->n ? (size_t)top : c->n;
	for (size_t j = 0; j < n; j++) {
		const struct allot_catalog_row *r = &c->rows[idx[j]];
		const struct allot_system *y = &s->systems[r->system];
		char clip[128];
		cli_table_add(t, cli_clip(y->system_id, 18, clip, sizeof clip));
		cli_table_add(t, cli_clip(s->lines[y->line].line_id, 18, clip, sizeof clip));
		if (basis)
			cli_table_add(t, cli_rate_basis_text(s, r->system));
		if (r->min_tier)
			cli_table_addf(t, "%d", r->min_tier);
		else /* no gate */
			cli_table_add(t, ALLOT_SYM_NA);
		cli_table_addf(t, "%lld", (long long)total_open(c, idx[j]));
		for (int k = 0; k + f < nc; k++)
			cli_table_addf(t, "%lld", (long long)r->years[k].open);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	if (n < c->n)
		printf("... %zu more system%s (--all); capacity and committed units by year: "
		       "--csv or --json\n",
		       c->n - n, c->n - n == 1 ? "" : "s");
	if (nc - f < c->n_years)
		printf("(the first 8 years shown; --csv or --json for all %d)\n", c->n_years);
	free(idx);
	return EXIT_OK;
}

static void print(const struct allot_scenario *s, const struct allot_catalog *c,
		  enum cli_format fmt)
{
	static const char *const head[] = {
		"system_id", "line_id",  "min_tier",  "requests", "requested_units", "year",
		"months",    "capacity", "committed", "open",     "rate_basis",
	};
	static const int numeric[] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, CLI_COL_NULLABLE };
	int basis = allot_scenario_has_rate_basis(s); /* capacity rests on the line's rate */
	struct cli_table *t = cli_table_new(10 + basis, head, numeric);
	for (size_t i = 0; i < c->n; i++) {
		const struct allot_catalog_row *r = &c->rows[i];
		const struct allot_system *y = &s->systems[r->system];
		for (int k = 0; k < c->n_years; k++) {
			const struct allot_catalog_year *v = &r->years[k];
			cli_table_add(t, y->system_id);
			cli_table_add(t, s->lines[y->line].line_id);
			if (r->min_tier)
				cli_table_addf(t, "%d", r->min_tier);
			else
				cli_table_add(t, "");
			cli_table_addf(t, "%zu", r->requests);
			cli_table_addf(t, "%lld", (long long)r->requested_units);
			cli_table_addf(t, "%d", v->year);
			cli_table_addf(t, "%d", v->months);
			cli_table_addf(t, "%lld", (long long)v->capacity);
			cli_table_addf(t, "%lld", (long long)v->committed);
			cli_table_addf(t, "%lld", (long long)v->open);
			if (basis)
				cli_table_add(t, cli_rate_basis(s, r->system));
		}
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
}

struct catalog_args {
	struct cli_common o;
	struct allot_plan_options po;
	int years;
	long top;
};

static int opt_years(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	char *end;
	long v = strtol(arg, &end, 10);
	if (*arg && !*end && v >= 0 && v <= 100) {
		((struct catalog_args *)args)->years = (int)v;
		return 0;
	}
	fprintf(stderr, "allot %s: expected a number of years 0..100 after --years, found '%s'\n",
		cmd, arg);
	return -1;
}

static const struct cli_opt catalog_opts[] = {
	CLI_OPT_POLICY(struct catalog_args, po.policy),
	CLI_OPT_SWITCH(struct catalog_args, po.switch_month),
	CLI_OPT_FN("years", opt_years),
	CLI_OPT_COUNT("top", struct catalog_args, top, 1, 1000000, "a count >= 1"),
	CLI_OPT_SET("all", struct catalog_args, top, 0),
	{ 0 },
};
static const struct cli_spec catalog_spec = {
	"catalog", usage, catalog_opts, CLI_SOURCE | CLI_FORMAT, 0, NULL
};

int cmd_catalog(int argc, char **argv)
{
	struct catalog_args a = { .o.fmt = CLI_TEXT, .years = 5, .top = 15 };
	allot_plan_options_init(&a.po);
	a.po.policy = ALLOT_POLICY_PRIORITY;
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&catalog_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	const struct cli_common o = a.o;
	struct allot_plan_options po = a.po;
	int years = a.years;
	long top = a.top;
	struct allot_plan *p = NULL;
	struct allot_catalog *cat = NULL;
	int st = allot_plan_run(s, &po, &p);
	if (st == ALLOT_OK)
		st = allot_catalog_run(p, years, &cat);
	if (st != ALLOT_OK) {
		fprintf(stderr, "allot catalog: %s\n", allot_strerror(st));
		rc = cli_exit_code(st);
	} else {
		if (o.fmt == CLI_TEXT)
			printf("%s systems: open slots by year\n(capacity for foreign orders "
			       "less the backlog committed on it, plan: %s)\n",
			       cat->catalog_only ? "Catalog" : "No system is marked catalog; all",
			       allot_policy_kind_name(po.policy));
		if (o.fmt == CLI_TEXT)
			rc = print_summary(s, cat, top);
		else
			print(s, cat, o.fmt);
	}
	allot_catalog_free(cat);
	allot_plan_free(p);
	allot_scenario_free(s);
	return rc;
}
