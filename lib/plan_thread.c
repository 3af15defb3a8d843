/*
 * plan_thread.c - the planner's second thread (docs/performance.md,
 * eighth round).
 *
 * Some of a plan's passes are a loop over independent items: a re-key
 * sorts or merges each queue on its own, the set-up sorts each queue on
 * its own and numbers its orders' records.  planner_parallel deals such a
 * loop out in chunks, taken in turn by the caller and by one worker
 * thread, from a shared counter.  Which thread takes which chunk depends
 * on timing, but an item's result does not depend on the thread (each has
 * its own scratch, and items touch disjoint memory), so the plan is the
 * same, bit for bit, with one thread or two.
 *
 * The worker is started at the first such loop of a plan and kept: in the
 * workspace when there is one (a sweep's or a bench's next plan reuses
 * it), else until planner_free.  It sleeps on a condition variable
 * between loops.  A caller never waits for a worker that has not yet
 * woken (on a loaded machine that can take a time slice): it takes every
 * chunk itself and withdraws the job.  It waits only for the chunks the
 * worker has taken.  When a worker cannot be started the plan goes on
 * with one thread.
 */
#include <allot/allot.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan_int.h"
#include "util/mem.h"

/* One loop dealt out (planner_parallel): on the caller's stack, read by
 * the worker only between taking it and reporting back. */
struct plan_job {
	plan_job_fn *fn;
	struct planner *P;
	void *arg;
	size_t n, chunk;
	atomic_size_t next; /* the first item not yet taken */
};

struct plan_worker {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	struct plan_job *posted; /* a job not yet taken; NULL none */
	int busy;                /* the worker is running a job's chunks */
	int quit;
	struct plan_part part;             /* the worker's scratch */
	struct plan_walk walk;             /* ... and its share of the month walks */
	size_t longest, partners, biggest; /* what part has room for */
};

/* Takes chunks of the job until none is left. */
static void run_chunks(struct plan_job *j, const struct plan_part *part)
{
	for (;;) {
		size_t lo = atomic_fetch_add_explicit(&j->next, j->chunk, memory_order_relaxed);
		if (lo >= j->n)
			return;
		size_t hi = j->n - lo < j->chunk ? j->n : lo + j->chunk;
		j->fn(j->P, j->arg, part, lo, hi);
	}
}

static void *worker_main(void *arg)
{
	struct plan_worker *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->posted && !w->quit)
			pthread_cond_wait(&w->go, &w->mu);
		if (w->quit)
			break;
		struct plan_job *j = w->posted;
		w->posted = NULL;
		w->busy = 1;
		pthread_mutex_unlock(&w->mu);
		run_chunks(j, &w->part);
		pthread_mutex_lock(&w->mu);
		w->busy = 0;
		pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void part_free(struct plan_part *p)
{
	mem_free(p->sscratch);
	mem_free(p->escratch);
	mem_free(p->gcount);
	mem_free(p->at);
	if (p->walk) {
		mem_free(p->walk->rows);
		mem_free(p->walk->heap);
		memset(p->walk, 0, sizeof *p->walk);
	}
	memset(p, 0, sizeof *p);
}

void plan_worker_free(struct plan_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	pthread_cond_signal(&w->go);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	pthread_cond_destroy(&w->go);
	pthread_cond_destroy(&w->done);
	pthread_mutex_destroy(&w->mu);
	part_free(&w->part);
	mem_free(w);
}

static struct plan_worker *worker_new(void)
{
	struct plan_worker *w = mem_calloc(1, sizeof *w);
	if (!w)
		return NULL;
	if (pthread_mutex_init(&w->mu, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&w->go, NULL) != 0)
		goto fail_go;
	if (pthread_cond_init(&w->done, NULL) != 0)
		goto fail_done;
	if (pthread_create(&w->th, NULL, worker_main, w) != 0)
		goto fail_th;
	return w;
fail_th:
	pthread_cond_destroy(&w->done);
fail_done:
	pthread_cond_destroy(&w->go);
fail_go:
	pthread_mutex_destroy(&w->mu);
fail_mu:
	mem_free(w);
	return NULL;
}

/* Room in the worker's scratch for this plan's passes.  The worker is
 * idle (no job posted or running) whenever this is called. */
static int worker_fit(struct plan_worker *w, const struct planner *P)
{
	size_t longest = P->longest, partners = P->s->n_partners, biggest = P->biggest;
	if (longest <= w->longest && partners <= w->partners && biggest <= w->biggest)
		return 0;
	part_free(&w->part);
	w->longest = w->partners = w->biggest = 0;
	struct plan_part *p = &w->part;
	p->walk = &w->walk;
	p->sscratch = mem_calloc(longest, sizeof *p->sscratch);
	p->escratch = mem_calloc(longest, sizeof *p->escratch);
	p->gcount = mem_calloc(partners + 1, sizeof *p->gcount);
	p->at = mem_calloc(2 * longest + 66, sizeof *p->at);
	w->walk.heap = mem_calloc(3 * planner_tree_leaves(biggest), sizeof *w->walk.heap);
	if (!p->sscratch || !p->escratch || !p->gcount || !p->at || !w->walk.heap) {
		part_free(p);
		return -1;
	}
	w->longest = longest;
	w->partners = partners;
	w->biggest = biggest;
	return 0;
}

/* The worker for this plan, started (or taken from the workspace) at the
 * first loop; NULL when none can be: the plan then keeps to one thread. */
static struct plan_worker *worker_get(struct planner *P)
{
	if (!P->wk) {
		struct plan_worker **slot = P->ws ? &P->ws->wk : &P->wk;
		if (!*slot)
			*slot = worker_new();
		P->wk = *slot;
		if (!P->wk) {
			P->threads = 1;
			return NULL;
		}
	}
	if (worker_fit(P->wk, P) != 0) {
		P->threads = 1;
		return NULL;
	}
	return P->wk;
}

struct plan_walk *planner_walk_share(struct planner *P)
{
	struct plan_worker *w = P->threads > 1 ? worker_get(P) : NULL;
	return w ? &w->walk : NULL;
}

void planner_parallel(struct planner *P, plan_job_fn *fn, void *arg, const struct plan_part *mine,
		      size_t n, size_t chunk)
{
	/* A short loop (a small scenario made to use two threads) in chunks
	 * of one item or a few, so that both threads take some. */
	if (chunk == 0 || chunk * 8 > n)
		chunk = n / 8 ? n / 8 : 1;
	struct plan_worker *w = P->threads > 1 && n > 1 ? worker_get(P) : NULL;
	if (!w) {
		if (n > 0)
			fn(P, arg, mine, 0, n);
		return;
	}
	struct plan_job j = { .fn = fn, .P = P, .arg = arg, .n = n, .chunk = chunk };
	atomic_init(&j.next, 0);
	pthread_mutex_lock(&w->mu);
	w->posted = &j;
	pthread_cond_signal(&w->go);
	pthread_mutex_unlock(&w->mu);
	run_chunks(&j, mine);
	pthread_mutex_lock(&w->mu);
	if (w->posted == &j) /* the worker never woke for it: withdrawn */
		w->posted = NULL;
	while (w->busy)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

/* Worth a second thread: a re-key of this many slots takes a few hundred
 * microseconds, against some tens for waking the worker. */
#define THREADS_MIN_SLOTS 100000

void planner_threads_init(struct planner *P, int t, size_t slots)
{
	if (t == 0) {
		const char *env = getenv("ALLOT_PLAN_THREADS");
		if (env && *env)
			t = atoi(env) <= 1 ? 1 : 0;
		if (t == 0)
			t = slots >= THREADS_MIN_SLOTS && sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
	}
	P->threads = t > 1 ? 2 : 1;
	P->wk = NULL;
}

void planner_threads_free(struct planner *P)
{
	if (P->wk && !P->ws)
		plan_worker_free(P->wk);
	P->wk = NULL;
}
