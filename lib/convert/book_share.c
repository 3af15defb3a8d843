/*
 * book_share.c - the book's share of a line's output after as_of
 * (docs/dataset.md, "The book's share of a line").
 *
 * A dataset's order book holds the orders placed before as_of.  A real line
 * also serves the orders placed after as_of, so the book receives only part
 * of its output, a part that falls year by year as the newer contracts take
 * over.  The share is measured on deliveries recorded before as_of only:
 * for a base year B of the BS_YEARS years before as_of - j, the units the
 * line delivered in year B + j to the records ordered in the DS_ORDER_YEARS
 * years before B (the book the converter would have built at B), against
 * the line's foreign capacity estimated at B (its best year of the DS_YEARS
 * years before B, the converter's rule).  Summed over the base years, per
 * line when it has BS_MIN_RECORDS records delivering in the DS_YEARS years
 * before as_of, else over every line.  An estimate, labelled as one.
 *
 * The share applies to a delivery month: month as_of + t delivers share
 * [t / 12] of the line's capacity (the last for t beyond).  The work in
 * progress takes it in the first lead months (allot_derive_wip_shared);
 * production takes it through capacity events dated a lead earlier
 * (ds_book_share_events), multiplied into the line's rate and its typed
 * capacity events.
 */
#include "convert/dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define BS_MIN_RECORDS 5
/* the years of history the capacity estimate at the earliest base needs */
#define BS_SPAN (DS_BOOK_SHARE_YEARS + DS_BOOK_SHARE_YEARS + DS_YEARS)

static int bs_mode(void)
{
	const char *e = getenv("ALLOT_BS_MODE");
	return !e ? 3 : strcmp(e, "frac") == 0 ? 0 : strcmp(e, "peak") == 0 ? 1 : strcmp(e, "taken") == 0 ? 2 : 3;
}

/* r's new units of year y, known by year when the per-year export covers
 * y0..y1 (the whole history read), else its total spread evenly. */
static double units_of_year(const struct allot_sipri_record *r, int known, int y)
{
	int64_t u;
	if (r->delivered <= 0)
		return 0;
	if (known)
		return allot_sipri_units_in(r, y, y, &u) ? (double)u : 0;
	return (double)r->delivered * ds_delivery_share(r->delivery_years, y, y);
}

int ds_book_share(struct ds *ds, double **out, struct buf *md)
{
	struct allot_scenario *s = ds->s;
	enum { J = DS_BOOK_SHARE_YEARS };
	size_t L = s->n_lines;
	int A = (int)(s->as_of / 12), y0 = A - BS_SPAN, y1 = A - 1;
	/* per line: units by year y0..y1 (all), units of year A-J..A-1
	 * delivered to the book of base B = y - j (book[j]), records */
	double *tot = mem_calloc((L + 1) * BS_SPAN, sizeof *tot);
	double *book = mem_calloc((L + 1) * J, sizeof *book);
	double *later = mem_calloc((L + 1) * J, sizeof *later);
	/* the book of base B's open units at the start of year B + j, per
	 * line, B = A - J - j + b */
	double *open = mem_calloc((L + 1) * J * J, sizeof *open);
	double *cap = mem_calloc((L + 1) * J, sizeof *cap);
	size_t *recs = mem_calloc(L + 1, sizeof *recs);
	double *share = mem_calloc((L ? L : 1) * J, sizeof *share);
	int *line = mem_alloc((ds->reg->n ? ds->reg->n : 1) * sizeof *line);
	*out = NULL;
	if (!tot || !book || !later || !open || !cap || !recs || !share || !line) {
		mem_free(later);
		mem_free(open);
		mem_free(tot);
		mem_free(book);
		mem_free(cap);
		mem_free(recs);
		mem_free(share);
		mem_free(line);
		return ALLOT_ENOMEM;
	}
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		line[i] = -1;
		if (ds->rec_system[i] < 0 || strcmp(r->supplier, ds->filter.supplier) != 0 ||
		    allot_sipri_supply_type(r) != ALLOT_SUPPLY_NEW || r->delivered <= 0)
			continue;
		line[i] = allot_scenario_find_line(s, ds_system_line(ds, ds->rec_system[i]));
	}
	for (size_t i = 0; i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		if (line[i] < 0)
			continue;
		int64_t u;
		int known = allot_sipri_units_in(r, y0, y1, &u);
		double *t = tot + (size_t)line[i] * BS_SPAN;
		double *b = book + (size_t)line[i] * J;
		int recent = 0;
		for (int y = y0; y <= y1; y++) {
			double v = units_of_year(r, known, y);
			t[y - y0] += v;
			if (y < A - J || v <= 0)
				continue;
			recent = 1;
			for (int j = 0; j < J; j++) {
				int B = y - j;
				if (r->year_of_order < B && r->year_of_order >= B - DS_ORDER_YEARS)
					b[j] += v;
				else if (r->year_of_order >= B)
					later[(size_t)line[i] * J + (size_t)j] += v;
			}
		}
		recs[line[i]] += (size_t)recent;
		for (int j = 0; j < J; j++)
			for (int k = 0; k < J; k++) {
				int B = A - J - j + k;
				if (r->year_of_order >= B || r->year_of_order < B - DS_ORDER_YEARS ||
				    r->qty <= 0)
					continue;
				int64_t d = allot_sipri_delivered_before(r, (allot_month)(B + j) * 12);
				if (r->qty > d)
					open[((size_t)line[i] * J + (size_t)j) * J + (size_t)k] +=
						(double)(r->qty - d);
			}
	}
	/* the capacity the converter would have estimated at each base B */
	int mode = bs_mode(), peak = mode != 0;
	for (size_t l = 0; l < L; l++)
		for (int j = 0; j < J; j++)
			for (int B = A - J - j; B <= A - 1 - j; B++) {
				double best = 0;
				const double *t = tot + l * BS_SPAN;
				if (peak) {
					for (int y = B - DS_YEARS; y < B; y++)
						if (t[y - y0] > best)
							best = t[y - y0];
				} else {
					best = t[B + j - y0];
				}
				if (mode == 3) {
					double o = open[(l * J + (size_t)j) * J + (size_t)(B - (A - J - j))];
					if (o < best)
						best = o;
				}
				cap[l * J + (size_t)j] += best;
			}
	for (size_t l = 0; l < L; l++)
		for (int j = 0; j < J; j++) {
			if (mode == 2)
				book[l * J + (size_t)j] = cap[l * J + (size_t)j] - later[l * J + (size_t)j];
			book[L * J + (size_t)j] += book[l * J + (size_t)j];
			cap[L * J + (size_t)j] += cap[l * J + (size_t)j];
		}
	buf_printf(md,
		   "\nThe book's share of each line's output after as_of (docs/dataset.md, "
		   "\"The book's share of a line\"; an estimate): of year as_of + j, the "
		   "units the line delivered in year B + j to the orders placed in the %d "
		   "years before B, over the line's capacity estimated at B (its best year of "
		   "the %d before), summed over the %d base years B with B + j in %d-%d; per "
		   "line with %d records delivering in %d-%d, else of all lines; at most 1, "
		   "the last year's share after.\n\n| line | records | share of year 0, 1, "
		   "... |\n|---|---|---|\n",
		   DS_ORDER_YEARS, DS_YEARS, J, A - J, A - 1, BS_MIN_RECORDS, A - J, A - 1);
	double *bk = mem_calloc(L + 1, sizeof *bk);
	for (size_t i = 0; bk && i < s->n_orders; i++)
		if (s->orders[i].supply == ALLOT_SUPPLY_NEW)
			bk[s->systems[s->orders[i].system].line] += (double)(s->orders[i].qty - s->orders[i].delivered);
	for (size_t l = 0; l <= L; l++) {
		size_t k = l < L && recs[l] >= BS_MIN_RECORDS && !getenv("ALLOT_BS_POOL") ? l : L;
		buf_printf(md, "| %s | %zu |", l < L ? s->lines[l].line_id : "(all lines)",
			   l < L ? recs[l] : 0);
		for (int j = 0; j < J; j++) {
			double c = cap[k * J + (size_t)j];
			double a = c > 0 ? book[k * J + (size_t)j] / c : 1;
			if (a > 1)
				a = 1;
			if (a < 0)
				a = 0;
			a = round(a * 1000) / 1000; /* three decimals, as printed */
			if (getenv("ALLOT_BS_OFF") || !getenv("ALLOT_BS_MODE"))
				a = 1;
			if (getenv("ALLOT_BS_CONST"))
				a = atof(getenv("ALLOT_BS_CONST"));
			if (getenv("ALLOT_BS_WIP1") && j == 0)
				a = 1;
			if (getenv("ALLOT_BS_FULL") && l < L && bk[l] < atof(getenv("ALLOT_BS_FULL")) * 12 * s->lines[l].rate_per_month * (1 - s->lines[l].us_share))
				a = 1;
			if (getenv("ALLOT_BS_FB1") && k == L && l < L)
				a = 1;
			if (getenv("ALLOT_BS_MINCAP") && l < L && 12 * s->lines[l].rate_per_month < atof(getenv("ALLOT_BS_MINCAP")))
				a = 1;
			if (l < L)
				share[l * J + (size_t)j] = a;
			buf_printf(md, "%s%.3f", j ? ", " : " ", a);
		}
		buf_printf(md, "%s |\n", l < L && k == L ? " (all lines)" : "");
	}
	mem_free(bk);
	mem_free(tot);
	mem_free(book);
	mem_free(later);
	mem_free(open);
	mem_free(cap);
	mem_free(recs);
	mem_free(line);
	*out = share;
	return ALLOT_OK;
}

static int cmp_month(const void *a, const void *b)
{
	allot_month x = *(const allot_month *)a, y = *(const allot_month *)b;
	return (x > y) - (x < y);
}

/* The line's rate in production month m: its rate, then its capacity
 * events up to m (the later month wins, then the later row). */
static double base_rate(const struct allot_scenario *s, size_t l, const struct allot_event *ev,
			size_t n, allot_month m)
{
	double r = s->lines[l].rate_per_month;
	allot_month best = ALLOT_NO_MONTH;
	for (size_t k = 0; k < n; k++)
		if (ev[k].type == ALLOT_EV_CAPACITY && ev[k].index == (int)l && ev[k].month <= m &&
		    (best == ALLOT_NO_MONTH || ev[k].month >= best)) {
			best = ev[k].month;
			r = ev[k].num;
		}
	return r;
}

static int push_event(struct allot_scenario *s, size_t *cap, size_t l, allot_month m, double v)
{
	char buf[32];
	if (mem_grow(&s->events, cap, s->n_events + 1, sizeof *s->events) != 0)
		return ALLOT_ENOMEM;
	struct allot_event *e = &s->events[s->n_events];
	memset(e, 0, sizeof *e);
	e->month = m;
	e->type = ALLOT_EV_CAPACITY;
	e->index = (int)l;
	e->num = v;
	allot_fmt_double(v, buf);
	e->target = mem_strdup(s->lines[l].line_id);
	e->value = mem_strdup(buf);
	s->n_events++;
	return e->target && e->value ? ALLOT_OK : ALLOT_ENOMEM;
}

/* 1 when line l keeps all its output for the book. */
static int whole(const double *share, size_t l)
{
	for (int j = 0; j < DS_BOOK_SHARE_YEARS; j++)
		if (share[l * DS_BOOK_SHARE_YEARS + (size_t)j] != 1)
			return 0;
	return 1;
}

int ds_book_share_events(struct ds *ds, const double *share)
{
	enum { J = DS_BOOK_SHARE_YEARS };
	struct allot_scenario *s = ds->s;
	size_t n0 = s->n_events, cap = n0;
	struct allot_event *old = s->events;
	allot_month *when = mem_alloc((n0 + J + 2) * sizeof *when);
	int after_one = getenv("ALLOT_BS_AFTER") != NULL;
	if (!when)
		return ALLOT_ENOMEM;
	/* the typed events, less the lines' capacity events from as_of on,
	 * which come back multiplied */
	s->events = NULL;
	s->n_events = 0;
	cap = 0;
	int rc = ALLOT_OK;
	for (size_t k = 0; k < n0 && rc == ALLOT_OK; k++) {
		if (old[k].type == ALLOT_EV_CAPACITY && old[k].month >= s->as_of &&
		    !whole(share, (size_t)old[k].index))
			continue;
		if (mem_grow(&s->events, &cap, s->n_events + 1, sizeof *s->events) != 0)
			rc = ALLOT_ENOMEM;
		else
			s->events[s->n_events++] = old[k], old[k].target = old[k].value = NULL;
	}
	for (size_t l = 0; l < s->n_lines && rc == ALLOT_OK; l++) {
		if (whole(share, l))
			continue;
		int lead = 0;
		for (size_t y = 0; y < s->n_systems; y++)
			if (s->systems[y].line == (int)l && s->systems[y].lead_months > lead)
				lead = s->systems[y].lead_months;
		size_t n = 0;
		when[n++] = s->as_of;
		for (size_t k = 0; k < n0; k++)
			if (old[k].type == ALLOT_EV_CAPACITY && old[k].index == (int)l &&
			    old[k].month > s->as_of)
				when[n++] = old[k].month;
		for (int j = 1; j <= J; j++)
			if (12 * j - lead > 0)
				when[n++] = s->as_of + 12 * j - lead;
		qsort(when, n, sizeof *when, cmp_month);
		double last = base_rate(s, l, old, n0, s->as_of - 1);
		for (size_t k = 0; k < n && rc == ALLOT_OK; k++) {
			if (k > 0 && when[k] == when[k - 1])
				continue;
			int j = (int)((when[k] - s->as_of + lead) / 12);
			double f = j < J ? share[l * J + (size_t)j] : after_one ? 1 : share[l * J + J - 1];
			double v = base_rate(s, l, old, n0, when[k]) * f;
			if (v == last)
				continue;
			rc = push_event(s, &cap, l, when[k], v);
			last = v;
		}
	}
	for (size_t k = 0; k < n0; k++) {
		mem_free(old[k].target);
		mem_free(old[k].value);
	}
	mem_free(old);
	mem_free(when);
	return rc;
}
