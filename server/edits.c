/*
 * edits.c - changes to a scenario sent as JSON: new events, investments,
 * embargoes and policy weights, checked like the loader checks the files
 * (docs/scenario-format.md) and applied to a shallow copy.
 *
 * The body (docs/api.md, "Scenario edits"):
 *   {"weights": {"investment": 0.4, ...},
 *    "events": [{"month": "2026-06", "type": "budget_cap", "target": "POL",
 *                "value": 2e9}, ...],
 *    "investments": [{"iso3", "line_id", "usd", "month", "added_rate",
 *                     "online_month"}, ...],
 *    "embargoes": [{"source", "mineral_id" ("*" = all), "start_month",
 *                   "end_month" (optional)}, ...]}
 * Rows are appended after the scenario's own (so they apply after them
 * within a month).  Weights replace the policy's from month 0.  The fields
 * of investments and embargoes, and each event type's target and value
 * rule, come from the table descriptors (lib/io/schema.c).
 *
 * The copy shares every array and string of the base scenario that it does
 * not replace; the planner and allot_store_put_scenario only read it.  The
 * base (a cached, shared scenario) is never changed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/schema.h>

#include "mem.h"
#include "value.h"
#include "server_int.h"

static char *keep(struct edit *e, const char *s)
{
	char *c = mem_strdup(s);
	if (!c ||
	    mem_grow(&e->strings, &e->cap_strings, e->n_strings + 1, sizeof *e->strings) != 0) {
		mem_free(c);
		return NULL;
	}
	return e->strings[e->n_strings++] = c;
}

/* A month field; absent allowed when `optional` (then ALLOT_NO_MONTH). */
static int month_field(json_t *o, const char *key, int optional, allot_month *m, const char *where,
		       struct resp *out)
{
	json_t *j = json_object_get(o, key);
	*m = ALLOT_NO_MONTH;
	if ((!j || json_is_null(j) || (json_is_string(j) && !*json_string_value(j))) && optional)
		return 0;
	if (!json_is_string(j) || allot_month_parse(json_string_value(j), m) != 0) {
		resp_error(out, 400, "%s.%s: expected a month YYYY-MM", where, key);
		return -1;
	}
	return 0;
}

static int str_field(json_t *o, const char *key, const char **v, const char *where,
		     struct resp *out)
{
	json_t *j = json_object_get(o, key);
	if (!json_is_string(j) || !*json_string_value(j) ||
	    strlen(json_string_value(j)) != json_string_length(j)) {
		resp_error(out, 400, "%s.%s: expected a non-empty string", where, key);
		return -1;
	}
	*v = json_string_value(j);
	return 0;
}

/* A number field, also accepted as a string of a number ("2e9"): from the
 * range's low end, and at most its top when that is 1 (a share: the bound
 * is its meaning).  Other magnitudes are left to the range check of the
 * loader and the store (lib/ranges.c), whose message names the row. */
/* A number from lo to hi (hi: 1 or HUGE_VAL in the messages). */
static int num_in(json_t *o, const char *key, double lo, double hi, double *v, const char *where,
		  struct resp *out)
{
	json_t *j = json_object_get(o, key);
	if (json_is_number(j)) {
		*v = json_number_value(j);
	} else if (json_is_string(j)) {
		if (value_number(json_string_value(j), v) != 0)
			goto bad; /* the grammar of events.csv: no hex, no spaces */
	} else {
		goto bad;
	}
	if (isfinite(*v) && *v >= lo && *v <= hi)
		return 0;
bad:
	resp_error(out, 400, "%s.%s: expected a number from %g%s", where, key, lo,
		   isinf(hi) ? " up"
		   : hi == 1 ? " to 1"
			     : "");
	return -1;
}

static int num_field(json_t *o, const char *key, enum allot_range_id range, double *v,
		     const char *where, struct resp *out)
{
	const struct allot_range *r = allot_range_get(range);
	return num_in(o, key, r->lo, r->hi <= 1 ? r->hi : HUGE_VAL, v, where, out);
}

static json_t *array_field(json_t *body, const char *key, struct resp *out)
{
	json_t *a = json_object_get(body, key);
	if (!a)
		return NULL;
	if (!json_is_array(a) || json_array_size(a) > SRV_MAX_ITEMS) {
		resp_error(out, 400, "%s: expected an array of at most %d objects", key,
			   SRV_MAX_ITEMS);
		return json_null();
	}
	return a;
}

static int find(const void *ctx, enum sc_tab t, const char *key)
{
	return allot_sc_find(ctx, t, key);
}

/* An event: its target and value by the type's rule (io/schema.c, the
 * loader's and the store's one table). */
static int event_row(struct edit *e, json_t *o, const char *where, struct resp *out)
{
	const struct allot_scenario *s = &e->s;
	struct allot_event ev = { 0 };
	const char *type, *target;
	if (!json_is_object(o)) {
		resp_error(out, 400, "%s: expected an object", where);
		return -1;
	}
	if (month_field(o, "month", 0, &ev.month, where, out) ||
	    str_field(o, "type", &type, where, out) || str_field(o, "target", &target, where, out))
		return -1;
	int k = allot_sc_event_type(type);
	if (k < 0) {
		resp_error(out, 400,
			   "%s.type: expected capacity, us_share, budget_cap, "
			   "eum_status, weight, catalog, eeum or min_tier, found '%.40s'",
			   where, type);
		return -1;
	}
	ev.type = (enum allot_event_type)k;
	const struct sc_event_rule *rule = &allot_sc_event_rules[k];
	ev.index = allot_sc_event_target(s, ev.type, target, find, s);
	if (ev.index < 0) {
		resp_error(out, 400, "%s.target: expected a %s of the scenario, found '%.60s'",
			   where, rule->api_what, target);
		return -1;
	}
	char text[32];
	json_t *v = json_object_get(o, "value");
	if (rule->value == SC_EV_STATUS) {
		if (!json_is_string(v) || allot_eum_parse(json_string_value(v), &ev.eum) != 0) {
			resp_error(out, 400,
				   "%s.value: expected compliant, delinquent or "
				   "violation",
				   where);
			return -1;
		}
		snprintf(text, sizeof text, "%s", allot_eum_name(ev.eum));
	} else if (rule->value == SC_EV_NUM) {
		if (num_field(o, "value", rule->range, &ev.num, where, out))
			return -1;
		allot_fmt_double(ev.num, text);
	} else { /* 0/1 or a tier: a whole number from 0 to hi */
		double hi = rule->value == SC_EV_BOOL ? 1 : ALLOT_MAX_TIERS;
		if (num_in(o, "value", 0, hi == 1 ? 1 : HUGE_VAL, &ev.num, where, out))
			return -1;
		if (ev.num != floor(ev.num) || ev.num > hi) {
			resp_error(out, 400, "%s.value: expected a whole number from 0 to %g",
				   where, hi);
			return -1;
		}
		allot_fmt_double(ev.num, text);
	}
	if (!(ev.target = keep(e, target)) || !(ev.value = keep(e, text)))
		return -2;
	e->events[e->s.n_events++] = ev;
	return 0;
}

/* One field of a row, by its column's descriptor (io/schema.c): text,
 * references (by key), numbers and months. */
static int desc_field(struct edit *e, json_t *o, const struct sc_table *tb, int k, void *row,
		      const char *where, struct resp *out)
{
	const struct sc_col *c = &tb->cols[k];
	char *p = (char *)row + c->off;
	const char *v;
	switch (c->type) {
	case SC_TEXT:
		if (str_field(o, c->name, &v, where, out))
			return -1;
		return (*(char **)p = keep(e, v)) ? 0 : -2;
	case SC_REF:
		if (str_field(o, c->name, &v, where, out))
			return -1;
		if ((c->flags & SC_STAR) && strcmp(v, "*") == 0) {
			*(int *)p = -1;
			return 0;
		}
		if ((*(int *)p = allot_sc_find(&e->s, (enum sc_tab)c->ref, v)) >= 0)
			return 0;
		resp_error(out, 400, "%s.%s: expected a %s of the scenario%s, found '%.60s'", where,
			   c->name, allot_sc_tables[c->ref].ref_what,
			   (c->flags & SC_STAR) ? " or *" : "", v);
		return -1;
	case SC_NUM:
		return num_field(o, c->name, c->range, (double *)p, where, out);
	case SC_MONTH:
		if (month_field(o, c->name, !(c->flags & SC_VAL), (allot_month *)p, where, out))
			return -1;
		if (c->bound) {
			const struct sc_col *b = &tb->cols[c->bound - 1];
			allot_month m = *(allot_month *)p,
				    lo = *(allot_month *)((char *)row + b->off);
			if (m != ALLOT_NO_MONTH && m < lo) {
				resp_error(out, 400, "%s.%s: expected a month >= %s", where,
					   c->name, b->name);
				return -1;
			}
		}
		return 0;
	default:
		resp_error(out, 500, "%s.%s: not editable", where, c->name);
		return -1;
	}
}

/* A row of an investments or embargoes edit, every field from the table's
 * descriptor (so a column added there is accepted here too). */
static int desc_row(struct edit *e, json_t *o, enum sc_tab t, void *row, const char *where,
		    struct resp *out)
{
	const struct sc_table *tb = &allot_sc_tables[t];
	if (!json_is_object(o)) {
		resp_error(out, 400, "%s: expected an object", where);
		return -1;
	}
	for (int k = 0; k < tb->ncols; k++) {
		int rc = desc_field(e, o, tb, k, row, where, out);
		if (rc)
			return rc;
	}
	return 0;
}

static int investment_row(struct edit *e, json_t *o, const char *where, struct resp *out)
{
	struct allot_investment v = { 0 };
	int rc = desc_row(e, o, SC_INVESTMENTS, &v, where, out);
	if (!rc)
		e->investments[e->s.n_investments++] = v;
	return rc;
}

static int embargo_row(struct edit *e, json_t *o, const char *where, struct resp *out)
{
	struct allot_embargo x = { 0 };
	int rc = desc_row(e, o, SC_EMBARGOES, &x, where, out);
	if (!rc)
		e->embargoes[e->s.n_embargoes++] = x;
	return rc;
}

static int weights(struct edit *e, json_t *body, struct resp *out)
{
	json_t *w = json_object_get(body, "weights");
	if (!w)
		return 0;
	if (!json_is_object(w)) {
		resp_error(out, 400, "weights: expected an object of criterion: weight");
		return -1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(w, key, v)
	{
		int k = allot_criterion_parse(key);
		if (k < 0 || !json_is_number(v) || !isfinite(json_number_value(v)) ||
		    json_number_value(v) < 0) {
			resp_error(out, 400,
				   "weights.%.40s: expected a criterion (investment, "
				   "growth, geography, operations, economic) with a weight >= 0",
				   key);
			return -1;
		}
		e->s.policy.weight[k] = json_number_value(v);
		e->added++;
	}
	double sum = 0;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		sum += e->s.policy.weight[k];
	if (!(sum > 0)) {
		resp_error(out, 400, "weights: expected at least one weight above 0");
		return -1;
	}
	return 0;
}

typedef int (*row_fn)(struct edit *e, json_t *o, const char *where, struct resp *out);

/* Copies the base rows of one table into a new array with room for the
 * body's rows, then appends each checked row. */
static int table(struct edit *e, json_t *body, const char *key, void **arr, void *base_v, size_t *n,
		 size_t sz, row_fn fn, struct resp *out)
{
	json_t *a = array_field(body, key, out);
	if (!a)
		return 0;
	if (json_is_null(a))
		return -1;
	size_t extra = json_array_size(a);
	if (!(*arr = mem_calloc(*n + extra + 1, sz)))
		return -2;
	if (*n)
		memcpy(*arr, base_v, *n * sz);
	for (size_t i = 0; i < extra; i++) {
		char where[48];
		snprintf(where, sizeof where, "%s[%zu]", key, i);
		int rc = fn(e, json_array_get(a, i), where, out);
		if (rc)
			return rc;
	}
	e->added += extra;
	return 0;
}

int edit_apply(const struct allot_scenario *base, json_t *body, struct edit *e, struct resp *out)
{
	memset(e, 0, sizeof *e);
	e->s = *base;
	int rc = weights(e, body, out);
	if (!rc)
		rc = table(e, body, "events", (void **)&e->events, base->events, &e->s.n_events,
			   sizeof *e->events, event_row, out);
	if (!rc && e->events)
		e->s.events = e->events;
	if (!rc)
		rc = table(e, body, "investments", (void **)&e->investments, base->investments,
			   &e->s.n_investments, sizeof *e->investments, investment_row, out);
	if (!rc && e->investments)
		e->s.investments = e->investments;
	if (!rc)
		rc = table(e, body, "embargoes", (void **)&e->embargoes, base->embargoes,
			   &e->s.n_embargoes, sizeof *e->embargoes, embargo_row, out);
	if (!rc && e->embargoes)
		e->s.embargoes = e->embargoes;
	if (rc == -2)
		resp_error(out, 500, "out of memory");
	if (rc)
		return -1;
	if (e->events)
		e->s.present |= 1u << ALLOT_FILE_EVENTS;
	if (e->investments)
		e->s.present |= 1u << ALLOT_FILE_INVESTMENTS;
	if (e->embargoes)
		e->s.present |= 1u << ALLOT_FILE_EMBARGOES;
	/* The one range check of the loader and the store (lib/ranges.c):
	 * sums and weights zeroed by events included. */
	struct allot_diags d;
	allot_diags_init(&d);
	rc = allot_scenario_check_ranges(&e->s, "", &d);
	if (rc == ALLOT_ENOMEM)
		resp_error(out, 500, "out of memory");
	else if (rc)
		resp_error(out, 400, "%s", d.n ? d.v[0].msg : "bad input");
	allot_diags_free(&d);
	return rc ? -1 : 0;
}

void edit_free(struct edit *e)
{
	for (size_t i = 0; i < e->n_strings; i++)
		mem_free(e->strings[i]);
	mem_free(e->strings);
	mem_free(e->events);
	mem_free(e->investments);
	mem_free(e->embargoes);
	memset(e, 0, sizeof *e);
}
