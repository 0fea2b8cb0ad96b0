/* Unit tests for learning walks in the store (src/observe/walk_store.c):
 * a walk with its walkers and focus, visits with ratings and look-fors,
 * the dashboards' kept counts through add, edit (a grade moving band),
 * a walk's day moving and remove, a stale edit refused with nothing
 * written, an observation inside a cycle never counted, and the district's
 * teacher-identification setting. Every case runs on a temporary SQLite
 * file and again on PostgreSQL ($COACHD_TEST_PG, required). */
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
#include "observe/walk.h"
#include "store/store.h"
#include "testdb.h"

typedef struct fixture {
	store *s;
	arena *a;
	testdb tdb;
	int64_t district, school, walker, other, teacher, tru, lookfor_version;
} fixture;

#define F ((fixture *)*state)

/* The kept count of visits rating code in a band (and month, 0: any). */
static int64_t tally(fixture *f, const char *code, const char *band, int64_t month)
{
	return testdb_scalar(
		f->s, f->a,
		"SELECT COALESCE(SUM(visits), 0) FROM walk_tally WHERE code = $1 AND grade_band = $2 "
		"AND (month = $3 OR $3 = 0)",
		ARGS(ARG_TEXT(code), ARG_TEXT(band), ARG_INT(month)));
}

static int64_t person(fixture *f, const char *name, int64_t org, const char *role_name)
{
	int64_t id =
		testdb_scalar(f->s, f->a, "INSERT INTO person (name, created_at) VALUES ($1, 1) RETURNING id",
			      ARGS(ARG_TEXT(name)));
	testdb_run(f->s, f->a, "INSERT INTO person_role (person_id, org_id, role) VALUES ($1, $2, $3)",
		   ARGS(ARG_INT(id), ARG_INT(org), ARG_TEXT(role_name)));
	return id;
}

static int64_t new_walk(fixture *f, const char *day, int64_t version)
{
	int64_t walkers[] = {f->walker};
	const char *focus[] = {"TRU2", "TRU4"};
	walk w = {.district_id = f->district,
		  .school_id = f->school,
		  .rubric_version_id = version,
		  .walked_on = day,
		  .created_by = f->walker,
		  .walker_ids = walkers,
		  .nwalkers = 1,
		  .focus = focus,
		  .nfocus = version == f->tru ? 2 : 0};
	int64_t id = 0;
	assert_int_equal(walk_insert(f->s, f->a, &w, &id), STORE_OK);
	assert_true(id > 0);
	return id;
}

static observation visit(fixture *f, int64_t walk_id, const char *grade, int64_t tru2, int64_t tru4)
{
	rubric_version v;
	bool found;
	assert_int_equal(rubric_version_load(f->s, f->a, f->tru, &v, &found), STORE_OK);
	observation o = {.walk_id = walk_id,
			 .rubric_version_id = f->tru,
			 .observer_id = f->walker,
			 .district_id = f->district,
			 .school_id = f->school,
			 .grade = grade,
			 .observed_on = "2026-10-15",
			 .start_time = "09:40",
			 .minutes = 10,
			 .evidence = "Partners explained"};
	o.ratings = arena_calloc(f->a, 2, sizeof *o.ratings);
	o.ratings[o.nratings++] = (obs_rating){rubric_indicator_by_code(&v, "TRU2")->id, "TRU2", tru2, NULL};
	o.ratings[o.nratings++] =
		(obs_rating){rubric_indicator_by_code(&v, "TRU4")->id, "TRU4", tru4, "Two explained"};
	return o;
}

static void test_walk_and_visits(void **state)
{
	fixture *f = F;
	int64_t wid = new_walk(f, "2026-10-15", f->tru);
	walk w;
	bool found = false;
	assert_int_equal(walk_get(f->s, f->a, wid, &w, &found), STORE_OK);
	assert_true(found);
	assert_int_equal(w.school_id, f->school);
	assert_int_equal(w.district_id, f->district);
	assert_int_equal(w.rubric_version_id, f->tru);
	assert_int_equal(w.nwalkers, 1);
	assert_int_equal(w.walker_ids[0], f->walker);
	assert_int_equal(w.nfocus, 2);
	assert_string_equal(w.focus[0], "TRU2");
	assert_false(w.closed);
	assert_false(w.settings.teacher_ids);
	assert_int_equal(w.settings.min_cell, 5);

	for (int i = 0; i < 3; i++) {
		observation o = visit(f, wid, i == 2 ? "4" : "K", 2 + (i % 2), 1);
		int64_t id;
		assert_int_equal(observation_insert(f->s, f->a, &o, &id), STORE_OK);
	}
	observation *list;
	size_t n;
	assert_int_equal(walk_visits(f->s, f->a, wid, &list, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(list[2].number, 3);
	assert_string_equal(list[0].grade_band, "K-2");
	assert_int_equal(list[0].observed_month, 202610);
	assert_int_equal(list[0].nratings, 2);
	assert_string_equal(list[0].ratings[0].code, "TRU2");
	assert_string_equal(list[0].ratings[1].evidence, "Two explained");
	assert_int_equal(list[0].version, 1);
	assert_int_equal(tally(f, "TRU2", "K-2", 202610), 2);
	assert_int_equal(tally(f, "TRU2", "3-5", 202610), 1);
	assert_int_equal(
		testdb_scalar(f->s, f->a,
			      "SELECT total FROM walk_tally WHERE code = 'TRU2' AND grade_band = 'K-2'", NULL,
			      0),
		5);

	/* Edit: the K visit becomes grade 5, moving to 3-5. */
	observation o = list[0];
	o.grade = "5";
	bool stale = true;
	assert_int_equal(store_begin(f->s), STORE_OK);
	assert_int_equal(observation_update(f->s, f->a, &o, 1, &stale), STORE_OK);
	assert_false(stale);
	assert_int_equal(store_commit(f->s), STORE_OK);
	assert_int_equal(tally(f, "TRU2", "K-2", 0), 1);
	assert_int_equal(tally(f, "TRU2", "3-5", 0), 2);
	observation now;
	assert_int_equal(observation_get(f->s, f->a, o.id, &now, &found), STORE_OK);
	assert_int_equal(now.version, 2);
	assert_int_equal(now.number, 1);

	/* A stale edit (it read version 1): refused; rolled back, nothing moved. */
	o.grade = "K";
	o.nratings = 0;
	assert_int_equal(store_begin(f->s), STORE_OK);
	assert_int_equal(observation_update(f->s, f->a, &o, 1, &stale), STORE_OK);
	assert_true(stale);
	assert_int_equal(store_rollback(f->s), STORE_OK);
	assert_int_equal(tally(f, "TRU2", "3-5", 0), 2);
	assert_int_equal(observation_get(f->s, f->a, o.id, &now, &found), STORE_OK);
	assert_string_equal(now.grade, "5");
	assert_int_equal(now.nratings, 2);

	/* The walk's day moves: its visits and their counts follow. */
	w.walked_on = "2026-11-02";
	assert_int_equal(walk_update(f->s, f->a, &w), STORE_OK);
	assert_int_equal(tally(f, "TRU2", "3-5", 202610), 0);
	assert_int_equal(tally(f, "TRU2", "3-5", 202611), 2);

	/* Remove: out of the counts. */
	assert_int_equal(observation_delete(f->s, f->a, o.id), STORE_OK);
	assert_int_equal(tally(f, "TRU2", "3-5", 0), 1);
	assert_int_equal(observation_get(f->s, f->a, o.id, &now, &found), STORE_OK);
	assert_false(found);
	assert_int_equal(walk_set_closed(f->s, f->a, wid, true), STORE_OK);
	assert_int_equal(walk_set_debrief(f->s, f->a, wid, "Talk moves spread."), STORE_OK);
	assert_int_equal(walk_get(f->s, f->a, wid, &w, &found), STORE_OK);
	assert_true(w.closed);
	assert_string_equal(w.debrief, "Talk moves spread.");
	assert_int_equal(w.nvisits, 2);
}

static void test_look_fors_and_cycle_observation(void **state)
{
	fixture *f = F;
	int64_t wid = new_walk(f, "2026-09-17", f->lookfor_version);
	rubric_version v;
	bool found;
	assert_int_equal(rubric_version_load(f->s, f->a, f->lookfor_version, &v, &found), STORE_OK);
	assert_int_equal(v.nlook_fors, 1);
	observation o = {.walk_id = wid,
			 .rubric_version_id = v.id,
			 .observer_id = f->walker,
			 .district_id = f->district,
			 .school_id = f->school,
			 .grade = "2",
			 .observed_on = "2026-09-17",
			 .start_time = "10:00"};
	obs_rating r[] = {{v.indicators[0].id, v.indicators[0].code, 2, NULL}};
	obs_look_for l[] = {{v.look_fors[0].id, 4}};
	o.ratings = r;
	o.nratings = 1;
	o.look_fors = l;
	o.nlook_fors = 1;
	int64_t id;
	assert_int_equal(observation_insert(f->s, f->a, &o, &id), STORE_OK);
	observation got;
	assert_int_equal(observation_get(f->s, f->a, id, &got, &found), STORE_OK);
	assert_int_equal(got.nlook_fors, 1);
	assert_int_equal(got.look_fors[0].count, 4);
	assert_int_equal(tally(f, v.indicators[0].code, "K-2", 202609), 1);

	/* Inside a cycle: stored, never counted. */
	int64_t cycle = testdb_scalar(f->s, f->a,
				      "INSERT INTO coaching_cycle (kind, title, state, district_id, "
				      "school_id, started_on, created_by, "
				      "created_at, updated_at) VALUES ('individual', 'C', 'planning', $1, "
				      "$2, '2026-09-01', $3, 1, 1) "
				      "RETURNING id",
				      ARGS(ARG_INT(f->district), ARG_INT(f->school), ARG_INT(f->walker)));
	observation c = visit(f, 0, "3", 3, 3);
	c.cycle_id = cycle;
	c.teacher_id = f->teacher;
	int64_t before = tally(f, "TRU2", "3-5", 0);
	assert_int_equal(observation_insert(f->s, f->a, &c, &id), STORE_OK);
	assert_int_equal(tally(f, "TRU2", "3-5", 0), before);
	observation *list;
	size_t n;
	assert_int_equal(cycle_observations(f->s, f->a, cycle, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].teacher_id, f->teacher);
	assert_int_equal(observation_delete(f->s, f->a, id), STORE_OK);
	assert_int_equal(tally(f, "TRU2", "3-5", 0), before);
}

static void test_settings_and_people(void **state)
{
	fixture *f = F;
	walk_settings ws;
	bool found = false;
	assert_int_equal(walk_settings_get(f->s, f->a, f->district, &ws, &found), STORE_OK);
	assert_true(found);
	assert_false(ws.teacher_ids);
	assert_int_equal(ws.min_cell, 5);
	ws.teacher_ids = true;
	ws.min_cell = 8;
	assert_int_equal(walk_settings_set(f->s, f->a, &ws), STORE_OK);
	assert_int_equal(walk_settings_get(f->s, f->a, f->district, &ws, &found), STORE_OK);
	assert_true(ws.teacher_ids);
	assert_int_equal(ws.min_cell, 8);
	assert_int_equal(walk_settings_get(f->s, f->a, f->school, &ws, &found), STORE_OK);
	assert_false(found); /* a school has no walk settings */
	int64_t wid = new_walk(f, "2026-10-01", f->tru);
	walk w;
	assert_int_equal(walk_get(f->s, f->a, wid, &w, &found), STORE_OK);
	assert_true(w.settings.teacher_ids);

	walk_walker *people;
	size_t n;
	assert_int_equal(walk_walker_candidates(f->s, f->a, f->district, f->school, &people, &n), STORE_OK);
	assert_int_equal(
		n, 3); /* walker and teacher at the school, the district's coach; not the other district's */
	for (size_t i = 0; i < n; i++) assert_true(people[i].person_id != f->other);
	assert_int_equal(walk_school_teachers(f->s, f->a, f->school, &people, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(people[0].person_id, f->teacher);
}

TESTDB_GROUP_FIXTURES("test_walk_store", "walk_store", true)

/* Each test starts from the migrated database with its own people and
 * places: rows of the last test are removed, built-ins kept. */
static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	static const char *const clear[] = {
		"DELETE FROM walk_tally",
		"DELETE FROM observation_look_for",
		"DELETE FROM observation_rating",
		"DELETE FROM observation",
		"DELETE FROM walk_focus",
		"DELETE FROM walk_walker",
		"DELETE FROM walk",
		"DELETE FROM coaching_cycle",
		"DELETE FROM rubric_look_for WHERE version_id IN (SELECT v.id FROM "
		"rubric_version v JOIN rubric r ON r.id = v.rubric_id WHERE r.org_id IS NOT NULL)",
		"DELETE FROM rubric_indicator WHERE version_id IN (SELECT v.id FROM rubric_version v "
		" JOIN rubric r ON r.id = v.rubric_id WHERE r.org_id IS NOT NULL)",
		"UPDATE rubric SET current_version_id = NULL WHERE org_id IS NOT NULL",
		"DELETE FROM rubric_version WHERE rubric_id IN (SELECT id FROM rubric WHERE org_id IS NOT "
		"NULL)",
		"DELETE FROM rubric WHERE org_id IS NOT NULL",
		"DELETE FROM person_role",
		"DELETE FROM person",
		"DELETE FROM org"};
	testdb_run_each(f->s, f->a, clear, COUNT_OF(clear));
	f->district = testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, created_at) VALUES ('district', 'D', 1) RETURNING id", NULL, 0);
	int64_t other_d = testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, created_at) VALUES ('district', 'E', 1) RETURNING id", NULL, 0);
	f->school = testdb_scalar(f->s, f->a,
				  "INSERT INTO org (kind, name, parent_id, created_at) VALUES ('school', "
				  "'S', $1, 1) RETURNING id",
				  ARGS(ARG_INT(f->district)));
	f->walker = person(f, "Wendy Walker", f->school, "principal");
	f->teacher = person(f, "Ted Teacher", f->school, "teacher");
	person(f, "Cora Coach", f->district, "coach");
	f->other = person(f, "Olga Other", other_d, "coach");
	f->tru = testdb_scalar(f->s, f->a, "SELECT current_version_id FROM rubric WHERE builtin_key = 'tru'",
			       NULL, 0);
	int64_t rid = testdb_scalar(
		f->s, f->a,
		"INSERT INTO rubric (org_id, name, created_at, updated_at) VALUES ($1, 'Talk walk', 1, 1) "
		"RETURNING id",
		ARGS(ARG_INT(f->district)));
	f->lookfor_version = testdb_scalar(
		f->s, f->a,
		"INSERT INTO rubric_version (rubric_id, version, scale_min, scale_max, created_at) "
		"VALUES ($1, 1, 1, 4, 1) RETURNING id",
		ARGS(ARG_INT(rid)));
	testdb_run(f->s, f->a, "UPDATE rubric SET current_version_id = $1 WHERE id = $2",
		   ARGS(ARG_INT(f->lookfor_version), ARG_INT(rid)));
	testdb_run(f->s, f->a,
		   "INSERT INTO rubric_indicator (version_id, position, code, name) VALUES ($1, 1, 'T1', "
		   "'Student talk')",
		   ARGS(ARG_INT(f->lookfor_version)));
	testdb_run(f->s, f->a,
		   "INSERT INTO rubric_look_for (version_id, position, text) VALUES ($1, 1, 'Students ask "
		   "each other')",
		   ARGS(ARG_INT(f->lookfor_version)));
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_test, teardown_test)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_walk_and_visits),
		T(test_look_fors_and_cycle_observation),
		T(test_settings_and_people),
	};
	return TESTDB_RUN_GROUPS("walk store", "walk_store", tests);
}
