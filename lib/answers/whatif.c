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

const char *const allot_whatif_extra_columns[ALLOT_WHATIF_EXTRA_NCOL] = {
	"cancelled_usd_a",
	"cancelled_usd_b",
	"cancelled_usd_a_unknown_cost_units",
	"cancelled_usd_b_unknown_cost_units",
	"usd_by_year_a_unknown_cost_orders",
	"usd_by_year_b_unknown_cost_orders",
	"cancelled_usd_a_unknown_cost_orders",
	"cancelled_usd_b_unknown_cost_orders",
};

void allot_whatif_extra_cells(const struct allot_compare_group *g,
			      struct allot_cell c[ALLOT_WHATIF_EXTRA_NCOL])
{
	for (int k = 0; k < 2; k++) {
		const struct allot_usd *u = &g->cancelled_usd[k];
		c[k] = allot_usd_sum_cell(u); /* unknown: null */
		c[2 + k] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = u->unknown_units };
		c[4 + k] = (struct allot_cell){ .kind = ALLOT_CELL_INT,
						.i = (int64_t)g->value_usd[k].unknown_orders };
		c[6 + k] = (struct allot_cell){ .kind = ALLOT_CELL_INT,
						.i = (int64_t)u->unknown_orders };
	}
}

/* A group: compare's columns, then what-if's. */
static json_t *whatif_group_json(const struct allot_compare_group *g)
{
	struct allot_cell c[ALLOT_COMPARE_NCOL], x[ALLOT_WHATIF_EXTRA_NCOL];
	allot_compare_group_cells(g, c);
	allot_whatif_extra_cells(g, x);
	json_t *o = allot_cells_json(allot_compare_columns, c, ALLOT_COMPARE_NCOL);
	json_t *e = allot_cells_json(allot_whatif_extra_columns, x, ALLOT_WHATIF_EXTRA_NCOL);
	if (!o || !e || json_object_update(o, e) != 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(e);
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
