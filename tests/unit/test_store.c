/*
 * test_store.c - the SQLite store: put/get fidelity, named scenarios,
 * atomic replacement under failure (SQLite errors and every allocation
 * failing in turn), plan runs, schema versions, and SHA-256 vectors.
 *
 * SQLite's and jansson's allocators are routed through lib/util/mem.h so
 * that mem_fail_after reaches every allocation a put makes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <allot/allot.h>
#include "testutil.h"
#include "util/mem.h"
#include "util/sha256.h"

#include "sqlite_mem.h"
#include "store/store_int.h"

/* ---------------------------------------------------------------------- */
/* Fixtures                                                                */

struct fx {
	char *dir;
	char db[4096];
	struct allot_store *st;
	struct allot_diags d;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	f->dir = tu_tmpdir();
	snprintf(f->db, sizeof f->db, "%s/store.db", f->dir);
	allot_diags_init(&f->d);
	if (allot_store_open(f->db, &f->st, &f->d) != ALLOT_OK) {
		allot_diags_print(&f->d, stderr);
		return -1;
	}
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	mem_fail_after(0, 0);
	allot_store_close(f->st);
	allot_diags_free(&f->d);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
}

/* A scenario using every table and field, with awkward numbers. */
static struct allot_scenario *rich(int variant)
{
	struct allot_scenario *s = tu_scenario("2025-06", 120 + variant);
	s->switch_month = tu_m("2026-02");
	set_str(&s->policy_file, "policy-alt.json");
	set_str(&s->notes, "notes, with \"quotes\"\nand a line");
	s->policy.weight[ALLOT_CRIT_GROWTH] = 0.1 + 0.2;
	s->policy.economic_ref_usd = 4.9e10 + variant;
	s->policy.tier_min[2] = 12.5;
	s->policy.n_tier_thresholds = 3;
	s->policy.theaters[3].weight = 1.0 / 3;
	int pol = tu_partner(s, "POL", "europe-east", 1, 4.12, 31.5, 10000, 3, 2.5e10, 1e9);
	int jpn = tu_partner(s, "JPN", "indo-pacific", 1, 1.8, -2.25, 54000, 3, 1.7e10, 0);
	int egy = tu_partner(s, "EGY", "middle-east", 0, 1.2, 0, 0, 1, 1e-7, 123456.789);
	set_str(&s->partners[pol].alliance, "nato");
	set_str(&s->partners[jpn].name, "Japan \xe6\x97\xa5\xe6\x9c\xac");
	s->partners[egy].eum_status = ALLOT_EUM_DELINQUENT;
	s->partners[jpn].defense_year = 2023; /* figure years (v3) */
	s->partners[egy].growth_year = ALLOT_NO_FIGURE;
	int l1 = tu_line(s, "PAC3", 41.67, 0.5);
	int l2 = tu_line(s, "GMLRS", 2000.0 / 12, 0);
	s->lines[l1].rate_basis = ALLOT_RATE_CITED; /* rate_basis (v3) */
	s->lines[l2].rate_basis = ALLOT_RATE_ESTIMATE;
	int y1 = tu_system(s, "PAC-3 MSE", l1, 4.1e6, 3, 1);
	int y2 = tu_system(s, "GMLRS", l2, 168000, 2, 0);
	s->systems[y1].catalog = 1;
	set_str(&s->systems[y2].foreign_alternative, "K239");
	tu_order(s, "O-3", pol, y1, 48, 0, "2024-11", "2027-01", 1);
	tu_order(s, "O-1", jpn, y2, 1000, 250, "2023-03", NULL, -1);
	tu_order(s, "O-2", egy, y1, 10, 10, "2025-07", "2025-09", 2);
	tu_order(s, "O-10", pol, y2, 1000000000, 0, "2026-01", NULL, 7);
	int ga = tu_mineral(s, "gallium", 1200.5);
	int nd = tu_mineral(s, "neodymium", 0);
	s->minerals[ga].price_usd_per_kg = 540.25;
	tu_supply(s, ga, "domestic", 10);
	tu_supply(s, ga, "china", 80.001);
	tu_supply(s, nd, "allied", 3);
	tu_bom(s, y1, ga, 0.35);
	tu_bom(s, y2, nd, 1.25);
	tu_event(s, "2026-03", ALLOT_EV_CAPACITY, "PAC3", "55.5");
	tu_event(s, "2026-04", ALLOT_EV_US_SHARE, "GMLRS", "0.25");
	tu_event(s, "2026-05", ALLOT_EV_BUDGET_CAP, "EGY", "2e7");
	tu_event(s, "2026-06", ALLOT_EV_EUM_STATUS, "EGY", "violation");
	tu_event(s, "2026-07", ALLOT_EV_WEIGHT, "economic", "0.4");
	tu_investment(s, pol, l1, 2.5e9, "2026-01", 8.33, "2028-01");
	tu_embargo(s, "china", ga, "2026-01", NULL);
	tu_embargo(s, "china", -1, "2030-01", "2030-12");
	return s;
}

static void same_double(double a, double b)
{
	assert_memory_equal(&a, &b, sizeof a);
}

/* Every field of every row; the name is the store's, not compared. */
static void same_scenario(const struct allot_scenario *a, const struct allot_scenario *b)
{
	assert_int_equal(a->as_of, b->as_of);
	assert_int_equal(a->horizon_months, b->horizon_months);
	assert_int_equal(a->switch_month, b->switch_month);
	assert_string_equal(a->policy_file, b->policy_file);
	assert_string_equal(a->notes, b->notes);
	assert_int_equal(a->present, b->present);
	tu_same_policy(&a->policy, &b->policy);
	assert_int_equal(a->n_partners, b->n_partners);
	for (size_t i = 0; i < a->n_partners; i++) {
		const struct allot_partner *x = &a->partners[i], *y = &b->partners[i];
		assert_string_equal(x->iso3, y->iso3);
		assert_string_equal(x->name, y->name);
		assert_string_equal(x->region, y->region);
		assert_string_equal(x->alliance, y->alliance);
		assert_int_equal(x->frontline, y->frontline);
		same_double(x->defense_pct_gdp, y->defense_pct_gdp);
		same_double(x->real_growth_3y_pct, y->real_growth_3y_pct);
		same_double(x->us_troops, y->us_troops);
		assert_int_equal(x->basing_access, y->basing_access);
		same_double(x->us_purchases_5y_usd, y->us_purchases_5y_usd);
		same_double(x->invest_in_us_usd, y->invest_in_us_usd);
		assert_int_equal(x->eum_status, y->eum_status);
		assert_int_equal(x->defense_year, y->defense_year);
		assert_int_equal(x->growth_year, y->growth_year);
	}
	assert_int_equal(a->n_systems, b->n_systems);
	for (size_t i = 0; i < a->n_systems; i++) {
		const struct allot_system *x = &a->systems[i], *y = &b->systems[i];
		assert_string_equal(x->system_id, y->system_id);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->line, y->line);
		same_double(x->unit_cost_usd, y->unit_cost_usd);
		assert_int_equal(x->lead_months, y->lead_months);
		assert_int_equal(x->eeum, y->eeum);
		assert_int_equal(x->catalog, y->catalog);
		assert_string_equal(x->foreign_alternative, y->foreign_alternative);
	}
	assert_int_equal(a->n_lines, b->n_lines);
	for (size_t i = 0; i < a->n_lines; i++) {
		assert_string_equal(a->lines[i].line_id, b->lines[i].line_id);
		assert_string_equal(a->lines[i].name, b->lines[i].name);
		same_double(a->lines[i].rate_per_month, b->lines[i].rate_per_month);
		same_double(a->lines[i].us_share, b->lines[i].us_share);
		assert_int_equal(a->lines[i].rate_basis, b->lines[i].rate_basis);
	}
	assert_int_equal(a->n_orders, b->n_orders);
	for (size_t i = 0; i < a->n_orders; i++) {
		const struct allot_order *x = &a->orders[i], *y = &b->orders[i];
		assert_string_equal(x->order_id, y->order_id);
		assert_int_equal(x->partner, y->partner);
		assert_int_equal(x->system, y->system);
		assert_int_equal(x->qty, y->qty);
		assert_int_equal(x->delivered, y->delivered);
		assert_int_equal(x->loa_month, y->loa_month);
		assert_int_equal(x->need_month, y->need_month);
		assert_int_equal(x->partner_rank, y->partner_rank);
		assert_int_equal(x->supply, y->supply);
		assert_int_equal(x->max_per_month, y->max_per_month);
		assert_int_equal(x->not_before, y->not_before);
	}
	assert_int_equal(a->n_wip, b->n_wip);
	for (size_t i = 0; i < a->n_wip; i++) {
		assert_int_equal(a->wip[i].order, b->wip[i].order);
		assert_int_equal(a->wip[i].month, b->wip[i].month);
		assert_int_equal(a->wip[i].units, b->wip[i].units);
	}
	assert_int_equal(a->n_minerals, b->n_minerals);
	for (size_t i = 0; i < a->n_minerals; i++) {
		assert_string_equal(a->minerals[i].mineral_id, b->minerals[i].mineral_id);
		assert_string_equal(a->minerals[i].name, b->minerals[i].name);
		assert_int_equal(a->minerals[i].stock_g, b->minerals[i].stock_g);
		same_double(a->minerals[i].price_usd_per_kg, b->minerals[i].price_usd_per_kg);
	}
	assert_int_equal(a->n_supply, b->n_supply);
	for (size_t i = 0; i < a->n_supply; i++) {
		assert_int_equal(a->supply[i].mineral, b->supply[i].mineral);
		assert_string_equal(a->supply[i].source, b->supply[i].source);
		assert_int_equal(a->supply[i].g_per_month, b->supply[i].g_per_month);
	}
	assert_int_equal(a->n_bom, b->n_bom);
	for (size_t i = 0; i < a->n_bom; i++) {
		assert_int_equal(a->bom[i].system, b->bom[i].system);
		assert_int_equal(a->bom[i].mineral, b->bom[i].mineral);
		assert_int_equal(a->bom[i].g_per_unit, b->bom[i].g_per_unit);
	}
	assert_int_equal(a->n_events, b->n_events);
	for (size_t i = 0; i < a->n_events; i++) {
		const struct allot_event *x = &a->events[i], *y = &b->events[i];
		assert_int_equal(x->month, y->month);
		assert_int_equal(x->type, y->type);
		assert_string_equal(x->target, y->target);
		assert_string_equal(x->value, y->value);
		assert_int_equal(x->index, y->index);
		same_double(x->num, y->num);
		assert_int_equal(x->eum, y->eum);
	}
	assert_int_equal(a->n_investments, b->n_investments);
	for (size_t i = 0; i < a->n_investments; i++) {
		const struct allot_investment *x = &a->investments[i], *y = &b->investments[i];
		assert_int_equal(x->partner, y->partner);
		assert_int_equal(x->line, y->line);
		same_double(x->usd, y->usd);
		assert_int_equal(x->month, y->month);
		same_double(x->added_rate, y->added_rate);
		assert_int_equal(x->online_month, y->online_month);
	}
	assert_int_equal(a->n_embargoes, b->n_embargoes);
	for (size_t i = 0; i < a->n_embargoes; i++) {
		assert_string_equal(a->embargoes[i].source, b->embargoes[i].source);
		assert_int_equal(a->embargoes[i].mineral, b->embargoes[i].mineral);
		assert_int_equal(a->embargoes[i].start_month, b->embargoes[i].start_month);
		assert_int_equal(a->embargoes[i].end_month, b->embargoes[i].end_month);
	}
}

/* The whole content of the store as text, from a second connection:
 * equal dumps mean an identical store. */
static const char *const all_tables[] = {
	"scenarios",       "partners",   "lines",  "systems",     "orders",    "minerals",
	"supply",          "bom",        "events", "investments", "embargoes", "runs",
	"run_allocations", "run_orders",
};

static char *dump(const char *db)
{
	sqlite3 *c;
	assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	for (size_t t = 0; t < sizeof all_tables / sizeof *all_tables; t++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT * FROM %s", all_tables[t]);
		sqlite3_stmt *q;
		assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &q, NULL), SQLITE_OK);
		fprintf(out, "[%s]\n", all_tables[t]);
		while (sqlite3_step(q) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(q); i++) {
				const unsigned char *v = sqlite3_column_text(q, i);
				fprintf(out, "%s%s", i ? "|" : "", v ? (const char *)v : "NULL");
			}
			fputc('\n', out);
		}
		sqlite3_finalize(q);
	}
	fclose(out);
	sqlite3_close(c);
	return text;
}

static char *query_text(const char *db, const char *sql)
{
	sqlite3 *c;
	assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &q, NULL), SQLITE_OK);
	char *out = NULL;
	if (sqlite3_step(q) == SQLITE_ROW)
		out = strdup(sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0)
						       : "NULL");
	sqlite3_finalize(q);
	sqlite3_close(c);
	return out;
}

static void assert_integrity(const char *db)
{
	char *ok = query_text(db, "PRAGMA integrity_check");
	assert_string_equal(ok, "ok");
	free(ok);
	char *fk = query_text(db, "SELECT count(*) FROM pragma_foreign_key_check");
	assert_string_equal(fk, "0");
	free(fk);
}

static void put_ok(struct fx *f, const char *name, const struct allot_scenario *s)
{
	int rc = allot_store_put_scenario(f->st, name, s, &f->d);
	if (rc)
		allot_diags_print(&f->d, stderr);
	assert_int_equal(rc, ALLOT_OK);
}

static struct allot_scenario *get_ok(struct fx *f, const char *name)
{
	struct allot_scenario *g = NULL;
	int rc = allot_store_get_scenario(f->st, name, &g, &f->d);
	if (rc)
		allot_diags_print(&f->d, stderr);
	assert_int_equal(rc, ALLOT_OK);
	return g;
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                   */

static void check_fips_vectors(void)
{
	static const struct {
		const char *msg, *hex;
	} v[] = {
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		struct sha256 c;
		uint8_t dg[32];
		char hex[65];
		sha256_init(&c);
		sha256_update(&c, v[i].msg, strlen(v[i].msg));
		sha256_final(&c, dg);
		sha256_hex(dg, hex);
		assert_string_equal(hex, v[i].hex);
		/* Byte by byte gives the same digest (the buffering path). */
		sha256_init(&c);
		for (const char *p = v[i].msg; *p; p++)
			sha256_update(&c, p, 1);
		sha256_final(&c, dg);
		sha256_hex(dg, hex);
		assert_string_equal(hex, v[i].hex);
	}
	/* One million 'a' (FIPS 180-2 appendix B.3). */
	struct sha256 c;
	uint8_t dg[32];
	char hex[65], a[1000];
	memset(a, 'a', sizeof a);
	sha256_init(&c);
	for (int i = 0; i < 1000; i++)
		sha256_update(&c, a, sizeof a);
	sha256_final(&c, dg);
	sha256_hex(dg, hex);
	assert_string_equal(hex,
			    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The vectors by the portable blocks, then by the CPU's SHA extensions
 * (the same portable code again on a CPU without them). */
static void sha256_fips_vectors(void **state)
{
	(void)state;
	sha256_portable(1);
	check_fips_vectors();
	sha256_portable(0);
	check_fips_vectors();
}

/* Both block functions agree on random messages of every length around
 * the block and padding boundaries, fed in random pieces. */
static void sha256_paths_agree(void **state)
{
	(void)state;
	if (!sha256_accelerated())
		skip(); /* one block function only: nothing to compare */
	uint64_t x = 0x9e3779b97f4a7c15u;
	uint8_t msg[1100];
	for (int trial = 0; trial < 600; trial++) {
		size_t len = trial < 200 ? (size_t)trial : (size_t)(trial * 7 % 1100);
		for (size_t i = 0; i < len; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			msg[i] = (uint8_t)x;
		}
		uint8_t dg[2][32];
		for (int mode = 0; mode < 2; mode++) {
			sha256_portable(mode == 0);
			struct sha256 c;
			sha256_init(&c);
			for (size_t at = 0, piece = 1 + (size_t)trial % 97; at < len; at += piece)
				sha256_update(&c, msg + at, len - at < piece ? len - at : piece);
			sha256_final(&c, dg[mode]);
		}
		assert_memory_equal(dg[0], dg[1], 32);
	}
	sha256_portable(0);
}

/* Leaves f's store as an older allot would have (sql), opens it again
 * (migrating it) and checks it is at the current version, 6.  Every
 * downgrade below version 6 drops version 6's columns first (V6_DROP). */
static void downgrade_and_reopen(struct fx *f, const char *sql)
{
	allot_store_close(f->st);
	f->st = NULL;
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(f->db, &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);
	assert_int_equal(allot_store_open(f->db, &f->st, &f->d), ALLOT_OK);
	char *v = query_text(f->db, "PRAGMA user_version");
	assert_string_equal(v, "6");
	free(v);
}

#define V6_DROP                                            \
	"ALTER TABLE orders DROP COLUMN loa_basis;"        \
	"ALTER TABLE systems DROP COLUMN unit_cost_basis;" \
	"ALTER TABLE minerals DROP COLUMN stock_basis;"    \
	"ALTER TABLE partners DROP COLUMN purchases_basis;"

/* Puts s as "default" and reads it back field for field. */
static void put_round_trips(struct fx *f, const struct allot_scenario *s)
{
	put_ok(f, "default", s);
	struct allot_scenario *g = get_ok(f, "default");
	same_scenario(s, g);
	allot_scenario_free(g);
}

/* The orders' column col as stored, in file order, '-' for NULL. */
static void orders_column_is(struct fx *f, const char *col, const char *want)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT group_concat(ifnull(%s, '-'), ',')"
		 " FROM (SELECT %s FROM orders ORDER BY seq)",
		 col, col);
	char *v = query_text(f->db, sql);
	assert_string_equal(v, want);
	free(v);
}

/* Supply types and work in progress survive the store (schema version 3),
 * and a version 2 store is migrated: its orders read as new, with no WIP. */
static void supply_and_wip_round_trip_and_migrate(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s = rich(0);
	s->orders[1].supply = ALLOT_SUPPLY_LEASE;
	s->orders[2].supply = ALLOT_SUPPLY_LICENCE;
	tu_wip(s, 0, "2025-07", 2);
	tu_wip(s, 0, "2025-06", 1);
	put_round_trips(f, s);
	orders_column_is(f, "supply", "new,lease,licence,new");
	/* Back to version 2, as an older allot left it; migrated 2 -> 3 -> 4 -> 5. */
	downgrade_and_reopen(f, V6_DROP "DROP TABLE wip; ALTER TABLE orders DROP COLUMN supply;"
					"ALTER TABLE orders DROP COLUMN max_per_month;"
					"ALTER TABLE orders DROP COLUMN not_before;"
					"ALTER TABLE lines DROP COLUMN rate_basis;"
					"ALTER TABLE partners DROP COLUMN defense_year;"
					"ALTER TABLE partners DROP COLUMN growth_year;"
					"PRAGMA user_version = 2;");
	struct allot_scenario *g = get_ok(f, "default");
	assert_int_equal(g->n_wip, 0);
	for (size_t i = 0; i < g->n_orders; i++)
		assert_int_equal(g->orders[i].supply, ALLOT_SUPPLY_NEW);
	allot_scenario_free(g);
	put_round_trips(f, s); /* the migrated store takes them again */
	allot_scenario_free(s);
}

/* The orders' delivery pace survives the store (schema version 4): NULL
 * for no limit, the number otherwise; a version 3 store is migrated, its
 * orders read without a limit, and it takes the pace again. */
static void pace_round_trips_and_migrates(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s = rich(0);
	s->orders[1].max_per_month = 4;
	s->orders[3].max_per_month = 1000000000;
	put_ok(f, "default", s);
	struct allot_scenario *g = get_ok(f, "default");
	same_scenario(s, g);
	assert_int_equal(g->orders[1].max_per_month, 4);
	allot_scenario_free(g);
	orders_column_is(f, "max_per_month", "-,4,-,1000000000");
	downgrade_and_reopen(f, V6_DROP "ALTER TABLE orders DROP COLUMN max_per_month;"
					"ALTER TABLE orders DROP COLUMN not_before;"
					"PRAGMA user_version = 3;");
	g = get_ok(f, "default");
	for (size_t i = 0; i < g->n_orders; i++)
		assert_int_equal(g->orders[i].max_per_month, 0);
	allot_scenario_free(g);
	put_round_trips(f, s);
	allot_scenario_free(s);
}

/* The orders' earliest delivery survives the store (schema version 5):
 * NULL for none, the month otherwise; a version 4 store is migrated, its
 * orders read without one, and it takes them again. */
static void not_before_round_trips_and_migrates(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s = rich(0);
	s->orders[2].not_before = tu_m("2027-06");
	put_ok(f, "default", s);
	struct allot_scenario *g = get_ok(f, "default");
	same_scenario(s, g);
	assert_int_equal(g->orders[2].not_before, tu_m("2027-06"));
	assert_int_equal(g->orders[0].not_before, ALLOT_NO_MONTH);
	allot_scenario_free(g);
	orders_column_is(f, "not_before", "-,-,2027-06,-");
	downgrade_and_reopen(f, V6_DROP "ALTER TABLE orders DROP COLUMN not_before;"
					"PRAGMA user_version = 4;");
	g = get_ok(f, "default");
	for (size_t i = 0; i < g->n_orders; i++)
		assert_int_equal(g->orders[i].not_before, ALLOT_NO_MONTH);
	allot_scenario_free(g);
	put_round_trips(f, s);
	allot_scenario_free(s);
}

/* The bases of estimates survive the store (schema version 6, issue 15):
 * an order's loa_basis, a system's unit_cost_basis, a mineral's
 * stock_basis and a partner's us_purchases_basis; a version 5 store is
 * migrated, its rows read as not stated ('': no basis, never "month
 * known"), and it takes them again. */
static void bases_round_trip_and_migrate(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s = rich(0);
	s->orders[1].loa_basis = ALLOT_LOA_YEAR;
	s->orders[2].loa_basis = ALLOT_LOA_MONTH;
	s->systems[0].unit_cost_basis = ALLOT_RATE_CITED;
	s->systems[1].unit_cost_basis = ALLOT_RATE_ESTIMATE;
	s->minerals[0].stock_basis = ALLOT_RATE_ESTIMATE;
	s->partners[0].purchases_basis = ALLOT_PURCHASES_TIV;
	s->partners[1].purchases_basis = ALLOT_PURCHASES_USD;
	put_ok(f, "default", s);
	struct allot_scenario *g = get_ok(f, "default");
	same_scenario(s, g);
	assert_int_equal(g->orders[0].loa_basis, ALLOT_LOA_UNSTATED);
	assert_int_equal(g->orders[1].loa_basis, ALLOT_LOA_YEAR);
	assert_int_equal(g->orders[2].loa_basis, ALLOT_LOA_MONTH);
	assert_int_equal(g->systems[0].unit_cost_basis, ALLOT_RATE_CITED);
	assert_int_equal(g->systems[1].unit_cost_basis, ALLOT_RATE_ESTIMATE);
	assert_int_equal(g->minerals[0].stock_basis, ALLOT_RATE_ESTIMATE);
	assert_int_equal(g->partners[0].purchases_basis, ALLOT_PURCHASES_TIV);
	assert_int_equal(g->partners[1].purchases_basis, ALLOT_PURCHASES_USD);
	allot_scenario_free(g);
	orders_column_is(f, "loa_basis", ",year,month,");
	downgrade_and_reopen(f, V6_DROP "PRAGMA user_version = 5;");
	g = get_ok(f, "default");
	for (size_t i = 0; i < g->n_orders; i++)
		assert_int_equal(g->orders[i].loa_basis, ALLOT_LOA_UNSTATED);
	for (size_t i = 0; i < g->n_systems; i++)
		assert_int_equal(g->systems[i].unit_cost_basis, ALLOT_RATE_UNSTATED);
	for (size_t i = 0; i < g->n_minerals; i++)
		assert_int_equal(g->minerals[i].stock_basis, ALLOT_RATE_UNSTATED);
	for (size_t i = 0; i < g->n_partners; i++)
		assert_int_equal(g->partners[i].purchases_basis, ALLOT_PURCHASES_UNSTATED);
	assert_false(allot_scenario_has_loa_basis(g));
	allot_scenario_free(g);
	put_round_trips(f, s);
	allot_scenario_free(s);
}

static void put_then_get_is_identical(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s = rich(0);
	put_ok(f, "default", s);
	struct allot_scenario *g = get_ok(f, "default");
	assert_string_equal(g->name, "default");
	same_scenario(s, g);
	/* Spot checks of the resolution, against hand-computed values. */
	assert_int_equal(g->orders[3].partner, 0);
	assert_int_equal(g->orders[1].system, 1);
	assert_int_equal(g->events[0].index, 0); /* PAC3 */
	assert_int_equal(g->events[2].index, 2); /* EGY */
	assert_int_equal(g->events[3].eum, ALLOT_EUM_VIOLATION);
	assert_int_equal(g->events[4].index, ALLOT_CRIT_ECONOMIC);
	assert_true(g->events[2].num == 2e7);
	assert_int_equal(g->embargoes[1].mineral, -1);
	assert_int_equal(g->present, 0x3f);
	/* A scenario with no optional files comes back without them. */
	struct allot_scenario *bare = tu_scenario("2026-01", 180);
	tu_partner(bare, "USA", "americas", 0, 3, 0, 0, 0, 0, 0);
	put_ok(f, "bare", bare);
	struct allot_scenario *gb = get_ok(f, "bare");
	same_scenario(bare, gb);
	assert_int_equal(gb->present, 0);
	assert_int_equal(gb->switch_month, ALLOT_NO_MONTH);
	/* The stored form reads well in SQL. */
	char *o = query_text(f->db, "SELECT order_id || ',' || iso3 || ',' || system_id || ','"
				    " || loa_month || ',' || ifnull(need_month, '-') || ','"
				    " || ifnull(partner_rank, '-') FROM orders WHERE seq = 1"
				    " AND scenario_id = (SELECT id FROM scenarios"
				    " WHERE name = 'default')");
	assert_string_equal(o, "O-1,JPN,GMLRS,2023-03,-,-");
	free(o);
	char *pj = query_text(f->db, "SELECT policy_json FROM scenarios WHERE name = 'bare'");
	assert_non_null(strstr(pj, "{\"weights\": {\"investment\": 0.3,"
				   " \"growth\": 0.1,"));
	assert_non_null(strstr(pj, "\"tiers\": [65, 40]}"));
	free(pj);
	assert_integrity(f->db);
	allot_scenario_free(gb);
	allot_scenario_free(bare);
	allot_scenario_free(g);
	allot_scenario_free(s);
}

static void names_list_sorted_and_replace_keeps_others(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *a = rich(0), *b = rich(1), *c = rich(2);
	put_ok(f, "zeta", a);
	put_ok(f, "alpha", b);
	put_ok(f, "Beta", c);
	char **v = NULL;
	assert_int_equal(allot_store_list_scenarios(f->st, &v), ALLOT_OK);
	assert_string_equal(v[0], "Beta");
	assert_string_equal(v[1], "alpha");
	assert_string_equal(v[2], "zeta");
	assert_null(v[3]);
	allot_strv_free(v);

	/* No name and no "default" among several: not found, names listed. */
	struct allot_scenario *g = NULL;
	assert_int_equal(allot_store_get_scenario(f->st, NULL, &g, &f->d), ALLOT_ENOTFOUND);
	assert_null(g);
	assert_int_equal(f->d.n, 1);
	assert_non_null(strstr(f->d.v[0].msg, "found 3: Beta, alpha, zeta"));
	assert_int_equal(allot_store_get_scenario(f->st, "gamma", &g, &f->d), ALLOT_ENOTFOUND);
	assert_non_null(strstr(f->d.v[1].msg, "named 'gamma', found only: Beta, alpha, zeta"));

	/* Replacing alpha with c changes alpha only. */
	put_ok(f, "alpha", c);
	g = get_ok(f, "alpha");
	same_scenario(c, g);
	assert_int_equal(g->horizon_months, 122);
	allot_scenario_free(g);
	g = get_ok(f, "zeta");
	same_scenario(a, g);
	allot_scenario_free(g);
	g = get_ok(f, "Beta");
	same_scenario(c, g);
	allot_scenario_free(g);
	char *n = query_text(f->db, "SELECT count(*) FROM orders");
	assert_string_equal(n, "12");
	free(n);

	/* With a "default", no name picks it. */
	put_ok(f, "default", b);
	g = get_ok(f, NULL);
	assert_string_equal(g->name, "default");
	same_scenario(b, g);
	allot_scenario_free(g);

	/* Bad names are refused before the store is touched. */
	const char *bad[] = { "", "-x", ".hidden", "a b", "a/b", "\xc3\xa9t\xc3\xa9" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(allot_store_put_scenario(f->st, bad[i], a, &f->d), ALLOT_EINPUT);
	allot_scenario_free(a);
	allot_scenario_free(b);
	allot_scenario_free(c);
}

static void only_scenario_is_found_without_a_name(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *g = NULL;
	assert_int_equal(allot_store_get_scenario(f->st, NULL, &g, &f->d), ALLOT_ENOTFOUND);
	assert_non_null(strstr(f->d.v[0].msg, "found an empty store"));
	struct allot_scenario *s = rich(0);
	put_ok(f, "only-one", s);
	g = get_ok(f, NULL);
	assert_string_equal(g->name, "only-one");
	allot_scenario_free(g);
	allot_scenario_free(s);
}

/* lib/synth.c's scenario of n orders on `lines` lines (seed 1). */
static struct allot_scenario *synth(size_t n, size_t lines)
{
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = n;
	sp.lines = lines;
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_synth_scenario(&sp, &s), ALLOT_OK);
	return s;
}

/* The connection's page cache is its usual 64 MiB (store.c), as a put
 * leaves it whether it succeeded or failed (store_put_cache). */
static void assert_usual_cache(struct fx *f)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(f->st->db, "PRAGMA cache_size", -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), -65536);
	sqlite3_finalize(q);
}

/* A put of more orders than one multi-row INSERT holds (store_batch.c,
 * STORE_BATCH 64): every row reads back; a duplicate id in the first batch,
 * in a later one or in the single-row tail is reported at its own row, and
 * the store and its cache are left as they were. */
static void batched_put_round_trips_and_names_the_failing_row(void **state)
{
	struct fx *f = *state;
	/* four batches of 64, then 44 rows one by one */
	struct allot_scenario *s = synth(300, 6);
	put_ok(f, "big", s);
	struct allot_scenario *g = get_ok(f, "big");
	same_scenario(s, g);
	allot_scenario_free(g);
	char *before = dump(f->db);
	static const size_t dup_at[] = { 2, 64, 65, 200, 256, 257, 300 };
	for (size_t k = 0; k < sizeof dup_at / sizeof *dup_at; k++) {
		struct allot_scenario *bad = synth(300, 6);
		set_str(&bad->orders[dup_at[k] - 1].order_id, bad->orders[0].order_id);
		size_t n0 = f->d.n;
		assert_int_equal(allot_store_put_scenario(f->st, "big", bad, &f->d), ALLOT_ESTORE);
		assert_int_equal(f->d.n, n0 + 1);
		char want[160];
		snprintf(want, sizeof want,
			 "cannot store orders row %zu: UNIQUE constraint failed: "
			 "orders.scenario_id, orders.order_id",
			 dup_at[k]);
		assert_string_equal(f->d.v[n0].msg, want);
		assert_usual_cache(f); /* the failed put set it back too */
		char *after = dump(f->db);
		assert_string_equal(before, after);
		free(after);
		allot_scenario_free(bad);
	}
	assert_integrity(f->db);
	g = get_ok(f, "big");
	same_scenario(s, g);
	allot_scenario_free(g);
	free(before);
	allot_scenario_free(s);
}

/* The seqs (0-based, in order) of the orders whose column `col` is not
 * NULL, as "3,64" ("" for none). */
static char *non_null_seqs(struct fx *f, const char *col)
{
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT ifnull(group_concat(seq, ','), '') FROM (SELECT seq FROM orders"
		 " WHERE %s IS NOT NULL ORDER BY seq)",
		 col);
	return query_text(f->db, sql);
}

/* A put leaves out of its INSERT the columns that hold, in every row, what
 * the column gets when left out (NULL, or a migrated column's DEFAULT):
 * such a scenario reads back as it was, and one row that has a value, in
 * the first batch, at a batch's edge or in the one-by-one tail, is stored
 * in its own row and nowhere else.  Each put also leaves the connection's
 * cache at its usual 64 MiB. */
static void left_out_columns_round_trip(void **state)
{
	struct fx *f = *state;
	/* four batches of 64, then 44 rows one by one */
	struct allot_scenario *s = synth(300, 6);
	for (size_t i = 0; i < s->n_orders; i++) {
		struct allot_order *o = &s->orders[i];
		o->need_month = o->not_before = ALLOT_NO_MONTH;
		o->partner_rank = -1;
		o->max_per_month = 0;
		o->supply = ALLOT_SUPPLY_NEW;
	}
	for (size_t i = 0; i < s->n_lines; i++)
		s->lines[i].rate_basis = 0;
	for (size_t i = 0; i < s->n_systems; i++)
		s->systems[i].not_mde = 0;
	put_ok(f, "big", s);
	struct allot_scenario *g = get_ok(f, "big");
	same_scenario(s, g);
	allot_scenario_free(g);
	static const char *const cols[] = { "need_month", "partner_rank", "max_per_month",
					    "not_before" };
	for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
		char *v = non_null_seqs(f, cols[c]);
		assert_string_equal(v, "");
		free(v);
	}
	char *v = query_text(f->db, "SELECT count(*) FROM orders WHERE supply = 'new'");
	assert_string_equal(v, "300");
	free(v);
	static const size_t at[] = { 0, 63, 64, 255, 256, 299 };
	for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
		struct allot_order *o = &s->orders[at[k]];
		o->need_month = s->as_of + 30;
		o->not_before = s->as_of + 7;
		o->partner_rank = 2;
		o->max_per_month = 5;
		o->supply = ALLOT_SUPPLY_LEASE;
		size_t line = at[k] % s->n_lines, sys = at[k] % s->n_systems;
		s->lines[line].rate_basis = ALLOT_RATE_ESTIMATE;
		s->systems[sys].not_mde = 1;
		put_ok(f, "big", s);
		char want[16];
		snprintf(want, sizeof want, "%zu", at[k]);
		for (size_t c = 0; c < sizeof cols / sizeof *cols; c++) {
			v = non_null_seqs(f, cols[c]);
			assert_string_equal(v, want);
			free(v);
		}
		v = query_text(f->db, "SELECT group_concat(seq) FROM orders WHERE supply <> 'new'");
		assert_string_equal(v, want);
		free(v);
		g = get_ok(f, "big");
		same_scenario(s, g);
		assert_int_equal(g->orders[at[k]].not_before, s->as_of + 7);
		assert_int_equal(g->orders[at[k]].supply, ALLOT_SUPPLY_LEASE);
		assert_int_equal(g->lines[line].rate_basis, ALLOT_RATE_ESTIMATE);
		assert_int_equal(g->systems[sys].not_mde, 1);
		allot_scenario_free(g);
		v = query_text(f->db, "SELECT count(*) FROM orders");
		assert_string_equal(v, "300");
		free(v);
		o->need_month = o->not_before = ALLOT_NO_MONTH;
		o->partner_rank = -1;
		o->max_per_month = 0;
		o->supply = ALLOT_SUPPLY_NEW;
		s->lines[line].rate_basis = 0;
		s->systems[sys].not_mde = 0;
		assert_usual_cache(f);
	}
	assert_integrity(f->db);
	allot_scenario_free(s);
}

/* "YYYY-MM" or "-" for none. */
static const char *month_or_dash(allot_month m, char buf[8])
{
	if (m == ALLOT_NO_MONTH)
		return "-";
	allot_month_format(m, buf);
	return buf;
}

/* synth(n, lines) stored as name, in *s, and its plan (default options). */
static struct allot_plan *stored_plan(struct fx *f, const char *name, size_t n, size_t lines,
				      struct allot_scenario **s)
{
	*s = synth(n, lines);
	put_ok(f, name, *s);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(*s, &o, &p), ALLOT_OK);
	return p;
}

/* allot plan --db puts its allocations and order results 64 rows a
 * statement (store_batch.c): every row reads back as the plan has it, and
 * a row that fails (a duplicate order id in the plan's model) is named,
 * with the store left as it was. */
static void batched_put_plan_round_trips_and_names_the_failing_row(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s;
	/* four batches of 64, then 44 rows one by one */
	struct allot_plan *p = stored_plan(f, "big", 300, 6, &s);
	assert_true(p->n_allocs > 2 * 64 && p->n_allocs % 64 != 0);
	char *before = dump(f->db);
	int64_t run = 0;
	assert_int_equal(allot_store_put_plan(f->st, "big", p, &run, &f->d), ALLOT_OK);
	assert_usual_cache(f);

	char *want = NULL, m1[8], m2[8];
	size_t len = 0;
	FILE *w = open_memstream(&want, &len);
	for (size_t i = 0; i < p->n_allocs; i++) {
		const struct allot_alloc *a = &p->allocs[i];
		const struct allot_order *od = &s->orders[a->order];
		allot_month m = s->as_of + a->month;
		fprintf(w, "%s%zu|%s|%s|%lld|%s", i ? " " : "", i, od->order_id,
			month_or_dash(m, m1), (long long)a->units,
			month_or_dash(m + s->systems[od->system].lead_months, m2));
	}
	fclose(w);
	char sql[512];
	snprintf(sql, sizeof sql,
		 "SELECT group_concat(seq || '|' || order_id || '|' || month || '|' || units"
		 " || '|' || delivery_month, ' ') FROM (SELECT * FROM run_allocations"
		 " WHERE run_id = %lld ORDER BY seq)",
		 (long long)run);
	char *got = query_text(f->db, sql);
	assert_string_equal(got, want);
	free(got);
	free(want);

	w = open_memstream(&want, &len);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *od = &s->orders[i];
		const struct allot_order_result *r = &p->orders[i];
		allot_month end = r->completion != ALLOT_NO_MONTH ? r->completion
								  : s->as_of + s->horizon_months;
		char late[24] = "-";
		if (od->need_month != ALLOT_NO_MONTH)
			snprintf(late, sizeof late, "%d",
				 end > od->need_month ? (int)(end - od->need_month) : 0);
		fprintf(w, "%s%zu|%s|%lld|%lld|%s|%s|%lld|%s|%lld|%lld|%lld", i ? " " : "", i,
			od->order_id, (long long)r->produced, (long long)r->delivered_in_h,
			month_or_dash(r->first_delivery, m1), month_or_dash(r->completion, m2),
			(long long)r->short_units, late, (long long)r->blocked,
			(long long)r->cancelled, (long long)r->tier0);
	}
	fclose(w);
	snprintf(sql, sizeof sql,
		 "SELECT group_concat(seq || '|' || order_id || '|' || produced || '|' ||"
		 " delivered_in_h || '|' || ifnull(first_delivery_month, '-') || '|' ||"
		 " ifnull(completion_month, '-') || '|' || units_short || '|' ||"
		 " ifnull(months_late, '-') || '|' || blocked || '|' || cancelled || '|' ||"
		 " tier0, ' ') FROM (SELECT * FROM run_orders WHERE run_id = %lld"
		 " ORDER BY seq)",
		 (long long)run);
	got = query_text(f->db, sql);
	assert_string_equal(got, want);
	free(got);
	free(want);
	assert_int_equal(allot_store_delete_run(f->st, run, &f->d), ALLOT_OK);
	char *after = dump(f->db);
	assert_string_equal(before, after);
	free(after);

	/* a duplicate order id in the plan's model: its result row is refused */
	static const size_t dup_at[] = { 2, 64, 65, 200, 256, 257, 300 };
	for (size_t k = 0; k < sizeof dup_at / sizeof *dup_at; k++) {
		char *keep = s->orders[dup_at[k] - 1].order_id;
		s->orders[dup_at[k] - 1].order_id = s->orders[0].order_id;
		size_t n0 = f->d.n;
		assert_int_equal(allot_store_put_plan(f->st, "big", p, &run, &f->d), ALLOT_ESTORE);
		s->orders[dup_at[k] - 1].order_id = keep;
		assert_int_equal(f->d.n, n0 + 1);
		char msg[160];
		snprintf(msg, sizeof msg,
			 "cannot store order result %zu: UNIQUE constraint failed: "
			 "run_orders.run_id, run_orders.order_id",
			 dup_at[k]);
		assert_string_equal(f->d.v[n0].msg, msg);
		assert_usual_cache(f); /* the failed put_plan set it back too */
		after = dump(f->db);
		assert_string_equal(before, after);
		free(after);
	}
	assert_integrity(f->db);
	free(before);
	allot_plan_free(p);
	allot_scenario_free(s);
}

/* Every allocation failure during a batched put_plan is a clean error that
 * leaves the store as it was. */
static void batched_put_plan_survives_every_allocation_failure(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s;
	struct allot_plan *p = stored_plan(f, "default", 100, 4, &s);
	assert_true(p->n_allocs >= 64);
	char *before = dump(f->db);
	long n;
	int rc = -1;
	int64_t run = 0;
	for (n = 1; n < 100000; n++) {
		struct allot_diags d;
		allot_diags_init(&d);
		mem_fail_after(n, 0);
		rc = allot_store_put_plan(f->st, "default", p, &run, &d);
		mem_fail_after(0, 0);
		allot_diags_free(&d);
		if (rc == ALLOT_OK)
			break;
		assert_true(rc == ALLOT_ENOMEM || rc == ALLOT_ESTORE);
		char *after = dump(f->db);
		if (strcmp(before, after) != 0)
			fail_msg("allocation %ld: the store changed after a failed put_plan", n);
		free(after);
	}
	assert_int_equal(rc, ALLOT_OK);
	assert_true(n > 20);
	assert_integrity(f->db);
	char *t = query_text(f->db, "SELECT count(*) FROM run_orders");
	assert_int_equal(atoi(t), 100);
	free(t);
	free(before);
	allot_plan_free(p);
	allot_scenario_free(s);
}

static void failed_put_leaves_store_identical(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *old = rich(0);
	put_ok(f, "default", old);
	char *before = dump(f->db);

	/* A duplicate order id violates UNIQUE halfway through the orders. */
	struct allot_scenario *dup = rich(1);
	set_str(&dup->orders[2].order_id, "O-3");
	assert_int_equal(allot_store_put_scenario(f->st, "default", dup, &f->d), ALLOT_ESTORE);
	assert_int_equal(f->d.n, 1);
	assert_string_equal(f->d.v[0].file, f->db);
	assert_string_equal(f->d.v[0].msg, "cannot store orders row 3: UNIQUE constraint failed: "
					   "orders.scenario_id, orders.order_id");
	/* A bad index is caught before anything is written. */
	struct allot_scenario *badref = rich(1);
	badref->orders[1].system = 9;
	assert_int_equal(allot_store_put_scenario(f->st, "default", badref, &f->d), ALLOT_EINPUT);
	assert_string_equal(f->d.v[1].msg,
			    "expected system in orders row 2 to index one of 2 rows, found 9");

	char *after = dump(f->db);
	assert_string_equal(before, after);
	assert_integrity(f->db);
	struct allot_scenario *g = get_ok(f, "default");
	same_scenario(old, g);
	allot_scenario_free(g);
	free(before);
	free(after);
	allot_scenario_free(badref);
	allot_scenario_free(dup);
	allot_scenario_free(old);
}

/* Fails the 1st, 2nd, ... allocation of a replacing put (SQLite's, the
 * store's and jansson's) until one succeeds; after each failure the store
 * must be exactly as before and intact. */
/* Fails the 1st, 2nd, ... allocation of a put of neu over old until one
 * succeeds: each failure leaves the store as it was. */
static void put_fails_cleanly(struct fx *f, struct allot_scenario *old, struct allot_scenario *neu)
{
	put_ok(f, "default", old);
	char *before = dump(f->db);
	long n;
	int rc = -1;
	for (n = 1; n < 100000; n++) {
		struct allot_diags d;
		allot_diags_init(&d);
		mem_fail_after(n, 0);
		rc = allot_store_put_scenario(f->st, "default", neu, &d);
		mem_fail_after(0, 0);
		allot_diags_free(&d);
		if (rc == ALLOT_OK)
			break;
		assert_true(rc == ALLOT_ENOMEM || rc == ALLOT_ESTORE || rc == ALLOT_EINPUT);
		char *after = dump(f->db);
		if (strcmp(before, after) != 0)
			fail_msg("allocation %ld: the store changed after a failed put", n);
		free(after);
		if (n % 25 == 1)
			assert_integrity(f->db);
	}
	assert_int_equal(rc, ALLOT_OK);
	assert_true(n > 20); /* the loop really walked through the put */
	assert_integrity(f->db);
	struct allot_scenario *g = get_ok(f, "default");
	same_scenario(neu, g);
	allot_scenario_free(g);
	free(before);
	allot_scenario_free(neu);
	allot_scenario_free(old);
}

static void put_survives_every_allocation_failure(void **state)
{
	put_fails_cleanly(*state, rich(0), rich(5));
}

/* The same with more orders than one multi-row INSERT holds: failures in
 * preparing and running the 64-row statement too. */
static void batched_put_survives_every_allocation_failure(void **state)
{
	put_fails_cleanly(*state, rich(0), synth(100, 4));
}

/* The same for get: every failure is a clean error, never a leak. */
static void get_survives_every_allocation_failure(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s = rich(0);
	put_ok(f, "default", s);
	long n;
	int rc = -1;
	for (n = 1; n < 100000; n++) {
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_scenario *g = NULL;
		mem_fail_after(n, 0);
		rc = allot_store_get_scenario(f->st, "default", &g, &d);
		mem_fail_after(0, 0);
		allot_diags_free(&d);
		if (rc == ALLOT_OK) {
			same_scenario(s, g);
			allot_scenario_free(g);
			break;
		}
		assert_null(g);
	}
	assert_int_equal(rc, ALLOT_OK);
	assert_true(n > 20);
	allot_scenario_free(s);
}

static void put_plan_stores_run_rows(void **state)
{
	struct fx *f = *state;
	struct allot_scenario *s = tu_scenario("2026-01", 12);
	int pol = tu_partner(s, "POL", "europe-east", 1, 4, 0, 0, 0, 0, 0);
	int l = tu_line(s, "L1", 10, 0);
	int y = tu_system(s, "SYS", l, 1000, 2, 0);
	tu_order(s, "A", pol, y, 5, 0, "2025-01", "2026-03", -1);
	tu_order(s, "B", pol, y, 30, 0, "2025-02", "2026-06", -1);
	tu_order(s, "C", pol, y, 4, 0, "2025-03", NULL, -1);
	put_ok(f, "default", s);

	struct allot_alloc allocs[] = { { 0, 0, 5 }, { 1, 0, 5 }, { 1, 1, 10 }, { 2, 1, 4 } };
	struct allot_order_result res[3] = {
		{ .produced = 5,
		  .delivered_in_h = 5,
		  .first_delivery = tu_m("2026-03"),
		  .completion = tu_m("2026-03"),
		  .tier0 = 1 },
		{ .produced = 15,
		  .delivered_in_h = 15,
		  .cancelled = 3,
		  .blocked = 0,
		  .first_delivery = tu_m("2026-03"),
		  .completion = ALLOT_NO_MONTH,
		  .short_units = 12,
		  .tier0 = 1 },
		{ .produced = 4,
		  .delivered_in_h = 4,
		  .first_delivery = tu_m("2026-04"),
		  .completion = tu_m("2026-04"),
		  .tier0 = 2 },
	};
	struct allot_plan p = { .scenario = s,
				.policy = ALLOT_POLICY_PRIORITY,
				.switch_month = tu_m("2026-02"),
				.orders = res,
				.allocs = allocs,
				.n_allocs = 4 };
	int64_t run = 0;
	assert_int_equal(allot_store_put_plan(f->st, "default", &p, &run, &f->d), ALLOT_OK);
	assert_int_equal(run, 1);
	int64_t run2 = 0;
	assert_int_equal(allot_store_put_plan(f->st, NULL, &p, &run2, &f->d), ALLOT_OK);
	assert_int_equal(run2, 2);

	char *t = query_text(f->db, "SELECT policy || ',' || switch_month || ',' || n_orders"
				    " || ',' || n_allocations || ',' || units_produced"
				    " || ',' || length(inputs_hash) || ',' || (created_at GLOB"
				    " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T"
				    "[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z')"
				    " FROM runs WHERE id = 1");
	assert_string_equal(t, "priority,2026-02,3,4,24,64,1");
	free(t);
	t = query_text(f->db, "SELECT group_concat(order_id || ':' || month || ':' || units"
			      " || ':' || delivery_month, ' ') FROM (SELECT * FROM"
			      " run_allocations WHERE run_id = 1 ORDER BY seq)");
	assert_string_equal(t, "A:2026-01:5:2026-03 B:2026-01:5:2026-03 "
			       "B:2026-02:10:2026-04 C:2026-02:4:2026-04");
	free(t);
	t = query_text(f->db, "SELECT group_concat(order_id || ':' || ifnull(completion_month,"
			      " 'none') || ':' || units_short || ':' ||"
			      " ifnull(months_late, '-') || ':' || blocked || ':' ||"
			      " cancelled || ':' || tier0, ' ') FROM (SELECT * FROM"
			      " run_orders WHERE run_id = 1 ORDER BY seq)");
	/* B never completes: late by (2026-01 + 12) - 2026-06 = 7 months. */
	assert_string_equal(t, "A:2026-03:0:0:0:0:1 B:none:12:7:0:3:1 C:2026-04:0:-:0:0:2");
	free(t);
	/* The hash is that of the scenario's canonical serialization: equal
	 * for both runs, different once an input changes. */
	char *h1 = query_text(f->db, "SELECT inputs_hash FROM runs WHERE id = 1");
	char *h2 = query_text(f->db, "SELECT inputs_hash FROM runs WHERE id = 2");
	assert_string_equal(h1, h2);
	s->orders[2].qty = 5;
	int64_t run3 = 0;
	assert_int_equal(allot_store_put_plan(f->st, "default", &p, &run3, &f->d), ALLOT_OK);
	char *h3 = query_text(f->db, "SELECT inputs_hash FROM runs WHERE id = 3");
	assert_string_not_equal(h1, h3);
	free(h1);
	free(h2);
	free(h3);
	/* A missing scenario stores nothing. */
	assert_int_equal(allot_store_put_plan(f->st, "nope", &p, &run3, &f->d), ALLOT_ENOTFOUND);
	t = query_text(f->db, "SELECT count(*) FROM runs");
	assert_string_equal(t, "3");
	free(t);
	/* Replacing the scenario drops its runs with it, and their labels. */
	assert_int_equal(allot_store_label_run(f->st, 1, "kept?", &f->d), ALLOT_OK);
	/* A put runs with foreign keys off and deletes the old scenario table
	 * by table (store_scenario.c's delete_sql): every table with a
	 * foreign key must be one it deletes from. */
	t = query_text(f->db, "SELECT group_concat(name, ' ') FROM (SELECT DISTINCT m.name"
			      " FROM sqlite_schema m, pragma_foreign_key_list(m.name) k"
			      " WHERE m.type = 'table' ORDER BY m.name)");
	assert_string_equal(t, "bom embargoes events investments lines minerals orders "
			       "partners requests run_allocations run_labels run_orders runs "
			       "supply systems transfers wip");
	free(t);
	put_ok(f, "default", s);
	t = query_text(f->db, "SELECT (SELECT count(*) FROM runs) || ',' ||"
			      " (SELECT count(*) FROM run_orders) || ',' ||"
			      " (SELECT count(*) FROM run_allocations) || ',' ||"
			      " (SELECT count(*) FROM run_labels)");
	assert_string_equal(t, "0,0,0,0");
	free(t);
	assert_integrity(f->db);
	/* ... and turns them back on: deleting a run cascades to its label. */
	int64_t run4 = 0;
	assert_int_equal(allot_store_put_plan(f->st, "default", &p, &run4, &f->d), ALLOT_OK);
	assert_int_equal(allot_store_label_run(f->st, run4, "gone", &f->d), ALLOT_OK);
	assert_int_equal(allot_store_delete_run(f->st, run4, &f->d), ALLOT_OK);
	t = query_text(f->db, "SELECT count(*) FROM run_labels");
	assert_string_equal(t, "0");
	free(t);
	assert_integrity(f->db);
	allot_scenario_free(s);
}

static void open_refuses_other_files_and_newer_versions(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char path[4096];
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;

	snprintf(path, sizeof path, "%s/notes.txt", dir);
	FILE *fp = fopen(path, "w");
	fputs("this is not a database, just some words that fill a header page\n", fp);
	for (int i = 0; i < 100; i++)
		fputs("0123456789abcdef0123456789abcdef0123456789abcdef\n", fp);
	fclose(fp);
	assert_int_equal(allot_store_open(path, &st, &d), ALLOT_ESTORE);
	assert_null(st);
	assert_string_equal(d.v[0].file, path);
	assert_non_null(strstr(d.v[0].msg, "file is not a database"));

	/* Version 99: written by a newer allot. */
	snprintf(path, sizeof path, "%s/newer.db", dir);
	sqlite3 *c;
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(c, "CREATE TABLE x(a); PRAGMA user_version = 99", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(c);
	assert_int_equal(allot_store_open(path, &st, &d), ALLOT_ESTORE);
	assert_string_equal(d.v[1].msg, "expected store schema version 6, found version 99 "
					"(written by a newer allot); use the allot that wrote it");

	/* Some other application's database (version 0 with tables). */
	snprintf(path, sizeof path, "%s/other.db", dir);
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "CREATE TABLE x(a)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);
	assert_int_equal(allot_store_open(path, &st, &d), ALLOT_ESTORE);
	assert_non_null(strstr(d.v[2].msg, "expected an allot store"));

	/* A new store: WAL, version 1; opening twice works. */
	snprintf(path, sizeof path, "%s/new.db", dir);
	assert_int_equal(allot_store_open(path, &st, &d), ALLOT_OK);
	struct allot_store *st2 = NULL;
	assert_int_equal(allot_store_open(path, &st2, &d), ALLOT_OK);
	char *v = query_text(path, "PRAGMA user_version");
	assert_string_equal(v, "6");
	free(v);
	v = query_text(path, "PRAGMA journal_mode");
	assert_string_equal(v, "wal");
	free(v);
	allot_store_close(st2);
	allot_store_close(st);
	allot_store_close(NULL);
	assert_int_equal(d.n, 3);

	/* A directory cannot be opened. */
	assert_int_equal(allot_store_open(dir, &st, &d), ALLOT_ESTORE);
	assert_int_equal(d.n, 4);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

/* The names in a directory, sorted, in a NULL-terminated array. */
static char **list_dir(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "ls -1 '%s' | LC_ALL=C sort", dir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char **v = calloc(256, sizeof *v);
	char line[512];
	size_t n = 0;
	while (n < 255 && fgets(line, sizeof line, p)) {
		line[strcspn(line, "\n")] = '\0';
		v[n++] = strdup(line);
	}
	pclose(p);
	return v;
}

static void free_list(char **v)
{
	for (size_t i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

static int is_input(const char *name)
{
	size_t n = strlen(name);
	/* critical_minerals.csv sits beside the scenario for allot reserve
	 * (docs/reserve.md) but is not scenario input: the store keeps none */
	if (strcmp(name, "critical_minerals.csv") == 0)
		return 0;
	if (strcmp(name, "fx.csv") == 0)
		return 0; /* what-if exchange rates (docs/whatif.md), not scenario input */
	return (n > 4 && strcmp(name + n - 4, ".csv") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static void import_export_round_trip_is_byte_identical(void **state)
{
	struct fx *f = *state;
	const char *src = tu_src("data/default");
	struct stat sb;
	if (stat(src, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    stat(tu_src("data/default/scenario.json"), &sb) != 0)
		src = tu_src("tests/data/scenarios/tiny");
	if (stat(src, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		skip();
		return;
	}
	char srcdir[4096];
	snprintf(srcdir, sizeof srcdir, "%s", src);
	struct allot_scenario *s = NULL;
	int rc = allot_scenario_load(srcdir, &s, &f->d);
	if (rc)
		allot_diags_print(&f->d, stderr);
	assert_int_equal(rc, ALLOT_OK);
	put_ok(f, "default", s);
	struct allot_scenario *g = get_ok(f, NULL);
	same_scenario(s, g);
	char out[4096];
	snprintf(out, sizeof out, "%s/export", f->dir);
	assert_int_equal(allot_scenario_write(g, out, &f->d), ALLOT_OK);

	/* Every scenario file of the source (.csv, .json) is written back
	 * byte for byte, and nothing else is written. */
	char **a = list_dir(srcdir), **b = list_dir(out);
	size_t j = 0, files = 0;
	for (size_t i = 0; a[i]; i++) {
		if (!is_input(a[i]))
			continue; /* SOURCES.md and the like are not scenario input */
		assert_non_null(b[j]);
		assert_string_equal(a[i], b[j]);
		char pa[4600], pb[4600];
		snprintf(pa, sizeof pa, "%s/%s", srcdir, a[i]);
		snprintf(pb, sizeof pb, "%s/%s", out, b[j]);
		size_t na, nb;
		char *ca = tu_slurp(pa, &na), *cb = tu_slurp(pb, &nb);
		if (na != nb || memcmp(ca, cb, na) != 0)
			fail_msg("%s differs after import and export", a[i]);
		free(ca);
		free(cb);
		files++;
		j++;
	}
	assert_null(b[j]);
	assert_true(files >= 6);
	free_list(a);
	free_list(b);
	allot_scenario_free(g);
	allot_scenario_free(s);
}

/* An unknown invest_in_us_usd (issue 15) is kept unknown by the store
 * (stored -1, read back NaN), never turned into 0; a stated 0 stays 0. */
static void unknown_invest_round_trip(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char db[1024];
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = tu_scenario("2025-01", 6);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, NAN);
	int b = tu_partner(s, "BBB", "africa", 0, 1.0, 0, 0, 0, 0, 0);
	int l = tu_line(s, "L", 10, 0);
	int k = tu_system(s, "K", l, 1e6, 2, 0);
	tu_order(s, "O1", a, k, 5, 0, "2024-10", NULL, -1);
	tu_order(s, "O2", b, k, 5, 0, "2024-10", NULL, -1);
	snprintf(db, sizeof db, "%s/s.db", dir);
	struct allot_store *st = NULL;
	struct allot_scenario *c = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	assert_int_equal(allot_store_put_scenario(st, "u", s, &d), ALLOT_OK);
	assert_int_equal(allot_store_get_scenario(st, "u", &c, &d), ALLOT_OK);
	allot_store_close(st);
	assert_true(isnan(c->partners[a].invest_in_us_usd));
	assert_true(c->partners[b].invest_in_us_usd == 0);
	assert_false(signbit(c->partners[b].invest_in_us_usd));
	assert_int_equal(allot_diags_count(&d), 0);
	allot_diags_free(&d);
	allot_scenario_free(s);
	allot_scenario_free(c);
	tu_rmtree(dir);
	free(dir);
}

/* An unknown unit cost end to end: `unknown` and an empty cell load as
 * NaN (never 0), the writer writes `unknown`, the store keeps it unknown
 * (stored -1), and a request with no value for such a system is an input
 * error with its file, line and column. */
static void unknown_unit_cost_round_trip(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char path[1024], db[1024];
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = tu_scenario("2025-01", 6);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "U", l, NAN, 2, 0);
	int k = tu_system(s, "K", l, 1e6, 2, 0);
	tu_order(s, "O1", a, y, 5, 0, "2024-10", NULL, -1);
	tu_order(s, "O2", a, k, 5, 0, "2024-10", NULL, -1);
	assert_int_equal(allot_scenario_write(s, dir, &d), ALLOT_OK);
	snprintf(path, sizeof path, "%s/systems.csv", dir);
	char *text = tu_slurp(path, NULL);
	assert_non_null(strstr(text, "\nU,U,L,unknown,2,"));
	assert_non_null(strstr(text, "\nK,K,L,1000000,2,"));
	free(text);
	/* an empty cell is unknown too */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("system_id,name,line_id,unit_cost_usd,lead_months,eeum,catalog,foreign_alternative\n"
	      "U,U,L,,2,0,0,\nK,K,L,1000000,2,0,0,\n",
	      f);
	fclose(f);
	struct allot_scenario *b = NULL, *c = NULL;
	assert_int_equal(allot_scenario_load(dir, &b, &d), ALLOT_OK);
	assert_false(allot_cost_known(b->systems[y].unit_cost_usd));
	assert_true(b->systems[k].unit_cost_usd == 1e6);
	snprintf(db, sizeof db, "%s/s.db", dir);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(db, &st, &d), ALLOT_OK);
	assert_int_equal(allot_store_put_scenario(st, "u", b, &d), ALLOT_OK);
	assert_int_equal(allot_store_get_scenario(st, "u", &c, &d), ALLOT_OK);
	assert_false(allot_cost_known(c->systems[y].unit_cost_usd));
	assert_true(c->systems[k].unit_cost_usd == 1e6);
	allot_store_close(st);
	/* a request without a value for a system of unknown cost */
	snprintf(path, sizeof path, "%s/requests.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("request_id,iso3,system_id,qty,lor_month,value_usd\nR1,AAA,U,3,2025-02,\n", f);
	fclose(f);
	struct allot_scenario *e = NULL;
	allot_diags_free(&d);
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_load(dir, &e, &d), ALLOT_EINPUT);
	assert_int_equal(allot_diags_count(&d), 1);
	assert_non_null(strstr(d.v[0].file, "requests.csv"));
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 20); /* value_usd: the cell after "2025-02," */
	assert_non_null(strstr(d.v[0].msg, "unit cost of system U is unknown"));
	assert_null(e);
	allot_diags_free(&d);
	allot_scenario_free(s);
	allot_scenario_free(b);
	allot_scenario_free(c);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	route_allocators();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_fips_vectors),
		cmocka_unit_test(sha256_paths_agree),
		cmocka_unit_test(unknown_unit_cost_round_trip),
		cmocka_unit_test(unknown_invest_round_trip),
		cmocka_unit_test_setup_teardown(put_then_get_is_identical, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(supply_and_wip_round_trip_and_migrate, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(bases_round_trip_and_migrate, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(not_before_round_trips_and_migrates, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(pace_round_trips_and_migrates, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(names_list_sorted_and_replace_keeps_others,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(only_scenario_is_found_without_a_name, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(batched_put_round_trips_and_names_the_failing_row,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(left_out_columns_round_trip, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			batched_put_plan_round_trips_and_names_the_failing_row, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(batched_put_plan_survives_every_allocation_failure,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(failed_put_leaves_store_identical, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(batched_put_survives_every_allocation_failure,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(put_survives_every_allocation_failure, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(get_survives_every_allocation_failure, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(put_plan_stores_run_rows, fx_setup, fx_teardown),
		cmocka_unit_test(open_refuses_other_files_and_newer_versions),
		cmocka_unit_test_setup_teardown(import_export_round_trip_is_byte_identical,
						fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
