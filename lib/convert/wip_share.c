/*
 * wip_share.c - which of a line's contracts its pipeline at as_of serves
 * first (docs/dataset.md, "Work in progress", and docs/backtest.md, "How a
 * line's pipeline is shared").
 *
 * The work in progress (wip.c) fills each line's pipeline first come,
 * first served.  A contract signed a few years before as_of with nothing
 * delivered may still be years from its first delivery (past contracts
 * that had waited as long waited a median d(a) years more); the pipeline
 * then holds its units while contracts already delivering wait.  The rule
 * here ranks each open new order before the work in progress is filled:
 * rank 0 for an order already delivering (units delivered before as_of) or
 * whose first delivery is due within its system's lead time by the wait of
 * past contracts of its age, rank 1 for the others; the pipeline serves
 * rank 0 first come, first served, then rank 1 with what is left, so a
 * line's whole output stays in its pipeline.  Calibrated on deliveries
 * recorded before as_of only, never on the register's free-text plans.
 */
#include <allot/allot.h>

#include <stdlib.h>
#include <string.h>

#include "convert/dataset.h"
#include "util/mem.h"

/* The records measured: ordered in the 20 years before as_of, like the
 * converter's other timings (dataset.c, DS_TIMING_YEARS). */
#define WS_YEARS 20
#define WS_LAST  (INT64_MAX / 2)

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int allot_first_delivery_after(const struct allot_sipri_register *reg, const char *supplier,
			       int from, int to, const unsigned char *only,
			       int after[ALLOT_TIMING_AGES])
{
	memset(after, 0, ALLOT_TIMING_AGES * sizeof *after);
	int *lag = mem_alloc((reg->n ? reg->n : 1) * sizeof *lag);
	if (!lag)
		return ALLOT_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < reg->n; i++) {
		const struct allot_sipri_record *r = &reg->v[i];
		int years[ALLOT_SIPRI_MAX_YEARS];
		if ((only && !only[i]) || strcmp(r->supplier, supplier) != 0 ||
		    r->year_of_order < from || r->year_of_order > to ||
		    allot_sipri_supply_type(r) != ALLOT_SUPPLY_NEW)
			continue;
		int ny = allot_sipri_delivery_years(r, years);
		if (ny == 0 || years[0] > to || years[0] < r->year_of_order)
			continue; /* no delivery recorded by the end of `to` */
		lag[n++] = years[0] - r->year_of_order;
	}
	qsort(lag, n, sizeof *lag, cmp_int);
	size_t k = 0; /* sorted: the records of a lag >= a are a suffix */
	for (int a = 0; a < ALLOT_TIMING_AGES; a++) {
		while (k < n && lag[k] < a)
			k++;
		if (k < n)
			after[a] = lag[k + (n - k - 1) / 2];
	}
	mem_free(lag);
	return ALLOT_OK;
}

/* experiment switch while measuring (removed before commit) */
static int ws_variant(void)
{
	const char *e = getenv("ALLOT_WIP_RANK");
	return e ? atoi(e) : 2;
}

size_t allot_wip_rank(const struct allot_scenario *s, const int after[ALLOT_TIMING_AGES],
		      int64_t *rank)
{
	size_t late = 0;
	int v = ws_variant();
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		int a = (int)(s->as_of / 12 - o->loa_month / 12);
		rank[i] = 0;
		if (v == 0 || o->supply != ALLOT_SUPPLY_NEW || o->delivered > 0)
			continue;
		if (v == 1) { /* started first */
			rank[i] = WS_LAST;
			late++;
			continue;
		}
		if (a < 0 || a >= ALLOT_TIMING_AGES || after[a] <= 0)
			continue;
		allot_month due = (allot_month)((o->loa_month / 12 + after[a]) * 12);
		if (v == 4)
			due += 6;
		if (v == 5)
			due -= 6;
		int lead = s->systems[o->system].lead_months;
		if (v == 3) { /* due within the lead: with the started */
			if (due >= s->as_of + lead) {
				rank[i] = WS_LAST;
				late++;
			}
			continue;
		}
		if (due > s->as_of) {
			rank[i] = due - s->as_of;
			late++;
		}
	}
	return late;
}

int ds_wip_rank(struct ds *ds, int64_t *rank)
{
	struct allot_scenario *s = ds->s;
	int to = (int)(s->as_of / 12) - 1, from = to - WS_YEARS + 1;
	unsigned char *only = mem_calloc(ds->reg->n ? ds->reg->n : 1, 1);
	if (!only)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < ds->reg->n; i++)
		only[i] = ds->rec_system[i] >= 0;
	int after[ALLOT_TIMING_AGES];
	int rc = allot_first_delivery_after(ds->reg, ds->filter.supplier, from, to, only, after);
	mem_free(only);
	if (rc != ALLOT_OK)
		return rc;
	size_t late = allot_wip_rank(s, after, rank);
	buf_printf(&ds->md,
		   "\nWho the pipeline serves first (docs/dataset.md, \"Work in "
		   "progress\"): an order supplied new with nothing delivered, a whole "
		   "years after its year of order, is expected to start delivering in the "
		   "January of its year of order + the median years from order to first "
		   "delivery of the mapped new records ordered %d-%d whose first delivery, "
		   "recorded by %d, came a or more years after the order; the %zu orders "
		   "not due within their system's lead time take work in progress only "
		   "after the others. Measured, not reported.\n\n| a | median years |\n"
		   "|---|---|\n",
		   from, to, to, late);
	for (int a = 0; a < ALLOT_TIMING_AGES; a++)
		if (after[a] > 0)
			buf_printf(&ds->md, "| %d | %d |\n", a, after[a]);
	return ALLOT_OK;
}
