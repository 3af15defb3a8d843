/*
 * economy_load.c - allot_economy_load: critical_minerals.csv (written by
 * `allot convert dataset`, docs/reserve.md) into struct allot_economy.
 * An empty field is a missing figure (< 0 in memory), never 0.
 */
#include "reserve/economy_int.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvread.h"
#include "util/mem.h"

enum {
	C_ID,
	C_NAME,
	C_COVERS,
	C_CONS,
	C_WORLD,
	C_NIR,
	C_NIRT,
	C_DOM,
	C_CHN,
	C_ALL,
	C_OTH,
	C_PRICE,
	C_YEAR,
	C_STOCK,
	C_DEF,
	C_SEMI,
	C_BATT,
	C_COMM,
	C_BASIS,
	C_N
};
static const char *const cols[C_N] = {
	"mineral_id",
	"name",
	"covers",
	"consumption_kg_per_month",
	"world_production_kg_per_year",
	"nir_pct",
	"nir_text",
	"domestic_share",
	"china_share",
	"allies_share",
	"others_share",
	"price_usd_per_kg",
	"price_year",
	"stock_kg",
	"defence_share",
	"semiconductors_share",
	"batteries_share",
	"communications_share",
	"basis",
};

void allot_economy_free(struct allot_economy *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++) {
		struct allot_econ_mineral *m = &e->m[i];
		mem_free(m->mineral_id);
		mem_free(m->name);
		mem_free(m->covers);
		mem_free(m->nir_text);
		mem_free(m->basis);
	}
	mem_free(e->m);
	mem_free(e);
}

static int number(const char *path, long line, long col, const char *v, double hi, double *out,
		  struct allot_diags *d)
{
	char *end;
	*out = -1;
	if (!v[0])
		return ALLOT_OK;
	errno = 0;
	double x = strtod(v, &end);
	if (*end || errno || !isfinite(x) || x < 0 || x > hi) {
		allot_diags_add(d, path, line, col,
				"expected a number from 0 to %g or nothing, found '%s'", hi, v);
		return ALLOT_EINPUT;
	}
	*out = x;
	return ALLOT_OK;
}

static int row(const char *path, const struct csvr_row *r, const int *at,
	       struct allot_econ_mineral *m, struct allot_diags *d)
{
	static const struct {
		int col;
		double hi;
	} nums[] = {
		{ C_CONS, 1e15 },  { C_WORLD, 1e16 }, { C_NIR, 100 }, { C_DOM, 1 },
		{ C_CHN, 1 },      { C_ALL, 1 },      { C_OTH, 1 },   { C_PRICE, 1e9 },
		{ C_STOCK, 1e15 }, { C_DEF, 1 },      { C_SEMI, 1 },  { C_BATT, 1 },
		{ C_COMM, 1 },
	};
	double *slot[] = {
		&m->consumption_kg_month,
		&m->world_kg_year,
		&m->nir_pct,
		&m->share[ALLOT_SRC_DOMESTIC],
		&m->share[ALLOT_SRC_CHINA],
		&m->share[ALLOT_SRC_ALLIES],
		&m->share[ALLOT_SRC_OTHERS],
		&m->price_usd_per_kg,
		&m->stock_kg,
		&m->enduse[0],
		&m->enduse[1],
		&m->enduse[2],
		&m->enduse[3],
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		int rc = number(path, r->line, csvr_colno(r, at[nums[i].col]),
				csvr_get(r, at[nums[i].col]), nums[i].hi, slot[i], d);
		if (rc != ALLOT_OK)
			return rc;
	}
	double year;
	int rc = number(path, r->line, csvr_colno(r, at[C_YEAR]), csvr_get(r, at[C_YEAR]), 2100,
			&year, d);
	if (rc != ALLOT_OK)
		return rc;
	m->price_year = year < 0 ? 0 : (int)year;
	const char *id = csvr_get(r, at[C_ID]);
	if (!id[0]) {
		allot_diags_add(d, path, r->line, csvr_colno(r, at[C_ID]),
				"expected a mineral_id, found nothing");
		return ALLOT_EINPUT;
	}
	m->mineral_id = mem_strdup(id);
	m->name = mem_strdup(csvr_get(r, at[C_NAME]));
	m->covers = mem_strdup(csvr_get(r, at[C_COVERS]));
	m->nir_text = mem_strdup(csvr_get(r, at[C_NIRT]));
	m->basis = mem_strdup(csvr_get(r, at[C_BASIS]));
	return m->mineral_id && m->name && m->covers && m->nir_text && m->basis ? ALLOT_OK
										: ALLOT_ENOMEM;
}

int allot_economy_load(const char *path, struct allot_economy **out, struct allot_diags *d)
{
	struct csvr_table t;
	memset(&t, 0, sizeof t);
	*out = NULL;
	struct allot_economy *e = mem_calloc(1, sizeof *e);
	if (!e)
		return ALLOT_ENOMEM;
	int rc = csvr_table_read(path, CSVR_TOLERANT, &t, d), at[C_N];
	if (rc == ALLOT_OK && t.n == 0) {
		allot_diags_add(d, path, 1, 0, "expected a header line, found an empty file");
		rc = ALLOT_EINPUT;
	}
	for (int i = 0; rc == ALLOT_OK && i < C_N; i++)
		if ((at[i] = csvr_col(&t.rows[0], cols[i])) < 0) {
			allot_diags_add(d, path, t.rows[0].line, 0,
					"expected a column '%s' in the header, found none",
					cols[i]);
			rc = ALLOT_EINPUT;
		}
	if (rc == ALLOT_OK && !(e->m = mem_calloc(t.n, sizeof *e->m)))
		rc = ALLOT_ENOMEM;
	for (size_t i = 1; rc == ALLOT_OK && i < t.n; i++) {
		rc = row(path, &t.rows[i], at, &e->m[e->n], d);
		e->n++;
		for (size_t j = 0; rc == ALLOT_OK && j + 1 < e->n; j++)
			if (strcmp(e->m[j].mineral_id, e->m[e->n - 1].mineral_id) == 0) {
				allot_diags_add(d, path, t.rows[i].line,
						csvr_colno(&t.rows[i], at[C_ID]),
						"expected a new mineral_id, found '%s' again",
						e->m[j].mineral_id);
				rc = ALLOT_EINPUT;
			}
	}
	csvr_table_free(&t);
	if (rc != ALLOT_OK) {
		allot_economy_free(e);
		return rc;
	}
	*out = e;
	return ALLOT_OK;
}
