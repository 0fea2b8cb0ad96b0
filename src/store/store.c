/* The store's common half: backend dispatch, migrations, row accessors and
 * the prepared-statement cache. Backend specifics live in sqlite.c and
 * postgres.c behind the store_ops vtable (backend.h). */
#include "backend.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/util.h"
#include "migrations.h"

/* Any constant works; it only has to be the same for every coachd. */
enum { MIGRATION_LOCK_KEY = 0x636f6163 };

bool store_dsn_is_postgres(const char *dsn)
{
	return str_starts(dsn, "postgres://") || str_starts(dsn, "postgresql://");
}

store_rc store_open(const char *dsn, store **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!dsn || !*dsn) {
		store_copy_err("store: empty database name", err, errlen);
		return STORE_ERROR;
	}
	if (store_dsn_is_postgres(dsn)) return pg_open(dsn, out, err, errlen);
	return sqlite_open(dsn, out, err, errlen);
}

void store_close(store *s)
{
	if (s) s->ops->close(s);
}

store_kind store_kind_of(const store *s)
{
	return s->kind;
}

const char *store_errmsg(store *s)
{
	return s->errmsg;
}

/* Caller mistakes caught once here rather than differently per backend. */
static store_rc check_call(store *s, const arena *a, const char *sql, const sql_arg *args, size_t nargs,
			   const store_rows *out)
{
	if (!sql) {
		store_set_err(s, "store_query: no SQL");
		return STORE_ERROR;
	}
	if (out && !a) {
		store_set_err(s, "store_query: rows wanted but no arena given");
		return STORE_ERROR;
	}
	if (nargs > 0 && !args) {
		store_set_err(s, "store_query: %zu arguments but no array", nargs);
		return STORE_ERROR;
	}
	for (size_t i = 0; i < nargs; i++) {
		if ((int)args[i].type < (int)SQL_NULL || (int)args[i].type > (int)SQL_TEXT) {
			store_set_err(s, "store_query: argument $%zu has no valid type", i + 1);
			return STORE_ERROR;
		}
	}
	return STORE_OK;
}

store_rc store_query(store *s, arena *a, const char *sql, const sql_arg *args, size_t nargs, store_rows *out)
{
	if (out) *out = (store_rows){0, 0, NULL};
	store_rc rc = check_call(s, a, sql, args, nargs, out);
	if (rc != STORE_OK) return rc;
	return s->ops->query(s, a, sql, args, nargs, out);
}

int64_t store_changes(store *s)
{
	return s->ops->changes(s);
}

store_rc store_begin(store *s)
{
	return s->ops->begin(s);
}

store_rc store_commit(store *s)
{
	return s->ops->commit(s);
}

store_rc store_rollback(store *s)
{
	return s->ops->rollback(s);
}

store_rc store_backup(store *s, const char *file, char *err, size_t errlen)
{
	return s->ops->backup(s, file, err, errlen);
}

store_rc store_ping(store *s)
{
	/* Through the normal query path, which is where PostgreSQL reconnects. */
	arena *a = arena_new();
	store_rows r;
	store_rc rc = store_query(s, a, "SELECT 1", NULL, 0, &r);
	if (rc == STORE_OK && (r.nrows != 1 || !str_eq(rows_get(&r, 0, 0), "1"))) {
		store_set_err(s, "ping: unexpected answer to SELECT 1");
		rc = STORE_ERROR;
	}
	arena_free(a);
	return rc;
}

const char *rows_get(const store_rows *r, size_t row, size_t col)
{
	if (!ALWAYS(r && row < r->nrows && col < r->ncols)) return NULL;
	return r->cells[row * r->ncols + col];
}

int64_t rows_int(const store_rows *r, size_t row, size_t col)
{
	int64_t v;
	if (!parse_i64(rows_get(r, row, col), INT64_MIN, INT64_MAX, &v)) return 0;
	return v;
}

/* ---- errors and formatting shared by the backends ---- */

/* One line, so a message can go straight into a log line or a header. */
static void flatten(char *m)
{
	char *w = m;
	for (const char *p = m; *p; p++) {
		char c = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
		if (c == ' ' && (w == m || w[-1] == ' ')) continue;
		*w++ = c;
	}
	while (w > m && w[-1] == ' ') w--;
	*w = 0;
}

void store_set_err(store *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof s->errmsg, fmt, ap);
	va_end(ap);
	flatten(s->errmsg);
}

void store_copy_err(const char *msg, char *err, size_t errlen)
{
	if (!err || errlen == 0) return;
	snprintf(err, errlen, "%s", msg);
	flatten(err);
}

void store_fmt_real(char *out, size_t n, double v)
{
	if (isnan(v)) {
		snprintf(out, n, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(out, n, v > 0 ? "Infinity" : "-Infinity");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, v);
		if (strtod(out, NULL) == v) return;
	}
}

/* ---- prepared-statement cache ---- */

/* FNV-1a: cheap, and a collision only costs one strcmp. */
static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static stmt_entry *cache_find(stmt_cache *c, const char *sql)
{
	uint64_t h = sql_hash(sql);
	for (size_t i = 0; i < STMT_CACHE_MAX; i++) {
		stmt_entry *e = &c->e[i];
		if (e->sql && e->hash == h && strcmp(e->sql, sql) == 0) return e;
	}
	return NULL;
}

void *stmt_cache_get(stmt_cache *c, const char *sql)
{
	stmt_entry *e = cache_find(c, sql);
	if (!e) return NULL;
	e->used = ++c->tick;
	return e->handle;
}

static void entry_drop(stmt_entry *e, stmt_drop_fn drop, void *ctx)
{
	drop(ctx, e->handle);
	free(e->sql);
	*e = (stmt_entry){0};
}

/* A free slot, or else the least recently used one, emptied. */
static stmt_entry *cache_slot(stmt_cache *c, stmt_drop_fn drop, void *ctx)
{
	stmt_entry *victim = &c->e[0];
	for (size_t i = 0; i < STMT_CACHE_MAX; i++) {
		if (!c->e[i].sql) return &c->e[i];
		if (c->e[i].used < victim->used) victim = &c->e[i];
	}
	entry_drop(victim, drop, ctx);
	return victim;
}

void stmt_cache_put(stmt_cache *c, const char *sql, void *handle, stmt_drop_fn drop, void *ctx)
{
	stmt_entry *e = cache_slot(c, drop, ctx);
	e->sql = strdup(sql);
	if (!e->sql) {
		/* Same policy as the arena: no memory, no sensible answer. */
		fprintf(stderr, "coachd: out of memory caching a statement\n");
		abort();
	}
	e->hash = sql_hash(sql);
	e->handle = handle;
	e->used = ++c->tick;
}

void stmt_cache_remove(stmt_cache *c, const char *sql, stmt_drop_fn drop, void *ctx)
{
	stmt_entry *e = cache_find(c, sql);
	if (e) entry_drop(e, drop, ctx);
}

void stmt_cache_clear(stmt_cache *c, stmt_drop_fn drop, void *ctx)
{
	for (size_t i = 0; i < STMT_CACHE_MAX; i++)
		if (c->e[i].sql) entry_drop(&c->e[i], drop, ctx);
}

/* ---- migrations ---- */

static const char *id_type(const store *s)
{
	return s->kind == STORE_POSTGRES ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
					 : "INTEGER PRIMARY KEY";
}

/* The migration text with every @ID@ replaced by this dialect's key. */
static char *expand_ids(const store *s, arena *a, const char *sql)
{
	buf b = BUF_INIT;
	const char *p = sql, *hit;
	while ((hit = strstr(p, "@ID@")) != NULL) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_puts(&b, id_type(s));
		p = hit + 4;
	}
	buf_puts(&b, p);
	char *out = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

/* Two files with the same number (say, two branches each adding 002_)
 * would make "version > max applied" skip one of them silently. */
static store_rc check_list(store *s, const migration *m, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (m[i].version <= m[i - 1].version) {
			store_set_err(s,
				      "migrations %s and %s are not in strictly increasing "
				      "version order",
				      m[i - 1].name, m[i].name);
			return STORE_ERROR;
		}
	}
	return STORE_OK;
}

/* Serialises concurrent migrators: SQLite's BEGIN IMMEDIATE already takes
 * the write lock; PostgreSQL needs an explicit lock held to commit. */
static store_rc migrate_lock(store *s, arena *a)
{
	if (s->kind != STORE_POSTGRES) return STORE_OK;
	sql_arg key = ARG_INT(MIGRATION_LOCK_KEY);
	return store_query(s, a, "SELECT pg_advisory_xact_lock(CAST($1 AS BIGINT))", &key, 1, NULL);
}

static store_rc applied_max(store *s, arena *a, int *out)
{
	store_rc rc = store_query(s, a,
				  "CREATE TABLE IF NOT EXISTS schema_migration ("
				  "version BIGINT PRIMARY KEY, name TEXT NOT NULL, "
				  "applied_at BIGINT NOT NULL)",
				  NULL, 0, NULL);
	if (rc != STORE_OK) return rc;
	store_rows r;
	rc = store_query(s, a, "SELECT COALESCE(MAX(version), 0) FROM schema_migration", NULL, 0, &r);
	if (rc == STORE_OK) *out = (int)rows_int(&r, 0, 0);
	return rc;
}

static store_rc apply_one(store *s, arena *a, const migration *m)
{
	store_rc rc = s->ops->exec_script(s, expand_ids(s, a, m->sql));
	if (rc != STORE_OK) {
		char why[sizeof s->errmsg];
		snprintf(why, sizeof why, "%s", s->errmsg);
		store_set_err(s, "migration %s: %s", m->name, why);
		return rc;
	}
	sql_arg args[] = {ARG_INT(m->version), ARG_TEXT(m->name), ARG_INT(now_unix())};
	return store_query(s, a,
			   "INSERT INTO schema_migration (version, name, applied_at) "
			   "VALUES ($1, $2, $3)",
			   args, COUNT_OF(args), NULL);
}

static store_rc migrate_in_tx(store *s, arena *a, const migration *m, size_t n)
{
	int cur = 0;
	store_rc rc = migrate_lock(s, a);
	if (rc == STORE_OK) rc = applied_max(s, a, &cur);
	if (rc != STORE_OK) return rc;
	if (n > 0 && cur > m[n - 1].version) {
		/* An older binary must not run against a schema it does not know. */
		store_set_err(s,
			      "database schema version %d is newer than this "
			      "binary's (%d)",
			      cur, m[n - 1].version);
		return STORE_ERROR;
	}
	for (size_t i = 0; i < n && rc == STORE_OK; i++)
		if (m[i].version > cur) rc = apply_one(s, a, &m[i]);
	return rc;
}

store_rc store_migrate(store *s, char *err, size_t errlen)
{
	size_t n;
	const migration *m = migration_list(&n);
	store_rc rc = check_list(s, m, n);
	if (rc == STORE_OK) rc = store_begin(s);
	if (rc != STORE_OK) {
		store_copy_err(s->errmsg, err, errlen);
		return rc;
	}
	arena *a = arena_new();
	rc = migrate_in_tx(s, a, m, n);
	arena_free(a);
	if (rc == STORE_OK) rc = store_commit(s);
	if (rc != STORE_OK) {
		/* Keep the reason: the rollback would overwrite it. */
		char why[sizeof s->errmsg];
		snprintf(why, sizeof why, "%s", s->errmsg);
		store_rollback(s);
		snprintf(s->errmsg, sizeof s->errmsg, "%s", why);
		store_copy_err(why, err, errlen);
	}
	return rc;
}

/* Whether schema_migration exists, asked without touching it: on
 * PostgreSQL a failed query would abort an enclosing transaction. */
static store_rc has_migration_table(store *s, arena *a, bool *out)
{
	const char *sql = s->kind == STORE_POSTGRES
		? "SELECT 1 FROM information_schema.tables "
		  "WHERE table_schema = current_schema() AND table_name = $1"
		: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1";
	sql_arg name = ARG_TEXT("schema_migration");
	store_rows r;
	store_rc rc = store_query(s, a, sql, &name, 1, &r);
	*out = rc == STORE_OK && r.nrows > 0;
	return rc;
}

int store_schema_version(store *s)
{
	arena *a = arena_new();
	bool exists = false;
	int v = -1;
	store_rows r;
	if (has_migration_table(s, a, &exists) == STORE_OK) {
		if (!exists) v = 0;
		else if (store_query(s, a,
				     "SELECT COALESCE(MAX(version), 0) "
				     "FROM schema_migration",
				     NULL, 0, &r) == STORE_OK)
			v = (int)rows_int(&r, 0, 0);
	}
	arena_free(a);
	return v;
}
