/*
 * whatif.c - the what-if answer (issue 14, item 3): one object for
 * `allot whatif --json` and POST /api/scenarios/{name}/whatif, built here
 * from the compare of the base and the changed scenario
 * (allot_compare_scenarios), the requests the changes move and the lines
 * they name (docs/whatif.md).  The API adds its own keys beside it (the
 * plans' summaries, the moved partners and the paged orders, docs/api.md).
 */
#include <allot/allot.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "answers/answers_int.h"

void allot_change_describe(const struct allot_scenario *s, const struct allot_change *c, char *buf,
			   size_t size)
{
	char m[8], usd[32];
	allot_month_format(c->month, m);
	switch (c->kind) {
	case ALLOT_CHG_CAP:
		if (strcmp(c->currency, "USD")) {
			char amt[32];
			double v = c->amount;
			if (v >= 1e12)
				snprintf(amt, sizeof amt, "%.4g trillion", v / 1e12);
			else if (v >= 1e9)
				snprintf(amt, sizeof amt, "%.4g billion", v / 1e9);
			else if (v >= 1e6)
				snprintf(amt, sizeof amt, "%.4g million", v / 1e6);
			else
				snprintf(amt, sizeof amt, "%.0f", v);
			snprintf(buf, size,
				 "budget cap on %s: %s %s = %s at %.6g USD per %s, from %s", c->id,
				 c->currency, amt, allot_style_usd(c->usd, usd), c->usd_per_unit,
				 c->currency, m);
		} else
			snprintf(buf, size, "budget cap on %s: %s from %s", c->id,
				 allot_style_usd(c->usd, usd), m);
		break;
	case ALLOT_CHG_INVEST:
		snprintf(buf, size, "%s invests %s in %s: +%.4g units/month online %s", c->id,
			 allot_style_usd(c->usd, usd), c->id2, c->rate, m);
		break;
	case ALLOT_CHG_EMBARGO: {
		char a[8], e[8];
		allot_month_format(c->month != ALLOT_NO_MONTH ? c->month : s->as_of, a);
		allot_month_format(
			(c->month != ALLOT_NO_MONTH ? c->month : s->as_of) + c->months - 1, e);
		snprintf(buf, size, "embargo by %s on %s from %s %s%s", c->id,
			 c->id2[0] ? c->id2 : "every mineral", a,
			 c->months ? "to " : "to the horizon", c->months ? e : "");
		break;
	}
	case ALLOT_CHG_US_SHARE:
		if (c->months) {
			char e[8];
			allot_month_format(c->month + c->months, e);
			snprintf(buf, size,
				 "US forces keep %.0f%% of %s from %s, %.0f%% again from %s",
				 100 * c->amount, c->id, m, 100 * c->share_after, e);
		} else {
			snprintf(buf, size, "US forces keep %.0f%% of %s from %s", 100 * c->amount,
				 c->id, m);
		}
		break;
	case ALLOT_CHG_RATE:
		snprintf(buf, size, "%s makes %.6g units/month (%.6g a year) from %s", c->id,
			 c->amount, 12 * c->amount, m);
		break;
	case ALLOT_CHG_STATUS:
		snprintf(buf, size, "%s end-use status %s from %s", c->id, c->what, m);
		break;
	case ALLOT_CHG_CATALOG:
		if (c->amount > 0)
			snprintf(buf, size, "%s in the priority catalog from %s, gate tier %.0f",
				 c->id, m, c->amount);
		else
			snprintf(buf, size, "%s in the priority catalog from %s%s", c->id, m,
				 c->amount == 0 ? ", no gate" : "");
		break;
	case ALLOT_CHG_EEUM:
		snprintf(buf, size, "%s %s EEUM from %s", c->id,
			 c->amount ? "under" : "no longer under", m);
		break;
	default:
		snprintf(buf, size, "weight of %s %.6g from %s", c->id, c->amount,
			 c->month != ALLOT_NO_MONTH ? m : "as_of");
		break;
	}
}

static json_t *jpair_num(double a, double b)
{
	return json_pack("{s:o, s:o}", "without", isnan(a) ? json_null() : json_real(a), "with",
			 isnan(b) ? json_null() : json_real(b));
}

/* without/with USD sums, unknown unit costs counted apart (allot_usd_put) */
static json_t *usd_pair(const struct allot_usd u[2])
{
	json_t *o = json_object();
	if (o)
		allot_usd_put(o, "without", &u[0]), allot_usd_put(o, "with", &u[1]);
	return o;
}

static json_t *whatif_group_json(const struct allot_compare_group *g)
{
	json_t *o = json_object();
	if (g->key) {
		json_object_set_new(o, "key", json_string(g->key));
		json_object_set_new(o, "name", json_string(g->label));
	}
	json_object_set_new(o, "units_by_year",
			    json_pack("{s:I, s:I}", "without", (json_int_t)g->by_year[0], "with",
				      (json_int_t)g->by_year[1]));
	json_object_set_new(o, "usd_by_year", usd_pair(g->value_usd));
	json_object_set_new(o, "cut_orders", json_integer((json_int_t)g->cut));
	json_object_set_new(o, "restored_orders", json_integer((json_int_t)g->restored));
	json_object_set_new(o, "cancelled_units",
			    json_pack("{s:I, s:I}", "without", (json_int_t)g->cancelled[0], "with",
				      (json_int_t)g->cancelled[1]));
	json_object_set_new(o, "cancelled_usd", usd_pair(g->cancelled_usd));
	json_object_set_new(o, "orders_waiting", json_integer((json_int_t)g->orders));
	json_object_set_new(o, "wait_value_weighted_months", jpair_num(g->vwait[0], g->vwait[1]));
	json_object_set_new(o, "wait_months", jpair_num(g->mean_wait[0], g->mean_wait[1]));
	json_object_set_new(o, "earlier", json_integer((json_int_t)g->earlier));
	json_object_set_new(o, "later", json_integer((json_int_t)g->later));
	return o;
}

json_t *allot_whatif_json(const struct allot_scenario *s, const struct allot_change *ch, size_t n,
			  const struct allot_compare *c, const struct allot_whatif_requests *q,
			  const char *overlay, const char *question)
{
	json_t *root = json_object(), *chs = json_array();
	char buf[512];
	if (!root || !chs) {
		json_decref(root);
		json_decref(chs);
		return NULL;
	}
	json_object_set_new(root, "scenario", json_string(s->name));
	json_object_set_new(root, "overlay",
			    overlay && *overlay ? json_string(overlay) : json_null());
	json_object_set_new(root, "question",
			    question && *question ? json_string(question) : json_null());
	json_object_set_new(root, "policy", json_string(allot_policy_kind_name(c->policy[1])));
	json_object_set_new(root, "year", json_integer(c->year));
	for (size_t i = 0; i < n; i++) {
		allot_change_describe(s, &ch[i], buf, sizeof buf);
		json_array_append_new(chs, json_pack("{s:s, s:s, s:s}", "flag",
						     allot_change_flag(ch[i].kind), "value",
						     ch[i].text, "meaning", buf));
	}
	json_object_set_new(root, "changes", chs);
	json_object_set_new(root, "all", whatif_group_json(&c->all));
	for (int by = 0; by < ALLOT_BY_COUNT; by++) {
		json_t *arr = json_array();
		for (size_t k = 0; arr && k < c->n_groups[by]; k++)
			json_array_append_new(arr, whatif_group_json(&c->groups[by][k]));
		char name[32];
		snprintf(name, sizeof name, "by_%s", allot_group_by_name((enum allot_group_by)by));
		json_object_set_new(root, name, arr ? arr : json_null());
	}
	json_object_set_new(root, "requests", allot_whatif_requests_json(s, q));
	struct allot_whatif_lines w;
	if (allot_whatif_lines(c->plan[0], c->plan[1], c->year, ch, n, &w) == ALLOT_OK)
		json_object_set_new(root, "lines", allot_whatif_lines_json(s, &w));
	allot_whatif_lines_free(&w);
	return root;
}
