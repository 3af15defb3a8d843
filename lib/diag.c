/*
 * diag.c - diagnostics: a bounded list of "file:line:col: message" records.
 *
 * Loaders report every problem they find, not just the first, so a user can
 * fix a spreadsheet in one pass.  The list stops growing at `limit` entries
 * and only counts the rest.
 */
#include <allot/allot.h>

#include <stdarg.h>
#include <string.h>

#include "util/mem.h"

#define DIAG_DEFAULT_LIMIT 50

void allot_diags_init(struct allot_diags *d)
{
	memset(d, 0, sizeof *d);
	d->limit = DIAG_DEFAULT_LIMIT;
}

void allot_diags_truncate(struct allot_diags *d, size_t n, size_t dropped)
{
	for (size_t i = n; i < d->n; i++) {
		mem_free(d->v[i].file);
		mem_free(d->v[i].msg);
	}
	if (n < d->n)
		d->n = n;
	d->dropped = dropped;
}

void allot_diags_free(struct allot_diags *d)
{
	if (!d)
		return;
	allot_diags_truncate(d, 0, 0);
	mem_free(d->v);
	size_t limit = d->limit;
	memset(d, 0, sizeof *d);
	d->limit = limit;
}

void allot_diags_add(struct allot_diags *d, const char *file, long line, long col, const char *fmt,
		     ...)
{
	if (!d)
		return;
	if (d->n >= d->limit || mem_grow(&d->v, &d->cap, d->n + 1, sizeof *d->v)) {
		d->dropped++;
		return;
	}
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	struct allot_diag *g = &d->v[d->n];
	g->file = mem_strdup(file ? file : "");
	g->msg = mem_strdup(buf);
	g->line = line;
	g->col = col;
	if (!g->file || !g->msg) {
		mem_free(g->file);
		mem_free(g->msg);
		d->dropped++;
		return;
	}
	d->n++;
}

size_t allot_diags_count(const struct allot_diags *d)
{
	return d ? d->n + d->dropped : 0;
}

void allot_diags_print(const struct allot_diags *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct allot_diag *g = &d->v[i];
		if (g->line > 0 && g->col > 0)
			fprintf(out, "%s:%ld:%ld: %s\n", g->file, g->line, g->col, g->msg);
		else if (g->line > 0)
			fprintf(out, "%s:%ld: %s\n", g->file, g->line, g->msg);
		else if (g->file[0])
			fprintf(out, "%s: %s\n", g->file, g->msg);
		else
			fprintf(out, "%s\n", g->msg);
	}
	if (d->dropped)
		fprintf(out, "... and %zu more error%s\n", d->dropped, d->dropped == 1 ? "" : "s");
}

const char *allot_strerror(int status)
{
	static const char *const text[] = {
		[ALLOT_OK] = "ok",
		[ALLOT_EINPUT] = "bad input",
		[ALLOT_ENOMEM] = "out of memory",
		[ALLOT_EIO] = "input/output error",
		[ALLOT_ESTORE] = "store error",
		[ALLOT_ENOTFOUND] = "not found",
		[ALLOT_ELIMIT] = "size limit exceeded",
	};
	if (status < 0 || (size_t)status >= sizeof text / sizeof *text || !text[status])
		return "unknown error";
	return text[status];
}
