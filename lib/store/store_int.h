/*
 * store_int.h - what the files of the SQLite store share (private).
 *
 * store.c opens a store and owns the schema; store_scenario.c puts and gets
 * scenarios; store_policy.c turns a policy into JSON text and back;
 * store_hash.c fingerprints a scenario; store_plan.c records plan runs.
 * docs/store.md describes the schema.
 */
#ifndef ALLOT_STORE_INT_H
#define ALLOT_STORE_INT_H

#include <allot/allot.h>
#include <sqlite3.h>

#include <allot/schema.h>

/* 3, or the latest version a column descriptor says it was added in. */
#define STORE_SCHEMA_VERSION allot_sc_schema_version()

struct allot_store {
	sqlite3 *db;
	char *path;
	int fk_off; /* foreign keys are off (a put): store_fk_on turns them on */
};

/* Records "what: sqlite's message" against the store's path and returns
 * ALLOT_ESTORE (ALLOT_ENOMEM when SQLite ran out of memory). */
int store_fail(struct allot_store *st, struct allot_diags *d, const char *what);
/* Runs one statement without results; store_fail on error. */
int store_exec(struct allot_store *st, const char *sql, struct allot_diags *d);
/* The name of the store's VFS (store_vfs.c: the default one, with a WAL
 * file's writes gathered), or NULL for the default when it could not be
 * registered. */
const char *store_vfs(void);
/* BEGIN IMMEDIATE / BEGIN / COMMIT; rollback never fails (it retries once
 * and is a no-op outside a transaction). */
int store_begin(struct allot_store *st, int immediate, struct allot_diags *d);
/* Turns foreign keys back on after a put turned them off; 0, or the SQLite
 * code when it could not (then fk_off stays set and store_begin, which
 * calls it first, fails rather than write without them). */
int store_fk_on(struct allot_store *st);
int store_commit(struct allot_store *st, struct allot_diags *d);
/* The page cache for a big write transaction (big: 256 MiB, used on
 * demand; store_fail when it cannot be set) and back to the usual 64 MiB
 * after it (never fails), which frees what the write used beyond that. */
int store_put_cache(struct allot_store *st, int big, struct allot_diags *d);
void store_rollback(struct allot_store *st);
int store_prepare(struct allot_store *st, const char *sql, sqlite3_stmt **out,
		  struct allot_diags *d);

/* Finds the scenario a name designates (NULL: the only one, else
 * "default").  Sets *id; *name_out (may be NULL) receives a mem_strdup'd
 * name.  ALLOT_ENOTFOUND with a diag listing the names when absent.  Call
 * inside a transaction for a consistent answer. */
int store_resolve(struct allot_store *st, const char *name, int64_t *id, char **name_out,
		  struct allot_diags *d);

/* store_runs_edit.c: a run's label into r->label (left NULL when none),
 * and the diag for a missing run that lists the stored ones. */
int store_read_label(struct allot_store *st, struct allot_run_info *r, struct allot_diags *d);
void store_no_run(struct allot_store *st, int64_t run_id, struct allot_diags *d);

/* Months are stored as TEXT 'YYYY-MM', absent ones as NULL. */
int store_bind_month(sqlite3_stmt *q, int col, allot_month m);
/* The same, the text formatted into buf, which SQLite reads in place
 * (SQLITE_STATIC: no copy): buf must stay as it is until the statement is
 * stepped and reset. */
int store_bind_month_static(sqlite3_stmt *q, int col, allot_month m, char buf[8]);
/* Reads a month column; -1 when the text is not a month. */
int store_column_month(sqlite3_stmt *q, int col, allot_month *out);
/* True when m is ALLOT_NO_MONTH or within 1000-01 .. 9999-12. */
int store_month_ok(allot_month m);

/* store_batch.c: n rows of a table, in prepared INSERTs of STORE_BATCH
 * rows (reused) and then one at a time; a failed batch is put again row by
 * row, so that the message names the row: "cannot store <row_what> <i>"
 * (1-based), or "cannot store <rows_what> <i>-<j>" when a batch could not
 * be bound.  Every row's first two columns are the key (?1, `key`) and its
 * seq (i, 0-based, bound by store_put_rows); `cols` names the columns,
 * "(key, seq, a, b, ...)", or is NULL for every column in table order.
 * bind() binds row i's `width` other parameters from `base` on and may
 * format months into months[0..width), which stay bound in place until the
 * step (store_bind_month_static); it returns SQLite's code, non-zero when a
 * bind failed. */
#define STORE_BATCH              64
#define STORE_BATCH_MAX_WIDTH    32   /* up to 32 columns after seq (TABLE_MAX_COLS) */
#define STORE_BATCH_MAX_COLS_SQL 2048 /* the longest `cols` */

struct store_rows {
	const char *table;
	const char *cols;
	int width;
	sqlite3_int64 key;
	size_t n;
	int (*bind)(sqlite3_stmt *q, int base, size_t i, char (*months)[8], const void *ctx);
	const void *ctx;
	const char *row_what, *rows_what;
};

int store_put_rows(struct allot_store *st, const struct store_rows *r, struct allot_diags *d);

/* "YYYY-MM-DDTHH:MM:SSZ" for now, UTC. */
void store_now(char buf[32]);

/* Policy <-> policy.json text (docs/store.md).  The text is owned by the
 * caller (free with mem_free). */
int store_policy_to_json(const struct allot_policy *p, char **out, struct allot_diags *d,
			 const char *file);
int store_policy_from_json(const char *text, struct allot_policy *p, struct allot_diags *d,
			   const char *file);

/* SHA-256 of the canonical serialization of s (every field but the name),
 * as 64 lower-case hex digits. */
void store_scenario_hash(const struct allot_scenario *s, char hex[65]);

#endif
