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
/* Discards the temporary file.  Safe after a failed or successful commit. */
void afile_abort(struct afile *af);

/* Creates a directory (and its parents) if missing.  0 on success. */
int afile_mkdirs(const char *dir);

#endif
