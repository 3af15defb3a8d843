/*
 * apply.c - turns parsed changes (change.c) into the rows the planner
 * reads, on a copy of a scenario: each change resolves its names (ISO3 or
 * partner name, line id or name or a system made on it, supply source,
 * mineral, criterion, system) and becomes events, an investment or an embargo
 * appended after the scenario's own rows (docs/whatif.md).
 *
 * The copy shares every other array and string with the base scenario:
 * the planner only reads it.  Only the three grown arrays and the event
 * values written here are owned (struct changed).
 */
#include <allot/allot.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/mem.h"
#include "whatif/whatif_int.h"

struct changed {
	struct allot_scenario s; /* first: the pointer handed out */
	char (*vals)[32];        /* event values written here */
	size_t n_vals;
};

static int set_err(struct allot_change_error *err, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_err(struct allot_change_error *err, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	err->col = col;
	return ALLOT_EINPUT;
}

/* ---------------------------------------------------------------------- */
/* Names to indices                                                         */

static int find_partner(const struct allot_scenario *s, const char *name)
{
	int i = allot_scenario_find_partner(s, name);
	for (size_t k = 0; i < 0 && k < s->n_partners; k++)
		if (strcasecmp(s->partners[k].iso3, name) == 0 ||
		    strcasecmp(s->partners[k].name, name) == 0)
			i = (int)k;
	return i;
}

/* A line by id or name, or the line of a system named by id or name. */
static int find_line(const struct allot_scenario *s, const char *name)
{
	int i = allot_scenario_find_line(s, name);
	for (size_t k = 0; i < 0 && k < s->n_lines; k++)
		if (strcasecmp(s->lines[k].line_id, name) == 0 ||
		    strcasecmp(s->lines[k].name, name) == 0)
			i = (int)k;
	for (size_t k = 0; i < 0 && k < s->n_systems; k++)
		if (strcasecmp(s->systems[k].system_id, name) == 0 ||
		    strcasecmp(s->systems[k].name, name) == 0)
			i = s->systems[k].line;
	return i;
}

static int find_mineral(const struct allot_scenario *s, const char *name)
{
	for (size_t k = 0; k < s->n_minerals; k++)
		if (strcasecmp(s->minerals[k].mineral_id, name) == 0 ||
		    strcasecmp(s->minerals[k].name, name) == 0)
			return (int)k;
	return -1;
}

static const char *find_source(const struct allot_scenario *s, const char *name)
{
	for (size_t k = 0; k < s->n_supply; k++)
		if (strcasecmp(s->supply[k].source, name) == 0)
			return s->supply[k].source;
	return NULL;
}

static int no_partner(struct allot_change *c, struct allot_change_error *err)
{
	return set_err(err, c->col_who,
		       "expected a partner of the scenario (an ISO3 code such as POL or a name "
		       "such as Poland), found \"%s\"",
		       c->who);
}

static int no_line(const char *name, int col, struct allot_change_error *err)
{
	return set_err(err, col,
		       "expected a line of the scenario (a line id such as pac3-mse, a line "
		       "name, or a system made on it), found \"%s\"",
		       name);
}

/* ---------------------------------------------------------------------- */
/* Rows                                                                     */

static int push_event(struct changed *x, allot_month m, enum allot_event_type t, const char *target,
		      int index, double num, enum allot_eum eum)
{
	struct allot_scenario *s = &x->s;
	struct allot_event *ev = mem_reallocarray(s->events, s->n_events + 1, sizeof *ev);
	if (!ev)
		return ALLOT_ENOMEM;
	s->events = ev;
	char *v = x->vals[x->n_vals++]; /* room for two per change */
	if (t == ALLOT_EV_EUM_STATUS)
		snprintf(v, 32, "%s", allot_eum_name(eum));
	else
		allot_fmt_double(num, v);
	struct allot_event *e = &ev[s->n_events++];
	memset(e, 0, sizeof *e);
	e->month = m;
	e->type = t;
	e->target = (char *)target;
	e->value = v;
	e->index = index;
	e->num = num;
	e->eum = eum;
	return ALLOT_OK;
}

/* The us_share of line l in force in month m after the rows so far. */
static double share_at(const struct allot_scenario *s, int l, allot_month m)
{
	double v = s->lines[l].us_share;
	allot_month best = ALLOT_NO_MONTH;
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *e = &s->events[i];
		if (e->type == ALLOT_EV_US_SHARE && e->index == l && e->month <= m &&
		    (best == ALLOT_NO_MONTH || e->month >= best)) {
			best = e->month;
			v = e->num;
		}
	}
	return v;
}

static int apply_cap(struct changed *x, struct allot_change *c, const struct allot_fx *fx,
		     struct allot_change_error *err)
{
	int p = find_partner(&x->s, c->who);
	if (p < 0)
		return no_partner(c, err);
	double rate = 1;
	if (allot_fx_rate_at(fx, c->currency, c->month, &rate) != 0) {
		char m[8];
		allot_month_format(c->month, m);
		return set_err(
			err, c->col_currency,
			"expected a currency with an exchange rate on or before %s in fx.csv "
			"(currency,month,usd_per_unit,citation), found \"%s\"",
			m, c->currency);
	}
	snprintf(c->id, sizeof c->id, "%s", x->s.partners[p].iso3);
	c->usd_per_unit = rate;
	c->usd = c->amount * rate;
	return push_event(x, c->month, ALLOT_EV_BUDGET_CAP, x->s.partners[p].iso3, p, c->usd,
			  ALLOT_EUM_COMPLIANT);
}

static int apply_invest(struct changed *x, struct allot_change *c, struct allot_change_error *err)
{
	struct allot_scenario *s = &x->s;
	int p = find_partner(s, c->who), l = find_line(s, c->what);
	if (p < 0)
		return no_partner(c, err);
	if (l < 0)
		return no_line(c->what, c->col_what, err);
	struct allot_investment *v =
		mem_reallocarray(s->investments, s->n_investments + 1, sizeof *v);
	if (!v)
		return ALLOT_ENOMEM;
	s->investments = v;
	struct allot_investment *in = &v[s->n_investments++];
	in->partner = p;
	in->line = l;
	in->usd = c->amount;
	in->month = c->month;
	in->added_rate = c->rate;
	in->online_month = c->month;
	snprintf(c->id, sizeof c->id, "%s", s->partners[p].iso3);
	snprintf(c->id2, sizeof c->id2, "%s", s->lines[l].line_id);
	c->usd = c->amount;
	return ALLOT_OK;
}

int allot_change_embargo(const struct allot_scenario *s, struct allot_change *c, int default_months,
			 struct allot_embargo *out, struct allot_change_error *err)
{
	const char *src = find_source(s, c->who);
	int m = -1;
	memset(err, 0, sizeof *err);
	if (!src) {
		char list[160] = "";
		size_t len = 0;
		for (size_t k = 0; k < s->n_supply && len < sizeof list - 40; k++) {
			const char *name = s->supply[k].source;
			if (find_source(s, name) != name || strstr(list, name))
				continue; /* listed already */
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
						len ? ", " : "", name);
		}
		return set_err(err, c->col_who,
			       "expected a supply source of the scenario (supply.csv: %s), found "
			       "\"%s\"",
			       len ? list : "none", c->who);
	}
	if (c->what[0] && (m = find_mineral(s, c->what)) < 0) {
		/* the lookup of every command (a unique prefix; a miss suggests) */
		char msg[200];
		if ((m = allot_lookup_msg(s, ALLOT_KIND_MINERAL, c->what, msg, sizeof msg)) < 0)
			return set_err(err, c->col_what, "%s", msg);
	}
	int months = c->months ? c->months : default_months;
	out->source = (char *)src;
	out->mineral = m;
	out->start_month = c->month != ALLOT_NO_MONTH ? c->month : s->as_of;
	out->end_month = months ? out->start_month + months - 1 : ALLOT_NO_MONTH;
	snprintf(c->id, sizeof c->id, "%s", src);
	snprintf(c->id2, sizeof c->id2, "%s", m >= 0 ? s->minerals[m].mineral_id : "");
	return ALLOT_OK;
}

static int apply_embargo(struct changed *x, struct allot_change *c, struct allot_change_error *err)
{
	struct allot_scenario *s = &x->s;
	struct allot_embargo e;
	int rc = allot_change_embargo(s, c, 0, &e, err);
	if (rc != ALLOT_OK)
		return rc;
	struct allot_embargo *v = mem_reallocarray(s->embargoes, s->n_embargoes + 1, sizeof *v);
	if (!v)
		return ALLOT_ENOMEM;
	s->embargoes = v;
	v[s->n_embargoes++] = e;
	return ALLOT_OK;
}

static int apply_line_event(struct changed *x, struct allot_change *c,
			    struct allot_change_error *err)
{
	struct allot_scenario *s = &x->s;
	int l = find_line(s, c->who);
	if (l < 0)
		return no_line(c->who, c->col_who, err);
	snprintf(c->id, sizeof c->id, "%s", s->lines[l].line_id);
	const char *id = s->lines[l].line_id;
	if (c->kind == ALLOT_CHG_RATE)
		return push_event(x, c->month, ALLOT_EV_CAPACITY, id, l, c->amount, 0);
	allot_month end = c->month + c->months;
	c->share_after = share_at(s, l, end);
	int rc = push_event(x, c->month, ALLOT_EV_US_SHARE, id, l, c->amount, 0);
	if (rc == ALLOT_OK && c->months)
		rc = push_event(x, end, ALLOT_EV_US_SHARE, id, l, c->share_after, 0);
	return rc;
}

static int apply_status(struct changed *x, struct allot_change *c, struct allot_change_error *err)
{
	int p = find_partner(&x->s, c->who);
	enum allot_eum e = ALLOT_EUM_COMPLIANT;
	if (p < 0)
		return no_partner(c, err);
	allot_eum_parse(c->what, &e);
	snprintf(c->id, sizeof c->id, "%s", x->s.partners[p].iso3);
	return push_event(x, c->month, ALLOT_EV_EUM_STATUS, x->s.partners[p].iso3, p, 0, e);
}

static int apply_weight(struct changed *x, struct allot_change *c)
{
	int k = allot_criterion_parse(c->who);
	allot_month m = c->month != ALLOT_NO_MONTH ? c->month : x->s.as_of;
	snprintf(c->id, sizeof c->id, "%s", c->who);
	return push_event(x, m, ALLOT_EV_WEIGHT, allot_criterion_name((enum allot_criterion)k), k,
			  c->amount, 0);
}

static int find_system(const struct allot_scenario *s, const char *name)
{
	int i = allot_scenario_find_system(s, name);
	for (size_t k = 0; i < 0 && k < s->n_systems; k++)
		if (strcasecmp(s->systems[k].system_id, name) == 0 ||
		    strcasecmp(s->systems[k].name, name) == 0)
			i = (int)k;
	return i;
}

/* --catalog: a catalog event (1) and, with a tier, a min_tier event;
 * --eeum: an eeum event (0 or 1).  Both in the change's month. */
static int apply_system_flag(struct changed *x, struct allot_change *c,
			     struct allot_change_error *err)
{
	int y = find_system(&x->s, c->who);
	if (y < 0)
		return set_err(err, c->col_who,
			       "expected a system of the scenario (a system id such as himars or "
			       "a name), found \"%s\"",
			       c->who);
	const char *id = x->s.systems[y].system_id;
	snprintf(c->id, sizeof c->id, "%s", id);
	if (c->kind == ALLOT_CHG_EEUM)
		return push_event(x, c->month, ALLOT_EV_EEUM, id, y, c->amount, 0);
	int rc = push_event(x, c->month, ALLOT_EV_CATALOG, id, y, 1, 0);
	if (rc == ALLOT_OK && c->amount >= 0)
		rc = push_event(x, c->month, ALLOT_EV_MIN_TIER, id, y, c->amount, 0);
	return rc;
}

static int apply_one(struct changed *x, struct allot_change *c, const struct allot_fx *fx,
		     struct allot_change_error *err)
{
	switch (c->kind) {
	case ALLOT_CHG_CAP:
		return apply_cap(x, c, fx, err);
	case ALLOT_CHG_INVEST:
		return apply_invest(x, c, err);
	case ALLOT_CHG_EMBARGO:
		return apply_embargo(x, c, err);
	case ALLOT_CHG_US_SHARE:
	case ALLOT_CHG_RATE:
		return apply_line_event(x, c, err);
	case ALLOT_CHG_STATUS:
		return apply_status(x, c, err);
	case ALLOT_CHG_WEIGHT:
		return apply_weight(x, c);
	case ALLOT_CHG_CATALOG:
	case ALLOT_CHG_EEUM:
		return apply_system_flag(x, c, err);
	default:
		return set_err(err, 0, "expected a change kind");
	}
}

/* Copies an array of n elements of size sz (NULL when n is 0). */
static int dup_array(void *dst, const void *src, size_t n, size_t sz)
{
	void *d = NULL;
	if (n) {
		if (!(d = mem_reallocarray(NULL, n, sz)))
			return ALLOT_ENOMEM;
		memcpy(d, src, n * sz);
	}
	*(void **)dst = d;
	return ALLOT_OK;
}

int allot_changes_apply(const struct allot_scenario *base, struct allot_change *v, size_t n,
			const struct allot_fx *fx, struct allot_scenario **out, size_t *bad,
			struct allot_change_error *err)
{
	*out = NULL;
	*bad = 0;
	memset(err, 0, sizeof *err);
	struct changed *x = mem_calloc(1, sizeof *x);
	if (!x)
		return ALLOT_ENOMEM;
	x->s = *base;
	x->vals = mem_calloc(2 * n + 1, sizeof *x->vals);
	x->s.events = NULL;
	x->s.investments = NULL;
	x->s.embargoes = NULL;
	int rc = x->vals ? ALLOT_OK : ALLOT_ENOMEM;
	if (rc == ALLOT_OK)
		rc = dup_array(&x->s.events, base->events, base->n_events, sizeof *base->events);
	if (rc == ALLOT_OK)
		rc = dup_array(&x->s.investments, base->investments, base->n_investments,
			       sizeof *base->investments);
	if (rc == ALLOT_OK)
		rc = dup_array(&x->s.embargoes, base->embargoes, base->n_embargoes,
			       sizeof *base->embargoes);
	for (size_t i = 0; rc == ALLOT_OK && i < n; i++) {
		*bad = i;
		rc = apply_one(x, &v[i], fx, err);
	}
	if (rc != ALLOT_OK) {
		allot_changed_free(&x->s);
		return rc;
	}
	if (x->s.n_events)
		x->s.present |= 1u << ALLOT_FILE_EVENTS;
	if (x->s.n_investments)
		x->s.present |= 1u << ALLOT_FILE_INVESTMENTS;
	if (x->s.n_embargoes)
		x->s.present |= 1u << ALLOT_FILE_EMBARGOES;
	*out = &x->s;
	return ALLOT_OK;
}

void allot_changed_free(struct allot_scenario *s)
{
	if (!s)
		return;
	struct changed *x = (struct changed *)(void *)s;
	mem_free(x->s.events);
	mem_free(x->s.investments);
	mem_free(x->s.embargoes);
	mem_free(x->vals);
	mem_free(x);
}
