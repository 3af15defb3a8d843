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
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot import DIR --db FILE [--scenario NAME] [--replace]\n"
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

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("allot import: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return cli_see_help("import");
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
		       "%zu orders\n", dir, name, s->n_partners, s->n_systems,
		       s->n_lines, s->n_orders);
	else if (exists)
		fprintf(stderr, "allot import: %s already holds a scenario named '%s'; "
				"add --replace to replace it\n", db, name);
	if (rc != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		if (allot_diags_count(&d) == 0 && !exists)
			fprintf(stderr, "allot import: %s\n", allot_strerror(rc));
	}
	allot_scenario_free(s);
	allot_diags_free(&d);
	return cli_exit_code(rc);
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "scenario", required_argument, NULL, 's' },
		{ "replace", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *name = "default";
	int replace = 0, c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 's': name = optarg; break;
		case 'r': replace = 1; break;
		case 'h': usage(stdout); return EXIT_OK;
		case ':': return bad_usage("option '%s' needs a value", argv[optind - 1]);
		default: return bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return bad_usage("no scenario directory given");
	if (optind + 1 < argc)
		return bad_usage("unexpected argument '%s'", argv[optind + 1]);
	if (!db)
		return bad_usage("no store given: add --db FILE");
	return import(argv[optind], db, name, replace);
}
