/*
 * dataset_minerals.c - minerals.csv, supply.csv and bom.csv of the dataset.
 *
 * Bills of materials come from data/sources/bom.csv (kg per unit, cited or
 * labelled estimates), for the systems the dataset has.  The monthly
 * defence requirement C of a mineral is what the foreign-sales capacity
 * needs at its highest scheduled rate: the sum over lines of the peak
 * F = rate * (1 - us_share) over the as-of values and the events, times the
 * largest bill on that line.  Supply is C split by source with USGS MCS
 * 2025 figures: domestic = C * (1 - NIR), imports = C * NIR, of which the
 * share from China is China's share of world production (T5) when China is
 * among the major US import sources (Fig. 2) and leads world production,
 * 0.5 when it is listed but its share is not given, 0 when not listed;
 * the rest is "allied".  Stock = stock_months * C.  All amounts in grams.
 */
#include "convert/dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define USGS_T5   "usgs-mcs2025/MCS2025_T5_Critical_Minerals_Salient.csv"
#define USGS_FIG2 "usgs-mcs2025/MCS2025_Fig2_Net_Import_Reliance.csv"

enum { MN_ID, MN_NAME, MN_T5, MN_FIG2, MN_MONTHS, MN_PRICE, MN_BASIS, MN_CITE };
static const char *const mineral_cols[] = {
	"mineral_id",       "name",        "usgs_t5",  "usgs_fig2", "stock_months",
	"price_usd_per_kg", "stock_basis", "citation", NULL,
};
enum { BM_SYSTEM, BM_MINERAL, BM_KG, BM_CITE };
static const char *const bom_cols[] = {
	"system_id", "mineral_id", "kg_per_unit", "citation", NULL,
};

static int64_t grams(double kg)
{
	return (int64_t)llround(kg * 1000.0);
}

/* Highest foreign-sales rate of a line over the as-of values and events. */
static double peak_foreign_rate(const struct allot_scenario *s, int line)
{
	double rate = s->lines[line].rate_per_month, share = s->lines[line].us_share;
	double peak = rate * (1 - share);
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *e = &s->events[i];
		if (e->index != line)
			continue;
		if (e->type == ALLOT_EV_CAPACITY)
			rate = e->num;
		else if (e->type == ALLOT_EV_US_SHARE)
			share = e->num;
		else
			continue;
		if (rate * (1 - share) > peak)
			peak = rate * (1 - share);
	}
	return peak;
}

/* C in kg/month for mineral m (index into s->minerals). */
static double requirement(const struct allot_scenario *s, int m)
{
	double total = 0;
	for (size_t l = 0; l < s->n_lines; l++) {
		double kg = 0;
		for (size_t b = 0; b < s->n_bom; b++)
			if (s->bom[b].mineral == m && s->systems[s->bom[b].system].line == (int)l &&
			    s->bom[b].g_per_unit / 1000.0 > kg)
				kg = s->bom[b].g_per_unit / 1000.0;
		total += kg * peak_foreign_rate(s, (int)l);
	}
	return total;
}

static size_t row_named(const struct csvr_table *t, int col, const char *name)
{
	for (size_t i = 1; i < t->n; i++) {
		const char *v = csvr_get(&t->rows[i], col);
		while (*v == ' ')
			v++;
		size_t n = strlen(v);
		while (n > 0 && v[n - 1] == ' ')
			n--;
		if (n == strlen(name) && strncmp(v, name, n) == 0)
			return i;
	}
	return 0;
}

/* Net import reliance in %: ">75" reads 75, "<25" 25, "E" (net exporter) 0. */
static int nir_value(const char *s, double *out)
{
	if (strcmp(s, "E") == 0) {
		*out = 0;
		return 0;
	}
	if (*s == '>' || *s == '<')
		s++;
	return ds_number(s, out);
}

static int add_supply(struct allot_scenario *s, int m, const char *source, double kg)
{
	if (ds_push(&s->supply, s->n_supply, sizeof *s->supply))
		return ALLOT_ENOMEM;
	struct allot_supply *x = &s->supply[s->n_supply];
	memset(x, 0, sizeof *x);
	s->n_supply++;
	x->mineral = m;
	x->g_per_month = grams(kg);
	x->source = mem_strdup(source);
	return x->source ? ALLOT_OK : ALLOT_ENOMEM;
}

static int supply_for(struct ds *ds, const struct ds_table *mt, size_t row, int m,
		      const struct ds_usgs *u)
{
	struct allot_scenario *s = ds->s;
	const char *t5name = ds_field(mt, row, MN_T5), *f2name = ds_field(mt, row, MN_FIG2);
	size_t r5 = row_named(&u->t5, u->t5_name, t5name);
	size_t r2 = f2name[0] ? row_named(&u->fig2, u->f2_name, f2name) : 0;
	double nir, months, china = 0;
	const char *basis;
	if (!r5 || nir_value(csvr_get(&u->t5.rows[r5], u->t5_nir), &nir) != 0) {
		allot_diags_add(
			ds->d, mt->path, mt->t.rows[row].line, ds_colno(mt, row, MN_T5),
			"expected a USGS MCS 2025 T5 mineral with a net import reliance, found '%s'",
			t5name);
		return ALLOT_EINPUT;
	}
	if (f2name[0] && !r2) {
		allot_diags_add(ds->d, mt->path, mt->t.rows[row].line, ds_colno(mt, row, MN_FIG2),
				"expected a USGS MCS 2025 Fig. 2 commodity, found '%s'", f2name);
		return ALLOT_EINPUT;
	}
	if (ds_number(ds_field(mt, row, MN_MONTHS), &months) != 0 || months < 0) {
		allot_diags_add(ds->d, mt->path, mt->t.rows[row].line, ds_colno(mt, row, MN_MONTHS),
				"expected a number of months, found '%s'",
				ds_field(mt, row, MN_MONTHS));
		return ALLOT_EINPUT;
	}
	int listed = r2 && strstr(csvr_get(&u->fig2.rows[r2], u->f2_sources), "China");
	double pct;
	if (!listed) {
		basis = "China not among the major import sources (Fig. 2): 0";
	} else if (strcmp(csvr_get(&u->t5.rows[r5], u->t5_lead), "China") == 0 &&
		   ds_number(csvr_get(&u->t5.rows[r5], u->t5_pct), &pct) == 0) {
		china = pct / 100;
		basis = "China's share of world production (T5)";
	} else {
		china = 0.5;
		basis = "China listed as an import source, share not given: 0.5 (estimate)";
	}
	double c = requirement(s, m);
	double dom = c * (1 - nir / 100), imp = c * nir / 100;
	int rc = add_supply(s, m, "domestic", dom);
	if (rc == ALLOT_OK)
		rc = add_supply(s, m, "allied", imp * (1 - china));
	if (rc == ALLOT_OK)
		rc = add_supply(s, m, "china", imp * china);
	s->minerals[m].stock_g = grams(months * c);
	char cs[32], ns[32], ps[32];
	allot_fmt_double(round(c * 1000) / 1000, cs);
	allot_fmt_double(nir, ns);
	allot_fmt_double(china, ps);
	buf_printf(&ds->md, "| %s | %s | %s (%s) | %s: %s | %g | %g | %g | %g x C |\n",
		   s->minerals[m].mineral_id, cs, ns, csvr_get(&u->t5.rows[r5], u->t5_nir), ps,
		   basis, s->supply[s->n_supply - 3].g_per_month / 1000.0,
		   s->supply[s->n_supply - 2].g_per_month / 1000.0,
		   s->supply[s->n_supply - 1].g_per_month / 1000.0, months);
	return rc;
}

int ds_load_usgs(struct ds *ds, struct ds_usgs *u)
{
	char path[4096];
	memset(u, 0, sizeof *u);
	int rc = csvr_table_read(ds_path(path, sizeof path, ds->dirs->raw, USGS_T5), CSVR_TOLERANT,
				 &u->t5, ds->d);
	if (rc == ALLOT_OK)
		rc = csvr_table_read(ds_path(path, sizeof path, ds->dirs->raw, USGS_FIG2),
				     CSVR_TOLERANT, &u->fig2, ds->d);
	if (rc != ALLOT_OK)
		return rc;
	const struct csvr_row *h5 = u->t5.n ? &u->t5.rows[0] : NULL;
	const struct csvr_row *h2 = u->fig2.n ? &u->fig2.rows[0] : NULL;
	static const char *const c5[] = { "Critical_mineral",       "Net_Import_Reliance",
					  "Leading_source_country", "Leading_source_precent_world",
					  "Apparent_Consumption",   "World_total_prod" };
	static const char *const c2[] = { "Commodity", "Major_Import_Sources_2020_2023",
					  "Net_Import_Reliance_pct_2024" };
	int *at5[] = { &u->t5_name, &u->t5_nir, &u->t5_lead, &u->t5_pct, &u->t5_cons, &u->t5_world };
	int *at2[] = { &u->f2_name, &u->f2_sources, &u->f2_nir };
	int bad = 0;
	for (size_t i = 0; i < sizeof c5 / sizeof *c5; i++)
		bad |= (*at5[i] = h5 ? csvr_col(h5, c5[i]) : -1) < 0;
	for (size_t i = 0; i < sizeof c2 / sizeof *c2; i++)
		bad |= (*at2[i] = h2 ? csvr_col(h2, c2[i]) : -1) < 0;
	if (bad) {
		allot_diags_add(ds->d, ds->dirs->raw, 0, 0,
				"expected the USGS MCS 2025 T5 and Fig. 2 columns, found others");
		return ALLOT_EINPUT;
	}
	return ALLOT_OK;
}

void ds_usgs_free(struct ds_usgs *u)
{
	csvr_table_free(&u->t5);
	csvr_table_free(&u->fig2);
}

static int add_mineral(struct ds *ds, const struct ds_table *mt, size_t row)
{
	struct allot_scenario *s = ds->s;
	double price;
	if (ds_number(ds_field(mt, row, MN_PRICE), &price) != 0 || price < 0) {
		allot_diags_add(ds->d, mt->path, mt->t.rows[row].line, ds_colno(mt, row, MN_PRICE),
				"expected a price in USD/kg, found '%s'",
				ds_field(mt, row, MN_PRICE));
		return ALLOT_EINPUT;
	}
	/* stock_basis: what stock_months rests on, cited or estimate */
	enum allot_rate_basis basis = ALLOT_RATE_UNSTATED;
	const char *b = ds_field(mt, row, MN_BASIS);
	if (allot_rate_basis_parse(b, &basis) != 0 || basis == ALLOT_RATE_UNSTATED) {
		allot_diags_add(ds->d, mt->path, mt->t.rows[row].line, ds_colno(mt, row, MN_BASIS),
				"expected stock_basis cited or estimate, found '%s'", b);
		return ALLOT_EINPUT;
	}
	if (ds_push(&s->minerals, s->n_minerals, sizeof *s->minerals))
		return ALLOT_ENOMEM;
	struct allot_mineral *x = &s->minerals[s->n_minerals];
	memset(x, 0, sizeof *x);
	s->n_minerals++;
	x->mineral_id = mem_strdup(ds_field(mt, row, MN_ID));
	x->name = mem_strdup(ds_field(mt, row, MN_NAME));
	x->price_usd_per_kg = price;
	x->stock_basis = (int)basis;
	return x->mineral_id && x->name ? ALLOT_OK : ALLOT_ENOMEM;
}

static int cmp_bom(const void *a, const void *b, void *ctx);

/* Bill rows for systems in the dataset; rows naming other systems of
 * systems.csv are skipped (listed), unknown ids are errors. */
static int add_bom(struct ds *ds, const struct ds_table *bt)
{
	struct allot_scenario *s = ds->s;
	size_t cap = 0;
	for (size_t i = 1; i < bt->t.n; i++) {
		long line = bt->t.rows[i].line;
		const char *sys = ds_field(bt, i, BM_SYSTEM), *min = ds_field(bt, i, BM_MINERAL);
		int si = allot_scenario_find_system(s, sys),
		    mi = allot_scenario_find_mineral(s, min);
		double kg;
		if (si < 0) {
			int known = 0;
			for (size_t k = 1; k < ds->systems.t.n && !known; k++)
				known = strcmp(ds_field(&ds->systems, k, 2), sys) == 0;
			if (!known) {
				allot_diags_add(ds->d, bt->path, line, ds_colno(bt, i, BM_SYSTEM),
						"expected a system_id of systems.csv, found '%s'",
						sys);
				return ALLOT_EINPUT;
			}
			buf_printf(&ds->md, "| %s | %s | (skipped: no open order) | |\n", sys, min);
			continue;
		}
		if (mi < 0 || ds_number(ds_field(bt, i, BM_KG), &kg) != 0 || kg < 0) {
			allot_diags_add(ds->d, bt->path, line,
					mi < 0 ? ds_colno(bt, i, BM_MINERAL)
					       : ds_colno(bt, i, BM_KG),
					mi < 0 ? "expected a mineral_id of minerals.csv, found '%s'"
					       : "expected kilograms per unit, found '%s'",
					mi < 0 ? min : ds_field(bt, i, BM_KG));
			return ALLOT_EINPUT;
		}
		if (mem_grow(&s->bom, &cap, s->n_bom + 1, sizeof *s->bom))
			return ALLOT_ENOMEM;
		s->bom[s->n_bom++] = (struct allot_bom){ si, mi, grams(kg) };
		buf_printf(&ds->md, "| %s | %s | %s | %s |\n", sys, min, ds_field(bt, i, BM_KG),
			   ds_field(bt, i, BM_CITE));
	}
	/* sorted by (system, mineral); systems and minerals are already sorted */
	for (size_t i = 1; i < s->n_bom; i++)
		for (size_t j = i; j > 0 && cmp_bom(&s->bom[j - 1], &s->bom[j], NULL) > 0; j--) {
			struct allot_bom x = s->bom[j];
			s->bom[j] = s->bom[j - 1];
			s->bom[j - 1] = x;
		}
	return ALLOT_OK;
}

static int cmp_bom(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	const struct allot_bom *x = a, *y = b;
	if (x->system != y->system)
		return x->system < y->system ? -1 : 1;
	return x->mineral < y->mineral ? -1 : x->mineral > y->mineral;
}

/* Data rows of the minerals table in mineral_id order. */
static int sorted_rows(const struct ds_table *mt, size_t **out)
{
	size_t n = mt->t.n ? mt->t.n - 1 : 0;
	size_t *v = mem_calloc(n ? n : 1, sizeof *v);
	if (!v)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = i + 1;
	for (size_t i = 1; i < n; i++)
		for (size_t j = i;
		     j > 0 && strcmp(ds_field(mt, v[j - 1], MN_ID), ds_field(mt, v[j], MN_ID)) > 0;
		     j--) {
			size_t x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	*out = v;
	return ALLOT_OK;
}

int ds_minerals(struct ds *ds)
{
	struct ds_table mt, bt;
	struct ds_usgs u;
	memset(&mt, 0, sizeof mt);
	memset(&bt, 0, sizeof bt);
	memset(&u, 0, sizeof u);
	size_t *rows = NULL;
	int rc = ds_table_load(ds, ds->dirs->sources, "minerals.csv", mineral_cols, &mt);
	if (rc == ALLOT_OK)
		rc = ds_table_load(ds, ds->dirs->sources, "bom.csv", bom_cols, &bt);
	if (rc == ALLOT_OK)
		rc = ds_load_usgs(ds, &u);
	if (rc == ALLOT_OK)
		rc = sorted_rows(&mt, &rows);
	for (size_t i = 0; rc == ALLOT_OK && i + 1 < mt.t.n; i++)
		rc = add_mineral(ds, &mt, rows[i]);
	if (rc == ALLOT_OK) {
		buf_puts(
			&ds->md,
			"\n### Bills of materials (bom.csv), kg per unit\n\n"
			"| system_id | mineral_id | kg_per_unit | citation |\n|---|---|---|---|\n");
		rc = add_bom(ds, &bt);
	}
	if (rc == ALLOT_OK)
		buf_puts(&ds->md,
			 "\n### Minerals, supply and stock (minerals.csv, supply.csv)\n\n"
			 "C = monthly requirement of the foreign-sales capacity at its peak "
			 "scheduled rate (kg/month); NIR = US net import reliance 2024 (%, "
			 "USGS MCS 2025 T5).\n\n"
			 "| mineral | C | NIR (as printed) | China share of imports: basis "
			 "| domestic kg/month | allied kg/month | china kg/month | stock |\n"
			 "|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; rc == ALLOT_OK && i + 1 < mt.t.n; i++)
		rc = supply_for(ds, &mt, rows[i], (int)i, &u);
	mem_free(rows);
	ds_usgs_free(&u);
	ds_table_free(&mt);
	ds_table_free(&bt);
	return rc;
}
