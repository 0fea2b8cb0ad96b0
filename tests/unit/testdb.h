/* The databases unit tests run on: a SQLite file in a scratch directory, or
 * a PostgreSQL database of their own on the server $COACHD_TEST_PG names. */
#ifndef COACHD_TESTDB_H
#define COACHD_TESTDB_H

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "store/store.h"

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
	fprintf(stderr, "%s: FAIL: COACHD_TEST_PG is not set; the PostgreSQL tests need it "
			"(url=$(scripts/pg-test-cluster start DIR)). They are never skipped.\n", who);
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
static inline int testdb_pg_create(const char *who, store *admin, const char *db, char *dsn,
				   size_t n)
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
	snprintf(dsn, n, "%s%coptions=-csearch_path%%3D%s", url, strchr(url, '?') ? '&' : '?',
		 schema);
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
	char dsn[1024];  /* file path or URL */
	char dir[256];   /* SQLite: the temporary directory */
	store *admin;    /* PostgreSQL: the connection that made (and drops) the db */
	char db[64];     /* PostgreSQL: the database */
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

static inline int testdb_open_sqlite(testdb *t, const char *who, const char *name, bool migrate,
				     store **s)
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

/* Closes s and removes what the open made (safe after a failed open). */
static inline void testdb_close(testdb *t, const char *who, store *s)
{
	store_close(s);
	if (!t->pg && t->dir[0]) testdb_remove_tree(t->dir);
	if (t->admin) {
		testdb_pg_drop(who, t->admin, t->db);
		store_close(t->admin);
	}
}

#endif
