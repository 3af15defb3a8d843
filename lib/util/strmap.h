/*
 * strmap.h - a string -> int map (open addressing, FNV-1a), for key lookups
 * while loading: order ids, partner codes, system and line ids.
 *
 * Keys are borrowed: the map stores the pointer, so a key must outlive the
 * map (the model owns its strings).  Values are non-negative ints.
 */
#ifndef ALLOT_UTIL_STRMAP_H
#define ALLOT_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

/* The probed array holds 8 bytes a slot: 32 bits of the key's hash and the
 * value (+1; 0 = empty).  A probe reads the key (in a parallel array) only
 * when those 32 bits match, so an insert costs about one cache miss in a
 * table a third the size of one holding hashes and pointers (1M order ids:
 * 16 MB instead of 48). */
struct strmap_slot {
	uint32_t tag;
	uint32_t val1;
};

struct strmap {
	struct strmap_slot *slots;
	const char **keys;
	size_t cap, n;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Inserts key -> val.  Returns 0 when inserted, 1 when the key was already
 * there (its value is left alone and written to *old if old != NULL), -1 on
 * allocation failure. */
int strmap_put(struct strmap *m, const char *key, int val, int *old);
/* The hash a put or get of key uses.  A caller that knows a key well before
 * it inserts it (the loader: an order's id, before parsing the rest of its
 * row) calls strmap_prefetch with it, so that the insert into a big map does
 * not wait for memory, and then strmap_put_hashed. */
uint64_t strmap_hash(const char *key);
void strmap_prefetch(const struct strmap *m, uint64_t h);
int strmap_put_hashed(struct strmap *m, const char *key, uint64_t h, int val, int *old);
/* The value for key, or -1. */
int strmap_get(const struct strmap *m, const char *key);

#endif
