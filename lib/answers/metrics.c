/*
 * metrics.c - the quarterly performance figures (`allot metrics
 * --quarterly`): LOAs signed and their value, units and value delivered,
 * backlog at quarter end, median age of open cases and the share delivered
 * on or before the need month, for every tier and each tier apart.
 *
 * History and plan: LOAs are dated in the scenario (orders.csv), so they
 * are counted for every quarter.  Deliveries before as_of are only a count
 * per order (`delivered`), not dated, so delivery figures start at as_of
 * (coverage says which quarters they cover); the backlog and open cases are
 * known at the end of quarters from as_of to the horizon's last month.
 * Units cancelled by budget caps leave the backlog from as_of, as in the
 * plan summary (the plan records how many, not when).  docs/answers.md
 * defines each figure.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void allot_quarter_format(allot_quarter q, char buf[8])
{
	unsigned u = q > 0 ? (unsigned)q : 0;
	snprintf(buf, 8, "%04u-Q%u", u / 4 % 10000, u % 4 + 1);
}

struct mctx {
	const struct allot_plan *p;
	const struct allot_scenario *s;
	struct allot_metrics *m;
	size_t W;            /* row width: n_tiers + 1 */
	allot_month first_m; /* first month of the first quarter */
};

static struct allot_quarter_metrics *row(struct mctx *c, allot_month month, int tier)
{
	size_t q = (size_t)(allot_quarter_of(month) - c->m->first);
	return &c->m->rows[q * c->W + (size_t)tier];
}

/* Adds to the row of every tier (0) and of the order's tier. */
#define BOTH(c, month, tier, stmt)                                   \
	do {                                                         \
		struct allot_quarter_metrics *r_ = row(c, month, 0); \
		stmt;                                                \
		r_ = row(c, month, tier);                            \
		stmt;                                                \
	} while (0)

static void count_loas(struct mctx *c)
{
	const struct allot_scenario *s = c->s;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		double cost = s->systems[o->system].unit_cost_usd;
		int t = c->p->orders[i].tier0;
		int known = allot_cost_known(cost);
		BOTH(c, o->loa_month, t,
		     (r_->loas++, r_->loa_units += o->qty,
		      r_->loa_value_usd += known ? (double)o->qty * cost : 0,
		      r_->loa_unknown_cost_units += known ? 0 : o->qty));
	}
}

/* Requests received (by LOR month) and LOAs offered (by the estimated LOA
 * month under the plan's policy and switch), by the partner's tier. */
static void count_requests(struct mctx *c)
{
	const struct allot_scenario *s = c->s;
	for (size_t i = 0; i < s->n_requests; i++) {
		struct allot_case_estimate e;
		allot_case_estimate(s, i, c->p->policy, c->p->switch_month, &e);
		BOTH(c, s->requests[i].lor_month, e.tier, r_->requests_received++);
		if (!e.held && e.loa_month != ALLOT_NO_MONTH)
			BOTH(c, e.loa_month, e.tier, r_->loas_offered++);
	}
}

static void count_deliveries(struct mctx *c)
{
	const struct allot_scenario *s = c->s;
	const struct allot_plan *p = c->p;
	for (size_t i = 0; i < p->n_allocs; i++) {
		const struct allot_alloc *a = &p->allocs[i];
		const struct allot_order *o = &s->orders[a->order];
		const struct allot_system *y = &s->systems[o->system];
		int d = a->month + y->lead_months;
		if (d >= s->horizon_months)
			continue;
		allot_month dm = s->as_of + d;
		int t = p->orders[a->order].tier0;
		int64_t u = a->units;
		int has_need = o->need_month != ALLOT_NO_MONTH;
		int on_time = has_need && dm <= o->need_month;
		BOTH(c, dm, t,
		     (r_->units_delivered += u,
		      r_->value_delivered_usd +=
		      allot_cost_known(y->unit_cost_usd) ? (double)u * y->unit_cost_usd : 0,
		      r_->delivered_unknown_cost_units += allot_cost_known(y->unit_cost_usd) ? 0
											     : u,
		      r_->need_units += has_need ? u : 0, r_->on_time_units += on_time ? u : 0));
	}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		allot_month done = p->orders[i].completion;
		if (done == ALLOT_NO_MONTH || o->need_month == ALLOT_NO_MONTH)
			continue;
		int on_time = done <= o->need_month;
		BOTH(c, done, p->orders[i].tier0,
		     (r_->need_orders++, r_->on_time_orders += on_time));
	}
}

static void set_coverage(struct mctx *c)
{
	const struct allot_scenario *s = c->s;
	allot_month lo = s->as_of, hi = s->as_of + s->horizon_months - 1;
	for (size_t q = 0; q < c->m->n_quarters; q++) {
		allot_month a = c->first_m + (allot_month)(3 * q), b = a + 2;
		enum allot_coverage cov = b < lo || a > hi     ? ALLOT_COVER_NONE
					  : a >= lo && b <= hi ? ALLOT_COVER_FULL
							       : ALLOT_COVER_PARTIAL;
		for (size_t t = 0; t < c->W; t++) {
			struct allot_quarter_metrics *r = &c->m->rows[q * c->W + t];
			r->quarter = c->m->first + (allot_quarter)q;
			r->tier = (int)t;
			r->coverage = cov;
			r->requests_known = b >= lo;
			r->median_age_months = -1;
		}
	}
}

/* Median of a histogram of n values (ages 0 .. n_ages-1): the middle value,
 * or the mean of the two middle values when n is even. */
static double hist_median(const int64_t *h, size_t n_ages, int64_t n)
{
	int64_t lo_rank = (n - 1) / 2, hi_rank = n / 2, seen = 0;
	double lo = -1, hi = -1;
	for (size_t a = 0; a < n_ages && hi < 0; a++) {
		if (lo < 0 && seen + h[a] > lo_rank)
			lo = (double)a;
		if (seen + h[a] > hi_rank)
			hi = (double)a;
		seen += h[a];
	}
	return (lo + hi) / 2;
}

/* Backlog and open cases at each quarter end within as_of .. horizon end:
 * an order is open at month e when its LOA is at or before e, it has units
 * left after cancellations, and it has not completed by e. */
static int count_backlog(struct mctx *c)
{
	const struct allot_scenario *s = c->s;
	const struct allot_plan *p = c->p;
	allot_month lo = s->as_of, hi = s->as_of + s->horizon_months - 1;
	size_t n_ages = (size_t)(c->m->n_quarters * 3);
	int64_t *hist = mem_calloc(c->W * n_ages, sizeof *hist);
	/* arrived[q * W + t]: units (and value) arrived by the end of quarter q. */
	int64_t *arrived = mem_calloc(c->m->n_quarters * c->W, sizeof *arrived);
	double *arrived_v = mem_calloc(c->m->n_quarters * c->W, sizeof *arrived_v);
	int64_t *arrived_u = mem_calloc(c->m->n_quarters * c->W, sizeof *arrived_u);
	if (!hist || !arrived || !arrived_v || !arrived_u) {
		mem_free(hist);
		mem_free(arrived);
		mem_free(arrived_u);
		mem_free(arrived_v);
		return ALLOT_ENOMEM;
	}
	for (size_t q = 0; q < c->m->n_quarters; q++)
		for (size_t t = 0; t < c->W; t++) {
			const struct allot_quarter_metrics *r = &c->m->rows[q * c->W + t];
			size_t k = q * c->W + t;
			arrived[k] = r->units_delivered + (q ? arrived[k - c->W] : 0);
			arrived_v[k] = r->value_delivered_usd + (q ? arrived_v[k - c->W] : 0);
			arrived_u[k] =
				r->delivered_unknown_cost_units + (q ? arrived_u[k - c->W] : 0);
		}
	for (size_t q = 0; q < c->m->n_quarters; q++) {
		allot_month e = c->first_m + (allot_month)(3 * q) + 2;
		if (e < lo || e > hi)
			continue;
		memset(hist, 0, c->W * n_ages * sizeof *hist);
		struct allot_quarter_metrics *r = &c->m->rows[q * c->W];
		for (size_t i = 0; i < s->n_orders; i++) {
			const struct allot_order *o = &s->orders[i];
			const struct allot_order_result *res = &p->orders[i];
			int64_t open = o->qty - o->delivered - res->cancelled;
			if (o->loa_month > e || open <= 0)
				continue;
			double cost = s->systems[o->system].unit_cost_usd;
			int t = res->tier0;
			r[0].backlog_units += open;
			r[t].backlog_units += open;
			if (allot_cost_known(cost)) {
				r[0].backlog_value_usd += (double)open * cost;
				r[t].backlog_value_usd += (double)open * cost;
			} else {
				r[0].backlog_unknown_cost_units += open;
				r[t].backlog_unknown_cost_units += open;
			}
			if (res->completion != ALLOT_NO_MONTH && res->completion <= e)
				continue;
			size_t age = (size_t)(e - o->loa_month);
			age = age < n_ages ? age : n_ages - 1;
			r[0].open_cases++;
			r[t].open_cases++;
			hist[age]++;
			hist[(size_t)t * n_ages + age]++;
		}
		for (size_t t = 0; t < c->W; t++) {
			r[t].backlog_known = 1;
			r[t].backlog_units -= arrived[q * c->W + t];
			r[t].backlog_value_usd -= arrived_v[q * c->W + t];
			r[t].backlog_unknown_cost_units -= arrived_u[q * c->W + t];
			if (r[t].open_cases)
				r[t].median_age_months = hist_median(hist + t * n_ages, n_ages,
								     (int64_t)r[t].open_cases);
		}
	}
	mem_free(hist);
	mem_free(arrived);
	mem_free(arrived_v);
	mem_free(arrived_u);
	return ALLOT_OK;
}

int allot_metrics_quarterly(const struct allot_plan *p, struct allot_metrics **out)
{
	const struct allot_scenario *s = p->scenario;
	*out = NULL;
	struct allot_metrics *m = mem_calloc(1, sizeof *m);
	if (!m)
		return ALLOT_ENOMEM;
	allot_month lo = s->as_of;
	for (size_t i = 0; i < s->n_orders; i++)
		if (s->orders[i].loa_month < lo)
			lo = s->orders[i].loa_month;
	allot_month hi = s->as_of + s->horizon_months - 1;
	for (size_t i = 0; i < s->n_orders; i++)
		if (s->orders[i].loa_month > hi)
			hi = s->orders[i].loa_month;
	for (size_t i = 0; i < s->n_requests; i++) {
		struct allot_case_estimate e;
		allot_case_estimate(s, i, p->policy, p->switch_month, &e);
		allot_month lor = s->requests[i].lor_month;
		lo = lor < lo ? lor : lo;
		hi = lor > hi ? lor : hi;
		if (e.loa_month != ALLOT_NO_MONTH && e.loa_month > hi)
			hi = e.loa_month;
	}
	m->first = allot_quarter_of(lo);
	m->n_quarters = (size_t)(allot_quarter_of(hi) - m->first + 1);
	m->n_tiers = s->policy.n_tier_thresholds + 1;
	struct mctx c = { p, s, m, m->n_tiers + 1, m->first * 3 };
	m->rows = mem_calloc(m->n_quarters * c.W, sizeof *m->rows);
	if (!m->rows) {
		allot_metrics_free(m);
		return ALLOT_ENOMEM;
	}
	set_coverage(&c);
	count_loas(&c);
	count_requests(&c);
	count_deliveries(&c);
	int rc = count_backlog(&c);
	if (rc != ALLOT_OK) {
		allot_metrics_free(m);
		return rc;
	}
	*out = m;
	return ALLOT_OK;
}

void allot_metrics_free(struct allot_metrics *m)
{
	if (!m)
		return;
	mem_free(m->rows);
	mem_free(m);
}

/* ---------------------------------------------------------------------- */
/* One quarter as typed cells: the keys of every face                       */

const char *const allot_metrics_columns[ALLOT_METRICS_NCOL] = {
	"quarter",
	"tier",
	"coverage",
	"loas",
	"loa_units",
	"loa_value_usd",
	"units_delivered",
	"value_delivered_usd",
	"backlog_units",
	"backlog_value_usd",
	"open_cases",
	"median_age_months",
	"need_units",
	"on_time_units",
	"on_time_units_share",
	"need_orders",
	"on_time_orders",
	"on_time_orders_share",
	"requests_received",
	"loas_offered",
	"loa_value_usd_unknown_cost_units",
	"value_delivered_usd_unknown_cost_units",
	"backlog_value_usd_unknown_cost_units",
};

const char *allot_coverage_name(enum allot_coverage c)
{
	return c == ALLOT_COVER_FULL ? "plan" : c == ALLOT_COVER_PARTIAL ? "partial" : "history";
}

static struct allot_cell c_int(int64_t v, int known)
{
	return (struct allot_cell){ .kind = known ? ALLOT_CELL_INT : ALLOT_CELL_NULL, .i = v };
}

static struct allot_cell c_num(double v, const char *fmt, int known)
{
	return (struct allot_cell){ .kind = known ? ALLOT_CELL_NUM : ALLOT_CELL_NULL,
				    .v = v,
				    .fmt = fmt };
}

/* A USD figure: null when not dated (known 0), unknown when every unit in
 * it has an unknown cost (allot_usd_cell), never 0. */
static struct allot_cell c_usd(double v, int64_t unknown_units, int known)
{
	if (!known)
		return (struct allot_cell){ .kind = ALLOT_CELL_NULL };
	return allot_usd_cell(v == 0 && unknown_units ? NAN : v);
}

void allot_metrics_row_cells(const struct allot_quarter_metrics *q,
			     struct allot_cell c[ALLOT_METRICS_NCOL], char qb[8])
{
	allot_quarter_format(q->quarter, qb);
	/* deliveries are dated by the plan only: unknown before it, never 0 */
	int known = q->coverage != ALLOT_COVER_NONE, bk = q->backlog_known;
	c[0] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = qb };
	c[1] = q->tier ? c_int(q->tier, 1)
		       : (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = "all" };
	c[2] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = allot_coverage_name(q->coverage) };
	c[3] = c_int((int64_t)q->loas, 1);
	c[4] = c_int(q->loa_units, 1);
	/* a USD figure of units whose cost is all unknown is unknown, not 0 */
	c[5] = c_usd(q->loa_value_usd, q->loa_unknown_cost_units, 1);
	c[6] = c_int(q->units_delivered, known);
	c[7] = c_usd(q->value_delivered_usd, q->delivered_unknown_cost_units, known);
	c[8] = c_int(q->backlog_units, bk);
	c[9] = c_usd(q->backlog_value_usd, q->backlog_unknown_cost_units, bk);
	c[10] = c_int((int64_t)q->open_cases, bk);
	c[11] = c_num(q->median_age_months, "%.1f", bk && q->median_age_months >= 0);
	c[12] = c_int(q->need_units, known);
	c[13] = c_int(q->on_time_units, known);
	c[14] = c_num((double)q->on_time_units / (double)q->need_units, "%.4f", q->need_units > 0);
	c[15] = c_int((int64_t)q->need_orders, known);
	c[16] = c_int((int64_t)q->on_time_orders, known);
	c[17] = c_num((double)q->on_time_orders / (double)q->need_orders, "%.4f",
		      q->need_orders > 0);
	/* requests.csv lists the requests still open at as_of: the requests
	 * received (and offered) in a quarter before it are not known */
	c[18] = c_int((int64_t)q->requests_received, q->requests_known);
	c[19] = c_int((int64_t)q->loas_offered, q->requests_known);
	c[20] = c_int(q->loa_unknown_cost_units, 1);
	c[21] = c_int(q->delivered_unknown_cost_units, known);
	c[22] = c_int(q->backlog_unknown_cost_units, bk);
}
