/*
 * cmd_export.c - `allot export --db FILE [--scenario NAME] DIR`: writes a
 * stored scenario back out as a directory in canonical form, the same files
 * `allot import` read (import then export is byte-identical).
 */
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot export --db FILE [--scenario NAME] DIR\n"
		     "\n"
		     "Writes the stored scenario NAME from the SQLite store FILE to the\n"
		     "directory DIR (created if missing): the CSV files, scenario.json and\n"
		     "policy.json, each written to a temporary file and renamed into place.\n"
		     "Without --scenario the store's only scenario is exported, or the one\n"
		     "named default.\n"
		     "\n"
		     "options:\n"
		     "  --db FILE        the store to read (required; must exist)\n"
		     "  --scenario NAME  the scenario to export (see `allot scenarios`)\n"
		     "  -h, --help       show this help\n"
		     "\n"
		     "example:\n"
		     "  allot export --db allot.db --scenario cuts-2027 out/cuts-2027\n"
		     "\n"
		     "exit status: 0 ok, 1 runtime failure, 2 bad usage or bad input.\n");
}

static int export(const char *db, const char *name, const char *dir)
{
	struct stat sb;
	if (stat(db, &sb) != 0) {
		fprintf(stderr, "allot export: %s: no such store\n", db);
		return EXIT_USAGE;
	}
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	struct allot_scenario *s = NULL;
	int rc = allot_store_open(db, &st, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_get_scenario(st, name, &s, &d);
	if (rc == ALLOT_OK)
		rc = allot_scenario_write(s, dir, &d);
	if (rc == ALLOT_OK)
		printf("exported scenario %s to %s: %zu partners, %zu systems, %zu lines, "
		       "%zu orders\n",
		       s->name, dir, s->n_partners, s->n_systems, s->n_lines, s->n_orders);
	if (rc != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		if (allot_diags_count(&d) == 0)
			fprintf(stderr, "allot export: %s\n", allot_strerror(rc));
	}
	allot_scenario_free(s);
	allot_store_close(st);
	allot_diags_free(&d);
	/* A scenario that is not there is a usage error, like a bad name. */
	return rc == ALLOT_ENOTFOUND ? EXIT_USAGE : cli_exit_code(rc);
}

struct export_args {
	struct cli_common o;
};
static const struct cli_spec export_spec = { "export", usage, NULL, CLI_DB | CLI_SCENARIO, 1, NULL };

int cmd_export(int argc, char **argv)
{
	struct export_args a = { .o.fmt = CLI_TEXT };
	int rc = cli_parse(&export_spec, argc, argv, &a, &a.o);
	if (rc != EXIT_OK)
		return rc == CLI_HELP ? EXIT_OK : rc;
	if (!a.o.src.db)
		return cli_usage_error("export", "no store given: add --db FILE");
	if (a.o.npos < 1)
		return cli_usage_error("export", "no output directory given");
	return export(a.o.src.db, a.o.src.scenario, a.o.pos[0]);
}
