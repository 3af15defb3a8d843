/*
 * report_table.c - the tables of a report (report_int.h): cells of text or
 * numbers, row by row, shown in the HTML page and written one sheet each
 * to the workbook.  An allocation failure marks the table (err) instead of
 * failing each call; the caller checks err once.
 */
#include <allot/allot.h>

#include <string.h>

#include "answers/report_int.h"
#include "util/mem.h"

int rtable_init(struct rtable *t, const char *id, const char *title, int ncols,
		const char *const *cols, const int *numeric)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
	t->id = mem_strdup(id);
	t->title = mem_strdup(title);
	t->cols = mem_calloc((size_t)ncols, sizeof *t->cols);
	t->numeric = mem_calloc((size_t)ncols, sizeof *t->numeric);
	if (!t->id || !t->title || !t->cols || !t->numeric) {
		t->err = 1;
		return ALLOT_ENOMEM;
	}
	for (int c = 0; c < ncols; c++) {
		t->numeric[c] = numeric ? numeric[c] : 0;
		if (!(t->cols[c] = mem_strdup(cols[c]))) {
			t->err = 1;
			return ALLOT_ENOMEM;
		}
	}
	return ALLOT_OK;
}

void rtable_free(struct rtable *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		mem_free(t->cells[i].s);
	mem_free(t->cells);
	if (t->cols)
		for (int c = 0; c < t->ncols; c++)
			mem_free(t->cols[c]);
	mem_free(t->cols);
	mem_free(t->numeric);
	mem_free(t->id);
	mem_free(t->title);
	memset(t, 0, sizeof *t);
}

static struct rcell *next(struct rtable *t)
{
	if (t->err || mem_grow(&t->cells, &t->cap, t->n + 1, sizeof *t->cells) != 0) {
		t->err = 1;
		return NULL;
	}
	struct rcell *c = &t->cells[t->n++];
	memset(c, 0, sizeof *c);
	return c;
}

void rtable_str(struct rtable *t, const char *s)
{
	struct rcell *c = next(t);
	if (!c)
		return;
	c->kind = RCELL_STR;
	if (!(c->s = mem_strdup(s ? s : ""))) {
		c->kind = RCELL_EMPTY;
		t->err = 1;
	}
}

void rtable_num(struct rtable *t, double v)
{
	struct rcell *c = next(t);
	if (!c)
		return;
	c->kind = RCELL_NUM;
	c->v = v;
}

void rtable_int(struct rtable *t, int64_t v)
{
	rtable_num(t, (double)v);
}

void rtable_month(struct rtable *t, allot_month m)
{
	if (m == ALLOT_NO_MONTH) {
		rtable_empty(t);
		return;
	}
	char b[8];
	allot_month_format(m, b);
	rtable_str(t, b);
}

void rtable_empty(struct rtable *t)
{
	next(t);
}

size_t rtable_rows(const struct rtable *t)
{
	return t->ncols ? t->n / (size_t)t->ncols : 0;
}

const struct rcell *rtable_cell(const struct rtable *t, size_t row, int col)
{
	return &t->cells[row * (size_t)t->ncols + (size_t)col];
}
