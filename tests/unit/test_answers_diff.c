/*
 * test_answers_diff.c - allot_diff_run on two hand-made orders_out.csv
 * files (figures checked by hand), the reader's diagnostics, two stored
 * runs, and the bundled dataset planned under both policies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <allot/allot.h>
#include "testutil.h"

static char *write_file(const char *dir, const char *name, const char *text)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	assert_non_null(path);
	snprintf(path, n, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static const char HEAD[] = "order_id,iso3,system_id,tier,first_delivery,completion_month,"
			   "units_short,months_late,blocked_units,cancelled_units\n";

/*
 * A: O1 2025-03, O2 2025-05, O3 none (4 short), O4 2025-10, O5 none (0
 *    short: nothing to deliver), O6 2025-01.
 * B: O1 2025-03, O2 2025-12 (+7), O3 2025-08, O4 2025-02 (-8), O5 none,
 *    O7 2025-04.  O6 is only in A, O7 only in B.
 * Without an end: counted O1 0, O2 +7, O4 -8: mean |change| 15/3 = 5,
 * moved > 6: 2 of 3.  With end 2026-01, O3 counts 2025-08 - 2026-01 = -5:
 * mean 20/4 = 5, moved > 6: 2 of 4 = 0.5.
 */
static const char A[] = "O1,AAA,S,1,2025-01,2025-03,0,,0,0\n"
			"O2,AAA,S,1,2025-02,2025-05,0,,0,0\n"
			"O3,BBB,S,3,,,4,,0,0\n"
			"O4,BBB,S,3,2025-09,2025-10,0,,0,0\n"
			"O5,BBB,S,3,,,0,,0,0\n"
			"O6,BBB,S,3,2025-01,2025-01,0,,0,0\n";
static const char B[] = "O7,AAA,S,1,2025-04,2025-04,0,,0,0\n"
			"O5,BBB,S,3,,,0,,0,0\n"
			"O4,BBB,S,3,2025-01,2025-02,0,,0,0\n"
			"O3,BBB,S,3,2025-08,2025-08,0,,0,0\n"
			"O2,AAA,S,1,2025-06,2025-12,0,,0,0\n"
			"O1,AAA,S,1,2025-01,2025-03,0,,0,0\n";

struct pair {
	char *dir;
	struct allot_run_orders *a, *b;
};

static void read_pair(struct pair *p)
{
	p->dir = tu_tmpdir();
	char text[1024];
	snprintf(text, sizeof text, "%s%s", HEAD, A);
	char *pa = write_file(p->dir, "a.csv", text);
	snprintf(text, sizeof text, "%s%s", HEAD, B);
	char *pb = write_file(p->dir, "b.csv", text);
	struct allot_diags d;
	allot_diags_init(&d);
	assert_int_equal(allot_run_orders_read_csv(pa, &p->a, &d), ALLOT_OK);
	assert_int_equal(allot_run_orders_read_csv(pb, &p->b, &d), ALLOT_OK);
	assert_int_equal(allot_diags_count(&d), 0);
	allot_diags_free(&d);
	free(pa);
	free(pb);
}

static void free_pair(struct pair *p)
{
	allot_run_orders_free(p->a);
	allot_run_orders_free(p->b);
	tu_rmtree(p->dir);
	free(p->dir);
}

static void by_hand_without_end(void **state)
{
	(void)state;
	struct pair p;
	read_pair(&p);
	assert_int_equal(p.a->n, 6);
	assert_int_equal(p.a->end, ALLOT_NO_MONTH);
	assert_int_equal(p.a->units_short[2], 4);
	struct allot_diff *df = NULL;
	assert_int_equal(allot_diff_run(p.a, p.b, &df), ALLOT_OK);
	assert_int_equal(df->n_rows, 5);
	assert_int_equal(df->missing_in_b, 1); /* O6 */
	assert_int_equal(df->missing_in_a, 1); /* O7 */
	assert_int_equal(df->both_complete, 3);
	assert_int_equal(df->only_a, 0);
	assert_int_equal(df->only_b, 1);
	assert_int_equal(df->neither, 0); /* O5 has nothing to deliver */
	assert_int_equal(df->counted, 3);
	assert_true(df->mean_abs_change == 5.0);
	assert_int_equal(df->moved_over_6, 2);
	assert_true(fabs(df->share_over_6 - 2.0 / 3) < 1e-12);
	assert_int_equal(df->earlier, 1);
	assert_int_equal(df->later, 1);
	/* Rows: counted first, most months first. */
	assert_string_equal(df->rows[0].order_id, "O4");
	assert_int_equal(df->rows[0].delta, -8);
	assert_string_equal(df->rows[1].order_id, "O2");
	assert_int_equal(df->rows[1].delta, 7);
	assert_string_equal(df->rows[2].order_id, "O1");
	assert_int_equal(df->rows[2].delta, 0);
	assert_int_equal(df->rows[3].counted, 0);
	allot_diff_free(df);
	free_pair(&p);
}

static void by_hand_with_end(void **state)
{
	(void)state;
	struct pair p;
	read_pair(&p);
	p.a->end = tu_m("2026-01");
	struct allot_diff *df = NULL;
	assert_int_equal(allot_diff_run(p.a, p.b, &df), ALLOT_OK);
	assert_int_equal(df->counted, 4);
	assert_true(df->mean_abs_change == 5.0);
	assert_int_equal(df->moved_over_6, 2);
	assert_true(df->share_over_6 == 0.5);
	assert_int_equal(df->earlier, 2);
	assert_int_equal(df->later, 1);
	assert_string_equal(df->rows[2].order_id, "O3");
	assert_int_equal(df->rows[2].delta, -5);
	allot_diff_free(df);
	/* The same plan twice: nothing moved. */
	assert_int_equal(allot_diff_run(p.a, p.a, &df), ALLOT_OK);
	assert_int_equal(df->counted, 4);
	assert_true(df->mean_abs_change == 0 && df->share_over_6 == 0);
	assert_int_equal(df->neither, 1); /* O3, 4 short in both */
	allot_diff_free(df);
	free_pair(&p);
}

static void reader_errors(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_run_orders *r = NULL;

	char *path = write_file(dir, "bad.csv",
				"order_id,completion_month,units_short\n"
				"O1,2025-13,0\n"
				"O2,,x\n");
	assert_int_equal(allot_run_orders_read_csv(path, &r, &d), ALLOT_EINPUT);
	assert_null(r);
	assert_int_equal(allot_diags_count(&d), 2);
	assert_int_equal(d.v[0].line, 2);
	assert_int_equal(d.v[0].col, 4);
	assert_string_equal(d.v[0].msg, "expected a month YYYY-MM or nothing, found \"2025-13\"");
	assert_int_equal(d.v[1].line, 3);
	assert_int_equal(d.v[1].col, 5);
	free(path);
	allot_diags_free(&d);

	allot_diags_init(&d);
	path = write_file(dir, "nohead.csv", "order_id,units_short\nO1,0\n");
	assert_int_equal(allot_run_orders_read_csv(path, &r, &d), ALLOT_EINPUT);
	assert_non_null(strstr(d.v[0].msg, "found no completion_month"));
	free(path);
	allot_diags_free(&d);

	allot_diags_init(&d);
	path = write_file(dir, "dup.csv",
			  "order_id,completion_month,units_short\n"
			  "O1,,0\nO1,2025-01,0\n");
	assert_int_equal(allot_run_orders_read_csv(path, &r, &d), ALLOT_EINPUT);
	assert_string_equal(d.v[0].msg, "expected each order once, found O1 in rows 1 and 2");
	free(path);
	allot_diags_free(&d);

	allot_diags_init(&d);
	path = write_file(dir, "missing.csv", "");
	remove(path);
	assert_int_equal(allot_run_orders_read_csv(path, &r, &d), ALLOT_EIO);
	free(path);
	allot_diags_free(&d);
	tu_rmtree(dir);
	free(dir);
}

/* The bundled data planned under fcfs and priority, stored as two runs:
 * the stored runs and plan --out files give the same figures, and every
 * order is matched. */
static void bundled_runs(void **state)
{
	(void)state;
	struct allot_diags d;
	allot_diags_init(&d);
	struct allot_scenario *s = NULL;
	assert_int_equal(allot_scenario_load(tu_src("data/default"), &s, &d), ALLOT_OK);
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/a.db", dir);
	struct allot_store *st = NULL;
	assert_int_equal(allot_store_open(path, &st, &d), ALLOT_OK);
	assert_int_equal(allot_store_put_scenario(st, "default", s, &d), ALLOT_OK);
	int64_t run[2];
	struct allot_run_orders *fromcsv[2];
	for (int k = 0; k < 2; k++) {
		struct allot_plan_options o;
		allot_plan_options_init(&o);
		o.policy = k ? ALLOT_POLICY_PRIORITY : ALLOT_POLICY_FCFS;
		struct allot_plan *p = NULL;
		assert_int_equal(allot_plan_run(s, &o, &p), ALLOT_OK);
		assert_int_equal(allot_store_put_plan(st, "default", p, &run[k], &d), ALLOT_OK);
		char out[600], csv[700];
		snprintf(out, sizeof out, "%s/plan%d", dir, k);
		assert_int_equal(allot_plan_write(p, out), ALLOT_OK);
		snprintf(csv, sizeof csv, "%s/orders_out.csv", out);
		assert_int_equal(allot_run_orders_read_csv(csv, &fromcsv[k], &d), ALLOT_OK);
		fromcsv[k]->end = s->as_of + s->horizon_months;
		allot_plan_free(p);
	}
	struct allot_run_orders *r[2];
	for (int k = 0; k < 2; k++)
		assert_int_equal(allot_store_get_run_orders(st, run[k], &r[k], &d), ALLOT_OK);
	assert_int_equal(r[0]->n, s->n_orders);
	assert_int_equal(r[0]->end, s->as_of + s->horizon_months);
	struct allot_diff *df = NULL, *dc = NULL;
	assert_int_equal(allot_diff_run(r[0], r[1], &df), ALLOT_OK);
	assert_int_equal(allot_diff_run(fromcsv[0], fromcsv[1], &dc), ALLOT_OK);
	assert_int_equal(df->n_rows, s->n_orders);
	assert_int_equal(df->missing_in_a + df->missing_in_b, 0);
	assert_int_equal(df->counted, dc->counted);
	assert_true(df->mean_abs_change == dc->mean_abs_change);
	assert_int_equal(df->moved_over_6, dc->moved_over_6);
	assert_true(df->counted > 0 && df->mean_abs_change > 0);
	assert_true(df->counted + df->neither <= df->n_rows);
	assert_int_equal(df->both_complete + df->only_a + df->only_b, df->counted);
	/* One definition (issue 17): compare's mean |shift| and the order book's
	 * shifts are diff's mean absolute change, over the same orders (with the
	 * bundled data every open order is counted by compare). */
	struct allot_compare_options co;
	allot_compare_options_init(&co);
	struct allot_compare *c = NULL;
	assert_int_equal(allot_compare_run(s, &co, &c), ALLOT_OK);
	const struct allot_compare_group *all = &c->all;
	assert_int_equal(all->shift_orders, df->counted);
	assert_true(fabs(all->mean_abs_shift - df->mean_abs_change) < 1e-9);
	allot_compare_free(c);
	struct allot_orderbook *b = NULL;
	assert_int_equal(allot_orderbook_run(s, ALLOT_NO_MONTH, NULL, &b), ALLOT_OK);
	double sum = 0;
	size_t known = 0;
	for (size_t i = 0; i < b->n_rows; i++)
		if (b->rows[i].shift_known) {
			known++;
			sum += abs(b->rows[i].shift);
		}
	assert_int_equal(known, df->counted);
	assert_true(fabs(sum / (double)known - df->mean_abs_change) < 1e-9);
	allot_orderbook_free(b);
	allot_diff_free(df);
	allot_diff_free(dc);
	for (int k = 0; k < 2; k++) {
		allot_run_orders_free(r[k]);
		allot_run_orders_free(fromcsv[k]);
	}
	allot_store_close(st);
	tu_rmtree(dir);
	free(dir);
	allot_scenario_free(s);
	allot_diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(by_hand_without_end),
		cmocka_unit_test(by_hand_with_end),
		cmocka_unit_test(reader_errors),
		cmocka_unit_test(bundled_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
