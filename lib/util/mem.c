/*
 * mem.c - allocation wrappers with a fault-injection counter (see mem.h).
 */
#include "mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Per thread: fault injection is set up by a test in the thread whose
 * allocations it means to fail, and sweep threads allocate concurrently. */
static _Thread_local long fail_at; /* 0: never fail */
static _Thread_local int fail_sticky;
static _Thread_local long count;

static int should_fail(void)
{
	count++;
	if (fail_at == 0)
		return 0;
	if (fail_at == 1) {
		if (!fail_sticky)
			fail_at = 0;
		return 1;
	}
	fail_at--;
	return 0;
}

void mem_fail_after(long n, int sticky)
{
	fail_at = n;
	fail_sticky = sticky;
	count = 0;
}

long mem_alloc_count(void)
{
	return count;
}

void *mem_alloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *mem_calloc(size_t n, size_t sz)
{
	if (should_fail())
		return NULL;
	if (n == 0 || sz == 0)
		n = sz = 1;
	return calloc(n, sz);
}

void *mem_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void *mem_reallocarray(void *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		return NULL;
	return mem_realloc(p, n * sz);
}

char *mem_strndup(const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *d = mem_alloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *mem_strdup(const char *s)
{
	return s ? mem_strndup(s, strlen(s)) : NULL;
}

void mem_free(void *p)
{
	free(p);
}

void mem_hint_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	if (!p || n < 2 * huge)
		return;
	uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(huge - 1);
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

int mem_grow(void *v, size_t *cap, size_t need, size_t sz)
{
	void **pv = v;
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 8;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return -1;
		c *= 2;
	}
	void *n = mem_reallocarray(*pv, c, sz);
	if (!n)
		return -1;
	*pv = n;
	*cap = c;
	return 0;
}

char *mem_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = mem_alloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}
