/*
 * dataset_economy.c - critical_minerals.csv of the dataset: every mineral of
 * the final 2025 US critical-minerals list at the economy's scale, for
 * `allot reserve` (docs/reserve.md, "The economy's scale").
 *
 * One row per mineral of data/sources/critical_minerals.csv (the 14
 * lanthanides of the list are one row, "rare-earths", as in the USGS Rare
 * Earths chapter).  Figures, each with its basis in the `basis` column:
 *
 *   consumption   US apparent consumption, t/yr: the hand value when typed
 *                 (an estimate or a figure T5 withholds), else USGS MCS 2025
 *                 T5; written as kg per month
 *   world prod.   the hand value, else T5 World_total_prod (t/yr)
 *   NIR           the hand value, else Fig. 2, else T5 (">75" reads 75,
 *                 "<25" 25, "E" 0); nir_text keeps the printed text
 *   shares        domestic = 1 - NIR; china = NIR x china_import_share (the
 *                 hand share of US imports); the rest of the imports is split
 *                 between allies and others in proportion to how many of the
 *                 Fig. 2 sources other than China are US allies or close
 *                 partners (the list below); half and half without a Fig. 2
 *                 row.  The split is an estimate.
 *   stock         National Defense Stockpile holdings (nds_stock_t, typed
 *                 with its date and source) where a per-material figure is
 *                 public; else the dataset's minerals.csv stock for the eight
 *                 minerals of the bills of materials (estimates); else empty
 *                 (missing): USGS stopped publishing NDS inventories by
 *                 material after 2022 (MCS 2026 chapters)
 *   end-use       defence, semiconductors, batteries, communications shares
 *                 of consumption (hand estimates from the T4 applications);
 *                 the rest of the economy takes what is left
 *
 * A missing figure stays empty, never 0.
 */
#include "convert/dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

enum {
	CM_ID,
	CM_NAME,
	CM_COVERS,
	CM_T5,
	CM_FIG2,
	CM_NIR,
	CM_CONS,
	CM_WORLD,
	CM_PRICE,
	CM_YEAR,
	CM_CHINA,
	CM_DEF,
	CM_SEMI,
	CM_BATT,
	CM_COMM,
	CM_NDS,
	CM_CITE
};
static const char *const cm_cols[] = {
	"mineral_id",
	"name",
	"covers",
	"usgs_t5",
	"usgs_fig2",
	"nir_pct",
	"consumption_t",
	"world_production_t",
	"price_usd_per_kg",
	"price_year",
	"china_import_share",
	"defence_share",
	"semiconductors_share",
	"batteries_share",
	"communications_share",
	"nds_stock_t",
	"citation",
	NULL,
};

/* US treaty allies and close partners among the Fig. 2 import sources
 * (US Department of State, U.S. Collective Defense Arrangements; NATO;
 * USMCA for Mexico; major non-NATO allies). */
static const char *const allies[] = {
	"Canada",         "Mexico",  "Japan",       "Republic of Korea",
	"Australia",      "Germany", "Belgium",     "Norway",
	"Finland",        "Italy",   "Poland",      "Israel",
	"Estonia",        "Turkey",  "Czechia",     "Austria",
	"United Kingdom", "France",  "Philippines", "Netherlands",
	"Spain",          "Greece",  "Bahrain",     NULL,
};

static void trim(const char *s, char *out, size_t n)
{
	while (*s == ' ')
		s++;
	size_t k = strlen(s);
	while (k > 0 && (s[k - 1] == ' ' || (s[k - 1] >= '0' && s[k - 1] <= '9' && k > 1 &&
					     s[k - 2] >= 'a' && s[k - 2] <= 'z')))
		k--; /* "China3": a footnote digit glued to a name */
	if (k >= n)
		k = n - 1;
	memcpy(out, s, k);
	out[k] = '\0';
}

static size_t row_named(const struct csvr_table *t, int col, const char *name)
{
	char a[256], b[256];
	trim(name, b, sizeof b);
	for (size_t i = 1; name[0] && i < t->n; i++) {
		trim(csvr_get(&t->rows[i], col), a, sizeof a);
		if (strcmp(a, b) == 0)
			return i;
	}
	return 0;
}

/* ">75" 75, "<25" 25, "E" 0; -1 when not a number ("W", "NA", ""). */
static double usgs_number(const char *s)
{
	char buf[64];
	size_t k = 0;
	while (*s == ' ' || *s == '<' || *s == '>')
		s++;
	if (strcmp(s, "E") == 0)
		return 0;
	for (; *s && k + 1 < sizeof buf; s++)
		if (*s != ',')
			buf[k++] = *s;
	buf[k] = '\0';
	double v;
	return k && ds_number(buf, &v) == 0 ? v : -1;
}

static int is_ally(const char *name)
{
	for (int i = 0; allies[i]; i++)
		if (strcmp(allies[i], name) == 0)
			return 1;
	return 0;
}

/* Share of the non-Chinese Fig. 2 sources that are allies (0.5 without). */
static double ally_share(const char *list)
{
	int n = 0, a = 0;
	char buf[512], name[128];
	snprintf(buf, sizeof buf, "%s", list);
	for (char *p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
		trim(p, name, sizeof name);
		if (!name[0] || strcmp(name, "China") == 0)
			continue;
		n++;
		a += is_ally(name);
	}
	return n ? (double)a / n : 0.5;
}

static void put_num(struct buf *b, double v)
{
	char s[32];
	if (v < 0 || isnan(v)) {
		buf_puts(b, ",");
		return;
	}
	allot_fmt_double(round(v * 1e6) / 1e6, s);
	buf_printf(b, ",%s", s);
}

static void put_text(struct buf *b, const char *s)
{
	buf_puts(b, ",\"");
	for (; *s; s++) {
		if (*s == '"')
			buf_puts(b, "\"");
		buf_printf(b, "%c", *s);
	}
	buf_puts(b, "\"");
}

/* A hand number: -1 when empty; ALLOT_EINPUT when not a number in [lo, hi]. */
static int hand(struct ds *ds, const struct ds_table *t, size_t row, int col, double lo, double hi,
		double *out)
{
	const char *v = ds_field(t, row, col);
	*out = -1;
	if (!v[0])
		return ALLOT_OK;
	if (ds_number(v, out) != 0 || *out < lo || *out > hi) {
		allot_diags_add(ds->d, t->path, t->t.rows[row].line, ds_colno(t, row, col),
				"expected a number from %g to %g, found '%s'", lo, hi, v);
		return ALLOT_EINPUT;
	}
	return ALLOT_OK;
}

static int one_row(struct ds *ds, const struct ds_table *t, size_t row, const struct ds_usgs *u,
		   struct buf *csv)
{
	const struct allot_scenario *s = ds->s;
	double nir, cons, world, price, year, china, sh[4], nds;
	int rc = hand(ds, t, row, CM_NIR, 0, 100, &nir);
	if (rc == ALLOT_OK)
		rc = hand(ds, t, row, CM_NDS, 0, 1e9, &nds);
	if (rc == ALLOT_OK)
		rc = hand(ds, t, row, CM_CONS, 0, 1e12, &cons);
	if (rc == ALLOT_OK)
		rc = hand(ds, t, row, CM_WORLD, 0, 1e12, &world);
	if (rc == ALLOT_OK)
		rc = hand(ds, t, row, CM_PRICE, 0, 1e9, &price);
	if (rc == ALLOT_OK)
		rc = hand(ds, t, row, CM_YEAR, 1900, 2100, &year);
	if (rc == ALLOT_OK)
		rc = hand(ds, t, row, CM_CHINA, 0, 1, &china);
	for (int k = 0; k < 4 && rc == ALLOT_OK; k++)
		rc = hand(ds, t, row, CM_DEF + k, 0, 1, &sh[k]);
	if (rc != ALLOT_OK)
		return rc;
	/* Every price says what it rests on: a USGS chapter, an estimate, or
	 * nothing (missing, and then no number). */
	const char *cite = ds_field(t, row, CM_CITE);
	int cited = strncmp(cite, "price: USGS ", 12) == 0,
	    est = strncmp(cite, "price: estimate", 15) == 0,
	    none = strncmp(cite, "price: missing", 14) == 0;
	if (!(cited || est || none) || none != (price < 0)) {
		allot_diags_add(
			ds->d, t->path, t->t.rows[row].line, ds_colno(t, row, CM_CITE),
			"expected a citation starting 'price: USGS ...' or 'price: estimate' "
			"(with a price) or 'price: missing' (without), found '%.40s'",
			cite);
		return ALLOT_EINPUT;
	}
	const char *t5n = ds_field(t, row, CM_T5), *f2n = ds_field(t, row, CM_FIG2);
	size_t r5 = row_named(&u->t5, u->t5_name, t5n), r2 = row_named(&u->fig2, u->f2_name, f2n);
	if ((t5n[0] && !r5) || (f2n[0] && !r2)) {
		int c = t5n[0] && !r5 ? CM_T5 : CM_FIG2;
		allot_diags_add(ds->d, t->path, t->t.rows[row].line, ds_colno(t, row, c),
				"expected a USGS MCS 2025 %s name, found '%s'",
				c == CM_T5 ? "T5 mineral" : "Fig. 2 commodity",
				ds_field(t, row, c));
		return ALLOT_EINPUT;
	}
	char nir_text[32] = "";
	if (nir >= 0)
		allot_fmt_double(nir, nir_text);
	else if (r2)
		trim(csvr_get(&u->fig2.rows[r2], u->f2_nir), nir_text, sizeof nir_text);
	else if (r5)
		trim(csvr_get(&u->t5.rows[r5], u->t5_nir), nir_text, sizeof nir_text);
	if (nir < 0 && nir_text[0])
		nir = usgs_number(nir_text);
	if (cons < 0 && r5)
		cons = usgs_number(csvr_get(&u->t5.rows[r5], u->t5_cons));
	if (world < 0 && r5)
		world = usgs_number(csvr_get(&u->t5.rows[r5], u->t5_world));
	double sum = 0;
	for (int k = 0; k < 4; k++)
		sum += sh[k] > 0 ? sh[k] : 0;
	if (sum > 1 + 1e-9) {
		allot_diags_add(ds->d, t->path, t->t.rows[row].line, ds_colno(t, row, CM_DEF),
				"expected end-use shares adding up to at most 1, found %g", sum);
		return ALLOT_EINPUT;
	}
	double imp = nir >= 0 ? nir / 100 : -1,
	       ally = r2 ? ally_share(csvr_get(&u->fig2.rows[r2], u->f2_sources)) : 0.5;
	double dom = imp >= 0 ? 1 - imp : -1;
	double chn = imp >= 0 && china >= 0 ? imp * china : -1;
	double rest = chn >= 0 ? imp - chn : -1;
	int m = allot_scenario_find_mineral(s, ds_field(t, row, CM_ID));
	double stock = nds >= 0 ? nds * 1000 : m >= 0 ? s->minerals[m].stock_g / 1000.0 : -1;
	const char *stock_basis =
		nds >= 0 ? "National Defense Stockpile holdings (see the citation)"
		: m >= 0 ? "estimate (minerals.csv: months of the arms requirement)"
			 : "missing (no public National Defense Stockpile figure by material)";

	buf_puts(csv, ds_field(t, row, CM_ID));
	put_text(csv, ds_field(t, row, CM_NAME));
	put_text(csv, ds_field(t, row, CM_COVERS));
	put_num(csv, cons >= 0 ? cons * 1000 / 12 : -1);
	put_num(csv, world >= 0 ? world * 1000 : -1);
	put_num(csv, nir);
	put_text(csv, nir_text);
	put_num(csv, dom);
	put_num(csv, chn);
	put_num(csv, rest >= 0 ? rest * ally : -1);
	put_num(csv, rest >= 0 ? rest * (1 - ally) : -1);
	put_num(csv, price);
	put_num(csv, year);
	put_num(csv, stock);
	for (int k = 0; k < 4; k++)
		put_num(csv, sh[k]);
	buf_puts(csv, ",\"");
	buf_printf(csv, "%s; NIR: %s; allies/others split: estimate (%s); stock: %s",
		   ds_field(t, row, CM_CITE),
		   ds_field(t, row, CM_NIR)[0] ? "typed (see figures)"
		   : r2                        ? "USGS MCS 2025 Fig. 2"
					       : "USGS MCS 2025 T5",
		   r2 ? "count of allied Fig. 2 sources" : "no Fig. 2 row: half and half",
		   stock_basis);
	buf_puts(csv, "\"\n");
	buf_printf(&ds->md, "| %s | %s | %s | %s | %s |\n", ds_field(t, row, CM_ID),
		   cons >= 0 ? "yes" : "missing",
		   cited ? "USGS"
		   : est ? "estimate"
			 : "missing",
		   nir_text[0] ? nir_text : "missing",
		   nds >= 0 ? "NDS"
		   : m >= 0 ? "estimate"
			    : "missing");
	return ALLOT_OK;
}

static int economy(struct ds *ds, struct buf *csv)
{
	struct ds_table t;
	struct ds_usgs u;
	memset(&u, 0, sizeof u);
	int rc = ds_table_load(ds, ds->dirs->sources, "critical_minerals.csv", cm_cols, &t);
	if (rc == ALLOT_OK)
		rc = ds_load_usgs(ds, &u);
	if (rc == ALLOT_OK) {
		buf_puts(
			csv,
			"mineral_id,name,covers,consumption_kg_per_month,world_production_kg_per_year,"
			"nir_pct,nir_text,domestic_share,china_share,allies_share,others_share,"
			"price_usd_per_kg,price_year,stock_kg,defence_share,semiconductors_share,"
			"batteries_share,communications_share,basis\n");
		buf_puts(
			&ds->md,
			"\n### Critical minerals at the economy's scale (critical_minerals.csv)\n\n"
			"Every mineral of the final 2025 list (the 14 lanthanides as one row); "
			"each row's `basis` column names the source or the estimate behind every "
			"figure (data/sources/critical_minerals.csv).\n\n"
			"| mineral | consumption | price | NIR | stock |\n|---|---|---|---|---|\n");
	}
	for (size_t i = 1; rc == ALLOT_OK && i < t.t.n; i++) {
		if (i > 1 && strcmp(ds_field(&t, i - 1, CM_ID), ds_field(&t, i, CM_ID)) >= 0) {
			allot_diags_add(
				ds->d, t.path, t.t.rows[i].line, ds_colno(&t, i, CM_ID),
				"expected mineral ids in ascending order, found '%s' after '%s'",
				ds_field(&t, i, CM_ID), ds_field(&t, i - 1, CM_ID));
			rc = ALLOT_EINPUT;
			break;
		}
		rc = one_row(ds, &t, i, &u, csv);
	}
	if (rc == ALLOT_OK && csv->err)
		rc = csv->err;
	ds_usgs_free(&u);
	ds_table_free(&t);
	return rc;
}

int allot_convert_critical_minerals(const struct allot_convert_dirs *dirs,
				    const struct allot_scenario *s, char **csv_out, char **md_out,
				    struct allot_diags *diags)
{
	struct ds ds;
	struct buf csv;
	memset(&ds, 0, sizeof ds);
	ds.dirs = dirs;
	ds.d = diags;
	ds.s = (struct allot_scenario *)s; /* read only: the stock of its minerals */
	buf_init(&ds.md, DS_TEXT_MAX);
	buf_init(&csv, DS_TEXT_MAX);
	*csv_out = *md_out = NULL;
	int rc = economy(&ds, &csv);
	if (rc == ALLOT_OK && ds.md.err)
		rc = ds.md.err;
	if (rc == ALLOT_OK) {
		*csv_out = buf_take(&csv);
		*md_out = buf_take(&ds.md);
		if (!*csv_out || !*md_out)
			rc = ALLOT_ENOMEM;
	}
	if (rc != ALLOT_OK) {
		mem_free(*csv_out);
		mem_free(*md_out);
		*csv_out = *md_out = NULL;
	}
	buf_free(&csv);
	buf_free(&ds.md);
	return rc;
}
