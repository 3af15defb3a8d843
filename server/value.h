/*
 * value.h - the scenario files' number grammar, for the server's query
 * arguments and edits: the public allot_value_* (allot/value.h) under the
 * short names the server's code uses.
 */
#ifndef ALLOT_SERVER_VALUE_H
#define ALLOT_SERVER_VALUE_H

#include <allot/value.h>

static inline int value_number(const char *s, double *out)
{
	return allot_value_number(s, out);
}

static inline int value_int(const char *s, int64_t *out)
{
	return allot_value_int(s, out);
}

static inline int value_bool(const char *s, int *out)
{
	return allot_value_bool(s, out);
}

static inline int value_iso3(const char *s)
{
	return allot_value_iso3(s);
}

#endif
