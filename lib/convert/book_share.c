/*
 * book_share.c - the book's share of a line's output after as_of, an
 * experiment of the backtest (docs/dataset.md, "The book's share of a
 * line"; docs/backtest.md).  Off unless asked for (--book-share).
 *
 * A dataset's order book holds the orders placed before as_of.  A real line
 * also serves the orders placed after as_of, so the book receives only part
 * of its output.  allot_book_share_measure estimates that part for year
 * as_of + j from deliveries recorded before as_of only: for each base year
 * B with B + j in the ALLOT_BOOK_SHARE_YEARS years before as_of, what the
 * line delivered in year B + j to the orders placed in the DS_ORDER_YEARS
 * years before B (the book the converter would have built at B), over a
 * denominator the rule names, summed over the bases: per line when it has
 * BS_MIN_RECORDS records delivering in those years, else over every line.
 *
 * The share applies to a delivery month: month as_of + t delivers share
 * [t / 12] of the line's capacity (the last one, or all with then_all,
 * after).  The work in progress takes it in the first lead months
 * (allot_derive_wip_shared); production takes it through capacity events
 * dated a lead earlier (ds_book_share_events), multiplied into the line's
 * rate and its typed capacity events.  An estimate, labelled as one.
 */
#include "convert/dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

#define BS_MIN_RECORDS 5
enum { J = ALLOT_BOOK_SHARE_YEARS };
/* the years of history read: the capacity estimate at the earliest base
 * (as_of - 2J) looks DS_YEARS further back */
#define BS_SPAN (J + J + DS_YEARS)

static const char *const rules[] = { "off", "delivered", "capacity", "taken", "need" };

int allot_book_share_parse(const char *s, struct allot_book_share *out)
{
	struct allot_book_share b = { 0 };
	int first = 1;
	if (strcmp(s, "own-pace") == 0) { /* the default rule since adopted (order_pace.c) */
		*out = b;
		return 0;
	}
	while (s) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		int ok = 0;
		for (int k = 0; first && k < (int)(sizeof rules / sizeof *rules); k++)
			if (strlen(rules[k]) == n && strncmp(s, rules[k], n) == 0)
				b.rule = (enum allot_book_share_rule)k, ok = 1;
		if (!first && n == 6 && strncmp(s, "pooled", n) == 0)
			b.pooled = ok = 1;
		else if (!first && n == 3 && strncmp(s, "wip", n) == 0)
			b.wip_only = ok = 1;
		else if (!first && n == 8 && strncmp(s, "then-all", n) == 0)
			b.then_all = ok = 1;
		if (!ok || (!first && b.rule == ALLOT_BOOK_SHARE_OFF))
			return -1;
		first = 0;
		s = c ? c + 1 : NULL;
	}
	*out = b;
	return 0;
}

void allot_book_share_format(const struct allot_book_share *b, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s", rules[b->rule], b->pooled ? ",pooled" : "",
		 b->wip_only ? ",wip" : "", b->then_all ? ",then-all" : "");
}

/* The sums over the base years, per line (index L: every line). */
struct bs_sums {
	double *tot;   /* [line][year y0..]: new units delivered */
	double *book;  /* [line][j]: to the book of B, in B + j */
	double *later; /* [line][j]: to the orders placed from B on, in B + j */
	double *open;  /* [line][j][k]: the book of B = A - J - j + k, open at B + j */
	double *den;   /* [line][j]: the rule's denominator */
};

static void bs_free(struct bs_sums *m)
{
	mem_free(m->tot);
	mem_free(m->book);
	mem_free(m->later);
	mem_free(m->open);
	mem_free(m->den);
}

static void bs_record(const struct allot_sipri_record *r, size_t l, int A, size_t *recs,
		      struct bs_sums *m)
{
	int y0 = A - BS_SPAN, y1 = A - 1, recent = 0;
	int64_t u;
	int known = allot_sipri_units_in(r, y0, y1, &u);
	for (int y = y0; y <= y1; y++) {
		double v = ds_units_of_year(r, known, y);
		m->tot[l * BS_SPAN + (size_t)(y - y0)] += v;
		if (y < A - J || v <= 0)
			continue;
		recent = 1;
		for (int j = 0; j < J; j++) {
			int B = y - j; /* the base whose year B + j this is */
			if (r->year_of_order < B && r->year_of_order >= B - DS_ORDER_YEARS)
				m->book[l * J + (size_t)j] += v;
			else if (r->year_of_order >= B)
				m->later[l * J + (size_t)j] += v;
		}
	}
	recs[l] += (size_t)recent;
	for (int j = 0; j < J && r->qty > 0; j++)
		for (int k = 0; k < J; k++) {
			int B = A - J - j + k;
			if (r->year_of_order >= B || r->year_of_order < B - DS_ORDER_YEARS)
				continue;
			int64_t d = allot_sipri_delivered_before(r, (allot_month)(B + j) * 12);
			if (r->qty > d)
				m->open[(l * J + (size_t)j) * J + (size_t)k] +=
					(double)(r->qty - d);
		}
}

int allot_book_share_measure(const struct allot_sipri_register *reg, const int *line,
			     size_t n_lines, allot_month as_of, enum allot_book_share_rule rule,
			     double *share, size_t *records)
{
	size_t L = n_lines;
	int A = (int)(as_of / 12), y0 = A - BS_SPAN;
	struct bs_sums m = {
		mem_calloc((L + 1) * BS_SPAN, sizeof(double)),
		mem_calloc((L + 1) * J, sizeof(double)),
		mem_calloc((L + 1) * J, sizeof(double)),
		mem_calloc((L + 1) * J * J, sizeof(double)),
		mem_calloc((L + 1) * J, sizeof(double)),
	};
	if (!m.tot || !m.book || !m.later || !m.open || !m.den) {
		bs_free(&m);
		return ALLOT_ENOMEM;
	}
	memset(records, 0, (L + 1) * sizeof *records);
	for (size_t i = 0; i < reg->n; i++)
		if (line[i] >= 0 && (size_t)line[i] < L)
			bs_record(&reg->v[i], (size_t)line[i], A, records, &m);
	for (size_t l = 0; l < L; l++) {
		const double *t = m.tot + l * BS_SPAN;
		for (int j = 0; j < J; j++) {
			size_t x = l * J + (size_t)j;
			for (int k = 0; k < J; k++) {
				int B = A - J - j + k;
				double c = 0; /* the capacity estimated at B: its best year */
				for (int y = B - DS_YEARS; y < B; y++)
					if (t[y - y0] > c)
						c = t[y - y0];
				double open = m.open[x * J + (size_t)k];
				if (rule == ALLOT_BOOK_SHARE_DELIVERED)
					c = t[B + j - y0]; /* all the year's deliveries */
				else if (rule == ALLOT_BOOK_SHARE_NEED && open < c)
					c = open;
				m.den[x] += c;
			}
			if (rule == ALLOT_BOOK_SHARE_TAKEN)
				m.book[x] = m.den[x] - m.later[x];
			m.book[L * J + (size_t)j] += m.book[x];
			m.den[L * J + (size_t)j] += m.den[x];
		}
		records[L] += records[l];
	}
	for (size_t x = 0; x < (L + 1) * J; x++) {
		double a = m.den[x] > 0 ? m.book[x] / m.den[x] : 1;
		a = a > 1 ? 1 : a < 0 ? 0 : a;
		share[x] = round(a * 1000) / 1000; /* three decimals, as printed */
	}
	bs_free(&m);
	return ALLOT_OK;
}

int ds_book_share(struct ds *ds, double **out, struct buf *md)
{
	const struct allot_book_share *o = ds->dirs->book_share;
	struct allot_scenario *s = ds->s;
	size_t L = s->n_lines;
	int A = (int)(s->as_of / 12);
	int *line = mem_alloc((ds->reg->n ? ds->reg->n : 1) * sizeof *line);
	double *all = mem_calloc((L + 1) * J, sizeof *all);
	double *share = mem_calloc((L ? L : 1) * J, sizeof *share);
	size_t *recs = mem_calloc(L + 1, sizeof *recs);
	*out = NULL;
	int rc = line && all && share && recs ? ALLOT_OK : ALLOT_ENOMEM;
	for (size_t i = 0; rc == ALLOT_OK && i < ds->reg->n; i++) {
		const struct allot_sipri_record *r = &ds->reg->v[i];
		line[i] = -1;                 /* not made on a line of the dataset */
		if (ds->rec_system[i] >= 0 && /* the supplier's (match_records) */
		    allot_sipri_supply_type(r) == ALLOT_SUPPLY_NEW)
			line[i] =
				allot_scenario_find_line(s, ds_system_line(ds, ds->rec_system[i]));
	}
	if (rc == ALLOT_OK)
		rc = allot_book_share_measure(ds->reg, line, L, s->as_of, o->rule, all, recs);
	if (rc != ALLOT_OK) {
		mem_free(line);
		mem_free(all);
		mem_free(share);
		mem_free(recs);
		return rc;
	}
	static const char *const what[] = {
		"",
		"the units the line delivered in year B + j to the orders placed in the %d years "
		"before B (the book at B), over all the units it delivered that year",
		"the units the line delivered in year B + j to the orders placed in the %d years "
		"before B, over its capacity estimated at B (its best year of the %d before)",
		"1 - the units the line delivered in year B + j to the orders placed from B on, "
		"over its capacity estimated at B (its best year of the %d before)",
		"the units the line delivered in year B + j to the orders placed in the %d years "
		"before B, over the smaller of its capacity estimated at B (its best year of the "
		"%d before) and that book's units still open at B + j",
	};
	char how[512], scope[128];
	if (o->rule == ALLOT_BOOK_SHARE_TAKEN)
		snprintf(how, sizeof how, what[o->rule], DS_YEARS);
	else
		snprintf(how, sizeof how, what[o->rule], DS_ORDER_YEARS, DS_YEARS);
	if (o->pooled)
		snprintf(scope, sizeof scope, "every line takes the curve of all lines");
	else
		snprintf(scope, sizeof scope,
			 "per line with %d records delivering then, else the curve of all lines",
			 BS_MIN_RECORDS);
	buf_printf(
		md,
		"\nThe book's share of each line's output after as_of (an experiment of the "
		"backtest, --book-share %s%s%s%s; docs/dataset.md, \"The book's share of a "
		"line\"; an estimate): the share of year as_of + j is %s, summed over the %d "
		"base years B with B + j in %d-%d; %s; between 0 and 1, %s after year %d. "
		"Applied to %s.\n\n| line | records | share of year 0, 1, ... |\n|---|---|---|\n",
		rules[o->rule], o->pooled ? ",pooled" : "", o->wip_only ? ",wip" : "",
		o->then_all ? ",then-all" : "", how, J, A - J, A - 1, scope,
		o->then_all ? "the whole output" : "the last share", J - 1,
		o->wip_only ? "the work in progress only"
			    : "the work in progress and, by capacity events a lead earlier, "
			      "the line's production");
	for (size_t l = 0; l <= L; l++) {
		size_t k = l < L && !o->pooled && recs[l] >= BS_MIN_RECORDS ? l : L;
		buf_printf(md, "| %s | %zu |", l < L ? s->lines[l].line_id : "(all lines)",
			   recs[l]);
		int part = 0;
		for (int j = 0; j < J; j++) {
			if (l < L)
				share[l * J + (size_t)j] = all[k * J + (size_t)j];
			part |= all[k * J + (size_t)j] != 1;
			buf_printf(md, "%s%.3f", j ? ", " : " ", all[k * J + (size_t)j]);
		}
		/* a date on the line now rests on the estimated share: the
		 * line is marked as an estimate wherever dates are (explain,
		 * quote, the order book, the report) */
		int cited = l < L && part && s->lines[l].rate_basis == ALLOT_RATE_CITED;
		if (cited)
			s->lines[l].rate_basis = ALLOT_RATE_ESTIMATE;
		buf_printf(md, "%s%s |\n", l < L && k == L ? " (all lines)" : "",
			   cited ? "; its cited rate x this share: rate_basis estimate" : "");
	}
	mem_free(line);
	mem_free(all);
	mem_free(recs);
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
	for (int j = 0; j < J; j++)
		if (share[l * J + (size_t)j] != 1)
			return 0;
	return 1;
}

int ds_book_share_events(struct ds *ds, const double *share)
{
	struct allot_scenario *s = ds->s;
	size_t n0 = s->n_events, cap = 0;
	struct allot_event *old = s->events;
	/* a line's change months: as_of, its typed events, J share years */
	allot_month *when = mem_alloc((n0 + J + 2) * sizeof *when);
	int then_all = ds->dirs->book_share->then_all;
	if (!when)
		return ALLOT_ENOMEM;
	/* the typed events, less the shared lines' capacity events from as_of
	 * on, which come back multiplied */
	s->events = NULL;
	s->n_events = 0;
	int rc = ALLOT_OK;
	for (size_t k = 0; k < n0 && rc == ALLOT_OK; k++) {
		if (old[k].type == ALLOT_EV_CAPACITY && old[k].month >= s->as_of &&
		    !whole(share, (size_t)old[k].index))
			continue;
		if (mem_grow(&s->events, &cap, s->n_events + 1, sizeof *s->events) != 0) {
			rc = ALLOT_ENOMEM;
		} else {
			s->events[s->n_events++] = old[k];
			old[k].target = old[k].value = NULL; /* moved */
		}
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
			double f = j < J      ? share[l * J + (size_t)j]
				   : then_all ? 1
					      : share[l * J + J - 1];
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
