/*
 * write.c - allot_scenario_write: the model into a scenario directory in
 * canonical form (docs/scenario-format.md, "Canonical form").
 *
 * Every file goes through util/afile (temporary file, fsync, rename, fsync
 * of the directory), so a reader sees each file whole, old or new.  CSV
 * files come first and scenario.json last.  Optional CSV files are written
 * when their present bit is set or they have rows; a known optional file
 * left in the directory from an earlier scenario is removed, so that loading
 * the directory gives back exactly this scenario.
 */
#include <allot/allot.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/csvwrite.h"
#include <allot/schema.h>
#include "io/table.h"
#include "io/policy.h"
#include "util/afile.h"
#include "util/mem.h"

/* One field of a row, as the canonical form writes it. */
static void write_field(const struct allot_scenario *s, struct csvw *w, const void *row,
			const struct sc_col *c)
{
	const char *p = (const char *)row + c->off;
	switch (c->type) {
	case SC_TEXT: {
		const char *v = *(char *const *)p;
		csvw_str(w, c->dflt_text && !(v && v[0]) ? c->dflt_text : v);
		return;
	}
	case SC_ISO3:
		csvw_str(w, p);
		return;
	case SC_REF: {
		int i = *(const int *)p;
		csvw_str(w, i < 0 && (c->flags & SC_STAR)
				    ? "*"
				    : allot_sc_key(s, (enum sc_tab)c->ref, i));
		return;
	}
	case SC_NUM:
		if ((c->flags & SC_MISSING) && isnan(*(const double *)p))
			csvw_str(w, "unknown");
		else
			csvw_double(w, *(const double *)p);
		return;
	case SC_INT: {
		int64_t v = sc_get_int(row, c);
		if (c->dflt < c->ilo && v < c->ilo) /* partner_rank: empty = none */
			csvw_str(w, "");
		else
			csvw_int(w, v);
		return;
	}
	case SC_BOOL:
		csvw_bool(w, (int)allot_sc_int_value(row, c));
		return;
	case SC_MONTH:
		csvw_month(w, *(const allot_month *)p);
		return;
	case SC_GRAMS:
		csvw_double(w, (double)*(const int64_t *)p / 1000.0);
		return;
	case SC_ENUM:
		csvw_str(w, allot_sc_enum_name(c->ref, *(const int *)p));
		return;
	case SC_YEAR: {
		int y = *(const int *)p;
		if (y == ALLOT_NO_FIGURE)
			csvw_str(w, "none");
		else if (y)
			csvw_int(w, y);
		else
			csvw_str(w, "");
		return;
	}
	}
}

/* A table: its header, then each row, column by column.  The trailing
 * columns added after version 1 of the format (SC_TRAIL) are written only
 * when some row states one of them, so that a scenario without them is
 * written byte for byte as before. */
static void write_table(const struct allot_scenario *s, struct csvw *w, const struct sc_table *t)
{
	const char *hdr[TABLE_MAX_COLS];
	int ncols = 0, era = allot_sc_table_era(t, s);
	for (int k = 0; k < t->ncols; k++)
		if (!(t->cols[k].flags & SC_TRAIL) || t->cols[k].since <= era)
			hdr[ncols++] = t->cols[k].name;
	csvw_row(w, hdr, (size_t)ncols);
	size_t n = sc_nrows(t, s);
	for (size_t i = 0; i < n; i++) {
		const void *row = sc_row(t, s, i);
		for (int k = 0; k < ncols; k++)
			write_field(s, w, row, &t->cols[k]);
		csvw_end(w);
	}
}

/* Writes one file with fn(s, arg) through a temporary file. */
static int write_file(const char *dir, const char *name, struct allot_diags *d,
		      void (*fn)(const struct allot_scenario *, FILE *, const void *),
		      const struct allot_scenario *s, const void *arg)
{
	char *path = mem_path_join(dir, name);
	if (!path)
		return ALLOT_ENOMEM;
	struct afile af;
	int rc = ALLOT_OK;
	if (afile_open(&af, path) != 0) {
		rc = errno == ENOMEM ? ALLOT_ENOMEM : ALLOT_EIO;
		if (rc == ALLOT_EIO)
			allot_diags_add(d, path, 0, 0, "cannot create a temporary file: %s",
					strerror(errno));
		goto done;
	}
	fn(s, af.f, arg);
	if (ferror(af.f)) {
		allot_diags_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
		afile_abort(&af);
		rc = ALLOT_EIO;
		goto done;
	}
	if (afile_commit(&af) != 0) {
		allot_diags_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
		rc = ALLOT_EIO;
	}
done:
	mem_free(path);
	return rc;
}

static void emit_csv(const struct allot_scenario *s, FILE *f, const void *arg)
{
	struct csvw w;
	csvw_init(&w, f);
	write_table(s, &w, arg);
}

static void emit_policy(const struct allot_scenario *s, FILE *f, const void *arg)
{
	(void)arg;
	policy_write(&s->policy, f);
}

static void emit_scenario(const struct allot_scenario *s, FILE *f, const void *arg)
{
	const char *policy = arg;
	char m[8];
	allot_month_format(s->as_of, m);
	fprintf(f, "{\n  \"as_of\": \"%s\",\n  \"horizon_months\": %d,\n  \"policy\": ", m,
		s->horizon_months);
	json_write_string(f, policy);
	if (s->switch_month != ALLOT_NO_MONTH) {
		allot_month_format(s->switch_month, m);
		fprintf(f, ",\n  \"switch_month\": \"%s\"", m);
	}
	if (s->notes && s->notes[0]) {
		fputs(",\n  \"notes\": ", f);
		json_write_string(f, s->notes);
	}
	fputs("\n}\n", f);
}

int allot_scenario_write(const struct allot_scenario *s, const char *dir, struct allot_diags *diags)
{
	if (afile_mkdirs(dir) != 0) {
		allot_diags_add(diags, dir, 0, 0, "cannot create the directory: %s",
				strerror(errno));
		return ALLOT_EIO;
	}
	int rc = ALLOT_OK;
	for (int i = 0; i < SC_NTABS && rc == ALLOT_OK; i++) {
		const struct sc_table *t = &allot_sc_tables[i];
		if (t->present_bit < 0 || (s->present & (1u << t->present_bit)) || sc_nrows(t, s)) {
			rc = write_file(dir, t->file, diags, emit_csv, s, t);
			continue;
		}
		char *path = mem_path_join(dir, t->file);
		if (!path)
			return ALLOT_ENOMEM;
		if (unlink(path) != 0 && errno != ENOENT) {
			allot_diags_add(diags, path, 0, 0, "cannot remove a stale file: %s",
					strerror(errno));
			rc = ALLOT_EIO;
		}
		mem_free(path);
	}
	const char *policy = s->policy_file && s->policy_file[0] ? s->policy_file : "policy.json";
	if (rc == ALLOT_OK)
		rc = write_file(dir, policy, diags, emit_policy, s, NULL);
	if (rc == ALLOT_OK)
		rc = write_file(dir, "scenario.json", diags, emit_scenario, s, policy);
	return rc;
}
