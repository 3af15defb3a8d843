/*
 * cmd_metrics.c - `allot metrics --quarterly`: the aggregate quarterly
 * performance figures the strategy asks the task force to publish, from the
 * scenario's history and a plan (allot_metrics_quarterly; every figure is
 * defined in docs/answers.md).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot metrics [--quarterly] DIR | --db FILE [--scenario NAME]\n"
		"                     [--policy fcfs|priority] [--switch YYYY-MM]\n"
		"                     [--tier all|N] [--from YYYY-MM] [--to YYYY-MM] [--all]\n"
		"                     [--csv | --json]\n"
		"\n"
		"Quarterly performance metrics from the order book and a plan, for every\n"
		"tier together and each tier apart (the partner's tier at as_of):\n"
		"  requests      requests received in the quarter (requests.csv, by lor_month)\n"
		"  offered       of all requests, LOAs offered in the quarter (estimated LOA\n"
		"                month under the policy; held requests are never offered)\n"
		"  loas          LOAs signed in the quarter (orders by loa_month)\n"
		"  loa_value     their value, qty x unit cost\n"
		"  delivered     units (and value) the plan delivers in the quarter\n"
		"  backlog       value of units signed for and not yet arrived at the\n"
		"                quarter's end\n"
		"  open_cases    orders with units in that backlog; median_age: their\n"
		"                median months since LOA\n"
		"  on_time       share of units delivered in the quarter on or before\n"
		"                their order's need month (orders with one), and share of\n"
		"                orders completing in the quarter on or before it\n"
		"Deliveries before as_of are not dated in a scenario (only a count per\n"
		"order), so delivery, backlog and age figures start at as_of; requests.csv\n"
		"lists only the requests not yet orders at as_of, so requests and offers\n"
		"are known from the quarter of as_of on. 'unknown' marks a figure that is\n"
		"not known (empty in CSV, null in JSON), 'n/a' one that does not apply\n"
		"(no open case, no need month).  The text prints two tables (flows;\n"
		"backlog and timeliness) and leaves out history quarters with no LOA and\n"
		"no known request (SIPRI dates LOAs by year, which the data files as\n"
		"January) and, without --from or --to, quarters more than five years past\n"
		"as_of: --all shows every quarter.\n"
		"\n"
		"options:\n"
		"  --quarterly       per calendar quarter (the default, and the only period)\n"
		"  --all             text: every quarter, also empty history quarters\n"
		"  --policy P        the plan's policy (default: priority)\n"
		"  --switch YYYY-MM  months before this use fcfs (default: the scenario's)\n"
		"  --tier T          text: all (default) or one tier; CSV/JSON: every tier\n"
		"                    unless given\n"
		"  --from, --to      only the quarters holding these months and between\n"
		"  --db FILE         read the scenario from a store\n"
		"  --scenario NAME   which stored scenario\n"
		"  --csv, --json     machine-readable output (exact USD)\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot metrics data/default --from 2024-01 --to 2027-12\n"
		"  allot metrics data/default --policy fcfs --tier 1\n"
		"  allot metrics --quarterly --db allot.db --csv > metrics.csv\n");
}

struct metrics_args {
	struct cli_common o;
	int quarterly, all;
	enum allot_policy_kind policy;
	allot_month sw, from, to;
	int tier; /* -1: every tier (CSV/JSON), 0: all together */
};

static int opt_tier(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	struct metrics_args *a = args;
	char *end;
	if (strcmp(arg, "all") == 0) {
		a->tier = 0;
		return 0;
	}
	a->tier = (int)strtol(arg, &end, 10);
	if (*end || a->tier < 1 || a->tier > ALLOT_MAX_TIERS) {
		fprintf(stderr, "allot %s: --tier takes all or a tier number, not '%s'\n", cmd,
			arg);
		return -1;
	}
	return 0;
}

static const struct cli_opt metrics_opts[] = {
	CLI_OPT_FLAG("quarterly", struct metrics_args, quarterly),
	CLI_OPT_POLICY(struct metrics_args, policy),
	CLI_OPT_SWITCH(struct metrics_args, sw),
	CLI_OPT_FN("tier", opt_tier),
	CLI_OPT_MONTH("from", struct metrics_args, from),
	CLI_OPT_MONTH("to", struct metrics_args, to),
	CLI_OPT_FLAG("all", struct metrics_args, all),
	{ 0 },
};
static const struct cli_spec metrics_spec = {
	"metrics", usage, metrics_opts, CLI_SOURCE | CLI_FORMAT, 0, NULL
};

static void add_share(struct cli_table *t, double num, double den, int pct)
{
	if (den <= 0)
		cli_table_add(t, pct ? ALLOT_SYM_NA : "");
	else if (pct)
		cli_table_addf(t, "%.0f%%", 100 * num / den);
	else
		cli_table_addf(t, "%.4f", num / den);
}

static void print_text(const struct allot_scenario *s, const struct allot_metrics *m,
		       const struct metrics_args *a, allot_quarter q0, allot_quarter q1)
{
	char m0[8];
	allot_month_format(s->as_of, m0);
	printf("quarterly metrics: scenario %s, policy %s, ", s->name,
	       allot_policy_kind_name(a->policy));
	if (a->tier > 0)
		printf("tier %d only\n", a->tier);
	else
		printf("every tier\n");
	size_t W = m->n_tiers + 1, skipped = 0, later = 0;
	int unknown = 0; /* some USD figure leaves units of unknown cost out */
	for (size_t k = 0; k < m->n_quarters * W; k++)
		unknown |= m->rows[k].loa_unknown_cost_units > 0 ||
			   m->rows[k].delivered_unknown_cost_units > 0 ||
			   m->rows[k].backlog_unknown_cost_units > 0;
	if (unknown)
		printf("USD millions of known unit costs (\">=\": a lower bound, units of unknown\n"
		       "cost left out; --csv counts them);\n");
	else
		printf("USD millions;\n");
	printf("data: history (before %s: deliveries not dated, requests not listed:\n"
	       "unknown), plan, or partial (the plan covers part of the quarter); on-time\n"
	       "shares count orders with a need month\n\n",
	       m0);
	/* Without a window: five years from as_of, unless --all. */
	allot_quarter qmax = !a->all && a->from == ALLOT_NO_MONTH && a->to == ALLOT_NO_MONTH
				     ? allot_quarter_of(s->as_of) + 19
				     : q1;
	static const char *const h1[] = { "quarter", "data",      "requests",  "offered",
					  "loas",    "loa_value", "delivered", "value" };
	static const char *const h2[] = { "quarter",    "data",          "backlog",       "open",
					  "median_age", "on_time_units", "on_time_orders" };
	static const int n1[] = { 0, 0, 1, 1, 1, 1, 1, 1 };
	static const int n2[] = { 0, 0, 1, 1, 1, 1, 1 };
	struct cli_table *t1 = cli_table_new(8, h1, n1), *t2 = cli_table_new(7, h2, n2);
	for (size_t q = 0; q < m->n_quarters; q++) {
		const struct allot_quarter_metrics *r = &m->rows[q * W + (size_t)a->tier];
		if (r->quarter < q0 || r->quarter > q1)
			continue;
		if (!a->all && r->coverage == ALLOT_COVER_NONE && r->loas == 0 &&
		    (!r->requests_known || (r->requests_received == 0 && r->loas_offered == 0))) {
			skipped++;
			continue;
		}
		if (r->quarter > qmax) {
			later++;
			continue;
		}
		char b[8];
		allot_quarter_format(r->quarter, b);
		cli_table_add(t1, b);
		cli_table_add(t1, allot_coverage_name(r->coverage));
		cli_table_add(t2, b);
		cli_table_add(t2, allot_coverage_name(r->coverage));
		if (r->requests_known) {
			cli_table_addf(t1, "%zu", r->requests_received);
			cli_table_addf(t1, "%zu", r->loas_offered);
		} else { /* requests.csv lists only those open at as_of */
			cli_table_add(t1, ALLOT_SYM_UNKNOWN);
			cli_table_add(t1, ALLOT_SYM_UNKNOWN);
		}
		cli_table_addf(t1, "%zu", r->loas);
		/* ">= " when units of unknown cost are left out, "unknown" when
		 * nothing in the sum is known (docs/allocation.md) */
		struct allot_usd ul = { r->loa_value_usd, r->loa_unknown_cost_units, 0 },
				 ud = { r->value_delivered_usd, r->delivered_unknown_cost_units,
					0 },
				 ub = { r->backlog_value_usd, r->backlog_unknown_cost_units, 0 };
		char vb[48];
		cli_table_add(t1, allot_usd_num(&ul, 1e6, 1, 1, vb));
		if (r->coverage == ALLOT_COVER_NONE) { /* not dated before the plan */
			cli_table_add(t1, ALLOT_SYM_UNKNOWN);
			cli_table_add(t1, ALLOT_SYM_UNKNOWN);
		} else {
			cli_table_addf(t1, "%lld", (long long)r->units_delivered);
			cli_table_add(t1, allot_usd_num(&ud, 1e6, 1, 1, vb));
		}
		if (r->backlog_known) {
			cli_table_add(t2, allot_usd_num(&ub, 1e6, 1, 1, vb));
			cli_table_addf(t2, "%zu", r->open_cases);
			if (r->median_age_months < 0) /* no open case */
				cli_table_add(t2, ALLOT_SYM_NA);
			else
				cli_table_addf(t2, "%.1f", r->median_age_months);
		} else {
			cli_table_add(t2, ALLOT_SYM_UNKNOWN);
			cli_table_add(t2, ALLOT_SYM_UNKNOWN);
			cli_table_add(t2, ALLOT_SYM_UNKNOWN);
		}
		add_share(t2, (double)r->on_time_units, (double)r->need_units, 1);
		add_share(t2, (double)r->on_time_orders, (double)r->need_orders, 1);
	}
	if (skipped || later)
		printf("left out: %zu history quarters with no LOA, %zu quarters\n"
		       "more than five years ahead (--all or --from/--to show them)\n\n",
		       skipped, later);
	printf("flows: requests, LOAs offered and signed, deliveries (value in USD millions)\n");
	cli_table_print(t1, CLI_TEXT, stdout);
	printf("\nbacklog (USD millions) and timeliness at each quarter's end\n");
	cli_table_print(t2, CLI_TEXT, stdout);
	cli_table_free(t1);
	cli_table_free(t2);
}

/* --csv and --json: the columns of allot_metrics_columns, as the API. */
static void print_machine(const struct allot_metrics *m, const struct metrics_args *a,
			  allot_quarter q0, allot_quarter q1)
{
	struct allot_cell c[ALLOT_METRICS_NCOL];
	char qb[8], buf[64];
	size_t W = m->n_tiers + 1, shown = 0;
	struct cli_table *t = cli_table_new(ALLOT_METRICS_NCOL, allot_metrics_columns, NULL);
	if (a->o.fmt == CLI_JSON)
		printf("[\n");
	for (size_t i = 0; i < m->n_quarters * W; i++) {
		const struct allot_quarter_metrics *r = &m->rows[i];
		if (r->quarter < q0 || r->quarter > q1 || (a->tier >= 0 && r->tier != a->tier))
			continue;
		allot_metrics_row_cells(r, c, qb);
		if (a->o.fmt == CLI_JSON) {
			json_t *o = allot_cells_json(allot_metrics_columns, c, ALLOT_METRICS_NCOL);
			char *text = o ? json_dumps(o, JSON_PRESERVE_ORDER) : NULL;
			printf("%s %s", shown++ ? ",\n" : "", text ? text : "null");
			free(text);
			json_decref(o);
			continue;
		}
		for (int k = 0; k < ALLOT_METRICS_NCOL; k++)
			cli_table_add(t, allot_cell_text(&c[k], buf));
	}
	if (a->o.fmt == CLI_JSON)
		printf("%s]\n", shown ? "\n" : "");
	else
		cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

int cmd_metrics(int argc, char **argv)
{
	struct metrics_args a;
	memset(&a, 0, sizeof a);
	a.policy = ALLOT_POLICY_PRIORITY;
	a.sw = a.from = a.to = ALLOT_NO_MONTH;
	a.tier = -1;
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&metrics_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	if (a.tier > (int)s->policy.n_tier_thresholds + 1) {
		fprintf(stderr, "allot metrics: --tier %d: the policy has %zu tiers\n", a.tier,
			s->policy.n_tier_thresholds + 1);
		allot_scenario_free(s);
		return EXIT_USAGE;
	}
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = a.policy;
	po.switch_month = a.sw;
	struct allot_plan *p = NULL;
	struct allot_metrics *m = NULL;
	int lrc = allot_plan_run(s, &po, &p);
	if (lrc == ALLOT_OK)
		lrc = allot_metrics_quarterly(p, &m);
	if (lrc != ALLOT_OK) {
		fprintf(stderr, "allot metrics: %s\n", allot_strerror(lrc));
	} else {
		allot_quarter q0 = a.from != ALLOT_NO_MONTH ? allot_quarter_of(a.from) : INT32_MIN;
		allot_quarter q1 = a.to != ALLOT_NO_MONTH ? allot_quarter_of(a.to) : INT32_MAX;
		if (a.o.fmt == CLI_TEXT) {
			if (a.tier < 0)
				a.tier = 0;
			print_text(s, m, &a, q0, q1);
		} else {
			print_machine(m, &a, q0, q1);
		}
	}
	allot_metrics_free(m);
	allot_plan_free(p);
	allot_scenario_free(s);
	return cli_exit_code(lrc);
}
