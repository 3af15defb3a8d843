/*
 * allot/synth.h - synthetic scenarios (benchmarks, tests, `allot synth`).
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_SYNTH_H
#define ALLOT_SYNTH_H

#include <stddef.h>
#include <stdint.h>
#include <allot/scenario.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Synthetic scenarios (benchmarks, tests, `allot synth`)                     */

struct allot_synth_params {
	uint64_t seed;
	size_t orders, lines, minerals, partners;
	int horizon_months;
	int events; /* also investments and embargoes: 0 for none */
};
void allot_synth_params_init(struct allot_synth_params *p); /* bench defaults */
/* Builds a reproducible random scenario: the same parameters give the same
 * scenario on every machine.  *out owns it. */
int allot_synth_scenario(const struct allot_synth_params *p, struct allot_scenario **out);

#ifdef __cplusplus
}
#endif
#endif
