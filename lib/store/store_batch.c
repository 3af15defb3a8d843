/*
 * store_batch.c - a table's rows in multi-row INSERT statements.
 *
 * Rows go in by a prepared INSERT of STORE_BATCH rows, reused, and the last
 * fewer than STORE_BATCH one at a time.  A statement that stays open keeps
 * its cursors where the last row went, so the index seeks that one-row
 * statements pay per row nearly vanish (about half the instructions of a
 * big put; docs/performance.md).  Row k of a batch takes its seq as ?2+k,
 * so that a batch binds its first row's seq once instead of every row's.
 * When a batch fails while the transaction is still open (a constraint:
 * SQLite undid that statement alone), its rows are put again one by one,
 * so that the message names the row that failed.
 */
#include "store_int.h"

#include <stdio.h>

/* "INSERT INTO table [cols] VALUES (?1,?2,?3,...),(?1,?2+1,...)": ?1 the
 * key, ?2 the first row's seq, row k's own parameters 3 + k * width ...;
 * -1 when buf (n bytes) is too small.  (snprintf returns the length it
 * wanted, so `at` passes n once the text is cut and the loops stop.) */
static int insert_sql(const struct store_rows *r, int rows, char *buf, size_t n)
{
	int at = snprintf(buf, n, "INSERT INTO %s %s VALUES ", r->table, r->cols ? r->cols : "");
	for (int k = 0; k < rows && at >= 0 && (size_t)at < n; k++) {
		if (k)
			at += snprintf(buf + at, n - (size_t)at, ",(?1,?2+%d", k);
		else
			at += snprintf(buf + at, n - (size_t)at, "(?1,?2");
		for (int c = 0; c < r->width && (size_t)at < n; c++)
			at += snprintf(buf + at, n - (size_t)at, ",?%d", 3 + k * r->width + c);
		if ((size_t)at < n)
			at += snprintf(buf + at, n - (size_t)at, ")");
	}
	return at < 0 || (size_t)at >= n ? -1 : 0;
}

int store_put_rows(struct allot_store *st, const struct store_rows *r, struct allot_diags *d)
{
	sqlite3_stmt *q, *qb = NULL;
	if (r->width < 0 || r->width > STORE_BATCH_MAX_WIDTH)
		return ALLOT_ENOMEM; /* a table outgrew the buffers: a build error */
	char sql[STORE_BATCH * (STORE_BATCH_MAX_WIDTH + 2) * 7 + STORE_BATCH_MAX_COLS_SQL + 64];
	if (insert_sql(r, 1, sql, sizeof sql) != 0)
		return ALLOT_ENOMEM;
	int rc = store_prepare(st, sql, &q, d);
	/* Without the batch statement (a SQLite whose limit on parameters is
	 * lower, or out of memory), every row goes in one at a time. */
	if (rc == ALLOT_OK && r->n >= STORE_BATCH &&
	    insert_sql(r, STORE_BATCH, sql, sizeof sql) == 0 &&
	    sqlite3_prepare_v2(st->db, sql, -1, &qb, NULL) != SQLITE_OK) {
		sqlite3_finalize(qb);
		qb = NULL;
	}
	char months[STORE_BATCH][STORE_BATCH_MAX_WIDTH][8]; /* bound in place until the step */
	char what[128];
	size_t i = 0;
	if (qb)
		sqlite3_bind_int64(qb, 1, r->key);
	while (rc == ALLOT_OK && qb && r->n - i >= STORE_BATCH) {
		int b = sqlite3_bind_int64(qb, 2, (sqlite3_int64)i);
		for (size_t k = 0; k < STORE_BATCH && !b; k++)
			b = r->bind(qb, (int)(3 + k * (size_t)r->width), i + k, months[k], r->ctx);
		if (!b && sqlite3_step(qb) == SQLITE_DONE) {
			sqlite3_reset(qb);
			i += STORE_BATCH;
			continue;
		}
		sqlite3_reset(qb);
		if (b || sqlite3_get_autocommit(st->db)) {
			snprintf(what, sizeof what, "cannot store %s %zu-%zu", r->rows_what, i + 1,
				 i + STORE_BATCH);
			rc = store_fail(st, d, what);
		}
		break; /* the rows one by one from i find the one that failed */
	}
	if (rc == ALLOT_OK)
		sqlite3_bind_int64(q, 1, r->key);
	for (; rc == ALLOT_OK && i < r->n; i++) {
		if (sqlite3_bind_int64(q, 2, (sqlite3_int64)i) ||
		    r->bind(q, 3, i, months[0], r->ctx) || sqlite3_step(q) != SQLITE_DONE) {
			snprintf(what, sizeof what, "cannot store %s %zu", r->row_what, i + 1);
			rc = store_fail(st, d, what);
			break;
		}
		sqlite3_reset(q);
	}
	sqlite3_finalize(qb);
	sqlite3_finalize(q);
	return rc;
}
