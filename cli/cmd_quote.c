/*
 * cmd_quote.c - `allot quote ISO3 SYSTEM QTY`: available-to-promise for a
 * new order: the months its units would arrive under a policy, and the
 * existing orders it would push back (allot_quote_run).  Nothing is stored
 * unless --commit, which adds the order to the stored scenario
 * (allot_store_add_order; its plan runs stay).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot quote ISO3 SYSTEM QTY DIR | --db FILE [--scenario NAME]\n"
		"                   [--loa YYYY-MM] [--need YYYY-MM] [--id ORDER_ID]\n"
		"                   [--policy fcfs|priority] [--switch YYYY-MM]\n"
		"                   [--max-per-month N] [--not-before YYYY-MM] [--commit]\n"
		"                   [--csv | --json]\n"
		"\n"
		"Available-to-promise for a new order of QTY units of SYSTEM for partner\n"
		"ISO3: plans the scenario without and with it, and prints the months its\n"
		"units would arrive (within the horizon) and every existing order whose\n"
		"completion month or shortfall changes, by how much.  A month past the\n"
		"horizon's end counts as the horizon's end (marked '>').\n"
		"\n"
		"Nothing is stored unless --commit: then (with --db) the order is added to\n"
		"the stored scenario in one transaction; stored plan runs stay.\n"
		"\n"
		"options:\n"
		"  --loa YYYY-MM     the new order's LOA month (default: the scenario's as_of)\n"
		"  --need YYYY-MM    its need month (default: none)\n"
		"  --id ORDER_ID     its id (default QUOTE-1, or the next free QUOTE-n)\n"
		"  --policy P        fcfs or priority (default: priority)\n"
		"  --switch YYYY-MM  months before this use fcfs (default: the scenario's)\n"
		"  --max-per-month N the new order takes at most N units of its line a month\n"
		"                    (its delivery pace, orders.csv max_per_month; default none)\n"
		"  --not-before YYYY-MM\n"
		"                    no unit of it arrives before this month (its earliest\n"
		"                    delivery, orders.csv not_before; default none): its line\n"
		"                    starts on it lead_months earlier (docs/allocation.md)\n"
		"  --commit          with --db: store the order\n"
		"  --db FILE         read the scenario from a store\n"
		"  --scenario NAME   which stored scenario\n"
		"  --csv, --json     machine-readable output\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot quote POL pac3-mse 100 data/default\n"
		"  allot quote TWN f16v 20 data/default --loa 2026-03 --policy fcfs\n"
		"  allot quote POL himars 48 data/default --max-per-month 2\n"
		"  allot quote POL himars 48 data/default --not-before 2028-01\n"
		"  allot quote POL himars 48 --db allot.db --commit\n");
}

struct quote_args {
	struct cli_common o;
	struct allot_quote_request r;
	int commit;
};

static const struct cli_opt quote_opts[] = {
	CLI_OPT_MONTH("loa", struct quote_args, r.loa),
	CLI_OPT_MONTH("need", struct quote_args, r.need),
	CLI_OPT_STR("id", struct quote_args, r.order_id),
	CLI_OPT_POLICY(struct quote_args, r.policy),
	CLI_OPT_SWITCH(struct quote_args, r.switch_month),
	CLI_OPT_COUNT("max-per-month", struct quote_args, r.max_per_month, 1, ALLOT_QTY_MAX,
		      ALLOT_UNITS_EXPECTED),
	CLI_OPT_MONTH("not-before", struct quote_args, r.not_before),
	CLI_OPT_FLAG("commit", struct quote_args, commit),
	{ 0 },
};

static int check(void *args, struct cli_common *o)
{
	struct quote_args *a = args;
	(void)o;
	if (a->o.npos < 3)
		return cli_usage_error("quote", "give ISO3 SYSTEM QTY");
	a->r.iso3 = a->o.pos[0];
	a->r.system_id = a->o.pos[1];
	long qty = cli_parse_count(a->o.pos[2], ALLOT_QTY_MAX);
	if (qty < 1) { /* the words of --max-per-month and the API's qty */
		fprintf(stderr, "allot quote: QTY takes " ALLOT_UNITS_EXPECTED ", not '%s'\n",
			a->o.pos[2]);
		return EXIT_USAGE;
	}
	a->r.qty = qty;
	if (a->commit && !a->o.src.db) {
		fprintf(stderr, "allot quote: --commit needs --db FILE (a directory is never "
				"changed; add the row to its orders.csv by hand)\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
static const struct cli_spec quote_spec = { "quote", usage, quote_opts, CLI_SOURCE | CLI_FORMAT,
					    3,       check };

static void print_text(const struct allot_scenario *s, const struct allot_quote *q,
		       const struct quote_args *a)
{
	const struct allot_order *o = &q->order;
	const struct allot_partner *pt = &s->partners[o->partner];
	const struct allot_system *y = &s->systems[o->system];
	char b1[8], b2[8], b3[8], mb[ALLOT_STYLE_MONTH_MAX];
	printf("quote: %lld x %s (%s) for %s (%s), LOA %s, policy %s, scenario %s\n",
	       (long long)o->qty, y->system_id, y->name, pt->iso3, pt->name,
	       allot_month_format(o->loa_month, b1), allot_policy_kind_name(a->r.policy), s->name);
	if (o->max_per_month > 0)
		printf("paced: at most %d a month from its line (--max-per-month)\n",
		       o->max_per_month);
	if (o->not_before != ALLOT_NO_MONTH)
		printf("earliest delivery: not before %s (--not-before)\n",
		       allot_month_format(o->not_before, b1));
	printf("\nnew order %s would arrive:\n", q->order_id);
	if (q->n_deliveries) {
		static const char *const head[] = { "month", "units", "cumulative" };
		static const int num[] = { 0, 1, 1 };
		struct cli_table *t = cli_table_new(3, head, num);
		int64_t cum = 0;
		for (size_t i = 0; i < q->n_deliveries; i++) {
			cum += q->deliveries[i].units;
			cli_table_add(t, allot_month_format(q->deliveries[i].month, b1));
			cli_table_addf(t, "%lld", (long long)q->deliveries[i].units);
			cli_table_addf(t, "%lld", (long long)cum);
		}
		cli_table_print(t, CLI_TEXT, stdout);
		cli_table_free(t);
	} else {
		printf("(nothing within the horizon)\n");
	}
	allot_month end = s->as_of + s->horizon_months;
	if (q->completion != ALLOT_NO_MONTH)
		printf("first unit %s, last unit %s%s: all %lld units within the horizon\n",
		       allot_month_format(q->first, b1), allot_month_format(q->completion, b2),
		       allot_order_rate_mark(s, o), (long long)o->qty);
	else
		printf("%lld of %lld units not delivered by the horizon's end (%s)%s%s\n",
		       (long long)q->units_short, (long long)o->qty,
		       allot_month_format(end - 1, b3),
		       q->units_blocked ? "; blocked by end-use monitoring" : "",
		       q->units_cancelled ? "; cut by the partner's budget cap" : "");

	size_t later = 0;
	for (size_t i = 0; i < q->n_impacts; i++)
		later += q->impacts[i].months > 0 ||
			 q->impacts[i].short_after > q->impacts[i].short_before;
	printf("\nit pushes back %zu existing order%s", later, later == 1 ? "" : "s");
	if (q->n_impacts > later)
		printf(" (and moves %zu earlier)", q->n_impacts - later);
	printf("%s\n", q->n_impacts ? ":" : "");
	if (q->n_impacts) {
		static const char *const head[] = { "order_id",         "iso3",
						    "system",           "completion_before",
						    "completion_after", "months",
						    "short_before",     "short_after" };
		static const int num[] = { 0, 0, 0, 0, 0, 1, 1, 1 };
		struct cli_table *t = cli_table_new(8, head, num);
		for (size_t i = 0; i < q->n_impacts; i++) {
			const struct allot_quote_impact *im = &q->impacts[i];
			const struct allot_order *e = &s->orders[im->order];
			cli_table_add(t, e->order_id);
			cli_table_add(t, s->partners[e->partner].iso3);
			cli_table_add(t, s->systems[e->system].system_id);
			/* both completions rest on the line's rate: an estimate marks
			 * both, as the dashboard's and the --csv's rate_basis */
			if (im->before != ALLOT_NO_MONTH)
				cli_table_addf(t, "%s%s", allot_month_format(im->before, b1),
					       allot_order_rate_mark(s, e));
			else
				cli_table_add(t, allot_style_month(im->before, end - 1, mb));
			if (im->after != ALLOT_NO_MONTH)
				cli_table_addf(t, "%s%s", allot_month_format(im->after, b1),
					       allot_order_rate_mark(s, e));
			else
				cli_table_add(t, allot_style_month(im->after, end - 1, mb));
			cli_table_addf(t, "%s%+d", im->censored ? ">" : "", im->months);
			cli_table_addf(t, "%lld", (long long)im->short_before);
			cli_table_addf(t, "%lld", (long long)im->short_after);
		}
		cli_table_print(t, CLI_TEXT, stdout);
		cli_table_free(t);
	}
}

/* --csv: the deliveries (kind delivery) and the impacts (kind impact) in
 * one table under the keys of the JSON (allot_quote_*_columns), and the
 * row's line's rate_basis when some line states one (a month on an
 * estimated line rate says so, as the JSON's rate_basis). */
static void print_csv(const struct allot_scenario *s, const struct allot_quote *q)
{
	enum { ND = ALLOT_QUOTE_DELIVERY_NCOL, NI = ALLOT_QUOTE_IMPACT_NCOL };
	const char *head[1 + 3 + ND + NI - 3 + 1];
	int basis = allot_scenario_has_rate_basis(s);
	head[0] = "kind";
	for (int k = 0; k < 3; k++) /* order_id, iso3, system_id */
		head[1 + k] = allot_quote_impact_columns[k];
	for (int k = 0; k < ND; k++)
		head[4 + k] = allot_quote_delivery_columns[k];
	for (int k = 3; k < NI; k++)
		head[4 + ND + k - 3] = allot_quote_impact_columns[k];
	head[1 + ND + NI] = "rate_basis";
	struct cli_table *t = cli_table_new(1 + ND + NI + basis, head, NULL);
	char b[64];
	const struct allot_order *o = &q->order;
	for (size_t i = 0; i < q->n_deliveries; i++) {
		cli_table_add(t, "delivery");
		cli_table_add(t, q->order_id);
		cli_table_add(t, s->partners[o->partner].iso3);
		cli_table_add(t, s->systems[o->system].system_id);
		cli_table_add(t, allot_month_format(q->deliveries[i].month, b));
		cli_table_addf(t, "%lld", (long long)q->deliveries[i].units);
		for (int k = 3; k < NI; k++)
			cli_table_add(t, "");
		if (basis)
			cli_table_add(t, cli_rate_basis(s, o->system));
	}
	for (size_t i = 0; i < q->n_impacts; i++) {
		struct allot_cell c[NI];
		allot_quote_impact_cells(s, &q->impacts[i], c);
		cli_table_add(t, "impact");
		for (int k = 0; k < NI; k++) {
			if (k == 3)
				for (int e = 0; e < ND; e++)
					cli_table_add(t, "");
			cli_table_add(t, allot_cell_text(&c[k], b));
		}
		if (basis)
			cli_table_add(t, cli_rate_basis(s, s->orders[q->impacts[i].order].system));
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

static int commit(const struct quote_args *a, const struct allot_scenario *s,
		  const struct allot_quote *q)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	int rc = allot_store_open_existing(a->o.src.db, &st, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_add_order(st, a->o.src.scenario, s, &q->order, &d);
	allot_store_close(st);
	if (rc == ALLOT_ENOTFOUND && allot_diags_count(&d) == 0)
		fprintf(stderr,
			"allot quote: %s: the store vanished before the result "
			"could be stored\n",
			a->o.src.db);
	else if (rc != ALLOT_OK)
		allot_diags_print(&d, stderr);
	allot_diags_free(&d);
	return rc;
}

int cmd_quote(int argc, char **argv)
{
	struct quote_args a;
	memset(&a, 0, sizeof a);
	allot_quote_request_init(&a.r);
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&quote_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_quote *q = NULL;
	int lrc = allot_quote_run(s, &a.r, &q, &d);
	if (lrc != ALLOT_OK) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "allot quote: %s\n", d.v[i].msg);
		if (!d.n)
			fprintf(stderr, "allot quote: %s\n", allot_strerror(lrc));
		if (lrc == ALLOT_ENOTFOUND)
			lrc = ALLOT_EINPUT; /* a name on the command line: bad usage */
		goto done;
	}
	if (a.commit && (lrc = commit(&a, s, q)) != ALLOT_OK)
		goto done;
	if (a.o.fmt == CLI_CSV) {
		print_csv(s, q);
	} else if (a.o.fmt == CLI_JSON) {
		cli_json_print(allot_quote_json(s, &a.r, q, a.commit), 0);
	} else {
		print_text(s, q, &a);
		if (a.commit)
			printf("\nstored: order %s added to %s\n", q->order_id, a.o.src.db);
		else
			printf("\nnothing stored (--commit with --db adds the order)\n");
	}
done:
	allot_quote_free(q);
	allot_diags_free(&d);
	allot_scenario_free(s);
	return cli_exit_code(lrc);
}
