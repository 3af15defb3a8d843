/*
 * afile.c - atomic file replacement (see afile.h).
 */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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

static int sync_dir_of(const char *path)
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
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	mem_free(dir);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int afile_commit(struct afile *af)
{
	int rc = 0;
	if (fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0)
		rc = -1;
	if (fclose(af->f) != 0)
		rc = -1;
	af->f = NULL;
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
