/*
 * deliveries.c - one partner's deliveries month by month under a plan:
 * the story users come for ("what does Poland get, and when, under each
 * rule?").  The report's and the dashboard's partner chart draw from it.
 *
 * Units arrive lead_months after the month they are produced; units that
 * would arrive after the horizon's last month are not plotted but counted
 * apart (after_horizon), so no chart runs past the horizon.
 */
#include <allot/allot.h>

#include <string.h>

int allot_partner_deliveries(const struct allot_plan *p, int partner, int64_t *by_month,
			     int64_t *after_horizon)
{
	const struct allot_scenario *s = p->scenario;
	if (partner < 0 || (size_t)partner >= s->n_partners)
		return ALLOT_EINPUT;
	int H = s->horizon_months;
	memset(by_month, 0, (size_t)H * sizeof *by_month);
	*after_horizon = 0;
	for (size_t k = 0; k < p->n_allocs; k++) {
		const struct allot_alloc *a = &p->allocs[k];
		const struct allot_order *o = &s->orders[a->order];
		if (o->partner != partner)
			continue;
		int m = a->month + s->systems[o->system].lead_months;
		if (m < H)
			by_month[m] += a->units;
		else
			*after_horizon += a->units;
	}
	return ALLOT_OK;
}
