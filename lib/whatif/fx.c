/*
 * fx.c - the exchange-rate table behind `--cap TWN:400bnTWD@2026-05`:
 * fx.csv (currency,month,usd_per_unit,citation), each rate dated and cited
 * (docs/whatif.md).  A rate holds from its month until the next row of the
 * same currency; USD is always 1.
 */
#include <allot/allot.h>

#include <math.h>
#include <string.h>

#include "io/table.h"
#include "util/mem.h"

enum { FX_CUR, FX_MONTH, FX_RATE, FX_CITE };
static const struct tcol fx_cols[] = {
	{ "currency", TC_REQ | TC_VAL },
	{ "month", TC_REQ | TC_VAL },
	{ "usd_per_unit", TC_REQ | TC_VAL },
	{ "citation", TC_REQ | TC_VAL },
};

static int fx_row(const struct table *t, struct allot_fx *fx)
{
	const char *cur;
	struct allot_fx_rate r;
	memset(&r, 0, sizeof r);
	if (table_key(t, FX_CUR, &cur) != 0 || table_month(t, FX_MONTH, &r.month) != 0 ||
	    table_num(t, FX_RATE, 0, HUGE_VAL, &r.usd_per_unit) != 0)
		return ALLOT_EINPUT;
	if (strlen(cur) != 3 || strspn(cur, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
		char buf[80];
		table_err(t, FX_CUR,
			  "expected a currency code of 3 capital letters (TWD), found %s",
			  table_found(t, FX_CUR, buf, sizeof buf));
		return ALLOT_EINPUT;
	}
	if (r.usd_per_unit <= 0) {
		table_err(t, FX_RATE, "expected a rate > 0 in usd_per_unit, found 0");
		return ALLOT_EINPUT;
	}
	memcpy(r.currency, cur, 4);
	struct allot_fx_rate *v = mem_reallocarray(fx->v, fx->n + 1, sizeof *v);
	if (!v)
		return ALLOT_ENOMEM;
	fx->v = v;
	v[fx->n++] = r;
	return ALLOT_OK;
}

int allot_fx_load(const char *path, struct allot_fx *out, struct allot_diags *diags)
{
	memset(out, 0, sizeof *out);
	struct table t;
	int rc = table_open(&t, path, fx_cols, sizeof fx_cols / sizeof *fx_cols, 1, diags);
	if (rc == ALLOT_ENOTFOUND)
		return ALLOT_OK;
	if (rc != ALLOT_OK)
		return rc;
	int bad = 0;
	while (table_next(&t)) {
		int r = fx_row(&t, out);
		if (r == ALLOT_ENOMEM) {
			rc = r;
			break;
		}
		bad |= r != ALLOT_OK;
	}
	if (rc == ALLOT_OK && t.status)
		rc = t.status;
	if (rc == ALLOT_OK && (bad || t.ragged))
		rc = ALLOT_EINPUT;
	table_close(&t);
	if (rc != ALLOT_OK)
		allot_fx_free(out);
	return rc;
}

void allot_fx_free(struct allot_fx *fx)
{
	if (!fx)
		return;
	mem_free(fx->v);
	fx->v = NULL;
	fx->n = 0;
}

int allot_fx_rate_at(const struct allot_fx *fx, const char *currency, allot_month m,
		     double *usd_per_unit)
{
	if (strcmp(currency, "USD") == 0) {
		*usd_per_unit = 1;
		return 0;
	}
	allot_month best = ALLOT_NO_MONTH;
	for (size_t i = 0; fx && i < fx->n; i++) {
		const struct allot_fx_rate *r = &fx->v[i];
		if (strcmp(r->currency, currency) == 0 && r->month <= m &&
		    (best == ALLOT_NO_MONTH || r->month >= best)) {
			best = r->month;
			*usd_per_unit = r->usd_per_unit;
		}
	}
	return best == ALLOT_NO_MONTH ? -1 : 0;
}
