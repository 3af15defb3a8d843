/*
 * risk.c - sales at risk of going elsewhere (`allot risk`, docs/report.md).
 *
 * An order is at risk when its partner sits in the policy's lowest tier at
 * month 0, its system has a foreign_alternative (a comparable system a
 * partner could buy instead: F-35 and Rafale), it still has units to
 * deliver, and its wait under the plan is longer than the threshold.  The
 * wait is the plan summary's: from the later of as_of and the LOA month to
 * completion, to the horizon's end when it does not complete.  What is at
 * risk is the value of the units still to deliver.
 */
#include <allot/allot.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answers/report_int.h"
#include "util/mem.h"

int report_wait(const struct allot_plan *p, size_t order, int *censored)
{
	const struct allot_scenario *s = p->scenario;
	const struct allot_order *o = &s->orders[order];
	const struct allot_order_result *r = &p->orders[order];
	allot_month from = o->loa_month > s->as_of ? o->loa_month : s->as_of;
	allot_month done = r->completion;
	*censored = done == ALLOT_NO_MONTH;
	if (*censored)
		done = s->as_of + s->horizon_months;
	return done > from ? (int)(done - from) : 0;
}

void allot_risk_free(struct allot_risk *r)
{
	if (!r)
		return;
	mem_free(r->rows);
	mem_free(r);
}

/* A row with its order id beside it, so that qsort needs no context. */
struct keyed {
	struct allot_risk_row row;
	const char *id;
};

static int by_value(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int kx = allot_cost_known(x->row.value_usd), ky = allot_cost_known(y->row.value_usd);
	if (kx != ky) /* an unknown value after every known one */
		return kx ? -1 : 1;
	if (kx && x->row.value_usd != y->row.value_usd)
		return x->row.value_usd > y->row.value_usd ? -1 : 1;
	if (x->row.wait != y->row.wait)
		return x->row.wait > y->row.wait ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int sort_rows(const struct allot_scenario *s, struct allot_risk *r)
{
	struct keyed *k = mem_calloc(r->n ? r->n : 1, sizeof *k);
	if (!k)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		k[i].row = r->rows[i];
		k[i].id = s->orders[r->rows[i].order].order_id;
	}
	qsort(k, r->n, sizeof *k, by_value);
	for (size_t i = 0; i < r->n; i++)
		r->rows[i] = k[i].row;
	mem_free(k);
	return ALLOT_OK;
}

const char *const allot_risk_columns[ALLOT_RISK_NCOL] = {
	"order_id",   "iso3",        "partner",      "system_id", "alternative", "loa",
	"completion", "wait_months", "not_complete", "units",     "value_usd",
};

void allot_risk_row_cells(const struct allot_plan *p, const struct allot_risk_row *row,
			  struct allot_cell c[ALLOT_RISK_NCOL])
{
	const struct allot_scenario *s = p->scenario;
	const struct allot_order *o = &s->orders[row->order];
	const struct allot_system *y = &s->systems[o->system];
	memset(c, 0, ALLOT_RISK_NCOL * sizeof *c);
	c[0] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = o->order_id };
	c[1] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = s->partners[o->partner].iso3 };
	c[2] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = s->partners[o->partner].name };
	c[3] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = y->system_id };
	c[4] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = y->foreign_alternative };
	c[5] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH, .m = o->loa_month };
	c[6] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH,
				    .m = p->orders[row->order].completion };
	c[7] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = row->wait };
	c[8] = (struct allot_cell){ .kind = ALLOT_CELL_BOOL, .i = row->censored };
	c[9] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = row->units };
	c[10] = allot_usd_cell(row->value_usd);
}

json_t *allot_risk_row_json(const struct allot_plan *p, const struct allot_risk_row *row)
{
	struct allot_cell c[ALLOT_RISK_NCOL];
	allot_risk_row_cells(p, row, c);
	json_t *j = allot_cells_json(allot_risk_columns, c, ALLOT_RISK_NCOL);
	if (j)
		allot_json_rate_basis(j, p->scenario, p->scenario->orders[row->order].system);
	return j;
}

int allot_risk_run(const struct allot_plan *p, int wait_months, struct allot_risk **out)
{
	const struct allot_scenario *s = p->scenario;
	struct allot_risk *r = mem_calloc(1, sizeof *r);
	if (!r || !(r->rows = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *r->rows))) {
		mem_free(r);
		*out = NULL;
		return ALLOT_ENOMEM;
	}
	r->tier = (int)s->policy.n_tier_thresholds + 1;
	r->wait_months = wait_months;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_system *y = &s->systems[o->system];
		int64_t units = o->qty - o->delivered - p->orders[i].cancelled;
		if (p->orders[i].tier0 != r->tier || !y->foreign_alternative[0] || units <= 0)
			continue;
		int censored;
		int wait = report_wait(p, i, &censored);
		if (wait <= wait_months)
			continue;
		struct allot_risk_row *row = &r->rows[r->n++];
		row->order = (int32_t)i;
		row->wait = wait;
		row->censored = censored;
		row->units = units;
		row->value_usd = (double)units * y->unit_cost_usd;
		r->units += units;
		allot_usd_add(&r->value, units, y->unit_cost_usd, 1);
		r->value_usd = r->value.known;
	}
	int rc = sort_rows(s, r);
	if (rc != ALLOT_OK) {
		allot_risk_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}
