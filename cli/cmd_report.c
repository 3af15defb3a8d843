/*
 * cmd_report.c - `allot report`: one self-contained HTML file with the
 * headline findings, the partner leaderboard, delivery timelines, backlog
 * by tier under each policy, quarterly metrics, who gains and who waits,
 * mineral cover, the critical-minerals reserve (--reserve-budget,
 * --reserve-embargo), sales at risk and unsold capacity (charts drawn by an
 * inline Chart.js; no network reference), and with --xlsx the same tables
 * as a workbook (docs/report.md).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"

#define MAX_EMBARGOES 32

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot report DIR | --db FILE [--scenario NAME] --out FILE.html\n"
		"                    [--xlsx FILE.xlsx] [--policy fcfs|priority]\n"
		"                    [--switch YYYY-MM] [--wait-months N] [--months N]\n"
		"                    [--reserve-budget USD]\n"
		"                    [--reserve-embargo SOURCE[@START][+MONTHS]]...\n"
		"                    [--backtest [--data DIR]]\n"
		"                    [--partner WHO]\n"
		"\n"
		"Plans the scenario under both policies and writes one HTML file that opens\n"
		"offline (everything inline, no network reference): the headline findings,\n"
		"the partner leaderboard with each criterion's points, delivery timelines\n"
		"per system, backlog over time by tier under each policy, who gains and who\n"
		"waits, the quarterly metrics, mineral cover (with a what-if embargo on each\n"
		"foreign supply source), the critical-minerals reserve (what to buy for it,\n"
		"as allot reserve recommends, and what it keeps flowing), sales at risk and\n"
		"capacity left unsold.  The findings are printed too.  --xlsx writes the\n"
		"same tables as a workbook, one sheet each.  Files are written to a\n"
		"temporary file and renamed into place.\n"
		"\n"
		"options:\n"
		"  --out FILE.html   the report\n"
		"  --xlsx FILE.xlsx  the tables as a workbook\n"
		"  --policy P        the plan shown in timelines, minerals, reserve, risk and\n"
		"                    opportunities: fcfs or priority (default: priority)\n"
		"  --switch YYYY-MM  months before this use fcfs (default: the scenario's)\n"
		"  --wait-months N   the sales-at-risk threshold (default: 36)\n"
		"  --months N        the window for unsold capacity (default: 24)\n"
		"  --partner WHO     whose deliveries the report charts under both policies\n"
		"                    (an ISO3 code, a name or a unique prefix; default POL,\n"
		"                    else the partner with the most units on order)\n"
		"  --reserve-budget USD\n"
		"                    money for the reserve: 12e9, 12b/12bn, 950m, 40k\n"
		"                    (default: 12e9)\n"
		"  --reserve-embargo SOURCE[@START][+MONTHS]\n"
		"                    an embargo scenario for the reserve: SOURCE (as in\n"
		"                    supply.csv) stops every mineral from START (default:\n"
		"                    as_of) for MONTHS (default: 24); repeat for several,\n"
		"                    weighed equally (default: china, when supply.csv has it);\n"
		"                    the grammar of allot whatif --embargo (docs/whatif.md)\n"
		"  --backtest        add the backtest section: the bundled data rebuilt as of\n"
		"                    2020-01, planned first come, first served, against what\n"
		"                    SIPRI recorded for 2020-2024 (allot backtest;\n"
		"                    docs/backtest.md)\n"
		"  --data DIR        where the backtest finds raw/, sources/ and mappings/\n"
		"                    (default: data in the current directory or the source tree)\n"
		"  --storylines DIR  add the storylines section: each storyline of DIR planned\n"
		"                    without and with its changes (default: DIR/../storylines\n"
		"                    when it exists, so data/storylines for data/default)\n"
		"  --no-storylines   leave the section out\n"
		"  --db FILE         read the scenario from a store instead of DIR\n"
		"  --scenario NAME   which stored scenario\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot report data/default --out report.html\n"
		"  allot report --db allot.db --out report.html --xlsx report.xlsx\n"
		"  allot report data/default --out report.html --backtest\n"
		"  allot report data/default --out report.html --partner Japan\n"
		"  allot report data/default --out report.html --reserve-budget 500m \\\n"
		"               --reserve-embargo china@2026-01+36\n");
}

struct report_args {
	struct cli_common o;
	struct allot_report_options ro;
	const char *out, *xlsx, *data, *partner;
	int backtest;
	const char *stories; /* --storylines DIR */
	int no_stories;
	struct allot_embargo emb[MAX_EMBARGOES];       /* start NO_MONTH: as_of */
	struct allot_change emb_change[MAX_EMBARGOES]; /* as parsed */
};

/* SOURCE[:MINERAL]@START[+MONTHS] (docs/whatif.md, as allot reserve
 * --embargo): checked now, resolved once the scenario is loaded. */
static int opt_embargo(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	struct report_args *a = args;
	(void)op;
	return cli_opt_change_add(cmd, "reserve-embargo", ALLOT_CHG_EMBARGO, arg, a->emb_change,
				  &a->ro.n_reserve_embargoes, MAX_EMBARGOES);
}

static int opt_budget(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	if (cli_parse_usd(arg, &((struct report_args *)args)->ro.reserve_budget_usd) == 0)
		return 0;
	fprintf(stderr,
		"allot %s: --reserve-budget takes an amount in USD >= 0 (12e9, 12b, 950m, "
		"40k), not '%s'\n",
		cmd, arg);
	return -1;
}

static int opt_format(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op, (void)arg, (void)args;
	fprintf(stderr,
		"allot %s: writes files (--out, --xlsx); --csv and --json are not "
		"options here\n",
		cmd);
	return -1;
}

static const struct cli_opt report_opts[] = {
	CLI_OPT_POLICY(struct report_args, ro.policy),
	CLI_OPT_SWITCH(struct report_args, ro.switch_month),
	CLI_OPT_STR("out", struct report_args, out),
	CLI_OPT_STR("xlsx", struct report_args, xlsx),
	CLI_OPT_COUNT("wait-months", struct report_args, ro.wait_months, 0, 100000,
		      "a whole number of months"),
	CLI_OPT_COUNT("months", struct report_args, ro.opportunity_months, 1, 100000,
		      "a whole number of months from 1"),
	CLI_OPT_FN("reserve-budget", opt_budget),
	CLI_OPT_FN("reserve-embargo", opt_embargo),
	CLI_OPT_FLAG("backtest", struct report_args, backtest),
	CLI_OPT_STR("data", struct report_args, data),
	CLI_OPT_STR("storylines", struct report_args, stories),
	CLI_OPT_FLAG("no-storylines", struct report_args, no_stories),
	CLI_OPT_STR("partner", struct report_args, partner),
	CLI_OPT_FN0("csv", opt_format),
	CLI_OPT_FN0("json", opt_format),
	{ 0 },
};

static int check(void *args, struct cli_common *o)
{
	struct report_args *a = args;
	(void)o;
	if (!a->out && !a->xlsx) {
		fprintf(stderr, "allot report: say where to write it: --out FILE.html (and/or "
				"--xlsx FILE.xlsx)\n");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
static const struct cli_spec report_spec = { "report", usage, report_opts, CLI_SOURCE, 0, check };

static void wrote(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0)
		printf("wrote %s (%lld KB)\n", path, (long long)(st.st_size + 1023) / 1024);
}

static int write_out(const struct report_args *a, const struct allot_report *r)
{
	int lrc;
	if (a->out) {
		errno = 0;
		if ((lrc = allot_report_write_html(r, a->out)) != ALLOT_OK) {
			fprintf(stderr, "allot report: cannot write %s: %s\n", a->out,
				errno ? strerror(errno) : allot_strerror(lrc));
			return EXIT_RUNTIME;
		}
	}
	if (a->xlsx) {
		errno = 0;
		if ((lrc = allot_report_write_xlsx(r, a->xlsx)) != ALLOT_OK) {
			fprintf(stderr, "allot report: cannot write %s: %s\n", a->xlsx,
				errno ? strerror(errno) : allot_strerror(lrc));
			return EXIT_RUNTIME;
		}
	}
	return EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	struct report_args a;
	memset(&a, 0, sizeof a);
	allot_report_options_init(&a.ro);
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&report_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	for (size_t k = 0; k < a.ro.n_reserve_embargoes; k++)
		if (cli_embargo_resolve("report", "reserve-embargo", s, &a.emb_change[k], 24,
					&a.emb[k])) {
			allot_scenario_free(s);
			return EXIT_USAGE;
		}
	a.ro.reserve_embargoes = a.emb;
	/* storylines: --storylines DIR, else DIR/../storylines when it exists */
	char sdir[4096];
	struct stat sb;
	if (a.stories) {
		if (stat(a.stories, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			fprintf(stderr, "allot report: --storylines %s: no such directory\n",
				a.stories);
			allot_scenario_free(s);
			return EXIT_USAGE;
		}
		a.ro.storylines_dir = a.stories;
	} else if (!a.no_stories && a.o.src.dir) {
		cli_storylines_beside(a.o.src.dir, sdir, sizeof sdir);
		if (stat(sdir, &sb) == 0 && S_ISDIR(sb.st_mode))
			a.ro.storylines_dir = sdir;
	}
	if (a.no_stories)
		a.ro.storylines_dir = NULL;
	if (a.partner &&
	    (a.ro.partner = cli_resolve("report", s, ALLOT_KIND_PARTNER, a.partner)) < 0) {
		allot_scenario_free(s);
		return EXIT_USAGE;
	}
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_report *r = NULL;
	struct allot_backtest *bt = NULL;
	struct allot_economy *econ = NULL;
	if (a.backtest) {
		struct allot_backtest_options bo;
		allot_backtest_options_init(&bo);
		if ((rc = cli_backtest("report", a.data, &bo, &bt)) != EXIT_OK)
			goto done;
		a.ro.backtest = bt;
	}
	a.ro.diags = &d;
	char path[4096];
	int lrc = ALLOT_OK;
	if (a.o.src.dir) { /* the reserve at the economy's scale, when the data has it */
		snprintf(path, sizeof path, "%s/critical_minerals.csv", a.o.src.dir);
		if (access(path, F_OK) == 0 &&
		    (lrc = allot_economy_load(path, &econ, &d)) == ALLOT_OK)
			a.ro.reserve_economy = econ;
	}
	if (lrc == ALLOT_OK)
		lrc = allot_report_build(s, &a.ro, &r);
	if (lrc != ALLOT_OK) {
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "allot report: reserve: %s\n", d.v[i].msg);
		if (d.n == 0)
			fprintf(stderr, "allot report: %s\n", allot_strerror(lrc));
		rc = cli_exit_code(lrc);
		goto done;
	}
	if ((rc = write_out(&a, r)) != EXIT_OK)
		goto done;
	size_t n;
	const char *const *f = allot_report_findings(r, &n);
	printf("report: scenario %s\n\n", s->name);
	for (size_t i = 0; i < n; i++)
		printf("- %s\n", f[i]);
	printf("\n");
	if (a.out)
		wrote(a.out);
	if (a.xlsx)
		wrote(a.xlsx);
done:
	allot_report_free(r);
	allot_backtest_free(bt);
	allot_economy_free(econ);
	allot_diags_free(&d);
	allot_scenario_free(s);
	return rc;
}
