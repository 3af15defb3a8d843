/*
 * test_store_vfs.c - the store's VFS (lib/store/store_vfs.c), which keeps a
 * WAL file's consecutive writes in a buffer, seen by two connections.
 *
 * Its buffer belongs to one connection; the WAL file is shared by every
 * connection to the store.  The bytes a connection wrote must therefore be
 * in the file before another connection can write the same offsets (it
 * gets the WAL's write lock) or be told of frames there (the wal-index
 * header): otherwise a late flush writes the old bytes over the other
 * connection's committed frames.
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

#include "store/store_int.h"
#include "testutil.h"

static sqlite3 *connect(const char *db)
{
	sqlite3 *c;
	assert_non_null(store_vfs());
	assert_int_equal(
		sqlite3_open_v2(db, &c,
				SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
				store_vfs()),
		SQLITE_OK);
	assert_int_equal(sqlite3_exec(c,
				      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
				      "PRAGMA wal_autocheckpoint = 0",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	return c;
}

static void exec(sqlite3 *c, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(c, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : "?");
}

static char *query1(sqlite3 *c, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &q, NULL), SQLITE_OK);
	char *out = NULL;
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		out = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return out;
}

static void query_is(sqlite3 *c, const char *sql, const char *want)
{
	char *got = query1(c, sql);
	if (!got || strcmp(got, want) != 0)
		fail_msg("%s: %s, expected %s", sql, got ? got : "nothing", want);
	free(got);
}

/* 40 rows of 3,000 bytes: about 40 pages, more than A's cache holds. */
#define ROWS "WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 40) "

/* Connection A fills its small page cache, so SQLite writes (spills) frames
 * of its transaction into the WAL, then rolls back: those frames stay in
 * A's buffer.  Connection B then commits a transaction of the same size,
 * whose frames go to the same offsets.  Whatever A does next (here: reads,
 * then closes) must not put A's rolled-back frames over B's. */
static void a_rolled_back_spill_does_not_overwrite_a_later_commit(void **state)
{
	(void)state;
	char *tmp = tu_tmpdir();
	char db[4096];
	snprintf(db, sizeof db, "%s/two.db", tmp);
	sqlite3 *a = connect(db);
	exec(a, "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
	/* An empty WAL: A's rollback then re-reads pages from the database
	 * file, not the WAL (which would flush A's buffer in time). */
	exec(a, "PRAGMA wal_checkpoint(TRUNCATE)");
	sqlite3 *b = connect(db);
	exec(a, "PRAGMA cache_size = 8");
	exec(a, "BEGIN; " ROWS "INSERT INTO t SELECT k, randomblob(3000) FROM i");
	exec(a, "ROLLBACK");
	exec(b, "BEGIN; " ROWS "INSERT INTO t SELECT k, zeroblob(3000) FROM i; COMMIT");
	query_is(a, "SELECT count(*) || ' ' || sum(v = zeroblob(3000)) FROM t", "40 40");
	assert_int_equal(sqlite3_close(a), SQLITE_OK);
	query_is(b, "PRAGMA integrity_check", "ok");
	assert_int_equal(sqlite3_close(b), SQLITE_OK); /* the last: checkpoints */
	sqlite3 *c = connect(db);
	query_is(c, "PRAGMA integrity_check", "ok");
	query_is(c, "SELECT count(*) || ' ' || sum(v = zeroblob(3000)) FROM t", "40 40");
	assert_int_equal(sqlite3_close(c), SQLITE_OK);
	tu_rmtree(tmp);
	free(tmp);
}

/* Without powersafe overwrite (psow=0) a commit pads the WAL to a sector
 * boundary by writing its last frame again, and only the part before that
 * boundary is synced: the rest is written after the sync, yet the
 * wal-index tells of the padding frames, which hold the page's newest
 * copy.  Another connection reading that page right after the commit must
 * find it in the file. */
static void a_commit_is_in_the_file_when_published(void **state)
{
	(void)state;
	char *tmp = tu_tmpdir();
	char db[4096], uri[4200];
	snprintf(db, sizeof db, "%s/psow.db", tmp);
	snprintf(uri, sizeof uri, "file:%s?psow=0", db);
	sqlite3 *a = connect(uri);
	exec(a, "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)");
	sqlite3 *b = connect(uri);
	for (int i = 0; i < 20; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "INSERT INTO t VALUES (%d, zeroblob(%d))", i, 100 + i);
		exec(a, sql);
		char want[32];
		snprintf(want, sizeof want, "%d %d", i + 1, (i + 1) * 100 + i * (i + 1) / 2);
		query_is(b, "SELECT count(*) || ' ' || sum(length(v)) FROM t", want);
	}
	query_is(b, "PRAGMA integrity_check", "ok");
	assert_int_equal(sqlite3_close(b), SQLITE_OK);
	assert_int_equal(sqlite3_close(a), SQLITE_OK);
	tu_rmtree(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_rolled_back_spill_does_not_overwrite_a_later_commit),
		cmocka_unit_test(a_commit_is_in_the_file_when_published),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
