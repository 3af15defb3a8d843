/*
 * orderbook.c - the order book as users look things up in it (`allot
 * orders`, GET .../orderbook, the report's orders table): every order
 * matching a filter, with its partner's tier and its completion under both
 * policies side by side (docs/answers.md).
 *
 * One answer (issue 14): allot_orderbook_build makes the figures, one
 * column list describes the rows and allot_orderbook_json writes them; the
 * CLI's text, CSV and JSON, the API and the report's and workbook's table
 * all render from these.
 *
 * The shift is the change in completion month from fcfs to priority with
 * the same rule as `allot diff` (a completion past the horizon counts as
 * the horizon's end), so the two commands agree order by order.
 */
#include <allot/allot.h>

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "answers/answers_int.h"
#include "answers/report_int.h"
#include "util/mem.h"

/* --- the filter ------------------------------------------------------------ */

/* "no partner in region 'mars'; regions: europe-east africa other" */
static int region_check(const struct allot_scenario *s, const char *region, char *msg, size_t size)
{
	for (size_t i = 0; i < s->n_partners; i++)
		if (strcasecmp(s->partners[i].region, region) == 0)
			return ALLOT_OK;
	size_t n = (size_t)snprintf(msg, size, "no partner in region '%s'; regions:", region);
	for (size_t i = 0; i < s->n_partners && n < size; i++) {
		size_t j = 0;
		while (j < i && strcmp(s->partners[j].region, s->partners[i].region) != 0)
			j++;
		if (j == i)
			n += (size_t)snprintf(msg + n, size - n, " %s", s->partners[i].region);
	}
	return ALLOT_EINPUT;
}

int allot_order_filter_parse(const struct allot_scenario *s, const char *partners,
			     const char *systems, const char *lines, const char *region,
			     struct allot_order_filter *f, char *msg, size_t size)
{
	memset(f, 0, sizeof *f);
	if (size)
		msg[0] = '\0';
	int rc = ALLOT_OK;
	if (partners)
		rc = allot_lookup_list(s, ALLOT_KIND_PARTNER, partners, &f->partners,
				       &f->n_partners, msg, size);
	if (rc == ALLOT_OK && systems)
		rc = allot_lookup_list(s, ALLOT_KIND_SYSTEM, systems, &f->systems, &f->n_systems,
				       msg, size);
	if (rc == ALLOT_OK && lines)
		rc = allot_lookup_list(s, ALLOT_KIND_LINE, lines, &f->lines, &f->n_lines, msg,
				       size);
	if (rc == ALLOT_OK && region)
		rc = region_check(s, region, msg, size);
	f->region = region;
	if (rc != ALLOT_OK)
		allot_order_filter_free(f);
	return rc;
}

void allot_order_filter_free(struct allot_order_filter *f)
{
	mem_free(f->partners);
	mem_free(f->systems);
	mem_free(f->lines);
	memset(f, 0, sizeof *f);
}

static int in(const int *v, size_t n, int x)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

static int keep(const struct allot_scenario *s, const struct allot_order_filter *f,
		const struct allot_orderbook_row *row)
{
	const struct allot_order *o = &s->orders[row->order];
	if (!in(f->partners, f->n_partners, o->partner) ||
	    !in(f->systems, f->n_systems, o->system) ||
	    !in(f->lines, f->n_lines, s->systems[o->system].line))
		return 0;
	if (f->tier > 0 && row->tier != f->tier)
		return 0;
	if (f->region && strcasecmp(f->region, s->partners[o->partner].region) != 0)
		return 0;
	if (f->late && row->late[0] <= 0 && row->late[1] <= 0)
		return 0;
	return !f->open || row->left > 0;
}

/* --- the figures ----------------------------------------------------------- */

/* Row i of the scenario under both plans. */
static void fill_row(const struct allot_plan *const plan[2], size_t i,
		     struct allot_orderbook_row *row)
{
	const struct allot_scenario *s = plan[0]->scenario;
	const struct allot_order *o = &s->orders[i];
	double cost = s->systems[o->system].unit_cost_usd;
	row->order = i;
	row->tier = plan[1]->orders[i].tier0;
	row->left = o->qty - o->delivered;
	row->value_left_usd = allot_cost_known(cost) ? (double)row->left * cost : NAN;
	row->wip = allot_plan_offline(plan[1], i).wip;
	for (int k = 0; k < 2; k++) {
		const struct allot_order_result *r = &plan[k]->orders[i];
		int censored;
		row->first_delivery[k] = r->first_delivery;
		row->completion[k] = r->completion;
		row->wait[k] = report_wait(plan[k], i, &censored);
		row->short_units[k] = r->short_units;
		row->cancelled[k] = r->cancelled;
		row->late[k] = allot_plan_months_late(plan[k], i);
	}
	row->shift = 0;
	row->shift_known = answers_shift(row->completion[0], row->completion[1],
					 s->as_of + s->horizon_months, &row->shift);
}

/* Adds a kept row to the summary. */
static void sum_row(struct allot_orderbook *b, const struct allot_orderbook_row *r)
{
	const struct allot_scenario *s = b->scenario;
	b->units_left += r->left;
	allot_usd_add(&b->value_left, r->left, s->systems[s->orders[r->order].system].unit_cost_usd,
		      1);
	b->complete_fcfs += r->completion[0] != ALLOT_NO_MONTH;
	b->complete_priority += r->completion[1] != ALLOT_NO_MONTH;
	b->earlier += r->shift_known && r->shift < 0;
	b->later += r->shift_known && r->shift > 0;
}

int allot_orderbook_build(const struct allot_plan *fcfs, const struct allot_plan *priority,
			  const struct allot_order_filter *f, struct allot_orderbook **out)
{
	*out = NULL;
	const struct allot_plan *plan[2] = { fcfs, priority };
	const struct allot_scenario *s = fcfs->scenario;
	if (priority->scenario->n_orders != s->n_orders)
		return ALLOT_EINPUT;
	struct allot_orderbook *b = mem_calloc(1, sizeof *b);
	if (!b)
		return ALLOT_ENOMEM;
	if (s->n_orders > 0 && !(b->rows = mem_calloc(s->n_orders, sizeof *b->rows))) {
		mem_free(b);
		return ALLOT_ENOMEM;
	}
	b->scenario = s;
	b->horizon_end = s->as_of + s->horizon_months;
	b->switch_month = priority->switch_month;
	b->n_total = s->n_orders;
	b->offline = allot_scenario_has_offline(s);
	b->rate_basis = allot_scenario_has_rate_basis(s);
	b->loa_basis = allot_scenario_has_loa_basis(s);
	b->cost_basis = allot_scenario_has_cost_basis(s);
	for (size_t i = 0; i < s->n_orders; i++)
		b->paced |= s->orders[i].max_per_month > 0;
	for (size_t i = 0; i < s->n_orders; i++)
		b->not_before |= s->orders[i].not_before != ALLOT_NO_MONTH;
	for (size_t i = 0; i < s->n_orders; i++) {
		struct allot_orderbook_row *row = &b->rows[b->n_rows];
		fill_row(plan, i, row);
		if (!f || keep(s, f, row)) {
			sum_row(b, row);
			b->n_rows++;
		}
	}
	*out = b;
	return ALLOT_OK;
}

int allot_orderbook_run(const struct allot_scenario *s, allot_month switch_month,
			const struct allot_order_filter *f, struct allot_orderbook **out)
{
	*out = NULL;
	struct allot_plan *plan[2] = { NULL, NULL };
	int rc = ALLOT_OK;
	for (int k = 0; k < 2 && rc == ALLOT_OK; k++) {
		struct allot_plan_options o;
		allot_plan_options_init(&o);
		o.policy = k == 0 ? ALLOT_POLICY_FCFS : ALLOT_POLICY_PRIORITY;
		o.switch_month = switch_month;
		rc = allot_plan_run(s, &o, &plan[k]);
	}
	if (rc == ALLOT_OK)
		rc = allot_orderbook_build(plan[0], plan[1], f, out);
	allot_plan_free(plan[0]);
	allot_plan_free(plan[1]);
	return rc;
}

void allot_orderbook_free(struct allot_orderbook *b)
{
	if (!b)
		return;
	mem_free(b->rows);
	mem_free(b);
}

/* --- one rendering: the figures and columns of every face (issue 14) ------- */

/* A braced macro body: see cli/cli.h, CLI_OPT_FLAG. */
/* clang-format off */
#define FIG(key, title, unit, kind, field) \
	{ key, title, unit, kind, offsetof(struct allot_orderbook, field) }
/* clang-format on */

static const struct allot_figure figs[] = {
	FIG("matching_orders", "orders", "orders", ALLOT_FIG_COUNT, n_rows),
	FIG("total_orders", "orders in the scenario", "orders", ALLOT_FIG_COUNT, n_total),
	FIG("units_left", "units outstanding", "units", ALLOT_FIG_UNITS, units_left),
	FIG("value_left_usd", "value outstanding", "USD", ALLOT_FIG_USD_SUM, value_left),
	FIG("complete_fcfs", "complete in the horizon under fcfs", "orders", ALLOT_FIG_COUNT,
	    complete_fcfs),
	FIG("complete_priority", "complete in the horizon under priority", "orders",
	    ALLOT_FIG_COUNT, complete_priority),
	FIG("earlier", "complete earlier under priority", "orders", ALLOT_FIG_COUNT, earlier),
	FIG("later", "complete later under priority", "orders", ALLOT_FIG_COUNT, later),
};
const struct allot_figures allot_orderbook_figures = { figs, sizeof figs / sizeof *figs };

/* clang-format off */
#define COL(key, header, at, unit, kind, flags) \
	{ key, header, at, 0, unit, ALLOT_CELL_##kind, NULL, flags }
/* clang-format on */

/* The first 18 are `allot orders --csv`'s columns before issue 14; the
 * rest came from the report's table (docs/answers.md defines each). */
const struct allot_column allot_orderbook_columns[ALLOT_ORDERBOOK_NCOL] = {
	COL("order_id", "order", 1, NULL, STR, 0),
	COL("iso3", NULL, 0, NULL, STR, 0),
	{ "partner", "partner", 2, 12, NULL, ALLOT_CELL_STR, NULL, 0 },
	COL("system_id", NULL, 0, NULL, STR, 0),
	{ "system", "system", 3, 18, NULL, ALLOT_CELL_STR, NULL, 0 },
	COL("line_id", NULL, 0, NULL, STR, 0),
	COL("tier", "tier", 4, NULL, INT, 0),
	COL("qty", NULL, 0, "units", INT, 0),
	COL("left", "left", 5, "units", INT, 0),
	COL("loa_month", NULL, 0, NULL, MONTH, 0),
	COL("need_month", "need", 9, NULL, MONTH, ALLOT_COL_NA | ALLOT_COL_SPARSE),
	COL("completion_fcfs", "fcfs", 6, NULL, MONTH, ALLOT_COL_AFTER),
	COL("completion_priority", "priority", 7, NULL, MONTH, ALLOT_COL_AFTER),
	COL("shift_months", "shift", 8, "months", INT, ALLOT_COL_NA),
	COL("months_late_fcfs", NULL, 0, "months", INT, 0),
	COL("months_late_priority", NULL, 0, "months", INT, 0),
	COL("units_short_fcfs", NULL, 0, "units", INT, 0),
	COL("units_short_priority", NULL, 0, "units", INT, 0),
	COL("first_delivery_fcfs", NULL, 0, NULL, MONTH, 0),
	COL("first_delivery_priority", NULL, 0, NULL, MONTH, 0),
	COL("wait_months_fcfs", NULL, 0, "months", INT, 0),
	COL("wait_months_priority", NULL, 0, "months", INT, 0),
	COL("units_cancelled_fcfs", NULL, 0, "units", INT, 0),
	COL("units_cancelled_priority", NULL, 0, "units", INT, 0),
	{ "value_left_usd", NULL, 0, 0, "USD", ALLOT_CELL_NUM, "%.0f", 0 },
	COL("supply", NULL, 0, NULL, STR, ALLOT_COL_OFFLINE),
	COL("wip_units", NULL, 0, "units", INT, ALLOT_COL_OFFLINE),
	COL("rate_basis", "line rate", 10, NULL, STR, ALLOT_COL_RATE_BASIS | ALLOT_COL_NA),
	COL("max_per_month", "pace", 11, "units/month", INT,
	    ALLOT_COL_PACE | ALLOT_COL_SPARSE | ALLOT_COL_NA),
	COL("not_before", "not before", 12, NULL, MONTH,
	    ALLOT_COL_NOT_BEFORE | ALLOT_COL_SPARSE | ALLOT_COL_NA),
	/* what loa_month and the unit cost (value_left_usd) rest on (issue 15) */
	COL("loa_basis", NULL, 0, NULL, STR, ALLOT_COL_LOA_BASIS),
	COL("unit_cost_basis", NULL, 0, NULL, STR, ALLOT_COL_COST_BASIS),
};

int allot_orderbook_has(const struct allot_orderbook *b, size_t col)
{
	unsigned fl = allot_orderbook_columns[col].flags;
	return (!(fl & ALLOT_COL_OFFLINE) || b->offline) &&
	       (!(fl & ALLOT_COL_RATE_BASIS) || b->rate_basis) &&
	       (!(fl & ALLOT_COL_PACE) || b->paced) &&
	       (!(fl & ALLOT_COL_NOT_BEFORE) || b->not_before) &&
	       (!(fl & ALLOT_COL_LOA_BASIS) || b->loa_basis) &&
	       (!(fl & ALLOT_COL_COST_BASIS) || b->cost_basis);
}

void allot_orderbook_cells(const struct allot_orderbook *b, const struct allot_orderbook_row *r,
			   struct allot_cell c[ALLOT_ORDERBOOK_NCOL])
{
	const struct allot_scenario *s = b->scenario;
	const struct allot_order *o = &s->orders[r->order];
	const struct allot_partner *p = &s->partners[o->partner];
	const struct allot_system *y = &s->systems[o->system];
	enum allot_rate_basis basis = s->lines[y->line].rate_basis;
	size_t n = 0;
#define STR(v) c[n++] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = (v) }
#define INT(v)                                   \
	c[n++] = (struct allot_cell)             \
	{                                        \
		.kind = ALLOT_CELL_INT, .i = (v) \
	}
#define MONTH(v)                                   \
	c[n++] = (struct allot_cell)               \
	{                                          \
		.kind = ALLOT_CELL_MONTH, .m = (v) \
	}
#define NUL()                           \
	c[n++] = (struct allot_cell)    \
	{                               \
		.kind = ALLOT_CELL_NULL \
	}
	STR(o->order_id);
	STR(p->iso3);
	STR(p->name);
	STR(y->system_id);
	STR(y->name);
	STR(s->lines[y->line].line_id);
	INT(r->tier);
	INT(o->qty);
	INT(r->left);
	MONTH(o->loa_month);
	MONTH(o->need_month);
	MONTH(r->completion[0]);
	MONTH(r->completion[1]);
	if (r->shift_known)
		INT(r->shift);
	else
		NUL();
	for (int k = 0; k < 2; k++)
		if (r->late[k] < 0)
			NUL();
		else
			INT(r->late[k]);
	for (int k = 0; k < 2; k++)
		INT(r->short_units[k]);
	for (int k = 0; k < 2; k++)
		MONTH(r->first_delivery[k]);
	for (int k = 0; k < 2; k++)
		INT(r->wait[k]);
	for (int k = 0; k < 2; k++)
		INT(r->cancelled[k]);
	/* an unknown unit cost: no value, never 0 (docs/allocation.md) */
	c[n++] = allot_usd_cell(r->value_left_usd);
	STR(allot_supply_type_name((enum allot_supply_type)o->supply));
	INT(r->wip);
	if (basis == ALLOT_RATE_UNSTATED)
		NUL();
	else
		STR(allot_rate_basis_name(basis));
	if (o->max_per_month > 0)
		INT(o->max_per_month);
	else
		NUL();                          /* no pace */
	MONTH(o->not_before);                   /* ALLOT_NO_MONTH: none, empty */
	if (o->loa_basis == ALLOT_LOA_UNSTATED) /* not stated: null, never "month" */
		NUL();
	else
		STR(allot_loa_basis_name((enum allot_loa_basis)o->loa_basis));
	/* the value rests on the unit cost: its basis, null when not stated or
	 * when the cost is unknown (no basis for a missing value) */
	if (y->unit_cost_basis == ALLOT_RATE_UNSTATED)
		NUL();
	else
		STR(allot_rate_basis_name((enum allot_rate_basis)y->unit_cost_basis));
	assert(n == ALLOT_ORDERBOOK_NCOL); /* one cell per column, in order */
	(void)n;
#undef STR
#undef INT
#undef MONTH
#undef NUL
}

json_t *allot_orderbook_json(const struct allot_orderbook *b)
{
	const struct allot_scenario *s = b->scenario;
	int has[ALLOT_ORDERBOOK_NCOL];
	for (size_t k = 0; k < ALLOT_ORDERBOOK_NCOL; k++)
		has[k] = allot_orderbook_has(b, k);
	json_t *j = json_pack("{s:s, s:[s,s], s:o, s:o, s:o}", "scenario", s->name, "policies",
			      allot_policy_kind_name(ALLOT_POLICY_FCFS),
			      allot_policy_kind_name(ALLOT_POLICY_PRIORITY), "switch_month",
			      allot_switch_month_json(b->switch_month), "as_of",
			      allot_month_json(s->as_of), "horizon_end",
			      allot_month_json(b->horizon_end));
	json_t *rows = json_array();
	int ok = j && rows && allot_figures_put(j, &allot_orderbook_figures, b) == ALLOT_OK;
	if (!ok)
		json_decref(rows); /* not given to j */
	if (!ok || json_object_set_new(j, "orders", rows) != 0) {
		json_decref(j);
		return NULL;
	}
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	for (size_t i = 0; i < b->n_rows; i++) {
		allot_orderbook_cells(b, &b->rows[i], c);
		if (json_array_append_new(rows, allot_columns_json(allot_orderbook_columns, c,
								   ALLOT_ORDERBOOK_NCOL, has)) !=
		    0) {
			json_decref(j);
			return NULL;
		}
	}
	return j;
}
