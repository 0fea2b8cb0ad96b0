/* Unit tests for the pure rules of calibration sessions
 * (src/calibrate/calibration.c): the blind rule over every combination,
 * drafts, the pass rule and its parsing, deviations from the anchor and
 * from the median, the change between rounds, the ratings handed to the
 * agreement module, and the records may() is asked about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "access/actor.h"
#include "access/policy.h"
#include "base/arena.h"
#include "base/util.h"
#include "calibrate/calibration.h"

/* A 1-3 rubric with three indicators, ids 11, 12, 13. */
static rubric_indicator inds[] = {{11, "TRU1", "The mathematics", NULL, NULL},
				  {12, "TRU2", "Cognitive demand", NULL, NULL},
				  {13, "TRU3", "Equitable access", NULL, NULL}};
static rubric_level levels[] = {{1, "1", NULL}, {2, "2", NULL}, {3, "3", NULL}};

static rubric_version rubric(void)
{
	return (rubric_version){.id = 1,
				.name = "TRU",
				.scale_min = 1,
				.scale_max = 3,
				.levels = levels,
				.nlevels = 3,
				.indicators = inds,
				.nindicators = 3};
}

enum { A = 101, B = 102, C = 103, D = 104, FAC = 200 };

static void test_blind_rule_exhaustive(void **state)
{
	(void)state;
	const int64_t current = 2;
	size_t cases = 0;
	for (int may_read = 0; may_read < 2; may_read++)
		for (int rater = 0; rater < 2; rater++)
			for (int submitted = 0; submitted < 2; submitted++)
				for (int64_t round = -1; round <= current + 2; round++) {
					calibration_viewer v = {may_read, rater, submitted};
					bool want = may_read && round >= 1 && round <= current &&
						(!rater || submitted);
					assert_int_equal(calibration_may_see_results(&v, round, current),
							 want);
					cases++;
				}
	assert_int_equal(cases, 2 * 2 * 2 * 6);
	assert_false(calibration_may_see_results(NULL, 1, 1));
	/* The facilitator, who is no rater, sees results before anyone submits. */
	calibration_viewer facilitator = {true, false, false};
	assert_true(calibration_may_see_results(&facilitator, 1, 1));
	/* A rater who submitted round 1 is blind again in round 2. */
	calibration_viewer r2 = {true, true, false};
	assert_false(calibration_may_see_results(&r2, 2, 2));
}

static void test_drafts_are_their_raters_only(void **state)
{
	(void)state;
	assert_true(calibration_may_see_draft(A, A));
	assert_false(calibration_may_see_draft(B, A));
	assert_false(calibration_may_see_draft(FAC, A));
	assert_false(calibration_may_see_draft(0, 0));
}

static void test_pass_share_parse(void **state)
{
	(void)state;
	double s = 0;
	assert_null(calibration_pass_share_parse("80", &s));
	assert_true(fabs(s - 0.8) < 1e-12);
	assert_null(calibration_pass_share_parse("100", &s));
	assert_true(fabs(s - 1.0) < 1e-12);
	assert_null(calibration_pass_share_parse("66.5 %", &s));
	assert_true(fabs(s - 0.665) < 1e-12);
	assert_non_null(calibration_pass_share_parse("0", &s));
	assert_non_null(calibration_pass_share_parse("-5", &s));
	assert_non_null(calibration_pass_share_parse("100.5", &s));
	assert_non_null(calibration_pass_share_parse("eighty", &s));
	assert_non_null(calibration_pass_share_parse("", &s));
	assert_non_null(calibration_pass_share_parse(NULL, &s));
	assert_non_null(calibration_pass_share_parse("nan", &s));
	assert_null(calibration_pass_distance_check(0));
	assert_null(calibration_pass_distance_check(9));
	assert_non_null(calibration_pass_distance_check(-1));
	assert_non_null(calibration_pass_distance_check(10));
}

static void test_median(void **state)
{
	(void)state;
	int64_t odd[] = {3, 1, 2};
	assert_true(calibration_median(odd, 3) == 2.0);
	int64_t even[] = {3, 2, 1, 3};
	assert_true(calibration_median(even, 4) == 2.5);
	assert_true(isnan(calibration_median(even, 0)));
}

static calibration session(calibration_anchor *anchors, size_t nanchors, int64_t *raters, size_t nraters)
{
	return (calibration){.id = 1,
			     .org_id = 30,
			     .org_is_partner = true,
			     .district_id = 10,
			     .facilitator_id = FAC,
			     .pass_share = 0.8,
			     .pass_distance = 1,
			     .round = 1,
			     .rater_ids = raters,
			     .nraters = nraters,
			     .anchors = anchors,
			     .nanchors = nanchors};
}

#define R(rater, ind, v) \
	{ \
		rater, ind, v, NULL \
	}

static void test_deviations_from_anchor(void **state)
{
	(void)state;
	arena *a = arena_new();
	rubric_version v = rubric();
	calibration_anchor an[] = {{11, 3}, {12, 2}, {13, 1}};
	int64_t raters[] = {A, B};
	calibration c = session(an, 3, raters, 2);
	calibration_rating rs[] = {R(A, 11, 3), R(A, 12, 2), R(A, 13, 3), /* +2 on TRU3 */
				   R(B, 11, 2), R(B, 12, 3), R(B, 13, 1),
				   R(C, 11, 1), R(C, 12, 1), R(C, 13, 1)}; /* C did not submit: ignored */
	calibration_round_result r;
	calibration_round_compute(a, &v, &c, raters, 2, rs, COUNT_OF(rs), &r);
	assert_true(r.anchored);
	const calibration_rater_result *ra = calibration_round_rater(&r, A),
				       *rb = calibration_round_rater(&r, B);
	assert_non_null(ra);
	assert_null(calibration_round_rater(&r, C));
	assert_int_equal(ra->compared, 3);
	assert_true(ra->deviations[0] == 0 && ra->deviations[1] == 0 && ra->deviations[2] == 2);
	assert_int_equal(ra->exact, 2);
	assert_int_equal(ra->within_one, 2);
	assert_true(fabs(ra->within_one_share - 2.0 / 3.0) < 1e-12);
	assert_false(ra->passes); /* 67 % < 80 % */
	assert_true(fabs(ra->mean_deviation - 2.0 / 3.0) < 1e-12);
	assert_int_equal(rb->exact, 1);
	assert_int_equal(rb->within_one, 3);
	assert_true(rb->passes);
	assert_true(fabs(rb->mean_deviation - 0.0) < 1e-12);
	/* Distributions and pairwise agreement count the submitted only. */
	assert_int_equal(r.indicators[0].n, 2);
	assert_int_equal(r.indicators[0].counts[0], 0);
	assert_int_equal(r.indicators[0].counts[1], 1);
	assert_int_equal(r.indicators[0].counts[2], 1);
	assert_true(r.indicators[0].pairs_exact == 0.0 && r.indicators[0].pairs_within_one == 1.0);
	assert_true(r.indicators[2].pairs_within_one == 0.0);
	/* With a distance of 2, A's +2 counts and A passes; exact only (0), A fails. */
	c.pass_distance = 2;
	calibration_round_compute(a, &v, &c, raters, 2, rs, COUNT_OF(rs), &r);
	assert_true(calibration_round_rater(&r, A)->passes);
	c.pass_distance = 0;
	c.pass_share = 0.6;
	calibration_round_compute(a, &v, &c, raters, 2, rs, COUNT_OF(rs), &r);
	assert_true(calibration_round_rater(&r, A)->passes);  /* 2 of 3 exact >= 60 % */
	assert_false(calibration_round_rater(&r, B)->passes); /* 1 of 3 */
	arena_free(a);
}

static void test_pass_at_exactly_the_share(void **state)
{
	(void)state;
	arena *a = arena_new();
	static rubric_indicator five[] = {{1, "I1", "", NULL, NULL},
					  {2, "I2", "", NULL, NULL},
					  {3, "I3", "", NULL, NULL},
					  {4, "I4", "", NULL, NULL},
					  {5, "I5", "", NULL, NULL}};
	rubric_version v = rubric();
	v.indicators = five;
	v.nindicators = 5;
	calibration_anchor an[] = {{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}};
	int64_t raters[] = {A};
	calibration c = session(an, 5, raters, 1);
	calibration_rating rs[] = {R(A, 1, 1), R(A, 2, 2), R(A, 3, 1), R(A, 4, 2), R(A, 5, 3)};
	calibration_round_result r;
	calibration_round_compute(a, &v, &c, raters, 1, rs, 5, &r);
	assert_int_equal(r.raters[0].within_one, 4);
	assert_true(r.raters[0].passes); /* 4 of 5 is 80 %: passes */
	c.pass_share = 0.81;
	calibration_round_compute(a, &v, &c, raters, 1, rs, 5, &r);
	assert_false(r.raters[0].passes);
	arena_free(a);
}

static void test_deviations_from_median(void **state)
{
	(void)state;
	arena *a = arena_new();
	rubric_version v = rubric();
	int64_t raters[] = {A, B, C, D};
	calibration c = session(NULL, 0, raters, 4);
	calibration_rating rs[] = {R(A, 11, 1), R(B, 11, 2), R(C, 11, 3), R(D, 11, 3),
				   R(A, 12, 2), R(B, 12, 2), R(C, 12, 2), R(D, 12, 2),
				   R(A, 13, 1), R(B, 13, 1), R(C, 13, 1), R(D, 13, 3)};
	calibration_round_result r;
	calibration_round_compute(a, &v, &c, raters, 4, rs, COUNT_OF(rs), &r);
	assert_false(r.anchored);
	assert_true(r.indicators[0].reference == 2.5); /* median of 1 2 3 3 */
	assert_true(r.indicators[2].reference == 1.0);
	const calibration_rater_result *ra = calibration_round_rater(&r, A),
				       *rd = calibration_round_rater(&r, D);
	assert_true(ra->deviations[0] == -1.5);
	assert_int_equal(ra->within_one, 2); /* -1.5 is not within one */
	assert_true(rd->deviations[0] == 0.5 && rd->deviations[2] == 2.0);
	assert_int_equal(rd->exact, 1);
	arena_free(a);
}

static void test_round_change(void **state)
{
	(void)state;
	arena *a = arena_new();
	rubric_version v = rubric();
	calibration_anchor an[] = {{11, 3}, {12, 2}, {13, 1}};
	int64_t raters[] = {A, B};
	calibration c = session(an, 3, raters, 2);
	calibration_rating one[] = {R(A, 11, 1), R(A, 12, 2), R(A, 13, 3),
				    R(B, 11, 3), R(B, 12, 3), R(B, 13, 3)};
	calibration_rating two[] = {R(A, 11, 3), R(A, 12, 2), R(A, 13, 2),
				    R(B, 11, 3), R(B, 12, 2), R(B, 13, 1)};
	calibration_round_result r1, r2;
	calibration_round_compute(a, &v, &c, raters, 2, one, 6, &r1);
	calibration_round_compute(a, &v, &c, raters, 2, two, 6, &r2);
	assert_true(calibration_round_rater(&r1, A)->within_one_share <
		    calibration_round_rater(&r2, A)->within_one_share);
	assert_true(fabs(calibration_round_rater(&r1, A)->within_one_share - 1.0 / 3.0) < 1e-12);
	assert_true(calibration_round_rater(&r2, A)->within_one_share == 1.0);
	assert_true(calibration_round_rater(&r2, B)->exact_share == 1.0);
	assert_true(r1.indicators[0].pairs_within_one == 0.0 && r2.indicators[0].pairs_within_one == 1.0);
	arena_free(a);
}

static void test_agreement_data(void **state)
{
	(void)state;
	arena *a = arena_new();
	rubric_version v = rubric();
	calibration_anchor an[] = {{11, 3}, {13, 1}};
	int64_t raters[] = {A, B};
	const char *names[] = {"Ann", "Ben"};
	calibration c = session(an, 2, raters, 2);
	calibration_rating rs[] = {R(A, 11, 3), R(A, 12, 2), R(A, 13, 1), R(B, 11, 2),
				   R(B, 12, 2), R(B, 13, 1), R(C, 11, 1)};
	agreement_data d;
	assert_null(calibration_agreement_data(a, &v, &c, raters, names, 2, rs, COUNT_OF(rs), &d));
	assert_int_equal(d.nunits, 3);
	assert_string_equal(d.units[0], "TRU1");
	assert_int_equal(d.nraters, 3);
	assert_true(d.anchor >= 0);
	assert_string_equal(d.raters[d.anchor], "anchor");
	assert_int_equal(d.nratings, 8); /* 6 ratings + 2 anchors; C's left out */
	assert_int_equal(d.scale_min, 1);
	assert_int_equal(d.scale_max, 3);
	/* One rater and no anchors: no statistics, and a reason. */
	calibration bare = session(NULL, 0, raters, 1);
	assert_non_null(calibration_agreement_data(a, &v, &bare, raters, names, 1, rs, 3, &d));
	arena_free(a);
}

static void test_records(void **state)
{
	(void)state;
	int64_t raters[] = {A, B};
	calibration c = session(NULL, 0, raters, 2);
	place p[1];
	record r = calibration_record(p, &c);
	assert_int_equal(r.kind, REC_CALIBRATION);
	assert_int_equal(p[0].org_id, 30);
	assert_int_equal(p[0].district_id, 10);
	assert_int_equal(p[0].partner_id, 30);
	grant leader = {ROLE_DISTRICT_LEADER, 10, 10, 0};
	grant teacher = {ROLE_TEACHER, 11, 10, 0};
	grant staff = {ROLE_PARTNER_STAFF, 30, 0, 30};
	actor lead = {.person_id = D, .grants = &leader, .ngrants = 1};
	actor rater = {.person_id = A, .grants = &teacher, .ngrants = 1};
	actor outsider = {.person_id = C, .grants = &teacher, .ngrants = 1};
	actor fac = {.person_id = FAC, .grants = &staff, .ngrants = 1};
	assert_true(may(&lead, ACT_READ, &r));
	assert_true(may(&rater, ACT_READ, &r));
	assert_false(may(&rater, ACT_UPDATE, &r));
	assert_false(may(&outsider, ACT_READ, &r));
	assert_true(may(&fac, ACT_UPDATE, &r));
	record mine = calibration_rating_record(p, &c, A);
	assert_true(may(&rater, ACT_CREATE, &mine));
	record theirs = calibration_rating_record(p, &c, C);
	assert_false(may(&outsider, ACT_CREATE, &theirs)); /* not invited */
	/* A district's own session is placed at the district alone. */
	c.org_is_partner = false;
	c.org_id = 10;
	r = calibration_record(p, &c);
	assert_int_equal(p[0].partner_id, 0);
	assert_false(may(&(actor){.person_id = 77, .grants = &staff, .ngrants = 1}, ACT_READ, &r));
	calibration_rater named[] = {{A, "Ann", 0}, {B, "Ben", 5}};
	c.raters = named;
	assert_true(calibration_is_rater(&c, A));
	assert_false(calibration_is_rater(&c, FAC));
	assert_false(calibration_is_rater(&c, 0));
	assert_int_equal(calibration_rater_of(&c, B)->submitted_at, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blind_rule_exhaustive),
		cmocka_unit_test(test_drafts_are_their_raters_only),
		cmocka_unit_test(test_pass_share_parse),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_deviations_from_anchor),
		cmocka_unit_test(test_pass_at_exactly_the_share),
		cmocka_unit_test(test_deviations_from_median),
		cmocka_unit_test(test_round_change),
		cmocka_unit_test(test_agreement_data),
		cmocka_unit_test(test_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
