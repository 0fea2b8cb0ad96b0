/* The databases unit tests run on: a SQLite file in a scratch directory, or
 * a PostgreSQL database of their own on the server $COACHD_TEST_PG names;
 * and what every store test does with them: run a statement or read one
 * value (failing the test when the store refuses), empty tables between
 * cases, open and drop a group's database, run a group on both. */
#ifndef COACHD_TESTDB_H
#define COACHD_TESTDB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/util.h"
#include "store/store.h"

/* A statement's arguments as store_query takes them: ARGS(ARG_INT(id),
 * ARG_TEXT(name)) is the array and its length; NOARGS is none. */
#define ARGS(...) (sql_arg[]){__VA_ARGS__}, (sizeof((sql_arg[]){__VA_ARGS__}) / sizeof(sql_arg))
#define NOARGS NULL, 0

/* A scratch directory $TMPDIR/coachd-NAME-XXXXXX (TMPDIR: /tmp when unset). */
static inline int testdb_scratch_dir(char *dir, size_t n, const char *name)
{
	snprintf(dir, n, "%s/coachd-%s-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
	return mkdtemp(dir) ? 0 : -1;
}

/* Removes dir with everything in it. */
static inline void testdb_remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
		char path[PATH_MAX];
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) continue;
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) testdb_remove_tree(path);
		else unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* The URL of database db on the server of url (path replaced, query kept). */
static inline bool testdb_url_with_db(const char *url, const char *db, char *out, size_t n)
{
	const char *host = strstr(url, "://");
	if (!host) return false;
	const char *slash = strchr(host + 3, '/'), *query = strchr(host + 3, '?');
	if (query && slash && slash > query) slash = NULL;
	size_t keep = slash ? (size_t)(slash - url) : query ? (size_t)(query - url) : strlen(url);
	return (size_t)snprintf(out, n, "%.*s/%s%s", (int)keep, url, db, query ? query : "") < n;
}

/* $COACHD_TEST_PG, or NULL with a failure said: these PostgreSQL tests are
 * never skipped. who names the test program in messages. */
static inline const char *testdb_pg_url(const char *who)
{
	const char *url = getenv("COACHD_TEST_PG");
	if (url && *url) return url;
	fprintf(stderr,
		"%s: FAIL: COACHD_TEST_PG is not set; the PostgreSQL tests need it "
		"(url=$(scripts/pg-test-cluster start DIR)). They are never skipped.\n",
		who);
	return NULL;
}

/* The connection to $COACHD_TEST_PG that makes and drops our databases;
 * NULL when it is unset or cannot be opened (said on stderr). */
static inline store *testdb_pg_admin(const char *who)
{
	const char *url = testdb_pg_url(who);
	if (!url) return NULL;
	char err[512] = "";
	store *admin;
	if (store_open(url, &admin, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "%s: cannot open COACHD_TEST_PG=%s: %s\n", who, url, err);
		return NULL;
	}
	return admin;
}

/* Drops database db if it is there: the statement, made of our own name. */
static inline void testdb_pg_drop_sql(const char *db, char *drop, size_t n)
{
	snprintf(drop, n, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
}

/* Makes database db afresh through admin (dropping one left by an earlier
 * run) and writes its URL to dsn. Identifiers cannot be bound: callers
 * make db from their own name, pid and counters only. */
static inline int testdb_pg_create(const char *who, store *admin, const char *db, char *dsn, size_t n)
{
	char drop[160], create[160];
	testdb_pg_drop_sql(db, drop, sizeof drop);
	snprintf(create, sizeof create, "CREATE DATABASE %s", db);
	arena *a = arena_new();
	store_rc rc = store_query(admin, a, drop, NULL, 0, NULL);
	if (rc == STORE_OK) rc = store_query(admin, a, create, NULL, 0, NULL);
	if (rc != STORE_OK) fprintf(stderr, "%s: %s: %s\n", who, create, store_errmsg(admin));
	arena_free(a);
	if (rc != STORE_OK || !testdb_url_with_db(getenv("COACHD_TEST_PG"), db, dsn, n)) return -1;
	return 0;
}

/* Drops database db through admin; a failure is said, not fatal. */
static inline void testdb_pg_drop(const char *who, store *admin, const char *db)
{
	char drop[160];
	testdb_pg_drop_sql(db, drop, sizeof drop);
	arena *a = arena_new();
	if (store_query(admin, a, drop, NULL, 0, NULL) != STORE_OK)
		fprintf(stderr, "%s: %s: %s\n", who, drop, store_errmsg(admin));
	arena_free(a);
}

/* For tests that give each case a schema of its own: $COACHD_TEST_PG with
 * the schema as search_path, so every connection (a CLI's too) lands in
 * it; malloc'ed, NULL when COACHD_TEST_PG is unset. */
static inline char *testdb_pg_schema_dsn(const char *schema)
{
	const char *url = getenv("COACHD_TEST_PG");
	if (!url || !*url) return NULL;
	size_t n = strlen(url) + 64;
	char *dsn = malloc(n);
	snprintf(dsn, n, "%s%coptions=-csearch_path%%3D%s", url, strchr(url, '?') ? '&' : '?', schema);
	return dsn;
}

/* Drops schema (with all in it) and makes it again, empty. */
static inline bool testdb_pg_fresh_schema(store *s, arena *a, const char *schema)
{
	char drop[96], create[96];
	snprintf(drop, sizeof drop, "DROP SCHEMA IF EXISTS %s CASCADE", schema);
	snprintf(create, sizeof create, "CREATE SCHEMA %s", schema);
	return store_query(s, a, drop, NULL, 0, NULL) == STORE_OK &&
		store_query(s, a, create, NULL, 0, NULL) == STORE_OK;
}

/* The database one test program runs a group on: a SQLite file in a
 * scratch directory, or a PostgreSQL database of its own, made fresh, so
 * runs and other programs sharing the cluster never see each other's rows.
 * who names the program in messages; name makes the directory and
 * database names. */
typedef struct testdb {
	bool pg;
	char dsn[1024]; /* file path or URL */
	char dir[256];  /* SQLite: the temporary directory */
	store *admin;   /* PostgreSQL: the connection that made (and drops) the db */
	char db[64];    /* PostgreSQL: the database */
} testdb;

static inline int testdb_open_store(testdb *t, const char *who, bool migrate, store **s)
{
	char err[512] = "";
	if (store_open(t->dsn, s, err, sizeof err) != STORE_OK ||
	    (migrate && store_migrate(*s, err, sizeof err) != STORE_OK)) {
		fprintf(stderr, "%s: %s: %s\n", who, t->dsn, err);
		return -1;
	}
	return 0;
}

static inline int testdb_open_sqlite(testdb *t, const char *who, const char *name, bool migrate, store **s)
{
	*t = (testdb){0};
	if (testdb_scratch_dir(t->dir, sizeof t->dir, name) != 0) return -1;
	snprintf(t->dsn, sizeof t->dsn, "%s/test.db", t->dir);
	return testdb_open_store(t, who, migrate, s);
}

static inline int testdb_open_pg(testdb *t, const char *who, const char *name, bool migrate, store **s)
{
	*t = (testdb){.pg = true};
	if (!(t->admin = testdb_pg_admin(who))) return -1;
	snprintf(t->db, sizeof t->db, "coachd_%s_%ld", name, (long)getpid());
	if (testdb_pg_create(who, t->admin, t->db, t->dsn, sizeof t->dsn) != 0) return -1;
	return testdb_open_store(t, who, migrate, s);
}

static inline int testdb_open(testdb *t, const char *who, const char *name, bool migrate, bool pg, store **s)
{
	return pg ? testdb_open_pg(t, who, name, migrate, s) : testdb_open_sqlite(t, who, name, migrate, s);
}

/* For a test case with a database of its own: a scratch directory
 * $TMPDIR/coachd-NAME-XXXXXX (the SQLite file test.db is in it; a test may
 * keep other files there too) and, under PostgreSQL, the schema of
 * $COACHD_TEST_PG made afresh (see testdb_pg_schema_dsn); migrated. t->dsn
 * is what store_open was given (a CLI under test may open it too). */
static inline int testdb_open_schema(testdb *t, const char *who, const char *name, const char *schema,
				     bool pg, arena *a, store **s)
{
	*t = (testdb){.pg = pg};
	if (testdb_scratch_dir(t->dir, sizeof t->dir, name) != 0) return -1;
	if (pg) {
		char *dsn = testdb_pg_schema_dsn(schema);
		if (!dsn) return -1;
		snprintf(t->dsn, sizeof t->dsn, "%s", dsn);
		free(dsn);
	} else {
		snprintf(t->dsn, sizeof t->dsn, "%s/test.db", t->dir);
	}
	if (testdb_open_store(t, who, false, s) != 0) return -1;
	if (pg && !testdb_pg_fresh_schema(*s, a, schema)) {
		fprintf(stderr, "%s: schema %s: %s\n", who, schema, store_errmsg(*s));
		return -1;
	}
	char err[512] = "";
	if (store_migrate(*s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "%s: %s: %s\n", who, t->dsn, err);
		return -1;
	}
	return 0;
}

/* Closes s and removes what the open made (safe after a failed open). */
static inline void testdb_close(testdb *t, const char *who, store *s)
{
	store_close(s);
	if (t->dir[0]) testdb_remove_tree(t->dir);
	if (t->admin) {
		testdb_pg_drop(who, t->admin, t->db);
		store_close(t->admin);
	}
}

/* ---- in a test: a failure of the store fails the test ---- */

/* Runs sql; a refusal fails the test with the statement and the store's
 * message. */
static inline store_rows testdb_run(store *s, arena *a, const char *sql, const sql_arg *args, size_t n)
{
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, n, &r);
	if (rc != STORE_OK) fail_msg("%s: rc %d: %s", sql, rc, store_errmsg(s));
	return r;
}

/* The one value (one row, one column) sql answers, as an integer. */
static inline int64_t testdb_scalar(store *s, arena *a, const char *sql, const sql_arg *args, size_t n)
{
	store_rows r = testdb_run(s, a, sql, args, n);
	assert_int_equal(r.nrows, 1);
	assert_int_equal(r.ncols, 1);
	return rows_int(&r, 0, 0);
}

/* The one value (one row, one column) sql answers, as text (NULL: SQL NULL). */
static inline const char *testdb_scalar_text(store *s, arena *a, const char *sql, const sql_arg *args,
					     size_t n)
{
	store_rows r = testdb_run(s, a, sql, args, n);
	assert_int_equal(r.nrows, 1);
	assert_int_equal(r.ncols, 1);
	return rows_get(&r, 0, 0);
}

/* Runs each of n statements in order (a case's clearing of the last case's
 * rows, children before parents). */
static inline void testdb_run_each(store *s, arena *a, const char *const *sql, size_t n)
{
	for (size_t i = 0; i < n; i++) testdb_run(s, a, sql[i], NULL, 0);
}

/* ---- a program that runs its cases on SQLite and again on PostgreSQL ---- */

/* Group fixtures for a program whose type `fixture` has the members
 * store *s, arena *a and testdb tdb: defines setup_sqlite and setup_pg
 * (the group's own database, made fresh, migrated when migrate is true),
 * teardown_group (closes and drops it) and teardown_test (frees the case's
 * arena a, which the program's setup_test makes). who names the program
 * in messages; name makes the names of the scratch directory and the
 * database. Written at file scope, without a semicolon after. */
#define TESTDB_GROUP_FIXTURES(who, name, migrate) \
	static fixture testdb_group_fixture; \
	static int testdb_setup_group(void **state, bool pg) \
	{ \
		testdb_group_fixture = (fixture){0}; \
		*state = &testdb_group_fixture; \
		return testdb_open(&testdb_group_fixture.tdb, who, name, migrate, pg, \
				   &testdb_group_fixture.s); \
	} \
	static int setup_sqlite(void **state) \
	{ \
		return testdb_setup_group(state, false); \
	} \
	static int setup_pg(void **state) \
	{ \
		return testdb_setup_group(state, true); \
	} \
	static int teardown_group(void **state) \
	{ \
		fixture *group = *state; \
		if (group) testdb_close(&group->tdb, who, group->s); \
		return 0; \
	} \
	static int teardown_test(void **state) \
	{ \
		fixture *one = *state; \
		arena_free(one->a); \
		one->a = NULL; \
		return 0; \
	}

/* In main: runs tests as group NAME_sqlite with setup_sqlite, then as
 * NAME_postgres with setup_pg (teardown_group after each), each preceded
 * by a line saying which backend runs (cmocka 1.1 prints no group names);
 * 1 when a case failed, else 0. label says what is tested ("walk store"). */
#define TESTDB_RUN_GROUPS(label, name, tests) \
	testdb_run_groups(label, name "_sqlite", name "_postgres", tests, COUNT_OF(tests), setup_sqlite, \
			  setup_pg, teardown_group)

static inline int testdb_run_groups(const char *label, const char *sqlite_name, const char *pg_name,
				    const struct CMUnitTest *tests, size_t n, CMFixtureFunction setup_sqlite,
				    CMFixtureFunction setup_pg, CMFixtureFunction teardown)
{
	printf("[----------] %s on SQLite\n", label);
	int failed = _cmocka_run_group_tests(sqlite_name, tests, n, setup_sqlite, teardown);
	printf("[----------] %s on PostgreSQL\n", label);
	failed += _cmocka_run_group_tests(pg_name, tests, n, setup_pg, teardown);
	return failed ? 1 : 0;
}

#endif
