/*
 * test_store_runs_edit.c - labelling and deleting stored runs
 * (lib/store/store_runs_edit.c): labels read back in listings and run
 * headers, relabel and removal, deletion with its rows, and the messages
 * for a missing run that name the stored ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

static int64_t count(const char *db, const char *sql)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(h);
	return v;
}

static void label_and_delete(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char db[512];
	snprintf(db, sizeof db, "%s/s.db", dir);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tu_src("tests/data/scenarios/two-tiers"), &s, &d),
			 ALLOT_OK);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	assert_int_equal(allot_store_put_scenario(st, "default", s, &d), ALLOT_OK);
	int64_t id[2];
	for (int k = 0; k < 2; k++) {
		struct allot_plan_options o;
		allot_plan_options_init(&o);
		o.policy = k ? ALLOT_POLICY_PRIORITY : ALLOT_POLICY_FCFS;
		o.record_allocations = 1;
		struct allot_plan *p = NULL;
		assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
		assert_int_equal(allot_store_put_plan(st, "default", p, &id[k], &d), ALLOT_OK);
		allot_plan_free(p);
	}

	/* No labels yet: no table, and listings read fine. */
	struct allot_run_info *v = NULL;
	size_t n = 0;
	assert_int_equal(allot_store_list_runs(st, NULL, &v, &n, &d), ALLOT_OK);
	assert_int_equal(n, 2);
	assert_null(v[0].label);
	allot_run_infos_free(v, n);

	assert_int_equal(allot_store_label_run(st, id[1], "priority from 2026-02", &d), ALLOT_OK);
	assert_int_equal(allot_store_label_run(st, id[0], "old", &d), ALLOT_OK);
	assert_int_equal(allot_store_label_run(st, id[0], "fcfs", &d), ALLOT_OK); /* relabel */
	assert_int_equal(allot_store_list_runs(st, NULL, &v, &n, &d), ALLOT_OK);
	assert_int_equal(v[0].id, id[1]); /* newest first */
	assert_string_equal(v[0].label, "priority from 2026-02");
	assert_string_equal(v[1].label, "fcfs");
	allot_run_infos_free(v, n);
	struct allot_run *r = NULL;
	assert_int_equal(allot_store_get_run(st, id[0], 0, &r, &d), ALLOT_OK);
	assert_string_equal(r->info.label, "fcfs");
	allot_run_free(r);
	assert_int_equal(allot_store_label_run(st, id[0], "", &d), ALLOT_OK); /* removed */
	assert_int_equal(allot_store_get_run(st, id[0], 0, &r, &d), ALLOT_OK);
	assert_null(r->info.label);
	allot_run_free(r);

	/* Bad labels and missing runs leave the store alone. */
	assert_int_equal(allot_diags_count(&d), 0);
	assert_int_equal(allot_store_label_run(st, id[1], "two\nlines", &d), ALLOT_EINPUT);
	assert_int_equal(allot_store_label_run(st, 99, "x", &d), ALLOT_ENOTFOUND);
	char want[1024];
	snprintf(want, sizeof want,
		 "expected a stored plan run, found no run 99; stored runs, "
		 "newest first: %lld (priority), %lld (fcfs) (see 'allot runs --db %s')",
		 (long long)id[1], (long long)id[0], db);
	assert_string_equal(d.v[1].msg, want);
	assert_int_equal(count(db, "SELECT count(*) FROM run_labels"), 1);

	/* Deleting takes the run's rows and label with it. */
	int64_t orders = count(db, "SELECT count(*) FROM run_orders");
	assert_true(orders == 2 * 2);
	assert_int_equal(allot_store_delete_run(st, id[1], &d), ALLOT_OK);
	assert_int_equal(allot_store_delete_run(st, id[1], &d), ALLOT_ENOTFOUND);
	assert_int_equal(count(db, "SELECT count(*) FROM run_orders"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM run_allocations WHERE run_id = 2"), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM run_labels"), 0);
	assert_int_equal(allot_store_list_runs(st, NULL, &v, &n, &d), ALLOT_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, id[0]);
	allot_run_infos_free(v, n);

	allot_store_close(st);
	allot_scenario_free(s);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(label_and_delete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
