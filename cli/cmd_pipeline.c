/*
 * cmd_pipeline.c - `allot pipeline`: every Letter of Request from
 * requests.csv to its estimated LOA month (processing, 36(b) notification,
 * EEUM review, catalog gate) and to its first and last delivery once
 * planned with the signed orders; months from LOR to first delivery by tier
 * under both policies; third-party transfers and their consent decisions
 * under both regimes (docs/case-process.md, docs/policy.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: allot pipeline DIR | --db FILE [--scenario NAME] [--policy P]\n"
		"                      [--switch YYYY-MM] [--table T] [--csv | --json]\n"
		"\n"
		"Turns each request of requests.csv into an order: its LOA month is the LOR\n"
		"month plus the processing days of its case category (shortened for catalog\n"
		"systems and by tier under the priority policy), the 36(b) congressional\n"
		"review when the case value reaches a threshold of the partner's group\n"
		"(NATO+ or other), and the EEUM review of a delinquent partner.  Under the\n"
		"priority policy a request from a partner below the system's min_tier gate\n"
		"is held.  The requests are then planned with the signed orders, under both\n"
		"policies, to give first and last deliveries.  Settings: policy.json \"cases\"\n"
		"(docs/policy.md).\n"
		"\n"
		"Text output shows three tables; --csv and --json print the one named by\n"
		"--table.\n"
		"\n"
		"options:\n"
		"  --db FILE         read the scenario from a store instead of DIR\n"
		"  --scenario NAME   which stored scenario (default: the only one, or default)\n"
		"  --policy P        the requests table under fcfs or priority (default priority)\n"
		"  --switch YYYY-MM  month the priority rule takes over (default: scenario's)\n"
		"  --table T         requests (default), tiers or transfers, for --csv/--json\n"
		"  --csv, --json     machine-readable output\n"
		"  -h, --help        show this help\n"
		"\n"
		"examples:\n"
		"  allot pipeline data/default\n"
		"  allot pipeline data/default --policy fcfs --csv > requests.csv\n"
		"  allot pipeline --db allot.db --table tiers --json\n");
}

static void month_cell(struct cli_table *t, allot_month m)
{
	char b[8];
	allot_month_format(m, b);
	cli_table_add(t, b);
}

/* A month in the text; none: a held request's "n/a" (it is never offered),
 * else no delivery within the horizon, "after YYYY-MM" (allot_style_month);
 * never a blank cell. */
static void text_month(struct cli_table *t, allot_month m, int held, allot_month last)
{
	char b[ALLOT_STYLE_MONTH_MAX];
	if (m != ALLOT_NO_MONTH) /* an estimated LOA may lie past the horizon */
		cli_table_add(t, allot_month_format(m, b));
	else
		cli_table_add(t, held ? ALLOT_SYM_NA : allot_style_month(m, last, b));
}

/* Lines of one case: adjacent requests of the same partner, in the same
 * month, with the same value (requests.csv repeats a DSCA case's value on
 * each of its lines: "DEU-25-74-sm6", "DEU-25-74-sm2"). */
static int same_case(const struct allot_request *a, const struct allot_request *b)
{
	return a->partner == b->partner && a->lor_month == b->lor_month &&
	       a->value_usd == b->value_usd;
}

/* Text: two tables of under 100 columns (the case and its dates; the
 * process and why), a case's value on its first line only. */
static void requests_text(const struct allot_pipeline *pl, int k)
{
	static const char *const h1[] = { "request", "iso3",  "system", "qty",    "case_usd_m",
					  "loa",     "first", "last",   "months", "line rate" };
	static const int n1[] = { 0, 0, 0, 1, 1, 0, 0, 0, 1, 0 };
	static const char *const h2[] = { "request", "tier",   "lor",  "category", "processing",
					  "notify",  "review", "eeum", "blocked" };
	static const int n2[] = { 0, 1, 0, 0, 1, 0, 1, 1, 1 };
	const struct allot_scenario *s = pl->scenario;
	/* 'line rate' when some line states its basis: first and last rest on it */
	int basis = allot_scenario_has_rate_basis(s);
	struct cli_table *t1 = cli_table_new(9 + basis, h1, n1), *t2 = cli_table_new(9, h2, n2);
	char *whys = calloc(s->n_requests + 1, 256);
	for (size_t r = 0; r < s->n_requests; r++) {
		const struct allot_request *q = &s->requests[r];
		const struct allot_pipeline_row *w = &pl->rows[k][r];
		const struct allot_case_estimate *e = &w->est;
		char why[256], clip[64];
		allot_case_reason(s, e, why, sizeof why);
		if (e->eeum_review)
			strncat(why, "; EEUM review: partner delinquent",
				sizeof why - strlen(why) - 1);
		if (e->eeum_violation)
			strncat(why, "; EEUM: partner in violation, not produced while it lasts",
				sizeof why - strlen(why) - 1);
		cli_table_add(t1, q->request_id);
		cli_table_add(t1, s->partners[q->partner].iso3);
		cli_table_add(t1, cli_clip(s->systems[q->system].system_id, 12, clip, sizeof clip));
		cli_table_addf(t1, "%lld", (long long)q->qty);
		if (r > 0 && same_case(&s->requests[r - 1], q))
			cli_table_add(t1, "(above)");
		else if (!isfinite(q->value_usd))
			cli_table_add(t1, ALLOT_SYM_UNKNOWN);
		else
			cli_table_addf(t1, "%.1f", q->value_usd / 1e6);
		allot_month last = s->as_of + s->horizon_months - 1;
		text_month(t1, e->loa_month, 1, last); /* none: held */
		text_month(t1, w->first_delivery, e->held, last);
		text_month(t1, w->last_delivery, e->held, last);
		if (w->months < 0) /* held: no wait measured */
			cli_table_add(t1, ALLOT_SYM_NA);
		else
			cli_table_addf(t1, "%s%d", w->censored ? ">" : "", w->months);
		if (basis)
			cli_table_add(t1, cli_rate_basis_text(s, q->system));
		cli_table_add(t2, q->request_id);
		cli_table_addf(t2, "%d", e->tier);
		month_cell(t2, q->lor_month);
		cli_table_add(t2, allot_case_category_name(e->category));
		cli_table_addf(t2, "%.0f", e->processing_days);
		cli_table_add(t2, e->held ? ALLOT_SYM_NA : e->notify ? "yes" : "no");
		cli_table_addf(t2, "%.0f", e->review_days);
		cli_table_addf(t2, "%.0f", e->eeum_days);
		cli_table_addf(t2, "%lld", (long long)w->blocked);
		if (whys)
			snprintf(whys + r * 256, 256, "%s", why);
	}
	cli_table_print(t1, CLI_TEXT, stdout);
	printf("\nThe case process (lor: letter of request; category: AOD group or D&C;\n"
	       "processing, review and eeum in days):\n");
	cli_table_print(t2, CLI_TEXT, stdout);
	printf("\nWhy:\n");
	for (size_t r = 0; whys && r < s->n_requests; r++)
		cli_para(2, "%s: %s", s->requests[r].request_id, whys + r * 256);
	free(whys);
	cli_table_free(t1);
	cli_table_free(t2);
}

static void requests_table(const struct allot_pipeline *pl, int k, enum cli_format fmt)
{
	if (fmt == CLI_TEXT) {
		requests_text(pl, k);
		return;
	}
	static const char *const head[] = {
		"request_id",      "iso3",           "system_id",     "qty",
		"value_usd",       "tier",           "category",      "lor_month",
		"processing_days", "notify",         "review_days",   "eeum_days",
		"loa_month",       "first_delivery", "last_delivery", "lor_to_first_months",
		"censored",        "blocked",        "why",           "rate_basis",
	};
	/* the months, notify and rate_basis are missing (JSON null) when empty */
	enum { T = CLI_COL_TEXT, N = CLI_COL_NUM, E = CLI_COL_NULLABLE };
	static const int numeric[] = { T, T, T, N, N, N, T, E, N, E, N, N, E, E, E, N, N, N, T, E };
	const struct allot_scenario *s = pl->scenario;
	int basis = allot_scenario_has_rate_basis(s); /* the deliveries rest on the line's rate */
	struct cli_table *t = cli_table_new(19 + basis, head, numeric);
	for (size_t r = 0; r < s->n_requests; r++) {
		const struct allot_request *q = &s->requests[r];
		const struct allot_pipeline_row *w = &pl->rows[k][r];
		const struct allot_case_estimate *e = &w->est;
		char why[256];
		allot_case_reason(s, e, why, sizeof why);
		if (e->eeum_review)
			strncat(why, "; EEUM review: partner delinquent",
				sizeof why - strlen(why) - 1);
		if (e->eeum_violation)
			strncat(why, "; EEUM: partner in violation, not produced while it lasts",
				sizeof why - strlen(why) - 1);
		cli_table_add(t, q->request_id);
		cli_table_add(t, s->partners[q->partner].iso3);
		cli_table_add(t, s->systems[q->system].system_id);
		cli_table_addf(t, "%lld", (long long)q->qty);
		cli_table_addf(t, "%.0f", q->value_usd);
		cli_table_addf(t, "%d", e->tier);
		cli_table_add(t, allot_case_category_name(e->category));
		month_cell(t, q->lor_month);
		cli_table_addf(t, "%.1f", e->processing_days);
		cli_table_add(t, e->held ? "" : e->notify ? "yes" : "no");
		cli_table_addf(t, "%.0f", e->review_days);
		cli_table_addf(t, "%.0f", e->eeum_days);
		month_cell(t, e->loa_month);
		month_cell(t, w->first_delivery);
		month_cell(t, w->last_delivery);
		/* a number in every machine face (the text's ">N" is no number):
		 * censored says it is counted to the horizon's end */
		if (w->months < 0) {
			cli_table_add(t, "");
			cli_table_add(t, "");
		} else {
			cli_table_addf(t, "%d", w->months);
			cli_table_addf(t, "%d", w->censored);
		}
		cli_table_addf(t, "%lld", (long long)w->blocked);
		cli_table_add(t, why);
		if (basis)
			cli_table_add(t, cli_rate_basis(s, q->system));
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
}

static void tiers_table(const struct allot_pipeline *pl, enum cli_format fmt)
{
	static const char *const head[] = {
		"tier",          "requests",          "held_fcfs",
		"held_priority", "mean_months_fcfs",  "mean_months_priority",
		"censored_fcfs", "censored_priority",
	};
	static const char *const text_head[] = {
		"tier",      "requests",  "held_fcfs",     "held_prio",
		"mean_fcfs", "mean_prio", "censored_fcfs", "censored_prio",
	};
	static const int numeric[] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	struct cli_table *t = cli_table_new(8, fmt == CLI_TEXT ? text_head : head, numeric);
	for (size_t i = 0; i < pl->n_tiers; i++) {
		const struct allot_pipeline_tier *g = &pl->tiers[i];
		cli_table_addf(t, "%d", g->tier);
		cli_table_addf(t, "%zu", g->requests);
		cli_table_addf(t, "%zu", g->held[0]);
		cli_table_addf(t, "%zu", g->held[1]);
		for (int k = 0; k < 2; k++) {
			if (g->counted[k])
				cli_table_addf(t, "%.1f", g->mean_months[k]);
			else /* no request counted: CSV empty, JSON null */
				cli_table_add(t, fmt == CLI_TEXT ? ALLOT_SYM_NA : "");
		}
		cli_table_addf(t, "%zu", g->censored[0]);
		cli_table_addf(t, "%zu", g->censored[1]);
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
}

static void why_text(unsigned why, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s", why & ALLOT_TPT_INELIGIBLE ? "recipient not eligible; " : "",
		 why & ALLOT_TPT_EEUM ? "EEUM item; " : "",
		 why & ALLOT_TPT_NOTIFY ? "AECA 3(d) notification; " : "", why ? "" : "-");
	size_t l = strlen(buf);
	if (l >= 2 && buf[l - 2] == ';')
		buf[l - 2] = '\0';
}

static void transfers_table(const struct allot_pipeline *pl, enum cli_format fmt)
{
	static const char *const head[] = {
		"transfer_id", "from",
		"to",          "system_id",
		"qty",         "request_month",
		"standard",    "standard_month",
		"streamlined", "streamlined_month",
		"in_force",    "why",
	};
	static const char *const text_head[] = {
		"transfer", "from",  "to",          "system", "qty",      "request",
		"standard", "month", "streamlined", "month",  "in_force", "why",
	};
	static const int numeric[] = { 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
	const struct allot_scenario *s = pl->scenario;
	struct allot_case_policy cp;
	allot_case_policy_of(&s->policy, &cp);
	/* text: the regime in force on the line above (the same in every row)
	 * and each reason on a line below the table, so that it fits 100 columns */
	int text = fmt == CLI_TEXT;
	struct cli_table *t = cli_table_new(text ? 10 : 12, text ? text_head : head, numeric);
	if (text)
		printf("(in force: %s)\n\n", cp.tpt_streamlined ? "streamlined" : "standard");
	for (size_t i = 0; i < s->n_transfers; i++) {
		const struct allot_transfer *x = &s->transfers[i];
		cli_table_add(t, x->transfer_id);
		cli_table_add(t, s->partners[x->from].iso3);
		cli_table_add(t, x->to_iso3);
		cli_table_add(t, s->systems[x->system].system_id);
		cli_table_addf(t, "%lld", (long long)x->qty);
		month_cell(t, x->request_month);
		for (int k = 0; k < 2; k++) {
			const struct allot_transfer_decision *d = &pl->transfers[k][i];
			cli_table_add(t, d->consent ? "consent" : "refused");
			month_cell(t, d->month);
		}
		if (text)
			continue;
		cli_table_add(t, cp.tpt_streamlined ? "streamlined" : "standard");
		char why[128];
		why_text(pl->transfers[cp.tpt_streamlined][i].why, why, sizeof why);
		cli_table_add(t, why);
	}
	cli_table_print(t, fmt, stdout);
	cli_table_free(t);
	for (size_t i = 0, any = 0; text && i < s->n_transfers; i++) {
		unsigned why = pl->transfers[cp.tpt_streamlined][i].why;
		char w[128];
		if (!why)
			continue;
		if (!any++)
			printf("why, under the regime in force:\n");
		why_text(why, w, sizeof w);
		cli_para(2, "%s: %s", s->transfers[i].transfer_id, w);
	}
}

struct pipeline_args {
	struct cli_common o;
	enum allot_policy_kind kind;
	allot_month sw;
	const char *table;
};

static int opt_table(const char *cmd, const struct cli_opt *op, const char *arg, void *args)
{
	(void)op;
	if (strcmp(arg, "requests") == 0 || strcmp(arg, "tiers") == 0 ||
	    strcmp(arg, "transfers") == 0) {
		((struct pipeline_args *)args)->table = arg;
		return 0;
	}
	fprintf(stderr,
		"allot %s: expected requests, tiers or transfers after --table, found "
		"'%s'\n",
		cmd, arg);
	return -1;
}

static const struct cli_opt pipeline_opts[] = {
	CLI_OPT_POLICY(struct pipeline_args, kind),
	CLI_OPT_SWITCH(struct pipeline_args, sw),
	CLI_OPT_FN("table", opt_table),
	{ 0 },
};
static const struct cli_spec pipeline_spec = {
	"pipeline", usage, pipeline_opts, CLI_SOURCE | CLI_FORMAT, 0, NULL
};

int cmd_pipeline(int argc, char **argv)
{
	struct pipeline_args a = { .o.fmt = CLI_TEXT,
				   .kind = ALLOT_POLICY_PRIORITY,
				   .sw = ALLOT_NO_MONTH,
				   .table = "requests" };
	struct allot_scenario *s;
	int rc;
	if (!cli_start(&pipeline_spec, argc, argv, &a, &a.o, &s, &rc))
		return rc;
	const struct cli_common o = a.o;
	enum allot_policy_kind kind = a.kind;
	allot_month sw = a.sw;
	const char *table = a.table;
	struct allot_pipeline *pl = NULL;
	int st = allot_pipeline_run(s, sw, &pl);
	if (st != ALLOT_OK) {
		fprintf(stderr, "allot pipeline: %s\n", allot_strerror(st));
		allot_scenario_free(s);
		return cli_exit_code(st);
	}
	if (o.fmt != CLI_TEXT) {
		if (strcmp(table, "requests") == 0)
			requests_table(pl, kind, o.fmt);
		else if (strcmp(table, "tiers") == 0)
			tiers_table(pl, o.fmt);
		else
			transfers_table(pl, o.fmt);
	} else {
		char m[8] = "";
		if (pl->switch_month != ALLOT_NO_MONTH && pl->switch_month > s->as_of)
			allot_month_format(pl->switch_month, m); /* as `plan` says */
		printf("Requests under the %s policy%s%s%s (%zu; %s);\n"
		       "case_usd_m: the case's value, USD million ('(above)': the case of the row\n"
		       "above); loa: the estimated LOA month (the case process below), first and\n"
		       "last: planned deliveries, months: LOR to first delivery ('>': to the\n"
		       "horizon's end), n/a: held at the tier gate:\n\n",
		       allot_policy_kind_name(kind),
		       kind == ALLOT_POLICY_PRIORITY && m[0] ? " from " : "",
		       kind == ALLOT_POLICY_PRIORITY ? m : "", "", s->n_requests,
		       s->present & (1u << ALLOT_FILE_REQUESTS) ? "requests.csv"
								: "no requests.csv");
		requests_table(pl, kind, o.fmt);
		printf("\nMonths from LOR to first delivery, by tier (a request with no\n"
		       "delivery in the horizon counts to its end; held ones are left out):\n\n");
		tiers_table(pl, o.fmt);
		if (s->n_transfers) {
			printf("\nThird-party transfers (%zu), consent under both regimes ",
			       s->n_transfers);
			transfers_table(pl, o.fmt);
		} else {
			printf("\nThird-party transfers: none (%s)\n",
			       s->present & (1u << ALLOT_FILE_TRANSFERS) ? "transfers.csv"
									 : "no transfers.csv");
		}
	}
	allot_pipeline_free(pl);
	allot_scenario_free(s);
	return EXIT_OK;
}
