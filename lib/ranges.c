/*
 * ranges.c - the range of every numeric input, in one table, and the check
 * of a whole scenario against it (docs/limits.md, "Ranges of values").
 *
 * The ranges are chosen so that an accepted scenario plans without
 * overflow: a line's milli-units over 1200 months stay far inside int64
 * (the planner also saturates a line's summed rate and a mineral's stock),
 * the open units of all orders fit int64 and double exactly, a value in USD
 * (units x unit cost) stays finite, and every score is finite: weights and
 * factors are at most 1e6, so no product or sum of them is inf or NaN.
 * The loader, the policy reader, the store (put and get), the server's
 * edits and sweep draws use this table, so all agree.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/policy.h"
#include "io/ranges_int.h"
#include <allot/schema.h>

#define TABLE_MAX_RANGED 32
#include "util/mem.h"

static const struct allot_range ranges[ALLOT_RANGE_COUNT] = {
	[ALLOT_RANGE_RATE] = { "a rate", 0, 1e9, 0, 0 },
	[ALLOT_RANGE_SHARE] = { "a share", 0, 1, 0, 0 },
	[ALLOT_RANGE_KG] = { "kilograms", 0, 9e12, 0, 0 },
	[ALLOT_RANGE_QTY] = { "a quantity", 1, ALLOT_QTY_MAX, 0, 1 },
	[ALLOT_RANGE_UNIT_COST] = { "a unit cost", 0, 1e12, 0, 0 },
	[ALLOT_RANGE_USD] = { "an amount", 0, 1e15, 0, 0 },
	[ALLOT_RANGE_VALUE] = { "a value", 0, 1e21, 0, 0 },
	[ALLOT_RANGE_PRICE] = { "a price", 0, 1e9, 0, 0 },
	[ALLOT_RANGE_PCT_GDP] = { "a percentage", 0, 100, 0, 0 },
	[ALLOT_RANGE_GROWTH] = { "a percentage", -100, 10000, 0, 0 },
	[ALLOT_RANGE_TROOPS] = { "a head count", 0, 1e8, 0, 0 },
	[ALLOT_RANGE_WEIGHT] = { "a weight", 0, 1e6, 0, 0 },
	[ALLOT_RANGE_REF] = { "a reference", 0, 1e15, 1, 0 },
	[ALLOT_RANGE_POINTS] = { "score points", 0, 100, 0, 0 },
};

const struct allot_range *allot_range_get(enum allot_range_id id)
{
	return id >= 0 && id < ALLOT_RANGE_COUNT ? &ranges[id] : NULL;
}

int allot_range_ok(enum allot_range_id id, double v)
{
	const struct allot_range *r = allot_range_get(id);
	if (!r || !isfinite(v) || v > r->hi || v < r->lo || (r->lo_open && v == r->lo))
		return 0;
	return !r->integer || v == floor(v);
}

void allot_range_text(enum allot_range_id id, char *buf, size_t n)
{
	const struct allot_range *r = allot_range_get(id);
	char a[32], b[32];
	allot_fmt_double(r->lo, a);
	allot_fmt_double(r->hi, b);
	const char *what = r->integer ? "an integer" : "a number";
	if (r->lo_open)
		snprintf(buf, n, "%s > %s and <= %s", what, a, b);
	else
		snprintf(buf, n, "%s from %s to %s", what, a, b);
}

double allot_range_clamp(enum allot_range_id id, double v)
{
	const struct allot_range *r = allot_range_get(id);
	if (isnan(v) || v < r->lo)
		return r->lo;
	return v > r->hi ? r->hi : v;
}

/* ---------------------------------------------------------------------- */
/* A whole scenario                                                        */

struct chk {
	const char *file; /* the store, or the scenario directory (is_dir) */
	int is_dir;
	const char *policy_file;
	struct allot_diags *d;
	int bad;
	char buf[4200];
};

/* The file a message about table names: in a directory, the table's own
 * file ("orders" -> DIR/orders.csv); else the store. */
static const char *where(struct chk *c, const char *table)
{
	if (!c->is_dir)
		return c->file;
	if (strcmp(table, "the policy") == 0)
		snprintf(c->buf, sizeof c->buf, "%s/%s", c->file, c->policy_file);
	else if (strcmp(table, "scenario") == 0)
		snprintf(c->buf, sizeof c->buf, "%s/scenario.json", c->file);
	else
		snprintf(c->buf, sizeof c->buf, "%s/%s.csv", c->file, table);
	return c->buf;
}

static void want(struct chk *c, enum allot_range_id id, double v, const char *table, size_t row,
		 const char *col)
{
	if (allot_range_ok(id, v))
		return;
	char what[96], found[32];
	allot_range_text(id, what, sizeof what);
	allot_fmt_double(v, found);
	if (row)
		allot_diags_add(c->d, where(c, table), 0, 0,
				"expected %s in %s row %zu %s, found %s", what, table, row, col,
				found);
	else
		allot_diags_add(c->d, where(c, table), 0, 0, "expected %s in %s %s, found %s", what,
				table, col, found);
	c->bad = 1;
}

static void want_int(struct chk *c, int64_t v, int64_t lo, int64_t hi, const char *table,
		     size_t row, const char *col)
{
	if (v >= lo && v <= hi)
		return;
	allot_diags_add(c->d, where(c, table), 0, 0,
			"expected an integer from %lld to %lld in %s row %zu %s, found %lld",
			(long long)lo, (long long)hi, table, row, col, (long long)v);
	c->bad = 1;
}

/* Every number of the policy with a range: the policy codec's table. */
static void want_policy(void *arg, enum allot_range_id id, double v, const char *path)
{
	want(arg, id, v, "the policy", 0, path);
}

static int by_month(const void *a, const void *b)
{
	const struct allot_event *x = *(const struct allot_event *const *)a;
	const struct allot_event *y = *(const struct allot_event *const *)b;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return x < y ? -1 : x > y; /* file order within a month */
}

/* The weights in force never all zero: the policy's, then after each
 * month's weight events (applied in month order, file order within one). */
static int check_weights(struct chk *c, const struct allot_scenario *s)
{
	double w[ALLOT_CRIT_COUNT], sum = 0;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		sum += w[k] = s->policy.weight[k];
	if (!(sum > 0)) {
		allot_diags_add(c->d, where(c, "the policy"), 0, 0,
				"expected the policy's weights not all zero, found all zero");
		c->bad = 1;
		return ALLOT_OK;
	}
	size_t n = 0;
	for (size_t i = 0; i < s->n_events; i++)
		n += s->events[i].type == ALLOT_EV_WEIGHT;
	if (n == 0)
		return ALLOT_OK;
	const struct allot_event **v = mem_alloc(n * sizeof *v);
	if (!v)
		return ALLOT_ENOMEM;
	n = 0;
	for (size_t i = 0; i < s->n_events; i++)
		if (s->events[i].type == ALLOT_EV_WEIGHT)
			v[n++] = &s->events[i];
	qsort(v, n, sizeof *v, by_month);
	for (size_t i = 0; i < n; i++) {
		const struct allot_event *e = v[i];
		if (e->index >= 0 && e->index < ALLOT_CRIT_COUNT)
			w[e->index] = e->num;
		if (i + 1 < n && v[i + 1]->month == e->month)
			continue;
		sum = 0;
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
			sum += w[k];
		if (!(sum > 0)) {
			char m[8];
			allot_month_format(e->month, m);
			allot_diags_add(c->d, where(c, "events"), 0, 0,
					"expected the weights not all zero after the weight "
					"events of %s, found all five zero",
					m[0] ? m : "as_of");
			c->bad = 1;
			break;
		}
	}
	mem_free(v);
	return ALLOT_OK;
}

static void check_months(struct chk *c, const struct allot_scenario *s)
{
	const allot_month lo = ALLOT_MIN_YEAR * 12, hi = ALLOT_MAX_YEAR * 12 + 11;
	char m[8];
	allot_month_format(s->as_of, m);
	if (s->as_of == ALLOT_NO_MONTH || s->as_of < lo || s->as_of > hi) {
		allot_diags_add(c->d, where(c, "scenario"), 0, 0,
				"expected as_of from %d-01 to %d-12, found %s", ALLOT_MIN_YEAR,
				ALLOT_MAX_YEAR, m[0] ? m : "none");
		c->bad = 1;
		return;
	}
	if (s->horizon_months < 1 || s->horizon_months > 1200) {
		allot_diags_add(c->d, where(c, "scenario"), 0, 0,
				"expected horizon_months from 1 to 1200, found %d",
				s->horizon_months);
		c->bad = 1;
		return;
	}
	char e[8], w[8];
	allot_month_format(s->as_of + s->horizon_months - 1, e);
	allot_month_format(s->switch_month, w);
	if (s->switch_month != ALLOT_NO_MONTH &&
	    (int64_t)s->switch_month > (int64_t)s->as_of + s->horizon_months - 1 &&
	    (int64_t)s->as_of + s->horizon_months - 1 <= hi) {
		allot_diags_add(c->d, where(c, "scenario"), 0, 0,
				"expected switch_month by the horizon's last month %s (or "
				"none), found %s, which would leave the whole plan FCFS",
				e, w);
		c->bad = 1;
	}
	if ((int64_t)s->as_of + s->horizon_months - 1 > hi) {
		allot_diags_add(c->d, where(c, "scenario"), 0, 0,
				"expected the horizon to end by %d-12, found as_of %s plus "
				"%d months (at most %d from this as_of)",
				ALLOT_MAX_YEAR, m, s->horizon_months, (int)(hi - s->as_of + 1));
		c->bad = 1;
	}
}

/* Every ranged column of table t (io/schema.c): numbers and kilograms in
 * their range, integers in their bounds.  The ranged columns are listed
 * first, so that a million orders are checked on their three alone. */
static void check_table(struct chk *c, const struct allot_scenario *s, const struct sc_table *t)
{
	int ranged[TABLE_MAX_RANGED], nr = 0;
	for (int k = 0; k < t->ncols && nr < TABLE_MAX_RANGED; k++)
		if (t->cols[k].type == SC_NUM || t->cols[k].type == SC_GRAMS ||
		    t->cols[k].type == SC_INT)
			ranged[nr++] = k;
	size_t n = sc_nrows(t, s);
	for (size_t i = 0; i < n; i++) {
		const void *row = sc_row(t, s, i);
		for (int r = 0; r < nr; r++) {
			const struct sc_col *col = &t->cols[ranged[r]];
			const char *p = (const char *)row + col->off;
			if (col->type == SC_NUM) {
				if ((col->flags & SC_MISSING) && isnan(*(const double *)p))
					continue; /* unknown */
				if (!allot_range_ok(col->range, *(const double *)p))
					want(c, col->range, *(const double *)p, t->sql, i + 1,
					     col->name);
			} else if (col->type == SC_GRAMS) {
				want(c, col->range, (double)*(const int64_t *)p / 1000, t->sql,
				     i + 1, col->name);
			} else {
				int64_t v = sc_get_int(row, col);
				int64_t hi = col->ihi ? col->ihi : (int64_t)ranges[col->range].hi;
				if (col->dflt < col->ilo && v == col->dflt)
					continue; /* empty: none */
				if (col->bound) { /* at most another column: delivered <= qty */
					int64_t b = sc_get_int(row, &t->cols[col->bound - 1]);
					hi = b > 0 ? b : 0;
				}
				if (v < col->ilo || v > hi)
					want_int(c, v, col->ilo, hi, t->sql, i + 1, col->name);
			}
		}
	}
}

/* The open units of all orders fit the planner's totals. */
static void check_open(struct chk *c, const struct allot_scenario *s)
{
	int64_t open = 0;
	const int64_t qmax = (int64_t)ranges[ALLOT_RANGE_QTY].hi;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		if (o->qty >= 1 && o->qty <= qmax && o->delivered >= 0 && o->delivered <= o->qty)
			open += o->qty - o->delivered; /* each at most 1e9: no overflow */
	}
	if (open > (int64_t)ALLOT_MAX_TOTAL_QTY) {
		allot_diags_add(c->d, where(c, "orders"), 0, 0,
				"expected at most %.0f open units over all orders, found %lld",
				ALLOT_MAX_TOTAL_QTY, (long long)open);
		c->bad = 1;
	}
}

/* An event's value in the range of its type (allot_sc_event_rules). */
static void check_events(struct chk *c, const struct allot_scenario *s)
{
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *e = &s->events[i];
		if (e->type < 0 || e->type >= ALLOT_EV_COUNT)
			continue;
		enum allot_range_id id = allot_sc_event_rules[e->type].range;
		if (allot_sc_event_rules[e->type].value == SC_EV_NUM)
			want(c, id, e->num, "events", i + 1, "value");
	}
}

static int check_ranges(const struct allot_scenario *s, const char *file, int is_dir,
			struct allot_diags *diags)
{
	struct chk c;
	c.file = file ? file : "";
	c.is_dir = is_dir;
	c.policy_file = s->policy_file && s->policy_file[0] ? s->policy_file : "policy.json";
	c.d = diags;
	c.bad = 0;
	check_months(&c, s);
	for (int t = 0; t < SC_NTABS; t++) {
		if (t == SC_EVENTS)
			check_events(&c, s);
		else if (!(is_dir && t == SC_ORDERS))
			check_table(&c, s, &allot_sc_tables[t]);
		if (t == SC_ORDERS)
			check_open(&c, s);
	}
	policy_each_range(&s->policy, want_policy, &c);
	int rc = c.bad ? ALLOT_OK : check_weights(&c, s);
	if (rc != ALLOT_OK)
		return rc;
	return c.bad ? ALLOT_EINPUT : ALLOT_OK;
}

int allot_scenario_check_ranges(const struct allot_scenario *s, const char *file,
				struct allot_diags *diags)
{
	return check_ranges(s, file, 0, diags);
}

/* After a directory's load: load.c has checked every order's qty,
 * delivered (up to qty) and partner_rank in place, against the same bounds
 * as check_table and with the value's position, and the load got here only
 * if none failed; re-checking a million orders was 6% of loading them
 * (test_load checks on random rows that the two agree).  The sums are
 * still checked. */
int scenario_check_ranges_dir(const struct allot_scenario *s, const char *dir,
			      struct allot_diags *diags)
{
	return check_ranges(s, dir, 1, diags);
}
