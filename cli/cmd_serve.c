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
		"                   [--critical-minerals FILE]\n"
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
		"  --critical-minerals FILE\n"
		"                 critical_minerals.csv (as in data/default): enables the\n"
		"                 reserve at the economy's scale (the dashboard's Reserve\n"
		"                 page, GET /api/scenarios/NAME/reserve); read once at start\n"
		"  -h, --help     show this help\n"
		"\n"
		"examples:\n"
		"  allot import data/default --db allot.db\n"
		"  allot serve --db allot.db\n"
		"  allot serve --db allot.db --port 0\n"
		"  allot serve --db allot.db \\\n"
		"      --critical-minerals data/default/critical_minerals.csv\n"
		"  allot serve --db allot.db --workers 1 --queue 4   # a smaller CPU budget\n");
}

static int is_loopback(const char *addr)
{
	return strcmp(addr, "127.0.0.1") == 0 || strcmp(addr, "::1") == 0 ||
	       strncmp(addr, "127.", 4) == 0;
}

/* A whole number from op->min to op->max into the unsigned at op->off. */
static int opt_uint(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	errno = 0;
	char *end;
	unsigned long t = strtoul(arg, &end, 10);
	if (errno || *end || !*arg || *arg == '-' || *arg == '+' || t < (unsigned long)op->min ||
	    t > (unsigned long)op->max) {
		fprintf(stderr, "allot %s: expected %s from %ld to %ld, found '%s'\n", cmd,
			op->what, op->min, op->max, arg);
		return -1;
	}
	*(unsigned *)((char *)args + op->off) = (unsigned)t;
	return 0;
}

#define UINT_OPT(name, f, lo, hi, what) \
	CLI_OPT_FNF(name, struct server_options, f, lo, hi, what, opt_uint)
static const struct cli_opt serve_opts[] = {
	UINT_OPT("port", port, 0, 65535, "a port"),
	CLI_OPT_STR("bind", struct server_options, bind),
	UINT_OPT("timeout", timeout_s, 1, 3600, "--timeout seconds"),
	UINT_OPT("head-timeout", head_timeout_s, 1, 3600, "--head-timeout seconds"),
	UINT_OPT("per-ip", max_per_ip, 1, 256, "--per-ip connections"),
	UINT_OPT("workers", workers, 1, 64, "--workers"),
	UINT_OPT("queue", queue, 0, 1024, "--queue"),
	CLI_OPT_STR("critical-minerals", struct server_options, critical_minerals),
	{ 0 },
};
static const struct cli_spec serve_spec = { "serve", usage, serve_opts, CLI_DB, 0, NULL };

int cmd_serve(int argc, char **argv)
{
	struct server_options so;
	server_options_init(&so);
	so.port = 8080;
	struct cli_common o = { .fmt = CLI_TEXT };
	int rc = cli_parse(&serve_spec, argc, argv, &so, &o);
	if (rc != EXIT_OK)
		return rc == CLI_HELP ? EXIT_OK : rc;
	so.db = o.src.db;
	if (!so.db) {
		fprintf(stderr, "allot serve: expected --db FILE (create a store with "
				"'allot import DIR --db FILE')\n");
		return EXIT_USAGE;
	}
	struct stat sb;
	if (stat(so.db, &sb) != 0) {
		fprintf(stderr,
			"allot serve: %s: no such store (create one with 'allot import "
			"DIR --db %s')\n",
			so.db, so.db);
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
	rc = server_start(&so, &srv, err, sizeof err);
	if (rc != 0) {
		fprintf(stderr, "allot serve: %s\n", err);
		return rc == 2 ? EXIT_USAGE : EXIT_RUNTIME;
	}
	if (so.bind && !is_loopback(so.bind))
		fprintf(stderr,
			"allot serve: warning: listening on %s, not only on this "
			"machine: anyone who can reach it can read the data (plain HTTP); "
			"changes still need the token\n",
			so.bind);
	printf("allot serve: %s\n", server_url(srv));
	printf("store %s; the token in the URL is needed for changes; Ctrl-C stops\n", so.db);
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	server_stop(srv);
	fprintf(stderr, "allot serve: stopped (%s)\n", sig == SIGINT ? "interrupt" : "terminate");
	return EXIT_OK;
}
