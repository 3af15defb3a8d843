/*
 * store_runs_edit.c - labelling and deleting stored plan runs (`allot runs
 * label|delete`), reading labels back, and the "no such run" message that
 * names the runs a store does hold.
 *
 * Labels live in their own table, run_labels (docs/store.md), created on
 * the first label: a store without it simply has no labels, so stores of
 * every schema version read the same and the schema version is unchanged.
 * Deleting a run removes its orders, allocations and label (foreign keys
 * with ON DELETE CASCADE) in one transaction.
 */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

#include "util/mem.h"

#define LABEL_MAX 200

static int has_labels(struct allot_store *st)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT 1 FROM sqlite_schema WHERE type = 'table'"
			       " AND name = 'run_labels'",
			       -1, &q, NULL) != SQLITE_OK)
		return 0;
	int yes = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return yes;
}

int store_read_label(struct allot_store *st, struct allot_run_info *r, struct allot_diags *d)
{
	if (!has_labels(st))
		return ALLOT_OK;
	sqlite3_stmt *q;
	int rc = store_prepare(st, "SELECT label FROM run_labels WHERE run_id = ?1", &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, r->id);
	if (sqlite3_step(q) == SQLITE_ROW) {
		const char *l = (const char *)sqlite3_column_text(q, 0);
		mem_free(r->label);
		if (!(r->label = mem_strdup(l ? l : "")))
			rc = ALLOT_ENOMEM;
	}
	sqlite3_finalize(q);
	return rc;
}

void store_no_run(struct allot_store *st, int64_t run_id, struct allot_diags *d)
{
	char list[512] = "";
	size_t n = 0, used = 0;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT id, policy FROM runs ORDER BY id DESC", -1, &q,
			       NULL) == SQLITE_OK) {
		while (sqlite3_step(q) == SQLITE_ROW) {
			if (n < 12 && used < sizeof list - 40) {
				const char *pol = (const char *)sqlite3_column_text(q, 1);
				used += (size_t)snprintf(list + used, sizeof list - used,
							 "%s%lld (%s)", n ? ", " : "",
							 (long long)sqlite3_column_int64(q, 0),
							 pol ? pol : "?");
			}
			n++;
		}
		sqlite3_finalize(q);
	}
	if (n == 0)
		allot_diags_add(d, st->path, 0, 0,
				"expected a stored plan run, found no run %lld: "
				"the store holds no runs (store one with 'allot plan --db %s')",
				(long long)run_id, st->path);
	else
		allot_diags_add(d, st->path, 0, 0,
				"expected a stored plan run, found no run %lld; "
				"stored runs, newest first: %s%s (see 'allot runs --db %s')",
				(long long)run_id, list, n > 12 ? ", ..." : "", st->path);
}

static int run_exists(struct allot_store *st, int64_t id, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st, "SELECT 1 FROM runs WHERE id = ?1", &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, id);
	int step = sqlite3_step(q);
	if (step == SQLITE_DONE) {
		store_no_run(st, id, d);
		rc = ALLOT_ENOTFOUND;
	} else if (step != SQLITE_ROW) {
		rc = store_fail(st, d, "cannot read the run");
	}
	sqlite3_finalize(q);
	return rc;
}

static int step_one(struct allot_store *st, const char *sql, int64_t id, const char *text,
		    struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st, sql, &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, id);
	if (text)
		sqlite3_bind_text(q, 2, text, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, d, "cannot change the run");
	sqlite3_finalize(q);
	return rc;
}

int allot_store_label_run(struct allot_store *st, int64_t run_id, const char *label,
			  struct allot_diags *d)
{
	size_t len = label ? strlen(label) : 0;
	if (len > LABEL_MAX || (label && strpbrk(label, "\r\n\t"))) {
		allot_diags_add(d, "", 0, 0,
				"expected a label of at most %d characters on one "
				"line, found %zu characters%s",
				LABEL_MAX, len,
				label && strpbrk(label, "\r\n\t") ? " with a tab or line break"
								  : "");
		return ALLOT_EINPUT;
	}
	int rc = store_begin(st, 1, d);
	if (rc)
		return rc;
	rc = run_exists(st, run_id, d);
	if (rc == ALLOT_OK)
		rc = store_exec(st,
				"CREATE TABLE IF NOT EXISTS run_labels ("
				" run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,"
				" label TEXT NOT NULL)",
				d);
	if (rc == ALLOT_OK)
		rc = len ? step_one(st,
				    "INSERT OR REPLACE INTO run_labels (run_id, label)"
				    " VALUES (?1, ?2)",
				    run_id, label, d)
			 : step_one(st, "DELETE FROM run_labels WHERE run_id = ?1", run_id, NULL,
				    d);
	if (rc == ALLOT_OK)
		rc = store_commit(st, d);
	if (rc != ALLOT_OK)
		store_rollback(st);
	return rc;
}

int allot_store_delete_run(struct allot_store *st, int64_t run_id, struct allot_diags *d)
{
	int rc = store_begin(st, 1, d);
	if (rc)
		return rc;
	rc = run_exists(st, run_id, d);
	if (rc == ALLOT_OK)
		rc = step_one(st, "DELETE FROM runs WHERE id = ?1", run_id, NULL, d);
	if (rc == ALLOT_OK)
		rc = store_commit(st, d);
	if (rc != ALLOT_OK)
		store_rollback(st);
	return rc;
}
