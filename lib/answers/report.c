/*
 * report.c - `allot report`: gathers every figure of the report once
 * (docs/report.md): the scenario planned under both policies (through
 * allot_compare_run, which also says who gains and who waits), the plan
 * summaries, quarterly metrics, mineral cover, sales at risk and unsold
 * capacity of the chosen policy's plan, the critical-minerals reserve
 * (report_reserve.c), the headline findings and the tables.
 * report_html.c and report_xlsx.c write them out.
 *
 * Mineral cover in the report adds a what-if embargo for every supply
 * source other than "domestic" that the scenario does not already embargo
 * on every mineral: an analyst opening the report wants to see what losing
 * a foreign source would do even when the scenario has no embargo.
 */
#include <allot/allot.h>

#include <strings.h>
#include <string.h>

#include "answers/report_int.h"
#include "util/mem.h"

void allot_report_options_init(struct allot_report_options *o)
{
	memset(o, 0, sizeof *o);
	o->policy = ALLOT_POLICY_PRIORITY;
	o->switch_month = ALLOT_NO_MONTH;
	o->wait_months = 36;
	o->opportunity_months = 24;
	o->reserve_budget_usd = REPORT_RESERVE_BUDGET;
	o->reserve_methods = ALLOT_RESERVE_LP | ALLOT_RESERVE_HEURISTIC;
	o->partner = -1;
}

void allot_report_free(struct allot_report *r)
{
	if (!r)
		return;
	allot_compare_free(r->cmp);
	allot_plan_stats_free(&r->stats[0]);
	allot_plan_stats_free(&r->stats[1]);
	allot_metrics_free(r->metrics);
	allot_minerals_free(r->minerals);
	allot_risk_free(r->risk);
	allot_opportunities_free(r->opps);
	allot_reserve_free(r->reserve);
	mem_free(r->reserve_emb);
	report_story_free(r);
	mem_free(r->reserve_note);
	mem_free(r->reserve_how);
	mem_free(r->reserve_headline);
	allot_xreserve_free(r->xreserve);
	mem_free(r->xreserve_emb);
	mem_free(r->xreserve_headline);
	for (size_t i = 0; i < r->n_findings; i++)
		mem_free(r->findings[i]);
	mem_free(r->findings);
	for (size_t i = 0; i < r->n_tables; i++)
		rtable_free(&r->tables[i]);
	mem_free(r->tables);
	mem_free(r);
}

const char *const *allot_report_findings(const struct allot_report *r, size_t *n)
{
	*n = r->n_findings;
	return (const char *const *)r->findings;
}

/* 1 when the scenario already embargoes `source` on every mineral. */
static int embargoed_everywhere(const struct allot_scenario *s, const char *source)
{
	for (size_t i = 0; i < s->n_embargoes; i++)
		if (s->embargoes[i].mineral < 0 && strcmp(s->embargoes[i].source, source) == 0)
			return 1;
	return 0;
}

/* The what-if embargoes: one per foreign source (sources borrowed from s). */
static size_t what_if_embargoes(const struct allot_scenario *s, struct allot_embargo *e)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_supply; i++) {
		const char *src = s->supply[i].source;
		if (strcasecmp(src, "domestic") == 0 || embargoed_everywhere(s, src))
			continue;
		size_t k = 0;
		while (k < n && strcmp(e[k].source, src) != 0)
			k++;
		if (k < n)
			continue;
		e[n].source = (char *)src;
		e[n].mineral = -1;
		e[n].start_month = s->as_of;
		e[n].end_month = ALLOT_NO_MONTH;
		n++;
	}
	return n;
}

static int plan_answers(struct allot_report *r)
{
	const struct allot_scenario *s = r->s;
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = r->o.policy;
	po.switch_month = r->o.switch_month;
	struct allot_embargo *extra = mem_calloc(s->n_supply ? s->n_supply : 1, sizeof *extra);
	if (!extra)
		return ALLOT_ENOMEM;
	size_t n_extra = what_if_embargoes(s, extra);
	int rc = allot_minerals_run(s, &po, extra, n_extra, &r->minerals);
	mem_free(extra);
	if (rc == ALLOT_OK)
		rc = allot_risk_run(r->shown, r->o.wait_months, &r->risk);
	if (rc == ALLOT_OK)
		rc = allot_opportunities_run(r->shown, r->o.opportunity_months, 3, &r->opps);
	if (rc == ALLOT_OK)
		rc = allot_metrics_quarterly(r->shown, &r->metrics);
	return rc;
}

int allot_report_build(const struct allot_scenario *s, const struct allot_report_options *o,
		       struct allot_report **out)
{
	struct allot_report *r = mem_calloc(1, sizeof *r);
	int rc = ALLOT_ENOMEM;
	*out = NULL;
	if (!r)
		return rc;
	r->s = s;
	r->o = *o;
	struct allot_compare_options co;
	allot_compare_options_init(&co);
	co.policy[0] = ALLOT_POLICY_FCFS;
	co.policy[1] = ALLOT_POLICY_PRIORITY;
	co.switch_month = o->switch_month;
	if ((rc = allot_compare_run(s, &co, &r->cmp)) != ALLOT_OK)
		goto done;
	r->plan[REPORT_FCFS] = r->cmp->plan[0];
	r->plan[REPORT_PRIORITY] = r->cmp->plan[1];
	r->shown = r->plan[o->policy == ALLOT_POLICY_PRIORITY ? REPORT_PRIORITY : REPORT_FCFS];
	for (int k = 0; k < 2 && rc == ALLOT_OK; k++)
		rc = allot_plan_stats(r->plan[k], &r->stats[k]);
	if (rc == ALLOT_OK)
		rc = plan_answers(r);
	if (rc == ALLOT_OK)
		rc = report_reserve_run(r);
	if (rc == ALLOT_OK)
		rc = report_story_run(r);
	if (rc == ALLOT_OK)
		rc = report_findings(r);
	if (rc == ALLOT_OK)
		rc = report_tables(r);
done:
	if (rc != ALLOT_OK) {
		allot_report_free(r);
		r = NULL;
	}
	*out = r;
	return rc;
}
