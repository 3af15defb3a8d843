/*
 * report_findings.c - the headline findings of a report: a few sentences,
 * each computed from the figures gathered in report.c (docs/report.md
 * lists them): waits by tier under each policy, who gains and who waits,
 * deliveries and backlog, mineral cover, the reserve's headline, sales at
 * risk, unsold capacity, and the backlog a year on.
 */
#include <allot/allot.h>

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "answers/report_int.h"
#include "util/mem.h"

/* A finding per answer below, two for the reserve (its order-level and
 * economy-scale headlines): 10.  It was 9, which silently dropped the
 * backtest's, the last, whenever every other answer had its finding. */
#define FINDINGS_MAX 10

static void say(struct allot_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct allot_report *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* one more finding than room is a programming error, not a finding to
	 * drop quietly (as happened to the backtest's at 9) */
	assert(r->n_findings < FINDINGS_MAX);
	if (r->n_findings < FINDINGS_MAX && (r->findings[r->n_findings] = mem_strdup(buf)))
		r->n_findings++;
}

static const char *policy_phrase(const struct allot_report *r, char buf[96])
{
	const struct allot_plan *p = r->plan[REPORT_PRIORITY];
	char sw[8];
	allot_month_format(p->switch_month, sw);
	if (p->switch_month != ALLOT_NO_MONTH && p->switch_month > r->s->as_of)
		snprintf(buf, 96, "the America First rule (priority from %s)", sw);
	else
		snprintf(buf, 96, "the America First rule (priority)");
	return buf;
}

static void waits(struct allot_report *r)
{
	const struct allot_plan_stats *f = &r->stats[REPORT_FCFS], *p = &r->stats[REPORT_PRIORITY];
	size_t low = p->n_tiers - 1;
	char ph[96];
	if (p->n_tiers < 2 || !p->by_tier[0].orders || !p->by_tier[low].orders)
		return;
	say(r,
	    "Under %s, tier 1 partners' open orders wait %.1f months on average and tier %zu "
	    "partners' %.1f months; under first-come-first-served they would wait %.1f and "
	    "%.1f months.",
	    policy_phrase(r, ph), p->by_tier[0].mean, low + 1, p->by_tier[low].mean,
	    f->by_tier[0].mean, f->by_tier[low].mean);
}

static void gainers(struct allot_report *r)
{
	const struct allot_compare *c = r->cmp;
	const struct allot_compare_group *g = c->groups[ALLOT_BY_PARTNER];
	size_t n = c->n_groups[ALLOT_BY_PARTNER], up = 0, down = 0;
	for (size_t i = 0; i < n; i++) {
		up += g[i].delta_wait < -0.05;
		down += g[i].delta_wait > 0.05;
	}
	if (!n || (!up && !down)) {
		say(r, "No partner's mean wait changes between the two policies.");
		return;
	}
	const struct allot_compare_group *best = &g[0], *worst = &g[n - 1];
	char b1[160] = "", b2[160] = "";
	if (up)
		snprintf(b1, sizeof b1, "; %s gains most (%.1f months sooner)", best->label,
			 -best->delta_wait);
	if (down)
		snprintf(b2, sizeof b2, "%s %s waits longest (%.1f months later)",
			 up ? " and" : ";", worst->label, worst->delta_wait);
	say(r,
	    "Against first-come-first-served, %zu partner%s get%s their open orders sooner on "
	    "average and %zu later%s%s.",
	    up, up == 1 ? "" : "s", up == 1 ? "s" : "", down, b1, b2);
}

static void deliveries(struct allot_report *r)
{
	const struct allot_plan_stats *st = &r->stats[r->shown == r->plan[REPORT_PRIORITY]];
	const struct allot_plan_stats *other = &r->stats[r->shown != r->plan[REPORT_PRIORITY]];
	int best = 0;
	for (int y = 1; y < st->n_years; y++)
		if (st->value_by_year[y].known > st->value_by_year[best].known)
			best = y;
	char b1[ALLOT_STYLE_USD_SUM_MAX], b2[ALLOT_STYLE_USD_SUM_MAX], b3[ALLOT_STYLE_USD_SUM_MAX];
	char end[8], n1[32], n2[32];
	allot_month_format(r->s->as_of + r->s->horizon_months - 1, end);
	if (st->n_years == 0)
		return;
	say(r,
	    "Deliveries peak in %d at %s; at the horizon's end (%s) %s units worth %s are "
	    "still open under %s (%s units worth %s under %s).",
	    st->first_year + best, allot_style_usd_sum(&st->value_by_year[best], b1), end,
	    allot_style_count(st->backlog_units, n1), allot_style_usd_sum(&st->backlog_value, b2),
	    allot_policy_kind_name(r->o.policy), allot_style_count(other->backlog_units, n2),
	    allot_style_usd_sum(&other->backlog_value, b3),
	    r->o.policy == ALLOT_POLICY_PRIORITY ? "fcfs" : "priority");
}

static void minerals(struct allot_report *r)
{
	const struct allot_minerals *m = r->minerals;
	const struct allot_scenario *s = r->s;
	if (!m->n)
		return;
	size_t lo = 0, hi = 0, short_supply = m->n;
	for (size_t i = 0; i < m->n; i++) {
		if (m->m[i].cover[0] >= 0 &&
		    (m->m[lo].cover[0] < 0 || m->m[i].cover[0] < m->m[lo].cover[0]))
			lo = i;
		if (m->m[i].cover[0] < 0 ||
		    (m->m[hi].cover[0] >= 0 && m->m[i].cover[0] > m->m[hi].cover[0]))
			hi = i;
		if (m->m[i].cover[1] >= 0 &&
		    (short_supply == m->n || m->m[i].cover[1] < m->m[short_supply].cover[1]))
			short_supply = i;
	}
	char tail[256];
	if (short_supply == m->n)
		snprintf(tail, sizeof tail,
			 "with supply as it is, none runs short within the horizon");
	else
		snprintf(tail, sizeof tail,
			 "with supply as it is, %s runs short first, after %d months",
			 s->minerals[m->m[short_supply].mineral].mineral_id,
			 m->m[short_supply].cover[1]);
	/* the stocks' figures are estimates in the bundled data (minerals.csv
	 * stock_basis): the finding says so where it rests on them */
	int est = 0;
	for (size_t i = 0; i < m->n; i++)
		est |= s->minerals[m->m[i].mineral].stock_basis == ALLOT_RATE_ESTIMATE;
	if (m->m[lo].cover[0] < 0) {
		say(r, "Every mineral's %s alone covers the planned draw for the whole horizon.",
		    est ? "estimated stock" : "stock");
		return;
	}
	char hi_txt[64];
	if (m->m[hi].cover[0] < 0)
		snprintf(hi_txt, sizeof hi_txt, "the whole horizon (%s)",
			 s->minerals[m->m[hi].mineral].mineral_id);
	else
		snprintf(hi_txt, sizeof hi_txt, "%d months (%s)", m->m[hi].cover[0],
			 s->minerals[m->m[hi].mineral].mineral_id);
	/* The embargo case that leaves the least cover. */
	size_t bc = 0, bm = 0;
	for (size_t c = 2; c < m->n_cases; c++)
		for (size_t i = 0; i < m->n; i++) {
			int v = m->m[i].cover[c];
			if (v >= 0 && v != m->m[i].cover[1] && (!bc || v < m->m[bm].cover[bc])) {
				bc = c;
				bm = i;
			}
		}
	char emb[256] = "";
	if (bc) {
		const struct allot_cover_case *cc = &m->cases[bc];
		char a[8], b[8], what[128];
		allot_month_format(cc->embargo.start_month, a);
		allot_month_format(cc->embargo.end_month, b);
		const char *min =
			cc->embargo.mineral >= 0 ? s->minerals[cc->embargo.mineral].mineral_id : "";
		if (cc->hypothetical)
			snprintf(what, sizeof what, "losing %s supply%s%s from %s",
				 cc->embargo.source, *min ? " of " : "", min, a);
		else
			snprintf(what, sizeof what, "the scenario's embargo on %s%s%s (%s..%s)",
				 cc->embargo.source, *min ? " " : "", min, a, b);
		snprintf(emb, sizeof emb, "; %s would leave %s %d months", what,
			 s->minerals[m->m[bm].mineral].mineral_id, m->m[bm].cover[bc]);
	}
	say(r,
	    "%s alone covers the planned draw of critical minerals for %d months (%s) to %s; "
	    "%s%s.",
	    est ? "Estimated stock" : "Stock", m->m[lo].cover[0],
	    s->minerals[m->m[lo].mineral].mineral_id, hi_txt, tail, emb);
}

/* ", on an estimated line rate" when a finding's figure rests on system's
 * line rate and that rate is an estimate (lines.csv rate_basis), else "". */
static const char *est_rate(const struct allot_scenario *s, int system)
{
	return s->lines[s->systems[system].line].rate_basis == ALLOT_RATE_ESTIMATE
		       ? ", on an estimated line rate"
		       : "";
}

static void risk(struct allot_report *r)
{
	const struct allot_risk *k = r->risk;
	const struct allot_scenario *s = r->s;
	char b1[ALLOT_STYLE_USD_SUM_MAX], b2[32];
	if (!k->n) {
		say(r,
		    "No order of a tier %d partner for a system with a foreign alternative waits "
		    "more than %d months.",
		    k->tier, k->wait_months);
		return;
	}
	const struct allot_order *o = &s->orders[k->rows[0].order];
	const struct allot_system *y = &s->systems[o->system];
	say(r,
	    "%s in %zu order%s is at risk of going elsewhere: tier %d partners waiting more than "
	    "%d months for systems with a foreign alternative; the largest is %s's %s order "
	    "(%s, alternative: %s%s).",
	    allot_style_usd_sum(&k->value, b1), k->n, k->n == 1 ? "" : "s", k->tier, k->wait_months,
	    s->partners[o->partner].name, y->name, allot_style_usd(k->rows[0].value_usd, b2),
	    y->foreign_alternative, est_rate(s, o->system));
}

static void opportunities(struct allot_report *r)
{
	const struct allot_opportunities *op = r->opps;
	const struct allot_scenario *s = r->s;
	const char *which = op->catalog_only ? "catalog systems"
					     : "systems (none is marked catalog)";
	if (!op->n) {
		say(r, "No %s have capacity left unsold in the next %d months.", which, op->months);
		return;
	}
	const struct allot_opportunity *v = &op->v[0];
	char b[32], who[64] = "";
	if (v->n_buyers)
		snprintf(who, sizeof who, "; best placed to buy: %s",
			 s->partners[v->buyers[0].partner].name);
	say(r,
	    "%zu %s have capacity left unsold in the next %d months; the most valuable is %s "
	    "(%s units, %s%s)%s.",
	    op->n, which, op->months, s->systems[v->system].name,
	    allot_style_count(v->unsold_units, (char[32]){ 0 }), allot_style_usd(v->value_usd, b),
	    est_rate(s, v->system), who);
}

static void year_on(struct allot_report *r)
{
	const struct allot_metrics *m = r->metrics;
	if (!m || !m->n_quarters)
		return;
	int months = r->s->horizon_months < 12 ? r->s->horizon_months : 12;
	allot_quarter q = allot_quarter_of(r->s->as_of + months - 1);
	if (q < m->first || (size_t)(q - m->first) >= m->n_quarters)
		return;
	const struct allot_quarter_metrics *row =
		&m->rows[(size_t)(q - m->first) * (m->n_tiers + 1)];
	if (!row->backlog_known)
		return;
	char qb[8], b[ALLOT_STYLE_USD_SUM_MAX], n[32];
	/* a lower bound when units of unknown cost are in the backlog */
	struct allot_usd v = { .known = row->backlog_value_usd,
			       .unknown_units = row->backlog_unknown_cost_units };
	allot_quarter_format(q, qb);
	say(r,
	    "At the end of %s the backlog holds %s units worth %s in %zu open cases, whose "
	    "median age is %.0f months since LOA.",
	    qb, allot_style_count(row->backlog_units, n), allot_style_usd_sum(&v, b),
	    row->open_cases, row->median_age_months < 0 ? 0 : row->median_age_months);
}

static void reserve(struct allot_report *r)
{
	if (r->reserve_headline)
		say(r, "%s", r->reserve_headline);
	if (r->xreserve_headline)
		say(r, "%s", r->xreserve_headline);
}

static void backtest(struct allot_report *r)
{
	const struct allot_backtest *b = r->o.backtest;
	if (!b || !b->n_completed)
		return;
	char m[8], h[ALLOT_BACKTEST_HEADLINE_MAX];
	allot_month_format(b->as_of, m);
	allot_backtest_headline(b, h, sizeof h); /* as allot backtest and the section say */
	say(r, "Backtest (the book as of %s planned first come, first served): %s", m, h);
}

int report_findings(struct allot_report *r)
{
	r->findings = mem_calloc(FINDINGS_MAX, sizeof *r->findings);
	if (!r->findings)
		return ALLOT_ENOMEM;
	waits(r);
	gainers(r);
	deliveries(r);
	year_on(r);
	minerals(r);
	reserve(r);
	risk(r);
	opportunities(r);
	backtest(r);
	return ALLOT_OK;
}
