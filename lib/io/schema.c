/*
 * schema.c - the scenario tables, described once (schema.h).
 *
 * Column arrays are in canonical order: the order of the CSV header the
 * writer produces, of the store's columns after (scenario_id, seq) and of
 * the inputs hash.  docs/scenario-format.md lists the same columns with the
 * same type cell (test_schema checks it).
 */
#include <allot/allot.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define F(st, fld) .off = offsetof(struct st, fld), .size = sizeof(((struct st *)0)->fld)
#define R          (SC_REQ | SC_VAL)

/* ---- the columns --------------------------------------------------------- */

/* One row per column, its designators on as few lines as fit: clang-format
 * would give each designator a line of its own (it never packs a braced
 * list that starts with one). */
/* clang-format off */
static const struct sc_col partner_cols[] = {
	{ .name = "iso3", .type = SC_ISO3, .flags = R | SC_KEY, F(allot_partner, iso3) },
	{ .name = "name", .type = SC_TEXT, .flags = SC_REQ, F(allot_partner, name) },
	{ .name = "region", .type = SC_TEXT, .flags = SC_REQ, F(allot_partner, region),
	  .dflt_text = "other" },
	{ .name = "alliance", .type = SC_TEXT, F(allot_partner, alliance) },
	{ .name = "frontline", .type = SC_BOOL, F(allot_partner, frontline) },
	{ .name = "defense_pct_gdp", .type = SC_NUM, F(allot_partner, defense_pct_gdp),
	  .range = ALLOT_RANGE_PCT_GDP, .unit = "% of GDP" },
	{ .name = "real_growth_3y_pct", .type = SC_NUM, F(allot_partner, real_growth_3y_pct),
	  .range = ALLOT_RANGE_GROWTH, .unit = "%" },
	{ .name = "us_troops", .type = SC_NUM, F(allot_partner, us_troops),
	  .range = ALLOT_RANGE_TROOPS, .unit = "persons" },
	{ .name = "basing_access", .type = SC_INT, F(allot_partner, basing_access),
	  .ilo = 0, .ihi = 3 },
	{ .name = "us_purchases_5y_usd", .type = SC_NUM, F(allot_partner, us_purchases_5y_usd),
	  .range = ALLOT_RANGE_USD, .unit = "USD" },
	{ .name = "invest_in_us_usd", .type = SC_NUM, .flags = SC_MISSING,
	  F(allot_partner, invest_in_us_usd), .range = ALLOT_RANGE_USD, .unit = "USD",
	  .doc = "number 0..1e15, `unknown` or empty (unknown)" },
	{ .name = "eum_status", .type = SC_ENUM, F(allot_partner, eum_status), .ref = SE_EUM },
	{ .name = "defense_pct_gdp_year", .sql = "defense_year", .type = SC_YEAR,
	  .flags = SC_TRAIL, F(allot_partner, defense_year), .since = 3 },
	{ .name = "real_growth_3y_year", .sql = "growth_year", .type = SC_YEAR,
	  .flags = SC_TRAIL, F(allot_partner, growth_year), .since = 3 },
	{ .name = "us_purchases_basis", .sql = "purchases_basis", .type = SC_ENUM,
	  .flags = SC_TRAIL, F(allot_partner, purchases_basis), .ref = SE_PURCHASES, .since = 6 },
};

static const struct sc_col line_cols[] = {
	{ .name = "line_id", .type = SC_TEXT, .flags = R | SC_KEY, F(allot_line, line_id) },
	{ .name = "name", .type = SC_TEXT, F(allot_line, name) },
	{ .name = "rate_per_month", .type = SC_NUM, .flags = R, F(allot_line, rate_per_month),
	  .range = ALLOT_RANGE_RATE, .unit = "units/month" },
	{ .name = "us_share", .type = SC_NUM, F(allot_line, us_share),
	  .range = ALLOT_RANGE_SHARE },
	{ .name = "rate_basis", .type = SC_ENUM, .flags = SC_TRAIL, F(allot_line, rate_basis),
	  .ref = SE_RATE_BASIS, .doc = "`cited`, `estimate` or empty", .since = 3 },
};

static const struct sc_col system_cols[] = {
	{ .name = "system_id", .type = SC_TEXT, .flags = R | SC_KEY,
	  F(allot_system, system_id) },
	{ .name = "name", .type = SC_TEXT, F(allot_system, name) },
	{ .name = "line_id", .type = SC_REF, .flags = R, F(allot_system, line),
	  .ref = SC_LINES },
	{ .name = "unit_cost_usd", .type = SC_NUM, .flags = SC_MISSING,
	  F(allot_system, unit_cost_usd), .range = ALLOT_RANGE_UNIT_COST, .unit = "USD",
	  .doc = "number 0..1e12, `unknown` or empty (unknown)" },
	{ .name = "lead_months", .type = SC_INT, F(allot_system, lead_months),
	  .ilo = 0, .ihi = 1200, .unit = "months" },
	{ .name = "eeum", .type = SC_BOOL, F(allot_system, eeum) },
	{ .name = "catalog", .type = SC_BOOL, F(allot_system, catalog) },
	{ .name = "foreign_alternative", .type = SC_TEXT, F(allot_system, foreign_alternative) },
	{ .name = "mde", .type = SC_BOOL, .flags = SC_TRAIL | SC_INVERT | SC_NOHASH,
	  F(allot_system, not_mde), .since = 2 },
	{ .name = "unit_cost_basis", .type = SC_ENUM, .flags = SC_TRAIL,
	  F(allot_system, unit_cost_basis), .ref = SE_RATE_BASIS, .since = 6 },
};

/* orders.csv: the hot table of big scenarios (load.c parses it column by
 * column from this array). */
static const struct sc_col order_cols[] = {
	{ .name = "order_id", .type = SC_TEXT, .flags = R | SC_KEY, F(allot_order, order_id) },
	{ .name = "iso3", .type = SC_REF, .flags = R, F(allot_order, partner),
	  .ref = SC_PARTNERS },
	{ .name = "system_id", .type = SC_REF, .flags = R, F(allot_order, system),
	  .ref = SC_SYSTEMS },
	{ .name = "qty", .type = SC_INT, .flags = R, F(allot_order, qty), .ilo = 1,
	  .range = ALLOT_RANGE_QTY, .unit = "units" },
	{ .name = "delivered", .type = SC_INT, F(allot_order, delivered), .ilo = 0,
	  .range = ALLOT_RANGE_QTY, .bound = 1 + 3, .unit = "units",
	  .doc = "integer 0..qty" },
	{ .name = "loa_month", .type = SC_MONTH, .flags = R | SC_NULL,
	  F(allot_order, loa_month) },
	{ .name = "need_month", .type = SC_MONTH, .flags = SC_NULL, F(allot_order, need_month) },
	{ .name = "partner_rank", .type = SC_INT, .flags = SC_NULL, F(allot_order, partner_rank),
	  .ilo = 1, .range = ALLOT_RANGE_QTY, .dflt = -1 },
	{ .name = "supply", .type = SC_ENUM, .flags = SC_TRAIL, F(allot_order, supply),
	  .ref = SE_SUPPLY, .since = 3 },
	{ .name = "max_per_month", .type = SC_INT, .flags = SC_TRAIL | SC_NULL,
	  F(allot_order, max_per_month), .ilo = 1, .range = ALLOT_RANGE_QTY,
	  .unit = "units/month", .since = 4 },
	{ .name = "not_before", .type = SC_MONTH, .flags = SC_TRAIL | SC_NULL,
	  F(allot_order, not_before), .since = 5 },
	{ .name = "loa_basis", .type = SC_ENUM, .flags = SC_TRAIL, F(allot_order, loa_basis),
	  .ref = SE_LOA_BASIS, .since = 6 },
};

static const struct sc_col mineral_cols[] = {
	{ .name = "mineral_id", .type = SC_TEXT, .flags = R | SC_KEY,
	  F(allot_mineral, mineral_id) },
	{ .name = "name", .type = SC_TEXT, F(allot_mineral, name) },
	{ .name = "stock_kg", .sql = "stock_g", .type = SC_GRAMS, F(allot_mineral, stock_g),
	  .range = ALLOT_RANGE_KG, .unit = "kg" },
	{ .name = "price_usd_per_kg", .type = SC_NUM, F(allot_mineral, price_usd_per_kg),
	  .range = ALLOT_RANGE_PRICE, .unit = "USD/kg" },
	{ .name = "stock_basis", .type = SC_ENUM, .flags = SC_TRAIL,
	  F(allot_mineral, stock_basis), .ref = SE_RATE_BASIS, .since = 6 },
};

static const struct sc_col supply_cols[] = {
	{ .name = "mineral_id", .type = SC_REF, .flags = R, F(allot_supply, mineral),
	  .ref = SC_MINERALS },
	{ .name = "source", .type = SC_TEXT, F(allot_supply, source) },
	{ .name = "kg_per_month", .sql = "g_per_month", .type = SC_GRAMS, .flags = R,
	  F(allot_supply, g_per_month), .range = ALLOT_RANGE_KG, .unit = "kg/month" },
};

static const struct sc_col bom_cols[] = {
	{ .name = "system_id", .type = SC_REF, .flags = R, F(allot_bom, system),
	  .ref = SC_SYSTEMS },
	{ .name = "mineral_id", .type = SC_REF, .flags = R, F(allot_bom, mineral),
	  .ref = SC_MINERALS },
	{ .name = "kg_per_unit", .sql = "g_per_unit", .type = SC_GRAMS, .flags = R,
	  F(allot_bom, g_per_unit), .range = ALLOT_RANGE_KG, .unit = "kg/unit" },
};

/* events.csv: target and value are kept as written; their meaning depends
 * on the type (allot_sc_event_rules below). */
static const struct sc_col event_cols[] = {
	{ .name = "month", .type = SC_MONTH, .flags = R | SC_NULL, F(allot_event, month) },
	{ .name = "type", .type = SC_ENUM, .flags = R, F(allot_event, type), .ref = SE_EVENT,
	  .doc = "event type" },
	{ .name = "target", .type = SC_TEXT, .flags = R, F(allot_event, target),
	  .doc = "depends on type" },
	{ .name = "value", .type = SC_TEXT, .flags = R, F(allot_event, value),
	  .doc = "depends on type" },
};

static const struct sc_col investment_cols[] = {
	{ .name = "iso3", .type = SC_REF, .flags = R, F(allot_investment, partner),
	  .ref = SC_PARTNERS },
	{ .name = "line_id", .type = SC_REF, .flags = R, F(allot_investment, line),
	  .ref = SC_LINES },
	{ .name = "usd", .type = SC_NUM, F(allot_investment, usd), .range = ALLOT_RANGE_USD,
	  .unit = "USD" },
	{ .name = "month", .type = SC_MONTH, .flags = R | SC_NULL | SC_LATE,
	  F(allot_investment, month) },
	{ .name = "added_rate", .type = SC_NUM, .flags = R, F(allot_investment, added_rate),
	  .range = ALLOT_RANGE_RATE, .unit = "units/month" },
	{ .name = "online_month", .type = SC_MONTH, .flags = R | SC_NULL | SC_LATE,
	  F(allot_investment, online_month), .bound = 1 + 3 },
};

static const struct sc_col embargo_cols[] = {
	{ .name = "source", .type = SC_TEXT, .flags = R, F(allot_embargo, source) },
	{ .name = "mineral_id", .type = SC_REF, .flags = R | SC_STAR, F(allot_embargo, mineral),
	  .ref = SC_MINERALS, .doc = "reference or `*`" },
	{ .name = "start_month", .type = SC_MONTH, .flags = R | SC_NULL,
	  F(allot_embargo, start_month) },
	{ .name = "end_month", .type = SC_MONTH, .flags = SC_NULL, F(allot_embargo, end_month),
	  .bound = 1 + 2 },
};

static const struct sc_col request_cols[] = {
	{ .name = "request_id", .type = SC_TEXT, .flags = R | SC_KEY,
	  F(allot_request, request_id) },
	{ .name = "iso3", .type = SC_REF, .flags = R, F(allot_request, partner),
	  .ref = SC_PARTNERS },
	{ .name = "system_id", .type = SC_REF, .flags = R, F(allot_request, system),
	  .ref = SC_SYSTEMS },
	{ .name = "qty", .type = SC_INT, .flags = R, F(allot_request, qty), .ilo = 1,
	  .range = ALLOT_RANGE_QTY, .unit = "units" },
	{ .name = "lor_month", .type = SC_MONTH, .flags = R, F(allot_request, lor_month) },
	{ .name = "value_usd", .type = SC_NUM, .flags = SC_REQ | SC_UNSET,
	  F(allot_request, value_usd), .range = ALLOT_RANGE_VALUE, .unit = "USD" },
	{ .name = "case_category", .type = SC_ENUM, F(allot_request, category),
	  .ref = SE_CATEGORY, .dflt = -1, .field = "category" },
};

static const struct sc_col transfer_cols[] = {
	{ .name = "transfer_id", .type = SC_TEXT, .flags = R | SC_KEY,
	  F(allot_transfer, transfer_id) },
	{ .name = "from_iso3", .type = SC_REF, .flags = R, F(allot_transfer, from),
	  .ref = SC_PARTNERS, .field = "from" },
	{ .name = "to_iso3", .type = SC_ISO3, .flags = R | SC_LATE, F(allot_transfer, to_iso3),
	  .doc = "ISO code" },
	{ .name = "system_id", .type = SC_REF, .flags = R, F(allot_transfer, system),
	  .ref = SC_SYSTEMS },
	{ .name = "qty", .type = SC_INT, .flags = R, F(allot_transfer, qty), .ilo = 1,
	  .range = ALLOT_RANGE_QTY, .unit = "units" },
	{ .name = "request_month", .type = SC_MONTH, .flags = R,
	  F(allot_transfer, request_month) },
};

static const struct sc_col wip_cols[] = {
	{ .name = "order_id", .type = SC_REF, .flags = R, F(allot_wip, order), .ref = SC_ORDERS },
	{ .name = "month", .type = SC_MONTH, .flags = R, F(allot_wip, month) },
	{ .name = "units", .type = SC_INT, .flags = R, F(allot_wip, units), .ilo = 1,
	  .range = ALLOT_RANGE_QTY, .unit = "units" },
};
/* clang-format on */

#undef R
#undef F

/* ---- the tables ---------------------------------------------------------- */

#define T(st, arr, n) \
	sizeof(struct st), offsetof(struct allot_scenario, arr), offsetof(struct allot_scenario, n)
#define C(a) a, (int)(sizeof a / sizeof *a)

const struct sc_table allot_sc_tables[SC_NTABS] = {
	[SC_PARTNERS] = { "partners.csv", "partners", -1, T(allot_partner, partners, n_partners),
			  C(partner_cols), 0, "partner", "a partner iso3", 1, 1, NULL },
	[SC_LINES] = { "lines.csv", "lines", -1, T(allot_line, lines, n_lines), C(line_cols), 0,
		       "line", "a line_id", 1, 1, NULL },
	[SC_SYSTEMS] = { "systems.csv", "systems", -1, T(allot_system, systems, n_systems),
			 C(system_cols), 0, "system", "a system_id", 1, 1, NULL },
	[SC_ORDERS] = { "orders.csv", "orders", -1, T(allot_order, orders, n_orders), C(order_cols),
			0, "order", "an order_id", 1, 1, NULL },
	[SC_MINERALS] = { "minerals.csv", "minerals", ALLOT_FILE_MINERALS,
			  T(allot_mineral, minerals, n_minerals), C(mineral_cols), 0, "mineral",
			  "a mineral_id", 1, 1, NULL },
	[SC_SUPPLY] = { "supply.csv", "supply", ALLOT_FILE_SUPPLY,
			T(allot_supply, supply, n_supply), C(supply_cols), -1, NULL, NULL, 0, 1,
			NULL },
	[SC_BOM] = { "bom.csv", "bom", ALLOT_FILE_BOM, T(allot_bom, bom, n_bom), C(bom_cols), -1,
		     NULL, NULL, 0, 1, NULL },
	[SC_EVENTS] = { "events.csv", "events", ALLOT_FILE_EVENTS, T(allot_event, events, n_events),
			C(event_cols), -1, NULL, NULL, 0, 1, NULL },
	[SC_INVESTMENTS] = { "investments.csv", "investments", ALLOT_FILE_INVESTMENTS,
			     T(allot_investment, investments, n_investments), C(investment_cols),
			     -1, NULL, NULL, 0, 1, NULL },
	[SC_EMBARGOES] = { "embargoes.csv", "embargoes", ALLOT_FILE_EMBARGOES,
			   T(allot_embargo, embargoes, n_embargoes), C(embargo_cols), -1, NULL,
			   NULL, 0, 1, NULL },
	[SC_REQUESTS] = { "requests.csv", "requests", ALLOT_FILE_REQUESTS,
			  T(allot_request, requests, n_requests), C(request_cols), 0, NULL, NULL, 0,
			  0, NULL },
	[SC_TRANSFERS] = { "transfers.csv", "transfers", ALLOT_FILE_TRANSFERS,
			   T(allot_transfer, transfers, n_transfers), C(transfer_cols), 0, NULL,
			   NULL, 0, 0, NULL },
	[SC_WIP] = { "wip.csv", "wip", ALLOT_FILE_WIP, T(allot_wip, wip, n_wip), C(wip_cols), -1,
		     NULL, NULL, 0, 2, "order_id, month" },
};

#undef C
#undef T

/* Layout v1 of the inputs hash (docs/store.md): this order, requests and
 * transfers not hashed. */
const enum sc_tab allot_sc_hash_order[] = {
	SC_PARTNERS, SC_SYSTEMS, SC_LINES,  SC_ORDERS,      SC_WIP,       SC_MINERALS,
	SC_SUPPLY,   SC_BOM,     SC_EVENTS, SC_INVESTMENTS, SC_EMBARGOES, SC_NTABS,
};

const char *allot_sc_key(const struct allot_scenario *s, enum sc_tab t, long i)
{
	const struct sc_table *tb = &allot_sc_tables[t];
	if (tb->key < 0 || i < 0 || (size_t)i >= sc_nrows(tb, s))
		return "";
	return sc_get_text(sc_row(tb, s, (size_t)i), &tb->cols[tb->key]);
}

const char *allot_sc_field_name(const struct sc_col *c)
{
	if (c->field)
		return c->field;
	if (c->type == SC_REF)
		return allot_sc_tables[c->ref].ref_what;
	return c->name;
}

int allot_sc_find(const struct allot_scenario *s, enum sc_tab t, const char *key)
{
	const struct sc_table *tb = &allot_sc_tables[t];
	size_t n = sc_nrows(tb, s);
	for (size_t i = 0; i < n; i++)
		if (strcmp(allot_sc_key(s, t, (long)i), key) == 0)
			return (int)i;
	return -1;
}

/* ---- named values -------------------------------------------------------- */

const char *allot_sc_enum_name(int e, int v)
{
	switch ((enum sc_enum)e) {
	case SE_EUM:
		return allot_eum_name((enum allot_eum)v);
	case SE_RATE_BASIS:
		return allot_rate_basis_name((enum allot_rate_basis)v);
	case SE_SUPPLY:
		return allot_supply_type_name((enum allot_supply_type)v);
	case SE_CATEGORY:
		return allot_case_category_name(v);
	case SE_EVENT:
		return v >= 0 && v < ALLOT_EV_COUNT ? allot_event_type_name(v) : "";
	case SE_LOA_BASIS:
		return allot_loa_basis_name((enum allot_loa_basis)v);
	case SE_PURCHASES:
		return allot_purchases_basis_name((enum allot_purchases_basis)v);
	case SE_NENUMS:
		break;
	}
	return "";
}

int allot_sc_enum_parse(int e, const char *s, int *out)
{
	switch ((enum sc_enum)e) {
	case SE_EUM: {
		enum allot_eum v = ALLOT_EUM_COMPLIANT;
		int rc = s[0] ? allot_eum_parse(s, &v) : 0;
		*out = (int)v;
		return rc ? -1 : 0;
	}
	case SE_RATE_BASIS: {
		enum allot_rate_basis v = ALLOT_RATE_UNSTATED;
		int rc = allot_rate_basis_parse(s, &v);
		*out = (int)v;
		return rc ? -1 : 0;
	}
	case SE_SUPPLY: {
		enum allot_supply_type v = ALLOT_SUPPLY_NEW;
		int rc = allot_supply_type_parse(s, &v);
		*out = (int)v;
		return rc ? -1 : 0;
	}
	case SE_CATEGORY:
		*out = s[0] ? allot_case_category_parse(s) : -1;
		return s[0] && *out < 0 ? -1 : 0;
	case SE_EVENT:
		*out = allot_sc_event_type(s);
		return *out < 0 ? -1 : 0;
	case SE_LOA_BASIS: {
		enum allot_loa_basis v = ALLOT_LOA_UNSTATED;
		int rc = allot_loa_basis_parse(s, &v);
		*out = (int)v;
		return rc ? -1 : 0;
	}
	case SE_PURCHASES: {
		enum allot_purchases_basis v = ALLOT_PURCHASES_UNSTATED;
		int rc = allot_purchases_basis_parse(s, &v);
		*out = (int)v;
		return rc ? -1 : 0;
	}
	case SE_NENUMS:
		break;
	}
	return -1;
}

/* What is said of each value set: in the loader's message, in the docs'
 * type cell, and in a damaged store's message. */
static const struct {
	const char *expect, *doc, *what;
} enum_text[SE_NENUMS] = {
	[SE_EUM] = { "an end-use status (compliant, delinquent or violation)",
		     "`compliant`, `delinquent`, `violation`", "an end-use status" },
	[SE_RATE_BASIS] = { "cited, estimate or empty", "`cited`, `estimate` or empty",
			    "a rate basis" },
	[SE_SUPPLY] = { "a supply type (new, used, lease or licence)",
			"`new`, `used`, `lease`, `licence`", "a supply type" },
	[SE_CATEGORY] = { "a case category (A, B, C or DC)", "`A`, `B`, `C`, `DC`",
			  "a case category" },
	[SE_EVENT] = { "an event type (capacity, us_share, budget_cap, eum_status, weight, "
		       "catalog, eeum or min_tier)",
		       "event type", "an event type" },
	[SE_LOA_BASIS] = { "month, year or empty", "`month`, `year` or empty",
			   "an LOA date basis" },
	[SE_PURCHASES] = { "usd, tiv or empty", "`usd`, `tiv` or empty", "a purchases basis" },
};

const char *allot_sc_enum_expect(int e)
{
	return e >= 0 && e < SE_NENUMS ? enum_text[e].expect : "a value";
}

const char *allot_sc_enum_what(int e)
{
	return e >= 0 && e < SE_NENUMS ? enum_text[e].what : "a value";
}

static const char *enum_doc(int e)
{
	return e >= 0 && e < SE_NENUMS ? enum_text[e].doc : "";
}

int64_t allot_sc_int_value(const void *row, const struct sc_col *c)
{
	int64_t v = sc_get_int(row, c);
	return (c->flags & SC_INVERT) ? !v : v;
}

int allot_sc_is_default(const void *row, const struct sc_col *c)
{
	switch (c->type) {
	case SC_TEXT:
	case SC_ISO3: {
		const char *s = sc_get_text(row, c);
		return !s || !s[0];
	}
	case SC_NUM:
		return *(const double *)((const char *)row + c->off) == 0;
	case SC_MONTH:
		return *(const allot_month *)((const char *)row + c->off) == ALLOT_NO_MONTH;
	default:
		return sc_get_int(row, c) == c->dflt;
	}
}

int allot_sc_row_era(const struct sc_table *t, const void *row)
{
	int era = 0;
	for (int k = 0; k < t->ncols; k++) {
		const struct sc_col *c = &t->cols[k];
		if ((c->flags & SC_TRAIL) && c->since > era && !allot_sc_is_default(row, c))
			era = c->since;
	}
	return era;
}

int allot_sc_table_era(const struct sc_table *t, const struct allot_scenario *s)
{
	int era = 0, top = 0;
	for (int k = 0; k < t->ncols; k++)
		if ((t->cols[k].flags & SC_TRAIL) && t->cols[k].since > top)
			top = t->cols[k].since;
	size_t n = sc_nrows(t, s);
	for (size_t i = 0; i < n && era < top; i++) {
		int e = allot_sc_row_era(t, sc_row(t, s, i));
		era = e > era ? e : era;
	}
	return era;
}

int allot_sc_schema_version(void)
{
	int v = 3;
	for (int t = 0; t < SC_NTABS; t++)
		for (int k = 0; k < allot_sc_tables[t].ncols; k++)
			if (allot_sc_tables[t].cols[k].since > v)
				v = allot_sc_tables[t].cols[k].since;
	return v;
}

/* ---- events -------------------------------------------------------------- */

const struct sc_event_rule allot_sc_event_rules[ALLOT_EV_COUNT] = {
	[ALLOT_EV_CAPACITY] = { SC_LINES, "line", "line", ALLOT_RANGE_RATE, 0 },
	[ALLOT_EV_US_SHARE] = { SC_LINES, "line", "line", ALLOT_RANGE_SHARE, 0 },
	[ALLOT_EV_BUDGET_CAP] = { SC_PARTNERS, "partner", "partner iso3", ALLOT_RANGE_USD, 0 },
	[ALLOT_EV_EUM_STATUS] = { SC_PARTNERS, "partner", "partner iso3", ALLOT_RANGE_COUNT,
				  SC_EV_STATUS },
	[ALLOT_EV_WEIGHT] = { -1, "criterion", "criterion", ALLOT_RANGE_WEIGHT, 0 },
	[ALLOT_EV_CATALOG] = { SC_SYSTEMS, "system", "system", ALLOT_RANGE_COUNT, SC_EV_BOOL },
	[ALLOT_EV_EEUM] = { SC_SYSTEMS, "system", "system", ALLOT_RANGE_COUNT, SC_EV_BOOL },
	[ALLOT_EV_MIN_TIER] = { SC_SYSTEMS, "system", "system", ALLOT_RANGE_COUNT, SC_EV_TIER },
};

int allot_sc_event_type(const char *s)
{
	for (int k = 0; k < ALLOT_EV_COUNT; k++)
		if (strcmp(allot_event_type_name((enum allot_event_type)k), s) == 0)
			return k;
	return -1;
}

int allot_sc_event_target(const struct allot_scenario *s, enum allot_event_type type,
			  const char *target,
			  int (*find)(const void *ctx, enum sc_tab t, const char *key),
			  const void *ctx)
{
	(void)s;
	if ((int)type < 0 || type >= ALLOT_EV_COUNT)
		return -1;
	const struct sc_event_rule *r = &allot_sc_event_rules[type];
	if (r->target < 0)
		return allot_criterion_parse(target);
	return find(ctx, (enum sc_tab)r->target, target);
}

/* ---- SQL ----------------------------------------------------------------- */

static const char *sql_name(const struct sc_col *c)
{
	return c->sql ? c->sql : c->name;
}

const char *allot_sc_sql_type(const struct sc_col *c)
{
	switch (c->type) {
	case SC_NUM:
		return "REAL";
	case SC_INT:
	case SC_BOOL:
	case SC_GRAMS:
	case SC_YEAR:
		return "INTEGER";
	default:
		return "TEXT";
	}
}

int allot_sc_sql_notnull(const struct sc_col *c)
{
	return !(c->flags & SC_NULL);
}

/* Appends printf-style to buf (at *at of n); -1 once it is full. */
static int put(char *buf, size_t n, size_t *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int put(char *buf, size_t n, size_t *at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = *at < n ? vsnprintf(buf + *at, n - *at, fmt, ap) : -1;
	va_end(ap);
	if (w < 0 || (size_t)w >= n - *at)
		return -1;
	*at += (size_t)w;
	return 0;
}

/* A column's definition: name, type, NOT NULL, and for a column added to
 * old stores by a migration the DEFAULT its old rows read as (none for a
 * column that may be NULL: NULL is its default, max_per_month's none). */
static int col_def(const struct sc_col *c, char *buf, size_t n, size_t *at)
{
	int bad = put(buf, n, at, "%s %s%s", sql_name(c), allot_sc_sql_type(c),
		      allot_sc_sql_notnull(c) ? " NOT NULL" : "");
	if (!(c->flags & SC_TRAIL) || (c->flags & SC_NULL))
		return bad; /* SC_NULL: old rows read NULL, the default */
	if (c->type == SC_ENUM)
		return bad |
		       put(buf, n, at, " DEFAULT '%s'", allot_sc_enum_name(c->ref, (int)c->dflt));
	if (c->type == SC_TEXT)
		return bad | put(buf, n, at, " DEFAULT ''");
	if (c->type == SC_NUM)
		return bad | put(buf, n, at, " DEFAULT 0.0");
	return bad |
	       put(buf, n, at, " DEFAULT %d", (c->flags & SC_INVERT) ? !c->dflt : (int)c->dflt);
}

int allot_sc_sql_migrate(int version, char *buf, size_t n)
{
	size_t at = 0;
	int bad = 0;
	buf[0] = 0;
	for (int t = 0; t < SC_NTABS; t++)
		for (int k = 0; k < allot_sc_tables[t].ncols; k++) {
			const struct sc_col *c = &allot_sc_tables[t].cols[k];
			if (c->since != version)
				continue;
			bad |= put(buf, n, &at, "ALTER TABLE %s ADD COLUMN ",
				   allot_sc_tables[t].sql);
			bad |= col_def(c, buf, n, &at) | put(buf, n, &at, ";");
		}
	bad |= put(buf, n, &at, "PRAGMA user_version = %d;", version);
	return bad ? -1 : 0;
}

/* CREATE TABLE as the current schema version has it: (scenario_id, seq) first, each
 * column NOT NULL unless SC_NULL, the trailing columns added by migrations
 * with the DEFAULT old rows took, the key UNIQUE per scenario and each
 * reference a foreign key to the referenced table's key. */
int allot_sc_sql_create(const struct sc_table *t, char *buf, size_t n)
{
	size_t at = 0;
	int bad = put(buf, n, &at,
		      "CREATE TABLE %s ("
		      " scenario_id INTEGER NOT NULL REFERENCES scenarios(id) ON DELETE CASCADE,"
		      " seq INTEGER NOT NULL",
		      t->sql);
	for (int k = 0; k < t->ncols; k++)
		bad |= put(buf, n, &at, ", ") | col_def(&t->cols[k], buf, n, &at);
	bad |= put(buf, n, &at, ", PRIMARY KEY (scenario_id, seq)");
	if (t->key >= 0)
		bad |= put(buf, n, &at, ", UNIQUE (scenario_id, %s)", sql_name(&t->cols[t->key]));
	if (t->sql_unique)
		bad |= put(buf, n, &at, ", UNIQUE (scenario_id, %s)", t->sql_unique);
	for (int k = 0; k < t->ncols; k++) {
		const struct sc_col *c = &t->cols[k];
		if (c->type != SC_REF || (c->flags & SC_STAR))
			continue;
		const struct sc_table *r = &allot_sc_tables[c->ref];
		bad |= put(buf, n, &at,
			   ", FOREIGN KEY (scenario_id, %s) REFERENCES %s(scenario_id, %s)",
			   sql_name(c), r->sql, sql_name(&r->cols[r->key]));
	}
	bad |= put(buf, n, &at, ") WITHOUT ROWID;");
	return bad ? -1 : 0;
}

int allot_sc_sql_select_cols(const struct sc_table *t, char *buf, size_t n)
{
	size_t at = 0;
	for (int k = 0; k < t->ncols; k++) {
		int w = snprintf(buf + at, n - at, "%s%s", k ? ", " : "", sql_name(&t->cols[k]));
		if (w < 0 || (size_t)w >= n - at)
			return -1;
		at += (size_t)w;
	}
	return 0;
}

/* ---- the docs' type cell ------------------------------------------------- */

/* 1e15, 9e12, 100, -100, 0.5: the docs' way of writing a bound. */
static void doc_num(double v, char *buf, size_t n)
{
	if (fabs(v) >= 1e6) {
		int e = (int)floor(log10(fabs(v)));
		double m = v / pow(10, e);
		if (m == floor(m)) {
			snprintf(buf, n, "%.0fe%d", m, e);
			return;
		}
	}
	snprintf(buf, n, "%g", v);
}

void allot_sc_doc_type(const struct sc_col *c, char *buf, size_t n)
{
	/* the types whose cell is a fixed word */
	static const char *const word[] = {
		[SC_TEXT] = "text",    [SC_ISO3] = "text",   [SC_REF] = "reference",
		[SC_BOOL] = "boolean", [SC_MONTH] = "month", [SC_YEAR] = "year, `none` or empty",
	};
	char a[32], b[32];
	const struct allot_range *r = allot_range_get(c->range);
	if (c->doc) {
		snprintf(buf, n, "%s", c->doc);
	} else if (c->type == SC_ENUM) {
		snprintf(buf, n, "%s", enum_doc(c->ref));
	} else if (c->type == SC_NUM || c->type == SC_GRAMS || c->type == SC_INT) {
		int integer = c->type == SC_INT;
		doc_num(integer ? (double)c->ilo : r->lo, a, sizeof a);
		doc_num(integer && c->ihi ? (double)c->ihi : r->hi, b, sizeof b);
		snprintf(buf, n, "%s %s..%s", integer ? "integer" : "number", a, b);
	} else {
		snprintf(buf, n, "%s", word[c->type] ? word[c->type] : "");
	}
}
