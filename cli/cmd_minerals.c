/*
 * cmd_minerals.c - `allot minerals`: months of cover of planned production
 * per critical mineral, from stock alone, with supply, and under each
 * embargo (the scenario's and any given with --embargo), and which orders
 * and systems a shortfall would hit first (docs/report.md).
 */
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
static const struct cli_spec minerals_spec = { "minerals", usage, minerals_opts,
					       CLI_SOURCE | CLI_FORMAT, 0, NULL };

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

/* Column names: stock_alone, with_supply, no_SOURCE[_MINERAL], with _2,
 * _3 ... after a name already taken. */
static void base_name(const struct allot_scenario *s, const struct allot_cover_case *cc,
		      char out[64])
{
	if (cc->kind == ALLOT_CASE_STOCK) {
		snprintf(out, 64, "stock_alone");
	} else if (cc->kind == ALLOT_CASE_SUPPLY) {
		snprintf(out, 64, "with_supply");
	} else {
		const char *min = cc->embargo.mineral >= 0
					  ? s->minerals[cc->embargo.mineral].mineral_id
					  : "";
		snprintf(out, 64, "no_%.24s%s%.24s", cc->embargo.source, *min ? "_" : "", min);
	}
}

static void case_names(const struct allot_scenario *s, const struct allot_minerals *m,
		       char names[][64])
{
	for (size_t c = 0; c < m->n_cases; c++) {
		base_name(s, &m->cases[c], names[c]);
		int dup = 1;
		for (size_t d = 0; d < c; d++) {
			char other[64];
			base_name(s, &m->cases[d], other);
			dup += strcmp(other, names[c]) == 0;
		}
		if (dup > 1) {
			size_t l = strlen(names[c]);
			snprintf(names[c] + l, 64 - l, "_%d", dup);
		}
	}
}

static void add_cover(struct cli_table *t, int cover, enum cli_format fmt)
{
	if (cover >= 0)
		cli_table_addf(t, "%d", cover);
	else if (fmt == CLI_TEXT)
		cli_table_add(t, ALLOT_SYM_WHOLE_HORIZON);
	else
		cli_table_add(t, "");
}

/* "f35a f16v +2": up to three systems. */
static void add_systems(struct cli_table *t, const struct allot_scenario *s,
			const struct allot_mineral_cover *mc)
{
	char buf[256];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < mc->n_hit_systems && i < 3; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%.60s", i ? " " : "",
				      s->systems[mc->hit_systems[i]].system_id);
	if (mc->n_hit_systems > 3)
		snprintf(buf + n, sizeof buf - n, " +%zu", mc->n_hit_systems - 3);
	cli_table_add(t, buf);
}

static void print_table(const struct allot_scenario *s, const struct allot_minerals *m,
			char names[][64], enum cli_format fmt)
{
	int nc = 0, T = fmt == CLI_TEXT ? 0 : 4;
	const char **head = calloc(m->n_cases + 8, sizeof *head);
	int *num = calloc(m->n_cases + 8, sizeof *num);
	if (!head || !num)
		goto done;
	head[nc++] = "mineral";
	num[nc] = 1, head[nc++] = "stock_kg";
	num[nc] = 1, head[nc++] = "supply_kg_month";
	num[nc] = 1, head[nc++] = "draw_kg_month";
	for (size_t c = 0; c < m->n_cases; c++)
		num[nc] = 1, head[nc++] = names[c];
	if (T) {
		head[nc++] = "short_month";
		num[nc] = 1, head[nc++] = "orders_cut";
		head[nc++] = "first_cut";
		head[nc++] = "systems_cut";
	}
	struct cli_table *t = cli_table_new(nc, head, num);
	for (size_t i = 0; i < m->n; i++) {
		const struct allot_mineral_cover *mc = &m->m[i];
		cli_table_add(t, s->minerals[mc->mineral].mineral_id);
		cli_table_addf(t, "%.3f", (double)mc->stock_g / 1000);
		cli_table_addf(t, "%.3f", (double)mc->supply_g_month / 1000);
		cli_table_addf(t, "%.1f", mc->demand_g_month / 1000);
		for (size_t c = 0; c < m->n_cases; c++)
			add_cover(t, mc->cover[c], fmt);
		if (!T)
			continue;
		char mon[8];
		allot_month_format(mc->shortfall_month >= 0 ? s->as_of + mc->shortfall_month
							     : ALLOT_NO_MONTH,
				   mon);
		cli_table_add(t, mon);
		cli_table_addf(t, "%zu", mc->n_hits);
		cli_table_add(t, mc->n_hits ? s->orders[mc->hits[0].order].order_id : "");
		add_systems(t, s, mc);
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
done:
	free(head);
	free(num);
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
		printf("  %s, %s: %.1f kg short; %zu order%s cut: ", s->minerals[mc->mineral].mineral_id,
		       mon, (double)mc->shortfall_g / 1000, mc->n_hits, mc->n_hits == 1 ? "" : "s");
		for (size_t k = 0; k < mc->n_hits && k < 3; k++) {
			const struct allot_order *o = &s->orders[mc->hits[k].order];
			printf("%s%s (%s %s, %lld unit%s)", k ? ", " : "", o->order_id,
			       s->partners[o->partner].iso3, s->systems[o->system].system_id,
			       (long long)mc->hits[k].units_cut, mc->hits[k].units_cut == 1 ? "" : "s");
		}
		if (mc->n_hits > 3)
			printf(", ...");
		printf("\n");
	}
	if (!any)
		printf("  none: for every mineral the stock alone covers the planned draw for the\n"
		       "  whole horizon\n");
}

static void print_text(const struct allot_scenario *s, const struct allot_plan_options *po,
		       const struct allot_minerals *m, char names[][64])
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
	       "set aside; '%s' = the stock lasts the horizon (%d months)\n\n", m0, m0, d1,
	       ALLOT_SYM_WHOLE_HORIZON, s->horizon_months);
	print_table(s, m, names, CLI_TEXT);
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
	char (*names)[64] = NULL;
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
		print_table(s, m, names, a.o.fmt);
done:
	free(names);
	allot_minerals_free(m);
	allot_scenario_free(s);
	return rc;
}
