/*
 * store_order.c - adding one order to a stored scenario (`allot quote
 * --commit`) without replacing the scenario, so that its plan runs stay:
 * they keep the inputs hash of the scenario they planned, which no longer
 * matches once the order is in (docs/store.md, docs/answers.md).
 *
 * One BEGIN IMMEDIATE transaction: resolve the scenario, refuse an order id
 * it already has, insert the row after the last one (seq = max + 1), commit.
 * The order's partner and system must exist in the stored scenario (the
 * foreign keys check it).
 */
#include "store_int.h"

#include <string.h>

static int order_exists(struct allot_store *st, int64_t sid, const char *id, int *exists,
			struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st, "SELECT 1 FROM orders WHERE scenario_id = ?1 AND order_id = ?2",
			       &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, sid);
	sqlite3_bind_text(q, 2, id, -1, SQLITE_STATIC);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW || step == SQLITE_DONE)
		*exists = step == SQLITE_ROW;
	else
		rc = store_fail(st, d, "cannot read the orders");
	sqlite3_finalize(q);
	return rc;
}

static int insert_order(struct allot_store *st, int64_t sid, const struct allot_scenario *s,
			const struct allot_order *o, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(
		st,
		"INSERT INTO orders SELECT ?1, COALESCE(MAX(seq) + 1, 0),"
		" ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 FROM orders WHERE scenario_id = ?1",
		&q, d);
	if (rc)
		return rc;
	int b = sqlite3_bind_int64(q, 1, sid) |
		sqlite3_bind_text(q, 2, o->order_id, -1, SQLITE_STATIC) |
		sqlite3_bind_text(q, 3, s->partners[o->partner].iso3, -1, SQLITE_STATIC) |
		sqlite3_bind_text(q, 4, s->systems[o->system].system_id, -1, SQLITE_STATIC) |
		sqlite3_bind_int64(q, 5, o->qty) | sqlite3_bind_int64(q, 6, o->delivered) |
		store_bind_month(q, 7, o->loa_month) | store_bind_month(q, 8, o->need_month) |
		(o->partner_rank < 0 ? sqlite3_bind_null(q, 9)
				     : sqlite3_bind_int64(q, 9, o->partner_rank)) |
		sqlite3_bind_text(q, 10, allot_supply_type_name((enum allot_supply_type)o->supply),
				  -1, SQLITE_STATIC) |
		(o->max_per_month <= 0 ? sqlite3_bind_null(q, 11)
				       : sqlite3_bind_int64(q, 11, o->max_per_month)) |
		store_bind_month(q, 12, o->not_before) |
		sqlite3_bind_text(q, 13, allot_loa_basis_name((enum allot_loa_basis)o->loa_basis),
				  -1, SQLITE_STATIC);
	if (b || sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, d, "cannot add the order");
	sqlite3_finalize(q);
	return rc;
}

int allot_store_add_order(struct allot_store *st, const char *scenario_name,
			  const struct allot_scenario *s, const struct allot_order *o,
			  struct allot_diags *diags)
{
	if (o->partner < 0 || (size_t)o->partner >= s->n_partners || o->system < 0 ||
	    (size_t)o->system >= s->n_systems || !o->order_id || !*o->order_id ||
	    !store_month_ok(o->loa_month) || o->loa_month == ALLOT_NO_MONTH ||
	    !store_month_ok(o->need_month) || !store_month_ok(o->not_before) || o->supply < 0 ||
	    o->supply >= ALLOT_SUPPLY_COUNT || o->loa_basis < 0 || o->loa_basis > ALLOT_LOA_YEAR) {
		allot_diags_add(diags, st->path, 0, 0,
				"expected an order with an id, a partner, a system and months "
				"within 1000-01..9999-12, found '%s'",
				o->order_id ? o->order_id : "");
		return ALLOT_EINPUT;
	}
	if (!allot_range_ok(ALLOT_RANGE_QTY, (double)o->qty) || o->delivered < 0 ||
	    o->delivered > o->qty) {
		allot_diags_add(diags, st->path, 0, 0,
				"expected qty from 1 to 1000000000 and delivered from 0 to qty, "
				"found %lld and %lld",
				(long long)o->qty, (long long)o->delivered);
		return ALLOT_EINPUT;
	}
	if (o->max_per_month != 0 && /* 0: none */
	    !allot_range_ok(ALLOT_RANGE_QTY, (double)o->max_per_month)) {
		allot_diags_add(diags, st->path, 0, 0,
				"max_per_month: expected " ALLOT_UNITS_EXPECTED
				" or none, found %d",
				o->max_per_month);
		return ALLOT_EINPUT;
	}
	int64_t open = o->qty - o->delivered;
	for (size_t i = 0; i < s->n_orders; i++)
		open += s->orders[i].qty - s->orders[i].delivered; /* each <= 1e9 */
	if (open > (int64_t)ALLOT_MAX_TOTAL_QTY) {
		allot_diags_add(diags, st->path, 0, 0,
				"expected at most %.0f open units over all orders, found %lld "
				"with this one",
				ALLOT_MAX_TOTAL_QTY, (long long)open);
		return ALLOT_EINPUT;
	}
	int rc = store_begin(st, 1, diags);
	if (rc)
		return rc;
	int64_t sid = 0;
	int exists = 0;
	rc = store_resolve(st, scenario_name, &sid, NULL, diags);
	if (rc == ALLOT_OK)
		rc = order_exists(st, sid, o->order_id, &exists, diags);
	if (rc == ALLOT_OK && exists) {
		allot_diags_add(diags, st->path, 0, 0,
				"expected a new order id, found '%s' (the stored scenario has it)",
				o->order_id);
		rc = ALLOT_EINPUT;
	}
	if (rc == ALLOT_OK)
		rc = insert_order(st, sid, s, o, diags);
	if (rc == ALLOT_OK)
		rc = store_commit(st, diags);
	if (rc != ALLOT_OK)
		store_rollback(st);
	return rc;
}
