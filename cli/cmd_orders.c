/*
 * cmd_orders.c - `allot orders`: find orders by partner, system, line,
 * tier, region or lateness, with names beside ids and the completion under
 * both policies side by side (lib/answers/orderbook.c, docs/answers.md).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mem.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot orders DIR | --db FILE [--scenario NAME] [--partner WHO]\n"
		"                   [--system WHAT] [--line WHAT] [--tier N] [--region R]\n"
		"                   [--late] [--switch YYYY-MM] [--top N | --all] [--wide]\n"
		"                   [--csv | --json]\n"
		"\n"
		"Lists the open orders with their partner, system and tier, and when each\n"
		"completes under fcfs (first come, first served throughout) and under the\n"
		"priority rule from the switch month; 'shift' is priority minus fcfs in\n"
		"months (negative: earlier), counted as in 'allot diff'.  An order not\n"
		"complete within the horizon shows 'after' (the line below the table\n"
		"names the horizon's last month; --wide: 'after YYYY-MM' in the cell).\n"
		"WHO and WHAT are ids, names or unique prefixes, or comma lists of them.\n"
		"The text table opens with a summary and shows the first 25 rows ('line\n"
		"rate' says 'estimate' where a completion rests on an estimated line\n"
		"rate); --csv and --json list every matching order with every column:\n"
		"first delivery, wait, units short and cancelled under both policies,\n"
		"the value left (empty when the unit cost is unknown).  --json is the\n"
		"object of GET /api/scenarios/NAME/orderbook (docs/answers.md).\n"
		"When some order states them (orders.csv), 'pace' is its max_per_month\n"
		"(units a month at most) and 'not before' its earliest delivery month\n"
		"(not_before); both read 'n/a' for an order that states none (empty in\n"
		"CSV, null in JSON), as the need month of an order without one.\n"
		"\n"
		"options:\n"
		"  --partner WHO     orders of these partners (POL, Poland, pol,ISR)\n"
		"  --system WHAT     orders of these systems (himars, HIMARS, \"M142\")\n"
		"  --line WHAT       orders of systems made on these production lines\n"
		"  --tier N          orders of partners in tier N (at the plan's start)\n"
		"  --region R        orders of partners in region R (europe-east, ...)\n"
		"  --late            only orders late against their need month under\n"
		"                    either policy\n"
		"  --switch YYYY-MM  the priority rule's switch month (default: the\n"
		"                    scenario's)\n"
		"  --top N           rows in the text table (default 25); --all for every row\n"
		"  --wide            text: names in full and 'after YYYY-MM' (the default\n"
		"                    clips names so that the table fits 100 columns)\n"
		"  --csv, --json     every matching order and column\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot orders data/default --partner Poland\n"
		"  allot orders data/default --system himars --late\n"
		"  allot orders --db allot.db --tier 1 --region europe-east --all\n");
}

struct orders_args {
	struct cli_common o;
	const char *partner, *system, *line, *region;
	long tier, top;
	int late, wide;
	allot_month sw;
};

static const struct cli_opt orders_opts[] = {
	CLI_OPT_STR("partner", struct orders_args, partner),
	CLI_OPT_STR("system", struct orders_args, system),
	CLI_OPT_STR("line", struct orders_args, line),
	CLI_OPT_TIER(struct orders_args, tier),
	CLI_OPT_STR("region", struct orders_args, region),
	CLI_OPT_FLAG("late", struct orders_args, late),
	CLI_OPT_SWITCH(struct orders_args, sw),
	CLI_OPT_COUNT("top", struct orders_args, top, 1, 1000000, "a count >= 1"),
	CLI_OPT_SET("all", struct orders_args, top, 0),
	CLI_OPT_FLAG("wide", struct orders_args, wide),
	{ 0 },
};
static const struct cli_spec orders_spec = { "orders", usage, orders_opts, CLI_SOURCE | CLI_FORMAT,
					     0,        NULL };

static void summary(const struct allot_orderbook *b)
{
	const struct allot_scenario *s = b->scenario;
	char sw[8] = "", last[8], units[32];
	if (b->switch_month != ALLOT_NO_MONTH && b->switch_month > s->as_of) /* as `plan` says */
		allot_month_format(b->switch_month, sw);
	allot_month_format(b->horizon_end - 1, last);
	printf("%zu of %zu orders, %s units outstanding; scenario %s, horizon to %s\n", b->n_rows,
	       b->n_total, allot_style_count(b->units_left, units), s->name, last);
	printf("complete in the horizon: %zu under fcfs, %zu under priority%s%s\n",
	       b->complete_fcfs, b->complete_priority, *sw ? " from " : "", sw);
	printf("under priority: %zu complete earlier, %zu later (shift, in months)\n\n", b->earlier,
	       b->later);
}

/* A cell as the text table shows it (allot_orderbook_columns' flags); a
 * month past the horizon reads "after" alone unless wide (the line below
 * the table names the month: it is the same in every row), and *after
 * counts those cells. */
static const char *text_cell(const struct allot_column *col, const struct allot_cell *c,
			     allot_month last, int width, int wide, size_t *after, int *cut,
			     char *buf, size_t size)
{
	char b[64];
	if (col->flags & ALLOT_COL_AFTER) {
		const char *m = allot_style_month(c->m, last, buf);
		if (c->m != ALLOT_NO_MONTH && c->m <= last)
			return m;
		++*after;
		return wide ? m : "after";
	}
	if ((c->kind == ALLOT_CELL_NULL && !c->s) ||
	    (c->kind == ALLOT_CELL_MONTH && c->m == ALLOT_NO_MONTH))
		return col->flags & ALLOT_COL_NA ? ALLOT_SYM_NA : "";
	const char *t = allot_cell_word(c, b); /* an unknown value's word */
	if (width)
		return cli_clip_mark(t, (size_t)width, buf, size, cut);
	if (t == b) /* a number, in b: copied out */
		snprintf(buf, size, "%s", b);
	return t == b ? buf : t;
}

/* A sparse column (the need month) has a value in one of the first n rows. */
static int sparse_shown(const struct allot_orderbook *b, size_t n, size_t k)
{
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	for (size_t i = 0; i < n; i++) {
		allot_orderbook_cells(b, &b->rows[i], c);
		if (c[k].kind != ALLOT_CELL_NULL &&
		    !(c[k].kind == ALLOT_CELL_MONTH && c[k].m == ALLOT_NO_MONTH))
			return 1;
	}
	return 0;
}

/* The text table: the columns with a place in it, a sparse one only when a
 * shown row has a value (then system names take 11 characters at most, so
 * that the table keeps under 100 columns); wide: names in full. */
static void print_text(const struct allot_orderbook *b, long top, int wide)
{
	size_t n = top > 0 && (size_t)top < b->n_rows ? (size_t)top : b->n_rows;
	size_t col[ALLOT_ORDERBOOK_NCOL];
	const char *head[ALLOT_ORDERBOOK_NCOL];
	int num[ALLOT_ORDERBOOK_NCOL], nc = 0, narrow = 0;
	for (int at = 1; at <= ALLOT_ORDERBOOK_NCOL; at++)
		for (size_t k = 0; k < ALLOT_ORDERBOOK_NCOL; k++) {
			const struct allot_column *c = &allot_orderbook_columns[k];
			if (c->text_at != at || !allot_orderbook_has(b, k))
				continue;
			if (c->flags & ALLOT_COL_SPARSE) {
				if (!sparse_shown(b, n, k))
					continue;
				narrow = 1;
			}
			col[nc] = k;
			head[nc] = c->header;
			num[nc++] = c->kind == ALLOT_CELL_INT || c->kind == ALLOT_CELL_NUM;
		}
	/* a clipped column's width, widened where two names of the shown rows
	 * would clip to the same text ("Patriot ..." for the PAC-2 GEM-T missile
	 * and the fire unit); narrow, the other clipped columns give the room
	 * back (to 8 at least, and as far as their own names stay apart) */
	int width[ALLOT_ORDERBOOK_NCOL], base[ALLOT_ORDERBOOK_NCOL], extra = 0;
	const char **names = n ? mem_calloc(n, sizeof *names) : NULL;
	for (int pass = 0; pass < 2; pass++)
		for (int e = 0; e < nc; e++) {
			const struct allot_column *cd = &allot_orderbook_columns[col[e]];
			if (!pass)
				width[e] = base[e] = wide                       ? 0
						     : narrow && cd->width > 12 ? 11
										: cd->width;
			else if (narrow && extra > 0 && width[e] == base[e] && base[e] > 8)
				width[e] = base[e] - extra < 8 ? 8 : base[e] - extra;
			else
				continue;
			if (!width[e] || !names)
				continue;
			struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
			size_t k = 0;
			for (size_t i = 0; i < n; i++) {
				allot_orderbook_cells(b, &b->rows[i], c);
				if (c[col[e]].kind == ALLOT_CELL_STR && c[col[e]].s)
					names[k++] = c[col[e]].s;
			}
			width[e] = (int)cli_clip_width(names, k, (size_t)width[e]);
			if (!pass)
				extra += width[e] - base[e];
			else
				extra -= base[e] - width[e];
		}
	mem_free(names);
	struct cli_table *t = cli_table_new(nc, head, num);
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	size_t after = 0;
	int cut = 0; /* some name clipped */
	for (size_t i = 0; i < n; i++) {
		allot_orderbook_cells(b, &b->rows[i], c);
		for (int e = 0; e < nc; e++) {
			const struct allot_column *cd = &allot_orderbook_columns[col[e]];
			int w = width[e];
			char buf[128];
			cli_table_add(t, text_cell(cd, &c[col[e]], b->horizon_end - 1, w, wide,
						   &after, &cut, buf, sizeof buf));
		}
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	if (after && !wide) {
		char last[8];
		allot_month_format(b->horizon_end - 1, last);
		printf("after: not complete by %s, the horizon's last month\n", last);
	}
	if (cut)
		printf("names cut with \"...\": --wide shows them in full\n");
	if (n < b->n_rows)
		printf("... %zu more; --all lists every order, --csv or --json every column\n",
		       b->n_rows - n);
}

/* --csv: every matching order, the columns the book has. */
static void print_csv(const struct allot_orderbook *b)
{
	const char *head[ALLOT_ORDERBOOK_NCOL];
	int has[ALLOT_ORDERBOOK_NCOL], nc = 0;
	for (size_t k = 0; k < ALLOT_ORDERBOOK_NCOL; k++)
		if ((has[k] = allot_orderbook_has(b, k)))
			head[nc++] = allot_orderbook_columns[k].key;
	struct cli_table *t = cli_table_new(nc, head, NULL);
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	char buf[64];
	for (size_t i = 0; i < b->n_rows; i++) {
		allot_orderbook_cells(b, &b->rows[i], c);
		for (size_t k = 0; k < ALLOT_ORDERBOOK_NCOL; k++)
			if (has[k])
				cli_table_add(t, allot_cell_text(&c[k], buf));
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

int cmd_orders(int argc, char **argv)
{
	struct orders_args a;
	memset(&a, 0, sizeof a);
	a.top = 25;
	a.sw = ALLOT_NO_MONTH;
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&orders_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	struct allot_order_filter f;
	struct allot_orderbook *b = NULL;
	char msg[1024];
	int lrc = allot_order_filter_parse(s, a.partner, a.system, a.line, a.region, &f, msg,
					   sizeof msg);
	if (lrc != ALLOT_OK) {
		fprintf(stderr, "allot orders: %s\n", msg);
		rc = lrc == ALLOT_ENOMEM ? cli_exit_code(lrc) : EXIT_USAGE;
		goto done;
	}
	f.tier = (int)a.tier;
	f.late = a.late;
	lrc = allot_orderbook_run(s, a.sw, &f, &b);
	if (lrc != ALLOT_OK) {
		fprintf(stderr, "allot orders: %s\n", allot_strerror(lrc));
		rc = cli_exit_code(lrc);
		goto done;
	}
	if (a.o.fmt == CLI_JSON) {
		cli_json_print(allot_orderbook_json(b), 0); /* GET .../orderbook's object */
	} else if (a.o.fmt == CLI_CSV) {
		print_csv(b);
	} else {
		summary(b);
		print_text(b, a.top, a.wide);
	}
	rc = EXIT_OK;
done:
	allot_orderbook_free(b);
	allot_order_filter_free(&f);
	allot_scenario_free(s);
	return rc;
}
