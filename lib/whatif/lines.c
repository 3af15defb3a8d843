/*
 * lines.c - what a what-if does to the lines its changes name
 * (docs/whatif.md, "Lines"): for each line a --rate, --us-share or
 * --invest change names, the foreign capacity F(t) the planner opened
 * (the line's rate less the US share, plus added rates) and the units
 * foreign orders took of it, summed from as_of to the end of a year,
 * without and with the changes.  It says when a change to a line moves
 * nothing because foreign orders do not fill the line.
 */
#include <allot/allot.h>

#include <jansson.h>
#include <string.h>

#include "util/mem.h"

static int named(const struct allot_scenario *s, size_t l, const struct allot_change *ch, size_t n)
{
	const char *id = s->lines[l].line_id;
	for (size_t k = 0; k < n; k++) {
		const struct allot_change *c = &ch[k];
		if (((c->kind == ALLOT_CHG_RATE || c->kind == ALLOT_CHG_US_SHARE) &&
		     strcmp(c->id, id) == 0) ||
		    (c->kind == ALLOT_CHG_INVEST && strcmp(c->id2, id) == 0))
			return 1;
	}
	return 0;
}

int allot_whatif_lines(const struct allot_plan *without, const struct allot_plan *with, int year,
		       const struct allot_change *ch, size_t n, struct allot_whatif_lines *out)
{
	const struct allot_plan *p[2] = { without, with };
	const struct allot_scenario *s = without->scenario;
	memset(out, 0, sizeof *out);
	if (with->scenario->n_lines != s->n_lines)
		return ALLOT_EINPUT;
	size_t H = (size_t)s->horizon_months;
	long end = (long)year * 12 + 12 - (long)s->as_of; /* months before January year+1 */
	size_t upto = end <= 0 ? 0 : (size_t)end < H ? (size_t)end : H;
	out->year = year;
	for (size_t l = 0; l < s->n_lines; l++) {
		if (!named(s, l, ch, n))
			continue;
		struct allot_whatif_line w = { .line = l };
		for (int k = 0; k < 2; k++)
			for (size_t t = 0; t < upto; t++) {
				w.foreign_capacity[k] += p[k]->capacity[l * H + t];
				w.foreign_used[k] += p[k]->used[l * H + t];
			}
		struct allot_whatif_line *v = mem_reallocarray(out->v, out->n + 1, sizeof *v);
		if (!v) {
			allot_whatif_lines_free(out);
			return ALLOT_ENOMEM;
		}
		out->v = v;
		v[out->n++] = w;
	}
	return ALLOT_OK;
}

void allot_whatif_lines_free(struct allot_whatif_lines *w)
{
	mem_free(w->v);
	memset(w, 0, sizeof *w);
}

json_t *allot_whatif_lines_json(const struct allot_scenario *s, const struct allot_whatif_lines *w)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < w->n; i++) {
		const struct allot_whatif_line *x = &w->v[i];
		json_array_append_new(
			arr, json_pack("{s:s, s:s?, s:[I,I], s:[I,I], s:[I,I]}", "line_id",
				       s->lines[x->line].line_id, "name", s->lines[x->line].name,
				       "foreign_capacity", (json_int_t)x->foreign_capacity[0],
				       (json_int_t)x->foreign_capacity[1], "foreign_used",
				       (json_int_t)x->foreign_used[0],
				       (json_int_t)x->foreign_used[1], "foreign_idle",
				       (json_int_t)(x->foreign_capacity[0] - x->foreign_used[0]),
				       (json_int_t)(x->foreign_capacity[1] - x->foreign_used[1])));
	}
	return arr ? json_pack("{s:i, s:o}", "year", w->year, "lines", arr) : NULL;
}
