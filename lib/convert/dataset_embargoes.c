/*
 * dataset_embargoes.c - embargoes.csv of the dataset from the hand-typed,
 * cited data/sources/embargoes.csv (source,mineral_id,start_month,
 * end_month,citation): real, dated export bans on a supply source.  The
 * source must be one of supply.csv's and the mineral one of minerals.csv's
 * (`*` for every mineral); an empty end_month lasts to the horizon.  Rows
 * keep their file order.
 */
#include "convert/dataset.h"

#include <string.h>

#include "util/mem.h"

enum { EM_SOURCE, EM_MINERAL, EM_START, EM_END, EM_CITE };
static const char *const embargo_cols[] = {
	"source", "mineral_id", "start_month", "end_month", "citation", NULL,
};

static const char *supply_source(const struct allot_scenario *s, const char *name)
{
	for (size_t i = 0; i < s->n_supply; i++)
		if (strcmp(s->supply[i].source, name) == 0)
			return s->supply[i].source;
	return NULL;
}

static int add_embargo(struct ds *ds, const struct ds_table *t, size_t row)
{
	struct allot_scenario *s = ds->s;
	long line = t->t.rows[row].line;
	const char *src = ds_field(t, row, EM_SOURCE), *min = ds_field(t, row, EM_MINERAL);
	const char *start = ds_field(t, row, EM_START), *end = ds_field(t, row, EM_END);
	struct allot_embargo e = { NULL, -1, ALLOT_NO_MONTH, ALLOT_NO_MONTH };
	if (!supply_source(s, src)) {
		allot_diags_add(ds->d, t->path, line, ds_colno(t, row, EM_SOURCE),
				"expected a source of the dataset's supply.csv, found '%s'", src);
		return ALLOT_EINPUT;
	}
	if (strcmp(min, "*") != 0 && (e.mineral = allot_scenario_find_mineral(s, min)) < 0) {
		allot_diags_add(ds->d, t->path, line, ds_colno(t, row, EM_MINERAL),
				"expected a mineral of the dataset or *, found '%s'", min);
		return ALLOT_EINPUT;
	}
	if (allot_month_parse(start, &e.start_month) != 0) {
		allot_diags_add(ds->d, t->path, line, ds_colno(t, row, EM_START),
				"expected a month YYYY-MM, found '%s'", start);
		return ALLOT_EINPUT;
	}
	if (*end && (allot_month_parse(end, &e.end_month) != 0 || e.end_month < e.start_month)) {
		allot_diags_add(ds->d, t->path, line, ds_colno(t, row, EM_END),
				"expected a month YYYY-MM not before start_month, or nothing, "
				"found '%s'",
				end);
		return ALLOT_EINPUT;
	}
	if (ds_push(&s->embargoes, s->n_embargoes, sizeof *s->embargoes))
		return ALLOT_ENOMEM;
	e.source = mem_strdup(src);
	s->embargoes[s->n_embargoes++] = e;
	if (!e.source)
		return ALLOT_ENOMEM;
	s->present |= 1u << ALLOT_FILE_EMBARGOES;
	buf_printf(&ds->md, "| %s | %s | %s | %s | %s |\n", src, min, start,
		   *end ? end : "(horizon)", ds_field(t, row, EM_CITE));
	return ALLOT_OK;
}

int ds_embargoes(struct ds *ds)
{
	struct ds_table t;
	int rc = ds_table_load(ds, ds->dirs->sources, "embargoes.csv", embargo_cols, &t);
	if (rc == ALLOT_OK)
		buf_puts(&ds->md,
			 "\n### Embargoes (embargoes.csv)\n\n"
			 "| source | mineral | from | to | citation |\n|---|---|---|---|---|\n");
	for (size_t i = 1; rc == ALLOT_OK && i < t.t.n; i++)
		rc = add_embargo(ds, &t, i);
	ds_table_free(&t);
	return rc;
}
