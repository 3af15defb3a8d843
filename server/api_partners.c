/*
 * api_partners.c - GET /api/scenarios/{name}/partners[?limit=&offset=]: a
 * page of the partners' scores, tiers and the points each criterion
 * contributes, best first (tier, then score descending, then file order),
 * as `allot score` ranks them.
 */
#include <math.h>
#include <stdlib.h>

#include "mem.h"
#include "server_int.h"

struct ranked {
	int partner;
	struct allot_score sc;
};

static int by_score(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->sc.tier != y->sc.tier)
		return x->sc.tier - y->sc.tier;
	if (x->sc.score != y->sc.score)
		return x->sc.score > y->sc.score ? -1 : 1;
	return x->partner - y->partner;
}

static json_t *j_partner(const struct allot_scenario *s, const struct ranked *rk, size_t rank)
{
	const struct allot_partner *p = &s->partners[rk->partner];
	json_t *j = j_score(s, &rk->sc);
	json_t *inputs = json_pack("{s:b, s:o, s:o, s:o, s:i, s:o, s:o, s:s}", "frontline",
				   p->frontline, "defense_pct_gdp", jnum(p->defense_pct_gdp),
				   "real_growth_3y_pct", jnum(p->real_growth_3y_pct), "us_troops",
				   jnum(p->us_troops), "basing_access", p->basing_access,
				   "us_purchases_5y_usd", jnum(p->us_purchases_5y_usd),
				   "invest_in_us_usd", jnum(p->invest_in_us_usd), "eum_status",
				   allot_eum_name(p->eum_status));
	if (!j || !inputs) {
		json_decref(j);
		json_decref(inputs);
		return NULL;
	}
	/* what the two economic figures are (cmd_score.c's explain says the
	 * same): an unknown investment is null, never 0 */
	const char *pn = allot_purchases_note(p); /* the scenario's own word, or none */
	if (pn)
		json_object_set_new(inputs, "us_purchases_5y_note", json_string(pn));
	if (isnan(p->invest_in_us_usd))
		json_object_set_new(inputs, "invest_in_us_note",
				    json_string(ALLOT_NOTE_INVEST_UNKNOWN));
	json_object_set_new(j, "rank", json_integer((json_int_t)rank));
	json_object_set_new(j, "iso3", json_string(p->iso3));
	json_object_set_new(j, "name", jstr(p->name));
	json_object_set_new(j, "region", jstr(p->region));
	json_object_set_new(j, "alliance", jstr(p->alliance));
	json_object_set_new(j, "inputs", inputs);
	return j;
}

void api_partners(struct req *r, struct resp *out)
{
	struct page pg;
	if (page_query(r, &pg, out) != 0)
		return;
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	struct ranked *rk = mem_calloc(s->n_partners + 1, sizeof *rk);
	json_t *arr = rk ? json_array() : NULL;
	if (arr) {
		for (size_t i = 0; i < s->n_partners; i++) {
			rk[i].partner = (int)i;
			allot_score_partner(&s->policy, &s->partners[i],
					    s->partners[i].invest_in_us_usd,
					    s->partners[i].eum_status, &rk[i].sc);
		}
		qsort(rk, s->n_partners, sizeof *rk, by_score);
		for (size_t i = 0; i < s->n_partners; i++)
			if (page_take(&pg) &&
			    json_array_append_new(arr, j_partner(s, &rk[i], i + 1)) != 0) {
				json_decref(arr);
				arr = NULL;
				break;
			}
	}
	json_t *crit = json_array();
	for (int k = 0; crit && k < ALLOT_CRIT_COUNT; k++)
		json_array_append_new(crit,
				      json_string(allot_criterion_name((enum allot_criterion)k)));
	if (arr && crit) {
		resp_json(out, 200,
			  json_pack("{s:s, s:o, s:o, s:o}", "scenario", r->param[0], "criteria",
				    crit, "page", j_page(&pg), "partners", arr));
	} else {
		json_decref(arr);
		json_decref(crit);
		resp_json(out, 500, NULL);
	}
	mem_free(rk);
	req_scenario_done(r, s);
}
