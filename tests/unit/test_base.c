/* Unit tests for the base layer: arena, buffer, number parsing, strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/util.h"

static void test_arena_alloc_is_zeroed_and_aligned(void **state)
{
	(void)state;
	arena *a = arena_new();
	for (size_t n = 1; n < 5000; n += 37) {
		unsigned char *p = arena_alloc(a, n);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < n; i++) assert_int_equal(p[i], 0);
		memset(p, 0xAB, n);
	}
	assert_true(arena_used(a) > 5000);
	arena_free(a);
}

static void test_arena_large_blocks(void **state)
{
	(void)state;
	arena *a = arena_new();
	char *big = arena_alloc(a, 3u << 20); /* larger than any block */
	big[(3u << 20) - 1] = 'x';
	char *small = arena_strdup(a, "after the big one");
	assert_string_equal(small, "after the big one");
	arena_free(a);
}

static void test_arena_strings(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_null(arena_strdup(a, NULL));
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(arena_printf(a, "%d-%s", 42, "x"), "42-x");
	char long_text[3000];
	memset(long_text, 'q', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = 0;
	assert_int_equal(strlen(arena_printf(a, "%s!", long_text)), sizeof long_text);
	int *v = arena_calloc(a, 100, sizeof *v);
	for (int i = 0; i < 100; i++) assert_int_equal(v[i], 0);
	arena_free(a);
}

static void test_buf_grows_and_terminates(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	assert_string_equal(buf_cstr(&b), "");
	for (int i = 0; i < 1000; i++) buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.data));
	assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
	assert_non_null(strstr(b.data, ",999,"));
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	buf_putc(&b, 'a');
	buf_append(&b, "bc", 2);
	buf_append(&b, NULL, 0);
	assert_string_equal(buf_cstr(&b), "abc");
	buf_reserve(&b, 1 << 16);
	assert_true(b.cap >= (1u << 16) + 3);
	assert_string_equal(buf_cstr(&b), "abc");
	buf_free(&b);
	assert_null(b.data);
}

static void test_parse_i64(void **state)
{
	(void)state;
	int64_t v = 0;
	assert_true(parse_i64("42", 0, 100, &v));
	assert_int_equal(v, 42);
	assert_true(parse_i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v));
	assert_int_equal(v, INT64_MIN);
	assert_false(parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &v));
	assert_false(parse_i64("101", 0, 100, &v));
	assert_false(parse_i64("-1", 0, 100, &v));
	assert_false(parse_i64("", 0, 100, &v));
	assert_false(parse_i64(NULL, 0, 100, &v));
	assert_false(parse_i64(" 1", 0, 100, &v));
	assert_false(parse_i64("1 ", 0, 100, &v));
	assert_false(parse_i64("1x", 0, 100, &v));
	assert_false(parse_i64("0x10", 0, 100, &v));
}

static void test_strings(void **state)
{
	(void)state;
	assert_true(str_eq("a", "a"));
	assert_false(str_eq("a", NULL));
	assert_false(str_eq(NULL, NULL));
	assert_true(str_ieq("Content-Type", "content-type"));
	assert_false(str_ieq("a", "b"));
	assert_true(str_starts("/api/orgs", "/api/"));
	assert_false(str_starts("/apix", "/api/"));
	assert_false(str_starts(NULL, "/"));
	uint64_t t0 = now_usec_monotonic(), t1 = now_usec_monotonic();
	assert_true(t1 >= t0);
	assert_true(now_unix() > 1700000000);
}

/* The one rule of a single-line field, and of a field of lines. */
static void test_text_rule(void **state)
{
	(void)state;
	assert_int_equal(text_line_check(NULL, 5), TEXT_LINE_FITS);
	assert_int_equal(text_line_check("", 5), TEXT_LINE_FITS);
	assert_int_equal(text_line_check("Fractions in grade 3", 20), TEXT_LINE_FITS);
	assert_int_equal(text_line_check("Fractions in grade 3", 19), TEXT_LINE_LONG);
	/* Characters, not bytes. */
	assert_int_equal(text_line_check("Año escolar", 11), TEXT_LINE_FITS);
	assert_int_equal(text_line_check("Năm học mới", 11), TEXT_LINE_FITS);
	static const char *const breaking[] = {"a\tb",
					       "a\nb",
					       "a\rb",
					       "bell\a",
					       "a\x1b[31mred",
					       "del\x7f",
					       "nul\x01",
					       "c1\xc2\x85"
					       "next line",
					       "c1\xc2\x9f",
					       "line\xe2\x80\xa8sep",
					       "para\xe2\x80\xa9sep",
					       "rlo\xe2\x80\xaegnp.exe",
					       "isolate\xe2\x81\xa6x"};
	for (size_t i = 0; i < sizeof breaking / sizeof breaking[0]; i++) {
		assert_int_equal(text_line_check(breaking[i], 100), TEXT_LINE_BREAKS);
		assert_false(text_fits_cell(breaking[i]));
	}
	/* Other characters of the same neighbourhood are fine. */
	assert_int_equal(text_line_check("en\xe2\x80\x94"
					 "dash \xc2\xa0"
					 "nbsp \xe2\x80\xa6",
					 100),
			 TEXT_LINE_FITS);
	assert_int_equal(text_line_check("emoji \xf0\x9f\x93\x90", 100), TEXT_LINE_FITS);
	/* Lines may break and tab; nothing else changes. */
	assert_int_equal(text_lines_check("one\ntwo\r\n\tthree", 100), TEXT_LINE_FITS);
	assert_int_equal(text_lines_check("bell\a", 100), TEXT_LINE_BREAKS);
	assert_int_equal(text_lines_check("rlo\xe2\x80\xae", 100), TEXT_LINE_BREAKS);
	assert_true(text_fits_cell("Students explain"));
	assert_false(text_fits_cell("a | b"));
	arena *a = arena_new();
	assert_null(text_line_problem(a, "title", "Fine", 10));
	assert_string_equal(text_line_problem(a, "title", "a\tb", 10),
			    "The title has a control character in it; it is one line of text.");
	assert_string_equal(text_line_problem(a, "purpose", "abcdef", 5),
			    "The purpose is longer than 5 characters.");
	assert_string_equal(utf8_cut(a, "Año escolar", 3, true), "Año…");
	assert_string_equal(utf8_cut(a, "Año escolar", 3, false), "Año");
	assert_string_equal(utf8_cut(a, "Año", 3, true), "Año");
	assert_string_equal(utf8_cut(a, NULL, 3, true), "");
	arena_free(a);
}

static void test_civil_days(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(days_from_civil(2024, 2, 29) + 1, days_from_civil(2024, 3, 1));
	assert_int_equal(days_from_civil(1969, 12, 31), -1);
	/* Every day from 1900 to 2100 goes there and back. */
	for (int64_t z = days_from_civil(1900, 1, 1); z <= days_from_civil(2100, 12, 31); z++) {
		int y, m, d;
		civil_from_days(z, &y, &m, &d);
		assert_int_equal(days_from_civil(y, m, d), z);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alloc_is_zeroed_and_aligned),
		cmocka_unit_test(test_arena_large_blocks),
		cmocka_unit_test(test_arena_strings),
		cmocka_unit_test(test_buf_grows_and_terminates),
		cmocka_unit_test(test_parse_i64),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_civil_days),
		cmocka_unit_test(test_text_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
