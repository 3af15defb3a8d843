/*
 * api_util.c - what the handlers share: error responses, query and body
 * arguments, the request's scenario and store, and the JSON shapes that
 * several endpoints return (an order, its plan result, a plan summary, a
 * score).  docs/api.md documents each shape.
 */
#include <errno.h>
#include <math.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "mem.h"
#include "server_int.h"

void resp_json(struct resp *out, int status, json_t *j)
{
	json_decref(out->json);
	out->status = j ? status : 500;
	out->json = j ? j : json_pack("{s:s}", "error", "out of memory");
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if none. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t k = c < 0x80                 ? 1
		   : c >= 0xC2 && c <= 0xDF ? 2
		   : c >= 0xE0 && c <= 0xEF ? 3
		   : c >= 0xF0 && c <= 0xF4 ? 4
					    : 0;
	if (!k || k > n)
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) ||
	    (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
		return 0; /* overlong, surrogate, over U+10FFFF */
	return k;
}

json_t *jerror(const char *msg)
{
	/* Messages quote request text (paths, arguments) that may be any
	 * bytes, or cut inside a character: show bad bytes as \xHH, as JSON
	 * strings must be UTF-8. */
	size_t n = strlen(msg);
	char *t = mem_alloc(4 * n + 1);
	if (!t)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len((const unsigned char *)msg + i, n - i);
		if (k) {
			memcpy(t + o, msg + i, k);
			o += k;
			i += k;
		} else {
			o += (size_t)snprintf(t + o, 5, "\\x%02X", (unsigned char)msg[i++]);
		}
	}
	t[o] = '\0';
	json_t *j = json_pack("{s:s}", "error", t);
	mem_free(t);
	return j;
}

void resp_error(struct resp *out, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	resp_json(out, status, jerror(msg));
}

void resp_status(struct resp *out, int status, const struct allot_diags *d, const char *what)
{
	int http = status == ALLOT_ENOTFOUND                          ? 404
		   : status == ALLOT_EINPUT || status == ALLOT_ELIMIT ? 400
								      : 500;
	const char *msg = d && d->n ? d->v[0].msg : allot_strerror(status);
	resp_error(out, http, "%s: %s", what, msg);
}

const char *req_query(struct req *r, const char *key)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

int query_int(struct req *r, const char *key, int64_t lo, int64_t hi, int64_t *v, struct resp *out)
{
	const char *t = req_query(r, key);
	if (!t)
		return 0;
	int64_t x;
	if (value_int(t, &x) != 0 || x < lo || x > hi) {
		resp_error(out, 400, "%s: expected a whole number from %lld to %lld, found '%.20s'",
			   key, (long long)lo, (long long)hi, t);
		return -1;
	}
	*v = x;
	return 0;
}

int page_query(struct req *r, struct page *pg, struct resp *out)
{
	*pg = (struct page){ .limit = SRV_PAGE_DEFAULT };
	return query_int(r, "limit", 1, SRV_PAGE_MAX, &pg->limit, out) ||
			       query_int(r, "offset", 0, 9007199254740992LL, &pg->offset, out)
		       ? -1
		       : 0;
}

int page_body(json_t *body, struct page *pg, struct resp *out)
{
	*pg = (struct page){ .limit = SRV_PAGE_DEFAULT };
	double lim = (double)pg->limit, off = 0;
	if (body_number(body, "limit", 0, &lim, out) || body_number(body, "offset", 0, &off, out))
		return -1;
	if (lim != floor(lim) || lim < 1 || lim > SRV_PAGE_MAX) {
		resp_error(out, 400, "limit: expected a whole number from 1 to %d", SRV_PAGE_MAX);
		return -1;
	}
	if (off != floor(off) || off < 0 || off > 9007199254740992.0) {
		resp_error(out, 400, "offset: expected a whole number from 0");
		return -1;
	}
	pg->limit = (int64_t)lim;
	pg->offset = (int64_t)off;
	return 0;
}

int page_take(struct page *pg)
{
	int64_t k = (int64_t)pg->total++;
	return k >= pg->offset && k - pg->offset < pg->limit;
}

void page_array(json_t *arr, struct page *pg)
{
	json_t *kept = json_array();
	for (size_t i = 0; kept && i < json_array_size(arr); i++)
		if (page_take(pg))
			json_array_append(kept, json_array_get(arr, i));
	if (kept && json_array_clear(arr) == 0)
		json_array_extend(arr, kept);
	json_decref(kept);
}

json_t *j_page(const struct page *pg)
{
	int64_t next = pg->offset + pg->limit;
	return json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)pg->total, "limit",
			 (json_int_t)pg->limit, "offset", (json_int_t)pg->offset, "next_offset",
			 next < (int64_t)pg->total ? json_integer(next) : json_null());
}

const struct allot_scenario *req_scenario(struct req *r, struct resp *out)
{
	struct allot_diags d;
	allot_diags_init(&d);
	const struct allot_scenario *s = NULL;
	int rc = cache_get(&r->srv->cache, r->param[0], &s, &d);
	if (rc != ALLOT_OK)
		resp_status(out, rc, &d, rc == ALLOT_ENOTFOUND ? "no such scenario" : "store");
	allot_diags_free(&d);
	return s;
}

void req_scenario_done(struct req *r, const struct allot_scenario *s)
{
	cache_put(&r->srv->cache, s);
}

int req_store(struct req *r, struct allot_store **st, struct resp *out)
{
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = allot_store_open(r->srv->opt.db, st, &d);
	if (rc != ALLOT_OK) {
		resp_status(out, rc, &d, "store");
		*st = NULL;
	}
	allot_diags_free(&d);
	return rc;
}

int parse_month_arg(const char *s, allot_month *m)
{
	if (!s || !*s)
		return 0;
	return allot_month_parse(s, m);
}

/* "none": the named policy from month 0 (a switch before as_of). */
static int parse_switch(const char *s, allot_month *m)
{
	if (s && strcmp(s, "none") == 0) {
		*m = ALLOT_SWITCH_NONE;
		return 0;
	}
	return parse_month_arg(s, m);
}

static int plan_opts(const char *pol, const char *sw, struct allot_plan_options *o,
		     struct resp *out)
{
	allot_plan_options_init(o);
	o->policy = ALLOT_POLICY_PRIORITY;
	if (pol && allot_policy_kind_parse(pol, &o->policy) != 0) {
		resp_error(out, 400, "policy: expected fcfs or priority, found '%.40s'", pol);
		return -1;
	}
	if (parse_switch(sw, &o->switch_month) != 0) {
		resp_error(out, 400, "switch: expected YYYY-MM or none, found '%.40s'", sw);
		return -1;
	}
	return 0;
}

int plan_opts_query(struct req *r, struct allot_plan_options *o, struct resp *out)
{
	return plan_opts(req_query(r, "policy"), req_query(r, "switch"), o, out);
}

int plan_opts_json(json_t *obj, struct allot_plan_options *o, struct resp *out)
{
	const char *pol = NULL, *sw = NULL;
	if (body_string(obj, "policy", 0, &pol, out) || body_string(obj, "switch", 0, &sw, out))
		return -1;
	return plan_opts(pol, sw, o, out);
}

int body_string(json_t *obj, const char *key, int required, const char **v, struct resp *out)
{
	json_t *j = json_object_get(obj, key);
	if (!j || json_is_null(j)) {
		if (required) {
			resp_error(out, 400, "%s: expected a string, found nothing", key);
			return -1;
		}
		return 0;
	}
	if (!json_is_string(j) || strlen(json_string_value(j)) != json_string_length(j)) {
		resp_error(out, 400, "%s: expected a string", key);
		return -1;
	}
	*v = json_string_value(j);
	return 0;
}

int body_number(json_t *obj, const char *key, int required, double *v, struct resp *out)
{
	json_t *j = json_object_get(obj, key);
	if (!j || json_is_null(j)) {
		if (required) {
			resp_error(out, 400, "%s: expected a number, found nothing", key);
			return -1;
		}
		return 0;
	}
	if (!json_is_number(j) || !isfinite(json_number_value(j))) {
		resp_error(out, 400, "%s: expected a number", key);
		return -1;
	}
	*v = json_number_value(j);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* JSON shapes                                                             */

json_t *jmonth(allot_month m)
{
	return allot_month_json(m); /* the answers' one month writer */
}

json_t *jnum(double v)
{
	if (!isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

json_t *jstr(const char *s)
{
	json_t *j = json_string(s ? s : "");
	return j ? j : json_string("");
}

/* An optional text (a foreign alternative, ...): missing is null, never "". */
json_t *jtext(const char *s)
{
	return s && *s ? jstr(s) : json_null();
}

json_t *j_plan_summary(const struct allot_plan *p)
{
	struct allot_plan_stats st;
	if (allot_plan_stats(p, &st) != ALLOT_OK)
		return NULL;
	json_t *j = allot_plan_stats_json(p, &st);
	allot_plan_stats_free(&st);
	return j;
}

json_t *j_score(const struct allot_scenario *s, const struct allot_score *sc)
{
	json_t *crit = json_object();
	double wsum = 0;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		wsum += s->policy.weight[k];
	for (int k = 0; crit && k < ALLOT_CRIT_COUNT; k++)
		json_object_set_new(crit, allot_criterion_name((enum allot_criterion)k),
				    json_pack("{s:o, s:o, s:o}", "weight",
					      jnum(s->policy.weight[k]), "value",
					      jnum(round(sc->x[k] * 1e4) / 1e4), "points",
					      jnum(round(sc->contrib[k] * 100) / 100)));
	(void)wsum;
	return json_pack("{s:o, s:i, s:o, s:o}", "score", jnum(sc->score), "tier", sc->tier,
			 "penalty", jnum(sc->penalty), "criteria", crit ? crit : json_null());
}
