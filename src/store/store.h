/* The store: one interface over SQLite and PostgreSQL. SQL is written once,
 * in the common subset of both, with $1..$N placeholders; values are always
 * bound, never spliced into SQL text. A store is one connection; the server
 * keeps one per worker thread. Results are copied into the caller's arena. */
#ifndef COACHD_STORE_H
#define COACHD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"

typedef struct store store;

typedef enum store_kind { STORE_SQLITE, STORE_POSTGRES } store_kind;

typedef enum store_rc {
	STORE_OK = 0,
	STORE_ERROR,      /* anything else; see store_errmsg() */
	STORE_CONSTRAINT, /* unique / foreign key / check violated */
	STORE_BUSY        /* could not get a lock in time */
} store_rc;

typedef enum sql_type { SQL_NULL, SQL_INT, SQL_REAL, SQL_TEXT } sql_type;

typedef struct sql_arg {
	sql_type type;
	int64_t i;
	double r;
	const char *s;
} sql_arg;

#define ARG_INT(v) ((sql_arg){.type = SQL_INT, .i = (v)})
#define ARG_REAL(v) ((sql_arg){.type = SQL_REAL, .r = (v)})
/* A function rather than a macro so a char array argument does not warn. */
static inline sql_arg arg_text(const char *s)
{
	return (sql_arg){.type = s ? SQL_TEXT : SQL_NULL, .s = s};
}
#define ARG_TEXT(v) arg_text(v)
#define ARG_NULL ((sql_arg){.type = SQL_NULL})

/* Rows as text, row-major; a SQL NULL is a NULL pointer. */
typedef struct store_rows {
	size_t nrows;
	size_t ncols;
	const char **cells;
} store_rows;

/* dsn: a file path (SQLite, created if missing) or postgres:// URL. */
store_rc store_open(const char *dsn, store **out, char *err, size_t errlen);
void store_close(store *s);
store_kind store_kind_of(const store *s);
bool store_dsn_is_postgres(const char *dsn);
const char *store_errmsg(store *s);

/* Runs one statement. out may be NULL for statements without rows. */
store_rc store_query(store *s, arena *a, const char *sql, const sql_arg *args, size_t nargs, store_rows *out);
/* Rows changed by the last INSERT/UPDATE/DELETE. */
int64_t store_changes(store *s);

store_rc store_begin(store *s);
store_rc store_commit(store *s);
store_rc store_rollback(store *s);

/* Applies embedded migrations not yet recorded; all in one transaction. */
store_rc store_migrate(store *s, char *err, size_t errlen);
int store_schema_version(store *s); /* highest applied, -1 on error */
/* Cheap liveness check used by /healthz; reconnects PostgreSQL if needed. */
store_rc store_ping(store *s);
/* SQLite online backup to a file; STORE_ERROR with a message on Postgres. */
store_rc store_backup(store *s, const char *file, char *err, size_t errlen);

const char *rows_get(const store_rows *r, size_t row, size_t col);
int64_t rows_int(const store_rows *r, size_t row, size_t col);

#endif
