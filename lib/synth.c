/*
 * synth.c - reproducible synthetic scenarios for benchmarks and tests.
 *
 * The shape follows the real book: a few hundred partners, lines with
 * rates from a few to a few hundred units a month and a share reserved for
 * US forces, two systems per line, about a third of the systems drawing on
 * one or two of the minerals, orders of 1 to ~200 units signed over the
 * five years before as_of and the horizon after it, and (unless events is
 * 0) capacity ramps, budget caps, end-use changes, weight changes,
 * investments and embargoes.  Lines are loaded near their capacity so that
 * the queues are long.  A splitmix64 stream seeded by params.seed makes
 * every draw, so the same parameters give the same scenario everywhere.
 */
#include <allot/allot.h>

#include <stdio.h>
#include <string.h>

#include "util/mem.h"

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t x = r->s += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static int64_t range(struct rng *r, int64_t lo, int64_t hi) /* inclusive */
{
	return lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1));
}

static double unit(struct rng *r)
{
	return (double)(next(r) >> 11) / 9007199254740992.0;
}

void allot_synth_params_init(struct allot_synth_params *p)
{
	memset(p, 0, sizeof *p);
	p->seed = 1;
	p->orders = 1000000;
	p->lines = 2000;
	p->minerals = 20;
	p->partners = 200;
	p->horizon_months = 240;
	p->events = 1;
}

static char *fmt_id(const char *prefix, size_t i, int width)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%s%0*zu", prefix, width, i);
	return mem_strdup(buf);
}

static const char *const regions[] = { "indo-pacific", "europe-east", "middle-east", "europe-west",
				       "south-asia",   "americas",    "africa",      "other" };

static int make_partners(struct allot_scenario *s, struct rng *r, size_t n)
{
	if (!(s->partners = mem_calloc(n, sizeof *s->partners)))
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < n; i++, s->n_partners++) {
		struct allot_partner *p = &s->partners[i];
		/* Three-letter codes AAA, AAB, ... (up to 17,576 partners). */
		p->iso3[0] = (char)('A' + i / 676 % 26);
		p->iso3[1] = (char)('A' + i / 26 % 26);
		p->iso3[2] = (char)('A' + i % 26);
		p->name = fmt_id("Partner ", i, 4);
		p->region = mem_strdup(regions[range(r, 0, 7)]);
		p->alliance = mem_strdup(range(r, 0, 2) ? "none" : "nato");
		if (!p->name || !p->region || !p->alliance)
			return ALLOT_ENOMEM;
		p->frontline = range(r, 0, 3) == 0;
		p->defense_pct_gdp = (double)range(r, 5, 60) / 10;
		p->real_growth_3y_pct = (double)range(r, -10, 45);
		p->us_troops = range(r, 0, 2) ? 0 : (double)range(r, 0, 60000);
		p->basing_access = (int)range(r, 0, 3);
		p->us_purchases_5y_usd = (double)range(r, 0, 500) * 1e8;
		p->eum_status = range(r, 0, 40) == 0 ? ALLOT_EUM_DELINQUENT : ALLOT_EUM_COMPLIANT;
	}
	return ALLOT_OK;
}

static int make_lines_systems(struct allot_scenario *s, struct rng *r, size_t n)
{
	if (!(s->lines = mem_calloc(n, sizeof *s->lines)) ||
	    !(s->systems = mem_calloc(2 * n, sizeof *s->systems)))
		return ALLOT_ENOMEM;
	for (size_t l = 0; l < n; l++, s->n_lines++) {
		struct allot_line *x = &s->lines[l];
		x->line_id = fmt_id("L", l, 5);
		x->name = fmt_id("Line ", l, 5);
		if (!x->line_id || !x->name)
			return ALLOT_ENOMEM;
		x->rate_per_month = (double)range(r, 20, 8000) / 40; /* 0.5 .. 200 */
		x->us_share = range(r, 0, 1) ? (double)range(r, 0, 50) / 100 : 0;
	}
	for (size_t y = 0; y < 2 * n; y++, s->n_systems++) {
		struct allot_system *x = &s->systems[y];
		x->system_id = fmt_id("S", y, 5);
		x->name = fmt_id("System ", y, 5);
		x->foreign_alternative = mem_strdup(range(r, 0, 9) ? "" : "Rafale");
		if (!x->system_id || !x->name || !x->foreign_alternative)
			return ALLOT_ENOMEM;
		x->line = (int)(y / 2);
		x->unit_cost_usd = (double)range(r, 1, 2000) * 1e5;
		x->lead_months = (int)range(r, 0, 24);
		x->eeum = range(r, 0, 9) == 0;
		x->catalog = range(r, 0, 3) == 0;
	}
	return ALLOT_OK;
}

static int make_minerals(struct allot_scenario *s, struct rng *r, size_t n)
{
	static const char *const sources[] = { "domestic", "allied", "china" };
	if (n == 0)
		return ALLOT_OK;
	s->present |= 1u << ALLOT_FILE_MINERALS | 1u << ALLOT_FILE_SUPPLY | 1u << ALLOT_FILE_BOM;
	if (!(s->minerals = mem_calloc(n, sizeof *s->minerals)) ||
	    !(s->supply = mem_calloc(3 * n, sizeof *s->supply)) ||
	    !(s->bom = mem_calloc(2 * s->n_systems, sizeof *s->bom)))
		return ALLOT_ENOMEM;
	for (size_t m = 0; m < n; m++, s->n_minerals++) {
		struct allot_mineral *x = &s->minerals[m];
		x->mineral_id = fmt_id("M", m, 3);
		x->name = fmt_id("Mineral ", m, 3);
		if (!x->mineral_id || !x->name)
			return ALLOT_ENOMEM;
		x->stock_g = range(r, 0, 5000) * 1000000;
		x->price_usd_per_kg = (double)range(r, 1, 5000);
		for (int k = 0; k < 3; k++) {
			struct allot_supply *sp = &s->supply[s->n_supply];
			sp->mineral = (int)m;
			sp->source = mem_strdup(sources[k]);
			if (!sp->source)
				return ALLOT_ENOMEM;
			sp->g_per_month = range(r, 0, 400) * 1000000;
			s->n_supply++;
		}
	}
	for (size_t y = 0; y < s->n_systems; y++) {
		if (range(r, 0, 2) != 0)
			continue;
		int64_t k = range(r, 1, 2);
		int first = -1;
		for (int64_t j = 0; j < k; j++) {
			int m = (int)range(r, 0, (int64_t)n - 1);
			if (m == first)
				continue;
			first = m;
			s->bom[s->n_bom++] =
				(struct allot_bom){ (int)y, m, range(r, 1, 400) * 1000 };
		}
	}
	return ALLOT_OK;
}

static int make_orders(struct allot_scenario *s, struct rng *r, size_t n)
{
	if (!(s->orders = mem_calloc(n, sizeof *s->orders)))
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < n; i++, s->n_orders++) {
		struct allot_order *o = &s->orders[i];
		o->order_id = fmt_id("ORD", i, 8);
		if (!o->order_id)
			return ALLOT_ENOMEM;
		o->partner = (int)range(r, 0, (int64_t)s->n_partners - 1);
		o->system = (int)range(r, 0, (int64_t)s->n_systems - 1);
		/* Mostly small orders, a long tail of large ones. */
		double u = unit(r);
		o->qty = 1 + (int64_t)(u * u * u * 200);
		o->delivered = range(r, 0, 4) == 0 ? range(r, 0, o->qty - 1) : 0;
		o->loa_month = s->as_of + (allot_month)range(r, -60, s->horizon_months - 40);
		o->need_month = range(r, 0, 1) ? o->loa_month + (allot_month)range(r, 12, 60)
					       : ALLOT_NO_MONTH;
		o->partner_rank = range(r, 0, 1) ? range(r, 1, 20) : -1;
		o->not_before = ALLOT_NO_MONTH;
	}
	return ALLOT_OK;
}

static int add_event(struct allot_scenario *s, allot_month m, enum allot_event_type t,
		     const char *target, int index, double num, enum allot_eum eum)
{
	char value[32];
	if (t == ALLOT_EV_EUM_STATUS)
		snprintf(value, sizeof value, "%s", allot_eum_name(eum));
	else
		allot_fmt_double(num, value);
	struct allot_event *e = &s->events[s->n_events];
	*e = (struct allot_event){ m, t, mem_strdup(target), mem_strdup(value), index, num, eum };
	if (!e->target || !e->value)
		return ALLOT_ENOMEM;
	s->n_events++;
	return ALLOT_OK;
}

static int make_events(struct allot_scenario *s, struct rng *r)
{
	enum { CAP = 50, SHARE = 10, BUDGET = 20, EUM = 10, WEIGHT = 5 };
	s->present |= 1u << ALLOT_FILE_EVENTS | 1u << ALLOT_FILE_INVESTMENTS |
		      1u << ALLOT_FILE_EMBARGOES;
	if (!(s->events = mem_calloc(CAP + SHARE + BUDGET + EUM + WEIGHT, sizeof *s->events)) ||
	    !(s->investments = mem_calloc(20, sizeof *s->investments)) ||
	    !(s->embargoes = mem_calloc(5, sizeof *s->embargoes)))
		return ALLOT_ENOMEM;
	int rc = ALLOT_OK;
	int H = s->horizon_months;
	/* Events in month order, as a file would list them. */
	for (int k = 0; k < CAP + SHARE + BUDGET + EUM + WEIGHT && rc == ALLOT_OK; k++) {
		allot_month m =
			s->as_of + (allot_month)(k * H / (CAP + SHARE + BUDGET + EUM + WEIGHT));
		int kind = (int)range(r, 0, 9);
		if (kind < 5) {
			int l = (int)range(r, 0, (int64_t)s->n_lines - 1);
			rc = add_event(
				s, m, ALLOT_EV_CAPACITY, s->lines[l].line_id, l,
				s->lines[l].rate_per_month * (double)range(r, 100, 300) / 100, 0);
		} else if (kind < 6) {
			int l = (int)range(r, 0, (int64_t)s->n_lines - 1);
			rc = add_event(s, m, ALLOT_EV_US_SHARE, s->lines[l].line_id, l,
				       (double)range(r, 0, 60) / 100, 0);
		} else if (kind < 8) {
			int p = (int)range(r, 0, (int64_t)s->n_partners - 1);
			rc = add_event(s, m, ALLOT_EV_BUDGET_CAP, s->partners[p].iso3, p,
				       (double)range(r, 1, 400) * 1e8, 0);
		} else if (kind < 9) {
			int p = (int)range(r, 0, (int64_t)s->n_partners - 1);
			enum allot_eum e = (enum allot_eum)range(r, 0, 2);
			rc = add_event(s, m, ALLOT_EV_EUM_STATUS, s->partners[p].iso3, p, 0, e);
		} else {
			int c = (int)range(r, 0, ALLOT_CRIT_COUNT - 1);
			rc = add_event(s, m, ALLOT_EV_WEIGHT, allot_criterion_name(c), c,
				       (double)range(r, 5, 40) / 100, 0);
		}
	}
	for (int k = 0; k < 20 && rc == ALLOT_OK; k++, s->n_investments++) {
		allot_month m = s->as_of + (allot_month)range(r, 0, H - 1);
		s->investments[k] =
			(struct allot_investment){ (int)range(r, 0, (int64_t)s->n_partners - 1),
						   (int)range(r, 0, (int64_t)s->n_lines - 1),
						   (double)range(r, 1, 50) * 1e8,
						   m,
						   (double)range(r, 1, 40) / 4,
						   m + (allot_month)range(r, 6, 36) };
	}
	for (int k = 0; k < 5 && s->n_minerals > 0 && rc == ALLOT_OK; k++, s->n_embargoes++) {
		allot_month m = s->as_of + (allot_month)range(r, 0, H - 1);
		struct allot_embargo *e = &s->embargoes[k];
		e->source = mem_strdup("china");
		if (!e->source)
			return ALLOT_ENOMEM;
		e->mineral = range(r, 0, 3) ? (int)range(r, 0, (int64_t)s->n_minerals - 1) : -1;
		e->start_month = m;
		e->end_month = range(r, 0, 3) ? m + (allot_month)range(r, 1, 36) : ALLOT_NO_MONTH;
	}
	return rc;
}

int allot_synth_scenario(const struct allot_synth_params *p, struct allot_scenario **out)
{
	if (p->orders == 0 || p->lines == 0 || p->partners == 0 || p->partners > 17576 ||
	    p->horizon_months <= 0 || p->horizon_months > 1200)
		return ALLOT_EINPUT;
	struct rng r = { p->seed };
	struct allot_scenario *s = mem_calloc(1, sizeof *s);
	if (!s)
		return ALLOT_ENOMEM;
	int rc = ALLOT_ENOMEM;
	s->name = mem_strdup("synthetic");
	s->policy_file = mem_strdup("policy.json");
	char notes[160];
	snprintf(notes, sizeof notes,
		 "Synthetic scenario (seed %llu): %zu orders, %zu lines, %zu minerals.",
		 (unsigned long long)p->seed, p->orders, p->lines, p->minerals);
	s->notes = mem_strdup(notes);
	if (!s->name || !s->policy_file || !s->notes)
		goto done;
	s->as_of = 2025 * 12;
	s->horizon_months = p->horizon_months;
	s->switch_month = s->as_of + 13; /* 2026-02, as in the real book */
	if ((rc = allot_policy_default(&s->policy)) != ALLOT_OK ||
	    (rc = make_partners(s, &r, p->partners)) != ALLOT_OK ||
	    (rc = make_lines_systems(s, &r, p->lines)) != ALLOT_OK ||
	    (rc = make_minerals(s, &r, p->minerals)) != ALLOT_OK ||
	    (rc = make_orders(s, &r, p->orders)) != ALLOT_OK)
		goto done;
	if (p->events && (rc = make_events(s, &r)) != ALLOT_OK)
		goto done;
	*out = s;
	s = NULL;
done:
	allot_scenario_free(s);
	return rc;
}
