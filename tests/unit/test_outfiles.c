/*
 * test_outfiles.c - the plan's output files (`allot plan --out`):
 *
 * - the bulk CSV writer (csvw_init_bulk: its own 1 MiB buffer, written to
 *   the descriptor in pieces, fields formatted in place) gives exactly the
 *   bytes an independent encoder of the canonical form gives, for random
 *   fields around every quoting rule, integer and month edge, and for
 *   fields longer than a line and than the whole buffer; the line writer
 *   (csvw_init) gives the same bytes;
 * - allot_plan_write is durable and atomic, and the two files are one
 *   plan: each file's bytes are whole in its temporary file when that file
 *   is fsynced, both are fsynced before either is renamed, the directory is
 *   fsynced before the renames and after them (fsync and rename are wrapped
 *   at link time, tests/CMakeLists.txt); when the second file's fsync or
 *   rename fails, both old files are left as they were (or none, in a new
 *   directory); at the moment of the second rename (where a crash leaves a
 *   mixed pair) the directory holds what afile.h says a reader finds,
 *   also among the leftovers of earlier crashes (the second name and the
 *   temporary file of one write share their suffix); a stale file under
 *   the second name is replaced; a put-back that fails too leaves that
 *   crash's state (link is wrapped as well);
 * - the bulk writer's write calls (wrapped too) may be interrupted (EINTR)
 *   or write less than asked, and the files are the same bytes; when the
 *   disk fills up (ENOSPC) allot_plan_write fails, both files keep their
 *   old content and no temporary file is left beside them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <allot/allot.h>
#include "io/csvwrite.h"
#include "util/afile.h"
#include <stdio_ext.h>
#include "testutil.h"

/* ---------------------------------------------------------------------- */
/* The reference encoder: the canonical form of csvwrite.h, spelled out.   */

struct ref {
	char *b;
	size_t n, cap;
	int nfield;
};

static void ref_put(struct ref *r, const char *s, size_t n)
{
	if (r->n + n + 1 > r->cap) {
		r->cap = (r->n + n + 1) * 2;
		r->b = realloc(r->b, r->cap);
		assert_non_null(r->b);
	}
	memcpy(r->b + r->n, s, n);
	r->n += n;
}

static void ref_sep(struct ref *r)
{
	if (r->nfield++)
		ref_put(r, ",", 1);
}

static void ref_str(struct ref *r, const char *s, size_t len)
{
	ref_sep(r);
	int quote = len && (s[0] == ' ' || s[len - 1] == ' ');
	for (size_t i = 0; i < len; i++)
		quote |= s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		ref_put(r, s, len);
		return;
	}
	ref_put(r, "\"", 1);
	for (size_t i = 0; i < len; i++)
		ref_put(r, s[i] == '"' ? "\"\"" : s + i, s[i] == '"' ? 2 : 1);
	ref_put(r, "\"", 1);
}

static void ref_int(struct ref *r, long long v)
{
	char b[32];
	ref_sep(r);
	ref_put(r, b, (size_t)snprintf(b, sizeof b, "%lld", v));
}

static void ref_month(struct ref *r, allot_month m)
{
	char b[32];
	ref_sep(r);
	if (m != ALLOT_NO_MONTH)
		ref_put(r, b, (size_t)snprintf(b, sizeof b, "%04d-%02d", m / 12, m % 12 + 1));
}

static void ref_end(struct ref *r)
{
	ref_put(r, "\n", 1);
	r->nfield = 0;
}

/* ---------------------------------------------------------------------- */

static char *rand_text(uint64_t *st, size_t *len)
{
	static const char alpha[] = "ab ,\"\r\nZ09-";
	uint64_t k = tu_xorshift(st) % 100000;
	size_t n = k < 90000 ? (size_t)(tu_xorshift(st) % 14)              /* an id */
		   : k > 4   ? (size_t)(tu_xorshift(st) % 1500)            /* past a line */
			     : CSVW_BULK + (size_t)(tu_xorshift(st) % 5000); /* past the buffer */
	char *s = malloc(n + 1);
	assert_non_null(s);
	int plain = tu_xorshift(st) % 3 != 0; /* most fields need no quotes */
	for (size_t i = 0; i < n; i++)
		s[i] = plain ? "abcXYZ0189-_."[tu_xorshift(st) % 13]
			     : alpha[tu_xorshift(st) % (sizeof alpha - 1)];
	s[n] = '\0';
	*len = n;
	return s;
}

static long long rand_int(uint64_t *st)
{
	static const long long edge[] = { 0,
					  1,
					  -1,
					  9,
					  10,
					  99,
					  100,
					  -10,
					  LLONG_MAX,
					  LLONG_MIN,
					  LLONG_MAX / 10,
					  1000000000000000000LL };
	uint64_t k = tu_xorshift(st) % 4;
	if (k == 0)
		return edge[tu_xorshift(st) % (sizeof edge / sizeof *edge)];
	if (k == 1)
		return (long long)(tu_xorshift(st) % 1000);
	return (long long)tu_xorshift(st) >> (tu_xorshift(st) % 64);
}

/* n random rows through the writer (bulk or line) and the reference. */
static void write_random(uint64_t seed, int bulk, size_t rows, struct ref *r, char **out,
			 size_t *out_len)
{
	uint64_t st = seed;
	char *dir = tu_tmpdir();
	char path[4096];
	snprintf(path, sizeof path, "%s/t.csv", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	struct csvw w;
	if (bulk)
		csvw_init_bulk(&w, f);
	else
		csvw_init(&w, f);
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < rows; i++) {
		int fields = 1 + (int)(tu_xorshift(&st) % 12);
		for (int k = 0; k < fields; k++) {
			switch (tu_xorshift(&st) % 4) {
			case 0: {
				size_t len;
				char *s = rand_text(&st, &len);
				csvw_str(&w, s);
				ref_str(r, s, len);
				free(s);
				break;
			}
			case 1: {
				long long v = rand_int(&st);
				csvw_int(&w, v);
				ref_int(r, v);
				break;
			}
			case 2: {
				allot_month m =
					tu_xorshift(&st) % 8 == 0
						? ALLOT_NO_MONTH
						: (allot_month)(tu_xorshift(&st) % (10000 * 12));
				csvw_month(&w, m);
				ref_month(r, m);
				break;
			}
			default: {
				size_t len;
				char *s = rand_text(&st, &len);
				csvw_strn(&w, s, len);
				ref_str(r, s, len);
				free(s);
			}
			}
		}
		csvw_end(&w);
		ref_end(r);
	}
	assert_int_equal(csvw_finish(&w), 0);
	assert_int_equal(fclose(f), 0);
	*out = tu_slurp(path, out_len);
	assert_non_null(*out);
	tu_rmtree(dir);
	free(dir);
}

static void assert_same_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;
	while (i < na && i < nb && a[i] == b[i])
		i++;
	if (i < na || i < nb)
		fail_msg("the files differ at byte %zu (lengths %zu and %zu)", i, na, nb);
}

static void bulk_writer_gives_the_canonical_bytes(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 6; seed++) {
		size_t rows = seed <= 3 ? 8000 : 300; /* several buffers; or a few lines */
		for (int bulk = 1; bulk >= 0; bulk--) {
			struct ref r;
			char *got;
			size_t n;
			write_random(seed * 0x9e3779b97f4a7c15ull, bulk, rows, &r, &got, &n);
			assert_same_bytes(got, n, r.b, r.n);
			free(got);
			free(r.b);
		}
	}
}

/* A field exactly at the end of the buffer: the writer's pieces meet
 * inside the row, at every offset near CSVW_BULK. */
static void bulk_writer_pieces_meet_anywhere(void **state)
{
	(void)state;
	for (size_t pad = CSVW_BULK - 600; pad < CSVW_BULK + 8; pad += 37) {
		char *dir = tu_tmpdir(), path[4096];
		snprintf(path, sizeof path, "%s/t.csv", dir);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		struct csvw w;
		csvw_init_bulk(&w, f);
		struct ref r = { 0 };
		char *big = malloc(pad + 1);
		memset(big, 'x', pad);
		big[pad] = '\0';
		csvw_str(&w, big);
		ref_str(&r, big, pad);
		csvw_end(&w);
		ref_end(&r);
		for (int i = 0; i < 400; i++) {
			csvw_str(&w, i % 7 ? "ORD0001" : "a, \"b\"");
			ref_str(&r, i % 7 ? "ORD0001" : "a, \"b\"",
				strlen(i % 7 ? "ORD0001" : "a, \"b\""));
			csvw_int(&w, -i * 1234567);
			ref_int(&r, -i * 1234567);
			csvw_month(&w, i % 5 ? 2025 * 12 + i % 12 : ALLOT_NO_MONTH);
			ref_month(&r, i % 5 ? 2025 * 12 + i % 12 : ALLOT_NO_MONTH);
			csvw_end(&w);
			ref_end(&r);
		}
		assert_int_equal(csvw_finish(&w), 0);
		fclose(f);
		size_t n;
		char *got = tu_slurp(path, &n);
		assert_same_bytes(got, n, r.b, r.n);
		free(got);
		free(r.b);
		free(big);
		tu_rmtree(dir);
		free(dir);
	}
}

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* ---------------------------------------------------------------------- */
/* Durability: fsync and rename, wrapped (--wrap at link time).            */

int __real_fsync(int fd);
int __real_rename(const char *from, const char *to);
int __wrap_fsync(int fd);
int __wrap_rename(const char *from, const char *to);

#define MAX_EVENTS 64
static struct event {
	char what;      /* 'f' fsync of a file, 'd' of a directory, 'r' rename */
	char path[512]; /* rename: the target; fsync: the file's size as text */
	long long size;
	dev_t dev;
	ino_t ino;
} events[MAX_EVENTS];
static int n_events, recording;
static int fail_fsync;                    /* fail the Nth fsync of a file (1-based), 0 never */
static int n_file_fsyncs;                 /* fsyncs of files seen while fail_fsync is on */
static const char *fail_rename;           /* fail the rename onto a target ending so */
static void (*at_rename)(const char *to); /* called before a rename, if set */

int __wrap_fsync(int fd)
{
	struct stat st;
	if (fail_fsync && fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode) &&
	    ++n_file_fsyncs == fail_fsync) {
		errno = EIO;
		return -1;
	}
	if (recording && n_events < MAX_EVENTS && fstat(fd, &st) == 0) {
		struct event *e = &events[n_events++];
		e->what = S_ISDIR(st.st_mode) ? 'd' : 'f';
		e->size = (long long)st.st_size;
		e->dev = st.st_dev;
		e->ino = st.st_ino;
	}
	return __real_fsync(fd);
}

int __wrap_rename(const char *from, const char *to)
{
	struct stat st;
	size_t nt = strlen(to), nf = fail_rename ? strlen(fail_rename) : 0;
	if (fail_rename && nt >= nf && strcmp(to + nt - nf, fail_rename) == 0) {
		errno = EIO;
		return -1;
	}
	if (at_rename)
		at_rename(to);
	if (recording && n_events < MAX_EVENTS && stat(from, &st) == 0) {
		struct event *e = &events[n_events++];
		e->what = 'r';
		snprintf(e->path, sizeof e->path, "%s", to);
		e->size = (long long)st.st_size;
		e->dev = st.st_dev;
		e->ino = st.st_ino;
	}
	return __real_rename(from, to);
}

/* Both files fsynced whole (their final sizes) before either is renamed,
 * the directory fsynced between (the temporary names on disk) and after
 * the renames, each rename moving the synced file over its target, and
 * nothing else: no second name of allocations.csv left behind. */
static void plan_files_are_synced_before_rename_and_dir_after(void **state)
{
	(void)state;
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = 30000; /* orders_out.csv about 1 MB: more than one piece */
	sp.lines = 20;
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_synth_scenario(&sp, &s), ALLOT_OK);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
	char *dir = tu_tmpdir();
	struct stat dst;
	assert_int_equal(stat(dir, &dst), 0);
	static const char *const names[] = { "allocations.csv", "orders_out.csv" };
	for (int round = 0; round < 2; round++) { /* a fresh directory, then replacing */
		n_events = 0;
		recording = 1;
		assert_int_equal(allot_plan_write(p, dir), ALLOT_OK);
		recording = 0;
		assert_int_equal(n_events, 6);
		assert_int_equal(entries(dir), 2);
		for (int k = 0; k < 2; k++) {
			const struct event *f = &events[k], *r = &events[3 + k];
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", dir, names[k]);
			struct stat st;
			assert_int_equal(stat(path, &st), 0);
			assert_true(st.st_size > 1000);
			assert_int_equal(f->what, 'f');
			assert_int_equal(f->size, (long long)st.st_size); /* whole when synced */
			assert_int_equal(r->what, 'r');
			assert_string_equal(r->path, path);
			assert_true(r->ino == f->ino && r->dev == f->dev); /* the synced file */
			assert_true(st.st_ino == f->ino);
		}
		for (int k = 2; k < 6; k += 3) {
			assert_int_equal(events[k].what, 'd');
			assert_true(events[k].ino == dst.st_ino && events[k].dev == dst.st_dev);
		}
	}
	allot_plan_free(p);
	allot_scenario_free(s);
	tu_rmtree(dir);
	free(dir);
}

/* Every file written through afile (reports, sweeps, backtest CSVs) goes
 * out AFILE_BUFSIZE at a time: setvbuf with a NULL buffer would leave
 * glibc's 4 KiB (it ignores the size then). */
static void afile_writes_in_big_blocks(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char path[4096];
	snprintf(path, sizeof path, "%s/big.csv", dir);
	struct afile af;
	assert_int_equal(afile_open(&af, path), 0);
	assert_int_equal(fputs("a,b\n", af.f) >= 0, 1);
	assert_int_equal(__fbufsize(af.f), AFILE_BUFSIZE);
	assert_int_equal(afile_commit(&af), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 4);
	tu_rmtree(dir);
	free(dir);
}

/* ---------------------------------------------------------------------- */
/* The bulk writer's write calls, wrapped: interrupted, short, disk full.  */

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);

static int w_mode;       /* 0 none; 'i' every other call EINTR and the rest short; 'f' full */
static long w_calls;     /* calls seen while a mode is on */
static long long w_room; /* 'f': bytes the disk still takes */

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
	if (w_mode == 'i') {
		if (w_calls++ % 2 == 0) {
			errno = EINTR;
			return -1;
		}
		size_t m = 1 + (size_t)w_calls % 1777; /* short: 1 to 1777 bytes */
		if (n > m)
			n = m;
	} else if (w_mode == 'f') {
		w_calls++;
		if (w_room <= 0) {
			errno = ENOSPC;
			return -1;
		}
		if ((long long)n > w_room)
			n = (size_t)w_room; /* a short write, then ENOSPC */
		ssize_t k = __real_write(fd, buf, n);
		if (k > 0)
			w_room -= k;
		return k;
	}
	return __real_write(fd, buf, n);
}

static struct allot_plan *big_plan(struct allot_scenario **s)
{
	struct allot_synth_params sp;
	allot_synth_params_init(&sp);
	sp.orders = 30000; /* orders_out.csv about 1 MB: more than one piece */
	sp.lines = 20;
	assert_int_equal(allot_synth_scenario(&sp, s), ALLOT_OK);
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	struct allot_plan *p = NULL;
	assert_int_equal(allot_plan_run(*s, &o, &p), ALLOT_OK);
	return p;
}

/* A plan of s with other content to write over big_plan's (fcfs). */
static struct allot_plan *other_plan(const struct allot_scenario *s)
{
	struct allot_plan_options o;
	allot_plan_options_init(&o);
	o.policy = ALLOT_POLICY_FCFS;
	struct allot_plan *q = NULL;
	assert_int_equal(allot_plan_run(s, &o, &q), ALLOT_OK);
	return q;
}

/* Two plans of one scenario, big_plan's and other_plan's, and two fresh
 * directories: what the failure tests write. */
struct two_plans {
	struct allot_scenario *s;
	struct allot_plan *p, *q;
	char *dir, *dir2;
};

static void two_plans_open(struct two_plans *x)
{
	x->s = NULL;
	x->p = big_plan(&x->s);
	x->q = other_plan(x->s);
	x->dir = tu_tmpdir();
	x->dir2 = tu_tmpdir();
}

static void two_plans_close(struct two_plans *x)
{
	allot_plan_free(x->q);
	allot_plan_free(x->p);
	allot_scenario_free(x->s);
	tu_rmtree(x->dir);
	tu_rmtree(x->dir2);
	free(x->dir);
	free(x->dir2);
}

static char *slurp_in(const char *dir, const char *name, size_t *n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *b = tu_slurp(path, n);
	assert_non_null(b);
	return b;
}

static void interrupted_and_short_writes_give_the_same_files(void **state)
{
	(void)state;
	struct allot_scenario *s = NULL;
	struct allot_plan *p = big_plan(&s);
	char *dir = tu_tmpdir(), *dir2 = tu_tmpdir();
	assert_int_equal(allot_plan_write(p, dir), ALLOT_OK);
	w_mode = 'i';
	w_calls = 0;
	int rc = allot_plan_write(p, dir2);
	w_mode = 0;
	assert_int_equal(rc, ALLOT_OK);
	assert_true(w_calls > 4); /* the wrapper saw the writer's calls */
	static const char *const names[] = { "allocations.csv", "orders_out.csv" };
	for (int k = 0; k < 2; k++) {
		size_t n1, n2;
		char *a = slurp_in(dir, names[k], &n1), *b = slurp_in(dir2, names[k], &n2);
		assert_true(n1 > 1000);
		assert_int_equal(n1, n2);
		assert_memory_equal(a, b, n1);
		free(a);
		free(b);
	}
	allot_plan_free(p);
	allot_scenario_free(s);
	tu_rmtree(dir);
	tu_rmtree(dir2);
	free(dir);
	free(dir2);
}

/* The disk fills at several points of each file: the call fails, both
 * files keep their old content byte for byte (the one written before is
 * not renamed either: the pair stays one plan), and the directory holds
 * nothing else. */
static void a_full_disk_fails_and_leaves_the_old_files(void **state)
{
	(void)state;
	struct two_plans x;
	two_plans_open(&x);
	struct allot_plan *p = x.p, *q = x.q;
	char *dir = x.dir, *qdir = x.dir2;
	assert_int_equal(allot_plan_write(q, qdir), ALLOT_OK);
	size_t n_qa, n_qo;
	char *q_alloc = slurp_in(qdir, "allocations.csv", &n_qa);
	char *q_orders = slurp_in(qdir, "orders_out.csv", &n_qo);
	static const char *const names[] = { "allocations.csv", "orders_out.csv" };
	for (int k = 0; k < 2; k++) { /* the file the disk fills in */
		size_t len = k ? n_qo : n_qa;
		const long long at[] = { 0, 1, (long long)len / 2, (long long)len - 1 };
		for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
			assert_int_equal(allot_plan_write(p, dir), ALLOT_OK);
			size_t n_old, n_old0;
			char *old = slurp_in(dir, names[k], &n_old);
			char *old0 = slurp_in(dir, names[0], &n_old0);
			assert_true(n_old0 != n_qa || memcmp(old0, q_alloc, n_qa) != 0);
			assert_true(n_old != len || memcmp(old, k ? q_orders : q_alloc, len) != 0);
			w_mode = 'f';
			w_calls = 0;
			w_room = (k ? (long long)n_qa : 0) + at[i];
			int rc = allot_plan_write(q, dir);
			w_mode = 0;
			assert_int_equal(rc, ALLOT_EIO);
			assert_true(w_calls > 0);
			assert_int_equal(entries(dir), 2);
			size_t n;
			char *b = slurp_in(dir, names[k], &n);
			assert_int_equal(n, n_old);
			assert_memory_equal(b, old, n);
			free(b);
			free(old);
			if (k) {
				b = slurp_in(dir, names[0], &n);
				assert_int_equal(n, n_old0);
				assert_memory_equal(b, old0, n);
				free(b);
			}
			free(old0);
		}
	}
	free(q_alloc);
	free(q_orders);
	two_plans_close(&x);
}

/* ---------------------------------------------------------------------- */
/* The pair: the second file fails, or a crash comes between the renames.  */

struct blob {
	char *b;
	size_t n;
};

static void blob_free(struct blob *x)
{
	free(x->b);
	x->b = NULL;
	x->n = 0;
}

static void assert_blob(const struct blob *x, const struct blob *want)
{
	assert_non_null(x->b);
	assert_int_equal(x->n, want->n);
	assert_memory_equal(x->b, want->b, x->n);
}

static struct blob read_blob(const char *dir, const char *name)
{
	struct blob x;
	x.b = slurp_in(dir, name, &x.n);
	return x;
}

/* x's two pairs: q's written into x->dir2, then p's into x->dir (the old
 * pair the tests write q's over), and their bytes. */
struct pairs {
	struct blob pa, pb, qa, qb;
};

static void pairs_written(const struct two_plans *x, struct pairs *w)
{
	assert_int_equal(allot_plan_write(x->q, x->dir2), ALLOT_OK);
	assert_int_equal(allot_plan_write(x->p, x->dir), ALLOT_OK);
	w->pa = read_blob(x->dir, "allocations.csv");
	w->pb = read_blob(x->dir, "orders_out.csv");
	w->qa = read_blob(x->dir2, "allocations.csv");
	w->qb = read_blob(x->dir2, "orders_out.csv");
}

static void pairs_free(struct pairs *w)
{
	blob_free(&w->pa);
	blob_free(&w->pb);
	blob_free(&w->qa);
	blob_free(&w->qb);
}

/* p written into dir, then q over it with the second file's fsync failing,
 * then with its rename failing: each time EIO, and the directory holds p's
 * two files byte for byte and nothing else; in a fresh directory, nothing. */
static void the_second_file_failing_leaves_the_old_pair(void **state)
{
	(void)state;
	struct two_plans x;
	two_plans_open(&x);
	struct allot_plan *p = x.p, *q = x.q;
	char *dir = x.dir, *fresh = x.dir2;
	assert_int_equal(allot_plan_write(p, dir), ALLOT_OK);
	struct blob a = read_blob(dir, "allocations.csv"), b = read_blob(dir, "orders_out.csv");
	for (int mode = 0; mode < 2; mode++) {
		for (int d = 0; d < 2; d++) {
			if (mode == 0)
				fail_fsync = 2, n_file_fsyncs = 0; /* orders_out.csv's */
			else
				fail_rename = "/orders_out.csv";
			int rc = allot_plan_write(q, d ? fresh : dir);
			int fsyncs = n_file_fsyncs;
			fail_fsync = 0;
			fail_rename = NULL;
			assert_int_equal(rc, ALLOT_EIO);
			if (mode == 0)
				assert_int_equal(fsyncs, 2); /* the wrapper failed the second */
			if (d) {
				assert_int_equal(entries(fresh), 0);
				continue;
			}
			assert_int_equal(entries(dir), 2);
			struct blob a2 = read_blob(dir, "allocations.csv");
			struct blob b2 = read_blob(dir, "orders_out.csv");
			assert_blob(&a2, &a);
			assert_blob(&b2, &b);
			blob_free(&a2);
			blob_free(&b2);
		}
	}
	/* and the same writes succeed without the faults */
	assert_int_equal(allot_plan_write(q, dir), ALLOT_OK);
	assert_int_equal(entries(dir), 2);
	struct blob a2 = read_blob(dir, "allocations.csv");
	assert_true(a2.n != a.n || memcmp(a2.b, a.b, a.n) != 0);
	blob_free(&a2);
	blob_free(&a);
	blob_free(&b);
	two_plans_close(&x);
}

/* The directory as a crash just before the rename of orders_out.csv
 * would leave it (the names are synced by then; see afile.h). */
static struct crash_view {
	const char *dir;
	struct blob alloc, orders, orders_tmp, alloc_old;
	int n_tmp, n_old, seen;
} cv;

static void look_before_second_rename(const char *to)
{
	size_t nt = strlen(to);
	if (nt < 15 || strcmp(to + nt - 15, "/orders_out.csv") != 0)
		return;
	cv.seen++;
	DIR *d = opendir(cv.dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (strncmp(e->d_name, "orders_out.csv.tmp.", 19) == 0) {
			cv.n_tmp++;
			blob_free(&cv.orders_tmp);
			cv.orders_tmp = read_blob(cv.dir, e->d_name);
		} else if (strncmp(e->d_name, "allocations.csv.old.", 20) == 0) {
			cv.n_old++;
			blob_free(&cv.alloc_old);
			cv.alloc_old = read_blob(cv.dir, e->d_name);
		}
	}
	closedir(d);
	cv.alloc = read_blob(cv.dir, "allocations.csv");
	cv.orders = read_blob(cv.dir, "orders_out.csv");
}

static void a_crash_between_the_renames_can_be_told_and_finished(void **state)
{
	(void)state;
	struct two_plans x;
	two_plans_open(&x);
	struct allot_plan *q = x.q;
	char *dir = x.dir;
	struct pairs w;
	pairs_written(&x, &w);
	struct blob pa = w.pa, pb = w.pb, qa = w.qa, qb = w.qb;
	memset(&cv, 0, sizeof cv);
	cv.dir = dir;
	at_rename = look_before_second_rename;
	int rc = allot_plan_write(q, dir);
	at_rename = NULL;
	assert_int_equal(rc, ALLOT_OK);
	assert_int_equal(cv.seen, 1);
	/* mixed: the new allocations beside the old orders ... */
	assert_blob(&cv.alloc, &qa);
	assert_blob(&cv.orders, &pb);
	/* ... told by the one temporary file left, whole, and the old
	 * allocations under their second name */
	assert_int_equal(cv.n_tmp, 1);
	assert_blob(&cv.orders_tmp, &qb);
	assert_int_equal(cv.n_old, 1);
	assert_blob(&cv.alloc_old, &pa);
	assert_int_equal(entries(dir), 2); /* after the write, nothing of that */
	struct blob *all[] = { &cv.alloc, &cv.orders, &cv.orders_tmp, &cv.alloc_old };
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		blob_free(all[i]);
	pairs_free(&w);
	two_plans_close(&x);
}

/* ---------------------------------------------------------------------- */
/* The leftovers a reader sorts out (afile.h, docs/planner.md).            */

int __real_link(const char *from, const char *to);
int __wrap_link(const char *from, const char *to);
static int stale_link; /* put a stale file under the next link's name first */

int __wrap_link(const char *from, const char *to)
{
	if (stale_link) {
		stale_link = 0;
		FILE *f = fopen(to, "w");
		assert_non_null(f);
		fputs("stale\n", f);
		fclose(f);
	}
	return __real_link(from, to);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* What the documented rule finds at a rename: the suffixes S with both
 * allocations.csv.old.S and orders_out.csv.tmp.S, the last such pair's
 * bytes, and whether allocations.csv is then the file under the .old name. */
static struct told {
	const char *dir;
	int seen, pairs, same_file;
	struct blob alloc, orders, orders_tmp, alloc_old;
} tv[2]; /* at the rename onto allocations.csv, onto orders_out.csv */

static void tell_at_rename(const char *to)
{
	size_t nt = strlen(to);
	struct told *t = nt >= 16 && strcmp(to + nt - 16, "/allocations.csv") == 0  ? &tv[0]
			 : nt >= 15 && strcmp(to + nt - 15, "/orders_out.csv") == 0 ? &tv[1]
										    : NULL;
	if (!t)
		return;
	t->seen++;
	DIR *d = opendir(t->dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (strncmp(e->d_name, "allocations.csv.old.", 20) != 0)
			continue;
		char tmp[300], path[4096];
		snprintf(tmp, sizeof tmp, "orders_out.csv.tmp.%s", e->d_name + 20);
		snprintf(path, sizeof path, "%s/%s", t->dir, tmp);
		if (access(path, F_OK) != 0)
			continue;
		t->pairs++;
		blob_free(&t->orders_tmp);
		blob_free(&t->alloc_old);
		t->orders_tmp = read_blob(t->dir, tmp);
		t->alloc_old = read_blob(t->dir, e->d_name);
		struct stat a, o;
		snprintf(path, sizeof path, "%s/%s", t->dir, e->d_name);
		assert_int_equal(stat(path, &o), 0);
		snprintf(path, sizeof path, "%s/allocations.csv", t->dir);
		assert_int_equal(stat(path, &a), 0);
		t->same_file = a.st_ino == o.st_ino && a.st_dev == o.st_dev;
	}
	closedir(d);
	blob_free(&t->alloc);
	blob_free(&t->orders);
	t->alloc = read_blob(t->dir, "allocations.csv");
	t->orders = read_blob(t->dir, "orders_out.csv");
}

static void told_free(void)
{
	for (int k = 0; k < 2; k++) {
		struct blob *all[] = { &tv[k].alloc, &tv[k].orders, &tv[k].orders_tmp,
				       &tv[k].alloc_old };
		for (size_t i = 0; i < sizeof all / sizeof *all; i++)
			blob_free(all[i]);
	}
	memset(tv, 0, sizeof tv);
}

/* Leftovers of earlier crashes (a partial temporary file of each name, a
 * stale second name) do not blur the tell: at the first rename exactly one
 * (.old.S, .tmp.S) pair, with allocations.csv still that .old file (nothing
 * replaced); at the second exactly one pair, the .tmp the new orders whole,
 * the .old the old allocations, allocations.csv another file.  After the
 * write the leftovers are still there (nobody else's to remove). */
static void a_crash_is_told_among_leftovers(void **state)
{
	(void)state;
	struct two_plans x;
	two_plans_open(&x);
	struct allot_plan *q = x.q;
	char *dir = x.dir;
	struct pairs w;
	pairs_written(&x, &w);
	struct blob pa = w.pa, pb = w.pb, qa = w.qa, qb = w.qb;
	write_file(dir, "allocations.csv.tmp.aAaAaA", "order_id,month\n");
	write_file(dir, "orders_out.csv.tmp.bBbBbB", "order_id,iso3\nX");
	write_file(dir, "allocations.csv.old.cCcCcC", "order_id,month\nY,2030-01\n");
	told_free();
	tv[0].dir = tv[1].dir = dir;
	at_rename = tell_at_rename;
	int rc = allot_plan_write(q, dir);
	at_rename = NULL;
	assert_int_equal(rc, ALLOT_OK);
	assert_int_equal(tv[0].seen, 1);
	assert_int_equal(tv[0].pairs, 1);
	assert_true(tv[0].same_file); /* before the first rename: nothing replaced */
	assert_blob(&tv[0].alloc, &pa);
	assert_blob(&tv[0].orders, &pb);
	assert_int_equal(tv[1].seen, 1);
	assert_int_equal(tv[1].pairs, 1);
	assert_false(tv[1].same_file); /* mixed ... */
	assert_blob(&tv[1].alloc, &qa);
	assert_blob(&tv[1].orders, &pb);
	assert_blob(&tv[1].orders_tmp, &qb); /* ... finished by this one */
	assert_blob(&tv[1].alloc_old, &pa);  /* ... or undone by this one */
	assert_int_equal(entries(dir), 5);
	told_free();
	pairs_free(&w);
	two_plans_close(&x);
}

/* A stale file under the second name the write picks (left by a write
 * that ended after its last rename) is replaced, not a failure. */
static void a_stale_second_name_is_replaced(void **state)
{
	(void)state;
	struct two_plans x;
	two_plans_open(&x);
	char *dir = x.dir;
	struct pairs w;
	pairs_written(&x, &w);
	stale_link = 1;
	int rc = allot_plan_write(x.q, dir);
	assert_int_equal(stale_link, 0); /* the link was tried */
	assert_int_equal(rc, ALLOT_OK);
	assert_int_equal(entries(dir), 2);
	struct blob a = read_blob(dir, "allocations.csv"), b = read_blob(dir, "orders_out.csv");
	assert_blob(&a, &w.qa);
	assert_blob(&b, &w.qb);
	blob_free(&a);
	blob_free(&b);
	pairs_free(&w);
	two_plans_close(&x);
}

/* The second rename fails and so does putting the old allocations.csv
 * back: EIO, and the directory is what a crash there leaves, which a
 * reader can finish or undo; the old allocations are not lost. */
static void fail_every_rename_after_the_first(const char *to)
{
	size_t nt = strlen(to);
	if (nt >= 16 && strcmp(to + nt - 16, "/allocations.csv") == 0)
		fail_rename = ""; /* every later rename */
}

static void a_failed_put_back_leaves_the_way_back(void **state)
{
	(void)state;
	struct two_plans x;
	two_plans_open(&x);
	char *dir = x.dir;
	struct pairs w;
	pairs_written(&x, &w);
	struct blob pa = w.pa, pb = w.pb, qa = w.qa, qb = w.qb;
	at_rename = fail_every_rename_after_the_first;
	int rc = allot_plan_write(x.q, dir);
	at_rename = NULL;
	int failed = fail_rename != NULL;
	fail_rename = NULL;
	assert_true(failed);
	assert_int_equal(rc, ALLOT_EIO);
	assert_int_equal(entries(dir), 4);
	told_free();
	tv[1].dir = dir;
	tell_at_rename("/orders_out.csv"); /* look as at a crash there */
	assert_int_equal(tv[1].pairs, 1);
	assert_false(tv[1].same_file);
	assert_blob(&tv[1].alloc, &qa);
	assert_blob(&tv[1].orders, &pb);
	assert_blob(&tv[1].orders_tmp, &qb);
	assert_blob(&tv[1].alloc_old, &pa);
	told_free();
	pairs_free(&w);
	two_plans_close(&x);
}

/* --out relative and with a trailing slash ("sub/", from the directory
 * above): the directory fsynced, before and after the renames, is sub
 * itself; an empty --out names no directory: refused, nothing written
 * (afile_mkdirs read past the end of "" before). */
static void a_relative_out_with_a_slash_syncs_that_directory(void **state)
{
	(void)state;
	struct two_plans x;
	two_plans_open(&x);
	char cwd[4096];
	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(x.dir), 0);
	for (int k = 0; k < 2; k++) { /* a new directory, then the same one */
		n_events = 0;
		recording = 1;
		int rc = allot_plan_write(x.p, "sub/");
		recording = 0;
		assert_int_equal(rc, ALLOT_OK);
		struct stat st;
		assert_int_equal(stat("sub", &st), 0);
		assert_int_equal(n_events, 6);
		for (int i = 2; i < 6; i += 3) {
			assert_int_equal(events[i].what, 'd');
			assert_true(events[i].ino == st.st_ino && events[i].dev == st.st_dev);
		}
		assert_int_equal(entries("sub"), 2);
	}
	assert_int_equal(afile_mkdirs(""), -1);
	assert_int_equal(allot_plan_write(x.p, ""), ALLOT_EIO);
	assert_int_equal(entries("."), 1); /* sub alone */
	assert_int_equal(chdir(cwd), 0);
	two_plans_close(&x);
}

/* Two writers of one directory: p's write, paused between its renames
 * (allocations.csv new, orders_out.csv not yet), while another process
 * writes q's pair into the same directory.  Before the directory lock q's
 * write went through in the pause and p's second rename then left q's
 * allocations beside p's orders, both writes reporting success; now q's
 * write waits for p's and the directory ends with q's pair whole. */
static struct {
	const char *dir;
	struct allot_plan *q;
	pid_t child;
	int finished_in_pause;
} race;

static void other_writer_at_second_rename(const char *to)
{
	size_t nt = strlen(to);
	if (race.child || nt < 15 || strcmp(to + nt - 15, "/orders_out.csv") != 0)
		return;
	race.child = fork();
	assert_true(race.child >= 0);
	if (race.child == 0) {
		/* another process: not the holder of p's lock through a copy of
		 * p's descriptors (flock belongs to the open file) */
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		at_rename = NULL;
		_exit(allot_plan_write(race.q, race.dir) == ALLOT_OK ? 0 : 1);
	}
	/* up to 3 s for the other writer to go through (it cannot, locked) */
	for (int i = 0; i < 300 && !race.finished_in_pause; i++) {
		int st;
		if (waitpid(race.child, &st, WNOHANG) == race.child) {
			assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
			race.finished_in_pause = 1;
		} else {
			usleep(10 * 1000);
		}
	}
}

static void two_writers_of_one_directory_take_turns(void **state)
{
	(void)state;
	struct two_plans x;
	two_plans_open(&x);
	char *dir = x.dir;
	struct pairs w;
	pairs_written(&x, &w);
	memset(&race, 0, sizeof race);
	race.dir = dir;
	race.q = x.q;
	at_rename = other_writer_at_second_rename;
	int rc = allot_plan_write(x.p, dir);
	at_rename = NULL;
	assert_int_equal(rc, ALLOT_OK);
	assert_true(race.child > 0);
	if (!race.finished_in_pause) {
		int st;
		assert_int_equal(waitpid(race.child, &st, 0), race.child);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_false(race.finished_in_pause); /* it waited for p's write */
	assert_int_equal(entries(dir), 2);
	struct blob a = read_blob(dir, "allocations.csv"), b = read_blob(dir, "orders_out.csv");
	assert_blob(&a, &w.qa); /* q's pair, written last, whole */
	assert_blob(&b, &w.qb);
	blob_free(&a);
	blob_free(&b);
	pairs_free(&w);
	two_plans_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bulk_writer_gives_the_canonical_bytes),
		cmocka_unit_test(bulk_writer_pieces_meet_anywhere),
		cmocka_unit_test(plan_files_are_synced_before_rename_and_dir_after),
		cmocka_unit_test(afile_writes_in_big_blocks),
		cmocka_unit_test(interrupted_and_short_writes_give_the_same_files),
		cmocka_unit_test(a_full_disk_fails_and_leaves_the_old_files),
		cmocka_unit_test(the_second_file_failing_leaves_the_old_pair),
		cmocka_unit_test(a_crash_between_the_renames_can_be_told_and_finished),
		cmocka_unit_test(a_crash_is_told_among_leftovers),
		cmocka_unit_test(a_stale_second_name_is_replaced),
		cmocka_unit_test(a_failed_put_back_leaves_the_way_back),
		cmocka_unit_test(a_relative_out_with_a_slash_syncs_that_directory),
		cmocka_unit_test(two_writers_of_one_directory_take_turns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
