/* Unit tests for the learning walks' pure rules (src/observe/walk.c):
 * days and times as a visit names its classroom, grades and their bands,
 * a visit's checks against its rubric version (scale, indicators,
 * look-fors, the district's teacher setting), the records may() is asked
 * about, and the debrief's counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "base/arena.h"
#include "base/util.h"
#include "observe/walk.h"
#include "observe/walk_tally.h"

/* TRU-like: scale 1..3, three indicators, two look-fors. */
static rubric_version version(arena *a)
{
	static rubric_level levels[] = {{1, "Emerging", NULL}, {2, "Developing", NULL}, {3, "Strong", NULL}};
	rubric_indicator *ind = arena_calloc(a, 3, sizeof *ind);
	ind[0] = (rubric_indicator){11, "TRU1", "The mathematics", NULL, NULL};
	ind[1] = (rubric_indicator){12, "TRU2", "Cognitive demand", NULL, NULL};
	ind[2] = (rubric_indicator){13, "TRU4", "Agency", NULL, NULL};
	rubric_look_for *lf = arena_calloc(a, 2, sizeof *lf);
	lf[0] = (rubric_look_for){21, 0, "Students explain"};
	lf[1] = (rubric_look_for){22, 0, "Manipulatives in use"};
	return (rubric_version){.id = 7,
				.rubric_id = 3,
				.name = "TRU",
				.scale_min = 1,
				.scale_max = 3,
				.levels = levels,
				.nlevels = 3,
				.indicators = ind,
				.nindicators = 3,
				.look_fors = lf,
				.nlook_fors = 2};
}

static void test_dates_and_months(void **state)
{
	(void)state;
	assert_true(walk_date_valid("2026-09-17"));
	assert_true(walk_date_valid("2028-02-29"));
	assert_false(walk_date_valid("2026-02-29"));
	assert_false(walk_date_valid("2026-13-01"));
	assert_false(walk_date_valid("2026-9-17"));
	assert_false(walk_date_valid("17/09/2026"));
	assert_false(walk_date_valid(NULL));
	assert_int_equal(observed_month_of("2026-09-17"), 202609);
	assert_int_equal(observed_month_of("2026-12-31"), 202612);
	assert_int_equal(observed_month_of("nope"), 0);
}

static void test_times(void **state)
{
	(void)state;
	char t[6];
	assert_true(walk_time_parse("09:05", t));
	assert_string_equal(t, "09:05");
	assert_true(walk_time_parse("9:05", t));
	assert_string_equal(t, "09:05");
	assert_true(walk_time_parse("23:59", t));
	assert_true(walk_time_parse("00:00", t));
	assert_false(walk_time_parse("24:00", t));
	assert_false(walk_time_parse("12:60", t));
	assert_false(walk_time_parse("12:5", t));
	assert_false(walk_time_parse("1205", t));
	assert_false(walk_time_parse("12:05:00", t));
	assert_false(walk_time_parse("ab:cd", t));
	assert_false(walk_time_parse("", t));
	assert_false(walk_time_parse(NULL, t));
}

static void test_grades_and_bands(void **state)
{
	(void)state;
	assert_string_equal(walk_grade_normalize("k"), "K");
	assert_string_equal(walk_grade_normalize("12"), "12");
	assert_null(walk_grade_normalize("13"));
	assert_null(walk_grade_normalize("6-8"));
	assert_null(walk_grade_normalize(""));
	assert_string_equal(grade_band_of(walk_grade_normalize("k")), "K-2");
	assert_string_equal(grade_band_of("5"), "3-5");
	assert_string_equal(grade_band_of("7"), "6-8");
}

static observation_input good_visit(arena *a)
{
	observation_input in = {.grade = "3", .start_time = "9:40", .minutes = 10, .evidence = ""};
	in.ratings = arena_calloc(a, 4, sizeof *in.ratings);
	in.ratings[in.nratings++] = (obs_rating){0, "TRU2", 3, NULL};
	in.ratings[in.nratings++] = (obs_rating){0, "TRU4", 1, "Partners explained"};
	in.look_fors = arena_calloc(a, 3, sizeof *in.look_fors);
	in.look_fors[in.nlook_fors++] = (obs_look_for){21, 4};
	return in;
}

static void test_visit_checks(void **state)
{
	(void)state;
	arena *a = arena_new();
	rubric_version v = version(a);
	form_errors e = {0};
	observation_input in = good_visit(a);
	observation_input_check(a, &v, &in, true, false, &e);
	assert_int_equal(e.n, 0);
	assert_string_equal(in.start_time, "09:40");
	assert_int_equal(in.ratings[0].indicator_id, 12); /* resolved from its code */
	assert_null(in.evidence);                         /* blank is none */

	/* Off the scale, an unknown code, twice rated: each names the indicator. */
	in = good_visit(a);
	in.ratings[0].value = 4;
	in.ratings[1].code = "TRU9";
	e = (form_errors){0};
	observation_input_check(a, &v, &in, true, false, &e);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.items[0].field, "rating-TRU2");
	assert_non_null(strstr(e.items[0].message, "TRU2"));
	assert_string_equal(e.items[1].field, "rating-TRU9");
	in = good_visit(a);
	in.ratings[1].code = "TRU2";
	e = (form_errors){0};
	observation_input_check(a, &v, &in, true, false, &e);
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.items[0].message, "twice"));

	/* A walk visit needs grade and time; the grade and time are checked. */
	in = good_visit(a);
	in.grade = "";
	in.start_time = "25:00";
	in.minutes = 500;
	e = (form_errors){0};
	observation_input_check(a, &v, &in, true, false, &e);
	assert_int_equal(e.n, 3);
	assert_string_equal(e.items[0].field, "grade");
	assert_string_equal(e.items[1].field, "start_time");
	assert_string_equal(e.items[2].field, "minutes");

	/* Look-fors of the version only, counts in range. */
	in = good_visit(a);
	in.look_fors[0].look_for_id = 99;
	e = (form_errors){0};
	observation_input_check(a, &v, &in, true, false, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "look_for-99");
	in = good_visit(a);
	in.look_fors[0].count = -1;
	e = (form_errors){0};
	observation_input_check(a, &v, &in, true, false, &e);
	assert_int_equal(e.n, 1);
	arena_free(a);
}

static void test_teacher_setting(void **state)
{
	(void)state;
	arena *a = arena_new();
	rubric_version v = version(a);
	observation_input in = good_visit(a);
	in.teacher_id = 5;
	form_errors e = {0};
	observation_input_check(a, &v, &in, true, false, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "teacher_id");
	assert_string_equal(e.items[0].message, "this district does not name teachers on walk visits");
	e = (form_errors){0};
	in = good_visit(a);
	in.teacher_id = 5;
	observation_input_check(a, &v, &in, true, true, &e);
	assert_int_equal(e.n, 0);
	walk_settings off = {.district_name = "Prairie Glen School District 41"}, on = off;
	on.teacher_ids = true;
	assert_string_equal(
		walk_teacher_sentence(a, &off),
		"Teachers are not named on visits in Prairie Glen School District 41 (district setting).");
	assert_non_null(strstr(walk_teacher_sentence(a, &on), "may be named"));
	arena_free(a);
}

static void test_walk_checks_and_focus(void **state)
{
	(void)state;
	arena *a = arena_new();
	rubric_version v = version(a);
	int64_t walkers[] = {4};
	const char *focus[] = {"TRU4", "TRU1"};
	walk_input in = {.school_id = 3,
			 .walked_on = "2026-10-15",
			 .rubric_id = 1,
			 .walkers = walkers,
			 .nwalkers = 1,
			 .focus = focus,
			 .nfocus = 2};
	form_errors e = {0};
	walk_input_check(a, &in, &v, &e);
	assert_int_equal(e.n, 0);
	const rubric_indicator **ind;
	size_t n = walk_indicators(a, &v, focus, 2, &ind);
	assert_int_equal(n, 2);
	assert_string_equal(ind[0]->code, "TRU1"); /* the rubric's order */
	assert_string_equal(ind[1]->code, "TRU4");
	assert_int_equal(walk_indicators(a, &v, NULL, 0, &ind), 3);
	const char *bad[] = {"MP3"};
	in.focus = bad;
	in.nfocus = 1;
	in.walked_on = "2026-02-30";
	in.nwalkers = 0;
	walk_input_check(a, &in, &v, &e);
	assert_int_equal(e.n, 3);
	assert_string_equal(e.items[0].field, "walked_on");
	assert_string_equal(e.items[1].field, "walkers");
	assert_string_equal(e.items[2].field, "focus");
	arena_free(a);
}

static void test_records(void **state)
{
	(void)state;
	int64_t walkers[] = {4, 9};
	walk w = {.id = 1,
		  .district_id = 2,
		  .school_id = 3,
		  .created_by = 8,
		  .walker_ids = walkers,
		  .nwalkers = 2};
	place p[1];
	record r = walk_record(p, &w);
	assert_int_equal(r.kind, REC_WALK);
	assert_int_equal(r.places[0].org_id, 3);
	assert_int_equal(r.places[0].district_id, 2);
	assert_int_equal(r.person_id, 8);
	assert_int_equal(r.ncoaches, 2);
	observation o = {.observer_id = 9};
	r = visit_record(p, &w, &o, 0);
	assert_int_equal(r.kind, REC_VISIT);
	assert_int_equal(r.person_id, 9);
	r = visit_record(p, &w, NULL, 4);
	assert_int_equal(r.person_id, 4);
	r = walk_settings_record(p, 2);
	assert_int_equal(r.kind, REC_WALK_SUMMARY);
	assert_int_equal(r.places[0].org_id, 2);
	assert_true(walk_is_walker(&w, 9));
	assert_false(walk_is_walker(&w, 8));
	assert_false(walk_is_walker(&w, 0));
}

static void test_debrief_counts(void **state)
{
	(void)state;
	arena *a = arena_new();
	rubric_version v = version(a);
	observation visits[3] = {0};
	static obs_rating r0[] = {{11, "TRU1", 1, NULL}, {12, "TRU2", 3, NULL}};
	static obs_rating r1[] = {{11, "TRU1", 3, NULL}};
	static obs_rating r2[] = {{11, "TRU1", 3, NULL}, {12, "TRU2", 2, NULL}};
	static obs_look_for l0[] = {{21, 2}}, l2[] = {{21, 1}, {22, 5}};
	visits[0] = (observation){.ratings = r0, .nratings = 2, .look_fors = l0, .nlook_fors = 1};
	visits[1] = (observation){.ratings = r1, .nratings = 1};
	visits[2] = (observation){.ratings = r2, .nratings = 2, .look_fors = l2, .nlook_fors = 2};
	const rubric_indicator **ind;
	size_t ni = walk_indicators(a, &v, NULL, 0, &ind);
	walk_debrief d;
	walk_debrief_compute(a, &v, ind, ni, visits, 3, &d);
	assert_int_equal(d.visits, 3);
	assert_int_equal(d.nindicators, 3);
	assert_int_equal(d.indicators[0].rated, 3);
	assert_int_equal(d.indicators[0].counts[0], 1);
	assert_int_equal(d.indicators[0].counts[1], 0);
	assert_int_equal(d.indicators[0].counts[2], 2);
	assert_int_equal(d.indicators[0].total, 7);
	assert_int_equal(d.indicators[1].rated, 2);
	assert_int_equal(d.indicators[2].rated, 0);
	assert_int_equal(d.look_for_totals[0], 3);
	assert_int_equal(d.look_for_totals[1], 5);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates_and_months), cmocka_unit_test(test_times),
		cmocka_unit_test(test_grades_and_bands), cmocka_unit_test(test_visit_checks),
		cmocka_unit_test(test_teacher_setting),  cmocka_unit_test(test_walk_checks_and_focus),
		cmocka_unit_test(test_records),          cmocka_unit_test(test_debrief_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
