/*
 * report_story.c - the report's storylines section (docs/whatif.md): each
 * storyline under the report's storylines folder is planned without and
 * with its changes (allot whatif's steps: overlay rows, changes.txt, fx.csv,
 * allot_compare_scenarios), and the report keeps its question, a headline
 * in units and USD, and the partners whose delivered value changes most
 * (or, when none changes, the partners the storyline concerns).
 * A storyline that cannot run on the report's scenario (a partner it names
 * is missing, say) keeps a headline saying why instead of failing the
 * report.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers/report_int.h"
#include "util/mem.h"

static char *dupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dupf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return mem_strdup(buf);
}

/* The chart's bars: up to REPORT_STORY_BARS partners by key[0], then
 * key[1], largest first; a partner whose key[0] is NaN is left out. */
static int pick(struct report_story *st, const struct allot_compare *c, const double *key[2])
{
	const struct allot_compare_group *g = c->groups[ALLOT_BY_PARTNER];
	size_t n = c->n_groups[ALLOT_BY_PARTNER];
	int used[REPORT_STORY_BARS] = { 0 };
	for (size_t b = 0; b < REPORT_STORY_BARS; b++) {
		int best = -1;
		for (size_t k = 0; k < n; k++) {
			int taken = 0;
			for (size_t j = 0; j < b; j++)
				taken |= used[j] == (int)k;
			if (taken || isnan(key[0][k]))
				continue;
			if (best < 0 || key[0][k] > key[0][best] ||
			    (key[0][k] == key[0][best] && key[1][k] > key[1][best]))
				best = (int)k;
		}
		if (best < 0)
			break;
		used[b] = best;
		if (!(st->labels[b] = mem_strdup(g[best].label)))
			return ALLOT_ENOMEM;
		st->bar[0][b] = g[best].value_by_year[0];
		st->bar[1][b] = g[best].value_by_year[1];
		st->bar_unknown[0][b] = g[best].value_usd[0].unknown_units;
		st->bar_unknown[1][b] = g[best].value_usd[1].unknown_units;
		st->n_bars = b + 1;
	}
	return ALLOT_OK;
}

/* The partners whose USD delivered by the year changes most, either way. */
static int bars(struct report_story *st, const struct allot_compare *c)
{
	const struct allot_compare_group *g = c->groups[ALLOT_BY_PARTNER];
	size_t n = c->n_groups[ALLOT_BY_PARTNER];
	double *k0 = mem_calloc(n + 1, sizeof *k0);
	if (!k0)
		return ALLOT_ENOMEM;
	for (size_t k = 0; k < n; k++)
		k0[k] = g[k].delta_value == 0 ? NAN : fabs(g[k].delta_value);
	const double *key[2] = { k0, k0 };
	int rc = pick(st, c, key);
	mem_free(k0);
	return rc;
}

/* The partners a storyline concerns, for its chart when no partner's USD
 * delivered by the year changes (a storyline whose answer is "nothing
 * moves" still shows whom it is about): those its changes name (cap,
 * invest, status), those with orders on a line or of a system they name
 * (rate, us-share, invest, catalog, eeum) or of a system needing a mineral
 * they embargo, those of the overlay's own orders (beyond the report's
 * scenario) and of the requests whose offer moves.  mark[p] is 2 for a
 * partner named, owning a new order or a moved request, 1 for one reached
 * through a line, system or mineral, for each partner p of `base` (the
 * overlay's scenario). */
static void concerned(const struct allot_scenario *base, size_t first_new,
		      const struct allot_change *ch, size_t n,
		      const struct allot_whatif_requests *q, unsigned char *mark)
{
	for (size_t i = 0; i < base->n_orders; i++) {
		const struct allot_order *o = &base->orders[i];
		const struct allot_system *y = &base->systems[o->system];
		const char *iso3 = base->partners[o->partner].iso3;
		int hit = i >= first_new ? 2 : 0;
		for (size_t k = 0; hit < 2 && k < n; k++) {
			const struct allot_change *c = &ch[k];
			switch (c->kind) {
			case ALLOT_CHG_CAP:
			case ALLOT_CHG_STATUS:
				if (strcmp(iso3, c->id) == 0)
					hit = 2;
				break;
			case ALLOT_CHG_INVEST:
				if (strcmp(iso3, c->id) == 0)
					hit = 2;
				else if (strcmp(base->lines[y->line].line_id, c->id2) == 0)
					hit = 1;
				break;
			case ALLOT_CHG_RATE:
			case ALLOT_CHG_US_SHARE:
				if (strcmp(base->lines[y->line].line_id, c->id) == 0)
					hit = 1;
				break;
			case ALLOT_CHG_CATALOG:
			case ALLOT_CHG_EEUM:
				if (strcmp(y->system_id, c->id) == 0)
					hit = 1;
				break;
			case ALLOT_CHG_EMBARGO:
				for (size_t b = 0; !hit && b < base->n_bom; b++) {
					const struct allot_bom *m = &base->bom[b];
					if (m->system == o->system &&
					    (!c->id2[0] ||
					     strcmp(base->minerals[m->mineral].mineral_id,
						    c->id2) == 0))
						hit = 1;
				}
				break;
			default:
				break;
			}
		}
		if (hit > mark[o->partner])
			mark[o->partner] = (unsigned char)hit;
	}
	for (size_t i = 0; i < q->n; i++)
		mark[base->requests[q->v[i].request].partner] = 2;
}

/* The chart when no partner's USD delivered changes: the partners the
 * storyline concerns, those it names first, then by USD delivered by the
 * year with the changes (equal bars: nothing moves for them). */
static int concerned_bars(struct report_story *st, const struct allot_compare *c,
			  const struct allot_scenario *base, const unsigned char *mark)
{
	const struct allot_compare_group *g = c->groups[ALLOT_BY_PARTNER];
	size_t n = c->n_groups[ALLOT_BY_PARTNER];
	double *k0 = mem_calloc(2 * n + 1, sizeof *k0);
	if (!k0)
		return ALLOT_ENOMEM;
	double *k1 = k0 + n;
	for (size_t k = 0; k < n; k++) {
		k0[k] = NAN;
		k1[k] = g[k].value_by_year[1];
		for (size_t p = 0; p < base->n_partners; p++)
			if (mark[p] && strcmp(base->partners[p].iso3, g[k].key) == 0)
				k0[k] = mark[p];
	}
	const double *key[2] = { k0, k1 };
	int rc = pick(st, c, key);
	mem_free(k0);
	st->concerned = st->n_bars > 0;
	return rc;
}

static int headline(struct report_story *st, const struct allot_compare *c,
		    const struct allot_whatif_requests *q, const struct allot_whatif_lines *w)
{
	const struct allot_compare_group *a = &c->all;
	char n0[32], n1[32], nd[32], ud[32], cu[32], cv[32], dv[32], dw[32];
	char u0[ALLOT_STYLE_USD_SUM_MAX], u1[ALLOT_STYLE_USD_SUM_MAX]; /* unknown costs apart */
	st->year = c->year;
	for (int k = 0; k < 2; k++) {
		st->units[k] = a->by_year[k];
		st->usd[k] = a->value_by_year[k];
		st->cancelled[k] = a->cancelled[k];
		st->cancelled_usd[k] = a->cancelled_value[k];
	}
	st->cut = a->cut;
	char cut[300] = "", unk[120] = "";
	/* A change of two sums with units of unknown cost is the change of the
	 * known parts only: say so, never a bare figure. */
	allot_usd_change_note(&a->cancelled_usd[0], &a->cancelled_usd[1], unk, sizeof unk);
	char dunk[120] = "";
	allot_usd_change_note(&a->value_usd[0], &a->value_usd[1], dunk, sizeof dunk);
	if (a->cut || a->restored)
		snprintf(cut, sizeof cut,
			 "; budget caps cut %zu order%s and restore %zu (%s units, %s%s)", a->cut,
			 a->cut == 1 ? "" : "s", a->restored,
			 allot_fmt_grouped(a->cancelled[1] - a->cancelled[0], cu),
			 allot_style_usd(a->cancelled_value[1] - a->cancelled_value[0], cv), unk);
	char req[300] = "", rn[2][32], ru[2][32];
	if (q->n)
		snprintf(req, sizeof req,
			 " Requests not yet offered: %zu offered sooner (%s units, "
			 "%s), %zu later, %zu held by a tier gate (%s units, %s).",
			 q->sooner, allot_fmt_grouped(q->units_sooner, rn[0]),
			 allot_style_usd(q->usd_sooner, ru[0]), q->later, q->held,
			 allot_fmt_grouped(q->units_held, rn[1]),
			 allot_style_usd(q->usd_held, ru[1]));
	char lines[2400] = "";
	size_t at = 0;
	for (size_t i = 0; i < w->n && at < sizeof lines; i++) {
		const struct allot_whatif_line *x = &w->v[i];
		char f0[32], f1[32], t0[32], t1[32], off[200];
		allot_whatif_line_off(x, off, sizeof off);
		at += (size_t)snprintf(lines + at, sizeof lines - at,
				       "%s %s: %s units without, %s "
				       "with (foreign orders took %s and %s%s)",
				       i ? ";"
					 : " Foreign share of the lines the changes name, "
					   "from as_of to the end of the year:",
				       c->plan[0]->scenario->lines[x->line].line_id,
				       allot_fmt_grouped(x->foreign_capacity[0], f0),
				       allot_fmt_grouped(x->foreign_capacity[1], f1),
				       allot_fmt_grouped(x->foreign_used[0], t0),
				       allot_fmt_grouped(x->foreign_used[1], t1), off);
	}
	if (at && at < sizeof lines - 1)
		strcat(lines, ".");
	st->headline = dupf(
		"By the end of %d, %s units worth %s are delivered with the changes, "
		"against %s worth %s without (%s%s units, %s%s)%s; value-weighted wait "
		"of the orders waiting on both sides %s months (unweighted %s).%s%s",
		c->year, allot_fmt_grouped(a->by_year[1], n1),
		allot_style_usd_sum(&a->value_usd[1], u1), allot_fmt_grouped(a->by_year[0], n0),
		allot_style_usd_sum(&a->value_usd[0], u0), a->delta_units > 0 ? "+" : "",
		allot_fmt_grouped(a->delta_units, nd), allot_style_usd(a->delta_value, ud), dunk,
		cut,
		isnan(a->delta_vwait) ? ALLOT_SYM_UNKNOWN : allot_fmt_delta(a->delta_vwait, 1, dv),
		allot_fmt_delta(a->delta_wait, 1, dw), req, lines);
	return st->headline ? ALLOT_OK : ALLOT_ENOMEM;
}

/* Plans one storyline; a storyline that does not fit the scenario gets a
 * headline saying why (ALLOT_OK), only ENOMEM is an error. */
static int run_one(struct allot_report *r, const char *root, struct report_story *st)
{
	char dir[4096], path[4200], q[1024];
	snprintf(dir, sizeof dir, "%s/%s", root, st->name);
	if (allot_storyline_question(dir, q, sizeof q) != ALLOT_OK)
		snprintf(q, sizeof q, "(its README.md states no question)");
	if (!(st->question = mem_strdup(q)))
		return ALLOT_ENOMEM;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *base = NULL, *after = NULL;
	struct allot_change *ch = NULL;
	size_t n = 0, bad;
	struct allot_fx fx = { 0 };
	struct allot_compare *c = NULL;
	struct allot_change_error err;
	char why[900] = "";
	int rc = allot_overlay_load(r->s, dir, &base, &d);
	snprintf(path, sizeof path, "%s/changes.txt", dir);
	if (rc == ALLOT_OK && (rc = allot_changes_read(path, &ch, &n, &d)) == ALLOT_ENOTFOUND)
		rc = ALLOT_OK;
	snprintf(path, sizeof path, "%s/fx.csv", dir);
	if (rc == ALLOT_OK)
		rc = allot_fx_load(path, &fx, &d);
	if (rc == ALLOT_OK && (rc = allot_changes_apply(base, ch, n, &fx, &after, &bad, &err))) {
		allot_change_error_format(ch[bad].kind, ch[bad].text, &err, why, sizeof why);
	} else if (rc == ALLOT_OK) {
		struct allot_compare_options o;
		allot_compare_options_init(&o);
		o.policy[0] = o.policy[1] = r->o.policy;
		o.switch_month = r->o.switch_month;
		o.year = allot_storyline_year(dir);
		rc = allot_compare_scenarios(base, after, &o, &c);
	}
	struct allot_whatif_requests rq = { 0 };
	struct allot_whatif_lines wl = { 0 };
	if (rc == ALLOT_OK)
		rc = allot_whatif_requests(base, after, c->policy[1], c->switch_month, &rq);
	if (rc == ALLOT_OK)
		rc = allot_whatif_lines(c->plan[0], c->plan[1], c->year, ch, n, &wl);
	if (rc == ALLOT_OK) {
		st->ok = 1;
		rc = headline(st, c, &rq, &wl);
		if (rc == ALLOT_OK)
			rc = bars(st, c);
		if (rc == ALLOT_OK && !st->n_bars) {
			unsigned char *mark = mem_calloc(base->n_partners + 1, 1);
			if (!mark)
				rc = ALLOT_ENOMEM;
			else
				concerned(base, r->s->n_orders, ch, n, &rq, mark);
			if (rc == ALLOT_OK)
				rc = concerned_bars(st, c, base, mark);
			mem_free(mark);
		}
	} else if (rc != ALLOT_ENOMEM) {
		if (!why[0] && d.n)
			snprintf(why, sizeof why, "%s:%ld: %s", d.v[0].file, d.v[0].line,
				 d.v[0].msg);
		st->headline =
			dupf("Not run on this scenario: %s", why[0] ? why : allot_strerror(rc));
		rc = st->headline ? ALLOT_OK : ALLOT_ENOMEM;
	}
	allot_whatif_requests_free(&rq);
	allot_whatif_lines_free(&wl);
	allot_compare_free(c);
	allot_changed_free(after);
	allot_scenario_free(base);
	allot_fx_free(&fx);
	free(ch);
	allot_diags_free(&d);
	return rc;
}

int report_story_run(struct allot_report *r)
{
	const char *root = r->o.storylines_dir;
	if (!root)
		return ALLOT_OK;
	char **names = NULL;
	size_t n = 0;
	int rc = allot_storylines_list(root, &names, &n);
	if (rc == ALLOT_ENOTFOUND)
		rc = ALLOT_OK; /* the section says there are none */
	if (rc == ALLOT_OK && n && !(r->stories = mem_calloc(n, sizeof *r->stories)))
		rc = ALLOT_ENOMEM;
	for (size_t i = 0; rc == ALLOT_OK && i < n; i++) {
		struct report_story *st = &r->stories[r->n_stories++];
		if (!(st->name = mem_strdup(names[i])))
			rc = ALLOT_ENOMEM;
		else
			rc = run_one(r, root, st);
	}
	allot_strv_free(names);
	return rc;
}

void report_story_free(struct allot_report *r)
{
	for (size_t i = 0; i < r->n_stories; i++) {
		struct report_story *st = &r->stories[i];
		mem_free(st->name);
		mem_free(st->question);
		mem_free(st->headline);
		for (size_t b = 0; b < st->n_bars; b++)
			mem_free(st->labels[b]);
	}
	mem_free(r->stories);
	r->stories = NULL;
	r->n_stories = 0;
}

int report_story_table(const struct allot_report *r, struct rtable *t)
{
	static const char *const cols[] = { "storyline",
					    "question",
					    "year",
					    "units_without",
					    "units_with",
					    "usd_without",
					    "usd_with",
					    "cancelled_units_without",
					    "cancelled_units_with",
					    "cancelled_usd_with",
					    "orders_cut",
					    "headline" };
	static const int num[] = { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
	int rc = rtable_init(t, "storylines", "Storylines", 12, cols, num);
	for (size_t i = 0; rc == ALLOT_OK && i < r->n_stories; i++) {
		const struct report_story *st = &r->stories[i];
		rtable_str(t, st->name);
		rtable_str(t, st->question);
		if (st->ok) {
			rtable_int(t, st->year);
			rtable_int(t, st->units[0]);
			rtable_int(t, st->units[1]);
			rtable_num(t, st->usd[0]);
			rtable_num(t, st->usd[1]);
			rtable_int(t, st->cancelled[0]);
			rtable_int(t, st->cancelled[1]);
			rtable_num(t, st->cancelled_usd[1]);
			rtable_int(t, (int64_t)st->cut);
		} else {
			for (int k = 0; k < 9; k++)
				rtable_empty(t);
		}
		rtable_str(t, st->headline);
	}
	return rc == ALLOT_OK && t->err ? ALLOT_ENOMEM : rc;
}
