/*
 * requests.c - what a what-if does to the requests not yet offered
 * (docs/whatif.md, "Requests"): the catalog, its tier gates and EEUM act
 * on the path from Letter of Request to offer (lib/cases/estimate.c), not
 * on production, so allot whatif compares each request's estimate without
 * and with the changes.
 */
#include <allot/allot.h>

#include <jansson.h>
#include <string.h>

#include "util/mem.h"

/* A gate recorded where the strategy does not apply (fcfs, or a LOR
 * before the switch) acts on nothing, so it does not make a request move. */
static int same(const struct allot_case_estimate *a, const struct allot_case_estimate *b)
{
	return a->held == b->held && a->loa_month == b->loa_month &&
	       a->processing_days == b->processing_days && a->eeum_days == b->eeum_days &&
	       a->eeum_violation == b->eeum_violation &&
	       (a->min_tier == b->min_tier || (!a->strategy && !b->strategy));
}

int allot_whatif_requests(const struct allot_scenario *base, const struct allot_scenario *after,
			  enum allot_policy_kind kind, allot_month switch_month,
			  struct allot_whatif_requests *out)
{
	memset(out, 0, sizeof *out);
	if (after->n_requests != base->n_requests)
		return ALLOT_EINPUT;
	for (size_t r = 0; r < base->n_requests; r++) {
		struct allot_whatif_request w = { .request = r };
		allot_case_estimate(base, r, kind, switch_month, &w.est[0]);
		allot_case_estimate(after, r, kind, switch_month, &w.est[1]);
		if (same(&w.est[0], &w.est[1]))
			continue;
		struct allot_whatif_request *v = mem_reallocarray(out->v, out->n + 1, sizeof *v);
		if (!v) {
			allot_whatif_requests_free(out);
			return ALLOT_ENOMEM;
		}
		out->v = v;
		v[out->n++] = w;
		const struct allot_request *q = &base->requests[r];
		if (w.est[1].held && !w.est[0].held) {
			out->held++;
			out->usd_held += q->value_usd;
			out->units_held += q->qty;
		} else if (w.est[0].held && !w.est[1].held) {
			out->released++;
		} else if (!w.est[0].held && w.est[1].loa_month < w.est[0].loa_month) {
			out->sooner++;
			out->usd_sooner += q->value_usd;
			out->units_sooner += q->qty;
		} else if (!w.est[0].held && w.est[1].loa_month > w.est[0].loa_month) {
			out->later++;
		}
	}
	return ALLOT_OK;
}

void allot_whatif_requests_free(struct allot_whatif_requests *r)
{
	mem_free(r->v);
	memset(r, 0, sizeof *r);
}

/* The keys allot whatif --json and the API's what-if share (docs/whatif.md,
 * "Requests"; docs/api.md). */
json_t *allot_whatif_requests_json(const struct allot_scenario *s,
				   const struct allot_whatif_requests *q)
{
	json_t *o = json_object(), *arr = json_array();
	if (!o || !arr) {
		json_decref(o);
		json_decref(arr);
		return NULL;
	}
	json_object_set_new(o, "requests", json_integer((json_int_t)s->n_requests));
	json_object_set_new(o, "sooner", json_integer((json_int_t)q->sooner));
	json_object_set_new(o, "later", json_integer((json_int_t)q->later));
	json_object_set_new(o, "held", json_integer((json_int_t)q->held));
	json_object_set_new(o, "released", json_integer((json_int_t)q->released));
	json_object_set_new(o, "units_sooner", json_integer((json_int_t)q->units_sooner));
	json_object_set_new(o, "usd_sooner", json_real(q->usd_sooner));
	json_object_set_new(o, "units_held", json_integer((json_int_t)q->units_held));
	json_object_set_new(o, "usd_held", json_real(q->usd_held));
	for (size_t i = 0; i < q->n; i++) {
		const struct allot_whatif_request *w = &q->v[i];
		const struct allot_request *r = &s->requests[w->request];
		char lor[8], l[2][8], why[256];
		allot_month_format(r->lor_month, lor);
		allot_case_reason(s, &w->est[1], why, sizeof why);
		json_t *x = json_object(), *loa = json_array(), *held = json_array();
		for (int k = 0; k < 2; k++) {
			allot_month_format(w->est[k].loa_month, l[k]);
			json_array_append_new(loa,
					      w->est[k].held ? json_null() : json_string(l[k]));
			json_array_append_new(held, json_boolean(w->est[k].held));
		}
		json_object_set_new(x, "request_id", json_string(r->request_id));
		json_object_set_new(x, "iso3", json_string(s->partners[r->partner].iso3));
		json_object_set_new(x, "tier", json_integer(w->est[1].tier));
		json_object_set_new(x, "system_id", json_string(s->systems[r->system].system_id));
		json_object_set_new(x, "units", json_integer((json_int_t)r->qty));
		json_object_set_new(x, "value_usd", json_real(r->value_usd));
		json_object_set_new(x, "lor_month", json_string(lor));
		json_object_set_new(x, "loa_month", loa);
		json_object_set_new(x, "held", held);
		json_object_set_new(x, "why", json_string(why));
		json_array_append_new(arr, x);
	}
	json_object_set_new(o, "moved", arr);
	return o;
}
