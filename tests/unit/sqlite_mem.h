/*
 * sqlite_mem.h - SQLite's and jansson's allocations routed through
 * util/mem.h, so that the allocation-failure loops of test_store and
 * test_fault_store reach them.  Include once, after <sqlite3.h>,
 * <jansson.h> and "util/mem.h".
 */
#ifndef ALLOT_TEST_SQLITE_MEM_H
#define ALLOT_TEST_SQLITE_MEM_H

/* ---------------------------------------------------------------------- */
/* SQLite allocations through mem.h (a size header keeps xSize honest)     */

#define HDR 16

static void *sq_malloc(int n)
{
	char *p = mem_alloc((size_t)n + HDR);
	if (!p)
		return NULL;
	*(size_t *)p = (size_t)n;
	return p + HDR;
}

static void sq_free(void *p)
{
	if (p)
		mem_free((char *)p - HDR);
}

static void *sq_realloc(void *p, int n)
{
	if (!p)
		return sq_malloc(n);
	char *b = mem_realloc((char *)p - HDR, (size_t)n + HDR);
	if (!b)
		return NULL;
	*(size_t *)b = (size_t)n;
	return b + HDR;
}

static int sq_size(void *p)
{
	return p ? (int)*(size_t *)((char *)p - HDR) : 0;
}
static int sq_roundup(int n)
{
	return (n + 7) & ~7;
}
static int sq_init(void *x)
{
	(void)x;
	return SQLITE_OK;
}
static void sq_shutdown(void *x)
{
	(void)x;
}

static void route_allocators(void)
{
	static const sqlite3_mem_methods m = {
		sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, NULL,
	};
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &m) != SQLITE_OK)
		abort();
	/* Lookaside would hide small allocations from the fault loop. */
	sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0);
	json_set_alloc_funcs(mem_alloc, mem_free);
}

#endif
