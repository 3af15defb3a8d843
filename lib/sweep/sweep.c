/*
 * sweep.c - Monte Carlo over a scenario on every core: each run perturbs a
 * thread's working copy of the scenario (perturb.c), plans it and writes
 * what the summary needs into that run's row of the samples.
 *
 * Threads take runs from one atomic counter and write only their own rows,
 * so the hot loop holds no lock; which thread plans a run does not matter
 * because run i draws from the streams of (seed, i) alone.  A process may
 * plan only every step-th run from first (the MPI ranks of cli/cmd_sweep.c);
 * the rows are then gathered and summarised (result.c) as if one process
 * had planned them all.
 */
#include <allot/allot.h>

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sweep_int.h"
#include "util/mem.h"

void allot_sweep_options_init(struct allot_sweep_options *o)
{
	memset(o, 0, sizeof *o);
	allot_plan_options_init(&o->plan);
	o->plan.record_allocations = 0;
	o->seed = 1;
	o->runs = 1000;
	o->step = 1;
}

int allot_sweep_samples_alloc(struct allot_sweep_samples *sm, const struct allot_scenario *s,
			      size_t runs)
{
	memset(sm, 0, sizeof *sm);
	sm->runs = runs;
	sm->n_orders = s->n_orders;
	sm->n_partners = s->n_partners;
	if ((s->n_orders && runs > SIZE_MAX / s->n_orders) ||
	    (s->n_partners && runs > SIZE_MAX / s->n_partners / sizeof(double)))
		return ALLOT_ELIMIT;
	sm->completion = mem_calloc(runs * s->n_orders, sizeof *sm->completion);
	sm->tier = mem_calloc(runs * s->n_partners, sizeof *sm->tier);
	sm->wait = mem_calloc(runs * s->n_partners, sizeof *sm->wait);
	if (!sm->completion || !sm->tier || !sm->wait) {
		allot_sweep_samples_free(sm);
		return ALLOT_ENOMEM;
	}
	return ALLOT_OK;
}

void allot_sweep_samples_free(struct allot_sweep_samples *sm)
{
	if (!sm)
		return;
	mem_free(sm->completion);
	mem_free(sm->tier);
	mem_free(sm->wait);
	memset(sm, 0, sizeof *sm);
}

/* ---------------------------------------------------------------------- */
/* One run                                                                  */

struct ctx {
	const struct allot_scenario *s;
	const struct allot_sweep_options *o;
	struct allot_sweep_samples *sm;
	size_t count;       /* runs of this process */
	atomic_size_t next; /* next of those to take */
	atomic_size_t done;
	atomic_int failed;  /* first failure, or 0 */
	atomic_int running; /* workers not yet finished */
	int workers;        /* threads planning draws */
	/* The base plan's checkpoints when the draws leave a prefix of months
	 * unchanged (caps and embargoes only); NULL otherwise. */
	struct allot_plan_checkpoints *cp;
};

struct worker {
	struct ctx *c;
	pthread_t th;
	struct perturb pt;
	double *wsum; /* per partner */
	size_t *wcnt;
};

/* What the summary needs from one plan, into row `run`. */
static void record(const struct allot_scenario *s, const struct allot_plan *p,
		   struct allot_sweep_samples *sm, size_t run, double *wsum, size_t *wcnt)
{
	int16_t *comp = sm->completion + run * sm->n_orders;
	allot_month end = s->as_of + s->horizon_months;
	memset(wsum, 0, s->n_partners * sizeof *wsum);
	memset(wcnt, 0, s->n_partners * sizeof *wcnt);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_order_result *r = &p->orders[i];
		int64_t open = o->qty - o->delivered;
		if (open <= 0) {
			comp[i] = ALLOT_SWEEP_NONE;
			continue;
		}
		if (r->completion != ALLOT_NO_MONTH)
			comp[i] = (int16_t)(r->completion - s->as_of);
		else
			comp[i] = r->cancelled >= open ? ALLOT_SWEEP_CANCELLED : ALLOT_SWEEP_AFTER;
		if (r->cancelled >= open)
			continue;
		/* docs/planner.md's wait: from the later of as_of and LOA to
		 * completion, or to the horizon's end when not complete. */
		allot_month from = o->loa_month > s->as_of ? o->loa_month : s->as_of;
		allot_month to = r->completion != ALLOT_NO_MONTH ? r->completion : end;
		wsum[o->partner] += to > from ? to - from : 0;
		wcnt[o->partner]++;
	}
	uint8_t *tier = sm->tier + run * sm->n_partners;
	double *wait = sm->wait + run * sm->n_partners;
	for (size_t k = 0; k < s->n_partners; k++) {
		tier[k] = (uint8_t)p->score0[k].tier;
		wait[k] = wcnt[k] ? wsum[k] / (double)wcnt[k] : NAN;
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct ctx *c = w->c;
	const struct allot_sweep_options *o = c->o;
	struct allot_plan_options po = o->plan;
	po.record_allocations = 0;
	po.trace_order = -1;
	if (c->workers > 1 && po.threads == 0)
		po.threads = 1; /* the draws fill the cores: no planner thread each */
	/* The worker's plans reuse one planner workspace: the same blocks
	 * every run instead of fresh pages. */
	struct allot_plan_workspace *ws = allot_plan_workspace_new();
	if (!ws) {
		int zero = 0;
		atomic_compare_exchange_strong(&c->failed, &zero, ALLOT_ENOMEM);
	}
	for (;;) {
		if (atomic_load_explicit(&c->failed, memory_order_relaxed))
			break;
		size_t k = atomic_fetch_add_explicit(&c->next, 1, memory_order_relaxed);
		if (k >= c->count)
			break;
		size_t run = o->first + k * o->step;
		perturb_apply(&w->pt, o->vary, o->n_vary, o->seed, run);
		struct allot_plan *p = NULL;
		int from;
		int rc = c->cp ? allot_plan_resume_in(ws, c->cp, &w->pt.s, &po, &p, &from)
			       : allot_plan_run_in(ws, &w->pt.s, &po, &p);
		if (rc != ALLOT_OK) {
			int zero = 0;
			atomic_compare_exchange_strong(&c->failed, &zero, rc);
			break;
		}
		record(c->s, p, c->sm, run, w->wsum, w->wcnt);
		allot_plan_workspace_recycle(ws, p);
		atomic_fetch_add_explicit(&c->done, 1, memory_order_relaxed);
	}
	allot_plan_workspace_free(ws);
	atomic_fetch_sub(&c->running, 1);
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* The runs of this process                                                 */

static int check(const struct allot_scenario *s, const struct allot_sweep_options *o,
		 const struct allot_sweep_samples *sm)
{
	if (o->step == 0 || o->runs > sm->runs || sm->n_orders != s->n_orders ||
	    sm->n_partners != s->n_partners || s->horizon_months >= ALLOT_SWEEP_CANCELLED)
		return ALLOT_EINPUT;
	for (size_t i = 0; i < o->n_vary; i++) {
		struct allot_diags d;
		allot_diags_init(&d);
		int rc = allot_vary_check(&o->vary[i], s, &d);
		allot_diags_free(&d);
		if (rc != ALLOT_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (o->vary[j].kind == o->vary[i].kind &&
			    o->vary[i].kind != ALLOT_VARY_EMBARGO)
				return ALLOT_EINPUT;
	}
	return ALLOT_OK;
}

/* Caps and embargoes are dated: a run plans like the base scenario up to
 * the first month its draws touch, so it resumes from the base plan's
 * checkpoints (docs/planner.md).  Weights, rates and supply are read from
 * month 0 on: every run is planned in full. */
static int checkpoints_for(struct ctx *c, size_t count)
{
	const struct allot_sweep_options *o = c->o;
	if (count < 4 || o->n_vary == 0)
		return ALLOT_OK;
	for (size_t i = 0; i < o->n_vary; i++)
		if (o->vary[i].kind != ALLOT_VARY_CAPS && o->vary[i].kind != ALLOT_VARY_EMBARGO)
			return ALLOT_OK;
	struct allot_plan_options po = o->plan;
	po.record_allocations = 0;
	po.trace_order = -1;
	struct allot_plan *p = NULL;
	int rc = allot_plan_run_checkpointed(c->s, &po, 3, &p, &c->cp);
	allot_plan_free(p);
	return rc;
}

static int threads_for(const struct allot_sweep_options *o, size_t count)
{
	long t = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
	if (t < 1)
		t = 1;
	if ((size_t)t > count)
		t = count ? (long)count : 1;
	return (int)t;
}

static void wait_with_progress(struct ctx *c)
{
	const struct allot_sweep_options *o = c->o;
	if (!o->progress)
		return;
	struct timespec tick = { 0, 200 * 1000 * 1000 };
	while (atomic_load(&c->running) > 0) {
		nanosleep(&tick, NULL);
		o->progress(atomic_load(&c->done), c->count, o->progress_arg);
	}
}

int allot_sweep_compute(const struct allot_scenario *s, const struct allot_sweep_options *o,
			struct allot_sweep_samples *sm)
{
	int rc = check(s, o, sm);
	if (rc != ALLOT_OK)
		return rc;
	struct ctx c = { .s = s, .o = o, .sm = sm };
	c.count = o->runs > o->first ? (o->runs - o->first + o->step - 1) / o->step : 0;
	atomic_init(&c.next, 0);
	atomic_init(&c.done, 0);
	atomic_init(&c.failed, 0);
	int nt = threads_for(o, c.count), started = 0;
	c.workers = nt;
	atomic_init(&c.running, 0);
	if ((rc = checkpoints_for(&c, c.count)) != ALLOT_OK)
		return rc;
	struct worker *w = mem_calloc((size_t)nt, sizeof *w);
	if (!w) {
		allot_plan_checkpoints_free(c.cp);
		return ALLOT_ENOMEM;
	}
	for (int t = 0; t < nt; t++) {
		w[t].c = &c;
		w[t].wsum = mem_calloc(s->n_partners, sizeof *w[t].wsum);
		w[t].wcnt = mem_calloc(s->n_partners, sizeof *w[t].wcnt);
		if (!w[t].wsum || !w[t].wcnt) {
			rc = ALLOT_ENOMEM;
			goto done;
		}
		if ((rc = perturb_init(&w[t].pt, s, o->vary, o->n_vary)) != ALLOT_OK)
			goto done;
	}
	atomic_store(&c.running, nt);
	/* One worker and no progress to show: it works on this thread, and
	 * the sweep starts none (what an MPI_THREAD_SINGLE rank needs). */
	int threads = nt;
	if (nt == 1 && !o->progress) {
		work(&w[0]);
		threads = 0;
	}
	for (; started < threads; started++) {
		if (pthread_create(&w[started].th, NULL, work, &w[started]) != 0) {
			atomic_store(&c.failed, ALLOT_ENOMEM);
			atomic_fetch_sub(&c.running, threads - started);
			break;
		}
	}
	wait_with_progress(&c);
	for (int t = 0; t < started; t++)
		pthread_join(w[t].th, NULL);
	rc = atomic_load(&c.failed);
	if (o->progress && rc == ALLOT_OK)
		o->progress(atomic_load(&c.done), c.count, o->progress_arg);
done:
	for (int t = 0; t < nt; t++) {
		perturb_free(&w[t].pt);
		mem_free(w[t].wsum);
		mem_free(w[t].wcnt);
	}
	mem_free(w);
	allot_plan_checkpoints_free(c.cp);
	return rc;
}
