/*
 * estimate.c - one request's path from Letter of Request to offer, and one
 * third-party transfer's consent decision (docs/case-process.md).
 *
 * A request's LOA month is its LOR month plus, in calendar days:
 *   processing   processing_days of its case category, cut by
 *                catalog_shortening for a catalog system and by
 *                tier_shortening[tier] (both only where the strategy's
 *                rules apply: the priority policy, LOR on or after the
 *                switch month);
 *   acceptance   acceptance_days;
 *   notification the formal (and advance) review of its 36(b) group when
 *                the case value reaches a threshold;
 *   EEUM review  eeum.delinquent_review_days for an EEUM system when the
 *                partner is delinquent in the LOR month;
 * (the catalog and EEUM flags and the min_tier gate are those in force in
 * the LOR month: systems.csv and policy.json, then catalog, eeum and
 * min_tier events)
 * turned into months by allot_case_days_to_months.  Under the strategy, a
 * request from a partner below the system's min_tier gate is held.
 *
 * Everything here is a pure function of the scenario: no allocation.
 */
#include <allot/allot.h>

#include <stdio.h>
#include <math.h>
#include <string.h>

/* The strategy's rules apply to a LOR in month m. */
static int strategy_applies(const struct allot_scenario *s, enum allot_policy_kind kind,
			    allot_month sw, allot_month m)
{
	if (kind != ALLOT_POLICY_PRIORITY)
		return 0;
	if (sw == ALLOT_NO_MONTH)
		sw = s->switch_month;
	return sw == ALLOT_NO_MONTH || m >= sw;
}

/* Which 36(b) threshold a case of `value` crosses (-1 none) and the
 * threshold that applied. */
static int crossed(const struct allot_case_policy *c, enum allot_notify_group g, int category,
		   int mde, double value, double *threshold, int *kind)
{
	const double *t = c->threshold_usd[g];
	if (category == ALLOT_CAT_DC)
		*kind = ALLOT_NOTIFY_CONSTRUCTION;
	else if (mde && (value >= t[ALLOT_NOTIFY_MDE] || value < t[ALLOT_NOTIFY_ARTICLES]))
		*kind = ALLOT_NOTIFY_MDE;
	else
		*kind = ALLOT_NOTIFY_ARTICLES;
	*threshold = t[*kind];
	return value >= *threshold ? *kind : -1;
}

static int tier_at_as_of(const struct allot_scenario *s, int partner)
{
	struct allot_score sc;
	const struct allot_partner *p = &s->partners[partner];
	allot_score_partner(&s->policy, p, p->invest_in_us_usd, p->eum_status, &sc);
	return sc.tier;
}

void allot_case_estimate(const struct allot_scenario *s, size_t r, enum allot_policy_kind kind,
			 allot_month switch_month, struct allot_case_estimate *out)
{
	struct allot_case_policy c;
	allot_case_policy_of(&s->policy, &c);
	const struct allot_request *q = &s->requests[r];
	const struct allot_partner *p = &s->partners[q->partner];
	const struct allot_system *y = &s->systems[q->system];
	memset(out, 0, sizeof *out);
	out->category = q->category >= 0 ? q->category : c.default_category;
	out->tier = tier_at_as_of(s, q->partner);
	out->group = allot_case_group(&c, p->iso3, p->alliance);
	out->strategy = strategy_applies(s, kind, switch_month, q->lor_month);

	out->base_days = c.processing_days[out->category];
	double days = out->base_days;
	if (out->strategy) {
		if (allot_system_flag_at(s, q->system, ALLOT_EV_CATALOG, q->lor_month))
			days *= 1 - c.catalog_shortening;
		if (out->tier >= 1 && (size_t)out->tier <= c.n_tier_shortening)
			days *= 1 - c.tier_shortening[out->tier - 1];
	}
	out->processing_days = days;

	out->value_usd = q->value_usd;
	out->notify_kind = crossed(&c, out->group, out->category, !y->not_mde, q->value_usd,
				   &out->threshold_usd, &out->threshold_kind);
	out->notify = out->notify_kind >= 0;
	if (out->notify)
		out->review_days = c.review_days[out->group] + c.advance_days[out->group];

	if (allot_system_flag_at(s, q->system, ALLOT_EV_EEUM, q->lor_month)) {
		enum allot_eum e = allot_case_eum_at(s, q->partner, q->lor_month);
		out->eeum_review = e == ALLOT_EUM_DELINQUENT;
		out->eeum_violation = e == ALLOT_EUM_VIOLATION;
		if (out->eeum_review)
			out->eeum_days = c.eeum_delinquent_days;
	}
	out->total_days =
		out->processing_days + c.acceptance_days + out->review_days + out->eeum_days;

	out->min_tier = allot_case_min_tier_at(s, &c, q->system, q->lor_month);
	out->held = out->strategy && out->min_tier > 0 && out->tier > out->min_tier;
	out->loa_month = out->held ? ALLOT_NO_MONTH
				   : q->lor_month + allot_case_days_to_months(out->total_days);
}

void allot_case_reason(const struct allot_scenario *s, const struct allot_case_estimate *e,
		       char *buf, size_t size)
{
	char a[32], b[32];
	(void)s;
	const char *g = allot_notify_group_name(e->group);
	if (e->held) {
		snprintf(buf, size, "held: tier %d below the catalog gate (tier %d)", e->tier,
			 e->min_tier);
	} else if (e->notify) {
		snprintf(buf, size, "36(b) %s: %s >= %s (%s group, %.0f-day review)",
			 allot_notify_kind_name((enum allot_notify_kind)e->notify_kind),
			 allot_style_usd(e->value_usd, a), allot_style_usd(e->threshold_usd, b), g,
			 e->review_days);
	} else {
		snprintf(buf, size, "no 36(b): %s < %s %s (%s group)",
			 allot_style_usd(e->value_usd, a), allot_style_usd(e->threshold_usd, b),
			 allot_notify_kind_name((enum allot_notify_kind)e->threshold_kind), g);
	}
}

void allot_transfer_decide(const struct allot_scenario *s, size_t t, int regime,
			   struct allot_transfer_decision *out)
{
	struct allot_case_policy c;
	allot_case_policy_of(&s->policy, &c);
	const struct allot_tpt_rules *r = &c.tpt[regime ? 1 : 0];
	const struct allot_transfer *x = &s->transfers[t];
	const struct allot_system *y = &s->systems[x->system];
	memset(out, 0, sizeof *out);
	out->consent = 1;
	out->notify_kind = -1;
	double days = r->days;
	int ineligible = x->to < 0 ||
			 allot_case_eum_at(s, x->to, x->request_month) == ALLOT_EUM_VIOLATION;
	if (ineligible) {
		out->why |= ALLOT_TPT_INELIGIBLE;
		if (r->refuse_ineligible)
			out->consent = 0;
		else
			days += r->ineligible_days;
	}
	if (allot_system_flag_at(s, x->system, ALLOT_EV_EEUM, x->request_month)) {
		out->why |= ALLOT_TPT_EEUM;
		if (r->refuse_eeum)
			out->consent = 0;
		else
			days += r->eeum_days;
	}
	if (out->consent) {
		/* AECA 3(d): the 36(b) thresholds and review of the recipient's group. */
		const char *alliance = x->to >= 0 ? s->partners[x->to].alliance : "";
		enum allot_notify_group g = allot_case_group(&c, x->to_iso3, alliance);
		/* an unknown unit cost cannot show the value is below the
		 * threshold: the review is assumed (docs/case-process.md) */
		double th, value = allot_cost_known(y->unit_cost_usd)
					   ? (double)x->qty * y->unit_cost_usd
					   : INFINITY;
		int kind;
		out->notify_kind = crossed(&c, g, ALLOT_CAT_B, !y->not_mde, value, &th, &kind);
		if (out->notify_kind >= 0) {
			out->why |= ALLOT_TPT_NOTIFY;
			days += c.review_days[g];
		}
	}
	out->days = days;
	out->month = x->request_month + allot_case_days_to_months(days);
}
