/*
 * load.c - allot_scenario_load: a scenario directory into the model.
 *
 * A scenario directory holds scenario.json, a policy file and CSV tables
 * (docs/scenario-format.md).  Loading is strict and exhaustive: every bad
 * value, unknown reference, duplicate key or malformed line is reported as
 * "file:line:col: expected ..., found ..." and loading goes on, so one run
 * lists every problem (up to diags->limit).  Only if there were none does
 * *out receive the scenario.
 *
 * Files are read in dependency order (partners, lines, systems, orders,
 * minerals, ...); each keyed file fills a string map (util/strmap.h) that
 * later files resolve their references through.  A reference to a file that
 * could not be read whole (missing, a CSV syntax error, rows skipped for a
 * wrong field count) is not reported as unknown: the key may well be in the
 * part that could not be read, and the first error says what to fix.
 *
 * Each CSV file is described once, in io/schema.c: its columns, their
 * types, ranges and references.  A row is parsed column by column from that
 * description (parse_cols); what spans columns (a key, a pair key, work in
 * progress windows, an event's target) is below.  Adding a column is a row
 * in its descriptor.
 */
#include <allot/allot.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/json.h"
#include "io/policy.h"
#include "io/ranges_int.h"
#include <allot/schema.h>
#include "io/table.h"
#include "io/value.h"
#include "util/mem.h"
#include "util/strmap.h"

/* The CSV files, in reading order: the tables of io/schema.c. */
enum lfile {
	F_PARTNERS,
	F_LINES,
	F_SYSTEMS,
	F_ORDERS,
	F_MINERALS,
	F_SUPPLY,
	F_BOM,
	F_EVENTS,
	F_INVESTMENTS,
	F_EMBARGOES,
	F_REQUESTS,
	F_TRANSFERS,
	F_WIP,
	F_COUNT
};
_Static_assert((int)F_COUNT == (int)SC_NTABS && (int)F_WIP == (int)SC_WIP &&
		       (int)F_ORDERS == (int)SC_ORDERS,
	       "load.c's files are schema.c's tables");

struct lctx {
	const char *dir;
	struct allot_diags *d;
	struct allot_scenario *s;
	struct strmap map[F_COUNT]; /* key -> row, for keyed files */
	long *rowline[F_COUNT];     /* row -> line, for "first on line N" */
	size_t cap[F_COUNT];        /* capacity of the model array */
	size_t rlcap[F_COUNT];
	unsigned complete; /* files read to the end (or absent) */
	char **keys;       /* keys owned here (partner codes, bom) */
	size_t nkeys, capkeys;
	int limit_hit;
	int64_t *wip_sum;    /* wip.csv units so far, per order */
	size_t ids_used;     /* bytes of s->id_block holding order ids */
	size_t orders_size;  /* orders.csv's size in bytes (0: unknown) */
	size_t sample_bytes; /* bytes of the first rows, for the estimate */
	int exact_orders;    /* orders.csv read again, ids checked row by row (load_orders) */
	int ids_unsorted;    /* an order id not above the one before it */
	int orders_indexed;  /* map[F_ORDERS] holds every order */
	int oom;             /* making map[F_ORDERS] ran out of memory */
	signed char plan[F_COUNT][TABLE_MAX_COLS]; /* parse_plan */
	int nplan[F_COUNT];
	int64_t ihi[TABLE_MAX_COLS];    /* the current file's SC_INT upper bounds */
	int enum_empty[TABLE_MAX_COLS]; /* an empty SC_ENUM cell's value, or -1 */
	struct refcache *refc;          /* orders.csv's references (ref_cached) */
};

/* ---- helpers ------------------------------------------------------------- */

static const char *file_name(enum lfile f);

/* Grows the model array *arr (element size sz) of file f to hold n + 1. */
static int push(struct lctx *c, enum lfile f, void *arr, size_t n, size_t sz)
{
	if (mem_grow(arr, &c->cap[f], n + 1, sz))
		return ALLOT_ENOMEM;
	memset(*(char **)arr + n * sz, 0, sz);
	return ALLOT_OK;
}

static int note_line(struct lctx *c, enum lfile f, size_t row, long line)
{
	if (mem_grow(&c->rowline[f], &c->rlcap[f], row + 1, sizeof(long)))
		return ALLOT_ENOMEM;
	c->rowline[f][row] = line;
	return ALLOT_OK;
}

static struct strmap *ref_map(struct lctx *c, int f);

/* Looks up a reference in column col to a row of file f ("partner" ...).
 * 0 and *out on success; -1 after reporting. */
static int ref(struct lctx *c, struct table *t, int col, enum lfile f, const char *what, int *out)
{
	const char *key;
	*out = -1;
	if (table_key(t, col, &key))
		return -1;
	int i = strmap_get(ref_map(c, f), key);
	if (i < 0) {
		if ((c->complete & (1u << f)) && !c->oom) {
			char q[96];
			table_err(t, col, "unknown %s %s in %s (not in %s)", what,
				  table_found(t, col, q, sizeof q), t->cols[col].name,
				  file_name(f));
		}
		return -1;
	}
	*out = i;
	return 0;
}

/* A new key for file f in column col: 0 when unique (then the caller pushes
 * the row and calls key_add), 1 after reporting a duplicate, -1 when the key
 * itself is bad (reported). */
static void dup_report(struct lctx *c, struct table *t, int col, enum lfile f, int old)
{
	char q[96];
	table_err(t, col, "duplicate %s %s (first on line %ld)", t->cols[col].name,
		  table_found(t, col, q, sizeof q), c->rowline[f][old]);
}

static int key_check(struct lctx *c, struct table *t, int col, enum lfile f, const char **key)
{
	if (table_key(t, col, key))
		return -1;
	int old = strmap_get(&c->map[f], *key);
	if (old >= 0) {
		dup_report(c, t, col, f, old);
		return 1;
	}
	return 0;
}

/* Registers a row's key; `key` must stay valid while loading. */
static int key_add(struct lctx *c, struct table *t, enum lfile f, const char *key, size_t row)
{
	if (strmap_put(&c->map[f], key, (int)row, NULL) < 0 || note_line(c, f, row, table_line(t)))
		return ALLOT_ENOMEM;
	return ALLOT_OK;
}

/* A key string owned by the context (for maps over non-heap keys). */
static const char *own_key(struct lctx *c, const char *s)
{
	char *k = mem_strdup(s);
	if (!k || mem_grow(&c->keys, &c->capkeys, c->nkeys + 1, sizeof *c->keys)) {
		mem_free(k);
		return NULL;
	}
	c->keys[c->nkeys++] = k;
	return k;
}

/* Strings copied into the model: all-or-nothing. */
static int dup_all(char **dst[], const char *src[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*dst[i] = mem_strdup(src[i]);
		if (!*dst[i]) {
			for (size_t k = 0; k < i; k++) {
				mem_free(*dst[k]);
				*dst[k] = NULL;
			}
			return ALLOT_ENOMEM;
		}
	}
	return ALLOT_OK;
}

/* Grams from a kilogram figure: rounded half away from zero. */
static int64_t grams(double kg)
{
	return (int64_t)llround(kg * 1000.0);
}

/* A number in its range from the one table (lib/ranges.c). */
static int rnum(const struct table *t, int col, enum allot_range_id id, double *out)
{
	const struct allot_range *r = allot_range_get(id);
	return table_num(t, col, r->lo, r->hi, out);
}

/* ---- columns, from the descriptors (io/schema.c) -------------------------- */

/* A figure's year column (optional): empty = not stated (0), "none" = no
 * figure exists (ALLOT_NO_FIGURE: the value beside it is a policy default),
 * else a year 1900..9999. */
static int figure_year(struct table *t, int col, int *out)
{
	const char *v = table_str(t, col);
	int64_t y;
	*out = 0;
	if (strcmp(v, "none") == 0)
		*out = ALLOT_NO_FIGURE;
	else if (v[0] && table_int(t, col, 1900, 9999, 0, &y) == 0)
		*out = (int)y;
	else if (v[0])
		return -1;
	return 0;
}

static int iso3(struct table *t, int col, const char *v)
{
	char q[96];
	if (value_iso3(v))
		return 0;
	table_err(t, col, "expected a 3-letter upper-case ISO code in %s, found %s",
		  t->cols[col].name, table_found(t, col, q, sizeof q));
	return -1;
}

/* A plain run of 1 to 15 digits (no sign): read exactly as value_int
 * reads it.  0 when s is not one (then table_int takes it, and reports). */
static int digits_int(const char *s, size_t len, int64_t *out)
{
	if (len == 0 || len > 15)
		return 0;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';
		if (d > 9)
			return 0;
		v = v * 10 + d;
	}
	*out = v;
	return 1;
}

/* orders.csv's references (partner, system) resolved before: the field's
 * bytes (at most 8) and length -> the row, a direct-mapped cache in front
 * of the map (a hit costs a tenth of a hash and a probe).  Filled only
 * from the map's answers, so a hit answers as the map would. */
#define REFC_BITS 10
struct refcache {
	uint64_t key; /* the field's bytes, little-endian */
	uint32_t len; /* 0: empty */
	int row;
};

static struct refcache *ref_cached(struct lctx *c, int k, const struct csvr_field *x, uint64_t *key)
{
	if (!c->refc || x->len > 8)
		return NULL;
	uint64_t v = 0;
	for (size_t i = 0; i < x->len; i++)
		v |= (uint64_t)(unsigned char)x->s[i] << (8 * i);
	*key = v;
	size_t h = (size_t)(((v ^ x->len) * 0x9e3779b97f4a7c15ull) >> (64 - REFC_BITS));
	return &c->refc[((size_t)k << REFC_BITS) + h];
}

/* Parses column k of the current row into row: 0 when good, -1 after
 * reporting.  The common good values of references, integers and months
 * are read first without the checks' preparations; anything else goes the
 * long way, which reports. */
static int parse_col(struct lctx *c, struct table *t, const struct sc_col *col, int k, void *row)
{
	char *p = (char *)row + col->off;
	char q[96];
	switch (col->type) {
	case SC_TEXT:
		if (col->flags & SC_VAL) {
			const char *v;
			return table_key(t, k, &v);
		}
		return 0;
	case SC_ISO3: {
		const char *v;
		if (table_key(t, k, &v) || iso3(t, k, v))
			return -1;
		memcpy(p, v, 4);
		return 0;
	}
	case SC_REF: {
		/* the common case first, without a message's preparations: a
		 * key that its file's map holds (the hash of a field with a NUL
		 * byte in it differs from the key's: it takes the long way) */
		const struct csvr_field *x = table_field(t, k);
		if (x && x->len && !((col->flags & SC_STAR) && strcmp(x->s, "*") == 0)) {
			uint64_t key = 0;
			struct refcache *e = ref_cached(c, k, x, &key);
			if (e && e->len == x->len && e->key == key) {
				*(int *)p = e->row;
				return 0;
			}
			int i = strmap_get_hashed(ref_map(c, col->ref), x->s,
						  strmap_hash_len(x->s, x->len));
			if (i >= 0) {
				if (e)
					*e = (struct refcache){ key, (uint32_t)x->len, i };
				*(int *)p = i;
				return 0;
			}
		}
		if ((col->flags & SC_STAR) && strcmp(table_str(t, k), "*") == 0) {
			*(int *)p = -1;
			return 0;
		}
		return ref(c, t, k, (enum lfile)col->ref, allot_sc_tables[col->ref].ref_what,
			   (int *)p);
	}
	case SC_NUM:
		if ((col->flags & SC_UNSET) && !table_str(t, k)[0]) {
			*(double *)p = -1; /* empty: computed from the row */
			return 0;
		}
		if ((col->flags & SC_MISSING) &&
		    (!table_str(t, k)[0] || strcmp(table_str(t, k), "unknown") == 0)) {
			*(double *)p = NAN; /* a missing value, never 0 */
			return 0;
		}
		return rnum(t, k, col->range, (double *)p);
	case SC_GRAMS: {
		double kg;
		if (rnum(t, k, col->range, &kg))
			return -1;
		*(int64_t *)p = grams(kg);
		return 0;
	}
	case SC_INT: {
		int64_t v, hi = c->ihi[k];
		const struct csvr_field *x = table_field(t, k);
		if (x && digits_int(x->s, x->len, &v) && v >= col->ilo && v <= hi) {
			sc_set_int(row, col, v); /* what table_int gives it */
			return 0;
		}
		if (x ? x->len == 0 && !(t->cols[k].flags & TC_VAL)
		      : !(t->cols[k].flags & TC_REQ)) {
			sc_set_int(row, col, col->dflt); /* empty or absent: the default */
			return 0;
		}
		if (table_int(t, k, col->ilo, hi, col->dflt, &v))
			return -1;
		sc_set_int(row, col, v);
		return 0;
	}
	case SC_BOOL: {
		int v;
		if (!(col->flags & SC_INVERT))
			return table_bool(t, k, (int *)p);
		/* mde: an empty cell (or no column) is 1 */
		if (table_str(t, k)[0] && table_bool(t, k, &v) == 0)
			*(int *)p = !v;
		else if (table_str(t, k)[0])
			return -1;
		return 0;
	}
	case SC_MONTH: {
		const struct csvr_field *x = table_field(t, k);
		if (x && x->len == 7 && allot_month_parse(x->s, (allot_month *)p) == 0)
			return 0;
		if (x ? x->len == 0 && !(t->cols[k].flags & TC_VAL)
		      : !(t->cols[k].flags & TC_REQ)) {
			*(allot_month *)p = ALLOT_NO_MONTH; /* empty or absent: none */
			return 0;
		}
		return table_month(t, k, (allot_month *)p);
	}
	case SC_ENUM: {
		const struct csvr_field *x = table_field(t, k);
		if ((!x || !x->len) && c->enum_empty[k] >= 0) {
			*(int *)p = c->enum_empty[k]; /* what parsing "" gives */
			return 0;
		}
		if ((col->flags & SC_VAL) && !table_str(t, k)[0]) {
			const char *v;
			return table_key(t, k, &v);
		}
		if (allot_sc_enum_parse(col->ref, table_str(t, k), (int *)p) == 0)
			return 0;
		table_err(t, k, "expected %s in %s, found %s", allot_sc_enum_expect(col->ref),
			  col->name, table_found(t, k, q, sizeof q));
		return -1;
	}
	case SC_YEAR:
		return figure_year(t, k, (int *)p);
	}
	return 0;
}

/* A bound between two good columns: delivered at most qty, online_month
 * from month on, end_month from start_month on. */
static int check_bound(struct table *t, const struct sc_table *tb, int k, void *row)
{
	const struct sc_col *col = &tb->cols[k], *b = &tb->cols[col->bound - 1];
	char q[96], m[8];
	if (col->type == SC_INT) {
		int64_t v = sc_get_int(row, col), hi = sc_get_int(row, b);
		if (v <= hi)
			return 0;
		table_err(t, k, "expected an integer from %lld to %s (%lld) in %s, found %s",
			  (long long)col->ilo, b->name, (long long)hi, col->name,
			  table_found(t, k, q, sizeof q));
		return -1;
	}
	allot_month v = *(allot_month *)sc_field(row, col), lo = *(allot_month *)sc_field(row, b);
	if (v == ALLOT_NO_MONTH || v >= lo)
		return 0;
	allot_month_format(lo, m);
	table_err(t, k, "expected a month >= %s (%s) in %s, found %s", b->name, m, col->name,
		  table_found(t, k, q, sizeof q));
	return -1;
}

/* The columns a row's parse visits, in order: every column but the key and
 * plain text (nothing to check), SC_LATE ones last.  Made once per file, so
 * the hot loop over a million orders does no flag tests; with the integer
 * columns' upper bounds and the value of an empty enum cell (when it has
 * one: it is not required). */
static void parse_plan(struct lctx *c, enum lfile f)
{
	const struct sc_table *tb = &allot_sc_tables[f];
	int n = 0;
	for (int k = 0; k < tb->ncols; k++) {
		const struct sc_col *col = &tb->cols[k];
		int v;
		c->ihi[k] = col->type != SC_INT ? 0
			    : col->ihi          ? col->ihi
						: (int64_t)allot_range_get(col->range)->hi;
		c->enum_empty[k] = col->type == SC_ENUM && !(col->flags & SC_VAL) &&
						   allot_sc_enum_parse(col->ref, "", &v) == 0
					   ? v
					   : -1;
	}
	for (int pass = 0; pass < 2; pass++)
		for (int k = 0; k < tb->ncols; k++) {
			const struct sc_col *col = &tb->cols[k];
			if (k == tb->key || !!(col->flags & SC_LATE) != pass ||
			    (col->type == SC_TEXT && !(col->flags & SC_VAL)))
				continue;
			c->plan[f][n++] = (signed char)k;
		}
	c->nplan[f] = n;
}

static int parse_cols(struct lctx *c, struct table *t, enum lfile f, void *row)
{
	const struct sc_table *tb = &allot_sc_tables[f];
	unsigned ok = 0;
	int bad = 0;
	for (int i = 0; i < c->nplan[f]; i++) {
		int k = c->plan[f][i];
		const struct sc_col *col = &tb->cols[k];
		if (parse_col(c, t, col, k, row) != 0) {
			bad = -1;
			continue;
		}
		if (col->bound && (ok >> (col->bound - 1) & 1) && check_bound(t, tb, k, row) != 0) {
			bad = -1;
			continue;
		}
		ok |= 1u << k;
	}
	return bad;
}

/* The row's text columns copied into the model: all or nothing. */
static int dup_texts(struct table *t, const struct sc_table *tb, void *row)
{
	char **dst[TABLE_MAX_COLS];
	const char *src[TABLE_MAX_COLS];
	size_t n = 0;
	for (int k = 0; k < tb->ncols; k++) {
		const struct sc_col *col = &tb->cols[k];
		if (col->type != SC_TEXT)
			continue;
		const char *v = table_str(t, k);
		dst[n] = (char **)sc_field(row, col);
		src[n++] = !v[0] && col->dflt_text ? col->dflt_text : v;
	}
	return dup_all(dst, src, n);
}

/* ---- what spans columns, table by table ---------------------------------- */

static int wip_pair(struct lctx *c, struct table *t, struct allot_wip *w, const char **key);
static int bom_pair(struct lctx *c, struct table *t, struct allot_bom *b, const char **key);

/* Checks of a row whose columns are good, before it is added; 1 = drop
 * the row (reported). */
static int row_rules(struct lctx *c, struct table *t, enum lfile f, void *row)
{
	switch (f) {
	case F_MINERALS:
		if (strcmp(table_str(t, 0), "*") == 0) {
			table_err(t, 0,
				  "expected a mineral id in mineral_id, found \"*\" "
				  "(reserved for every mineral in embargoes.csv)");
			return 1;
		}
		return 0;
	case F_REQUESTS: {
		struct allot_request *r = row;
		const struct allot_system *y = &c->s->systems[r->system];
		if (r->value_usd < 0 && !allot_cost_known(y->unit_cost_usd)) {
			/* the case value decides 36(b): an unknown cost is no value */
			size_t k = 0;
			while (k + 1 < t->ncols && strcmp(t->cols[k].name, "value_usd") != 0)
				k++;
			table_err(t, (int)k,
				  "expected a case value in value_usd: the unit cost "
				  "of system %s is unknown, so the value cannot be computed",
				  y->system_id);
			return 1;
		}
		if (r->value_usd < 0) /* empty: the units at their unit cost */
			r->value_usd = (double)r->qty * y->unit_cost_usd;
		return 0;
	}
	case F_TRANSFERS: {
		struct allot_transfer *x = row;
		/* A recipient outside partners.csv is allowed: it has no
		 * eligibility in the scenario (docs/case-process.md). */
		x->to = strmap_get(&c->map[F_PARTNERS], x->to_iso3);
		return 0;
	}
	default:
		return 0;
	}
}

/* The generic row: columns, key, rules, text, then into the model. */
static int sc_row_load(struct lctx *c, struct table *t, enum lfile f)
{
	const struct sc_table *tb = &allot_sc_tables[f];
	union {
		char b[256];
		int64_t i;
		double d;
		void *p;
	} buf;
	void *row = buf.b;
	if (tb->row_size > sizeof buf)
		return ALLOT_ENOMEM; /* a model row outgrew the buffer: a build error */
	memset(row, 0, tb->row_size);
	int bad = parse_cols(c, t, f, row);
	const char *key = NULL;
	if (tb->key >= 0) {
		const struct sc_col *kc = &tb->cols[tb->key];
		if (key_check(c, t, tb->key, f, &key) != 0)
			return ALLOT_OK;
		if (kc->type == SC_ISO3) {
			if (iso3(t, tb->key, key))
				return ALLOT_OK;
			memcpy(sc_field(row, kc), key, 4);
		}
	}
	if ((bad && !tb->keep_bad) || row_rules(c, t, f, row))
		return ALLOT_OK;
	if (f == F_BOM || f == F_WIP) { /* the pair is the key */
		int r = f == F_BOM ? bom_pair(c, t, row, &key) : wip_pair(c, t, row, &key);
		if (r)
			return r < 0 ? ALLOT_ENOMEM : ALLOT_OK;
	}
	/* keys that live in a char array move with the array: own a copy
	 * (first, so that a failure leaves nothing half added) */
	int iso_key = tb->key >= 0 && tb->cols[tb->key].type == SC_ISO3;
	if (iso_key && !(key = own_key(c, key)))
		return ALLOT_ENOMEM;
	struct allot_scenario *s = c->s;
	void *arr = (char *)s + tb->arr_off;
	size_t *n = (size_t *)((char *)s + tb->n_off);
	if (push(c, f, arr, *n, tb->row_size) || dup_texts(t, tb, row))
		return ALLOT_ENOMEM;
	memcpy(*(char **)arr + *n * tb->row_size, row, tb->row_size);
	size_t i = (*n)++; /* owned by the model from here */
	if (!key)
		return ALLOT_OK;
	if (!iso_key && tb->key >= 0)
		key = sc_get_text(row, &tb->cols[tb->key]); /* the model's copy */
	return key_add(c, t, f, key, i);
}

/* The model's id of order i: the order map stores no key pointers. */
static const char *order_key(const void *ctx, int i)
{
	const struct lctx *c = ctx;
	return c->s->orders[i].order_id;
}

/* After the first rows of orders.csv, room for as many orders as the file
 * seems to hold (its size over the bytes a row took so far): the arrays
 * and the id map then grow once instead of twenty times, and the map is
 * never rehashed.  Only a hint: when it fails, or the rows that follow
 * are shorter, they grow as before. */
#define ORDER_SAMPLE 1024

static void order_reserve(struct lctx *c, const struct table *t)
{
	const struct csvr_record *r = t->rec;
	for (size_t i = 0; i < r->n; i++)
		c->sample_bytes += r->f[i].len + 1;
	if (r->index != ORDER_SAMPLE || !c->orders_size || !c->sample_bytes)
		return;
	size_t est = c->orders_size / c->sample_bytes * ORDER_SAMPLE;
	est += est / 16; /* CRLF, quotes: a little more */
	if (est > (size_t)CSVR_MAX_ROWS)
		est = (size_t)CSVR_MAX_ROWS;
	if (mem_grow(&c->s->orders, &c->cap[F_ORDERS], est, sizeof *c->s->orders) == 0)
		mem_hint_huge(c->s->orders, c->cap[F_ORDERS] * sizeof *c->s->orders);
	if (c->exact_orders)
		(void)(mem_grow(&c->rowline[F_ORDERS], &c->rlcap[F_ORDERS], est, sizeof(long)) ||
		       strmap_reserve(&c->map[F_ORDERS], est));
}

/* orders.csv, the hot path of big scenarios: the columns as for any table.
 * The ids go one after the other into s->id_block while it has room (it
 * is as big as the file), else each into its own allocation.  The first
 * reading (load_orders) keeps every row and leaves the ids' uniqueness to
 * index_orders; the exact one makes one map probe per order (put reports
 * a duplicate, at its row) instead of a lookup and then an insert. */
static int order_row(struct lctx *c, struct table *t)
{
	const struct sc_table *tb = &allot_sc_tables[SC_ORDERS];
	struct allot_order o = { 0 };
	const char *id;
	if (t->rec->index <= ORDER_SAMPLE)
		order_reserve(c, t);
	const char *text = table_str(t, tb->key);
	size_t len = strlen(text); /* the id stops at a NUL byte, as before */
	uint64_t h = 0;
	if (c->exact_orders) { /* the id's slot is fetched while the row is parsed */
		h = strmap_hash_len(text, len);
		strmap_prefetch(&c->map[F_ORDERS], h);
	}
	parse_cols(c, t, F_ORDERS, &o);
	if (table_key(t, tb->key, &id))
		return ALLOT_OK;
	struct allot_scenario *s = c->s;
	int in_block = s->id_block && s->id_block_size - c->ids_used > len;
	if (push(c, F_ORDERS, &s->orders, s->n_orders, sizeof o))
		return ALLOT_ENOMEM;
	if (in_block) {
		o.order_id = s->id_block + c->ids_used;
		memcpy(o.order_id, id, len + 1);
	} else if (!(o.order_id = mem_strdup(id))) {
		return ALLOT_ENOMEM;
	}
	s->orders[s->n_orders] = o; /* not counted yet: a duplicate is dropped */
	if (!c->exact_orders) {
		/* ids in increasing order are distinct: no map needed to
		 * check them (strcmp: they stop at a NUL byte, as the map's) */
		if (s->n_orders && strcmp(s->orders[s->n_orders - 1].order_id, o.order_id) >= 0)
			c->ids_unsorted = 1;
		if (in_block)
			c->ids_used += len + 1;
		s->n_orders++; /* owned by the model from here */
		return ALLOT_OK;
	}
	int old, r = strmap_put_hashed(&c->map[F_ORDERS], o.order_id, h, (int)s->n_orders, &old);
	if (r != 0) {
		if (!in_block)
			mem_free(o.order_id);
		s->orders[s->n_orders].order_id = NULL;
		if (r < 0)
			return ALLOT_ENOMEM;
		dup_report(c, t, tb->key, F_ORDERS, old);
		return ALLOT_OK;
	}
	if (in_block)
		c->ids_used += len + 1;
	s->n_orders++; /* owned by the model from here */
	return note_line(c, F_ORDERS, s->n_orders - 1, table_line(t));
}

/* The order map, made after the file was read: the ids are hashed a few
 * orders ahead of their insert and their slots fetched meanwhile, so that
 * the inserts into a map far bigger than the caches wait for memory in
 * parallel rather than one after the other (perf: a fifth of loading 1M
 * orders was the row-by-row insert's cache and TLB misses).  *dup = 1 when
 * an id is there twice. */
#define INDEX_AHEAD 16

static int index_orders(struct lctx *c, int *dup)
{
	const struct allot_scenario *s = c->s;
	struct strmap *m = &c->map[F_ORDERS];
	uint64_t h[INDEX_AHEAD];
	size_t n = s->n_orders;
	*dup = 0;
	if (strmap_reserve(m, n) != 0)
		return ALLOT_ENOMEM;
	for (size_t i = 0; i < n + INDEX_AHEAD; i++) {
		uint64_t *hi = &h[i % INDEX_AHEAD]; /* order i's, after order i - AHEAD's */
		if (i >= INDEX_AHEAD) {
			size_t k = i - INDEX_AHEAD;
			int r = strmap_put_hashed(m, s->orders[k].order_id, *hi, (int)k, NULL);
			if (r != 0) {
				*dup = r > 0;
				return r < 0 ? ALLOT_ENOMEM : ALLOT_OK;
			}
		}
		if (i < n) {
			const char *id = s->orders[i].order_id;
			*hi = strmap_hash_len(id, strlen(id));
			strmap_prefetch(m, *hi);
		}
	}
	c->orders_indexed = 1;
	return ALLOT_OK;
}

/* The map of file f's keys, for a reference.  The order map is made on the
 * first reference to an order (wip.csv) when orders.csv's ids came in
 * increasing order: a scenario without such references never makes it. */
static struct strmap *ref_map(struct lctx *c, int f)
{
	int dup;
	if (f == F_ORDERS && !c->orders_indexed && index_orders(c, &dup) != ALLOT_OK)
		c->oom = 1; /* load_csv returns ALLOT_ENOMEM after the row */
	return &c->map[f];
}

/* Forgets the orders read so far (their ids, the map, the diagnostics the
 * file added since mark) for a second reading of orders.csv. */
static void orders_forget(struct lctx *c, size_t mark, size_t dropped)
{
	struct allot_scenario *s = c->s;
	uintptr_t b0 = (uintptr_t)s->id_block, b1 = b0 + s->id_block_size;
	for (size_t i = 0; i < s->n_orders; i++) {
		uintptr_t p = (uintptr_t)s->orders[i].order_id;
		if (p < b0 || p >= b1)
			mem_free(s->orders[i].order_id);
		s->orders[i].order_id = NULL;
	}
	s->n_orders = 0;
	c->ids_used = 0;
	c->sample_bytes = 0;
	strmap_free(&c->map[F_ORDERS]);
	c->orders_indexed = 0;
	allot_diags_truncate(c->d, mark, dropped);
}

/* orders.csv.  Ids are almost always unique, so the file is read once
 * without the map (no probe, no row -> line array: load.c's biggest
 * memory after the orders themselves).  Ids in increasing order (a sorted
 * export, the bundled dataset, lib/synth.c's scenarios) are distinct, and
 * their map waits for a first reference (ref_map); otherwise it is made
 * now, in one pass.  When that pass finds an id twice, the orders and what
 * the file reported are dropped and the file is read again the exact way,
 * which reports each duplicate at its row, in order among the other
 * messages, with the line of the first: the same messages, in the same
 * order, as a single careful reading. */
static int load_csv(struct lctx *c, enum lfile f);

static int load_orders(struct lctx *c)
{
	/* no cache, no harm */
	c->refc = mem_calloc((size_t)allot_sc_tables[F_ORDERS].ncols << REFC_BITS, sizeof *c->refc);
	size_t mark = c->d->n, dropped = c->d->dropped;
	unsigned complete = c->complete;
	int limit_hit = c->limit_hit, dup = 0;
	int rc = load_csv(c, F_ORDERS);
	if (rc == ALLOT_OK && !c->exact_orders && c->ids_unsorted)
		rc = index_orders(c, &dup);
	if (rc != ALLOT_OK || !dup) {
		mem_free(c->refc);
		c->refc = NULL;
		return rc;
	}
	orders_forget(c, mark, dropped);
	c->complete = complete;
	c->limit_hit = limit_hit;
	c->exact_orders = 1;
	rc = load_csv(c, F_ORDERS);
	c->orders_indexed = 1; /* row by row */
	mem_free(c->refc);
	c->refc = NULL;
	return rc;
}

/* bom.csv: one row per (system, mineral); 1 = a duplicate (reported). */
static int bom_pair(struct lctx *c, struct table *t, struct allot_bom *b, const char **key)
{
	char pair[48];
	snprintf(pair, sizeof pair, "%d/%d", b->system, b->mineral);
	int old = strmap_get(&c->map[F_BOM], pair);
	if (old >= 0) {
		table_err(t, 0,
			  "duplicate bom row for system \"%s\" and mineral "
			  "\"%s\" (first on line %ld)",
			  table_str(t, 0), table_str(t, 1), c->rowline[F_BOM][old]);
		return 1;
	}
	return (*key = own_key(c, pair)) ? 0 : -1;
}

/* Work in progress (docs/allocation.md): delivered from as_of to before
 * as_of + lead_months (for an order not supplied new, any month from
 * as_of: its stated schedule), at most qty - delivered units per order,
 * one row per (order, month). */
static int wip_month_ok(struct lctx *c, struct table *t, const struct allot_wip *w)
{
	const struct allot_scenario *s = c->s;
	const struct allot_order *o = &s->orders[w->order];
	int lead = s->systems[o->system].lead_months;
	char a[8], b[8], q[96];
	allot_month_format(s->as_of, a);
	if (o->supply != ALLOT_SUPPLY_NEW) { /* a stated schedule: from as_of on */
		if (w->month >= s->as_of)
			return 1;
		table_err(t, 1, "expected a delivery month from %s (as_of) in month, found %s", a,
			  table_found(t, 1, q, sizeof q));
		return 0;
	}
	if (w->month >= s->as_of && w->month < s->as_of + lead)
		return 1;
	if (lead <= 0)
		table_err(t, 1,
			  "expected no work in progress for order \"%s\" (its "
			  "system has lead_months 0, so nothing is in production at as_of), "
			  "found %s",
			  s->orders[w->order].order_id, table_found(t, 1, q, sizeof q));
	else {
		allot_month_format(s->as_of + lead - 1, b);
		table_err(t, 1,
			  "expected a delivery month from %s to %s (as_of to "
			  "as_of + lead_months - 1) in month, found %s",
			  a, b, table_found(t, 1, q, sizeof q));
	}
	return 0;
}

/* wip.csv: the month's window, one row per (order, month), at most the
 * order's open units in all; 1 = refused (reported). */
static int wip_pair(struct lctx *c, struct table *t, struct allot_wip *w, const char **key)
{
	struct allot_scenario *s = c->s;
	if (!wip_month_ok(c, t, w))
		return 1;
	char pair[48];
	snprintf(pair, sizeof pair, "%d/%d", w->order, (int)w->month);
	int old = strmap_get(&c->map[F_WIP], pair);
	if (old >= 0) {
		table_err(t, 0,
			  "duplicate wip row for order \"%s\" and month %s "
			  "(first on line %ld)",
			  table_str(t, 0), table_str(t, 1), c->rowline[F_WIP][old]);
		return 1;
	}
	if (!c->wip_sum && !(c->wip_sum = mem_calloc(s->n_orders, sizeof *c->wip_sum)))
		return -1;
	const struct allot_order *o = &s->orders[w->order];
	int64_t open = o->qty - o->delivered;
	if (w->units > open - c->wip_sum[w->order]) {
		table_err(t, 2,
			  "expected the wip units of order \"%s\" to total at most "
			  "qty - delivered (%lld), found %lld more after %lld",
			  o->order_id, (long long)open, (long long)w->units,
			  (long long)c->wip_sum[w->order]);
		return 1;
	}
	c->wip_sum[w->order] += w->units;
	return (*key = own_key(c, pair)) ? 0 : -1;
}

/* ---- events.csv ---------------------------------------------------------- */

/* The type names what the target is and what the value must be
 * (allot_sc_event_rules, the one table of the loader, the store and the server). */
static int event_row(struct lctx *c, struct table *t)
{
	struct allot_event e = { 0 };
	char q[96];
	int bad = table_month(t, 0, &e.month);
	const char *type;
	if (table_key(t, 1, &type))
		return ALLOT_OK;
	int k = allot_sc_event_type(type);
	if (k < 0) {
		table_err(t, 1, "expected %s in type, found %s", allot_sc_enum_expect(SE_EVENT),
			  table_found(t, 1, q, sizeof q));
		return ALLOT_OK;
	}
	e.type = (enum allot_event_type)k;
	const struct sc_event_rule *sp = &allot_sc_event_rules[k];
	if (sp->target >= 0) {
		bad |= ref(c, t, 2, (enum lfile)sp->target, sp->what, &e.index);
	} else if (table_key(t, 2, &type) == 0 &&
		   (e.index = allot_criterion_parse(table_str(t, 2))) < 0) {
		table_err(t, 2,
			  "expected a criterion (investment, growth, "
			  "geography, operations or economic) in target, found %s",
			  table_found(t, 2, q, sizeof q));
		bad = -1;
	}
	const char *v;
	int flag = 0;
	int64_t tier = 0;
	if (sp->value == SC_EV_STATUS) {
		bad |= table_key(t, 3, &v) || table_eum(t, 3, &e.eum);
	} else if (sp->value == SC_EV_BOOL) {
		bad |= table_key(t, 3, &v) || table_bool(t, 3, &flag);
		e.num = flag;
	} else if (sp->value == SC_EV_TIER) {
		bad |= table_key(t, 3, &v) || table_int(t, 3, 0, ALLOT_MAX_TIERS, 0, &tier);
		e.num = (double)tier;
	} else {
		bad |= rnum(t, 3, sp->range, &e.num);
	}
	if (bad)
		return ALLOT_OK;
	const char *src[] = { table_str(t, 2), table_str(t, 3) };
	char **dst[] = { &e.target, &e.value };
	struct allot_scenario *s = c->s;
	if (push(c, F_EVENTS, &s->events, s->n_events, sizeof e) || dup_all(dst, src, 2))
		return ALLOT_ENOMEM;
	s->events[s->n_events++] = e;
	return ALLOT_OK;
}

/* ---- the files ----------------------------------------------------------- */

static const char *file_name(enum lfile f)
{
	return allot_sc_tables[f].file;
}

static int load_csv(struct lctx *c, enum lfile f)
{
	const struct sc_table *sp = &allot_sc_tables[f];
	struct tcol cols[TABLE_MAX_COLS];
	for (int k = 0; k < sp->ncols; k++)
		cols[k] = (struct tcol){ sp->cols[k].name, sp->cols[k].flags & (TC_REQ | TC_VAL) };
	parse_plan(c, f);
	char *path = mem_path_join(c->dir, sp->file);
	if (!path)
		return ALLOT_ENOMEM;
	struct table t;
	int rc = table_open(&t, path, cols, (size_t)sp->ncols, sp->present_bit >= 0, c->d);
	struct stat st;
	if (f == F_ORDERS && rc == ALLOT_OK && !c->s->id_block && stat(path, &st) == 0 &&
	    st.st_size > 0 && (uintmax_t)st.st_size < SIZE_MAX / 2) {
		c->orders_size = (size_t)st.st_size;
		/* untouched pages of it cost nothing; no block, no harm */
		if ((c->s->id_block = mem_alloc(c->orders_size + 1))) {
			c->s->id_block_size = c->orders_size + 1;
			mem_hint_huge(c->s->id_block, c->s->id_block_size);
		}
	}
	if (rc == ALLOT_ENOTFOUND) {
		c->complete |= 1u << f;
		rc = ALLOT_OK;
		goto done;
	}
	if (sp->present_bit >= 0 && rc != ALLOT_ENOMEM)
		c->s->present |= 1u << sp->present_bit;
	while (rc == ALLOT_OK && table_next(&t)) {
		rc = f == F_ORDERS   ? order_row(c, &t)
		     : f == F_EVENTS ? event_row(c, &t)
				     : sc_row_load(c, &t, f);
		if (c->oom)
			rc = ALLOT_ENOMEM;
	}
	if (rc == ALLOT_OK)
		rc = t.status;
	if (rc == ALLOT_OK && t.ragged == 0) /* skipped rows may hold keys */
		c->complete |= 1u << f;
	if (rc == ALLOT_ELIMIT)
		c->limit_hit = 1;
	if (rc != ALLOT_ENOMEM)
		rc = ALLOT_OK; /* reported; go on with the next file */
done:
	table_close(&t);
	mem_free(path);
	return rc;
}

/* ---- scenario.json ------------------------------------------------------- */

enum skind { SK_MONTH, SK_HORIZON, SK_FILE, SK_TEXT };

static const struct skey {
	const char *key;
	enum skind kind;
	size_t off; /* in struct allot_scenario */
	int required;
} skeys[] = {
	{ "as_of", SK_MONTH, offsetof(struct allot_scenario, as_of), 1 },
	{ "horizon_months", SK_HORIZON, offsetof(struct allot_scenario, horizon_months), 0 },
	{ "policy", SK_FILE, offsetof(struct allot_scenario, policy_file), 0 },
	{ "switch_month", SK_MONTH, offsetof(struct allot_scenario, switch_month), 0 },
	{ "notes", SK_TEXT, offsetof(struct allot_scenario, notes), 0 },
};
#define NSKEYS (sizeof skeys / sizeof *skeys)

static void jerr(struct lctx *c, const char *file, const char *text, const char *key,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void jerr(struct lctx *c, const char *file, const char *text, const char *key,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	json_diag_v(c->d, file, text, key, fmt, ap);
	va_end(ap);
}

/* A plain file name: no directory part, not hidden, no NUL. */
static int plain_name(const json_t *v)
{
	const char *s = json_string_value(v);
	return s && s[0] && s[0] != '.' && !strchr(s, '/') && strlen(s) == json_string_length(v);
}

static int scenario_key(struct lctx *c, const char *file, const char *text, const struct skey *k,
			const json_t *v)
{
	char found[128];
	void *dst = (char *)c->s + k->off;
	switch (k->kind) {
	case SK_MONTH:
		if (json_is_string(v) &&
		    allot_month_parse(json_string_value(v), (allot_month *)dst) == 0)
			return ALLOT_OK;
		json_shown(v, found, sizeof found);
		jerr(c, file, text, k->key, "expected a month \"YYYY-MM\" in %s, found %s", k->key,
		     found);
		return ALLOT_OK;
	case SK_HORIZON:
		if (json_is_integer(v) && json_integer_value(v) >= 1 &&
		    json_integer_value(v) <= 1200) {
			*(int *)dst = (int)json_integer_value(v);
			return ALLOT_OK;
		}
		json_shown(v, found, sizeof found);
		jerr(c, file, text, k->key, "expected an integer from 1 to 1200 in %s, found %s",
		     k->key, found);
		return ALLOT_OK;
	case SK_FILE:
	case SK_TEXT:
		if (k->kind == SK_FILE ? plain_name(v)
				       : json_is_string(v) && strlen(json_string_value(v)) ==
								      json_string_length(v)) {
			char **p = dst;
			mem_free(*p);
			*p = mem_strdup(json_string_value(v));
			return *p ? ALLOT_OK : ALLOT_ENOMEM;
		}
		json_shown(v, found, sizeof found);
		jerr(c, file, text, k->key, "expected %s in %s, found %s",
		     k->kind == SK_FILE ? "a file name in the scenario directory"
					: "a string without NUL characters",
		     k->key, found);
		return ALLOT_OK;
	}
	return ALLOT_OK;
}

static int load_scenario_json(struct lctx *c, int *policy_named)
{
	char *path = mem_path_join(c->dir, "scenario.json"), *text = NULL;
	json_t *j = NULL;
	if (!path)
		return ALLOT_ENOMEM;
	int rc = json_load_path(path, path, JSONP_UNIQUE_KEYS, 1, c->d, &j, &text);
	if (rc == ALLOT_ENOTFOUND)
		allot_diags_add(c->d, path, 0, 0,
				"expected a file scenario.json, found none (it is required)");
	if (rc) {
		rc = rc == ALLOT_ENOMEM ? rc : ALLOT_OK;
		goto done;
	}
	if (!json_is_object(j)) {
		char found[128];
		json_shown(j, found, sizeof found);
		jerr(c, path, NULL, NULL, "expected a JSON object, found %s", found);
		goto done;
	}
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v)
	{
		size_t k = 0;
		while (k < NSKEYS && strcmp(skeys[k].key, key) != 0)
			k++;
		if (k == NSKEYS) {
			jerr(c, path, text, key,
			     "unknown key \"%s\" in scenario.json; "
			     "expected one of as_of,horizon_months,policy,switch_month,notes",
			     key);
			continue;
		}
		if (skeys[k].kind == SK_FILE)
			*policy_named = 1;
		if ((rc = scenario_key(c, path, text, &skeys[k], v)) != 0)
			goto done;
	}
	for (size_t k = 0; k < NSKEYS; k++)
		if (skeys[k].required && !json_object_get(j, skeys[k].key))
			jerr(c, path, NULL, NULL, "missing required key \"%s\"", skeys[k].key);
done:
	json_decref(j);
	mem_free(text);
	mem_free(path);
	return rc;
}

static int load_policy(struct lctx *c, int named)
{
	char *path = mem_path_join(c->dir, c->s->policy_file), *text = NULL;
	json_t *j = NULL;
	if (!path)
		return ALLOT_ENOMEM;
	int rc = json_load_path(path, path, JSONP_UNIQUE_KEYS, 1, c->d, &j, &text);
	if (rc == ALLOT_ENOTFOUND) {
		rc = ALLOT_OK;
		if (named)
			allot_diags_add(c->d, path, 0, 0,
					"expected the policy file named in scenario.json, "
					"found none");
		else
			rc = allot_policy_default(&c->s->policy);
	} else if (rc == ALLOT_OK) {
		rc = policy_from_json(j, text, path, &c->s->policy, c->d);
		if (rc == ALLOT_EINPUT)
			rc = ALLOT_OK; /* reported */
	} else if (rc != ALLOT_ENOMEM) {
		rc = ALLOT_OK; /* reported */
	}
	json_decref(j);
	mem_free(text);
	mem_free(path);
	return rc;
}

/* ---- the whole directory ------------------------------------------------- */

static char *base_name(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && dir[b - 1] != '/')
		b--;
	return mem_strndup(dir + b, n - b);
}

static struct allot_scenario *scenario_new(const char *dir)
{
	struct allot_scenario *s = mem_calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->horizon_months = 180;
	s->as_of = ALLOT_NO_MONTH;
	s->switch_month = ALLOT_NO_MONTH;
	s->name = base_name(dir);
	s->policy_file = mem_strdup("policy.json");
	s->notes = mem_strdup("");
	if (!s->name || !s->policy_file || !s->notes) {
		allot_scenario_free(s);
		return NULL;
	}
	return s;
}

static void ctx_free(struct lctx *c)
{
	for (int f = 0; f < F_COUNT; f++) {
		strmap_free(&c->map[f]);
		mem_free(c->rowline[f]);
	}
	for (size_t i = 0; i < c->nkeys; i++)
		mem_free(c->keys[i]);
	mem_free(c->keys);
	mem_free(c->wip_sum);
	mem_free(c->refc);
}

int allot_scenario_load(const char *dir, struct allot_scenario **out, struct allot_diags *diags)
{
	struct allot_diags local;
	struct allot_diags *d = diags;
	if (!d) {
		allot_diags_init(&local);
		d = &local;
	}
	size_t before = allot_diags_count(d);
	struct lctx c = { .dir = dir, .d = d };
	strmap_init_keyed(&c.map[F_ORDERS], order_key, &c);
	int rc = ALLOT_OK;
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		allot_diags_add(d, dir, 0, 0, "expected a scenario directory, found %s",
				errno == ENOENT ? "nothing there" : "something else");
		rc = ALLOT_EINPUT;
		goto done;
	}
	/* Without search permission no file in it can be opened: say so once
	 * rather than once for every file. */
	if (access(dir, X_OK) != 0) {
		allot_diags_add(d, dir, 0, 0, "cannot read the scenario directory: %s",
				strerror(errno));
		rc = ALLOT_EIO;
		goto done;
	}
	if (!(c.s = scenario_new(dir))) {
		rc = ALLOT_ENOMEM;
		goto done;
	}
	int named = 0;
	if ((rc = load_scenario_json(&c, &named)) != 0 || (rc = load_policy(&c, named)) != 0)
		goto done;
	for (int f = 0; f < F_COUNT && rc == ALLOT_OK; f++)
		rc = f == F_ORDERS ? load_orders(&c) : load_csv(&c, (enum lfile)f);
	if (rc == ALLOT_OK && allot_diags_count(d) != before)
		rc = c.limit_hit ? ALLOT_ELIMIT : ALLOT_EINPUT;
	/* Every value was checked in place; this adds the sums (open units,
	 * the horizon's end, weights zeroed by events). */
	if (rc == ALLOT_OK)
		rc = scenario_check_ranges_dir(c.s, dir, d);
done:
	ctx_free(&c);
	if (rc == ALLOT_OK)
		*out = c.s;
	else
		allot_scenario_free(c.s);
	if (!diags)
		allot_diags_free(&local);
	return rc;
}
