/* Unit tests for the session rules: blocks and times, zones and units,
 * the checks a session's fields pass, recurrence expansion (weekly, every
 * N weeks, monthly on the same weekday of the month, the cap), the grid
 * layout and the record may() is asked about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "calendar/session.h"

static void test_blocks_times_units(void **state)
{
	(void)state;
	const char *s, *e;
	assert_true(session_block_times("am", &s, &e));
	assert_string_equal(s, "08:00");
	assert_string_equal(e, "11:30");
	assert_true(session_block_times("pm", &s, &e));
	assert_string_equal(s, "12:30");
	assert_false(session_block_times("evening", &s, &e));
	int m;
	assert_true(session_time_parse("13:45", &m));
	assert_int_equal(m, 13 * 60 + 45);
	assert_false(session_time_parse("24:00", &m));
	assert_false(session_time_parse("9:00", &m));
	assert_true(session_zone_valid("America/Chicago"));
	assert_true(session_zone_valid("UTC"));
	assert_false(session_zone_valid("../etc/passwd"));
	assert_false(session_zone_valid("Chicago"));
	int64_t u;
	assert_true(session_units_parse("0.5", &u));
	assert_int_equal(u, 500);
	assert_true(session_units_parse("2", &u));
	assert_int_equal(u, 2000);
	assert_false(session_units_parse("-1", &u));
	assert_false(session_units_parse("0.1234", &u));
	arena *a = arena_new();
	assert_string_equal(session_units_text(a, 500), "0.5");
	assert_string_equal(session_units_text(a, 1250), "1.25");
	assert_string_equal(session_units_text(a, 8000), "8");
	arena_free(a);
}

static void test_check(void **state)
{
	(void)state;
	arena *a = arena_new();
	session_input in = {.kind = "pd_workshop",
			    .title = "PD",
			    .on_date = "2025-10-10",
			    .block = "am",
			    .draw = "0.5",
			    .service_line_id = 3};
	form_errors e = {0};
	session_check(a, &in, &e);
	assert_int_equal(e.n, 0);
	assert_string_equal(in.starts_at, "08:00");
	assert_string_equal(in.time_zone, "America/Chicago");
	assert_int_equal(in.draw_milli, 500);

	session_input bad = {.kind = "pd_workshop",
			     .title = "PD",
			     .on_date = "2025-02-30",
			     .starts_at = "14:00",
			     .ends_at = "13:00"};
	e = (form_errors){0};
	session_check(a, &bad, &e);
	assert_non_null(form_error_for(&e, "on_date"));
	assert_non_null(strstr(form_error_for(&e, "ends_at"), "after the start"));

	char *big = arena_calloc(a, SESSION_AGENDA_MAX + 2, 1);
	memset(big, 'x', SESSION_AGENDA_MAX + 1);
	session_input agenda = {.kind = "plc",
				.title = "PLC",
				.on_date = "2025-10-10",
				.block = "pm",
				.agenda = big,
				.draw = "1"};
	e = (form_errors){0};
	session_check(a, &agenda, &e);
	assert_non_null(form_error_for(&e, "agenda"));
	assert_non_null(form_error_for(&e, "service_line_id")); /* a draw needs a line */
	arena_free(a);
}

static void test_dates(void **state)
{
	(void)state;
	arena *a = arena_new();
	int64_t d;
	assert_true(session_day_number("1970-01-01", &d));
	assert_int_equal(d, 0);
	assert_int_equal(session_weekday(d), 3); /* Thursday */
	assert_true(session_day_number("2024-02-29", &d));
	assert_string_equal(session_date_of(a, d + 1), "2024-03-01");
	assert_false(session_day_number("2025-02-29", &d));
	assert_false(session_day_number("2025-1-05", &d));
	int64_t first, last;
	assert_true(session_day_number("2026-02-14", &d));
	session_month_span(d, &first, &last);
	assert_string_equal(session_date_of(a, first), "2026-02-01");
	assert_string_equal(session_date_of(a, last), "2026-02-28");
	arena_free(a);
}

static void test_recurrence(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char **dates;
	bool capped;
	repeat_rule weekly = {REPEAT_WEEKLY, 1, "2025-10-28"};
	size_t n = session_series_dates(a, "2025-10-07", &weekly, &dates, &capped);
	assert_int_equal(n, 4);
	assert_string_equal(dates[3], "2025-10-28");
	assert_false(capped);

	repeat_rule fortnight = {REPEAT_WEEKLY, 2, "2025-11-05"};
	n = session_series_dates(a, "2025-10-07", &fortnight, &dates, &capped);
	assert_int_equal(n, 3);
	assert_string_equal(dates[1], "2025-10-21");
	assert_string_equal(dates[2], "2025-11-04");

	/* 2025-09-09 is the second Tuesday of September. */
	repeat_rule monthly = {REPEAT_MONTHLY, 1, "2026-01-31"};
	n = session_series_dates(a, "2025-09-09", &monthly, &dates, &capped);
	assert_int_equal(n, 5);
	assert_string_equal(dates[1], "2025-10-14");
	assert_string_equal(dates[2], "2025-11-11");
	assert_string_equal(dates[3], "2025-12-09");
	assert_string_equal(dates[4], "2026-01-13");

	/* A 5th Wednesday is skipped in months without one. */
	repeat_rule fifth = {REPEAT_MONTHLY, 1, "2025-12-31"};
	n = session_series_dates(a, "2025-10-29", &fifth, &dates, &capped);
	assert_int_equal(n, 2);
	assert_string_equal(dates[1], "2025-12-31");

	repeat_rule forever = {REPEAT_WEEKLY, 1, "2040-01-01"};
	n = session_series_dates(a, "2025-01-01", &forever, &dates, &capped);
	assert_int_equal(n, SESSION_SERIES_MAX);
	assert_true(capped);

	form_errors e = {0};
	repeat_rule r;
	assert_false(session_repeat_parse("week", "1", NULL, &r, &e));
	assert_non_null(form_error_for(&e, "repeat_until"));
	arena_free(a);
}

static void test_grid_and_record(void **state)
{
	(void)state;
	arena *a = arena_new();
	grid_block g[] = {
		{1, 2, "2025-12-02", "am", 11, "G2", 3, "planned"},
		{1, 1, "2025-12-01", "pm", 10, "G1", 2, "planned"},
		{1, 1, "2025-12-01", "am", 9, "GK", 1, "delivered"},
	};
	const char **days;
	assert_int_equal(session_grid_days(a, g, 3, &days), 2);
	assert_string_equal(days[0], "2025-12-01");
	assert_string_equal(session_grid_at(g, 3, 1, "am")->team_name, "GK");
	assert_null(session_grid_at(g, 3, 2, "pm"));

	pl_session s = {.district_id = 2, .school_id = 3, .partner_id = 1, .actor_takes_part = true};
	place p[2];
	int64_t me = 42;
	record r = session_record(p, &s, &me);
	assert_int_equal(r.nplaces, 2);
	assert_int_equal(r.places[0].org_id, 3);
	assert_int_equal(r.places[1].partner_id, 1);
	assert_int_equal(r.nteachers, 1);
	assert_int_equal(r.ncoaches, 0);
	/* A teacher elsewhere reaches it only by taking part. */
	grant tg = {ROLE_TEACHER, 99, 98, 0};
	actor t = {.person_id = 42, .grants = &tg, .ngrants = 1};
	assert_true(may(&t, ACT_READ, &r));
	assert_false(may(&t, ACT_UPDATE, &r));
	s.actor_takes_part = false;
	r = session_record(p, &s, &me);
	assert_false(may(&t, ACT_READ, &r));
	/* A facilitator may update (record attendance, deliver). */
	s.actor_facilitates = true;
	r = session_record(p, &s, &me);
	assert_true(may(&t, ACT_UPDATE, &r));
	/* Partner staff reach it through the partner place. */
	grant pg = {ROLE_PARTNER_STAFF, 1, 0, 1};
	actor ps = {.person_id = 7, .grants = &pg, .ngrants = 1};
	s.actor_facilitates = false;
	r = session_record(p, &s, &me);
	assert_true(may(&ps, ACT_CREATE, &r));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_times_units),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_recurrence),
		cmocka_unit_test(test_grid_and_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
