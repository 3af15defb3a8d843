/*
 * cmd_compare.c - `allot compare`: plans the scenario under two policies
 * (fcfs and priority by default) and shows who gains and who waits, by
 * partner, tier, region and system (the figures are allot_compare_run's;
 * docs/answers.md defines them).
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot compare DIR | --db FILE [--scenario NAME]\n"
		"                     [--policies A,B] [--switch YYYY-MM] [--year YYYY]\n"
		"                     [--by partner|tier|region|system] [--top N] [--wide]\n"
		"                     [--csv | --json]\n"
		"\n"
		"Plans the scenario under two policies and shows, for every partner, the\n"
		"mean wait of its open orders and the units it receives by the end of a\n"
		"year under each, and the difference: who gains (waits less under B) and\n"
		"who waits (longer under B); the same by tier and region; and the systems\n"
		"whose queues change most (mean change per order, either way).\n"
		"\n"
		"The wait of an order is the months from the later of as_of and its LOA\n"
		"month to the month its last unit arrives (the horizon's end when it does\n"
		"not complete).  Orders with nothing open at as_of, or wholly cancelled by\n"
		"a budget cap under either policy, are left out of the waits.\n"
		"\n"
		"options:\n"
		"  --policies A,B    the two policies, before and after (default fcfs,priority)\n"
		"  --switch YYYY-MM  months before this use fcfs under both (default: the\n"
		"                    scenario's switch_month; the bundled data switches 2026-02)\n"
		"  --year YYYY       units delivered from as_of to the end of this year\n"
		"                    (default: the as_of year + 3)\n"
		"  --by G            only one grouping: partner, tier, region or system\n"
		"  --top N           text: at most N rows per list (default 15; 0 = all)\n"
		"  --wide            text: every column (the default shows the value-\n"
		"                    weighted wait, units and USD changes in 100 columns)\n"
		"  --db FILE         read the scenario from a store\n"
		"  --scenario NAME   which stored scenario\n"
		"  --csv, --json     every group, machine-readable\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot compare data/default\n"
		"  allot compare data/default --by region --year 2030\n"
		"  allot compare --db allot.db --switch 2025-01 --csv > compare.csv\n");
}

struct compare_args {
	struct cli_common o;
	struct allot_compare_options co;
	int by; /* -1: every grouping */
	long top;
	int wide;
};

static int parse_policies(const char *arg, enum allot_policy_kind out[2])
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", arg);
	char *comma = strchr(buf, ',');
	if (!comma)
		return -1;
	*comma = '\0';
	if (allot_policy_kind_parse(buf, &out[0]) != 0 ||
	    allot_policy_kind_parse(comma + 1, &out[1]) != 0 || out[0] == out[1])
		return -1;
	return 0;
}

static int opt_policies(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	struct compare_args *a = args;
	if (parse_policies(arg, a->co.policy) == 0)
		return 0;
	fprintf(stderr,
		"allot %s: --policies takes two different policies A,B (fcfs,priority "
		"or priority,fcfs), not '%s'\n",
		cmd, arg);
	return -1;
}

static int opt_by(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	enum allot_group_by g;
	if (allot_group_by_parse(arg, &g) != 0) {
		fprintf(stderr, "allot %s: --by takes partner, tier, region or system, not '%s'\n",
			cmd, arg);
		return -1;
	}
	((struct compare_args *)args)->by = (int)g;
	return 0;
}

static const struct cli_opt compare_opts[] = {
	CLI_OPT_FN("policies", opt_policies),
	CLI_OPT_SWITCH(struct compare_args, co.switch_month),
	CLI_OPT_YEAR("year", struct compare_args, co.year),
	CLI_OPT_FN("by", opt_by),
	CLI_OPT_COUNT("top", struct compare_args, top, 0, LONG_MAX, "a number >= 0"),
	CLI_OPT_FLAG("wide", struct compare_args, wide),
	{ 0 },
};
static const struct cli_spec compare_spec = {
	"compare", usage, compare_opts, CLI_SOURCE | CLI_FORMAT, 0, NULL
};

/* ---------------------------------------------------------------------- */
/* Text                                                                     */

/* The text tables: by default the columns that tell who gains (the
 * value-weighted wait under B and its change, and the change in units and
 * USD), clipped names, so that they fit 100 columns; --wide: every column,
 * as --csv and --json always have. */
#define NAME_WIDTH 16

static struct cli_table *group_table(const struct allot_compare *c, enum allot_group_by by,
				     int wide)
{
	const char *pa = allot_policy_kind_name(c->policy[0]);
	const char *pb = allot_policy_kind_name(c->policy[1]);
	char h[6][40];
	snprintf(h[0], sizeof h[0], "wait_%s", pa);
	snprintf(h[1], sizeof h[1], "wait_%s", pb);
	snprintf(h[2], sizeof h[2], "units_%d_%s", c->year, pa);
	snprintf(h[3], sizeof h[3], "units_%d_%s", c->year, pb);
	snprintf(h[4], sizeof h[4], "vw_wait_%s", pb);
	snprintf(h[5], sizeof h[5], "usd_m_%d_%s", c->year, pb);
	int unk = allot_compare_has_unknown_costs(c);
	const char *usd_change = unk ? "usd_change_known" : "usd_change";
	static const int num[] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	const char *head_wide[] = { allot_group_by_name(by),
				    "name",
				    "orders",
				    h[4],
				    "vw_change",
				    h[0],
				    h[1],
				    "change",
				    h[2],
				    h[3],
				    "change",
				    h[5],
				    usd_change,
				    "cut",
				    "earlier",
				    "later",
				    "unknown_cost_units" };
	const char *head_narrow[] = {
		allot_group_by_name(by), "name",    "orders", h[4], "vw_change",
		"units_change",          usd_change
	};
	const char **head = wide ? head_wide : head_narrow;
	int n = wide ? (unk ? 17 : 16) : 7;
	/* tiers and regions are their own names */
	if (by == ALLOT_BY_TIER || by == ALLOT_BY_REGION) {
		memmove(&head[1], &head[2], (size_t)(n - 2) * sizeof *head);
		return cli_table_new(n - 1, head, num + 1);
	}
	return cli_table_new(n, head, num);
}

static void group_row(struct cli_table *t, enum allot_group_by by,
		      const struct allot_compare_group *g, int unk, int wide)
{
	char db[32], clip[4 * NAME_WIDTH + 1];
	cli_table_add(t, g->key);
	if (by != ALLOT_BY_TIER && by != ALLOT_BY_REGION)
		cli_table_add(t,
			      wide ? g->label : cli_clip(g->label, NAME_WIDTH, clip, sizeof clip));
	cli_table_addf(t, "%zu", g->orders);
	if (isnan(g->vwait[1])) {
		const char *none = allot_compare_nowait_word(g);
		cli_table_add(t, none);
		cli_table_add(t, none);
	} else {
		cli_table_addf(t, "%.1f", g->vwait[1]);
		cli_table_add(t, allot_fmt_delta(g->delta_vwait, 1, db));
	}
	if (!wide) {
		cli_table_add(t, allot_fmt_delta_int(g->delta_units, db));
		cli_usd_change_cell(t, g->value_usd, g->delta_value);
		return;
	}
	cli_table_addf(t, "%.1f", g->mean_wait[0]);
	cli_table_addf(t, "%.1f", g->mean_wait[1]);
	cli_table_add(t, allot_fmt_delta(g->delta_wait, 1, db));
	cli_table_addf(t, "%lld", (long long)g->by_year[0]);
	cli_table_addf(t, "%lld", (long long)g->by_year[1]);
	cli_table_add(t, allot_fmt_delta_int(g->delta_units, db));
	char vb[48]; /* ">= " when units of unknown cost are left out */
	cli_table_add(t, allot_usd_num(&g->value_usd[1], 1e6, 1, 1, vb));
	cli_usd_change_cell(t, g->value_usd, g->delta_value);
	cli_table_addf(t, "%zu", g->cut);
	cli_table_addf(t, "%zu", g->earlier);
	cli_table_addf(t, "%zu", g->later);
	if (unk)
		cli_unknown_units_cell(t, g->value_usd);
}

/* Whether a group gains or waits: by its value-weighted change when it
 * has value, else by its mean wait (the ranking is allot_compare's). */
static double gain_key(const struct allot_compare_group *g)
{
	return g->weight > 0 ? g->delta_vwait : g->delta_wait;
}

/* sign < 0: groups that gain; > 0: groups that wait; 0: every group. */
static size_t print_list(const struct allot_compare *c, enum allot_group_by by, int sign, long top,
			 int wide)
{
	struct cli_table *t = group_table(c, by, wide);
	size_t shown = 0, total = 0;
	const struct allot_compare_group *g = c->groups[by];
	size_t n = c->n_groups[by];
	for (size_t k = 0; k < n; k++) {
		size_t i = sign > 0 ? n - 1 - k : k; /* waiters: the longest first */
		double gk = gain_key(&g[i]);
		int gains = gk < 0 || (gk == 0 && g[i].delta_units > 0);
		int waits = gk > 0 || (gk == 0 && g[i].delta_units < 0);
		if ((sign < 0 && !gains) || (sign > 0 && !waits))
			continue;
		total++;
		if (top && shown >= (size_t)top)
			continue;
		group_row(t, by, &g[i], allot_compare_has_unknown_costs(c), wide);
		shown++;
	}
	if (shown)
		cli_table_print(t, CLI_TEXT, stdout);
	else
		printf("(none)\n");
	if (total > shown)
		printf("... and %zu more (--top 0 shows all)\n", total - shown);
	cli_table_free(t);
	return total;
}

static void print_gain_wait(const struct allot_compare *c, enum allot_group_by by, long top,
			    int wide)
{
	const char *pb = allot_policy_kind_name(c->policy[1]);
	const char *name = allot_group_by_name(by);
	printf("\nwho gains under %s (shorter value-weighted mean wait, or as long and more "
	       "units), by %s\n",
	       pb, name);
	size_t gain = print_list(c, by, -1, top, wide);
	printf("\nwho waits longer under %s, by %s\n", pb, name);
	size_t wait = print_list(c, by, 1, top, wide);
	size_t same = c->n_groups[by] - gain - wait;
	if (same)
		printf("\nunchanged: %zu %s%s (same mean wait and units)\n", same, name,
		       same == 1 ? "" : "s");
}

static void print_systems(const struct allot_compare *c, long top, int wide)
{
	const char *pa = allot_policy_kind_name(c->policy[0]);
	const char *pb = allot_policy_kind_name(c->policy[1]);
	printf("\nsystems whose queues change most (mean months an order moves, either way)\n");
	char h[2][40];
	snprintf(h[0], sizeof h[0], "wait_%s", pa);
	snprintf(h[1], sizeof h[1], "wait_%s", pb);
	const char *head[] = { "system",  "name",  "orders", "moved_months",
			       "earlier", "later", h[0],     h[1] };
	static const int num[] = { 0, 0, 1, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(8, head, num);
	size_t shown = 0, moved = 0;
	for (size_t k = 0; k < c->n_groups[ALLOT_BY_SYSTEM]; k++) {
		const struct allot_compare_group *g = &c->groups[ALLOT_BY_SYSTEM][k];
		if (g->mean_abs_shift == 0)
			continue;
		moved++;
		if (top && shown >= (size_t)top)
			continue;
		char clip[4 * 24 + 1];
		cli_table_add(t, g->key);
		cli_table_add(t, wide ? g->label : cli_clip(g->label, 24, clip, sizeof clip));
		cli_table_addf(t, "%zu", g->orders);
		cli_table_addf(t, "%.1f", g->mean_abs_shift);
		cli_table_addf(t, "%zu", g->earlier);
		cli_table_addf(t, "%zu", g->later);
		cli_table_addf(t, "%.1f", g->mean_wait[0]);
		cli_table_addf(t, "%.1f", g->mean_wait[1]);
		shown++;
	}
	if (shown)
		cli_table_print(t, CLI_TEXT, stdout);
	else
		printf("(none: every system's orders complete when they did)\n");
	if (moved > shown)
		printf("... and %zu more (--top 0 shows all)\n", moved - shown);
	cli_table_free(t);
}

static void print_tiers(const struct allot_compare *c, int wide)
{
	printf("\nby tier (the partner's tier at as_of)\n");
	struct cli_table *t = group_table(c, ALLOT_BY_TIER, wide);
	for (size_t k = 0; k < c->n_groups[ALLOT_BY_TIER]; k++)
		group_row(t, ALLOT_BY_TIER, &c->groups[ALLOT_BY_TIER][k],
			  allot_compare_has_unknown_costs(c), wide);
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
}

static void print_text(const struct allot_scenario *s, const struct allot_compare *c, int by,
		       long top, int wide)
{
	const char *pa = allot_policy_kind_name(c->policy[0]);
	const char *pb = allot_policy_kind_name(c->policy[1]);
	char m0[8], sw[8];
	allot_month_format(s->as_of, m0);
	allot_month_format(c->switch_month, sw);
	printf("compare: scenario %s, %s vs %s", s->name, pa, pb);
	if (c->switch_month != ALLOT_NO_MONTH && c->switch_month > s->as_of)
		printf(" (both fcfs before %s)", sw);
	printf(", %zu orders\n", s->n_orders);
	printf("wait: months from the later of LOA and %s to the last unit's arrival;\n"
	       "units: delivered from %s to the end of %d\n\n",
	       m0, m0, c->year);
	const struct allot_compare_group *all = &c->all;
	char d0[32], d1[32], d2[32], d3[32];
	printf("all: %zu orders with units open; mean wait %s %.1f, %s %.1f (%s);\n"
	       "not complete in the horizon %zu, %zu; units by %d %lld, %lld (%s)\n",
	       all->orders, pa, all->mean_wait[0], pb, all->mean_wait[1],
	       allot_fmt_delta(all->delta_wait, 1, d0), all->censored[0], all->censored[1], c->year,
	       (long long)all->by_year[0], (long long)all->by_year[1],
	       allot_fmt_delta_int(all->delta_units, d2));
	printf("orders completing earlier under %s: %zu, later: %zu\n", pb, all->earlier,
	       all->later);
	char u0[ALLOT_STYLE_USD_SUM_MAX], u1[ALLOT_STYLE_USD_SUM_MAX];
	printf("value by %d under %s: %s\nvalue by %d under %s: %s\n", c->year, pa,
	       allot_style_usd_sum(&all->value_usd[0], u0), c->year, pb,
	       allot_style_usd_sum(&all->value_usd[1], u1));
	printf("value-weighted mean wait %.1f, %.1f (%s); orders cut by budget caps under %s\n"
	       "and not %s: %zu (%s units)\n",
	       all->vwait[0], all->vwait[1], allot_fmt_delta(all->delta_vwait, 1, d1), pb, pa,
	       all->cut, allot_fmt_delta_int(all->cancelled[1] - all->cancelled[0], d3));
	printf("(waits weighted by each order's value open at as_of; cut orders are not "
	       "waits: docs/answers.md)\n");
	if (allot_compare_has_unknown_costs(c) && !wide)
		printf("(USD counts known unit costs only: usd_change_known a change of the known\n"
		       "costs; --wide adds the value by %d, \">=\" a lower bound, and the units of\n"
		       "unknown cost)\n",
		       c->year);
	else if (allot_compare_has_unknown_costs(c))
		printf("(USD counts known unit costs only: \">=\" a lower bound, usd_change_known a "
		       "change of the\nknown costs; unknown_cost_units: the units of unknown cost "
		       "delivered by %d under %s,\nand their change)\n",
		       c->year, pb);
	cli_cost_estimate_note(s, 0);
	if (by < 0 || by == ALLOT_BY_PARTNER)
		print_gain_wait(c, ALLOT_BY_PARTNER, top, wide);
	if (by < 0 || by == ALLOT_BY_TIER)
		print_tiers(c, wide);
	if (by < 0 || by == ALLOT_BY_REGION)
		print_gain_wait(c, ALLOT_BY_REGION, top, wide);
	if (by < 0 || by == ALLOT_BY_SYSTEM)
		print_systems(c, top, wide);
}

/* ---------------------------------------------------------------------- */
/* CSV and JSON: one long table, a row per group                            */

/* --csv: group, year, then allot_compare_columns, a row for all first; the
 * same keys as --json and the API (allot_compare_json). */
static void print_csv(const struct allot_compare *c, int by)
{
	const char *head[2 + ALLOT_COMPARE_NCOL] = { "group", "year" };
	for (int k = 0; k < ALLOT_COMPARE_NCOL; k++)
		head[2 + k] = allot_compare_columns[k];
	struct cli_table *t = cli_table_new(2 + ALLOT_COMPARE_NCOL, head, NULL);
	char b[64];
	for (int g = -1; g < ALLOT_BY_COUNT; g++) {
		if (by >= 0 && g != by) /* --by: that grouping alone */
			continue;
		size_t n = g < 0 ? 1 : c->n_groups[g];
		for (size_t k = 0; k < n; k++) {
			struct allot_cell cell[ALLOT_COMPARE_NCOL];
			allot_compare_group_cells(g < 0 ? &c->all : &c->groups[g][k], cell);
			cli_table_add(t,
				      g < 0 ? "all" : allot_group_by_name((enum allot_group_by)g));
			cli_table_addf(t, "%d", c->year);
			for (int e = 0; e < ALLOT_COMPARE_NCOL; e++)
				cli_table_add(t, allot_cell_text(&cell[e], b));
		}
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a;
	memset(&a, 0, sizeof a);
	allot_compare_options_init(&a.co);
	a.by = -1;
	a.top = 15;
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&compare_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	struct allot_compare *c = NULL;
	int lrc = allot_compare_run(s, &a.co, &c);
	if (lrc != ALLOT_OK) {
		fprintf(stderr, "allot compare: %s\n", allot_strerror(lrc));
	} else if (a.o.fmt == CLI_CSV) {
		print_csv(c, a.by);
	} else if (a.o.fmt == CLI_JSON) {
		cli_json_print(allot_compare_json(s, c, a.by), 0);
	} else {
		print_text(s, c, a.by, a.top, a.wide);
	}
	allot_compare_free(c);
	allot_scenario_free(s);
	return cli_exit_code(lrc);
}
