/*
 * testutil.c - scenario builders and file helpers for the unit tests.
 */
#define _GNU_SOURCE
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *must(void *p)
{
	if (!p) {
		fprintf(stderr, "testutil: out of memory\n");
		abort();
	}
	return p;
}

#define PUSH(arr, n)                                              \
	((arr) = must(realloc((arr), ((n) + 1) * sizeof *(arr))), \
	 memset(&(arr)[(n)], 0, sizeof *(arr)), (int)(n)++)

allot_month tu_m(const char *s)
{
	allot_month m;
	if (allot_month_parse(s, &m) != 0) {
		fprintf(stderr, "testutil: bad month %s\n", s);
		abort();
	}
	return m;
}

struct allot_scenario *tu_scenario(const char *as_of, int horizon)
{
	struct allot_scenario *s = must(calloc(1, sizeof *s));
	s->name = must(strdup("test"));
	s->as_of = tu_m(as_of);
	s->horizon_months = horizon;
	s->switch_month = ALLOT_NO_MONTH;
	s->policy_file = must(strdup("policy.json"));
	s->notes = must(strdup(""));
	if (allot_policy_default(&s->policy) != 0)
		abort();
	return s;
}

int tu_partner(struct allot_scenario *s, const char *iso3, const char *region, int frontline,
	       double defense_pct, double growth_pct, double troops, int basing,
	       double purchases_usd, double invest_usd)
{
	int i = PUSH(s->partners, s->n_partners);
	struct allot_partner *p = &s->partners[i];
	snprintf(p->iso3, sizeof p->iso3, "%s", iso3);
	p->name = must(strdup(iso3));
	p->region = must(strdup(region));
	p->alliance = must(strdup(""));
	p->frontline = frontline;
	p->defense_pct_gdp = defense_pct;
	p->real_growth_3y_pct = growth_pct;
	p->us_troops = troops;
	p->basing_access = basing;
	p->us_purchases_5y_usd = purchases_usd;
	p->invest_in_us_usd = invest_usd;
	return i;
}

int tu_line(struct allot_scenario *s, const char *id, double rate, double us_share)
{
	int i = PUSH(s->lines, s->n_lines);
	s->lines[i].line_id = must(strdup(id));
	s->lines[i].name = must(strdup(id));
	s->lines[i].rate_per_month = rate;
	s->lines[i].us_share = us_share;
	return i;
}

int tu_system(struct allot_scenario *s, const char *id, int line, double unit_cost, int lead_months,
	      int eeum)
{
	int i = PUSH(s->systems, s->n_systems);
	struct allot_system *y = &s->systems[i];
	y->system_id = must(strdup(id));
	y->name = must(strdup(id));
	y->line = line;
	y->unit_cost_usd = unit_cost;
	y->lead_months = lead_months;
	y->eeum = eeum;
	y->foreign_alternative = must(strdup(""));
	return i;
}

int tu_order(struct allot_scenario *s, const char *id, int partner, int system, int64_t qty,
	     int64_t delivered, const char *loa, const char *need, int64_t rank)
{
	int i = PUSH(s->orders, s->n_orders);
	struct allot_order *o = &s->orders[i];
	o->order_id = must(strdup(id));
	o->partner = partner;
	o->system = system;
	o->qty = qty;
	o->delivered = delivered;
	o->loa_month = tu_m(loa);
	o->need_month = need ? tu_m(need) : ALLOT_NO_MONTH;
	o->not_before = ALLOT_NO_MONTH;
	o->partner_rank = rank;
	return i;
}

static int64_t grams(double kg)
{
	double g = kg * 1000.0;
	return (int64_t)(g < 0 ? g - 0.5 : g + 0.5);
}

int tu_mineral(struct allot_scenario *s, const char *id, double stock_kg)
{
	int i = PUSH(s->minerals, s->n_minerals);
	s->minerals[i].mineral_id = must(strdup(id));
	s->minerals[i].name = must(strdup(id));
	s->minerals[i].stock_g = grams(stock_kg);
	s->present |= 1u << ALLOT_FILE_MINERALS;
	return i;
}

int tu_supply(struct allot_scenario *s, int mineral, const char *source, double kg_per_month)
{
	int i = PUSH(s->supply, s->n_supply);
	s->supply[i].mineral = mineral;
	s->supply[i].source = must(strdup(source));
	s->supply[i].g_per_month = grams(kg_per_month);
	s->present |= 1u << ALLOT_FILE_SUPPLY;
	return i;
}

int tu_bom(struct allot_scenario *s, int system, int mineral, double kg_per_unit)
{
	int i = PUSH(s->bom, s->n_bom);
	s->bom[i].system = system;
	s->bom[i].mineral = mineral;
	s->bom[i].g_per_unit = grams(kg_per_unit);
	s->present |= 1u << ALLOT_FILE_BOM;
	return i;
}

int tu_event(struct allot_scenario *s, const char *month, enum allot_event_type type,
	     const char *target, const char *value)
{
	int i = PUSH(s->events, s->n_events);
	struct allot_event *e = &s->events[i];
	e->month = tu_m(month);
	e->type = type;
	e->target = must(strdup(target));
	e->value = must(strdup(value));
	switch (type) {
	case ALLOT_EV_CAPACITY:
	case ALLOT_EV_US_SHARE:
		e->index = allot_scenario_find_line(s, target);
		break;
	case ALLOT_EV_BUDGET_CAP:
	case ALLOT_EV_EUM_STATUS:
		e->index = allot_scenario_find_partner(s, target);
		break;
	case ALLOT_EV_WEIGHT:
		e->index = allot_criterion_parse(target);
		break;
	case ALLOT_EV_CATALOG:
	case ALLOT_EV_EEUM:
	case ALLOT_EV_MIN_TIER:
		e->index = allot_scenario_find_system(s, target);
		break;
	default:
		abort();
	}
	if (e->index < 0)
		abort();
	if (type == ALLOT_EV_EUM_STATUS) {
		if (allot_eum_parse(value, &e->eum) != 0)
			abort();
	} else {
		e->num = strtod(value, NULL);
	}
	s->present |= 1u << ALLOT_FILE_EVENTS;
	return i;
}

int tu_investment(struct allot_scenario *s, int partner, int line, double usd, const char *month,
		  double added_rate, const char *online_month)
{
	int i = PUSH(s->investments, s->n_investments);
	struct allot_investment *v = &s->investments[i];
	v->partner = partner;
	v->line = line;
	v->usd = usd;
	v->month = tu_m(month);
	v->added_rate = added_rate;
	v->online_month = tu_m(online_month);
	s->present |= 1u << ALLOT_FILE_INVESTMENTS;
	return i;
}

int tu_embargo(struct allot_scenario *s, const char *source, int mineral, const char *start,
	       const char *end)
{
	int i = PUSH(s->embargoes, s->n_embargoes);
	struct allot_embargo *e = &s->embargoes[i];
	e->source = must(strdup(source));
	e->mineral = mineral;
	e->start_month = tu_m(start);
	e->end_month = end ? tu_m(end) : ALLOT_NO_MONTH;
	s->present |= 1u << ALLOT_FILE_EMBARGOES;
	return i;
}

int tu_wip(struct allot_scenario *s, int order, const char *month, int64_t units)
{
	int i = PUSH(s->wip, s->n_wip);
	s->wip[i] = (struct allot_wip){ order, tu_m(month), units };
	s->present |= 1u << ALLOT_FILE_WIP;
	return i;
}

const char *tu_wip_text(const struct allot_scenario *s)
{
	static char buf[1024];
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < s->n_wip && n < sizeof buf; i++) {
		char m[8];
		allot_month_format(s->wip[i].month, m);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s:%s:%lld", i ? " " : "",
				      s->orders[s->wip[i].order].order_id, m,
				      (long long)s->wip[i].units);
	}
	return buf;
}

static char pathbuf[4][4096];
static int pathslot;

const char *tu_src(const char *rel)
{
	char *b = pathbuf[pathslot++ & 3];
	/* tests/clone/run.sh points this at a fresh clone (ALLOT_TEST_SOURCE_DIR),
	 * so that the same binaries prove the clone holds every input. */
	const char *dir = getenv("ALLOT_TEST_SOURCE_DIR");
	snprintf(b, 4096, "%s/%s", dir && *dir ? dir : ALLOT_SOURCE_DIR, rel);
	return b;
}

struct allot_convert_dirs tu_bundled_dirs(void)
{
	struct allot_convert_dirs dirs = { .raw = tu_src("data/raw"),
					   .sources = tu_src("data/sources"),
					   .mappings = tu_src("data/mappings") };
	return dirs;
}

struct allot_scenario *tu_as_of_book(const char *yyyy_mm, char **md, struct allot_diags *d)
{
	struct allot_convert_dirs dirs = tu_bundled_dirs();
	struct allot_scenario *s = NULL;
	allot_diags_init(d);
	*md = NULL;
	assert_int_equal(allot_convert_dataset_as_of(&dirs, tu_m(yyyy_mm), &s, md, d), ALLOT_OK);
	assert_non_null(s);
	return s;
}

char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	snprintf(tmpl, sizeof tmpl, "%s/allot-test-XXXXXX", base ? base : "/tmp");
	char *d = mkdtemp(tmpl);
	return must(d ? strdup(d) : NULL);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tu_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = must(malloc(cap + 1));
	size_t r;
	while ((r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			b = must(realloc(b, (cap *= 2) + 1));
	}
	fclose(f);
	b[n] = '\0';
	if (len)
		*len = n;
	return b;
}

uint64_t tu_xorshift(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void same_double(double a, double b)
{
	assert_memory_equal(&a, &b, sizeof a);
}

void tu_same_policy(const struct allot_policy *a, const struct allot_policy *b)
{
	for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
		same_double(a->weight[k], b->weight[k]);
	const double va[] = { a->target_pct,         a->growth_full_pct,   a->troops_ref,
			      a->basing_max,         a->frontline_factor,  a->rear_factor,
			      a->economic_ref_usd,   a->economic_unit_usd, a->invest_multiplier,
			      a->penalty_delinquent, a->penalty_violation, a->default_theater };
	const double vb[] = { b->target_pct,         b->growth_full_pct,   b->troops_ref,
			      b->basing_max,         b->frontline_factor,  b->rear_factor,
			      b->economic_ref_usd,   b->economic_unit_usd, b->invest_multiplier,
			      b->penalty_delinquent, b->penalty_violation, b->default_theater };
	for (size_t i = 0; i < sizeof va / sizeof *va; i++)
		same_double(va[i], vb[i]);
	assert_int_equal(a->n_theaters, b->n_theaters);
	for (size_t i = 0; i < a->n_theaters; i++) {
		assert_string_equal(a->theaters[i].region, b->theaters[i].region);
		same_double(a->theaters[i].weight, b->theaters[i].weight);
	}
	assert_int_equal(a->n_tier_thresholds, b->n_tier_thresholds);
	for (size_t i = 0; i < a->n_tier_thresholds; i++)
		same_double(a->tier_min[i], b->tier_min[i]);
	assert_int_equal(a->n_tier_weights, b->n_tier_weights);
	for (size_t i = 0; i < a->n_tier_weights; i++)
		same_double(a->tier_weight[i], b->tier_weight[i]);
	const struct allot_case_policy *x = &a->cases, *y = &b->cases;
	assert_int_equal(x->set, y->set);
	if (!x->set)
		return;
	for (int c = 0; c < ALLOT_CAT_COUNT; c++)
		same_double(x->processing_days[c], y->processing_days[c]);
	assert_int_equal(x->default_category, y->default_category);
	same_double(x->acceptance_days, y->acceptance_days);
	same_double(x->catalog_shortening, y->catalog_shortening);
	assert_int_equal(x->n_tier_shortening, y->n_tier_shortening);
	for (size_t i = 0; i < x->n_tier_shortening; i++)
		same_double(x->tier_shortening[i], y->tier_shortening[i]);
	assert_int_equal(x->n_gates, y->n_gates);
	for (size_t i = 0; i < x->n_gates; i++) {
		assert_string_equal(x->gates[i].system_id, y->gates[i].system_id);
		assert_int_equal(x->gates[i].min_tier, y->gates[i].min_tier);
	}
	assert_int_equal(x->n_nato_plus, y->n_nato_plus);
	for (size_t i = 0; i < x->n_nato_plus; i++)
		assert_string_equal(x->nato_plus[i], y->nato_plus[i]);
	for (int g = 0; g < ALLOT_GROUP_COUNT; g++) {
		for (int k = 0; k < ALLOT_NOTIFY_KINDS; k++)
			same_double(x->threshold_usd[g][k], y->threshold_usd[g][k]);
		same_double(x->review_days[g], y->review_days[g]);
		same_double(x->advance_days[g], y->advance_days[g]);
	}
	same_double(x->eeum_delinquent_days, y->eeum_delinquent_days);
	assert_int_equal(x->tpt_streamlined, y->tpt_streamlined);
	for (int r = 0; r < 2; r++) {
		same_double(x->tpt[r].days, y->tpt[r].days);
		same_double(x->tpt[r].eeum_days, y->tpt[r].eeum_days);
		assert_int_equal(x->tpt[r].refuse_eeum, y->tpt[r].refuse_eeum);
		same_double(x->tpt[r].ineligible_days, y->tpt[r].ineligible_days);
		assert_int_equal(x->tpt[r].refuse_ineligible, y->tpt[r].refuse_ineligible);
	}
}
