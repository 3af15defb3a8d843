/*
 * csvread.c - the positioned CSV reader (see csvread.h).
 *
 * How positions are kept with libcsv, which reports none: the input is cut
 * into pieces that end just after each delimiter, CR or LF byte, and each
 * piece is fed to csv_parse on its own.  libcsv only completes a field or a
 * record when it consumes such a byte, so every callback happens at the last
 * byte of a piece, whose offset is known; the field that completes started at
 * the first piece fed after the previous field ended.  Pieces inside a quoted
 * field simply produce no callback.  When libcsv reports a syntax error,
 * csv_parse's return value is the offset of the offending byte in the piece.
 *
 * The tolerant mode does not use libcsv (whose non-strict mode reads "ab"cd
 * and a lone CR differently): tolerant_record cuts one record from the
 * whole input, held converted in memory, with a small state machine.
 */
#include "io/csvread.h"

#include <csv.h>
#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/rfile.h"

#define READ_CHUNK (256 * 1024)

struct pending {
	size_t off, len;
	long line, col;
};

struct csvr {
	struct csv_parser p;
	int p_init;
	FILE *fp;
	const unsigned char *mem;
	size_t memlen;
	unsigned char *rbuf; /* file input buffer */
	const unsigned char *buf;
	size_t len, pos; /* bytes in buf, next byte to feed */
	int eof;         /* nothing left to read beyond buf */
	int started;     /* BOM handled */
	int finished;    /* csv_fini done */
	char *name;
	unsigned flags;
	unsigned char delim;
	struct allot_diags *d;
	size_t nerr;
	int status; /* sticky error */

	/* Position of the next byte to feed. */
	long line, col; /* col = characters already on this line */
	long line_bytes;

	/* The field under way. */
	int need_start, row_start;
	long fline, fcol;
	size_t fbytes;
	unsigned char ffirst;
	int got_field, row_done;
	int fnul; /* the field under way holds a NUL byte */
	int cb_status;

	/* The record under way. */
	struct pending *pend;
	size_t npend, cappend;
	char *text;
	size_t ntext, captext;
	struct csvr_field *out;
	size_t capout;
	int direct; /* fast_line filled out itself */
	struct csvr_record rec;
	long rows;
	unsigned char stop[256]; /* fast_line: 1 for the delimiter, LF, CR,
				    quote and NUL bytes */
};

static void set_stops(struct csvr *r)
{
	memset(r->stop, 0, sizeof r->stop);
	r->stop[r->delim] = r->stop['\n'] = r->stop['\r'] = r->stop['"'] = r->stop[0] = 1;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void diag(struct csvr *r, long line, long col, const char *fmt, const char *arg)
{
	allot_diags_add(r->d, r->name, line, col, fmt, arg);
	r->nerr++;
}

int utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned min, cp;
		if ((c & 0xE0) == 0xC0) {
			n = 1, min = 0x80, cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2, min = 0x800, cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3, min = 0x10000, cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + n >= len)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Bytes of the valid UTF-8 sequence starting at s (2 to 4), or 0. */
static size_t utf8_seq(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
	return n && n <= len && utf8_valid(s, n) ? n : 0;
}

/* Messages are UTF-8 whatever the input: control characters and bytes that
 * are not valid UTF-8 are shown as \xHH, an invisible byte order mark as
 * \uFEFF, and the text is never cut inside a character. */
void csvr_quote_for_msg(const char *s, size_t len, char *buf, size_t size)
{
	size_t o = 0, max = size > 8 ? size - 8 : 0;
	if (max > 60)
		max = 60;
	if (size < 8) {
		if (size)
			buf[0] = '\0';
		return;
	}
	buf[o++] = '"';
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c >= 0x80 ? utf8_seq(s + i, len - i) : 1;
		int bom = n == 3 && memcmp(s + i, "\xEF\xBB\xBF", 3) == 0;
		size_t shown = bom                               ? 6
			       : n == 0 || c < 0x20 || c == 0x7F ? 4
			       : c == '"' || c == '\\'           ? 2
								 : n;
		if (o + shown > max) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (bom) {
			memcpy(buf + o, "\\uFEFF", 6);
		} else if (shown == 4) {
			snprintf(buf + o, 5, "\\x%02X", c);
		} else if (shown == 2) {
			buf[o] = '\\';
			buf[o + 1] = (char)c;
		} else {
			memcpy(buf + o, s + i, n);
		}
		o += shown;
		i += n ? n : 1;
	}
	buf[o++] = '"';
	buf[o] = '\0';
}

/* ---- libcsv callbacks --------------------------------------------------- */

static void on_field(void *s, size_t len, void *data)
{
	struct csvr *r = data;
	r->got_field = 1;
	if (r->cb_status)
		return;
	if (len > (size_t)CSVR_MAX_FIELD) {
		allot_diags_add(r->d, r->name, r->fline, r->fcol,
				"expected at most %ld bytes in a field, found more "
				"(size limit)",
				CSVR_MAX_FIELD);
		r->nerr++;
		r->cb_status = ALLOT_ELIMIT;
		return;
	}
	if (mem_grow(&r->pend, &r->cappend, r->npend + 1, sizeof *r->pend) ||
	    mem_grow(&r->text, &r->captext, r->ntext + len + 1, 1)) {
		r->cb_status = ALLOT_ENOMEM;
		return;
	}
	if (r->fnul) {
		diag(r, r->fline, r->fcol, "expected text, found %s", "a NUL byte");
	} else if ((r->flags & CSVR_UTF8) && !utf8_valid(s, len)) {
		diag(r, r->fline, r->fcol, "expected UTF-8 text, found %s", "invalid UTF-8 bytes");
	}
	struct pending *p = &r->pend[r->npend++];
	p->off = r->ntext;
	p->len = len;
	p->line = r->fline;
	p->col = r->fcol;
	if (len)
		memcpy(r->text + r->ntext, s, len);
	r->text[r->ntext + len] = '\0';
	r->ntext += len + 1;
}

static void on_row(int c, void *data)
{
	(void)c;
	struct csvr *r = data;
	r->row_done = 1;
}

/* ---- opening and closing ------------------------------------------------ */

static int reader_new(const char *name, unsigned flags, struct allot_diags *d, struct csvr **out)
{
	struct csvr *r = mem_calloc(1, sizeof *r);
	if (!r)
		return ALLOT_ENOMEM;
	r->name = mem_strdup(name ? name : "");
	unsigned char opts = CSV_STRICT_FINI;
	if (!(flags & CSVR_LAX))
		opts |= CSV_STRICT;
	if (!r->name || csv_init(&r->p, opts) != 0) {
		mem_free(r->name);
		mem_free(r);
		return ALLOT_ENOMEM;
	}
	r->p_init = 1;
	csv_set_space_func(&r->p, no_space);
	csv_set_realloc_func(&r->p, mem_realloc);
	csv_set_free_func(&r->p, mem_free);
	csv_set_blk_size(&r->p, 256);
	r->flags = flags;
	r->delim = ',';
	set_stops(r);
	r->d = d;
	r->line = 1;
	r->need_start = 1;
	r->row_start = 1;
	*out = r;
	return ALLOT_OK;
}

/* The tolerant mode's input: buf as UTF-8 text in r->rbuf (a copy when it
 * is valid UTF-8, otherwise each byte read as Latin-1), a NUL read as a
 * space. */
static int tolerant_input(struct csvr *r, const char *buf, size_t len)
{
	int utf8 = utf8_valid(buf, len);
	unsigned char *o = mem_alloc((utf8 ? len : len * 2) + 1);
	if (!o)
		return ALLOT_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == 0) {
			o[n++] = ' ';
		} else if (utf8 || c < 0x80) {
			o[n++] = c;
		} else {
			o[n++] = (unsigned char)(0xC0 | (c >> 6));
			o[n++] = (unsigned char)(0x80 | (c & 0x3F));
		}
	}
	o[n] = '\0';
	r->rbuf = o;
	r->buf = o;
	r->len = n;
	r->eof = 1;
	return ALLOT_OK;
}

int csvr_slurp(const char *path, char **buf, size_t *len, struct allot_diags *d)
{
	*buf = NULL;
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f) {
		allot_diags_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
		return ALLOT_EIO;
	}
	struct buf b;
	buf_init(&b, (size_t)2 << 30); /* 2 GiB: far above any public table */
	int rc = buf_read(&b, f);
	if (rc == ALLOT_EIO)
		allot_diags_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	*len = b.n;
	if (rc == ALLOT_OK && !(*buf = buf_take(&b)))
		rc = ALLOT_ENOMEM;
	buf_free(&b);
	return rc;
}

int csvr_open(const char *path, const char *name, unsigned flags, struct allot_diags *d,
	      struct csvr **out)
{
	struct csvr *r;
	int rc = reader_new(name ? name : path, flags, d, &r);
	if (rc)
		return rc;
	if (flags & CSVR_TOLERANT) {
		char *raw;
		size_t n;
		if ((rc = csvr_slurp(path, &raw, &n, d)) == ALLOT_OK)
			rc = tolerant_input(r, raw, n);
		mem_free(raw);
		if (rc) {
			csvr_close(r);
			return rc;
		}
		*out = r;
		return ALLOT_OK;
	}
	r->rbuf = mem_alloc(READ_CHUNK);
	if (!r->rbuf) {
		csvr_close(r);
		return ALLOT_ENOMEM;
	}
	r->buf = r->rbuf;
	const char *kind;
	r->fp = rfile_open(path, &kind);
	if (!r->fp) {
		if (kind)
			allot_diags_add(d, r->name, 0, 0, "expected a regular file, found %s",
					kind);
		else
			allot_diags_add(d, r->name, 0, 0, "cannot open: %s", strerror(errno));
		csvr_close(r);
		return kind ? ALLOT_EINPUT : ALLOT_EIO;
	}
	*out = r;
	return ALLOT_OK;
}

int csvr_open_mem(const void *buf, size_t len, const char *name, unsigned flags,
		  struct allot_diags *d, struct csvr **out)
{
	struct csvr *r;
	int rc = reader_new(name, flags, d, &r);
	if (rc)
		return rc;
	if ((flags & CSVR_TOLERANT) && (rc = tolerant_input(r, buf, len)) != 0) {
		csvr_close(r);
		return rc;
	}
	if (!(flags & CSVR_TOLERANT)) {
		r->buf = buf;
		r->len = len;
		r->eof = 1;
	}
	*out = r;
	return ALLOT_OK;
}

void csvr_set_delim(struct csvr *r, char delim)
{
	r->delim = (unsigned char)delim;
	set_stops(r);
	csv_set_delim(&r->p, r->delim);
}

void csvr_close(struct csvr *r)
{
	if (!r)
		return;
	if (r->fp)
		fclose(r->fp);
	if (r->p_init)
		csv_free(&r->p);
	mem_free(r->rbuf);
	mem_free(r->name);
	mem_free(r->pend);
	mem_free(r->text);
	mem_free(r->out);
	mem_free(r);
}

size_t csvr_errors(const struct csvr *r)
{
	return r->nerr;
}
const char *csvr_name(const struct csvr *r)
{
	return r->name;
}

/* ---- reading ------------------------------------------------------------ */

/* Refills the file buffer once the previous bytes are all fed. */
static int fill(struct csvr *r)
{
	if (r->eof)
		return ALLOT_OK;
	size_t n = fread(r->rbuf, 1, READ_CHUNK, r->fp);
	if (n < READ_CHUNK) {
		if (ferror(r->fp)) {
			allot_diags_add(r->d, r->name, 0, 0, "cannot read: %s", strerror(errno));
			r->nerr++;
			return ALLOT_EIO;
		}
		r->eof = 1;
	}
	r->len = n;
	r->pos = 0;
	return ALLOT_OK;
}

static void advance(struct csvr *r, const unsigned char *s, size_t n)
{
	int utf8 = (r->flags & CSVR_UTF8) != 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '\n') {
			r->line++;
			r->col = 0;
			r->line_bytes = 0;
		} else {
			r->line_bytes++;
			if (!utf8 || (c & 0xC0) != 0x80)
				r->col++;
		}
	}
}

static int fail(struct csvr *r, int status)
{
	r->status = status;
	return status;
}

/* libcsv refused byte `c` of the field under way: say why. */
static int syntax_error(struct csvr *r, unsigned char c)
{
	char found[16];
	if (c >= 0x20 && c < 0x7F)
		snprintf(found, sizeof found, "\"%c\"", c);
	else
		snprintf(found, sizeof found, "byte 0x%02X", c);
	if (r->ffirst == '"')
		diag(r, r->line, r->col + 1,
		     "expected a delimiter or line end after a closing quote, found %s", found);
	else
		diag(r, r->line, r->col + 1,
		     "expected no quote inside an unquoted field (quote the whole "
		     "field and double its quotes), found %s",
		     "a bare quote");
	return fail(r, ALLOT_EINPUT);
}

static int limit_error(struct csvr *r, long line, long col, const char *what, long max)
{
	allot_diags_add(r->d, r->name, line, col, "expected %s %ld %s, found more (size limit)",
			"at most", max, what);
	r->nerr++;
	return fail(r, ALLOT_ELIMIT);
}

/* Feeds the next piece: bytes up to and including the next delimiter, CR or
 * LF (or the end of the buffer). */
static int feed_piece(struct csvr *r)
{
	const unsigned char *b = r->buf + r->pos;
	size_t avail = r->len - r->pos, j = 0;
	unsigned char delim = r->delim;
	int utf8 = (r->flags & CSVR_UTF8) != 0;

	/* A blank line between rows is skipped by libcsv; its bytes belong to
	 * no field (else a long run of them counted against the field before). */
	int blank = 0;
	if (r->need_start) {
		unsigned char c0 = b[0];
		blank = r->row_start && (c0 == '\r' || c0 == '\n');
		if (!blank) {
			r->need_start = 0;
			r->fline = r->line;
			r->fcol = r->col + 1;
			r->fbytes = 0;
			r->ffirst = c0;
			r->fnul = 0;
		}
	}
	long sline = r->line, scol = r->col, sbytes = r->line_bytes;
	/* The hot loop: plain bytes up to the next special one. */
	int nul = 0;
	while (j < avail) {
		unsigned char c = b[j];
		if (c == delim || c == '\n' || c == '\r')
			break;
		nul |= c == 0;
		r->line_bytes++;
		r->col += !utf8 || (c & 0xC0) != 0x80;
		j++;
	}
	r->fnul |= nul;
	size_t n = j < avail ? j + 1 : j;
	if (!blank)
		r->fbytes += n;
	if (r->line_bytes > CSVR_MAX_LINE)
		return limit_error(r, r->line, 0, "bytes in a line", CSVR_MAX_LINE);
	if (r->fbytes > 2 * (size_t)CSVR_MAX_FIELD + 2)
		return limit_error(r, r->fline, r->fcol, "bytes in a field", CSVR_MAX_FIELD);
	size_t used = csv_parse(&r->p, b, n, on_field, on_row, r);
	if (r->cb_status)
		return fail(r, r->cb_status);
	if (used < n) {
		if (csv_error(&r->p) == CSV_ENOMEM || csv_error(&r->p) == CSV_ETOOBIG)
			return fail(r, ALLOT_ENOMEM);
		r->line = sline;
		r->col = scol;
		r->line_bytes = sbytes;
		advance(r, b, used);
		return syntax_error(r, b[used]);
	}
	if (j < avail)
		advance(r, b + j, 1);
	r->pos += n;
	if (r->got_field) {
		r->got_field = 0;
		r->need_start = 1;
		r->row_start = 0;
	}
	if (r->row_done)
		r->row_start = 1;
	return ALLOT_OK;
}

/* Reads one whole line without quotes at the start of a record (see the top
 * of the file).  1 when the line was consumed (a record, or a blank line
 * skipped), 0 when libcsv must read it, -1 when out of memory.  One pass
 * over the bytes copies them, cuts the fields at the delimiters and finds
 * the line's end; a quote, a CR not before the LF, a field too long or a
 * line not wholly in the buffer sends the line to libcsv, before anything
 * is reported or kept. */
static int fast_line(struct csvr *r)
{
	const unsigned char *b = r->buf + r->pos;
	size_t avail = r->len - r->pos;
	unsigned char delim = r->delim;
	if (delim == '"' || delim == '\r' || delim == '\n' || delim == '\0')
		return 0;
	/* a line longer than the limit is libcsv's to report: no need to
	 * look further (nor to hold more than the limit) */
	if (avail > (size_t)CSVR_MAX_LINE)
		avail = (size_t)CSVR_MAX_LINE;
	if (mem_grow(&r->text, &r->captext, avail + 1, 1))
		return -1;
	char *t = r->text;
	const unsigned char *stop = r->stop;
	int utf8 = (r->flags & CSVR_UTF8) != 0;
	size_t np = 0, fs = 0, i = 0, end;
	unsigned hi = 0, acc = 0;
	int nul = 0;
	long col = r->col;
#ifdef __SSE2__
	const __m128i vdelim = _mm_set1_epi8((char)delim), vlf = _mm_set1_epi8('\n'),
		      vcr = _mm_set1_epi8('\r'), vquote = _mm_set1_epi8('"');
#endif
	for (;;) {
		unsigned char ch = 0;
#ifdef __SSE2__
		/* 16 bytes at a time while they are in the buffer: copied
		 * whole, the first stop byte found by compare masks (a field
		 * is about 5 bytes: mostly one step).  hi only says whether
		 * the field may hold bytes >= 0x80 (then they are counted
		 * below, exactly), so a high byte past the stop is harmless. */
		while (avail - i >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
			_mm_storeu_si128((__m128i *)(void *)(t + i), v);
			__m128i e = _mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(v, vdelim), _mm_cmpeq_epi8(v, vlf)),
				_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vcr),
							  _mm_cmpeq_epi8(v, vquote)),
					     _mm_cmpeq_epi8(v, _mm_setzero_si128())));
			unsigned m = (unsigned)_mm_movemask_epi8(e);
			hi |= _mm_movemask_epi8(v) ? 0x80u : 0u;
			if (m) {
				i += (size_t)__builtin_ctz(m);
				ch = b[i];
				goto stopped;
			}
			i += 16;
		}
#endif
		while (i < avail && !stop[ch = b[i]]) {
			t[i++] = (char)ch;
			hi |= ch;
		}
#ifdef __SSE2__
stopped:
#endif
		if (i == avail)
			return 0; /* no LF in the buffer (or the line is too long) */
		if (ch == '\0') {
			t[i++] = '\0';
			nul = 1;
			continue;
		}
		if (ch == '"' || (ch == '\r' && (i + 1 == avail || b[i + 1] != '\n')))
			return 0;
		/* the delimiter, or the line's end (LF or CRLF): a field */
		size_t len = i - fs;
		if (len > (size_t)CSVR_MAX_FIELD)
			return 0;
		if (np == r->capout && mem_grow(&r->out, &r->capout, np + 1, sizeof *r->out))
			return -1;
		struct csvr_field *f = &r->out[np++];
		f->s = t + fs;
		f->len = len;
		f->line = r->line;
		f->col = col + 1;
		size_t chars = len;
		if (utf8 && hi >= 0x80)
			for (size_t k = fs; k < i; k++)
				chars -= ((unsigned char)t[k] & 0xC0) == 0x80;
		acc |= hi;
		hi = 0;
		col += (long)chars + 1;
		t[i] = '\0';
		if (ch == delim) {
			fs = ++i;
			continue;
		}
		end = i;
		i += ch == '\r' ? 2 : 1; /* past the LF */
		break;
	}
	if (r->line_bytes + (long)i + 1 >= CSVR_MAX_LINE)
		return 0;
	if (end == 0) { /* blank line: libcsv skips it between rows */
		r->pos += i;
		r->line++;
		r->col = 0;
		r->line_bytes = 0;
		return 1;
	}
	int ascii = acc < 0x80;
	for (size_t k = 0; (nul || (utf8 && !ascii)) && k < np; k++) {
		const struct csvr_field *f = &r->out[k];
		if (nul && memchr(f->s, '\0', f->len))
			diag(r, f->line, f->col, "expected text, found %s", "a NUL byte");
		else if (utf8 && !ascii && !utf8_valid(f->s, f->len))
			diag(r, f->line, f->col, "expected UTF-8 text, found %s",
			     "invalid UTF-8 bytes");
	}
	r->npend = np;
	r->direct = 1;
	r->ntext = end + 1;
	r->pos += i;
	r->line++;
	r->col = 0;
	r->line_bytes = 0;
	r->row_done = 1;
	return 1;
}

static int finish(struct csvr *r)
{
	r->finished = 1;
	if (r->need_start) {
		r->fline = r->line;
		r->fcol = r->col + 1;
	}
	int rc = csv_fini(&r->p, on_field, on_row, r);
	if (r->cb_status)
		return fail(r, r->cb_status);
	if (rc != 0) {
		if (csv_error(&r->p) == CSV_ENOMEM)
			return fail(r, ALLOT_ENOMEM);
		diag(r, r->fline, r->fcol,
		     "expected a closing quote for the field opened here, found %s",
		     "the end of the file");
		return fail(r, ALLOT_EINPUT);
	}
	return ALLOT_OK;
}

static void skip_bom(struct csvr *r)
{
	r->started = 1;
	if (r->len - r->pos >= 3 && memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3) == 0)
		r->pos += 3;
}

/* Ends the tolerant mode's field under way (text from byte `off`). */
static int tol_field(struct csvr *r, size_t off, long line, long col)
{
	if (mem_grow(&r->pend, &r->cappend, r->npend + 1, sizeof *r->pend) ||
	    mem_grow(&r->text, &r->captext, r->ntext + 1, 1))
		return ALLOT_ENOMEM;
	struct pending *p = &r->pend[r->npend++];
	p->off = off;
	p->len = r->ntext - off;
	p->line = line;
	p->col = col;
	r->text[r->ntext++] = '\0';
	return ALLOT_OK;
}

enum { ST_START, ST_PLAIN, ST_QUOTED, ST_AFTER_QUOTE };

/* The tolerant mode (csvread.h): cuts the next record from the input, held
 * whole in memory, skipping lone empty fields (blank lines); npend stays 0
 * at the end of the input. */
static int tolerant_record(struct csvr *r)
{
	const unsigned char *b = r->buf;
	size_t len = r->len;
	unsigned char delim = r->delim;
	if (!r->started)
		skip_bom(r);
	while (r->npend == 0 && r->pos < len) {
		int st = ST_START, rc = ALLOT_OK, end = 0;
		long quote_line = 0, fline = r->line, fcol = r->col + 1;
		size_t i = r->pos, off = 0;
		for (; i < len && !end; i++) {
			unsigned char c = b[i];
			int put = 0;
			if (st == ST_QUOTED) {
				if (c != '"')
					put = 1;
				else if (i + 1 < len && b[i + 1] == '"')
					put = 1, i++, r->col++;
				else
					st = ST_AFTER_QUOTE;
			} else if (c == delim) {
				rc = tol_field(r, off, fline, fcol);
				st = ST_START;
				off = r->ntext;
				fline = r->line;
				fcol = r->col + 2;
			} else if (c == '\n' || (c == '\r' && i + 1 < len && b[i + 1] == '\n')) {
				i += c == '\r';
				c = '\n';
				rc = tol_field(r, off, fline, fcol);
				end = 1;
			} else if (c == '"' && st == ST_START) {
				st = ST_QUOTED;
				quote_line = r->line;
			} else {
				put = 1;
				st = ST_PLAIN;
			}
			if (c == '\n') {
				r->line++;
				r->col = 0;
			} else {
				r->col += (c & 0xC0) != 0x80;
			}
			if (put) {
				if (r->ntext - off >= (size_t)CSVR_TOL_MAX_FIELD)
					return limit_error(r, fline, fcol, "bytes in a field",
							   CSVR_TOL_MAX_FIELD);
				if (mem_grow(&r->text, &r->captext, r->ntext + 1, 1))
					return ALLOT_ENOMEM;
				r->text[r->ntext++] = (char)c;
			}
			if (rc)
				return rc;
		}
		r->pos = i;
		if (!end) { /* the end of the input ends the record */
			if (st == ST_QUOTED)
				diag(r, quote_line, 0,
				     "expected a closing quote for the field opened here, found %s",
				     "the end of the file");
			if ((rc = tol_field(r, off, fline, fcol)) != 0)
				return rc;
		}
		if (r->npend == 1 && r->pend[0].len == 0)
			r->npend = r->ntext = 0;
	}
	r->row_done = 1;
	return ALLOT_OK;
}

int csvr_next(struct csvr *r, const struct csvr_record **rec)
{
	*rec = NULL;
	if (r->status)
		return r->status;
	r->npend = 0;
	r->ntext = 0;
	r->row_done = 0;
	r->direct = 0;
	int rc = ALLOT_OK;
	if ((r->flags & CSVR_TOLERANT) && (rc = tolerant_record(r)) != 0)
		return fail(r, rc);
	while (!r->row_done) {
		if (r->pos == r->len) {
			if (r->eof) {
				if (r->finished)
					return ALLOT_OK;
				if ((rc = finish(r)) != 0)
					return rc;
				continue;
			}
			if ((rc = fill(r)) != 0)
				return fail(r, rc);
			continue;
		}
		if (!r->started)
			skip_bom(r);
		if (r->pos < r->len && r->row_start && r->need_start && !(r->flags & CSVR_LIBCSV)) {
			rc = fast_line(r);
			if (rc < 0)
				return fail(r, ALLOT_ENOMEM);
			if (rc > 0)
				continue;
		}
		if (r->pos < r->len && (rc = feed_piece(r)) != 0)
			return rc;
	}
	if (r->npend == 0) /* libcsv reports a row only with a field */
		return ALLOT_OK;
	long line = r->direct ? r->out[0].line : r->pend[0].line;
	if (++r->rows > CSVR_MAX_ROWS)
		return limit_error(r, line, 0, "records in a file", CSVR_MAX_ROWS);
	if (!r->direct && mem_grow(&r->out, &r->capout, r->npend, sizeof *r->out))
		return fail(r, ALLOT_ENOMEM);
	for (size_t i = 0; !r->direct && i < r->npend; i++) {
		r->out[i].s = r->text + r->pend[i].off;
		r->out[i].len = r->pend[i].len;
		r->out[i].line = r->pend[i].line;
		r->out[i].col = r->pend[i].col;
	}
	r->rec.f = r->out;
	r->rec.n = r->npend;
	r->rec.line = line;
	r->rec.index = r->rows - 1;
	*rec = &r->rec;
	return ALLOT_OK;
}
