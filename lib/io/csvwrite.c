/*
 * csvwrite.c - canonical CSV output and atomic file replacement (see
 * csvwrite.h).
 */
#include "io/csvwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"

void csvw_init(struct csvw *w, FILE *f)
{
	w->f = f;
	w->nfield = 0;
	w->err = 0;
}

int csv_needs_quotes(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	if (s[0] == ' ' || s[len - 1] == ' ')
		return 1;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ',' || c == '"' || c == '\r' || c == '\n')
			return 1;
	}
	return 0;
}

static void put(struct csvw *w, const char *s, size_t n)
{
	if (!w->err && n && fwrite(s, 1, n, w->f) != n)
		w->err = errno ? errno : EIO;
}

static void sep(struct csvw *w)
{
	if (w->nfield++)
		put(w, ",", 1);
}

void csvw_strn(struct csvw *w, const char *s, size_t len)
{
	sep(w);
	if (!csv_needs_quotes(s, len)) {
		put(w, s, len);
		return;
	}
	put(w, "\"", 1);
	size_t from = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"') {
			put(w, s + from, i + 1 - from); /* through the quote */
			put(w, "\"", 1);
			from = i + 1;
		}
	}
	put(w, s + from, len - from);
	put(w, "\"", 1);
}

void csvw_str(struct csvw *w, const char *s)
{
	csvw_strn(w, s ? s : "", s ? strlen(s) : 0);
}

void csvw_double(struct csvw *w, double v)
{
	char buf[32];
	allot_fmt_double(v, buf);
	sep(w);
	put(w, buf, strlen(buf));
}

void csvw_int(struct csvw *w, long long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%lld", v);
	sep(w);
	put(w, buf, (size_t)n);
}

void csvw_bool(struct csvw *w, int v)
{
	sep(w);
	put(w, v ? "1" : "0", 1);
}

void csvw_month(struct csvw *w, allot_month m)
{
	char buf[8];
	allot_month_format(m, buf);
	sep(w);
	put(w, buf, strlen(buf));
}

void csvw_row(struct csvw *w, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++)
		csvw_str(w, fields[i]);
	csvw_end(w);
}

void csvw_end(struct csvw *w)
{
	put(w, "\n", 1);
	w->nfield = 0;
}

int csvw_error(const struct csvw *w) { return w->err; }

/* ---- atomic files ------------------------------------------------------- */

static char *join(const char *dir, const char *prefix, const char *name,
		  const char *suffix)
{
	size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
	char *p = mem_alloc(n);
	if (p)
		snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
	return p;
}

int afile_open(struct afile *a, const char *dir, const char *name,
	       struct allot_diags *d)
{
	memset(a, 0, sizeof *a);
	a->path = join(dir, "", name, "");
	a->tmp = join(dir, ".", name, ".tmp-XXXXXX");
	if (!a->path || !a->tmp) {
		afile_abort(a);
		return ALLOT_ENOMEM;
	}
	int fd = mkstemp(a->tmp);
	if (fd < 0) {
		allot_diags_add(d, a->path, 0, 0, "cannot create a temporary file: %s",
				strerror(errno));
		mem_free(a->tmp);
		a->tmp = NULL;
		afile_abort(a);
		return ALLOT_EIO;
	}
	/* mkstemp makes 0600; give the file the usual mode for data files. */
	mode_t um = umask(0);
	umask(um);
	(void)fchmod(fd, 0666 & ~um);
	a->f = fdopen(fd, "wb");
	if (!a->f) {
		close(fd);
		afile_abort(a);
		return ALLOT_ENOMEM;
	}
	return ALLOT_OK;
}

void afile_abort(struct afile *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	mem_free(a->tmp);
	mem_free(a->path);
	memset(a, 0, sizeof *a);
}

int afile_commit(struct afile *a, struct allot_diags *d)
{
	int err = 0;
	if (fflush(a->f) != 0 || ferror(a->f))
		err = errno ? errno : EIO;
	if (!err && fsync(fileno(a->f)) != 0)
		err = errno;
	if (fclose(a->f) != 0 && !err)
		err = errno;
	a->f = NULL;
	if (!err && rename(a->tmp, a->path) != 0)
		err = errno;
	if (err) {
		allot_diags_add(d, a->path, 0, 0, "cannot write: %s", strerror(err));
		afile_abort(a);
		return ALLOT_EIO;
	}
	mem_free(a->tmp);
	a->tmp = NULL;
	afile_abort(a);
	return ALLOT_OK;
}

int afile_sync_dir(const char *dir, struct allot_diags *d)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fsync(fd) != 0) {
		allot_diags_add(d, dir, 0, 0, "cannot sync the directory: %s",
				strerror(errno));
		if (fd >= 0)
			close(fd);
		return ALLOT_EIO;
	}
	close(fd);
	return ALLOT_OK;
}

int afile_mkdirs(const char *dir, struct allot_diags *d)
{
	char *p = mem_strdup(dir);
	if (!p)
		return ALLOT_ENOMEM;
	int rc = ALLOT_OK;
	size_t n = strlen(p);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			allot_diags_add(d, p, 0, 0, "cannot create the directory: %s",
					strerror(errno));
			rc = ALLOT_EIO;
			break;
		}
		p[i] = c;
	}
	struct stat st;
	if (rc == ALLOT_OK && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		allot_diags_add(d, dir, 0, 0, "cannot create the directory: %s",
				"not a directory");
		rc = ALLOT_EIO;
	}
	mem_free(p);
	return rc;
}
