/*
 * dataset_requests.c - requests.csv of the dataset from the hand-typed,
 * cited data/sources/requests.csv (request_id, iso3, system_id, qty,
 * lor_month, value_usd, case_category, cn_number, citation).
 *
 * Each row is a case DSCA has notified to Congress (so a Letter of Request
 * exists) and SIPRI's register, which runs to orders of 2024, does not yet
 * hold as an order.  Its cn_number must be in the DSCA notification index
 * (raw/dsca-cn-index/dsca_notifications.json), whose PDF address goes to
 * SOURCES.md; its partner and system must be in the dataset (partners and
 * systems come from open orders).  The LOR date of a case is not public:
 * lor_month is the notification month, a stand-in that is late by the time
 * the case spent before notification (docs/dataset.md).
 */
#include "convert/dataset.h"

#include <string.h>

#include <jansson.h>

#include "util/mem.h"

enum { RQ_ID, RQ_ISO3, RQ_SYSTEM, RQ_QTY, RQ_LOR, RQ_VALUE, RQ_CAT, RQ_CN, RQ_CITE };
static const char *const request_cols[] = {
	"request_id", "iso3",          "system_id", "qty",      "lor_month",
	"value_usd",  "case_category", "cn_number", "citation", NULL,
};

/* The notification's PDF address in the index, or NULL. */
static const char *cn_url(const json_t *index, const char *cn)
{
	size_t i;
	const json_t *e;
	json_array_foreach(index, i, e)
	{
		const char *n = json_string_value(json_object_get(e, "cn_number"));
		if (n && strcmp(n, cn) == 0)
			return json_string_value(json_object_get(e, "pdf_url"));
	}
	return NULL;
}

static int bad(struct ds *ds, const struct ds_table *t, size_t row, int col, const char *what,
	       const char *found)
{
	allot_diags_add(ds->d, t->path, t->t.rows[row].line, ds_colno(t, row, col),
			"expected %s, found '%s'", what, found);
	return ALLOT_EINPUT;
}

static int add_request(struct ds *ds, const struct ds_table *t, size_t row, const json_t *index)
{
	struct allot_scenario *s = ds->s;
	struct allot_request r;
	memset(&r, 0, sizeof r);
	const char *f[RQ_CITE + 1];
	for (int c = 0; c <= RQ_CITE; c++)
		f[c] = ds_field(t, row, c);
	double qty;
	if ((r.partner = allot_scenario_find_partner(s, f[RQ_ISO3])) < 0)
		return bad(ds, t, row, RQ_ISO3, "a partner of the dataset", f[RQ_ISO3]);
	if ((r.system = allot_scenario_find_system(s, f[RQ_SYSTEM])) < 0)
		return bad(ds, t, row, RQ_SYSTEM, "a system of the dataset", f[RQ_SYSTEM]);
	if (ds_number(f[RQ_QTY], &qty) != 0 || qty < 1 || qty != (double)(int64_t)qty)
		return bad(ds, t, row, RQ_QTY, "a whole number >= 1", f[RQ_QTY]);
	r.qty = (int64_t)qty;
	if (allot_month_parse(f[RQ_LOR], &r.lor_month) != 0)
		return bad(ds, t, row, RQ_LOR, "a month YYYY-MM", f[RQ_LOR]);
	if (ds_number(f[RQ_VALUE], &r.value_usd) != 0 || r.value_usd < 0)
		return bad(ds, t, row, RQ_VALUE, "a number >= 0", f[RQ_VALUE]);
	r.category = f[RQ_CAT][0] ? allot_case_category_parse(f[RQ_CAT]) : -1;
	if (f[RQ_CAT][0] && r.category < 0)
		return bad(ds, t, row, RQ_CAT, "A, B, C, DC or nothing", f[RQ_CAT]);
	const char *url = cn_url(index, f[RQ_CN]);
	if (!url)
		return bad(ds, t, row, RQ_CN, "a cn_number of the DSCA notification index",
			   f[RQ_CN]);
	for (size_t i = 0; i < s->n_requests; i++)
		if (strcmp(s->requests[i].request_id, f[RQ_ID]) == 0)
			return bad(ds, t, row, RQ_ID, "a new request_id", f[RQ_ID]);
	if (ds_push(&s->requests, s->n_requests, sizeof *s->requests))
		return ALLOT_ENOMEM;
	r.request_id = mem_strdup(f[RQ_ID]);
	if (!r.request_id)
		return ALLOT_ENOMEM;
	s->requests[s->n_requests++] = r;
	buf_printf(&ds->md, "| %s | %s | %s | %s | %s | %s | %s ([PDF](%s)) | %s |\n", f[RQ_ID],
		   f[RQ_ISO3], f[RQ_SYSTEM], f[RQ_QTY], f[RQ_LOR], f[RQ_VALUE], f[RQ_CN], url,
		   f[RQ_CITE]);
	return ALLOT_OK;
}

int ds_requests(struct ds *ds)
{
	char path[4096];
	ds_path(path, sizeof path, ds->dirs->raw, "dsca-cn-index/dsca_notifications.json");
	json_error_t err;
	json_t *index = json_load_file(path, 0, &err);
	if (!json_is_array(index)) {
		allot_diags_add(ds->d, path, err.line > 0 ? err.line : 0, 0,
				"expected the DSCA notification index (a JSON array), found %s",
				index ? "another JSON value" : err.text);
		json_decref(index);
		return index ? ALLOT_EINPUT : ALLOT_EIO;
	}
	struct ds_table t;
	int rc = ds_table_load(ds, ds->dirs->sources, "requests.csv", request_cols, &t);
	if (rc == ALLOT_OK) {
		ds->s->present |= 1u << ALLOT_FILE_REQUESTS;
		buf_puts(
			&ds->md,
			"\n### Requests (requests.csv)\n\n"
			"Cases notified to Congress (AECA 36(b)) that SIPRI's register (orders to\n"
			"2024) does not hold as orders.  lor_month is the notification month: the\n"
			"LOR date is not public.  Rows of one case share its value.\n\n"
			"| request_id | iso3 | system_id | qty | lor_month | value_usd | notification "
			"| citation |\n|---|---|---|---|---|---|---|---|\n");
	}
	for (size_t i = 1; rc == ALLOT_OK && i < t.t.n; i++)
		if (ds_is_known(ds, ds_field(&t, i, RQ_LOR)))
			rc = add_request(ds, &t, i, index);
	ds_table_free(&t);
	json_decref(index);
	return rc;
}
