/*
 * fuzz_sipri.c - fuzz target: the SIPRI trade-register converter.
 *
 * The input is parsed as a register export (allot_sipri_parse: banner,
 * header search, Latin-1 to UTF-8, records broken inside Comments); when
 * accepted, every record's text must be valid UTF-8, and the open orders are
 * written as CSV with the bundled country table, then read back by the
 * strict CSV reader: the converter's output is valid CSV with one row per
 * open order plus the header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "io/csvread.h"

static struct allot_countries *countries;

static void free_countries(void)
{
	allot_countries_free(countries);
}

static void valid_text(const char *s)
{
	FZ_CHECK(s != NULL);
	FZ_CHECK(utf8_valid(s, strlen(s)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct allot_diags d;
	allot_diags_init(&d);
	if (!countries) {
		FZ_CHECK(allot_countries_load(ALLOT_SOURCE_DIR "/data/mappings/countries.csv",
					      &countries, &d) == ALLOT_OK);
		atexit(free_countries);
	}
	struct allot_sipri_register *r = NULL;
	int rc = allot_sipri_parse((const char *)data, size, "register.csv", &r, &d);
	if (rc != ALLOT_OK) {
		FZ_CHECK(rc == ALLOT_EINPUT);
		FZ_CHECK(r == NULL && allot_diags_count(&d) > 0);
		allot_diags_free(&d);
		return 0;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct allot_sipri_record *x = &r->v[i];
		const char *t[] = { x->recipient,    x->supplier,       x->designation,
				    x->description,  x->delivery_years, x->status,
				    x->comments,     x->tiv_unit,       x->tiv_total,
				    x->tiv_delivered };
		for (size_t k = 0; k < sizeof t / sizeof *t; k++)
			valid_text(t[k]);
		FZ_CHECK(x->line >= 1);
		FZ_CHECK(x->qty >= -1 && x->delivered >= -1);
	}
	struct allot_sipri_filter f;
	allot_sipri_filter_init(&f);
	char *out = NULL;
	size_t len = 0, n = 0;
	FILE *mf = open_memstream(&out, &len);
	FZ_CHECK(mf != NULL);
	FZ_CHECK(allot_sipri_write_open(r, &f, countries, mf, &n, &d) == ALLOT_OK);
	FZ_CHECK(fclose(mf) == 0);
	struct csvr *cr = NULL;
	struct allot_diags d2;
	allot_diags_init(&d2);
	FZ_CHECK(csvr_open_mem(out, len, "open.csv", CSVR_UTF8, &d2, &cr) == ALLOT_OK);
	const struct csvr_record *rec;
	size_t rows = 0;
	while ((rc = csvr_next(cr, &rec)) == ALLOT_OK && rec) {
		FZ_CHECK(rec->n == 16);
		rows++;
	}
	if (rc != ALLOT_OK || allot_diags_count(&d2) != 0) {
		allot_diags_print(&d2, stderr);
		fz_fail("the open-orders CSV reads back", __FILE__, __LINE__);
	}
	FZ_CHECK(rows == n + 1);
	csvr_close(cr);
	allot_diags_free(&d2);
	free(out);
	allot_sipri_free(r);
	allot_diags_free(&d);
	return 0;
}
