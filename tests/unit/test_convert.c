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
	assert_string_equal(d.v[0].msg,
			    "expected 16 fields in a register record, found 7; line skipped");

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
	assert_int_equal(allot_countries_load(tu_src("data/mappings/countries.csv"), &c, &d),
			 ALLOT_OK);
	struct allot_sipri_filter f;
	allot_sipri_filter_init(&f);
	char *text = NULL;
	size_t len = 0, n = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(allot_sipri_write_open(r, &f, c, out, &n, &d), ALLOT_OK);
	fclose(out);
	assert_int_equal(n, 4);
	assert_string_equal(
		text,
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
	assert_string_equal(
		d.v[0].msg,
		"expected a SIPRI trade register (a header line starting 'Recipient,Supplier,Year of order'), found none in 2 lines");
	allot_diags_free(&d);

	assert_int_equal(allot_sipri_read(tu_src("tests/data/sipri/bad-header.csv"), &r, &d),
			 ALLOT_EINPUT);
	assert_int_equal(d.v[0].line, 1);
	assert_string_equal(d.v[0].msg,
			    "expected the 16 columns of a SIPRI trade register, found 4");
	allot_diags_free(&d);

	assert_int_equal(allot_sipri_read(tu_src("tests/data/sipri/junk.bin"), &r, &d),
			 ALLOT_EINPUT);
	allot_diags_free(&d);

	assert_int_equal(allot_sipri_read(tu_src("tests/data/sipri/no-such-file.csv"), &r, &d),
			 ALLOT_EIO);
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
	const char *q =
		"Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,"
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
	assert_int_equal(allot_countries_load(tu_src("data/mappings/countries.csv"), &c, &d),
			 ALLOT_OK);
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
	"scenario.json",   "policy.json",   "partners.csv", "systems.csv", "lines.csv",
	"orders.csv",      "minerals.csv",  "supply.csv",   "bom.csv",     "events.csv",
	"investments.csv", "embargoes.csv", "requests.csv", NULL,
};

static int build_all(const char *sources, const char *mappings, struct allot_scenario **s,
		     char **md, char **crit, struct allot_diags *d)
{
	struct allot_convert_dirs dirs = { .raw = tu_src("data/raw"),
					   .sources = sources,
					   .mappings = mappings };
	int rc = allot_convert_dataset(&dirs, s, md, d);
	char *more = NULL;
	if (rc != ALLOT_OK || !crit)
		return rc;
	rc = allot_convert_critical_minerals(&dirs, *s, crit, &more, d);
	if (rc == ALLOT_OK) { /* SOURCES.md = the dataset's part, then this one */
		size_t a = strlen(*md), b = strlen(more);
		char *both = malloc(a + b + 1);
		assert_non_null(both);
		memcpy(both, *md, a);
		memcpy(both + a, more, b + 1);
		allot_convert_free_text(*md);
		allot_convert_free_text(more);
		*md = both;
	}
	return rc;
}

static int build(const char *sources, const char *mappings, struct allot_scenario **s, char **md,
		 struct allot_diags *d)
{
	return build_all(sources, mappings, s, md, NULL, d);
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
	char *md = NULL, *crit = NULL;
	int rc = build_all(tu_src("data/sources"), tu_src("data/mappings"), &s, &md, &crit, &d);
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
	want = tu_slurp(tu_src("data/default/critical_minerals.csv"), &len);
	assert_non_null(want);
	assert_string_equal(crit, want);
	free(want);
	allot_convert_free_text(crit);
	free(md); /* build_all's concatenation */
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
	assert_int_equal(s->n_systems, 119); /* catch-alls split by maker (issue 15) */
	assert_int_equal(s->n_lines, 86);    /* SM-6 own line; makers' lines (issue 15) */
	assert_int_equal(s->n_minerals, 8);
	assert_int_equal(s->n_supply, 24);
	assert_int_equal(s->n_events,
			 19); /* Javelin ramp in two steps; AUKUS set-aside; SM-6 ramp in four */
	/* China's ban of December 2024, suspended November 2025 (cited in
	 * data/sources/embargoes.csv) */
	assert_int_equal(s->n_embargoes, 3);
	for (size_t i = 0; i < s->n_embargoes; i++) {
		assert_string_equal(s->embargoes[i].source, "china");
		assert_int_equal(s->embargoes[i].start_month, tu_m("2024-12"));
		assert_int_equal(s->embargoes[i].end_month, tu_m("2025-10"));
	}
	assert_string_equal(s->minerals[s->embargoes[0].mineral].mineral_id, "gallium");
	assert_int_equal(s->as_of, tu_m("2025-01"));
	assert_int_equal(s->horizon_months, 180);
	assert_int_equal(s->switch_month, tu_m("2026-02"));

	/* every order is open, dated in its SIPRI year (January, but the month
	 * a source states in loa_months.csv: Poland's Abrams, signed Apr 2022),
	 * and points at real rows */
	int64_t units = 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		assert_true(o->partner >= 0 && (size_t)o->partner < s->n_partners);
		assert_true(o->system >= 0 && (size_t)o->system < s->n_systems);
		assert_true(o->qty > o->delivered);
		assert_true(o->loa_month >= tu_m("2015-01") && o->loa_month <= tu_m("2024-12"));
		assert_int_equal(o->loa_month / 12, atoi(o->order_id + 10)); /* SIPRI-ISO-YYYY- */
		if (strcmp(o->order_id, "SIPRI-POL-2022-05") == 0) {
			assert_int_equal(o->loa_month, tu_m("2022-04"));
			assert_int_equal(o->loa_basis, ALLOT_LOA_MONTH);
		} else {
			assert_int_equal(o->loa_month % 12, 0);
			assert_int_equal(o->loa_basis, ALLOT_LOA_YEAR);
		}
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
	assert_true(s->partners[ip].us_troops == 10000);    /* cited presence, DMDC 302 */
	assert_int_equal(s->partners[ip].basing_access, 1); /* two lily pads */
	assert_true(s->partners[ip].defense_pct_gdp > 4.15 &&
		    s->partners[ip].defense_pct_gdp < 4.16);
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
	/* cited lines, with their basis (issue 15) */
	int l = allot_scenario_find_line(s, "pac3-mse");
	assert_true(s->lines[l].rate_per_month == 50);
	assert_int_equal(s->lines[l].rate_basis, ALLOT_RATE_CITED);
	l = allot_scenario_find_line(s, "himars"); /* 96 a year, not SIPRI's 16 */
	assert_true(s->lines[l].rate_per_month == 8);
	assert_int_equal(s->lines[l].rate_basis, ALLOT_RATE_CITED);
	l = allot_scenario_find_line(s, "f16"); /* 24 a year (2025 forecast) */
	assert_true(s->lines[l].rate_per_month == 2);
	assert_true(s->lines[l].us_share == 0);
	l = allot_scenario_find_line(s, "javelin"); /* 2,400 a year in 2024 */
	assert_true(s->lines[l].rate_per_month == 200);
	/* an own estimate and a SIPRI estimate are both labelled estimate */
	l = allot_scenario_find_line(s, "thaad-battery");
	assert_true(s->lines[l].rate_per_month == 7.0 / 24);
	assert_int_equal(s->lines[l].rate_basis, ALLOT_RATE_ESTIMATE);
	l = allot_scenario_find_line(s, "m270");
	assert_int_equal(s->lines[l].rate_basis, ALLOT_RATE_ESTIMATE);
	/* a line that builds none new says so with a cited 0, not an
	 * estimated 0 (aav7: only second-hand AAV-7A1 on order) */
	l = allot_scenario_find_line(s, "aav7");
	assert_true(s->lines[l].rate_per_month == 0);
	assert_int_equal(s->lines[l].rate_basis, ALLOT_RATE_CITED);
	for (size_t i = 0; i < s->n_lines; i++)
		assert_int_not_equal(s->lines[i].rate_basis, ALLOT_RATE_UNSTATED);
	/* DSCA notified case values (dsca_cases.csv): Poland's Apache case is
	 * USD 12 bn for 96, not the TIV estimate's 3.4 bn */
	const struct allot_order *papa = find_order(s, "POL", "apache", 96);
	assert_non_null(papa);
	assert_true((double)papa->qty * s->systems[papa->system].unit_cost_usd == 12e9);
	assert_true(s->systems[allot_scenario_find_system(s, "abrams")].unit_cost_usd == 24e6);
	/* a cited unit price is kept (F-35A), not replaced */
	assert_true(s->systems[allot_scenario_find_system(s, "f35a")].unit_cost_usd == 82.5e6);
	/* every estimate is labelled in the data (issue 15): a cited per-unit
	 * price, a DSCA case value and a TIV estimate; unknown has no basis;
	 * every stock is an estimate, every SIPRI date a year, every purchase
	 * figure a TIV proxy */
	assert_int_equal(s->systems[allot_scenario_find_system(s, "f35a")].unit_cost_basis,
			 ALLOT_RATE_CITED);
	assert_int_equal(s->systems[papa->system].unit_cost_basis, ALLOT_RATE_ESTIMATE);
	assert_int_equal(s->systems[allot_scenario_find_system(s, "aargm")].unit_cost_basis,
			 ALLOT_RATE_ESTIMATE);
	assert_int_equal(s->systems[allot_scenario_find_system(s, "jagm")].unit_cost_basis,
			 ALLOT_RATE_UNSTATED);
	for (size_t i = 0; i < s->n_minerals; i++)
		assert_int_equal(s->minerals[i].stock_basis, ALLOT_RATE_ESTIMATE);
	for (size_t i = 0; i < s->n_orders; i++) { /* but the month loa_months.csv states */
		int stated = strcmp(s->orders[i].order_id, "SIPRI-POL-2022-05") == 0;
		assert_int_equal(s->orders[i].loa_basis, stated ? ALLOT_LOA_MONTH : ALLOT_LOA_YEAR);
		assert_int_equal(s->orders[i].loa_month % 12, stated ? 3 : 0); /* April, January */
	}
	for (size_t i = 0; i < s->n_partners; i++)
		assert_int_equal(s->partners[i].purchases_basis, ALLOT_PURCHASES_TIV);
	/* catch-alls split by maker: Bell and MD on their own lines, M-ATV with
	 * the JLTV (Oshkosh), only the Huey II rebuilds left on helicopter-other */
	int y412 = allot_scenario_find_system(s, "bell-412");
	assert_true(y412 >= 0);
	assert_string_equal(s->lines[s->systems[y412].line].line_id, "bell-commercial");
	int ymatv = allot_scenario_find_system(s, "matv");
	assert_string_equal(s->lines[s->systems[ymatv].line].line_id, "jltv");
	int yhx = allot_scenario_find_system(s, "helicopter-other");
	assert_true(yhx >= 0);
	for (size_t i = 0; i < s->n_orders; i++)
		if (s->orders[i].system == yhx)
			assert_int_equal(s->orders[i].qty, 8);          /* Kenya UH-1H Huey II */
	assert_int_equal(allot_scenario_find_line(s, "apc-other"), -1); /* no user left */
	/* missing partner figures carry the last known value, not 0 */
	int iare = allot_scenario_find_partner(s, "ARE"); /* SIPRI 2014: 5.64 % */
	assert_true(s->partners[iare].defense_pct_gdp > 5.64 &&
		    s->partners[iare].defense_pct_gdp < 5.65);
	assert_true(s->partners[iare].real_growth_3y_pct == 13.89); /* 2011-2014 */
	int iqat = allot_scenario_find_partner(s, "QAT");           /* SIPRI 2022: 6.50 % */
	assert_true(s->partners[iqat].defense_pct_gdp > 6.50 &&
		    s->partners[iqat].defense_pct_gdp < 6.51);
	assert_true(s->partners[iqat].real_growth_3y_pct == 0); /* no 3-year window: default */
	assert_int_equal(s->partners[iqat].defense_year, 2022);
	assert_int_equal(s->partners[iqat].growth_year, ALLOT_NO_FIGURE);
	assert_int_equal(s->partners[iare].defense_year, 2014);
	assert_int_equal(s->partners[iare].growth_year, 2014);
	assert_int_equal(s->partners[ip].defense_year, 2024);
	assert_true(s->partners[iqat].us_troops == 10000);
	/* basing by role: Guatemala's funded sites below Saudi Arabia's lily pads */
	assert_int_equal(s->partners[allot_scenario_find_partner(s, "GTM")].basing_access, 1);
	assert_int_equal(s->partners[allot_scenario_find_partner(s, "SAU")].basing_access, 2);
	assert_int_equal(s->partners[iqat].basing_access, 3);
	size_t mdn;
	char *md = tu_slurp(tu_src("data/default/SOURCES.md"), &mdn);
	assert_non_null(md);
	assert_non_null(strstr(md, "(SIPRI 2014, last known, carried forward) | 13.89 "
				   "(2011-2014, last known, carried forward)"));
	/* no silent zero: a system with an open order costs more than 0, or
	 * its cost is unknown (NaN, written `unknown`) and the notes say so
	 * (JAGM, SPY-7, the sonar group) */
	size_t unknown = 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_system *y = &s->systems[s->orders[i].system];
		if (y->unit_cost_usd > 0)
			continue;
		assert_false(allot_cost_known(y->unit_cost_usd)); /* never 0 */
		char row[128];
		snprintf(row, sizeof row, "| %s | %s | unknown | %d | %d | UNKNOWN (", y->system_id,
			 s->lines[y->line].line_id, y->lead_months, y->eeum);
		assert_non_null(strstr(md, row));
		unknown++;
	}
	assert_int_equal(unknown, 6); /* the bundled orders of jagm, spy7 and sonar */
	assert_true(s->systems[allot_scenario_find_system(s, "virginia")].unit_cost_usd == 5675e6);
	assert_true(s->systems[allot_scenario_find_system(s, "altius")].unit_cost_usd == 1030928);
	free(md);
	l = allot_scenario_find_line(s, "f35");
	assert_true(s->lines[l].rate_per_month == 191.0 / 12);
	/* EEUM systems */
	const char *eeum[] = { "javelin",   "stinger",  "tow2b",    "amraam",  "aim9x",
			       "harpoon-2", "tomahawk", "jassm-er", "slam-er", "mq9" };
	for (size_t i = 0; i < sizeof eeum / sizeof *eeum; i++) {
		int y = allot_scenario_find_system(s, eeum[i]);
		assert_true(y >= 0);
		assert_int_equal(s->systems[y].eeum, 1);
	}
	assert_int_equal(s->systems[allot_scenario_find_system(s, "pac3-mse")].eeum, 0);
	/* the F-35 bill of rare earths */
	int f35 = allot_scenario_find_system(s, "f35a"),
	    ree = allot_scenario_find_mineral(s, "rare-earths");
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

/* A copy of data/sources and data/mappings with `sed -i SED` run on
 * sources/FILE; src and map (n bytes each) get the copy's two folders. */
static char *sources_sed(const char *file, const char *sed, char *src, char *map, size_t n)
{
	char *dir = sources_copy("sources/lines.csv", "NOMATCH");
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "sed -i '%s' '%s/sources/%s'", sed, dir, file);
	assert_int_equal(system(cmd), 0);
	snprintf(src, n, "%s/sources", dir);
	snprintf(map, n, "%s/mappings", dir);
	return dir;
}

/* An as-of dataset uses only what was known then (issue 15 with the
 * backtest): a DSCA value notified before it (Taiwan's F-16, Aug 2019) but
 * not one notified later (Poland's Apache, Aug 2023), and a cited rate dated
 * before it only (HIMARS's 2024-12 rate is not: its line is estimated). */
static void as_of_dataset_uses_only_earlier_cases_and_rates(void **state)
{
	(void)state;
	struct allot_diags d;
	char *md;
	struct allot_scenario *s = tu_as_of_book("2020-01", &md, &d);
	int f16 = allot_scenario_find_system(s, "f16v");
	assert_true(f16 >= 0);
	assert_true(s->systems[f16].unit_cost_usd == 121212121); /* 8e9 / 66 rounded */
	int apache = allot_scenario_find_system(s, "apache");
	assert_true(apache >= 0);
	assert_true(s->systems[apache].unit_cost_usd != 125e6);
	int himars = allot_scenario_find_line(s, "himars");
	assert_true(himars >= 0);
	assert_int_equal(s->lines[himars].rate_basis, ALLOT_RATE_ESTIMATE);
	assert_true(s->lines[himars].rate_per_month != 8);
	allot_scenario_free(s);
	free(md);
	allot_diags_free(&d);
}

static void dataset_reports_gaps_in_the_hand_tables(void **state)
{
	(void)state;
	struct {
		const char *file, *drop, *msg;
	} cases[] = {
		{ "sources/partners_geo.csv", "LKA,",
		  "expected a row for every partner, missing: LKA" },
		{ "mappings/countries.csv", "Sri Lanka,",
		  "expected a row for every recipient of an open order, missing: 'Sri Lanka'" },
		{ "sources/lines.csv", "tomahawk,", "expected a row for line 'tomahawk' (used by" },
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
	/* a cited rate without its basis or date, and a DSCA case whose system is
	 * not its order's, are errors at file:line:column (the field's first
	 * character, as the scenario reader counts columns; worked out by hand
	 * on the edited line) */
	struct {
		const char *file, *sed, *msg;
		long line, col;
	} bad[] = {
		{ "lines.csv", "s/^f16,\\(.*\\),2025,cited,/f16,\\1,2025,,/",
		  "expected rate_basis cited or estimate with a rate, found ''", 0, 64 },
		{ "lines.csv", "s/^f16,\\(.*\\),2025,cited,/f16,\\1,,cited,/",
		  "expected the rate's date (YYYY or YYYY-MM) in rate_date, found none", 0, 59 },
		{ "dsca_cases.csv", "s/^SIPRI-POL-2024-03,apache,/SIPRI-POL-2024-03,abrams,/",
		  "expected SIPRI-POL-2024-03's system 'apache', found 'abrams'", 2, 19 },
		/* an empty unit cost with no DSCA case and no SIPRI TIV is not 0
		 * (issue 15 item 4): Virginia's cited cost and JAGM's 'unknown' */
		{ "systems.csv", "s/^\\(Virginia,,virginia,[^,]*,virginia,\\)5675000000,/\\1,/",
		  "expected a unit cost in USD, 'unknown', a DSCA case (dsca_cases.csv) or a "
		  "SIPRI TIV on an open order for 'virginia', found none",
		  0, 54 },
		{ "systems.csv", "s/^\\(AGM-179 JAGM,,jagm,JAGM,hellfire-jagm,\\)unknown,/\\1,/",
		  "expected a unit cost in USD, 'unknown', a DSCA case (dsca_cases.csv) or a "
		  "SIPRI TIV on an open order for 'jagm', found none",
		  0, 39 },
		/* a typed unit cost states its basis, and only a typed one
		 * (issue 15: an estimate is labelled as one in the data) */
		{ "systems.csv", "s/^\\(F-35A\\*,.*,\\)cited,\"unit cost/\\1,\"unit cost/",
		  "expected unit_cost_basis cited or estimate with a cost, found ''", 0, 82 },
		{ "systems.csv", "s/^\\(AGM-179 JAGM,.*,\\),\"unit cost/\\1estimate,\"unit cost/",
		  "expected an empty unit_cost_basis without a typed cost, found 'estimate'", 0,
		  64 },
		{ "minerals.csv", "s/^\\(gallium,.*,\\)estimate,\"price/\\1guess,\"price/",
		  "expected stock_basis cited or estimate, found 'guess'", 3, 48 },
		/* a stated schedule holds all its order's open units, of an order
		 * not supplied new, in months from as_of */
		{ "schedules.csv", "/^SIPRI-AUS-2023-03,virginia,2035-07,/d",
		  "expected rows of SIPRI-AUS-2023-03 holding its 2 open units, found '1'", 2, 1 },
		{ "schedules.csv",
		  "s/^SIPRI-AUS-2023-03,virginia,2035-07,1,/SIPRI-AUS-2023-03,virginia,2035-07,2,/",
		  "expected at most 2 open units of SIPRI-AUS-2023-03 in all, found '2'", 3, 36 },
		{ "schedules.csv",
		  "s/^SIPRI-AUS-2023-03,virginia,2032-07,/SIPRI-AUS-2023-08,virginia,2032-07,/",
		  "expected an order not supplied new (SIPRI-AUS-2023-08 is new: its line's queue "
		  "dates it), found 'SIPRI-AUS-2023-08'",
		  2, 1 },
		{ "schedules.csv",
		  "s/^SIPRI-AUS-2023-03,virginia,2032-07,/SIPRI-AUS-2023-03,virginia,2024-07,/",
		  "expected a month from as_of 2025-01, found '2024-07'", 2, 28 },
		/* a stated LOA month: of an open order and its system, in the year
		 * SIPRI records, one row an order */
		{ "loa_months.csv", "s/^SIPRI-POL-2022-05,/SIPRI-POL-2022-99,/",
		  "expected an open order of the dataset, found 'SIPRI-POL-2022-99'", 2, 1 },
		{ "loa_months.csv", "s/^SIPRI-POL-2022-05,abrams,/SIPRI-POL-2022-05,m88,/",
		  "expected SIPRI-POL-2022-05's system 'abrams', found 'm88'", 2, 19 },
		{ "loa_months.csv",
		  "s/^SIPRI-POL-2022-05,abrams,2022-04,/SIPRI-POL-2022-05,abrams,2023-04,/",
		  "expected a month YYYY-MM of 2022 (the year SIPRI records for "
		  "SIPRI-POL-2022-05), found '2023-04'",
		  2, 26 },
		{ "loa_months.csv", "$p",
		  "expected one row for SIPRI-POL-2022-05, found 'SIPRI-POL-2022-05'", 3, 1 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char bsrc[4096], bmap[4096];
		char *bd = sources_sed(bad[i].file, bad[i].sed, bsrc, bmap, sizeof bsrc);
		struct allot_diags bdg;
		allot_diags_init(&bdg);
		struct allot_scenario *bs = NULL;
		char *bmd = NULL;
		assert_int_equal(build(bsrc, bmap, &bs, &bmd, &bdg), ALLOT_EINPUT);
		assert_int_equal(allot_diags_count(&bdg), 1);
		assert_string_equal(bdg.v[0].msg, bad[i].msg);
		if (bad[i].line)
			assert_int_equal(bdg.v[0].line, bad[i].line);
		else
			assert_true(bdg.v[0].line > 1);
		assert_int_equal(bdg.v[0].col, bad[i].col);
		allot_diags_free(&bdg);
		tu_rmtree(bd);
		free(bd);
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
	assert_non_null(strstr(
		d.v[0].msg, "matching designation 'Virginia' (description 'nuclear submarine')"));
	assert_true(d.v[0].line > 12);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

/* Every price of critical_minerals.csv says what it rests on (a USGS
 * chapter, an estimate, or missing and then without a number) and the
 * National Defense Stockpile holdings are a number or nothing: a row that
 * breaks this is an error at its file:line:column. */
static void critical_minerals_prices_and_stock_are_labelled(void **state)
{
	(void)state;
	struct {
		const char *sed, *msg;
		long line, col;
	} bad[] = {
		{ "s/\"price: USGS MCS 2026 Antimony/\"price: recalled Antimony/",
		  "expected a citation starting 'price: USGS ...' or 'price: estimate' (with a "
		  "price) or 'price: missing' (without), found 'price: recalled Antimony chapter (Feb 20'",
		  3, 97 },
		{ "s/^cesium,Cesium,cesium,,CESIUM,,,,,,/cesium,Cesium,cesium,,CESIUM,,,,5,2024,/",
		  "expected a citation starting 'price: USGS ...' or 'price: estimate' (with a "
		  "price) or 'price: missing' (without), found 'price: missing: the USGS MCS 2026 Cesium'",
		  9, 53 },
		{ "s/,78,\"price: USGS/,-78,\"price: USGS/",
		  "expected a number from 0 to 1e+09, found '-78'", 6, 72 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char src[4096], map[4096];
		char *dir = sources_sed("critical_minerals.csv", bad[i].sed, src, map, sizeof src);
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_scenario *s = NULL;
		char *md = NULL, *crit = NULL;
		assert_int_equal(build_all(src, map, &s, &md, &crit, &d), ALLOT_EINPUT);
		assert_null(crit);
		assert_int_equal(allot_diags_count(&d), 1);
		assert_string_equal(d.v[0].msg, bad[i].msg);
		assert_int_equal(d.v[0].line, bad[i].line);
		assert_int_equal(d.v[0].col, bad[i].col);
		allot_convert_free_text(md);
		allot_scenario_free(s);
		allot_diags_free(&d);
		tu_rmtree(dir);
		free(dir);
	}
}

/* Supply type from status and comments (docs/dataset.md, "Supply type"),
 * one fixture record per case, in file order. */
static void sipri_supply_type_from_status_and_comments(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *r =
		read_ok(tu_src("tests/data/sipri/register-supply.csv"), &d);
	static const char *const want[] = {
		"new",     /* no comment */
		"used",    /* status Second hand */
		"used",    /* Second hand but modernized */
		"lease",   /* second-hand, but "$300 m lease" wins */
		"used",    /* status New, "Probably second-hand" */
		"licence", /* "Produced under licence in Japan" */
		"new",     /* "For 4 ... frigates produced in Finland": the platform */
		"licence", /* "Assembled in Egypt" */
		"licence", /* licence clause, then a "for ..." clause */
		"new",     /* "engine for ... APC produced in Austria": the platform */
		"new",     /* "release" is not "lease" */
		"used",    /* "EDA" */
		"licence", /* "incl assembly or production under licence of 21" */
		"licence", /* "most assembled in India" */
		"new",     /* "For ... helicopters produced under licence": the platform */
		"lease",   /* lease before second-hand in the comments: lease wins */
	};
	assert_int_equal(r->n, sizeof want / sizeof *want);
	for (size_t i = 0; i < r->n; i++) {
		const char *got = allot_supply_type_name(allot_sipri_supply_type(&r->v[i]));
		if (strcmp(got, want[i]) != 0)
			fail_msg("record %zu (%s): %s, expected %s", i + 1, r->v[i].comments, got,
				 want[i]);
	}
	allot_sipri_free(r);
	allot_diags_free(&d);
}

/* The wip rows as "ORDER:MONTH:UNITS ...". */
#define wip_text tu_wip_text

/* The WIP rule by hand (docs/dataset.md, "Work in progress").  Line L: 1
 * a month, 3 from an event of 2024-06, 4 from one of 2025-01 (both in force
 * at as_of 2025-01; the one of 2025-02 is not), us_share 0, so F(t) = 4.
 * S1 has lead 2, S2 lead 4.  In fcfs order: C (used: off the line), A (6
 * open), B (1), D, E.
 *   t=0: A 4   t=1: A 2, B 1 (D's LOA 2024-11 + 4 is not reached before
 *   t=2, E's 2025-03 + 2 never: 1 unit unused)   t=2: D 4   t=3: D 4
 * Line M, 2 a month: X (lead 1) first, then Y (lead 3); X has no units in
 * production delivered at t >= 1.  t=0: X 2   t=1: Y 2   t=2: Y 2 */
static void derive_wip_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 24);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 0, 3, 0, 0);
	int l = tu_line(s, "L", 1, 0);
	int s1 = tu_system(s, "S1", l, 1, 2, 0), s2 = tu_system(s, "S2", l, 1, 4, 0);
	int a = tu_order(s, "A", p, s1, 10, 4, "2020-01", NULL, -1);
	int b = tu_order(s, "B", p, s2, 1, 0, "2021-01", NULL, -1);
	int c = tu_order(s, "C", p, s1, 9, 0, "2019-01", NULL, -1);
	int dd = tu_order(s, "D", p, s2, 20, 0, "2024-11", NULL, -1);
	tu_order(s, "E", p, s1, 2, 0, "2025-03", NULL, -1);
	int lm = tu_line(s, "M", 2, 0);
	int s3 = tu_system(s, "S3", lm, 1, 1, 0), s4 = tu_system(s, "S4", lm, 1, 3, 0);
	tu_order(s, "X", p, s3, 10, 0, "2020-01", NULL, -1);
	tu_order(s, "Y", p, s4, 10, 0, "2021-01", NULL, -1);
	s->orders[c].supply = ALLOT_SUPPLY_USED;
	tu_event(s, "2024-06", ALLOT_EV_CAPACITY, "L", "3");
	tu_event(s, "2025-01", ALLOT_EV_CAPACITY, "L", "4");
	tu_event(s, "2025-02", ALLOT_EV_CAPACITY, "L", "100");
	tu_wip(s, b, "2025-01", 1); /* replaced */
	assert_int_equal(allot_derive_wip(s), ALLOT_OK);
	assert_string_equal(wip_text(s),
			    "A:2025-01:4 A:2025-02:2 B:2025-02:1 D:2025-03:4 D:2025-04:4 "
			    "X:2025-01:2 Y:2025-02:2 Y:2025-03:2");
	(void)a;
	(void)dd;

	/* Planned: the WIP arrives as derived and the line starts free. */
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = ALLOT_POLICY_FCFS;
	struct allot_plan *pl = NULL;
	assert_int_equal(allot_plan_run(s, &o, &pl), ALLOT_OK);
	assert_int_equal(pl->orders[a].completion, tu_m("2025-02"));
	assert_int_equal(pl->orders[b].completion, tu_m("2025-02"));
	assert_int_equal(allot_plan_offline(pl, dd).wip, 8);
	assert_int_equal(pl->used[0], 4); /* D's 12 line units take month 0 */
	allot_plan_free(pl);
	allot_scenario_free(s);
}

/* The WIP rule with a measured time to first delivery, by hand.  Line L
 * makes 4 a month (us_share 0).  S has lead 2 and a first delivery 18
 * months after the LOA; S2 lead 4 and 1 (below its lead: the lead rules).
 * In fcfs order A (S, 5 open, LOA 2023-01), B (S, 10, 2024-01), C (S2, 10,
 * 2024-10).
 *   Without first_months: t=0 A 4; t=1 A 1, B 3 (B from t >= -12 + 2);
 *   t=2, t=3: C 4 each (C from t >= -3 + 4 = 1; A and B only below lead 2).
 *   With them: B only from t >= -12 + 18 = 6, past its lead: none.  t=0 A 4;
 *   t=1 A 1, C 3; t=2 C 4; t=3 C 3 (C's 10 open units). */
static void derive_wip_first_delivery_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 24);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 0, 3, 0, 0);
	int l = tu_line(s, "L", 4, 0);
	int y = tu_system(s, "S", l, 1, 2, 0), y2 = tu_system(s, "S2", l, 1, 4, 0);
	tu_order(s, "A", p, y, 5, 0, "2023-01", NULL, -1);
	tu_order(s, "B", p, y, 10, 0, "2024-01", NULL, -1);
	tu_order(s, "C", p, y2, 10, 0, "2024-10", NULL, -1);
	assert_int_equal(allot_derive_wip(s), ALLOT_OK);
	assert_string_equal(wip_text(s), "A:2025-01:4 A:2025-02:1 B:2025-02:3 C:2025-03:4 "
					 "C:2025-04:4");
	int first[2];
	first[y] = 18;
	first[y2] = 1;
	assert_int_equal(allot_derive_wip_from(s, first), ALLOT_OK);
	assert_string_equal(wip_text(s), "A:2025-01:4 A:2025-02:1 C:2025-02:3 C:2025-03:4 "
					 "C:2025-04:3");
	/* NULL is the lead rule */
	assert_int_equal(allot_derive_wip_from(s, NULL), ALLOT_OK);
	assert_string_equal(wip_text(s), "A:2025-01:4 A:2025-02:1 B:2025-02:3 C:2025-03:4 "
					 "C:2025-04:4");
	allot_scenario_free(s);
}

/* The WIP rule with a contract's pace, by hand (docs/dataset.md, "Work in
 * progress").  Line L makes 4 a month (us_share 0); S and S2 have lead 3.
 * In fcfs order A (S, 12 open, LOA 2022-01), B (S, 6, 2022-06), C (S2, 10,
 * 2023-01).  S's contracts take 6 months from first to last delivery, S2's
 * pace is not measured (0: no limit).
 *   Without pace: t=0, 1, 2: A 4 each (A's 12; B and C nothing).
 *   With it: A at most ceil(12 / 6) = 2 a month, B ceil(6 / 6) = 1, C the
 *   rest: t=0, 1, 2: A 2, B 1, C 1 (the line still delivers 4 a month). */
static void derive_wip_pace_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 24);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 0, 3, 0, 0);
	int l = tu_line(s, "L", 4, 0);
	int y = tu_system(s, "S", l, 1, 3, 0), y2 = tu_system(s, "S2", l, 1, 3, 0);
	tu_order(s, "A", p, y, 12, 0, "2022-01", NULL, -1);
	tu_order(s, "B", p, y, 6, 0, "2022-06", NULL, -1);
	tu_order(s, "C", p, y2, 10, 0, "2023-01", NULL, -1);
	assert_int_equal(allot_derive_wip_paced(s, NULL, NULL), ALLOT_OK);
	assert_string_equal(wip_text(s), "A:2025-01:4 A:2025-02:4 A:2025-03:4");
	int pace[2];
	pace[y] = 6;
	pace[y2] = 0;
	assert_int_equal(allot_derive_wip_paced(s, NULL, pace), ALLOT_OK);
	assert_string_equal(wip_text(s), "A:2025-01:2 A:2025-02:2 A:2025-03:2 B:2025-01:1 "
					 "B:2025-02:1 B:2025-03:1 C:2025-01:1 C:2025-02:1 "
					 "C:2025-03:1");
	allot_scenario_free(s);
}

/* How a line's pipeline is shared, by hand (docs/dataset.md, "Work in
 * progress"; wip_share.c): contracts already delivering first, then the
 * expected duration of those not started.  Line L makes 4 a month (us_share 0); S has
 * lead 3.  In fcfs order A (8 open, nothing delivered, LOA 2021-01), B (10,
 * 4 delivered: 6 open, 2022-01), C (5, nothing delivered, 2022-06), U (a
 * used order, nothing delivered: off the line, rank 0), E (3, 1 delivered:
 * 2 open, 2023-01).
 *   First come, first served: t=0 A 4; t=1 A 4; t=2 B 4.
 *   Delivering first (B, E, then A, C): t=0 B 4; t=1 B 2, E 2; t=2 A 4. */
static void derive_wip_shared_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 24);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 0, 3, 0, 0);
	int l = tu_line(s, "L", 4, 0);
	int y = tu_system(s, "S", l, 1, 3, 0);
	tu_order(s, "A", p, y, 8, 0, "2021-01", NULL, -1);
	tu_order(s, "B", p, y, 10, 4, "2022-01", NULL, -1);
	tu_order(s, "C", p, y, 5, 0, "2022-06", NULL, -1);
	int u = tu_order(s, "U", p, y, 7, 0, "2020-01", NULL, -1);
	tu_order(s, "E", p, y, 3, 1, "2023-01", NULL, -1);
	s->orders[u].supply = ALLOT_SUPPLY_USED;
	assert_int_equal(allot_derive_wip_ranked(s, NULL, NULL, NULL, 0, NULL, NULL), ALLOT_OK);
	assert_string_equal(wip_text(s), "A:2025-01:4 A:2025-02:4 B:2025-03:4");
	int64_t rank[5];
	assert_int_equal(allot_wip_rank_started(s, rank), 2);
	assert_int_equal(rank[0], 1); /* A */
	assert_int_equal(rank[1], 0); /* B */
	assert_int_equal(rank[2], 1); /* C */
	assert_int_equal(rank[3], 0); /* U: not new */
	assert_int_equal(rank[4], 0); /* E */
	assert_int_equal(allot_derive_wip_ranked(s, NULL, NULL, NULL, 0, rank, NULL), ALLOT_OK);
	assert_string_equal(wip_text(s), "A:2025-03:4 B:2025-01:4 B:2025-02:2 E:2025-02:2");

	/* With the expected durations: past contracts still open 4 years after
	 * their order took 5 years in all, those open 3 years 4.  A (2021, a =
	 * 4) lasts to 2025-12: its 8 units spread over the 12 months from
	 * as_of, by month t at most floor(8 (t + 1) / 12) in all; C (2022, a =
	 * 3) to 2025-12: floor(5 (t + 1) / 12).  B and E have deliveries and U
	 * is not new: no limit.  t=0: B 4 (A and C due 0); t=1: B 2, E 2 (the
	 * line is full; A is due 1); t=2: A 2 (due floor(24 / 12), catching up
	 * the month the line was full), C 1 (floor(15 / 12)).  The monthly cap
	 * of the rule before, ceil(8 / 12) = 1, gave A 1 in 2025-03. */
	int after[ALLOT_TIMING_AGES] = { 0 };
	after[3] = 4;
	after[4] = 5;
	int64_t limit[5];
	assert_int_equal(allot_wip_limit_after(s, after, limit), 2);
	assert_int_equal(limit[0], 12);
	assert_int_equal(limit[1], 0);
	assert_int_equal(limit[2], 12);
	assert_int_equal(limit[3], 0);
	assert_int_equal(limit[4], 0);
	assert_int_equal(allot_derive_wip_ranked(s, NULL, NULL, NULL, 0, rank, limit), ALLOT_OK);
	assert_string_equal(wip_text(s),
			    "A:2025-03:2 B:2025-01:4 B:2025-02:2 C:2025-03:1 E:2025-02:2");
	/* A duration already past (2021 + 3 - 1 = 2023) leaves all its open
	 * units to one month: no limit in effect. */
	after[4] = 3;
	assert_int_equal(allot_wip_limit_after(s, after, limit), 2);
	assert_int_equal(limit[0], 1);
	allot_scenario_free(s);
}

/* A small contract not yet started is spread to its expected end, not
 * delivered at one a month (docs/dataset.md, "Work in progress"): X, 3
 * units ordered 2023-01, nothing delivered, 2 years on at 2025-01; past
 * contracts open 2 years took 3 in all, so X lasts to 2025-12, M = 12.  The
 * line has 10 a month and a 12-month lead: by month t X may have
 * floor(3 (t + 1) / 12) units, one in 2025-04, 2025-08 and 2025-12.  The
 * monthly cap of the rule before, ceil(3 / 12) = 1, delivered all three in
 * 2025-01..03, two years before contracts like it finish. */
static void derive_wip_spread_small_contract(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2025-01", 24);
	int p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 0, 3, 0, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1, 12, 0);
	tu_order(s, "X", p, y, 3, 0, "2023-01", NULL, -1);
	int after[ALLOT_TIMING_AGES] = { 0 };
	after[2] = 3;
	int64_t rank[1], limit[1];
	assert_int_equal(allot_wip_rank_started(s, rank), 1);
	assert_int_equal(allot_wip_limit_after(s, after, limit), 1);
	assert_int_equal(limit[0], 12);
	assert_int_equal(allot_derive_wip_ranked(s, NULL, NULL, NULL, 0, rank, limit), ALLOT_OK);
	assert_string_equal(wip_text(s), "X:2025-04:1 X:2025-08:1 X:2025-12:1");
	allot_scenario_free(s);
}

/* Timing by supply type, by hand (register-timing.csv, United States,
 * ordered 2005-2024):
 *   used: lags 1 (2010: 2011), 0 (2012: 2012-13), 3 (2015: 2018, partly
 *     delivered), 2 (2014: 2016, partly) -> sorted 0 1 2 3, lower median 1;
 *     spans of those delivered in full 1, 2 -> 1.  The 2000 record and the
 *     German one do not count.
 *   lease: lag 0, span 1.  licence: lags 2, 3, 3 -> 3 (the 2025 record, lag
 *     0, is after the window); spans 3, 2 -> 2. */
static void sipri_supply_timing_by_hand(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_sipri_register *r =
		read_ok(tu_src("tests/data/sipri/register-timing.csv"), &d);
	struct allot_supply_timing t;
	assert_int_equal(
		allot_sipri_supply_timing(r, "United States", ALLOT_SUPPLY_USED, 2005, 2024, &t),
		ALLOT_OK);
	assert_int_equal(t.records, 4);
	assert_int_equal(t.complete, 2);
	assert_int_equal(t.lag_years, 1);
	assert_int_equal(t.span_years, 1);
	assert_int_equal(
		allot_sipri_supply_timing(r, "United States", ALLOT_SUPPLY_LEASE, 2005, 2024, &t),
		ALLOT_OK);
	assert_int_equal(t.records, 1);
	assert_int_equal(t.lag_years, 0);
	assert_int_equal(t.span_years, 1);
	assert_int_equal(
		allot_sipri_supply_timing(r, "United States", ALLOT_SUPPLY_LICENCE, 2005, 2024, &t),
		ALLOT_OK);
	assert_int_equal(t.records, 3);
	assert_int_equal(t.complete, 2);
	assert_int_equal(t.lag_years, 3);
	assert_int_equal(t.span_years, 2);
	/* As of 2020-01 (ordered 2000-2019): only deliveries recorded up to
	 * 2019 count.  licence: Japan 2014 (2016-2018: lag 2, span 3), Italy
	 * 2016 (2019 and 2020: lag 3, not in full by 2019), Turkey 2018 (2021:
	 * no delivery yet) -> lags 2, 3 -> 2; one span, 3. */
	assert_int_equal(
		allot_sipri_supply_timing(r, "United States", ALLOT_SUPPLY_LICENCE, 2000, 2019, &t),
		ALLOT_OK);
	assert_int_equal(t.records, 2);
	assert_int_equal(t.complete, 1);
	assert_int_equal(t.lag_years, 2);
	assert_int_equal(t.span_years, 3);
	assert_int_equal(t.duration_years, 5);    /* 2014 to 2018, inclusive */
	assert_int_equal(t.duration_after[4], 5); /* the one record took 5 > 4 */
	assert_int_equal(t.duration_after[5], 0); /* none took more than 5 */
	/* Order to last delivery, inclusive, of those delivered in full:
	 * used 2010 -> 2011 and 2012 -> 2013: 2, 2 -> 2; licence 2014 -> 2018
	 * and 2016 -> 2020: 5; lease 2020 -> 2020: 1. */
	assert_int_equal(
		allot_sipri_supply_timing(r, "United States", ALLOT_SUPPLY_USED, 2005, 2024, &t),
		ALLOT_OK);
	assert_int_equal(t.duration_years, 2);
	assert_int_equal(t.duration_after[0], 2);
	assert_int_equal(t.duration_after[1], 2);
	assert_int_equal(t.duration_after[2], 0);
	assert_int_equal(
		allot_sipri_supply_timing(r, "United States", ALLOT_SUPPLY_LICENCE, 2005, 2024, &t),
		ALLOT_OK);
	assert_int_equal(t.duration_years, 5);
	assert_int_equal(
		allot_sipri_supply_timing(r, "United States", ALLOT_SUPPLY_LEASE, 2005, 2024, &t),
		ALLOT_OK);
	assert_int_equal(t.duration_years, 1);
	/* Over a subset (the converter's per-line measure): the one new record
	 * is Japan's F-35A of 2019 (record 9, delivered 2021: lag 2, 3 years);
	 * without it in the subset there is none. */
	unsigned char only[12] = { 0 };
	assert_int_equal(r->n, 12);
	assert_int_equal(allot_sipri_supply_timing_of(r, "United States", ALLOT_SUPPLY_NEW, 2005,
						      2024, only, &t),
			 ALLOT_OK);
	assert_int_equal(t.records, 0);
	assert_int_equal(t.duration_years, 0);
	only[9] = 1;
	assert_int_equal(allot_sipri_supply_timing_of(r, "United States", ALLOT_SUPPLY_NEW, 2005,
						      2024, only, &t),
			 ALLOT_OK);
	assert_int_equal(t.records, 1);
	assert_int_equal(t.complete, 1);
	assert_int_equal(t.lag_years, 2);
	assert_int_equal(t.duration_years, 3);
	allot_sipri_free(r);
	allot_diags_free(&d);
}

/* The off-line schedule tests' scenario (as_of 2025-01, one partner p, one
 * line of 1 a month, one system y with lead 2) and timings (USED: lag 1,
 * span 1; LICENCE: lag 2, span 1; LEASE: no records). */
static struct allot_scenario *offline_scenario(int *p, int *y)
{
	struct allot_scenario *s = tu_scenario("2025-01", 36);
	*p = tu_partner(s, "AAA", "europe-east", 1, 5, 30, 0, 3, 0, 0);
	*y = tu_system(s, "S", tu_line(s, "L", 1, 0), 1, 2, 0);
	return s;
}

static void offline_timing(struct allot_supply_timing tm[ALLOT_SUPPLY_COUNT])
{
	memset(tm, 0, ALLOT_SUPPLY_COUNT * sizeof *tm);
	for (int k = 0; k < ALLOT_SUPPLY_COUNT; k++)
		tm[k].span_years = 1;
	tm[ALLOT_SUPPLY_USED] = (struct allot_supply_timing){
		.records = 3, .complete = 2, .lag_years = 1, .span_years = 1, .duration_years = 2
	};
	tm[ALLOT_SUPPLY_LICENCE] = (struct allot_supply_timing){
		.records = 3, .complete = 2, .lag_years = 2, .span_years = 1, .duration_years = 3
	};
}

/* Schedules by hand: USED (8 open, LOA 2022-01, lag 1, span 1) from
 * max(2023-01, as_of 2025-01), 8 units over 12 months: 8(k+1)/12 - 8k/12
 * is 1 in months 1, 2, 4, 5, 7, 8, 10, 11.  LIC (6, LOA 2024-06, lag 2,
 * span 1) from 2026-06: 1 in months 1, 3, 5, 7, 9, 11.  LEASE has no
 * records: no rows, the planner's rule applies.  NEW is untouched. */
static void schedule_offline_by_hand(void **state)
{
	(void)state;
	int p, y;
	struct allot_scenario *s = offline_scenario(&p, &y);
	int used = tu_order(s, "USED", p, y, 10, 2, "2022-01", NULL, -1);
	int lic = tu_order(s, "LIC", p, y, 6, 0, "2024-06", NULL, -1);
	int lease = tu_order(s, "LEASE", p, y, 3, 0, "2024-06", NULL, -1);
	tu_order(s, "NEW", p, y, 3, 0, "2024-06", NULL, -1);
	s->orders[used].supply = ALLOT_SUPPLY_USED;
	s->orders[lic].supply = ALLOT_SUPPLY_LICENCE;
	s->orders[lease].supply = ALLOT_SUPPLY_LEASE;
	struct allot_supply_timing tm[ALLOT_SUPPLY_COUNT];
	offline_timing(tm);
	assert_int_equal(allot_schedule_offline(s, tm), ALLOT_OK);
	assert_string_equal(wip_text(s),
			    "USED:2025-02:1 USED:2025-03:1 USED:2025-05:1 USED:2025-06:1 "
			    "USED:2025-08:1 USED:2025-09:1 USED:2025-11:1 USED:2025-12:1 "
			    "LIC:2026-07:1 LIC:2026-09:1 LIC:2026-11:1 LIC:2027-01:1 "
			    "LIC:2027-03:1 LIC:2027-05:1");
	/* Written and loaded back: a schedule of an order not supplied new may
	 * run past as_of + lead_months. */
	char *dir = tu_tmpdir();
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_write(s, dir, &d), ALLOT_OK);
	struct allot_scenario *back = NULL;
	int rc = allot_scenario_load(dir, &back, &d);
	if (rc)
		allot_diags_print(&d, stderr);
	assert_int_equal(rc, ALLOT_OK);
	assert_int_equal(back->n_wip, 14);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *pl = NULL;
	assert_int_equal(allot_plan_run(back, &o, &pl), ALLOT_OK);
	assert_int_equal(pl->orders[used].completion, tu_m("2025-12"));
	assert_int_equal(pl->orders[lic].completion, tu_m("2027-05"));
	assert_int_equal(pl->orders[lease].completion, tu_m("2025-01")); /* the rule */
	allot_plan_free(pl);
	allot_scenario_free(back);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
	allot_scenario_free(s);
}

/* An order still open years after its order lasts as long as the past
 * records that took longer (duration_after), by hand: as_of 2025-01, USED
 * (6 open, LOA 2021-01, age 4; lag 1, span 1, duration_after[4] = 6):
 * from max(2022-01, 2025-01) to the December of 2021 + 6 - 1 = 2026-12,
 * 24 months: 6(k+1)/24 - 6k/24 is 1 at k = 3, 7, 11, 15, 19, 23.  RECENT
 * (2, LOA 2024-01, age 1; duration_after[1] = 0): the span rule, 2 over
 * 12 months from 2025-01: 1 at k = 5, 11.  (Without the rule USED would
 * get 1 in 2025-02, -04, -06, -08, -10, -12.)  PACED, like USED but 10
 * ordered, 4 delivered and recorded at 2 a month (max_per_month, a
 * started contract's own pace: order_pace.c), is delivered at its pace:
 * its 6 open over ceil(6 / 2) = 3 months, 2 in each of 2025-01..03, not to
 * 2026-12 like USED. */
static void schedule_offline_after_age(void **state)
{
	(void)state;
	int p, y;
	struct allot_scenario *s = offline_scenario(&p, &y);
	int used = tu_order(s, "USED", p, y, 6, 0, "2021-01", NULL, -1);
	int recent = tu_order(s, "RECENT", p, y, 2, 0, "2024-01", NULL, -1);
	int paced = tu_order(s, "PACED", p, y, 10, 4, "2021-01", NULL, -1);
	s->orders[used].supply = ALLOT_SUPPLY_USED;
	s->orders[recent].supply = ALLOT_SUPPLY_USED;
	s->orders[paced].supply = ALLOT_SUPPLY_USED;
	s->orders[paced].max_per_month = 2;
	struct allot_supply_timing tm[ALLOT_SUPPLY_COUNT];
	offline_timing(tm);
	tm[ALLOT_SUPPLY_USED].duration_after[4] = 6;
	assert_int_equal(allot_schedule_offline(s, tm), ALLOT_OK);
	assert_string_equal(wip_text(s), "USED:2025-04:1 USED:2025-08:1 USED:2025-12:1 "
					 "USED:2026-04:1 USED:2026-08:1 USED:2026-12:1 "
					 "RECENT:2025-06:1 RECENT:2025-12:1 "
					 "PACED:2025-01:2 PACED:2025-02:2 PACED:2025-03:2");
	allot_scenario_free(s);
}

/* A stated schedule (data/sources/schedules.csv, rows already in s->wip)
 * replaces the measured one: USED keeps its one row 2032-07 and gets no
 * other; LIC, without a statement, gets the measured rows as above. */
static void schedule_offline_keeps_stated(void **state)
{
	(void)state;
	int p, y;
	struct allot_scenario *s = offline_scenario(&p, &y);
	int used = tu_order(s, "USED", p, y, 2, 0, "2023-01", NULL, -1);
	int lic = tu_order(s, "LIC", p, y, 6, 0, "2024-06", NULL, -1);
	s->orders[used].supply = ALLOT_SUPPLY_USED;
	s->orders[lic].supply = ALLOT_SUPPLY_LICENCE;
	s->wip = calloc(1, sizeof *s->wip);
	assert_non_null(s->wip);
	s->wip[0] = (struct allot_wip){ used, tu_m("2032-07"), 2 };
	s->n_wip = 1;
	struct allot_supply_timing tm[ALLOT_SUPPLY_COUNT];
	offline_timing(tm);
	assert_int_equal(allot_schedule_offline(s, tm), ALLOT_OK);
	assert_string_equal(wip_text(s), "USED:2032-07:2 LIC:2026-07:1 LIC:2026-09:1 "
					 "LIC:2026-11:1 LIC:2027-01:1 LIC:2027-03:1 "
					 "LIC:2027-05:1");
	allot_scenario_free(s);
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
		cmocka_unit_test(critical_minerals_prices_and_stock_are_labelled),
		cmocka_unit_test(sipri_supply_type_from_status_and_comments),
		cmocka_unit_test(derive_wip_by_hand),
		cmocka_unit_test(derive_wip_first_delivery_by_hand),
		cmocka_unit_test(derive_wip_shared_by_hand),
		cmocka_unit_test(derive_wip_spread_small_contract),
		cmocka_unit_test(derive_wip_pace_by_hand),
		cmocka_unit_test(sipri_supply_timing_by_hand),
		cmocka_unit_test(schedule_offline_by_hand),
		cmocka_unit_test(schedule_offline_after_age),
		cmocka_unit_test(schedule_offline_keeps_stated),
		cmocka_unit_test(as_of_dataset_uses_only_earlier_cases_and_rates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
