/*
 * strmap.h - a string -> int map (open addressing, linear probing), for key
 * lookups while loading: order ids, partner codes, system and line ids.
 *
 * Keys are borrowed: the map stores the pointer, so a key must outlive the
 * map (the model owns its strings).  Values are non-negative ints.
 */
#ifndef ALLOT_UTIL_STRMAP_H
#define ALLOT_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

/* The probed array holds 8 bytes a slot: 32 bits of the key's hash and the
 * value (+1; 0 = empty).  A probe reads the key only when those 32 bits
 * match, so an insert costs about one cache miss in a table a third the
 * size of one holding hashes and pointers (1M order ids: 16 MB instead of
 * 48).  The key is kept in a parallel array, or, for a map made with
 * strmap_init_keyed, found from the value (the loader's order ids: the
 * value is the order's row, whose id the model holds), which saves that
 * array and its cache miss. */
struct strmap_slot {
	uint32_t tag;
	uint32_t val1;
};

struct strmap {
	struct strmap_slot *slots;
	const char **keys; /* NULL for a keyed map */
	size_t cap, n;
	const char *(*key_of)(const void *ctx, int val);
	const void *ctx;
};

void strmap_init(struct strmap *m);
/* A map that stores no key pointers: key_of(ctx, val) gives the key of a
 * value already in the map (called only for such values). */
void strmap_init_keyed(struct strmap *m, const char *(*key_of)(const void *ctx, int val),
		       const void *ctx);
void strmap_free(struct strmap *m);
/* Makes room for n keys in all (no rehash until there are more); 0 or -1
 * on allocation failure (the map is unchanged). */
int strmap_reserve(struct strmap *m, size_t n);
/* Inserts key -> val.  Returns 0 when inserted, 1 when the key was already
 * there (its value is left alone and written to *old if old != NULL), -1 on
 * allocation failure. */
int strmap_put(struct strmap *m, const char *key, int val, int *old);
/* The hash a put or get of key uses (strmap_hash_len: of its first len
 * bytes, key[len] being its NUL).  A caller that knows a key well before it
 * inserts it (the loader: an order's id, before parsing the rest of its
 * row) calls strmap_prefetch with it, so that the insert into a big map does
 * not wait for memory, and then strmap_put_hashed. */
uint64_t strmap_hash(const char *key);
uint64_t strmap_hash_len(const char *key, size_t len);
void strmap_prefetch(const struct strmap *m, uint64_t h);
int strmap_put_hashed(struct strmap *m, const char *key, uint64_t h, int val, int *old);
/* The value for key, or -1 (strmap_get_hashed: with its strmap_hash). */
int strmap_get(const struct strmap *m, const char *key);
int strmap_get_hashed(const struct strmap *m, const char *key, uint64_t h);

#endif
