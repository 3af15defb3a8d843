/*
 * minerals.c - months of cover per critical mineral (`allot minerals`,
 * docs/report.md).
 *
 * The planned draw on a mineral is what the plan would take if minerals
 * never ran short: the scenario is planned once more with its bills of
 * materials set aside (same policy, switch, capacity, caps and blocks), and
 * each month's draw is the units that plan produces times grams per unit.
 * Months of cover are then counted month by month from as_of, the way the
 * planner moves stock (supply of month t first, then the draw):
 *
 *   stock alone  no supply at all;
 *   supply       every source's supply, no embargo;
 *   one embargo  every source's supply except the embargoed source's for
 *                the embargoed mineral(s) in the embargo's months.
 *
 * The cover is the number of whole months whose draw the stock meets; -1
 * when it meets every month of the horizon.  For the stock-alone case the
 * first month that falls short is also walked in the chosen policy's key
 * order, as the planner would: the orders cut that month are the ones a
 * shortfall hits first (the last in key order lose first).
 */
#include <allot/allot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "answers/report_int.h"
#include "util/mem.h"

void allot_minerals_free(struct allot_minerals *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_cases; i++) {
		mem_free(m->cases[i].label);
		mem_free(m->cases[i].embargo.source);
	}
	mem_free(m->cases);
	for (size_t i = 0; i < m->n; i++) {
		mem_free(m->m[i].cover);
		mem_free(m->m[i].hits);
		mem_free(m->m[i].hit_systems);
	}
	mem_free(m->m);
	mem_free(m);
}

/* "china", "china (gallium)", with its months: "china 2026-01..2027-12". */
static char *embargo_label(const struct allot_scenario *s, const struct allot_embargo *e)
{
	char a[8], b[8], buf[256];
	allot_month_format(e->start_month, a);
	allot_month_format(e->end_month, b);
	const char *min = e->mineral >= 0 ? s->minerals[e->mineral].mineral_id : "";
	snprintf(buf, sizeof buf, "embargo %s%s%s%s %s..%s", e->source, *min ? " (" : "", min,
		 *min ? ")" : "", a, b);
	return mem_strdup(buf);
}

static int add_cases(const struct allot_scenario *s, const struct allot_embargo *extra,
		     size_t n_extra, struct allot_minerals *out)
{
	size_t n = 2 + s->n_embargoes + n_extra;
	out->cases = mem_calloc(n, sizeof *out->cases);
	if (!out->cases)
		return ALLOT_ENOMEM;
	out->n_cases = n;
	out->cases[0].kind = ALLOT_CASE_STOCK;
	out->cases[0].embargo.mineral = out->cases[1].embargo.mineral = -1;
	out->cases[0].label = mem_strdup("stock alone");
	out->cases[1].kind = ALLOT_CASE_SUPPLY;
	out->cases[1].label = mem_strdup("supply");
	for (size_t i = 0; i < s->n_embargoes + n_extra; i++) {
		struct allot_cover_case *c = &out->cases[2 + i];
		const struct allot_embargo *e = i < s->n_embargoes ? &s->embargoes[i]
								   : &extra[i - s->n_embargoes];
		c->kind = ALLOT_CASE_EMBARGO;
		c->hypothetical = i >= s->n_embargoes;
		c->embargo = *e;
		c->embargo.source = mem_strdup(e->source);
		c->label = embargo_label(s, e);
		if (!c->embargo.source)
			return ALLOT_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (!out->cases[i].label)
			return ALLOT_ENOMEM;
	return ALLOT_OK;
}

/* Plans s with minerals set aside: a shallow copy without bills. */
static int plan_unconstrained(const struct allot_scenario *s, const struct allot_plan_options *o,
			      struct allot_scenario *copy, struct allot_plan **out)
{
	*copy = *s;
	copy->bom = NULL;
	copy->n_bom = 0;
	struct allot_plan_options po = *o;
	po.record_allocations = 1;
	po.trace_order = -1;
	return allot_plan_run(copy, &po, out);
}

/* Grams of each mineral per unit of each system (systems x minerals). */
static int64_t *bom_matrix(const struct allot_scenario *s)
{
	int64_t *g = mem_calloc(
		(s->n_systems ? s->n_systems : 1) * (s->n_minerals ? s->n_minerals : 1), sizeof *g);
	if (!g)
		return NULL;
	for (size_t i = 0; i < s->n_bom; i++)
		g[(size_t)s->bom[i].system * s->n_minerals + (size_t)s->bom[i].mineral] +=
			s->bom[i].g_per_unit;
	return g;
}

/* Supply of mineral m in relative month t under a case. */
static int64_t supply_in(const struct allot_scenario *s, const struct allot_cover_case *c, int m,
			 int t)
{
	int64_t g = 0;
	if (c->kind == ALLOT_CASE_STOCK)
		return 0;
	allot_month when = s->as_of + t;
	for (size_t i = 0; i < s->n_supply; i++) {
		const struct allot_supply *sp = &s->supply[i];
		if (sp->mineral != m)
			continue;
		if (c->kind == ALLOT_CASE_EMBARGO && strcmp(sp->source, c->embargo.source) == 0 &&
		    (c->embargo.mineral < 0 || c->embargo.mineral == m) &&
		    when >= c->embargo.start_month &&
		    (c->embargo.end_month == ALLOT_NO_MONTH || when <= c->embargo.end_month))
			continue;
		g += sp->g_per_month;
	}
	return g;
}

/* Whole months the stock meets the draw; -1 when it meets the horizon.
 * *left receives the stock before the draw of the first short month. */
static int cover_months(const struct allot_scenario *s, const struct allot_cover_case *c, int m,
			const int64_t *draw, int64_t *left)
{
	int64_t stock = s->minerals[m].stock_g;
	for (int t = 0; t < s->horizon_months; t++) {
		stock += supply_in(s, c, m, t);
		if (stock < draw[t]) {
			*left = stock;
			return t;
		}
		stock -= draw[t];
	}
	*left = stock;
	return -1;
}

/* The key order in force in relative month t (docs/allocation.md). */
struct key_ctx {
	const struct allot_plan *p;
	int priority;
};

static int key_cmp(const struct key_ctx *k, int32_t a, int32_t b)
{
	const struct allot_scenario *s = k->p->scenario;
	const struct allot_order *x = &s->orders[a], *y = &s->orders[b];
	if (k->priority) {
		const struct allot_score *sx = &k->p->score0[x->partner];
		const struct allot_score *sy = &k->p->score0[y->partner];
		if (sx->tier != sy->tier)
			return sx->tier < sy->tier ? -1 : 1;
		if (sx->score != sy->score)
			return sx->score > sy->score ? -1 : 1;
	}
	if (x->loa_month != y->loa_month)
		return x->loa_month < y->loa_month ? -1 : 1;
	return strcmp(x->order_id, y->order_id);
}

int report_priority_in(const struct allot_plan *p, int t)
{
	if (p->policy != ALLOT_POLICY_PRIORITY)
		return 0;
	if (p->switch_month == ALLOT_NO_MONTH)
		return 1;
	return p->scenario->as_of + t >= p->switch_month;
}

/* Insertion into a sorted run: the hit lists are short (one month's
 * consumers of one mineral). */
static void sort_by_key(const struct key_ctx *k, struct allot_cover_hit *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct allot_cover_hit x = v[i];
		size_t j = i;
		while (j > 0 && key_cmp(k, v[j - 1].order, x.order) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* Walks the consumers of mineral m in month t in key order with `left`
 * grams, records those cut, last in key order first. */
static int find_hits(const struct allot_plan *up, const int64_t *bom, int m, int t, int64_t left,
		     struct allot_mineral_cover *mc)
{
	const struct allot_scenario *s = up->scenario;
	size_t n = 0;
	for (size_t i = 0; i < up->n_allocs; i++) {
		const struct allot_alloc *a = &up->allocs[i];
		if (a->month == t && allot_alloc_on_line(s, a) &&
		    bom[(size_t)s->orders[a->order].system * s->n_minerals + m] > 0)
			n++;
	}
	struct allot_cover_hit *v = mem_calloc(n ? n : 1, sizeof *v);
	if (!v)
		return ALLOT_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < up->n_allocs; i++) {
		const struct allot_alloc *a = &up->allocs[i];
		if (a->month == t && allot_alloc_on_line(s, a) &&
		    bom[(size_t)s->orders[a->order].system * s->n_minerals + m] > 0) {
			v[k].order = a->order;
			v[k].units_cut = a->units; /* for now: the units wanted */
			k++;
		}
	}
	struct key_ctx kc = { up, report_priority_in(up, t) };
	sort_by_key(&kc, v, n);
	size_t hit = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t g = bom[(size_t)s->orders[v[i].order].system * s->n_minerals + m];
		int64_t want = v[i].units_cut;
		int64_t take = left / g < want ? left / g : want;
		left -= take * g;
		v[i].units_cut = want - take;
		if (v[i].units_cut > 0)
			v[hit++] = v[i];
	}
	/* Last in key order first. */
	for (size_t i = 0; i < hit / 2; i++) {
		struct allot_cover_hit x = v[i];
		v[i] = v[hit - 1 - i];
		v[hit - 1 - i] = x;
	}
	mc->hits = v;
	mc->n_hits = hit;
	mc->hit_systems = mem_calloc(hit ? hit : 1, sizeof *mc->hit_systems);
	if (!mc->hit_systems)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < hit; i++) {
		int y = s->orders[v[i].order].system;
		size_t j = 0;
		while (j < mc->n_hit_systems && mc->hit_systems[j] != y)
			j++;
		if (j == mc->n_hit_systems)
			mc->hit_systems[mc->n_hit_systems++] = y;
	}
	return ALLOT_OK;
}

/* Draw of every mineral per month (minerals x horizon), grams. */
static int64_t *draw_matrix(const struct allot_plan *up, const int64_t *bom)
{
	const struct allot_scenario *s = up->scenario;
	size_t H = (size_t)s->horizon_months, M = s->n_minerals;
	int64_t *d = mem_calloc((M ? M : 1) * (H ? H : 1), sizeof *d);
	if (!d)
		return NULL;
	for (size_t i = 0; i < up->n_allocs; i++) {
		const struct allot_alloc *a = &up->allocs[i];
		if (!allot_alloc_on_line(s, a))
			continue; /* work in progress, or not supplied new: no draw */
		const int64_t *row = bom + (size_t)s->orders[a->order].system * M;
		for (size_t m = 0; m < M; m++)
			if (row[m])
				d[m * H + (size_t)a->month] += a->units * row[m];
	}
	return d;
}

static int fill_mineral(const struct allot_plan *up, const int64_t *bom, const int64_t *draw, int m,
			struct allot_minerals *out)
{
	const struct allot_scenario *s = up->scenario;
	struct allot_mineral_cover *mc = &out->m[m];
	int H = s->horizon_months;
	mc->mineral = m;
	mc->stock_g = s->minerals[m].stock_g;
	mc->shortfall_month = -1;
	for (size_t i = 0; i < s->n_supply; i++)
		if (s->supply[i].mineral == m)
			mc->supply_g_month += s->supply[i].g_per_month;
	int64_t first = 0;
	for (int t = 0; t < H; t++) {
		mc->draw_total_g += draw[t];
		if (t < out->demand_months)
			first += draw[t];
	}
	mc->demand_g_month = out->demand_months ? (double)first / out->demand_months : 0;
	mc->cover = mem_calloc(out->n_cases, sizeof *mc->cover);
	if (!mc->cover)
		return ALLOT_ENOMEM;
	for (size_t c = 0; c < out->n_cases; c++) {
		int64_t left;
		mc->cover[c] = cover_months(s, &out->cases[c], m, draw, &left);
		if (c == 0 && mc->cover[c] >= 0) {
			mc->shortfall_month = mc->cover[c];
			mc->shortfall_g = draw[mc->cover[c]] - left;
			int rc = find_hits(up, bom, m, mc->cover[c], left, mc);
			if (rc != ALLOT_OK)
				return rc;
		}
	}
	return ALLOT_OK;
}

int allot_minerals_run(const struct allot_scenario *s, const struct allot_plan_options *o,
		       const struct allot_embargo *extra, size_t n_extra,
		       struct allot_minerals **out)
{
	struct allot_scenario copy;
	struct allot_plan *up = NULL;
	int64_t *bom = NULL, *draw = NULL;
	struct allot_minerals *r = mem_calloc(1, sizeof *r);
	int rc = ALLOT_ENOMEM;
	if (!r)
		goto done;
	r->demand_months = s->horizon_months < 12 ? s->horizon_months : 12;
	if ((rc = add_cases(s, extra, n_extra, r)) != ALLOT_OK)
		goto done;
	if ((rc = plan_unconstrained(s, o, &copy, &up)) != ALLOT_OK)
		goto done;
	up->scenario = s; /* report the real scenario: same orders and systems */
	rc = ALLOT_ENOMEM;
	if (!(bom = bom_matrix(s)) || !(draw = draw_matrix(up, bom)))
		goto done;
	r->m = mem_calloc(s->n_minerals ? s->n_minerals : 1, sizeof *r->m);
	if (!r->m)
		goto done;
	r->n = s->n_minerals;
	rc = ALLOT_OK;
	for (size_t m = 0; m < s->n_minerals && rc == ALLOT_OK; m++)
		rc = fill_mineral(up, bom, draw + m * (size_t)s->horizon_months, (int)m, r);
done:
	allot_plan_free(up);
	mem_free(bom);
	mem_free(draw);
	if (rc != ALLOT_OK) {
		allot_minerals_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}

/* --- one rendering: the columns of every face (issue 14) ------------------ */

const char *const allot_mineral_columns[ALLOT_MINERAL_NCOL] = {
	"mineral_id",    "name",          "stock_kg",        "supply_kg_month",
	"draw_kg_month", "draw_total_kg", "shortfall_month", "shortfall_kg",
	"orders_cut",    "first_cut",     "systems_cut",
};

void allot_mineral_cells(const struct allot_scenario *s, const struct allot_mineral_cover *mc,
			 struct allot_cell c[ALLOT_MINERAL_NCOL],
			 char sys[ALLOT_MINERAL_SYSTEMS_MAX])
{
	size_t n = 0;
	sys[0] = '\0';
	for (size_t k = 0; k < mc->n_hit_systems && n < ALLOT_MINERAL_SYSTEMS_MAX; k++)
		n += (size_t)snprintf(sys + n, ALLOT_MINERAL_SYSTEMS_MAX - n, "%s%s", k ? " " : "",
				      s->systems[mc->hit_systems[k]].system_id);
	c[10] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = sys };
	const struct allot_mineral *mn = &s->minerals[mc->mineral];
	int short_known = mc->shortfall_month >= 0;
	c[0] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = mn->mineral_id };
	c[1] = (struct allot_cell){ .kind = ALLOT_CELL_STR, .s = mn->name };
	c[2] = (struct allot_cell){ .kind = ALLOT_CELL_NUM,
				    .v = (double)mc->stock_g / 1000,
				    .fmt = "%.3f" };
	c[3] = (struct allot_cell){ .kind = ALLOT_CELL_NUM,
				    .v = (double)mc->supply_g_month / 1000,
				    .fmt = "%.3f" };
	c[4] = (struct allot_cell){ .kind = ALLOT_CELL_NUM,
				    .v = mc->demand_g_month / 1000,
				    .fmt = "%.1f" };
	c[5] = (struct allot_cell){ .kind = ALLOT_CELL_NUM,
				    .v = (double)mc->draw_total_g / 1000,
				    .fmt = "%.3f" };
	c[6] = (struct allot_cell){ .kind = ALLOT_CELL_MONTH,
				    .m = short_known ? s->as_of + mc->shortfall_month
						     : ALLOT_NO_MONTH };
	c[7] = short_known ? (struct allot_cell){ .kind = ALLOT_CELL_NUM,
						  .v = (double)mc->shortfall_g / 1000,
						  .fmt = "%.3f" }
			   : (struct allot_cell){ .kind = ALLOT_CELL_NULL };
	c[8] = (struct allot_cell){ .kind = ALLOT_CELL_INT, .i = (int64_t)mc->n_hits };
	c[9] = mc->n_hits ? (struct allot_cell){ .kind = ALLOT_CELL_STR,
						 .s = s->orders[mc->hits[0].order].order_id }
			  : (struct allot_cell){ .kind = ALLOT_CELL_NULL };
}

/* stock_alone, with_supply, no_SOURCE[_MINERAL]; _2, _3 ... after a key
 * already taken. */
static void case_base(const struct allot_scenario *s, const struct allot_cover_case *cc,
		      char out[ALLOT_CASE_KEY_MAX])
{
	if (cc->kind == ALLOT_CASE_STOCK) {
		snprintf(out, ALLOT_CASE_KEY_MAX, "stock_alone");
	} else if (cc->kind == ALLOT_CASE_SUPPLY) {
		snprintf(out, ALLOT_CASE_KEY_MAX, "with_supply");
	} else {
		const char *min =
			cc->embargo.mineral >= 0 ? s->minerals[cc->embargo.mineral].mineral_id : "";
		snprintf(out, ALLOT_CASE_KEY_MAX, "no_%.24s%s%.24s", cc->embargo.source,
			 *min ? "_" : "", min);
	}
}

void allot_minerals_case_key(const struct allot_scenario *s, const struct allot_minerals *m,
			     size_t c, char key[ALLOT_CASE_KEY_MAX])
{
	case_base(s, &m->cases[c], key);
	int dup = 1;
	for (size_t d = 0; d < c; d++) {
		char other[ALLOT_CASE_KEY_MAX];
		case_base(s, &m->cases[d], other);
		dup += strcmp(other, key) == 0;
	}
	if (dup > 1) {
		size_t l = strlen(key);
		snprintf(key + l, ALLOT_CASE_KEY_MAX - l, "_%d", dup);
	}
}

json_t *allot_minerals_json(const struct allot_plan_options *o, const struct allot_scenario *s,
			    const struct allot_minerals *m, size_t max_hits)
{
	static const char *const kinds[] = { "stock", "supply", "embargo" };
	json_t *cases = json_array(), *arr = json_array();
	for (size_t k = 0; cases && k < m->n_cases; k++) {
		char key[ALLOT_CASE_KEY_MAX];
		allot_minerals_case_key(s, m, k, key);
		json_array_append_new(cases,
				      json_pack("{s:s, s:s, s:s, s:b}", "key", key, "kind",
						kinds[m->cases[k].kind], "label", m->cases[k].label,
						"hypothetical", m->cases[k].hypothetical));
	}
	for (size_t i = 0; arr && i < m->n; i++) {
		const struct allot_mineral_cover *mc = &m->m[i];
		struct allot_cell c[ALLOT_MINERAL_NCOL];
		char sys[ALLOT_MINERAL_SYSTEMS_MAX];
		allot_mineral_cells(s, mc, c, sys);
		json_t *row = allot_cells_json(allot_mineral_columns, c, ALLOT_MINERAL_NCOL);
		/* what the stock rests on, only when stated (minerals.csv) */
		int sb = s->minerals[mc->mineral].stock_basis;
		if (row && sb != ALLOT_RATE_UNSTATED)
			json_object_set_new(
				row, "stock_basis",
				json_string(allot_rate_basis_name((enum allot_rate_basis)sb)));
		json_t *cover = json_array(), *hits = json_array();
		for (size_t k = 0; cover && k < m->n_cases; k++)
			json_array_append_new(cover, mc->cover[k] < 0 ? json_null()
								      : json_integer(mc->cover[k]));
		for (size_t k = 0; hits && k < mc->n_hits && k < max_hits; k++) {
			const struct allot_order *od = &s->orders[mc->hits[k].order];
			json_array_append_new(
				hits, json_pack("{s:s, s:s, s:I}", "order_id", od->order_id, "iso3",
						s->partners[od->partner].iso3, "units_cut",
						(json_int_t)mc->hits[k].units_cut));
		}
		if (row) {
			json_object_set_new(row, "cover_months", cover ? cover : json_null());
			json_object_set_new(row, "hits", hits ? hits : json_null());
		} else {
			json_decref(cover);
			json_decref(hits);
		}
		json_array_append_new(arr, row ? row : json_null());
	}
	allot_month sw = o->switch_month != ALLOT_NO_MONTH ? o->switch_month : s->switch_month;
	json_t *j = json_pack("{s:s, s:s, s:o, s:o, s:o, s:i, s:o, s:o}", "scenario", s->name,
			      "policy", allot_policy_kind_name(o->policy), "switch_month",
			      allot_switch_month_json(sw), "as_of", allot_month_json(s->as_of),
			      "horizon_end", allot_month_json(s->as_of + s->horizon_months),
			      "demand_months", m->demand_months, "cases",
			      cases ? cases : json_null(), "minerals", arr ? arr : json_null());
	return j;
}
