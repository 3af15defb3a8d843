/*
 * lookup.c - one resolver for every id a user types: a partner, system,
 * line, mineral or order given by its id, its name, or a unique prefix of
 * either, in any case ("POL", "Poland", "pol", "himars", "HIMARS").  A miss
 * suggests the nearest ids by edit distance ("did you mean POL?").
 *
 * The match levels, tried in order; the first level with any match decides:
 *   1. the id exactly (case-sensitive);
 *   2. the id or the name, ignoring case;
 *   3. a prefix of the id or of the name, ignoring case;
 *   4. a prefix of a word of the name, ignoring case ("patriot").
 * One match at the deciding level resolves; more are ambiguous.
 */
#include <allot/allot.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

const char *allot_kind_name(enum allot_kind k)
{
	static const char *const names[ALLOT_KIND_COUNT] = {
		"partner", "system", "line", "mineral", "order",
	};
	return (unsigned)k < ALLOT_KIND_COUNT ? names[k] : "?";
}

static size_t kind_count(const struct allot_scenario *s, enum allot_kind k)
{
	switch (k) {
	case ALLOT_KIND_PARTNER:
		return s->n_partners;
	case ALLOT_KIND_SYSTEM:
		return s->n_systems;
	case ALLOT_KIND_LINE:
		return s->n_lines;
	case ALLOT_KIND_MINERAL:
		return s->n_minerals;
	case ALLOT_KIND_ORDER:
		return s->n_orders;
	default:
		return 0;
	}
}

const char *allot_kind_id(const struct allot_scenario *s, enum allot_kind k, size_t i)
{
	switch (k) {
	case ALLOT_KIND_PARTNER:
		return s->partners[i].iso3;
	case ALLOT_KIND_SYSTEM:
		return s->systems[i].system_id;
	case ALLOT_KIND_LINE:
		return s->lines[i].line_id;
	case ALLOT_KIND_MINERAL:
		return s->minerals[i].mineral_id;
	case ALLOT_KIND_ORDER:
		return s->orders[i].order_id;
	default:
		return "";
	}
}

/* Orders have no name of their own. */
const char *allot_kind_label(const struct allot_scenario *s, enum allot_kind k, size_t i)
{
	switch (k) {
	case ALLOT_KIND_PARTNER:
		return s->partners[i].name;
	case ALLOT_KIND_SYSTEM:
		return s->systems[i].name;
	case ALLOT_KIND_LINE:
		return s->lines[i].name;
	case ALLOT_KIND_MINERAL:
		return s->minerals[i].name;
	default:
		return "";
	}
}

static int prefix_nocase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
			return 0;
	return 1;
}

static int word_prefix(const char *name, const char *text)
{
	for (const char *p = name; *p; p++)
		if ((p == name || !isalnum((unsigned char)p[-1])) && isalnum((unsigned char)*p) &&
		    prefix_nocase(p, text))
			return 1;
	return 0;
}

static int matches(const char *id, const char *name, const char *text, int level)
{
	switch (level) {
	case 1:
		return strcmp(id, text) == 0;
	case 2:
		return strcasecmp(id, text) == 0 || strcasecmp(name, text) == 0;
	case 3:
		return prefix_nocase(id, text) || (*name && prefix_nocase(name, text));
	default:
		return word_prefix(name, text);
	}
}

static int same_nocase(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/* Edit distance ignoring case, an adjacent swap counting one edit ("PLO"
 * is one from "POL"; optimal string alignment), capped at cap + 1. */
static int distance(const char *a, const char *b, int cap)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > 64 || nb > 64 || (na > nb ? na - nb : nb - na) > (size_t)cap)
		return cap + 1;
	int r0[65], r1[65], r2[65]; /* rows i-2, i-1, i */
	int *pp = r0, *prev = r1, *cur = r2;
	for (size_t j = 0; j <= nb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = (int)i;
		int best = cur[0];
		for (size_t j = 1; j <= nb; j++) {
			int v = prev[j - 1] + !same_nocase(a[i - 1], b[j - 1]);
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && same_nocase(a[i - 1], b[j - 2]) &&
			    same_nocase(a[i - 2], b[j - 1]) && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
		int *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[nb];
}

static void suggest(const struct allot_scenario *s, enum allot_kind k, const char *text,
		    struct allot_lookup *out)
{
	size_t n = kind_count(s, k);
	int len = (int)strlen(text);
	int cap = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	int best[ALLOT_LOOKUP_MAX];
	for (size_t i = 0; i < n; i++) {
		int d = distance(allot_kind_id(s, k, i), text, cap);
		int dn = distance(allot_kind_label(s, k, i), text, cap);
		if (dn < d)
			d = dn;
		if (d > cap)
			continue;
		/* Insertion into the sorted suggestions (distance, then scenario order). */
		size_t at = out->n_suggest;
		while (at > 0 && best[at - 1] > d)
			at--;
		if (at >= ALLOT_LOOKUP_MAX)
			continue;
		size_t last = out->n_suggest < ALLOT_LOOKUP_MAX ? out->n_suggest
								: ALLOT_LOOKUP_MAX - 1;
		for (size_t j = last; j > at; j--) {
			best[j] = best[j - 1];
			out->suggest[j] = out->suggest[j - 1];
		}
		best[at] = d;
		out->suggest[at] = (int)i;
		if (out->n_suggest < ALLOT_LOOKUP_MAX)
			out->n_suggest++;
	}
}

int allot_lookup(const struct allot_scenario *s, enum allot_kind k, const char *text,
		 struct allot_lookup *out)
{
	memset(out, 0, sizeof *out);
	out->index = -1;
	if ((unsigned)k >= ALLOT_KIND_COUNT || !text)
		return ALLOT_EINPUT;
	size_t n = kind_count(s, k);
	if (*text) {
		for (int level = 1; level <= 4 && out->n_matches == 0; level++) {
			for (size_t i = 0; i < n; i++) {
				if (!matches(allot_kind_id(s, k, i), allot_kind_label(s, k, i),
					     text, level))
					continue;
				if (out->n_matches < ALLOT_LOOKUP_MAX)
					out->matches[out->n_matches] = (int)i;
				out->n_matches++;
			}
		}
	}
	if (out->n_matches == 1) {
		out->index = out->matches[0];
		return ALLOT_OK;
	}
	if (out->n_matches == 0)
		suggest(s, k, text, out);
	return ALLOT_ENOTFOUND;
}

/* Appends "A (name), B (name)" for the listed indices. */
static void list_ids(const struct allot_scenario *s, enum allot_kind k, const int *idx, size_t n,
		     const char *sep_last, char *msg, size_t size)
{
	for (size_t j = 0; j < n; j++) {
		size_t used = strlen(msg);
		const char *label = allot_kind_label(s, k, (size_t)idx[j]);
		snprintf(msg + used, size - used, "%s%s%s%s%s",
			 j == 0       ? ""
			 : j + 1 == n ? sep_last
				      : ", ",
			 allot_kind_id(s, k, (size_t)idx[j]), *label ? " (" : "", label,
			 *label ? ")" : "");
	}
}

int allot_lookup_msg(const struct allot_scenario *s, enum allot_kind k, const char *text, char *msg,
		     size_t size)
{
	struct allot_lookup l;
	if (size)
		msg[0] = '\0';
	if (allot_lookup(s, k, text, &l) == ALLOT_OK)
		return l.index;
	if (!size)
		return -1;
	const char *what = allot_kind_name(k);
	if (l.n_matches > 1) {
		snprintf(msg, size, "'%s' matches %d %ss: ", text, l.n_matches, what);
		size_t shown = l.n_matches < ALLOT_LOOKUP_MAX ? (size_t)l.n_matches
							      : ALLOT_LOOKUP_MAX;
		list_ids(s, k, l.matches, shown, (size_t)l.n_matches > shown ? ", " : " or ", msg,
			 size);
		if ((size_t)l.n_matches > shown) {
			size_t used = strlen(msg);
			snprintf(msg + used, size - used, ", ...");
		}
		size_t used = strlen(msg);
		snprintf(msg + used, size - used, "; give more of the id or name");
		return -1;
	}
	snprintf(msg, size, "no %s '%s' in the scenario", what, text);
	if (l.n_suggest > 0) {
		size_t used = strlen(msg);
		snprintf(msg + used, size - used, "; did you mean ");
		list_ids(s, k, l.suggest, l.n_suggest, " or ", msg, size);
		used = strlen(msg);
		snprintf(msg + used, size - used, "?");
	}
	return -1;
}

int allot_lookup_list(const struct allot_scenario *s, enum allot_kind k, const char *text,
		      int **out, size_t *n, char *msg, size_t size)
{
	size_t cap = 1;
	for (const char *p = text; *p; p++)
		cap += *p == ',';
	char *copy = mem_strdup(text);
	int *v = mem_calloc(cap, sizeof *v);
	*out = NULL;
	*n = 0;
	if (size)
		msg[0] = '\0';
	if (!copy || !v) {
		mem_free(copy);
		mem_free(v);
		snprintf(msg, size, "out of memory");
		return ALLOT_ENOMEM;
	}
	size_t m = 0;
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		size_t len = strlen(tok);
		while (len > 0 && tok[len - 1] == ' ')
			tok[--len] = '\0';
		int i = allot_lookup_msg(s, k, tok, msg, size);
		if (i < 0) {
			mem_free(copy);
			mem_free(v);
			return ALLOT_ENOTFOUND;
		}
		size_t j = 0;
		while (j < m && v[j] != i)
			j++;
		if (j == m)
			v[m++] = i;
	}
	mem_free(copy);
	if (m == 0) {
		mem_free(v);
		snprintf(msg, size, "expected a %s id or name, found '%s'", allot_kind_name(k),
			 text);
		return ALLOT_EINPUT;
	}
	*out = v;
	*n = m;
	return ALLOT_OK;
}
