/*
 * cmd_import.c - `allot import DIR --db FILE [--scenario NAME] [--replace]`:
 * loads a scenario directory and stores it in a SQLite store.
 *
 * The directory is loaded and checked before the store is opened, so bad
 * input never touches the store.  allot_store_import does the rest: a new
 * store appears whole or not at all, the name check and the write are one
 * transaction, and an existing scenario is replaced only with --replace;
 * concurrent imports never lose each other's work (docs/store.md).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot import DIR --db FILE [--scenario NAME] [--replace]\n"
		     "\n"
		     "Loads the scenario directory DIR (CSV files plus scenario.json and\n"
		     "policy.json, see docs/scenario-format.md), checks every file, and stores\n"
		     "it in the SQLite store FILE (created if missing) under NAME.  Bad input\n"
		     "is reported as file:line:column and leaves the store untouched.\n"
		     "\n"
		     "options:\n"
		     "  --db FILE        the store to write (required)\n"
		     "  --scenario NAME  the name to store it under (default: default);\n"
		     "                   letters, digits, '.', '_' and '-'\n"
		     "  --replace        replace a scenario of that name (else it is an error)\n"
		     "  -h, --help       show this help\n"
		     "\n"
		     "example:\n"
		     "  allot import data/default --db allot.db\n"
		     "  allot import my-case --db allot.db --scenario cuts-2027 --replace\n"
		     "\n"
		     "exit status: 0 ok, 1 runtime failure, 2 bad usage or bad input.\n");
}

static int import(const char *dir, const char *db, const char *name, int replace)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	int exists = 0, created = 0;
	int rc = allot_scenario_load(dir, &s, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_import(db, name, s, replace, &exists, &created, &d);
	if (rc == ALLOT_OK)
		printf("imported %s as scenario %s: %zu partners, %zu systems, %zu lines, "
		       "%zu orders\n",
		       dir, name, s->n_partners, s->n_systems, s->n_lines, s->n_orders);
	else if (exists)
		fprintf(stderr,
			"allot import: %s already holds a scenario named '%s'; "
			"add --replace to replace it\n",
			db, name);
	if (rc != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		if (allot_diags_count(&d) == 0 && !exists)
			fprintf(stderr, "allot import: %s\n", allot_strerror(rc));
	}
	allot_scenario_free(s);
	allot_diags_free(&d);
	return cli_exit_code(rc);
}

struct import_args {
	struct cli_common o;
	int replace;
};
static const struct cli_opt import_opts[] = {
	CLI_OPT_FLAG("replace", struct import_args, replace),
	{ 0 },
};
static const struct cli_spec import_spec = { "import", usage, import_opts, CLI_DB | CLI_SCENARIO,
					     1,        NULL };

int cmd_import(int argc, char **argv)
{
	struct import_args a = { .o.src.scenario = "default" };
	int rc = cli_parse(&import_spec, argc, argv, &a, &a.o);
	if (rc != EXIT_OK)
		return rc == CLI_HELP ? EXIT_OK : rc;
	if (a.o.npos < 1)
		return cli_usage_error("import", "no scenario directory given");
	if (!a.o.src.db)
		return cli_usage_error("import", "no store given: add --db FILE");
	return import(a.o.pos[0], a.o.src.db, a.o.src.scenario, a.replace);
}
