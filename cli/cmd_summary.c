/*
 * cmd_summary.c - `allot summary`: a scenario at a glance (how many
 * partners, systems, lines, open orders and units) and the partners with the
 * most units outstanding.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot summary DIR | --db FILE [--scenario NAME] [--top N]\n"
		"                    [--csv | --json]\n"
		"\n"
		"Prints what a scenario holds: partners, systems, lines, minerals and\n"
		"events; open orders and the units and value still outstanding; then the\n"
		"top N partners by units outstanding (default 10), with their tier.\n"
		"--json prints the same figures and the partner table (top_partners);\n"
		"--csv the partner table alone (all partners with --top 0).\n"
		"\n"
		"options:\n"
		"  --db FILE         read the scenario from a store instead of DIR\n"
		"  --scenario NAME   which stored scenario (default: the only one, or default)\n"
		"  --top N           partners in the table (default 10; 0 for all)\n"
		"  --csv, --json     machine-readable: the partner table; --json also the\n"
		"                    counts and totals\n"
		"  -h, --help        show this help\n"
		"\n"
		"See also 'allot partners', 'allot systems', 'allot lines' and 'allot\n"
		"orders' to look one up by name.\n"
		"\n"
		"examples:\n"
		"  allot summary data/default\n"
		"  allot summary --db allot.db --top 0 --csv > outstanding.csv\n");
}

struct row {
	int partner;
	int64_t orders, units;
	struct allot_usd value; /* unknown unit costs apart */
	int tier;
};

static int by_units(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->units != y->units)
		return x->units > y->units ? -1 : 1;
	return x->partner - y->partner;
}

/* --json: the text's figures (counts, open orders, units, value) and the
 * partner table as top_partners, its rows keyed as the --csv columns. */
static json_t *summary_json(const struct allot_scenario *s, const struct row *r, size_t shown,
			    size_t with_orders, int64_t open_orders, int64_t units,
			    const struct allot_usd *value)
{
	json_t *j = json_object();
	json_t *rows = json_array();
	if (!j || !rows) {
		json_decref(j);
		json_decref(rows);
		return NULL;
	}
	int bad = 0;
	bad |= json_object_set_new(j, "scenario", json_string(s->name));
	bad |= json_object_set_new(j, "as_of", allot_month_json(s->as_of));
	bad |= json_object_set_new(j, "horizon_months", json_integer(s->horizon_months));
	bad |= json_object_set_new(j, "switch_month", allot_switch_month_json(s->switch_month));
	const struct {
		const char *key;
		size_t n;
	} counts[] = {
		{ "partners", s->n_partners },
		{ "systems", s->n_systems },
		{ "lines", s->n_lines },
		{ "minerals", s->n_minerals },
		{ "events", s->n_events },
		{ "investments", s->n_investments },
		{ "embargoes", s->n_embargoes },
		{ "orders", s->n_orders },
		{ "partners_with_open_orders", with_orders },
	};
	for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
		bad |= json_object_set_new(j, counts[k].key, json_integer((json_int_t)counts[k].n));
	bad |= json_object_set_new(j, "open_orders", json_integer((json_int_t)open_orders));
	bad |= json_object_set_new(j, "units_outstanding", json_integer((json_int_t)units));
	bad |= allot_usd_put(j, "value_usd", value) != ALLOT_OK;
	for (size_t k = 0; k < shown; k++) {
		const struct allot_partner *p = &s->partners[r[k].partner];
		json_t *o = json_pack("{s:s, s:s, s:i, s:I, s:I}", "iso3", p->iso3, "name", p->name,
				      "tier", r[k].tier, "orders", (json_int_t)r[k].orders, "units",
				      (json_int_t)r[k].units);
		if (!o) {
			bad = 1;
			break;
		}
		/* the table's digits: USD million to 0.1, the share to 0.001 */
		bad |= json_object_set_new(o, "value_usd_m",
					   allot_usd_all_unknown(&r[k].value)
						   ? json_null()
						   : json_real(round(r[k].value.known / 1e5) / 10));
		bad |= json_object_set_new(o, "unknown_cost_units",
					   json_integer((json_int_t)r[k].value.unknown_units));
		bad |= json_object_set_new(
			o, "share_of_units",
			json_real(units ? round(1000.0 * (double)r[k].units / (double)units) / 1000
					: 0.0));
		bad |= json_array_append_new(rows, o);
	}
	bad |= json_object_set_new(j, "top_partners", rows);
	if (bad) {
		json_decref(j);
		return NULL;
	}
	return j;
}

struct summary_args {
	struct cli_common o;
	long top;
};
static const struct cli_opt summary_opts[] = {
	CLI_OPT_COUNT("top", struct summary_args, top, 0, LONG_MAX, "a whole number"),
	{ 0 },
};
static const struct cli_spec summary_spec = {
	"summary", usage, summary_opts, CLI_SOURCE | CLI_FORMAT, 0, NULL
};

int cmd_summary(int argc, char **argv)
{
	struct summary_args a = { .o.fmt = CLI_TEXT, .top = 10 };
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&summary_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	const struct cli_common o = a.o;
	long top = a.top;

	struct row *r = calloc(s->n_partners + 1, sizeof *r);
	if (!r) {
		allot_scenario_free(s);
		return EXIT_RUNTIME;
	}
	int64_t open_orders = 0, units = 0;
	struct allot_usd value = { 0 };
	for (size_t p = 0; p < s->n_partners; p++) {
		struct allot_score sc;
		allot_score_partner(&s->policy, &s->partners[p], s->partners[p].invest_in_us_usd,
				    s->partners[p].eum_status, &sc);
		r[p].partner = (int)p;
		r[p].tier = sc.tier;
	}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *ord = &s->orders[i];
		int64_t u = ord->qty - ord->delivered;
		if (u <= 0)
			continue;
		double cost = s->systems[ord->system].unit_cost_usd;
		r[ord->partner].orders++;
		r[ord->partner].units += u;
		allot_usd_add(&r[ord->partner].value, u, cost, 1);
		open_orders++;
		units += u;
		allot_usd_add(&value, u, cost, 1);
	}
	qsort(r, s->n_partners, sizeof *r, by_units);
	size_t with_orders = 0;
	while (with_orders < s->n_partners && r[with_orders].units > 0)
		with_orders++;
	size_t shown = top == 0 || (size_t)top > with_orders ? with_orders : (size_t)top;

	if (o.fmt == CLI_JSON) {
		cli_json_print(summary_json(s, r, shown, with_orders, open_orders, units, &value),
			       0);
		free(r);
		allot_scenario_free(s);
		return EXIT_OK;
	}
	if (o.fmt == CLI_TEXT) {
#define PL(n) ((n) == 1 ? "" : "s")
		char asof[8], sw[8];
		allot_month_format(s->as_of, asof);
		allot_month_format(s->switch_month, sw);
		printf("scenario %s: as of %s, horizon %d months", s->name, asof,
		       s->horizon_months);
		if (sw[0])
			printf(", priority rule from %s", sw);
		printf("\n  %zu partner%s, %zu system%s, %zu production line%s, %zu mineral%s, "
		       "%zu event%s, %zu investment%s, %zu embargo%s\n",
		       s->n_partners, PL(s->n_partners), s->n_systems, PL(s->n_systems), s->n_lines,
		       PL(s->n_lines), s->n_minerals, PL(s->n_minerals), s->n_events,
		       PL(s->n_events), s->n_investments, PL(s->n_investments), s->n_embargoes,
		       s->n_embargoes == 1 ? "" : "es");
		char b[ALLOT_STYLE_USD_SUM_MAX], nb[32];
		printf("  %lld open order%s of %zu, %s unit%s outstanding,\n  worth %s\n",
		       (long long)open_orders, PL(open_orders), s->n_orders,
		       allot_style_count(units, nb), PL(units), allot_style_usd_sum(&value, b));
		cli_cost_estimate_note(s, 2);
		printf("\n");
		printf("top %zu partner%s by units outstanding\n", shown, PL(shown));
	}
	static const char *const head[] = { "iso3",
					    "name",
					    "tier",
					    "orders",
					    "units",
					    "value_usd_m",
					    "unknown_cost_units",
					    "share_of_units" };
	static const int num[] = { 0, 0, 1, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(8, head, num);
	for (size_t k = 0; k < shown; k++) {
		const struct allot_partner *p = &s->partners[r[k].partner];
		cli_table_add(t, p->iso3);
		cli_table_add(t, p->name);
		cli_table_addf(t, "%d", r[k].tier);
		cli_table_addf(t, "%lld", (long long)r[k].orders);
		cli_table_addf(t, "%lld", (long long)r[k].units);
		char vb[48];
		cli_table_add(t, allot_usd_num(&r[k].value, 1e6, 1, o.fmt == CLI_TEXT, vb));
		cli_table_addf(t, "%lld", (long long)r[k].value.unknown_units);
		cli_table_addf(t, "%.3f", units ? (double)r[k].units / (double)units : 0.0);
	}
	cli_table_print(t, o.fmt, stdout);
	cli_table_free(t);
	free(r);
	allot_scenario_free(s);
	return EXIT_OK;
}
