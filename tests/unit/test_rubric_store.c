/* Unit tests for rubrics in the store and the dashboards' kept counts: the
 * built-in frameworks a new install has, loading a version with its
 * levels, indicators and look-fors, the list a district chooses from,
 * "in use", and walk_tally_apply adding and taking away a visit's ratings
 * (and ignoring an observation inside a cycle). Every case runs on a
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
#define ARGS(...) (sql_arg[]){__VA_ARGS__}, (sizeof((sql_arg[]){__VA_ARGS__}) / sizeof(sql_arg))

static store_rows run(fixture *f, const char *sql, const sql_arg *args, size_t n)
{
	store_rows r;
	store_rc rc = store_query(f->s, f->a, sql, args, n, &r);
	if (rc != STORE_OK) fail_msg("%s: rc %d: %s", sql, rc, store_errmsg(f->s));
	return r;
}

static int64_t scalar(fixture *f, const char *sql, const sql_arg *args, size_t n)
{
	store_rows r = run(f, sql, args, n);
	assert_int_equal(r.nrows, 1);
	return rows_int(&r, 0, 0);
}

static int64_t builtin_version(fixture *f, const char *key)
{
	return scalar(f, "SELECT current_version_id FROM rubric WHERE builtin_key = $1", ARGS(ARG_TEXT(key)));
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
	} want[] = {{"tru", "TRU1", "TRU5", 1, 3, 5}, {"tp", "TP1", "TP8", 1, 4, 8}, {"mp", "MP1", "MP8", 1, 4, 8}};
	for (size_t k = 0; k < COUNT_OF(want); k++) {
		rubric_version v;
		bool found = false;
		assert_int_equal(rubric_version_load(f->s, f->a, builtin_version(f, want[k].key), &v, &found), STORE_OK);
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
		assert_ptr_equal(rubric_indicator_by_code(&v, want[k].last), &v.indicators[v.nindicators - 1]);
		assert_ptr_equal(rubric_indicator_by_id(&v, v.indicators[0].id), &v.indicators[0]);
		assert_null(rubric_indicator_by_code(&v, "XX9"));
		assert_true(rubric_value_valid(&v, want[k].min) && rubric_value_valid(&v, want[k].max));
		assert_false(rubric_value_valid(&v, want[k].min - 1) || rubric_value_valid(&v, want[k].max + 1));
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
	int64_t rid = scalar(f, "INSERT INTO rubric (org_id, name, created_at, updated_at) "
				"VALUES ($1, 'Discourse walk', 1, 1) RETURNING id", ARGS(ARG_INT(district)));
	int64_t vid = scalar(f, "INSERT INTO rubric_version (rubric_id, version, scale_min, scale_max, created_at) "
				"VALUES ($1, 1, 0, 2, 1) RETURNING id", ARGS(ARG_INT(rid)));
	run(f, "UPDATE rubric SET current_version_id = $1 WHERE id = $2", ARGS(ARG_INT(vid), ARG_INT(rid)));
	run(f, "INSERT INTO rubric_level (version_id, level, label) VALUES ($1, 1, 'Some')", ARGS(ARG_INT(vid)));
	int64_t talk = scalar(f, "INSERT INTO rubric_indicator (version_id, position, code, name) "
				 "VALUES ($1, 2, 'D2', 'Student talk') RETURNING id", ARGS(ARG_INT(vid)));
	scalar(f, "INSERT INTO rubric_indicator (version_id, position, code, name) "
		  "VALUES ($1, 1, 'D1', 'Questions') RETURNING id", ARGS(ARG_INT(vid)));
	run(f, "INSERT INTO rubric_indicator_level (indicator_id, level, descriptor) VALUES ($1, 2, 'Most talk')",
	    ARGS(ARG_INT(talk)));
	run(f, "INSERT INTO rubric_look_for (version_id, indicator_id, position, text) "
	       "VALUES ($1, $2, 1, 'Students ask each other')", ARGS(ARG_INT(vid), ARG_INT(talk)));
	return vid;
}

static void test_district_rubric_and_list(void **state)
{
	fixture *f = F;
	int64_t d = scalar(f, "INSERT INTO org (kind, name, created_at) VALUES ('district', 'D', 1) RETURNING id", NULL, 0);
	int64_t other = scalar(f, "INSERT INTO org (kind, name, created_at) VALUES ('district', 'E', 1) RETURNING id", NULL, 0);
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
	run(f, "UPDATE rubric SET active = 0 WHERE org_id = $1", ARGS(ARG_INT(d)));
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
	return scalar(f, sql, ARGS(ARG_TEXT(code), ARG_TEXT(band)));
}

static void test_walk_tally(void **state)
{
	fixture *f = F;
	int64_t d = scalar(f, "INSERT INTO org (kind, name, created_at) VALUES ('district', 'D', 1) RETURNING id", NULL, 0);
	int64_t sch = scalar(f, "INSERT INTO org (kind, name, parent_id, created_at) VALUES ('school', 'S', $1, 1) "
				"RETURNING id", ARGS(ARG_INT(d)));
	int64_t p = scalar(f, "INSERT INTO person (name, created_at) VALUES ('W', 1) RETURNING id", NULL, 0);
	int64_t vid = builtin_version(f, "tru");
	rubric_version v;
	bool found, used = true;
	assert_int_equal(rubric_version_load(f->s, f->a, vid, &v, &found), STORE_OK);
	assert_int_equal(rubric_version_in_use(f->s, f->a, vid, &used), STORE_OK);
	assert_false(used);
	int64_t walk = scalar(f, "INSERT INTO walk (district_id, school_id, rubric_version_id, walked_on, created_by, "
				 "created_at, updated_at) VALUES ($1, $2, $3, '2026-10-07', $4, 1, 1) RETURNING id",
			      ARGS(ARG_INT(d), ARG_INT(sch), ARG_INT(vid), ARG_INT(p)));
	assert_int_equal(rubric_version_in_use(f->s, f->a, vid, &used), STORE_OK);
	assert_true(used);
	int64_t obs[2];
	for (int k = 0; k < 2; k++) {
		obs[k] = scalar(f, "INSERT INTO observation (walk_id, rubric_version_id, observer_id, district_id, "
				   "school_id, grade, grade_band, observed_on, observed_month, created_at, updated_at) "
				   "VALUES ($1, $2, $3, $4, $5, '3', '3-5', '2026-10-07', 202610, 1, 1) RETURNING id",
				ARGS(ARG_INT(walk), ARG_INT(vid), ARG_INT(p), ARG_INT(d), ARG_INT(sch)));
		run(f, "INSERT INTO observation_rating (observation_id, indicator_id, value) VALUES ($1, $2, $3)",
		    ARGS(ARG_INT(obs[k]), ARG_INT(v.indicators[0].id), ARG_INT(k + 2)));
		assert_int_equal(walk_tally_apply(f->s, f->a, obs[k], 1), STORE_OK);
	}
	assert_int_equal(tally(f, "visits", "TRU1", "3-5"), 2);
	assert_int_equal(tally(f, "total", "TRU1", "3-5"), 5);
	assert_int_equal(tally(f, "n1", "TRU1", "3-5"), 1); /* a 2 on a scale from 1 */
	assert_int_equal(tally(f, "n2", "TRU1", "3-5"), 1);
	assert_int_equal(tally(f, "n0", "TRU1", "3-5"), 0);
	assert_int_equal(scalar(f, "SELECT COUNT(*) FROM walk_tally", NULL, 0), 1);
	/* Taking one away leaves the other. */
	assert_int_equal(walk_tally_apply(f->s, f->a, obs[0], -1), STORE_OK);
	assert_int_equal(tally(f, "visits", "TRU1", "3-5"), 1);
	assert_int_equal(tally(f, "total", "TRU1", "3-5"), 3);
	assert_int_equal(tally(f, "n1", "TRU1", "3-5"), 0);

	/* An observation inside a cycle never counts. */
	int64_t cycle = scalar(f, "INSERT INTO coaching_cycle (kind, title, district_id, school_id, started_on, "
				  "created_by, created_at, updated_at) VALUES ('individual', 'c', $1, $2, "
				  "'2026-10-01', $3, 1, 1) RETURNING id", ARGS(ARG_INT(d), ARG_INT(sch), ARG_INT(p)));
	int64_t inside = scalar(f, "INSERT INTO observation (cycle_id, rubric_version_id, observer_id, district_id, "
				   "school_id, grade, grade_band, observed_on, observed_month, created_at, updated_at) "
				   "VALUES ($1, $2, $3, $4, $5, '3', '3-5', '2026-10-08', 202610, 1, 1) RETURNING id",
				ARGS(ARG_INT(cycle), ARG_INT(vid), ARG_INT(p), ARG_INT(d), ARG_INT(sch)));
	run(f, "INSERT INTO observation_rating (observation_id, indicator_id, value) VALUES ($1, $2, 3)",
	    ARGS(ARG_INT(inside), ARG_INT(v.indicators[0].id)));
	assert_int_equal(walk_tally_apply(f->s, f->a, inside, 1), STORE_OK);
	assert_int_equal(tally(f, "visits", "TRU1", "3-5"), 1);
}

static int setup_sqlite(void **state)
{
	static fixture f;
	f = (fixture){0};
	*state = &f;
	return testdb_open_sqlite(&f.tdb, "test_rubric_store", "rubric_store", true, &f.s);
}

static int setup_pg(void **state)
{
	static fixture f;
	f = (fixture){0};
	*state = &f;
	return testdb_open_pg(&f.tdb, "test_rubric_store", "rubric_store", true, &f.s);
}

static int teardown_group(void **state)
{
	fixture *f = *state;
	if (f) testdb_close(&f->tdb, "test_rubric_store", f->s);
	return 0;
}

/* Each test starts from a freshly migrated database: rows of the last
 * test are removed, built-ins kept. */
static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	static const char *const clear[] = {
		"DELETE FROM walk_tally", "DELETE FROM observation_rating", "DELETE FROM observation",
		"DELETE FROM walk", "DELETE FROM coaching_cycle", "DELETE FROM rubric_look_for",
		"DELETE FROM rubric_indicator_level",
		"DELETE FROM rubric_indicator WHERE version_id IN (SELECT v.id FROM rubric_version v "
		" JOIN rubric r ON r.id = v.rubric_id WHERE r.org_id IS NOT NULL)",
		"DELETE FROM rubric_level WHERE version_id IN (SELECT v.id FROM rubric_version v "
		" JOIN rubric r ON r.id = v.rubric_id WHERE r.org_id IS NOT NULL)",
		"UPDATE rubric SET current_version_id = NULL WHERE org_id IS NOT NULL",
		"DELETE FROM rubric_version WHERE rubric_id IN (SELECT id FROM rubric WHERE org_id IS NOT NULL)",
		"DELETE FROM rubric WHERE org_id IS NOT NULL", "DELETE FROM person", "DELETE FROM org"};
	for (size_t i = 0; i < COUNT_OF(clear); i++) run(f, clear[i], NULL, 0);
	return 0;
}

static int teardown_test(void **state)
{
	fixture *f = *state;
	arena_free(f->a);
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
	};
	printf("[----------] rubric store on SQLite\n");
	int failed = cmocka_run_group_tests_name("rubric_store_sqlite", tests, setup_sqlite, teardown_group);
	printf("[----------] rubric store on PostgreSQL\n");
	failed += cmocka_run_group_tests_name("rubric_store_postgres", tests, setup_pg, teardown_group);
	return failed ? 1 : 0;
}
