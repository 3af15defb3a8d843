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
 * Each CSV file is described by a column table and a row function (files[]
 * below); adding a column is a row in its table plus a line in its function.
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
#include "io/table.h"
#include "io/value.h"
#include "util/mem.h"
#include "util/strmap.h"

/* The CSV files, in reading order. */
enum lfile {
	F_PARTNERS, F_LINES, F_SYSTEMS, F_ORDERS, F_MINERALS, F_SUPPLY, F_BOM,
	F_EVENTS, F_INVESTMENTS, F_EMBARGOES, F_REQUESTS, F_TRANSFERS, F_WIP, F_COUNT
};

struct lctx {
	const char *dir;
	struct allot_diags *d;
	struct allot_scenario *s;
	struct strmap map[F_COUNT]; /* key -> row, for keyed files */
	long *rowline[F_COUNT];     /* row -> line, for "first on line N" */
	size_t cap[F_COUNT];        /* capacity of the model array */
	size_t rlcap[F_COUNT];
	unsigned complete;          /* files read to the end (or absent) */
	char **keys;                /* keys owned here (partner codes, bom) */
	size_t nkeys, capkeys;
	int limit_hit;
	int64_t *wip_sum;           /* wip.csv units so far, per order */
};

typedef int (*row_fn)(struct lctx *c, struct table *t);

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

/* Looks up a reference in column col to a row of file f ("partner" ...).
 * 0 and *out on success; -1 after reporting. */
static int ref(struct lctx *c, struct table *t, int col, enum lfile f,
	       const char *what, int *out)
{
	const char *key;
	*out = -1;
	if (table_key(t, col, &key))
		return -1;
	int i = strmap_get(&c->map[f], key);
	if (i < 0) {
		if (c->complete & (1u << f)) {
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
static void dup_report(struct lctx *c, struct table *t, int col, enum lfile f,
		       int old)
{
	char q[96];
	table_err(t, col, "duplicate %s %s (first on line %ld)", t->cols[col].name,
		  table_found(t, col, q, sizeof q), c->rowline[f][old]);
}

static int key_check(struct lctx *c, struct table *t, int col, enum lfile f,
		     const char **key)
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
static int key_add(struct lctx *c, struct table *t, enum lfile f,
		   const char *key, size_t row)
{
	if (strmap_put(&c->map[f], key, (int)row, NULL) < 0 ||
	    note_line(c, f, row, table_line(t)))
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
static int64_t grams(double kg) { return (int64_t)llround(kg * 1000.0); }

/* A number in its range from the one table (lib/ranges.c). */
static int rnum(const struct table *t, int col, enum allot_range_id id, double *out)
{
	const struct allot_range *r = allot_range_get(id);
	return table_num(t, col, r->lo, r->hi, out);
}

/* An integer from lo to the top of range id. */
static int rint64(const struct table *t, int col, int64_t lo, enum allot_range_id id,
		  int64_t dflt, int64_t *out)
{
	return table_int(t, col, lo, (int64_t)allot_range_get(id)->hi, dflt, out);
}

/* ---- partners.csv --------------------------------------------------------- */

enum { P_ISO3, P_NAME, P_REGION, P_ALLIANCE, P_FRONTLINE, P_DEFENSE, P_GROWTH,
       P_TROOPS, P_BASING, P_PURCHASES, P_INVEST, P_EUM, P_DEF_YEAR, P_GROWTH_YEAR,
       P_NCOLS };

static const struct tcol partner_cols[P_NCOLS] = {
	{ "iso3", TC_REQ | TC_VAL }, { "name", TC_REQ }, { "region", TC_REQ },
	{ "alliance", 0 }, { "frontline", 0 }, { "defense_pct_gdp", 0 },
	{ "real_growth_3y_pct", 0 }, { "us_troops", 0 }, { "basing_access", 0 },
	{ "us_purchases_5y_usd", 0 }, { "invest_in_us_usd", 0 }, { "eum_status", 0 },
	{ "defense_pct_gdp_year", 0 }, { "real_growth_3y_year", 0 },
};

/* A figure's year column (optional): empty = not stated (0), "none" = no
 * figure exists (ALLOT_NO_FIGURE: the value beside it is a policy default),
 * else a year 1900..9999. */
static void figure_year(struct table *t, int col, int *out)
{
	const char *v = table_str(t, col);
	int64_t y;
	*out = 0;
	if (strcmp(v, "none") == 0)
		*out = ALLOT_NO_FIGURE;
	else if (v[0] && table_int(t, col, 1900, 9999, 0, &y) == 0)
		*out = (int)y;
}

static int partner_row(struct lctx *c, struct table *t)
{
	struct allot_partner p = { 0 };
	int64_t basing;
	const char *iso3;
	table_bool(t, P_FRONTLINE, &p.frontline);
	rnum(t, P_DEFENSE, ALLOT_RANGE_PCT_GDP, &p.defense_pct_gdp);
	rnum(t, P_GROWTH, ALLOT_RANGE_GROWTH, &p.real_growth_3y_pct);
	rnum(t, P_TROOPS, ALLOT_RANGE_TROOPS, &p.us_troops);
	if (table_int(t, P_BASING, 0, 3, 0, &basing) == 0)
		p.basing_access = (int)basing;
	rnum(t, P_PURCHASES, ALLOT_RANGE_USD, &p.us_purchases_5y_usd);
	rnum(t, P_INVEST, ALLOT_RANGE_USD, &p.invest_in_us_usd);
	table_eum(t, P_EUM, &p.eum_status);
	figure_year(t, P_DEF_YEAR, &p.defense_year);
	figure_year(t, P_GROWTH_YEAR, &p.growth_year);
	if (key_check(c, t, P_ISO3, F_PARTNERS, &iso3) != 0)
		return ALLOT_OK;
	if (!value_iso3(iso3)) {
		char q[96];
		table_err(t, P_ISO3, "expected a 3-letter upper-case ISO code in iso3, found %s",
			  table_found(t, P_ISO3, q, sizeof q));
		return ALLOT_OK;
	}
	memcpy(p.iso3, iso3, 4);
	const char *region = table_str(t, P_REGION);
	const char *src[] = { table_str(t, P_NAME), region[0] ? region : "other",
			      table_str(t, P_ALLIANCE) };
	char **dst[] = { &p.name, &p.region, &p.alliance };
	struct allot_scenario *s = c->s;
	const char *key = own_key(c, iso3);
	if (!key || push(c, F_PARTNERS, &s->partners, s->n_partners, sizeof p) ||
	    dup_all(dst, src, 3))
		return ALLOT_ENOMEM;
	s->partners[s->n_partners] = p;
	return key_add(c, t, F_PARTNERS, key, s->n_partners++);
}

/* ---- lines.csv ----------------------------------------------------------- */

enum { L_ID, L_NAME, L_RATE, L_SHARE, L_BASIS, L_NCOLS };

/* rate_basis is optional (added after version 1 of the format): absent or
 * empty leaves the line unmarked, as scenarios without it always were. */
static const struct tcol line_cols[L_NCOLS] = {
	{ "line_id", TC_REQ | TC_VAL }, { "name", 0 },
	{ "rate_per_month", TC_REQ | TC_VAL }, { "us_share", 0 },
	{ "rate_basis", 0 },
};

static int line_row(struct lctx *c, struct table *t)
{
	struct allot_line l = { 0 };
	const char *id;
	char q[96];
	rnum(t, L_RATE, ALLOT_RANGE_RATE, &l.rate_per_month);
	rnum(t, L_SHARE, ALLOT_RANGE_SHARE, &l.us_share);
	/* like a bad number, a bad basis is reported and the row kept, so that
	 * references to the line do not add errors of their own */
	if (allot_rate_basis_parse(table_str(t, L_BASIS), &l.rate_basis) != 0)
		table_err(t, L_BASIS, "expected cited, estimate or empty in rate_basis, found %s",
			  table_found(t, L_BASIS, q, sizeof q));
	if (key_check(c, t, L_ID, F_LINES, &id) != 0)
		return ALLOT_OK;
	const char *src[] = { id, table_str(t, L_NAME) };
	char **dst[] = { &l.line_id, &l.name };
	struct allot_scenario *s = c->s;
	if (push(c, F_LINES, &s->lines, s->n_lines, sizeof l) || dup_all(dst, src, 2))
		return ALLOT_ENOMEM;
	s->lines[s->n_lines] = l;
	return key_add(c, t, F_LINES, l.line_id, s->n_lines++);
}

/* ---- systems.csv --------------------------------------------------------- */

enum { S_ID, S_NAME, S_LINE, S_COST, S_LEAD, S_EEUM, S_CATALOG, S_ALT, S_MDE,
       S_NCOLS };

static const struct tcol system_cols[S_NCOLS] = {
	{ "system_id", TC_REQ | TC_VAL }, { "name", 0 },
	{ "line_id", TC_REQ | TC_VAL }, { "unit_cost_usd", 0 },
	{ "lead_months", 0 }, { "eeum", 0 }, { "catalog", 0 },
	{ "foreign_alternative", 0 }, { "mde", 0 },
};

static int system_row(struct lctx *c, struct table *t)
{
	struct allot_system y = { 0 };
	int64_t lead;
	const char *id;
	ref(c, t, S_LINE, F_LINES, "line", &y.line);
	rnum(t, S_COST, ALLOT_RANGE_UNIT_COST, &y.unit_cost_usd);
	if (table_int(t, S_LEAD, 0, 1200, 0, &lead) == 0)
		y.lead_months = (int)lead;
	table_bool(t, S_EEUM, &y.eeum);
	table_bool(t, S_CATALOG, &y.catalog);
	int mde = 1;
	if (table_str(t, S_MDE)[0] && table_bool(t, S_MDE, &mde) == 0)
		y.not_mde = !mde; /* an empty cell (or no column) is MDE */
	if (key_check(c, t, S_ID, F_SYSTEMS, &id) != 0)
		return ALLOT_OK;
	const char *src[] = { id, table_str(t, S_NAME), table_str(t, S_ALT) };
	char **dst[] = { &y.system_id, &y.name, &y.foreign_alternative };
	struct allot_scenario *s = c->s;
	if (push(c, F_SYSTEMS, &s->systems, s->n_systems, sizeof y) ||
	    dup_all(dst, src, 3))
		return ALLOT_ENOMEM;
	s->systems[s->n_systems] = y;
	return key_add(c, t, F_SYSTEMS, y.system_id, s->n_systems++);
}

/* ---- orders.csv ---------------------------------------------------------- */

enum { O_ID, O_ISO3, O_SYSTEM, O_QTY, O_DELIVERED, O_LOA, O_NEED, O_RANK,
       O_SUPPLY, O_NCOLS };

static const struct tcol order_cols[O_NCOLS] = {
	{ "order_id", TC_REQ | TC_VAL }, { "iso3", TC_REQ | TC_VAL },
	{ "system_id", TC_REQ | TC_VAL }, { "qty", TC_REQ | TC_VAL },
	{ "delivered", 0 }, { "loa_month", TC_REQ | TC_VAL },
	{ "need_month", 0 }, { "partner_rank", 0 }, { "supply", 0 },
};

/* orders.csv supply: new, used, lease, licence; empty = new. */
static void order_supply(struct table *t, struct allot_order *o)
{
	enum allot_supply_type k = ALLOT_SUPPLY_NEW;
	if (allot_supply_type_parse(table_str(t, O_SUPPLY), &k) != 0) {
		char q[96];
		table_err(t, O_SUPPLY, "expected a supply type (new, used, lease or licence) "
			  "in supply, found %s", table_found(t, O_SUPPLY, q, sizeof q));
	}
	o->supply = (int)k;
}

static int order_row(struct lctx *c, struct table *t)
{
	struct allot_order o = { 0 };
	const char *id;
	ref(c, t, O_ISO3, F_PARTNERS, "partner", &o.partner);
	ref(c, t, O_SYSTEM, F_SYSTEMS, "system", &o.system);
	int qty_ok = rint64(t, O_QTY, 1, ALLOT_RANGE_QTY, 0, &o.qty) == 0;
	if (rint64(t, O_DELIVERED, 0, ALLOT_RANGE_QTY, 0, &o.delivered) == 0 &&
	    qty_ok && o.delivered > o.qty) {
		char q[96];
		table_err(t, O_DELIVERED,
			  "expected an integer from 0 to qty (%lld) in delivered, found %s",
			  (long long)o.qty, table_found(t, O_DELIVERED, q, sizeof q));
	}
	table_month(t, O_LOA, &o.loa_month);
	table_month(t, O_NEED, &o.need_month);
	rint64(t, O_RANK, 1, ALLOT_RANGE_QTY, -1, &o.partner_rank);
	order_supply(t, &o);
	if (table_key(t, O_ID, &id))
		return ALLOT_OK;
	/* The hot path of big scenarios: one map probe per order (put reports
	 * a duplicate) instead of a lookup and then an insert. */
	struct allot_scenario *s = c->s;
	int old;
	if (push(c, F_ORDERS, &s->orders, s->n_orders, sizeof o) ||
	    !(o.order_id = mem_strdup(id)))
		return ALLOT_ENOMEM;
	int r = strmap_put(&c->map[F_ORDERS], o.order_id, (int)s->n_orders, &old);
	if (r != 0) {
		mem_free(o.order_id);
		if (r < 0)
			return ALLOT_ENOMEM;
		dup_report(c, t, O_ID, F_ORDERS, old);
		return ALLOT_OK;
	}
	s->orders[s->n_orders] = o; /* owned by the model from here */
	return note_line(c, F_ORDERS, s->n_orders++, table_line(t));
}

/* ---- minerals.csv -------------------------------------------------------- */

enum { M_ID, M_NAME, M_STOCK, M_PRICE, M_NCOLS };

static const struct tcol mineral_cols[M_NCOLS] = {
	{ "mineral_id", TC_REQ | TC_VAL }, { "name", 0 }, { "stock_kg", 0 },
	{ "price_usd_per_kg", 0 },
};

static int mineral_row(struct lctx *c, struct table *t)
{
	struct allot_mineral m = { 0 };
	double kg;
	const char *id;
	if (rnum(t, M_STOCK, ALLOT_RANGE_KG, &kg) == 0)
		m.stock_g = grams(kg);
	rnum(t, M_PRICE, ALLOT_RANGE_PRICE, &m.price_usd_per_kg);
	if (key_check(c, t, M_ID, F_MINERALS, &id) != 0)
		return ALLOT_OK;
	if (strcmp(id, "*") == 0) {
		table_err(t, M_ID, "expected a mineral id in mineral_id, found \"*\" "
			  "(reserved for every mineral in embargoes.csv)");
		return ALLOT_OK;
	}
	const char *src[] = { id, table_str(t, M_NAME) };
	char **dst[] = { &m.mineral_id, &m.name };
	struct allot_scenario *s = c->s;
	if (push(c, F_MINERALS, &s->minerals, s->n_minerals, sizeof m) ||
	    dup_all(dst, src, 2))
		return ALLOT_ENOMEM;
	s->minerals[s->n_minerals] = m;
	return key_add(c, t, F_MINERALS, m.mineral_id, s->n_minerals++);
}

/* ---- supply.csv ---------------------------------------------------------- */

enum { U_MINERAL, U_SOURCE, U_KG, U_NCOLS };

static const struct tcol supply_cols[U_NCOLS] = {
	{ "mineral_id", TC_REQ | TC_VAL }, { "source", 0 },
	{ "kg_per_month", TC_REQ | TC_VAL },
};

static int supply_row(struct lctx *c, struct table *t)
{
	struct allot_supply u = { 0 };
	double kg;
	int bad = ref(c, t, U_MINERAL, F_MINERALS, "mineral", &u.mineral);
	bad |= rnum(t, U_KG, ALLOT_RANGE_KG, &kg);
	if (bad)
		return ALLOT_OK;
	u.g_per_month = grams(kg);
	struct allot_scenario *s = c->s;
	if (push(c, F_SUPPLY, &s->supply, s->n_supply, sizeof u) ||
	    !(u.source = mem_strdup(table_str(t, U_SOURCE))))
		return ALLOT_ENOMEM;
	s->supply[s->n_supply++] = u;
	return ALLOT_OK;
}

/* ---- bom.csv ------------------------------------------------------------- */

enum { B_SYSTEM, B_MINERAL, B_KG, B_NCOLS };

static const struct tcol bom_cols[B_NCOLS] = {
	{ "system_id", TC_REQ | TC_VAL }, { "mineral_id", TC_REQ | TC_VAL },
	{ "kg_per_unit", TC_REQ | TC_VAL },
};

static int bom_row(struct lctx *c, struct table *t)
{
	struct allot_bom b = { 0 };
	double kg;
	int bad = ref(c, t, B_SYSTEM, F_SYSTEMS, "system", &b.system);
	bad |= ref(c, t, B_MINERAL, F_MINERALS, "mineral", &b.mineral);
	bad |= rnum(t, B_KG, ALLOT_RANGE_KG, &kg);
	if (bad)
		return ALLOT_OK;
	b.g_per_unit = grams(kg);
	/* One row per (system, mineral): the pair is the key. */
	char pair[48];
	snprintf(pair, sizeof pair, "%d/%d", b.system, b.mineral);
	int old = strmap_get(&c->map[F_BOM], pair);
	if (old >= 0) {
		table_err(t, B_SYSTEM, "duplicate bom row for system \"%s\" and mineral "
			  "\"%s\" (first on line %ld)", table_str(t, B_SYSTEM),
			  table_str(t, B_MINERAL), c->rowline[F_BOM][old]);
		return ALLOT_OK;
	}
	struct allot_scenario *s = c->s;
	const char *key = own_key(c, pair);
	if (!key || push(c, F_BOM, &s->bom, s->n_bom, sizeof b))
		return ALLOT_ENOMEM;
	s->bom[s->n_bom] = b;
	return key_add(c, t, F_BOM, key, s->n_bom++);
}

/* ---- events.csv ---------------------------------------------------------- */

enum { E_MONTH, E_TYPE, E_TARGET, E_VALUE, E_NCOLS };

static const struct tcol event_cols[E_NCOLS] = {
	{ "month", TC_REQ | TC_VAL }, { "type", TC_REQ | TC_VAL },
	{ "target", TC_REQ | TC_VAL }, { "value", TC_REQ | TC_VAL },
};

/* What each event type's target names and what its value must be. */
static const struct evspec {
	int target;        /* F_LINES, F_PARTNERS, F_SYSTEMS, or -1 for a criterion */
	const char *what;  /* "line", "partner" */
	enum allot_range_id range; /* of the value */
	int is_eum;                /* 1: a status, 2: a boolean, 3: a tier */
} evspec[ALLOT_EV_COUNT] = {
	[ALLOT_EV_CAPACITY] = { F_LINES, "line", ALLOT_RANGE_RATE, 0 },
	[ALLOT_EV_US_SHARE] = { F_LINES, "line", ALLOT_RANGE_SHARE, 0 },
	[ALLOT_EV_BUDGET_CAP] = { F_PARTNERS, "partner", ALLOT_RANGE_USD, 0 },
	[ALLOT_EV_EUM_STATUS] = { F_PARTNERS, "partner", ALLOT_RANGE_COUNT, 1 },
	[ALLOT_EV_WEIGHT] = { -1, "criterion", ALLOT_RANGE_WEIGHT, 0 },
	[ALLOT_EV_CATALOG] = { F_SYSTEMS, "system", ALLOT_RANGE_COUNT, 2 },
	[ALLOT_EV_EEUM] = { F_SYSTEMS, "system", ALLOT_RANGE_COUNT, 2 },
	[ALLOT_EV_MIN_TIER] = { F_SYSTEMS, "system", ALLOT_RANGE_COUNT, 3 },
};

static int event_row(struct lctx *c, struct table *t)
{
	struct allot_event e = { 0 };
	char q[96];
	int bad = table_month(t, E_MONTH, &e.month);
	const char *type;
	if (table_key(t, E_TYPE, &type))
		return ALLOT_OK;
	int k = 0;
	while (k < ALLOT_EV_COUNT && strcmp(allot_event_type_name(k), type) != 0)
		k++;
	if (k == ALLOT_EV_COUNT) {
		table_err(t, E_TYPE, "expected an event type (capacity, us_share, "
			  "budget_cap, eum_status, weight, catalog, eeum or min_tier) in "
			  "type, found %s",
			  table_found(t, E_TYPE, q, sizeof q));
		return ALLOT_OK;
	}
	e.type = (enum allot_event_type)k;
	const struct evspec *sp = &evspec[k];
	if (sp->target >= 0) {
		bad |= ref(c, t, E_TARGET, (enum lfile)sp->target, sp->what, &e.index);
	} else if (table_key(t, E_TARGET, &type) == 0 &&
		   (e.index = allot_criterion_parse(table_str(t, E_TARGET))) < 0) {
		table_err(t, E_TARGET, "expected a criterion (investment, growth, "
			  "geography, operations or economic) in target, found %s",
			  table_found(t, E_TARGET, q, sizeof q));
		bad = -1;
	}
	const char *v;
	int flag = 0;
	int64_t tier = 0;
	if (sp->is_eum == 1) {
		bad |= table_key(t, E_VALUE, &v) || table_eum(t, E_VALUE, &e.eum);
	} else if (sp->is_eum == 2) {
		bad |= table_key(t, E_VALUE, &v) || table_bool(t, E_VALUE, &flag);
		e.num = flag;
	} else if (sp->is_eum == 3) {
		bad |= table_key(t, E_VALUE, &v) ||
		       table_int(t, E_VALUE, 0, ALLOT_MAX_TIERS, 0, &tier);
		e.num = (double)tier;
	} else {
		bad |= rnum(t, E_VALUE, sp->range, &e.num);
	}
	if (bad)
		return ALLOT_OK;
	const char *src[] = { table_str(t, E_TARGET), table_str(t, E_VALUE) };
	char **dst[] = { &e.target, &e.value };
	struct allot_scenario *s = c->s;
	if (push(c, F_EVENTS, &s->events, s->n_events, sizeof e) || dup_all(dst, src, 2))
		return ALLOT_ENOMEM;
	s->events[s->n_events++] = e;
	return ALLOT_OK;
}

/* ---- investments.csv ----------------------------------------------------- */

enum { I_ISO3, I_LINE, I_USD, I_MONTH, I_RATE, I_ONLINE, I_NCOLS };

static const struct tcol investment_cols[I_NCOLS] = {
	{ "iso3", TC_REQ | TC_VAL }, { "line_id", TC_REQ | TC_VAL },
	{ "usd", 0 }, { "month", TC_REQ | TC_VAL },
	{ "added_rate", TC_REQ | TC_VAL }, { "online_month", TC_REQ | TC_VAL },
};

static int investment_row(struct lctx *c, struct table *t)
{
	struct allot_investment v = { 0 };
	int bad = ref(c, t, I_ISO3, F_PARTNERS, "partner", &v.partner);
	bad |= ref(c, t, I_LINE, F_LINES, "line", &v.line);
	bad |= rnum(t, I_USD, ALLOT_RANGE_USD, &v.usd);
	bad |= rnum(t, I_RATE, ALLOT_RANGE_RATE, &v.added_rate);
	int mok = table_month(t, I_MONTH, &v.month) == 0;
	if (table_month(t, I_ONLINE, &v.online_month) == 0 && mok &&
	    v.online_month < v.month) {
		char m[8], q[96];
		allot_month_format(v.month, m);
		table_err(t, I_ONLINE, "expected a month >= month (%s) in online_month, found %s",
			  m, table_found(t, I_ONLINE, q, sizeof q));
		bad = -1;
	}
	if (bad || !mok)
		return ALLOT_OK;
	struct allot_scenario *s = c->s;
	if (push(c, F_INVESTMENTS, &s->investments, s->n_investments, sizeof v))
		return ALLOT_ENOMEM;
	s->investments[s->n_investments++] = v;
	return ALLOT_OK;
}

/* ---- embargoes.csv ------------------------------------------------------- */

enum { X_SOURCE, X_MINERAL, X_START, X_END, X_NCOLS };

static const struct tcol embargo_cols[X_NCOLS] = {
	{ "source", TC_REQ | TC_VAL }, { "mineral_id", TC_REQ | TC_VAL },
	{ "start_month", TC_REQ | TC_VAL }, { "end_month", 0 },
};

static int embargo_row(struct lctx *c, struct table *t)
{
	struct allot_embargo x = { 0 };
	const char *src;
	int bad = table_key(t, X_SOURCE, &src);
	if (strcmp(table_str(t, X_MINERAL), "*") == 0)
		x.mineral = -1;
	else
		bad |= ref(c, t, X_MINERAL, F_MINERALS, "mineral", &x.mineral);
	int sok = table_month(t, X_START, &x.start_month) == 0;
	if (table_month(t, X_END, &x.end_month) == 0 && sok &&
	    x.end_month != ALLOT_NO_MONTH && x.end_month < x.start_month) {
		char m[8], q[96];
		allot_month_format(x.start_month, m);
		table_err(t, X_END, "expected a month >= start_month (%s) in end_month, found %s",
			  m, table_found(t, X_END, q, sizeof q));
		bad = -1;
	}
	if (bad || !sok)
		return ALLOT_OK;
	struct allot_scenario *s = c->s;
	if (push(c, F_EMBARGOES, &s->embargoes, s->n_embargoes, sizeof x) ||
	    !(x.source = mem_strdup(src)))
		return ALLOT_ENOMEM;
	s->embargoes[s->n_embargoes++] = x;
	return ALLOT_OK;
}

/* ---- requests.csv -------------------------------------------------------- */

enum { R_ID, R_ISO3, R_SYSTEM, R_QTY, R_LOR, R_VALUE, R_CATEGORY, R_NCOLS };

static const struct tcol request_cols[R_NCOLS] = {
	{ "request_id", TC_REQ | TC_VAL }, { "iso3", TC_REQ | TC_VAL },
	{ "system_id", TC_REQ | TC_VAL }, { "qty", TC_REQ | TC_VAL },
	{ "lor_month", TC_REQ | TC_VAL }, { "value_usd", TC_REQ },
	{ "case_category", 0 },
};

static int request_row(struct lctx *c, struct table *t)
{
	struct allot_request r = { 0 };
	const char *id;
	char q[96];
	int bad = ref(c, t, R_ISO3, F_PARTNERS, "partner", &r.partner);
	bad |= ref(c, t, R_SYSTEM, F_SYSTEMS, "system", &r.system);
	bad |= rint64(t, R_QTY, 1, ALLOT_RANGE_QTY, 0, &r.qty);
	bad |= table_month(t, R_LOR, &r.lor_month);
	r.value_usd = -1;
	if (table_str(t, R_VALUE)[0])
		bad |= rnum(t, R_VALUE, ALLOT_RANGE_VALUE, &r.value_usd);
	r.category = -1;
	const char *cat = table_str(t, R_CATEGORY);
	if (cat[0] && (r.category = allot_case_category_parse(cat)) < 0) {
		table_err(t, R_CATEGORY, "expected a case category (A, B, C or DC) in "
			  "case_category, found %s", table_found(t, R_CATEGORY, q, sizeof q));
		bad = -1;
	}
	if (key_check(c, t, R_ID, F_REQUESTS, &id) != 0 || bad)
		return ALLOT_OK;
	struct allot_scenario *s = c->s;
	if (r.value_usd < 0) /* empty: the units at their unit cost */
		r.value_usd = (double)r.qty * s->systems[r.system].unit_cost_usd;
	if (push(c, F_REQUESTS, &s->requests, s->n_requests, sizeof r) ||
	    !(r.request_id = mem_strdup(id)))
		return ALLOT_ENOMEM;
	s->requests[s->n_requests] = r;
	return key_add(c, t, F_REQUESTS, r.request_id, s->n_requests++);
}

/* ---- transfers.csv ------------------------------------------------------- */

enum { T_ID, T_FROM, T_TO, T_SYSTEM, T_QTY, T_MONTH, T_NCOLS };

static const struct tcol transfer_cols[T_NCOLS] = {
	{ "transfer_id", TC_REQ | TC_VAL }, { "from_iso3", TC_REQ | TC_VAL },
	{ "to_iso3", TC_REQ | TC_VAL }, { "system_id", TC_REQ | TC_VAL },
	{ "qty", TC_REQ | TC_VAL }, { "request_month", TC_REQ | TC_VAL },
};

static int transfer_row(struct lctx *c, struct table *t)
{
	struct allot_transfer x = { 0 };
	const char *id, *to = NULL;
	char q[96];
	int bad = ref(c, t, T_FROM, F_PARTNERS, "partner", &x.from);
	bad |= ref(c, t, T_SYSTEM, F_SYSTEMS, "system", &x.system);
	bad |= rint64(t, T_QTY, 1, ALLOT_RANGE_QTY, 0, &x.qty);
	bad |= table_month(t, T_MONTH, &x.request_month);
	if (table_key(t, T_TO, &to) != 0) {
		bad = -1;
	} else if (!value_iso3(to)) {
		table_err(t, T_TO, "expected a 3-letter upper-case ISO code in to_iso3, found %s",
			  table_found(t, T_TO, q, sizeof q));
		bad = -1;
	} else {
		memcpy(x.to_iso3, to, 4);
		/* A recipient outside partners.csv is allowed: it has no
		 * eligibility in the scenario (docs/case-process.md). */
		x.to = strmap_get(&c->map[F_PARTNERS], to);
	}
	if (key_check(c, t, T_ID, F_TRANSFERS, &id) != 0 || bad)
		return ALLOT_OK;
	struct allot_scenario *s = c->s;
	if (push(c, F_TRANSFERS, &s->transfers, s->n_transfers, sizeof x) ||
	    !(x.transfer_id = mem_strdup(id)))
		return ALLOT_ENOMEM;
	s->transfers[s->n_transfers] = x;
	return key_add(c, t, F_TRANSFERS, x.transfer_id, s->n_transfers++);
}

/* ---- wip.csv ------------------------------------------------------------- */

enum { W_ORDER, W_MONTH, W_UNITS, W_NCOLS };

static const struct tcol wip_cols[W_NCOLS] = {
	{ "order_id", TC_REQ | TC_VAL }, { "month", TC_REQ | TC_VAL },
	{ "units", TC_REQ | TC_VAL },
};

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
		table_err(t, W_MONTH, "expected a delivery month from %s (as_of) in month, found %s",
			  a, table_found(t, W_MONTH, q, sizeof q));
		return 0;
	}
	if (w->month >= s->as_of && w->month < s->as_of + lead)
		return 1;
	if (lead <= 0)
		table_err(t, W_MONTH, "expected no work in progress for order \"%s\" (its "
			  "system has lead_months 0, so nothing is in production at as_of), "
			  "found %s", s->orders[w->order].order_id,
			  table_found(t, W_MONTH, q, sizeof q));
	else {
		allot_month_format(s->as_of + lead - 1, b);
		table_err(t, W_MONTH, "expected a delivery month from %s to %s (as_of to "
			  "as_of + lead_months - 1) in month, found %s", a, b,
			  table_found(t, W_MONTH, q, sizeof q));
	}
	return 0;
}

static int wip_row(struct lctx *c, struct table *t)
{
	struct allot_wip w = { 0 };
	struct allot_scenario *s = c->s;
	int bad = ref(c, t, W_ORDER, F_ORDERS, "order", &w.order);
	bad |= table_month(t, W_MONTH, &w.month);
	bad |= rint64(t, W_UNITS, 1, ALLOT_RANGE_QTY, 0, &w.units);
	if (bad || !wip_month_ok(c, t, &w))
		return ALLOT_OK;
	char pair[48];
	snprintf(pair, sizeof pair, "%d/%d", w.order, (int)w.month);
	int old = strmap_get(&c->map[F_WIP], pair);
	if (old >= 0) {
		table_err(t, W_ORDER, "duplicate wip row for order \"%s\" and month %s "
			  "(first on line %ld)", table_str(t, W_ORDER), table_str(t, W_MONTH),
			  c->rowline[F_WIP][old]);
		return ALLOT_OK;
	}
	if (!c->wip_sum && !(c->wip_sum = mem_calloc(s->n_orders, sizeof *c->wip_sum)))
		return ALLOT_ENOMEM;
	const struct allot_order *o = &s->orders[w.order];
	int64_t open = o->qty - o->delivered;
	if (w.units > open - c->wip_sum[w.order]) {
		table_err(t, W_UNITS, "expected the wip units of order \"%s\" to total at most "
			  "qty - delivered (%lld), found %lld more after %lld", o->order_id,
			  (long long)open, (long long)w.units, (long long)c->wip_sum[w.order]);
		return ALLOT_OK;
	}
	c->wip_sum[w.order] += w.units;
	const char *key = own_key(c, pair);
	if (!key || push(c, F_WIP, &s->wip, s->n_wip, sizeof w))
		return ALLOT_ENOMEM;
	s->wip[s->n_wip] = w;
	return key_add(c, t, F_WIP, key, s->n_wip++);
}

/* ---- the file table ------------------------------------------------------ */

static const struct lfile_spec {
	const char *name;
	int present_bit; /* ALLOT_FILE_* of an optional file; -1 = required */
	const struct tcol *cols;
	size_t ncols;
	row_fn row;
} files[F_COUNT] = {
	[F_PARTNERS] = { "partners.csv", -1, partner_cols, P_NCOLS, partner_row },
	[F_LINES] = { "lines.csv", -1, line_cols, L_NCOLS, line_row },
	[F_SYSTEMS] = { "systems.csv", -1, system_cols, S_NCOLS, system_row },
	[F_ORDERS] = { "orders.csv", -1, order_cols, O_NCOLS, order_row },
	[F_MINERALS] = { "minerals.csv", ALLOT_FILE_MINERALS, mineral_cols, M_NCOLS, mineral_row },
	[F_SUPPLY] = { "supply.csv", ALLOT_FILE_SUPPLY, supply_cols, U_NCOLS, supply_row },
	[F_BOM] = { "bom.csv", ALLOT_FILE_BOM, bom_cols, B_NCOLS, bom_row },
	[F_EVENTS] = { "events.csv", ALLOT_FILE_EVENTS, event_cols, E_NCOLS, event_row },
	[F_INVESTMENTS] = { "investments.csv", ALLOT_FILE_INVESTMENTS, investment_cols,
			    I_NCOLS, investment_row },
	[F_EMBARGOES] = { "embargoes.csv", ALLOT_FILE_EMBARGOES, embargo_cols, X_NCOLS,
			  embargo_row },
	[F_REQUESTS] = { "requests.csv", ALLOT_FILE_REQUESTS, request_cols, R_NCOLS,
			 request_row },
	[F_TRANSFERS] = { "transfers.csv", ALLOT_FILE_TRANSFERS, transfer_cols, T_NCOLS,
			  transfer_row },
	[F_WIP] = { "wip.csv", ALLOT_FILE_WIP, wip_cols, W_NCOLS, wip_row },
};

static const char *file_name(enum lfile f) { return files[f].name; }

static int load_csv(struct lctx *c, enum lfile f)
{
	const struct lfile_spec *sp = &files[f];
	char *path = mem_path_join(c->dir, sp->name);
	if (!path)
		return ALLOT_ENOMEM;
	struct table t;
	int rc = table_open(&t, path, sp->cols, sp->ncols, sp->present_bit >= 0, c->d);
	if (rc == ALLOT_ENOTFOUND) {
		c->complete |= 1u << f;
		rc = ALLOT_OK;
		goto done;
	}
	if (sp->present_bit >= 0 && rc != ALLOT_ENOMEM)
		c->s->present |= 1u << sp->present_bit;
	while (rc == ALLOT_OK && table_next(&t))
		rc = sp->row(c, &t);
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

static void jerr(struct lctx *c, const char *file, const char *text,
		 const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void jerr(struct lctx *c, const char *file, const char *text,
		 const char *key, const char *fmt, ...)
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
	return s && s[0] && s[0] != '.' && !strchr(s, '/') &&
	       strlen(s) == json_string_length(v);
}

static int scenario_key(struct lctx *c, const char *file, const char *text,
			const struct skey *k, const json_t *v)
{
	char found[128];
	void *dst = (char *)c->s + k->off;
	switch (k->kind) {
	case SK_MONTH:
		if (json_is_string(v) &&
		    allot_month_parse(json_string_value(v), (allot_month *)dst) == 0)
			return ALLOT_OK;
		json_shown(v, found, sizeof found);
		jerr(c, file, text, k->key, "expected a month \"YYYY-MM\" in %s, found %s",
		     k->key, found);
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
				       : json_is_string(v) &&
						 strlen(json_string_value(v)) ==
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
	json_object_foreach(j, key, v) {
		size_t k = 0;
		while (k < NSKEYS && strcmp(skeys[k].key, key) != 0)
			k++;
		if (k == NSKEYS) {
			jerr(c, path, text, key, "unknown key \"%s\" in scenario.json; "
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
}

int allot_scenario_load(const char *dir, struct allot_scenario **out,
			struct allot_diags *diags)
{
	struct allot_diags local;
	struct allot_diags *d = diags;
	if (!d) {
		allot_diags_init(&local);
		d = &local;
	}
	size_t before = allot_diags_count(d);
	struct lctx c = { .dir = dir, .d = d };
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
	if ((rc = load_scenario_json(&c, &named)) != 0 ||
	    (rc = load_policy(&c, named)) != 0)
		goto done;
	for (int f = 0; f < F_COUNT && rc == ALLOT_OK; f++)
		rc = load_csv(&c, (enum lfile)f);
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
