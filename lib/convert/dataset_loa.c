/*
 * dataset_loa.c - LOA months a dated source states (data/sources/
 * loa_months.csv, docs/dataset.md "Orders").
 *
 * SIPRI records the year of an order only, so every order's loa_month is
 * January of that year with loa_basis `year` (dataset.c).  Where a primary
 * source dates the LOA or the contract's signature to the month, a row
 * typed by hand gives it: the order, its system, the month (YYYY-MM, in
 * the year SIPRI records) and a citation.  That order then carries the
 * month with loa_basis `month`.  A row that does not fit (no such open
 * order, another system, a month of another year, a second row for one
 * order, no citation) is an error at its line and column.  An as-of
 * dataset (the backtest) numbers its orders differently and uses none of
 * the rows, as dsca_cases.csv and schedules.csv: a row's id may name
 * another order (even of the same system) there, and its month may lie
 * after as_of (docs/dataset.md, "Orders").  The file is optional.
 */
#include "convert/dataset.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { LM_ORDER, LM_SYSTEM, LM_MONTH, LM_CITE };
static const char *const loa_cols[] = { "order_id", "system_id", "loa_month", "citation", NULL };

static int loa_err(struct ds *ds, const struct ds_table *t, size_t i, int col, const char *want)
{
	allot_diags_add(ds->d, t->path, t->t.rows[i].line, ds_colno(t, i, col),
			"expected %s, found '%s'", want, ds_field(t, i, col));
	return ALLOT_EINPUT;
}

/* Row i's month onto its order, or an error. */
static int loa_row(struct ds *ds, const struct ds_table *t, size_t i)
{
	struct allot_scenario *s = ds->s;
	const char *id = ds_field(t, i, LM_ORDER), *sys = ds_field(t, i, LM_SYSTEM);
	int k = allot_scenario_find_order(s, id);
	char want[160];
	allot_month m;
	if (k < 0)
		return loa_err(ds, t, i, LM_ORDER, "an open order of the dataset");
	struct allot_order *o = &s->orders[k];
	if (strcmp(s->systems[o->system].system_id, sys) != 0) {
		snprintf(want, sizeof want, "%s's system '%s'", id,
			 s->systems[o->system].system_id);
		return loa_err(ds, t, i, LM_SYSTEM, want);
	}
	int year = o->loa_month / 12;
	if (allot_month_parse(ds_field(t, i, LM_MONTH), &m) != 0 || m / 12 != year) {
		snprintf(want, sizeof want, "a month YYYY-MM of %d (the year SIPRI records for %s)",
			 year, id);
		return loa_err(ds, t, i, LM_MONTH, want);
	}
	if (o->loa_basis == ALLOT_LOA_MONTH) {
		snprintf(want, sizeof want, "one row for %s", id);
		return loa_err(ds, t, i, LM_ORDER, want);
	}
	if (ds_field(t, i, LM_CITE)[0] == '\0')
		return loa_err(ds, t, i, LM_CITE, "the source that dates the LOA");
	o->loa_month = m;
	o->loa_basis = ALLOT_LOA_MONTH;
	buf_printf(&ds->md, "| %s | %s | %s | %s |\n", id, sys, ds_field(t, i, LM_MONTH),
		   ds_field(t, i, LM_CITE));
	return ALLOT_OK;
}

int ds_loa_months(struct ds *ds)
{
	char path[4096];
	struct stat sb;
	if (ds->known != ALLOT_NO_MONTH ||
	    stat(ds_path(path, sizeof path, ds->dirs->sources, "loa_months.csv"), &sb) != 0)
		return ALLOT_OK; /* optional; an as-of dataset uses none */
	struct ds_table t;
	memset(&t, 0, sizeof t);
	int rc = ds_table_load(ds, ds->dirs->sources, "loa_months.csv", loa_cols, &t);
	if (rc == ALLOT_OK && t.t.n > 1)
		buf_puts(&ds->md,
			 "\nLOA months a source states (loa_months.csv; these orders "
			 "have `loa_basis` `month`, every other `year`):\n\n"
			 "| order_id | system_id | loa_month | citation |\n|---|---|---|---|\n");
	for (size_t i = 1; rc == ALLOT_OK && i < t.t.n; i++)
		rc = loa_row(ds, &t, i);
	ds_table_free(&t);
	return rc;
}
