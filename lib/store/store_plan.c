/*
 * store_plan.c - recording a plan run: one runs row, every allocation and
 * every order's outcome, in one BEGIN IMMEDIATE transaction.
 *
 * Months in a plan's allocations are relative to the scenario's as_of; the
 * store writes them as calendar months.  The delivery month is the
 * production month plus the system's lead time.  months_late is kept only
 * for orders with a need month: max(0, completion - need), or for an order
 * not complete within the horizon max(0, (as_of + horizon) - need).
 */
#include "store_int.h"

#include <string.h>

static int put_run(struct allot_store *st, int64_t sid, const struct allot_plan *p, int64_t *run_id,
		   struct allot_diags *d)
{
	const struct allot_scenario *s = p->scenario;
	int64_t produced = 0;
	for (size_t i = 0; i < s->n_orders; i++)
		produced += p->orders[i].produced;
	char hash[65], now[32];
	store_scenario_hash(s, hash);
	store_now(now);
	sqlite3_stmt *q;
	int rc = store_prepare(st,
			       "INSERT INTO runs (scenario_id, policy, switch_month,"
			       " inputs_hash, created_at, n_orders, n_allocations,"
			       " units_produced) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
			       &q, d);
	if (rc)
		return rc;
	if (sqlite3_bind_int64(q, 1, sid) ||
	    sqlite3_bind_text(q, 2, allot_policy_kind_name(p->policy), -1, SQLITE_STATIC) ||
	    store_bind_month(q, 3, p->switch_month) ||
	    sqlite3_bind_text(q, 4, hash, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(q, 6, (sqlite3_int64)s->n_orders) ||
	    sqlite3_bind_int64(q, 7, (sqlite3_int64)p->n_allocs) ||
	    sqlite3_bind_int64(q, 8, produced) || sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, d, "cannot store the run");
	else
		*run_id = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(q);
	return rc;
}

/* Allocation i (after its seq): order id, month, units, delivery month. */
static int bind_alloc(sqlite3_stmt *q, int base, size_t i, char (*months)[8], const void *ctx)
{
	const struct allot_plan *p = ctx;
	const struct allot_scenario *s = p->scenario;
	const struct allot_alloc *a = &p->allocs[i];
	const struct allot_order *o = &s->orders[a->order];
	allot_month m = s->as_of + a->month;
	allot_month dm = m + s->systems[o->system].lead_months;
	return sqlite3_bind_text(q, base, o->order_id, -1, SQLITE_STATIC) ||
	       store_bind_month_static(q, base + 1, m, months[0]) ||
	       sqlite3_bind_int64(q, base + 2, a->units) ||
	       store_bind_month_static(q, base + 3, dm, months[1]);
}

static int64_t months_late(const struct allot_scenario *s, const struct allot_order *o,
			   const struct allot_order_result *r)
{
	allot_month end = r->completion != ALLOT_NO_MONTH ? r->completion
							  : s->as_of + s->horizon_months;
	return end > o->need_month ? end - o->need_month : 0;
}

/* Order i's result (after its seq): order id, produced ... tier0. */
static int bind_result(sqlite3_stmt *q, int base, size_t i, char (*months)[8], const void *ctx)
{
	const struct allot_plan *p = ctx;
	const struct allot_scenario *s = p->scenario;
	const struct allot_order *o = &s->orders[i];
	const struct allot_order_result *r = &p->orders[i];
	return sqlite3_bind_text(q, base, o->order_id, -1, SQLITE_STATIC) ||
	       sqlite3_bind_int64(q, base + 1, r->produced) ||
	       sqlite3_bind_int64(q, base + 2, r->delivered_in_h) ||
	       store_bind_month_static(q, base + 3, r->first_delivery, months[0]) ||
	       store_bind_month_static(q, base + 4, r->completion, months[1]) ||
	       sqlite3_bind_int64(q, base + 5, r->short_units) ||
	       (o->need_month == ALLOT_NO_MONTH
			? sqlite3_bind_null(q, base + 6)
			: sqlite3_bind_int64(q, base + 6, months_late(s, o, r))) ||
	       sqlite3_bind_int64(q, base + 7, r->blocked) ||
	       sqlite3_bind_int64(q, base + 8, r->cancelled) ||
	       sqlite3_bind_int64(q, base + 9, r->tier0);
}

/* The allocations and the order results, 64 rows a statement
 * (store_batch.c; a failed batch again row by row, so that the message
 * names the row). */
static int put_results(struct allot_store *st, int64_t run, const struct allot_plan *p,
		       struct allot_diags *d)
{
	struct store_rows a = { .table = "run_allocations",
				.width = 4,
				.key = run,
				.n = p->n_allocs,
				.bind = bind_alloc,
				.ctx = p,
				.row_what = "allocation",
				.rows_what = "allocations" };
	struct store_rows o = { .table = "run_orders",
				.width = 10,
				.key = run,
				.n = p->scenario->n_orders,
				.bind = bind_result,
				.ctx = p,
				.row_what = "order result",
				.rows_what = "order results" };
	int rc = store_put_rows(st, &a, d);
	return rc == ALLOT_OK ? store_put_rows(st, &o, d) : rc;
}

/* The plan must refer to its own scenario's rows before anything is
 * written: a bad index would otherwise read out of bounds. */
static int check_plan(struct allot_store *st, const struct allot_plan *p, struct allot_diags *d)
{
	const struct allot_scenario *s = p->scenario;
	if (!s || (s->n_orders && !p->orders) || (p->n_allocs && !p->allocs)) {
		allot_diags_add(d, st->path, 0, 0,
				"expected a plan with its scenario and results, found "
				"missing parts");
		return ALLOT_EINPUT;
	}
	for (size_t i = 0; i < p->n_allocs; i++) {
		const struct allot_alloc *a = &p->allocs[i];
		if (a->order < 0 || (size_t)a->order >= s->n_orders || a->month < -1200 ||
		    a->month >= s->horizon_months || s->orders[a->order].system < 0 ||
		    (size_t)s->orders[a->order].system >= s->n_systems) {
			allot_diags_add(d, st->path, 0, 0,
					"expected allocation %zu to name an order and a "
					"month within the horizon (or before as_of by at "
					"most a lead time), found order %d month %d",
					i + 1, (int)a->order, (int)a->month);
			return ALLOT_EINPUT;
		}
	}
	return ALLOT_OK;
}

int allot_store_put_plan(struct allot_store *st, const char *scenario_name,
			 const struct allot_plan *p, int64_t *run_id, struct allot_diags *diags)
{
	*run_id = 0;
	int rc = check_plan(st, p, diags);
	if (rc)
		return rc;
	if ((rc = store_put_cache(st, 1, diags)) != ALLOT_OK ||
	    (rc = store_begin(st, 1, diags)) != ALLOT_OK) {
		store_put_cache(st, 0, diags);
		return rc;
	}
	int64_t sid = 0, run = 0;
	rc = store_resolve(st, scenario_name, &sid, NULL, diags);
	if (rc == ALLOT_OK)
		rc = put_run(st, sid, p, &run, diags);
	if (rc == ALLOT_OK)
		rc = put_results(st, run, p, diags);
	if (rc == ALLOT_OK)
		rc = store_commit(st, diags);
	if (rc != ALLOT_OK)
		store_rollback(st);
	store_put_cache(st, 0, diags);
	if (rc != ALLOT_OK)
		return rc;
	*run_id = run;
	return ALLOT_OK;
}
