/*
 * cache.c - loaded scenarios kept in memory between requests.
 *
 * Loading a scenario from the store costs milliseconds; most requests only
 * read it.  The cache keeps each scenario requested by name, shared
 * read-only between threads and reference-counted.  Before every use it
 * reads the store's change counter (allot_store_data_version) on its own
 * read-only connection: when any connection has committed since the
 * entries were read (a scenario replaced, an order added, a run stored,
 * here or by another process), every entry is retired and reloaded on
 * demand.  A retired entry lives on until its last user releases it.
 *
 * One mutex guards the list and the connection; loads happen under it, so
 * two requests never load the same scenario twice.
 */
#include <string.h>

#include "mem.h"
#include "server_int.h"

#define CACHE_MAX        16 /* scenarios kept; unused ones beyond are dropped */
#define PLANS_MAX        4  /* base plans kept per scenario (policy, switch month) */
#define CHECKPOINT_EVERY 6  /* months between a base plan's checkpoints */

/* A base plan and its checkpoints (allot_plan_run_checkpointed), planned
 * once per scenario and options; what-ifs resume from them. */
struct base_plan {
	struct allot_plan_options o;
	struct allot_plan *plan;
	struct allot_plan_checkpoints *cp;
};

struct cache_entry {
	char *name;
	struct allot_scenario *s;
	int refs;
	struct base_plan plans[PLANS_MAX];
	int n_plans;
	struct cache_entry *next;
};

static void entry_free(struct cache_entry *e)
{
	for (int i = 0; i < e->n_plans; i++) {
		allot_plan_free(e->plans[i].plan);
		allot_plan_checkpoints_free(e->plans[i].cp);
	}
	allot_scenario_free(e->s);
	mem_free(e->name);
	mem_free(e);
}

int cache_init(struct cache *c, const char *db, struct allot_diags *d)
{
	memset(c, 0, sizeof *c);
	pthread_mutex_init(&c->mu, NULL);
	int rc = allot_store_open(db, &c->st, d);
	if (rc == ALLOT_OK)
		rc = allot_store_data_version(c->st, &c->version, d);
	if (rc != ALLOT_OK) {
		allot_store_close(c->st);
		pthread_mutex_destroy(&c->mu);
		c->st = NULL;
	}
	return rc;
}

void cache_fini(struct cache *c)
{
	struct cache_entry *lists[2] = { c->head, c->retired };
	for (int i = 0; i < 2; i++) {
		struct cache_entry *e = lists[i];
		while (e) {
			struct cache_entry *next = e->next;
			entry_free(e);
			e = next;
		}
	}
	c->head = c->retired = NULL;
	allot_store_close(c->st);
	pthread_mutex_destroy(&c->mu);
}

/* Moves every entry out of the list: unused ones are freed, used ones go
 * to the retired list until their last user releases them. */
static void retire_all(struct cache *c)
{
	struct cache_entry *e = c->head;
	c->head = NULL;
	while (e) {
		struct cache_entry *next = e->next;
		if (e->refs == 0) {
			entry_free(e);
		} else {
			e->next = c->retired;
			c->retired = e;
		}
		e = next;
	}
}

/* Drops unused entries past CACHE_MAX (the list is most recent first). */
static void trim(struct cache *c)
{
	size_t n = 0;
	struct cache_entry **pp = &c->head;
	while (*pp) {
		struct cache_entry *e = *pp;
		if (++n > CACHE_MAX && e->refs == 0) {
			*pp = e->next;
			entry_free(e);
		} else {
			pp = &e->next;
		}
	}
}

/* Called with c->mu held. */
static int refresh(struct cache *c, int64_t *v, struct allot_diags *d)
{
	int rc = allot_store_data_version(c->st, v, d);
	if (rc == ALLOT_OK && *v != c->version) {
		retire_all(c);
		c->version = *v;
	}
	return rc;
}

int cache_version(struct cache *c, int64_t *v, struct allot_diags *d)
{
	pthread_mutex_lock(&c->mu);
	int rc = refresh(c, v, d);
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int cache_get(struct cache *c, const char *name, const struct allot_scenario **out,
	      struct allot_diags *d)
{
	*out = NULL;
	pthread_mutex_lock(&c->mu);
	int64_t v;
	int rc = refresh(c, &v, d);
	if (rc != ALLOT_OK)
		goto done;
	for (struct cache_entry *e = c->head; e; e = e->next) {
		if (strcmp(e->name, name) == 0) {
			e->refs++;
			*out = e->s;
			goto done;
		}
	}
	struct cache_entry *e = mem_calloc(1, sizeof *e);
	if (!e || !(e->name = mem_strdup(name))) {
		mem_free(e);
		rc = ALLOT_ENOMEM;
		goto done;
	}
	rc = allot_store_get_scenario(c->st, name, &e->s, d);
	if (rc != ALLOT_OK) {
		mem_free(e->name);
		mem_free(e);
		goto done;
	}
	e->refs = 1;
	e->next = c->head;
	c->head = e;
	*out = e->s;
	trim(c);
done:
	pthread_mutex_unlock(&c->mu);
	return rc;
}

/* Finds s in a list; *pp then points at the link to its entry. */
static struct cache_entry **find(struct cache_entry **pp, const struct allot_scenario *s)
{
	while (*pp && (*pp)->s != s)
		pp = &(*pp)->next;
	return pp;
}

void cache_put(struct cache *c, const struct allot_scenario *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&c->mu);
	struct cache_entry **pp = find(&c->head, s);
	if (*pp) {
		(*pp)->refs--;
	} else if (*(pp = find(&c->retired, s)) && --(*pp)->refs == 0) {
		struct cache_entry *e = *pp;
		*pp = e->next;
		entry_free(e);
	}
	pthread_mutex_unlock(&c->mu);
}

static int same_opts(const struct allot_plan_options *a, const struct allot_plan_options *b)
{
	return a->policy == b->policy && a->switch_month == b->switch_month &&
	       a->record_allocations == b->record_allocations && a->trace_order == b->trace_order;
}

/* The held entry of s, in the list or retired; NULL if none.  With mu held. */
static struct cache_entry *entry_of(struct cache *c, const struct allot_scenario *s)
{
	struct cache_entry **pp = find(&c->head, s);
	if (!*pp)
		pp = find(&c->retired, s);
	return *pp;
}

static const struct base_plan *plan_of(struct cache_entry *e, const struct allot_plan_options *o)
{
	for (int i = 0; e && i < e->n_plans; i++)
		if (same_opts(&e->plans[i].o, o))
			return &e->plans[i];
	return NULL;
}

int cache_base_plan(struct cache *c, const struct allot_scenario *s,
		    const struct allot_plan_options *o, const struct allot_plan **plan,
		    const struct allot_plan_checkpoints **cp)
{
	pthread_mutex_lock(&c->mu);
	const struct base_plan *b = plan_of(entry_of(c, s), o);
	pthread_mutex_unlock(&c->mu);
	if (!b) {
		/* Planned outside the lock; a plan another request kept
		 * meanwhile wins, and this one is dropped. */
		struct base_plan n = { *o, NULL, NULL };
		int rc = allot_plan_run_checkpointed(s, o, CHECKPOINT_EVERY, &n.plan, &n.cp);
		if (rc != ALLOT_OK)
			return rc;
		pthread_mutex_lock(&c->mu);
		struct cache_entry *e = entry_of(c, s);
		if (!(b = plan_of(e, o)) && e && e->n_plans < PLANS_MAX) {
			e->plans[e->n_plans] = n;
			b = &e->plans[e->n_plans++];
			n.plan = NULL;
			n.cp = NULL;
		}
		pthread_mutex_unlock(&c->mu);
		allot_plan_free(n.plan);
		allot_plan_checkpoints_free(n.cp);
		if (!b)
			return ALLOT_ENOTFOUND;
	}
	*plan = b->plan;
	*cp = b->cp;
	return ALLOT_OK;
}
