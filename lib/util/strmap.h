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

/* One slot: the hash beside the key lets most probes end without strcmp,
 * and the three in one 24-byte slot cost one cache miss per probe, not
 * three (1M order ids: the map is far bigger than the caches). */
struct strmap_slot {
	uint64_t hash;
	const char *key; /* NULL: empty */
	int val;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;
};

void strmap_init(struct strmap *m);
void strmap_free(struct strmap *m);
/* Inserts key -> val.  Returns 0 when inserted, 1 when the key was already
 * there (its value is left alone and written to *old if old != NULL), -1 on
 * allocation failure. */
int strmap_put(struct strmap *m, const char *key, int val, int *old);
/* The value for key, or -1. */
int strmap_get(const struct strmap *m, const char *key);

#endif
