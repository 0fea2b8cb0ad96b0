/* Unit tests for the iCalendar writer (src/ical/ical.h): folding at exactly
 * 75 octets without splitting a UTF-8 sequence, TEXT escaping, blocks mapped
 * to times, all-day events, time zones, STATUS and SEQUENCE. */
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
#include "ical/ical.h"

/* Every physical line (without CRLF) is at most 75 octets, every line
 * ends in CRLF, and no continuation starts with a UTF-8 continuation byte. */
static void assert_well_folded(const char *s)
{
	const char *p = s;
	while (*p) {
		const char *crlf = strstr(p, "\r\n");
		assert_non_null(crlf);
		assert_true(crlf - p <= 75);
		if (p != s && *p == ' ') assert_false(((unsigned char)p[1] & 0xC0) == 0x80);
		p = crlf + 2;
	}
}

/* Undoes folding: CRLF followed by one space disappears. */
static char *unfold(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	for (const char *p = s; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
			p += 2;
			continue;
		}
		*o++ = *p;
	}
	*o = 0;
	return out;
}

static void test_short_line_not_folded(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	ical_line(&b, "SUMMARY", "PLC");
	assert_string_equal(buf_cstr(&b), "SUMMARY:PLC\r\n");
	buf_free(&b);
}

static void test_fold_at_exactly_75_octets(void **state)
{
	(void)state;
	char value[200];
	/* "SUMMARY:" is 8 octets: 67 more make exactly 75, no fold. */
	memset(value, 'a', 67);
	value[67] = 0;
	buf b = BUF_INIT;
	ical_line(&b, "SUMMARY", value);
	assert_int_equal(b.len, 77);
	assert_null(strstr(buf_cstr(&b), "\r\n "));
	buf_reset(&b);
	/* One more octet folds: 75 then " " + 1. */
	memset(value, 'a', 68);
	value[68] = 0;
	ical_line(&b, "SUMMARY", value);
	const char *s = buf_cstr(&b);
	assert_int_equal(strstr(s, "\r\n") - s, 75);
	assert_string_equal(s + 77, " a\r\n");
	buf_free(&b);
}

static void test_fold_continuations_hold_74(void **state)
{
	(void)state;
	char value[400];
	memset(value, 'x', 300);
	value[300] = 0;
	buf b = BUF_INIT;
	ical_line(&b, "DESCRIPTION", value);
	const char *s = buf_cstr(&b);
	assert_well_folded(s);
	/* Second physical line: space + 74 octets = 75. */
	const char *second = strstr(s, "\r\n") + 2;
	assert_int_equal(strstr(second, "\r\n") - second, 75);
	char *u = unfold(s);
	assert_int_equal(strlen(u), strlen("DESCRIPTION:") + 300 + 2);
	free(u);
	buf_free(&b);
}

static void test_fold_never_splits_utf8(void **state)
{
	(void)state;
	/* "é" is 2 octets, "€" 3, "😀" 4: at each offset the 75-octet cut would
	 * land inside one of them for some prefix length. */
	const char *chars[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
	for (size_t c = 0; c < 3; c++)
		for (size_t prefix = 0; prefix < 6; prefix++) {
			buf v = BUF_INIT;
			for (size_t i = 0; i < prefix; i++) buf_putc(&v, 'p');
			for (size_t i = 0; i < 60; i++) buf_puts(&v, chars[c]);
			buf b = BUF_INIT;
			ical_line(&b, "SUMMARY", buf_cstr(&v));
			assert_well_folded(buf_cstr(&b));
			char *u = unfold(buf_cstr(&b));
			char *expect = malloc(v.len + 16);
			sprintf(expect, "SUMMARY:%s\r\n", buf_cstr(&v));
			assert_string_equal(u, expect);
			/* A cut that had to back off makes a line shorter than 75. */
			const char *s = buf_cstr(&b);
			size_t first = (size_t)(strstr(s, "\r\n") - s);
			assert_true(first <= 75 && first >= 72);
			free(u);
			free(expect);
			buf_free(&b);
			buf_free(&v);
		}
}

static void test_escaping(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	ical_escape(&b, "a,b;c\\d\ne\r\nf\rg");
	assert_string_equal(buf_cstr(&b), "a\\,b\\;c\\\\d\\ne\\nf\\ng");
	buf_reset(&b);
	ical_escape(&b, "bell\x07 tab\t");
	assert_string_equal(buf_cstr(&b), "bell tab\t");
	buf_reset(&b);
	ical_text(&b, "LOCATION", "Room 4, Building B; east");
	assert_string_equal(buf_cstr(&b), "LOCATION:Room 4\\, Building B\\; east\r\n");
	buf_reset(&b);
	ical_text(&b, "LOCATION", "");
	ical_text(&b, "LOCATION", NULL);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static char *event(const ical_event *ev, bool *ok)
{
	buf b = BUF_INIT;
	*ok = ical_event_write(&b, ev);
	char *s = strdup(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void test_event_block_times_and_zone(void **state)
{
	(void)state;
	ical_event ev = {.uid = "s-1@coachd",
			 .sequence = 3,
			 .stamp = 1700000000,
			 .summary = "Coaching, G3; AM",
			 .on_date = "2025-11-18",
			 .block = "am",
			 .time_zone = "America/Chicago"};
	bool ok;
	char *s = event(&ev, &ok);
	assert_true(ok);
	assert_non_null(strstr(s, "UID:s-1@coachd\r\n"));
	assert_non_null(strstr(s, "SEQUENCE:3\r\n"));
	assert_non_null(strstr(s, "DTSTAMP:20231114T221320Z\r\n"));
	assert_non_null(strstr(s, "DTSTART;TZID=America/Chicago:20251118T080000\r\n"));
	assert_non_null(strstr(s, "DTEND;TZID=America/Chicago:20251118T113000\r\n"));
	assert_non_null(strstr(s, "SUMMARY:Coaching\\, G3\\; AM\r\n"));
	assert_non_null(strstr(s, "STATUS:CONFIRMED\r\n"));
	free(s);
	ev.block = "pm";
	s = event(&ev, &ok);
	assert_non_null(strstr(s, "T123000\r\n"));
	assert_non_null(strstr(s, "DTEND;TZID=America/Chicago:20251118T153000\r\n"));
	free(s);
	ev.block = "full";
	ev.cancelled = true;
	s = event(&ev, &ok);
	assert_non_null(strstr(s, "DTSTART;TZID=America/Chicago:20251118T080000\r\n"));
	assert_non_null(strstr(s, "DTEND;TZID=America/Chicago:20251118T153000\r\n"));
	assert_non_null(strstr(s, "STATUS:CANCELLED\r\n"));
	free(s);
}

static void test_event_times_all_day_and_floating(void **state)
{
	(void)state;
	ical_event ev = {.uid = "u", .on_date = "2024-02-28", .time_zone = "America/Chicago"};
	bool ok;
	char *s = event(&ev, &ok);
	assert_non_null(strstr(s, "DTSTART;VALUE=DATE:20240228\r\nDTEND;VALUE=DATE:20240229\r\n"));
	free(s);
	ev.on_date = "2025-12-31";
	s = event(&ev, &ok);
	assert_non_null(strstr(s, "DTEND;VALUE=DATE:20260101\r\n"));
	free(s);
	ev.starts_at = "09:15";
	ev.ends_at = "10:45";
	ev.time_zone = "Europe/Paris"; /* not built in: floating time */
	s = event(&ev, &ok);
	assert_non_null(strstr(s, "DTSTART:20251231T091500\r\nDTEND:20251231T104500\r\n"));
	free(s);
	ev.ends_at = NULL;
	s = event(&ev, &ok);
	assert_non_null(strstr(s, "DTEND:20251231T101500\r\n"));
	free(s);
}

static void test_event_bad_dates_write_nothing(void **state)
{
	(void)state;
	const char *dates[] = {"2025-02-29", "2025-13-01", "2025-1-01", "", "yesterday"};
	for (size_t i = 0; i < 5; i++) {
		ical_event ev = {.uid = "u", .on_date = dates[i]};
		bool ok;
		char *s = event(&ev, &ok);
		assert_false(ok);
		assert_string_equal(s, "");
		free(s);
	}
	ical_event ev = {.uid = "u", .on_date = "2025-03-01", .starts_at = "25:00"};
	bool ok;
	char *s = event(&ev, &ok);
	assert_false(ok);
	free(s);
	ev = (ical_event){.uid = "", .on_date = "2025-03-01"};
	s = event(&ev, &ok);
	assert_false(ok);
	free(s);
}

static void test_url_with_spaces_left_out(void **state)
{
	(void)state;
	ical_event ev = {.uid = "u", .on_date = "2025-03-01", .url = "https://x.test/a b\r\nX:Y"};
	bool ok;
	char *s = event(&ev, &ok);
	assert_true(ok);
	assert_null(strstr(s, "URL"));
	assert_null(strstr(s, "X:Y"));
	free(s);
	ev.url = "https://meet.example.org/j/123?pwd=a,b";
	s = event(&ev, &ok);
	assert_non_null(strstr(s, "URL:https://meet.example.org/j/123?pwd=a,b\r\n"));
	free(s);
}

static void test_calendar_zones_once(void **state)
{
	(void)state;
	const char *zones[] = {"America/Chicago", "America/Chicago", "Europe/Paris", "America/Phoenix", NULL};
	buf b = BUF_INIT;
	ical_begin(&b, "coachd: Dana, G3; all", zones, 5);
	ical_end(&b);
	const char *s = buf_cstr(&b);
	assert_true(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
	assert_non_null(strstr(s, "X-WR-CALNAME:coachd: Dana\\, G3\\; all\r\n"));
	const char *chi = strstr(s, "TZID:America/Chicago\r\n");
	assert_non_null(chi);
	assert_null(strstr(chi + 1, "TZID:America/Chicago\r\n"));
	assert_non_null(strstr(s, "BYMONTH=3;BYDAY=2SU"));
	assert_non_null(strstr(s, "TZID:America/Phoenix\r\n"));
	assert_null(strstr(s, "Europe/Paris"));
	assert_true(ical_zone_supported("America/New_York"));
	assert_false(ical_zone_supported("Mars/Olympus"));
	assert_non_null(strstr(s, "END:VCALENDAR\r\n"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_line_not_folded),
		cmocka_unit_test(test_fold_at_exactly_75_octets),
		cmocka_unit_test(test_fold_continuations_hold_74),
		cmocka_unit_test(test_fold_never_splits_utf8),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_event_block_times_and_zone),
		cmocka_unit_test(test_event_times_all_day_and_floating),
		cmocka_unit_test(test_event_bad_dates_write_nothing),
		cmocka_unit_test(test_url_with_spaces_left_out),
		cmocka_unit_test(test_calendar_zones_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
