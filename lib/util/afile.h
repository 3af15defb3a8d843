/*
 * afile.h - files replaced atomically: write to a temporary file in the same
 * directory, fsync it, rename it over the target, fsync the directory.  A
 * reader (or a crash) sees the old file or the new one, never a mix.
 */
#ifndef ALLOT_UTIL_AFILE_H
#define ALLOT_UTIL_AFILE_H

#include <stdio.h>

struct afile {
	FILE *f;    /* write here */
	char *path; /* the target */
	char *tmp;  /* the temporary file */
	char *buf;  /* f's buffer, AFILE_BUFSIZE bytes */
};

/* f's buffer: big writes (a report or a sweep's files run to MBs). */
#define AFILE_BUFSIZE (256 * 1024)

/* Opens a temporary file beside path.  0 on success, -1 (errno set). */
int afile_open(struct afile *af, const char *path);
/* Flushes, syncs and renames into place; then syncs the directory.  Closes
 * the file either way.  0 on success, -1 (errno set; the target untouched). */
int afile_commit(struct afile *af);
/*
 * Commits n files of one directory together (allot plan's allocations.csv
 * and orders_out.csv): every file is flushed and fsynced before any is
 * renamed, so a failure to write, flush or sync any of them leaves every
 * target untouched.  Then the directory is fsynced (the temporary names are
 * on disk), the files are renamed in order, and the directory is fsynced
 * again.  From the second names to the end it holds an exclusive flock on
 * the directory, so two processes committing into one directory take
 * turns (their renames never interleave into a mixed set).  If a rename fails, the targets already
 * replaced are put back (each but the last is kept under a second name, "<path>.old.<S>", until all
 * are renamed; a target that did not exist is removed again).  S is the suffix of the last file's
 * temporary name "<last>.tmp.<S>", so the second names and that file tell one write.  A stale file
 * already under a second name (a write that ended after its last rename, before its clean-up) is
 * replaced.  Closes and discards every af either way.  0 on success, -1 (errno set).
 *
 * A crash between two renames cannot be undone: it leaves the first
 * targets new and the others old, with "<first>.old.<S>" (the old first
 * targets) beside "<last>.tmp.<S>" (the new last file, whole and synced):
 * renaming the latter over <last> finishes the new set, the former over
 * <first> restores the old one.  A crash after the second names are made
 * and before the first rename leaves the same two names, but <first> is
 * then still "<first>.old.<S>" (one file, two names: the same bytes), so
 * nothing was replaced and both names go.  A "<first>.old.<S>" with no
 * "<last>.tmp.<S>" is stale (a crash after the last rename); any other
 * "*.tmp.*" is from a write that replaced nothing.  A rename failure whose
 * put-back fails too leaves that crash's state (and returns -1).
 */
int afile_commit_all(struct afile *af, size_t n);
/* Discards the temporary file.  Safe after a failed or successful commit. */
void afile_abort(struct afile *af);

/* Creates a directory (and its parents) if missing.  0 on success. */
int afile_mkdirs(const char *dir);

#endif
