/*
 * cmd_backtest.c - `allot backtest`: the dataset rebuilt as it stood at an
 * earlier January, planned first come, first served, against the
 * deliveries SIPRI records since (docs/backtest.md).  The work is in
 * lib/answers/backtest.c; this file reads options and prints.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot backtest [--as-of YYYY-01] [--to YEAR] [--data DIR]\n"
		     "                      [--top N] [--out DIR] [--csv | --json]\n"
		     "                      [--book-share RULE[,pooled][,wip][,then-all]]\n"
		     "\n"
		     "An out-of-sample test of the model against what really happened.  The\n"
		     "bundled dataset is rebuilt by the converter's own rules as it stood at\n"
		     "the as-of month: orders placed before it and not fully delivered by then,\n"
		     "line rates from SIPRI deliveries of the five years before it and cited\n"
		     "rates dated before it, events dated before it.  That book is planned\n"
		     "first come, first served (the rule before 2026-02) and compared with the\n"
		     "deliveries the SIPRI register records from the as-of year to YEAR:\n"
		     "\n"
		     "  - completed orders (every unit delivered by YEAR in the register): the\n"
		     "    share whose planned completion year is within +-1 year of the last\n"
		     "    recorded delivery year, and the mean absolute error in years;\n"
		     "  - every order: units delivered per year by system and by partner,\n"
		     "    planned against recorded (SIPRI's units of each year from its\n"
		     "    per-year export to 2023, else a record's units spread evenly over\n"
		     "    its listed delivery years).\n"
		     "\n"
		     "Goals (docs/backtest.md): >= 70 %% of completed orders within +-1 year,\n"
		     "mean absolute error < 1 year, yearly units within +-25 %% for the 20\n"
		     "systems with most recorded units.\n"
		     "\n"
		     "options:\n"
		     "  --as-of YYYY-01  the date of the book, a January up to 2025-01\n"
		     "                   (default: 2020-01)\n"
		     "  --to YEAR        last year compared (default: 2024, the register's last)\n"
		     "  --data DIR       the directory holding raw/, sources/ and mappings/\n"
		     "                   (default: data in the current directory, else the\n"
		     "                   source tree's)\n"
		     "  --top N          rows of the worst-systems and worst-partners lists\n"
		     "                   (default: 10)\n"
		     "  --out DIR        also write backtest_orders.csv, backtest_systems.csv,\n"
		     "                   backtest_partners.csv, backtest_summary.csv and\n"
		     "                   backtest_breakdown.csv (where the error lies)\n"
		     "  --csv            the per-system table as CSV (backtest_systems.csv rows)\n"
		     "  --json           everything as one JSON document\n"
		     "  --book-share RULE  an experiment (docs/backtest.md, \"The book's share\n"
		     "                   of a line\"): the book gets only a measured share of\n"
		     "                   each line's output in the years after as_of, for the\n"
		     "                   orders placed after it; RULE delivered, capacity,\n"
		     "                   taken or need, then any of pooled (one curve for\n"
		     "                   every line), wip (the work in progress only) and\n"
		     "                   then-all (the whole output after the measured years);\n"
		     "                   off (the default) is the bundled rule, in which a\n"
		     "                   contract SIPRI records delivering in 2+ years before\n"
		     "                   as_of keeps its own recorded pace (docs/backtest.md,\n"
		     "                   \"A started contract's own pace\"; own-pace, its\n"
		     "                   name as an experiment, still means off); the text,\n"
		     "                   --json and --out's backtest_summary.csv name the\n"
		     "                   experiment (book_share), --csv says it on stderr\n"
		     "  -h, --help       show this help\n"
		     "\n"
		     "examples:\n"
		     "  allot backtest                         # 2020-01 against 2020-2024\n"
		     "  allot backtest --as-of 2018-01 --to 2021\n"
		     "  allot backtest --out backtest/ --json > backtest.json\n"
		     "  allot backtest --book-share need,pooled  # a variant of the converter\n"
		     "\n"
		     "exit status: 0 ok (whether or not the goals are met), 1 runtime failure,\n"
		     "2 bad usage or bad input data.\n");
}

struct bt_args {
	struct allot_backtest_options o;
	const char *data, *out;
	int top;
	enum cli_format fmt;
};

static int opt_book_share(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	struct bt_args *a = args;
	return cli_book_share(cmd, arg, &a->o.book_share) != 0 ? -1 : 0;
}

static const struct cli_opt bt_opts[] = {
	CLI_OPT_FN("book-share", opt_book_share),
	CLI_OPT_MONTH("as-of", struct bt_args, o.as_of),
	CLI_OPT_YEAR("to", struct bt_args, o.year_to),
	CLI_OPT_STR("data", struct bt_args, data),
	CLI_OPT_STR("out", struct bt_args, out),
	CLI_OPT_COUNT("top", struct bt_args, top, 1, 10000, "a whole number >= 1"),
	{ 0 },
};
static const struct cli_spec bt_spec = { "backtest", usage, bt_opts, CLI_FORMAT, 0, NULL };

static int parse(int argc, char **argv, struct bt_args *a)
{
	struct cli_common c = { .fmt = a->fmt };
	int rc = cli_parse(&bt_spec, argc, argv, a, &c);
	a->fmt = c.fmt;
	return rc;
}

static void pct_cell(struct cli_table *t, int64_t planned, int64_t recorded)
{
	if (recorded == 0)
		cli_table_add(t, planned ? "n/a" : "0 %");
	else {
		char b[32];
		cli_table_addf(
			t, "%s %%",
			allot_fmt_delta(100.0 * (double)(planned - recorded) / (double)recorded, 0,
					b));
	}
}

/* The top systems: recorded and planned units per year (the text face of
 * allot_backtest_group_columns; --csv writes them whole). */
static void print_systems(const struct allot_backtest *b)
{
	int ny = b->n_years > 8 ? 8 : b->n_years;
	const char *head[16];
	char years[8][16];
	int num[16];
	int nc = 0;
	head[nc] = "system", num[nc++] = 0;
	head[nc] = "recorded", num[nc++] = 1;
	head[nc] = "planned", num[nc++] = 1;
	head[nc] = "error", num[nc++] = 1;
	for (int y = 0; y < ny; y++) {
		snprintf(years[y], sizeof years[y], "%d r/p", b->year_from + y);
		head[nc] = years[y], num[nc++] = 1;
	}
	head[nc] = "years ok", num[nc++] = 1;
	head[nc] = "done", num[nc++] = 1;
	head[nc] = "mae", num[nc++] = 1;
	struct cli_table *t = cli_table_new(nc, head, num);
	for (size_t i = 0; i < b->n_systems && b->systems[i].top; i++) {
		const struct allot_backtest_group *g = &b->systems[i];
		cli_table_add(t, g->id);
		cli_table_addf(t, "%lld", (long long)g->recorded_total);
		cli_table_addf(t, "%lld", (long long)g->planned_total);
		pct_cell(t, g->planned_total, g->recorded_total);
		for (int y = 0; y < ny; y++)
			cli_table_addf(t, "%lld/%lld", (long long)g->recorded[y],
				       (long long)g->planned[y]);
		cli_table_addf(t, "%d/%d", g->years_within, b->n_years);
		cli_table_addf(t, "%zu/%zu", g->n_within, g->n_completed);
		if (g->n_completed)
			cli_table_addf(t, "%.2f", g->mae_years);
		else
			cli_table_add(t, "-");
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
}

/* Systems or partners by the sum of |error| over their completed orders. */
static void print_worst(const struct allot_backtest *b, int top, int systems)
{
	const struct allot_backtest_group **v = calloc((size_t)top, sizeof *v);
	if (!v)
		return;
	size_t n = allot_backtest_worst(b, systems, (size_t)top, v);
	static const char *const head[] = { "",        "completed",   "within 1y",
					    "mae",     "sum |error|", "recorded",
					    "planned", "error" };
	const char *h[8];
	memcpy(h, head, sizeof h);
	h[0] = systems ? "system" : "partner";
	static const int num[] = { 0, 1, 1, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(8, h, num);
	for (size_t i = 0; i < n; i++) {
		cli_table_add(t, v[i]->id);
		cli_table_addf(t, "%zu", v[i]->n_completed);
		cli_table_addf(t, "%zu", v[i]->n_within);
		cli_table_addf(t, "%.2f", v[i]->mae_years);
		cli_table_addf(t, "%.0f", v[i]->abs_error_years);
		cli_table_addf(t, "%lld", (long long)v[i]->recorded_total);
		cli_table_addf(t, "%lld", (long long)v[i]->planned_total);
		pct_cell(t, v[i]->planned_total, v[i]->recorded_total);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	free(v);
}

/* The completed orders by group (docs/backtest.md, "Where the error lies"). */
static void print_breakdown(const struct allot_backtest *b)
{
	static const char *const head[] = { "by",  "group", "completed", "within 1y", "share",
					    "mae", "bias",  "early 2y",  "late 2y" };
	static const int num[] = { 0, 0, 1, 1, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(9, head, num);
	for (size_t i = 0; i < b->n_breakdown; i++) {
		const struct allot_backtest_cell *c = &b->breakdown[i];
		cli_table_add(t, i > 0 && strcmp(b->breakdown[i - 1].by, c->by) == 0 ? "" : c->by);
		cli_table_add(t, c->group);
		cli_table_addf(t, "%zu", c->n_completed);
		cli_table_addf(t, "%zu", c->n_within);
		cli_table_addf(t, "%.1f %%", 100.0 * (double)c->n_within / (double)c->n_completed);
		cli_table_addf(t, "%.2f", c->mae_years);
		cli_table_addf(t, "%+.2f", c->bias_years);
		cli_table_addf(t, "%zu", c->n_early);
		cli_table_addf(t, "%zu", c->n_late);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
}

static void print_text(const struct allot_backtest *b, int top)
{
	char m[8];
	allot_month_format(b->as_of, m);
	char yb[ALLOT_STYLE_YEARS_MAX];
	allot_style_years(b->year_from, b->year_to, yb);
	printf("Backtest: the %zu orders in the book as of %s planned first come, first served,\n"
	       "against the deliveries SIPRI records for %s (docs/backtest.md).\n\n",
	       b->n_orders, m, yb);
	if (b->book_share[0])
		printf("Experiment --book-share %s: the book gets only its measured share of each\n"
		       "line's output after the as-of month, an estimate (docs/backtest.md, \"The\n"
		       "book's share of a line\"; not the bundled rule).\n\n",
		       b->book_share);
	/* the one headline: the report's backtest headline and finding say the
	 * same, in one line; here wrapped for the terminal */
	char h[ALLOT_BACKTEST_HEADLINE_MAX];
	allot_backtest_headline(b, h, sizeof h);
	struct buf w;
	buf_init(&w, 0);
	buf_wrap(&w, h, 80);
	printf("%s\n\n", w.err || !w.v ? h : w.v);
	buf_free(&w);
	printf("Systems with most recorded units, %s (r/p: recorded/planned units;\n"
	       "years ok: years within +-25 %%; done: completed orders within +-1 year):\n",
	       yb);
	print_systems(b);
	printf("\nWorst systems (sum over completed orders of |planned - recorded| years):\n");
	print_worst(b, top, 1);
	printf("\nWorst partners:\n");
	print_worst(b, top, 0);
	printf("\nWhere the error lies: completed orders by supply type, years from order to\n"
	       "as_of, units ordered, units delivered before as_of, line rate basis and recorded\n"
	       "completion year (bias: mean planned - recorded; early/late 2y: planned 2+ years\n"
	       "early/late):\n");
	print_breakdown(b);
}

int cmd_backtest(int argc, char **argv)
{
	struct bt_args a;
	memset(&a, 0, sizeof a);
	allot_backtest_options_init(&a.o);
	a.top = 10;
	int rc = parse(argc, argv, &a);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	struct allot_backtest *b = NULL;
	if ((rc = cli_backtest("backtest", a.data, &a.o, &b)) != EXIT_OK)
		return rc;
	int lrc = ALLOT_OK, ex = EXIT_OK;
	if (a.out && allot_backtest_write(b, a.out) != ALLOT_OK) {
		fprintf(stderr, "allot backtest: %s: cannot write the CSV files\n", a.out);
		ex = EXIT_RUNTIME;
	}
	if (a.fmt == CLI_JSON)
		lrc = allot_backtest_write_json(b, stdout);
	else if (a.fmt == CLI_CSV) {
		if (b->book_share[0]) /* the rows carry no summary: say it beside them */
			fprintf(stderr,
				"allot backtest: these rows are the experiment --book-share %s, "
				"not the bundled rules (docs/backtest.md)\n",
				b->book_share);
		lrc = allot_backtest_write_csv(b, ALLOT_BACKTEST_SYSTEMS, stdout);
	} else
		print_text(b, a.top);
	if (lrc != ALLOT_OK)
		ex = EXIT_RUNTIME;
	allot_backtest_free(b);
	return ex;
}
