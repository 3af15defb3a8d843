/*
 * policy.c - the policy codec: policy.json <-> struct allot_policy, for the
 * policy file, the store (scenarios.policy_json) and the API (see policy.h).
 *
 * Every key of the policy, the case process's "cases" object included, is
 * one row of pkeys: its dotted path in the JSON, its type, its range, its
 * default and the field it sets.  The reader walks the JSON object against
 * the table (an unknown key anywhere is reported with the keys expected at
 * that level); the writer prints every row in table order, as the file
 * (indented) or on one line (the store), so equal policies give equal
 * text; the defaults (allot_policy_default) and the store's check come
 * from it too.  "reserve" is written only when set (n_tier_weights > 0),
 * "cases" only when given (cases.set), so files without them keep their
 * form.  Written by hand rather than with json_dumps so that numbers take
 * the canonical form of allot_fmt_double (jansson prints 0.3 as
 * 0.29999999999999999), which reads back as the same double.
 */
#include "io/policy.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/json.h"
#include "util/mem.h"

enum pkind {
	PK_NUM,          /* a double in its range (lib/ranges.c) */
	PK_THEATERS,     /* object of region -> weight */
	PK_TIERS,        /* array of descending score thresholds */
	PK_TIER_WEIGHTS, /* array of one weight per tier */
	PK_DAYS,         /* cases: a double, days 0..36500 */
	PK_USD,          /* cases: a double >= 0 */
	PK_FRAC,         /* cases: a double 0..1 */
	PK_BOOL,         /* cases: true / false (an int) */
	PK_CAT,          /* cases: "A", "B", "C", "DC" (an int) */
	PK_REGIME,       /* cases: "standard", "streamlined" (an int) */
	PK_SHORTENING,   /* cases: array of fractions, one per tier */
	PK_GATES,        /* cases: object system_id -> tier >= 1 */
	PK_GROUP,        /* cases: array of ISO3 codes */
};

struct pkey {
	const char *path; /* dotted, from the top of policy.json */
	enum pkind kind;
	size_t off;              /* of the field in struct allot_policy */
	enum allot_range_id lim; /* PK_NUM and the policy's arrays */
	double def;              /* PK_NUM: the default (docs/allocation.md) */
};

#define OFF(f)  offsetof(struct allot_policy, f)
#define CASE(f) offsetof(struct allot_policy, cases.f)
#define NP      ALLOT_GROUP_NATO_PLUS
#define OT      ALLOT_GROUP_OTHER
#define W       ALLOT_RANGE_WEIGHT
#define R       ALLOT_RANGE_REF
#define PTS     ALLOT_RANGE_POINTS
#define NONE    ALLOT_RANGE_COUNT

static const struct pkey pkeys[] = {
	{ "weights.investment", PK_NUM, OFF(weight[ALLOT_CRIT_INVESTMENT]), W, 0.30 },
	{ "weights.growth", PK_NUM, OFF(weight[ALLOT_CRIT_GROWTH]), W, 0.10 },
	{ "weights.geography", PK_NUM, OFF(weight[ALLOT_CRIT_GEOGRAPHY]), W, 0.25 },
	{ "weights.operations", PK_NUM, OFF(weight[ALLOT_CRIT_OPERATIONS]), W, 0.20 },
	{ "weights.economic", PK_NUM, OFF(weight[ALLOT_CRIT_ECONOMIC]), W, 0.15 },
	{ "investment.target_pct", PK_NUM, OFF(target_pct), R, 5.0 },
	{ "growth.full_pct", PK_NUM, OFF(growth_full_pct), R, 30.0 },
	{ "geography.theater_weights", PK_THEATERS, 0, W, 0 },
	{ "geography.default_theater", PK_NUM, OFF(default_theater), W, 0.2 },
	{ "geography.frontline_factor", PK_NUM, OFF(frontline_factor), W, 1.0 },
	{ "geography.rear_factor", PK_NUM, OFF(rear_factor), W, 0.6 },
	{ "operations.troops_ref", PK_NUM, OFF(troops_ref), R, 50000.0 },
	{ "operations.basing_max", PK_NUM, OFF(basing_max), R, 3.0 },
	{ "economic.ref_usd", PK_NUM, OFF(economic_ref_usd), R, 50e9 },
	{ "economic.unit_usd", PK_NUM, OFF(economic_unit_usd), R, 1e6 },
	{ "economic.invest_multiplier", PK_NUM, OFF(invest_multiplier), W, 2.0 },
	{ "penalties.delinquent", PK_NUM, OFF(penalty_delinquent), PTS, 10.0 },
	{ "penalties.violation", PK_NUM, OFF(penalty_violation), PTS, 25.0 },
	{ "tiers", PK_TIERS, 0, PTS, 0 },
	/* Written only when set (n_tier_weights > 0). */
	{ "reserve.tier_weights", PK_TIER_WEIGHTS, 0, W, 0 },
	/* The case process (lib/cases), written only when given (cases.set);
	 * its defaults, each cited in docs/policy.md, are
	 * allot_case_policy_default's. */
	{ "cases.processing_days.A", PK_DAYS, CASE(processing_days[ALLOT_CAT_A]), NONE, 0 },
	{ "cases.processing_days.B", PK_DAYS, CASE(processing_days[ALLOT_CAT_B]), NONE, 0 },
	{ "cases.processing_days.C", PK_DAYS, CASE(processing_days[ALLOT_CAT_C]), NONE, 0 },
	{ "cases.processing_days.DC", PK_DAYS, CASE(processing_days[ALLOT_CAT_DC]), NONE, 0 },
	{ "cases.default_category", PK_CAT, CASE(default_category), NONE, 0 },
	{ "cases.acceptance_days", PK_DAYS, CASE(acceptance_days), NONE, 0 },
	{ "cases.catalog_shortening", PK_FRAC, CASE(catalog_shortening), NONE, 0 },
	{ "cases.tier_shortening", PK_SHORTENING, 0, NONE, 0 },
	{ "cases.min_tier", PK_GATES, 0, NONE, 0 },
	{ "cases.notification.nato_plus", PK_GROUP, 0, NONE, 0 },
	{ "cases.notification.nato_plus_usd.mde", PK_USD, CASE(threshold_usd[NP][ALLOT_NOTIFY_MDE]),
	  NONE, 0 },
	{ "cases.notification.nato_plus_usd.articles", PK_USD,
	  CASE(threshold_usd[NP][ALLOT_NOTIFY_ARTICLES]), NONE, 0 },
	{ "cases.notification.nato_plus_usd.construction", PK_USD,
	  CASE(threshold_usd[NP][ALLOT_NOTIFY_CONSTRUCTION]), NONE, 0 },
	{ "cases.notification.other_usd.mde", PK_USD, CASE(threshold_usd[OT][ALLOT_NOTIFY_MDE]),
	  NONE, 0 },
	{ "cases.notification.other_usd.articles", PK_USD,
	  CASE(threshold_usd[OT][ALLOT_NOTIFY_ARTICLES]), NONE, 0 },
	{ "cases.notification.other_usd.construction", PK_USD,
	  CASE(threshold_usd[OT][ALLOT_NOTIFY_CONSTRUCTION]), NONE, 0 },
	{ "cases.notification.nato_plus_review_days", PK_DAYS, CASE(review_days[NP]), NONE, 0 },
	{ "cases.notification.other_review_days", PK_DAYS, CASE(review_days[OT]), NONE, 0 },
	{ "cases.notification.nato_plus_advance_days", PK_DAYS, CASE(advance_days[NP]), NONE, 0 },
	{ "cases.notification.other_advance_days", PK_DAYS, CASE(advance_days[OT]), NONE, 0 },
	{ "cases.eeum.delinquent_review_days", PK_DAYS, CASE(eeum_delinquent_days), NONE, 0 },
	{ "cases.transfers.in_force", PK_REGIME, CASE(tpt_streamlined), NONE, 0 },
	{ "cases.transfers.standard.days", PK_DAYS, CASE(tpt[0].days), NONE, 0 },
	{ "cases.transfers.standard.eeum_days", PK_DAYS, CASE(tpt[0].eeum_days), NONE, 0 },
	{ "cases.transfers.standard.refuse_eeum", PK_BOOL, CASE(tpt[0].refuse_eeum), NONE, 0 },
	{ "cases.transfers.standard.ineligible_days", PK_DAYS, CASE(tpt[0].ineligible_days), NONE,
	  0 },
	{ "cases.transfers.standard.refuse_ineligible", PK_BOOL, CASE(tpt[0].refuse_ineligible),
	  NONE, 0 },
	{ "cases.transfers.streamlined.days", PK_DAYS, CASE(tpt[1].days), NONE, 0 },
	{ "cases.transfers.streamlined.eeum_days", PK_DAYS, CASE(tpt[1].eeum_days), NONE, 0 },
	{ "cases.transfers.streamlined.refuse_eeum", PK_BOOL, CASE(tpt[1].refuse_eeum), NONE, 0 },
	{ "cases.transfers.streamlined.ineligible_days", PK_DAYS, CASE(tpt[1].ineligible_days),
	  NONE, 0 },
	{ "cases.transfers.streamlined.refuse_ineligible", PK_BOOL, CASE(tpt[1].refuse_ineligible),
	  NONE, 0 },
};
#define NKEYS (sizeof pkeys / sizeof *pkeys)

/* The default theaters and tiers (docs/allocation.md). */
static const struct {
	const char *region;
	double w;
} def_theaters[] = {
	{ "indo-pacific", 1.0 }, { "europe-east", 1.0 }, { "middle-east", 0.7 },
	{ "europe-west", 0.5 },  { "south-asia", 0.6 },  { "americas", 0.3 },
	{ "africa", 0.2 },       { "other", 0.2 },
};
static const double def_tiers[] = { 65.0, 40.0 };

/* The case process's bounded numbers: the range and how messages say it. */
static const struct {
	double lo, hi;
	const char *what;
} case_num[] = {
	[PK_DAYS] = { 0, 36500, "a number of days from 0 to 36500" },
	[PK_USD] = { 0, HUGE_VAL, "a number >= 0 (USD)" },
	[PK_FRAC] = { 0, 1, "a fraction from 0 to 1" },
};

/* The field a row sets (through void *: the offset is of its type). */
static void *field(struct allot_policy *p, const struct pkey *k)
{
	return (char *)p + k->off;
}

static const void *cfield(const struct allot_policy *p, const struct pkey *k)
{
	return (const char *)p + k->off;
}

static int is_double(enum pkind kind)
{
	return kind == PK_NUM || kind == PK_DAYS || kind == PK_USD || kind == PK_FRAC;
}

static int has_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(path, prefix, n) == 0 && path[n] == '.';
}

/* Whether a row is written: "reserve" and "cases" only when set. */
static int present(const struct allot_policy *p, const struct pkey *k)
{
	if (has_prefix(k->path, "reserve"))
		return p->n_tier_weights > 0;
	if (has_prefix(k->path, "cases"))
		return p->cases.set;
	return 1;
}

/* The last component of a dotted path (the key as written in the file). */
static const char *last(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

/* ---- defaults ------------------------------------------------------------ */

int allot_policy_default(struct allot_policy *p)
{
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < NKEYS; i++)
		if (pkeys[i].kind == PK_NUM)
			*(double *)field(p, &pkeys[i]) = pkeys[i].def;
	p->n_tier_thresholds = sizeof def_tiers / sizeof *def_tiers;
	memcpy(p->tier_min, def_tiers, sizeof def_tiers);
	size_t n = sizeof def_theaters / sizeof *def_theaters;
	p->theaters = mem_calloc(n, sizeof *p->theaters);
	if (!p->theaters)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		p->theaters[i].region = mem_strdup(def_theaters[i].region);
		p->theaters[i].weight = def_theaters[i].w;
		p->n_theaters = i + 1;
		if (!p->theaters[i].region) {
			allot_policy_free(p);
			return ALLOT_ENOMEM;
		}
	}
	return ALLOT_OK;
}

/* ---- ranges --------------------------------------------------------------- */

void policy_each_range(const struct allot_policy *p,
		       void (*fn)(void *arg, enum allot_range_id lim, double v, const char *path),
		       void *arg)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const struct pkey *k = &pkeys[i];
		if (k->kind == PK_NUM)
			fn(arg, k->lim, *(const double *)cfield(p, k), k->path);
		for (size_t t = 0; k->kind == PK_THEATERS && t < p->n_theaters; t++)
			fn(arg, k->lim, p->theaters[t].weight, k->path);
		for (size_t t = 0;
		     k->kind == PK_TIERS && t < p->n_tier_thresholds && t < ALLOT_MAX_TIERS; t++)
			fn(arg, k->lim, p->tier_min[t], k->path);
		for (size_t t = 0;
		     k->kind == PK_TIER_WEIGHTS && t < p->n_tier_weights && t < ALLOT_MAX_TIERS;
		     t++)
			fn(arg, k->lim, p->tier_weight[t], k->path);
	}
}

/* ---- reading ------------------------------------------------------------- */

struct pctx {
	const char *text, *file;
	struct allot_diags *d;
	int bad;
};

/* Reports at the key's position when the key occurs once in the text. */
static void perr(struct pctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void perr(struct pctx *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_diag_v(c->d, c->file, c->text, key, fmt, ap);
	va_end(ap);
	c->bad = 1;
}

/* A number of a row's kind: PK_NUM in its range from the one table
 * (lib/ranges.c), a case process number in its bounds; the message points
 * at key. */
static int number(struct pctx *c, const char *key, const char *path, const json_t *v,
		  enum pkind kind, enum allot_range_id lim, double *out)
{
	char found[96], what[96];
	double x = json_is_number(v) ? json_number_value(v) : NAN;
	int ok;
	if (kind == PK_NUM) {
		allot_range_text(lim, what, sizeof what);
		ok = allot_range_ok(lim, x);
	} else {
		snprintf(what, sizeof what, "%s", case_num[kind].what);
		ok = isfinite(x) && x >= case_num[kind].lo && x <= case_num[kind].hi;
	}
	if (!json_is_number(v) || !ok) {
		json_shown(v, found, sizeof found);
		perr(c, key, "expected %s in %s, found %s", what, path, found);
		return -1;
	}
	*out = x;
	return 0;
}

/* An array of lo..hi numbers of one kind into out[], *n (what: how the
 * message names the array). */
static void numbers(struct pctx *c, const char *path, const json_t *v, size_t lo, size_t hi,
		    const char *what, enum pkind kind, enum allot_range_id lim, double *out,
		    size_t *n)
{
	if (!json_is_array(v) || json_array_size(v) < lo || json_array_size(v) > hi) {
		char found[96];
		json_shown(v, found, sizeof found);
		perr(c, last(path), "expected %s in %s, found %s", what, path, found);
		return;
	}
	*n = json_array_size(v);
	for (size_t i = 0; i < *n; i++) {
		char sub[300];
		snprintf(sub, sizeof sub, "%s[%zu]", path, i);
		number(c, last(path), sub, json_array_get(v, i), kind, lim, &out[i]);
	}
}

static int theaters(struct pctx *c, const char *path, const json_t *v, struct allot_policy *p)
{
	if (!json_is_object(v)) {
		char found[96];
		json_shown(v, found, sizeof found);
		perr(c, last(path), "expected an object of region weights in %s, found %s", path,
		     found);
		return 0;
	}
	for (size_t i = 0; i < p->n_theaters; i++)
		mem_free(p->theaters[i].region);
	mem_free(p->theaters);
	p->theaters = NULL;
	p->n_theaters = 0;
	size_t n = json_object_size(v);
	if (n == 0)
		return 0;
	p->theaters = mem_calloc(n, sizeof *p->theaters);
	if (!p->theaters)
		return ALLOT_ENOMEM;
	const char *region;
	json_t *w;
	json_object_foreach((json_t *)v, region, w)
	{
		char sub[256];
		snprintf(sub, sizeof sub, "%s.%s", path, region);
		double x;
		if (number(c, region, sub, w, PK_NUM, ALLOT_RANGE_WEIGHT, &x) != 0)
			continue;
		if (region[0] == '\0') {
			perr(c, NULL, "expected a region name in %s, found \"\"", path);
			continue;
		}
		struct allot_theater *t = &p->theaters[p->n_theaters];
		if (!(t->region = mem_strdup(region)))
			return ALLOT_ENOMEM;
		t->weight = x;
		p->n_theaters++;
	}
	return 0;
}

static void tiers(struct pctx *c, const char *path, const json_t *v, struct allot_policy *p)
{
	char found[96];
	if (!json_is_array(v)) {
		json_shown(v, found, sizeof found);
		perr(c, path, "expected an array of descending score thresholds in %s, found %s",
		     path, found);
		return;
	}
	size_t n = json_array_size(v);
	if (n > ALLOT_MAX_TIERS - 1) {
		perr(c, path, "expected at most %d thresholds in %s, found %zu",
		     ALLOT_MAX_TIERS - 1, path, n);
		return;
	}
	p->n_tier_thresholds = n;
	for (size_t i = 0; i < n; i++) {
		char sub[32];
		snprintf(sub, sizeof sub, "%s[%zu]", path, i);
		double t;
		if (number(c, path, sub, json_array_get(v, i), PK_NUM, ALLOT_RANGE_POINTS, &t) != 0)
			continue;
		p->tier_min[i] = t;
		if (i > 0 && !(t < p->tier_min[i - 1])) {
			char a[32], b[32];
			allot_fmt_double(p->tier_min[i - 1], a);
			allot_fmt_double(t, b);
			perr(c, path, "expected %s in strictly descending order, found %s after %s",
			     path, b, a);
		}
	}
}

/* cases.min_tier: system id -> the worst tier served. */
static void gates(struct pctx *c, const char *path, const json_t *v, struct allot_case_policy *cp)
{
	char found[96];
	if (!json_is_object(v) || json_object_size(v) > ALLOT_CASE_MAX_GATES) {
		json_shown(v, found, sizeof found);
		perr(c, last(path),
		     "expected an object of at most %d system ids -> minimum "
		     "tier in %s, found %s",
		     ALLOT_CASE_MAX_GATES, path, found);
		return;
	}
	cp->n_gates = 0;
	const char *id;
	json_t *t;
	json_object_foreach((json_t *)v, id, t)
	{
		size_t n = strlen(id);
		if (n == 0 || n >= ALLOT_CASE_ID_MAX) {
			perr(c, NULL, "expected a system id of 1 to %d bytes in %s, found \"%s\"",
			     ALLOT_CASE_ID_MAX - 1, path, id);
			continue;
		}
		if (!json_is_integer(t) || json_integer_value(t) < 1 ||
		    json_integer_value(t) > ALLOT_MAX_TIERS) {
			json_shown(t, found, sizeof found);
			perr(c, id, "expected a tier from 1 to %d in %s.%s, found %s",
			     ALLOT_MAX_TIERS, path, id, found);
			continue;
		}
		struct allot_case_gate *g = &cp->gates[cp->n_gates++];
		memcpy(g->system_id, id, n + 1);
		g->min_tier = (int)json_integer_value(t);
	}
}

static int iso3_ok(const char *s)
{
	return strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
	       s[2] >= 'A' && s[2] <= 'Z';
}

/* cases.notification.nato_plus: ISO3 codes. */
static void group(struct pctx *c, const char *path, const json_t *v, struct allot_case_policy *cp)
{
	char found[96];
	if (!json_is_array(v) || json_array_size(v) > ALLOT_CASE_MAX_GROUP) {
		json_shown(v, found, sizeof found);
		perr(c, last(path), "expected an array of at most %d ISO codes in %s, found %s",
		     ALLOT_CASE_MAX_GROUP, path, found);
		return;
	}
	cp->n_nato_plus = 0;
	for (size_t i = 0; i < json_array_size(v); i++) {
		const json_t *e = json_array_get(v, i);
		if (!json_is_string(e) || !iso3_ok(json_string_value(e))) {
			json_shown(e, found, sizeof found);
			perr(c, last(path),
			     "expected a 3-letter upper-case ISO code in %s[%zu], "
			     "found %s",
			     path, i, found);
			continue;
		}
		memcpy(cp->nato_plus[cp->n_nato_plus++], json_string_value(e), 4);
	}
}

/* One string of a closed set: its index into names, else -1. */
static int one_of(const json_t *v, const char *const *names, int n)
{
	for (int i = 0; json_is_string(v) && i < n; i++)
		if (strcmp(json_string_value(v), names[i]) == 0)
			return i;
	return -1;
}

static int apply(struct pctx *c, const struct pkey *k, const json_t *v, struct allot_policy *p)
{
	static const char *const regimes[] = { "standard", "streamlined" };
	const char *path = k->path, *key = last(path);
	char found[96], what[96];
	int x;
	switch (k->kind) {
	case PK_NUM:
	case PK_DAYS:
	case PK_USD:
	case PK_FRAC:
		number(c, key, path, v, k->kind, k->lim, field(p, k));
		return 0;
	case PK_THEATERS:
		return theaters(c, path, v, p);
	case PK_TIERS:
		tiers(c, path, v, p);
		return 0;
	case PK_TIER_WEIGHTS: /* one per tier: counted once the whole file is read */
		snprintf(what, sizeof what, "an array of 1 to %d numbers >= 0 (one per tier)",
			 ALLOT_MAX_TIERS);
		numbers(c, path, v, 1, ALLOT_MAX_TIERS, what, PK_NUM, k->lim, p->tier_weight,
			&p->n_tier_weights);
		return 0;
	case PK_BOOL:
		if (json_is_boolean(v)) {
			*(int *)field(p, k) = json_is_true(v);
			return 0;
		}
		json_shown(v, found, sizeof found);
		perr(c, key, "expected true or false in %s, found %s", path, found);
		return 0;
	case PK_CAT:
		if ((x = json_is_string(v) ? allot_case_category_parse(json_string_value(v))
					   : -1) >= 0) {
			*(int *)field(p, k) = x;
			return 0;
		}
		json_shown(v, found, sizeof found);
		perr(c, key,
		     "expected a case category (\"A\", \"B\", \"C\" or \"DC\") in %s, "
		     "found %s",
		     path, found);
		return 0;
	case PK_REGIME:
		if ((x = one_of(v, regimes, 2)) >= 0) {
			*(int *)field(p, k) = x;
			return 0;
		}
		json_shown(v, found, sizeof found);
		perr(c, key, "expected \"standard\" or \"streamlined\" in %s, found %s", path,
		     found);
		return 0;
	case PK_SHORTENING:
		snprintf(what, sizeof what,
			 "an array of at most %d fractions 0..1 (one per "
			 "tier)",
			 ALLOT_MAX_TIERS);
		numbers(c, path, v, 0, ALLOT_MAX_TIERS, what, PK_FRAC, k->lim,
			p->cases.tier_shortening, &p->cases.n_tier_shortening);
		return 0;
	case PK_GATES:
		gates(c, path, v, &p->cases);
		return 0;
	case PK_GROUP:
		group(c, path, v, &p->cases);
		return 0;
	}
	return 0;
}

/* The keys expected directly under prefix ("" or "cases.notification."),
 * each once, in table order. */
static void expected_keys(const char *prefix, char *buf, size_t n)
{
	size_t o = 0, pl = strlen(prefix);
	buf[0] = '\0';
	const char *prev = NULL;
	size_t prevn = 0;
	for (size_t i = 0; i < NKEYS && o + 1 < n; i++) {
		if (strncmp(pkeys[i].path, prefix, pl) != 0)
			continue;
		const char *rest = pkeys[i].path + pl;
		size_t len = strcspn(rest, ".");
		if (prev && prevn == len && strncmp(prev, rest, len) == 0)
			continue;
		o += (size_t)snprintf(buf + o, n - o, "%s%.*s", o ? "," : "", (int)len, rest);
		prev = rest;
		prevn = len;
	}
}

/* Reads the members of obj, the object at prefix ("" at the top, else a
 * path ending in '.'), against the table. */
static int walk(struct pctx *c, const json_t *obj, const char *prefix, struct allot_policy *p)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v)
	{
		char path[256];
		snprintf(path, sizeof path, "%s%s", prefix, key);
		size_t pl = strlen(path);
		const struct pkey *exact = NULL;
		int inner = 0;
		/* a key holding a dot is no path of the table */
		for (size_t i = 0; !strchr(key, '.') && i < NKEYS; i++) {
			if (strcmp(pkeys[i].path, path) == 0)
				exact = &pkeys[i];
			else if (strncmp(pkeys[i].path, path, pl) == 0 && pkeys[i].path[pl] == '.')
				inner = 1;
		}
		/* Given at all, the case process starts from its defaults. */
		if (strcmp(path, "cases") == 0) {
			allot_case_policy_default(&p->cases);
			p->cases.set = 1;
		}
		int rc = 0;
		if (exact) {
			rc = apply(c, exact, v, p);
		} else if (inner && json_is_object(v)) {
			char sub[260];
			snprintf(sub, sizeof sub, "%s.", path);
			rc = walk(c, v, sub, p);
		} else if (inner) {
			char found[96];
			json_shown(v, found, sizeof found);
			perr(c, key, "expected an object in %s, found %s", path, found);
		} else {
			char list[512];
			expected_keys(prefix, list, sizeof list);
			perr(c, key, "unknown key \"%s\" in %.*s; expected one of %s", key,
			     prefix[0] ? (int)strlen(prefix) - 1 : (int)strlen("the policy"),
			     prefix[0] ? prefix : "the policy", list);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int policy_from_json(const json_t *j, const char *text, const char *file, struct allot_policy *p,
		     struct allot_diags *d)
{
	struct pctx c = { text, file, d, 0 };
	int rc = allot_policy_default(p);
	if (rc)
		return rc;
	if (!json_is_object(j)) {
		char found[96];
		json_shown(j, found, sizeof found);
		perr(&c, NULL, "expected a JSON object, found %s", found);
		goto done;
	}
	if ((rc = walk(&c, j, "", p)) != 0)
		goto done;
	double sum = 0;
	for (int i = 0; i < ALLOT_CRIT_COUNT; i++)
		sum += p->weight[i];
	if (!c.bad && sum == 0)
		perr(&c, "weights", "expected weights not all zero, found %s", "all zero");
	if (!c.bad && p->n_tier_weights && p->n_tier_weights != p->n_tier_thresholds + 1)
		perr(&c, "tier_weights",
		     "expected %zu numbers in reserve.tier_weights (one per tier), found %zu",
		     p->n_tier_thresholds + 1, p->n_tier_weights);
done:
	if (rc == 0 && c.bad)
		rc = ALLOT_EINPUT;
	if (rc) {
		allot_policy_free(p);
		memset(p, 0, sizeof *p);
	}
	return rc;
}

int policy_parse(const char *text, const char *file, struct allot_policy *p, struct allot_diags *d)
{
	json_t *j = NULL;
	memset(p, 0, sizeof *p);
	int rc = json_parse_bytes(text, strlen(text), JSONP_UNIQUE_KEYS, file, d, &j);
	if (rc == ALLOT_OK)
		rc = policy_from_json(j, NULL, file, p, d);
	json_decref(j);
	return rc;
}

/* ---- writing ------------------------------------------------------------- */

/* Where the text goes: a stream, or a growing buffer that remembers an
 * allocation failure. */
struct out {
	FILE *f;
	char *p;
	size_t n, cap;
	int oom;
	int pretty;
	int depth; /* objects open, the top one included */
	int first; /* nothing written yet in the innermost object */
};

static void put(struct out *o, const char *s, size_t len)
{
	if (o->f) {
		fwrite(s, 1, len, o->f);
		return;
	}
	if (o->oom || mem_grow(&o->p, &o->cap, o->n + len + 1, 1)) {
		o->oom = 1;
		return;
	}
	memcpy(o->p + o->n, s, len);
	o->n += len;
	o->p[o->n] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_num(struct out *o, double v)
{
	char buf[32];
	allot_fmt_double(v, buf);
	puts_(o, buf);
}

/* A JSON string as jansson writes it (quotes, backslashes and control
 * bytes escaped, short forms where JSON has them; UTF-8 passes through). */
static void put_quoted(struct out *o, const char *s)
{
	put(o, "\"", 1);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		const char *short_form = ch == '"'    ? "\\\""
					 : ch == '\\' ? "\\\\"
					 : ch == '\b' ? "\\b"
					 : ch == '\f' ? "\\f"
					 : ch == '\n' ? "\\n"
					 : ch == '\r' ? "\\r"
					 : ch == '\t' ? "\\t"
						      : NULL;
		char esc[8];
		if (short_form) {
			puts_(o, short_form);
		} else if (ch < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04X", ch);
			puts_(o, esc);
		} else {
			put(o, s, 1);
		}
	}
	put(o, "\"", 1);
}

/* Before a member: the comma, then a new line indented to its depth (the
 * file) or a space (one line). */
static void member(struct out *o)
{
	if (!o->first)
		put(o, ",", 1);
	if (o->pretty) {
		put(o, "\n", 1);
		for (int i = 0; i < o->depth; i++)
			put(o, "  ", 2);
	} else if (!o->first) {
		put(o, " ", 1);
	}
	o->first = 0;
}

static void key(struct out *o, const char *k, size_t len)
{
	member(o);
	put(o, "\"", 1);
	put(o, k, len);
	put(o, "\": ", 3);
}

static void open_obj(struct out *o)
{
	put(o, "{", 1);
	o->depth++;
	o->first = 1;
}

static void close_obj(struct out *o)
{
	o->depth--;
	if (o->pretty && !o->first) {
		put(o, "\n", 1);
		for (int i = 0; i < o->depth; i++)
			put(o, "  ", 2);
	}
	put(o, "}", 1);
	o->first = 0;
}

static void put_array(struct out *o, const double *v, size_t n)
{
	put(o, "[", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(o, ", ", 2);
		put_num(o, v[i]);
	}
	put(o, "]", 1);
}

static void value(struct out *o, const struct allot_policy *p, const struct pkey *k)
{
	const struct allot_case_policy *cp = &p->cases;
	switch (k->kind) {
	case PK_NUM:
	case PK_DAYS:
	case PK_USD:
	case PK_FRAC:
		put_num(o, *(const double *)cfield(p, k));
		return;
	case PK_THEATERS:
		open_obj(o);
		for (size_t t = 0; t < p->n_theaters; t++) {
			member(o);
			put_quoted(o, p->theaters[t].region);
			put(o, ": ", 2);
			put_num(o, p->theaters[t].weight);
		}
		close_obj(o);
		return;
	case PK_TIERS:
		put_array(o, p->tier_min, p->n_tier_thresholds);
		return;
	case PK_TIER_WEIGHTS:
		put_array(o, p->tier_weight, p->n_tier_weights);
		return;
	case PK_BOOL:
		puts_(o, *(const int *)cfield(p, k) ? "true" : "false");
		return;
	case PK_CAT:
		put(o, "\"", 1);
		puts_(o, allot_case_category_name(*(const int *)cfield(p, k)));
		put(o, "\"", 1);
		return;
	case PK_REGIME:
		puts_(o, *(const int *)cfield(p, k) ? "\"streamlined\"" : "\"standard\"");
		return;
	case PK_SHORTENING:
		put_array(o, cp->tier_shortening, cp->n_tier_shortening);
		return;
	case PK_GATES: /* on one line in both forms */
		put(o, "{", 1);
		for (size_t i = 0; i < cp->n_gates; i++) {
			char tier[16];
			if (i)
				put(o, ", ", 2);
			put_quoted(o, cp->gates[i].system_id);
			snprintf(tier, sizeof tier, ": %d", cp->gates[i].min_tier);
			puts_(o, tier);
		}
		put(o, "}", 1);
		return;
	case PK_GROUP:
		put(o, "[", 1);
		for (size_t i = 0; i < cp->n_nato_plus; i++) {
			if (i)
				put(o, ", ", 2);
			put_quoted(o, cp->nato_plus[i]);
		}
		put(o, "]", 1);
		return;
	}
}

/* Every row in table order: the objects of each path opened and closed
 * as the paths go. */
static void write_policy(struct out *o, const struct allot_policy *p)
{
	const char *open[8] = { 0 }; /* the components open, as pointers into a path */
	size_t openlen[8] = { 0 };
	int nopen = 0;
	open_obj(o);
	for (size_t i = 0; i < NKEYS; i++) {
		const struct pkey *k = &pkeys[i];
		if (!present(p, k))
			continue;
		/* Keep the objects this path shares with the open ones. */
		const char *s = k->path;
		int level = 0;
		for (;;) {
			size_t len = strcspn(s, ".");
			if (s[len] == '\0' || level >= nopen || openlen[level] != len ||
			    strncmp(open[level], s, len) != 0)
				break;
			level++;
			s += len + 1;
		}
		for (; nopen > level; nopen--)
			close_obj(o);
		for (;;) {
			size_t len = strcspn(s, ".");
			if (s[len] == '\0')
				break;
			key(o, s, len);
			open_obj(o);
			open[nopen] = s;
			openlen[nopen++] = len;
			s += len + 1;
		}
		key(o, s, strlen(s));
		value(o, p, k);
	}
	for (; nopen > 0; nopen--)
		close_obj(o);
	close_obj(o);
	if (o->pretty)
		put(o, "\n", 1);
}

void policy_write(const struct allot_policy *p, FILE *f)
{
	struct out o = { .f = f, .pretty = 1 };
	write_policy(&o, p);
}

char *allot_policy_json(const struct allot_policy *p, int pretty)
{
	struct out o = { .pretty = pretty };
	write_policy(&o, p);
	if (o.oom) {
		mem_free(o.p);
		return NULL;
	}
	return o.p;
}

/* The next character of a JSON string at *s (just after the opening quote
 * or the previous character), escapes decoded: -1 at the closing quote, -2
 * at the end of the text. */
static long str_char(const char **s)
{
	const char *p = *s;
	if (*p == '\0')
		return -2;
	*s = p + 1;
	if (*p == '"')
		return -1;
	if (*p != '\\')
		return (unsigned char)*p;
	static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
	const char *e = p[1] ? strchr(from, p[1]) : NULL;
	*s = p + 2;
	if (e)
		return to[e - from];
	if (p[1] != 'u')
		return p[1] ? (unsigned char)p[1] : -2;
	long c = 0;
	for (int i = 2; i < 6; i++) {
		const char *hex = "0123456789abcdef", *h;
		char ch = (char)(p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 'a' : p[i]);
		if (!ch || !(h = strchr(hex, ch)))
			return -2;
		c = c * 16 + (h - hex);
	}
	*s = p + 6;
	return c;
}

int policy_text_same(const struct allot_policy *p, const char *text)
{
	char *mine = allot_policy_json(p, 0);
	if (!mine)
		return -1;
	const char *a = mine, *b = text, *ws = " \t\n\r";
	int same = 1;
	for (;;) {
		a += strspn(a, ws);
		b += strspn(b, ws);
		if (*a != *b) {
			same = 0;
			break;
		}
		if (*a == '\0')
			break;
		char ch = *a++;
		b++;
		if (ch != '"')
			continue;
		long x, y;
		do {
			x = str_char(&a);
			y = str_char(&b);
		} while (x == y && x >= 0);
		if (x != y || x == -2) {
			same = 0;
			break;
		}
	}
	mem_free(mine);
	return same;
}

int policy_check(const struct allot_policy *p, const char *file, struct allot_diags *d)
{
	/* Two regions with one name cannot both be keys of a JSON object. */
	for (size_t i = 0; i < p->n_theaters; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(p->theaters[i].region, p->theaters[j].region) == 0) {
				allot_diags_add(d, file, 0, 0,
						"expected distinct theater regions in the "
						"policy, found '%s' twice",
						p->theaters[i].region);
				return ALLOT_EINPUT;
			}
	int ok = p->n_tier_thresholds <= ALLOT_MAX_TIERS && p->n_tier_weights <= ALLOT_MAX_TIERS;
	for (size_t i = 0; ok && i < NKEYS; i++)
		if (is_double(pkeys[i].kind) && present(p, &pkeys[i]))
			ok &= isfinite(*(const double *)cfield(p, &pkeys[i]));
	for (size_t i = 0; ok && i < p->n_theaters; i++)
		ok &= isfinite(p->theaters[i].weight);
	for (size_t i = 0; ok && i < p->n_tier_thresholds; i++)
		ok &= isfinite(p->tier_min[i]);
	for (size_t i = 0; ok && i < p->n_tier_weights; i++)
		ok &= isfinite(p->tier_weight[i]);
	if (!ok) {
		allot_diags_add(d, file, 0, 0,
				"expected at most %d tier thresholds and "
				"finite numbers in the policy, found %zu thresholds or "
				"NaN or infinity",
				ALLOT_MAX_TIERS, p->n_tier_thresholds);
		return ALLOT_EINPUT;
	}
	return ALLOT_OK;
}

void json_write_string(FILE *f, const char *s)
{
	json_t *j = json_string(s);
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	fputs(t ? t : "\"\"", f);
	free(t);
	json_decref(j);
}
