/*
 * report_xlsx.c - writes a report's tables as an .xlsx workbook with
 * libxlsxwriter, one sheet per table (findings, leaderboard, orders,
 * backlog, compare, metrics, minerals, risk, opportunities): a bold frozen
 * header row, numbers as numbers (whole ones as #,##0, others as
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
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "answers/report_int.h"
#include "util/afile.h"

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

static double width_of(const struct rtable *t, int c)
{
	size_t w = strlen(t->cols[c]);
	for (size_t i = 0; i < rtable_rows(t); i++) {
		const struct rcell *x = rtable_cell(t, i, c);
		size_t n = x->kind == RCELL_STR ? strlen(x->s) : x->kind == RCELL_NUM ? 14 : 0;
		if (n > w)
			w = n;
	}
	return w > 80 ? 80 : (double)w + 2;
}

static lxw_error write_sheet(lxw_workbook *wb, const struct rtable *t, lxw_format *bold,
			     lxw_format *whole, lxw_format *frac)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->id);
	if (!ws)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	lxw_error e = LXW_NO_ERROR;
	for (int c = 0; c < t->ncols && !e; c++) {
		lxw_format *f = t->numeric[c] ? (whole_column(t, c) ? whole : frac) : NULL;
		e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width_of(t, c), f);
		if (!e)
			e = worksheet_write_string(ws, 0, (lxw_col_t)c, t->cols[c], bold);
	}
	/* A sheet holds 1,048,576 rows: the header, the rows that fit, and a
	 * last row saying how many were left out. */
	size_t rows = rtable_rows(t), fit = LXW_ROW_MAX - 2;
	if (rows > fit) {
		char note[96];
		snprintf(note, sizeof note, "(%zu more rows left out: a sheet holds %u)", rows - fit,
			 (unsigned)LXW_ROW_MAX);
		e = worksheet_write_string(ws, (lxw_row_t)(fit + 1), 0, note, NULL);
		rows = fit;
	}
	for (size_t i = 0; i < rows && !e; i++)
		for (int c = 0; c < t->ncols && !e; c++) {
			const struct rcell *x = rtable_cell(t, i, c);
			lxw_row_t row = (lxw_row_t)(i + 1);
			if (x->kind == RCELL_STR)
				e = worksheet_write_string(ws, row, (lxw_col_t)c, x->s, NULL);
			else if (x->kind == RCELL_NUM)
				e = worksheet_write_number(ws, row, (lxw_col_t)c, x->v, NULL);
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

int allot_report_write_xlsx(const struct allot_report *r, const char *path)
{
	struct afile af;
	if (afile_open(&af, path) != 0)
		return ALLOT_EIO;
	lxw_workbook *wb = workbook_new(af.tmp);
	if (!wb) {
		afile_abort(&af);
		return ALLOT_EIO;
	}
	lxw_format *bold = workbook_add_format(wb);
	lxw_format *whole = workbook_add_format(wb);
	lxw_format *frac = workbook_add_format(wb);
	lxw_error e = bold && whole && frac ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
	if (!e) {
		format_set_bold(bold);
		format_set_bg_color(bold, 0xE8EEF4);
		format_set_num_format(whole, "#,##0");
		format_set_num_format(frac, "#,##0.00");
	}
	for (size_t i = 0; i < r->n_tables && !e; i++)
		e = write_sheet(wb, &r->tables[i], bold, whole, frac);
	lxw_error ce = workbook_close(wb); /* writes the file, frees wb */
	if (e || ce || sync_path(af.tmp) != 0 || afile_commit(&af) != 0) {
		afile_abort(&af);
		return e == LXW_ERROR_MEMORY_MALLOC_FAILED ? ALLOT_ENOMEM : ALLOT_EIO;
	}
	return ALLOT_OK;
}
