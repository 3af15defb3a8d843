/*
 * write.c - allot_scenario_write: the model into a scenario directory in
 * canonical form (docs/scenario-format.md, "Canonical form").
 *
 * Every file goes through util/afile (temporary file, fsync, rename, fsync
 * of the directory), so a reader sees each file whole, old or new.  CSV
 * files come first and scenario.json last.  Optional CSV files are written
 * when their present bit is set or they have rows; a known optional file
 * left in the directory from an earlier scenario is removed, so that loading
 * the directory gives back exactly this scenario.
 */
#include <allot/allot.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/csvwrite.h"
#include "io/policy.h"
#include "util/afile.h"
#include "util/mem.h"

typedef void (*write_fn)(const struct allot_scenario *s, struct csvw *w);

static void write_partners(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = {
		"iso3", "name", "region", "alliance", "frontline", "defense_pct_gdp",
		"real_growth_3y_pct", "us_troops", "basing_access",
		"us_purchases_5y_usd", "invest_in_us_usd", "eum_status",
		"defense_pct_gdp_year", "real_growth_3y_year",
	};
	/* the figure years only when some partner states one: a scenario
	 * without them is written byte for byte as before */
	int years = 0;
	for (size_t i = 0; i < s->n_partners; i++)
		years |= s->partners[i].defense_year != 0 || s->partners[i].growth_year != 0;
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr - (years ? 0 : 2));
	for (size_t i = 0; i < s->n_partners; i++) {
		const struct allot_partner *p = &s->partners[i];
		csvw_str(w, p->iso3);
		csvw_str(w, p->name);
		csvw_str(w, p->region && p->region[0] ? p->region : "other");
		csvw_str(w, p->alliance);
		csvw_bool(w, p->frontline);
		csvw_double(w, p->defense_pct_gdp);
		csvw_double(w, p->real_growth_3y_pct);
		csvw_double(w, p->us_troops);
		csvw_int(w, p->basing_access);
		csvw_double(w, p->us_purchases_5y_usd);
		csvw_double(w, p->invest_in_us_usd);
		csvw_str(w, allot_eum_name(p->eum_status));
		for (int k = 0; years && k < 2; k++) {
			int y = k ? p->growth_year : p->defense_year;
			if (y == ALLOT_NO_FIGURE)
				csvw_str(w, "none");
			else if (y)
				csvw_int(w, y);
			else
				csvw_str(w, "");
		}
		csvw_end(w);
	}
}

static void write_lines(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "line_id", "name", "rate_per_month", "us_share",
					   "rate_basis" };
	/* rate_basis only when some line states one: a scenario without it
	 * is written byte for byte as before. */
	int basis = 0;
	for (size_t i = 0; i < s->n_lines; i++)
		basis |= s->lines[i].rate_basis != ALLOT_RATE_UNSTATED;
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr - (basis ? 0 : 1));
	for (size_t i = 0; i < s->n_lines; i++) {
		const struct allot_line *l = &s->lines[i];
		csvw_str(w, l->line_id);
		csvw_str(w, l->name);
		csvw_double(w, l->rate_per_month);
		csvw_double(w, l->us_share);
		if (basis)
			csvw_str(w, allot_rate_basis_name(l->rate_basis));
		csvw_end(w);
	}
}

static const char *line_id(const struct allot_scenario *s, int i)
{
	return i >= 0 && (size_t)i < s->n_lines ? s->lines[i].line_id : "";
}

static const char *system_id(const struct allot_scenario *s, int i)
{
	return i >= 0 && (size_t)i < s->n_systems ? s->systems[i].system_id : "";
}

static const char *partner_id(const struct allot_scenario *s, int i)
{
	return i >= 0 && (size_t)i < s->n_partners ? s->partners[i].iso3 : "";
}

static const char *mineral_id(const struct allot_scenario *s, int i)
{
	return i >= 0 && (size_t)i < s->n_minerals ? s->minerals[i].mineral_id : "";
}

static void write_systems(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = {
		"system_id", "name", "line_id", "unit_cost_usd", "lead_months",
		"eeum", "catalog", "foreign_alternative", "mde",
	};
	/* The mde column only when a system is not MDE, so scenarios without
	 * the column keep their canonical form. */
	int mde_col = 0;
	for (size_t i = 0; i < s->n_systems; i++)
		mde_col |= s->systems[i].not_mde;
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr - (mde_col ? 0 : 1));
	for (size_t i = 0; i < s->n_systems; i++) {
		const struct allot_system *y = &s->systems[i];
		csvw_str(w, y->system_id);
		csvw_str(w, y->name);
		csvw_str(w, line_id(s, y->line));
		csvw_double(w, y->unit_cost_usd);
		csvw_int(w, y->lead_months);
		csvw_bool(w, y->eeum);
		csvw_bool(w, y->catalog);
		csvw_str(w, y->foreign_alternative);
		if (mde_col)
			csvw_bool(w, !y->not_mde);
		csvw_end(w);
	}
}

static void write_orders(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = {
		"order_id", "iso3", "system_id", "qty", "delivered", "loa_month",
		"need_month", "partner_rank", "supply",
	};
	/* The supply column only when an order is not supplied new, so
	 * scenarios without the column keep their canonical form. */
	int supply_col = 0;
	for (size_t i = 0; i < s->n_orders; i++)
		supply_col |= s->orders[i].supply != ALLOT_SUPPLY_NEW;
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr - (supply_col ? 0 : 1));
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		csvw_str(w, o->order_id);
		csvw_str(w, partner_id(s, o->partner));
		csvw_str(w, system_id(s, o->system));
		csvw_int(w, o->qty);
		csvw_int(w, o->delivered);
		csvw_month(w, o->loa_month);
		csvw_month(w, o->need_month);
		if (o->partner_rank >= 1)
			csvw_int(w, o->partner_rank);
		else
			csvw_str(w, "");
		if (supply_col)
			csvw_str(w, allot_supply_type_name((enum allot_supply_type)o->supply));
		csvw_end(w);
	}
}

static void write_minerals(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "mineral_id", "name", "stock_kg", "price_usd_per_kg" };
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr);
	for (size_t i = 0; i < s->n_minerals; i++) {
		const struct allot_mineral *m = &s->minerals[i];
		csvw_str(w, m->mineral_id);
		csvw_str(w, m->name);
		csvw_double(w, (double)m->stock_g / 1000.0);
		csvw_double(w, m->price_usd_per_kg);
		csvw_end(w);
	}
}

static void write_supply(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "mineral_id", "source", "kg_per_month" };
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr);
	for (size_t i = 0; i < s->n_supply; i++) {
		const struct allot_supply *u = &s->supply[i];
		csvw_str(w, mineral_id(s, u->mineral));
		csvw_str(w, u->source);
		csvw_double(w, (double)u->g_per_month / 1000.0);
		csvw_end(w);
	}
}

static void write_bom(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "system_id", "mineral_id", "kg_per_unit" };
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr);
	for (size_t i = 0; i < s->n_bom; i++) {
		const struct allot_bom *b = &s->bom[i];
		csvw_str(w, system_id(s, b->system));
		csvw_str(w, mineral_id(s, b->mineral));
		csvw_double(w, (double)b->g_per_unit / 1000.0);
		csvw_end(w);
	}
}

static void write_events(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "month", "type", "target", "value" };
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr);
	for (size_t i = 0; i < s->n_events; i++) {
		const struct allot_event *e = &s->events[i];
		csvw_month(w, e->month);
		csvw_str(w, allot_event_type_name(e->type));
		csvw_str(w, e->target);
		csvw_str(w, e->value);
		csvw_end(w);
	}
}

static void write_investments(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = {
		"iso3", "line_id", "usd", "month", "added_rate", "online_month",
	};
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr);
	for (size_t i = 0; i < s->n_investments; i++) {
		const struct allot_investment *v = &s->investments[i];
		csvw_str(w, partner_id(s, v->partner));
		csvw_str(w, line_id(s, v->line));
		csvw_double(w, v->usd);
		csvw_month(w, v->month);
		csvw_double(w, v->added_rate);
		csvw_month(w, v->online_month);
		csvw_end(w);
	}
}

static void write_embargoes(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "source", "mineral_id", "start_month", "end_month" };
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr);
	for (size_t i = 0; i < s->n_embargoes; i++) {
		const struct allot_embargo *x = &s->embargoes[i];
		csvw_str(w, x->source);
		csvw_str(w, x->mineral < 0 ? "*" : mineral_id(s, x->mineral));
		csvw_month(w, x->start_month);
		csvw_month(w, x->end_month);
		csvw_end(w);
	}
}

static void write_requests(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "request_id", "iso3", "system_id", "qty",
					   "lor_month", "value_usd", "case_category" };
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr);
	for (size_t i = 0; i < s->n_requests; i++) {
		const struct allot_request *r = &s->requests[i];
		csvw_str(w, r->request_id);
		csvw_str(w, partner_id(s, r->partner));
		csvw_str(w, system_id(s, r->system));
		csvw_int(w, (long long)r->qty);
		csvw_month(w, r->lor_month);
		csvw_double(w, r->value_usd);
		csvw_str(w, allot_case_category_name(r->category));
		csvw_end(w);
	}
}

static void write_transfers(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "transfer_id", "from_iso3", "to_iso3", "system_id",
					   "qty", "request_month" };
	csvw_row(w, hdr, sizeof hdr / sizeof *hdr);
	for (size_t i = 0; i < s->n_transfers; i++) {
		const struct allot_transfer *x = &s->transfers[i];
		csvw_str(w, x->transfer_id);
		csvw_str(w, partner_id(s, x->from));
		csvw_str(w, x->to_iso3);
		csvw_str(w, system_id(s, x->system));
		csvw_int(w, (long long)x->qty);
		csvw_month(w, x->request_month);
		csvw_end(w);
	}
}

static void write_wip(const struct allot_scenario *s, struct csvw *w)
{
	static const char *const hdr[] = { "order_id", "month", "units" };
	csvw_row(w, hdr, 3);
	for (size_t i = 0; i < s->n_wip; i++) {
		const struct allot_wip *x = &s->wip[i];
		csvw_str(w, x->order >= 0 && (size_t)x->order < s->n_orders
				    ? s->orders[x->order].order_id : "");
		csvw_month(w, x->month);
		csvw_int(w, x->units);
		csvw_end(w);
	}
}

static const struct wfile {
	const char *name;
	int present_bit; /* -1: always written */
	write_fn write;
	size_t nrows_off; /* offset of the row count in the scenario */
} wfiles[] = {
	{ "partners.csv", -1, write_partners, offsetof(struct allot_scenario, n_partners) },
	{ "lines.csv", -1, write_lines, offsetof(struct allot_scenario, n_lines) },
	{ "systems.csv", -1, write_systems, offsetof(struct allot_scenario, n_systems) },
	{ "orders.csv", -1, write_orders, offsetof(struct allot_scenario, n_orders) },
	{ "minerals.csv", ALLOT_FILE_MINERALS, write_minerals,
	  offsetof(struct allot_scenario, n_minerals) },
	{ "supply.csv", ALLOT_FILE_SUPPLY, write_supply,
	  offsetof(struct allot_scenario, n_supply) },
	{ "bom.csv", ALLOT_FILE_BOM, write_bom, offsetof(struct allot_scenario, n_bom) },
	{ "events.csv", ALLOT_FILE_EVENTS, write_events,
	  offsetof(struct allot_scenario, n_events) },
	{ "investments.csv", ALLOT_FILE_INVESTMENTS, write_investments,
	  offsetof(struct allot_scenario, n_investments) },
	{ "embargoes.csv", ALLOT_FILE_EMBARGOES, write_embargoes,
	  offsetof(struct allot_scenario, n_embargoes) },
	{ "requests.csv", ALLOT_FILE_REQUESTS, write_requests,
	  offsetof(struct allot_scenario, n_requests) },
	{ "transfers.csv", ALLOT_FILE_TRANSFERS, write_transfers,
	  offsetof(struct allot_scenario, n_transfers) },
	{ "wip.csv", ALLOT_FILE_WIP, write_wip, offsetof(struct allot_scenario, n_wip) },
};

/* Writes one file with fn(s, arg) through a temporary file. */
static int write_file(const char *dir, const char *name, struct allot_diags *d,
		      void (*fn)(const struct allot_scenario *, FILE *, const void *),
		      const struct allot_scenario *s, const void *arg)
{
	char *path = mem_path_join(dir, name);
	if (!path)
		return ALLOT_ENOMEM;
	struct afile af;
	int rc = ALLOT_OK;
	if (afile_open(&af, path) != 0) {
		rc = errno == ENOMEM ? ALLOT_ENOMEM : ALLOT_EIO;
		if (rc == ALLOT_EIO)
			allot_diags_add(d, path, 0, 0, "cannot create a temporary file: %s",
					strerror(errno));
		goto done;
	}
	fn(s, af.f, arg);
	if (ferror(af.f)) {
		allot_diags_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
		afile_abort(&af);
		rc = ALLOT_EIO;
		goto done;
	}
	if (afile_commit(&af) != 0) {
		allot_diags_add(d, path, 0, 0, "cannot write: %s", strerror(errno));
		rc = ALLOT_EIO;
	}
done:
	mem_free(path);
	return rc;
}

static void emit_csv(const struct allot_scenario *s, FILE *f, const void *arg)
{
	const struct wfile *wf = arg;
	struct csvw w;
	csvw_init(&w, f);
	wf->write(s, &w);
}

static void emit_policy(const struct allot_scenario *s, FILE *f, const void *arg)
{
	(void)arg;
	policy_write(&s->policy, f);
}

static void emit_scenario(const struct allot_scenario *s, FILE *f, const void *arg)
{
	const char *policy = arg;
	char m[8];
	allot_month_format(s->as_of, m);
	fprintf(f, "{\n  \"as_of\": \"%s\",\n  \"horizon_months\": %d,\n  \"policy\": ",
		m, s->horizon_months);
	json_write_string(f, policy);
	if (s->switch_month != ALLOT_NO_MONTH) {
		allot_month_format(s->switch_month, m);
		fprintf(f, ",\n  \"switch_month\": \"%s\"", m);
	}
	if (s->notes && s->notes[0]) {
		fputs(",\n  \"notes\": ", f);
		json_write_string(f, s->notes);
	}
	fputs("\n}\n", f);
}

int allot_scenario_write(const struct allot_scenario *s, const char *dir,
			 struct allot_diags *diags)
{
	if (afile_mkdirs(dir) != 0) {
		allot_diags_add(diags, dir, 0, 0, "cannot create the directory: %s",
				strerror(errno));
		return ALLOT_EIO;
	}
	int rc = ALLOT_OK;
	for (size_t i = 0; i < sizeof wfiles / sizeof *wfiles && rc == ALLOT_OK; i++) {
		const struct wfile *wf = &wfiles[i];
		size_t rows = *(const size_t *)((const char *)s + wf->nrows_off);
		if (wf->present_bit < 0 || (s->present & (1u << wf->present_bit)) || rows) {
			rc = write_file(dir, wf->name, diags, emit_csv, s, wf);
			continue;
		}
		char *path = mem_path_join(dir, wf->name);
		if (!path)
			return ALLOT_ENOMEM;
		if (unlink(path) != 0 && errno != ENOENT) {
			allot_diags_add(diags, path, 0, 0, "cannot remove a stale file: %s",
					strerror(errno));
			rc = ALLOT_EIO;
		}
		mem_free(path);
	}
	const char *policy = s->policy_file && s->policy_file[0] ? s->policy_file
								 : "policy.json";
	if (rc == ALLOT_OK)
		rc = write_file(dir, policy, diags, emit_policy, s, NULL);
	if (rc == ALLOT_OK)
		rc = write_file(dir, "scenario.json", diags, emit_scenario, s, policy);
	return rc;
}
