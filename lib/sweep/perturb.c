/*
 * perturb.c - the inputs of one sweep run: a thread's working copy of the
 * scenario, with what the --vary SPECs name drawn anew for each run.
 *
 * The planner only reads a scenario, so the copy is shallow: it shares
 * every array with the base except those a SPEC changes (lines, events,
 * supply, embargoes), which live in buffers owned by the copy and are
 * refilled from the base before each run.  Each SPEC k of run i draws from
 * its own stream (seed, i, k), in the scenario's row order, so the draws of
 * one SPEC do not move when another is added after it.  A drawn value is
 * clamped into its range (lib/ranges.c): a draw never leaves what the
 * planner honours.
 */
#include <math.h>
#include <string.h>

#include "sweep_int.h"
#include "util/mem.h"

static int wants(const struct allot_vary *vary, size_t n, enum allot_vary_kind k)
{
	for (size_t i = 0; i < n; i++)
		if (vary[i].kind == k)
			return 1;
	return 0;
}

int perturb_init(struct perturb *p, const struct allot_scenario *base,
		 const struct allot_vary *vary, size_t n_vary)
{
	const struct allot_scenario *b = base;
	memset(p, 0, sizeof *p);
	p->base = base;
	p->s = *base;
	size_t n_emb = 0;
	for (size_t i = 0; i < n_vary; i++)
		n_emb += vary[i].kind == ALLOT_VARY_EMBARGO;
	int rates = wants(vary, n_vary, ALLOT_VARY_RATES);
	int caps = wants(vary, n_vary, ALLOT_VARY_CAPS);
	if (rates) {
		p->lines = mem_calloc(b->n_lines, sizeof *p->lines);
		p->line_factor = mem_calloc(b->n_lines, sizeof *p->line_factor);
		if (!p->lines || !p->line_factor)
			goto nomem;
	}
	if (rates || caps) {
		p->events = mem_calloc(b->n_events, sizeof *p->events);
		if (!p->events)
			goto nomem;
	}
	if (wants(vary, n_vary, ALLOT_VARY_SUPPLY)) {
		p->supply = mem_calloc(b->n_supply, sizeof *p->supply);
		if (!p->supply)
			goto nomem;
	}
	if (n_emb) {
		p->embargoes = mem_calloc(b->n_embargoes + n_emb, sizeof *p->embargoes);
		if (!p->embargoes)
			goto nomem;
	}
	return ALLOT_OK;
nomem:
	perturb_free(p);
	return ALLOT_ENOMEM;
}

void perturb_free(struct perturb *p)
{
	mem_free(p->lines);
	mem_free(p->line_factor);
	mem_free(p->events);
	mem_free(p->supply);
	mem_free(p->embargoes);
	memset(p, 0, sizeof *p);
}

static double factor(struct sweep_rng *r, double spread)
{
	return 1 - spread + 2 * spread * sweep_rng_unit(r);
}

static int64_t round_half_away(double v)
{
	return (int64_t)(v < 0 ? ceil(v - 0.5) : floor(v + 0.5));
}

/* Dirichlet around the policy's weights: w_k ~ Gamma(A * w_k / sum w),
 * normalised.  Criteria weighted 0 stay 0. */
static void vary_weights(struct perturb *p, const struct allot_vary *v, struct sweep_rng *r)
{
	const double *w = p->base->policy.weight;
	double sum = 0, g[ALLOT_CRIT_COUNT] = { 0 }, gsum = 0;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		sum += w[k] > 0 ? w[k] : 0;
	if (!(sum > 0))
		return;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		if (w[k] > 0)
			gsum += g[k] = sweep_rng_gamma(r, v->concentration * w[k] / sum);
	if (!(gsum > 0) || !isfinite(gsum)) /* every draw underflowed: keep the base */
		return;
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		p->s.policy.weight[k] = g[k] / gsum;
}

/* One factor per line, applied to its rate and to its capacity events. */
static void vary_rates(struct perturb *p, const struct allot_vary *v, struct sweep_rng *r)
{
	const struct allot_scenario *b = p->base;
	for (size_t l = 0; l < b->n_lines; l++) {
		p->line_factor[l] = factor(r, v->spread);
		p->lines[l].rate_per_month = allot_range_clamp(
			ALLOT_RANGE_RATE, b->lines[l].rate_per_month * p->line_factor[l]);
	}
	for (size_t i = 0; i < b->n_events; i++)
		if (p->events[i].type == ALLOT_EV_CAPACITY)
			p->events[i].num = allot_range_clamp(
				ALLOT_RANGE_RATE,
				b->events[i].num * p->line_factor[b->events[i].index]);
}

static void vary_supply(struct perturb *p, const struct allot_vary *v, struct sweep_rng *r)
{
	const struct allot_scenario *b = p->base;
	for (size_t i = 0; i < b->n_supply; i++)
		p->supply[i].g_per_month = round_half_away(
			1000 *
			allot_range_clamp(ALLOT_RANGE_KG, (double)b->supply[i].g_per_month *
								  factor(r, v->spread) / 1000));
}

static void vary_caps(struct perturb *p, const struct allot_vary *v, struct sweep_rng *r)
{
	const struct allot_scenario *b = p->base;
	for (size_t i = 0; i < b->n_events; i++)
		if (p->events[i].type == ALLOT_EV_BUDGET_CAP)
			p->events[i].num = allot_range_clamp(
				ALLOT_RANGE_USD, b->events[i].num * factor(r, v->spread));
}

static void vary_embargo(struct perturb *p, const struct allot_vary *v, struct sweep_rng *r)
{
	struct allot_embargo *e = &p->embargoes[p->s.n_embargoes++];
	e->source = (char *)v->source; /* read only, like every string of the copy */
	e->mineral = strcmp(v->mineral, "*") == 0
			     ? -1
			     : allot_scenario_find_mineral(p->base, v->mineral);
	e->start_month = (allot_month)sweep_rng_int(r, v->start_lo, v->start_hi);
	e->end_month =
		e->start_month + (allot_month)sweep_rng_int(r, v->months_lo, v->months_hi) - 1;
}

void perturb_apply(struct perturb *p, const struct allot_vary *vary, size_t n_vary, uint64_t seed,
		   uint64_t run)
{
	const struct allot_scenario *b = p->base;
	p->s = *b;
	if (p->lines) {
		if (b->n_lines)
			memcpy(p->lines, b->lines, b->n_lines * sizeof *p->lines);
		p->s.lines = p->lines;
	}
	if (p->events) {
		if (b->n_events)
			memcpy(p->events, b->events, b->n_events * sizeof *p->events);
		p->s.events = p->events;
	}
	if (p->supply) {
		if (b->n_supply)
			memcpy(p->supply, b->supply, b->n_supply * sizeof *p->supply);
		p->s.supply = p->supply;
	}
	if (p->embargoes) {
		if (b->n_embargoes)
			memcpy(p->embargoes, b->embargoes, b->n_embargoes * sizeof *p->embargoes);
		p->s.embargoes = p->embargoes;
	}
	for (size_t k = 0; k < n_vary; k++) {
		struct sweep_rng r;
		sweep_rng_seed(&r, seed, run, k);
		switch (vary[k].kind) {
		case ALLOT_VARY_WEIGHTS:
			vary_weights(p, &vary[k], &r);
			break;
		case ALLOT_VARY_RATES:
			vary_rates(p, &vary[k], &r);
			break;
		case ALLOT_VARY_SUPPLY:
			vary_supply(p, &vary[k], &r);
			break;
		case ALLOT_VARY_CAPS:
			vary_caps(p, &vary[k], &r);
			break;
		case ALLOT_VARY_EMBARGO:
			vary_embargo(p, &vary[k], &r);
			break;
		}
	}
}
