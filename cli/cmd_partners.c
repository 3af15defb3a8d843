/*
 * cmd_partners.c - `allot partners`: the partners with names, regions,
 * alliances, scores and tiers, and what they have on order; filters by tier
 * and region, or names a few partners (ids, names or prefixes).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot partners DIR | --db FILE [--scenario NAME] [--tier N]\n"
		     "                     [--region R] [--find WHO] [--wide] [--csv | --json]\n"
		     "\n"
		     "Lists the partners best score first: ISO3 code, name, region, alliance,\n"
		     "score and tier under the scenario's policy (see 'allot score --explain'),\n"
		     "and their open orders, units and value still to deliver (usd_m_left, in\n"
		     "USD million; '>=' a lower bound when some units' unit cost is unknown).\n"
		     "\n"
		     "options:\n"
		     "  --tier N          only partners of tier N\n"
		     "  --region R        only partners in region R (europe-east, ...)\n"
		     "  --find WHO        only these partners: ids, names or unique prefixes,\n"
		     "                    comma separated (Poland,ISR)\n"
		     "  --wide            text: every column (names in full and the units of\n"
		     "                    unknown cost; the default fits 100 columns)\n"
		     "  --csv, --json     machine-readable output\n"
		     "  -h, --help        show this help\n"
		     "\n"
		     "examples:\n"
		     "  allot partners data/default --tier 1\n"
		     "  allot partners data/default --find pol,japan\n"
		     "  allot partners --db allot.db --region middle-east --csv\n");
}

/* What a partner has on order, units and value still to deliver. */
struct on_order {
	int64_t orders, units;
	struct allot_usd value; /* unknown unit costs apart */
	int estimate;           /* some of it at a unit cost that is an estimate */
};

struct partners_args {
	struct cli_common o;
	const char *region, *find;
	long tier;
	int wide;
};
static const struct cli_opt partners_opts[] = {
	CLI_OPT_TIER(struct partners_args, tier),
	CLI_OPT_STR("region", struct partners_args, region),
	CLI_OPT_STR("find", struct partners_args, find),
	CLI_OPT_FLAG("wide", struct partners_args, wide),
	{ 0 },
};
static const struct cli_spec partners_spec = {
	"partners", usage, partners_opts, CLI_SOURCE | CLI_FORMAT, 0, NULL
};

int cmd_partners(int argc, char **argv)
{
	struct partners_args a = { .o.fmt = CLI_TEXT };
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&partners_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	const struct cli_common o = a.o;
	const char *region = a.region, *find = a.find;
	long tier = a.tier;
	int *want = NULL;
	size_t n_want = 0;
	struct cli_ranked *r = cli_rank_partners(s);
	struct on_order *od = calloc(s->n_partners + 1, sizeof *od);
	if (!r || !od) {
		rc = EXIT_RUNTIME;
		goto done;
	}
	if (find &&
	    cli_resolve_list("partners", s, ALLOT_KIND_PARTNER, find, &want, &n_want) != 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *x = &s->orders[i];
		int64_t left = x->qty - x->delivered;
		if (left <= 0)
			continue;
		od[x->partner].orders++;
		od[x->partner].units += left;
		allot_usd_add(&od[x->partner].value, left, s->systems[x->system].unit_cost_usd, 1);
		if (s->systems[x->system].unit_cost_basis == ALLOT_RATE_ESTIMATE &&
		    allot_cost_known(s->systems[x->system].unit_cost_usd))
			od[x->partner].estimate = 1;
	}
	static const char *const head[] = {
		"iso3",  "name",   "region",     "alliance",   "tier",
		"score", "orders", "units_left", "value_left", "value_left_unknown_cost_units"
	};
	/* text: the value in USD million, its unit in the header; the units of
	 * unknown cost only with --wide (as compare's tables: docs/answers.md) */
	static const char *const th[] = {
		"iso3",  "name",   "region", "alliance",   "tier",
		"score", "orders", "units",  "usd_m_left", "unknown_cost_units"
	};
	static const int num[] = { 0, 0, 0, 0, 1, 1, 1, 1, 1, 1 };
	int text = o.fmt == CLI_TEXT, nc = text && !a.wide ? 9 : 10;
	struct cli_table *t = cli_table_new(nc, text ? th : head, num);
	size_t shown = 0, lower = 0, est = 0;
	int cut = 0; /* some name clipped */
	for (size_t i = 0; i < s->n_partners; i++) {
		const struct allot_partner *p = &s->partners[r[i].partner];
		const struct on_order *w = &od[r[i].partner];
		if (tier > 0 && r[i].sc.tier != tier)
			continue;
		if (region && strcasecmp(region, p->region) != 0)
			continue;
		if (n_want) {
			size_t j = 0;
			while (j < n_want && want[j] != r[i].partner)
				j++;
			if (j == n_want)
				continue;
		}
		char usd[ALLOT_STYLE_USD_SUM_MAX];
		cli_table_add(t, p->iso3);
		char clip[128];
		cli_table_add(t, text && !a.wide
					 ? cli_clip_mark(p->name, 18, clip, sizeof clip, &cut)
					 : p->name);
		cli_table_add(t, p->region);
		/* an unstated alliance reads n/a in the text, never a blank cell */
		cli_table_add(t, text && !*p->alliance ? ALLOT_SYM_NA : p->alliance);
		cli_table_addf(t, "%d", r[i].sc.tier);
		cli_table_addf(t, "%.2f", r[i].sc.score);
		cli_table_addf(t, "%lld", (long long)w->orders);
		cli_table_addf(t, "%lld", (long long)w->units);
		/* text: ">= " when units of unknown cost are left out */
		cli_table_add(t, text ? allot_usd_num(&w->value, 1e6, 1, 1, usd)
				      : allot_usd_num(&w->value, 1, 0, 0, usd));
		if (nc == 10)
			cli_table_addf(t, "%lld", (long long)w->value.unknown_units);
		lower += w->value.unknown_units > 0;
		est += w->estimate;
		shown++;
	}
	if (region && shown == 0 && !n_want && tier == 0) {
		fprintf(stderr, "allot partners: no partner in region '%s'\n", region);
		rc = EXIT_USAGE;
	} else {
		cli_table_print(t, o.fmt, stdout);
		/* the value rests on the unit costs: an estimate says so */
		char est_text[160] = "";
		if (est)
			snprintf(est_text, sizeof est_text,
				 ", an estimate for %zu of the %zu partners (it rests on "
				 "estimated unit costs: 'allot systems', basis)",
				 est, shown);
		if (text)
			cli_legend(
				"usd_m_left: USD million at unit cost%s%s%s%s", est_text,
				lower ? "; \">=\": a lower bound, without the units of unknown cost"
				      : "",
				!lower   ? ""
				: a.wide ? " (unknown_cost_units)"
					 : " (--wide shows them)",
				cut ? CLI_CUT_NOTE : "");
	}
	cli_table_free(t);
done:
	free(want);
	free(od);
	free(r);
	allot_scenario_free(s);
	return rc;
}
