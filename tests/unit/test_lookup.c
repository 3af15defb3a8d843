/*
 * test_lookup.c - the shared resolver (lib/lookup.c) on the bundled
 * dataset: exact ids, names and prefixes in any case, ambiguity, and misses
 * with their edit-distance suggestions, message text exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

static struct allot_scenario *S;

static int setup(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = allot_scenario_load(tu_src("data/default"), &S, &d);
	allot_diags_free(&d);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	allot_scenario_free(S);
	return 0;
}

static const char *id_of(enum allot_kind k, const char *text)
{
	struct allot_lookup l;
	if (allot_lookup(S, k, text, &l) != ALLOT_OK)
		return NULL;
	return allot_kind_id(S, k, (size_t)l.index);
}

static void exact_and_names(void **state)
{
	(void)state;
	assert_string_equal(id_of(ALLOT_KIND_PARTNER, "POL"), "POL");
	assert_string_equal(id_of(ALLOT_KIND_PARTNER, "pol"), "POL");
	assert_string_equal(id_of(ALLOT_KIND_PARTNER, "Poland"), "POL");
	assert_string_equal(id_of(ALLOT_KIND_PARTNER, "POLAND"), "POL");
	assert_string_equal(id_of(ALLOT_KIND_PARTNER, "United Kingdom"), "GBR");
	assert_string_equal(id_of(ALLOT_KIND_SYSTEM, "himars"), "himars");
	assert_string_equal(id_of(ALLOT_KIND_SYSTEM, "HIMARS"), "himars");
	assert_string_equal(id_of(ALLOT_KIND_ORDER, "sipri-pol-2023-01"), "SIPRI-POL-2023-01");
}

static void prefixes(void **state)
{
	(void)state;
	/* A prefix of a name, then a prefix of a word of a name. */
	assert_string_equal(id_of(ALLOT_KIND_PARTNER, "Pola"), "POL");
	assert_string_equal(id_of(ALLOT_KIND_PARTNER, "Isr"), "ISR");
	assert_string_equal(id_of(ALLOT_KIND_SYSTEM, "Abrams"), "abrams");
	assert_string_equal(id_of(ALLOT_KIND_SYSTEM, "M142"), "himars");
	assert_string_equal(id_of(ALLOT_KIND_SYSTEM, "THAAD interceptor"), "thaad-interceptor");
	assert_null(id_of(ALLOT_KIND_SYSTEM, "interceptor")); /* three systems */
	/* An exact id wins over a longer id it prefixes. */
	assert_string_equal(id_of(ALLOT_KIND_LINE, "abrams"), "abrams");
}

static void ambiguous(void **state)
{
	(void)state;
	struct allot_lookup l;
	assert_int_equal(allot_lookup(S, ALLOT_KIND_PARTNER, "Po", &l), ALLOT_ENOTFOUND);
	assert_int_equal(l.index, -1);
	assert_int_equal(l.n_matches, 2);
	char msg[512];
	assert_int_equal(allot_lookup_msg(S, ALLOT_KIND_PARTNER, "Po", msg, sizeof msg), -1);
	assert_string_equal(msg, "'Po' matches 2 partners: POL (Poland) or PRT (Portugal); "
				 "give more of the id or name");
	assert_int_equal(allot_lookup(S, ALLOT_KIND_SYSTEM, "patriot", &l), ALLOT_ENOTFOUND);
	assert_int_equal(l.n_matches, 2); /* pac2-gem-t, patriot-fire-unit */
	assert_int_equal(allot_lookup(S, ALLOT_KIND_ORDER, "SIPRI-POL", &l), ALLOT_ENOTFOUND);
	assert_int_equal(l.n_matches, 32);
}

static void misses(void **state)
{
	(void)state;
	char msg[512];
	assert_int_equal(allot_lookup_msg(S, ALLOT_KIND_PARTNER, "PLO", msg, sizeof msg), -1);
	assert_string_equal(msg, "no partner 'PLO' in the scenario; did you mean POL (Poland)?");
	assert_int_equal(allot_lookup_msg(S, ALLOT_KIND_PARTNER, "Polnad", msg, sizeof msg), -1);
	assert_string_equal(msg, "no partner 'Polnad' in the scenario; did you mean POL (Poland)?");
	assert_int_equal(allot_lookup_msg(S, ALLOT_KIND_SYSTEM, "himras", msg, sizeof msg), -1);
	assert_string_equal(msg, "no system 'himras' in the scenario; did you mean himars "
				 "(M142 HIMARS launcher)?");
	assert_int_equal(allot_lookup_msg(S, ALLOT_KIND_PARTNER, "Atlantis", msg, sizeof msg), -1);
	assert_string_equal(msg, "no partner 'Atlantis' in the scenario");
	assert_int_equal(allot_lookup_msg(S, ALLOT_KIND_PARTNER, "", msg, sizeof msg), -1);
	struct allot_lookup l;
	assert_int_equal(allot_lookup(S, ALLOT_KIND_PARTNER, "PLO", &l), ALLOT_ENOTFOUND);
	assert_int_equal(l.n_matches, 0);
	assert_true(l.n_suggest >= 1 && l.n_suggest <= ALLOT_LOOKUP_MAX);
	/* Nearest first. */
	assert_string_equal(allot_kind_id(S, ALLOT_KIND_PARTNER, (size_t)l.suggest[0]), "POL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_and_names),
		cmocka_unit_test(prefixes),
		cmocka_unit_test(ambiguous),
		cmocka_unit_test(misses),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
