/*
 * api_quote.c - available-to-promise for a new order (allot_quote_run,
 * docs/answers.md):
 *
 *   GET  /api/scenarios/{name}/quote?iso3=&system=&qty=[&loa=&need=
 *        &order_id=&policy=&switch=&max_per_month=&not_before=]   the quote,
 *        nothing stored
 *   POST /api/scenarios/{name}/quotes     {"iso3", "system", "qty", "loa",
 *        "need", "order_id", "policy", "switch", "max_per_month",
 *        "not_before"}: the same quote, and the
 *        order is added to the stored scenario (201); its runs are kept.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "server_int.h"

struct quote_args {
	const char *iso3, *system, *qty, *loa, *need, *order_id, *policy, *sw, *pace;
	const char *not_before;
	double qty_num;  /* from a JSON body */
	double pace_num; /* max_per_month from a JSON body; NAN: none given */
	int from_body;
};

/* A count of units, qty or max_per_month: from a query's text (the
 * scenario files' number grammar) or a JSON body's number (NAN: not
 * given).  Not given: 1 with *v untouched when optional, else an error.
 * Otherwise a whole number 1 .. ALLOT_QTY_MAX, or 400 with the message the
 * CLI writes for the same value (ALLOT_UNITS_EXPECTED). */
static int units_arg(const struct quote_args *a, const char *name, const char *text, double num,
		     int optional, int64_t *v, struct resp *out)
{
	char found[48];
	if (a->from_body) {
		if (isnan(num) && optional)
			return 1;
		allot_fmt_double(num, found);
	} else {
		if ((!text || !*text) && optional)
			return 1;
		snprintf(found, sizeof found, "%.40s", text ? text : "");
		if (!text || value_number(text, &num) != 0)
			num = NAN;
	}
	if (!allot_range_ok(ALLOT_RANGE_QTY, num)) { /* 1 .. ALLOT_QTY_MAX, whole */
		resp_error(out, 400, "%s: expected " ALLOT_UNITS_EXPECTED ", found '%s'", name,
			   found);
		return -1;
	}
	*v = (int64_t)num;
	return 0;
}

static int to_request(const struct quote_args *a, struct allot_quote_request *q, struct resp *out)
{
	allot_quote_request_init(q);
	if (!a->iso3 || !a->system) {
		resp_error(out, 400, "expected iso3 and system, found %s missing",
			   !a->iso3 ? "iso3" : "system");
		return -1;
	}
	q->iso3 = a->iso3;
	q->system_id = a->system;
	if (units_arg(a, "qty", a->qty, a->qty_num, 0, &q->qty, out) < 0)
		return -1;
	if (parse_month_arg(a->loa, &q->loa) || parse_month_arg(a->need, &q->need) ||
	    parse_month_arg(a->not_before, &q->not_before)) {
		resp_error(out, 400, "loa, need, not_before: expected months YYYY-MM");
		return -1;
	}
	if (a->order_id && *a->order_id)
		q->order_id = a->order_id;
	int64_t pace; /* none: q's 0 */
	int rc = units_arg(a, "max_per_month", a->pace, a->pace_num, 1, &pace, out);
	if (rc < 0)
		return -1;
	if (rc == 0)
		q->max_per_month = (int)pace;
	struct allot_plan_options po;
	if (a->policy && allot_policy_kind_parse(a->policy, &po.policy) != 0) {
		resp_error(out, 400, "policy: expected fcfs or priority, found '%.40s'", a->policy);
		return -1;
	}
	q->policy = a->policy ? po.policy : ALLOT_POLICY_PRIORITY;
	if (a->sw && strcmp(a->sw, "none") == 0)
		q->switch_month = ALLOT_SWITCH_NONE;
	else if (parse_month_arg(a->sw, &q->switch_month)) {
		resp_error(out, 400, "switch: expected YYYY-MM or none");
		return -1;
	}
	return 0;
}

/* Runs the quote and, with commit, stores the order.  Fills out. */
static void quote(struct req *r, const struct quote_args *a, struct page *pg, int commit,
		  struct resp *out)
{
	struct allot_quote_request qr;
	if (to_request(a, &qr, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct allot_quote *q = NULL;
	struct allot_store *st = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = allot_quote_run(s, &qr, &q, &d);
	if (rc != ALLOT_OK) {
		resp_status(out, rc == ALLOT_ENOTFOUND ? ALLOT_EINPUT : rc, &d, "cannot quote");
		goto done;
	}
	/* allot quote --json's object; a page of its impacts */
	json_t *j = allot_quote_json(s, &qr, q, commit);
	if (j) {
		page_array(json_object_get(j, "impacts"), pg);
		json_object_set_new(j, "page", j_page(pg));
	}
	if (commit && j) {
		if (req_store(r, &st, out) != ALLOT_OK) {
			json_decref(j);
			goto done;
		}
		pthread_mutex_lock(&r->srv->write_mu);
		rc = allot_store_add_order(st, r->param[0], s, &q->order, &d);
		pthread_mutex_unlock(&r->srv->write_mu);
		if (rc != ALLOT_OK) {
			json_decref(j);
			resp_status(out, rc, &d, "cannot store the order");
			goto done;
		}
		snprintf(out->location, sizeof out->location, "/api/scenarios/%.60s/orders/%.100s",
			 r->param[0], q->order_id);
	}
	resp_json(out, commit ? 201 : 200, j);
done:
	allot_diags_free(&d);
	allot_store_close(st);
	allot_quote_free(q);
	req_scenario_done(r, s);
}

void api_quote(struct req *r, struct resp *out)
{
	struct quote_args a = { req_query(r, "iso3"),
				req_query(r, "system"),
				req_query(r, "qty"),
				req_query(r, "loa"),
				req_query(r, "need"),
				req_query(r, "order_id"),
				req_query(r, "policy"),
				req_query(r, "switch"),
				req_query(r, "max_per_month"),
				req_query(r, "not_before"),
				0,
				NAN,
				0 };
	struct page pg;
	if (page_query(r, &pg, out) == 0)
		quote(r, &a, &pg, 0, out);
}

void api_quote_commit(struct req *r, struct resp *out)
{
	struct quote_args a = { .from_body = 1, .qty_num = NAN, .pace_num = NAN };
	json_t *b = r->body;
	if (body_string(b, "iso3", 1, &a.iso3, out) ||
	    body_string(b, "system", 1, &a.system, out) ||
	    body_number(b, "qty", 1, &a.qty_num, out) || body_string(b, "loa", 0, &a.loa, out) ||
	    body_string(b, "need", 0, &a.need, out) ||
	    body_string(b, "order_id", 0, &a.order_id, out) ||
	    body_string(b, "policy", 0, &a.policy, out) ||
	    body_string(b, "switch", 0, &a.sw, out) ||
	    body_number(b, "max_per_month", 0, &a.pace_num, out) ||
	    body_string(b, "not_before", 0, &a.not_before, out))
		return;
	struct page pg;
	if (page_body(b, &pg, out) == 0)
		quote(r, &a, &pg, 1, out);
}
