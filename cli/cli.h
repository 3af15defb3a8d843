/*
 * cli.h - what the subcommands of `allot` share: the command table entry,
 * exit codes, scenario loading from a directory or a store, and the table
 * printer behind every listing (aligned text, --csv or --json).
 */
#ifndef ALLOT_CLI_H
#define ALLOT_CLI_H

#include <allot/allot.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
};

extern const struct cli_command cli_commands[];

/* Subcommands, one file each (cli/cmd_<name>.c). */
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_quote(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_minerals(int argc, char **argv);
int cmd_risk(int argc, char **argv);
int cmd_opportunities(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_reserve(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_pipeline(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_whatif(int argc, char **argv);
int cmd_orders(int argc, char **argv);
int cmd_systems(int argc, char **argv);
int cmd_lines(int argc, char **argv);
int cmd_partners(int argc, char **argv);
int cmd_runs(int argc, char **argv);

/* Exit code for a library status: bad input is 2, anything else 1. */
int cli_exit_code(int status);

/* Where a command reads its scenario from: a directory (positional) or a
 * store (--db FILE, --scenario NAME). */
struct cli_source {
	const char *dir;
	const char *db;
	const char *scenario;
};

/* Loads the scenario; prints diagnostics to stderr.  Returns an exit code
 * (EXIT_OK on success) and sets *out. */
int cli_load(const struct cli_source *src, struct allot_scenario **out);

/* Resolves what the user typed for an id (an id, a name or a unique prefix,
 * lib/lookup.c).  Returns the index, or -1 after "allot CMD: no partner
 * 'PLO' in the scenario; did you mean POL (Poland)?" on stderr. */
int cli_resolve(const char *cmd, const struct allot_scenario *s, enum allot_kind k,
		const char *text);
/* A comma-separated list ("POL,ISR", "Poland, Israel"): the indices into
 * *out (caller frees), count in *n.  -1 after a message on the first miss. */
int cli_resolve_list(const char *cmd, const struct allot_scenario *s, enum allot_kind k,
		     const char *text, int **out, size_t *n);

/* A run named by its id (a number >= 1) or by its label among the listed
 * runs (ignoring case, or a unique prefix).  0 and *id, or -1 after a
 * message naming the problem. */
int cli_run_id(const char *cmd, const struct allot_run_info *v, size_t n, const char *text,
	       int64_t *id);

/* Output formats for listings. */
enum cli_format { CLI_TEXT = 0, CLI_CSV, CLI_JSON };
/* `allot reserve` at the economy's scale (cmd_reserve_economy.c): loads the
 * critical_minerals.csv at path, runs and prints; returns the exit code. */
int cli_reserve_economy(const struct allot_scenario *s, const char *path,
			const struct allot_xreserve_options *o, enum cli_format fmt);

/* A table built row by row, printed at the end in the chosen format.
 * numeric[c]: CLI_COL_NUM columns are right-aligned in text and unquoted in
 * JSON; CLI_COL_NULLABLE columns are text (a month, a basis) whose empty
 * cell is a missing value: JSON null, never "".  An empty numeric cell is
 * null too; 0 is plain text, "" stays "". */
enum { CLI_COL_TEXT = 0, CLI_COL_NUM = 1, CLI_COL_NULLABLE = 2 };
struct cli_table;
struct cli_table *cli_table_new(int ncols, const char *const *headers, const int *numeric);
/* Appends a cell to the current row; a row is complete after ncols cells. */
void cli_table_add(struct cli_table *t, const char *cell);
struct json_t;
/* Prints an answer's JSON (indented, keys in order; real_precision 0: the
 * API's, 15 digits) and frees it; "null" when it is NULL (out of memory). */
void cli_json_print(struct json_t *root, int real_precision);

void cli_table_addf(struct cli_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_table_print(const struct cli_table *t, enum cli_format f, FILE *out);
/* s made safe for a terminal (malloc'd; NULL when out of memory): control
 * characters and invalid UTF-8 bytes as \xHH, C1 controls, bidi and
 * zero-width characters as \uXXXX.  Tables in text form use it. */
char *cli_term_text(const char *s);
void cli_table_free(struct cli_table *t);

/* Options shared by the commands that read a scenario and print listings:
 * DIR | --db FILE [--scenario NAME], --csv | --json.  cli_parse fills it. */
struct cli_common {
	struct cli_source src;
	enum cli_format fmt;
	char **pos; /* the command's own positionals (cli_spec.max_pos at most) */
	int npos;
};

/* One option of a command, in a table ended by { NULL }.  The value goes
 * to the field at off in the command's argument struct (size bytes: an int,
 * a long or a pointer).  Build entries with the CLI_OPT_* macros below. */
enum cli_opt_type {
	CLI_T_FLAG,   /* no value: the field becomes min */
	CLI_T_STR,    /* the text itself (const char *) */
	CLI_T_COUNT,  /* a plain decimal min..max (cli_parse_count), else
		       * "allot CMD: --NAME takes WHAT, not 'ARG'" */
	CLI_T_MONTH,  /* YYYY-MM (cli_opt_month) */
	CLI_T_YEAR,   /* YYYY (cli_opt_year) */
	CLI_T_POLICY, /* fcfs or priority (cli_opt_policy) */
	CLI_T_TIER,   /* 1..ALLOT_MAX_TIERS (cli_opt_tier) */
	CLI_T_FN,     /* fn(cmd, op, arg, args) with a value: 0, or -1 after a message */
	CLI_T_FN0,    /* fn(cmd, op, NULL, args) without a value */
};
struct cli_opt {
	const char *name;
	enum cli_opt_type type;
	size_t off, size;
	long min, max;
	const char *what;
	int (*fn)(const char *cmd, const struct cli_opt *op, const char *arg, void *args);
};
/* Rows of a struct cli_opt table.  clang-format off: it reads a macro whose
 * body is a braced list as a block and spreads it over four lines. */
/* clang-format off */
#define CLI_FIELD(T, f) offsetof(T, f), sizeof(((T *)0)->f)
#define CLI_OPT_FLAG(name, T, f) { name, CLI_T_FLAG, CLI_FIELD(T, f), 1, 0, NULL, NULL }
#define CLI_OPT_SET(name, T, f, v) { name, CLI_T_FLAG, CLI_FIELD(T, f), v, 0, NULL, NULL }
#define CLI_OPT_STR(name, T, f) { name, CLI_T_STR, CLI_FIELD(T, f), 0, 0, NULL, NULL }
#define CLI_OPT_COUNT(name, T, f, lo, hi, what) \
	{ name, CLI_T_COUNT, CLI_FIELD(T, f), lo, hi, what, NULL }
#define CLI_OPT_MONTH(name, T, f) { name, CLI_T_MONTH, CLI_FIELD(T, f), 0, 0, NULL, NULL }
#define CLI_OPT_YEAR(name, T, f) { name, CLI_T_YEAR, CLI_FIELD(T, f), 0, 0, NULL, NULL }
#define CLI_OPT_POLICY(T, f) { "policy", CLI_T_POLICY, CLI_FIELD(T, f), 0, 0, NULL, NULL }
#define CLI_OPT_SWITCH(T, f) CLI_OPT_MONTH("switch", T, f)
#define CLI_OPT_TIER(T, f) { "tier", CLI_T_TIER, CLI_FIELD(T, f), 0, 0, NULL, NULL }
#define CLI_OPT_FN(name, fn) { name, CLI_T_FN, 0, 0, 0, 0, NULL, fn }
#define CLI_OPT_FN0(name, fn) { name, CLI_T_FN0, 0, 0, 0, 0, NULL, fn }
/* A value checked by fn, which may use the field, min, max and what. */
#define CLI_OPT_FNF(name, T, f, lo, hi, what, fn) \
	{ name, CLI_T_FN, CLI_FIELD(T, f), lo, hi, what, fn }
/* clang-format on */

/* What a command takes besides its own options (cli_spec.takes). */
enum {
	CLI_SOURCE = 1,  /* DIR | --db FILE [--scenario NAME]: one positional DIR */
	CLI_FORMAT = 2,  /* --csv | --json */
	CLI_DB = 4,      /* --db FILE only */
	CLI_SCENARIO = 8 /* --scenario NAME (with CLI_DB) */
};
struct cli_spec {
	const char *cmd;
	void (*usage)(FILE *out);
	const struct cli_opt *opts;
	unsigned takes;
	int max_pos; /* the command's own positionals (o->pos), before any DIR */
	/* Checks what the options say together once parsed (NULL: none):
	 * EXIT_OK, or EXIT_USAGE after a message. */
	int (*check)(void *args, struct cli_common *o);
};
/* Parses argv (argv[0] the command) by the spec: options into args and *o,
 * -h/--help prints the usage to stdout.  Returns EXIT_OK, CLI_HELP after
 * the help, or EXIT_USAGE after one line "allot CMD: unknown option '--x'
 * (try 'allot CMD --help')" (or a value's own message) on stderr. */
enum { CLI_HELP = -1 };
int cli_parse(const struct cli_spec *sp, int argc, char **argv, void *args, struct cli_common *o);
/* cli_parse, then cli_load into *s: 1 when the command goes on, else 0 and
 * *rc is the command's exit code (0 after --help). */
int cli_start(const struct cli_spec *sp, int argc, char **argv, void *args, struct cli_common *o,
	      struct allot_scenario **s, int *rc);
/* "allot CMD: MESSAGE (try 'allot CMD --help')" on stderr; EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Strict parsers for option values; each returns -1 on anything else.
 * cli_parse_count: a plain non-negative decimal integer <= max.
 * cli_parse_usd: "12e9", "12000000000", "12b", "12bn", "950m", "40k", "1t" (>= 0;
 * the multipliers of the what-if amounts). */
long cli_parse_count(const char *s, long max);
/* --policy and month options: 0, or a message "allot CMD: --OPT takes ...,
 * not 'ARG'" on stderr and -1. */
int cli_opt_policy(const char *cmd, const char *arg, enum allot_policy_kind *out);
int cli_opt_month(const char *cmd, const char *opt, const char *arg, allot_month *out);
/* --OPT YYYY (1000..9999) into *out: 0, or a message on stderr and -1. */
int cli_opt_year(const char *cmd, const char *opt, const char *arg, int *out);
int cli_parse_usd(const char *s, double *out);
/* A change in the one grammar of docs/whatif.md given as option --OPT
 * (--embargo, --reserve-embargo, --cap ...): 0, or on stderr "allot CMD:
 * --OPT ARG: column N: expected ..." and what the option takes, and -1. */
int cli_opt_change(const char *cmd, const char *opt, enum allot_change_kind k, const char *arg,
		   struct allot_change *out);
/* cli_opt_change into v[*n], counting it; more than max is refused with
 * "allot CMD: at most MAX --OPT".  0, or a message and -1. */
int cli_opt_change_add(const char *cmd, const char *opt, enum allot_change_kind k, const char *arg,
		       struct allot_change *v, size_t *n, size_t max);
/* The message of a change that does not parse or apply, as cli_opt_change
 * prints it (stderr). */
void cli_change_error(const char *cmd, const char *opt, enum allot_change_kind k, const char *arg,
		      const struct allot_change_error *err);
/* Resolves a parsed embargo once the scenario is loaded (default_months
 * when it has no +MONTHS; 0: to the horizon): 0, or a message and -1. */
int cli_embargo_resolve(const char *cmd, const char *opt, const struct allot_scenario *s,
			struct allot_change *c, int default_months, struct allot_embargo *out);

/* The storylines folder next to a scenario directory: DIR/../storylines
 * (data/storylines for data/default), whether or not it exists. */
void cli_storylines_beside(const char *dir, char *buf, size_t size);
/* --tier N: a tier number 1..ALLOT_MAX_TIERS into *out; else a message and -1. */
int cli_opt_tier(const char *cmd, const char *arg, long *out);

/* Every partner scored under the scenario's policy, best first (tier, then
 * score descending, then file order), as `allot score` ranks them.  NULL
 * when out of memory; the caller frees. */
struct cli_ranked {
	int partner;
	struct allot_score sc;
};
struct cli_ranked *cli_rank_partners(const struct allot_scenario *s);

/* rel (a path inside the source tree, such as data/raw) as found from the
 * current directory, else above the directory holding the allot binary
 * (the build directory); NULL when neither exists.  buf may receive it. */
const char *cli_tree_path(const char *rel, char *buf, size_t n);
/* The data directory holding raw/, sources/ and mappings/: data in the
 * current directory, else the source tree's above the allot binary; NULL
 * when neither exists.  buf (PATH_MAX) may receive the path. */
const char *cli_default_data(char *buf, size_t n);
/* --book-share RULE (allot_book_share_parse) into *out: 0, or -1 after a
 * message naming the accepted rules. */
int cli_book_share(const char *cmd, const char *arg, struct allot_book_share *out);
/* Runs the backtest (docs/backtest.md) on the data directory data (NULL:
 * cli_default_data) with options o; prints diagnostics.  Returns an
 * exit code and sets *out. */
int cli_backtest(const char *cmd, const char *data, const struct allot_backtest_options *o,
		 struct allot_backtest **out);
/* text cut to at most width code points, ending in "..." (3 dots) when cut,
 * so that wide text tables fit 100 columns; buf holds >= 4 * width + 1. */
const char *cli_clip(const char *text, size_t width, char *buf, size_t size);
/* The smallest width >= width (the longest text's at most) at which the n
 * texts that differ still differ once clipped by cli_clip: two names cut
 * to the same "..." would read as one. */
size_t cli_clip_width(const char *const *text, size_t n, size_t width);
/* cli_clip, setting *cut to 1 when it cut the text. */
const char *cli_clip_mark(const char *text, size_t width, char *buf, size_t size, int *cut);
/* The legend's note when some name was clipped. */
#define CLI_CUT_NOTE "; names cut with \"...\": --wide shows them in full"
/* The line below a text table that spells out its short headers and
 * units: printed wrapped before 80 columns, ending in a newline. */
void cli_legend(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A sentence of an answer: indent spaces, the text wrapped before 80
 * columns with its other lines 2 further in, and a newline. */
void cli_para(int indent, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The rate basis of system's line: "estimate", "cited" or "" (unstated). */
const char *cli_rate_basis(const struct allot_scenario *s, int system);
/* The same for a text table: "n/a" when unstated, never a blank cell. */
const char *cli_rate_basis_text(const struct allot_scenario *s, int system);
/* Where an estimated unit cost comes from, as the USD legends name it. */
#define CLI_EST_COST_SOURCE "(estimated unit costs: 'allot systems', basis)"
/* The note under a text answer whose USD values rest on the unit costs of
 * the systems ordered: how many of them are estimates (a cli_para at
 * indent); nothing when none is. */
void cli_cost_estimate_note(const struct allot_scenario *s, int indent);

/* compare's and whatif's group tables (common.c): the change from
 * u[0] to u[1] in USD million, signed, or ALLOT_SYM_UNKNOWN when both sums
 * are unknown (as the --csv/--json cell, allot_usd_cell). */
void cli_usd_change_cell(struct cli_table *t, const struct allot_usd u[2], double delta);
/* ... and their unknown_cost_units cell: the units of unknown cost in u[1]
 * (delivered by the year under the second policy, or with the changes),
 * and their change from u[0]: "5 (+2)", "5 (0)". */
void cli_unknown_units_cell(struct cli_table *t, const struct allot_usd u[2]);

/* True when stderr is a terminal (progress is shown only then). */
int cli_progress_enabled(void);

#endif
