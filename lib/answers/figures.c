/*
 * figures.c - one description of each answer's figures, and the one JSON
 * shape built from it (issue 14, "one rendering per answer").
 *
 * A figure is a key, a title, a unit and where it lives in the answer's
 * struct.  The key is the figure's only name: `allot plan --json`, `allot
 * diff --json`/`--csv`, the server's API and the dashboard all read the
 * same key, and the text tables print the title beside the same value.
 * The JSON objects of plan statistics and of diff are built here once and
 * returned to the CLI and to the server alike (docs/api.md lists the keys
 * this unification renamed).
 */
#include <allot/allot.h>

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* A braced macro body: see cli/cli.h, CLI_OPT_FLAG. */
/* clang-format off */
#define FIG(key, title, unit, kind, type, field) \
	{ key, title, unit, kind, offsetof(type, field) }
/* clang-format on */

/* --- plan statistics (struct allot_plan_stats, allot_wait_stats) -------- */

static const struct allot_figure wait_figs[] = {
	FIG("orders", "orders", "orders", ALLOT_FIG_COUNT, struct allot_wait_stats, orders),
	FIG("mean_months", "mean", "months", ALLOT_FIG_MONTHS, struct allot_wait_stats, mean),
	FIG("p90_months", "p90", "months", ALLOT_FIG_MONTHS, struct allot_wait_stats, p90),
	FIG("not_complete", "not_complete", "orders", ALLOT_FIG_COUNT, struct allot_wait_stats,
	    censored),
};
const struct allot_figures allot_wait_figures = { wait_figs, sizeof wait_figs / sizeof *wait_figs };

static const struct allot_figure plan_figs[] = {
	FIG("produced_units", "units produced", "units", ALLOT_FIG_UNITS, struct allot_plan_stats,
	    produced),
	FIG("backlog_units", "backlog at the end", "units", ALLOT_FIG_UNITS,
	    struct allot_plan_stats, backlog_units),
	FIG("backlog_value_usd", "backlog value", "USD", ALLOT_FIG_USD_SUM, struct allot_plan_stats,
	    backlog_value),
	FIG("cancelled_units", "cancelled by budget caps", "units", ALLOT_FIG_UNITS,
	    struct allot_plan_stats, cancelled),
	FIG("blocked_units", "blocked by end-use monitoring", "units", ALLOT_FIG_UNITS,
	    struct allot_plan_stats, blocked),
	FIG("cap_unchecked_orders", "kept by a budget cap unchecked (unknown cost)", "orders",
	    ALLOT_FIG_COUNT, struct allot_plan_stats, cap_unchecked),
};
const struct allot_figures allot_plan_figures = { plan_figs, sizeof plan_figs / sizeof *plan_figs };

/* --- diff (struct allot_diff) -------------------------------------------- */

static const struct allot_figure stability_figs[] = {
	FIG("orders", "orders in the figures", "orders", ALLOT_FIG_COUNT, struct allot_diff,
	    counted),
	FIG("mean_abs_change_months", "mean absolute change", "months", ALLOT_FIG_MONTHS,
	    struct allot_diff, mean_abs_change),
	FIG("moved_over_6_months", "moved more than 6 months", "orders", ALLOT_FIG_COUNT,
	    struct allot_diff, moved_over_6),
	FIG("share_moved_over_6_months", "share moved more than 6 months", "share", ALLOT_FIG_SHARE,
	    struct allot_diff, share_over_6),
	FIG("earlier", "earlier in B", "orders", ALLOT_FIG_COUNT, struct allot_diff, earlier),
	FIG("later", "later in B", "orders", ALLOT_FIG_COUNT, struct allot_diff, later),
};
const struct allot_figures allot_diff_stability_figures = {
	stability_figs, sizeof stability_figs / sizeof *stability_figs
};

static const struct allot_figure count_figs[] = {
	FIG("complete_in_both", "complete in both", "orders", ALLOT_FIG_COUNT, struct allot_diff,
	    both_complete),
	FIG("complete_in_a_only", "complete in A only", "orders", ALLOT_FIG_COUNT,
	    struct allot_diff, only_a),
	FIG("complete_in_b_only", "complete in B only", "orders", ALLOT_FIG_COUNT,
	    struct allot_diff, only_b),
	FIG("complete_in_neither", "complete in neither", "orders", ALLOT_FIG_COUNT,
	    struct allot_diff, neither),
	FIG("only_in_a", "orders only in A", "orders", ALLOT_FIG_COUNT, struct allot_diff,
	    missing_in_b),
	FIG("only_in_b", "orders only in B", "orders", ALLOT_FIG_COUNT, struct allot_diff,
	    missing_in_a),
};
const struct allot_figures allot_diff_count_figures = { count_figs,
							sizeof count_figs / sizeof *count_figs };

static const struct allot_figure cut_figs[] = {
	FIG("orders", "cut by budget caps in B", "orders", ALLOT_FIG_COUNT, struct allot_diff, cut),
	FIG("restored", "restored in B", "orders", ALLOT_FIG_COUNT, struct allot_diff, restored),
	FIG("units", "units cancelled (B - A)", "units", ALLOT_FIG_UNITS, struct allot_diff,
	    cut_units),
};
const struct allot_figures allot_diff_cut_figures = { cut_figs,
						      sizeof cut_figs / sizeof *cut_figs };

const char *const allot_diff_columns[ALLOT_DIFF_NCOL] = {
	"order_id", "completion_a", "completion_b", "change_months",
	"counted",  "cancelled_a",  "cancelled_b",  "outcome",
};

const char *allot_diff_outcome(const struct allot_diff_row *row)
{
	if (row->cut)
		return row->cut > 0 ? "cut" : "restored";
	if (!row->counted)
		return "none";
	return row->delta < 0 ? "earlier" : row->delta > 0 ? "later" : "same";
}

/* --- reading and writing a figure ---------------------------------------- */

double allot_figure_value(const struct allot_figure *f, const void *rec)
{
	const char *p = (const char *)rec + f->offset;
	switch (f->kind) {
	case ALLOT_FIG_COUNT: {
		size_t v;
		memcpy(&v, p, sizeof v);
		return (double)v;
	}
	case ALLOT_FIG_UNITS: {
		int64_t v;
		memcpy(&v, p, sizeof v);
		return (double)v;
	}
	case ALLOT_FIG_USD_SUM: {
		struct allot_usd u;
		memcpy(&u, p, sizeof u);
		return allot_usd_all_unknown(&u) ? NAN : u.known;
	}
	case ALLOT_FIG_MONTHS:
	case ALLOT_FIG_SHARE:
	case ALLOT_FIG_USD:
		break;
	}
	double v;
	memcpy(&v, p, sizeof v);
	return v;
}

const char *allot_figure_text(const struct allot_figure *f, const void *rec,
			      char buf[ALLOT_STYLE_USD_SUM_MAX])
{
	double v = allot_figure_value(f, rec);
	if (f->kind == ALLOT_FIG_USD_SUM)
		return allot_style_usd_sum(
			(const struct allot_usd *)((const char *)rec + f->offset), buf);
	if (!isfinite(v)) {
		snprintf(buf, ALLOT_STYLE_USD_MAX, "%s", ALLOT_SYM_UNKNOWN);
		return buf;
	}
	switch (f->kind) {
	case ALLOT_FIG_COUNT:
	case ALLOT_FIG_UNITS:
		return allot_style_count((int64_t)v, buf);
	case ALLOT_FIG_MONTHS:
		snprintf(buf, ALLOT_STYLE_USD_MAX, "%.1f", v);
		return buf;
	case ALLOT_FIG_SHARE:
		snprintf(buf, ALLOT_STYLE_USD_MAX, "%.1f%%", 100 * v);
		return buf;
	case ALLOT_FIG_USD:
	case ALLOT_FIG_USD_SUM:
		break;
	}
	return allot_style_usd(v, buf);
}

static json_t *figure_json(const struct allot_figure *f, const void *rec)
{
	double v = allot_figure_value(f, rec);
	if (f->kind == ALLOT_FIG_COUNT || f->kind == ALLOT_FIG_UNITS)
		return json_integer((json_int_t)v);
	return isfinite(v) ? json_real(v) : json_null();
}

int allot_usd_put(json_t *obj, const char *key, const struct allot_usd *u)
{
	char k[96];
	int bad = json_object_set_new(obj, key,
				      allot_usd_all_unknown(u) ? json_null() : json_real(u->known));
	snprintf(k, sizeof k, "%s_unknown_cost_orders", key);
	bad |= json_object_set_new(obj, k, json_integer((json_int_t)u->unknown_orders));
	snprintf(k, sizeof k, "%s_unknown_cost_units", key);
	bad |= json_object_set_new(obj, k, json_integer((json_int_t)u->unknown_units));
	return bad ? ALLOT_ENOMEM : ALLOT_OK;
}

int allot_figures_put(json_t *obj, const struct allot_figures *g, const void *rec)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->f[i].kind == ALLOT_FIG_USD_SUM) {
			const void *u = (const char *)rec + g->f[i].offset;
			if (allot_usd_put(obj, g->f[i].key, u) != ALLOT_OK)
				return ALLOT_ENOMEM;
		} else if (json_object_set_new(obj, g->f[i].key, figure_json(&g->f[i], rec)) != 0)
			return ALLOT_ENOMEM;
	return ALLOT_OK;
}

json_t *allot_figures_json(const struct allot_figures *g, const void *rec)
{
	json_t *o = json_object();
	if (o && allot_figures_put(o, g, rec) != ALLOT_OK) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* --- typed cells ------------------------------------------------------------ */

const char *allot_cell_text(const struct allot_cell *c, char buf[64])
{
	switch (c->kind) {
	case ALLOT_CELL_STR:
		return c->s ? c->s : "";
	case ALLOT_CELL_INT:
	case ALLOT_CELL_BOOL:
		snprintf(buf, 64, "%lld", (long long)c->i);
		return buf;
	case ALLOT_CELL_NUM:
		if (!isfinite(c->v))
			break;
		if (c->fmt)
			snprintf(buf, 64, c->fmt, c->v);
		else
			allot_fmt_double(c->v, buf);
		return buf;
	case ALLOT_CELL_MONTH:
		return allot_month_format(c->m, buf);
	case ALLOT_CELL_NULL:
		break;
	}
	buf[0] = '\0';
	return buf;
}

const char *allot_cell_word(const struct allot_cell *c, char buf[64])
{
	if (c->kind == ALLOT_CELL_NULL && c->s)
		return c->s;
	return allot_cell_text(c, buf);
}

struct allot_cell allot_usd_cell(double v)
{
	if (isnan(v))
		return (struct allot_cell){ .kind = ALLOT_CELL_NULL, .s = ALLOT_SYM_UNKNOWN };
	return (struct allot_cell){ .kind = ALLOT_CELL_NUM, .v = v, .fmt = "%.0f" };
}

struct allot_cell allot_usd_sum_cell(const struct allot_usd *u)
{
	return allot_usd_cell(allot_usd_all_unknown(u) ? NAN : u->known);
}

static json_t *cell_json(const struct allot_cell *c)
{
	switch (c->kind) {
	case ALLOT_CELL_STR:
		return c->s ? json_string(c->s) : json_null();
	case ALLOT_CELL_INT:
		return json_integer((json_int_t)c->i);
	case ALLOT_CELL_BOOL:
		return json_boolean(c->i);
	case ALLOT_CELL_NUM:
		if (!isfinite(c->v))
			break;
		/* integral amounts stay integers, as the CSV writes them */
		if (c->v == floor(c->v) && fabs(c->v) < 9e15)
			return json_integer((json_int_t)c->v);
		return json_real(c->v);
	case ALLOT_CELL_MONTH:
		return allot_month_json(c->m);
	case ALLOT_CELL_NULL:
		break;
	}
	return json_null();
}

json_t *allot_cells_json(const char *const *keys, const struct allot_cell *c, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < n; i++)
		if (json_object_set_new(o, keys[i], cell_json(&c[i])) != 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

json_t *allot_columns_json(const struct allot_column *cols, const struct allot_cell *c, size_t n,
			   const int *keep)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < n; i++)
		if ((!keep || keep[i]) &&
		    json_object_set_new(o, cols[i].key, cell_json(&c[i])) != 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

/* --- whole answers --------------------------------------------------------- */

/* A json_t that may be NULL (out of memory) as a member: json_null(). */
static json_t *or_null(json_t *j)
{
	return j ? j : json_null();
}

void allot_json_rate_basis(json_t *obj, const struct allot_scenario *s, int system)
{
	if (!obj || system < 0 || (size_t)system >= s->n_systems)
		return;
	enum allot_rate_basis b = s->lines[s->systems[system].line].rate_basis;
	if (b != ALLOT_RATE_UNSTATED)
		json_object_set_new(obj, "rate_basis", json_string(allot_rate_basis_name(b)));
}

/* --- one order: its inputs and its plan result ---------------------------- */

const char *const allot_order_input_columns[ALLOT_ORDER_INPUT_NCOL] = {
	"order_id", "iso3",      "partner",   "system_id",  "system",       "line_id",
	"qty",      "delivered", "loa_month", "need_month", "partner_rank", "unit_cost_usd",
};
const char *const allot_order_result_columns[ALLOT_ORDER_RESULT_NCOL] = {
	"tier",    "produced",       "delivered_in_horizon", "units_short", "cancelled",
	"blocked", "first_delivery", "completion",           "months_late",
};

json_t *allot_order_input_json(const struct allot_scenario *s, size_t i)
{
	const struct allot_order *o = &s->orders[i];
	const struct allot_partner *p = &s->partners[o->partner];
	const struct allot_system *y = &s->systems[o->system];
	struct allot_cell c[ALLOT_ORDER_INPUT_NCOL] = {
		{ .kind = ALLOT_CELL_STR, .s = o->order_id },
		{ .kind = ALLOT_CELL_STR, .s = p->iso3 },
		{ .kind = ALLOT_CELL_STR, .s = p->name },
		{ .kind = ALLOT_CELL_STR, .s = y->system_id },
		{ .kind = ALLOT_CELL_STR, .s = y->name },
		{ .kind = ALLOT_CELL_STR, .s = s->lines[y->line].line_id },
		{ .kind = ALLOT_CELL_INT, .i = o->qty },
		{ .kind = ALLOT_CELL_INT, .i = o->delivered },
		{ .kind = ALLOT_CELL_MONTH, .m = o->loa_month },
		{ .kind = ALLOT_CELL_MONTH, .m = o->need_month },
		{ .kind = ALLOT_CELL_NULL }, /* partner_rank, below */
		{ .kind = ALLOT_CELL_NUM, .v = y->unit_cost_usd },
	};
	if (o->partner_rank >= 0)
		c[ALLOT_ORDER_INPUT_NCOL - 2] =
			(struct allot_cell){ .kind = ALLOT_CELL_INT, .i = o->partner_rank };
	json_t *j = allot_cells_json(allot_order_input_columns, c, ALLOT_ORDER_INPUT_NCOL);
	/* rate_basis only when the line states one (docs/api.md) */
	allot_json_rate_basis(j, s, o->system);
	/* the order's own constraints only when it states them (orders.csv) */
	if (j && o->max_per_month > 0)
		json_object_set_new(j, "max_per_month", json_integer(o->max_per_month));
	if (j && o->not_before != ALLOT_NO_MONTH)
		json_object_set_new(j, "not_before", allot_month_json(o->not_before));
	/* what loa_month and unit_cost_usd rest on, only when stated (an
	 * unstated basis is not "month known" nor "cited": left out) */
	if (j && o->loa_basis != ALLOT_LOA_UNSTATED)
		json_object_set_new(
			j, "loa_basis",
			json_string(allot_loa_basis_name((enum allot_loa_basis)o->loa_basis)));
	if (j && y->unit_cost_basis != ALLOT_RATE_UNSTATED)
		json_object_set_new(j, "unit_cost_basis",
				    json_string(allot_rate_basis_name(
					    (enum allot_rate_basis)y->unit_cost_basis)));
	return j;
}

json_t *allot_order_result_json(const struct allot_plan *p, size_t i)
{
	const struct allot_order_result *r = &p->orders[i];
	int late = allot_plan_months_late(p, i);
	struct allot_cell c[ALLOT_ORDER_RESULT_NCOL] = {
		{ .kind = ALLOT_CELL_INT, .i = r->tier0 },
		{ .kind = ALLOT_CELL_INT, .i = r->produced },
		{ .kind = ALLOT_CELL_INT, .i = r->delivered_in_h },
		{ .kind = ALLOT_CELL_INT, .i = r->short_units },
		{ .kind = ALLOT_CELL_INT, .i = r->cancelled },
		{ .kind = ALLOT_CELL_INT, .i = r->blocked },
		{ .kind = ALLOT_CELL_MONTH, .m = r->first_delivery },
		{ .kind = ALLOT_CELL_MONTH, .m = r->completion },
		{ .kind = ALLOT_CELL_NULL }, /* months_late, below */
	};
	if (late >= 0)
		c[ALLOT_ORDER_RESULT_NCOL - 1] =
			(struct allot_cell){ .kind = ALLOT_CELL_INT, .i = late };
	return allot_cells_json(allot_order_result_columns, c, ALLOT_ORDER_RESULT_NCOL);
}

json_t *allot_answer_head(const struct allot_plan *p)
{
	return json_pack("{s:s, s:s, s:o}", "scenario", p->scenario->name, "policy",
			 allot_policy_kind_name(p->policy), "switch_month",
			 allot_switch_month_json(p->switch_month));
}

json_t *allot_plan_stats_json(const struct allot_plan *p, const struct allot_plan_stats *st)
{
	json_t *years = json_array(), *tiers = json_array();
	for (int y = 0; years && y < st->n_years; y++) {
		json_t *yo = json_pack("{s:i, s:I}", "year", st->first_year + y, "units",
				       (json_int_t)st->delivered_by_year[y]);
		if (yo)
			allot_usd_put(yo, "value_usd", &st->value_by_year[y]);
		json_array_append_new(years, yo);
	}
	for (size_t k = 0; tiers && k < st->n_tiers; k++) {
		json_t *w = json_pack("{s:I}", "tier", (json_int_t)k + 1);
		if (w)
			allot_figures_put(w, &allot_wait_figures, &st->by_tier[k]);
		json_array_append_new(tiers, or_null(w));
	}
	json_t *j = json_pack("{s:s, s:o}", "policy", allot_policy_kind_name(p->policy),
			      "switch_month", allot_switch_month_json(p->switch_month));
	if (!j || allot_figures_put(j, &allot_plan_figures, st) != ALLOT_OK) {
		json_decref(j);
		json_decref(years);
		json_decref(tiers);
		return NULL;
	}
	json_object_set_new(j, "delivered_by_year", or_null(years));
	json_object_set_new(j, "wait_all",
			    or_null(allot_figures_json(&allot_wait_figures, &st->all)));
	json_object_set_new(j, "wait_by_tier", or_null(tiers));
	return j;
}

json_t *allot_diff_row_json(const struct allot_diff_row *row)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:b, s:I, s:I, s:s}", allot_diff_columns[0],
			 row->order_id, allot_diff_columns[1], allot_month_json(row->a),
			 allot_diff_columns[2], allot_month_json(row->b), allot_diff_columns[3],
			 row->counted ? json_integer(row->delta) : json_null(),
			 allot_diff_columns[4], row->counted, allot_diff_columns[5],
			 (json_int_t)row->cancelled_a, allot_diff_columns[6],
			 (json_int_t)row->cancelled_b, allot_diff_columns[7],
			 allot_diff_outcome(row));
}

json_t *allot_diff_json(const char *label_a, const char *label_b, const struct allot_diff *df,
			json_t *rows)
{
	json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "a", label_a, "b", label_b, "end",
			      allot_month_json(df->end), "stability",
			      or_null(allot_figures_json(&allot_diff_stability_figures, df)),
			      "counts", or_null(allot_figures_json(&allot_diff_count_figures, df)),
			      "cut", or_null(allot_figures_json(&allot_diff_cut_figures, df)));
	if (j && rows)
		json_object_set_new(j, "orders", rows);
	else
		json_decref(rows);
	return j;
}
