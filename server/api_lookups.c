/*
 * api_lookups.c - what the dashboard needs for issue 17 (docs/api.md):
 *
 *   GET  /api/style
 *        the one visual language (lib/style.c): tier, criterion and policy
 *        colours and the words for unknown, n/a, after the horizon;
 *   GET  /api/scenarios/{name}/deliveries?partner=WHO[&switch=]
 *        one partner's cumulative deliveries per month under fcfs and
 *        under priority (WHO: an ISO3 code, a name or a unique prefix;
 *        default POL), units after the horizon counted apart;
 *   POST /api/xlsx {"sheets": [{"name", "columns", "numeric", "rows"}]}
 *        the tables as a workbook (allot_workbook_write), for the
 *        dashboard's XLSX downloads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "server_int.h"

void api_style(struct req *r, struct resp *out)
{
	(void)r;
	char *text = allot_style_json();
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (!j)
		return resp_error(out, 500, "out of memory");
	resp_json(out, 200, j);
}

static json_t *series(const struct allot_plan *p, int who, int64_t *v)
{
	int64_t after = 0, sum = 0;
	allot_partner_deliveries(p, who, v, &after);
	json_t *cum = json_array();
	for (int m = 0; cum && m < p->scenario->horizon_months; m++) {
		sum += v[m];
		json_array_append_new(cum, json_integer((json_int_t)sum));
	}
	return json_pack("{s:s, s:o, s:I, s:I}", "policy", allot_policy_kind_name(p->policy),
			 "units", cum, "in_horizon", (json_int_t)sum, "after_horizon",
			 (json_int_t)after);
}

void api_deliveries(struct req *r, struct resp *out)
{
	const struct allot_scenario *s = req_scenario(r, out);
	if (!s)
		return;
	const char *who_text = req_query(r, "partner");
	char msg[512];
	int who = allot_lookup_msg(s, ALLOT_KIND_PARTNER, who_text ? who_text : "POL", msg,
				   sizeof msg);
	struct allot_plan *p[2] = { NULL, NULL };
	int64_t *v = NULL;
	struct allot_plan_options o;
	if (who < 0) {
		resp_error(out, who_text ? 404 : 400, "%s", who_text ? msg : "give ?partner=WHO");
		goto done;
	}
	if (plan_opts_query(r, &o, out) != 0)
		goto done;
	for (int k = 0; k < 2; k++) {
		o.policy = k ? ALLOT_POLICY_PRIORITY : ALLOT_POLICY_FCFS;
		o.record_allocations = 1;
		int rc = allot_plan_run(s, &o, &p[k]);
		if (rc != ALLOT_OK) {
			resp_status(out, rc, NULL, "cannot plan the scenario");
			goto done;
		}
	}
	v = mem_calloc((size_t)s->horizon_months + 1, sizeof *v);
	json_t *months = json_array(), *ser = json_array();
	for (int m = 0; months && m < s->horizon_months; m++)
		json_array_append_new(months, jmonth(s->as_of + m));
	for (int k = 0; v && ser && k < 2; k++)
		json_array_append_new(ser, series(p[k], who, v));
	int64_t open = 0;
	for (size_t i = 0; i < s->n_orders; i++)
		if (s->orders[i].partner == who)
			open += s->orders[i].qty - s->orders[i].delivered;
	if (!v || !months || !ser) {
		json_decref(months);
		json_decref(ser);
		resp_error(out, 500, "out of memory");
		goto done;
	}
	resp_json(out, 200,
		  json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "scenario", r->param[0],
			    "iso3", s->partners[who].iso3, "name", s->partners[who].name,
			    "open_units", (json_int_t)open, "switch_month",
			    allot_switch_month_json(p[1]->switch_month), "horizon_end",
			    jmonth(s->as_of + s->horizon_months - 1), "months", months, "series",
			    ser));
done:
	mem_free(v);
	allot_plan_free(p[0]);
	allot_plan_free(p[1]);
	req_scenario_done(r, s);
}

#define XLSX_MAX_SHEETS 16
#define XLSX_MAX_CELLS  2000000

/* One sheet of the body into sh; its cells' texts in *cells. */
static int sheet_of(json_t *j, struct allot_workbook_sheet *sh, char ***cells, int **numeric,
		    const char ***cols, struct resp *out)
{
	json_t *name = json_object_get(j, "name"), *c = json_object_get(j, "columns");
	json_t *num = json_object_get(j, "numeric"), *rows = json_object_get(j, "rows");
	if (!json_is_string(name) || !json_is_array(c) || !json_is_array(rows) ||
	    json_array_size(c) == 0 || json_array_size(c) > 256) {
		resp_error(out, 400, "expected a sheet with a name, 1..256 columns and rows");
		return -1;
	}
	size_t nc = json_array_size(c), nr = json_array_size(rows);
	if (nr * nc > XLSX_MAX_CELLS) {
		resp_error(out, 413, "expected at most %d cells", XLSX_MAX_CELLS);
		return -1;
	}
	*cols = mem_calloc(nc, sizeof **cols);
	*numeric = mem_calloc(nc, sizeof **numeric);
	*cells = mem_calloc(nr * nc + 1, sizeof **cells);
	if (!*cols || !*numeric || !*cells) {
		resp_error(out, 500, "out of memory");
		return -1;
	}
	for (size_t k = 0; k < nc; k++) {
		json_t *h = json_array_get(c, k);
		if (!json_is_string(h)) {
			resp_error(out, 400, "expected column names as strings");
			return -1;
		}
		(*cols)[k] = json_string_value(h);
		(*numeric)[k] = json_is_true(json_array_get(num, k));
	}
	for (size_t i = 0; i < nr; i++) {
		json_t *row = json_array_get(rows, i);
		for (size_t k = 0; k < nc; k++) {
			json_t *x = json_is_array(row) ? json_array_get(row, k) : NULL;
			char buf[64];
			const char *t = "";
			if (json_is_string(x))
				t = json_string_value(x);
			else if (json_is_number(x))
				t = (allot_fmt_double(json_number_value(x), buf), buf);
			if (!((*cells)[i * nc + k] = mem_strdup(t))) {
				resp_error(out, 500, "out of memory");
				return -1;
			}
		}
	}
	*sh = (struct allot_workbook_sheet){ json_string_value(name),     (int)nc, *cols, *numeric,
					     (const char *const *)*cells, nr };
	return 0;
}

void api_xlsx(struct req *r, struct resp *out)
{
	json_t *sheets = json_object_get(r->body, "sheets");
	size_t n = json_array_size(sheets);
	if (!json_is_array(sheets) || n == 0 || n > XLSX_MAX_SHEETS)
		return resp_error(out, 400, "expected \"sheets\": 1..%d tables", XLSX_MAX_SHEETS);
	struct allot_workbook_sheet sh[XLSX_MAX_SHEETS];
	char **cells[XLSX_MAX_SHEETS] = { 0 };
	int *numeric[XLSX_MAX_SHEETS] = { 0 };
	const char **cols[XLSX_MAX_SHEETS] = { 0 };
	char path[] = "/tmp/allot-xlsx-XXXXXX";
	int fd = -1, ok = 1;
	for (size_t k = 0; k < n && ok; k++)
		ok = sheet_of(json_array_get(sheets, k), &sh[k], &cells[k], &numeric[k], &cols[k],
			      out) == 0;
	if (ok && (fd = mkstemp(path)) < 0) {
		resp_error(out, 500, "cannot create a temporary file");
		ok = 0;
	}
	if (ok) {
		int rc = allot_workbook_write(path, sh, n);
		struct stat sb;
		unsigned char *bytes = NULL;
		FILE *f = rc == ALLOT_OK ? fopen(path, "rb") : NULL;
		if (f && fstat(fileno(f), &sb) == 0 &&
		    (bytes = mem_alloc((size_t)sb.st_size + 1)) &&
		    fread(bytes, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size) {
			out->status = 200;
			out->bytes = bytes;
			out->len = (size_t)sb.st_size;
			out->owned = 1;
			out->type =
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		} else {
			mem_free(bytes);
			resp_error(out, rc == ALLOT_OK ? 500 : 400,
				   "cannot write the workbook (sheet names: at most 31 characters, "
				   "none of []:*?/\\)");
		}
		if (f)
			fclose(f);
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; cells[k] && cells[k][i]; i++)
			mem_free(cells[k][i]);
		mem_free(cells[k]);
		mem_free(numeric[k]);
		mem_free(cols[k]);
	}
}
