/*
 * cmd_runs.c - `allot runs`: the plan runs stored by `allot plan --db`:
 * list them, show one, label one, delete one.  A run is named by its id or
 * by its label (ignoring case, or a unique prefix of it).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot runs [list] --db FILE [--scenario NAME] [--csv | --json]\n"
		"       allot runs show RUN --db FILE [--orders] [--csv | --json]\n"
		"       allot runs label RUN TEXT --db FILE     (TEXT \"\" removes the label)\n"
		"       allot runs delete RUN --db FILE\n"
		"\n"
		"Lists, shows, labels or deletes the plan runs a store holds (each\n"
		"'allot plan --db' stores one).  RUN is a run id or a label (any case,\n"
		"or a unique prefix of one).  'show' prints the run's header and how its\n"
		"orders fared; --orders adds every order's result.  'delete' removes the\n"
		"run with its order results and allocations.  Runs of other scenarios\n"
		"are listed with --scenario NAME.\n"
		"\n"
		"options:\n"
		"  --db FILE         the store (required)\n"
		"  --scenario NAME   whose runs to list (default: the only one, or default)\n"
		"  --orders          with show: every order's result\n"
		"  --csv, --json     machine-readable output\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot runs --db allot.db\n"
		"  allot runs label 2 \"priority from 2026-02\" --db allot.db\n"
		"  allot runs show priority --db allot.db\n"
		"  allot diff 1 2 --db allot.db\n"
		"  allot runs delete 1 --db allot.db\n");
}

static int fail(const char *what, int rc, struct allot_diags *d)
{
	allot_diags_print(d, stderr);
	if (!allot_diags_count(d))
		fprintf(stderr, "allot runs: %s: %s\n", what, allot_strerror(rc));
	return cli_exit_code(rc == ALLOT_ENOTFOUND ? ALLOT_EINPUT : rc);
}

/* A run's switch month as shown: none (empty) for a run planned fcfs
 * throughout or with no switch (ALLOT_SWITCH_NONE, coded as 1000-01: never
 * a date to print), as the API's null. */
static const char *run_switch(const struct allot_run_info *ri, char buf[8])
{
	if (ri->policy != ALLOT_POLICY_PRIORITY || ri->switch_month == ALLOT_SWITCH_NONE)
		ri = NULL;
	return allot_month_format(ri ? ri->switch_month : ALLOT_NO_MONTH, buf);
}

static void list(const struct allot_run_info *v, size_t n, enum cli_format fmt)
{
	static const char *const head[] = { "run",    "label",      "scenario", "policy",
					    "switch", "created_at", "orders",   "units_produced" };
	/* no label and no switch are JSON null, as the API's label and
	 * switch_month */
	static const int num[] = { 1, CLI_COL_NULLABLE, 0, 0, CLI_COL_NULLABLE, 0, 1, 1 };
	struct cli_table *t = cli_table_new(8, head, num);
	for (size_t i = 0; i < n; i++) {
		char sw[8];
		run_switch(&v[i], sw);
		cli_table_addf(t, "%lld", (long long)v[i].id);
		cli_table_add(t, v[i].label ? v[i].label : "");
		cli_table_add(t, v[i].scenario);
		cli_table_add(t, allot_policy_kind_name(v[i].policy));
		cli_table_add(t, sw);
		cli_table_add(t, v[i].created_at);
		cli_table_addf(t, "%lld", (long long)v[i].n_orders);
		cli_table_addf(t, "%lld", (long long)v[i].units_produced);
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
}

static void show(const struct allot_run *r, int orders, enum cli_format fmt)
{
	const struct allot_run_info *ri = &r->info;
	size_t done = 0, late = 0, blocked = 0;
	int64_t shortfall = 0;
	for (size_t i = 0; i < r->n_orders; i++) {
		done += r->orders[i].completion != ALLOT_NO_MONTH;
		late += r->orders[i].months_late > 0;
		blocked += r->orders[i].blocked > 0;
		shortfall += r->orders[i].units_short;
	}
	if (fmt == CLI_TEXT) {
		char sw[8], units[32], sh[32];
		run_switch(ri, sw);
		printf("run %lld%s%s%s: scenario %s, policy %s%s%s, stored %s\n", (long long)ri->id,
		       ri->label ? " \"" : "", ri->label ? ri->label : "", ri->label ? "\"" : "",
		       ri->scenario, allot_policy_kind_name(ri->policy), *sw ? " from " : "", sw,
		       ri->created_at);
		printf("inputs hash %s\n", ri->inputs_hash);
		printf("%lld orders: %zu complete in the horizon, %zu late against their need "
		       "month, %zu with units blocked\n",
		       (long long)ri->n_orders, done, late, blocked);
		printf("%s units produced; %s units not delivered by the horizon's end\n",
		       allot_style_count(ri->units_produced, units),
		       allot_style_count(shortfall, sh));
		if (!orders)
			return;
		printf("\n");
	}
	if (!orders && fmt != CLI_TEXT) {
		static const char *const head[] = {
			"run",    "label",          "scenario",   "policy",
			"switch", "created_at",     "orders",     "complete",
			"late",   "units_produced", "units_short"
		};
		static const int num[] = {
			1, CLI_COL_NULLABLE, 0, 0, CLI_COL_NULLABLE, 0, 1, 1, 1, 1, 1
		};
		struct cli_table *t = cli_table_new(11, head, num);
		char sw[8];
		run_switch(ri, sw);
		cli_table_addf(t, "%lld", (long long)ri->id);
		cli_table_add(t, ri->label ? ri->label : "");
		cli_table_add(t, ri->scenario);
		cli_table_add(t, allot_policy_kind_name(ri->policy));
		cli_table_add(t, sw);
		cli_table_add(t, ri->created_at);
		cli_table_addf(t, "%lld", (long long)ri->n_orders);
		cli_table_addf(t, "%zu", done);
		cli_table_addf(t, "%zu", late);
		cli_table_addf(t, "%lld", (long long)ri->units_produced);
		cli_table_addf(t, "%lld", (long long)shortfall);
		cli_table_print(t, fmt, stdout);
		cli_table_free(t);
		return;
	}
	static const char *const head[] = { "order_id",       "tier",       "produced",
					    "first_delivery", "completion", "units_short",
					    "months_late" };
	static const int num[] = { 0, 1, 1, 0, 0, 1, 1 };
	struct cli_table *t = cli_table_new(7, head, num);
	for (size_t i = 0; i < r->n_orders; i++) {
		const struct allot_run_order *o = &r->orders[i];
		char f[8], c[8];
		allot_month_format(o->first_delivery, f);
		allot_month_format(o->completion, c);
		cli_table_add(t, o->order_id);
		cli_table_addf(t, "%d", o->tier0);
		cli_table_addf(t, "%lld", (long long)o->produced);
		cli_table_add(t, f);
		cli_table_add(t, c);
		cli_table_addf(t, "%lld", (long long)o->units_short);
		if (o->months_late < 0)
			cli_table_add(t, "");
		else
			cli_table_addf(t, "%d", o->months_late);
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
}

struct runs_args {
	struct cli_common o;
	int with_orders;
};
static const struct cli_opt runs_opts[] = {
	CLI_OPT_FLAG("orders", struct runs_args, with_orders),
	{ 0 },
};
/* VERB and its arguments; a wrong count gets the message below. */
static const struct cli_spec runs_spec = { "runs",    usage,
					   runs_opts, CLI_DB | CLI_SCENARIO | CLI_FORMAT,
					   1000,      NULL };

int cmd_runs(int argc, char **argv)
{
	struct runs_args a = { .o.fmt = CLI_TEXT };
	int rc = cli_parse(&runs_spec, argc, argv, &a, &a.o);
	if (rc != EXIT_OK)
		return rc == CLI_HELP ? EXIT_OK : rc;
	const struct cli_common o = a.o;
	int with_orders = a.with_orders;
	int npos = o.npos;
	char **pos = o.pos;
	const char *verb = npos > 0 ? (npos--, *pos++) : "list";
	int want = strcmp(verb, "list") == 0     ? 0
		   : strcmp(verb, "show") == 0   ? 1
		   : strcmp(verb, "delete") == 0 ? 1
		   : strcmp(verb, "label") == 0  ? 2
						 : -1;
	if (want < 0) {
		fprintf(stderr,
			"allot runs: expected list, show, label or delete, found '%s' "
			"(see 'allot runs --help')\n",
			verb);
		return EXIT_USAGE;
	}
	if (npos != want) {
		fprintf(stderr, "allot runs %s: expected %s (see 'allot runs --help')\n", verb,
			want == 0   ? "no more arguments"
			: want == 1 ? "one RUN"
				    : "RUN and TEXT");
		return EXIT_USAGE;
	}
	if (!o.src.db) {
		fprintf(stderr, "allot runs: give the store with --db FILE\n");
		return EXIT_USAGE;
	}
	struct stat sb;
	if (stat(o.src.db, &sb) != 0) {
		fprintf(stderr,
			"allot runs: %s: no such store (create one with 'allot import DIR "
			"--db %s')\n",
			o.src.db, o.src.db);
		return EXIT_USAGE;
	}
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	struct allot_run_info *v = NULL;
	size_t n = 0;
	int64_t id = 0;
	rc = allot_store_open(o.src.db, &st, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_list_runs(st, o.src.scenario, &v, &n, &d);
	if (rc != ALLOT_OK) {
		rc = fail(o.src.db, rc, &d);
		goto done;
	}
	if (want == 0) {
		list(v, n, o.fmt);
		if (n == 0 && o.fmt == CLI_TEXT)
			printf("(no runs: 'allot plan --db %s' stores one)\n", o.src.db);
		rc = EXIT_OK;
		goto done;
	}
	if (cli_run_id("runs", v, n, pos[0], &id) != 0) {
		rc = EXIT_USAGE;
		goto done;
	}
	if (strcmp(verb, "show") == 0) {
		struct allot_run *r = NULL;
		rc = allot_store_get_run(st, id, 0, &r, &d);
		if (rc == ALLOT_OK)
			show(r, with_orders, o.fmt);
		allot_run_free(r);
	} else if (strcmp(verb, "label") == 0) {
		rc = allot_store_label_run(st, id, pos[1], &d);
		if (rc == ALLOT_OK)
			printf("run %lld %s\n", (long long)id,
			       *pos[1] ? "labelled" : "label removed");
	} else {
		rc = allot_store_delete_run(st, id, &d);
		if (rc == ALLOT_OK)
			printf("run %lld deleted\n", (long long)id);
	}
	rc = rc == ALLOT_OK ? EXIT_OK : fail(verb, rc, &d);
done:
	allot_run_infos_free(v, n);
	allot_store_close(st);
	allot_diags_free(&d);
	return rc;
}
