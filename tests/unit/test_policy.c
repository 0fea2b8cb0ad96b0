/* Unit tests for the access policy (src/access/policy.h): the whole matrix
 * of role × kind × action written out below, then the scopes one by one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "access/actor.h"
#include "access/policy.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))

/* Organizations: district 1 with schools A and B, district 2 with school C,
 * and two partners. */
enum { D1 = 10, SA = 101, SB = 102, D2 = 20, SC = 201, P1 = 30, P2 = 31 };

/* People: the actor under test is always ME. */
enum { ME = 1, SOMEONE = 2, THE_COACH = 3, THE_TEACHER = 4, FRIEND = 5, TEACHER2 = 6 };

static const place at_d1 = {D1, D1, 0}, at_d2 = {D2, D2, 0};
static const place at_sa = {SA, D1, 0}, at_sb = {SB, D1, 0}, at_sc = {SC, D2, 0};
static const place at_p1 = {P1, 0, P1}, at_p2 = {P2, 0, P2};

static const grant admin_d1 = {ROLE_ADMIN, D1, D1, 0};
static const grant leader_d1 = {ROLE_DISTRICT_LEADER, D1, D1, 0};
static const grant principal_sa = {ROLE_PRINCIPAL, SA, D1, 0};
static const grant coach_d1 = {ROLE_COACH, D1, D1, 0};
static const grant teacher_sa = {ROLE_TEACHER, SA, D1, 0};
static const grant partner_p1 = {ROLE_PARTNER_STAFF, P1, 0, P1};
static const grant coach_p1 = {ROLE_COACH, P1, 0, P1};

/* Someone else's people, so that a record's member lists are never empty
 * and an actor outside them is tested against real lists. */
static const int64_t others_coaches[] = {THE_COACH};
static const int64_t others_teachers[] = {THE_TEACHER};
static const int64_t others_shared[] = {FRIEND};

static actor someone_with(int64_t person, const grant *grants, size_t ngrants)
{
	return (actor){.person_id = person, .name = "Test", .grants = grants, .ngrants = ngrants};
}

/* A record of the kind at one place, about SOMEONE, with other people as
 * its coaches, teachers and shared-with list. */
static record record_at(record_kind kind, const place *p)
{
	return (record){.kind = kind,
			.places = p,
			.nplaces = p ? 1 : 0,
			.person_id = SOMEONE,
			.coaches = others_coaches,
			.ncoaches = N(others_coaches),
			.teachers = others_teachers,
			.nteachers = N(others_teachers),
			.shared_with = others_shared,
			.nshared = N(others_shared)};
}

/* ---- The matrix ---------------------------------------------------- */

/* One grant per role, and a place that role's grant reaches (its own)
 * and one it does not (another district, or another partner). */
static const struct {
	const grant *g;
	const place *in, *out;
} matrix_actor[ROLE_COUNT] = {
	[ROLE_ADMIN] = {&admin_d1, &at_d1, &at_d2},
	[ROLE_DISTRICT_LEADER] = {&leader_d1, &at_d1, &at_d2},
	[ROLE_PRINCIPAL] = {&principal_sa, &at_sa, &at_sc},
	[ROLE_COACH] = {&coach_d1, &at_d1, &at_d2},
	[ROLE_TEACHER] = {&teacher_sa, &at_sa, &at_sc},
	[ROLE_PARTNER_STAFF] = {&partner_p1, &at_p1, &at_p2},
};

/* What each role may do to a record at its own place, when the record is
 * not about the actor and the actor is neither inside it nor shared with.
 * Letters in the order of enum action: Read Create Update Deactivate
 * Share Export; '.' denied. */
static const char *const in_scope[REC_KIND_COUNT][ROLE_COUNT] = {
	/*                         admin     leader    principal coach     teacher   partner */
	[REC_ORG] = {"RCUD..", "R.....", "R.....", "R.....", "R.....", "R....."},
	[REC_PERSON] = {"RCUD..", "R.....", "R.....", "R.....", "R.....", "R....."},
	[REC_ROLE] = {"RC.D..", "R.....", "R.....", "R.....", "R.....", "R....."},
	[REC_LEADER_ROLE] = {"......", ".C....", "......", "......", "......", "......"},
	[REC_FIRST_LEADER_ROLE] = {".C....", ".C....", "......", "......", "......", "......"},
	[REC_TEAM] = {"RCUD..", "RCUD..", "RCUD..", "RCUD..", "R.....", "R....."},
	[REC_SCHOOL_YEAR] = {"RCUD..", "RCUD..", "R.....", "R.....", "R.....", "R....."},
	[REC_CLASS] = {"RCUD..", "R.....", "R.....", "......", "......", "......"},
	[REC_TOKEN] = {"R..D..", "......", "......", "......", "......", "......"},
	[REC_AUDIT] = {"R....E", "R....E", "......", "......", "......", "......"},
	[REC_ROSTER_IMPORT] = {"RC....", "......", "......", "......", "......", "......"},
	[REC_COACHING] = {"......", "......", "......", ".C....", "......", "......"},
	[REC_COACHING_SUMMARY] = {"......", "R....E", "R....E", "R....E", "......", "......"},
	[REC_ENGAGEMENT] = {"R.....", "RCUD.E", "......", "R.....", "......", "RCUD.E"},
	[REC_ENGAGEMENT_DECISION] = {"..U...", "..U...", "......", "......", "......", "......"},
	[REC_MONEY] = {"......", "R....E", "......", "......", "......", "R....E"},
	[REC_PL_SESSION] = {"......", "RCUD..", "R.....", "RCUD..", "......", "RCUD.."},
	[REC_CYCLE_TEMPLATE] = {"RCUD..", "RCUD..", "R.....", "R.....", "R.....", "RCUD.."},
	[REC_RUBRIC] = {"RCUD..", "RCUD..", "R.....", "R.....", "R.....", "RCUD.."},
	[REC_WALK] = {"......", "RCUD.E", "RCUD.E", "RC....", "......", "RC...."},
	[REC_VISIT] = {"......", "R..D..", "R..D..", "R.....", "......", "R....."},
	[REC_WALK_SUMMARY] = {"......", "R.U..E", "R....E", "R....E", "......", "R....E"},
	[REC_CALIBRATION] = {"......", "RCUD.E", "......", ".C....", "......", "RCU..E"},
	[REC_CALIBRATION_RATING] = {"......", "......", "......", "......", "......", "......"},
};

/* The same record at a place the role's grant does not reach: every role
 * alike, since only rules that need no place are left. */
static const char *const out_of_scope[REC_KIND_COUNT] = {
	[REC_ORG] = "R.....", /* the directory is open to everyone signed in */
	[REC_PERSON] = "......",
	[REC_LEADER_ROLE] = "......",
	[REC_FIRST_LEADER_ROLE] = "......",
	[REC_ROLE] = "......",
	[REC_TEAM] = "......",
	[REC_SCHOOL_YEAR] = "......",
	[REC_CLASS] = "......",
	[REC_TOKEN] = "......",
	[REC_AUDIT] = "......",
	[REC_ROSTER_IMPORT] = "......",
	[REC_COACHING] = "......",
	[REC_COACHING_SUMMARY] = "......",
	[REC_ENGAGEMENT] = "......",
	[REC_ENGAGEMENT_DECISION] = "......",
	[REC_MONEY] = "......",
	[REC_PL_SESSION] = "......",
	[REC_CYCLE_TEMPLATE] = "......",
	[REC_RUBRIC] = "......",
	[REC_WALK] = "......",
	[REC_VISIT] = "......",
	[REC_WALK_SUMMARY] = "......",
	[REC_CALIBRATION] = "......",
	[REC_CALIBRATION_RATING] = "......",
};

/* Out of scope, but about the actor (person_id == ME): every role alike. */
static const char *const about_me[REC_KIND_COUNT] = {
	[REC_ORG] = "R.....",
	[REC_PERSON] = "R.U...",
	[REC_LEADER_ROLE] = "......",
	[REC_FIRST_LEADER_ROLE] = "......",
	[REC_ROLE] = "R.....",
	[REC_TEAM] = "......",
	[REC_SCHOOL_YEAR] = "......",
	[REC_CLASS] = "......",
	[REC_TOKEN] = "RC.D..",
	[REC_AUDIT] = "......",
	[REC_ROSTER_IMPORT] = "......",
	[REC_COACHING] = "......",
	[REC_COACHING_SUMMARY] = "......",
	[REC_ENGAGEMENT] = "......",
	[REC_ENGAGEMENT_DECISION] = "......",
	[REC_MONEY] = "......",
	[REC_PL_SESSION] = "......",
	[REC_CYCLE_TEMPLATE] = "......",
	[REC_RUBRIC] = "......",
	[REC_WALK] = "..UD..",
	[REC_VISIT] = "..UD..",
	[REC_WALK_SUMMARY] = "......",
	[REC_CALIBRATION] = "......",
	[REC_CALIBRATION_RATING] = "R.U...",
};

/* Out of scope, with the actor both a coach and a teacher inside it:
 * every role alike. */
static const char *const inside[REC_KIND_COUNT] = {
	[REC_ORG] = "R.....",
	[REC_PERSON] = "......",
	[REC_LEADER_ROLE] = "......",
	[REC_FIRST_LEADER_ROLE] = "......",
	[REC_ROLE] = "......",
	[REC_TEAM] = "R.....",
	[REC_SCHOOL_YEAR] = "......",
	[REC_CLASS] = "R.....",
	[REC_TOKEN] = "......",
	[REC_AUDIT] = "......",
	[REC_ROSTER_IMPORT] = "......",
	[REC_COACHING] = "R.UDSE",
	[REC_COACHING_SUMMARY] = "......",
	[REC_ENGAGEMENT] = "......",
	[REC_ENGAGEMENT_DECISION] = "......",
	[REC_MONEY] = "......",
	[REC_PL_SESSION] = "R.U...", /* facilitators update (attendance, delivered) */
	[REC_CYCLE_TEMPLATE] = "......",
	[REC_RUBRIC] = "......",
	[REC_WALK] = "R.U..E",
	[REC_VISIT] = "RC....",
	[REC_WALK_SUMMARY] = "......",
	[REC_CALIBRATION] = "R.UD.E",
	[REC_CALIBRATION_RATING] = ".C....",
};

static const char letters[] = "RCUDSE";

typedef struct tally {
	int cells;
	int failures;
} tally;

/* Checks one row of expectations ("RCUD..") against may() for every
 * action, printing each disagreement so a failure names its cell. */
static void expect_row(tally *t, const char *variant, const char *expect, const actor *a, const record *r)
{
	assert_int_equal(strlen(expect), ACT_COUNT);
	for (int act = 0; act < ACT_COUNT; act++) {
		assert_true(expect[act] == '.' || expect[act] == letters[act]); /* a typo in the table */
		bool want = expect[act] != '.';
		bool got = may(a, (action)act, r);
		t->cells++;
		if (got == want) continue;
		t->failures++;
		print_error("%s: %s may %s a %s: expected %s, got %s\n", variant,
			    a->ngrants ? role_name(a->grants[0].role) : "(no role)", action_name((action)act),
			    record_kind_name(r->kind), want ? "yes" : "no", got ? "yes" : "no");
	}
}

static void test_matrix_in_scope(void **state)
{
	(void)state;
	tally t = {0};
	for (int ro = 0; ro < ROLE_COUNT; ro++) {
		actor a = someone_with(ME, matrix_actor[ro].g, 1);
		for (int k = 0; k < REC_KIND_COUNT; k++) {
			record r = record_at((record_kind)k, matrix_actor[ro].in);
			expect_row(&t, "in scope", in_scope[k][ro], &a, &r);
		}
	}
	assert_int_equal(t.cells, ROLE_COUNT * REC_KIND_COUNT * ACT_COUNT);
	assert_int_equal(t.failures, 0);
}

static void test_matrix_out_of_scope(void **state)
{
	(void)state;
	tally t = {0};
	for (int ro = 0; ro < ROLE_COUNT; ro++) {
		actor a = someone_with(ME, matrix_actor[ro].g, 1);
		for (int k = 0; k < REC_KIND_COUNT; k++) {
			record r = record_at((record_kind)k, matrix_actor[ro].out);
			expect_row(&t, "out of scope", out_of_scope[k], &a, &r);
		}
	}
	assert_int_equal(t.cells, ROLE_COUNT * REC_KIND_COUNT * ACT_COUNT);
	assert_int_equal(t.failures, 0);
}

static void test_matrix_about_me_and_inside(void **state)
{
	(void)state;
	static const int64_t me[] = {ME};
	tally t = {0};
	for (int ro = 0; ro < ROLE_COUNT; ro++) {
		actor a = someone_with(ME, matrix_actor[ro].g, 1);
		for (int k = 0; k < REC_KIND_COUNT; k++) {
			record r = record_at((record_kind)k, matrix_actor[ro].out);
			r.person_id = ME;
			expect_row(&t, "about me", about_me[k], &a, &r);
			r = record_at((record_kind)k, matrix_actor[ro].out);
			r.coaches = me;
			r.teachers = me;
			expect_row(&t, "inside", inside[k], &a, &r);
		}
	}
	assert_int_equal(t.cells, 2 * ROLE_COUNT * REC_KIND_COUNT * ACT_COUNT);
	assert_int_equal(t.failures, 0);
}

/* ---- Scopes, one at a time ------------------------------------------ */

static void test_principal_sees_own_school_only(void **state)
{
	(void)state;
	actor a = someone_with(ME, &principal_sa, 1);
	const record_kind school_kinds[] = {REC_PERSON, REC_ROLE, REC_TEAM, REC_CLASS, REC_COACHING_SUMMARY};
	for (size_t i = 0; i < N(school_kinds); i++) {
		record here = record_at(school_kinds[i], &at_sa);
		record there = record_at(school_kinds[i], &at_sb); /* same district */
		assert_true(may(&a, ACT_READ, &here));
		assert_false(may(&a, ACT_READ, &there));
	}
	record team_b = record_at(REC_TEAM, &at_sb);
	assert_false(may(&a, ACT_UPDATE, &team_b));
	/* The district's school years are read by everyone in the district. */
	record year = record_at(REC_SCHOOL_YEAR, &at_d1);
	assert_true(may(&a, ACT_READ, &year));
	assert_false(may(&a, ACT_UPDATE, &year));
	/* A person with roles at both schools is someone this principal sees. */
	const place both[] = {at_sb, at_sa};
	record two = record_at(REC_PERSON, both);
	two.nplaces = 2;
	assert_true(may(&a, ACT_READ, &two));
}

static void test_teacher_and_colleagues(void **state)
{
	(void)state;
	actor a = someone_with(ME, &teacher_sa, 1);
	record colleague = record_at(REC_PERSON, &at_sa);
	record elsewhere = record_at(REC_PERSON, &at_sb);
	assert_true(may(&a, ACT_READ, &colleague));
	assert_false(may(&a, ACT_UPDATE, &colleague));
	assert_false(may(&a, ACT_READ, &elsewhere));
	/* Their own entry, wherever it is placed. */
	record self = record_at(REC_PERSON, &at_sb);
	self.person_id = ME;
	assert_true(may(&a, ACT_READ, &self));
	assert_true(may(&a, ACT_UPDATE, &self));
	assert_false(may(&a, ACT_DEACTIVATE, &self));
	assert_false(may(&a, ACT_EXPORT, &self));
	/* Teams at their school are readable, not editable. */
	record team = record_at(REC_TEAM, &at_sa);
	assert_true(may(&a, ACT_READ, &team));
	assert_false(may(&a, ACT_UPDATE, &team));
}

static void test_teacher_and_classes(void **state)
{
	(void)state;
	static const int64_t me[] = {ME};
	actor a = someone_with(ME, &teacher_sa, 1);
	record mine = record_at(REC_CLASS, &at_sa);
	mine.teachers = me;
	assert_true(may(&a, ACT_READ, &mine));
	assert_false(may(&a, ACT_UPDATE, &mine));
	assert_false(may(&a, ACT_DEACTIVATE, &mine));
	record colleagues = record_at(REC_CLASS, &at_sa);
	assert_false(may(&a, ACT_READ, &colleagues));
	/* Their own class at another school: membership, not place. */
	record mine_elsewhere = record_at(REC_CLASS, &at_sc);
	mine_elsewhere.teachers = me;
	assert_true(may(&a, ACT_READ, &mine_elsewhere));
	/* A class knows its teachers only; a name among "coaches" is no teacher. */
	record coached = record_at(REC_CLASS, &at_sa);
	coached.coaches = me;
	assert_false(may(&a, ACT_READ, &coached));
}

static void test_district_leader_other_district(void **state)
{
	(void)state;
	actor a = someone_with(ME, &leader_d1, 1);
	const record_kind kinds[] = {REC_PERSON, REC_TEAM,  REC_SCHOOL_YEAR,
				     REC_CLASS,  REC_AUDIT, REC_COACHING_SUMMARY};
	for (size_t i = 0; i < N(kinds); i++) {
		record school_in_d1 = record_at(kinds[i], &at_sb);
		record school_in_d2 = record_at(kinds[i], &at_sc);
		record district2 = record_at(kinds[i], &at_d2);
		assert_true(may(&a, ACT_READ, &school_in_d1));
		assert_false(may(&a, ACT_READ, &school_in_d2));
		assert_false(may(&a, ACT_READ, &district2));
	}
	/* Some place is enough: a person with roles in both districts. */
	const place both[] = {at_sc, at_sb};
	record two = record_at(REC_PERSON, both);
	two.nplaces = 2;
	assert_true(may(&a, ACT_READ, &two));
	record audit_d2 = record_at(REC_AUDIT, &at_d2);
	assert_false(may(&a, ACT_EXPORT, &audit_d2));
}

static void test_partner_staff_own_partner_only(void **state)
{
	(void)state;
	actor a = someone_with(ME, &partner_p1, 1);
	record ours = record_at(REC_PERSON, &at_p1);
	record theirs = record_at(REC_PERSON, &at_p2);
	record district = record_at(REC_PERSON, &at_sa);
	assert_true(may(&a, ACT_READ, &ours));
	assert_false(may(&a, ACT_UPDATE, &ours));
	assert_false(may(&a, ACT_READ, &theirs));
	assert_false(may(&a, ACT_READ, &district));
	record team = record_at(REC_TEAM, &at_p1);
	assert_true(may(&a, ACT_READ, &team));
	assert_false(may(&a, ACT_CREATE, &team));
	record summary = record_at(REC_COACHING_SUMMARY, &at_p1);
	assert_false(may(&a, ACT_READ, &summary));
}

/* A partner's coach reaches what is placed at the partner: a district's
 * records reach them only if the caller lists the partner among the
 * record's places. */
static void test_partner_coach(void **state)
{
	(void)state;
	actor a = someone_with(ME, &coach_p1, 1);
	record fellow = record_at(REC_PERSON, &at_p1);
	assert_true(may(&a, ACT_READ, &fellow));
	record school_only = record_at(REC_COACHING, &at_sa);
	assert_false(may(&a, ACT_CREATE, &school_only));
	const place served[] = {at_sa, at_p1};
	record served_cycle = record_at(REC_COACHING, served);
	served_cycle.nplaces = 2;
	assert_true(may(&a, ACT_CREATE, &served_cycle));
	assert_false(may(&a, ACT_READ, &served_cycle)); /* creating is no licence to read */
	record other_partner = record_at(REC_COACHING, &at_p2);
	assert_false(may(&a, ACT_CREATE, &other_partner));
}

/* A partner working in a district through an agreement holds a grant
 * derived from it: {district, district, partner}. It reaches the district's
 * people and its own agreement with the district, never another partner's
 * agreement, prices or sessions in that same district. */
static void test_derived_partner_grant(void **state)
{
	(void)state;
	static const grant staff_p1_in_d1 = {ROLE_PARTNER_STAFF, D1, D1, P1};
	static const grant coach_p1_in_d1 = {ROLE_COACH, D1, D1, P1};
	actor staff = someone_with(ME, &staff_p1_in_d1, 1);
	actor coach = someone_with(ME, &coach_p1_in_d1, 1);
	record teacher_at_sa = record_at(REC_PERSON, &at_sa);
	assert_true(may(&staff, ACT_READ, &teacher_at_sa));
	assert_true(may(&coach, ACT_READ, &teacher_at_sa));
	const place ours[] = {at_d1, at_p1}, theirs[] = {at_d1, at_p2};
	const record_kind partnership[] = {REC_ENGAGEMENT, REC_MONEY, REC_PL_SESSION};
	for (size_t i = 0; i < N(partnership); i++) {
		record mine = record_at(partnership[i], ours);
		mine.nplaces = 2;
		record other = record_at(partnership[i], theirs);
		other.nplaces = 2;
		assert_true(may(&staff, ACT_READ, &mine));
		assert_false(may(&staff, ACT_READ, &other));
		assert_false(may(&coach, ACT_READ, &other));
		assert_false(may(&staff, ACT_UPDATE, &other));
	}
	/* The district's own people sit beside another partner's sessions:
	 * still reachable, being the district's and no partner's. */
	record team_at_sb = record_at(REC_TEAM, &at_sb);
	assert_true(may(&coach, ACT_READ, &team_at_sb));
	/* The district's own tools are read, never written, by the partner's
	 * staff working there; the partner's own are theirs to write. */
	const record_kind tools[] = {REC_CYCLE_TEMPLATE, REC_RUBRIC};
	for (size_t i = 0; i < N(tools); i++) {
		record district_tool = record_at(tools[i], &at_d1);
		record partner_tool = record_at(tools[i], &at_p1);
		assert_true(may(&staff, ACT_READ, &district_tool));
		assert_false(may(&staff, ACT_CREATE, &district_tool));
		assert_false(may(&staff, ACT_UPDATE, &district_tool));
		assert_false(may(&staff, ACT_DEACTIVATE, &district_tool));
		assert_true(may(&staff, ACT_UPDATE, &partner_tool));
	}
	/* Calibration: the sessions the partner runs in the district, not the
	 * district's own. */
	static const place run_by_p1 = {P1, D1, P1};
	record partners_session = record_at(REC_CALIBRATION, &run_by_p1);
	record districts_session = record_at(REC_CALIBRATION, &at_d1);
	assert_true(may(&staff, ACT_READ, &partners_session));
	assert_true(may(&staff, ACT_UPDATE, &partners_session));
	assert_false(may(&staff, ACT_READ, &districts_session));
	assert_false(may(&staff, ACT_UPDATE, &districts_session));
	assert_true(may(&staff, ACT_CREATE, &districts_session));
}

/* Only the district decides on an agreement: its leaders, or its
 * administrators acting for it; no partner grant, derived or not, nor a
 * leader of another district. The decision is placed at the district. */
static void test_engagement_decision_is_the_districts(void **state)
{
	(void)state;
	static const grant staff_p1_in_d1 = {ROLE_PARTNER_STAFF, D1, D1, P1};
	static const grant coach_p1_in_d1 = {ROLE_COACH, D1, D1, P1};
	static const grant leader_d2 = {ROLE_DISTRICT_LEADER, D2, D2, 0};
	static const grant admin_p1 = {ROLE_ADMIN, P1, 0, P1};
	record decision = record_at(REC_ENGAGEMENT_DECISION, &at_d1);
	const grant *refused[] = {&staff_p1_in_d1, &coach_p1_in_d1, &partner_p1, &coach_p1,  &leader_d2,
				  &admin_p1,       &principal_sa,   &coach_d1,   &teacher_sa};
	for (size_t i = 0; i < N(refused); i++) {
		actor a = someone_with(ME, refused[i], 1);
		assert_false(may(&a, ACT_UPDATE, &decision));
	}
	actor leader = someone_with(ME, &leader_d1, 1), admin = someone_with(ME, &admin_d1, 1);
	assert_true(may(&leader, ACT_UPDATE, &decision));
	assert_true(may(&admin, ACT_UPDATE, &decision));
	/* Both sides update the agreement itself, which sits at both places. */
	const place both[] = {at_d1, at_p1};
	record agreement = record_at(REC_ENGAGEMENT, both);
	agreement.nplaces = 2;
	actor staff = someone_with(ME, &partner_p1, 1);
	assert_true(may(&staff, ACT_UPDATE, &agreement));
	assert_true(may(&leader, ACT_UPDATE, &agreement));
}

/* Nobody grants themselves a role, whatever they may grant to others; the
 * district-leader role is the leaders' to give, an administrator's only
 * for a district that never had one. */
static void test_nobody_grants_themselves_a_role(void **state)
{
	(void)state;
	const record_kind grants_of[] = {REC_ROLE, REC_LEADER_ROLE, REC_FIRST_LEADER_ROLE};
	const grant both[] = {admin_d1, leader_d1};
	actor a = someone_with(ME, both, N(both));
	for (size_t i = 0; i < N(grants_of); i++) {
		record to_me = record_at(grants_of[i], &at_d1);
		to_me.person_id = ME;
		assert_false(may(&a, ACT_CREATE, &to_me));
		record to_someone = record_at(grants_of[i], &at_d1);
		assert_true(may(&a, ACT_CREATE, &to_someone));
	}
	actor admin = someone_with(ME, &admin_d1, 1);
	record leader_role = record_at(REC_LEADER_ROLE, &at_d1);
	record first_leader = record_at(REC_FIRST_LEADER_ROLE, &at_d1);
	record teacher_role = record_at(REC_ROLE, &at_sa);
	assert_false(may(&admin, ACT_CREATE, &leader_role));
	assert_true(may(&admin, ACT_CREATE, &first_leader));
	assert_true(may(&admin, ACT_CREATE, &teacher_role));
	/* Revoking a role stays account keeping, one's own included. */
	record mine = record_at(REC_ROLE, &at_d1);
	mine.person_id = ME;
	assert_true(may(&admin, ACT_DEACTIVATE, &mine));
}

/* ---- The trust contract --------------------------------------------- */

/* A coaching cycle at school A: coached by THE_COACH, for THE_TEACHER,
 * shared with FRIEND (the principal). */
static record cycle_at_sa(void)
{
	return record_at(REC_COACHING, &at_sa);
}

static void test_coaching_coach_member(void **state)
{
	(void)state;
	actor coach = someone_with(THE_COACH, &coach_d1, 1);
	record r = cycle_at_sa();
	assert_true(may(&coach, ACT_READ, &r));
	assert_true(may(&coach, ACT_UPDATE, &r));
	assert_true(may(&coach, ACT_EXPORT, &r));
	assert_true(may(&coach, ACT_DEACTIVATE, &r));
	assert_false(may(&coach, ACT_SHARE, &r)); /* not on the teacher's behalf */
	/* The same coach, not in this cycle, sees nothing of it. */
	actor other_coach = someone_with(ME, &coach_d1, 1);
	assert_false(may(&other_coach, ACT_READ, &r));
	assert_false(may(&other_coach, ACT_UPDATE, &r));
	assert_false(may(&other_coach, ACT_DEACTIVATE, &r));
}

static void test_coaching_teacher_member(void **state)
{
	(void)state;
	actor teacher = someone_with(THE_TEACHER, &teacher_sa, 1);
	record r = cycle_at_sa();
	assert_true(may(&teacher, ACT_READ, &r));
	assert_true(may(&teacher, ACT_UPDATE, &r));
	assert_true(may(&teacher, ACT_SHARE, &r));
	assert_true(may(&teacher, ACT_EXPORT, &r));
	assert_false(may(&teacher, ACT_DEACTIVATE, &r)); /* the coach closes a cycle */
	assert_false(may(&teacher, ACT_CREATE, &r));
}

static void test_coaching_shared_with_principal(void **state)
{
	(void)state;
	actor principal = someone_with(FRIEND, &principal_sa, 1);
	record r = cycle_at_sa();
	assert_true(may(&principal, ACT_READ, &r));
	assert_false(may(&principal, ACT_UPDATE, &r));
	assert_false(may(&principal, ACT_SHARE, &r));
	assert_false(may(&principal, ACT_EXPORT, &r));
	assert_false(may(&principal, ACT_DEACTIVATE, &r));
	/* Unshared, the same principal reads nothing. */
	r.nshared = 0;
	assert_false(may(&principal, ACT_READ, &r));
}

static void test_coaching_nobody_by_role_alone(void **state)
{
	(void)state;
	const grant teacher2_sa = {ROLE_TEACHER, SA, D1, 0};
	const actor outsiders[] = {
		someone_with(ME, &admin_d1, 1),
		someone_with(ME, &leader_d1, 1),
		someone_with(ME, &principal_sa, 1),
		someone_with(TEACHER2, &teacher2_sa, 1),
	};
	record r = cycle_at_sa();
	for (size_t i = 0; i < N(outsiders); i++)
		for (int act = 0; act < ACT_COUNT; act++) assert_false(may(&outsiders[i], (action)act, &r));
	/* Every role at once still reads nothing. */
	const grant all_roles[] = {admin_d1, leader_d1, principal_sa, coach_d1, teacher_sa, partner_p1};
	actor everything = someone_with(ME, all_roles, N(all_roles));
	assert_false(may(&everything, ACT_READ, &r));
	assert_false(may(&everything, ACT_EXPORT, &r));
	assert_false(may(&everything, ACT_SHARE, &r));
}

static void test_coaching_member_needs_no_role(void **state)
{
	(void)state;
	actor teacher = someone_with(THE_TEACHER, NULL, 0);
	record r = cycle_at_sa();
	assert_true(may(&teacher, ACT_READ, &r));
	assert_true(may(&teacher, ACT_SHARE, &r));
	/* Nor does a person need one for their own entry or tokens. */
	record self = record_at(REC_PERSON, &at_sa);
	self.person_id = THE_TEACHER;
	assert_true(may(&teacher, ACT_READ, &self));
	assert_true(may(&teacher, ACT_UPDATE, &self));
	record token = record_at(REC_TOKEN, &at_sa);
	token.person_id = THE_TEACHER;
	assert_true(may(&teacher, ACT_CREATE, &token));
	/* But without a grant even the open directory is closed. */
	record org = record_at(REC_ORG, &at_sa);
	assert_false(may(&teacher, ACT_READ, &org));
	record year = record_at(REC_SCHOOL_YEAR, &at_d1);
	assert_false(may(&teacher, ACT_READ, &year));
}

/* A built-in framework has no place: anyone holding any role reads it,
 * nobody changes it, and a person without a role does not see it. */
static void test_builtin_rubric(void **state)
{
	(void)state;
	record builtin = record_at(REC_RUBRIC, NULL);
	const grant *each[] = {&admin_d1, &leader_d1, &principal_sa, &coach_d1, &teacher_sa, &partner_p1};
	for (size_t i = 0; i < N(each); i++) {
		actor a = someone_with(ME, each[i], 1);
		assert_true(may(&a, ACT_READ, &builtin));
		assert_false(may(&a, ACT_UPDATE, &builtin));
		assert_false(may(&a, ACT_DEACTIVATE, &builtin));
	}
	actor nobody = someone_with(ME, NULL, 0);
	assert_false(may(&nobody, ACT_READ, &builtin));
}

/* Id 0 is nobody: an actor without a person matches no zero id. */
static void test_zero_ids_match_nothing(void **state)
{
	(void)state;
	static const int64_t zero[] = {0};
	actor a = someone_with(0, &teacher_sa, 1);
	record r = record_at(REC_COACHING, &at_sc);
	r.person_id = 0;
	r.coaches = zero;
	r.teachers = zero;
	r.shared_with = zero;
	for (int act = 0; act < ACT_COUNT; act++) assert_false(may(&a, (action)act, &r));
	record p = record_at(REC_PERSON, &at_sc);
	p.person_id = 0;
	assert_false(may(&a, ACT_READ, &p));
	/* Nor does a grant or place missing an org, district or partner id
	 * match another that misses it too. */
	const grant orgless = {ROLE_TEACHER, 0, D1, 0};
	const place nowhere = {0, D2, 0};
	actor b = someone_with(ME, &orgless, 1);
	record q = record_at(REC_PERSON, &nowhere);
	assert_false(may(&b, ACT_READ, &q));
	const place districtless = {SB, 0, 0};
	actor partner = someone_with(ME, &partner_p1, 1);
	record s = record_at(REC_PERSON, &districtless);
	assert_false(may(&partner, ACT_READ, &s));
}

static void test_summary_is_not_content(void **state)
{
	(void)state;
	actor leader = someone_with(ME, &leader_d1, 1);
	record summary = record_at(REC_COACHING_SUMMARY, &at_sa);
	record content = record_at(REC_COACHING, &at_sa);
	assert_true(may(&leader, ACT_READ, &summary));
	assert_true(may(&leader, ACT_EXPORT, &summary));
	assert_false(may(&leader, ACT_UPDATE, &summary));
	assert_false(may(&leader, ACT_READ, &content));
	assert_false(may(&leader, ACT_EXPORT, &content));
}

/* ---- Other scopes --------------------------------------------------- */

static void test_multiple_grants(void **state)
{
	(void)state;
	/* Teacher at school A (district 1) and coach in district 2. */
	const grant both[] = {teacher_sa, {ROLE_COACH, D2, D2, 0}};
	actor a = someone_with(ME, both, N(both));
	record person_sa = record_at(REC_PERSON, &at_sa);
	record person_sb = record_at(REC_PERSON, &at_sb);
	record person_sc = record_at(REC_PERSON, &at_sc);
	assert_true(may(&a, ACT_READ, &person_sa));  /* as teacher */
	assert_false(may(&a, ACT_READ, &person_sb)); /* teacher: own school only */
	assert_true(may(&a, ACT_READ, &person_sc));  /* as coach in district 2 */
	record team_sa = record_at(REC_TEAM, &at_sa);
	record team_sc = record_at(REC_TEAM, &at_sc);
	assert_false(may(&a, ACT_UPDATE, &team_sa)); /* the coach grant is not here */
	assert_true(may(&a, ACT_UPDATE, &team_sc));
	record cycle_sa = record_at(REC_COACHING, &at_sa);
	record cycle_sc = record_at(REC_COACHING, &at_sc);
	assert_false(may(&a, ACT_CREATE, &cycle_sa));
	assert_true(may(&a, ACT_CREATE, &cycle_sc));
	record summary_sa = record_at(REC_COACHING_SUMMARY, &at_sa);
	record summary_sc = record_at(REC_COACHING_SUMMARY, &at_sc);
	assert_false(may(&a, ACT_READ, &summary_sa));
	assert_true(may(&a, ACT_READ, &summary_sc));
	record class_sc = record_at(REC_CLASS, &at_sc);
	assert_false(may(&a, ACT_READ, &class_sc)); /* coaches read no class by role */
}

static void test_null_actor_and_record(void **state)
{
	(void)state;
	for (int k = 0; k < REC_KIND_COUNT; k++) {
		record r = record_at((record_kind)k, &at_sa);
		r.person_id = ME;
		for (int act = 0; act < ACT_COUNT; act++) assert_false(may(NULL, (action)act, &r));
	}
	actor admin = someone_with(ME, &admin_d1, 1);
	assert_false(may(&admin, ACT_READ, NULL));
	/* Kinds and actions outside their enums are denied, not read past. */
	record r = record_at(REC_ORG, &at_d1);
	assert_false(may(&admin, ACT_COUNT, &r));
	assert_false(may(&admin, (action)-1, &r));
	r.kind = REC_KIND_COUNT;
	assert_false(may(&admin, ACT_READ, &r));
}

static void test_unplaced_audit(void **state)
{
	(void)state;
	record unplaced = record_at(REC_AUDIT, NULL);
	actor admin = someone_with(ME, &admin_d1, 1);
	actor leader = someone_with(ME, &leader_d1, 1);
	assert_true(may(&admin, ACT_READ, &unplaced));
	assert_true(may(&admin, ACT_EXPORT, &unplaced));
	assert_false(may(&admin, ACT_CREATE, &unplaced));
	assert_false(may(&leader, ACT_READ, &unplaced));
	assert_false(may(&leader, ACT_EXPORT, &unplaced));
	/* Installation-level is not "anywhere": other districts stay closed. */
	record other = record_at(REC_AUDIT, &at_d2);
	assert_false(may(&admin, ACT_READ, &other));
	/* Unplaced people or teams are nobody's to manage. */
	record person = record_at(REC_PERSON, NULL);
	assert_false(may(&admin, ACT_READ, &person));
	/* A new district or partner has no place yet: an administrator may
	 * create one, nobody else, and nobody may change it by that rule. */
	record new_org = record_at(REC_ORG, NULL);
	assert_true(may(&admin, ACT_CREATE, &new_org));
	assert_false(may(&leader, ACT_CREATE, &new_org));
	assert_false(may(&admin, ACT_UPDATE, &new_org));
	assert_false(may(&admin, ACT_DEACTIVATE, &new_org));
}

static void test_tokens(void **state)
{
	(void)state;
	actor teacher = someone_with(ME, &teacher_sa, 1);
	record mine = record_at(REC_TOKEN, &at_sa);
	mine.person_id = ME;
	record colleagues = record_at(REC_TOKEN, &at_sa);
	assert_true(may(&teacher, ACT_READ, &mine));
	assert_true(may(&teacher, ACT_CREATE, &mine));
	assert_true(may(&teacher, ACT_DEACTIVATE, &mine));
	assert_false(may(&teacher, ACT_UPDATE, &mine));
	assert_false(may(&teacher, ACT_READ, &colleagues));
	assert_false(may(&teacher, ACT_DEACTIVATE, &colleagues));
	actor admin = someone_with(ME, &admin_d1, 1);
	assert_true(may(&admin, ACT_READ, &colleagues));
	assert_true(may(&admin, ACT_DEACTIVATE, &colleagues));
	assert_false(may(&admin, ACT_CREATE, &colleagues)); /* no token made in another's name */
}

/* ---- Visibility ------------------------------------------------------ */

static bool listed(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; id && i < n; i++)
		if (ids[i] == id) return true;
	return false;
}

/* What a store's WHERE clause built from v lets through. */
static bool filter_admits(const visibility *v, int64_t me, const record *r)
{
	if (v->all || v->overflow) return true;
	if (v->unplaced && r->nplaces == 0) return true;
	if (v->self && r->person_id == me) return true;
	if (v->member &&
	    (listed(r->coaches, r->ncoaches, me) || listed(r->teachers, r->nteachers, me) ||
	     listed(r->shared_with, r->nshared, me)))
		return true;
	for (size_t i = 0; i < r->nplaces; i++) {
		const place *p = &r->places[i];
		if (listed(v->districts, v->ndistricts, p->district_id) ||
		    listed(v->districts, v->ndistricts, p->partner_id) ||
		    listed(v->orgs, v->norgs, p->org_id))
			return true;
	}
	return false;
}

/* For one-grant actors the filter and may() agree on every record of the
 * matrix: the filter drops nothing may() allows and lets nothing else by. */
static void test_visibility_agrees_with_may(void **state)
{
	(void)state;
	static const int64_t me[] = {ME};
	int checked = 0;
	for (int ro = 0; ro < ROLE_COUNT; ro++) {
		actor a = someone_with(ME, matrix_actor[ro].g, 1);
		for (int k = 0; k < REC_KIND_COUNT; k++) {
			record rs[5] = {record_at((record_kind)k, matrix_actor[ro].in),
					record_at((record_kind)k, matrix_actor[ro].out),
					record_at((record_kind)k, matrix_actor[ro].out),
					record_at((record_kind)k, matrix_actor[ro].out),
					record_at((record_kind)k, NULL)};
			rs[2].person_id = ME;
			rs[3].coaches = me;
			rs[3].teachers = me;
			for (int act = 0; act < ACT_COUNT; act++) {
				visibility v;
				policy_visibility(&a, (action)act, (record_kind)k, &v);
				assert_false(v.overflow);
				for (size_t i = 0; i < N(rs); i++, checked++) {
					if (may(&a, (action)act, &rs[i]) == filter_admits(&v, ME, &rs[i]))
						continue;
					print_error("%s %s %s record %zu: filter and may() disagree\n",
						    role_name((role)ro), action_name((action)act),
						    record_kind_name((record_kind)k), i);
					fail();
				}
			}
		}
	}
	assert_int_equal(checked, ROLE_COUNT * REC_KIND_COUNT * ACT_COUNT * 5);
}

static void test_visibility_for_some_actors(void **state)
{
	(void)state;
	visibility v;
	actor admin = someone_with(ME, &admin_d1, 1);
	policy_visibility(&admin, ACT_READ, REC_PERSON, &v);
	assert_false(v.all);
	assert_int_equal(v.ndistricts, 1);
	assert_int_equal(v.districts[0], D1);
	assert_int_equal(v.norgs, 0);
	assert_true(v.self);
	assert_false(v.member);
	assert_false(v.unplaced);

	policy_visibility(&admin, ACT_READ, REC_AUDIT, &v);
	assert_int_equal(v.ndistricts, 1);
	assert_true(v.unplaced);
	assert_false(v.self);

	actor teacher = someone_with(ME, &teacher_sa, 1);
	policy_visibility(&teacher, ACT_READ, REC_PERSON, &v);
	assert_int_equal(v.ndistricts, 0);
	assert_int_equal(v.norgs, 1);
	assert_int_equal(v.orgs[0], SA);
	assert_true(v.self);

	policy_visibility(&teacher, ACT_READ, REC_COACHING, &v);
	assert_true(v.member);
	assert_false(v.all || v.self || v.unplaced || v.overflow);
	assert_int_equal(v.ndistricts + v.norgs, 0);

	policy_visibility(&teacher, ACT_READ, REC_ORG, &v);
	assert_true(v.all);

	policy_visibility(&teacher, ACT_EXPORT, REC_PERSON, &v); /* nobody exports people */
	assert_false(v.all || v.self || v.member || v.unplaced || v.overflow);
	assert_int_equal(v.ndistricts + v.norgs, 0);

	actor partner = someone_with(ME, &partner_p1, 1);
	policy_visibility(&partner, ACT_READ, REC_PERSON, &v);
	assert_int_equal(v.ndistricts, 1);
	assert_int_equal(v.districts[0], P1);

	/* A cycle's coach closes it: list filters for that include members. */
	actor coach = someone_with(ME, &coach_d1, 1);
	policy_visibility(&coach, ACT_DEACTIVATE, REC_COACHING, &v);
	assert_true(v.member);
	assert_int_equal(v.ndistricts, 0);
}

static void test_visibility_dedupes_and_overflows(void **state)
{
	(void)state;
	visibility v;
	const grant three[] = {admin_d1, leader_d1, principal_sa};
	actor a = someone_with(ME, three, N(three));
	policy_visibility(&a, ACT_READ, REC_PERSON, &v);
	assert_int_equal(v.ndistricts, 1); /* D1 once, though two rules give it */
	assert_int_equal(v.districts[0], D1);
	assert_int_equal(v.norgs, 1);
	assert_int_equal(v.orgs[0], SA);
	assert_false(v.overflow);

	grant many[VISIBILITY_MAX + 2];
	for (size_t i = 0; i < N(many); i++) many[i] = (grant){ROLE_TEACHER, 1000 + (int64_t)i, D1, 0};
	actor busy = someone_with(ME, many, N(many));
	policy_visibility(&busy, ACT_READ, REC_PERSON, &v);
	assert_true(v.overflow);
	assert_int_equal(v.norgs, VISIBILITY_MAX);
	for (size_t i = 0; i < VISIBILITY_MAX; i++) assert_int_equal(v.orgs[i], 1000 + (int64_t)i);

	/* Exactly VISIBILITY_MAX fits. */
	busy.ngrants = VISIBILITY_MAX;
	policy_visibility(&busy, ACT_READ, REC_PERSON, &v);
	assert_false(v.overflow);
	assert_int_equal(v.norgs, VISIBILITY_MAX);
}

static void test_visibility_without_actor_or_grants(void **state)
{
	(void)state;
	visibility v;
	memset(&v, 0xff, sizeof v); /* everything must be written */
	policy_visibility(NULL, ACT_READ, REC_ORG, &v);
	assert_false(v.all || v.self || v.member || v.unplaced || v.overflow);
	assert_int_equal(v.ndistricts + v.norgs, 0);

	actor nobody = someone_with(ME, NULL, 0);
	policy_visibility(&nobody, ACT_READ, REC_ORG, &v);
	assert_false(v.all);
	policy_visibility(&nobody, ACT_READ, REC_PERSON, &v);
	assert_true(v.self);
	assert_false(v.member);
	assert_int_equal(v.ndistricts + v.norgs, 0);
	policy_visibility(&nobody, ACT_SHARE, REC_COACHING, &v);
	assert_true(v.member);
}

/* ---- Names ------------------------------------------------------------ */

static void test_names(void **state)
{
	(void)state;
	static const char *const kinds[REC_KIND_COUNT] = {"org",
							  "person",
							  "role",
							  "leader_role",
							  "first_leader_role",
							  "team",
							  "school_year",
							  "class",
							  "token",
							  "audit",
							  "roster_import",
							  "coaching",
							  "coaching_summary",
							  "engagement",
							  "engagement_decision",
							  "money",
							  "session",
							  "cycle_template",
							  "rubric",
							  "walk",
							  "visit",
							  "walk_summary",
							  "calibration",
							  "calibration_rating"};
	static const char *const actions[ACT_COUNT] = {"read",       "create", "update",
						       "deactivate", "share",  "export"};
	for (int k = 0; k < REC_KIND_COUNT; k++)
		assert_string_equal(record_kind_name((record_kind)k), kinds[k]);
	for (int act = 0; act < ACT_COUNT; act++) assert_string_equal(action_name((action)act), actions[act]);
	assert_string_equal(record_kind_name(REC_KIND_COUNT), "unknown");
	assert_string_equal(record_kind_name((record_kind)-1), "unknown");
	assert_string_equal(action_name(ACT_COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix_in_scope),
		cmocka_unit_test(test_matrix_out_of_scope),
		cmocka_unit_test(test_matrix_about_me_and_inside),
		cmocka_unit_test(test_principal_sees_own_school_only),
		cmocka_unit_test(test_teacher_and_colleagues),
		cmocka_unit_test(test_teacher_and_classes),
		cmocka_unit_test(test_district_leader_other_district),
		cmocka_unit_test(test_partner_staff_own_partner_only),
		cmocka_unit_test(test_derived_partner_grant),
		cmocka_unit_test(test_engagement_decision_is_the_districts),
		cmocka_unit_test(test_nobody_grants_themselves_a_role),
		cmocka_unit_test(test_partner_coach),
		cmocka_unit_test(test_coaching_coach_member),
		cmocka_unit_test(test_coaching_teacher_member),
		cmocka_unit_test(test_coaching_shared_with_principal),
		cmocka_unit_test(test_coaching_nobody_by_role_alone),
		cmocka_unit_test(test_coaching_member_needs_no_role),
		cmocka_unit_test(test_builtin_rubric),
		cmocka_unit_test(test_zero_ids_match_nothing),
		cmocka_unit_test(test_summary_is_not_content),
		cmocka_unit_test(test_multiple_grants),
		cmocka_unit_test(test_null_actor_and_record),
		cmocka_unit_test(test_unplaced_audit),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_visibility_agrees_with_may),
		cmocka_unit_test(test_visibility_for_some_actors),
		cmocka_unit_test(test_visibility_dedupes_and_overflows),
		cmocka_unit_test(test_visibility_without_actor_or_grants),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
