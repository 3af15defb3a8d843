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

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/strmap.h"

#define NAME_MAX_LEN 128

static const char *txt(const char *s) { return s ? s : ""; }

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

static void want_index(struct check *c, const char *table, size_t row,
		       const char *what, long v, long lo, size_t n)
{
	if (v >= lo && v < (long)n)
		return;
	allot_diags_add(c->d, c->file, 0, 0,
			"expected %s in %s row %zu to index one of %zu rows, found %ld",
			what, table, row + 1, n, v);
	c->bad = 1;
}

static void want_month(struct check *c, const char *table, size_t row,
		       const char *what, allot_month m)
{
	if (store_month_ok(m))
		return;
	allot_diags_add(c->d, c->file, 0, 0,
			"expected %s in %s row %zu to be a month 1000-01..9999-12 "
			"or none, found %ld", what, table, row + 1, (long)m);
	c->bad = 1;
}

static int check_model(const struct allot_scenario *s, const char *file,
		       struct allot_diags *d)
{
	struct check c = { file, d, 0 };
	if (s->as_of == ALLOT_NO_MONTH)
		want_month(&c, "scenario", 0, "as_of", 1);
	want_month(&c, "scenario", 0, "as_of", s->as_of);
	want_month(&c, "scenario", 0, "switch_month", s->switch_month);
	for (size_t i = 0; i < s->n_partners; i++)
		want_index(&c, "partners", i, "eum_status", s->partners[i].eum_status, 0, 3);
	for (size_t i = 0; i < s->n_systems; i++)
		want_index(&c, "systems", i, "line", s->systems[i].line, 0, s->n_lines);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		want_index(&c, "orders", i, "partner", o->partner, 0, s->n_partners);
		want_index(&c, "orders", i, "system", o->system, 0, s->n_systems);
		want_month(&c, "orders", i, "loa_month", o->loa_month);
		want_month(&c, "orders", i, "need_month", o->need_month);
		want_index(&c, "orders", i, "supply", o->supply, 0, ALLOT_SUPPLY_COUNT);
	}
	for (size_t i = 0; i < s->n_wip; i++) {
		want_index(&c, "wip", i, "order", s->wip[i].order, 0, s->n_orders);
		want_month(&c, "wip", i, "month", s->wip[i].month);
	}
	for (size_t i = 0; i < s->n_supply; i++)
		want_index(&c, "supply", i, "mineral", s->supply[i].mineral, 0, s->n_minerals);
	for (size_t i = 0; i < s->n_bom; i++) {
		want_index(&c, "bom", i, "system", s->bom[i].system, 0, s->n_systems);
		want_index(&c, "bom", i, "mineral", s->bom[i].mineral, 0, s->n_minerals);
	}
	for (size_t i = 0; i < s->n_events; i++) {
		want_index(&c, "events", i, "type", s->events[i].type, 0, ALLOT_EV_COUNT);
		want_month(&c, "events", i, "month", s->events[i].month);
	}
	for (size_t i = 0; i < s->n_investments; i++) {
		const struct allot_investment *v = &s->investments[i];
		want_index(&c, "investments", i, "partner", v->partner, 0, s->n_partners);
		want_index(&c, "investments", i, "line", v->line, 0, s->n_lines);
		want_month(&c, "investments", i, "month", v->month);
		want_month(&c, "investments", i, "online_month", v->online_month);
	}
	for (size_t i = 0; i < s->n_embargoes; i++) {
		const struct allot_embargo *e = &s->embargoes[i];
		want_index(&c, "embargoes", i, "mineral", e->mineral, -1, s->n_minerals);
		want_month(&c, "embargoes", i, "start_month", e->start_month);
		want_month(&c, "embargoes", i, "end_month", e->end_month);
	}
	for (size_t i = 0; i < s->n_requests; i++) {
		const struct allot_request *r = &s->requests[i];
		want_index(&c, "requests", i, "partner", r->partner, 0, s->n_partners);
		want_index(&c, "requests", i, "system", r->system, 0, s->n_systems);
		want_index(&c, "requests", i, "category", r->category, -1, ALLOT_CAT_COUNT);
		want_month(&c, "requests", i, "lor_month", r->lor_month);
	}
	for (size_t i = 0; i < s->n_transfers; i++) {
		const struct allot_transfer *x = &s->transfers[i];
		want_index(&c, "transfers", i, "from", x->from, 0, s->n_partners);
		want_index(&c, "transfers", i, "system", x->system, 0, s->n_systems);
		want_month(&c, "transfers", i, "request_month", x->request_month);
	}
	if (c.bad)
		return ALLOT_EINPUT;
	return allot_scenario_check_ranges(s, file, d);
}

/* ---------------------------------------------------------------------- */
/* Inserting rows: one table entry per scenario table                      */

/* Binds row i's columns from parameter 3 on (1 = scenario_id, 2 = seq);
 * returns non-zero when a bind failed (out of memory). */
typedef int bind_fn(sqlite3_stmt *q, const struct allot_scenario *s, size_t i);

#define TXT(n, v) sqlite3_bind_text(q, (n), txt(v), -1, SQLITE_STATIC)
#define INT(n, v) sqlite3_bind_int64(q, (n), (sqlite3_int64)(v))
#define DBL(n, v) sqlite3_bind_double(q, (n), (v))
#define MON(n, v) store_bind_month(q, (n), (v))

static int bind_partner(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_partner *p = &s->partners[i];
	return TXT(3, p->iso3) | TXT(4, p->name) | TXT(5, p->region) |
	       TXT(6, p->alliance) | INT(7, p->frontline) |
	       DBL(8, p->defense_pct_gdp) | DBL(9, p->real_growth_3y_pct) |
	       DBL(10, p->us_troops) | INT(11, p->basing_access) |
	       DBL(12, p->us_purchases_5y_usd) | DBL(13, p->invest_in_us_usd) |
	       TXT(14, allot_eum_name(p->eum_status)) | INT(15, p->defense_year) |
	       INT(16, p->growth_year);
}

static int bind_line(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_line *l = &s->lines[i];
	return TXT(3, l->line_id) | TXT(4, l->name) | DBL(5, l->rate_per_month) |
	       DBL(6, l->us_share) | TXT(7, allot_rate_basis_name(l->rate_basis));
}

static int bind_system(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_system *y = &s->systems[i];
	return TXT(3, y->system_id) | TXT(4, y->name) |
	       TXT(5, s->lines[y->line].line_id) | DBL(6, y->unit_cost_usd) |
	       INT(7, y->lead_months) | INT(8, y->eeum) | INT(9, y->catalog) |
	       TXT(10, y->foreign_alternative) | INT(11, !y->not_mde);
}

static int bind_order(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_order *o = &s->orders[i];
	int rc = TXT(3, o->order_id) | TXT(4, s->partners[o->partner].iso3) |
		 TXT(5, s->systems[o->system].system_id) | INT(6, o->qty) |
		 INT(7, o->delivered) | MON(8, o->loa_month) | MON(9, o->need_month);
	rc |= TXT(11, allot_supply_type_name((enum allot_supply_type)o->supply));
	return rc | (o->partner_rank == -1 ? sqlite3_bind_null(q, 10)
					   : INT(10, o->partner_rank));
}

static int bind_wip(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_wip *w = &s->wip[i];
	return TXT(3, s->orders[w->order].order_id) | MON(4, w->month) | INT(5, w->units);
}

static int bind_mineral(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_mineral *m = &s->minerals[i];
	return TXT(3, m->mineral_id) | TXT(4, m->name) | INT(5, m->stock_g) |
	       DBL(6, m->price_usd_per_kg);
}

static int bind_supply(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_supply *u = &s->supply[i];
	return TXT(3, s->minerals[u->mineral].mineral_id) | TXT(4, u->source) |
	       INT(5, u->g_per_month);
}

static int bind_bom(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_bom *b = &s->bom[i];
	return TXT(3, s->systems[b->system].system_id) |
	       TXT(4, s->minerals[b->mineral].mineral_id) | INT(5, b->g_per_unit);
}

static int bind_event(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_event *e = &s->events[i];
	return MON(3, e->month) | TXT(4, allot_event_type_name(e->type)) |
	       TXT(5, e->target) | TXT(6, e->value);
}

static int bind_investment(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_investment *v = &s->investments[i];
	return TXT(3, s->partners[v->partner].iso3) | TXT(4, s->lines[v->line].line_id) |
	       DBL(5, v->usd) | MON(6, v->month) | DBL(7, v->added_rate) |
	       MON(8, v->online_month);
}

static int bind_embargo(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_embargo *e = &s->embargoes[i];
	return TXT(3, e->source) |
	       TXT(4, e->mineral < 0 ? "*" : s->minerals[e->mineral].mineral_id) |
	       MON(5, e->start_month) | MON(6, e->end_month);
}

static int bind_request(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_request *r = &s->requests[i];
	return TXT(3, r->request_id) | TXT(4, s->partners[r->partner].iso3) |
	       TXT(5, s->systems[r->system].system_id) | INT(6, r->qty) |
	       MON(7, r->lor_month) | DBL(8, r->value_usd) |
	       TXT(9, allot_case_category_name(r->category));
}

static int bind_transfer(sqlite3_stmt *q, const struct allot_scenario *s, size_t i)
{
	const struct allot_transfer *x = &s->transfers[i];
	return TXT(3, x->transfer_id) | TXT(4, s->partners[x->from].iso3) |
	       TXT(5, x->to_iso3) | TXT(6, s->systems[x->system].system_id) |
	       INT(7, x->qty) | MON(8, x->request_month);
}

#undef TXT
#undef INT
#undef DBL
#undef MON

struct put_table {
	const char *name;
	const char *sql;
	size_t count_off; /* offsetof the row count in struct allot_scenario */
	bind_fn *bind;
};

#define N(f) offsetof(struct allot_scenario, f)
/* Parents before children, so that foreign keys find their rows. */
static const struct put_table put_tables[] = {
	{ "partners", "INSERT INTO partners VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
	  N(n_partners), bind_partner },
	{ "lines", "INSERT INTO lines VALUES (?1,?2,?3,?4,?5,?6,?7)", N(n_lines), bind_line },
	{ "systems", "INSERT INTO systems VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	  N(n_systems), bind_system },
	{ "orders", "INSERT INTO orders VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	  N(n_orders), bind_order },
	{ "wip", "INSERT INTO wip VALUES (?1,?2,?3,?4,?5)", N(n_wip), bind_wip },
	{ "minerals", "INSERT INTO minerals VALUES (?1,?2,?3,?4,?5,?6)",
	  N(n_minerals), bind_mineral },
	{ "supply", "INSERT INTO supply VALUES (?1,?2,?3,?4,?5)", N(n_supply), bind_supply },
	{ "bom", "INSERT INTO bom VALUES (?1,?2,?3,?4,?5)", N(n_bom), bind_bom },
	{ "events", "INSERT INTO events VALUES (?1,?2,?3,?4,?5,?6)", N(n_events), bind_event },
	{ "investments", "INSERT INTO investments VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
	  N(n_investments), bind_investment },
	{ "embargoes", "INSERT INTO embargoes VALUES (?1,?2,?3,?4,?5,?6)",
	  N(n_embargoes), bind_embargo },
	{ "requests", "INSERT INTO requests VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	  N(n_requests), bind_request },
	{ "transfers", "INSERT INTO transfers VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
	  N(n_transfers), bind_transfer },
};
#undef N

static size_t count_of(const struct allot_scenario *s, size_t off)
{
	return *(const size_t *)((const char *)s + off);
}

static int put_rows(struct allot_store *st, int64_t sid, const struct allot_scenario *s,
		    const struct put_table *t, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st, t->sql, &q, d);
	if (rc)
		return rc;
	size_t n = count_of(s, t->count_off);
	sqlite3_bind_int64(q, 1, sid);
	for (size_t i = 0; i < n; i++) {
		if (sqlite3_bind_int64(q, 2, (sqlite3_int64)i) || t->bind(q, s, i) ||
		    sqlite3_step(q) != SQLITE_DONE) {
			char what[96];
			snprintf(what, sizeof what, "cannot store %s row %zu", t->name, i + 1);
			rc = store_fail(st, d, what);
			break;
		}
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc;
}

/* Deleting children before parents, each by the scenario_id prefix of its
 * primary key, keeps a replace linear: a parent row's foreign-key check
 * then scans an empty range instead of a whole child table (the schema has
 * no indexes on child key columns; docs/store.md). */
static const char *const delete_sql[] = {
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

static int delete_scenario(struct allot_store *st, const char *name,
			   struct allot_diags *d)
{
	sqlite3_stmt *q;
	int64_t sid;
	int rc = scenario_id(st, name, &sid, d);
	if (rc || sid == 0)
		return rc; /* a new name */
	for (size_t i = 0; i < sizeof delete_sql / sizeof *delete_sql; i++) {
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

static int put_header(struct allot_store *st, const char *name,
		      const struct allot_scenario *s, const char *policy,
		      int64_t *sid, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = delete_scenario(st, name, d);
	if (rc)
		return rc;
	rc = store_prepare(st, "INSERT INTO scenarios (name, as_of, horizon_months,"
			       " switch_month, policy_file, notes, policy_json, present,"
			       " created_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)", &q, d);
	if (rc)
		return rc;
	char now[32];
	store_now(now);
	if (sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC) ||
	    store_bind_month(q, 2, s->as_of) ||
	    sqlite3_bind_int64(q, 3, s->horizon_months) ||
	    store_bind_month(q, 4, s->switch_month) ||
	    sqlite3_bind_text(q, 5, txt(s->policy_file), -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(q, 6, txt(s->notes), -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(q, 7, policy, -1, SQLITE_STATIC) ||
	    sqlite3_bind_int64(q, 8, s->present) ||
	    sqlite3_bind_text(q, 9, now, -1, SQLITE_STATIC) ||
	    sqlite3_step(q) != SQLITE_DONE)
		rc = store_fail(st, d, "cannot store the scenario");
	else
		*sid = sqlite3_last_insert_rowid(st->db);
	sqlite3_finalize(q);
	return rc;
}

/* Stores s as name; with exists non-NULL only when the name is free, which
 * is checked inside the write transaction (no other writer can take the
 * name between the check and the commit). */
static int put_scenario(struct allot_store *st, const char *name,
			const struct allot_scenario *s, int *exists,
			struct allot_diags *diags)
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
	if ((rc = store_begin(st, 1, diags)) != ALLOT_OK)
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
	for (size_t t = 0; rc == ALLOT_OK && t < sizeof put_tables / sizeof *put_tables; t++)
		rc = put_rows(st, sid, s, &put_tables[t], diags);
	if (rc == ALLOT_OK)
		rc = store_commit(st, diags);
	if (rc != ALLOT_OK)
		store_rollback(st);
done:
	mem_free(policy);
	return rc;
}

int allot_store_put_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s,
			     struct allot_diags *diags)
{
	return put_scenario(st, name, s, NULL, diags);
}

int allot_store_add_scenario(struct allot_store *st, const char *name,
			     const struct allot_scenario *s, int *exists,
			     struct allot_diags *diags)
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
	struct strmap partners, systems, lines, minerals;
	struct strmap orders; /* built on the first wip row only */
	int orders_indexed;
	const char *table; /* for messages */
	size_t row;
};

typedef int row_fn(struct reader *r, sqlite3_stmt *q);

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
			"expected %s in %s row %zu, found '%s' (the store is damaged)",
			what, r->table, r->row + 1, found ? found : "");
	return ALLOT_ESTORE;
}

static int ref(struct reader *r, sqlite3_stmt *q, int col, const struct strmap *m,
	       const char *what, int *out)
{
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

#define PUSH(arr, n) push(&(arr), &(n), sizeof *(arr))

static int row_partner(struct reader *r, sqlite3_stmt *q)
{
	struct allot_partner *p = PUSH(r->s->partners, r->s->n_partners);
	if (!p)
		return ALLOT_ENOMEM;
	const char *iso = (const char *)sqlite3_column_text(q, 0);
	snprintf(p->iso3, sizeof p->iso3, "%s", iso ? iso : "");
	if (col_dup(q, 1, &p->name) || col_dup(q, 2, &p->region) ||
	    col_dup(q, 3, &p->alliance))
		return ALLOT_ENOMEM;
	p->frontline = sqlite3_column_int(q, 4);
	p->defense_pct_gdp = sqlite3_column_double(q, 5);
	p->real_growth_3y_pct = sqlite3_column_double(q, 6);
	p->us_troops = sqlite3_column_double(q, 7);
	p->basing_access = sqlite3_column_int(q, 8);
	p->us_purchases_5y_usd = sqlite3_column_double(q, 9);
	p->invest_in_us_usd = sqlite3_column_double(q, 10);
	p->defense_year = sqlite3_column_int(q, 12);
	p->growth_year = sqlite3_column_int(q, 13);
	const char *eum = (const char *)sqlite3_column_text(q, 11);
	if (!eum || allot_eum_parse(eum, &p->eum_status))
		return bad_row(r, "an end-use status", eum);
	return ALLOT_OK;
}

static int row_line(struct reader *r, sqlite3_stmt *q)
{
	struct allot_line *l = PUSH(r->s->lines, r->s->n_lines);
	if (!l || col_dup(q, 0, &l->line_id) || col_dup(q, 1, &l->name))
		return ALLOT_ENOMEM;
	l->rate_per_month = sqlite3_column_double(q, 2);
	l->us_share = sqlite3_column_double(q, 3);
	const char *basis = (const char *)sqlite3_column_text(q, 4);
	if (!basis || allot_rate_basis_parse(basis, &l->rate_basis))
		return bad_row(r, "a rate basis", basis);
	return ALLOT_OK;
}

static int row_system(struct reader *r, sqlite3_stmt *q)
{
	struct allot_system *y = PUSH(r->s->systems, r->s->n_systems);
	if (!y || col_dup(q, 0, &y->system_id) || col_dup(q, 1, &y->name) ||
	    col_dup(q, 7, &y->foreign_alternative))
		return ALLOT_ENOMEM;
	y->unit_cost_usd = sqlite3_column_double(q, 3);
	y->lead_months = sqlite3_column_int(q, 4);
	y->eeum = sqlite3_column_int(q, 5);
	y->catalog = sqlite3_column_int(q, 6);
	y->not_mde = !sqlite3_column_int(q, 8);
	return ref(r, q, 2, &r->lines, "a line_id", &y->line);
}

static int row_order(struct reader *r, sqlite3_stmt *q)
{
	struct allot_order *o = PUSH(r->s->orders, r->s->n_orders);
	if (!o || col_dup(q, 0, &o->order_id))
		return ALLOT_ENOMEM;
	o->qty = sqlite3_column_int64(q, 3);
	o->delivered = sqlite3_column_int64(q, 4);
	o->partner_rank = sqlite3_column_type(q, 7) == SQLITE_NULL
				  ? -1 : sqlite3_column_int64(q, 7);
	int rc = ref(r, q, 1, &r->partners, "a partner iso3", &o->partner);
	if (!rc)
		rc = ref(r, q, 2, &r->systems, "a system_id", &o->system);
	if (!rc)
		rc = month(r, q, 5, &o->loa_month);
	if (!rc)
		rc = month(r, q, 6, &o->need_month);
	enum allot_supply_type k;
	const char *sup = (const char *)sqlite3_column_text(q, 8);
	if (!rc && allot_supply_type_parse(sup ? sup : "", &k) != 0)
		rc = bad_row(r, "a supply type", sup ? sup : "");
	if (!rc)
		o->supply = (int)k;
	return rc;
}

static int row_wip(struct reader *r, sqlite3_stmt *q)
{
	struct allot_scenario *s = r->s;
	for (size_t i = 0; !r->orders_indexed && i < s->n_orders; i++)
		if (strmap_put(&r->orders, s->orders[i].order_id, (int)i, NULL) < 0)
			return ALLOT_ENOMEM;
	r->orders_indexed = 1;
	struct allot_wip *w = PUSH(s->wip, s->n_wip);
	if (!w)
		return ALLOT_ENOMEM;
	w->units = sqlite3_column_int64(q, 2);
	int rc = ref(r, q, 0, &r->orders, "an order_id", &w->order);
	return rc ? rc : month(r, q, 1, &w->month);
}

static int row_mineral(struct reader *r, sqlite3_stmt *q)
{
	struct allot_mineral *m = PUSH(r->s->minerals, r->s->n_minerals);
	if (!m || col_dup(q, 0, &m->mineral_id) || col_dup(q, 1, &m->name))
		return ALLOT_ENOMEM;
	m->stock_g = sqlite3_column_int64(q, 2);
	m->price_usd_per_kg = sqlite3_column_double(q, 3);
	return ALLOT_OK;
}

static int row_supply(struct reader *r, sqlite3_stmt *q)
{
	struct allot_supply *u = PUSH(r->s->supply, r->s->n_supply);
	if (!u || col_dup(q, 1, &u->source))
		return ALLOT_ENOMEM;
	u->g_per_month = sqlite3_column_int64(q, 2);
	return ref(r, q, 0, &r->minerals, "a mineral_id", &u->mineral);
}

static int row_bom(struct reader *r, sqlite3_stmt *q)
{
	struct allot_bom *b = PUSH(r->s->bom, r->s->n_bom);
	if (!b)
		return ALLOT_ENOMEM;
	b->g_per_unit = sqlite3_column_int64(q, 2);
	int rc = ref(r, q, 0, &r->systems, "a system_id", &b->system);
	return rc ? rc : ref(r, q, 1, &r->minerals, "a mineral_id", &b->mineral);
}

/* Resolves an event as a loader does (allot.h, struct allot_event). */
static int event_resolve(struct reader *r, struct allot_event *e, const char *type)
{
	int t = 0;
	while (t < ALLOT_EV_COUNT && strcmp(allot_event_type_name(t), type) != 0)
		t++;
	if (t == ALLOT_EV_COUNT)
		return bad_row(r, "an event type", type);
	e->type = (enum allot_event_type)t;
	switch (e->type) {
	case ALLOT_EV_CAPACITY:
	case ALLOT_EV_US_SHARE:
		e->index = strmap_get(&r->lines, e->target);
		break;
	case ALLOT_EV_BUDGET_CAP:
	case ALLOT_EV_EUM_STATUS:
		e->index = strmap_get(&r->partners, e->target);
		break;
	case ALLOT_EV_CATALOG:
	case ALLOT_EV_EEUM:
	case ALLOT_EV_MIN_TIER:
		e->index = strmap_get(&r->systems, e->target);
		break;
	default:
		e->index = allot_criterion_parse(e->target);
		break;
	}
	if (e->type == ALLOT_EV_EUM_STATUS) {
		if (allot_eum_parse(e->value, &e->eum) != 0)
			e->eum = ALLOT_EUM_COMPLIANT;
	} else {
		e->num = strtod(e->value, NULL);
	}
	return ALLOT_OK;
}

static int row_event(struct reader *r, sqlite3_stmt *q)
{
	struct allot_event *e = PUSH(r->s->events, r->s->n_events);
	if (!e || col_dup(q, 2, &e->target) || col_dup(q, 3, &e->value))
		return ALLOT_ENOMEM;
	int rc = month(r, q, 0, &e->month);
	const char *type = (const char *)sqlite3_column_text(q, 1);
	return rc ? rc : event_resolve(r, e, type ? type : "");
}

static int row_investment(struct reader *r, sqlite3_stmt *q)
{
	struct allot_investment *v = PUSH(r->s->investments, r->s->n_investments);
	if (!v)
		return ALLOT_ENOMEM;
	v->usd = sqlite3_column_double(q, 2);
	v->added_rate = sqlite3_column_double(q, 4);
	int rc = ref(r, q, 0, &r->partners, "a partner iso3", &v->partner);
	if (!rc)
		rc = ref(r, q, 1, &r->lines, "a line_id", &v->line);
	if (!rc)
		rc = month(r, q, 3, &v->month);
	if (!rc)
		rc = month(r, q, 5, &v->online_month);
	return rc;
}

static int row_embargo(struct reader *r, sqlite3_stmt *q)
{
	struct allot_embargo *e = PUSH(r->s->embargoes, r->s->n_embargoes);
	if (!e || col_dup(q, 0, &e->source))
		return ALLOT_ENOMEM;
	const char *m = (const char *)sqlite3_column_text(q, 1);
	int rc = m && strcmp(m, "*") == 0
			 ? (e->mineral = -1, ALLOT_OK)
			 : ref(r, q, 1, &r->minerals, "a mineral_id or *", &e->mineral);
	if (!rc)
		rc = month(r, q, 2, &e->start_month);
	if (!rc)
		rc = month(r, q, 3, &e->end_month);
	return rc;
}

static int row_request(struct reader *r, sqlite3_stmt *q)
{
	struct allot_request *x = PUSH(r->s->requests, r->s->n_requests);
	if (!x || col_dup(q, 0, &x->request_id))
		return ALLOT_ENOMEM;
	x->qty = sqlite3_column_int64(q, 3);
	x->value_usd = sqlite3_column_double(q, 5);
	const char *cat = (const char *)sqlite3_column_text(q, 6);
	x->category = cat && cat[0] ? allot_case_category_parse(cat) : -1;
	if (cat && cat[0] && x->category < 0)
		return bad_row(r, "a case category", cat);
	int rc = ref(r, q, 1, &r->partners, "a partner iso3", &x->partner);
	if (!rc)
		rc = ref(r, q, 2, &r->systems, "a system_id", &x->system);
	if (!rc)
		rc = month(r, q, 4, &x->lor_month);
	return rc;
}

static int row_transfer(struct reader *r, sqlite3_stmt *q)
{
	struct allot_transfer *x = PUSH(r->s->transfers, r->s->n_transfers);
	if (!x || col_dup(q, 0, &x->transfer_id))
		return ALLOT_ENOMEM;
	const char *to = (const char *)sqlite3_column_text(q, 2);
	if (!to || strlen(to) != 3)
		return bad_row(r, "a 3-letter to_iso3", to);
	memcpy(x->to_iso3, to, 4);
	x->to = strmap_get(&r->partners, to);
	x->qty = sqlite3_column_int64(q, 4);
	int rc = ref(r, q, 1, &r->partners, "a partner iso3", &x->from);
	if (!rc)
		rc = ref(r, q, 3, &r->systems, "a system_id", &x->system);
	if (!rc)
		rc = month(r, q, 5, &x->request_month);
	return rc;
}

#undef PUSH

struct get_table {
	const char *name;
	const char *cols;
	row_fn *row;
};

/* In dependency order: a table's references are read before it. */
static const struct get_table get_tables[] = {
	{ "partners", "iso3, name, region, alliance, frontline, defense_pct_gdp,"
		      " real_growth_3y_pct, us_troops, basing_access,"
		      " us_purchases_5y_usd, invest_in_us_usd, eum_status, defense_year, growth_year",
	  row_partner },
	{ "lines", "line_id, name, rate_per_month, us_share, rate_basis", row_line },
	{ "systems", "system_id, name, line_id, unit_cost_usd, lead_months, eeum,"
		     " catalog, foreign_alternative, mde", row_system },
	{ "orders", "order_id, iso3, system_id, qty, delivered, loa_month, need_month,"
		    " partner_rank, supply", row_order },
	{ "wip", "order_id, month, units", row_wip },
	{ "minerals", "mineral_id, name, stock_g, price_usd_per_kg", row_mineral },
	{ "supply", "mineral_id, source, g_per_month", row_supply },
	{ "bom", "system_id, mineral_id, g_per_unit", row_bom },
	{ "events", "month, type, target, value", row_event },
	{ "investments", "iso3, line_id, usd, month, added_rate, online_month",
	  row_investment },
	{ "embargoes", "source, mineral_id, start_month, end_month", row_embargo },
	{ "requests", "request_id, iso3, system_id, qty, lor_month, value_usd,"
		      " case_category", row_request },
	{ "transfers", "transfer_id, from_iso3, to_iso3, system_id, qty, request_month",
	  row_transfer },
};

/* Key maps over a table just read; keys are borrowed from the model. */
static int index_table(struct reader *r, const char *table)
{
	struct allot_scenario *s = r->s;
	int rc = 0;
	if (strcmp(table, "partners") == 0)
		for (size_t i = 0; i < s->n_partners && rc >= 0; i++)
			rc = strmap_put(&r->partners, s->partners[i].iso3, (int)i, NULL);
	else if (strcmp(table, "lines") == 0)
		for (size_t i = 0; i < s->n_lines && rc >= 0; i++)
			rc = strmap_put(&r->lines, s->lines[i].line_id, (int)i, NULL);
	else if (strcmp(table, "systems") == 0)
		for (size_t i = 0; i < s->n_systems && rc >= 0; i++)
			rc = strmap_put(&r->systems, s->systems[i].system_id, (int)i, NULL);
	else if (strcmp(table, "minerals") == 0)
		for (size_t i = 0; i < s->n_minerals && rc >= 0; i++)
			rc = strmap_put(&r->minerals, s->minerals[i].mineral_id, (int)i, NULL);
	return rc < 0 ? ALLOT_ENOMEM : ALLOT_OK;
}

static int get_rows(struct reader *r, int64_t sid, const struct get_table *t)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE scenario_id = ?1 ORDER BY seq",
		 t->cols, t->name);
	sqlite3_stmt *q;
	int rc = store_prepare(r->st, sql, &q, r->d);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, sid);
	r->table = t->name;
	r->row = 0;
	int s = SQLITE_DONE;
	while (rc == ALLOT_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
		rc = t->row(r, q);
		r->row++;
	}
	if (rc == ALLOT_OK && s != SQLITE_DONE) {
		char what[64];
		snprintf(what, sizeof what, "cannot read %s", t->name);
		rc = store_fail(r->st, r->d, what);
	}
	sqlite3_finalize(q);
	return rc ? rc : index_table(r, t->name);
}

static int get_header(struct reader *r, int64_t sid)
{
	sqlite3_stmt *q;
	int rc = store_prepare(r->st, "SELECT as_of, horizon_months, switch_month,"
				      " policy_file, notes, policy_json, present"
				      " FROM scenarios WHERE id = ?1", &q, r->d);
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
	for (size_t t = 0; rc == ALLOT_OK && t < sizeof get_tables / sizeof *get_tables; t++)
		rc = get_rows(r, sid, &get_tables[t]);
	return rc;
}

int allot_store_get_scenario(struct allot_store *st, const char *name,
			     struct allot_scenario **out,
			     struct allot_diags *diags)
{
	*out = NULL;
	struct reader r = { .st = st, .d = diags };
	strmap_init(&r.partners);
	strmap_init(&r.systems);
	strmap_init(&r.lines);
	strmap_init(&r.minerals);
	strmap_init(&r.orders);
	if (!(r.s = mem_calloc(1, sizeof *r.s)))
		return ALLOT_ENOMEM;
	/* One read transaction: every table from the same snapshot. */
	int rc = store_begin(st, 0, diags);
	if (rc == ALLOT_OK) {
		rc = get_scenario(&r, name);
		store_rollback(st);
	}
	strmap_free(&r.partners);
	strmap_free(&r.systems);
	strmap_free(&r.lines);
	strmap_free(&r.minerals);
	strmap_free(&r.orders);
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
