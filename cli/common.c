/*
 * common.c - helpers every subcommand uses: exit codes, loading a scenario
 * from a directory or a store, and the table printer.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "mem.h"

int cli_exit_code(int status)
{
	if (status == ALLOT_OK)
		return EXIT_OK;
	/* ENOTFOUND: a named scenario, run, order, partner ... the user gave. */
	return status == ALLOT_EINPUT || status == ALLOT_ELIMIT || status == ALLOT_ENOTFOUND
		       ? EXIT_USAGE
		       : EXIT_RUNTIME;
}

/* The --switch month given on the command line, checked against the
 * scenario's horizon once cli_load has read it. */
static allot_month opt_switch = ALLOT_NO_MONTH;
static const char *opt_switch_cmd = "";
int cli_load(const struct cli_source *src, struct allot_scenario **out)
{
	struct allot_diags d;
	allot_diags_init(&d);
	int rc;
	if (src->dir && src->db) {
		fprintf(stderr, "allot: give a scenario directory or --db, not both\n");
		return EXIT_USAGE;
	}
	if (src->dir) {
		rc = allot_scenario_load(src->dir, out, &d);
	} else if (src->db) {
		struct allot_store *st = NULL;
		rc = allot_store_open_existing(src->db, &st, &d);
		if (rc == ALLOT_ENOTFOUND) {
			fprintf(stderr,
				"allot: %s: no such store (create one with 'allot import DIR --db %s')\n",
				src->db, src->db);
			allot_diags_free(&d);
			return EXIT_USAGE;
		}
		if (rc == ALLOT_OK)
			rc = allot_store_get_scenario(st, src->scenario, out, &d);
		allot_store_close(st);
	} else {
		fprintf(stderr, "allot: no scenario: give a directory or --db FILE\n");
		return EXIT_USAGE;
	}
	if (rc != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		if (allot_diags_count(&d) == 0)
			fprintf(stderr, "allot: %s\n", allot_strerror(rc));
	}
	allot_diags_free(&d);
	if (rc == ALLOT_OK && opt_switch != ALLOT_NO_MONTH &&
	    (int64_t)opt_switch > (int64_t)(*out)->as_of + (*out)->horizon_months - 1) {
		char sw[8], end[8];
		allot_month_format(opt_switch, sw);
		allot_month_format((*out)->as_of + (*out)->horizon_months - 1, end);
		fprintf(stderr,
			"allot %s: --switch %s is after the horizon's last month %s: "
			"the whole plan would be first-come first-served (say "
			"--policy fcfs for that)\n",
			opt_switch_cmd, sw, end);
		allot_scenario_free(*out);
		*out = NULL;
		return EXIT_USAGE;
	}
	return cli_exit_code(rc);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "allot %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try 'allot %s --help')\n", cmd);
	return EXIT_USAGE;
}

/* Stores v in the field (an int or a long) at p. */
static void set_num(void *p, size_t size, long v)
{
	if (size == sizeof(long))
		*(long *)p = v;
	else
		*(int *)p = (int)v;
}

/* One option's value into args: 0, or -1 after a message. */
static int opt_value(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	char *f = (char *)args + op->off;
	long v;
	switch (op->type) {
	case CLI_T_FLAG:
		set_num(f, op->size, op->min);
		return 0;
	case CLI_T_STR:
		*(const char **)f = arg;
		return 0;
	case CLI_T_COUNT:
		if ((v = cli_parse_count(arg, op->max)) < op->min) {
			fprintf(stderr, "allot %s: --%s takes %s, not '%s'\n", cmd, op->name,
				op->what, arg);
			return -1;
		}
		set_num(f, op->size, v);
		return 0;
	case CLI_T_MONTH:
		return cli_opt_month(cmd, op->name, arg, (allot_month *)f);
	case CLI_T_YEAR:
		return cli_opt_year(cmd, op->name, arg, (int *)f);
	case CLI_T_POLICY:
		return cli_opt_policy(cmd, arg, (enum allot_policy_kind *)f);
	case CLI_T_TIER:
		if (cli_opt_tier(cmd, arg, &v) != 0)
			return -1;
		set_num(f, op->size, v);
		return 0;
	case CLI_T_FN:
	case CLI_T_FN0:
		return op->fn(cmd, op, arg, args);
	}
	return -1;
}

enum { LO_DB = 1000, LO_SCENARIO, LO_CSV, LO_JSON, LO_OWN };

int cli_parse(const struct cli_spec *sp, int argc, char **argv, void *args, struct cli_common *o)
{
	struct option lo[64];
	size_t n = 0;
	unsigned t = sp->takes;
	if (t & (CLI_SOURCE | CLI_DB))
		lo[n++] = (struct option){ "db", required_argument, NULL, LO_DB };
	if (t & (CLI_SOURCE | CLI_SCENARIO))
		lo[n++] = (struct option){ "scenario", required_argument, NULL, LO_SCENARIO };
	if (t & CLI_FORMAT) {
		lo[n++] = (struct option){ "csv", no_argument, NULL, LO_CSV };
		lo[n++] = (struct option){ "json", no_argument, NULL, LO_JSON };
	}
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	for (int i = 0; sp->opts && sp->opts[i].name && n < 63; i++)
		lo[n++] = (struct option){ sp->opts[i].name,
					   sp->opts[i].type == CLI_T_FLAG ||
							   sp->opts[i].type == CLI_T_FN0
						   ? no_argument
						   : required_argument,
					   NULL, LO_OWN + i };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	const char *cmd = sp->cmd;
	int c;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
		switch (c) {
		case LO_DB:
			o->src.db = optarg;
			break;
		case LO_SCENARIO:
			o->src.scenario = optarg;
			break;
		case LO_CSV:
			o->fmt = CLI_CSV;
			break;
		case LO_JSON:
			o->fmt = CLI_JSON;
			break;
		case 'h':
			sp->usage(stdout);
			return CLI_HELP;
		case ':':
			return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			if (optopt)
				return cli_usage_error(cmd, "unknown option '-%c'", optopt);
			return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		default:
			if (opt_value(cmd, &sp->opts[c - LO_OWN], optarg, args) != 0)
				return EXIT_USAGE;
		}
	}
	/* The command's own positionals first, then DIR. */
	int left = argc - optind;
	o->pos = argv + optind;
	o->npos = left < sp->max_pos ? left : sp->max_pos;
	int i = optind + o->npos;
	if ((t & CLI_SOURCE) && i < argc)
		o->src.dir = argv[i++];
	if (i < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
	return sp->check ? sp->check(args, o) : EXIT_OK;
}

int cli_start(const struct cli_spec *sp, int argc, char **argv, void *args, struct cli_common *o,
	      struct allot_scenario **s, int *rc)
{
	*s = NULL;
	*rc = cli_parse(sp, argc, argv, args, o);
	if (*rc == EXIT_OK)
		*rc = cli_load(&o->src, s);
	else if (*rc == CLI_HELP)
		*rc = EXIT_OK;
	return *rc == EXIT_OK && *s;
}

long cli_parse_count(const char *s, long max)
{
	char *end;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	return *end || errno || v > max ? -1 : v;
}

int cli_opt_policy(const char *cmd, const char *arg, enum allot_policy_kind *out)
{
	if (allot_policy_kind_parse(arg, out) == 0)
		return 0;
	fprintf(stderr, "allot %s: --policy takes fcfs or priority, not '%s'\n", cmd, arg);
	return -1;
}

int cli_opt_year(const char *cmd, const char *opt, const char *arg, int *out)
{
	long long v = cli_parse_count(arg, 9999);
	if (v >= 1000) {
		*out = (int)v;
		return 0;
	}
	fprintf(stderr, "allot %s: --%s takes a year YYYY such as 2024, not '%s'\n", cmd, opt, arg);
	return -1;
}

int cli_opt_month(const char *cmd, const char *opt, const char *arg, allot_month *out)
{
	if (strcmp(opt, "switch") == 0 && strcmp(arg, "none") == 0) {
		*out = ALLOT_SWITCH_NONE; /* never switch: the named policy throughout */
		opt_switch = ALLOT_NO_MONTH;
		return 0;
	}
	if (allot_month_parse(arg, out) == 0) {
		if (strcmp(opt, "switch") == 0) {
			opt_switch = *out;
			opt_switch_cmd = cmd;
		}
		return 0;
	}
	fprintf(stderr, "allot %s: --%s takes a month YYYY-MM, not '%s'\n", cmd, opt, arg);
	return -1;
}

int cli_opt_tier(const char *cmd, const char *arg, long *out)
{
	if ((*out = cli_parse_count(arg, ALLOT_MAX_TIERS)) >= 1)
		return 0;
	fprintf(stderr, "allot %s: --tier takes a tier number 1..%d, not '%s'\n", cmd,
		ALLOT_MAX_TIERS, arg);
	return -1;
}

static int by_rank(const void *a, const void *b)
{
	const struct cli_ranked *x = a, *y = b;
	if (x->sc.tier != y->sc.tier)
		return x->sc.tier - y->sc.tier;
	if (x->sc.score != y->sc.score)
		return x->sc.score > y->sc.score ? -1 : 1;
	return x->partner - y->partner;
}

struct cli_ranked *cli_rank_partners(const struct allot_scenario *s)
{
	struct cli_ranked *r = calloc(s->n_partners + 1, sizeof *r);
	if (!r)
		return NULL;
	for (size_t i = 0; i < s->n_partners; i++) {
		r[i].partner = (int)i;
		allot_score_partner(&s->policy, &s->partners[i], s->partners[i].invest_in_us_usd,
				    s->partners[i].eum_status, &r[i].sc);
	}
	qsort(r, s->n_partners, sizeof *r, by_rank);
	return r;
}

int cli_parse_usd(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		return -1;
	/* the multipliers of the what-if amounts (docs/whatif.md): k, m, b/bn,
	 * t/tn, so that --budget 12bn reads as --cap TWN:12bn does */
	size_t n;
	v *= allot_amount_multiplier(end, &n);
	end += n;
	if (*end != '\0' || !isfinite(v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

void cli_change_error(const char *cmd, const char *opt, enum allot_change_kind k, const char *arg,
		      const struct allot_change_error *err)
{
	if (err->col > 0)
		fprintf(stderr, "allot %s: --%s %s: column %d: %s\n", cmd, opt, arg, err->col,
			err->msg);
	else
		fprintf(stderr, "allot %s: --%s %s: %s\n", cmd, opt, arg, err->msg);
	fprintf(stderr, "  (--%s takes %s; docs/whatif.md)\n", opt, allot_change_syntax(k));
}

int cli_opt_change(const char *cmd, const char *opt, enum allot_change_kind k, const char *arg,
		   struct allot_change *out)
{
	struct allot_change_error err;
	if (allot_change_parse(k, arg, out, &err) == ALLOT_OK)
		return 0;
	cli_change_error(cmd, opt, k, arg, &err);
	return -1;
}

int cli_opt_change_add(const char *cmd, const char *opt, enum allot_change_kind k, const char *arg,
		       struct allot_change *v, size_t *n, size_t max)
{
	if (*n == max) {
		fprintf(stderr, "allot %s: at most %zu --%s\n", cmd, max, opt);
		return -1;
	}
	if (cli_opt_change(cmd, opt, k, arg, &v[*n]) != 0)
		return -1;
	++*n;
	return 0;
}

int cli_embargo_resolve(const char *cmd, const char *opt, const struct allot_scenario *s,
			struct allot_change *c, int default_months, struct allot_embargo *out)
{
	struct allot_change_error err;
	if (allot_change_embargo(s, c, default_months, out, &err) == ALLOT_OK)
		return 0;
	cli_change_error(cmd, opt, ALLOT_CHG_EMBARGO, c->text, &err);
	return -1;
}

void cli_storylines_beside(const char *dir, char *buf, size_t size)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s", dir);
	size_t n = strlen(tmp);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = '\0';
	snprintf(buf, size, "%s/storylines", dirname(tmp));
}

const char *cli_clip(const char *text, size_t width, char *buf, size_t size)
{
	size_t cps = 0, i = 0, cut = 0;
	for (; text[i]; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80) {
			if (cps == (width > 3 ? width - 3 : 0))
				cut = i;
			cps++;
		}
	if (cps <= width || width <= 3) {
		snprintf(buf, size, "%s", text);
		return buf;
	}
	snprintf(buf, size, "%.*s...", (int)cut, text);
	return buf;
}

const char *cli_clip_mark(const char *text, size_t width, char *buf, size_t size, int *cut)
{
	const char *c = cli_clip(text, width, buf, size);
	if (strcmp(c, text) != 0)
		*cut = 1;
	return c;
}

struct clipped {
	const char *clip, *text;
};

static int clipped_cmp(const void *a, const void *b)
{
	const struct clipped *x = a, *y = b;
	int r = strcmp(x->clip, y->clip);
	return r ? r : strcmp(x->text, y->text);
}

size_t cli_clip_width(const char *const *text, size_t n, size_t width)
{
	size_t longest = 0;
	for (size_t i = 0; i < n; i++) {
		size_t cps = 0;
		for (const char *c = text[i]; *c; c++)
			cps += ((unsigned char)*c & 0xC0) != 0x80;
		if (cps > longest)
			longest = cps;
	}
	if (width >= longest || width <= 3)
		return width;
	size_t stride = 4 * longest + 4;
	struct clipped *v = mem_calloc(n, sizeof *v);
	char *pool = mem_calloc(n, stride);
	if (!v || !pool) { /* no memory: names in full */
		mem_free(v);
		mem_free(pool);
		return longest;
	}
	for (; width < longest; width++) {
		for (size_t i = 0; i < n; i++) {
			v[i].clip = cli_clip(text[i], width, pool + i * stride, stride);
			v[i].text = text[i];
		}
		qsort(v, n, sizeof *v, clipped_cmp);
		size_t i = 1;
		while (i < n && !(strcmp(v[i].clip, v[i - 1].clip) == 0 &&
				  strcmp(v[i].text, v[i - 1].text) != 0))
			i++;
		if (i >= n)
			break;
	}
	mem_free(v);
	mem_free(pool);
	return width;
}

/* text wrapped before 80 columns: the first line after indent spaces, the
 * others after indent + 2 */
static void para(int indent, const char *text)
{
	struct buf w;
	buf_init(&w, 0);
	buf_wrap(&w, text, (size_t)(80 - indent - 2));
	const char *p = w.err || !w.v ? text : w.v;
	printf("%*s", indent, "");
	for (; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			printf("%*s", indent + 2, "");
	}
	putchar('\n');
	buf_free(&w);
}

void cli_legend(const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct buf w;
	buf_init(&w, 0);
	buf_wrap(&w, text, 80);
	printf("%s\n", w.err || !w.v ? text : w.v);
	buf_free(&w);
}

void cli_para(int indent, const char *fmt, ...)
{
	char text[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	para(indent, text);
}

const char *cli_rate_basis(const struct allot_scenario *s, int system)
{
	return allot_rate_basis_name(s->lines[s->systems[system].line].rate_basis);
}

const char *cli_rate_basis_text(const struct allot_scenario *s, int system)
{
	const char *b = cli_rate_basis(s, system);
	return *b ? b : ALLOT_SYM_NA;
}

int cli_progress_enabled(void)
{
	return isatty(STDERR_FILENO);
}

struct cli_table {
	int ncols;
	char **headers;
	int *numeric;
	char **cells;
	size_t n, cap;
};

struct cli_table *cli_table_new(int ncols, const char *const *headers, const int *numeric)
{
	struct cli_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->ncols = ncols;
	t->headers = calloc((size_t)ncols, sizeof *t->headers);
	t->numeric = calloc((size_t)ncols, sizeof *t->numeric);
	if (!t->headers || !t->numeric) {
		cli_table_free(t);
		return NULL;
	}
	for (int i = 0; i < ncols; i++) {
		t->headers[i] = strdup(headers[i]);
		t->numeric[i] = numeric ? numeric[i] : 0;
	}
	return t;
}

void cli_table_add(struct cli_table *t, const char *cell)
{
	if (!t)
		return;
	if (mem_grow(&t->cells, &t->cap, t->n + 1, sizeof *t->cells))
		return;
	t->cells[t->n++] = strdup(cell ? cell : "");
}

void cli_table_addf(struct cli_table *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cli_table_add(t, buf);
}

static void csv_cell(const char *s, FILE *out)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void json_string(const char *s, FILE *out)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* A numeric cell prints bare in JSON only when it is a JSON number. */
static int json_number(const char *s)
{
	if (!*s)
		return 0;
	char *end;
	strtod(s, &end);
	return *end == '\0' && strspn(s, "-0123456789.eE+") == strlen(s);
}

/* The code point of the UTF-8 sequence at s (n bytes), or -1 when it is
 * not valid UTF-8 (overlong, surrogate, past U+10FFFF, cut short). */
static long utf8_cp(const unsigned char *s, size_t *n)
{
	unsigned c = s[0];
	size_t k = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
	if (c >= 0xF5)
		k = 0;
	*n = 1;
	if (k == 0)
		return -1;
	long cp = c & (0x7F >> k);
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	static const long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < min[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*n = k;
	return cp;
}

/* Code points a terminal would act on or hide: C1 controls, bidi
 * embeddings, overrides and isolates, zero-width characters, the line and
 * paragraph separators and the byte order mark. */
static int hidden_cp(long cp)
{
	return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x180E ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

char *cli_term_text(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *b = malloc(n * 6 + 1); /* \uXXXX is 6 bytes for 2 or 3 */
	if (!b)
		return NULL;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t k = 1;
		long cp = u[i] < 0x80 ? u[i] : utf8_cp(u + i, &k);
		if (cp < 0 || cp < 0x20 || cp == 0x7F)
			o += (size_t)sprintf(b + o, "\\x%02X", u[i]);
		else if (hidden_cp(cp))
			o += (size_t)sprintf(b + o, "\\u%04lX", cp);
		else
			memcpy(b + o, s + i, k), o += k;
		i += k;
	}
	b[o] = '\0';
	return b;
}

/* Display width of UTF-8 text: counts code points, not bytes. */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

void cli_table_print(const struct cli_table *t, enum cli_format f, FILE *out)
{
	if (!t)
		return;
	size_t rows = t->n / (size_t)t->ncols;
	int nc = t->ncols;
	if (f == CLI_CSV) {
		for (int c = 0; c < nc; c++) {
			if (c)
				fputc(',', out);
			csv_cell(t->headers[c], out);
		}
		fputc('\n', out);
		for (size_t r = 0; r < rows; r++) {
			for (int c = 0; c < nc; c++) {
				if (c)
					fputc(',', out);
				csv_cell(t->cells[r * nc + c], out);
			}
			fputc('\n', out);
		}
		return;
	}
	if (f == CLI_JSON) {
		fputs("[", out);
		for (size_t r = 0; r < rows; r++) {
			fputs(r ? ",\n {" : "\n {", out);
			for (int c = 0; c < nc; c++) {
				const char *v = t->cells[r * nc + c];
				if (c)
					fputs(", ", out);
				json_string(t->headers[c], out);
				fputs(": ", out);
				if (t->numeric[c] == CLI_COL_NUM && json_number(v))
					fputs(v, out);
				else if (t->numeric[c] && !*v) /* a number or a nullable text */
					fputs("null", out);
				else
					json_string(v, out);
			}
			fputc('}', out);
		}
		fputs(rows ? "\n]\n" : "]\n", out);
		return;
	}
	/* A terminal: control, escape, bidi and zero-width characters in names
	 * and ids are shown escaped, as in error messages (CSV and JSON keep
	 * the bytes). */
	size_t *w = calloc((size_t)nc, sizeof *w);
	char **esc = calloc(t->n + 1, sizeof *esc);
	if (!w || !esc) {
		free(w);
		free(esc);
		return;
	}
	for (size_t i = 0; i < t->n; i++)
		if (!(esc[i] = cli_term_text(t->cells[i])))
			goto done;
	for (int c = 0; c < nc; c++)
		w[c] = width(t->headers[c]);
	for (size_t i = 0; i < t->n; i++) {
		size_t cw = width(esc[i]);
		if (cw > w[i % nc])
			w[i % nc] = cw;
	}
	for (size_t r = 0; r <= rows; r++) {
		for (int c = 0; c < nc; c++) {
			const char *v = r == 0 ? t->headers[c] : esc[(r - 1) * nc + c];
			size_t pad = w[c] - width(v);
			if (t->numeric[c] == CLI_COL_NUM)
				fprintf(out, "%*s%s", (int)pad, "", v);
			else if (c == nc - 1)
				fputs(v, out);
			else
				fprintf(out, "%s%*s", v, (int)pad, "");
			if (c != nc - 1)
				fputs("  ", out);
		}
		fputc('\n', out);
	}
done:
	for (size_t i = 0; i < t->n; i++)
		free(esc[i]);
	free(esc);
	free(w);
}

void cli_table_free(struct cli_table *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->ncols && t->headers; i++)
		free(t->headers[i]);
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->headers);
	free(t->numeric);
	mem_free(t->cells);
	free(t);
}

const char *cli_tree_path(const char *rel, char *buf, size_t n)
{
	if (access(rel, R_OK) == 0)
		return rel;
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0)
		return NULL;
	exe[len] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	if ((size_t)snprintf(buf, n, "%s/../%s", exe, rel) >= n)
		return NULL;
	return access(buf, R_OK) == 0 ? buf : NULL;
}

const char *cli_default_data(char *buf, size_t n)
{
	const char *raw = cli_tree_path("data/raw", buf, n);
	if (!raw)
		return NULL;
	if (raw != buf)
		return "data";
	buf[strlen(buf) - strlen("/raw")] = '\0';
	return buf;
}

int cli_book_share(const char *cmd, const char *arg, struct allot_book_share *out)
{
	if (allot_book_share_parse(arg, out) == 0)
		return 0;
	fprintf(stderr,
		"allot %s: --book-share takes off, delivered, capacity, taken or need, then any "
		"of ,pooled ,wip ,then-all, not '%s'\n",
		cmd, arg);
	return -1;
}

int cli_backtest(const char *cmd, const char *data, const struct allot_backtest_options *o,
		 struct allot_backtest **out)
{
	char buf[PATH_MAX], raw[PATH_MAX + 16], src[PATH_MAX + 16], map[PATH_MAX + 16];
	if (!data)
		data = cli_default_data(buf, sizeof buf);
	if (!data) {
		fprintf(stderr,
			"allot %s: no data directory with raw/ and sources/ found (run "
			"from the source tree or give --data DIR)\n",
			cmd);
		return EXIT_USAGE;
	}
	snprintf(raw, sizeof raw, "%s/raw", data);
	snprintf(src, sizeof src, "%s/sources", data);
	snprintf(map, sizeof map, "%s/mappings", data);
	struct allot_convert_dirs dirs = { .raw = raw, .sources = src, .mappings = map };
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = allot_backtest_run(&dirs, o, out, &d);
	allot_diags_print(&d, stderr);
	allot_diags_free(&d);
	if (rc != ALLOT_OK) {
		fprintf(stderr, "allot %s: %s%s\n", cmd,
			strcmp(cmd, "backtest") ? "backtest: " : "", allot_strerror(rc));
		return cli_exit_code(rc);
	}
	return EXIT_OK;
}

int cli_resolve(const char *cmd, const struct allot_scenario *s, enum allot_kind k,
		const char *text)
{
	char msg[512];
	int i = allot_lookup_msg(s, k, text, msg, sizeof msg);
	if (i < 0)
		fprintf(stderr, "allot %s: %s\n", cmd, msg);
	return i;
}

int cli_resolve_list(const char *cmd, const struct allot_scenario *s, enum allot_kind k,
		     const char *text, int **out, size_t *n)
{
	char msg[512];
	if (allot_lookup_list(s, k, text, out, n, msg, sizeof msg) == ALLOT_OK)
		return 0;
	fprintf(stderr, "allot %s: %s\n", cmd, msg);
	return -1;
}

int cli_run_id(const char *cmd, const struct allot_run_info *v, size_t n, const char *text,
	       int64_t *id)
{
	char *end;
	long long num = strtoll(text, &end, 10);
	if (*text && !*end && num >= 1) {
		*id = num;
		return 0;
	}
	size_t hits = 0, plen = strlen(text);
	for (int exact = 1; exact >= 0 && hits == 0; exact--)
		for (size_t i = 0; i < n; i++) {
			const char *l = v[i].label;
			if (!l || !*text)
				continue;
			if (exact ? strcasecmp(l, text) == 0 : strncasecmp(l, text, plen) == 0) {
				if (hits++ == 0)
					*id = v[i].id;
			}
		}
	if (hits == 1)
		return 0;
	if (hits > 1)
		fprintf(stderr, "allot %s: '%s' matches %zu run labels; give the run id\n", cmd,
			text, hits);
	else
		fprintf(stderr,
			"allot %s: no run '%s': give a run id or a label (see 'allot runs "
			"--db FILE')\n",
			cmd, text);
	return -1;
}

/* compare and whatif tables: the change of two USD sums (unknown when
 * both are), and the units of unknown cost with their change. */
void cli_usd_change_cell(struct cli_table *t, const struct allot_usd u[2], double delta)
{
	if (allot_usd_all_unknown(&u[0]) && allot_usd_all_unknown(&u[1]))
		cli_table_add(t, ALLOT_SYM_UNKNOWN); /* as --csv's null */
	else {
		char b[32];
		cli_table_add(t, allot_fmt_delta(delta / 1e6, 1, b));
	}
}

void cli_unknown_units_cell(struct cli_table *t, const struct allot_usd u[2])
{
	char d[32];
	cli_table_addf(t, "%lld (%s)", (long long)u[1].unknown_units,
		       allot_fmt_delta_int(u[1].unknown_units - u[0].unknown_units, d));
}

void cli_cost_estimate_note(const struct allot_scenario *s, int indent)
{
	char *ordered = mem_calloc(s->n_systems + 1, 1);
	if (!ordered)
		return;
	size_t n = 0, est = 0;
	for (size_t i = 0; i < s->n_orders; i++)
		ordered[s->orders[i].system] = 1;
	for (size_t k = 0; k < s->n_systems; k++) {
		const struct allot_system *y = &s->systems[k];
		n += ordered[k];
		est += ordered[k] && y->unit_cost_basis == ALLOT_RATE_ESTIMATE &&
		       allot_cost_known(y->unit_cost_usd);
	}
	free(ordered);
	if (est)
		cli_para(indent,
			 "USD values: at unit cost, an estimate resting on estimated unit costs "
			 "for %zu of the %zu systems ordered " CLI_EST_COST_SOURCE,
			 est, n);
}
