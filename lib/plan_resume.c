/*
 * plan_resume.c - the incremental what-if (docs/planner.md, "Incremental
 * re-planning"): while planning a base scenario the planner copies its
 * whole month-loop state at the start of chosen months; a changed scenario
 * whose inputs equal the base's for every month before m is planned by
 * restoring the latest copy at or before m and running the month loop on
 * from there.
 *
 * The state at the start of month t depends only on the scenario's static
 * rows (partners, lines, systems, orders, minerals, supply, bills, work in
 * progress, policy, horizon, as_of), the options, the dated actions of
 * months before t and the embargoes in force before t.  allot_plan_resume
 * compares exactly these; any other difference re-plans from month 0.
 * The result is the full re-plan's, byte for byte.
 */
#include <allot/allot.h>

#include <string.h>

#include "plan_int.h"
#include "util/mem.h"

/* The planner's mutable state at the start of month t. */
struct snap {
	int t;
	struct allot_policy pol;
	double *invest;
	enum allot_eum *eum;
	int32_t *cents, *tier, *prank, *sys_dry;
	uint64_t *key_group;
	uint8_t *shared;
	int scores_dirty, keyed_priority;
	double *base_rate, *added_rate, *share;
	int64_t *cum, *stock, *cancelled, *cap_unchecked;
	struct ostate *os;
	struct lineq *q; /* v, el, n, head, dead */
	size_t nq;
	size_t n_allocs; /* allocation rows so far */
};

/* The base plan's month arrays and its allocation rows in the order the
 * month loop made them: a month's figures are final once the month is
 * planned, so the first t months of them are the plan at the start of
 * month t. */
struct base_out {
	int64_t *produced_by_month, *capacity, *used, *stock_end;
	struct allot_score *score0;
	struct allot_alloc *allocs;
	size_t n_allocs;
};

struct allot_plan_checkpoints {
	const struct allot_scenario *s;
	struct allot_plan_options o;
	struct action *actions; /* the base's dated actions */
	size_t n_actions;
	struct snap *v;
	size_t n;
	struct base_out out;
};

static void *dup(const void *src, size_t n, size_t size)
{
	void *d = mem_alloc(n ? n * size : 1);
	if (d && n)
		memcpy(d, src, n * size);
	return d;
}

static void snap_free(struct snap *k)
{
	allot_policy_free(&k->pol);
	void *arrays[] = { k->invest,    k->eum,        k->cents,         k->tier,
			   k->prank,     k->key_group,  k->sys_dry,       k->shared,
			   k->base_rate, k->added_rate, k->share,         k->cum,
			   k->stock,     k->cancelled,  k->cap_unchecked, k->os };
	for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
		mem_free(arrays[i]);
	if (k->q)
		for (size_t l = 0; l < k->nq; l++) {
			mem_free(k->q[l].v);
			mem_free(k->q[l].el);
		}
	mem_free(k->q);
	memset(k, 0, sizeof *k);
}

#define COPY(field, count)                                                  \
	do {                                                                \
		if (!(k->field = dup(P->field, (count), sizeof *P->field))) \
			return ALLOT_ENOMEM;                                \
	} while (0)
#define COPY_OUT(field, count)                                                        \
	do {                                                                          \
		if (!(k->field = dup(P->out->field, (count), sizeof *P->out->field))) \
			return ALLOT_ENOMEM;                                          \
	} while (0)

static int snap_take(struct snap *k, const struct planner *P, int t)
{
	const struct allot_scenario *s = P->s;
	size_t NP = s->n_partners, L = s->n_lines;
	k->t = t;
	k->scores_dirty = P->scores_dirty;
	k->keyed_priority = P->keyed_priority;
	if (allot_policy_copy(&k->pol, &P->pol) != ALLOT_OK)
		return ALLOT_ENOMEM;
	COPY(invest, NP);
	COPY(eum, NP);
	COPY(cents, NP);
	COPY(tier, NP);
	COPY(prank, NP);
	COPY(key_group, NP);
	COPY(shared, NP);
	COPY(sys_dry, s->n_systems);
	COPY(base_rate, L);
	COPY(added_rate, L);
	COPY(share, L);
	COPY(cum, L);
	COPY(stock, s->n_minerals);
	COPY(cancelled, s->n_orders);
	if (P->cap_unchecked)
		COPY(cap_unchecked, s->n_orders);
	COPY(os, s->n_orders);
	if (!(k->q = mem_calloc(P->nq ? P->nq : 1, sizeof *k->q)))
		return ALLOT_ENOMEM;
	k->nq = P->nq;
	for (size_t l = 0; l < P->nq; l++) {
		const struct lineq *q = &P->q[l];
		k->q[l] = *q;
		k->q[l].v = dup(q->v + q->head, q->n - q->head, sizeof *q->v);
		k->q[l].el = dup(q->el + q->head, q->n - q->head, sizeof *q->el);
		if (!k->q[l].v || !k->q[l].el)
			return ALLOT_ENOMEM;
	}
	k->n_allocs = P->out->n_allocs;
	return ALLOT_OK;
}

/* Keeps the base plan's outputs before planner_finish sorts its rows. */
static int keep_out(struct base_out *k, const struct planner *P)
{
	const struct allot_scenario *s = P->s;
	size_t L = s->n_lines, H = (size_t)P->H;
	COPY_OUT(produced_by_month, H);
	COPY_OUT(capacity, L * H);
	COPY_OUT(used, L * H);
	COPY_OUT(stock_end, s->n_minerals * H);
	COPY_OUT(score0, s->n_partners);
	COPY_OUT(allocs, P->out->n_allocs);
	k->n_allocs = P->out->n_allocs;
	return ALLOT_OK;
}

static void out_free(struct base_out *k)
{
	mem_free(k->produced_by_month);
	mem_free(k->capacity);
	mem_free(k->used);
	mem_free(k->stock_end);
	mem_free(k->score0);
	mem_free(k->allocs);
}

/* The first t months of a line-by-month (or mineral-by-month) array. */
static void put_months(int64_t *dst, const int64_t *src, size_t rows, size_t H, size_t t)
{
	for (size_t r = 0; r < rows; r++)
		memcpy(dst + r * H, src + r * H, t * sizeof *dst);
}

/* Puts snapshot k into P, a planner just initialised for a scenario whose
 * static rows are the snapshot's. */
static int snap_restore(const struct snap *k, const struct base_out *bo, struct planner *P)
{
	const struct allot_scenario *s = P->s;
	size_t NP = s->n_partners, L = s->n_lines, H = (size_t)P->H;
	allot_policy_free(&P->pol);
	if (allot_policy_copy(&P->pol, &k->pol) != ALLOT_OK)
		return ALLOT_ENOMEM;
	P->scores_dirty = k->scores_dirty;
	P->keyed_priority = k->keyed_priority;
#define PUT(dst, field, count) memcpy(dst->field, k->field, (count) * sizeof *k->field)
	PUT(P, invest, NP);
	PUT(P, eum, NP);
	PUT(P, cents, NP);
	PUT(P, tier, NP);
	PUT(P, prank, NP);
	PUT(P, key_group, NP);
	PUT(P, shared, NP);
	PUT(P, sys_dry, s->n_systems);
	PUT(P, base_rate, L);
	PUT(P, added_rate, L);
	PUT(P, share, L);
	PUT(P, cum, L);
	PUT(P, stock, s->n_minerals);
	PUT(P, cancelled, s->n_orders);
	if (P->cap_unchecked)
		PUT(P, cap_unchecked, s->n_orders);
	PUT(P, os, s->n_orders);
#undef PUT
	size_t t = (size_t)k->t;
	memcpy(P->out->produced_by_month, bo->produced_by_month, t * sizeof *bo->produced_by_month);
	put_months(P->out->capacity, bo->capacity, L, H, t);
	put_months(P->out->used, bo->used, L, H, t);
	put_months(P->out->stock_end, bo->stock_end, s->n_minerals, H, t);
	memcpy(P->out->score0, bo->score0, NP * sizeof *bo->score0);
	for (size_t l = 0; l < P->nq; l++) {
		struct lineq *q = &P->q[l];
		const struct lineq *c = &k->q[l];
		size_t n = c->n - c->head;
		/* Dead slots' jumps are absolute positions: keep them so. */
		memcpy(q->v + c->head, c->v, n * sizeof *q->v);
		memcpy(q->el + c->head, c->el, n * sizeof *q->el);
		q->n = c->n;
		q->head = c->head;
		q->dead = c->dead;
	}
	if (P->record) {
		if (mem_grow(&P->out->allocs, &P->alloc_cap, k->n_allocs ? k->n_allocs : 1,
			     sizeof *P->out->allocs) != 0)
			return ALLOT_ENOMEM;
		if (k->n_allocs)
			memcpy(P->out->allocs, bo->allocs, k->n_allocs * sizeof *bo->allocs);
		P->out->n_allocs = k->n_allocs;
	}
	size_t a = 0;
	while (a < P->n_actions && P->actions[a].month < k->t)
		a++;
	P->next_action = a;
	return ALLOT_OK;
}

void allot_plan_checkpoints_free(struct allot_plan_checkpoints *cp)
{
	if (!cp)
		return;
	for (size_t i = 0; i < cp->n; i++)
		snap_free(&cp->v[i]);
	mem_free(cp->v);
	mem_free(cp->actions);
	out_free(&cp->out);
	mem_free(cp);
}

/* The bytes of one snapshot of P. */
static size_t snap_bytes(const struct planner *P)
{
	const struct allot_scenario *s = P->s;
	size_t b = s->n_partners * 40 + s->n_systems * 4 + s->n_lines * 32 + P->nq * sizeof *P->q +
		   s->n_minerals * 8 + s->n_orders * (8 + sizeof *P->os);
	for (size_t l = 0; l < P->nq; l++)
		b += P->q[l].n * (sizeof *P->q[l].v + sizeof *P->q[l].el);
	return b + 256;
}

/* Copies kept at most: a checkpoint of 1M orders is some 60 MiB. */
#define CHECKPOINT_BYTES ((size_t)128 << 20)

int allot_plan_run_checkpointed(const struct allot_scenario *s, const struct allot_plan_options *o,
				int every, struct allot_plan **out,
				struct allot_plan_checkpoints **cpp)
{
	struct planner P;
	*out = NULL;
	*cpp = NULL;
	struct allot_plan_checkpoints *cp = mem_calloc(1, sizeof *cp);
	if (!cp)
		return ALLOT_ENOMEM;
	cp->s = s;
	cp->o = *o;
	int rc = planner_init(&P, s, o, NULL);
	if (rc == ALLOT_OK && every > 0 && o->trace_order < 0) {
		size_t most = CHECKPOINT_BYTES / snap_bytes(&P);
		if (most == 0)
			most = 1;
		if ((size_t)((P.H - 1) / every) > most) /* then `most` of them */
			every = (int)(((size_t)P.H + most) / (most + 1));
		cp->v = mem_calloc((size_t)(P.H / every) + 1, sizeof *cp->v);
		cp->actions = dup(P.actions, P.n_actions, sizeof *P.actions);
		cp->n_actions = P.n_actions;
		if (!cp->v || !cp->actions)
			rc = ALLOT_ENOMEM;
	}
	for (int t = 0; rc == ALLOT_OK && t < P.H; t++) {
		if (cp->v && t > 0 && t % every == 0)
			rc = snap_take(&cp->v[cp->n++], &P, t);
		if (rc == ALLOT_OK)
			rc = planner_month(&P, t);
	}
	if (rc == ALLOT_OK && cp->n)
		rc = keep_out(&cp->out, &P);
	if (rc == ALLOT_OK)
		rc = planner_finish(&P, out);
	planner_free(&P);
	if (rc != ALLOT_OK) {
		allot_plan_checkpoints_free(cp);
		return rc;
	}
	*cpp = cp;
	return ALLOT_OK;
}

/* ---------------------------------------------------------------------- */
/* Where two scenarios' inputs part                                         */

#define SAME_ROWS(a, b, f)  ((a)->n_##f == (b)->n_##f && ((a)->f == (b)->f || (a)->n_##f == 0))
#define SAME_BYTES(x, y, f) (memcmp(&(x)->f, &(y)->f, sizeof(x)->f) == 0)

/* The parts of a policy the scores read (lib/score.c), byte for byte. */
static int same_policy(const struct allot_policy *a, const struct allot_policy *b)
{
	return SAME_BYTES(a, b, weight) && SAME_BYTES(a, b, target_pct) &&
	       SAME_BYTES(a, b, growth_full_pct) && SAME_BYTES(a, b, troops_ref) &&
	       SAME_BYTES(a, b, basing_max) && SAME_BYTES(a, b, frontline_factor) &&
	       SAME_BYTES(a, b, rear_factor) && SAME_BYTES(a, b, economic_ref_usd) &&
	       SAME_BYTES(a, b, economic_unit_usd) && SAME_BYTES(a, b, invest_multiplier) &&
	       SAME_BYTES(a, b, penalty_delinquent) && SAME_BYTES(a, b, penalty_violation) &&
	       SAME_BYTES(a, b, default_theater) && SAME_BYTES(a, b, tier_min) &&
	       a->n_tier_thresholds == b->n_tier_thresholds && SAME_ROWS(a, b, theaters);
}

/* The rows every month reads: shared arrays (a what-if's copy shares
 * them), not equal contents, so a changed catalog re-plans in full. */
static int same_static(const struct allot_scenario *a, const struct allot_scenario *b)
{
	return a->as_of == b->as_of && a->horizon_months == b->horizon_months &&
	       a->switch_month == b->switch_month && same_policy(&a->policy, &b->policy) &&
	       SAME_ROWS(a, b, partners) && SAME_ROWS(a, b, systems) && SAME_ROWS(a, b, lines) &&
	       SAME_ROWS(a, b, orders) && SAME_ROWS(a, b, minerals) && SAME_ROWS(a, b, supply) &&
	       SAME_ROWS(a, b, bom) && SAME_ROWS(a, b, wip);
}

static int same_options(const struct allot_plan_options *a, const struct allot_plan_options *b)
{
	return a->policy == b->policy && a->switch_month == b->switch_month &&
	       !a->record_allocations == !b->record_allocations && a->trace_order < 0 &&
	       b->trace_order < 0;
}

/* Two dated actions do the same thing in the same month. */
static int same_action(const struct allot_scenario *sa, const struct action *a,
		       const struct allot_scenario *sb, const struct action *b)
{
	if (a->month != b->month || a->kind != b->kind)
		return 0;
	if (a->kind == ACT_EVENT) {
		const struct allot_event *x = &sa->events[a->index], *y = &sb->events[b->index];
		return x->type == y->type && x->index == y->index && SAME_BYTES(x, y, num) &&
		       x->eum == y->eum;
	}
	const struct allot_investment *x = &sa->investments[a->index];
	const struct allot_investment *y = &sb->investments[b->index];
	if (a->kind == ACT_INVEST_MONEY)
		return x->partner == y->partner && SAME_BYTES(x, y, usd);
	return x->line == y->line && SAME_BYTES(x, y, added_rate);
}

static int same_embargo(const struct allot_embargo *a, const struct allot_embargo *b)
{
	return strcmp(a->source, b->source) == 0 && a->mineral == b->mineral &&
	       a->start_month == b->start_month && a->end_month == b->end_month;
}

/* The first month (relative) an embargo row can act in. */
static int embargo_from(const struct allot_scenario *s, const struct allot_embargo *e)
{
	int64_t rel = (int64_t)e->start_month - s->as_of;
	return rel < 0 ? 0 : rel > s->horizon_months ? s->horizon_months : (int)rel;
}

/* The first month whose start state may differ between the checkpointed
 * base and P's scenario: the first action that differs, or the first month
 * an added, removed or changed embargo row can act in; H when none. */
static int parting_month(const struct allot_plan_checkpoints *cp, const struct planner *P)
{
	const struct allot_scenario *a = cp->s, *b = P->s;
	int m = P->H;
	size_t i = 0;
	while (i < cp->n_actions && i < P->n_actions &&
	       same_action(a, &cp->actions[i], b, &P->actions[i]))
		i++;
	if (i < cp->n_actions && cp->actions[i].month < m)
		m = cp->actions[i].month;
	if (i < P->n_actions && P->actions[i].month < m)
		m = P->actions[i].month;
	size_t n = a->n_embargoes > b->n_embargoes ? a->n_embargoes : b->n_embargoes;
	for (size_t k = 0; k < n; k++) {
		const struct allot_embargo *x = k < a->n_embargoes ? &a->embargoes[k] : NULL;
		const struct allot_embargo *y = k < b->n_embargoes ? &b->embargoes[k] : NULL;
		if (x && y && same_embargo(x, y))
			continue;
		if (x && embargo_from(a, x) < m)
			m = embargo_from(a, x);
		if (y && embargo_from(b, y) < m)
			m = embargo_from(b, y);
	}
	return m;
}

int allot_plan_resume(const struct allot_plan_checkpoints *cp, const struct allot_scenario *x,
		      const struct allot_plan_options *o, struct allot_plan **out, int *from)
{
	return allot_plan_resume_in(NULL, cp, x, o, out, from);
}

int allot_plan_resume_in(struct allot_plan_workspace *w, const struct allot_plan_checkpoints *cp,
			 const struct allot_scenario *x, const struct allot_plan_options *o,
			 struct allot_plan **out, int *from)
{
	struct planner P;
	*out = NULL;
	*from = 0;
	int rc = planner_init(&P, x, o, w);
	int t = 0;
	if (rc == ALLOT_OK && cp->n > 0 && same_options(&cp->o, o) && same_static(cp->s, x)) {
		int m = parting_month(cp, &P);
		const struct snap *k = NULL;
		for (size_t i = 0; i < cp->n && cp->v[i].t <= m; i++)
			k = &cp->v[i];
		if (k) {
			rc = snap_restore(k, &cp->out, &P);
			t = k->t;
		}
	}
	*from = t;
	for (; rc == ALLOT_OK && t < P.H; t++)
		rc = planner_month(&P, t);
	if (rc == ALLOT_OK)
		rc = planner_finish(&P, out);
	planner_free(&P);
	return rc;
}
