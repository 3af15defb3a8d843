/*
 * cmd_lines.c - `allot lines`: the production lines with their rate, the
 * share reserved for US forces, the systems they make and the work on
 * order, in months at the foreign rate.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot lines DIR | --db FILE [--scenario NAME] [--find WHAT]\n"
		     "                  [--wide] [--csv | --json]\n"
		     "\n"
		     "Lists the production lines: id, name, output per month, the share kept\n"
		     "for US forces, how many systems they make, the units still on order,\n"
		     "of them the units the line still has to make ('to_make', when some\n"
		     "units are off the line: in production at as_of (wip.csv) or not\n"
		     "supplied new) and how many months of foreign output those take at\n"
		     "today's rate ('n/a' for a line with no foreign output).  Capacity\n"
		     "events (events.csv) change rates later; 'allot plan' applies them.\n"
		     "When lines.csv states rate_basis, 'basis' says whether each rate is\n"
		     "cited or an estimate.  A line that makes none (rate 0, e.g. its\n"
		     "production ended and its orders are second-hand) shows 'none' as\n"
		     "its output in the text (0 in CSV and JSON); SOURCES.md says why.\n"
		     "The text heads some columns with short names spelled out below the\n"
		     "table (--wide: the names above).\n"
		     "\n"
		     "options:\n"
		     "  --find WHAT       only these lines: ids, names or unique prefixes,\n"
		     "                    comma separated\n"
		     "  --wide            text: names in full and long headers (the default\n"
		     "                    fits 100 columns)\n"
		     "  --csv, --json     machine-readable output\n"
		     "  -h, --help        show this help\n"
		     "\n"
		     "examples:\n"
		     "  allot lines data/default\n"
		     "  allot lines data/default --find abrams,himars --json\n");
}

struct lines_args {
	struct cli_common o;
	const char *find;
	int wide;
};
static const struct cli_opt lines_opts[] = {
	CLI_OPT_STR("find", struct lines_args, find),
	CLI_OPT_FLAG("wide", struct lines_args, wide),
	{ 0 },
};
static const struct cli_spec lines_spec = { "lines", usage, lines_opts, CLI_SOURCE | CLI_FORMAT,
					    0,       NULL };

int cmd_lines(int argc, char **argv)
{
	struct lines_args a = { .o.fmt = CLI_TEXT };
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&lines_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	const struct cli_common o = a.o;
	const char *find = a.find;
	int *want = NULL;
	size_t n_want = 0;
	int64_t *count = calloc(3 * s->n_lines + s->n_orders + 1, sizeof *count);
	if (!count) {
		rc = EXIT_RUNTIME;
		goto done;
	}
	if (find && cli_resolve_list("lines", s, ALLOT_KIND_LINE, find, &want, &n_want) != 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	/* units: still on order; make: of them, those the line still has to
	 * make (docs/allocation.md: units in wip.csv are in production at
	 * as_of and an order not supplied new never takes the line), which
	 * the months of work count */
	int64_t *units = count + s->n_lines, *make = units + s->n_lines, *wip = make + s->n_lines;
	int offline = allot_scenario_has_offline(s);
	for (size_t i = 0; i < s->n_systems; i++)
		count[s->systems[i].line]++;
	for (size_t i = 0; i < s->n_wip; i++)
		wip[s->wip[i].order] += s->wip[i].units;
	for (size_t i = 0; i < s->n_orders; i++) {
		int64_t left = s->orders[i].qty - s->orders[i].delivered;
		if (left <= 0)
			continue;
		units[s->systems[s->orders[i].system].line] += left;
		if (s->orders[i].supply == ALLOT_SUPPLY_NEW && left > wip[i])
			make[s->systems[s->orders[i].system].line] += left - wip[i];
	}
	/* rate_basis (text: basis) beside the rate when some line states one:
	 * an estimated rate says so where it is shown */
	static const char *const head[] = { "line_id",    "name",          "rate_per_month",
					    "rate_basis", "us_share",      "systems",
					    "units_left", "units_to_make", "months_of_work" };
	static const char *const th[] = { "line",    "name",       "per_month", "basis", "us_share",
					  "systems", "units_left", "to_make",   "months" };
	/* text: short headers, spelled out by the lines below the table */
	static const char *const ts[] = { "line", "name", "rate",    "basis", "us",
					  "sys",  "left", "to_make", "months" };
	int text = o.fmt == CLI_TEXT, narrow = text && !a.wide;
	/* an unstated basis: n/a in the text, empty in CSV, null in JSON */
	static const int num[] = { 0, 0, 1, CLI_COL_NULLABLE, 1, 1, 1, 1, 1 };
	int basis = allot_scenario_has_rate_basis(s);
	const char *hd[9];
	int nm[9], nc = 0;
	for (int k = 0; k < 9; k++)
		if ((k != 3 || basis) && (k != 7 || offline)) {
			hd[nc] = narrow ? ts[k] : text ? th[k] : head[k];
			nm[nc++] = num[k];
		}
	struct cli_table *t = cli_table_new(nc, hd, nm);
	int cut = 0; /* some name clipped */
	for (size_t i = 0; i < s->n_lines; i++) {
		const struct allot_line *l = &s->lines[i];
		if (want) {
			size_t j = 0;
			while (j < n_want && want[j] != (int)i)
				j++;
			if (j == n_want)
				continue;
		}
		cli_table_add(t, l->line_id);
		char clip[160];
		if (text)
			cli_table_add(t, cli_clip_mark(l->name, narrow ? 22 : 1000, clip,
						       sizeof clip, &cut));
		else
			cli_table_add(t, l->name);
		if (text && l->rate_per_month == 0)
			cli_table_add(t, "none");
		else
			cli_table_addf(t, "%.2f", l->rate_per_month);
		if (basis)
			cli_table_add(t, o.fmt == CLI_TEXT && l->rate_basis == ALLOT_RATE_UNSTATED
						 ? ALLOT_SYM_NA
						 : allot_rate_basis_name(l->rate_basis));
		cli_table_addf(t, "%.2f", l->us_share);
		cli_table_addf(t, "%lld", (long long)count[i]);
		cli_table_addf(t, "%lld", (long long)units[i]);
		if (offline)
			cli_table_addf(t, "%lld", (long long)make[i]);
		double foreign = l->rate_per_month * (1 - l->us_share);
		if (foreign > 0)
			cli_table_addf(t, "%.1f", (double)make[i] / foreign);
		else
			cli_table_add(t, o.fmt == CLI_TEXT ? ALLOT_SYM_NA : "");
	}
	cli_table_print(t, o.fmt, stdout);
	cli_table_free(t);
	if (narrow)
		cli_legend("rate: units a month%s; us: the share kept for US forces; sys: systems "
			   "made; left: units on order%s; months: the units to make at the foreign "
			   "rate%s",
			   basis ? " (basis: cited or estimate)" : "",
			   offline ? ", to_make: of them, those still to make" : "",
			   cut ? CLI_CUT_NOTE : "");
done:
	free(want);
	free(count);
	allot_scenario_free(s);
	return rc;
}
