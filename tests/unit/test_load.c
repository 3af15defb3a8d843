/*
 * test_load.c - loading scenario directories: the values of a valid one, the
 * exact diagnostics for each class of bad input, and the CSV reader's
 * positions and syntax errors.
 *
 * Bad scenarios are mostly made here from tests/data/scenarios/tiny with one
 * file replaced (variant()), so each case shows its input next to the
 * expected messages; tests/data/scenarios/bad-* hold the ones kept as files.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <allot/allot.h>
#include "io/csvread.h"
#include "util/mem.h"
#include "testutil.h"

static const char *tiny(void)
{
	return tu_src("tests/data/scenarios/tiny");
}

static void write_text(const char *dir, const char *name, const char *text, size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void copy_dir(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", src, e->d_name);
		size_t len;
		char *text = tu_slurp(path, &len);
		assert_non_null(text);
		write_text(dst, e->d_name, text, len);
		free(text);
	}
	closedir(d);
}

/* A copy of tiny/ with `name` replaced by text (NULL: removed). */
static char *variant(const char *name, const char *text)
{
	char *dir = tu_tmpdir();
	copy_dir(tiny(), dir);
	if (text) {
		write_text(dir, name, text, strlen(text));
	} else {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		assert_int_equal(unlink(path), 0);
	}
	return dir;
}

/* The diagnostics as printed, with "dir/" cut from file names. */
static char *diag_text(const struct allot_diags *d, const char *dir)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	size_t dl = strlen(dir);
	for (size_t i = 0; i < d->n; i++) {
		const struct allot_diag *g = &d->v[i];
		const char *file = g->file;
		if (strncmp(file, dir, dl) == 0 && file[dl] == '/')
			file += dl + 1;
		if (g->col > 0)
			fprintf(f, "%s:%ld:%ld: %s\n", file, g->line, g->col, g->msg);
		else if (g->line > 0)
			fprintf(f, "%s:%ld: %s\n", file, g->line, g->msg);
		else
			fprintf(f, "%s: %s\n", file, g->msg);
	}
	fclose(f);
	return text;
}

/* Loads dir, expects status rc with exactly the diagnostics `want` and *out
 * untouched. */
static void expect_fail(const char *dir, int rc, const char *want)
{
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario sentinel;
	struct allot_scenario *out = &sentinel;
	assert_int_equal(allot_scenario_load(dir, &out, &d), rc);
	assert_ptr_equal(out, &sentinel);
	char *got = diag_text(&d, dir);
	assert_string_equal(got, want);
	free(got);
	allot_diags_free(&d);
}

static void expect_variant_fails(const char *name, const char *text, const char *want)
{
	char *dir = variant(name, text);
	expect_fail(dir, ALLOT_EINPUT, want);
	tu_rmtree(dir);
	free(dir);
}

/* A directory that cannot be searched: one message, not one a file.  As
 * root the check runs in a child that drops to uid 65534 (nobody). */
static void unreadable_directory_gives_one_error(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	copy_dir(tiny(), dir);
	assert_int_equal(chmod(dir, 0), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && setuid(65534) != 0)
			_exit(3);
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_scenario *s = NULL;
		int rc = allot_scenario_load(dir, &s, &d);
		char want[4200];
		snprintf(want, sizeof want,
			 "%s: cannot read the scenario directory: "
			 "Permission denied\n",
			 dir);
		char *got = diag_text(&d, dir);
		int ok = rc == ALLOT_EIO && s == NULL && strcmp(got, want) == 0;
		if (!ok)
			fprintf(stderr, "got status %d and:\n%s", rc, got);
		_exit(ok ? 0 : 1);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(chmod(dir, 0700), 0);
	tu_rmtree(dir);
	free(dir);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* lines.csv rate_basis (issue 15): optional; cited / estimate / empty are
 * read and written back, a scenario without it writes no column, and any
 * other word is reported at its cell. */
static void line_rate_basis(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(
		allot_scenario_load(tu_src("tests/data/scenarios/two-tiers-estimated"), &s, &d),
		ALLOT_OK);
	assert_int_equal(s->lines[0].rate_basis, ALLOT_RATE_ESTIMATE);
	assert_string_equal(allot_rate_mark(s, 0), " (estimated line rate)");
	/* the partners' figure years: a year, or none (no figure) */
	assert_int_equal(s->partners[0].defense_year, 2014);
	assert_int_equal(s->partners[0].growth_year, 2024);
	assert_int_equal(s->partners[1].defense_year, ALLOT_NO_FIGURE);
	assert_int_equal(s->partners[1].growth_year, ALLOT_NO_FIGURE);
	char *dir = tu_tmpdir();
	assert_int_equal(allot_scenario_write(s, dir, &d), ALLOT_OK);
	char path[4096];
	snprintf(path, sizeof path, "%s/lines.csv", dir);
	size_t n;
	char *text = tu_slurp(path, &n);
	assert_string_equal(text, "line_id,name,rate_per_month,us_share,rate_basis\n"
				  "L,Shared line,10,0,estimate\n");
	free(text);
	snprintf(path, sizeof path, "%s/partners.csv", dir);
	text = tu_slurp(path, &n);
	assert_non_null(strstr(text, ",eum_status,defense_pct_gdp_year,real_growth_3y_year\n"));
	assert_non_null(strstr(text, ",compliant,2014,2024\n"));
	assert_non_null(strstr(text, ",compliant,none,none\n"));
	free(text);
	snprintf(path, sizeof path, "%s/lines.csv", dir);
	allot_scenario_free(s);
	s = NULL;
	/* without the column: unstated, nothing marked, no column written */
	assert_int_equal(allot_scenario_load(tu_src("tests/data/scenarios/two-tiers"), &s, &d),
			 ALLOT_OK);
	assert_int_equal(s->lines[0].rate_basis, ALLOT_RATE_UNSTATED);
	assert_string_equal(allot_rate_mark(s, 0), "");
	assert_int_equal(allot_scenario_write(s, dir, &d), ALLOT_OK);
	text = tu_slurp(path, &n);
	assert_string_equal(text, "line_id,name,rate_per_month,us_share\nL,Shared line,10,0\n");
	free(text);
	allot_scenario_free(s);
	tu_rmtree(dir);
	free(dir);
	assert_int_equal(allot_diags_count(&d), 0);
	allot_diags_free(&d);
}

/* ---- the valid scenario -------------------------------------------------- */

static void tiny_loads_with_every_value(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tiny(), &s, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(s->name, "tiny");
	assert_int_equal(s->as_of, tu_m("2026-01"));
	assert_int_equal(s->horizon_months, 36);
	assert_int_equal(s->switch_month, tu_m("2026-07"));
	assert_string_equal(s->policy_file, "policy.json");
	assert_string_equal(s->notes, "A tiny scenario for tests: \"quoted\" text, \xc3\xbc"
				      "n\xc3\xaf"
				      "code.");
	assert_int_equal(s->present, 0x3f);

	assert_int_equal(s->n_partners, 4);
	const struct allot_partner *p = &s->partners[1];
	assert_string_equal(p->iso3, "JPN");
	assert_string_equal(p->name, "Japan");
	assert_string_equal(p->region, "indo-pacific");
	assert_string_equal(p->alliance, "treaty");
	assert_int_equal(p->frontline, 1);
	assert_true(p->defense_pct_gdp == 1.6);
	assert_true(p->real_growth_3y_pct == -0.75);
	assert_true(p->us_troops == 53700);
	assert_int_equal(p->basing_access, 3);
	assert_true(p->us_purchases_5y_usd == 25e9);
	assert_true(p->invest_in_us_usd == 2e9);
	assert_int_equal(s->partners[2].eum_status, ALLOT_EUM_DELINQUENT);
	assert_int_equal(s->partners[3].eum_status, ALLOT_EUM_VIOLATION);
	assert_string_equal(s->partners[3].name, "Brazil, Federative Republic");
	assert_string_equal(s->partners[3].alliance, "");

	assert_int_equal(s->n_lines, 2);
	assert_true(s->lines[1].rate_per_month == 333.33);
	assert_true(s->lines[1].us_share == 0.25);
	assert_int_equal(s->n_systems, 2);
	assert_int_equal(s->systems[1].line, 1);
	assert_int_equal(s->systems[0].lead_months, 24);
	assert_int_equal(s->systems[0].eeum, 1);
	assert_int_equal(s->systems[1].eeum, 0);
	assert_int_equal(s->systems[1].catalog, 1);
	assert_string_equal(s->systems[0].foreign_alternative, "SAMP/T");
	assert_string_equal(s->systems[1].foreign_alternative, "");

	assert_int_equal(s->n_orders, 4);
	const struct allot_order *o = &s->orders[2];
	assert_string_equal(o->order_id, "SAU-1");
	assert_int_equal(o->partner, 2);
	assert_int_equal(o->system, 1);
	assert_int_equal(o->qty, 600);
	assert_int_equal(o->delivered, 100);
	assert_int_equal(o->loa_month, tu_m("2022-11"));
	assert_int_equal(o->need_month, tu_m("2026-06"));
	assert_int_equal(o->partner_rank, 2);
	assert_int_equal(s->orders[1].need_month, ALLOT_NO_MONTH);
	assert_int_equal(s->orders[1].partner_rank, -1);

	assert_int_equal(s->n_minerals, 2);
	assert_int_equal(s->minerals[0].stock_g, 1250500);
	assert_true(s->minerals[1].price_usd_per_kg == 45.25);
	assert_int_equal(s->n_supply, 2);
	assert_int_equal(s->supply[0].g_per_month, 12345);
	assert_string_equal(s->supply[1].source, "allied");
	assert_int_equal(s->n_bom, 2);
	assert_int_equal(s->bom[0].g_per_unit, 125);
	assert_int_equal(s->bom[1].system, 1);
	assert_int_equal(s->bom[1].mineral, 1);

	/* Events keep file order (not sorted by month) and are resolved. */
	assert_int_equal(s->n_events, 5);
	assert_int_equal(s->events[0].type, ALLOT_EV_CAPACITY);
	assert_int_equal(s->events[0].index, 0);
	assert_true(s->events[0].num == 65);
	assert_int_equal(s->events[1].month, tu_m("2026-03"));
	assert_int_equal(s->events[1].index, 1);
	assert_true(s->events[1].num == 0.3);
	assert_int_equal(s->events[2].index, 2);
	assert_true(s->events[2].num == 1.5e9);
	assert_int_equal(s->events[3].type, ALLOT_EV_EUM_STATUS);
	assert_int_equal(s->events[3].eum, ALLOT_EUM_COMPLIANT);
	assert_int_equal(s->events[4].index, ALLOT_CRIT_GROWTH);
	assert_string_equal(s->events[4].value, "0.2");

	assert_int_equal(s->n_investments, 1);
	assert_int_equal(s->investments[0].partner, 1);
	assert_int_equal(s->investments[0].online_month, tu_m("2028-01"));
	assert_true(s->investments[0].added_rate == 5);
	assert_int_equal(s->n_embargoes, 2);
	assert_int_equal(s->embargoes[0].mineral, 0);
	assert_int_equal(s->embargoes[0].end_month, ALLOT_NO_MONTH);
	assert_int_equal(s->embargoes[1].mineral, -1);
	assert_int_equal(s->embargoes[1].end_month, tu_m("2027-12"));

	assert_int_equal(s->policy.n_theaters, 5);
	assert_string_equal(s->policy.theaters[3].region, "americas");
	assert_true(s->policy.theaters[3].weight == 0.3);
	assert_int_equal(s->policy.n_tier_thresholds, 2);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

/* BOM, CRLF, any column order, quoted fields with line breaks, and absent
 * optional files and columns. */
static void messy_but_valid_csv_is_accepted(void **state)
{
	(void)state;
	char *dir = variant("orders.csv", "\xEF\xBB\xBFqty,order_id,loa_month,iso3,system_id\r\n"
					  "48,POL-1,2023-09,POL,PAC3-MSE\r\n"
					  "\r\n"
					  "30,\"JPN\n1\",2024-02,JPN,PAC3-MSE\r\n");
	write_text(dir, "lines.csv", "line_id,rate_per_month\nPAC3,50\nGMLRS,1e2\n", 41);
	char path[4096];
	const char *gone[] = { "minerals.csv",    "supply.csv",    "bom.csv",    "events.csv",
			       "investments.csv", "embargoes.csv", "policy.json" };
	for (size_t i = 0; i < sizeof gone / sizeof *gone; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, gone[i]);
		assert_int_equal(unlink(path), 0);
	}
	write_text(dir, "scenario.json", "{\"as_of\": \"2026-01\"}", 20);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), 0);
	assert_int_equal(s->horizon_months, 180);
	assert_int_equal(s->switch_month, ALLOT_NO_MONTH);
	assert_string_equal(s->notes, "");
	assert_int_equal(s->present, 0);
	assert_int_equal(s->policy.n_theaters, 8); /* the default policy */
	assert_int_equal(s->n_orders, 2);
	assert_string_equal(s->orders[1].order_id, "JPN\n1");
	assert_int_equal(s->orders[1].qty, 30);
	assert_int_equal(s->orders[1].delivered, 0);
	assert_int_equal(s->orders[1].partner_rank, -1);
	assert_string_equal(s->lines[0].name, "");
	assert_true(s->lines[1].rate_per_month == 100);
	assert_true(s->lines[1].us_share == 0);
	allot_scenario_free(s);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

/* ---- bad input: one class at a time ------------------------------------- */

static void orders_errors_all_reported_in_one_run(void **state)
{
	(void)state;
	expect_variant_fails(
		"orders.csv",
		"order_id,iso3,system_id,qty,delivered,loa_month,need_month,partner_rank\n"
		"A-1,POL,PAC3-MSE,-3,0,2026-13,,\n"
		"A-2,XYZ,NOPE,5,7,2026-01,,0\n"
		"A-1,JPN,PAC3-MSE,1,0,2026-01,2026-1,\n",
		"orders.csv:2:18: expected an integer from 1 to 1000000000 in qty, found \"-3\"\n"
		"orders.csv:2:23: expected a month YYYY-MM in loa_month, found \"2026-13\"\n"
		"orders.csv:3:5: unknown partner \"XYZ\" in iso3 (not in partners.csv)\n"
		"orders.csv:3:9: unknown system \"NOPE\" in system_id (not in systems.csv)\n"
		"orders.csv:3:16: expected an integer from 0 to qty (5) in delivered, found \"7\"\n"
		"orders.csv:3:27: expected an integer from 1 to 1000000000 in partner_rank, found \"0\"\n"
		"orders.csv:4:30: expected a month YYYY-MM in need_month, found \"2026-1\"\n"
		"orders.csv:4:1: duplicate order_id \"A-1\" (first on line 2)\n");
}

/* An orders.csv of n orders O-0000, O-0001, ... (months 2025-01 to
 * 2025-12 in turn when months, else all 2025-01). */
static char *numbered_orders(int n, int months)
{
	size_t cap = 64 * ((size_t)n + 2), len = 0;
	char *csv = malloc(cap);
	assert_non_null(csv);
	len += (size_t)snprintf(csv + len, cap - len,
				"order_id,iso3,system_id,qty,delivered,"
				"loa_month,need_month,partner_rank\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(csv + len, cap - len,
					"O-%04d,POL,PAC3-MSE,1,0,2025-%02d,,\n", i,
					months ? 1 + i % 12 : 1);
	return csv;
}

/* 3,000 orders: past the first 1,024 rows the loader sizes its order
 * array for the rest of the file, and keeps the ids in one block
 * (load.c, order_reserve); a duplicate far past that point is still
 * reported where it is, the good file loads every id. */
static void many_orders_after_the_estimate(void **state)
{
	(void)state;
	enum { N = 3000 };
	char *csv = numbered_orders(N, 1);
	char *dir = variant("orders.csv", csv);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_OK);
	assert_int_equal(s->n_orders, N);
	assert_non_null(s->id_block);
	for (int i = 0; i < N; i++) {
		char want[16];
		snprintf(want, sizeof want, "O-%04d", i);
		assert_string_equal(s->orders[i].order_id, want);
		assert_int_equal(allot_scenario_find_order(s, want), i);
	}
	allot_scenario_free(s);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);

	/* order 2600 takes the id of order 5 */
	memcpy(strstr(csv, "O-2600,"), "O-0005,", 7);
	expect_variant_fails(
		"orders.csv", csv,
		"orders.csv:2602:1: duplicate order_id \"O-0005\" (first on line 7)\n");
	free(csv);
}

/* The order map is made after orders.csv is read (load.c, index_orders:
 * ids hashed INDEX_AHEAD = 16 orders ahead of their insert), and a
 * duplicate sends the file to a second, exact reading.  wip.csv finds its
 * orders through that map, at indices on both sides of the look-ahead and
 * at the file's end; duplicates 1, 16 and 17 rows apart and at the last
 * row are reported as a single reading reports them: at their row, in
 * order among the other messages, each message once, the limit counted
 * once. */
static void orders_map_made_after_reading(void **state)
{
	(void)state;
	enum { N = 3000 };
	static const int at[] = { 0, 1, 15, 16, 17, 31, 32, 1500, 2983, 2984, 2998, 2999 };
	enum { NAT = sizeof at / sizeof *at };
	char *csv = numbered_orders(N, 0);
	char *dir = variant("orders.csv", csv);
	char wip[64 * NAT] = "order_id,month,units\n";
	for (int k = 0; k < NAT; k++)
		snprintf(wip + strlen(wip), sizeof wip - strlen(wip), "O-%04d,2026-01,1\n", at[k]);
	write_text(dir, "wip.csv", wip, strlen(wip));
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_OK);
	assert_int_equal(s->n_orders, N);
	assert_int_equal(s->n_wip, NAT);
	for (int k = 0; k < NAT; k++)
		assert_int_equal(s->wip[k].order, at[k]);
	allot_scenario_free(s);
	allot_diags_free(&d);
	/* the same ids in decreasing order: the map is made after the reading */
	char *rev = numbered_orders(0, 0);
	size_t rl = strlen(rev);
	rev = realloc(rev, 64 * ((size_t)N + 2));
	assert_non_null(rev);
	for (int i = N - 1; i >= 0; i--)
		rl += (size_t)sprintf(rev + rl, "O-%04d,POL,PAC3-MSE,1,0,2025-01,,\n", i);
	write_text(dir, "orders.csv", rev, rl);
	free(rev);
	allot_diags_init(&d);
	s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_OK);
	assert_int_equal(s->n_orders, N);
	for (int k = 0; k < NAT; k++)
		assert_int_equal(s->wip[k].order, N - 1 - at[k]);
	allot_scenario_free(s);
	allot_diags_free(&d);
	/* an id not in the file is still unknown */
	strcat(wip, "O-3000,2026-01,1\n");
	write_text(dir, "wip.csv", wip, strlen(wip));
	expect_fail(dir, ALLOT_EINPUT,
		    "wip.csv:14:1: unknown order \"O-3000\" in order_id (not in orders.csv)\n");
	tu_rmtree(dir);
	free(dir);

	/* duplicates: the copy's row (line = row + 2), the first's line */
	static const struct {
		int row, of;
	} dup[] = { { 1, 0 }, { 16, 0 }, { 17, 0 }, { 33, 16 }, { N - 1, 0 }, { N - 1, N - 2 } };
	for (size_t k = 0; k < sizeof dup / sizeof *dup; k++) {
		char *text = strdup(csv), from[8], to[8], want[128];
		snprintf(from, sizeof from, "O-%04d", dup[k].row);
		snprintf(to, sizeof to, "O-%04d", dup[k].of);
		memcpy(strstr(text, from), to, 6);
		snprintf(want, sizeof want,
			 "orders.csv:%d:1: duplicate order_id \"%s\" (first on line %d)\n",
			 dup[k].row + 2, to, dup[k].of + 2);
		expect_variant_fails("orders.csv", text, want);
		free(text);
	}
	free(csv);

	/* messages before and after a duplicate keep their order */
	const char *bad = "order_id,iso3,system_id,qty,delivered,loa_month,need_month,"
			  "partner_rank\n"
			  "O-1,POL,PAC3-MSE,0,0,2025-01,,\n"
			  "O-2,POL,PAC3-MSE,1,0,2025-01,,\n"
			  "O-1,POL,PAC3-MSE,1,0,2025-01,,\n"
			  "O-3,XXX,PAC3-MSE,1,0,2025-01,,\n"
			  "O-2,POL,PAC3-MSE,1,0,2025-13,,\n";
	const char *want =
		"orders.csv:2:18: expected an integer from 1 to 1000000000 in qty, found \"0\"\n"
		"orders.csv:4:1: duplicate order_id \"O-1\" (first on line 2)\n"
		"orders.csv:5:5: unknown partner \"XXX\" in iso3 (not in partners.csv)\n"
		"orders.csv:6:22: expected a month YYYY-MM in loa_month, found \"2025-13\"\n"
		"orders.csv:6:1: duplicate order_id \"O-2\" (first on line 3)\n";
	expect_variant_fails("orders.csv", bad, want);
	/* past the limit: the first two kept, the five counted once */
	dir = variant("orders.csv", bad);
	allot_diags_init(&d);
	d.limit = 2;
	s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_EINPUT);
	assert_null(s);
	assert_int_equal(d.n, 2);
	assert_int_equal(allot_diags_count(&d), 5);
	assert_string_equal(d.v[1].msg, "duplicate order_id \"O-1\" (first on line 2)");
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

/* orders.csv's partner and system references go through a small cache
 * keyed by the field's bytes (at most 8) and length (load.c, ref_cached):
 * a key that shares a cached key's first bytes, or is one byte longer or
 * shorter, is still looked up and refused; good ones, repeated, keep
 * their rows.  HDS and PAC3-CRV land in the cache slots of POL and
 * PAC3-MSE (worked out from ref_cached's hash with REFC_BITS 10): a cache
 * that compared slots and not keys would take them for those. */
static void order_references_cached(void **state)
{
	(void)state;
	const char *good = "order_id,iso3,system_id,qty,delivered,loa_month,need_month,"
			   "partner_rank\n"
			   "A,POL,PAC3-MSE,1,0,2025-01,,\n"
			   "B,JPN,GMLRS-U,1,0,2025-01,,\n"
			   "C,POL,GMLRS-U,1,0,2025-01,,\n"
			   "D,SAU,PAC3-MSE,1,0,2025-01,,\n"
			   "E,JPN,PAC3-MSE,1,0,2025-01,,\n";
	char *dir = variant("orders.csv", good);
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_OK);
	static const char *const want[][2] = {
		{ "POL", "PAC3-MSE" }, { "JPN", "GMLRS-U" },  { "POL", "GMLRS-U" },
		{ "SAU", "PAC3-MSE" }, { "JPN", "PAC3-MSE" },
	};
	assert_int_equal(s->n_orders, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(s->partners[s->orders[i].partner].iso3, want[i][0]);
		assert_string_equal(s->systems[s->orders[i].system].system_id, want[i][1]);
	}
	allot_scenario_free(s);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
	expect_variant_fails(
		"orders.csv",
		"order_id,iso3,system_id,qty,delivered,loa_month,need_month,partner_rank\n"
		"A,POL,PAC3-MSE,1,0,2025-01,,\n"
		"B,PO,PAC3-MS,1,0,2025-01,,\n"
		"C,POLA,PAC3-MSE2,1,0,2025-01,,\n"
		"D,pol,PAC3-MSF,1,0,2025-01,,\n"
		"E,POL,PAC3-MSE,1,0,2025-01,,\n"
		"F,HDS,PAC3-CRV,1,0,2025-01,,\n",
		"orders.csv:3:3: unknown partner \"PO\" in iso3 (not in partners.csv)\n"
		"orders.csv:3:6: unknown system \"PAC3-MS\" in system_id (not in systems.csv)\n"
		"orders.csv:4:3: unknown partner \"POLA\" in iso3 (not in partners.csv)\n"
		"orders.csv:4:8: unknown system \"PAC3-MSE2\" in system_id (not in systems.csv)\n"
		"orders.csv:5:3: unknown partner \"pol\" in iso3 (not in partners.csv)\n"
		"orders.csv:5:7: unknown system \"PAC3-MSF\" in system_id (not in systems.csv)\n"
		"orders.csv:7:3: unknown partner \"HDS\" in iso3 (not in partners.csv)\n"
		"orders.csv:7:7: unknown system \"PAC3-CRV\" in system_id (not in systems.csv)\n");
}

/* wip.csv and the supply column (docs/scenario-format.md): tiny/ has
 * as_of 2026-01, POL-1 on PAC3-MSE (lead 24, 36 units open), SAU-1 on
 * GMLRS-U (lead 18, 500 open). */
static void wip_and_supply_errors(void **state)
{
	(void)state;
	expect_variant_fails(
		"wip.csv",
		"order_id,month,units\n"
		"POL-1,2025-12,1\n"
		"POL-1,2028-01,1\n"
		"SAU-1,2027-07,1\n"
		"NOPE,2026-01,1\n"
		"POL-1,2026-02,0\n"
		"POL-1,2026-03,30\n"
		"POL-1,2026-03,1\n"
		"POL-1,2026-04,7\n",
		"wip.csv:2:7: expected a delivery month from 2026-01 to 2027-12 (as_of to "
		"as_of + lead_months - 1) in month, found \"2025-12\"\n"
		"wip.csv:3:7: expected a delivery month from 2026-01 to 2027-12 (as_of to "
		"as_of + lead_months - 1) in month, found \"2028-01\"\n"
		"wip.csv:4:7: expected a delivery month from 2026-01 to 2027-06 (as_of to "
		"as_of + lead_months - 1) in month, found \"2027-07\"\n"
		"wip.csv:5:1: unknown order \"NOPE\" in order_id (not in orders.csv)\n"
		"wip.csv:6:15: expected an integer from 1 to 1000000000 in units, found \"0\"\n"
		"wip.csv:8:1: duplicate wip row for order \"POL-1\" and month 2026-03 "
		"(first on line 7)\n"
		"wip.csv:9:15: expected the wip units of order \"POL-1\" to total at most "
		"qty - delivered (36), found 7 more after 30\n");
	expect_variant_fails(
		"orders.csv",
		"order_id,iso3,system_id,qty,delivered,loa_month,need_month,partner_rank,supply\n"
		"A-1,POL,PAC3-MSE,3,0,2026-01,,,lease\n"
		"A-2,POL,PAC3-MSE,3,0,2026-01,,,second-hand\n",
		"orders.csv:3:32: expected a supply type (new, used, lease or licence) in "
		"supply, found \"second-hand\"\n");
}

static void the_bad_orders_fixture_gives_three_errors(void **state)
{
	(void)state;
	const char *dir = tu_src("tests/data/scenarios/bad-orders");
	expect_fail(
		dir, ALLOT_EINPUT,
		"orders.csv:3:20: expected an integer from 1 to 1000000000 in qty, found \"0\"\n"
		"orders.csv:4:19: expected an integer from 1 to 1000000000 in qty, found \"2.5\"\n"
		"orders.csv:5:24: expected a month YYYY-MM in loa_month, found \"2026-13\"\n");
}

static void partner_values(void **state)
{
	(void)state;
	expect_variant_fails(
		"partners.csv",
		"iso3,name,region,alliance,frontline,defense_pct_gdp,real_growth_3y_pct,"
		"us_troops,basing_access,us_purchases_5y_usd,invest_in_us_usd,eum_status\n"
		"POL,Poland,europe-east,nato,yes,4.1x,3.5,10000,4,0,0,bad\n"
		"JPN,Japan,indo-pacific,treaty,1,nan,-1,0x10, 1,inf,-0.5,\n"
		"SAU,Saudi Arabia,,,0,1,2,3,2,4,5,compliant\n"
		"bra,Brazil,americas,,0,0,0,0,0,0,0,\n"
		"BRA,Brazil,americas,,0,0,0,0,0,0,0,\n",
		"partners.csv:2:29: expected a boolean (1, 0, true or false) in frontline, found \"yes\"\n"
		"partners.csv:2:33: expected a number from 0 to 100 in defense_pct_gdp, found \"4.1x\"\n"
		"partners.csv:2:48: expected an integer from 0 to 3 in basing_access, found \"4\"\n"
		"partners.csv:2:54: expected an end-use status (compliant, delinquent or violation) "
		"in eum_status, found \"bad\"\n"
		"partners.csv:3:33: expected a number from 0 to 100 in defense_pct_gdp, found \"nan\"\n"
		"partners.csv:3:40: expected a number from 0 to 100000000 in us_troops, found \"0x10\"\n"
		"partners.csv:3:45: expected an integer from 0 to 3 in basing_access, found \" 1\"\n"
		"partners.csv:3:48: expected a number from 0 to 1e+15 in us_purchases_5y_usd, found \"inf\"\n"
		"partners.csv:3:52: expected a number from 0 to 1e+15 in invest_in_us_usd, found \"-0.5\"\n"
		"partners.csv:5:1: expected a 3-letter upper-case ISO code in iso3, found \"bra\"\n");
}

/* invest_in_us_usd (issue 15): an empty cell or `unknown` loads as unknown
 * (NaN, never 0), is written back `unknown`, and scores as 0, the
 * documented default; any other word is still refused at its cell. */
static void partner_invest_unknown(void **state)
{
	(void)state;
	char *dir =
		variant("partners.csv",
			"iso3,name,region,alliance,frontline,defense_pct_gdp,real_growth_3y_pct,"
			"us_troops,basing_access,us_purchases_5y_usd,invest_in_us_usd,eum_status\n"
			"POL,Poland,europe-east,nato,1,4.12,3.5,10000,3,12000000000,,compliant\n"
			"JPN,Japan,indo-pacific,treaty,1,1.6,-0.75,53700,3,25000000000,unknown,\n"
			"SAU,Saudi Arabia,middle-east,none,0,7.1,2.25,2700,2,3e10,5e8,\n"
			"BRA,Brazil,americas,,0,1.1,0,0,0,0,0,violation\n");
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_OK);
	assert_true(isnan(s->partners[0].invest_in_us_usd));
	assert_true(isnan(s->partners[1].invest_in_us_usd));
	assert_true(s->partners[2].invest_in_us_usd == 5e8);
	assert_true(s->partners[3].invest_in_us_usd == 0);
	/* scored as 0: the same score as a stated 0, and an investment adds
	 * to the 0 rather than to NaN */
	struct allot_score unk, zero, more, plus;
	struct allot_partner p0 = s->partners[0];
	allot_score_partner(&s->policy, &p0, p0.invest_in_us_usd, p0.eum_status, &unk);
	allot_score_partner(&s->policy, &p0, 0, p0.eum_status, &zero);
	assert_memory_equal(&unk, &zero, sizeof unk);
	allot_score_partner(&s->policy, &p0, 1e10, p0.eum_status, &more);
	allot_score_partner(&s->policy, &p0, allot_invest_known_or_0(p0.invest_in_us_usd) + 1e10,
			    p0.eum_status, &plus);
	assert_true(more.score > zero.score);
	assert_memory_equal(&plus, &more, sizeof plus);
	char *out = tu_tmpdir();
	assert_int_equal(allot_scenario_write(s, out, &d), ALLOT_OK);
	char path[4096];
	snprintf(path, sizeof path, "%s/partners.csv", out);
	char *text = tu_slurp(path, NULL);
	assert_non_null(strstr(text, "\nPOL,Poland,europe-east,nato,1,4.12,3.5,10000,3,"
				     "12000000000,unknown,compliant\n"));
	assert_non_null(strstr(text, ",25000000000,unknown,compliant\n"));
	assert_non_null(strstr(text, ",30000000000,500000000,compliant\n"));
	free(text);
	tu_rmtree(out);
	free(out);
	allot_scenario_free(s);
	assert_int_equal(allot_diags_count(&d), 0);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
	/* a bad value is still refused, with its file, line and column */
	expect_variant_fails(
		"partners.csv",
		"iso3,name,region,alliance,frontline,defense_pct_gdp,real_growth_3y_pct,"
		"us_troops,basing_access,us_purchases_5y_usd,invest_in_us_usd,eum_status\n"
		"POL,Poland,europe-east,nato,1,4.12,3.5,10000,3,12000000000,n/a,compliant\n"
		"JPN,Japan,indo-pacific,treaty,1,1.6,-0.75,53700,3,25000000000,0,\n"
		"SAU,Saudi Arabia,middle-east,none,0,7.1,2.25,2700,2,3e10,-1,\n"
		"BRA,Brazil,americas,,0,1.1,0,0,0,0,0,violation\n",
		"partners.csv:2:60: expected a number from 0 to 1e+15 in invest_in_us_usd, "
		"found \"n/a\"\n"
		"partners.csv:4:58: expected a number from 0 to 1e+15 in invest_in_us_usd, "
		"found \"-1\"\n");
}

static void header_problems(void **state)
{
	(void)state;
	expect_variant_fails(
		"orders.csv",
		"order_id,iso3,system_id,colour,delivered,loa_month,iso3\n"
		"A-1,POL,PAC3-MSE,red,0,2026-01,POL\n",
		"orders.csv:1:25: unknown column \"colour\"; expected one of "
		"order_id,iso3,system_id,qty,delivered,loa_month,need_month,partner_rank,supply,"
		"max_per_month,not_before,loa_basis\n"
		"orders.csv:1:52: duplicate column \"iso3\" (first at column 10)\n"
		"orders.csv:1: missing required column \"qty\"\n");
}

/* Rows with the wrong field count are skipped, so references into that
 * file are not checked (PAC3 and GMLRS are used by systems.csv). */
static void ragged_rows(void **state)
{
	(void)state;
	expect_variant_fails("lines.csv",
			     "line_id,name,rate_per_month,us_share\n"
			     "PAC3,PAC-3,50\n"
			     "GMLRS,GMLRS,333,0.25,extra\n",
			     "lines.csv:2: expected 4 fields (as in the header), found 3\n"
			     "lines.csv:3:22: expected 4 fields (as in the header), found 5\n");
}

static void references_between_files(void **state)
{
	(void)state;
	expect_variant_fails(
		"systems.csv",
		"system_id,name,line_id,unit_cost_usd,lead_months,eeum,catalog,foreign_alternative\n"
		"PAC3-MSE,Patriot,PAC3,4100000,24,1,1,\n"
		"GMLRS-U,GMLRS unitary,NOLINE,1,-1,2,0,\n"
		"PAC3-MSE,again,PAC3,1,1,1,1,\n",
		"systems.csv:3:23: unknown line \"NOLINE\" in line_id (not in lines.csv)\n"
		"systems.csv:3:32: expected an integer from 0 to 1200 in lead_months, found \"-1\"\n"
		"systems.csv:3:35: expected a boolean (1, 0, true or false) in eeum, found \"2\"\n"
		"systems.csv:4:1: duplicate system_id \"PAC3-MSE\" (first on line 2)\n");
	expect_variant_fails(
		"bom.csv",
		"system_id,mineral_id,kg_per_unit\n"
		"PAC3-MSE,GA,0.125\n"
		"GMLRS-U,XX,2.5\n"
		"PAC3-MSE,GA,1\n",
		"bom.csv:3:9: unknown mineral \"XX\" in mineral_id (not in minerals.csv)\n"
		"bom.csv:4:1: duplicate bom row for system \"PAC3-MSE\" and mineral \"GA\" "
		"(first on line 2)\n");
}

static void event_problems(void **state)
{
	(void)state;
	expect_variant_fails(
		"events.csv",
		"month,type,target,value\n"
		"2026-06,capacity,NOLINE,65\n"
		"2026-06,explode,PAC3,1\n"
		"2026-09,weight,luck,0.2\n"
		"2026-03,us_share,GMLRS,1.5\n"
		"2027-01,eum_status,SAU,fine\n"
		"2027-01,budget_cap,XYZ,-1\n",
		"events.csv:2:18: unknown line \"NOLINE\" in target (not in lines.csv)\n"
		"events.csv:3:9: expected an event type (capacity, us_share, budget_cap, "
		"eum_status, weight, catalog, eeum or min_tier) in type, found \"explode\"\n"
		"events.csv:4:16: expected a criterion (investment, growth, geography, "
		"operations or economic) in target, found \"luck\"\n"
		"events.csv:5:24: expected a number from 0 to 1 in value, found \"1.5\"\n"
		"events.csv:6:24: expected an end-use status (compliant, delinquent or "
		"violation) in value, found \"fine\"\n"
		"events.csv:7:20: unknown partner \"XYZ\" in target (not in partners.csv)\n"
		"events.csv:7:24: expected a number from 0 to 1e+15 in value, found \"-1\"\n");
}

static void investment_and_embargo_months(void **state)
{
	(void)state;
	expect_variant_fails(
		"investments.csv",
		"iso3,line_id,usd,month,added_rate,online_month\n"
		"JPN,PAC3,1,2026-04,5,2026-03\n",
		"investments.csv:2:22: expected a month >= month (2026-04) in online_month, "
		"found \"2026-03\"\n");
	expect_variant_fails(
		"embargoes.csv",
		"source,mineral_id,start_month,end_month\n"
		"China,*,2027-01,2026-12\n"
		",GA,2027-01,\n",
		"embargoes.csv:2:17: expected a month >= start_month (2027-01) in end_month, "
		"found \"2026-12\"\n"
		"embargoes.csv:3:1: expected a value in source, found an empty field\n");
}

static void csv_syntax_errors(void **state)
{
	(void)state;
	expect_variant_fails(
		"lines.csv",
		"line_id,name,rate_per_month,us_share\n"
		"PAC3,PAC\"3,50,0.4\n",
		"lines.csv:2:9: expected no quote inside an unquoted field (quote the whole "
		"field and double its quotes), found a bare quote\n");
	expect_variant_fails(
		"lines.csv",
		"line_id,name,rate_per_month,us_share\n"
		"PAC3,\"PAC-3\" x,50,0.4\n",
		"lines.csv:2:13: expected a delimiter or line end after a closing quote, "
		"found \" \"\n");
	expect_variant_fails(
		"lines.csv",
		"line_id,name,rate_per_month,us_share\n"
		"PAC3,\"PAC-3\n\n",
		"lines.csv:2:6: expected a closing quote for the field opened here, found "
		"the end of the file\n");
	/* Invalid UTF-8 (Latin-1 e-acute) and a NUL byte are per-field errors:
	 * the rest of the file is still checked. */
	char *dir = variant("lines.csv", NULL);
	static const char bad[] = "line_id,name,rate_per_month,us_share\nPAC3,Caf\xE9,50,0.4\n"
				  "GMLRS,G\0L,x,0\n";
	write_text(dir, "lines.csv", bad, sizeof bad - 1);
	expect_fail(
		dir, ALLOT_EINPUT,
		"lines.csv:2:6: expected UTF-8 text, found invalid UTF-8 bytes\n"
		"lines.csv:3:7: expected text, found a NUL byte\n"
		"lines.csv:3:11: expected a number from 0 to 1000000000 in rate_per_month, found \"x\"\n");
	tu_rmtree(dir);
	free(dir);
}

static void json_problems(void **state)
{
	(void)state;
	expect_variant_fails("scenario.json", "{\"as_of\": \"2026-01\",}",
			     "scenario.json:1:21: invalid JSON: string or '}' expected near '}'\n");
	expect_variant_fails(
		"scenario.json",
		"{\n  \"as_of\": \"2026-13\",\n  \"colour\": \"red\",\n  \"horizon_months\": 0\n}\n",
		"scenario.json:2:3: expected a month \"YYYY-MM\" in as_of, found \"2026-13\"\n"
		"scenario.json:3:3: unknown key \"colour\" in scenario.json; expected one of "
		"as_of,horizon_months,policy,switch_month,notes\n"
		"scenario.json:4:3: expected an integer from 1 to 1200 in horizon_months, found 0\n");
	expect_variant_fails(
		"scenario.json", "{\"horizon_months\": 12, \"horizon_months\": 13}",
		"scenario.json:1:39: invalid JSON: duplicate object key near '\"horizon_months\"'\n");
	expect_variant_fails(
		"scenario.json", "{\"horizon_months\": 12, \"policy\": \"../p.json\"}",
		"scenario.json:1:24: expected a file name in the scenario directory in policy, "
		"found \"../p.json\"\n"
		"scenario.json: missing required key \"as_of\"\n");
	expect_variant_fails(
		"policy.json",
		"{\n  \"weights\": {\"luck\": 1, \"growth\": -1},\n  \"colour\": 1,\n"
		"  \"tiers\": [40, 65],\n  \"growth\": {\"full_pct\": 0}\n}\n",
		"policy.json:2:15: unknown key \"luck\" in weights; expected one of "
		"investment,growth,geography,operations,economic\n"
		"policy.json: expected a number from 0 to 1000000 in weights.growth, found -1\n"
		"policy.json:3:3: unknown key \"colour\" in the policy; expected one of "
		"weights,investment,growth,geography,operations,economic,penalties,tiers,reserve,cases\n"
		"policy.json:4:3: expected tiers in strictly descending order, found 65 after 40\n"
		"policy.json:5:14: expected a number > 0 and <= 1e+15 in growth.full_pct, found 0\n");
	expect_variant_fails("policy.json",
			     "{\"weights\": {\"investment\": 0, \"growth\": 0, \"geography\": 0, "
			     "\"operations\": 0, \"economic\": 0}, \"tiers\": [1,2,3,4,5,6,7,8]}",
			     "policy.json:1:93: expected at most 7 thresholds in tiers, found 8\n");
	expect_variant_fails("policy.json",
			     "{\"weights\": {\"investment\": 0, \"growth\": 0, \"geography\": 0, "
			     "\"operations\": 0, \"economic\": 0}}",
			     "policy.json:1:2: expected weights not all zero, found all zero\n");
}

static void missing_files(void **state)
{
	(void)state;
	/* systems.csv refers to lines, but a missing lines.csv is reported once. */
	expect_variant_fails("lines.csv", NULL,
			     "lines.csv: expected a file lines.csv, found none (it is required)\n");
	expect_variant_fails(
		"scenario.json", NULL,
		"scenario.json: expected a file scenario.json, found none (it is required)\n");
	char *dir = variant("scenario.json", "{\"as_of\": \"2026-01\", \"policy\": \"p2.json\"}");
	expect_fail(dir, ALLOT_EINPUT,
		    "p2.json: expected the policy file named in scenario.json, found none\n");
	tu_rmtree(dir);
	free(dir);
	expect_fail(
		"/nonexistent/allot-scenario", ALLOT_EINPUT,
		"/nonexistent/allot-scenario: expected a scenario directory, found nothing there\n");
}

static void diag_limit_is_respected(void **state)
{
	(void)state;
	char *text = malloc(1 << 20);
	size_t o = (size_t)sprintf(text, "line_id,name,rate_per_month,us_share\n");
	for (int i = 0; i < 200; i++)
		o += (size_t)sprintf(text + o, "L%d,x,-%d,0\n", i, i + 1);
	char *dir = variant("lines.csv", text);
	struct allot_diags d;
	allot_diags_init(&d);
	d.limit = 10;
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(dir, &s, &d), ALLOT_EINPUT);
	assert_null(s);
	assert_int_equal(d.n, 10);
	/* 200 bad rates, then PAC3 and GMLRS are unknown lines in systems.csv
	 * (2), events.csv (2) and investments.csv (1). */
	assert_int_equal(allot_diags_count(&d), 205);
	assert_string_equal(
		d.v[9].msg,
		"expected a number from 0 to 1000000000 in rate_per_month, found \"-10\"");
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
	free(text);
}

/* ---- the CSV reader on its own ------------------------------------------ */

static void reader_positions_follow_quoted_line_breaks(void **state)
{
	(void)state;
	const char *in = "a,\"b\nb\"\"\",c\r\n\xc3\xa9t\xc3\xa9,\"\",x\n\n  sp ,2,3";
	struct allot_diags d;
	allot_diags_init(&d);
	struct csvr *r;
	assert_int_equal(csvr_open_mem(in, strlen(in), "m.csv", CSVR_UTF8, &d, &r), 0);
	const struct csvr_record *rec;
	assert_int_equal(csvr_next(r, &rec), 0);
	assert_int_equal(rec->n, 3);
	assert_string_equal(rec->f[1].s, "b\nb\"");
	assert_int_equal(rec->f[1].line, 1);
	assert_int_equal(rec->f[1].col, 3);
	assert_int_equal(rec->f[2].line, 2);
	assert_int_equal(rec->f[2].col, 6);
	assert_string_equal(rec->f[2].s, "c");
	assert_int_equal(csvr_next(r, &rec), 0);
	assert_int_equal(rec->index, 1);
	assert_int_equal(rec->line, 3);
	assert_string_equal(rec->f[0].s, "\xc3\xa9t\xc3\xa9");
	assert_int_equal(rec->f[1].col, 5); /* characters, not bytes */
	assert_int_equal(rec->f[1].len, 0);
	assert_int_equal(rec->f[2].col, 8);
	assert_int_equal(csvr_next(r, &rec), 0);
	assert_int_equal(rec->line, 5);            /* the blank line is skipped */
	assert_string_equal(rec->f[0].s, "  sp "); /* spaces are data */
	assert_int_equal(rec->f[2].col, 9);
	assert_int_equal(csvr_next(r, &rec), 0);
	assert_null(rec);
	assert_int_equal(csvr_errors(r), 0);
	csvr_close(r);
	allot_diags_free(&d);
}

static void reader_latin1_mode_counts_bytes_and_keeps_them(void **state)
{
	(void)state;
	const char *in = "na\xefve,x\n";
	struct allot_diags d;
	allot_diags_init(&d);
	struct csvr *r;
	assert_int_equal(csvr_open_mem(in, strlen(in), "l.csv", 0, &d, &r), 0);
	const struct csvr_record *rec;
	assert_int_equal(csvr_next(r, &rec), 0);
	assert_string_equal(rec->f[0].s, "na\xefve");
	assert_int_equal(rec->f[1].col, 7);
	csvr_close(r);
	assert_int_equal(d.n, 0);
	allot_diags_free(&d);
}

static void reader_limits(void **state)
{
	(void)state;
	size_t n = (size_t)CSVR_MAX_LINE + 10;
	char *big = malloc(n + 1);
	memset(big, 'a', n);
	big[n] = '\n';
	struct allot_diags d;
	allot_diags_init(&d);
	struct csvr *r;
	assert_int_equal(csvr_open_mem(big, n + 1, "big.csv", 0, &d, &r), 0);
	const struct csvr_record *rec;
	assert_int_equal(csvr_next(r, &rec), ALLOT_ELIMIT);
	assert_int_equal(csvr_next(r, &rec), ALLOT_ELIMIT);
	csvr_close(r);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].line, 1);
	assert_string_equal(d.v[0].msg,
			    "expected at most 1048576 bytes in a line, found more (size limit)");
	allot_diags_free(&d);

	/* A quoted field of 64 KiB + 1 spread over short lines. */
	size_t m = (size_t)CSVR_MAX_FIELD + 1;
	for (size_t i = 0; i < m; i++)
		big[i] = i % 100 == 99 ? '\n' : 'b';
	memmove(big + 1, big, m);
	big[0] = '"';
	big[m + 1] = '"';
	allot_diags_init(&d);
	assert_int_equal(csvr_open_mem(big, m + 2, "f.csv", 0, &d, &r), 0);
	assert_int_equal(csvr_next(r, &rec), ALLOT_ELIMIT);
	csvr_close(r);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].col, 1);
	assert_string_equal(d.v[0].msg,
			    "expected at most 65536 bytes in a field, found more (size limit)");
	allot_diags_free(&d);
	free(big);
}

/* Failing the Nth allocation at every N: ENOMEM (never a crash or, under
 * ASan, a leak) until N passes the count a full load needs. */
static void allocation_failures_are_enomem(void **state)
{
	(void)state;
	int ok = 0;
	for (long n = 1; n < 100000 && !ok; n++) {
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_scenario *s = NULL;
		mem_fail_after(n, 1);
		int rc = allot_scenario_load(tiny(), &s, &d);
		mem_fail_after(0, 0);
		if (rc == ALLOT_OK) {
			ok = 1;
			assert_int_equal(s->n_orders, 4);
			allot_scenario_free(s);
		} else {
			assert_null(s);
			/* A failed diagnostic allocation only drops the message, so
			 * bad input may be reported when nothing was recorded. */
			if (rc != ALLOT_ENOMEM)
				assert_int_equal(rc, ALLOT_EINPUT);
		}
		allot_diags_free(&d);
	}
	assert_true(ok);
}

/* s is a whole number, as strtod reads it. */
static int whole(const char *s, double *v)
{
	char *e;
	*v = strtod(s, &e);
	return s[0] && !*e && *v == (double)(long long)*v;
}

/* A directory's load does not re-check the orders' qty, delivered and
 * partner_rank after reading them (lib/ranges.c, scenario_check_ranges_dir):
 * on random rows with values at and beyond every bound, a load that
 * succeeds gives a scenario the full check (allot_scenario_check_ranges)
 * also accepts, and the rows it refuses are exactly the out-of-range ones. */
static void load_checks_order_ranges_as_check_ranges_does(void **state)
{
	(void)state;
	static const char *const vals[] = { "",           "0",  "1",         "2",
					    "12",         "48", "999999999", "1000000000",
					    "1000000001", "-1", "007",       "1e3" };
	const size_t nv = sizeof vals / sizeof *vals;
	uint64_t x = 0x2545F4914F6CDD1Dull;
	char *dir = variant("orders.csv", NULL);
	int loaded = 0, refused = 0;
	for (int round = 0; round < 600; round++) {
		char text[2048];
		size_t n = (size_t)snprintf(text, sizeof text,
					    "order_id,iso3,system_id,qty,"
					    "delivered,loa_month,need_month,partner_rank\n");
		int bad = 0;
		for (int r = 0; r < 2; r++) {
			const char *v[3];
			for (int k = 0; k < 3; k++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				v[k] = vals[x % nv];
			}
			/* the bounds as lib/ranges.c's check_table has them (an
			 * integer may be written 1e3, as value_int reads it) */
			double q, d, p;
			int qok = whole(v[0], &q) && q >= 1 && q <= 1e9;
			int dok = !v[1][0] || (whole(v[1], &d) && d >= 0 && (!qok || d <= q));
			int pok = !v[2][0] || (whole(v[2], &p) && p >= 1 && p <= 1e9);
			bad |= !qok || !dok || !pok;
			n += (size_t)snprintf(text + n, sizeof text - n,
					      "O-%d,POL,PAC3-MSE,%s,%s,2024-01,,%s\n", r, v[0],
					      v[1], v[2]);
		}
		write_text(dir, "orders.csv", text, n);
		struct allot_diags d;
		allot_diags_init(&d);
		struct allot_scenario *s = NULL;
		int rc = allot_scenario_load(dir, &s, &d);
		if (rc == ALLOT_OK) {
			loaded++;
			assert_false(bad);
			assert_int_equal(allot_scenario_check_ranges(s, dir, &d), ALLOT_OK);
		} else {
			refused++;
			if (!bad)
				allot_diags_print(&d, stderr);
			assert_true(bad);
			assert_int_equal(rc, ALLOT_EINPUT);
		}
		allot_scenario_free(s);
		allot_diags_free(&d);
	}
	assert_true(loaded > 20 && refused > 20);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tiny_loads_with_every_value),
		cmocka_unit_test(load_checks_order_ranges_as_check_ranges_does),
		cmocka_unit_test(messy_but_valid_csv_is_accepted),
		cmocka_unit_test(orders_errors_all_reported_in_one_run),
		cmocka_unit_test(many_orders_after_the_estimate),
		cmocka_unit_test(orders_map_made_after_reading),
		cmocka_unit_test(order_references_cached),
		cmocka_unit_test(the_bad_orders_fixture_gives_three_errors),
		cmocka_unit_test(wip_and_supply_errors),
		cmocka_unit_test(partner_values),
		cmocka_unit_test(partner_invest_unknown),
		cmocka_unit_test(header_problems),
		cmocka_unit_test(ragged_rows),
		cmocka_unit_test(references_between_files),
		cmocka_unit_test(event_problems),
		cmocka_unit_test(investment_and_embargo_months),
		cmocka_unit_test(csv_syntax_errors),
		cmocka_unit_test(line_rate_basis),
		cmocka_unit_test(json_problems),
		cmocka_unit_test(missing_files),
		cmocka_unit_test(diag_limit_is_respected),
		cmocka_unit_test(reader_positions_follow_quoted_line_breaks),
		cmocka_unit_test(reader_latin1_mode_counts_bytes_and_keeps_them),
		cmocka_unit_test(reader_limits),
		cmocka_unit_test(allocation_failures_are_enomem),
		cmocka_unit_test(unreadable_directory_gives_one_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
