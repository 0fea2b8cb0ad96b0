/* Store tests: one group of cases, run on a temporary SQLite file and again
 * on PostgreSQL at $COACHD_TEST_PG (required: missing it is a failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "store/migrations.h"
#include "store/store.h"
#include "testdb.h"

typedef struct fixture {
	store *s;
	arena *a; /* fresh for each test */
	testdb tdb;
} fixture;

/* ---- helpers ---- */

static store_rc attempt(fixture *f, const char *sql, const sql_arg *args, size_t n)
{
	return store_query(f->s, f->a, sql, args, n, NULL);
}

static void assert_one_line(store *s)
{
	const char *m = store_errmsg(s);
	assert_non_null(m);
	assert_true(strlen(m) > 0);
	assert_null(strchr(m, '\n'));
}

static int64_t count_people(fixture *f)
{
	return testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM person", NOARGS);
}

static int64_t add_person(fixture *f, const char *name, const char *email)
{
	return testdb_scalar(f->s, f->a,
			     "INSERT INTO person (name, email, created_at) "
			     "VALUES ($1, $2, $3) RETURNING id",
			     ARGS(ARG_TEXT(name), ARG_TEXT(email), ARG_INT(1700000000)));
}

static int last_version(size_t *count)
{
	size_t n;
	const migration *m = migration_list(&n);
	if (count) *count = n;
	return n ? m[n - 1].version : 0;
}

/* ---- migrations ---- */

static void test_migrate_from_empty(void **state)
{
	fixture *f = *state;
	char err[256] = "";
	size_t n;
	int want = last_version(&n);
	assert_true(n > 0);
	assert_int_equal(store_schema_version(f->s), 0);
	if (store_migrate(f->s, err, sizeof err) != STORE_OK) fail_msg("migrate: %s", err);
	assert_int_equal(store_schema_version(f->s), want);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM schema_migration", NOARGS),
			 (int64_t)n);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM org", NOARGS), 0);
	assert_int_equal(count_people(f), 0);
}

static void test_migrate_again_is_noop(void **state)
{
	fixture *f = *state;
	char err[256] = "";
	size_t n;
	int want = last_version(&n);
	int64_t before = testdb_scalar(f->s, f->a, "SELECT SUM(applied_at) FROM schema_migration", NOARGS);
	if (store_migrate(f->s, err, sizeof err) != STORE_OK) fail_msg("migrate: %s", err);
	assert_int_equal(store_schema_version(f->s), want);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM schema_migration", NOARGS),
			 (int64_t)n);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT SUM(applied_at) FROM schema_migration", NOARGS),
			 before);
}

static void test_migrate_refuses_newer_schema(void **state)
{
	fixture *f = *state;
	char err[256] = "";
	int want = last_version(NULL);
	testdb_run(f->s, f->a, "INSERT INTO schema_migration (version, name, applied_at) VALUES ($1, $2, $3)",
		   ARGS(ARG_INT(want + 1000), ARG_TEXT("from-the-future.sql"), ARG_INT(0)));
	assert_int_equal(store_migrate(f->s, err, sizeof err), STORE_ERROR);
	assert_non_null(strstr(err, "newer"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(store_schema_version(f->s), want + 1000);
	testdb_run(f->s, f->a, "DELETE FROM schema_migration WHERE version = $1", ARGS(ARG_INT(want + 1000)));
	assert_int_equal(store_schema_version(f->s), want);
}

/* ---- binding ---- */

static void create_probe(fixture *f)
{
	testdb_run(f->s, f->a,
		   "CREATE TABLE probe (k BIGINT PRIMARY KEY, i BIGINT, "
		   "r DOUBLE PRECISION, t TEXT)",
		   NOARGS);
}

static void insert_probe(fixture *f, int64_t k, sql_arg i, sql_arg r, sql_arg t)
{
	testdb_run(f->s, f->a, "INSERT INTO probe (k, i, r, t) VALUES ($1, $2, $3, $4)",
		   ARGS(ARG_INT(k), i, r, t));
	assert_int_equal(store_changes(f->s), 1);
}

static const char *const EVIL = "'); DROP TABLE probe; --";
static const char *const QUOTES = "it's \"quoted\" \\ back`tick`";
static const char *const UNICODE = "h\xc3\xa9llo \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac "
				   "\xf0\x9f\x8e\x89";

static void test_bind_every_type(void **state)
{
	fixture *f = *state;
	create_probe(f);
	insert_probe(f, 1, ARG_INT(INT64_MAX), ARG_REAL(0.1), ARG_TEXT(QUOTES));
	insert_probe(f, 2, ARG_INT(INT64_MIN), ARG_REAL(-1.5e300), ARG_TEXT(UNICODE));
	insert_probe(f, 3, ARG_NULL, ARG_NULL, ARG_TEXT(NULL));
	insert_probe(f, 4, ARG_INT(0), ARG_REAL(3.0), ARG_TEXT(EVIL));
	insert_probe(f, 5, ARG_INT(-1), ARG_REAL(0.5), ARG_TEXT(""));
	store_rows r = testdb_run(f->s, f->a, "SELECT k, i, r, t FROM probe ORDER BY k", NOARGS);
	assert_int_equal(r.nrows, 5);
	assert_int_equal(r.ncols, 4);
	assert_string_equal(rows_get(&r, 0, 1), "9223372036854775807");
	assert_int_equal(rows_int(&r, 0, 1), INT64_MAX);
	assert_string_equal(rows_get(&r, 0, 2), "0.1");
	assert_string_equal(rows_get(&r, 0, 3), QUOTES);
	assert_int_equal(rows_int(&r, 1, 1), INT64_MIN);
	assert_string_equal(rows_get(&r, 1, 2), "-1.5e+300");
	assert_string_equal(rows_get(&r, 1, 3), UNICODE);
	for (size_t c = 1; c < 4; c++) assert_null(rows_get(&r, 2, c));
	assert_string_equal(rows_get(&r, 3, 2), "3");
	assert_string_equal(rows_get(&r, 3, 3), EVIL);
	assert_non_null(rows_get(&r, 4, 3)); /* empty text is not NULL */
	assert_string_equal(rows_get(&r, 4, 3), "");
}

static void test_bound_text_is_only_data(void **state)
{
	fixture *f = *state;
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT k FROM probe WHERE t = $1", ARGS(ARG_TEXT(EVIL))),
			 4);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM probe", NOARGS), 5);
	/* One placeholder used twice, and placeholders out of order. */
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM probe WHERE k = $1 OR i = $1",
				       ARGS(ARG_INT(4))),
			 1);
	store_rows r = testdb_run(f->s, f->a, "SELECT t FROM probe WHERE k = $2 OR k = $1 ORDER BY k",
				  ARGS(ARG_INT(2), ARG_INT(1)));
	assert_int_equal(r.nrows, 2);
	assert_string_equal(rows_get(&r, 1, 0), UNICODE);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM probe WHERE t IS NULL", NOARGS), 1);
}

static void test_bad_calls_are_errors(void **state)
{
	fixture *f = *state;
	assert_int_equal(attempt(f, "SELECT CAST($1 AS BIGINT)", ARGS(ARG_INT(1), ARG_INT(2))), STORE_ERROR);
	assert_one_line(f->s);
	assert_int_equal(attempt(f, "SELECT CAST($1 AS BIGINT)", NOARGS), STORE_ERROR);
	assert_one_line(f->s);
	assert_int_equal(attempt(f, "SELECT 1; SELECT 2", NOARGS), STORE_ERROR);
	assert_one_line(f->s);
	assert_int_equal(attempt(f, "SELECT nonsense FROM nowhere", NOARGS), STORE_ERROR);
	assert_one_line(f->s);
	assert_int_equal(attempt(f, "", NOARGS), STORE_ERROR);
	assert_one_line(f->s);
	/* "x" is an identifier on both, never a string (SQLite's DQS is off). */
	assert_int_equal(attempt(f, "SELECT k FROM probe WHERE t = \"nope\"", NOARGS), STORE_ERROR);
	assert_one_line(f->s);
	/* The good form still works after the failures above. */
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT CAST($1 AS BIGINT)", ARGS(ARG_INT(7))), 7);
}

static void test_returning_id(void **state)
{
	fixture *f = *state;
	int64_t a = add_person(f, "Ada", "ada@example.org");
	int64_t b = add_person(f, "Bo", "bo@example.org");
	assert_true(a > 0);
	assert_true(b > a);
	assert_int_equal(store_changes(f->s), 1);
	store_rows r = testdb_run(f->s, f->a, "SELECT name FROM person WHERE id = $1", ARGS(ARG_INT(b)));
	assert_string_equal(rows_get(&r, 0, 0), "Bo");
}

static void test_constraints(void **state)
{
	fixture *f = *state;
	sql_arg dup[] = {ARG_TEXT("Ada 2"), ARG_TEXT("ada@example.org"), ARG_INT(1)};
	assert_int_equal(attempt(f,
				 "INSERT INTO person (name, email, created_at) "
				 "VALUES ($1, $2, $3)",
				 dup, 3),
			 STORE_CONSTRAINT);
	assert_one_line(f->s);
	assert_int_equal(attempt(f, "INSERT INTO org (kind, name, created_at) VALUES ($1, $2, $3)",
				 ARGS(ARG_TEXT("bogus"), ARG_TEXT("x"), ARG_INT(1))),
			 STORE_CONSTRAINT);
	assert_int_equal(attempt(f,
				 "INSERT INTO person_role (person_id, org_id, role) "
				 "VALUES ($1, $2, $3)",
				 ARGS(ARG_INT(999999), ARG_INT(999999), ARG_TEXT("coach"))),
			 STORE_CONSTRAINT);
	assert_int_equal(attempt(f, "INSERT INTO person (name, created_at) VALUES ($1, $2)",
				 ARGS(ARG_NULL, ARG_INT(1))),
			 STORE_CONSTRAINT);
	assert_int_equal(count_people(f), 2);
}

/* ---- transactions ---- */

static void test_rollback_leaves_nothing(void **state)
{
	fixture *f = *state;
	int64_t before = count_people(f);
	assert_int_equal(store_begin(f->s), STORE_OK);
	assert_int_equal(store_begin(f->s), STORE_ERROR); /* no nesting */
	add_person(f, "Temp", "temp@example.org");
	assert_int_equal(count_people(f), before + 1);
	assert_int_equal(store_rollback(f->s), STORE_OK);
	assert_int_equal(count_people(f), before);
	/* Rolling back with no transaction open is harmless on both. */
	assert_int_equal(store_rollback(f->s), STORE_OK);
}

static void test_commit_persists(void **state)
{
	fixture *f = *state;
	char err[256] = "";
	int64_t before = count_people(f);
	assert_int_equal(store_begin(f->s), STORE_OK);
	add_person(f, "Kept", "kept@example.org");
	assert_int_equal(store_commit(f->s), STORE_OK);
	/* Seen from another connection, so it is really committed. */
	store *other;
	if (store_open(f->tdb.dsn, &other, err, sizeof err) != STORE_OK) fail_msg("open: %s", err);
	store_rows r = testdb_run(other, f->a, "SELECT COUNT(*) FROM person", NOARGS);
	assert_int_equal(rows_int(&r, 0, 0), before + 1);
	store_close(other);
}

/* A failed statement inside a transaction: PostgreSQL aborts the whole
 * transaction (COMMIT reports it), SQLite keeps the rest. Either way a
 * rollback is always safe and leaves nothing. */
static void test_error_inside_transaction(void **state)
{
	fixture *f = *state;
	int64_t before = count_people(f);
	assert_int_equal(store_begin(f->s), STORE_OK);
	add_person(f, "Half", "half@example.org");
	assert_int_equal(attempt(f,
				 "INSERT INTO person (name, email, created_at) "
				 "VALUES ($1, $2, $3)",
				 ARGS(ARG_TEXT("Dup"), ARG_TEXT("half@example.org"), ARG_INT(1))),
			 STORE_CONSTRAINT);
	assert_int_equal(store_rollback(f->s), STORE_OK);
	assert_int_equal(count_people(f), before);

	assert_int_equal(store_begin(f->s), STORE_OK);
	add_person(f, "Half", "half@example.org");
	assert_int_equal(attempt(f, "SELECT nonsense FROM nowhere", NOARGS), STORE_ERROR);
	store_rc rc = store_commit(f->s);
	assert_int_equal(rc, f->tdb.pg ? STORE_ERROR : STORE_OK);
	assert_int_equal(count_people(f), before + (f->tdb.pg ? 0 : 1));
	testdb_run(f->s, f->a, "DELETE FROM person WHERE email = $1", ARGS(ARG_TEXT("half@example.org")));
}

static void test_changes(void **state)
{
	fixture *f = *state;
	testdb_run(f->s, f->a, "UPDATE probe SET t = t WHERE k IN ($1, $2, $3)",
		   ARGS(ARG_INT(1), ARG_INT(2), ARG_INT(3)));
	assert_int_equal(store_changes(f->s), 3);
	/* A SELECT leaves the count of the last write alone. */
	testdb_run(f->s, f->a, "SELECT COUNT(*) FROM probe", NOARGS);
	assert_int_equal(store_changes(f->s), 3);
	testdb_run(f->s, f->a, "DELETE FROM probe WHERE k = $1", ARGS(ARG_INT(12345)));
	assert_int_equal(store_changes(f->s), 0);
	testdb_run(f->s, f->a, "DELETE FROM probe WHERE k >= $1", ARGS(ARG_INT(4)));
	assert_int_equal(store_changes(f->s), 2);
}

/* ---- statement cache ---- */

/* PostgreSQL shows its session's prepared statements; the cache must keep
 * that bounded. SQLite offers no such view from outside. */
static void assert_server_statements_bounded(fixture *f)
{
	if (!f->tdb.pg) return;
	int64_t n = testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM pg_prepared_statements", NOARGS);
	assert_true(n >= 1);
	assert_true(n <= 128);
}

static void test_cache_reuse(void **state)
{
	fixture *f = *state;
	for (int64_t i = 0; i < 1000; i++) {
		store_rows r;
		arena *a = arena_new();
		assert_int_equal(store_query(f->s, a, "SELECT CAST($1 AS BIGINT) * 2, $2",
					     ARGS(ARG_INT(i), ARG_TEXT("x")), &r),
				 STORE_OK);
		assert_int_equal(rows_int(&r, 0, 0), i * 2);
		assert_string_equal(rows_get(&r, 0, 1), "x");
		arena_free(a);
	}
	assert_server_statements_bounded(f);
}

static void test_cache_many_statements(void **state)
{
	fixture *f = *state;
	enum { DISTINCT = 300 };
	char sql[96];
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < DISTINCT; i++) {
			/* Test-only SQL text from a loop counter, never from input. */
			snprintf(sql, sizeof sql, "SELECT CAST($1 AS BIGINT) + %d", i);
			assert_int_equal(testdb_scalar(f->s, f->a, sql, ARGS(ARG_INT(round))), round + i);
		}
	}
	assert_server_statements_bounded(f);
}

/* ---- operations ---- */

static void test_ping(void **state)
{
	fixture *f = *state;
	assert_int_equal(store_ping(f->s), STORE_OK);
}

static void test_backup(void **state)
{
	fixture *f = *state;
	char err[512] = "", file[PATH_MAX];
	if (f->tdb.pg) {
		assert_int_equal(store_backup(f->s, "/tmp/never-written.db", err, sizeof err), STORE_ERROR);
		assert_non_null(strstr(err, "pg_dump"));
		assert_non_null(strstr(store_errmsg(f->s), "pg_dump"));
		return;
	}
	snprintf(file, sizeof file, "%s/backup.db", f->tdb.dir);
	if (store_backup(f->s, file, err, sizeof err) != STORE_OK) fail_msg("backup: %s", err);
	store *copy;
	if (store_open(file, &copy, err, sizeof err) != STORE_OK) fail_msg("open copy: %s", err);
	store_rows r = testdb_run(copy, f->a, "SELECT COUNT(*) FROM person", NOARGS);
	assert_int_equal(rows_int(&r, 0, 0), count_people(f));
	assert_int_equal(store_schema_version(copy), store_schema_version(f->s));
	store_close(copy);
	/* Never over an existing file. */
	assert_int_equal(store_backup(f->s, file, err, sizeof err), STORE_ERROR);
	assert_non_null(strstr(err, "already exists"));
}

/* An acknowledged write is on disk: each connection the store opens to a
 * SQLite file syncs the WAL at every commit (synchronous FULL is 2; NORMAL,
 * 1, would sync only at checkpoints). A second connection is checked as
 * well, as each server thread and command opens its own. */
static void test_commits_are_synced(void **state)
{
	fixture *f = *state;
	char err[256] = "";
	if (f->tdb.pg) skip(); /* the server decides when a commit is flushed */
	assert_string_equal(testdb_scalar_text(f->s, f->a, "PRAGMA journal_mode", NOARGS), "wal");
	assert_int_equal(testdb_scalar(f->s, f->a, "PRAGMA synchronous", NOARGS), 2);
	store *other;
	if (store_open(f->tdb.dsn, &other, err, sizeof err) != STORE_OK) fail_msg("open: %s", err);
	assert_int_equal(testdb_scalar(other, f->a, "PRAGMA synchronous", NOARGS), 2);
	store_close(other);
}

static int64_t backend_pid(fixture *f)
{
	return testdb_scalar(f->s, f->a, "SELECT pg_backend_pid()", NOARGS);
}

/* Kills f's server session from a second connection, as a restart or an
 * idle-timeout would, and waits until it is gone. */
static void kill_session(fixture *f)
{
	char err[256] = "";
	store *admin;
	if (store_open(f->tdb.dsn, &admin, err, sizeof err) != STORE_OK) fail_msg("open: %s", err);
	store_rows r = testdb_run(admin, f->a, "SELECT pg_terminate_backend(CAST($1 AS INTEGER), 5000)",
				  ARGS(ARG_INT(backend_pid(f))));
	assert_string_equal(rows_get(&r, 0, 0), "t");
	store_close(admin);
}

static void test_reconnect(void **state)
{
	fixture *f = *state;
	if (!f->tdb.pg) skip(); /* a file has no connection to lose */
	int64_t pid = backend_pid(f);
	kill_session(f);
	/* Outside a transaction the next query reconnects and succeeds,
	 * including a statement that had been prepared on the old session. */
	assert_true(backend_pid(f) != pid);
	store_rows r =
		testdb_run(f->s, f->a, "SELECT CAST($1 AS BIGINT) * 2, $2", ARGS(ARG_INT(21), ARG_TEXT("y")));
	assert_int_equal(rows_int(&r, 0, 0), 42);
	/* Inside one, the query fails (the work is gone), rollback is fine
	 * and the store is usable again. */
	assert_int_equal(store_begin(f->s), STORE_OK);
	kill_session(f);
	assert_int_equal(attempt(f, "SELECT 1", NOARGS), STORE_ERROR);
	assert_one_line(f->s);
	assert_int_equal(store_rollback(f->s), STORE_OK);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT 1", NOARGS), 1);
	/* ping reconnects too. */
	kill_session(f);
	assert_int_equal(store_ping(f->s), STORE_OK);
	/* A write that dies on the way is reported, never sent again: the
	 * server may already have committed it when the connection went. */
	kill_session(f);
	assert_int_equal(attempt(f, "CREATE TABLE lost_write (x BIGINT)", NOARGS), STORE_ERROR);
	assert_one_line(f->s);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT COUNT(*) FROM information_schema.tables "
				       "WHERE table_name = 'lost_write'",
				       NOARGS),
			 0);
}

/* ---- fixtures ---- */

TESTDB_GROUP_FIXTURES("test_store", "store", false)

static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_test, teardown_test)

int main(void)
{
	/* Order matters: later cases build on the schema and rows of earlier. */
	const struct CMUnitTest tests[] = {
		T(test_migrate_from_empty),
		T(test_migrate_again_is_noop),
		T(test_migrate_refuses_newer_schema),
		T(test_bind_every_type),
		T(test_bound_text_is_only_data),
		T(test_bad_calls_are_errors),
		T(test_returning_id),
		T(test_constraints),
		T(test_rollback_leaves_nothing),
		T(test_commit_persists),
		T(test_error_inside_transaction),
		T(test_changes),
		T(test_cache_reuse),
		T(test_cache_many_statements),
		T(test_ping),
		T(test_backup),
		T(test_commits_are_synced),
		T(test_reconnect),
	};
	return TESTDB_RUN_GROUPS("store", "store", tests);
}
