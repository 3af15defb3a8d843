/*
 * json.c - JSON reading through jansson with positioned diagnostics (see
 * json.h).
 */
#include "io/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/rfile.h"

int json_parse_bytes(const char *buf, size_t len, unsigned flags, const char *name,
		     struct allot_diags *d, json_t **out)
{
	*out = NULL;
	const char *nul = memchr(buf, '\0', len);
	if (nul) {
		long line = 1, col = 1;
		for (const char *p = buf; p < nul; p++) {
			if (*p == '\n')
				line++, col = 1;
			else if ((*p & 0xC0) != 0x80)
				col++;
		}
		allot_diags_add(d, name, line, col, "invalid JSON: %s",
				"expected text, found a NUL byte");
		return ALLOT_EINPUT;
	}
	size_t jflags = JSON_DECODE_ANY | JSON_ALLOW_NUL;
	if (flags & JSONP_UNIQUE_KEYS)
		jflags |= JSON_REJECT_DUPLICATES;
	json_error_t e;
	json_t *j = json_loadb(buf, len, jflags, &e);
	if (!j) {
		if (json_error_code(&e) == json_error_out_of_memory)
			return ALLOT_ENOMEM;
		allot_diags_add(d, name, e.line > 0 ? e.line : 0,
				e.line > 0 && e.column > 0 ? e.column : 0, "invalid JSON: %s",
				e.text);
		return ALLOT_EINPUT;
	}
	*out = j;
	return ALLOT_OK;
}

static int slurp(const char *path, const char *name, struct allot_diags *d, int missing_ok,
		 char **buf, size_t *len)
{
	const char *kind;
	FILE *f = rfile_open(path, &kind);
	if (!f) {
		if (kind) {
			allot_diags_add(d, name, 0, 0, "expected a regular file, found %s", kind);
			return ALLOT_EINPUT;
		}
		if (missing_ok && errno == ENOENT)
			return ALLOT_ENOTFOUND;
		allot_diags_add(d, name, 0, 0, "cannot open: %s", strerror(errno));
		return ALLOT_EIO;
	}
	struct buf b;
	buf_init(&b, (size_t)JSONP_MAX_BYTES);
	int rc = buf_read(&b, f);
	if (rc == ALLOT_ELIMIT)
		allot_diags_add(d, name, 0, 0,
				"expected at most %ld bytes, found more (size limit)",
				JSONP_MAX_BYTES);
	else if (rc == ALLOT_EIO)
		allot_diags_add(d, name, 0, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	*len = b.n;
	if (rc == ALLOT_OK && !(*buf = buf_take(&b)))
		rc = ALLOT_ENOMEM;
	buf_free(&b);
	return rc;
}

int json_load_path(const char *path, const char *name, unsigned flags, int missing_ok,
		   struct allot_diags *d, json_t **out, char **text)
{
	char *buf = NULL;
	size_t len = 0;
	*out = NULL;
	if (text)
		*text = NULL;
	if (!name)
		name = path;
	int rc = slurp(path, name, d, missing_ok, &buf, &len);
	if (rc)
		return rc;
	/* A UTF-8 byte order mark at the very start is skipped, as in the CSV
	 * files (RFC 8259 section 8.1 allows a parser to ignore it); columns
	 * then do not count it. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(buf, buf + 3, len - 3 + 1);
		len -= 3;
	}
	rc = json_parse_bytes(buf, len, flags, name, d, out);
	if (rc == ALLOT_OK && text)
		*text = buf;
	else
		mem_free(buf);
	return rc;
}

int json_find_key(const char *text, const char *key, long *line, long *col)
{
	size_t kl = strlen(key);
	const char *hit = NULL;
	for (const char *p = text; (p = strchr(p, '"')) != NULL; p++) {
		if (strncmp(p + 1, key, kl) != 0 || p[kl + 1] != '"')
			continue;
		const char *q = p + kl + 2;
		while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
			q++;
		if (*q != ':')
			continue;
		if (hit)
			return 0;
		hit = p;
	}
	if (!hit)
		return 0;
	long l = 1, c = 1;
	for (const char *p = text; p < hit; p++) {
		if (*p == '\n')
			l++, c = 1;
		else if ((*p & 0xC0) != 0x80)
			c++;
	}
	*line = l;
	*col = c;
	return 1;
}

void json_diag_v(struct allot_diags *d, const char *file, const char *text, const char *key,
		 const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	long line = 0, col = 0;
	if (text && key)
		json_find_key(text, key, &line, &col);
	allot_diags_add(d, file, line, col, "%s", buf);
}

void json_shown(const json_t *v, char *buf, size_t n)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	snprintf(buf, n, "%s", s ? s : "?");
	if (s && strlen(s) >= n && n > 4)
		memcpy(buf + n - 4, "...", 4);
	free(s);
}
