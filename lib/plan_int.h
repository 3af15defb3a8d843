/*
 * plan_int.h - the planner's private state, shared by plan.c (the month
 * loop) and plan_setup.c (building and tearing down that state).
 */
#ifndef ALLOT_PLAN_INT_H
#define ALLOT_PLAN_INT_H

#include <allot/allot.h>
#include <stdint.h>

/* Packed keys (plan.c): the low bits of every key are loa month | id rank. */
#define ID_BITS  27
#define LOA_BITS 17

/* One entry of a line's queue.  The walk reads only slots (and the
 * order's remaining units when it offers some), so what it needs to skip an
 * order is kept here.  A dead slot's `order` holds the index of a later slot
 * with only dead slots between (a jump over a run of finished orders). */
/* An order in its partner's ranking, for budget caps (plan.c): partner_rank
 * ascending, an empty rank (-1) after every ranked order, then LOA month,
 * then id.  Sorted as keys side by side rather than through the orders,
 * which lie at random among a million. */
struct ranked {
	uint64_t rank; /* partner_rank as unsigned: -1 comes last */
	uint64_t low;  /* loa month | id rank, as in a fcfs key */
	int32_t order;
	int32_t system; /* its unit cost without a read of the order */
};

struct slot {
	uint64_t key;  /* packed policy key (plan.c) */
	int32_t order; /* the order; for a dead slot, the jump */
	int32_t st;    /* the order's state record, P->os[st] */
	int32_t system;
	int32_t partner;
};

/* el[i] is slot i's eligible month (relative), or EL_DEAD once the order is
 * done.  It sits in its own array because the walk scans it most: under
 * priority keys, orders not yet eligible are spread through the queue. */
#define EL_DEAD INT16_MAX

struct lineq {
	struct slot *v;
	int16_t *el;
	size_t n;     /* slots in v */
	size_t head;  /* slots before head are dead; head may be dead too */
	size_t dead;  /* slots marked dead since the last compaction */
	size_t ahead; /* under priority keys: the first eligible slot, as
		       * guessed for a prefetch (plan.c) */
	int32_t line;
	int32_t system; /* the queue's one system; -1: all of the line's */
	/* ahead is the first eligible slot from ahead_from on in the month
	 * walk P->walk_tag == ahead_tag: the walk starts its own search there
	 * (next_priority) rather than search again. */
	uint32_t ahead_from, ahead_tag;
};

/* A queue in the merge tree of a mineral component (plan.c): its
 * candidate's key, and its leaf (the queue's place in the component) <<
 * 32 | the candidate's slot (a queue holds fewer than 2^ID_BITS slots). */
struct head {
	uint64_t key;
	uint64_t at;
};

/* The merge tree's leaves for a component of n queues: a power of two.
 * The tree takes 3 * leaves heads (plan.c, walk_component). */
static inline size_t planner_tree_leaves(size_t n)
{
	size_t L = 1;
	while (L < n)
		L *= 2;
	return L;
}

/* An order's state while planning: 16 bytes, since an order's units fit
 * in 32 bits (qty <= 1e9, docs/limits.md; planner_init checks) and months
 * in 16 (horizon <= 1200).  The records are numbered in the order of the
 * queues as first built (line, then fcfs key), so a line's walk reads its
 * orders' records from one small block: P->st_of[order] is the number. */
#define OS_DEAD INT16_MAX
struct ostate {
	int32_t rem; /* units neither produced nor cancelled */
	int32_t produced;
	int32_t delivered_in_h; /* produced early enough to arrive in the horizon */
	int16_t first_prod;     /* relative month; OS_DEAD before the first unit */
	int16_t last_prod;
};

/* An order's units that take no line capacity (docs/allocation.md, "Work
 * in progress and supply types"): its wip.csv rows and, for an order not
 * supplied new, the rest of its open units.  Months are relative delivery
 * months. */
struct offline {
	int64_t wip;   /* wip.csv units */
	int64_t units; /* every off-line unit (wip included) */
	int64_t in_h;  /* of which delivered within the horizon */
	int32_t first; /* first delivery; INT32_MAX when none */
	int32_t last;  /* last delivery; -1 when none */
};

enum action_kind { ACT_EVENT, ACT_INVEST_MONEY, ACT_INVEST_ONLINE };

/* Something dated: an events.csv row, or an investment's money or rate. */
struct action {
	int32_t month; /* relative; rows dated before as_of apply at month 0 */
	int32_t seq;   /* file order: events, then investments */
	int32_t kind;
	int32_t index;
};

/* A planner's working memory kept between runs (allot_plan_workspace_new):
 * the blocks planner_init asks for, in the order it asks for them, and
 * the arrays of a recycled plan.  A run of the same scenario (a sweep's
 * next draw) gets every block back instead of fresh pages from the
 * kernel.  Blocks handed out are zeroed, as calloc's. */
struct ws_block {
	void *p;
	size_t bytes;
};
enum {
	WS_ORDERS,
	WS_PRODUCED,
	WS_CAPACITY,
	WS_USED,
	WS_STOCK_END,
	WS_SCORE0,
	WS_ALLOCS, /* allocation rows, as the month loop appends them */
	WS_SORTED, /* ... and sorted (planner_finish) */
	WS_OUT
};
struct plan_worker;
struct allot_plan_workspace {
	struct plan_worker *wk; /* the planner's second thread, kept (plan_thread.c) */
	struct ws_block *v;
	size_t n, cap;               /* blocks kept */
	size_t next;                 /* the next one planner_init asks for */
	struct ws_block out[WS_OUT]; /* a recycled plan's arrays */
};

/* A thread's share of a month's walk (plan.c): the allocation rows it
 * appends, the units it grants and the merge tree of its components.
 * The caller's rows are the plan's own; the worker's are appended to them
 * after the month (planner_finish sorts the rows by order and month, and
 * an order has one row a month at most, so where a row was appended does
 * not matter). */
struct plan_walk {
	struct allot_alloc *rows;
	size_t n_rows, cap;
	int64_t produced;  /* units granted this month */
	struct head *heap; /* the merge tree of the biggest component */
	size_t qend;       /* queues prefetched stop here (prefetch_queues) */
	int rc;
};

/* A thread's scratch for the per-queue passes run on two threads
 * (plan_thread.c): the caller's is the planner's own arrays, the worker's
 * its own, of the same sizes. */
struct plan_part {
	struct slot *sscratch;  /* longest queue */
	int16_t *escratch;      /* longest queue */
	size_t *gcount;         /* partners + 1 */
	size_t *at;             /* 2 * longest queue + 66 (plan_setup.c) */
	struct plan_walk *walk; /* the month walk's share (plan.c) */
};

struct planner {
	const struct allot_scenario *s;
	struct allot_plan_workspace *ws; /* NULL: plain allocations */
	struct allot_plan *out;
	int H;
	allot_month as_of;
	enum allot_policy_kind kind;
	int switch_rel;     /* first relative month of the named policy */
	int keyed_priority; /* keys currently hold the priority key */
	int record;         /* keep allocation rows */
	int ids_sorted;     /* order i has id rank i (idrank) */
	int offline;        /* allot_scenario_has_offline, found by init_state */
	size_t alloc_cap;

	struct allot_policy pol; /* weights change with events */

	/* partners */
	double *invest;
	enum allot_eum *eum;
	int32_t *cents;
	int32_t *tier;
	int scores_dirty;
	/* Budget caps: the orders of each partner some cap names, listed as
	 * the queues are dealt (plan_setup.c): partner p's are cap_list
	 * [cap_start[p], cap_at[p]); cap_at[p] < 0 for a partner no cap
	 * names; all NULL when the scenario has no cap. */
	int32_t *cap_start, *cap_at;
	struct ranked *cap_list;
	int32_t *prank;        /* partner's group in priority order (plan.c) */
	uint64_t *key_group;   /* the partner's group as the keys in the queues say */
	uint8_t *shared;       /* group holds several partners */
	int32_t *pscratch;     /* partners, sorted; then scratch (rekey_priority) */
	size_t *gcount;        /* per group */
	struct slot *sscratch; /* as long as the longest queue */
	int16_t *escratch;

	/* lines */
	double *base_rate, *added_rate, *share;
	int64_t *cum, *left;
	uint8_t *line_minerals; /* the line's systems draw on minerals */
	/* Queues: one per line, but one per system on a line whose systems
	 * draw on minerals, so that a system that ran dry in a month leaves
	 * the month's walk at once rather than slot by slot.  Numbered
	 * component by component: component c walks queues comp_start[c] to
	 * comp_start[c + 1] - 1. */
	struct lineq *q;
	size_t nq;
	int32_t *sys_queue; /* system -> its queue */
	struct slot *slots; /* every queue's slots, queue after queue */
	int16_t *els;       /* ... and their eligible months */
	int32_t n_comps;
	int32_t *comp_start;
	struct head *heap;
	size_t biggest;    /* queues of the biggest component */
	uint32_t walk_tag; /* the month walks so far (lineq.ahead_tag) */
	/* The month walk on two threads (plan.c): units of whole components,
	 * each a run of components [unit_comp[u], unit_comp[u + 1]) in the
	 * component numbering; walk_unit[k] is the k-th unit dealt out, the
	 * units with the most queues first. */
	int32_t n_units;
	int32_t *unit_comp, *walk_unit;

	/* systems: bill of materials (CSR), grams per unit > 0 */
	int32_t *bom_start, *bom_mineral;
	int64_t *bom_g;
	uint8_t *sys_eeum;
	int32_t *sys_dry; /* t + 1 when the system's minerals ran dry in month t */

	/* minerals */
	int64_t *stock;

	/* orders: what the walk touches sits in one 16-byte record */
	struct ostate *os;   /* by state number (above) */
	int32_t *st_of;      /* order -> state number */
	struct offline *off; /* per order; NULL when the scenario has none */
	int32_t *pace;       /* by state number: max_per_month, 0 = none;
			      * NULL when no order has one */
	int not_before;      /* some order has a not_before after its LOA + lead */
	int64_t *cancelled;
	int64_t *cap_unchecked; /* per order: units a budget cap kept unchecked
				 * (unknown unit cost); NULL when every unit
				 * cost is known */
	uint32_t *idrank;

	struct action *actions;
	size_t n_actions, next_action;

	/* A second thread for the per-queue passes (plan_thread.c): threads is
	 * 2 when the plan may use it, wk the worker once started. */
	int threads;
	struct plan_worker *wk;
	size_t longest; /* slots of the longest queue */

	/* allot explain: one order's story (plan_trace.c); NULL when off */
	struct allot_trace *trace;
	int tr_line, tr_reached;
	size_t tr_ahead_cap;
};

/* ws may be NULL.  With a workspace, the planner's arrays belong to it
 * (planner_free leaves them there); the plan's arrays belong to the plan. */
int planner_init(struct planner *P, const struct allot_scenario *s,
		 const struct allot_plan_options *o, struct allot_plan_workspace *ws);
void planner_record_scores(struct planner *P);
/* Fills the per-order results and hands the plan to *out. */
int planner_finish(struct planner *P, struct allot_plan **out);
void planner_free(struct planner *P);
/* The first month, relative to as_of (may be negative), in which order i
 * may be produced on its line: its LOA month, or not_before less its
 * system's lead when that is later (docs/allocation.md). */
int64_t planner_order_start(const struct planner *P, int32_t i);
/* A live slot's eligible month, clamped to 0..H: its key's LOA month, or
 * planner_order_start's when some order's not_before binds (the key does
 * not carry it). */
static inline int16_t planner_eligible(const struct planner *P, uint64_t key, int32_t order)
{
	int64_t e = P->not_before ? planner_order_start(P, order)
				  : (int64_t)(key >> ID_BITS & ((UINT64_C(1) << LOA_BITS) - 1)) -
					    P->as_of;
	return (int16_t)(e < 0 ? 0 : e > P->H ? P->H : e);
}
/* qsort's order of slots: by key (unique). */
static inline int planner_cmp_slot(const void *a, const void *b)
{
	uint64_t x = ((const struct slot *)a)->key, y = ((const struct slot *)b)->key;
	return (x > y) - (x < y);
}
/* plan_thread.c: items [0, n) in chunks of `chunk`, each chunk given to
 * fn(P, arg, part, lo, hi) on this thread (part: mine) or the worker's
 * (part: its own scratch of the same sizes); returns when
 * every chunk is done.  Items must be independent: the result is the same
 * whichever thread takes which. */
typedef void plan_job_fn(struct planner *P, void *arg, const struct plan_part *part, size_t lo,
			 size_t hi);
void planner_parallel(struct planner *P, plan_job_fn *fn, void *arg, const struct plan_part *mine,
		      size_t n, size_t chunk);
/* The worker's share of the month walk, the worker started (or taken
 * from the workspace) and fitted to this plan; NULL when the plan keeps to
 * one thread. */
struct plan_walk *planner_walk_share(struct planner *P);
/* Decides P->threads from the request (allot_plan_options.threads) and
 * the slots in the queues. */
void planner_threads_init(struct planner *P, int threads, size_t slots);
void planner_threads_free(struct planner *P);
void plan_worker_free(struct plan_worker *w);

/* plan.c: plans month t (the months before are planned). */
int planner_month(struct planner *P, int t);

/* plan_trace.c */
int trace_init(struct planner *P, int32_t order);
void trace_month_begin(struct planner *P, int t);
int trace_ahead(struct planner *P, int32_t o, int64_t u);
void trace_offer(struct planner *P, int64_t left, int64_t wanted, int64_t pace, int64_t mineral_lim,
		 int64_t got);
void trace_month_end(struct planner *P, int t);

#endif
