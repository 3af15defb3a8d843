/*
 * cmd_systems.c - `allot systems`: the systems with their production line,
 * unit cost, lead time, flags and what is on order; filter by line or name
 * a few systems (ids, names or prefixes).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot systems DIR | --db FILE [--scenario NAME] [--line WHAT]\n"
		     "                    [--find WHAT] [--wide] [--csv | --json]\n"
		     "\n"
		     "Lists the systems: id, name, the production line that makes them, unit\n"
		     "cost (usd_m: USD million in the text), lead time from production to\n"
		     "delivery in months, and the open orders and units still to deliver.\n"
		     "The foreign alternative (allot risk) is in --csv and --json: empty in\n"
		     "CSV, null in JSON when none is known.  An unknown unit cost is\n"
		     "'unknown' in the text and CSV (as systems.csv writes it), null in JSON.\n"
		     "When systems.csv states unit_cost_basis, the text shows it beside the\n"
		     "cost ('basis': cited, estimate, n/a: not stated) and --csv/--json gain\n"
		     "a last column unit_cost_basis (empty: not stated).\n"
		     "\n"
		     "options:\n"
		     "  --line WHAT       only systems made on these lines (ids, names or\n"
		     "                    prefixes, comma separated)\n"
		     "  --find WHAT       only these systems (himars, \"M142\", pac3,javelin)\n"
		     "  --wide            text: names in full (the default clips them so that\n"
		     "                    the table fits 100 columns)\n"
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

struct systems_args {
	struct cli_common o;
	const char *line, *find;
	int wide;
};
static const struct cli_opt systems_opts[] = {
	CLI_OPT_STR("line", struct systems_args, line),
	CLI_OPT_STR("find", struct systems_args, find),
	CLI_OPT_FLAG("wide", struct systems_args, wide),
	{ 0 },
};
static const struct cli_spec systems_spec = {
	"systems", usage, systems_opts, CLI_SOURCE | CLI_FORMAT, 0, NULL
};

int cmd_systems(int argc, char **argv)
{
	struct systems_args a = { .o.fmt = CLI_TEXT };
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&systems_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	const struct cli_common o = a.o;
	const char *line = a.line, *find = a.find;
	int *lines = NULL, *want = NULL;
	size_t n_lines = 0, n_want = 0;
	int64_t *orders = calloc(2 * s->n_systems + 1, sizeof *orders);
	if (!orders) {
		rc = EXIT_RUNTIME;
		goto done;
	}
	if ((line &&
	     cli_resolve_list("systems", s, ALLOT_KIND_LINE, line, &lines, &n_lines) != 0) ||
	    (find &&
	     cli_resolve_list("systems", s, ALLOT_KIND_SYSTEM, find, &want, &n_want) != 0)) {
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
	/* text: the unit cost in USD million (the unit in the header and the
	 * line below the table) and its basis beside it when stated */
	static const char *const th[] = { "system", "name", "line",   "usd_m",
					  "basis",  "lead", "orders", "units" };
	static const char *const th7[] = { "system", "name",   "line", "usd_m",
					   "lead",   "orders", "units" };
	static const int tn[] = { 0, 0, 0, 1, 0, 1, 1, 1 };
	static const int tn7[] = { 0, 0, 0, 1, 1, 1, 1 };
	static const char *const mh[] = { "system_id", "name",          "line_id",
					  "line",      "unit_cost_usd", "lead_months",
					  "eeum",      "catalog",       "foreign_alternative",
					  "orders",    "units_left" };
	/* foreign_alternative: empty = none known (JSON null, never "") */
	static const int mn[] = { 0, 0, 0, 0, 1, 1, 1, 1, CLI_COL_NULLABLE, 1, 1 };
	/* unit_cost_basis when some system states one: text marks an estimated
	 * cost "(estimate)", --csv/--json carry a last column */
	int basis = allot_scenario_has_cost_basis(s);
	static const char *const mhb[] = { "system_id", "name",          "line_id",
					   "line",      "unit_cost_usd", "lead_months",
					   "eeum",      "catalog",       "foreign_alternative",
					   "orders",    "units_left",    "unit_cost_basis" };
	static const int mnb[] = {
		0, 0, 0, 0, 1, 1, 1, 1, CLI_COL_NULLABLE, 1, 1, CLI_COL_NULLABLE
	};
	struct cli_table *t = text ? basis ? cli_table_new(8, th, tn) : cli_table_new(7, th7, tn7)
			      : basis ? cli_table_new(12, mhb, mnb)
				      : cli_table_new(11, mh, mn);
	int cut = 0; /* some name clipped */
	for (size_t i = 0; i < s->n_systems; i++) {
		const struct allot_system *y = &s->systems[i];
		if (!listed(lines, n_lines, y->line) || !listed(want, n_want, (int)i))
			continue;
		cli_table_add(t, y->system_id);
		if (text) {
			char clip[160];
			size_t w = a.wide ? 1000 : 22;
			double c = y->unit_cost_usd;
			cli_table_add(t, cli_clip_mark(y->name, w, clip, sizeof clip, &cut));
			cli_table_add(t, cli_clip_mark(s->lines[y->line].line_id, a.wide ? w : 14,
						       clip, sizeof clip, &cut));
			if (!allot_cost_known(c))
				cli_table_add(t, ALLOT_SYM_UNKNOWN);
			else /* the digits allot_style_usd shows, and 3 below 0.1 million */
				cli_table_addf(t, "%.*f", c >= 1e6 ? 1 : c >= 1e5 ? 2 : 3, c / 1e6);
			if (basis) {
				const char *b = allot_rate_basis_name(
					(enum allot_rate_basis)y->unit_cost_basis);
				cli_table_add(t, *b ? b : ALLOT_SYM_NA);
			}
		} else {
			cli_table_add(t, y->name);
			cli_table_add(t, s->lines[y->line].line_id);
			cli_table_add(t, s->lines[y->line].name);
			if (allot_cost_known(y->unit_cost_usd))
				cli_table_addf(t, "%.0f", y->unit_cost_usd);
			else /* CSV: as systems.csv writes it; JSON: null */
				cli_table_add(t, o.fmt == CLI_CSV ? "unknown" : "");
		}
		cli_table_addf(t, "%d", y->lead_months);
		if (!text) {
			cli_table_addf(t, "%d", y->eeum);
			cli_table_addf(t, "%d", y->catalog);
			cli_table_add(t, y->foreign_alternative);
		}
		cli_table_addf(t, "%lld", (long long)orders[i]);
		cli_table_addf(t, "%lld", (long long)units[i]);
		if (!text && basis)
			cli_table_add(t, allot_rate_basis_name(
						 (enum allot_rate_basis)y->unit_cost_basis));
	}
	cli_table_print(t, o.fmt, stdout);
	cli_table_free(t);
	if (text)
		cli_legend("usd_m: unit cost, USD million%s; lead: months from production to "
			   "delivery%s",
			   basis ? " (basis: cited or estimate)" : "", cut ? CLI_CUT_NOTE : "");
done:
	free(lines);
	free(want);
	free(orders);
	allot_scenario_free(s);
	return rc;
}
