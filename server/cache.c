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

#define CACHE_MAX 16 /* scenarios kept; unused ones beyond are dropped */

struct cache_entry {
	char *name;
	struct allot_scenario *s;
	int refs;
	struct cache_entry *next;
};

static void entry_free(struct cache_entry *e)
{
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
