/*
 * requests.c - what a what-if does to the requests not yet offered
 * (docs/whatif.md, "Requests"): the catalog, its tier gates and EEUM act
 * on the path from Letter of Request to offer (lib/cases/estimate.c), not
 * on production, so allot whatif compares each request's estimate without
 * and with the changes.
 */
#include <allot/allot.h>

#include <string.h>

#include "util/mem.h"

static int same(const struct allot_case_estimate *a, const struct allot_case_estimate *b)
{
	return a->held == b->held && a->loa_month == b->loa_month &&
	       a->processing_days == b->processing_days && a->eeum_days == b->eeum_days &&
	       a->eeum_violation == b->eeum_violation && a->min_tier == b->min_tier;
}

int allot_whatif_requests(const struct allot_scenario *base,
			  const struct allot_scenario *after, enum allot_policy_kind kind,
			  allot_month switch_month, struct allot_whatif_requests *out)
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
