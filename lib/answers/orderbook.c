/*
 * orderbook.c - the order book as users look things up in it (`allot
 * orders`): every order matching a filter, with its partner's tier and its
 * completion under both policies side by side (docs/answers.md).
 *
 * The shift is the change in completion month from fcfs to priority with
 * the same rule as `allot diff` (a completion past the horizon counts as
 * the horizon's end), so the two commands agree order by order.
 */
#include <allot/allot.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answers/answers_int.h"
#include "util/mem.h"

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
	return 1;
}

int allot_orderbook_run(const struct allot_scenario *s, allot_month switch_month,
			const struct allot_order_filter *f, struct allot_orderbook **out)
{
	*out = NULL;
	struct allot_plan *plan[2] = { NULL, NULL };
	struct allot_orderbook *b = mem_calloc(1, sizeof *b);
	if (!b)
		return ALLOT_ENOMEM;
	int rc = ALLOT_OK;
	for (int k = 0; k < 2 && rc == ALLOT_OK; k++) {
		struct allot_plan_options o;
		allot_plan_options_init(&o);
		o.policy = k == 0 ? ALLOT_POLICY_FCFS : ALLOT_POLICY_PRIORITY;
		o.switch_month = switch_month;
		rc = allot_plan_run(s, &o, &plan[k]);
	}
	if (rc == ALLOT_OK && s->n_orders > 0 &&
	    !(b->rows = mem_calloc(s->n_orders, sizeof *b->rows)))
		rc = ALLOT_ENOMEM;
	if (rc != ALLOT_OK) {
		allot_plan_free(plan[0]);
		allot_plan_free(plan[1]);
		mem_free(b);
		return rc;
	}
	b->horizon_end = s->as_of + s->horizon_months;
	b->switch_month = plan[1]->switch_month;
	b->n_total = s->n_orders;
	for (size_t i = 0; i < s->n_orders; i++) {
		struct allot_orderbook_row *row = &b->rows[b->n_rows];
		const struct allot_order *o = &s->orders[i];
		row->order = i;
		row->tier = plan[1]->orders[i].tier0;
		row->left = o->qty - o->delivered;
		for (int k = 0; k < 2; k++) {
			row->completion[k] = plan[k]->orders[i].completion;
			row->short_units[k] = plan[k]->orders[i].short_units;
			row->late[k] = allot_plan_months_late(plan[k], i);
		}
		row->shift = 0;
		row->shift_known = answers_shift(row->completion[0], row->completion[1],
						 b->horizon_end, &row->shift);
		if (!f || keep(s, f, row))
			b->n_rows++;
	}
	allot_plan_free(plan[0]);
	allot_plan_free(plan[1]);
	*out = b;
	return ALLOT_OK;
}

void allot_orderbook_free(struct allot_orderbook *b)
{
	if (!b)
		return;
	mem_free(b->rows);
	mem_free(b);
}
