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
 * again.  If a rename fails, the targets already replaced are put back
 * (each but the last is kept under a second name, "<path>.old.XXXXXX",
 * until all are renamed; a target that did not exist is removed again).
 * Closes and discards every af either way.  0 on success, -1 (errno set).
 *
 * A crash between two renames cannot be undone: it leaves the first
 * targets new and the others old.  The files not yet renamed are then
 * still in the directory, whole, as "<path>.tmp.XXXXXX" (a reader can tell
 * the mix from those, and finish the set by renaming them), with the old
 * first targets as "<path>.old.XXXXXX".  After a crash before the first
 * rename, every target is old and every temporary file is left.
 */
int afile_commit_all(struct afile *af, size_t n);
/* Discards the temporary file.  Safe after a failed or successful commit. */
void afile_abort(struct afile *af);

/* Creates a directory (and its parents) if missing.  0 on success. */
int afile_mkdirs(const char *dir);

#endif
