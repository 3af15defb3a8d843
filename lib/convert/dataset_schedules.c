/*
 * dataset_schedules.c - stated delivery schedules of orders not supplied
 * new (data/sources/schedules.csv, docs/dataset.md "Off-line schedules").
 *
 * An order not made on a US line (second-hand, lease, licence) arrives on
 * the median timing of its supply type measured on the register
 * (allot_schedule_offline) unless a public, dated source states when it
 * arrives.  Such a statement is typed by hand, one row per (order, month):
 * the order, its system, the month, the units, the month the statement was
 * made and a citation.  The rows of one order must hold all its open units;
 * allot_schedule_offline then leaves that order alone.  An as-of dataset
 * (the backtest) numbers its orders differently and uses none of them, as
 * dsca_cases.csv.  The file is optional.
 */
#include "convert/dataset.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/mem.h"

enum { SD_ORDER, SD_SYSTEM, SD_MONTH, SD_UNITS, SD_STATED, SD_CITE };
static const char *const sched_cols[] = {
	"order_id", "system_id", "month", "units", "stated", "citation", NULL,
};

int ds_schedules_load(struct ds *ds)
{
	char path[4096];
	struct stat sb;
	if (stat(ds_path(path, sizeof path, ds->dirs->sources, "schedules.csv"), &sb) != 0)
		return ALLOT_OK; /* optional */
	int rc = ds_table_load(ds, ds->dirs->sources, "schedules.csv", sched_cols, &ds->sched);
	const struct ds_table *t = &ds->sched;
	for (size_t i = 1; rc == ALLOT_OK && i < t->t.n; i++) {
		long line = t->t.rows[i].line;
		allot_month m;
		double u;
		int col = -1;
		const char *what = NULL;
		if (allot_month_parse(ds_field(t, i, SD_MONTH), &m) != 0)
			col = SD_MONTH, what = "a delivery month YYYY-MM";
		else if (ds_number(ds_field(t, i, SD_UNITS), &u) != 0 || u < 1 || u != floor(u))
			col = SD_UNITS, what = "whole units >= 1";
		else if (allot_month_parse(ds_field(t, i, SD_STATED), &m) != 0)
			col = SD_STATED, what = "the month the schedule was stated, YYYY-MM";
		if (what) {
			allot_diags_add(ds->d, t->path, line, ds_colno(t, i, col),
					"expected %s, found '%s'", what, ds_field(t, i, col));
			rc = ALLOT_EINPUT;
		}
	}
	return rc;
}

static int sched_err(struct ds *ds, size_t i, int col, const char *msg, const char *found)
{
	const struct ds_table *t = &ds->sched;
	allot_diags_add(ds->d, t->path, t->t.rows[i].line, ds_colno(t, i, col),
			"expected %s, found '%s'", msg, found);
	return ALLOT_EINPUT;
}

/* Appends the stated rows to s->wip (before allot_schedule_offline) and
 * lists them in SOURCES.md. */
int ds_schedules_apply(struct ds *ds)
{
	const struct ds_table *t = &ds->sched;
	struct allot_scenario *s = ds->s;
	if (t->t.n <= 1 || ds->known != ALLOT_NO_MONTH)
		return ALLOT_OK;
	int64_t *sum = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *sum);
	size_t cap = s->n_wip;
	int rc = sum ? ALLOT_OK : ALLOT_ENOMEM;
	buf_puts(&ds->md, "\nStated schedules (schedules.csv; they replace the measured timing "
			  "of their orders):\n\n| order_id | system_id | month | units | stated "
			  "| citation |\n|---|---|---|---|---|---|\n");
	for (size_t i = 1; rc == ALLOT_OK && i < t->t.n; i++) {
		const char *id = ds_field(t, i, SD_ORDER), *sys = ds_field(t, i, SD_SYSTEM);
		int found = allot_scenario_find_order(s, id);
		size_t k = (size_t)found;
		allot_month m;
		double u;
		/* ds_schedules_load checked both: they parse */
		(void)allot_month_parse(ds_field(t, i, SD_MONTH), &m);
		(void)ds_number(ds_field(t, i, SD_UNITS), &u);
		char want[160];
		if (found < 0) {
			rc = sched_err(ds, i, SD_ORDER, "an open order of the dataset", id);
			break;
		}
		const struct allot_order *o = &s->orders[k];
		if (strcmp(s->systems[o->system].system_id, sys) != 0) {
			snprintf(want, sizeof want, "%s's system '%s'", id,
				 s->systems[o->system].system_id);
			rc = sched_err(ds, i, SD_SYSTEM, want, sys);
		} else if (o->supply == ALLOT_SUPPLY_NEW) {
			snprintf(want, sizeof want,
				 "an order not supplied new (%s is new: its line's queue dates it)",
				 id);
			rc = sched_err(ds, i, SD_ORDER, want, id);
		} else if (m < s->as_of) {
			char a[8];
			allot_month_format(s->as_of, a);
			snprintf(want, sizeof want, "a month from as_of %s", a);
			rc = sched_err(ds, i, SD_MONTH, want, ds_field(t, i, SD_MONTH));
		} else if ((sum[k] += (int64_t)u) > o->qty - o->delivered) {
			snprintf(want, sizeof want, "at most %lld open units of %s in all",
				 (long long)(o->qty - o->delivered), id);
			rc = sched_err(ds, i, SD_UNITS, want, ds_field(t, i, SD_UNITS));
		} else if (mem_grow(&s->wip, &cap, s->n_wip + 1, sizeof *s->wip) != 0) {
			rc = ALLOT_ENOMEM;
		} else {
			s->wip[s->n_wip++] = (struct allot_wip){ (int)k, m, (int64_t)u };
			buf_printf(&ds->md, "| %s | %s | %s | %.0f | %s | %s |\n", id, sys,
				   ds_field(t, i, SD_MONTH), u, ds_field(t, i, SD_STATED),
				   ds_field(t, i, SD_CITE));
		}
	}
	/* every order named holds all its open units */
	for (size_t i = 1; rc == ALLOT_OK && i < t->t.n; i++) {
		/* found by the pass above, which stops at the first unknown id */
		size_t k = (size_t)allot_scenario_find_order(s, ds_field(t, i, SD_ORDER));
		const struct allot_order *o = &s->orders[k];
		if (sum[k] != o->qty - o->delivered) {
			char want[160], got[32];
			snprintf(want, sizeof want, "rows of %s holding its %lld open units",
				 o->order_id, (long long)(o->qty - o->delivered));
			snprintf(got, sizeof got, "%lld", (long long)sum[k]);
			rc = sched_err(ds, i, SD_ORDER, want, got);
		}
	}
	mem_free(sum);
	return rc;
}
