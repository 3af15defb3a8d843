/*
 * sha256.h - SHA-256 (FIPS 180-4), incremental.
 *
 * Used by the store to fingerprint a scenario's inputs (runs.inputs_hash).
 * No allocation, no failure: init, update any number of times, final.
 */
#ifndef ALLOT_UTIL_SHA256_H
#define ALLOT_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;  /* message length so far */
	uint8_t buf[64]; /* pending partial block */
	size_t n;        /* bytes in buf */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the 32-byte digest; c must be re-initialised before reuse. */
void sha256_final(struct sha256 *c, uint8_t out[32]);
/* Lower-case hex of a digest, NUL-terminated. */
void sha256_hex(const uint8_t digest[32], char out[65]);
/* 1: every block by the portable code from now on; 0: the CPU's SHA
 * extensions again when it has them (the default).  For tests: a hash
 * already under way may mix the two (they agree). */
void sha256_portable(int on);
/* 1 when this CPU's SHA extensions do the blocks (sha256_portable(0)). */
int sha256_accelerated(void);

#endif
