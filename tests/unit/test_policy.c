/*
 * test_policy.c - the policy codec (lib/io/policy.c): policy.json ->
 * struct -> canonical text -> struct, on the bundled file and on random
 * policies, in both layouts (the file's and the store's one line); the
 * defaults; and the range error of every key, each at its position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/json.h"
#include "io/policy.h"
#include "store/store_int.h"
#include "testutil.h"

/* Reads text as the loader reads policy.json. */
static int read_text(const char *text, struct allot_policy *p, struct allot_diags *d)
{
	json_t *j = NULL;
	memset(p, 0, sizeof *p);
	int rc = json_parse_bytes(text, strlen(text), JSONP_UNIQUE_KEYS, "policy.json", d, &j);
	if (rc == ALLOT_OK)
		rc = policy_from_json(j, text, "policy.json", p, d);
	json_decref(j);
	return rc;
}

static char *file_text(const struct allot_policy *p)
{
	char *t = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&t, &n);
	assert_non_null(f);
	policy_write(p, f);
	assert_int_equal(fclose(f), 0);
	return t;
}

/* text -> struct -> canonical text (both layouts) -> struct: the same
 * settings, and the same text when written again. */
static void round_trip(const struct allot_policy *p)
{
	struct allot_diags d;
	allot_diags_init(&d);
	for (int pretty = 0; pretty <= 1; pretty++) {
		char *t1 = allot_policy_json(p, pretty);
		assert_non_null(t1);
		struct allot_policy q;
		int rc = read_text(t1, &q, &d);
		if (rc != ALLOT_OK) {
			allot_diags_print(&d, stderr);
			fprintf(stderr, "%s\n", t1);
		}
		assert_int_equal(rc, ALLOT_OK);
		tu_same_policy(p, &q);
		char *t2 = allot_policy_json(&q, pretty);
		assert_string_equal(t1, t2);
		assert_int_equal(policy_text_same(&q, t1), 1);
		struct allot_policy r;
		assert_int_equal(policy_parse(t1, "store", &r, &d), ALLOT_OK);
		tu_same_policy(p, &r);
		if (pretty) { /* the file's layout is policy_write's */
			char *w = file_text(&q);
			assert_string_equal(w, t1);
			free(w);
		} else {
			assert_null(strchr(t1, '\n'));
		}
		free(t1);
		free(t2);
		allot_policy_free(&q);
		allot_policy_free(&r);
	}
	allot_diags_free(&d);
}

static void bundled_file_round_trips_byte_for_byte(void **state)
{
	(void)state;
	size_t n;
	char *text = tu_slurp(tu_src("data/default/policy.json"), &n);
	assert_non_null(text);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_policy p;
	assert_int_equal(read_text(text, &p, &d), ALLOT_OK);
	char *w = file_text(&p);
	assert_string_equal(w, text);
	round_trip(&p);
	/* The bundled file is the default policy: the table's defaults. */
	struct allot_policy def;
	assert_int_equal(allot_policy_default(&def), ALLOT_OK);
	char *t = allot_policy_json(&def, 1);
	assert_string_equal(t, text);
	tu_same_policy(&p, &def);
	free(t);
	/* The store's line, as earlier versions wrote it. */
	t = allot_policy_json(&def, 0);
	assert_string_equal(
		t, "{\"weights\": {\"investment\": 0.3, \"growth\": 0.1, \"geography\": 0.25, "
		   "\"operations\": 0.2, \"economic\": 0.15}, \"investment\": {\"target_pct\": 5}, "
		   "\"growth\": {\"full_pct\": 30}, \"geography\": {\"theater_weights\": "
		   "{\"indo-pacific\": 1, \"europe-east\": 1, \"middle-east\": 0.7, "
		   "\"europe-west\": 0.5, \"south-asia\": 0.6, \"americas\": 0.3, \"africa\": 0.2, "
		   "\"other\": 0.2}, \"default_theater\": 0.2, \"frontline_factor\": 1, "
		   "\"rear_factor\": 0.6}, \"operations\": {\"troops_ref\": 50000, "
		   "\"basing_max\": 3}, \"economic\": {\"ref_usd\": 50000000000, "
		   "\"unit_usd\": 1000000, \"invest_multiplier\": 2}, \"penalties\": "
		   "{\"delinquent\": 10, \"violation\": 25}, \"tiers\": [65, 40]}");
	/* The spacing of the cases object changed; such text still checks. */
	allot_case_policy_default(&def.cases);
	def.cases.set = 1;
	free(t);
	t = allot_policy_json(&def, 0);
	char *cases = strstr(t, "\"cases\": {");
	assert_non_null(cases);
	char old[4096];
	snprintf(old, sizeof old,
		 "%.*s\"cases\": { \"processing_days\": { \"A\": 45, \"B\": 100, "
		 "\"C\": 150, \"DC\": 150 }, %s",
		 (int)(cases - t), t, strstr(cases, "\"default_category\""));
	old[strlen(old) - 1] = '\0';
	strcat(old, " }");
	assert_int_equal(policy_text_same(&def, old), 1);
	struct allot_policy back;
	assert_int_equal(store_policy_from_json(old, &back, &d, "s.db"), ALLOT_OK);
	tu_same_policy(&def, &back);
	allot_policy_free(&back);
	/* ... but a changed figure does not. */
	char *x = strstr(old, "\"C\": 150");
	x[6] = '6';
	assert_int_equal(policy_text_same(&def, old), 0);
	free(t);
	free(w);
	free(text);
	allot_policy_free(&p);
	allot_policy_free(&def);
	allot_diags_free(&d);
}

/* ---- random policies ----------------------------------------------------- */

static uint64_t seed = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	return tu_xorshift(&seed);
}

/* A double in [lo, hi]: a bound, a round figure or an arbitrary one. */
static double pick(double lo, double hi)
{
	switch (rnd() % 5) {
	case 0:
		return hi;
	case 1:
		return lo;
	case 2:
		return fmax(lo, floor(lo + (double)(rnd() % 1000) / 1000 * (hi - lo)));
	default:
		return lo + (double)(rnd() >> 11) / 9007199254740992.0 * (hi - lo);
	}
}

static void random_policy(struct allot_policy *p)
{
	memset(p, 0, sizeof *p);
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		p->weight[k] = pick(0, 1e6);
	p->weight[rnd() % ALLOT_CRIT_COUNT] = pick(1, 2); /* not all zero */
	double *ref[] = { &p->target_pct, &p->growth_full_pct,  &p->troops_ref,
			  &p->basing_max, &p->economic_ref_usd, &p->economic_unit_usd };
	for (size_t i = 0; i < sizeof ref / sizeof *ref; i++)
		*ref[i] = pick(1e-300, 1e15);
	double *w[] = { &p->frontline_factor, &p->rear_factor, &p->invest_multiplier,
			&p->default_theater };
	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		*w[i] = pick(0, 1e6);
	p->penalty_delinquent = pick(0, 100);
	p->penalty_violation = pick(0, 100);
	static const char *const names[] = {
		"indo-pacific", "europe",     "a \"quoted\" one",
		"back\\slash",  "tab\there",  "line\nbreak",
		"\x01",         "ünïcödé 東", "",
		"x.y",
	};
	p->n_theaters = rnd() % 10;
	p->theaters = calloc(p->n_theaters ? p->n_theaters : 1, sizeof *p->theaters);
	for (size_t i = 0; i < p->n_theaters; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s%zu", names[rnd() % 10], i); /* distinct */
		p->theaters[i].region = strdup(buf);
		p->theaters[i].weight = pick(0, 1e6);
	}
	p->n_tier_thresholds = rnd() % ALLOT_MAX_TIERS;
	double t = 100;
	for (size_t i = 0; i < p->n_tier_thresholds; i++)
		t = p->tier_min[i] = t - pick(1, 14);
	if (rnd() % 2) {
		p->n_tier_weights = p->n_tier_thresholds + 1;
		for (size_t i = 0; i < p->n_tier_weights; i++)
			p->tier_weight[i] = pick(0, 1e6);
	}
	if (rnd() % 2 == 0)
		return;
	struct allot_case_policy *c = &p->cases;
	c->set = 1;
	for (int k = 0; k < ALLOT_CAT_COUNT; k++)
		c->processing_days[k] = pick(0, 36500);
	c->default_category = (int)(rnd() % ALLOT_CAT_COUNT);
	c->acceptance_days = pick(0, 36500);
	c->catalog_shortening = pick(0, 1);
	c->n_tier_shortening = rnd() % (ALLOT_MAX_TIERS + 1);
	for (size_t i = 0; i < c->n_tier_shortening; i++)
		c->tier_shortening[i] = pick(0, 1);
	c->n_gates = rnd() % 4;
	for (size_t i = 0; i < c->n_gates; i++) {
		snprintf(c->gates[i].system_id, sizeof c->gates[i].system_id, "sys-%zu\"%c", i,
			 (char)('a' + rnd() % 26));
		c->gates[i].min_tier = 1 + (int)(rnd() % ALLOT_MAX_TIERS);
	}
	c->n_nato_plus = rnd() % 6;
	for (size_t i = 0; i < c->n_nato_plus; i++)
		snprintf(c->nato_plus[i], 4, "%c%cX", (char)('A' + rnd() % 26), (char)('A' + i));
	for (int g = 0; g < ALLOT_GROUP_COUNT; g++) {
		for (int k = 0; k < ALLOT_NOTIFY_KINDS; k++)
			c->threshold_usd[g][k] = pick(0, 1e300);
		c->review_days[g] = pick(0, 36500);
		c->advance_days[g] = pick(0, 36500);
	}
	c->eeum_delinquent_days = pick(0, 36500);
	c->tpt_streamlined = (int)(rnd() % 2);
	for (int r = 0; r < 2; r++) {
		c->tpt[r].days = pick(0, 36500);
		c->tpt[r].eeum_days = pick(0, 36500);
		c->tpt[r].refuse_eeum = (int)(rnd() % 2);
		c->tpt[r].ineligible_days = pick(0, 36500);
		c->tpt[r].refuse_ineligible = (int)(rnd() % 2);
	}
}

static void random_policies_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < 2000; i++) {
		struct allot_policy p;
		random_policy(&p);
		round_trip(&p);
		allot_policy_free(&p);
	}
}

/* ---- every key's range ----------------------------------------------------- */

struct bad {
	const char *path; /* dotted; [N] after the last part for an array */
	const char *value;
	const char *expected; /* what the message says is expected */
};

#define WEIGHT "a number from 0 to 1000000"
#define REF    "a number > 0 and <= 1e+15"
#define POINTS "a number from 0 to 100"
#define DAYS   "a number of days from 0 to 36500"
#define USD    "a number >= 0 (USD)"
#define FRAC   "a fraction from 0 to 1"

static const struct bad bads[] = {
	{ "weights.investment", "-1", WEIGHT },
	{ "weights.investment", "1000001", WEIGHT },
	{ "weights.growth", "\"x\"", WEIGHT },
	{ "weights.growth", "2000000", WEIGHT },
	{ "weights.geography", "-0.5", WEIGHT },
	{ "weights.operations", "10000000", WEIGHT },
	{ "weights.economic", "true", WEIGHT },
	{ "investment.target_pct", "0", REF },
	{ "investment.target_pct", "2000000000000000", REF },
	{ "growth.full_pct", "-3", REF },
	{ "growth.full_pct", "null", REF },
	{ "geography.theater_weights.europe", "-1", WEIGHT },
	{ "geography.theater_weights.europe", "1000000000", WEIGHT },
	{ "geography.default_theater", "1e6.5", NULL }, /* not JSON: a parse error */
	{ "geography.default_theater", "-1", WEIGHT },
	{ "geography.frontline_factor", "1000001", WEIGHT },
	{ "geography.rear_factor", "[1]", WEIGHT },
	{ "operations.troops_ref", "0", REF },
	{ "operations.basing_max", "1500000000000000", REF },
	{ "economic.ref_usd", "-1", REF },
	{ "economic.unit_usd", "0", REF },
	{ "economic.invest_multiplier", "5000000", WEIGHT },
	{ "penalties.delinquent", "100.5", POINTS },
	{ "penalties.delinquent", "-1", POINTS },
	{ "penalties.violation", "101", POINTS },
	{ "tiers[1]", "150", POINTS },
	{ "tiers[0]", "-5", POINTS },
	{ "reserve.tier_weights[0]", "-2", WEIGHT },
	{ "reserve.tier_weights[2]", "2000000", WEIGHT },
	{ "cases.processing_days.A", "36501", DAYS },
	{ "cases.processing_days.B", "-1", DAYS },
	{ "cases.processing_days.C", "\"45\"", DAYS },
	{ "cases.processing_days.DC", "1000000000", DAYS },
	{ "cases.default_category", "\"Q\"", "a case category (\"A\", \"B\", \"C\" or \"DC\")" },
	{ "cases.acceptance_days", "-0.5", DAYS },
	{ "cases.catalog_shortening", "1.5", FRAC },
	{ "cases.catalog_shortening", "-1", FRAC },
	{ "cases.tier_shortening[1]", "2", FRAC },
	{ "cases.min_tier.f35", "0", "a tier from 1 to 8" },
	{ "cases.min_tier.f35", "9", "a tier from 1 to 8" },
	{ "cases.notification.nato_plus[0]", "\"xx\"", "a 3-letter upper-case ISO code" },
	{ "cases.notification.nato_plus_usd.mde", "-1", USD },
	{ "cases.notification.nato_plus_usd.articles", "\"big\"", USD },
	{ "cases.notification.nato_plus_usd.construction", "-5", USD },
	{ "cases.notification.other_usd.mde", "-1", USD },
	{ "cases.notification.other_usd.articles", "-1", USD },
	{ "cases.notification.other_usd.construction", "-1", USD },
	{ "cases.notification.nato_plus_review_days", "40000", DAYS },
	{ "cases.notification.other_review_days", "-1", DAYS },
	{ "cases.notification.nato_plus_advance_days", "36500.5", DAYS },
	{ "cases.notification.other_advance_days", "-1", DAYS },
	{ "cases.eeum.delinquent_review_days", "-1", DAYS },
	{ "cases.transfers.in_force", "\"fast\"", "\"standard\" or \"streamlined\"" },
	{ "cases.transfers.standard.days", "-1", DAYS },
	{ "cases.transfers.standard.eeum_days", "99999", DAYS },
	{ "cases.transfers.standard.refuse_eeum", "1", "true or false" },
	{ "cases.transfers.standard.ineligible_days", "-1", DAYS },
	{ "cases.transfers.standard.refuse_ineligible", "\"yes\"", "true or false" },
	{ "cases.transfers.streamlined.days", "-1", DAYS },
	{ "cases.transfers.streamlined.eeum_days", "-1", DAYS },
	{ "cases.transfers.streamlined.refuse_eeum", "0", "true or false" },
	{ "cases.transfers.streamlined.ineligible_days", "36501", DAYS },
	{ "cases.transfers.streamlined.refuse_ineligible", "null", "true or false" },
};

/* {"a": {"b": V}} for "a.b"; an array index puts V at that place among
 * valid fillers (tiers descend, weights are one per tier). */
static void policy_with(const struct bad *b, char *out, size_t n)
{
	char path[128];
	snprintf(path, sizeof path, "%s", b->path);
	char *idx = strchr(path, '[');
	int at = -1;
	if (idx) {
		at = atoi(idx + 1);
		*idx = '\0';
	}
	size_t o = 0;
	int depth = 0;
	char *p = path;
	for (char *dot; (dot = strchr(p, '.')) != NULL; p = dot + 1, depth++) {
		*dot = '\0';
		o += (size_t)snprintf(out + o, n - o, "{\"%s\": ", p);
	}
	o += (size_t)snprintf(out + o, n - o, "{\"%s\": ", p);
	if (at < 0) {
		o += (size_t)snprintf(out + o, n - o, "%s", b->value);
	} else {
		static const char *const tiers[] = { "90", "60", "30" };
		int reserve = strcmp(path, "reserve") == 0;
		o += (size_t)snprintf(out + o, n - o, "[");
		for (int i = 0; i < 3; i++)
			o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : "",
					      i == at                             ? b->value
					      : reserve                           ? "1"
					      : strcmp(p, "nato_plus") == 0       ? "\"AUS\""
					      : strcmp(p, "tier_shortening") == 0 ? "0"
										  : tiers[i]);
		o += (size_t)snprintf(out + o, n - o, "]");
	}
	for (int i = 0; i <= depth; i++)
		o += (size_t)snprintf(out + o, n - o, "}");
	if (strncmp(b->path, "reserve.", 8) == 0) /* one per tier: 3 tiers */
		snprintf(out + o - 1, n - o + 1, ", \"tiers\": [60, 30]}");
}

static void every_key_has_its_range_error(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bads / sizeof *bads; i++) {
		const struct bad *b = &bads[i];
		char text[1024];
		policy_with(b, text, sizeof text);
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_policy p;
		int rc = read_text(text, &p, &d);
		if (rc != ALLOT_EINPUT || d.n != 1)
			fail_msg("%s = %s: rc %d, %zu messages, text %s", b->path, b->value, rc,
				 d.n, text);
		if (!b->expected) {
			assert_non_null(strstr(d.v[0].msg, "invalid JSON"));
			allot_diags_free(&d);
			continue;
		}
		/* The message names the expected range, the path and the value. */
		char want[512];
		const char *last = strrchr(b->path, '.');
		last = last ? last + 1 : b->path;
		snprintf(want, sizeof want, "expected %s in %s, found %s", b->expected, b->path,
			 b->value);
		if (strcmp(d.v[0].msg, want) != 0)
			fail_msg("%s = %s:\n  got  %s\n  want %s", b->path, b->value, d.v[0].msg,
				 want);
		/* At the key's position (an array element: at the array's key). */
		char key[64];
		snprintf(key, sizeof key, "\"%.*s\"", (int)strcspn(last, "["), last);
		const char *hit = strstr(text, key);
		assert_non_null(hit);
		assert_int_equal(d.v[0].line, 1);
		assert_int_equal(d.v[0].col, hit - text + 1);
		assert_null(p.theaters);
		allot_diags_free(&d);
	}
}

/* Every key the canonical writer prints (every leaf of a policy with every
 * section) has a case above: a new key without a range test fails here. */
static void leaves(json_t *j, const char *prefix, char *missing, size_t n)
{
	const char *k;
	json_t *v;
	json_object_foreach(j, k, v)
	{
		char path[256];
		snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "", k);
		if (json_is_object(v) && strcmp(path, "cases.min_tier") != 0 &&
		    strcmp(path, "geography.theater_weights") != 0) {
			leaves(v, path, missing, n);
			continue;
		}
		int found = 0;
		for (size_t i = 0; i < sizeof bads / sizeof *bads; i++)
			found |= strncmp(bads[i].path, path, strlen(path)) == 0 &&
				 strchr(".[", bads[i].path[strlen(path)]) != NULL;
		if (!found)
			snprintf(missing + strlen(missing), n - strlen(missing), " %s", path);
	}
}

static void every_written_key_is_tested(void **state)
{
	(void)state;
	struct allot_policy p;
	assert_int_equal(allot_policy_default(&p), ALLOT_OK);
	p.n_tier_weights = 3;
	allot_case_policy_default(&p.cases);
	p.cases.set = 1;
	char *t = allot_policy_json(&p, 0);
	json_t *j = json_loads(t, 0, NULL);
	assert_non_null(j);
	char missing[4096] = "";
	leaves(j, "", missing, sizeof missing);
	if (missing[0])
		fail_msg("keys without a range test:%s", missing);
	json_decref(j);
	free(t);
	allot_policy_free(&p);
}

/* The store's copy is read with the file's reader: a bad value gets the
 * file's message, a missing key is not taken from the defaults. */
static void store_text_reads_as_the_file(void **state)
{
	(void)state;
	struct allot_policy p, q;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_policy_default(&p), ALLOT_OK);
	char *t = NULL;
	assert_int_equal(store_policy_to_json(&p, &t, &d, "s.db"), ALLOT_OK);
	assert_int_equal(store_policy_from_json(t, &q, &d, "s.db"), ALLOT_OK);
	tu_same_policy(&p, &q);
	allot_policy_free(&q);
	assert_int_equal(d.n, 0);

	char *x = strstr(t, "\"violation\": 25");
	assert_non_null(x);
	char bad[2048];
	snprintf(bad, sizeof bad, "%.*s\"violation\": 101%s", (int)(x - t), t, x + 15);
	assert_int_equal(store_policy_from_json(bad, &q, &d, "s.db"), ALLOT_ESTORE);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].msg, "expected a number from 0 to 100 in "
					"penalties.violation, found 101");
	assert_int_equal(d.v[0].line, 0);
	assert_null(q.theaters);
	allot_diags_free(&d);

	allot_diags_init(&d);
	x = strstr(t, ", \"violation\": 25");
	snprintf(bad, sizeof bad, "%.*s%s", (int)(x - t), t, x + 17);
	assert_int_equal(store_policy_from_json(bad, &q, &d, "s.db"), ALLOT_ESTORE);
	assert_non_null(strstr(d.v[0].msg, "found text that reads back differently"));
	allot_diags_free(&d);

	/* Duplicate regions cannot be written as JSON keys. */
	allot_diags_init(&d);
	free(p.theaters[1].region);
	p.theaters[1].region = strdup(p.theaters[0].region);
	char *u = NULL;
	assert_int_equal(store_policy_to_json(&p, &u, &d, "s.db"), ALLOT_EINPUT);
	assert_null(u);
	allot_diags_free(&d);
	free(t);
	allot_policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bundled_file_round_trips_byte_for_byte),
		cmocka_unit_test(random_policies_round_trip),
		cmocka_unit_test(every_key_has_its_range_error),
		cmocka_unit_test(every_written_key_is_tested),
		cmocka_unit_test(store_text_reads_as_the_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
