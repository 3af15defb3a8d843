/*
 * cmd_reserve.c - `allot reserve`: how to spend a critical-minerals reserve
 * budget so that the most priority-weighted units are delivered under one
 * or more embargo scenarios (docs/reserve.md).  Prints the purchase, the
 * months of cover before and after, units and value by tier with and
 * without the reserve, the solver's bound and gaps, the binding minerals
 * month by month and the orders each purchase keeps on schedule.
 */
#include <getopt.h>
#include <stdarg.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_EMBARGOES 32
#define TEXT_ORDERS 25

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot reserve DIR | --db FILE [--scenario NAME] --budget USD\n"
		"                     [--embargo SOURCE[:START[:MONTHS]]]...\n"
		"                     [--objective expected|worst] [--method lp|heuristic|both]\n"
		"                     [--policy fcfs|priority] [--switch YYYY-MM]\n"
		"                     [--window MONTHS] [--step MONTHS] [--csv | --json]\n"
		"\n"
		"Recommends how many kilograms of each critical mineral to buy for a\n"
		"strategic reserve (added to the stock at as_of), within the budget at\n"
		"minerals.csv prices, so that the most priority-weighted units are\n"
		"delivered in the window under the embargo scenarios.  A unit delivered to\n"
		"a tier-k partner is worth policy.json reserve.tier_weights[k] (default\n"
		"3, 2, 1).  Two methods: an LP relaxation solved with GLPK (its optimum\n"
		"bounds what any purchase can achieve) and a greedy marginal-value\n"
		"heuristic; both purchases are evaluated with the exact planner and the\n"
		"better one is recommended.  docs/reserve.md has the formulation.\n"
		"\n"
		"options:\n"
		"  --budget USD        money to spend: 12e9, 12000000000, 12b, 950m, 40k\n"
		"  --embargo S[:START[:MONTHS]]\n"
		"                      one scenario: supply source S (as in supply.csv)\n"
		"                      stops for every mineral from START (default as_of)\n"
		"                      for MONTHS (default 24); repeat for more scenarios;\n"
		"                      none: the scenario's own embargoes.csv only\n"
		"  --objective O       expected (mean over scenarios, default) or worst\n"
		"  --method M          lp, heuristic or both (default both)\n"
		"  --policy P          the planner's rule: fcfs or priority (default)\n"
		"  --switch YYYY-MM    months before this use fcfs (default: the scenario's)\n"
		"  --window MONTHS     count units delivered in the first MONTHS months\n"
		"                      (default: to the end of the last embargo plus the\n"
		"                      longest lead time of a system that uses a mineral)\n"
		"  --step MONTHS       heuristic increment, in months of full-rate use (1)\n"
		"  --db FILE, --scenario NAME   read the scenario from a store\n"
		"  --csv, --json       machine-readable output\n"
		"  -h, --help          show this help\n"
		"\n"
		"examples:\n"
		"  allot reserve data/default --budget 12e9 --embargo china:2025-01:24\n"
		"  allot reserve data/default --budget 50m --embargo china --embargo allied:2026-01:12 \\\n"
		"                --objective worst --json\n");
}

struct reserve_args {
	struct cli_common o;
	struct allot_reserve_options ro;
	struct allot_embargo emb[MAX_EMBARGOES];
	char *emb_text[MAX_EMBARGOES]; /* the option's text, split in place */
	int emb_months[MAX_EMBARGOES];
	int has_budget;
};


static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* SOURCE[:START[:MONTHS]]: START and MONTHS are checked now; START's
 * default (as_of) is filled in once the scenario is loaded. */
static int parse_embargo(struct reserve_args *a, char *text)
{
	size_t k = a->ro.n_embargoes;
	if (k == MAX_EMBARGOES) {
		fprintf(stderr, "allot reserve: at most %d --embargo scenarios\n", MAX_EMBARGOES);
		return EXIT_USAGE;
	}
	if (cli_parse_embargo(text, &a->emb[k], &a->emb_months[k]) != 0) {
		fprintf(stderr,
			"allot reserve: --embargo takes SOURCE[:YYYY-MM[:MONTHS]], e.g. china:2025-01:24\n");
		return EXIT_USAGE;
	}
	a->ro.n_embargoes++;
	return EXIT_OK;
}

static int parse(int argc, char **argv, struct reserve_args *a)
{
	enum { OPT_BUDGET = OPT_FIRST_OWN, OPT_EMBARGO, OPT_OBJECTIVE, OPT_METHOD, OPT_POLICY,
	       OPT_SWITCH, OPT_WINDOW, OPT_STEP };
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS,
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ "embargo", required_argument, NULL, OPT_EMBARGO },
		{ "objective", required_argument, NULL, OPT_OBJECTIVE },
		{ "method", required_argument, NULL, OPT_METHOD },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "switch", required_argument, NULL, OPT_SWITCH },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "step", required_argument, NULL, OPT_STEP },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c, optarg, &a->o))
			continue;
		switch (c) {
		case OPT_BUDGET:
			if (cli_parse_usd(optarg, &a->ro.budget_usd) != 0) {
				fprintf(stderr, "allot reserve: --budget takes an amount in USD >= 0 "
						"(12e9, 12b, 950m), not '%s'\n", optarg);
				return EXIT_USAGE;
			}
			a->has_budget = 1;
			break;
		case OPT_EMBARGO:
			if ((rc = parse_embargo(a, optarg)) != EXIT_OK)
				return rc;
			break;
		case OPT_OBJECTIVE:
			if (strcmp(optarg, "expected") == 0)
				a->ro.objective = ALLOT_RESERVE_EXPECTED;
			else if (strcmp(optarg, "worst") == 0)
				a->ro.objective = ALLOT_RESERVE_WORST;
			else {
				fprintf(stderr, "allot reserve: --objective takes expected or worst, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_METHOD:
			if (strcmp(optarg, "lp") == 0)
				a->ro.methods = ALLOT_RESERVE_LP;
			else if (strcmp(optarg, "heuristic") == 0)
				a->ro.methods = ALLOT_RESERVE_HEURISTIC;
			else if (strcmp(optarg, "both") == 0)
				a->ro.methods = ALLOT_RESERVE_LP | ALLOT_RESERVE_HEURISTIC;
			else {
				fprintf(stderr, "allot reserve: --method takes lp, heuristic or both, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_POLICY:
			if (cli_opt_policy("reserve", optarg, &a->ro.policy) != 0)
				return EXIT_USAGE;
			break;
		case OPT_SWITCH:
			if (cli_opt_month("reserve", "switch", optarg, &a->ro.switch_month) != 0)
				return EXIT_USAGE;
			break;
		case OPT_WINDOW:
			if (parse_int(optarg, 1, 100000, &a->ro.window_months) != 0) {
				fprintf(stderr, "allot reserve: --window takes a number of months >= 1, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_STEP: {
			char *end;
			a->ro.step_months = strtod(optarg, &end);
			if (end == optarg || *end || !(a->ro.step_months > 0) ||
			    !isfinite(a->ro.step_months)) {
				fprintf(stderr, "allot reserve: --step takes a number of months > 0, not '%s'\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		}
		case 'h':
			usage(stdout);
			return -1;
		default:
			return cli_see_help("reserve");
		}
	}
	if ((rc = cli_common_positional("reserve", argc, argv, optind, &a->o)) != EXIT_OK)
		return rc;
	if (!a->has_budget) {
		fprintf(stderr, "allot reserve: give the money to spend with --budget USD "
				"(try 'allot reserve --help')\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* ---------------------------------------------------------------------- */
/* Figures derived for printing                                             */

static const char *month_str(allot_month m, char buf[8])
{
	allot_month_format(m, buf);
	return buf;
}

static const char *method_name(unsigned m)
{
	return m == ALLOT_RESERVE_LP ? "lp" : "heuristic";
}

static const char *scenario_label(const struct allot_scenario *s,
				  const struct allot_embargo *e, char *buf, size_t n)
{
	char a[8], b[8];
	if (e->mineral == -2)
		snprintf(buf, n, "as given (embargoes.csv: %zu rows)", s->n_embargoes);
	else
		snprintf(buf, n, "%s on every mineral %s..%s", e->source, month_str(e->start_month, a),
			 month_str(e->end_month, b));
	return buf;
}

/* Mean over the scenarios of units delivered to tier t. */
static double units_mean(const struct allot_reserve *r, const struct allot_reserve_outcome *x,
			 size_t t)
{
	double sum = 0;
	for (size_t k = 0; k < r->n_scenarios; k++)
		sum += (double)x->units_by_tier[k * r->n_tiers + t];
	return sum / (double)r->n_scenarios;
}

static int min_cover(const struct allot_reserve *r, const struct allot_reserve_outcome *x,
		     size_t m)
{
	int c = r->window;
	for (size_t k = 0; k < r->n_scenarios; k++)
		if (x->cover[k * r->n_minerals + m] < c)
			c = x->cover[k * r->n_minerals + m];
	return c;
}

/* 1 when order o does better with the purchase in scenario k. */
static int improved(const struct allot_reserve *r, const struct allot_reserve_outcome *x,
		    size_t k, size_t o)
{
	size_t i = k * r->n_orders + o;
	const struct allot_reserve_outcome *b = &r->base;
	if (x->delivered[i] > b->delivered[i])
		return 1;
	return x->completion[i] != ALLOT_NO_MONTH &&
	       (b->completion[i] == ALLOT_NO_MONTH || x->completion[i] < b->completion[i]);
}

/* Minerals bought that the order's system draws on, "gallium+germanium". */
static const char *bought_in_bill(const struct allot_scenario *s,
				  const struct allot_reserve_outcome *x, size_t o, char *buf,
				  size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t b = 0; b < s->n_bom; b++)
		if (s->bom[b].system == s->orders[o].system && x->buy_g[s->bom[b].mineral] > 0 &&
		    len < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "+" : "",
						 s->minerals[s->bom[b].mineral].mineral_id);
	return buf;
}

static int uses(const struct allot_scenario *s, int system, size_t m)
{
	for (size_t b = 0; b < s->n_bom; b++)
		if (s->bom[b].system == system && (size_t)s->bom[b].mineral == m)
			return 1;
	return 0;
}

static double tier1_delta(const struct allot_reserve *r, const struct allot_reserve_outcome *x)
{
	return units_mean(r, x, 0) - units_mean(r, &r->base, 0);
}

/* ---------------------------------------------------------------------- */
/* Text                                                                     */

static void text_purchase(const struct allot_reserve *r)
{
	const struct allot_scenario *s = r->scenario;
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	int lp = r->methods & ALLOT_RESERVE_LP, he = r->methods & ALLOT_RESERVE_HEURISTIC;
	printf("purchase (recommended: %s)\n", method_name(r->recommended));
	static const char *const h[] = { "mineral", "kg", "usd_per_kg", "cost_usd",
					 "lp_kg", "heuristic_kg", "cover_before", "cover_after" };
	static const int num[] = { 0, 1, 1, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(8, h, num);
	for (size_t m = 0; m < r->n_minerals; m++) {
		const struct allot_mineral *mi = &s->minerals[m];
		cli_table_add(t, mi->mineral_id);
		cli_table_addf(t, "%.3f", (double)best->buy_g[m] / 1000.0);
		cli_table_addf(t, "%g", mi->price_usd_per_kg);
		cli_table_addf(t, "%.0f", (double)best->buy_g[m] / 1000.0 * mi->price_usd_per_kg);
		if (lp)
			cli_table_addf(t, "%.3f", (double)r->lp.buy_g[m] / 1000.0);
		else
			cli_table_add(t, "-");
		if (he)
			cli_table_addf(t, "%.3f", (double)r->heur.buy_g[m] / 1000.0);
		else
			cli_table_add(t, "-");
		int cb = min_cover(r, &r->base, m), ca = min_cover(r, best, m);
		cli_table_addf(t, cb >= r->window ? ">=%d" : "%d", cb);
		cli_table_addf(t, ca >= r->window ? ">=%d" : "%d", ca);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	char b1[32], b2[32];
	printf("cost %s of %s; cover = months before the mineral first holds production\n"
	       "back (worst scenario; >=%d: not within the window)\n",
	       cli_usd(best->cost_usd, b1), cli_usd(r->budget_usd, b2), r->window);
}

static void text_tiers(const struct allot_reserve *r)
{
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	printf("\nunits delivered in the window by tier (exact planner");
	printf(r->n_scenarios > 1 ? ", mean over scenarios)\n" : ")\n");
	static const char *const h[] = { "tier", "weight", "units_without", "units_with",
					 "more_units", "value_without", "value_with" };
	static const int num[] = { 0, 1, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(7, h, num);
	for (size_t k = 0; k < r->n_tiers; k++) {
		double ub = units_mean(r, &r->base, k), uw = units_mean(r, best, k);
		cli_table_addf(t, "%zu", k + 1);
		cli_table_addf(t, "%g", r->tier_weight[k]);
		cli_table_addf(t, "%.1f", ub);
		cli_table_addf(t, "%.1f", uw);
		cli_table_addf(t, "%+.1f", uw - ub);
		cli_table_addf(t, "%.1f", ub * r->tier_weight[k]);
		cli_table_addf(t, "%.1f", uw * r->tier_weight[k]);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
}

static void text_solver(const struct allot_reserve *r)
{
	printf("\nmethods (value = weighted units delivered, %s over scenarios; the LP bound\n"
	       "and the gap cover the lines whose systems use minerals)\n",
	       r->objective == ALLOT_RESERVE_WORST ? "worst" : "mean");
	static const char *const h[] = { "method", "cost_usd", "value", "value_mineral_lines",
					 "gap_to_bound_pct", "seconds" };
	static const int num[] = { 0, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(6, h, num);
	cli_table_add(t, "none");
	cli_table_add(t, "0");
	cli_table_addf(t, "%.1f", r->base.objective);
	cli_table_addf(t, "%.1f", r->base.objective_mineral);
	if (r->methods & ALLOT_RESERVE_LP)
		cli_table_addf(t, "%.2f", allot_reserve_gap_pct(r, &r->base));
	else
		cli_table_add(t, "-");
	cli_table_add(t, "");
	if (r->methods & ALLOT_RESERVE_LP) {
		cli_table_add(t, "lp bound");
		cli_table_add(t, "");
		cli_table_add(t, "");
		cli_table_addf(t, "%.1f", r->lp_bound);
		cli_table_add(t, "0.00");
		cli_table_addf(t, "%.3f", r->lp_seconds);
		cli_table_add(t, "lp purchase");
		cli_table_addf(t, "%.0f", r->lp.cost_usd);
		cli_table_addf(t, "%.1f", r->lp.objective);
		cli_table_addf(t, "%.1f", r->lp.objective_mineral);
		cli_table_addf(t, "%.2f", allot_reserve_gap_pct(r, &r->lp));
		cli_table_add(t, "");
	}
	if (r->methods & ALLOT_RESERVE_HEURISTIC) {
		cli_table_add(t, "heuristic");
		cli_table_addf(t, "%.0f", r->heur.cost_usd);
		cli_table_addf(t, "%.1f", r->heur.objective);
		cli_table_addf(t, "%.1f", r->heur.objective_mineral);
		if (r->methods & ALLOT_RESERVE_LP)
			cli_table_addf(t, "%.2f", allot_reserve_gap_pct(r, &r->heur));
		else
			cli_table_add(t, "-");
		cli_table_addf(t, "%.3f", r->heur_seconds);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	if (r->methods & ALLOT_RESERVE_LP)
		printf("LP: %d rows, %d columns, %d non-zeros (GLPK simplex)\n", r->lp_rows, r->lp_cols,
		       r->lp_nonzeros);
	if (r->methods & ALLOT_RESERVE_HEURISTIC)
		printf("heuristic: %zu steps, %zu exact plans\n", r->heur_steps, r->heur_plans);
}

static void text_binding(const struct allot_reserve *r)
{
	const struct allot_scenario *s = r->scenario;
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	size_t M = r->n_minerals, W = (size_t)r->window;
	for (size_t k = 0; k < r->n_scenarios; k++) {
		char lab[160];
		printf("\nbinding minerals month by month, scenario %zu: %s\n", k + 1,
		       scenario_label(s, &r->embargoes[k], lab, sizeof lab));
		static const char *const h[] = { "month", "without_reserve", "with_reserve" };
		struct cli_table *t = cli_table_new(3, h, NULL);
		size_t rows = 0;
		for (size_t m0 = 0; m0 < W; m0++) {
			char a[256] = "", b[256] = "";
			size_t la = 0, lb = 0;
			for (size_t m = 0; m < M; m++) {
				const char *id = s->minerals[m].mineral_id;
				if (r->base.binding[(k * W + m0) * M + m] && la < sizeof a)
					la += (size_t)snprintf(a + la, sizeof a - la, "%s%s", la ? " " : "", id);
				if (best->binding[(k * W + m0) * M + m] && lb < sizeof b)
					lb += (size_t)snprintf(b + lb, sizeof b - lb, "%s%s", lb ? " " : "", id);
			}
			if (!la && !lb)
				continue;
			char mm[8];
			cli_table_add(t, month_str(s->as_of + (allot_month)m0, mm));
			cli_table_add(t, la ? a : "-");
			cli_table_add(t, lb ? b : "-");
			rows++;
		}
		if (rows)
			cli_table_print(t, CLI_TEXT, stdout);
		else
			printf("(no mineral holds production back in the window)\n");
		cli_table_free(t);
	}
}

static void text_orders(const struct allot_reserve *r)
{
	const struct allot_scenario *s = r->scenario;
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	printf("\nwhat each mineral bought keeps on schedule (orders that complete earlier\n"
	       "or get more units in the window with the purchase, any scenario)\n");
	static const char *const h[] = { "mineral", "orders", "more_units", "systems" };
	static const int num[] = { 0, 1, 1, 0 };
	struct cli_table *t = cli_table_new(4, h, num);
	for (size_t m = 0; m < r->n_minerals; m++) {
		if (best->buy_g[m] <= 0)
			continue;
		size_t n = 0;
		int64_t more = 0;
		char sys[1024] = "";
		size_t ls = 0;
		for (size_t sy = 0; sy < s->n_systems; sy++) {
			if (!uses(s, (int)sy, m))
				continue;
			int any = 0;
			for (size_t o = 0; o < s->n_orders; o++) {
				if (s->orders[o].system != (int)sy)
					continue;
				int imp = 0;
				for (size_t k = 0; k < r->n_scenarios; k++) {
					size_t i = k * r->n_orders + o;
					imp |= improved(r, best, k, o);
					more += best->delivered[i] - r->base.delivered[i];
				}
				n += (size_t)imp;
				any |= imp;
			}
			if (any && ls < sizeof sys)
				ls += (size_t)snprintf(sys + ls, sizeof sys - ls, "%s%s", ls ? " " : "",
						       s->systems[sy].system_id);
		}
		cli_table_add(t, s->minerals[m].mineral_id);
		cli_table_addf(t, "%zu", n);
		cli_table_addf(t, "%lld", (long long)more / (long long)r->n_scenarios);
		cli_table_add(t, ls ? sys : "-");
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);

	static const char *const oh[] = { "scenario", "order_id", "iso3", "tier", "system",
					  "minerals", "done_without", "done_with", "units_without",
					  "units_with" };
	static const int onum[] = { 1, 0, 0, 1, 0, 0, 0, 0, 1, 1 };
	t = cli_table_new(10, oh, onum);
	size_t shown = 0, total = 0;
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t o = 0; o < s->n_orders; o++) {
			if (!improved(r, best, k, o))
				continue;
			if (total++ >= TEXT_ORDERS)
				continue;
			size_t i = k * r->n_orders + o;
			char a[8], b[8], mins[256];
			const struct allot_order *od = &s->orders[o];
			cli_table_addf(t, "%zu", k + 1);
			cli_table_add(t, od->order_id);
			cli_table_add(t, s->partners[od->partner].iso3);
			cli_table_addf(t, "%d", r->order_tier[o]);
			cli_table_add(t, s->systems[od->system].system_id);
			cli_table_add(t, bought_in_bill(s, best, o, mins, sizeof mins));
			cli_table_add(t, r->base.completion[i] == ALLOT_NO_MONTH
						 ? "-" : month_str(r->base.completion[i], a));
			cli_table_add(t, best->completion[i] == ALLOT_NO_MONTH
						 ? "-" : month_str(best->completion[i], b));
			cli_table_addf(t, "%lld", (long long)r->base.delivered[i]);
			cli_table_addf(t, "%lld", (long long)best->delivered[i]);
			shown++;
		}
	if (shown) {
		printf("\n");
		cli_table_print(t, CLI_TEXT, stdout);
		if (total > shown)
			printf("... and %zu more (--csv or --json lists every one)\n", total - shown);
	}
	cli_table_free(t);
}

static void print_text(const struct allot_reserve *r, enum allot_policy_kind policy)
{
	const struct allot_scenario *s = r->scenario;
	char a[8], b[8], b1[32];
	printf("reserve: scenario %s, budget %s, policy %s, window %s..%s (%d months),\n"
	       "objective %s over %zu scenario%s, tier weights", s->name,
	       cli_usd(r->budget_usd, b1), allot_policy_kind_name(policy), month_str(s->as_of, a),
	       month_str(s->as_of + r->window - 1, b), r->window,
	       r->objective == ALLOT_RESERVE_WORST ? "worst case" : "expected value",
	       r->n_scenarios, r->n_scenarios > 1 ? "s" : "");
	for (size_t k = 0; k < r->n_tiers; k++)
		printf("%s%g", k ? ", " : " ", r->tier_weight[k]);
	printf("\n");
	for (size_t k = 0; k < r->n_scenarios; k++) {
		char lab[160];
		printf("  scenario %zu: %s\n", k + 1, scenario_label(s, &r->embargoes[k], lab, sizeof lab));
	}
	printf("\n");
	text_purchase(r);
	text_tiers(r);
	text_solver(r);
	text_binding(r);
	text_orders(r);
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	printf("\nWith the reserve spent this way (%s), %.0f more units reach tier-1 partners\n"
	       "by %s%s.\n", cli_usd(best->cost_usd, b1), tier1_delta(r, best),
	       month_str(s->as_of + r->window - 1, a),
	       r->n_scenarios > 1 ? " (mean over the scenarios)" : "");
}

static void csv_row(const char *section, const char *key, const char *metric, const char *fmt,
		    ...) __attribute__((format(printf, 4, 5)));
static void csv_row(const char *section, const char *key, const char *metric, const char *fmt,
		    ...)
{
	va_list ap;
	printf("%s,%s,%s,", section, key, metric);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Times are left out of the CSV (it is the reproducible view: the same
 * inputs give the same bytes); text and JSON show them. */
static void csv_method(const struct allot_reserve *r, const char *key,
		       const struct allot_reserve_outcome *x)
{
	csv_row("method", key, "cost_usd", "%.2f", x->cost_usd);
	csv_row("method", key, "value", "%.6g", x->objective);
	csv_row("method", key, "value_mineral_lines", "%.6g", x->objective_mineral);
	if (r->methods & ALLOT_RESERVE_LP)
		csv_row("method", key, "gap_to_bound_pct", "%.4f", allot_reserve_gap_pct(r, x));
}

static void print_csv(const struct allot_reserve *r)
{
	const struct allot_scenario *s = r->scenario;
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	size_t M = r->n_minerals, W = (size_t)r->window;
	char a[8], b[8];
	printf("section,key,metric,value\n");
	csv_row("summary", "all", "budget_usd", "%.2f", r->budget_usd);
	csv_row("summary", "all", "window_months", "%d", r->window);
	csv_row("summary", "all", "scenarios", "%zu", r->n_scenarios);
	csv_row("summary", "all", "objective", "%s",
		r->objective == ALLOT_RESERVE_WORST ? "worst" : "expected");
	csv_row("summary", "all", "recommended", "%s", method_name(r->recommended));
	csv_row("summary", "all", "cost_usd", "%.2f", best->cost_usd);
	csv_row("summary", "all", "more_tier1_units", "%.1f", tier1_delta(r, best));
	for (size_t m = 0; m < M; m++) {
		const char *id = s->minerals[m].mineral_id;
		csv_row("purchase", id, "kg", "%.3f", (double)best->buy_g[m] / 1000.0);
		csv_row("purchase", id, "cost_usd", "%.2f",
			(double)best->buy_g[m] / 1000.0 * s->minerals[m].price_usd_per_kg);
		if (r->methods & ALLOT_RESERVE_LP)
			csv_row("purchase", id, "lp_kg", "%.3f", (double)r->lp.buy_g[m] / 1000.0);
		if (r->methods & ALLOT_RESERVE_HEURISTIC)
			csv_row("purchase", id, "heuristic_kg", "%.3f",
				(double)r->heur.buy_g[m] / 1000.0);
		csv_row("purchase", id, "cover_before_months", "%d", min_cover(r, &r->base, m));
		csv_row("purchase", id, "cover_after_months", "%d", min_cover(r, best, m));
	}
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t t = 0; t < r->n_tiers; t++) {
			char key[48];
			snprintf(key, sizeof key, "%zu:%zu", k + 1, t + 1);
			size_t i = k * r->n_tiers + t;
			csv_row("tier", key, "weight", "%g", r->tier_weight[t]);
			csv_row("tier", key, "units_without", "%lld",
				(long long)r->base.units_by_tier[i]);
			csv_row("tier", key, "units_with", "%lld", (long long)best->units_by_tier[i]);
			csv_row("tier", key, "value_without", "%.6g", r->base.value_by_tier[i]);
			csv_row("tier", key, "value_with", "%.6g", best->value_by_tier[i]);
		}
	csv_method(r, "none", &r->base);
	if (r->methods & ALLOT_RESERVE_LP) {
		csv_row("method", "lp_bound", "value_mineral_lines", "%.6g", r->lp_bound);
		csv_row("method", "lp_bound", "rows", "%d", r->lp_rows);
		csv_row("method", "lp_bound", "columns", "%d", r->lp_cols);
		csv_row("method", "lp_bound", "nonzeros", "%d", r->lp_nonzeros);
		csv_method(r, "lp", &r->lp);
	}
	if (r->methods & ALLOT_RESERVE_HEURISTIC)
		csv_method(r, "heuristic", &r->heur);
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t t = 0; t < W; t++)
			for (size_t m = 0; m < M; m++) {
				int x0 = r->base.binding[(k * W + t) * M + m];
				int x1 = best->binding[(k * W + t) * M + m];
				if (!x0 && !x1)
					continue;
				char key[64];
				snprintf(key, sizeof key, "%zu:%s", k + 1,
					 month_str(s->as_of + (allot_month)t, a));
				csv_row("binding", key, s->minerals[m].mineral_id, "%s",
					x0 && x1 ? "both" : x0 ? "without" : "with");
			}
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t o = 0; o < s->n_orders; o++) {
			if (!improved(r, best, k, o))
				continue;
			size_t i = k * r->n_orders + o;
			char key[160], mins[256];
			snprintf(key, sizeof key, "%zu:%s", k + 1, s->orders[o].order_id);
			csv_row("order", key, "tier", "%d", r->order_tier[o]);
			csv_row("order", key, "system", "%s", s->systems[s->orders[o].system].system_id);
			csv_row("order", key, "minerals", "%s", bought_in_bill(s, best, o, mins, sizeof mins));
			csv_row("order", key, "done_without", "%s",
				month_str(r->base.completion[i], a));
			csv_row("order", key, "done_with", "%s", month_str(best->completion[i], b));
			csv_row("order", key, "units_without", "%lld", (long long)r->base.delivered[i]);
			csv_row("order", key, "units_with", "%lld", (long long)best->delivered[i]);
		}
}

static json_t *outcome_json(const struct allot_reserve *r, const struct allot_reserve_outcome *x)
{
	const struct allot_scenario *s = r->scenario;
	json_t *buy = json_object(), *tiers = json_array();
	for (size_t m = 0; m < r->n_minerals; m++)
		json_object_set_new(buy, s->minerals[m].mineral_id,
				    json_real((double)x->buy_g[m] / 1000.0));
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t t = 0; t < r->n_tiers; t++)
			json_array_append_new(tiers, json_pack("{s:I, s:I, s:I, s:f}", "scenario",
							       (json_int_t)k + 1, "tier",
							       (json_int_t)t + 1, "units",
							       (json_int_t)x->units_by_tier[k * r->n_tiers + t],
							       "value", x->value_by_tier[k * r->n_tiers + t]));
	json_t *j = json_pack("{s:o, s:f, s:f, s:f, s:o}", "kg", buy, "cost_usd", x->cost_usd,
			      "value", x->objective, "value_mineral_lines", x->objective_mineral,
			      "by_tier", tiers);
	if (r->methods & ALLOT_RESERVE_LP)
		json_object_set_new(j, "gap_to_bound_pct", json_real(allot_reserve_gap_pct(r, x)));
	return j;
}

static void print_json(const struct allot_reserve *r)
{
	const struct allot_scenario *s = r->scenario;
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	size_t M = r->n_minerals, W = (size_t)r->window;
	char a[8], b[8];
	json_t *scen = json_array(), *minerals = json_array(), *binding = json_array(),
	       *orders = json_array(), *weights = json_array();
	for (size_t t = 0; t < r->n_tiers; t++)
		json_array_append_new(weights, json_real(r->tier_weight[t]));
	for (size_t k = 0; k < r->n_scenarios; k++) {
		const struct allot_embargo *e = &r->embargoes[k];
		if (e->mineral == -2)
			json_array_append_new(scen, json_pack("{s:s}", "embargo", "as given"));
		else
			json_array_append_new(scen, json_pack("{s:s, s:s, s:s}", "source", e->source,
							      "start", month_str(e->start_month, a),
							      "end", month_str(e->end_month, b)));
	}
	for (size_t m = 0; m < M; m++)
		json_array_append_new(minerals,
				      json_pack("{s:s, s:f, s:f, s:f, s:i, s:i}", "mineral",
						s->minerals[m].mineral_id, "kg",
						(double)best->buy_g[m] / 1000.0, "usd_per_kg",
						s->minerals[m].price_usd_per_kg, "cost_usd",
						(double)best->buy_g[m] / 1000.0 *
							s->minerals[m].price_usd_per_kg,
						"cover_before_months", min_cover(r, &r->base, m),
						"cover_after_months", min_cover(r, best, m)));
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t t = 0; t < W; t++) {
			json_t *w0 = json_array(), *w1 = json_array();
			for (size_t m = 0; m < M; m++) {
				if (r->base.binding[(k * W + t) * M + m])
					json_array_append_new(w0, json_string(s->minerals[m].mineral_id));
				if (best->binding[(k * W + t) * M + m])
					json_array_append_new(w1, json_string(s->minerals[m].mineral_id));
			}
			if (json_array_size(w0) || json_array_size(w1))
				json_array_append_new(binding,
						      json_pack("{s:I, s:s, s:o, s:o}", "scenario",
								(json_int_t)k + 1, "month",
								month_str(s->as_of + (allot_month)t, a),
								"without", w0, "with", w1));
			else {
				json_decref(w0);
				json_decref(w1);
			}
		}
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t o = 0; o < s->n_orders; o++) {
			if (!improved(r, best, k, o))
				continue;
			size_t i = k * r->n_orders + o;
			char mins[256];
			const struct allot_order *od = &s->orders[o];
			json_t *j = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:I, s:I}", "scenario",
					      (json_int_t)k + 1, "order_id", od->order_id, "iso3",
					      s->partners[od->partner].iso3, "tier", r->order_tier[o],
					      "system", s->systems[od->system].system_id, "minerals",
					      bought_in_bill(s, best, o, mins, sizeof mins),
					      "units_without", (json_int_t)r->base.delivered[i],
					      "units_with", (json_int_t)best->delivered[i]);
			json_object_set_new(j, "done_without",
					    r->base.completion[i] == ALLOT_NO_MONTH
						    ? json_null()
						    : json_string(month_str(r->base.completion[i], a)));
			json_object_set_new(j, "done_with",
					    best->completion[i] == ALLOT_NO_MONTH
						    ? json_null()
						    : json_string(month_str(best->completion[i], b)));
			json_array_append_new(orders, j);
		}
	json_t *root = json_pack("{s:s, s:f, s:i, s:s, s:o, s:o, s:s, s:f, s:o}", "scenario",
				 s->name, "budget_usd", r->budget_usd, "window_months", r->window,
				 "objective",
				 r->objective == ALLOT_RESERVE_WORST ? "worst" : "expected",
				 "tier_weights", weights, "scenarios", scen, "recommended",
				 method_name(r->recommended), "more_tier1_units",
				 tier1_delta(r, best), "purchase", minerals);
	json_object_set_new(root, "without", outcome_json(r, &r->base));
	if (r->methods & ALLOT_RESERVE_LP) {
		json_object_set_new(root, "lp_bound", json_real(r->lp_bound));
		json_object_set_new(root, "lp",
				    json_pack("{s:i, s:i, s:i, s:f}", "rows", r->lp_rows, "columns",
					      r->lp_cols, "nonzeros", r->lp_nonzeros, "seconds",
					      r->lp_seconds));
		json_object_set_new(root, "lp_purchase", outcome_json(r, &r->lp));
	}
	if (r->methods & ALLOT_RESERVE_HEURISTIC) {
		json_t *h = outcome_json(r, &r->heur);
		json_object_set_new(h, "seconds", json_real(r->heur_seconds));
		json_object_set_new(h, "steps", json_integer((json_int_t)r->heur_steps));
		json_object_set_new(h, "plans", json_integer((json_int_t)r->heur_plans));
		json_object_set_new(root, "heuristic_purchase", h);
	}
	json_object_set_new(root, "binding", binding);
	json_object_set_new(root, "orders_kept_on_schedule", orders);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	fputc('\n', stdout);
	json_decref(root);
}

int cmd_reserve(int argc, char **argv)
{
	struct reserve_args a;
	memset(&a, 0, sizeof a);
	allot_reserve_options_init(&a.ro);
	int rc = parse(argc, argv, &a);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	struct allot_scenario *s = NULL;
	if ((rc = cli_load(&a.o.src, &s)) != EXIT_OK)
		return rc;
	for (size_t k = 0; k < a.ro.n_embargoes; k++) {
		if (a.emb[k].start_month == ALLOT_NO_MONTH)
			a.emb[k].start_month = s->as_of;
		a.emb[k].end_month = a.emb[k].start_month + a.emb_months[k] - 1;
	}
	a.ro.embargoes = a.emb;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_reserve *r = NULL;
	int lrc = allot_reserve_run(s, &a.ro, &r, &d);
	if (lrc != ALLOT_OK) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "allot reserve: %s\n", d.v[i].msg);
		if (d.n == 0)
			fprintf(stderr, "allot reserve: %s\n", allot_strerror(lrc));
	} else if (a.o.fmt == CLI_JSON) {
		print_json(r);
	} else if (a.o.fmt == CLI_CSV) {
		print_csv(r);
	} else {
		print_text(r, a.ro.policy);
	}
	allot_diags_free(&d);
	allot_reserve_free(r);
	allot_scenario_free(s);
	return cli_exit_code(lrc);
}
