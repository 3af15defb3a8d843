/*
 * cmd_opportunities.c - `allot opportunities`: catalog systems whose lines
 * have capacity left unsold in the next months, with the partners best
 * placed to buy it (tier, score, budget room; docs/report.md).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot opportunities DIR | --db FILE [--scenario NAME] [--months N]\n"
		     "                           [--top K] [--policy fcfs|priority]\n"
		     "                           [--switch YYYY-MM] [--wide] [--csv | --json]\n"
		     "\n"
		     "Capacity left unsold: for each catalog system (systems.csv catalog=1; when\n"
		     "the scenario marks none, every system), the units its line could still\n"
		     "make for foreign customers in the next N months after the plan has served\n"
		     "every open order: the sum over those months of the line's foreign capacity\n"
		     "F(t) less what the plan uses.  Systems on one line share that capacity.\n"
		     "\n"
		     "For each, the partners best placed to buy it, in the order the priority\n"
		     "rule would serve them: tier first; within a tier the line's customers\n"
		     "(marked *: an order for a system made on it), then score.  Left out: a\n"
		     "partner an end-use block would stop (EEUM system, status violation) or\n"
		     "whose budget cap leaves less room than one unit.  Budget room is the\n"
		     "latest budget_cap before the window's end less the partner's committed\n"
		     "value (units still to produce, at unit cost); 'no cap' when none applies.\n"
		     "The text lists the partners' ISO3 codes, to fit 100 columns; --wide adds\n"
		     "each one's tier, score and budget room.\n"
		     "\n"
		     "options:\n"
		     "  --months N        the window, from as_of (default: 24)\n"
		     "  --top K           partners listed per system (default: 3)\n"
		     "  --policy P        fcfs or priority (default: priority)\n"
		     "  --switch YYYY-MM  months before this use fcfs (default: the scenario's)\n"
		     "  --wide            text: each partner's tier, score and budget room\n"
		     "  --db FILE         read the scenario from a store instead of DIR\n"
		     "  --scenario NAME   which stored scenario\n"
		     "  --csv, --json     machine-readable output: one row per system and buyer\n"
		     "  -h, --help        show this help\n"
		     "\n"
		     "examples:\n"
		     "  allot opportunities data/default\n"
		     "  allot opportunities data/default --months 12 --top 5\n");
}

struct opp_args {
	struct cli_common o;
	struct allot_plan_options po;
	int months;
	int top;
	int wide;
};

static const struct cli_opt opp_opts[] = {
	CLI_OPT_POLICY(struct opp_args, po.policy),
	CLI_OPT_SWITCH(struct opp_args, po.switch_month),
	CLI_OPT_COUNT("months", struct opp_args, months, 1, 100000,
		      "a whole number of months from 1"),
	CLI_OPT_COUNT("top", struct opp_args, top, 1, 1000, "a number from 1 to 1000"),
	CLI_OPT_FLAG("wide", struct opp_args, wide),
	{ 0 },
};
static const struct cli_spec opp_spec = { "opportunities",         usage, opp_opts,
					  CLI_SOURCE | CLI_FORMAT, 0,     NULL };

/* --csv: one row per (system, buyer), a system without buyers with the
 * buyer columns empty; --json: the API's object (allot_opportunities_json).
 * The keys are allot_opportunity_columns and allot_buyer_columns in both. */
static void print_data(const struct allot_plan *p, const struct allot_opportunities *r,
		       enum cli_format fmt)
{
	if (fmt == CLI_JSON) {
		cli_json_print(allot_opportunities_json(p, r), 0);
		return;
	}
	const struct allot_scenario *s = p->scenario;
	const char *head[ALLOT_OPPORTUNITY_NCOL + ALLOT_BUYER_NCOL + 1];
	int basis = allot_scenario_has_rate_basis(s); /* a last column, as orders --csv */
	for (int k = 0; k < ALLOT_OPPORTUNITY_NCOL; k++)
		head[k] = allot_opportunity_columns[k];
	for (int k = 0; k < ALLOT_BUYER_NCOL; k++)
		head[ALLOT_OPPORTUNITY_NCOL + k] = allot_buyer_columns[k];
	head[ALLOT_OPPORTUNITY_NCOL + ALLOT_BUYER_NCOL] = "rate_basis";
	struct cli_table *t =
		cli_table_new(ALLOT_OPPORTUNITY_NCOL + ALLOT_BUYER_NCOL + basis, head, NULL);
	struct allot_cell c[ALLOT_OPPORTUNITY_NCOL + ALLOT_BUYER_NCOL];
	char buf[64];
	for (size_t i = 0; i < r->n; i++) {
		const struct allot_opportunity *op = &r->v[i];
		allot_opportunity_cells(s, op, c);
		for (size_t k = 0; k < (op->n_buyers ? op->n_buyers : 1); k++) {
			if (op->n_buyers)
				allot_buyer_cells(s, &op->buyers[k], k + 1,
						  c + ALLOT_OPPORTUNITY_NCOL);
			for (int e = 0; e < ALLOT_OPPORTUNITY_NCOL + ALLOT_BUYER_NCOL; e++)
				cli_table_add(t, e >= ALLOT_OPPORTUNITY_NCOL && !op->n_buyers
							 ? ""
							 : allot_cell_text(&c[e], buf));
			if (basis)
				cli_table_add(t, cli_rate_basis(s, op->system));
		}
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

static void print_text(const struct allot_plan *p, const struct allot_opportunities *r, int wide)
{
	const struct allot_scenario *s = p->scenario;
	char m0[8], m1[8], sw[8];
	allot_month_format(s->as_of, m0);
	allot_month_format(s->as_of + r->months - 1, m1);
	allot_month_format(p->switch_month, sw);
	printf("opportunities: scenario %s, policy %s", s->name, allot_policy_kind_name(p->policy));
	if (p->policy == ALLOT_POLICY_PRIORITY && p->switch_month != ALLOT_NO_MONTH &&
	    p->switch_month > s->as_of)
		printf(" (fcfs before %s)", sw);
	printf("\ncapacity left unsold %s..%s (%d months) after every open order\n", m0, m1,
	       r->months);
	if (!r->catalog_only)
		printf("no system is marked catalog=1 in systems.csv: every system is listed\n");
	printf("\n");
	if (r->n == 0) {
		printf("none: the plan uses every line's capacity in the window\n");
		return;
	}
	/* 'line rate' (estimate, cited) when some line states its basis: the
	 * unsold units rest on the line's rate, as orders' completions do */
	static const char *const head[] = { "system_id",
					    "line_id",
					    "from",
					    "unsold",
					    "value_usd_m",
					    "line rate",
					    "best placed: ISO3 (tier, score, budget room)" };
	/* 100 columns: ids clipped, the partners' codes alone */
	static const char *const narrow[] = { "system_id", "line_id",   "from",       "unsold",
					      "usd_m",     "line rate", "best placed" };
	static const int num[] = { 0, 0, 0, 1, 1, 0, 0 };
	const char *hd[7];
	int nm[7], nc = 0, basis = allot_scenario_has_rate_basis(s);
	for (int k = 0; k < 7; k++)
		if (k != 5 || basis) {
			hd[nc] = wide ? head[k] : narrow[k];
			nm[nc++] = num[k];
		}
	struct cli_table *t = cli_table_new(nc, hd, nm);
	struct allot_usd total = { 0 }; /* unknown unit costs apart */
	size_t est = 0;                 /* rows at an estimated unit cost */
	char ub[ALLOT_STYLE_USD_SUM_MAX];
	for (size_t i = 0; i < r->n; i++) {
		const struct allot_opportunity *op = &r->v[i];
		const struct allot_system *y = &s->systems[op->system];
		char m[8], who[512];
		size_t n = 0;
		who[0] = '\0';
		allot_month_format(s->as_of + op->first_month, m);
		for (size_t k = 0; k < op->n_buyers && n < sizeof who; k++) {
			const struct allot_buyer *by = &op->buyers[k];
			char rb[32];
			const char *rs = by->capped ? allot_style_usd(by->room_usd, rb) : "no cap";
			if (wide)
				n += (size_t)snprintf(
					who + n, sizeof who - n, "%s%s%s (%d, %.1f, %s)",
					k ? "; " : "", s->partners[by->partner].iso3,
					by->customer ? "*" : "", by->tier, by->score, rs);
			else if (by->capped) /* the room matters: USD million */
				n += (size_t)snprintf(who + n, sizeof who - n, "%s%s%s (room %.1f)",
						      k ? " " : "", s->partners[by->partner].iso3,
						      by->customer ? "*" : "", by->room_usd / 1e6);
			else
				n += (size_t)snprintf(who + n, sizeof who - n, "%s%s%s",
						      k ? " " : "", s->partners[by->partner].iso3,
						      by->customer ? "*" : "");
		}
		char clip[160];
		size_t w = wide ? 1000 : 14;
		cli_table_add(t, cli_clip(y->system_id, w, clip, sizeof clip));
		cli_table_add(t, cli_clip(s->lines[y->line].line_id, w, clip, sizeof clip));
		cli_table_add(t, m);
		cli_table_addf(t, "%lld", (long long)op->unsold_units);
		if (allot_cost_known(y->unit_cost_usd))
			cli_table_addf(t, "%.1f", op->value_usd / 1e6);
		else
			cli_table_add(t, ALLOT_SYM_UNKNOWN);
		if (basis)
			cli_table_add(t, cli_rate_basis_text(s, op->system));
		cli_table_add(t, op->n_buyers ? who : "nobody eligible");
		allot_usd_add(&total, op->unsold_units, y->unit_cost_usd, 0);
		est += y->unit_cost_basis == ALLOT_RATE_ESTIMATE &&
		       allot_cost_known(y->unit_cost_usd);
	}
	/* the value rests on the unit costs: an estimate says so */
	char en[200] = "";
	if (est)
		snprintf(
			en, sizeof en,
			", an estimate on %zu of the %zu rows and in the total below " CLI_EST_COST_SOURCE,
			est, r->n);
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	if (wide) {
		printf("\n* already a customer of the line (an order for a system made on it)\n");
		if (est)
			cli_legend("value_usd_m: at unit cost%s", en);
	} else
		cli_legend(
			"\nusd_m: the unsold units at unit cost, USD million%s; best placed: in the "
			"order the priority rule would serve them (* already a customer of the "
			"line: an order for a system made on it; room: the budget room under a "
			"cap, USD million; --wide adds each one's tier and score)",
			en);
	cli_legend("%zu system%s with unsold capacity; at unit cost %s in all (systems on one "
		   "line share its capacity, so this total counts shared lines more than once)",
		   r->n, r->n == 1 ? "" : "s", allot_style_usd_sum(&total, ub));
}

int cmd_opportunities(int argc, char **argv)
{
	struct opp_args a;
	memset(&a, 0, sizeof a);
	allot_plan_options_init(&a.po);
	a.months = 24;
	a.top = 3;
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&opp_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	struct allot_plan *p = NULL;
	struct allot_opportunities *r = NULL;
	int lrc = allot_plan_run(s, &a.po, &p);
	if (lrc == ALLOT_OK)
		lrc = allot_opportunities_run(p, a.months, (size_t)a.top, &r);
	if (lrc != ALLOT_OK)
		fprintf(stderr, "allot opportunities: %s\n", allot_strerror(lrc));
	else if (a.o.fmt == CLI_TEXT)
		print_text(p, r, a.wide);
	else
		print_data(p, r, a.o.fmt);
	allot_opportunities_free(r);
	allot_plan_free(p);
	allot_scenario_free(s);
	return lrc != ALLOT_OK ? cli_exit_code(lrc) : EXIT_OK;
}
