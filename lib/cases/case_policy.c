/*
 * case_policy.c - the case process settings ("cases" in policy.json): their
 * defaults and the small lookups every case computation shares (gates,
 * partner groups, end-use status in force, days to months).
 *
 * Every default is cited in docs/policy.md.  The keys are read and written
 * by the policy codec (lib/io/policy.c: the "cases." rows of pkeys).
 */
#include <allot/allot.h>

#include <math.h>
#include <string.h>
#include <strings.h>

/* ---- names and small lookups -------------------------------------------- */

static const char *const cat_names[ALLOT_CAT_COUNT] = { "A", "B", "C", "DC" };

const char *allot_case_category_name(int c)
{
	return c >= 0 && c < ALLOT_CAT_COUNT ? cat_names[c] : "";
}

int allot_case_category_parse(const char *s)
{
	for (int c = 0; c < ALLOT_CAT_COUNT; c++)
		if (strcmp(s, cat_names[c]) == 0)
			return c;
	return -1;
}

const char *allot_notify_kind_name(enum allot_notify_kind k)
{
	static const char *const n[ALLOT_NOTIFY_KINDS] = { "MDE", "articles and services",
							   "design and construction" };
	return (unsigned)k < ALLOT_NOTIFY_KINDS ? n[k] : "";
}

const char *allot_notify_group_name(enum allot_notify_group g)
{
	return g == ALLOT_GROUP_NATO_PLUS ? "NATO+" : "other";
}

void allot_case_policy_default(struct allot_case_policy *c)
{
	static const char *const nato_plus[] = { "AUS", "ISR", "JPN", "KOR", "NZL" };
	memset(c, 0, sizeof *c);
	/* SAMM C5.4.2 anticipated-offer-date groups (docs/policy.md). */
	c->processing_days[ALLOT_CAT_A] = 45;
	c->processing_days[ALLOT_CAT_B] = 100;
	c->processing_days[ALLOT_CAT_C] = 150;
	c->processing_days[ALLOT_CAT_DC] = 150;
	c->default_category = ALLOT_CAT_B;
	c->acceptance_days = 0;
	c->catalog_shortening = 0.25;
	c->tier_shortening[0] = 0.25;
	c->tier_shortening[1] = 0.1;
	c->tier_shortening[2] = 0;
	c->n_tier_shortening = 3;
	for (size_t i = 0; i < sizeof nato_plus / sizeof *nato_plus; i++)
		memcpy(c->nato_plus[i], nato_plus[i], 4);
	c->n_nato_plus = sizeof nato_plus / sizeof *nato_plus;
	/* AECA 36(b)(1), 22 U.S.C. 2776(b)(1). */
	c->threshold_usd[ALLOT_GROUP_NATO_PLUS][ALLOT_NOTIFY_MDE] = 25e6;
	c->threshold_usd[ALLOT_GROUP_NATO_PLUS][ALLOT_NOTIFY_ARTICLES] = 100e6;
	c->threshold_usd[ALLOT_GROUP_NATO_PLUS][ALLOT_NOTIFY_CONSTRUCTION] = 300e6;
	c->threshold_usd[ALLOT_GROUP_OTHER][ALLOT_NOTIFY_MDE] = 14e6;
	c->threshold_usd[ALLOT_GROUP_OTHER][ALLOT_NOTIFY_ARTICLES] = 50e6;
	c->threshold_usd[ALLOT_GROUP_OTHER][ALLOT_NOTIFY_CONSTRUCTION] = 200e6;
	c->review_days[ALLOT_GROUP_NATO_PLUS] = 15;
	c->review_days[ALLOT_GROUP_OTHER] = 30;
	c->advance_days[ALLOT_GROUP_NATO_PLUS] = 0;
	c->advance_days[ALLOT_GROUP_OTHER] = 20; /* SAMM C5.5.3 tiered review */
	c->eeum_delinquent_days = 90;
	c->tpt_streamlined = 0;
	c->tpt[0] = (struct allot_tpt_rules){ 90, 60, 0, 0, 1 };
	c->tpt[1] = (struct allot_tpt_rules){ 30, 30, 0, 0, 1 };
}

void allot_case_policy_of(const struct allot_policy *p, struct allot_case_policy *out)
{
	if (p->cases.set)
		*out = p->cases;
	else
		allot_case_policy_default(out);
}

int allot_case_min_tier(const struct allot_case_policy *c, const char *system_id)
{
	for (size_t i = 0; i < c->n_gates; i++)
		if (strcmp(c->gates[i].system_id, system_id) == 0)
			return c->gates[i].min_tier;
	return 0;
}

/* The value of the last event of `type` on `system` in force in month m
 * (latest month <= m, file order within a month); dflt when none. */
static double system_event_at(const struct allot_scenario *s, int system,
			      enum allot_event_type type, allot_month m, double dflt)
{
	allot_month best = ALLOT_NO_MONTH;
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *ev = &s->events[i];
		if (ev->type != type || ev->index != system)
			continue;
		if (m == ALLOT_NO_MONTH) { /* at any time */
			dflt = dflt != 0 ? dflt : ev->num;
			continue;
		}
		if (ev->month <= m && (best == ALLOT_NO_MONTH || ev->month >= best)) {
			best = ev->month;
			dflt = ev->num;
		}
	}
	return dflt;
}

int allot_case_min_tier_at(const struct allot_scenario *s, const struct allot_case_policy *c,
			   int system, allot_month m)
{
	int gate = allot_case_min_tier(c, s->systems[system].system_id);
	return (int)system_event_at(s, system, ALLOT_EV_MIN_TIER, m, gate);
}

int allot_system_flag_at(const struct allot_scenario *s, int system, enum allot_event_type type,
			 allot_month m)
{
	const struct allot_system *y = &s->systems[system];
	int flag = type == ALLOT_EV_CATALOG ? y->catalog : type == ALLOT_EV_EEUM ? y->eeum : 0;
	return system_event_at(s, system, type, m, flag) != 0;
}

enum allot_notify_group allot_case_group(const struct allot_case_policy *c, const char *iso3,
					 const char *alliance)
{
	if (alliance && strcasecmp(alliance, "nato") == 0)
		return ALLOT_GROUP_NATO_PLUS;
	for (size_t i = 0; i < c->n_nato_plus; i++)
		if (strcmp(c->nato_plus[i], iso3) == 0)
			return ALLOT_GROUP_NATO_PLUS;
	return ALLOT_GROUP_OTHER;
}

enum allot_eum allot_case_eum_at(const struct allot_scenario *s, int partner, allot_month m)
{
	enum allot_eum e = s->partners[partner].eum_status;
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *ev = &s->events[i];
		if (ev->type == ALLOT_EV_EUM_STATUS && ev->index == partner && ev->month <= m)
			e = ev->eum;
	}
	return e;
}

int allot_case_days_to_months(double days)
{
	if (!(days > 0))
		return 0;
	double m = floor(days / 30.4375 + 0.5);
	return m > 1e6 ? 1000000 : (int)m;
}
