/*
 * plan.c - the month loop of docs/allocation.md: allocates each line's
 * foreign-sales capacity, month by month, to the orders in policy-key order,
 * under mineral stocks, EEUM blocks and budget caps.
 *
 * The contract is a single walk per month over every eligible order in key
 * order.  Two orders interact only through their line's capacity and the
 * stocks of the minerals in their bills, so the planner splits the lines
 * into components (lines joined when their systems share a mineral) and
 * walks each component on its own: a line without minerals alone, a
 * component of several lines as a merge of its lines' queues in key order.
 * The result is the one global walk, unit for unit, without touching orders
 * that cannot receive anything.
 *
 * Hot data is contiguous: each line keeps a queue of (key, order, eligible
 * month) slots sorted by key; keys are packed into 64-bit integers, so a
 * queue is sorted once per change of keys (the policy switch, or an event
 * that changes a score), not once per month.  The walk's cache misses (a
 * queue's first candidate slot, then its order's state record) are asked
 * for several queues ahead (prefetch_queues) and, in a component's merge,
 * one candidate ahead (prefetch_after); docs/performance.md, fifth round.
 */
#define _GNU_SOURCE /* qsort_r */
#include <allot/allot.h>

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "plan_int.h"
#include "util/mem.h"

/* ---------------------------------------------------------------------- */
/* Keys                                                                     */

/* Bits of a packed key, most significant first:
 *   priority: tier (4) | 10000 - score cents (14) | loa month (17) | id rank (27)
 *   fcfs:                                           loa month (17) | id rank (27)
 * Months are absolute (year * 12 + month - 1 < 2^17 for years < 10923). */

#define LOW_BITS (LOA_BITS + ID_BITS)
#define LOW_MASK ((UINT64_C(1) << LOW_BITS) - 1)

static uint64_t group_of(const struct planner *P, int p)
{
	return (uint64_t)P->tier[p] << 14 | (uint64_t)(10000 - P->cents[p]);
}

/* Sorts n slots by key: the sorts of a re-key are of a few slots each (a
 * queue's orders of the partners that tie, or that moved), thousands of
 * times, where qsort's call costs more than the sort. */
static void sort_slots(struct slot *v, size_t n)
{
	if (n > 16) {
		qsort(v, n, sizeof *v, planner_cmp_slot);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct slot x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1].key > x.key; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static int cmp_partner_group(const void *a, const void *b, void *arg)
{
	const struct planner *P = arg;
	uint64_t x = group_of(P, *(const int32_t *)a), y = group_of(P, *(const int32_t *)b);
	return (x > y) - (x < y);
}

/* Ranks partners by (tier, -score): prank[p] is the partner's group, equal
 * for partners that tie; shared[g] says a group holds several partners. */
/* Returns 1 when the ranking changed (or `force`), 0 when every partner
 * kept its group: then the keys already in the queues compare exactly as
 * new ones would, and nothing needs re-sorting. */
static int rank_partners(struct planner *P, size_t *groups, int force)
{
	size_t n = P->s->n_partners;
	for (size_t p = 0; p < n; p++)
		P->pscratch[p] = (int32_t)p;
	qsort_r(P->pscratch, n, sizeof *P->pscratch, cmp_partner_group, P);
	size_t g = 0;
	int changed = force;
	for (size_t k = 0; k < n; k++) {
		int32_t p = P->pscratch[k];
		if (k == 0 || group_of(P, p) != group_of(P, P->pscratch[k - 1])) {
			g += k > 0;
			P->shared[g] = 0;
		} else {
			P->shared[g] = 1;
		}
		changed |= P->prank[p] != (int32_t)g;
		P->prank[p] = (int32_t)g;
	}
	*groups = n ? g + 1 : 0;
	return changed;
}

/* Sorts slots [b, e) of q by key, carrying their eligible months along. */
static void sort_group(const struct plan_part *part, struct lineq *q, size_t b, size_t e)
{
	struct slot *tmp = part->sscratch;
	int16_t *etmp = part->escratch;
	for (size_t i = b; i < e; i++) {
		tmp[i - b] = q->v[i];
		tmp[i - b].order = (int32_t)i; /* remember where it came from */
	}
	sort_slots(tmp, e - b);
	for (size_t i = b; i < e; i++)
		etmp[i - b] = q->el[tmp[i - b].order];
	for (size_t i = b; i < e; i++) {
		int32_t from = tmp[i - b].order;
		tmp[i - b].order = q->v[from].order;
	}
	memcpy(q->v + b, tmp, (e - b) * sizeof *q->v);
	memcpy(q->el + b, etmp, (e - b) * sizeof *q->el);
}

/* A re-key reads every slot once from memory, queue after queue: asking
 * for the slots this far ahead took 7% off the re-keys of bench_plan. */
#define REKEY_AHEAD 24

/* Puts queue q in priority-key order and drops its dead slots (orders a
 * budget cap emptied are found and dropped by the walk: checking them here
 * would touch every order's state at random).
 *
 * A queue is always ordered by (loa month, id) within each partner, under
 * either key, and a score change moves all of a partner's orders together.
 * So the new order is a stable counting sort of the slots by the partner's
 * group; only a group shared by partners with equal tier and score needs
 * its slots sorted by key.  Linear in the number of slots.  start has
 * groups + 1 entries; shared lists the n_shared groups shared by several
 * partners. */
static void resort_queue(struct planner *P, const struct plan_part *part, struct lineq *q,
			 size_t groups, const int32_t *shared, size_t n_shared)
{
	size_t *start = part->gcount;
	const int32_t *prank = P->prank;
	const uint64_t *high = P->key_group; /* the new groups (rekey_priority) */
	const struct slot *v = q->v;
	const int16_t *el = q->el;
	struct slot *tmp = part->sscratch;
	int16_t *etmp = part->escratch;
	size_t n = q->n, live = 0;
	memset(start, 0, (groups + 1) * sizeof *start);
	for (size_t r = q->head; r < n; r++) {
		if (r + REKEY_AHEAD < n)
			__builtin_prefetch(&v[r + REKEY_AHEAD]);
		if (el[r] == EL_DEAD)
			continue;
		start[prank[v[r].partner] + 1]++;
		live++;
	}
	for (size_t g = 0; g < groups; g++)
		start[g + 1] += start[g];
	for (size_t r = q->head; r < n; r++) {
		int16_t e = el[r];
		if (e == EL_DEAD)
			continue;
		struct slot sl = v[r];
		sl.key = high[sl.partner] << LOW_BITS | (sl.key & LOW_MASK);
		size_t at = start[prank[sl.partner]]++;
		tmp[at] = sl;
		etmp[at] = e;
	}
	memcpy(q->v, tmp, live * sizeof *q->v);
	memcpy(q->el, etmp, live * sizeof *q->el);
	q->n = live;
	q->head = 0;
	q->dead = 0;
	/* start[g] is now the end of group g. */
	for (size_t k = 0; k < n_shared; k++) {
		size_t g = (size_t)shared[k], b = g > 0 ? start[g - 1] : 0;
		if (start[g] - b > 1)
			sort_group(part, q, b, start[g]);
	}
}

/* The first slot of v[0, n) whose key is at least key (n when none). */
static size_t lower_key(const struct slot *v, size_t n, uint64_t key)
{
	size_t lo = 0;
	while (n > 0) {
		size_t half = n / 2;
		if (v[lo + half].key < key) {
			lo += half + 1;
			n -= half + 1;
		} else {
			n = half;
		}
	}
	return lo;
}

/* The same order as resort_queue when only a few partners changed group
 * since the keys were written (P->key_group): the other partners' slots
 * keep their keys and their order, so the moved partners' slots are taken
 * out, sorted by their new keys and merged back.
 *
 * Only the span of the queue between a moved partner's old place and its
 * new one changes: the slots before and after it keep their places.  The
 * queue's slots, dead ones included, are in key order (a dead slot keeps
 * its key; one a moved partner left dead keeps its old key, which still
 * sorts it among the slots around it), so the span is found by binary
 * search on the old and the new group of each moved partner, and only it
 * is passed over.  Dead slots in the span stay (compact drops them later),
 * so that nothing after the span moves. */
static void remerge_queue(struct planner *P, const struct plan_part *part, struct lineq *q,
			  const size_t *list, size_t n_moved)
{
	const int32_t *moved = P->pscratch; /* by partner (rekey_priority) */
	struct slot *v = q->v, *tmp = part->sscratch;
	int16_t *el = q->el;
	size_t n = q->n, lo = n, hi = 0;
	for (size_t k = 0; k < n_moved; k++) {
		int p = (int)list[k];
		uint64_t was = P->key_group[p], now = group_of(P, p);
		size_t b = lower_key(v, n, was << LOW_BITS),
		       e = lower_key(v, n, (was + 1) << LOW_BITS);
		if (b == e) /* none of its slots here */
			continue;
		size_t nb = lower_key(v, n, now << LOW_BITS),
		       ne = lower_key(v, n, (now + 1) << LOW_BITS);
		lo = b < lo ? b : lo;
		lo = nb < lo ? nb : lo;
		hi = e > hi ? e : hi;
		hi = ne > hi ? ne : hi;
	}
	if (lo >= hi)
		return;
	size_t w = lo, m = 0;
	for (size_t r = lo; r < hi; r++) {
		if (r + REKEY_AHEAD < hi)
			__builtin_prefetch(&v[r + REKEY_AHEAD]);
		int16_t e = el[r];
		struct slot sl = v[r];
		if (e != EL_DEAD && moved[sl.partner]) {
			sl.key = group_of(P, sl.partner) << LOW_BITS | (sl.key & LOW_MASK);
			tmp[m++] = sl;
		} else {
			el[w] = e;
			v[w++] = sl;
		}
	}
	sort_slots(tmp, m);
	if (lo < q->head) /* a moved partner may come before the dead head */
		q->head = lo;
	/* Merge from the back: the write position never passes a kept slot
	 * not yet moved. */
	size_t k = hi;
	while (m > 0) {
		if (w > lo && v[w - 1].key > tmp[m - 1].key) {
			w--;
			k--;
			v[k] = v[w];
			el[k] = el[w];
		} else {
			m--;
			k--;
			v[k] = tmp[m];
			el[k] = planner_eligible(P, v[k].key, v[k].order);
		}
	}
#ifndef NDEBUG /* the span in key order, and against its neighbours */
	for (size_t r = lo > 0 ? lo : 1; r < n && r <= hi; r++)
		assert(v[r - 1].key < v[r].key);
#endif
}

/* The queues [lo, hi) of a re-key, on either thread (plan_thread.c): each
 * queue is re-sorted or merged on its own, in its own slots, reading only
 * what rekey_priority set up; the scratch is the thread's. */
struct rekey_job {
	int few;
	size_t groups, n_shared;
	const size_t *moved; /* remerge_queue: the moved partners */
	size_t n_moved;
};
static void rekey_queues(struct planner *P, void *arg, const struct plan_part *part, size_t lo,
			 size_t hi)
{
	const struct rekey_job *j = arg;
	for (size_t k = lo; k < hi; k++) {
		if (j->few)
			remerge_queue(P, part, &P->q[k], j->moved, j->n_moved);
		else
			resort_queue(P, part, &P->q[k], j->groups, P->pscratch, j->n_shared);
	}
}

/* Queues a thread takes at a time: bench_plan's 3,159 queues hold some 300
 * slots each, so a chunk is some tens of microseconds of re-key. */
#define REKEY_CHUNK 32

/* Puts every queue in priority-key order (see resort_queue).  Keys in the
 * queues may lag behind scores that changed without changing the ranking
 * (then they compare exactly as new ones would and nothing is re-sorted);
 * P->key_group holds each partner's group as its keys say. */
static void rekey_priority(struct planner *P)
{
	size_t groups = 0, NP = P->s->n_partners, moved = 0;
	if (!rank_partners(P, &groups, !P->keyed_priority))
		return;
	for (size_t p = 0; p < NP; p++)
		moved += group_of(P, (int)p) != P->key_group[p];
	int few = P->keyed_priority && moved * 8 <= NP;
	/* What each queue's pass looks up per slot, once per partner: the
	 * queue's pointers are held in locals there, since its stores could
	 * otherwise alias the planner's arrays and every slot would read them
	 * again (re-keys 0.125 -> 0.10 s, docs/performance.md, sixth round). */
	size_t n_shared = 0;
	for (size_t p = 0; p < NP; p++) {
		if (few) /* remerge_queue: whether the partner's group changed */
			P->pscratch[p] = group_of(P, (int)p) != P->key_group[p];
		else /* resort_queue: the new group */
			P->key_group[p] = group_of(P, (int)p);
	}
	if (!few) /* resort_queue: the groups shared by several partners */
		for (size_t g = 0; g < groups; g++)
			if (P->shared[g])
				P->pscratch[n_shared++] = (int32_t)g;
	struct rekey_job j = { few, groups, n_shared, P->gcount, 0 };
	for (size_t p = 0; few && p < NP; p++) /* gcount: resort_queue's, free here */
		if (P->pscratch[p])
			P->gcount[j.n_moved++] = p;
	struct plan_part mine = { P->sscratch, P->escratch, P->gcount, NULL, NULL };
	planner_parallel(P, rekey_queues, &j, &mine, P->nq, REKEY_CHUNK);
	if (few) /* a resort set the new groups before its pass */
		for (size_t p = 0; p < NP; p++)
			P->key_group[p] = group_of(P, (int)p);
	P->keyed_priority = 1;
}

/* ---------------------------------------------------------------------- */
/* Scores in force                                                          */

/* Rescores every partner with the inputs and weights in force.  Returns 1
 * when any partner's (tier, score) changed, so keys must be rebuilt. */
static int rescore(struct planner *P)
{
	int changed = 0;
	for (size_t p = 0; p < P->s->n_partners; p++) {
		struct allot_score sc;
		allot_score_partner(&P->pol, &P->s->partners[p], P->invest[p], P->eum[p], &sc);
		int32_t cents = (int32_t)llround(sc.score * 100);
		if (cents != P->cents[p] || sc.tier != P->tier[p])
			changed = 1;
		P->cents[p] = cents;
		P->tier[p] = sc.tier;
	}
	P->scores_dirty = 0;
	return changed;
}

/* ---------------------------------------------------------------------- */
/* Step 1: what is dated this month                                         */

static void cancel_units(struct planner *P, int32_t o, int64_t units)
{
	struct ostate *st = &P->os[P->st_of[o]];
	assert(units >= 0 && units <= st->rem); /* only open units are cut */
	st->rem -= (int32_t)units;
	P->cancelled[o] += units;
}

static int cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->low > y->low) - (x->low < y->low);
}

/* A partner's orders into its ranking.  They come in id order (as dealt,
 * plan_setup.c) or already ranked (an earlier cap of the partner): a
 * stable counting sort by LOA month, then one by rank, gives (rank, LOA
 * month, id) either way, the keys being unique.  qsort, to the same order,
 * when months or ranks spread wider than the list. */
static int sort_ranked(struct ranked *v, size_t n)
{
	if (n < 2)
		return ALLOT_OK;
	uint64_t m0 = UINT64_MAX, m1 = 0, r0 = UINT64_MAX, r1 = 0;
	for (size_t k = 0; k < n; k++) {
		uint64_t m = v[k].low >> ID_BITS, r = v[k].rank;
		m0 = m < m0 ? m : m0;
		m1 = m > m1 ? m : m1;
		if (r != UINT64_MAX) {
			r0 = r < r0 ? r : r0;
			r1 = r > r1 ? r : r1;
		}
	}
	uint64_t wide = 2 * (uint64_t)n + 64;
	if (r0 == UINT64_MAX)
		r0 = r1 = 0;
	if (m1 - m0 >= wide || r1 - r0 >= wide) {
		qsort(v, n, sizeof *v, cmp_ranked);
		return ALLOT_OK;
	}
	size_t nm = (size_t)(m1 - m0) + 1, nr = (size_t)(r1 - r0) + 2; /* + the empty rank */
	struct ranked *tmp = mem_alloc(n * sizeof *tmp);
	size_t *at = mem_calloc((nm > nr ? nm : nr) + 1, sizeof *at);
	if (!tmp || !at) {
		mem_free(tmp);
		mem_free(at);
		return ALLOT_ENOMEM;
	}
	for (size_t k = 0; k < n; k++)
		at[(v[k].low >> ID_BITS) - m0 + 1]++;
	for (size_t b = 1; b < nm; b++)
		at[b] += at[b - 1];
	for (size_t k = 0; k < n; k++)
		tmp[at[(v[k].low >> ID_BITS) - m0]++] = v[k];
	memset(at, 0, (nr + 1) * sizeof *at);
	for (size_t k = 0; k < n; k++)
		at[(tmp[k].rank == UINT64_MAX ? nr - 1 : tmp[k].rank - r0) + 1]++;
	for (size_t b = 1; b < nr; b++)
		at[b] += at[b - 1];
	for (size_t k = 0; k < n; k++)
		v[at[tmp[k].rank == UINT64_MAX ? nr - 1 : tmp[k].rank - r0]++] = tmp[k];
	mem_free(tmp);
	mem_free(at);
	return ALLOT_OK;
}

/* A budget cap: keep the partner's orders, in its own ranking, while the
 * value of their units not yet produced fits under the cap; cut the first
 * that does not fit to the whole units that fit; cancel every later one.
 * The list holds the partner's orders that had units to make at the start
 * (the others have none to count or cut). */
static int apply_budget_cap(struct planner *P, int partner, double cap)
{
	const struct allot_scenario *s = P->s;
	/* every partner a cap event names has its list (init_state) */
	assert(P->cap_at && P->cap_at[partner] >= 0);
	struct ranked *list = P->cap_list + P->cap_start[partner];
	size_t n = (size_t)(P->cap_at[partner] - P->cap_start[partner]);
	int rc = sort_ranked(list, n);
	if (rc != ALLOT_OK)
		return rc;

	double used = 0;
	int cut = 0;
	for (size_t k = 0; k < n; k++) {
		if (k + 16 < n)
			__builtin_prefetch(&P->st_of[list[k + 16].order]);
		if (k + 8 < n)
			__builtin_prefetch(&P->os[P->st_of[list[k + 8].order]]);
		int32_t o = list[k].order;
		int64_t r = P->os[P->st_of[o]].rem;
		if (r == 0)
			continue;
		if (cut) {
			cancel_units(P, o, r);
			if (P->cap_unchecked)
				P->cap_unchecked[o] = 0;
			continue;
		}
		double cost = s->systems[list[k].system].unit_cost_usd;
		if (!allot_cost_known(cost)) {
			/* cannot be checked: kept whole, counted nothing, flagged */
			P->cap_unchecked[o] = r;
			continue;
		}
		double v = (double)r * cost;
		if (used + v <= cap) {
			used += v;
			continue;
		}
		double room = cap - used;
		/* In double until compared with r: room / cost may pass int64. */
		double f = cost > 0 && room > 0 ? floor(room / cost) : 0;
		int64_t fit = f >= (double)r ? r : (int64_t)f;
		cancel_units(P, o, r - fit);
		used += (double)fit * cost;
		cut = 1;
	}
	return ALLOT_OK;
}

static int apply_event(struct planner *P, const struct allot_event *e)
{
	switch (e->type) {
	case ALLOT_EV_CAPACITY:
		P->base_rate[e->index] = e->num;
		return ALLOT_OK;
	case ALLOT_EV_US_SHARE:
		P->share[e->index] = e->num;
		return ALLOT_OK;
	case ALLOT_EV_BUDGET_CAP:
		return apply_budget_cap(P, e->index, e->num);
	case ALLOT_EV_EUM_STATUS:
		P->eum[e->index] = e->eum;
		P->scores_dirty = 1;
		return ALLOT_OK;
	case ALLOT_EV_WEIGHT:
		P->pol.weight[e->index] = e->num;
		P->scores_dirty = 1;
		return ALLOT_OK;
	case ALLOT_EV_EEUM:
		P->sys_eeum[e->index] = e->num != 0;
		return ALLOT_OK;
	case ALLOT_EV_CATALOG:  /* the case process's (lib/cases): */
	case ALLOT_EV_MIN_TIER: /* nothing to produce differently */
		return ALLOT_OK;
	default:
		return ALLOT_EINPUT;
	}
}

static int apply_action(struct planner *P, const struct action *a)
{
	const struct allot_scenario *s = P->s;
	switch (a->kind) {
	case ACT_EVENT:
		return apply_event(P, &s->events[a->index]);
	case ACT_INVEST_MONEY:
		P->invest[s->investments[a->index].partner] += s->investments[a->index].usd;
		P->scores_dirty = 1;
		return ALLOT_OK;
	case ACT_INVEST_ONLINE:
		P->added_rate[s->investments[a->index].line] += s->investments[a->index].added_rate;
		return ALLOT_OK;
	}
	return ALLOT_EINPUT;
}

/* ---------------------------------------------------------------------- */
/* Capacity and minerals                                                    */

static int64_t round_half_away(double v)
{
	return (int64_t)(v < 0 ? ceil(v - 0.5) : floor(v + 0.5));
}

/* A line's rate and added rates together (each at most 1e9, but the
 * investments on one line are not counted) saturate here: 1e12 units a
 * month, 1e15 milli-units, keeps the cumulative count of 1200 months far
 * inside int64 (docs/limits.md). */
#define RATE_SUM_MAX 1e12

/* F(t) for every line: whole units from the cumulative milli-units. */
static void open_capacity(struct planner *P, int t)
{
	for (size_t l = 0; l < P->s->n_lines; l++) {
		double rate = fmin(P->base_rate[l] + P->added_rate[l], RATE_SUM_MAX);
		if (!(rate > 0))
			rate = 0;
		int64_t m = round_half_away(1000 * rate * (1 - P->share[l]));
		if (m < 0)
			m = 0;
		int64_t before = P->cum[l];
		P->cum[l] += m;
		int64_t f = P->cum[l] / 1000 - before / 1000;
		P->left[l] = f;
		P->out->capacity[l * (size_t)P->H + (size_t)t] = f;
	}
}

static int embargoed(const struct allot_scenario *s, const struct allot_supply *sp, allot_month m)
{
	for (size_t i = 0; i < s->n_embargoes; i++) {
		const struct allot_embargo *e = &s->embargoes[i];
		if (e->mineral != -1 && e->mineral != sp->mineral)
			continue;
		if (m < e->start_month || (e->end_month != ALLOT_NO_MONTH && m > e->end_month))
			continue;
		if (strcmp(e->source, sp->source) == 0)
			return 1;
	}
	return 0;
}

#define STOCK_MAX_G ((int64_t)1 << 62)

static void add_supply(struct planner *P, int t)
{
	const struct allot_scenario *s = P->s;
	for (size_t i = 0; i < s->n_supply; i++)
		if (!embargoed(s, &s->supply[i], P->as_of + t)) {
			/* Saturating: many supply rows over 1200 months could pass
			 * int64; a stock of STOCK_MAX_G grams is as good as endless. */
			int64_t *st = &P->stock[s->supply[i].mineral];
			if (__builtin_add_overflow(*st, s->supply[i].g_per_month, st) ||
			    *st > STOCK_MAX_G)
				*st = STOCK_MAX_G;
		}
}

/* The largest whole number of units the current stocks allow. */
static int64_t mineral_limit(const struct planner *P, int sys)
{
	int64_t lim = INT64_MAX;
	for (int32_t b = P->bom_start[sys]; b < P->bom_start[sys + 1]; b++) {
		int64_t u = P->stock[P->bom_mineral[b]] / P->bom_g[b];
		if (u < lim)
			lim = u;
	}
	return lim;
}

/* ---------------------------------------------------------------------- */
/* Step 4: the walk                                                         */

static int blocked(const struct planner *P, const struct slot *sl)
{
	return P->sys_eeum[sl->system] && P->eum[sl->partner] == ALLOT_EUM_VIOLATION;
}

/* Room for `need` rows in W.  A fresh plan's rows grow to tens of MB, a
 * page fault every 4 kB as the walk writes them: the grown block asks for
 * huge pages (docs/performance.md, ninth round). */
static int grow_rows(struct plan_walk *W, size_t need)
{
	size_t cap = W->cap;
	if (mem_grow(&W->rows, &W->cap, need, sizeof *W->rows) != 0)
		return -1;
	if (W->cap != cap)
		mem_hint_huge(W->rows, W->cap * sizeof *W->rows);
	return 0;
}

/* Grants u units to the order of slot sl (its state record st); the row
 * and the units go to the walk's share W. */
static int grant(struct planner *P, struct plan_walk *W, const struct slot *sl, struct ostate *st,
		 int t, int64_t u)
{
	int32_t o = sl->order;
	int sys = sl->system;
	/* A grant is whole units the order still wants and its line has, in
	 * a month no earlier than its last one. */
	assert(u > 0 && u <= st->rem && u <= P->left[P->s->systems[sys].line]);
	assert(st->first_prod == OS_DEAD || t >= st->last_prod);
	for (int32_t b = P->bom_start[sys]; b < P->bom_start[sys + 1]; b++) {
		P->stock[P->bom_mineral[b]] -= u * P->bom_g[b];
		assert(P->stock[P->bom_mineral[b]] >= 0); /* within the stock */
	}
	/* u <= rem: every count stays within the order's 32-bit units. */
	st->rem -= (int32_t)u;
	st->produced += (int32_t)u;
	if (st->first_prod == OS_DEAD)
		st->first_prod = (int16_t)t;
	st->last_prod = (int16_t)t;
	if (t + P->s->systems[sys].lead_months < P->H)
		st->delivered_in_h += (int32_t)u;
	W->produced += u;
	P->left[P->s->systems[sys].line] -= u;
	if (P->trace && !P->tr_reached && P->s->systems[sys].line == P->tr_line &&
	    o != P->trace->order && trace_ahead(P, o, u) != ALLOT_OK)
		return ALLOT_ENOMEM;
	if (P->record) {
		if (W->n_rows == W->cap && grow_rows(W, W->n_rows + 1) != 0)
			return ALLOT_ENOMEM;
		W->rows[W->n_rows++] = (struct allot_alloc){ o, t, u };
	}
	return ALLOT_OK;
}

static void mark_dead(struct lineq *q, size_t i)
{
	q->el[i] = EL_DEAD;
	q->v[i].order = (int32_t)(i + 1);
	q->dead++;
	if (i == q->head)
		q->head = i + 1;
}

/* The first slot from i on whose eligible month has come (n when none).
 * A dead slot's month is EL_DEAD, never <= t.  Eight months at a time. */
static size_t first_eligible(const int16_t *el, size_t i, size_t n, int t)
{
#ifdef __SSE2__
	__m128i lim = _mm_set1_epi16((short)t);
	for (; i + 8 <= n; i += 8) {
		__m128i v = _mm_loadu_si128((const __m128i *)(el + i));
		unsigned later = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi16(v, lim));
		if (later != 0xffff) /* two mask bits per month */
			return i + (size_t)__builtin_ctz(~later & 0xffff) / 2;
	}
#endif
	while (i < n && el[i] > t)
		i++;
	return i;
}

/* Whether live, eligible slot i may be offered units now: 1 yes; 0 no (an
 * EEUM block, or its system's minerals ran dry this month).  The order's
 * record, a cache miss, is only asked for here: serve reads it, and finds
 * there an order a budget cap emptied (docs/performance.md, seventh
 * round).  In a component's merge the candidate may wait in the heap
 * while other queues are served, and its record arrives meanwhile. */
static int offerable(struct planner *P, struct lineq *q, size_t i, int t)
{
	const struct slot *sl = &q->v[i];
	if (blocked(P, sl) || P->sys_dry[sl->system] == t + 1)
		return 0;
	__builtin_prefetch(&P->os[sl->st]);
	return 1;
}

/* next_candidate under priority keys: orders not yet eligible are spread
 * through the queue (within one partner they come last), so the queue is
 * scanned for the next eligible month, dead slots and all, rather than
 * walked slot by slot along the jumps. */
static int next_priority(struct planner *P, struct lineq *q, size_t *pos, int t)
{
	size_t i = *pos;
	int found = 0;
	/* Found already for a prefetch (prefetch_queues, prefetch_after):
	 * within a month a slot's eligible month only changes to EL_DEAD, and
	 * only slots at or after the one found are served. */
	if (q->ahead_tag == P->walk_tag && q->ahead_from == i)
		i = q->ahead;
	else
		i = first_eligible(q->el, i, q->n, t);
	while (i < q->n) {
		if (offerable(P, q, i, t)) {
			found = 1;
			break;
		}
		i = first_eligible(q->el, i + 1, q->n, t);
	}
	*pos = i;
	return found;
}

/* A run of dead slots that started at *run ends before live slot i (or
 * the queue's end): its first slot jumps straight to i. */
static inline void end_run(struct lineq *q, size_t *run, size_t i)
{
	if (*run == SIZE_MAX)
		return;
	q->v[*run].order = (int32_t)i;
	if (*run <= q->head)
		q->head = i;
	*run = SIZE_MAX;
}

/* Advances *pos to the next slot of q that can be offered units in month
 * t; returns 0 when there is none.  Runs of dead slots are jumped over, and
 * the jump is shortened to the first live slot found after it.  Under fcfs
 * keys eligibility follows key order, so the first order not yet eligible
 * ends the queue for this month (unless an order's not_before makes it
 * eligible after its LOA: the queue is then scanned as under priority).  Orders of a system whose
 * minerals ran dry this month are passed over: stocks only fall within a month. */
static int next_candidate(struct planner *P, struct lineq *q, size_t *pos, int t)
{
	if (q->system >= 0 && P->sys_dry[q->system] == t + 1)
		return 0;                       /* the queue's one system ran dry this month */
	if (P->keyed_priority || P->not_before) /* eligibility not in key order */
		return next_priority(P, q, pos, t);
	size_t i = *pos, run = SIZE_MAX;
	int found = 0;
	while (i < q->n) {
		int e = q->el[i];
		if (e == EL_DEAD) {
			if (run == SIZE_MAX)
				run = i;
			i = (size_t)q->v[i].order;
			continue;
		}
		end_run(q, &run, i);
		if (e > t) /* under fcfs keys so is every later slot */
			break;
		if (offerable(P, q, i, t)) {
			found = 1;
			break;
		}
		i++;
	}
	end_run(q, &run, i);
	*pos = i;
	return found;
}

/* Offers the candidate at q->v[pos] what it can take: its remaining
 * units, within what its line has left, its own max_per_month and what
 * the stocks allow.  An order held by its cap keeps its slot: the walk
 * goes on to the next.  An order a budget cap emptied is offered nothing,
 * and its slot dies. */
static int serve(struct planner *P, struct plan_walk *W, struct lineq *q, size_t pos, int t,
		 int minerals)
{
	int line = q->line;
	const struct slot *sl = &q->v[pos];
	struct ostate *st = &P->os[sl->st];
	if (st->rem == 0) {
		mark_dead(q, pos);
		return ALLOT_OK;
	}
	int32_t o = sl->order;
	int64_t u = st->rem < P->left[line] ? st->rem : P->left[line];
	int64_t lim = INT64_MAX, pace = INT64_MAX;
	if (P->pace && P->pace[sl->st] > 0) { /* the order's max_per_month */
		pace = P->pace[sl->st];
		if (pace < u)
			u = pace;
	}
	if (minerals) {
		int sys = sl->system;
		lim = mineral_limit(P, sys);
		if (lim == 0)
			P->sys_dry[sys] = t + 1;
		if (lim < u)
			u = lim;
	}
	if (P->trace && o == P->trace->order)
		trace_offer(P, P->left[line], st->rem, pace, lim, u > 0 ? u : 0);
	if (u <= 0)
		return ALLOT_OK;
	int rc = grant(P, W, sl, st, t, u);
	if (st->rem == 0)
		mark_dead(q, pos);
	return rc;
}

/* A component of one queue: the line's own, or its one system's. */
static int walk_queue(struct planner *P, struct plan_walk *W, struct lineq *q, int t)
{
	int line = q->line, minerals = P->line_minerals[line];
	size_t pos = q->head;
	while (P->left[line] > 0 && next_candidate(P, q, &pos, t)) {
		int rc = serve(P, W, q, pos, t, minerals);
		if (rc != ALLOT_OK)
			return rc;
		pos++;
	}
	return ALLOT_OK;
}

/* A tournament (loser) tree over a component's queues, keyed by their
 * current candidates' keys: h[0] holds the winner (the smallest key),
 * h[j] for 0 < j < L the loser of the match at node j, the L leaves (a
 * power of two, at least the component's queues) being the queues, a
 * queue without a candidate keyed TREE_DONE.  The winner's queue plays
 * its next candidate up its leaf's path: log2 L matches of one comparison
 * each, without a branch (a heap's sift takes two comparisons a level and
 * stops at a level that cannot be predicted; docs/performance.md, ninth
 * round). */
#define TREE_DONE     UINT64_MAX /* keys use 62 bits */
#define AT(leaf, pos) ((uint64_t)(leaf) << 32 | (uint32_t)(pos))

/* Plays x, the last winner's leaf with its next key, up the leaf's path;
 * returns the new winner. */
static inline struct head tree_replay(struct head *h, size_t L, struct head x)
{
	uint64_t xk = x.key, xa = x.at;
	for (size_t j = (L + (size_t)(xa >> 32)) >> 1; j > 0; j >>= 1) {
		uint64_t yk = h[j].key, ya = h[j].at;
		int lose = yk < xk;
		h[j].key = lose ? xk : yk;
		h[j].at = lose ? xa : ya;
		xk = lose ? yk : xk;
		xa = lose ? ya : xa;
	}
	return (struct head){ xk, xa };
}

/* Plays every match from the leaves w[L, 2L) up (w[j] is the winner at
 * node j, h[j] the loser); returns the winner. */
static struct head tree_build(struct head *h, struct head *w, size_t L)
{
	for (size_t j = L - 1; j > 0; j--) {
		struct head a = w[2 * j], b = w[2 * j + 1];
		int b_wins = b.key < a.key;
		w[j] = b_wins ? b : a;
		h[j] = b_wins ? a : b;
	}
	return w[1];
}

/* Each month the walk starts at the head of each of some 3,000 queues, in
 * their order (component by component): three cache misses in a chain per
 * queue (its head slot's eligible month and the slot, then the order's
 * record the slot names), and little work between queues.  So, about to
 * start queue k, ask for the head slots of queue k + HEAD_AHEAD and for
 * the order record of queue k + STATE_AHEAD (whose slot was asked for
 * earlier): the misses of several queues overlap instead of queueing.
 * Under priority keys the walk's first slot is not the head but the first
 * eligible one, found further on: queue k + ELIG_AHEAD (whose months were
 * asked for earlier) finds it and asks for that slot, and the record asked
 * for is that slot's.  Only a guess: the walk finds its own way. */
#define HEAD_AHEAD  12
#define ELIG_AHEAD  8
#define STATE_AHEAD 4

static inline void prefetch_queues(struct planner *P, const struct plan_walk *W, size_t k, int t)
{
	size_t end = W->qend; /* the walk's own queues only */
	if (k + HEAD_AHEAD < end) {
		const struct lineq *q = &P->q[k + HEAD_AHEAD];
		__builtin_prefetch(&q->el[q->head]);
		if (!P->keyed_priority)
			__builtin_prefetch(&q->v[q->head]);
	}
	if (P->keyed_priority && k + ELIG_AHEAD < end) {
		struct lineq *q = &P->q[k + ELIG_AHEAD];
		q->ahead = first_eligible(q->el, q->head, q->n, t);
		q->ahead_from = (uint32_t)q->head;
		q->ahead_tag = P->walk_tag;
		if (q->ahead < q->n)
			__builtin_prefetch(&q->v[q->ahead]);
	}
	if (k + STATE_AHEAD < end) {
		const struct lineq *q = &P->q[k + STATE_AHEAD];
		size_t i = P->keyed_priority ? q->ahead : q->head;
		if (i < q->n)
			__builtin_prefetch(&P->os[q->v[i].st]);
	}
}

/* Under priority keys a queue in the merge heap asks for the slot after
 * its candidate (the first eligible one after pos) while other queues are
 * served; when its turn comes, for that slot's order record.  Guesses
 * only, as in prefetch_queues. */
static inline void prefetch_after(const struct planner *P, struct lineq *q, size_t pos, int t)
{
	q->ahead = first_eligible(q->el, pos + 1, q->n, t);
	q->ahead_from = (uint32_t)(pos + 1);
	q->ahead_tag = P->walk_tag;
	if (q->ahead < q->n)
		__builtin_prefetch(&q->v[q->ahead]);
}

/* The queues of one mineral component, merged in key order.  A queue
 * whose line has no capacity left is not offered anything: another queue
 * of its line may have used it up since it joined the tree. */
static int walk_component(struct planner *P, struct plan_walk *W, int c, int t)
{
	int32_t c0 = P->comp_start[c];
	size_t nc = (size_t)(P->comp_start[c + 1] - c0), L = planner_tree_leaves(nc);
	struct head *h = W->heap, *w = W->heap + L; /* losers; winners and leaves */
	for (size_t i = 0; i < nc; i++) {
		size_t k = (size_t)c0 + i;
		struct lineq *q = &P->q[k];
		prefetch_queues(P, W, k, t);
		size_t pos = q->head;
		if (P->left[q->line] > 0 && next_candidate(P, q, &pos, t)) {
			w[L + i] = (struct head){ q->v[pos].key, AT(i, pos) };
			if (P->keyed_priority)
				prefetch_after(P, q, pos, t);
		} else {
			w[L + i] = (struct head){ TREE_DONE, AT(i, 0) };
		}
	}
	for (size_t i = nc; i < L; i++)
		w[L + i] = (struct head){ TREE_DONE, AT(i, 0) };
	/* The winner's queue is served, then plays its next candidate (or
	 * none) up its path.  Keys are unique, so the order of offers is the
	 * key order whatever the tree's shape. */
	struct head x = tree_build(h, w, L);
	while (x.key != TREE_DONE) {
		size_t i = (size_t)(x.at >> 32), at = (uint32_t)x.at;
		struct lineq *q = &P->q[(size_t)c0 + i];
		if (P->left[q->line] == 0) {
			x = tree_replay(h, L, (struct head){ TREE_DONE, x.at });
			continue;
		}
		if (P->keyed_priority && q->ahead < q->n)
			__builtin_prefetch(&P->os[q->v[q->ahead].st]);
		int rc = serve(P, W, q, at, t, 1);
		if (rc != ALLOT_OK)
			return rc;
		size_t pos = at + 1;
		if (P->left[q->line] > 0 && next_candidate(P, q, &pos, t)) {
			x = tree_replay(h, L, (struct head){ q->v[pos].key, AT(i, pos) });
			if (P->keyed_priority)
				prefetch_after(P, q, pos, t);
		} else {
			x = tree_replay(h, L, (struct head){ TREE_DONE, x.at });
		}
	}
	return ALLOT_OK;
}

/* Components [c0, c1) in their order. */
static int walk_comps(struct planner *P, struct plan_walk *W, int32_t c0, int32_t c1, int t)
{
	for (int32_t c = c0; c < c1; c++) {
		int32_t k = P->comp_start[c];
		int rc;
		if (P->comp_start[c + 1] - k == 1) {
			prefetch_queues(P, W, (size_t)k, t);
			rc = walk_queue(P, W, &P->q[k], t);
		} else {
			rc = walk_component(P, W, c, t);
		}
		if (rc != ALLOT_OK)
			return rc;
	}
	return ALLOT_OK;
}

/* The units walk_unit[lo, hi) of month t (plan_int.h), on either thread:
 * components share no order, line, system, mineral or queue, so each is
 * walked by one thread alone, reading and writing only its own (the
 * partners' and systems' EEUM status, the bills and the paces are read
 * only); rows and units granted go to the thread's share. */
struct walk_job {
	int t;
};
static void walk_units(struct planner *P, void *arg, const struct plan_part *part, size_t lo,
		       size_t hi)
{
	const struct walk_job *j = arg;
	struct plan_walk *W = part->walk;
	for (size_t k = lo; k < hi && W->rc == ALLOT_OK; k++) {
		int32_t u = P->walk_unit[k], c0 = P->unit_comp[u], c1 = P->unit_comp[u + 1];
		W->qend = (size_t)P->comp_start[c1];
		W->rc = walk_comps(P, W, c0, c1, j->t);
	}
}

/* Step 3-4 of month t: the walk, component by component.  With two
 * threads (and no order traced: the trace follows one walk's order) the
 * units are dealt out to both; the worker's rows are appended to the
 * plan's after the month. */
static int walk_month(struct planner *P, int t)
{
	struct allot_plan *out = P->out;
	P->walk_tag++; /* every ahead found before is stale */
	struct plan_walk W = {
		out->allocs, out->n_allocs, P->alloc_cap, 0, P->heap, P->nq, ALLOT_OK
	};
	int rc;
	if (P->threads > 1 && !P->trace && P->n_units > 1) {
		struct walk_job j = { t };
		struct plan_part mine = { .walk = &W };
		struct plan_walk *other = planner_walk_share(P);
		if (other)
			*other = (struct plan_walk){ other->rows, 0, other->cap, 0,
						     other->heap, 0, ALLOT_OK };
		planner_parallel(P, walk_units, &j, &mine, (size_t)P->n_units, 1);
		rc = W.rc;
		if (other) {
			if (rc == ALLOT_OK)
				rc = other->rc;
			if (rc == ALLOT_OK && other->n_rows > 0) {
				if (grow_rows(&W, W.n_rows + other->n_rows) != 0)
					rc = ALLOT_ENOMEM;
				else
					memcpy(W.rows + W.n_rows, other->rows,
					       other->n_rows * sizeof *W.rows);
				W.n_rows += rc == ALLOT_OK ? other->n_rows : 0;
			}
			W.produced += other->produced;
		}
	} else {
		rc = walk_comps(P, &W, 0, P->n_comps, t);
	}
	out->allocs = W.rows;
	out->n_allocs = W.n_rows;
	P->alloc_cap = W.cap;
	out->produced_by_month[t] += W.produced;
	return rc;
}

/* Drops dead slots from queues where they have piled up. */
static void compact(struct planner *P)
{
	for (size_t k = 0; k < P->nq; k++) {
		struct lineq *q = &P->q[k];
		if (q->dead < 256 || q->dead * 2 <= q->n)
			continue;
		size_t w = 0;
		for (size_t r = q->head; r < q->n; r++)
			if (q->el[r] != EL_DEAD) {
				q->el[w] = q->el[r];
				q->v[w++] = q->v[r];
			}
		q->n = w;
		q->head = 0;
		q->dead = 0;
	}
}

/* ---------------------------------------------------------------------- */
/* Invariants, asserted in debug builds: the sanitizer build keeps asserts
 * on (CMakeLists.txt, ALLOT_SANITIZE), so every plan of `make test` passes
 * through them; the optimised build (NDEBUG) pays nothing.                 */

#ifdef NDEBUG
#define check_month(P, t) ((void)0)
#define check_plan(P)     ((void)0)
#else
/* After month t: no line has used more than its capacity, which is never
 * negative, and no mineral stock is below zero. */
static void check_month(const struct planner *P, int t)
{
	const struct allot_scenario *s = P->s;
	for (size_t l = 0; l < s->n_lines; l++) {
		int64_t f = P->out->capacity[l * (size_t)P->H + (size_t)t];
		assert(f >= 0);
		assert(P->left[l] >= 0 && P->left[l] <= f);
	}
	for (size_t m = 0; m < s->n_minerals; m++)
		assert(P->stock[m] >= 0);
}

/* After the last month: per order, units produced, cancelled and still open
 * are never negative and together never exceed the units open at as_of
 * (delivered <= ordered); what arrives in the horizon was produced; the
 * production months run forwards inside the horizon.  The monthly totals
 * add up to the orders' totals. */
static void check_plan(const struct planner *P)
{
	const struct allot_scenario *s = P->s;
	int64_t total = 0, by_month = 0;
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct ostate *st = &P->os[P->st_of[i]];
		int64_t open = s->orders[i].qty - s->orders[i].delivered;
		assert(st->rem >= 0 && st->produced >= 0 && P->cancelled[i] >= 0);
		assert(st->produced + P->cancelled[i] + st->rem <= (open > 0 ? open : 0));
		assert(st->delivered_in_h >= 0 && st->delivered_in_h <= st->produced);
		if (st->first_prod == OS_DEAD)
			assert(st->produced == 0);
		else
			assert(0 <= st->first_prod && st->first_prod <= st->last_prod &&
			       st->last_prod < P->H);
		total += st->produced;
	}
	for (int t = 0; t < P->H; t++) {
		assert(P->out->produced_by_month[t] >= 0);
		by_month += P->out->produced_by_month[t];
	}
	assert(by_month == total);
}
#endif

/* ---------------------------------------------------------------------- */
/* The month loop                                                           */

static int plan_month(struct planner *P, int t)
{
	int rc;
	/* 1. Apply what is dated month t, in file order. */
	while (P->next_action < P->n_actions && P->actions[P->next_action].month <= t) {
		rc = apply_action(P, &P->actions[P->next_action++]);
		if (rc != ALLOT_OK)
			return rc;
	}
	int want_priority = P->kind == ALLOT_POLICY_PRIORITY && t >= P->switch_rel;
	int changed = P->scores_dirty ? rescore(P) : 0;
	if (t == 0)
		planner_record_scores(P);
	/* Sort once per change of keys: fcfs keys never change. */
	if (want_priority && (!P->keyed_priority || changed))
		rekey_priority(P);
	open_capacity(P, t);
	/* 2. Mineral supply for month t. */
	add_supply(P, t);
	if (P->trace)
		trace_month_begin(P, t);
	/* 3-4. The walk in key order, component by component. */
	rc = walk_month(P, t);
	if (rc != ALLOT_OK)
		return rc;
	if (P->trace)
		trace_month_end(P, t);
	for (size_t l = 0; l < P->s->n_lines; l++)
		P->out->used[l * (size_t)P->H + (size_t)t] =
			P->out->capacity[l * (size_t)P->H + (size_t)t] - P->left[l];
	for (size_t m = 0; m < P->s->n_minerals; m++)
		P->out->stock_end[m * (size_t)P->H + (size_t)t] = P->stock[m];
	compact(P);
	check_month(P, t);
	return ALLOT_OK;
}

/* plan_resume.c's way in: plan_month stays static so that allot_plan_run
 * keeps it inlined (bench_plan). */
int planner_month(struct planner *P, int t)
{
	return plan_month(P, t);
}

void allot_plan_options_init(struct allot_plan_options *o)
{
	memset(o, 0, sizeof *o);
	o->policy = ALLOT_POLICY_PRIORITY;
	o->switch_month = ALLOT_NO_MONTH;
	o->record_allocations = 1;
	o->trace_order = -1;
}

int allot_plan_run(const struct allot_scenario *s, const struct allot_plan_options *o,
		   struct allot_plan **out)
{
	return allot_plan_run_in(NULL, s, o, out);
}

int allot_plan_run_in(struct allot_plan_workspace *w, const struct allot_scenario *s,
		      const struct allot_plan_options *o, struct allot_plan **out)
{
	struct planner P;
	*out = NULL;
	int rc = planner_init(&P, s, o, w);
	for (int t = 0; rc == ALLOT_OK && t < P.H; t++)
		rc = plan_month(&P, t);
	if (rc == ALLOT_OK) {
		check_plan(&P);
		rc = planner_finish(&P, out);
	}
	planner_free(&P);
	return rc;
}
