/* Unit tests for engagement accounting: amounts from units rounded once,
 * balances with scheduled, delivered and cancelled draws, over-commit and
 * the draw guard's message, half units, parsing quantities and prices, and
 * the checks an engagement's fields pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "engagement/engagement.h"

static void test_amounts_round_half_up_once(void **state)
{
	(void)state;
	assert_int_equal(line_amount_cents(8000, 180000), 1440000);
	assert_int_equal(line_amount_cents(500, 180000), 90000);
	assert_int_equal(line_amount_cents(500, 180001), 90001); /* 900.005 → 900.01 */
	assert_int_equal(line_amount_cents(333, 100), 33);       /* 0.333 × $1 */
	assert_int_equal(line_amount_cents(335, 100), 34);       /* 33.5 cents → 34 */
	assert_int_equal(line_amount_cents(0, 180000), 0);
	assert_int_equal(line_amount_cents(10000, 0), 0);
	/* The bounds: no overflow at a million units of ten million dollars. */
	assert_int_equal(line_amount_cents(QUANTITY_MAX_MILLI, PRICE_MAX_CENTS),
			 (int64_t)1000000 * PRICE_MAX_CENTS);
}

static void test_balance_with_cancel(void **state)
{
	(void)state;
	line_draw d[] = {{1000, DRAW_DELIVERED},
			 {1000, DRAW_DELIVERED},
			 {1000, DRAW_SCHEDULED},
			 {1000, DRAW_CANCELLED},
			 {500, DRAW_SCHEDULED}};
	line_balance b = line_balance_of("coaching day", 8000, 180000, d, 5);
	assert_int_equal(b.committed_milli, 8000);
	assert_int_equal(b.delivered_milli, 2000);
	assert_int_equal(b.scheduled_milli, 1500);
	assert_int_equal(b.cancelled_milli, 1000); /* a cancelled day goes back */
	assert_int_equal(b.remaining_milli, 4500);
	assert_int_equal(b.over_milli, 0);
	assert_int_equal(b.committed_cents, 1440000);
	assert_int_equal(b.delivered_cents, 360000);
	assert_int_equal(b.scheduled_cents, 270000);
	assert_int_equal(b.cancelled_cents, 180000);
	assert_int_equal(b.remaining_cents, 810000);
}

/* Remaining money is committed − scheduled − delivered of the rounded
 * amounts, so the columns add up even when each rounds. */
static void test_money_never_drifts(void **state)
{
	(void)state;
	line_draw d[] = {{333, DRAW_DELIVERED}, {333, DRAW_SCHEDULED}};
	line_balance b = line_balance_of("hour", 1000, 100, d, 2);
	assert_int_equal(b.delivered_cents, 33);
	assert_int_equal(b.scheduled_cents, 33);
	assert_int_equal(b.remaining_cents, 34);
	assert_int_equal(b.committed_cents, b.scheduled_cents + b.delivered_cents + b.remaining_cents);
	line_balance lines[] = {b, line_balance_of("day", 8000, 180000, NULL, 0)};
	engagement_balance t = engagement_balance_of(lines, 2);
	assert_int_equal(t.committed_cents, 100 + 1440000);
	assert_int_equal(t.remaining_cents, 34 + 1440000);
	assert_int_equal(t.lines_over, 0);
}

static void test_over_commit(void **state)
{
	(void)state;
	line_draw d[] = {{7000, DRAW_DELIVERED}, {2000, DRAW_SCHEDULED}};
	line_balance b = line_balance_of("coaching day", 8000, 180000, d, 2);
	assert_int_equal(b.remaining_milli, -1000);
	assert_int_equal(b.over_milli, 1000);
	assert_int_equal(b.remaining_cents, -180000);
	line_balance lines[] = {b};
	assert_int_equal(engagement_balance_of(lines, 1).lines_over, 1);
}

static void test_draw_check_message(void **state)
{
	(void)state;
	line_draw d[] = {{7500, DRAW_DELIVERED}};
	line_balance b = line_balance_of("coaching day", 8000, 180000, d, 1);
	char why[200];
	assert_true(draw_check(&b, 500, false, why, sizeof why));
	assert_string_equal(why, "");
	assert_false(draw_check(&b, 2000, false, why, sizeof why));
	assert_string_equal(why,
			    "This would schedule 1.5 coaching days more than the 8 the agreement "
			    "holds (0.5 left).");
	/* An explicit over-commit is allowed, and still named. */
	assert_true(draw_check(&b, 2000, true, why, sizeof why));
	assert_non_null(strstr(why, "1.5 coaching days"));
	/* One unit over: singular. */
	assert_false(draw_check(&b, 1500, false, why, sizeof why));
	assert_non_null(strstr(why, "1 coaching day more"));
	/* Already over: nothing is left. */
	line_draw o[] = {{9000, DRAW_SCHEDULED}};
	line_balance over = line_balance_of("coaching day", 8000, 180000, o, 1);
	assert_false(draw_check(&over, 500, false, why, sizeof why));
	assert_non_null(strstr(why, "(0 left)"));
}

static void test_parse_quantity(void **state)
{
	(void)state;
	int64_t m = -1;
	assert_null(quantity_parse("8", &m));
	assert_int_equal(m, 8000);
	assert_null(quantity_parse("0.5", &m));
	assert_int_equal(m, 500);
	assert_null(quantity_parse(".25", &m));
	assert_int_equal(m, 250);
	assert_null(quantity_parse("1,000.125", &m));
	assert_int_equal(m, 1000125);
	assert_non_null(quantity_parse("-1", &m));
	assert_non_null(quantity_parse("0.0001", &m));
	assert_non_null(quantity_parse("1,00", &m));
	assert_non_null(quantity_parse("eight", &m));
	assert_non_null(quantity_parse("", &m));
	assert_non_null(quantity_parse("1000001", &m));
	assert_non_null(quantity_parse("99999999999999999999", &m));
}

static void test_parse_price(void **state)
{
	(void)state;
	int64_t c = -1;
	assert_null(price_parse("1800", &c));
	assert_int_equal(c, 180000);
	assert_null(price_parse("1,800.00", &c));
	assert_int_equal(c, 180000);
	assert_null(price_parse("$1,800.5", &c));
	assert_int_equal(c, 180050);
	assert_null(price_parse("0", &c));
	assert_int_equal(c, 0);
	const char *why = price_parse("1800.001", &c);
	assert_non_null(why);
	assert_non_null(strstr(why, "2 decimal"));
	assert_non_null(price_parse("-5", &c));
	assert_non_null(price_parse("18,00.00", &c));
}

static void test_texts(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(milli_text(a, 8000), "8");
	assert_string_equal(milli_text(a, 500), "0.5");
	assert_string_equal(milli_text(a, 1250), "1.25");
	assert_string_equal(milli_text(a, -1500), "-1.5");
	assert_string_equal(cents_text(a, 1620000), "$16,200.00");
	assert_string_equal(cents_text(a, 5), "$0.05");
	assert_string_equal(cents_text(a, -180000), "-$1,800.00");
	assert_string_equal(cents_text(a, 123456789), "$1,234,567.89");
	assert_string_equal(units_text(a, 1000, "day"), "1 day");
	assert_string_equal(units_text(a, 500, "day"), "0.5 days");
	arena_free(a);
}

static engagement_input good_input(void)
{
	return (engagement_input){.partner_id = 1,
				  .district_id = 2,
				  .title = "Coaching",
				  .starts_on = "2025-06-01",
				  .ends_on = "2026-06-30"};
}

/* The agreement's life: the parties propose, withdraw, start and end; only
 * the district accepts or declines; nothing leaves "ended"; only accepted
 * and active agreements reach into the district. */
static void test_engagement_moves(void **state)
{
	(void)state;
	const engagement_powers party = {.party = true}, district = {.district = true},
				both = {.party = true, .district = true}, nobody = {0};
	assert_null(engagement_move_blocker(EN_DRAFT, EN_PROPOSED, party));
	assert_null(engagement_move_blocker(EN_PROPOSED, EN_DRAFT, party));
	assert_null(engagement_move_blocker(EN_DECLINED, EN_DRAFT, party));
	assert_null(engagement_move_blocker(EN_ACCEPTED, EN_ACTIVE, party));
	assert_null(engagement_move_blocker(EN_ACTIVE, EN_ENDED, party));
	assert_null(engagement_move_blocker(EN_PROPOSED, EN_ACCEPTED, district));
	assert_null(engagement_move_blocker(EN_DRAFT, EN_ACCEPTED, district));
	assert_null(engagement_move_blocker(EN_PROPOSED, EN_DECLINED, district));
	assert_non_null(engagement_move_blocker(EN_PROPOSED, EN_ACCEPTED, party));
	assert_non_null(engagement_move_blocker(EN_PROPOSED, EN_DECLINED, party));
	assert_non_null(engagement_move_blocker(EN_DRAFT, EN_PROPOSED, nobody));
	assert_non_null(engagement_move_blocker(EN_DECLINED, EN_ACCEPTED, both));
	assert_non_null(engagement_move_blocker(EN_DRAFT, EN_ACTIVE, both));
	for (int to = 0; to < EN_STATE_COUNT; to++)
		assert_non_null(engagement_move_blocker(EN_ENDED, (engagement_state)to, both));
	engagement_state to[EN_STATE_COUNT];
	size_t n = engagement_moves(EN_PROPOSED, party, to);
	assert_int_equal(n, 1);
	assert_int_equal(to[0], EN_DRAFT);
	n = engagement_moves(EN_PROPOSED, both, to);
	assert_int_equal(n, 2); /* accept, decline: the district answers, it does not withdraw */
	assert_int_equal(to[0], EN_ACCEPTED);
	assert_int_equal(to[1], EN_DECLINED);
	assert_non_null(engagement_move_blocker(EN_PROPOSED, EN_DRAFT, both));
	assert_null(engagement_move_blocker(EN_ACTIVE, EN_ENDED, district));
	int reaching = 0;
	for (int s = 0; s < EN_STATE_COUNT; s++) {
		engagement_state parsed;
		assert_true(engagement_state_parse(engagement_state_name((engagement_state)s), &parsed));
		assert_int_equal(parsed, s);
		reaching += engagement_reaches((engagement_state)s);
	}
	assert_int_equal(reaching, 2);
	assert_true(engagement_reaches(EN_ACCEPTED) && engagement_reaches(EN_ACTIVE));
	assert_false(engagement_state_parse("closed", &(engagement_state){0}));
	assert_non_null(engagement_edit_blocker(EN_PROPOSED, true));
	assert_null(engagement_edit_blocker(EN_DRAFT, true));
	assert_null(engagement_edit_blocker(EN_ACTIVE, false));
	assert_non_null(engagement_edit_blocker(EN_ENDED, false));
}

static void test_engagement_check(void **state)
{
	(void)state;
	arena *a = arena_new();
	form_errors e = {0};
	engagement_input in = good_input();
	in.focus_codes = "mp3, tp2 MP3";
	in.audiences = "coaches,teachers";
	in.state = ""; /* a new one: a draft unless proposed */
	engagement_check(a, &in, &e);
	assert_int_equal(e.n, 0);
	assert_string_equal(in.state, "draft");
	assert_string_equal(in.focus_codes, "MP3 TP2");
	assert_string_equal(in.audiences, "teachers,coaches");

	in = good_input();
	in.ends_on = "2025-05-31";
	e = (form_errors){0};
	engagement_check(a, &in, &e);
	assert_non_null(form_error_for(&e, "ends_on"));

	in = good_input();
	in.starts_on = "2025-02-30";
	in.state = "accepted"; /* a new one is a draft or a proposal */
	in.pl_type = "retreat";
	in.audiences = "teachers,students";
	in.focus_codes = "3MP";
	in.district_id = 0;
	e = (form_errors){0};
	engagement_check(a, &in, &e);
	assert_non_null(form_error_for(&e, "starts_on"));
	assert_non_null(form_error_for(&e, "state"));
	assert_non_null(form_error_for(&e, "pl_type"));
	assert_non_null(form_error_for(&e, "audiences"));
	assert_non_null(form_error_for(&e, "focus_codes"));
	assert_non_null(form_error_for(&e, "district_id"));
	assert_null(form_error_for(&e, "title"));
	arena_free(a);
}

static void test_line_check(void **state)
{
	(void)state;
	arena *a = arena_new();
	line_input in = {.kind_id = "1", .quantity = "0.5", .unit = "day", .unit_price = "1,800.00"};
	form_errors e = {0};
	line_check(a, &in, &e);
	assert_int_equal(e.n, 0);
	assert_int_equal(in.quantity_milli, 500);
	assert_int_equal(in.unit_price_cents, 180000);
	in = (line_input){
		.kind_id = "x", .quantity = "-2", .unit = "", .unit_price = "1.999", .minutes = "0"};
	e = (form_errors){0};
	line_check(a, &in, &e);
	assert_non_null(form_error_for(&e, "kind_id"));
	assert_non_null(form_error_for(&e, "quantity"));
	assert_non_null(form_error_for(&e, "unit"));
	assert_non_null(form_error_for(&e, "unit_price"));
	assert_non_null(form_error_for(&e, "minutes"));
	/* The unit and description are one line each. */
	in = (line_input){.kind_id = "1",
			  .quantity = "1",
			  .unit = "day\r\nX-Injected: 1",
			  .unit_price = "1",
			  .description = "two\u2028lines"};
	e = (form_errors){0};
	line_check(a, &in, &e);
	assert_non_null(form_error_for(&e, "unit"));
	assert_non_null(form_error_for(&e, "description"));
	arena_free(a);
}

static void test_places(void **state)
{
	(void)state;
	place p[2];
	size_t n = engagement_places(10, 20, p);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].org_id, 20);
	assert_int_equal(p[0].district_id, 20);
	assert_int_equal(p[0].partner_id, 0);
	assert_int_equal(p[1].org_id, 10);
	assert_int_equal(p[1].district_id, 0);
	assert_int_equal(p[1].partner_id, 10);
	grant lead = {ROLE_DISTRICT_LEADER, 20, 20, 0}, other = {ROLE_DISTRICT_LEADER, 30, 30, 0};
	grant staff = {ROLE_PARTNER_STAFF, 10, 0, 10}, teacher = {ROLE_TEACHER, 21, 20, 0};
	actor al = {.person_id = 1, .grants = &lead, .ngrants = 1};
	actor ao = {.person_id = 2, .grants = &other, .ngrants = 1};
	actor as = {.person_id = 3, .grants = &staff, .ngrants = 1};
	actor at = {.person_id = 4, .grants = &teacher, .ngrants = 1};
	record r = engagement_record(REC_ENGAGEMENT, p, n);
	record m = engagement_record(REC_MONEY, p, n);
	assert_true(may(&al, ACT_UPDATE, &r));
	assert_true(may(&as, ACT_UPDATE, &r));
	assert_true(may(&as, ACT_READ, &m));
	assert_false(may(&ao, ACT_READ, &r));
	assert_false(may(&at, ACT_READ, &r));
	assert_false(may(&at, ACT_READ, &m));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amounts_round_half_up_once),
		cmocka_unit_test(test_balance_with_cancel),
		cmocka_unit_test(test_money_never_drifts),
		cmocka_unit_test(test_over_commit),
		cmocka_unit_test(test_draw_check_message),
		cmocka_unit_test(test_parse_quantity),
		cmocka_unit_test(test_parse_price),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_engagement_check),
		cmocka_unit_test(test_engagement_moves),
		cmocka_unit_test(test_line_check),
		cmocka_unit_test(test_places),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
