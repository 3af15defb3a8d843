/*
 * main.c - the `allot` command: a table of subcommands over liballot.
 *
 * The tool is a pure client of the public API (<allot/allot.h>) and of
 * lib/util.  Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad input.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const struct cli_command cli_commands[] = {
	{ "import", "load a scenario directory into a SQLite store", cmd_import },
	{ "export", "write a stored scenario back out as a directory", cmd_export },
	{ "scenarios", "list the scenarios in a store", cmd_scenarios },
	{ "summary", "partners, systems, lines and open orders at a glance", cmd_summary },
	{ "orders", "orders by partner, system, line, tier, region; both policies", cmd_orders },
	{ "partners", "partners with their names, regions, scores and tiers", cmd_partners },
	{ "systems", "systems with their lines, unit costs and open orders", cmd_systems },
	{ "lines", "production lines with their rates and the systems they make", cmd_lines },
	{ "runs", "stored plan runs: list, show, label, delete", cmd_runs },
	{ "score", "partner scores, tiers and each criterion's contribution", cmd_score },
	{ "plan", "allocate production month by month under a policy", cmd_plan },
	{ "compare", "who gains and who waits: two policies side by side", cmd_compare },
	{ "whatif", "a scenario without and with changes: cuts, units and USD", cmd_whatif },
	{ "metrics", "quarterly performance metrics (LOAs, deliveries, backlog)", cmd_metrics },
	{ "quote", "available-to-promise for a new order, and whom it pushes back", cmd_quote },
	{ "explain", "why an order completes when it does", cmd_explain },
	{ "diff", "change in completion months between two plan runs", cmd_diff },
	{ "minerals", "months of cover per mineral, and what a shortfall hits first",
	  cmd_minerals },
	{ "risk", "sales at risk of going to a foreign alternative", cmd_risk },
	{ "opportunities", "catalog capacity left unsold, and who is best placed to buy it",
	  cmd_opportunities },
	{ "report", "one self-contained HTML report (and --xlsx)", cmd_report },
	{ "sweep", "Monte Carlo over weights, rates, supply, embargoes, caps", cmd_sweep },
	{ "reserve", "how to spend a critical-minerals reserve budget", cmd_reserve },
	{ "serve", "a local web dashboard and JSON API", cmd_serve },
	{ "pipeline", "requests to offers to deliveries: LOA estimates, notifications",
	  cmd_pipeline },
	{ "catalog", "the priority sales catalog: capacity, backlog and open slots", cmd_catalog },
	{ "convert", "build scenario files from raw public data (SIPRI, ...)", cmd_convert },
	{ "backtest", "the model against what SIPRI recorded since an earlier date", cmd_backtest },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out, "allot - plan scarce US arms production under FCFS or America First priority\n"
		     "\n"
		     "usage: allot <command> [options]\n"
		     "       allot <command> --help\n"
		     "\n"
		     "commands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-14s %s\n", c->name, c->summary);
	fprintf(out, "\n"
		     "A scenario is a directory of CSV files plus scenario.json and policy.json\n"
		     "(docs/scenario-format.md); commands read one from a directory or from a\n"
		     "store (--db FILE [--scenario NAME]).\n"
		     "\n"
		     "examples:\n"
		     "  allot import data/default --db allot.db     load the bundled dataset\n"
		     "  allot summary --db allot.db                 what is in it\n"
		     "  allot score --db allot.db --explain POL     why Poland sits where it does\n"
		     "  allot plan --db allot.db --policy priority --switch 2026-02 --out plan/\n"
		     "\n"
		     "exit status: 0 ok, 1 runtime failure, 2 bad usage or bad input.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			char *sub[] = { argv[2], "--help", NULL };
			for (const struct cli_command *c = cli_commands; c->name; c++)
				if (strcmp(c->name, argv[2]) == 0)
					return c->run(2, sub);
		}
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("allot 0.1.0\n");
		return EXIT_OK;
	}
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "allot: unknown command '%s' (try 'allot --help')\n", name);
	return EXIT_USAGE;
}
