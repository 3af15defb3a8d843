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
	mem_free(m->keys);
	memset(m, 0, sizeof *m);
}

/* The slot holding key, or the empty slot where it would go.  The tag (the
 * hash's high 32 bits) also picks the first slot, so that a rehash moves
 * slots without reading a key; its bits above the table's size still sort
 * out most neighbours without strcmp. */
static size_t slot(const struct strmap *m, const char *key, uint64_t h)
{
	uint32_t tag = (uint32_t)(h >> 32);
	size_t mask = m->cap - 1, i = tag & mask;
	const struct strmap_slot *v = m->slots;
	while (v[i].val1 && (v[i].tag != tag || strcmp(m->keys[i], key) != 0))
		i = (i + 1) & mask;
	return i;
}

static int rehash(struct strmap *m, size_t cap)
{
	struct strmap_slot *v = mem_calloc(cap, sizeof *v);
	const char **k = mem_calloc(cap, sizeof *k);
	if (!v || !k) {
		mem_free(v);
		mem_free(k);
		return -1;
	}
	size_t mask = cap - 1;
	for (size_t i = 0; i < m->cap; i++) {
		const struct strmap_slot *o = &m->slots[i];
		if (!o->val1)
			continue;
		size_t j = o->tag & mask; /* keys are distinct: no strcmp */
		while (v[j].val1)
			j = (j + 1) & mask;
		v[j] = *o;
		k[j] = m->keys[i];
	}
	mem_free(m->slots);
	mem_free(m->keys);
	m->slots = v;
	m->keys = k;
	m->cap = cap;
	return 0;
}

uint64_t strmap_hash(const char *key) { return hash(key); }

void strmap_prefetch(const struct strmap *m, uint64_t h)
{
	if (m->cap == 0)
		return;
	size_t i = (uint32_t)(h >> 32) & (m->cap - 1);
	__builtin_prefetch(&m->slots[i], 1);
	__builtin_prefetch(&m->keys[i], 1);
}

int strmap_put(struct strmap *m, const char *key, int val, int *old)
{
	return strmap_put_hashed(m, key, hash(key), val, old);
}

int strmap_put_hashed(struct strmap *m, const char *key, uint64_t h, int val, int *old)
{
	if ((m->n + 1) * 2 > m->cap && rehash(m, m->cap ? m->cap * 2 : 64) != 0)
		return -1;
	size_t i = slot(m, key, h);
	struct strmap_slot *v = &m->slots[i];
	if (v->val1) {
		if (old)
			*old = (int)(v->val1 - 1);
		return 1;
	}
	v->tag = (uint32_t)(h >> 32);
	v->val1 = (uint32_t)val + 1;
	m->keys[i] = key;
	m->n++;
	return 0;
}

int strmap_get(const struct strmap *m, const char *key)
{
	if (m->cap == 0)
		return -1;
	size_t i = slot(m, key, hash(key));
	return m->slots[i].val1 ? (int)(m->slots[i].val1 - 1) : -1;
}
