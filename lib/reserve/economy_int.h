/*
 * economy_int.h - what the files of the economy-scale reserve share
 * (docs/reserve.md, "The economy's scale").
 *
 * economy_load.c reads critical_minerals.csv; economy.c builds the demand by
 * consumer group, the shortfalls of each embargo scenario, the price curve,
 * simulates the release rule (defence first) and runs the whole
 * recommendation; economy_heur.c is the greedy fast path; economy_lp.c the
 * LP (GLPK).
 */
#ifndef ALLOT_ECONOMY_INT_H
#define ALLOT_ECONOMY_INT_H

#include <allot/allot.h>

double xr_now(void); /* monotonic seconds */

#define XR_G    ALLOT_CG_COUNT
#define XR_DAYS 30.436875 /* days in a mean month */

struct xctx {
	const struct allot_economy *e;
	const struct allot_scenario *s;
	const struct allot_xreserve_options *o;
	struct allot_xreserve *r;
	size_t M, K;
	int T;
	int order[XR_G];     /* groups in the order they draw from the stock */
	double weight[XR_G]; /* 1 for defence; civil 8, 4, 2, 1 by rank */
	double *short_kg;    /* K x M x G x T: supply the group loses, kg */
	double *arrive;      /* T: share of a purchase arrived by the end of t */
	double *stock0;      /* M: kg held today (0 when missing) */
	double *seg_price;   /* M x S: USD/kg of each piece of the curve */
	double *seg_kg;      /* M: kg per piece (cap / S) */
	int S;
};

#define XR_SHORT(c, k, m, g, t)                                                         \
	((c)->short_kg[((((k) * (c)->M + (m)) * XR_G + (size_t)(g)) * (size_t)(c)->T) + \
		       (size_t)(t)])

/* Cost of kg of mineral m on the rising price curve (kg <= cap). */
double xr_cost(const struct xctx *c, size_t m, double kg);

/* The release rule: stock (today's plus the purchase as it arrives) goes,
 * month by month, to the groups in draw order.  Fills *def and *civ with
 * the expected weighted days of cover of mineral m; served (K x G x T, may
 * be NULL) with the kg served. */
void xr_simulate(const struct xctx *c, size_t m, double buy_kg, double *def, double *civ,
		 double *served);

/* Greedy purchase (kg per mineral, zeroed by the caller). */
int xr_heuristic(struct xctx *c, double budget, double *kg);

/* The LP, solved for each of nb budgets in ascending order (warm-started):
 * kg per mineral (caller's array), the lexicographic optimum (defence, then
 * civilian days) and the budget's dual in the civilian pass.  size (rows,
 * cols, nonzeros) may be NULL. */
struct xr_lp_out {
	double *kg;
	double def, civ, dual;
	double seconds; /* this budget's three passes (the first: with the build) */
};
int xr_lp(struct xctx *c, const double *budget, size_t nb, struct xr_lp_out *out, int size[3],
	  struct allot_diags *d);

#endif
