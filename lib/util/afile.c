/*
 * afile.c - atomic file replacement (see afile.h).
 */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

int afile_open(struct afile *af, const char *path)
{
	memset(af, 0, sizeof *af);
	size_t n = strlen(path);
	af->path = mem_strdup(path);
	af->tmp = mem_alloc(n + 16);
	if (!af->path || !af->tmp) {
		afile_abort(af);
		errno = ENOMEM;
		return -1;
	}
	snprintf(af->tmp, n + 16, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(af->tmp);
	if (fd < 0) {
		int e = errno;
		mem_free(af->tmp);
		af->tmp = NULL;
		afile_abort(af);
		errno = e;
		return -1;
	}
	fchmod(fd, 0644);
	af->f = fdopen(fd, "w");
	if (!af->f) {
		int e = errno;
		close(fd);
		afile_abort(af);
		errno = e;
		return -1;
	}
	/* Big writes: AFILE_BUFSIZE per write call instead of 4 KiB; still one
	 * fsync, at commit.  The buffer is ours: glibc ignores setvbuf's size
	 * when it is asked to allocate the buffer itself. */
	af->buf = mem_alloc(AFILE_BUFSIZE);
	if (af->buf)
		setvbuf(af->f, af->buf, _IOFBF, AFILE_BUFSIZE);
	return 0;
}

/* An open descriptor of path's directory, or -1 (errno set). */
static int open_dir_of(const char *path)
{
	char *dir = mem_strdup(path);
	if (!dir)
		return -1;
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* the lock stays ours */
	mem_free(dir);
	return fd;
}

static int sync_dir_of(const char *path)
{
	int fd = open_dir_of(path);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Flushes, fsyncs and closes af's temporary file; the rename is the
 * caller's.  0 on success, -1 (errno set). */
static int sync_tmp(struct afile *af)
{
	int rc = 0;
	if (fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0)
		rc = -1;
	if (fclose(af->f) != 0)
		rc = -1;
	af->f = NULL;
	return rc;
}

int afile_commit(struct afile *af)
{
	int rc = sync_tmp(af);
	if (rc == 0 && rename(af->tmp, af->path) != 0)
		rc = -1;
	if (rc == 0) {
		mem_free(af->tmp);
		af->tmp = NULL;
		rc = sync_dir_of(af->path);
	}
	int e = errno;
	afile_abort(af);
	errno = e;
	return rc;
}

/* The way back for a target about to be replaced: a second name for it,
 * "<path>.old.<token>" (a hard link), or, when there is no target, a note
 * that the new file must go again. */
struct way_back {
	char *old;  /* the second name, or NULL */
	int absent; /* there was no target */
};

/* 0 on success (wb->old NULL when there is nothing to keep, or the file
 * system has no hard links: then nothing can be put back), -1 on failure.
 * token: the suffix of the last file's temporary name (afile.h: it ties
 * the second names to the one temporary file a crash between renames
 * leaves).  A file already under the second name is a stale one: that
 * token's temporary file was free for mkstemp, so the write that made it
 * has renamed its last file (or a reader has finished it) and no longer
 * needs it. */
static int keep_old(const struct afile *af, const char *token, struct way_back *wb)
{
	size_t n = strlen(af->path) + strlen(token) + 8;
	wb->old = mem_alloc(n);
	if (!wb->old)
		return -1;
	snprintf(wb->old, n, "%s.old.%s", af->path, token);
	int e = 0;
	for (int tries = 0; tries < 2; tries++) {
		if (link(af->path, wb->old) == 0)
			return 0;
		e = errno;
		if (e != EEXIST || unlink(wb->old) != 0)
			break;
	}
	mem_free(wb->old);
	wb->old = NULL;
	wb->absent = e == ENOENT;
	errno = e;
	return e == ENOENT || e == EPERM || e == ENOTSUP || e == EMLINK ? 0 : -1;
}

int afile_commit_all(struct afile *af, size_t n)
{
	struct way_back *wb = mem_calloc(n ? n : 1, sizeof *wb);
	int rc = wb ? 0 : -1, stuck = 0;
	size_t done = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = sync_tmp(&af[i]);
	/* Two writers of one directory take turns from here (flock on the
	 * directory, released by close): interleaved renames would leave one's
	 * first files beside the other's last ones.  A file system without
	 * flock goes on unlocked. */
	int lock = rc == 0 && n ? open_dir_of(af[0].path) : -1;
	if (rc == 0 && n && lock < 0)
		rc = -1;
	while (lock >= 0 && flock(lock, LOCK_EX) != 0 && errno == EINTR)
		;
	/* the last needs no way back; the others' second names carry the
	 * suffix of its temporary name */
	const char *token = n ? af[n - 1].tmp + strlen(af[n - 1].path) + 5 : ""; /* past ".tmp." */
	for (size_t i = 0; rc == 0 && i + 1 < n; i++)
		rc = keep_old(&af[i], token, &wb[i]);
	/* The temporary files' names (and the second names) on disk before the
	 * first rename: a crash between two renames leaves them to be found. */
	if (rc == 0 && n)
		rc = sync_dir_of(af[0].path);
	for (; rc == 0 && done < n; done++) {
		if (rename(af[done].tmp, af[done].path) != 0) {
			rc = -1;
			break;
		}
		mem_free(af[done].tmp);
		af[done].tmp = NULL;
	}
	int e = errno;
	if (rc == 0 && n) {
		rc = sync_dir_of(af[0].path);
		e = errno;
	} else {
		/* A rename failed: put back the targets already replaced.  One
		 * that cannot be put back (its second name will not rename, or
		 * there is none) leaves what a crash there would leave: the
		 * second names and the last temporary file stay (afile.h). */
		for (size_t i = 0; i < done; i++) {
			if (wb[i].old && rename(wb[i].old, af[i].path) == 0) {
				mem_free(wb[i].old);
				wb[i].old = NULL;
			} else if (!wb[i].absent || unlink(af[i].path) != 0) {
				stuck = 1;
			}
		}
		if (done)
			sync_dir_of(af[0].path);
	}
	for (size_t i = 0; wb && i < n; i++) {
		if (wb[i].old && !stuck)
			unlink(wb[i].old);
		mem_free(wb[i].old);
	}
	if (stuck) { /* kept: af[n - 1].tmp is not unlinked */
		mem_free(af[n - 1].tmp);
		af[n - 1].tmp = NULL;
	}
	mem_free(wb);
	if (lock >= 0)
		close(lock);
	for (size_t i = 0; i < n; i++)
		afile_abort(&af[i]);
	errno = e;
	return rc;
}

void afile_abort(struct afile *af)
{
	if (af->f)
		fclose(af->f);
	if (af->tmp)
		unlink(af->tmp);
	mem_free(af->buf); /* after fclose: the stream wrote through it */
	mem_free(af->tmp);
	mem_free(af->path);
	memset(af, 0, sizeof *af);
}

int afile_mkdirs(const char *dir)
{
	if (!dir[0]) { /* no directory named (and p + 1 below would be past the end) */
		errno = ENOENT;
		return -1;
	}
	char *p = mem_strdup(dir);
	if (!p)
		return -1;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			mem_free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = mkdir(p, 0755) != 0 && errno != EEXIST ? -1 : 0;
	mem_free(p);
	return rc;
}
