/*
 * allot/sweep.h - Monte Carlo sweeps over a scenario (docs/scaling.md).
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_SWEEP_H
#define ALLOT_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <allot/diag.h>
#include <allot/month.h>
#include <allot/scenario.h>
#include <allot/plan.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Sweeps: Monte Carlo over a scenario (docs/scaling.md)                     */

/* What one `--vary SPEC` varies.  The grammar is in docs/scaling.md:
 *   weights:dirichlet=A   policy weights ~ Dirichlet(A * w / sum w)
 *   rates:X%              each line's rate (and its capacity events) x U(1-X, 1+X)
 *   supply:X%             each supply row's g/month x U(1-X, 1+X)
 *   caps:X%               each budget_cap event's value x U(1-X, 1+X)
 *   embargo:SOURCE:start=YYYY-MM..YYYY-MM,months=M..N[,mineral=ID]
 *                         one more embargo, start and length uniform */
enum allot_vary_kind {
	ALLOT_VARY_WEIGHTS = 0,
	ALLOT_VARY_RATES,
	ALLOT_VARY_SUPPLY,
	ALLOT_VARY_CAPS,
	ALLOT_VARY_EMBARGO,
};

#define ALLOT_VARY_NAME_MAX 64

struct allot_vary {
	enum allot_vary_kind kind;
	double concentration;              /* weights: A > 0 */
	double spread;                     /* rates, supply, caps: 0.1 for 10% (0..1) */
	char source[ALLOT_VARY_NAME_MAX];  /* embargo: a supply source */
	char mineral[ALLOT_VARY_NAME_MAX]; /* embargo: a mineral id, "*" = all */
	allot_month start_lo, start_hi;    /* embargo: first month, inclusive */
	int months_lo, months_hi;          /* embargo: length in months, >= 1 */
};

/* Parses one SPEC.  On bad text returns ALLOT_EINPUT with one diagnostic
 * "--vary SPEC: expected X, found Y" in diags. */
int allot_vary_parse(const char *spec, struct allot_vary *out, struct allot_diags *diags);
/* Checks a parsed SPEC against a scenario (the embargo's source and
 * mineral exist); ALLOT_EINPUT with a diagnostic when not. */
int allot_vary_check(const struct allot_vary *v, const struct allot_scenario *s,
		     struct allot_diags *diags);
/* How many rows of the scenario the SPEC varies (criteria with a weight,
 * lines, supply rows, budget_cap events; 1 for an embargo). */
size_t allot_vary_targets(const struct allot_vary *v, const struct allot_scenario *s);
/* The canonical text of a SPEC ("rates:10%"); buf of at least 256 bytes. */
void allot_vary_format(const struct allot_vary *v, char *buf, size_t size);

struct allot_sweep_options {
	struct allot_plan_options plan; /* policy and switch (allocations unused) */
	uint64_t seed;
	size_t runs;                   /* runs of the whole sweep */
	const struct allot_vary *vary; /* borrowed */
	size_t n_vary;
	int threads; /* 0: every online core */
	/* This process plans runs first, first + step, ... (MPI rank, ranks);
	 * the default 0, 1 plans them all. */
	size_t first, step;
	/* Called from the calling thread about every 200 ms while runs go on. */
	void (*progress)(size_t done, size_t total, void *arg);
	void *progress_arg;
};
void allot_sweep_options_init(struct allot_sweep_options *o);

/* Run i draws from its own generator, seeded from (seed, i), so a run's
 * inputs and plan do not depend on which thread or process plans it. */

/* Marks in allot_sweep_samples.completion besides a relative month. */
#define ALLOT_SWEEP_NONE      (-1)            /* no units open at as_of */
#define ALLOT_SWEEP_AFTER     INT16_MAX       /* not complete in the horizon */
#define ALLOT_SWEEP_CANCELLED (INT16_MAX - 1) /* every open unit cut by caps */

/* What each run leaves behind, one row per run (row-major, run i at
 * i * n_orders and i * n_partners): the summary is computed from this. */
struct allot_sweep_samples {
	size_t runs, n_orders, n_partners;
	int16_t *completion; /* relative completion month or a mark above */
	uint8_t *tier;       /* the partner's tier at month 0 */
	double *wait;        /* the partner's mean wait (months); NaN: no orders */
};
int allot_sweep_samples_alloc(struct allot_sweep_samples *sm, const struct allot_scenario *s,
			      size_t runs);
void allot_sweep_samples_free(struct allot_sweep_samples *sm);

/* Plans the runs of this process (o->first, o->first + o->step, ...) on
 * o->threads threads and writes each into its row of sm; other rows are
 * left alone.  The scenario is only read.  ALLOT_EINPUT when a SPEC does
 * not fit the scenario (allot_vary_check) or the runs exceed sm. */
int allot_sweep_compute(const struct allot_scenario *s, const struct allot_sweep_options *o,
			struct allot_sweep_samples *sm);

/* Per order, over the runs: nearest-rank percentiles of the completion
 * month, where a run not complete in the horizon (or wholly cancelled)
 * counts as later than any month; a percentile that falls there is
 * ALLOT_NO_MONTH ("after the horizon"). */
struct allot_sweep_order {
	size_t runs;      /* runs with units open at as_of (0 or all) */
	size_t complete;  /* runs complete within the horizon */
	size_t cancelled; /* runs where caps cut every open unit */
	allot_month p10, p50, p90;
};

/* Per partner: runs in each tier at month 0, and the spread over runs of
 * its mean wait (docs/planner.md's wait, averaged over its orders). */
struct allot_sweep_partner {
	size_t tier_runs[ALLOT_MAX_TIERS];              /* [k]: runs in tier k + 1 */
	size_t wait_runs;                               /* runs where it had a wait */
	double wait_mean, wait_p10, wait_p50, wait_p90; /* NaN when none */
};

struct allot_sweep_result {
	const struct allot_scenario *scenario; /* borrowed */
	size_t runs;
	uint64_t seed;
	enum allot_policy_kind policy;
	allot_month switch_month; /* in force; ALLOT_NO_MONTH when none */
	struct allot_vary *vary;  /* copies */
	size_t n_vary;
	size_t n_tiers;
	struct allot_sweep_order *orders;     /* n_orders */
	struct allot_sweep_partner *partners; /* n_partners */
};

int allot_sweep_summarise(const struct allot_scenario *s, const struct allot_sweep_options *o,
			  const struct allot_sweep_samples *sm, struct allot_sweep_result **out);
/* Plans every run here (first and step ignored) and summarises. */
int allot_sweep_run(const struct allot_scenario *s, const struct allot_sweep_options *o,
		    struct allot_sweep_result **out);
void allot_sweep_result_free(struct allot_sweep_result *r);
/* P(tier k + 1) = tier_runs[k] / runs. */
double allot_sweep_tier_prob(const struct allot_sweep_result *r, size_t partner, size_t k);

/* sweep_orders.csv, sweep_partners.csv and sweep.json (docs/scaling.md)
 * into dir, each replaced atomically.  The same results give the same
 * bytes. */
int allot_sweep_write(const struct allot_sweep_result *r, const char *dir);
int allot_sweep_write_orders_csv(const struct allot_sweep_result *r, FILE *out);
int allot_sweep_write_partners_csv(const struct allot_sweep_result *r, FILE *out);
int allot_sweep_write_json(const struct allot_sweep_result *r, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
