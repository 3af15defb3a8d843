/*
 * cmd_explain.c - `allot explain ORDER_ID`: why an order completes when it
 * does: its key, and month by month (consecutive months with the same story
 * collapsed) the orders served before it on its line and the limit that
 * bound it (allot_explain_run; docs/answers.md).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: allot explain ORDER_ID DIR | --db FILE [--scenario NAME]\n"
		     "                     [--policy fcfs|priority] [--switch YYYY-MM]\n"
		     "                     [--ahead N] [--csv | --json]\n"
		     "\n"
		     "Why an order completes when it does.  Plans the scenario and follows the\n"
		     "order month by month: what it still wanted, what it got, the limit that\n"
		     "bound it and the orders its line served before its turn.  Consecutive\n"
		     "months with the same story are shown as one range.  Months are production\n"
		     "months: a unit arrives lead_months later.\n"
		     "\n"
		     "limits:\n"
		     "  got-all        it got every unit it still wanted\n"
		     "  line-capacity  its line's foreign capacity F(t) went to orders ahead\n"
		     "  mineral        a mineral in its bill of materials ran out\n"
		     "  paced          its own max_per_month (orders.csv) held it\n"
		     "  blocked        EEUM system and its partner's end-use status is violation\n"
		     "  not-eligible   its LOA month is still ahead, or its earliest delivery\n"
		     "                 (orders.csv not_before) less its lead time\n"
		     "  done           nothing left to make (or the rest cut by a budget cap)\n"
		     "\n"
		     "options:\n"
		     "  --policy P        fcfs or priority (default: priority)\n"
		     "  --switch YYYY-MM  months before this use fcfs (default: the scenario's)\n"
		     "  --ahead N         text: name at most N orders ahead per range (default 4)\n"
		     "  --db FILE         read the scenario from a store\n"
		     "  --scenario NAME   which stored scenario\n"
		     "  --csv, --json     one row per range, machine-readable\n"
		     "  -h, --help        show this help\n"
		     "\n"
		     "examples:\n"
		     "  allot explain B1 tests/data/scenarios/two-tiers --policy fcfs\n"
		     "  allot explain SIPRI-POL-2023-01 data/default\n");
}

struct explain_args {
	struct cli_common o;
	const char *order_id;
	enum allot_policy_kind policy;
	allot_month sw;
	long ahead;
};

static const struct cli_opt explain_opts[] = {
	CLI_OPT_POLICY(struct explain_args, policy),
	CLI_OPT_SWITCH(struct explain_args, sw),
	CLI_OPT_COUNT("ahead", struct explain_args, ahead, 0, LONG_MAX, "a number >= 0"),
	{ 0 },
};
static int check(void *args, struct cli_common *o)
{
	if (o->npos < 1)
		return cli_usage_error("explain", "give ORDER_ID");
	((struct explain_args *)args)->order_id = o->pos[0];
	return EXIT_OK;
}
static const struct cli_spec explain_spec = {
	"explain", usage, explain_opts, CLI_SOURCE | CLI_FORMAT, 1, check
};

static const char *limit_word(const struct allot_explain_span *sp)
{
	return allot_explain_limit_word(sp->limit);
}

/* "2025-01..2025-06" or "2025-01". */
static void span_months(const struct allot_explain_span *sp, char buf[20])
{
	char a[8], b[8];
	allot_month_format(sp->from, a);
	allot_month_format(sp->to, b);
	if (sp->from == sp->to)
		snprintf(buf, 20, "%s", a);
	else
		snprintf(buf, 20, "%s..%s", a, b);
}

/* Why, in words, for one span. */
static void span_why(const struct allot_scenario *s, const struct allot_order *o,
		     const struct allot_explain_span *sp, char *buf, size_t n)
{
	char m[8];
	int lead = s->systems[o->system].lead_months;
	size_t k = 0;
	if (sp->cancelled)
		k = (size_t)snprintf(buf, n, "budget cap cut %lld units; ",
				     (long long)sp->cancelled);
	if (k >= n)
		return;
	switch (sp->limit) {
	case ALLOT_LIMIT_NONE:
		snprintf(buf + k, n - k, "got all it still wanted");
		break;
	case ALLOT_LIMIT_NOT_ELIGIBLE:
		/* the planner's start (allot_order_start) is later than the LOA:
		 * its not_before holds it */
		if (allot_order_start(s, (size_t)(o - s->orders)) >
		    (int64_t)o->loa_month - s->as_of) {
			char nb[8];
			allot_month_format((allot_month)(o->not_before - lead), m);
			allot_month_format(o->not_before, nb);
			snprintf(buf + k, n - k,
				 "not eligible before %s: its earliest delivery (not_before) %s "
				 "less its lead of %d months",
				 m, nb, lead);
			break;
		}
		allot_month_format(o->loa_month, m);
		snprintf(buf + k, n - k, "not eligible before its LOA month %s", m);
		break;
	case ALLOT_LIMIT_DONE:
		snprintf(buf + k, n - k, "nothing left to make");
		break;
	case ALLOT_LIMIT_BLOCKED:
		snprintf(buf + k, n - k,
			 "blocked: %s is an EEUM system and %s's end-use status is "
			 "violation",
			 s->systems[o->system].system_id, s->partners[o->partner].iso3);
		break;
	case ALLOT_LIMIT_LINE: {
		const char *l = s->lines[s->systems[o->system].line].line_id;
		if (!sp->n_ahead)
			snprintf(buf + k, n - k, "it took all of %s's capacity", l);
		else if (sp->got)
			snprintf(buf + k, n - k, "it took what %s had left after the orders ahead",
				 l);
		else
			snprintf(buf + k, n - k, "%s's capacity went to the orders ahead", l);
		break;
	}
	case ALLOT_LIMIT_MINERAL:
		snprintf(buf + k, n - k, "%s ran out",
			 sp->mineral >= 0 ? s->minerals[sp->mineral].mineral_id : "a mineral");
		break;
	case ALLOT_LIMIT_PACE:
		snprintf(buf + k, n - k, "paced: at most %d a month (its max_per_month)",
			 o->max_per_month);
		break;
	default:
		snprintf(buf + k, n - k, "?");
	}
}

static int cmp_units(const void *a, const void *b)
{
	const struct allot_trace_ahead *x = a, *y = b;
	return (y->units > x->units) - (y->units < x->units);
}

/* "X1 10, X2 5, +3 more (12 units)" with the biggest first. */
static void span_ahead(const struct allot_scenario *s, const struct allot_explain_span *sp,
		       long top, char *buf, size_t n)
{
	buf[0] = '\0';
	if (!sp->n_ahead)
		return;
	struct allot_trace_ahead *v = malloc(sp->n_ahead * sizeof *v);
	if (!v)
		return;
	memcpy(v, sp->ahead, sp->n_ahead * sizeof *v);
	qsort(v, sp->n_ahead, sizeof *v, cmp_units);
	size_t k = 0;
	int64_t rest = 0;
	for (size_t i = 0; i < sp->n_ahead && k < n; i++) {
		if (top && i >= (size_t)top) {
			rest += v[i].units;
			continue;
		}
		k += (size_t)snprintf(buf + k, n - k, "%s%s %lld", i ? ", " : "",
				      s->orders[v[i].order].order_id, (long long)v[i].units);
	}
	if (top && sp->n_ahead > (size_t)top && k < n)
		snprintf(buf + k, n - k, ", +%zu more (%lld units)", sp->n_ahead - (size_t)top,
			 (long long)rest);
	free(v);
}

/* Units off the line (docs/allocation.md): work in progress and the
 * units of an order not supplied new, with the months they arrive. */
static void print_offline(const struct allot_scenario *s, const struct allot_explain *e)
{
	const struct allot_order *o = &s->orders[e->order];
	struct allot_offline_result f = allot_plan_offline(e->plan, (size_t)e->order);
	if (f.units == 0)
		return;
	allot_month lo = ALLOT_NO_MONTH, hi = ALLOT_NO_MONTH;
	int lead = s->systems[o->system].lead_months;
	for (size_t i = 0; i < e->plan->n_allocs; i++) {
		const struct allot_alloc *x = &e->plan->allocs[i];
		if (x->order != e->order || allot_alloc_on_line(s, x))
			continue;
		allot_month d = s->as_of + x->month + lead;
		lo = lo == ALLOT_NO_MONTH || d < lo ? d : lo;
		hi = hi == ALLOT_NO_MONTH || d > hi ? d : hi;
	}
	char m1[8], m2[8];
	allot_month_format(lo, m1);
	allot_month_format(hi, m2);
	if (o->supply != ALLOT_SUPPLY_NEW)
		printf("supply %s: %lld units not made on a US line",
		       allot_supply_type_name((enum allot_supply_type)o->supply),
		       (long long)f.units);
	else
		printf("work in progress: %lld units in production at as_of, off the line",
		       (long long)f.wip);
	if (lo != ALLOT_NO_MONTH)
		printf(", arriving %s%s%s\n", m1, hi != lo ? ".." : "", hi != lo ? m2 : "");
	else
		printf(", arriving after the horizon\n");
}

static void print_head(const struct allot_scenario *s, const struct allot_explain *e,
		       const struct explain_args *a)
{
	const struct allot_order *o = &s->orders[e->order];
	const struct allot_system *y = &s->systems[o->system];
	const struct allot_order_result *r = &e->plan->orders[e->order];
	const struct allot_score *sc = &e->plan->score0[o->partner];
	char m1[8], m2[8];
	printf("explain %s: %lld x %s (%s) for %s (%s), %lld delivered before as_of\n", o->order_id,
	       (long long)o->qty, y->system_id, y->name, s->partners[o->partner].iso3,
	       s->partners[o->partner].name, (long long)o->delivered);
	allot_month_format(o->loa_month, m1);
	printf("key: tier %d, score %.2f, LOA %s, id %s\n", sc->tier, sc->score, m1, o->order_id);
	/* a year-only LOA date is labelled (orders.csv loa_basis year): its
	 * month is a placeholder the keys still read (docs/allocation.md) */
	if (o->loa_basis == ALLOT_LOA_YEAR)
		printf("LOA %.4s (month not known): %s is a placeholder for the year; the keys\n"
		       "rank it as %s, before the orders of that year with a known later month\n",
		       m1, m1, m1);
	allot_month_format(e->plan->switch_month, m2);
	printf("policy %s", allot_policy_kind_name(a->policy));
	if (a->policy == ALLOT_POLICY_PRIORITY) {
		printf(": orders by (tier, -score, LOA, id)");
		if (e->plan->switch_month != ALLOT_NO_MONTH && e->plan->switch_month > s->as_of)
			printf(", fcfs (LOA, id) before %s", m2);
	} else {
		printf(": orders by (LOA, id)");
	}
	printf("\nline %s (%s); lead time %d months%s\n", s->lines[y->line].line_id,
	       s->lines[y->line].name, y->lead_months,
	       s->lines[y->line].rate_basis == ALLOT_RATE_ESTIMATE
		       ? "; its rate is an estimate (lines.csv rate_basis)"
		       : "");
	print_offline(s, e);
	allot_month_format(r->first_delivery, m1);
	allot_month_format(r->completion, m2);
	if (r->completion != ALLOT_NO_MONTH)
		/* an order not supplied new arrives on its own schedule
		 * (print_offline): its date does not rest on the line's rate */
		printf("outcome: first unit arrives %s, last %s%s", m1, m2,
		       allot_order_rate_mark(s, o));
	else if (r->first_delivery != ALLOT_NO_MONTH)
		printf("outcome: first unit arrives %s; not complete by the horizon's end", m1);
	else
		printf("outcome: nothing arrives within the horizon");
	printf("; %lld short, %lld cancelled, %lld blocked at the end\n\n",
	       (long long)r->short_units, (long long)r->cancelled, (long long)r->blocked);
}

static void print_text(const struct allot_scenario *s, const struct allot_explain *e,
		       const struct explain_args *a)
{
	print_head(s, e, a);
	const struct allot_order *o = &s->orders[e->order];
	static const char *const head[] = { "months", "wanted", "got",
					    "line_F", "tier",   "score",
					    "limit",  "why",    "orders ahead (units)" };
	static const int num[] = { 0, 1, 1, 1, 1, 1, 0, 0, 0 };
	struct cli_table *t = cli_table_new(9, head, num);
	char buf[512];
	for (size_t i = 0; i < e->n_spans; i++) {
		const struct allot_explain_span *sp = &e->spans[i];
		span_months(sp, buf);
		cli_table_add(t, buf);
		cli_table_addf(t, "%lld", (long long)sp->wanted);
		cli_table_addf(t, "%lld", (long long)sp->got);
		cli_table_addf(t, "%lld", (long long)sp->line_capacity);
		cli_table_addf(t, "%d", sp->tier);
		cli_table_addf(t, "%.2f", sp->score);
		cli_table_add(t, limit_word(sp));
		span_why(s, o, sp, buf, sizeof buf);
		cli_table_add(t, buf);
		span_ahead(s, sp, a->ahead, buf, sizeof buf);
		cli_table_add(t, buf[0] ? buf : "-");
	}
	cli_table_print(t, CLI_TEXT, stdout);
	cli_table_free(t);
	printf("\nwanted: units still to make as the range began; got and line_F: summed over\n"
	       "the range; orders ahead: served on the same line before its turn\n");
}

/* --csv: the spans under allot_explain_span_columns, and every order ahead
 * as "ID:units" in `ahead`; --json: the API's object (allot_explain_json). */
static void print_csv(const struct allot_scenario *s, const struct allot_explain *e)
{
	const char *head[ALLOT_EXPLAIN_SPAN_NCOL + 1];
	for (int k = 0; k < ALLOT_EXPLAIN_SPAN_NCOL; k++)
		head[k] = allot_explain_span_columns[k];
	head[ALLOT_EXPLAIN_SPAN_NCOL] = "ahead";
	struct cli_table *t = cli_table_new(ALLOT_EXPLAIN_SPAN_NCOL + 1, head, NULL);
	char b[64];
	for (size_t i = 0; i < e->n_spans; i++) {
		const struct allot_explain_span *sp = &e->spans[i];
		struct allot_cell c[ALLOT_EXPLAIN_SPAN_NCOL];
		allot_explain_span_cells(s, sp, c);
		for (int k = 0; k < ALLOT_EXPLAIN_SPAN_NCOL; k++)
			cli_table_add(t, allot_cell_text(&c[k], b));
		char buf[4096];
		size_t k = 0;
		buf[0] = '\0';
		for (size_t j = 0; j < sp->n_ahead && k < sizeof buf; j++)
			k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s:%lld", j ? " " : "",
					      s->orders[sp->ahead[j].order].order_id,
					      (long long)sp->ahead[j].units);
		cli_table_add(t, buf);
	}
	cli_table_print(t, CLI_CSV, stdout);
	cli_table_free(t);
}

int cmd_explain(int argc, char **argv)
{
	struct explain_args a;
	memset(&a, 0, sizeof a);
	a.policy = ALLOT_POLICY_PRIORITY;
	a.sw = ALLOT_NO_MONTH;
	a.ahead = 4;
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&explain_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	int order = cli_resolve("explain", s, ALLOT_KIND_ORDER, a.order_id);
	if (order < 0) {
		allot_scenario_free(s);
		return EXIT_USAGE;
	}
	struct allot_plan_options po;
	allot_plan_options_init(&po);
	po.policy = a.policy;
	po.switch_month = a.sw;
	struct allot_explain *e = NULL;
	int lrc = allot_explain_run(s, &po, order, &e);
	if (lrc != ALLOT_OK)
		fprintf(stderr, "allot explain: %s\n", allot_strerror(lrc));
	else if (a.o.fmt == CLI_CSV)
		print_csv(s, e);
	else if (a.o.fmt == CLI_JSON)
		cli_json_print(allot_explain_json(e, SIZE_MAX, 5), 0);
	else
		print_text(s, e, &a);
	allot_explain_free(e);
	allot_scenario_free(s);
	return cli_exit_code(lrc);
}
