/*
 * strmap.c - open-addressing string map with linear probing (see strmap.h).
 */
#include "strmap.h"

#include <stdint.h>
#include <string.h>

#include "mem.h"

/* FNV-1a, then a final mix (the murmur3 finaliser): keys that differ only
 * in their last digits ("ORD-0000001", "ORD-0000002" ...) otherwise land in
 * runs of neighbouring slots, which linear probing turns into long probes. */
static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

void strmap_init(struct strmap *m) { memset(m, 0, sizeof *m); }

void strmap_free(struct strmap *m)
{
	if (!m)
		return;
	mem_free(m->slots);
	memset(m, 0, sizeof *m);
}

static size_t slot(const struct strmap *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1, i = h & mask;
	const struct strmap_slot *v = m->slots;
	while (v[i].key && (v[i].hash != h || strcmp(v[i].key, key) != 0))
		i = (i + 1) & mask;
	return i;
}

static int rehash(struct strmap *m, size_t cap)
{
	struct strmap_slot *v = mem_calloc(cap, sizeof *v);
	if (!v)
		return -1;
	size_t mask = cap - 1;
	for (size_t i = 0; i < m->cap; i++) {
		const struct strmap_slot *o = &m->slots[i];
		if (!o->key)
			continue;
		size_t j = o->hash & mask; /* keys are distinct: no strcmp */
		while (v[j].key)
			j = (j + 1) & mask;
		v[j] = *o;
	}
	mem_free(m->slots);
	m->slots = v;
	m->cap = cap;
	return 0;
}

int strmap_put(struct strmap *m, const char *key, int val, int *old)
{
	if ((m->n + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 64) != 0)
		return -1;
	uint64_t h = hash(key);
	size_t i = slot(m, key, h);
	struct strmap_slot *v = &m->slots[i];
	if (v->key) {
		if (old)
			*old = v->val;
		return 1;
	}
	v->key = key;
	v->hash = h;
	v->val = val;
	m->n++;
	return 0;
}

int strmap_get(const struct strmap *m, const char *key)
{
	if (m->cap == 0)
		return -1;
	size_t i = slot(m, key, hash(key));
	return m->slots[i].key ? m->slots[i].val : -1;
}
