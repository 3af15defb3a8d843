/*
 * test_cases_io.c - the case process's files and settings: requests.csv,
 * transfers.csv, the systems.csv mde column and policy.json "cases" load
 * with exact values, report bad input with positions, write back in
 * canonical form (load -> write -> load -> write identical), and survive a
 * store round trip, including a version 1 store migrated on open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <allot/allot.h>
#include "testutil.h"

static const char *fixture(void)
{
	return tu_src("tests/data/scenarios/cases-small");
}

static void put(const char *dir, const char *name, const char *text)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct allot_scenario *load_ok(const char *dir)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	int rc = allot_scenario_load(dir, &s, &d);
	if (rc)
		allot_diags_print(&d, stderr);
	assert_int_equal(rc, ALLOT_OK);
	allot_diags_free(&d);
	return s;
}

static void test_load_values(void **state)
{
	(void)state;
	struct allot_scenario *s = load_ok(fixture());
	assert_int_equal(s->n_requests, 4);
	assert_int_equal(s->n_transfers, 3);
	assert_true(s->present & (1u << ALLOT_FILE_REQUESTS));
	assert_true(s->present & (1u << ALLOT_FILE_TRANSFERS));
	const struct allot_request *r = s->requests;
	assert_string_equal(r[0].request_id, "R1");
	assert_int_equal(r[0].qty, 30);
	assert_int_equal(r[0].lor_month, tu_m("2026-01"));
	assert_true(r[0].value_usd == 30e6);
	assert_int_equal(r[0].category, ALLOT_CAT_B);
	/* R2: empty value = 5 x USD 1 million; empty category = -1. */
	assert_true(r[1].value_usd == 5e6);
	assert_int_equal(r[1].category, -1);
	assert_int_equal(r[3].category, ALLOT_CAT_C);
	/* systems: S mde 1, E empty (1), V 0. */
	assert_int_equal(s->systems[0].not_mde, 0);
	assert_int_equal(s->systems[1].not_mde, 0);
	assert_int_equal(s->systems[2].not_mde, 1);
	/* transfers: XYZ is not a partner. */
	assert_string_equal(s->transfers[1].to_iso3, "XYZ");
	assert_int_equal(s->transfers[1].to, -1);
	assert_int_equal(s->transfers[0].to, 2);
	/* policy: cases set, min_tier S 2, the rest defaults. */
	assert_int_equal(s->policy.cases.set, 1);
	assert_int_equal(s->policy.cases.n_gates, 1);
	assert_string_equal(s->policy.cases.gates[0].system_id, "S");
	assert_int_equal(s->policy.cases.gates[0].min_tier, 2);
	assert_true(s->policy.cases.processing_days[ALLOT_CAT_B] == 100);
	assert_true(s->policy.cases.threshold_usd[ALLOT_GROUP_OTHER][ALLOT_NOTIFY_MDE] == 14e6);
	allot_scenario_free(s);
}

/* load -> write -> load -> write gives the same bytes; the policy writes
 * its whole "cases" object; systems.csv keeps its mde column. */
static void test_round_trip(void **state)
{
	(void)state;
	char *a = tu_tmpdir(), *b = tu_tmpdir();
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = load_ok(fixture());
	assert_int_equal(allot_scenario_write(s, a, &d), ALLOT_OK);
	allot_scenario_free(s);
	s = load_ok(a);
	assert_int_equal(allot_scenario_write(s, b, &d), ALLOT_OK);
	assert_int_equal(s->policy.cases.gates[0].min_tier, 2);
	allot_scenario_free(s);
	static const char *const files[] = { "policy.json", "systems.csv", "requests.csv",
					     "transfers.csv", NULL };
	for (int i = 0; files[i]; i++) {
		char pa[4096], pb[4096];
		snprintf(pa, sizeof pa, "%s/%s", a, files[i]);
		snprintf(pb, sizeof pb, "%s/%s", b, files[i]);
		size_t na, nb;
		char *x = tu_slurp(pa, &na), *y = tu_slurp(pb, &nb);
		assert_non_null(x);
		assert_non_null(y);
		assert_int_equal(na, nb);
		assert_memory_equal(x, y, na);
		if (i == 0) {
			assert_non_null(strstr(x, "\"cases\": {\n    \"processing_days\": {\n"
						  "      \"A\": 45,"));
			assert_non_null(strstr(x, "\"min_tier\": {\"S\": 2}"));
			assert_non_null(strstr(x, "\"in_force\": \"standard\""));
		}
		if (i == 1)
			assert_non_null(strstr(x, "foreign_alternative,mde\nS,Interceptor,L,"
						  "1000000,0,0,1,,1\n"));
		if (i == 2)
			assert_non_null(strstr(x, "R2,BBB,S,5,2026-02,5000000,\n"));
		free(x);
		free(y);
	}
	allot_diags_free(&d);
	tu_rmtree(a);
	tu_rmtree(b);
	free(a);
	free(b);
}

/* Bad rows and settings are reported with positions; loading fails. */
static void test_bad_input(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "cp %s/*.csv %s/*.json %s/", fixture(), fixture(), dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "requests.csv",
	    "request_id,iso3,system_id,qty,lor_month,value_usd,case_category\n"
	    "R1,AAA,S,0,2026-01,1,B\n"
	    "R2,ZZZ,S,1,2026-13,1,X\n"
	    "R1,AAA,S,1,2026-01,-5,\n");
	put(dir, "transfers.csv",
	    "transfer_id,from_iso3,to_iso3,system_id,qty,request_month\n"
	    "T1,AAA,xy,S,1,2026-01\n");
	put(dir, "policy.json",
	    "{\n  \"cases\": {\"catalog_shortening\": 2,\n"
	    "    \"notification\": {\"colour\": 1}, \"default_category\": \"Q\"}\n}\n");
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_EINPUT);
	assert_null(s);
	char *all = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&all, &len);
	for (size_t i = 0; i < d.n; i++)
		fprintf(f, "%ld:%ld: %s\n", d.v[i].line, d.v[i].col, d.v[i].msg);
	fclose(f);
	assert_non_null(strstr(all, "2:13: expected a fraction from 0 to 1 in "
				    "cases.catalog_shortening, found 2\n"));
	assert_non_null(strstr(all, "3:22: unknown key \"colour\" in cases.notification; "
				    "expected one of nato_plus,nato_plus_usd,other_usd,"
				    "nato_plus_review_days,other_review_days,"
				    "nato_plus_advance_days,other_advance_days\n"));
	assert_non_null(strstr(all, "3:36: expected a case category (\"A\", \"B\", \"C\" or "
				    "\"DC\") in cases.default_category, found \"Q\"\n"));
	assert_non_null(strstr(
		all, "2:10: expected an integer from 1 to 1000000000 in qty, found \"0\"\n"));
	assert_non_null(strstr(all, "3:4: unknown partner \"ZZZ\" in iso3"));
	assert_non_null(strstr(all, "3:12: expected a month YYYY-MM in lor_month"));
	assert_non_null(strstr(all, "3:22: expected a case category (A, B, C or DC) in "
				    "case_category, found \"X\"\n"));
	assert_non_null(strstr(all, "4:20: expected a number from 0 to 1e+21 in value_usd"));
	assert_non_null(strstr(all, "2:8: expected a 3-letter upper-case ISO code in "
				    "to_iso3, found \"xy\"\n"));
	free(all);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

static struct allot_scenario *store_round(const char *db, const struct allot_scenario *s)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	if (s)
		assert_int_equal(allot_store_put_scenario(st, "cases", s, &d), ALLOT_OK);
	struct allot_scenario *back = NULL;
	int rc = allot_store_get_scenario(st, "cases", &back, &d);
	if (rc)
		allot_diags_print(&d, stderr);
	assert_int_equal(rc, ALLOT_OK);
	allot_store_close(st);
	allot_diags_free(&d);
	return back;
}

static void same_case_data(const struct allot_scenario *a, const struct allot_scenario *b)
{
	assert_int_equal(a->n_requests, b->n_requests);
	for (size_t i = 0; i < a->n_requests; i++) {
		assert_string_equal(a->requests[i].request_id, b->requests[i].request_id);
		assert_int_equal(a->requests[i].partner, b->requests[i].partner);
		assert_int_equal(a->requests[i].system, b->requests[i].system);
		assert_int_equal(a->requests[i].qty, b->requests[i].qty);
		assert_int_equal(a->requests[i].lor_month, b->requests[i].lor_month);
		assert_true(a->requests[i].value_usd == b->requests[i].value_usd);
		assert_int_equal(a->requests[i].category, b->requests[i].category);
	}
	assert_int_equal(a->n_transfers, b->n_transfers);
	for (size_t i = 0; i < a->n_transfers; i++) {
		assert_string_equal(a->transfers[i].transfer_id, b->transfers[i].transfer_id);
		assert_string_equal(a->transfers[i].to_iso3, b->transfers[i].to_iso3);
		assert_int_equal(a->transfers[i].to, b->transfers[i].to);
		assert_int_equal(a->transfers[i].from, b->transfers[i].from);
		assert_int_equal(a->transfers[i].request_month, b->transfers[i].request_month);
	}
	for (size_t i = 0; i < a->n_systems; i++)
		assert_int_equal(a->systems[i].not_mde, b->systems[i].not_mde);
	assert_int_equal(b->policy.cases.set, 1);
	assert_memory_equal(&a->policy.cases, &b->policy.cases, sizeof a->policy.cases);
	assert_int_equal(a->present, b->present);
}

static void test_store(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char db[4096];
	snprintf(db, sizeof db, "%s/s.db", dir);
	struct allot_scenario *s = load_ok(fixture());
	struct allot_scenario *back = store_round(db, s);
	same_case_data(s, back);
	allot_scenario_free(back);

	/* Make it a version 1 store (no mde, no requests or transfers, and
	 * none of version 3's supply column and wip table, nor version 4's
	 * max_per_month, nor version 5's not_before, nor version 6's bases), then open:
	 * migrated, systems MDE, the scenario reads without requests. */
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c,
				      "DROP TABLE requests; DROP TABLE transfers;"
				      "ALTER TABLE systems DROP COLUMN mde;"
				      "DROP TABLE wip; ALTER TABLE orders DROP COLUMN supply;"
				      "ALTER TABLE orders DROP COLUMN max_per_month;"
				      "ALTER TABLE orders DROP COLUMN not_before;"
				      "ALTER TABLE lines DROP COLUMN rate_basis;"
				      "ALTER TABLE partners DROP COLUMN defense_year;"
				      "ALTER TABLE partners DROP COLUMN growth_year;"
				      "ALTER TABLE orders DROP COLUMN loa_basis;"
				      "ALTER TABLE systems DROP COLUMN unit_cost_basis;"
				      "ALTER TABLE minerals DROP COLUMN stock_basis;"
				      "ALTER TABLE partners DROP COLUMN purchases_basis;"
				      "UPDATE scenarios SET present = present & 63;"
				      "PRAGMA user_version = 1;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(c);
	back = store_round(db, NULL);
	assert_int_equal(back->n_requests, 0);
	assert_int_equal(back->systems[2].not_mde, 0);
	allot_scenario_free(back);
	assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(c, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 6); /* 1 -> 2 -> ... -> 6 */
	sqlite3_finalize(q);
	sqlite3_close(c);
	/* The migrated store takes the case data again. */
	back = store_round(db, s);
	same_case_data(s, back);
	allot_scenario_free(back);
	allot_scenario_free(s);
	tu_rmtree(dir);
	free(dir);
}

/* The bundled dataset's requests: real notified cases, all NATO+ and all
 * notified (values in the billions), planned end to end. */
static void test_bundled(void **state)
{
	(void)state;
	struct allot_scenario *s = load_ok(tu_src("data/default"));
	assert_true(s->n_requests >= 5);
	struct allot_pipeline *pl = NULL;
	assert_int_equal(allot_pipeline_run(s, ALLOT_NO_MONTH, &pl), ALLOT_OK);
	for (size_t r = 0; r < s->n_requests; r++) {
		const struct allot_case_estimate *e = &pl->rows[1][r].est;
		assert_int_equal(e->group, ALLOT_GROUP_NATO_PLUS);
		assert_int_equal(e->notify, 1);
		assert_true(e->loa_month > s->requests[r].lor_month);
	}
	/* JPN's AMRAAM case: B, 100 days + 15 review -> 4 months after 2025-01
	 * under fcfs. */
	int j = -1;
	for (size_t r = 0; r < s->n_requests; r++)
		if (strcmp(s->requests[r].request_id, "JPN-25-08-amraam") == 0)
			j = (int)r;
	assert_true(j >= 0);
	assert_int_equal(pl->rows[0][j].est.loa_month, tu_m("2025-05"));
	allot_pipeline_free(pl);
	allot_scenario_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_values), cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_input),   cmocka_unit_test(test_store),
		cmocka_unit_test(test_bundled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
