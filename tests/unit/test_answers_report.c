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
 * share a line, so both policies give the same plan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
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
	/* The zip's directory names each sheet's part: nine tables. */
	char name[64];
	for (int i = 1; i <= 9; i++) {
		snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i);
		assert_true(contains(x, len, name));
	}
	assert_false(contains(x, len, "xl/worksheets/sheet10.xml"));
	free(x);
	tu_rmtree(dir);
	free(dir);
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
		cmocka_unit_test(html_is_escaped_and_self_contained),
		cmocka_unit_test(workbook_has_a_sheet_per_table),
		cmocka_unit_test(bundled_dataset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
