/*
 * test_write.c - writing scenario directories: the canonical form is a
 * fixed point (write(load(dir)) == dir for tiny/, and load -> write -> load
 * -> write gives identical bytes), values survive exactly, writes leave no
 * temporary files and remove stale optional files.
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
#include <unistd.h>

#include <allot/allot.h>
#include "testutil.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in dir joined by spaces (hidden files included). */
static char *listing(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		assert_true(n < 64);
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	char *out = calloc(1, 4096);
	for (size_t i = 0; i < n; i++) {
		strcat(out, names[i]);
		strcat(out, i + 1 < n ? " " : "");
		free(names[i]);
	}
	return out;
}

/* Asserts that two directories hold the same files with the same bytes. */
static void assert_same_dirs(const char *a, const char *b)
{
	char *la = listing(a), *lb = listing(b);
	assert_string_equal(la, lb);
	char *save = NULL;
	for (char *name = strtok_r(la, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
		char pa[4096], pb[4096];
		snprintf(pa, sizeof pa, "%s/%s", a, name);
		snprintf(pb, sizeof pb, "%s/%s", b, name);
		size_t na, nb;
		char *ta = tu_slurp(pa, &na), *tb = tu_slurp(pb, &nb);
		assert_non_null(ta);
		assert_non_null(tb);
		if (na != nb || memcmp(ta, tb, na) != 0)
			fail_msg("%s differs:\n--- %s\n%s\n--- %s\n%s", name, pa, ta, pb, tb);
		free(ta);
		free(tb);
	}
	free(la);
	free(lb);
}

static struct allot_scenario *load_ok(const char *dir)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	int rc = allot_scenario_load(dir, &s, &d);
	if (rc) {
		allot_diags_print(&d, stderr);
		fail_msg("loading %s: %s", dir, allot_strerror(rc));
	}
	allot_diags_free(&d);
	return s;
}

static void write_ok(const struct allot_scenario *s, const char *dir)
{
	struct allot_diags d;
	allot_diags_init(&d);
	int rc = allot_scenario_write(s, dir, &d);
	if (rc) {
		allot_diags_print(&d, stderr);
		fail_msg("writing %s: %s", dir, allot_strerror(rc));
	}
	allot_diags_free(&d);
}

static void canonical_directory_is_a_fixed_point(void **state)
{
	(void)state;
	/* wip/ is tiny/ with orders.csv's supply column and a wip.csv; paced/
	 * tiny/ with its max_per_month column (and supply, of an earlier era). */
	static const char *const fixtures[] = { "tests/data/scenarios/tiny",
						"tests/data/scenarios/wip",
						"tests/data/scenarios/paced" };
	for (size_t k = 0; k < 3; k++) {
		char src[4096];
		snprintf(src, sizeof src, "%s", tu_src(fixtures[k]));
		struct allot_scenario *s = load_ok(src);
		assert_int_equal(s->n_wip, k == 1 ? 4 : 0);
		assert_int_equal(s->orders[0].max_per_month, k == 2 ? 8 : 0);
		assert_int_equal(s->orders[1].max_per_month, 0);
		char *dir = tu_tmpdir();
		char out[4200];
		snprintf(out, sizeof out, "%s/a/b", dir); /* parents are created */
		write_ok(s, out);
		assert_same_dirs(src, out);
		allot_scenario_free(s);
		tu_rmtree(dir);
		free(dir);
	}
}

/* A scenario made in code with values that are easy to lose. */
static struct allot_scenario *awkward(void)
{
	struct allot_scenario *s = tu_scenario("2026-02", 240);
	free(s->notes);
	s->notes = strdup("line one\nline \"two\", \xe2\x82\xac");
	s->switch_month = tu_m("2027-12");
	s->policy.weight[ALLOT_CRIT_GROWTH] = 1.0 / 3;
	s->policy.tier_min[2] = 12.5;
	s->policy.n_tier_thresholds = 3;
	s->policy.economic_ref_usd = 2.5e14;
	free(s->policy.theaters[1].region);
	s->policy.theaters[1].region = strdup("europe \"east\"");
	int a = tu_partner(s, "AAA", "europe-east", 1, 0.1 + 0.2, -1e-7, 123456.789, 2,
			   999999999999999.9, 5e-324);
	int b = tu_partner(s, "BBB", "", 0, 0, 0, 0, 0, 0, 0);
	free(s->partners[a].name);
	s->partners[a].name = strdup(" lead, \"quoted\"\r\nname ");
	s->partners[b].eum_status = ALLOT_EUM_VIOLATION;
	int l = tu_line(s, "L1", 2000.0 / 12, 0.1);
	int y = tu_system(s, "S,1", l, 1.0 / 3, 7, 1);
	tu_order(s, "O1", a, y, 10, 3, "2025-01", NULL, -1);
	tu_order(s, "O2", b, y, 1000000000LL, 0, "2025-02", "2030-12", 7);
	int m = tu_mineral(s, "GA", 0.001);
	tu_mineral(s, "W", 1500.001);
	tu_supply(s, m, "", 0.0005); /* rounds half away from zero: 1 g */
	tu_bom(s, y, m, 12.3456);
	tu_event(s, "2026-05", ALLOT_EV_CAPACITY, "L1", "1e3");
	tu_event(s, "2026-04", ALLOT_EV_EUM_STATUS, "BBB", "compliant");
	tu_investment(s, a, l, 1e9, "2026-03", 2.5, "2026-03");
	tu_embargo(s, "nowhere", -1, "2026-01", NULL);
	return s;
}

static void values_survive_and_the_second_write_is_identical(void **state)
{
	(void)state;
	struct allot_scenario *s = awkward();
	char *d1 = tu_tmpdir(), *d2 = tu_tmpdir();
	write_ok(s, d1);
	struct allot_scenario *t = load_ok(d1);
	write_ok(t, d2);
	assert_same_dirs(d1, d2);

	assert_int_equal(t->as_of, s->as_of);
	assert_int_equal(t->horizon_months, 240);
	assert_int_equal(t->switch_month, tu_m("2027-12"));
	assert_string_equal(t->notes, s->notes);
	assert_int_equal(t->present, s->present);
	assert_true(t->policy.weight[ALLOT_CRIT_GROWTH] == 1.0 / 3);
	assert_true(t->policy.economic_ref_usd == 2.5e14);
	assert_int_equal(t->policy.n_tier_thresholds, 3);
	assert_true(t->policy.tier_min[2] == 12.5);
	assert_int_equal(t->policy.n_theaters, s->policy.n_theaters);
	assert_string_equal(t->policy.theaters[1].region, "europe \"east\"");
	const struct allot_partner *p = &t->partners[0];
	assert_string_equal(p->name, " lead, \"quoted\"\r\nname ");
	assert_true(p->defense_pct_gdp == 0.1 + 0.2);
	assert_true(p->real_growth_3y_pct == -1e-7);
	assert_true(p->us_troops == 123456.789);
	assert_true(p->us_purchases_5y_usd == 999999999999999.9);
	assert_true(p->invest_in_us_usd == 5e-324);
	assert_string_equal(t->partners[1].region, "other"); /* empty region */
	assert_int_equal(t->partners[1].eum_status, ALLOT_EUM_VIOLATION);
	assert_true(t->lines[0].rate_per_month == 2000.0 / 12);
	assert_string_equal(t->systems[0].system_id, "S,1");
	assert_true(t->systems[0].unit_cost_usd == 1.0 / 3);
	assert_int_equal(t->orders[0].need_month, ALLOT_NO_MONTH);
	assert_int_equal(t->orders[0].partner_rank, -1);
	assert_int_equal(t->orders[1].qty, 1000000000LL);
	assert_int_equal(t->orders[1].need_month, tu_m("2030-12"));
	assert_int_equal(t->orders[1].partner_rank, 7);
	assert_int_equal(t->minerals[0].stock_g, 1);
	assert_int_equal(t->minerals[1].stock_g, 1500001);
	assert_int_equal(t->supply[0].g_per_month, 1);
	assert_int_equal(t->bom[0].g_per_unit, 12346);
	assert_string_equal(t->events[0].value, "1e3");
	assert_true(t->events[0].num == 1000);
	assert_int_equal(t->events[1].month, tu_m("2026-04"));
	assert_int_equal(t->investments[0].online_month, tu_m("2026-03"));
	assert_int_equal(t->embargoes[0].mineral, -1);
	assert_int_equal(t->embargoes[0].end_month, ALLOT_NO_MONTH);

	/* The text itself, for the tricky cells. */
	char path[4200];
	snprintf(path, sizeof path, "%s/partners.csv", d1);
	char *text = tu_slurp(path, NULL);
	assert_string_equal(
		strchr(text, '\n') + 1,
		"AAA,\" lead, \"\"quoted\"\"\r\nname \",europe-east,,1,0.30000000000000004,"
		"-1e-07,123456.789,2,999999999999999.9,4.94065645841247e-324,compliant\n"
		"BBB,BBB,other,,0,0,0,0,0,0,0,violation\n");
	free(text);
	snprintf(path, sizeof path, "%s/orders.csv", d1);
	text = tu_slurp(path, NULL);
	assert_string_equal(
		text, "order_id,iso3,system_id,qty,delivered,loa_month,need_month,partner_rank\n"
		      "O1,AAA,\"S,1\",10,3,2025-01,,\n"
		      "O2,BBB,\"S,1\",1000000000,0,2025-02,2030-12,7\n");
	free(text);
	snprintf(path, sizeof path, "%s/scenario.json", d1);
	text = tu_slurp(path, NULL);
	assert_string_equal(text,
			    "{\n  \"as_of\": \"2026-02\",\n  \"horizon_months\": 240,\n"
			    "  \"policy\": \"policy.json\",\n  \"switch_month\": \"2027-12\",\n"
			    "  \"notes\": \"line one\\nline \\\"two\\\", \xe2\x82\xac\"\n}\n");
	free(text);

	allot_scenario_free(s);
	allot_scenario_free(t);
	tu_rmtree(d1);
	tu_rmtree(d2);
	free(d1);
	free(d2);
}

static void writes_leave_no_temporary_or_stale_files(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2026-01", 12);
	free(s->policy_file);
	s->policy_file = strdup("rules.json");
	int p = tu_partner(s, "AAA", "americas", 0, 1, 1, 1, 1, 1, 1);
	int l = tu_line(s, "L", 1, 0);
	int y = tu_system(s, "S", l, 1, 1, 0);
	tu_order(s, "O", p, y, 1, 0, "2025-01", NULL, -1);
	char *dir = tu_tmpdir();
	/* Leftovers from an earlier scenario: the optional ones go. */
	const char *old[] = { "events.csv", "bom.csv", "notes.txt" };
	for (size_t i = 0; i < 3; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, old[i]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs("stale\n", f);
		fclose(f);
	}
	write_ok(s, dir);
	char *names = listing(dir);
	assert_string_equal(names, "lines.csv notes.txt orders.csv partners.csv rules.json "
				   "scenario.json systems.csv");
	free(names);
	struct allot_scenario *t = load_ok(dir);
	assert_string_equal(t->policy_file, "rules.json");
	assert_int_equal(t->present, 0);
	assert_int_equal(t->n_events, 0);
	/* The present bit alone writes an optional file with just its header. */
	t->present |= 1u << ALLOT_FILE_EVENTS;
	write_ok(t, dir);
	char path[4200];
	snprintf(path, sizeof path, "%s/events.csv", dir);
	char *text = tu_slurp(path, NULL);
	assert_string_equal(text, "month,type,target,value\n");
	free(text);
	allot_scenario_free(s);
	allot_scenario_free(t);
	tu_rmtree(dir);
	free(dir);
}

static void write_errors_are_reported(void **state)
{
	(void)state;
	struct allot_scenario *s = tu_scenario("2026-01", 12);
	char *dir = tu_tmpdir();
	char file[4200], target[4300];
	snprintf(file, sizeof file, "%s/plain", dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(target, sizeof target, "%s/sub", file); /* under a regular file */
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_scenario_write(s, target, &d), ALLOT_EIO);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].file, target);
	assert_string_equal(d.v[0].msg, "cannot create the directory: Not a directory");
	allot_diags_free(&d);
	allot_scenario_free(s);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_directory_is_a_fixed_point),
		cmocka_unit_test(values_survive_and_the_second_write_is_identical),
		cmocka_unit_test(writes_leave_no_temporary_or_stale_files),
		cmocka_unit_test(write_errors_are_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
