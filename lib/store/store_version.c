/*
 * store_version.c - a change counter for caches over a store.
 *
 * SQLite's PRAGMA data_version changes on a connection whenever another
 * connection (of this process or another one) commits to the database.
 * `allot serve` keeps loaded scenarios in memory and reads this counter on
 * one long-lived connection before each use: a different value means the
 * store changed (a scenario replaced, an order added, a run stored) and the
 * cache is reloaded.  Commits made on the reading connection itself do not
 * change it, so that connection must only read.
 */
#include "store_int.h"

int allot_store_data_version(struct allot_store *st, int64_t *out, struct allot_diags *diags)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st, "PRAGMA data_version", &q, diags);
	if (rc)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	else
		rc = store_fail(st, diags, "cannot read the store's data version");
	sqlite3_finalize(q);
	return rc;
}
