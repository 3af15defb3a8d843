/*
 * report_xlsx.c - writes a report's tables as an .xlsx workbook with
 * libxlsxwriter, one sheet per table (findings, leaderboard, orders,
 * backlog, compare, metrics, minerals, risk, opportunities), except that a
 * table marked same_sheet goes below the one before it (the reserve's
 * three tables share the "reserve" sheet, each after a title row): a bold
 * frozen header row, numbers as numbers (whole ones as #,##0, others as
 * #,##0.00), empty cells left empty.
 *
 * libxlsxwriter writes to a file name of its own on close; it is given the
 * temporary file of an afile, which is then synced and renamed into place,
 * so a reader sees the old workbook or the new one, never a partial one.
 */
#include <allot/allot.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "answers/report_int.h"
#include "util/afile.h"
#include "util/mem.h"

/* 1 when every number in column c is whole. */
static int whole_column(const struct rtable *t, int c)
{
	for (size_t i = 0; i < rtable_rows(t); i++) {
		const struct rcell *x = rtable_cell(t, i, c);
		if (x->kind == RCELL_NUM && x->v != floor(x->v))
			return 0;
	}
	return 1;
}

static size_t width_of(const struct rtable *t, int c)
{
	size_t w = strlen(t->cols[c]);
	for (size_t i = 0; i < rtable_rows(t); i++) {
		const struct rcell *x = rtable_cell(t, i, c);
		size_t n = x->kind == RCELL_STR ? strlen(x->s) : x->kind == RCELL_NUM ? 14 : 0;
		if (n > w)
			w = n;
	}
	return w;
}

struct formats {
	lxw_format *bold, *whole, *frac;
};

/* Writes table t from row `top` of ws: its header (bold), then its rows;
 * returns the row after it in *next. */
static lxw_error write_table(lxw_worksheet *ws, const struct rtable *t, lxw_row_t top,
			     const struct formats *fm, lxw_row_t *next)
{
	lxw_error e = LXW_NO_ERROR;
	for (int c = 0; c < t->ncols && !e; c++)
		e = worksheet_write_string(ws, top, (lxw_col_t)c, t->cols[c], fm->bold);
	/* A sheet holds 1,048,576 rows: the header, the rows that fit, and a
	 * last row saying how many were left out. */
	size_t rows = rtable_rows(t), fit = LXW_ROW_MAX - 2 - (size_t)top;
	if (rows > fit) {
		char note[96];
		snprintf(note, sizeof note, "(%zu more rows left out: a sheet holds %u)",
			 rows - fit, (unsigned)LXW_ROW_MAX);
		e = worksheet_write_string(ws, (lxw_row_t)(top + fit + 1), 0, note, NULL);
		rows = fit;
	}
	for (int c = 0; c < t->ncols && !e; c++) {
		lxw_format *f = t->numeric[c] ? (whole_column(t, c) ? fm->whole : fm->frac) : NULL;
		for (size_t i = 0; i < rows && !e; i++) {
			const struct rcell *x = rtable_cell(t, i, c);
			lxw_row_t row = (lxw_row_t)(top + 1 + i);
			if (x->kind == RCELL_STR)
				e = worksheet_write_string(ws, row, (lxw_col_t)c, x->s, NULL);
			else if (x->kind == RCELL_NUM)
				e = worksheet_write_number(ws, row, (lxw_col_t)c, x->v, f);
		}
	}
	*next = (lxw_row_t)(top + 1 + rows);
	return e;
}

/* One sheet, named after t[0]: t[0] from the top (header frozen), then each
 * of t[1..n) (same_sheet) below a blank row and a bold title row. */
static lxw_error write_sheet(lxw_workbook *wb, const struct rtable *t, size_t n,
			     const struct formats *fm)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, t[0].id);
	if (!ws)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	lxw_error e = LXW_NO_ERROR;
	int ncols = 0;
	for (size_t k = 0; k < n; k++)
		ncols = t[k].ncols > ncols ? t[k].ncols : ncols;
	for (int c = 0; c < ncols && !e; c++) {
		size_t w = 0;
		for (size_t k = 0; k < n; k++)
			if (c < t[k].ncols && width_of(&t[k], c) > w)
				w = width_of(&t[k], c);
		e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
					 w > 80 ? 80 : (double)w + 2, NULL);
	}
	lxw_row_t row = 0;
	for (size_t k = 0; k < n && !e; k++) {
		if (k) {
			e = worksheet_write_string(ws, row + 1, 0, t[k].title, fm->bold);
			row += 2;
		}
		if (!e)
			e = write_table(ws, &t[k], row, fm, &row);
	}
	worksheet_freeze_panes(ws, 1, 0);
	return e;
}

static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int report_xlsx_write(const struct rtable *tables, size_t n_tables, const char *path)
{
	struct afile af;
	if (afile_open(&af, path) != 0)
		return ALLOT_EIO;
	lxw_workbook *wb = workbook_new(af.tmp);
	if (!wb) {
		afile_abort(&af);
		return ALLOT_EIO;
	}
	struct formats fm = { workbook_add_format(wb), workbook_add_format(wb),
			      workbook_add_format(wb) };
	lxw_error e = fm.bold && fm.whole && fm.frac ? LXW_NO_ERROR
						     : LXW_ERROR_MEMORY_MALLOC_FAILED;
	if (!e) {
		format_set_bold(fm.bold);
		format_set_bg_color(fm.bold, 0xE8EEF4);
		format_set_num_format(fm.whole, "#,##0");
		format_set_num_format(fm.frac, "#,##0.00");
	}
	for (size_t i = 0, n; i < n_tables && !e; i += n) {
		for (n = 1; i + n < n_tables && tables[i + n].same_sheet; n++)
			;
		e = write_sheet(wb, &tables[i], n, &fm);
	}
	lxw_error ce = workbook_close(wb); /* writes the file, frees wb */
	if (e || ce || sync_path(af.tmp) != 0 || afile_commit(&af) != 0) {
		afile_abort(&af);
		return e == LXW_ERROR_MEMORY_MALLOC_FAILED ? ALLOT_ENOMEM : ALLOT_EIO;
	}
	return ALLOT_OK;
}

int allot_report_write_xlsx(const struct allot_report *r, const char *path)
{
	return report_xlsx_write(r->tables, r->n_tables, path);
}

int allot_workbook_write(const char *path, const struct allot_workbook_sheet *sheets, size_t n)
{
	struct rtable *t = mem_calloc(n ? n : 1, sizeof *t);
	if (!t)
		return ALLOT_ENOMEM;
	int rc = ALLOT_OK;
	for (size_t k = 0; k < n && rc == ALLOT_OK; k++) {
		const struct allot_workbook_sheet *sh = &sheets[k];
		rc = rtable_init(&t[k], sh->name, sh->name, sh->ncols, sh->cols, sh->numeric);
		for (size_t i = 0; rc == ALLOT_OK && i < sh->nrows; i++)
			for (int c = 0; c < sh->ncols; c++) {
				const char *x = sh->cells[i * (size_t)sh->ncols + (size_t)c];
				char *end;
				double v = x && *x && sh->numeric && sh->numeric[c]
						   ? strtod(x, &end)
						   : 0;
				if (!x || !*x)
					rtable_empty(&t[k]);
				else if (sh->numeric && sh->numeric[c] && !*end && isfinite(v))
					rtable_num(&t[k], v);
				else
					rtable_str(&t[k], x);
			}
		if (rc == ALLOT_OK && t[k].err)
			rc = ALLOT_ENOMEM;
	}
	if (rc == ALLOT_OK)
		rc = report_xlsx_write(t, n, path);
	for (size_t k = 0; k < n; k++)
		rtable_free(&t[k]);
	mem_free(t);
	return rc;
}
