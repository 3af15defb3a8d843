/*
 * dataset.c - allot_convert_dataset: the bundled scenario from raw public
 * data (docs/dataset.md has the rules; data/default/SOURCES.md the figures).
 *
 * Steps: read the SIPRI register and keep the open US orders; map each to a
 * system through data/sources/systems.csv (designation and description
 * globs, first match wins); keep the systems and lines those orders use,
 * with cited figures or SIPRI-based estimates; build the partners, the
 * minerals and the events; sort every table by its key so the output does
 * not depend on input order.  Anything unmapped is an error that names
 * what is missing, so the hand tables stay complete.
 */
#include "convert/dataset.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/mem.h"

#define SIPRI_REGISTER "sipri-trade-register/trade-register_1950-2024_generated-2025-03-13.csv"
/* SIPRI's per-year export (units by deal and year of delivery); optional */
#define SIPRI_DEAL_ROWS \
	"sipri-trade-register/trade_2023_deal-rows_2000-2023_generated-2025-01-03.csv"

enum {
	SY_DESIG,
	SY_DESC,
	SY_ID,
	SY_NAME,
	SY_LINE,
	SY_COST,
	SY_LEAD,
	SY_EEUM,
	SY_CATALOG,
	SY_ALT,
	SY_COST_BASIS,
	SY_CITE
};
static const char *const system_cols[] = {
	"designation",     "description", "system_id", "name",    "line_id",
	"unit_cost_usd",   "lead_months", "eeum",      "catalog", "foreign_alternative",
	"unit_cost_basis", "citation",    NULL,
};
enum { LN_ID, LN_NAME, LN_RATE, LN_SHARE, LN_DATE, LN_BASIS, LN_CITE };
/* rate_date: the month (YYYY-MM) or year the rate refers to; required with
 * a rate, and an as-of dataset uses a rate only when it is dated before its
 * as-of month (ds_is_known).  rate_basis: cited or estimate. */
static const char *const line_cols[] = {
	"line_id",   "name",       "rate_per_month", "us_share",
	"rate_date", "rate_basis", "citation",       NULL,
};

/* ---- small shared helpers (declared in dataset.h) ---------------------- */

const char *ds_path(char *buf, size_t n, const char *dir, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
	return buf;
}

int ds_table_load(struct ds *ds, const char *dir, const char *name, const char *const *cols,
		  struct ds_table *t)
{
	char path[4096];
	memset(t, 0, sizeof *t);
	t->path = mem_strdup(ds_path(path, sizeof path, dir, name));
	if (!t->path)
		return ALLOT_ENOMEM;
	int rc = csvr_table_read(t->path, CSVR_TOLERANT, &t->t, ds->d);
	if (rc != ALLOT_OK)
		return rc;
	if (t->t.n == 0) {
		allot_diags_add(ds->d, t->path, 1, 0,
				"expected a header line, found an empty file");
		return ALLOT_EINPUT;
	}
	for (int i = 0; cols[i]; i++) {
		t->col[i] = csvr_col(&t->t.rows[0], cols[i]);
		if (t->col[i] < 0) {
			allot_diags_add(ds->d, t->path, t->t.rows[0].line, 0,
					"expected a column '%s' in the header, found none",
					cols[i]);
			rc = ALLOT_EINPUT;
		}
	}
	return rc;
}

void ds_table_free(struct ds_table *t)
{
	csvr_table_free(&t->t);
	mem_free(t->path);
	t->path = NULL;
}

const char *ds_field(const struct ds_table *t, size_t row, int col)
{
	return csvr_get(&t->t.rows[row], t->col[col]);
}

long ds_colno(const struct ds_table *t, size_t row, int col)
{
	return csvr_colno(&t->t.rows[row], t->col[col]);
}

int ds_number(const char *s, double *out)
{
	char *end;
	double a = strtod(s, &end);
	if (end == s)
		return -1;
	if (*end == '/') {
		const char *q = end + 1;
		double b = strtod(q, &end);
		if (end == q || b == 0)
			return -1;
		a /= b;
	}
	if (*end || !isfinite(a))
		return -1;
	*out = a;
	return 0;
}

double ds_delivery_share(const char *years, int from, int to)
{
	int all = 0, in = 0;
	long y;
	for (const char *p = years; (p = sipri_next_int(p, &y)) != NULL; all++)
		in += y >= from && y <= to;
	return all ? (double)in / all : 0.0;
}

/* ---- systems and orders ------------------------------------------------ */

static int glob_ok(const char *pattern, const char *text)
{
	return pattern[0] == '\0' || fnmatch(pattern, text, 0) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* rec_system[i]: the first systems.csv row matching record i (records of
 * the chosen supplier only; -1 otherwise). */
static int match_records(struct ds *ds)
{
	const struct ds_table *t = &ds->systems;
	ds->rec_system = mem_calloc(ds->reg->n ? ds->reg->n : 1, sizeof *ds->rec_system);
	if (!ds->rec_system)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		ds->rec_system[i] = -1;
		if (strcmp(r->supplier, ds->filter.supplier) != 0)
			continue;
		for (size_t k = 1; k < t->t.n; k++) {
			if (glob_ok(ds_field(t, k, SY_DESIG), r->designation) &&
			    glob_ok(ds_field(t, k, SY_DESC), r->description)) {
				ds->rec_system[i] = (int)k;
				break;
			}
		}
	}
	return ALLOT_OK;
}

/* Record i is an order of the dataset: open at as_of and, in an as-of
 * dataset, with a mapped recipient and system (the bundled dataset
 * requires both of every open record: check_open). */
static int ds_open(const struct ds *ds, size_t i)
{
	const struct allot_sipri_record *r = &ds->reg->v[i];
	if (!allot_sipri_is_open(r, &ds->filter))
		return 0;
	return ds->known == ALLOT_NO_MONTH ||
	       (ds->rec_system[i] >= 0 && allot_countries_iso3(ds->countries, r->recipient));
}

/* An as-of dataset leaves out the open records the hand tables do not map
 * (systems.csv and countries.csv are kept complete for the bundled one),
 * with a warning each and a line in SOURCES.md. */
static void report_left_out(struct ds *ds)
{
	size_t n = 0;
	int64_t units = 0;
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		if (!allot_sipri_is_open(r, &ds->filter) || ds_open(ds, i))
			continue;
		allot_diags_add(
			ds->d, ds->reg->source, r->line, 7,
			"warning: left out of the dataset as of this month: no row of %s or "
			"countries.csv maps '%s' (%s) for %s",
			ds->systems.path, r->designation, r->description, r->recipient);
		n++;
		units += r->qty - allot_sipri_delivered_before(r, ds->filter.as_of);
	}
	if (n)
		buf_printf(&ds->md,
			   "\nLeft out (no systems.csv or countries.csv row): %zu open "
			   "records, %lld units.\n",
			   n, (long long)units);
}

/* 1 when the recipient code is listed in mappings/non-partners.csv. */
static int non_partner(const struct ds *ds, const char *iso)
{
	for (size_t i = 1; iso && i < ds->non_partners.n; i++)
		if (strcmp(csvr_get(&ds->non_partners.rows[i], 0), iso) == 0)
			return 1;
	return 0;
}

/* Checks that every open order has a mapped recipient and a system;
 * reports every gap.  *iso3 receives the sorted distinct recipient codes. */
static int check_open(struct ds *ds, char ***iso3, size_t *n_iso3)
{
	int rc = ALLOT_OK;
	struct buf missing;
	buf_init(&missing, DS_TEXT_MAX);
	size_t cap = 0, n = 0;
	char **codes = NULL;
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		if (!ds_open(ds, i))
			continue;
		const char *iso = allot_countries_iso3(ds->countries, r->recipient);
		if (non_partner(ds, iso)) {
			ds->skipped_orders++;
			ds->skipped_units += r->qty - (r->delivered > 0 ? r->delivered : 0);
			continue;
		}
		if (!iso) {
			if (!missing.v || !strstr(missing.v, r->recipient))
				buf_printf(&missing, "%s'%s'", missing.n ? ", " : "", r->recipient);
			rc = ALLOT_EINPUT;
		} else {
			size_t k = 0;
			while (k < n && strcmp(codes[k], iso) != 0)
				k++;
			if (k == n) {
				if (mem_grow(&codes, &cap, n + 1, sizeof *codes)) {
					rc = ALLOT_ENOMEM;
					break;
				}
				codes[n++] = (char *)iso; /* borrowed from the table */
			}
		}
		if (ds->rec_system[i] < 0) {
			allot_diags_add(
				ds->d, ds->reg->source, r->line, 7,
				"expected a row of %s matching designation '%s' (description '%s'), found none",
				ds->systems.path, r->designation, r->description);
			rc = ALLOT_EINPUT;
		}
	}
	if (missing.n)
		allot_diags_add(ds->d, "countries.csv", 0, 0,
				"expected a row for every recipient of an open order, missing: %s",
				missing.v);
	buf_free(&missing);
	if (rc != ALLOT_OK) {
		mem_free(codes);
		return rc == ALLOT_ENOMEM ? rc : ALLOT_EINPUT;
	}
	qsort(codes, n, sizeof *codes, cmp_str);
	*iso3 = codes;
	*n_iso3 = n;
	return ALLOT_OK;
}

/* The system rows used by open orders, sorted by system_id; duplicate ids
 * in systems.csv are errors. */
static int used_systems(struct ds *ds, size_t **rows, size_t *n_rows)
{
	const struct ds_table *t = &ds->systems;
	size_t n = t->t.n;
	char *used = mem_calloc(n, 1);
	size_t *v = mem_calloc(n, sizeof *v);
	int rc = used && v ? ALLOT_OK : ALLOT_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; rc == ALLOT_OK && i < ds->reg->n; i++)
		if (allot_sipri_is_open(&ds->reg->v[i], &ds->filter) && ds->rec_system[i] > 0)
			used[ds->rec_system[i]] = 1;
	for (size_t a = 1; rc == ALLOT_OK && a < n; a++) {
		for (size_t b = 1; b < a; b++)
			if (strcmp(ds_field(t, a, SY_ID), ds_field(t, b, SY_ID)) == 0) {
				allot_diags_add(
					ds->d, t->path, t->t.rows[a].line, ds_colno(t, a, SY_ID),
					"expected a new system_id, found '%s' again (line %ld)",
					ds_field(t, a, SY_ID), t->t.rows[b].line);
				rc = ALLOT_EINPUT;
			}
		if (used[a])
			v[k++] = a;
	}
	/* insertion sort by system_id: a hundred rows */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i;
		     j > 0 && strcmp(ds_field(t, v[j - 1], SY_ID), ds_field(t, v[j], SY_ID)) > 0;
		     j--) {
			size_t x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	mem_free(used);
	if (rc != ALLOT_OK) {
		mem_free(v);
		return rc;
	}
	*rows = v;
	*n_rows = k;
	return ALLOT_OK;
}

const char *ds_system_line(const struct ds *ds, int row)
{
	return ds_field(&ds->systems, (size_t)row, SY_LINE);
}

double ds_units_of_year(const struct allot_sipri_record *r, int known, int y)
{
	int64_t u;
	if (r->delivered <= 0)
		return 0;
	if (known)
		return allot_sipri_units_in(r, y, y, &u) ? (double)u : 0;
	return (double)r->delivered * ds_delivery_share(r->delivery_years, y, y);
}

static size_t find_line_row(const struct ds_table *t, const char *id)
{
	for (size_t i = 1; i < t->t.n; i++)
		if (strcmp(ds_field(t, i, LN_ID), id) == 0)
			return i;
	return 0;
}

/* New units of the supplier delivered on a line in each year year_from..
 * year_to (any recipient; second-hand transfers are not production; a
 * record's units as SIPRI's per-year export gives them when it covers the
 * whole window, else spread evenly over its listed years), and the open
 * backlog on it at as_of and its largest open contract. */
static void line_history(const struct ds *ds, const char *line_id, double by_year[DS_YEARS],
			 double *backlog, double *largest)
{
	for (int y = 0; y < DS_YEARS; y++)
		by_year[y] = 0;
	*backlog = *largest = 0;
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		int row = ds->rec_system[i];
		if (row < 0 || strcmp(ds_field(&ds->systems, (size_t)row, SY_LINE), line_id) != 0)
			continue;
		if (allot_sipri_supply_type(r) != ALLOT_SUPPLY_NEW)
			continue; /* not made on this line: second-hand, leased, licence-built */
		int64_t u;
		int known = allot_sipri_units_in(r, ds->year_from, ds->year_to, &u);
		for (int y = 0; y < DS_YEARS; y++)
			by_year[y] += ds_units_of_year(r, known, ds->year_from + y);
		if (allot_sipri_is_open(r, &ds->filter)) {
			double open = (double)(r->qty -
					       allot_sipri_delivered_before(r, ds->filter.as_of));
			*backlog += open;
			if (open > *largest)
				*largest = open;
		}
	}
}

/* The months over which a line without recent deliveries is taken to
 * deliver its open backlog (docs/dataset.md, "Lines"): 12 x the median
 * years from order to last delivery of the supplier's new records ordered
 * in the DS_TIMING_YEARS years before as_of and delivered in full before
 * it, or DS_BACKLOG_MONTHS without such records.  *how says which. */
#define DS_BACKLOG_MONTHS 120

static int backlog_months(const struct ds *ds, int *months, char *how, size_t cap)
{
	int to = (int)(ds->filter.as_of / 12) - 1, from = to - DS_TIMING_YEARS + 1;
	struct allot_supply_timing tm;
	int rc = allot_sipri_supply_timing(ds->reg, ds->filter.supplier, ALLOT_SUPPLY_NEW, from, to,
					   &tm);
	if (rc != ALLOT_OK)
		return rc;
	if (tm.complete == 0) {
		*months = DS_BACKLOG_MONTHS;
		snprintf(how, cap, "%d months (no new record of %d-%d delivered in full)",
			 DS_BACKLOG_MONTHS, from, to);
		return ALLOT_OK;
	}
	*months = 12 * (tm.duration_years < 1 ? 1 : tm.duration_years);
	snprintf(how, cap,
		 "%d months, 12 x the median %d years from order to last delivery of "
		 "the %zu new records of %d-%d delivered in full by %d",
		 *months, tm.duration_years, tm.complete, from, to, to);
	return ALLOT_OK;
}

static int add_line(struct ds *ds, const char *id)
{
	struct allot_scenario *s = ds->s;
	const struct ds_table *t = &ds->lines;
	size_t row = find_line_row(t, id);
	if (row == 0) {
		allot_diags_add(ds->d, t->path, 0, 0,
				"expected a row for line '%s' (used by %s), found none", id,
				ds->systems.path);
		return ALLOT_EINPUT;
	}
	const char *rate_s = ds_field(t, row, LN_RATE);
	const char *share_s = ds_field(t, row, LN_SHARE);
	long line = t->t.rows[row].line;
	double rate = 0, share = 0;
	enum allot_rate_basis rate_basis = ALLOT_RATE_ESTIMATE;
	char basis[1536];
	const char *date_s = ds_field(t, row, LN_DATE);
	const char *unknown = "";
	int typed = rate_s[0] != '\0';
	if (typed) {
		/* a typed rate states its basis and date, known at as_of or not */
		const char *b = ds_field(t, row, LN_BASIS);
		if (allot_rate_basis_parse(b, &rate_basis) != 0 ||
		    rate_basis == ALLOT_RATE_UNSTATED) {
			allot_diags_add(
				ds->d, t->path, line, ds_colno(t, row, LN_BASIS),
				"expected rate_basis cited or estimate with a rate, found '%s'", b);
			return ALLOT_EINPUT;
		}
		if (!date_s[0]) {
			allot_diags_add(
				ds->d, t->path, line, ds_colno(t, row, LN_DATE),
				"expected the rate's date (YYYY or YYYY-MM) in rate_date, found none");
			return ALLOT_EINPUT;
		}
	}
	if (typed && !ds_is_known(ds, date_s)) {
		rate_s = ""; /* not known at as_of: estimated as below */
		rate_basis = ALLOT_RATE_ESTIMATE;
		unknown = "; the rate of lines.csv is not dated before the as-of month";
	}
	if (rate_s[0]) {
		if (ds_number(rate_s, &rate) != 0 || rate < 0) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, row, LN_RATE),
					"expected a rate such as 50 or 600/12, found '%s'", rate_s);
			return ALLOT_EINPUT;
		}
		if (ds_number(share_s, &share) != 0 || share < 0 || share > 1) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, row, LN_SHARE),
					"expected a us_share 0..1 with a cited rate, found '%s'",
					share_s);
			return ALLOT_EINPUT;
		}
		snprintf(basis, sizeof basis, "%s (rate of %s): %s",
			 rate_basis == ALLOT_RATE_CITED ? "cited" : "estimate", date_s,
			 ds_field(t, row, LN_CITE));
	} else {
		double by_year[DS_YEARS], backlog, largest, units = 0, peak = 0;
		int peak_year = ds->year_from;
		line_history(ds, id, by_year, &backlog, &largest);
		for (int y = 0; y < DS_YEARS; y++) {
			units += by_year[y];
			if (by_year[y] > peak) {
				peak = by_year[y];
				peak_year = ds->year_from + y;
			}
		}
		if (units > 0) {
			/* demonstrated capacity: the best year, not the mean, and
			 * at least the largest open contract's (line_floor.c) */
			char how[256], floor[512];
			int months, rc = backlog_months(ds, &months, how, sizeof how);
			if (rc == ALLOT_OK)
				rc = ds_line_months(ds, id, &months, how, sizeof how);
			if (rc != ALLOT_OK)
				return rc;
			rate = ds_line_floor(peak / 12.0, largest, months, how, floor,
					     sizeof floor);
			snprintf(
				basis, sizeof basis,
				"estimate (SIPRI deliveries %d-%d): %.6g new units delivered to foreign recipients in %d, the peak year (%.6g in the %d years), / 12 months%s; us_share 0 (the rate is foreign deliveries only)%s",
				ds->year_from, ds->year_to, peak, peak_year, units, DS_YEARS, floor,
				unknown);
		} else {
			/* produced to order: the backlog over a typical order's time */
			char how[256];
			int months, rc = backlog_months(ds, &months, how, sizeof how);
			if (rc != ALLOT_OK)
				return rc;
			rate = backlog / months;
			snprintf(
				basis, sizeof basis,
				"estimate (no new SIPRI deliveries %d-%d): open backlog of %.6g units spread over %s; us_share 0%s",
				ds->year_from, ds->year_to, backlog, how, unknown);
		}
		share = 0;
		/* the reason no figure is cited, when the table gives one */
		const char *why = typed ? "" : ds_field(t, row, LN_CITE);
		if (why[0]) {
			size_t n = strlen(basis);
			snprintf(basis + n, sizeof basis - n, "; %s", why);
		}
	}
	if (ds_push(&s->lines, s->n_lines, sizeof *s->lines))
		return ALLOT_ENOMEM;
	struct allot_line *l = &s->lines[s->n_lines];
	memset(l, 0, sizeof *l);
	s->n_lines++;
	l->line_id = mem_strdup(id);
	l->name = mem_strdup(ds_field(t, row, LN_NAME));
	l->rate_per_month = rate;
	l->us_share = share;
	l->rate_basis = rate_basis;
	if (!l->line_id || !l->name)
		return ALLOT_ENOMEM;
	char r[32], sh[32];
	allot_fmt_double(rate, r);
	allot_fmt_double(share, sh);
	buf_printf(&ds->md, "| %s | %s | %s | %s |\n", id, r, sh, basis);
	return ALLOT_OK;
}

/* Lines used by the systems, sorted by line_id. */
static int build_lines(struct ds *ds, const size_t *rows, size_t n_rows)
{
	const char **ids = mem_calloc(n_rows ? n_rows : 1, sizeof *ids);
	if (!ids)
		return ALLOT_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < n_rows; i++) {
		const char *id = ds_field(&ds->systems, rows[i], SY_LINE);
		size_t k = 0;
		while (k < n && strcmp(ids[k], id) != 0)
			k++;
		if (k == n)
			ids[n++] = id;
	}
	qsort(ids, n, sizeof *ids, cmp_str);
	buf_puts(&ds->md, "\n### Lines (lines.csv)\n\n"
			  "| line_id | rate_per_month | us_share | basis |\n|---|---|---|---|\n");
	/* lines are appended one by one: keep the capacity equal to the count */
	int rc = ALLOT_OK;
	for (size_t i = 0; i < n && rc == ALLOT_OK; i++)
		rc = add_line(ds, ids[i]);
	mem_free(ids);
	return rc;
}

/* Qty-weighted mean SIPRI TIV per unit of the open orders of a system (0:
 * none has one); *open gets the number of its open orders. */
static double system_tiv(const struct ds *ds, size_t row, size_t *open)
{
	double sum = 0, qty = 0;
	*open = 0;
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		double tiv;
		if (ds->rec_system[i] != (int)row || !allot_sipri_is_open(r, &ds->filter))
			continue;
		(*open)++;
		if (ds_number(r->tiv_unit, &tiv) != 0)
			continue;
		sum += tiv * (double)r->qty;
		qty += (double)r->qty;
	}
	return qty > 0 ? sum / qty : 0;
}

static int flag01(struct ds *ds, size_t row, int col, int *out)
{
	const char *v = ds_field(&ds->systems, row, col);
	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
		allot_diags_add(ds->d, ds->systems.path, ds->systems.t.rows[row].line,
				ds_colno(&ds->systems, row, col), "expected 0 or 1, found '%s'", v);
		return ALLOT_EINPUT;
	}
	*out = v[0] == '1';
	return ALLOT_OK;
}

static int add_system(struct ds *ds, size_t row)
{
	struct allot_scenario *s = ds->s;
	const struct ds_table *t = &ds->systems;
	long line = t->t.rows[row].line;
	const char *cost_s = ds_field(t, row, SY_COST);
	const char *lead_s = ds_field(t, row, SY_LEAD);
	double cost, lead;
	char basis[1024], cases[512];
	int rc = ALLOT_OK;
	/* unit_cost_basis: stated with a typed cost (cited: a source gives the
	 * per-unit price; estimate: ours), empty otherwise; the converter's
	 * own costs (DSCA case value, SIPRI TIV) are estimates */
	const char *cb = ds_field(t, row, SY_COST_BASIS);
	enum allot_rate_basis cost_basis = ALLOT_RATE_ESTIMATE;
	int typed = cost_s[0] && strcmp(cost_s, "unknown") != 0;
	if (typed &&
	    (allot_rate_basis_parse(cb, &cost_basis) != 0 || cost_basis == ALLOT_RATE_UNSTATED)) {
		allot_diags_add(
			ds->d, t->path, line, ds_colno(t, row, SY_COST_BASIS),
			"expected unit_cost_basis cited or estimate with a cost, found '%s'", cb);
		return ALLOT_EINPUT;
	}
	if (strcmp(cost_s, "unknown") == 0) {
		cost_basis = ALLOT_RATE_UNSTATED; /* a missing value has no basis */
		/* declared unknown: written `unknown` (NaN in the model), so every
		 * USD sum counts its orders apart and never as USD 0 */
		cost = NAN;
		snprintf(basis, sizeof basis,
			 "UNKNOWN (written `unknown`: USD sums that include its orders are "
			 "lower bounds that count them apart; a budget cap cannot check "
			 "them, docs/allocation.md); %s",
			 ds_field(t, row, SY_CITE));
	} else if (cost_s[0]) {
		if (ds_number(cost_s, &cost) != 0 || cost < 0) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, row, SY_COST),
					"expected a cost in USD, found '%s'", cost_s);
			return ALLOT_EINPUT;
		}
		snprintf(basis, sizeof basis, "%s", ds_field(t, row, SY_CITE));
	} else if (ds_dsca_unit_cost(ds, ds_field(t, row, SY_ID), &cost, cases, sizeof cases)) {
		snprintf(basis, sizeof basis,
			 "DSCA notified case value per unit (incl. the case's equipment, munitions "
			 "and support; dsca_cases.csv): %s; lead: estimate",
			 cases);
	} else {
		size_t open;
		double tiv = system_tiv(ds, row, &open);
		if (tiv <= 0 && open > 0) {
			/* an empty cell is not a price: no silent zero */
			allot_diags_add(
				ds->d, t->path, line, ds_colno(t, row, SY_COST),
				"expected a unit cost in USD, 'unknown', a DSCA case "
				"(dsca_cases.csv) or a SIPRI TIV on an open order for '%s', "
				"found none",
				ds_field(t, row, SY_ID));
			return ALLOT_EINPUT;
		}
		cost = round(tiv * DS_TIV_USD);
		snprintf(
			basis, sizeof basis,
			"estimate: SIPRI TIV per unit %.6g (qty-weighted over its open orders) x 2.4e6; %s",
			tiv, ds_field(t, row, SY_CITE));
	}
	if (!typed && cb[0]) {
		allot_diags_add(
			ds->d, t->path, line, ds_colno(t, row, SY_COST_BASIS),
			"expected an empty unit_cost_basis without a typed cost, found '%s'", cb);
		return ALLOT_EINPUT;
	}
	if (ds_number(lead_s, &lead) != 0 || lead < 0 || lead > 600 || lead != floor(lead)) {
		allot_diags_add(ds->d, t->path, line, ds_colno(t, row, SY_LEAD),
				"expected whole months, found '%s'", lead_s);
		return ALLOT_EINPUT;
	}
	int li = allot_scenario_find_line(s, ds_field(t, row, SY_LINE));
	if (ds_push(&s->systems, s->n_systems, sizeof *s->systems))
		return ALLOT_ENOMEM;
	struct allot_system *y = &s->systems[s->n_systems];
	memset(y, 0, sizeof *y);
	s->n_systems++;
	y->system_id = mem_strdup(ds_field(t, row, SY_ID));
	y->name = mem_strdup(ds_field(t, row, SY_NAME));
	y->foreign_alternative = mem_strdup(ds_field(t, row, SY_ALT));
	if (!y->system_id || !y->name || !y->foreign_alternative)
		return ALLOT_ENOMEM;
	y->line = li;
	y->unit_cost_usd = cost;
	y->unit_cost_basis = (int)cost_basis;
	y->lead_months = (int)lead;
	rc = flag01(ds, row, SY_EEUM, &y->eeum);
	if (rc == ALLOT_OK)
		rc = flag01(ds, row, SY_CATALOG, &y->catalog);
	char c[32];
	if (allot_cost_known(cost))
		allot_fmt_double(cost, c);
	else
		snprintf(c, sizeof c, "unknown");
	buf_printf(&ds->md, "| %s | %s | %s | %d | %d | %s |\n", y->system_id,
		   ds_field(t, row, SY_LINE), c, y->lead_months, y->eeum, basis);
	return rc;
}

static int build_systems(struct ds *ds, const size_t *rows, size_t n)
{
	buf_puts(&ds->md, "\n### Systems (systems.csv)\n\n"
			  "| system_id | line | unit_cost_usd | lead_months | eeum | basis |\n"
			  "|---|---|---|---|---|---|\n");
	int rc = ALLOT_OK;
	for (size_t i = 0; i < n && rc == ALLOT_OK; i++)
		rc = add_system(ds, rows[i]);
	return rc;
}

/* An order and its register record, sorted together by order_id. */
struct order_rec {
	struct allot_order o;
	size_t rec;
};

static int cmp_order_rec(const void *a, const void *b)
{
	return strcmp(((const struct order_rec *)a)->o.order_id,
		      ((const struct order_rec *)b)->o.order_id);
}

/* Sorts the orders by id; *rec receives each order's register record. */
static int sort_orders(struct allot_scenario *s, size_t *recs, size_t **rec)
{
	struct order_rec *v = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *v);
	size_t *out = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *out);
	if (!v || !out) {
		mem_free(v);
		mem_free(out);
		return ALLOT_ENOMEM;
	}
	for (size_t i = 0; i < s->n_orders; i++)
		v[i] = (struct order_rec){ s->orders[i], recs[i] };
	qsort(v, s->n_orders, sizeof *v, cmp_order_rec);
	for (size_t i = 0; i < s->n_orders; i++) {
		s->orders[i] = v[i].o;
		out[i] = v[i].rec;
	}
	mem_free(v);
	*rec = out;
	return ALLOT_OK;
}

/* Orders: one per open record, id SIPRI-<ISO3>-<year>-<nn> numbered in
 * register order within (recipient, year); sorted by id.  *order_rec:
 * each order's register record. */
static int build_orders(struct ds *ds, size_t **order_rec)
{
	struct allot_scenario *s = ds->s;
	size_t cap = 0, rcap = 0, *recs = NULL;
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		if (!ds_open(ds, i))
			continue;
		const char *iso = allot_countries_iso3(ds->countries, r->recipient);
		if (non_partner(ds, iso))
			continue;
		int seq = 1;
		for (size_t k = 0; k < i; k++)
			seq += ds_open(ds, k) && ds->reg->v[k].year_of_order == r->year_of_order &&
			       strcmp(allot_countries_iso3(ds->countries, ds->reg->v[k].recipient),
				      iso) == 0;
		if (mem_grow(&s->orders, &cap, s->n_orders + 1, sizeof *s->orders) ||
		    mem_grow(&recs, &rcap, s->n_orders + 1, sizeof *recs)) {
			mem_free(recs);
			return ALLOT_ENOMEM;
		}
		recs[s->n_orders] = i;
		struct allot_order *o = &s->orders[s->n_orders];
		memset(o, 0, sizeof *o);
		s->n_orders++;
		char id[64];
		snprintf(id, sizeof id, "SIPRI-%s-%d-%02d", iso, r->year_of_order, seq);
		o->order_id = mem_strdup(id);
		if (!o->order_id) {
			mem_free(recs);
			return ALLOT_ENOMEM;
		}
		o->partner = allot_scenario_find_partner(s, iso);
		o->system = allot_scenario_find_system(
			s, ds_field(&ds->systems, (size_t)ds->rec_system[i], SY_ID));
		o->qty = r->qty;
		o->delivered = allot_sipri_delivered_before(r, ds->filter.as_of);
		o->loa_month = (allot_month)r->year_of_order * 12;
		o->need_month = ALLOT_NO_MONTH;
		o->not_before = ALLOT_NO_MONTH; /* no rule fills it (docs/backtest.md) */
		o->partner_rank = -1;
		o->supply = (int)allot_sipri_supply_type(r);
		/* SIPRI gives the year of order only: January is a placeholder */
		o->loa_basis = ALLOT_LOA_YEAR;
	}
	int rc = sort_orders(s, recs, order_rec);
	mem_free(recs);
	return rc;
}

/* When the orders not supplied new arrive (docs/dataset.md, "Off-line
 * schedules"): each type's timing measured on the supplier's records of
 * the DS_TIMING_YEARS years before as_of, then wip.csv rows. */
static int ds_offline_schedule(struct ds *ds)
{
	struct allot_scenario *s = ds->s;
	const struct allot_supply_timing *all;
	int rc = ds_timings(ds, &all);
	if (rc != ALLOT_OK)
		return rc;
	struct allot_supply_timing tm[ALLOT_SUPPLY_COUNT];
	memcpy(tm, all, sizeof tm);
	memset(&tm[ALLOT_SUPPLY_NEW], 0, sizeof tm[ALLOT_SUPPLY_NEW]); /* off-line types only */
	int to = s->as_of / 12 - 1, from = to - DS_TIMING_YEARS + 1;
	buf_printf(&ds->md,
		   "\nOff-line schedules (wip.csv rows of the orders not supplied "
		   "`new`; docs/dataset.md, \"Off-line schedules\"), measured on the %s "
		   "records of each type ordered %d-%d with recorded deliveries: open units "
		   "from max(LOA + lag, as_of), evenly over the span; an order still open "
		   "a years after its year of order (a = 1, 2, ...), evenly to the December "
		   "of its year of order + the median years (order to last delivery, "
		   "inclusive) of the records delivered in full that took more than a, "
		   "less one.\n\n"
		   "| supply | records | lag (years, median) | delivered in full | "
		   "span (years, median) | took more than a = 1, 2, 3, ... years: "
		   "median years |\n|---|---|---|---|---|---|\n",
		   ds->filter.supplier, from, to);
	for (int k = ALLOT_SUPPLY_USED; k < ALLOT_SUPPLY_COUNT; k++) {
		buf_printf(&ds->md, "| %s | %zu | %d | %zu | %d |",
			   allot_supply_type_name((enum allot_supply_type)k), tm[k].records,
			   tm[k].lag_years, tm[k].complete, tm[k].span_years);
		for (int a = 1; a < ALLOT_TIMING_AGES && tm[k].duration_after[a] > 0; a++)
			buf_printf(&ds->md, "%s%d", a > 1 ? ", " : " ", tm[k].duration_after[a]);
		buf_puts(&ds->md, " |\n");
	}
	return allot_schedule_offline(s, tm);
}

/* The time from a contract to its first delivery (docs/dataset.md, "Work
 * in progress"), per line: 12 x the (lower) median years from order to
 * first delivery of the supplier's new records mapped to the line, ordered
 * in the DS_TIMING_YEARS years before as_of with a delivery recorded
 * before it, + 6 (SIPRI gives years: an order counts from January, its
 * first delivery from the middle of its year), when the line has
 * DS_FIRST_MIN such records, else the same over the records of every
 * line.  Fills first[system] and a SOURCES.md table. */
#define DS_FIRST_MIN 5

static int first_delivery_months(struct ds *ds, int *first, int *pace, struct buf *md)
{
	struct allot_scenario *s = ds->s;
	int to = (int)(s->as_of / 12) - 1, from = to - DS_TIMING_YEARS + 1;
	unsigned char *only = mem_calloc(ds->reg->n ? ds->reg->n : 1, 1);
	if (!only)
		return ALLOT_ENOMEM;
	const struct allot_supply_timing *tms;
	int rc = ds_timings(ds, &tms);
	struct allot_supply_timing all = tms[ALLOT_SUPPLY_NEW], tm;
	buf_printf(md,
		   "\nTime from contract to first delivery (an order takes work in "
		   "progress only from LOA + the larger of its lead and this; docs/dataset.md, "
		   "\"Work in progress\"): 12 x the median years from order to first delivery "
		   "of the line's new records ordered %d-%d with a delivery recorded by %d, + 6; "
		   "with fewer than %d such records, of all %zu mapped records (median %d years). "
		   "An order's pace in work in progress: at most its units / pace months a "
		   "month, pace = 12 x the median years from first to last delivery of the same "
		   "records delivered in full by %d (docs/dataset.md). "
		   "Measured, not reported.\n\n| line | records | median years | months | pace "
		   "months |\n|---|---|---|---|---|\n",
		   from, to, to, DS_FIRST_MIN, all.records, all.lag_years, to);
	for (size_t l = 0; rc == ALLOT_OK && l < s->n_lines; l++) {
		const char *id = s->lines[l].line_id;
		for (size_t i = 0; i < ds->reg->n; i++) {
			int row = ds->rec_system[i];
			only[i] = row >= 0 &&
				  strcmp(ds_field(&ds->systems, (size_t)row, SY_LINE), id) == 0;
		}
		rc = allot_sipri_supply_timing_of(ds->reg, ds->filter.supplier, ALLOT_SUPPLY_NEW,
						  from, to, only, &tm);
		const struct allot_supply_timing *u = tm.records >= DS_FIRST_MIN ? &tm : &all;
		int months = u->records ? 12 * (u->lag_years < 0 ? 0 : u->lag_years) + 6 : 0;
		int span = u->records ? 12 * (u->span_years > 0 ? u->span_years : 1) : 0;
		for (size_t y = 0; y < s->n_systems; y++)
			if (s->systems[y].line == (int)l) {
				first[y] = months;
				pace[y] = span;
			}
		buf_printf(md, "| %s | %zu | %d%s | %d | %d |\n", id, tm.records, u->lag_years,
			   u == &all ? " (all lines)" : "", months, span);
	}
	mem_free(only);
	return rc;
}

/* Supply types and work in progress (docs/dataset.md): counts for
 * SOURCES.md, and wip.csv from the lines' pipelines at as_of. */
static int ds_wip(struct ds *ds)
{
	struct allot_scenario *s = ds->s;
	int64_t orders[ALLOT_SUPPLY_COUNT] = { 0 }, units[ALLOT_SUPPLY_COUNT] = { 0 };
	for (size_t i = 0; i < s->n_orders; i++) {
		orders[s->orders[i].supply]++;
		units[s->orders[i].supply] += s->orders[i].qty - s->orders[i].delivered;
	}
	int *first = mem_calloc(s->n_systems ? s->n_systems : 1, sizeof *first);
	int *pace = mem_calloc(s->n_systems ? s->n_systems : 1, sizeof *pace);
	struct buf md;
	buf_init(&md, DS_TEXT_MAX);
	/* an experiment of the backtest, off by default (book_share.c) */
	const struct allot_book_share *bs = ds->dirs->book_share;
	double *share = NULL;
	int rc = first && pace ? first_delivery_months(ds, first, pace, &md) : ALLOT_ENOMEM;
	if (rc == ALLOT_OK && bs && bs->rule != ALLOT_BOOK_SHARE_OFF)
		rc = ds_book_share(ds, &share, &md);
	/* how each line's pipeline is shared (wip_share.c) */
	int64_t *rank = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *rank);
	int64_t *limit = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *limit);
	if (rc == ALLOT_OK)
		rc = rank && limit ? ds_wip_share(ds, rank, limit) : ALLOT_ENOMEM;
	if (rc == ALLOT_OK)
		rc = allot_derive_wip_ranked(s, first, pace, share, ALLOT_BOOK_SHARE_YEARS, rank,
					     limit);
	mem_free(rank);
	mem_free(limit);
	if (rc == ALLOT_OK && share && !bs->wip_only)
		rc = ds_book_share_events(ds, share);
	mem_free(share);
	mem_free(first);
	mem_free(pace);
	if (rc != ALLOT_OK) {
		buf_free(&md);
		return rc;
	}
	s->present |= 1u << ALLOT_FILE_WIP;
	int64_t wip = 0;
	for (size_t k = 0; k < s->n_wip; k++)
		wip += s->wip[k].units;
	buf_puts(&ds->md,
		 "\n### Supply types and work in progress (orders.csv, wip.csv)\n\n"
		 "Supply type from each record's SIPRI status and comments "
		 "(docs/dataset.md, \"Supply type\"); only `new` orders queue on a US line.\n\n"
		 "| supply | orders | open units |\n|---|---|---|\n");
	for (int k = 0; k < ALLOT_SUPPLY_COUNT; k++)
		buf_printf(&ds->md, "| %s | %lld | %lld |\n",
			   allot_supply_type_name((enum allot_supply_type)k), (long long)orders[k],
			   (long long)units[k]);
	buf_printf(&ds->md,
		   "\nWork in progress at as_of: %lld units on %zu rows (wip.csv), "
		   "derived, not reported: each line's pipeline holds what first come, "
		   "first served (the rule before 2026-02) put into it, delivered at the "
		   "line's foreign-sales rate in force at as_of during the first lead-time "
		   "months (docs/dataset.md, \"Work in progress\"). An estimate, as the "
		   "rates it rests on.\n",
		   (long long)wip, s->n_wip);
	if (md.err)
		ds->md.err = md.err;
	else if (md.v)
		buf_puts(&ds->md, md.v);
	buf_free(&md);
	rc = ds_schedules_apply(ds);
	return rc == ALLOT_OK ? ds_offline_schedule(ds) : rc;
}

static const char notes[] =
	"The bundled real dataset of allot, as of 2025-01: every open order of "
	"US-supplied major arms ordered from 2015 on in the SIPRI Arms Transfers "
	"Database (register generated 13 Mar 2025), the systems and production "
	"lines they need (cited production rates where public, SIPRI-based "
	"estimates otherwise), the partners' defence effort (SIPRI milex, NATO), "
	"US troops and sites (troopdata), critical minerals (USGS MCS 2025) and "
	"known capacity and budget changes. Every figure, estimate and licence is "
	"listed in SOURCES.md; regenerate with `make dataset`.";

static const char notes_as_of[] =
	"The dataset of allot as it stood at %s, for a backtest (docs/backtest.md): "
	"the US orders of the SIPRI Arms Transfers Database placed from %d to %d "
	"and not fully delivered by the end of %d (SIPRI's units of each year where "
	"its per-year export gives them, else deliveries spread evenly over their "
	"listed years), lines rated only from what was known before %s "
	"(SIPRI deliveries %d-%d and cited rates dated earlier), events and "
	"requests dated before %s. Partner, mineral and cost figures are those of "
	"the bundled dataset. Built by allot_convert_dataset_as_of; see SOURCES.md.";

static int scenario_new(struct allot_scenario **out, const struct ds *ds)
{
	struct allot_scenario *s = mem_calloc(1, sizeof *s);
	if (!s)
		return ALLOT_ENOMEM;
	*out = s;
	s->name = mem_strdup("default");
	s->policy_file = mem_strdup("policy.json");
	if (ds->known == ALLOT_NO_MONTH) {
		s->notes = mem_strdup(notes);
	} else {
		char m[8], text[sizeof notes_as_of + 64];
		allot_month_format(ds->known, m);
		snprintf(text, sizeof text, notes_as_of, m, ds->filter.order_from, ds->year_to,
			 ds->year_to, m, ds->year_from, ds->year_to, m);
		s->notes = mem_strdup(text);
		mem_free(s->name);
		snprintf(text, sizeof text, "backtest-%s", m);
		s->name = mem_strdup(text);
	}
	if (!s->name || !s->policy_file || !s->notes)
		return ALLOT_ENOMEM;
	s->as_of = ds->filter.as_of; /* 2025-01 for the bundled one */
	s->horizon_months = 180;
	s->switch_month = 2026 * 12 + 1; /* 2026-02 */
	s->present = 1u << ALLOT_FILE_MINERALS | 1u << ALLOT_FILE_SUPPLY | 1u << ALLOT_FILE_BOM |
		     1u << ALLOT_FILE_EVENTS | 1u << ALLOT_FILE_INVESTMENTS |
		     1u << ALLOT_FILE_EMBARGOES;
	return allot_policy_default(&s->policy);
}

/* The hand-written half of SOURCES.md, then the generated tables. */
static int start_md(struct ds *ds)
{
	char path[4096];
	char *head = NULL;
	size_t len;
	int rc = csvr_slurp(ds_path(path, sizeof path, ds->dirs->sources, "SOURCES.md"), &head,
			    &len, ds->d);
	if (rc != ALLOT_OK)
		return rc;
	buf_puts(&ds->md, head);
	mem_free(head);
	buf_printf(&ds->md,
		   "\n## Generated by `allot convert dataset`\n\n"
		   "Everything below is derived by the converter from the raw files and "
		   "the tables in data/sources; it is rewritten on every run.\n\n"
		   "SIPRI register generated %s: %zu records (%zu rejoined after a line "
		   "break inside Comments, %zu skipped).\n",
		   ds->reg->generated, ds->reg->n, ds->reg->rejoined, ds->reg->skipped);
	if (ds->skipped_orders)
		buf_printf(&ds->md,
			   "\nNot partners (data/mappings/non-partners.csv: not states, so not "
			   "scored), their orders not in the scenario: %zu open orders, %lld "
			   "units.\n",
			   ds->skipped_orders, (long long)ds->skipped_units);
	if (ds->known != ALLOT_NO_MONTH && ds->by_year_matched)
		buf_printf(&ds->md,
			   "\nSIPRI's per-year export (%s) matched %zu register records: their "
			   "units delivered before the as-of month and on each line in the five "
			   "years before it are SIPRI's units of those years, not the register's "
			   "later total spread over its listed years (docs/backtest.md).\n",
			   SIPRI_DEAL_ROWS, ds->by_year_matched);
	return ALLOT_OK;
}

static void ds_free(struct ds *ds)
{
	allot_countries_free(ds->countries);
	allot_sipri_free(ds->reg);
	mem_free(ds->rec_system);
	ds_table_free(&ds->systems);
	ds_table_free(&ds->lines);
	ds_table_free(&ds->dsca);
	ds_table_free(&ds->sched);
	buf_free(&ds->md);
	csvr_table_free(&ds->non_partners);
}

static int load_inputs(struct ds *ds)
{
	char path[4096];
	int rc = allot_countries_load(
		ds_path(path, sizeof path, ds->dirs->mappings, "countries.csv"), &ds->countries,
		ds->d);
	if (rc == ALLOT_OK)
		rc = allot_sipri_read(ds_path(path, sizeof path, ds->dirs->raw, SIPRI_REGISTER),
				      &ds->reg, ds->d);
	struct stat sb;
	if (rc == ALLOT_OK &&
	    stat(ds_path(path, sizeof path, ds->dirs->raw, SIPRI_DEAL_ROWS), &sb) == 0)
		rc = allot_sipri_attach_years(ds->reg, path, &ds->by_year_matched, ds->d);
	if (rc == ALLOT_OK)
		rc = ds_table_load(ds, ds->dirs->sources, "systems.csv", system_cols, &ds->systems);
	if (rc == ALLOT_OK)
		rc = ds_table_load(ds, ds->dirs->sources, "lines.csv", line_cols, &ds->lines);
	if (rc == ALLOT_OK)
		rc = ds_dsca_load(ds);
	if (rc == ALLOT_OK)
		rc = ds_schedules_load(ds);
	if (rc == ALLOT_OK &&
	    stat(ds_path(path, sizeof path, ds->dirs->mappings, "non-partners.csv"), &sb) == 0)
		rc = csvr_table_read(path, CSVR_TOLERANT, &ds->non_partners, ds->d);
	return rc;
}

int ds_is_known(const struct ds *ds, const char *month)
{
	if (ds->known == ALLOT_NO_MONTH)
		return 1;
	allot_month m;
	char *end;
	long y = strtol(month, &end, 10);
	if (month[0] && *end == '\0' && end - month == 4)
		m = (allot_month)y * 12 + 11; /* a year: known at its end */
	else if (allot_month_parse(month, &m) != 0)
		return 0; /* undated: not known before the bundled as-of month */
	return m < ds->known;
}

int ds_build(const struct allot_convert_dirs *dirs, allot_month as_of, struct ds_result *res,
	     struct allot_diags *diags)
{
	struct ds ds;
	memset(&ds, 0, sizeof ds);
	memset(res, 0, sizeof *res);
	if (as_of % 12 != 0 || as_of > DS_AS_OF || as_of < 1960 * 12) {
		char m[8];
		allot_month_format(as_of, m);
		allot_diags_add(
			diags, "--as-of", 0, 0,
			"expected a January from 1960-01 to 2025-01 (SIPRI records years; the register ends in 2024), found %s",
			m);
		return ALLOT_EINPUT;
	}
	ds.dirs = dirs;
	ds.d = diags;
	allot_sipri_filter_init(&ds.filter);
	ds.filter.as_of = as_of;
	ds.filter.order_from = (int)(as_of / 12) - DS_ORDER_YEARS;
	ds.year_to = (int)(as_of / 12) - 1;
	ds.year_from = ds.year_to - DS_YEARS + 1;
	ds.known = as_of == DS_AS_OF ? ALLOT_NO_MONTH : as_of;
	buf_init(&ds.md, DS_TEXT_MAX);
	char **iso3 = NULL;
	size_t n_iso3 = 0, *rows = NULL, n_rows = 0;

	int rc = scenario_new(&ds.s, &ds);
	if (rc == ALLOT_OK)
		rc = load_inputs(&ds);
	if (rc == ALLOT_OK)
		rc = match_records(&ds);
	if (rc == ALLOT_OK)
		rc = check_open(&ds, &iso3, &n_iso3);
	if (rc == ALLOT_OK)
		rc = used_systems(&ds, &rows, &n_rows);
	if (rc == ALLOT_OK) {
		rc = start_md(&ds);
		report_left_out(&ds);
	}
	if (rc == ALLOT_OK)
		rc = build_lines(&ds, rows, n_rows);
	if (rc == ALLOT_OK)
		rc = build_systems(&ds, rows, n_rows);
	if (rc == ALLOT_OK)
		rc = ds_partners(&ds, iso3, n_iso3);
	if (rc == ALLOT_OK)
		rc = build_orders(&ds, &res->order_record);
	if (rc == ALLOT_OK)
		rc = ds_loa_months(&ds); /* a month a source states, before any reader */
	if (rc == ALLOT_OK)
		rc = ds_order_pace(&ds, res->order_record); /* a started contract's own pace */
	if (rc == ALLOT_OK)
		rc = ds_dsca_check(&ds);
	if (rc == ALLOT_OK)
		rc = ds_events(&ds); /* before minerals: peak rates need them */
	if (rc == ALLOT_OK)
		rc = ds_wip(&ds); /* after events: the rates in force at as_of */
	if (rc == ALLOT_OK)
		rc = ds_minerals(&ds);
	if (rc == ALLOT_OK)
		rc = ds_embargoes(&ds); /* needs the minerals and supply sources */
	if (rc == ALLOT_OK)
		rc = ds_requests(&ds);
	if (rc == ALLOT_OK && ds.md.err)
		rc = ds.md.err;
	if (rc == ALLOT_OK) {
		buf_printf(
			&ds.md,
			"\nTotals: %zu partners, %zu systems, %zu lines, %zu orders, "
			"%zu minerals, %zu supply rows, %zu bill-of-materials rows, %zu events.\n",
			ds.s->n_partners, ds.s->n_systems, ds.s->n_lines, ds.s->n_orders,
			ds.s->n_minerals, ds.s->n_supply, ds.s->n_bom, ds.s->n_events);
		res->sources_md = buf_take(&ds.md);
		if (!res->sources_md)
			rc = ALLOT_ENOMEM;
	}
	mem_free(iso3);
	mem_free(rows);
	if (rc == ALLOT_OK) {
		res->s = ds.s;
		res->reg = ds.reg;
		ds.s = NULL;
		ds.reg = NULL;
	} else {
		mem_free(res->order_record);
		res->order_record = NULL;
	}
	allot_scenario_free(ds.s);
	ds_free(&ds);
	return rc;
}

void ds_result_free(struct ds_result *r)
{
	allot_scenario_free(r->s);
	mem_free(r->sources_md);
	allot_sipri_free(r->reg);
	mem_free(r->order_record);
	memset(r, 0, sizeof *r);
}

int allot_convert_dataset_as_of(const struct allot_convert_dirs *dirs, allot_month as_of,
				struct allot_scenario **out, char **sources_md,
				struct allot_diags *diags)
{
	struct ds_result r;
	int rc = ds_build(dirs, as_of, &r, diags);
	if (rc != ALLOT_OK)
		return rc;
	*out = r.s;
	*sources_md = r.sources_md;
	r.s = NULL;
	r.sources_md = NULL;
	ds_result_free(&r);
	return ALLOT_OK;
}

int allot_convert_dataset(const struct allot_convert_dirs *dirs, struct allot_scenario **out,
			  char **sources_md, struct allot_diags *diags)
{
	return allot_convert_dataset_as_of(dirs, DS_AS_OF, out, sources_md, diags);
}

void allot_convert_free_text(char *text)
{
	mem_free(text);
}

int ds_push(void *v, size_t n, size_t sz)
{
	void **pv = v;
	void *p = mem_reallocarray(*pv, n + 1, sz);
	if (!p)
		return -1;
	*pv = p;
	return 0;
}
