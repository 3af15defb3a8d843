/*
 * test_reserve_policy.c - policy.json "reserve": {"tier_weights": [...]}:
 * read, checked against the number of tiers, written back only when set
 * (files without it keep their canonical form), and kept by the store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

/* Copies tests/data/scenarios/tiny to a fresh directory with `policy` as
 * its policy.json (NULL: unchanged). */
static char *tiny_with(const char *policy)
{
	char *dir = tu_tmpdir();
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cp %s/* %s/", tu_src("tests/data/scenarios/tiny"), dir);
	assert_int_equal(system(cmd), 0);
	if (policy) {
		char path[1024];
		snprintf(path, sizeof path, "%s/policy.json", dir);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(policy, f);
		fclose(f);
	}
	return dir;
}

static const char with_weights[] = "{\"reserve\": {\"tier_weights\": [5, 1.5, 0]}}\n";

static void read_write_store(void **state)
{
	(void)state;
	char *dir = tiny_with(with_weights);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_OK);
	assert_int_equal(s->policy.n_tier_weights, 3);
	assert_true(s->policy.tier_weight[0] == 5 && s->policy.tier_weight[1] == 1.5 &&
		    s->policy.tier_weight[2] == 0);
	assert_true(allot_policy_tier_weight(&s->policy, 2) == 1.5);

	/* Written back in canonical form, with the key last. */
	char *out = tu_tmpdir();
	assert_int_equal(allot_scenario_write(s, out, &d), ALLOT_OK);
	char path[1024];
	snprintf(path, sizeof path, "%s/policy.json", out);
	char *text = tu_slurp(path, NULL);
	assert_non_null(text);
	const char *tail = "  \"tiers\": [65, 40],\n  \"reserve\": {\n"
			   "    \"tier_weights\": [5, 1.5, 0]\n  }\n}\n";
	assert_non_null(strstr(text, tail));
	assert_string_equal(strstr(text, tail), tail);
	free(text);

	/* Through the store and back. */
	char db[1024];
	snprintf(db, sizeof db, "%s/s.db", out);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	assert_int_equal(allot_store_put_scenario(st, "w", s, &d), ALLOT_OK);
	struct allot_scenario *back = NULL;
	assert_int_equal(allot_store_get_scenario(st, "w", &back, &d), ALLOT_OK);
	assert_int_equal(back->policy.n_tier_weights, 3);
	assert_true(back->policy.tier_weight[1] == 1.5);
	allot_scenario_free(back);
	allot_store_close(st);

	allot_scenario_free(s);
	allot_diags_free(&d);
	tu_rmtree(out);
	tu_rmtree(dir);
	free(out);
	free(dir);
}

/* Without the key, nothing is written for it (tiny stays canonical). */
static void absent_stays_absent(void **state)
{
	(void)state;
	char *dir = tiny_with(NULL);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_OK);
	assert_int_equal(s->policy.n_tier_weights, 0);
	char *out = tu_tmpdir();
	assert_int_equal(allot_scenario_write(s, out, &d), ALLOT_OK);
	char path[1024];
	snprintf(path, sizeof path, "%s/policy.json", out);
	char *text = tu_slurp(path, NULL);
	assert_null(strstr(text, "reserve"));
	free(text);
	allot_scenario_free(s);
	allot_diags_free(&d);
	tu_rmtree(out);
	tu_rmtree(dir);
	free(out);
	free(dir);
}

static void expect_error(const char *policy, const char *want)
{
	char *dir = tiny_with(policy);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_EINPUT);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, want);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

static void bad_weights(void **state)
{
	(void)state;
	expect_error("{\"reserve\": {\"tier_weights\": [3, 2]}}",
		     "expected 3 numbers in reserve.tier_weights (one per tier), found 2");
	expect_error("{\"reserve\": {\"tier_weights\": [3, -2, 1]}}",
		     "expected a number from 0 to 1000000 in reserve.tier_weights[1], found -2");
	expect_error("{\"reserve\": {\"tier_weights\": 3}}",
		     "expected an array of 1 to 8 numbers >= 0 (one per tier) in "
		     "reserve.tier_weights, found 3");
	expect_error("{\"tiers\": [50], \"reserve\": {\"tier_weights\": [3, 2, 1]}}",
		     "expected 2 numbers in reserve.tier_weights (one per tier), found 3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_write_store),
		cmocka_unit_test(absent_stays_absent),
		cmocka_unit_test(bad_weights),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
