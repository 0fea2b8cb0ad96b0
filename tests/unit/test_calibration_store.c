/* Unit tests for calibration sessions in the store
 * (src/calibrate/calibration_store.c): one session with its raters, their
 * submissions of the open round and its anchors; the list filtered by
 * place and by membership; a round's ratings and submissions; the rounds an
 * observer took part in; the people who may be invited; the writes the
 * checked changes make (session, details, video, raters, anchors, ratings,
 * submissions, rounds, closing). Every case runs on
 * a temporary SQLite file and again on PostgreSQL ($COACHD_TEST_PG,
 * required). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/util.h"
#include "calibrate/calibration.h"
#include "store/store.h"
#include "testdb.h"

typedef struct fixture {
	store *s;
	arena *a;
	testdb tdb;
} fixture;

#define F ((fixture *)*state)

static int64_t add_org(fixture *f, const char *kind, const char *name, int64_t parent)
{
	return testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, parent_id, created_at) VALUES ($1, $2, $3, 1) RETURNING id",
		ARGS(ARG_TEXT(kind), ARG_TEXT(name), parent ? ARG_INT(parent) : ARG_NULL));
}

static int64_t add_person(fixture *f, const char *name, int64_t org, const char *role_name)
{
	int64_t id =
		testdb_scalar(f->s, f->a, "INSERT INTO person (name, created_at) VALUES ($1, 1) RETURNING id",
			      ARGS(ARG_TEXT(name)));
	testdb_run(f->s, f->a, "INSERT INTO person_role (person_id, org_id, role) VALUES ($1, $2, $3)",
		   ARGS(ARG_INT(id), ARG_INT(org), ARG_TEXT(role_name)));
	return id;
}

typedef struct world {
	int64_t partner, district, school, other, version, ind[5];
	int64_t fac, ann, ben, cal, stranger;
} world;

static world make_world(fixture *f)
{
	world w;
	w.partner = add_org(f, "partner", "Lakeshore", 0);
	w.district = add_org(f, "district", "Prairie Glen", 0);
	w.school = add_org(f, "school", "Meadowbrook", w.district);
	w.other = add_org(f, "district", "Elsewhere", 0);
	w.version = testdb_scalar(f->s, f->a,
				  "SELECT current_version_id FROM rubric WHERE builtin_key = 'tru'", NULL, 0);
	store_rows r = testdb_run(f->s, f->a,
				  "SELECT id FROM rubric_indicator WHERE version_id = $1 ORDER BY position",
				  ARGS(ARG_INT(w.version)));
	assert_int_equal(r.nrows, 5);
	for (size_t i = 0; i < 5; i++) w.ind[i] = rows_int(&r, i, 0);
	w.fac = add_person(f, "Carmen", w.partner, "coach");
	w.ann = add_person(f, "Ann", w.school, "teacher");
	w.ben = add_person(f, "Ben", w.district, "district_leader");
	w.cal = add_person(f, "Cal", w.school, "principal");
	w.stranger = add_person(f, "Stranger", w.other, "teacher");
	return w;
}

static int64_t add_session(fixture *f, const world *w, int64_t org, const char *title, const char *day,
			   int64_t round)
{
	int64_t id = testdb_scalar(
		f->s, f->a,
		"INSERT INTO calibration (org_id, district_id, title, rubric_version_id, facilitator_id, "
		"held_on, "
		"pass_share, round, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0.75, $7, 1, 1) "
		"RETURNING id",
		ARGS(ARG_INT(org), ARG_INT(w->district), ARG_TEXT(title), ARG_INT(w->version),
		     ARG_INT(w->fac), ARG_TEXT(day), ARG_INT(round)));
	const int64_t raters[] = {w->ann, w->ben, w->cal};
	for (size_t i = 0; i < 3; i++)
		testdb_run(f->s, f->a,
			   "INSERT INTO calibration_rater (calibration_id, person_id, invited_at) VALUES "
			   "($1, $2, 1)",
			   ARGS(ARG_INT(id), ARG_INT(raters[i])));
	return id;
}

static void rate(fixture *f, int64_t id, int64_t round, int64_t rater, const int64_t *ind, const int *v,
		 bool submit, int64_t at)
{
	for (size_t k = 0; k < 5; k++)
		testdb_run(f->s, f->a,
			   "INSERT INTO calibration_rating (calibration_id, round, rater_id, indicator_id, "
			   "value) "
			   "VALUES ($1, $2, $3, $4, $5)",
			   ARGS(ARG_INT(id), ARG_INT(round), ARG_INT(rater), ARG_INT(ind[k]), ARG_INT(v[k])));
	if (submit)
		testdb_run(
			f->s, f->a,
			"INSERT INTO calibration_submission (calibration_id, round, rater_id, submitted_at) "
			"VALUES ($1, $2, $3, $4)",
			ARGS(ARG_INT(id), ARG_INT(round), ARG_INT(rater), ARG_INT(at)));
}

static void test_get_with_raters_and_anchors(void **state)
{
	fixture *f = F;
	world w = make_world(f);
	int64_t id = add_session(f, &w, w.partner, "Fall", "2026-10-14", 2);
	testdb_run(f->s, f->a,
		   "INSERT INTO calibration_anchor (calibration_id, indicator_id, value) VALUES ($1, $2, 3), "
		   "($1, $3, 1)",
		   ARGS(ARG_INT(id), ARG_INT(w.ind[4]), ARG_INT(w.ind[0])));
	static const int v[5] = {3, 2, 2, 2, 1};
	rate(f, id, 1, w.ann, w.ind, v, true, 100); /* round 1: not the open round */
	rate(f, id, 2, w.ben, w.ind, v, true, 200);
	rate(f, id, 2, w.cal, w.ind, v, false, 0); /* a draft */
	calibration c;
	bool found = false;
	assert_int_equal(calibration_get(f->s, f->a, id, &c, &found), STORE_OK);
	assert_true(found);
	assert_string_equal(c.title, "Fall");
	assert_true(c.org_is_partner);
	assert_int_equal(c.org_id, w.partner);
	assert_int_equal(c.district_id, w.district);
	assert_string_equal(c.district_name, "Prairie Glen");
	assert_string_equal(c.rubric_name, "Teaching for Robust Understanding (TRU)");
	assert_string_equal(c.facilitator_name, "Carmen");
	assert_true(c.pass_share > 0.749 && c.pass_share < 0.751);
	assert_int_equal(c.pass_distance, 1);
	assert_int_equal(c.round, 2);
	assert_false(c.closed);
	assert_int_equal(c.nraters, 3);
	assert_string_equal(c.raters[0].name, "Ann");  /* by name */
	assert_int_equal(c.raters[0].submitted_at, 0); /* submitted round 1 only */
	assert_int_equal(calibration_rater_of(&c, w.ben)->submitted_at, 200);
	assert_int_equal(calibration_rater_of(&c, w.cal)->submitted_at, 0);
	assert_int_equal(c.nanchors, 2);
	assert_int_equal(c.anchors[0].indicator_id, w.ind[0]); /* rubric order */
	assert_int_equal(c.anchors[0].value, 1);
	assert_int_equal(calibration_get(f->s, f->a, id + 1000, &c, &found), STORE_OK);
	assert_false(found);
}

static void test_ratings_submissions_history(void **state)
{
	fixture *f = F;
	world w = make_world(f);
	int64_t spring = add_session(f, &w, w.district, "Spring", "2026-04-22", 1);
	int64_t fall = add_session(f, &w, w.partner, "Fall", "2026-10-14", 2);
	static const int v[5] = {3, 2, 2, 2, 1};
	rate(f, fall, 1, w.ann, w.ind, v, true, 300);
	rate(f, fall, 1, w.ben, w.ind, v, true, 250);
	rate(f, fall, 2, w.ann, w.ind, v, false, 0);
	rate(f, spring, 1, w.ann, w.ind, v, true, 50);
	calibration_rating *rs;
	size_t n;
	assert_int_equal(calibration_ratings_get(f->s, f->a, fall, 1, &rs, &n), STORE_OK);
	assert_int_equal(n, 10);
	assert_int_equal(calibration_ratings_get(f->s, f->a, fall, 2, &rs, &n), STORE_OK);
	assert_int_equal(n, 5);
	assert_int_equal(rs[0].rater_id, w.ann);
	int64_t *ids, *at;
	assert_int_equal(calibration_submissions_get(f->s, f->a, fall, 1, &ids, &at, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], w.ben); /* in submission order */
	assert_int_equal(at[1], 300);
	assert_int_equal(calibration_submissions_get(f->s, f->a, fall, 2, &ids, NULL, &n), STORE_OK);
	assert_int_equal(n, 0);
	int64_t *sessions, *rounds;
	assert_int_equal(calibration_history_rounds(f->s, f->a, w.ann, &sessions, &rounds, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sessions[0], spring); /* oldest first; the draft of round 2 is no history */
	assert_int_equal(sessions[1], fall);
	assert_int_equal(rounds[1], 1);
}

static void test_list_by_place_and_membership(void **state)
{
	fixture *f = F;
	world w = make_world(f);
	int64_t ours = add_session(f, &w, w.district, "Ours", "2026-04-22", 1);
	int64_t theirs = add_session(f, &w, w.partner, "Partner's", "2026-10-14", 1);
	visibility v = {0};
	calibration *list;
	size_t n;
	/* Nothing: nothing. */
	assert_int_equal(calibration_list(f->s, f->a, &v, 0, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	/* The district's places: both (the partner's is for the district). */
	v.districts[v.ndistricts++] = w.district;
	assert_int_equal(calibration_list(f->s, f->a, &v, 0, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, theirs); /* newest first */
	assert_int_equal(list[1].id, ours);
	assert_int_equal(list[1].nraters, 3);
	/* The partner's: its own only. */
	v = (visibility){0};
	v.districts[v.ndistricts++] = w.partner;
	assert_int_equal(calibration_list(f->s, f->a, &v, 0, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, theirs);
	/* Membership: the facilitator and a rater see theirs; a stranger none. */
	v = (visibility){0};
	assert_int_equal(calibration_list(f->s, f->a, &v, w.ann, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(calibration_list(f->s, f->a, &v, w.fac, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(calibration_list(f->s, f->a, &v, w.stranger, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	v.all = true;
	assert_int_equal(calibration_list(f->s, f->a, &v, 0, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
}

static void test_rater_choices(void **state)
{
	fixture *f = F;
	world w = make_world(f);
	int64_t *ids;
	const char **names;
	size_t n;
	/* A district's session: its own people only. */
	assert_int_equal(calibration_rater_choices(f->s, f->a, w.district, 0, &ids, &names, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "Ann");
	assert_string_equal(names[2], "Cal");
	/* Run by the partner: its coach too; never someone of another district. */
	assert_int_equal(calibration_rater_choices(f->s, f->a, w.district, w.partner, &ids, &names, &n),
			 STORE_OK);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) assert_int_not_equal(ids[i], w.stranger);
	/* A deactivated person is not offered. */
	testdb_run(f->s, f->a, "UPDATE person SET active = 0 WHERE id = $1", ARGS(ARG_INT(w.cal)));
	assert_int_equal(calibration_rater_choices(f->s, f->a, w.district, 0, &ids, &names, &n), STORE_OK);
	assert_int_equal(n, 2);
}

static void test_writes(void **state)
{
	fixture *f = F;
	world w = make_world(f);
	calibration row = {.org_id = w.partner,
			   .district_id = w.district,
			   .title = "Winter",
			   .rubric_version_id = w.version,
			   .facilitator_id = w.fac,
			   .held_on = "2027-01-20",
			   .video_url = "",
			   .transcript = "T: Why?",
			   .pass_share = 0.8,
			   .pass_distance = 1,
			   .created_at = 500};
	int64_t id = 0;
	assert_int_equal(calibration_add(f->s, f->a, &row, &id), STORE_OK);
	assert_true(id > 0);
	const int64_t raters[] = {w.ann, w.ben};
	assert_int_equal(calibration_raters_set(f->s, f->a, id, raters, 2, 500), STORE_OK);
	calibration c;
	bool found = false;
	assert_int_equal(calibration_get(f->s, f->a, id, &c, &found), STORE_OK);
	assert_true(found);
	assert_string_equal(c.title, "Winter");
	assert_true(c.org_is_partner);
	assert_null(c.video_url); /* empty is none */
	assert_null(c.video_file);
	assert_string_equal(c.transcript, "T: Why?");
	assert_int_equal(c.round, 1);
	assert_false(c.closed);
	assert_int_equal(c.created_at, 500);
	assert_int_equal(c.updated_at, 500);
	assert_int_equal(c.nraters, 2);

	/* Details and video. */
	row = c;
	row.title = "Winter, again";
	row.video_url = "https://example.org/lesson";
	row.pass_distance = 0;
	assert_int_equal(calibration_details_set(f->s, f->a, &row, 600), STORE_OK);
	assert_int_equal(calibration_video_set(f->s, f->a, id, "abc123", "video/mp4", "lesson.mp4", 42),
			 STORE_OK);
	assert_int_equal(calibration_get(f->s, f->a, id, &c, &found), STORE_OK);
	assert_string_equal(c.title, "Winter, again");
	assert_string_equal(c.video_url, "https://example.org/lesson");
	assert_string_equal(c.transcript, "T: Why?");
	assert_int_equal(c.pass_distance, 0);
	assert_int_equal(c.updated_at, 600);
	assert_string_equal(c.video_file, "abc123");
	assert_int_equal(c.video_size, 42);

	/* Anchors: set, reset, cleared. */
	assert_int_equal(calibration_anchor_set(f->s, f->a, id, w.ind[0], true, 2), STORE_OK);
	assert_int_equal(calibration_anchor_set(f->s, f->a, id, w.ind[0], true, 3), STORE_OK);
	assert_int_equal(calibration_anchor_set(f->s, f->a, id, w.ind[1], true, 1), STORE_OK);
	assert_int_equal(calibration_anchor_set(f->s, f->a, id, w.ind[1], false, 0), STORE_OK);
	assert_int_equal(calibration_get(f->s, f->a, id, &c, &found), STORE_OK);
	assert_int_equal(c.nanchors, 1);
	assert_int_equal(c.anchors[0].value, 3);

	/* Ratings: set, reset, cleared; who rated. */
	int64_t *who;
	size_t n;
	assert_int_equal(calibration_raters_who_rated(f->s, f->a, id, &who, &n), STORE_OK);
	assert_int_equal(n, 0);
	calibration_rating r = {w.ann, w.ind[0], 1, "asked why"};
	assert_int_equal(calibration_rating_set(f->s, f->a, id, 1, &r, true), STORE_OK);
	r.value = 2;
	r.evidence = "";
	assert_int_equal(calibration_rating_set(f->s, f->a, id, 1, &r, true), STORE_OK);
	r.indicator_id = w.ind[1];
	assert_int_equal(calibration_rating_set(f->s, f->a, id, 1, &r, true), STORE_OK);
	assert_int_equal(calibration_rating_set(f->s, f->a, id, 1, &r, false), STORE_OK);
	calibration_rating *rs;
	assert_int_equal(calibration_ratings_get(f->s, f->a, id, 1, &rs, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rs[0].value, 2);
	assert_null(rs[0].evidence);
	assert_int_equal(calibration_raters_who_rated(f->s, f->a, id, &who, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(who[0], w.ann);

	/* Submissions: once per round. */
	assert_int_equal(calibration_submission_add(f->s, f->a, id, 1, w.ann, 700), STORE_OK);
	assert_int_equal(calibration_submission_add(f->s, f->a, id, 1, w.ann, 701), STORE_CONSTRAINT);
	assert_int_equal(calibration_get(f->s, f->a, id, &c, &found), STORE_OK);
	assert_int_equal(calibration_rater_of(&c, w.ann)->submitted_at, 700);

	/* Rounds: only from the open one. */
	bool advanced = false;
	assert_int_equal(calibration_round_advance(f->s, f->a, id, 1, 800, &advanced), STORE_OK);
	assert_true(advanced);
	assert_int_equal(calibration_round_advance(f->s, f->a, id, 1, 801, &advanced), STORE_OK);
	assert_false(advanced);
	assert_int_equal(calibration_get(f->s, f->a, id, &c, &found), STORE_OK);
	assert_int_equal(c.round, 2);
	assert_int_equal(c.updated_at, 800);

	/* Raters replaced; closed. */
	const int64_t others[] = {w.cal};
	assert_int_equal(calibration_raters_set(f->s, f->a, id, others, 1, 900), STORE_OK);
	assert_int_equal(calibration_closed_set(f->s, f->a, id, 1000), STORE_OK);
	assert_int_equal(calibration_get(f->s, f->a, id, &c, &found), STORE_OK);
	assert_int_equal(c.nraters, 1);
	assert_int_equal(c.raters[0].person_id, w.cal);
	assert_true(c.closed);
	assert_int_equal(c.updated_at, 1000);
}

TESTDB_GROUP_FIXTURES("test_calibration_store", "calibration_store", true)

static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	static const char *const clear[] = {"DELETE FROM calibration_submission",
					    "DELETE FROM calibration_rating",
					    "DELETE FROM calibration_anchor",
					    "DELETE FROM calibration_rater",
					    "DELETE FROM calibration",
					    "DELETE FROM person_role",
					    "DELETE FROM person",
					    "DELETE FROM org"};
	testdb_run_each(f->s, f->a, clear, COUNT_OF(clear));
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_test, teardown_test)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_get_with_raters_and_anchors),
		T(test_ratings_submissions_history),
		T(test_list_by_place_and_membership),
		T(test_rater_choices),
		T(test_writes),
	};
	return TESTDB_RUN_GROUPS("calibration store", "calibration_store", tests);
}
