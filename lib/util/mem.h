/*
 * mem.h - the library's allocation wrappers.
 *
 * Every allocation in liballot goes through these so that tests can fail the
 * Nth allocation (mem_fail_after) and check that each caller turns it into
 * ALLOT_ENOMEM instead of crashing.  They never abort.
 */
#ifndef ALLOT_UTIL_MEM_H
#define ALLOT_UTIL_MEM_H

#include <stddef.h>

void *mem_alloc(size_t n);             /* malloc; NULL on failure */
void *mem_calloc(size_t n, size_t sz); /* calloc; NULL on failure or overflow */
void *mem_realloc(void *p, size_t n);
void *mem_reallocarray(void *p, size_t n, size_t sz); /* overflow-checked */
char *mem_strdup(const char *s);                      /* NULL s gives NULL */
char *mem_strndup(const char *s, size_t n);
char *mem_path_join(const char *dir, const char *name); /* "dir/name"; NULL on failure */
void mem_free(void *p);

/* Fault injection: the Nth allocation from now in the calling thread fails
 * (1 = the next one), and every one after it while `sticky`; 0 turns it
 * off.  The counters are per thread. */
void mem_fail_after(long n, int sticky);
long mem_alloc_count(void); /* allocations attempted since the last reset */

/* Asks the kernel to back the big block p[0..n) with huge pages where it
 * can (transparent huge pages in madvise mode): fewer page faults when it
 * is first written, and no TLB misses when it is probed at random, which
 * in a virtual machine cost several memory reads each.  Only a hint:
 * blocks under 4 MiB, and systems without it, are left alone. */
void mem_hint_huge(void *p, size_t n);

/* Grows *v (element size sz) so that it holds at least need elements;
 * doubles the capacity.  0 on success, -1 on overflow or failure. */
int mem_grow(void *v, size_t *cap, size_t need, size_t sz);

#endif
