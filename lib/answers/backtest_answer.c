/*
 * backtest_answer.c - the backtest's one rendering (issue 14): one column
 * list per table of struct allot_backtest (the headline, the orders, the
 * systems and partners with their years, the breakdown), typed cells for
 * each row, and the two writers every face uses: CSV (allot backtest --csv
 * and the files under --out) and JSON (allot backtest --json).  The report
 * builds its backtest table from the same cells (report_tables.c), and
 * every face words its headline with allot_backtest_headline.  The
 * figures are computed in backtest.c; nothing here changes them.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "io/csvwrite.h"
#include "util/afile.h"

const char *const allot_backtest_summary_columns[ALLOT_BACKTEST_SUMMARY_NCOL] = {
	"as_of",
	"year_from",
	"year_to",
	"orders",
	"completed_orders",
	"completed_within_1y",
	"share_within_1y",
	"mae_years",
	"bias_years",
	"completed_early_2y",
	"completed_late_2y",
	"top_systems",
	"top_system_years",
	"top_system_years_within_25pct",
	"top_system_totals_within_25pct",
	"book_share",
};
const char *const allot_backtest_order_columns[ALLOT_BACKTEST_ORDER_NCOL] = {
	"order_id",    "iso3",         "system_id",   "open_units",     "completed",
	"actual_year", "planned_year", "error_years", "recorded_units", "planned_units",
};
const char *const allot_backtest_group_columns[ALLOT_BACKTEST_GROUP_NCOL] = {
	"recorded_units",
	"planned_units",
	"error",
	"within_25pct",
	"years_within_25pct",
	"completed",
	"completed_within_1y",
	"mae_years",
	"abs_error_years",
	"top20",
};
const char *const allot_backtest_year_columns[ALLOT_BACKTEST_YEAR_NCOL] = {
	"year", "recorded_units", "planned_units", "error", "within_25pct", "top20",
};
const char *const allot_backtest_breakdown_columns[ALLOT_BACKTEST_BREAKDOWN_NCOL] = {
	"by",        "group",      "completed", "within_1y", "share_within_1y",
	"mae_years", "bias_years", "early_2y",  "late_2y",
};

/* Ratios and means to 4 decimals, as every face writes them. */
static struct allot_cell num4(double v)
{
	return (struct allot_cell){ .kind = ALLOT_CELL_NUM, .v = round(v * 10000) / 10000 };
}

static struct allot_cell count(int64_t v)
{
	return (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = v };
}

/* A year, null when there is none (-1). */
static struct allot_cell year(int y)
{
	struct allot_cell c = { .kind = ALLOT_CELL_NULL };
	if (y >= 0)
		c = count(y);
	return c;
}

static struct allot_cell flag(int v)
{
	return (struct allot_cell){ .kind = ALLOT_CELL_BOOL, .i = v != 0 };
}

/* Planned against recorded, (planned - recorded) / recorded; null with
 * nothing recorded. */
static struct allot_cell rel_error(int64_t planned, int64_t recorded)
{
	if (!recorded)
		return (struct allot_cell){ .kind = ALLOT_CELL_NULL };
	return num4((double)(planned - recorded) / (double)recorded);
}

void allot_backtest_summary_cells(const struct allot_backtest *b,
				  struct allot_cell c[ALLOT_BACKTEST_SUMMARY_NCOL])
{
	size_t k = 0;
	c[k++] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH, .m = b->as_of };
	c[k++] = count(b->year_from);
	c[k++] = count(b->year_to);
	c[k++] = count((int64_t)b->n_orders);
	c[k++] = count((int64_t)b->n_completed);
	c[k++] = count((int64_t)b->n_within);
	/* with no completed order these are missing, not 0 (as the headline
	 * and a group's mae_years say) */
	c[k++] = b->n_completed ? num4(b->share_within) : year(-1);
	c[k++] = b->n_completed ? num4(b->mae_years) : year(-1);
	c[k++] = b->n_completed ? num4(b->bias_years) : year(-1);
	c[k++] = count((int64_t)b->n_early);
	c[k++] = count((int64_t)b->n_late);
	c[k++] = count((int64_t)b->n_top);
	c[k++] = count((int64_t)b->n_top_cells);
	c[k++] = count((int64_t)b->n_top_cells_within);
	c[k++] = count((int64_t)b->n_top_totals_within);
	/* an experiment's figures say so in every face; null: the bundled rules */
	c[k++] = b->book_share[0]
			 ? (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = b->book_share }
			 : year(-1);
}

void allot_backtest_order_cells(const struct allot_backtest_order *o,
				struct allot_cell c[ALLOT_BACKTEST_ORDER_NCOL])
{
	size_t k = 0;
	c[k++] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = o->order_id };
	c[k++] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = o->iso3 };
	c[k++] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = o->system_id };
	c[k++] = count(o->open_units);
	c[k++] = flag(o->completed);
	c[k++] = year(o->actual_year);
	c[k++] = year(o->planned_year);
	c[k++] = o->completed ? count(o->error_years) : year(-1);
	c[k++] = count(o->recorded_units);
	c[k++] = count(o->planned_units);
}

void allot_backtest_group_cells(const struct allot_backtest_group *g,
				struct allot_cell c[ALLOT_BACKTEST_GROUP_NCOL])
{
	size_t k = 0;
	c[k++] = count(g->recorded_total);
	c[k++] = count(g->planned_total);
	c[k++] = rel_error(g->planned_total, g->recorded_total);
	c[k++] = flag(allot_backtest_within25(g->planned_total, g->recorded_total));
	c[k++] = count(g->years_within);
	c[k++] = count((int64_t)g->n_completed);
	c[k++] = count((int64_t)g->n_within);
	/* the mean error of no completed order is missing, not 0 */
	c[k++] = g->n_completed ? num4(g->mae_years) : year(-1);
	c[k++] = num4(g->abs_error_years);
	c[k++] = flag(g->top);
}

void allot_backtest_year_cells(const struct allot_backtest *b, const struct allot_backtest_group *g,
			       int y, struct allot_cell c[ALLOT_BACKTEST_YEAR_NCOL])
{
	int all = y >= b->n_years;
	int64_t p = all ? g->planned_total : g->planned[y];
	int64_t r = all ? g->recorded_total : g->recorded[y];
	size_t k = 0;
	if (all)
		c[k++] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = "all" };
	else
		c[k++] = count(b->year_from + y);
	c[k++] = count(r);
	c[k++] = count(p);
	c[k++] = rel_error(p, r);
	c[k++] = flag(allot_backtest_within25(p, r));
	c[k++] = flag(g->top);
}

void allot_backtest_breakdown_cells(const struct allot_backtest_cell *x,
				    struct allot_cell c[ALLOT_BACKTEST_BREAKDOWN_NCOL])
{
	size_t k = 0;
	c[k++] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = x->by };
	c[k++] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = x->group };
	c[k++] = count((int64_t)x->n_completed);
	c[k++] = count((int64_t)x->n_within);
	c[k++] = num4((double)x->n_within / (double)x->n_completed);
	c[k++] = num4(x->mae_years);
	c[k++] = num4(x->bias_years);
	c[k++] = count((int64_t)x->n_early);
	c[k++] = count((int64_t)x->n_late);
}

size_t allot_backtest_worst(const struct allot_backtest *b, int systems, size_t top,
			    const struct allot_backtest_group **out)
{
	const struct allot_backtest_group *g = systems ? b->systems : b->partners;
	size_t n = systems ? b->n_systems : b->n_partners, k = 0;
	/* insertion into the top list: stable, worst first */
	for (size_t i = 0; i < n; i++) {
		if (g[i].abs_error_years <= 0)
			continue;
		size_t j = k < top ? k++ : k;
		while (j > 0 && g[i].abs_error_years > out[j - 1]->abs_error_years) {
			if (j < top)
				out[j] = out[j - 1];
			j--;
		}
		if (j < top)
			out[j] = &g[i];
	}
	return k;
}

static const char *met(int ok)
{
	return ok ? "met" : "missed";
}

/* Appends to buf[*k .. size) as snprintf does; *k counts what is wanted. */
static void put(char *buf, size_t size, size_t *k, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, size_t *k, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(*k < size ? buf + *k : NULL, *k < size ? size - *k : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*k += (size_t)n;
}

size_t allot_backtest_headline(const struct allot_backtest *b, char *buf, size_t size)
{
	size_t k = 0;
	char yb[ALLOT_STYLE_YEARS_MAX];
	allot_style_years(b->year_from, b->year_to, yb);
	if (size)
		buf[0] = '\0';
	if (b->n_completed)
		put(buf, size, &k,
		    "Of the %zu orders SIPRI shows completed by %d, %zu (%.1f %%) are planned "
		    "within +-1 year (goal >= 70 %%: %s), with a mean absolute error of %.2f years "
		    "(goal < 1: %s) and a mean error of %+.2f years (%s; %zu planned 2 or more "
		    "years early, %zu late)",
		    b->n_completed, b->year_to, b->n_within, 100 * b->share_within,
		    met(b->share_within >= 0.7), b->mae_years, met(b->mae_years < 1), b->bias_years,
		    b->bias_years > 0   ? "plans late"
		    : b->bias_years < 0 ? "plans early"
					: "no bias",
		    b->n_early, b->n_late);
	else /* no share or error to give: missing, not 0 */
		put(buf, size, &k,
		    "None of the %zu orders in the book is shown completed by %d in SIPRI's "
		    "register, so the share within +-1 year and the mean absolute error are "
		    "missing (goals >= 70 %% and < 1 year: not measured)",
		    b->n_orders, b->year_to);
	int all = b->n_top_cells && b->n_top_cells_within == b->n_top_cells;
	if (b->n_top)
		put(buf, size, &k,
		    "; of the top %zu systems by recorded units, %zu of %zu system-years (goal "
		    "all: %s) and %zu of %zu totals for %s are within +-25 %%.",
		    b->n_top, b->n_top_cells_within, b->n_top_cells, met(all),
		    b->n_top_totals_within, b->n_top, yb);
	else
		put(buf, size, &k,
		    "; no system has units recorded for %s (goal of system-years within "
		    "+-25 %%: missed).",
		    yb);
	return k;
}

/* The orders' (bd 0) or the breakdown's (bd 1) rows: their columns, and
 * row i's cells. */
static size_t list_rows(const struct allot_backtest *b, int bd, const char *const **cols,
			size_t *ncol)
{
	*cols = bd ? allot_backtest_breakdown_columns : allot_backtest_order_columns;
	*ncol = bd ? ALLOT_BACKTEST_BREAKDOWN_NCOL : ALLOT_BACKTEST_ORDER_NCOL;
	return bd ? b->n_breakdown : b->n_orders;
}

static void list_cells(const struct allot_backtest *b, int bd, size_t i, struct allot_cell *c)
{
	if (bd)
		allot_backtest_breakdown_cells(&b->breakdown[i], c);
	else
		allot_backtest_order_cells(&b->orders[i], c);
}

/* ---- CSV ------------------------------------------------------------------ */

static void csv_cells(struct csvw *w, const struct allot_cell *c, size_t n)
{
	char buf[64];
	for (size_t k = 0; k < n; k++)
		csvw_str(w, allot_cell_text(&c[k], buf));
}

/* The systems (with top20) or the partners: a row per group and year, then
 * its `all` row. */
static void csv_groups(struct csvw *w, const struct allot_backtest *b, int systems)
{
	const struct allot_backtest_group *g = systems ? b->systems : b->partners;
	size_t n = systems ? b->n_systems : b->n_partners;
	size_t nc = ALLOT_BACKTEST_YEAR_NCOL - !systems;
	csvw_str(w, systems ? "system_id" : "iso3");
	for (size_t k = 0; k < nc; k++)
		csvw_str(w, allot_backtest_year_columns[k]);
	csvw_end(w);
	for (size_t i = 0; i < n; i++)
		for (int y = 0; y <= b->n_years; y++) {
			struct allot_cell c[ALLOT_BACKTEST_YEAR_NCOL];
			allot_backtest_year_cells(b, &g[i], y, c);
			csvw_str(w, g[i].id);
			csv_cells(w, c, nc);
			csvw_end(w);
		}
}

int allot_backtest_write_csv(const struct allot_backtest *b, enum allot_backtest_table table,
			     FILE *f)
{
	struct csvw w;
	csvw_init(&w, f);
	struct allot_cell c[ALLOT_BACKTEST_SUMMARY_NCOL];
	switch (table) {
	case ALLOT_BACKTEST_ORDERS:
	case ALLOT_BACKTEST_BREAKDOWN: {
		int bd = table == ALLOT_BACKTEST_BREAKDOWN;
		const char *const *cols;
		size_t nc, n = list_rows(b, bd, &cols, &nc);
		csvw_row(&w, cols, nc);
		for (size_t i = 0; i < n; i++) {
			list_cells(b, bd, i, c);
			csv_cells(&w, c, nc);
			csvw_end(&w);
		}
		break;
	}
	case ALLOT_BACKTEST_SYSTEMS:
	case ALLOT_BACKTEST_PARTNERS:
		csv_groups(&w, b, table == ALLOT_BACKTEST_SYSTEMS);
		break;
	case ALLOT_BACKTEST_SUMMARY: /* long: a row per measure */
		csvw_str(&w, "measure");
		csvw_str(&w, "value");
		csvw_end(&w);
		allot_backtest_summary_cells(b, c);
		for (size_t k = 0; k < ALLOT_BACKTEST_SUMMARY_NCOL; k++) {
			csvw_str(&w, allot_backtest_summary_columns[k]);
			csv_cells(&w, &c[k], 1);
			csvw_end(&w);
		}
		break;
	}
	return csvw_error(&w) ? ALLOT_EIO : ALLOT_OK;
}

int allot_backtest_write(const struct allot_backtest *b, const char *dir)
{
	static const char *const names[] = { "backtest_orders.csv", "backtest_systems.csv",
					     "backtest_partners.csv", "backtest_summary.csv",
					     "backtest_breakdown.csv" };
	static const enum allot_backtest_table tables[] = {
		ALLOT_BACKTEST_ORDERS, ALLOT_BACKTEST_SYSTEMS, ALLOT_BACKTEST_PARTNERS,
		ALLOT_BACKTEST_SUMMARY, ALLOT_BACKTEST_BREAKDOWN
	};
	if (afile_mkdirs(dir) != 0)
		return ALLOT_EIO;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char path[4096];
		struct afile af;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (afile_open(&af, path) != 0)
			return ALLOT_EIO;
		if (allot_backtest_write_csv(b, tables[i], af.f) != ALLOT_OK ||
		    afile_commit(&af) != 0) {
			afile_abort(&af);
			return ALLOT_EIO;
		}
	}
	return ALLOT_OK;
}

/* ---- JSON ----------------------------------------------------------------- */

/* Appends o to a: -1 when o is NULL (out of memory) or the append fails. */
static int append(json_t *a, json_t *o)
{
	return o && json_array_append_new(a, o) == 0 ? 0 : -1;
}

/* The systems (with top20) or the partners: the key, the group's columns
 * and `years`, each year's row as in the CSV. */
static json_t *json_groups(const struct allot_backtest *b, int systems)
{
	const struct allot_backtest_group *g = systems ? b->systems : b->partners;
	size_t n = systems ? b->n_systems : b->n_partners;
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		struct allot_cell c[ALLOT_BACKTEST_GROUP_NCOL];
		allot_backtest_group_cells(&g[i], c);
		json_t *o = allot_cells_json(allot_backtest_group_columns, c,
					     ALLOT_BACKTEST_GROUP_NCOL - !systems);
		json_t *years = json_array();
		for (int y = 0; years && y < b->n_years; y++) {
			struct allot_cell yc[ALLOT_BACKTEST_YEAR_NCOL];
			allot_backtest_year_cells(b, &g[i], y, yc);
			if (append(years, allot_cells_json(allot_backtest_year_columns, yc,
							   ALLOT_BACKTEST_YEAR_NCOL - !systems)))
				json_decref(years), years = NULL;
		}
		json_t *row = json_pack("{s:s}", systems ? "system_id" : "iso3", g[i].id);
		int rc = o && years && row && json_object_update(row, o) == 0 ? 0 : -1;
		json_decref(o);
		if (rc) { /* neither given away yet */
			json_decref(years);
			json_decref(row);
		} else if (json_object_set_new(row, "years", years) != 0) { /* took years */
			json_decref(row);
			rc = -1;
		} else {
			rc = append(a, row); /* takes row */
		}
		if (rc) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* The orders' or the breakdown's rows (list_rows); NULL when out of memory. */
static json_t *json_list(const struct allot_backtest *b, int bd)
{
	const char *const *cols;
	size_t nc, n = list_rows(b, bd, &cols, &nc);
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		struct allot_cell
			c[ALLOT_BACKTEST_ORDER_NCOL + ALLOT_BACKTEST_BREAKDOWN_NCOL]; /* either */
		list_cells(b, bd, i, c);
		if (append(a, allot_cells_json(cols, c, nc)))
			json_decref(a), a = NULL;
	}
	return a;
}

json_t *allot_backtest_json(const struct allot_backtest *b)
{
	struct allot_cell c[ALLOT_BACKTEST_SUMMARY_NCOL];
	allot_backtest_summary_cells(b, c);
	json_t *root =
		allot_cells_json(allot_backtest_summary_columns, c, ALLOT_BACKTEST_SUMMARY_NCOL);
	json_t *orders = json_list(b, 0), *cells = json_list(b, 1);
	json_t *rest = json_pack("{s:o*, s:o*, s:o*, s:o*, s:s}", "systems", json_groups(b, 1),
				 "partners", json_groups(b, 0), "order_rows", orders, "breakdown",
				 cells, "notes", b->notes);
	if (!root || !rest || !orders || !cells || json_object_update(root, rest) != 0) {
		json_decref(root);
		json_decref(rest);
		return NULL;
	}
	json_decref(rest);
	return root;
}

int allot_backtest_write_json(const struct allot_backtest *b, FILE *out)
{
	json_t *root = allot_backtest_json(b);
	if (!root)
		return ALLOT_ENOMEM;
	int bad = json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(12)) != 0;
	bad |= fputc('\n', out) == EOF;
	json_decref(root);
	return bad ? ALLOT_EIO : ALLOT_OK;
}
