/*
 * store_runs.c - reading a stored plan run back (`allot diff RUN_A RUN_B
 * --db FILE`): the run's policy and scenario, and per order its completion
 * month and units short, in the scenario's order (run_orders.seq).
 *
 * One read transaction, so the run row and its order rows are one
 * snapshot.  The horizon's end (as_of + horizon_months of the run's
 * scenario) comes with it, for orders that do not complete.
 */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

#include "util/mem.h"

static int read_run(struct allot_store *st, int64_t run_id, struct allot_run_orders *r,
		    size_t *n, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st, "SELECT r.policy, r.switch_month, s.name, s.as_of,"
				   " s.horizon_months, (SELECT COUNT(*) FROM run_orders o"
				   " WHERE o.run_id = r.id) FROM runs r JOIN scenarios s"
				   " ON s.id = r.scenario_id WHERE r.id = ?1", &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, run_id);
	int step = sqlite3_step(q);
	if (step == SQLITE_DONE) {
		store_no_run(st, run_id, d);
		rc = ALLOT_ENOTFOUND;
	} else if (step != SQLITE_ROW) {
		rc = store_fail(st, d, "cannot read the run");
	} else {
		allot_month as_of, sw;
		const char *pol = (const char *)sqlite3_column_text(q, 0);
		const char *name = (const char *)sqlite3_column_text(q, 2);
		if (store_column_month(q, 3, &as_of) != 0 || store_column_month(q, 1, &sw) != 0) {
			allot_diags_add(d, st->path, 0, 0, "expected months in run %lld, found "
					"other text", (long long)run_id);
			rc = ALLOT_ESTORE;
		} else {
			r->end = as_of + sqlite3_column_int(q, 4);
			*n = (size_t)sqlite3_column_int64(q, 5);
			char label[256], m[8];
			allot_month_format(sw, m);
			snprintf(label, sizeof label, "run %lld (%s%s%s, scenario %s)",
				 (long long)run_id, pol ? pol : "?", m[0] ? " from " : "", m,
				 name ? name : "?");
			if (!(r->label = mem_strdup(label)))
				rc = ALLOT_ENOMEM;
		}
	}
	sqlite3_finalize(q);
	return rc;
}

static int read_orders(struct allot_store *st, int64_t run_id, struct allot_run_orders *r,
		       size_t n, struct allot_diags *d)
{
	r->order_id = mem_calloc(n ? n : 1, sizeof *r->order_id);
	r->completion = mem_calloc(n ? n : 1, sizeof *r->completion);
	r->units_short = mem_calloc(n ? n : 1, sizeof *r->units_short);
	r->cancelled = mem_calloc(n ? n : 1, sizeof *r->cancelled);
	if (!r->order_id || !r->completion || !r->units_short || !r->cancelled)
		return ALLOT_ENOMEM;
	sqlite3_stmt *q;
	int rc = store_prepare(st, "SELECT order_id, completion_month, units_short, cancelled"
				   " FROM run_orders WHERE run_id = ?1 ORDER BY seq", &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, run_id);
	int step;
	while (rc == ALLOT_OK && r->n < n && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(q, 0);
		if (!(r->order_id[r->n] = mem_strdup(id ? id : ""))) {
			rc = ALLOT_ENOMEM;
			break;
		}
		if (store_column_month(q, 1, &r->completion[r->n]) != 0) {
			allot_diags_add(d, st->path, 0, 0, "expected a completion month for "
					"order %s of run %lld, found other text", id,
					(long long)run_id);
			rc = ALLOT_ESTORE;
		}
		r->cancelled[r->n] = sqlite3_column_int64(q, 3);
		r->units_short[r->n++] = sqlite3_column_int64(q, 2);
	}
	if (rc == ALLOT_OK && r->n < n)
		rc = store_fail(st, d, "cannot read the run's orders");
	sqlite3_finalize(q);
	return rc;
}

int allot_store_get_run_orders(struct allot_store *st, int64_t run_id,
			       struct allot_run_orders **out, struct allot_diags *diags)
{
	*out = NULL;
	struct allot_run_orders *r = mem_calloc(1, sizeof *r);
	if (!r)
		return ALLOT_ENOMEM;
	int rc = store_begin(st, 0, diags);
	size_t n = 0;
	if (rc == ALLOT_OK)
		rc = read_run(st, run_id, r, &n, diags);
	if (rc == ALLOT_OK)
		rc = read_orders(st, run_id, r, n, diags);
	if (rc == ALLOT_OK)
		rc = store_commit(st, diags);
	else
		store_rollback(st);
	if (rc != ALLOT_OK) {
		allot_run_orders_free(r);
		return rc;
	}
	*out = r;
	return ALLOT_OK;
}
