/*
 * csvtable.c - a whole CSV file as rows in memory (see csvread.h), for the
 * converters, which look rows up by name and read some twice.  Each row is
 * one allocation: the field pointers, the fields' columns, then their text.
 */
#include "io/csvread.h"

#include <string.h>

#include "util/mem.h"

static int push(struct csvr_table *t, const struct csvr_record *rec)
{
	size_t text = 0;
	for (size_t i = 0; i < rec->n; i++)
		text += rec->f[i].len + 1;
	if (mem_grow(&t->rows, &t->cap, t->n + 1, sizeof *t->rows))
		return ALLOT_ENOMEM;
	char **f = mem_alloc(rec->n * (sizeof *f + sizeof(long)) + text);
	if (!f)
		return ALLOT_ENOMEM;
	long *col = (long *)(f + rec->n);
	char *p = (char *)(col + rec->n);
	for (size_t i = 0; i < rec->n; i++) {
		f[i] = p;
		col[i] = rec->f[i].col;
		memcpy(p, rec->f[i].s, rec->f[i].len + 1);
		p += rec->f[i].len + 1;
	}
	struct csvr_row *row = &t->rows[t->n++];
	row->line = rec->line;
	row->n = rec->n;
	row->f = f;
	row->col = col;
	return ALLOT_OK;
}

static int read_all(struct csvr *r, struct csvr_table *out)
{
	const struct csvr_record *rec;
	int rc;
	while ((rc = csvr_next(r, &rec)) == ALLOT_OK && rec)
		if ((rc = push(out, rec)) != ALLOT_OK)
			break;
	csvr_close(r);
	if (rc != ALLOT_OK)
		csvr_table_free(out);
	return rc;
}

int csvr_table_mem(const char *buf, size_t len, const char *name, unsigned flags,
		   struct csvr_table *out, struct allot_diags *d)
{
	struct csvr *r;
	memset(out, 0, sizeof *out);
	int rc = csvr_open_mem(buf, len, name, flags, d, &r);
	return rc ? rc : read_all(r, out);
}

int csvr_table_read(const char *path, unsigned flags, struct csvr_table *out, struct allot_diags *d)
{
	struct csvr *r;
	memset(out, 0, sizeof *out);
	int rc = csvr_open(path, NULL, flags, d, &r);
	return rc ? rc : read_all(r, out);
}

void csvr_table_free(struct csvr_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		mem_free(t->rows[i].f);
	mem_free(t->rows);
	memset(t, 0, sizeof *t);
}

int csvr_col(const struct csvr_row *hdr, const char *name)
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

const char *csvr_get(const struct csvr_row *r, int i)
{
	return i >= 0 && (size_t)i < r->n ? r->f[i] : "";
}

long csvr_colno(const struct csvr_row *r, int i)
{
	if (i >= 0 && (size_t)i < r->n)
		return r->col[i];
	/* A field the row does not reach: the column just past the row's
	 * last field (characters, as the reader counts them; a quoted last
	 * field counts its text, not its quotes). */
	const unsigned char *s = (const unsigned char *)r->f[r->n - 1];
	long c = r->col[r->n - 1];
	for (; *s; s++)
		c += (*s & 0xC0) != 0x80;
	return c;
}
