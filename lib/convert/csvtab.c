/*
 * csvtab.c - a tolerant CSV reader that keeps line numbers (see csvtab.h).
 *
 * One pass over the buffer with a small state machine: outside a field,
 * inside an unquoted field, inside a quoted field, just after a closing
 * quote.  Fields grow in a buffer (util/buf.h) and are copied out when
 * complete.
 */
#include "convert/csvtab.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvread.h"
#include "util/buf.h"
#include "util/mem.h"

#define CSVTAB_MAX_FIELD (16u << 20) /* a single field may not exceed 16 MiB */


struct rowbuf {
	char **f;
	size_t n, cap;
};

static int row_push(struct rowbuf *r, struct buf *s)
{
	if (mem_grow(&r->f, &r->cap, r->n + 1, sizeof *r->f))
		return ALLOT_ENOMEM;
	char *v = mem_strndup(s->v ? s->v : "", s->n);
	if (!v)
		return ALLOT_ENOMEM;
	r->f[r->n++] = v;
	s->n = 0;
	return ALLOT_OK;
}

static void row_clear(struct rowbuf *r)
{
	for (size_t i = 0; i < r->n; i++)
		mem_free(r->f[i]);
	r->n = 0;
}

/* Moves the fields of r into a new table row (a lone empty field, i.e. a
 * blank line, is dropped). */
static int table_push(struct csvtab *t, struct rowbuf *r, long line)
{
	if (r->n == 1 && r->f[0][0] == '\0') {
		row_clear(r);
		return ALLOT_OK;
	}
	if (mem_grow(&t->rows, &t->cap, t->n + 1, sizeof *t->rows))
		return ALLOT_ENOMEM;
	struct csvtab_row *row = &t->rows[t->n];
	row->f = mem_reallocarray(NULL, r->n, sizeof *row->f);
	if (!row->f)
		return ALLOT_ENOMEM;
	memcpy(row->f, r->f, r->n * sizeof *row->f);
	row->n = r->n;
	row->line = line;
	r->n = 0;
	t->n++;
	return ALLOT_OK;
}

enum { ST_START, ST_PLAIN, ST_QUOTED, ST_AFTER_QUOTE };

int csvtab_parse(const char *buf, size_t len, const char *name,
		 struct csvtab *out, struct allot_diags *diags)
{
	struct buf s;
	buf_init(&s, CSVTAB_MAX_FIELD - 1);
	struct rowbuf r = { 0 };
	int rc = ALLOT_OK;
	long line = 1, start_line = 1, quote_line = 0;
	int st = ST_START;
	size_t i = 0;

	memset(out, 0, sizeof *out);
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len && rc == ALLOT_OK; i++) {
		char c = buf[i] ? buf[i] : ' ';
		if (st == ST_QUOTED) {
			if (c == '"') {
				if (i + 1 < len && buf[i + 1] == '"') {
					rc = buf_putc(&s, '"');
					i++;
				} else {
					st = ST_AFTER_QUOTE;
				}
			} else {
				if (c == '\n')
					line++;
				rc = buf_putc(&s, c);
			}
			continue;
		}
		if (c == ',') {
			rc = row_push(&r, &s);
			st = ST_START;
		} else if (c == '\n' || (c == '\r' && i + 1 < len && buf[i + 1] == '\n')) {
			if (c == '\r')
				i++;
			rc = row_push(&r, &s);
			if (rc == ALLOT_OK)
				rc = table_push(out, &r, start_line);
			line++;
			start_line = line;
			st = ST_START;
		} else if (c == '"' && st == ST_START) {
			st = ST_QUOTED;
			quote_line = line;
		} else {
			/* text after a closing quote, or a quote inside a plain
			 * field: kept as written */
			rc = buf_putc(&s, c);
			st = ST_PLAIN;
		}
	}
	if (rc == ALLOT_OK && st == ST_QUOTED)
		allot_diags_add(diags, name, quote_line, 0,
				"expected a closing quote for the field opened here, found the end of the file");
	if (rc == ALLOT_OK && (st != ST_START || r.n > 0)) {
		rc = row_push(&r, &s);
		if (rc == ALLOT_OK)
			rc = table_push(out, &r, start_line);
	}
	row_clear(&r);
	mem_free(r.f);
	buf_free(&s);
	if (rc != ALLOT_OK)
		csvtab_free(out);
	return rc;
}

/* UTF-8 text of buf: a copy when it is already valid UTF-8 (strictly: no
 * overlong forms, surrogates or code points past U+10FFFF), otherwise each
 * byte read as Latin-1 (every byte is a character, so nothing can fail). */
int csvtab_to_utf8(const char *buf, size_t len, char **out, size_t *out_len)
{
	int utf8 = utf8_valid(buf, len);
	size_t cap = utf8 ? len : len * 2;
	char *o = mem_alloc(cap + 1);
	if (!o)
		return ALLOT_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (utf8 || c < 0x80) {
			o[n++] = (char)c;
		} else {
			o[n++] = (char)(0xC0 | (c >> 6));
			o[n++] = (char)(0x80 | (c & 0x3F));
		}
	}
	o[n] = '\0';
	*out = o;
	*out_len = n;
	return ALLOT_OK;
}

int csvtab_slurp(const char *path, char **buf, size_t *len,
		 struct allot_diags *diags)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		allot_diags_add(diags, path, 0, 0, "cannot read: %s", strerror(errno));
		return ALLOT_EIO;
	}
	struct buf b;
	buf_init(&b, (size_t)2 << 30); /* 2 GiB: far above any public table */
	int rc = buf_read(&b, f);
	if (rc == ALLOT_EIO)
		allot_diags_add(diags, path, 0, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	*len = b.n;
	if (rc == ALLOT_OK && !(*buf = buf_take(&b)))
		rc = ALLOT_ENOMEM;
	buf_free(&b);
	return rc;
}

int csvtab_read(const char *path, struct csvtab *out, struct allot_diags *diags)
{
	char *buf;
	size_t len;
	memset(out, 0, sizeof *out);
	int rc = csvtab_slurp(path, &buf, &len, diags);
	if (rc != ALLOT_OK)
		return rc;
	char *text;
	size_t text_len;
	rc = csvtab_to_utf8(buf, len, &text, &text_len);
	mem_free(buf);
	if (rc != ALLOT_OK)
		return rc;
	rc = csvtab_parse(text, text_len, path, out, diags);
	mem_free(text);
	return rc;
}

void csvtab_free(struct csvtab *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->rows[i].n; j++)
			mem_free(t->rows[i].f[j]);
		mem_free(t->rows[i].f);
	}
	mem_free(t->rows);
	memset(t, 0, sizeof *t);
}

int csvtab_col(const struct csvtab_row *hdr, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < hdr->n; i++) {
		const char *h = hdr->f[i];
		while (*h == ' ')
			h++;
		size_t hl = strlen(h);
		while (hl > 0 && h[hl - 1] == ' ')
			hl--;
		if (hl == nl && memcmp(h, name, nl) == 0)
			return (int)i;
	}
	return -1;
}

const char *csvtab_get(const struct csvtab_row *r, int i)
{
	return i >= 0 && (size_t)i < r->n ? r->f[i] : "";
}

const char *csvtab_next_int(const char *p, long *out)
{
	while (*p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end != p) {
			*out = v;
			return end;
		}
		p++;
	}
	return NULL;
}
