/*
 * plan_setup.c - builds the planner's state from a scenario (queues, mineral
 * components, the dated actions) and turns the final state into a plan.
 * The month loop itself is in plan.c.
 */
#define _GNU_SOURCE /* qsort_r */
#include <allot/allot.h>

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "plan_int.h"
#include "util/mem.h"

/* Loops over a million orders that read one array at random (an index
 * known from a sequential array) ask for the element this many iterations
 * ahead, so that the cache misses overlap instead of queueing. */
#define AHEAD          16
#define PREFETCH(addr) __builtin_prefetch(addr)

/* ---------------------------------------------------------------------- */
/* Memory: plain, or the workspace's blocks in the order they are asked for */

/* A fresh zeroed block; a big one asks for huge pages (mem_hint_huge):
 * the walk reads 2,000 queue heads and their order records each month, on
 * as many different pages, and a TLB miss in a virtual machine costs
 * several memory reads. */
static void *fresh(size_t bytes)
{
	void *p = mem_calloc(bytes, 1);
	mem_hint_huge(p, bytes);
	return p;
}

static void *ws_take(struct ws_block *b, size_t bytes)
{
	if (b->p && b->bytes >= bytes) {
		memset(b->p, 0, bytes);
		return b->p;
	}
	mem_free(b->p);
	b->p = fresh(bytes);
	b->bytes = b->p ? bytes : 0;
	return b->p;
}

/* calloc(n, size) for the planner's own arrays, freed by plan_free or, with
 * a workspace, kept in it for the next run. */
static void *plan_calloc(struct planner *P, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	size_t bytes = n && size ? n * size : 1;
	struct allot_plan_workspace *w = P->ws;
	if (!w)
		return fresh(bytes);
	if (w->next == w->n) {
		if (mem_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v) != 0)
			return NULL;
		w->v[w->n++] = (struct ws_block){ NULL, 0 };
	}
	return ws_take(&w->v[w->next++], bytes);
}

static void plan_free(struct planner *P, void *p)
{
	if (!P->ws)
		mem_free(p);
}

static void ws_keep(struct ws_block *b, void *p, size_t bytes)
{
	mem_free(b->p);
	*b = (struct ws_block){ p, p ? bytes : 0 };
}

/* An array of the plan: from a recycled plan's when there is one.  The
 * plan owns it from here on. */
static void *out_calloc(struct planner *P, int k, size_t n, size_t size)
{
	struct allot_plan_workspace *w = P->ws;
	if (size && n > SIZE_MAX / size)
		return NULL;
	if (!w)
		return fresh(n && size ? n * size : 1);
	void *p = ws_take(&w->out[k], n && size ? n * size : 1);
	w->out[k] = (struct ws_block){ NULL, 0 };
	return p;
}

#define NEW(ptr, count)                                                 \
	do {                                                            \
		(ptr) = plan_calloc(P, (size_t)(count), sizeof *(ptr)); \
		if (!(ptr))                                             \
			return ALLOT_ENOMEM;                            \
	} while (0)
/* As NEW, for a function with temporaries of its own: to its nomem label,
 * which frees them. */
#define NEW_OR_OUT(ptr, count)                                          \
	do {                                                            \
		(ptr) = plan_calloc(P, (size_t)(count), sizeof *(ptr)); \
		if (!(ptr))                                             \
			goto nomem;                                     \
	} while (0)
#define NEW_OUT(field, k, count)                                                    \
	do {                                                                        \
		out->field = out_calloc(P, k, (size_t)(count), sizeof *out->field); \
		if (!out->field)                                                    \
			return ALLOT_ENOMEM;                                        \
	} while (0)

/* ---------------------------------------------------------------------- */
/* Order ids: byte order, as ranks                                           */

static int cmp_id(const void *a, const void *b, void *arg)
{
	const struct allot_order *orders = arg;
	return strcmp(orders[*(const int32_t *)a].order_id, orders[*(const int32_t *)b].order_id);
}

/* idrank[i] is order i's position in byte order of order_id.  Order books
 * usually arrive sorted, so check that first. */
static int rank_ids(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	size_t n = s->n_orders;
	NEW(P->idrank, n);
	int sorted = 1;
	for (size_t i = 1; i < n && sorted; i++)
		sorted = strcmp(s->orders[i - 1].order_id, s->orders[i].order_id) < 0;
	P->ids_sorted = sorted;
	if (sorted) {
		for (size_t i = 0; i < n; i++)
			P->idrank[i] = (uint32_t)i;
		return ALLOT_OK;
	}
	int32_t *idx = mem_alloc((n ? n : 1) * sizeof *idx);
	if (!idx)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < n; i++)
		idx[i] = (int32_t)i;
	qsort_r(idx, n, sizeof *idx, cmp_id, (void *)s->orders);
	for (size_t i = 0; i < n; i++)
		P->idrank[idx[i]] = (uint32_t)i;
	mem_free(idx);
	return ALLOT_OK;
}

/* ---------------------------------------------------------------------- */
/* Minerals: bills per system, and components of lines sharing a mineral    */

static int build_bom(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	NEW(P->bom_start, s->n_systems + 1);
	NEW(P->bom_mineral, s->n_bom);
	NEW(P->bom_g, s->n_bom);
	NEW(P->sys_eeum, s->n_systems);
	NEW(P->sys_dry, s->n_systems);
	for (size_t y = 0; y < s->n_systems; y++)
		P->sys_eeum[y] = s->systems[y].eeum != 0;
	for (size_t i = 0; i < s->n_bom; i++)
		if (s->bom[i].g_per_unit > 0)
			P->bom_start[s->bom[i].system + 1]++;
	for (size_t y = 0; y < s->n_systems; y++)
		P->bom_start[y + 1] += P->bom_start[y];
	int32_t *fill;
	NEW(fill, s->n_systems);
	for (size_t i = 0; i < s->n_bom; i++) {
		const struct allot_bom *b = &s->bom[i];
		if (b->g_per_unit <= 0)
			continue;
		int32_t at = P->bom_start[b->system] + fill[b->system]++;
		P->bom_mineral[at] = b->mineral;
		P->bom_g[at] = b->g_per_unit;
	}
	plan_free(P, fill);
	return ALLOT_OK;
}

static int32_t uf_find(int32_t *parent, int32_t x)
{
	while (parent[x] != x)
		x = parent[x] = parent[parent[x]];
	return x;
}

/* A unit of the month walk on two threads holds this many queues at least
 * (or one component of more): bench_plan's 841 single-queue components
 * make some 27 units, a few microseconds of walk each.  Fewer when the
 * scenario has fewer than 8 * UNIT_QUEUES queues (a small one made to use
 * two threads, as the tests do): an eighth of them, one at least. */
#define UNIT_QUEUES 32

static int cmp_unit_size(const void *a, const void *b, void *arg)
{
	const struct planner *P = arg;
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	int32_t nx = P->comp_start[P->unit_comp[x + 1]] - P->comp_start[P->unit_comp[x]],
		ny = P->comp_start[P->unit_comp[y + 1]] - P->comp_start[P->unit_comp[y]];
	if (nx != ny)
		return nx > ny ? -1 : 1;
	return (x > y) - (x < y); /* as numbered: queues in memory order */
}

/* Deals the components into units for the month walk on two threads
 * (plan.c, walk_units): a component of UNIT_QUEUES queues or more is a
 * unit alone, and runs of smaller ones between them are cut into units
 * of UNIT_QUEUES queues.  A unit's queues are consecutive, so that its
 * walk prefetches only its own.  Dealt biggest first: the thread that
 * takes the biggest component is not left walking it alone at the end. */
static int build_units(struct planner *P)
{
	int32_t nc = P->n_comps, nu = 0;
	int32_t per = P->nq / 8 < UNIT_QUEUES ? (int32_t)(P->nq / 8) : UNIT_QUEUES;
	if (per < 1)
		per = 1;
	NEW(P->unit_comp, nc + 1);
	for (int32_t c = 0; c < nc;) {
		P->unit_comp[nu++] = c;
		int32_t first = P->comp_start[c];
		if (P->comp_start[c + 1] - first >= per) {
			c++;
			continue;
		}
		while (c < nc && P->comp_start[c + 1] - P->comp_start[c] < per &&
		       P->comp_start[c] - first < per)
			c++;
	}
	P->unit_comp[nu] = nc;
	P->n_units = nu;
	NEW(P->walk_unit, nu ? nu : 1);
	for (int32_t u = 0; u < nu; u++)
		P->walk_unit[u] = u;
	qsort_r(P->walk_unit, (size_t)nu, sizeof *P->walk_unit, cmp_unit_size, P);
	return ALLOT_OK;
}

static int build_components(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	size_t L = s->n_lines;
	int32_t *parent = NULL, *first_line = NULL, *comp_of = NULL, *count = NULL, *nsys = NULL;
	NEW_OR_OUT(P->line_minerals, L);
	NEW_OR_OUT(parent, L);
	NEW_OR_OUT(first_line, s->n_minerals);
	for (size_t l = 0; l < L; l++)
		parent[l] = (int32_t)l;
	for (size_t m = 0; m < s->n_minerals; m++)
		first_line[m] = -1;
	for (size_t y = 0; y < s->n_systems; y++) {
		int32_t line = s->systems[y].line;
		for (int32_t b = P->bom_start[y]; b < P->bom_start[y + 1]; b++) {
			int32_t m = P->bom_mineral[b];
			P->line_minerals[line] = 1;
			if (first_line[m] < 0)
				first_line[m] = line;
			int32_t a = uf_find(parent, first_line[m]), c = uf_find(parent, line);
			if (a != c)
				parent[a > c ? a : c] = a < c ? a : c;
		}
	}
	plan_free(P, first_line);
	first_line = NULL;
	/* Components numbered by their smallest line, lines ascending within;
	 * a line's queues (plan_int.h) are its own or its systems', in index
	 * order. */
	NEW_OR_OUT(comp_of, L);
	NEW_OR_OUT(count, L + 1);
	NEW_OR_OUT(nsys, L);
	for (size_t y = 0; y < s->n_systems; y++)
		nsys[s->systems[y].line]++;
	int32_t nc = 0;
	for (size_t l = 0; l < L; l++) {
		int32_t r = uf_find(parent, (int32_t)l);
		comp_of[l] = r == (int32_t)l ? nc++ : comp_of[r];
		count[comp_of[l] + 1] += P->line_minerals[l] ? nsys[l] : 1;
	}
	P->n_comps = nc;
	NEW_OR_OUT(P->comp_start, nc + 1);
	size_t biggest = 1;
	for (int32_t c = 0; c < nc; c++) {
		P->comp_start[c + 1] = P->comp_start[c] + count[c + 1];
		if ((size_t)count[c + 1] > biggest)
			biggest = (size_t)count[c + 1];
	}
	P->nq = (size_t)P->comp_start[nc];
	NEW_OR_OUT(P->q, P->nq);
	NEW_OR_OUT(P->sys_queue, s->n_systems);
	/* The first queue of each line, then each system's. */
	int32_t *first = nsys;
	memset(count, 0, (L + 1) * sizeof *count);
	for (size_t l = 0; l < L; l++) {
		int32_t c = comp_of[l], k = P->comp_start[c] + count[c];
		int32_t n = P->line_minerals[l] ? nsys[l] : 1;
		first[l] = k;
		count[c] += n;
		for (int32_t j = 0; j < n; j++)
			P->q[k + j] = (struct lineq){ .line = (int32_t)l, .system = -1 };
	}
	for (size_t y = 0; y < s->n_systems; y++) {
		int32_t l = s->systems[y].line;
		int32_t k = P->line_minerals[l] ? first[l]++ : first[l];
		P->sys_queue[y] = k;
		if (P->line_minerals[l])
			P->q[k].system = (int32_t)y;
	}
	NEW_OR_OUT(P->heap, 3 * planner_tree_leaves(biggest)); /* plan.c, walk_component */
	P->biggest = biggest;
	plan_free(P, parent);
	plan_free(P, comp_of);
	plan_free(P, count);
	plan_free(P, nsys);
	return build_units(P);
nomem: /* a failed allocation: the temporaries */
	plan_free(P, parent);
	plan_free(P, first_line);
	plan_free(P, comp_of);
	plan_free(P, count);
	plan_free(P, nsys);
	return ALLOT_ENOMEM;
}

/* ---------------------------------------------------------------------- */
/* Off-line units: work in progress and orders not supplied new             */

static int cmp_alloc_rank(const void *a, const void *b, void *arg)
{
	const struct planner *P = arg;
	const struct allot_alloc *x = a, *y = b;
	uint32_t ix = P->idrank[x->order], iy = P->idrank[y->order];
	if (ix != iy)
		return ix < iy ? -1 : 1;
	return (x->month > y->month) - (x->month < y->month);
}

static void offline_add(struct planner *P, struct allot_alloc *rows, size_t *n, int32_t o,
			int32_t d, int64_t u)
{
	struct offline *f = &P->off[o];
	f->units += u;
	if (d < P->H)
		f->in_h += u;
	if (d < f->first)
		f->first = d;
	if (d > f->last)
		f->last = d;
	int lead = P->s->systems[P->s->orders[o].system].lead_months;
	rows[(*n)++] = (struct allot_alloc){ o, d - lead, u };
}

/* Takes the off-line units out of each order's remaining units and, when
 * rows are kept, records them (in id, then month order, one row per order
 * and month) before the month loop: their months are before as_of or
 * they belong to orders that never enter a line's queue, so the rows of
 * each order stay in month order. */
static int build_offline(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	if (!P->offline)
		return ALLOT_OK;
	size_t N = s->n_orders, n = 0;
	NEW(P->off, N);
	if (!(P->out->offline = mem_calloc(N, sizeof *P->out->offline)))
		return ALLOT_ENOMEM;
	struct allot_alloc *rows = mem_alloc((s->n_wip + N + 1) * sizeof *rows);
	if (!rows)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < N; i++) {
		P->off[i].first = INT32_MAX;
		P->off[i].last = -1;
	}
	for (size_t k = 0; k < s->n_wip; k++) {
		const struct allot_wip *w = &s->wip[k];
		P->off[w->order].wip += w->units;
		offline_add(P, rows, &n, w->order, w->month - P->as_of, w->units);
	}
	for (size_t i = 0; i < N; i++) {
		const struct allot_order *o = &s->orders[i];
		int64_t r = P->os[i].rem - P->off[i].wip;
		if (r < 0)
			r = 0;
		P->os[i].rem = (int32_t)r;
		if (o->supply == ALLOT_SUPPLY_NEW || r == 0)
			continue;
		/* Not supplied new: delivered at once, lead_months after the LOA
		 * (or at its not_before, when later), and not before as_of. */
		int lead = s->systems[o->system].lead_months;
		int32_t d = (int32_t)(planner_order_start(P, (int32_t)i) + lead); /* < 2^17 */
		P->os[i].rem = 0;
		offline_add(P, rows, &n, (int32_t)i, d < 0 ? 0 : d, r);
	}
	int rc = ALLOT_OK;
	if (P->record) {
		qsort_r(rows, n, sizeof *rows, cmp_alloc_rank, P);
		size_t m = 0;
		for (size_t k = 0; k < n; k++) {
			if (rows[k].month >= P->H)
				continue; /* counted as produced after the horizon */
			if (m > 0 && rows[m - 1].order == rows[k].order &&
			    rows[m - 1].month == rows[k].month)
				rows[m - 1].units += rows[k].units;
			else
				rows[m++] = rows[k];
		}
		if (mem_grow(&P->out->allocs, &P->alloc_cap, m, sizeof *rows) != 0)
			rc = ALLOT_ENOMEM;
		else if (m > 0) {
			memcpy(P->out->allocs, rows, m * sizeof *rows);
			P->out->n_allocs = m;
		}
	}
	mem_free(rows);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Queues, partners' orders, dated actions                                   */

/* Room for the orders of the partners that budget caps name (counted per
 * partner in cap_start[p + 1]); build_queues lists them as it deals the
 * orders (cap_list_add), in id order, so that a cap reads no order record. */
static int cap_lists_room(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	for (size_t e = 0; e < s->n_events; e++)
		if (s->events[e].type == ALLOT_EV_BUDGET_CAP)
			P->cap_at[s->events[e].index] = 1;
	for (size_t p = 0; p < s->n_partners; p++) {
		int named = P->cap_at[p] > 0;
		P->cap_at[p] = named ? P->cap_start[p] : -1;
		P->cap_start[p + 1] = P->cap_start[p] + (named ? P->cap_start[p + 1] : 0);
	}
	NEW(P->cap_list, P->cap_start[s->n_partners]);
	return ALLOT_OK;
}

static void cap_list_add(struct planner *P, const struct allot_order *o, uint64_t key, int32_t i)
{
	int32_t *at = &P->cap_at[o->partner];
	if (*at >= 0)
		P->cap_list[(*at)++] =
			(struct ranked){ (uint64_t)o->partner_rank, key, i, o->system };
}

/* Puts a queue's n slots, which arrive in id order, in fcfs-key order: a
 * stable counting sort by LOA month within the queue (in cache), or a
 * sort by key when the queue's months are spread too thin for counting
 * (keys are unique, so both give the one order).  at has 2n + 66 entries. */
static void sort_queue_fcfs(struct slot *v, size_t n, struct slot *tmp, size_t *at)
{
	if (n < 2)
		return;
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t m = v[i].key >> ID_BITS;
		lo = m < lo ? m : lo;
		hi = m > hi ? m : hi;
	}
	size_t span = (size_t)(hi - lo) + 1;
	if (span > 2 * n + 64) {
		qsort(v, n, sizeof *v, planner_cmp_slot);
		return;
	}
	memset(at, 0, (span + 1) * sizeof *at);
	for (size_t i = 0; i < n; i++)
		at[(v[i].key >> ID_BITS) - lo + 1]++;
	for (size_t m = 0; m < span; m++)
		at[m + 1] += at[m];
	for (size_t i = 0; i < n; i++)
		tmp[at[(v[i].key >> ID_BITS) - lo]++] = v[i];
	memcpy(v, tmp, n * sizeof *v);
}

/* The queues [lo, hi) of build_queues' second pass, on either thread
 * (plan_thread.c): each queue sorted in its own slots, its orders' records
 * numbered from its own first state number (first[k]); an order is on one
 * queue, so the threads write disjoint records. */
struct number_job {
	const size_t *first;
	struct ostate *os;
};
#define NUMBER_CHUNK 32
static void number_queues(struct planner *P, void *arg, const struct plan_part *part, size_t lo,
			  size_t hi)
{
	const struct number_job *nj = arg;
	struct ostate *os = nj->os;
	for (size_t k = lo; k < hi; k++) {
		struct lineq *q = &P->q[k];
		sort_queue_fcfs(q->v, q->n, part->sscratch, part->at);
		for (size_t j = 0; j < q->n; j++) {
			struct slot *sl = &q->v[j];
			if (j + AHEAD < q->n)
				PREFETCH(&P->st_of[q->v[j + AHEAD].order]);
			int32_t st = (int32_t)(nj->first[k] + j);
			/* Nothing is produced yet: the record is its units alone. */
			assert(P->os[sl->order].produced == 0 &&
			       P->os[sl->order].first_prod == OS_DEAD);
			os[st] = (struct ostate){ .rem = sl->st, .first_prod = OS_DEAD };
			sl->st = st;
			q->el[j] = planner_eligible(P, sl->key, sl->order);
			P->st_of[sl->order] = st;
		}
	}
}

/* Fills each line's queue with its open orders in fcfs-key order, (loa
 * month, id).  The orders are taken in id order (in their own order, read
 * front to back, when their ids are sorted) and dealt to their queues,
 * then each queue is sorted by LOA month on its own, in cache: no pass
 * over the million orders at random.  Each slot's key starts as the fcfs
 * key.  The orders' state records are then renumbered in queue order
 * (plan_int.h, struct ostate): line by line, each line's queue order,
 * then the orders with no units on a line, in index order. */
static int build_queues(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	size_t N = s->n_orders, NQ = P->nq, *count = NULL, *at = NULL;
	int32_t *byrank = NULL;
	struct ostate *os = NULL;
	NEW_OR_OUT(count, NQ + 1);
	NEW_OR_OUT(P->st_of, N);
	for (size_t i = 0; i < N; i++)
		if (P->os[i].rem > 0)
			count[P->sys_queue[s->orders[i].system] + 1]++;
	size_t longest = 1;
	for (size_t k = 0; k < NQ; k++) {
		if (count[k + 1] > longest)
			longest = count[k + 1];
		count[k + 1] += count[k]; /* now the first state number of queue k + 1 */
	}
	/* All queues in one block each for slots and months (huge pages). */
	NEW_OR_OUT(P->slots, count[NQ]);
	NEW_OR_OUT(P->els, count[NQ]);
	for (size_t k = 0; k < NQ; k++) {
		P->q[k].v = P->slots + count[k];
		P->q[k].el = P->els + count[k];
	}
	NEW_OR_OUT(P->sscratch, longest);
	NEW_OR_OUT(P->escratch, longest);
	P->longest = longest;
	planner_threads_init(P, P->threads, count[NQ]);
	if (N == 0) {
		plan_free(P, count);
		return ALLOT_OK;
	}

	if (!P->ids_sorted) {
		NEW_OR_OUT(byrank, N);
		for (size_t i = 0; i < N; i++)
			byrank[P->idrank[i]] = (int32_t)i;
	}
	NEW_OR_OUT(at, 2 * longest + 66);
	NEW_OR_OUT(os, N);
	for (size_t r = 0; r < N; r++) {
		int32_t i = byrank ? byrank[r] : (int32_t)r;
		if (byrank && r + AHEAD < N) {
			int32_t j = byrank[r + AHEAD];
			PREFETCH(&s->orders[j]);
			PREFETCH(&P->os[j]);
		}
		if (P->os[i].rem == 0)
			continue;
		const struct allot_order *o = &s->orders[i];
		struct lineq *q = &P->q[P->sys_queue[o->system]];
		uint64_t key = (uint64_t)o->loa_month << ID_BITS | (uint64_t)r;
		/* st holds the order's units until the slot has its place */
		q->v[q->n++] = (struct slot){ key, i, P->os[i].rem, o->system, o->partner };
		if (P->cap_at)
			cap_list_add(P, o, key, i);
	}
	struct number_job j = { count, os };
	struct plan_part mine = { P->sscratch, NULL, NULL, at, NULL };
	planner_parallel(P, number_queues, &j, &mine, NQ, NUMBER_CHUNK);
	int32_t idle = (int32_t)count[NQ]; /* orders on no queue */
	for (size_t i = 0; i < N; i++)
		if (P->os[i].rem == 0) {
			P->st_of[i] = idle;
			os[idle++] = P->os[i];
		}
	plan_free(P, P->os);
	P->os = os;
	plan_free(P, count);
	plan_free(P, byrank);
	plan_free(P, at);
	return ALLOT_OK;
nomem: /* a failed allocation: the temporaries */
	plan_free(P, count);
	plan_free(P, byrank);
	plan_free(P, at);
	plan_free(P, os);
	return ALLOT_ENOMEM;
}

/* Each order's max_per_month by state number (after the queues number
 * the states), only when some order has one: a scenario without caps pays
 * one test of P->pace per offer.  Asked for last, so that a workspace
 * hands every other block back as before. */
static int build_pace(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	size_t N = s->n_orders, i = 0;
	while (i < N && s->orders[i].max_per_month <= 0)
		i++;
	if (i == N)
		return ALLOT_OK;
	NEW(P->pace, N);
	for (; i < N; i++)
		P->pace[P->st_of[i]] = s->orders[i].max_per_month; /* serve(): <= 0 is none */
	return ALLOT_OK;
}

static int build_partner_groups(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	NEW(P->prank, s->n_partners);
	NEW(P->key_group, s->n_partners);
	NEW(P->shared, s->n_partners);
	NEW(P->pscratch, s->n_partners);
	NEW(P->gcount, s->n_partners + 1);
	return ALLOT_OK;
}

static int cmp_action(const void *a, const void *b)
{
	const struct action *x = a, *y = b;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void push_action(struct planner *P, allot_month m, int kind, size_t index, int32_t seq)
{
	int64_t rel = (int64_t)m - P->as_of;
	if (rel >= P->H)
		return;
	P->actions[P->n_actions++] =
		(struct action){ rel < 0 ? 0 : (int32_t)rel, seq, kind, (int32_t)index };
}

/* Rows dated before as_of are history in force: they apply at month 0.
 * Within a month: events.csv rows in file order, then investments.csv rows
 * in file order (a row's money before its added rate). */
static int build_actions(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	NEW(P->actions, s->n_events + 2 * s->n_investments);
	int32_t seq = 0;
	for (size_t i = 0; i < s->n_events; i++)
		push_action(P, s->events[i].month, ACT_EVENT, i, seq++);
	for (size_t i = 0; i < s->n_investments; i++) {
		push_action(P, s->investments[i].month, ACT_INVEST_MONEY, i, seq++);
		push_action(P, s->investments[i].online_month, ACT_INVEST_ONLINE, i, seq++);
	}
	qsort(P->actions, P->n_actions, sizeof *P->actions, cmp_action);
	return ALLOT_OK;
}

/* ---------------------------------------------------------------------- */

static int check_limits(const struct allot_scenario *s)
{
	if (s->horizon_months <= 0 || s->horizon_months > 1200)
		return ALLOT_EINPUT;
	if (s->n_orders >= (1u << ID_BITS))
		return ALLOT_ELIMIT;
	return ALLOT_OK; /* and each order's, in init_state */
}

static int alloc_output(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	struct allot_plan *out;
	if (!(out = mem_calloc(1, sizeof *out)))
		return ALLOT_ENOMEM;
	P->out = out;
	out->scenario = s;
	out->policy = P->kind;
	NEW_OUT(orders, WS_ORDERS, s->n_orders);
	NEW_OUT(produced_by_month, WS_PRODUCED, P->H);
	NEW_OUT(capacity, WS_CAPACITY, s->n_lines * (size_t)P->H);
	NEW_OUT(used, WS_USED, s->n_lines * (size_t)P->H);
	NEW_OUT(stock_end, WS_STOCK_END, s->n_minerals * (size_t)P->H);
	NEW_OUT(score0, WS_SCORE0, s->n_partners);
	if (P->ws && P->record) { /* rows are written before they are read */
		struct ws_block *b = &P->ws->out[WS_ALLOCS];
		out->allocs = b->p;
		P->alloc_cap = b->bytes / sizeof *out->allocs;
		*b = (struct ws_block){ NULL, 0 };
	}
	return ALLOT_OK;
}

static int init_state(struct planner *P)
{
	const struct allot_scenario *s = P->s;
	NEW(P->invest, s->n_partners);
	NEW(P->eum, s->n_partners);
	NEW(P->cents, s->n_partners);
	NEW(P->tier, s->n_partners);
	for (size_t p = 0; p < s->n_partners; p++) {
		P->invest[p] = allot_invest_known_or_0(s->partners[p].invest_in_us_usd);
		P->eum[p] = s->partners[p].eum_status;
	}
	P->scores_dirty = 1;
	NEW(P->base_rate, s->n_lines);
	NEW(P->added_rate, s->n_lines);
	NEW(P->share, s->n_lines);
	NEW(P->cum, s->n_lines);
	NEW(P->left, s->n_lines);
	for (size_t l = 0; l < s->n_lines; l++) {
		P->base_rate[l] = s->lines[l].rate_per_month;
		P->share[l] = s->lines[l].us_share;
	}
	NEW(P->stock, s->n_minerals);
	for (size_t m = 0; m < s->n_minerals; m++)
		P->stock[m] = s->minerals[m].stock_g;
	NEW(P->os, s->n_orders);
	NEW(P->cancelled, s->n_orders);
	for (size_t y = 0; y < s->n_systems && !P->cap_unchecked; y++)
		if (!allot_cost_known(s->systems[y].unit_cost_usd))
			NEW(P->cap_unchecked, s->n_orders);
	int32_t *pn = NULL;     /* orders per partner, when some cap needs them */
	int off = s->n_wip > 0; /* allot_scenario_has_offline, in this pass */
	for (size_t e = 0; e < s->n_events && !pn; e++)
		if (s->events[e].type == ALLOT_EV_BUDGET_CAP) {
			NEW(P->cap_start, s->n_partners + 1);
			NEW(P->cap_at, s->n_partners);
			pn = P->cap_start + 1;
		}
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		if (o->loa_month < 0 || o->loa_month >= (1 << LOA_BITS))
			return ALLOT_EINPUT;
		if (pn)
			pn[o->partner]++;
		off |= o->supply != ALLOT_SUPPLY_NEW;
		int64_t r = o->qty - o->delivered;
		if (r > INT32_MAX) /* struct ostate counts an order's units in 32 bits */
			return ALLOT_ELIMIT;
		P->os[i].rem = r > 0 ? (int32_t)r : 0;
		P->os[i].first_prod = OS_DEAD;
		if (allot_order_start(s, i) > (int64_t)o->loa_month - s->as_of)
			P->not_before = 1; /* its not_before holds it past its LOA */
	}
	P->offline = off;
	return pn ? cap_lists_room(P) : ALLOT_OK;
}

int64_t planner_order_start(const struct planner *P, int32_t i)
{
	if (P->not_before) /* some order's not_before binds: the one definition */
		return allot_order_start(P->s, (size_t)i);
	return (int64_t)P->s->orders[i].loa_month - P->as_of;
}

int planner_init(struct planner *P, const struct allot_scenario *s,
		 const struct allot_plan_options *o, struct allot_plan_workspace *ws)
{
	memset(P, 0, sizeof *P);
	P->s = s;
	P->ws = ws;
	if (ws)
		ws->next = 0;
	int rc = check_limits(s);
	if (rc != ALLOT_OK)
		return rc;
	P->H = s->horizon_months;
	P->as_of = s->as_of;
	P->kind = o->policy;
	P->record = o->record_allocations;
	P->threads = o->threads; /* the request; build_queues decides */
	allot_month sw = o->switch_month != ALLOT_NO_MONTH ? o->switch_month : s->switch_month;
	P->switch_rel = sw == ALLOT_NO_MONTH || sw < s->as_of ? 0
			: sw - s->as_of > P->H                ? P->H
							      : (int)(sw - s->as_of);
	if ((rc = allot_policy_copy(&P->pol, &s->policy)) != ALLOT_OK ||
	    (rc = alloc_output(P)) != ALLOT_OK)
		return rc;
	P->out->switch_month = sw;
	if ((rc = init_state(P)) != ALLOT_OK || (rc = rank_ids(P)) != ALLOT_OK ||
	    (rc = build_offline(P)) != ALLOT_OK || (rc = build_bom(P)) != ALLOT_OK ||
	    (rc = build_components(P)) != ALLOT_OK || (rc = build_queues(P)) != ALLOT_OK ||
	    (rc = build_partner_groups(P)) != ALLOT_OK || (rc = build_actions(P)) != ALLOT_OK ||
	    (rc = trace_init(P, o->trace_order)) != ALLOT_OK)
		return rc;
	return build_pace(P);
}

void planner_record_scores(struct planner *P)
{
	for (size_t p = 0; p < P->s->n_partners; p++)
		allot_score_partner(&P->pol, &P->s->partners[p], P->invest[p], P->eum[p],
				    &P->out->score0[p]);
}

/* Orders the allocation rows by order id, then month: a counting sort on
 * the id rank, stable, so each order's rows stay in month order.  The
 * counts are 32-bit when the rows allow (half the memory the two passes
 * touch at random), and the id rank is the order's index when the ids
 * are sorted (one random read less per row and pass). */
#define SORT_PASS(T, RANK)                                                         \
	do {                                                                       \
		T *start = b->start;                                               \
		for (size_t i = 0; i < n; i++) {                                   \
			if (i + AHEAD < n)                                         \
				PREFETCH(&start[RANK(rows[i + AHEAD].order) + 1]); \
			start[RANK(rows[i].order) + 1]++;                          \
		}                                                                  \
		for (size_t r = 0; r < N; r++)                                     \
			start[r + 1] += start[r];                                  \
		for (size_t i = 0; i < n; i++) {                                   \
			if (i + AHEAD < n)                                         \
				PREFETCH(&start[RANK(rows[i + AHEAD].order)]);     \
			sorted[start[RANK(rows[i].order)]++] = rows[i];            \
		}                                                                  \
	} while (0)
#define RANK_OF(o) P->idrank[o]
#define RANK_IS(o) (o)

/* The sort's two blocks: the sorted rows and the zeroed counts. */
struct sort_blocks {
	struct allot_alloc *sorted;
	void *start;
};

/* Takes the sort's blocks, on the thread that called the planner: the
 * sort itself may run on the worker (finish_items), and a block that
 * thread allocated would come from its own malloc arena, where what it
 * frees stays resident beside the caller's (20 MiB more peak RSS for
 * bench_plan in a workspace, docs/performance.md, ninth round review). */
static int sort_blocks_take(struct planner *P, struct sort_blocks *b)
{
	struct allot_plan *pl = P->out;
	size_t n = pl->n_allocs, N = P->s->n_orders;
	*b = (struct sort_blocks){ NULL, NULL };
	if (n == 0) /* rows not kept (a sweep), or none */
		return ALLOT_OK;
	struct ws_block *keep = P->ws ? &P->ws->out[WS_SORTED] : NULL;
	if (keep && keep->bytes >= n * sizeof *b->sorted) {
		b->sorted = keep->p;
		*keep = (struct ws_block){ NULL, 0 };
	} else {
		b->sorted = mem_alloc(n * sizeof *b->sorted);
		mem_hint_huge(b->sorted, n * sizeof *b->sorted); /* as fresh() */
	}
	if (!b->sorted)
		return ALLOT_ENOMEM;
	b->start = plan_calloc(P, N + 1, n >= UINT32_MAX ? sizeof(size_t) : sizeof(uint32_t));
	if (!b->start) {
		mem_free(b->sorted);
		b->sorted = NULL;
		return ALLOT_ENOMEM;
	}
	return ALLOT_OK;
}

/* Sorts the rows into b->sorted, which becomes the plan's rows. */
static void sort_allocs(struct planner *P, const struct sort_blocks *b)
{
	struct allot_plan *pl = P->out;
	size_t n = pl->n_allocs, N = P->s->n_orders;
	const struct allot_alloc *rows = pl->allocs;
	struct allot_alloc *sorted = b->sorted;
	if (n == 0)
		return;
	if (n >= UINT32_MAX)
		SORT_PASS(size_t, RANK_OF);
	else if (P->ids_sorted)
		SORT_PASS(uint32_t, RANK_IS);
	else
		SORT_PASS(uint32_t, RANK_OF);
	struct ws_block *keep = P->ws ? &P->ws->out[WS_SORTED] : NULL;
	if (keep) /* the unsorted rows' block sorts the next plan's */
		ws_keep(keep, pl->allocs, P->alloc_cap * sizeof *pl->allocs);
	else
		mem_free(pl->allocs);
	pl->allocs = sorted;
}

/* Folds an order's off-line units into its results: they arrive on their
 * own months, so the order completes with the later of its last line unit
 * and its last off-line unit, when every unit of both arrives in time. */
static void finish_offline(const struct planner *P, size_t i, struct allot_order_result *r)
{
	const struct offline *f = &P->off[i];
	P->out->offline[i] = (struct allot_offline_result){ f->wip, f->units, f->in_h };
	if (f->units == 0)
		return;
	r->delivered_in_h += f->in_h;
	if (f->first < P->H &&
	    (r->first_delivery == ALLOT_NO_MONTH || P->as_of + f->first < r->first_delivery))
		r->first_delivery = P->as_of + f->first;
	const struct ostate *st = &P->os[P->st_of[i]];
	int line_done = r->completion != ALLOT_NO_MONTH || (st->rem == 0 && st->produced == 0);
	if (!line_done || f->in_h < f->units)
		r->completion = ALLOT_NO_MONTH;
	else if (r->completion == ALLOT_NO_MONTH || P->as_of + f->last > r->completion)
		r->completion = P->as_of + f->last;
}

#define FINISH_CHUNK 16384 /* orders a thread takes at a time */
/* Orders [lo, hi) of the per-order results, on either thread
 * (plan_thread.c): each order's result is its own. */
static void finish_orders(struct planner *P, void *arg, const struct plan_part *part, size_t lo,
			  size_t hi)
{
	(void)arg;
	(void)part;
	const struct allot_scenario *s = P->s;
	struct allot_plan *pl = P->out;
	for (size_t i = lo; i < hi; i++) {
		const struct allot_order *o = &s->orders[i];
		struct allot_order_result *r = &pl->orders[i];
		const struct ostate *st = &P->os[P->st_of[i]];
		if (i + AHEAD < hi)
			PREFETCH(&P->os[P->st_of[i + AHEAD]]);
		int lead = s->systems[o->system].lead_months;
		r->produced = st->produced;
		r->delivered_in_h = st->delivered_in_h;
		r->cancelled = P->cancelled[i];
		r->cap_unchecked = P->cap_unchecked ? P->cap_unchecked[i] : 0;
		r->blocked = st->rem > 0 && P->sys_eeum[o->system] &&
					     P->eum[o->partner] == ALLOT_EUM_VIOLATION
				     ? st->rem
				     : 0;
		r->first_delivery = st->first_prod != OS_DEAD && st->first_prod + lead < P->H
					    ? P->as_of + st->first_prod + lead
					    : ALLOT_NO_MONTH;
		r->completion = st->rem == 0 && st->produced > 0 && st->last_prod + lead < P->H
					? P->as_of + st->last_prod + lead
					: ALLOT_NO_MONTH;
		if (P->off)
			finish_offline(P, i, r);
		r->short_units = o->qty - o->delivered - r->delivered_in_h - r->cancelled;
		if (r->short_units < 0)
			r->short_units = 0;
		r->tier0 = pl->score0[o->partner].tier;
	}
}

/* Item 0 sorts the allocation rows, item k > 0 is the results of the
 * k-th FINISH_CHUNK orders: on a machine with a free core, one thread
 * sorts while the other starts on the orders (docs/performance.md, ninth
 * round).  Neither reads what the other writes. */
static void finish_items(struct planner *P, void *arg, const struct plan_part *part, size_t lo,
			 size_t hi)
{
	const struct sort_blocks *b = arg;
	size_t N = P->s->n_orders;
	for (size_t k = lo; k < hi; k++) {
		if (k == 0) {
			sort_allocs(P, b);
			continue;
		}
		size_t a = (k - 1) * FINISH_CHUNK;
		finish_orders(P, NULL, part, a, N - a < FINISH_CHUNK ? N : a + FINISH_CHUNK);
	}
}

int planner_finish(struct planner *P, struct allot_plan **out)
{
	struct allot_plan *pl = P->out;
	struct plan_part mine = { 0 };
	struct sort_blocks b;
	int rc = sort_blocks_take(P, &b);
	if (rc != ALLOT_OK)
		return rc;
	size_t N = P->s->n_orders;
	planner_parallel(P, finish_items, &b, &mine, 1 + (N + FINISH_CHUNK - 1) / FINISH_CHUNK, 1);
	plan_free(P, b.start);
	pl->trace = P->trace;
	P->trace = NULL;
	*out = pl;
	P->out = NULL;
	return ALLOT_OK;
}

void planner_free(struct planner *P)
{
	planner_threads_free(P);
	allot_plan_free(P->out);
	allot_trace_free(P->trace);
	allot_policy_free(&P->pol);
	void *arrays[] = {
		P->invest,    P->eum,       P->cents,         P->tier,
		P->cap_start, P->cap_at,    P->prank,         P->key_group,
		P->shared,    P->pscratch,  P->gcount,        P->sscratch,
		P->escratch,  P->base_rate, P->added_rate,    P->share,
		P->cum,       P->left,      P->line_minerals, P->comp_start,
		P->sys_queue, P->heap,      P->bom_start,     P->bom_mineral,
		P->bom_g,     P->sys_eeum,  P->sys_dry,       P->stock,
		P->os,        P->cancelled, P->cap_unchecked, P->idrank,
		P->off,       P->st_of,     P->actions,       P->slots,
		P->els,       P->pace,      P->cap_list,      P->unit_comp,
		P->walk_unit,
	};
	if (P->ws) { /* every array is the workspace's */
		memset(P, 0, sizeof *P);
		return;
	}
	for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
		mem_free(arrays[i]);
	mem_free(P->q);
	memset(P, 0, sizeof *P);
}

struct allot_plan_workspace *allot_plan_workspace_new(void)
{
	return mem_calloc(1, sizeof(struct allot_plan_workspace));
}

void allot_plan_workspace_free(struct allot_plan_workspace *w)
{
	if (!w)
		return;
	plan_worker_free(w->wk);
	for (size_t i = 0; i < w->n; i++)
		mem_free(w->v[i].p);
	for (int k = 0; k < WS_OUT; k++)
		mem_free(w->out[k].p);
	mem_free(w->v);
	mem_free(w);
}

void allot_plan_workspace_recycle(struct allot_plan_workspace *w, struct allot_plan *p)
{
	if (!w || !p) {
		allot_plan_free(p);
		return;
	}
	const struct allot_scenario *s = p->scenario;
	size_t H = (size_t)s->horizon_months;
	ws_keep(&w->out[WS_ORDERS], p->orders, s->n_orders * sizeof *p->orders);
	ws_keep(&w->out[WS_PRODUCED], p->produced_by_month, H * sizeof *p->produced_by_month);
	ws_keep(&w->out[WS_CAPACITY], p->capacity, s->n_lines * H * sizeof *p->capacity);
	ws_keep(&w->out[WS_USED], p->used, s->n_lines * H * sizeof *p->used);
	ws_keep(&w->out[WS_STOCK_END], p->stock_end, s->n_minerals * H * sizeof *p->stock_end);
	ws_keep(&w->out[WS_SCORE0], p->score0, s->n_partners * sizeof *p->score0);
	/* The rows' block holds at least n_allocs of them. */
	ws_keep(&w->out[WS_ALLOCS], p->allocs, p->n_allocs * sizeof *p->allocs);
	p->allocs = NULL;
	p->orders = NULL;
	p->produced_by_month = p->capacity = p->used = p->stock_end = NULL;
	p->score0 = NULL;
	allot_plan_free(p);
}

struct allot_offline_result allot_plan_offline(const struct allot_plan *p, size_t order)
{
	struct allot_offline_result none = { 0, 0, 0 };
	return p->offline ? p->offline[order] : none;
}

void allot_plan_free(struct allot_plan *p)
{
	if (!p)
		return;
	mem_free(p->orders);
	mem_free(p->allocs);
	mem_free(p->produced_by_month);
	mem_free(p->capacity);
	mem_free(p->used);
	mem_free(p->stock_end);
	mem_free(p->score0);
	mem_free(p->offline);
	allot_trace_free(p->trace);
	mem_free(p);
}
