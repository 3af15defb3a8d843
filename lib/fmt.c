/*
 * fmt.c - the canonical text of a number, shared by every writer so that a
 * load followed by a write reproduces a file byte for byte.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void allot_fmt_double(double v, char buf[32])
{
	if (v == 0) { /* also folds -0 into 0 */
		buf[0] = '0';
		buf[1] = '\0';
		return;
	}
	if (isfinite(v) && fabs(v) < 1e15 && v == (double)(long long)v) {
		snprintf(buf, 32, "%lld", (long long)v);
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

const char *allot_fmt_delta(double v, int decimals, char buf[32])
{
	if (isnan(v)) {
		buf[0] = '\0';
		return buf;
	}
	snprintf(buf, 32, "%+.*f", decimals, v);
	/* "-0.0", "+0.00": a change that rounds to nothing carries no sign */
	const char *d = buf + 1;
	while (*d == '0' || *d == '.')
		d++;
	if (!*d)
		memmove(buf, buf + 1, strlen(buf));
	return buf;
}

const char *allot_fmt_delta_int(int64_t v, char buf[32])
{
	snprintf(buf, 32, v ? "%+lld" : "%lld", (long long)v);
	return buf;
}

const char *allot_fmt_grouped(int64_t v, char buf[32])
{
	char tmp[32];
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)a), o = 0;
	if (v < 0)
		buf[o++] = '-';
	for (int i = 0; i < n; i++) {
		buf[o++] = tmp[i];
		if ((n - i - 1) % 3 == 0 && i < n - 1)
			buf[o++] = ',';
	}
	buf[o] = '\0';
	return buf;
}
