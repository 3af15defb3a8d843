/*
 * cmd_scenarios.c - `allot scenarios --db FILE`: the names of the scenarios
 * in a store, one per line, sorted bytewise.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot scenarios --db FILE\n"
		     "\n"
		     "Lists the scenarios stored in the SQLite store FILE, one name per line,\n"
		     "sorted.  Each name can be given to --scenario NAME of the other commands.\n"
		     "\n"
		     "options:\n"
		     "  --db FILE    the store to read (required; must exist)\n"
		     "  -h, --help   show this help\n"
		     "\n"
		     "example:\n"
		     "  allot scenarios --db allot.db\n"
		     "\n"
		     "exit status: 0 ok, 1 runtime failure, 2 bad usage or bad input.\n");
}

static int list(const char *db)
{
	struct stat sb;
	if (stat(db, &sb) != 0) {
		fprintf(stderr, "allot scenarios: %s: no such store\n", db);
		return EXIT_USAGE;
	}
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	char **v = NULL;
	int rc = allot_store_open(db, &st, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_list_scenarios(st, &v);
	for (size_t i = 0; rc == ALLOT_OK && v[i]; i++)
		printf("%s\n", v[i]);
	if (rc != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		if (allot_diags_count(&d) == 0)
			fprintf(stderr, "allot scenarios: %s\n", allot_strerror(rc));
	}
	allot_strv_free(v);
	allot_store_close(st);
	allot_diags_free(&d);
	return cli_exit_code(rc);
}

static const struct cli_spec scenarios_spec = { "scenarios", usage, NULL, CLI_DB, 0, NULL };

int cmd_scenarios(int argc, char **argv)
{
	struct cli_common o = { .fmt = CLI_TEXT };
	int rc = cli_parse(&scenarios_spec, argc, argv, &o, &o);
	if (rc != EXIT_OK)
		return rc == CLI_HELP ? EXIT_OK : rc;
	if (!o.src.db)
		return cli_usage_error("scenarios", "no store given: add --db FILE");
	return list(o.src.db);
}
