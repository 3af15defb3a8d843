/*
 * allot/score.h - scores and tiers of partners.
 *
 * Part of the public API of liballot; <allot/allot.h> includes every
 * header and states the conventions they share.
 */
#ifndef ALLOT_SCORE_H
#define ALLOT_SCORE_H

#include <allot/scenario.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Scores and tiers                                                          */

struct allot_score {
	double x[ALLOT_CRIT_COUNT];       /* criterion value 0..1 */
	double contrib[ALLOT_CRIT_COUNT]; /* points: 100 * w_k * x_k / sum w */
	double penalty;                   /* points subtracted for end use */
	double score;                     /* final, clamped, rounded to 0.01 */
	int tier;                         /* 1 = best */
};

/* Scores one partner under a policy with the given invest_in_us_usd and
 * end-use status (so that the planner can score with inputs in force).  An
 * unknown invest_in_us_usd (NaN) counts as 0 (allot_invest_known_or_0). */
void allot_score_partner(const struct allot_policy *p, const struct allot_partner *partner,
			 double invest_in_us_usd, enum allot_eum eum, struct allot_score *out);
int allot_score_tier(const struct allot_policy *p, double score);

/* What explain and the API say beside the economic criterion's inputs:
 * what the partner's us_purchases_5y_usd holds, as its scenario states it
 * (partners.csv us_purchases_basis: tiv, usd), and what an unknown
 * invest_in_us_usd counts as (docs/allocation.md). */
#define ALLOT_NOTE_PURCHASES                                                         \
	"SIPRI TIV x 1e6 of US deliveries in the five years before as_of, a volume " \
	"index used as a USD proxy: an estimate (us_purchases_basis tiv)"
#define ALLOT_NOTE_PURCHASES_USD "US dollars (us_purchases_basis usd)"
/* The note for p's us_purchases_5y_usd: ALLOT_NOTE_PURCHASES (tiv),
 * ALLOT_NOTE_PURCHASES_USD (usd), or NULL when the scenario does not say
 * (then nothing is claimed either way). */
const char *allot_purchases_note(const struct allot_partner *p);
#define ALLOT_NOTE_INVEST_UNKNOWN                                            \
	"unknown (no figure in the scenario); counted as 0, the documented " \
	"default (no credit)"

#ifdef __cplusplus
}
#endif
#endif
