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
 * and are left out too.  The columns and their order are the table
 * descriptors' (io/schema.c, allot_sc_hash_order).  Any change to this layout
 * changes every hash: docs/store.md records it as layout "v1", which is
 * hashed first.
 */
#include "store_int.h"

#include <math.h>
#include <string.h>

#include <allot/schema.h>
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

static void h_tpt(struct sha256 *c, const struct allot_tpt_rules *t)
{
	h_f64(c, t->days);
	h_f64(c, t->eeum_days);
	h_i64(c, t->refuse_eeum);
	h_f64(c, t->ineligible_days);
	h_i64(c, t->refuse_ineligible);
}

static void h_cases(struct sha256 *c, const struct allot_case_policy *k)
{
	h_table(c, "cases", ALLOT_CAT_COUNT);
	for (int i = 0; i < ALLOT_CAT_COUNT; i++)
		h_f64(c, k->processing_days[i]);
	h_i64(c, k->default_category);
	h_f64(c, k->acceptance_days);
	h_f64(c, k->catalog_shortening);
	h_table(c, "tier_shortening", k->n_tier_shortening);
	for (size_t i = 0; i < k->n_tier_shortening && i < ALLOT_MAX_TIERS; i++)
		h_f64(c, k->tier_shortening[i]);
	h_table(c, "gates", k->n_gates);
	for (size_t i = 0; i < k->n_gates && i < ALLOT_CASE_MAX_GATES; i++) {
		h_str(c, k->gates[i].system_id);
		h_i64(c, k->gates[i].min_tier);
	}
	h_table(c, "nato_plus", k->n_nato_plus);
	for (size_t i = 0; i < k->n_nato_plus && i < ALLOT_CASE_MAX_GROUP; i++)
		h_str(c, k->nato_plus[i]);
	for (int g = 0; g < ALLOT_GROUP_COUNT; g++) {
		for (int n = 0; n < ALLOT_NOTIFY_KINDS; n++)
			h_f64(c, k->threshold_usd[g][n]);
		h_f64(c, k->review_days[g]);
		h_f64(c, k->advance_days[g]);
	}
	h_f64(c, k->eeum_delinquent_days);
	h_i64(c, k->tpt_streamlined);
	h_tpt(c, &k->tpt[0]);
	h_tpt(c, &k->tpt[1]);
}

static void h_policy(struct sha256 *c, const struct allot_policy *p)
{
	h_table(c, "policy", ALLOT_CRIT_COUNT);
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		h_f64(c, p->weight[k]);
	const double v[] = {
		p->target_pct,         p->growth_full_pct,   p->troops_ref,
		p->basing_max,         p->frontline_factor,  p->rear_factor,
		p->economic_ref_usd,   p->economic_unit_usd, p->invest_multiplier,
		p->penalty_delinquent, p->penalty_violation, p->default_theater,
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
	/* reserve.tier_weights and cases were left out of the hash until
	 * 2026-12: two policies differing only there had one hash.  Hashed
	 * only when given, so a policy without them keeps its hash. */
	if (p->n_tier_weights) {
		h_table(c, "reserve.tier_weights", p->n_tier_weights);
		for (size_t i = 0; i < p->n_tier_weights && i < ALLOT_MAX_TIERS; i++)
			h_f64(c, p->tier_weight[i]);
	}
	if (p->cases.set)
		h_cases(c, &p->cases);
}

/* One column: integers, indices, months and named values as 8 bytes,
 * numbers as their IEEE bytes, text as length and bytes. */
static void h_col(struct sha256 *c, const void *row, const struct sc_col *col)
{
	const char *p = (const char *)row + col->off;
	switch (col->type) {
	case SC_TEXT:
		h_str(c, *(char *const *)p);
		return;
	case SC_ISO3:
		h_str(c, p);
		return;
	case SC_NUM:
		h_f64(c, isnan(*(const double *)p) ? -1.0 : *(const double *)p); /* SC_MISSING */
		return;
	case SC_MONTH:
		h_i64(c, *(const allot_month *)p);
		return;
	default:
		h_i64(c, sc_get_int(row, col));
		return;
	}
}

/* The tables in layout v1's order.  The trailing columns added later
 * (SC_TRAIL) are hashed, in a row, up to the latest era it states, so that
 * an old scenario keeps its hash. */
static void h_tables(struct sha256 *c, const struct allot_scenario *s)
{
	for (const enum sc_tab *t = allot_sc_hash_order; *t != SC_NTABS; t++) {
		const struct sc_table *tb = &allot_sc_tables[*t];
		size_t n = sc_nrows(tb, s);
		if (!tb->hashed || (tb->hashed == 2 && n == 0))
			continue;
		h_table(c, tb->sql, n);
		for (size_t i = 0; i < n; i++) {
			const void *row = sc_row(tb, s, i);
			int era = allot_sc_row_era(tb, row);
			for (int k = 0; k < tb->ncols; k++) {
				const struct sc_col *col = &tb->cols[k];
				if (!(col->flags & SC_NOHASH) &&
				    (!(col->flags & SC_TRAIL) || col->since <= era))
					h_col(c, row, col);
			}
		}
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
	h_tables(&c, s);
	sha256_final(&c, digest);
	sha256_hex(digest, hex);
}
