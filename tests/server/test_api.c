/*
 * test_api.c - the JSON API of `allot serve` over real HTTP on loopback.
 *
 * The group setup imports fixtures into a fresh store with the allot binary
 * (argv[1]), starts `allot serve --port 0` and reads the URL it prints (port
 * and token).  Each test speaks HTTP/1.1 through a plain socket (a tiny
 * client below, so the tests see exactly what a browser or curl would) and
 * checks status, headers and JSON values.
 *
 * Expected values on tests/data/scenarios/two-tiers are worked out by hand
 * (docs/allocation.md): one line of 10 units a month, lead 2 months, as_of
 * 2025-01, horizon 6 months; A1 (AAA, score 100, tier 1, 12 units, LOA
 * 2024-09, need 2025-03) and B1 (BBB, score 3.00, tier 3, 15 units, LOA
 * 2024-06).
 *   priority: A1 gets 10 in 2025-01 and 2 in 2025-02 (arriving 2025-03 and
 *             2025-04: complete 2025-04, 1 month late); B1 gets 8 in 2025-02
 *             and 7 in 2025-03 (complete 2025-05).
 *   fcfs:     B1 gets 10 then 5 (complete 2025-04); A1 5 in 2025-02 and 7 in
 *             2025-03 (complete 2025-05, 2 months late).
 *   budget cap of USD 5 million on AAA from 2025-01: A1 keeps 5 units (7
 *             cancelled), all made in 2025-01 (complete 2025-03); B1 gets 5
 *             then 10 (complete 2025-04).
 */
#include <allot/allot.h>
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include <setjmp.h>
#include <stddef.h>
#include <cmocka.h>

static const char *allot_bin;
static char tmpdir[256], db[300];
static pid_t server_pid;
static pid_t spawned_pid; /* a second server (spawn), killed at the end if a test failed */
static unsigned port;
static char token[64];

/* ---------------------------------------------------------------------- */
/* A tiny HTTP client                                                      */

struct http {
	int status;
	char *head; /* status line and headers */
	char *body;
	size_t len;
	json_t *json; /* body parsed, when it is JSON */
};

static void http_free(struct http *h)
{
	free(h->head);
	json_decref(h->json);
	memset(h, 0, sizeof *h);
}

static int connect_server(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	struct timeval tv = { 20, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return; /* the server may close early (413): read its answer */
		p += w;
		n -= (size_t)w;
	}
}

/* Reads to EOF (requests say Connection: close) and splits the answer. */
static void read_response(int fd, struct http *h)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	ssize_t r;
	while ((r = recv(fd, buf + n, cap - n, 0)) > 0) {
		n += (size_t)r;
		if (n == cap)
			buf = realloc(buf, (cap *= 2) + 1);
	}
	buf[n] = '\0';
	memset(h, 0, sizeof *h);
	h->head = buf;
	char *sep = strstr(buf, "\r\n\r\n");
	if (sep) {
		*sep = '\0';
		h->body = sep + 4;
		h->len = n - (size_t)(h->body - buf);
	} else {
		h->body = buf + n;
	}
	sscanf(buf, "HTTP/1.%*d %d", &h->status);
	h->json = json_loadb(h->body, h->len, 0, NULL);
}

static void raw(const char *req, size_t len, struct http *h)
{
	int fd = connect_server();
	assert_true(fd >= 0);
	send_all(fd, req, len);
	read_response(fd, h);
	close(fd);
}

/* METHOD path with extra header lines (each ending \r\n) and a JSON body. */
static void request(const char *method, const char *path, const char *extra, const char *body,
		    struct http *h)
{
	size_t blen = body ? strlen(body) : 0;
	size_t cap = (extra ? strlen(extra) : 0) + 1024;
	char *req = malloc(cap + blen);
	int n = snprintf(req, cap,
			 "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n"
			 "%s",
			 method, path, port, extra ? extra : "");
	if (body)
		n += snprintf(req + n, cap - (size_t)n,
			      "Content-Type: application/json\r\nContent-Length: %zu\r\n", blen);
	n += snprintf(req + n, cap - (size_t)n, "\r\n");
	if (body)
		memcpy(req + n, body, blen);
	raw(req, (size_t)n + blen, h);
	free(req);
}

static void get(const char *path, struct http *h)
{
	request("GET", path, NULL, NULL, h);
}

static const char *tok(void)
{
	static char line[128];
	snprintf(line, sizeof line, "X-Allot-Token: %s\r\n", token);
	return line;
}

static void post(const char *path, const char *body, struct http *h)
{
	request("POST", path, tok(), body, h);
}

/* The value of a response header, or NULL. */
static const char *header(const struct http *h, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	for (const char *p = strstr(h->head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
			const char *v = p + 3 + n;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(out, cap, "%.*s", (int)(len < cap ? len : cap - 1), v);
			return out;
		}
	}
	return NULL;
}

/* JSON path lookup: "orders/0/completion". */
static json_t *jget(json_t *j, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf, *k; j && (k = strsep(&p, "/")) != NULL;) {
		if (json_is_array(j))
			j = json_array_get(j, strtoul(k, NULL, 10));
		else
			j = json_object_get(j, k);
	}
	return j;
}

static const char *jstr(json_t *j, const char *path)
{
	json_t *v = jget(j, path);
	return json_is_string(v) ? json_string_value(v) : "(not a string)";
}

static long long jint(json_t *j, const char *path)
{
	json_t *v = jget(j, path);
	assert_true(json_is_number(v));
	return (long long)json_number_value(v);
}

static double jreal(json_t *j, const char *path)
{
	json_t *v = jget(j, path);
	assert_true(json_is_number(v));
	return json_number_value(v);
}

/* The element of array `path` whose `key` equals `value`. */
static json_t *find(json_t *j, const char *path, const char *key, const char *value)
{
	json_t *arr = jget(j, path), *e;
	size_t i;
	json_array_foreach(arr, i, e) if (json_is_string(json_object_get(e, key)) &&
					  strcmp(json_string_value(json_object_get(e, key)),
						 value) == 0) return e;
	return NULL;
}

static void expect_error(const struct http *h, int status, const char *part)
{
	if (h->status != status)
		fprintf(stderr, "status %d, expected %d: %s\n", h->status, status, h->body);
	assert_int_equal(h->status, status);
	const char *msg = jstr(h->json, "error");
	if (!strstr(msg, part))
		fprintf(stderr, "error '%s' lacks '%s'\n", msg, part);
	assert_non_null(strstr(msg, part));
}

/* ---------------------------------------------------------------------- */
/* The server                                                              */

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int import(const char *dir, const char *name)
{
	return run("'%s' import '%s/%s' --db '%s' --scenario %s --replace >/dev/null", allot_bin,
		   ALLOT_SOURCE_DIR, dir, db, name);
}

static int start_server(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/allot-api-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(db, sizeof db, "%s/allot.db", tmpdir);
	if (import("tests/data/scenarios/two-tiers", "two") || import("data/default", "default") ||
	    import("tests/data/scenarios/tiny", "tiny") ||
	    import("tests/data/scenarios/two-tiers", "qc") ||
	    import("tests/data/scenarios/unknown-cost", "uc") ||
	    import("tests/data/scenarios/estimates", "est") ||
	    import("tests/data/scenarios/two-tiers", "ev") ||
	    import("tests/data/scenarios/wip", "wip"))
		return -1;
	int fds[2];
	if (pipe(fds) != 0)
		return -1;
	server_pid = fork();
	if (server_pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		char cm[1024];
		snprintf(cm, sizeof cm, "%s/data/default/critical_minerals.csv", ALLOT_SOURCE_DIR);
		execl(allot_bin, allot_bin, "serve", "--db", db, "--port", "0", "--timeout", "2",
		      "--critical-minerals", cm, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	FILE *f = fdopen(fds[0], "r");
	char line[512] = "";
	if (!fgets(line, sizeof line, f))
		return -1;
	/* allot serve: http://127.0.0.1:PORT/#token=HEX */
	if (sscanf(line, "allot serve: http://127.0.0.1:%u/#token=%63s", &port, token) != 2)
		return -1;
	fclose(f);
	return 0;
}

static int stop_server(void **state)
{
	(void)state;
	int st = 0;
	if (spawned_pid > 0) {
		kill(spawned_pid, SIGKILL);
		waitpid(spawned_pid, NULL, 0);
	}
	kill(server_pid, SIGTERM);
	waitpid(server_pid, &st, 0);
	run("rm -rf '%s'", tmpdir);
	/* A clean stop on SIGTERM exits 0. */
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------------- */
/* Reads                                                                   */

static void test_token_printed(void **state)
{
	(void)state;
	assert_int_equal(strlen(token), 32); /* 128 bits in hex */
	assert_int_equal(strspn(token, "0123456789abcdef"), 32);
	assert_true(port > 0);
}

static void test_scenarios(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios", &h);
	assert_int_equal(h.status, 200);
	char ct[128];
	assert_string_equal(header(&h, "Content-Type", ct, sizeof ct),
			    "application/json; charset=utf-8");
	assert_null(header(&h, "Access-Control-Allow-Origin", ct, sizeof ct));
	json_t *two = find(h.json, "scenarios", "name", "two");
	assert_non_null(two);
	assert_string_equal(jstr(two, "as_of"), "2025-01");
	assert_int_equal(jint(two, "horizon_months"), 6);
	assert_int_equal(jint(two, "counts/orders"), 2);
	json_t *def = find(h.json, "scenarios", "name", "default");
	assert_int_equal(jint(def, "counts/partners"), 85);
	assert_int_equal(jint(def, "counts/orders"), 526);
	http_free(&h);

	get("/api/scenarios/two", &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(jstr(h.json, "partners/1/iso3"), "BBB");
	assert_string_equal(jstr(h.json, "systems/0/line_id"), "L");
	assert_int_equal(jint(h.json, "systems/0/lead_months"), 2);
	/* no foreign alternative is missing (null), never "" */
	assert_true(json_is_null(jget(h.json, "systems/0/foreign_alternative")));
	assert_true(jreal(h.json, "policy/weights/investment") == 0.3);
	assert_int_equal(jint(h.json, "policy/tiers/0"), 65);
	http_free(&h);

	get("/api/scenarios/nope", &h);
	expect_error(&h, 404, "no such scenario");
	http_free(&h);
	get("/api/info", &h);
	assert_int_equal(jint(h.json, "max_body_bytes"), 1 << 20);
	http_free(&h);
}

/* The API's policy has the shape of policy.json, key for key and value for
 * value: the bundled file as it is, and a policy with a "cases" object as
 * `allot export` writes it. */
static void expect_policy_as_file(const char *name, const char *file)
{
	struct http h;
	char url[128];
	snprintf(url, sizeof url, "/api/scenarios/%s", name);
	get(url, &h);
	assert_int_equal(h.status, 200);
	json_error_t err;
	json_t *want = json_load_file(file, 0, &err);
	if (!want)
		fail_msg("%s: %s", file, err.text);
	json_t *got = json_object_get(h.json, "policy");
	if (!json_equal(got, want)) {
		char *a = json_dumps(got, JSON_INDENT(2)), *b = json_dumps(want, JSON_INDENT(2));
		fail_msg("the API's policy of %s:\n%s\ndiffers from %s:\n%s", name, a, file, b);
	}
	json_decref(want);
	http_free(&h);
}

static void test_policy_shape(void **state)
{
	(void)state;
	char file[4200];
	snprintf(file, sizeof file, "%s/data/default/policy.json", ALLOT_SOURCE_DIR);
	expect_policy_as_file("default", file);
	struct http h;
	get("/api/scenarios/default", &h);
	assert_true(jreal(h.json, "policy/penalties/delinquent") == 10);
	assert_true(jreal(h.json, "policy/geography/theater_weights/middle-east") == 0.7);
	assert_null(jget(h.json, "policy/penalty_delinquent"));
	http_free(&h);

	assert_int_equal(import("tests/data/scenarios/cases-small", "cases"), 0);
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/cases-export", tmpdir);
	assert_int_equal(
		run("'%s' export --db '%s' --scenario cases '%s' >/dev/null", allot_bin, db, dir),
		0);
	snprintf(file, sizeof file, "%s/policy.json", dir);
	expect_policy_as_file("cases", file);
	get("/api/scenarios/cases", &h);
	assert_int_equal(jint(h.json, "policy/cases/min_tier/S"), 2);
	assert_int_equal(jint(h.json, "policy/cases/processing_days/A"), 45);
	assert_string_equal(jstr(h.json, "policy/cases/transfers/in_force"), "standard");
	http_free(&h);
}

static void test_partners(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/two/partners", &h);
	assert_int_equal(h.status, 200);
	/* AAA: every criterion at 1 -> 30 + 10 + 25 + 20 + 15 = 100, tier 1.
	 * BBB: only geography, africa 0.2 x rear 0.6 = 0.12 -> 3.00, tier 3. */
	assert_string_equal(jstr(h.json, "partners/0/iso3"), "AAA");
	assert_int_equal(jint(h.json, "partners/0/rank"), 1);
	assert_true(jreal(h.json, "partners/0/score") == 100);
	assert_int_equal(jint(h.json, "partners/0/tier"), 1);
	assert_true(jreal(h.json, "partners/0/criteria/investment/points") == 30);
	assert_true(jreal(h.json, "partners/0/criteria/growth/points") == 10);
	assert_true(jreal(h.json, "partners/0/criteria/geography/points") == 25);
	assert_true(jreal(h.json, "partners/0/criteria/operations/points") == 20);
	assert_true(jreal(h.json, "partners/0/criteria/economic/points") == 15);
	assert_string_equal(jstr(h.json, "partners/1/iso3"), "BBB");
	assert_true(jreal(h.json, "partners/1/score") == 3);
	assert_int_equal(jint(h.json, "partners/1/tier"), 3);
	assert_true(jreal(h.json, "partners/1/criteria/geography/value") == 0.12);
	assert_true(jreal(h.json, "partners/1/criteria/geography/points") == 3);
	assert_true(jreal(h.json, "partners/1/criteria/investment/points") == 0);
	/* a stated 0 is 0, with no note of an unknown figure */
	assert_int_equal(jint(h.json, "partners/1/inputs/invest_in_us_usd"), 0);
	assert_null(jget(h.json, "partners/1/inputs/invest_in_us_note"));
	/* a scenario that does not say its purchases are a TIV proxy is not
	 * labelled one (issue 15: the note is the scenario's, not a fixed
	 * sentence about the bundled data) */
	assert_null(jget(h.json, "partners/0/inputs/us_purchases_5y_note"));
	http_free(&h);

	/* estimates: POL states tiv, JPN usd, SAU and BRA nothing */
	get("/api/scenarios/est/partners", &h);
	assert_int_equal(h.status, 200);
	static const struct {
		const char *iso3, *note;
	} notes[] = { { "POL", ALLOT_NOTE_PURCHASES },
		      { "JPN", ALLOT_NOTE_PURCHASES_USD },
		      { "SAU", NULL },
		      { "BRA", NULL } };
	for (size_t i = 0; i < sizeof notes / sizeof *notes; i++) {
		json_t *p = find(h.json, "partners", "iso3", notes[i].iso3);
		assert_non_null(p);
		if (notes[i].note)
			assert_string_equal(jstr(p, "inputs/us_purchases_5y_note"), notes[i].note);
		else
			assert_null(jget(p, "inputs/us_purchases_5y_note"));
	}
	http_free(&h);

	/* the order's inputs carry loa_basis and unit_cost_basis when stated,
	 * and leave an unstated one out (never "month") */
	get("/api/scenarios/est/orders", &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(jstr(find(h.json, "orders", "order_id", "JPN-1"), "loa_basis"), "year");
	assert_string_equal(jstr(find(h.json, "orders", "order_id", "POL-1"), "loa_basis"),
			    "month");
	assert_null(json_object_get(find(h.json, "orders", "order_id", "BRA-1"), "loa_basis"));
	assert_string_equal(jstr(find(h.json, "orders", "order_id", "SAU-1"), "unit_cost_basis"),
			    "estimate");
	http_free(&h);

	/* The bundled dataset: every partner, ranked by tier then score. */
	get("/api/scenarios/default/partners", &h);
	assert_int_equal(h.status, 200);
	json_t *arr = json_object_get(h.json, "partners");
	assert_int_equal(json_array_size(arr), 85);
	for (size_t i = 1; i < json_array_size(arr); i++) {
		json_t *a = json_array_get(arr, i - 1), *b = json_array_get(arr, i);
		long long ta = jint(a, "tier"), tb = jint(b, "tier");
		assert_true(ta < tb || (ta == tb && jreal(a, "score") >= jreal(b, "score")));
		assert_int_equal(jint(b, "rank"), (long long)i + 1);
	}
	/* no public source: every investment is unknown (null, never 0) and
	 * says what it counts as; the purchases say they are a TIV proxy */
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *a = json_array_get(arr, i);
		assert_true(json_is_null(jget(a, "inputs/invest_in_us_usd")));
		assert_string_equal(jstr(a, "inputs/invest_in_us_note"), ALLOT_NOTE_INVEST_UNKNOWN);
		assert_non_null(strstr(jstr(a, "inputs/us_purchases_5y_note"), "SIPRI TIV"));
	}
	assert_int_equal(jint(h.json, "page/total"), 85);
	http_free(&h);
	/* The last page: ranks 81 to 85. */
	get("/api/scenarios/default/partners?limit=10&offset=80", &h);
	arr = json_object_get(h.json, "partners");
	assert_int_equal(json_array_size(arr), 5);
	assert_int_equal(jint(arr, "0/rank"), 81);
	assert_int_equal(jint(arr, "4/rank"), 85);
	assert_true(json_is_null(jget(h.json, "page/next_offset")));
	http_free(&h);
}

static void test_orders(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/two/orders", &h); /* priority by default */
	assert_int_equal(h.status, 200);
	json_t *a1 = find(h.json, "orders", "order_id", "A1");
	json_t *b1 = find(h.json, "orders", "order_id", "B1");
	assert_string_equal(jstr(a1, "first_delivery"), "2025-03");
	assert_string_equal(jstr(a1, "completion"), "2025-04");
	assert_int_equal(jint(a1, "months_late"), 1);
	assert_int_equal(jint(a1, "tier"), 1);
	assert_string_equal(jstr(b1, "first_delivery"), "2025-04");
	assert_string_equal(jstr(b1, "completion"), "2025-05");
	assert_true(json_is_null(jget(b1, "months_late")));
	assert_null(json_object_get(a1, "rate_basis")); /* not stated: not sent */
	assert_int_equal(jint(h.json, "summary/produced_units"), 27);
	assert_int_equal(jint(h.json, "summary/delivered_by_year/0/units"), 27);
	assert_string_equal(jstr(h.json, "horizon_end"), "2025-07");
	http_free(&h);

	get("/api/scenarios/two/orders?policy=fcfs", &h);
	a1 = find(h.json, "orders", "order_id", "A1");
	b1 = find(h.json, "orders", "order_id", "B1");
	assert_string_equal(jstr(a1, "completion"), "2025-05");
	assert_int_equal(jint(a1, "months_late"), 2);
	assert_string_equal(jstr(b1, "completion"), "2025-04");
	http_free(&h);

	get("/api/scenarios/two/orders?iso3=BBB", &h);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 1);
	http_free(&h);
	get("/api/scenarios/two/orders?policy=lottery", &h);
	expect_error(&h, 400, "policy");
	http_free(&h);
	get("/api/scenarios/two/orders?switch=2025-13", &h);
	expect_error(&h, 400, "switch");
	http_free(&h);

	get("/api/scenarios/two/orders/A1", &h);
	assert_int_equal(h.status, 200);
	json_t *prod = json_object_get(h.json, "production");
	assert_int_equal(json_array_size(prod), 2);
	assert_string_equal(jstr(prod, "0/month"), "2025-01");
	assert_int_equal(jint(prod, "0/units"), 10);
	assert_string_equal(jstr(prod, "0/delivery_month"), "2025-03");
	assert_string_equal(jstr(prod, "1/month"), "2025-02");
	assert_int_equal(jint(prod, "1/units"), 2);
	assert_null(json_object_get(json_array_get(prod, 0), "supply")); /* all new */
	http_free(&h);
	/* Work in progress (wip.csv): its rows say so, their month before
	 * as_of (2026-01) being delivery less the lead of 24, not planned
	 * production; POL-1's 4 units arriving 2026-01 come first. */
	get("/api/scenarios/wip/orders/POL-1", &h);
	assert_int_equal(h.status, 200);
	prod = json_object_get(h.json, "production");
	assert_string_equal(jstr(prod, "0/month"), "2024-01");
	assert_string_equal(jstr(prod, "0/delivery_month"), "2026-01");
	assert_int_equal(jint(prod, "0/units"), 4);
	assert_string_equal(jstr(prod, "0/supply"), "wip");
	size_t n_prod = json_array_size(prod);
	assert_string_equal(jstr(json_array_get(prod, n_prod - 1), "supply"), "new");
	http_free(&h);
	get("/api/scenarios/two/orders/ZZ9", &h);
	expect_error(&h, 404, "no order");
	http_free(&h);

	/* The book comes in pages: 100 orders by default, at most 1000. */
	get("/api/scenarios/default/orders", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 100);
	assert_int_equal(jint(h.json, "page/total"), 526);
	assert_int_equal(jint(h.json, "page/limit"), 100);
	assert_int_equal(jint(h.json, "page/offset"), 0);
	assert_int_equal(jint(h.json, "page/next_offset"), 100);
	http_free(&h);
	get("/api/scenarios/default/orders?limit=1000", &h);
	json_t *all = json_incref(json_object_get(h.json, "orders"));
	assert_int_equal(json_array_size(all), 526);
	/* the dashboard marks dates on estimated line rates (issue 15) */
	assert_string_equal(
		jstr(find(h.json, "orders", "order_id", "SIPRI-FRA-2023-01"), "rate_basis"),
		"estimate"); /* Hellfire: SIPRI estimate */
	assert_string_equal(
		jstr(find(h.json, "orders", "order_id", "SIPRI-POL-2024-03"), "rate_basis"),
		"cited"); /* Apache: Boeing 2023 deliveries */
	assert_true(json_is_null(jget(h.json, "page/next_offset")));
	http_free(&h);
	/* Walking the pages gives every order once, in the same order. */
	size_t seen = 0;
	for (long off = 0; off >= 0;) {
		char path[128];
		snprintf(path, sizeof path, "/api/scenarios/default/orders?offset=%ld&limit=77",
			 off);
		get(path, &h);
		assert_int_equal(jint(h.json, "page/total"), 526);
		json_t *o = json_object_get(h.json, "orders");
		assert_int_equal(json_array_size(o), off + 77 <= 526 ? 77 : 526 - off);
		for (size_t i = 0; i < json_array_size(o); i++, seen++)
			assert_string_equal(jstr(json_array_get(o, i), "order_id"),
					    jstr(json_array_get(all, seen), "order_id"));
		json_t *next = jget(h.json, "page/next_offset");
		off = json_is_integer(next) ? (long)json_integer_value(next) : -1;
		http_free(&h);
	}
	assert_int_equal(seen, 526);
	json_decref(all);
	get("/api/scenarios/default/orders?offset=525&limit=5", &h);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 1);
	assert_true(json_is_null(jget(h.json, "page/next_offset")));
	http_free(&h);
	get("/api/scenarios/default/orders?offset=526", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 0);
	assert_int_equal(jint(h.json, "page/total"), 526);
	http_free(&h);
	/* Filters count before paging. */
	get("/api/scenarios/two/orders?iso3=BBB&limit=1", &h);
	assert_int_equal(jint(h.json, "page/total"), 1);
	http_free(&h);
	get("/api/scenarios/two/orders?tier=3", &h);
	assert_int_equal(jint(h.json, "page/total"), 1);
	assert_string_equal(jstr(h.json, "orders/0/order_id"), "B1");
	http_free(&h);
	/* Beyond the bounds: refused, never built. */
	get("/api/scenarios/default/orders?limit=1001", &h);
	expect_error(&h, 400, "limit: expected a whole number from 1 to 1000, found '1001'");
	http_free(&h);
	get("/api/scenarios/default/orders?limit=0", &h);
	expect_error(&h, 400, "limit: expected a whole number from 1 to 1000, found '0'");
	http_free(&h);
	get("/api/scenarios/default/orders?offset=-1", &h);
	expect_error(&h, 400, "offset: expected a whole number from 0");
	http_free(&h);
	get("/api/scenarios/default/orders?tier=abc", &h);
	expect_error(&h, 400, "tier: expected a whole number from 0 to");
	http_free(&h);
}

/* GET .../orderbook on two-tiers (worked out by hand in the file's head:
 * fcfs A1 2025-05, B1 2025-04; priority A1 2025-04, B1 2025-05), with the
 * flags of allot orders as query arguments. */
static void test_orderbook(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/two/orderbook", &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(jstr(h.json, "policies/1"), "priority");
	assert_int_equal(jint(h.json, "matching_orders"), 2);
	assert_int_equal(jint(h.json, "units_left"), 27);
	assert_true(jreal(h.json, "value_left_usd") == 27e6);
	assert_int_equal(jint(h.json, "earlier"), 1);
	assert_int_equal(jint(h.json, "later"), 1);
	json_t *a1 = find(h.json, "orders", "order_id", "A1");
	assert_string_equal(jstr(a1, "completion_fcfs"), "2025-05");
	assert_string_equal(jstr(a1, "completion_priority"), "2025-04");
	assert_int_equal(jint(a1, "shift_months"), -1);
	assert_int_equal(jint(a1, "months_late_fcfs"), 2);
	assert_string_equal(jstr(find(h.json, "orders", "order_id", "B1"), "completion_priority"),
			    "2025-05");
	assert_int_equal(jint(h.json, "page/total"), 2);
	http_free(&h);
	/* a page of the rows; the summary stays that of every match */
	get("/api/scenarios/two/orderbook?limit=1&offset=1", &h);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 1);
	assert_string_equal(jstr(h.json, "orders/0/order_id"), "B1");
	assert_int_equal(jint(h.json, "matching_orders"), 2);
	http_free(&h);
	get("/api/scenarios/two/orderbook?partner=weak&tier=3", &h);
	assert_int_equal(jint(h.json, "matching_orders"), 1);
	assert_string_equal(jstr(h.json, "orders/0/order_id"), "B1");
	http_free(&h);
	/* a priority switch after both complete: fcfs on both sides */
	get("/api/scenarios/two/orderbook?switch=2025-06", &h);
	assert_string_equal(jstr(h.json, "switch_month"), "2025-06");
	assert_int_equal(jint(h.json, "earlier") + jint(h.json, "later"), 0);
	http_free(&h);
	/* the CLI's messages, as 400 */
	get("/api/scenarios/two/orderbook?partner=Weakand", &h);
	expect_error(&h, 400, "no partner 'Weakand' in the scenario; did you mean BBB (Weakland)?");
	http_free(&h);
	get("/api/scenarios/two/orderbook?region=mars", &h);
	expect_error(&h, 400, "no partner in region 'mars'; regions: europe-east africa");
	http_free(&h);
	get("/api/scenarios/two/orderbook?tier=9", &h);
	expect_error(&h, 400, "tier");
	http_free(&h);
	get("/api/scenarios/two/orderbook?late=yes", &h);
	expect_error(&h, 400, "late");
	http_free(&h);
	get("/api/scenarios/two/orderbook?policy=fcfs", &h); /* both policies, always */
	expect_error(&h, 400, "unknown query argument 'policy'");
	http_free(&h);
	get("/api/scenarios/nope/orderbook", &h);
	assert_int_equal(h.status, 404);
	http_free(&h);
}

static void test_explain(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/two/orders/B1/explain", &h);
	assert_int_equal(h.status, 200);
	json_t *m = json_object_get(h.json, "months");
	/* 2025-01: A1 takes the whole line; 2025-02: 8 of 10 left; 2025-03: the
	 * last 7; nothing is wanted after. */
	assert_int_equal(json_array_size(m), 3);
	assert_string_equal(jstr(m, "0/month"), "2025-01");
	assert_int_equal(jint(m, "0/wanted"), 15);
	assert_int_equal(jint(m, "0/got"), 0);
	assert_string_equal(jstr(m, "0/limit"), "line-capacity");
	assert_string_equal(jstr(m, "0/ahead/0/order_id"), "A1");
	assert_int_equal(jint(m, "0/ahead/0/units"), 10);
	assert_int_equal(jint(m, "1/got"), 8);
	assert_int_equal(jint(m, "1/line_left"), 8);
	assert_int_equal(jint(m, "2/got"), 7);
	assert_string_equal(jstr(m, "2/limit"), "got-all"); /* as allot explain says it */
	assert_int_equal(jint(h.json, "limits/line-capacity"), 2);
	/* The same story in spans: 2025-01 nothing, 2025-02 8, 2025-03 the last
	 * 7, then done to the horizon's end. */
	json_t *sp = json_object_get(h.json, "spans");
	assert_int_equal(json_array_size(sp), 4);
	assert_string_equal(jstr(sp, "0/limit"), "line-capacity");
	assert_int_equal(jint(sp, "0/got"), 0);
	assert_int_equal(jint(sp, "1/got"), 8);
	assert_string_equal(jstr(sp, "2/from"), "2025-03");
	assert_int_equal(jint(sp, "2/got"), 7);
	assert_string_equal(jstr(sp, "3/limit"), "done");
	assert_string_equal(jstr(sp, "3/to"), "2025-06");
	assert_int_equal(jint(sp, "3/line_capacity"), 30);
	http_free(&h);
	get("/api/scenarios/default/orders/nope/explain", &h);
	expect_error(&h, 404, "no order");
	http_free(&h);
}

static void test_compare(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/two/compare", &h);
	assert_int_equal(h.status, 200);
	/* Waits from max(as_of, LOA) = 2025-01: AAA 4 -> 3 months, BBB 3 -> 4;
	 * who gains first. */
	assert_string_equal(jstr(h.json, "policies/0"), "fcfs");
	assert_string_equal(jstr(h.json, "policies/1"), "priority");
	assert_string_equal(jstr(h.json, "by_partner/0/key"), "AAA");
	assert_true(jreal(h.json, "by_partner/0/mean_wait_months_a") == 4);
	assert_true(jreal(h.json, "by_partner/0/mean_wait_months_b") == 3);
	assert_true(jreal(h.json, "by_partner/0/change_wait_months") == -1);
	assert_string_equal(jstr(h.json, "by_partner/1/key"), "BBB");
	assert_true(jreal(h.json, "by_partner/1/change_wait_months") == 1);
	assert_int_equal(jint(h.json, "year"), 2028);
	http_free(&h);
	get("/api/scenarios/two/compare?by=tier&orders=1", &h);
	assert_true(json_is_array(json_object_get(h.json, "by_tier")));
	assert_null(json_object_get(h.json, "by_partner"));
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 2);
	http_free(&h);
	get("/api/scenarios/two/compare?by=colour", &h);
	expect_error(&h, 400, "by");
	http_free(&h);
	/* switch=none: the named policy throughout, no switch month (it was
	 * written "1000-01", the library's ALLOT_SWITCH_NONE). */
	get("/api/scenarios/two/compare?switch=none", &h);
	assert_int_equal(h.status, 200);
	assert_true(json_is_null(json_object_get(h.json, "switch_month")));
	http_free(&h);
	get("/api/scenarios/two/compare?switch=2025-03", &h);
	assert_string_equal(jstr(h.json, "switch_month"), "2025-03");
	http_free(&h);
	get("/api/scenarios/default/compare", &h);
	assert_int_equal(h.status, 200);
	assert_true(json_array_size(json_object_get(h.json, "by_partner")) > 10);
	http_free(&h);
}

static void test_quote(void **state)
{
	(void)state;
	struct http h;
	/* 5 units for AAA (tier 1, LOA as_of): after A1, before B1.  2025-02:
	 * A1 2, the quote 5, B1 3; B1 then ends in 2025-04 (+1 month). */
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=5", &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(jstr(h.json, "order_id"), "QUOTE-1");
	assert_string_equal(jstr(h.json, "completion"), "2025-04");
	assert_int_equal(jint(h.json, "deliveries/0/units"), 5);
	assert_string_equal(jstr(h.json, "impacts/0/order_id"), "B1");
	assert_string_equal(jstr(h.json, "impacts/0/completion_before"), "2025-05");
	assert_string_equal(jstr(h.json, "impacts/0/completion_after"), "2025-06");
	assert_int_equal(jint(h.json, "impacts/0/change_months"), 1);
	http_free(&h);
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=0", &h);
	expect_error(&h, 400, "qty");
	http_free(&h);
	get("/api/scenarios/two/quote?iso3=ZZZ&system=S&qty=1", &h);
	assert_int_equal(h.status, 400);
	http_free(&h);
	/* Paced at 2 a month: 2025-02 A1 2, the quote 2, B1 6; 2025-03 the
	 * quote 2, B1 8; 2025-04 the quote 1 (lead 2: 2, 2, 1 from 2025-04). */
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=5&max_per_month=2", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "max_per_month"), 2);
	assert_int_equal(jint(h.json, "deliveries/0/units"), 2);
	assert_string_equal(jstr(h.json, "deliveries/0/month"), "2025-04");
	assert_int_equal(jint(h.json, "deliveries/2/units"), 1);
	assert_string_equal(jstr(h.json, "completion"), "2025-06");
	http_free(&h);
	/* An earliest delivery (orders.csv not_before, the CLI's --not-before):
	 * lead 2, so the line starts on it in 2025-03 and its 5 units arrive
	 * in 2025-05, a month later than without (2025-04). */
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=5&not_before=2025-05", &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(jstr(h.json, "not_before"), "2025-05");
	assert_string_equal(jstr(h.json, "first_delivery"), "2025-05");
	assert_string_equal(jstr(h.json, "deliveries/0/month"), "2025-05");
	assert_int_equal(jint(h.json, "deliveries/0/units"), 5);
	http_free(&h);
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=5&not_before=2025-13", &h);
	expect_error(&h, 400, "not_before");
	http_free(&h);
	/* A pace out of range: the bound and the words of the CLI's
	 * --max-per-month message (tests/cli/cases/quote-paced-*), and what
	 * was found. */
	static const struct {
		const char *query, *found;
	} bad_pace[] = {
		{ "0", "0" }, { "1000000001", "1000000001" }, { "2.5", "2.5" }, { "ten", "ten" }
	};
	for (size_t i = 0; i < sizeof bad_pace / sizeof bad_pace[0]; i++) {
		char url[160], want[160];
		snprintf(url, sizeof url,
			 "/api/scenarios/two/quote?iso3=AAA&system=S&qty=5&max_per_month=%s",
			 bad_pace[i].query);
		snprintf(want, sizeof want,
			 "max_per_month: expected a whole number of units from 1 to 1000000000, "
			 "found '%s'",
			 bad_pace[i].found);
		get(url, &h);
		expect_error(&h, 400, want);
		http_free(&h);
	}
	post("/api/scenarios/two/quotes",
	     "{\"iso3\": \"AAA\", \"system\": \"S\", \"qty\": 5, \"max_per_month\": 2.5}", &h);
	expect_error(&h, 400, "max_per_month: expected " ALLOT_UNITS_EXPECTED ", found '2.5'");
	http_free(&h);
	/* the largest pace is taken; an empty one is none */
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=5&max_per_month=1000000000", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "max_per_month"), 1000000000);
	http_free(&h);
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=5&max_per_month=", &h);
	assert_int_equal(h.status, 200);
	assert_null(json_object_get(h.json, "max_per_month")); /* none: not asked */
	http_free(&h);

	/* Committed: stored (201) and visible to the next read, although the
	 * same read was answered (and kept) just before. */
	get("/api/scenarios/qc/orders", &h);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 2);
	http_free(&h);
	post("/api/scenarios/qc/quotes", "{\"iso3\": \"AAA\", \"system\": \"S\", \"qty\": 5}", &h);
	assert_int_equal(h.status, 201);
	assert_true(json_is_true(json_object_get(h.json, "committed")));
	char loc[256];
	assert_string_equal(header(&h, "Location", loc, sizeof loc),
			    "/api/scenarios/qc/orders/QUOTE-1");
	http_free(&h);
	get("/api/scenarios/qc/orders", &h);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 3);
	assert_string_equal(jstr(find(h.json, "orders", "order_id", "B1"), "completion"),
			    "2025-06");
	http_free(&h);
	get("/api/scenarios/qc/orders/QUOTE-1", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	/* The same id again is refused. */
	post("/api/scenarios/qc/quotes",
	     "{\"iso3\": \"AAA\", \"system\": \"S\", \"qty\": 5, \"order_id\": \"QUOTE-1\"}", &h);
	assert_int_equal(h.status, 400);
	http_free(&h);
}

static void test_metrics(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/two/metrics", &h);
	assert_int_equal(h.status, 200);
	/* LOAs: B1 in 2024-Q2 (15 units), A1 in 2024-Q3 (12).  Deliveries
	 * (priority): 10 in 2025-03, 2 + 8 in 2025-04 and 7 in 2025-05. */
	json_t *q = json_object_get(h.json, "quarters");
	assert_int_equal(json_array_size(q), 5);
	assert_string_equal(jstr(q, "0/quarter"), "2024-Q2");
	assert_int_equal(jint(q, "0/loas"), 1);
	assert_int_equal(jint(q, "0/loa_units"), 15);
	assert_int_equal(jint(q, "1/loa_units"), 12);
	assert_string_equal(jstr(q, "3/quarter"), "2025-Q1");
	assert_int_equal(jint(q, "3/units_delivered"), 10);
	assert_int_equal(jint(q, "3/backlog_units"), 17);
	assert_int_equal(jint(q, "4/units_delivered"), 17);
	assert_int_equal(jint(q, "4/backlog_units"), 0);
	/* The keys and words of allot metrics --json (allot_metrics_columns):
	 * before the plan the deliveries are unknown (null), never 0. */
	assert_string_equal(jstr(q, "0/coverage"), "history");
	assert_string_equal(jstr(q, "0/tier"), "all");
	assert_true(json_is_null(jget(q, "0/units_delivered")));
	assert_string_equal(jstr(q, "4/coverage"), "plan");
	/* requests.csv lists only the requests open at as_of: earlier
	 * quarters have no known count of requests or offers (null) */
	assert_true(json_is_null(jget(q, "0/requests_received")));
	assert_true(json_is_null(jget(q, "0/loas_offered")));
	assert_int_equal(jint(q, "3/requests_received"), 0);
	http_free(&h);
	get("/api/scenarios/two/metrics?tier=3", &h);
	assert_int_equal(jint(h.json, "quarters/4/units_delivered"), 15);
	http_free(&h);
	get("/api/scenarios/two/metrics?tier=x", &h);
	expect_error(&h, 400, "tier");
	http_free(&h);
	get("/api/scenarios/default/metrics", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
}

static void test_minerals(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/tiny/minerals?embargo=domestic:GA:2026-03:2026-12", &h);
	assert_int_equal(h.status, 200);
	/* Cases: stock alone, supply, the scenario's two embargoes, ours. */
	json_t *c = json_object_get(h.json, "cases");
	assert_int_equal(json_array_size(c), 5);
	assert_string_equal(jstr(c, "0/kind"), "stock");
	assert_true(json_is_true(jget(c, "4/hypothetical")));
	json_t *ga = find(h.json, "minerals", "mineral_id", "GA");
	assert_true(jreal(ga, "stock_kg") == 1250.5);
	assert_true(jreal(ga, "supply_kg_month") == 12.345);
	assert_int_equal(json_array_size(json_object_get(ga, "cover_months")), 5);
	assert_string_equal(jstr(c, "4/key"), "no_domestic_GA");
	/* Hits are listed up to 1000, orders_cut counts them all. */
	assert_int_equal(jint(ga, "orders_cut"), json_array_size(json_object_get(ga, "hits")));
	http_free(&h);
	get("/api/scenarios/tiny/minerals?embargo=domestic:XX:2026-03", &h);
	expect_error(&h, 400, "embargo");
	http_free(&h);
	get("/api/scenarios/default/minerals", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(json_array_size(json_object_get(h.json, "minerals")), 8);
	http_free(&h);
	/* Unsold on two-tiers' line (10 a month for 6 months): 60 - 27 = 33,
	 * from 2025-03 (3 left after B1's last 7). */
	get("/api/scenarios/two/opportunities", &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(jstr(h.json, "systems/0/system_id"), "S");
	assert_int_equal(jint(h.json, "systems/0/unsold_units"), 33);
	assert_string_equal(jstr(h.json, "systems/0/first_month"), "2025-03");
	assert_true(jreal(h.json, "systems/0/value_usd") == 33e6);
	assert_string_equal(jstr(h.json, "systems/0/buyers/0/iso3"), "AAA");
	http_free(&h);
	get("/api/scenarios/default/opportunities?months=12&top=3", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "months"), 12);
	http_free(&h);
	get("/api/scenarios/default/opportunities?top=-1", &h);
	expect_error(&h, 400, "top");
	http_free(&h);
	get("/api/scenarios/default/risk?wait=24", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "wait_months"), 24);
	json_t *o = json_object_get(h.json, "orders");
	assert_true(json_array_size(o) > 0);
	int estimated = 0;
	for (size_t i = 0; i < json_array_size(o); i++) {
		json_t *row = json_array_get(o, i);
		assert_true(jint(row, "wait_months") > 24);
		/* every bundled line states its rate basis: a completion on an
		 * estimated rate says so (Black Hawk, MK 41, ESSM are estimates) */
		const char *basis = jstr(row, "rate_basis");
		assert_true(strcmp(basis, "cited") == 0 || strcmp(basis, "estimate") == 0);
		estimated += strcmp(basis, "estimate") == 0;
		/* the keys of allot risk --json and the report (allot_risk_columns) */
		assert_true(json_is_boolean(json_object_get(row, "not_complete")));
		assert_true(json_is_string(json_object_get(row, "alternative")));
		assert_true(json_is_string(json_object_get(row, "loa")));
		assert_true(json_is_string(json_object_get(row, "partner")));
	}
	assert_true(estimated > 0);
	http_free(&h);
}

/* a and b equal, numbers to 10 significant digits (the CLI prints JSON
 * reals with 10, the API with 17). */
static int json_close(json_t *a, json_t *b)
{
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);
		return fabs(x - y) <= 1e-9 * (fabs(x) > fabs(y) ? fabs(x) : fabs(y)) + 1e-9;
	}
	if (json_is_array(a) && json_is_array(b)) {
		if (json_array_size(a) != json_array_size(b))
			return 0;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!json_close(json_array_get(a, i), json_array_get(b, i)))
				return 0;
		return 1;
	}
	if (json_is_object(a) && json_is_object(b)) {
		if (json_object_size(a) != json_object_size(b))
			return 0;
		const char *k;
		json_t *v;
		json_object_foreach(a, k, v) if (!json_close(v, json_object_get(b, k))) return 0;
		return 1;
	}
	return json_equal(a, b);
}

static pid_t spawn(const char *gate, const char *const opts[]);
static void spawn_stop(pid_t pid, unsigned saved_port, const char *saved_token);

/* The reserve at the economy's scale: the object of allot reserve --json
 * (the same keys and numbers, the store's copy of data/default against the
 * directory), the defaults, and bad arguments. */
static void test_reserve(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/default/reserve?budget=12e9&embargo=china@2025-01%2B24", &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(jstr(h.json, "scenario"), "default");
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
		 "'%s' reserve '%s/data/default' --budget 12e9 --embargo "
		 "china@2025-01+24 --json",
		 allot_bin, ALLOT_SOURCE_DIR);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	json_t *cli = json_loadf(f, 0, NULL);
	assert_int_equal(pclose(f), 0);
	assert_non_null(cli);
	/* every key of the CLI's answer is in the API's; the figures that do
	 * not hold times are equal (to the CLI's 10 digits) */
	static const char *const same[] = {
		"budget_usd",   "cost_usd",   "budget_binds",
		"recommended",  "scenarios",  "purchase",
		"groups",       "lines",      "foreign_units_protected_by_tier",
		"defence_days", "civil_days", "aim",
		"next_billion"
	};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		json_t *a = json_object_get(h.json, same[i]), *b = json_object_get(cli, same[i]);
		if (!a || !b || !json_close(a, b))
			fprintf(stderr, "reserve: '%s' differs between the API and the CLI\n",
				same[i]);
		assert_true(a && b && json_close(a, b));
	}
	const char *k;
	json_t *v;
	json_object_foreach(cli, k, v) assert_non_null(json_object_get(h.json, k));
	/* the headline: 7 consumer groups short, 15 of 42 minerals reach 60 days */
	assert_int_equal(json_array_size(json_object_get(h.json, "groups")), 7);
	assert_string_equal(jstr(h.json, "groups/0/group"), "arms-us");
	assert_int_equal(jint(h.json, "aim/after"), 15);
	json_decref(cli);
	http_free(&h);
	/* defaults: USD 12 billion, China for 24 months from as_of */
	get("/api/scenarios/default/reserve?method=heuristic", &h);
	assert_int_equal(h.status, 200);
	assert_true(jreal(h.json, "budget_usd") == 12e9);
	assert_null(json_object_get(h.json, "lp"));
	assert_non_null(strstr(jstr(h.json, "scenarios/0"), "china stops its share of every "
							    "mineral"));
	assert_non_null(strstr(jstr(h.json, "scenarios/0"), "(24 months)"));
	http_free(&h);
	get("/api/scenarios/default/reserve?embargo=china%2B24&embargo=allies%2B12"
	    "&probabilities=3,1&budget=1e9",
	    &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(json_array_size(json_object_get(h.json, "scenarios")), 2);
	assert_non_null(strstr(jstr(h.json, "scenarios/0"), "probability 0.75"));
	http_free(&h);
	get("/api/scenarios/default/reserve?budget=-1", &h);
	expect_error(&h, 400, "budget");
	http_free(&h);
	get("/api/scenarios/default/reserve?embargo=mars", &h);
	expect_error(&h, 400, "embargo");
	http_free(&h);
	get("/api/scenarios/default/reserve?embargo=china&probabilities=1,1", &h);
	expect_error(&h, 400, "probabilities");
	http_free(&h);
	get("/api/scenarios/default/reserve?method=simplex", &h);
	expect_error(&h, 400, "method");
	http_free(&h);
	get("/api/scenarios/nosuch/reserve", &h);
	assert_int_equal(h.status, 404);
	http_free(&h);
}

/* Without --critical-minerals the route says how to enable it; a bad file
 * stops the server at start with file:line:column, exit 2. */
static void test_reserve_needs_economy(void **state)
{
	(void)state;
	unsigned saved = port;
	char tok[64];
	snprintf(tok, sizeof tok, "%s", token);
	static const char *const none[] = { NULL };
	pid_t pid = spawn(NULL, none);
	struct http h;
	get("/api/scenarios/default/reserve", &h);
	expect_error(&h, 404, "--critical-minerals");
	http_free(&h);
	spawn_stop(pid, saved, tok);
	int st = run("'%s' serve --db '%s' --port 0 --critical-minerals "
		     "'%s/tests/cli/cases/reserve-economy-bad-file/input/critical_minerals.csv' "
		     ">/dev/null 2>'%s/serve.err'",
		     allot_bin, db, ALLOT_SOURCE_DIR, tmpdir);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 2);
	char path[600], line[1024] = "";
	snprintf(path, sizeof path, "%s/serve.err", tmpdir);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_non_null(strstr(line, "critical_minerals.csv:2:63: expected a number"));
}

/* ---------------------------------------------------------------------- */
/* One rendering per answer (issue 14): the CLI's --json and the API's     */

/* `allot ARGS --db DB --json`, parsed (NULL when it is not JSON). */
static json_t *cli_json(const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "'%s' %s --db '%s' --json 2>/dev/null", allot_bin, args, db);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	json_t *j = json_loadf(f, 0, NULL);
	pclose(f);
	return j;
}

/* Whether a and b have the same keys at every level: objects key for key
 * (the API's `page` and keys named in `extra` are the API's own, left out),
 * arrays element by element as far as both go; a null against a value is
 * not a difference of keys.  Prints the first path that differs. */
static int same_keys(json_t *a, json_t *b, const char *path, const char *const *extra)
{
	char sub[512];
	if (json_is_object(a) && json_is_object(b)) {
		const char *k;
		json_t *v;
		for (int side = 0; side < 2; side++) {
			json_t *x = side ? b : a, *y = side ? a : b;
			json_object_foreach(x, k, v)
			{
				int own = strcmp(k, "page") == 0 && !*path;
				for (size_t e = 0; extra && extra[e]; e++)
					own |= strcmp(k, extra[e]) == 0;
				if (own)
					continue;
				if (!json_object_get(y, k)) {
					fprintf(stderr, "%s.%s: only in the %s\n", path, k,
						side ? "API" : "CLI");
					return 0;
				}
				snprintf(sub, sizeof sub, "%s.%s", path, k);
				if (!side && !same_keys(v, json_object_get(y, k), sub, extra))
					return 0;
			}
		}
		return 1;
	}
	if (json_is_array(a) && json_is_array(b)) {
		for (size_t i = 0; i < json_array_size(a) && i < json_array_size(b); i++) {
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			if (!same_keys(json_array_get(a, i), json_array_get(b, i), sub, extra))
				return 0;
		}
		return 1;
	}
	if (json_is_null(a) || json_is_null(b) || json_typeof(a) == json_typeof(b) ||
	    (json_is_number(a) && json_is_number(b)))
		return 1;
	fprintf(stderr, "%s: a %s against a %s\n", path,
		json_is_object(a)  ? "object"
		: json_is_array(a) ? "array"
				   : "value",
		json_is_object(b)  ? "object"
		: json_is_array(b) ? "array"
				   : "value");
	return 0;
}

struct same_case {
	const char *cli, *api;
	const char *const *extra; /* the API's own keys, besides page */
	const char *body;         /* POST this body (NULL: GET) */
};

/* equal 1: the very same object, value for value (but the API's page). */
static void check_same_keys(const struct same_case *c, int equal)
{
	struct http h;
	if (c->body)
		post(c->api, c->body, &h);
	else
		get(c->api, &h);
	assert_int_equal(h.status, 200);
	json_t *j = cli_json(c->cli);
	assert_non_null(j);
	if (!same_keys(j, h.json, "", c->extra))
		fprintf(stderr, "allot %s --json and GET %s differ\n", c->cli, c->api);
	assert_true(same_keys(j, h.json, "", c->extra));
	if (equal) {
		json_object_del(h.json, "page");
		if (!json_equal(j, h.json))
			fprintf(stderr, "allot %s --json and GET %s differ in a value\n", c->cli,
				c->api);
		assert_true(json_equal(j, h.json));
	}
	json_decref(j);
	http_free(&h);
}

static void test_same_keys(void **state)
{
	(void)state;
	/* compare's API adds the two plans' summaries */
	static const char *const compare_own[] = { "before", "after", NULL };
	/* what-if's API adds the plans' summaries, the rows of edits it
	 * applied, the partners that moved and the orders that changed */
	static const char *const whatif_own[] = { "before",   "after",  "edits", "horizon_end",
						  "partners", "orders", NULL };
	static char storyline[1024];
	snprintf(storyline, sizeof storyline,
		 "whatif --scenario default --storylines '%s/data/storylines' --storyline "
		 "saudi-thaad",
		 ALLOT_SOURCE_DIR);
	static const struct same_case cases[] = {
		{ "opportunities --scenario two", "/api/scenarios/two/opportunities?top=3", NULL,
		  NULL },
		{ "opportunities --scenario default --months 12",
		  "/api/scenarios/default/opportunities?months=12&top=3", NULL, NULL },
		{ "minerals --scenario tiny --embargo domestic:GA@2026-03+10",
		  "/api/scenarios/tiny/minerals?embargo=domestic:GA:2026-03:2026-12", NULL, NULL },
		{ "minerals --scenario default --embargo china",
		  "/api/scenarios/default/minerals?embargo=china:*:2025-01", NULL, NULL },
		{ "explain B1 --scenario two", "/api/scenarios/two/orders/B1/explain", NULL, NULL },
		{ "explain SIPRI-FRA-2023-01 --scenario default",
		  "/api/scenarios/default/orders/SIPRI-FRA-2023-01/explain", NULL, NULL },
		{ "compare --scenario two --by partner", "/api/scenarios/two/compare", compare_own,
		  NULL },
		{ "compare --scenario default --by region --policies priority,fcfs",
		  "/api/scenarios/default/compare?by=region&before=priority&after=fcfs",
		  compare_own, NULL },
		{ "quote AAA S 5 --scenario two",
		  "/api/scenarios/two/quote?iso3=AAA&system=S&qty=5", NULL, NULL },
		{ "quote AAA S 5 --scenario two --max-per-month 2",
		  "/api/scenarios/two/quote?iso3=AAA&system=S&qty=5&max_per_month=2", NULL, NULL },
		{ "quote POL PAC3-MSE 100 --scenario default --need 2026-06",
		  "/api/scenarios/default/quote?iso3=POL&system=PAC3-MSE&qty=100&need=2026-06",
		  NULL, NULL },
		{ "whatif --scenario two --cap AAA:5m@2025-01", "/api/scenarios/two/whatif",
		  whatif_own, "{\"changes\": [\"--cap AAA:5m@2025-01\"]}" },
		{ "whatif --scenario two --rate L:20@2025-03", "/api/scenarios/two/whatif",
		  whatif_own, "{\"changes\": [\"--rate L:20@2025-03\"]}" },
		/* saudi-thaad's changes.txt, its one line (the API takes no overlay) */
		{ storyline, "/api/scenarios/default/whatif", whatif_own,
		  "{\"changes\": [\"--invest SAU:thaad:2bn:+4@2028-01\"]}" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		check_same_keys(&cases[i], 0);

	/* One description of a group (issue 14): --csv's header is group,
	 * year and the keys of --json's groups; what-if's groups are
	 * compare's columns (_a without the changes, _b with them) and then
	 * what-if's own. */
	static const char *const csv_cases[] = { "compare --scenario two --by partner",
						 "whatif --scenario two --cap AAA:5m@2025-01" };
	for (size_t i = 0; i < 2; i++) {
		char cmd[1024], head[4096], keys[4096] = "group,year";
		snprintf(cmd, sizeof cmd, "'%s' %s --db '%s' --csv 2>/dev/null", allot_bin,
			 csv_cases[i], db);
		FILE *f = popen(cmd, "r");
		assert_non_null(f);
		assert_non_null(fgets(head, sizeof head, f));
		pclose(f);
		head[strcspn(head, "\n")] = '\0';
		json_t *j = cli_json(csv_cases[i]);
		assert_non_null(j);
		const char *k;
		json_t *v;
		size_t n = 0;
		json_object_foreach(json_object_get(j, "all"), k, v)
		{
			if (n < ALLOT_COMPARE_NCOL)
				assert_string_equal(k, allot_compare_columns[n]);
			n++;
			snprintf(keys + strlen(keys), sizeof keys - strlen(keys), ",%s", k);
		}
		assert_int_equal(n, ALLOT_COMPARE_NCOL + (i ? ALLOT_WHATIF_EXTRA_NCOL : 0));
		assert_string_equal(head, keys);
		json_decref(j);
	}

	static const struct same_case book[] = {
		/* the order book: allot orders --json and GET .../orderbook, one
		 * object (every order on a page of up to 1000) */
		{ "orders --scenario two", "/api/scenarios/two/orderbook", NULL, NULL },
		{ "orders --scenario uc --partner strong --late",
		  "/api/scenarios/uc/orderbook?partner=strong&late=1", NULL, NULL },
		{ "orders --scenario default", "/api/scenarios/default/orderbook?limit=1000", NULL,
		  NULL },
		{ "orders --scenario default --partner Poland,ISR --switch 2027-01",
		  "/api/scenarios/default/orderbook?partner=Poland,ISR&switch=2027-01", NULL,
		  NULL },
		{ "orders --scenario default --region europe-west --tier 2",
		  "/api/scenarios/default/orderbook?region=europe-west&tier=2", NULL, NULL },
		{ "orders --scenario default --line pac2 --system GEM",
		  "/api/scenarios/default/orderbook?line=pac2&system=GEM", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof book / sizeof *book; i++)
		check_same_keys(&book[i], 1);
}

/* ---------------------------------------------------------------------- */
/* Plan runs, what-if and stored edits                                     */

static void test_runs(void **state)
{
	(void)state;
	struct http h;
	post("/api/scenarios/two/runs", "{\"policy\": \"fcfs\"}", &h);
	assert_int_equal(h.status, 201);
	long long id = jint(h.json, "id");
	assert_int_equal(jint(h.json, "units_produced"), 27);
	assert_int_equal(jint(h.json, "n_allocations"), 4);
	assert_string_equal(jstr(h.json, "policy"), "fcfs");
	char loc[64], want[64];
	snprintf(want, sizeof want, "/api/runs/%lld", id);
	assert_string_equal(header(&h, "Location", loc, sizeof loc), want);
	http_free(&h);

	get("/api/scenarios/two/runs", &h);
	assert_int_equal(jint(h.json, "runs/0/id"), id); /* newest first */
	http_free(&h);

	snprintf(want, sizeof want, "/api/runs/%lld?allocations=1", id);
	get(want, &h);
	assert_int_equal(h.status, 200);
	json_t *a1 = find(h.json, "orders", "order_id", "A1");
	assert_string_equal(jstr(a1, "completion"), "2025-05");
	assert_int_equal(jint(a1, "months_late"), 2);
	assert_string_equal(jstr(find(h.json, "orders", "order_id", "B1"), "completion"),
			    "2025-04");
	json_t *al = json_object_get(h.json, "allocations");
	assert_int_equal(json_array_size(al), 4);
	assert_string_equal(jstr(al, "0/order_id"), "A1");
	assert_string_equal(jstr(al, "0/month"), "2025-02");
	assert_int_equal(jint(al, "0/units"), 5);
	assert_int_equal(jint(h.json, "page/total"), 2);
	http_free(&h);
	/* A page of the run: its orders and only their allocations. */
	snprintf(want, sizeof want, "/api/runs/%lld?allocations=1&limit=1&offset=1", id);
	get(want, &h);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 1);
	assert_string_equal(jstr(h.json, "orders/0/order_id"), "B1");
	al = json_object_get(h.json, "allocations");
	assert_int_equal(json_array_size(al), 2); /* B1: 10 then 5 */
	assert_string_equal(jstr(al, "0/order_id"), "B1");
	assert_string_equal(jstr(al, "1/order_id"), "B1");
	http_free(&h);

	/* A priority run, and the schedule change from the fcfs one: A1 one
	 * month earlier, B1 one later. */
	post("/api/scenarios/two/runs", "{\"policy\": \"priority\"}", &h);
	long long id2 = jint(h.json, "id");
	http_free(&h);
	snprintf(want, sizeof want, "/api/diff?a=%lld&b=%lld", id, id2);
	get(want, &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "stability/orders"), 2);
	assert_int_equal(jint(h.json, "stability/earlier"), 1);
	assert_int_equal(jint(h.json, "stability/later"), 1);
	assert_true(jreal(h.json, "stability/mean_abs_change_months") == 1);
	assert_int_equal(jint(h.json, "counts/complete_in_both"), 2);
	assert_int_equal(jint(h.json, "page/total"), 2);
	json_t *a1d = find(h.json, "orders", "order_id", "A1");
	assert_string_equal(jstr(a1d, "completion_a"), "2025-05");
	assert_string_equal(jstr(a1d, "completion_b"), "2025-04");
	assert_int_equal(jint(a1d, "change_months"), -1);
	assert_string_equal(jstr(a1d, "outcome"), "earlier");
	http_free(&h);
	get("/api/diff?a=1", &h);
	expect_error(&h, 400, "run ids");
	http_free(&h);
	get("/api/diff?a=1&b=99999", &h);
	expect_error(&h, 404, "no such run");
	http_free(&h);

	get("/api/runs/99999", &h);
	expect_error(&h, 404, "no such run");
	http_free(&h);
	get("/api/runs/x1", &h);
	assert_int_equal(h.status, 404);
	http_free(&h);
	post("/api/scenarios/two/runs", "{\"policy\": 3}", &h);
	expect_error(&h, 400, "policy");
	http_free(&h);
}

/* tests/data/scenarios/unknown-cost: A2's 5 units of system U have an
 * unknown unit cost.  The cap of USD 10 million on AAA cannot check A2 (kept,
 * flagged); A1 (12 x USD 1 million) is cut to the 10 that fit; B1 delivers
 * 15.  2025 delivers 30 units: USD 25 million known and A2's 5 units apart,
 * never USD 0.  A what-if cap of USD 5 million from 2025-02 leaves A2 kept. */
static void test_unknown_cost(void **state)
{
	(void)state;
	struct http h;
	get("/api/scenarios/uc/orders", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "summary/delivered_by_year/0/units"), 30);
	assert_true(jreal(h.json, "summary/delivered_by_year/0/value_usd") == 25e6);
	assert_int_equal(jint(h.json, "summary/delivered_by_year/0/value_usd_unknown_cost_units"),
			 5);
	assert_int_equal(jint(h.json, "summary/cap_unchecked_orders"), 1);
	assert_int_equal(jint(h.json, "summary/cancelled_units"), 2);
	assert_int_equal(jint(h.json, "summary/backlog_value_usd_unknown_cost_units"), 0);
	http_free(&h);
	post("/api/scenarios/uc/whatif",
	     "{\"changes\": [\"--cap AAA:5m@2025-02\"], \"all_partners\": true}", &h);
	assert_int_equal(h.status, 200);
	json_t *aaa = find(h.json, "partners", "iso3", "AAA");
	assert_non_null(aaa);
	for (int k = 0; k < 2; k++) { /* A1's 10 known, A2's 5 apart: both sides */
		char path[64];
		snprintf(path, sizeof path, "delivered_in_horizon_usd_unknown_cost_units/%d", k);
		assert_int_equal(jint(aaa, path), 5);
		snprintf(path, sizeof path, "delivered_in_horizon_usd_unknown_cost_orders/%d", k);
		assert_int_equal(jint(aaa, path), 1);
		snprintf(path, sizeof path, "delivered_in_horizon_usd/%d", k);
		assert_true(jreal(aaa, path) == 10e6);
	}
	http_free(&h);
}

static void test_whatif(void **state)
{
	(void)state;
	struct http h;
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": \"budget_cap\", \"target\": "
	     "\"AAA\", \"value\": 5000000}]}",
	     &h);
	assert_int_equal(h.status, 200);
	json_t *a1 = find(h.json, "orders", "order_id", "A1");
	assert_string_equal(jstr(a1, "before/completion"), "2025-04");
	assert_string_equal(jstr(a1, "after/completion"), "2025-03");
	assert_int_equal(jint(a1, "after/cancelled"), 7);
	/* A1 completes a month "earlier" only because 7 of its units are cut:
	 * a cut, never a shift in months (issue 16). */
	assert_true(json_is_null(json_object_get(a1, "delta_months")));
	assert_string_equal(jstr(a1, "outcome"), "cut");
	json_t *b1 = find(h.json, "orders", "order_id", "B1");
	assert_string_equal(jstr(b1, "before/completion"), "2025-05");
	assert_string_equal(jstr(b1, "after/completion"), "2025-04");
	json_t *aaa = find(h.json, "partners", "iso3", "AAA");
	assert_int_equal(jint(aaa, "delivered_in_horizon/0"), 12);
	assert_int_equal(jint(aaa, "delivered_in_horizon/1"), 5);
	assert_int_equal(jint(aaa, "cancelled/1"), 7);
	assert_int_equal(jint(aaa, "cut_orders"), 1);
	assert_int_equal(jint(aaa, "orders"), 0); /* no wait left to compare */
	assert_int_equal(jint(h.json, "after/cancelled_units"), 7);
	char *events_answer = json_dumps(json_object_get(h.json, "orders"), JSON_SORT_KEYS);
	http_free(&h);

	/* The same cut in the one change grammar: the library's parser and
	 * applier behind allot whatif --cap give the same answer, and the same
	 * error text as the library formats for the CLI. */
	post("/api/scenarios/two/whatif", "{\"changes\": [\"--cap AAA:5m@2025-01\"]}", &h);
	assert_int_equal(h.status, 200);
	/* allot whatif --json's changes: each line, its flag and its meaning */
	assert_int_equal(json_array_size(json_object_get(h.json, "changes")), 1);
	assert_string_equal(jstr(h.json, "changes/0/flag"), "cap");
	assert_string_equal(jstr(h.json, "changes/0/value"), "AAA:5m@2025-01");
	assert_int_equal(jint(h.json, "edits"), 0);
	assert_int_equal(jint(h.json, "all/cut"), 1);
	char *changes_answer = json_dumps(json_object_get(h.json, "orders"), JSON_SORT_KEYS);
	assert_string_equal(changes_answer, events_answer);
	free(changes_answer);
	free(events_answer);
	http_free(&h);
	static const char *const bad[] = { "--cap AAA:5m@2025-13", "--embargo china:2025-01:24",
					   "--us-share L:1.5@2025-01", "--cut AAA:1@2025-01" };
	for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
		struct allot_change ch;
		struct allot_change_error err;
		char body[256], want[700];
		assert_int_equal(allot_change_parse_line(bad[k], &ch, &err), ALLOT_EINPUT);
		snprintf(want, sizeof want, "changes[0]: %s: column %d: %s", bad[k], err.col,
			 err.msg);
		snprintf(body, sizeof body, "{\"changes\": [\"%s\"]}", bad[k]);
		post("/api/scenarios/two/whatif", body, &h);
		assert_int_equal(h.status, 400);
		assert_string_equal(jstr(h.json, "error"), want);
		http_free(&h);
	}
	post("/api/scenarios/two/whatif", "{\"changes\": [\"--rate Nowhere:5@2025-01\"]}", &h);
	expect_error(&h, 400, "changes[0]: --rate Nowhere:5@2025-01: column 1: expected a line");
	http_free(&h);

	/* Nothing was stored. */
	get("/api/scenarios/two/orders", &h);
	assert_string_equal(jstr(find(h.json, "orders", "order_id", "A1"), "completion"),
			    "2025-04");
	http_free(&h);

	/* Geography alone: BBB scores 100 x 0.12 = 12. */
	post("/api/scenarios/two/whatif",
	     "{\"weights\": {\"investment\": 0, \"growth\": 0, "
	     "\"geography\": 1, \"operations\": 0, \"economic\": 0}, \"all_partners\": true}",
	     &h);
	assert_int_equal(h.status, 200);
	json_t *bbb = find(h.json, "partners", "iso3", "BBB");
	assert_true(jreal(bbb, "score/1") == 12); /* 100 x 0.12 */
	http_free(&h);

	/* An embargo and an investment on the bundled dataset. */
	post("/api/scenarios/default/whatif",
	     "{\"embargoes\": [{\"source\": \"china\", "
	     "\"mineral_id\": \"*\", \"start_month\": \"2025-06\"}]}",
	     &h);
	assert_int_equal(h.status, 200);
	/* an edit row, not a line of the grammar */
	assert_int_equal(jint(h.json, "edits"), 1);
	assert_int_equal(json_array_size(json_object_get(h.json, "changes")), 0);
	http_free(&h);

	/* The lines section, allot whatif --json's: two-tiers' line L makes 10
	 * a month for its 6 months (60); at 20 from 2025-03 it makes 2 x 10 +
	 * 4 x 20 = 100, and A1 and B1 take 12 + 15 = 27 of either. */
	post("/api/scenarios/two/whatif", "{\"changes\": [\"--rate L:20@2025-03\"]}", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "lines/year"), 2028);
	assert_string_equal(jstr(h.json, "lines/lines/0/line_id"), "L");
	assert_int_equal(jint(h.json, "lines/lines/0/foreign_capacity/0"), 60);
	assert_int_equal(jint(h.json, "lines/lines/0/foreign_capacity/1"), 100);
	assert_int_equal(jint(h.json, "lines/lines/0/foreign_used/1"), 27);
	assert_int_equal(jint(h.json, "lines/lines/0/foreign_idle/1"), 73);
	http_free(&h);

	/* The requests section, allot whatif --json's (one function writes
	 * both): a catalog gate of tier 1 on SM-6 with the strategy in force
	 * from 2025-01 holds Germany's request (tier 2, 173 SM-6, USD 3.5
	 * billion, LOR 2025-11), offered in 2026-02 without it; the other four
	 * requests of data/default do not move.  (The switch as planned, as
	 * allot whatif passes it.) */
	post("/api/scenarios/default/whatif",
	     "{\"switch\": \"2025-01\", \"changes\": "
	     "[\"--catalog sm6:1@2025-01\"]}",
	     &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "requests/requests"), 5);
	assert_int_equal(jint(h.json, "requests/held"), 1);
	assert_int_equal(jint(h.json, "requests/sooner"), 0);
	assert_int_equal(jint(h.json, "requests/units_held"), 173);
	assert_true(jreal(h.json, "requests/usd_held") == 3.5e9);
	assert_int_equal(json_array_size(jget(h.json, "requests/moved")), 1);
	assert_string_equal(jstr(h.json, "requests/moved/0/request_id"), "DEU-25-74-sm6");
	assert_int_equal(jint(h.json, "requests/moved/0/tier"), 2);
	assert_string_equal(jstr(h.json, "requests/moved/0/loa_month/0"), "2026-02");
	assert_true(json_is_null(jget(h.json, "requests/moved/0/loa_month/1")));
	assert_true(json_is_true(jget(h.json, "requests/moved/0/held/1")));
	assert_string_equal(jstr(h.json, "requests/moved/0/why"),
			    "held: tier 2 below the catalog gate (tier 1)");
	http_free(&h);
	/* The same gate with the scenario's switch (2026-02): the strategy
	 * does not apply to a 2025 LOR, so the gate acts on nothing and no
	 * request moves. */
	post("/api/scenarios/default/whatif", "{\"changes\": [\"--catalog sm6:1@2025-01\"]}", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "requests/requests"), 5);
	assert_int_equal(jint(h.json, "requests/held"), 0);
	assert_int_equal(json_array_size(jget(h.json, "requests/moved")), 0);
	http_free(&h);

	/* A cut to zero on the bundled dataset's first order's partner cancels
	 * every unit of its orders still open at as_of (allocation.md: only
	 * produced units are kept, and nothing is produced before month 0). */
	get("/api/scenarios/default/orders", &h);
	char iso3[64], body[512];
	snprintf(iso3, sizeof iso3, "%s", jstr(h.json, "orders/0/iso3"));
	long long open = 0;
	json_t *e, *orders = json_object_get(h.json, "orders");
	size_t i;
	json_array_foreach(orders, i, e) if (strcmp(jstr(e, "iso3"), iso3) == 0)
		open += jint(e, "qty") - jint(e, "delivered");
	http_free(&h);
	snprintf(body, sizeof body,
		 "{\"events\": [{\"month\": \"2025-01\", \"type\": "
		 "\"budget_cap\", \"target\": \"%s\", \"value\": \"0\"}]}",
		 iso3);
	post("/api/scenarios/default/whatif", body, &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(find(h.json, "partners", "iso3", iso3), "cancelled/1"), open);
	http_free(&h);

	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"budget_cap\", \"target\": \"ZZZ\", \"value\": 1}]}",
	     &h);
	expect_error(&h, 400, "events[0].target");
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"us_share\", \"target\": \"L\", \"value\": 1.5}]}",
	     &h);
	expect_error(&h, 400, "events[0].value");
	http_free(&h);
	post("/api/scenarios/two/whatif", "{\"weights\": {\"luck\": 1}}", &h);
	expect_error(&h, 400, "weights.luck");
	http_free(&h);
	/* System events: eeum and catalog are 0 or 1, min_tier a whole tier. */
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"eeum\", \"target\": \"S\", \"value\": 2}]}",
	     &h);
	expect_error(&h, 400, "events[0].value: expected a number from 0 to 1");
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"catalog\", \"target\": \"S\", \"value\": 0.5}]}",
	     &h);
	expect_error(&h, 400, "events[0].value: expected a whole number from 0 to 1");
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"min_tier\", \"target\": \"S\", \"value\": 9}]}",
	     &h);
	expect_error(&h, 400, "events[0].value: expected a whole number from 0 to 8");
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"eeum\", \"target\": \"NOSYS\", \"value\": 1}]}",
	     &h);
	expect_error(&h, 400, "events[0].target: expected a system of the scenario");
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"min_tier\", \"target\": \"S\", \"value\": 2}]}",
	     &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	/* The range check of the loader and the store (lib/ranges.c). */
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"capacity\", \"target\": \"L\", \"value\": 1e308}]}",
	     &h);
	expect_error(&h, 400,
		     "expected a number from 0 to 1000000000 in events row 1 value, "
		     "found 1e+308");
	http_free(&h);
	post("/api/scenarios/two/whatif", "{\"weights\": {\"investment\": 1e300}}", &h);
	expect_error(&h, 400,
		     "expected a number from 0 to 1000000 in the policy "
		     "weights.investment, found 1e+300");
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": ["
	     "{\"month\": \"2025-02\", \"type\": \"weight\", \"target\": \"investment\", \"value\": 0},"
	     "{\"month\": \"2025-02\", \"type\": \"weight\", \"target\": \"growth\", \"value\": 0},"
	     "{\"month\": \"2025-02\", \"type\": \"weight\", \"target\": \"geography\", \"value\": 0},"
	     "{\"month\": \"2025-02\", \"type\": \"weight\", \"target\": \"operations\", \"value\": 0},"
	     "{\"month\": \"2025-02\", \"type\": \"weight\", \"target\": \"economic\", \"value\": 0}]}",
	     &h);
	expect_error(&h, 400,
		     "expected the weights not all zero after the weight events of "
		     "2025-02, found all five zero");
	http_free(&h);
}

static void test_stored_edits(void **state)
{
	(void)state;
	struct http h;
	post("/api/scenarios/ev/runs", "{}", &h);
	assert_int_equal(h.status, 201);
	http_free(&h);
	/* Into a new scenario: the original and its run stay. */
	const char *cut = "{\"events\": [{\"month\": \"2025-01\", \"type\": \"budget_cap\", "
			  "\"target\": \"AAA\", \"value\": 5000000}], \"as\": \"ev-cut\"}";
	post("/api/scenarios/ev/events", cut, &h);
	assert_int_equal(h.status, 201);
	assert_int_equal(jint(h.json, "events"), 1);
	http_free(&h);
	post("/api/scenarios/ev/events", cut, &h);
	expect_error(&h, 409, "exists");
	http_free(&h);
	get("/api/scenarios/ev-cut/orders", &h);
	json_t *a1 = find(h.json, "orders", "order_id", "A1");
	assert_int_equal(jint(a1, "cancelled"), 7);
	assert_string_equal(jstr(a1, "completion"), "2025-03");
	http_free(&h);
	get("/api/scenarios/ev/runs", &h);
	assert_int_equal(json_array_size(json_object_get(h.json, "runs")), 1);
	http_free(&h);

	/* In place: the scenario's runs are dropped (their inputs are gone). */
	post("/api/scenarios/ev/policy", "{\"weights\": {\"geography\": 1}}", &h);
	assert_int_equal(h.status, 201);
	assert_int_equal(jint(h.json, "runs_dropped"), 1);
	http_free(&h);
	get("/api/scenarios/ev", &h);
	assert_true(jreal(h.json, "policy/weights/geography") == 1);
	http_free(&h);
	get("/api/scenarios/ev/runs", &h);
	assert_int_equal(json_array_size(json_object_get(h.json, "runs")), 0);
	http_free(&h);

	post("/api/scenarios/ev/policy", "{\"weights\": {\"geography\": 1}, \"events\": []}", &h);
	expect_error(&h, 400, "unexpected key 'events'");
	http_free(&h);
	post("/api/scenarios/ev/events", "{\"events\": []}", &h);
	expect_error(&h, 400, "at least one change");
	http_free(&h);

	/* A store written by another process is seen at once. */
	get("/api/scenarios", &h);
	assert_null(find(h.json, "scenarios", "name", "ext"));
	http_free(&h);
	assert_int_equal(import("tests/data/scenarios/two-tiers", "ext"), 0);
	get("/api/scenarios", &h);
	assert_non_null(find(h.json, "scenarios", "name", "ext"));
	http_free(&h);
	get("/api/scenarios/ext", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
}

/* ---------------------------------------------------------------------- */
/* Refusals                                                                */

static void test_refusals(void **state)
{
	(void)state;
	struct http h;
	const char *body = "{\"policy\": \"fcfs\"}";
	request("POST", "/api/scenarios/two/runs", NULL, body, &h);
	expect_error(&h, 401, "token");
	char hd[64];
	assert_non_null(header(&h, "WWW-Authenticate", hd, sizeof hd));
	http_free(&h);
	request("POST", "/api/scenarios/two/runs",
		"X-Allot-Token: 00000000000000000000000000000000\r\n", body, &h);
	expect_error(&h, 401, "token");
	http_free(&h);
	char auth[128];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s\r\n", token);
	request("POST", "/api/scenarios/two/whatif", auth, "{}", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);

	char extra[1024];
	snprintf(extra, sizeof extra, "%sOrigin: http://evil.example\r\n", tok());
	request("POST", "/api/scenarios/two/runs", extra, body, &h);
	expect_error(&h, 403, "Origin");
	http_free(&h);
	snprintf(extra, sizeof extra, "%sOrigin: http://127.0.0.1:%u\r\n", tok(), port);
	request("POST", "/api/scenarios/two/whatif", extra, "{}", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	snprintf(extra, sizeof extra, "%sSec-Fetch-Site: cross-site\r\n", tok());
	request("POST", "/api/scenarios/two/whatif", extra, "{}", &h);
	expect_error(&h, 403, "same-origin");
	http_free(&h);
	request("GET", "/api/scenarios", "Origin: http://evil.example\r\n", NULL, &h);
	assert_int_equal(h.status, 403);
	http_free(&h);

	post("/api/scenarios/two/runs", "{\"policy\": ", &h);
	expect_error(&h, 400, "malformed JSON");
	http_free(&h);
	post("/api/scenarios/two/runs", "[1, 2]", &h);
	expect_error(&h, 400, "JSON object");
	http_free(&h);
	char deep[200] = "{\"a\": ";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	for (int i = 0; i < 40; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	post("/api/scenarios/two/whatif", deep, &h);
	expect_error(&h, 400, "nested");
	http_free(&h);

	/* A body over 1 MiB: refused from its Content-Length. */
	size_t big = (1u << 20) + 10;
	char *huge = malloc(big + 1);
	memset(huge, ' ', big);
	huge[0] = '{';
	huge[big - 1] = '}';
	huge[big] = '\0';
	post("/api/scenarios/two/whatif", huge, &h);
	expect_error(&h, 413, "at most 1048576 bytes");
	http_free(&h);
	free(huge);
	/* A chunked body (no Content-Length) is refused. */
	snprintf(extra, sizeof extra,
		 "POST /api/scenarios/two/whatif HTTP/1.1\r\nHost: "
		 "127.0.0.1:%u\r\nConnection: close\r\n%sContent-Type: application/json\r\n"
		 "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
		 port, tok());
	raw(extra, strlen(extra), &h);
	expect_error(&h, 411, "Content-Length");
	http_free(&h);
	request("POST", "/api/scenarios/two/whatif", tok(), NULL, &h);
	assert_true(h.status == 415 || h.status == 411);
	http_free(&h);
	snprintf(extra, sizeof extra, "%sContent-Type: text/plain\r\nContent-Length: 2\r\n", tok());
	char req[1024];
	snprintf(req, sizeof req,
		 "POST /api/scenarios/two/whatif HTTP/1.1\r\nHost: 127.0.0.1:%u"
		 "\r\nConnection: close\r\n%s\r\n{}",
		 port, extra);
	raw(req, strlen(req), &h);
	expect_error(&h, 415, "application/json");
	http_free(&h);

	/* DNS rebinding: another name for this address. */
	const char *rebind = "GET /api/scenarios HTTP/1.1\r\nHost: evil.example\r\n"
			     "Connection: close\r\n\r\n";
	raw(rebind, strlen(rebind), &h);
	expect_error(&h, 421, "Host");
	http_free(&h);
	snprintf(extra, sizeof extra,
		 "GET /api/scenarios HTTP/1.1\r\nHost: localhost:%u\r\n"
		 "Connection: close\r\n\r\n",
		 port);
	raw(extra, strlen(extra), &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	snprintf(extra, sizeof extra,
		 "GET /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
		 "Connection: close\r\n\r\n",
		 port + 1);
	raw(extra, strlen(extra), &h);
	assert_int_equal(h.status, 421);
	http_free(&h);
	const char *nohost = "GET /api/scenarios HTTP/1.0\r\n\r\n";
	raw(nohost, strlen(nohost), &h);
	expect_error(&h, 400, "Host");
	http_free(&h);

	/* Headers: over 8 KiB -> 431 in JSON; far over -> 431 from MHD. */
	char *hdr = malloc(70000);
	memcpy(hdr, "X-Pad: ", 7);
	memset(hdr + 7, 'a', 12000);
	memcpy(hdr + 12007, "\r\n", 3);
	request("GET", "/api/info", hdr, NULL, &h);
	expect_error(&h, 431, "headers");
	http_free(&h);
	memset(hdr + 7, 'a', 60000);
	memcpy(hdr + 60007, "\r\n", 3);
	request("GET", "/api/info", hdr, NULL, &h);
	assert_int_equal(h.status, 431);
	http_free(&h);
	free(hdr);

	get("/api/nothing", &h);
	expect_error(&h, 404, "no such API path");
	http_free(&h);
	request("DELETE", "/api/scenarios/two/runs", NULL, NULL, &h);
	expect_error(&h, 405, "GET, POST");
	assert_string_equal(header(&h, "Allow", hd, sizeof hd), "GET, POST");
	http_free(&h);
	request("POST", "/api/scenarios/two/partners", tok(), "{}", &h);
	expect_error(&h, 405, "GET");
	http_free(&h);
	request("OPTIONS", "/api/scenarios", "Origin: http://127.0.0.1\r\n", NULL, &h);
	assert_true(h.status == 403 || h.status == 405);
	assert_null(header(&h, "Access-Control-Allow-Origin", hd, sizeof hd));
	http_free(&h);
}

/* Inflates a gzip stream into a NUL-terminated string (caller frees). */
static char *gunzip(const char *p, size_t n)
{
	size_t cap = 1 << 22;
	char *out = malloc(cap);
	z_stream z;
	memset(&z, 0, sizeof z);
	inflateInit2(&z, 15 + 16);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap - 1;
	int rc = inflate(&z, Z_FINISH);
	out[z.total_out] = '\0';
	inflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static void test_gzip(void **state)
{
	(void)state;
	const char *paths[] = { "/api/scenarios/default/orders", "/api/scenarios/default/partners",
				"/chart.js", "/app.js" };
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct http plain, gz;
		char v[64];
		get(paths[i], &plain);
		/* Twice: once computed, once from the answer cache. */
		for (int k = 0; k < 2; k++) {
			request("GET", paths[i], "Accept-Encoding: gzip, deflate\r\n", NULL, &gz);
			assert_int_equal(gz.status, 200);
			assert_string_equal(header(&gz, "Content-Encoding", v, sizeof v), "gzip");
			assert_string_equal(header(&gz, "Vary", v, sizeof v), "Accept-Encoding");
			assert_true(gz.len < plain.len / 2);
			char *text = gunzip(gz.body, gz.len);
			assert_non_null(text);
			assert_int_equal(strlen(text), plain.len);
			assert_memory_equal(text, plain.body, plain.len);
			free(text);
			http_free(&gz);
		}
		assert_null(header(&plain, "Content-Encoding", v, sizeof v));
		http_free(&plain);
	}
	struct http h;
	char v[64];
	request("GET", "/app.js", "Accept-Encoding: gzip;q=0, identity\r\n", NULL, &h);
	assert_null(header(&h, "Content-Encoding", v, sizeof v));
	http_free(&h);
}

static void test_assets(void **state)
{
	(void)state;
	struct http h;
	char v[512];
	get("/", &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(header(&h, "Content-Type", v, sizeof v), "text/html; charset=utf-8");
	assert_non_null(
		strstr(header(&h, "Content-Security-Policy", v, sizeof v), "default-src 'none'"));
	assert_non_null(strstr(h.body, "<html"));
	http_free(&h);
	get("/app.js", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	get("/chart.js", &h);
	assert_int_equal(h.status, 200);
	assert_non_null(strstr(h.body, "Chart"));
	http_free(&h);
	/* Exact paths only: nothing is read from disk. */
	const char *paths[] = { "/index.html", "/../CMakeLists.txt",    "/app.js/",
				"//app.js",    "/web/dashboard/app.js", "/%2e%2e/etc/passwd" };
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		get(paths[i], &h);
		assert_int_equal(h.status, 404);
		http_free(&h);
	}
	request("POST", "/", tok(), "{}", &h);
	assert_int_equal(h.status, 405);
	http_free(&h);
}

/* ---------------------------------------------------------------------- */
/* Request checks of the budget (issue 13)                                 */

static void test_query_args(void **state)
{
	(void)state;
	struct http h;
	/* An unknown argument would make every GET a cache miss: refused. */
	get("/api/scenarios/two/partners?bust=1", &h);
	expect_error(&h, 400, "unknown query argument 'bust' (accepted: limit, offset, pretty)");
	http_free(&h);
	get("/api/scenarios/two/orders?policy=fcfs&Policy=fcfs", &h);
	expect_error(&h, 400,
		     "unknown query argument 'Policy' (accepted: policy, switch, limit, "
		     "offset, iso3, system, tier, pretty)");
	http_free(&h);
	get("/api/info?x", &h);
	expect_error(&h, 400, "unknown query argument 'x' (accepted: pretty)");
	http_free(&h);
	/* Once each, except a repeatable one. */
	get("/api/scenarios/two/orders?policy=fcfs&policy=priority", &h);
	expect_error(&h, 400, "query argument 'policy' given twice, expected once");
	http_free(&h);
	get("/api/scenarios/default/minerals?embargo=china:*:2026-01&embargo=china:*:2027-01", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	/* POSTs take none but pretty. */
	post("/api/scenarios/two/whatif?policy=fcfs", "{}", &h);
	expect_error(&h, 400, "unknown query argument 'policy' (accepted: pretty)");
	http_free(&h);
	/* The same arguments in another order: the same answer. */
	struct http a, b;
	get("/api/scenarios/two/orders?policy=fcfs&iso3=BBB", &a);
	get("/api/scenarios/two/orders?iso3=BBB&policy=fcfs", &b);
	assert_int_equal(a.status, 200);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.body, b.body, a.len);
	http_free(&a);
	http_free(&b);
	get("/api/scenarios/two/orders?pretty=1", &h);
	assert_int_equal(h.status, 200);
	assert_non_null(strstr(h.body, "\n  "));
	http_free(&h);
}

static void test_cross_site_reads(void **state)
{
	(void)state;
	struct http h;
	/* A no-cors GET from another site carries Sec-Fetch-Site: refused
	 * before anything is computed, like a POST. */
	const char *refused[] = { "cross-site", "same-site" };
	for (int i = 0; i < 2; i++) {
		char extra[128];
		snprintf(extra, sizeof extra, "Sec-Fetch-Site: %s\r\n", refused[i]);
		request("GET", "/api/scenarios/default/orders?policy=fcfs&limit=7", extra, NULL,
			&h);
		char want[128];
		snprintf(want, sizeof want,
			 "expected a same-origin request, found Sec-Fetch-Site: %s", refused[i]);
		expect_error(&h, 403, want);
		http_free(&h);
	}
	request("GET", "/api/scenarios", "Sec-Fetch-Site: same-origin\r\n", NULL, &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	request("GET", "/api/scenarios", "Sec-Fetch-Site: none\r\n", NULL, &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	char extra[128];
	snprintf(extra, sizeof extra, "Origin: http://evil.example\r\n");
	request("GET", "/api/scenarios/two/partners", extra, NULL, &h);
	expect_error(&h, 403, "expected Origin http://127.0.0.1:");
	http_free(&h);
	/* The dashboard's page itself may still be opened from a link. */
	request("GET", "/", "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: navigate\r\n", NULL, &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
}

static void test_url_nul(void **state)
{
	(void)state;
	struct http h;
	/* The decoded path used to stop at the NUL and answer the scenario. */
	get("/api/scenarios/two%00/partners", &h);
	expect_error(&h, 400, "expected no NUL byte (%00) in the URL");
	http_free(&h);
	get("/api/scenarios/two/partners?limit=1%00", &h);
	expect_error(&h, 400, "expected no NUL byte (%00) in the URL");
	http_free(&h);
	/* A literal "%00" (%2500) is just a name that does not exist. */
	get("/api/scenarios/two%2500/partners", &h);
	expect_error(&h, 404, "no such scenario");
	http_free(&h);
}

static void test_content_type(void **state)
{
	(void)state;
	static const struct {
		const char *type;
		int status;
	} cases[] = {
		{ "application/json", 200 },
		{ "application/json; charset=utf-8", 200 },
		{ "Application/JSON;charset=UTF-8", 200 },
		{ "application/json ; charset=\"utf-8\"", 200 },
		{ "application/jsonfoo", 415 },
		{ "application/json-seq", 415 },
		{ "application/json; charset=latin1", 415 },
		{ "application/json; charset=utf-8; x=1", 415 },
		{ "application/json, text/plain", 415 },
		{ "text/json", 415 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char req[512];
		snprintf(req, sizeof req,
			 "POST /api/scenarios/two/whatif HTTP/1.1\r\nHost: "
			 "127.0.0.1:%u\r\nConnection: close\r\n%sContent-Type: %s\r\n"
			 "Content-Length: 2\r\n\r\n{}",
			 port, tok(), cases[i].type);
		struct http h;
		raw(req, strlen(req), &h);
		if (h.status != cases[i].status)
			fprintf(stderr, "Content-Type: %s\n", cases[i].type);
		assert_int_equal(h.status, cases[i].status);
		if (cases[i].status == 415)
			expect_error(&h, 415, "expected Content-Type application/json, found");
		http_free(&h);
	}
}

static void test_number_grammar(void **state)
{
	(void)state;
	struct http h;
	/* The API's numbers are the CSV loader's: no hex, no spaces. */
	static const struct {
		const char *query, *found; /* found: the value decoded */
	} bad_qty[] = { { "0x10", "0x10" }, { "%2016", " 16" },
			{ "16%20", "16 " }, { "1e400", "1e400" },
			{ "inf", "inf" },   { "nan", "nan" },
			{ "", "" },         { "1000000001", "1000000001" } };
	for (size_t i = 0; i < sizeof bad_qty / sizeof *bad_qty; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/scenarios/two/quote?iso3=AAA&system=S&qty=%s",
			 bad_qty[i].query);
		get(path, &h);
		char want[160];
		snprintf(want, sizeof want, "qty: expected " ALLOT_UNITS_EXPECTED ", found '%s'",
			 bad_qty[i].found);
		expect_error(&h, 400, want);
		http_free(&h);
	}
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=16", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	get("/api/scenarios/two/quote?iso3=AAA&system=S&qty=1.6e1", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"capacity\", \"target\": \"L\", \"value\": \"0x10\"}]}",
	     &h);
	expect_error(&h, 400, "events[0].value: expected a number");
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"capacity\", \"target\": \"L\", \"value\": \" 16\"}]}",
	     &h);
	expect_error(&h, 400, "events[0].value: expected a number");
	http_free(&h);
	post("/api/scenarios/two/whatif",
	     "{\"events\": [{\"month\": \"2025-01\", \"type\": "
	     "\"capacity\", \"target\": \"L\", \"value\": \"16\"}]}",
	     &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	get("/api/scenarios/two/metrics?tier=0x1", &h);
	expect_error(&h, 400, "tier");
	http_free(&h);
	get("/api/scenarios/two/compare?year=2027abc", &h);
	expect_error(&h, 400, "year: expected a year YYYY, found '2027abc'");
	http_free(&h);
	get("/api/scenarios/two/opportunities?months=0x10", &h);
	expect_error(&h, 400, "months: expected a whole number from 1 to 1200, found '0x10'");
	http_free(&h);
	get("/api/runs/0x1", &h);
	expect_error(&h, 404, "expected a run id");
	http_free(&h);
}

/* ---------------------------------------------------------------------- */
/* Concurrency and timeouts                                                */

struct reader {
	int ok, failed;
};

static void *read_loop(void *arg)
{
	struct reader *r = arg;
	static const char *const paths[] = { "/api/scenarios/default/partners",
					     "/api/scenarios/default/orders",
					     "/api/scenarios/two/compare" };
	for (int i = 0; i < 15; i++) {
		struct http h;
		get(paths[i % 3], &h);
		if (h.status == 200 && h.json)
			r->ok++;
		else
			r->failed++;
		http_free(&h);
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	(void)state;
	/* A client stuck half-way through its body holds one connection; reads
	 * and writes on others go on. */
	int stuck = connect_server();
	char req[512];
	int n = snprintf(req, sizeof req,
			 "POST /api/scenarios/two/runs HTTP/1.1\r\nHost: "
			 "127.0.0.1:%u\r\n%sContent-Type: application/json\r\nContent-Length: "
			 "100\r\n\r\n{\"pol",
			 port, tok());
	send_all(stuck, req, (size_t)n);

	pthread_t t[4];
	struct reader r[4] = { { 0, 0 } };
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, read_loop, &r[i]);
	for (int i = 0; i < 3; i++) {
		struct http h;
		post("/api/scenarios/default/runs", "{\"policy\": \"priority\"}", &h);
		assert_int_equal(h.status, 201);
		http_free(&h);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].failed, 0);
		assert_int_equal(r[i].ok, 15);
	}
	close(stuck);
}

static void test_idle_timeout(void **state)
{
	(void)state;
	/* The server runs with --timeout 2: an idle connection is closed. */
	int fd = connect_server();
	const char *part = "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1";
	send_all(fd, part, strlen(part));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char buf[256];
	ssize_t r = recv(fd, buf, sizeof buf, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(r <= 0 || strncmp(buf, "HTTP/1.1 408", 12) == 0);
	assert_true(s >= 1.5 && s < 10);
	close(fd);
}

/* ---------------------------------------------------------------------- */
/* The budget: a full queue, slow heads, the per-IP cap                    */

/* Starts a second server on the same store with extra options; the
 * environment variable ALLOT_SERVE_TEST_GATE names gate (workers wait for
 * that file to exist).  Switches port and token to it; undo with
 * spawn_stop. */
static pid_t spawn(const char *gate, const char *const opts[])
{
	int out[2];
	assert_int_equal(pipe(out), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		if (gate)
			setenv("ALLOT_SERVE_TEST_GATE", gate, 1);
		const char *argv[24] = { allot_bin, "serve", "--db", db, "--port", "0" };
		size_t n = 6;
		for (size_t i = 0; opts[i] && n < 23; i++)
			argv[n++] = opts[i];
		argv[n] = NULL;
		execv(allot_bin, (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	FILE *f = fdopen(out[0], "r");
	char line[512] = "";
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	spawned_pid = pid;
	assert_int_equal(sscanf(line, "allot serve: http://127.0.0.1:%u/#token=%63s", &port, token),
			 2);
	return pid;
}

static void spawn_stop(pid_t pid, unsigned saved_port, const char *saved_token)
{
	kill(pid, SIGTERM);
	int st = 0;
	waitpid(pid, &st, 0);
	spawned_pid = 0;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	port = saved_port;
	snprintf(token, sizeof token, "%s", saved_token);
}

/* A connection from another loopback address (127.0.0.2 ...): the per-IP
 * cap counts addresses. */
static int connect_from(const char *src)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in me = { .sin_family = AF_INET };
	inet_pton(AF_INET, src, &me.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	struct timeval tv = { 20, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	return fd;
}

/* GET /api/info from 127.0.0.2 and one of its numbers ("work/running"). */
static long long info_from2(const char *path)
{
	int fd = connect_from("127.0.0.2");
	char req[256];
	int n = snprintf(req, sizeof req,
			 "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
			 "Connection: close\r\n\r\n",
			 port);
	send_all(fd, req, (size_t)n);
	struct http h;
	read_response(fd, &h);
	close(fd);
	assert_int_equal(h.status, 200);
	long long v = jint(h.json, path);
	http_free(&h);
	return v;
}

/* Polls /api/info until path reaches want (at most 10 s). */
static void wait_info(const char *path, long long want)
{
	for (int i = 0; i < 1000 && info_from2(path) < want; i++)
		usleep(10000);
	assert_true(info_from2(path) >= want);
}

/* Sends a GET and leaves the answer to read later. */
static int send_get(const char *path)
{
	int fd = connect_server();
	assert_true(fd >= 0);
	char req[512];
	int n = snprintf(req, sizeof req,
			 "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
			 "Connection: close\r\n\r\n",
			 path, port);
	send_all(fd, req, (size_t)n);
	return fd;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_queue_full(void **state)
{
	(void)state;
	char gate[320], saved_token[64];
	snprintf(gate, sizeof gate, "%s/gate", tmpdir);
	snprintf(saved_token, sizeof saved_token, "%s", token);
	unsigned saved_port = port;
	assert_int_equal(run("touch '%s'", gate), 0); /* open */
	const char *opts[] = { "--workers", "1", "--queue", "1", NULL };
	pid_t pid = spawn(gate, opts);
	struct http h;
	get("/api/scenarios/two/orders?policy=fcfs&iso3=BBB", &h); /* now cached */
	assert_int_equal(h.status, 200);
	http_free(&h);
	assert_int_equal(unlink(gate), 0); /* closed: the worker holds what it takes */

	int running = send_get("/api/scenarios/two/orders?limit=1");
	wait_info("work/running", 1);
	int queued = send_get("/api/scenarios/two/orders?limit=2");
	wait_info("work/queued", 1);
	/* One worker busy, the one place in the queue taken: 503 at once. */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	get("/api/scenarios/two/orders?limit=3", &h);
	expect_error(&h, 503,
		     "busy: every worker computes and the queue is full; retry after "
		     "1 second");
	char v[32];
	assert_string_equal(header(&h, "Retry-After", v, sizeof v), "1");
	http_free(&h);
	request("POST", "/api/scenarios/two/whatif", tok(), "{}", &h);
	assert_int_equal(h.status, 503);
	http_free(&h);
	/* A cached answer still goes at once from the I/O threads, whatever
	 * the order of its arguments (canonical key). */
	get("/api/scenarios/two/orders?iso3=BBB&policy=fcfs", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "page/total"), 1);
	http_free(&h);
	get("/", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	assert_true(since(&t0) < 5);
	assert_int_equal(info_from2("work/rejected"), 2);

	assert_int_equal(run("touch '%s'", gate), 0);
	read_response(running, &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 1);
	http_free(&h);
	read_response(queued, &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(json_array_size(json_object_get(h.json, "orders")), 2);
	http_free(&h);
	close(running);
	close(queued);
	get("/api/scenarios/two/orders?limit=3", &h); /* room again */
	assert_int_equal(h.status, 200);
	http_free(&h);
	spawn_stop(pid, saved_port, saved_token);
}

static void test_slow_head(void **state)
{
	(void)state;
	char saved_token[64];
	snprintf(saved_token, sizeof saved_token, "%s", token);
	unsigned saved_port = port;
	const char *opts[] = { "--head-timeout", "2", "--timeout", "30", NULL };
	pid_t pid = spawn(NULL, opts);
	/* Slowloris: a header line every 200 ms keeps the idle timeout from
	 * firing; the head deadline closes it all the same. */
	int fd = connect_server();
	char line[128];
	int n = snprintf(line, sizeof line, "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n",
			 port);
	send_all(fd, line, (size_t)n);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct timeval tv = { 0, 200000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	double closed = -1;
	for (int i = 0; i < 50 && closed < 0; i++) {
		char buf[64];
		if (send(fd, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) < 0 ||
		    recv(fd, buf, sizeof buf, 0) == 0)
			closed = since(&t0);
	}
	close(fd);
	assert_true(closed >= 1.8 && closed < 4.5);
	assert_int_equal(info_from2("connections/head_overdue"), 1);
	/* A client that sends its request at once is unaffected, and so is
	 * one that waits less than the deadline. */
	struct http h;
	get("/api/info", &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(jint(h.json, "connections/head_timeout_s"), 2);
	http_free(&h);
	fd = connect_server();
	send_all(fd, line, (size_t)n);
	usleep(1000000);
	send_all(fd, "Connection: close\r\n\r\n", 21);
	read_response(fd, &h);
	close(fd);
	assert_int_equal(h.status, 200);
	http_free(&h);
	spawn_stop(pid, saved_port, saved_token);
}

static void test_per_ip_cap(void **state)
{
	(void)state;
	char gate[320], saved_token[64];
	snprintf(gate, sizeof gate, "%s/gate", tmpdir);
	snprintf(saved_token, sizeof saved_token, "%s", token);
	unsigned saved_port = port;
	unlink(gate); /* closed */
	const char *opts[] = { "--per-ip", "4", "--workers", "1", "--queue", "1", NULL };
	pid_t pid = spawn(gate, opts);
	char head[128];
	int n = snprintf(head, sizeof head, "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n",
			 port);
	/* Four unfinished heads from 127.0.0.1 fill its places ... */
	int slow[4];
	for (int i = 0; i < 4; i++) {
		slow[i] = connect_server();
		send_all(slow[i], head, (size_t)n);
	}
	wait_info("connections/open", 5); /* the four, and the poll itself */
	/* ... and a fifth that sends its request evicts the oldest of them. */
	struct http h;
	get("/api/info", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	char buf[64];
	assert_int_equal(recv(slow[0], buf, sizeof buf, 0), 0); /* closed by the server */
	assert_int_equal(info_from2("connections/evicted"), 1);
	for (int i = 0; i < 4; i++)
		close(slow[i]);
	/* Connections that sent nothing yet are evicted too, once older than
	 * the grace given to a connection the server has not read yet. */
	for (int i = 0; i < 1000 && info_from2("connections/open") > 1; i++)
		usleep(10000); /* the closed ones are gone */
	for (int i = 0; i < 4; i++)
		slow[i] = connect_server();
	wait_info("connections/open", 5);
	usleep(700000); /* SRV_HEAD_GRACE_MS 500 */
	get("/api/info", &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	assert_int_equal(recv(slow[0], buf, sizeof buf, 0), 0);
	assert_int_equal(info_from2("connections/evicted"), 2);
	for (int i = 0; i < 4; i++)
		close(slow[i]);

	/* Four busy connections (two computing, two POST bodies under way):
	 * nothing to evict, so a fifth is refused; other addresses are not. */
	int busy[4];
	busy[0] = send_get("/api/scenarios/two/orders?limit=4");
	wait_info("work/running", 1);
	busy[1] = send_get("/api/scenarios/two/orders?limit=5");
	wait_info("work/queued", 1);
	for (int i = 2; i < 4; i++) {
		busy[i] = connect_server();
		char req[512];
		int k = snprintf(req, sizeof req,
				 "POST /api/scenarios/two/whatif HTTP/1.1\r\nHost: "
				 "127.0.0.1:%u\r\n%sContent-Type: application/json\r\n"
				 "Content-Length: 100\r\n\r\n{",
				 port, tok());
		send_all(busy[i], req, (size_t)k);
	}
	usleep(200000);
	int fd = connect_server();
	const char *req5 = "GET /api/info HTTP/1.1\r\nHost: x\r\n\r\n";
	send_all(fd, req5, strlen(req5));
	ssize_t r = recv(fd, buf, sizeof buf, 0);
	assert_true(r <= 0); /* closed without an answer */
	close(fd);
	assert_int_equal(info_from2("connections/refused"), 1);
	assert_int_equal(run("touch '%s'", gate), 0);
	for (int i = 0; i < 2; i++) {
		read_response(busy[i], &h);
		assert_int_equal(h.status, 200);
		http_free(&h);
	}
	for (int i = 0; i < 4; i++)
		close(busy[i]);
	spawn_stop(pid, saved_port, saved_token);
	unlink(gate);
}

/* --bind 0.0.0.0: a warning on stderr; Host may be any IPv4 literal with
 * the port (the address a remote user typed), never a name but localhost. */
static void test_bind_all(void **state)
{
	(void)state;
	int out[2], err[2];
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execl(allot_bin, allot_bin, "serve", "--db", db, "--port", "0", "--bind", "0.0.0.0",
		      (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	FILE *fo = fdopen(out[0], "r"), *fe = fdopen(err[0], "r");
	char line[512] = "", warn[512] = "";
	assert_non_null(fgets(line, sizeof line, fo));
	assert_non_null(fgets(warn, sizeof warn, fe));
	assert_non_null(strstr(warn, "warning: listening on 0.0.0.0"));
	unsigned saved = port, p2 = 0;
	assert_int_equal(sscanf(line, "allot serve: http://127.0.0.1:%u/", &p2), 1);
	port = p2;
	struct http h;
	char req[256];
	snprintf(req, sizeof req,
		 "GET /api/info HTTP/1.1\r\nHost: 10.1.2.3:%u\r\n"
		 "Connection: close\r\n\r\n",
		 port);
	raw(req, strlen(req), &h);
	assert_int_equal(h.status, 200);
	http_free(&h);
	snprintf(req, sizeof req,
		 "GET /api/info HTTP/1.1\r\nHost: attacker.example:%u\r\n"
		 "Connection: close\r\n\r\n",
		 port);
	raw(req, strlen(req), &h);
	assert_int_equal(h.status, 421);
	http_free(&h);
	port = saved;
	kill(pid, SIGTERM);
	int st = 0;
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	fclose(fo);
	fclose(fe);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_api ALLOT_BINARY\n");
		return 2;
	}
	allot_bin = argv[1];
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_printed),
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_policy_shape),
		cmocka_unit_test(test_partners),
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_orderbook),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_minerals),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_reserve_needs_economy),
		cmocka_unit_test(test_same_keys),
		cmocka_unit_test(test_runs),
		cmocka_unit_test(test_whatif),
		cmocka_unit_test(test_unknown_cost),
		cmocka_unit_test(test_stored_edits),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_query_args),
		cmocka_unit_test(test_cross_site_reads),
		cmocka_unit_test(test_url_nul),
		cmocka_unit_test(test_content_type),
		cmocka_unit_test(test_number_grammar),
		cmocka_unit_test(test_assets),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_bind_all),
		cmocka_unit_test(test_queue_full),
		cmocka_unit_test(test_slow_head),
		cmocka_unit_test(test_per_ip_cap),
	};
	return cmocka_run_group_tests(tests, start_server, stop_server);
}
