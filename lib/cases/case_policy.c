/*
 * case_policy.c - the case process settings ("cases" in policy.json): their
 * defaults, reading, canonical writing, and the small lookups every case
 * computation shares (gates, partner groups, end-use status in force,
 * days to months).
 *
 * Every default is cited in docs/policy.md.  The keys are one table
 * (ckeys, dotted paths under "cases"); the reader walks the JSON object
 * against it, so an unknown key anywhere is reported with the keys expected
 * at that level.  The writer prints the same keys in the same order.
 */
#include "cases/case_int.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/json.h"

/* ---- names and small lookups -------------------------------------------- */

static const char *const cat_names[ALLOT_CAT_COUNT] = { "A", "B", "C", "DC" };

const char *allot_case_category_name(int c)
{
	return c >= 0 && c < ALLOT_CAT_COUNT ? cat_names[c] : "";
}

int allot_case_category_parse(const char *s)
{
	for (int c = 0; c < ALLOT_CAT_COUNT; c++)
		if (strcmp(s, cat_names[c]) == 0)
			return c;
	return -1;
}

const char *allot_notify_kind_name(enum allot_notify_kind k)
{
	static const char *const n[ALLOT_NOTIFY_KINDS] = {
		"MDE", "articles and services", "design and construction"
	};
	return (unsigned)k < ALLOT_NOTIFY_KINDS ? n[k] : "";
}

const char *allot_notify_group_name(enum allot_notify_group g)
{
	return g == ALLOT_GROUP_NATO_PLUS ? "NATO+" : "other";
}

void allot_case_policy_default(struct allot_case_policy *c)
{
	static const char *const nato_plus[] = { "AUS", "ISR", "JPN", "KOR", "NZL" };
	memset(c, 0, sizeof *c);
	/* SAMM C5.4.2 anticipated-offer-date groups (docs/policy.md). */
	c->processing_days[ALLOT_CAT_A] = 45;
	c->processing_days[ALLOT_CAT_B] = 100;
	c->processing_days[ALLOT_CAT_C] = 150;
	c->processing_days[ALLOT_CAT_DC] = 150;
	c->default_category = ALLOT_CAT_B;
	c->acceptance_days = 0;
	c->catalog_shortening = 0.25;
	c->tier_shortening[0] = 0.25;
	c->tier_shortening[1] = 0.1;
	c->tier_shortening[2] = 0;
	c->n_tier_shortening = 3;
	for (size_t i = 0; i < sizeof nato_plus / sizeof *nato_plus; i++)
		memcpy(c->nato_plus[i], nato_plus[i], 4);
	c->n_nato_plus = sizeof nato_plus / sizeof *nato_plus;
	/* AECA 36(b)(1), 22 U.S.C. 2776(b)(1). */
	c->threshold_usd[ALLOT_GROUP_NATO_PLUS][ALLOT_NOTIFY_MDE] = 25e6;
	c->threshold_usd[ALLOT_GROUP_NATO_PLUS][ALLOT_NOTIFY_ARTICLES] = 100e6;
	c->threshold_usd[ALLOT_GROUP_NATO_PLUS][ALLOT_NOTIFY_CONSTRUCTION] = 300e6;
	c->threshold_usd[ALLOT_GROUP_OTHER][ALLOT_NOTIFY_MDE] = 14e6;
	c->threshold_usd[ALLOT_GROUP_OTHER][ALLOT_NOTIFY_ARTICLES] = 50e6;
	c->threshold_usd[ALLOT_GROUP_OTHER][ALLOT_NOTIFY_CONSTRUCTION] = 200e6;
	c->review_days[ALLOT_GROUP_NATO_PLUS] = 15;
	c->review_days[ALLOT_GROUP_OTHER] = 30;
	c->advance_days[ALLOT_GROUP_NATO_PLUS] = 0;
	c->advance_days[ALLOT_GROUP_OTHER] = 20; /* SAMM C5.5.3 tiered review */
	c->eeum_delinquent_days = 90;
	c->tpt_streamlined = 0;
	c->tpt[0] = (struct allot_tpt_rules){ 90, 60, 0, 0, 1 };
	c->tpt[1] = (struct allot_tpt_rules){ 30, 30, 0, 0, 1 };
}

void allot_case_policy_of(const struct allot_policy *p, struct allot_case_policy *out)
{
	if (p->cases.set)
		*out = p->cases;
	else
		allot_case_policy_default(out);
}

int allot_case_min_tier(const struct allot_case_policy *c, const char *system_id)
{
	for (size_t i = 0; i < c->n_gates; i++)
		if (strcmp(c->gates[i].system_id, system_id) == 0)
			return c->gates[i].min_tier;
	return 0;
}

enum allot_notify_group allot_case_group(const struct allot_case_policy *c,
					 const char *iso3, const char *alliance)
{
	if (alliance && strcasecmp(alliance, "nato") == 0)
		return ALLOT_GROUP_NATO_PLUS;
	for (size_t i = 0; i < c->n_nato_plus; i++)
		if (strcmp(c->nato_plus[i], iso3) == 0)
			return ALLOT_GROUP_NATO_PLUS;
	return ALLOT_GROUP_OTHER;
}

enum allot_eum allot_case_eum_at(const struct allot_scenario *s, int partner,
				 allot_month m)
{
	enum allot_eum e = s->partners[partner].eum_status;
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *ev = &s->events[i];
		if (ev->type == ALLOT_EV_EUM_STATUS && ev->index == partner && ev->month <= m)
			e = ev->eum;
	}
	return e;
}

int allot_case_days_to_months(double days)
{
	if (!(days > 0))
		return 0;
	double m = floor(days / 30.4375 + 0.5);
	return m > 1e6 ? 1000000 : (int)m;
}

/* ---- the key table -------------------------------------------------------- */

enum ckind {
	CK_DAYS,   /* number >= 0 */
	CK_USD,    /* number >= 0 */
	CK_FRAC,   /* number 0..1 */
	CK_BOOL,   /* true / false */
	CK_CAT,    /* "A", "B", "C", "DC" */
	CK_REGIME, /* "standard", "streamlined" */
	CK_TIERS,  /* array of fractions */
	CK_GATES,  /* object system_id -> tier >= 1 */
	CK_GROUP,  /* array of ISO3 codes */
};

struct ckey {
	const char *path; /* under "cases" */
	enum ckind kind;
	size_t off;       /* of the field in struct allot_case_policy */
};

#define OFF(f) offsetof(struct allot_case_policy, f)
#define NP ALLOT_GROUP_NATO_PLUS
#define OT ALLOT_GROUP_OTHER

static const struct ckey ckeys[] = {
	{ "processing_days.A", CK_DAYS, OFF(processing_days[ALLOT_CAT_A]) },
	{ "processing_days.B", CK_DAYS, OFF(processing_days[ALLOT_CAT_B]) },
	{ "processing_days.C", CK_DAYS, OFF(processing_days[ALLOT_CAT_C]) },
	{ "processing_days.DC", CK_DAYS, OFF(processing_days[ALLOT_CAT_DC]) },
	{ "default_category", CK_CAT, OFF(default_category) },
	{ "acceptance_days", CK_DAYS, OFF(acceptance_days) },
	{ "catalog_shortening", CK_FRAC, OFF(catalog_shortening) },
	{ "tier_shortening", CK_TIERS, 0 },
	{ "min_tier", CK_GATES, 0 },
	{ "notification.nato_plus", CK_GROUP, 0 },
	{ "notification.nato_plus_usd.mde", CK_USD, OFF(threshold_usd[NP][ALLOT_NOTIFY_MDE]) },
	{ "notification.nato_plus_usd.articles", CK_USD,
	  OFF(threshold_usd[NP][ALLOT_NOTIFY_ARTICLES]) },
	{ "notification.nato_plus_usd.construction", CK_USD,
	  OFF(threshold_usd[NP][ALLOT_NOTIFY_CONSTRUCTION]) },
	{ "notification.other_usd.mde", CK_USD, OFF(threshold_usd[OT][ALLOT_NOTIFY_MDE]) },
	{ "notification.other_usd.articles", CK_USD, OFF(threshold_usd[OT][ALLOT_NOTIFY_ARTICLES]) },
	{ "notification.other_usd.construction", CK_USD,
	  OFF(threshold_usd[OT][ALLOT_NOTIFY_CONSTRUCTION]) },
	{ "notification.nato_plus_review_days", CK_DAYS, OFF(review_days[NP]) },
	{ "notification.other_review_days", CK_DAYS, OFF(review_days[OT]) },
	{ "notification.nato_plus_advance_days", CK_DAYS, OFF(advance_days[NP]) },
	{ "notification.other_advance_days", CK_DAYS, OFF(advance_days[OT]) },
	{ "eeum.delinquent_review_days", CK_DAYS, OFF(eeum_delinquent_days) },
	{ "transfers.in_force", CK_REGIME, OFF(tpt_streamlined) },
	{ "transfers.standard.days", CK_DAYS, OFF(tpt[0].days) },
	{ "transfers.standard.eeum_days", CK_DAYS, OFF(tpt[0].eeum_days) },
	{ "transfers.standard.refuse_eeum", CK_BOOL, OFF(tpt[0].refuse_eeum) },
	{ "transfers.standard.ineligible_days", CK_DAYS, OFF(tpt[0].ineligible_days) },
	{ "transfers.standard.refuse_ineligible", CK_BOOL, OFF(tpt[0].refuse_ineligible) },
	{ "transfers.streamlined.days", CK_DAYS, OFF(tpt[1].days) },
	{ "transfers.streamlined.eeum_days", CK_DAYS, OFF(tpt[1].eeum_days) },
	{ "transfers.streamlined.refuse_eeum", CK_BOOL, OFF(tpt[1].refuse_eeum) },
	{ "transfers.streamlined.ineligible_days", CK_DAYS, OFF(tpt[1].ineligible_days) },
	{ "transfers.streamlined.refuse_ineligible", CK_BOOL, OFF(tpt[1].refuse_ineligible) },
};
#define NCKEYS (sizeof ckeys / sizeof *ckeys)

static double *dbl(struct allot_case_policy *c, const struct ckey *k)
{
	void *v = (char *)c + k->off;
	return v;
}

static int *intp(struct allot_case_policy *c, const struct ckey *k)
{
	void *v = (char *)c + k->off;
	return v;
}

static double dbl_of(const struct allot_case_policy *c, const struct ckey *k)
{
	const void *v = (const char *)c + k->off;
	return *(const double *)v;
}

static int int_of(const struct allot_case_policy *c, const struct ckey *k)
{
	const void *v = (const char *)c + k->off;
	return *(const int *)v;
}

/* ---- reading ----------------------------------------------------------- */

struct cctx {
	const char *text, *file;
	struct allot_diags *d;
	int bad;
};

static void cerr(struct cctx *x, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void cerr(struct cctx *x, const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	long line = 0, col = 0;
	if (x->text && key)
		json_find_key(x->text, key, &line, &col);
	allot_diags_add(x->d, x->file, line, col, "%s", buf);
	x->bad = 1;
}

static void shown(const json_t *v, char *buf, size_t n)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	snprintf(buf, n, "%s", s ? s : "?");
	if (s && strlen(s) >= n && n > 4)
		memcpy(buf + n - 4, "...", 4);
	free(s);
}

static const char *last(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

/* A number in [lo, hi]; 0 on success. */
static int number(struct cctx *x, const char *path, const json_t *v, double lo,
		  double hi, const char *what, double *out)
{
	double n = json_is_number(v) ? json_number_value(v) : NAN;
	if (!json_is_number(v) || !isfinite(n) || n < lo || n > hi) {
		char found[96];
		shown(v, found, sizeof found);
		cerr(x, last(path), "expected %s in cases.%s, found %s", what, path, found);
		return -1;
	}
	*out = n;
	return 0;
}

static void tiers(struct cctx *x, const char *path, const json_t *v,
		  struct allot_case_policy *c)
{
	if (!json_is_array(v) || json_array_size(v) > ALLOT_MAX_TIERS) {
		char found[96];
		shown(v, found, sizeof found);
		cerr(x, last(path), "expected an array of at most %d fractions 0..1 (one per "
		     "tier) in cases.%s, found %s", ALLOT_MAX_TIERS, path, found);
		return;
	}
	c->n_tier_shortening = json_array_size(v);
	for (size_t i = 0; i < c->n_tier_shortening; i++) {
		char sub[64];
		snprintf(sub, sizeof sub, "%s[%zu]", path, i);
		number(x, sub, json_array_get(v, i), 0, 1, "a fraction from 0 to 1",
		       &c->tier_shortening[i]);
	}
}

static void gates(struct cctx *x, const char *path, const json_t *v,
		  struct allot_case_policy *c)
{
	char found[96];
	if (!json_is_object(v) || json_object_size(v) > ALLOT_CASE_MAX_GATES) {
		shown(v, found, sizeof found);
		cerr(x, last(path), "expected an object of at most %d system ids -> minimum "
		     "tier in cases.%s, found %s", ALLOT_CASE_MAX_GATES, path, found);
		return;
	}
	c->n_gates = 0;
	const char *id;
	json_t *t;
	json_object_foreach((json_t *)v, id, t) {
		size_t n = strlen(id);
		if (n == 0 || n >= ALLOT_CASE_ID_MAX) {
			cerr(x, NULL, "expected a system id of 1 to %d bytes in cases.%s, "
			     "found \"%s\"", ALLOT_CASE_ID_MAX - 1, path, id);
			continue;
		}
		if (!json_is_integer(t) || json_integer_value(t) < 1 ||
		    json_integer_value(t) > ALLOT_MAX_TIERS) {
			shown(t, found, sizeof found);
			cerr(x, id, "expected a tier from 1 to %d in cases.%s.%s, found %s",
			     ALLOT_MAX_TIERS, path, id, found);
			continue;
		}
		struct allot_case_gate *g = &c->gates[c->n_gates++];
		memcpy(g->system_id, id, n + 1);
		g->min_tier = (int)json_integer_value(t);
	}
}

static int iso3_ok(const char *s)
{
	return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	       s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

static void group(struct cctx *x, const char *path, const json_t *v,
		  struct allot_case_policy *c)
{
	char found[96];
	if (!json_is_array(v) || json_array_size(v) > ALLOT_CASE_MAX_GROUP) {
		shown(v, found, sizeof found);
		cerr(x, last(path), "expected an array of at most %d ISO codes in cases.%s, "
		     "found %s", ALLOT_CASE_MAX_GROUP, path, found);
		return;
	}
	c->n_nato_plus = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *e = json_array_get(v, i);
		if (!json_is_string(e) || !iso3_ok(json_string_value(e))) {
			shown(e, found, sizeof found);
			cerr(x, last(path), "expected a 3-letter upper-case ISO code in "
			     "cases.%s[%zu], found %s", path, i, found);
			continue;
		}
		memcpy(c->nato_plus[c->n_nato_plus++], json_string_value(e), 4);
	}
}

static void apply(struct cctx *x, const struct ckey *k, const json_t *v,
		  struct allot_case_policy *c)
{
	char found[96];
	switch (k->kind) {
	case CK_DAYS:
		number(x, k->path, v, 0, 36500, "a number of days from 0 to 36500", dbl(c, k));
		return;
	case CK_USD:
		number(x, k->path, v, 0, HUGE_VAL, "a number >= 0 (USD)", dbl(c, k));
		return;
	case CK_FRAC:
		number(x, k->path, v, 0, 1, "a fraction from 0 to 1", dbl(c, k));
		return;
	case CK_BOOL:
		if (json_is_boolean(v)) {
			*intp(c, k) = json_is_true(v);
			return;
		}
		shown(v, found, sizeof found);
		cerr(x, last(k->path), "expected true or false in cases.%s, found %s", k->path,
		     found);
		return;
	case CK_CAT: {
		int cat = json_is_string(v) ? allot_case_category_parse(json_string_value(v)) : -1;
		if (cat >= 0) {
			*intp(c, k) = cat;
			return;
		}
		shown(v, found, sizeof found);
		cerr(x, last(k->path), "expected a case category (\"A\", \"B\", \"C\" or \"DC\") "
		     "in cases.%s, found %s", k->path, found);
		return;
	}
	case CK_REGIME:
		if (json_is_string(v) && (strcmp(json_string_value(v), "standard") == 0 ||
					  strcmp(json_string_value(v), "streamlined") == 0)) {
			*intp(c, k) = strcmp(json_string_value(v), "streamlined") == 0;
			return;
		}
		shown(v, found, sizeof found);
		cerr(x, last(k->path), "expected \"standard\" or \"streamlined\" in cases.%s, "
		     "found %s", k->path, found);
		return;
	case CK_TIERS:
		tiers(x, k->path, v, c);
		return;
	case CK_GATES:
		gates(x, k->path, v, c);
		return;
	case CK_GROUP:
		group(x, k->path, v, c);
		return;
	}
}

/* Keys expected directly under prefix ("" or "notification."). */
static void expected_keys(const char *prefix, char *buf, size_t n)
{
	size_t o = 0, pl = strlen(prefix);
	buf[0] = '\0';
	const char *prev = NULL;
	size_t prevn = 0;
	for (size_t i = 0; i < NCKEYS && o + 1 < n; i++) {
		if (strncmp(ckeys[i].path, prefix, pl) != 0)
			continue;
		const char *rest = ckeys[i].path + pl;
		size_t len = strcspn(rest, ".");
		if (prev && prevn == len && strncmp(prev, rest, len) == 0)
			continue;
		o += (size_t)snprintf(buf + o, n - o, "%s%.*s", o ? "," : "", (int)len, rest);
		prev = rest;
		prevn = len;
	}
}

static void walk(struct cctx *x, const json_t *obj, const char *prefix,
		 struct allot_case_policy *c)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		char path[256];
		snprintf(path, sizeof path, "%s%s", prefix, key);
		size_t pl = strlen(path);
		const struct ckey *exact = NULL;
		int inner = 0;
		for (size_t i = 0; i < NCKEYS; i++) {
			if (strcmp(ckeys[i].path, path) == 0)
				exact = &ckeys[i];
			else if (strncmp(ckeys[i].path, path, pl) == 0 && ckeys[i].path[pl] == '.')
				inner = 1;
		}
		if (exact) {
			apply(x, exact, v, c);
		} else if (inner && json_is_object(v)) {
			char sub[260];
			snprintf(sub, sizeof sub, "%s.", path);
			walk(x, v, sub, c);
		} else if (inner) {
			char found[96];
			shown(v, found, sizeof found);
			cerr(x, key, "expected an object in cases.%s, found %s", path, found);
		} else {
			char list[512];
			expected_keys(prefix, list, sizeof list);
			cerr(x, key, "unknown key \"%s\" in cases%s%.*s; expected one of %s", key,
			     prefix[0] ? "." : "", prefix[0] ? (int)strlen(prefix) - 1 : 0, prefix,
			     list);
		}
	}
}

int case_policy_from_json(const json_t *v, const char *text, const char *file,
			  struct allot_case_policy *c, struct allot_diags *d)
{
	struct cctx x = { text, file, d, 0 };
	allot_case_policy_default(c);
	c->set = 1;
	if (!json_is_object(v)) {
		char found[96];
		shown(v, found, sizeof found);
		cerr(&x, "cases", "expected an object in cases, found %s", found);
	} else {
		walk(&x, v, "", c);
	}
	return x.bad ? ALLOT_EINPUT : ALLOT_OK;
}

/* ---- writing ----------------------------------------------------------- */

struct emit {
	FILE *f;
	int pretty;
	int depth;  /* objects open */
	int first;  /* nothing written yet at this depth */
	char open[8][48]; /* path components open (for nesting) */
	int nopen;
};

static void num(FILE *f, double v)
{
	char buf[32];
	allot_fmt_double(v, buf);
	fputs(buf, f);
}

static void newline(struct emit *e)
{
	if (e->pretty) {
		fputc('\n', e->f);
		for (int i = 0; i < e->nopen + 2; i++)
			fputs("  ", e->f);
	} else {
		fputc(' ', e->f);
	}
}

static void sep(struct emit *e)
{
	if (!e->first)
		fputc(',', e->f);
	newline(e);
	e->first = 0;
}

static void close_to(struct emit *e, int keep)
{
	while (e->nopen > keep) {
		e->nopen--;
		newline(e);
		fputc('}', e->f);
		e->first = 0;
	}
}

/* Opens the objects of path's directory part not yet open; returns the
 * last component. */
static const char *open_to(struct emit *e, const char *path)
{
	int level = 0;
	const char *p = path;
	for (;;) {
		size_t len = strcspn(p, ".");
		if (p[len] == '\0')
			break;
		if (level < e->nopen && strlen(e->open[level]) == len &&
		    strncmp(e->open[level], p, len) == 0) {
			level++;
			p += len + 1;
			continue;
		}
		close_to(e, level);
		sep(e);
		fprintf(e->f, "\"%.*s\": {", (int)len, p);
		snprintf(e->open[e->nopen++], sizeof e->open[0], "%.*s", (int)len, p);
		e->first = 1;
		level++;
		p += len + 1;
	}
	close_to(e, level);
	return p;
}

static void write_value(const struct allot_case_policy *c, const struct ckey *k, FILE *f)
{
	switch (k->kind) {
	case CK_DAYS:
	case CK_USD:
	case CK_FRAC:
		num(f, dbl_of(c, k));
		return;
	case CK_BOOL:
		fputs(int_of(c, k) ? "true" : "false", f);
		return;
	case CK_CAT:
		fprintf(f, "\"%s\"", allot_case_category_name(int_of(c, k)));
		return;
	case CK_REGIME:
		fputs(int_of(c, k) ? "\"streamlined\"" : "\"standard\"", f);
		return;
	case CK_TIERS:
		fputc('[', f);
		for (size_t i = 0; i < c->n_tier_shortening; i++) {
			if (i)
				fputs(", ", f);
			num(f, c->tier_shortening[i]);
		}
		fputc(']', f);
		return;
	case CK_GATES:
		fputc('{', f);
		for (size_t i = 0; i < c->n_gates; i++) {
			if (i)
				fputs(", ", f);
			json_t *s = json_string(c->gates[i].system_id);
			char *t = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
			fprintf(f, "%s: %d", t ? t : "\"\"", c->gates[i].min_tier);
			free(t);
			json_decref(s);
		}
		fputc('}', f);
		return;
	case CK_GROUP:
		fputc('[', f);
		for (size_t i = 0; i < c->n_nato_plus; i++)
			fprintf(f, "%s\"%s\"", i ? ", " : "", c->nato_plus[i]);
		fputc(']', f);
		return;
	}
}

void case_policy_write(const struct allot_case_policy *c, FILE *f, int pretty)
{
	struct emit e = { .f = f, .pretty = pretty, .first = 1 };
	fputc('{', f);
	e.nopen = 0;
	/* newline() indents by nopen + 2 levels: the "cases" key sits at one
	 * level in policy.json, its members at two. */
	for (size_t i = 0; i < NCKEYS; i++) {
		const char *key = open_to(&e, ckeys[i].path);
		sep(&e);
		fprintf(f, "\"%s\": ", key);
		write_value(c, &ckeys[i], f);
	}
	close_to(&e, 0);
	if (pretty) {
		fputs("\n  }", f);
	} else {
		fputs(" }", f);
	}
}
