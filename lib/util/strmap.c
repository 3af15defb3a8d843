/*
 * strmap.c - open-addressing string map with linear probing (see strmap.h).
 */
#include "strmap.h"

#include <stdint.h>
#include <string.h>

#include "mem.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

void strmap_init(struct strmap *m) { memset(m, 0, sizeof *m); }

void strmap_free(struct strmap *m)
{
	if (!m)
		return;
	mem_free(m->keys);
	mem_free(m->hashes);
	mem_free(m->vals);
	memset(m, 0, sizeof *m);
}

static size_t slot(const struct strmap *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1, i = h & mask;
	while (m->keys[i] && (m->hashes[i] != h || strcmp(m->keys[i], key) != 0))
		i = (i + 1) & mask;
	return i;
}

static int rehash(struct strmap *m, size_t cap)
{
	struct strmap n = { mem_calloc(cap, sizeof *n.keys), mem_calloc(cap, sizeof *n.hashes),
			    mem_calloc(cap, sizeof *n.vals), cap, m->n };
	if (!n.keys || !n.hashes || !n.vals) {
		mem_free(n.keys);
		mem_free(n.hashes);
		mem_free(n.vals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = slot(&n, m->keys[i], m->hashes[i]);
		n.keys[j] = m->keys[i];
		n.hashes[j] = m->hashes[i];
		n.vals[j] = m->vals[i];
	}
	mem_free(m->keys);
	mem_free(m->hashes);
	mem_free(m->vals);
	*m = n;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, int val, int *old)
{
	if ((m->n + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 64) != 0)
		return -1;
	uint64_t h = hash(key);
	size_t i = slot(m, key, h);
	if (m->keys[i]) {
		if (old)
			*old = m->vals[i];
		return 1;
	}
	m->keys[i] = key;
	m->hashes[i] = h;
	m->vals[i] = val;
	m->n++;
	return 0;
}

int strmap_get(const struct strmap *m, const char *key)
{
	if (m->cap == 0)
		return -1;
	size_t i = slot(m, key, hash(key));
	return m->keys[i] ? m->vals[i] : -1;
}
