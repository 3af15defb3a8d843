/*
 * store_policy.c - a policy as policy.json text, for scenarios.policy_json.
 *
 * The text has the shape of policy.json (docs/scenario-format.md) with the
 * keys in one fixed order, so equal policies give equal text:
 *   {"weights": {"investment", "growth", "geography", "operations",
 *                "economic"},
 *    "investment": {"target_pct"}, "growth": {"full_pct"},
 *    "geography": {"theater_weights": {region: w, ... in table order},
 *                  "default_theater", "frontline_factor", "rear_factor"},
 *    "operations": {"troops_ref", "basing_max"},
 *    "economic": {"ref_usd", "unit_usd", "invest_multiplier"},
 *    "penalties": {"delinquent", "violation"},
 *    "tiers": [tier_min...]
 *    [, "reserve": {"tier_weights": [w...]}]}   (only when set)
 * Numbers are written in the canonical shortest form (allot_fmt_double),
 * so every double reads back bit for bit (-0 reads back as 0).  The text is
 * written here by hand (one buffer, no library) and read with jansson;
 * because jansson does not report every allocation failure, a read policy
 * is written again and must give the stored text, else the read failed.
 */
#include "store_int.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/case_int.h"
#include "util/mem.h"

/* The numeric settings in JSON order: section and key here, the field in
 * num_at (same order). */
static const struct num_key {
	const char *section, *key;
} num_keys[] = {
	{ "investment", "target_pct" },
	{ "growth", "full_pct" },
	{ "geography", "default_theater" },
	{ "geography", "frontline_factor" },
	{ "geography", "rear_factor" },
	{ "operations", "troops_ref" },
	{ "operations", "basing_max" },
	{ "economic", "ref_usd" },
	{ "economic", "unit_usd" },
	{ "economic", "invest_multiplier" },
	{ "penalties", "delinquent" },
	{ "penalties", "violation" },
};

#define NKEYS (sizeof num_keys / sizeof *num_keys)

static double *num_at(struct allot_policy *p, size_t i)
{
	double *const v[NKEYS] = {
		&p->target_pct, &p->growth_full_pct, &p->default_theater,
		&p->frontline_factor, &p->rear_factor, &p->troops_ref,
		&p->basing_max, &p->economic_ref_usd, &p->economic_unit_usd,
		&p->invest_multiplier, &p->penalty_delinquent, &p->penalty_violation,
	};
	return v[i];
}

/* A growing text buffer that remembers an allocation failure. */
struct jbuf {
	char *p;
	size_t n, cap;
	int oom;
};

static void jb_put(struct jbuf *b, const char *s, size_t len)
{
	if (b->oom || mem_grow(&b->p, &b->cap, b->n + len + 1, 1)) {
		b->oom = 1;
		return;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

static void jb_str(struct jbuf *b, const char *s)
{
	jb_put(b, s, strlen(s));
}

/* A JSON string: quotes, backslashes and control bytes escaped; UTF-8
 * passes through. */
static void jb_quoted(struct jbuf *b, const char *s)
{
	jb_put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			jb_put(b, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			jb_put(b, esc, 6);
		} else {
			jb_put(b, s, 1);
		}
	}
	jb_put(b, "\"", 1);
}

static void jb_num(struct jbuf *b, double v)
{
	char buf[32];
	allot_fmt_double(v, buf);
	jb_str(b, buf);
}

/* "key": number, with the separator before it unless first. */
static void jb_field(struct jbuf *b, int first, const char *key, double v)
{
	if (!first)
		jb_str(b, ", ");
	jb_quoted(b, key);
	jb_str(b, ": ");
	jb_num(b, v);
}

/* The case process settings (lib/cases), on one line, after the rest. */
static void write_cases(struct jbuf *b, const struct allot_case_policy *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		b->oom = 1;
		return;
	}
	case_policy_write(c, f, 0);
	if (fclose(f) != 0 || !text) {
		b->oom = 1;
	} else {
		jb_str(b, ", \"cases\": ");
		jb_str(b, text);
	}
	free(text);
}

static void write_policy(struct jbuf *b, const struct allot_policy *p)
{
	jb_str(b, "{\"weights\": {");
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		jb_field(b, k == 0, allot_criterion_name(k), p->weight[k]);
	jb_str(b, "}");
	const char *open = NULL;
	for (size_t i = 0; i < NKEYS; i++) {
		int first = !open || strcmp(open, num_keys[i].section) != 0;
		if (first) {
			jb_str(b, open ? "}, " : ", ");
			jb_quoted(b, num_keys[i].section);
			jb_str(b, ": {");
			open = num_keys[i].section;
		}
		if (first && strcmp(open, "geography") == 0) {
			jb_str(b, "\"theater_weights\": {");
			for (size_t t = 0; t < p->n_theaters; t++)
				jb_field(b, t == 0, p->theaters[t].region,
					 p->theaters[t].weight);
			jb_str(b, "}");
			first = 0;
		}
		jb_field(b, first, num_keys[i].key, *num_at((struct allot_policy *)p, i));
	}
	jb_str(b, "}, \"tiers\": [");
	for (size_t i = 0; i < p->n_tier_thresholds; i++) {
		if (i)
			jb_str(b, ", ");
		jb_num(b, p->tier_min[i]);
	}
	jb_str(b, "]");
	if (p->n_tier_weights) {
		jb_str(b, ", \"reserve\": {\"tier_weights\": [");
		for (size_t i = 0; i < p->n_tier_weights && i < ALLOT_MAX_TIERS; i++) {
			if (i)
				jb_str(b, ", ");
			jb_num(b, p->tier_weight[i]);
		}
		jb_str(b, "]}");
	}
	if (p->cases.set)
		write_cases(b, &p->cases);
	jb_str(b, "}");
}

static int finite_policy(const struct allot_policy *p)
{
	int ok = 1;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		ok &= isfinite(p->weight[k]);
	for (size_t i = 0; i < NKEYS; i++)
		ok &= isfinite(*num_at((struct allot_policy *)p, i));
	for (size_t i = 0; i < p->n_theaters; i++)
		ok &= isfinite(p->theaters[i].weight);
	for (size_t i = 0; i < p->n_tier_thresholds && i < ALLOT_MAX_TIERS; i++)
		ok &= isfinite(p->tier_min[i]);
	for (size_t i = 0; i < p->n_tier_weights && i < ALLOT_MAX_TIERS; i++)
		ok &= isfinite(p->tier_weight[i]);
	return ok;
}

int store_policy_to_json(const struct allot_policy *p, char **out,
			 struct allot_diags *d, const char *file)
{
	*out = NULL;
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
	if (p->n_tier_thresholds > ALLOT_MAX_TIERS || p->n_tier_weights > ALLOT_MAX_TIERS ||
	    !finite_policy(p)) {
		allot_diags_add(d, file, 0, 0, "expected at most %d tier thresholds and "
				"finite numbers in the policy, found %zu thresholds or "
				"NaN or infinity", ALLOT_MAX_TIERS, p->n_tier_thresholds);
		return ALLOT_EINPUT;
	}
	struct jbuf b = { 0 };
	write_policy(&b, p);
	if (b.oom) {
		mem_free(b.p);
		return ALLOT_ENOMEM;
	}
	*out = b.p;
	return ALLOT_OK;
}

static int get_num(json_t *obj, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

static int read_policy(json_t *root, struct allot_policy *p)
{
	json_t *w = json_object_get(root, "weights");
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		if (get_num(w, allot_criterion_name(k), &p->weight[k]))
			return ALLOT_EINPUT;
	for (size_t i = 0; i < NKEYS; i++)
		if (get_num(json_object_get(root, num_keys[i].section), num_keys[i].key,
			    num_at(p, i)))
			return ALLOT_EINPUT;
	json_t *tiers = json_object_get(root, "tiers");
	if (!json_is_array(tiers) || json_array_size(tiers) > ALLOT_MAX_TIERS)
		return ALLOT_EINPUT;
	p->n_tier_thresholds = json_array_size(tiers);
	for (size_t i = 0; i < p->n_tier_thresholds; i++)
		if (!json_is_number(json_array_get(tiers, i)))
			return ALLOT_EINPUT;
		else
			p->tier_min[i] = json_number_value(json_array_get(tiers, i));
	json_t *res = json_object_get(root, "reserve");
	if (res) {
		json_t *tw = json_object_get(res, "tier_weights");
		if (!json_is_array(tw) || json_array_size(tw) > ALLOT_MAX_TIERS)
			return ALLOT_EINPUT;
		p->n_tier_weights = json_array_size(tw);
		for (size_t i = 0; i < p->n_tier_weights; i++)
			if (!json_is_number(json_array_get(tw, i)))
				return ALLOT_EINPUT;
			else
				p->tier_weight[i] = json_number_value(json_array_get(tw, i));
	}
	json_t *cases = json_object_get(root, "cases");
	if (cases) {
		struct allot_diags local;
		allot_diags_init(&local);
		int rc = case_policy_from_json(cases, NULL, "policy_json", &p->cases, &local);
		allot_diags_free(&local);
		if (rc)
			return rc;
	}
	json_t *th = json_object_get(json_object_get(root, "geography"), "theater_weights");
	if (!json_is_object(th))
		return ALLOT_EINPUT;
	size_t n = json_object_size(th);
	if (n && !(p->theaters = mem_calloc(n, sizeof *p->theaters)))
		return ALLOT_ENOMEM;
	const char *region;
	json_t *val;
	json_object_foreach(th, region, val) {
		if (!json_is_number(val))
			return ALLOT_EINPUT;
		struct allot_theater *t = &p->theaters[p->n_theaters];
		if (!(t->region = mem_strdup(region)))
			return ALLOT_ENOMEM;
		t->weight = json_number_value(val);
		p->n_theaters++;
	}
	return ALLOT_OK;
}

int store_policy_from_json(const char *text, struct allot_policy *p,
			   struct allot_diags *d, const char *file)
{
	memset(p, 0, sizeof *p);
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	if (!root) {
		allot_diags_add(d, file, 0, 0,
				"expected policy JSON in scenarios.policy_json, found "
				"text that does not parse: %s", err.text);
		return ALLOT_ESTORE;
	}
	int rc = read_policy(root, p);
	json_decref(root);
	if (rc == ALLOT_OK) {
		/* Written again, the policy must give the stored text. */
		struct jbuf b = { 0 };
		write_policy(&b, p);
		if (b.oom) {
			rc = ALLOT_ENOMEM;
		} else if (strcmp(b.p, text) != 0) {
			allot_diags_add(d, file, 0, 0,
					"expected scenarios.policy_json in the form the "
					"store writes, found text that reads back "
					"differently");
			rc = ALLOT_ESTORE;
		}
		mem_free(b.p);
	}
	if (rc != ALLOT_OK) {
		allot_policy_free(p);
		memset(p, 0, sizeof *p);
		if (rc == ALLOT_EINPUT) {
			allot_diags_add(d, file, 0, 0,
					"expected every policy setting in "
					"scenarios.policy_json, found one missing or "
					"not a number");
			rc = ALLOT_ESTORE;
		}
	}
	return rc;
}
