/*
 * score.c - a partner's score and tier under a policy (docs/allocation.md,
 * "Partner score and tier").
 *
 * Each criterion maps the partner's inputs to 0..1; the score is
 * 100 * sum(w_k * x_k) / sum(w_k) minus end-use penalties, clamped to 0..100
 * and rounded half away from zero to 2 decimals.  Contributions are reported
 * per criterion so a reader can see why a partner sits where it does.
 */
#include <allot/allot.h>

#include <math.h>
#include <string.h>

static double clamp01(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

static double theater_weight(const struct allot_policy *p, const char *region)
{
	const struct allot_theater *other = NULL;
	for (size_t i = 0; i < p->n_theaters; i++) {
		if (strcmp(p->theaters[i].region, region) == 0)
			return p->theaters[i].weight;
		if (strcmp(p->theaters[i].region, "other") == 0)
			other = &p->theaters[i];
	}
	return other ? other->weight : p->default_theater;
}

/* The five criteria, in enum allot_criterion order. */
static void criteria(const struct allot_policy *p, const struct allot_partner *a, double invest,
		     double x[ALLOT_CRIT_COUNT])
{
	x[ALLOT_CRIT_INVESTMENT] = p->target_pct > 0 ? clamp01(a->defense_pct_gdp / p->target_pct)
						     : 1;
	x[ALLOT_CRIT_GROWTH] =
		p->growth_full_pct > 0 ? clamp01(a->real_growth_3y_pct / p->growth_full_pct) : 0;
	x[ALLOT_CRIT_GEOGRAPHY] = theater_weight(p, a->region) *
				  (a->frontline ? p->frontline_factor : p->rear_factor);

	double troops = a->us_troops > 0 ? a->us_troops : 0;
	double t = p->troops_ref > 0 ? fmin(1, log(1 + troops) / log(1 + p->troops_ref)) : 0;
	double b = p->basing_max > 0 ? a->basing_access / p->basing_max : 0;
	x[ALLOT_CRIT_OPERATIONS] = 0.5 * t + 0.5 * b;

	double v = a->us_purchases_5y_usd + p->invest_multiplier * allot_invest_known_or_0(invest);
	double unit = p->economic_unit_usd;
	x[ALLOT_CRIT_ECONOMIC] = unit > 0 && p->economic_ref_usd > 0
					 ? fmin(1, log10(1 + fmax(0, v) / unit) /
							   log10(1 + p->economic_ref_usd / unit))
					 : 0;
}

int allot_score_tier(const struct allot_policy *p, double score)
{
	size_t i = 0;
	while (i < p->n_tier_thresholds && score < p->tier_min[i])
		i++;
	return (int)i + 1;
}

void allot_score_partner(const struct allot_policy *p, const struct allot_partner *partner,
			 double invest_in_us_usd, enum allot_eum eum, struct allot_score *out)
{
	memset(out, 0, sizeof *out);
	criteria(p, partner, invest_in_us_usd, out->x);

	double wsum = 0, wx = 0;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++) {
		wsum += p->weight[k];
		wx += p->weight[k] * out->x[k];
	}
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		out->contrib[k] = wsum > 0 ? 100 * p->weight[k] * out->x[k] / wsum : 0;

	out->penalty = eum == ALLOT_EUM_DELINQUENT  ? p->penalty_delinquent
		       : eum == ALLOT_EUM_VIOLATION ? p->penalty_violation
						    : 0;
	double s = (wsum > 0 ? 100 * wx / wsum : 0) - out->penalty;
	/* Never NaN: the ranges keep every term finite (lib/ranges.c), and a
	 * policy that got past them anyway scores 0 rather than NaN. */
	s = !(s >= 0) ? 0 : s > 100 ? 100 : s;
	out->score = round(s * 100) / 100; /* round() is half away from zero */
	out->tier = allot_score_tier(p, out->score);
}
