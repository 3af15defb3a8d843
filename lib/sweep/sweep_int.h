/*
 * sweep_int.h - what the files of lib/sweep share: the per-run random
 * generator (rng.c) and the perturbation of a scenario copy (perturb.c).
 */
#ifndef ALLOT_SWEEP_INT_H
#define ALLOT_SWEEP_INT_H

#include <allot/allot.h>
#include <stdint.h>

/* xoshiro256** seeded through splitmix64: one stream per (seed, run, spec). */
struct sweep_rng {
	uint64_t s[4];
};

void sweep_rng_seed(struct sweep_rng *r, uint64_t seed, uint64_t run, uint64_t stream);
uint64_t sweep_rng_next(struct sweep_rng *r);
double sweep_rng_unit(struct sweep_rng *r);                         /* [0, 1), 53 bits */
int64_t sweep_rng_int(struct sweep_rng *r, int64_t lo, int64_t hi); /* inclusive */
double sweep_rng_gamma(struct sweep_rng *r, double shape);          /* shape > 0, scale 1 */

/* A thread's working copy of a scenario: a shallow copy of the base whose
 * varied arrays (lines, events, supply, embargoes) point at buffers owned
 * here; everything else is shared with the read-only base. */
struct perturb {
	const struct allot_scenario *base;
	struct allot_scenario s;
	struct allot_line *lines;
	struct allot_event *events;
	struct allot_supply *supply;
	struct allot_embargo *embargoes;
	double *line_factor; /* per line, for its capacity events */
};

int perturb_init(struct perturb *p, const struct allot_scenario *base,
		 const struct allot_vary *vary, size_t n_vary);
/* Makes p->s the inputs of run `run`. */
void perturb_apply(struct perturb *p, const struct allot_vary *vary, size_t n_vary, uint64_t seed,
		   uint64_t run);
void perturb_free(struct perturb *p);

#endif
