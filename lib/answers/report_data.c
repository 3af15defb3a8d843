/*
 * report_data.c - the data behind the report's charts, as one JSON object
 * that report_html.c writes inline and web/src/report.js draws from:
 *
 *   meta         scenario, as_of, horizon, policy, switch
 *   leaderboard  partners best first with each criterion's points
 *   timelines    per system (largest open value first) and per order:
 *                start (later of as_of and LOA), first delivery and
 *                completion as month numbers (year * 12 + month - 1);
 *                null when outside the horizon
 *   backlog      units not yet delivered at each month end, per policy
 *                and tier
 *   compare      mean wait per tier and region under both policies
 *   metrics      per quarter: LOA value, value delivered, backlog value
 *                (known unit costs), and the units of unknown cost each
 *                leaves out (*_unknown_cost_units: a lower bound when > 0)
 *   minerals     months of cover per mineral and case (null: the horizon)
 *   reserve      the reserve section's charts: cover per mineral before and
 *                after the purchase (the window: does not bind in it), kg
 *                bought, units by tier without and with; null: skipped
 *   partner      one partner's deliveries per month under both policies
 *                (cumulative units; units after the horizon apart)
 *   style        the one visual language (lib/style.c): colours, symbols
 *   tables       every table of report_tables.c
 *
 * jansson writes it with "/" escaped, so no "</script" can appear in it.
 */
#include <allot/allot.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "answers/report_int.h"
#include "util/mem.h"

static json_t *meta(const struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	return json_pack("{s:s, s:o, s:o, s:i, s:s, s:o, s:i}", "scenario", s->name, "as_of",
			 allot_month_json(s->as_of), "end",
			 allot_month_json(s->as_of + s->horizon_months - 1), "horizon",
			 s->horizon_months, "policy", allot_policy_kind_name(r->o.policy), "switch",
			 allot_switch_month_json(r->plan[REPORT_PRIORITY]->switch_month), "tiers",
			 (int)(s->policy.n_tier_thresholds + 1));
}

static json_t *leaderboard(const struct allot_report *r, const int *order)
{
	const struct allot_scenario *s = r->s;
	json_t *crit = json_array(), *rows = json_array();
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		json_array_append_new(crit,
				      json_string(allot_criterion_name((enum allot_criterion)k)));
	for (size_t i = 0; i < s->n_partners; i++) {
		const struct allot_partner *p = &s->partners[order[i]];
		const struct allot_score *sc = &r->shown->score0[order[i]];
		json_t *c = json_array();
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
			json_array_append_new(c, json_real(sc->contrib[k]));
		json_array_append_new(rows,
				      json_pack("{s:s, s:s, s:i, s:f, s:o, s:f}", "iso3", p->iso3,
						"name", p->name, "tier", sc->tier, "score",
						sc->score, "contrib", c, "penalty", sc->penalty));
	}
	return json_pack("{s:o, s:o}", "criteria", crit, "rows", rows);
}

/* Per system: its open orders and their span. */
struct sys_span {
	int system;
	double value;
	int64_t units;
	allot_month start, first, done;
	int censored, any_first;
	size_t n;
};

static int by_value(const void *a, const void *b)
{
	const struct sys_span *x = a, *y = b;
	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	return x->system - y->system;
}

static json_t *order_json(const struct allot_report *r, size_t i, int64_t open)
{
	const struct allot_scenario *s = r->s;
	const struct allot_order *o = &s->orders[i];
	const struct allot_order_result *res = &r->shown->orders[i];
	allot_month start = o->loa_month > s->as_of ? o->loa_month : s->as_of;
	return json_pack("{s:s, s:s, s:s, s:i, s:I, s:o, s:o, s:o}", "id", o->order_id, "iso3",
			 s->partners[o->partner].iso3, "name", s->partners[o->partner].name, "tier",
			 res->tier0, "units", (json_int_t)open, "start",
			 allot_month_index_json(start), "first",
			 allot_month_index_json(res->first_delivery), "done",
			 allot_month_index_json(res->completion));
}

static json_t *timelines(const struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	struct sys_span *v = mem_calloc(s->n_systems ? s->n_systems : 1, sizeof *v);
	json_t *systems = json_array();
	if (!v)
		return NULL;
	for (size_t y = 0; y < s->n_systems; y++) {
		v[y].system = (int)y;
		v[y].start = v[y].first = v[y].done = ALLOT_NO_MONTH;
	}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_order_result *res = &r->shown->orders[i];
		int64_t open = o->qty - o->delivered - res->cancelled;
		if (open <= 0)
			continue;
		struct sys_span *sp = &v[o->system];
		allot_month start = o->loa_month > s->as_of ? o->loa_month : s->as_of;
		sp->n++;
		sp->units += open;
		sp->value += (double)open * s->systems[o->system].unit_cost_usd;
		if (sp->start == ALLOT_NO_MONTH || start < sp->start)
			sp->start = start;
		if (res->first_delivery != ALLOT_NO_MONTH &&
		    (sp->first == ALLOT_NO_MONTH || res->first_delivery < sp->first))
			sp->first = res->first_delivery;
		if (res->completion == ALLOT_NO_MONTH)
			sp->censored = 1;
		else if (sp->done == ALLOT_NO_MONTH || res->completion > sp->done)
			sp->done = res->completion;
	}
	/* Orders grouped by system (a counting sort keeps file order). */
	size_t *start = mem_calloc(s->n_systems + 1, sizeof *start);
	size_t *by_sys = mem_calloc(s->n_orders ? s->n_orders : 1, sizeof *by_sys);
	if (!start || !by_sys) {
		mem_free(start);
		mem_free(by_sys);
		mem_free(v);
		json_decref(systems);
		return NULL;
	}
	for (size_t i = 0; i < s->n_orders; i++)
		start[s->orders[i].system + 1]++;
	for (size_t y = 0; y < s->n_systems; y++)
		start[y + 1] += start[y];
	for (size_t i = 0; i < s->n_orders; i++)
		by_sys[start[s->orders[i].system]++] = i;
	for (size_t y = s->n_systems; y > 0; y--)
		start[y] = start[y - 1];
	start[0] = 0;
	qsort(v, s->n_systems, sizeof *v, by_value);
	for (size_t k = 0; k < s->n_systems && v[k].n; k++) {
		const struct allot_system *y = &s->systems[v[k].system];
		json_t *orders = json_array();
		for (size_t j = start[v[k].system]; j < start[v[k].system + 1]; j++) {
			size_t i = by_sys[j];
			const struct allot_order *o = &s->orders[i];
			int64_t open = o->qty - o->delivered - r->shown->orders[i].cancelled;
			if (open > 0)
				json_array_append_new(orders, order_json(r, i, open));
		}
		json_array_append_new(
			systems,
			json_pack(
				"{s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:o}", "id", y->system_id,
				"name", y->name, "open_units", (json_int_t)v[k].units,
				/* one system, one unit cost: known, or null (unknown) */
				"open_value",
				allot_cost_known(v[k].value) ? json_real(v[k].value) : json_null(),
				"start", allot_month_index_json(v[k].start), "first",
				allot_month_index_json(v[k].first), "done",
				allot_month_index_json(v[k].censored ? ALLOT_NO_MONTH : v[k].done),
				"orders", orders));
	}
	mem_free(start);
	mem_free(by_sys);
	mem_free(v);
	return json_pack("{s:s, s:o, s:o, s:o}", "policy", allot_policy_kind_name(r->o.policy),
			 "first", allot_month_index_json(s->as_of), "end",
			 allot_month_index_json(s->as_of + s->horizon_months), "systems", systems);
}

static json_t *backlog(const struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	int H = s->horizon_months;
	json_t *months = json_array(), *series = json_array();
	for (int m = 0; m < H; m++)
		json_array_append_new(months, allot_month_index_json(s->as_of + (allot_month)m));
	for (int k = 0; k < 2; k++)
		for (size_t t = 0; t < r->stats[k].n_tiers; t++) {
			json_t *u = json_array();
			for (int m = 0; m < H; m++)
				json_array_append_new(
					u, json_integer(
						   r->stats[k].backlog_by_tier_month[t * (size_t)H +
										     (size_t)m]));
			json_array_append_new(series, json_pack("{s:s, s:i, s:o}", "policy",
								k ? "priority" : "fcfs", "tier",
								(int)t + 1, "units", u));
		}
	return json_pack("{s:o, s:o}", "months", months, "series", series);
}

static json_t *compare(const struct allot_report *r)
{
	const struct allot_compare *c = r->cmp;
	json_t *groups = json_array();
	static const enum allot_group_by by[] = { ALLOT_BY_TIER, ALLOT_BY_REGION };
	for (size_t b = 0; b < 2; b++)
		for (size_t k = 0; k < c->n_groups[by[b]]; k++) {
			const struct allot_compare_group *g = &c->groups[by[b]][k];
			json_array_append_new(groups, json_pack("{s:s, s:s, s:I, s:[f,f]}", "by",
								allot_group_by_name(by[b]), "label",
								g->label, "orders",
								(json_int_t)g->orders, "mean_wait",
								g->mean_wait[0], g->mean_wait[1]));
		}
	return json_pack("{s:[s,s], s:o}", "policies", allot_policy_kind_name(c->policy[0]),
			 allot_policy_kind_name(c->policy[1]), "groups", groups);
}

static json_t *metrics(const struct allot_report *r)
{
	const struct allot_metrics *m = r->metrics;
	json_t *q = json_array(), *loa = json_array(), *del = json_array(), *bl = json_array();
	/* the units of unknown unit cost each USD figure leaves out: the chart
	 * marks the figure a lower bound (docs/allocation.md) */
	json_t *uloa = json_array(), *udel = json_array(), *ubl = json_array();
	size_t W = m->n_tiers + 1;
	for (size_t i = 0; i < m->n_quarters; i++) {
		const struct allot_quarter_metrics *x = &m->rows[i * W];
		char qb[8];
		int dated = x->coverage != ALLOT_COVER_NONE;
		allot_quarter_format(x->quarter, qb);
		json_array_append_new(q, json_string(qb));
		json_array_append_new(loa, json_real(x->loa_value_usd / 1e9));
		json_array_append_new(del, dated ? json_real(x->value_delivered_usd / 1e9)
						 : json_null());
		json_array_append_new(bl, x->backlog_known ? json_real(x->backlog_value_usd / 1e9)
							   : json_null());
		json_array_append_new(uloa, json_integer(x->loa_unknown_cost_units));
		json_array_append_new(udel, dated ? json_integer(x->delivered_unknown_cost_units)
						  : json_null());
		json_array_append_new(ubl, x->backlog_known
						   ? json_integer(x->backlog_unknown_cost_units)
						   : json_null());
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "quarters", q, "loa_value", loa,
			 "value_delivered", del, "backlog_value", bl, "loa_unknown_cost_units",
			 uloa, "value_delivered_unknown_cost_units", udel,
			 "backlog_unknown_cost_units", ubl);
}

static json_t *minerals(const struct allot_report *r)
{
	const struct allot_minerals *m = r->minerals;
	json_t *cases = json_array(), *rows = json_array();
	for (size_t c = 0; c < m->n_cases; c++) {
		char label[128];
		report_case_label(r, c, label);
		json_array_append_new(cases, json_string(label));
	}
	for (size_t i = 0; i < m->n; i++) {
		json_t *cov = json_array();
		for (size_t c = 0; c < m->n_cases; c++)
			json_array_append_new(cov, m->m[i].cover[c] < 0
							   ? json_null()
							   : json_integer(m->m[i].cover[c]));
		const struct allot_mineral *mn = &r->s->minerals[m->m[i].mineral];
		json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "id", mn->mineral_id,
						      "name", mn->name, "cover", cov));
	}
	return json_pack("{s:i, s:o, s:o}", "horizon", r->s->horizon_months, "cases", cases, "rows",
			 rows);
}

/* null when the section is skipped. */
static json_t *reserve(const struct allot_report *r)
{
	const struct allot_reserve *v = r->reserve;
	if (!v)
		return json_null();
	const struct allot_reserve_outcome *b = allot_reserve_best(v);
	json_t *ids = json_array(), *before = json_array(), *after = json_array(),
	       *kg = json_array(), *tiers = json_array(), *u0 = json_array(), *u1 = json_array();
	for (size_t m = 0; m < v->n_minerals; m++) {
		json_array_append_new(ids, json_string(r->s->minerals[m].mineral_id));
		json_array_append_new(before, json_integer(report_reserve_cover(r, &v->base, m)));
		json_array_append_new(after, json_integer(report_reserve_cover(r, b, m)));
		json_array_append_new(kg, json_real((double)b->buy_g[m] / 1000.0));
	}
	for (size_t k = 0; k < v->n_tiers; k++) {
		json_array_append_new(tiers, json_integer((json_int_t)k + 1));
		json_array_append_new(u0, json_real(report_reserve_units(r, &v->base, k)));
		json_array_append_new(u1, json_real(report_reserve_units(r, b, k)));
	}
	json_t *j = json_pack("{s:i, s:o, s:o, s:f, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			      "window", v->window, "first", allot_month_json(r->s->as_of), "last",
			      allot_month_json(r->s->as_of + v->window - 1), "budget_usd",
			      v->budget_usd, "cost_usd", b->cost_usd, "minerals", ids,
			      "cover_before", before, "cover_after", after, "kg", kg, "tiers",
			      tiers, "units_without", u0, "units_with", u1);
	/* The economy's scale: the same object as allot reserve --json and the
	 * API (allot_xreserve_json), without the times. */
	if (j && r->xreserve)
		json_object_set_new(j, "economy",
				    allot_xreserve_json(r->xreserve, r->o.reserve_methods, 0));
	return j;
}

/* The partner the report follows: the option, else POL, else the partner
 * with the most units still to deliver. */
int report_partner(const struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	if (r->o.partner >= 0 && (size_t)r->o.partner < s->n_partners)
		return r->o.partner;
	int pol = allot_scenario_find_partner(s, "POL");
	if (pol >= 0)
		return pol;
	int best = -1;
	int64_t most = -1;
	for (size_t i = 0; i < s->n_partners; i++) {
		int64_t u = 0;
		for (size_t k = 0; k < s->n_orders; k++)
			if (s->orders[k].partner == (int)i)
				u += s->orders[k].qty - s->orders[k].delivered;
		if (u > most) {
			most = u;
			best = (int)i;
		}
	}
	return best;
}

/* Cumulative deliveries of the followed partner under each policy. */
static json_t *partner(const struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	int who = report_partner(r);
	int H = s->horizon_months;
	if (who < 0 || H <= 0)
		return json_null();
	int64_t *v = mem_calloc((size_t)H, sizeof *v);
	json_t *months = json_array(), *series = json_array();
	if (!v || !months || !series) {
		mem_free(v);
		json_decref(months);
		json_decref(series);
		return NULL;
	}
	for (int m = 0; m < H; m++)
		json_array_append_new(months, allot_month_index_json(s->as_of + (allot_month)m));
	int64_t open = 0;
	for (size_t k = 0; k < s->n_orders; k++)
		if (s->orders[k].partner == who)
			open += s->orders[k].qty - s->orders[k].delivered;
	for (int k = 0; k < 2; k++) {
		int64_t after = 0, sum = 0;
		allot_partner_deliveries(r->plan[k], who, v, &after);
		json_t *cum = json_array();
		for (int m = 0; m < H; m++) {
			sum += v[m];
			json_array_append_new(cum, json_integer(sum));
		}
		json_array_append_new(series, json_pack("{s:s, s:o, s:I, s:I}", "policy",
							k ? "priority" : "fcfs", "units", cum,
							"in_horizon", (json_int_t)sum,
							"after_horizon", (json_int_t)after));
	}
	mem_free(v);
	const struct allot_partner *p = &s->partners[who];
	return json_pack("{s:s, s:s, s:I, s:o, s:o}", "iso3", p->iso3, "name", p->name,
			 "open_units", (json_int_t)open, "months", months, "series", series);
}

static json_t *style(void)
{
	char *text = allot_style_json();
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return j;
}

static json_t *table_json(const struct rtable *t)
{
	json_t *cols = json_array(), *num = json_array(), *rows = json_array();
	for (int c = 0; c < t->ncols; c++) {
		json_array_append_new(cols, json_string(t->cols[c]));
		json_array_append_new(num, json_boolean(t->numeric[c]));
	}
	for (size_t i = 0; i < rtable_rows(t); i++) {
		json_t *row = json_array();
		for (int c = 0; c < t->ncols; c++) {
			const struct rcell *x = rtable_cell(t, i, c);
			json_array_append_new(row, x->kind == RCELL_STR   ? json_string(x->s)
						   : x->kind == RCELL_NUM ? json_real(x->v)
									  : json_null());
		}
		json_array_append_new(rows, row);
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:s?}", "id", t->id, "title", t->title,
			 "columns", cols, "numeric", num, "rows", rows, "blank", t->blank);
}

/* The storylines' charts: per storyline the partners whose USD delivered
 * by the year changes most, without and with the changes. */
static json_t *storylines(const struct allot_report *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->n_stories; i++) {
		const struct report_story *st = &r->stories[i];
		json_t *labels = json_array(), *w0 = json_array(), *w1 = json_array();
		json_t *u0 = json_array(), *u1 = json_array(); /* unknown-cost units */
		for (size_t b = 0; b < st->n_bars; b++) {
			json_array_append_new(labels, json_string(st->labels[b]));
			json_array_append_new(w0, json_real(st->bar[0][b]));
			json_array_append_new(w1, json_real(st->bar[1][b]));
			json_array_append_new(u0, json_integer(st->bar_unknown[0][b]));
			json_array_append_new(u1, json_integer(st->bar_unknown[1][b]));
		}
		json_array_append_new(
			arr, json_pack("{s:s, s:b, s:i, s:s, s:o, s:o, s:o, s:o, s:o}", "name",
				       st->name, "ok", st->ok, "year", st->year, "bars",
				       st->concerned ? "concerned" : "changed", "labels", labels,
				       "without", w0, "with", w1, "without_unknown_cost_units", u0,
				       "with_unknown_cost_units", u1));
	}
	return arr;
}

char *report_data_json(const struct allot_report *r)
{
	int *order = report_rank_partners(r);
	json_t *tables = json_array(), *findings = json_array();
	for (size_t i = 0; i < r->n_tables; i++)
		json_array_append_new(tables, table_json(&r->tables[i]));
	for (size_t i = 0; i < r->n_findings; i++)
		json_array_append_new(findings, json_string(r->findings[i]));
	json_t *root = order ? json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
					 "s:o, s:o}",
					 "meta", meta(r), "findings", findings, "leaderboard",
					 leaderboard(r, order), "timelines", timelines(r),
					 "backlog", backlog(r), "compare", compare(r), "metrics",
					 metrics(r), "minerals", minerals(r), "reserve", reserve(r),
					 "partner", partner(r), "style", style(), "tables", tables)
			     : NULL;
	if (root && r->o.storylines_dir)
		json_object_set_new(root, "storylines", storylines(r));
	int had_order = order != NULL;
	mem_free(order);
	if (!root) {
		if (!had_order) {
			json_decref(tables);
			json_decref(findings);
		}
		return NULL;
	}
	char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ESCAPE_SLASH |
					      JSON_REAL_PRECISION(10));
	json_decref(root);
	if (!text)
		return NULL;
	char *out = mem_strdup(text);
	free(text);
	return out;
}
