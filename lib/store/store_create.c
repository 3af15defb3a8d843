/*
 * store_create.c - `allot import` into a store that may not exist yet,
 * safe against any number of concurrent writers.
 *
 * An existing store is opened without SQLITE_OPEN_CREATE, so SQLite (not a
 * stat() made earlier) decides that it exists; the scenario then goes in by
 * one write transaction that also checks the name (put or add).
 *
 * A missing store is built under a private name beside it, PATH.import-PID-N
 * (created with O_EXCL: no one else knows the name), checkpointed so the
 * database file holds everything, and then given its real name by link(2),
 * which fails when PATH exists.  So PATH is never a half-written or empty
 * store, a failure (a full disk, a bad name) removes only the private file,
 * and nothing here ever unlinks PATH: a store another process wrote cannot
 * be lost.  When link finds PATH taken (another import won the race), the
 * private copy is dropped and the scenario goes into the existing store by
 * the ordinary transaction, where a taken name is refused.
 */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"

#define TRIES 8

static void unlink_db(const char *db)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[4200];
	for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
		if (snprintf(p, sizeof p, "%s%s", db, suffix[i]) < (int)sizeof p)
			unlink(p);
	}
}

/* Makes the new name durable: fsync of the directory holding path. */
static void sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else if ((size_t)(slash - path) < sizeof dir)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	else
		return;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Messages about the private file name the store the user asked for. */
static void rename_diags(struct allot_diags *d, size_t from, const char *tmp, const char *path)
{
	for (size_t i = from; i < d->n; i++) {
		char *f;
		if (strcmp(d->v[i].file, tmp) == 0 && (f = mem_strdup(path))) {
			mem_free(d->v[i].file);
			d->v[i].file = f;
		}
	}
}

/* Writes the scenario into the private file tmp: the whole store ends up in
 * the database file itself (WAL checkpointed and truncated). */
static int build_private(const char *tmp, const char *path, const char *name,
			 const struct allot_scenario *s, struct allot_diags *d)
{
	struct allot_store *st = NULL;
	size_t n0 = d->n;
	int rc = allot_store_open(tmp, &st, d);
	if (rc == ALLOT_OK)
		rc = allot_store_put_scenario(st, name, s, d);
	if (rc == ALLOT_OK) {
		sqlite3_stmt *q;
		rc = store_prepare(st, "PRAGMA wal_checkpoint(TRUNCATE)", &q, d);
		if (rc == ALLOT_OK) {
			if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_int(q, 0) != 0)
				rc = store_fail(st, d, "cannot checkpoint the new store");
			sqlite3_finalize(q);
		}
	}
	allot_store_close(st);
	rename_diags(d, n0, tmp, path);
	return rc;
}

/* ALLOT_OK when the store was created at path; ALLOT_ENOTFOUND (no
 * diagnostic) when path appeared meanwhile: the caller opens it. */
static int create_store(const char *path, const char *name, const struct allot_scenario *s,
			struct allot_diags *d)
{
	static unsigned seq;
	char tmp[4200], wal[4300];
	int fd = -1;
	for (int i = 0; i < 100 && fd < 0; i++) {
		if (snprintf(tmp, sizeof tmp, "%s.import-%ld-%u", path, (long)getpid(), seq++) >=
		    (int)sizeof tmp) {
			allot_diags_add(d, path, 0, 0, "expected a shorter store path");
			return ALLOT_EINPUT;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST) {
			allot_diags_add(d, path, 0, 0, "cannot create the store: %s",
					strerror(errno));
			return ALLOT_EIO;
		}
	}
	if (fd < 0) {
		allot_diags_add(d, path, 0, 0, "cannot create the store: %s", strerror(EEXIST));
		return ALLOT_EIO;
	}
	close(fd);
	int rc = build_private(tmp, path, name, s, d);
	if (rc == ALLOT_OK) {
		/* A -wal left by a store removed without it would be replayed
		 * onto the new one: refuse rather than corrupt it. */
		snprintf(wal, sizeof wal, "%s-wal", path);
		if (access(wal, F_OK) == 0 && access(path, F_OK) != 0) {
			allot_diags_add(d, wal, 0, 0,
					"expected no write-ahead log without its store %s, "
					"found one (a leftover: remove it)",
					path);
			rc = ALLOT_ESTORE;
		} else if (link(tmp, path) == 0) {
			sync_dir(path);
		} else if (errno == EEXIST) {
			rc = ALLOT_ENOTFOUND;
		} else {
			allot_diags_add(d, path, 0, 0, "cannot create the store: %s",
					strerror(errno));
			rc = ALLOT_EIO;
		}
	}
	unlink_db(tmp);
	return rc;
}

int allot_store_import(const char *path, const char *name, const struct allot_scenario *s,
		       int replace, int *exists, int *created, struct allot_diags *diags)
{
	*exists = 0;
	*created = 0;
	for (int i = 0; i < TRIES; i++) {
		struct allot_store *st = NULL;
		int rc = allot_store_open_existing(path, &st, diags);
		if (rc == ALLOT_OK) {
			if (replace)
				rc = allot_store_put_scenario(st, name, s, diags);
			else
				rc = allot_store_add_scenario(st, name, s, exists, diags);
			allot_store_close(st);
			return rc;
		}
		if (rc != ALLOT_ENOTFOUND)
			return rc;
		rc = create_store(path, name, s, diags);
		if (rc != ALLOT_ENOTFOUND) {
			*created = rc == ALLOT_OK;
			return rc;
		}
	}
	/* link() keeps finding a name that open() does not find. */
	allot_diags_add(diags, path, 0, 0,
			"expected a store or nothing, found a name that does not open as a "
			"file (a dangling symbolic link?)");
	return ALLOT_ESTORE;
}
