/*
 * sipri_years.c - SIPRI's units by year of delivery, from the per-year
 * export ("deal rows", data/raw/sipri-trade-register), attached to the
 * register's records.
 *
 * The register gives a record's number delivered as of its date and the
 * years of delivery, not the units of each year.  The deal-rows export
 * gives one row per deal and delivery year with that year's units, but
 * no number ordered and no key shared with the register.  A deal matches
 * a record on supplier, recipient, year of order and TIV per unit, and on
 * the delivery years within the export's coverage, so that a record the
 * two exports date differently keeps the even spread (docs/backtest.md,
 * "Units delivered before as_of").
 */
#include <allot/allot.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/csvread.h"
#include "util/mem.h"

enum { D_ID, D_SUPPLIER, D_RECIPIENT, D_ORDER = 6, D_UNITS = 8, D_YEAR = 10, D_TIV = 14 };

struct deal {
	const char *id, *supplier, *recipient;
	int order_year;
	double tiv;
	int *year;
	int64_t *units;
	int n;
	int used; /* records matched to it */
};

static int cmp_key(const char *sa, const char *ra, int ya, double ta, const struct deal *b)
{
	int c = strcmp(sa, b->supplier);
	if (c == 0)
		c = strcmp(ra, b->recipient);
	if (c == 0 && ya != b->order_year)
		c = ya < b->order_year ? -1 : 1;
	if (c == 0 && fabs(ta - b->tiv) > 1e-9)
		c = ta < b->tiv ? -1 : 1;
	return c;
}

static int cmp_deal(const void *a, const void *b)
{
	const struct deal *x = a, *y = b;
	int c = cmp_key(x->supplier, x->recipient, x->order_year, x->tiv, y);
	return c ? c : strcmp(x->id, y->id);
}

static double num(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	return end == s ? NAN : v;
}

static int is_header(const struct csvr_row *r)
{
	return r->n > D_TIV && strcasecmp(r->f[D_ID], "SIPRI AT Database ID") == 0 &&
	       strcasecmp(r->f[D_YEAR], "Delivery year") == 0 &&
	       strcasecmp(r->f[D_UNITS], "Numbers delivered") == 0;
}

/* Adds `units` in `year` to d, keeping its years ascending and distinct. */
static int deal_add(struct deal *d, int year, int64_t units)
{
	int k = d->n;
	while (k > 0 && d->year[k - 1] > year)
		k--;
	if (k > 0 && d->year[k - 1] == year) {
		d->units[k - 1] += units;
		return ALLOT_OK;
	}
	int *y = mem_realloc(d->year, (size_t)(d->n + 1) * sizeof *y);
	if (!y)
		return ALLOT_ENOMEM;
	d->year = y;
	int64_t *u = mem_realloc(d->units, (size_t)(d->n + 1) * sizeof *u);
	if (!u)
		return ALLOT_ENOMEM;
	d->units = u;
	memmove(&d->year[k + 1], &d->year[k], (size_t)(d->n - k) * sizeof *d->year);
	memmove(&d->units[k + 1], &d->units[k], (size_t)(d->n - k) * sizeof *d->units);
	d->year[k] = year;
	d->units[k] = units;
	d->n++;
	return ALLOT_OK;
}

/* The deals of table t (rows after hdr), one per database ID, sorted by
 * key; the export's years of delivery span *from..*to. */
static int deals_collect(const struct csvr_table *t, size_t hdr, struct deal **out, size_t *nout,
			 int *from, int *to)
{
	struct deal *v = NULL;
	size_t n = 0, cap = 0;
	*from = 0;
	*to = 0;
	for (size_t i = hdr + 1; i < t->n; i++) {
		char **f = t->rows[i].f;
		if (t->rows[i].n <= D_TIV)
			continue;
		long y = strtol(f[D_YEAR], NULL, 10), oy = strtol(f[D_ORDER], NULL, 10);
		if (y <= 0 || y > 9999 || oy <= 0 || oy > 9999)
			continue;
		if (*to == 0 || y > *to)
			*to = (int)y;
		if (*from == 0 || y < *from)
			*from = (int)y;
		/* rows of one deal are adjacent in the export; a repeated ID
		 * elsewhere starts a second entry, which the matching then
		 * treats as a separate (and so ambiguous) deal */
		if (n == 0 || strcmp(v[n - 1].id, f[D_ID]) != 0) {
			if (mem_grow(&v, &cap, n + 1, sizeof *v) != 0)
				goto fail;
			v[n++] = (struct deal){ f[D_ID],
						f[D_SUPPLIER],
						f[D_RECIPIENT],
						(int)oy,
						num(f[D_TIV]),
						NULL,
						NULL,
						0,
						0 };
		}
		long long u = strtoll(f[D_UNITS], NULL, 10);
		/* v[n - 1] exists: the first row appended it (n == 0 above) */
		/* cppcheck-suppress nullPointer */
		if (deal_add(&v[n - 1], (int)y, u > 0 ? u : 0) != ALLOT_OK)
			goto fail;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_deal);
	*out = v;
	*nout = n;
	return ALLOT_OK;
fail:
	for (size_t k = 0; k < n; k++) {
		mem_free(v[k].year);
		mem_free(v[k].units);
	}
	mem_free(v);
	return ALLOT_ENOMEM;
}

/* The one deal of [lo, hi) whose years equal r's listed years up to `to`
 * (the two exports agree on when the record delivered), or NULL. */
static struct deal *by_years(struct deal *lo, struct deal *hi, const int *years, int ny, int to)
{
	int m = 0;
	while (m < ny && years[m] <= to)
		m++;
	struct deal *hit = NULL;
	for (struct deal *d = lo; d < hi; d++) {
		int same = d->n == m;
		for (int k = 0; same && k < m; k++)
			same = d->year[k] == years[k];
		if (same) {
			if (hit)
				return NULL;
			hit = d;
		}
	}
	return hit;
}

int allot_sipri_attach_years(struct allot_sipri_register *reg, const char *path, size_t *matched,
			     struct allot_diags *diags)
{
	struct csvr_table t = { 0 };
	struct deal *v = NULL;
	struct deal **pick = NULL;
	size_t n = 0, hdr = 0;
	int from, to;
	*matched = 0;
	int rc = csvr_table_read(path, CSVR_TOLERANT, &t, diags);
	if (rc != ALLOT_OK)
		return rc;
	while (hdr < t.n && !is_header(&t.rows[hdr]))
		hdr++;
	if (hdr == t.n) {
		allot_diags_add(
			diags, path, 0, 0,
			"expected a SIPRI per-year export (a header line starting 'SIPRI AT "
			"Database ID' with 'Numbers delivered' and 'Delivery year'), found "
			"none in %zu lines",
			t.n);
		rc = ALLOT_EINPUT;
		goto done;
	}
	rc = deals_collect(&t, hdr, &v, &n, &from, &to);
	if (rc == ALLOT_OK && !(pick = mem_calloc(reg->n ? reg->n : 1, sizeof *pick)))
		rc = ALLOT_ENOMEM;
	for (size_t i = 0; i < reg->n && rc == ALLOT_OK && n > 0; i++) {
		const struct allot_sipri_record *r = &reg->v[i];
		int years[ALLOT_SIPRI_MAX_YEARS];
		int ny = allot_sipri_delivery_years(r, years);
		double tiv = num(r->tiv_unit);
		if (r->delivered <= 0 || ny == 0 || years[0] < from || isnan(tiv))
			continue;
		/* first deal not below the key, then the run of equal keys */
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (cmp_key(r->supplier, r->recipient, r->year_of_order, tiv, &v[mid]) > 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		hi = lo;
		while (hi < n &&
		       cmp_key(r->supplier, r->recipient, r->year_of_order, tiv, &v[hi]) == 0)
			hi++;
		if (hi == lo)
			continue;
		pick[i] = by_years(&v[lo], &v[hi], years, ny, to);
		if (pick[i])
			pick[i]->used++;
	}
	for (size_t i = 0; i < reg->n && rc == ALLOT_OK; i++) {
		struct deal *d = pick ? pick[i] : NULL;
		if (!d || d->used != 1)
			continue;
		struct allot_sipri_record *r = &reg->v[i];
		r->by_year = d->year;
		r->by_units = d->units;
		r->n_by = d->n;
		r->by_from = from;
		r->by_to = to;
		d->year = NULL; /* the record owns them now */
		d->units = NULL;
		(*matched)++;
	}
done:
	for (size_t k = 0; k < n; k++) {
		mem_free(v[k].year);
		mem_free(v[k].units);
	}
	mem_free(v);
	mem_free(pick);
	csvr_table_free(&t);
	return rc;
}

int allot_sipri_units_in(const struct allot_sipri_record *r, int from, int to, int64_t *units)
{
	if (r->by_to == 0 || to > r->by_to)
		return 0;
	int64_t u = 0;
	for (int k = 0; k < r->n_by; k++)
		if (r->by_year[k] >= from && r->by_year[k] <= to)
			u += r->by_units[k];
	*units = u;
	return 1;
}

int64_t allot_sipri_units_through(const struct allot_sipri_record *r, const int *years, int n,
				  int k)
{
	int64_t d = r->delivered < 0 ? 0 : r->delivered;
	if (k >= n)
		return d;
	if (k <= 0)
		return 0;
	if (r->by_to == 0 || years[0] > r->by_to)
		return allot_sipri_delivered_by(r, k, n);
	/* the first c listed years are the export's; what it records for
	 * them never exceeds the register's total nor the number ordered */
	int c = 0;
	while (c < n && years[c] <= r->by_to)
		c++;
	int64_t cap = r->qty >= 0 && r->qty < d ? r->qty : d, known;
	allot_sipri_units_in(r, r->by_from, years[(k < c ? k : c) - 1], &known);
	if (known > cap)
		known = cap;
	if (k <= c)
		return known;
	/* a later year: what the register's total leaves after the covered
	 * years, spread evenly over the listed years after them (half up) */
	int64_t m = n - c, j = k - c, rest = d - known;
	return known + (2 * rest * j + m) / (2 * m);
}

int64_t allot_sipri_units_of(const struct allot_sipri_record *r, const int *years, int n, int i)
{
	return allot_sipri_units_through(r, years, n, i + 1) -
	       allot_sipri_units_through(r, years, n, i);
}
