/*
 * diff.c - schedule stability between two plans (`allot diff`): per order
 * the change in completion month, and the figures that measure how much a
 * schedule moved: mean absolute change and the share of orders moved more
 * than six months (docs/answers.md).
 *
 * The two plans come as struct allot_run_orders: read from a store
 * (store_runs.c) or from two orders_out.csv files (read here, strictly,
 * with positions in every message).
 */
#include <allot/allot.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answers/answers_int.h"
#include "io/csvread.h"
#include "util/mem.h"
#include "util/strmap.h"

/* ---------------------------------------------------------------------- */
/* orders_out.csv                                                           */

enum { COL_ID, COL_COMPLETION, COL_SHORT, N_COLS, COL_CANCELLED = N_COLS, N_ALL };
static const char *const col_names[N_ALL] = { "order_id", "completion_month", "units_short",
					      "cancelled_units" };

static int find_columns(const struct csvr_record *h, const char *name, size_t col[N_ALL],
			struct allot_diags *d)
{
	col[COL_CANCELLED] = (size_t)-1; /* optional */
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->f[i].s, col_names[COL_CANCELLED]) == 0)
			col[COL_CANCELLED] = i;
	for (int k = 0; k < N_COLS; k++) {
		col[k] = (size_t)-1;
		for (size_t i = 0; i < h->n; i++)
			if (strcmp(h->f[i].s, col_names[k]) == 0)
				col[k] = i;
		if (col[k] == (size_t)-1) {
			allot_diags_add(
				d, name, h->line, 0,
				"expected a header with order_id, completion_month and "
				"units_short (orders_out.csv of allot plan --out), found no %s",
				col_names[k]);
			return ALLOT_EINPUT;
		}
	}
	return ALLOT_OK;
}

static int grow(struct allot_run_orders *r, size_t *cap)
{
	if (r->n < *cap)
		return 0;
	size_t c = *cap;
	if (mem_grow(&r->order_id, &c, r->n + 1, sizeof *r->order_id) != 0)
		return -1;
	c = *cap;
	if (mem_grow(&r->completion, &c, r->n + 1, sizeof *r->completion) != 0)
		return -1;
	c = *cap;
	if (mem_grow(&r->units_short, &c, r->n + 1, sizeof *r->units_short) != 0)
		return -1;
	c = *cap;
	if (mem_grow(&r->cancelled, &c, r->n + 1, sizeof *r->cancelled) != 0)
		return -1;
	*cap = c;
	return 0;
}

/* Parses one data record into r (appending); diagnostics for bad cells. */
static int read_row(const struct csvr_record *rec, const size_t col[N_ALL], const char *name,
		    struct allot_run_orders *r, struct allot_diags *d)
{
	for (int k = 0; k < N_COLS; k++)
		if (col[k] >= rec->n) {
			allot_diags_add(d, name, rec->line, 0,
					"expected a value for %s, found only %zu fields",
					col_names[k], rec->n);
			return ALLOT_EINPUT;
		}
	const struct csvr_field *id = &rec->f[col[COL_ID]], *cm = &rec->f[col[COL_COMPLETION]],
				*us = &rec->f[col[COL_SHORT]];
	int rc = ALLOT_OK;
	allot_month m = ALLOT_NO_MONTH;
	if (!id->len) {
		allot_diags_add(d, name, id->line, id->col, "expected an order_id, found nothing");
		rc = ALLOT_EINPUT;
	}
	if (cm->len && allot_month_parse(cm->s, &m) != 0) {
		char q[64];
		csvr_quote_for_msg(cm->s, cm->len, q, sizeof q);
		allot_diags_add(d, name, cm->line, cm->col,
				"expected a month YYYY-MM or nothing, found %s", q);
		rc = ALLOT_EINPUT;
	}
	char *end;
	errno = 0;
	long long v = strtoll(us->s, &end, 10);
	if (!us->len || *end || errno || v < 0) {
		char q[64];
		csvr_quote_for_msg(us->s, us->len, q, sizeof q);
		allot_diags_add(d, name, us->line, us->col,
				"expected a whole number of units >= 0, found %s", q);
		rc = ALLOT_EINPUT;
	}
	long long cx = 0;
	if (col[COL_CANCELLED] != (size_t)-1) {
		const struct csvr_field *cf =
			col[COL_CANCELLED] < rec->n ? &rec->f[col[COL_CANCELLED]] : NULL;
		errno = 0;
		cx = cf ? strtoll(cf->s, &end, 10) : -1;
		if (!cf || !cf->len || *end || errno || cx < 0) {
			char q[64];
			csvr_quote_for_msg(cf ? cf->s : "", cf ? cf->len : 0, q, sizeof q);
			allot_diags_add(d, name, rec->line, cf ? cf->col : 0,
					"expected a whole number of units >= 0 in cancelled_units, "
					"found %s",
					q);
			rc = ALLOT_EINPUT;
		}
	}
	if (rc != ALLOT_OK)
		return rc;
	r->cancelled[r->n] = cx;
	if (!(r->order_id[r->n] = mem_strdup(id->s)))
		return ALLOT_ENOMEM;
	r->completion[r->n] = m;
	r->units_short[r->n] = v;
	r->n++;
	return ALLOT_OK;
}

static int read_rows(struct csvr *cr, const char *name, struct allot_run_orders *r,
		     struct allot_diags *d)
{
	const struct csvr_record *rec;
	size_t col[N_ALL], cap = 0;
	int rc = csvr_next(cr, &rec);
	if (rc == ALLOT_OK && !rec) {
		allot_diags_add(d, name, 1, 0, "expected a header line, found an empty file");
		return ALLOT_EINPUT;
	}
	if (rc == ALLOT_OK)
		rc = find_columns(rec, name, col, d);
	int bad = 0;
	while (rc == ALLOT_OK && (rc = csvr_next(cr, &rec)) == ALLOT_OK && rec) {
		if (grow(r, &cap) != 0)
			return ALLOT_ENOMEM;
		int row_rc = read_row(rec, col, name, r, d);
		if (row_rc == ALLOT_ENOMEM)
			return row_rc;
		bad |= row_rc != ALLOT_OK;
	}
	if (rc == ALLOT_OK && bad)
		rc = ALLOT_EINPUT;
	return rc;
}

/* Order ids must be unique: the second one is reported at its line. */
static int check_unique(const struct allot_run_orders *r, const char *name, struct allot_diags *d)
{
	struct strmap m;
	strmap_init(&m);
	int rc = ALLOT_OK;
	for (size_t i = 0; i < r->n && rc == ALLOT_OK; i++) {
		int old, put = strmap_put(&m, r->order_id[i], (int)i, &old);
		if (put < 0) {
			rc = ALLOT_ENOMEM;
		} else if (put == 1) {
			allot_diags_add(d, name, 0, 0,
					"expected each order once, found %s in rows %d and %zu",
					r->order_id[i], old + 1, i + 1);
			rc = ALLOT_EINPUT;
		}
	}
	strmap_free(&m);
	return rc;
}

int allot_run_orders_read_csv(const char *path, struct allot_run_orders **out,
			      struct allot_diags *diags)
{
	*out = NULL;
	struct allot_run_orders *r = mem_calloc(1, sizeof *r);
	if (!r)
		return ALLOT_ENOMEM;
	r->end = ALLOT_NO_MONTH;
	struct csvr *cr = NULL;
	int rc = csvr_open(path, NULL, CSVR_UTF8, diags, &cr);
	if (rc == ALLOT_OK)
		rc = read_rows(cr, path, r, diags);
	csvr_close(cr);
	if (rc == ALLOT_OK)
		rc = check_unique(r, path, diags);
	if (rc == ALLOT_OK && !(r->label = mem_strdup(path)))
		rc = ALLOT_ENOMEM;
	if (rc != ALLOT_OK) {
		allot_run_orders_free(r);
		return rc;
	}
	*out = r;
	return ALLOT_OK;
}

/* ---------------------------------------------------------------------- */
/* The comparison                                                           */

static int cmp_row(const void *a, const void *b)
{
	const struct allot_diff_row *x = a, *y = b;
	if (x->counted != y->counted)
		return y->counted - x->counted;
	int ax = abs(x->delta), ay = abs(y->delta);
	if (ax != ay)
		return ay - ax;
	if (x->delta != y->delta)
		return y->delta - x->delta; /* later before earlier */
	return strcmp(x->order_id, y->order_id);
}

int answers_shift(allot_month a, allot_month b, allot_month end, int *shift)
{
	if (a == ALLOT_NO_MONTH && b == ALLOT_NO_MONTH)
		return 0;
	if ((a == ALLOT_NO_MONTH || b == ALLOT_NO_MONTH) && end == ALLOT_NO_MONTH)
		return 0;
	*shift = (int)((b != ALLOT_NO_MONTH ? b : end) - (a != ALLOT_NO_MONTH ? a : end));
	return 1;
}

void answers_shifts_add(struct answers_shifts *s, int shift)
{
	int ad = abs(shift);
	s->n++;
	s->abs_sum += ad;
	s->over_6 += ad > 6;
	s->earlier += shift < 0;
	s->later += shift > 0;
}

double answers_shifts_mean(const struct answers_shifts *s)
{
	return s->n ? s->abs_sum / (double)s->n : 0;
}

/* Fills one row: its shift (answers_shift) and which completion counts it
 * goes into. */
static void classify(struct allot_diff *df, struct allot_diff_row *row, int64_t short_a,
		     int64_t short_b)
{
	allot_month a = row->a, b = row->b;
	if (a != ALLOT_NO_MONTH && b != ALLOT_NO_MONTH)
		df->both_complete++;
	else if (a != ALLOT_NO_MONTH)
		df->only_a++;
	else if (b != ALLOT_NO_MONTH)
		df->only_b++;
	else if (short_a > 0 || short_b > 0)
		df->neither++;
	row->counted = answers_shift(a, b, df->end, &row->delta);
}

int allot_diff_run(const struct allot_run_orders *a, const struct allot_run_orders *b,
		   struct allot_diff **out)
{
	*out = NULL;
	struct allot_diff *df = mem_calloc(1, sizeof *df);
	if (!df)
		return ALLOT_ENOMEM;
	df->end = a->end != ALLOT_NO_MONTH ? a->end : b->end;
	struct strmap mb;
	strmap_init(&mb);
	int rc = ALLOT_OK;
	df->rows = mem_calloc(a->n ? a->n : 1, sizeof *df->rows);
	if (!df->rows)
		rc = ALLOT_ENOMEM;
	for (size_t j = 0; j < b->n && rc == ALLOT_OK; j++)
		if (strmap_put(&mb, b->order_id[j], (int)j, NULL) < 0)
			rc = ALLOT_ENOMEM;
	size_t matched = 0;
	struct answers_shifts sh = { 0 };
	for (size_t i = 0; i < a->n && rc == ALLOT_OK; i++) {
		int j = strmap_get(&mb, a->order_id[i]);
		if (j < 0) {
			df->missing_in_b++;
			continue;
		}
		matched++;
		struct allot_diff_row *row = &df->rows[df->n_rows++];
		row->order_id = a->order_id[i];
		row->a = a->completion[i];
		row->b = b->completion[j];
		classify(df, row, a->units_short[i], b->units_short[j]);
		row->cancelled_a = a->cancelled ? a->cancelled[i] : 0;
		row->cancelled_b = b->cancelled ? b->cancelled[j] : 0;
		if (row->cancelled_b != row->cancelled_a) {
			/* a cut (or restored) order: its own outcome, not a move */
			row->cut = row->cancelled_b > row->cancelled_a ? 1 : -1;
			row->counted = 0;
			df->cut += row->cut > 0;
			df->restored += row->cut < 0;
			df->cut_units += row->cancelled_b - row->cancelled_a;
		}
		if (!row->counted)
			continue;
		answers_shifts_add(&sh, row->delta);
	}
	strmap_free(&mb);
	if (rc != ALLOT_OK) {
		allot_diff_free(df);
		return rc;
	}
	df->missing_in_a = b->n - matched;
	df->counted = sh.n;
	df->mean_abs_change = answers_shifts_mean(&sh);
	df->moved_over_6 = sh.over_6;
	df->earlier = sh.earlier;
	df->later = sh.later;
	if (df->counted)
		df->share_over_6 = (double)df->moved_over_6 / (double)df->counted;
	qsort(df->rows, df->n_rows, sizeof *df->rows, cmp_row);
	*out = df;
	return ALLOT_OK;
}

void allot_diff_free(struct allot_diff *d)
{
	if (!d)
		return;
	mem_free(d->rows);
	mem_free(d);
}
