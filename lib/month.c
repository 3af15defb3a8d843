/*
 * month.c - calendar months as integers (year * 12 + month - 1).
 */
#include <allot/allot.h>

#include <jansson.h>

/* Byte i of s as a digit, or a value above 9. */
#define DIGIT(s, i) ((unsigned)(unsigned char)(s)[i] - '0')

int allot_month_parse(const char *s, allot_month *out)
{
	/* Straight-line (a loader parses millions), each byte read only once
	 * the ones before it were right, so a short string is never read
	 * past its end. */
	unsigned d[6];
	if ((d[0] = DIGIT(s, 0)) > 9 || (d[1] = DIGIT(s, 1)) > 9 || (d[2] = DIGIT(s, 2)) > 9 ||
	    (d[3] = DIGIT(s, 3)) > 9 || s[4] != '-' || (d[4] = DIGIT(s, 5)) > 9 ||
	    (d[5] = DIGIT(s, 6)) > 9 || s[7] != '\0')
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

json_t *allot_month_json(allot_month m)
{
	char b[8];
	if (m == ALLOT_NO_MONTH)
		return json_null();
	allot_month_format(m, b);
	return json_string(b);
}

json_t *allot_switch_month_json(allot_month m)
{
	return allot_month_json(m == ALLOT_SWITCH_NONE ? ALLOT_NO_MONTH : m);
}

json_t *allot_month_index_json(allot_month m)
{
	return m == ALLOT_NO_MONTH ? json_null() : json_integer(m);
}
