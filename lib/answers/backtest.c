/*
 * backtest.c - `allot backtest` (docs/backtest.md): the model against what
 * really happened.
 *
 * The dataset is rebuilt as it stood at an earlier January by the
 * converter's own rules (allot_convert_dataset_as_of), planned first come,
 * first served (the rule before 2026-02), and compared with the deliveries
 * the SIPRI register records from that year to year_to: for the orders
 * SIPRI shows completed, the planned against the recorded completion year;
 * for every order, units delivered per year, summed by system and by
 * partner.  SIPRI gives a record's years of delivery and its total only, so
 * the recorded units of a year are the record's total spread evenly over
 * its listed years (allot_sipri_delivered_by), the rule that also decides
 * what was delivered before as_of.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert/dataset.h"
#include "util/mem.h"

void allot_backtest_options_init(struct allot_backtest_options *o)
{
	o->as_of = 2020 * 12; /* 2020-01 */
	o->year_to = 2024;
	o->book_share = (struct allot_book_share){ 0 };
}

static void group_free(struct allot_backtest_group *g, size_t n)
{
	for (size_t i = 0; g && i < n; i++) {
		mem_free(g[i].id);
		mem_free(g[i].planned);
		mem_free(g[i].recorded);
	}
	mem_free(g);
}

void allot_backtest_free(struct allot_backtest *b)
{
	if (!b)
		return;
	for (size_t i = 0; b->orders && i < b->n_orders; i++) {
		mem_free(b->orders[i].order_id);
		mem_free(b->orders[i].system_id);
	}
	mem_free(b->orders);
	group_free(b->systems, b->n_systems);
	group_free(b->partners, b->n_partners);
	mem_free(b->notes);
	mem_free(b->breakdown);
	mem_free(b);
}

/* Within +-25 %: |planned - recorded| <= recorded / 4; with nothing
 * recorded, only a plan of nothing is within. */
static int within25(int64_t planned, int64_t recorded)
{
	int64_t d = planned > recorded ? planned - recorded : recorded - planned;
	return 4 * d <= recorded;
}

int allot_backtest_within25(int64_t planned, int64_t recorded)
{
	return within25(planned, recorded);
}

static int groups_alloc(struct allot_backtest_group **g, size_t n, int years)
{
	*g = mem_calloc(n ? n : 1, sizeof **g);
	if (!*g)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		(*g)[i].planned = mem_calloc((size_t)years, sizeof(int64_t));
		(*g)[i].recorded = mem_calloc((size_t)years, sizeof(int64_t));
		if (!(*g)[i].planned || !(*g)[i].recorded)
			return ALLOT_ENOMEM;
	}
	return ALLOT_OK;
}

static int cmp_system(const void *a, const void *b)
{
	const struct allot_backtest_group *x = a, *y = b;
	if (x->recorded_total != y->recorded_total)
		return x->recorded_total > y->recorded_total ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int cmp_partner(const void *a, const void *b)
{
	const struct allot_backtest_group *x = a, *y = b;
	if (x->abs_error_years != y->abs_error_years)
		return x->abs_error_years > y->abs_error_years ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Adds an order's units of year index k to a group. */
static void group_add(struct allot_backtest_group *g, int k, int64_t planned, int64_t recorded)
{
	g->planned[k] += planned;
	g->recorded[k] += recorded;
	g->planned_total += planned;
	g->recorded_total += recorded;
}

static void group_order(struct allot_backtest_group *g, const struct allot_backtest_order *o)
{
	if (!o->completed)
		return;
	g->n_completed++;
	g->n_within += abs(o->error_years) <= 1;
	g->abs_error_years += abs(o->error_years);
}

/* The recorded side of one order: completion and units per year. */
static void recorded_side(struct allot_backtest *b, const struct allot_sipri_record *r,
			  struct allot_backtest_order *bo, struct allot_backtest_group *sys,
			  struct allot_backtest_group *par)
{
	int years[ALLOT_SIPRI_MAX_YEARS];
	int n = allot_sipri_delivery_years(r, years);
	for (int i = 0; i < n; i++) {
		if (years[i] < b->year_from || years[i] > b->year_to)
			continue;
		int64_t u = allot_sipri_units_of(r, years, n, i);
		group_add(sys, years[i] - b->year_from, 0, u);
		group_add(par, years[i] - b->year_from, 0, u);
		bo->recorded_units += u;
	}
	bo->completed = r->qty > 0 && n > 0 && allot_sipri_delivered_by(r, n, n) >= r->qty &&
			years[n - 1] <= b->year_to;
	bo->actual_year = bo->completed ? years[n - 1] : -1;
}

static int finish(struct allot_backtest *b)
{
	double sum = 0, bias = 0;
	for (size_t i = 0; i < b->n_orders; i++) {
		const struct allot_backtest_order *o = &b->orders[i];
		if (!o->completed)
			continue;
		b->n_completed++;
		b->n_within += abs(o->error_years) <= 1;
		b->n_early += o->error_years <= -2;
		b->n_late += o->error_years >= 2;
		sum += abs(o->error_years);
		bias += o->error_years;
	}
	if (b->n_completed) {
		b->share_within = (double)b->n_within / (double)b->n_completed;
		b->mae_years = sum / (double)b->n_completed;
		b->bias_years = bias / (double)b->n_completed;
	}
	qsort(b->systems, b->n_systems, sizeof *b->systems, cmp_system);
	qsort(b->partners, b->n_partners, sizeof *b->partners, cmp_partner);
	struct allot_backtest_group *gs[2] = { b->systems, b->partners };
	size_t ns[2] = { b->n_systems, b->n_partners };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < ns[k]; i++) {
			struct allot_backtest_group *g = &gs[k][i];
			g->mae_years = g->n_completed ? g->abs_error_years / (double)g->n_completed
						      : 0;
			for (int y = 0; y < b->n_years; y++)
				g->years_within += within25(g->planned[y], g->recorded[y]);
		}
	for (size_t i = 0; i < b->n_systems && b->n_top < ALLOT_BACKTEST_TOP; i++) {
		struct allot_backtest_group *g = &b->systems[i];
		if (g->recorded_total == 0)
			break;
		g->top = 1;
		b->n_top++;
		b->n_top_cells += (size_t)b->n_years;
		b->n_top_cells_within += (size_t)g->years_within;
		b->n_top_totals_within += within25(g->planned_total, g->recorded_total);
	}
	return ALLOT_OK;
}

/* ---- where the error lies --------------------------------------------- */

/* The group of order i in dimension d (0 supply, 1 age, 2 size, 3 started,
 * 4 rate, 5 recorded year) into g. */
#define BD_DIMS 6
static const char *const bd_name[BD_DIMS] = {
	"supply", "age", "size", "started", "rate", "recorded"
};

static void bd_group(const struct allot_scenario *s, const struct allot_backtest_order *bo,
		     size_t i, int d, char g[24])
{
	const struct allot_order *o = &s->orders[i];
	int age = (int)(s->as_of / 12 - o->loa_month / 12);
	const char *rate;
	switch (d) {
	case 0:
		snprintf(g, 24, "%s", allot_supply_type_name((enum allot_supply_type)o->supply));
		break;
	case 1:
		snprintf(g, 24, "%s",
			 age <= 1   ? "1 year"
			 : age == 2 ? "2 years"
			 : age == 3 ? "3 years"
			 : age <= 5 ? "4-5 years"
				    : "6+ years");
		break;
	case 2:
		snprintf(g, 24, "%s",
			 o->qty <= 5     ? "1-5 units"
			 : o->qty <= 30  ? "6-30 units"
			 : o->qty <= 200 ? "31-200 units"
					 : "201+ units");
		break;
	case 3:
		snprintf(g, 24, "%s", o->delivered > 0 ? "some delivered" : "none delivered");
		break;
	case 4:
		rate = allot_rate_basis_name(s->lines[s->systems[o->system].line].rate_basis);
		snprintf(g, 24, "%s", rate[0] ? rate : "unstated");
		break;
	default:
		snprintf(g, 24, "%d", bo->actual_year);
	}
}

/* The rank of a group within its dimension, for a stable order: labels in
 * the order bd_group lists them, years ascending. */
static int bd_rank(int d, const char *g)
{
	static const char *const order[] = { "new",        "used",           "lease",
					     "licence",    "1 year",         "2 years",
					     "3 years",    "4-5 years",      "6+ years",
					     "1-5 units",  "6-30 units",     "31-200 units",
					     "201+ units", "none delivered", "some delivered",
					     "cited",      "estimate",       "unstated" };
	if (d == 5)
		return atoi(g);
	for (int k = 0; k < (int)(sizeof order / sizeof *order); k++)
		if (strcmp(order[k], g) == 0)
			return k;
	return 1000;
}

static int cmp_cell(const void *a, const void *b)
{
	const struct allot_backtest_cell *x = a, *y = b;
	int dx = 0, dy = 0;
	while (strcmp(bd_name[dx], x->by) != 0)
		dx++;
	while (strcmp(bd_name[dy], y->by) != 0)
		dy++;
	if (dx != dy)
		return dx - dy;
	return bd_rank(dx, x->group) - bd_rank(dy, y->group);
}

/* The breakdown of the completed orders (allot_backtest.breakdown). */
static int breakdown(struct allot_backtest *b, const struct allot_scenario *s)
{
	size_t cap = 0;
	for (size_t i = 0; i < b->n_orders; i++) {
		const struct allot_backtest_order *o = &b->orders[i];
		if (!o->completed)
			continue;
		for (int d = 0; d < BD_DIMS; d++) {
			char g[24];
			bd_group(s, o, i, d, g);
			size_t k = 0;
			while (k < b->n_breakdown && (b->breakdown[k].by != bd_name[d] ||
						      strcmp(b->breakdown[k].group, g) != 0))
				k++;
			if (k == b->n_breakdown) {
				if (mem_grow(&b->breakdown, &cap, k + 1, sizeof *b->breakdown) != 0)
					return ALLOT_ENOMEM;
				memset(&b->breakdown[k], 0, sizeof *b->breakdown);
				b->breakdown[k].by = bd_name[d];
				memcpy(b->breakdown[k].group, g, sizeof g);
				b->n_breakdown++;
			}
			struct allot_backtest_cell *c = &b->breakdown[k];
			c->n_completed++;
			c->n_within += abs(o->error_years) <= 1;
			c->n_early += o->error_years <= -2;
			c->n_late += o->error_years >= 2;
			c->mae_years += abs(o->error_years);
			c->bias_years += o->error_years;
		}
	}
	for (size_t k = 0; k < b->n_breakdown; k++) {
		b->breakdown[k].mae_years /= (double)b->breakdown[k].n_completed;
		b->breakdown[k].bias_years /= (double)b->breakdown[k].n_completed;
	}
	if (b->n_breakdown)
		qsort(b->breakdown, b->n_breakdown, sizeof *b->breakdown, cmp_cell);
	return ALLOT_OK;
}

int allot_backtest_compare(const struct allot_plan *p, const struct allot_sipri_register *reg,
			   const size_t *order_record, int year_to, struct allot_backtest **out)
{
	const struct allot_scenario *s = p->scenario;
	struct allot_backtest *b = mem_calloc(1, sizeof *b);
	if (!b)
		return ALLOT_ENOMEM;
	b->as_of = s->as_of;
	b->year_from = (int)(s->as_of / 12);
	b->year_to = year_to < b->year_from ? b->year_from : year_to;
	b->n_years = b->year_to - b->year_from + 1;
	b->n_orders = s->n_orders;
	b->n_systems = s->n_systems;
	b->n_partners = s->n_partners;
	b->orders = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *b->orders);
	b->notes = mem_strdup(s->notes ? s->notes : "");
	int rc = b->orders && b->notes ? ALLOT_OK : ALLOT_ENOMEM;
	if (rc == ALLOT_OK)
		rc = groups_alloc(&b->systems, s->n_systems, b->n_years);
	if (rc == ALLOT_OK)
		rc = groups_alloc(&b->partners, s->n_partners, b->n_years);
	for (size_t i = 0; rc == ALLOT_OK && i < s->n_systems; i++)
		if (!(b->systems[i].id = mem_strdup(s->systems[i].system_id)))
			rc = ALLOT_ENOMEM;
	for (size_t i = 0; rc == ALLOT_OK && i < s->n_partners; i++)
		if (!(b->partners[i].id = mem_strdup(s->partners[i].iso3)))
			rc = ALLOT_ENOMEM;
	int after = (int)((s->as_of + s->horizon_months) / 12) + 1;
	for (size_t i = 0; rc == ALLOT_OK && i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		struct allot_backtest_order *bo = &b->orders[i];
		bo->order_id = mem_strdup(o->order_id);
		bo->system_id = mem_strdup(s->systems[o->system].system_id);
		if (!bo->order_id || !bo->system_id) {
			rc = ALLOT_ENOMEM;
			break;
		}
		snprintf(bo->iso3, sizeof bo->iso3, "%s", s->partners[o->partner].iso3);
		bo->open_units = o->qty - o->delivered;
		recorded_side(b, &reg->v[order_record[i]], bo, &b->systems[o->system],
			      &b->partners[o->partner]);
		allot_month c = p->orders[i].completion;
		bo->planned_year = c == ALLOT_NO_MONTH ? -1 : (int)(c / 12);
		if (bo->completed)
			bo->error_years =
				(bo->planned_year < 0 ? after : bo->planned_year) - bo->actual_year;
		group_order(&b->systems[o->system], bo);
		group_order(&b->partners[o->partner], bo);
	}
	/* the planned side: every grant, delivered lead months after it */
	for (size_t k = 0; rc == ALLOT_OK && k < p->n_allocs; k++) {
		const struct allot_alloc *a = &p->allocs[k];
		const struct allot_order *o = &s->orders[a->order];
		allot_month m = s->as_of + a->month + s->systems[o->system].lead_months;
		int y = (int)(m / 12);
		if (y > b->year_to)
			continue;
		group_add(&b->systems[o->system], y - b->year_from, a->units, 0);
		group_add(&b->partners[o->partner], y - b->year_from, a->units, 0);
		b->orders[a->order].planned_units += a->units;
	}
	if (rc == ALLOT_OK)
		rc = finish(b);
	if (rc == ALLOT_OK)
		rc = breakdown(b, s);
	if (rc != ALLOT_OK) {
		allot_backtest_free(b);
		return rc;
	}
	*out = b;
	return ALLOT_OK;
}

int allot_backtest_run(const struct allot_convert_dirs *dirs,
		       const struct allot_backtest_options *o, struct allot_backtest **out,
		       struct allot_diags *diags)
{
	if (o->year_to < o->as_of / 12 || o->year_to > DS_AS_OF / 12 - 1) {
		allot_diags_add(
			diags, "--to", 0, 0,
			"expected a last year from the as-of year %d to %d (the register's last), found %d",
			(int)(o->as_of / 12), DS_AS_OF / 12 - 1, o->year_to);
		return ALLOT_EINPUT;
	}
	struct ds_result r;
	struct allot_convert_dirs d = *dirs;
	if (o->book_share.rule != ALLOT_BOOK_SHARE_OFF)
		d.book_share = &o->book_share; /* an experiment (docs/backtest.md) */
	int rc = ds_build(&d, o->as_of, &r, diags);
	if (rc != ALLOT_OK)
		return rc;
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = ALLOT_POLICY_FCFS;
	po.record_allocations = 1;
	struct allot_plan *p = NULL;
	rc = allot_plan_run(r.s, &po, &p);
	if (rc == ALLOT_OK)
		rc = allot_backtest_compare(p, r.reg, r.order_record, o->year_to, out);
	if (rc == ALLOT_OK && d.book_share)
		allot_book_share_format(d.book_share, (*out)->book_share, sizeof(*out)->book_share);
	allot_plan_free(p);
	ds_result_free(&r);
	return rc;
}
