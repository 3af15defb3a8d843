/*
 * allot/schema.h - one descriptor per scenario table.
 *
 * Each CSV table of a scenario directory is described once, in schema.c:
 * its file, its store table, where its rows live in struct allot_scenario,
 * and for each column the CSV name, the store name, the type, the unit, the
 * range, the table it references, what an empty cell means and the offset
 * of its field in the row struct.  From this one description come the
 * loader's column table and per-column parsing (load.c), the writer
 * (write.c), the store's INSERT, SELECT, bind and read (store_scenario.c),
 * the model check's ranges (ranges.c), the inputs hash (store_hash.c) and
 * the server's edits (server/edits.c); test_schema checks the column tables
 * of docs/scenario-format.md and the store's DDL against it.
 *
 * Adding a column to a table is one row in its column array (schema.c) and
 * one line in docs/scenario-format.md, plus the field in the model struct
 * and, for the store, a migration adding it to old stores.  Table-specific
 * rules that span columns (delivered <= qty, work in progress months, an
 * event's target) stay in the file that applies them.
 */
#ifndef ALLOT_IO_SCHEMA_H
#define ALLOT_IO_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include <allot/scenario.h>

#include <allot/ranges.h>

/* The scenario tables, in loading order (references point backwards). */
enum sc_tab {
	SC_PARTNERS,
	SC_LINES,
	SC_SYSTEMS,
	SC_ORDERS,
	SC_MINERALS,
	SC_SUPPLY,
	SC_BOM,
	SC_EVENTS,
	SC_INVESTMENTS,
	SC_EMBARGOES,
	SC_REQUESTS,
	SC_TRANSFERS,
	SC_WIP,
	SC_NTABS
};

enum sc_type {
	SC_TEXT,  /* char *, "" when empty */
	SC_ISO3,  /* char[4]: 3 upper-case letters */
	SC_REF,   /* int: index of a row of table `ref`, written as its key */
	SC_NUM,   /* double within range */
	SC_INT,   /* int or int64_t from ilo to ihi (0: the range's top) */
	SC_BOOL,  /* int 0/1 */
	SC_MONTH, /* allot_month, ALLOT_NO_MONTH when empty */
	SC_GRAMS, /* int64_t grams, kilograms (a number within range) in files */
	SC_ENUM,  /* int-sized enum, written by name (enum sc_enum) */
	SC_YEAR   /* int figure year: empty 0, "none" ALLOT_NO_FIGURE, else 1900..9999 */
};

/* The named value sets of SC_ENUM columns. */
enum sc_enum {
	SE_EUM,
	SE_RATE_BASIS,
	SE_SUPPLY,
	SE_CATEGORY,
	SE_EVENT,
	SE_LOA_BASIS,
	SE_PURCHASES,
	SE_NENUMS
};

/* Column flags.  SC_REQ and SC_VAL are the loader's TC_REQ and TC_VAL. */
#define SC_REQ 1u /* the header must name the column */
#define SC_VAL 2u /* the cell may not be empty */
#define SC_KEY 4u /* the table's unique key */
#define SC_TRAIL                                                                \
	8u             /* optional trailing column added after version 1 of     \
			* the format: written (and hashed) only when some row   \
			* differs from the default (in its era or a later one), \
			* so old scenarios keep their bytes and inputs hash */
#define SC_NOHASH 16u  /* left out of the inputs hash (kept as in v1) */
#define SC_INVERT 32u  /* SC_BOOL: the field holds the negation; empty = 1 */
#define SC_STAR   64u  /* SC_REF: "*" means every row (-1) */
#define SC_NULL   128u /* store column may be NULL (months; SC_INT's dflt) */
#define SC_UNSET  256u /* SC_NUM: empty leaves the field at -1 (computed later) */
#define SC_MISSING                                                  \
	1024u /* SC_NUM: `unknown` or empty reads as NaN (a missing \
	       * value, never 0), written `unknown`, stored as -1   \
	       * (below every range) and hashed as -1 */
#define SC_LATE                                                   \
	512u /* the loader parses it after the other columns (the \
	      * order its messages always came in) */

struct sc_col {
	const char *name; /* CSV column */
	const char *sql;  /* store column (NULL: the same) */
	enum sc_type type;
	unsigned flags;
	size_t off, size;          /* the field in the row struct */
	int ref;                   /* SC_REF: enum sc_tab; SC_ENUM: enum sc_enum */
	enum allot_range_id range; /* SC_NUM, SC_GRAMS, SC_INT's top (when ihi is 0) */
	int64_t ilo, ihi;          /* SC_INT bounds */
	int64_t dflt;              /* SC_INT: the value of an empty cell */
	int bound;                 /* 1 + the index of the column that bounds this one
				    * (0: none): SC_INT at most it (delivered <= qty),
				    * SC_MONTH at least it (online_month >= month) */
	const char *unit;          /* "USD", "units/month", ... or NULL */
	const char *dflt_text;     /* SC_TEXT: what an empty cell reads as, NULL = "" */
	const char *doc;           /* the type cell of docs/scenario-format.md */
	const char *field; /* the model's name in messages (NULL: see allot_sc_field_name) */
	int since;         /* the store schema version that added the column (0: the
			    * first).  SC_TRAIL columns are written and hashed by
			    * era: up to the latest era some row states. */
};

struct sc_table;

/* The store schema version the descriptors describe: 3, or the latest
 * `since` of a column added after it (the store then adds that column to
 * an older store by ALTER TABLE, allot_sc_sql_migrate). */
int allot_sc_schema_version(void);
/* The SQL that brings a store at version - 1 to version: ALTER TABLE ADD
 * COLUMN for every column whose `since` is version (its DEFAULT the value
 * old rows read as), then the new user_version.  0, or -1 when buf is too
 * small. */
int allot_sc_sql_migrate(int version, char *buf, size_t n);
/* The latest era (`since`) of an SC_TRAIL column that row states (0: none),
 * and the same over every row of table t. */
int allot_sc_row_era(const struct sc_table *t, const void *row);
int allot_sc_table_era(const struct sc_table *t, const struct allot_scenario *s);

/* How a message about an in-memory model names column c: its `field`, the
 * referenced table's ref_what for a reference, else its CSV name. */
const char *allot_sc_field_name(const struct sc_col *c);

struct sc_table {
	const char *file; /* "orders.csv" */
	const char *sql;  /* store table, "orders" */
	int present_bit;  /* ALLOT_FILE_* of an optional file; -1 required */
	size_t row_size;
	size_t arr_off, n_off; /* the rows and their count in allot_scenario */
	const struct sc_col *cols;
	int ncols;
	int key;                /* column index of the key, -1 none */
	const char *ref_what;   /* how a reference to it is named: "partner" */
	const char *store_what; /* in a damaged store's message: "a partner iso3" */
	int keep_bad;           /* a row with a bad value is kept (its key resolves) */
	int hashed;             /* 0: not in the inputs hash (kept as in v1);
				 * 2: hashed only when it has rows */
	const char *sql_unique; /* store UNIQUE columns besides the key's, or NULL */
};

extern const struct sc_table allot_sc_tables[SC_NTABS];
/* The inputs hash's table order (v1 layout), ended by SC_NTABS. */
extern const enum sc_tab allot_sc_hash_order[];

/* The rows of table t in s and their count. */
static inline void *sc_rows(const struct sc_table *t, const struct allot_scenario *s)
{
	return *(void *const *)((const char *)s + t->arr_off);
}
static inline size_t sc_nrows(const struct sc_table *t, const struct allot_scenario *s)
{
	return *(const size_t *)((const char *)s + t->n_off);
}
static inline void *sc_row(const struct sc_table *t, const struct allot_scenario *s, size_t i)
{
	return (char *)sc_rows(t, s) + i * t->row_size;
}
static inline void *sc_field(void *row, const struct sc_col *c)
{
	return (char *)row + c->off;
}

/* Integer fields of 4 or 8 bytes. */
static inline int64_t sc_get_int(const void *row, const struct sc_col *c)
{
	const char *p = (const char *)row + c->off;
	if (c->size == sizeof(int64_t))
		return *(const int64_t *)p;
	return *(const int *)p;
}
static inline void sc_set_int(void *row, const struct sc_col *c, int64_t v)
{
	char *p = (char *)row + c->off;
	if (c->size == sizeof(int64_t))
		*(int64_t *)p = v;
	else
		*(int *)p = (int)v;
}
static inline const char *sc_get_text(const void *row, const struct sc_col *c)
{
	if (c->type == SC_ISO3)
		return (const char *)row + c->off;
	return *(char *const *)((const char *)row + c->off);
}

/* The key of row i of table t ("" when i is out of range). */
const char *allot_sc_key(const struct allot_scenario *s, enum sc_tab t, long i);

/* The row of table t whose key is key, by a linear search (for a few
 * lookups; the loader and the store use maps); -1 when none. */
int allot_sc_find(const struct allot_scenario *s, enum sc_tab t, const char *key);

/* SC_ENUM: the name of a value ("" unknown) and the value of a name;
 * allot_sc_enum_parse returns -1 for an unknown name. */
const char *allot_sc_enum_name(int e, int v);
int allot_sc_enum_parse(int e, const char *s, int *out);
/* What the loader expects of an SC_ENUM column, as in its message, and
 * what a damaged store's message says was expected. */
const char *allot_sc_enum_expect(int e);
const char *allot_sc_enum_what(int e);

/* A column's default value is held (SC_TRAIL: write/hash only if not). */
int allot_sc_is_default(const void *row, const struct sc_col *c);

/* The value of an int-sized field as the store and the CSV write it: for
 * SC_BOOL with SC_INVERT the negation. */
int64_t allot_sc_int_value(const void *row, const struct sc_col *c);

/* ---- events: what each type's target names and its value's rule ---- */
enum sc_event_value {
	SC_EV_NUM = 0, /* a number in `range` */
	SC_EV_STATUS,  /* an end-use status */
	SC_EV_BOOL,    /* 0 or 1 */
	SC_EV_TIER,    /* a whole number 0..ALLOT_MAX_TIERS */
};
struct sc_event_rule {
	int target;                /* SC_LINES, SC_PARTNERS, SC_SYSTEMS, or -1 for a criterion */
	const char *what;          /* "line", "partner", "system", "criterion" */
	const char *api_what;      /* the same in the server's edit messages */
	enum allot_range_id range; /* of a numeric value */
	enum sc_event_value value;
};
extern const struct sc_event_rule allot_sc_event_rules[ALLOT_EV_COUNT];
/* The index an event's target resolves to in s (-1 when unknown), through
 * find(s, table, key) for line and partner targets. */
int allot_sc_event_target(const struct allot_scenario *s, enum allot_event_type type,
			  const char *target,
			  int (*find)(const void *ctx, enum sc_tab t, const char *key),
			  const void *ctx);
/* The event type named s; -1 when none. */
int allot_sc_event_type(const char *s);

/* The SQL of the store: CREATE TABLE for table t as the current version
 * has it, and the column list of a SELECT; written into buf of n bytes (0,
 * or -1 when too small). */
int allot_sc_sql_create(const struct sc_table *t, char *buf, size_t n);
int allot_sc_sql_select_cols(const struct sc_table *t, char *buf, size_t n);
/* The store column's declared type and NOT NULL, as in the DDL. */
const char *allot_sc_sql_type(const struct sc_col *c);
int allot_sc_sql_notnull(const struct sc_col *c);

/* The type cell a column has in docs/scenario-format.md. */
void allot_sc_doc_type(const struct sc_col *c, char *buf, size_t n);

#endif
