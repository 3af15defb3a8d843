/*
 * test_answers_report.c - the report (allot_report_build, _write_html,
 * _write_xlsx): findings on a small scenario checked by hand, the HTML
 * file's safety (escaping, nothing that ends an inline script early, no
 * reference outside the file, atomic write), the workbook's sheets, and a
 * run on the bundled dataset.
 *
 * The hand scenario (as in test_answers_risk.c): every line makes one unit
 * a month for one order, lead time 0, horizon 60 months from 2025-01, all
 * LOAs in 2024-01.  Orders: R1 41 units (weak partner, f35 at 100 m, with
 * an alternative), R2 41 (weak, g, none), R3 41 (strong, f35b), R4 30
 * (weak, f3), R5 100 with 10 delivered (weak, f5 at 10 m).  No two orders
 * share a line, so both policies give the same plan.  It has no minerals:
 * the reserve section is skipped.
 *
 * The reserve section is checked on test_reserve.c's "one binding
 * mineral" scenario (see reserve_scenario below).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "answers/report_int.h"
#include "testutil.h"

static void set_alternative(struct allot_scenario *s, int system, const char *alt)
{
	free(s->systems[system].foreign_alternative);
	s->systems[system].foreign_alternative = strdup(alt);
}

static int own_line(struct allot_scenario *s, const char *id, double cost, const char *alt)
{
	int y = tu_system(s, id, tu_line(s, id, 1, 0), cost, 0, 0);
	if (alt)
		set_alternative(s, y, alt);
	return y;
}

static struct allot_scenario *hand(const char *weak_name)
{
	struct allot_scenario *s = tu_scenario("2025-01", 60);
	int weak = tu_partner(s, "WEK", "africa", 0, 0, 0, 0, 0, 0, 0);
	int strong = tu_partner(s, "STR", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	free(s->partners[weak].name);
	s->partners[weak].name = strdup(weak_name);
	tu_order(s, "R1", weak, own_line(s, "f35", 100e6, "Rafale"), 41, 0, "2024-01", NULL, -1);
	tu_order(s, "R2", weak, own_line(s, "g", 100e6, NULL), 41, 0, "2024-01", NULL, -1);
	tu_order(s, "R3", strong, own_line(s, "f35b", 100e6, "Rafale"), 41, 0, "2024-01", NULL, -1);
	tu_order(s, "R4", weak, own_line(s, "f3", 100e6, "Gripen"), 30, 0, "2024-01", NULL, -1);
	tu_order(s, "R5", weak, own_line(s, "f5", 10e6, "Gripen"), 100, 10, "2024-01", NULL, -1);
	return s;
}

static int contains(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static struct allot_report *build(const struct allot_scenario *s)
{
	struct allot_report_options o;
	allot_report_options_init(&o);
	struct allot_report *r = NULL;
	assert_int_equal(allot_report_build(s, &o, &r), ALLOT_OK);
	assert_non_null(r);
	return r;
}

static const char *finding_with(const struct allot_report *r, const char *needle)
{
	size_t n;
	const char *const *f = allot_report_findings(r, &n);
	for (size_t i = 0; i < n; i++)
		if (strstr(f[i], needle))
			return f[i];
	fprintf(stderr, "no finding contains '%s'; they are:\n", needle);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "  %s\n", f[i]);
	return NULL;
}

static void findings_by_hand(void **state)
{
	(void)state;
	struct allot_scenario *s = hand("Weakland");
	struct allot_report *r = build(s);
	/* Waits: tier 1 is R3 alone (40 months); tier 3 R1 40, R2 40, R4 29 and
	 * R5 60 (not complete: to the horizon's end): 169 / 4 = 42.25. */
	assert_non_null(finding_with(r, "tier 1 partners' open orders wait 40.0 months on average "
					"and tier 3 partners' 42.2 months; under "
					"first-come-first-served they would wait 40.0 and 42.2"));
	assert_non_null(finding_with(r, "No partner's mean wait changes"));
	/* 2025 and 2026: 12 units of each 100 m order (48) and 12 of R5 (10 m):
	 * 4.92 bn, the first year of the peak; at the end R5 has 30 short. */
	assert_non_null(finding_with(r, "Deliveries peak in 2025 at USD 4.9 billion; at the "
					"horizon's end (2029-12) 30 units worth USD 300.0 million "
					"are still open under priority"));
	/* End of 2025: 29 + 29 + 29 + 18 units at 100 m and 78 at 10 m. */
	assert_non_null(finding_with(r, "At the end of 2025-Q4 the backlog holds 183 units worth "
					"USD 11.3 billion in 5 open cases"));
	/* Risk: R1 (4.1 bn) and R5 (0.9 bn), as in test_answers_risk.c. */
	assert_non_null(finding_with(r, "USD 5.0 billion in 2 orders is at risk of going "
					"elsewhere: tier 3 partners waiting more than 36 months"));
	assert_non_null(finding_with(r, "the largest is Weakland's f35 order (USD 4.1 billion, "
					"alternative: Rafale)"));
	/* Every line is busy for the first 24 months (R4 takes months 0..29). */
	assert_non_null(finding_with(r, "No systems (none is marked catalog) have capacity left "
					"unsold in the next 24 months."));
	allot_report_free(r);
	allot_scenario_free(s);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static size_t files_in(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* A partner name that would break the page if written raw. */
static void html_is_escaped_and_self_contained(void **state)
{
	(void)state;
	struct allot_scenario *s = hand("</script><b>Weak & \"Co\"");
	struct allot_report *r = build(s);
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/report.html", dir);
	assert_int_equal(allot_report_write_html(r, path), ALLOT_OK);
	assert_int_equal(files_in(dir), 1); /* no temporary file left */
	size_t len;
	char *html = tu_slurp(path, &len);
	assert_non_null(html);
	assert_int_equal(strncmp(html, "<!DOCTYPE html>", 15), 0);
	/* In the findings (HTML text) the name is escaped ... */
	assert_non_null(strstr(html, "&lt;/script&gt;&lt;b&gt;Weak &amp; &quot;Co&quot;"));
	/* ... and in the data (JSON) its "/" is: only the three real script
	 * elements end. */
	assert_int_equal(count(html, "</script>"), 3);
	assert_non_null(strstr(html, "<\\/script><b>Weak & \\\"Co\\\""));
	/* Raw, the name appears only inside that JSON (a script's text). */
	assert_int_equal(count(html, "<b>Weak"), count(html, "<\\/script><b>Weak"));
	/* Self-contained: nothing is loaded from elsewhere. */
	assert_null(strstr(html, " src="));
	assert_null(strstr(html, "<link"));
	assert_non_null(strstr(html, "Content-Security-Policy\" content=\"default-src 'none'"));
	assert_non_null(strstr(html, "Chart.js v"));
	assert_non_null(strstr(html, "id=\"allot-data\""));
	free(html);

	/* A directory that does not exist: an error, and nothing written. */
	char bad[600];
	snprintf(bad, sizeof bad, "%s/missing/report.html", dir);
	assert_int_equal(allot_report_write_html(r, bad), ALLOT_EIO);
	assert_int_equal(files_in(dir), 1);
	tu_rmtree(dir);
	free(dir);
	allot_report_free(r);
	allot_scenario_free(s);
}

static void workbook_has_a_sheet_per_table(void **state)
{
	(void)state;
	struct allot_scenario *s = hand("Weakland");
	struct allot_report *r = build(s);
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/report.xlsx", dir);
	assert_int_equal(allot_report_write_xlsx(r, path), ALLOT_OK);
	assert_int_equal(files_in(dir), 1);
	size_t len;
	char *x = tu_slurp(path, &len);
	assert_non_null(x);
	assert_true(len > 4 && memcmp(x, "PK\003\004", 4) == 0); /* a zip */
	/* The zip's directory names each sheet's part: ten tables (the tenth,
	 * issue 17: one partner's deliveries under both policies), the
	 * reserve's sheet (here only its note: no minerals) and the
	 * backtest's (here only its note: not run). */
	char name[64];
	for (int i = 1; i <= 12; i++) {
		snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i);
		assert_true(contains(x, len, name));
	}
	assert_false(contains(x, len, "xl/worksheets/sheet13.xml"));
	free(x);
	tu_rmtree(dir);
	free(dir);
	allot_report_free(r);
	allot_scenario_free(s);
}

/* ---------------------------------------------------------------------- */
/* The reserve section.                                                     */

/* test_reserve.c's "one binding mineral": a 10/month line makes S (1 kg of
 * X a unit, no lead time) for a tier-1 order of 100 units; X has 20 kg in
 * stock at USD 10/kg and 5 kg a month from china; horizon 12 months from
 * 2025-01. */
static struct allot_scenario *reserve_scenario(void)
{
	struct allot_scenario *s = tu_scenario("2025-01", 12);
	int a = tu_partner(s, "AAA", "europe-east", 1, 5.0, 30, 50000, 3, 50e9, 0);
	int l = tu_line(s, "L", 10, 0);
	int y = tu_system(s, "S", l, 1e6, 0, 0);
	tu_order(s, "O1", a, y, 100, 0, "2024-01", NULL, -1);
	int x = tu_mineral(s, "X", 20);
	s->minerals[x].price_usd_per_kg = 10;
	tu_supply(s, x, "china", 5);
	tu_bom(s, y, x, 1);
	return s;
}

static const struct rtable *table(const struct allot_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_tables; i++)
		if (strcmp(r->tables[i].id, id) == 0)
			return &r->tables[i];
	fail_msg("no table %s", id);
	return NULL;
}

static double num(const struct rtable *t, size_t row, int col)
{
	const struct rcell *c = rtable_cell(t, row, col);
	assert_int_equal(c->kind, RCELL_NUM);
	return c->v;
}

static char *html_of(const struct allot_report *r, size_t *len)
{
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/report.html", dir);
	assert_int_equal(allot_report_write_html(r, path), ALLOT_OK);
	char *html = tu_slurp(path, len);
	assert_non_null(html);
	tu_rmtree(dir);
	free(dir);
	return html;
}

/* rate_basis (issue 15): the orders and risk tables mark an order whose
 * line rate is an estimate in a last column (the orders table: the order
 * book's rate_basis, as allot orders --csv; risk: line_rate); a scenario
 * that states no basis has no such column. */
static void estimated_line_rates_are_marked(void **state)
{
	(void)state;
	struct allot_scenario *s = hand("Weakland");
	struct allot_report *r = build(s);
	const struct rtable *t = table(r, "orders");
	/* the order book's columns (issue 14) but supply, wip_units,
	 * rate_basis, max_per_month, not_before, loa_basis and
	 * unit_cost_basis: no off-line units, no basis, pace or earliest
	 * delivery stated */
	assert_int_equal(t->ncols, ALLOT_ORDERBOOK_NCOL - 7);
	for (int k = 0; k < t->ncols; k++)
		assert_string_equal(t->cols[k], allot_orderbook_columns[k].key);
	allot_report_free(r);
	/* R1's line (f35) cited, R4's (f3) an estimate */
	s->lines[s->systems[allot_scenario_find_system(s, "f35")].line].rate_basis =
		ALLOT_RATE_CITED;
	s->lines[s->systems[allot_scenario_find_system(s, "f3")].line].rate_basis =
		ALLOT_RATE_ESTIMATE;
	r = build(s);
	t = table(r, "orders");
	int last = ALLOT_ORDERBOOK_NCOL - 7; /* the four after it absent */
	assert_int_equal(t->ncols, last + 1);
	assert_string_equal(t->cols[last], "rate_basis");
	int seen = 0;
	for (size_t row = 0; row < t->n / (size_t)t->ncols; row++) {
		const char *id = rtable_cell(t, row, 0)->s, *mark = rtable_cell(t, row, last)->s;
		if (strcmp(id, "R4") == 0)
			seen += strcmp(mark, "estimate") == 0;
		else if (strcmp(id, "R1") == 0)
			seen += strcmp(mark, "cited") == 0;
		else
			seen += mark == NULL || mark[0] == '\0'; /* unstated */
	}
	assert_int_equal(seen, 5);
	/* the risk finding's largest order (R1, f35) rests on a cited rate */
	assert_non_null(finding_with(r, "the largest is Weakland's f35 order (USD 4.1 billion, "
					"alternative: Rafale)."));
	const struct rtable *risk = table(r, "risk");
	/* allot_risk_columns (11, as allot risk --csv and the API) + line_rate */
	assert_int_equal(risk->ncols, ALLOT_RISK_NCOL + 1);
	assert_string_equal(risk->cols[8], "not_complete");
	assert_string_equal(risk->cols[ALLOT_RISK_NCOL], "line_rate");
	allot_report_free(r);
	allot_scenario_free(s);
}

/* Unknown unit costs (issue 15, docs/allocation.md): with R2's unit cost
 * unknown, its value cell in the orders table says "unknown" (not a
 * blank), and every USD sum that leaves its units out is marked: the
 * quarterly-backlog finding is a lower bound, the metrics table and the
 * metrics chart's data carry the units left out. */
static void unknown_costs_are_marked(void **state)
{
	(void)state;
	struct allot_scenario *s = hand("Weakland");
	s->systems[allot_scenario_find_system(s, "g")].unit_cost_usd = NAN;
	struct allot_report *r = build(s);
	const struct rtable *t = table(r, "orders");
	int seen = 0, vc = -1; /* the order's open value: value_open_usd */
	for (int k = 0; k < t->ncols; k++)
		if (strncmp(t->cols[k], "value_", 6) == 0 && strstr(t->cols[k], "_usd"))
			vc = k;
	assert_true(vc > 0);
	for (size_t row = 0; row < rtable_rows(t); row++) {
		const struct rcell *v = rtable_cell(t, row, vc);
		if (strcmp(rtable_cell(t, row, 0)->s, "R2") == 0) {
			assert_int_equal(v->kind, RCELL_STR);
			assert_string_equal(v->s, "unknown");
			seen++;
		} else {
			assert_int_equal(v->kind, RCELL_NUM);
		}
	}
	assert_int_equal(seen, 1);
	/* End of 2025: 29 + 29 + 18 units at 100 m and 78 at 10 m known, R2's
	 * 29 units apart. */
	assert_non_null(finding_with(r, "At the end of 2025-Q4 the backlog holds 183 units worth "
					">= USD 8.4 billion (+29 units of unknown cost) in 5 "
					"open cases"));
	const struct rtable *m = table(r, "metrics");
	/* the columns of allot metrics --csv */
	assert_int_equal(m->ncols, ALLOT_METRICS_NCOL);
	for (int k = 0; k < ALLOT_METRICS_NCOL; k++)
		assert_string_equal(m->cols[k], allot_metrics_columns[k]);
	assert_string_equal(m->cols[9], "backlog_value_usd");
	assert_string_equal(m->cols[22], "backlog_value_usd_unknown_cost_units");
	int q4 = 0;
	for (size_t row = 0; row < rtable_rows(m); row++)
		if (strcmp(rtable_cell(m, row, 0)->s, "2025-Q4") == 0 &&
		    rtable_cell(m, row, 1)->kind == RCELL_STR && /* tier: a number or "all" */
		    strcmp(rtable_cell(m, row, 1)->s, "all") == 0) {
			assert_true(fabs(num(m, row, 9) - 8.38e9) < 1);
			assert_true(num(m, row, 22) == 29);
			q4++;
		}
	assert_int_equal(q4, 1);
	char *json = report_data_json(r);
	assert_non_null(json);
	assert_non_null(
		strstr(json, "\"backlog_unknown_cost_units\":[null,null,null,null,38,35,32,29,"));
	free(json);
	allot_report_free(r);
	allot_scenario_free(s);
}

static int column(const struct rtable *t, const char *key)
{
	for (int k = 0; k < t->ncols; k++)
		if (strcmp(t->cols[k], key) == 0)
			return k;
	return -1;
}

/* The compare table says what allot compare's table says of an unknown
 * value (allot_usd_cell, never a blank): with every unit cost unknown,
 * each group's USD sums and change read "unknown", and so do its
 * value-weighted waits (no value to weigh by); with costs known they are
 * numbers.  Columns are found by name. */
static void compare_table_says_unknown(void **state)
{
	(void)state;
	static const char *const cols[] = { "usd_by_year_a",    "usd_by_year_b",
					    "change_usd",       "vw_wait_months_a",
					    "vw_wait_months_b", "change_vw_wait_months" };
	for (int unknown = 0; unknown < 2; unknown++) {
		struct allot_scenario *s = hand("Weakland");
		for (size_t y = 0; unknown && y < s->n_systems; y++)
			s->systems[y].unit_cost_usd = NAN;
		struct allot_report *r = build(s);
		const struct rtable *t = table(r, "compare");
		/* 2 tiers, 2 regions, 2 partners */
		assert_int_equal(rtable_rows(t), 6);
		for (size_t u = 0; u < sizeof cols / sizeof cols[0]; u++) {
			int col = column(t, cols[u]);
			assert_true(col >= 0);
			for (size_t row = 0; row < rtable_rows(t); row++) {
				const struct rcell *x = rtable_cell(t, row, col);
				if (!unknown) {
					assert_int_equal(x->kind, RCELL_NUM);
					continue;
				}
				assert_int_equal(x->kind, RCELL_STR);
				assert_string_equal(x->s, ALLOT_SYM_UNKNOWN);
			}
		}
		/* the units left out of the sums: counted, a number */
		int uc = column(t, "usd_by_year_b_unknown_cost_units");
		assert_true(uc >= 0);
		assert_int_equal(rtable_cell(t, 0, uc)->kind, RCELL_NUM);
		assert_true((rtable_cell(t, 0, uc)->v > 0) == unknown);
		allot_report_free(r);
		allot_scenario_free(s);
	}
}

/* The orders table is the order book (issue 14): the report's two plans
 * through allot_orderbook_build, every order with units left (R6, wholly
 * delivered, is not), cell for cell what allot orders --csv writes, but
 * that an unknown value (R2's unit cost) reads "unknown", never a blank. */
static void orders_table_is_the_order_book(void **state)
{
	(void)state;
	struct allot_scenario *s = hand("Weakland");
	tu_order(s, "R6", 0, 0, 5, 5, "2023-01", NULL, -1);
	s->systems[allot_scenario_find_system(s, "g")].unit_cost_usd = NAN;
	s->lines[s->systems[allot_scenario_find_system(s, "f3")].line].rate_basis =
		ALLOT_RATE_ESTIMATE;
	assert_int_equal(allot_month_parse("2027-03", &s->orders[0].not_before), 0); /* R1 */
	struct allot_report *r = build(s);
	const struct rtable *t = table(r, "orders");
	/* R1's earliest delivery in the not_before column; the others state
	 * none: an empty cell, never a month 0 */
	int nb = column(t, "not_before");
	assert_true(nb >= 0);
	for (size_t row = 0; row < rtable_rows(t); row++) {
		const struct rcell *x = rtable_cell(t, row, nb);
		if (strcmp(rtable_cell(t, row, 0)->s, "R1") == 0) {
			assert_int_equal(x->kind, RCELL_STR);
			assert_string_equal(x->s, "2027-03");
		} else {
			assert_int_equal(x->kind, RCELL_EMPTY);
		}
	}
	struct allot_orderbook *b = NULL;
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	assert_int_equal(b->n_rows, 6);
	assert_int_equal(rtable_rows(t), 5);
	struct allot_cell c[ALLOT_ORDERBOOK_NCOL];
	char buf[64];
	for (size_t row = 0; row < 5; row++) {
		allot_orderbook_cells(b, &b->rows[row], c);
		int col = 0;
		for (size_t k = 0; k < ALLOT_ORDERBOOK_NCOL; k++) {
			if (!allot_orderbook_has(b, k))
				continue;
			assert_string_equal(t->cols[col], allot_orderbook_columns[k].key);
			const struct rcell *x = rtable_cell(t, row, col++);
			const char *want = allot_cell_text(&c[k], buf);
			if (strcmp(t->cols[col - 1], "value_left_usd") == 0 &&
			    strcmp(rtable_cell(t, row, 0)->s, "R2") == 0) {
				assert_int_equal(c[k].kind, ALLOT_CELL_NULL);
				want = ALLOT_SYM_UNKNOWN;
			}
			if (x->kind == RCELL_NUM)
				assert_true(x->v == strtod(want, NULL) && *want);
			else if (x->kind == RCELL_STR)
				assert_string_equal(x->s, want);
			else
				assert_string_equal("", want);
		}
		assert_int_equal(col, t->ncols);
	}
	allot_orderbook_free(b);
	allot_report_free(r);
	allot_scenario_free(s);
}

/* The embargo of test_reserve.c (china, 2025-01..2025-06, window 6 months)
 * and USD 1000: without a reserve the line makes 10 + 10 units from the 20
 * kg and stops (X binds from month 2); 60 units need 60 kg, so the best
 * purchase is 40 kg (USD 400), worth 40 more tier-1 units, and X then
 * never binds in the window. */
static void reserve_one_binding_mineral(void **state)
{
	(void)state;
	struct allot_scenario *s = reserve_scenario();
	struct allot_embargo e = { "china", -1, tu_m("2025-01"), tu_m("2025-06") };
	struct allot_report_options o;
	allot_report_options_init(&o);
	o.reserve_budget_usd = 1000;
	o.reserve_embargoes = &e;
	o.n_reserve_embargoes = 1;
	struct allot_report *r = NULL;
	assert_int_equal(allot_report_build(s, &o, &r), ALLOT_OK);
	assert_non_null(r->reserve);
	assert_int_equal(r->reserve->window, 6);
	const char *head = "With the reserve spent this way (USD 400 of USD 1,000), 40 more units "
			   "reach tier-1 partners during a 6-month embargo on china from 2025-01; "
			   "counted to 2025-06, 20 without the reserve and 60 with it.";
	assert_string_equal(r->reserve_headline, head);
	assert_non_null(finding_with(r, head));

	/* Purchase: X 40 kg at 10, cover 2 months before, not binding after
	 * (empty), and both methods buy 40 kg; then the total. */
	const struct rtable *p = table(r, "reserve");
	assert_int_equal(rtable_rows(p), 2);
	assert_string_equal(rtable_cell(p, 0, 0)->s, "X");
	assert_true(num(p, 0, 1) == 10);
	assert_true(num(p, 0, 2) == 40);
	assert_true(num(p, 0, 3) == 400);
	assert_true(num(p, 0, 4) == 2);
	assert_int_equal(rtable_cell(p, 0, 5)->kind, RCELL_EMPTY);
	assert_true(num(p, 0, 6) == 40 && num(p, 0, 7) == 40);
	assert_string_equal(rtable_cell(p, 1, 0)->s, "total");
	assert_true(num(p, 1, 3) == 400);
	/* Tiers (weights 3, 2, 1): tier 1 20 -> 60 units, value 60 -> 180. */
	const struct rtable *tt = table(r, "reserve-tiers");
	assert_int_equal(rtable_rows(tt), 3);
	assert_true(num(tt, 0, 1) == 3 && num(tt, 0, 2) == 20 && num(tt, 0, 3) == 60);
	assert_true(num(tt, 0, 4) == 40 && num(tt, 0, 5) == 60 && num(tt, 0, 6) == 180);
	assert_true(num(tt, 1, 2) == 0 && num(tt, 2, 3) == 0);
	/* Methods: none 60, the LP bound 180, both purchases 180 (gap 0). */
	const struct rtable *m = table(r, "reserve-methods");
	assert_int_equal(rtable_rows(m), 4);
	assert_string_equal(rtable_cell(m, 0, 0)->s, "none");
	assert_true(num(m, 0, 2) == 60);
	assert_true(fabs(num(m, 0, 4) - 100.0 * 120 / 180) < 1e-9);
	assert_string_equal(rtable_cell(m, 1, 0)->s, "lp bound");
	assert_true(fabs(num(m, 1, 3) - 180) < 1e-6);
	assert_string_equal(rtable_cell(m, 2, 0)->s, "lp purchase (recommended)");
	assert_true(num(m, 2, 1) == 400 && num(m, 2, 2) == 180);
	assert_true(num(m, 3, 1) == 400 && num(m, 3, 2) == 180);
	assert_true(m[0].same_sheet == 1 && tt->same_sheet == 1 && p->same_sheet == 0);

	/* The page: the section with its text, headline, two charts and the
	 * chart data (cover 2 -> 6 = the window; kg 40; tier 1 20 -> 60). */
	size_t len;
	char *html = html_of(r, &len);
	assert_non_null(
		strstr(html, "<section id=\"reserve\">\n<h2>Critical-minerals reserve</h2>"));
	assert_non_null(strstr(html, "within USD 1,000 (--reserve-budget)"));
	assert_non_null(
		strstr(html, "under the embargo: china 2025-01..2025-06 (--reserve-embargo)"));
	assert_non_null(strstr(html, "recommended: the LP&#39;s purchase, 0.00 % below the bound"));
	assert_non_null(strstr(html,
			       "<p class=\"headline\">With the reserve spent this way (USD 400 "
			       "of USD 1,000), 40 more units"));
	assert_non_null(strstr(html, "<canvas id=\"c-reserve-cover\">"));
	assert_non_null(strstr(html, "<canvas id=\"c-reserve-tiers\">"));
	assert_non_null(strstr(html, "<a href=\"#reserve\">Critical-minerals reserve</a>"));
	assert_non_null(strstr(html,
			       "\"reserve\":{\"window\":6,\"first\":\"2025-01\",\"last\":"
			       "\"2025-06\",\"budget_usd\":1000.0,\"cost_usd\":400.0,"
			       "\"minerals\":[\"X\"],\"cover_before\":[2],\"cover_after\":[6],"
			       "\"kg\":[40.0],\"tiers\":[1,2,3],\"units_without\":[20.0,0.0,0.0],"
			       "\"units_with\":[60.0,0.0,0.0]}"));
	assert_int_equal(count(html, "</script>"), 3);
	free(html);
	allot_report_free(r);
	allot_scenario_free(s);
}

/* The defaults: USD 12 billion and china from as_of for 24 months, past
 * the 12-month horizon, so the window is the horizon.  The whole order
 * (100 units, 10 a month, done in month 9) needs 100 kg: buy 80 (USD
 * 800), and tier 1 gets 100 units instead of 20. */
static void reserve_defaults(void **state)
{
	(void)state;
	struct allot_scenario *s = reserve_scenario();
	struct allot_report *r = build(s);
	assert_int_equal(r->reserve->window, 12);
	assert_string_equal(
		r->reserve_headline,
		"With the reserve spent this way (USD 800 of USD 12.0 billion), 80 more "
		"units reach tier-1 partners during a 24-month embargo on china from "
		"2025-01; counted to 2025-12, 20 without the reserve and 100 with it.");
	const struct rtable *p = table(r, "reserve");
	assert_true(num(p, 0, 2) == 80 && num(p, 0, 3) == 800 && num(p, 0, 4) == 2);
	assert_int_equal(rtable_cell(p, 0, 5)->kind, RCELL_EMPTY);
	assert_non_null(strstr(r->reserve_how, "within USD 12.0 billion (the default; "
					       "--reserve-budget changes it)"));
	assert_non_null(strstr(r->reserve_how, "china 2025-01..2026-12 (the default: china from "
					       "as_of for 24 months;"));
	allot_report_free(r);

	/* No supply row names china: the default cannot apply, the reserve
	 * is weighed against the scenario as given.  Without an embargo the
	 * line has 20 + 5 (t + 1) kg by month t: 80 units in the 12 months.
	 * With b kg more it makes min(10 (t + 1), 20 + b + 5 (t + 1)) units by
	 * month t; 100 by month 11 needs b = 20 (10 a month to month 7, then
	 * 5): USD 200 for 20 more units. */
	free(s->supply[0].source);
	s->supply[0].source = strdup("allied");
	r = build(s);
	assert_int_equal(r->n_reserve_emb, 0);
	assert_non_null(strstr(r->reserve_how, "no supply row names china"));
	assert_string_equal(
		r->reserve_headline,
		"With the reserve spent this way (USD 200 of USD 12.0 billion), 20 more "
		"units reach tier-1 partners under the scenario as given (no embargo "
		"added); counted to 2025-12, 80 without the reserve and 100 with it.");
	allot_report_free(r);

	/* An embargo on a source supply.csv does not name: bad input, why in
	 * the diagnostics, no report. */
	struct allot_embargo e = { "mars", -1, tu_m("2025-01"), tu_m("2025-06") };
	struct allot_report_options o;
	allot_report_options_init(&o);
	o.reserve_embargoes = &e;
	o.n_reserve_embargoes = 1;
	struct allot_diags d;
	allot_diags_init(&d);
	o.diags = &d;
	r = (struct allot_report *)&o;
	assert_int_equal(allot_report_build(s, &o, &r), ALLOT_EINPUT);
	assert_null(r);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg,
			    "expected an embargo on a supply source of supply.csv, found 'mars'");
	allot_diags_free(&d);
	allot_scenario_free(s);
}

/* No minerals: a one-line note instead of the section, no chart, and the
 * workbook's reserve sheet holds the note. */
static void reserve_skipped_without_minerals(void **state)
{
	(void)state;
	struct allot_scenario *s = hand("Weakland");
	struct allot_report *r = build(s);
	assert_null(r->reserve);
	assert_null(r->reserve_headline);
	size_t nf;
	const char *const *f = allot_report_findings(r, &nf);
	for (size_t i = 0; i < nf; i++)
		assert_null(strstr(f[i], "reserve"));
	const struct rtable *t = table(r, "reserve");
	assert_int_equal(t->ncols, 1);
	assert_int_equal(rtable_rows(t), 1);
	size_t len;
	char *html = html_of(r, &len);
	assert_non_null(strstr(html,
			       "<h2>Critical-minerals reserve</h2>\n<p class=\"how\">Skipped: "
			       "the scenario has no minerals (minerals.csv lists none), so there "
			       "is no reserve to buy.</p>\n</section>"));
	assert_null(strstr(html, "<canvas id=\"c-reserve-"));
	assert_null(strstr(html, "<div id=\"table-reserve"));
	assert_non_null(strstr(html, "\"reserve\":null"));
	free(html);
	allot_report_free(r);
	allot_scenario_free(s);
}

/* The backtest's one headline (issue 14, allot_backtest_headline): the
 * section's p.headline and the finding say it word for word (escaped in
 * the HTML); allot backtest prints the same (tests/cli/cases/backtest-default,
 * report_test.js compares the three).  A hand answer with every goal met:
 * 3 of 4 completed within +-1 year (75.0 %), MAE 0.5, bias +0.25, all 10
 * system-years of the top 2 systems within +-25 %. */
static void backtest_headline(void **state)
{
	(void)state;
	struct allot_backtest b;
	memset(&b, 0, sizeof b);
	b.as_of = tu_m("2020-01");
	b.year_from = 2020, b.year_to = 2024, b.n_years = 5;
	b.n_orders = 6, b.n_completed = 4, b.n_within = 3, b.share_within = 0.75;
	b.mae_years = 0.5, b.bias_years = 0.25, b.n_late = 1;
	b.n_top = 2, b.n_top_cells = 10, b.n_top_cells_within = 10, b.n_top_totals_within = 2;
	static const char said[] =
		"Of the 4 orders SIPRI shows completed by 2024, 3 (75.0 %) are planned within "
		"+-1 year (goal >= 70 %: met), with a mean absolute error of 0.50 years (goal < 1: "
		"met) and a mean error of +0.25 years (plans late; 0 planned 2 or more years "
		"early, 1 late); of the top 2 systems by recorded units, 10 of 10 system-years "
		"(goal all: met) and 2 of 2 totals for 2020-2024 are within +-25 %.";
	char h[ALLOT_BACKTEST_HEADLINE_MAX];
	allot_backtest_headline(&b, h, sizeof h);
	assert_string_equal(h, said);

	struct allot_scenario *s = hand("Weakland");
	struct allot_report_options o;
	allot_report_options_init(&o);
	o.backtest = &b;
	struct allot_report *r = NULL;
	assert_int_equal(allot_report_build(s, &o, &r), ALLOT_OK);
	const char *f = finding_with(r, "Backtest");
	assert_non_null(f);
	assert_string_equal(f,
			    "Backtest (the book as of 2020-01 planned first come, first "
			    "served): Of the 4 orders SIPRI shows completed by 2024, 3 (75.0 %) "
			    "are planned within +-1 year (goal >= 70 %: met), with a mean "
			    "absolute error of 0.50 years (goal < 1: met) and a mean error of "
			    "+0.25 years (plans late; 0 planned 2 or more years early, 1 late); "
			    "of the top 2 systems by recorded units, 10 of 10 system-years (goal "
			    "all: met) and 2 of 2 totals for 2020-2024 are within +-25 %.");
	size_t len;
	char *html = html_of(r, &len);
	assert_true(
		contains(html, len,
			 "<p class=\"headline\">Of the 4 orders SIPRI shows completed by 2024, "
			 "3 (75.0 %) are planned within +-1 year (goal &gt;= 70 %: met), with a "
			 "mean absolute error of 0.50 years (goal &lt; 1: met) and a mean error "
			 "of +0.25 years (plans late; 0 planned 2 or more years early, 1 late); "
			 "of the top 2 systems by recorded units, 10 of 10 system-years (goal "
			 "all: met) and 2 of 2 totals for 2020-2024 are within +-25 %.</p>"));
	free(html);
	allot_report_free(r);
	allot_scenario_free(s);
}

/* A finding whose figure rests on an estimated line rate says so: the
 * unsold capacity of two-tiers-estimated's line L (rate_basis estimate),
 * and the risk finding's largest order once its line is an estimate. */
static void findings_say_estimated_rates(void **state)
{
	(void)state;
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(
		allot_scenario_load(tu_src("tests/data/scenarios/two-tiers-estimated"), &s, &d),
		ALLOT_OK);
	struct allot_report *r = build(s);
	assert_non_null(finding_with(r, "the most valuable is Interceptor (33 units, USD 33.0 "
					"million, on an estimated line rate)"));
	allot_report_free(r);
	allot_scenario_free(s);
	allot_diags_free(&d);
	/* one of its two minerals' stocks is an estimate; tiny's are unstated */
	assert_int_equal(allot_scenario_load(tu_src("tests/data/scenarios/estimates"), &s, &d),
			 ALLOT_OK);
	r = build(s);
	assert_non_null(finding_with(
		r, "Every mineral's estimated stock alone covers the planned draw for the whole"));
	allot_report_free(r);
	allot_scenario_free(s);
	allot_diags_free(&d);
	assert_int_equal(allot_scenario_load(tu_src("tests/data/scenarios/tiny"), &s, &d),
			 ALLOT_OK);
	r = build(s);
	assert_non_null(finding_with(r, "Every mineral's stock alone covers"));
	allot_report_free(r);
	allot_scenario_free(s);
	allot_diags_free(&d);
	s = hand("Weakland");
	s->lines[s->systems[allot_scenario_find_system(s, "f35")].line].rate_basis =
		ALLOT_RATE_ESTIMATE;
	r = build(s);
	assert_non_null(finding_with(r, "the largest is Weakland's f35 order (USD 4.1 billion, "
					"alternative: Rafale, on an estimated line rate)."));
	allot_report_free(r);
	allot_scenario_free(s);
}

static void bundled_dataset(void **state)
{
	(void)state;
	struct allot_scenario *s = NULL;
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	struct allot_report *r = build(s);
	size_t n;
	allot_report_findings(r, &n);
	assert_true(n >= 6);
	/* The mineral finding names a what-if: the bundled data has no embargo
	 * but foreign supply (allied, china). */
	assert_non_null(finding_with(r, "supply from 2025-01 would leave"));
	/* minerals.csv's stocks are estimates (stock_basis): the cover says so */
	assert_non_null(finding_with(r, "Estimated stock alone covers the planned draw"));
	/* The reserve with its defaults: china from 2025-01 for 24 months,
	 * window to 2028-12 (24 + the median lead of 24); the purchase brings
	 * tier 1 more units (docs/reserve.md: 1,310). */
	assert_non_null(finding_with(r, "more units reach tier-1 partners during a 24-month "
					"embargo on china from 2025-01; counted to 2028-12"));
	assert_int_equal(r->reserve->window, 48);
	const struct allot_reserve_outcome *b = allot_reserve_best(r->reserve);
	assert_true(b->units_by_tier[0] > r->reserve->base.units_by_tier[0]);
	assert_true(b->cost_usd > 0 && b->cost_usd <= 12e9);
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/report.html", dir);
	assert_int_equal(allot_report_write_html(r, path), ALLOT_OK);
	size_t len;
	char *html = tu_slurp(path, &len);
	assert_true(len > 200000); /* Chart.js alone is ~200 KB */
	assert_int_equal(count(html, "</script>"), 3);
	free(html);
	snprintf(path, sizeof path, "%s/report.xlsx", dir);
	assert_int_equal(allot_report_write_xlsx(r, path), ALLOT_OK);
	tu_rmtree(dir);
	free(dir);
	allot_report_free(r);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(findings_by_hand),
		cmocka_unit_test(estimated_line_rates_are_marked),
		cmocka_unit_test(unknown_costs_are_marked),
		cmocka_unit_test(compare_table_says_unknown),
		cmocka_unit_test(orders_table_is_the_order_book),
		cmocka_unit_test(html_is_escaped_and_self_contained),
		cmocka_unit_test(workbook_has_a_sheet_per_table),
		cmocka_unit_test(reserve_one_binding_mineral),
		cmocka_unit_test(reserve_defaults),
		cmocka_unit_test(reserve_skipped_without_minerals),
		cmocka_unit_test(backtest_headline),
		cmocka_unit_test(findings_say_estimated_rates),
		cmocka_unit_test(bundled_dataset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
