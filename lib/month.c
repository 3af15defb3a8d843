/*
 * month.c - calendar months as integers (year * 12 + month - 1).
 */
#include <allot/allot.h>


int allot_month_parse(const char *s, allot_month *out)
{
	unsigned d[6];
	static const int at[6] = { 0, 1, 2, 3, 5, 6 };
	for (int i = 0; i < 6; i++) {
		d[i] = (unsigned)(unsigned char)s[at[i]] - '0';
		if (d[i] > 9 || (i == 3 && s[4] != '-'))
			return -1;
	}
	if (s[7] != '\0')
		return -1;
	int year = (int)(d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3]);
	int mon = (int)(d[4] * 10 + d[5]);
	if (year < 1000 || mon < 1 || mon > 12)
		return -1;
	*out = year * 12 + (mon - 1);
	return 0;
}

const char *allot_month_format(allot_month m, char buf[8])
{
	if (m == ALLOT_NO_MONTH || m < 0 || m / 12 > 9999) {
		buf[0] = '\0';
		return buf;
	}
	/* "%04d-%02d" by hand: the writers format a million of these */
	int y = (int)(m / 12), mo = (int)(m % 12 + 1);
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + mo / 10);
	buf[6] = (char)('0' + mo % 10);
	buf[7] = '\0';
	return buf;
}
