/*
 * store_runs_read.c - reading stored plan runs back in full, for the
 * server (`allot serve`): the runs of a scenario (newest first), one run's
 * header, every order result and, on request, every allocation.
 *
 * This file reads every column of runs, run_orders and run_allocations
 * (docs/store.md).  Each call is one read transaction, so a run's header
 * and its rows are one snapshot.  `allot diff` gets the same rows as
 * columns (struct allot_run_orders, allot_store_get_run_orders), with the
 * horizon's end for orders that do not complete.
 */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define RUN_COLS                                                               \
	"r.id, s.name, r.policy, r.switch_month, r.inputs_hash, r.created_at," \
	" r.n_orders, r.n_allocations, r.units_produced"

static void copy_text(char *dst, size_t cap, const unsigned char *src)
{
	snprintf(dst, cap, "%s", src ? (const char *)src : "");
}

static int read_info(struct allot_store *st, sqlite3_stmt *q, struct allot_run_info *r,
		     struct allot_diags *d)
{
	r->id = sqlite3_column_int64(q, 0);
	const char *name = (const char *)sqlite3_column_text(q, 1);
	if (!(r->scenario = mem_strdup(name ? name : "")))
		return ALLOT_ENOMEM;
	const char *pol = (const char *)sqlite3_column_text(q, 2);
	if (!pol || allot_policy_kind_parse(pol, &r->policy) != 0 ||
	    store_column_month(q, 3, &r->switch_month) != 0) {
		allot_diags_add(d, st->path, 0, 0,
				"expected a policy and a switch month in "
				"run %lld, found other text",
				(long long)r->id);
		return ALLOT_ESTORE;
	}
	copy_text(r->inputs_hash, sizeof r->inputs_hash, sqlite3_column_text(q, 4));
	copy_text(r->created_at, sizeof r->created_at, sqlite3_column_text(q, 5));
	r->n_orders = sqlite3_column_int64(q, 6);
	r->n_allocations = sqlite3_column_int64(q, 7);
	r->units_produced = sqlite3_column_int64(q, 8);
	return ALLOT_OK;
}

static int list_runs(struct allot_store *st, const char *name, struct allot_run_info **v, size_t *n,
		     struct allot_diags *d)
{
	int64_t sid;
	int rc = store_resolve(st, name, &sid, NULL, d);
	if (rc)
		return rc;
	sqlite3_stmt *q;
	rc = store_prepare(st,
			   "SELECT " RUN_COLS " FROM runs r JOIN scenarios s"
			   " ON s.id = r.scenario_id WHERE r.scenario_id = ?1"
			   " ORDER BY r.id DESC",
			   &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, sid);
	size_t cap = 0;
	int step;
	while (rc == ALLOT_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (mem_grow(v, &cap, *n + 1, sizeof **v) != 0) {
			rc = ALLOT_ENOMEM;
			break;
		}
		memset(&(*v)[*n], 0, sizeof **v);
		rc = read_info(st, q, &(*v)[(*n)++], d);
		if (rc == ALLOT_OK)
			rc = store_read_label(st, &(*v)[*n - 1], d);
	}
	if (rc == ALLOT_OK && step != SQLITE_DONE)
		rc = store_fail(st, d, "cannot list the runs");
	sqlite3_finalize(q);
	return rc;
}

int allot_store_list_runs(struct allot_store *st, const char *scenario_name,
			  struct allot_run_info **out, size_t *n, struct allot_diags *diags)
{
	*out = NULL;
	*n = 0;
	struct allot_run_info *v = NULL;
	size_t nv = 0;
	int rc = store_begin(st, 0, diags);
	if (rc == ALLOT_OK) {
		rc = list_runs(st, scenario_name, &v, &nv, diags);
		store_rollback(st);
	}
	if (rc != ALLOT_OK) {
		allot_run_infos_free(v, nv);
		return rc;
	}
	*out = v;
	*n = nv;
	return ALLOT_OK;
}

void allot_run_infos_free(struct allot_run_info *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		mem_free(v[i].scenario);
		mem_free(v[i].label);
	}
	mem_free(v);
}

/* The run's header; *end: its scenario's as_of + horizon_months. */
static int get_header(struct allot_store *st, int64_t id, struct allot_run *r, allot_month *end,
		      struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st,
			       "SELECT " RUN_COLS ", s.as_of, s.horizon_months FROM runs r"
			       " JOIN scenarios s ON s.id = r.scenario_id WHERE r.id = ?1",
			       &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, id);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		allot_month as_of = 0;
		rc = read_info(st, q, &r->info, d);
		if (rc == ALLOT_OK && store_column_month(q, 9, &as_of) != 0) {
			allot_diags_add(d, st->path, 0, 0,
					"expected months in run %lld, found "
					"other text",
					(long long)id);
			rc = ALLOT_ESTORE;
		}
		*end = as_of + sqlite3_column_int(q, 10);
		if (rc == ALLOT_OK)
			rc = store_read_label(st, &r->info, d);
	} else if (step == SQLITE_DONE) {
		store_no_run(st, id, d);
		rc = ALLOT_ENOTFOUND;
	} else {
		rc = store_fail(st, d, "cannot read the run");
	}
	sqlite3_finalize(q);
	return rc;
}

static int get_orders(struct allot_store *st, struct allot_run *r, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st,
			       "SELECT order_id, produced, delivered_in_h,"
			       " first_delivery_month, completion_month, units_short,"
			       " months_late, blocked, cancelled, tier0 FROM run_orders"
			       " WHERE run_id = ?1 ORDER BY seq",
			       &q, d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, r->info.id);
	size_t cap = 0;
	int step;
	while (rc == ALLOT_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		if (mem_grow(&r->orders, &cap, r->n_orders + 1, sizeof *r->orders) != 0) {
			rc = ALLOT_ENOMEM;
			break;
		}
		struct allot_run_order *o = &r->orders[r->n_orders++];
		memset(o, 0, sizeof *o);
		const char *oid = (const char *)sqlite3_column_text(q, 0);
		if (!(o->order_id = mem_strdup(oid ? oid : ""))) {
			rc = ALLOT_ENOMEM;
			break;
		}
		o->produced = sqlite3_column_int64(q, 1);
		o->delivered_in_h = sqlite3_column_int64(q, 2);
		o->units_short = sqlite3_column_int64(q, 5);
		o->months_late =
			sqlite3_column_type(q, 6) == SQLITE_NULL ? -1 : sqlite3_column_int(q, 6);
		o->blocked = sqlite3_column_int64(q, 7);
		o->cancelled = sqlite3_column_int64(q, 8);
		o->tier0 = sqlite3_column_int(q, 9);
		if (store_column_month(q, 3, &o->first_delivery) != 0 ||
		    store_column_month(q, 4, &o->completion) != 0) {
			allot_diags_add(d, st->path, 0, 0,
					"expected months for order %s of run "
					"%lld, found other text",
					o->order_id, (long long)r->info.id);
			rc = ALLOT_ESTORE;
		}
	}
	if (rc == ALLOT_OK && step != SQLITE_DONE)
		rc = store_fail(st, d, "cannot read the run's orders");
	sqlite3_finalize(q);
	return rc;
}

/* Allocations name their order by id; they are matched to the run's order
 * rows by a binary search over the ids sorted once. */
struct id_ix {
	const char *id;
	size_t ix;
};

static int cmp_id(const void *a, const void *b)
{
	return strcmp(((const struct id_ix *)a)->id, ((const struct id_ix *)b)->id);
}

static int get_allocs(struct allot_store *st, struct allot_run *r, struct allot_diags *d)
{
	struct id_ix *ix = mem_calloc(r->n_orders ? r->n_orders : 1, sizeof *ix);
	if (!ix)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < r->n_orders; i++)
		ix[i] = (struct id_ix){ r->orders[i].order_id, i };
	qsort(ix, r->n_orders, sizeof *ix, cmp_id);
	sqlite3_stmt *q;
	int rc = store_prepare(st,
			       "SELECT order_id, month, units, delivery_month FROM"
			       " run_allocations WHERE run_id = ?1 ORDER BY seq",
			       &q, d);
	if (rc) {
		mem_free(ix);
		return rc;
	}
	sqlite3_bind_int64(q, 1, r->info.id);
	size_t cap = 0;
	int step;
	while (rc == ALLOT_OK && (step = sqlite3_step(q)) == SQLITE_ROW) {
		const char *oid = (const char *)sqlite3_column_text(q, 0);
		struct id_ix key = { oid ? oid : "", 0 };
		struct id_ix *hit = bsearch(&key, ix, r->n_orders, sizeof *ix, cmp_id);
		struct allot_run_alloc a = { 0, 0, 0, 0 };
		if (hit)
			a.order = hit->ix;
		a.units = sqlite3_column_int64(q, 2);
		if (!hit || store_column_month(q, 1, &a.month) != 0 ||
		    store_column_month(q, 3, &a.delivery_month) != 0) {
			allot_diags_add(d, st->path, 0, 0,
					"expected an allocation of an order of "
					"run %lld, found order '%s'",
					(long long)r->info.id, key.id);
			rc = ALLOT_ESTORE;
			break;
		}
		if (mem_grow(&r->allocs, &cap, r->n_allocs + 1, sizeof *r->allocs) != 0) {
			rc = ALLOT_ENOMEM;
			break;
		}
		r->allocs[r->n_allocs++] = a;
	}
	if (rc == ALLOT_OK && step != SQLITE_DONE)
		rc = store_fail(st, d, "cannot read the run's allocations");
	sqlite3_finalize(q);
	mem_free(ix);
	return rc;
}

static int get_run(struct allot_store *st, int64_t run_id, int with_allocations, allot_month *end,
		   struct allot_run **out, struct allot_diags *diags)
{
	*out = NULL;
	struct allot_run *r = mem_calloc(1, sizeof *r);
	if (!r)
		return ALLOT_ENOMEM;
	int rc = store_begin(st, 0, diags);
	if (rc == ALLOT_OK) {
		rc = get_header(st, run_id, r, end, diags);
		if (rc == ALLOT_OK)
			rc = get_orders(st, r, diags);
		if (rc == ALLOT_OK && with_allocations)
			rc = get_allocs(st, r, diags);
		store_rollback(st);
	}
	if (rc != ALLOT_OK) {
		allot_run_free(r);
		return rc;
	}
	*out = r;
	return ALLOT_OK;
}

int allot_store_get_run(struct allot_store *st, int64_t run_id, int with_allocations,
			struct allot_run **out, struct allot_diags *diags)
{
	allot_month end;
	return get_run(st, run_id, with_allocations, &end, out, diags);
}

/* The order rows of run as columns (the ids move over), with its label. */
static int to_columns(struct allot_run *run, struct allot_run_orders *r)
{
	size_t n = run->n_orders ? run->n_orders : 1;
	r->order_id = mem_calloc(n, sizeof *r->order_id);
	r->completion = mem_calloc(n, sizeof *r->completion);
	r->units_short = mem_calloc(n, sizeof *r->units_short);
	r->cancelled = mem_calloc(n, sizeof *r->cancelled);
	char label[256], m[8];
	allot_month_format(run->info.switch_month, m);
	snprintf(label, sizeof label, "run %lld (%s%s%s, scenario %s)", (long long)run->info.id,
		 allot_policy_kind_name(run->info.policy), m[0] ? " from " : "", m,
		 run->info.scenario);
	r->label = mem_strdup(label);
	if (!r->order_id || !r->completion || !r->units_short || !r->cancelled || !r->label)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < run->n_orders; i++) {
		const struct allot_run_order *o = &run->orders[i];
		r->order_id[i] = o->order_id;
		run->orders[i].order_id = NULL;
		r->completion[i] = o->completion;
		r->units_short[i] = o->units_short;
		r->cancelled[i] = o->cancelled;
	}
	r->n = run->n_orders;
	return ALLOT_OK;
}

int allot_store_get_run_orders(struct allot_store *st, int64_t run_id,
			       struct allot_run_orders **out, struct allot_diags *diags)
{
	*out = NULL;
	struct allot_run *run = NULL;
	struct allot_run_orders *r = mem_calloc(1, sizeof *r);
	if (!r)
		return ALLOT_ENOMEM;
	int rc = get_run(st, run_id, 0, &r->end, &run, diags);
	if (rc == ALLOT_OK)
		rc = to_columns(run, r);
	allot_run_free(run);
	if (rc != ALLOT_OK) {
		allot_run_orders_free(r);
		return rc;
	}
	*out = r;
	return ALLOT_OK;
}

void allot_run_free(struct allot_run *r)
{
	if (!r)
		return;
	mem_free(r->info.scenario);
	mem_free(r->info.label);
	for (size_t i = 0; i < r->n_orders; i++)
		mem_free(r->orders[i].order_id);
	mem_free(r->orders);
	mem_free(r->allocs);
	mem_free(r);
}
