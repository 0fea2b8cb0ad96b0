/* Unit tests for rubrics in the store and the dashboards' kept counts: the
 * built-in frameworks a new install has, loading a version with its
 * levels, indicators and look-fors, the list a district chooses from,
 * "in use", and walk_tally_apply adding and taking away a visit's ratings
 * (and ignoring an observation inside a cycle); writing rubrics: a new
 * one, an edit in place while nothing uses it, a new version once a walk
 * does (the old version's rows untouched), a copy of a built-in, retiring
 * and bringing back. Every case runs on a
 * temporary SQLite file and again on PostgreSQL ($COACHD_TEST_PG,
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
#include "observe/rubric.h"
#include "observe/walk_tally.h"
#include "store/store.h"
#include "testdb.h"

typedef struct fixture {
	store *s;
	arena *a;
	testdb tdb;
} fixture;

#define F ((fixture *)*state)

static int64_t builtin_version(fixture *f, const char *key)
{
	return testdb_scalar(f->s, f->a, "SELECT current_version_id FROM rubric WHERE builtin_key = $1",
			     ARGS(ARG_TEXT(key)));
}

static void test_grade_band(void **state)
{
	(void)state;
	assert_string_equal(grade_band_of("K"), "K-2");
	assert_string_equal(grade_band_of("k"), "K-2");
	assert_string_equal(grade_band_of("2"), "K-2");
	assert_string_equal(grade_band_of("3"), "3-5");
	assert_string_equal(grade_band_of("8"), "6-8");
	assert_string_equal(grade_band_of("12"), "9-12");
	assert_null(grade_band_of("13"));
	assert_null(grade_band_of(""));
	assert_null(grade_band_of(NULL));
	assert_null(grade_band_of("6-8"));
}

static void test_builtins(void **state)
{
	fixture *f = F;
	static const struct {
		const char *key, *first, *last;
		int64_t min, max;
		size_t n;
	} want[] = {{"tru", "TRU1", "TRU5", 1, 3, 5},
		    {"tp", "TP1", "TP8", 1, 4, 8},
		    {"mp", "MP1", "MP8", 1, 4, 8}};
	for (size_t k = 0; k < COUNT_OF(want); k++) {
		rubric_version v;
		bool found = false;
		assert_int_equal(rubric_version_load(f->s, f->a, builtin_version(f, want[k].key), &v, &found),
				 STORE_OK);
		assert_true(found);
		assert_string_equal(v.builtin_key, want[k].key);
		assert_int_equal(v.org_id, 0);
		assert_true(v.current && v.active);
		assert_int_equal(v.version, 1);
		assert_int_equal(v.scale_min, want[k].min);
		assert_int_equal(v.scale_max, want[k].max);
		assert_int_equal(v.nlevels, (size_t)(want[k].max - want[k].min + 1));
		for (size_t i = 0; i < v.nlevels; i++) {
			assert_int_equal(v.levels[i].level, want[k].min + (int64_t)i);
			assert_non_null(v.levels[i].label);
		}
		assert_int_equal(v.nindicators, want[k].n);
		assert_string_equal(v.indicators[0].code, want[k].first);
		assert_string_equal(v.indicators[v.nindicators - 1].code, want[k].last);
		assert_ptr_equal(rubric_indicator_by_code(&v, want[k].last),
				 &v.indicators[v.nindicators - 1]);
		assert_ptr_equal(rubric_indicator_by_id(&v, v.indicators[0].id), &v.indicators[0]);
		assert_null(rubric_indicator_by_code(&v, "XX9"));
		assert_true(rubric_value_valid(&v, want[k].min) && rubric_value_valid(&v, want[k].max));
		assert_false(rubric_value_valid(&v, want[k].min - 1) ||
			     rubric_value_valid(&v, want[k].max + 1));
	}
	rubric_version tru;
	bool found;
	assert_int_equal(rubric_version_load(f->s, f->a, builtin_version(f, "tru"), &tru, &found), STORE_OK);
	assert_string_equal(tru.indicators[1].name, "Cognitive demand");
	assert_string_equal(rubric_level_label(f->a, &tru, 2), "2 Emerging");
	assert_string_equal(rubric_level_label(f->a, &tru, 7), "7");
	assert_int_equal(rubric_version_load(f->s, f->a, 999999, &tru, &found), STORE_OK);
	assert_false(found);
}

/* A district's own rubric with a descriptor per level and look-fors. */
static int64_t district_rubric(fixture *f, int64_t district)
{
	int64_t rid = testdb_scalar(f->s, f->a,
				    "INSERT INTO rubric (org_id, name, created_at, updated_at) "
				    "VALUES ($1, 'Discourse walk', 1, 1) RETURNING id",
				    ARGS(ARG_INT(district)));
	int64_t vid = testdb_scalar(
		f->s, f->a,
		"INSERT INTO rubric_version (rubric_id, version, scale_min, scale_max, created_at) "
		"VALUES ($1, 1, 0, 2, 1) RETURNING id",
		ARGS(ARG_INT(rid)));
	testdb_run(f->s, f->a, "UPDATE rubric SET current_version_id = $1 WHERE id = $2",
		   ARGS(ARG_INT(vid), ARG_INT(rid)));
	testdb_run(f->s, f->a, "INSERT INTO rubric_level (version_id, level, label) VALUES ($1, 1, 'Some')",
		   ARGS(ARG_INT(vid)));
	int64_t talk = testdb_scalar(f->s, f->a,
				     "INSERT INTO rubric_indicator (version_id, position, code, name) "
				     "VALUES ($1, 2, 'D2', 'Student talk') RETURNING id",
				     ARGS(ARG_INT(vid)));
	testdb_scalar(f->s, f->a,
		      "INSERT INTO rubric_indicator (version_id, position, code, name) "
		      "VALUES ($1, 1, 'D1', 'Questions') RETURNING id",
		      ARGS(ARG_INT(vid)));
	testdb_run(f->s, f->a,
		   "INSERT INTO rubric_indicator_level (indicator_id, level, descriptor) VALUES ($1, 2, "
		   "'Most talk')",
		   ARGS(ARG_INT(talk)));
	testdb_run(f->s, f->a,
		   "INSERT INTO rubric_look_for (version_id, indicator_id, position, text) "
		   "VALUES ($1, $2, 1, 'Students ask each other')",
		   ARGS(ARG_INT(vid), ARG_INT(talk)));
	return vid;
}

static void test_district_rubric_and_list(void **state)
{
	fixture *f = F;
	int64_t d = testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, created_at) VALUES ('district', 'D', 1) RETURNING id", NULL, 0);
	int64_t other = testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, created_at) VALUES ('district', 'E', 1) RETURNING id", NULL, 0);
	int64_t vid = district_rubric(f, d);
	rubric_version v;
	bool found;
	assert_int_equal(rubric_version_load(f->s, f->a, vid, &v, &found), STORE_OK);
	assert_true(found);
	assert_int_equal(v.org_id, d);
	assert_null(v.builtin_key);
	assert_int_equal(v.nlevels, 3);
	assert_null(v.levels[0].label);
	assert_string_equal(v.levels[1].label, "Some");
	assert_string_equal(v.indicators[0].code, "D1"); /* by position */
	assert_string_equal(v.indicators[1].level_descriptors[2], "Most talk");
	assert_null(v.indicators[1].level_descriptors[0]);
	assert_int_equal(v.nlook_fors, 1);
	assert_int_equal(v.look_fors[0].indicator_id, v.indicators[1].id);

	rubric_summary *list;
	size_t n;
	assert_int_equal(rubric_list(f->s, f->a, &d, 1, false, &list, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_non_null(list[0].builtin_key);
	assert_string_equal(list[3].name, "Discourse walk");
	assert_int_equal(list[3].nindicators, 2);
	assert_int_equal(rubric_list(f->s, f->a, &other, 1, false, &list, &n), STORE_OK);
	assert_int_equal(n, 3); /* another district sees only the built-ins */
	testdb_run(f->s, f->a, "UPDATE rubric SET active = 0 WHERE org_id = $1", ARGS(ARG_INT(d)));
	assert_int_equal(rubric_list(f->s, f->a, &d, 1, false, &list, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rubric_list(f->s, f->a, &d, 1, true, &list, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_false(list[3].active);
	int64_t current = 0;
	assert_int_equal(rubric_current_version(f->s, f->a, v.rubric_id, &current), STORE_OK);
	assert_int_equal(current, vid);
	assert_int_equal(rubric_current_version(f->s, f->a, 987654, &current), STORE_OK);
	assert_int_equal(current, 0);
}

static int64_t tally(fixture *f, const char *col, const char *code, const char *band)
{
	char sql[256];
	/* col is one of this file's literals, never input. */
	snprintf(sql, sizeof sql,
		 "SELECT COALESCE(SUM(%s), 0) FROM walk_tally WHERE code = $1 AND grade_band = $2", col);
	return testdb_scalar(f->s, f->a, sql, ARGS(ARG_TEXT(code), ARG_TEXT(band)));
}

static void test_walk_tally(void **state)
{
	fixture *f = F;
	int64_t d = testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, created_at) VALUES ('district', 'D', 1) RETURNING id", NULL, 0);
	int64_t sch = testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, parent_id, created_at) VALUES ('school', 'S', $1, 1) "
		"RETURNING id",
		ARGS(ARG_INT(d)));
	int64_t p = testdb_scalar(
		f->s, f->a, "INSERT INTO person (name, created_at) VALUES ('W', 1) RETURNING id", NULL, 0);
	int64_t vid = builtin_version(f, "tru");
	rubric_version v;
	bool found, used = true;
	assert_int_equal(rubric_version_load(f->s, f->a, vid, &v, &found), STORE_OK);
	assert_int_equal(rubric_version_in_use(f->s, f->a, vid, &used), STORE_OK);
	assert_false(used);
	int64_t walk = testdb_scalar(
		f->s, f->a,
		"INSERT INTO walk (district_id, school_id, rubric_version_id, walked_on, created_by, "
		"created_at, updated_at) VALUES ($1, $2, $3, '2026-10-07', $4, 1, 1) RETURNING id",
		ARGS(ARG_INT(d), ARG_INT(sch), ARG_INT(vid), ARG_INT(p)));
	assert_int_equal(rubric_version_in_use(f->s, f->a, vid, &used), STORE_OK);
	assert_true(used);
	int64_t obs[2];
	for (int k = 0; k < 2; k++) {
		obs[k] = testdb_scalar(
			f->s, f->a,
			"INSERT INTO observation (walk_id, rubric_version_id, observer_id, district_id, "
			"school_id, grade, grade_band, observed_on, observed_month, created_at, updated_at) "
			"VALUES ($1, $2, $3, $4, $5, '3', '3-5', '2026-10-07', 202610, 1, 1) RETURNING id",
			ARGS(ARG_INT(walk), ARG_INT(vid), ARG_INT(p), ARG_INT(d), ARG_INT(sch)));
		testdb_run(f->s, f->a,
			   "INSERT INTO observation_rating (observation_id, indicator_id, value) VALUES ($1, "
			   "$2, $3)",
			   ARGS(ARG_INT(obs[k]), ARG_INT(v.indicators[0].id), ARG_INT(k + 2)));
		assert_int_equal(walk_tally_apply(f->s, f->a, obs[k], 1), STORE_OK);
	}
	assert_int_equal(tally(f, "visits", "TRU1", "3-5"), 2);
	assert_int_equal(tally(f, "total", "TRU1", "3-5"), 5);
	assert_int_equal(tally(f, "n1", "TRU1", "3-5"), 1); /* a 2 on a scale from 1 */
	assert_int_equal(tally(f, "n2", "TRU1", "3-5"), 1);
	assert_int_equal(tally(f, "n0", "TRU1", "3-5"), 0);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM walk_tally", NULL, 0), 1);
	/* Taking one away leaves the other. */
	assert_int_equal(walk_tally_apply(f->s, f->a, obs[0], -1), STORE_OK);
	assert_int_equal(tally(f, "visits", "TRU1", "3-5"), 1);
	assert_int_equal(tally(f, "total", "TRU1", "3-5"), 3);
	assert_int_equal(tally(f, "n1", "TRU1", "3-5"), 0);

	/* An observation inside a cycle never counts. */
	int64_t cycle =
		testdb_scalar(f->s, f->a,
			      "INSERT INTO coaching_cycle (kind, title, district_id, school_id, started_on, "
			      "created_by, created_at, updated_at) VALUES ('individual', 'c', $1, $2, "
			      "'2026-10-01', $3, 1, 1) RETURNING id",
			      ARGS(ARG_INT(d), ARG_INT(sch), ARG_INT(p)));
	int64_t inside = testdb_scalar(
		f->s, f->a,
		"INSERT INTO observation (cycle_id, rubric_version_id, observer_id, district_id, "
		"school_id, grade, grade_band, observed_on, observed_month, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, '3', '3-5', '2026-10-08', 202610, 1, 1) RETURNING id",
		ARGS(ARG_INT(cycle), ARG_INT(vid), ARG_INT(p), ARG_INT(d), ARG_INT(sch)));
	testdb_run(f->s, f->a,
		   "INSERT INTO observation_rating (observation_id, indicator_id, value) VALUES ($1, $2, 3)",
		   ARGS(ARG_INT(inside), ARG_INT(v.indicators[0].id)));
	assert_int_equal(walk_tally_apply(f->s, f->a, inside, 1), STORE_OK);
	assert_int_equal(tally(f, "visits", "TRU1", "3-5"), 1);
}

/* ---- writes ---- */

static int64_t new_district(fixture *f, const char *name)
{
	return testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, created_at) VALUES ('district', $1, 1) RETURNING id",
		ARGS(ARG_TEXT(name)));
}

/* A rubric as the builder sends it: scale 1-4, TRU2 described at two
 * levels, PG1, one look-for for PG1 and one for the whole lesson. */
static rubric_input walk_tool(fixture *f, int64_t district)
{
	rubric_level *levels = arena_calloc(f->a, 2, sizeof *levels);
	levels[0] = (rubric_level){1, "Not yet", "Little seen."};
	levels[1] = (rubric_level){4, "Strong", NULL};
	rubric_cell *cells = arena_calloc(f->a, 2, sizeof *cells);
	cells[0] = (rubric_cell){4, "Students wrestle."};
	cells[1] = (rubric_cell){1, "Steps given."};
	rubric_indicator_input *ind = arena_calloc(f->a, 2, sizeof *ind);
	ind[0] = (rubric_indicator_input){"TRU2", "Cognitive demand", "Room to think.", cells, 2};
	ind[1] = (rubric_indicator_input){"PG1", "Student discourse", NULL, NULL, 0};
	rubric_look_for_input *lf = arena_calloc(f->a, 2, sizeof *lf);
	lf[0] = (rubric_look_for_input){"PG1", "Students explain to a peer"};
	lf[1] = (rubric_look_for_input){NULL, "Representations displayed"};
	rubric_input in = {.org_id = district,
			   .name = "Walk tool",
			   .description = "Ours.",
			   .scale_min = 1,
			   .scale_max = 4,
			   .levels = levels,
			   .nlevels = 2,
			   .indicators = ind,
			   .nindicators = 2,
			   .look_fors = lf,
			   .nlook_fors = 2};
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	assert_int_equal(rubric_input_check(f->a, &in, p), 0);
	return in;
}

static rubric_version load(fixture *f, int64_t version_id)
{
	rubric_version v;
	bool found = false;
	assert_int_equal(rubric_version_load(f->s, f->a, version_id, &v, &found), STORE_OK);
	assert_true(found);
	return v;
}

static void test_create(void **state)
{
	fixture *f = F;
	int64_t d = new_district(f, "D");
	rubric_input in = walk_tool(f, d);
	rubric_saved saved;
	assert_int_equal(rubric_create(f->s, f->a, &in, 0, &saved), STORE_OK);
	assert_int_equal(saved.version, 1);
	rubric_version v = load(f, saved.version_id);
	assert_int_equal(v.rubric_id, saved.rubric_id);
	assert_true(v.current && v.active);
	assert_int_equal(v.org_id, d);
	assert_string_equal(v.name, "Walk tool");
	assert_string_equal(v.description, "Ours.");
	assert_int_equal(v.nlevels, 4);
	assert_string_equal(v.levels[0].label, "Not yet");
	assert_null(v.levels[1].label);
	assert_string_equal(v.levels[3].label, "Strong");
	assert_int_equal(v.nindicators, 2);
	assert_string_equal(v.indicators[0].code, "TRU2");
	assert_string_equal(v.indicators[0].level_descriptors[0], "Steps given.");
	assert_string_equal(v.indicators[0].level_descriptors[3], "Students wrestle.");
	assert_null(v.indicators[1].description);
	assert_int_equal(v.nlook_fors, 2);
	assert_int_equal(v.look_fors[0].indicator_id, v.indicators[1].id);
	assert_int_equal(v.look_fors[1].indicator_id, 0);
	assert_true(rubric_input_same_content(&in, &v));
	rubric_summary r;
	bool found = false;
	assert_int_equal(rubric_get(f->s, f->a, saved.rubric_id, &r, &found), STORE_OK);
	assert_true(found);
	assert_int_equal(r.current_version_id, saved.version_id);
	assert_string_equal(r.org_name, "D");
	assert_int_equal(rubric_get(f->s, f->a, 424242, &r, &found), STORE_OK);
	assert_false(found);
}

/* Nothing uses version 1: an edit changes it in place. */
static void test_edit_in_place_while_unused(void **state)
{
	fixture *f = F;
	int64_t d = new_district(f, "D");
	rubric_input in = walk_tool(f, d);
	rubric_saved first, saved;
	assert_int_equal(rubric_create(f->s, f->a, &in, 0, &first), STORE_OK);
	in.name = "Walk tool, reworded";
	in.indicators[1].name = "Students talk mathematics";
	in.nlook_fors = 1;
	assert_int_equal(rubric_update(f->s, f->a, first.rubric_id, &in, 0, &saved), STORE_OK);
	assert_true(saved.changed);
	assert_false(saved.new_version);
	assert_int_equal(saved.version, 1);
	assert_int_equal(saved.version_id, first.version_id);
	rubric_version v = load(f, first.version_id);
	assert_string_equal(v.name, "Walk tool, reworded");
	assert_string_equal(v.indicators[1].name, "Students talk mathematics");
	assert_int_equal(v.nlook_fors, 1);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM rubric_version WHERE rubric_id = $1",
				       ARGS(ARG_INT(first.rubric_id))),
			 1);
	/* Saying the same again changes nothing. */
	assert_int_equal(rubric_update(f->s, f->a, first.rubric_id, &in, 0, &saved), STORE_OK);
	assert_false(saved.changed);
	assert_int_equal(saved.version_id, first.version_id);
}

/* Once a walk uses version 1, an edit writes version 2 and leaves version
 * 1's rows exactly as they were. */
static void test_edit_makes_a_version_once_used(void **state)
{
	fixture *f = F;
	int64_t d = new_district(f, "D");
	int64_t sch = testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, parent_id, created_at) VALUES ('school', 'S', $1, 1) "
		"RETURNING id",
		ARGS(ARG_INT(d)));
	int64_t p = testdb_scalar(
		f->s, f->a, "INSERT INTO person (name, created_at) VALUES ('W', 1) RETURNING id", NULL, 0);
	rubric_input in = walk_tool(f, d);
	rubric_saved first, saved;
	assert_int_equal(rubric_create(f->s, f->a, &in, p, &first), STORE_OK);
	rubric_version before = load(f, first.version_id);
	testdb_scalar(f->s, f->a,
		      "INSERT INTO walk (district_id, school_id, rubric_version_id, walked_on, created_by, "
		      "created_at, "
		      "updated_at) VALUES ($1, $2, $3, '2026-10-07', $4, 1, 1) RETURNING id",
		      ARGS(ARG_INT(d), ARG_INT(sch), ARG_INT(first.version_id), ARG_INT(p)));
	in.indicators[0].levels[0].descriptor = "Students wrestle with the central idea.";
	in.scale_max = 5;
	assert_int_equal(rubric_update(f->s, f->a, first.rubric_id, &in, p, &saved), STORE_OK);
	assert_true(saved.changed && saved.new_version);
	assert_int_equal(saved.version, 2);
	assert_int_equal(saved.previous_version_id, first.version_id);
	assert_true(saved.version_id != first.version_id);
	int64_t current = 0;
	assert_int_equal(rubric_current_version(f->s, f->a, first.rubric_id, &current), STORE_OK);
	assert_int_equal(current, saved.version_id);

	rubric_version old = load(f, first.version_id), now = load(f, saved.version_id);
	assert_false(old.current);
	assert_true(now.current);
	assert_int_equal(old.version, 1);
	assert_int_equal(old.scale_max, 4);
	assert_int_equal(now.scale_max, 5);
	assert_int_equal(old.nindicators, before.nindicators);
	for (size_t i = 0; i < old.nindicators; i++) {
		assert_int_equal(old.indicators[i].id, before.indicators[i].id);
		assert_string_equal(old.indicators[i].code, before.indicators[i].code);
	}
	assert_string_equal(old.indicators[0].level_descriptors[3], "Students wrestle.");
	assert_string_equal(now.indicators[0].level_descriptors[3],
			    "Students wrestle with the central idea.");
	assert_int_equal(old.nlook_fors, 2);
	assert_int_equal(old.look_fors[0].id, before.look_fors[0].id);
	assert_int_equal(now.look_fors[0].indicator_id, now.indicators[1].id);

	rubric_version_entry *e;
	size_t n;
	assert_int_equal(rubric_versions(f->s, f->a, first.rubric_id, &e, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(e[0].version, 2);
	assert_int_equal(e[0].walks, 0);
	assert_int_equal(e[1].version, 1);
	assert_int_equal(e[1].walks, 1);
	assert_string_equal(e[1].created_by_name, "W");
	int64_t id = 0;
	assert_int_equal(rubric_version_numbered(f->s, f->a, first.rubric_id, 1, &id), STORE_OK);
	assert_int_equal(id, first.version_id);
	assert_int_equal(rubric_version_numbered(f->s, f->a, first.rubric_id, 3, &id), STORE_OK);
	assert_int_equal(id, 0);

	/* Version 2 is unused: the next edit changes it in place. */
	in.name = "Renamed";
	in.nlook_fors = 0;
	assert_int_equal(rubric_update(f->s, f->a, first.rubric_id, &in, p, &saved), STORE_OK);
	assert_false(saved.new_version);
	assert_int_equal(saved.version, 2);
	assert_int_equal(load(f, first.version_id).nlook_fors, 2);
}

static void test_copy_a_builtin(void **state)
{
	fixture *f = F;
	int64_t d = new_district(f, "D");
	int64_t tru = builtin_version(f, "tru");
	rubric_saved saved;
	assert_int_equal(rubric_copy(f->s, f->a, tru, d, "TRU for D", 0, &saved), STORE_OK);
	rubric_version copy = load(f, saved.version_id), source = load(f, tru);
	assert_int_equal(copy.org_id, d);
	assert_null(copy.builtin_key);
	assert_string_equal(copy.name, "TRU for D");
	assert_int_equal(copy.version, 1);
	assert_int_equal(copy.scale_min, 1);
	assert_int_equal(copy.scale_max, 3);
	assert_int_equal(copy.nindicators, 5);
	assert_string_equal(copy.indicators[1].code, "TRU2");
	assert_string_equal(copy.levels[1].label, "Emerging");
	assert_string_equal(copy.description, source.description);
	assert_true(copy.indicators[0].id != source.indicators[0].id);
	rubric_input as_input;
	rubric_input_of_version(f->a, &source, &as_input);
	assert_true(rubric_input_same_content(&as_input, &copy));
	/* The built-in is as it was, and there are still three. */
	assert_int_equal(
		testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM rubric WHERE org_id IS NULL", NULL, 0), 3);
	assert_int_equal(load(f, tru).nindicators, 5);
}

static void test_retire_and_restore(void **state)
{
	fixture *f = F;
	int64_t d = new_district(f, "D");
	rubric_input in = walk_tool(f, d);
	rubric_saved saved;
	assert_int_equal(rubric_create(f->s, f->a, &in, 0, &saved), STORE_OK);
	assert_int_equal(rubric_set_active(f->s, f->a, saved.rubric_id, false), STORE_OK);
	rubric_summary *list;
	size_t n;
	assert_int_equal(rubric_list(f->s, f->a, &d, 1, false, &list, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(rubric_list(f->s, f->a, &d, 1, true, &list, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_false(list[3].active);
	assert_false(load(f, saved.version_id).active);
	assert_int_equal(rubric_set_active(f->s, f->a, saved.rubric_id, true), STORE_OK);
	assert_true(load(f, saved.version_id).active);
	/* A built-in is never retired. */
	int64_t tru = testdb_scalar(f->s, f->a, "SELECT id FROM rubric WHERE builtin_key = 'tru'", NULL, 0);
	assert_int_equal(rubric_set_active(f->s, f->a, tru, false), STORE_OK);
	assert_int_equal(
		testdb_scalar(f->s, f->a, "SELECT active FROM rubric WHERE id = $1", ARGS(ARG_INT(tru))), 1);
}

TESTDB_GROUP_FIXTURES("test_rubric_store", "rubric_store", true)

/* Each test starts from a freshly migrated database: rows of the last
 * test are removed, built-ins kept. */
static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	static const char *const clear[] = {
		"DELETE FROM walk_tally",
		"DELETE FROM observation_rating",
		"DELETE FROM observation",
		"DELETE FROM walk",
		"DELETE FROM coaching_cycle",
		"DELETE FROM rubric_look_for",
		"DELETE FROM rubric_indicator_level",
		"DELETE FROM rubric_indicator WHERE version_id IN (SELECT v.id FROM rubric_version v "
		" JOIN rubric r ON r.id = v.rubric_id WHERE r.org_id IS NOT NULL)",
		"DELETE FROM rubric_level WHERE version_id IN (SELECT v.id FROM rubric_version v "
		" JOIN rubric r ON r.id = v.rubric_id WHERE r.org_id IS NOT NULL)",
		"UPDATE rubric SET current_version_id = NULL WHERE org_id IS NOT NULL",
		"DELETE FROM rubric_version WHERE rubric_id IN (SELECT id FROM rubric WHERE org_id IS NOT "
		"NULL)",
		"DELETE FROM rubric WHERE org_id IS NOT NULL",
		"DELETE FROM person",
		"DELETE FROM org"};
	testdb_run_each(f->s, f->a, clear, COUNT_OF(clear));
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_test, teardown_test)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_grade_band),
		T(test_builtins),
		T(test_district_rubric_and_list),
		T(test_walk_tally),
		T(test_create),
		T(test_edit_in_place_while_unused),
		T(test_edit_makes_a_version_once_used),
		T(test_copy_a_builtin),
		T(test_retire_and_restore),
	};
	return TESTDB_RUN_GROUPS("rubric store", "rubric_store", tests);
}
