/*
 * style.c - one visual language for every face of allot: the CLI, the
 * report, the dashboard and the workbooks (docs/report.md, "One visual
 * language").  Colours of tiers, criteria and policies, the words used for
 * unknown, never and n/a, and the number and month formats are defined
 * here once; the report and the dashboard receive them as JSON
 * (allot_style_json), so a tier is the same colour everywhere.
 */
#include <allot/allot.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Tier 1 blue, 2 orange, 3 dark red, then other shades (colour-blind safe
 * for the first three: Okabe-Ito blue and orange, ColorBrewer red). */
static const char *const tier_colors[ALLOT_MAX_TIERS] = {
	"#0072b2", "#e69f00", "#b2182b", "#7f8c8d", "#8e44ad", "#16a085", "#2c3e50", "#a6761d",
};
static const char *const crit_colors[ALLOT_CRIT_COUNT] = {
	"#0072b2", "#56b4e9", "#009e73", "#e69f00", "#cc79a7",
};
/* The reserve's consumer groups (docs/reserve.md), by the names
 * allot_cgroup_name gives (lib/reserve sits above this layer; test_reserve_
 * economy checks that every group has a colour): defence in blues,
 * civilian groups in the other Okabe-Ito hues, the rest of the economy grey. */
static const struct {
	const char *name, *color;
} group_colors[] = {
	{ "arms-us", "#0072b2" },       { "arms-foreign", "#56b4e9" },
	{ "defence-other", "#1f3a5f" }, { "semiconductors", "#009e73" },
	{ "batteries", "#e69f00" },     { "communications", "#cc79a7" },
	{ "rest", "#8c96a0" },
};
/* fcfs grey, priority the accent blue. */
static const char *const policy_colors[2] = { "#8c96a0", "#0072b2" };

const char *allot_style_tier_color(int tier)
{
	return tier >= 1 && tier <= ALLOT_MAX_TIERS ? tier_colors[tier - 1] : "#bdc3c7";
}

const char *allot_style_criterion_color(enum allot_criterion c)
{
	return (unsigned)c < ALLOT_CRIT_COUNT ? crit_colors[c] : "#bdc3c7";
}

const char *allot_style_policy_color(enum allot_policy_kind k)
{
	return k == ALLOT_POLICY_FCFS ? policy_colors[0] : policy_colors[1];
}

/* Digits of a non-negative number with thousands separators ("12,345.6"). */
static void group(double a, int decimals, char *buf, size_t size)
{
	char raw[64];
	snprintf(raw, sizeof raw, "%.*f", decimals, a);
	const char *dot = strchr(raw, '.');
	size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
	size_t o = 0;
	for (size_t i = 0; i < int_len && o + 2 < size; i++) {
		if (i > 0 && (int_len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	if (dot)
		for (const char *p = dot; *p && o + 1 < size; p++)
			buf[o++] = *p;
	buf[o] = '\0';
}

/* The one USD format: the first scale whose `from` the amount reaches
 * divides it and gives its decimals and unit word.  The report and the
 * dashboard get this table in allot_style_json ("usd") and apply it the
 * same way, so money reads the same in every face. */
static const struct usd_scale {
	double from, div;
	int decimals;
	const char *unit;
} usd_scales[] = {
	{ 1e9, 1e9, 1, "billion" },
	{ 1e6, 1e6, 1, "million" },
	{ 1e5, 1e6, 2, "million" }, /* "USD 0.76 million" */
	{ 0, 1, 0, "" },            /* "USD 12,345" */
};
#define N_USD_SCALES (sizeof usd_scales / sizeof *usd_scales)

const char *allot_style_usd(double v, char buf[ALLOT_STYLE_USD_MAX])
{
	if (!isfinite(v)) {
		snprintf(buf, ALLOT_STYLE_USD_MAX, "%s", ALLOT_SYM_UNKNOWN);
		return buf;
	}
	double a = fabs(v);
	char num[24];
	if (a == 0) {
		snprintf(buf, ALLOT_STYLE_USD_MAX, "USD 0");
		return buf;
	}
	const struct usd_scale *sc = &usd_scales[N_USD_SCALES - 1];
	for (size_t k = 0; k < N_USD_SCALES; k++)
		if (a >= usd_scales[k].from) {
			sc = &usd_scales[k];
			break;
		}
	/* past 10^21 the digits would not fit: the largest shown is 10^12 units */
	group(fmin(a / sc->div, 1e12), sc->decimals, num, sizeof num);
	const char *unit = sc->unit;
	char text[64];
	snprintf(text, sizeof text, "%sUSD %s%s%s", v < 0 ? "-" : "", num, *unit ? " " : "", unit);
	size_t n = strlen(text);
	if (n >= ALLOT_STYLE_USD_MAX)
		n = ALLOT_STYLE_USD_MAX - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	return buf;
}

const char *allot_style_years(int from, int to, char buf[ALLOT_STYLE_YEARS_MAX])
{
	if (from == to)
		snprintf(buf, ALLOT_STYLE_YEARS_MAX, "%d", from);
	else
		snprintf(buf, ALLOT_STYLE_YEARS_MAX, "%d-%d", from, to);
	return buf;
}

const char *allot_style_count(int64_t v, char buf[32])
{
	group((double)(v < 0 ? -v : v), 0, buf + (v < 0), 31);
	if (v < 0)
		buf[0] = '-';
	return buf;
}

const char *allot_style_month(allot_month m, allot_month last, char buf[ALLOT_STYLE_MONTH_MAX])
{
	if (m == ALLOT_NO_MONTH && last == ALLOT_NO_MONTH) {
		snprintf(buf, ALLOT_STYLE_MONTH_MAX, "%s", ALLOT_SYM_UNKNOWN);
	} else if (m == ALLOT_NO_MONTH || (last != ALLOT_NO_MONTH && m > last)) {
		char b[8];
		allot_month_format(last, b);
		snprintf(buf, ALLOT_STYLE_MONTH_MAX, "after %s", b);
	} else {
		allot_month_format(m, buf);
	}
	return buf;
}

char *allot_style_json(void)
{
	json_t *tiers = json_array(), *crit = json_object(), *usd = json_array(), *root = NULL;
	json_t *groups = json_object();
	for (size_t k = 0; groups && k < sizeof group_colors / sizeof *group_colors; k++)
		json_object_set_new(groups, group_colors[k].name,
				    json_string(group_colors[k].color));
	for (size_t k = 0; usd && k < N_USD_SCALES; k++)
		json_array_append_new(usd, json_pack("{s:f, s:f, s:i, s:s}", "from",
						     usd_scales[k].from, "div", usd_scales[k].div,
						     "decimals", usd_scales[k].decimals, "unit",
						     usd_scales[k].unit));
	for (int i = 0; tiers && i < ALLOT_MAX_TIERS; i++)
		json_array_append_new(tiers, json_string(tier_colors[i]));
	for (int k = 0; crit && k < ALLOT_CRIT_COUNT; k++)
		json_object_set_new(crit, allot_criterion_name((enum allot_criterion)k),
				    json_string(crit_colors[k]));
	if (tiers && crit && usd)
		root = json_pack("{s:o, s:o, s:{s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:o}", "tier",
				 tiers, "criterion", crit, "policy", "fcfs", policy_colors[0],
				 "priority", policy_colors[1], "symbols", "unknown",
				 ALLOT_SYM_UNKNOWN, "na", ALLOT_SYM_NA, "after_horizon", "after",
				 "whole_horizon", ALLOT_SYM_WHOLE_HORIZON, "usd", usd);
	if (root && groups)
		json_object_set_new(root, "group", groups);
	else if (root) {
		json_decref(root);
		root = NULL;
	} else {
		json_decref(tiers);
		json_decref(crit);
		json_decref(usd);
		json_decref(groups);
	}
	if (!root)
		return NULL;
	char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(root);
	return text;
}

/* ---- USD sums with unknowns (struct allot_usd) ----------------------------- */

void allot_usd_add(struct allot_usd *u, int64_t units, double unit_cost, int order)
{
	if (units == 0)
		return;
	if (allot_cost_known(unit_cost)) {
		u->known += (double)units * unit_cost;
		return;
	}
	u->unknown_units += units;
	u->unknown_orders += order != 0;
}

void allot_usd_sum(struct allot_usd *a, const struct allot_usd *b)
{
	a->known += b->known;
	a->unknown_units += b->unknown_units;
	a->unknown_orders += b->unknown_orders;
}

int allot_usd_all_unknown(const struct allot_usd *u)
{
	return u->known == 0 && u->unknown_units > 0;
}

const char *allot_style_usd_sum(const struct allot_usd *u, char buf[ALLOT_STYLE_USD_SUM_MAX])
{
	char v[ALLOT_STYLE_USD_MAX], n[32], k[32];
	if (u->unknown_units == 0)
		return strcpy(buf, allot_style_usd(u->known, v));
	char what[64];
	allot_style_count(u->unknown_units, n);
	if (u->unknown_orders > 0)
		snprintf(what, sizeof what, "%s order%s, %s unit%s of unknown cost",
			 allot_style_count(u->unknown_orders, k), u->unknown_orders == 1 ? "" : "s",
			 n, u->unknown_units == 1 ? "" : "s");
	else
		snprintf(what, sizeof what, "%s unit%s of unknown cost", n,
			 u->unknown_units == 1 ? "" : "s");
	if (allot_usd_all_unknown(u))
		snprintf(buf, ALLOT_STYLE_USD_SUM_MAX, "%s (%s)", ALLOT_SYM_UNKNOWN, what);
	else
		snprintf(buf, ALLOT_STYLE_USD_SUM_MAX, ">= %s (+%s)", allot_style_usd(u->known, v),
			 what);
	return buf;
}

const char *allot_usd_change_note(const struct allot_usd *without, const struct allot_usd *with,
				  char *buf, size_t size)
{
	int64_t d = with->unknown_units - without->unknown_units;
	if (!without->unknown_units && !with->unknown_units)
		snprintf(buf, size, "%s", "");
	else if (d == 0)
		snprintf(buf, size,
			 " of known unit costs; the units of unknown cost do not change");
	else
		snprintf(buf, size, " of known unit costs, %+lld unit%s of unknown cost",
			 (long long)d, d == 1 || d == -1 ? "" : "s");
	return buf;
}

const char *allot_usd_num(const struct allot_usd *u, double div, int decimals, int text,
			  char buf[48])
{
	if (allot_usd_all_unknown(u))
		snprintf(buf, 48, "%s", text ? ALLOT_SYM_UNKNOWN : "");
	else
		snprintf(buf, 48, "%s%.*f", text && u->unknown_units > 0 ? ">= " : "", decimals,
			 u->known / div);
	return buf;
}
