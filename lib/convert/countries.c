/*
 * countries.c - the one table that joins country names across sources.
 *
 * data/mappings/countries.csv lists every spelling met in the raw data
 * (SIPRI's "Turkiye", NATO's "Türkiye", troopdata's "Turkey", ...) with the
 * ISO 3166-1 alpha-3 code it stands for.  Non-state recipients use codes
 * from the user-assigned X.. range (docs/dataset.md).  A lookup tries the
 * exact name, then the name ignoring ASCII case and surrounding spaces.
 */
#include <allot/allot.h>

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "io/csvread.h"
#include "util/mem.h"
#include "util/strmap.h"

struct allot_countries {
	struct csvr_table tab;
	int name_col, iso_col;
	struct strmap exact;
};

static int valid_iso3(const char *s)
{
	return strlen(s) == 3 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
	       isupper((unsigned char)s[2]);
}

int allot_countries_load(const char *path, struct allot_countries **out, struct allot_diags *diags)
{
	struct allot_countries *c = mem_calloc(1, sizeof *c);
	if (!c)
		return ALLOT_ENOMEM;
	strmap_init(&c->exact);
	int rc = csvr_table_read(path, CSVR_TOLERANT, &c->tab, diags);
	if (rc != ALLOT_OK)
		goto done;
	if (c->tab.n == 0) {
		allot_diags_add(diags, path, 1, 0,
				"expected a header name,iso3, found an empty file");
		rc = ALLOT_EINPUT;
		goto done;
	}
	c->name_col = csvr_col(&c->tab.rows[0], "name");
	c->iso_col = csvr_col(&c->tab.rows[0], "iso3");
	if (c->name_col < 0 || c->iso_col < 0) {
		allot_diags_add(diags, path, c->tab.rows[0].line, 0,
				"expected columns name and iso3 in the header, found '%s'",
				c->tab.rows[0].f[0]);
		rc = ALLOT_EINPUT;
		goto done;
	}
	for (size_t i = 1; i < c->tab.n; i++) {
		const struct csvr_row *r = &c->tab.rows[i];
		const char *name = csvr_get(r, c->name_col);
		const char *iso = csvr_get(r, c->iso_col);
		if (!valid_iso3(iso)) {
			allot_diags_add(diags, path, r->line, csvr_colno(r, c->iso_col),
					"expected a three-letter upper-case code, found '%s'", iso);
			rc = ALLOT_EINPUT;
			continue;
		}
		int old;
		int put = strmap_put(&c->exact, name, (int)i, &old);
		if (put < 0) {
			rc = ALLOT_ENOMEM;
			goto done;
		}
		if (put == 1 && strcmp(csvr_get(&c->tab.rows[old], c->iso_col), iso) != 0) {
			allot_diags_add(
				diags, path, r->line, csvr_colno(r, c->name_col),
				"expected one code per name, found '%s' again (line %ld) with another code",
				name, c->tab.rows[old].line);
			rc = ALLOT_EINPUT;
		}
	}
done:
	if (rc != ALLOT_OK) {
		allot_countries_free(c);
		return rc;
	}
	*out = c;
	return ALLOT_OK;
}

void allot_countries_free(struct allot_countries *c)
{
	if (!c)
		return;
	strmap_free(&c->exact);
	csvr_table_free(&c->tab);
	mem_free(c);
}

/* Case-insensitive comparison ignoring spaces around b. */
static int loose_equal(const char *a, const char *b)
{
	while (*b == ' ')
		b++;
	size_t bl = strlen(b);
	while (bl > 0 && b[bl - 1] == ' ')
		bl--;
	return strlen(a) == bl && strncasecmp(a, b, bl) == 0;
}

const char *allot_countries_iso3(const struct allot_countries *c, const char *name)
{
	if (!c || !name)
		return NULL;
	int i = strmap_get(&c->exact, name);
	if (i < 0) {
		for (size_t k = 1; k < c->tab.n && i < 0; k++)
			if (loose_equal(csvr_get(&c->tab.rows[k], c->name_col), name))
				i = (int)k;
	}
	return i < 0 ? NULL : csvr_get(&c->tab.rows[i], c->iso_col);
}
