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
 * within a month).  Weights replace the policy's from month 0.
 *
 * The copy shares every array and string of the base scenario that it does
 * not replace; the planner and allot_store_put_scenario only read it.  The
 * base (a cached, shared scenario) is never changed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "value.h"
#include "server_int.h"

static char *keep(struct edit *e, const char *s)
{
	char *c = mem_strdup(s);
	if (!c || mem_grow(&e->strings, &e->cap_strings, e->n_strings + 1,
			   sizeof *e->strings) != 0) {
		mem_free(c);
		return NULL;
	}
	return e->strings[e->n_strings++] = c;
}

/* A month field; absent allowed when `optional` (then ALLOT_NO_MONTH). */
static int month_field(json_t *o, const char *key, int optional, allot_month *m,
		       const char *where, struct resp *out)
{
	json_t *j = json_object_get(o, key);
	*m = ALLOT_NO_MONTH;
	if ((!j || json_is_null(j) || (json_is_string(j) && !*json_string_value(j))) &&
	    optional)
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

/* A number field, also accepted as a string of a number ("2e9"). */
static int num_field(json_t *o, const char *key, double lo, double hi, double *v,
		     const char *where, struct resp *out)
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
		   isinf(hi) ? " up" : hi == 1 ? " to 1" : "");
	return -1;
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
	int k = 0;
	while (k < ALLOT_EV_COUNT && strcmp(allot_event_type_name((enum allot_event_type)k), type))
		k++;
	if (k == ALLOT_EV_COUNT) {
		resp_error(out, 400, "%s.type: expected capacity, us_share, budget_cap, "
			   "eum_status, weight, catalog, eeum or min_tier, found '%.40s'", where,
			   type);
		return -1;
	}
	ev.type = (enum allot_event_type)k;
	const char *what = "line";
	if (k == ALLOT_EV_CAPACITY || k == ALLOT_EV_US_SHARE) {
		ev.index = allot_scenario_find_line(s, target);
	} else if (k == ALLOT_EV_WEIGHT) {
		what = "criterion";
		ev.index = allot_criterion_parse(target);
	} else if (k >= ALLOT_EV_CATALOG) {
		what = "system";
		ev.index = allot_scenario_find_system(s, target);
	} else {
		what = "partner iso3";
		ev.index = allot_scenario_find_partner(s, target);
	}
	if (ev.index < 0) {
		resp_error(out, 400, "%s.target: expected a %s of the scenario, found '%.60s'",
			   where, what, target);
		return -1;
	}
	char text[32];
	json_t *v = json_object_get(o, "value");
	if (k == ALLOT_EV_EUM_STATUS) {
		if (!json_is_string(v) || allot_eum_parse(json_string_value(v), &ev.eum) != 0) {
			resp_error(out, 400, "%s.value: expected compliant, delinquent or "
				   "violation", where);
			return -1;
		}
		snprintf(text, sizeof text, "%s", allot_eum_name(ev.eum));
	} else {
		double hi = k == ALLOT_EV_US_SHARE || k == ALLOT_EV_CATALOG || k == ALLOT_EV_EEUM ? 1
			    : k == ALLOT_EV_MIN_TIER ? ALLOT_MAX_TIERS
						     : HUGE_VAL;
		if (num_field(o, "value", 0, hi, &ev.num, where, out))
			return -1;
		if (k >= ALLOT_EV_CATALOG && ev.num != floor(ev.num)) {
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

static int investment_row(struct edit *e, json_t *o, const char *where, struct resp *out)
{
	struct allot_investment v = { 0 };
	const char *iso3, *line;
	if (!json_is_object(o)) {
		resp_error(out, 400, "%s: expected an object", where);
		return -1;
	}
	if (str_field(o, "iso3", &iso3, where, out) || str_field(o, "line_id", &line, where, out) ||
	    num_field(o, "usd", 0, HUGE_VAL, &v.usd, where, out) ||
	    num_field(o, "added_rate", 0, HUGE_VAL, &v.added_rate, where, out) ||
	    month_field(o, "month", 0, &v.month, where, out) ||
	    month_field(o, "online_month", 0, &v.online_month, where, out))
		return -1;
	if ((v.partner = allot_scenario_find_partner(&e->s, iso3)) < 0 ||
	    (v.line = allot_scenario_find_line(&e->s, line)) < 0) {
		resp_error(out, 400, "%s: expected a partner iso3 and a line_id of the scenario, "
			   "found '%.20s' and '%.60s'", where, iso3, line);
		return -1;
	}
	if (v.online_month < v.month) {
		resp_error(out, 400, "%s.online_month: expected a month >= month", where);
		return -1;
	}
	e->investments[e->s.n_investments++] = v;
	return 0;
}

static int embargo_row(struct edit *e, json_t *o, const char *where, struct resp *out)
{
	struct allot_embargo x = { 0 };
	const char *src, *min;
	if (!json_is_object(o)) {
		resp_error(out, 400, "%s: expected an object", where);
		return -1;
	}
	if (str_field(o, "source", &src, where, out) ||
	    str_field(o, "mineral_id", &min, where, out) ||
	    month_field(o, "start_month", 0, &x.start_month, where, out) ||
	    month_field(o, "end_month", 1, &x.end_month, where, out))
		return -1;
	x.mineral = strcmp(min, "*") == 0 ? -1 : allot_scenario_find_mineral(&e->s, min);
	if (x.mineral == -1 && strcmp(min, "*") != 0) {
		resp_error(out, 400, "%s.mineral_id: expected a mineral of the scenario or *, "
			   "found '%.60s'", where, min);
		return -1;
	}
	if (x.end_month != ALLOT_NO_MONTH && x.end_month < x.start_month) {
		resp_error(out, 400, "%s.end_month: expected a month >= start_month", where);
		return -1;
	}
	if (!(x.source = keep(e, src)))
		return -2;
	e->embargoes[e->s.n_embargoes++] = x;
	return 0;
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
	json_object_foreach(w, key, v) {
		int k = allot_criterion_parse(key);
		if (k < 0 || !json_is_number(v) || !isfinite(json_number_value(v)) ||
		    json_number_value(v) < 0) {
			resp_error(out, 400, "weights.%.40s: expected a criterion (investment, "
				   "growth, geography, operations, economic) with a weight >= 0", key);
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
static int table(struct edit *e, json_t *body, const char *key, void **arr, void *base_v,
		 size_t *n, size_t sz, row_fn fn, struct resp *out)
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

int edit_apply(const struct allot_scenario *base, json_t *body, struct edit *e,
	       struct resp *out)
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
