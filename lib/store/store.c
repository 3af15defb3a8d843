/*
 * store.c - the SQLite store: opening, the schema and its version, listing
 * scenarios, and the helpers the other store files share (store_int.h).
 *
 * A store is one SQLite file in WAL mode with synchronous=FULL, foreign keys
 * on and a 5 s busy timeout, so that readers never block the writer and a
 * committed scenario survives a power cut.  The schema carries its version
 * in PRAGMA user_version; a store written by a newer allot is refused rather
 * than misread.  Every SQLite failure becomes ALLOT_ESTORE with SQLite's own
 * message in the diagnostics; nothing here aborts.
 */
#include "store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <allot/schema.h>
#include "util/mem.h"

#define BUSY_TIMEOUT_MS 5000
/* Up to 64 MiB of page cache (allocated as used): a million-order put
 * keeps its indexes in memory instead of re-reading them from the WAL. */
#define CACHE_PRAGMA "PRAGMA cache_size = -65536"
/* During a put (store_put_cache): a 1M-order scenario's 87 MB of new pages
 * stay in memory until the commit writes them, instead of spilling into
 * the WAL as the transaction goes (docs/performance.md, seventh round). */
#define PUT_CACHE_PRAGMA "PRAGMA cache_size = -262144"

/* The tables besides the scenario's own: the scenarios themselves and the
 * stored runs.  A new store runs this, then each scenario table's CREATE
 * TABLE made from its descriptor (io/schema.c, allot_sc_sql_create), then sets
 * the version; test_schema checks that this gives the tables a version 1
 * store has after its migrations. */
static const char schema_sql[] =
	"CREATE TABLE scenarios ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT UNIQUE NOT NULL,"
	" as_of TEXT NOT NULL,"
	" horizon_months INTEGER NOT NULL,"
	" switch_month TEXT,"
	" policy_file TEXT NOT NULL,"
	" notes TEXT NOT NULL,"
	" policy_json TEXT NOT NULL,"
	" present INTEGER NOT NULL,"
	" created_at TEXT NOT NULL);"

	"CREATE TABLE runs ("
	" id INTEGER PRIMARY KEY,"
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" policy TEXT NOT NULL, switch_month TEXT, inputs_hash TEXT NOT NULL,"
	" created_at TEXT NOT NULL, n_orders INTEGER NOT NULL,"
	" n_allocations INTEGER NOT NULL, units_produced INTEGER NOT NULL);"
	"CREATE INDEX runs_scenario ON runs(scenario_id);"

	"CREATE TABLE run_allocations ("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" order_id TEXT NOT NULL, month TEXT NOT NULL, units INTEGER NOT NULL,"
	" delivery_month TEXT NOT NULL,"
	" PRIMARY KEY (run_id, seq)"
	") WITHOUT ROWID;"

	"CREATE TABLE run_orders ("
	" run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" order_id TEXT NOT NULL, produced INTEGER NOT NULL,"
	" delivered_in_h INTEGER NOT NULL, first_delivery_month TEXT,"
	" completion_month TEXT, units_short INTEGER NOT NULL, months_late INTEGER,"
	" blocked INTEGER NOT NULL, cancelled INTEGER NOT NULL, tier0 INTEGER NOT NULL,"
	" PRIMARY KEY (run_id, seq), UNIQUE (run_id, order_id)"
	") WITHOUT ROWID;";

/* Version 2 (the case process, lib/cases): the systems' mde flag and the
 * requests and transfers tables.  A version 1 store is migrated in place
 * when opened; a new store runs schema_sql and then this. */
static const char migrate_v2_sql[] =
	"ALTER TABLE systems ADD COLUMN mde INTEGER NOT NULL DEFAULT 1;"

	"CREATE TABLE requests ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" request_id TEXT NOT NULL, iso3 TEXT NOT NULL, system_id TEXT NOT NULL,"
	" qty INTEGER NOT NULL, lor_month TEXT NOT NULL, value_usd REAL NOT NULL,"
	" case_category TEXT NOT NULL,"
	" PRIMARY KEY (scenario_id, seq), UNIQUE (scenario_id, request_id),"
	" FOREIGN KEY (scenario_id, iso3) REFERENCES partners(scenario_id, iso3),"
	" FOREIGN KEY (scenario_id, system_id) REFERENCES systems(scenario_id, system_id)"
	") WITHOUT ROWID;"

	"CREATE TABLE transfers ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" transfer_id TEXT NOT NULL, from_iso3 TEXT NOT NULL, to_iso3 TEXT NOT NULL,"
	" system_id TEXT NOT NULL, qty INTEGER NOT NULL, request_month TEXT NOT NULL,"
	" PRIMARY KEY (scenario_id, seq), UNIQUE (scenario_id, transfer_id),"
	" FOREIGN KEY (scenario_id, from_iso3) REFERENCES partners(scenario_id, iso3),"
	" FOREIGN KEY (scenario_id, system_id) REFERENCES systems(scenario_id, system_id)"
	") WITHOUT ROWID;"
	"PRAGMA user_version = 2;";

/* Version 3 (issue 15): work in progress and supply types
 * (docs/allocation.md: the orders' supply type and the wip table), the
 * lines' rate_basis ('' unstated, 'cited', 'estimate') and the partners'
 * figure years (0 unstated, -1 no figure).  A version 2 store is migrated
 * in place when opened; its rows read back as before (new, '', 0). */
static const char migrate_v3_sql[] =
	"ALTER TABLE orders ADD COLUMN supply TEXT NOT NULL DEFAULT 'new';"

	"CREATE TABLE wip ("
	" scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" order_id TEXT NOT NULL, month TEXT NOT NULL, units INTEGER NOT NULL,"
	" PRIMARY KEY (scenario_id, seq), UNIQUE (scenario_id, order_id, month),"
	" FOREIGN KEY (scenario_id, order_id) REFERENCES orders(scenario_id, order_id)"
	") WITHOUT ROWID;"

	"ALTER TABLE lines ADD COLUMN rate_basis TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE partners ADD COLUMN defense_year INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE partners ADD COLUMN growth_year INTEGER NOT NULL DEFAULT 0;"
	"PRAGMA user_version = 3;";

/* ---------------------------------------------------------------------- */
/* Shared helpers                                                          */

int store_fail(struct allot_store *st, struct allot_diags *d, const char *what)
{
	int code = sqlite3_errcode(st->db);
	allot_diags_add(d, st->path, 0, 0, "%s: %s", what, sqlite3_errmsg(st->db));
	return code == SQLITE_NOMEM ? ALLOT_ENOMEM : ALLOT_ESTORE;
}

int store_exec(struct allot_store *st, const char *sql, struct allot_diags *d)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, d, sql);
	return ALLOT_OK;
}

int store_prepare(struct allot_store *st, const char *sql, sqlite3_stmt **out,
		  struct allot_diags *d)
{
	*out = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return store_fail(st, d, "cannot prepare a statement");
	return ALLOT_OK;
}

int store_fk_on(struct allot_store *st)
{
	int rc = SQLITE_OK;
	for (int i = 0; i < 2 && st->fk_off; i++)
		if ((rc = sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL)) ==
		    SQLITE_OK)
			st->fk_off = 0;
	return rc;
}

int store_begin(struct allot_store *st, int immediate, struct allot_diags *d)
{
	if (store_fk_on(st) != SQLITE_OK)
		return store_fail(st, d, "cannot turn foreign keys back on");
	return store_exec(st, immediate ? "BEGIN IMMEDIATE" : "BEGIN", d);
}

int store_commit(struct allot_store *st, struct allot_diags *d)
{
	return store_exec(st, "COMMIT", d);
}

int store_put_cache(struct allot_store *st, int big, struct allot_diags *d)
{
	if (big)
		return store_exec(st, PUT_CACHE_PRAGMA, d);
	/* A failure (out of memory) leaves the bigger cache: not wrong. */
	sqlite3_exec(st->db, CACHE_PRAGMA, NULL, NULL, NULL);
	return ALLOT_OK;
}

void store_rollback(struct allot_store *st)
{
	/* After some errors SQLite has already rolled back; a failed ROLLBACK
	 * (out of memory) is retried once so the connection is left clean. */
	for (int i = 0; i < 2 && !sqlite3_get_autocommit(st->db); i++)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_month_ok(allot_month m)
{
	return m == ALLOT_NO_MONTH || (m >= 1000 * 12 && m <= 9999 * 12 + 11);
}

int store_bind_month(sqlite3_stmt *q, int col, allot_month m)
{
	if (m == ALLOT_NO_MONTH)
		return sqlite3_bind_null(q, col);
	char buf[8];
	allot_month_format(m, buf);
	return sqlite3_bind_text(q, col, buf, -1, SQLITE_TRANSIENT);
}

int store_bind_month_static(sqlite3_stmt *q, int col, allot_month m, char buf[8])
{
	if (m == ALLOT_NO_MONTH)
		return sqlite3_bind_null(q, col);
	allot_month_format(m, buf);
	return sqlite3_bind_text(q, col, buf, buf[0] ? 7 : 0, SQLITE_STATIC);
}

int store_column_month(sqlite3_stmt *q, int col, allot_month *out)
{
	if (sqlite3_column_type(q, col) == SQLITE_NULL) {
		*out = ALLOT_NO_MONTH;
		return 0;
	}
	const char *s = (const char *)sqlite3_column_text(q, col);
	return s ? allot_month_parse(s, out) : -1;
}

void store_now(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(buf, "1970-01-01T00:00:00Z");
}

/* ---------------------------------------------------------------------- */
/* Opening                                                                 */

static int pragma_int(struct allot_store *st, const char *sql, int64_t *out, struct allot_diags *d)
{
	sqlite3_stmt *q;
	int rc = store_prepare(st, sql, &q, d);
	if (rc)
		return rc;
	if (sqlite3_step(q) == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	else
		rc = store_fail(st, d, sql);
	sqlite3_finalize(q);
	return rc;
}

/* Brings a store at version `from` to the next version with `sql` in one
 * write transaction (again checking the version inside it: another process
 * may have done it). */
static int migrate_step(struct allot_store *st, int64_t *version, int64_t from, const char *sql,
			struct allot_diags *d)
{
	int rc = store_begin(st, 1, d);
	if (rc != ALLOT_OK)
		return rc;
	rc = pragma_int(st, "PRAGMA user_version", version, d);
	if (rc == ALLOT_OK && *version == from) {
		rc = store_exec(st, sql, d);
		*version = from + 1;
	}
	if (rc == ALLOT_OK)
		rc = store_commit(st, d);
	if (rc != ALLOT_OK)
		store_rollback(st);
	return rc;
}

/* Version 1 to 2: the case process. */
static int migrate_v1(struct allot_store *st, int64_t *version, struct allot_diags *d)
{
	return migrate_step(st, version, 1, migrate_v2_sql, d);
}

/* Version 2 to 3: work in progress and supply types. */
static int migrate_v2(struct allot_store *st, int64_t *version, struct allot_diags *d)
{
	return migrate_step(st, version, 2, migrate_v3_sql, d);
}

/* The whole schema of the current version in an empty database. */
static int create_tables(struct allot_store *st, struct allot_diags *d)
{
	char sql[2048];
	int rc = store_exec(st, schema_sql, d);
	for (int t = 0; rc == ALLOT_OK && t < SC_NTABS; t++) {
		if (allot_sc_sql_create(&allot_sc_tables[t], sql, sizeof sql) != 0)
			return ALLOT_ENOMEM;
		rc = store_exec(st, sql, d);
	}
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_SCHEMA_VERSION);
	return rc == ALLOT_OK ? store_exec(st, sql, d) : rc;
}

/* Creates the schema in an empty database, or checks the version of an
 * existing one.  The check is repeated inside the write transaction so
 * that two processes creating the same new store do not both create it. */
static int schema_ensure(struct allot_store *st, struct allot_diags *d)
{
	int64_t version = 0, objects = 0;
	int rc = pragma_int(st, "PRAGMA user_version", &version, d);
	if (rc == ALLOT_OK && version == 0) {
		if ((rc = store_begin(st, 1, d)) != ALLOT_OK)
			return rc;
		rc = pragma_int(st, "PRAGMA user_version", &version, d);
		if (rc == ALLOT_OK && version == 0)
			rc = pragma_int(st, "SELECT count(*) FROM sqlite_schema", &objects, d);
		if (rc == ALLOT_OK && version == 0 && objects > 0) {
			allot_diags_add(d, st->path, 0, 0,
					"expected an allot store, found a SQLite "
					"database with other tables (user_version 0)");
			rc = ALLOT_ESTORE;
		}
		if (rc == ALLOT_OK && version == 0) {
			rc = create_tables(st, d);
			version = STORE_SCHEMA_VERSION;
		}
		if (rc == ALLOT_OK)
			rc = store_commit(st, d);
		if (rc != ALLOT_OK) {
			store_rollback(st);
			return rc;
		}
	}
	if (rc == ALLOT_OK && version == 1)
		rc = migrate_v1(st, &version, d);
	if (rc == ALLOT_OK && version == 2)
		rc = migrate_v2(st, &version, d);
	/* From version 3 on, a version adds the columns whose descriptors
	 * say `since` it (io/schema.c). */
	char sql[2048];
	while (rc == ALLOT_OK && version >= 3 && version < STORE_SCHEMA_VERSION) {
		if (allot_sc_sql_migrate((int)version + 1, sql, sizeof sql) != 0)
			return ALLOT_ENOMEM;
		rc = migrate_step(st, &version, version, sql, d);
	}
	if (rc == ALLOT_OK && version != STORE_SCHEMA_VERSION) {
		allot_diags_add(d, st->path, 0, 0,
				"expected store schema version %d, found version %lld "
				"(%s); use the allot that wrote it",
				STORE_SCHEMA_VERSION, (long long)version,
				version > STORE_SCHEMA_VERSION ? "written by a newer allot"
							       : "unknown");
		rc = ALLOT_ESTORE;
	}
	return rc;
}

/* Opens path with the SQLite open flags given; a missing file without
 * SQLITE_OPEN_CREATE is ALLOT_ENOTFOUND with no diagnostic (SQLite, not a
 * stat() beforehand, decides whether the store exists). */
static int open_flags(const char *path, int flags, struct allot_store **out,
		      struct allot_diags *diags)
{
	*out = NULL;
	struct allot_store *st = mem_calloc(1, sizeof *st);
	if (!st || !(st->path = mem_strdup(path))) {
		mem_free(st);
		return ALLOT_ENOMEM;
	}
	int rc = ALLOT_OK;
	/* SQLite opens a file it cannot open read-write read-only instead.  A
	 * store that another import links into place between those two tries
	 * (store_create.c) would come back read-only although it is writable:
	 * open it again.  A file that stays read-only (its permissions) is kept
	 * so: reading works, and a write says the store is read-only. */
	/* A handle is used by one thread at a time (the server's shared one
	 * under its mutex): SQLite's own locking of every call is not
	 * needed, and it was a tenth of a big put's time. */
	flags |= SQLITE_OPEN_NOMUTEX;
	for (int tries = 0;; tries++) {
		if (sqlite3_open_v2(path, &st->db, flags, store_vfs()) != SQLITE_OK ||
		    !(flags & SQLITE_OPEN_READWRITE) || sqlite3_db_readonly(st->db, "main") != 1 ||
		    tries == 3)
			break;
		sqlite3_close(st->db);
		st->db = NULL;
	}
	if (!st->db || sqlite3_errcode(st->db) != SQLITE_OK) {
		if (!st->db)
			rc = ALLOT_ENOMEM;
		else if (!(flags & SQLITE_OPEN_CREATE) &&
			 sqlite3_errcode(st->db) == SQLITE_CANTOPEN &&
			 sqlite3_system_errno(st->db) == ENOENT)
			rc = ALLOT_ENOTFOUND;
		else
			rc = store_fail(st, diags, "cannot open the store");
		goto done;
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	/* The first statement reads the header: a file that is not a
	 * database fails here with "file is not a database". */
	if ((rc = store_exec(st, "PRAGMA journal_mode = WAL", diags)) ||
	    (rc = store_exec(st, "PRAGMA synchronous = FULL", diags)) ||
	    (rc = store_exec(st, "PRAGMA foreign_keys = ON", diags)) ||
	    (rc = store_exec(st, CACHE_PRAGMA, diags)))
		goto done;
	rc = schema_ensure(st, diags);
done:
	if (rc != ALLOT_OK) {
		allot_store_close(st);
		return rc;
	}
	*out = st;
	return ALLOT_OK;
}

int allot_store_open(const char *path, struct allot_store **out, struct allot_diags *diags)
{
	return open_flags(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, out, diags);
}

int allot_store_open_existing(const char *path, struct allot_store **out, struct allot_diags *diags)
{
	return open_flags(path, SQLITE_OPEN_READWRITE, out, diags);
}

void allot_store_close(struct allot_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	mem_free(st->path);
	mem_free(st);
}

/* ---------------------------------------------------------------------- */
/* Names                                                                   */

void allot_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		mem_free(*p);
	mem_free(v);
}

/* Every scenario name, sorted bytewise, NULL-terminated. */
static int list_names(struct allot_store *st, char ***names, size_t *count, struct allot_diags *d)
{
	*names = NULL;
	sqlite3_stmt *q;
	int rc = store_prepare(st, "SELECT name FROM scenarios ORDER BY name", &q, d);
	if (rc)
		return rc;
	char **v = NULL;
	size_t n = 0, cap = 0;
	int s;
	while ((s = sqlite3_step(q)) == SQLITE_ROW) {
		if (mem_grow(&v, &cap, n + 2, sizeof *v)) {
			rc = ALLOT_ENOMEM;
			goto done;
		}
		v[n] = mem_strdup((const char *)sqlite3_column_text(q, 0));
		if (!v[n]) {
			rc = ALLOT_ENOMEM;
			goto done;
		}
		v[++n] = NULL;
	}
	if (s != SQLITE_DONE) {
		rc = store_fail(st, d, "cannot list scenarios");
		goto done;
	}
	if (!v && !(v = mem_calloc(1, sizeof *v)))
		rc = ALLOT_ENOMEM;
done:
	sqlite3_finalize(q);
	if (rc != ALLOT_OK) {
		if (v)
			v[n] = NULL;
		allot_strv_free(v);
		return rc;
	}
	*names = v;
	if (count)
		*count = n;
	return ALLOT_OK;
}

int allot_store_list_scenarios(struct allot_store *st, char ***names)
{
	return list_names(st, names, NULL, NULL);
}

/* "a, b, c" (truncated) into buf. */
static void join_names(char **v, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; v[i] && len + 1 < size; i++) {
		int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", v[i]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

int store_resolve(struct allot_store *st, const char *name, int64_t *id, char **name_out,
		  struct allot_diags *d)
{
	char **v = NULL;
	size_t n = 0;
	int rc = list_names(st, &v, &n, d);
	if (rc)
		return rc;
	const char *want = name;
	if (!want && n == 1)
		want = v[0];
	else if (!want)
		want = "default";
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= strcmp(v[i], want) == 0;
	if (!found) {
		char list[512];
		join_names(v, list, sizeof list);
		if (n == 0)
			allot_diags_add(d, st->path, 0, 0,
					"expected a scenario%s%s, found an empty store "
					"(load one with `allot import DIR --db FILE`)",
					name ? " named " : "", name ? name : "");
		else if (name)
			allot_diags_add(d, st->path, 0, 0,
					"expected a scenario named '%s', found only: %s", name,
					list);
		else
			allot_diags_add(d, st->path, 0, 0,
					"expected one scenario or one named 'default', "
					"found %zu: %s (choose with --scenario NAME)",
					n, list);
		rc = ALLOT_ENOTFOUND;
		goto done;
	}
	sqlite3_stmt *q;
	if ((rc = store_prepare(st, "SELECT id FROM scenarios WHERE name = ?1", &q, d)))
		goto done;
	sqlite3_bind_text(q, 1, want, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	else
		rc = store_fail(st, d, "cannot read a scenario's id");
	sqlite3_finalize(q);
	if (rc == ALLOT_OK && name_out && !(*name_out = mem_strdup(want)))
		rc = ALLOT_ENOMEM;
done:
	allot_strv_free(v);
	return rc;
}
