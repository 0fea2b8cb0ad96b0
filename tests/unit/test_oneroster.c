/* OneRoster import tests: the fixtures in tests/fixtures/oneroster (1.1 and
 * 1.2, bulk and delta), the defects of the shared samples, damaged files
 * and all-or-nothing, run on a fresh SQLite database per test and again on
 * PostgreSQL at $COACHD_TEST_PG (required: missing it is a failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "access/actor.h"
#include "base/arena.h"
#include "base/buf.h"
#include "roster/oneroster.h"
#include "roster/roster.h"
#include "store/store.h"
#include "testdb.h"

#define FIX "tests/fixtures/oneroster/"
#define SAMPLES "../shared/data/oneroster-samples/"
#define SAMPLE11 SAMPLES "v1p1_catalyst_Test_full_data_set"
#define SAMPLE12 SAMPLES "v1p2_catalyst_v1p2_full_dataset"

typedef struct fixture {
	bool pg;
	store *s;     /* a fresh database for each test */
	store *admin; /* PostgreSQL: makes and drops them */
	arena *a;
	char dir[256]; /* scratch: SQLite files, changed copies of fixtures */
	char dsn[1024];
	char db[96];
	int n;
} fixture;

/* ---- helpers ---- */

static void print_notes(const roster_plan *p)
{
	arena *a = arena_new();
	for (size_t i = 0; i < p->problems.n; i++)
		fprintf(stderr, "  problem: %s\n", roster_note_text(a, &p->problems.items[i]));
	for (size_t i = 0; i < p->warnings.n; i++)
		fprintf(stderr, "  warning: %s\n", roster_note_text(a, &p->warnings.items[i]));
	arena_free(a);
}

static roster_plan *import(fixture *f, const char *path, int64_t district, bool dry, roster_result *r)
{
	roster_target t = {.district_id = district, .dry_run = dry};
	const char *why = NULL;
	roster_plan *p = roster_import(f->s, f->a, path, &t, r, &why);
	if (!p) fail_msg("%s: %s", path, why);
	if (r->store_failed) fail_msg("store failed: %s", store_errmsg(f->s));
	return p;
}

/* Imports and expects it to go through. */
static roster_plan *import_ok(fixture *f, const char *path, int64_t district, bool dry, roster_result *r)
{
	roster_plan *p = import(f, path, district, dry, r);
	if (!roster_clean(p)) {
		print_notes(p);
		fail_msg("%s had problems", path);
	}
	assert_int_equal(r->applied, !dry);
	return p;
}

/* Imports and expects problems (and so nothing written). */
static roster_plan *import_refused(fixture *f, const char *path, int64_t district)
{
	roster_result r;
	roster_plan *p = import(f, path, district, false, &r);
	assert_false(roster_clean(p));
	assert_false(r.applied);
	return p;
}

static void expect(const roster_result *r, roster_kind k, int64_t created, int64_t updated,
		   int64_t deactivated, int64_t unchanged)
{
	const roster_counts *c = &r->counts[k];
	if (c->created != created || c->updated != updated || c->deactivated != deactivated ||
	    c->unchanged != unchanged)
		fail_msg("%s: %lld created, %lld updated, %lld deactivated, %lld unchanged; expected "
			 "%lld, %lld, %lld, %lld",
			 roster_kind_name(k), (long long)c->created, (long long)c->updated,
			 (long long)c->deactivated, (long long)c->unchanged, (long long)created,
			 (long long)updated, (long long)deactivated, (long long)unchanged);
}

static int64_t changes(const roster_result *r)
{
	int64_t n = 0;
	for (int k = 0; k < RK_COUNT; k++)
		n += r->counts[k].created + r->counts[k].updated + r->counts[k].deactivated;
	return n;
}

/* A note with this file, row (0: any), column (NULL: any) and text. */
static bool has_note(const roster_notes *l, const char *file, size_t row, const char *column,
		     const char *text)
{
	for (size_t i = 0; i < l->n; i++) {
		const roster_note *n = &l->items[i];
		if (file && (!n->file || strcmp(n->file, file))) continue;
		if (row && n->row != row) continue;
		if (column && (!n->column || strcmp(n->column, column))) continue;
		if (strstr(n->message, text)) return true;
	}
	return false;
}

static void expect_problem(const roster_plan *p, const char *file, size_t row, const char *column,
			   const char *text)
{
	if (has_note(&p->problems, file, row, column, text)) return;
	print_notes(p);
	fail_msg("no problem %s row %zu column %s: %s", file, row, column ? column : "-", text);
}

static void expect_warning(const roster_plan *p, const char *file, size_t row, const char *column,
			   const char *text)
{
	if (has_note(&p->warnings, file, row, column, text)) return;
	print_notes(p);
	fail_msg("no warning %s row %zu column %s: %s", file, row, column ? column : "-", text);
}

static int64_t count_rows(fixture *f, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return testdb_scalar(f->s, f->a, sql, NOARGS);
}

/* Nothing a roster writes is in the database. */
static void expect_nothing_written(fixture *f)
{
	static const char *const tables[] = {"org",  "person", "person_role",   "school_year",
					     "term", "class",  "class_teacher", "class_enrollment",
					     "audit"};
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (count_rows(f, tables[i]) != 0) fail_msg("%s has rows", tables[i]);
}

/* ---- scratch copies of fixtures ---- */

static char *scratch(fixture *f, const char *name)
{
	char *p = arena_printf(f->a, "%s/%s-%d", f->dir, name, f->n);
	assert_int_equal(mkdir(p, 0700), 0);
	return p;
}

static char *slurp(arena *a, const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) fail_msg("cannot read %s", path);
	buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(&b, chunk, n);
	fclose(fp);
	*len = b.len;
	char *out = arena_alloc(a, b.len + 1);
	if (b.len) memcpy(out, b.data, b.len);
	buf_free(&b);
	return out;
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	if (len) assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

/* A copy of a fixture directory to change. */
static char *copy_fixture(fixture *f, const char *src, const char *name)
{
	char *dst = scratch(f, name);
	DIR *d = opendir(src);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.') continue;
		size_t len;
		char *data = slurp(f->a, arena_printf(f->a, "%s/%s", src, e->d_name), &len);
		write_file(dst, e->d_name, data, len);
	}
	closedir(d);
	return dst;
}

/* Replaces the first occurrence of from with to in dir/name. */
static void edit_file(fixture *f, const char *dir, const char *name, const char *from, const char *to)
{
	size_t len;
	char *path = arena_printf(f->a, "%s/%s", dir, name);
	char *text = slurp(f->a, path, &len);
	char *at = strstr(text, from);
	if (!at) fail_msg("%s has no \"%s\"", path, from);
	buf b = BUF_INIT;
	buf_append(&b, text, (size_t)(at - text));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	write_file(dir, name, b.data, b.len);
	buf_free(&b);
}

/* ---- the fixtures, 1.1 and 1.2 ---- */

static void expect_first_import(const roster_result *r)
{
	expect(r, RK_ORG, 3, 0, 0, 0);
	expect(r, RK_SCHOOL_YEAR, 1, 0, 0, 0);
	expect(r, RK_TERM, 2, 0, 0, 0);
	expect(r, RK_PERSON, 5, 0, 0, 0);
	expect(r, RK_ROLE, 5, 0, 0, 0);
	expect(r, RK_CLASS, 3, 0, 0, 0);
	expect(r, RK_CLASS_TEACHER, 3, 0, 0, 0);
	expect(r, RK_ENROLLMENT, 7, 0, 0, 0);
}

static void expect_fixture_rows(fixture *f, const char *newline)
{
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT COUNT(*) FROM org WHERE kind = 'school' AND parent_id = "
				       "(SELECT id FROM org WHERE sourced_id = 'dist-pg41')",
				       NOARGS),
			 2);
	/* The department is not an org of coachd's; Okafor's role there is
	 * his school's. */
	assert_int_equal(count_rows(f, "org"), 3);
	assert_int_equal(count_rows(f, "person"), 5);
	assert_int_equal(
		testdb_scalar(f->s, f->a,
			      "SELECT COUNT(*) FROM person_role r JOIN person p ON p.id = r.person_id "
			      "JOIN org o ON o.id = r.org_id WHERE p.sourced_id = 'usr-a-raman' "
			      "AND r.role = 'principal' AND o.sourced_id = 'sch-meadow'",
			      NOARGS),
		1);
	assert_int_equal(
		testdb_scalar(f->s, f->a,
			      "SELECT COUNT(*) FROM person_role r JOIN person p ON p.id = r.person_id "
			      "JOIN org o ON o.id = r.org_id WHERE p.sourced_id = 'usr-a-whit' "
			      "AND r.role = 'district_leader' AND o.kind = 'district'",
			      NOARGS),
		1);
	/* Nothing in a roster makes an administrator. */
	assert_int_equal(
		testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM person_role WHERE role = 'admin'", NOARGS),
		0);
	assert_string_equal(testdb_scalar_text(f->s, f->a,
					       "SELECT title FROM class WHERE sourced_id = 'cls-m3-a'",
					       NOARGS),
			    "Grade 3 Mathematics (Section A)");
	/* The quoted title's own line break is kept as the file has it. */
	assert_string_equal(testdb_scalar_text(f->s, f->a,
					       "SELECT title FROM class WHERE sourced_id = 'cls-m4-a'",
					       NOARGS),
			    arena_printf(f->a, "Grade 4 Mathematics \"Explorers\"%s(afternoon)", newline));
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT student_count FROM class WHERE sourced_id = 'cls-m3-a'",
				       NOARGS),
			 3);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT student_count FROM class WHERE sourced_id = 'cls-m3-b'",
				       NOARGS),
			 2);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT COUNT(*) FROM class c JOIN term t ON t.id = c.term_id "
				       "WHERE c.sourced_id = 'cls-m3-a' AND t.sourced_id = 'term-fall-2026'",
				       NOARGS),
			 1);
	/* A class of the whole year has no term. */
	assert_int_equal(
		testdb_scalar(f->s, f->a,
			      "SELECT COUNT(*) FROM class WHERE sourced_id = 'cls-m4-a' AND term_id IS NULL",
			      NOARGS),
		1);
	assert_int_equal(
		testdb_scalar(f->s, f->a,
			      "SELECT COUNT(*) FROM class_teacher t JOIN person p ON p.id = t.person_id "
			      "JOIN class c ON c.id = t.class_id WHERE c.sourced_id = 'cls-m3-b' "
			      "AND p.email = 'teacher@example.org'",
			      NOARGS),
		1);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT COUNT(*) FROM audit WHERE action = 'import.oneroster'",
				       NOARGS),
			 1);
}

static void test_v11_bulk(void **state)
{
	fixture *f = *state;
	roster_result r;
	roster_plan *p = import_ok(f, FIX "v1p1-bulk", 0, false, &r);
	assert_string_equal(p->version, "1.1");
	expect_first_import(&r);
	assert_int_equal(p->students, 6);
	assert_int_equal(p->skipped, 3); /* the aide, the parent, the administrator's enrollment */
	expect_fixture_rows(f, "\r\n");
	assert_string_equal(testdb_scalar_text(f->s, f->a,
					       "SELECT name FROM person WHERE sourced_id = 'usr-t-okafor'",
					       NOARGS),
			    "Samuel Okafor");
}

static void test_v12_bulk(void **state)
{
	fixture *f = *state;
	roster_result r;
	roster_plan *p = import_ok(f, FIX "v1p2-bulk", 0, false, &r);
	assert_string_equal(p->version, "1.2");
	expect_first_import(&r);
	assert_int_equal(p->students, 6);
	assert_int_equal(p->skipped, 3);
	expect_fixture_rows(f, "\n");
	/* 1.2's preferred name wins. */
	assert_string_equal(testdb_scalar_text(f->s, f->a,
					       "SELECT name FROM person WHERE sourced_id = 'usr-t-okafor'",
					       NOARGS),
			    "Sam Okafor");
	assert_string_equal(testdb_scalar_text(f->s, f->a,
					       "SELECT sourced_id FROM person_role WHERE role = 'principal'",
					       NOARGS),
			    "rol-006");
}

static void test_reimport_changes_nothing(void **state)
{
	fixture *f = *state;
	static const char *const sets[] = {FIX "v1p1-bulk", FIX "v1p2-bulk"};
	for (size_t i = 0; i < 2; i++) {
		roster_result first, again;
		import_ok(f, sets[i], 0, false, &first);
		import_ok(f, sets[i], 0, false, &again);
		assert_int_equal(changes(&again), 0);
		expect(&again, RK_PERSON, 0, 0, 0, 5);
		expect(&again, RK_ENROLLMENT, 0, 0, 0, 7);
	}
	/* The 1.2 set over the 1.1 one differs only in a preferred name. */
	assert_int_equal(count_rows(f, "person"), 5);
}

static void test_dry_run_writes_nothing(void **state)
{
	fixture *f = *state;
	roster_result dry, real;
	import_ok(f, FIX "v1p1-bulk", 0, true, &dry);
	expect_first_import(&dry);
	expect_nothing_written(f);
	import_ok(f, FIX "v1p1-bulk", 0, false, &real);
	assert_memory_equal(dry.counts, real.counts, sizeof dry.counts);
	/* A dry run of the delta counts what the delta then does. */
	int64_t district =
		testdb_scalar(f->s, f->a, "SELECT id FROM org WHERE sourced_id = 'dist-pg41'", NOARGS);
	import_ok(f, FIX "v1p1-delta", district, true, &dry);
	assert_string_equal(testdb_scalar_text(f->s, f->a,
					       "SELECT name FROM person WHERE sourced_id = 'usr-t-vance'",
					       NOARGS),
			    "Marisol Vance");
	import_ok(f, FIX "v1p1-delta", district, false, &real);
	assert_memory_equal(dry.counts, real.counts, sizeof dry.counts);
}

static void expect_delta_applied(fixture *f, const roster_result *r)
{
	expect(r, RK_CLASS, 0, 0, 1, 0);
	expect(r, RK_ENROLLMENT, 1, 0, 1, 0);
	assert_string_equal(testdb_scalar_text(f->s, f->a,
					       "SELECT name FROM person WHERE sourced_id = 'usr-t-vance'",
					       NOARGS),
			    "Marisol Vance-Ortiz");
	/* Deactivated, never deleted. */
	assert_int_equal(
		testdb_scalar(f->s, f->a, "SELECT active FROM class WHERE sourced_id = 'cls-m3-b'", NOARGS),
		0);
	assert_int_equal(
		testdb_scalar(f->s, f->a,
			      "SELECT active FROM class_enrollment WHERE sourced_id = 'enr-s-m3a-001'",
			      NOARGS),
		0);
	assert_int_equal(
		testdb_scalar(f->s, f->a, "SELECT active FROM person_role WHERE role = 'principal'", NOARGS),
		0);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT student_count FROM class WHERE sourced_id = 'cls-m3-a'",
				       NOARGS),
			 3);
	assert_int_equal(count_rows(f, "class_enrollment"), 8);
}

static void test_v11_delta(void **state)
{
	fixture *f = *state;
	roster_result r;
	import_ok(f, FIX "v1p1-bulk", 0, false, &r);
	int64_t district =
		testdb_scalar(f->s, f->a, "SELECT id FROM org WHERE sourced_id = 'dist-pg41'", NOARGS);
	/* A delta without orgs.csv needs to be told its district. */
	roster_plan *p = import_refused(f, FIX "v1p1-delta", 0);
	expect_problem(p, "orgs.csv", 0, NULL, "--district");
	import_ok(f, FIX "v1p1-delta", district, false, &r);
	expect_delta_applied(f, &r);
	/* In 1.1 the user row goes: the person and the role are deactivated. */
	expect(&r, RK_PERSON, 0, 1, 1, 0);
	expect(&r, RK_ROLE, 0, 0, 1, 1);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT active FROM person WHERE sourced_id = 'usr-a-raman'", NOARGS),
			 0);
	import_ok(f, FIX "v1p1-delta", district, false, &r);
	assert_int_equal(changes(&r), 0);
}

static void test_v12_delta(void **state)
{
	fixture *f = *state;
	roster_result r;
	import_ok(f, FIX "v1p2-bulk", 0, false, &r);
	int64_t district =
		testdb_scalar(f->s, f->a, "SELECT id FROM org WHERE sourced_id = 'dist-pg41'", NOARGS);
	import_ok(f, FIX "v1p2-delta", district, false, &r);
	expect_delta_applied(f, &r);
	/* In 1.2 only the role goes; the person stays. */
	expect(&r, RK_PERSON, 0, 1, 0, 0);
	expect(&r, RK_ROLE, 0, 0, 1, 0);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT active FROM person WHERE sourced_id = 'usr-a-raman'", NOARGS),
			 1);
	import_ok(f, FIX "v1p2-delta", district, false, &r);
	assert_int_equal(changes(&r), 0);
}

static void test_bulk_deactivates_what_left(void **state)
{
	fixture *f = *state;
	roster_result r;
	import_ok(f, FIX "v1p1-bulk", 0, false, &r);
	char *dir = copy_fixture(f, FIX "v1p1-bulk", "left");
	/* Section B and its enrollments leave, and Becker with them. */
	edit_file(f, dir, "classes.csv",
		  "cls-m3-b,,,Section B,03,crs-math3,M3B,scheduled,Room "
		  "14,sch-meadow,term-fall-2026,Mathematics,,2\r\n",
		  "");
	edit_file(f, dir, "enrollments.csv",
		  "enr-t-m3b-becker,,,cls-m3-b,sch-meadow,usr-t-becker,teacher,true,,\r\n", "");
	edit_file(f, dir, "enrollments.csv",
		  "enr-s-m3b-003,,,cls-m3-b,sch-meadow,usr-s-003,student,false,,\r\n", "");
	edit_file(f, dir, "enrollments.csv",
		  "enr-s-m3b-004,,,cls-m3-b,sch-meadow,usr-s-004,student,false,,\r\n", "");
	edit_file(f, dir, "users.csv",
		  "usr-t-becker,,,true,sch-meadow,teacher,t-becker,,Tom,Becker,,"
		  "T-BECKER,teacher@example.org,,,,,\r\n",
		  "");
	import_ok(f, dir, 0, false, &r);
	expect(&r, RK_CLASS, 0, 0, 1, 2);
	expect(&r, RK_CLASS_TEACHER, 0, 0, 1, 2);
	expect(&r, RK_ENROLLMENT, 0, 0, 2, 5);
	expect(&r, RK_PERSON, 0, 0, 1, 4);
	expect(&r, RK_ROLE, 0, 0, 1, 4);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT active FROM person WHERE sourced_id = 'usr-t-becker'", NOARGS),
			 0);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT student_count FROM class WHERE sourced_id = 'cls-m3-b'",
				       NOARGS),
			 0);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM class WHERE active = 1", NOARGS), 2);
}

static void test_binds_admin_district(void **state)
{
	fixture *f = *state;
	int64_t mine = testdb_scalar(f->s, f->a,
				     "INSERT INTO org (kind, name, created_at) VALUES ('district', "
				     "'Prairie Glen SD 41 (as entered)', 1) RETURNING id",
				     NOARGS);
	roster_result r;
	import_ok(f, FIX "v1p2-bulk", mine, false, &r);
	expect(&r, RK_ORG, 2, 1, 0, 0); /* two schools; the district bound */
	assert_string_equal(testdb_scalar_text(f->s, f->a, "SELECT sourced_id FROM org WHERE id = $1",
					       ARGS(ARG_INT(mine))),
			    "dist-pg41");
	assert_string_equal(
		testdb_scalar_text(f->s, f->a, "SELECT name FROM org WHERE id = $1", ARGS(ARG_INT(mine))),
		"Prairie Glen SD 41 (as entered)");
	assert_int_equal(r.district_id, mine);
	/* Another district's administrator cannot import this roster. */
	int64_t other =
		testdb_scalar(f->s, f->a,
			      "INSERT INTO org (kind, name, sourced_id, created_at) VALUES ('district', "
			      "'Elsewhere', 'dist-elsewhere', 1) RETURNING id",
			      NOARGS);
	int64_t before = count_rows(f, "person_role");
	roster_plan *p = import_refused(f, FIX "v1p2-bulk", other);
	expect_problem(p, "orgs.csv", 2, "sourcedId", "an import can only be for your own district");
	assert_int_equal(count_rows(f, "person_role"), before);
	/* Nor a district without a sourcedId yet: the roster's is taken. */
	int64_t third =
		testdb_scalar(f->s, f->a,
			      "INSERT INTO org (kind, name, created_at) VALUES ('district', 'Third', 1) "
			      "RETURNING id",
			      NOARGS);
	p = import_refused(f, FIX "v1p2-bulk", third);
	expect_problem(p, "orgs.csv", 2, "sourcedId", "already belongs to");
}

static void test_binds_existing_account_by_email(void **state)
{
	fixture *f = *state;
	int64_t district =
		testdb_scalar(f->s, f->a,
			      "INSERT INTO org (kind, name, created_at) VALUES ('district', 'PG', 1) "
			      "RETURNING id",
			      NOARGS);
	int64_t school =
		testdb_scalar(f->s, f->a,
			      "INSERT INTO org (kind, name, parent_id, created_at) VALUES ('school', "
			      "'Meadowbrook', $1, 1) RETURNING id",
			      ARGS(ARG_INT(district)));
	int64_t tom = testdb_scalar(f->s, f->a,
				    "INSERT INTO person (name, email, created_at) VALUES ('Tom B.', "
				    "'Teacher@Example.org', 1) RETURNING id",
				    NOARGS);
	testdb_scalar(
		f->s, f->a,
		"INSERT INTO person_role (person_id, org_id, role) VALUES ($1, $2, 'teacher') RETURNING id",
		ARGS(ARG_INT(tom), ARG_INT(school)));
	roster_result r;
	import_ok(f, FIX "v1p1-bulk", district, false, &r);
	expect(&r, RK_PERSON, 4, 1, 0, 0);
	assert_string_equal(testdb_scalar_text(f->s, f->a, "SELECT sourced_id FROM person WHERE id = $1",
					       ARGS(ARG_INT(tom))),
			    "usr-t-becker");
	assert_string_equal(
		testdb_scalar_text(f->s, f->a, "SELECT name FROM person WHERE id = $1", ARGS(ARG_INT(tom))),
		"Tom Becker");
	/* His coachd role at the old school org stays his. */
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM person_role WHERE person_id = $1",
				       ARGS(ARG_INT(tom))),
			 2);
}

static void test_foreign_person_refused(void **state)
{
	fixture *f = *state;
	int64_t partner =
		testdb_scalar(f->s, f->a,
			      "INSERT INTO org (kind, name, created_at) VALUES ('partner', 'Partner', 1) "
			      "RETURNING id",
			      NOARGS);
	int64_t coach = testdb_scalar(f->s, f->a,
				      "INSERT INTO person (name, email, created_at) VALUES ('Carmen', "
				      "'marisol.vance@pg41.example.org', 1) RETURNING id",
				      NOARGS);
	testdb_scalar(
		f->s, f->a,
		"INSERT INTO person_role (person_id, org_id, role) VALUES ($1, $2, 'coach') RETURNING id",
		ARGS(ARG_INT(coach), ARG_INT(partner)));
	roster_plan *p = import_refused(f, FIX "v1p1-bulk", 0);
	expect_problem(p, "users.csv", 2, "sourcedId", "also works outside this district");
	assert_int_equal(count_rows(f, "class"), 0);
	assert_string_equal(
		testdb_scalar_text(f->s, f->a, "SELECT name FROM person WHERE id = $1", ARGS(ARG_INT(coach))),
		"Carmen");
}

/* The database file itself, not only the tables: no student's name. */
static void test_students_never_stored(void **state)
{
	fixture *f = *state;
	roster_result r;
	import_ok(f, FIX "v1p1-bulk", 0, false, &r);
	import_ok(f, FIX "v1p2-bulk", 0, false, &r);
	int64_t district =
		testdb_scalar(f->s, f->a, "SELECT id FROM org WHERE sourced_id = 'dist-pg41'", NOARGS);
	import_ok(f, FIX "v1p2-delta", district, false, &r);
	static const char *const names[] = {"Zephyrine",   "Quillfeather", "Nightingale",
					    "Thistlewood", "Pemberton",    "Fairweather",
					    "Brambleby",   "Marchbanks",   "Helpwell"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *like = arena_printf(f->a, "%%%s%%", names[i]);
		assert_int_equal(
			testdb_scalar(f->s, f->a,
				      "SELECT COUNT(*) FROM person WHERE name LIKE $1 OR email LIKE $1",
				      ARGS(ARG_TEXT(like))),
			0);
		assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM audit WHERE detail LIKE $1",
					       ARGS(ARG_TEXT(like))),
				 0);
	}
	if (!f->pg) {
		store_close(f->s); /* checkpoints the WAL into the file */
		f->s = NULL;
		size_t len;
		char *bytes = slurp(f->a, f->dsn, &len);
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			assert_null(memmem(bytes, len, names[i], strlen(names[i])));
		assert_non_null(memmem(bytes, len, "Vance-Ortiz", 11)); /* staff are there */
	}
}

/* ---- the shared samples: each known defect, its own message ---- */

static void test_sample_v11_defects(void **state)
{
	fixture *f = *state;
	roster_plan *p = import_refused(f, SAMPLE11, 0);
	assert_string_equal(p->version, "1.1");
	expect_problem(p, "orgs.csv", 2, "parentSourcedId", "parent org org-sch-222-3456 is not in orgs.csv");
	expect_problem(p, "orgs.csv", 0, NULL, "no district row");
	expect_warning(p, "classes.csv", 0, "courseSourcedId", "file.courses=absent");
	expect_problem(p, "academicSessions.csv", 4, "status", "\"inactive\" is not a status");
	expect_problem(p, "academicSessions.csv", 3, "parentSourcedId",
		       "parent session as-syr-222-2023 is not in academicSessions.csv");
	expect_warning(p, "orgs.csv", 2, "status", "although the manifest says bulk");
	expect_problem(p, "enrollments.csv", 3, "role",
		       "user usr-222-987654 is enrolled as a student, "
		       "but users.csv gives them the role teacher");
	expect_warning(p, "users.csv", 2, "dateLastModified", "is a date without a time");
	expect_problem(p, "classes.csv", 2, "schoolSourcedId", "department org-sch-222-456 is not a school");
	expect_nothing_written(f);
}

static void test_sample_v12_defects(void **state)
{
	fixture *f = *state;
	roster_plan *p = import_refused(f, SAMPLE12, 0);
	assert_string_equal(p->version, "1.2");
	expect_warning(p, "users.csv", 1, "prefferedGivenName", "did you mean preferredGivenName?");
	expect_warning(p, "users.csv", 1, "prefferedFamilyName", "did you mean preferredFamilyName?");
	expect_problem(p, "users.csv", 2, "dateLastModified",
		       "\"1/05/2023\" is not an ISO 8601 date and time");
	expect_warning(p, "roles.csv", 1, "dataLastModified", "did you mean dateLastModified?");
	expect_problem(p, "roles.csv", 1, NULL, "column 10 of the header has no name");
	expect_problem(p, "roles.csv", 1, NULL, "column 11 of the header has no name");
	expect_problem(p, "userProfiles.csv", 1, "profileType", "the required column is missing");
	expect_problem(p, "manifest.csv", 21, "value", "file.scoreScales has no value");
	expect_problem(p, "manifest.csv", 22, "value", "file.userProfiles has no value");
	expect_problem(p, "manifest.csv", 23, "value", "file.userResources has no value");
	expect_problem(p, "orgs.csv", 2, "parentSourcedId", "org-sch-222-3456");
	expect_problem(p, "academicSessions.csv", 4, "status", "\"inactive\"");
	expect_warning(p, "classes.csv", 0, "courseSourcedId", "file.courses=absent");
	expect_nothing_written(f);
}

/* ---- damaged files ---- */

static void test_truncated_file(void **state)
{
	fixture *f = *state;
	char *dir = copy_fixture(f, FIX "v1p1-bulk", "cut");
	size_t len;
	char *users = slurp(f->a, arena_printf(f->a, "%s/users.csv", dir), &len);
	char *cut = strstr(users, "usr-s-004,,,true,sch");
	write_file(dir, "users.csv", users, (size_t)(cut - users) + 20);
	roster_plan *p = import_refused(f, dir, 0);
	expect_problem(p, "users.csv", 11, NULL, "(is the file cut short?)");
	/* Cut inside a quoted field: the quote never closes. */
	char *classes = slurp(f->a, arena_printf(f->a, "%s/classes.csv", dir), &len);
	write_file(dir, "users.csv", users, strlen(users));
	write_file(dir, "classes.csv", classes, (size_t)(strstr(classes, "Explorers") - classes));
	p = import_refused(f, dir, 0);
	expect_problem(p, "classes.csv", 4, "title",
		       "a quoted field is not closed before the end of the file");
	expect_nothing_written(f);
}

static void test_empty_file(void **state)
{
	fixture *f = *state;
	char *dir = copy_fixture(f, FIX "v1p2-bulk", "empty");
	write_file(dir, "users.csv", "", 0);
	roster_plan *p = import_refused(f, dir, 0);
	expect_problem(p, "users.csv", 0, NULL, "the file is empty (0 bytes)");
	write_file(dir, "manifest.csv", "", 0);
	p = import_refused(f, dir, 0);
	expect_problem(p, "manifest.csv", 0, NULL, "the file is empty (0 bytes)");
	assert_true(p->stop);
	expect_nothing_written(f);
}

static void test_binary_file(void **state)
{
	fixture *f = *state;
	char *dir = copy_fixture(f, FIX "v1p1-bulk", "binary");
	/* What a picture saved under the wrong name looks like. */
	unsigned char junk[512];
	for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(i * 7919u >> 3);
	memcpy(junk, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
	write_file(dir, "enrollments.csv", junk, sizeof junk);
	roster_plan *p = import_refused(f, dir, 0);
	expect_problem(p, "enrollments.csv", 0, NULL, "binary data, not CSV text");
	/* A Latin-1 file is not binary, but it is not UTF-8 either. */
	edit_file(f, dir, "orgs.csv", "Cedar Ridge Elementary",
		  "C\xe9"
		  "dar Ridge Elementary");
	p = import_refused(f, dir, 0);
	expect_problem(p, "orgs.csv", 4, "name", "the text is not UTF-8");
	expect_nothing_written(f);
}

static void test_header_problems(void **state)
{
	fixture *f = *state;
	char *dir = copy_fixture(f, FIX "v1p1-bulk", "header");
	edit_file(f, dir, "users.csv", "givenName,", "");
	edit_file(f, dir, "orgs.csv", "identifier", "IDENTIFIER,identifier");
	edit_file(f, dir, "classes.csv", "periods", "periods,colour");
	roster_plan *p = import_refused(f, dir, 0);
	expect_problem(p, "users.csv", 1, "givenName", "the required column is missing");
	expect_problem(p, "orgs.csv", 1, "identifier", "the column appears twice");
	expect_warning(p, "classes.csv", 1, "colour", "unknown column colour");
	expect_nothing_written(f);
}

static void test_one_bad_row_writes_nothing(void **state)
{
	fixture *f = *state;
	char *dir = copy_fixture(f, FIX "v1p1-bulk", "onebad");
	edit_file(f, dir, "enrollments.csv", "enr-s-m4a-006,,,cls-m4-a", "enr-s-m4a-006,,,cls-nowhere");
	edit_file(f, dir, "enrollments.csv", "enr-s-m3a-002,", "enr-s-m3a-001,");
	roster_plan *p = import_refused(f, dir, 0);
	expect_problem(p, "enrollments.csv", 12, "classSourcedId", "class cls-nowhere is not in classes.csv");
	expect_problem(p, "enrollments.csv", 7, "sourcedId", "sourcedId enr-s-m3a-001 appears again");
	expect_nothing_written(f);
	/* A dry run of the same says the same. */
	roster_result r;
	p = import(f, dir, 0, true, &r);
	expect_problem(p, "enrollments.csv", 12, "classSourcedId", "cls-nowhere");
}

static void test_delta_needs_status(void **state)
{
	fixture *f = *state;
	char *dir = copy_fixture(f, FIX "v1p1-bulk", "delta");
	edit_file(f, dir, "manifest.csv", "file.orgs,bulk", "file.orgs,delta");
	roster_plan *p = import_refused(f, dir, 0);
	expect_problem(p, "orgs.csv", 2, "status", "a delta file needs it");
	edit_file(f, dir, "manifest.csv", "oneroster.version,1.1", "oneroster.version,2.0");
	p = import_refused(f, dir, 0);
	expect_problem(p, "manifest.csv", 3, "value", "oneroster.version \"2.0\" is not 1.1 or 1.2");
}

/* ---- a ZIP archive, as districts send it ---- */

static void zip_dir(fixture *f, const char *dir, const char *prefix, const char *out)
{
	buf z = BUF_INIT, cd = BUF_INIT;
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.') continue;
		size_t len;
		char *data = slurp(f->a, arena_printf(f->a, "%s/%s", dir, e->d_name), &len);
		char *name = arena_printf(f->a, "%s%s", prefix, e->d_name);
		uLongf clen = compressBound((uLong)len);
		unsigned char *comp = arena_alloc(f->a, clen);
		z_stream zs = {0};
		deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
		zs.next_in = (Bytef *)data;
		zs.avail_in = (uInt)len;
		zs.next_out = comp;
		zs.avail_out = (uInt)clen;
		assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		clen = zs.total_out;
		deflateEnd(&zs);
		uint32_t crc = (uint32_t)crc32(0, (const Bytef *)data, (uInt)len);
		uint32_t off = (uint32_t)z.len;
		unsigned char lh[30] = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
		unsigned char ch[46] = {'P', 'K', 1, 2, 20, 0, 20, 0, 0, 0, 8, 0};
		for (int k = 0; k < 4; k++) {
			lh[14 + k] = ch[16 + k] = (unsigned char)(crc >> (8 * k));
			lh[18 + k] = ch[20 + k] = (unsigned char)(clen >> (8 * k));
			lh[22 + k] = ch[24 + k] = (unsigned char)(len >> (8 * k));
			ch[42 + k] = (unsigned char)(off >> (8 * k));
		}
		lh[26] = ch[28] = (unsigned char)strlen(name);
		buf_append(&z, lh, 30);
		buf_puts(&z, name);
		buf_append(&z, comp, clen);
		buf_append(&cd, ch, 46);
		buf_puts(&cd, name);
		n++;
	}
	closedir(d);
	uint32_t cd_off = (uint32_t)z.len, cd_len = (uint32_t)cd.len;
	buf_append(&z, cd.data, cd.len);
	unsigned char end[22] = {'P', 'K', 5, 6};
	end[8] = end[10] = (unsigned char)n;
	for (int k = 0; k < 4; k++) {
		end[12 + k] = (unsigned char)(cd_len >> (8 * k));
		end[16 + k] = (unsigned char)(cd_off >> (8 * k));
	}
	buf_append(&z, end, 22);
	FILE *fp = fopen(out, "wb");
	assert_int_equal(fwrite(z.data, 1, z.len, fp), z.len);
	fclose(fp);
	buf_free(&z);
	buf_free(&cd);
}

static void test_zip_archive(void **state)
{
	fixture *f = *state;
	char *flat = arena_printf(f->a, "%s/flat-%d.zip", f->dir, f->n);
	char *nested = arena_printf(f->a, "%s/nested-%d.zip", f->dir, f->n);
	zip_dir(f, FIX "v1p2-bulk", "", flat);
	zip_dir(f, FIX "v1p2-bulk", "export-2026-01-05/", nested);
	roster_result r;
	import_ok(f, flat, 0, false, &r);
	expect_first_import(&r);
	import_ok(f, nested, 0, false, &r);
	assert_int_equal(changes(&r), 0);
	/* Not a ZIP: said plainly. */
	const char *why = NULL;
	roster_target t = {0};
	assert_null(roster_import(f->s, f->a, FIX "v1p2-bulk/users.csv", &t, &r, &why));
	assert_non_null(strstr(why, "is a text file, not a ZIP archive"));
	char *half = arena_printf(f->a, "%s/half-%d.zip", f->dir, f->n);
	size_t len;
	char *bytes = slurp(f->a, flat, &len);
	write_file(f->dir, arena_printf(f->a, "half-%d.zip", f->n), bytes, len / 2);
	assert_null(roster_import(f->s, f->a, half, &t, &r, &why));
	assert_non_null(strstr(why, "was it cut short?"));
}

/* ---- fixtures of the test run ---- */

static int setup_sqlite(void **state)
{
	static fixture f;
	f = (fixture){0};
	*state = &f;
	return testdb_scratch_dir(f.dir, sizeof f.dir, "roster");
}

static int setup_pg(void **state)
{
	static fixture f;
	f = (fixture){.pg = true};
	*state = &f;
	if (!(f.admin = testdb_pg_admin("test_oneroster"))) return -1;
	return testdb_scratch_dir(f.dir, sizeof f.dir, "roster");
}

static int teardown_group(void **state)
{
	fixture *f = *state;
	testdb_remove_tree(f->dir);
	store_close(f->admin);
	return 0;
}

/* A fresh, migrated database for each test. */
static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	f->n++;
	char err[512] = "";
	if (f->pg) {
		snprintf(f->db, sizeof f->db, "coachd_roster_%ld_%d", (long)getpid(), f->n);
		if (testdb_pg_create("test_oneroster", f->admin, f->db, f->dsn, sizeof f->dsn) != 0)
			return -1;
	} else {
		snprintf(f->dsn, sizeof f->dsn, "%s/test-%d.db", f->dir, f->n);
	}
	if (store_open(f->dsn, &f->s, err, sizeof err) != STORE_OK ||
	    store_migrate(f->s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "test_oneroster: %s: %s\n", f->dsn, err);
		return -1;
	}
	return 0;
}

static int teardown_test(void **state)
{
	fixture *f = *state;
	store_close(f->s);
	f->s = NULL;
	if (f->pg) testdb_pg_drop("test_oneroster", f->admin, f->db);
	arena_free(f->a);
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_test, teardown_test)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_v11_bulk),
		T(test_v12_bulk),
		T(test_reimport_changes_nothing),
		T(test_dry_run_writes_nothing),
		T(test_v11_delta),
		T(test_v12_delta),
		T(test_bulk_deactivates_what_left),
		T(test_binds_admin_district),
		T(test_binds_existing_account_by_email),
		T(test_foreign_person_refused),
		T(test_students_never_stored),
		T(test_sample_v11_defects),
		T(test_sample_v12_defects),
		T(test_truncated_file),
		T(test_empty_file),
		T(test_binary_file),
		T(test_header_problems),
		T(test_one_bad_row_writes_nothing),
		T(test_delta_needs_status),
		T(test_zip_archive),
	};
	return TESTDB_RUN_GROUPS("oneroster", "oneroster", tests);
}
