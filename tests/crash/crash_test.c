/*
 * crash_test.c - kills `allot import` and `allot plan --db` with SIGKILL at
 * random moments and checks the store after every kill.
 *
 *   crash_test ALLOT [RUNS [SEED]]      (env ALLOT_CRASH_RUNS overrides RUNS)
 *
 * Two synthetic scenarios A and B (allot_synth_scenario, big enough that an
 * import takes a while) are written to scenario directories.  Reference
 * runs, never interrupted, give each one's content digest and the time an
 * import and a plan take.  Then:
 *
 *  1. creation: a new store is imported into and killed; afterwards the file
 *     is absent, or an intact store with no scenario, or holds A whole; an
 *     uninterrupted import then works on whatever is left.
 *  2. import: the store holds A or B; `allot import OTHER --replace` is
 *     killed after a random delay (kill_delay: anywhere in the run, or in
 *     its second half, where the store is written); the store must
 *     hold the old scenario or the new one, exactly (content digest), with
 *     integrity_check "ok" and foreign keys intact.
 *  3. plan: `allot plan --db --out DIR` is killed likewise; the store must
 *     hold the scenario unchanged and k or k + 1 runs, every run exactly the
 *     reference run (allocations and order results); allocations.csv and
 *     orders_out.csv in DIR are absent or byte-identical to the reference
 *     (written by temp file, fsync and rename), never partial.
 *
 * Half the runs (rounded up) kill imports, the rest plans.  Prints how many
 * kills left the old content and how many the new, and the temporary files
 * a killed writer left behind.  Exit 0 when every check held.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <allot/allot.h>

#include "util/sha256.h"

static const char *allot;
static char tmp[512], dir_a[600], dir_b[600], db[600], outdir[600];
static int failures;

#define CHECK(cond, ...)                                                                 \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "crash_test: FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                                    \
			fputc('\n', stderr);                                             \
			failures++;                                                      \
		}                                                                        \
	} while (0)

static void die(const char *what)
{
	fprintf(stderr, "crash_test: %s\n", what);
	exit(1);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------------- */
/* The store's content, normalised                                         */

/* Columns that differ between two runs of the same command. */
static int skipped_column(const char *name)
{
	return strcmp(name, "id") == 0 || strcmp(name, "scenario_id") == 0 ||
	       strcmp(name, "run_id") == 0 || strcmp(name, "created_at") == 0;
}

static void hash_query(sqlite3 *c, const char *sql, long long arg, struct sha256 *h)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(c, sql, -1, &q, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(c));
	if (arg >= 0)
		sqlite3_bind_int64(q, 1, arg);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(q); i++) {
			if (skipped_column(sqlite3_column_name(q, i)))
				continue;
			const unsigned char *v = sqlite3_column_text(q, i);
			sha256_update(h, v ? (const char *)v : "\x01NULL",
				      v ? strlen((const char *)v) : 5);
			sha256_update(h, "|", 1);
		}
		sha256_update(h, "\n", 1);
	}
	if (rc != SQLITE_DONE)
		die(sqlite3_errmsg(c));
	sqlite3_finalize(q);
}

static void hex_of(struct sha256 *h, char out[65])
{
	uint8_t dg[32];
	sha256_final(h, dg);
	sha256_hex(dg, out);
}

struct content {
	int exists; /* the file is there */
	long scenarios;
	char scen[65]; /* digest of the scenario tables */
	long runs;
	int runs_alike; /* every run has the digest run[] */
	char run[65];
};

static const char *const scen_tables[] = {
	"scenarios", "partners", "lines",  "systems",     "orders",    "minerals",
	"supply",    "bom",      "events", "investments", "embargoes",
};

static char *text1(sqlite3 *c, const char *sql)
{
	sqlite3_stmt *q;
	char *out = NULL;
	if (sqlite3_prepare_v2(c, sql, -1, &q, NULL) != SQLITE_OK)
		return strdup(sqlite3_errmsg(c));
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
		out = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	return out ? out : strdup("");
}

/* Reads the store the way the next command would (recovering a WAL left by
 * a killed writer); checks integrity and foreign keys. */
static void content_of(const char *path, struct content *ct)
{
	memset(ct, 0, sizeof *ct);
	struct stat sb;
	if (stat(path, &sb) != 0)
		return;
	ct->exists = 1;
	sqlite3 *c;
	if (sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		die("cannot open the store");
	sqlite3_busy_timeout(c, 5000);
	char *ok = text1(c, "PRAGMA integrity_check");
	CHECK(strcmp(ok, "ok") == 0, "%s: integrity_check: %s", path, ok);
	free(ok);
	char *tables = text1(c, "SELECT count(*) FROM sqlite_master WHERE name = 'scenarios'");
	int has_schema = strcmp(tables, "1") == 0;
	free(tables);
	if (!has_schema) {
		sqlite3_close(c);
		return;
	}
	char *fk = text1(c, "SELECT count(*) FROM pragma_foreign_key_check");
	CHECK(strcmp(fk, "0") == 0, "%s: %s foreign-key violations", path, fk);
	free(fk);
	sqlite3_exec(c, "BEGIN", NULL, NULL, NULL); /* one snapshot */
	char *n = text1(c, "SELECT count(*) FROM scenarios");
	ct->scenarios = atol(n);
	free(n);
	struct sha256 h;
	sha256_init(&h);
	for (size_t t = 0; t < sizeof scen_tables / sizeof *scen_tables; t++) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1, 2", scen_tables[t]);
		sha256_update(&h, scen_tables[t], strlen(scen_tables[t]));
		hash_query(c, sql, -1, &h);
	}
	hex_of(&h, ct->scen);
	/* Runs, one digest each. */
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(c, "SELECT id FROM runs ORDER BY id", -1, &q, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(c));
	ct->runs_alike = 1;
	while (sqlite3_step(q) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(q, 0);
		char hex[65];
		sha256_init(&h);
		hash_query(c, "SELECT * FROM runs WHERE id = ?", id, &h);
		hash_query(c, "SELECT * FROM run_allocations WHERE run_id = ? ORDER BY seq", id,
			   &h);
		hash_query(c, "SELECT * FROM run_orders WHERE run_id = ? ORDER BY seq", id, &h);
		hex_of(&h, hex);
		if (ct->runs++ == 0)
			memcpy(ct->run, hex, sizeof hex);
		else if (strcmp(ct->run, hex) != 0)
			ct->runs_alike = 0;
	}
	sqlite3_finalize(q);
	sqlite3_exec(c, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(c);
}

/* ---------------------------------------------------------------------- */
/* Running allot                                                           */

static void remove_store(void)
{
	const char *suf[] = { "", "-wal", "-shm", "-journal" };
	for (int i = 0; i < 4; i++) {
		char p[700];
		snprintf(p, sizeof p, "%s%s", db, suf[i]);
		unlink(p);
	}
}

/* Runs allot with args; kills it after delay seconds (< 0: never).
 * Returns 1 when it was killed, 0 when it exited 0 first; a non-zero exit is
 * a failure. */
/* Kills that found the store open (its WAL file exists while a connection
 * is open), and those that found frames in it (during a commit or the
 * checkpoint at close). */
static long open_at_kill, frames_at_kill;

static void note_wal(void)
{
	char p[700];
	struct stat sb;
	snprintf(p, sizeof p, "%s-wal", db);
	if (stat(p, &sb) == 0) {
		open_at_kill++;
		frames_at_kill += sb.st_size > 32;
	}
}

static int run(char *const args[], double delay)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		die("fork failed");
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execv(allot, args);
		_exit(127);
	}
	int status;
	if (delay >= 0) {
		struct timespec ts = { (time_t)delay, (long)((delay - (time_t)delay) * 1e9) };
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid failed");
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
		note_wal();
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "crash_test: %s %s exited with %d\n", allot, args[1],
			WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status));
		failures++;
	}
	return 0;
}

static int import(const char *dir, double delay)
{
	char *args[] = { (char *)allot, "import", (char *)dir, "--db", db, "--replace", NULL };
	return run(args, delay);
}

static int plan(double delay)
{
	char *args[] = { (char *)allot, "plan",  "--db", db,  "--policy",
			 "priority",    "--out", outdir, NULL };
	return run(args, delay);
}

/* ---------------------------------------------------------------------- */
/* Report files                                                            */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (fread(b, 1, (size_t)n, f) != (size_t)n)
		n = -1;
	fclose(f);
	*len = (size_t)n;
	return b;
}

static const char *const report_files[] = { "allocations.csv", "orders_out.csv" };
static char *ref_report[2];
static size_t ref_len[2];
static long leftover_tmp;

/* Each report file is absent or whole; temporary files are counted and
 * removed; then the directory is emptied for the next run. */
static void check_reports(int keep)
{
	for (int i = 0; i < 2; i++) {
		char p[700];
		size_t len = 0;
		snprintf(p, sizeof p, "%s/%s", outdir, report_files[i]);
		char *b = slurp(p, &len);
		if (keep) {
			ref_report[i] = b;
			ref_len[i] = len;
			CHECK(b != NULL, "the reference run wrote no %s", report_files[i]);
			unlink(p);
			continue;
		}
		if (b)
			CHECK(len == ref_len[i] && memcmp(b, ref_report[i], len) == 0,
			      "%s is partial or different after a kill (%zu bytes, whole is %zu)",
			      report_files[i], len, ref_len[i]);
		free(b);
		unlink(p);
	}
	DIR *d = opendir(outdir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char p[1000];
		snprintf(p, sizeof p, "%s/%s", outdir, e->d_name);
		CHECK(strstr(e->d_name, ".tmp.") != NULL, "unexpected file %s", p);
		leftover_tmp++;
		unlink(p);
	}
	if (d)
		closedir(d);
}

/* ---------------------------------------------------------------------- */

static void write_synth(uint64_t seed, size_t orders, const char *dir)
{
	struct allot_synth_params p;
	allot_synth_params_init(&p);
	p.seed = seed;
	p.orders = orders;
	p.lines = 40;
	p.partners = 60;
	p.minerals = 8;
	p.horizon_months = 120;
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	if (allot_synth_scenario(&p, &s) != ALLOT_OK || mkdir(dir, 0700) != 0 ||
	    allot_scenario_write(s, dir, &d) != ALLOT_OK)
		die("cannot write a synthetic scenario");
	allot_scenario_free(s);
	allot_diags_free(&d);
}

static double frand(void)
{
	return (double)rand() / ((double)RAND_MAX + 1.0);
}

/* A kill delay for a command taking t seconds: every other kill anywhere in
 * [0, 1.2 t], the others in [0.5 t, 1.05 t], where the store is written
 * (loading the files comes first). */
static double kill_delay(double t)
{
	static int k;
	return k++ % 2 ? frand() * 1.2 * t : (0.5 + 0.55 * frand()) * t;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: crash_test ALLOT [RUNS [SEED]]\n");
		return 2;
	}
	allot = argv[1];
	long runs = argc > 2 ? atol(argv[2]) : 30;
	if (getenv("ALLOT_CRASH_RUNS"))
		runs = atol(getenv("ALLOT_CRASH_RUNS"));
	unsigned seed = argc > 3 ? (unsigned)atol(argv[3]) : (unsigned)time(NULL);
	srand(seed);
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(tmp, sizeof tmp, "%s/allot-crash-XXXXXX", base);
	if (!mkdtemp(tmp))
		die("mkdtemp failed");
	snprintf(dir_a, sizeof dir_a, "%s/a", tmp);
	snprintf(dir_b, sizeof dir_b, "%s/b", tmp);
	snprintf(db, sizeof db, "%s/store.db", tmp);
	snprintf(outdir, sizeof outdir, "%s/out", tmp);
	mkdir(outdir, 0700);
	write_synth(1, 6000, dir_a);
	write_synth(2, 9000, dir_b);

	/* References, uninterrupted; durations are the slowest of three runs
	 * of the very command the loops kill (a replacing import, a plan). */
	struct content ca, cb, cp, c;
	double t_import = 0, t_plan = 0;
	import(dir_a, -1);
	for (int i = 0; i < 3; i++) {
		double t0 = now();
		import(i % 2 ? dir_a : dir_b, -1);
		double t = now() - t0;
		t_import = t > t_import ? t : t_import;
	}
	content_of(db, &cb);
	import(dir_a, -1);
	content_of(db, &ca);
	for (int i = 0; i < 3; i++) {
		double t0 = now();
		plan(-1);
		double t = now() - t0;
		t_plan = t > t_plan ? t : t_plan;
	}
	import(dir_a, -1); /* drops the runs */
	plan(-1);
	content_of(db, &cp);
	check_reports(1);
	CHECK(ca.scenarios == 1 && cb.scenarios == 1 && strcmp(ca.scen, cb.scen) != 0,
	      "the reference imports differ as they should");
	CHECK(cp.runs == 1 && strcmp(cp.scen, ca.scen) == 0, "the reference plan stored one run");
	printf("seed %u: import %.3f s, plan %.3f s; %ld kills\n", seed, t_import, t_plan, runs);

	/* 1. Creating a store. */
	long created_none = 0, created_empty = 0, created_full = 0;
	for (int i = 0; i < 5; i++) {
		remove_store();
		import(dir_a, kill_delay(t_import));
		content_of(db, &c);
		if (!c.exists || c.scenarios == 0) {
			created_none += !c.exists;
			created_empty += c.exists;
		} else {
			created_full++;
			CHECK(c.scenarios == 1 && strcmp(c.scen, ca.scen) == 0 && c.runs == 0,
			      "a killed first import left a partial scenario");
		}
		import(dir_a, -1); /* whatever is left must be usable */
		content_of(db, &c);
		CHECK(strcmp(c.scen, ca.scen) == 0, "import after a killed creation");
	}

	/* 2. Replacing a scenario. */
	long kept = 0, replaced = 0, finished = 0;
	int holds_a = 1;
	long n_import = (runs + 1) / 2;
	for (long i = 0; i < n_import; i++) {
		const char *target = holds_a ? dir_b : dir_a;
		const struct content *from = holds_a ? &ca : &cb, *to = holds_a ? &cb : &ca;
		int killed = import(target, kill_delay(t_import));
		finished += !killed;
		content_of(db, &c);
		if (c.scenarios == 1 && strcmp(c.scen, to->scen) == 0 && c.runs == 0) {
			replaced++;
			holds_a = !holds_a;
		} else if (c.scenarios == 1 && strcmp(c.scen, from->scen) == 0) {
			kept++;
			CHECK(killed, "import exited 0 but the store holds the old scenario");
		} else {
			CHECK(0,
			      "kill %ld of import: the store holds neither the old nor the new "
			      "scenario (%ld scenarios)",
			      i, c.scenarios);
		}
	}
	printf("import: %ld kills: %ld kept the old scenario, %ld had replaced it "
	       "(%ld of them finished before the kill)\n",
	       n_import, kept, replaced, finished);

	/* 3. Storing plan runs. */
	if (!holds_a)
		import(dir_a, -1);
	content_of(db, &c);
	long have = c.runs, added = 0, not_added = 0;
	finished = 0;
	long n_plan = runs - n_import;
	for (long i = 0; i < n_plan; i++) {
		int killed = plan(kill_delay(t_plan));
		finished += !killed;
		content_of(db, &c);
		CHECK(c.scenarios == 1 && strcmp(c.scen, ca.scen) == 0,
		      "kill %ld of plan: the scenario changed", i);
		CHECK(c.runs == have || c.runs == have + 1,
		      "kill %ld of plan: %ld runs, expected %ld or %ld", i, c.runs, have, have + 1);
		CHECK(c.runs == 0 || (c.runs_alike && strcmp(c.run, cp.run) == 0),
		      "kill %ld of plan: a stored run differs from the reference run", i);
		if (c.runs == have + 1)
			added++;
		else
			not_added++;
		have = c.runs;
		check_reports(0);
	}
	printf("plan: %ld kills: %ld left the runs as they were, %ld had stored the run "
	       "(%ld finished before the kill); %ld temporary report files left by kills\n",
	       n_plan, not_added, added, finished, leftover_tmp);
	printf("%ld kills in all found the store open, %ld of them with frames in its WAL\n",
	       open_at_kill, frames_at_kill);
	printf("creation: %ld kills: %ld left no file, %ld an empty store, %ld the whole "
	       "scenario\n",
	       5L, created_none, created_empty, created_full);

	free(ref_report[0]);
	free(ref_report[1]);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (failures == 0 && system(cmd) != 0)
		fprintf(stderr, "crash_test: could not remove %s\n", tmp);
	if (failures)
		fprintf(stderr, "crash_test: %d checks failed (seed %u); files kept in %s\n",
			failures, seed, tmp);
	return failures ? 1 : 0;
}
