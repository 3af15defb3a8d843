/*
 * fuzz_util.c - the scratch scenario directory and the checks every fuzz
 * target runs on an accepted scenario (fuzz_util.h).
 *
 * Temporary directories live under $TMPDIR (or /dev/shm when writable, so
 * that a fuzzing run does not wear the disk) and are removed at exit.
 * Failing a check aborts: libFuzzer and the replay driver both report it
 * with the input that caused it.
 */
#include "fuzz_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ALLOT_SOURCE_DIR
#error "ALLOT_SOURCE_DIR must name the source tree"
#endif

#define TINY ALLOT_SOURCE_DIR "/tests/data/scenarios/tiny"

static char scen_dir[512], scratch_dir[512];
static struct allot_store *store;

void fz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
	abort();
}

char *fz_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *b = malloc(cap + 1);
	size_t r;
	while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(b, 2 * cap + 1);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (b) {
		b[n] = '\0';
		if (len)
			*len = n;
	}
	return b;
}

void fz_write(const char *dir, const char *name, const void *data, size_t size)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	FZ_CHECK(f != NULL);
	FZ_CHECK(fwrite(data, 1, size, f) == size || size == 0);
	FZ_CHECK(fclose(f) == 0);
}

static void rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[1024];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			rmtree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static void cleanup(void)
{
	allot_store_close(store);
	store = NULL;
	if (scen_dir[0])
		rmtree(scen_dir);
	if (scratch_dir[0])
		rmtree(scratch_dir);
}

static void make_tmp(char *buf, size_t n)
{
	const char *base = getenv("TMPDIR");
	if (!base || !base[0])
		base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(buf, n, "%s/allot-fuzz-XXXXXX", base);
	FZ_CHECK(mkdtemp(buf) != NULL);
	static int registered;
	if (!registered) {
		registered = 1;
		atexit(cleanup);
	}
}

void fz_restore(const char *name)
{
	char path[1024];
	size_t len;
	snprintf(path, sizeof path, "%s/%s", TINY, name);
	char *b = fz_slurp(path, &len);
	FZ_CHECK(b != NULL);
	fz_write(scen_dir, name, b, len);
	free(b);
}

const char *fz_scenario_dir(void)
{
	if (scen_dir[0])
		return scen_dir;
	make_tmp(scen_dir, sizeof scen_dir);
	DIR *d = opendir(TINY);
	FZ_CHECK(d != NULL);
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			fz_restore(e->d_name);
	closedir(d);
	return scen_dir;
}

const char *fz_scratch_dir(void)
{
	if (!scratch_dir[0])
		make_tmp(scratch_dir, sizeof scratch_dir);
	return scratch_dir;
}

/* Every regular file of a equals the same-named file of b, and b has no
 * other files. */
static void same_files(const char *a, const char *b)
{
	size_t na = 0, nb = 0;
	for (int pass = 0; pass < 2; pass++) {
		const char *dir = pass ? b : a;
		DIR *d = opendir(dir);
		FZ_CHECK(d != NULL);
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			*(pass ? &nb : &na) += 1;
			if (pass)
				continue;
			char pa[1024], pb[1024];
			size_t la, lb;
			snprintf(pa, sizeof pa, "%s/%s", a, e->d_name);
			snprintf(pb, sizeof pb, "%s/%s", b, e->d_name);
			char *ta = fz_slurp(pa, &la), *tb = fz_slurp(pb, &lb);
			if (!ta || !tb || la != lb || memcmp(ta, tb, la) != 0) {
				fprintf(stderr, "round trip: %s differs from %s\n", pa, pb);
				fz_fail("write(load(write(s))) == write(s)", __FILE__, __LINE__);
			}
			free(ta);
			free(tb);
		}
		closedir(d);
	}
	FZ_CHECK(na == nb);
}

/* A fresh empty subdirectory of the scratch directory. */
static const char *sub(const char *name, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s", fz_scratch_dir(), name);
	rmtree(buf);
	FZ_CHECK(mkdir(buf, 0700) == 0);
	return buf;
}

static void write_ok(const struct allot_scenario *s, const char *dir)
{
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = allot_scenario_write(s, dir, &d);
	if (rc)
		allot_diags_print(&d, stderr);
	FZ_CHECK(rc == ALLOT_OK);
	allot_diags_free(&d);
}

static void plan_ok(const struct allot_scenario *s, enum allot_policy_kind k)
{
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = k;
	o.record_allocations = 1;
	struct allot_plan *p = NULL;
	FZ_CHECK(allot_plan_run(s, &o, &p) == ALLOT_OK);
	struct allot_plan_stats st;
	FZ_CHECK(allot_plan_stats(p, &st) == ALLOT_OK);
	/* Units are conserved: what was produced went to some order. */
	int64_t sum = 0;
	for (size_t i = 0; i < p->n_allocs; i++) {
		FZ_CHECK(p->allocs[i].units > 0);
		sum += p->allocs[i].units;
	}
	int64_t produced = 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		FZ_CHECK(p->orders[i].produced >= 0);
		produced += p->orders[i].produced;
	}
	FZ_CHECK(sum == produced);
	for (size_t i = 0; i < s->n_orders; i++)
		(void)allot_plan_months_late(p, i);
	allot_plan_stats_free(&st);
	allot_plan_free(p);
}

static void store_round_trip(const struct allot_scenario *s, const char *want)
{
	struct allot_diags d;
	allot_diags_init(&d);
	char path[1024], c[1024];
	if (!store) {
		snprintf(path, sizeof path, "%s/store.db", fz_scratch_dir());
		FZ_CHECK(allot_store_open(path, &store, &d) == ALLOT_OK);
	}
	int rc = allot_store_put_scenario(store, "default", s, &d);
	if (rc)
		allot_diags_print(&d, stderr);
	FZ_CHECK(rc == ALLOT_OK);
	struct allot_scenario *g = NULL;
	FZ_CHECK(allot_store_get_scenario(store, "default", &g, &d) == ALLOT_OK);
	write_ok(g, sub("c", c, sizeof c));
	same_files(want, c);
	allot_scenario_free(g);
	allot_diags_free(&d);
}

int fz_check_dir(const char *dir, int with_store)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	int rc = allot_scenario_load(dir, &s, &d);
	if (rc != ALLOT_OK) {
		/* Refused input is reported, never silently. */
		FZ_CHECK(rc == ALLOT_EINPUT || rc == ALLOT_ELIMIT);
		FZ_CHECK(allot_diags_count(&d) > 0);
		FZ_CHECK(s == NULL);
		allot_diags_free(&d);
		return rc;
	}
	FZ_CHECK(allot_diags_count(&d) == 0);
	plan_ok(s, ALLOT_POLICY_FCFS);
	plan_ok(s, ALLOT_POLICY_PRIORITY);
	char a[1024], b[1024];
	write_ok(s, sub("a", a, sizeof a));
	struct allot_scenario *s2 = NULL;
	rc = allot_scenario_load(a, &s2, &d);
	if (rc)
		allot_diags_print(&d, stderr);
	FZ_CHECK(rc == ALLOT_OK);
	write_ok(s2, sub("b", b, sizeof b));
	same_files(a, b);
	if (with_store)
		store_round_trip(s, a);
	allot_scenario_free(s2);
	allot_scenario_free(s);
	allot_diags_free(&d);
	return ALLOT_OK;
}
