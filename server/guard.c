/*
 * guard.c - who may hold a connection, and for how long (docs/api.md,
 * "Connections").
 *
 * libmicrohttpd's own idle timeout restarts with every byte received, so a
 * client sending one header line a second keeps its connection forever,
 * and 256 such clients fill the connection limit (slowloris).  This file
 * tracks every connection (libmicrohttpd's connection-notify callback) and
 * enforces:
 *
 *   - a deadline for the request head: a connection whose request line and
 *     headers are not complete `head_s` seconds after it opened (or after
 *     its previous request ended, on a kept-alive connection) is closed by
 *     a timer thread;
 *   - a per-IP cap: a new connection from an address that already holds
 *     `per_ip` connections evicts one of that address's connections still
 *     sending their head, or is refused when there is none; the whole
 *     server keeps `SRV_CONN_RESERVE` places free the same way (evicting
 *     anywhere), so a client that sends its request at once finds a place.
 *
 * Which head to evict: a client that means it sends its whole head at
 * once, and libmicrohttpd reads the request line and the headers in one
 * go.  So the first choice is the oldest connection whose request line
 * has been read (libmicrohttpd decoded its URL) but whose head is still
 * incomplete: it is sending slowly.  Only when there is none, the oldest
 * connection from which nothing was read yet, if it is older than
 * SRV_HEAD_GRACE_MS (a fresh connection, not yet read because the server
 * is busy, is not punished for it).  Slow clients that reconnect as fast
 * as they are closed thus evict each other, not the dashboard.
 *
 * Closing is a shutdown() of the socket under the table's mutex:
 * libmicrohttpd then sees the end of the stream and closes the connection
 * itself.  It notifies the close (which unlinks the entry, under the same
 * mutex) before it closes the descriptor, so a shutdown never reaches a
 * descriptor that was reused.
 *
 * The file also remembers, per connection, a %00 in the URL: libmicrohttpd
 * decodes the path into a C string, where a NUL would silently cut it
 * ("/api/scenarios/default%00/partners" would answer the scenario).
 */
#include <microhttpd.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "mem.h"
#include "server_int.h"

struct conn_track {
	int fd;
	unsigned char ip[17];           /* family, then the address (4 or 16 bytes) */
	int64_t since_ms;               /* the current request head began */
	int head_done;                  /* its head is complete: a request is under way */
	int evicted;                    /* shut down, waiting for libmicrohttpd to close it */
	int line_seen;                  /* the current request's line has been read */
	int nul;                        /* %00 in the current request's URL */
	struct conn_track *prev, *next; /* oldest first */
};

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void ip_key(const struct sockaddr *a, unsigned char ip[17])
{
	memset(ip, 0, 17);
	ip[0] = (unsigned char)a->sa_family;
	if (a->sa_family == AF_INET)
		memcpy(ip + 1, &((const struct sockaddr_in *)a)->sin_addr, 4);
	else if (a->sa_family == AF_INET6)
		memcpy(ip + 1, &((const struct sockaddr_in6 *)a)->sin6_addr, 16);
}

/* Called with g->mu held. */
static void evict(struct guard *g, struct conn_track *t)
{
	t->evicted = 1;
	g->live--;
	shutdown(t->fd, SHUT_RDWR);
}

/* The connection to evict for a newcomer (from ip, or any when ip is
 * NULL): the oldest still sending a head whose line was read, else the
 * oldest not read at all for SRV_HEAD_GRACE_MS; NULL when none. */
static struct conn_track *oldest_open_head(struct guard *g, const unsigned char *ip)
{
	int64_t old = now_ms() - SRV_HEAD_GRACE_MS;
	struct conn_track *unread = NULL;
	for (struct conn_track *t = g->head; t; t = t->next) {
		if (t->evicted || t->head_done || (ip && memcmp(t->ip, ip, 17) != 0))
			continue;
		if (t->line_seen)
			return t;
		if (!unread && t->since_ms <= old)
			unread = t;
	}
	return unread;
}

enum MHD_Result guard_accept(void *cls, const struct sockaddr *addr, socklen_t len)
{
	(void)len;
	struct guard *g = cls;
	unsigned char ip[17];
	ip_key(addr, ip);
	enum MHD_Result ok = MHD_YES;
	pthread_mutex_lock(&g->mu);
	size_t mine = 0;
	for (struct conn_track *t = g->head; t; t = t->next)
		mine += !t->evicted && memcmp(t->ip, ip, 17) == 0;
	if (mine >= g->per_ip) {
		struct conn_track *t = oldest_open_head(g, ip);
		if (t) {
			evict(g, t);
			g->evicted_total++;
		} else {
			ok = MHD_NO;
		}
	}
	if (ok == MHD_YES && g->live + SRV_CONN_RESERVE >= g->max_conns) {
		struct conn_track *t = oldest_open_head(g, NULL);
		if (t) {
			evict(g, t);
			g->evicted_total++;
		} else if (g->live >= g->max_conns) {
			ok = MHD_NO;
		}
	}
	if (ok == MHD_NO)
		g->refused_total++;
	pthread_mutex_unlock(&g->mu);
	return ok;
}

void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		  enum MHD_ConnectionNotificationCode toe)
{
	struct guard *g = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn_track *t = mem_calloc(1, sizeof *t);
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		const union MHD_ConnectionInfo *ad =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (!t || !fd || !ad) {
			mem_free(t);
			*socket_context = NULL; /* untracked: only libmicrohttpd's limits */
			return;
		}
		t->fd = fd->connect_fd;
		ip_key(ad->client_addr, t->ip);
		t->since_ms = now_ms();
		pthread_mutex_lock(&g->mu);
		t->prev = g->tail;
		if (g->tail)
			g->tail->next = t;
		else
			g->head = t;
		g->tail = t;
		g->live++;
		pthread_mutex_unlock(&g->mu);
		*socket_context = t;
		return;
	}
	struct conn_track *t = *socket_context;
	if (!t)
		return;
	pthread_mutex_lock(&g->mu);
	if (t->prev)
		t->prev->next = t->next;
	else
		g->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		g->tail = t->prev;
	if (!t->evicted)
		g->live--;
	pthread_mutex_unlock(&g->mu);
	mem_free(t);
	*socket_context = NULL;
}

static struct conn_track *track(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *i =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return i ? i->socket_context : NULL;
}

int guard_head_done(struct guard *g, struct MHD_Connection *c)
{
	struct conn_track *t = track(c);
	if (!t)
		return 0;
	pthread_mutex_lock(&g->mu);
	t->head_done = 1;
	int nul = t->nul;
	pthread_mutex_unlock(&g->mu);
	return nul;
}

void guard_request_done(struct guard *g, struct MHD_Connection *c)
{
	struct conn_track *t = track(c);
	if (!t)
		return;
	pthread_mutex_lock(&g->mu);
	t->head_done = 0;
	t->line_seen = 0;
	t->nul = 0;
	t->since_ms = now_ms();
	pthread_mutex_unlock(&g->mu);
}

/* libmicrohttpd decodes the URL's path and arguments here, once it has
 * read the request line. */
size_t guard_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	struct guard *g = cls;
	struct conn_track *t = track(c);
	if (t) {
		pthread_mutex_lock(&g->mu);
		t->line_seen = 1;
		t->nul |= strstr(s, "%00") != NULL;
		pthread_mutex_unlock(&g->mu);
	}
	return MHD_http_unescape(s);
}

/* The timer: closes the connections whose head is overdue. */
static void *deadline_loop(void *arg)
{
	struct guard *g = arg;
	pthread_mutex_lock(&g->mu);
	while (!g->stop) {
		int64_t now = now_ms();
		for (struct conn_track *t = g->head; t; t = t->next)
			if (!t->evicted && !t->head_done && now - t->since_ms >= g->head_ms) {
				evict(g, t);
				g->overdue_total++;
			}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->cv, &g->mu, &until);
	}
	pthread_mutex_unlock(&g->mu);
	return NULL;
}

int guard_start(struct guard *g, unsigned max_conns, unsigned per_ip, unsigned head_s)
{
	memset(g, 0, sizeof *g);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	g->max_conns = max_conns;
	g->per_ip = per_ip;
	g->head_ms = (int64_t)head_s * 1000;
	if (pthread_create(&g->timer, NULL, deadline_loop, g) != 0) {
		pthread_cond_destroy(&g->cv);
		pthread_mutex_destroy(&g->mu);
		return -1;
	}
	return 0;
}

void guard_stats(struct guard *g, struct guard_stats *st)
{
	pthread_mutex_lock(&g->mu);
	*st = (struct guard_stats){ .live = g->live,
				    .evicted = g->evicted_total,
				    .refused = g->refused_total,
				    .overdue = g->overdue_total };
	pthread_mutex_unlock(&g->mu);
}

/* After the daemon stopped (every connection closed and notified). */
void guard_stop(struct guard *g)
{
	pthread_mutex_lock(&g->mu);
	g->stop = 1;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->timer, NULL);
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
}
