/*
 * cmd_systems.c - `allot systems`: the systems with their production line,
 * unit cost, lead time, flags and what is on order; filter by line or name
 * a few systems (ids, names or prefixes).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot systems DIR | --db FILE [--scenario NAME] [--line WHAT]\n"
		"                    [--find WHAT] [--csv | --json]\n"
		"\n"
		"Lists the systems: id, name, the production line that makes them, unit\n"
		"cost, lead time from production to delivery, and the open orders and\n"
		"units still to deliver.  The foreign alternative (allot risk) is in\n"
		"--csv and --json.\n"
		"\n"
		"options:\n"
		"  --line WHAT       only systems made on these lines (ids, names or\n"
		"                    prefixes, comma separated)\n"
		"  --find WHAT       only these systems (himars, \"M142\", pac3,javelin)\n"
		"  --csv, --json     machine-readable output\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot systems data/default\n"
		"  allot systems data/default --find himars\n"
		"  allot systems --db allot.db --line pac3-mse --csv\n");
}

static int listed(const int *v, size_t n, int x)
{
	if (!v)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

int cmd_systems(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_LONGOPTS,
		{ "line", required_argument, NULL, 'l' },
		{ "find", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_common o = { { 0 }, CLI_TEXT };
	const char *line = NULL, *find = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (cli_common_opt(c, optarg, &o))
			continue;
		if (c == 'l') {
			line = optarg;
		} else if (c == 'f') {
			find = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return EXIT_OK;
		} else {
			return cli_see_help("systems");
		}
	}
	int rc = cli_common_positional("systems", argc, argv, optind, &o);
	if (rc != EXIT_OK)
		return rc;
	struct allot_scenario *s = NULL;
	if ((rc = cli_load(&o.src, &s)) != EXIT_OK)
		return rc;
	int *lines = NULL, *want = NULL;
	size_t n_lines = 0, n_want = 0;
	int64_t *orders = calloc(2 * s->n_systems + 1, sizeof *orders);
	if (!orders) {
		rc = EXIT_RUNTIME;
		goto done;
	}
	if ((line && cli_resolve_list("systems", s, ALLOT_KIND_LINE, line, &lines, &n_lines) != 0) ||
	    (find && cli_resolve_list("systems", s, ALLOT_KIND_SYSTEM, find, &want, &n_want) != 0)) {
		rc = EXIT_USAGE;
		goto done;
	}
	int64_t *units = orders + s->n_systems;
	for (size_t i = 0; i < s->n_orders; i++) {
		int64_t left = s->orders[i].qty - s->orders[i].delivered;
		if (left > 0) {
			orders[s->orders[i].system]++;
			units[s->orders[i].system] += left;
		}
	}
	int text = o.fmt == CLI_TEXT;
	static const char *const th[] = { "system", "name", "line", "unit_cost", "lead",
					  "orders", "units" };
	static const int tn[] = { 0, 0, 0, 1, 1, 1, 1 };
	static const char *const mh[] = { "system_id", "name", "line_id", "line",
					  "unit_cost_usd", "lead_months", "eeum", "catalog",
					  "foreign_alternative", "orders", "units_left" };
	static const int mn[] = { 0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1 };
	struct cli_table *t = text ? cli_table_new(7, th, tn) : cli_table_new(11, mh, mn);
	for (size_t i = 0; i < s->n_systems; i++) {
		const struct allot_system *y = &s->systems[i];
		if (!listed(lines, n_lines, y->line) || !listed(want, n_want, (int)i))
			continue;
		char usd[ALLOT_STYLE_USD_MAX];
		cli_table_add(t, y->system_id);
		if (text) {
			char clip[160];
			cli_table_add(t, cli_clip(y->name, 24, clip, sizeof clip));
			cli_table_add(t, cli_clip(s->lines[y->line].line_id, 14, clip, sizeof clip));
			cli_table_add(t, allot_style_usd(y->unit_cost_usd, usd));
		} else {
			cli_table_add(t, y->name);
			cli_table_add(t, s->lines[y->line].line_id);
			cli_table_add(t, s->lines[y->line].name);
			cli_table_addf(t, "%.0f", y->unit_cost_usd);
		}
		cli_table_addf(t, "%d", y->lead_months);
		if (!text) {
			cli_table_addf(t, "%d", y->eeum);
			cli_table_addf(t, "%d", y->catalog);
			cli_table_add(t, y->foreign_alternative);
		}
		cli_table_addf(t, "%lld", (long long)orders[i]);
		cli_table_addf(t, "%lld", (long long)units[i]);
	}
	cli_table_print(t, o.fmt, stdout);
	cli_table_free(t);
done:
	free(lines);
	free(want);
	free(orders);
	allot_scenario_free(s);
	return rc;
}
