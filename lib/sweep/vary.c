/*
 * vary.c - the --vary SPEC grammar of docs/scaling.md: parsing into a
 * struct allot_vary, checking it against a scenario, counting what it
 * varies, and printing it back in canonical form.
 *
 *   weights:dirichlet=A
 *   rates:X%  |  supply:X%  |  caps:X%
 *   embargo:SOURCE:start=YYYY-MM[..YYYY-MM],months=M[..N][,mineral=ID]
 *   embargo:SOURCE[:MINERAL]@YYYY-MM[..YYYY-MM]+M[..N]
 *
 * The second embargo form is the one grammar of docs/whatif.md with
 * ranges: each end is parsed by allot_change_parse, so a sweep's embargo
 * reads as allot whatif --embargo does.
 */
#include <allot/allot.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
	[ALLOT_VARY_WEIGHTS] = "weights", [ALLOT_VARY_RATES] = "rates",
	[ALLOT_VARY_SUPPLY] = "supply",   [ALLOT_VARY_CAPS] = "caps",
	[ALLOT_VARY_EMBARGO] = "embargo",
};
#define N_KINDS (sizeof kind_names / sizeof *kind_names)

/* Reports "--vary SPEC: expected ..., found '...'" and returns EINPUT. */
static int bad(struct allot_diags *d, const char *spec, const char *expected, const char *found,
	       size_t found_len)
{
	char file[320];
	snprintf(file, sizeof file, "--vary %s", spec);
	if (found_len == 0)
		allot_diags_add(d, file, 0, 0, "expected %s, found nothing", expected);
	else
		allot_diags_add(d, file, 0, 0, "expected %s, found '%.*s'", expected,
				(int)found_len, found);
	return ALLOT_EINPUT;
}

/* A finite decimal number filling [s, s + n). */
static int number(const char *s, size_t n, double *out)
{
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strspn(buf, "0123456789.eE+-") != n)
		return -1;
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (*end || errno || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int integer(const char *s, size_t n, int *out)
{
	if (n == 0 || n > 9 || strspn(s, "0123456789") < n)
		return -1;
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	*out = v;
	return 0;
}

static int month(const char *s, size_t n, allot_month *out)
{
	char buf[8];
	if (n != 7)
		return -1;
	memcpy(buf, s, 7);
	buf[7] = '\0';
	return allot_month_parse(buf, out);
}

/* "X%" with 0 <= X <= 100. */
static int parse_spread(const char *spec, const char *arg, struct allot_vary *v,
			struct allot_diags *d)
{
	size_t n = strlen(arg);
	char what[96];
	snprintf(what, sizeof what, "a percentage from 0%% to 100%% after '%s:' (e.g. %s:10%%)",
		 kind_names[v->kind], kind_names[v->kind]);
	double x;
	if (n < 2 || arg[n - 1] != '%' || number(arg, n - 1, &x) != 0 || x < 0 || x > 100)
		return bad(d, spec, what, arg, n);
	v->spread = x / 100;
	return ALLOT_OK;
}

static int parse_weights(const char *spec, const char *arg, struct allot_vary *v,
			 struct allot_diags *d)
{
	static const char key[] = "dirichlet=";
	if (strncmp(arg, key, sizeof key - 1) != 0)
		return bad(d, spec, "'dirichlet=A' after 'weights:' (e.g. weights:dirichlet=50)",
			   arg, strlen(arg));
	const char *a = arg + sizeof key - 1;
	double x;
	if (number(a, strlen(a), &x) != 0 || !(x > 0))
		return bad(d, spec, "a concentration A > 0 in 'dirichlet=A' (e.g. dirichlet=50)", a,
			   strlen(a));
	v->concentration = x;
	return ALLOT_OK;
}

/* "LO..HI" or "X" into its two bounds (X..X). */
static void range_split(const char *s, size_t n, const char **lo, size_t *nlo, const char **hi,
			size_t *nhi)
{
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.') {
			dots = s + i;
			break;
		}
	*lo = s;
	*nlo = dots ? (size_t)(dots - s) : n;
	*hi = dots ? dots + 2 : s;
	*nhi = dots ? n - *nlo - 2 : n;
}

static int embargo_key(const char *spec, const char *k, size_t nk, const char *val, size_t nv,
		       struct allot_vary *v, unsigned *seen, struct allot_diags *d)
{
	const char *lo, *hi;
	size_t nlo, nhi;
	if (nk == 5 && memcmp(k, "start", 5) == 0) {
		range_split(val, nv, &lo, &nlo, &hi, &nhi);
		if (month(lo, nlo, &v->start_lo) != 0 || month(hi, nhi, &v->start_hi) != 0)
			return bad(d, spec, "start=YYYY-MM or start=YYYY-MM..YYYY-MM", val, nv);
		if (v->start_hi < v->start_lo)
			return bad(d, spec, "a start range from an earlier month to a later one",
				   val, nv);
		*seen |= 1;
	} else if (nk == 6 && memcmp(k, "months", 6) == 0) {
		range_split(val, nv, &lo, &nlo, &hi, &nhi);
		if (integer(lo, nlo, &v->months_lo) != 0 || integer(hi, nhi, &v->months_hi) != 0 ||
		    v->months_lo < 1 || v->months_hi > 1200)
			return bad(d, spec, "months=N or months=N..M, whole months from 1 to 1200",
				   val, nv);
		if (v->months_hi < v->months_lo)
			return bad(d, spec, "a months range from a shorter length to a longer one",
				   val, nv);
		*seen |= 2;
	} else if (nk == 7 && memcmp(k, "mineral", 7) == 0) {
		if (nv == 0 || nv >= ALLOT_VARY_NAME_MAX)
			return bad(d, spec, "mineral=ID (a mineral id, or *)", val, nv);
		memcpy(v->mineral, val, nv);
		v->mineral[nv] = '\0';
	} else {
		return bad(d, spec, "start=, months= or mineral= in the embargo's settings", k, nk);
	}
	return ALLOT_OK;
}

/* Copies p[0, n) into buf as one end of a range "A..B": which 0 = A, 1 = B
 * (A when there is no ".."). */
static void range_end(const char *p, size_t n, int which, char *buf, size_t size)
{
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (p[i] == '.' && p[i + 1] == '.') {
			dots = p + i;
			break;
		}
	if (!dots)
		snprintf(buf, size, "%.*s", (int)n, p);
	else if (which == 0)
		snprintf(buf, size, "%.*s", (int)(dots - p), p);
	else
		snprintf(buf, size, "%.*s", (int)(n - (size_t)(dots + 2 - p)), dots + 2);
}

/* SOURCE[:MINERAL]@A[..B]+M[..N]: both ends through the change grammar. */
static int parse_embargo_at(const char *spec, const char *arg, struct allot_vary *v,
			    struct allot_diags *d)
{
	const char *at = strchr(arg, '@'), *plus = strchr(at, '+');
	if (!plus)
		return bad(d, spec,
			   "+MONTHS or +M..N after the start (a sweep's embargo needs "
			   "a length)",
			   "", 0);
	struct allot_change ch[2];
	for (int k = 0; k < 2; k++) {
		char start[64], months[64], text[ALLOT_CHANGE_TEXT_MAX];
		struct allot_change_error err;
		range_end(at + 1, (size_t)(plus - at - 1), k, start, sizeof start);
		range_end(plus + 1, strlen(plus + 1), k, months, sizeof months);
		snprintf(text, sizeof text, "%.*s@%s+%s", (int)(at - arg), arg, start, months);
		if (allot_change_parse(ALLOT_CHG_EMBARGO, text, &ch[k], &err) != ALLOT_OK) {
			char file[320];
			snprintf(file, sizeof file, "--vary %s", spec);
			allot_diags_add(d, file, 0, 0, "%s end %s: %s", k ? "high" : "low", text,
					err.msg);
			return ALLOT_EINPUT;
		}
	}
	if (strlen(ch[0].who) >= ALLOT_VARY_NAME_MAX || strlen(ch[0].what) >= ALLOT_VARY_NAME_MAX)
		return bad(d, spec, "a shorter source or mineral", arg, strlen(arg));
	if (ch[1].month < ch[0].month || ch[1].months < ch[0].months)
		return bad(d, spec, "ranges low..high with low <= high", at, strlen(at));
	snprintf(v->source, sizeof v->source, "%s", ch[0].who);
	snprintf(v->mineral, sizeof v->mineral, "%s", ch[0].what[0] ? ch[0].what : "*");
	v->start_lo = ch[0].month;
	v->start_hi = ch[1].month;
	v->months_lo = ch[0].months;
	v->months_hi = ch[1].months;
	return ALLOT_OK;
}

static int parse_embargo(const char *spec, const char *arg, struct allot_vary *v,
			 struct allot_diags *d)
{
	if (strchr(arg, '@'))
		return parse_embargo_at(spec, arg, v, d);
	const char *colon = strchr(arg, ':');
	size_t ns = colon ? (size_t)(colon - arg) : strlen(arg);
	if (ns == 0 || ns >= ALLOT_VARY_NAME_MAX || !colon)
		return bad(d, spec,
			   "embargo:SOURCE:start=YYYY-MM..YYYY-MM,months=M..N "
			   "(e.g. embargo:china:start=2026-01..2027-12,months=6..36)",
			   arg, strlen(arg));
	memcpy(v->source, arg, ns);
	v->source[ns] = '\0';
	strcpy(v->mineral, "*");
	unsigned seen = 0;
	const char *p = colon + 1;
	for (;;) {
		size_t n = strcspn(p, ",");
		const char *eq = memchr(p, '=', n);
		if (!eq)
			return bad(d, spec, "KEY=VALUE (start=, months= or mineral=)", p, n);
		int rc = embargo_key(spec, p, (size_t)(eq - p), eq + 1, n - (size_t)(eq - p) - 1, v,
				     &seen, d);
		if (rc != ALLOT_OK)
			return rc;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	if (!(seen & 1))
		return bad(d, spec, "a start=YYYY-MM..YYYY-MM setting in the embargo", "", 0);
	if (!(seen & 2))
		return bad(d, spec, "a months=M..N setting in the embargo", "", 0);
	return ALLOT_OK;
}

int allot_vary_parse(const char *spec, struct allot_vary *out, struct allot_diags *d)
{
	struct allot_vary v;
	memset(&v, 0, sizeof v);
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	size_t k = 0;
	while (k < N_KINDS && !(strlen(kind_names[k]) == n && strncmp(spec, kind_names[k], n) == 0))
		k++;
	if (k == N_KINDS)
		return bad(d, spec, "weights, rates, supply, caps or embargo before ':'", spec, n);
	if (!colon)
		return bad(d, spec, "':' and a setting after the name (see allot sweep --help)", "",
			   0);
	v.kind = (enum allot_vary_kind)k;
	const char *arg = colon + 1;
	int rc;
	switch (v.kind) {
	case ALLOT_VARY_WEIGHTS:
		rc = parse_weights(spec, arg, &v, d);
		break;
	case ALLOT_VARY_EMBARGO:
		rc = parse_embargo(spec, arg, &v, d);
		break;
	default:
		rc = parse_spread(spec, arg, &v, d);
		break;
	}
	if (rc == ALLOT_OK)
		*out = v;
	return rc;
}

int allot_vary_check(const struct allot_vary *v, const struct allot_scenario *s,
		     struct allot_diags *d)
{
	if (v->kind != ALLOT_VARY_EMBARGO)
		return ALLOT_OK;
	char spec[256], file[300];
	allot_vary_format(v, spec, sizeof spec);
	snprintf(file, sizeof file, "--vary %s", spec);
	int found = 0;
	for (size_t i = 0; i < s->n_supply && !found; i++)
		found = strcmp(s->supply[i].source, v->source) == 0;
	if (!found) {
		char list[512] = "";
		size_t len = 0;
		for (size_t i = 0; i < s->n_supply; i++) {
			int dup = 0;
			for (size_t j = 0; j < i && !dup; j++)
				dup = strcmp(s->supply[j].source, s->supply[i].source) == 0;
			if (!dup && len < sizeof list)
				len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
							len ? ", " : "", s->supply[i].source);
		}
		allot_diags_add(d, file, 0, 0,
				"expected a supply source of the scenario (%s), found '%s'",
				len ? list : "it has no supply rows", v->source);
		return ALLOT_EINPUT;
	}
	if (strcmp(v->mineral, "*") != 0 && allot_scenario_find_mineral(s, v->mineral) < 0) {
		allot_diags_add(d, file, 0, 0,
				"expected a mineral id of the scenario or *, found '%s'",
				v->mineral);
		return ALLOT_EINPUT;
	}
	return ALLOT_OK;
}

size_t allot_vary_targets(const struct allot_vary *v, const struct allot_scenario *s)
{
	size_t n = 0;
	switch (v->kind) {
	case ALLOT_VARY_WEIGHTS:
		for (int k = 0; k < ALLOT_CRIT_COUNT; k++)
			n += s->policy.weight[k] > 0;
		return n;
	case ALLOT_VARY_RATES:
		return s->n_lines;
	case ALLOT_VARY_SUPPLY:
		return s->n_supply;
	case ALLOT_VARY_CAPS:
		for (size_t i = 0; i < s->n_events; i++)
			n += s->events[i].type == ALLOT_EV_BUDGET_CAP;
		return n;
	case ALLOT_VARY_EMBARGO:
		return 1;
	}
	return 0;
}

static void range_text(char *buf, size_t size, int lo, int hi, int months)
{
	char a[8], b[8];
	if (months) {
		allot_month_format((allot_month)lo, a);
		allot_month_format((allot_month)hi, b);
		if (lo == hi)
			snprintf(buf, size, "%s", a);
		else
			snprintf(buf, size, "%s..%s", a, b);
	} else if (lo == hi) {
		snprintf(buf, size, "%d", lo);
	} else {
		snprintf(buf, size, "%d..%d", lo, hi);
	}
}

void allot_vary_format(const struct allot_vary *v, char *buf, size_t size)
{
	char start[48], months[48];
	switch (v->kind) {
	case ALLOT_VARY_WEIGHTS:
		snprintf(buf, size, "weights:dirichlet=%.15g", v->concentration);
		return;
	case ALLOT_VARY_EMBARGO:
		range_text(start, sizeof start, v->start_lo, v->start_hi, 1);
		range_text(months, sizeof months, v->months_lo, v->months_hi, 0);
		snprintf(buf, size, "embargo:%s:start=%s,months=%s%s%s", v->source, start, months,
			 strcmp(v->mineral, "*") ? ",mineral=" : "",
			 strcmp(v->mineral, "*") ? v->mineral : "");
		return;
	default:
		snprintf(buf, size, "%s:%.10g%%", kind_names[v->kind], v->spread * 100);
		return;
	}
}
