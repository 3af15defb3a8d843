/*
 * server.h - `allot serve`: the local web dashboard and JSON API
 * (docs/api.md, docs/dashboard.md).
 *
 * The server is a client of <allot/allot.h> only.  It listens on 127.0.0.1
 * unless told otherwise, answers GET requests without a token and accepts
 * POST requests (the only ones that change the store) with the access token
 * generated at start.  cli/cmd_serve.c parses the command line and calls
 * server_start; tests start it the same way through the allot binary.
 */
#ifndef ALLOT_SERVER_H
#define ALLOT_SERVER_H

#include <stddef.h>

struct server_options {
	const char *db;          /* the store (must exist) */
	const char *bind;        /* NULL: 127.0.0.1 */
	unsigned port;           /* 0: a free port picked by the kernel */
	unsigned timeout_s;      /* idle connection timeout (default 15) */
	size_t max_body;         /* request body limit (default 1 MiB) */
	unsigned max_conns;      /* simultaneous connections (default 256) */
	unsigned max_per_ip;     /* of them from one address (default 128) */
	unsigned head_timeout_s; /* to send a request's line and headers (default 10) */
	unsigned workers;        /* threads computing answers (default: CPUs, 1..16) */
	unsigned queue;          /* computations waiting for one (default 16) */
	const char *token;       /* NULL: 128 random bits from /dev/urandom */
	/* critical_minerals.csv for GET /api/scenarios/{name}/reserve (the
	 * reserve at the economy's scale, docs/reserve.md); NULL: that route
	 * answers 404 saying how to enable it.  Read once at start: bad input
	 * makes server_start return 2 with file:line:column in err. */
	const char *critical_minerals;
};
void server_options_init(struct server_options *o);

struct server;

/* Starts listening (threads of its own).  On failure returns 2 for a bad
 * option (an address that is not one), 1 for anything else, with a
 * message in err (errlen bytes). */
int server_start(const struct server_options *o, struct server **out, char *err, size_t errlen);
/* The port actually bound, the token, and the URL to open (with the token
 * in the fragment, which browsers never send to a server). */
unsigned server_port(const struct server *s);
const char *server_token(const struct server *s);
const char *server_url(const struct server *s);
/* Stops listening, waits for the connections to finish and frees s. */
void server_stop(struct server *s);

#endif
