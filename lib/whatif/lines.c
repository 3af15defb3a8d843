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
#include <stdio.h>
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
		for (int k = 0; k < 2; k++) {
			const struct allot_scenario *sk = p[k]->scenario;
			for (size_t i = 0; i < sk->n_orders; i++) {
				const struct allot_order *o = &sk->orders[i];
				if ((size_t)sk->systems[o->system].line != l)
					continue;
				w.open_units[k] += o->qty - o->delivered;
				w.off_line_units[k] += allot_plan_offline(p[k], i).units;
			}
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

const char *allot_whatif_line_off(const struct allot_whatif_line *x, char *buf, size_t size)
{
	char o[2][32], f[2][32];
	buf[0] = '\0';
	if (!x->off_line_units[0] && !x->off_line_units[1])
		return buf;
	for (int k = 0; k < 2; k++) {
		allot_fmt_grouped(x->open_units[k], o[k]);
		allot_fmt_grouped(x->off_line_units[k], f[k]);
	}
	if (x->open_units[0] == x->open_units[1] && x->off_line_units[0] == x->off_line_units[1])
		snprintf(buf, size,
			 "; of their %s units open at as_of, %s are off the line (in production at "
			 "as_of, or not supplied new) and deliver on their own schedule",
			 o[1], f[1]);
	else
		snprintf(buf, size,
			 "; of their %s and %s units open at as_of, %s and %s are off the line (in "
			 "production at as_of, or not supplied new) and deliver on their own "
			 "schedule",
			 o[0], o[1], f[0], f[1]);
	return buf;
}

json_t *allot_whatif_lines_json(const struct allot_scenario *s, const struct allot_whatif_lines *w)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < w->n; i++) {
		const struct allot_whatif_line *x = &w->v[i];
		json_array_append_new(
			arr, json_pack("{s:s, s:s?, s:[I,I], s:[I,I], s:[I,I], s:[I,I], s:[I,I]}",
				       "line_id", s->lines[x->line].line_id, "name",
				       s->lines[x->line].name, "foreign_capacity",
				       (json_int_t)x->foreign_capacity[0],
				       (json_int_t)x->foreign_capacity[1], "foreign_used",
				       (json_int_t)x->foreign_used[0],
				       (json_int_t)x->foreign_used[1], "foreign_idle",
				       (json_int_t)(x->foreign_capacity[0] - x->foreign_used[0]),
				       (json_int_t)(x->foreign_capacity[1] - x->foreign_used[1]),
				       "open_units", (json_int_t)x->open_units[0],
				       (json_int_t)x->open_units[1], "off_line_units",
				       (json_int_t)x->off_line_units[0],
				       (json_int_t)x->off_line_units[1]));
	}
	return arr ? json_pack("{s:i, s:o}", "year", w->year, "lines", arr) : NULL;
}
