/*
 * dataset_dsca.c - unit costs from DSCA notified case values
 * (data/sources/dsca_cases.csv, docs/dataset.md).
 *
 * The DSCA index in data/raw holds titles and numbers only, so the notified
 * values of the largest open orders are typed by hand, one row per
 * notification: the order it matches, the notified quantity and value, the
 * notification date and a citation.  A system whose unit cost systems.csv
 * leaves empty (a SIPRI TIV estimate otherwise) takes the sum of its cases'
 * values over the sum of their notified quantities: a case value per unit,
 * including the equipment, munitions and support the case carries.  A cited
 * unit price in systems.csv is kept.  Every row must match an open order of
 * that system; a row that does not is an error at its line.
 */
#include "convert/dataset.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { DC_ORDER, DC_SYSTEM, DC_QTY, DC_VALUE, DC_DATE, DC_CITE };
static const char *const dsca_cols[] = {
	"order_id", "system_id", "notified_qty", "value_usd", "notified", "citation", NULL,
};

int ds_dsca_load(struct ds *ds)
{
	int rc = ds_table_load(ds, ds->dirs->sources, "dsca_cases.csv", dsca_cols, &ds->dsca);
	const struct ds_table *t = &ds->dsca;
	for (size_t i = 1; rc == ALLOT_OK && i < t->t.n; i++) {
		double q, v;
		long line = t->t.rows[i].line;
		if (ds_number(ds_field(t, i, DC_QTY), &q) != 0 || q < 1 || q != floor(q)) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, i, DC_QTY),
					"expected a notified quantity >= 1, found '%s'",
					ds_field(t, i, DC_QTY));
			rc = ALLOT_EINPUT;
		} else if (ds_number(ds_field(t, i, DC_VALUE), &v) != 0 || v <= 0) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, i, DC_VALUE),
					"expected a notified value in USD > 0, found '%s'",
					ds_field(t, i, DC_VALUE));
			rc = ALLOT_EINPUT;
		}
	}
	return rc;
}

/* A case counts only when notified before the dataset's as-of month (every
 * case for the bundled dataset): an as-of dataset uses only what was known
 * then (docs/backtest.md). */
static int known(const struct ds *ds, size_t i)
{
	char month[8];
	snprintf(month, sizeof month, "%.7s", ds_field(&ds->dsca, i, DC_DATE));
	return ds_is_known(ds, month);
}

int ds_dsca_unit_cost(const struct ds *ds, const char *system_id, double *cost, char *basis,
		      size_t n)
{
	const struct ds_table *t = &ds->dsca;
	double value = 0, qty = 0;
	size_t used = 0;
	basis[0] = '\0';
	for (size_t i = 1; i < t->t.n; i++) {
		if (strcmp(ds_field(t, i, DC_SYSTEM), system_id) != 0 || !known(ds, i))
			continue;
		double q, v;
		ds_number(ds_field(t, i, DC_QTY), &q);
		ds_number(ds_field(t, i, DC_VALUE), &v);
		value += v;
		qty += q;
		size_t k = strlen(basis);
		snprintf(basis + k, n - k, "%s%s: %.0f for USD %.4g bn, %s", used ? "; " : "",
			 ds_field(t, i, DC_ORDER), q, v / 1e9, ds_field(t, i, DC_DATE));
		used++;
	}
	if (!used)
		return 0;
	*cost = round(value / qty);
	return 1;
}

int ds_dsca_check(struct ds *ds)
{
	const struct ds_table *t = &ds->dsca;
	const struct allot_scenario *s = ds->s;
	buf_puts(&ds->md,
		 "\n### DSCA notified case values (dsca_cases.csv)\n\n"
		 "| order_id | system_id | order qty | notified qty | notified value (USD) "
		 "| per unit | notified | citation |\n|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 1; i < t->t.n; i++) {
		const char *id = ds_field(t, i, DC_ORDER), *sys = ds_field(t, i, DC_SYSTEM);
		long line = t->t.rows[i].line;
		const struct allot_order *o = NULL;
		/* an as-of dataset numbers its orders differently (the ids are of
		 * the bundled dataset): it uses a case notified before its as-of
		 * month for the unit cost and checks nothing else */
		if (!known(ds, i) || ds->known != ALLOT_NO_MONTH)
			continue;
		for (size_t k = 0; k < s->n_orders && !o; k++)
			if (strcmp(s->orders[k].order_id, id) == 0)
				o = &s->orders[k];
		if (!o) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, i, DC_ORDER),
					"expected an open order of the dataset, found '%s'", id);
			return ALLOT_EINPUT;
		}
		if (strcmp(s->systems[o->system].system_id, sys) != 0) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, i, DC_SYSTEM),
					"expected %s's system '%s', found '%s'", id,
					s->systems[o->system].system_id, sys);
			return ALLOT_EINPUT;
		}
		double q, v;
		ds_number(ds_field(t, i, DC_QTY), &q);
		ds_number(ds_field(t, i, DC_VALUE), &v);
		char per[32], val[32];
		allot_fmt_double(round(v / q), per);
		allot_fmt_double(v, val);
		buf_printf(&ds->md, "| %s | %s | %lld | %.0f | %s | %s | %s | %s |\n", id, sys,
			   (long long)o->qty, q, val, per, ds_field(t, i, DC_DATE),
			   ds_field(t, i, DC_CITE));
	}
	return ALLOT_OK;
}
