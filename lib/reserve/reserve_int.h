/*
 * reserve_int.h - what the files of lib/reserve share (docs/reserve.md).
 *
 * reserve.c runs the whole recommendation (options, window, the three
 * outcomes, the choice); reserve_eval.c evaluates one purchase with the
 * exact planner; reserve_lp.c builds and solves the LP relaxation with
 * GLPK; reserve_heur.c is the greedy marginal-value heuristic and the trim
 * both purchases go through.
 */
#ifndef ALLOT_RESERVE_INT_H
#define ALLOT_RESERVE_INT_H

#include <allot/allot.h>

/* The working state of one run.  `copy` is a shallow copy of the scenario
 * (strings and tables borrowed) whose minerals, embargoes and horizon are
 * replaced: minerals[] gets stock + purchase, embargoes[] the scenario's own
 * rows plus one slot for the embargo scenario being evaluated. */
struct rctx {
	const struct allot_scenario *s;
	const struct allot_reserve_options *o;
	struct allot_reserve *r;
	struct allot_scenario copy;
	struct allot_mineral *mins;
	struct allot_embargo *emb;
	struct allot_plan_options po;
	double *price_g;     /* n_minerals: USD per gram */
	unsigned char *used; /* n_minerals: 1 when some bill lists it */
	int64_t *cap;        /* lines x window: the lines' F(t) (exact planner) */
	int *tier0;          /* n_orders: the partner's tier at month 0 */
	size_t plans;        /* exact planner runs so far */
};

/* Cost of a purchase in USD. */
double reserve_cost(const struct rctx *c, const int64_t *buy_g);

/* Exact value of a purchase: objective over all orders (and over the orders
 * of mineral lines in *mineral when not NULL). */
int reserve_value(struct rctx *c, const int64_t *buy_g, double *all, double *mineral);

/* Fills x (allocating its arrays) for a purchase: values by tier,
 * deliveries and completions per order, cover and binding months. */
int reserve_outcome(struct rctx *c, const int64_t *buy_g, struct allot_reserve_outcome *x);
void reserve_outcome_free(struct allot_reserve_outcome *x);

/* Supply of mineral m (grams) in relative month t under scenario k. */
int64_t reserve_supply(const struct rctx *c, size_t k, int m, int t);

/* The LP: fills r->lp_kg, lp_bound and the size and time figures. */
int reserve_lp(struct rctx *c, struct allot_diags *d);

/* The greedy heuristic: fills buy_g (n_minerals, zeroed by the caller). */
int reserve_heuristic(struct rctx *c, int64_t *buy_g);

/* Cuts each mineral of a purchase to the least amount that keeps its exact
 * value (binary search on grams). */
int reserve_trim(struct rctx *c, int64_t *buy_g);

double reserve_now(void); /* monotonic seconds */

#endif
