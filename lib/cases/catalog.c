/*
 * catalog.c - allot_catalog_run: the priority sales catalog as a table of
 * capacity.  For each catalog system (every system when the scenario marks
 * none) and each calendar year from as_of: its line's foreign capacity
 * (the plan's F(t) summed over the year's months inside the horizon), the
 * units the plan makes on that line for signed orders (committed), and the
 * difference (open slots).  Systems sharing a line show the same line
 * figures: a slot can go to either.  The policy's min_tier gate and the
 * requests waiting for the system complete the row.
 */
#include <allot/allot.h>

#include "util/mem.h"

static void fill_years(const struct allot_plan *p, int line, int first_year,
		       struct allot_catalog_year *y, int n_years)
{
	const struct allot_scenario *s = p->scenario;
	int H = s->horizon_months;
	for (int k = 0; k < n_years; k++)
		y[k].year = first_year + k;
	for (int t = 0; t < H; t++) {
		int k = (s->as_of + t) / 12 - first_year;
		if (k < 0 || k >= n_years)
			continue;
		size_t i = (size_t)line * (size_t)H + (size_t)t;
		y[k].months++;
		y[k].capacity += p->capacity[i];
		y[k].committed += p->used[i];
	}
	for (int k = 0; k < n_years; k++)
		y[k].open = y[k].capacity - y[k].committed;
}

int allot_catalog_run(const struct allot_plan *p, int years, struct allot_catalog **out)
{
	const struct allot_scenario *s = p->scenario;
	struct allot_case_policy cp;
	allot_case_policy_of(&s->policy, &cp);
	struct allot_catalog *c = mem_calloc(1, sizeof *c);
	if (!c)
		return ALLOT_ENOMEM;
	c->first_year = s->as_of / 12;
	c->n_years = (s->as_of + s->horizon_months - 1) / 12 - c->first_year + 1;
	if (years > 0 && years < c->n_years)
		c->n_years = years;
	/* a system is in the catalog when systems.csv or a catalog event puts
	 * it there at any time; its gate is the one in force at the horizon's
	 * end (min_tier events included) */
	allot_month last = s->as_of + s->horizon_months - 1;
	for (size_t i = 0; i < s->n_systems; i++)
		c->catalog_only |=
			allot_system_flag_at(s, (int)i, ALLOT_EV_CATALOG, ALLOT_NO_MONTH);
	c->rows = mem_calloc(s->n_systems + 1, sizeof *c->rows);
	int rc = c->rows ? ALLOT_OK : ALLOT_ENOMEM;
	for (size_t i = 0; i < s->n_systems && rc == ALLOT_OK; i++) {
		const struct allot_system *y = &s->systems[i];
		if (c->catalog_only &&
		    !allot_system_flag_at(s, (int)i, ALLOT_EV_CATALOG, ALLOT_NO_MONTH))
			continue;
		struct allot_catalog_row *r = &c->rows[c->n];
		r->system = (int)i;
		r->min_tier = allot_case_min_tier_at(s, &cp, (int)i, last);
		for (size_t q = 0; q < s->n_requests; q++)
			if (s->requests[q].system == (int)i) {
				r->requests++;
				r->requested_units += s->requests[q].qty;
			}
		r->years = mem_calloc((size_t)c->n_years + 1, sizeof *r->years);
		if (!r->years) {
			rc = ALLOT_ENOMEM;
			break;
		}
		c->n++;
		fill_years(p, y->line, c->first_year, r->years, c->n_years);
	}
	if (rc) {
		allot_catalog_free(c);
		return rc;
	}
	*out = c;
	return ALLOT_OK;
}

void allot_catalog_free(struct allot_catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		mem_free(c->rows[i].years);
	mem_free(c->rows);
	mem_free(c);
}
