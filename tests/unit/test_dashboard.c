/* Unit tests for the walk dashboard's pure part (src/observe/dashboard.c):
 * means, small-cell suppression at the boundary, the district cell and its
 * complementary suppression, trend gaps, months and colour steps. */
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

/* One school, one column: min-1 visits hidden, min shown. */
static void test_boundary(void **state)
{
	(void)state;
	arena *a = arena_new();
	for (int64_t visits = 0; visits <= 6; visits++) {
		dash_table t;
		dash_table_init(a, &t, 1, 1);
		if (visits) dash_table_add(&t, 0, 0, (dash_count){visits, visits * 2});
		bool known[] = {true};
		dash_table_suppress(&t, known, 5);
		dash_show want = visits == 0 ? DASH_EMPTY : visits < 5 ? DASH_HIDDEN : DASH_SHOWN;
		assert_int_equal(dash_table_cell(&t, 0, 0)->show, want);
		assert_int_equal(t.district[0].show, want);
		assert_int_equal(t.district[0].n.visits, visits);
	}
	/* Another minimum moves the boundary. */
	dash_table t;
	dash_table_init(a, &t, 1, 1);
	dash_table_add(&t, 0, 0, (dash_count){3, 6});
	dash_table_suppress(&t, NULL, 3);
	assert_int_equal(dash_table_cell(&t, 0, 0)->show, DASH_SHOWN);
	dash_table_suppress(&t, NULL, 4);
	assert_int_equal(dash_table_cell(&t, 0, 0)->show, DASH_HIDDEN);
	/* A minimum below one is one. */
	dash_table_suppress(&t, NULL, 0);
	assert_int_equal(dash_table_cell(&t, 0, 0)->show, DASH_SHOWN);
	arena_free(a);
}

/* The district cell is the sum of the column and shown on its own count. */
static void test_district_row(void **state)
{
	(void)state;
	arena *a = arena_new();
	dash_table t;
	dash_table_init(a, &t, 3, 2);
	dash_table_add(&t, 0, 0, (dash_count){6, 12});
	dash_table_add(&t, 1, 0, (dash_count){7, 21});
	dash_table_add(&t, 2, 0, (dash_count){2, 4}); /* hidden, with another hidden: fine */
	dash_table_add(&t, 2, 0, (dash_count){3, 3}); /* same cell: 5 visits */
	dash_table_add(&t, 0, 1, (dash_count){2, 5});
	dash_table_add(&t, 1, 1, (dash_count){2, 7});
	bool known[] = {true, true, true};
	dash_table_suppress(&t, known, 5);
	assert_int_equal(t.district[0].n.visits, 18);
	assert_int_equal(t.district[0].n.total, 40);
	assert_int_equal(t.district[0].show, DASH_SHOWN);
	assert_int_equal(dash_table_cell(&t, 2, 0)->show, DASH_SHOWN);
	/* Two hidden schools of 2 visits: the district's 4 are hidden too. */
	assert_int_equal(dash_table_cell(&t, 0, 1)->show, DASH_HIDDEN);
	assert_int_equal(t.district[1].n.visits, 4);
	assert_int_equal(t.district[1].show, DASH_HIDDEN);
	arena_free(a);
}

/* A leader's table: shown schools and one hidden school; the district cell
 * less the shown ones would be the hidden school. */
static void test_complementary_leader(void **state)
{
	(void)state;
	arena *a = arena_new();
	dash_table t;
	dash_table_init(a, &t, 3, 3);
	/* column 0: 10 + 8 shown, 3 hidden → district 21 minus 18 = 3: hidden */
	dash_table_add(&t, 0, 0, (dash_count){10, 20});
	dash_table_add(&t, 1, 0, (dash_count){8, 16});
	dash_table_add(&t, 2, 0, (dash_count){3, 9});
	/* column 1: two hidden schools add up to the minimum → district shown */
	dash_table_add(&t, 0, 1, (dash_count){10, 20});
	dash_table_add(&t, 1, 1, (dash_count){2, 4});
	dash_table_add(&t, 2, 1, (dash_count){3, 9});
	/* column 2: no hidden school → shown */
	dash_table_add(&t, 0, 2, (dash_count){5, 5});
	dash_table_add(&t, 1, 2, (dash_count){5, 10});
	bool known[] = {true, true, true};
	dash_table_suppress(&t, known, 5);
	assert_int_equal(dash_table_cell(&t, 2, 0)->show, DASH_HIDDEN);
	assert_int_equal(t.district[0].show, DASH_HIDDEN);
	assert_int_equal(t.district[1].show, DASH_SHOWN);
	assert_int_equal(t.district[2].show, DASH_SHOWN);
	assert_int_equal(dash_table_cell(&t, 2, 2)->show, DASH_EMPTY);
	arena_free(a);
}

/* A principal knows their own school (they read its walks), shown or not:
 * the district less their school must not be a small group either. */
static void test_complementary_principal(void **state)
{
	(void)state;
	arena *a = arena_new();
	dash_table t;
	dash_table_init(a, &t, 3, 3);
	/* column 0: own 4 (hidden), others 3 (hidden): 7 in all, but 7 - 4 = 3 */
	dash_table_add(&t, 0, 0, (dash_count){4, 8});
	dash_table_add(&t, 1, 0, (dash_count){3, 6});
	/* column 1: own 4, others 3 and 2 (all hidden): 9 - 4 = 5 → shown */
	dash_table_add(&t, 0, 1, (dash_count){4, 8});
	dash_table_add(&t, 1, 1, (dash_count){3, 6});
	dash_table_add(&t, 2, 1, (dash_count){2, 6});
	/* column 2: own 6, another 2 → 8 - 6 = 2 → hidden */
	dash_table_add(&t, 0, 2, (dash_count){6, 12});
	dash_table_add(&t, 1, 2, (dash_count){2, 2});
	bool principal[] = {true, false, false};
	dash_table_suppress(&t, principal, 5);
	assert_int_equal(t.district[0].show, DASH_HIDDEN);
	assert_int_equal(t.district[1].show, DASH_SHOWN);
	assert_int_equal(t.district[2].show, DASH_HIDDEN);
	/* A reader who knows no school: column 0 holds two hidden schools of 7
	 * visits together, which gives no small group away. */
	bool nobody[] = {false, false, false};
	dash_table_suppress(&t, nobody, 5);
	assert_int_equal(t.district[0].show, DASH_SHOWN);
	assert_int_equal(t.district[2].show, DASH_HIDDEN); /* 8 - 6 shown = 2 */
	/* Whoever reads it: one hidden school beside shown ones is given
	 * away by the district cell (10 - 6 = 4). */
	dash_table u;
	dash_table_init(a, &u, 2, 1);
	dash_table_add(&u, 0, 0, (dash_count){4, 8});
	dash_table_add(&u, 1, 0, (dash_count){6, 6});
	dash_table_suppress(&u, nobody, 5);
	assert_int_equal(u.district[0].show, DASH_HIDDEN);
	arena_free(a);
}

/* The trend: a month behind fewer visits than the minimum is a gap. */
static void test_trend_gaps(void **state)
{
	(void)state;
	arena *a = arena_new();
	dash_table t;
	dash_table_init(a, &t, 2, 4);
	int64_t visits[4][2] = {{5, 1}, {4, 0}, {0, 0}, {3, 3}};
	for (size_t m = 0; m < 4; m++)
		for (size_t s = 0; s < 2; s++)
			if (visits[m][s]) dash_table_add(&t, s, m, (dash_count){visits[m][s], visits[m][s] * 3});
	bool known[] = {true, true};
	dash_table_suppress(&t, known, 5);
	/* month 0: 6 visits, school 1's single visit would be 6 - 5: hidden */
	assert_int_equal(t.district[0].show, DASH_HIDDEN);
	assert_int_equal(t.district[1].show, DASH_HIDDEN); /* 4 visits */
	assert_int_equal(t.district[2].show, DASH_EMPTY);
	assert_int_equal(t.district[3].show, DASH_SHOWN); /* 6 visits, both schools hidden */
	assert_float_equal(dash_mean(t.district[3].n), 3.0, 1e-12);
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
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_district_row),
		cmocka_unit_test(test_complementary_leader),
		cmocka_unit_test(test_complementary_principal),
		cmocka_unit_test(test_trend_gaps),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_heat_steps_and_bands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
