/*
 * write.c - a sweep's results as files (docs/scaling.md): sweep_orders.csv
 * and sweep_partners.csv in canonical CSV, and sweep.json with the same
 * figures plus what produced them (runs, seed, policy, the SPECs).  Numbers
 * use allot_fmt_double, months YYYY-MM; a percentile after the horizon is
 * an empty cell (null in JSON), like completion_month in orders_out.csv.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "io/csvwrite.h"
#include "util/afile.h"
#include "util/mem.h"

static void csv_num_or_empty(struct csvw *w, double v)
{
	if (isnan(v))
		csvw_str(w, "");
	else
		csvw_double(w, v);
}

int allot_sweep_write_orders_csv(const struct allot_sweep_result *r, FILE *out)
{
	const struct allot_scenario *s = r->scenario;
	struct csvw w;
	csvw_init(&w, out);
	static const char *const head[] = { "order_id", "iso3", "system_id", "runs",     "p10",
					    "p50",      "p90",  "complete",  "cancelled" };
	csvw_row(&w, head, sizeof head / sizeof *head);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_sweep_order *so = &r->orders[i];
		csvw_str(&w, o->order_id);
		csvw_str(&w, s->partners[o->partner].iso3);
		csvw_str(&w, s->systems[o->system].system_id);
		csvw_int(&w, (long long)so->runs);
		csvw_month(&w, so->p10);
		csvw_month(&w, so->p50);
		csvw_month(&w, so->p90);
		csvw_int(&w, (long long)so->complete);
		csvw_int(&w, (long long)so->cancelled);
		csvw_end(&w);
	}
	return csvw_error(&w) ? ALLOT_EIO : ALLOT_OK;
}

int allot_sweep_write_partners_csv(const struct allot_sweep_result *r, FILE *out)
{
	const struct allot_scenario *s = r->scenario;
	struct csvw w;
	csvw_init(&w, out);
	csvw_str(&w, "iso3");
	csvw_str(&w, "name");
	csvw_str(&w, "runs");
	for (size_t k = 0; k < r->n_tiers; k++) {
		char h[32];
		snprintf(h, sizeof h, "p_tier%zu", k + 1);
		csvw_str(&w, h);
	}
	static const char *const tail[] = { "wait_runs", "wait_mean", "wait_p10", "wait_p50",
					    "wait_p90" };
	for (size_t k = 0; k < sizeof tail / sizeof *tail; k++)
		csvw_str(&w, tail[k]);
	csvw_end(&w);
	for (size_t p = 0; p < s->n_partners; p++) {
		const struct allot_sweep_partner *sp = &r->partners[p];
		csvw_str(&w, s->partners[p].iso3);
		csvw_str(&w, s->partners[p].name);
		csvw_int(&w, (long long)r->runs);
		for (size_t k = 0; k < r->n_tiers; k++)
			csvw_double(&w, allot_sweep_tier_prob(r, p, k));
		csvw_int(&w, (long long)sp->wait_runs);
		csv_num_or_empty(&w, sp->wait_mean);
		csv_num_or_empty(&w, sp->wait_p10);
		csv_num_or_empty(&w, sp->wait_p50);
		csv_num_or_empty(&w, sp->wait_p90);
		csvw_end(&w);
	}
	return csvw_error(&w) ? ALLOT_EIO : ALLOT_OK;
}

/* ---------------------------------------------------------------------- */
/* JSON                                                                     */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A month by the library's one month writer (allot_month_json): "YYYY-MM"
 * or null; -1 when out of memory. */
static int json_month(FILE *f, allot_month m)
{
	json_t *j = allot_month_json(m);
	if (!j)
		return -1;
	json_dumpf(j, f, JSON_ENCODE_ANY);
	json_decref(j);
	return 0;
}

static void json_num(FILE *f, double v)
{
	char b[32];
	if (isnan(v)) {
		fputs("null", f);
		return;
	}
	allot_fmt_double(v, b);
	fputs(b, f);
}

static int json_head(const struct allot_sweep_result *r, FILE *f)
{
	fputs("{\n  \"scenario\": ", f);
	json_str(f, r->scenario->name ? r->scenario->name : "");
	fprintf(f, ",\n  \"runs\": %zu,\n  \"seed\": %llu,\n  \"policy\": \"%s\",\n", r->runs,
		(unsigned long long)r->seed, allot_policy_kind_name(r->policy));
	fputs("  \"switch_month\": ", f);
	int bad = json_month(f,
			     r->policy == ALLOT_POLICY_PRIORITY ? r->switch_month : ALLOT_NO_MONTH);
	fputs(",\n  \"vary\": [", f);
	for (size_t i = 0; i < r->n_vary; i++) {
		char spec[256];
		allot_vary_format(&r->vary[i], spec, sizeof spec);
		fputs(i ? ", " : "", f);
		json_str(f, spec);
	}
	fprintf(f, "],\n  \"tiers\": %zu,\n", r->n_tiers);
	return bad;
}

static int json_orders(const struct allot_sweep_result *r, FILE *f)
{
	const struct allot_scenario *s = r->scenario;
	int bad = 0;
	fputs("  \"orders\": [", f);
	for (size_t i = 0; i < s->n_orders; i++) {
		const struct allot_order *o = &s->orders[i];
		const struct allot_sweep_order *so = &r->orders[i];
		fputs(i ? ",\n    {\"order_id\": " : "\n    {\"order_id\": ", f);
		json_str(f, o->order_id);
		fputs(", \"iso3\": ", f);
		json_str(f, s->partners[o->partner].iso3);
		fputs(", \"system_id\": ", f);
		json_str(f, s->systems[o->system].system_id);
		fprintf(f, ", \"runs\": %zu, \"p10\": ", so->runs);
		bad |= json_month(f, so->p10);
		fputs(", \"p50\": ", f);
		bad |= json_month(f, so->p50);
		fputs(", \"p90\": ", f);
		bad |= json_month(f, so->p90);
		fprintf(f, ", \"complete\": %zu, \"cancelled\": %zu}", so->complete, so->cancelled);
	}
	fputs(s->n_orders ? "\n  ],\n" : "],\n", f);
	return bad;
}

static void json_partners(const struct allot_sweep_result *r, FILE *f)
{
	const struct allot_scenario *s = r->scenario;
	fputs("  \"partners\": [", f);
	for (size_t p = 0; p < s->n_partners; p++) {
		const struct allot_sweep_partner *sp = &r->partners[p];
		fputs(p ? ",\n    {\"iso3\": " : "\n    {\"iso3\": ", f);
		json_str(f, s->partners[p].iso3);
		fputs(", \"name\": ", f);
		json_str(f, s->partners[p].name);
		fputs(", \"p_tier\": [", f);
		for (size_t k = 0; k < r->n_tiers; k++) {
			fputs(k ? ", " : "", f);
			json_num(f, allot_sweep_tier_prob(r, p, k));
		}
		fprintf(f, "], \"wait_runs\": %zu, \"wait_mean\": ", sp->wait_runs);
		json_num(f, sp->wait_mean);
		fputs(", \"wait_p10\": ", f);
		json_num(f, sp->wait_p10);
		fputs(", \"wait_p50\": ", f);
		json_num(f, sp->wait_p50);
		fputs(", \"wait_p90\": ", f);
		json_num(f, sp->wait_p90);
		fputc('}', f);
	}
	fputs(s->n_partners ? "\n  ]\n}\n" : "]\n}\n", f);
}

int allot_sweep_write_json(const struct allot_sweep_result *r, FILE *f)
{
	int bad = json_head(r, f);
	bad |= json_orders(r, f);
	json_partners(r, f);
	return bad ? ALLOT_ENOMEM : ferror(f) ? ALLOT_EIO : ALLOT_OK;
}

/* ---------------------------------------------------------------------- */

typedef int (*writer)(const struct allot_sweep_result *r, FILE *out);

static int write_one(const struct allot_sweep_result *r, const char *dir, const char *name,
		     writer fn)
{
	char *path = mem_path_join(dir, name);
	if (!path)
		return ALLOT_ENOMEM;
	struct afile af;
	int rc = ALLOT_EIO;
	if (afile_open(&af, path) == 0) {
		rc = fn(r, af.f);
		if (rc == ALLOT_OK && afile_commit(&af) != 0)
			rc = ALLOT_EIO;
		if (rc != ALLOT_OK)
			afile_abort(&af);
	}
	mem_free(path);
	return rc;
}

int allot_sweep_write(const struct allot_sweep_result *r, const char *dir)
{
	if (afile_mkdirs(dir) != 0)
		return ALLOT_EIO;
	int rc = write_one(r, dir, "sweep_orders.csv", allot_sweep_write_orders_csv);
	if (rc == ALLOT_OK)
		rc = write_one(r, dir, "sweep_partners.csv", allot_sweep_write_partners_csv);
	if (rc == ALLOT_OK)
		rc = write_one(r, dir, "sweep.json", allot_sweep_write_json);
	return rc;
}
