/*
 * strmap.c - open-addressing string map with linear probing (see strmap.h).
 */
#include "strmap.h"

#include <stdint.h>
#include <string.h>

#include "mem.h"

/* The murmur3 finaliser: keys that differ only in their last digits
 * ("ORD-0000001", "ORD-0000002" ...) otherwise land in runs of neighbouring
 * slots, which linear probing turns into long probes. */
static uint64_t fmix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/* Eight bytes at a time (a byte loop cost as much as the probe of a big
 * map): each word is folded in by a multiply, the length seeds the hash,
 * the finaliser spreads the last word's bits.  Keys of up to 8 bytes and
 * the same length never collide (the steps are bijective).  The value is
 * never stored, so the byte order of the machine does not matter. */
uint64_t strmap_hash_len(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull * (n + 1), w;
	while (n > 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
		s += 8;
		n -= 8;
	}
	/* the last 1 to 8 bytes, without a call for a variable-length copy */
	w = 0;
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		w = (uint64_t)a | (uint64_t)b << 32;
	} else if (n) {
		w = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (uint64_t)(unsigned char)s[n - 1] << 16;
	}
	return fmix(h ^ w);
}

uint64_t strmap_hash(const char *key)
{
	return strmap_hash_len(key, strlen(key));
}

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof *m);
}

void strmap_init_keyed(struct strmap *m, const char *(*key_of)(const void *ctx, int val),
		       const void *ctx)
{
	memset(m, 0, sizeof *m);
	m->key_of = key_of;
	m->ctx = ctx;
}

void strmap_free(struct strmap *m)
{
	if (!m)
		return;
	mem_free(m->slots);
	mem_free(m->keys);
	m->slots = NULL;
	m->keys = NULL;
	m->cap = m->n = 0;
}

/* strcmp(a, b) == 0 for the short keys of a map, without a call. */
static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static const char *key_at(const struct strmap *m, size_t i)
{
	return m->key_of ? m->key_of(m->ctx, (int)(m->slots[i].val1 - 1)) : m->keys[i];
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
	while (v[i].val1 && (v[i].tag != tag || !same(key_at(m, i), key)))
		i = (i + 1) & mask;
	return i;
}

static int rehash(struct strmap *m, size_t cap)
{
	struct strmap_slot *v = mem_calloc(cap, sizeof *v);
	const char **k = m->key_of ? NULL : mem_calloc(cap, sizeof *k);
	if (!v || (!k && !m->key_of)) {
		mem_free(v);
		mem_free(k);
		return -1;
	}
	mem_hint_huge(v, cap * sizeof *v); /* probed at random */
	size_t mask = cap - 1;
	for (size_t i = 0; i < m->cap; i++) {
		const struct strmap_slot *o = &m->slots[i];
		if (!o->val1)
			continue;
		size_t j = o->tag & mask; /* keys are distinct: no strcmp */
		while (v[j].val1)
			j = (j + 1) & mask;
		v[j] = *o;
		if (k)
			k[j] = m->keys[i];
	}
	mem_free(m->slots);
	mem_free(m->keys);
	m->slots = v;
	m->keys = k;
	m->cap = cap;
	return 0;
}

/* At most half full. */
int strmap_reserve(struct strmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;
	while (n * 2 > cap) {
		if (cap > SIZE_MAX / 4)
			return -1;
		cap *= 2;
	}
	return cap > m->cap ? rehash(m, cap) : 0;
}

void strmap_prefetch(const struct strmap *m, uint64_t h)
{
	if (m->cap == 0)
		return;
	size_t i = (uint32_t)(h >> 32) & (m->cap - 1);
	__builtin_prefetch(&m->slots[i], 1);
	if (m->keys)
		__builtin_prefetch(&m->keys[i], 1);
}

int strmap_put(struct strmap *m, const char *key, int val, int *old)
{
	return strmap_put_hashed(m, key, strmap_hash(key), val, old);
}

int strmap_put_hashed(struct strmap *m, const char *key, uint64_t h, int val, int *old)
{
	if ((m->n + 1) * 2 > m->cap && strmap_reserve(m, m->n + 1) != 0)
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
	if (m->keys)
		m->keys[i] = key;
	m->n++;
	return 0;
}

int strmap_get_hashed(const struct strmap *m, const char *key, uint64_t h)
{
	if (m->cap == 0)
		return -1;
	size_t i = slot(m, key, h);
	return m->slots[i].val1 ? (int)(m->slots[i].val1 - 1) : -1;
}

int strmap_get(const struct strmap *m, const char *key)
{
	return strmap_get_hashed(m, key, strmap_hash(key));
}
