/*
 * respcache.c - answers to GET requests kept for the next identical one.
 *
 * Every GET answer is a function of the request (path and query) and of the
 * store's contents, so a 200 answer can be reused until the store changes.
 * Entries are tagged with the store's change counter (cache_version, the
 * scenario cache's reading of PRAGMA data_version) and all dropped when it
 * moves.  The cache is bounded (RC_MAX_ENTRIES, RC_MAX_BYTES) and drops the
 * least recently used entry first.  A hit hands out a copy, so an entry can
 * be dropped while its bytes are still being sent.
 */
#include <string.h>

#include "mem.h"
#include "server_int.h"

#define RC_MAX_ENTRIES 256
#define RC_MAX_BYTES   (64u << 20)
#define RC_MAX_ENTRY   (8u << 20) /* bigger answers are not kept */

struct rc_entry {
	char *key;
	char *data;
	size_t len;
	unsigned char *gz; /* gzip form, or NULL */
	size_t gzlen;
	struct rc_entry *prev, *next; /* most recently used first */
};

static void entry_free(struct rc_entry *e)
{
	mem_free(e->key);
	mem_free(e->data);
	mem_free(e->gz);
	mem_free(e);
}

void respcache_init(struct respcache *rc)
{
	memset(rc, 0, sizeof *rc);
	pthread_mutex_init(&rc->mu, NULL);
}

static void drop(struct respcache *rc, struct rc_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		rc->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		rc->tail = e->prev;
	rc->bytes -= e->len + e->gzlen;
	rc->n--;
	entry_free(e);
}

static void drop_all(struct respcache *rc)
{
	while (rc->head)
		drop(rc, rc->head);
}

void respcache_fini(struct respcache *rc)
{
	drop_all(rc);
	pthread_mutex_destroy(&rc->mu);
}

/* Forgets everything when the store moved past the entries' version. */
static void check_version(struct respcache *rc, int64_t version)
{
	if (version != rc->version) {
		drop_all(rc);
		rc->version = version;
	}
}

int respcache_get(struct respcache *rc, const char *key, int64_t version, int want_gz, char **data,
		  size_t *len, int *gz)
{
	int hit = 0;
	pthread_mutex_lock(&rc->mu);
	check_version(rc, version);
	struct rc_entry *e = rc->head;
	while (e && strcmp(e->key, key) != 0)
		e = e->next;
	*gz = e && want_gz && e->gz;
	const void *src = *gz ? (const void *)e->gz : e ? e->data : NULL;
	size_t n = *gz ? e->gzlen : e ? e->len : 0;
	if (e && (*data = mem_alloc(n)) != NULL) {
		memcpy(*data, src, n);
		*len = n;
		hit = 1;
		if (e != rc->head) { /* move to the front */
			e->prev->next = e->next;
			if (e->next)
				e->next->prev = e->prev;
			else
				rc->tail = e->prev;
			e->prev = NULL;
			e->next = rc->head;
			rc->head->prev = e;
			rc->head = e;
		}
	}
	pthread_mutex_unlock(&rc->mu);
	return hit;
}

void respcache_put(struct respcache *rc, const char *key, int64_t version, const char *data,
		   size_t len, const unsigned char *gz, size_t gzlen)
{
	if (len > RC_MAX_ENTRY)
		return;
	struct rc_entry *e = mem_calloc(1, sizeof *e);
	if (!e || !(e->key = mem_strdup(key)) || !(e->data = mem_alloc(len)) ||
	    (gz && !(e->gz = mem_alloc(gzlen)))) {
		if (e)
			entry_free(e);
		return;
	}
	memcpy(e->data, data, len);
	e->len = len;
	if (gz) {
		memcpy(e->gz, gz, gzlen);
		e->gzlen = gzlen;
	}
	pthread_mutex_lock(&rc->mu);
	check_version(rc, version);
	if (version == rc->version) {
		for (struct rc_entry *o = rc->head; o; o = o->next)
			if (strcmp(o->key, key) == 0) {
				drop(rc, o); /* a concurrent miss stored it first */
				break;
			}
		while (rc->tail &&
		       (rc->n >= RC_MAX_ENTRIES || rc->bytes + len + e->gzlen > RC_MAX_BYTES))
			drop(rc, rc->tail);
		e->next = rc->head;
		if (rc->head)
			rc->head->prev = e;
		rc->head = e;
		if (!rc->tail)
			rc->tail = e;
		rc->bytes += len + e->gzlen;
		rc->n++;
		e = NULL;
	}
	pthread_mutex_unlock(&rc->mu);
	if (e)
		entry_free(e);
}
