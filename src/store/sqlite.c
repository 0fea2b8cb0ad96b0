/* SQLite backend: one connection per store (NOMUTEX; one store per thread),
 * WAL mode, a bounded prepared-statement cache, online backup. */
#include "backend.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"

typedef struct sqlite_store {
	store base; /* first: a store * is a sqlite_store * */
	sqlite3 *db;
	stmt_cache cache;
} sqlite_store;

enum { BUSY_TIMEOUT_MS = 5000, BACKUP_RETRIES = 100 };

static store_rc map_rc(int rc)
{
	switch (rc & 0xff) { /* extended codes carry the primary in the low byte */
	case SQLITE_CONSTRAINT: return STORE_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return STORE_BUSY;
	default: return STORE_ERROR;
	}
}

static store_rc fail(sqlite_store *q, int rc)
{
	store_set_err(&q->base, "%s", sqlite3_errmsg(q->db));
	return map_rc(rc);
}

static void finalize_stmt(void *ctx, void *handle)
{
	(void)ctx;
	sqlite3_finalize(handle);
}

/* ---- statements ---- */

static bool only_space(const char *p)
{
	for (; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') return false;
	return true;
}

static store_rc prepare(sqlite_store *q, const char *sql, sqlite3_stmt **out)
{
	*out = stmt_cache_get(&q->cache, sql);
	if (*out) return STORE_OK;
	const char *tail = NULL;
	int rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, &tail);
	if (rc != SQLITE_OK) return fail(q, rc);
	if (!*out || !only_space(tail)) {
		/* SQLite would silently ignore the rest; PostgreSQL refuses it. */
		store_set_err(&q->base,
			      *out ? "store_query takes exactly one statement" : "no statement to run");
		sqlite3_finalize(*out);
		*out = NULL;
		return STORE_ERROR;
	}
	stmt_cache_put(&q->cache, sql, *out, finalize_stmt, q);
	return STORE_OK;
}

static int bind_one(sqlite3_stmt *st, int idx, const sql_arg *a)
{
	switch (a->type) {
	case SQL_INT: return sqlite3_bind_int64(st, idx, a->i);
	case SQL_REAL: return sqlite3_bind_double(st, idx, a->r);
	/* STATIC is safe: bindings are cleared before store_query returns. */
	case SQL_TEXT:
		if (a->s) return sqlite3_bind_text(st, idx, a->s, -1, SQLITE_STATIC);
		return sqlite3_bind_null(st, idx);
	case SQL_NULL: return sqlite3_bind_null(st, idx);
	}
	return SQLITE_MISUSE;
}

/* Exactly $1..$N, as PostgreSQL demands, so a mismatch fails here too. */
static store_rc bind_all(sqlite_store *q, sqlite3_stmt *st, const sql_arg *args, size_t nargs)
{
	int count = sqlite3_bind_parameter_count(st);
	if (count < 0 || (size_t)count != nargs) {
		store_set_err(&q->base,
			      "statement has %d parameters but %zu arguments "
			      "were given",
			      count, nargs);
		return STORE_ERROR;
	}
	for (size_t i = 0; i < nargs; i++) {
		char name[24];
		snprintf(name, sizeof name, "$%zu", i + 1);
		int idx = sqlite3_bind_parameter_index(st, name);
		if (idx == 0) {
			store_set_err(&q->base,
				      "parameter %s is not in the statement "
				      "(placeholders must be $1..$N)",
				      name);
			return STORE_ERROR;
		}
		int rc = bind_one(st, idx, &args[i]);
		if (rc != SQLITE_OK) return fail(q, rc);
	}
	return STORE_OK;
}

static const char *cell_text(arena *a, sqlite3_stmt *st, int col)
{
	char num[40];
	switch (sqlite3_column_type(st, col)) {
	case SQLITE_NULL: return NULL;
	case SQLITE_INTEGER: return arena_printf(a, "%" PRId64, (int64_t)sqlite3_column_int64(st, col));
	case SQLITE_FLOAT:
		store_fmt_real(num, sizeof num, sqlite3_column_double(st, col));
		return arena_strdup(a, num);
	default: {
		const char *p = (const char *)sqlite3_column_text(st, col);
		int n = sqlite3_column_bytes(st, col);
		return arena_strndup(a, p ? p : "", p ? (size_t)n : 0);
	}
	}
}

/* Cells are gathered in a malloc'd vector (no realloc in an arena) and
 * copied into the arena once the row count is known. */
typedef struct cellvec {
	const char **v;
	size_t n, cap;
} cellvec;

static void cellvec_push(cellvec *c, const char *cell)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = realloc(c->v, c->cap * sizeof *c->v);
		if (!c->v) {
			fprintf(stderr, "coachd: out of memory reading rows\n");
			abort();
		}
	}
	c->v[c->n++] = cell;
}

static store_rc step_all(sqlite_store *q, arena *a, sqlite3_stmt *st, store_rows *out)
{
	int ncols = sqlite3_column_count(st);
	cellvec cv = {0};
	size_t nrows = 0;
	int rc;
	/* Stepped to the end even without out: RETURNING and multi-row writes
	 * only finish on the last step. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		nrows++;
		for (int c = 0; out && c < ncols; c++) cellvec_push(&cv, cell_text(a, st, c));
	}
	if (rc == SQLITE_DONE && out) {
		out->nrows = nrows;
		out->ncols = (size_t)ncols;
		out->cells = arena_calloc(a, cv.n, sizeof *out->cells);
		if (cv.n) memcpy(out->cells, cv.v, cv.n * sizeof *cv.v);
	}
	free(cv.v);
	return rc == SQLITE_DONE ? STORE_OK : fail(q, rc);
}

static store_rc sq_query(store *s, arena *a, const char *sql, const sql_arg *args, size_t nargs,
			 store_rows *out)
{
	sqlite_store *q = (sqlite_store *)s;
	sqlite3_stmt *st;
	store_rc rc = prepare(q, sql, &st);
	if (rc != STORE_OK) return rc;
	rc = bind_all(q, st, args, nargs);
	if (rc == STORE_OK) rc = step_all(q, a, st, out);
	/* Ready for the next use, and no read lock held between calls. */
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static store_rc sq_exec_script(store *s, const char *sql)
{
	sqlite_store *q = (sqlite_store *)s;
	char *msg = NULL;
	int rc = sqlite3_exec(q->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) store_set_err(s, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc == SQLITE_OK ? STORE_OK : map_rc(rc);
}

static int64_t sq_changes(store *s)
{
	return sqlite3_changes64(((sqlite_store *)s)->db);
}

/* ---- transactions ---- */

/* IMMEDIATE takes the write lock up front: a deferred transaction that
 * reads and then writes can hit SQLITE_BUSY without the busy timeout
 * helping, because its snapshot is already stale. */
static store_rc sq_begin(store *s)
{
	return sq_query(s, NULL, "BEGIN IMMEDIATE", NULL, 0, NULL);
}

static store_rc sq_commit(store *s)
{
	return sq_query(s, NULL, "COMMIT", NULL, 0, NULL);
}

/* Without a transaction (or after SQLite ended it itself on an error)
 * there is nothing to undo; PostgreSQL behaves the same. */
static store_rc sq_rollback(store *s)
{
	if (sqlite3_get_autocommit(((sqlite_store *)s)->db)) return STORE_OK;
	return sq_query(s, NULL, "ROLLBACK", NULL, 0, NULL);
}

/* ---- backup ---- */

static int backup_steps(sqlite3_backup *b)
{
	int rc = SQLITE_OK;
	/* Busy only while another connection writes; give it a moment. */
	for (int tries = 0; tries < BACKUP_RETRIES; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
		nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
	}
	int fin = sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? fin : rc;
}

/* Copies every page of the live database into the (empty) file at tmp. */
static bool backup_copy(sqlite_store *q, const char *tmp, const char *file)
{
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	/* The copy's commit syncs its pages whatever the library's default. */
	if (rc == SQLITE_OK) rc = sqlite3_exec(dst, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_backup *b = sqlite3_backup_init(dst, "main", q->db, "main");
		rc = b ? backup_steps(b) : sqlite3_errcode(dst);
	}
	if (rc != SQLITE_OK)
		store_set_err(&q->base, "backup to %s failed: %s", file,
			      dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
	if (sqlite3_close(dst) != SQLITE_OK && rc == SQLITE_OK) {
		store_set_err(&q->base, "backup to %s failed: could not close it", file);
		rc = SQLITE_ERROR;
	}
	return rc == SQLITE_OK;
}

/* Where the copy is written before it is linked into place. */
static bool backup_tmp(sqlite_store *q, const char *file, char *tmp, size_t n)
{
	if ((size_t)snprintf(tmp, n, "%s.tmp-XXXXXX", file) >= n) {
		store_set_err(&q->base, "backup: path too long: %s", file);
		return false;
	}
	int fd = mkstemp(tmp); /* 0600: a backup holds everything */
	if (fd < 0) {
		store_set_err(&q->base, "backup: cannot create %s: %s", tmp, strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

static bool backup_link(sqlite_store *q, const char *tmp, const char *file)
{
	if (link(tmp, file) == 0) return true;
	if (errno == EEXIST)
		store_set_err(&q->base,
			      "backup: %s already exists; refusing to "
			      "overwrite it",
			      file);
	else store_set_err(&q->base, "backup: cannot create %s: %s", file, strerror(errno));
	return false;
}

/* "Backup written" must survive a power cut: the copy's pages were synced
 * by its commit, and syncing the directory makes its new name (and the
 * removal of the copy's rollback journal and temporary name) durable too.
 * EINVAL: the filesystem cannot sync a directory, and keeps no more. */
static bool backup_sync_dir(sqlite_store *q, const char *file)
{
	char dir[4096];
	const char *slash = strrchr(file, '/');
	if (!slash) snprintf(dir, sizeof dir, ".");
	else snprintf(dir, sizeof dir, "%.*s", slash == file ? 1 : (int)(slash - file), file);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int why = fd < 0 ? errno : fsync(fd) == 0 ? 0 : errno;
	if (fd >= 0) close(fd);
	if (why == 0 || why == EINVAL) return true;
	store_set_err(&q->base, "backup: %s is written but %s could not be synced: %s", file, dir,
		      strerror(why));
	return false;
}

/* Written to a temporary file first and then linked into place, so the
 * destination never holds a half-written copy and is never overwritten
 * (link fails with EEXIST where rename would replace). */
static store_rc sq_backup(store *s, const char *file, char *err, size_t errlen)
{
	sqlite_store *q = (sqlite_store *)s;
	struct stat st;
	char tmp[4096];
	bool ok = false;
	if (lstat(file, &st) == 0)
		store_set_err(s, "backup: %s already exists; refusing to overwrite it", file);
	else if (backup_tmp(q, file, tmp, sizeof tmp)) {
		ok = backup_copy(q, tmp, file) && backup_link(q, tmp, file);
		unlink(tmp);
		ok = ok && backup_sync_dir(q, file);
	}
	if (!ok) store_copy_err(s->errmsg, err, errlen);
	return ok ? STORE_OK : STORE_ERROR;
}

/* ---- open / close ---- */

static void sq_close(store *s)
{
	sqlite_store *q = (sqlite_store *)s;
	stmt_cache_clear(&q->cache, finalize_stmt, q);
	sqlite3_close_v2(q->db);
	free(q);
}

static const store_ops sqlite_ops = {
	.query = sq_query,
	.exec_script = sq_exec_script,
	.changes = sq_changes,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.backup = sq_backup,
	.close = sq_close,
};

static int configure(sqlite3 *db)
{
	sqlite3_extended_result_codes(db, 1);
	/* No extensions, no double-quoted strings (PostgreSQL reads "x" as an
	 * identifier), and no SQL that can corrupt the file on purpose. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	/* Before journal_mode: switching to WAL needs a lock another may hold. */
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	/* synchronous=FULL: an answer that says "saved" goes out only after
	 * COMMIT returns, so COMMIT must leave the transaction on disk. In WAL
	 * mode FULL syncs the WAL at every commit; NORMAL syncs it only at
	 * checkpoints, and a power cut, a kernel crash or the filesystem going
	 * read-only after an error loses the last commits that were already
	 * acknowledged. The directory needs no sync of ours: SQLite's unix VFS
	 * syncs the directory the first time it syncs a WAL (or rollback
	 * journal) it has just created, which also makes the name of a database
	 * file created in the same directory durable. */
	return sqlite3_exec(db,
			    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			    "PRAGMA foreign_keys=ON",
			    NULL, NULL, NULL);
}

/* Process-wide SQLite settings, made once before the library initializes:
 * memory statistics take a global mutex on every allocation, which every
 * worker thread would contend for; coachd never reads those statistics. */
static void configure_library(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

store_rc sqlite_open(const char *path, store **out, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_library);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc == SQLITE_OK) rc = configure(db);
	if (rc != SQLITE_OK) {
		char msg[600];
		snprintf(msg, sizeof msg, "sqlite %s: %s", path,
			 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		store_copy_err(msg, err, errlen);
		sqlite3_close(db);
		return map_rc(rc);
	}
	sqlite_store *q = calloc(1, sizeof *q);
	if (!q) {
		sqlite3_close(db);
		store_copy_err("sqlite: out of memory", err, errlen);
		return STORE_ERROR;
	}
	q->base.ops = &sqlite_ops;
	q->base.kind = STORE_SQLITE;
	q->db = db;
	*out = &q->base;
	return STORE_OK;
}
