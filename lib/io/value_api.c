/*
 * value_api.c - the strict value grammar of io/value.h as public API
 * (allot/value.h), for readers outside the library.
 */
#include <allot/value.h>

#include "io/value.h"

int allot_value_number(const char *s, double *out)
{
	return value_number(s, out);
}

int allot_value_int(const char *s, int64_t *out)
{
	return value_int(s, out);
}

int allot_value_bool(const char *s, int *out)
{
	return value_bool(s, out);
}

int allot_value_iso3(const char *s)
{
	return value_iso3(s);
}
