/*
 * cmd_score.c - `allot score`: every partner's score, tier and the points
 * each criterion contributes, under the scenario's policy (docs/policy.md);
 * --explain ISO3 walks through one partner's arithmetic in words.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot score DIR | --db FILE [--scenario NAME] [--tier N]\n"
		"                  [--explain PARTNER[,PARTNER...]] [--wide] [--csv | --json]\n"
		"\n"
		"Scores every partner under the scenario's policy.json: each criterion maps\n"
		"the partner's inputs to 0..1, the score is the weighted mean times 100 less\n"
		"end-use penalties, and the tier follows from the thresholds (tier 1 is\n"
		"served first under the priority policy).  Rows are sorted best first; each\n"
		"criterion column shows the points it contributes to the score (in text\n"
		"under a short name the line below the table spells out).\n"
		"\n"
		"options:\n"
		"  --db FILE         read the scenario from a store instead of DIR\n"
		"  --scenario NAME   which stored scenario (default: the only one, or default)\n"
		"  --tier N          list only the partners of tier N\n"
		"  --explain WHO     show partners' arithmetic step by step; WHO is an ISO3\n"
		"                    code, a name or a unique prefix, or a comma list of them;\n"
		"                    with --csv/--json one row per criterion with its inputs\n"
		"  --wide            text: names in full and the criteria's full names (the\n"
		"                    default fits 100 columns)\n"
		"  --csv, --json     machine-readable output\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot score data/default\n"
		"  allot score --db allot.db --explain TWN\n"
		"  allot score data/default --explain Poland,ISR\n"
		"  allot score data/default --explain ARE --json\n"
		"  allot score data/default --tier 1\n"
		"  allot score data/default --csv > scores.csv\n");
}

/* The criteria's headers in the text table, short so that it fits 100
 * columns (the line below it spells them out; --wide: their names). */
static const char *const crit_short[ALLOT_CRIT_COUNT] = {
	[ALLOT_CRIT_INVESTMENT] = "invest", [ALLOT_CRIT_GROWTH] = "growth",
	[ALLOT_CRIT_GEOGRAPHY] = "geo",     [ALLOT_CRIT_OPERATIONS] = "ops",
	[ALLOT_CRIT_ECONOMIC] = "econ",
};

static void print_table(const struct allot_scenario *s, const struct cli_ranked *r, int tier,
			enum cli_format fmt, int wide)
{
	int narrow = fmt == CLI_TEXT && !wide;
	const char *head[6 + ALLOT_CRIT_COUNT + 1];
	int numeric[6 + ALLOT_CRIT_COUNT + 1] = { 1, 0, 0, 0, 1, 1 };
	int nc = 0;
	head[nc++] = "rank";
	head[nc++] = "iso3";
	head[nc++] = "name";
	head[nc++] = "region";
	head[nc++] = "tier";
	head[nc++] = "score";
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++) {
		numeric[nc] = 1;
		head[nc++] = narrow ? crit_short[k] : allot_criterion_name((enum allot_criterion)k);
	}
	numeric[nc] = 1;
	head[nc++] = narrow ? "pen" : "penalty";
	struct cli_table *t = cli_table_new(nc, head, numeric);
	int cut = 0; /* some name clipped */
	for (size_t i = 0; i < s->n_partners; i++) {
		const struct allot_partner *p = &s->partners[r[i].partner];
		if (tier > 0 && r[i].sc.tier != tier)
			continue;
		cli_table_addf(t, "%zu", i + 1);
		cli_table_add(t, p->iso3);
		char clip[128];
		cli_table_add(t, narrow ? cli_clip_mark(p->name, 16, clip, sizeof clip, &cut)
					: p->name);
		cli_table_add(t, p->region);
		cli_table_addf(t, "%d", r[i].sc.tier);
		cli_table_addf(t, "%.2f", r[i].sc.score);
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
			cli_table_addf(t, "%.2f", r[i].sc.contrib[k]);
		cli_table_addf(t, "%.2f", r[i].sc.penalty > 0 ? -r[i].sc.penalty : 0.0);
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
	if (narrow) { /* the short headers spelled out */
		char legend[256];
		size_t n = 0;
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++) {
			const char *name = allot_criterion_name((enum allot_criterion)k);
			if (strcmp(name, crit_short[k]) != 0)
				n += (size_t)snprintf(legend + n, sizeof legend - n, " %s = %s,",
						      crit_short[k], name);
		}
		cli_legend("points by criterion:%s pen = end-use penalty%s", legend,
			   cut ? CLI_CUT_NOTE : "");
	}
}

/* Where a figure comes from, when partners.csv states its year (issue 15):
 * a figure older than the year before as_of is the last known one, carried
 * forward; no figure at all means the value is the policy default.  The
 * note in buf ("" when the year is not stated). */
static const char *figure_text(int year, allot_month as_of, const char *what, int span, char *buf,
			       size_t n)
{
	int now = (int)(as_of / 12);
	char when[24];
	if (span)
		snprintf(when, sizeof when, "%d-%d", year - span, year);
	else
		snprintf(when, sizeof when, "%d", year);
	buf[0] = 0;
	if (year == ALLOT_NO_FIGURE)
		snprintf(buf, n, "no %s figure exists: 0, the documented default, is used", what);
	else if (year > 0 && year < now - 1)
		snprintf(buf, n, "the last known %s figure, %s, carried forward", what, when);
	else if (year > 0)
		snprintf(buf, n, "%s figure: %s", what, when);
	return buf;
}

static void figure_note(int year, allot_month as_of, const char *what, int span)
{
	char note[128];
	if (figure_text(year, as_of, what, span, note, sizeof note)[0])
		printf("  (%s)\n", note);
}

/* --explain with --csv or --json: one row per criterion (and the end-use
 * penalty) of each partner asked for, with its inputs and their notes. */
static void explain_table(const struct allot_scenario *s, const struct cli_ranked *r,
			  const int *want, size_t n_want, enum cli_format fmt)
{
	static const char *head[] = { "iso3",      "name",   "rank",  "tier",   "score",
				      "criterion", "weight", "value", "points", "inputs" };
	static const int numeric[] = { 0, 0, 1, 1, 1, 0, 1, 1, 1, 0 };
	const struct allot_policy *pol = &s->policy;
	struct cli_table *t = cli_table_new(10, head, numeric);
	for (size_t w = 0; w < n_want; w++) {
		size_t i = 0;
		while (r[i].partner != want[w])
			i++;
		const struct allot_partner *p = &s->partners[r[i].partner];
		const struct allot_score *sc = &r[i].sc;
		char in[ALLOT_CRIT_COUNT + 1][512], note[128];
		figure_text(p->defense_year, s->as_of, "defence spending", 0, note, sizeof note);
		snprintf(in[ALLOT_CRIT_INVESTMENT], sizeof in[0], "defense_pct_gdp %.2f%s%s",
			 p->defense_pct_gdp, note[0] ? "; " : "", note);
		figure_text(p->growth_year, s->as_of, "growth", 3, note, sizeof note);
		snprintf(in[ALLOT_CRIT_GROWTH], sizeof in[0], "real_growth_3y_pct %.2f%s%s",
			 p->real_growth_3y_pct, note[0] ? "; " : "", note);
		snprintf(in[ALLOT_CRIT_GEOGRAPHY], sizeof in[0], "region %s, %s", p->region,
			 p->frontline ? "frontline" : "not frontline");
		snprintf(in[ALLOT_CRIT_OPERATIONS], sizeof in[0],
			 "us_troops %.0f, basing_access %d", p->us_troops, p->basing_access);
		char inv[160];
		if (isnan(p->invest_in_us_usd))
			snprintf(inv, sizeof inv, "%s", ALLOT_NOTE_INVEST_UNKNOWN);
		else
			snprintf(inv, sizeof inv, "%.0f", p->invest_in_us_usd);
		const char *pn = allot_purchases_note(p);
		snprintf(in[ALLOT_CRIT_ECONOMIC], sizeof in[0],
			 "us_purchases_5y_usd %.0f%s%s%s; invest_in_us_usd %s",
			 p->us_purchases_5y_usd, pn ? " (" : "", pn ? pn : "", pn ? ")" : "", inv);
		snprintf(in[ALLOT_CRIT_COUNT], sizeof in[0], "eum_status %s",
			 allot_eum_name(p->eum_status));
		for (int k = 0; k <= ALLOT_CRIT_COUNT; k++) {
			cli_table_add(t, p->iso3);
			cli_table_add(t, p->name);
			cli_table_addf(t, "%zu", i + 1);
			cli_table_addf(t, "%d", sc->tier);
			cli_table_addf(t, "%.2f", sc->score);
			if (k < ALLOT_CRIT_COUNT) {
				cli_table_add(t, allot_criterion_name((enum allot_criterion)k));
				cli_table_addf(t, "%.2f", pol->weight[k]);
				cli_table_addf(t, "%.3f", sc->x[k]);
				cli_table_addf(t, "%.2f", sc->contrib[k]);
			} else {
				cli_table_add(t, "penalty");
				cli_table_add(t, "");
				cli_table_add(t, "");
				cli_table_addf(t, "%.2f", sc->penalty > 0 ? -sc->penalty : 0.0);
			}
			cli_table_add(t, in[k]);
		}
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
}

/* One partner's arithmetic, in words a policy reader can follow. */
static void explain(const struct allot_scenario *s, const struct cli_ranked *r, size_t rank)
{
	const struct allot_policy *pol = &s->policy;
	const struct allot_partner *p = &s->partners[r->partner];
	const struct allot_score *sc = &r->sc;
	double wsum = 0;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		wsum += pol->weight[k];
	char b1[32], b2[32];
	printf("%s (%s): score %.2f, tier %d, rank %zu of %zu\n\n", p->name, p->iso3, sc->score,
	       sc->tier, rank, s->n_partners);
	printf("Each criterion gives a value from 0 to 1; it contributes\n"
	       "100 x weight x value / %.2f (the sum of the weights) points.\n\n",
	       wsum);

	printf("investment (own defence effort), weight %.2f\n",
	       pol->weight[ALLOT_CRIT_INVESTMENT]);
	printf("  defence spending %.2f %% of GDP against a target of %.2f %%:\n"
	       "  min(1, %.2f / %.2f) = %.3f -> %.2f points\n",
	       p->defense_pct_gdp, pol->target_pct, p->defense_pct_gdp, pol->target_pct,
	       sc->x[ALLOT_CRIT_INVESTMENT], sc->contrib[ALLOT_CRIT_INVESTMENT]);
	figure_note(p->defense_year, s->as_of, "defence spending", 0);
	printf("growth (rising effort), weight %.2f\n", pol->weight[ALLOT_CRIT_GROWTH]);
	printf("  real growth over three years %.1f %%, full marks at %.0f %%:\n"
	       "  clamp(%.1f / %.0f, 0, 1) = %.3f -> %.2f points\n",
	       p->real_growth_3y_pct, pol->growth_full_pct, p->real_growth_3y_pct,
	       pol->growth_full_pct, sc->x[ALLOT_CRIT_GROWTH], sc->contrib[ALLOT_CRIT_GROWTH]);
	figure_note(p->growth_year, s->as_of, "growth", 3);
	printf("geography (strategic location), weight %.2f\n", pol->weight[ALLOT_CRIT_GEOGRAPHY]);
	printf("  region %s, %s (factor %.2f): %.3f -> %.2f points\n", p->region,
	       p->frontline ? "frontline" : "not frontline",
	       p->frontline ? pol->frontline_factor : pol->rear_factor, sc->x[ALLOT_CRIT_GEOGRAPHY],
	       sc->contrib[ALLOT_CRIT_GEOGRAPHY]);
	printf("operations (role in US plans), weight %.2f\n", pol->weight[ALLOT_CRIT_OPERATIONS]);
	printf("  %.0f US troops (full marks at %.0f, log scale) and basing access %d of %.0f:\n"
	       "  0.5 x %.3f + 0.5 x %.3f = %.3f -> %.2f points\n",
	       p->us_troops, pol->troops_ref, p->basing_access, pol->basing_max,
	       pol->troops_ref > 0 ? fmin(1, log(1 + p->us_troops) / log(1 + pol->troops_ref)) : 0,
	       pol->basing_max > 0 ? p->basing_access / pol->basing_max : 0,
	       sc->x[ALLOT_CRIT_OPERATIONS], sc->contrib[ALLOT_CRIT_OPERATIONS]);
	printf("economic (contribution to US economic security), weight %.2f\n",
	       pol->weight[ALLOT_CRIT_ECONOMIC]);
	/* us_purchases_5y_usd: what it holds as the scenario says it
	 * (partners.csv us_purchases_basis; the bundled data: SIPRI TIV, a
	 * volume index, not money); a missing invest_in_us_usd is named as
	 * such, never shown as USD 0. */
	if (p->purchases_basis == ALLOT_PURCHASES_TIV)
		printf("  five-year US arms purchases %s (us_purchases_5y_usd; SIPRI TIV x 1e6\n"
		       "  of US deliveries in the five years before as_of, a volume index used\n"
		       "  as a USD proxy: an estimate, us_purchases_basis tiv)\n",
		       allot_style_usd(p->us_purchases_5y_usd, b1));
	else
		printf("  five-year US arms purchases %s (us_purchases_5y_usd%s)\n",
		       allot_style_usd(p->us_purchases_5y_usd, b1),
		       p->purchases_basis == ALLOT_PURCHASES_USD ? "; US dollars" : "");
	if (!isnan(p->invest_in_us_usd))
		printf("  plus %.0f x investment in the US %s,\n", pol->invest_multiplier,
		       allot_style_usd(p->invest_in_us_usd, b2));
	else
		printf("  plus %.0f x investment in the US: unknown (no figure in the scenario);\n"
		       "  counted as 0, the documented default (no credit),\n",
		       pol->invest_multiplier);
	printf("  on a log scale with full marks at %s: %.3f -> %.2f points\n",
	       allot_style_usd(pol->economic_ref_usd, b2), sc->x[ALLOT_CRIT_ECONOMIC],
	       sc->contrib[ALLOT_CRIT_ECONOMIC]);
	if (sc->penalty > 0)
		printf("end-use monitoring: status %s costs %.0f points\n",
		       allot_eum_name(p->eum_status), sc->penalty);
	else
		printf("end-use monitoring: status %s, no penalty\n",
		       allot_eum_name(p->eum_status));
	double sum = 0;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		sum += sc->contrib[k];
	printf("\nscore = %.2f", sum);
	if (sc->penalty > 0)
		printf(" - %.0f", sc->penalty);
	printf(" = %.2f (clamped to 0..100, rounded to 0.01)\n", sc->score);
	printf("tier %d: ", sc->tier);
	for (size_t i = 0; i < pol->n_tier_thresholds; i++)
		printf("%stier %zu from %.0f", i ? ", " : "", i + 1, pol->tier_min[i]);
	printf(", tier %zu below\n", pol->n_tier_thresholds + 1);
}

struct score_args {
	struct cli_common o;
	const char *who;
	long tier;
	int wide;
};
static const struct cli_opt score_opts[] = {
	CLI_OPT_FLAG("wide", struct score_args, wide),
	CLI_OPT_STR("explain", struct score_args, who),
	CLI_OPT_TIER(struct score_args, tier),
	{ 0 },
};
static const struct cli_spec score_spec = { "score", usage, score_opts, CLI_SOURCE | CLI_FORMAT,
					    0,       NULL };

int cmd_score(int argc, char **argv)
{
	struct score_args a = { .o.fmt = CLI_TEXT };
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&score_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	const struct cli_common o = a.o;
	const char *who = a.who;
	long tier = a.tier;
	struct cli_ranked *r = cli_rank_partners(s);
	if (!r) {
		allot_scenario_free(s);
		return EXIT_RUNTIME;
	}
	if (who) {
		int *want = NULL;
		size_t n_want = 0;
		if (cli_resolve_list("score", s, ALLOT_KIND_PARTNER, who, &want, &n_want) != 0) {
			rc = EXIT_USAGE;
		} else if (o.fmt != CLI_TEXT) {
			explain_table(s, r, want, n_want, o.fmt);
		} else {
			for (size_t w = 0; w < n_want; w++) {
				size_t i = 0;
				while (r[i].partner != want[w])
					i++;
				if (w > 0)
					printf("\n");
				explain(s, &r[i], i + 1);
			}
		}
		free(want);
	} else {
		print_table(s, r, (int)tier, o.fmt, a.wide);
	}
	free(r);
	allot_scenario_free(s);
	return rc;
}
