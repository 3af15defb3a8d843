/*
 * overlay.c - a scenario plus an overlay folder holding only the rows that
 * change (docs/whatif.md): each CSV file of the overlay has the header of
 * the base's file (as `allot export` writes it) and rows to add.  The base
 * is written to a private temporary directory, the overlay's rows appended
 * to its files, and the result loaded by the ordinary loader, so every
 * rule of docs/scenario-format.md holds for the overlay's rows too; errors
 * in them are reported at the overlay file's own line and column.
 */
#include <allot/allot.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/mem.h"

static const char *const overlay_files[] = {
	"partners.csv",    "lines.csv",     "systems.csv",  "orders.csv",
	"minerals.csv",    "supply.csv",    "bom.csv",      "events.csv",
	"investments.csv", "embargoes.csv", "requests.csv", "transfers.csv",
};
#define N_OVERLAY (sizeof overlay_files / sizeof *overlay_files)

/* Files an overlay may hold besides the CSV files above. */
static const char *const overlay_other[] = { "README.md", "changes.txt", "fx.csv" };

static int read_all(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	*buf = NULL;
	*len = 0;
	if (!f)
		return errno == ENOENT ? ALLOT_ENOTFOUND : ALLOT_EIO;
	struct buf b;
	buf_init(&b, 64u << 20);
	int rc = buf_read(&b, f);
	fclose(f);
	*len = b.n;
	if (rc == ALLOT_OK && !(*buf = buf_take(&b)))
		rc = ALLOT_ENOMEM;
	buf_free(&b);
	return rc;
}

static long count_lines(const char *b, size_t n)
{
	long l = 0;
	for (size_t i = 0; i < n; i++)
		l += b[i] == '\n';
	return l;
}

/* Length of the first line, without its line end. */
static size_t header_len(const char *b)
{
	size_t n = strcspn(b, "\r\n");
	return n;
}

/* Writes the CSV rows of b[0..n) to f with pad empty fields added at the
 * end of each record (before its line end; a line end inside quotes is part
 * of a field; blank lines stay blank). */
static int write_padded(FILE *f, const char *b, size_t n, size_t pad)
{
	int quoted = 0, empty = 1;
	for (size_t i = 0; i < n; i++) {
		char c = b[i];
		int end = !quoted && (c == '\n' || (c == '\r' && i + 1 < n && b[i + 1] == '\n'));
		if (end && !empty)
			for (size_t k = 0; k < pad; k++)
				if (fputc(',', f) == EOF)
					return ALLOT_EIO;
		if (c == '"')
			quoted = !quoted;
		if (fputc(c, f) == EOF)
			return ALLOT_EIO;
		if (end && c == '\r') /* the \n of a CRLF */
			if (fputc(b[++i], f) == EOF)
				return ALLOT_EIO;
		empty = end ? 1 : 0;
	}
	if (!empty) /* a last record without a line end */
		for (size_t k = 0; k < pad; k++)
			if (fputc(',', f) == EOF)
				return ALLOT_EIO;
	return ALLOT_OK;
}

/* Appends the overlay file's rows to the base's copy at tmp/name.  *base_lines
 * receives the lines of the base file before them. */
static int merge_file(const char *tmp, const char *overlay, const char *name, long *base_lines,
		      struct allot_diags *d)
{
	char opath[8192], tpath[8192];
	snprintf(opath, sizeof opath, "%s/%s", overlay, name);
	snprintf(tpath, sizeof tpath, "%s/%s", tmp, name);
	char *ob = NULL, *tb = NULL;
	size_t on = 0, tn = 0;
	*base_lines = -1; /* the overlay has no such file */
	int rc = read_all(opath, &ob, &on);
	if (rc == ALLOT_ENOTFOUND)
		return ALLOT_OK;
	if (rc != ALLOT_OK) {
		allot_diags_add(d, opath, 0, 0, "cannot read the overlay file: %s",
				allot_strerror(rc));
		return rc;
	}
	rc = read_all(tpath, &tb, &tn);
	FILE *f = NULL;
	if (rc == ALLOT_ENOTFOUND) { /* the base has no such file: take it whole */
		*base_lines = 0;
		f = fopen(tpath, "wb");
		rc = f && fwrite(ob, 1, on, f) == on ? ALLOT_OK : ALLOT_EIO;
		goto done;
	}
	if (rc != ALLOT_OK)
		goto done;
	size_t oh = header_len(ob), th = header_len(tb);
	/* An overlay written before the base gained optional trailing columns
	 * (orders.csv supply, lines.csv rate_basis, ...) names a prefix of the
	 * base's header: its rows get those columns empty (their defaults). */
	size_t pad = 0;
	if (oh < th && memcmp(ob, tb, oh) == 0 && tb[oh] == ',')
		for (size_t i = oh; i < th; i++)
			pad += tb[i] == ',';
	if (!pad && (oh != th || memcmp(ob, tb, oh) != 0)) {
		allot_diags_add(d, opath, 1, 1,
				"expected the header of the base's %s (%.*s), found %.*s", name,
				(int)th, tb, (int)(oh < 300 ? oh : 300), ob);
		rc = ALLOT_EINPUT;
		goto done;
	}
	*base_lines = count_lines(tb, tn) + (tn && tb[tn - 1] != '\n');
	const char *rows = ob + oh;
	rows += *rows == '\r';
	rows += *rows == '\n';
	f = fopen(tpath, "ab");
	if (!f) {
		rc = ALLOT_EIO;
		goto done;
	}
	if (tn && tb[tn - 1] != '\n' && fputc('\n', f) == EOF)
		rc = ALLOT_EIO;
	size_t rn = on - (size_t)(rows - ob);
	if (rc == ALLOT_OK && !pad && fwrite(rows, 1, rn, f) != rn)
		rc = ALLOT_EIO;
	if (rc == ALLOT_OK && pad)
		rc = write_padded(f, rows, rn, pad);
done:
	if (f && fclose(f) != 0 && rc == ALLOT_OK)
		rc = ALLOT_EIO;
	if (rc == ALLOT_EIO)
		allot_diags_add(d, tpath, 0, 0, "cannot write the merged file");
	mem_free(ob);
	mem_free(tb);
	return rc;
}

static int known_name(const char *n)
{
	for (size_t i = 0; i < N_OVERLAY; i++)
		if (strcmp(n, overlay_files[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof overlay_other / sizeof *overlay_other; i++)
		if (strcmp(n, overlay_other[i]) == 0)
			return 1;
	return n[0] == '.';
}

/* Every file of the overlay must be one it can hold: a misspelt file name
 * would otherwise be silently ignored. */
static int check_names(const char *overlay, struct allot_diags *d)
{
	DIR *dir = opendir(overlay);
	if (!dir) {
		allot_diags_add(d, overlay, 0, 0, "expected an overlay directory, found none");
		return ALLOT_EIO;
	}
	int rc = ALLOT_OK;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (known_name(e->d_name))
			continue;
		allot_diags_add(d, overlay, 0, 0,
				"unknown file \"%s\" in the overlay; expected scenario CSV files "
				"(orders.csv, events.csv, ...), fx.csv, changes.txt or README.md",
				e->d_name);
		rc = ALLOT_EINPUT;
	}
	closedir(dir);
	return rc;
}

static void remove_dir(const char *tmp)
{
	DIR *dir = opendir(tmp);
	if (!dir)
		return;
	struct dirent *e;
	char path[4096];
	while ((e = readdir(dir))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmp, e->d_name);
		unlink(path);
	}
	closedir(dir);
	rmdir(tmp);
}

/* Moves the loader's diagnostics from the merged files to the overlay's
 * (rows past the base's) or the base's. */
static void remap(const struct allot_diags *from, struct allot_diags *to, const char *tmp,
		  const char *overlay, const char *base_name, const long *base_lines)
{
	size_t tl = strlen(tmp);
	for (size_t i = 0; i < from->n; i++) {
		const struct allot_diag *g = &from->v[i];
		const char *file = g->file, *name = NULL;
		long line = g->line;
		char buf[4096];
		if (strncmp(file, tmp, tl) == 0 && file[tl] == '/') {
			name = file + tl + 1;
			size_t k = 0;
			while (k < N_OVERLAY && strcmp(name, overlay_files[k]) != 0)
				k++;
			if (k < N_OVERLAY && line > base_lines[k] && base_lines[k] >= 0) {
				snprintf(buf, sizeof buf, "%s/%s", overlay, name);
				line = base_lines[k] ? line - base_lines[k] + 1 : line;
			} else {
				snprintf(buf, sizeof buf, "%s/%s", base_name, name);
			}
			file = buf;
		}
		allot_diags_add(to, file, line, g->col, "%s", g->msg);
	}
	to->dropped += from->dropped;
}

int allot_overlay_load(const struct allot_scenario *base, const char *overlay,
		       struct allot_scenario **out, struct allot_diags *d)
{
	*out = NULL;
	int rc = check_names(overlay, d);
	if (rc != ALLOT_OK)
		return rc;
	const char *td = getenv("TMPDIR");
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s/allot-overlay-XXXXXX", td && *td ? td : "/tmp");
	if (!mkdtemp(tmp)) {
		allot_diags_add(d, tmp, 0, 0, "cannot create a temporary directory");
		return ALLOT_EIO;
	}
	long base_lines[N_OVERLAY];
	struct allot_diags ld;
	allot_diags_init(&ld);
	rc = allot_scenario_write(base, tmp, d);
	for (size_t i = 0; rc == ALLOT_OK && i < N_OVERLAY; i++)
		rc = merge_file(tmp, overlay, overlay_files[i], &base_lines[i], d);
	if (rc == ALLOT_OK) {
		rc = allot_scenario_load(tmp, out, &ld);
		remap(&ld, d, tmp, overlay, base->name, base_lines);
	}
	allot_diags_free(&ld);
	remove_dir(tmp);
	if (rc != ALLOT_OK)
		return rc;
	/* the loaded copy is named after the temporary directory */
	const char *slash = strrchr(overlay, '/');
	while (slash && slash[1] == '\0' && slash > overlay) { /* "dir/" */
		const char *q = slash - 1;
		while (q > overlay && *q != '/')
			q--;
		slash = *q == '/' ? q : NULL;
	}
	const char *oname = slash ? slash + 1 : overlay;
	size_t n = strlen(base->name) + strlen(oname) + 2;
	char *name = mem_alloc(n);
	if (!name) {
		allot_scenario_free(*out);
		*out = NULL;
		return ALLOT_ENOMEM;
	}
	snprintf(name, n, "%s+%.*s", base->name, (int)strcspn(oname, "/"), oname);
	mem_free((*out)->name);
	(*out)->name = name;
	return ALLOT_OK;
}
