/*
 * test_convert.c - the converters: SIPRI trade registers (fixtures under
 * tests/data/sipri and the real export in data/raw), the country
 * table, and the bundled dataset (reproducible, complete, consistent).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <allot/allot.h>
#include "testutil.h"
#include "util/mem.h"

#define SIPRI_REAL "data/raw/sipri-trade-register/trade-register_1950-2024_generated-2025-03-13.csv"

static struct allot_sipri_register *read_ok(const char *path, struct allot_diags *d)
{
	struct allot_sipri_register *r = NULL;
	assert_int_equal(allot_sipri_read(path, &r, d), ALLOT_OK);
	assert_non_null(r);
	return r;
}

static void sipri_fixture_parses_banner_flags_latin1_and_broken_records(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *r = read_ok(tu_src("tests/data/sipri/register-small.csv"), &d);
	assert_int_equal(r->n, 9);
	assert_int_equal(r->rejoined, 1);
	assert_int_equal(r->skipped, 1);
	assert_string_equal(r->generated, "13 Mar 2025 10:02:49 AM");
	/* the one malformed line is reported with its line number */
	assert_int_equal(allot_diags_count(&d), 1);
	assert_int_equal(d.v[0].line, 18);
	assert_string_equal(d.v[0].msg, "expected 16 fields in a register record, found 7; line skipped");

	const struct allot_sipri_record *t = &r->v[0];
	assert_int_equal(t->line, 13);
	assert_string_equal(t->recipient, "T\xc3\xbcrkiye"); /* 0xFC became UTF-8 */
	assert_int_equal(t->year_of_order, 2019);
	assert_int_equal(t->order_uncertain, 1);
	assert_int_equal(t->qty, 40);
	assert_int_equal(t->qty_uncertain, 1);
	assert_int_equal(t->delivered, 10);
	assert_int_equal(t->delivered_uncertain, 1);
	assert_string_equal(t->delivery_years, "2022; 2023");

	const struct allot_sipri_record *p = &r->v[1];
	assert_string_equal(p->comments, "$4.5 b deal, incl. launchers, radars");
	assert_int_equal(p->delivered, -1);
	assert_int_equal(p->order_uncertain, 0);
	assert_string_equal(p->tiv_delivered, "");

	const struct allot_sipri_record *c = &r->v[2];
	assert_int_equal(c->line, 15);
	assert_string_equal(c->comments,
			    "Cummins (275hp) diesel engine for 12 Puma M-36 APC from South Africa");
	assert_string_equal(c->tiv_unit, "0.03");
	assert_string_equal(c->tiv_total, "0.36");
	assert_string_equal(c->tiv_delivered, "0");
	assert_int_equal(r->v[3].line, 17); /* the continuation line was consumed */

	assert_int_equal(r->v[6].qty, -1); /* empty number ordered */
	assert_string_equal(r->v[8].comments, "Part of \"$2 b\" deal, with TOW-2B");
	allot_sipri_free(r);
	allot_diags_free(&d);
}

static void sipri_fixture_open_orders_csv(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *r = read_ok(tu_src("tests/data/sipri/register-small.csv"), &d);
	struct allot_countries *c = NULL;
	assert_int_equal(allot_countries_load(tu_src("data/mappings/countries.csv"), &c, &d), ALLOT_OK);
	struct allot_sipri_filter f;
	allot_sipri_filter_init(&f);
	char *text = NULL;
	size_t len = 0, n = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(allot_sipri_write_open(r, &f, c, out, &n, &d), ALLOT_OK);
	fclose(out);
	assert_int_equal(n, 4);
	assert_string_equal(text,
		"recipient,recipient_iso3,designation,description,year_of_order,order_uncertain,qty,qty_uncertain,delivered,delivered_uncertain,delivery_years,status,comments,tiv_unit,tiv_total,tiv_delivered\n"
		"T\xc3\xbcrkiye,TUR,AIM-120C AMRAAM,long-range air-to-air missile,2019,1,40,1,10,1,2022; 2023,New,For F-16 combat aircraft,0.6,24,6\n"
		"Poland,POL,MIM-104 PAC-3 MSE,ABM missile,2023,0,644,0,0,0,,New,\"$4.5 b deal, incl. launchers, radars\",1.5,966,\n"
		"Cote d'Ivoire,CIV,vehicle engine,vehicle engine,2024,1,12,1,0,0,,New,Cummins (275hp) diesel engine for 12 Puma M-36 APC from South Africa,0.03,0.36,0\n"
		"Taiwan,TWN,FGM-148 Javelin,anti-tank missile,2019,0,400,0,0,0,,New,\"Part of \"\"$2 b\"\" deal, with TOW-2B\",0.03,12,\n");
	free(text);

	/* the filter's knobs: earlier as-of drops 2023/2024 orders; another supplier */
	assert_int_equal(allot_month_parse("2023-01", &f.as_of), 0);
	out = open_memstream(&text, &len);
	assert_int_equal(allot_sipri_write_open(r, &f, NULL, out, &n, &d), ALLOT_OK);
	fclose(out);
	free(text);
	assert_int_equal(n, 2);
	allot_sipri_filter_init(&f);
	f.supplier = "Korea South";
	assert_int_equal(allot_sipri_is_open(&r->v[5], &f), 1);
	f.order_from = 2023;
	assert_int_equal(allot_sipri_is_open(&r->v[5], &f), 0);
	allot_countries_free(c);
	allot_sipri_free(r);
	allot_diags_free(&d);
}

static void sipri_utf8_input_is_kept(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *r = read_ok(tu_src("tests/data/sipri/register-utf8.csv"), &d);
	assert_int_equal(r->n, 1);
	assert_string_equal(r->v[0].recipient, "T\xc3\xbcrkiye");
	assert_string_equal(r->generated, "");
	assert_int_equal(allot_diags_count(&d), 0);
	allot_sipri_free(r);
	allot_diags_free(&d);
}

static void sipri_rejects_what_is_not_a_register(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *r = NULL;
	assert_int_equal(allot_sipri_read(tu_src("tests/data/sipri/not-a-register.csv"), &r, &d),
			 ALLOT_EINPUT);
	assert_null(r);
	assert_int_equal(allot_diags_count(&d), 1);
	assert_string_equal(d.v[0].msg,
		"expected a SIPRI trade register (a header line starting 'Recipient,Supplier,Year of order'), found none in 2 lines");
	allot_diags_free(&d);

	assert_int_equal(allot_sipri_read(tu_src("tests/data/sipri/bad-header.csv"), &r, &d), ALLOT_EINPUT);
	assert_int_equal(d.v[0].line, 1);
	assert_string_equal(d.v[0].msg, "expected the 16 columns of a SIPRI trade register, found 4");
	allot_diags_free(&d);

	assert_int_equal(allot_sipri_read(tu_src("tests/data/sipri/junk.bin"), &r, &d), ALLOT_EINPUT);
	allot_diags_free(&d);

	assert_int_equal(allot_sipri_read(tu_src("tests/data/sipri/no-such-file.csv"), &r, &d), ALLOT_EIO);
	assert_int_equal(d.v[0].line, 0);
	assert_string_equal(d.v[0].msg, "cannot read: No such file or directory");
	allot_diags_free(&d);

	/* a buffer of every byte value, and an empty one, never crash */
	char junk[512];
	for (int i = 0; i < 512; i++)
		junk[i] = (char)(i * 7);
	assert_int_equal(allot_sipri_parse(junk, sizeof junk, "junk", &r, &d), ALLOT_EINPUT);
	allot_diags_free(&d);
	assert_int_equal(allot_sipri_parse("", 0, "empty", &r, &d), ALLOT_EINPUT);
	allot_diags_free(&d);
	/* a header and an unterminated quote: one warning, the record skipped */
	const char *q = "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,"
			"Weapon description,Number delivered, ,Year(s) of delivery,status,Comments,"
			"SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
			"Peru,United States,2020,,2,,\"open quote\n";
	assert_int_equal(allot_sipri_parse(q, strlen(q), "q.csv", &r, &d), ALLOT_OK);
	assert_int_equal(r->n, 0);
	assert_int_equal(r->skipped, 1);
	assert_int_equal(allot_diags_count(&d), 2);
	assert_int_equal(d.v[0].line, 2);
	allot_sipri_free(r);
	allot_diags_free(&d);
}

static void sipri_parse_survives_allocation_failures(void **state)
{
	(void)state;
	size_t len;
	char *buf = tu_slurp(tu_src("tests/data/sipri/register-small.csv"), &len);
	assert_non_null(buf);
	for (long n = 1; n < 2000; n++) {
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_sipri_register *r = NULL;
		mem_fail_after(n, 1);
		int rc = allot_sipri_parse(buf, len, "f", &r, &d);
		mem_fail_after(0, 0);
		allot_diags_free(&d);
		if (rc == ALLOT_OK) {
			assert_int_equal(r->n, 9);
			allot_sipri_free(r);
			break;
		}
		assert_int_equal(rc, ALLOT_ENOMEM);
		assert_null(r);
	}
	free(buf);
}

static void countries_table_joins_spellings(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_countries *c = NULL;
	assert_int_equal(allot_countries_load(tu_src("data/mappings/countries.csv"), &c, &d), ALLOT_OK);
	const char *tur[] = { "Turkiye", "Turkey", "T\xc3\xbcrkiye", " turkey " };
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(allot_countries_iso3(c, tur[i]), "TUR");
	assert_string_equal(allot_countries_iso3(c, "UAE"), "ARE");
	assert_string_equal(allot_countries_iso3(c, "United Arab Emirates"), "ARE");
	assert_string_equal(allot_countries_iso3(c, "South Korea"), "KOR");
	assert_string_equal(allot_countries_iso3(c, "Korea, Republic of"), "KOR");
	assert_string_equal(allot_countries_iso3(c, "Taiwan"), "TWN");
	assert_string_equal(allot_countries_iso3(c, "NATO**"), "XNT");
	assert_null(allot_countries_iso3(c, "Atlantis"));
	allot_countries_free(c);
	allot_diags_free(&d);
}

/* The real export: every count below was measured once and is asserted so
 * that a parser change that loses or invents records fails here. */
static void sipri_real_register_counts(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *r = read_ok(tu_src(SIPRI_REAL), &d);
	assert_int_equal(r->n, 29515);
	assert_int_equal(r->rejoined, 4);
	assert_int_equal(r->skipped, 0);
	assert_int_equal(allot_diags_count(&d), 0);
	struct allot_sipri_filter f;
	allot_sipri_filter_init(&f);
	size_t us = 0, open = 0, pol_pac3 = 0;
	for (size_t i = 0; i < r->n; i++) {
		us += strcmp(r->v[i].supplier, "United States") == 0;
		if (!allot_sipri_is_open(&r->v[i], &f))
			continue;
		open++;
		if (strcmp(r->v[i].recipient, "Poland") == 0 &&
		    strcmp(r->v[i].designation, "MIM-104 PAC-3 MSE") == 0 &&
		    r->v[i].year_of_order == 2023 && r->v[i].qty == 644)
			pol_pac3++;
	}
	assert_int_equal(us, 9480);
	assert_int_equal(open, 528);
	assert_int_equal(pol_pac3, 1);
	allot_sipri_free(r);
	allot_diags_free(&d);
}


/* ---- the bundled dataset ------------------------------------------------ */

static const char *const scenario_files[] = {
	"scenario.json", "policy.json", "partners.csv", "systems.csv", "lines.csv",
	"orders.csv", "minerals.csv", "supply.csv", "bom.csv", "events.csv",
	"investments.csv", "embargoes.csv", "requests.csv", NULL,
};

static int build(const char *sources, const char *mappings, struct allot_scenario **s,
		 char **md, struct allot_diags *d)
{
	struct allot_convert_dirs dirs = { tu_src("data/raw"), sources, mappings };
	return allot_convert_dataset(&dirs, s, md, d);
}

static void assert_same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = tu_slurp(a, &la), *y = tu_slurp(b, &lb);
	assert_non_null(x);
	assert_non_null(y);
	if (la != lb || memcmp(x, y, la) != 0)
		fail_msg("%s differs from %s", a, b);
	free(x);
	free(y);
}

/* Regenerating gives data/default byte for byte (run `make dataset` after
 * changing the converter or data/sources). */
static void dataset_regenerates_byte_identical(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	char *md = NULL;
	int rc = build(tu_src("data/sources"), tu_src("data/mappings"), &s, &md, &d);
	allot_diags_print(&d, stderr);
	assert_int_equal(rc, ALLOT_OK);
	char *dir = tu_tmpdir();
	assert_int_equal(allot_scenario_write(s, dir, &d), ALLOT_OK);
	char a[4096], b[4096];
	for (size_t i = 0; scenario_files[i]; i++) {
		snprintf(a, sizeof a, "%s/%s", dir, scenario_files[i]);
		snprintf(b, sizeof b, "%s/data/default/%s", ALLOT_SOURCE_DIR, scenario_files[i]);
		assert_same_file(a, b);
	}
	size_t len;
	char *want = tu_slurp(tu_src("data/default/SOURCES.md"), &len);
	assert_non_null(want);
	assert_string_equal(md, want);
	free(want);
	allot_convert_free_text(md);
	allot_scenario_free(s);
	tu_rmtree(dir);
	free(dir);
	allot_diags_free(&d);
}

/* The shipped files load, and load-then-write reproduces them. */
static void dataset_loads_and_round_trips(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	int rc = allot_scenario_load(tu_src("data/default"), &s, &d);
	allot_diags_print(&d, stderr);
	assert_int_equal(rc, ALLOT_OK);
	char *dir = tu_tmpdir();
	assert_int_equal(allot_scenario_write(s, dir, &d), ALLOT_OK);
	char a[4096], b[4096];
	for (size_t i = 0; scenario_files[i]; i++) {
		snprintf(a, sizeof a, "%s/%s", dir, scenario_files[i]);
		snprintf(b, sizeof b, "%s/data/default/%s", ALLOT_SOURCE_DIR, scenario_files[i]);
		assert_same_file(a, b);
	}
	allot_scenario_free(s);
	tu_rmtree(dir);
	free(dir);
	allot_diags_free(&d);
}

static const struct allot_order *find_order(const struct allot_scenario *s, const char *iso3,
					    const char *system, int64_t qty)
{
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		if (strcmp(s->partners[o->partner].iso3, iso3) == 0 &&
		    strcmp(s->systems[o->system].system_id, system) == 0 && o->qty == qty)
			return o;
	}
	return NULL;
}

static void dataset_contents_are_sane(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	/* measured counts */
	assert_int_equal(s->n_partners, 85);
	assert_int_equal(s->n_orders, 526);
	assert_int_equal(s->n_systems, 102);
	assert_int_equal(s->n_lines, 74);
	assert_int_equal(s->n_minerals, 8);
	assert_int_equal(s->n_supply, 24);
	assert_int_equal(s->n_events, 12);
	assert_int_equal(s->n_embargoes, 0);
	assert_int_equal(s->as_of, tu_m("2025-01"));
	assert_int_equal(s->horizon_months, 180);
	assert_int_equal(s->switch_month, tu_m("2026-02"));

	/* every order is open, dated by its year, and points at real rows */
	int64_t units = 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		assert_true(o->partner >= 0 && (size_t)o->partner < s->n_partners);
		assert_true(o->system >= 0 && (size_t)o->system < s->n_systems);
		assert_true(o->qty > o->delivered);
		assert_true(o->loa_month >= tu_m("2015-01") && o->loa_month <= tu_m("2024-01"));
		assert_int_equal(o->loa_month % 12, 0);
		assert_int_equal(o->need_month, ALLOT_NO_MONTH);
		assert_int_equal(o->partner_rank, -1);
		assert_int_equal(strncmp(o->order_id, "SIPRI-", 6), 0);
		units += o->qty - o->delivered;
	}
	assert_int_equal(units, 81475); /* measured: open units in the book */
	/* every partner has an order; every system is used */
	for (size_t p = 0; p < s->n_partners; p++) {
		size_t n = 0;
		for (size_t i = 0; i < s->n_orders; i++)
			n += s->orders[i].partner == (int)p;
		assert_true(n > 0);
	}

	/* Poland's PAC-3 MSE order of 2023 (644 interceptors) */
	const struct allot_order *pol = find_order(s, "POL", "pac3-mse", 644);
	assert_non_null(pol);
	assert_int_equal(pol->loa_month, tu_m("2023-01"));
	assert_int_equal(pol->delivered, 0);
	int ip = allot_scenario_find_partner(s, "POL");
	assert_string_equal(s->partners[ip].alliance, "nato");
	assert_string_equal(s->partners[ip].region, "europe-east");
	assert_int_equal(s->partners[ip].frontline, 1);
	assert_true(s->partners[ip].us_troops == 302);
	assert_true(s->partners[ip].defense_pct_gdp > 4.15 && s->partners[ip].defense_pct_gdp < 4.16);
	/* Taiwan: treated as an MNNA, budget cap from 2026-02 */
	int it = allot_scenario_find_partner(s, "TWN");
	assert_string_equal(s->partners[it].alliance, "mnna");
	assert_true(find_order(s, "TWN", "gmlrs", 864) != NULL);
	int cap = 0;
	for (size_t i = 0; i < s->n_events; i++)
		if (s->events[i].type == ALLOT_EV_BUDGET_CAP && s->events[i].index == it) {
			assert_int_equal(s->events[i].month, tu_m("2026-02"));
			assert_true(s->events[i].num == 12764800000.0);
			cap++;
		}
	assert_int_equal(cap, 1);
	/* cited lines */
	int l = allot_scenario_find_line(s, "pac3-mse");
	assert_true(s->lines[l].rate_per_month == 50);
	l = allot_scenario_find_line(s, "f35");
	assert_true(s->lines[l].rate_per_month == 191.0 / 12);
	/* EEUM systems */
	const char *eeum[] = { "javelin", "stinger", "tow2b", "amraam", "aim9x", "harpoon-2",
			       "tomahawk", "jassm-er", "slam-er", "mq9" };
	for (size_t i = 0; i < sizeof eeum / sizeof *eeum; i++) {
		int y = allot_scenario_find_system(s, eeum[i]);
		assert_true(y >= 0);
		assert_int_equal(s->systems[y].eeum, 1);
	}
	assert_int_equal(s->systems[allot_scenario_find_system(s, "pac3-mse")].eeum, 0);
	/* the F-35 bill of rare earths */
	int f35 = allot_scenario_find_system(s, "f35a"), ree = allot_scenario_find_mineral(s, "rare-earths");
	int found = 0;
	for (size_t i = 0; i < s->n_bom; i++)
		if (s->bom[i].system == f35 && s->bom[i].mineral == ree) {
			assert_int_equal(s->bom[i].g_per_unit, 417000);
			found = 1;
		}
	assert_int_equal(found, 1);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

/* Copies data/sources and data/mappings into a temp dir, applying one
 * sed-like deletion of the line starting with `drop` in file `which`. */
static char *sources_copy(const char *which, const char *drop)
{
	char *dir = tu_tmpdir();
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "cp -r '%s/data/sources' '%s/data/mappings' '%s/'",
		 ALLOT_SOURCE_DIR, ALLOT_SOURCE_DIR, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "sed -i '/^%s/d' '%s/%s'", drop, dir, which);
	assert_int_equal(system(cmd), 0);
	return dir;
}

static void dataset_reports_gaps_in_the_hand_tables(void **state)
{
	(void)state;
	struct { const char *file, *drop, *msg; } cases[] = {
		{ "sources/partners_geo.csv", "LKA,",
		  "expected a row for every partner, missing: LKA" },
		{ "mappings/countries.csv", "Sri Lanka,",
		  "expected a row for every recipient of an open order, missing: 'Sri Lanka'" },
		{ "sources/lines.csv", "tomahawk,",
		  "expected a row for line 'tomahawk' (used by" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *dir = sources_copy(cases[i].file, cases[i].drop);
		char src[4096], map[4096];
		snprintf(src, sizeof src, "%s/sources", dir);
		snprintf(map, sizeof map, "%s/mappings", dir);
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_scenario *s = NULL;
		char *md = NULL;
		assert_int_equal(build(src, map, &s, &md, &d), ALLOT_EINPUT);
		assert_null(s);
		assert_null(md);
		assert_int_equal(allot_diags_count(&d), 1);
		assert_non_null(strstr(d.v[0].msg, cases[i].msg));
		allot_diags_free(&d);
		tu_rmtree(dir);
		free(dir);
	}
	/* a designation no systems.csv row matches is reported at its register line */
	char *dir = sources_copy("sources/systems.csv", "Virginia,");
	char src[4096], map[4096];
	snprintf(src, sizeof src, "%s/sources", dir);
	snprintf(map, sizeof map, "%s/mappings", dir);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	char *md = NULL;
	assert_int_equal(build(src, map, &s, &md, &d), ALLOT_EINPUT);
	assert_int_equal(allot_diags_count(&d), 2); /* two Virginia orders (AUS) */
	assert_non_null(strstr(d.v[0].msg, "matching designation 'Virginia' (description 'nuclear submarine')"));
	assert_true(d.v[0].line > 12);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sipri_fixture_parses_banner_flags_latin1_and_broken_records),
		cmocka_unit_test(sipri_fixture_open_orders_csv),
		cmocka_unit_test(sipri_utf8_input_is_kept),
		cmocka_unit_test(sipri_rejects_what_is_not_a_register),
		cmocka_unit_test(sipri_parse_survives_allocation_failures),
		cmocka_unit_test(countries_table_joins_spellings),
		cmocka_unit_test(sipri_real_register_counts),
		cmocka_unit_test(dataset_regenerates_byte_identical),
		cmocka_unit_test(dataset_loads_and_round_trips),
		cmocka_unit_test(dataset_contents_are_sane),
		cmocka_unit_test(dataset_reports_gaps_in_the_hand_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
