/*
 * test_schema.c - the table descriptors (lib/io/schema.c) and what they
 * drive: every table survives CSV -> model -> CSV and model -> store ->
 * model (the bundled data/default, tiny/, and random scenarios with every
 * optional column used), the inputs hash is byte for byte layout v1 (a
 * hand-written copy of the serializer it replaced is the reference), the
 * store's DDL has the descriptors' columns, and docs/scenario-format.md
 * lists each table's columns with the descriptors' names, required marks
 * and type cells.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include <allot/schema.h>
#include "store/store_int.h"
#include "testutil.h"
#include "util/sha256.h"

/* ---- the inputs hash, layout v1, as written before the descriptors ----- */

static void h_i64(struct sha256 *c, int64_t v)
{
	uint8_t b[8];
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(u >> (8 * i));
	sha256_update(c, b, 8);
}

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

static void ref_policy(struct sha256 *c, const struct allot_policy *p)
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
}

static void ref_hash(const struct allot_scenario *s, char hex[65])
{
	struct sha256 cx, *c = &cx;
	uint8_t digest[32];
	sha256_init(c);
	h_str(c, "allot-scenario-v1");
	h_i64(c, s->as_of);
	h_i64(c, s->horizon_months);
	h_i64(c, s->switch_month);
	h_str(c, s->policy_file);
	h_str(c, s->notes);
	h_i64(c, s->present);
	ref_policy(c, &s->policy);
	h_table(c, "partners", s->n_partners);
	for (size_t i = 0; i < s->n_partners; i++) {
		const struct allot_partner *p = &s->partners[i];
		h_str(c, p->iso3);
		h_str(c, p->name);
		h_str(c, p->region);
		h_str(c, p->alliance);
		h_i64(c, p->frontline);
		h_f64(c, p->defense_pct_gdp);
		h_f64(c, p->real_growth_3y_pct);
		h_f64(c, p->us_troops);
		h_i64(c, p->basing_access);
		h_f64(c, p->us_purchases_5y_usd);
		/* an unknown investment (NaN) is hashed as -1, as unit costs */
		h_f64(c, isnan(p->invest_in_us_usd) ? -1.0 : p->invest_in_us_usd);
		h_i64(c, p->eum_status);
		if (p->defense_year || p->growth_year || p->purchases_basis) {
			h_i64(c, p->defense_year);
			h_i64(c, p->growth_year);
		}
		if (p->purchases_basis) /* era 6 */
			h_i64(c, p->purchases_basis);
	}
	h_table(c, "systems", s->n_systems);
	for (size_t i = 0; i < s->n_systems; i++) {
		const struct allot_system *y = &s->systems[i];
		h_str(c, y->system_id);
		h_str(c, y->name);
		h_i64(c, y->line);
		/* an unknown unit cost (NaN) is hashed as -1 (docs/store.md) */
		h_f64(c, isnan(y->unit_cost_usd) ? -1.0 : y->unit_cost_usd);
		h_i64(c, y->lead_months);
		h_i64(c, y->eeum);
		h_i64(c, y->catalog);
		h_str(c, y->foreign_alternative);
		if (y->unit_cost_basis) /* era 6 (mde, era 2, is not hashed) */
			h_i64(c, y->unit_cost_basis);
	}
	h_table(c, "lines", s->n_lines);
	for (size_t i = 0; i < s->n_lines; i++) {
		const struct allot_line *l = &s->lines[i];
		h_str(c, l->line_id);
		h_str(c, l->name);
		h_f64(c, l->rate_per_month);
		h_f64(c, l->us_share);
		if (l->rate_basis != ALLOT_RATE_UNSTATED)
			h_i64(c, l->rate_basis);
	}
	h_table(c, "orders", s->n_orders);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		h_str(c, o->order_id);
		h_i64(c, o->partner);
		h_i64(c, o->system);
		h_i64(c, o->qty);
		h_i64(c, o->delivered);
		h_i64(c, o->loa_month);
		h_i64(c, o->need_month);
		h_i64(c, o->partner_rank);
		/* the trailing columns up to the latest one the row states */
		int era = o->loa_basis                      ? 6
			  : o->not_before != ALLOT_NO_MONTH ? 5
			  : o->max_per_month                ? 4
			  : o->supply != ALLOT_SUPPLY_NEW   ? 3
							    : 0;
		if (era >= 3)
			h_i64(c, o->supply);
		if (era >= 4)
			h_i64(c, o->max_per_month);
		if (era >= 5)
			h_i64(c, o->not_before);
		if (era >= 6)
			h_i64(c, o->loa_basis);
	}
	if (s->n_wip) {
		h_table(c, "wip", s->n_wip);
		for (size_t i = 0; i < s->n_wip; i++) {
			h_i64(c, s->wip[i].order);
			h_i64(c, s->wip[i].month);
			h_i64(c, s->wip[i].units);
		}
	}
	h_table(c, "minerals", s->n_minerals);
	for (size_t i = 0; i < s->n_minerals; i++) {
		const struct allot_mineral *m = &s->minerals[i];
		h_str(c, m->mineral_id);
		h_str(c, m->name);
		h_i64(c, m->stock_g);
		h_f64(c, m->price_usd_per_kg);
		if (m->stock_basis) /* era 6 */
			h_i64(c, m->stock_basis);
	}
	h_table(c, "supply", s->n_supply);
	for (size_t i = 0; i < s->n_supply; i++) {
		h_i64(c, s->supply[i].mineral);
		h_str(c, s->supply[i].source);
		h_i64(c, s->supply[i].g_per_month);
	}
	h_table(c, "bom", s->n_bom);
	for (size_t i = 0; i < s->n_bom; i++) {
		h_i64(c, s->bom[i].system);
		h_i64(c, s->bom[i].mineral);
		h_i64(c, s->bom[i].g_per_unit);
	}
	h_table(c, "events", s->n_events);
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *e = &s->events[i];
		h_i64(c, e->month);
		h_i64(c, e->type);
		h_str(c, e->target);
		h_str(c, e->value);
	}
	h_table(c, "investments", s->n_investments);
	for (size_t i = 0; i < s->n_investments; i++) {
		const struct allot_investment *v = &s->investments[i];
		h_i64(c, v->partner);
		h_i64(c, v->line);
		h_f64(c, v->usd);
		h_i64(c, v->month);
		h_f64(c, v->added_rate);
		h_i64(c, v->online_month);
	}
	h_table(c, "embargoes", s->n_embargoes);
	for (size_t i = 0; i < s->n_embargoes; i++) {
		const struct allot_embargo *e = &s->embargoes[i];
		h_str(c, e->source);
		h_i64(c, e->mineral);
		h_i64(c, e->start_month);
		h_i64(c, e->end_month);
	}
	sha256_final(c, digest);
	sha256_hex(digest, hex);
}

/* ---- scenarios ------------------------------------------------------------ */

static struct allot_scenario *load_ok(const char *dir)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	int rc = allot_scenario_load(dir, &s, &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "%s:%ld:%ld: %s\n", d.v[i].file, d.v[i].line, d.v[i].col,
			d.v[i].msg);
	allot_diags_free(&d);
	assert_int_equal(rc, ALLOT_OK);
	return s;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

#define GROW(arr, n)                                                              \
	((arr) = realloc((arr), ((n) + 1) * sizeof *(arr)), assert_non_null(arr), \
	 memset(&(arr)[(n)], 0, sizeof *(arr)), (n)++)

/* A random scenario (lib/synth.c) with every optional column and table
 * used: figure years, rate bases, non-MDE systems, partner ranks, supply
 * types, work in progress, requests and transfers. */
static struct allot_scenario *random_scenario(uint64_t seed)
{
	struct allot_synth_params p;
	allot_synth_params_init(&p);
	p.seed = seed;
	p.orders = 20 + seed % 60;
	p.lines = 2 + seed % 5;
	p.minerals = seed % 4;
	p.partners = 3 + seed % 6;
	p.horizon_months = 60;
	p.events = (int)(seed % 6);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_synth_scenario(&p, &s), ALLOT_OK);
	rng_state = seed * 2654435761u + 1;
	int years = seed % 3 != 0, basis = seed % 4 != 0, mde = seed % 2, sup = seed % 5 != 0;
	for (size_t i = 0; i < s->n_partners; i++) {
		static const int ys[] = { 0, ALLOT_NO_FIGURE, 2019, 2024 };
		s->partners[i].defense_year = years ? ys[rnd() % 4] : 0;
		s->partners[i].growth_year = years ? ys[rnd() % 4] : 0;
	}
	for (size_t i = 0; i < s->n_lines; i++)
		s->lines[i].rate_basis = basis ? (enum allot_rate_basis)(rnd() % 3)
					       : ALLOT_RATE_UNSTATED;
	for (size_t i = 0; i < s->n_systems; i++)
		s->systems[i].not_mde = mde && rnd() % 3 == 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		struct allot_order *o = &s->orders[i];
		o->partner_rank = rnd() % 3 ? -1 : (int64_t)(1 + rnd() % 9);
		o->supply = sup ? (int)(rnd() % ALLOT_SUPPLY_COUNT) : ALLOT_SUPPLY_NEW;
		o->not_before = sup && rnd() % 4 == 0 ? o->loa_month + (allot_month)(rnd() % 30)
						      : ALLOT_NO_MONTH;
		if (o->supply != ALLOT_SUPPLY_NEW && o->qty - o->delivered >= 2 && rnd() % 2) {
			size_t k = GROW(s->wip, s->n_wip);
			s->wip[k] = (struct allot_wip){ (int)i, s->as_of + (int)(rnd() % 3), 1 };
			s->present |= 1u << ALLOT_FILE_WIP;
		}
	}
	/* the bases of estimates (era 6), after the draws above so that the
	 * other seeds' scenarios stay as they were */
	if (seed % 3 == 1) {
		for (size_t i = 0; i < s->n_orders; i++)
			s->orders[i].loa_basis = (int)(rnd() % 3);
		for (size_t i = 0; i < s->n_systems; i++)
			s->systems[i].unit_cost_basis = (int)(rnd() % 3);
		for (size_t i = 0; i < s->n_minerals; i++)
			s->minerals[i].stock_basis = (int)(rnd() % 3);
		for (size_t i = 0; i < s->n_partners; i++)
			s->partners[i].purchases_basis = (int)(rnd() % 3);
	}
	if (seed % 3 == 0 && s->n_partners >= 2) {
		size_t k = GROW(s->requests, s->n_requests);
		struct allot_request *r = &s->requests[k];
		r->request_id = strdup("R-1");
		r->partner = 1;
		r->system = 0;
		r->qty = 3;
		r->lor_month = s->as_of;
		r->value_usd = 12345.5;
		r->category = (int)(rnd() % 3) - 1;
		k = GROW(s->transfers, s->n_transfers);
		struct allot_transfer *x = &s->transfers[k];
		x->transfer_id = strdup("T-1");
		x->from = 0;
		memcpy(x->to_iso3, rnd() % 2 ? "ZZZ" : s->partners[1].iso3, 4);
		x->to = strcmp(x->to_iso3, "ZZZ") ? 1 : -1;
		x->system = 0;
		x->qty = 2;
		x->request_month = s->as_of + 1;
		s->present |= 1u << ALLOT_FILE_REQUESTS | 1u << ALLOT_FILE_TRANSFERS;
	}
	return s;
}

static void hash_of(const struct allot_scenario *s, char hex[65])
{
	store_scenario_hash(s, hex);
	char ref[65];
	ref_hash(s, ref);
	assert_string_equal(hex, ref);
}

/* Every field of every table, compared through the descriptors, plus the
 * fields derived from them (events' index, num, eum; transfers' to). */
static void same_tables(const struct allot_scenario *a, const struct allot_scenario *b)
{
	for (int t = 0; t < SC_NTABS; t++) {
		const struct sc_table *tb = &allot_sc_tables[t];
		assert_int_equal(sc_nrows(tb, a), sc_nrows(tb, b));
		for (size_t i = 0; i < sc_nrows(tb, a); i++) {
			const char *ra = sc_row(tb, a, i), *rb = sc_row(tb, b, i);
			for (int k = 0; k < tb->ncols; k++) {
				const struct sc_col *c = &tb->cols[k];
				if (c->type == SC_TEXT || c->type == SC_ISO3) {
					const char *x = sc_get_text(ra, c), *y = sc_get_text(rb, c);
					if (strcmp(x ? x : "", y ? y : "") != 0)
						fail_msg("%s row %zu %s: '%s' != '%s'", tb->file, i,
							 c->name, x, y);
				} else if (memcmp(ra + c->off, rb + c->off, c->size) != 0) {
					fail_msg("%s row %zu %s differs", tb->file, i, c->name);
				}
			}
		}
	}
	for (size_t i = 0; i < a->n_events; i++) {
		assert_int_equal(a->events[i].index, b->events[i].index);
		assert_true(a->events[i].num == b->events[i].num);
		assert_int_equal(a->events[i].eum, b->events[i].eum);
	}
	for (size_t i = 0; i < a->n_transfers; i++)
		assert_int_equal(a->transfers[i].to, b->transfers[i].to);
	assert_int_equal(a->present, b->present);
}

/* The directory's files, concatenated (for byte comparison). */
static char *dir_text(const char *dir)
{
	size_t cap = 1 << 16, n = 0;
	char *all = malloc(cap);
	assert_non_null(all);
	for (int t = 0; t < SC_NTABS; t++) {
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", dir, allot_sc_tables[t].file);
		size_t len = 0;
		char *txt = tu_slurp(p, &len);
		if (!txt)
			continue;
		while (n + len + strlen(p) + 2 > cap)
			assert_non_null(all = realloc(all, cap *= 2));
		memcpy(all + n, allot_sc_tables[t].file, strlen(allot_sc_tables[t].file));
		n += strlen(allot_sc_tables[t].file);
		all[n++] = '\n';
		memcpy(all + n, txt, len);
		n += len;
		free(txt);
	}
	all[n] = 0;
	return all;
}

/* CSV -> model -> CSV and model -> store -> model for one scenario. */
static void round_trip(struct allot_scenario *s)
{
	char h0[65], h1[65], h2[65];
	hash_of(s, h0);
	char *tmp = tu_tmpdir(), a[4096], b[4096], db[4096];
	snprintf(a, sizeof a, "%s/a", tmp);
	snprintf(b, sizeof b, "%s/b", tmp);
	snprintf(db, sizeof db, "%s/store.db", tmp);
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_write(s, a, &d), ALLOT_OK);
	struct allot_scenario *l = load_ok(a);
	same_tables(s, l);
	hash_of(l, h1);
	assert_string_equal(h0, h1);
	assert_int_equal(allot_scenario_write(l, b, &d), ALLOT_OK);
	char *ta = dir_text(a), *tb = dir_text(b);
	assert_string_equal(ta, tb);

	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	assert_int_equal(allot_store_put_scenario(st, "x", l, &d), ALLOT_OK);
	struct allot_scenario *g = NULL;
	assert_int_equal(allot_store_get_scenario(st, "x", &g, &d), ALLOT_OK);
	allot_store_close(st);
	same_tables(l, g);
	hash_of(g, h2);
	assert_string_equal(h0, h2);
	allot_diags_free(&d);
	allot_scenario_free(l);
	allot_scenario_free(g);
	free(ta);
	free(tb);
	tu_rmtree(tmp);
	free(tmp);
}

static void bundled_scenarios_round_trip(void **state)
{
	(void)state;
	const char *dirs[] = { "data/default", "tests/data/scenarios/tiny" };
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		struct allot_scenario *s = load_ok(tu_src(dirs[i]));
		s->present = s->present; /* as loaded */
		round_trip(s);
		allot_scenario_free(s);
	}
}

static void random_scenarios_round_trip(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 60; seed++) {
		struct allot_scenario *s = random_scenario(seed);
		round_trip(s);
		allot_scenario_free(s);
	}
}

/* As `allot runs show` printed it for tiny/ before the descriptors (main at
 * 6ebff5c). */
#define TINY_HASH "749f4dc553d63c497dde7ebc5660aac9138867b4743726a7219b5b1f5a79ec5b"

/* The hash of tiny/ is the one layout v1 always gave (so runs stored
 * before the descriptors still match their scenario). */
static void tiny_hash_is_pinned(void **state)
{
	(void)state;
	struct allot_scenario *s = load_ok(tu_src("tests/data/scenarios/tiny"));
	char hex[65];
	hash_of(s, hex);
	assert_string_equal(hex, TINY_HASH);
	allot_scenario_free(s);
}

/* reserve.tier_weights and cases are part of the inputs: a policy that
 * differs only there has another hash (they were left out until 2026-12),
 * while a policy without them keeps the hash above. */
static void policy_sections_change_the_hash(void **state)
{
	(void)state;
	struct allot_scenario *s = load_ok(tu_src("tests/data/scenarios/tiny"));
	assert_int_equal(s->policy.n_tier_weights, 0);
	assert_int_equal(s->policy.cases.set, 0);
	char h0[65], h1[65], h2[65], h3[65];
	store_scenario_hash(s, h0);
	assert_string_equal(h0, TINY_HASH);
	s->policy.n_tier_weights = 2;
	s->policy.tier_weight[0] = 1;
	s->policy.tier_weight[1] = 0.5;
	store_scenario_hash(s, h1);
	assert_string_not_equal(h1, h0);
	s->policy.n_tier_weights = 0;
	s->policy.cases.set = 1;
	store_scenario_hash(s, h2);
	assert_string_not_equal(h2, h0);
	assert_string_not_equal(h2, h1);
	s->policy.cases.acceptance_days += 1;
	store_scenario_hash(s, h3);
	assert_string_not_equal(h3, h2);
	s->policy.cases.set = 0; /* the struct as loaded, for the free */
	allot_scenario_free(s);
}

/* ---- the store's DDL -------------------------------------------------------- */

static void store_columns_are_the_descriptors(void **state)
{
	(void)state;
	char *tmp = tu_tmpdir(), db[4096];
	snprintf(db, sizeof db, "%s/s.db", tmp);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	allot_store_close(st);
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
	for (int t = 0; t < SC_NTABS; t++) {
		const struct sc_table *tb = &allot_sc_tables[t];
		char sql[128];
		snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", tb->sql);
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &q, NULL), SQLITE_OK);
		int k = -2; /* scenario_id, seq */
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(q, 1);
			const char *type = (const char *)sqlite3_column_text(q, 2);
			int notnull = sqlite3_column_int(q, 3);
			if (k >= 0) {
				if (k >= tb->ncols)
					fail_msg("%s: store column %s has no descriptor", tb->sql,
						 name);
				const struct sc_col *col = &tb->cols[k];
				const char *want = col->sql ? col->sql : col->name;
				if (strcmp(name, want) != 0 ||
				    strcmp(type, allot_sc_sql_type(col)) != 0 ||
				    notnull != allot_sc_sql_notnull(col))
					fail_msg(
						"%s column %d: store has %s %s%s, descriptor %s %s%s",
						tb->sql, k, name, type, notnull ? " NOT NULL" : "",
						want, allot_sc_sql_type(col),
						allot_sc_sql_notnull(col) ? " NOT NULL" : "");
			}
			k++;
		}
		sqlite3_finalize(q);
		if (k != tb->ncols)
			fail_msg("%s: %d store columns, %d descriptors", tb->sql, k, tb->ncols);
	}
	sqlite3_close(c);
	allot_diags_free(&d);
	tu_rmtree(tmp);
	free(tmp);
}

/* The scenario tables as schema version 1 created them (store.c before the
 * descriptors), kept here as history: a store that was made with them and
 * then migrated must have the tables a new store gets from the
 * descriptors. */
static const char v1_tables[] =
	"CREATE TABLE partners ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" iso3 TEXT NOT NULL, name TEXT NOT NULL, region TEXT NOT NULL,"
	" alliance TEXT NOT NULL, frontline INTEGER NOT NULL,"
	" defense_pct_gdp REAL NOT NULL, real_growth_3y_pct REAL NOT NULL,"
	" us_troops REAL NOT NULL, basing_access INTEGER NOT NULL,"
	" us_purchases_5y_usd REAL NOT NULL, invest_in_us_usd REAL NOT NULL,"
	" eum_status TEXT NOT NULL,"
	" PRIMARY KEY (scenario_id, seq), UNIQUE (scenario_id, iso3)"
	") WITHOUT ROWID;"

	"CREATE TABLE lines ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" line_id TEXT NOT NULL, name TEXT NOT NULL,"
	" rate_per_month REAL NOT NULL, us_share REAL NOT NULL,"
	" PRIMARY KEY (scenario_id, seq), UNIQUE (scenario_id, line_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE systems ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" system_id TEXT NOT NULL, name TEXT NOT NULL, line_id TEXT NOT NULL,"
	" unit_cost_usd REAL NOT NULL, lead_months INTEGER NOT NULL,"
	" eeum INTEGER NOT NULL, catalog INTEGER NOT NULL,"
	" foreign_alternative TEXT NOT NULL,"
	" PRIMARY KEY (scenario_id, seq), UNIQUE (scenario_id, system_id),"
	" FOREIGN KEY (scenario_id, line_id) REFERENCES lines(scenario_id, line_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE orders ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" order_id TEXT NOT NULL, iso3 TEXT NOT NULL, system_id TEXT NOT NULL,"
	" qty INTEGER NOT NULL, delivered INTEGER NOT NULL,"
	" loa_month TEXT, need_month TEXT, partner_rank INTEGER,"
	" PRIMARY KEY (scenario_id, seq), UNIQUE (scenario_id, order_id),"
	" FOREIGN KEY (scenario_id, iso3) REFERENCES partners(scenario_id, iso3),"
	" FOREIGN KEY (scenario_id, system_id) REFERENCES systems(scenario_id, system_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE minerals ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" mineral_id TEXT NOT NULL, name TEXT NOT NULL,"
	" stock_g INTEGER NOT NULL, price_usd_per_kg REAL NOT NULL,"
	" PRIMARY KEY (scenario_id, seq), UNIQUE (scenario_id, mineral_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE supply ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" mineral_id TEXT NOT NULL, source TEXT NOT NULL, g_per_month INTEGER NOT NULL,"
	" PRIMARY KEY (scenario_id, seq),"
	" FOREIGN KEY (scenario_id, mineral_id) REFERENCES minerals(scenario_id, mineral_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE bom ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" system_id TEXT NOT NULL, mineral_id TEXT NOT NULL, g_per_unit INTEGER NOT NULL,"
	" PRIMARY KEY (scenario_id, seq),"
	" FOREIGN KEY (scenario_id, system_id) REFERENCES systems(scenario_id, system_id),"
	" FOREIGN KEY (scenario_id, mineral_id) REFERENCES minerals(scenario_id, mineral_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE events ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" month TEXT, type TEXT NOT NULL, target TEXT NOT NULL, value TEXT NOT NULL,"
	" PRIMARY KEY (scenario_id, seq)"
	") WITHOUT ROWID;"

	"CREATE TABLE investments ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" iso3 TEXT NOT NULL, line_id TEXT NOT NULL, usd REAL NOT NULL,"
	" month TEXT, added_rate REAL NOT NULL, online_month TEXT,"
	" PRIMARY KEY (scenario_id, seq),"
	" FOREIGN KEY (scenario_id, iso3) REFERENCES partners(scenario_id, iso3),"
	" FOREIGN KEY (scenario_id, line_id) REFERENCES lines(scenario_id, line_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE embargoes ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" source TEXT NOT NULL, mineral_id TEXT NOT NULL,"
	" start_month TEXT, end_month TEXT,"
	" PRIMARY KEY (scenario_id, seq)"
	") WITHOUT ROWID;";

/* A table's columns (name, type, NOT NULL, default, key position), foreign
 * keys and unique indexes, as one text. */
static void table_shape(sqlite3 *c, const char *table, char *out, size_t n)
{
	static const char *const q[] = {
		"SELECT group_concat(name || ' ' || type || ' ' || \"notnull\" || ' ' ||"
		" ifnull(dflt_value, '-') || ' ' || pk, ', ') FROM pragma_table_info(?1)",
		"SELECT group_concat(\"table\" || '.' || \"to\" || ' <- ' || \"from\", ', ')"
		" FROM (SELECT * FROM pragma_foreign_key_list(?1) ORDER BY \"table\", \"from\")",
		"SELECT group_concat(cols, '; ') FROM (SELECT (SELECT group_concat(name, ',')"
		" FROM pragma_index_info(l.name)) AS cols FROM pragma_index_list(?1) AS l"
		" WHERE l.\"unique\" ORDER BY cols)",
	};
	size_t at = 0;
	for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(c, q[i], -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		const char *v = (const char *)sqlite3_column_text(st, 0);
		at += (size_t)snprintf(out + at, n - at, "%s | ", v ? v : "");
		sqlite3_finalize(st);
	}
}

static void new_store_has_the_migrated_tables(void **state)
{
	(void)state;
	char *tmp = tu_tmpdir(), a[4096], b[4096];
	snprintf(a, sizeof a, "%s/old.db", tmp);
	snprintf(b, sizeof b, "%s/new.db", tmp);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(a, &st, &d), ALLOT_OK);
	allot_store_close(st);
	assert_int_equal(allot_store_open(b, &st, &d), ALLOT_OK);
	allot_store_close(st);
	/* a back to version 1: its scenario tables as version 1 made them */
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(a, &c), SQLITE_OK);
	char sql[256];
	for (int t = 0; t < SC_NTABS; t++) {
		snprintf(sql, sizeof sql, "DROP TABLE %s", allot_sc_tables[t].sql);
		assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	assert_int_equal(sqlite3_exec(c, v1_tables, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);
	assert_int_equal(allot_store_open(a, &st, &d), ALLOT_OK); /* migrates 1 -> 3 */
	allot_store_close(st);
	sqlite3 *ca = NULL, *cb = NULL;
	assert_int_equal(sqlite3_open(a, &ca), SQLITE_OK);
	assert_int_equal(sqlite3_open(b, &cb), SQLITE_OK);
	for (int t = 0; t < SC_NTABS; t++) {
		char sa[4096], sb[4096];
		table_shape(ca, allot_sc_tables[t].sql, sa, sizeof sa);
		table_shape(cb, allot_sc_tables[t].sql, sb, sizeof sb);
		if (strcmp(sa, sb) != 0)
			fail_msg("%s:\nmigrated: %s\nnew:      %s", allot_sc_tables[t].sql, sa, sb);
	}
	sqlite3_close(ca);
	sqlite3_close(cb);
	allot_diags_free(&d);
	tu_rmtree(tmp);
	free(tmp);
}

/* ---- docs/scenario-format.md ------------------------------------------------ */

/* Checks the column table under "### <file>" in text against table t;
 * returns the number of differences (each printed). */
static int doc_table_diff(const char *text, const struct sc_table *t)
{
	char head[96];
	snprintf(head, sizeof head, "\n### %s", t->file);
	const char *p = strstr(text, head);
	if (!p) {
		fprintf(stderr, "docs: no section \"### %s\"\n", t->file);
		return 1;
	}
	p = strstr(p, "\n| column |");
	if (!p) {
		fprintf(stderr, "docs: %s has no column table\n", t->file);
		return 1;
	}
	p = strchr(p + 1, '\n'); /* the header line */
	p = strchr(p + 1, '\n'); /* the --- line */
	int bad = 0, k = 0;
	while (p && p[1] == '|') {
		const char *line = p + 1, *end = strchr(line, '\n');
		char row[2048];
		size_t n = end ? (size_t)(end - line) : strlen(line);
		snprintf(row, sizeof row, "%.*s", (int)n, line);
		/* | `name` **R** ... | type | rule | */
		char *c1 = row + 1, *c2 = strchr(c1, '|');
		char *c3 = c2 ? strchr(c2 + 1, '|') : NULL;
		if (!c2 || !c3) {
			fprintf(stderr, "docs: %s: cannot read row %s\n", t->file, row);
			return bad + 1;
		}
		*c2 = 0;
		*c3 = 0;
		char name[64] = "", type[512];
		const char *q1 = strchr(c1, '`'), *q2 = q1 ? strchr(q1 + 1, '`') : NULL;
		if (q1 && q2)
			snprintf(name, sizeof name, "%.*s", (int)(q2 - q1 - 1), q1 + 1);
		int req = strstr(c1, "**R**") != NULL;
		char *ty = c2 + 1;
		while (*ty == ' ')
			ty++;
		snprintf(type, sizeof type, "%s", ty);
		for (size_t m = strlen(type); m > 0 && type[m - 1] == ' '; m--)
			type[m - 1] = 0;
		if (k >= t->ncols) {
			fprintf(stderr, "docs: %s lists column %s that has no descriptor\n",
				t->file, name);
			bad++;
		} else {
			const struct sc_col *c = &t->cols[k];
			char want[256];
			allot_sc_doc_type(c, want, sizeof want);
			if (strcmp(name, c->name) != 0) {
				fprintf(stderr,
					"docs: %s column %d is %s, the descriptor says %s\n",
					t->file, k + 1, name, c->name);
				bad++;
			}
			if (req != !!(c->flags & SC_REQ)) {
				fprintf(stderr,
					"docs: %s column %s is%s marked **R**, the descriptor "
					"says it is%s required\n",
					t->file, c->name, req ? "" : " not",
					(c->flags & SC_REQ) ? "" : " not");
				bad++;
			}
			if (strcmp(type, want) != 0) {
				fprintf(stderr,
					"docs: %s column %s has type \"%s\", the descriptor "
					"gives \"%s\"\n",
					t->file, c->name, type, want);
				bad++;
			}
		}
		k++;
		p = end;
	}
	if (k < t->ncols) {
		fprintf(stderr,
			"docs: %s lists %d columns, the descriptors have %d (first "
			"missing: %s)\n",
			t->file, k, t->ncols, t->cols[k].name);
		bad++;
	}
	return bad;
}

static void docs_list_the_descriptors(void **state)
{
	(void)state;
	const char *path = getenv("ALLOT_SCHEMA_DOC");
	char *text = tu_slurp(path ? path : tu_src("docs/scenario-format.md"), NULL);
	assert_non_null(text);
	int bad = 0;
	for (int t = 0; t < SC_NTABS; t++)
		bad += doc_table_diff(text, &allot_sc_tables[t]);
	free(text);
	assert_int_equal(bad, 0);
}

/* The checker itself finds a difference: a doc with one column renamed,
 * one type changed and one required mark dropped. */
static void docs_check_catches_a_difference(void **state)
{
	(void)state;
	char *text = tu_slurp(tu_src("docs/scenario-format.md"), NULL);
	assert_non_null(text);
	char *p = strstr(text, "| `delivered` | integer 0..qty |");
	assert_non_null(p);
	memcpy(p, "| `delivere_` | integer 0..qtx |", 32);
	assert_int_equal(doc_table_diff(text, &allot_sc_tables[SC_ORDERS]), 2);
	p = strstr(text, "| `month` **R** | month | when");
	assert_non_null(p);
	memcpy(p, "| `month`       | month | when", 29);
	assert_int_equal(doc_table_diff(text, &allot_sc_tables[SC_EVENTS]), 1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tiny_hash_is_pinned),
		cmocka_unit_test(policy_sections_change_the_hash),
		cmocka_unit_test(bundled_scenarios_round_trip),
		cmocka_unit_test(random_scenarios_round_trip),
		cmocka_unit_test(store_columns_are_the_descriptors),
		cmocka_unit_test(new_store_has_the_migrated_tables),
		cmocka_unit_test(docs_list_the_descriptors),
		cmocka_unit_test(docs_check_catches_a_difference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
