/*
 * cmd_reserve.c - `allot reserve`: how to spend a critical-minerals reserve
 * budget so that the most priority-weighted units are delivered under one
 * or more embargo scenarios (docs/reserve.md).  Prints the purchase, the
 * months of cover before and after, units and value by tier with and
 * without the reserve, the solver's bound and gaps, the binding minerals
 * month by month and the orders each purchase keeps on schedule.
 */
#include <stdarg.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_EMBARGOES 32
#define TEXT_ORDERS   25

enum { SCOPE_AUTO = 0, SCOPE_ECONOMY, SCOPE_LINES };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot reserve DIR | --db FILE [--scenario NAME] --budget USD\n"
		"                     [--embargo SOURCE[:MINERAL][@START][+MONTHS]]...\n"
		"                     [--scope economy|lines] [--csv | --json]\n"
		"                     [options of the scope]\n"
		"\n"
		"Recommends what a critical-minerals reserve should buy within a budget.\n"
		"docs/reserve.md has both formulations.\n"
		"\n"
		"--scope economy (the default when DIR has critical_minerals.csv): every\n"
		"mineral of the 2025 US critical-minerals list, drawn monthly by US and\n"
		"foreign arms production (all of each line's output, from the bills of\n"
		"materials), the rest of defence, semiconductors, batteries, communications\n"
		"and the rest of the economy.  An embargo takes the source's share of US\n"
		"supply; the stock is released to defence first, then the civilian groups.\n"
		"Purchases (capped at a share of a year's world production, at a price\n"
		"rising with the quantity) maximise days of defence cover, then weighted\n"
		"days of civilian cover.  The LP (GLPK) gives the optimum; a greedy is the\n"
		"fast path.  Prints kg and USD by mineral with the reason, days of cover\n"
		"before and after per consumer group, days of supply against the aim of\n"
		"about 60 days, the arms lines kept running, foreign units protected by\n"
		"tier, the next USD 1 billion and whether the budget binds.\n"
		"\n"
		"--scope lines: only the minerals the arms lines' foreign orders draw,\n"
		"judged by the exact planner (units delivered by tier in a window).\n"
		"\n"
		"options:\n"
		"  --budget USD        money to spend: 12e9, 12000000000, 12b, 12bn, 950m, 40k\n"
		"  --embargo S[:MINERAL][@START][+MONTHS]\n"
		"                      one scenario: source S stops from START (default\n"
		"                      as_of) for MONTHS (default 24); repeat for more.\n"
		"                      economy: S is china, allies or others, every mineral\n"
		"                      (default: one scenario, china for 24 months); lines:\n"
		"                      S as in supply.csv, every mineral or MINERAL (none:\n"
		"                      embargoes.csv only).  The grammar of every command\n"
		"                      (docs/whatif.md); the old S:START:MONTHS is refused\n"
		"                      with the new spelling\n"
		"  --method M          lp, heuristic or both (default both)\n"
		"  --db FILE, --scenario NAME   read the scenario from a store (lines only)\n"
		"  --csv, --json       machine-readable output\n"
		"  -h, --help          show this help\n"
		"economy options:\n"
		"  --probabilities P1,P2,...  one per --embargo (default equal)\n"
		"  --civil-order G1,G2,G3,G4  the order the civilian groups draw after\n"
		"                      defence, weighted 8, 4, 2, 1 (default\n"
		"                      semiconductors,communications,batteries,rest)\n"
		"  --supply-rule R     prorata (default: each group loses the embargoed\n"
		"                      share of its supply) or priority (the market supply\n"
		"                      left goes to defence first)\n"
		"  --max-price-rise F  price rise when buying the whole cap (0.2 = 20 %%)\n"
		"  --market-share F    the cap: this share of a year's world production (0.1)\n"
		"  --delivery-months N purchases arrive evenly over N months (12)\n"
		"lines options:\n"
		"  --objective O       expected (mean over scenarios, default) or worst\n"
		"  --policy P          the planner's rule: fcfs or priority (default)\n"
		"  --switch YYYY-MM    months before this use fcfs (default: the scenario's)\n"
		"  --window MONTHS     count units delivered in the first MONTHS months\n"
		"  --step MONTHS       heuristic increment, in months of full-rate use (1)\n"
		"\n"
		"examples:\n"
		"  allot reserve data/default --budget 12e9 --embargo china@2025-01+24\n"
		"  allot reserve data/default --budget 12e9 --embargo china@2025-01+24 \\\n"
		"                --embargo china@2025-01+120 --probabilities 0.7,0.3 --json\n"
		"  allot reserve data/default --budget 50m --scope lines --embargo china \\\n"
		"                --embargo allied@2026-01+12 --objective worst\n");
}

struct reserve_args {
	struct cli_common o;
	struct allot_reserve_options ro;
	struct allot_embargo emb[MAX_EMBARGOES];
	struct allot_change emb_change[MAX_EMBARGOES]; /* as parsed */
	int has_budget;
	struct allot_xreserve_options xo; /* --scope economy */
	double prob[MAX_EMBARGOES];
	size_t n_prob;
	int scope;
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

/* SOURCE[:MINERAL]@START[+MONTHS] (docs/whatif.md): checked now, resolved
 * once the scenario is loaded (start as_of and 24 months when not given). */
static int opt_embargo(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	struct reserve_args *a = args;
	(void)op;
	return cli_opt_change_add(cmd, "embargo", ALLOT_CHG_EMBARGO, arg, a->emb_change,
				  &a->ro.n_embargoes, MAX_EMBARGOES);
}

enum { OPT_SCOPE = 1, OPT_PROB, OPT_CIVIL, OPT_SUPPLY, OPT_RISE, OPT_SHARE, OPT_DELIVERY };

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

/* "a,b,c" into at most max numbers >= 0. */
static int parse_list(char *s, double *v, size_t max, size_t *n)
{
	*n = 0;
	for (char *p = strtok(s, ","); p; p = strtok(NULL, ",")) {
		if (*n == max || parse_double(p, 0, 1e9, &v[*n]) != 0)
			return -1;
		(*n)++;
	}
	return *n ? 0 : -1;
}

/* The options of the economy's scale (docs/reserve.md); op->min says which. */
static int opt_economy(const char *cmd, const struct cli_opt *op, const char *carg, void *args)
{
	struct reserve_args *a = args;
	struct allot_xreserve_options *x = &a->xo;
	int c = (int)op->min;
	char *arg = (char *)carg; /* an argv string: the lists are split in place */
	const char *msg = NULL;
	char text[256]; /* arg as given: the lists are split in place */
	snprintf(text, sizeof text, "%s", arg);
	double v;
	if (c == OPT_SCOPE) {
		if (strcmp(arg, "economy") == 0)
			a->scope = SCOPE_ECONOMY;
		else if (strcmp(arg, "lines") == 0)
			a->scope = SCOPE_LINES;
		else
			msg = "--scope takes economy or lines";
	} else if (c == OPT_PROB) {
		if (parse_list(arg, a->prob, MAX_EMBARGOES, &a->n_prob) != 0)
			msg = "--probabilities takes numbers >= 0 separated by commas, one per --embargo";
	} else if (c == OPT_CIVIL) {
		size_t n = 0;
		for (char *p = strtok(arg, ","); p && !msg; p = strtok(NULL, ",")) {
			int g = allot_cgroup_parse(p);
			if (n == 4 || g < ALLOT_CG_DEFENCE_N)
				msg = "--civil-order takes semiconductors, communications, batteries and rest, "
				      "each once, separated by commas";
			else
				x->civil_order[n++] = (enum allot_cgroup)g;
		}
		if (!msg && n != 4)
			msg = "--civil-order takes all four civilian groups";
	} else if (c == OPT_SUPPLY) {
		if (strcmp(arg, "prorata") == 0)
			x->supply_priority = 0;
		else if (strcmp(arg, "priority") == 0)
			x->supply_priority = 1;
		else
			msg = "--supply-rule takes prorata or priority";
	} else if (c == OPT_RISE) {
		if (parse_double(arg, 0, 10, &v) != 0)
			msg = "--max-price-rise takes a fraction from 0 to 10 (0.2 = 20 %)";
		else
			x->max_price_rise = v;
	} else if (c == OPT_SHARE) {
		if (parse_double(arg, 1e-9, 1, &v) != 0)
			msg = "--market-share takes a fraction in (0, 1]";
		else
			x->market_share = v;
	} else if (c == OPT_DELIVERY) {
		long n = cli_parse_count(arg, 120);
		if (n < 1)
			msg = "--delivery-months takes a number of months from 1 to 120";
		else
			x->delivery_months = (int)n;
	}
	if (msg) {
		fprintf(stderr, "allot %s: %s, not '%s'\n", cmd, msg, text);
		return -1;
	}
	return 0;
}

static int opt_budget(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	struct reserve_args *a = args;
	(void)op;
	if (cli_parse_usd(arg, &a->ro.budget_usd) != 0) {
		fprintf(stderr,
			"allot %s: --budget takes an amount in USD >= 0 (12e9, 12b, 12bn, 950m), "
			"not '%s'\n",
			cmd, arg);
		return -1;
	}
	a->has_budget = 1;
	return 0;
}

static int opt_objective(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	struct reserve_args *a = args;
	(void)op;
	if (strcmp(arg, "expected") == 0)
		a->ro.objective = ALLOT_RESERVE_EXPECTED;
	else if (strcmp(arg, "worst") == 0)
		a->ro.objective = ALLOT_RESERVE_WORST;
	else {
		fprintf(stderr, "allot %s: --objective takes expected or worst, not '%s'\n", cmd,
			arg);
		return -1;
	}
	return 0;
}

static int opt_method(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	struct reserve_args *a = args;
	(void)op;
	if (strcmp(arg, "lp") == 0)
		a->ro.methods = ALLOT_RESERVE_LP;
	else if (strcmp(arg, "heuristic") == 0)
		a->ro.methods = ALLOT_RESERVE_HEURISTIC;
	else if (strcmp(arg, "both") == 0)
		a->ro.methods = ALLOT_RESERVE_LP | ALLOT_RESERVE_HEURISTIC;
	else {
		fprintf(stderr, "allot %s: --method takes lp, heuristic or both, not '%s'\n", cmd,
			arg);
		return -1;
	}
	return 0;
}

static int opt_window(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	if (parse_int(arg, 1, 100000, &((struct reserve_args *)args)->ro.window_months) == 0)
		return 0;
	fprintf(stderr, "allot %s: --window takes a number of months >= 1, not '%s'\n", cmd, arg);
	return -1;
}

static int opt_step(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	double *v = &((struct reserve_args *)args)->ro.step_months;
	char *end;
	(void)op;
	*v = strtod(arg, &end);
	if (end == arg || *end || !(*v > 0) || !isfinite(*v)) {
		fprintf(stderr, "allot %s: --step takes a number of months > 0, not '%s'\n", cmd,
			arg);
		return -1;
	}
	return 0;
}

/* A braced macro body: see cli.h, CLI_OPT_FLAG. */
/* clang-format off */
#define ECONOMY_OPT(name, which) { name, CLI_T_FN, 0, 0, which, 0, NULL, opt_economy }
/* clang-format on */
static const struct cli_opt reserve_opts[] = {
	CLI_OPT_FN("budget", opt_budget),
	CLI_OPT_FN("embargo", opt_embargo),
	CLI_OPT_FN("objective", opt_objective),
	CLI_OPT_FN("method", opt_method),
	CLI_OPT_POLICY(struct reserve_args, ro.policy),
	CLI_OPT_SWITCH(struct reserve_args, ro.switch_month),
	CLI_OPT_FN("window", opt_window),
	CLI_OPT_FN("step", opt_step),
	ECONOMY_OPT("scope", OPT_SCOPE),
	ECONOMY_OPT("probabilities", OPT_PROB),
	ECONOMY_OPT("civil-order", OPT_CIVIL),
	ECONOMY_OPT("supply-rule", OPT_SUPPLY),
	ECONOMY_OPT("max-price-rise", OPT_RISE),
	ECONOMY_OPT("market-share", OPT_SHARE),
	ECONOMY_OPT("delivery-months", OPT_DELIVERY),
	{ 0 },
};

static int check(void *args, struct cli_common *o)
{
	struct reserve_args *a = args;
	(void)o;
	if (!a->has_budget)
		return cli_usage_error("reserve", "give the money to spend with --budget USD");
	return EXIT_OK;
}
static const struct cli_spec reserve_spec = {
	"reserve", usage, reserve_opts, CLI_SOURCE | CLI_FORMAT, 0, check
};

/* ---------------------------------------------------------------------- */
/* Figures derived for printing                                             */

static const char *method_name(unsigned m)
{
	return m == ALLOT_RESERVE_LP ? "lp" : "heuristic";
}

static const char *scenario_label(const struct allot_scenario *s, const struct allot_embargo *e,
				  char *buf, size_t n)
{
	char a[8], b[8];
	if (e->mineral == -2)
		snprintf(buf, n, "as given (embargoes.csv: %zu rows)", s->n_embargoes);
	else
		snprintf(buf, n, "%s on every mineral %s..%s", e->source,
			 allot_month_format(e->start_month, a),
			 allot_month_format(e->end_month, b));
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

/* Mean over the scenarios of the USD of those units: the known part is the
 * mean, the unknown counts the most any scenario leaves out. */
static struct allot_usd usd_mean(const struct allot_reserve *r,
				 const struct allot_reserve_outcome *x, size_t t)
{
	struct allot_usd u = { 0 };
	for (size_t k = 0; k < r->n_scenarios; k++) {
		const struct allot_usd *v = &x->usd_by_tier[k * r->n_tiers + t];
		u.known += v->known / (double)r->n_scenarios;
		if (v->unknown_units > u.unknown_units)
			u.unknown_units = v->unknown_units;
		if (v->unknown_orders > u.unknown_orders)
			u.unknown_orders = v->unknown_orders;
	}
	return u;
}

static int min_cover(const struct allot_reserve *r, const struct allot_reserve_outcome *x, size_t m)
{
	int c = r->window;
	for (size_t k = 0; k < r->n_scenarios; k++)
		if (x->cover[k * r->n_minerals + m] < c)
			c = x->cover[k * r->n_minerals + m];
	return c;
}

/* 1 when order o does better with the purchase in scenario k. */
static int improved(const struct allot_reserve *r, const struct allot_reserve_outcome *x, size_t k,
		    size_t o)
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
	static const char *const h[] = { "mineral", "kg",           "usd_per_kg",   "cost_usd",
					 "lp_kg",   "heuristic_kg", "cover_before", "cover_after" };
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
	       allot_style_usd(best->cost_usd, b1), allot_style_usd(r->budget_usd, b2), r->window);
}

/* Appends id to a ", "-separated list unless it is there already. */
static void list_add(char *list, size_t n, const char *id)
{
	size_t k = strlen(id);
	for (const char *p = list; (p = strstr(p, id)) != NULL; p += k)
		if ((p == list || p[-1] == ' ') && (p[k] == ',' || p[k] == '\0'))
			return;
	size_t len = strlen(list);
	snprintf(list + len, n - len, "%s%s", len ? ", " : "", id);
}

/* Why a mineral's cover falls after the purchase (issue 18): what is bought
 * lets more of some systems be made (sys), those systems also draw this
 * mineral (the minerals bought they draw: by), so its stock runs out
 * sooner.  1 when the cover of m falls; sys empty when no order drawing m
 * does better (the planner then makes other orders first). */
static int cover_falls(const struct allot_reserve *r, size_t m, char *sys, char *by, size_t n)
{
	const struct allot_scenario *s = r->scenario;
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	sys[0] = by[0] = '\0';
	if (min_cover(r, best, m) >= min_cover(r, &r->base, m))
		return 0;
	for (size_t o = 0; o < s->n_orders; o++) {
		int better = 0, sy = s->orders[o].system;
		for (size_t k = 0; k < r->n_scenarios && !better; k++)
			better = improved(r, best, k, o);
		if (!better || !uses(s, sy, m))
			continue;
		list_add(sys, n, s->systems[sy].system_id);
		for (size_t b = 0; b < s->n_bom; b++)
			if (s->bom[b].system == sy && best->buy_g[s->bom[b].mineral] > 0)
				list_add(by, n, s->minerals[s->bom[b].mineral].mineral_id);
	}
	return 1;
}

static void text_cover_falls(const struct allot_reserve *r)
{
	const struct allot_scenario *s = r->scenario;
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	for (size_t m = 0; m < r->n_minerals; m++) {
		char sys[512], by[512], c1[16];
		if (!cover_falls(r, m, sys, by, sizeof sys))
			continue;
		int cb = min_cover(r, &r->base, m), ca = min_cover(r, best, m);
		snprintf(c1, sizeof c1, cb >= r->window ? ">=%d" : "%d", cb);
		if (sys[0])
			printf("%s: cover falls from %s to %d months: what is bought (%s) lets more\n"
			       "  of %s be made, which draws %s too, so its stock is used sooner, for\n"
			       "  more units\n",
			       s->minerals[m].mineral_id, c1, ca, by, sys,
			       s->minerals[m].mineral_id);
		else
			printf("%s: cover falls from %s to %d months: with the purchase the planner\n"
			       "  makes other orders first, and they draw %s sooner\n",
			       s->minerals[m].mineral_id, c1, ca, s->minerals[m].mineral_id);
	}
}

static void text_tiers(const struct allot_reserve *r)
{
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	printf("\nunits delivered in the window by tier (exact planner");
	printf(r->n_scenarios > 1 ? ", mean over scenarios)\n" : ")\n");
	static const char *const h[] = { "tier",
					 "weight",
					 "units_without",
					 "units_with",
					 "more_units",
					 "usd_m_without",
					 "usd_m_with",
					 "weighted_units_without",
					 "weighted_units_with" };
	static const int num[] = { 0, 1, 1, 1, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(9, h, num);
	for (size_t k = 0; k < r->n_tiers; k++) {
		double ub = units_mean(r, &r->base, k), uw = units_mean(r, best, k);
		struct allot_usd vb = usd_mean(r, &r->base, k), vw = usd_mean(r, best, k);
		char b0[48], b1[48];
		cli_table_addf(t, "%zu", k + 1);
		cli_table_addf(t, "%g", r->tier_weight[k]);
		cli_table_addf(t, "%.1f", ub);
		cli_table_addf(t, "%.1f", uw);
		cli_table_addf(t, "%+.1f", uw - ub);
		cli_table_add(t, allot_usd_num(&vb, 1e6, 1, 1, b0));
		cli_table_add(t, allot_usd_num(&vw, 1e6, 1, 1, b1));
		cli_table_addf(t, "%.1f", ub * r->tier_weight[k]);
		cli_table_addf(t, "%.1f", uw * r->tier_weight[k]);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
}

static void text_solver(const struct allot_reserve *r)
{
	printf("\nmethods (weighted_units = units delivered x tier weight, not USD; %s over scenarios; the LP bound\n"
	       "and the gap cover the lines whose systems use minerals)\n",
	       r->objective == ALLOT_RESERVE_WORST ? "worst" : "mean");
	static const char *const h[] = { "method",           "cost_usd",
					 "weighted_units",   "weighted_units_mineral_lines",
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
		printf("LP: %d rows, %d columns, %d non-zeros (GLPK simplex)\n", r->lp_rows,
		       r->lp_cols, r->lp_nonzeros);
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
					la += (size_t)snprintf(a + la, sizeof a - la, "%s%s",
							       la ? " " : "", id);
				if (best->binding[(k * W + m0) * M + m] && lb < sizeof b)
					lb += (size_t)snprintf(b + lb, sizeof b - lb, "%s%s",
							       lb ? " " : "", id);
			}
			if (!la && !lb)
				continue;
			char mm[8];
			cli_table_add(t, allot_month_format(s->as_of + (allot_month)m0, mm));
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
				ls += (size_t)snprintf(sys + ls, sizeof sys - ls, "%s%s",
						       ls ? " " : "", s->systems[sy].system_id);
		}
		cli_table_add(t, s->minerals[m].mineral_id);
		cli_table_addf(t, "%zu", n);
		cli_table_addf(t, "%lld", (long long)more / (long long)r->n_scenarios);
		cli_table_add(t, ls ? sys : "-");
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);

	static const char *const oh[] = { "scenario",      "order_id",  "iso3",         "tier",
					  "system",        "minerals",  "done_without", "done_with",
					  "units_without", "units_with" };
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
						 ? "-"
						 : allot_month_format(r->base.completion[i], a));
			cli_table_add(t, best->completion[i] == ALLOT_NO_MONTH
						 ? "-"
						 : allot_month_format(best->completion[i], b));
			cli_table_addf(t, "%lld", (long long)r->base.delivered[i]);
			cli_table_addf(t, "%lld", (long long)best->delivered[i]);
			shown++;
		}
	if (shown) {
		printf("\n");
		cli_table_print(t, CLI_TEXT, stdout);
		if (total > shown)
			printf("... and %zu more (--csv or --json lists every one)\n",
			       total - shown);
	}
	cli_table_free(t);
}

static void print_text(const struct allot_reserve *r, enum allot_policy_kind policy)
{
	const struct allot_scenario *s = r->scenario;
	char a[8], b[8], b1[32];
	printf("reserve: scenario %s, budget %s, policy %s, window %s..%s (%d months),\n"
	       "objective %s over %zu scenario%s, tier weights",
	       s->name, allot_style_usd(r->budget_usd, b1), allot_policy_kind_name(policy),
	       allot_month_format(s->as_of, a), allot_month_format(s->as_of + r->window - 1, b),
	       r->window, r->objective == ALLOT_RESERVE_WORST ? "worst case" : "expected value",
	       r->n_scenarios, r->n_scenarios > 1 ? "s" : "");
	for (size_t k = 0; k < r->n_tiers; k++)
		printf("%s%g", k ? ", " : " ", r->tier_weight[k]);
	printf("\n");
	for (size_t k = 0; k < r->n_scenarios; k++) {
		char lab[160];
		printf("  scenario %zu: %s\n", k + 1,
		       scenario_label(s, &r->embargoes[k], lab, sizeof lab));
	}
	printf("\n");
	text_purchase(r);
	text_cover_falls(r);
	text_tiers(r);
	text_solver(r);
	text_binding(r);
	text_orders(r);
	const struct allot_reserve_outcome *best = allot_reserve_best(r);
	printf("\nWith the reserve spent this way (%s), %.0f more units reach tier-1 partners\n"
	       "by %s%s.\n",
	       allot_style_usd(best->cost_usd, b1), tier1_delta(r, best),
	       allot_month_format(s->as_of + r->window - 1, a),
	       r->n_scenarios > 1 ? " (mean over the scenarios)" : "");
}

static void csv_row(const char *section, const char *key, const char *metric, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void csv_row(const char *section, const char *key, const char *metric, const char *fmt, ...)
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
	csv_row("method", key, "weighted_units", "%.6g", x->objective);
	csv_row("method", key, "weighted_units_mineral_lines", "%.6g", x->objective_mineral);
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
		char sys[512], by[512];
		if (cover_falls(r, m, sys, by, sizeof sys)) {
			csv_row("purchase", id, "cover_falls_with", "\"%s\"", sys);
			csv_row("purchase", id, "cover_falls_bought", "\"%s\"", by);
		}
	}
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t t = 0; t < r->n_tiers; t++) {
			char key[48];
			snprintf(key, sizeof key, "%zu:%zu", k + 1, t + 1);
			size_t i = k * r->n_tiers + t;
			csv_row("tier", key, "weight", "%g", r->tier_weight[t]);
			csv_row("tier", key, "units_without", "%lld",
				(long long)r->base.units_by_tier[i]);
			csv_row("tier", key, "units_with", "%lld",
				(long long)best->units_by_tier[i]);
			csv_row("tier", key, "usd_without", "%.0f", r->base.usd_by_tier[i].known);
			csv_row("tier", key, "usd_with", "%.0f", best->usd_by_tier[i].known);
			csv_row("tier", key, "usd_unknown_cost_units_without", "%lld",
				(long long)r->base.usd_by_tier[i].unknown_units);
			csv_row("tier", key, "usd_unknown_cost_units_with", "%lld",
				(long long)best->usd_by_tier[i].unknown_units);
			csv_row("tier", key, "weighted_units_without", "%.6g",
				r->base.value_by_tier[i]);
			csv_row("tier", key, "weighted_units_with", "%.6g", best->value_by_tier[i]);
		}
	csv_method(r, "none", &r->base);
	if (r->methods & ALLOT_RESERVE_LP) {
		csv_row("method", "lp_bound", "weighted_units_mineral_lines", "%.6g", r->lp_bound);
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
					 allot_month_format(s->as_of + (allot_month)t, a));
				csv_row("binding", key, s->minerals[m].mineral_id, "%s",
					x0 && x1 ? "both"
					: x0     ? "without"
						 : "with");
			}
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t o = 0; o < s->n_orders; o++) {
			if (!improved(r, best, k, o))
				continue;
			size_t i = k * r->n_orders + o;
			char key[160], mins[256];
			snprintf(key, sizeof key, "%zu:%s", k + 1, s->orders[o].order_id);
			csv_row("order", key, "tier", "%d", r->order_tier[o]);
			csv_row("order", key, "system", "%s",
				s->systems[s->orders[o].system].system_id);
			csv_row("order", key, "minerals", "%s",
				bought_in_bill(s, best, o, mins, sizeof mins));
			csv_row("order", key, "done_without", "%s",
				allot_month_format(r->base.completion[i], a));
			csv_row("order", key, "done_with", "%s",
				allot_month_format(best->completion[i], b));
			csv_row("order", key, "units_without", "%lld",
				(long long)r->base.delivered[i]);
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
		for (size_t t = 0; t < r->n_tiers; t++) {
			json_t *e = json_pack("{s:I, s:I, s:I, s:f}", "scenario", (json_int_t)k + 1,
					      "tier", (json_int_t)t + 1, "units",
					      (json_int_t)x->units_by_tier[k * r->n_tiers + t],
					      "weighted_units",
					      x->value_by_tier[k * r->n_tiers + t]);
			allot_usd_put(e, "usd", &x->usd_by_tier[k * r->n_tiers + t]);
			json_array_append_new(tiers, e);
		}
	json_t *j = json_pack("{s:o, s:f, s:f, s:f, s:o}", "kg", buy, "cost_usd", x->cost_usd,
			      "weighted_units", x->objective, "weighted_units_mineral_lines",
			      x->objective_mineral, "by_tier", tiers);
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
			json_array_append_new(
				scen, json_pack("{s:s, s:s, s:s}", "source", e->source, "start",
						allot_month_format(e->start_month, a), "end",
						allot_month_format(e->end_month, b)));
	}
	for (size_t m = 0; m < M; m++) {
		json_t *j =
			json_pack("{s:s, s:f, s:f, s:f, s:i, s:i}", "mineral",
				  s->minerals[m].mineral_id, "kg", (double)best->buy_g[m] / 1000.0,
				  "usd_per_kg", s->minerals[m].price_usd_per_kg, "cost_usd",
				  (double)best->buy_g[m] / 1000.0 * s->minerals[m].price_usd_per_kg,
				  "cover_before_months", min_cover(r, &r->base, m),
				  "cover_after_months", min_cover(r, best, m));
		char sys[512], by[512];
		if (cover_falls(r, m, sys, by, sizeof sys))
			json_object_set_new(j, "cover_falls",
					    json_pack("{s:s, s:s}", "with", sys, "bought", by));
		json_array_append_new(minerals, j);
	}
	for (size_t k = 0; k < r->n_scenarios; k++)
		for (size_t t = 0; t < W; t++) {
			json_t *w0 = json_array(), *w1 = json_array();
			for (size_t m = 0; m < M; m++) {
				if (r->base.binding[(k * W + t) * M + m])
					json_array_append_new(
						w0, json_string(s->minerals[m].mineral_id));
				if (best->binding[(k * W + t) * M + m])
					json_array_append_new(
						w1, json_string(s->minerals[m].mineral_id));
			}
			if (json_array_size(w0) || json_array_size(w1))
				json_array_append_new(
					binding,
					json_pack("{s:I, s:s, s:o, s:o}", "scenario",
						  (json_int_t)k + 1, "month",
						  allot_month_format(s->as_of + (allot_month)t, a),
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
			json_t *j = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:I, s:I}",
					      "scenario", (json_int_t)k + 1, "order_id",
					      od->order_id, "iso3", s->partners[od->partner].iso3,
					      "tier", r->order_tier[o], "system",
					      s->systems[od->system].system_id, "minerals",
					      bought_in_bill(s, best, o, mins, sizeof mins),
					      "units_without", (json_int_t)r->base.delivered[i],
					      "units_with", (json_int_t)best->delivered[i]);
			json_object_set_new(j, "done_without",
					    r->base.completion[i] == ALLOT_NO_MONTH
						    ? json_null()
						    : json_string(allot_month_format(
							      r->base.completion[i], a)));
			json_object_set_new(
				j, "done_with",
				best->completion[i] == ALLOT_NO_MONTH
					? json_null()
					: json_string(allot_month_format(best->completion[i], b)));
			json_array_append_new(orders, j);
		}
	json_t *root = json_pack(
		"{s:s, s:f, s:i, s:s, s:o, s:o, s:s, s:f, s:o}", "scenario", s->name, "budget_usd",
		r->budget_usd, "window_months", r->window, "objective",
		r->objective == ALLOT_RESERVE_WORST ? "worst" : "expected", "tier_weights", weights,
		"scenarios", scen, "recommended", method_name(r->recommended), "more_tier1_units",
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
	allot_xreserve_options_init(&a.xo);
	int rc = cli_parse(&reserve_spec, argc, argv, &a, &a.o);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	char path[4096] = "";
	if (a.o.src.dir)
		snprintf(path, sizeof path, "%s/critical_minerals.csv", a.o.src.dir);
	int economy = a.scope == SCOPE_ECONOMY ||
		      (a.scope == SCOPE_AUTO && path[0] && access(path, F_OK) == 0);
	if (economy && !path[0]) {
		fprintf(stderr, "allot reserve: --scope economy reads DIR/critical_minerals.csv: "
				"give a scenario directory, not --db\n");
		return EXIT_USAGE;
	}
	if (a.n_prob && a.n_prob != a.ro.n_embargoes) {
		fprintf(stderr,
			"allot reserve: --probabilities gives %zu numbers for %zu --embargo "
			"scenarios\n",
			a.n_prob, a.ro.n_embargoes);
		return EXIT_USAGE;
	}
	struct allot_scenario *s = NULL;
	if ((rc = cli_load(&a.o.src, &s)) != EXIT_OK)
		return rc;
	if (economy && a.ro.n_embargoes == 0) { /* the default scenario: china, 24 months */
		if (cli_opt_change("reserve", "embargo", ALLOT_CHG_EMBARGO, "china",
				   &a.emb_change[0]) != 0) {
			allot_scenario_free(s);
			return EXIT_FAILURE;
		}
		a.ro.n_embargoes = 1;
	}
	for (size_t k = 0; k < a.ro.n_embargoes; k++) {
		const struct allot_change *c = &a.emb_change[k];
		if (!economy) {
			if (cli_embargo_resolve("reserve", "embargo", s, &a.emb_change[k], 24,
						&a.emb[k])) {
				allot_scenario_free(s);
				return EXIT_USAGE;
			}
			continue;
		}
		/* economy: a source group of critical_minerals.csv stops its whole
		 * share (the library checks the group's name) */
		if (c->what[0]) {
			fprintf(stderr,
				"allot reserve: --embargo %s: column %d: at the economy's "
				"scale an embargo stops a source's whole share: expected no "
				":MINERAL, found \"%s\" (or use --scope lines)\n",
				c->text, c->col_what, c->what);
			allot_scenario_free(s);
			return EXIT_USAGE;
		}
		a.emb[k].source = (char *)c->who;
		a.emb[k].mineral = -1;
		a.emb[k].start_month = c->month != ALLOT_NO_MONTH ? c->month : s->as_of;
		a.emb[k].end_month = a.emb[k].start_month + (c->months ? c->months : 24) - 1;
	}
	a.ro.embargoes = a.emb;
	if (economy) {
		a.xo.budget_usd = a.ro.budget_usd;
		a.xo.embargoes = a.emb;
		a.xo.n_embargoes = a.ro.n_embargoes;
		a.xo.prob = a.n_prob ? a.prob : NULL;
		a.xo.methods = a.ro.methods;
		rc = cli_reserve_economy(s, path, &a.xo, a.o.fmt);
		allot_scenario_free(s);
		return rc;
	}
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
