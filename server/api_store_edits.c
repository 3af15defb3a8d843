/*
 * api_store_edits.c - changes that are stored (POST, token required):
 *
 *   POST /api/scenarios/{name}/events   {"events": [...], "investments":
 *        [...], "embargoes": [...], "as": "new-name"}
 *   POST /api/scenarios/{name}/policy   {"weights": {...}, "as": "new-name"}
 *
 * The rows are checked like the files (edits.c) and the edited scenario is
 * stored in one transaction: under the same name (the store then drops the
 * scenario's plan runs, whose inputs no longer exist: docs/store.md) or,
 * with "as", under a new name (409 when that name is taken).
 */
#include <stdio.h>
#include <string.h>

#include "server_int.h"

/* Refuses keys other than `allowed` (so a typo is not silently ignored). */
static int only_keys(json_t *body, const char *const *allowed, struct resp *out)
{
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v)
	{
		size_t i = 0;
		while (allowed[i] && strcmp(allowed[i], key) != 0)
			i++;
		if (!allowed[i]) {
			resp_error(out, 400, "unexpected key '%.40s' in the body", key);
			return -1;
		}
	}
	(void)v;
	return 0;
}

static void store_edit(struct req *r, struct resp *out)
{
	const char *as = NULL;
	if (body_string(r->body, "as", 0, &as, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct edit e;
	struct allot_store *st = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	if (edit_apply(s, r->body, &e, out) != 0)
		goto done;
	if (e.added == 0) {
		resp_error(out, 400, "expected at least one change, found none");
		goto done;
	}
	if (req_store(r, &st, out) != ALLOT_OK)
		goto done;
	const char *name = as ? as : r->param[0];
	size_t runs = 0;
	int taken = 0, rc;
	pthread_mutex_lock(&r->srv->write_mu);
	if (as && strcmp(as, r->param[0]) != 0) {
		/* A new name: taken or not is decided inside the write
		 * transaction, so an import by another process cannot be
		 * overwritten between a check and the write. */
		rc = allot_store_add_scenario(st, name, &e.s, &taken, &d);
	} else {
		struct allot_run_info *v = NULL;
		rc = allot_store_list_runs(st, name, &v, &runs, &d);
		allot_run_infos_free(v, runs);
		if (rc == ALLOT_OK)
			rc = allot_store_put_scenario(st, name, &e.s, &d);
	}
	pthread_mutex_unlock(&r->srv->write_mu);
	if (taken)
		resp_error(out, 409, "scenario '%.128s' exists already", as);
	else if (rc != ALLOT_OK)
		resp_status(out, rc, &d, "cannot store the scenario");
	else
		resp_json(out, 201,
			  json_pack("{s:s, s:I, s:I, s:I, s:I}", "scenario", name, "changes",
				    (json_int_t)e.added, "events", (json_int_t)e.s.n_events,
				    "orders", (json_int_t)e.s.n_orders, "runs_dropped",
				    (json_int_t)runs));
	if (out->status == 201)
		snprintf(out->location, sizeof out->location, "/api/scenarios/%.40s", name);
done:
	allot_diags_free(&d);
	allot_store_close(st);
	edit_free(&e);
	req_scenario_done(r, s);
}

void api_events_add(struct req *r, struct resp *out)
{
	static const char *const keys[] = { "events", "investments", "embargoes", "as", NULL };
	if (only_keys(r->body, keys, out) == 0)
		store_edit(r, out);
}

void api_policy_set(struct req *r, struct resp *out)
{
	static const char *const keys[] = { "weights", "as", NULL };
	if (only_keys(r->body, keys, out) != 0)
		return;
	if (!json_object_get(r->body, "weights"))
		return resp_error(out, 400, "weights: expected an object of criterion: weight");
	store_edit(r, out);
}
