/*
 * store_hash.c - the fingerprint of a scenario's inputs (runs.inputs_hash).
 *
 * The scenario is serialized field by field into SHA-256 (util/sha256.h):
 * every integer as 8 bytes little-endian, every double as its 8 IEEE-754
 * bytes little-endian (-0 as 0), every string as its length (8 bytes) then its bytes,
 * every table as a tag string and its row count before its rows.  Indices
 * into other tables are hashed as indices (they follow file order).  The
 * name is left out: the same inputs under another name hash the same.  The
 * resolved fields of events (index, num, eum) derive from target and value
 * and are left out too.  Any change to this layout changes every hash:
 * docs/store.md records it as layout "v1", which is hashed first.
 */
#include "store_int.h"

#include <string.h>

#include "util/sha256.h"

static void h_i64(struct sha256 *c, int64_t v)
{
	uint8_t b[8];
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(u >> (8 * i));
	sha256_update(c, b, 8);
}

/* -0 hashes as 0: the store keeps REAL zeros unsigned (docs/store.md). */
static void h_f64(struct sha256 *c, double v)
{
	uint64_t u;
	if (v == 0)
		v = 0;
	memcpy(&u, &v, sizeof u);
	h_i64(c, (int64_t)u);
}

static void h_str(struct sha256 *c, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	h_i64(c, (int64_t)n);
	sha256_update(c, s ? s : "", n);
}

static void h_table(struct sha256 *c, const char *tag, size_t n)
{
	h_str(c, tag);
	h_i64(c, (int64_t)n);
}

static void h_policy(struct sha256 *c, const struct allot_policy *p)
{
	h_table(c, "policy", ALLOT_CRIT_COUNT);
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		h_f64(c, p->weight[k]);
	const double v[] = {
		p->target_pct, p->growth_full_pct, p->troops_ref, p->basing_max,
		p->frontline_factor, p->rear_factor, p->economic_ref_usd,
		p->economic_unit_usd, p->invest_multiplier, p->penalty_delinquent,
		p->penalty_violation, p->default_theater,
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		h_f64(c, v[i]);
	h_table(c, "theaters", p->n_theaters);
	for (size_t i = 0; i < p->n_theaters; i++) {
		h_str(c, p->theaters[i].region);
		h_f64(c, p->theaters[i].weight);
	}
	h_table(c, "tiers", p->n_tier_thresholds);
	for (size_t i = 0; i < p->n_tier_thresholds && i < ALLOT_MAX_TIERS; i++)
		h_f64(c, p->tier_min[i]);
}

static void h_model(struct sha256 *c, const struct allot_scenario *s)
{
	h_table(c, "partners", s->n_partners);
	for (size_t i = 0; i < s->n_partners; i++) {
		const struct allot_partner *p = &s->partners[i];
		h_str(c, p->iso3); h_str(c, p->name); h_str(c, p->region);
		h_str(c, p->alliance); h_i64(c, p->frontline);
		h_f64(c, p->defense_pct_gdp); h_f64(c, p->real_growth_3y_pct);
		h_f64(c, p->us_troops); h_i64(c, p->basing_access);
		h_f64(c, p->us_purchases_5y_usd); h_f64(c, p->invest_in_us_usd);
		h_i64(c, p->eum_status);
		if (p->defense_year || p->growth_year) { /* old hashes unchanged */
			h_i64(c, p->defense_year);
			h_i64(c, p->growth_year);
		}
	}
	h_table(c, "systems", s->n_systems);
	for (size_t i = 0; i < s->n_systems; i++) {
		const struct allot_system *y = &s->systems[i];
		h_str(c, y->system_id); h_str(c, y->name); h_i64(c, y->line);
		h_f64(c, y->unit_cost_usd); h_i64(c, y->lead_months);
		h_i64(c, y->eeum); h_i64(c, y->catalog);
		h_str(c, y->foreign_alternative);
	}
	h_table(c, "lines", s->n_lines);
	for (size_t i = 0; i < s->n_lines; i++) {
		const struct allot_line *l = &s->lines[i];
		h_str(c, l->line_id); h_str(c, l->name);
		h_f64(c, l->rate_per_month); h_f64(c, l->us_share);
		if (l->rate_basis != ALLOT_RATE_UNSTATED) /* old hashes unchanged */
			h_i64(c, l->rate_basis);
	}
	h_table(c, "orders", s->n_orders);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		h_str(c, o->order_id); h_i64(c, o->partner); h_i64(c, o->system);
		h_i64(c, o->qty); h_i64(c, o->delivered); h_i64(c, o->loa_month);
		h_i64(c, o->need_month); h_i64(c, o->partner_rank);
		if (o->supply != ALLOT_SUPPLY_NEW) /* old scenarios keep their hash */
			h_i64(c, o->supply);
	}
	if (s->n_wip) {
		h_table(c, "wip", s->n_wip);
		for (size_t i = 0; i < s->n_wip; i++) {
			h_i64(c, s->wip[i].order); h_i64(c, s->wip[i].month);
			h_i64(c, s->wip[i].units);
		}
	}
}

static void h_resources(struct sha256 *c, const struct allot_scenario *s)
{
	h_table(c, "minerals", s->n_minerals);
	for (size_t i = 0; i < s->n_minerals; i++) {
		const struct allot_mineral *m = &s->minerals[i];
		h_str(c, m->mineral_id); h_str(c, m->name);
		h_i64(c, m->stock_g); h_f64(c, m->price_usd_per_kg);
	}
	h_table(c, "supply", s->n_supply);
	for (size_t i = 0; i < s->n_supply; i++) {
		h_i64(c, s->supply[i].mineral); h_str(c, s->supply[i].source);
		h_i64(c, s->supply[i].g_per_month);
	}
	h_table(c, "bom", s->n_bom);
	for (size_t i = 0; i < s->n_bom; i++) {
		h_i64(c, s->bom[i].system); h_i64(c, s->bom[i].mineral);
		h_i64(c, s->bom[i].g_per_unit);
	}
	h_table(c, "events", s->n_events);
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *e = &s->events[i];
		h_i64(c, e->month); h_i64(c, e->type);
		h_str(c, e->target); h_str(c, e->value);
	}
	h_table(c, "investments", s->n_investments);
	for (size_t i = 0; i < s->n_investments; i++) {
		const struct allot_investment *v = &s->investments[i];
		h_i64(c, v->partner); h_i64(c, v->line); h_f64(c, v->usd);
		h_i64(c, v->month); h_f64(c, v->added_rate); h_i64(c, v->online_month);
	}
	h_table(c, "embargoes", s->n_embargoes);
	for (size_t i = 0; i < s->n_embargoes; i++) {
		const struct allot_embargo *e = &s->embargoes[i];
		h_str(c, e->source); h_i64(c, e->mineral);
		h_i64(c, e->start_month); h_i64(c, e->end_month);
	}
}

void store_scenario_hash(const struct allot_scenario *s, char hex[65])
{
	struct sha256 c;
	uint8_t digest[32];
	sha256_init(&c);
	h_str(&c, "allot-scenario-v1");
	h_i64(&c, s->as_of);
	h_i64(&c, s->horizon_months);
	h_i64(&c, s->switch_month);
	h_str(&c, s->policy_file);
	h_str(&c, s->notes);
	h_i64(&c, s->present);
	h_policy(&c, &s->policy);
	h_model(&c, s);
	h_resources(&c, s);
	sha256_final(&c, digest);
	sha256_hex(digest, hex);
}
