/*
 * fuzz_server.c - fuzz target: the request handling of `allot serve`
 * (path, query, headers, body), over real HTTP on loopback.
 *
 * The handlers read their arguments and headers through libmicrohttpd's
 * connection, so there is no dispatch function to call without one: on
 * first use the target imports tests/data/scenarios/two-tiers (as "two")
 * and tiny (as "tiny") into a temporary store, stores two plan runs of
 * "two" (ids 1 fcfs, 2 priority), keeps a pristine copy of the store, and
 * starts the server in this process (server_start) on 127.0.0.1 with a
 * port picked by the kernel and a fixed token.  Each input becomes one
 * request on a fresh connection; the whole answer is read, with a time
 * limit.
 *
 * Input (text, so that the seeds read like requests):
 *
 *     METHOD TARGET [HTTP/1.0]
 *     Header-Name: value
 *     ...
 *     <empty line>
 *     body
 *
 * In the request line and the headers, $HOST becomes 127.0.0.1:PORT,
 * $PORT the port and $TOKEN the server's token.  The harness frames the
 * request so that the server can always answer: the method keeps only
 * token characters, TARGET bytes outside printable ASCII are %-encoded,
 * header names keep token characters and values lose control characters,
 * lines without a colon are dropped, Connection/Keep-Alive headers are
 * dropped and "Connection: close" added.  The body is sent only with a
 * Content-Length header: "$LEN" is its length; a number N truncates the
 * body to N bytes or pads it with spaces to N (N over the server's 1 MiB
 * body limit: no body is sent, the server refuses from the header); any
 * other value is sent as it is, with the body, and the answer may not come
 * (libmicrohttpd decides).  "Transfer-Encoding: chunked" sends the body as
 * one chunk; other Transfer-Encoding values are dropped.
 *
 * Checks beyond "no sanitizer finding":
 *   - an answer always comes (10 s), with a status line "HTTP/1.x NNN"
 *     (after any 100 Continue), and a body of its Content-Length; the one
 *     exception is a request head filling libmicrohttpd's 32 KiB of
 *     connection memory (MHD_POOL_EDGE below);
 *   - an answer made by allot (it carries the security headers) never has
 *     status 500 and is one of the documented statuses (docs/api.md);
 *     with status >= 400 its body is a JSON object with a string "error";
 *     for a path under /api/ (not HEAD) it is JSON (gunzipped when sent
 *     with Content-Encoding: gzip); a 201 has a Location under /api/;
 *   - an answer libmicrohttpd made itself (no security headers: a request
 *     it could not parse or headers over its memory) is 400, 413, 414,
 *     417, 431, 501 or 505;
 *   - the store changes (PRAGMA data_version, read on a connection of the
 *     target's own) only on a POST with the token that got 201.  After a
 *     change the pristine store is copied back (SQLite backup API), so
 *     every input meets the same store and a finding replays.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz_util.h"
#include "server.h"

#define FZ_TOKEN      "0123456789abcdef0123456789abcdef"
#define FZ_MAX_BODY   (1u << 20)
#define FZ_TIMEOUT_MS 10000
/* libmicrohttpd (0.9.75) closes the connection without any answer when
 * its 32 KiB of connection memory holds no room for the head of its own
 * 431 ("failed to create response header").  That memory holds what it has
 * read (the head, and as much of the body as came with it) and a record
 * of about 64 bytes per header line and per query argument.  Measured: one
 * header line of 31.6 to 32.4 KiB; 418 to 421 header lines of 12 bytes;
 * 249 header lines in an 11.6 KiB head followed by a 19 KiB body; an 8 KiB
 * request line of 563 query arguments.  For a request with an unusual head
 * (over 64 header lines and arguments, or 16 KiB) whose bytes read (up to
 * 32 KiB) plus 64 per header line and argument pass this, no answer is
 * accepted; any other request must get one. */
#define MHD_POOL_EDGE 30000

static struct server *srv;
static unsigned port;
static char tmpdir[256], db_path[300], pristine_path[300];
static sqlite3 *watch; /* our own connection: data_version */

/* ---------------------------------------------------------------------- */
/* Setting up: the store and the server                                    */

static void import(struct allot_store *st, const char *fixture, const char *name)
{
	char dir[512];
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	snprintf(dir, sizeof dir, "%s/tests/data/scenarios/%s", ALLOT_SOURCE_DIR, fixture);
	FZ_CHECK(allot_scenario_load(dir, &s, &d) == ALLOT_OK);
	FZ_CHECK(allot_store_put_scenario(st, name, s, &d) == ALLOT_OK);
	if (strcmp(name, "two") == 0) {
		for (int pol = 0; pol < 2; pol++) {
			struct allot_plan_options o;
			allot_plan_options_init(&o);
			o.policy = pol == 0 ? ALLOT_POLICY_FCFS : ALLOT_POLICY_PRIORITY;
			struct allot_plan *p = NULL;
			int64_t id = 0;
			FZ_CHECK(allot_plan_run(s, &o, &p) == ALLOT_OK);
			FZ_CHECK(allot_store_put_plan(st, name, p, &id, &d) == ALLOT_OK);
			FZ_CHECK(id == pol + 1);
			allot_plan_free(p);
		}
	}
	allot_scenario_free(s);
	allot_diags_free(&d);
}

static int64_t data_version(void)
{
	sqlite3_stmt *q = NULL;
	FZ_CHECK(sqlite3_prepare_v2(watch, "PRAGMA data_version", -1, &q, NULL) == SQLITE_OK);
	FZ_CHECK(sqlite3_step(q) == SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* Copies the pristine store back over the live one (a commit the server's
 * connections see like any other). */
static void restore_store(void)
{
	sqlite3 *src = NULL;
	FZ_CHECK(sqlite3_open_v2(pristine_path, &src, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	sqlite3_busy_timeout(watch, 5000);
	sqlite3_backup *b = sqlite3_backup_init(watch, "main", src, "main");
	FZ_CHECK(b != NULL);
	int rc;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(5);
	FZ_CHECK(rc == SQLITE_DONE);
	FZ_CHECK(sqlite3_backup_finish(b) == SQLITE_OK);
	sqlite3_close(src);
}

static void cleanup(void)
{
	if (srv)
		server_stop(srv);
	srv = NULL;
	if (watch)
		sqlite3_close(watch);
	watch = NULL;
	const char *suffix[] = { "", "-wal", "-shm" };
	char p[400];
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", db_path, suffix[i]);
		unlink(p);
		snprintf(p, sizeof p, "%s%s", pristine_path, suffix[i]);
		unlink(p);
	}
	rmdir(tmpdir);
}

static void setup(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/allot-fuzz-server-XXXXXX", t && *t ? t : "/tmp");
	FZ_CHECK(mkdtemp(tmpdir) != NULL);
	snprintf(db_path, sizeof db_path, "%s/store.db", tmpdir);
	snprintf(pristine_path, sizeof pristine_path, "%s/pristine.db", tmpdir);
	struct allot_diags d;
	allot_diags_init(&d);
	for (int k = 0; k < 2; k++) {
		struct allot_store *st = NULL;
		FZ_CHECK(allot_store_open(k ? pristine_path : db_path, &st, &d) == ALLOT_OK);
		import(st, "two-tiers", "two");
		import(st, "tiny", "tiny");
		allot_store_close(st);
	}
	allot_diags_free(&d);
	FZ_CHECK(sqlite3_open_v2(db_path, &watch, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	struct server_options o;
	server_options_init(&o);
	o.db = db_path;
	o.port = 0;
	o.token = FZ_TOKEN;
	o.timeout_s = 2; /* what libmicrohttpd leaves unanswered closes soon */
	o.max_body = FZ_MAX_BODY;
	char err[256];
	if (server_start(&o, &srv, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_server: %s\n", err);
		FZ_CHECK(!"server_start");
	}
	port = server_port(srv);
	atexit(cleanup);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!srv)
		setup();
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Building the request                                                    */

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		FZ_CHECK(b->p != NULL);
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* s[0..n) with $HOST, $PORT and $TOKEN replaced. */
static void put_subst(struct buf *b, const char *s, size_t n)
{
	char host[32], portstr[8];
	snprintf(host, sizeof host, "127.0.0.1:%u", port);
	snprintf(portstr, sizeof portstr, "%u", port);
	for (size_t i = 0; i < n;) {
		if (s[i] == '$' && n - i >= 5 && memcmp(s + i, "$HOST", 5) == 0) {
			puts_(b, host);
			i += 5;
		} else if (s[i] == '$' && n - i >= 5 && memcmp(s + i, "$PORT", 5) == 0) {
			puts_(b, portstr);
			i += 5;
		} else if (s[i] == '$' && n - i >= 6 && memcmp(s + i, "$TOKEN", 6) == 0) {
			puts_(b, FZ_TOKEN);
			i += 6;
		} else {
			put(b, s + i, 1);
			i++;
		}
	}
}

static int tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

struct request {
	struct buf text; /* the bytes sent */
	char method[32];
	char path[256];   /* the target as sent, up to '?' (truncated) */
	int has_token;    /* the token appears in a header */
	int framed;       /* the server can tell where the request ends */
	size_t head_len;  /* bytes of request line and headers */
	size_t n_headers; /* header lines sent */
	size_t n_args;    /* query arguments ('&'-separated) */
};

static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

static void build(const uint8_t *data, size_t size, struct request *r)
{
	const char *p = (const char *)data, *end = p + size;
	memset(r, 0, sizeof *r);
	r->framed = 1;

	/* Request line: METHOD TARGET [VERSION]. */
	const char *le = line_end(p, end);
	struct buf first = { 0 };
	put_subst(&first, p, (size_t)(le - p));
	p = le < end ? le + 1 : end;
	char *f = first.p ? first.p : (char *)"";
	char *sp1 = strchr(f, ' ');
	char *target = sp1 ? sp1 + 1 : (char *)"";
	char *sp2 = strchr(target, ' ');
	const char *version = "HTTP/1.1";
	if (sp2 && strncmp(sp2 + 1, "HTTP/1.0", 8) == 0)
		version = "HTTP/1.0";
	size_t mlen = 0;
	for (const char *m = f; *m && m != sp1 && mlen < sizeof r->method - 1; m++)
		if (tchar((unsigned char)*m))
			r->method[mlen++] = *m;
	if (!mlen)
		strcpy(r->method, "GET");
	puts_(&r->text, r->method);
	puts_(&r->text, " ");
	size_t tlen = sp2 ? (size_t)(sp2 - target) : strlen(target);
	if (!tlen)
		puts_(&r->text, "/");
	int in_query = 0;
	size_t plen = 0;
	for (size_t i = 0; i < tlen; i++) {
		unsigned char c = (unsigned char)target[i];
		char enc[4];
		if (c <= 0x20 || c >= 0x7f) {
			snprintf(enc, sizeof enc, "%%%02X", c);
			puts_(&r->text, enc);
		} else {
			put(&r->text, &c, 1);
		}
		if (c == '?' && !in_query) {
			in_query = 1;
			r->n_args = 1;
		} else if (c == '&' && in_query) {
			r->n_args++;
		}
		if (!in_query && plen < sizeof r->path - 1)
			r->path[plen++] = (char)c;
	}
	free(first.p);
	puts_(&r->text, " ");
	puts_(&r->text, version);
	puts_(&r->text, "\r\n");

	/* Headers, up to an empty line. */
	const char *clen = NULL;
	size_t clen_n = 0;
	int chunked = 0;
	while (p < end) {
		le = line_end(p, end);
		const char *ln = p;
		size_t n = (size_t)(le - p);
		p = le < end ? le + 1 : end;
		if (n && ln[n - 1] == '\r')
			n--;
		if (!n)
			break;
		const char *colon = memchr(ln, ':', n);
		if (!colon)
			continue;
		char name[128];
		size_t nn = 0;
		for (const char *c = ln; c < colon && nn < sizeof name - 1; c++)
			if (tchar((unsigned char)*c))
				name[nn++] = *c;
		name[nn] = '\0';
		if (!nn)
			continue;
		const char *v = colon + 1;
		size_t vn = (size_t)(ln + n - v);
		while (vn && (*v == ' ' || *v == '\t')) {
			v++;
			vn--;
		}
		if (!strcasecmp(name, "Connection") || !strcasecmp(name, "Keep-Alive"))
			continue;
		if (!strcasecmp(name, "Transfer-Encoding")) {
			if (vn == 7 && !strncasecmp(v, "chunked", 7))
				chunked = 1;
			continue;
		}
		if (!strcasecmp(name, "Content-Length")) {
			clen = v;
			clen_n = vn;
			continue;
		}
		struct buf raw = { 0 }, val = { 0 };
		put_subst(&raw, v, vn);
		put(&val, "", 0);
		for (size_t i = 0; i < raw.n; i++) {
			unsigned char c = (unsigned char)raw.p[i];
			if ((c >= 0x20 && c != 0x7f) || c == '\t')
				put(&val, &c, 1);
		}
		if (strstr(val.p, FZ_TOKEN) &&
		    (!strcasecmp(name, "Authorization") || !strcasecmp(name, "X-Allot-Token")))
			r->has_token = 1;
		puts_(&r->text, name);
		puts_(&r->text, ": ");
		r->n_headers++;
		put(&r->text, val.p, val.n);
		puts_(&r->text, "\r\n");
		free(raw.p);
		free(val.p);
	}
	puts_(&r->text, "Connection: close\r\n");

	/* The body. */
	const char *body = p;
	size_t blen = (size_t)(end - p);
	size_t pad = 0;
	char num[32];
	int send_body = 0;
	if (clen) {
		int digits = clen_n > 0 && clen_n < 20;
		for (size_t i = 0; digits && i < clen_n; i++)
			digits = isdigit((unsigned char)clen[i]);
		if (clen_n == 4 && !memcmp(clen, "$LEN", 4)) {
			send_body = 1;
		} else if (digits) {
			unsigned long long want = strtoull(clen, NULL, 10);
			if (want > FZ_MAX_BODY) {
				blen = 0;
			} else {
				send_body = 1;
				if (want < blen)
					blen = (size_t)want;
				else
					pad = (size_t)want - blen;
			}
		} else {
			send_body = 1;
			r->framed = 0;
		}
		if (r->framed) {
			snprintf(num, sizeof num, "%zu",
				 send_body ? blen + pad : (size_t)strtoull(clen, NULL, 10));
			puts_(&r->text, "Content-Length: ");
			puts_(&r->text, num);
		} else {
			puts_(&r->text, "Content-Length: ");
			for (size_t i = 0; i < clen_n; i++) {
				unsigned char c = (unsigned char)clen[i];
				if ((c >= 0x20 && c != 0x7f) || c == '\t')
					put(&r->text, &c, 1);
			}
		}
		puts_(&r->text, "\r\n");
	} else if (chunked) {
		puts_(&r->text, "Transfer-Encoding: chunked\r\n");
	}
	puts_(&r->text, "\r\n");
	r->head_len = r->text.n;
	r->n_headers += 2; /* Connection, and Content-Length or Transfer-Encoding */
	if (clen && send_body) {
		put(&r->text, body, blen);
		for (size_t i = 0; i < pad; i++)
			put(&r->text, " ", 1);
	} else if (!clen && chunked) {
		if (blen) {
			snprintf(num, sizeof num, "%zx\r\n", blen);
			puts_(&r->text, num);
			put(&r->text, body, blen);
			puts_(&r->text, "\r\n");
		}
		puts_(&r->text, "0\r\n\r\n");
	}
}

/* ---------------------------------------------------------------------- */
/* Sending it and reading the answer                                       */

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends the request and reads until the server closes.  Returns 0, or -1
 * on a time-out. */
static int exchange(const struct request *r, struct buf *in)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	int fd = -1;
	for (int tries = 0; fd < 0; tries++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		FZ_CHECK(fd >= 0);
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			break;
		int e = errno;
		close(fd);
		fd = -1;
		if (tries == 200) {
			fprintf(stderr, "fuzz_server: connect: %s\n", strerror(e));
			FZ_CHECK(!"connect");
		}
		usleep(10000); /* ports still in TIME_WAIT, a full backlog */
	}
	long deadline = now_ms() + FZ_TIMEOUT_MS;
	size_t sent = 0;
	int rc = 0, wr_done = 0;
	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN | (wr_done ? 0 : POLLOUT) };
		long left = deadline - now_ms();
		if (left <= 0) {
			rc = -1;
			break;
		}
		if (poll(&pf, 1, (int)left) <= 0)
			continue;
		if (!wr_done && (pf.revents & POLLOUT)) {
			ssize_t k = send(fd, r->text.p + sent, r->text.n - sent, MSG_NOSIGNAL);
			if (k > 0)
				sent += (size_t)k;
			if (k < 0 || sent == r->text.n)
				wr_done = 1; /* refused early: the server closed */
		}
		if (pf.revents & (POLLIN | POLLHUP | POLLERR)) {
			char chunk[16384];
			ssize_t k = recv(fd, chunk, sizeof chunk, 0);
			if (k > 0)
				put(in, chunk, (size_t)k);
			else if (k == 0 || errno != EINTR)
				break; /* closed (or reset) */
		}
	}
	close(fd);
	return rc;
}

/* Value of header name in the head (up to the blank line), or NULL. */
static const char *resp_header(const char *head, const char *name, char *val, size_t n)
{
	size_t nl = strlen(name);
	for (const char *l = strstr(head, "\r\n"); l && l[2] != '\r'; l = strstr(l + 2, "\r\n")) {
		const char *h = l + 2;
		if (!strncasecmp(h, name, nl) && h[nl] == ':') {
			const char *v = h + nl + 1;
			while (*v == ' ')
				v++;
			const char *e = strstr(v, "\r\n");
			size_t k = e ? (size_t)(e - v) : strlen(v);
			if (k >= n)
				k = n - 1;
			memcpy(val, v, k);
			val[k] = '\0';
			return val;
		}
	}
	return NULL;
}

static char *gunzip(const char *p, size_t n, size_t *outn)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	FZ_CHECK(inflateInit2(&z, 16 + MAX_WBITS) == Z_OK);
	struct buf out = { 0 };
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)n;
	int rc;
	do {
		unsigned char chunk[16384];
		z.next_out = chunk;
		z.avail_out = sizeof chunk;
		rc = inflate(&z, Z_NO_FLUSH);
		FZ_CHECK(rc == Z_OK || rc == Z_STREAM_END);
		put(&out, chunk, sizeof chunk - z.avail_out);
	} while (rc != Z_STREAM_END);
	inflateEnd(&z);
	*outn = out.n;
	return out.p ? out.p : calloc(1, 1);
}

static int status_ours(int st)
{
	static const int ok[] = { 200, 201, 400, 401, 403, 404, 405, 409, 411, 413, 415, 421, 431 };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (st == ok[i])
			return 1;
	return 0;
}

static int status_mhd(int st)
{
	static const int ok[] = { 400, 413, 414, 417, 431, 501, 505 };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (st == ok[i])
			return 1;
	return 0;
}

/* Checks the answer; returns its final status. */
static int check_answer(const struct request *r, struct buf *in)
{
	FZ_CHECK(in->n > 0);
	char *p = in->p;
	/* Skip interim answers (100 Continue). */
	while (!strncmp(p, "HTTP/1.1 1", 10) && strstr(p, "\r\n\r\n") &&
	       strncmp(p, "HTTP/1.1 101", 12))
		p = strstr(p, "\r\n\r\n") + 4;
	FZ_CHECK(!strncmp(p, "HTTP/1.1 ", 9) || !strncmp(p, "HTTP/1.0 ", 9));
	FZ_CHECK(isdigit((unsigned char)p[9]) && isdigit((unsigned char)p[10]) &&
		 isdigit((unsigned char)p[11]) && p[12] == ' ');
	int st = atoi(p + 9);
	char *sep = strstr(p, "\r\n\r\n");
	FZ_CHECK(sep != NULL);
	sep[2] = '\0'; /* the head ends with its last header's CRLF */
	const char *head = p;
	char *body = sep + 4;
	size_t blen = in->n - (size_t)(body - in->p);
	char v[256];
	int ours = resp_header(head, "X-Content-Type-Options", v, sizeof v) &&
		   !strcmp(v, "nosniff");
	if (!ours) {
		if (!status_mhd(st))
			fprintf(stderr, "fuzz_server: status %d without allot's headers\n", st);
		FZ_CHECK(status_mhd(st));
		return st;
	}
	/* (libmicrohttpd 0.9.75 sends the head of its own 400 to a bad
	 * Content-Length twice: its answers are not held to this.) */
	if (resp_header(head, "Content-Length", v, sizeof v))
		FZ_CHECK(strtoull(v, NULL, 10) == blen || !strcmp(r->method, "HEAD"));
	FZ_CHECK(resp_header(head, "X-Frame-Options", v, sizeof v) && !strcmp(v, "DENY"));
	FZ_CHECK(resp_header(head, "Content-Security-Policy", v, sizeof v));
	FZ_CHECK(!resp_header(head, "Access-Control-Allow-Origin", v, sizeof v));
	if (!status_ours(st))
		fprintf(stderr, "fuzz_server: status %d from allot\n%s\n", st, body);
	FZ_CHECK(status_ours(st));
	if (st == 201)
		FZ_CHECK(resp_header(head, "Location", v, sizeof v) && !strncmp(v, "/api/", 5));
	int is_api = !strncmp(r->path, "/api/", 5);
	if (!strcmp(r->method, "HEAD") || (st < 400 && !is_api))
		return st;
	char type[256];
	FZ_CHECK(resp_header(head, "Content-Type", type, sizeof type));
	FZ_CHECK(!strncmp(type, "application/json", 16));
	char *plain = NULL;
	size_t plen = blen;
	if (resp_header(head, "Content-Encoding", v, sizeof v)) {
		FZ_CHECK(!strcmp(v, "gzip"));
		plain = gunzip(body, blen, &plen);
	}
	json_error_t err;
	json_t *j = json_loadb(plain ? plain : body, plen, 0, &err);
	if (!j)
		fprintf(stderr, "fuzz_server: status %d, body not JSON: %s\n", st, err.text);
	FZ_CHECK(json_is_object(j));
	if (st >= 400)
		FZ_CHECK(json_is_string(json_object_get(j, "error")));
	json_decref(j);
	free(plain);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!srv)
		setup();
	struct request r;
	build(data, size, &r);
	int64_t before = data_version();
	struct buf in = { 0 };
	int timed_out = exchange(&r, &in) != 0;
	if (getenv("FZ_SERVER_DEBUG"))
		fprintf(stderr,
			"---- sent (%zu bytes, head %zu, %zu headers)\n%.*s\n"
			"---- received%s\n%.*s\n----\n",
			r.text.n, r.head_len, r.n_headers, (int)(r.text.n < 4000 ? r.text.n : 4000),
			r.text.p, timed_out ? " (timed out)" : "", (int)(in.n < 4000 ? in.n : 4000),
			in.p ? in.p : "");
	if (timed_out && r.framed)
		fprintf(stderr, "fuzz_server: no answer in %d ms\n", FZ_TIMEOUT_MS);
	FZ_CHECK(!timed_out || !r.framed);
	/* A request the server cannot frame may go unanswered, or be cut. */
	int st = 0;
	size_t records = r.n_headers + r.n_args;
	size_t pool = (r.text.n < 32768 ? r.text.n : 32768) + 64 * records;
	if (!in.n && !timed_out && (records > 64 || r.head_len > 16384) && pool > MHD_POOL_EDGE)
		; /* see MHD_POOL_EDGE */
	else if (r.framed || (in.n && !timed_out))
		st = check_answer(&r, &in);
	int64_t after = data_version();
	if (after != before) {
		if (!(r.has_token && !strcmp(r.method, "POST") && st == 201))
			fprintf(stderr,
				"fuzz_server: the store changed (%s, status %d, token %d)\n",
				r.method, st, r.has_token);
		FZ_CHECK(r.has_token && !strcmp(r.method, "POST") && st == 201);
		restore_store();
	}
	free(in.p);
	free(r.text.p);
	return 0;
}
