/* Unit tests for the codes engagements and cycles name (src/standards):
 * every CCSS code of the reference list (when ../shared is beside the
 * repository) and a list of look-alikes that are not codes; the framework
 * focus codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/util.h"
#include "reference.h"
#include "standards/standards.h"

#define CCSS_CSV REFERENCE_ROOT "/data/ccss/ccss_math_normalized.csv"

static char *repeat(arena *a, const char *unit, size_t n)
{
	size_t len = strlen(unit);
	char *s = arena_alloc(a, len * n + 1);
	for (size_t i = 0; i < n; i++) memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

/* Every code of the reference list is accepted as it is written there, and
 * the standards' own identifier (CCSS.MATH.CONTENT.K.CC.B.4.A) reads as it. */
static void test_ccss_reference_list(void **state)
{
	(void)state;
	REFERENCE_OR_SKIP(CCSS_CSV);
	FILE *fp = fopen(CCSS_CSV, "r");
	if (!fp) fail_msg("cannot read %s (run the tests from the repository root)", CCSS_CSV);
	arena *a = arena_new();
	char line[4096];
	size_t codes = 0;
	assert_non_null(fgets(line, sizeof line, fp)); /* the header */
	assert_true(str_starts(line, "item_id,code,source_key,"));
	while (fgets(line, sizeof line, fp)) {
		/* The first three columns hold no commas or quotes. */
		char *code = strchr(line, ',');
		if (!code) continue;
		code++;
		char *key = strchr(code, ',');
		assert_non_null(key);
		*key++ = '\0';
		char *end = strchr(key, ',');
		assert_non_null(end);
		*end = '\0';
		if (!ccss_code_valid(code)) fail_msg("rejected %s", code);
		if (!ccss_code_valid(key)) fail_msg("rejected %s", key);
		form_errors e = {0};
		assert_string_equal(ccss_codes_normalize(a, code, "standards", &e), code);
		assert_string_equal(ccss_codes_normalize(a, key, "standards", &e), code);
		assert_int_equal(e.n, 0);
		codes++;
	}
	fclose(fp);
	assert_int_equal(codes, 664);
	arena_free(a);
}

static void test_ccss_grammar(void **state)
{
	(void)state;
	static const char *const rejects[] = {"4.NF.A.99",
					      "9.NF.A.1",
					      "2.NF.A.1",
					      "K.RP.A.1",
					      "4.NF.E.1",
					      "4.NF.A.01",
					      "HSX-YY.A.1",
					      "4.nf",
					      "",
					      "MP9",
					      "4.NF.A.1 ; drop",
					      "MP0",
					      "MP",
					      "4.NF.A.0",
					      "4.NF.A.21",
					      "4.NF.A.1i",
					      "4.NF.A.1ab",
					      "4.NF",
					      "4",
					      "4.NF.A.1.",
					      ".4.NF.A.1",
					      "4..NF.A.1",
					      "HSA-SSE",
					      "HS.A-SSE.A.1",
					      "HSA-SS.A.1",
					      "8.NF.A.1",
					      "6.OA.A.1",
					      "K.NF.A.1",
					      "HSN-RN.E.1",
					      "4.NF.A.1.I",
					      "4.NF.A.1a.b",
					      "10.NF.A.1",
					      "4.NF.A.1 ",
					      " 4.NF.A.1",
					      "CCSS.MATH.CONTENT.",
					      "CCSS.MATH.CONTENT.4.NF.A.1.1",
					      "4.NF.A.B",
					      "4.G.A.1.a.b",
					      "4.NF.A.1-2",
					      "HSA.SSE",
					      "4-NF.A.1",
					      "X.NF.A.1"};
	for (size_t i = 0; i < COUNT_OF(rejects); i++)
		if (ccss_code_valid(rejects[i])) fail_msg("accepted “%s”", rejects[i]);
	assert_false(ccss_code_valid(NULL));
	static const char *const accepts[] = {
		"K.CC.A.1", "4.NF.A",      "4.NF.A.1",   "K.CC.B.4a", "HSA-SSE.A.1", "HSA-SSE.A.1a",
		"MP3",      "8.F.B.5",     "7.RP.A.2d",  "5.NF.B.7c", "3.MD.D.8",    "1.OA.D.8",
		"6.EE.C.9", "HSG-GPE.B.7", "HSS-MD.B.7", "4.NF.A.20", "4.NF.A.1h"};
	for (size_t i = 0; i < COUNT_OF(accepts); i++)
		if (!ccss_code_valid(accepts[i])) fail_msg("rejected “%s”", accepts[i]);

	arena *a = arena_new();
	form_errors e = {0};
	assert_string_equal(ccss_codes_normalize(a, "4.nf.a.1", "s", &e), "4.NF.A.1");
	assert_string_equal(ccss_codes_normalize(a, "k.cc.b.4A", "s", &e), "K.CC.B.4a");
	assert_string_equal(ccss_codes_normalize(a, "ccss.math.content.4.NF.A.1", "s", &e), "4.NF.A.1");
	assert_string_equal(ccss_codes_normalize(a, "CCSS.Math.Practice.MP3", "s", &e), "MP3");
	assert_string_equal(ccss_codes_normalize(a, "hsa-sse.a.1A", "s", &e), "HSA-SSE.A.1a");
	assert_string_equal(ccss_codes_normalize(a, "4.nf.a", "s", &e), "4.NF.A");
	assert_string_equal(
		ccss_codes_normalize(a, " 4.NF.A.1, 4.nf.a.1\nK.CC.B.4a;3.OA.A.1,,mp3 \r\n", "s", &e),
		"4.NF.A.1 K.CC.B.4a 3.OA.A.1 MP3");
	assert_string_equal(ccss_codes_normalize(a, " \n ", "s", &e), "");
	assert_string_equal(ccss_codes_normalize(a, NULL, "s", &e), "");
	assert_int_equal(e.n, 0);

	const char *given = "4.NF.A.1, 4.NF.A.99, 9.NF.A.1";
	assert_ptr_equal(ccss_codes_normalize(a, given, "standards", &e), given);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "standards");
	assert_string_equal(e.items[0].message,
			    "“4.NF.A.99” is not a CCSS code such as 4.NF.A.1, K.CC.B.4a or HSA-SSE.A.1.");
	e = (form_errors){0};
	ccss_codes_normalize(a, repeat(a, "x", 300), "standards", &e);
	assert_non_null(strstr(e.items[0].message, "…”")); /* quoted back, cut short */

	/* 24 different codes fit, 25 do not; repeats do not count. */
	const char *many = "";
	for (int i = 1; i <= STANDARDS_CODES_MAX; i++)
		many = arena_printf(a, "%s 3.OA.A.%d", many, i % 20 + 1);
	e = (form_errors){0};
	ccss_codes_normalize(a, many, "standards", &e);
	assert_int_equal(e.n, 0); /* 20 different ones, 4 repeats */
	many = "";
	for (int i = 1; i <= STANDARDS_CODES_MAX + 1; i++)
		many = arena_printf(a, "%s %d.MD.A.%d", many, 3 + i % 3, i / 3 + 1);
	ccss_codes_normalize(a, many, "standards", &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].message, "Name at most 24 standards.");
	arena_free(a);
}

static void test_focus_codes(void **state)
{
	(void)state;
	for (int i = 1; i <= 8; i++) {
		char mp[16], tp[16];
		snprintf(mp, sizeof mp, "MP%d", i);
		snprintf(tp, sizeof tp, "TP%d", i);
		assert_true(focus_code_valid(mp));
		assert_true(focus_code_valid(tp));
		assert_true(str_starts(focus_code_label(mp), mp));
		assert_true(str_starts(focus_code_label(tp), tp));
	}
	for (int i = 1; i <= 5; i++) {
		char tru[16];
		snprintf(tru, sizeof tru, "TRU%d", i);
		assert_true(focus_code_valid(tru));
	}
	static const char *const rejects[] = {"MP0", "MP9",  "TP0",  "TP9",      "TRU0", "TRU6",
					      "mp3", "MP 3", "MP3 ", "4.NF.A.1", "",     "TRU"};
	for (size_t i = 0; i < COUNT_OF(rejects); i++) assert_false(focus_code_valid(rejects[i]));
	assert_false(focus_code_valid(NULL));
	assert_string_equal(focus_code_label("MP3"),
			    "MP3 Construct viable arguments and critique the reasoning of others");
	assert_string_equal(focus_code_label("TP8"), "TP8 Elicit and use evidence of student thinking");
	assert_string_equal(focus_code_label("TP2"),
			    "TP2 Implement tasks that promote reasoning and problem solving");
	assert_string_equal(focus_code_label("TRU1"), "TRU1 The mathematics");
	assert_string_equal(focus_code_label("TRU4"), "TRU4 Agency, ownership and identity");
	assert_string_equal(focus_code_label("TRU5"), "TRU5 Formative assessment");
	assert_null(focus_code_label("MP9"));

	arena *a = arena_new();
	form_errors e = {0};
	assert_string_equal(focus_codes_normalize(a, "mp3, tp4\nTRU2 MP3;tru2", "focus", &e), "MP3 TP4 TRU2");
	assert_string_equal(focus_codes_normalize(a, "", "focus", &e), "");
	assert_int_equal(e.n, 0);
	assert_string_equal(focus_codes_normalize(a, "MP3 XY1", "focus", &e), "MP3 XY1");
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].field, "focus");
	assert_string_equal(e.items[0].message,
			    "“XY1” is not a focus practice: use MP1 to MP8, TP1 to TP8 or TRU1 to TRU5.");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ccss_reference_list),
		cmocka_unit_test(test_ccss_grammar),
		cmocka_unit_test(test_focus_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
