/*
 * test_convert.c - the converters: SIPRI trade registers (fixtures under
 * tests/data/sipri and the real export in ../shared/data/raw), the country
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
	struct allot_sipri_register *r = read_ok(tu_shared(SIPRI_REAL), &d);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
