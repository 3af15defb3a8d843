/*
 * test_fault_store.c - the store under injected faults: every I/O error,
 * disk-full, SQLITE_BUSY and allocation failure, at every step of an import
 * (open, put_scenario, close) and of storing a plan (open, put_plan, close).
 *
 * For each kind of fault the loop fails the 1st, 2nd, ... call of that kind
 * (faultvfs.c for SQLite's VFS calls, mem_fail_after for allocations) until
 * the operation runs without meeting the fault.  After each failure:
 * PRAGMA integrity_check says "ok", the foreign keys hold, and a dump of
 * every table equals the dump taken before (the old content exactly);
 * reopening the store through allot_store_open (which recovers the WAL)
 * gives the old scenario, by its inputs hash.  When SQLite absorbs a fault
 * (a busy lock retried, a failed file-size probe) and the operation
 * succeeds, the store holds the new content exactly, and the loop puts the
 * old content back before going on.  Faults are either single (the nth call
 * only) or sticky (every call from the nth on, like a disk that stays
 * broken).  Sticky allocation failures run only with ALLOT_FAULT_FULL=1
 * (`make crash-test` sets it), to keep `make test` fast.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <allot/allot.h>
#include "faultvfs.h"
#include "store/store_int.h"
#include "testutil.h"
#include "util/mem.h"

static char *tmp;
static struct allot_scenario *old_s, *new_s;
static struct allot_plan *plan;
static char old_hash[65], new_hash[65];

#include "sqlite_mem.h"

/* ---------------------------------------------------------------------- */
/* The store seen from outside                                             */

static const char *const all_tables[] = {
	"scenarios",       "partners",   "lines",  "systems",     "orders",    "minerals",
	"supply",          "bom",        "events", "investments", "embargoes", "runs",
	"run_allocations", "run_orders",
};

static char *query1(sqlite3 *c, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &q, NULL), SQLITE_OK);
	char *out = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		out = strdup(sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0)
						       : "NULL");
	sqlite3_finalize(q);
	return out;
}

/* Checks integrity and foreign keys, then dumps every table, from a fresh
 * connection (the fault VFS disarmed). */
static char *dump(const char *db)
{
	sqlite3 *c;
	assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	char *ok = query1(c, "PRAGMA integrity_check");
	if (!ok || strcmp(ok, "ok") != 0)
		fail_msg("%s: integrity_check says %s", db, ok ? ok : "nothing");
	free(ok);
	char *fk = query1(c, "SELECT count(*) FROM pragma_foreign_key_check");
	assert_string_equal(fk, "0");
	free(fk);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	for (size_t t = 0; t < sizeof all_tables / sizeof *all_tables; t++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT * FROM %s", all_tables[t]);
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &q, NULL), SQLITE_OK);
		fprintf(out, "[%s]\n", all_tables[t]);
		while (sqlite3_step(q) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(q); i++) {
				const unsigned char *v = sqlite3_column_text(q, i);
				fprintf(out, "%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
			}
			fputc('\n', out);
		}
		sqlite3_finalize(q);
	}
	fclose(out);
	assert_int_equal(sqlite3_close(c), SQLITE_OK);
	return text;
}

static long count_runs(const char *db)
{
	sqlite3 *c;
	assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	char *n = query1(c, "SELECT count(*) FROM runs");
	long v = atol(n);
	free(n);
	sqlite3_close(c);
	return v;
}

/* The stored scenario's inputs hash, through the library (open recovers a
 * WAL left by a failed writer). */
static void stored_hash(const char *db, char hex[65])
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	struct allot_scenario *g = NULL;
	if (allot_store_open(db, &st, &d) != ALLOT_OK ||
	    allot_store_get_scenario(st, "default", &g, &d) != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		fail_msg("%s: cannot read the stored scenario back", db);
	}
	store_scenario_hash(g, hex);
	allot_scenario_free(g);
	allot_store_close(st);
	allot_diags_free(&d);
}

/* ---------------------------------------------------------------------- */
/* The operations, as a command runs them                                   */

static int op_import(const char *db, const struct allot_scenario *s)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	int rc = allot_store_open(db, &st, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_put_scenario(st, "default", s, &d);
	allot_store_close(st);
	/* A failure always says why. */
	if (rc != ALLOT_OK && allot_diags_count(&d) == 0 && d.dropped == 0 && rc != ALLOT_ENOMEM)
		fail_msg("status %d without a diagnostic", rc);
	allot_diags_free(&d);
	return rc;
}

static int op_plan(const char *db, const struct allot_scenario *s)
{
	(void)s;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	int64_t run = 0;
	int rc = allot_store_open(db, &st, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_put_plan(st, "default", plan, &run, &d);
	allot_store_close(st);
	if (rc != ALLOT_OK && allot_diags_count(&d) == 0 && d.dropped == 0 && rc != ALLOT_ENOMEM)
		fail_msg("status %d without a diagnostic", rc);
	allot_diags_free(&d);
	return rc;
}

typedef int (*op_fn)(const char *db, const struct allot_scenario *s);

/* A new store holding the old scenario and one run of its plan. */
static void fresh_store(const char *db)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		char p[4096];
		snprintf(p, sizeof p, "%s%s", db, suffix[i]);
		unlink(p);
	}
	assert_int_equal(op_import(db, old_s), ALLOT_OK);
	assert_int_equal(op_plan(db, NULL), ALLOT_OK);
}

/* The store after a successful operation holds the new content. */
static void check_new(const char *db, op_fn op, long runs_before)
{
	char h[65];
	stored_hash(db, h);
	if (op == op_import) {
		assert_string_equal(h, new_hash);
		assert_int_equal(count_runs(db), 0); /* replacing drops old runs */
	} else {
		assert_string_equal(h, old_hash);
		assert_int_equal(count_runs(db), runs_before + 1);
	}
}

/* Puts the old content back after an operation succeeded. */
static void restore_old(const char *db)
{
	fresh_store(db);
}

struct loop_result {
	long steps;    /* calls of the kind the successful run made */
	long failures; /* runs that failed and left the old content */
	long absorbed; /* runs that met the fault yet succeeded */
};

/* The loop: fail call n = 1, 2, ... of one kind until a run meets no
 * fault.  `inject` arms the fault, `clear` disarms it. */
static struct loop_result loop(const char *db, op_fn op, void (*inject)(long n),
			       void (*clear)(void), const char *what)
{
	struct loop_result r = { 0, 0, 0 };
	fresh_store(db);
	char *before = dump(db);
	long runs = count_runs(db);
	for (long n = 1;; n++) {
		if (n > 100000)
			fail_msg("%s: no successful run after 100000 faults", what);
		inject(n);
		int rc = op(db, new_s);
		int met = faultvfs_fired() > 0;
		clear();
		if (rc == ALLOT_OK) {
			check_new(db, op, runs);
			if (!met) {
				r.steps = faultvfs_calls();
				break;
			}
			r.absorbed++;
			restore_old(db);
			free(before);
			before = dump(db);
			runs = count_runs(db);
			continue;
		}
		if (!met)
			fail_msg("%s: run %ld failed (%d) without meeting the fault", what, n, rc);
		assert_true(rc == ALLOT_ESTORE || rc == ALLOT_ENOMEM || rc == ALLOT_EIO);
		r.failures++;
		char *after = dump(db);
		if (strcmp(before, after) != 0) {
			fprintf(stderr, "--- before\n%s--- after\n%s", before, after);
			fail_msg("%s: call %ld failed and the store changed", what, n);
		}
		free(after);
		char h[65];
		stored_hash(db, h);
		if (strcmp(h, old_hash) != 0)
			fail_msg("%s: call %ld failed and the reopened store differs", what, n);
		after = dump(db);
		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	return r;
}

/* ---------------------------------------------------------------------- */
/* Fault kinds                                                             */

static enum fv_kind cur_kind;
static int cur_sticky;

static void vfs_inject(long n)
{
	faultvfs_arm(cur_kind, n, cur_sticky);
}
static void vfs_clear(void)
{
	faultvfs_disarm();
}

static void mem_inject(long n)
{
	mem_fail_after(n, cur_sticky);
}

static long mem_before;
static void mem_clear(void)
{
	/* mem_alloc_count counts attempts since mem_fail_after: the nth was
	 * reached when the count got to n. */
	mem_before = mem_alloc_count();
	mem_fail_after(0, 0);
}

static void run_kinds(op_fn op, const char *opname)
{
	char db[4096];
	for (int sticky = 0; sticky < 2; sticky++) {
		for (int k = 0; k < FV_COUNT; k++) {
			cur_kind = (enum fv_kind)k;
			cur_sticky = sticky;
			snprintf(db, sizeof db, "%s/%s-%s-%d.db", tmp, opname,
				 faultvfs_kind_name(cur_kind), sticky);
			char what[128];
			snprintf(what, sizeof what, "%s, %s %s", opname,
				 sticky ? "sticky" : "single", faultvfs_kind_name(cur_kind));
			struct loop_result r = loop(db, op, vfs_inject, vfs_clear, what);
			printf("%-36s %4ld calls, %4ld failed cleanly, %3ld absorbed\n", what,
			       r.steps, r.failures, r.absorbed);
		}
	}
}

static void import_survives_every_io_fault(void **state)
{
	(void)state;
	run_kinds(op_import, "import");
}

/* The same with more orders than one multi-row INSERT holds (store_scenario.c
 * puts 64 rows a statement): every I/O fault of the put changes nothing.
 * (With 150 orders SQLite's cache holds every page until the commit, so the
 * faults come at the commit and the checkpoint, not inside a statement.) */
static void import_of_many_orders_survives_every_io_fault(void **state)
{
	(void)state;
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = 150;
	sp.lines = 4;
	struct allot_scenario *many = NULL, *keep = new_s;
	char keep_hash[65];
	assert_int_equal(allot_synth_scenario(&sp, &many), ALLOT_OK);
	memcpy(keep_hash, new_hash, sizeof keep_hash);
	store_scenario_hash(many, new_hash);
	new_s = many;
	run_kinds(op_import, "import-many");
	new_s = keep;
	memcpy(new_hash, keep_hash, sizeof keep_hash);
	allot_scenario_free(many);
}

/* store_vfs.c: a put's WAL frames reach the VFS below (here the fault
 * shim, counting) gathered into a few big writes, not two writes a frame
 * (a frame header and its page), and the scenario reads back whole.  The
 * put stays under the autocheckpoint (1,000 pages), so nearly all its
 * writes are the WAL's (the close's checkpoint is not counted). */
static void put_gathers_the_wal_writes(void **state)
{
	(void)state;
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = 5000;
	sp.lines = 4;
	struct allot_scenario *many = NULL;
	assert_int_equal(allot_synth_scenario(&sp, &many), ALLOT_OK);
	char db[4096], want[65], got[65];
	snprintf(db, sizeof db, "%s/gather.db", tmp);
	fresh_store(db);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	faultvfs_arm(FV_WRITE, LONG_MAX, 0); /* counts, never fails */
	assert_int_equal(allot_store_put_scenario(st, "default", many, &d), ALLOT_OK);
	long writes = faultvfs_calls();
	faultvfs_disarm();
	allot_store_close(st); /* the last connection: checkpoints, untimed */
	allot_diags_free(&d);
	sqlite3 *c;
	assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char *pages = query1(c, "PRAGMA page_count");
	sqlite3_close(c);
	long n_pages = atol(pages);
	free(pages);
	assert_true(n_pages > 100);
	if (writes * 4 > n_pages)
		fail_msg("%ld writes for a store of %ld pages", writes, n_pages);
	store_scenario_hash(many, want);
	stored_hash(db, got);
	assert_string_equal(got, want);
	allot_scenario_free(many);
}

static void plan_survives_every_io_fault(void **state)
{
	(void)state;
	run_kinds(op_plan, "plan");
}

/* Allocation failures: a run "met" the fault when the nth allocation was
 * attempted (mem_alloc_count reached n). */
static struct loop_result mem_loop(const char *db, op_fn op, const char *what)
{
	struct loop_result r = { 0, 0, 0 };
	fresh_store(db);
	char *before = dump(db);
	long runs = count_runs(db);
	for (long n = 1;; n++) {
		if (n > 1000000)
			fail_msg("%s: no successful run after 1000000 faults", what);
		mem_inject(n);
		int rc = op(db, new_s);
		mem_clear();
		int met = mem_before >= n;
		if (rc == ALLOT_OK) {
			check_new(db, op, runs);
			if (!met) {
				r.steps = mem_before;
				break;
			}
			r.absorbed++;
			restore_old(db);
			free(before);
			before = dump(db);
			runs = count_runs(db);
			continue;
		}
		assert_true(rc == ALLOT_ESTORE || rc == ALLOT_ENOMEM || rc == ALLOT_EIO);
		r.failures++;
		char *after = dump(db);
		if (strcmp(before, after) != 0)
			fail_msg("%s: allocation %ld failed and the store changed", what, n);
		free(after);
	}
	free(before);
	return r;
}

static void import_and_plan_survive_every_allocation_failure(void **state)
{
	(void)state;
	char db[4096];
	op_fn ops[] = { op_import, op_plan };
	const char *names[] = { "import", "plan" };
	/* Sticky allocation failures mostly stop at the first allocation of
	 * the open; they run only in the full run (ALLOT_FAULT_FULL=1). */
	int full = getenv("ALLOT_FAULT_FULL") != NULL;
	for (int o = 0; o < 2; o++) {
		for (int sticky = 0; sticky < 1 + full; sticky++) {
			cur_sticky = sticky;
			snprintf(db, sizeof db, "%s/mem-%s-%d.db", tmp, names[o], sticky);
			char what[128];
			snprintf(what, sizeof what, "%s, %s allocation", names[o],
				 sticky ? "sticky" : "single");
			struct loop_result r = mem_loop(db, ops[o], what);
			printf("%-36s %4ld calls, %4ld failed cleanly, %3ld absorbed\n", what,
			       r.steps, r.failures, r.absorbed);
			assert_true(r.failures > 50);
		}
	}
}

/* A second process holding the write lock: with a short busy timeout the
 * import fails with SQLite's "database is locked" and changes nothing; once
 * the lock is released it succeeds. */
static void import_waits_then_fails_cleanly_on_a_held_lock(void **state)
{
	(void)state;
	char db[4096];
	snprintf(db, sizeof db, "%s/held.db", tmp);
	fresh_store(db);
	char *before = dump(db);
	sqlite3 *other;
	assert_int_equal(sqlite3_open_v2(db, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	sqlite3_busy_timeout(st->db, 50);
	assert_int_equal(allot_store_put_scenario(st, "default", new_s, &d), ALLOT_ESTORE);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "BEGIN IMMEDIATE: database is locked");
	int64_t run;
	assert_int_equal(allot_store_put_plan(st, "default", plan, &run, &d), ALLOT_ESTORE);
	char *after = dump(db);
	assert_string_equal(before, after);
	free(after);

	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	assert_int_equal(allot_store_put_scenario(st, "default", new_s, &d), ALLOT_OK);
	allot_store_close(st);
	allot_diags_free(&d);
	char h[65];
	stored_hash(db, h);
	assert_string_equal(h, new_hash);
	free(before);
}

/* ---------------------------------------------------------------------- */

static struct allot_scenario *load(const char *rel)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	if (allot_scenario_load(tu_src(rel), &s, &d) != ALLOT_OK) {
		allot_diags_print(&d, stderr);
		abort();
	}
	allot_diags_free(&d);
	return s;
}

int main(void)
{
	route_allocators();
	if (faultvfs_register() != 0) {
		fprintf(stderr, "cannot register the fault VFS\n");
		return 1;
	}
	tmp = tu_tmpdir();
	old_s = load("tests/data/scenarios/tiny");
	new_s = load("tests/data/scenarios/two-tiers");
	store_scenario_hash(old_s, old_hash);
	store_scenario_hash(new_s, new_hash);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.record_allocations = 1;
	if (allot_plan_run(old_s, &o, &plan) != ALLOT_OK)
		abort();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(import_survives_every_io_fault),
		cmocka_unit_test(import_of_many_orders_survives_every_io_fault),
		cmocka_unit_test(plan_survives_every_io_fault),
		cmocka_unit_test(put_gathers_the_wal_writes),
		cmocka_unit_test(import_and_plan_survive_every_allocation_failure),
		cmocka_unit_test(import_waits_then_fails_cleanly_on_a_held_lock),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	allot_plan_free(plan);
	allot_scenario_free(old_s);
	allot_scenario_free(new_s);
	tu_rmtree(tmp);
	free(tmp);
	return rc;
}
