/*
 * policy.c - policy.json <-> struct allot_policy (see policy.h).
 *
 * The file is an object of sections ("weights", "investment", ...), each an
 * object of numbers, plus the top-level "tiers" array and the optional
 * "reserve": {"tier_weights": [...]} (written only when set, so files
 * without it keep their canonical form).  pkeys below lists
 * every key once, in the order the writer prints them.  Written by hand
 * rather than with json_dumps so that numbers take the canonical form of
 * allot_fmt_double (jansson prints 0.3 as 0.29999999999999999).
 */
#include "io/policy.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "cases/case_int.h"
#include "io/json.h"
#include "util/mem.h"

enum pkind { PK_NUM, PK_THEATERS, PK_TIERS, PK_TIER_WEIGHTS, PK_CASES };

struct pkey {
	const char *section; /* NULL: a top-level key */
	const char *key;
	enum pkind kind;
	size_t off; /* of the double in struct allot_policy (PK_NUM) */
	enum allot_range_id lim;
};

#define OFF(f) offsetof(struct allot_policy, f)

static const struct pkey pkeys[] = {
	{ "weights", "investment", PK_NUM, OFF(weight[ALLOT_CRIT_INVESTMENT]), ALLOT_RANGE_WEIGHT },
	{ "weights", "growth", PK_NUM, OFF(weight[ALLOT_CRIT_GROWTH]), ALLOT_RANGE_WEIGHT },
	{ "weights", "geography", PK_NUM, OFF(weight[ALLOT_CRIT_GEOGRAPHY]), ALLOT_RANGE_WEIGHT },
	{ "weights", "operations", PK_NUM, OFF(weight[ALLOT_CRIT_OPERATIONS]), ALLOT_RANGE_WEIGHT },
	{ "weights", "economic", PK_NUM, OFF(weight[ALLOT_CRIT_ECONOMIC]), ALLOT_RANGE_WEIGHT },
	{ "investment", "target_pct", PK_NUM, OFF(target_pct), ALLOT_RANGE_REF },
	{ "growth", "full_pct", PK_NUM, OFF(growth_full_pct), ALLOT_RANGE_REF },
	{ "geography", "theater_weights", PK_THEATERS, 0, ALLOT_RANGE_WEIGHT },
	{ "geography", "default_theater", PK_NUM, OFF(default_theater), ALLOT_RANGE_WEIGHT },
	{ "geography", "frontline_factor", PK_NUM, OFF(frontline_factor), ALLOT_RANGE_WEIGHT },
	{ "geography", "rear_factor", PK_NUM, OFF(rear_factor), ALLOT_RANGE_WEIGHT },
	{ "operations", "troops_ref", PK_NUM, OFF(troops_ref), ALLOT_RANGE_REF },
	{ "operations", "basing_max", PK_NUM, OFF(basing_max), ALLOT_RANGE_REF },
	{ "economic", "ref_usd", PK_NUM, OFF(economic_ref_usd), ALLOT_RANGE_REF },
	{ "economic", "unit_usd", PK_NUM, OFF(economic_unit_usd), ALLOT_RANGE_REF },
	{ "economic", "invest_multiplier", PK_NUM, OFF(invest_multiplier), ALLOT_RANGE_WEIGHT },
	{ "penalties", "delinquent", PK_NUM, OFF(penalty_delinquent), ALLOT_RANGE_POINTS },
	{ "penalties", "violation", PK_NUM, OFF(penalty_violation), ALLOT_RANGE_POINTS },
	{ NULL, "tiers", PK_TIERS, 0, ALLOT_RANGE_WEIGHT },
	/* Optional: written only when set (n_tier_weights > 0). */
	{ "reserve", "tier_weights", PK_TIER_WEIGHTS, 0, ALLOT_RANGE_WEIGHT },
	/* Optional: the case process (lib/cases), written only when set. */
	{ NULL, "cases", PK_CASES, 0, ALLOT_RANGE_WEIGHT },
};
#define NKEYS (sizeof pkeys / sizeof *pkeys)

/* The double a PK_NUM key sets (through void *: the offset is of a double). */
static double *field_of(struct allot_policy *p, const struct pkey *k)
{
	void *v = (char *)p + k->off;
	return v;
}

static double value_of(const struct allot_policy *p, const struct pkey *k)
{
	const void *v = (const char *)p + k->off;
	const double *d = v;
	return *d;
}

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

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
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	long line = 0, col = 0;
	if (c->text && key)
		json_find_key(c->text, key, &line, &col);
	allot_diags_add(c->d, c->file, line, col, "%s", buf);
	c->bad = 1;
}

/* A JSON value as shown in messages (compact, shortened). */
static void shown(const json_t *v, char *buf, size_t n)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	snprintf(buf, n, "%s", s ? s : "?");
	if (s && strlen(s) >= n && n > 4)
		memcpy(buf + n - 4, "...", 4);
	free(s);
}

/* A number in its range from the one table (lib/ranges.c). */
static int num(struct pctx *c, const char *key, const char *path,
	       const json_t *v, enum allot_range_id lim, double *out)
{
	char found[96], what[96];
	allot_range_text(lim, what, sizeof what);
	double x = json_is_number(v) ? json_number_value(v) : NAN;
	if (!json_is_number(v) || !allot_range_ok(lim, x)) {
		shown(v, found, sizeof found);
		perr(c, key, "expected %s in %s, found %s", what, path, found);
		return -1;
	}
	*out = x;
	return 0;
}

static void key_list(const char *section, char *buf, size_t n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < NKEYS && o < n; i++) {
		const char *name = NULL;
		if (section)
			name = same(pkeys[i].section, section) ? pkeys[i].key : NULL;
		else if (!pkeys[i].section)
			name = pkeys[i].key;
		else if (i == 0 || !same(pkeys[i - 1].section, pkeys[i].section))
			name = pkeys[i].section;
		if (name)
			o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? "," : "", name);
	}
}

static int theaters(struct pctx *c, const json_t *v, struct allot_policy *p)
{
	const char *path = "geography.theater_weights";
	if (!json_is_object(v)) {
		char found[96];
		shown(v, found, sizeof found);
		perr(c, "theater_weights", "expected an object of region weights in %s, found %s",
		     path, found);
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
	json_object_foreach((json_t *)v, region, w) {
		char sub[256];
		snprintf(sub, sizeof sub, "%s.%s", path, region);
		double x;
		if (num(c, region, sub, w, ALLOT_RANGE_WEIGHT, &x) != 0)
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

static void tiers(struct pctx *c, const json_t *v, struct allot_policy *p)
{
	char found[96];
	if (!json_is_array(v)) {
		shown(v, found, sizeof found);
		perr(c, "tiers", "expected an array of descending score thresholds in tiers, found %s",
		     found);
		return;
	}
	size_t n = json_array_size(v);
	if (n > ALLOT_MAX_TIERS - 1) {
		perr(c, "tiers", "expected at most %d thresholds in tiers, found %zu",
		     ALLOT_MAX_TIERS - 1, n);
		return;
	}
	p->n_tier_thresholds = n;
	for (size_t i = 0; i < n; i++) {
		char path[32];
		snprintf(path, sizeof path, "tiers[%zu]", i);
		const json_t *x = json_array_get(v, i);
		double t;
		if (num(c, "tiers", path, x, ALLOT_RANGE_POINTS, &t) != 0)
			continue;
		p->tier_min[i] = t;
		if (i > 0 && !(t < p->tier_min[i - 1])) {
			char a[32], b[32];
			allot_fmt_double(p->tier_min[i - 1], a);
			allot_fmt_double(t, b);
			perr(c, "tiers", "expected tiers in strictly descending order, found %s after %s",
			     b, a);
		}
	}
}

/* reserve.tier_weights: one number >= 0 per tier (checked against the
 * number of tiers once the whole file is read). */
static void tier_weights(struct pctx *c, const json_t *v, struct allot_policy *p)
{
	char found[96];
	const char *path = "reserve.tier_weights";
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > ALLOT_MAX_TIERS) {
		shown(v, found, sizeof found);
		perr(c, "tier_weights",
		     "expected an array of 1 to %d numbers >= 0 (one per tier) in %s, found %s",
		     ALLOT_MAX_TIERS, path, found);
		return;
	}
	p->n_tier_weights = json_array_size(v);
	for (size_t i = 0; i < p->n_tier_weights; i++) {
		char sub[48];
		snprintf(sub, sizeof sub, "%s[%zu]", path, i);
		num(c, "tier_weights", sub, json_array_get(v, i), ALLOT_RANGE_WEIGHT, &p->tier_weight[i]);
	}
}

static int apply(struct pctx *c, const struct pkey *k, const json_t *v,
		 struct allot_policy *p)
{
	char path[128];
	snprintf(path, sizeof path, "%s%s%s", k->section ? k->section : "",
		 k->section ? "." : "", k->key);
	switch (k->kind) {
	case PK_NUM:
		num(c, k->key, path, v, k->lim, field_of(p, k));
		return 0;
	case PK_THEATERS:
		return theaters(c, v, p);
	case PK_TIERS:
		tiers(c, v, p);
		return 0;
	case PK_TIER_WEIGHTS:
		tier_weights(c, v, p);
		return 0;
	case PK_CASES: {
		int rc = case_policy_from_json(v, c->text, c->file, &p->cases, c->d);
		if (rc == ALLOT_EINPUT)
			c->bad = 1;
		return rc == ALLOT_EINPUT ? 0 : rc;
	}
	}
	return 0;
}

static const struct pkey *find(const char *section, const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (same(pkeys[i].section, section) && strcmp(pkeys[i].key, key) == 0)
			return &pkeys[i];
	return NULL;
}

static int is_section(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (pkeys[i].section && strcmp(pkeys[i].section, name) == 0)
			return 1;
	return 0;
}

static int section(struct pctx *c, const char *name, const json_t *obj,
		   struct allot_policy *p)
{
	char found[96], list[512];
	if (!json_is_object(obj)) {
		shown(obj, found, sizeof found);
		perr(c, name, "expected an object in %s, found %s", name, found);
		return 0;
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		const struct pkey *k = find(name, key);
		if (!k) {
			key_list(name, list, sizeof list);
			perr(c, key, "unknown key \"%s\" in %s; expected one of %s", key,
			     name, list);
			continue;
		}
		int rc = apply(c, k, v, p);
		if (rc)
			return rc;
	}
	return 0;
}

int policy_from_json(const json_t *j, const char *text, const char *file,
		     struct allot_policy *p, struct allot_diags *d)
{
	struct pctx c = { text, file, d, 0 };
	int rc = allot_policy_default(p);
	if (rc)
		return rc;
	if (!json_is_object(j)) {
		char found[96];
		shown(j, found, sizeof found);
		perr(&c, NULL, "expected a JSON object, found %s", found);
		goto done;
	}
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)j, key, v) {
		const struct pkey *k = find(NULL, key);
		if (k) {
			rc = apply(&c, k, v, p);
		} else if (is_section(key)) {
			rc = section(&c, key, v, p);
		} else {
			char list[512];
			key_list(NULL, list, sizeof list);
			perr(&c, key, "unknown key \"%s\" in %s; expected one of %s", key,
			     "the policy", list);
		}
		if (rc)
			goto done;
	}
	double sum = 0;
	for (int i = 0; i < ALLOT_CRIT_COUNT; i++)
		sum += p->weight[i];
	if (!c.bad && sum == 0)
		perr(&c, "weights", "expected weights not all zero, found %s", "all zero");
	if (!c.bad && p->n_tier_weights &&
	    p->n_tier_weights != p->n_tier_thresholds + 1)
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

void json_write_string(FILE *f, const char *s)
{
	json_t *j = json_string(s);
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	fputs(t ? t : "\"\"", f);
	free(t);
	json_decref(j);
}

static void write_num(FILE *f, double v)
{
	char buf[32];
	allot_fmt_double(v, buf);
	fputs(buf, f);
}

void policy_write(const struct allot_policy *p, FILE *f)
{
	const char *open = NULL;
	int ntop = 0, nin = 0;
	fputs("{\n", f);
	for (size_t i = 0; i < NKEYS; i++) {
		const struct pkey *k = &pkeys[i];
		if ((k->kind == PK_TIER_WEIGHTS && p->n_tier_weights == 0) ||
		    (k->kind == PK_CASES && !p->cases.set))
			continue;
		if (open && !same(open, k->section)) {
			fputs("\n  }", f);
			open = NULL;
		}
		if (k->section && !open) {
			fprintf(f, "%s  \"%s\": {\n", ntop++ ? ",\n" : "", k->section);
			open = k->section;
			nin = 0;
		}
		const char *ind = k->section ? "    " : "  ";
		if (k->section ? nin++ : ntop++)
			fputs(",\n", f);
		fprintf(f, "%s\"%s\": ", ind, k->key);
		switch (k->kind) {
		case PK_NUM:
			write_num(f, value_of(p, k));
			break;
		case PK_THEATERS:
			if (p->n_theaters == 0) {
				fputs("{}", f);
				break;
			}
			fputs("{\n", f);
			for (size_t t = 0; t < p->n_theaters; t++) {
				fprintf(f, "%s  ", ind);
				json_write_string(f, p->theaters[t].region);
				fputs(": ", f);
				write_num(f, p->theaters[t].weight);
				fputs(t + 1 < p->n_theaters ? ",\n" : "\n", f);
			}
			fprintf(f, "%s}", ind);
			break;
		case PK_TIERS:
			fputs("[", f);
			for (size_t t = 0; t < p->n_tier_thresholds; t++) {
				if (t)
					fputs(", ", f);
				write_num(f, p->tier_min[t]);
			}
			fputs("]", f);
			break;
		case PK_TIER_WEIGHTS:
			fputs("[", f);
			for (size_t t = 0; t < p->n_tier_weights; t++) {
				if (t)
					fputs(", ", f);
				write_num(f, p->tier_weight[t]);
			}
			fputs("]", f);
			break;
		case PK_CASES:
			case_policy_write(&p->cases, f, 1);
			break;
		}
	}
	if (open)
		fputs("\n  }", f);
	fputs("\n}\n", f);
}
