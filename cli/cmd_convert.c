/*
 * cmd_convert.c - `allot convert`: build scenario inputs from raw public
 * data.  Two converters:
 *
 *   sipri-register  open orders from a SIPRI trade-register export, as CSV
 *   dataset         the whole bundled scenario (data/default)
 *
 * The parsing and mapping live in liballot (lib/convert); this file reads
 * options, picks files and prints what happened.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "cli.h"
#include "mem.h"

static void usage_main(FILE *out)
{
	fprintf(out, "usage: allot convert <converter> [options]\n"
		     "\n"
		     "converters:\n"
		     "  sipri-register FILE   open orders from a SIPRI trade-register CSV export\n"
		     "  dataset               the whole bundled scenario from raw public data\n"
		     "\n"
		     "Run 'allot convert <converter> --help' for the options of each.\n");
}

static void usage_sipri(FILE *out)
{
	fprintf(out,
		"usage: allot convert sipri-register FILE [--supplier NAME] [--order-from YEAR]\n"
		"                                     [--as-of YYYY-MM] [--countries CSV] [--out FILE|-]\n"
		"\n"
		"Lists the open orders in a SIPRI Arms Transfers Database trade register\n"
		"(the 'trade-register.csv' export of https://armstrade.sipri.org).\n"
		"\n"
		"An order is open when its supplier is NAME, its year of order is known,\n"
		"at least YEAR and before the as-of month (taken as January of that year),\n"
		"and the number ordered is known and larger than the number delivered\n"
		"before the as-of month (an empty 'Number delivered' counts as 0).  SIPRI\n"
		"reports deliveries up to the date the register was generated, so --as-of\n"
		"2025-01 means 'open at the end of 2024'; for an earlier month the number\n"
		"delivered is spread evenly over the listed years of delivery and only the\n"
		"years before the month count (the delivered column says that number).\n"
		"\n"
		"options:\n"
		"  --supplier NAME     supplier as SIPRI spells it (default: United States)\n"
		"  --order-from YEAR   earliest year of order (default: 2015)\n"
		"  --as-of YYYY-MM     orders placed before this month (default: 2025-01)\n"
		"  --countries CSV     name,iso3 table for recipient_iso3 (default:\n"
		"                      data/mappings/countries.csv in the current directory\n"
		"                      or next to the allot source tree)\n"
		"  --out FILE          write the CSV to FILE ('-' = standard output, default)\n"
		"\n"
		"The file may be Latin-1 (as SIPRI exports it) or UTF-8; output is UTF-8.\n"
		"Banner lines before the header are skipped, records broken by a line break\n"
		"inside Comments are rejoined, and any other malformed line is reported as\n"
		"'file:line: ...' and skipped.\n"
		"\n"
		"output columns: recipient, recipient_iso3, designation, description,\n"
		"  year_of_order, order_uncertain, qty, qty_uncertain, delivered,\n"
		"  delivered_uncertain, delivery_years, status, comments, tiv_unit,\n"
		"  tiv_total, tiv_delivered   (the *_uncertain columns are 1 where SIPRI\n"
		"  marks the figure with '?'; TIV figures are SIPRI trend-indicator values\n"
		"  in millions, as written in the register)\n"
		"\n"
		"examples:\n"
		"  allot convert sipri-register trade-register.csv --out us-open.csv\n"
		"  allot convert sipri-register trade-register.csv --supplier France --order-from 2020\n"
		"\n"
		"exit status: 0 ok (warnings may be printed), 1 output could not be written,\n"
		"2 bad usage, unreadable input or a file that is not a SIPRI register.\n");
}

static void usage_dataset(FILE *out)
{
	fprintf(out, "usage: allot convert dataset --raw DIR --sources DIR [--mappings DIR]\n"
		     "                             [--as-of YYYY-01] [--book-share RULE]\n"
		     "                             --out DIR\n"
		     "\n"
		     "Builds the bundled scenario (as of 2025-01, horizon 180 months, policy\n"
		     "switch 2026-02) from raw public data and hand-typed cited tables, and\n"
		     "writes it with SOURCES.md to the output directory.  The result is the\n"
		     "same byte for byte on every run (docs/dataset.md).\n"
		     "\n"
		     "options:\n"
		     "  --raw DIR        the raw public data (data/raw): SIPRI trade\n"
		     "                   register and milex, NATO, troopdata, USGS\n"
		     "  --sources DIR    hand-typed tables with citations (data/sources)\n"
		     "  --mappings DIR   the country-name table countries.csv\n"
		     "                   (default: DIR/../mappings next to --sources)\n"
		     "  --out DIR        where to write the scenario (created if missing)\n"
		     "  --as-of YYYY-01  the dataset as it stood at an earlier January, as the\n"
		     "                   backtest builds it (docs/backtest.md): orders placed\n"
		     "                   before it and not fully delivered by then, rates and\n"
		     "                   events known before it (default: 2025-01)\n"
		     "  --book-share RULE  an experiment of the backtest (allot backtest\n"
		     "                   --help, docs/dataset.md): the book's measured share of\n"
		     "                   each line's output after as_of; off by default, and\n"
		     "                   never in data/default (own-pace, a started contract\n"
		     "                   keeping its recorded pace, is now the default rule\n"
		     "                   and the name still means off)\n"
		     "\n"
		     "example (what scripts/build-dataset.sh runs):\n"
		     "  allot convert dataset --raw data/raw --sources data/sources \\\n"
		     "      --out data/default\n"
		     "  allot convert dataset --raw data/raw --sources data/sources \\\n"
		     "      --as-of 2020-01 --out /tmp/as-of-2020\n");
}

/* The default country table: ./data/mappings/countries.csv, else the one
 * in the source tree above the directory holding the allot binary. */
static const char *default_countries(char *buf, size_t n)
{
	return cli_tree_path("data/mappings/countries.csv", buf, n);
}

static void print_diags(const struct allot_diags *d)
{
	allot_diags_print(d, stderr);
}

struct sipri_args {
	struct allot_sipri_filter f;
	const char *out_path, *countries_path;
};
static const struct cli_opt sipri_opts[] = {
	CLI_OPT_STR("supplier", struct sipri_args, f.supplier),
	CLI_OPT_YEAR("order-from", struct sipri_args, f.order_from),
	CLI_OPT_MONTH("as-of", struct sipri_args, f.as_of),
	CLI_OPT_STR("out", struct sipri_args, out_path),
	CLI_OPT_STR("countries", struct sipri_args, countries_path),
	{ 0 },
};
static const struct cli_spec sipri_spec = {
	"convert sipri-register", usage_sipri, sipri_opts, 0, 1, NULL
};

static int cmd_sipri(int argc, char **argv)
{
	struct sipri_args a = { .out_path = "-" };
	allot_sipri_filter_init(&a.f);
	struct cli_common o = { .fmt = CLI_TEXT };
	int prc = cli_parse(&sipri_spec, argc, argv, &a, &o);
	if (prc != EXIT_OK)
		return prc == CLI_HELP ? EXIT_OK : prc;
	if (o.npos < 1) {
		usage_sipri(stderr);
		return EXIT_USAGE;
	}
	struct allot_sipri_filter f = a.f;
	const char *file = o.pos[0], *out_path = a.out_path, *countries_path = a.countries_path;

	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_countries *countries = NULL;
	struct allot_sipri_register *reg = NULL;
	FILE *out = NULL;
	int ex = EXIT_OK;
	char buf[PATH_MAX + 64];
	const char *cpath = countries_path ? countries_path : default_countries(buf, sizeof buf);
	int rc = ALLOT_OK;
	if (cpath)
		rc = allot_countries_load(cpath, &countries, &d);
	else
		fprintf(stderr,
			"allot convert: no country table found; recipient_iso3 left empty (see --countries)\n");
	if (rc == ALLOT_OK)
		rc = allot_sipri_read(file, &reg, &d);
	if (rc != ALLOT_OK) {
		print_diags(&d);
		if (allot_diags_count(&d) == 0)
			fprintf(stderr, "allot convert: %s\n", allot_strerror(rc));
		ex = rc == ALLOT_ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
		goto done;
	}
	out = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "w");
	if (!out) {
		fprintf(stderr, "allot convert: %s: cannot write: %s\n", out_path, strerror(errno));
		ex = EXIT_RUNTIME;
		goto done;
	}
	size_t n = 0;
	rc = allot_sipri_write_open(reg, &f, countries, out, &n, &d);
	if (fflush(out) != 0 || (out != stdout && fclose(out) != 0))
		rc = ALLOT_EIO;
	out = NULL;
	print_diags(&d);
	if (rc != ALLOT_OK) {
		fprintf(stderr, "allot convert: %s: cannot write: %s\n", out_path,
			allot_strerror(rc));
		ex = EXIT_RUNTIME;
		goto done;
	}
	fprintf(stderr,
		"allot convert: %zu records read (%zu rejoined, %zu skipped); "
		"%zu open orders from %s, ordered %d or later, before ",
		reg->n, reg->rejoined, reg->skipped, n, f.supplier, f.order_from);
	char m[8];
	allot_month_format(f.as_of, m);
	fprintf(stderr, "%s\n", m);
done:
	if (out && out != stdout)
		fclose(out);
	allot_sipri_free(reg);
	allot_countries_free(countries);
	allot_diags_free(&d);
	return ex;
}

/* Writes text to dir/name through a temporary file renamed into place
 * (lib/util/afile.h). */
static int write_text(const char *dir, const char *name, const char *text)
{
	char *path = mem_path_join(dir, name);
	struct afile af;
	int rc = path && afile_open(&af, path) == 0 ? 0 : -1;
	if (rc == 0 && (fputs(text, af.f) < 0 || afile_commit(&af) != 0)) {
		afile_abort(&af);
		rc = -1;
	}
	mem_free(path);
	return rc;
}

struct dataset_args {
	struct allot_convert_dirs dirs;
	const char *out_dir;
	allot_month as_of;
	struct allot_book_share book_share;
};

static int opt_book_share(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	struct dataset_args *a = args;
	if (cli_book_share(cmd, arg, &a->book_share) != 0)
		return -1;
	a->dirs.book_share = &a->book_share;
	return 0;
}

static const struct cli_opt dataset_opts[] = {
	CLI_OPT_FN("book-share", opt_book_share),
	CLI_OPT_STR("raw", struct dataset_args, dirs.raw),
	CLI_OPT_STR("sources", struct dataset_args, dirs.sources),
	CLI_OPT_STR("mappings", struct dataset_args, dirs.mappings),
	CLI_OPT_STR("out", struct dataset_args, out_dir),
	CLI_OPT_MONTH("as-of", struct dataset_args, as_of),
	{ 0 },
};
static const struct cli_spec dataset_spec = {
	"convert dataset", usage_dataset, dataset_opts, 0, 0, NULL
};

static int cmd_dataset(int argc, char **argv)
{
	struct dataset_args da = { .as_of = 2025 * 12 };
	struct cli_common o = { .fmt = CLI_TEXT };
	int prc = cli_parse(&dataset_spec, argc, argv, &da, &o);
	if (prc != EXIT_OK)
		return prc == CLI_HELP ? EXIT_OK : prc;
	struct allot_convert_dirs dirs = da.dirs;
	const char *out_dir = da.out_dir;
	char mappings[PATH_MAX];
	if (!dirs.raw || !dirs.sources || !out_dir) {
		usage_dataset(stderr);
		return EXIT_USAGE;
	}
	if (!dirs.mappings) {
		snprintf(mappings, sizeof mappings, "%s/../mappings", dirs.sources);
		dirs.mappings = mappings;
	}
	allot_month as_of = da.as_of;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	char *md = NULL, *crit = NULL, *crit_md = NULL;
	int ex = EXIT_OK;
	int rc = allot_convert_dataset_as_of(&dirs, as_of, &s, &md, &d);
	/* The economy-scale minerals (allot reserve) describe 2024-25: only
	 * the bundled as-of month gets them. */
	if (rc == ALLOT_OK && as_of == 2025 * 12)
		rc = allot_convert_critical_minerals(&dirs, s, &crit, &crit_md, &d);
	if (rc == ALLOT_OK && crit_md) {
		size_t a = strlen(md), b = strlen(crit_md);
		char *both = malloc(a + b + 1);
		if (!both) {
			rc = ALLOT_ENOMEM;
		} else {
			memcpy(both, md, a);
			memcpy(both + a, crit_md, b + 1);
		}
		allot_convert_free_text(md);
		md = both;
	}
	/* the scenario first: it creates out_dir when missing */
	if (rc == ALLOT_OK)
		rc = allot_scenario_write(s, out_dir, &d);
	if (rc == ALLOT_OK && crit && write_text(out_dir, "critical_minerals.csv", crit) != 0) {
		fprintf(stderr, "allot convert: %s/critical_minerals.csv: cannot write: %s\n",
			out_dir, strerror(errno));
		ex = EXIT_RUNTIME;
	}
	if (rc == ALLOT_OK && write_text(out_dir, "SOURCES.md", md) != 0) {
		fprintf(stderr, "allot convert: %s/SOURCES.md: cannot write: %s\n", out_dir,
			strerror(errno));
		ex = EXIT_RUNTIME;
	}
	print_diags(&d);
	if (rc != ALLOT_OK) {
		if (allot_diags_count(&d) == 0)
			fprintf(stderr, "allot convert: %s\n", allot_strerror(rc));
		ex = cli_exit_code(rc);
	} else if (ex == EXIT_OK) {
		fprintf(stderr,
			"allot convert: wrote %s: %zu partners, %zu systems, %zu lines, "
			"%zu orders, %zu minerals, %zu events\n",
			out_dir, s->n_partners, s->n_systems, s->n_lines, s->n_orders,
			s->n_minerals, s->n_events);
	}
	if (crit_md) /* md is then our malloc'd concatenation */
		free(md);
	else
		allot_convert_free_text(md);
	allot_convert_free_text(crit);
	allot_convert_free_text(crit_md);
	allot_scenario_free(s);
	allot_diags_free(&d);
	return ex;
}

int cmd_convert(int argc, char **argv)
{
	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	const char *which = argv[1];
	if (strcmp(which, "--help") == 0 || strcmp(which, "-h") == 0) {
		usage_main(stdout);
		return EXIT_OK;
	}
	if (strcmp(which, "sipri-register") == 0)
		return cmd_sipri(argc - 1, argv + 1);
	if (strcmp(which, "dataset") == 0)
		return cmd_dataset(argc - 1, argv + 1);
	fprintf(stderr, "allot convert: unknown converter '%s' (try 'allot convert --help')\n",
		which);
	return EXIT_USAGE;
}
