/* Unit tests for the rubric builder's pure rules (src/observe/rubric.c):
 * rubric_input_check naming the first problem of each part precisely; the
 * builder's text boxes read line by line, with problems naming their line,
 * and written back so that they read the same; comparing input with a
 * version; the codes an edit drops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/util.h"
#include "observe/rubric.h"

#define A ((arena *)*state)

static int setup(void **state)
{
	*state = arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

/* A good rubric: scale 1-4, two labelled levels, three indicators (one
 * described at two levels), two look-fors. */
static rubric_input good(arena *a)
{
	rubric_level *levels = arena_calloc(a, 2, sizeof *levels);
	levels[0] = (rubric_level){1, "Not yet", "Little seen."};
	levels[1] = (rubric_level){4, "Strong", NULL};
	rubric_cell *cells = arena_calloc(a, 2, sizeof *cells);
	cells[0] = (rubric_cell){1, "Steps given."};
	cells[1] = (rubric_cell){4, "Students wrestle."};
	rubric_indicator_input *ind = arena_calloc(a, 3, sizeof *ind);
	ind[0] = (rubric_indicator_input){"TRU2", "Cognitive demand", "Room to think.", cells, 2};
	ind[1] = (rubric_indicator_input){"TRU3", "Equitable access", NULL, NULL, 0};
	ind[2] = (rubric_indicator_input){"PG-1.a", "Student discourse", NULL, NULL, 0};
	rubric_look_for_input *lf = arena_calloc(a, 2, sizeof *lf);
	lf[0] = (rubric_look_for_input){"PG-1.a", "Students explain to a peer"};
	lf[1] = (rubric_look_for_input){NULL, "Representations displayed"};
	return (rubric_input){.org_id = 7,
			      .name = "Walk tool",
			      .scale_min = 1,
			      .scale_max = 4,
			      .levels = levels,
			      .nlevels = 2,
			      .indicators = ind,
			      .nindicators = 3,
			      .look_fors = lf,
			      .nlook_fors = 2};
}

/* The message of the first problem in field, or NULL. */
static const char *problem_in(arena *a, const rubric_input *in, const char *field)
{
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	size_t n = rubric_input_check(a, in, p);
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].field, field) == 0) return p[i].message;
	return NULL;
}

static void expect(arena *a, const rubric_input *in, const char *field, const char *message)
{
	const char *got = problem_in(a, in, field);
	if (!got) fail_msg("no problem in %s; expected \"%s\"", field, message);
	assert_string_equal(got, message);
}

static char *repeat(arena *a, char c, size_t n)
{
	char *s = arena_calloc(a, n + 1, 1);
	memset(s, c, n);
	return s;
}

static void test_good_input_passes(void **state)
{
	rubric_input in = good(A);
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	assert_int_equal(rubric_input_check(A, &in, p), 0);
	in.scale_min = 0;
	in.scale_max = 9; /* ten points */
	assert_int_equal(rubric_input_check(A, &in, p), 0);
	in.name = repeat(A, 'n', 200);
	in.levels[0].label = repeat(A, 'l', 60);
	in.indicators[1].code = repeat(A, 'C', 16);
	assert_int_equal(rubric_input_check(A, &in, p), 0);
}

static void test_names(void **state)
{
	rubric_input in = good(A);
	in.name = "  ";
	expect(A, &in, "name", "Give the rubric a name.");
	in.name = repeat(A, 'n', 201);
	expect(A, &in, "name", "The name is longer than 200 characters.");
	/* Characters, not bytes: 200 two-byte letters fit. */
	char *wide = arena_calloc(A, 401, 1);
	for (int i = 0; i < 200; i++) memcpy(wide + 2 * i, "é", 2);
	in.name = wide;
	assert_null(problem_in(A, &in, "name"));
	in.name = "two\nlines";
	expect(A, &in, "name", "The name cannot contain line breaks.");
	in = good(A);
	in.description = repeat(A, 'd', 2001);
	expect(A, &in, "description", "The description is longer than 2,000 characters.");
}

static void test_scale(void **state)
{
	rubric_input in = good(A);
	in.scale_min = 3;
	in.scale_max = 3;
	expect(A, &in, "scale", "The top of the scale (3) must be above its bottom (3).");
	in.scale_min = 1;
	in.scale_max = 11;
	expect(A, &in, "scale", "A scale has 2 to 10 points; 1 to 11 has 11.");
	/* On a wrong scale, levels and descriptors say nothing more. */
	assert_null(problem_in(A, &in, "levels"));
	assert_null(problem_in(A, &in, "descriptors"));
	in.scale_min = -101;
	in.scale_max = -99;
	expect(A, &in, "scale", "The scale's ends lie between -100 and 100.");
}

static void test_levels(void **state)
{
	rubric_input in = good(A);
	in.levels[1].level = 5;
	expect(A, &in, "levels", "The label of level 5 is not on the scale 1 to 4.");
	in.levels[1].level = 1;
	expect(A, &in, "levels", "Level 1 is given twice.");
	in = good(A);
	in.levels[1].label = "";
	expect(A, &in, "levels", "Give level 4 a label.");
	in.levels[1].label = repeat(A, 'l', 61);
	expect(A, &in, "levels", "The label of level 4 is longer than 60 characters.");
	in.levels[1].label = "a | b";
	expect(A, &in, "levels", "The label and descriptor of level 4 cannot contain | or line breaks.");
	in.levels[1].label = "Strong";
	in.levels[1].descriptor = repeat(A, 'x', 1001);
	expect(A, &in, "levels", "The descriptor of level 4 is longer than 1,000 characters.");
}

static void test_indicators(void **state)
{
	rubric_input in = good(A);
	in.indicators[2].code = "tru2"; /* the same code, case aside */
	expect(A, &in, "indicators", "Indicator 3: the code “tru2” appears twice (indicator 1 has it).");
	in.indicators[2].code = "TRU2";
	expect(A, &in, "indicators", "Indicator 3: the code “TRU2” appears twice (indicator 1 has it).");
	in.indicators[2].code = "PG 1";
	expect(A, &in, "indicators",
	       "Indicator 3: “PG 1” is not a code: use 1 to 16 letters, digits, '.', '-' or '_'.");
	in.indicators[2].code = repeat(A, 'C', 17);
	assert_non_null(strstr(problem_in(A, &in, "indicators"), "is not a code"));
	in.indicators[2].code = "";
	assert_non_null(strstr(problem_in(A, &in, "indicators"), "Indicator 3: “” is not a code"));
	in = good(A);
	in.indicators[1].name = " ";
	expect(A, &in, "indicators", "Indicator 2 (TRU3): give it a name.");
	in.indicators[1].name = repeat(A, 'n', 201);
	expect(A, &in, "indicators", "Indicator 2 (TRU3): the name is longer than 200 characters.");
	in.indicators[1].name = "Access";
	in.indicators[1].description = "with | bar";
	expect(A, &in, "indicators",
	       "Indicator 2 (TRU3): the name and description cannot contain | or line breaks.");
	in.indicators[1].description = repeat(A, 'd', 2001);
	expect(A, &in, "indicators", "Indicator 2 (TRU3): the description is longer than 2,000 characters.");
	in.nindicators = 0;
	expect(A, &in, "indicators", "Give the rubric at least one indicator.");
	rubric_indicator_input many[41];
	for (int i = 0; i < 41; i++)
		many[i] = (rubric_indicator_input){arena_printf(A, "I%d", i), "Name", NULL, NULL, 0};
	in = good(A);
	in.indicators = many;
	in.nindicators = 41;
	in.nlook_fors = 0;
	expect(A, &in, "indicators", "A rubric has at most 40 indicators; this one has 41.");
	in.nindicators = 40;
	assert_null(problem_in(A, &in, "indicators"));
}

static void test_descriptors(void **state)
{
	rubric_input in = good(A);
	in.indicators[0].levels[1].level = 0;
	expect(A, &in, "descriptors", "Indicator 1 (TRU2): level 0 is not on the scale 1 to 4.");
	in.indicators[0].levels[1].level = 1;
	expect(A, &in, "descriptors", "Indicator 1 (TRU2): level 1 is described twice.");
	in.indicators[0].levels[1] = (rubric_cell){3, ""};
	expect(A, &in, "descriptors", "Indicator 1 (TRU2): the descriptor of level 3 is empty.");
	in.indicators[0].levels[1].descriptor = repeat(A, 'x', 1001);
	expect(A, &in, "descriptors",
	       "Indicator 1 (TRU2): the descriptor of level 3 is longer than 1,000 characters.");
	/* While an indicator is wrong, what it says of levels waits. */
	in.indicators[0].code = "bad code";
	assert_non_null(problem_in(A, &in, "indicators"));
	assert_null(problem_in(A, &in, "descriptors"));
}

static void test_look_fors(void **state)
{
	rubric_input in = good(A);
	in.look_fors[0].indicator_code = "PG9";
	expect(A, &in, "look_fors", "Look-for 1: there is no indicator “PG9” in this rubric.");
	in.look_fors[0].indicator_code = "";
	assert_null(problem_in(A, &in, "look_fors")); /* "" is the whole lesson */
	in.look_fors[1].text = "";
	expect(A, &in, "look_fors", "Look-for 2: write what to look for.");
	in.look_fors[1].text = repeat(A, 't', 301);
	expect(A, &in, "look_fors", "Look-for 2 is longer than 300 characters.");
	in.look_fors[1].text = "a|b";
	expect(A, &in, "look_fors", "Look-for 2 cannot contain | or line breaks.");
	rubric_look_for_input many[61];
	for (int i = 0; i < 61; i++) many[i] = (rubric_look_for_input){NULL, "Something"};
	in.look_fors = many;
	in.nlook_fors = 61;
	expect(A, &in, "look_fors", "A rubric has at most 60 look-fors; this one has 61.");
}

static void test_first_problem_of_each_part(void **state)
{
	rubric_input in = good(A);
	in.name = "";
	in.indicators[2].code = "TRU3";
	in.look_fors[1].text = "";
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	assert_int_equal(rubric_input_check(A, &in, p), 3);
	assert_string_equal(p[0].field, "name");
	assert_string_equal(p[1].field, "indicators");
	assert_string_equal(p[2].field, "look_fors");
}

static const char *problem_of(rubric_problem *p, size_t n, const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(p[i].field, field) == 0) return p[i].message;
	return NULL;
}

static void test_parse_boxes(void **state)
{
	rubric_text t = {
		.levels = "1 | Not yet | Little seen.\n\n  4 |Strong\n",
		.indicators =
			"TRU2 | Cognitive demand | Room to think.\r\nTRU3 | Equitable access\nPG1|Discourse|",
		.descriptors = "TRU2 | 4 | Students wrestle.\nTRU2 | 1 | Steps given.\n",
		.look_fors = "PG1 | Students explain to a peer\nRepresentations displayed\n",
	};
	rubric_input in = {.scale_min = 1, .scale_max = 4, .name = "x"};
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	assert_int_equal(rubric_text_parse(A, &t, &in, p), 0);
	assert_int_equal(in.nlevels, 2);
	assert_int_equal(in.levels[1].level, 4);
	assert_string_equal(in.levels[1].label, "Strong");
	assert_null(in.levels[1].descriptor);
	assert_string_equal(in.levels[0].descriptor, "Little seen.");
	assert_int_equal(in.nindicators, 3);
	assert_string_equal(in.indicators[0].description, "Room to think.");
	assert_null(in.indicators[1].description);
	assert_string_equal(in.indicators[2].code, "PG1");
	assert_null(in.indicators[2].description);
	assert_int_equal(in.indicators[0].nlevels, 2);
	assert_int_equal(in.indicators[0].levels[0].level, 4);
	assert_int_equal(in.indicators[1].nlevels, 0);
	assert_int_equal(in.nlook_fors, 2);
	assert_string_equal(in.look_fors[0].indicator_code, "PG1");
	assert_null(in.look_fors[1].indicator_code);
	assert_string_equal(in.look_fors[1].text, "Representations displayed");
	assert_int_equal(rubric_input_check(A, &in, p), 0);
}

static void test_parse_problems_name_lines(void **state)
{
	rubric_text t = {
		.levels = "1 | Low\none | High\n",
		.indicators = "TRU2 | Demand\n\nTRU3\n",
		.descriptors = "TRU2 | 3 | ok\nTRU9 | 2 | who?\n",
		.look_fors = "A | b | c\n",
	};
	rubric_input in = {0};
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	size_t n = rubric_text_parse(A, &t, &in, p);
	assert_int_equal(n, 4);
	assert_string_equal(
		problem_of(p, n, "levels"),
		"Line 2 of the levels: “one” is not a level: write its number, from -100 to 100.");
	assert_string_equal(problem_of(p, n, "indicators"),
			    "Line 3 of the indicators: write CODE | Name | Description.");
	assert_string_equal(problem_of(p, n, "descriptors"),
			    "Line 2 of the descriptors: there is no indicator “TRU9” in the indicators.");
	assert_string_equal(problem_of(p, n, "look_fors"),
			    "Line 1 of the look-fors: write the text, or CODE | Text.");
	/* Lines before a bad one were read. */
	assert_int_equal(in.nlevels, 1);
	assert_int_equal(in.nindicators, 1);
	assert_int_equal(in.indicators[0].nlevels, 1);

	t = (rubric_text){
		.indicators = "A | a | b | c\n", .descriptors = "A | 2\n", .look_fors = " | text\n"};
	n = rubric_text_parse(A, &t, &in, p);
	assert_string_equal(problem_of(p, n, "indicators"),
			    "Line 1 of the indicators: write CODE | Name | Description.");
	assert_string_equal(problem_of(p, n, "look_fors"),
			    "Line 1 of the look-fors: write the text, or CODE | Text.");
	assert_null(problem_of(p, n, "levels"));
}

static void test_parse_bounds(void **state)
{
	const char *lines = "";
	for (int i = 1; i <= 41; i++) lines = arena_printf(A, "%sI%d | Name\n", lines, i);
	rubric_text t = {.indicators = lines};
	rubric_input in = {0};
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	size_t n = rubric_text_parse(A, &t, &in, p);
	assert_string_equal(problem_of(p, n, "indicators"),
			    "A rubric has at most 40 indicators; line 41 is the 41st.");
	assert_int_equal(in.nindicators, 40);
	t = (rubric_text){.look_fors = repeat(A, 'x', RUBRIC_BOX_MAX + 1)};
	n = rubric_text_parse(A, &t, &in, p);
	assert_string_equal(problem_of(p, n, "look_fors"),
			    "The box of the look-fors holds more than 65,536 characters.");
	assert_int_equal(in.nlook_fors, 0);
	lines = "";
	for (int i = 1; i <= 11; i++) lines = arena_printf(A, "%s%d | L\n", lines, i);
	t = (rubric_text){.levels = lines};
	n = rubric_text_parse(A, &t, &in, p);
	assert_string_equal(problem_of(p, n, "levels"), "The box of the levels holds more than 10 lines.");
	/* Nothing at all reads as nothing. */
	t = (rubric_text){0};
	assert_int_equal(rubric_text_parse(A, &t, &in, p), 0);
	assert_int_equal(in.nindicators + in.nlevels + in.nlook_fors, 0);
}

static void test_text_round_trip(void **state)
{
	rubric_input in = good(A);
	rubric_text t = rubric_text_of(A, &in);
	assert_string_equal(t.levels, "1 | Not yet | Little seen.\n4 | Strong\n");
	assert_string_equal(t.indicators,
			    "TRU2 | Cognitive demand | Room to think.\nTRU3 | Equitable access\n"
			    "PG-1.a | Student discourse\n");
	assert_string_equal(t.descriptors, "TRU2 | 1 | Steps given.\nTRU2 | 4 | Students wrestle.\n");
	assert_string_equal(t.look_fors, "PG-1.a | Students explain to a peer\nRepresentations displayed\n");
	rubric_input back = {.scale_min = 1, .scale_max = 4};
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	assert_int_equal(rubric_text_parse(A, &t, &back, p), 0);
	rubric_text again = rubric_text_of(A, &back);
	assert_string_equal(again.levels, t.levels);
	assert_string_equal(again.indicators, t.indicators);
	assert_string_equal(again.descriptors, t.descriptors);
	assert_string_equal(again.look_fors, t.look_fors);
}

/* The version good() describes, as the store would load it. */
static rubric_version version_of_good(arena *a)
{
	rubric_version v = {.id = 9,
			    .rubric_id = 3,
			    .version = 2,
			    .org_id = 7,
			    .name = "Walk tool",
			    .scale_min = 1,
			    .scale_max = 4,
			    .nlevels = 4,
			    .nindicators = 3,
			    .nlook_fors = 2};
	v.levels = arena_calloc(a, 4, sizeof *v.levels);
	for (int i = 0; i < 4; i++) v.levels[i].level = i + 1;
	v.levels[0] = (rubric_level){1, "Not yet", "Little seen."};
	v.levels[3] = (rubric_level){4, "Strong", NULL};
	v.indicators = arena_calloc(a, 3, sizeof *v.indicators);
	const char *codes[] = {"TRU2", "TRU3", "PG-1.a"},
		   *names[] = {"Cognitive demand", "Equitable access", "Student discourse"};
	for (int i = 0; i < 3; i++) {
		v.indicators[i] = (rubric_indicator){100 + i, codes[i], names[i], NULL,
						     arena_calloc(a, 4, sizeof(char *))};
	}
	v.indicators[0].description = "Room to think.";
	v.indicators[0].level_descriptors[0] = "Steps given.";
	v.indicators[0].level_descriptors[3] = "Students wrestle.";
	v.look_fors = arena_calloc(a, 2, sizeof *v.look_fors);
	v.look_fors[0] = (rubric_look_for){50, 102, "Students explain to a peer"};
	v.look_fors[1] = (rubric_look_for){51, 0, "Representations displayed"};
	return v;
}

static void test_same_content(void **state)
{
	rubric_version v = version_of_good(A);
	rubric_input in = good(A);
	assert_true(rubric_input_same_content(&in, &v));
	in.name = "Another name"; /* the name is the rubric's, not the version's */
	assert_true(rubric_input_same_content(&in, &v));
	in.description = "";
	assert_true(rubric_input_same_content(&in, &v));
	in.description = "Now described";
	assert_false(rubric_input_same_content(&in, &v));
	in = good(A);
	in.indicators[0].levels[1].descriptor = "Students wrestle!";
	assert_false(rubric_input_same_content(&in, &v));
	in = good(A);
	in.indicators[0].nlevels = 1;
	assert_false(rubric_input_same_content(&in, &v));
	in = good(A);
	in.look_fors[0].indicator_code = NULL;
	assert_false(rubric_input_same_content(&in, &v));
	in = good(A);
	in.levels[1].label = "Very strong";
	assert_false(rubric_input_same_content(&in, &v));
	in = good(A);
	in.scale_max = 5;
	assert_false(rubric_input_same_content(&in, &v));
	/* A version read back as input says the same. */
	rubric_input back;
	rubric_input_of_version(A, &v, &back);
	assert_true(rubric_input_same_content(&back, &v));
	assert_int_equal(back.org_id, 7);
	assert_int_equal(back.nlevels, 2);
	assert_int_equal(back.indicators[0].nlevels, 2);
	assert_string_equal(back.look_fors[0].indicator_code, "PG-1.a");
	assert_null(back.look_fors[1].indicator_code);
}

static void test_codes_removed(void **state)
{
	rubric_version v = version_of_good(A);
	rubric_input in = good(A);
	const char **gone;
	assert_int_equal(rubric_codes_removed(A, &v, &in, &gone), 0);
	in.indicators[1].code = "TRU4";
	in.nindicators = 2; /* PG-1.a dropped, TRU3 renamed */
	in.nlook_fors = 1;
	in.look_fors[0] = in.look_fors[1];
	assert_int_equal(rubric_codes_removed(A, &v, &in, &gone), 2);
	assert_string_equal(gone[0], "TRU3");
	assert_string_equal(gone[1], "PG-1.a");
}

/* Which rubrics a district's forms offer: built-ins, its own and its
 * partner's, and only while active. */
static void test_offered_in(void **state)
{
	(void)state;
	rubric_version builtin = {.active = true}, ours = {.active = true, .org_id = 10},
		       partners = {.active = true, .org_id = 30}, theirs = {.active = true, .org_id = 20},
		       retired = {.active = false, .org_id = 10};
	assert_true(rubric_offered_in(&builtin, 10, 0));
	assert_true(rubric_offered_in(&ours, 10, 0));
	assert_true(rubric_offered_in(&partners, 10, 30));
	assert_false(rubric_offered_in(&partners, 10, 0));
	assert_false(rubric_offered_in(&theirs, 10, 30));
	assert_false(rubric_offered_in(&retired, 10, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_input_passes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indicators, setup, teardown),
		cmocka_unit_test_setup_teardown(test_descriptors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_look_fors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_problem_of_each_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_boxes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_problems_name_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parse_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_codes_removed, setup, teardown),
		cmocka_unit_test(test_offered_in),
	};
	return cmocka_run_group_tests_name("rubric", tests, NULL, NULL);
}
