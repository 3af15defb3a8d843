/*
 * cmd_orders.c - `allot orders`: find orders by partner, system, line,
 * tier, region or lateness, with names beside ids and the completion under
 * both policies side by side (lib/answers/orderbook.c, docs/answers.md).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot orders DIR | --db FILE [--scenario NAME] [--partner WHO]\n"
		"                   [--system WHAT] [--line WHAT] [--tier N] [--region R]\n"
		"                   [--late] [--switch YYYY-MM] [--top N | --all] [--csv | --json]\n"
		"\n"
		"Lists the open orders with their partner, system and tier, and when each\n"
		"completes under fcfs (first come, first served throughout) and under the\n"
		"priority rule from the switch month; 'shift' is priority minus fcfs in\n"
		"months (negative: earlier), counted as in 'allot diff'.  An order not\n"
		"complete within the horizon shows 'after' and the horizon's last month.\n"
		"WHO and WHAT are ids, names or unique prefixes, or comma lists of them.\n"
		"The text table opens with a summary and shows the first 25 rows; --csv\n"
		"and --json list every matching order.\n"
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
		"  --csv, --json     machine-readable output (every matching order)\n"
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
	int late;
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
	{ 0 },
};
static const struct cli_spec orders_spec = { "orders", usage, orders_opts, CLI_SOURCE | CLI_FORMAT,
					     0,        NULL };

/* A region must be one of the scenario's; a miss lists them. */
static int check_region(const struct allot_scenario *s, const char *region)
{
	for (size_t i = 0; i < s->n_partners; i++)
		if (strcasecmp(s->partners[i].region, region) == 0)
			return 0;
	fprintf(stderr, "allot orders: no partner in region '%s'; regions:", region);
	for (size_t i = 0; i < s->n_partners; i++) {
		size_t j = 0;
		while (j < i && strcmp(s->partners[j].region, s->partners[i].region) != 0)
			j++;
		if (j == i)
			fprintf(stderr, " %s", s->partners[i].region);
	}
	fprintf(stderr, "\n");
	return -1;
}

static void summary(const struct allot_scenario *s, const struct allot_orderbook *b)
{
	size_t done[2] = { 0, 0 }, earlier = 0, later = 0;
	int64_t left = 0;
	for (size_t i = 0; i < b->n_rows; i++) {
		const struct allot_orderbook_row *r = &b->rows[i];
		left += r->left;
		for (int k = 0; k < 2; k++)
			done[k] += r->completion[k] != ALLOT_NO_MONTH;
		earlier += r->shift_known && r->shift < 0;
		later += r->shift_known && r->shift > 0;
	}
	char sw[8] = "", last[8], units[32];
	if (b->switch_month != ALLOT_NO_MONTH && b->switch_month > s->as_of) /* as `plan` says */
		allot_month_format(b->switch_month, sw);
	allot_month_format(b->horizon_end - 1, last);
	printf("%zu of %zu orders, %s units outstanding; scenario %s, horizon to %s\n", b->n_rows,
	       b->n_total, allot_style_count(left, units), s->name, last);
	printf("complete in the horizon: %zu under fcfs, %zu under priority%s%s\n", done[0],
	       done[1], *sw ? " from " : "", sw);
	printf("under priority: %zu complete earlier, %zu later (shift, in months)\n\n", earlier,
	       later);
}

static void print(const struct allot_scenario *s, const struct allot_orderbook *b,
		  enum cli_format fmt, long top)
{
	int text = fmt == CLI_TEXT;
	static const char *const th[] = { "order", "partner",  "system", "tier", "left",
					  "fcfs",  "priority", "shift",  "need" };
	static const char *const mh[] = { "order_id",
					  "iso3",
					  "partner",
					  "system_id",
					  "system",
					  "line_id",
					  "tier",
					  "qty",
					  "left",
					  "loa_month",
					  "need_month",
					  "completion_fcfs",
					  "completion_priority",
					  "shift_months",
					  "months_late_fcfs",
					  "months_late_priority",
					  "units_short_fcfs",
					  "units_short_priority" };
	static const int tn[] = { 0, 0, 0, 1, 1, 0, 0, 1, 0 };
	static const int mn[] = { 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1 };
	allot_month last = b->horizon_end - 1;
	size_t n = text && top > 0 && (size_t)top < b->n_rows ? (size_t)top : b->n_rows;
	/* The need column only when a shown order has a need month. */
	int need_col = 0;
	for (size_t i = 0; i < n; i++)
		need_col |= s->orders[b->rows[i].order].need_month != ALLOT_NO_MONTH;
	struct cli_table *t = text ? cli_table_new(8 + need_col, th, tn)
				   : cli_table_new(18, mh, mn);
	for (size_t i = 0; i < n; i++) {
		const struct allot_orderbook_row *r = &b->rows[i];
		const struct allot_order *o = &s->orders[r->order];
		const struct allot_partner *p = &s->partners[o->partner];
		const struct allot_system *y = &s->systems[o->system];
		char m[2][ALLOT_STYLE_MONTH_MAX], need[8], loa[8], clip[128];
		for (int k = 0; k < 2; k++)
			allot_style_month(r->completion[k], last, m[k]);
		allot_month_format(o->need_month, need);
		allot_month_format(o->loa_month, loa);
		cli_table_add(t, o->order_id);
		if (!text) {
			cli_table_add(t, p->iso3);
			cli_table_add(t, p->name);
			cli_table_add(t, y->system_id);
			cli_table_add(t, y->name);
			cli_table_add(t, s->lines[y->line].line_id);
		} else {
			cli_table_add(t, cli_clip(p->name, 12, clip, sizeof clip));
			cli_table_add(t, cli_clip(y->name, need_col ? 12 : 18, clip, sizeof clip));
		}
		cli_table_addf(t, "%d", r->tier);
		if (!text)
			cli_table_addf(t, "%lld", (long long)o->qty);
		cli_table_addf(t, "%lld", (long long)r->left);
		if (!text) {
			cli_table_add(t, loa);
			cli_table_add(t, need);
		}
		if (text) {
			cli_table_add(t, m[0]);
			cli_table_add(t, m[1]);
		} else {
			allot_month_format(r->completion[0], m[0]);
			allot_month_format(r->completion[1], m[1]);
			cli_table_add(t, m[0]);
			cli_table_add(t, m[1]);
		}
		if (r->shift_known)
			cli_table_addf(t, "%d", r->shift);
		else
			cli_table_add(t, text ? ALLOT_SYM_NA : "");
		if (text && need_col)
			cli_table_add(t, *need ? need : ALLOT_SYM_NA);
		if (!text) {
			for (int k = 0; k < 2; k++) {
				if (r->late[k] < 0)
					cli_table_add(t, "");
				else
					cli_table_addf(t, "%d", r->late[k]);
			}
			for (int k = 0; k < 2; k++)
				cli_table_addf(t, "%lld", (long long)r->short_units[k]);
		}
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
	if (text && n < b->n_rows)
		printf("... %zu more; --all lists every order, --csv or --json every column\n",
		       b->n_rows - n);
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
	memset(&f, 0, sizeof f);
	int *partners = NULL, *systems = NULL, *lines = NULL;
	f.tier = (int)a.tier;
	f.region = a.region;
	f.late = a.late;
	rc = EXIT_USAGE;
	if (a.partner && cli_resolve_list("orders", s, ALLOT_KIND_PARTNER, a.partner, &partners,
					  &f.n_partners) != 0)
		goto done;
	if (a.system &&
	    cli_resolve_list("orders", s, ALLOT_KIND_SYSTEM, a.system, &systems, &f.n_systems) != 0)
		goto done;
	if (a.line &&
	    cli_resolve_list("orders", s, ALLOT_KIND_LINE, a.line, &lines, &f.n_lines) != 0)
		goto done;
	if (a.region && check_region(s, a.region) != 0)
		goto done;
	f.partners = partners;
	f.systems = systems;
	f.lines = lines;
	struct allot_orderbook *b = NULL;
	int lrc = allot_orderbook_run(s, a.sw, &f, &b);
	if (lrc != ALLOT_OK) {
		fprintf(stderr, "allot orders: %s\n", allot_strerror(lrc));
		rc = cli_exit_code(lrc);
		goto done;
	}
	if (a.o.fmt == CLI_TEXT)
		summary(s, b);
	print(s, b, a.o.fmt, a.top);
	allot_orderbook_free(b);
	rc = EXIT_OK;
done:
	free(partners);
	free(systems);
	free(lines);
	allot_scenario_free(s);
	return rc;
}
