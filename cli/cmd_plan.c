/*
 * cmd_plan.c - `allot plan`: allocates the scenario's production month by
 * month under a policy, writes allocations.csv and orders_out.csv, stores
 * the run when the scenario came from a store, and prints a summary.
 */
#include <stdarg.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mem.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot plan DIR | --db FILE [--scenario NAME]\n"
		"                  [--policy fcfs|priority] [--switch YYYY-MM] [--out DIR]\n"
		"                  [--xlsx FILE] [--no-store] [--partner WHO] [--csv | --json]\n"
		"\n"
		"Allocates each line's foreign-sales capacity month by month to the open\n"
		"orders, under mineral stocks, end-use blocks and budget caps, exactly as\n"
		"docs/allocation.md defines, and prints units delivered per year, the\n"
		"backlog at the end and the wait by tier.\n"
		"\n"
		"  fcfs      the old rule: orders in LOA order\n"
		"  priority  the America First rule: partner tier, then score, then LOA\n"
		"\n"
		"options:\n"
		"  --policy P        fcfs or priority (default: priority)\n"
		"  --switch YYYY-MM  months before this use fcfs (default: the scenario's\n"
		"                    switch_month; the bundled data switches in 2026-02)\n"
		"  --out DIR         write allocations.csv and orders_out.csv there\n"
		"  --xlsx FILE       write a workbook: every order with partner and system\n"
		"                    names, deliveries by year, and the allocations (with\n"
		"                    after_horizon for units arriving past the horizon)\n"
		"  --db FILE         read the scenario from a store; the run and its results\n"
		"                    are stored there too (run id, inputs hash, policy, time)\n"
		"  --scenario NAME   which stored scenario\n"
		"  --no-store        with --db, do not store the run\n"
		"  --partner WHO     show one partner (POL, Poland, pol): the summary counts\n"
		"                    its orders only, the text lists them, the workbook holds\n"
		"                    only theirs; the plan itself (and --out, the stored run)\n"
		"                    is still the whole scenario's, every partner competing\n"
		"  --csv, --json     the summary in machine-readable form\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot plan data/default --policy fcfs --out plan-fcfs\n"
		"  allot plan --db allot.db --policy priority --switch 2026-02 --out plan\n"
		"  allot plan data/default --xlsx plan.xlsx\n"
		"  allot plan data/default --partner Poland\n");
}

struct plan_args {
	struct cli_common o;
	enum allot_policy_kind policy;
	allot_month sw;
	const char *out, *xlsx;
	int no_store;
	const char *partner; /* --partner: as typed */
};

static const struct cli_opt plan_opts[] = {
	CLI_OPT_POLICY(struct plan_args, policy),
	CLI_OPT_SWITCH(struct plan_args, sw),
	CLI_OPT_STR("out", struct plan_args, out),
	CLI_OPT_FLAG("no-store", struct plan_args, no_store),
	CLI_OPT_STR("xlsx", struct plan_args, xlsx),
	CLI_OPT_STR("partner", struct plan_args, partner),
	{ 0 },
};
static const struct cli_spec plan_spec = { "plan", usage, plan_opts, CLI_SOURCE | CLI_FORMAT,
					   0,      NULL };

/* Orders of partner k (every order when k < 0). */
static size_t partner_orders(const struct allot_scenario *s, int k)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_orders; i++)
		n += k < 0 || s->orders[i].partner == k;
	return n;
}

/* --partner, text: the partner's orders and when each completes. */
static void print_partner_orders(const struct allot_scenario *s, const struct allot_plan *p, int k)
{
	static const char *const h[] = { "order", "system",     "tier",  "qty", "left",
					 "first", "completion", "short", "late" };
	static const int num[] = { 0, 0, 1, 1, 1, 0, 0, 1, 1 };
	struct cli_table *t = cli_table_new(9, h, num);
	allot_month last = s->as_of + s->horizon_months - 1;
	char b[ALLOT_STYLE_MONTH_MAX], name[128];
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_order_result *r = &p->orders[i];
		if (o->partner != k)
			continue;
		int late = allot_plan_months_late(p, i);
		cli_table_add(t, o->order_id);
		cli_table_add(t, cli_clip(s->systems[o->system].name, 32, name, sizeof name));
		cli_table_addf(t, "%d", r->tier0);
		cli_table_addf(t, "%lld", (long long)o->qty);
		cli_table_addf(t, "%lld", (long long)(o->qty - o->delivered));
		cli_table_add(t, allot_style_month(r->first_delivery, last, b));
		cli_table_add(t, allot_style_month(r->completion, last, b));
		cli_table_addf(t, "%lld", (long long)r->short_units);
		if (late < 0)
			cli_table_add(t, ALLOT_SYM_NA);
		else
			cli_table_addf(t, "%d", late);
	}
	printf("\norders of %s (%s), completion under this plan (\"after\" a month: not\n"
	       "complete within the horizon; late = months after the need month)\n",
	       s->partners[k].name, s->partners[k].iso3);
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
}

static void print_text(const struct allot_scenario *s, const struct allot_plan *p,
		       const struct allot_plan_stats *st, int partner)
{
	char m0[8], m1[8], sw[8];
	allot_month_format(s->as_of, m0);
	allot_month_format(s->as_of + s->horizon_months - 1, m1);
	allot_month_format(p->switch_month, sw);
	printf("plan: scenario %s, policy %s", s->name, allot_policy_kind_name(p->policy));
	if (p->policy == ALLOT_POLICY_PRIORITY && p->switch_month != ALLOT_NO_MONTH &&
	    p->switch_month > s->as_of)
		printf(" (fcfs before %s)", sw);
	if (partner >= 0)
		printf(", partner %s (%s): %zu of %zu orders, %s..%s\n\n",
		       s->partners[partner].iso3, s->partners[partner].name,
		       partner_orders(s, partner), s->n_orders, m0, m1);
	else
		printf(", %zu orders, %s..%s\n\n", s->n_orders, m0, m1);

	printf("units delivered by year\n");
	static const char *const yh[] = { "year", "units", "value_usd_m", "unknown_cost_units" };
	static const int yn[] = { 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(4, yh, yn);
	char vb[48];
	for (int y = 0; y < st->n_years; y++) {
		cli_table_addf(t, "%d", st->first_year + y);
		cli_table_addf(t, "%lld", (long long)st->delivered_by_year[y]);
		cli_table_add(t, allot_usd_num(&st->value_by_year[y], 1e6, 1, 1, vb));
		cli_table_addf(t, "%lld", (long long)st->value_by_year[y].unknown_units);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);

	char b[ALLOT_STYLE_USD_SUM_MAX];
	printf("\nbacklog at the end of %s: %lld units (%s)", m1, (long long)st->backlog_units,
	       allot_style_usd_sum(&st->backlog_value, b));
	printf("\ncancelled by budget caps: %lld units; blocked by end-use monitoring: %lld units\n",
	       (long long)st->cancelled, (long long)st->blocked);
	if (st->cap_unchecked)
		printf("budget caps could not check %zu order%s of unknown unit cost: kept whole, "
		       "counted USD nothing against the cap (docs/allocation.md)\n",
		       st->cap_unchecked, st->cap_unchecked == 1 ? "" : "s");

	printf("\nwait by tier, months from the later of LOA and %s to completion\n"
	       "(an order not complete by the horizon's end counts as waiting to it)\n",
	       m0);
	static const char *const th[] = { "tier", "orders", "mean", "p90", "not_complete" };
	static const int tn[] = { 0, 1, 1, 1, 1 };
	t = cli_table_new(5, th, tn);
	for (size_t k = 0; k <= st->n_tiers; k++) {
		const struct allot_wait_stats *w = k < st->n_tiers ? &st->by_tier[k] : &st->all;
		if (k < st->n_tiers)
			cli_table_addf(t, "%zu", k + 1);
		else
			cli_table_add(t, "all");
		cli_table_addf(t, "%zu", w->orders);
		cli_table_addf(t, "%.1f", w->mean);
		cli_table_addf(t, "%.0f", w->p90);
		cli_table_addf(t, "%zu", w->censored);
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	if (partner >= 0)
		print_partner_orders(s, p, partner);
}

/* --csv: one long table, section,key,metric,value. */
static void print_csv(const struct allot_plan_stats *st)
{
	printf("section,key,metric,value\n");
	for (int y = 0; y < st->n_years; y++) {
		printf("delivered,%d,units,%lld\n", st->first_year + y,
		       (long long)st->delivered_by_year[y]);
		char vb[48];
		printf("delivered,%d,value_usd,%s\n", st->first_year + y,
		       allot_usd_num(&st->value_by_year[y], 1, 0, 0, vb));
		printf("delivered,%d,value_usd_unknown_cost_units,%lld\n", st->first_year + y,
		       (long long)st->value_by_year[y].unknown_units);
	}
	char vb[48];
	printf("backlog,end,units,%lld\n", (long long)st->backlog_units);
	printf("backlog,end,value_usd,%s\n", allot_usd_num(&st->backlog_value, 1, 0, 0, vb));
	printf("backlog,end,value_usd_unknown_cost_orders,%lld\n",
	       (long long)st->backlog_value.unknown_orders);
	printf("backlog,end,value_usd_unknown_cost_units,%lld\n",
	       (long long)st->backlog_value.unknown_units);
	printf("cap_unchecked,all,orders,%zu\n", st->cap_unchecked);
	printf("cancelled,all,units,%lld\n", (long long)st->cancelled);
	printf("blocked,all,units,%lld\n", (long long)st->blocked);
	for (size_t k = 0; k <= st->n_tiers; k++) {
		const struct allot_wait_stats *w = k < st->n_tiers ? &st->by_tier[k] : &st->all;
		char key[32];
		if (k < st->n_tiers)
			snprintf(key, sizeof key, "tier%zu", k + 1);
		else
			snprintf(key, sizeof key, "all");
		printf("wait,%s,orders,%zu\n", key, w->orders);
		printf("wait,%s,mean_months,%.2f\n", key, w->mean);
		printf("wait,%s,p90_months,%.0f\n", key, w->p90);
		printf("wait,%s,not_complete,%zu\n", key, w->censored);
	}
}

static void print_json(const struct allot_scenario *s, const struct allot_plan *p,
		       const struct allot_plan_stats *st, long long run, int partner)
{
	json_t *root = json_pack("{s:s, s:I}", "scenario", s->name, "orders",
				 (json_int_t)partner_orders(s, partner));
	if (partner >= 0)
		json_object_set_new(root, "partner", json_string(s->partners[partner].iso3));
	json_t *stats = allot_plan_stats_json(p, st);
	json_object_update(root, stats);
	json_decref(stats);
	if (run > 0)
		json_object_set_new(root, "run_id", json_integer(run));
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

/* Cells of a workbook sheet, grown as rows are added. */
struct cells {
	char **v;
	size_t n, cap;
	int err;
};

static void cell(struct cells *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell(struct cells *c, const char *fmt, ...)
{
	if (mem_grow(&c->v, &c->cap, c->n + 1, sizeof *c->v)) {
		c->err = 1;
		return;
	}
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (!(c->v[c->n++] = strdup(buf)))
		c->err = 1;
}

static void cells_free(struct cells *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	mem_free(c->v);
}

/* The plan's workbook: orders (names beside ids), deliveries by year,
 * allocations (with after_horizon). */
static int write_xlsx(const struct allot_plan *p, const struct allot_plan_stats *st,
		      const char *path, int partner)
{
	const struct allot_scenario *s = p->scenario;
	struct cells c[3] = { { 0 }, { 0 }, { 0 } };
	char b[8], b2[8], vb[48];
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_order_result *r = &p->orders[i];
		const struct allot_system *y = &s->systems[o->system];
		if (partner >= 0 && o->partner != partner)
			continue;
		int late = allot_plan_months_late(p, i);
		cell(&c[0], "%s", o->order_id);
		cell(&c[0], "%s", s->partners[o->partner].iso3);
		cell(&c[0], "%s", s->partners[o->partner].name);
		cell(&c[0], "%s", y->system_id);
		cell(&c[0], "%s", y->name);
		cell(&c[0], "%s", s->lines[y->line].name);
		cell(&c[0], "%d", r->tier0);
		cell(&c[0], "%lld", (long long)o->qty);
		cell(&c[0], "%lld", (long long)o->delivered);
		cell(&c[0], "%s", allot_month_format(o->loa_month, b));
		cell(&c[0], "%s", allot_month_format(o->need_month, b));
		cell(&c[0], "%s", allot_month_format(r->first_delivery, b));
		cell(&c[0], "%s", allot_month_format(r->completion, b));
		cell(&c[0], "%lld", (long long)r->short_units);
		if (late < 0)
			cell(&c[0], "%s", "");
		else
			cell(&c[0], "%d", late);
		cell(&c[0], "%lld", (long long)r->cancelled);
		if (allot_cost_known(y->unit_cost_usd)) /* else empty: unknown, never 0 */
			cell(&c[0], "%.0f", (double)(o->qty - o->delivered) * y->unit_cost_usd);
		else
			cell(&c[0], "%s", "");
	}
	for (int k = 0; k < st->n_years; k++) {
		cell(&c[1], "%d", st->first_year + k);
		cell(&c[1], "%lld", (long long)st->delivered_by_year[k]);
		cell(&c[1], "%s", allot_usd_num(&st->value_by_year[k], 1, 0, 0, vb));
		cell(&c[1], "%lld", (long long)st->value_by_year[k].unknown_units);
	}
	for (size_t k = 0; k < p->n_allocs; k++) {
		const struct allot_alloc *a = &p->allocs[k];
		const struct allot_order *o = &s->orders[a->order];
		int d = a->month + s->systems[o->system].lead_months;
		if (partner >= 0 && o->partner != partner)
			continue;
		cell(&c[2], "%s", o->order_id);
		cell(&c[2], "%s", s->partners[o->partner].name);
		cell(&c[2], "%s", s->systems[o->system].name);
		cell(&c[2], "%s", allot_month_format(s->as_of + a->month, b));
		cell(&c[2], "%lld", (long long)a->units);
		cell(&c[2], "%s", allot_month_format(s->as_of + d, b2));
		cell(&c[2], "%d", d >= s->horizon_months);
	}
	static const char *const h0[] = { "order_id",   "iso3",          "partner",
					  "system_id",  "system",        "line",
					  "tier",       "qty",           "delivered_before",
					  "loa_month",  "need_month",    "first_delivery",
					  "completion", "units_short",   "months_late",
					  "cancelled",  "value_open_usd" };
	static const int n0[] = { 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1 };
	static const char *const h1[] = { "year", "units", "value_usd", "unknown_cost_units" };
	static const int n1[] = { 1, 1, 1, 1 };
	static const char *const h2[] = { "order_id", "partner",        "system",       "month",
					  "units",    "delivery_month", "after_horizon" };
	static const int n2[] = { 0, 0, 0, 0, 1, 0, 1 };
	struct allot_workbook_sheet sh[3] = {
		{ "orders", 17, h0, n0, (const char *const *)c[0].v, c[0].n / 17 },
		{ "deliveries", 4, h1, n1, (const char *const *)c[1].v, c[1].n / 4 },
		{ "allocations", 7, h2, n2, (const char *const *)c[2].v, c[2].n / 7 },
	};
	int rc = c[0].err || c[1].err || c[2].err ? ALLOT_ENOMEM
						  : allot_workbook_write(path, sh, 3);
	for (int k = 0; k < 3; k++)
		cells_free(&c[k]);
	return rc;
}

static int store_run(const struct plan_args *a, const struct allot_scenario *s,
		     const struct allot_plan *p, long long *run)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_store *st = NULL;
	int64_t id = 0;
	int rc = allot_store_open_existing(a->o.src.db, &st, &d);
	if (rc == ALLOT_OK)
		rc = allot_store_put_plan(st, a->o.src.scenario ? a->o.src.scenario : s->name, p,
					  &id, &d);
	allot_store_close(st);
	if (rc == ALLOT_ENOTFOUND && allot_diags_count(&d) == 0)
		fprintf(stderr,
			"allot plan: %s: the store vanished before the result "
			"could be stored\n",
			a->o.src.db);
	else if (rc != ALLOT_OK)
		allot_diags_print(&d, stderr);
	allot_diags_free(&d);
	*run = (long long)id;
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	struct plan_args a = { .policy = ALLOT_POLICY_PRIORITY, .sw = ALLOT_NO_MONTH };
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&plan_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	int partner = -1;
	if (a.partner && (partner = cli_resolve("plan", s, ALLOT_KIND_PARTNER, a.partner)) < 0) {
		allot_scenario_free(s);
		return EXIT_USAGE;
	}

	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = a.policy;
	po.switch_month = a.sw;
	struct allot_plan *p = NULL;
	struct allot_plan_stats st = { 0 };
	long long run = 0;
	int lrc = allot_plan_run(s, &po, &p);
	if (lrc != ALLOT_OK) {
		fprintf(stderr, "allot plan: %s\n", allot_strerror(lrc));
		goto done;
	}
	if (a.out && (lrc = allot_plan_write(p, a.out)) != ALLOT_OK) {
		fprintf(stderr, "allot plan: cannot write to %s: %s\n", a.out, allot_strerror(lrc));
		goto done;
	}
	if (a.o.src.db && !a.no_store && (lrc = store_run(&a, s, p, &run)) != ALLOT_OK)
		goto done;
	if ((lrc = allot_plan_stats_partner(p, partner, &st)) != ALLOT_OK)
		goto done;
	if (a.xlsx && (lrc = write_xlsx(p, &st, a.xlsx, partner)) != ALLOT_OK) {
		fprintf(stderr, "allot plan: cannot write %s: %s\n", a.xlsx, allot_strerror(lrc));
		goto done;
	}
	if (a.o.fmt == CLI_JSON) {
		print_json(s, p, &st, run, partner);
	} else if (a.o.fmt == CLI_CSV) {
		print_csv(&st);
	} else {
		print_text(s, p, &st, partner);
		if (a.out)
			printf("\nwrote %s/allocations.csv (%zu rows) and %s/orders_out.csv\n",
			       a.out, p->n_allocs, a.out);
		if (a.xlsx)
			printf("\nwrote %s (sheets orders, deliveries, allocations)\n", a.xlsx);
		if (run > 0)
			printf("stored as run %lld in %s\n", run, a.o.src.db);
	}
done:
	allot_plan_stats_free(&st);
	allot_plan_free(p);
	allot_scenario_free(s);
	return cli_exit_code(lrc);
}
