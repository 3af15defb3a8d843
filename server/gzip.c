/*
 * gzip.c - compressing answers for clients that accept gzip.
 *
 * The answers worth compressing (the order book, the charting library) are
 * also the ones served most often, and each is compressed once: cached GET
 * answers keep their gzip form next to the plain one (respcache.c) and the
 * bundled files are compressed on first use (assets.c).
 */
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "mem.h"
#include "server_int.h"

#define GZ_MIN 1024 /* smaller answers go as they are */

int gzip_bytes(const void *in, size_t n, unsigned char **out, size_t *outn)
{
	*out = NULL;
	if (n < GZ_MIN || n > (1u << 30))
		return -1;
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	uLong cap = deflateBound(&z, (uLong)n);
	unsigned char *buf = mem_alloc(cap);
	int rc = -1;
	if (buf) {
		z.next_in = (Bytef *)(uintptr_t)in;
		z.avail_in = (uInt)n;
		z.next_out = buf;
		z.avail_out = (uInt)cap;
		if (deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < n) {
			*out = buf;
			*outn = z.total_out;
			rc = 0;
		} else {
			mem_free(buf);
		}
	}
	deflateEnd(&z);
	return rc;
}

int accepts_gzip(const char *accept_encoding)
{
	const char *p = accept_encoding;
	while (p && *p && strncasecmp(p, "gzip", 4) != 0)
		p++;
	if (!p || !*p)
		return 0;
	p += 4;
	while (*p == ' ')
		p++;
	/* "gzip;q=0" refuses it. */
	return !(strncmp(p, ";q=0", 4) == 0 && p[4] != '.') && strncmp(p, ";q=0.0", 6) != 0;
}
