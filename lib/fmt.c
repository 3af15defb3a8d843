/*
 * fmt.c - the canonical text of a number, shared by every writer so that a
 * load followed by a write reproduces a file byte for byte.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void allot_fmt_double(double v, char buf[32])
{
	if (v == 0) {           /* also folds -0 into 0 */
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
