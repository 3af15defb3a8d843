/*
 * model.c - the scenario model: names of enumerations, lookups, and the
 * destructor.  The model is plain data (include/allot/allot.h); loaders fill
 * it, the planner reads it.
 */
#include <allot/allot.h>

#include <string.h>

#include "util/mem.h"

static const char *const eum_names[] = { "compliant", "delinquent", "violation" };

const char *allot_eum_name(enum allot_eum e)
{
	return (unsigned)e < 3 ? eum_names[e] : "?";
}

int allot_eum_parse(const char *s, enum allot_eum *out)
{
	if (s[0] == '\0') {
		*out = ALLOT_EUM_COMPLIANT;
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		if (strcmp(s, eum_names[i]) == 0) {
			*out = (enum allot_eum)i;
			return 0;
		}
	}
	return -1;
}

static const char *const supply_names[ALLOT_SUPPLY_COUNT] = {
	"new",
	"used",
	"lease",
	"licence",
};

const char *allot_supply_type_name(enum allot_supply_type t)
{
	return (unsigned)t < ALLOT_SUPPLY_COUNT ? supply_names[t] : "?";
}

int allot_supply_type_parse(const char *s, enum allot_supply_type *out)
{
	if (s[0] == '\0') {
		*out = ALLOT_SUPPLY_NEW;
		return 0;
	}
	for (int i = 0; i < ALLOT_SUPPLY_COUNT; i++) {
		if (strcmp(s, supply_names[i]) == 0) {
			*out = (enum allot_supply_type)i;
			return 0;
		}
	}
	return -1;
}

/* The three-valued bases ("" = not stated first): a value's name, and the
 * index of a name (-1: none). */
static const char *basis_word(const char *const names[3], unsigned v)
{
	return v < 3 ? names[v] : "?";
}

static int basis_index(const char *const names[3], const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *const basis_names[] = { "", "cited", "estimate" };

const char *allot_rate_basis_name(enum allot_rate_basis b)
{
	return basis_word(basis_names, (unsigned)b);
}

int allot_rate_basis_parse(const char *s, enum allot_rate_basis *out)
{
	int i = basis_index(basis_names, s);
	if (i >= 0)
		*out = (enum allot_rate_basis)i;
	return i >= 0 ? 0 : -1;
}

/* A row before as_of is work in progress or an order not supplied new
 * (docs/allocation.md): line production starts at month 0. */
int allot_alloc_on_line(const struct allot_scenario *s, const struct allot_alloc *a)
{
	return a->month >= 0 && s->orders[a->order].supply == ALLOT_SUPPLY_NEW;
}

const char *allot_alloc_supply(const struct allot_scenario *s, const struct allot_alloc *a)
{
	int sup = s->orders[a->order].supply;
	if (sup != ALLOT_SUPPLY_NEW)
		return allot_supply_type_name((enum allot_supply_type)sup);
	return a->month < 0 ? "wip" : "new";
}

int allot_scenario_has_offline(const struct allot_scenario *s)
{
	if (s->n_wip > 0)
		return 1;
	for (size_t i = 0; i < s->n_orders; i++)
		if (s->orders[i].supply != ALLOT_SUPPLY_NEW)
			return 1;
	return 0;
}

int allot_scenario_has_rate_basis(const struct allot_scenario *s)
{
	for (size_t i = 0; i < s->n_lines; i++)
		if (s->lines[i].rate_basis != ALLOT_RATE_UNSTATED)
			return 1;
	return 0;
}

/* The rate basis of system's line; unstated for a system or line out of range. */
static enum allot_rate_basis system_rate_basis(const struct allot_scenario *s, int system)
{
	if (system < 0 || (size_t)system >= s->n_systems)
		return ALLOT_RATE_UNSTATED;
	int line = s->systems[system].line;
	if (line < 0 || (size_t)line >= s->n_lines)
		return ALLOT_RATE_UNSTATED;
	return s->lines[line].rate_basis;
}

const char *allot_rate_mark(const struct allot_scenario *s, int system)
{
	return system_rate_basis(s, system) == ALLOT_RATE_ESTIMATE ? ALLOT_RATE_MARK : "";
}

const char *allot_order_rate_mark(const struct allot_scenario *s, const struct allot_order *o)
{
	return o->supply == ALLOT_SUPPLY_NEW ? allot_rate_mark(s, o->system) : "";
}

const char *allot_order_rate_word(const struct allot_scenario *s, const struct allot_order *o)
{
	return o->supply == ALLOT_SUPPLY_NEW
		       ? allot_rate_basis_name(system_rate_basis(s, o->system))
		       : ALLOT_RATE_OFF_LINE;
}

static const char *const loa_names[] = { "", "month", "year" };

const char *allot_loa_basis_name(enum allot_loa_basis b)
{
	return basis_word(loa_names, (unsigned)b);
}

int allot_loa_basis_parse(const char *s, enum allot_loa_basis *out)
{
	int i = basis_index(loa_names, s);
	if (i >= 0)
		*out = (enum allot_loa_basis)i;
	return i >= 0 ? 0 : -1;
}

const char *allot_loa_mark(const struct allot_scenario *s, int order)
{
	if (order < 0 || (size_t)order >= s->n_orders)
		return "";
	return s->orders[order].loa_basis == ALLOT_LOA_YEAR ? ALLOT_LOA_MARK : "";
}

int allot_scenario_has_loa_basis(const struct allot_scenario *s)
{
	for (size_t i = 0; i < s->n_orders; i++)
		if (s->orders[i].loa_basis != ALLOT_LOA_UNSTATED)
			return 1;
	return 0;
}

int allot_scenario_has_cost_basis(const struct allot_scenario *s)
{
	for (size_t i = 0; i < s->n_systems; i++)
		if (s->systems[i].unit_cost_basis != ALLOT_RATE_UNSTATED)
			return 1;
	return 0;
}

int allot_scenario_has_stock_basis(const struct allot_scenario *s)
{
	for (size_t i = 0; i < s->n_minerals; i++)
		if (s->minerals[i].stock_basis != ALLOT_RATE_UNSTATED)
			return 1;
	return 0;
}

const char *allot_estimate_mark(int basis)
{
	return basis == ALLOT_RATE_ESTIMATE ? ALLOT_ESTIMATE_MARK : "";
}

static const char *const purchases_names[] = { "", "usd", "tiv" };

const char *allot_purchases_basis_name(enum allot_purchases_basis b)
{
	return basis_word(purchases_names, (unsigned)b);
}

int allot_purchases_basis_parse(const char *s, enum allot_purchases_basis *out)
{
	int i = basis_index(purchases_names, s);
	if (i >= 0)
		*out = (enum allot_purchases_basis)i;
	return i >= 0 ? 0 : -1;
}

const char *allot_purchases_note(const struct allot_partner *p)
{
	switch (p->purchases_basis) {
	case ALLOT_PURCHASES_TIV:
		return ALLOT_NOTE_PURCHASES;
	case ALLOT_PURCHASES_USD:
		return ALLOT_NOTE_PURCHASES_USD;
	default:
		return NULL;
	}
}

int allot_scenario_purchases_tiv(const struct allot_scenario *s)
{
	for (size_t i = 0; i < s->n_partners; i++)
		if (s->partners[i].purchases_basis == ALLOT_PURCHASES_TIV)
			return 1;
	return 0;
}

static const char *const event_names[ALLOT_EV_COUNT] = {
	"capacity", "us_share", "budget_cap", "eum_status", "weight", "catalog", "eeum", "min_tier",
};

const char *allot_event_type_name(enum allot_event_type t)
{
	return (unsigned)t < ALLOT_EV_COUNT ? event_names[t] : "?";
}

static const char *const crit_names[ALLOT_CRIT_COUNT] = {
	"investment", "growth", "geography", "operations", "economic",
};

const char *allot_criterion_name(enum allot_criterion c)
{
	return (unsigned)c < ALLOT_CRIT_COUNT ? crit_names[c] : "?";
}

int allot_criterion_parse(const char *s)
{
	for (int i = 0; i < ALLOT_CRIT_COUNT; i++)
		if (strcmp(s, crit_names[i]) == 0)
			return i;
	return -1;
}

int allot_policy_kind_parse(const char *s, enum allot_policy_kind *out)
{
	if (strcmp(s, "fcfs") == 0)
		*out = ALLOT_POLICY_FCFS;
	else if (strcmp(s, "priority") == 0)
		*out = ALLOT_POLICY_PRIORITY;
	else
		return -1;
	return 0;
}

const char *allot_policy_kind_name(enum allot_policy_kind k)
{
	return k == ALLOT_POLICY_PRIORITY ? "priority" : "fcfs";
}

/* allot_policy_default is the policy codec's (lib/io/policy.c: pkeys). */

void allot_policy_free(struct allot_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_theaters; i++)
		mem_free(p->theaters[i].region);
	mem_free(p->theaters);
	p->theaters = NULL;
	p->n_theaters = 0;
}

int allot_policy_copy(struct allot_policy *dst, const struct allot_policy *src)
{
	*dst = *src;
	dst->theaters = NULL;
	dst->n_theaters = 0;
	if (src->n_theaters == 0)
		return ALLOT_OK;
	dst->theaters = mem_calloc(src->n_theaters, sizeof *dst->theaters);
	if (!dst->theaters)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < src->n_theaters; i++) {
		dst->theaters[i].weight = src->theaters[i].weight;
		dst->theaters[i].region = mem_strdup(src->theaters[i].region);
		dst->n_theaters = i + 1;
		if (!dst->theaters[i].region) {
			allot_policy_free(dst);
			return ALLOT_ENOMEM;
		}
	}
	return ALLOT_OK;
}

void allot_scenario_free(struct allot_scenario *s)
{
	if (!s)
		return;
	mem_free(s->name);
	mem_free(s->policy_file);
	mem_free(s->notes);
	allot_policy_free(&s->policy);
	for (size_t i = 0; i < s->n_partners; i++) {
		mem_free(s->partners[i].name);
		mem_free(s->partners[i].region);
		mem_free(s->partners[i].alliance);
	}
	for (size_t i = 0; i < s->n_systems; i++) {
		mem_free(s->systems[i].system_id);
		mem_free(s->systems[i].name);
		mem_free(s->systems[i].foreign_alternative);
	}
	for (size_t i = 0; i < s->n_lines; i++) {
		mem_free(s->lines[i].line_id);
		mem_free(s->lines[i].name);
	}
	/* (addresses compared as integers: the id may be in another block) */
	uintptr_t b0 = (uintptr_t)s->id_block, b1 = b0 + s->id_block_size;
	for (size_t i = 0; i < s->n_orders; i++) {
		uintptr_t id = (uintptr_t)s->orders[i].order_id;
		if (id < b0 || id >= b1)
			mem_free(s->orders[i].order_id);
	}
	mem_free(s->id_block);
	for (size_t i = 0; i < s->n_minerals; i++) {
		mem_free(s->minerals[i].mineral_id);
		mem_free(s->minerals[i].name);
	}
	for (size_t i = 0; i < s->n_supply; i++)
		mem_free(s->supply[i].source);
	for (size_t i = 0; i < s->n_events; i++) {
		mem_free(s->events[i].target);
		mem_free(s->events[i].value);
	}
	for (size_t i = 0; i < s->n_embargoes; i++)
		mem_free(s->embargoes[i].source);
	for (size_t i = 0; i < s->n_requests; i++)
		mem_free(s->requests[i].request_id);
	for (size_t i = 0; i < s->n_transfers; i++)
		mem_free(s->transfers[i].transfer_id);
	mem_free(s->requests);
	mem_free(s->transfers);
	mem_free(s->wip);
	mem_free(s->partners);
	mem_free(s->systems);
	mem_free(s->lines);
	mem_free(s->orders);
	mem_free(s->minerals);
	mem_free(s->supply);
	mem_free(s->bom);
	mem_free(s->events);
	mem_free(s->investments);
	mem_free(s->embargoes);
	mem_free(s);
}

/* Lookups are linear: they serve the command line (one key at a time).
 * Loaders build their own hash maps (util/strmap.h). */
#define FIND(arr, n, field, key)                        \
	for (size_t i = 0; i < (n); i++)                \
		if (strcmp((arr)[i].field, (key)) == 0) \
			return (int)i;                  \
	return -1

int allot_scenario_find_partner(const struct allot_scenario *s, const char *iso3)
{
	FIND(s->partners, s->n_partners, iso3, iso3);
}

int allot_scenario_find_system(const struct allot_scenario *s, const char *id)
{
	FIND(s->systems, s->n_systems, system_id, id);
}

int allot_scenario_find_line(const struct allot_scenario *s, const char *id)
{
	FIND(s->lines, s->n_lines, line_id, id);
}

int allot_scenario_find_mineral(const struct allot_scenario *s, const char *id)
{
	FIND(s->minerals, s->n_minerals, mineral_id, id);
}

int allot_scenario_find_order(const struct allot_scenario *s, const char *id)
{
	FIND(s->orders, s->n_orders, order_id, id);
}

int64_t allot_order_start(const struct allot_scenario *s, size_t i)
{
	const struct allot_order *o = &s->orders[i];
	int64_t e = (int64_t)o->loa_month - s->as_of;
	if (o->not_before != ALLOT_NO_MONTH) {
		int64_t nb = (int64_t)o->not_before - s->systems[o->system].lead_months - s->as_of;
		if (nb > e)
			e = nb;
	}
	return e;
}
