/*
 * pipeline.c - allot_pipeline_run: every request estimated, turned into an
 * order at its LOA month and planned with the signed orders, under both
 * planning policies; totals by tier of the months from LOR to first
 * delivery; every third-party transfer decided under both regimes.
 *
 * For each policy k the scenario is copied shallowly (planned[k]: the same
 * partners, systems, lines ... borrowed from the caller's scenario) with an
 * orders array of its own: the scenario's orders, then one order per
 * request not held (order id = request id, qty, no delivery, LOA month the
 * estimate's, no need month, no rank).  The planner borrows planned[k], so
 * the pipeline keeps it until it is freed.  Only the orders array is owned.
 */
#include <allot/allot.h>

#include <string.h>

#include "util/mem.h"

static int plan_side(struct allot_pipeline *pl, const struct allot_scenario *s,
		     enum allot_policy_kind k)
{
	struct allot_scenario *c = &pl->planned[k];
	struct allot_pipeline_row *rows = pl->rows[k];
	*c = *s;
	c->orders = mem_calloc(s->n_orders + s->n_requests + 1, sizeof *c->orders);
	if (!c->orders)
		return ALLOT_ENOMEM;
	if (s->n_orders)
		memcpy(c->orders, s->orders, s->n_orders * sizeof *c->orders);
	c->n_orders = s->n_orders;
	for (size_t r = 0; r < s->n_requests; r++) {
		const struct allot_request *q = &s->requests[r];
		allot_case_estimate(s, r, k, pl->switch_month, &rows[r].est);
		rows[r].order = -1;
		if (rows[r].est.held)
			continue;
		struct allot_order *o = &c->orders[c->n_orders];
		o->order_id = q->request_id; /* borrowed */
		o->partner = q->partner;
		o->system = q->system;
		o->qty = q->qty;
		o->delivered = 0;
		o->loa_month = rows[r].est.loa_month;
		o->need_month = ALLOT_NO_MONTH;
		o->not_before = ALLOT_NO_MONTH;
		o->partner_rank = -1;
		rows[r].order = (int32_t)c->n_orders++;
	}
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = k;
	o.switch_month = pl->switch_month;
	int rc = allot_plan_run(c, &o, &pl->plan[k]);
	if (rc)
		return rc;
	allot_month end = s->as_of + s->horizon_months;
	for (size_t r = 0; r < s->n_requests; r++) {
		struct allot_pipeline_row *w = &rows[r];
		w->first_delivery = w->last_delivery = ALLOT_NO_MONTH;
		w->months = -1;
		if (w->order < 0)
			continue;
		const struct allot_order_result *res = &pl->plan[k]->orders[w->order];
		w->first_delivery = res->first_delivery;
		w->last_delivery = res->completion;
		w->delivered = res->delivered_in_h;
		w->blocked = res->blocked;
		allot_month lor = s->requests[r].lor_month;
		w->censored = w->first_delivery == ALLOT_NO_MONTH;
		w->months = (int)((w->censored ? end : w->first_delivery) - lor);
	}
	return ALLOT_OK;
}

static int tier_totals(struct allot_pipeline *pl, const struct allot_scenario *s)
{
	pl->n_tiers = s->policy.n_tier_thresholds + 1;
	pl->tiers = mem_calloc(pl->n_tiers, sizeof *pl->tiers);
	if (!pl->tiers)
		return ALLOT_ENOMEM;
	for (size_t t = 0; t < pl->n_tiers; t++)
		pl->tiers[t].tier = (int)t + 1;
	for (size_t r = 0; r < s->n_requests; r++) {
		int tier = pl->rows[0][r].est.tier;
		if (tier < 1 || (size_t)tier > pl->n_tiers)
			continue;
		struct allot_pipeline_tier *g = &pl->tiers[tier - 1];
		g->requests++;
		for (int k = 0; k < 2; k++) {
			const struct allot_pipeline_row *w = &pl->rows[k][r];
			if (w->order < 0) {
				g->held[k]++;
				continue;
			}
			g->counted[k]++;
			g->censored[k] += (size_t)w->censored;
			g->mean_months[k] += w->months;
		}
	}
	for (size_t t = 0; t < pl->n_tiers; t++)
		for (int k = 0; k < 2; k++)
			if (pl->tiers[t].counted[k])
				pl->tiers[t].mean_months[k] /= (double)pl->tiers[t].counted[k];
	return ALLOT_OK;
}

int allot_pipeline_run(const struct allot_scenario *s, allot_month switch_month,
		       struct allot_pipeline **out)
{
	struct allot_pipeline *pl = mem_calloc(1, sizeof *pl);
	if (!pl)
		return ALLOT_ENOMEM;
	pl->scenario = s;
	pl->switch_month = switch_month != ALLOT_NO_MONTH ? switch_month : s->switch_month;
	int rc = ALLOT_OK;
	for (int k = 0; k < 2 && rc == ALLOT_OK; k++) {
		pl->rows[k] = mem_calloc(s->n_requests + 1, sizeof *pl->rows[k]);
		pl->transfers[k] = mem_calloc(s->n_transfers + 1, sizeof *pl->transfers[k]);
		if (!pl->rows[k] || !pl->transfers[k])
			rc = ALLOT_ENOMEM;
	}
	for (int k = 0; k < 2 && rc == ALLOT_OK; k++)
		rc = plan_side(pl, s, (enum allot_policy_kind)k);
	if (rc == ALLOT_OK)
		rc = tier_totals(pl, s);
	for (int k = 0; k < 2 && rc == ALLOT_OK; k++)
		for (size_t t = 0; t < s->n_transfers; t++)
			allot_transfer_decide(s, t, k, &pl->transfers[k][t]);
	if (rc) {
		allot_pipeline_free(pl);
		return rc;
	}
	*out = pl;
	return ALLOT_OK;
}

void allot_pipeline_free(struct allot_pipeline *p)
{
	if (!p)
		return;
	for (int k = 0; k < 2; k++) {
		allot_plan_free(p->plan[k]);
		mem_free(p->planned[k].orders); /* the ids are borrowed */
		mem_free(p->rows[k]);
		mem_free(p->transfers[k]);
	}
	mem_free(p->tiers);
	mem_free(p);
}
