/*
 * report_tables.c - the tables of a report, the same in the HTML page
 * (under each chart) and in the workbook (one sheet each): findings,
 * leaderboard, orders (the timelines), backlog by tier, compare, metrics,
 * minerals, risk, opportunities, and last the reserve's (report_reserve.c;
 * one sheet).  Column meanings are in docs/report.md.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>

#include "answers/report_int.h"
#include "util/mem.h"

enum {
	T_FINDINGS,
	T_LEADERBOARD,
	T_ORDERS,
	T_BACKLOG,
	T_COMPARE,
	T_METRICS,
	T_MINERALS,
	T_RISK,
	T_OPPS,
	T_PARTNER,
	T_COUNT
};

/* "estimated line rate", "cited", "off line" (not supplied new: no line's
 * rate) or "" for an order. */
static const char *report_rate_word(const struct allot_scenario *s, const struct allot_order *o)
{
	return *allot_order_rate_mark(s, o) ? "estimated line rate" : allot_order_rate_word(s, o);
}

static int t_findings(const struct allot_report *r, struct rtable *t)
{
	static const char *const cols[] = { "finding" };
	int rc = rtable_init(t, "findings", "Headline findings", 1, cols, NULL);
	for (size_t i = 0; rc == ALLOT_OK && i < r->n_findings; i++)
		rtable_str(t, r->findings[i]);
	return rc;
}

/* Partners best first, as `allot score` ranks them (month-0 scores). */
static int t_leaderboard(const struct allot_report *r, const int *order, struct rtable *t)
{
	const char *cols[7 + ALLOT_CRIT_COUNT];
	int num[7 + ALLOT_CRIT_COUNT] = { 1, 0, 0, 0, 1, 1 };
	int nc = 0;
	cols[nc++] = "rank";
	cols[nc++] = "iso3";
	cols[nc++] = "name";
	cols[nc++] = "region";
	cols[nc++] = "tier";
	cols[nc++] = "score";
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++) {
		num[nc] = 1;
		cols[nc++] = allot_criterion_name((enum allot_criterion)k);
	}
	num[nc] = 1;
	cols[nc++] = "penalty";
	int rc = rtable_init(t, "leaderboard", "Partner leaderboard", nc, cols, num);
	const struct allot_scenario *s = r->s;
	for (size_t i = 0; rc == ALLOT_OK && i < s->n_partners; i++) {
		const struct allot_partner *p = &s->partners[order[i]];
		const struct allot_score *sc = &r->shown->score0[order[i]];
		rtable_int(t, (int64_t)i + 1);
		rtable_str(t, p->iso3);
		rtable_str(t, p->name);
		rtable_str(t, p->region);
		rtable_int(t, sc->tier);
		rtable_num(t, sc->score);
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
			rtable_num(t, sc->contrib[k]);
		rtable_num(t, -sc->penalty);
	}
	return rc;
}

static void rtable_cells(struct rtable *t, const struct allot_cell *c, size_t n);

/* Every order with units left at as_of: the order book under both
 * policies (allot_orderbook_build on the report's two plans), its columns
 * as in allot orders --csv. */
static int t_orders(const struct allot_report *r, struct rtable *t)
{
	struct allot_order_filter f = { .open = 1 };
	struct allot_orderbook *b = NULL;
	int rc = allot_orderbook_build(r->plan[REPORT_FCFS], r->plan[REPORT_PRIORITY], &f, &b);
	const char *cols[ALLOT_ORDERBOOK_NCOL];
	int num[ALLOT_ORDERBOOK_NCOL], has[ALLOT_ORDERBOOK_NCOL] = { 0 }, nc = 0;
	for (size_t k = 0; rc == ALLOT_OK && k < ALLOT_ORDERBOOK_NCOL; k++) {
		const struct allot_column *c = &allot_orderbook_columns[k];
		if (!(has[k] = allot_orderbook_has(b, k)))
			continue;
		cols[nc] = c->key;
		num[nc++] = c->kind == ALLOT_CELL_INT || c->kind == ALLOT_CELL_NUM;
	}
	if (rc == ALLOT_OK)
		rc = rtable_init(t, "orders", "Orders: delivery timelines under both policies", nc,
				 cols, num);
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	for (size_t i = 0; rc == ALLOT_OK && i < b->n_rows; i++) {
		allot_orderbook_cells(b, &b->rows[i], c);
		for (size_t k = 0; k < ALLOT_ORDERBOOK_NCOL; k++)
			if (has[k])
				rtable_cells(t, &c[k], 1);
	}
	allot_orderbook_free(b);
	return rc;
}

/* The followed partner's deliveries per year under both policies, and the
 * units that arrive only after the horizon (report_partner). */
static int t_partner(const struct allot_report *r, struct rtable *t)
{
	static const char *const cols[] = { "year", "units_fcfs", "units_priority",
					    "cumulative_fcfs", "cumulative_priority" };
	static const int num[] = { 0, 1, 1, 1, 1 };
	const struct allot_scenario *s = r->s;
	int who = report_partner(r);
	char title[160];
	snprintf(title, sizeof title, "Deliveries to %s (%s) under each policy",
		 who >= 0 ? s->partners[who].name : "-", who >= 0 ? s->partners[who].iso3 : "-");
	int rc = rtable_init(t, "partner", title, 5, cols, num);
	int H = s->horizon_months;
	if (rc != ALLOT_OK || who < 0 || H <= 0)
		return rc;
	int64_t *v[2] = { mem_calloc((size_t)H, sizeof(int64_t)),
			  mem_calloc((size_t)H, sizeof(int64_t)) };
	int64_t after[2] = { 0, 0 }, cum[2] = { 0, 0 };
	if (!v[0] || !v[1]) {
		mem_free(v[0]);
		mem_free(v[1]);
		return ALLOT_ENOMEM;
	}
	for (int k = 0; k < 2; k++)
		allot_partner_deliveries(r->plan[k], who, v[k], &after[k]);
	int y0 = (int)(s->as_of / 12), y1 = (int)((s->as_of + H - 1) / 12);
	for (int y = y0; y <= y1; y++) {
		int64_t u[2] = { 0, 0 };
		for (int m = 0; m < H; m++)
			if ((s->as_of + m) / 12 == y)
				for (int k = 0; k < 2; k++)
					u[k] += v[k][m];
		char yb[16];
		snprintf(yb, sizeof yb, "%d", y);
		rtable_str(t, yb);
		for (int k = 0; k < 2; k++)
			rtable_int(t, u[k]);
		for (int k = 0; k < 2; k++)
			rtable_int(t, cum[k] += u[k]);
	}
	rtable_str(t, "after the horizon");
	for (int k = 0; k < 2; k++)
		rtable_int(t, after[k]);
	for (int k = 0; k < 2; k++)
		rtable_int(t, cum[k] + after[k]);
	mem_free(v[0]);
	mem_free(v[1]);
	return rc;
}

static int t_backlog(const struct allot_report *r, struct rtable *t)
{
	size_t T = r->stats[0].n_tiers, nc = 1 + 2 * T;
	const char **cols = mem_calloc(nc, sizeof *cols);
	int *num = mem_calloc(nc, sizeof *num);
	char(*names)[48] = mem_calloc(nc, sizeof *names);
	int rc = ALLOT_ENOMEM;
	if (!cols || !num || !names)
		goto done;
	cols[0] = "month";
	for (size_t k = 0; k < 2; k++)
		for (size_t j = 0; j < T; j++) {
			size_t c = 1 + k * T + j;
			snprintf(names[c], sizeof names[c], "%s_tier%zu", k ? "priority" : "fcfs",
				 j + 1);
			cols[c] = names[c];
			num[c] = 1;
		}
	rc = rtable_init(t, "backlog", "Backlog by tier (units not yet delivered at month end)",
			 (int)nc, cols, num);
	int H = r->s->horizon_months;
	for (int m = 0; rc == ALLOT_OK && m < H; m++) {
		rtable_month(t, r->s->as_of + m);
		for (size_t k = 0; k < 2; k++)
			for (size_t j = 0; j < T; j++)
				rtable_int(t, r->stats[k].backlog_by_tier_month[j * (size_t)H +
										(size_t)m]);
	}
done:
	mem_free(cols);
	mem_free(num);
	mem_free(names);
	return rc;
}

static void rtable_cells(struct rtable *t, const struct allot_cell *c, size_t n)
{
	for (size_t k = 0; k < n; k++)
		switch (c[k].kind) {
		case ALLOT_CELL_STR:
			rtable_str(t, c[k].s ? c[k].s : "");
			break;
		case ALLOT_CELL_INT:
		case ALLOT_CELL_BOOL:
			rtable_int(t, c[k].i);
			break;
		case ALLOT_CELL_NUM: /* NaN: nothing to show, an empty cell */
			if (isfinite(c[k].v))
				rtable_num(t, c[k].v);
			else
				rtable_empty(t);
			break;
		case ALLOT_CELL_MONTH:
			rtable_month(t, c[k].m);
			break;
		case ALLOT_CELL_NULL: /* an unknown value says so, never a blank */
			if (c[k].s)
				rtable_str(t, c[k].s);
			else
				rtable_empty(t);
			break;
		}
}

/* The columns of allot compare --csv (group, year, allot_compare_columns);
 * an unknown USD sum or value-weighted wait reads as the CLI's table says
 * it (allot_compare_group_cells). */
static int t_compare(const struct allot_report *r, struct rtable *t)
{
	const struct allot_compare *c = r->cmp;
	enum { NC = 2 + ALLOT_COMPARE_NCOL };
	const char *cols[NC] = { "group", "year" };
	int num[NC] = { 0, 1 };
	for (int k = 0; k < ALLOT_COMPARE_NCOL; k++) {
		cols[2 + k] = allot_compare_columns[k];
		num[2 + k] = k >= 2; /* all but key and name */
	}
	char title[96];
	snprintf(title, sizeof title, "Who gains and who waits: %s (a) against %s (b)",
		 allot_policy_kind_name(c->policy[0]), allot_policy_kind_name(c->policy[1]));
	int rc = rtable_init(t, "compare", title, NC, cols, num);
	static const enum allot_group_by order[] = { ALLOT_BY_TIER, ALLOT_BY_REGION,
						     ALLOT_BY_PARTNER };
	for (size_t b = 0; rc == ALLOT_OK && b < 3; b++)
		for (size_t k = 0; k < c->n_groups[order[b]]; k++) {
			struct allot_cell cell[ALLOT_COMPARE_NCOL];
			allot_compare_group_cells(&c->groups[order[b]][k], cell);
			rtable_str(t, allot_group_by_name(order[b]));
			rtable_int(t, c->year);
			rtable_cells(t, cell, ALLOT_COMPARE_NCOL);
		}
	return rc;
}

/* The columns of allot metrics --csv (allot_metrics_columns), one row a
 * quarter and tier; a USD sum whose every unit has an unknown cost reads
 * "unknown" (allot_usd_cell) where the CLI's CSV cell is empty. */
static int t_metrics(const struct allot_report *r, struct rtable *t)
{
	int num[ALLOT_METRICS_NCOL];
	for (int k = 0; k < ALLOT_METRICS_NCOL; k++)
		num[k] = k >= 3; /* all but quarter, tier and coverage */
	int rc = rtable_init(t, "metrics", "Quarterly metrics", ALLOT_METRICS_NCOL,
			     allot_metrics_columns, num);
	const struct allot_metrics *m = r->metrics;
	size_t W = m->n_tiers + 1;
	for (size_t q = 0; rc == ALLOT_OK && q < m->n_quarters; q++)
		for (size_t k = 0; k < W; k++) {
			const struct allot_quarter_metrics *x = &m->rows[q * W + k];
			struct allot_cell c[ALLOT_METRICS_NCOL];
			char qb[8];
			allot_metrics_row_cells(x, c, qb);
			rtable_cells(t, c, ALLOT_METRICS_NCOL);
		}
	return rc;
}

void report_case_label(const struct allot_report *r, size_t c, char buf[128])
{
	const struct allot_cover_case *cc = &r->minerals->cases[c];
	const struct allot_scenario *s = r->s;
	char a[8], b[8];
	const char *min = cc->kind == ALLOT_CASE_EMBARGO && cc->embargo.mineral >= 0
				  ? s->minerals[cc->embargo.mineral].mineral_id
				  : "";
	allot_month_format(cc->embargo.start_month, a);
	allot_month_format(cc->embargo.end_month, b);
	if (cc->kind == ALLOT_CASE_STOCK)
		snprintf(buf, 128, "stock alone");
	else if (cc->kind == ALLOT_CASE_SUPPLY)
		snprintf(buf, 128, "with supply");
	else if (cc->hypothetical)
		snprintf(buf, 128, "without %.40s%s%.40s supply (what-if)", cc->embargo.source,
			 *min ? " " : "", min);
	else
		snprintf(buf, 128, "%.40s embargo%s%.40s %s..%s", cc->embargo.source,
			 *min ? " on " : "", min, a, b);
}

/* The columns of allot minerals --csv: a cover column per case, named by its
 * key (its label is in the report's chart). */
static int t_minerals(const struct allot_report *r, struct rtable *t)
{
	const struct allot_minerals *m = r->minerals;
	const struct allot_scenario *s = r->s;
	/* a last column stock_basis when some mineral states one (as allot
	 * minerals --csv): an estimated stock is labelled where it is used */
	int basis = allot_scenario_has_stock_basis(s);
	size_t nc = ALLOT_MINERAL_NCOL + m->n_cases;
	const char **cols = mem_calloc(nc + 1, sizeof *cols);
	int *num = mem_calloc(nc + 1, sizeof *num);
	char(*keys)[ALLOT_CASE_KEY_MAX] = mem_calloc(m->n_cases ? m->n_cases : 1, sizeof *keys);
	int rc = ALLOT_ENOMEM;
	if (!cols || !num || !keys)
		goto done;
	for (size_t k = 0, c = 0; k < nc; k++) {
		if (k >= ALLOT_MINERAL_COVER_AT && k < ALLOT_MINERAL_COVER_AT + m->n_cases) {
			allot_minerals_case_key(s, m, k - ALLOT_MINERAL_COVER_AT,
						keys[k - ALLOT_MINERAL_COVER_AT]);
			cols[k] = keys[k - ALLOT_MINERAL_COVER_AT];
			num[k] = 1;
		} else {
			/* stock_kg .. draw_total_kg, shortfall_kg, orders_cut */
			num[k] = (c >= 2 && c <= 5) || c == 7 || c == 8;
			cols[k] = allot_mineral_columns[c++];
		}
	}
	cols[nc] = "stock_basis";
	rc = rtable_init(t, "minerals", "Mineral cover (months from as_of)", (int)nc + basis, cols,
			 num);
	t->blank = ALLOT_SYM_WHOLE_HORIZON; /* an empty cover: the stock lasts */
	for (size_t i = 0; rc == ALLOT_OK && i < m->n; i++) {
		const struct allot_mineral_cover *mc = &m->m[i];
		struct allot_cell c[ALLOT_MINERAL_NCOL];
		char sys[ALLOT_MINERAL_SYSTEMS_MAX];
		allot_mineral_cells(s, mc, c, sys);
		rtable_cells(t, c, ALLOT_MINERAL_COVER_AT);
		for (size_t k = 0; k < m->n_cases; k++)
			if (mc->cover[k] < 0)
				rtable_empty(t);
			else
				rtable_int(t, mc->cover[k]);
		rtable_cells(t, c + ALLOT_MINERAL_COVER_AT,
			     ALLOT_MINERAL_NCOL - ALLOT_MINERAL_COVER_AT);
		if (basis)
			rtable_str(t, allot_rate_basis_name(
					      (enum allot_rate_basis)s->minerals[mc->mineral]
						      .stock_basis));
	}
done:
	mem_free(cols);
	mem_free(num);
	mem_free(keys);
	return rc;
}

static int t_risk(const struct allot_report *r, struct rtable *t)
{
	const char *cols[ALLOT_RISK_NCOL + 1];
	int num[ALLOT_RISK_NCOL + 1];
	for (int k = 0; k < ALLOT_RISK_NCOL; k++) {
		cols[k] = allot_risk_columns[k];
		num[k] = k >= 7; /* wait_months, not_complete, units, value_usd */
	}
	cols[ALLOT_RISK_NCOL] = "line_rate";
	num[ALLOT_RISK_NCOL] = 0;
	const struct allot_scenario *s = r->s;
	int basis = allot_scenario_has_rate_basis(s);
	int rc = rtable_init(t, "risk", "Sales at risk", ALLOT_RISK_NCOL + basis, cols, num);
	for (size_t i = 0; rc == ALLOT_OK && i < r->risk->n; i++) {
		const struct allot_risk_row *row = &r->risk->rows[i];
		struct allot_cell c[ALLOT_RISK_NCOL];
		allot_risk_row_cells(r->shown, row, c);
		rtable_cells(t, c, ALLOT_RISK_NCOL);
		if (basis)
			rtable_str(t, report_rate_word(s, &s->orders[row->order]));
	}
	return rc;
}

/* The columns of allot opportunities --csv: a system's, then a buyer's. */
static int t_opps(const struct allot_report *r, struct rtable *t)
{
	enum { NS = ALLOT_OPPORTUNITY_NCOL, NC = ALLOT_OPPORTUNITY_NCOL + ALLOT_BUYER_NCOL };
	const char *cols[NC];
	int num[NC];
	struct allot_cell c[NC];
	for (int k = 0; k < NC; k++) {
		cols[k] = k < NS ? allot_opportunity_columns[k] : allot_buyer_columns[k - NS];
		/* unsold_units .. value_usd; rank; tier .. budget_room_usd */
		num[k] = (k >= 4 && k < NS) || k == NS || k >= NS + 3;
	}
	int rc = rtable_init(t, "opportunities", "Capacity left unsold", NC, cols, num);
	const struct allot_scenario *s = r->s;
	for (size_t i = 0; rc == ALLOT_OK && i < r->opps->n; i++) {
		const struct allot_opportunity *op = &r->opps->v[i];
		allot_opportunity_cells(s, op, c);
		for (size_t k = 0; k < (op->n_buyers ? op->n_buyers : 1); k++) {
			rtable_cells(t, c, NS);
			if (!op->n_buyers) {
				for (int e = NS; e < NC; e++)
					rtable_empty(t);
				continue;
			}
			allot_buyer_cells(s, &op->buyers[k], k + 1, c + NS);
			rtable_cells(t, c + NS, ALLOT_BUYER_NCOL);
		}
	}
	return rc;
}

int *report_rank_partners(const struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	int *v = mem_calloc(s->n_partners ? s->n_partners : 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < s->n_partners; i++) {
		size_t j = i;
		const struct allot_score *x = &r->shown->score0[i];
		while (j > 0) {
			const struct allot_score *y = &r->shown->score0[v[j - 1]];
			if (y->tier < x->tier || (y->tier == x->tier && y->score >= x->score))
				break;
			v[j] = v[j - 1];
			j--;
		}
		v[j] = (int)i;
	}
	return v;
}

/* The backtest's top systems, or one row saying how to add it. */
static int t_backtest(const struct allot_report *r, struct rtable *t)
{
	const struct allot_backtest *b = r->o.backtest;
	if (!b) {
		static const char *const cols[] = { "note" };
		int rc = rtable_init(t, "backtest", "Backtest", 1, cols, NULL);
		rtable_str(t, "Not run: allot report --backtest adds it (docs/backtest.md).");
		return rc;
	}
	/* system_id, then allot_backtest_group_columns: allot backtest --json's keys */
	enum { NC = 1 + ALLOT_BACKTEST_GROUP_NCOL };
	const char *cols[NC] = { "system_id" };
	int num[NC] = { 0 };
	for (int k = 0; k < ALLOT_BACKTEST_GROUP_NCOL; k++) {
		cols[1 + k] = allot_backtest_group_columns[k];
		num[1 + k] = 1;
	}
	int rc = rtable_init(t, "backtest", "Backtest: the systems with most recorded units", NC,
			     cols, num);
	for (size_t i = 0; rc == ALLOT_OK && i < b->n_systems && b->systems[i].top; i++) {
		struct allot_cell c[ALLOT_BACKTEST_GROUP_NCOL];
		allot_backtest_group_cells(&b->systems[i], c);
		rtable_str(t, b->systems[i].id);
		rtable_cells(t, c, ALLOT_BACKTEST_GROUP_NCOL);
	}
	return rc;
}

int report_tables(struct allot_report *r)
{
	/* + backtest + storylines */
	r->tables = mem_calloc(T_COUNT + REPORT_RESERVE_TABLES + 2, sizeof *r->tables);
	int *order = report_rank_partners(r);
	int rc = ALLOT_ENOMEM;
	if (!r->tables || !order)
		goto done;
	r->n_tables = T_COUNT;
	rc = t_findings(r, &r->tables[T_FINDINGS]);
	if (rc == ALLOT_OK)
		rc = t_leaderboard(r, order, &r->tables[T_LEADERBOARD]);
	if (rc == ALLOT_OK)
		rc = t_orders(r, &r->tables[T_ORDERS]);
	if (rc == ALLOT_OK)
		rc = t_backlog(r, &r->tables[T_BACKLOG]);
	if (rc == ALLOT_OK)
		rc = t_compare(r, &r->tables[T_COMPARE]);
	if (rc == ALLOT_OK)
		rc = t_metrics(r, &r->tables[T_METRICS]);
	if (rc == ALLOT_OK)
		rc = t_minerals(r, &r->tables[T_MINERALS]);
	if (rc == ALLOT_OK)
		rc = t_risk(r, &r->tables[T_RISK]);
	if (rc == ALLOT_OK)
		rc = t_opps(r, &r->tables[T_OPPS]);
	if (rc == ALLOT_OK)
		rc = t_partner(r, &r->tables[T_PARTNER]);
	if (rc == ALLOT_OK) {
		size_t n;
		rc = report_reserve_tables(r, &r->tables[T_COUNT], &n);
		r->n_tables = T_COUNT + n;
	}
	if (rc == ALLOT_OK)
		rc = t_backtest(r, &r->tables[r->n_tables++]);
	if (rc == ALLOT_OK && r->o.storylines_dir)
		rc = report_story_table(r, &r->tables[r->n_tables++]);
	for (size_t i = 0; rc == ALLOT_OK && i < r->n_tables; i++)
		if (r->tables[i].err)
			rc = ALLOT_ENOMEM;
done:
	mem_free(order);
	return rc;
}
