/* Private to src/store: the backend vtable, the common store header and the
 * prepared-statement cache both backends share. Not for other layers. */
#ifndef COACHD_STORE_BACKEND_H
#define COACHD_STORE_BACKEND_H

#include <stdint.h>

#include "store.h"

typedef struct store_ops {
	store_rc (*query)(store *s, arena *a, const char *sql, const sql_arg *args, size_t nargs,
			  store_rows *out);
	/* Several ';'-separated statements, no parameters (migrations only). */
	store_rc (*exec_script)(store *s, const char *sql);
	int64_t (*changes)(store *s);
	store_rc (*begin)(store *s);
	store_rc (*commit)(store *s);
	store_rc (*rollback)(store *s);
	store_rc (*backup)(store *s, const char *file, char *err, size_t errlen);
	void (*close)(store *s);
} store_ops;

/* Every backend struct starts with this, so a store * is also a backend *. */
struct store {
	const store_ops *ops;
	store_kind kind;
	char errmsg[512];
};

/* Sets store_errmsg(), flattened to one line. */
void store_set_err(store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Copies errmsg into a caller's err buffer (may be NULL/0). */
void store_copy_err(const char *msg, char *err, size_t errlen);

/* Shortest "%.Ng" that reads back as the same double: PostgreSQL prints
 * float8 the same way, so both backends return "0.1" for 0.1. */
void store_fmt_real(char *out, size_t n, double v);

store_rc sqlite_open(const char *path, store **out, char *err, size_t errlen);
store_rc pg_open(const char *url, store **out, char *err, size_t errlen);

/* Prepared statements by SQL text, least recently used evicted. The
 * handle is the backend's (sqlite3_stmt *, or a PostgreSQL name number). */
enum { STMT_CACHE_MAX = 128 };

typedef struct stmt_entry {
	uint64_t hash;
	uint64_t used; /* tick of last use, for eviction */
	char *sql;     /* malloc'd copy; NULL when the slot is free */
	void *handle;
} stmt_entry;

typedef struct stmt_cache {
	stmt_entry e[STMT_CACHE_MAX];
	uint64_t tick;
} stmt_cache;

typedef void (*stmt_drop_fn)(void *ctx, void *handle);

void *stmt_cache_get(stmt_cache *c, const char *sql);
/* Evicts (via drop) the least recently used entry when full. */
void stmt_cache_put(stmt_cache *c, const char *sql, void *handle, stmt_drop_fn drop, void *ctx);
void stmt_cache_remove(stmt_cache *c, const char *sql, stmt_drop_fn drop, void *ctx);
void stmt_cache_clear(stmt_cache *c, stmt_drop_fn drop, void *ctx);

#endif
