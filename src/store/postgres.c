/* PostgreSQL backend (libpq): one connection per store, statements prepared
 * once per connection, parameters sent as text, one reconnect on a drop. */
#include "backend.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

typedef struct pg_store {
	store base; /* first: a store * is a pg_store * */
	PGconn *conn;
	stmt_cache cache; /* handle: the number in the statement name "sN" */
	uintptr_t next_name;
	int64_t changes;
	bool in_tx; /* between our BEGIN and COMMIT/ROLLBACK */
} pg_store;

/* One statement to run: prepared with parameters, or a plain command
 * (transaction control, migration scripts) sent with PQexec. */
typedef struct pg_call {
	const char *sql;
	const sql_arg *args;
	size_t nargs;
	bool prepared;
} pg_call;

/* ---- errors ---- */

static store_rc map_state(const char *state)
{
	if (!state) return STORE_ERROR;
	if (strncmp(state, "23", 2) == 0) return STORE_CONSTRAINT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")) return STORE_BUSY;
	return STORE_ERROR;
}

/* The primary message and SQLSTATE only: DETAIL repeats row values, which
 * do not belong in logs. */
static store_rc fail(pg_store *q, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg && res && *PQresultErrorMessage(res)) msg = PQresultErrorMessage(res);
	if (!msg || !*msg) msg = PQerrorMessage(q->conn);
	if (PQresultStatus(res) == PGRES_EMPTY_QUERY) msg = "no statement to run";
	else if (!*msg) msg = PQresStatus(PQresultStatus(res));
	if (state) store_set_err(&q->base, "%s (SQLSTATE %s)", msg, state);
	else store_set_err(&q->base, "%s", msg);
	return map_state(state);
}

/* ---- session ---- */

static void quiet_notices(void *arg, const char *message)
{
	/* Warnings such as "there is no transaction in progress" are expected
	 * (rollback after a lost session) and must not reach stderr raw. */
	(void)arg;
	(void)message;
}

static bool session_setup(pg_store *q)
{
	PQsetNoticeProcessor(q->conn, quiet_notices, NULL);
	PGresult *res = PQexec(q->conn, "SET client_min_messages = warning");
	bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok) fail(q, res);
	PQclear(res);
	return ok;
}

static void forget_stmt(void *ctx, void *handle)
{
	(void)ctx; /* the server dropped it with the old session */
	(void)handle;
}

static void deallocate_stmt(void *ctx, void *handle)
{
	pg_store *q = ctx;
	char cmd[48];
	/* Our own counter, never input. A failure (say, inside an aborted
	 * transaction) only leaves an unused statement until disconnect. */
	snprintf(cmd, sizeof cmd, "DEALLOCATE s%" PRIuPTR, (uintptr_t)handle);
	if (PQstatus(q->conn) == CONNECTION_OK) PQclear(PQexec(q->conn, cmd));
}

static bool reconnect(pg_store *q)
{
	stmt_cache_clear(&q->cache, forget_stmt, q);
	q->in_tx = false;
	PQreset(q->conn);
	if (PQstatus(q->conn) != CONNECTION_OK) {
		store_set_err(&q->base, "PostgreSQL connection lost; reconnect failed: %s",
			      PQerrorMessage(q->conn));
		return false;
	}
	return session_setup(q);
}

static bool in_tx(pg_store *q)
{
	if (q->in_tx) return true;
	if (PQstatus(q->conn) != CONNECTION_OK) return false;
	PGTransactionStatusType t = PQtransactionStatus(q->conn);
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

/* ---- running one statement ---- */

static store_rc prepared_name(pg_store *q, const pg_call *c, char *name, size_t n)
{
	void *h = stmt_cache_get(&q->cache, c->sql);
	if (!h) {
		uintptr_t num = ++q->next_name;
		snprintf(name, n, "s%" PRIuPTR, num);
		/* paramTypes NULL: the server infers each $n from its use. */
		PGresult *res = PQprepare(q->conn, name, c->sql, (int)c->nargs, NULL);
		store_rc rc = PQresultStatus(res) == PGRES_COMMAND_OK ? STORE_OK : fail(q, res);
		PQclear(res);
		if (rc != STORE_OK) return rc;
		h = (void *)num;
		stmt_cache_put(&q->cache, c->sql, h, deallocate_stmt, q);
	}
	snprintf(name, n, "s%" PRIuPTR, (uintptr_t)h);
	return STORE_OK;
}

/* Every value goes as text; the server parses it as the inferred type. */
static const char *param_text(const sql_arg *a, char *tmp, size_t n)
{
	switch (a->type) {
	case SQL_INT: snprintf(tmp, n, "%" PRId64, a->i); return tmp;
	case SQL_REAL: store_fmt_real(tmp, n, a->r); return tmp;
	case SQL_TEXT: return a->s;
	case SQL_NULL: return NULL;
	}
	return NULL;
}

typedef char numtext[40];

static PGresult *exec_prepared(pg_store *q, const pg_call *c, const char *name)
{
	const char **values = calloc(c->nargs ? c->nargs : 1, sizeof *values);
	numtext *nums = calloc(c->nargs ? c->nargs : 1, sizeof *nums);
	if (!values || !nums) {
		fprintf(stderr, "coachd: out of memory binding parameters\n");
		abort();
	}
	for (size_t i = 0; i < c->nargs; i++) values[i] = param_text(&c->args[i], nums[i], sizeof nums[i]);
	PGresult *res = PQexecPrepared(q->conn, name, (int)c->nargs, values, NULL, NULL, 0);
	free(values);
	free(nums);
	return res;
}

static PGresult *run_once(pg_store *q, const pg_call *c, store_rc *rc)
{
	PGresult *res;
	if (c->prepared) {
		char name[32];
		*rc = prepared_name(q, c, name, sizeof name);
		if (*rc != STORE_OK) return NULL;
		res = exec_prepared(q, c, name);
	} else {
		res = PQexec(q->conn, c->sql);
	}
	ExecStatusType st = PQresultStatus(res);
	*rc = st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK ? STORE_OK : fail(q, res);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	/* "cached plan must not change result type" (the schema changed under
	 * it) or the statement is gone (DISCARD ALL): prepare afresh next time. */
	if (*rc != STORE_OK && c->prepared && str_eq(state, "0A000"))
		stmt_cache_remove(&q->cache, c->sql, deallocate_stmt, q);
	if (*rc != STORE_OK && c->prepared && str_eq(state, "26000"))
		stmt_cache_remove(&q->cache, c->sql, forget_stmt, q);
	return res;
}

static store_rc lost_tx(pg_store *q)
{
	store_set_err(&q->base,
		      "PostgreSQL connection lost inside a transaction; "
		      "the server rolled it back");
	return STORE_ERROR;
}

/* A statement that only reads: safe to send again. A write whose
 * connection died may already have committed on the server; sending it
 * again could apply it twice, so a failed write is reported instead. */
static bool reads_only(const char *sql)
{
	while (*sql == ' ' || *sql == '\t' || *sql == '\n') sql++;
	return strncasecmp(sql, "SELECT", 6) == 0;
}

/* Runs c, reconnecting once if the connection is found dead before or
 * after it. A statement found dead before sending is sent on the new
 * connection; one that died on the way is retried only when it reads, and
 * never inside a transaction, whose earlier work died with the session. */
static store_rc run(pg_store *q, const pg_call *c, PGresult **out)
{
	bool was_in_tx = in_tx(q);
	store_rc rc;
	*out = NULL;
	if (PQstatus(q->conn) == CONNECTION_BAD) {
		if (!reconnect(q)) return STORE_ERROR;
		if (was_in_tx) return lost_tx(q);
	}
	PGresult *res = run_once(q, c, &rc);
	if (rc != STORE_OK && PQstatus(q->conn) == CONNECTION_BAD) {
		PQclear(res);
		res = NULL;
		if (!reconnect(q)) return STORE_ERROR;
		if (was_in_tx) return lost_tx(q);
		if (!reads_only(c->sql)) {
			store_set_err(&q->base,
				      "the connection to PostgreSQL was lost while "
				      "saving; the change may or may not have been made");
			return STORE_ERROR;
		}
		res = run_once(q, c, &rc);
	}
	*out = res;
	return rc;
}

/* ---- results ---- */

static void note_changes(pg_store *q, PGresult *res)
{
	/* Like sqlite3_changes: only writes count, a SELECT leaves it alone. */
	const char *tag = PQcmdStatus(res);
	int64_t n;
	if ((str_starts(tag, "INSERT ") || str_starts(tag, "UPDATE ") || str_starts(tag, "DELETE ") ||
	     str_starts(tag, "MERGE ")) &&
	    parse_i64(PQcmdTuples(res), 0, INT64_MAX, &n))
		q->changes = n;
}

static void copy_rows(arena *a, const PGresult *res, store_rows *out)
{
	size_t nrows = (size_t)PQntuples(res), ncols = (size_t)PQnfields(res);
	out->nrows = nrows;
	out->ncols = ncols;
	out->cells = arena_calloc(a, nrows * ncols, sizeof *out->cells);
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++)
			if (!PQgetisnull(res, (int)r, (int)c))
				out->cells[r * ncols + c] =
					arena_strndup(a, PQgetvalue(res, (int)r, (int)c),
						      (size_t)PQgetlength(res, (int)r, (int)c));
}

static store_rc pg_query(store *s, arena *a, const char *sql, const sql_arg *args, size_t nargs,
			 store_rows *out)
{
	pg_store *q = (pg_store *)s;
	PGresult *res;
	store_rc rc = run(q, &(pg_call){sql, args, nargs, true}, &res);
	if (rc == STORE_OK) {
		note_changes(q, res);
		if (out) copy_rows(a, res, out);
	}
	PQclear(res);
	return rc;
}

/* A command without rows or parameters; want_tag, when set, is the
 * command tag success must produce. */
static store_rc command(pg_store *q, const char *sql, const char *want_tag)
{
	PGresult *res;
	store_rc rc = run(q, &(pg_call){sql, NULL, 0, false}, &res);
	if (rc == STORE_OK && want_tag && !str_eq(PQcmdStatus(res), want_tag)) {
		/* COMMIT of a transaction in which a statement failed "succeeds"
		 * with the tag ROLLBACK; SQLite would have committed the rest. */
		store_set_err(&q->base,
			      "transaction rolled back: a statement in it had "
			      "failed");
		rc = STORE_ERROR;
	}
	PQclear(res);
	return rc;
}

static store_rc pg_exec_script(store *s, const char *sql)
{
	return command((pg_store *)s, sql, NULL);
}

static int64_t pg_changes(store *s)
{
	return ((pg_store *)s)->changes;
}

/* ---- transactions ---- */

static store_rc pg_begin(store *s)
{
	pg_store *q = (pg_store *)s;
	if (in_tx(q)) {
		/* PostgreSQL only warns; SQLite refuses. Refuse on both. */
		store_set_err(s, "cannot start a transaction within a transaction");
		return STORE_ERROR;
	}
	store_rc rc = command(q, "BEGIN", NULL);
	q->in_tx = rc == STORE_OK;
	return rc;
}

static store_rc pg_commit(store *s)
{
	pg_store *q = (pg_store *)s;
	store_rc rc = command(q, "COMMIT", "COMMIT");
	q->in_tx = false; /* a failed COMMIT rolls back */
	return rc;
}

static store_rc pg_rollback(store *s)
{
	pg_store *q = (pg_store *)s;
	q->in_tx = false;
	if (PQstatus(q->conn) == CONNECTION_OK) {
		PGresult *res = PQexec(q->conn, "ROLLBACK");
		store_rc rc = PQresultStatus(res) == PGRES_COMMAND_OK ? STORE_OK : fail(q, res);
		PQclear(res);
		if (rc == STORE_OK || PQstatus(q->conn) == CONNECTION_OK) return rc;
	}
	/* The server ends a dead session's transaction by itself; what is
	 * left is to be connected again for the next caller. */
	return reconnect(q) ? STORE_OK : STORE_ERROR;
}

static store_rc pg_backup(store *s, const char *file, char *err, size_t errlen)
{
	(void)file;
	store_set_err(s, "backup of a PostgreSQL store: use pg_dump");
	store_copy_err(s->errmsg, err, errlen);
	return STORE_ERROR;
}

/* ---- open / close ---- */

static void pg_close(store *s)
{
	pg_store *q = (pg_store *)s;
	stmt_cache_clear(&q->cache, forget_stmt, q); /* ends with the session */
	PQfinish(q->conn);
	free(q);
}

static const store_ops pg_ops = {
	.query = pg_query,
	.exec_script = pg_exec_script,
	.changes = pg_changes,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.backup = pg_backup,
	.close = pg_close,
};

store_rc pg_open(const char *url, store **out, char *err, size_t errlen)
{
	pg_store *q = calloc(1, sizeof *q);
	if (!q) {
		store_copy_err("postgres: out of memory", err, errlen);
		return STORE_ERROR;
	}
	q->base.ops = &pg_ops;
	q->base.kind = STORE_POSTGRES;
	q->conn = PQconnectdb(url);
	bool ok = q->conn && PQstatus(q->conn) == CONNECTION_OK;
	if (!ok) store_set_err(&q->base, "postgres: %s", q->conn ? PQerrorMessage(q->conn) : "out of memory");
	else if (!session_setup(q)) ok = false;
	if (!ok) {
		store_copy_err(q->base.errmsg, err, errlen);
		PQfinish(q->conn);
		free(q);
		return STORE_ERROR;
	}
	*out = &q->base;
	return STORE_OK;
}
