/*
 * cmd_whatif.c - `allot whatif`: a base scenario planned without and with
 * a set of changes (flags in the one grammar of docs/whatif.md, an overlay
 * folder of rows, or a storyline under data/storylines), answered with the
 * tables of `allot compare` (allot_compare_scenarios): who gains, who
 * waits, whose orders a budget cap cuts, in units and USD.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot whatif DIR | --db FILE [--scenario NAME]  CHANGES...\n"
		"                    [--overlay DIR] [--storyline NAME] [--storylines DIR]\n"
		"                    [--policy fcfs|priority] [--switch YYYY-MM] [--year YYYY]\n"
		"                    [--fx FILE] [--top N] [--wide] [--csv | --json]\n"
		"       allot whatif --list [--storylines DIR]\n"
		"\n"
		"Plans the scenario without and with the changes, under one policy, and\n"
		"answers in units and USD: what is delivered by the end of a year, which\n"
		"orders a budget cap cuts (a cut is its own outcome, never a wait), and\n"
		"who waits less or longer, by partner, tier, region and system.  Waits are\n"
		"weighted by the value of each order's open units (the unweighted mean is\n"
		"beside it); docs/whatif.md defines every figure.\n"
		"\n"
		"changes (each may be repeated; the same grammar as minerals, reserve,\n"
		"sweep, the API and the dashboard's what-if page):\n"
		"  --cap ISO3:AMOUNT[CUR]@YYYY-MM        budget cap on a partner's undelivered\n"
		"                                        orders; USD unless CUR (TWD ...: fx.csv)\n"
		"  --invest ISO3:LINE:USD:+RATE@ONLINE   partner money adding RATE units/month\n"
		"  --embargo SOURCE[:MINERAL]@START[+MONTHS]  supply cut (to the horizon\n"
		"                                        without +MONTHS)\n"
		"  --us-share LINE:SHARE@YYYY-MM[+MONTHS]  US forces keep SHARE of the line\n"
		"                                        (for MONTHS, then the share before)\n"
		"  --rate LINE:RATE@YYYY-MM              line output, units/month (400/12 ok)\n"
		"  --status ISO3:STATUS@YYYY-MM          compliant, delinquent or violation\n"
		"  --weight CRITERION:W[@YYYY-MM]        scoring weight (from as_of)\n"
		"  --catalog SYSTEM[:TIER]@YYYY-MM       the system joins the priority catalog;\n"
		"                                        TIER: its gate (worst tier served)\n"
		"  --eeum SYSTEM[:0|1]@YYYY-MM           the system comes under EEUM (1) or not\n"
		"  AMOUNT and USD take k, m, b/bn, t/tn; ISO3 also takes a name (Poland),\n"
		"  LINE a line or system id or name (\"PAC-3 MSE interceptor\").\n"
		"\n"
		"options:\n"
		"  --overlay DIR      rows to add to the base (CSV files with the base's\n"
		"                     headers) before planning both sides, and its changes.txt\n"
		"  --storyline NAME   the overlay data/storylines/NAME (next to DIR)\n"
		"  --storylines DIR   where storylines live (default: DIR/../storylines)\n"
		"  --list             list the storylines and their questions\n"
		"  --policy P         the policy of both plans (default priority)\n"
		"  --switch YYYY-MM   fcfs before this month (default: the scenario's)\n"
		"  --year YYYY        units and value delivered by the end of it (as_of + 3)\n"
		"  --fx FILE          exchange rates (default: the storyline's or DIR's fx.csv)\n"
		"  --top N            text: at most N rows per table (default 12; 0 = all)\n"
		"  --wide             text: every column of the group tables (the default\n"
		"                     shows the changes in units, USD and value-weighted wait\n"
		"                     and the orders cut in 100 columns) and of the requests\n"
		"  --csv, --json      every group, machine-readable\n"
		"\n"
		"examples:\n"
		"  allot whatif data/default --cap Taiwan:5bn@2026-02\n"
		"  allot whatif data/default --cap TWN:400bnTWD@2026-05\n"
		"  allot whatif data/default --us-share gmlrs:0.8@2026-06+24 \\\n"
		"      --us-share pac3-mse:0.8@2026-06+24\n"
		"  allot whatif data/default --embargo china:gallium@2026-03+24\n"
		"  allot whatif data/default --storyline saudi-thaad\n"
		"  allot whatif --list\n");
}

#define MAX_CHANGES 64

struct whatif_args {
	struct cli_common o;
	struct allot_compare_options co;
	struct allot_change ch[MAX_CHANGES];
	size_t n;
	const char *overlay, *storyline, *storylines, *fx;
	int list, wide;
	long top;
};

static int add_change(struct whatif_args *a, enum allot_change_kind k, const char *text)
{
	if (a->n == MAX_CHANGES) {
		fprintf(stderr, "allot whatif: at most %d changes\n", MAX_CHANGES);
		return EXIT_USAGE;
	}
	if (cli_opt_change("whatif", allot_change_flag(k), k, text, &a->ch[a->n]) != 0)
		return EXIT_USAGE;
	a->n++;
	return EXIT_OK;
}

static int opt_change(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)cmd;
	return add_change(args, (enum allot_change_kind)op->min, arg) == EXIT_OK ? 0 : -1;
}

static int opt_policy(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	struct whatif_args *a = args;
	(void)op;
	if (cli_opt_policy(cmd, arg, &a->co.policy[0]) != 0)
		return -1;
	a->co.policy[1] = a->co.policy[0];
	return 0;
}

/* A braced macro body: see cli.h, CLI_OPT_FLAG. */
/* clang-format off */
#define CHANGE_OPT(name, k) { name, CLI_T_FN, 0, 0, k, 0, NULL, opt_change }
/* clang-format on */
static const struct cli_opt whatif_opts[] = {
	CHANGE_OPT("cap", ALLOT_CHG_CAP),
	CHANGE_OPT("invest", ALLOT_CHG_INVEST),
	CHANGE_OPT("embargo", ALLOT_CHG_EMBARGO),
	CHANGE_OPT("us-share", ALLOT_CHG_US_SHARE),
	CHANGE_OPT("rate", ALLOT_CHG_RATE),
	CHANGE_OPT("status", ALLOT_CHG_STATUS),
	CHANGE_OPT("weight", ALLOT_CHG_WEIGHT),
	CHANGE_OPT("catalog", ALLOT_CHG_CATALOG),
	CHANGE_OPT("eeum", ALLOT_CHG_EEUM),
	CLI_OPT_STR("overlay", struct whatif_args, overlay),
	CLI_OPT_STR("storyline", struct whatif_args, storyline),
	CLI_OPT_STR("storylines", struct whatif_args, storylines),
	CLI_OPT_FLAG("list", struct whatif_args, list),
	CLI_OPT_FN("policy", opt_policy),
	CLI_OPT_SWITCH(struct whatif_args, co.switch_month),
	CLI_OPT_YEAR("year", struct whatif_args, co.year),
	CLI_OPT_STR("fx", struct whatif_args, fx),
	CLI_OPT_COUNT("top", struct whatif_args, top, 0, 1000000, "a number >= 0"),
	CLI_OPT_FLAG("wide", struct whatif_args, wide),
	{ 0 },
};

static int check(void *args, struct cli_common *o)
{
	struct whatif_args *a = args;
	(void)o;
	if (a->overlay && a->storyline) {
		fprintf(stderr, "allot whatif: give --overlay DIR or --storyline NAME, not both\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
static const struct cli_spec whatif_spec = { "whatif", usage, whatif_opts, CLI_SOURCE | CLI_FORMAT,
					     0,        check };

/* ---------------------------------------------------------------------- */
/* Storylines                                                               */

static void storylines_root(const struct whatif_args *a, char *buf, size_t size)
{
	if (a->storylines) {
		snprintf(buf, size, "%s", a->storylines);
	} else if (a->o.src.dir) {
		cli_storylines_beside(a->o.src.dir, buf, size);
	} else {
		snprintf(buf, size, "data/storylines");
	}
}

static int list_storylines(const struct whatif_args *a)
{
	char root[2048], dir[4096], q[1024];
	storylines_root(a, root, sizeof root);
	char **names = NULL;
	size_t n = 0;
	if (allot_storylines_list(root, &names, &n) != ALLOT_OK || n == 0) {
		fprintf(stderr, "allot whatif: no storylines in %s (folders with a README.md)\n",
			root);
		allot_strv_free(names);
		return EXIT_USAGE;
	}
	const char *head[] = { "storyline", "question" };
	struct cli_table *t = cli_table_new(2, head, NULL);
	for (size_t i = 0; i < n; i++) {
		snprintf(dir, sizeof dir, "%s/%s", root, names[i]);
		allot_storyline_question(dir, q, sizeof q);
		cli_table_add(t, names[i]);
		cli_table_add(t, q);
		if (a->o.fmt == CLI_TEXT) { /* the name, its question wrapped below */
			printf("%s%s\n", i ? "\n" : "", names[i]);
			cli_para(2, "%s", q);
		}
	}
	if (a->o.fmt != CLI_TEXT)
		cli_table_print(t, a->o.fmt, stdout);
	if (a->o.fmt == CLI_TEXT)
		printf("\nrun one: allot whatif %s --storyline NAME  (its README.md cites every "
		       "figure)\n",
		       a->o.src.dir ? a->o.src.dir : "data/default");
	cli_table_free(t);
	allot_strv_free(names);
	return EXIT_OK;
}

/* The overlay folder in use: --overlay, or the storyline's. */
static int overlay_dir(const struct whatif_args *a, char *buf, size_t size)
{
	buf[0] = '\0';
	if (a->overlay) {
		snprintf(buf, size, "%s", a->overlay);
	} else if (a->storyline) {
		char root[2048];
		struct stat sb;
		storylines_root(a, root, sizeof root);
		snprintf(buf, size, "%s/%s", root, a->storyline);
		if (strchr(a->storyline, '/') || stat(buf, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			fprintf(stderr,
				"allot whatif: no storyline '%s' in %s (allot whatif --list "
				"shows them)\n",
				a->storyline, root);
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

static int load_fx(const struct whatif_args *a, const char *ov, struct allot_fx *fx)
{
	char path[8192];
	struct allot_diags d;
	allot_diags_init(&d);
	int rc;
	if (a->fx) {
		struct stat sb;
		if (stat(a->fx, &sb) != 0) {
			fprintf(stderr, "allot whatif: --fx %s: no such file\n", a->fx);
			return EXIT_USAGE;
		}
		snprintf(path, sizeof path, "%s", a->fx);
	} else if (ov[0]) {
		snprintf(path, sizeof path, "%s/fx.csv", ov);
	} else if (a->o.src.dir) {
		snprintf(path, sizeof path, "%s/fx.csv", a->o.src.dir);
	} else {
		return EXIT_OK;
	}
	rc = allot_fx_load(path, fx, &d);
	if (rc != ALLOT_OK)
		allot_diags_print(&d, stderr);
	allot_diags_free(&d);
	return cli_exit_code(rc);
}

/* ---------------------------------------------------------------------- */
/* Text                                                                     */

static const char *months1(double v, char buf[32])
{
	if (isnan(v))
		snprintf(buf, 32, "%s", ALLOT_SYM_UNKNOWN);
	else
		snprintf(buf, 32, "%.1f", v);
	return buf;
}

/* Units of order i not produced before month `rel` (relative to as_of) in
 * plan p, and not delivered before as_of. */
static int64_t open_at(const struct allot_plan *p, size_t i, int32_t rel)
{
	const struct allot_scenario *s = p->scenario;
	int64_t u = s->orders[i].qty - s->orders[i].delivered;
	for (size_t k = 0; k < p->n_allocs; k++)
		if (p->allocs[k].order == (int32_t)i && p->allocs[k].month < rel)
			u -= p->allocs[k].units;
	return u;
}

/* t as text, each line after indent spaces. */
static void print_indented(const struct cli_table *t, int indent)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return;
	cli_table_print(t, CLI_TEXT, f);
	fclose(f);
	for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		printf("%*s%.*s\n", indent, "", nl ? (int)(nl - line) : (int)strlen(line), line);
	}
	free(text);
}

/* For each --cap: what the partner's undelivered orders are worth when the
 * cap starts (units not produced by then in the plan without the changes,
 * at unit cost), so that a cap that does not bind says why; then each of
 * the partner's orders open then, funded or cut, without and with. */
static void print_caps(const struct allot_scenario *s, const struct whatif_args *a,
		       const struct allot_compare *c)
{
	const struct allot_plan *p = c->plan[0];
	for (size_t k = 0; k < a->n; k++) {
		const struct allot_change *ch = &a->ch[k];
		if (ch->kind != ALLOT_CHG_CAP)
			continue;
		int partner = allot_scenario_find_partner(s, ch->id);
		int32_t rel = ch->month - s->as_of;
		struct allot_usd open = { 0 }; /* a cap binds known costs only */
		for (size_t i = 0; i < s->n_orders; i++)
			if (s->orders[i].partner == partner)
				allot_usd_add(&open, open_at(p, i, rel),
					      s->systems[s->orders[i].system].unit_cost_usd, 1);
		char u0[ALLOT_STYLE_USD_SUM_MAX], u1[32], u2[32], m[8], bm[8], say[1024];
		allot_month_format(ch->month, m);
		int n = snprintf(
			say, sizeof say,
			"%s's orders not yet produced in %s are worth %s against the cap of "
			"%s: %s",
			ch->id, m, allot_style_usd_sum(&open, u0), allot_style_usd(ch->usd, u1),
			open.known > ch->usd ? "it binds" : "it does not bind");
		if (open.unknown_orders && n < (int)sizeof say)
			n += snprintf(say + n, sizeof say - (size_t)n,
				      " (its orders of unknown cost cannot be checked against it: "
				      "kept, unless ranked after the first order it cuts)");
		/* the base's own cap in force then, if any (the last in file order) */
		const struct allot_event *base = NULL;
		for (size_t i = 0; i < s->n_events; i++)
			if (s->events[i].type == ALLOT_EV_BUDGET_CAP &&
			    s->events[i].index == partner && s->events[i].month <= ch->month &&
			    (!base || s->events[i].month >= base->month))
				base = &s->events[i];
		if (base && n < (int)sizeof say) {
			allot_month_format(base->month, bm);
			snprintf(say + n, sizeof say - (size_t)n,
				 "; without the changes the cap is %s from %s, which %s",
				 allot_style_usd(base->num, u2), bm,
				 open.known > base->num ? "binds" : "does not bind either");
		}
		cli_para(2, "%s", say);
		size_t n_open = 0;
		for (size_t i = 0; i < s->n_orders; i++)
			n_open += s->orders[i].partner == partner && open_at(p, i, rel) > 0;
		if (!n_open || n_open > 12)
			continue;
		cli_para(4,
			 "%s's orders open in %s (usd_m: their value at unit cost, USD million; "
			 "without, with: funded, or the units cut, all of them when dropped, and "
			 "their value in USD million):",
			 ch->id, m);
		static const char *const head[] = { "order", "system",  "units",
						    "usd_m", "without", "with" };
		static const int num[] = { 0, 0, 1, 1, 0, 0 };
		struct cli_table *t = cli_table_new(6, head, num);
		for (size_t i = 0; i < s->n_orders; i++) {
			const struct allot_order *o = &s->orders[i];
			int64_t u = o->partner == partner ? open_at(p, i, rel) : 0;
			if (u <= 0)
				continue;
			double cost = s->systems[o->system].unit_cost_usd;
			cli_table_add(t, o->order_id);
			cli_table_add(t, s->systems[o->system].system_id);
			cli_table_addf(t, "%lld", (long long)u);
			if (allot_cost_known(cost))
				cli_table_addf(t, "%.1f", (double)u * cost / 1e6);
			else
				cli_table_add(t, ALLOT_SYM_UNKNOWN);
			for (int side = 0; side < 2; side++) {
				int64_t cut = c->orders[i].cancelled[side];
				if (!cut)
					cli_table_add(t, "funded");
				else if (allot_cost_known(cost))
					cli_table_addf(t, "%s %lld (%.1f)",
						       cut >= u ? "dropped" : "cut", (long long)cut,
						       (double)cut * cost / 1e6);
				else
					cli_table_addf(t, "%s %lld (%s)",
						       cut >= u ? "dropped" : "cut", (long long)cut,
						       ALLOT_SYM_UNKNOWN);
			}
		}
		print_indented(t, 6);
		cli_table_free(t);
	}
}

/* For each --invest: the partner's score and tier before and once the
 * money counts (the policy's weights at as_of; docs/allocation.md). */
static void print_invest(const struct allot_scenario *s, const struct whatif_args *a)
{
	for (size_t k = 0; k < a->n; k++) {
		const struct allot_change *ch = &a->ch[k];
		if (ch->kind != ALLOT_CHG_INVEST)
			continue;
		int p = allot_scenario_find_partner(s, ch->id);
		const struct allot_partner *pt = &s->partners[p];
		struct allot_score b, x;
		allot_score_partner(&s->policy, pt, pt->invest_in_us_usd, pt->eum_status, &b);
		allot_score_partner(&s->policy, pt,
				    allot_invest_known_or_0(pt->invest_in_us_usd) + ch->usd,
				    pt->eum_status, &x);
		char m[8];
		allot_month_format(ch->month, m);
		cli_para(2,
			 "%s's score %.2f (tier %d) becomes %.2f (tier %d) once the investment "
			 "counts, from %s",
			 ch->id, b.score, b.tier, x.score, x.tier, m);
	}
}

static int changed_group(const struct allot_compare_group *g)
{
	return g->delta_units || g->delta_value != 0 || g->cut || g->restored ||
	       g->cancelled[0] != g->cancelled[1] || g->earlier || g->later;
}

/* The group tables in 100 columns (as compare's): the group, its name
 * clipped (tiers and regions are their own names), the change in units
 * and USD delivered by the year, the orders cut, the value-weighted wait
 * with the changes and its change; --wide: every column below. */
#define NAME_WIDTH 16

/* The value-weighted wait with the changes and its change, or the word
 * for a group without one. */
static void vwait_cells(struct cli_table *t, const struct allot_compare_group *g)
{
	char b[32];
	const char *nowait = allot_compare_nowait_word(g); /* no value-weighted wait */
	cli_table_add(t, isnan(g->vwait[1]) ? nowait : months1(g->vwait[1], b));
	if (isnan(g->delta_vwait))
		cli_table_add(t, nowait);
	else
		cli_table_add(t, allot_fmt_delta(g->delta_vwait, 1, b));
}

static struct cli_table *narrow_table(const struct allot_compare *c, enum allot_group_by by)
{
	const char *usd = allot_compare_has_unknown_costs(c) ? "usd_change_known" : "usd_change";
	const char *head[] = { allot_group_by_name(by),
			       "name",
			       "units_change",
			       usd,
			       "cut_orders",
			       "wait_vw",
			       "vw_change" };
	static const int num[] = { 0, 0, 1, 1, 1, 1, 1 };
	if (by == ALLOT_BY_TIER || by == ALLOT_BY_REGION) {
		memmove(&head[1], &head[2], 5 * sizeof *head);
		return cli_table_new(6, head, num + 1);
	}
	return cli_table_new(7, head, num);
}

static void narrow_row(struct cli_table *t, enum allot_group_by by,
		       const struct allot_compare_group *g)
{
	char b[32], clip[4 * NAME_WIDTH + 1];
	cli_table_add(t, g->key);
	if (by != ALLOT_BY_TIER && by != ALLOT_BY_REGION)
		cli_table_add(t, cli_clip(g->label, NAME_WIDTH, clip, sizeof clip));
	cli_table_add(t, allot_fmt_delta_int(g->delta_units, b));
	cli_usd_change_cell(t, g->value_usd, g->delta_value);
	cli_table_addf(t, "%zu", g->cut);
	vwait_cells(t, g);
}

static struct cli_table *group_table(const struct allot_compare *c, enum allot_group_by by)
{
	int unk = allot_compare_has_unknown_costs(c);
	char h[4][40];
	snprintf(h[0], sizeof h[0], "units_%d", c->year);
	snprintf(h[1], sizeof h[1], "usd_m_%d", c->year);
	snprintf(h[2], sizeof h[2], "wait_vw");
	snprintf(h[3], sizeof h[3], "wait");
	const char *head[] = { allot_group_by_name(by),
			       "name",
			       h[0],
			       "change",
			       h[1],
			       unk ? "change_known" : "change",
			       "cut_orders",
			       "cancelled_units",
			       unk ? "cancelled_usd_m_known" : "cancelled_usd_m",
			       h[2],
			       "change",
			       h[3],
			       "change",
			       "earlier",
			       "later",
			       "unknown_cost_units" };
	static const int num[] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	return cli_table_new(unk ? 16 : 15, head, num);
}

static void group_row(struct cli_table *t, const struct allot_compare_group *g, int unk)
{
	char b[32];
	cli_table_add(t, g->key);
	cli_table_addf(t, "%.32s", g->label);
	cli_table_addf(t, "%lld", (long long)g->by_year[1]);
	cli_table_add(t, allot_fmt_delta_int(g->delta_units, b));
	char vb[48]; /* ">= " when units of unknown cost are left out */
	cli_table_add(t, allot_usd_num(&g->value_usd[1], 1e6, 1, 1, vb));
	cli_usd_change_cell(t, g->value_usd, g->delta_value);
	cli_table_addf(t, "%zu", g->cut);
	cli_table_add(t, allot_fmt_delta_int(g->cancelled[1] - g->cancelled[0], b));
	cli_usd_change_cell(t, g->cancelled_usd, g->cancelled_value[1] - g->cancelled_value[0]);
	vwait_cells(t, g);
	cli_table_addf(t, "%.1f", g->mean_wait[1]);
	cli_table_add(t, allot_fmt_delta(g->delta_wait, 1, b));
	cli_table_addf(t, "%zu", g->earlier);
	cli_table_addf(t, "%zu", g->later);
	if (unk)
		cli_unknown_units_cell(t, g->value_usd);
}

/* > 0 the group gains with the changes, < 0 it loses, 0 neither: by
 * value-weighted wait when it has value, else by mean wait, then by USD
 * and units delivered (allot_compare ranks by value-months). */
static int gain_sign(const struct allot_compare_group *g)
{
	double k = g->weight > 0 ? g->delta_vwait : g->delta_wait;
	if (k != 0)
		return k < 0 ? 1 : -1;
	if (g->delta_value != 0)
		return g->delta_value > 0 ? 1 : -1;
	return g->delta_units > 0 ? 1 : g->delta_units < 0 ? -1 : 0;
}

/* which: 0 every changed group, 1 gainers, -1 losers (most first), 2 cuts */
static void print_groups(const struct allot_compare *c, enum allot_group_by by, long top,
			 const char *title, int which, int wide)
{
	printf("\n%s\n", title);
	struct cli_table *t = wide ? group_table(c, by) : narrow_table(c, by);
	size_t shown = 0, total = 0, n = c->n_groups[by];
	for (size_t j = 0; j < n; j++) {
		const struct allot_compare_group *g = &c->groups[by][which < 0 ? n - 1 - j : j];
		if (by != ALLOT_BY_TIER && !changed_group(g))
			continue;
		if (which == 2 && !g->cut && !g->restored)
			continue;
		if ((which == 1 || which == -1) && gain_sign(g) != which)
			continue;
		total++;
		if (top && shown >= (size_t)top)
			continue;
		if (wide)
			group_row(t, g, allot_compare_has_unknown_costs(c));
		else
			narrow_row(t, by, g);
		shown++;
	}
	if (shown)
		cli_table_print(t, CLI_TEXT, stdout);
	else
		printf("%s\n", which == 0 ? "(none changed)" : "(none)");
	if (total > shown)
		printf("... and %zu more (--top 0 shows all)\n", total - shown);
	cli_table_free(t);
}

static const char *loa_text(const struct allot_case_estimate *e, char buf[16])
{
	if (e->held)
		snprintf(buf, 16, "held (gate %d)", e->min_tier);
	else
		allot_month_format(e->loa_month, buf);
	return buf;
}

/* The lines the changes name: foreign capacity and what foreign orders
 * took of it by the year (a change to a line whose foreign capacity sits
 * idle moves nothing: docs/whatif.md, "Lines"). */
static void print_lines(const struct allot_scenario *s, const struct whatif_args *a,
			const struct allot_compare *c)
{
	struct allot_whatif_lines w;
	if (allot_whatif_lines(c->plan[0], c->plan[1], c->year, a->ch, a->n, &w) != ALLOT_OK)
		return;
	for (size_t i = 0; i < w.n; i++) {
		const struct allot_whatif_line *x = &w.v[i];
		char f0[32], f1[32], u0[32], u1[32], off[200];
		allot_whatif_line_off(x, off, sizeof off);
		cli_para(2,
			 "line %s, from as_of to the end of %d: foreign share (rate less the US "
			 "share) %s units without, %s with; foreign orders took %s and %s%s",
			 s->lines[x->line].line_id, w.year,
			 allot_fmt_grouped(x->foreign_capacity[0], f0),
			 allot_fmt_grouped(x->foreign_capacity[1], f1),
			 allot_fmt_grouped(x->foreign_used[0], u0),
			 allot_fmt_grouped(x->foreign_used[1], u1), off);
	}
	allot_whatif_lines_free(&w);
}

/* The requests whose path to an offer the changes alter (catalog, gates,
 * EEUM): one summary line. */
static void print_requests(const struct allot_scenario *s, const struct allot_whatif_requests *q)
{
	char u0[32], u1[32], n0[32], n1[32];
	if (!q->n) {
		if (s->n_requests)
			cli_para(2, "requests not yet offered: the changes move none of the %zu",
				 s->n_requests);
		return;
	}
	cli_para(2,
		 "requests not yet offered (%zu): %zu offered sooner (%s units, %s), %zu later, "
		 "%zu newly held by a tier gate (%s units, %s), %zu released",
		 s->n_requests, q->sooner, allot_fmt_grouped(q->units_sooner, n0),
		 allot_style_usd(q->usd_sooner, u0), q->later, q->held,
		 allot_fmt_grouped(q->units_held, n1), allot_style_usd(q->usd_held, u1),
		 q->released);
}

/* The requests the changes move; why_with a column with --wide, else a
 * line each below the table. */
static void print_request_table(const struct allot_scenario *s,
				const struct allot_whatif_requests *q, long top, int wide)
{
	if (!q->n)
		return;
	printf("\nrequests whose offer (LOA) the changes move (tier at as_of):\n");
	const char *head[] = { "request", "partner",     "tier",     "system",  "units",
			       "lor",     "loa_without", "loa_with", "why_with" };
	static const int num[] = { 0, 0, 1, 0, 1, 0, 0, 0, 0 };
	struct cli_table *t = cli_table_new(wide ? 9 : 8, head, num);
	size_t shown = 0;
	for (size_t i = 0; i < q->n && (top <= 0 || (long)shown < top); i++, shown++) {
		const struct allot_whatif_request *w = &q->v[i];
		const struct allot_request *r = &s->requests[w->request];
		char lor[8], l0[16], l1[16], why[256];
		allot_month_format(r->lor_month, lor);
		allot_case_reason(s, &w->est[1], why, sizeof why);
		cli_table_add(t, r->request_id);
		cli_table_add(t, s->partners[r->partner].iso3);
		cli_table_addf(t, "%d", w->est[1].tier);
		cli_table_add(t, s->systems[r->system].system_id);
		cli_table_addf(t, "%lld", (long long)r->qty);
		cli_table_add(t, lor);
		cli_table_add(t, loa_text(&w->est[0], l0));
		cli_table_add(t, loa_text(&w->est[1], l1));
		if (wide)
			cli_table_add(t, why);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	if (!wide) {
		printf("why, with the changes:\n");
		for (size_t i = 0; i < shown; i++) {
			char why[256];
			allot_case_reason(s, &q->v[i].est[1], why, sizeof why);
			cli_para(2, "%s: %s", s->requests[q->v[i].request].request_id, why);
		}
	}
	if (q->n > shown)
		printf("... and %zu more (--top 0 shows all)\n", q->n - shown);
	cli_table_free(t);
}

static void print_text(const struct allot_scenario *s, const struct whatif_args *a,
		       const struct allot_compare *c, const char *ov, const char *question,
		       const struct allot_whatif_requests *q)
{
	char buf[512], u0[ALLOT_STYLE_USD_SUM_MAX], u1[ALLOT_STYLE_USD_SUM_MAX], du[32];
	char d0[32], d1[32];
	const struct allot_compare_group *g = &c->all;
	char sw[8] = "";
	if (c->switch_month != ALLOT_NO_MONTH && c->switch_month > s->as_of)
		allot_month_format(c->switch_month, sw);
	/* A path is printed on a line of its own, never wrapped: how the
	 * sentences around it wrap must not depend on where the data lives. */
	cli_legend("whatif: scenario %s, %s%s%s%s", s->name, allot_policy_kind_name(c->policy[1]),
		   sw[0] ? " (fcfs before " : "", sw, sw[0] ? ")" : "");
	if (ov[0])
		printf("overlay: %s\n", ov);
	if (question && *question)
		cli_legend("question: %s", question);
	char readme[4200];
	snprintf(readme, sizeof readme, "%s/README.md", ov);
	if (ov[0] && access(readme, R_OK) == 0) {
		printf("sources: %s\n", readme);
		cli_para(2, "cites every figure the overlay adds (estimates labelled); see also "
			    "the scenario's SOURCES.md and docs/whatif.md");
	}
	printf("%zu change%s:\n", a->n, a->n == 1 ? "" : "s");
	for (size_t i = 0; i < a->n; i++) {
		allot_change_describe(s, &a->ch[i], buf, sizeof buf);
		cli_para(2, "--%s %s  (%s)", allot_change_flag(a->ch[i].kind), a->ch[i].text, buf);
	}
	if (!a->n)
		printf("  (none: both plans are the same)\n");
	printf("\nanswer, by the end of %d:\n", c->year);
	char n0[32], n1[32], nd[32];
	char dk[120]; /* a change of lower bounds: of the known costs only */
	cli_para(2, "delivered: %s units worth %s without, %s worth %s with (%s%s units, %s%s)",
		 allot_fmt_grouped(g->by_year[0], n0), allot_style_usd_sum(&g->value_usd[0], u0),
		 allot_fmt_grouped(g->by_year[1], n1), allot_style_usd_sum(&g->value_usd[1], u1),
		 g->delta_units > 0 ? "+" : "", allot_fmt_grouped(g->delta_units, nd),
		 allot_style_usd(g->delta_value, du),
		 allot_usd_change_note(&g->value_usd[0], &g->value_usd[1], dk, sizeof dk));
	cli_para(2,
		 "cancelled by budget caps: %s units worth %s without, %s worth %s with; "
		 "%zu order%s cut, %zu restored",
		 allot_fmt_grouped(g->cancelled[0], n0),
		 allot_style_usd_sum(&g->cancelled_usd[0], u0),
		 allot_fmt_grouped(g->cancelled[1], n1),
		 allot_style_usd_sum(&g->cancelled_usd[1], u1), g->cut, g->cut == 1 ? "" : "s",
		 g->restored);
	cli_cost_estimate_note(s, 2);
	print_caps(s, a, c);
	print_invest(s, a);
	cli_para(2,
		 "waits of the %zu orders with the same units on both sides: value-weighted "
		 "%s -> %s months (%s), unweighted %.1f -> %.1f (%s); %zu earlier, %zu later",
		 g->orders, months1(g->vwait[0], u0), months1(g->vwait[1], u1),
		 isnan(g->delta_vwait) ? ALLOT_SYM_UNKNOWN : allot_fmt_delta(g->delta_vwait, 1, d0),
		 g->mean_wait[0], g->mean_wait[1], allot_fmt_delta(g->delta_wait, 1, d1),
		 g->earlier, g->later);
	print_requests(s, q);
	print_lines(s, a, c);
	if (!a->wide) {
		cli_legend("\nunits_change and usd_change: the change in units and USD million "
			   "delivered by the end of %d with the changes; cut_orders: orders budget "
			   "caps cut with them; wait_vw: the wait with the changes in months from "
			   "the later of LOA and as_of to the last unit, weighted by each order's "
			   "open value, and vw_change its change; cut orders are not waits; --wide "
			   "shows every column",
			   c->year);
		if (allot_compare_has_unknown_costs(c))
			cli_legend("usd_change_known counts known unit costs only: a change of the "
				   "known costs (--wide shows the units of unknown cost)");
	} else {
		printf("\nunits and USD millions delivered with the changes by the end of %d, and "
		       "the change;\nwaits in months from the later of LOA and as_of to the last "
		       "unit (wait_vw: weighted\nby each order's open value); cut orders are not "
		       "waits\n",
		       c->year);
	}
	if (a->wide && allot_compare_has_unknown_costs(c))
		printf("USD columns count known unit costs only (\">=\": a lower bound), so their "
		       "changes\n(change_known, cancelled_usd_m_known) are changes of the known "
		       "costs; the units\nof unknown cost delivered with the changes, and their "
		       "change, are apart\n(unknown_cost_units)\n");
	long top = a->top;
	int w = a->wide;
	if (g->cut || g->restored)
		print_groups(c, ALLOT_BY_PARTNER, top, "partners whose orders budget caps cut", 2,
			     w);
	print_groups(c, ALLOT_BY_PARTNER, top,
		     "who gains, by partner (most USD-months of waiting saved first)", 1, w);
	print_groups(c, ALLOT_BY_PARTNER, top,
		     "who loses, by partner (most USD-months of waiting added first)", -1, w);
	print_groups(c, ALLOT_BY_TIER, top, "by tier (at as_of)", 0, w);
	print_groups(c, ALLOT_BY_REGION, top, "by region (gainers first)", 0, w);
	print_groups(c, ALLOT_BY_SYSTEM, top, "by system", 0, w);
	print_request_table(s, q, top, w);
}

/* ---------------------------------------------------------------------- */
/* CSV and JSON                                                             */

/* --csv: group, year, then allot_compare_columns (_a without the changes,
 * _b with them) and allot_whatif_extra_columns, a row for all first; the
 * same keys as --json and the API (allot_whatif_json). */
static void print_csv(const struct allot_compare *c)
{
	enum { NC = ALLOT_COMPARE_NCOL, NX = ALLOT_WHATIF_EXTRA_NCOL };
	const char *head[2 + NC + NX] = { "group", "year" };
	memcpy(head + 2, allot_compare_columns, sizeof allot_compare_columns);
	memcpy(head + 2 + NC, allot_whatif_extra_columns, sizeof allot_whatif_extra_columns);
	struct cli_table *t = cli_table_new(2 + NC + NX, head, NULL);
	char b[64];
	for (int by = -1; by < ALLOT_BY_COUNT; by++) {
		size_t n = by < 0 ? 1 : c->n_groups[by];
		for (size_t k = 0; k < n; k++) {
			const struct allot_compare_group *g = by < 0 ? &c->all : &c->groups[by][k];
			struct allot_cell cell[NC + NX];
			allot_compare_group_cells(g, cell);
			allot_whatif_extra_cells(g, cell + NC);
			cli_table_add(t, by < 0 ? "all"
						: allot_group_by_name((enum allot_group_by)by));
			cli_table_addf(t, "%d", c->year);
			for (int e = 0; e < NC + NX; e++)
				cli_table_add(t, allot_cell_text(&cell[e], b));
		}
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

/* ---------------------------------------------------------------------- */

static int read_overlay_changes(struct whatif_args *a, const char *ov)
{
	char path[8192];
	struct allot_change *v = NULL;
	size_t n = 0;
	struct allot_diags d;
	allot_diags_init(&d);
	snprintf(path, sizeof path, "%s/changes.txt", ov);
	int rc = allot_changes_read(path, &v, &n, &d);
	if (rc == ALLOT_ENOTFOUND)
		rc = ALLOT_OK;
	if (rc != ALLOT_OK)
		allot_diags_print(&d, stderr);
	/* the folder's changes come first, the flags after (they win in a month) */
	if (rc == ALLOT_OK && n + a->n > MAX_CHANGES) {
		fprintf(stderr, "allot whatif: at most %d changes\n", MAX_CHANGES);
		rc = ALLOT_EINPUT;
	}
	if (rc == ALLOT_OK && n) {
		memmove(&a->ch[n], &a->ch[0], a->n * sizeof *a->ch);
		memcpy(&a->ch[0], v, n * sizeof *v);
		a->n += n;
	}
	free(v);
	allot_diags_free(&d);
	return cli_exit_code(rc);
}

static int run(struct whatif_args *a, const struct allot_scenario *base, const char *ov,
	       const struct allot_fx *fx)
{
	struct allot_scenario *after = NULL;
	struct allot_compare *c = NULL;
	struct allot_change_error err;
	size_t bad;
	char question[1024] = "";
	int rc = allot_changes_apply(base, a->ch, a->n, fx, &after, &bad, &err);
	if (rc == ALLOT_EINPUT) {
		enum allot_change_kind k = a->ch[bad].kind;
		cli_change_error("whatif", allot_change_flag(k), k, a->ch[bad].text, &err);
		return EXIT_USAGE;
	}
	struct allot_whatif_requests q = { 0 };
	if (rc == ALLOT_OK)
		rc = allot_compare_scenarios(base, after, &a->co, &c);
	if (rc == ALLOT_OK)
		rc = allot_whatif_requests(base, after, c->policy[1], c->switch_month, &q);
	if (rc != ALLOT_OK) {
		fprintf(stderr, "allot whatif: %s\n", allot_strerror(rc));
	} else {
		if (ov[0])
			allot_storyline_question(ov, question, sizeof question);
		if (a->o.fmt == CLI_CSV)
			print_csv(c);
		else if (a->o.fmt == CLI_JSON)
			cli_json_print(allot_whatif_json(base, a->ch, a->n, c, &q, ov, question),
				       6);
		else
			print_text(base, a, c, ov, question, &q);
	}
	allot_whatif_requests_free(&q);
	allot_compare_free(c);
	allot_changed_free(after);
	return cli_exit_code(rc);
}

int cmd_whatif(int argc, char **argv)
{
	struct whatif_args *a = calloc(1, sizeof *a);
	if (!a)
		return EXIT_RUNTIME;
	allot_compare_options_init(&a->co);
	a->co.policy[0] = a->co.policy[1] = ALLOT_POLICY_PRIORITY;
	a->top = 12;
	char ov[4096];
	struct allot_fx fx = { 0 };
	struct allot_scenario *s = NULL, *merged = NULL;
	int rc = cli_parse(&whatif_spec, argc, argv, a, &a->o);
	if (rc != EXIT_OK) {
		rc = rc < 0 ? EXIT_OK : rc;
		goto done;
	}
	if (a->list) {
		rc = list_storylines(a);
		goto done;
	}
	if ((rc = overlay_dir(a, ov, sizeof ov)) || (ov[0] && (rc = read_overlay_changes(a, ov))) ||
	    (rc = load_fx(a, ov, &fx)) || (rc = cli_load(&a->o.src, &s)))
		goto done;
	if (ov[0]) {
		struct allot_diags d;
		allot_diags_init(&d);
		int lrc = allot_overlay_load(s, ov, &merged, &d);
		allot_diags_print(&d, stderr);
		allot_diags_free(&d);
		if ((rc = cli_exit_code(lrc)))
			goto done;
	}
	if (ov[0] && !a->co.year) /* the storyline's own year, unless --year */
		a->co.year = allot_storyline_year(ov);
	rc = run(a, merged ? merged : s, ov, &fx);
done:
	allot_scenario_free(merged);
	allot_scenario_free(s);
	allot_fx_free(&fx);
	free(a);
	return rc;
}
