/*
 * allot/store.h - the SQLite store: scenarios, plan runs and their results.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_STORE_H
#define ALLOT_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <allot/diag.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/plan.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* The SQLite store                                                          */

struct allot_store;

/* Opens (creating if needed) a store: WAL, synchronous=FULL, foreign keys,
 * busy timeout.  diags gets a readable message on failure. */
int allot_store_open(const char *path, struct allot_store **out, struct allot_diags *diags);
/* Opens a store that exists already: ALLOT_ENOTFOUND, with no diagnostic,
 * when path does not exist (the caller words it). */
int allot_store_open_existing(const char *path, struct allot_store **out,
			      struct allot_diags *diags);
void allot_store_close(struct allot_store *st);
/* Replaces (or creates) the named scenario in one transaction.  On any
 * failure the store is exactly as it was. */
int allot_store_put_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s, struct allot_diags *diags);
/* Adds the named scenario in one write transaction, only when the store
 * has none of that name: the check is made inside the transaction, so of
 * two concurrent adds of one name exactly one succeeds.  When the name is
 * taken: ALLOT_EINPUT, *exists = 1, no diagnostic, nothing written. */
int allot_store_add_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s, int *exists,
			     struct allot_diags *diags);
/* `allot import`: stores s as name in the store at path, creating the
 * store when it does not exist.  A new store is built beside path under a
 * private temporary name and appears at path, complete, by link(2) (which
 * fails when path exists); so path is never an empty or half-written store,
 * a failure (a full disk) leaves nothing behind, and nothing this function
 * does can remove a store another process has written.  When path appears
 * meanwhile, the scenario goes into that store instead.  Without replace,
 * a taken name is ALLOT_EINPUT with *exists = 1 (no diagnostic).  *created
 * is 1 when this call created the store. */
int allot_store_import(const char *path, const char *name, const struct allot_scenario *s,
		       int replace, int *exists, int *created, struct allot_diags *diags);
/* Reads a named scenario (NULL name: the only one, or "default"). */
int allot_store_get_scenario(struct allot_store *st, const char *name, struct allot_scenario **out,
			     struct allot_diags *diags);
/* Lists scenario names; *names is a NULL-terminated array the caller frees
 * with allot_strv_free. */
int allot_store_list_scenarios(struct allot_store *st, char ***names);
void allot_strv_free(char **v);
/* Stores a plan run with its results in one transaction; *run_id receives
 * the new run's id. */
int allot_store_put_plan(struct allot_store *st, const char *scenario_name,
			 const struct allot_plan *p, int64_t *run_id, struct allot_diags *diags);

/* Adds one order (an order of s, with its partner and system) to the named
 * stored scenario in one transaction, keeping its plan runs.  The order's
 * id must be new in the store (else ALLOT_EINPUT). */
int allot_store_add_order(struct allot_store *st, const char *scenario_name,
			  const struct allot_scenario *s, const struct allot_order *o,
			  struct allot_diags *diags);

/* The per-order outcome of one plan, as read back from a store or from
 * orders_out.csv. */
struct allot_run_orders {
	char *label;             /* "run 3 (priority)", the directory ... */
	allot_month end;         /* as_of + horizon_months; NO_MONTH if unknown */
	char **order_id;         /* n, owned */
	allot_month *completion; /* n; NO_MONTH: not complete in the horizon */
	int64_t *units_short;    /* n */
	int64_t *cancelled;      /* n: units cut by budget caps; NULL when the
				  * source does not say (an orders_out.csv
				  * without cancelled_units) */
	size_t n;
};
void allot_run_orders_free(struct allot_run_orders *r);
/* Reads a stored plan run's order results. */
int allot_store_get_run_orders(struct allot_store *st, int64_t run_id,
			       struct allot_run_orders **out, struct allot_diags *diags);

/* ------------------------------------------------------------------------ */
/* Stored runs read in full, and a change counter (for `allot serve`)        */

struct allot_run_info {
	int64_t id;
	char *scenario; /* owned: the scenario's name */
	enum allot_policy_kind policy;
	allot_month switch_month; /* ALLOT_NO_MONTH when none */
	char inputs_hash[65];     /* SHA-256 hex of the inputs (docs/store.md) */
	char created_at[32];      /* UTC, "2026-02-01T09:30:00Z" */
	int64_t n_orders, n_allocations, units_produced;
	char *label; /* owned: `allot runs label`, NULL when none */
};

/* One row of run_orders: an order's outcome in a stored run. */
struct allot_run_order {
	char *order_id; /* owned */
	int64_t produced, delivered_in_h, units_short, blocked, cancelled;
	allot_month first_delivery, completion; /* or ALLOT_NO_MONTH */
	int months_late;                        /* -1 when NULL (no need month) */
	int tier0;
};

/* One row of run_allocations (calendar months). */
struct allot_run_alloc {
	size_t order; /* index into allot_run.orders */
	allot_month month, delivery_month;
	int64_t units;
};

struct allot_run {
	struct allot_run_info info;
	struct allot_run_order *orders;
	size_t n_orders; /* scenario order */
	struct allot_run_alloc *allocs;
	size_t n_allocs; /* plan order */
};

/* The runs of a stored scenario (NULL name: the only one, or "default"),
 * newest first.  *out (n rows) is freed with allot_run_infos_free. */
int allot_store_list_runs(struct allot_store *st, const char *scenario_name,
			  struct allot_run_info **out, size_t *n, struct allot_diags *diags);
void allot_run_infos_free(struct allot_run_info *v, size_t n);
/* One stored run: header, order results and (with_allocations) every
 * allocation.  ALLOT_ENOTFOUND when there is no such run.  *out is freed
 * with allot_run_free. */
int allot_store_get_run(struct allot_store *st, int64_t run_id, int with_allocations,
			struct allot_run **out, struct allot_diags *diags);
void allot_run_free(struct allot_run *r);
/* Labels a run ("" removes the label; at most 200 characters, one line)
 * or deletes it with its orders and allocations, in one transaction each.
 * ALLOT_ENOTFOUND, with a diag listing the stored runs, when there is no
 * such run. */
int allot_store_label_run(struct allot_store *st, int64_t run_id, const char *label,
			  struct allot_diags *diags);
int allot_store_delete_run(struct allot_store *st, int64_t run_id, struct allot_diags *diags);
/* SQLite's PRAGMA data_version on this handle: it changes whenever another
 * connection commits to the store.  Caches compare two readings. */
int allot_store_data_version(struct allot_store *st, int64_t *out, struct allot_diags *diags);

#ifdef __cplusplus
}
#endif
#endif
