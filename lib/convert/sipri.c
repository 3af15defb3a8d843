/*
 * sipri.c - SIPRI Arms Transfers Database trade registers: reading the
 * "trade-register.csv" export and listing open orders.
 *
 * The export is not quite CSV: it is Latin-1, starts with a banner of about
 * eleven lines, has two unnamed '?' uncertainty-flag columns, and a few
 * records whose Comments contain an unquoted line break, which splits them
 * into a 13-field line and a 4-field line.  The reader converts the bytes to
 * UTF-8, tokenises with the CSV reader's tolerant mode (io/csvread.h), locates the header line by
 * its content, rejoins the split records and reports any other malformed line (with its file:line)
 * as a warning without stopping.
 */
#include <allot/allot.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert/dataset.h"
#include "io/csvread.h"
#include "util/mem.h"

enum {
	C_RECIPIENT = 0,
	C_SUPPLIER,
	C_YEAR,
	C_YEAR_FLAG,
	C_ORDERED,
	C_ORDERED_FLAG,
	C_DESIGNATION,
	C_DESCRIPTION,
	C_DELIVERED,
	C_DELIVERED_FLAG,
	C_DELIVERY_YEARS,
	C_STATUS,
	C_COMMENTS,
	C_TIV_UNIT,
	C_TIV_TOTAL,
	C_TIV_DELIVERED,
	C_COUNT
};

/* Expected header names (NULL: the unnamed flag columns, not checked). */
static const char *const header_names[C_COUNT] = {
	"Recipient",
	"Supplier",
	"Year of order",
	NULL,
	"Number ordered",
	NULL,
	"Weapon designation",
	"Weapon description",
	"Number delivered",
	NULL,
	"Year(s) of delivery",
	"status",
	"Comments",
	"SIPRI TIV per unit",
	"SIPRI TIV for total order",
	"SIPRI TIV of delivered weapons",
};

static char *trim_dup(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return mem_strndup(s, n);
}

/* A whole non-negative integer, or -1 (empty, text, overflow). */
static int64_t parse_count(const char *s)
{
	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	if (*end || errno)
		return -1;
	return v;
}

static int flag(const char *s)
{
	return strchr(s, '?') != NULL;
}

static int is_header(const struct csvr_row *r)
{
	return r->n >= 2 && strcasecmp(r->f[0], "Recipient") == 0 &&
	       strcasecmp(r->f[1], "Supplier") == 0;
}

void allot_sipri_free(struct allot_sipri_register *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		struct allot_sipri_record *x = &r->v[i];
		mem_free(x->recipient);
		mem_free(x->supplier);
		mem_free(x->designation);
		mem_free(x->description);
		mem_free(x->delivery_years);
		mem_free(x->status);
		mem_free(x->comments);
		mem_free(x->tiv_unit);
		mem_free(x->tiv_total);
		mem_free(x->tiv_delivered);
		mem_free(x->by_year);
		mem_free(x->by_units);
	}
	mem_free(r->v);
	mem_free(r->generated);
	mem_free(r->source);
	mem_free(r);
}

/* Fills x from 16 fields f (the Comments already rejoined). */
static int record_fill(struct allot_sipri_record *x, char **f, long line)
{
	memset(x, 0, sizeof *x);
	x->line = line;
	x->recipient = trim_dup(f[C_RECIPIENT]);
	x->supplier = trim_dup(f[C_SUPPLIER]);
	x->designation = trim_dup(f[C_DESIGNATION]);
	x->description = trim_dup(f[C_DESCRIPTION]);
	x->delivery_years = trim_dup(f[C_DELIVERY_YEARS]);
	x->status = trim_dup(f[C_STATUS]);
	x->comments = trim_dup(f[C_COMMENTS]);
	x->tiv_unit = trim_dup(f[C_TIV_UNIT]);
	x->tiv_total = trim_dup(f[C_TIV_TOTAL]);
	x->tiv_delivered = trim_dup(f[C_TIV_DELIVERED]);
	int64_t y = parse_count(f[C_YEAR]);
	x->year_of_order = y >= 0 && y < 10000 ? (int)y : -1;
	x->order_uncertain = flag(f[C_YEAR_FLAG]);
	x->qty = parse_count(f[C_ORDERED]);
	x->qty_uncertain = flag(f[C_ORDERED_FLAG]);
	x->delivered = parse_count(f[C_DELIVERED]);
	x->delivered_uncertain = flag(f[C_DELIVERED_FLAG]);
	if (!x->recipient || !x->supplier || !x->designation || !x->description ||
	    !x->delivery_years || !x->status || !x->comments || !x->tiv_unit || !x->tiv_total ||
	    !x->tiv_delivered)
		return ALLOT_ENOMEM;
	return ALLOT_OK;
}

/* Rebuilds a record split by a line break inside Comments: a 13-field line
 * (Comments cut short) followed by a 4-field line (the rest of Comments and
 * the three TIV columns).  The two pieces of Comments join with a space. */
static int rejoin(const struct csvr_row *a, const struct csvr_row *b, char **f, char **joined)
{
	char *head = trim_dup(a->f[C_COMMENTS]);
	char *tail = trim_dup(b->f[0]);
	if (!head || !tail) {
		mem_free(head);
		mem_free(tail);
		return ALLOT_ENOMEM;
	}
	size_t n = strlen(head) + strlen(tail) + 2;
	*joined = mem_alloc(n);
	if (*joined)
		snprintf(*joined, n, "%s%s%s", head, *head && *tail ? " " : "", tail);
	mem_free(head);
	mem_free(tail);
	if (!*joined)
		return ALLOT_ENOMEM;
	for (int i = 0; i < C_COMMENTS; i++)
		f[i] = a->f[i];
	f[C_COMMENTS] = *joined;
	for (int i = 1; i < 4; i++)
		f[C_COMMENTS + i] = b->f[i];
	return ALLOT_OK;
}

/* The banner line "Data generated: 13 Mar 2025 10:02:49 AM". */
static char *banner_generated(const struct csvr_table *t, size_t hdr)
{
	static const char key[] = "Data generated:";
	for (size_t i = 0; i < hdr; i++)
		if (strncmp(t->rows[i].f[0], key, sizeof key - 1) == 0)
			return trim_dup(t->rows[i].f[0] + sizeof key - 1);
	return mem_strdup("");
}

/* Header cell equality: ASCII case and surrounding spaces ignored. */
static int name_eq(const char *cell, const char *want)
{
	while (*cell == ' ')
		cell++;
	size_t n = strlen(cell);
	while (n > 0 && cell[n - 1] == ' ')
		n--;
	return n == strlen(want) && strncasecmp(cell, want, n) == 0;
}

static int check_header(const struct csvr_row *h, const char *name, struct allot_diags *diags)
{
	if (h->n < C_COUNT) {
		allot_diags_add(diags, name, h->line, 0,
				"expected the %d columns of a SIPRI trade register, found %zu",
				C_COUNT, h->n);
		return ALLOT_EINPUT;
	}
	for (int i = 0; i < C_COUNT; i++) {
		if (!header_names[i] || name_eq(h->f[i], header_names[i]))
			continue;
		allot_diags_add(diags, name, h->line, csvr_colno(h, i),
				"expected column '%s', found '%s'", header_names[i], h->f[i]);
		return ALLOT_EINPUT;
	}
	return ALLOT_OK;
}

static int collect(const struct csvr_table *t, size_t hdr, const char *name,
		   struct allot_sipri_register *r, struct allot_diags *diags)
{
	size_t cap = 0;
	for (size_t i = hdr + 1; i < t->n; i++) {
		const struct csvr_row *row = &t->rows[i];
		char *f[C_COUNT];
		char *joined = NULL;
		int rc = ALLOT_OK;
		if (row->n == C_COUNT) {
			for (int k = 0; k < C_COUNT; k++)
				f[k] = row->f[k];
		} else if (row->n == C_COMMENTS + 1 && i + 1 < t->n && t->rows[i + 1].n == 4) {
			rc = rejoin(row, &t->rows[i + 1], f, &joined);
			r->rejoined++;
		} else {
			allot_diags_add(
				diags, name, row->line, 0,
				"expected %d fields in a register record, found %zu; line skipped",
				C_COUNT, row->n);
			r->skipped++;
			continue;
		}
		if (rc == ALLOT_OK && mem_grow(&r->v, &cap, r->n + 1, sizeof *r->v))
			rc = ALLOT_ENOMEM;
		if (rc == ALLOT_OK) {
			rc = record_fill(&r->v[r->n], f, row->line);
			r->n++; /* counted even when partly filled: freed below */
		}
		mem_free(joined);
		if (rc != ALLOT_OK)
			return rc;
		if (row->n != C_COUNT)
			i++; /* the continuation line was consumed */
	}
	return ALLOT_OK;
}

int allot_sipri_parse(const char *buf, size_t len, const char *name,
		      struct allot_sipri_register **out, struct allot_diags *diags)
{
	struct csvr_table t = { 0 };
	struct allot_sipri_register *r = mem_calloc(1, sizeof *r);
	int rc = r ? ALLOT_OK : ALLOT_ENOMEM;
	if (rc == ALLOT_OK && !(r->source = mem_strdup(name ? name : "")))
		rc = ALLOT_ENOMEM;
	if (rc == ALLOT_OK)
		rc = csvr_table_mem(buf, len, name, CSVR_TOLERANT, &t, diags);
	if (rc != ALLOT_OK)
		goto done;
	size_t hdr = 0;
	while (hdr < t.n && !is_header(&t.rows[hdr]))
		hdr++;
	if (hdr == t.n) {
		allot_diags_add(diags, name, 0, 0,
				"expected a SIPRI trade register (a header line starting "
				"'Recipient,Supplier,Year of order'), found none in %zu lines",
				t.n);
		rc = ALLOT_EINPUT;
		goto done;
	}
	rc = check_header(&t.rows[hdr], name, diags);
	if (rc == ALLOT_OK) {
		r->generated = banner_generated(&t, hdr);
		rc = r->generated ? collect(&t, hdr, name, r, diags) : ALLOT_ENOMEM;
	}
done:
	csvr_table_free(&t);
	if (rc != ALLOT_OK) {
		allot_sipri_free(r);
		return rc;
	}
	*out = r;
	return ALLOT_OK;
}

int allot_sipri_read(const char *path, struct allot_sipri_register **out, struct allot_diags *diags)
{
	char *buf;
	size_t len;
	int rc = csvr_slurp(path, &buf, &len, diags);
	if (rc != ALLOT_OK)
		return rc;
	rc = allot_sipri_parse(buf, len, path, out, diags);
	mem_free(buf);
	return rc;
}

void allot_sipri_filter_init(struct allot_sipri_filter *f)
{
	f->supplier = "United States";
	f->order_from = 2015;
	f->as_of = 2025 * 12; /* 2025-01 */
}

int allot_sipri_delivery_years(const struct allot_sipri_record *r, int years[ALLOT_SIPRI_MAX_YEARS])
{
	int n = 0;
	for (const char *p = r->delivery_years; *p;) {
		char *end;
		long y = strtol(p, &end, 10);
		if (end == p) {
			p++;
			continue;
		}
		p = end;
		if (y < 0 || y > 9999)
			continue;
		int k = n;
		while (k > 0 && years[k - 1] > y)
			k--;
		if ((k > 0 && years[k - 1] == y) || n == ALLOT_SIPRI_MAX_YEARS)
			continue;
		memmove(&years[k + 1], &years[k], (size_t)(n - k) * sizeof *years);
		years[k] = (int)y;
		n++;
	}
	return n;
}

int64_t allot_sipri_delivered_by(const struct allot_sipri_record *r, int k, int n)
{
	int64_t d = r->delivered < 0 ? 0 : r->delivered;
	if (n <= 0 || k >= n)
		return d;
	if (k <= 0)
		return 0;
	/* round(d * k / n), half up, in integers */
	return (2 * d * k + n) / (2 * (int64_t)n);
}

int allot_sipri_years_before(const struct allot_sipri_record *r, allot_month m,
			     int years[ALLOT_SIPRI_MAX_YEARS], int *n)
{
	int k = 0;
	*n = allot_sipri_delivery_years(r, years);
	while (k < *n && ((allot_month)years[k] + 1) * 12 <= m)
		k++;
	return k;
}

int64_t allot_sipri_delivered_before(const struct allot_sipri_record *r, allot_month m)
{
	int years[ALLOT_SIPRI_MAX_YEARS], n;
	int k = allot_sipri_years_before(r, m, years, &n);
	return allot_sipri_units_through(r, years, n, k);
}

int allot_sipri_is_open(const struct allot_sipri_record *r, const struct allot_sipri_filter *f)
{
	if (strcmp(r->supplier, f->supplier) != 0)
		return 0;
	if (r->year_of_order < 0 || r->year_of_order < f->order_from ||
	    (allot_month)r->year_of_order * 12 >= f->as_of)
		return 0;
	return r->qty > 0 && r->qty > allot_sipri_delivered_before(r, f->as_of);
}

/* ---- supply type (docs/dataset.md, "Supply type") ----------------------- */

/* Case-insensitive search for `word` in [b, e) not preceded by a letter
 * ("lease" but not "release"); with `whole`, not followed by one either. */
static int find_word(const char *b, const char *e, const char *word, int whole)
{
	size_t n = strlen(word);
	for (const char *p = b; p + n <= e; p++)
		if (strncasecmp(p, word, n) == 0 && (p == b || !isalpha((unsigned char)p[-1])) &&
		    (!whole || p + n == e || !isalpha((unsigned char)p[n])))
			return 1;
	return 0;
}

static int has_word(const char *b, const char *e, const char *word)
{
	return find_word(b, e, word, 0);
}

/* What one clause of Comments (between semicolons) says, as a supply type;
 * ALLOT_SUPPLY_NEW when it says nothing about supply.  A clause starting
 * with "for" describes the platform the item goes into ("For 4 frigates
 * produced in Finland"), not the item, so it never marks licence. */
static enum allot_supply_type clause_type(const char *b, const char *e)
{
	while (b < e && isspace((unsigned char)*b))
		b++;
	if (has_word(b, e, "lease") || has_word(b, e, "leased"))
		return ALLOT_SUPPLY_LEASE;
	if (has_word(b, e, "second-hand") || has_word(b, e, "second hand") ||
	    has_word(b, e, "excess defense article") || has_word(b, e, "excess defence article") ||
	    find_word(b, e, "EDA", 1))
		return ALLOT_SUPPLY_USED;
	if (e - b >= 4 && strncasecmp(b, "for ", 4) == 0)
		return ALLOT_SUPPLY_NEW;
	static const char *const licence[] = {
		"under licence",      "under license",       "licence production",
		"license production", "licensed production", "licence-produced",
		"assembled in",       "assembly in",
	};
	for (size_t i = 0; i < sizeof licence / sizeof *licence; i++)
		if (has_word(b, e, licence[i]))
			return ALLOT_SUPPLY_LICENCE;
	return ALLOT_SUPPLY_NEW;
}

enum allot_supply_type allot_sipri_supply_type(const struct allot_sipri_record *r)
{
	/* Precedence: lease, then second-hand, then licence, then new. */
	enum allot_supply_type best = ALLOT_SUPPLY_NEW;
	if (strncasecmp(r->status, "Second hand", 11) == 0)
		best = ALLOT_SUPPLY_USED;
	const char *c = r->comments;
	while (*c) {
		const char *e = strchr(c, ';');
		if (!e)
			e = c + strlen(c);
		enum allot_supply_type k = clause_type(c, e);
		if (k == ALLOT_SUPPLY_LEASE ||
		    (k == ALLOT_SUPPLY_USED && best != ALLOT_SUPPLY_LEASE) ||
		    (k == ALLOT_SUPPLY_LICENCE && best == ALLOT_SUPPLY_NEW))
			best = k;
		c = *e ? e + 1 : e;
	}
	return best;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

const char *sipri_next_int(const char *p, long *out)
{
	while (*p) {
		char *end;
		long v = strtol(p, &end, 10);
		if (end != p) {
			*out = v;
			return end;
		}
		p++;
	}
	return NULL;
}

/* The first and last year of "2019; 2020; 2021"; 0 when there is none. */
static int year_range(const char *years, int *first, int *last)
{
	int n = 0;
	long y;
	for (const char *p = years; (p = sipri_next_int(p, &y)) != NULL; n++) {
		if (n == 0 || y < *first)
			*first = (int)y;
		if (n == 0 || y > *last)
			*last = (int)y;
	}
	return n;
}

int allot_sipri_supply_timing(const struct allot_sipri_register *reg, const char *supplier,
			      enum allot_supply_type type, int from, int to,
			      struct allot_supply_timing *out)
{
	return allot_sipri_supply_timing_of(reg, supplier, type, from, to, NULL, out);
}

int allot_sipri_supply_timing_of(const struct allot_sipri_register *reg, const char *supplier,
				 enum allot_supply_type type, int from, int to,
				 const unsigned char *only, struct allot_supply_timing *out)
{
	memset(out, 0, sizeof *out);
	out->span_years = 1;
	int *lag = mem_alloc((reg->n ? reg->n : 1) * sizeof *lag);
	int *span = mem_alloc((reg->n ? reg->n : 1) * sizeof *span);
	int *dur = mem_alloc((reg->n ? reg->n : 1) * sizeof *dur);
	if (!lag || !span || !dur) {
		mem_free(lag);
		mem_free(span);
		mem_free(dur);
		return ALLOT_ENOMEM;
	}
	for (size_t i = 0; i < reg->n; i++) {
		const struct allot_sipri_record *r = &reg->v[i];
		int first = 0, last = 0;
		if ((only && !only[i]) || strcmp(r->supplier, supplier) != 0 ||
		    r->year_of_order < from || r->year_of_order > to ||
		    allot_sipri_supply_type(r) != type ||
		    !year_range(r->delivery_years, &first, &last) || first > to)
			continue; /* no delivery recorded by the end of `to` */
		lag[out->records++] = first - r->year_of_order;
		if (r->qty > 0 && r->delivered >= r->qty && last <= to) {
			dur[out->complete] = last - r->year_of_order + 1;
			span[out->complete++] = last - first + 1;
		}
	}
	if (out->records) {
		qsort(lag, out->records, sizeof *lag, cmp_int);
		out->lag_years = lag[(out->records - 1) / 2];
	}
	if (out->complete) {
		qsort(span, out->complete, sizeof *span, cmp_int);
		out->span_years = span[(out->complete - 1) / 2];
		qsort(dur, out->complete, sizeof *dur, cmp_int);
		out->duration_years = dur[(out->complete - 1) / 2];
		size_t k = 0; /* sorted: the records longer than a are a suffix */
		for (int a = 0; a < ALLOT_TIMING_AGES; a++) {
			while (k < out->complete && dur[k] <= a)
				k++;
			if (k < out->complete)
				out->duration_after[a] = dur[k + (out->complete - k - 1) / 2];
		}
	}
	mem_free(lag);
	mem_free(span);
	mem_free(dur);
	return ALLOT_OK;
}

static void csv_cell(FILE *out, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	fputc(last ? '\n' : ',', out);
}

static void csv_int(FILE *out, int64_t v)
{
	fprintf(out, "%lld,", (long long)v);
}

int allot_sipri_write_open(const struct allot_sipri_register *r, const struct allot_sipri_filter *f,
			   const struct allot_countries *countries, FILE *out, size_t *n_out,
			   struct allot_diags *diags)
{
	size_t n = 0;
	fputs("recipient,recipient_iso3,designation,description,year_of_order,"
	      "order_uncertain,qty,qty_uncertain,delivered,delivered_uncertain,"
	      "delivery_years,status,comments,tiv_unit,tiv_total,tiv_delivered\n",
	      out);
	for (size_t i = 0; i < r->n; i++) {
		const struct allot_sipri_record *x = &r->v[i];
		if (!allot_sipri_is_open(x, f))
			continue;
		const char *iso = allot_countries_iso3(countries, x->recipient);
		if (!iso && countries) {
			int seen = 0;
			for (size_t k = 0; k < i && !seen; k++)
				seen = allot_sipri_is_open(&r->v[k], f) &&
				       strcmp(r->v[k].recipient, x->recipient) == 0;
			if (!seen)
				allot_diags_add(
					diags, r->source, x->line, 1,
					"expected a recipient listed in the country table, found '%s' (iso3 left empty)",
					x->recipient);
		}
		csv_cell(out, x->recipient, 0);
		csv_cell(out, iso ? iso : "", 0);
		csv_cell(out, x->designation, 0);
		csv_cell(out, x->description, 0);
		csv_int(out, x->year_of_order);
		csv_int(out, x->order_uncertain);
		csv_int(out, x->qty);
		csv_int(out, x->qty_uncertain);
		csv_int(out, allot_sipri_delivered_before(x, f->as_of));
		csv_int(out, x->delivered_uncertain);
		csv_cell(out, x->delivery_years, 0);
		csv_cell(out, x->status, 0);
		csv_cell(out, x->comments, 0);
		csv_cell(out, x->tiv_unit, 0);
		csv_cell(out, x->tiv_total, 0);
		csv_cell(out, x->tiv_delivered, 1);
		n++;
	}
	if (n_out)
		*n_out = n;
	return ferror(out) ? ALLOT_EIO : ALLOT_OK;
}
