/* Unit tests for the walk dashboard's queries (src/observe/dashboard_store.c):
 * visits written as rows and counted by walk_tally_apply, then the
 * heatmap's and the trend's sums by school, indicator, month and grade
 * band, the district's minimum, its schools, the reader's reach, the
 * rubric of the latest walk and the last month with visits. Every case
 * runs on a temporary SQLite file and again on PostgreSQL ($COACHD_TEST_PG,
 * required). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "access/policy.h"
#include "base/arena.h"
#include "base/util.h"
#include "observe/dashboard.h"
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

/* A district with two schools, a walker and the TRU rubric (1-3). */
typedef struct place_ids {
	int64_t district, north, south, other_district, other_school, walker, rubric, version;
	rubric_version v;
} place_ids;

static int64_t org(fixture *f, const char *kind, const char *name, int64_t parent)
{
	return testdb_scalar(
		f->s, f->a,
		"INSERT INTO org (kind, name, parent_id, created_at) VALUES ($1, $2, $3, 1) RETURNING id",
		ARGS(ARG_TEXT(kind), ARG_TEXT(name), parent ? ARG_INT(parent) : ARG_NULL));
}

static place_ids places(fixture *f)
{
	place_ids p = {0};
	p.district = org(f, "district", "Prairie", 0);
	p.north = org(f, "school", "North", p.district);
	p.south = org(f, "school", "South", p.district);
	p.other_district = org(f, "district", "Elsewhere", 0);
	p.other_school = org(f, "school", "Far", p.other_district);
	p.walker = testdb_scalar(
		f->s, f->a, "INSERT INTO person (name, created_at) VALUES ('W', 1) RETURNING id", NULL, 0);
	p.rubric = testdb_scalar(f->s, f->a, "SELECT id FROM rubric WHERE builtin_key = 'tru'", NULL, 0);
	p.version = testdb_scalar(f->s, f->a,
				  "SELECT current_version_id FROM rubric WHERE builtin_key = 'tru'", NULL, 0);
	bool found = false;
	assert_int_equal(rubric_version_load(f->s, f->a, p.version, &p.v, &found), STORE_OK);
	assert_true(found);
	return p;
}

static int64_t walk(fixture *f, const place_ids *p, int64_t district, int64_t school, const char *day)
{
	return testdb_scalar(
		f->s, f->a,
		"INSERT INTO walk (district_id, school_id, rubric_version_id, walked_on, created_by, "
		"created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, 1) RETURNING id",
		ARGS(ARG_INT(district), ARG_INT(school), ARG_INT(p->version), ARG_TEXT(day),
		     ARG_INT(p->walker)));
}

/* A visit of walk w in grade with ratings of TRU1 and TRU2, counted. */
static int64_t visit(fixture *f, const place_ids *p, int64_t w, const char *grade, int64_t tru1, int64_t tru2)
{
	store_rows r =
		testdb_run(f->s, f->a, "SELECT district_id, school_id, walked_on FROM walk WHERE id = $1",
			   ARGS(ARG_INT(w)));
	const char *day = rows_get(&r, 0, 2);
	int64_t o = testdb_scalar(
		f->s, f->a,
		"INSERT INTO observation (walk_id, rubric_version_id, observer_id, district_id, "
		"school_id, grade, grade_band, observed_on, observed_month, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, 1) RETURNING id",
		ARGS(ARG_INT(w), ARG_INT(p->version), ARG_INT(p->walker), ARG_INT(rows_int(&r, 0, 0)),
		     ARG_INT(rows_int(&r, 0, 1)), ARG_TEXT(grade), ARG_TEXT(grade_band_of(grade)),
		     ARG_TEXT(day), ARG_INT(dash_month_of_day(day))));
	testdb_run(f->s, f->a,
		   "INSERT INTO observation_rating (observation_id, indicator_id, value) VALUES ($1, $2, $3)",
		   ARGS(ARG_INT(o), ARG_INT(p->v.indicators[0].id), ARG_INT(tru1)));
	if (tru2)
		testdb_run(f->s, f->a,
			   "INSERT INTO observation_rating (observation_id, indicator_id, value) VALUES ($1, "
			   "$2, $3)",
			   ARGS(ARG_INT(o), ARG_INT(p->v.indicators[1].id), ARG_INT(tru2)));
	assert_int_equal(walk_tally_apply(f->s, f->a, o, 1), STORE_OK);
	return o;
}

static const dash_row *find(const dash_row *rows, size_t n, int64_t school, const char *code, int64_t month)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].school_id == school && str_eq(rows[i].code, code) && rows[i].month == month)
			return &rows[i];
	return NULL;
}

/* Five visits at North in October (grades 3 and 4), four at South (grade
 * 1), one at North in November, one in another district. */
static void seed(fixture *f, const place_ids *p)
{
	int64_t n1 = walk(f, p, p->district, p->north, "2026-10-07");
	static const int64_t north[5][2] = {{1, 2}, {2, 2}, {3, 3}, {2, 1}, {3, 0}};
	for (int k = 0; k < 5; k++) visit(f, p, n1, k < 3 ? "3" : "4", north[k][0], north[k][1]);
	int64_t s1 = walk(f, p, p->district, p->south, "2026-10-21");
	for (int k = 0; k < 4; k++) visit(f, p, s1, "1", 2, 3);
	int64_t n2 = walk(f, p, p->district, p->north, "2026-11-04");
	visit(f, p, n2, "K", 3, 3);
	int64_t far = walk(f, p, p->other_district, p->other_school, "2026-10-07");
	visit(f, p, far, "5", 1, 1);
}

/* Each row of walk_tally is one group (a school's visits of a month and a
 * grade band rating an indicator): groups of at least the minimum are
 * counted, smaller ones only said to exist. */
static void test_heat_rows(void **state)
{
	fixture *f = F;
	place_ids p = places(f);
	seed(f, &p);
	dash_row *rows;
	size_t n;
	assert_int_equal(dash_heat_rows(f->s, f->a, p.district, p.rubric, 202610, 202610, NULL, 5, &rows, &n),
			 STORE_OK);
	assert_int_equal(n, 4); /* North and South × TRU1, TRU2 */
	const dash_row *r = find(rows, n, p.north, "TRU1", 0);
	assert_non_null(r);
	assert_int_equal(r->n.visits, 5); /* grades 3 and 4: one group of 3-5 */
	assert_int_equal(r->n.total, 11);
	assert_int_equal(r->small, 0);
	r = find(rows, n, p.north, "TRU2", 0);
	assert_int_equal(r->n.visits, 0); /* one visit did not rate it: 4, a small group */
	assert_int_equal(r->small, 4);
	r = find(rows, n, p.south, "TRU1", 0);
	assert_int_equal(r->n.visits, 0);
	assert_int_equal(r->small, 4);
	/* With a minimum of 4 they count. */
	assert_int_equal(dash_heat_rows(f->s, f->a, p.district, p.rubric, 202610, 202610, NULL, 4, &rows, &n),
			 STORE_OK);
	assert_int_equal(find(rows, n, p.north, "TRU2", 0)->n.total, 8);
	assert_int_equal(find(rows, n, p.south, "TRU1", 0)->n.visits, 4);

	/* September to November holds North's single November visit too: a
	 * group of one, left out, so the two periods differ by nothing. */
	assert_int_equal(dash_heat_rows(f->s, f->a, p.district, p.rubric, 202609, 202611, NULL, 5, &rows, &n),
			 STORE_OK);
	r = find(rows, n, p.north, "TRU1", 0);
	assert_int_equal(r->n.visits, 5);
	assert_int_equal(r->n.total, 11);
	assert_int_equal(r->small, 1);
	/* One band: 3-5 holds North's October visits only. */
	assert_int_equal(
		dash_heat_rows(f->s, f->a, p.district, p.rubric, 202609, 202611, "3-5", 5, &rows, &n),
		STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(find(rows, n, p.north, "TRU1", 0)->n.visits, 5);
	assert_null(find(rows, n, p.south, "TRU1", 0));
	assert_int_equal(
		dash_heat_rows(f->s, f->a, p.district, p.rubric, 202609, 202611, "9-12", 5, &rows, &n),
		STORE_OK);
	assert_int_equal(n, 0);

	/* Into the table: North's TRU1 shown with its mean, South's hidden, and
	 * the district's made of North's group alone. */
	assert_int_equal(dash_heat_rows(f->s, f->a, p.district, p.rubric, 202610, 202610, NULL, 5, &rows, &n),
			 STORE_OK);
	dash_table t;
	dash_table_init(f->a, &t, 2, 2);
	for (size_t i = 0; i < n; i++)
		dash_table_add(&t, rows[i].school_id == p.north ? 0 : 1, str_eq(rows[i].code, "TRU1") ? 0 : 1,
			       rows[i].n, rows[i].small);
	dash_table_suppress(&t);
	assert_int_equal(dash_table_cell(&t, 0, 0)->show, DASH_SHOWN);
	assert_float_equal(dash_mean(dash_table_cell(&t, 0, 0)->n), 11.0 / 5.0, 1e-12);
	assert_int_equal(dash_table_cell(&t, 1, 0)->show, DASH_HIDDEN);
	assert_int_equal(t.district[0].show, DASH_SHOWN);
	assert_int_equal(t.district[0].n.visits, 5);
	assert_int_equal(t.district[1].show, DASH_HIDDEN);

	/* A visit taken away leaves the counts as if it never was. */
	int64_t last = testdb_scalar(
		f->s, f->a,
		"SELECT MAX(id) FROM observation WHERE school_id = $1 AND observed_month = 202610",
		ARGS(ARG_INT(p.south)));
	assert_int_equal(walk_tally_apply(f->s, f->a, last, -1), STORE_OK);
	assert_int_equal(dash_heat_rows(f->s, f->a, p.district, p.rubric, 202610, 202610, NULL, 1, &rows, &n),
			 STORE_OK);
	assert_int_equal(find(rows, n, p.south, "TRU1", 0)->n.visits, 3);
}

static void test_trend_rows(void **state)
{
	fixture *f = F;
	place_ids p = places(f);
	seed(f, &p);
	dash_row *rows;
	size_t n;
	assert_int_equal(dash_trend_rows(f->s, f->a, p.district, p.rubric, "TRU1", NULL, 5, &rows, &n),
			 STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(find(rows, n, p.north, "TRU1", 202610)->n.visits, 5);
	assert_int_equal(find(rows, n, p.north, "TRU1", 202611)->n.visits, 0);
	assert_int_equal(find(rows, n, p.north, "TRU1", 202611)->small, 1);
	assert_int_equal(find(rows, n, p.south, "TRU1", 202610)->small, 4);
	assert_int_equal(dash_trend_rows(f->s, f->a, p.district, p.rubric, "TRU1", NULL, 1, &rows, &n),
			 STORE_OK);
	assert_int_equal(find(rows, n, p.north, "TRU1", 202611)->n.total, 3);
	assert_int_equal(find(rows, n, p.south, "TRU1", 202610)->n.visits, 4);
	assert_int_equal(dash_trend_rows(f->s, f->a, p.district, p.rubric, "TRU1", "K-2", 1, &rows, &n),
			 STORE_OK);
	assert_int_equal(n, 2); /* South's grade 1 in October, North's K in November */
	assert_null(find(rows, n, p.north, "TRU1", 202610));
	assert_int_equal(dash_trend_rows(f->s, f->a, p.district, p.rubric, "TRU5", NULL, 5, &rows, &n),
			 STORE_OK);
	assert_int_equal(n, 0);
	int64_t month = 0;
	assert_int_equal(dash_last_month(f->s, f->a, p.district, p.rubric, &month), STORE_OK);
	assert_int_equal(month, 202611);
	int64_t mp = testdb_scalar(f->s, f->a, "SELECT id FROM rubric WHERE builtin_key = 'mp'", NULL, 0);
	assert_int_equal(dash_last_month(f->s, f->a, p.district, mp, &month), STORE_OK);
	assert_int_equal(month, 0);
}

static void test_district_and_schools(void **state)
{
	fixture *f = F;
	place_ids p = places(f);
	const char *name = NULL;
	int64_t min_cell = 0, rubric = -1;
	bool found = false;
	assert_int_equal(dash_district(f->s, f->a, p.district, &name, &min_cell, &found), STORE_OK);
	assert_true(found);
	assert_string_equal(name, "Prairie");
	assert_int_equal(min_cell, 5); /* the schema's default, WALK_MIN_CELL_DEFAULT */
	testdb_run(f->s, f->a, "UPDATE org SET walk_min_cell = 3 WHERE id = $1", ARGS(ARG_INT(p.district)));
	assert_int_equal(dash_district(f->s, f->a, p.district, &name, &min_cell, &found), STORE_OK);
	assert_int_equal(min_cell, 3);
	assert_int_equal(dash_district(f->s, f->a, p.north, &name, &min_cell, &found), STORE_OK);
	assert_false(found); /* a school is no district */

	dash_school *schools;
	size_t n;
	assert_int_equal(dash_schools(f->s, f->a, p.district, &schools, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(schools[0].name, "North");
	assert_string_equal(schools[1].name, "South");

	/* Reach: a principal of South reaches South only; a district place
	 * reaches both schools. */
	visibility v = {.orgs = {p.south}, .norgs = 1};
	dash_place *reach;
	assert_int_equal(dash_reach(f->s, f->a, &v, &reach, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(reach[0].school_id, p.south);
	assert_int_equal(reach[0].district_id, p.district);
	v = (visibility){.districts = {p.district}, .ndistricts = 1};
	assert_int_equal(dash_reach(f->s, f->a, &v, &reach, &n), STORE_OK);
	assert_int_equal(n, 2);

	assert_int_equal(dash_recent_rubric(f->s, f->a, p.district, &rubric), STORE_OK);
	assert_int_equal(rubric, 0);
	int64_t mpv = testdb_scalar(
		f->s, f->a, "SELECT current_version_id FROM rubric WHERE builtin_key = 'mp'", NULL, 0);
	walk(f, &p, p.district, p.north, "2026-09-01");
	testdb_run(f->s, f->a,
		   "INSERT INTO walk (district_id, school_id, rubric_version_id, walked_on, created_by, "
		   "created_at, "
		   "updated_at) VALUES ($1, $2, $3, '2026-09-30', $4, 1, 1)",
		   ARGS(ARG_INT(p.district), ARG_INT(p.south), ARG_INT(mpv), ARG_INT(p.walker)));
	assert_int_equal(dash_recent_rubric(f->s, f->a, p.district, &rubric), STORE_OK);
	assert_int_equal(
		rubric, testdb_scalar(f->s, f->a, "SELECT id FROM rubric WHERE builtin_key = 'mp'", NULL, 0));
}

TESTDB_GROUP_FIXTURES("test_dashboard_store", "dashboard_store", true)

static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	static const char *const clear[] = {"DELETE FROM walk_tally",  "DELETE FROM observation_rating",
					    "DELETE FROM observation", "DELETE FROM walk",
					    "DELETE FROM person",      "DELETE FROM org"};
	testdb_run_each(f->s, f->a, clear, COUNT_OF(clear));
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_test, teardown_test)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_heat_rows),
		T(test_trend_rows),
		T(test_district_and_schools),
	};
	return TESTDB_RUN_GROUPS("dashboard store", "dashboard_store", tests);
}
