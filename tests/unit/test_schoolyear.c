/* Unit tests for the school-year rules: calendar dates and leap years,
 * overlapping spans, a year against its district's other years and its
 * own terms, and a term against its year and the year's other terms. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "schoolyear/schoolyear.h"

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(date_is_leap_year(2024));
	assert_true(date_is_leap_year(2000));  /* divisible by 400 */
	assert_false(date_is_leap_year(1900)); /* by 100, not by 400 */
	assert_false(date_is_leap_year(2100));
	assert_false(date_is_leap_year(2025));
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2025, 2), 28);
	assert_int_equal(date_days_in_month(2025, 4), 30);
	assert_int_equal(date_days_in_month(2025, 12), 31);
	assert_int_equal(date_days_in_month(2025, 13), 0);
	assert_int_equal(date_days_in_month(2025, 0), 0);
}

static void test_real_dates_parse(void **state)
{
	(void)state;
	arena *a = arena_new();
	civil_date d = {0};
	assert_null(date_problem(a, "2026-08-17", &d));
	assert_int_equal(d.year, 2026);
	assert_int_equal(d.month, 8);
	assert_int_equal(d.day, 17);
	assert_null(date_problem(a, "2024-02-29", &d));
	assert_null(date_problem(a, "2000-02-29", NULL));
	assert_null(date_problem(a, "2025-12-31", NULL));
	assert_null(date_problem(a, "1900-01-01", NULL));
	assert_null(date_problem(a, "2999-12-31", NULL));
	arena_free(a);
}

static void test_dates_that_are_not_days(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char *p = date_problem(a, "2025-02-29", NULL);
	assert_non_null(p);
	assert_non_null(strstr(p, "February 2025 has 28 days"));
	assert_non_null(date_problem(a, "1900-02-29", NULL)); /* not a leap year */
	assert_non_null(date_problem(a, "2100-02-29", NULL));
	assert_non_null(date_problem(a, "2025-04-31", NULL));
	assert_non_null(date_problem(a, "2025-06-00", NULL));
	p = date_problem(a, "2025-13-01", NULL);
	assert_non_null(p);
	assert_non_null(strstr(p, "no month 13"));
	assert_non_null(date_problem(a, "2025-00-10", NULL));
	arena_free(a);
}

static void test_dates_in_other_shapes_are_refused(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const char *const bad[] = {
		NULL,          "",           "2025-8-17",  "2025/08/17", "17-08-2025",  "2025-08-17T00:00",
		" 2025-08-17", "2025-08-1x", "+025-08-17", "20250817",   "2025-08-17 ", "0999-01-01",
		"3000-01-01",  "1899-12-31",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_non_null(date_problem(a, bad[i], NULL));
	arena_free(a);
}

static void test_spans_overlap_including_their_ends(void **state)
{
	(void)state;
	date_span y1 = {1, "2025–2026", "2025-08-18", "2026-06-05"};
	date_span y2 = {2, "2026–2027", "2026-08-17", "2027-06-04"};
	date_span touching = {3, "x", "2026-06-05", "2026-08-01"}; /* shares 06-05 */
	date_span inside = {4, "x", "2025-09-01", "2025-10-01"};
	date_span around = {5, "x", "2025-01-01", "2027-01-01"};
	date_span gap = {6, "x", "2026-06-06", "2026-08-16"};
	assert_false(spans_overlap(&y1, &y2));
	assert_true(spans_overlap(&y1, &touching));
	assert_true(spans_overlap(&touching, &y1));
	assert_true(spans_overlap(&y1, &inside));
	assert_true(spans_overlap(&y1, &around));
	assert_true(spans_overlap(&around, &y2));
	assert_false(spans_overlap(&gap, &y1));
	assert_false(spans_overlap(&gap, &y2));
	date_span all[] = {y1, y2};
	assert_ptr_equal(span_overlapping(all, 2, 0, &around), &all[0]);
	assert_ptr_equal(span_overlapping(all, 2, 1, &around), &all[1]); /* skips itself */
	assert_null(span_overlapping(all, 2, 0, &gap));
	assert_null(span_overlapping(all, 0, 0, &gap));
}

static const date_span district_years[] = {
	{10, "2025–2026", "2025-08-18", "2026-06-05"},
};

static void test_a_year_that_fits_is_accepted(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e = {0};
	school_year_input in = {"2026–2027", "2026-08-17", "2027-06-04", 7, false};
	school_year_check(a, &in, 0, district_years, 1, NULL, 0, &e);
	assert_int_equal(e.n, 0);
	arena_free(a);
}

static void test_an_overlapping_year_names_starts_on(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e = {0};
	school_year_input in = {"2026", "2026-05-01", "2027-05-01", 7, false};
	school_year_check(a, &in, 0, district_years, 1, NULL, 0, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "starts_on");
	assert_non_null(strstr(e.items[0].message, "2025–2026"));
	/* The same dates for the year itself (an edit) overlap nothing. */
	form_errors self = {0};
	school_year_input same = {"2025–2026", "2025-08-01", "2026-06-30", 7, false};
	school_year_check(a, &same, 10, district_years, 1, NULL, 0, &self);
	assert_int_equal(self.n, 0);
	arena_free(a);
}

static void test_a_year_ending_before_it_starts_names_ends_on(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e = {0};
	school_year_input in = {"Backwards", "2027-06-04", "2026-08-17", 7, false};
	school_year_check(a, &in, 0, NULL, 0, NULL, 0, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "ends_on");
	form_errors same_day = {0};
	school_year_input one = {"One day", "2027-06-04", "2027-06-04", 7, false};
	school_year_check(a, &one, 0, NULL, 0, NULL, 0, &same_day);
	assert_non_null(form_error_for(&same_day, "ends_on")); /* a year is more than a day */
	arena_free(a);
}

static void test_a_year_needs_name_district_and_dates(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e = {0};
	school_year_input in = {"", "2026-02-30", "", 0, false};
	school_year_check(a, &in, 0, NULL, 0, NULL, 0, &e);
	assert_non_null(form_error_for(&e, "name"));
	assert_non_null(form_error_for(&e, "district_id"));
	assert_non_null(strstr(form_error_for(&e, "starts_on"), "February 2026 has 28 days"));
	assert_non_null(form_error_for(&e, "ends_on"));
	form_errors unreadable = {0};
	school_year_input u = {"2026–2027", "2026-08-17", "2027-06-04", 0, true};
	school_year_check(a, &u, 0, NULL, 0, NULL, 0, &unreadable);
	assert_int_equal(unreadable.n, 1);
	assert_string_equal(unreadable.items[0].field, "district_id");
	arena_free(a);
}

static void test_shrinking_a_year_may_not_strand_a_term(void **state)
{
	(void)state;
	arena *a = arena_new();
	date_span terms[] = {{1, "Fall", "2025-08-18", "2026-01-16"},
			     {2, "Spring", "2026-01-20", "2026-06-05"}};
	form_errors e = {0};
	school_year_input in = {"2025–2026", "2025-09-01", "2026-05-29", 7, false};
	school_year_check(a, &in, 10, district_years, 1, terms, 2, &e);
	assert_int_equal(e.n, 2);
	assert_non_null(strstr(form_error_for(&e, "starts_on"), "Fall"));
	assert_non_null(strstr(form_error_for(&e, "ends_on"), "Spring"));
	form_errors wider = {0};
	school_year_input w = {"2025–2026", "2025-08-11", "2026-06-12", 7, false};
	school_year_check(a, &w, 10, district_years, 1, terms, 2, &wider);
	assert_int_equal(wider.n, 0);
	arena_free(a);
}

static const school_year year = {.id = 20,
				 .district_id = 7,
				 .name = "2026–2027",
				 .starts_on = "2026-08-17",
				 .ends_on = "2027-06-04",
				 .active = true};

static void test_terms_inside_the_year_are_accepted(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e = {0};
	term_input fall = {"Fall", "2026-08-17", "2027-01-15"};
	term_check(a, &fall, &year, NULL, 0, &e);
	assert_int_equal(e.n, 0);
	date_span have[] = {{1, "Fall", "2026-08-17", "2027-01-15"}};
	term_input spring = {"Spring", "2027-01-19", "2027-06-04"};
	term_check(a, &spring, &year, have, 1, &e);
	assert_int_equal(e.n, 0);
	arena_free(a);
}

static void test_a_term_outside_the_year_is_refused(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors late = {0};
	term_input summer = {"Summer", "2027-06-07", "2027-07-30"};
	term_check(a, &summer, &year, NULL, 0, &late);
	assert_non_null(form_error_for(&late, "starts_on"));
	assert_non_null(form_error_for(&late, "ends_on"));
	form_errors early = {0};
	term_input before = {"Early", "2026-08-01", "2026-09-30"};
	term_check(a, &before, &year, NULL, 0, &early);
	assert_int_equal(early.n, 1);
	assert_string_equal(early.items[0].field, "starts_on");
	form_errors over = {0};
	term_input spill = {"Spring", "2027-01-19", "2027-06-05"}; /* one day past */
	term_check(a, &spill, &year, NULL, 0, &over);
	assert_int_equal(over.n, 1);
	assert_string_equal(over.items[0].field, "ends_on");
	arena_free(a);
}

static void test_overlapping_terms_and_backwards_terms_are_refused(void **state)
{
	(void)state;
	arena *a = arena_new();
	date_span have[] = {{1, "Fall", "2026-08-17", "2027-01-15"}};
	form_errors e = {0};
	term_input spring = {"Spring", "2027-01-15", "2027-06-04"}; /* shares Jan 15 */
	term_check(a, &spring, &year, have, 1, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "starts_on");
	assert_non_null(strstr(e.items[0].message, "Fall"));
	form_errors back = {0};
	term_input backwards = {"Spring", "2027-03-01", "2027-02-01"};
	term_check(a, &backwards, &year, NULL, 0, &back);
	assert_int_equal(back.n, 1);
	assert_string_equal(back.items[0].field, "ends_on");
	form_errors nameless = {0};
	term_input none = {"", "2027-02-30", "2027-03-01"};
	term_check(a, &none, &year, NULL, 0, &nameless);
	assert_non_null(form_error_for(&nameless, "name"));
	assert_non_null(form_error_for(&nameless, "starts_on"));
	arena_free(a);
}

static void test_a_year_sits_in_its_district(void **state)
{
	(void)state;
	place p = school_year_place(7);
	assert_int_equal(p.org_id, 7);
	assert_int_equal(p.district_id, 7);
	assert_int_equal(p.partner_id, 0);
	record r = school_year_record(&p);
	assert_int_equal(r.kind, REC_SCHOOL_YEAR);
	assert_int_equal(r.nplaces, 1);
	/* A district leader there may change it; a teacher there may read it only. */
	grant lead = {ROLE_DISTRICT_LEADER, 7, 7, 0};
	grant teacher = {ROLE_TEACHER, 70, 7, 0};
	grant elsewhere = {ROLE_DISTRICT_LEADER, 8, 8, 0};
	actor a_lead = {.person_id = 1, .grants = &lead, .ngrants = 1};
	actor a_teacher = {.person_id = 2, .grants = &teacher, .ngrants = 1};
	actor a_other = {.person_id = 3, .grants = &elsewhere, .ngrants = 1};
	assert_true(may(&a_lead, ACT_UPDATE, &r));
	assert_true(may(&a_teacher, ACT_READ, &r));
	assert_false(may(&a_teacher, ACT_UPDATE, &r));
	assert_false(may(&a_other, ACT_READ, &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_real_dates_parse),
		cmocka_unit_test(test_dates_that_are_not_days),
		cmocka_unit_test(test_dates_in_other_shapes_are_refused),
		cmocka_unit_test(test_spans_overlap_including_their_ends),
		cmocka_unit_test(test_a_year_that_fits_is_accepted),
		cmocka_unit_test(test_an_overlapping_year_names_starts_on),
		cmocka_unit_test(test_a_year_ending_before_it_starts_names_ends_on),
		cmocka_unit_test(test_a_year_needs_name_district_and_dates),
		cmocka_unit_test(test_shrinking_a_year_may_not_strand_a_term),
		cmocka_unit_test(test_terms_inside_the_year_are_accepted),
		cmocka_unit_test(test_a_term_outside_the_year_is_refused),
		cmocka_unit_test(test_overlapping_terms_and_backwards_terms_are_refused),
		cmocka_unit_test(test_a_year_sits_in_its_district),
	};
	return cmocka_run_group_tests_name("schoolyear", tests, NULL, NULL);
}
