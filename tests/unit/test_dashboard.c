/* Unit tests for the walk dashboard's pure part (src/observe/dashboard.c):
 * means, what a cell shows of its counted groups and small ones, the
 * district cell, differences that give nothing small away, trend gaps,
 * months and colour steps. (Which groups count is decided in SQL: see
 * test_dashboard_store.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "base/arena.h"
#include "observe/dashboard.h"

static void test_mean(void **state)
{
	(void)state;
	assert_true(isnan(dash_mean((dash_count){0, 0})));
	assert_float_equal(dash_mean((dash_count){4, 10}), 2.5, 1e-12);
	assert_float_equal(dash_mean((dash_count){3, 7}), 7.0 / 3.0, 1e-12);
}

/* The store hands each cell its counted groups (n) and the visits of the
 * smaller groups (small): a cell shows a number only from counted groups. */
static void test_cell_shows(void **state)
{
	(void)state;
	arena *a = arena_new();
	dash_table t;
	dash_table_init(a, &t, 1, 4);
	dash_table_add(&t, 0, 0, (dash_count){0, 0}, 0);  /* nothing */
	dash_table_add(&t, 0, 1, (dash_count){0, 0}, 4);  /* only a small group */
	dash_table_add(&t, 0, 2, (dash_count){5, 13}, 0); /* one counted group */
	dash_table_add(&t, 0, 3, (dash_count){5, 13}, 2); /* a counted group and a small one */
	dash_table_suppress(&t);
	assert_int_equal(dash_table_cell(&t, 0, 0)->show, DASH_EMPTY);
	assert_int_equal(dash_table_cell(&t, 0, 1)->show, DASH_HIDDEN);
	assert_int_equal(dash_table_cell(&t, 0, 2)->show, DASH_SHOWN);
	assert_int_equal(dash_table_cell(&t, 0, 3)->show, DASH_SHOWN);
	/* The small group counts in no figure: the same number either way. */
	assert_int_equal(dash_table_cell(&t, 0, 3)->n.visits, 5);
	assert_float_equal(dash_mean(dash_table_cell(&t, 0, 3)->n), 2.6, 1e-12);
	arena_free(a);
}

/* The district cell adds up its schools' counted groups and their small
 * visits; it shows a number when any school has a counted group. */
static void test_district_row(void **state)
{
	(void)state;
	arena *a = arena_new();
	dash_table t;
	dash_table_init(a, &t, 3, 3);
	dash_table_add(&t, 0, 0, (dash_count){6, 12}, 0);
	dash_table_add(&t, 1, 0, (dash_count){7, 21}, 0);
	dash_table_add(&t, 2, 0, (dash_count){0, 0}, 4);
	dash_table_add(&t, 0, 1, (dash_count){0, 0}, 2);
	dash_table_add(&t, 1, 1, (dash_count){0, 0}, 3);
	dash_table_add(&t, 2, 2, (dash_count){5, 10}, 0);
	dash_table_add(&t, 2, 2, (dash_count){5, 20}, 1); /* a school's two counted groups */
	dash_table_suppress(&t);
	assert_int_equal(t.district[0].show, DASH_SHOWN);
	assert_int_equal(t.district[0].n.visits, 13); /* school 2's four visits are in no figure */
	assert_float_equal(dash_mean(t.district[0].n), 33.0 / 13.0, 1e-12);
	assert_int_equal(dash_table_cell(&t, 2, 0)->show, DASH_HIDDEN);
	/* Two small groups together are still no counted group. */
	assert_int_equal(t.district[1].show, DASH_HIDDEN);
	assert_int_equal(t.district[1].n.visits, 0);
	assert_int_equal(t.district[1].small, 5);
	assert_int_equal(t.district[2].show, DASH_SHOWN);
	assert_int_equal(dash_table_cell(&t, 2, 2)->n.visits, 10);
	assert_float_equal(dash_mean(dash_table_cell(&t, 2, 2)->n), 3.0, 1e-12);
	arena_free(a);
}

/* Whatever two cells a reader subtracts (the district less the schools
 * shown, or less the schools they may read), the rest is made of counted
 * groups only: never a number from a small group. */
static void test_differences_are_counted_groups(void **state)
{
	(void)state;
	arena *a = arena_new();
	dash_table t;
	dash_table_init(a, &t, 3, 1);
	dash_table_add(&t, 0, 0, (dash_count){10, 20}, 0);
	dash_table_add(&t, 1, 0, (dash_count){0, 0}, 3);
	dash_table_add(&t, 2, 0, (dash_count){5, 15}, 1);
	dash_table_suppress(&t);
	int64_t rest = t.district[0].n.visits;
	for (size_t s = 0; s < 3; s++)
		if (dash_table_cell(&t, s, 0)->show == DASH_SHOWN)
			rest -= dash_table_cell(&t, s, 0)->n.visits;
	assert_int_equal(rest, 0);
	/* A principal of school 0 subtracts her own: the rest is school 2's
	 * counted group of 5, no fewer than the minimum. */
	assert_int_equal(t.district[0].n.visits - dash_table_cell(&t, 0, 0)->n.visits, 5);
	arena_free(a);
}

/* The trend: a month without a counted group is a gap. */
static void test_trend_gaps(void **state)
{
	(void)state;
	arena *a = arena_new();
	dash_table t;
	dash_table_init(a, &t, 2, 4);
	/* {counted visits, small visits} by month and school */
	int64_t cells[4][2][2] = {{{5, 0}, {0, 1}}, {{0, 4}, {0, 0}}, {{0, 0}, {0, 0}}, {{0, 3}, {0, 3}}};
	for (size_t m = 0; m < 4; m++)
		for (size_t s = 0; s < 2; s++)
			dash_table_add(&t, s, m, (dash_count){cells[m][s][0], cells[m][s][0] * 3},
				       cells[m][s][1]);
	dash_table_suppress(&t);
	assert_int_equal(t.district[0].show, DASH_SHOWN);
	assert_int_equal(t.district[0].n.visits, 5); /* school 1's single visit is left out */
	assert_int_equal(t.district[1].show, DASH_HIDDEN);
	assert_int_equal(t.district[2].show, DASH_EMPTY);
	assert_int_equal(t.district[3].show, DASH_HIDDEN); /* 6 visits, in two small groups */
	arena_free(a);
}

static void test_months(void **state)
{
	(void)state;
	arena *a = arena_new();
	int64_t m = 0;
	assert_true(dash_month_parse("2026-09", &m));
	assert_int_equal(m, 202609);
	assert_false(dash_month_parse("2026-13", &m));
	assert_false(dash_month_parse("2026-9", &m));
	assert_false(dash_month_parse("2026-09-01", &m));
	assert_false(dash_month_parse("20x6-09", &m));
	assert_false(dash_month_parse(NULL, &m));
	assert_int_equal(dash_month_of_day("2025-08-18"), 202508);
	assert_int_equal(dash_month_add(202611, 2), 202701);
	assert_int_equal(dash_month_add(202601, -1), 202512);
	assert_int_equal(dash_month_add(202612, -23), 202501);
	assert_int_equal(dash_month_span(202509, 202606), 10);
	assert_int_equal(dash_month_span(202609, 202609), 1);
	assert_int_equal(dash_month_span(202610, 202609), 0);
	assert_string_equal(dash_month_text(a, 202603), "2026-03");
	assert_string_equal(dash_month_label(a, 202612), "Dec 2026");
	arena_free(a);
}

static void test_heat_steps_and_bands(void **state)
{
	(void)state;
	assert_int_equal(dash_heat_step(1.0, 1, 3), 0);
	assert_int_equal(dash_heat_step(3.0, 1, 3), DASH_HEAT_STEPS - 1);
	assert_int_equal(dash_heat_step(2.0, 1, 3), (DASH_HEAT_STEPS - 1) / 2);
	assert_int_equal(dash_heat_step(9.0, 1, 4), DASH_HEAT_STEPS - 1);
	assert_int_equal(dash_heat_step(NAN, 1, 4), 0);
	assert_true(dash_band_valid("K-2"));
	assert_true(dash_band_valid("9-12"));
	assert_false(dash_band_valid("all"));
	assert_false(dash_band_valid(""));
	assert_false(dash_band_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mean),
		cmocka_unit_test(test_cell_shows),
		cmocka_unit_test(test_district_row),
		cmocka_unit_test(test_differences_are_counted_groups),
		cmocka_unit_test(test_trend_gaps),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_heat_steps_and_bands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
