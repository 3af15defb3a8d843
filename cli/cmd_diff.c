/*
 * cmd_diff.c - `allot diff`: per order, the change in completion month
 * between two plans (two stored runs, or two `allot plan --out`
 * directories), and the schedule-stability figures: mean absolute change
 * and the share of orders moved more than six months (allot_diff_run;
 * docs/answers.md).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot diff RUN_A RUN_B --db FILE\n"
		     "       allot diff DIR_A DIR_B [--end YYYY-MM]\n"
		     "                  [--all] [--top N] [--csv | --json]\n"
		     "\n"
		     "Compares two plans order by order: the change in each order's completion\n"
		     "month (B - A; > 0 completes later in B), and the schedule-stability\n"
		     "figures: the mean absolute change in months and the share of orders moved\n"
		     "more than 6 months.\n"
		     "\n"
		     "RUN_A and RUN_B are plan runs in a store, by id (`allot plan --db` prints\n"
		     "it) or by label (`allot runs label`; `allot runs` lists them);\n"
		     "DIR_A and DIR_B are directories written by `allot plan --out` (their\n"
		     "orders_out.csv is read).  Orders are matched by order_id.\n"
		     "\n"
		     "An order that completes in one plan and not in the other counts as\n"
		     "completing at the horizon's end (as_of + horizon_months) in the other: a\n"
		     "stored run knows it; for directories give --end, or such orders are left\n"
		     "out of the figures (and counted).  Orders complete in neither plan are\n"
		     "counted apart, not in the figures.\n"
		     "\n"
		     "options:\n"
		     "  --db FILE        the store holding RUN_A and RUN_B\n"
		     "  --end YYYY-MM    directories: the horizon's end (the month after the last\n"
		     "                   planned month)\n"
		     "  --all            text: list unchanged orders too\n"
		     "  --top N          text: at most N orders (default 30; 0 = all)\n"
		     "  --csv, --json    every order, machine-readable (JSON: with the figures)\n"
		     "  -h, --help       show this help\n"
		     "\n"
		     "examples:\n"
		     "  allot plan data/default --policy fcfs --out a\n"
		     "  allot plan data/default --out b\n"
		     "  allot diff a b --end 2040-01\n"
		     "  allot diff 1 2 --db allot.db --csv > moved.csv\n");
}

struct diff_args {
	struct cli_common o;
	const char *a, *b;
	allot_month end;
	int all;
	long top;
};

static const struct cli_opt diff_opts[] = {
	CLI_OPT_MONTH("end", struct diff_args, end),
	CLI_OPT_FLAG("all", struct diff_args, all),
	CLI_OPT_COUNT("top", struct diff_args, top, 0, LONG_MAX, "a number >= 0"),
	{ 0 },
};
/* Three positionals are taken so that a third gets the message below. */

static int check(void *args, struct cli_common *o)
{
	struct diff_args *a = args;
	(void)o;
	if (a->o.npos != 2)
		return cli_usage_error("diff", "give two runs (RUN_A RUN_B --db FILE) or two plan "
					       "directories (DIR_A DIR_B)");
	a->a = a->o.pos[0];
	a->b = a->o.pos[1];
	return EXIT_OK;
}
static const struct cli_spec diff_spec = { "diff",    usage,
					   diff_opts, CLI_DB | CLI_SCENARIO | CLI_FORMAT,
					   3,         check };

static int run_id(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || end == s || v < 1)
		return -1;
	*out = v;
	return 0;
}

/* Reads both plans; prints diagnostics.  Returns a library status. */
static int read_runs(const struct diff_args *a, struct allot_run_orders *r[2])
{
	struct allot_diags d;
	allot_diags_init(&d);
	const char *arg[2] = { a->a, a->b };
	int rc = ALLOT_OK;
	if (a->o.src.db) {
		int64_t id[2];
		struct stat sb;
		if (stat(a->o.src.db, &sb) != 0) {
			fprintf(stderr, "allot diff: %s: no such store\n", a->o.src.db);
			return ALLOT_EINPUT;
		}
		struct allot_store *st = NULL;
		struct allot_run_info *v = NULL;
		size_t nv = 0;
		rc = allot_store_open(a->o.src.db, &st, &d);
		/* Runs by id, or by label (allot runs label). */
		for (int k = 0; k < 2 && rc == ALLOT_OK; k++) {
			if (run_id(arg[k], &id[k]) == 0)
				continue;
			if (!v) {
				struct allot_diags ld; /* no labels to match when unreadable */
				allot_diags_init(&ld);
				allot_store_list_runs(st, a->o.src.scenario, &v, &nv, &ld);
				allot_diags_free(&ld);
			}
			if (cli_run_id("diff", v, nv, arg[k], &id[k]) != 0)
				rc = ALLOT_EINPUT;
		}
		allot_run_infos_free(v, nv);
		if (rc == ALLOT_EINPUT) {
			allot_store_close(st);
			allot_diags_free(&d);
			return rc;
		}
		for (int k = 0; k < 2 && rc == ALLOT_OK; k++)
			rc = allot_store_get_run_orders(st, id[k], &r[k], &d);
		allot_store_close(st);
	} else {
		for (int k = 0; k < 2 && rc == ALLOT_OK; k++) {
			size_t n = strlen(arg[k]) + 32;
			char *path = malloc(n);
			if (!path) {
				rc = ALLOT_ENOMEM;
				break;
			}
			snprintf(path, n, "%s/orders_out.csv", arg[k]);
			rc = allot_run_orders_read_csv(path, &r[k], &d);
			free(path);
			if (rc == ALLOT_OK && a->end != ALLOT_NO_MONTH)
				r[k]->end = a->end;
		}
	}
	if (rc != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		if (!allot_diags_count(&d))
			fprintf(stderr, "allot diff: %s\n", allot_strerror(rc));
	}
	allot_diags_free(&d);
	return rc == ALLOT_ENOTFOUND ? ALLOT_EINPUT : rc;
}

static void print_text(struct allot_run_orders *r[2], const struct allot_diff *df,
		       const struct diff_args *a)
{
	char b[ALLOT_STYLE_MONTH_MAX];
	/* The last planned month: a completion missing there is "after" it. */
	allot_month last = df->end != ALLOT_NO_MONTH ? df->end - 1 : ALLOT_NO_MONTH;
	printf("diff: A = %s\n      B = %s\n\n", r[0]->label, r[1]->label);
	printf("orders in both: %zu (only in A: %zu, only in B: %zu)\n", df->n_rows,
	       df->missing_in_b, df->missing_in_a);
	printf("complete in both: %zu; in A only: %zu; in B only: %zu; in neither: %zu\n",
	       df->both_complete, df->only_a, df->only_b, df->neither);
	if (df->end != ALLOT_NO_MONTH) { /* end is the month after the last planned one */
		char lb[8];
		printf("a completion missing in one plan counts as %s, the month after the "
		       "horizon's last (%s)\n",
		       allot_month_format(df->end, b), allot_month_format(df->end - 1, lb));
	} else if (df->only_a + df->only_b)
		printf("the %zu orders complete in one plan only are not in the figures "
		       "(give --end YYYY-MM to count them at the horizon's end)\n",
		       df->only_a + df->only_b);
	printf("\nschedule stability over %zu orders:\n", df->counted);
	char fb[ALLOT_STYLE_USD_SUM_MAX];
	printf("  mean absolute change      %s months\n",
	       allot_figure_text(&allot_diff_stability_figures.f[1], df, fb));
	printf("  moved more than 6 months  %zu (%.1f%%)\n", df->moved_over_6,
	       100 * df->share_over_6);
	printf("  earlier in B %zu, later in B %zu, unchanged %zu\n", df->earlier, df->later,
	       df->counted - df->earlier - df->later);
	if (df->cut || df->restored)
		printf("cut by budget caps in B: %zu order%s (%+lld units cancelled), restored %zu; "
		       "a cut is its own outcome, not a move in months, and is not in the figures\n",
		       df->cut, df->cut == 1 ? "" : "s", (long long)df->cut_units, df->restored);
	printf("\n");

	static const char *const head[] = { "order_id", "completion_a", "completion_b", "change" };
	static const int num[] = { 0, 0, 0, 1 };
	struct cli_table *t = cli_table_new(4, head, num);
	size_t shown = 0, listable = 0;
	for (size_t i = 0; i < df->n_rows; i++) {
		const struct allot_diff_row *row = &df->rows[i];
		int moved = (row->counted && row->delta != 0) || row->cut;
		if (!moved && !a->all)
			continue;
		listable++;
		if (a->top && shown >= (size_t)a->top)
			continue;
		cli_table_add(t, row->order_id);
		cli_table_add(t, allot_style_month(row->a, last, b));
		cli_table_add(t, allot_style_month(row->b, last, b));
		if (row->cut)
			cli_table_addf(t, "%s %lld units", row->cut > 0 ? "cut" : "restored",
				       (long long)(row->cut > 0
							   ? row->cancelled_b - row->cancelled_a
							   : row->cancelled_a - row->cancelled_b));
		else if (row->counted) {
			char db[32];
			cli_table_add(t, allot_fmt_delta_int(row->delta, db));
		} else {
			cli_table_add(t, ALLOT_SYM_NA);
		}
		shown++;
	}
	if (shown) {
		printf("orders %s, most months first:\n", a->all ? "(all)" : "that moved");
		cli_table_print(t, CLI_TEXT, stdout);
	} else {
		printf("no order moved\n");
	}
	if (listable > shown)
		printf("... and %zu more (--top 0 shows all)\n", listable - shown);
	cli_table_free(t);
}

static void print_csv(const struct allot_diff *df)
{
	struct cli_table *t = cli_table_new(ALLOT_DIFF_NCOL, allot_diff_columns, NULL);
	char b[8];
	for (size_t i = 0; i < df->n_rows; i++) {
		const struct allot_diff_row *row = &df->rows[i];
		cli_table_add(t, row->order_id);
		allot_month_format(row->a, b);
		cli_table_add(t, b);
		allot_month_format(row->b, b);
		cli_table_add(t, b);
		if (row->counted)
			cli_table_addf(t, "%d", row->delta);
		else
			cli_table_add(t, "");
		cli_table_addf(t, "%d", row->counted);
		cli_table_addf(t, "%lld", (long long)row->cancelled_a);
		cli_table_addf(t, "%lld", (long long)row->cancelled_b);
		cli_table_add(t, allot_diff_outcome(row));
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

static void print_json(struct allot_run_orders *r[2], const struct allot_diff *df)
{
	json_t *rows = json_array();
	for (size_t i = 0; rows && i < df->n_rows; i++)
		json_array_append_new(rows, allot_diff_row_json(&df->rows[i]));
	json_t *root = allot_diff_json(r[0]->label, r[1]->label, df, rows);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	fputc('\n', stdout);
	json_decref(root);
}

int cmd_diff(int argc, char **argv)
{
	struct diff_args a;
	memset(&a, 0, sizeof a);
	a.end = ALLOT_NO_MONTH;
	a.top = 30;
	int rc = cli_parse(&diff_spec, argc, argv, &a, &a.o);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	struct allot_run_orders *r[2] = { NULL, NULL };
	struct allot_diff *df = NULL;
	int lrc = read_runs(&a, r);
	if (lrc == ALLOT_OK && (lrc = allot_diff_run(r[0], r[1], &df)) != ALLOT_OK)
		fprintf(stderr, "allot diff: %s\n", allot_strerror(lrc));
	if (lrc == ALLOT_OK) {
		if (a.o.fmt == CLI_CSV)
			print_csv(df);
		else if (a.o.fmt == CLI_JSON)
			print_json(r, df);
		else
			print_text(r, df, &a);
	}
	allot_diff_free(df);
	allot_run_orders_free(r[0]);
	allot_run_orders_free(r[1]);
	return cli_exit_code(lrc);
}
