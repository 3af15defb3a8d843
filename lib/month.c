/*
 * month.c - calendar months as integers (year * 12 + month - 1).
 */
#include <allot/allot.h>

#include <stdio.h>

int allot_month_parse(const char *s, allot_month *out)
{
	int v[6];
	for (int i = 0; i < 7; i++) {
		char c = s[i];
		if (i == 4) {
			if (c != '-')
				return -1;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		v[i < 4 ? i : i - 1] = c - '0';
	}
	if (s[7] != '\0')
		return -1;
	int year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	int mon = v[4] * 10 + v[5];
	if (year < 1000 || mon < 1 || mon > 12)
		return -1;
	*out = year * 12 + (mon - 1);
	return 0;
}

void allot_month_format(allot_month m, char buf[8])
{
	if (m == ALLOT_NO_MONTH || m < 0 || m / 12 > 9999) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, 8, "%04d-%02d", (int)(m / 12), (int)(m % 12 + 1));
}
