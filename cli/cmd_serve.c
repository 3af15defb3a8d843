/*
 * cmd_serve.c - `allot serve`: the local web dashboard and JSON API
 * (server/, docs/api.md, docs/dashboard.md).
 *
 * Listens on 127.0.0.1 unless --bind names another address (with a
 * warning), prints the URL with the access token generated at start, and
 * runs until SIGINT or SIGTERM.  The signals are blocked before the server
 * starts its threads, so only the main thread receives them (sigwait).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "server.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot serve --db FILE [--port N] [--bind ADDR] [--timeout S]\n"
		"                   [--head-timeout S] [--per-ip N] [--workers N] [--queue N]\n"
		"\n"
		"Serves a dashboard (partner leaderboard, order book, policy comparison,\n"
		"what-if, quote form, minerals cover) and the JSON API behind it\n"
		"(docs/api.md) from the store.  It prints the URL to open; the URL carries\n"
		"an access token, generated at start, that every change to the store (a\n"
		"stored plan run, a committed quote, added events, new weights) must\n"
		"present.  Reads need no token.  Stop it with Ctrl-C.\n"
		"\n"
		"options:\n"
		"  --db FILE      the store to serve (create one with 'allot import')\n"
		"  --port N       TCP port (default 8080; 0 picks a free one)\n"
		"  --bind ADDR    listen on ADDR instead of 127.0.0.1 (e.g. 0.0.0.0);\n"
		"                 anyone who can reach it can read the data\n"
		"  --timeout S    close a connection idle for S seconds (default 15)\n"
		"  --head-timeout S\n"
		"                 close a connection that has not sent a whole request\n"
		"                 line and headers S seconds after it opened (default 10)\n"
		"  --per-ip N     connections one address may hold (default 128 of 256)\n"
		"  --workers N    threads computing answers (default: one per CPU)\n"
		"  --queue N      computations that may wait for a worker (default 16);\n"
		"                 beyond, requests get 503 with Retry-After\n"
		"  -h, --help     show this help\n"
		"\n"
		"examples:\n"
		"  allot import data/default --db allot.db\n"
		"  allot serve --db allot.db\n"
		"  allot serve --db allot.db --port 0\n"
		"  allot serve --db allot.db --workers 1 --queue 4   # a smaller CPU budget\n");
}

static int is_loopback(const char *addr)
{
	return strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0 ||
	       strncmp(addr, "127.", 4) == 0;
}

/* optarg as a whole number from lo to hi. */
static int uint_opt(const char *what, unsigned lo, unsigned hi, unsigned *v)
{
	errno = 0;
	char *end;
	unsigned long t = strtoul(optarg, &end, 10);
	if (errno || *end || !*optarg || *optarg == '-' || *optarg == '+' || t < lo || t > hi) {
		fprintf(stderr, "allot serve: expected %s from %u to %u, found '%s'\n", what, lo,
			hi, optarg);
		return -1;
	}
	*v = (unsigned)t;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	enum { OPT_PORT = OPT_FIRST_OWN, OPT_BIND, OPT_TIMEOUT, OPT_HEAD, OPT_PER_IP, OPT_WORKERS,
	       OPT_QUEUE };
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "bind", required_argument, NULL, OPT_BIND },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "head-timeout", required_argument, NULL, OPT_HEAD },
		{ "per-ip", required_argument, NULL, OPT_PER_IP },
		{ "workers", required_argument, NULL, OPT_WORKERS },
		{ "queue", required_argument, NULL, OPT_QUEUE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct server_options so;
	server_options_init(&so);
	so.port = 8080;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		char *end;
		switch (c) {
		case OPT_DB:
			so.db = optarg;
			break;
		case OPT_PORT:
			errno = 0;
			unsigned long p = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || p > 65535) {
				fprintf(stderr, "allot serve: expected a port from 0 to 65535, "
					"found '%s'\n", optarg);
				return EXIT_USAGE;
			}
			so.port = (unsigned)p;
			break;
		case OPT_TIMEOUT:
			if (uint_opt("--timeout seconds", 1, 3600, &so.timeout_s) != 0)
				return EXIT_USAGE;
			break;
		case OPT_HEAD:
			if (uint_opt("--head-timeout seconds", 1, 3600, &so.head_timeout_s) != 0)
				return EXIT_USAGE;
			break;
		case OPT_PER_IP:
			if (uint_opt("--per-ip connections", 1, 256, &so.max_per_ip) != 0)
				return EXIT_USAGE;
			break;
		case OPT_WORKERS:
			if (uint_opt("--workers", 1, 64, &so.workers) != 0)
				return EXIT_USAGE;
			break;
		case OPT_QUEUE:
			if (uint_opt("--queue", 0, 1024, &so.queue) != 0)
				return EXIT_USAGE;
			break;
		case OPT_BIND:
			so.bind = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return cli_see_help("serve");
		}
	}
	if (optind < argc) {
		fprintf(stderr, "allot serve: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (!so.db) {
		fprintf(stderr, "allot serve: expected --db FILE (create a store with "
			"'allot import DIR --db FILE')\n");
		return EXIT_USAGE;
	}
	struct stat sb;
	if (stat(so.db, &sb) != 0) {
		fprintf(stderr, "allot serve: %s: no such store (create one with 'allot import "
			"DIR --db %s')\n", so.db, so.db);
		return EXIT_USAGE;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct server *srv = NULL;
	char err[512];
	int rc = server_start(&so, &srv, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "allot serve: %s\n", err);
		return rc == 2 ? EXIT_USAGE : EXIT_RUNTIME;
	}
	if (so.bind && !is_loopback(so.bind))
		fprintf(stderr, "allot serve: warning: listening on %s, not only on this "
			"machine: anyone who can reach it can read the data (plain HTTP); "
			"changes still need the token\n", so.bind);
	printf("allot serve: %s\n", server_url(srv));
	printf("store %s; the token in the URL is needed for changes; Ctrl-C stops\n", so.db);
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	server_stop(srv);
	fprintf(stderr, "allot serve: stopped (%s)\n", sig == SIGINT ? "interrupt" : "terminate");
	return EXIT_OK;
}
