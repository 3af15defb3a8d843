/*
 * cmd_risk.c - `allot risk`: sales at risk of going to a foreign
 * alternative: orders of lowest-tier partners for systems that have one,
 * whose wait under the plan exceeds a threshold (docs/report.md).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot risk DIR | --db FILE [--scenario NAME] [--wait-months N]\n"
		     "                  [--policy fcfs|priority] [--switch YYYY-MM] [--wide]\n"
		     "                  [--csv | --json]\n"
		     "\n"
		     "Sales at risk of going elsewhere: orders of partners in the lowest tier\n"
		     "(tier 3 under the default policy) for a system that has a foreign\n"
		     "alternative (systems.csv foreign_alternative, e.g. the K239 Chunmoo for\n"
		     "HIMARS or the Aster 30 for PAC-3 MSE), whose wait\n"
		     "under the plan is longer than N months.  The wait runs from the later of\n"
		     "as_of and the LOA month to completion; an order not complete in the\n"
		     "horizon waits at least to its end (shown N+).  The value at risk is the\n"
		     "units still to deliver (not cancelled by a budget cap) at unit cost.\n"
		     "Rows are sorted by value.  A completion resting on an estimated line\n"
		     "rate (lines.csv rate_basis) says 'estimate' under 'line rate' (--wide:\n"
		     "it is marked '(estimated line rate)'); an order not supplied new\n"
		     "(second-hand, lease, licence) says 'off line' and is never marked, as\n"
		     "its units do not come off a US line; --csv and --json carry the\n"
		     "line's rate_basis.  The text table fits 100 columns: a completion past\n"
		     "the horizon reads 'after' and the line below the table names the month;\n"
		     "--wide adds the partner's name and the LOA month.\n"
		     "\n"
		     "options:\n"
		     "  --wait-months N   the threshold in months (default: 36)\n"
		     "  --policy P        fcfs or priority (default: priority)\n"
		     "  --switch YYYY-MM  months before this use fcfs (default: the scenario's)\n"
		     "  --wide            text: every column, names in full\n"
		     "  --db FILE         read the scenario from a store instead of DIR\n"
		     "  --scenario NAME   which stored scenario\n"
		     "  --csv, --json     machine-readable output\n"
		     "  -h, --help        show this help\n"
		     "\n"
		     "examples:\n"
		     "  allot risk data/default\n"
		     "  allot risk data/default --wait-months 60 --policy fcfs\n"
		     "  allot risk --db allot.db --csv > at-risk.csv\n");
}

struct risk_args {
	struct cli_common o;
	struct allot_plan_options po;
	int wait, wide;
};

static const struct cli_opt risk_opts[] = {
	CLI_OPT_POLICY(struct risk_args, po.policy),
	CLI_OPT_SWITCH(struct risk_args, po.switch_month),
	CLI_OPT_COUNT("wait-months", struct risk_args, wait, 0, 100000, "a whole number of months"),
	CLI_OPT_FLAG("wide", struct risk_args, wide),
	{ 0 },
};
static const struct cli_spec risk_spec = { "risk", usage, risk_opts, CLI_SOURCE | CLI_FORMAT,
					   0,      NULL };

/* --csv and --json: every column of allot_risk_columns, the keys of the
 * API and the report's table, and the line's rate_basis when some line
 * states one (a completion on an estimated rate says so; JSON: only where
 * the order's line states one, as the API). */
static void print_data(const struct allot_plan *p, const struct allot_risk *r, enum cli_format fmt)
{
	const struct allot_scenario *s = p->scenario;
	struct allot_cell c[ALLOT_RISK_NCOL];
	char buf[64];
	if (fmt == CLI_JSON) {
		printf("[\n");
		for (size_t i = 0; i < r->n; i++) {
			json_t *o = allot_risk_row_json(p, &r->rows[i]);
			char *text = o ? json_dumps(o, JSON_PRESERVE_ORDER) : NULL;
			printf(" %s%s\n", text ? text : "null", i + 1 < r->n ? "," : "");
			free(text);
			json_decref(o);
		}
		printf("]\n");
		return;
	}
	const char *head[ALLOT_RISK_NCOL + 1];
	int basis = allot_scenario_has_rate_basis(s);
	memcpy(head, allot_risk_columns, sizeof allot_risk_columns);
	head[ALLOT_RISK_NCOL] = "rate_basis";
	struct cli_table *t = cli_table_new(ALLOT_RISK_NCOL + basis, head, NULL);
	for (size_t i = 0; i < r->n; i++) {
		allot_risk_row_cells(p, &r->rows[i], c);
		for (int k = 0; k < ALLOT_RISK_NCOL; k++)
			cli_table_add(t, allot_cell_text(&c[k], buf));
		if (basis)
			cli_table_add(t, cli_rate_basis(s, s->orders[r->rows[i].order].system));
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

/* A text row's last cells: the wait ("+": to the horizon's end), the units
 * and the value in USD million. */
static void wait_units_value(struct cli_table *t, const struct allot_risk_row *row)
{
	cli_table_addf(t, row->censored ? "%d+" : "%d", row->wait);
	cli_table_addf(t, "%lld", (long long)row->units);
	if (allot_cost_known(row->value_usd))
		cli_table_addf(t, "%.1f", row->value_usd / 1e6);
	else
		cli_table_add(t, ALLOT_SYM_UNKNOWN);
}

/* The note that the value at risk rests on estimated unit costs: how many
 * rows do ("" when none). */
static const char *estimate_note(const struct allot_scenario *s, const struct allot_risk *r,
				 char *buf, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct allot_system *y = &s->systems[s->orders[r->rows[i].order].system];
		n += y->unit_cost_basis == ALLOT_RATE_ESTIMATE &&
		     allot_cost_known(y->unit_cost_usd);
	}
	buf[0] = '\0';
	if (n)
		snprintf(
			buf, size,
			" at unit cost, an estimate on %zu of the %zu rows and in the totals below " CLI_EST_COST_SOURCE,
			n, r->n);
	return buf;
}

/* Text in 100 columns: the rows without the partner's name (its ISO3 is
 * there) and the LOA, names clipped, the line's rate basis in a column
 * and a completion past the horizon "after" (the legend names the month). */
static void print_narrow(const struct allot_plan *p, const struct allot_risk *r)
{
	static const char *const head[] = { "order_id",    "iso3",       "system",
					    "alternative", "completion", "line rate",
					    "wait",        "units",      "usd_m" };
	static const int num[] = { 0, 0, 0, 0, 0, 0, 1, 1, 1 };
	const struct allot_scenario *s = p->scenario;
	allot_month last = s->as_of + s->horizon_months - 1;
	int basis = allot_scenario_has_rate_basis(s), nc = 0, after = 0;
	const char *hd[9];
	int nm[9];
	for (int k = 0; k < 9; k++)
		if (k != 5 || basis) {
			hd[nc] = head[k];
			nm[nc++] = num[k];
		}
	struct cli_table *t = cli_table_new(nc, hd, nm);
	for (size_t i = 0; i < r->n; i++) {
		const struct allot_risk_row *row = &r->rows[i];
		const struct allot_order *o = &s->orders[row->order];
		const struct allot_system *y = &s->systems[o->system];
		allot_month done = p->orders[row->order].completion;
		char clip[160], m[ALLOT_STYLE_MONTH_MAX];
		cli_table_add(t, o->order_id);
		cli_table_add(t, s->partners[o->partner].iso3);
		cli_table_add(t, cli_clip(y->system_id, 12, clip, sizeof clip));
		cli_table_add(t, cli_clip(y->foreign_alternative, 16, clip, sizeof clip));
		if (done != ALLOT_NO_MONTH && done <= last) {
			cli_table_add(t, allot_month_format(done, m));
		} else {
			cli_table_add(t, "after");
			after = 1;
		}
		if (basis) {
			const char *w = allot_order_rate_word(s, o);
			cli_table_add(t, *w ? w : ALLOT_SYM_NA);
		}
		wait_units_value(t, row);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	char lm[8], note[96] = "", est[256];
	if (after)
		snprintf(note, sizeof note, "completion 'after': not complete by %s; ",
			 allot_month_format(last, lm));
	cli_legend("%swait: months (N+: at least, to the horizon's end); usd_m: the value at "
		   "risk, USD million%s; --wide adds the partner's name and the LOA",
		   note, estimate_note(s, r, est, sizeof est));
}

/* Text, --wide: the same rows for a reader (value in USD millions, a wait
 * to the horizon's end marked "+", a completion past it "after YYYY-MM"). */
static void print_rows(const struct allot_plan *p, const struct allot_risk *r)
{
	static const char *const head[] = { "order_id",   "iso3",        "partner",
					    "system_id",  "alternative", "loa",
					    "completion", "wait_months", "units",
					    "value_usd_m" };
	static const int num[] = { 0, 0, 0, 0, 0, 0, 0, 1, 1, 1 };
	const struct allot_scenario *s = p->scenario;
	allot_month last = s->as_of + s->horizon_months - 1;
	struct cli_table *t = cli_table_new(10, head, num);
	for (size_t i = 0; i < r->n; i++) {
		const struct allot_risk_row *row = &r->rows[i];
		const struct allot_order *o = &s->orders[row->order];
		const struct allot_system *y = &s->systems[o->system];
		char loa[8], done[ALLOT_STYLE_MONTH_MAX];
		cli_table_add(t, o->order_id);
		cli_table_add(t, s->partners[o->partner].iso3);
		cli_table_add(t, s->partners[o->partner].name);
		cli_table_add(t, y->system_id);
		cli_table_add(t, y->foreign_alternative);
		cli_table_add(t, allot_month_format(o->loa_month, loa));
		/* a completion on an estimated line rate says so, as quote's */
		cli_table_addf(t, "%s%s",
			       allot_style_month(p->orders[row->order].completion, last, done),
			       allot_order_rate_mark(s, o));
		wait_units_value(t, row);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	char est[256];
	if (*estimate_note(s, r, est, sizeof est))
		cli_legend("value_usd_m:%s", est);
}

/* Totals per foreign alternative, largest first. */
static void print_by_alternative(const struct allot_scenario *s, const struct allot_risk *r)
{
	size_t n = 0;
	const char **alt = calloc(r->n + 1, sizeof *alt);
	struct allot_usd *val = calloc(r->n + 1, sizeof *val); /* unknowns apart */
	if (!alt || !val)
		goto done;
	for (size_t i = 0; i < r->n; i++) {
		const char *a = s->systems[s->orders[r->rows[i].order].system].foreign_alternative;
		size_t k = 0;
		while (k < n && strcmp(alt[k], a) != 0)
			k++;
		if (k == n)
			alt[n++] = a;
		const struct allot_risk_row *row = &r->rows[i];
		allot_usd_add(&val[k], row->units,
			      s->systems[s->orders[row->order].system].unit_cost_usd, 1);
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && val[j].known > val[j - 1].known; j--) {
			struct allot_usd v = val[j];
			val[j] = val[j - 1], val[j - 1] = v;
			const char *a = alt[j];
			alt[j] = alt[j - 1], alt[j - 1] = a;
		}
	printf("by alternative:\n");
	struct allot_usd rest = { 0 };
	for (size_t i = 0; i < n; i++) {
		char b[ALLOT_STYLE_USD_SUM_MAX];
		if (i < 6)
			printf("  %-40s %s\n", alt[i], allot_style_usd_sum(&val[i], b));
		else
			allot_usd_sum(&rest, &val[i]);
	}
	if (n > 6) {
		char b[ALLOT_STYLE_USD_SUM_MAX], label[40];
		snprintf(label, sizeof label, "%zu others", n - 6);
		printf("  %-40s %s\n", label, allot_style_usd_sum(&rest, b));
	}
done:
	free(alt);
	free(val);
}

int cmd_risk(int argc, char **argv)
{
	struct risk_args a;
	memset(&a, 0, sizeof a);
	allot_plan_options_init(&a.po);
	a.wait = 36;
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&risk_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	struct allot_plan *p = NULL;
	struct allot_risk *r = NULL;
	int lrc = allot_plan_run(s, &a.po, &p);
	if (lrc == ALLOT_OK)
		lrc = allot_risk_run(p, a.wait, &r);
	if (lrc != ALLOT_OK) {
		fprintf(stderr, "allot risk: %s\n", allot_strerror(lrc));
		goto done;
	}
	if (a.o.fmt != CLI_TEXT) {
		print_data(p, r, a.o.fmt);
		goto done;
	}
	char sw[8], b[ALLOT_STYLE_USD_SUM_MAX];
	allot_month_format(p->switch_month, sw);
	printf("risk: scenario %s, policy %s", s->name, allot_policy_kind_name(p->policy));
	if (p->policy == ALLOT_POLICY_PRIORITY && p->switch_month != ALLOT_NO_MONTH &&
	    p->switch_month > s->as_of)
		printf(" (fcfs before %s)", sw);
	printf("\norders of tier %d partners for systems with a foreign alternative,\n"
	       "waiting more than %d months (from the later of LOA and as_of)\n\n",
	       r->tier, r->wait_months);
	if (r->n == 0) {
		printf("none\n");
		goto done;
	}
	if (a.wide)
		print_rows(p, r);
	else
		print_narrow(p, r);
	printf("\n%zu order%s, %lld units, %s at risk\n", r->n, r->n == 1 ? "" : "s",
	       (long long)r->units, allot_style_usd_sum(&r->value, b));
	print_by_alternative(s, r);
done:
	allot_risk_free(r);
	allot_plan_free(p);
	allot_scenario_free(s);
	return lrc != ALLOT_OK ? cli_exit_code(lrc) : EXIT_OK;
}
