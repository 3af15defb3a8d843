/*
 * http.c - the HTTP glue: libmicrohttpd callbacks, the safety checks every
 * request passes before a handler sees it, and sending the response.
 *
 * Checks, in order (docs/api.md, "Safety" and "Limits"):
 *   0. No %00 in the URL (guard.c sees it while libmicrohttpd decodes the
 *      URL into a C string that the NUL would cut) -> 400.
 *   1. Host must name this server (127.0.0.1:PORT, localhost:PORT or the
 *      bound address): a DNS-rebinding page sends its own name -> 421.
 *   2. The path must be an API route (404 / 405 with Allow) or a bundled
 *      asset by exact path; nothing is read from the filesystem.
 *   3. A request carrying an Origin must come from this origin -> 403; so
 *      must any API request (GETs too: a no-cors read from another site
 *      would still be computed) whose Sec-Fetch-Site is not same-origin or
 *      none.  No CORS headers are ever sent, so other origins cannot read
 *      responses either.
 *   3b. Query arguments: only those the route lists (routes.c), each once
 *      unless repeatable -> 400.
 *   4. POST: the token (Authorization: Bearer T or X-Allot-Token: T) ->
 *      401; Content-Type application/json -> 415; a Content-Length (411)
 *      not over the body limit -> 413.
 *   5. The body must be a JSON object (400) nested at most
 *      SRV_MAX_JSON_DEPTH deep (400), checked before jansson parses it.
 * Headers over SRV_MAX_HEADERS bytes get 431 (libmicrohttpd answers 431 on
 * its own, with an HTML body, to headers that overflow its per-connection
 * memory, MHD_OPTION_CONNECTION_MEMORY_LIMIT); it also closes idle
 * connections after the timeout.
 *
 * Threads: SRV_IO_THREADS libmicrohttpd threads (epoll) read requests and
 * send answers; an answer found in the cache (respcache.c) goes at once,
 * anything to compute waits in a queue (opt.queue places) for one of
 * opt.workers worker threads while the connection is suspended; when the
 * queue is full the answer is 503 with Retry-After.  A long plan run
 * therefore never holds up reads, cached reads never wait for a
 * computation, and the computations at once are bounded.  guard.c bounds
 * the connections (per-IP cap, deadline for the request head).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mem.h"
#include "server_int.h"

enum { PHASE_NEW = 0, PHASE_WORKING, PHASE_READY };

struct conn_state {
	int done;        /* a response is queued */
	int phase;       /* a worker computes the answer, or has */
	struct resp out; /* the worker's answer */
	int cacheable, want_gz;
	int64_t version; /* the store's, when the request came */
	char key[RC_KEY_MAX];
	const char *allow; /* Allow header of a 405 */
	api_fn fn;
	char *path; /* owned copy: route parameters point into it */
	char *body;
	size_t len, cap;
	struct req req;
};

/* ---------------------------------------------------------------------- */
/* Responses                                                               */

static const char *const security_headers[][2] = {
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Cross-Origin-Resource-Policy", "same-origin" },
};

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
	"frame-ancestors 'none'";

/* The JSON text of an answer, with a final newline; mem_free it. */
static char *dump_json(struct MHD_Connection *c, json_t *j, size_t *len)
{
	const char *pretty = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "pretty");
	size_t flags = JSON_REAL_PRECISION(15) | JSON_ENSURE_ASCII;
	flags |= pretty ? JSON_INDENT(2) : JSON_COMPACT;
	char *text = json_dumps(j, flags);
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *out = mem_alloc(n + 1);
	if (out) {
		memcpy(out, text, n);
		out[n] = '\n';
		*len = n + 1;
	}
	free(text); /* jansson's allocator */
	return out;
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct conn_state *cs, struct resp *out)
{
	static const char oom[] = "{\"error\":\"out of memory\"}\n";
	if (!out->bytes) {
		if (!out->json) {
			out->status = 500;
			out->json = json_pack("{s:s}", "error", "no response");
		}
		size_t n = 0;
		char *text = out->json ? dump_json(c, out->json, &n) : NULL;
		if (text) {
			out->bytes = (const unsigned char *)text;
			out->len = n;
			out->owned = 1;
		} else {
			out->bytes = (const unsigned char *)oom;
			out->len = sizeof oom - 1;
			out->status = 500;
		}
		out->type = "application/json; charset=utf-8";
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(
		out->len, (void *)out->bytes,
		out->owned ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r && out->owned)
		mem_free((void *)out->bytes);
	out->owned = 0; /* the bytes are libmicrohttpd's now (or freed) */
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", out->type);
	for (size_t i = 0; i < sizeof security_headers / sizeof *security_headers; i++)
		MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "Cache-Control",
				strncmp(out->type, "application/json", 16) == 0 ? "no-store"
										: "no-cache");
	if (out->location[0])
		MHD_add_response_header(r, "Location", out->location);
	if (out->allow)
		MHD_add_response_header(r, "Allow", out->allow);
	if (out->gzip)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	if (out->vary)
		MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (out->status == 401)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"allot\"");
	if (out->retry_after > 0) {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", out->retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)out->status, r);
	MHD_destroy_response(r);
	json_decref(out->json);
	out->json = NULL;
	if (cs)
		cs->done = 1;
	return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, struct conn_state *cs, int status,
				  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static enum MHD_Result send_error(struct MHD_Connection *c, struct conn_state *cs, int status,
				  const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct resp out = { .status = status, .json = jerror(msg), .allow = cs ? cs->allow : NULL };
	return send_resp(c, cs, &out);
}

/* ---------------------------------------------------------------------- */
/* Checks                                                                  */

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

/* An IPv4 literal with a port ("10.1.2.3:8080"), for a wildcard bind. */
static int ip_literal_host(const char *h, unsigned port)
{
	char want[16];
	snprintf(want, sizeof want, ":%u", port);
	const char *colon = strrchr(h, ':');
	if (!colon || strcmp(colon, want) != 0 || colon == h)
		return 0;
	int dots = 0;
	for (const char *p = h; p < colon; p++) {
		if (*p == '.')
			dots++;
		else if (!isdigit((unsigned char)*p))
			return 0;
	}
	return dots == 3;
}

static int host_ok(const struct server *s, const char *h)
{
	if (!h)
		return 0;
	for (size_t i = 0; i < s->n_hosts; i++)
		if (strcasecmp(h, s->hosts[i]) == 0)
			return 1;
	return s->any_ip_host && ip_literal_host(h, s->port);
}

/* Origin "http://HOST" where HOST is the request's own (checked) Host. */
static int origin_ok(const char *origin, const char *host)
{
	static const char scheme[] = "http://";
	size_t n = sizeof scheme - 1;
	return strncmp(origin, scheme, n) == 0 && strcasecmp(origin + n, host) == 0;
}

/* Constant-time comparison of the presented token with ours. */
static int token_ok(const struct server *s, struct MHD_Connection *c)
{
	const char *t = header(c, "X-Allot-Token");
	const char *auth = header(c, "Authorization");
	if (!t && auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		t = auth + 7;
		while (*t == ' ')
			t++;
	}
	if (!t || strlen(t) != SRV_TOKEN_HEX)
		return 0;
	unsigned diff = 0;
	for (size_t i = 0; i < SRV_TOKEN_HEX; i++)
		diff |= (unsigned)(tolower((unsigned char)t[i]) ^ s->token[i]);
	return diff == 0;
}

/* Nesting depth of JSON text (brackets outside strings); the parser
 * itself would recurse once per level. */
static int json_depth_ok(const char *p, size_t n, int max)
{
	int depth = 0, in_str = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = 0;
		} else if (ch == '"') {
			in_str = 1;
		} else if (ch == '[' || ch == '{') {
			if (++depth > max)
				return 0;
		} else if (ch == ']' || ch == '}') {
			depth--;
		}
	}
	return 1;
}

static enum MHD_Result add_len(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	*(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* Bytes of request headers (libmicrohttpd itself refuses, with 431 and an
 * HTML body, headers that overflow its connection memory). */
static size_t header_bytes(struct MHD_Connection *c)
{
	size_t n = 0;
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_len, &n);
	return n;
}

/* Query arguments, collected for checking and for the cache key. */
#define SRV_MAX_ARGS 64

struct args {
	const char *key[SRV_MAX_ARGS], *val[SRV_MAX_ARGS];
	size_t n;
	int over; /* more than SRV_MAX_ARGS */
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	(void)kind;
	struct args *a = cls;
	if (a->n == SRV_MAX_ARGS) {
		a->over = 1;
		return MHD_NO;
	}
	a->key[a->n] = key;
	a->val[a->n++] = value ? value : "";
	return MHD_YES;
}

/* Where `key` is in the route's list "policy switch embargo*": NULL when
 * absent; else the word, whose end tells whether it may repeat. */
static const char *arg_word(const char *list, const char *key)
{
	size_t n = strlen(key);
	for (const char *p = list; *p;) {
		size_t w = strcspn(p, " ");
		size_t k = w && p[w - 1] == '*' ? w - 1 : w;
		if (k == n && strncmp(p, key, n) == 0)
			return p;
		p += w;
		p += strspn(p, " ");
	}
	return NULL;
}

/* Every argument must be one the route takes (or `pretty`), at most once
 * unless marked repeatable.  0, or -1 with the reason in why. */
static int args_check(const struct args *a, const char *list, char *why, size_t n)
{
	if (a->over) {
		snprintf(why, n, "expected at most %d query arguments", SRV_MAX_ARGS);
		return -1;
	}
	for (size_t i = 0; i < a->n; i++) {
		const char *w = strcmp(a->key[i], "pretty") == 0 ? "pretty"
								 : arg_word(list, a->key[i]);
		if (!w) {
			char names[256] = "";
			size_t k = 0;
			for (const char *p = list; *p && k < sizeof names - 16;) {
				size_t len = strcspn(p, " *");
				k += (size_t)snprintf(names + k, sizeof names - k, "%.*s, ",
						      (int)len, p);
				p += strcspn(p, " ");
				p += strspn(p, " ");
			}
			snprintf(why, n, "unknown query argument '%.60s' (accepted: %spretty)",
				 a->key[i], names);
			return -1;
		}
		if (w[strlen(a->key[i])] == '*')
			continue;
		for (size_t j = 0; j < i; j++)
			if (strcmp(a->key[j], a->key[i]) == 0) {
				snprintf(why, n,
					 "query argument '%.60s' given twice, expected once",
					 a->key[i]);
				return -1;
			}
	}
	return 0;
}

/* Content-Type "application/json", optionally with "; charset=utf-8"
 * (names case-insensitive, spaces around the ';' allowed): nothing else. */
static int json_type_ok(const char *t)
{
	static const char mt[] = "application/json";
	if (strncasecmp(t, mt, sizeof mt - 1) != 0)
		return 0;
	t += sizeof mt - 1;
	t += strspn(t, " \t");
	if (*t == ';') {
		t++;
		t += strspn(t, " \t");
		if (strncasecmp(t, "charset=", 8) != 0)
			return 0;
		t += 8;
		if (strncasecmp(t, "utf-8", 5) == 0)
			t += 5;
		else if (strncasecmp(t, "\"utf-8\"", 7) == 0)
			t += 7;
		else
			return 0;
		t += strspn(t, " \t");
	}
	return *t == '\0';
}

static int is_get(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* Everything that can be decided from the request line and headers.
 * Returns MHD_YES with nothing queued when the request may go on. */
static enum MHD_Result first_call(struct server *s, struct MHD_Connection *c, struct conn_state *cs,
				  const char *url, const char *method)
{
	if (guard_head_done(&s->guard, c))
		return send_error(c, cs, 400, "expected no NUL byte (%%00) in the URL");
	if (header_bytes(c) > SRV_MAX_HEADERS)
		return send_error(c, cs, 431, "expected request headers of at most %d bytes",
				  SRV_MAX_HEADERS);
	const char *host = header(c, "Host");
	if (!host)
		return send_error(c, cs, 400, "expected a Host header, found none");
	if (!host_ok(s, host))
		return send_error(c, cs, 421,
				  "expected Host %s, found '%.100s' (allot serve "
				  "answers only to its own address)",
				  s->hosts[0], host);
	if (!(cs->path = mem_strdup(url)))
		return send_error(c, cs, 500, "out of memory");
	cs->req = (struct req){ .srv = s, .conn = c, .method = method, .path = cs->path };
	const char *origin = header(c, "Origin");
	if (origin && !origin_ok(origin, host))
		return send_error(c, cs, 403,
				  "expected Origin http://%s, found '%.100s' "
				  "(no cross-origin requests)",
				  host, origin);
	if (strncmp(url, "/api/", 5) != 0) {
		const struct asset *a = assets_find(url);
		if (!a)
			return send_error(c, cs, 404, "no such page: %.200s", url);
		if (!is_get(method)) {
			cs->allow = "GET, HEAD";
			return send_error(c, cs, 405, "expected GET for %.200s, found %.20s", url,
					  method);
		}
		const struct asset *g = accepts_gzip(header(c, "Accept-Encoding")) ? assets_gzip(a)
										   : NULL;
		struct resp out = { .status = 200,
				    .bytes = g ? g->data : a->data,
				    .len = g ? g->len : a->len,
				    .type = a->type,
				    .gzip = g != NULL,
				    .vary = 1 };
		return send_resp(c, cs, &out);
	}
	const char *site = header(c, "Sec-Fetch-Site");
	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return send_error(c, cs, 403,
				  "expected a same-origin request, found "
				  "Sec-Fetch-Site: %.40s",
				  site);
	const char *allow = NULL, *args = "";
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int st = routes_match(m, cs->path, &cs->req, &cs->fn, &allow, &args);
	if (st == 404)
		return send_error(c, cs, 404, "no such API path: %.200s (see docs/api.md)", url);
	if (st == 405) {
		cs->allow = allow;
		return send_error(c, cs, 405, "expected %s for %.200s, found %s", allow, url,
				  method);
	}
	struct args a = { .n = 0 };
	char why[400];
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
	if (args_check(&a, args, why, sizeof why) != 0)
		return send_error(c, cs, 400, "%s", why);
	if (is_get(method)) {
		if (header(c, "Transfer-Encoding") ||
		    (header(c, "Content-Length") && strcmp(header(c, "Content-Length"), "0")))
			return send_error(c, cs, 400, "expected no body with %s", method);
		return MHD_YES;
	}
	if (!token_ok(s, c))
		return send_error(c, cs, 401,
				  "expected the access token printed by allot serve "
				  "(Authorization: Bearer TOKEN or X-Allot-Token: TOKEN)");
	const char *type = header(c, "Content-Type");
	if (!type || !json_type_ok(type))
		return send_error(c, cs, 415,
				  "expected Content-Type application/json, found "
				  "'%.80s'",
				  type ? type : "");
	const char *len = header(c, "Content-Length");
	if (!len)
		return send_error(c, cs, 411, "expected a Content-Length header");
	errno = 0;
	char *end;
	unsigned long long n = strtoull(len, &end, 10);
	if (errno || end == len || *end)
		return send_error(c, cs, 400,
				  "expected a number in Content-Length, found "
				  "'%.40s'",
				  len);
	if (n > s->opt.max_body)
		return send_error(c, cs, 413, "expected a body of at most %zu bytes, found %llu",
				  s->opt.max_body, n);
	if (!(cs->body = mem_alloc((size_t)n + 1)))
		return send_error(c, cs, 500, "out of memory");
	cs->cap = (size_t)n;
	return MHD_YES;
}

static enum MHD_Result answer(struct MHD_Connection *c, struct conn_state *cs);

static enum MHD_Result last_call(struct MHD_Connection *c, struct conn_state *cs)
{
	if (!is_get(cs->req.method)) {
		if (cs->len == 0)
			return send_error(c, cs, 400,
					  "expected a JSON object in the body, found "
					  "an empty body");
		cs->body[cs->len] = '\0';
		if (!json_depth_ok(cs->body, cs->len, SRV_MAX_JSON_DEPTH))
			return send_error(c, cs, 400, "expected JSON nested at most %d deep",
					  SRV_MAX_JSON_DEPTH);
		json_error_t err;
		cs->req.body = json_loadb(cs->body, cs->len, JSON_REJECT_DUPLICATES, &err);
		if (!cs->req.body)
			return send_error(c, cs, 400, "malformed JSON at line %d, column %d: %s",
					  err.line, err.column, err.text);
		if (!json_is_object(cs->req.body))
			return send_error(c, cs, 400,
					  "expected a JSON object in the body, found "
					  "another JSON value");
	}
	return answer(c, cs);
}

/* "path?" then each query argument length-prefixed, sorted by name (the
 * values of a repeated one keep their order, which matters): requests that
 * mean the same get the same key.  0 when too long to cache. */
static int cache_key(struct MHD_Connection *c, const char *path, char key[RC_KEY_MAX])
{
	struct args a = { .n = 0 };
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &a);
	for (size_t i = 1; i < a.n; i++) /* insertion sort: stable */
		for (size_t j = i; j > 0 && strcmp(a.key[j - 1], a.key[j]) > 0; j--) {
			const char *k = a.key[j], *v = a.val[j];
			a.key[j] = a.key[j - 1];
			a.val[j] = a.val[j - 1];
			a.key[j - 1] = k;
			a.val[j - 1] = v;
		}
	size_t n = (size_t)snprintf(key, RC_KEY_MAX, "%s?", path);
	for (size_t i = 0; i < a.n && n < RC_KEY_MAX; i++)
		n += (size_t)snprintf(key + n, RC_KEY_MAX - n, "%zu:%s%zu:%s", strlen(a.key[i]),
				      a.key[i], strlen(a.val[i]), a.val[i]);
	return !a.over && n < RC_KEY_MAX - 1;
}

/* Runs the handler and, for a cacheable GET, keeps its answer (and the
 * gzip form) for the next identical request.  Runs on a worker thread. */
static void compute(struct conn_state *cs)
{
	struct server *s = cs->req.srv;
	struct resp *out = &cs->out;
	cs->fn(&cs->req, out);
	char *data;
	size_t len;
	if (!cs->cacheable || out->status != 200 || !out->json || out->bytes ||
	    !(data = dump_json(cs->req.conn, out->json, &len)))
		return;
	unsigned char *zb = NULL;
	size_t zn = 0;
	gzip_bytes(data, len, &zb, &zn);
	respcache_put(&s->answers, cs->key, cs->version, data, len, zb, zn);
	out->owned = 1;
	out->vary = 1;
	out->type = "application/json; charset=utf-8";
	if (cs->want_gz && zb) {
		out->bytes = zb;
		out->len = zn;
		out->gzip = 1;
		mem_free(data);
	} else {
		out->bytes = (const unsigned char *)data;
		out->len = len;
		mem_free(zb);
	}
}

/* ALLOT_SERVE_TEST_GATE=FILE (tests only): a worker waits for FILE to
 * exist before it computes, so a test can hold the queue full. */
static void test_gate(const struct server *s)
{
	while (s->test_gate[0] && access(s->test_gate, F_OK) != 0)
		usleep(10000);
}

/* A worker: takes a suspended connection from the queue, computes its
 * answer, then hands it back to libmicrohttpd, which calls on_request
 * again to send it.  cs belongs to the connection: it is not touched
 * after the resume. */
static void *worker(void *arg)
{
	struct server *s = arg;
	pthread_mutex_lock(&s->work_mu);
	for (;;) {
		while (!s->pool_stop && s->q_len == 0)
			pthread_cond_wait(&s->pool_cv, &s->work_mu);
		if (s->q_len == 0)
			break;
		struct conn_state *cs = s->q[s->q_head];
		s->q_head = (s->q_head + 1) % s->q_cap;
		s->q_len--;
		s->running++;
		pthread_mutex_unlock(&s->work_mu);
		test_gate(s);
		struct MHD_Connection *c = cs->req.conn;
		compute(cs);
		/* The computation ends before its answer can reach the client:
		 * a client that has its answer never sees it counted as running
		 * (GET /api/info), nor does the next request find its place in
		 * the queue still taken.  server_stop waits for the resume. */
		pthread_mutex_lock(&s->work_mu);
		s->running--;
		s->resuming++;
		pthread_mutex_unlock(&s->work_mu);
		cs->phase = PHASE_READY;
		MHD_resume_connection(c);
		pthread_mutex_lock(&s->work_mu);
		if (--s->resuming == 0 && s->running == 0 && s->q_len == 0)
			pthread_cond_broadcast(&s->work_cv);
	}
	pthread_mutex_unlock(&s->work_mu);
	return NULL;
}

/* Answers from the cache at once (on the I/O thread); anything to compute
 * waits in the queue for a worker while the connection is suspended, so
 * the I/O threads keep serving every other connection meanwhile.  When
 * every worker is busy and the queue is full: 503 with Retry-After. */
static enum MHD_Result answer(struct MHD_Connection *c, struct conn_state *cs)
{
	struct server *s = cs->req.srv;
	cs->out = (struct resp){ .status = 200 };
	if (cs->fn == api_info) { /* the server's own state: never cached or queued */
		cs->fn(&cs->req, &cs->out);
		return send_resp(c, cs, &cs->out);
	}
	struct allot_diags d;
	allot_diags_init(&d);
	cs->cacheable = is_get(cs->req.method) && cache_key(c, cs->req.path, cs->key) &&
			cache_version(&s->cache, &cs->version, &d) == ALLOT_OK;
	allot_diags_free(&d);
	cs->want_gz = accepts_gzip(header(c, "Accept-Encoding"));
	char *data;
	size_t len;
	int gz = 0;
	if (cs->cacheable &&
	    respcache_get(&s->answers, cs->key, cs->version, cs->want_gz, &data, &len, &gz)) {
		struct resp out = { .status = 200,
				    .bytes = (const unsigned char *)data,
				    .len = len,
				    .owned = 1,
				    .gzip = gz,
				    .vary = 1,
				    .type = "application/json; charset=utf-8" };
		return send_resp(c, cs, &out);
	}
	pthread_mutex_lock(&s->work_mu);
	size_t busy = s->running + s->q_len;
	if (busy >= s->q_cap) {
		s->rejected++;
		pthread_mutex_unlock(&s->work_mu);
		struct resp out = { .status = 503,
				    .retry_after = 1,
				    .json = jerror("busy: every worker computes and the queue is "
						   "full; retry after 1 second (see docs/api.md, "
						   "Limits)") };
		return send_resp(c, cs, &out);
	}
	cs->phase = PHASE_WORKING;
	MHD_suspend_connection(c);
	s->q[(s->q_head + s->q_len) % s->q_cap] = cs;
	s->q_len++;
	pthread_cond_signal(&s->pool_cv);
	pthread_mutex_unlock(&s->work_mu);
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *s = cls;
	struct conn_state *cs = *con_cls;
	if (!cs) {
		if (!(cs = mem_calloc(1, sizeof *cs)))
			return MHD_NO;
		*con_cls = cs;
		return first_call(s, c, cs, url, method);
	}
	if (cs->phase == PHASE_READY) { /* resumed: the worker's answer */
		cs->phase = PHASE_NEW;
		return send_resp(c, cs, &cs->out);
	}
	if (cs->phase == PHASE_WORKING) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (cs->done) { /* refused early: drop whatever body follows */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cs->body || *upload_size > cs->cap - cs->len)
			return send_error(c, cs, 413, "expected a body of at most %zu bytes",
					  s->opt.max_body);
		memcpy(cs->body + cs->len, upload, *upload_size);
		cs->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	return last_call(c, cs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	(void)why;
	struct server *s = cls;
	guard_request_done(&s->guard, c);
	struct conn_state *cs = *con_cls;
	if (!cs)
		return;
	json_decref(cs->req.body);
	json_decref(cs->out.json);
	if (cs->out.owned) /* computed, but the connection went before it was sent */
		mem_free((void *)cs->out.bytes);
	mem_free(cs->body);
	mem_free(cs->path);
	mem_free(cs);
	*con_cls = NULL;
}

static void quiet_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (getenv("ALLOT_SERVE_DEBUG"))
		vfprintf(stderr, fmt, ap);
}

/* ---------------------------------------------------------------------- */
/* Starting and stopping                                                   */

void server_options_init(struct server_options *o)
{
	*o = (struct server_options){ .timeout_s = 15,
				      .max_body = 1u << 20,
				      .max_conns = 256,
				      .max_per_ip = 128,
				      .head_timeout_s = 10,
				      .queue = 16 };
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	o->workers = n < 1 ? 1 : n > 16 ? 16 : (unsigned)n;
}

static int read_token(char out[SRV_TOKEN_HEX + 1], char *err, size_t errlen)
{
	unsigned char raw[SRV_TOKEN_HEX / 2];
	FILE *f = fopen("/dev/urandom", "rb");
	if (!f || fread(raw, 1, sizeof raw, f) != sizeof raw) {
		snprintf(err, errlen, "cannot read /dev/urandom for the access token");
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* Fills the listening address and the Host values accepted. */
static int set_address(struct server *s, struct sockaddr_storage *ss, unsigned *flags, char *err,
		       size_t errlen)
{
	const char *b = s->opt.bind ? s->opt.bind : "127.0.0.1";
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, b, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)s->opt.port);
		s->any_ip_host = v4->sin_addr.s_addr == htonl(INADDR_ANY);
	} else if (inet_pton(AF_INET6, b, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)s->opt.port);
		*flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errlen, "expected an IPv4 or IPv6 address for --bind, found '%s'", b);
		return 2;
	}
	return 0;
}

static void server_free_sync(struct server *s);

static int pool_start(struct server *s)
{
	s->q_cap = (size_t)s->opt.workers + s->opt.queue;
	if (!(s->q = mem_calloc(s->q_cap, sizeof *s->q)) ||
	    !(s->workers = mem_calloc(s->opt.workers, sizeof *s->workers)))
		return -1;
	for (; s->n_workers < s->opt.workers; s->n_workers++)
		if (pthread_create(&s->workers[s->n_workers], NULL, worker, s) != 0)
			return -1;
	return 0;
}

/* Lets the workers finish what is queued, then joins them. */
static void pool_stop(struct server *s)
{
	pthread_mutex_lock(&s->work_mu);
	s->pool_stop = 1;
	pthread_cond_broadcast(&s->pool_cv);
	pthread_mutex_unlock(&s->work_mu);
	for (size_t i = 0; i < s->n_workers; i++)
		pthread_join(s->workers[i], NULL);
	s->n_workers = 0;
}

static void add_host(struct server *s, const char *fmt, const char *addr)
{
	if (s->n_hosts < SRV_MAX_HOSTS)
		snprintf(s->hosts[s->n_hosts++], sizeof s->hosts[0], fmt, addr, s->port);
}

int server_start(const struct server_options *o, struct server **out, char *err, size_t errlen)
{
	*out = NULL;
	struct server *s = mem_calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->opt = *o;
	pthread_mutex_init(&s->write_mu, NULL);
	pthread_mutex_init(&s->work_mu, NULL);
	pthread_cond_init(&s->work_cv, NULL);
	pthread_cond_init(&s->pool_cv, NULL);
	const char *gate = getenv("ALLOT_SERVE_TEST_GATE");
	snprintf(s->test_gate, sizeof s->test_gate, "%s", gate ? gate : "");
	struct allot_diags d;
	allot_diags_init(&d);
	int cache_ok = 0, guard_ok = 0, rc = 1;
	if (o->token) {
		snprintf(s->token, sizeof s->token, "%s", o->token);
	} else if (read_token(s->token, err, errlen) != 0) {
		goto fail;
	}
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if ((rc = set_address(s, &ss, &flags, err, errlen)) != 0)
		goto fail;
	if (o->critical_minerals &&
	    allot_economy_load(o->critical_minerals, &s->economy, &d) != ALLOT_OK) {
		if (d.n)
			snprintf(err, errlen, "%s:%ld:%ld: %s", d.v[0].file, d.v[0].line,
				 d.v[0].col, d.v[0].msg);
		else
			snprintf(err, errlen, "%s: cannot read it", o->critical_minerals);
		rc = 2;
		goto fail;
	}
	rc = 1;
	if (cache_init(&s->cache, o->db, &d) != ALLOT_OK) {
		snprintf(err, errlen, "%s: %s", o->db, d.n ? d.v[0].msg : "cannot open the store");
		goto fail;
	}
	cache_ok = 1;
	respcache_init(&s->answers);
	if (guard_start(&s->guard, o->max_conns, o->max_per_ip, o->head_timeout_s) != 0) {
		snprintf(err, errlen, "cannot start a thread");
		goto fail;
	}
	guard_ok = 1;
	if (pool_start(s) != 0) {
		snprintf(err, errlen, "cannot start the worker threads");
		goto fail;
	}
	/* libmicrohttpd's own limit (split between its threads) sits above
	 * ours, so that the guard decides who gets the last places. */
	s->daemon = MHD_start_daemon(
		flags, (uint16_t)o->port, guard_accept, &s->guard, on_request, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)o->timeout_s, MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_conns + 64,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SRV_IO_THREADS,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, guard_notify, &s->guard,
		MHD_OPTION_UNESCAPE_CALLBACK, guard_unescape, &s->guard, MHD_OPTION_EXTERNAL_LOGGER,
		quiet_log, NULL, MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errlen, "cannot listen on %s port %u: %s",
			 o->bind ? o->bind : "127.0.0.1", o->port, strerror(errno));
		goto fail;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : o->port;
	const char *b = o->bind ? o->bind : "127.0.0.1";
	int v6 = strchr(b, ':') != NULL;
	if (!s->any_ip_host && strcmp(b, "::") != 0)
		add_host(s, v6 ? "[%s]:%u" : "%s:%u", b);
	if (strcmp(b, "127.0.0.1") != 0)
		add_host(s, "%s:%u", "127.0.0.1");
	add_host(s, "%s:%u", "localhost");
	if (strcmp(b, "::") == 0 || strcmp(b, "::1") == 0)
		add_host(s, "%s:%u", "[::1]");
	snprintf(s->url, sizeof s->url, "http://%s/#token=%s", s->hosts[0], s->token);
	allot_diags_free(&d);
	*out = s;
	return 0;
fail:
	pool_stop(s);
	if (guard_ok)
		guard_stop(&s->guard);
	if (cache_ok) {
		respcache_fini(&s->answers);
		cache_fini(&s->cache);
	}
	allot_diags_free(&d);
	allot_economy_free(s->economy);
	server_free_sync(s);
	mem_free(s);
	return rc;
}

static void server_free_sync(struct server *s)
{
	mem_free(s->workers);
	mem_free(s->q);
	pthread_cond_destroy(&s->pool_cv);
	pthread_cond_destroy(&s->work_cv);
	pthread_mutex_destroy(&s->work_mu);
	pthread_mutex_destroy(&s->write_mu);
}

unsigned server_port(const struct server *s)
{
	return s->port;
}

const char *server_token(const struct server *s)
{
	return s->token;
}

const char *server_url(const struct server *s)
{
	return s->url;
}

void server_stop(struct server *s)
{
	if (!s)
		return;
	/* Suspended connections must be resumed before the daemon stops:
	 * wait for the workers (each resumes its connection). */
	MHD_socket listen_fd = MHD_quiesce_daemon(s->daemon);
	pthread_mutex_lock(&s->work_mu);
	while (s->running > 0 || s->resuming > 0 || s->q_len > 0)
		pthread_cond_wait(&s->work_cv, &s->work_mu);
	pthread_mutex_unlock(&s->work_mu);
	MHD_stop_daemon(s->daemon);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd); /* quiesce hands it over, to close after the stop */
	pool_stop(s);
	guard_stop(&s->guard);
	respcache_fini(&s->answers);
	cache_fini(&s->cache);
	allot_economy_free(s->economy);
	server_free_sync(s);
	mem_free(s);
}
