/*
 * dataset_partners.c - one partner per recipient of an open order, with:
 *
 *   defense_pct_gdp     SIPRI 2024 share of GDP (OWID export, already in %),
 *                       else NATO 2024e, else SIPRI's last known year (carried
 *                       forward, its year in SOURCES.md)
 *   real_growth_3y_pct  (L / (L-3) - 1) * 100 of SIPRI constant 2023 USD for
 *                       the latest L <= 2024 with both years known (L = 2024
 *                       unless carried forward), rounded to 0.01
 *   us_troops           the larger of troopdata 2024 troops_ad (DMDC assigned
 *                       strength) and a cited presence incl. rotational forces
 *                       (data/sources/us_presence.csv)
 *   basing_access       the role of the US sites in troopdata's basedata
 *                       (basing_level below)
 *   us_purchases_5y_usd SIPRI TIV of US deliveries 2020-2024 x 1e6 (TIV as a
 *                       USD proxy), each record's TIV spread evenly over its
 *                       delivery years
 *   invest_in_us_usd    unknown (no public source), written `unknown`
 *   region, frontline   data/sources/partners_geo.csv
 *   alliance            data/sources/alliances.csv (else "none")
 *
 * Every name goes through the country table; rows of a source whose name
 * is not in the table cannot belong to a partner and are passed over.
 */
#include "convert/dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define MILEX_SHARE "sipri-milex/military-spending-as-a-share-of-gdp-sipri.csv"
#define MILEX_CONST "sipri-milex/DERIVED_constant-2023-usd_from-SIPRI-Milex-data-1949-2024_2.csv"
#define NATO_SHARE  "nato-defexp/defence_per.csv"
#define TROOPS      "troopdata/troopdata-rebuild-country-year.csv"
#define BASES       "troopdata/basedata.csv"

/* Growth windows tried: ending 2024, 2023, ... (the last known one is used). */
#define GROWTH_YEARS 15

/* What is gathered per partner before the rows are written. */
struct pdata {
	const char *iso3;
	const char *name;
	double pct, pct_latest;
	int pct_year; /* year of pct_latest */
	const char *pct_src;
	double c2021, c2024; /* constant USD m over the growth window; NAN when absent */
	int growth_year;     /* the window's last year (2024 unless carried back) */
	double troops;
	double presence; /* cited total presence incl. rotational; 0 none */
	const char *presence_cite;
	int sites, main_bases, lilypads, funded; /* sites by role (basedata) */
	double tiv;
};

static struct pdata *pfind(struct pdata *p, size_t n, const char *iso3)
{
	if (!iso3)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].iso3, iso3) == 0)
			return &p[i];
	return NULL;
}

static struct pdata *pfind_name(struct ds *ds, struct pdata *p, size_t n, const char *name)
{
	return pfind(p, n, allot_countries_iso3(ds->countries, name));
}

static int read_raw(struct ds *ds, const char *rel, struct csvr_table *t)
{
	char path[4096];
	return csvr_table_read(ds_path(path, sizeof path, ds->dirs->raw, rel), CSVR_TOLERANT, t,
			       ds->d);
}

static int number(const char *s, double *v)
{
	return ds_number(s, v) == 0 && strchr(s, '/') == NULL ? 0 : -1;
}

/* OWID long table: Entity, Code, Year, share. */
static int milex_share(struct ds *ds, struct pdata *p, size_t n)
{
	struct csvr_table t;
	int rc = read_raw(ds, MILEX_SHARE, &t);
	if (rc != ALLOT_OK)
		return rc;
	int ce = t.n ? csvr_col(&t.rows[0], "Entity") : -1;
	int cy = t.n ? csvr_col(&t.rows[0], "Year") : -1;
	int cv = t.n ? csvr_col(&t.rows[0], "Military expenditure (% of GDP)") : -1;
	if (ce < 0 || cy < 0 || cv < 0) {
		allot_diags_add(ds->d, MILEX_SHARE, 1, 0,
				"expected columns Entity, Year, Military expenditure (%% of GDP)");
		csvr_table_free(&t);
		return ALLOT_EINPUT;
	}
	for (size_t i = 1; i < t.n; i++) {
		struct pdata *x = pfind_name(ds, p, n, csvr_get(&t.rows[i], ce));
		double y, v;
		if (!x || number(csvr_get(&t.rows[i], cy), &y) ||
		    number(csvr_get(&t.rows[i], cv), &v))
			continue;
		if (y == 2024) {
			x->pct = v;
			x->pct_src = "SIPRI 2024";
		}
		if (y <= 2024 && y > x->pct_year) { /* the last known year, any age */
			x->pct_year = (int)y;
			x->pct_latest = v;
		}
	}
	csvr_table_free(&t);
	return ALLOT_OK;
}

/* NATO wide table: Country, 2014 .. 2023, 2024e. */
static int nato_share(struct ds *ds, struct pdata *p, size_t n)
{
	struct csvr_table t;
	int rc = read_raw(ds, NATO_SHARE, &t);
	if (rc != ALLOT_OK)
		return rc;
	int cv = t.n ? csvr_col(&t.rows[0], "2024e") : -1;
	if (cv < 0) {
		allot_diags_add(ds->d, NATO_SHARE, 1, 0, "expected a column 2024e");
		csvr_table_free(&t);
		return ALLOT_EINPUT;
	}
	for (size_t i = 1; i < t.n; i++) {
		struct pdata *x = pfind_name(ds, p, n, csvr_get(&t.rows[i], 0));
		double v;
		if (x && !x->pct_src && number(csvr_get(&t.rows[i], cv), &v) == 0) {
			x->pct = v;
			x->pct_src = "NATO 2024e";
		}
	}
	csvr_table_free(&t);
	return ALLOT_OK;
}

/* SIPRI constant-USD sheet: banner rows, a "Country,,Notes,1949,..." header,
 * region headings, "..." and "xxx" for no data. */
static int milex_const(struct ds *ds, struct pdata *p, size_t n)
{
	struct csvr_table t;
	int rc = read_raw(ds, MILEX_CONST, &t);
	if (rc != ALLOT_OK)
		return rc;
	size_t h = 0;
	while (h < t.n && strcmp(t.rows[h].f[0], "Country") != 0)
		h++;
	int c21 = h < t.n ? csvr_col(&t.rows[h], "2021") : -1;
	int c24 = h < t.n ? csvr_col(&t.rows[h], "2024") : -1;
	int col[GROWTH_YEARS]; /* 2024, 2023, ... back to GROWTH_FIRST */
	for (int k = 0; k < GROWTH_YEARS && h < t.n; k++) {
		char y[8];
		snprintf(y, sizeof y, "%d", 2024 - k);
		col[k] = csvr_col(&t.rows[h], y);
	}
	if (c21 < 0 || c24 < 0) {
		allot_diags_add(
			ds->d, MILEX_CONST, 0, 0,
			"expected a header row 'Country,,Notes,1949,...' with 2021 and 2024");
		csvr_table_free(&t);
		return ALLOT_EINPUT;
	}
	for (size_t i = h + 1; i < t.n; i++) {
		struct pdata *x = pfind_name(ds, p, n, csvr_get(&t.rows[i], 0));
		if (!x)
			continue;
		/* the latest year L <= 2024 with both L and L-3 known: a missing
		 * 2024 carries the last known three-year growth, with its year */
		for (int k = 0; k + 3 < GROWTH_YEARS; k++) {
			double a, b;
			if (col[k] < 0 || col[k + 3] < 0 ||
			    number(csvr_get(&t.rows[i], col[k + 3]), &a) != 0 ||
			    number(csvr_get(&t.rows[i], col[k]), &b) != 0 || a <= 0)
				continue;
			x->c2021 = a;
			x->c2024 = b;
			x->growth_year = 2024 - k;
			break;
		}
	}
	csvr_table_free(&t);
	return ALLOT_OK;
}

static int troops(struct ds *ds, struct pdata *p, size_t n)
{
	struct csvr_table t;
	int rc = read_raw(ds, TROOPS, &t);
	if (rc != ALLOT_OK)
		return rc;
	int cn = t.n ? csvr_col(&t.rows[0], "countryname") : -1;
	int cy = t.n ? csvr_col(&t.rows[0], "year") : -1;
	int ct = t.n ? csvr_col(&t.rows[0], "troops_ad") : -1;
	if (cn < 0 || cy < 0 || ct < 0) {
		allot_diags_add(ds->d, TROOPS, 1, 0,
				"expected columns countryname, year, troops_ad");
		csvr_table_free(&t);
		return ALLOT_EINPUT;
	}
	for (size_t i = 1; i < t.n; i++) {
		double v;
		if (strcmp(csvr_get(&t.rows[i], cy), "2024") != 0)
			continue;
		struct pdata *x = pfind_name(ds, p, n, csvr_get(&t.rows[i], cn));
		if (x && number(csvr_get(&t.rows[i], ct), &v) == 0)
			x->troops += v;
	}
	csvr_table_free(&t);
	return ALLOT_OK;
}

static int bases(struct ds *ds, struct pdata *p, size_t n)
{
	struct csvr_table t;
	int rc = read_raw(ds, BASES, &t);
	if (rc != ALLOT_OK)
		return rc;
	int cn = t.n ? csvr_col(&t.rows[0], "countryname") : -1;
	int cb = t.n ? csvr_col(&t.rows[0], "base") : -1;
	int cl = t.n ? csvr_col(&t.rows[0], "lilypad") : -1;
	int cf = t.n ? csvr_col(&t.rows[0], "fundedsite") : -1;
	if (cn < 0 || cb < 0 || cl < 0 || cf < 0) {
		allot_diags_add(ds->d, BASES, 1, 0,
				"expected columns countryname, base, lilypad, fundedsite");
		csvr_table_free(&t);
		return ALLOT_EINPUT;
	}
	for (size_t i = 1; i < t.n; i++) {
		struct pdata *x = pfind_name(ds, p, n, csvr_get(&t.rows[i], cn));
		if (!x)
			continue;
		x->sites++;
		/* one role per site, the strongest flag */
		if (strcmp(csvr_get(&t.rows[i], cb), "1") == 0)
			x->main_bases++;
		else if (strcmp(csvr_get(&t.rows[i], cl), "1") == 0)
			x->lilypads++;
		else if (strcmp(csvr_get(&t.rows[i], cf), "1") == 0)
			x->funded++;
	}
	csvr_table_free(&t);
	return ALLOT_OK;
}

static void purchases(struct ds *ds, struct pdata *p, size_t n)
{
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		double tiv;
		if (strcmp(r->supplier, ds->filter.supplier) != 0 ||
		    ds_number(r->tiv_delivered, &tiv) != 0)
			continue;
		struct pdata *x = pfind_name(ds, p, n, r->recipient);
		if (x)
			x->tiv += tiv *
				  ds_delivery_share(r->delivery_years, ds->year_from, ds->year_to);
	}
}

/* Basing from the role of the sites, not their count (docs/dataset.md):
 * 3 two or more main bases; 2 one main base or three or more cooperative
 * security locations (lily pads); 1 one or two lily pads or US-funded sites
 * only (e.g. counter-narcotics sites); 0 none. */
static int basing_level(const struct pdata *x)
{
	if (x->main_bases >= 2)
		return 3;
	if (x->main_bases == 1 || x->lilypads >= 3)
		return 2;
	return x->lilypads || x->funded ? 1 : 0;
}

/* data/sources/us_presence.csv: a cited total presence (assigned plus
 * rotational) where a public figure exists; us_troops is the larger of it
 * and DMDC's assigned strength. */
static const char *const presence_cols[] = { "iso3", "troops", "date", "citation", NULL };

static int presence(struct ds *ds, struct pdata *p, size_t n, struct ds_table *t)
{
	int rc = ds_table_load(ds, ds->dirs->sources, "us_presence.csv", presence_cols, t);
	for (size_t i = 1; rc == ALLOT_OK && i < t->t.n; i++) {
		double v;
		long line = t->t.rows[i].line;
		if (ds_number(ds_field(t, i, 1), &v) != 0 || v < 0) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, i, 1),
					"expected a number of troops >= 0, found '%s'",
					ds_field(t, i, 1));
			return ALLOT_EINPUT;
		}
		struct pdata *x = pfind(p, n, ds_field(t, i, 0));
		if (x) {
			x->presence = v;
			x->presence_cite = ds_field(t, i, 3);
		}
	}
	return rc;
}

/* Looks up iso3 in a hand table's first column; the data row or 0. */
static size_t hand_row(const struct ds_table *t, const char *iso3)
{
	for (size_t i = 1; i < t->t.n; i++)
		if (strcmp(ds_field(t, i, 0), iso3) == 0)
			return i;
	return 0;
}

static int add_partner(struct ds *ds, struct pdata *x, const struct ds_table *geo,
		       const struct ds_table *ally)
{
	struct allot_scenario *s = ds->s;
	size_t g = hand_row(geo, x->iso3), a = hand_row(ally, x->iso3);
	/* no row (an as-of dataset only, see check_geo): other, not frontline */
	const char *fl = g ? ds_field(geo, g, 2) : "0";
	if (strcmp(fl, "0") != 0 && strcmp(fl, "1") != 0) {
		allot_diags_add(ds->d, geo->path, geo->t.rows[g].line, ds_colno(geo, g, 2),
				"expected frontline 0 or 1, found '%s'", fl);
		return ALLOT_EINPUT;
	}
	if (ds_push(&s->partners, s->n_partners, sizeof *s->partners))
		return ALLOT_ENOMEM;
	struct allot_partner *pt = &s->partners[s->n_partners];
	memset(pt, 0, sizeof *pt);
	s->n_partners++;
	snprintf(pt->iso3, sizeof pt->iso3, "%s", x->iso3);
	pt->name = mem_strdup(x->name);
	pt->region = mem_strdup(g ? ds_field(geo, g, 1) : "other");
	pt->alliance = mem_strdup(a ? ds_field(ally, a, 1) : "none");
	if (!pt->name || !pt->region || !pt->alliance)
		return ALLOT_ENOMEM;
	pt->frontline = fl[0] == '1';
	const char *src = x->pct_src;
	char latest[64];
	if (!src && x->pct_year) {
		x->pct = x->pct_latest;
		snprintf(latest, sizeof latest, "SIPRI %d, last known, carried forward",
			 x->pct_year);
		src = latest;
	}
	pt->defense_pct_gdp = src ? x->pct : 0;
	/* the figure's year: 2024 (SIPRI or NATO 2024e), the carried year, or
	 * no figure (the documented default 0) */
	pt->defense_year = !src ? ALLOT_NO_FIGURE : x->pct_src ? 2024 : x->pct_year;
	int growth_ok = !isnan(x->c2021) && !isnan(x->c2024) && x->c2021 > 0;
	pt->real_growth_3y_pct = growth_ok ? round((x->c2024 / x->c2021 - 1) * 10000) / 100 : 0;
	pt->growth_year = growth_ok ? x->growth_year : ALLOT_NO_FIGURE;
	char gsrc[64] = "";
	if (growth_ok && x->growth_year != 2024)
		snprintf(gsrc, sizeof gsrc, " (%d-%d, last known, carried forward)",
			 x->growth_year - 3, x->growth_year);
	pt->us_troops = x->presence > x->troops ? x->presence : x->troops;
	pt->basing_access = basing_level(x);
	pt->us_purchases_5y_usd = round(x->tiv * 1e6);
	pt->purchases_basis = ALLOT_PURCHASES_TIV; /* a TIV proxy, marked as one */
	/* no public source: unknown, never 0 (the score counts it as 0, the
	 * documented default; `score --explain` says so) */
	pt->invest_in_us_usd = NAN;
	pt->eum_status = ALLOT_EUM_COMPLIANT;

	char pct[32], gr[32], tiv[32];
	allot_fmt_double(pt->defense_pct_gdp, pct);
	allot_fmt_double(pt->real_growth_3y_pct, gr);
	allot_fmt_double(round(x->tiv * 1000) / 1000, tiv);
	char troops[64];
	if (x->presence > x->troops)
		snprintf(troops, sizeof troops,
			 "%.0f (present incl. rotational; DMDC assigned %.0f)", pt->us_troops,
			 x->troops);
	else
		snprintf(troops, sizeof troops, "%.0f", pt->us_troops);
	buf_printf(&ds->md,
		   "| %s | %s | %s | %d | %s | %s (%s) | %s%s | %s | %d/%d/%d -> %d | %s |\n",
		   pt->iso3, pt->name, pt->region, pt->frontline, pt->alliance, pct,
		   src ? src : "no data: 0", growth_ok ? gr : "no data: 0", gsrc, troops,
		   x->main_bases, x->lilypads, x->funded, pt->basing_access, tiv);
	return ALLOT_OK;
}

static const char *const geo_cols[] = { "iso3", "region", "frontline", "reason", NULL };
static const char *const ally_cols[] = { "iso3", "alliance", "citation", NULL };

/* Every partner must have a row in partners_geo.csv; lists those missing.
 * An as-of dataset (a backtest, planned first come first served, where
 * region and frontline play no part) lists them in SOURCES.md instead and
 * gives them region other, frontline 0. */
static int check_geo(struct ds *ds, const struct ds_table *geo, char **iso3, size_t n)
{
	struct buf miss;
	buf_init(&miss, DS_TEXT_MAX);
	for (size_t i = 0; i < n; i++)
		if (!hand_row(geo, iso3[i]))
			buf_printf(&miss, "%s%s", miss.n ? ", " : "", iso3[i]);
	int rc = ALLOT_OK;
	if (miss.n && ds->known != ALLOT_NO_MONTH) {
		buf_printf(&ds->md,
			   "\nPartners without a row in partners_geo.csv (region other, "
			   "frontline 0): %s.\n",
			   miss.v);
	} else if (miss.n) {
		allot_diags_add(ds->d, geo->path, 0, 0,
				"expected a row for every partner, missing: %s", miss.v);
		rc = ALLOT_EINPUT;
	}
	buf_free(&miss);
	return rc;
}

int ds_partners(struct ds *ds, char **iso3, size_t n)
{
	struct ds_table geo, ally, pres;
	memset(&geo, 0, sizeof geo);
	memset(&ally, 0, sizeof ally);
	memset(&pres, 0, sizeof pres);
	struct pdata *p = mem_calloc(n ? n : 1, sizeof *p);
	int rc = p ? ALLOT_OK : ALLOT_ENOMEM;
	for (size_t i = 0; rc == ALLOT_OK && i < n; i++) {
		p[i].iso3 = iso3[i];
		p[i].c2021 = p[i].c2024 = NAN;
		for (size_t k = 0; k < ds->reg->n && !p[i].name; k++) {
			const struct allot_sipri_record *r = &ds->reg->v[k];
			const char *c = allot_countries_iso3(ds->countries, r->recipient);
			if (c && strcmp(c, iso3[i]) == 0 && allot_sipri_is_open(r, &ds->filter))
				p[i].name = r->recipient;
		}
	}
	if (rc == ALLOT_OK)
		rc = ds_table_load(ds, ds->dirs->sources, "partners_geo.csv", geo_cols, &geo);
	if (rc == ALLOT_OK)
		rc = ds_table_load(ds, ds->dirs->sources, "alliances.csv", ally_cols, &ally);
	if (rc == ALLOT_OK)
		rc = check_geo(ds, &geo, iso3, n);
	if (rc == ALLOT_OK)
		rc = milex_share(ds, p, n);
	if (rc == ALLOT_OK)
		rc = nato_share(ds, p, n);
	if (rc == ALLOT_OK)
		rc = milex_const(ds, p, n);
	if (rc == ALLOT_OK)
		rc = troops(ds, p, n);
	if (rc == ALLOT_OK)
		rc = bases(ds, p, n);
	if (rc == ALLOT_OK)
		rc = presence(ds, p, n, &pres);
	if (rc == ALLOT_OK) {
		purchases(ds, p, n);
		buf_printf(
			&ds->md,
			"\n### Partners (partners.csv)\n\n"
			"| iso3 | name | region | frontline | alliance | defense_pct_gdp (source) "
			"| real_growth_3y_pct | us_troops | US sites (main bases/lily pads/funded) -> basing_access "
			"| SIPRI TIV of US deliveries %d-%d (m) |\n"
			"|---|---|---|---|---|---|---|---|---|---|\n",
			ds->year_from, ds->year_to);
	}
	for (size_t i = 0; rc == ALLOT_OK && i < n; i++)
		rc = add_partner(ds, &p[i], &geo, &ally);
	mem_free(p);
	ds_table_free(&geo);
	ds_table_free(&ally);
	ds_table_free(&pres);
	return rc;
}
