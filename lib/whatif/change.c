/*
 * change.c - the one grammar of what-if changes (docs/whatif.md): parses
 * `--cap TWN:400bnTWD@2026-05`, `--invest SAU:thaad:2bn:+4@2028-01`,
 * `--embargo china:gallium@2026-03+24`, `--us-share gmlrs:0.8@2026-06+12`,
 * `--rate pac3-mse:2000/12@2027-01`, `--status TUR:violation@2026-05`,
 * `--weight geography:0.4`, `--catalog himars:2@2026-06` and
 * `--eeum javelin@2026-05`, reporting the exact column of a mistake and
 * what was expected there.  Every command (whatif, minerals, reserve,
 * sweep, report), the API and the storylines' changes.txt go through
 * allot_change_parse, so a change means the same thing everywhere.
 *
 * Parsing needs no scenario; allot_changes_apply (apply.c) resolves names
 * against one and turns each change into the rows the planner reads.
 */
#include <allot/allot.h>

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "whatif/whatif_int.h"

static const struct {
	const char *flag, *syntax;
} kinds[ALLOT_CHG_COUNT] = {
	[ALLOT_CHG_CAP] = { "cap", "ISO3:AMOUNT[CUR]@YYYY-MM" },
	[ALLOT_CHG_INVEST] = { "invest", "ISO3:LINE:USD:+RATE@ONLINE" },
	[ALLOT_CHG_EMBARGO] = { "embargo", "SOURCE[:MINERAL]@START[+MONTHS]" },
	[ALLOT_CHG_US_SHARE] = { "us-share", "LINE:SHARE@YYYY-MM[+MONTHS]" },
	[ALLOT_CHG_RATE] = { "rate", "LINE:RATE@YYYY-MM" },
	[ALLOT_CHG_STATUS] = { "status", "ISO3:STATUS@YYYY-MM" },
	[ALLOT_CHG_WEIGHT] = { "weight", "CRITERION:W[@YYYY-MM]" },
	[ALLOT_CHG_CATALOG] = { "catalog", "SYSTEM[:TIER]@YYYY-MM" },
	[ALLOT_CHG_EEUM] = { "eeum", "SYSTEM[:0|1]@YYYY-MM" },
};

const char *allot_change_flag(enum allot_change_kind k)
{
	return (unsigned)k < ALLOT_CHG_COUNT ? kinds[k].flag : "?";
}

const char *allot_change_syntax(enum allot_change_kind k)
{
	return (unsigned)k < ALLOT_CHG_COUNT ? kinds[k].syntax : "?";
}

int allot_change_kind_parse(const char *flag)
{
	if (flag[0] == '-' && flag[1] == '-')
		flag += 2;
	for (int k = 0; k < ALLOT_CHG_COUNT; k++)
		if (strcmp(flag, kinds[k].flag) == 0)
			return k;
	return -1;
}

/* ---------------------------------------------------------------------- */
/* A cursor over the text, with errors at a character column                */

struct cur {
	const char *text; /* the whole text (columns count from here) */
	const char *p;
	struct allot_change_error *err;
};

int whatif_col(const char *text, const char *at)
{
	int col = 1;
	for (const char *q = text; q < at && *q; q++)
		col += ((unsigned char)*q & 0xC0) != 0x80;
	return col;
}

/* The token at p for messages: up to the next delimiter of the grammar. */
static void token(const char *p, char *buf, size_t size)
{
	size_t n = strcspn(p, ":@+");
	if (n == 0 && *p)
		n = 1;
	if (!*p) {
		snprintf(buf, size, "the end");
		return;
	}
	snprintf(buf, size, "\"%.*s\"", (int)(n < 60 ? n : 60), p);
}

static int fail(struct cur *c, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct cur *c, const char *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
	va_end(ap);
	c->err->col = at ? whatif_col(c->text, at) : 0;
	return ALLOT_EINPUT;
}

static int expect_char(struct cur *c, char ch, const char *what)
{
	char tok[80];
	if (*c->p == ch) {
		c->p++;
		return ALLOT_OK;
	}
	token(c->p, tok, sizeof tok);
	return fail(c, c->p, "expected '%c' before %s, found %s", ch, what, tok);
}

/* A name up to the next ':' / '@' / '+' (per `stops`), non-empty. */
static int name(struct cur *c, const char *stops, const char *what, char *out, int *col)
{
	size_t n = strcspn(c->p, stops);
	char tok[80];
	if (n == 0) {
		token(c->p, tok, sizeof tok);
		return fail(c, c->p, "expected %s, found %s", what, tok);
	}
	if (n >= ALLOT_CHANGE_TEXT_MAX)
		return fail(c, c->p, "expected %s of at most %d bytes", what,
			    ALLOT_CHANGE_TEXT_MAX - 1);
	memcpy(out, c->p, n);
	out[n] = '\0';
	*col = whatif_col(c->text, c->p);
	c->p += n;
	return ALLOT_OK;
}

/* Length of a plain decimal number at p: digits[.digits][e[+-]digits]. */
static size_t number_len(const char *p)
{
	const char *q = p;
	while (isdigit((unsigned char)*q))
		q++;
	if (*q == '.') {
		q++;
		while (isdigit((unsigned char)*q))
			q++;
	}
	if (q == p || (q == p + 1 && *p == '.'))
		return 0;
	if ((*q == 'e' || *q == 'E') &&
	    (isdigit((unsigned char)q[1]) ||
	     ((q[1] == '+' || q[1] == '-') && isdigit((unsigned char)q[2])))) {
		q += 2;
		while (isdigit((unsigned char)*q))
			q++;
	}
	return (size_t)(q - p);
}

static int number(struct cur *c, const char *what, double *out, int *col)
{
	size_t n = number_len(c->p);
	char tok[80], buf[64];
	if (n == 0 || n >= sizeof buf) {
		token(c->p, tok, sizeof tok);
		return fail(c, c->p, "expected %s (a number such as 12, 0.5 or 4e9), found %s",
			    what, tok);
	}
	memcpy(buf, c->p, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	if (!isfinite(*out))
		return fail(c, c->p, "expected %s, found a number too large", what);
	if (col)
		*col = whatif_col(c->text, c->p);
	c->p += n;
	return ALLOT_OK;
}

/* NUMBER or NUMBER/NUMBER (400/12: 400 a year as a monthly rate). */
static int fraction(struct cur *c, const char *what, double *out, int *col)
{
	int rc = number(c, what, out, col);
	if (rc == ALLOT_OK && *c->p == '/') {
		c->p++;
		const char *at = c->p;
		double d;
		if ((rc = number(c, "a divisor after '/'", &d, NULL)) != ALLOT_OK)
			return rc;
		if (d == 0)
			return fail(c, at,
				    "expected a divisor other than 0 after '/', found \"0\"");
		*out /= d;
	}
	return rc;
}

double allot_amount_multiplier(const char *p, size_t *len)
{
	static const struct {
		const char *s;
		double m;
	} suf[] = { { "bn", 1e9 }, { "tn", 1e12 }, { "k", 1e3 }, { "K", 1e3 }, { "m", 1e6 },
		    { "M", 1e6 },  { "b", 1e9 },   { "B", 1e9 }, { "t", 1e12 } };
	for (size_t i = 0; i < sizeof suf / sizeof *suf; i++) {
		size_t n = strlen(suf[i].s);
		if (strncmp(p, suf[i].s, n) == 0) {
			*len = n;
			return suf[i].m;
		}
	}
	*len = 0;
	return 1;
}

/* An optional k, m, b, bn, t or tn multiplier (K, M, B also). */
static double multiplier(struct cur *c)
{
	size_t n;
	double m = allot_amount_multiplier(c->p, &n);
	c->p += n;
	return m;
}

static int is_currency(const char *p)
{
	return isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]) &&
	       isupper((unsigned char)p[2]);
}

/* AMOUNT[k|m|b|bn|t|tn][CUR]: an amount of money; CUR only when `cur`. */
static int money(struct cur *c, struct allot_change *ch, const char *what, double *out, int cur)
{
	int rc = number(c, what, out, &ch->col_amount);
	if (rc != ALLOT_OK)
		return rc;
	/* "5BRL": three capitals after the number are a currency, not B. */
	if (!(cur && is_currency(c->p) && strchr(":@", c->p[3])))
		*out *= multiplier(c);
	if (cur && is_currency(c->p)) {
		ch->col_currency = whatif_col(c->text, c->p);
		memcpy(ch->currency, c->p, 3);
		ch->currency[3] = '\0';
		c->p += 3;
	}
	if (!isfinite(*out))
		return fail(c, NULL, "expected %s, found an amount too large", what);
	return ALLOT_OK;
}

static int month_at(struct cur *c, struct allot_change *ch, const char *what)
{
	char buf[16], tok[80];
	size_t n = strcspn(c->p, "+:@");
	const char *at = c->p;
	if (n == 7) {
		memcpy(buf, c->p, 7);
		buf[7] = '\0';
		if (allot_month_parse(buf, &ch->month) == 0) {
			ch->col_month = whatif_col(c->text, at);
			c->p += 7;
			return ALLOT_OK;
		}
	}
	token(c->p, tok, sizeof tok);
	return fail(c, at, "expected %s as a month YYYY-MM (month 01 to 12), found %s", what, tok);
}

/* The decimal digits at `at` as *v: their count, or 0 when there are none
 * or more than max. */
static size_t digits(const char *at, size_t max, long *v)
{
	size_t n = 0;
	*v = 0;
	while (n < max && isdigit((unsigned char)at[n]))
		*v = *v * 10 + (at[n++] - '0');
	return isdigit((unsigned char)at[n]) ? 0 : n;
}

/* [+MONTHS]: 1..1200 (range check kept minimal here: docs/limits.md). */
static int plus_months(struct cur *c, struct allot_change *ch)
{
	if (*c->p != '+')
		return ALLOT_OK;
	c->p++;
	const char *at = c->p;
	char tok[80];
	long v;
	size_t n = digits(at, 6, &v);
	if (n == 0 || v < 1 || v > 1200) {
		token(at, tok, sizeof tok);
		return fail(c, at, "expected a number of months from 1 to 1200 after '+', found %s",
			    tok);
	}
	ch->months = (int)v;
	c->p += n;
	return ALLOT_OK;
}

static int at_end(struct cur *c, const char *after)
{
	char tok[80];
	if (!*c->p)
		return ALLOT_OK;
	token(c->p, tok, sizeof tok);
	return fail(c, c->p, "expected the end after %s, found %s", after, tok);
}

static int range(struct cur *c, int col, double v, double lo, double hi, const char *what)
{
	if (v >= lo && v <= hi)
		return ALLOT_OK;
	c->err->col = col;
	if (hi == INFINITY)
		snprintf(c->err->msg, sizeof c->err->msg, "expected %s >= %g, found %g", what, lo,
			 v);
	else
		snprintf(c->err->msg, sizeof c->err->msg, "expected %s from %g to %g, found %g",
			 what, lo, hi, v);
	return ALLOT_EINPUT;
}

/* ---------------------------------------------------------------------- */
/* One parser per kind                                                      */

static int parse_cap(struct cur *c, struct allot_change *ch)
{
	int rc;
	if ((rc = name(c, ":@", "a partner (ISO3 code or name)", ch->who, &ch->col_who)) ||
	    (rc = expect_char(c, ':', "the amount")) ||
	    (rc = money(c, ch, "an amount", &ch->amount, 1)) ||
	    (rc = expect_char(c, '@', "the month the cap applies from")) ||
	    (rc = month_at(c, ch, "the month after '@'")) || (rc = at_end(c, "the month")))
		return rc;
	return range(c, ch->col_amount, ch->amount, 0, INFINITY, "an amount");
}

static int parse_invest(struct cur *c, struct allot_change *ch)
{
	int rc, col;
	if ((rc = name(c, ":@", "a partner (ISO3 code or name)", ch->who, &ch->col_who)) ||
	    (rc = expect_char(c, ':', "the line")) ||
	    (rc = name(c, ":@", "a line (id or name)", ch->what, &ch->col_what)) ||
	    (rc = expect_char(c, ':', "the amount in USD")) ||
	    (rc = money(c, ch, "an amount in USD", &ch->amount, 0)) ||
	    (rc = expect_char(c, ':', "the rate added (+RATE)")) ||
	    (rc = expect_char(c, '+', "the rate added per month")) ||
	    (rc = fraction(c, "units per month added", &ch->rate, &col)) ||
	    (rc = expect_char(c, '@', "the month the capacity comes online")) ||
	    (rc = month_at(c, ch, "the online month after '@'")) || (rc = at_end(c, "the month")))
		return rc;
	return range(c, col, ch->rate, 0, INFINITY, "a rate");
}

static int looks_like_month(const char *p)
{
	return isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	       isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && p[4] == '-';
}

static int parse_embargo(struct cur *c, struct allot_change *ch)
{
	int rc;
	if ((rc = name(c, ":@+", "a supply source (as in supply.csv)", ch->who, &ch->col_who)))
		return rc;
	if (*c->p == ':') {
		c->p++;
		if (looks_like_month(c->p)) {
			/* the old spelling SOURCE:START[:MONTHS] (allot reserve) */
			const char *months = strchr(c->p, ':');
			return fail(c, c->p,
				    "expected a mineral after ':', found the month \"%.7s\"; write "
				    "the start after '@' and the length after '+': %s@%.7s%s%s",
				    c->p, ch->who, c->p, months ? "+" : "",
				    months ? months + 1 : "");
		}
		if ((rc = name(c, ":@+", "a mineral id after ':'", ch->what, &ch->col_what)))
			return rc;
	}
	if (*c->p == '@') {
		c->p++;
		if ((rc = month_at(c, ch, "the first month after '@'")))
			return rc;
	}
	if ((rc = plus_months(c, ch)))
		return rc;
	return at_end(c, ch->months                    ? "the months"
			 : ch->month != ALLOT_NO_MONTH ? "the month"
						       : "the source");
}

static int parse_share(struct cur *c, struct allot_change *ch)
{
	int rc;
	if ((rc = name(c, ":@", "a line (id or name)", ch->who, &ch->col_who)) ||
	    (rc = expect_char(c, ':', "the share")) ||
	    (rc = number(c, "a share from 0 to 1", &ch->amount, &ch->col_amount)) ||
	    (rc = expect_char(c, '@', "the month the share applies from")) ||
	    (rc = month_at(c, ch, "the month after '@'")) || (rc = plus_months(c, ch)) ||
	    (rc = at_end(c, ch->months ? "the months" : "the month")))
		return rc;
	return range(c, ch->col_amount, ch->amount, 0, 1, "a share");
}

static int parse_rate(struct cur *c, struct allot_change *ch)
{
	int rc;
	if ((rc = name(c, ":@", "a line (id or name)", ch->who, &ch->col_who)) ||
	    (rc = expect_char(c, ':', "the rate")) ||
	    (rc = fraction(c, "a rate in units per month", &ch->amount, &ch->col_amount)) ||
	    (rc = expect_char(c, '@', "the month the rate applies from")) ||
	    (rc = month_at(c, ch, "the month after '@'")) || (rc = at_end(c, "the month")))
		return rc;
	return range(c, ch->col_amount, ch->amount, 0, INFINITY, "a rate");
}

static int parse_status(struct cur *c, struct allot_change *ch)
{
	int rc;
	enum allot_eum e;
	if ((rc = name(c, ":@", "a partner (ISO3 code or name)", ch->who, &ch->col_who)) ||
	    (rc = expect_char(c, ':', "the status")) ||
	    (rc = name(c, ":@", "a status (compliant, delinquent or violation)", ch->what,
		       &ch->col_what)))
		return rc;
	if (allot_eum_parse(ch->what, &e) != 0)
		return fail(c, c->p - strlen(ch->what),
			    "expected a status (compliant, delinquent or violation), found \"%s\"",
			    ch->what);
	if ((rc = expect_char(c, '@', "the month the status applies from")) ||
	    (rc = month_at(c, ch, "the month after '@'")))
		return rc;
	return at_end(c, "the month");
}

static int parse_weight(struct cur *c, struct allot_change *ch)
{
	int rc;
	if ((rc = name(c, ":@",
		       "a criterion (investment, growth, geography, operations or "
		       "economic)",
		       ch->who, &ch->col_who)))
		return rc;
	if (allot_criterion_parse(ch->who) < 0)
		return fail(c, c->text,
			    "expected a criterion (investment, growth, geography, "
			    "operations or economic), found \"%s\"",
			    ch->who);
	if ((rc = expect_char(c, ':', "the weight")) ||
	    (rc = number(c, "a weight", &ch->amount, &ch->col_amount)))
		return rc;
	if (*c->p == '@') {
		c->p++;
		if ((rc = month_at(c, ch, "the month after '@'")))
			return rc;
	}
	if ((rc = at_end(c, ch->month != ALLOT_NO_MONTH ? "the month" : "the weight")))
		return rc;
	return range(c, ch->col_amount, ch->amount, 0, INFINITY, "a weight");
}

/* A whole number from lo to hi after ':' (catalog TIER, eeum 0|1). */
static int whole(struct cur *c, struct allot_change *ch, long lo, long hi, const char *what)
{
	const char *at = c->p;
	char tok[80];
	long v;
	size_t n = digits(at, 3, &v);
	if (n == 0 || v < lo || v > hi) {
		token(at, tok, sizeof tok);
		return fail(c, at, "expected %s from %ld to %ld, found %s", what, lo, hi, tok);
	}
	ch->amount = (double)v;
	ch->col_amount = whatif_col(c->text, at);
	c->p += n;
	return ALLOT_OK;
}

/* SYSTEM[:N]@YYYY-MM, N from lo to hi (dflt when not given). */
static int parse_system_flag(struct cur *c, struct allot_change *ch, long lo, long hi, double dflt,
			     const char *what)
{
	int rc;
	if ((rc = name(c, ":@", "a system (id or name)", ch->who, &ch->col_who)))
		return rc;
	ch->amount = dflt;
	if (*c->p == ':') {
		c->p++;
		if ((rc = whole(c, ch, lo, hi, what)))
			return rc;
	}
	if ((rc = expect_char(c, '@', "the month it applies from")) ||
	    (rc = month_at(c, ch, "the month after '@'")))
		return rc;
	return at_end(c, "the month");
}

static int parse_catalog(struct cur *c, struct allot_change *ch)
{
	return parse_system_flag(c, ch, 0, ALLOT_MAX_TIERS, -1,
				 "a tier gate (the worst tier served; 0: no gate)");
}

static int parse_eeum(struct cur *c, struct allot_change *ch)
{
	return parse_system_flag(c, ch, 0, 1, 1, "1 (under EEUM) or 0 (not)");
}

static int (*const parsers[ALLOT_CHG_COUNT])(struct cur *, struct allot_change *) = {
	[ALLOT_CHG_CAP] = parse_cap,         [ALLOT_CHG_INVEST] = parse_invest,
	[ALLOT_CHG_EMBARGO] = parse_embargo, [ALLOT_CHG_US_SHARE] = parse_share,
	[ALLOT_CHG_RATE] = parse_rate,       [ALLOT_CHG_STATUS] = parse_status,
	[ALLOT_CHG_WEIGHT] = parse_weight,   [ALLOT_CHG_CATALOG] = parse_catalog,
	[ALLOT_CHG_EEUM] = parse_eeum,
};

int allot_change_parse(enum allot_change_kind kind, const char *text, struct allot_change *out,
		       struct allot_change_error *err)
{
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	out->kind = kind;
	out->month = ALLOT_NO_MONTH;
	snprintf(out->currency, sizeof out->currency, "USD");
	struct cur c = { text, text, err };
	if ((unsigned)kind >= ALLOT_CHG_COUNT)
		return fail(&c, NULL, "expected a change kind");
	if (strlen(text) >= ALLOT_CHANGE_TEXT_MAX)
		return fail(&c, NULL, "expected at most %d bytes", ALLOT_CHANGE_TEXT_MAX - 1);
	snprintf(out->text, sizeof out->text, "%s", text);
	return parsers[kind](&c, out);
}

int allot_change_parse_line(const char *line, struct allot_change *out,
			    struct allot_change_error *err)
{
	const char *p = line;
	char flag[32];
	size_t n = strcspn(p, " =");
	memset(err, 0, sizeof *err);
	memset(out, 0, sizeof *out);
	struct cur c = { line, line, err };
	if (n >= sizeof flag || n == 0)
		return fail(&c, line, "expected a change such as --cap TWN:5e9@2026-03");
	memcpy(flag, p, n);
	flag[n] = '\0';
	int k = allot_change_kind_parse(flag);
	if (k < 0)
		return fail(&c, line,
			    "expected a change (--cap, --invest, --embargo, --us-share, --rate, "
			    "--status, --weight, --catalog or --eeum), found \"%s\"",
			    flag);
	p += n;
	if (*p != ' ' && *p != '=')
		return fail(&c, p, "expected a space or '=' after --%s, found the end",
			    allot_change_flag((enum allot_change_kind)k));
	p++;
	int rc = allot_change_parse((enum allot_change_kind)k, p, out, err);
	if (rc != ALLOT_OK && err->col > 0)
		err->col += whatif_col(line, p) - 1;
	return rc;
}

void allot_change_error_format(enum allot_change_kind kind, const char *text,
			       const struct allot_change_error *err, char *buf, size_t size)
{
	if (err->col > 0)
		snprintf(buf, size, "--%s %s: column %d: %s", allot_change_flag(kind), text,
			 err->col, err->msg);
	else
		snprintf(buf, size, "--%s %s: %s", allot_change_flag(kind), text, err->msg);
}
