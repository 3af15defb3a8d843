/*
 * api_scenarios.c - GET /api/info, /api/scenarios and /api/scenarios/{name}:
 * what the store holds, and one scenario's settings and catalogue (partners,
 * systems, lines, minerals, events) as the dashboard's forms need them.
 */
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

/* Answered on the I/O thread, never cached: the load figures are live. */
void api_info(struct req *r, struct resp *out)
{
	struct server *s = r->srv;
	pthread_mutex_lock(&s->work_mu);
	json_t *work = json_pack("{s:I, s:I, s:I, s:I, s:I}", "workers", (json_int_t)s->opt.workers,
				 "queue", (json_int_t)s->opt.queue, "running",
				 (json_int_t)s->running, "queued", (json_int_t)s->q_len, "rejected",
				 (json_int_t)s->rejected);
	pthread_mutex_unlock(&s->work_mu);
	struct guard_stats g;
	guard_stats(&s->guard, &g);
	json_t *conns = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "max",
				  (json_int_t)s->opt.max_conns, "per_ip",
				  (json_int_t)s->opt.max_per_ip, "head_timeout_s",
				  (json_int_t)s->opt.head_timeout_s, "open", (json_int_t)g.live,
				  "evicted", (json_int_t)g.evicted, "refused",
				  (json_int_t)g.refused, "head_overdue", (json_int_t)g.overdue);
	resp_json(out, 200,
		  json_pack("{s:s, s:s, s:I, s:i, s:{s:i, s:i}, s:o, s:o, s:s}", "name", "allot",
			    "version", "0.1.0", "max_body_bytes", (json_int_t)s->opt.max_body,
			    "max_json_depth", SRV_MAX_JSON_DEPTH, "page", "default_limit",
			    SRV_PAGE_DEFAULT, "max_limit", SRV_PAGE_MAX, "work", work,
			    "connections", conns, "docs", "docs/api.md"));
}

static json_t *brief(const char *name, const struct allot_scenario *s)
{
	return json_pack("{s:s, s:o, s:i, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "name", name,
			 "as_of", jmonth(s->as_of), "horizon_months", s->horizon_months,
			 "switch_month", allot_switch_month_json(s->switch_month), "counts",
			 "partners", (json_int_t)s->n_partners, "systems", (json_int_t)s->n_systems,
			 "lines", (json_int_t)s->n_lines, "orders", (json_int_t)s->n_orders,
			 "minerals", (json_int_t)s->n_minerals, "events", (json_int_t)s->n_events);
}

void api_scenarios(struct req *r, struct resp *out)
{
	struct page pg;
	if (page_query(r, &pg, out) != 0)
		return;
	struct allot_store *st;
	if (req_store(r, &st, out) != ALLOT_OK)
		return;
	char **names = NULL;
	int rc = allot_store_list_scenarios(st, &names);
	allot_store_close(st);
	if (rc != ALLOT_OK)
		return resp_status(out, rc, NULL, "cannot list the scenarios");
	json_t *arr = json_array();
	for (size_t i = 0; arr && names[i]; i++) {
		if (!page_take(&pg))
			continue; /* only the page's scenarios are loaded */
		struct allot_diags d;
		allot_diags_init(&d);
		const struct allot_scenario *s = NULL;
		if (cache_get(&r->srv->cache, names[i], &s, &d) == ALLOT_OK) {
			json_array_append_new(arr, brief(names[i], s));
			cache_put(&r->srv->cache, s);
		}
		allot_diags_free(&d);
	}
	allot_strv_free(names);
	resp_json(out, 200, json_pack("{s:o, s:o}", "page", j_page(&pg), "scenarios", arr));
}

/* The policy in the shape of policy.json: the codec's canonical text,
 * parsed (NULL when out of memory, as json_pack treats it). */
static json_t *j_policy(const struct allot_policy *p)
{
	char *text = allot_policy_json(p, 0);
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return j;
}

static json_t *j_catalogue(const struct allot_scenario *s)
{
	json_t *partners = json_array(), *systems = json_array(), *lines = json_array();
	json_t *minerals = json_array(), *events = json_array(), *sources = json_array();
	for (size_t i = 0; partners && i < s->n_partners; i++)
		json_array_append_new(partners,
				      json_pack("{s:s, s:o, s:o}", "iso3", s->partners[i].iso3,
						"name", jstr(s->partners[i].name), "region",
						jstr(s->partners[i].region)));
	for (size_t i = 0; systems && i < s->n_systems; i++) {
		const struct allot_system *y = &s->systems[i];
		json_array_append_new(
			systems, json_pack("{s:o, s:o, s:o, s:o, s:i, s:b, s:b, s:o}", "system_id",
					   jstr(y->system_id), "name", jstr(y->name), "line_id",
					   jstr(s->lines[y->line].line_id), "unit_cost_usd",
					   jnum(y->unit_cost_usd), "lead_months", y->lead_months,
					   "eeum", y->eeum, "catalog", y->catalog,
					   "foreign_alternative", jtext(y->foreign_alternative)));
	}
	for (size_t i = 0; lines && i < s->n_lines; i++)
		json_array_append_new(lines, json_pack("{s:o, s:o, s:o, s:o}", "line_id",
						       jstr(s->lines[i].line_id), "name",
						       jstr(s->lines[i].name), "rate_per_month",
						       jnum(s->lines[i].rate_per_month), "us_share",
						       jnum(s->lines[i].us_share)));
	for (size_t i = 0; minerals && i < s->n_minerals; i++)
		json_array_append_new(minerals, json_pack("{s:o, s:o, s:I}", "mineral_id",
							  jstr(s->minerals[i].mineral_id), "name",
							  jstr(s->minerals[i].name), "stock_g",
							  (json_int_t)s->minerals[i].stock_g));
	for (size_t i = 0; events && i < s->n_events; i++)
		json_array_append_new(events, json_pack("{s:o, s:s, s:o, s:o}", "month",
							jmonth(s->events[i].month), "type",
							allot_event_type_name(s->events[i].type),
							"target", jstr(s->events[i].target),
							"value", jstr(s->events[i].value)));
	for (size_t i = 0; sources && i < s->n_supply; i++) {
		const char *src = s->supply[i].source;
		size_t j = 0;
		while (j < i && strcmp(s->supply[j].source, src) != 0)
			j++;
		if (j == i)
			json_array_append_new(sources, jstr(src));
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "partners", partners, "systems", systems,
			 "lines", lines, "minerals", minerals, "events", events, "supply_sources",
			 sources);
}

void api_scenario(struct req *r, struct resp *out)
{
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	json_t *j = brief(r->param[0], s);
	if (j) {
		json_object_set_new(j, "notes", jstr(s->notes));
		json_object_set_new(j, "policy", j_policy(&s->policy));
		json_object_update_new(j, j_catalogue(s));
	}
	resp_json(out, 200, j);
	req_scenario_done(r, s);
}
