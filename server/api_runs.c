/*
 * api_runs.c - stored plan runs.
 *
 *   GET  /api/scenarios/{name}/runs       the scenario's runs, newest first
 *   POST /api/scenarios/{name}/runs       {"policy": "priority", "switch":
 *        "2026-02"}: plans the scenario and stores the run (201, Location
 *        /api/runs/ID) with its summary
 *   GET  /api/runs/{id}[?allocations=1]   one run: header, order results
 *        and, on request, every allocation
 *   GET  /api/diff?a=ID&b=ID              schedule stability between two
 *        stored runs (allot_diff_run, `allot diff`)
 *
 * A run is planned outside any lock (reads go on meanwhile); only storing
 * it takes the server's write mutex.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "value.h"
#include "server_int.h"

static json_t *j_run_info(const struct allot_run_info *ri)
{
	char loc[48];
	snprintf(loc, sizeof loc, "/api/runs/%lld", (long long)ri->id);
	return json_pack("{s:I, s:s, s:o, s:s, s:o, s:s, s:s, s:I, s:I, s:I, s:o}", "id",
			 (json_int_t)ri->id, "url", loc, "scenario", jstr(ri->scenario), "policy",
			 allot_policy_kind_name(ri->policy), "switch_month",
			 allot_switch_month_json(ri->switch_month), "inputs_hash", ri->inputs_hash,
			 "created_at", ri->created_at, "n_orders", (json_int_t)ri->n_orders,
			 "n_allocations", (json_int_t)ri->n_allocations, "units_produced",
			 (json_int_t)ri->units_produced, "label",
			 ri->label ? jstr(ri->label) : json_null());
}

void api_runs_list(struct req *r, struct resp *out)
{
	struct page pg;
	if (page_query(r, &pg, out) != 0)
		return;
	struct allot_store *st;
	if (req_store(r, &st, out) != ALLOT_OK)
		return;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_run_info *v = NULL;
	size_t n = 0;
	int rc = allot_store_list_runs(st, r->param[0], &v, &n, &d);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, &d, rc == ALLOT_ENOTFOUND ? "no such scenario" : "store");
	} else {
		json_t *arr = json_array();
		for (size_t i = 0; arr && i < n; i++)
			if (page_take(&pg))
				json_array_append_new(arr, j_run_info(&v[i]));
		resp_json(out, 200,
			  json_pack("{s:s, s:o, s:o}", "scenario", r->param[0], "page", j_page(&pg),
				    "runs", arr));
	}
	allot_run_infos_free(v, n);
	allot_diags_free(&d);
	allot_store_close(st);
}

/* The run's header, a page of its orders and those orders' allocations. */
static json_t *j_run(const struct allot_run *run, struct page *pg)
{
	json_t *orders = json_array(), *allocs = json_array();
	for (size_t i = 0; orders && i < run->n_orders; i++) {
		const struct allot_run_order *o = &run->orders[i];
		if (!page_take(pg))
			continue;
		json_array_append_new(
			orders,
			json_pack("{s:o, s:i, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o}", "order_id",
				  jstr(o->order_id), "tier", o->tier0, "produced",
				  (json_int_t)o->produced, "delivered_in_horizon",
				  (json_int_t)o->delivered_in_h, "units_short",
				  (json_int_t)o->units_short, "cancelled", (json_int_t)o->cancelled,
				  "blocked", (json_int_t)o->blocked, "first_delivery",
				  jmonth(o->first_delivery), "completion", jmonth(o->completion),
				  "months_late",
				  o->months_late < 0 ? json_null() : json_integer(o->months_late)));
	}
	for (size_t i = 0; allocs && i < run->n_allocs; i++) {
		const struct allot_run_alloc *a = &run->allocs[i];
		if ((int64_t)a->order < pg->offset || (int64_t)a->order - pg->offset >= pg->limit)
			continue;
		json_array_append_new(allocs,
				      json_pack("{s:o, s:o, s:I, s:o}", "order_id",
						jstr(run->orders[a->order].order_id), "month",
						jmonth(a->month), "units", (json_int_t)a->units,
						"delivery_month", jmonth(a->delivery_month)));
	}
	json_t *j = j_run_info(&run->info);
	if (!j || !orders || !allocs) {
		json_decref(j);
		json_decref(orders);
		json_decref(allocs);
		return NULL;
	}
	json_object_set_new(j, "page", j_page(pg));
	json_object_set_new(j, "orders", orders);
	if (run->allocs)
		json_object_set_new(j, "allocations", allocs);
	else
		json_decref(allocs);
	return j;
}

void api_run_get(struct req *r, struct resp *out)
{
	int64_t id;
	if (value_int(r->param[0], &id) != 0 || id <= 0)
		return resp_error(out, 404, "expected a run id (a positive integer), found '%s'",
				  r->param[0]);
	const char *a = req_query(r, "allocations");
	struct page pg;
	if (page_query(r, &pg, out) != 0)
		return;
	struct allot_store *st;
	if (req_store(r, &st, out) != ALLOT_OK)
		return;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_run *run = NULL;
	int rc = allot_store_get_run(st, id, a && *a && *a != '0', &run, &d);
	if (rc != ALLOT_OK)
		resp_status(out, rc, &d, rc == ALLOT_ENOTFOUND ? "no such run" : "store");
	else
		resp_json(out, 200, j_run(run, &pg));
	allot_run_free(run);
	allot_diags_free(&d);
	allot_store_close(st);
}

void api_run_start(struct req *r, struct resp *out)
{
	struct allot_plan_options o;
	if (plan_opts_json(r->body, &o, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct allot_plan *p = NULL;
	struct allot_store *st = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = allot_plan_run(s, &o, &p);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot plan the scenario");
		goto done;
	}
	if (req_store(r, &st, out) != ALLOT_OK)
		goto done;
	int64_t id = 0;
	pthread_mutex_lock(&r->srv->write_mu);
	rc = allot_store_put_plan(st, r->param[0], p, &id, &d);
	pthread_mutex_unlock(&r->srv->write_mu);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, &d, "cannot store the run");
		goto done;
	}
	struct allot_run *run = NULL;
	rc = allot_store_get_run(st, id, 0, &run, &d);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, &d, "cannot read the stored run back");
		goto done;
	}
	json_t *j = j_run_info(&run->info);
	allot_run_free(run);
	if (j)
		json_object_set_new(j, "summary", j_plan_summary(p));
	resp_json(out, 201, j);
	snprintf(out->location, sizeof out->location, "/api/runs/%lld", (long long)id);
done:
	allot_diags_free(&d);
	allot_store_close(st);
	allot_plan_free(p);
	req_scenario_done(r, s);
}

static int run_id(const char *t, int64_t *id)
{
	int64_t v;
	if (!t || value_int(t, &v) != 0 || v <= 0)
		return -1;
	*id = v;
	return 0;
}

static json_t *j_diff(const struct allot_run_orders *ra, const struct allot_run_orders *rb,
		      const struct allot_diff *df, struct page *pg)
{
	json_t *rows = json_array();
	for (size_t i = 0; rows && i < df->n_rows; i++)
		if (page_take(pg))
			json_array_append_new(rows, allot_diff_row_json(&df->rows[i]));
	json_t *j = allot_diff_json(ra->label, rb->label, df, rows);
	if (j)
		json_object_set_new(j, "page", j_page(pg));
	return j;
}

void api_diff(struct req *r, struct resp *out)
{
	int64_t a, b;
	if (run_id(req_query(r, "a"), &a) || run_id(req_query(r, "b"), &b))
		return resp_error(out, 400, "a, b: expected two run ids (?a=1&b=2)");
	struct page pg;
	if (page_query(r, &pg, out) != 0)
		return;
	struct allot_store *st;
	if (req_store(r, &st, out) != ALLOT_OK)
		return;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_run_orders *ra = NULL, *rb = NULL;
	struct allot_diff *df = NULL;
	int rc = allot_store_get_run_orders(st, a, &ra, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_get_run_orders(st, b, &rb, &d);
	if (rc == ALLOT_OK)
		rc = allot_diff_run(ra, rb, &df);
	if (rc != ALLOT_OK)
		resp_status(out, rc, &d,
			    rc == ALLOT_ENOTFOUND ? "no such run" : "cannot compare runs");
	else
		resp_json(out, 200, j_diff(ra, rb, df, &pg));
	allot_diff_free(df);
	allot_run_orders_free(ra);
	allot_run_orders_free(rb);
	allot_diags_free(&d);
	allot_store_close(st);
}
