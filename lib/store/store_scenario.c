/*
 * store_scenario.c - putting a scenario into the store and getting it back.
 *
 * put replaces the named scenario in one BEGIN IMMEDIATE transaction: the
 * old rows go (ON DELETE CASCADE from scenarios), the new ones are inserted
 * table by table with one prepared statement each, in file order (`seq`
 * 0, 1, ...).  Any failure rolls back, so the store is exactly as before.
 * References between tables are stored as keys (orders.iso3, ...), so the
 * tables read well in SQL; get turns them back into indices by row order,
 * and resolves events the way a loader does.  docs/store.md has the schema.
 */
#include "store_int.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <allot/schema.h>
#include "util/mem.h"
#include "util/strmap.h"

#define NAME_MAX_LEN 128

static const char *txt(const char *s)
{
	return s ? s : "";
}

/* Scenario names: 1..128 bytes of letters, digits, '.', '_' and '-', not
 * starting with '-' or '.' (they travel on command lines and in URLs). */
static int name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > NAME_MAX_LEN || name[0] == '-' || name[0] == '.')
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-") == n;
}

/* ---------------------------------------------------------------------- */
/* Checking a model before it is stored                                    */

struct check {
	const char *file;
	struct allot_diags *d;
	int bad;
};

static void want_index(struct check *c, const char *table, size_t row, const struct sc_col *col,
		       long v, long lo, size_t n)
{
	if (v >= lo && v < (long)n)
		return;
	allot_diags_add(c->d, c->file, 0, 0,
			"expected %s in %s row %zu to index one of %zu rows, found %ld",
			allot_sc_field_name(col), table, row + 1, n, v);
	c->bad = 1;
}

/* The field is col's, or what (NULL col: the scenario's own months); the
 * name is looked up only for a message. */
static void want_month(struct check *c, const char *table, size_t row, const struct sc_col *col,
		       const char *what, allot_month m)
{
	if (store_month_ok(m))
		return;
	allot_diags_add(c->d, c->file, 0, 0,
			"expected %s in %s row %zu to be a month 1000-01..9999-12 "
			"or none, found %ld",
			col ? allot_sc_field_name(col) : what, table, row + 1, (long)m);
	c->bad = 1;
}

/* The number of values of an SC_ENUM set (the model check's bound). */
static long enum_count(int e)
{
	switch (e) {
	case SE_EUM:
		return ALLOT_EUM_VIOLATION + 1;
	case SE_RATE_BASIS:
		return ALLOT_RATE_ESTIMATE + 1;
	case SE_SUPPLY:
		return ALLOT_SUPPLY_COUNT;
	case SE_CATEGORY:
		return ALLOT_CAT_COUNT;
	case SE_LOA_BASIS:
		return ALLOT_LOA_YEAR + 1;
	case SE_PURCHASES:
		return ALLOT_PURCHASES_TIV + 1;
	default:
		return ALLOT_EV_COUNT;
	}
}

/* Every reference indexes a row, every named value is one of its set and
 * every month is storable (the descriptors say which columns are which). */
static int check_model(const struct allot_scenario *s, const char *file, struct allot_diags *d)
{
	struct check c = { file, d, 0 };
	if (s->as_of == ALLOT_NO_MONTH)
		want_month(&c, "scenario", 0, NULL, "as_of", 1);
	want_month(&c, "scenario", 0, NULL, "as_of", s->as_of);
	want_month(&c, "scenario", 0, NULL, "switch_month", s->switch_month);
	for (int t = 0; t < SC_NTABS; t++) {
		const struct sc_table *tb = &allot_sc_tables[t];
		size_t n = sc_nrows(tb, s);
		for (size_t i = 0; i < n; i++) {
			const void *row = sc_row(tb, s, i);
			for (int k = 0; k < tb->ncols; k++) {
				const struct sc_col *col = &tb->cols[k];
				if (col->type == SC_REF)
					want_index(&c, tb->sql, i, col, (long)sc_get_int(row, col),
						   (col->flags & SC_STAR) ? -1 : 0,
						   sc_nrows(&allot_sc_tables[col->ref], s));
				else if (col->type == SC_ENUM)
					want_index(&c, tb->sql, i, col, (long)sc_get_int(row, col),
						   col->dflt < 0 ? -1 : 0,
						   (size_t)enum_count(col->ref));
				else if (col->type == SC_MONTH)
					want_month(
						&c, tb->sql, i, col, NULL,
						*(const allot_month *)sc_field((void *)row, col));
			}
		}
	}
	if (c.bad)
		return ALLOT_EINPUT;
	return allot_scenario_check_ranges(s, file, d);
}

/* ---------------------------------------------------------------------- */
/* Inserting rows: one table entry per scenario table                      */

/* True when column c of a row is stored as NULL (a month or a rank that is
 * none); bind_col binds those as NULL. */
static int col_null(const void *row, const struct sc_col *c)
{
	const char *p = (const char *)row + c->off;
	if (c->type == SC_MONTH)
		return *(const allot_month *)p == ALLOT_NO_MONTH;
	return c->type == SC_INT && (c->flags & SC_NULL) && sc_get_int(row, c) == c->dflt;
}

/* Binds column c of a row as parameter n; non-zero when the bind failed
 * (out of memory).  References are stored as the referenced row's key. */
static int bind_col(sqlite3_stmt *q, int n, const struct allot_scenario *s, const void *row,
		    const struct sc_col *c, char month[8])
{
	const char *p = (const char *)row + c->off;
	switch (c->type) {
	case SC_TEXT:
		return sqlite3_bind_text(q, n, txt(*(char *const *)p), -1, SQLITE_STATIC);
	case SC_ISO3:
		return sqlite3_bind_text(q, n, p, -1, SQLITE_STATIC);
	case SC_REF: {
		int i = *(const int *)p;
		const char *k = i < 0 && (c->flags & SC_STAR)
					? "*"
					: allot_sc_key(s, (enum sc_tab)c->ref, i);
		return sqlite3_bind_text(q, n, k, -1, SQLITE_STATIC);
	}
	case SC_NUM: /* SC_MISSING: unknown (NaN) is stored as -1 */
		return sqlite3_bind_double(q, n,
					   isnan(*(const double *)p) ? -1.0 : *(const double *)p);
	case SC_ENUM:
		return sqlite3_bind_text(q, n, allot_sc_enum_name(c->ref, *(const int *)p), -1,
					 SQLITE_STATIC);
	case SC_MONTH:
		return store_bind_month_static(q, n, *(const allot_month *)p, month);
	case SC_INT:
		if (col_null(row, c))
			return sqlite3_bind_null(q, n); /* partner_rank: none */
							/* fall through */
	case SC_BOOL:
	case SC_GRAMS:
	case SC_YEAR:
		return sqlite3_bind_int64(q, n, (sqlite3_int64)allot_sc_int_value(row, c));
	}
	return SQLITE_MISUSE;
}

struct put_ctx {
	const struct allot_scenario *s;
	const struct sc_table *t;
	int ncols, col[STORE_BATCH_MAX_WIDTH]; /* the columns stored, in table order */
};

/* Row i of a scenario table: its columns (store_batch.c binds its seq). */
static int bind_row(sqlite3_stmt *q, int base, size_t i, char (*months)[8], const void *ctx)
{
	const struct put_ctx *c = ctx;
	const void *row = sc_row(c->t, c->s, i);
	int b = 0;
	for (int k = 0; k < c->ncols && !b; k++)
		b = bind_col(q, base + k, c->s, row, &c->t->cols[c->col[k]], months[k]);
	return b;
}

/* True when a row's column c holds what SQL gives a column an INSERT leaves
 * out: NULL for an SC_NULL column (no DEFAULT), and for the other columns
 * added by a migration the DEFAULT allot_sc_sql_create gives them ('',
 * 0.0, the enum's or integer's dflt; not months or references, whose
 * DEFAULT is not what they bind). */
static int stored_default(const void *row, const struct sc_col *c)
{
	if (c->flags & SC_NULL)
		return col_null(row, c);
	return (c->flags & SC_TRAIL) && c->type != SC_MONTH && c->type != SC_REF &&
	       allot_sc_is_default(row, c);
}

static int all_default(const struct put_ctx *c, size_t n, const struct sc_col *col)
{
	size_t i = 0;
	while (i < n && stored_default(sc_row(c->t, c->s, i), col))
		i++;
	return i == n;
}

/* The columns a put names: all but those that hold, in every row, what
 * the column gets when left out (stored_default), which then cost no bind
 * and no VDBE work: orders.supply ('new'), max_per_month and not_before
 * (NULL) in most scenarios.  The names go into cols, "(scenario_id, seq,
 * ...)". */
static int put_columns(struct put_ctx *c, size_t n, char *cols, size_t len)
{
	size_t at = (size_t)snprintf(cols, len, "(scenario_id, seq");
	c->ncols = 0;
	for (int k = 0; k < c->t->ncols; k++) {
		const struct sc_col *col = &c->t->cols[k];
		if ((col->flags & (SC_NULL | SC_TRAIL)) && all_default(c, n, col))
			continue;
		c->col[c->ncols++] = k;
		int w = snprintf(cols + at, len - at, ", %s", col->sql ? col->sql : col->name);
		if (w < 0 || (size_t)w >= len - at)
			return -1;
		at += (size_t)w;
	}
	if (at + 2 > len)
		return -1;
	memcpy(cols + at, ")", 2);
	return 0;
}

/* Inserts table t's rows (store_batch.c: 64 a statement, a failed batch
 * again row by row so that the message names the row). */
static int put_rows(struct allot_store *st, int64_t sid, const struct allot_scenario *s,
		    const struct sc_table *t, struct allot_diags *d)
{
	char one[64], many[64], cols[STORE_BATCH_MAX_COLS_SQL];
	snprintf(one, sizeof one, "%s row", t->sql);
	snprintf(many, sizeof many, "%s rows", t->sql);
	struct put_ctx c = { .s = s, .t = t };
	size_t n = sc_nrows(t, s);
	if (t->ncols > STORE_BATCH_MAX_WIDTH || put_columns(&c, n, cols, sizeof cols) != 0)
		return ALLOT_ENOMEM; /* a table outgrew the buffers: a build error */
	struct store_rows r = { .table = t->sql,
				.cols = cols,
				.width = c.ncols,
				.key = sid,
				.n = n,
				.bind = bind_row,
				.ctx = &c,
				.row_what = one,
				.rows_what = many };
	return store_put_rows(st, &r, d);
}

/* Deleting children before parents, each by the scenario_id prefix of its
 * primary key, keeps a replace linear: a parent row's foreign-key check
 * then scans an empty range instead of a whole child table (the schema has
 * no indexes on child key columns; docs/store.md).  Every table that refers
 * to a scenario or a run is in this list: a put runs with foreign keys off
 * (put_scenario), so no ON DELETE CASCADE does it for a table left out
 * (test_store checks the list against the schema's foreign keys).  The
 * first, run_labels, is made on the first label (store_runs_edit.c). */
static const char *const delete_sql[] = {
	"DELETE FROM run_labels WHERE run_id IN"
	" (SELECT id FROM runs WHERE scenario_id = ?1)",
	"DELETE FROM run_allocations WHERE run_id IN"
	" (SELECT id FROM runs WHERE scenario_id = ?1)",
	"DELETE FROM run_orders WHERE run_id IN"
	" (SELECT id FROM runs WHERE scenario_id = ?1)",
	"DELETE FROM runs WHERE scenario_id = ?1",
	"DELETE FROM wip WHERE scenario_id = ?1",
	"DELETE FROM orders WHERE scenario_id = ?1",
	"DELETE FROM requests WHERE scenario_id = ?1",
	"DELETE FROM transfers WHERE scenario_id = ?1",
	"DELETE FROM bom WHERE scenario_id = ?1",
	"DELETE FROM supply WHERE scenario_id = ?1",
	"DELETE FROM investments WHERE scenario_id = ?1",
	"DELETE FROM events WHERE scenario_id = ?1",
	"DELETE FROM embargoes WHERE scenario_id = ?1",
	"DELETE FROM systems WHERE scenario_id = ?1",
	"DELETE FROM partners WHERE scenario_id = ?1",
	"DELETE FROM lines WHERE scenario_id = ?1",
	"DELETE FROM minerals WHERE scenario_id = ?1",
	"DELETE FROM scenarios WHERE id = ?1",
};

/* The id of the scenario called name in *sid; 0 when there is none (ids
 * start at 1). */
static int scenario_id(struct allot_store *st, const char *name, int64_t *sid,
		       struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st, "SELECT id FROM scenarios WHERE name = ?1", &q, d);
	if (rc)
		return rc;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	int s = sqlite3_step(q);
	*sid = s == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
	sqlite3_finalize(q);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return store_fail(st, d, "cannot look up the old scenario");
	return ALLOT_OK;
}

static int delete_scenario(struct allot_store *st, const char *name, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int64_t sid;
	int rc = scenario_id(st, name, &sid, d);
	if (rc || sid == 0)
		return rc; /* a new name */
	int labels = 0;
	if ((rc = store_prepare(st,
				"SELECT 1 FROM sqlite_schema WHERE type = 'table'"
				" AND name = 'run_labels'",
				&q, d)))
		return rc;
	int r = sqlite3_step(q);
	labels = r == SQLITE_ROW;
	sqlite3_finalize(q);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_fail(st, d, "cannot delete the old scenario");
	for (size_t i = !labels; i < sizeof delete_sql / sizeof *delete_sql; i++) {
		if ((rc = store_prepare(st, delete_sql[i], &q, d)))
			return rc;
		sqlite3_bind_int64(q, 1, sid);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = store_fail(st, d, "cannot delete the old scenario");
		sqlite3_finalize(q);
		if (rc)
			return rc;
	}
	return ALLOT_OK;
}

static int put_header(struct allot_store *st, const char *name, const struct allot_scenario *s,
		      const char *policy, int64_t *sid, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = delete_scenario(st, name, d);
	if (rc)
		return rc;
	rc = store_prepare(st,
			   "INSERT INTO scenarios (name, as_of, horizon_months,"
			   " switch_month, policy_file, notes, policy_json, present,"
			   " created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
			   &q, d);
	if (rc)
		return rc;
	char now[32];
	store_now(now);
	if (sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC) || store_bind_month(q, 2, s->as_of) ||
	    sqlite3_bind_int64(q, 3, s->horizon_months) ||
	    store_bind_month(q, 4, s->switch_month) ||
	    sqlite3_bind_text(q, 5, txt(s->policy_file), -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(q, 6, txt(s->notes), -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(q, 7, policy, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(q, 8, s->present) ||
	    sqlite3_bind_text(q, 9, now, -1, SQLITE_STATIC) || sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, d, "cannot store the scenario");
	else
		*sid = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(q);
	return rc;
}

/* Stores s as name; with exists non-NULL only when the name is free, which
 * is checked inside the write transaction (no other writer can take the
 * name between the check and the commit). */
static int put_scenario(struct allot_store *st, const char *name, const struct allot_scenario *s,
			int *exists, struct allot_diags *diags)
{
	if (!name_ok(name)) {
		allot_diags_add(diags, st->path, 0, 0,
				"expected a scenario name of 1-%d letters, digits, '.', "
				"'_' or '-' (not first), found '%s'",
				NAME_MAX_LEN, txt(name));
		return ALLOT_EINPUT;
	}
	char *policy = NULL;
	int rc = check_model(s, st->path, diags);
	if (rc == ALLOT_OK)
		rc = store_policy_to_json(&s->policy, &policy, diags, st->path);
	if (rc != ALLOT_OK)
		return rc;
	/* The rows' references are right by construction: check_model found
	 * every index in range, and each is bound as the key of a row put
	 * before it in this transaction.  SQLite's check of each (two index
	 * lookups per order) was a quarter of a big put's time, so it is off
	 * for the put; store_begin turns it back on for whatever this handle
	 * does next.  (The pragma is a no-op inside a transaction.) */
	if (sqlite3_get_autocommit(st->db)) {
		if ((rc = store_exec(st, "PRAGMA foreign_keys = OFF", diags)) != ALLOT_OK)
			goto done;
		st->fk_off = 1;
	}
	if ((rc = store_put_cache(st, 1, diags)) != ALLOT_OK ||
	    (rc = store_exec(st, "BEGIN IMMEDIATE", diags)) != ALLOT_OK)
		goto done;
	int64_t sid = 0;
	if (exists) {
		rc = scenario_id(st, name, &sid, diags);
		*exists = sid != 0;
		if (rc == ALLOT_OK && *exists)
			rc = ALLOT_EINPUT;
	}
	if (rc == ALLOT_OK)
		rc = put_header(st, name, s, policy, &sid, diags);
	/* Parents before children (sc_tab order), so that foreign keys find
	 * their rows. */
	for (int t = 0; rc == ALLOT_OK && t < SC_NTABS; t++)
		rc = put_rows(st, sid, s, &allot_sc_tables[t], diags);
	if (rc == ALLOT_OK)
		rc = store_commit(st, diags);
	if (rc != ALLOT_OK)
		store_rollback(st);
done:
	store_put_cache(st, 0, diags);
	store_fk_on(st);
	mem_free(policy);
	return rc;
}

int allot_store_put_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s, struct allot_diags *diags)
{
	return put_scenario(st, name, s, NULL, diags);
}

int allot_store_add_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s, int *exists, struct allot_diags *diags)
{
	*exists = 0;
	return put_scenario(st, name, s, exists, diags);
}

/* ---------------------------------------------------------------------- */
/* Reading rows back                                                       */

struct reader {
	struct allot_store *st;
	struct allot_scenario *s;
	struct allot_diags *d;
	struct strmap map[SC_NTABS]; /* key -> row, built on a first reference */
	int indexed[SC_NTABS];
	const char *table; /* for messages */
	size_t row;
};

/* Appends a zeroed element to *arr (counted by *n) and returns it; NULL
 * when memory runs out.  The capacity is implied by the count: mem_grow
 * starts at 8 and doubles, so the array is full at 0 and at every power of
 * two from 8 on. */
static void *push(void *arr, size_t *n, size_t sz)
{
	void **pa = arr;
	size_t cap = *n;
	int full = *n == 0 || (*n >= 8 && (*n & (*n - 1)) == 0);
	if (full && mem_grow(pa, &cap, *n + 1, sz))
		return NULL;
	char *e = (char *)*pa + *n * sz;
	memset(e, 0, sz);
	(*n)++;
	return e;
}

/* Copies a text column; -1 on allocation failure. */
static int col_dup(sqlite3_stmt *q, int col, char **out)
{
	const char *v = (const char *)sqlite3_column_text(q, col);
	if (!v && sqlite3_column_type(q, col) != SQLITE_NULL)
		return -1; /* SQLite ran out of memory converting it */
	*out = mem_strdup(v ? v : "");
	return *out ? 0 : -1;
}

static int bad_row(struct reader *r, const char *what, const char *found)
{
	allot_diags_add(r->d, r->st->path, 0, 0,
			"expected %s in %s row %zu, found '%s' (the store is damaged)", what,
			r->table, r->row + 1, found ? found : "");
	return ALLOT_ESTORE;
}

/* The key map of table t (keys borrowed from the model), built when first
 * needed: a scenario without work in progress never maps its orders. */
static const struct strmap *key_map(struct reader *r, enum sc_tab t)
{
	if (r->indexed[t])
		return &r->map[t];
	const struct sc_table *tb = &allot_sc_tables[t];
	size_t n = sc_nrows(tb, r->s);
	for (size_t i = 0; i < n; i++)
		if (strmap_put(&r->map[t], allot_sc_key(r->s, t, (long)i), (int)i, NULL) < 0)
			return NULL;
	r->indexed[t] = 1;
	return &r->map[t];
}

static int ref(struct reader *r, sqlite3_stmt *q, int col, enum sc_tab t, const char *what,
	       int *out)
{
	const struct strmap *m = key_map(r, t);
	if (!m)
		return ALLOT_ENOMEM;
	const char *k = (const char *)sqlite3_column_text(q, col);
	*out = k ? strmap_get(m, k) : -1;
	return *out < 0 ? bad_row(r, what, k) : ALLOT_OK;
}

static int month(struct reader *r, sqlite3_stmt *q, int col, allot_month *out)
{
	if (store_column_month(q, col, out) == 0)
		return ALLOT_OK;
	return bad_row(r, "a month YYYY-MM", (const char *)sqlite3_column_text(q, col));
}

/* Reads column k of the current row into the row struct. */
static int read_col(struct reader *r, sqlite3_stmt *q, int k, void *row, const struct sc_col *c)
{
	char *p = (char *)row + c->off;
	const char *v;
	switch (c->type) {
	case SC_TEXT:
		return col_dup(q, k, (char **)p) ? ALLOT_ENOMEM : ALLOT_OK;
	case SC_ISO3:
		v = (const char *)sqlite3_column_text(q, k);
		if (!v || strlen(v) != 3) {
			char what[48];
			snprintf(what, sizeof what, "a 3-letter %s", c->name);
			return bad_row(r, what, v);
		}
		memcpy(p, v, 4);
		return ALLOT_OK;
	case SC_REF:
		v = (const char *)sqlite3_column_text(q, k);
		if ((c->flags & SC_STAR) && v && strcmp(v, "*") == 0) {
			*(int *)p = -1;
			return ALLOT_OK;
		}
		return ref(r, q, k, (enum sc_tab)c->ref,
			   (c->flags & SC_STAR) ? "a mineral_id or *"
						: allot_sc_tables[c->ref].store_what,
			   (int *)p);
	case SC_NUM:
		*(double *)p = sqlite3_column_double(q, k);
		if ((c->flags & SC_MISSING) && *(double *)p == -1.0)
			*(double *)p = NAN; /* unknown */
		return ALLOT_OK;
	case SC_MONTH:
		return month(r, q, k, (allot_month *)p);
	case SC_ENUM: {
		int e;
		v = (const char *)sqlite3_column_text(q, k);
		if (allot_sc_enum_parse(c->ref, v ? v : "", &e) != 0 ||
		    (!v && c->ref != SE_SUPPLY && c->ref != SE_CATEGORY))
			return bad_row(r, allot_sc_enum_what(c->ref), v);
		*(int *)p = e;
		return ALLOT_OK;
	}
	case SC_INT:
		if ((c->flags & SC_NULL) && sqlite3_column_type(q, k) == SQLITE_NULL) {
			sc_set_int(row, c, c->dflt);
			return ALLOT_OK;
		}
		/* fall through */
	case SC_BOOL:
	case SC_GRAMS:
	case SC_YEAR: {
		int64_t x = sqlite3_column_int64(q, k);
		sc_set_int(row, c, (c->flags & SC_INVERT) ? !x : x);
		return ALLOT_OK;
	}
	}
	return ALLOT_OK;
}

static int find_key(const void *ctx, enum sc_tab t, const char *key)
{
	struct reader *r = (struct reader *)ctx;
	const struct strmap *m = key_map(r, t);
	return m ? strmap_get(m, key) : -1;
}

/* Resolves an event as a loader does (allot.h, struct allot_event): the
 * target by the type's rule (schema.c), the value as a number or status. */
static void event_resolve(struct reader *r, struct allot_event *e)
{
	e->index = allot_sc_event_target(r->s, e->type, e->target, find_key, r);
	if (allot_sc_event_rules[e->type].value == SC_EV_STATUS) {
		if (allot_eum_parse(e->value, &e->eum) != 0)
			e->eum = ALLOT_EUM_COMPLIANT;
	} else {
		e->num = strtod(e->value, NULL);
	}
}

/* One row of table t: its columns, then what derives from them. */
static int get_row(struct reader *r, sqlite3_stmt *q, enum sc_tab t)
{
	const struct sc_table *tb = &allot_sc_tables[t];
	size_t *n = (size_t *)((char *)r->s + tb->n_off);
	void *row = push((char *)r->s + tb->arr_off, n, tb->row_size);
	if (!row)
		return ALLOT_ENOMEM;
	int rc = ALLOT_OK;
	for (int k = 0; k < tb->ncols && rc == ALLOT_OK; k++)
		rc = read_col(r, q, k, row, &tb->cols[k]);
	if (rc != ALLOT_OK)
		return rc;
	if (t == SC_EVENTS) {
		event_resolve(r, row);
	} else if (t == SC_TRANSFERS) {
		struct allot_transfer *x = row;
		x->to = find_key(r, SC_PARTNERS, x->to_iso3);
	}
	return ALLOT_OK;
}

static int get_rows(struct reader *r, int64_t sid, enum sc_tab t)
{
	const struct sc_table *tb = &allot_sc_tables[t];
	char cols[512], sql[700];
	if (allot_sc_sql_select_cols(tb, cols, sizeof cols) != 0)
		return ALLOT_ENOMEM;
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE scenario_id = ?1 ORDER BY seq", cols,
		 tb->sql);
	sqlite3_stmt *q;
	int rc = store_prepare(r->st, sql, &q, r->d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, sid);
	r->table = tb->sql;
	r->row = 0;
	int s = SQLITE_DONE;
	while (rc == ALLOT_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
		rc = get_row(r, q, t);
		r->row++;
	}
	if (rc == ALLOT_OK && s != SQLITE_DONE) {
		char what[64];
		snprintf(what, sizeof what, "cannot read %s", tb->sql);
		rc = store_fail(r->st, r->d, what);
	}
	sqlite3_finalize(q);
	return rc;
}

static int get_header(struct reader *r, int64_t sid)
{
	sqlite3_stmt *q;
	int rc = store_prepare(r->st,
			       "SELECT as_of, horizon_months, switch_month,"
			       " policy_file, notes, policy_json, present"
			       " FROM scenarios WHERE id = ?1",
			       &q, r->d);
	if (rc)
		return rc;
	struct allot_scenario *s = r->s;
	sqlite3_bind_int64(q, 1, sid);
	r->table = "scenarios";
	r->row = 0;
	if (sqlite3_step(q) != SQLITE_ROW) {
		rc = store_fail(r->st, r->d, "cannot read the scenario");
		goto done;
	}
	s->horizon_months = sqlite3_column_int(q, 1);
	s->present = (unsigned)sqlite3_column_int64(q, 6);
	if (col_dup(q, 3, &s->policy_file) || col_dup(q, 4, &s->notes)) {
		rc = ALLOT_ENOMEM;
		goto done;
	}
	if ((rc = month(r, q, 0, &s->as_of)) || (rc = month(r, q, 2, &s->switch_month)))
		goto done;
	const char *pj = (const char *)sqlite3_column_text(q, 5);
	rc = pj ? store_policy_from_json(pj, &s->policy, r->d, r->st->path) : ALLOT_ENOMEM;
done:
	sqlite3_finalize(q);
	return rc;
}

static int get_scenario(struct reader *r, const char *name)
{
	int64_t sid = 0;
	int rc = store_resolve(r->st, name, &sid, &r->s->name, r->d);
	if (rc == ALLOT_OK)
		rc = get_header(r, sid);
	/* In sc_tab order: a table's references are read before it. */
	for (int t = 0; rc == ALLOT_OK && t < SC_NTABS; t++)
		rc = get_rows(r, sid, (enum sc_tab)t);
	return rc;
}

int allot_store_get_scenario(struct allot_store *st, const char *name, struct allot_scenario **out,
			     struct allot_diags *diags)
{
	*out = NULL;
	struct reader r = { .st = st, .d = diags };
	for (int t = 0; t < SC_NTABS; t++)
		strmap_init(&r.map[t]);
	if (!(r.s = mem_calloc(1, sizeof *r.s)))
		return ALLOT_ENOMEM;
	/* One read transaction: every table from the same snapshot. */
	int rc = store_begin(st, 0, diags);
	if (rc == ALLOT_OK) {
		rc = get_scenario(&r, name);
		store_rollback(st);
	}
	for (int t = 0; t < SC_NTABS; t++)
		strmap_free(&r.map[t]);
	/* A store written by an older allot may hold values past the ranges
	 * the planner can honour: refused, like the same values in files. */
	if (rc == ALLOT_OK)
		rc = allot_scenario_check_ranges(r.s, st->path, diags);
	if (rc != ALLOT_OK) {
		allot_scenario_free(r.s);
		return rc;
	}
	*out = r.s;
	return ALLOT_OK;
}
