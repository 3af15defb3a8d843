/*
 * compare.c - two policies side by side (`allot compare`): plans a scenario
 * under both, then, per order, the wait and the units arriving by a chosen
 * year under each; per partner, tier, region and system the same figures
 * summed up, sorted into who gains and who waits (docs/answers.md).
 *
 * The wait is the plan summary's: months from the later of as_of and the
 * LOA month to completion, the horizon's end when not complete.  An order
 * counts in waits when it has units open at as_of and is not wholly
 * cancelled under either policy, so both sides average the same orders.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answers/answers_int.h"
#include "util/mem.h"

static const char *const group_names[ALLOT_BY_COUNT] = {
	"partner",
	"tier",
	"region",
	"system",
};

const char *allot_group_by_name(enum allot_group_by g)
{
	return (unsigned)g < ALLOT_BY_COUNT ? group_names[g] : "?";
}

int allot_group_by_parse(const char *s, enum allot_group_by *out)
{
	for (int g = 0; g < ALLOT_BY_COUNT; g++)
		if (strcmp(s, group_names[g]) == 0) {
			*out = (enum allot_group_by)g;
			return 0;
		}
	return -1;
}

void allot_compare_options_init(struct allot_compare_options *o)
{
	memset(o, 0, sizeof *o);
	o->policy[0] = ALLOT_POLICY_FCFS;
	o->policy[1] = ALLOT_POLICY_PRIORITY;
	o->switch_month = ALLOT_NO_MONTH;
	o->year = 0;
}

int answers_wait(const struct allot_scenario *s, const struct allot_order *o,
		 const struct allot_order_result *r)
{
	allot_month e = o->loa_month > s->as_of ? o->loa_month : s->as_of;
	allot_month done = r->completion != ALLOT_NO_MONTH ? r->completion
							   : s->as_of + s->horizon_months;
	return done > e ? (int)(done - e) : 0;
}

/* Per order: wait, completion, units and value by the year, and what
 * budget caps cancelled, under both plans. */
static void fill_orders(struct allot_compare *c, const struct allot_scenario *s)
{
	allot_month dec = c->year * 12 + 11;
	for (int k = 0; k < 2; k++) {
		const struct allot_plan *p = c->plan[k];
		for (size_t i = 0; i < p->n_allocs; i++) {
			const struct allot_alloc *a = &p->allocs[i];
			const struct allot_order *o = &s->orders[a->order];
			int d = a->month + s->systems[o->system].lead_months;
			if (d < s->horizon_months && s->as_of + d <= dec)
				c->orders[a->order].by_year[k] += a->units;
		}
	}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		struct allot_compare_order *co = &c->orders[i];
		double cost = s->systems[o->system].unit_cost_usd;
		int64_t open = o->qty - o->delivered;
		for (int k = 0; k < 2; k++) {
			co->completion[k] = c->plan[k]->orders[i].completion;
			co->wait[k] = answers_wait(s, o, &c->plan[k]->orders[i]);
			co->cancelled[k] = c->plan[k]->orders[i].cancelled;
			co->value_by_year[k] =
				allot_cost_known(cost) ? (double)co->by_year[k] * cost : 0;
		}
		co->cost_unknown = !allot_cost_known(cost);
		co->shift_known = answers_shift(co->completion[0], co->completion[1],
						s->as_of + s->horizon_months, &co->shift);
		co->open_value = open > 0 && !co->cost_unknown ? (double)open * cost : 0;
		co->cut = open > 0 && co->cancelled[1] > co->cancelled[0];
		co->restored = open > 0 && co->cancelled[1] < co->cancelled[0];
		co->counted = open > 0 && co->cancelled[0] == co->cancelled[1] &&
			      co->cancelled[0] < open;
	}
}

static void add_order(struct allot_compare_group *g, const struct allot_compare_order *co,
		      double cost)
{
	for (int k = 0; k < 2; k++) {
		g->by_year[k] += co->by_year[k];
		g->value_by_year[k] += co->value_by_year[k];
		g->cancelled[k] += co->cancelled[k];
		allot_usd_add(&g->value_usd[k], co->by_year[k], cost, 1);
		allot_usd_add(&g->cancelled_usd[k], co->cancelled[k], cost, 1);
		g->cancelled_value[k] = g->cancelled_usd[k].known;
	}
	g->cut += co->cut;
	g->restored += co->restored;
	if (!co->counted)
		return;
	g->orders++;
	for (int k = 0; k < 2; k++) {
		g->mean_wait[k] += co->wait[k]; /* sums until finish_group */
		g->vwait[k] += co->open_value * co->wait[k];
		g->censored[k] += co->completion[k] == ALLOT_NO_MONTH;
	}
	g->weight += co->open_value;
	g->value_months += co->open_value * (co->wait[1] - co->wait[0]);
	/* Complete in neither plan: no shift to measure (as allot diff); its
	 * waits are equal, so it is neither earlier nor later either. */
	if (!co->shift_known)
		return;
	g->earlier += co->shift < 0;
	g->later += co->shift > 0;
	g->shift_orders++;
	g->mean_abs_shift += abs(co->shift); /* sums until finish_group */
}

static void finish_group(struct allot_compare_group *g)
{
	if (g->orders) {
		for (int k = 0; k < 2; k++)
			g->mean_wait[k] /= (double)g->orders;
	}
	for (int k = 0; k < 2; k++)
		g->vwait[k] = g->weight > 0 ? g->vwait[k] / g->weight : NAN;
	struct answers_shifts sh = { .n = g->shift_orders, .abs_sum = g->mean_abs_shift };
	g->mean_abs_shift = answers_shifts_mean(&sh);
	g->delta_wait = g->mean_wait[1] - g->mean_wait[0];
	g->delta_vwait = g->vwait[1] - g->vwait[0];
	g->delta_units = g->by_year[1] - g->by_year[0];
	g->delta_value = g->value_by_year[1] - g->value_by_year[0];
}

/* What gainers are ranked by: the USD-months of waiting saved when the
 * group has value (a USD 2 bn order three months sooner outranks a USD 2 m
 * one 55 months sooner), else the change in mean wait, which puts groups
 * without value between those that gain and those that lose. */
static double gain_key(const struct allot_compare_group *g)
{
	return g->weight > 0 ? g->value_months : g->delta_wait;
}

static int cmp_gain(const void *a, const void *b)
{
	const struct allot_compare_group *x = a, *y = b;
	double kx = gain_key(x), ky = gain_key(y);
	if (kx != ky)
		return kx < ky ? -1 : 1;
	if (x->delta_value != y->delta_value)
		return x->delta_value > y->delta_value ? -1 : 1;
	if (x->delta_units != y->delta_units)
		return x->delta_units > y->delta_units ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int cmp_tier(const void *a, const void *b)
{
	const struct allot_compare_group *x = a, *y = b;
	return atoi(x->key) - atoi(y->key);
}

static int cmp_shift(const void *a, const void *b)
{
	const struct allot_compare_group *x = a, *y = b;
	if (x->mean_abs_shift != y->mean_abs_shift)
		return x->mean_abs_shift > y->mean_abs_shift ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Index of an order's group under `by`; regions are numbered by their
 * first partner (the partner index of the first partner in that region). */
static size_t group_of(const struct allot_scenario *s, const struct allot_compare *c,
		       const int *region_first, enum allot_group_by by, size_t i)
{
	const struct allot_order *o = &s->orders[i];
	switch (by) {
	case ALLOT_BY_PARTNER:
		return (size_t)o->partner;
	case ALLOT_BY_TIER:
		return (size_t)(c->plan[0]->orders[i].tier0 - 1);
	case ALLOT_BY_REGION:
		return (size_t)region_first[o->partner];
	default:
		return (size_t)o->system;
	}
}

static int group_label(const struct allot_scenario *s, enum allot_group_by by, size_t k,
		       struct allot_compare_group *g)
{
	char buf[32];
	switch (by) {
	case ALLOT_BY_PARTNER:
		g->key = mem_strdup(s->partners[k].iso3);
		g->label = mem_strdup(s->partners[k].name);
		break;
	case ALLOT_BY_TIER:
		snprintf(buf, sizeof buf, "%zu", k + 1);
		g->key = mem_strdup(buf);
		snprintf(buf, sizeof buf, "tier %zu", k + 1);
		g->label = mem_strdup(buf);
		break;
	case ALLOT_BY_REGION:
		g->key = mem_strdup(s->partners[k].region);
		g->label = mem_strdup(s->partners[k].region);
		break;
	default:
		g->key = mem_strdup(s->systems[k].system_id);
		g->label = mem_strdup(s->systems[k].name);
		break;
	}
	return g->key && g->label ? ALLOT_OK : ALLOT_ENOMEM;
}

static int build_groups(struct allot_compare *c, const struct allot_scenario *s,
			const int *region_first, enum allot_group_by by)
{
	size_t n = by == ALLOT_BY_PARTNER || by == ALLOT_BY_REGION ? s->n_partners
		   : by == ALLOT_BY_TIER                           ? s->policy.n_tier_thresholds + 1
								   : s->n_systems;
	struct allot_compare_group *g = mem_calloc(n ? n : 1, sizeof *g);
	if (!g)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < s->n_orders; i++)
		add_order(&g[group_of(s, c, region_first, by, i)], &c->orders[i],
			  s->systems[s->orders[i].system].unit_cost_usd);
	size_t kept = 0;
	int rc = ALLOT_OK;
	for (size_t k = 0; k < n; k++) {
		if (g[k].orders == 0 && g[k].by_year[0] == 0 && g[k].by_year[1] == 0 &&
		    g[k].cancelled[0] == 0 && g[k].cancelled[1] == 0)
			continue;
		g[kept] = g[k];
		if (kept != k)
			memset(&g[k], 0, sizeof g[k]);
		finish_group(&g[kept]);
		if ((rc = group_label(s, by, k, &g[kept])) != ALLOT_OK) {
			kept++;
			break;
		}
		kept++;
	}
	c->groups[by] = g;
	c->n_groups[by] = kept;
	if (rc != ALLOT_OK)
		return rc;
	qsort(g, kept, sizeof *g,
	      by == ALLOT_BY_TIER     ? cmp_tier
	      : by == ALLOT_BY_SYSTEM ? cmp_shift
				      : cmp_gain);
	return ALLOT_OK;
}

static int plan_both(struct allot_compare *c, const struct allot_scenario *sc[2],
		     const struct allot_compare_options *o)
{
	for (int k = 0; k < 2; k++) {
		struct allot_plan_options po;
		allot_plan_options_init(&po);
		po.policy = o->policy[k];
		po.switch_month = o->switch_month;
		int rc = allot_plan_run(sc[k], &po, &c->plan[k]);
		if (rc != ALLOT_OK)
			return rc;
	}
	c->switch_month = c->plan[1]->switch_month;
	return ALLOT_OK;
}

/* The figures of c, whose plans are made: orders, groups, all. */
static int compare_fill(struct allot_compare *c, const struct allot_scenario *s)
{
	int *region_first = mem_calloc(s->n_partners ? s->n_partners : 1, sizeof *region_first);
	c->orders = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *c->orders);
	if (!region_first || !c->orders) {
		mem_free(region_first);
		return ALLOT_ENOMEM;
	}
	fill_orders(c, s);
	for (size_t p = 0; p < s->n_partners; p++) {
		region_first[p] = (int)p;
		for (size_t q = 0; q < p; q++)
			if (strcmp(s->partners[q].region, s->partners[p].region) == 0) {
				region_first[p] = (int)q;
				break;
			}
	}
	int rc = ALLOT_OK;
	for (int by = 0; by < ALLOT_BY_COUNT && rc == ALLOT_OK; by++)
		rc = build_groups(c, s, region_first, (enum allot_group_by)by);
	for (size_t i = 0; i < s->n_orders; i++)
		add_order(&c->all, &c->orders[i], s->systems[s->orders[i].system].unit_cost_usd);
	finish_group(&c->all);
	mem_free(region_first);
	return rc;
}

int allot_compare_scenarios(const struct allot_scenario *before, const struct allot_scenario *after,
			    const struct allot_compare_options *o, struct allot_compare **out)
{
	*out = NULL;
	if (before->n_orders != after->n_orders)
		return ALLOT_EINPUT;
	const struct allot_scenario *sc[2] = { before, after };
	struct allot_compare *c = mem_calloc(1, sizeof *c);
	if (!c)
		return ALLOT_ENOMEM;
	c->policy[0] = o->policy[0];
	c->policy[1] = o->policy[1];
	c->year = o->year ? o->year : before->as_of / 12 + 3;
	int rc = plan_both(c, sc, o);
	if (rc == ALLOT_OK)
		rc = compare_fill(c, before);
	if (rc != ALLOT_OK) {
		allot_compare_free(c);
		return rc;
	}
	*out = c;
	return ALLOT_OK;
}

int allot_compare_plans(const struct allot_plan *before, const struct allot_plan *after, int year,
			struct allot_compare **out)
{
	*out = NULL;
	const struct allot_scenario *s = before->scenario;
	if (s->n_orders != after->scenario->n_orders)
		return ALLOT_EINPUT;
	struct allot_compare *c = mem_calloc(1, sizeof *c);
	if (!c)
		return ALLOT_ENOMEM;
	c->borrowed = 1; /* allot_compare_free leaves the plans */
	c->plan[0] = (struct allot_plan *)before;
	c->plan[1] = (struct allot_plan *)after;
	c->policy[0] = before->policy;
	c->policy[1] = after->policy;
	c->switch_month = after->switch_month;
	c->year = year ? year : s->as_of / 12 + 3;
	int rc = compare_fill(c, s);
	if (rc != ALLOT_OK) {
		allot_compare_free(c);
		return rc;
	}
	*out = c;
	return ALLOT_OK;
}

int allot_compare_run(const struct allot_scenario *s, const struct allot_compare_options *o,
		      struct allot_compare **out)
{
	return allot_compare_scenarios(s, s, o, out);
}

void allot_compare_free(struct allot_compare *c)
{
	if (!c)
		return;
	for (int by = 0; by < ALLOT_BY_COUNT; by++) {
		for (size_t k = 0; k < c->n_groups[by]; k++) {
			mem_free(c->groups[by][k].key);
			mem_free(c->groups[by][k].label);
		}
		mem_free(c->groups[by]);
	}
	mem_free(c->all.key);
	mem_free(c->all.label);
	mem_free(c->orders);
	if (!c->borrowed) {
		allot_plan_free(c->plan[0]);
		allot_plan_free(c->plan[1]);
	}
	mem_free(c);
}

/* --- one rendering: the columns of every face (issue 14) ------------------ */

int allot_compare_has_unknown_costs(const struct allot_compare *c)
{
	const struct allot_compare_group *g = &c->all;
	return g->value_usd[0].unknown_units || g->value_usd[1].unknown_units ||
	       g->cancelled_usd[0].unknown_units || g->cancelled_usd[1].unknown_units;
}

/* _a is policy[0] ("before"), _b policy[1]: the answer's `policies` says
 * which. */
const char *const allot_compare_columns[ALLOT_COMPARE_NCOL] = {
	"key",
	"name",
	"orders",
	"not_complete_a",
	"not_complete_b",
	"mean_wait_months_a",
	"mean_wait_months_b",
	"change_wait_months",
	"units_by_year_a",
	"units_by_year_b",
	"change_units",
	"earlier",
	"later",
	"mean_abs_shift_months",
	"usd_by_year_a",
	"usd_by_year_b",
	"change_usd",
	"vw_wait_months_a",
	"vw_wait_months_b",
	"change_vw_wait_months",
	"value_months",
	"cut",
	"restored",
	"cancelled_units_a",
	"cancelled_units_b",
	/* the units of unknown unit cost left out of usd_by_year_a / _b
	 * (docs/allocation.md, "Unknown unit costs") */
	"usd_by_year_a_unknown_cost_units",
	"usd_by_year_b_unknown_cost_units",
};

static struct allot_cell vwait_cell(double v, const char *none)
{
	if (isnan(v))
		return (struct allot_cell){ .kind = ALLOT_CELL_NULL, .s = none };
	return (struct allot_cell){ .kind = ALLOT_CELL_NUM, .v = v, .fmt = "%.4f" };
}

const char *allot_compare_nowait_word(const struct allot_compare_group *g)
{
	return g->orders ? ALLOT_SYM_UNKNOWN : ALLOT_SYM_NA;
}

void allot_compare_group_cells(const struct allot_compare_group *g,
			       struct allot_cell c[ALLOT_COMPARE_NCOL])
{
#define I(x) (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = (int64_t)(x) }
#define N(x, f)                                            \
	(struct allot_cell)                                \
	{                                                  \
		.kind = ALLOT_CELL_NUM, .v = (x), .fmt = f \
	}
	size_t k = 0;
	c[k++] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = g->key ? g->key : "all" };
	c[k++] = (struct allot_cell){ .kind = g->label ? ALLOT_CELL_STR : ALLOT_CELL_NULL,
				      .s = g->label };
	c[k++] = I(g->orders);
	c[k++] = I(g->censored[0]);
	c[k++] = I(g->censored[1]);
	c[k++] = N(g->mean_wait[0], "%.4f");
	c[k++] = N(g->mean_wait[1], "%.4f");
	c[k++] = N(g->delta_wait, "%.4f");
	c[k++] = I(g->by_year[0]);
	c[k++] = I(g->by_year[1]);
	c[k++] = I(g->delta_units);
	c[k++] = I(g->earlier);
	c[k++] = I(g->later);
	c[k++] = N(g->mean_abs_shift, "%.4f");
	/* a sum of units all of unknown cost is unknown, never 0 */
	c[k++] = allot_usd_sum_cell(&g->value_usd[0]);
	c[k++] = allot_usd_sum_cell(&g->value_usd[1]);
	c[k++] = allot_usd_cell(allot_usd_all_unknown(&g->value_usd[0]) &&
						allot_usd_all_unknown(&g->value_usd[1])
					? NAN
					: g->delta_value);
	const char *nowait = allot_compare_nowait_word(g); /* when NaN */
	c[k++] = vwait_cell(g->vwait[0], nowait);
	c[k++] = vwait_cell(g->vwait[1], nowait);
	c[k++] = vwait_cell(g->delta_vwait, nowait);
	c[k++] = N(g->value_months, "%.0f");
	c[k++] = I(g->cut);
	c[k++] = I(g->restored);
	c[k++] = I(g->cancelled[0]);
	c[k++] = I(g->cancelled[1]);
	c[k++] = I(g->value_usd[0].unknown_units);
	c[k++] = I(g->value_usd[1].unknown_units);
#undef I
#undef N
}

static json_t *group_json(const struct allot_compare_group *g)
{
	struct allot_cell c[ALLOT_COMPARE_NCOL];
	allot_compare_group_cells(g, c);
	return allot_cells_json(allot_compare_columns, c, ALLOT_COMPARE_NCOL);
}

json_t *allot_compare_json(const struct allot_scenario *s, const struct allot_compare *c, int by)
{
	json_t *j = json_pack("{s:s, s:[s,s], s:o, s:i, s:o}", "scenario", s->name, "policies",
			      allot_policy_kind_name(c->policy[0]),
			      allot_policy_kind_name(c->policy[1]), "switch_month",
			      allot_switch_month_json(c->switch_month), "year", c->year, "all",
			      group_json(&c->all));
	for (int g = 0; j && g < ALLOT_BY_COUNT; g++) {
		if (by >= 0 && g != by)
			continue;
		json_t *arr = json_array();
		for (size_t k = 0; arr && k < c->n_groups[g]; k++)
			json_array_append_new(arr, group_json(&c->groups[g][k]));
		char name[32];
		snprintf(name, sizeof name, "by_%s", allot_group_by_name((enum allot_group_by)g));
		json_object_set_new(j, name, arr ? arr : json_null());
	}
	return j;
}
