/* Unit tests for the report CSV writer (src/report/csv_out.c): RFC 4180
 * quoting, CRLF, doubled quotes, embedded newlines, formula neutralising,
 * a whole table, and the services overview's cost bands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "report/report.h"

static char *field(const char *s)
{
	buf b = BUF_INIT;
	csv_out_field(&b, s);
	char *out = strdup(buf_cstr(&b));
	buf_free(&b);
	return out;
}

static void check_field(const char *in, const char *want)
{
	char *got = field(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_plain_fields_unquoted(void **state)
{
	(void)state;
	check_field("Monthly", "Monthly");
	check_field("", "");
	check_field(NULL, "");
	check_field("Grade 3 team", "Grade 3 team");
	check_field("caf\xC3\xA9", "caf\xC3\xA9");
}

static void test_quoting(void **state)
{
	(void)state;
	check_field("G2, G3", "\"G2, G3\"");
	check_field("say \"hi\"", "\"say \"\"hi\"\"\"");
	check_field("two\nlines", "\"two\nlines\"");
	check_field("cr\rhere", "\"cr\rhere\"");
	check_field("\"", "\"\"\"\"");
}

static void test_formulas_neutralised(void **state)
{
	(void)state;
	check_field("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
	check_field("+1", "\"'+1\"");
	check_field("-2", "\"'-2\"");
	check_field("@SUM(A1)", "\"'@SUM(A1)\"");
	check_field("a=b", "a=b");
}

static void test_rows_and_table(void **state)
{
	(void)state;
	static const char *const headers[] = {"Timing", "Participants"};
	const char *cells[] = {"late Nov/Dec 2025", "GK, G1", "Monthly", "Leaders"};
	report_table t = {.ncols = 2, .headers = headers, .nrows = 2, .cells = cells};
	buf b = BUF_INIT;
	csv_out_table(&b, &t);
	assert_string_equal(buf_cstr(&b),
			    "Timing,Participants\r\n"
			    "late Nov/Dec 2025,\"GK, G1\"\r\n"
			    "Monthly,Leaders\r\n");
	buf_free(&b);
	t.nrows = 0;
	b = (buf)BUF_INIT;
	csv_out_table(&b, &t);
	assert_string_equal(buf_cstr(&b), "Timing,Participants\r\n");
	buf_free(&b);
}

static void test_cost_bands(void **state)
{
	(void)state;
	assert_string_equal(cost_band(0), "Less than $50,000");
	assert_string_equal(cost_band(1620000), "Less than $50,000");
	assert_string_equal(cost_band(4999999), "Less than $50,000");
	assert_string_equal(cost_band(5000000), "$50,000 - $100,000");
	assert_string_equal(cost_band(10000000), "$50,000 - $100,000");
	assert_string_equal(cost_band(10000001), "$100,001 - $500,000");
	assert_string_equal(cost_band(50000000), "$100,001 - $500,000");
	assert_string_equal(cost_band(50000001), "$500,001 - $1,000,000");
	assert_string_equal(cost_band(100000000), "$500,001 - $1,000,000");
	assert_string_equal(cost_band(100000001), "More than $1,000,000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fields_unquoted),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_formulas_neutralised),
		cmocka_unit_test(test_rows_and_table),
		cmocka_unit_test(test_cost_bands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
