/*
 * load_budget.c - allot serve under attack, on loopback only: does the
 * dashboard keep answering while slow clients and cache-busting clients
 * run?  (docs/api.md, "Limits"; issue 13.)
 *
 * Imports data/default into a temporary store, starts `allot serve --port
 * 0` with its default limits, warms the dashboard's answers, then for
 * --seconds runs at once:
 *   - --slow connections (default 300) that send a request line and then
 *     one header line a second, never finishing their head, half from
 *     127.0.0.1 and half from 127.0.0.2; each reconnects at once when the
 *     server closes it (slowloris);
 *   - --busters clients (default 32), each sending requests one after the
 *     other without pause, every one a cache miss: order-book pages at
 *     random offsets and limits, quotes of random quantities, and requests
 *     with an unknown argument (?bust=N); a 503 is retried at once;
 *   - one dashboard client from 127.0.0.1, opening a new connection for
 *     each of the dashboard's requests (the page, its script, the scenario
 *     list, the scenario, the leaderboard, the first page of the order
 *     book) in turn, 20 ms apart, timing each from connect to the last
 *     byte.
 * It samples the server's resident memory every 100 ms and prints the
 * dashboard's latency percentiles, its failures, what the attackers got,
 * the server's own counters (/api/info), the peak RSS and the load
 * average.  Goals: no dashboard request fails, its p99 is under --p99-ms
 * (default 250) and the peak RSS under --rss-mib (default 256); exit 0
 * when they are met, 1 otherwise, 2 on bad usage.
 *
 * Every loop stops by itself at the deadline (and after at most 10^6
 * requests per client); sockets have 5 s timeouts.
 *
 * usage: load_budget --allot BIN --src DIR [--seconds N] [--slow N]
 *                    [--busters N] [--p99-ms MS] [--rss-mib MIB]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUESTS 1000000
#define MAX_SLOW     2000

static unsigned port;
static double deadline; /* monotonic seconds */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A blocking connection from src to the server, 5 s timeouts; -1 if none. */
static int dial(const char *src)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in me = { .sin_family = AF_INET };
	inet_pton(AF_INET, src, &me.sin_addr);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	struct timeval tv = { 5, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (bind(fd, (struct sockaddr *)&me, sizeof me) != 0 ||
	    connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One GET on a new connection; the status (0: no answer).  body, when not
 * NULL, receives up to cap - 1 bytes of the answer's body. */
static int get(const char *src, const char *path, char *body, size_t cap)
{
	int fd = dial(src);
	if (fd < 0)
		return 0;
	char req[512];
	int n = snprintf(req, sizeof req,
			 "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
			 "Accept-Encoding: gzip\r\nConnection: close\r\n\r\n",
			 path, port);
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		close(fd);
		return 0;
	}
	char buf[16384], head[64] = "";
	size_t got = 0, kept = 0;
	ssize_t r;
	char *sep = NULL;
	static __thread char all[1 << 16];
	while ((r = recv(fd, buf, sizeof buf, 0)) > 0) {
		if (got < sizeof head - 1)
			memcpy(head + got, buf,
			       (size_t)r < sizeof head - 1 - got ? (size_t)r
								 : sizeof head - 1 - got);
		if (body && kept < sizeof all - 1) {
			size_t k = (size_t)r < sizeof all - 1 - kept ? (size_t)r
								     : sizeof all - 1 - kept;
			memcpy(all + kept, buf, k);
			kept += k;
		}
		got += (size_t)r;
	}
	close(fd);
	int status = 0;
	if (r < 0 || sscanf(head, "HTTP/1.%*d %d", &status) != 1)
		return 0;
	if (body) {
		all[kept] = '\0';
		sep = strstr(all, "\r\n\r\n");
		snprintf(body, cap, "%s", sep ? sep + 4 : "");
	}
	return status;
}

/* ---------------------------------------------------------------------- */
/* Slow clients                                                            */

struct slow_stats {
	int n;
	long reconnects, dial_failures;
};

static void *slow_loop(void *arg)
{
	struct slow_stats *st = arg;
	int fd[MAX_SLOW];
	double next[MAX_SLOW];
	char line[128];
	int len = snprintf(line, sizeof line, "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n",
			   port);
	for (int i = 0; i < st->n; i++) {
		fd[i] = dial(i % 2 ? "127.0.0.2" : "127.0.0.1");
		if (fd[i] >= 0)
			send(fd[i], line, (size_t)len, MSG_NOSIGNAL);
		else
			st->dial_failures++;
		next[i] = now() + 1 + (double)(i % 10) / 10;
	}
	static struct pollfd p[MAX_SLOW];
	while (now() < deadline) {
		for (int i = 0; i < st->n; i++)
			p[i] = (struct pollfd){ .fd = fd[i], .events = POLLIN };
		poll(p, (nfds_t)st->n, 100);
		double t = now();
		for (int i = 0; i < st->n && t < deadline; i++) {
			int gone = fd[i] < 0;
			if (!gone && (p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
				char buf[256];
				gone = recv(fd[i], buf, sizeof buf, MSG_DONTWAIT) <= 0;
			}
			if (!gone && t >= next[i]) {
				gone = send(fd[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) != 11;
				next[i] = t + 1;
			}
			if (gone) { /* closed by the server: come back at once */
				if (fd[i] >= 0)
					close(fd[i]);
				st->reconnects++;
				fd[i] = dial(i % 2 ? "127.0.0.2" : "127.0.0.1");
				if (fd[i] >= 0)
					send(fd[i], line, (size_t)len, MSG_NOSIGNAL);
				else
					st->dial_failures++;
				next[i] = t + 1;
			}
		}
	}
	for (int i = 0; i < st->n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Cache busters                                                           */

struct buster {
	unsigned seed;
	long ok, refused400, busy503, other, failed;
};

static void *bust_loop(void *arg)
{
	struct buster *b = arg;
	for (long k = 0; k < MAX_REQUESTS && now() < deadline; k++) {
		char path[256];
		int r = rand_r(&b->seed);
		switch (r % 3) {
		case 0:
			snprintf(path, sizeof path,
				 "/api/scenarios/default/orders?offset=%d&limit=%d", r % 528,
				 1 + (r >> 4) % 1000);
			break;
		case 1:
			snprintf(path, sizeof path,
				 "/api/scenarios/default/quote?iso3=POL&system=f35a&qty=%d",
				 1 + (r >> 4) % 100000);
			break;
		default:
			snprintf(path, sizeof path, "/api/scenarios/default/orders?bust=%d", r);
		}
		int st = get("127.0.0.1", path, NULL, 0);
		if (st == 200)
			b->ok++;
		else if (st == 400)
			b->refused400++;
		else if (st == 503)
			b->busy503++;
		else if (st)
			b->other++;
		else
			b->failed++;
	}
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* The dashboard                                                           */

static const char *const dash_paths[] = {
	"/",
	"/app.js",
	"/api/scenarios?limit=1000",
	"/api/scenarios/default",
	"/api/scenarios/default/partners?limit=1000",
	"/api/scenarios/default/orders?policy=priority&limit=100&offset=0",
};
#define N_DASH (sizeof dash_paths / sizeof *dash_paths)

struct dash {
	double *ms;
	long n, failed, retried;
	char first_failure[160];
};

static void *dash_loop(void *arg)
{
	struct dash *d = arg;
	for (long k = 0; k < MAX_REQUESTS && now() < deadline; k++) {
		const char *path = dash_paths[k % N_DASH];
		double t0 = now();
		int st = get("127.0.0.1", path, NULL, 0);
		/* A connection closed before any byte of an answer (the guard
		 * evicts connections that sent nothing yet when every place is
		 * taken) is retried once, as a browser retries an idempotent GET;
		 * the retry's time counts, and a second failure is a failure. */
		if (st == 0) {
			d->retried++;
			st = get("127.0.0.1", path, NULL, 0);
		}
		double ms = (now() - t0) * 1000;
		if (st != 200) {
			if (!d->failed++)
				snprintf(d->first_failure, sizeof d->first_failure, "%s: status %d",
					 path, st);
		}
		d->ms[d->n++] = ms;
		usleep(20000);
	}
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* ---------------------------------------------------------------------- */

static long rss_kib(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kib = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* A number from the server's /api/info: "connections/evicted". */
static long long info(const char *group, const char *key)
{
	char body[4096], pat[96];
	if (get("127.0.0.3", "/api/info", body, sizeof body) != 200)
		return -1;
	char *g = strstr(body, group);
	snprintf(pat, sizeof pat, "\"%s\":", key);
	char *k = g ? strstr(g, pat) : NULL;
	return k ? atoll(k + strlen(pat)) : -1;
}

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

static int usage(void)
{
	fprintf(stderr, "usage: load_budget --allot BIN --src DIR [--seconds N] [--slow N] "
			"[--busters N] [--p99-ms MS] [--rss-mib MIB]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *allot = NULL, *src = NULL;
	double seconds = 10, p99_goal = 250, rss_goal = 256;
	int n_slow = 300, n_bust = 32;
	for (int i = 1; i < argc; i += 2) { /* --option value pairs */
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return usage();
		if (strcmp(argv[i], "--allot") == 0)
			allot = v;
		else if (strcmp(argv[i], "--src") == 0)
			src = v;
		else if (strcmp(argv[i], "--seconds") == 0)
			seconds = atof(v);
		else if (strcmp(argv[i], "--slow") == 0)
			n_slow = atoi(v);
		else if (strcmp(argv[i], "--busters") == 0)
			n_bust = atoi(v);
		else if (strcmp(argv[i], "--p99-ms") == 0)
			p99_goal = atof(v);
		else if (strcmp(argv[i], "--rss-mib") == 0)
			rss_goal = atof(v);
		else
			return usage();
	}
	if (!allot || !src || seconds <= 0 || seconds > 3600 || n_slow < 0 || n_slow > MAX_SLOW ||
	    n_bust < 0 || n_bust > 256)
		return usage();
	signal(SIGPIPE, SIG_IGN);

	char tmp[] = "/tmp/allot-load-XXXXXX";
	if (!mkdtemp(tmp))
		return 1;
	if (run("'%s' import '%s/data/default' --db '%s/allot.db' >/dev/null", allot, src, tmp)) {
		fprintf(stderr, "load_budget: cannot import data/default\n");
		return 1;
	}
	int out[2];
	if (pipe(out) != 0)
		return 1;
	char db[300];
	snprintf(db, sizeof db, "%s/allot.db", tmp);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		execl(allot, allot, "serve", "--db", db, "--port", "0", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	FILE *f = fdopen(out[0], "r");
	char line[512] = "", token[64];
	if (!fgets(line, sizeof line, f) ||
	    sscanf(line, "allot serve: http://127.0.0.1:%u/#token=%63s", &port, token) != 2) {
		fprintf(stderr, "load_budget: the server did not start\n");
		kill(pid, SIGTERM);
		return 1;
	}
	fclose(f);

	/* Warm-up: the dashboard's answers computed once and cached. */
	for (size_t i = 0; i < N_DASH; i++)
		if (get("127.0.0.1", dash_paths[i], NULL, 0) != 200) {
			fprintf(stderr, "load_budget: %s failed before the load\n", dash_paths[i]);
			kill(pid, SIGTERM);
			return 1;
		}
	long rss0 = rss_kib(pid);

	deadline = now() + seconds;
	struct slow_stats slow = { .n = n_slow };
	struct buster *bs = calloc((size_t)n_bust + 1, sizeof *bs);
	struct dash dash = { .ms = calloc(MAX_REQUESTS, sizeof(double)) };
	pthread_t ts, td, *tb = calloc((size_t)n_bust + 1, sizeof *tb);
	pthread_create(&ts, NULL, slow_loop, &slow);
	usleep(300000); /* the slow clients first: they hold their places */
	for (int i = 0; i < n_bust; i++) {
		bs[i].seed = 12345u + (unsigned)i;
		pthread_create(&tb[i], NULL, bust_loop, &bs[i]);
	}
	pthread_create(&td, NULL, dash_loop, &dash);
	long rss_peak = rss0;
	while (now() < deadline) {
		long r = rss_kib(pid);
		if (r > rss_peak)
			rss_peak = r;
		usleep(100000);
	}
	pthread_join(td, NULL);
	pthread_join(ts, NULL);
	for (int i = 0; i < n_bust; i++)
		pthread_join(tb[i], NULL);
	double load[3] = { 0, 0, 0 };
	FILE *la = fopen("/proc/loadavg", "r");
	if (la) {
		if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
			load[0] = -1;
		fclose(la);
	}

	struct buster tot = { 0 };
	for (int i = 0; i < n_bust; i++) {
		tot.ok += bs[i].ok;
		tot.refused400 += bs[i].refused400;
		tot.busy503 += bs[i].busy503;
		tot.other += bs[i].other;
		tot.failed += bs[i].failed;
	}
	long long evicted = info("connections", "evicted"),
		  overdue = info("connections", "head_overdue");
	long long refused = info("connections", "refused"), rejected = info("work", "rejected");
	kill(pid, SIGTERM);
	int st = 0;
	waitpid(pid, &st, 0);
	run("rm -rf '%s'", tmp);

	qsort(dash.ms, (size_t)dash.n, sizeof *dash.ms, cmp_double);
	double p50 = dash.n ? dash.ms[dash.n / 2] : -1;
	double p99 = dash.n ? dash.ms[(size_t)((double)(dash.n - 1) * 0.99)] : -1;
	double max = dash.n ? dash.ms[dash.n - 1] : -1;
	printf("allot serve under attack: %.0f s, %d slow connections, %d cache-busting clients, "
	       "loopback\n",
	       seconds, n_slow, n_bust);
	printf("dashboard_requests: %ld\n", dash.n);
	printf("dashboard_failed: %ld%s%s\n", dash.failed, dash.failed ? " first: " : "",
	       dash.first_failure);
	printf("dashboard_retried: %ld (closed before an answer, retried once)\n", dash.retried);
	printf("dashboard_p50_ms: %.2f\ndashboard_p99_ms: %.2f\ndashboard_max_ms: %.2f\n", p50, p99,
	       max);
	printf("busters_200: %ld\nbusters_400: %ld\nbusters_503: %ld\nbusters_other: %ld\n"
	       "busters_no_answer: %ld\n",
	       tot.ok, tot.refused400, tot.busy503, tot.other, tot.failed);
	printf("slow_reconnects: %ld\nslow_dial_failures: %ld\n", slow.reconnects,
	       slow.dial_failures);
	printf("server_evicted: %lld\nserver_head_overdue: %lld\nserver_refused: %lld\n"
	       "server_rejected_503: %lld\n",
	       evicted, overdue, refused, rejected);
	printf("rss_kib_before: %ld\nrss_kib_peak: %ld\n", rss0, rss_peak);
	printf("loadavg: %.2f %.2f %.2f\n", load[0], load[1], load[2]);
	int ok = 1;
	if (dash.n == 0 || dash.failed) {
		printf("GOAL MISSED: %ld of %ld dashboard requests failed\n", dash.failed, dash.n);
		ok = 0;
	}
	if (p99 > p99_goal) {
		printf("GOAL MISSED: dashboard p99 %.1f ms > %.0f ms\n", p99, p99_goal);
		ok = 0;
	}
	if ((double)rss_peak > rss_goal * 1024) {
		printf("GOAL MISSED: peak RSS %ld KiB > %.0f MiB\n", rss_peak, rss_goal);
		ok = 0;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("GOAL MISSED: the server did not stop cleanly\n");
		ok = 0;
	}
	if (ok)
		printf("goals met: no dashboard failure, p99 under %.0f ms, peak RSS under %.0f MiB\n",
		       p99_goal, rss_goal);
	free(dash.ms);
	free(bs);
	free(tb);
	return ok ? 0 : 1;
}
