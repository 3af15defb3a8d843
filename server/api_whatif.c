/*
 * api_whatif.c - POST /api/scenarios/{name}/whatif: the plan with and
 * without a set of changes, side by side, computed in memory (the store is
 * not touched).
 *
 * The body is a scenario edit (edits.c: weights, events, investments,
 * embargoes), "changes": ["--cap TWN:5bn@2026-02", ...] in the one change
 * grammar of docs/whatif.md (parsed and applied by the library, exactly as
 * allot whatif does), plus "policy" and "switch".  The answer is allot
 * whatif --json's object (allot_whatif_json, docs/whatif.md, "The JSON
 * answer"), with the API's own keys beside it: "edits" (the edit rows
 * applied), "horizon_end", both plans' summaries, every partner whose
 * outcome moved and every order whose result changed (docs/api.md).  An
 * order a budget cap cuts more (or less) under the changes is its own
 * outcome, "cut" ("restored"), with no month shift; shifts count the
 * orders with units open at as_of and the same units cancelled in both
 * plans (as allot compare does); a completion missing in the horizon
 * counts as the horizon's end.
 *
 * The plan without changes is planned once per scenario and options and
 * kept in the scenario cache with its checkpoints; the plan with them
 * resumes from the checkpoint before the first month they touch
 * (allot_plan_resume: the same plan as a full re-plan, docs/planner.md);
 * allot_compare_plans takes the figures of allot whatif from the two.
 */
#include <math.h>
#include <string.h>

#include "mem.h"
#include "server_int.h"

struct partner_diff {
	size_t orders, earlier, later, cut, restored;
	int64_t in_h[2], cancelled[2], blocked[2];
	struct allot_usd in_h_usd[2], cancelled_usd[2]; /* unknown unit costs apart */
	long shift;                                     /* sum of completion shifts, months */
};

#define MAX_CHANGES 64

static allot_month done_month(const struct allot_plan *p, size_t i)
{
	allot_month c = p->orders[i].completion;
	return c == ALLOT_NO_MONTH ? p->scenario->as_of + p->scenario->horizon_months : c;
}

static int changed(const struct allot_order_result *a, const struct allot_order_result *b)
{
	return a->completion != b->completion || a->first_delivery != b->first_delivery ||
	       a->short_units != b->short_units || a->cancelled != b->cancelled ||
	       a->blocked != b->blocked || a->produced != b->produced;
}

static json_t *j_side(const struct allot_order_result *r)
{
	return json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "first_delivery",
			 jmonth(r->first_delivery), "completion", jmonth(r->completion),
			 "delivered_in_horizon", (json_int_t)r->delivered_in_h, "units_short",
			 (json_int_t)r->short_units, "cancelled", (json_int_t)r->cancelled,
			 "blocked", (json_int_t)r->blocked);
}

static json_t *j_orders(const struct allot_plan *p[2], struct partner_diff *pd, struct page *pg)
{
	const struct allot_scenario *s = p[0]->scenario;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < s->n_orders; i++) {
		const struct allot_order_result *a = &p[0]->orders[i], *b = &p[1]->orders[i];
		struct partner_diff *d = &pd[s->orders[i].partner];
		double cost = s->systems[s->orders[i].system].unit_cost_usd;
		int64_t open = s->orders[i].qty - s->orders[i].delivered;
		int cut = open > 0 && b->cancelled > a->cancelled;
		int restored = open > 0 && b->cancelled < a->cancelled;
		int counted = open > 0 && a->cancelled == b->cancelled && a->cancelled < open;
		int delta = done_month(p[1], i) - done_month(p[0], i);
		if (counted) {
			d->orders++;
			d->earlier += delta < 0;
			d->later += delta > 0;
			d->shift += delta;
		}
		d->cut += cut;
		d->restored += restored;
		d->in_h[0] += a->delivered_in_h;
		d->in_h[1] += b->delivered_in_h;
		allot_usd_add(&d->in_h_usd[0], a->delivered_in_h, cost, 1);
		allot_usd_add(&d->in_h_usd[1], b->delivered_in_h, cost, 1);
		d->cancelled[0] += a->cancelled;
		d->cancelled[1] += b->cancelled;
		allot_usd_add(&d->cancelled_usd[0], a->cancelled, cost, 1);
		allot_usd_add(&d->cancelled_usd[1], b->cancelled, cost, 1);
		d->blocked[0] += a->blocked;
		d->blocked[1] += b->blocked;
		if (!changed(a, b) || !page_take(pg))
			continue;
		json_t *j = allot_order_input_json(s, i);
		if (!j)
			continue;
		json_object_set_new(j, "before", j_side(a));
		json_object_set_new(j, "after", j_side(b));
		json_object_set_new(j, "delta_months", counted ? json_integer(delta) : json_null());
		json_object_set_new(j, "outcome",
				    json_string(cut         ? "cut"
						: restored  ? "restored"
						: !counted  ? "none"
						: delta < 0 ? "earlier"
						: delta > 0 ? "later"
							    : "same"));
		/* null when the unit cost is unknown (jnum), never 0 */
		json_object_set_new(
			j, "cancelled_usd",
			json_pack("[o, o]", jnum(a->cancelled ? (double)a->cancelled * cost : 0),
				  jnum(b->cancelled ? (double)b->cancelled * cost : 0)));
		json_array_append_new(arr, j);
	}
	return arr;
}

/* key: [before, after] known sums (null: nothing known); key_unknown_cost_
 * orders/units: [before, after] what they leave out (allot_usd). */
static void usd_pair(json_t *row, const char *key, const struct allot_usd u[2])
{
	char k[64];
	json_object_set_new(row, key,
			    json_pack("[o, o]",
				      jnum(allot_usd_all_unknown(&u[0]) ? NAN : u[0].known),
				      jnum(allot_usd_all_unknown(&u[1]) ? NAN : u[1].known)));
	snprintf(k, sizeof k, "%s_unknown_cost_orders", key);
	json_object_set_new(row, k,
			    json_pack("[I, I]", (json_int_t)u[0].unknown_orders,
				      (json_int_t)u[1].unknown_orders));
	snprintf(k, sizeof k, "%s_unknown_cost_units", key);
	json_object_set_new(row, k,
			    json_pack("[I, I]", (json_int_t)u[0].unknown_units,
				      (json_int_t)u[1].unknown_units));
}

static json_t *j_partners(const struct allot_plan *p[2], const struct partner_diff *pd, int all)
{
	const struct allot_scenario *s = p[0]->scenario;
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < s->n_partners; i++) {
		const struct partner_diff *d = &pd[i];
		const struct allot_score *a = &p[0]->score0[i], *b = &p[1]->score0[i];
		int moved = d->earlier || d->later || d->cut || d->restored ||
			    d->in_h[0] != d->in_h[1] || d->cancelled[0] != d->cancelled[1] ||
			    d->blocked[0] != d->blocked[1] || a->score != b->score ||
			    a->tier != b->tier;
		if (!moved && !all)
			continue;
		json_t *row = json_pack(
			"{s:s, s:o, s:[i,i], s:[o,o], s:I, s:I, s:I, s:o, s:[I,I], s:[I,I], s:[I,I]}",
			"iso3", s->partners[i].iso3, "name", jstr(s->partners[i].name), "tier",
			a->tier, b->tier, "score", jnum(a->score), jnum(b->score), "orders",
			(json_int_t)d->orders, "earlier", (json_int_t)d->earlier, "later",
			(json_int_t)d->later, "mean_shift_months",
			jnum(d->orders ? (double)d->shift / (double)d->orders : 0),
			"delivered_in_horizon", (json_int_t)d->in_h[0], (json_int_t)d->in_h[1],
			"cancelled", (json_int_t)d->cancelled[0], (json_int_t)d->cancelled[1],
			"blocked", (json_int_t)d->blocked[0], (json_int_t)d->blocked[1]);
		if (!row)
			continue;
		json_object_set_new(row, "cut_orders", json_integer((json_int_t)d->cut));
		json_object_set_new(row, "restored_orders", json_integer((json_int_t)d->restored));
		usd_pair(row, "delivered_in_horizon_usd", d->in_h_usd);
		usd_pair(row, "cancelled_usd", d->cancelled_usd);
		json_array_append_new(arr, row);
	}
	return arr;
}

/* "changes": the one grammar, parsed and applied by the library on top of
 * the edit (the same calls as allot whatif).  0, or a 400 answer and -1. */
static int apply_changes(json_t *body, const struct allot_scenario *s, struct allot_change *ch,
			 struct allot_scenario **x, size_t *n, struct resp *out)
{
	json_t *a = json_object_get(body, "changes"), *v;
	size_t i, bad;
	struct allot_change_error err;
	*x = NULL;
	*n = 0;
	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > MAX_CHANGES) {
		resp_error(out, 400,
			   "changes: expected an array of at most %d strings such as "
			   "\"--cap TWN:5bn@2026-02\" (docs/whatif.md)",
			   MAX_CHANGES);
		return -1;
	}
	json_array_foreach(a, i, v)
	{
		const char *text = json_string_value(v);
		if (!text || strlen(text) != json_string_length(v)) {
			resp_error(out, 400,
				   "changes[%zu]: expected a string such as "
				   "\"--cap TWN:5bn@2026-02\"",
				   i);
			return -1;
		}
		if (allot_change_parse_line(text, &ch[i], &err) != ALLOT_OK) {
			resp_error(out, 400, "changes[%zu]: %s: column %d: %s", i, text, err.col,
				   err.msg);
			return -1;
		}
	}
	*n = json_array_size(a);
	if (allot_changes_apply(s, ch, *n, NULL, x, &bad, &err) != ALLOT_OK) {
		char msg[700];
		allot_change_error_format(ch[bad].kind, ch[bad].text, &err, msg, sizeof msg);
		resp_error(out, 400, "changes[%zu]: %s", bad, msg);
		return -1;
	}
	return 0;
}

void api_whatif(struct req *r, struct resp *out)
{
	struct allot_plan_options o;
	struct page pg;
	if (plan_opts_json(r->body, &o, out) != 0 || page_body(r->body, &pg, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct edit e;
	struct allot_compare *c = NULL;
	struct allot_plan *p[2] = { NULL, NULL };
	const struct allot_plan *base = NULL;
	const struct allot_plan_checkpoints *cp = NULL;
	int from = 0;
	struct partner_diff *pd = NULL;
	struct allot_scenario *x = NULL;
	struct allot_whatif_requests rq = { 0 };
	struct allot_change ch[MAX_CHANGES];
	size_t nch = 0;
	if (edit_apply(s, r->body, &e, out) != 0)
		goto done;
	if (apply_changes(r->body, &e.s, ch, &x, &nch, out) != 0)
		goto done;
	int rc = cache_base_plan(&r->srv->cache, s, &o, &base, &cp);
	if (rc == ALLOT_ENOTFOUND && (rc = allot_plan_run(s, &o, &p[0])) == ALLOT_OK)
		base = p[0];
	if (rc == ALLOT_OK)
		rc = cp ? allot_plan_resume(cp, x ? x : &e.s, &o, &p[1], &from)
			: allot_plan_run(x ? x : &e.s, &o, &p[1]);
	/* allot whatif's figures from these two plans (it plans both itself) */
	if (rc == ALLOT_OK)
		rc = allot_compare_plans(base, p[1], 0, &c);
	if (rc == ALLOT_OK)
		rc = allot_whatif_requests(s, x ? x : &e.s, c->policy[1], c->switch_month, &rq);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, NULL, "cannot plan the scenario");
		goto done;
	}
	if (!(pd = mem_calloc(s->n_partners + 1, sizeof *pd))) {
		resp_json(out, 500, NULL);
		goto done;
	}
	/* allot whatif --json's object, and the API's own keys beside it */
	json_t *j = allot_whatif_json(s, ch, nch, c, &rq, NULL, NULL);
	const struct allot_plan *pp[2] = { c->plan[0], c->plan[1] };
	json_t *orders = j_orders(pp, pd, &pg);
	json_t *all = json_object_get(r->body, "all_partners");
	json_t *partners = j_partners(pp, pd, json_is_true(all));
	if (j) {
		json_object_set_new(j, "edits", json_integer((json_int_t)e.added));
		json_object_set_new(j, "horizon_end", jmonth(s->as_of + s->horizon_months));
		json_object_set_new(j, "before", j_plan_summary(c->plan[0]));
		json_object_set_new(j, "after", j_plan_summary(c->plan[1]));
		json_object_set_new(j, "partners", partners);
		json_object_set_new(j, "page", j_page(&pg));
		json_object_set_new(j, "orders", orders);
	} else {
		json_decref(orders);
		json_decref(partners);
	}
	resp_json(out, j ? 200 : 500, j);
done:
	allot_whatif_requests_free(&rq);
	mem_free(pd);
	allot_compare_free(c); /* before the plans it borrows */
	allot_plan_free(p[0]);
	allot_plan_free(p[1]);
	allot_changed_free(x);
	edit_free(&e);
	req_scenario_done(r, s);
}
