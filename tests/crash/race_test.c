/*
 * race_test.c - races 2 to 8 concurrent writers (`allot import`, `allot
 * plan --db`) on a new store and on an existing one, and checks that no
 * committed work is lost and that no import silently replaces another.
 *
 *   race_test ALLOT [ROUNDS]        (env ALLOT_RACE_ROUNDS overrides ROUNDS)
 *
 * Writer k imports its own copy of tests/data/scenarios/tiny whose notes
 * say "writer k", so the store tells which import's data it holds.  The
 * writers are forked first and released together (a pipe closed by the
 * parent), then each round checks:
 *
 *  new-one-name    K imports of 'default' into a store that does not exist:
 *                  exactly one exits 0, the others exit 2 saying the name is
 *                  taken; the store holds exactly 'default', the winner's.
 *  new-own-names   K imports of distinct names into a new store: all exit 0
 *                  and all K scenarios are there, each with its own data.
 *  old-one-name    the store holds 'keep'; K imports of 'default' without
 *                  --replace (even k) race K/2 `plan --db --scenario keep`
 *                  (odd k): one import wins, the others exit 2 saying why;
 *                  every plan stored its run ('keep' has as many runs as
 *                  plans exited 0) and 'keep' is unchanged.
 *  old-replace     the store holds 'default' and 'keep'; K imports of
 *                  'default' --replace: all exit 0, 'default' is one of
 *                  theirs, 'keep' is unchanged.
 *  full-disk      an import into a new store whose files may not grow past
 *                  8 KiB (RLIMIT_FSIZE, as on a full disk) exits 1 and
 *                  leaves no file at all behind, not even an empty store.
 *
 * K cycles through 2..8.  Any writer exiting otherwise, a lost file, or a
 * store with other content fails the test.  Exit 0 when every check held.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <allot/allot.h>

#define MAXW 8

static const char *allot;
static char tmp[256];
static int failures;

#define CHECK(cond, ...)                                                                \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "race_test: FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                                   \
			fputc('\n', stderr);                                            \
			failures++;                                                     \
		}                                                                       \
	} while (0)

static void die(const char *what)
{
	fprintf(stderr, "race_test: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = calloc(1, 65536);
	if (b)
		fread(b, 1, 65535, f);
	fclose(f);
	return b;
}

/* A copy of tiny in tmp/wK whose notes say "writer K". */
static void make_dirs(const char *tiny)
{
	for (int k = 0; k < MAXW; k++) {
		char cmd[2048], path[700];
		snprintf(cmd, sizeof cmd, "cp -R '%s' '%s/w%d'", tiny, tmp, k);
		if (system(cmd) != 0)
			die("cp");
		snprintf(path, sizeof path, "%s/w%d/scenario.json", tmp, k);
		FILE *f = fopen(path, "w");
		if (!f)
			die(path);
		fprintf(f,
			"{\n  \"as_of\": \"2026-01\",\n  \"horizon_months\": 36,\n"
			"  \"policy\": \"policy.json\",\n  \"switch_month\": \"2026-07\",\n"
			"  \"notes\": \"writer %d\"\n}\n",
			k);
		fclose(f);
	}
}

struct writer {
	pid_t pid;
	int is_plan;
	int status;
	char err[600];
};

/* Forks every writer blocked on a pipe, then releases them together. */
static void race(struct writer *w, int n, char *const argvs[][12])
{
	int gate[2];
	if (pipe(gate) != 0)
		die("pipe");
	for (int k = 0; k < n; k++) {
		snprintf(w[k].err, sizeof w[k].err, "%s/err%d", tmp, k);
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(gate[1]);
			char c;
			while (read(gate[0], &c, 1) < 0 && errno == EINTR)
				;
			int out = open("/dev/null", O_WRONLY);
			int err = open(w[k].err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			dup2(out, 1);
			dup2(err, 2);
			execv(allot, argvs[k]);
			_exit(127);
		}
		w[k].pid = pid;
	}
	close(gate[0]);
	close(gate[1]);
	for (int k = 0; k < n; k++) {
		int st;
		while (waitpid(w[k].pid, &st, 0) < 0 && errno == EINTR)
			;
		w[k].status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (w[k].status == 1) { /* a runtime failure: show what it said */
			char line[512];
			FILE *f = fopen(w[k].err, "r");
			while (f && fgets(line, sizeof line, f))
				fprintf(stderr, "race_test: writer %d said: %s", k, line);
			if (f)
				fclose(f);
		}
	}
}

/* The notes of the stored scenario name ("" when absent; NULL when the
 * store cannot be opened). */
static char *notes_of(const char *db, const char *name)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	struct allot_scenario *s = NULL;
	char *r = NULL;
	if (allot_store_open_existing(db, &st, &d) == ALLOT_OK) {
		if (allot_store_get_scenario(st, name, &s, &d) == ALLOT_OK)
			r = strdup(s->notes ? s->notes : "");
		else
			r = strdup("");
	}
	allot_scenario_free(s);
	allot_store_close(st);
	allot_diags_free(&d);
	return r;
}

static long count_scenarios(const char *db)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	long n = -1;
	char **v = NULL;
	if (allot_store_open_existing(db, &st, &d) == ALLOT_OK &&
	    allot_store_list_scenarios(st, &v) == ALLOT_OK)
		for (n = 0; v[n]; n++)
			;
	allot_strv_free(v);
	allot_store_close(st);
	allot_diags_free(&d);
	return n;
}

static long count_runs(const char *db, const char *name)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	struct allot_run_info *v = NULL;
	size_t n = 0;
	long r = -1;
	if (allot_store_open_existing(db, &st, &d) == ALLOT_OK &&
	    allot_store_list_runs(st, name, &v, &n, &d) == ALLOT_OK)
		r = (long)n;
	allot_run_infos_free(v, n);
	allot_store_close(st);
	allot_diags_free(&d);
	return r;
}

static void expect_taken(const struct writer *w, const char *db, const char *name)
{
	char want[1200];
	snprintf(want, sizeof want,
		 "allot import: %s already holds a scenario named "
		 "'%s'; add --replace to replace it\n",
		 db, name);
	char *got = slurp(w->err);
	CHECK(got && strcmp(got, want) == 0, "a losing import said '%s', expected '%s'",
	      got ? got : "(nothing)", want);
	free(got);
}

static void reset(const char *db)
{
	char cmd[2600];
	snprintf(cmd, sizeof cmd, "rm -f '%s' '%s'-wal '%s'-shm '%s'.import-*", db, db, db, db);
	if (system(cmd) != 0)
		die("rm");
}

/* The store holds exactly the base scenarios of the old-* cases. */
static void seed(const char *db, int with_default)
{
	reset(db);
	char cmd[2400];
	snprintf(cmd, sizeof cmd, "'%s' import '%s/w7' --db '%s' --scenario keep >/dev/null", allot,
		 tmp, db);
	if (system(cmd) != 0)
		die("seeding the store");
	if (with_default) {
		snprintf(cmd, sizeof cmd, "'%s' import '%s/w6' --db '%s' >/dev/null", allot, tmp,
			 db);
		if (system(cmd) != 0)
			die("seeding the store");
	}
}

static char dirs[MAXW][600], names[MAXW][16];

static void fill(char *argv[12], const char *a0, const char *a1, const char *a2, const char *a3,
		 const char *a4, const char *a5, const char *a6, const char *a7)
{
	const char *v[] = { a0, a1, a2, a3, a4, a5, a6, a7 };
	for (int i = 0; i < 8; i++)
		argv[i] = (char *)v[i];
	argv[8] = NULL;
}

static void round_new_one_name(const char *db, int n)
{
	char *argvs[MAXW][12];
	struct writer w[MAXW];
	reset(db);
	for (int k = 0; k < n; k++)
		fill(argvs[k], "allot", "import", dirs[k], "--db", db, NULL, NULL, NULL);
	race(w, n, argvs);
	int winner = -1, wins = 0;
	for (int k = 0; k < n; k++) {
		if (w[k].status == 0) {
			winner = k;
			wins++;
		} else {
			CHECK(w[k].status == 2, "new-one-name: writer %d exited %d", k,
			      w[k].status);
			expect_taken(&w[k], db, "default");
		}
	}
	CHECK(wins == 1, "new-one-name (%d writers): %d imports exited 0, expected 1", n, wins);
	char *notes = notes_of(db, "default");
	CHECK(notes != NULL, "new-one-name: the store is gone");
	if (notes && winner >= 0) {
		char want[32];
		snprintf(want, sizeof want, "writer %d", winner);
		CHECK(strcmp(notes, want) == 0,
		      "new-one-name: the store holds '%s', the "
		      "winner was %s",
		      notes, want);
	}
	CHECK(count_scenarios(db) == 1, "new-one-name: %ld scenarios", count_scenarios(db));
	free(notes);
}

static void round_new_own_names(const char *db, int n)
{
	char *argvs[MAXW][12];
	struct writer w[MAXW];
	reset(db);
	for (int k = 0; k < n; k++)
		fill(argvs[k], "allot", "import", dirs[k], "--db", db, "--scenario", names[k],
		     NULL);
	race(w, n, argvs);
	for (int k = 0; k < n; k++) {
		CHECK(w[k].status == 0, "new-own-names: writer %d exited %d", k, w[k].status);
		char *notes = notes_of(db, names[k]), want[32];
		snprintf(want, sizeof want, "writer %d", k);
		CHECK(notes && strcmp(notes, want) == 0,
		      "new-own-names (%d writers): "
		      "scenario %s holds '%s', expected '%s'",
		      n, names[k], notes ? notes : "(no store)", want);
		free(notes);
	}
	CHECK(count_scenarios(db) == n, "new-own-names: %ld scenarios, expected %d",
	      count_scenarios(db), n);
}

static void round_old_one_name(const char *db, int n)
{
	char *argvs[MAXW][12];
	struct writer w[MAXW];
	seed(db, 0);
	long runs0 = count_runs(db, "keep");
	for (int k = 0; k < n; k++) {
		w[k].is_plan = k % 2;
		if (w[k].is_plan)
			fill(argvs[k], "allot", "plan", "--db", db, "--scenario", "keep", NULL,
			     NULL);
		else
			fill(argvs[k], "allot", "import", dirs[k], "--db", db, NULL, NULL, NULL);
	}
	race(w, n, argvs);
	int winner = -1, wins = 0, plans = 0;
	for (int k = 0; k < n; k++) {
		if (w[k].is_plan) {
			CHECK(w[k].status == 0, "old-one-name: plan %d exited %d", k, w[k].status);
			plans += w[k].status == 0;
		} else if (w[k].status == 0) {
			winner = k;
			wins++;
		} else {
			CHECK(w[k].status == 2, "old-one-name: writer %d exited %d", k,
			      w[k].status);
			expect_taken(&w[k], db, "default");
		}
	}
	CHECK(wins == 1, "old-one-name (%d writers): %d imports exited 0, expected 1", n, wins);
	char *notes = notes_of(db, "default"), *keep = notes_of(db, "keep");
	if (winner >= 0) {
		char want[32];
		snprintf(want, sizeof want, "writer %d", winner);
		CHECK(notes && strcmp(notes, want) == 0,
		      "old-one-name: 'default' holds '%s', "
		      "the winner was %s",
		      notes ? notes : "(no store)", want);
	}
	CHECK(keep && strcmp(keep, "writer 7") == 0, "old-one-name: 'keep' changed");
	CHECK(count_runs(db, "keep") == runs0 + plans, "old-one-name: %ld runs, expected %ld",
	      count_runs(db, "keep"), runs0 + plans);
	free(notes);
	free(keep);
}

static void round_old_replace(const char *db, int n)
{
	char *argvs[MAXW][12];
	struct writer w[MAXW];
	seed(db, 1);
	for (int k = 0; k < n; k++)
		fill(argvs[k], "allot", "import", dirs[k], "--db", db, "--replace", NULL, NULL);
	race(w, n, argvs);
	for (int k = 0; k < n; k++)
		CHECK(w[k].status == 0, "old-replace: writer %d exited %d", k, w[k].status);
	char *notes = notes_of(db, "default"), *keep = notes_of(db, "keep");
	int ok = 0;
	for (int k = 0; notes && k < n; k++) {
		char want[32];
		snprintf(want, sizeof want, "writer %d", k);
		ok |= strcmp(notes, want) == 0;
	}
	CHECK(ok, "old-replace: 'default' holds '%s', none of the writers'",
	      notes ? notes : "(no store)");
	CHECK(keep && strcmp(keep, "writer 7") == 0, "old-replace: 'keep' changed");
	CHECK(count_scenarios(db) == 2, "old-replace: %ld scenarios", count_scenarios(db));
	free(notes);
	free(keep);
}

static void full_disk(const char *db)
{
	reset(db);
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		struct rlimit rl = { 8192, 8192 };
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		int out = open("/dev/null", O_WRONLY);
		dup2(out, 1);
		dup2(out, 2);
		execl(allot, "allot", "import", dirs[0], "--db", db, (char *)NULL);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1,
	      "full-disk: the import exited %d, "
	      "expected 1",
	      WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	DIR *d = opendir(tmp);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		CHECK(strncmp(e->d_name, "s.db", 4) != 0, "full-disk: %s left behind", e->d_name);
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: race_test ALLOT TINY_DIR [ROUNDS]\n");
		return 2;
	}
	allot = argv[1];
	int rounds = argc > 3 ? atoi(argv[3]) : 4;
	const char *env = getenv("ALLOT_RACE_ROUNDS");
	if (env)
		rounds = atoi(env);
	snprintf(tmp, sizeof tmp, "%s/allot-race-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		die("mkdtemp");
	make_dirs(argv[2]);
	for (int k = 0; k < MAXW; k++) {
		snprintf(dirs[k], sizeof dirs[k], "%s/w%d", tmp, k);
		snprintf(names[k], sizeof names[k], "w%d", k);
	}
	char db[600];
	snprintf(db, sizeof db, "%s/s.db", tmp);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int n = 0;
	for (int r = 0; r < rounds; r++) {
		for (int k = 2; k <= MAXW; k++, n++) {
			round_new_one_name(db, k);
			round_new_own_names(db, k);
			round_old_one_name(db, k);
			round_old_replace(db, k);
		}
	}
	full_disk(db);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "race_test: cannot remove %s\n", tmp);
	printf("race_test: %d rounds of 4 races with 2..%d writers in %.1f s, %d failures\n", n,
	       MAXW, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, failures);
	return failures ? 1 : 0;
}
