/*
 * value.c - strict scalar parsing (see value.h).
 */
#include "io/value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int digits(const char **p)
{
	const char *s = *p;
	while (**p >= '0' && **p <= '9')
		(*p)++;
	return *p > s;
}

/* The common case, a plain integer of at most 15 digits ("-12", "+7"):
 * read here, exactly (below 2^53, so the same double strtod gives), since
 * strtod costs more than all the rest of a row.  0 when s is not one. */
static int plain_int(const char *s, int64_t *out)
{
	const char *p = s + (*s == '+' || *s == '-');
	int64_t v = 0;
	int n = 0;
	while (*p >= '0' && *p <= '9' && n < 16) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (*p != '\0' || n == 0 || n > 15)
		return 0;
	*out = *s == '-' ? -v : v;
	return 1;
}

int value_number(const char *s, double *out)
{
	int64_t iv;
	if (plain_int(s, &iv)) {
		*out = *s == '-' && iv == 0 ? -0.0 : (double)iv;
		return 0;
	}
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	int whole = digits(&p), frac = 0;
	if (*p == '.') {
		p++;
		frac = digits(&p);
	}
	if (!whole && !frac)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!digits(&p))
			return -1;
	}
	if (*p != '\0')
		return -1;
	double v = strtod(s, NULL);
	if (!isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int value_int(const char *s, int64_t *out)
{
	if (plain_int(s, out))
		return 0;
	double v;
	if (value_number(s, &v) != 0 || v != floor(v) || fabs(v) > 9007199254740992.0)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int value_bool(const char *s, int *out)
{
	if (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)
		*out = 1;
	else if (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

int value_iso3(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return s[3] == '\0';
}
