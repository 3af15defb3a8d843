/*
 * routes.c - the route table of the JSON API (docs/api.md) and matching a
 * request path against it.
 *
 * A pattern is a path whose `{}` segments match any one non-empty segment
 * (at most 255 bytes), captured in order into req.param.  GET requests
 * only read; every POST needs the access token (http.c checks it before
 * the handler runs).
 */
#include <string.h>

#include "server_int.h"

/* The query arguments each route takes (a trailing * marks one that may
 * repeat); `pretty` is accepted everywhere.  Anything else is refused with
 * 400 before the handler runs (http.c), so an unknown argument can never
 * make a request a cache miss. */
#define PLAN "policy switch "
#define PAGE "limit offset "

static const struct route routes[] = {
	{ "GET", "/api/info", api_info, "" },
	{ "GET", "/api/scenarios", api_scenarios, PAGE },
	{ "GET", "/api/scenarios/{}", api_scenario, "" },
	{ "GET", "/api/scenarios/{}/partners", api_partners, PAGE },
	{ "GET", "/api/scenarios/{}/orders", api_orders, PLAN PAGE "iso3 system tier" },
	{ "GET", "/api/scenarios/{}/orders/{}", api_order, PLAN },
	{ "GET", "/api/scenarios/{}/orders/{}/explain", api_explain, PLAN },
	{ "GET", "/api/scenarios/{}/orderbook", api_orderbook,
	  PAGE "switch partner system line tier region late" },
	{ "GET", "/api/scenarios/{}/runs", api_runs_list, PAGE },
	{ "POST", "/api/scenarios/{}/runs", api_run_start, "" },
	{ "GET", "/api/runs/{}", api_run_get, PAGE "allocations" },
	{ "GET", "/api/scenarios/{}/compare", api_compare,
	  PLAN PAGE "before after by year orders" },
	{ "GET", "/api/scenarios/{}/quote", api_quote,
	  PLAN PAGE "iso3 system qty loa need order_id max_per_month not_before" },
	{ "POST", "/api/scenarios/{}/quotes", api_quote_commit, "" },
	{ "GET", "/api/scenarios/{}/metrics", api_metrics, PLAN "tier" },
	{ "GET", "/api/scenarios/{}/minerals", api_minerals, PLAN "embargo*" },
	{ "GET", "/api/scenarios/{}/risk", api_risk, PLAN PAGE "wait" },
	{ "GET", "/api/scenarios/{}/reserve", api_reserve, "budget embargo* probabilities method" },
	{ "GET", "/api/scenarios/{}/opportunities", api_opportunities, PLAN "months top" },
	{ "GET", "/api/diff", api_diff, PAGE "a b" },
	{ "POST", "/api/scenarios/{}/whatif", api_whatif, "" },
	{ "POST", "/api/scenarios/{}/events", api_events_add, "" },
	{ "POST", "/api/scenarios/{}/policy", api_policy_set, "" },
	{ "GET", "/api/style", api_style, "" },
	{ "GET", "/api/scenarios/{}/deliveries", api_deliveries, PLAN "partner" },
	{ "POST", "/api/xlsx", api_xlsx, "" },
	{ NULL, NULL, NULL, NULL },
};

/* Matches path against pattern; 1 with the captures in r on success. */
static int match(const char *pattern, const char *path, struct req *r)
{
	size_t n = 0;
	while (*pattern && *path) {
		if (pattern[0] == '{' && pattern[1] == '}') {
			size_t len = strcspn(path, "/");
			if (len == 0 || len >= sizeof r->param[0] || n == SRV_MAX_PARAMS)
				return 0;
			memcpy(r->param[n], path, len);
			r->param[n++][len] = '\0';
			path += len;
			pattern += 2;
		} else if (*pattern++ != *path++) {
			return 0;
		}
	}
	if (*pattern || *path)
		return 0;
	r->n_param = n;
	return 1;
}

int routes_match(const char *method, const char *path, struct req *r, api_fn *fn,
		 const char **allow, const char **args)
{
	int get = 0, post = 0;
	for (const struct route *rt = routes; rt->method; rt++) {
		if (!match(rt->pattern, path, r))
			continue;
		if (strcmp(rt->method, method) == 0) {
			*fn = rt->fn;
			*args = rt->args;
			return 0;
		}
		if (strcmp(rt->method, "GET") == 0)
			get = 1;
		else
			post = 1;
	}
	if (!get && !post)
		return 404;
	*allow = get && post ? "GET, POST" : get ? "GET" : "POST";
	return 405;
}
