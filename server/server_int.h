/*
 * server_int.h - what the files of the server share (private).
 *
 * http.c turns libmicrohttpd callbacks into a `struct req` after the safety
 * checks (Host, Origin, token, size and depth limits), routes.c finds the
 * handler in the route table, and each api_<area>.c fills a `struct resp`.
 * cache.c keeps loaded scenarios in memory, shared read-only between
 * requests; assets.c serves the bundled dashboard files by exact path.
 */
#ifndef ALLOT_SERVER_INT_H
#define ALLOT_SERVER_INT_H

#include <allot/allot.h>
#include <jansson.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <microhttpd.h>

#include "server.h"

#define SRV_TOKEN_HEX      32 /* 128 bits */
#define SRV_MAX_HOSTS      4
#define SRV_MAX_JSON_DEPTH 32
#define SRV_MAX_HEADERS    8192 /* bytes of request headers */
#define SRV_MAX_PARAMS     4
#define SRV_MAX_ITEMS      1000 /* events, investments ... in one body */
#define SRV_IO_THREADS     4    /* libmicrohttpd's thread pool */
#define RC_KEY_MAX         2048 /* longest GET (path and query) answered from cache */
#define SRV_PAGE_DEFAULT   100  /* items in a list answer without ?limit= */
#define SRV_PAGE_MAX       1000 /* the most ?limit= may ask */

/* ---------------------------------------------------------------------- */
/* The scenario cache (cache.c)                                            */

struct cache_entry;

struct cache {
	pthread_mutex_t mu;
	struct allot_store *st;      /* read-only connection: data_version */
	int64_t version;             /* data_version when the entries were read */
	struct cache_entry *head;    /* most recently loaded first */
	struct cache_entry *retired; /* stale but still in use */
};

int cache_init(struct cache *c, const char *db, struct allot_diags *d);
void cache_fini(struct cache *c);
/* A loaded scenario, shared: never change it.  Release with cache_put.
 * Returns an ALLOT_* status (ALLOT_ENOTFOUND with a diag when absent). */
int cache_get(struct cache *c, const char *name, const struct allot_scenario **out,
	      struct allot_diags *d);
void cache_put(struct cache *c, const struct allot_scenario *s);
/* The plan of s (held through cache_get) under options o, with its
 * checkpoints for allot_plan_resume: planned once per scenario and options
 * and kept with the scenario until it is dropped; never free them.
 * ALLOT_ENOTFOUND when no more plans can be kept for s (plan it yourself). */
int cache_base_plan(struct cache *c, const struct allot_scenario *s,
		    const struct allot_plan_options *o, const struct allot_plan **plan,
		    const struct allot_plan_checkpoints **cp);

/* Reads the store's change counter (retiring stale scenarios). */
int cache_version(struct cache *c, int64_t *v, struct allot_diags *d);

/* ---------------------------------------------------------------------- */
/* Answers to GET requests, reused while the store is unchanged            */
/* (respcache.c)                                                           */

struct rc_entry;

struct respcache {
	pthread_mutex_t mu;
	int64_t version;
	struct rc_entry *head, *tail;
	size_t n, bytes;
};

void respcache_init(struct respcache *rc);
void respcache_fini(struct respcache *rc);
/* 1 with a copy of the answer (mem_free it) when key is cached for this
 * store version; 0 otherwise.  With want_gz, the gzip form when there is
 * one (*gz says which was given). */
int respcache_get(struct respcache *rc, const char *key, int64_t version, int want_gz, char **data,
		  size_t *len, int *gz);
/* Keeps copies of the answer and of its gzip form (gz may be NULL). */
void respcache_put(struct respcache *rc, const char *key, int64_t version, const char *data,
		   size_t len, const unsigned char *gz, size_t gzlen);

/* gzip.c: 0 and a mem_alloc'd gzip stream when compressing pays (at least
 * 1 KiB in, smaller out); -1 otherwise.  accepts_gzip reads an
 * Accept-Encoding header. */
int gzip_bytes(const void *in, size_t n, unsigned char **out, size_t *outn);
int accepts_gzip(const char *accept_encoding);

/* ---------------------------------------------------------------------- */
/* Connections: per-IP cap, request-head deadline, NUL in URLs (guard.c)   */

#define SRV_CONN_RESERVE  8   /* places kept free by evicting slow heads */
#define SRV_HEAD_GRACE_MS 500 /* a connection not read yet is left alone this long */

struct conn_track;

struct guard {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t timer;
	int stop;
	struct conn_track *head, *tail; /* oldest first */
	size_t live;                    /* connections not being closed */
	unsigned max_conns, per_ip;
	int64_t head_ms;
	uint64_t evicted_total, refused_total, overdue_total;
};

struct guard_stats {
	size_t live;
	uint64_t evicted, refused, overdue;
};

int guard_start(struct guard *g, unsigned max_conns, unsigned per_ip, unsigned head_s);
void guard_stop(struct guard *g);
void guard_stats(struct guard *g, struct guard_stats *st);
/* libmicrohttpd callbacks (cls: the guard). */
enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t len);
void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		  enum MHD_ConnectionNotificationCode toe);
size_t guard_unescape(void *cls, struct MHD_Connection *c, char *s);
/* The request's head is complete (1 when its URL held a %00); the
 * request has ended (the next head's deadline starts). */
int guard_head_done(struct guard *g, struct MHD_Connection *c);
void guard_request_done(struct guard *g, struct MHD_Connection *c);

/* ---------------------------------------------------------------------- */
/* The server                                                              */

struct server {
	struct server_options opt;
	struct MHD_Daemon *daemon;
	unsigned port;
	char token[SRV_TOKEN_HEX + 1];
	char url[128];
	/* Host header values accepted ("127.0.0.1:8080", "localhost:8080"). */
	char hosts[SRV_MAX_HOSTS][80];
	size_t n_hosts;
	int any_ip_host; /* bound to a wildcard: any IP literal */
	struct cache cache;
	struct respcache answers;
	struct allot_economy *economy; /* opt.critical_minerals, or NULL */
	struct guard guard;
	pthread_mutex_t write_mu; /* one store writer at a time */
	/* The computations (http.c): opt.workers threads take requests from
	 * a queue of opt.queue places; when both are full, 503. */
	pthread_mutex_t work_mu; /* guards what follows */
	pthread_cond_t work_cv;  /* signalled when nothing runs or waits */
	pthread_cond_t pool_cv;  /* signalled when a request waits */
	pthread_t *workers;
	size_t n_workers;      /* started */
	struct conn_state **q; /* ring of opt.workers + opt.queue */
	size_t q_cap, q_head, q_len;
	size_t running;    /* computations under way */
	size_t resuming;   /* computed, connection not resumed yet */
	uint64_t rejected; /* 503s */
	int pool_stop;
	char test_gate[256]; /* ALLOT_SERVE_TEST_GATE: see http.c */
};

/* ---------------------------------------------------------------------- */
/* Requests and responses                                                  */

struct req {
	struct server *srv;
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	char param[SRV_MAX_PARAMS][256]; /* {} segments of the route */
	size_t n_param;
	json_t *body; /* POST: the parsed JSON object */
};

struct resp {
	int status;
	int retry_after;            /* seconds, for a 503; 0: no header */
	json_t *json;               /* owned; NULL with an asset */
	char location[200];         /* Location header (201), or "" */
	const char *allow;          /* Allow header (405), borrowed */
	const unsigned char *bytes; /* a bundled asset, borrowed (or owned) */
	size_t len;
	int owned;        /* bytes were mem_alloc'd: the response frees them */
	int gzip;         /* bytes are a gzip stream (Content-Encoding) */
	int vary;         /* the answer depends on Accept-Encoding */
	const char *type; /* its Content-Type */
};

typedef void (*api_fn)(struct req *r, struct resp *out);

/* Sets {"error": message} with the status.  Returns nothing: handlers
 * `return resp_error(...)`. */
void resp_error(struct resp *out, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The error for a library status, with the first diagnostic as message:
 * not found 404, bad input 400, limit 413, anything else 500. */
void resp_status(struct resp *out, int status, const struct allot_diags *d, const char *what);
void resp_json(struct resp *out, int status, json_t *j); /* steals j */
/* {"error": msg}, with bytes that are not UTF-8 in msg (request text it
 * quotes, or a character cut by a length limit) shown as \xHH. */
json_t *jerror(const char *msg);

/* ---------------------------------------------------------------------- */
/* Route table (routes.c)                                                  */

struct route {
	const char *method;  /* "GET" or "POST" */
	const char *pattern; /* "/api/scenarios/{}/partners" */
	api_fn fn;
	const char *args; /* query arguments taken: "policy switch embargo*" */
};

/* Finds the route for (method, path), filling r->param.  Returns 0 and
 * sets *fn and *args (the route's query arguments); 404 when no pattern matches; 405 when a pattern
 * matches with another method (allow receives "GET" or "POST"). */
int routes_match(const char *method, const char *path, struct req *r, api_fn *fn,
		 const char **allow, const char **args);

/* Bundled assets (assets.c): exact paths only. */
struct asset {
	const char *path;
	const char *type;
	const unsigned char *data;
	size_t len;
};
const struct asset *assets_find(const char *path);
const struct asset *assets_chart(void); /* assets_chart.c; NULL: out of memory */
/* The gzip form of a bundled file, compressed on first use; NULL if none. */
const struct asset *assets_gzip(const struct asset *a);

/* ---------------------------------------------------------------------- */
/* Helpers for handlers (api_util.c)                                       */

/* Query argument or NULL. */
const char *req_query(struct req *r, const char *key);
/* An integer argument in the grammar of the scenario files (lib/io
 * value.c: "0x10", " 5" and "1e400" are refused) from lo to hi; absent
 * leaves *v.  On a bad value fills out (400) and returns -1. */
int query_int(struct req *r, const char *key, int64_t lo, int64_t hi, int64_t *v, struct resp *out);
/* Pagination of a list answer: ?limit= (1..SRV_PAGE_MAX, default
 * SRV_PAGE_DEFAULT) items from ?offset= (default 0) of the list.  A
 * handler counts every item with page_take, builds only those it says
 * are on the page, and adds j_page as "page". */
struct page {
	int64_t limit, offset;
	size_t total; /* items counted so far */
};
int page_query(struct req *r, struct page *pg, struct resp *out);
/* The same from a POST body's "limit" and "offset" (JSON numbers). */
int page_body(json_t *body, struct page *pg, struct resp *out);
/* Counts one more item; 1 when it is on the page. */
int page_take(struct page *pg);
/* Keeps the items of a whole answer's array that are on the page (counting
 * them all in pg->total): the library builds an answer whole, the API pages
 * it. */
void page_array(json_t *arr, struct page *pg);
/* {"total", "limit", "offset", "next_offset" (null on the last page)}. */
json_t *j_page(const struct page *pg);

/* Loads the scenario named by the first path parameter (cache_get).  On
 * failure fills out and returns NULL. */
const struct allot_scenario *req_scenario(struct req *r, struct resp *out);
void req_scenario_done(struct req *r, const struct allot_scenario *s);
/* Opens the store for this request (reads of runs, writes). */
int req_store(struct req *r, struct allot_store **st, struct resp *out);

/* Plan options from ?policy=&switch= (or a body object's "policy" and
 * "switch").  On bad values fills out and returns -1. */
int plan_opts_query(struct req *r, struct allot_plan_options *o, struct resp *out);
int plan_opts_json(json_t *obj, struct allot_plan_options *o, struct resp *out);
/* Parses an optional month string ("YYYY-MM"); "" or absent leaves *m. */
int parse_month_arg(const char *s, allot_month *m);

/* JSON building. */
json_t *jmonth(allot_month m); /* "YYYY-MM" or null */
json_t *jnum(double v);        /* real, or integer when integral */
json_t *jstr(const char *s);   /* never NULL for a non-NULL s */
json_t *jtext(const char *s);  /* jstr, or null when s is NULL or "" */
/* Plan summary (stats): produced, backlog, delivered by year, waits. */
json_t *j_plan_summary(const struct allot_plan *p);
/* A partner's score with criterion values and contributions. */
json_t *j_score(const struct allot_scenario *s, const struct allot_score *sc);

/* Body fields: string / number / object, with errors into out. */
int body_string(json_t *obj, const char *key, int required, const char **v, struct resp *out);
int body_number(json_t *obj, const char *key, int required, double *v, struct resp *out);

/* Scenario edits (edits.c): events, investments, embargoes and weights
 * from a JSON object, applied to a shallow copy of a scenario.  The copy
 * shares every array it does not extend; free it with edit_free (never
 * allot_scenario_free). */
struct edit {
	struct allot_scenario s;    /* the shallow copy */
	struct allot_event *events; /* owned arrays that replace s's */
	struct allot_investment *investments;
	struct allot_embargo *embargoes;
	char **strings; /* owned strings they point into */
	size_t n_strings, cap_strings;
	size_t added; /* rows added in total */
};
int edit_apply(const struct allot_scenario *base, json_t *body, struct edit *e, struct resp *out);
void edit_free(struct edit *e);

/* ---------------------------------------------------------------------- */
/* Handlers (api_<area>.c)                                                 */

void api_info(struct req *r, struct resp *out);
void api_scenarios(struct req *r, struct resp *out);
void api_scenario(struct req *r, struct resp *out);
void api_partners(struct req *r, struct resp *out);
void api_orders(struct req *r, struct resp *out);
void api_order(struct req *r, struct resp *out);
void api_orderbook(struct req *r, struct resp *out);
void api_runs_list(struct req *r, struct resp *out);
void api_run_get(struct req *r, struct resp *out);
void api_run_start(struct req *r, struct resp *out);
void api_whatif(struct req *r, struct resp *out);
void api_events_add(struct req *r, struct resp *out);
void api_policy_set(struct req *r, struct resp *out);
void api_compare(struct req *r, struct resp *out);
void api_quote(struct req *r, struct resp *out);
void api_quote_commit(struct req *r, struct resp *out);
void api_explain(struct req *r, struct resp *out);
void api_metrics(struct req *r, struct resp *out);
void api_minerals(struct req *r, struct resp *out);
void api_risk(struct req *r, struct resp *out);
void api_reserve(struct req *r, struct resp *out); /* api_reserve.c */
void api_opportunities(struct req *r, struct resp *out);
void api_diff(struct req *r, struct resp *out);
void api_style(struct req *r, struct resp *out); /* api_lookups.c */
void api_deliveries(struct req *r, struct resp *out);
void api_xlsx(struct req *r, struct resp *out);

#endif
