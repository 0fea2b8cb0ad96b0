/* Unit tests for the team rules: kinds and team roles, grades and grade
 * bands, the checks a team's fields pass, how many distinct roles a team's
 * members hold, and the record may() is asked about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "team/team.h"

static void test_kinds_and_team_roles(void **state)
{
	(void)state;
	size_t n;
	const char *const *kinds = team_kinds(&n);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++) {
		assert_true(team_kind_valid(kinds[i]));
		assert_non_null(team_kind_label(kinds[i]));
	}
	assert_string_equal(team_kind_label("leadership"), "Leadership team");
	assert_string_equal(team_kind_label("plc"), "PLC");
	assert_false(team_kind_valid("Leadership"));
	assert_false(team_kind_valid("committee"));
	assert_false(team_kind_valid(""));
	assert_false(team_kind_valid(NULL));
	const char *const *roles = team_roles(&n);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) assert_true(team_role_valid(roles[i]));
	assert_string_equal(team_role_label("facilitator"), "Facilitator");
	assert_false(team_role_valid("chair"));
	assert_false(team_role_valid(NULL));
}

static void grade_is(const char *in, const char *want, bool want_band)
{
	char out[16];
	bool band = !want_band;
	assert_true(team_grade_parse(in, out, sizeof out, &band));
	assert_string_equal(out, want);
	assert_int_equal(band, want_band);
}

static void test_grades_and_bands(void **state)
{
	(void)state;
	grade_is("4", "4", false);
	grade_is("G4", "4", false);
	grade_is("g12", "12", false);
	grade_is("K", "K", false);
	grade_is("k", "K", false);
	grade_is("GK", "K", false);
	grade_is("6-8", "6-8", true);
	grade_is("G6-8", "6-8", true);
	grade_is("K-2", "K-2", true);
	grade_is("9-12", "9-12", true);
	grade_is("3\xE2\x80\x93"
		 "5",
		 "3-5", true); /* an en dash */
	char out[16];
	bool band;
	static const char *const bad[] = {"",   "0",  "13",      "4.5", "8-6",  "5-5", "K-13",
					  "-3", "3-", "grade 4", "04x", "6--8", "A"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(team_grade_parse(bad[i], out, sizeof out, &band));
	assert_false(team_grade_parse(NULL, out, sizeof out, &band));
	assert_false(team_grade_parse("4", out, 4, &band)); /* too small to write into */
}

static void test_grade_labels(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(team_grade_label(a, "4"), "G4");
	assert_string_equal(team_grade_label(a, "K"), "GK");
	assert_string_equal(team_grade_label(a, "6-8"), "G6-8");
	assert_null(team_grade_label(a, NULL));
	assert_null(team_grade_label(a, ""));
	arena_free(a);
}

static void test_a_good_team_passes_and_its_grade_is_normalized(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e = {0};
	team_input in = {"Grade 4 Problem Solvers", "grade_level", "G4", 12, false};
	team_check(a, &in, &e);
	assert_int_equal(e.n, 0);
	assert_string_equal(in.grade, "4");
	form_errors none = {0};
	team_input district = {"District Math Leadership Team", "leadership", "", 3, false};
	team_check(a, &district, &none);
	assert_int_equal(none.n, 0);
	assert_null(district.grade); /* no grade, not an empty one */
	arena_free(a);
}

static void test_grade_rules_by_kind(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e1 = {0}, e2 = {0}, e3 = {0}, e4 = {0}, e5 = {0};
	team_input level_without = {"G4 team", "grade_level", NULL, 12, false};
	team_check(a, &level_without, &e1);
	assert_int_equal(e1.n, 1);
	assert_string_equal(e1.items[0].field, "grade");
	team_input level_band = {"G4 team", "grade_level", "3-5", 12, false};
	team_check(a, &level_band, &e2);
	assert_int_equal(e2.n, 1);
	assert_string_equal(e2.items[0].field, "grade");
	team_input band_single = {"Upper", "grade_band", "6", 12, false};
	team_check(a, &band_single, &e3);
	assert_int_equal(e3.n, 1);
	assert_string_equal(e3.items[0].field, "grade");
	team_input vertical = {"K-5 vertical", "vertical", "K-5", 12, false};
	team_check(a, &vertical, &e4);
	assert_int_equal(e4.n, 0);
	team_input plc_bad = {"PLC", "plc", "14", 12, false};
	team_check(a, &plc_bad, &e5);
	assert_int_equal(e5.n, 1);
	assert_string_equal(e5.items[0].field, "grade");
	arena_free(a);
}

static void test_each_wrong_field_is_named(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e = {0};
	team_input in = {"", "committee", NULL, 0, false};
	team_check(a, &in, &e);
	assert_non_null(form_error_for(&e, "name"));
	assert_non_null(form_error_for(&e, "kind"));
	assert_non_null(form_error_for(&e, "org_id"));
	assert_null(form_error_for(&e, "grade")); /* an unknown kind asks for no grade */
	form_errors ctl = {0};
	team_input control = {"G4\x01", "plc", NULL, 12, true};
	team_check(a, &control, &ctl);
	assert_non_null(form_error_for(&ctl, "name"));
	assert_non_null(form_error_for(&ctl, "org_id")); /* given, but not an id */
	char long_name[260];
	memset(long_name, 'x', sizeof long_name - 1);
	long_name[sizeof long_name - 1] = 0;
	form_errors len = {0};
	team_input too_long = {long_name, "plc", NULL, 12, false};
	team_check(a, &too_long, &len);
	assert_int_equal(len.n, 1);
	assert_string_equal(len.items[0].field, "name");
	arena_free(a);
}

static unsigned bit(role r)
{
	return 1u << r;
}

static void test_distinct_roles_count_each_role_once(void **state)
{
	(void)state;
	assert_int_equal(team_distinct_roles(NULL, 0), 0);
	/* The demo's district leadership team: a leader, a principal, a coach. */
	team_member leadership[] = {
		{.person_id = 1, .roles = bit(ROLE_DISTRICT_LEADER)},
		{.person_id = 2, .roles = bit(ROLE_PRINCIPAL)},
		{.person_id = 3, .roles = bit(ROLE_COACH)},
	};
	assert_int_equal(team_distinct_roles(leadership, 3), 3);
	assert_true(team_is_role_diverse(3));
	/* A grade-level team of teachers is one role however many members. */
	team_member teachers[] = {
		{.person_id = 4, .roles = bit(ROLE_TEACHER)},
		{.person_id = 5, .roles = bit(ROLE_TEACHER)},
		{.person_id = 6, .roles = bit(ROLE_TEACHER)},
		{.person_id = 7, .roles = 0}, /* no role in the district */
	};
	assert_int_equal(team_distinct_roles(teachers, 4), 1);
	assert_false(team_is_role_diverse(1));
	/* One person holding two roles brings both. */
	team_member two_hats[] = {
		{.person_id = 8, .roles = bit(ROLE_TEACHER) | bit(ROLE_COACH)},
		{.person_id = 9, .roles = bit(ROLE_COACH)},
	};
	assert_int_equal(team_distinct_roles(two_hats, 2), 2);
	assert_false(team_is_role_diverse(2));
	team_member everyone[] = {{.person_id = 10, .roles = (1u << ROLE_COUNT) - 1}};
	assert_int_equal(team_distinct_roles(everyone, 1), ROLE_COUNT);
}

static void test_members_read_their_team_and_teachers_their_school(void **state)
{
	(void)state;
	/* A team at school 30 of district 3. */
	place p = team_place(30, 3);
	assert_int_equal(p.org_id, 30);
	assert_int_equal(p.district_id, 3);
	int64_t members[] = {41, 42};
	record r = team_record(&p, members, 2);
	assert_int_equal(r.kind, REC_TEAM);
	grant other_school = {ROLE_TEACHER, 31, 3, 0};
	grant this_school = {ROLE_TEACHER, 30, 3, 0};
	grant principal = {ROLE_PRINCIPAL, 30, 3, 0};
	grant other_principal = {ROLE_PRINCIPAL, 31, 3, 0};
	actor member = {.person_id = 42, .grants = &other_school, .ngrants = 1};
	actor outsider = {.person_id = 43, .grants = &other_school, .ngrants = 1};
	actor colleague = {.person_id = 44, .grants = &this_school, .ngrants = 1};
	actor head = {.person_id = 45, .grants = &principal, .ngrants = 1};
	actor other_head = {.person_id = 46, .grants = &other_principal, .ngrants = 1};
	assert_true(may(&member, ACT_READ, &r));
	assert_false(may(&outsider, ACT_READ, &r));
	assert_true(may(&colleague, ACT_READ, &r));
	assert_false(may(&colleague, ACT_CREATE, &r));
	assert_false(may(&member, ACT_UPDATE, &r)); /* membership reads, it does not manage */
	assert_true(may(&head, ACT_CREATE, &r));
	assert_false(may(&other_head, ACT_CREATE, &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_and_team_roles),
		cmocka_unit_test(test_grades_and_bands),
		cmocka_unit_test(test_grade_labels),
		cmocka_unit_test(test_a_good_team_passes_and_its_grade_is_normalized),
		cmocka_unit_test(test_grade_rules_by_kind),
		cmocka_unit_test(test_each_wrong_field_is_named),
		cmocka_unit_test(test_distinct_roles_count_each_role_once),
		cmocka_unit_test(test_members_read_their_team_and_teachers_their_school),
	};
	return cmocka_run_group_tests_name("team", tests, NULL, NULL);
}
