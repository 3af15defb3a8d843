/*
 * cmd_minerals.c - `allot minerals`: months of cover of planned production
 * per critical mineral, from stock alone, with supply, and under each
 * embargo (the scenario's and any given with --embargo), and which orders
 * and systems a shortfall would hit first (docs/report.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot minerals DIR | --db FILE [--scenario NAME]\n"
		"                      [--policy fcfs|priority] [--switch YYYY-MM]\n"
		"                      [--embargo SOURCE[:MINERAL][@START][+MONTHS]]...\n"
		"                      [--csv | --json]\n"
		"\n"
		"How many months each critical mineral's stock covers the planned draw.\n"
		"The planned draw is what the plan would take if minerals never ran short\n"
		"(the scenario planned with its bills of materials set aside); the table\n"
		"shows its mean over the first 12 months.  Months of cover count whole\n"
		"months from as_of whose draw the stock meets, month by month:\n"
		"\n"
		"  stock_alone   no supply at all\n"
		"  with_supply   every source's supply, no embargo\n"
		"  no_SOURCE     supply less one embargo (from embargoes.csv or --embargo),\n"
		"                in the embargo's months\n"
		"\n"
		"'" ALLOT_SYM_WHOLE_HORIZON "' means the stock lasts the whole horizon.  The last\n"
		"columns walk the first month the stock alone falls short in the policy's\n"
		"key order, as the planner would: the orders cut then are the ones a\n"
		"shortfall hits first (the last in key order lose first).\n"
		"When minerals.csv states stock_basis, a column 'basis' beside stock_kg\n"
		"(--csv and --json: stock_basis) says whether each stock is cited or an\n"
		"estimate.\n"
		"\n"
		"options:\n"
		"  --policy P        fcfs or priority (default: priority)\n"
		"  --switch YYYY-MM  months before this use fcfs (default: the scenario's)\n"
		"  --embargo S[:M][@START][+MONTHS]\n"
		"                    also show an embargo on source S (of mineral M, or of\n"
		"                    every mineral) from START (default as_of) for MONTHS\n"
		"                    (default: to the horizon's end); repeat for more.  The\n"
		"                    grammar of allot whatif (docs/whatif.md)\n"
		"  --db FILE         read the scenario from a store instead of DIR\n"
		"  --scenario NAME   which stored scenario\n"
		"  --csv, --json     machine-readable output (cover past the horizon: empty)\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot minerals data/default\n"
		"  allot minerals data/default --embargo china\n"
		"  allot minerals --db allot.db --embargo china:gallium --csv\n"
		"  allot minerals data/default --embargo china:gallium@2026-03+24\n");
}

#define MAX_EMBARGO 16

struct minerals_args {
	struct cli_common o;
	struct allot_plan_options po;
	struct allot_change embargo[MAX_EMBARGO];
	size_t n_embargo;
};

static int opt_embargo(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	struct minerals_args *a = args;
	(void)op;
	return cli_opt_change_add(cmd, "embargo", ALLOT_CHG_EMBARGO, arg, a->embargo, &a->n_embargo,
				  MAX_EMBARGO);
}

static const struct cli_opt minerals_opts[] = {
	CLI_OPT_POLICY(struct minerals_args, po.policy),
	CLI_OPT_SWITCH(struct minerals_args, po.switch_month),
	CLI_OPT_FN("embargo", opt_embargo),
	{ 0 },
};
static const struct cli_spec minerals_spec = {
	"minerals", usage, minerals_opts, CLI_SOURCE | CLI_FORMAT, 0, NULL
};

/* Resolves each --embargo against s (from as_of and to the horizon unless
 * given; docs/whatif.md).  EXIT_USAGE for an unknown mineral or source. */
static int make_embargoes(const struct allot_scenario *s, struct minerals_args *a,
			  struct allot_embargo *e)
{
	for (size_t i = 0; i < a->n_embargo; i++)
		if (cli_embargo_resolve("minerals", "embargo", s, &a->embargo[i], 0, &e[i]) != 0)
			return EXIT_USAGE;
	return EXIT_OK;
}

static void case_names(const struct allot_scenario *s, const struct allot_minerals *m,
		       char names[][ALLOT_CASE_KEY_MAX])
{
	for (size_t c = 0; c < m->n_cases; c++)
		allot_minerals_case_key(s, m, c, names[c]);
}

/* The code points of the longest line of text. */
static size_t widest(const char *text)
{
	size_t w = 0, n = 0;
	for (; *text; text++)
		if (*text == '\n')
			n = 0;
		else if ((*text & 0xC0) != 0x80 && ++n > w)
			w = n;
	return w;
}

/* Text: one table, the stock, supply and draw per mineral and the cover per
 * case ("whole horizon" when the stock lasts), when it fits 100 columns;
 * else the stock, supply and draw, then the cover in as many tables as
 * keep each under 100 columns (every one opens with the mineral's id). */
static void print_table(const struct allot_scenario *s, const struct allot_minerals *m,
			char names[][ALLOT_CASE_KEY_MAX])
{
	int nc = 0;
	const char **head = calloc(m->n_cases + 5, sizeof *head);
	int *num = calloc(m->n_cases + 5, sizeof *num);
	int basis = allot_scenario_has_stock_basis(s); /* "basis" after stock_kg */
	size_t idw = strlen("mineral");
	if (!head || !num)
		goto done;
	head[nc++] = "mineral";
	num[nc] = 1, head[nc++] = "stock_kg";
	if (basis)
		head[nc++] = "basis";
	num[nc] = 1, head[nc++] = "supply_kg_month";
	num[nc] = 1, head[nc++] = "draw_kg_month";
	int ns = nc; /* the columns before the cover */
	for (size_t c = 0; c < m->n_cases; c++)
		num[nc] = 1, head[nc++] = names[c];
	struct cli_table *t = cli_table_new(nc, head, num), *all = t;
	for (size_t i = 0; i < m->n; i++) {
		const struct allot_mineral_cover *mc = &m->m[i];
		const char *id = s->minerals[mc->mineral].mineral_id;
		if (strlen(id) > idw)
			idw = strlen(id);
		cli_table_add(t, id);
		cli_table_addf(t, "%.3f", (double)mc->stock_g / 1000);
		if (basis) /* what the stock rests on, beside it */
			cli_table_add(t, allot_rate_basis_name(
						 (enum allot_rate_basis)s->minerals[mc->mineral]
							 .stock_basis));
		cli_table_addf(t, "%.3f", (double)mc->supply_g_month / 1000);
		cli_table_addf(t, "%.1f", mc->demand_g_month / 1000);
		for (size_t c = 0; c < m->n_cases; c++)
			if (mc->cover[c] >= 0)
				cli_table_addf(t, "%d", mc->cover[c]);
			else
				cli_table_add(t, ALLOT_SYM_WHOLE_HORIZON);
	}
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f) {
		cli_table_print(all, CLI_TEXT, f);
		fclose(f);
	}
	cli_table_free(all);
	if (text && widest(text) < 100) {
		fputs(text, stdout);
		free(text);
		goto done;
	}
	free(text);
	t = cli_table_new(ns, head, num);
	for (size_t i = 0; i < m->n; i++) {
		const struct allot_mineral_cover *mc = &m->m[i];
		cli_table_add(t, s->minerals[mc->mineral].mineral_id);
		cli_table_addf(t, "%.3f", (double)mc->stock_g / 1000);
		if (basis)
			cli_table_add(t, allot_rate_basis_name(
						 (enum allot_rate_basis)s->minerals[mc->mineral]
							 .stock_basis));
		cli_table_addf(t, "%.3f", (double)mc->supply_g_month / 1000);
		cli_table_addf(t, "%.1f", mc->demand_g_month / 1000);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	/* the cover rests on the stocks: their estimates stay labelled here too */
	size_t est = 0;
	for (size_t i = 0; basis && i < m->n; i++)
		est += s->minerals[m->m[i].mineral].stock_basis == ALLOT_RATE_ESTIMATE;
	if (est)
		printf("\nmonths of cover (an estimate for the %zu of the %zu minerals whose stock "
		       "is one: basis above):\n",
		       est, m->n);
	else
		printf("\nmonths of cover:\n");
	for (size_t c0 = 0; c0 < m->n_cases;) {
		/* the cases that fit beside the id: a column is as wide as its
		 * name or "whole horizon", with two spaces before it */
		size_t c1 = c0, w = idw;
		while (c1 < m->n_cases) {
			size_t cw = strlen(names[c1]), sw = strlen(ALLOT_SYM_WHOLE_HORIZON);
			w += 2 + (cw > sw ? cw : sw);
			if (w >= 100 && c1 > c0)
				break;
			c1++;
		}
		nc = 0;
		head[nc++] = "mineral";
		for (size_t c = c0; c < c1; c++)
			num[nc] = 1, head[nc++] = names[c];
		if (c0 > 0)
			printf("\n");
		t = cli_table_new(nc, head, num);
		for (size_t i = 0; i < m->n; i++) {
			const struct allot_mineral_cover *mc = &m->m[i];
			cli_table_add(t, s->minerals[mc->mineral].mineral_id);
			for (size_t c = c0; c < c1; c++)
				if (mc->cover[c] >= 0)
					cli_table_addf(t, "%d", mc->cover[c]);
				else
					cli_table_add(t, ALLOT_SYM_WHOLE_HORIZON);
		}
		cli_table_print(t, CLI_TEXT, stdout);
		cli_table_free(t);
		c0 = c1;
	}
done:
	free(head);
	free(num);
}

/* --csv: allot_mineral_columns with a cover column per case (named by its
 * key, empty: the whole horizon); --json: the API's object
 * (allot_minerals_json). */
static void print_data(const struct allot_scenario *s, const struct allot_plan_options *po,
		       const struct allot_minerals *m, char names[][ALLOT_CASE_KEY_MAX],
		       enum cli_format fmt)
{
	if (fmt == CLI_JSON) {
		cli_json_print(allot_minerals_json(po, s, m, SIZE_MAX), 0);
		return;
	}
	size_t nc = ALLOT_MINERAL_NCOL + m->n_cases;
	int basis = allot_scenario_has_stock_basis(s); /* a last column stock_basis */
	const char **head = calloc(nc + 1, sizeof *head);
	if (!head)
		return;
	head[nc] = "stock_basis";
	for (size_t k = 0, c = 0; k < nc; k++)
		head[k] = k >= ALLOT_MINERAL_COVER_AT && k < ALLOT_MINERAL_COVER_AT + m->n_cases
				  ? names[k - ALLOT_MINERAL_COVER_AT]
				  : allot_mineral_columns[c++];
	struct cli_table *t = cli_table_new((int)nc + basis, head, NULL);
	for (size_t i = 0; i < m->n; i++) {
		const struct allot_mineral_cover *mc = &m->m[i];
		struct allot_cell c[ALLOT_MINERAL_NCOL];
		char b[64], sys[ALLOT_MINERAL_SYSTEMS_MAX];
		allot_mineral_cells(s, mc, c, sys);
		for (int k = 0; k < ALLOT_MINERAL_NCOL; k++) {
			for (size_t e = 0; k == ALLOT_MINERAL_COVER_AT && e < m->n_cases; e++) {
				if (mc->cover[e] >= 0)
					cli_table_addf(t, "%d", mc->cover[e]);
				else
					cli_table_add(t, "");
			}
			cli_table_add(t, allot_cell_text(&c[k], b));
		}
		if (basis)
			cli_table_add(t, allot_rate_basis_name(
						 (enum allot_rate_basis)s->minerals[mc->mineral]
							 .stock_basis));
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
	free(head);
}

static void print_hits(const struct allot_scenario *s, const struct allot_minerals *m)
{
	printf("\nwhat a shortfall hits first: the first month the stock alone falls short,\n"
	       "walked in the policy's key order (last in the order is cut first)\n");
	int any = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct allot_mineral_cover *mc = &m->m[i];
		if (mc->shortfall_month < 0)
			continue;
		any = 1;
		char mon[8];
		allot_month_format(s->as_of + mc->shortfall_month, mon);
		/* wrapped before 100 columns between orders, indented under the
		 * mineral */
		int col = printf("  %s, %s: %.1f kg short; %zu order%s cut:",
				 s->minerals[mc->mineral].mineral_id, mon,
				 (double)mc->shortfall_g / 1000, mc->n_hits,
				 mc->n_hits == 1 ? "" : "s");
		for (size_t k = 0; k < mc->n_hits && k < 3; k++) {
			const struct allot_order *o = &s->orders[mc->hits[k].order];
			char e[160];
			int n = snprintf(e, sizeof e, "%s (%s %s, %lld unit%s)%s", o->order_id,
					 s->partners[o->partner].iso3,
					 s->systems[o->system].system_id,
					 (long long)mc->hits[k].units_cut,
					 mc->hits[k].units_cut == 1 ? "" : "s",
					 k + 1 < mc->n_hits ? (k < 2 ? "," : ", ...") : "");
			if (col + 1 + n >= 100)
				col = printf("\n   ") - 1;
			col += printf(" %s", e);
		}
		printf("\n");
	}
	if (!any)
		printf("  none: for every mineral the stock alone covers the planned draw for the\n"
		       "  whole horizon\n");
}

static void print_text(const struct allot_scenario *s, const struct allot_plan_options *po,
		       const struct allot_minerals *m, char names[][ALLOT_CASE_KEY_MAX])
{
	char m0[8], m1[8], d1[8], sw[8];
	allot_month_format(s->as_of, m0);
	allot_month_format(s->as_of + s->horizon_months - 1, m1);
	allot_month_format(s->as_of + m->demand_months - 1, d1);
	allot_month switch_month = po->switch_month != ALLOT_NO_MONTH ? po->switch_month
								      : s->switch_month;
	allot_month_format(switch_month, sw);
	printf("minerals: scenario %s, policy %s", s->name, allot_policy_kind_name(po->policy));
	if (po->policy == ALLOT_POLICY_PRIORITY && switch_month != ALLOT_NO_MONTH &&
	    switch_month > s->as_of)
		printf(" (fcfs before %s)", sw);
	printf(", %s..%s\n", m0, m1);
	printf("months of cover from %s; draw = mean planned draw %s..%s with minerals\n"
	       "set aside; '%s' = the stock lasts the horizon (%d months)\n\n",
	       m0, m0, d1, ALLOT_SYM_WHOLE_HORIZON, s->horizon_months);
	print_table(s, m, names);
	int legend = 0;
	for (size_t c = 2; c < m->n_cases; c++) {
		if (!legend++)
			printf("\n");
		printf("%s: %s%s\n", names[c], m->cases[c].label,
		       m->cases[c].hypothetical ? " (--embargo)" : " (embargoes.csv)");
	}
	if (m->n_cases == 2)
		printf("\nthe scenario has no embargo (embargoes.csv); try --embargo china\n");
	print_hits(s, m);
}

int cmd_minerals(int argc, char **argv)
{
	struct minerals_args a;
	memset(&a, 0, sizeof a);
	allot_plan_options_init(&a.po);
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&minerals_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	struct allot_embargo extra[MAX_EMBARGO];
	struct allot_minerals *m = NULL;
	char(*names)[ALLOT_CASE_KEY_MAX] = NULL;
	if ((rc = make_embargoes(s, &a, extra)) != EXIT_OK)
		goto done;
	int lrc = allot_minerals_run(s, &a.po, extra, a.n_embargo, &m);
	if (lrc != ALLOT_OK) {
		fprintf(stderr, "allot minerals: %s\n", allot_strerror(lrc));
		rc = cli_exit_code(lrc);
		goto done;
	}
	if (!(names = calloc(m->n_cases, sizeof *names))) {
		rc = EXIT_RUNTIME;
		goto done;
	}
	case_names(s, m, names);
	if (a.o.fmt == CLI_TEXT)
		print_text(s, &a.po, m, names);
	else
		print_data(s, &a.po, m, names, a.o.fmt);
done:
	free(names);
	allot_minerals_free(m);
	allot_scenario_free(s);
	return rc;
}
