/* Unit tests for sign-in: password hashing and rules, the hashing gate,
 * sessions and their expiry (time passed in explicitly), the access hooks,
 * and the account operations behind `coachd user`, on a temporary SQLite
 * store with every migration applied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "access/actor.h"
#include "access/guard.h"
#include "access/password.h"
#include "access/signin_session.h"
#include "access/user_cli.h"
#include "base/arena.h"
#include "base/util.h"
#include "http/http.h"
#include "store/store.h"
#include "testdb.h"

enum { T0 = 1700000000 };

typedef struct fixture {
	testdb tdb; /* tdb.dsn: what store_open and `coachd user --db` are given */
	store *s;
	arena *a;
	int64_t org_id;
	int64_t ada, ben; /* two people with email addresses */
} fixture;

static int64_t insert_id(fixture *f, const char *sql, const sql_arg *args, size_t n)
{
	store_rows r;
	assert_int_equal(store_query(f->s, f->a, sql, args, n, &r), STORE_OK);
	assert_int_equal(r.nrows, 1);
	return rows_int(&r, 0, 0);
}

/* Under PostgreSQL each test gets a schema of its own, named in the URL's
 * search_path so that every connection (the CLI's too) lands in it. */
static const char pg_schema[] = "coachd_test_access";

static int open_fixture(void **state, bool postgres)
{
	fixture *f = calloc(1, sizeof *f);
	*state = f;
	f->a = arena_new();
	if (testdb_open_schema(&f->tdb, "test_access", "test-access", pg_schema, postgres, f->a, &f->s) != 0)
		return -1;
	sql_arg org[] = {ARG_TEXT("Riverside Unified"), ARG_INT(T0)};
	f->org_id = insert_id(f,
			      "INSERT INTO org (kind, name, created_at) VALUES ('district', $1, $2) "
			      "RETURNING id",
			      org, 2);
	sql_arg ada[] = {ARG_TEXT("Ada Lovelace"), ARG_TEXT("ada@example.org"), ARG_INT(T0)};
	f->ada = insert_id(f,
			   "INSERT INTO person (name, email, created_at) VALUES ($1, $2, $3) "
			   "RETURNING id",
			   ada, 3);
	sql_arg ben[] = {ARG_TEXT("Ben Banneker"), ARG_TEXT("ben@example.org"), ARG_INT(T0)};
	f->ben = insert_id(f,
			   "INSERT INTO person (name, email, created_at) VALUES ($1, $2, $3) "
			   "RETURNING id",
			   ben, 3);
	return 0;
}

static int setup(void **state)
{
	return open_fixture(state, false);
}

static int setup_pg(void **state)
{
	return open_fixture(state, true);
}

static int teardown(void **state)
{
	fixture *f = *state;
	testdb_close(&f->tdb, "test_access", f->s);
	arena_free(f->a);
	free(f);
	return 0;
}

#define F ((fixture *)*state)

static int64_t count(fixture *f, const char *sql, const sql_arg *args, size_t n)
{
	store_rows r;
	assert_int_equal(store_query(f->s, f->a, sql, args, n, &r), STORE_OK);
	return rows_int(&r, 0, 0);
}

/* ---- passwords ---- */

static void test_hash_and_verify(void **state)
{
	(void)state;
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];
	assert_true(password_hash(NULL, "correct horse battery", h1));
	assert_true(password_hash(NULL, "correct horse battery", h2));
	assert_true(str_starts(h1, "$argon2id$"));
	assert_string_not_equal(h1, h2); /* salted */
	assert_true(password_verify(NULL, h1, "correct horse battery"));
	assert_false(password_verify(NULL, h1, "correct horse batter"));
	assert_false(password_verify(NULL, h1, ""));
	assert_false(password_needs_rehash(h1));
	assert_false(password_verify(NULL, "not a hash", "correct horse battery"));
	assert_false(password_verify(NULL, NULL, "x"));
	char too_long[300];
	memset(too_long, 'x', sizeof too_long - 1);
	too_long[sizeof too_long - 1] = '\0';
	assert_false(password_verify(NULL, too_long, "x"));
	password_verify_dummy(NULL, "anything at all"); /* spends the time, says nothing */
}

static void test_weaker_hash_needs_rehash(void **state)
{
	(void)state;
	/* "old password" as argon2id with t=1, m=8 MiB: valid, but weaker
	 * than today's parameters; it still verifies. */
	const char *old = "$argon2id$v=19$m=8192,t=1,p=1$+dkudsA4zWSg9Xk5e3FvBA$"
			  "AMdP4BBtDqfUzcRklUhR7p2XMFhoHZv1wcjqSsXKwAE";
	assert_true(password_needs_rehash(old));
	assert_true(password_verify(NULL, old, "old password"));
}

static void test_problem_length_and_encoding(void **state)
{
	(void)state;
	assert_non_null(password_problem(NULL));
	assert_non_null(password_problem(""));
	assert_non_null(strstr(password_problem("abcdefghi"), "at least 10"));
	assert_null(password_problem("kitchen-42"));  /* exactly 10 */
	assert_null(password_problem("demo-pass-1")); /* the demo's password */
	/* Characters, not bytes: nine two-byte letters are still too short. */
	assert_non_null(password_problem("\xc3\xa9t\xc3\xa9s d\xc3\xa9j"));
	assert_null(password_problem("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae"
				     "\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc"
				     "\xe3\x83\x89\xe3\x81\xa7\xe3\x81\x99"));
	assert_non_null(strstr(password_problem("valid start \xff\xfe here"), "UTF-8"));
	assert_non_null(password_problem("overlong \xc0\xaf slash"));
	char pw[300];
	for (size_t i = 0; i < 256; i++) pw[i] = (char)('a' + i % 26);
	pw[256] = '\0';
	assert_null(password_problem(pw));
	pw[256] = 'z';
	pw[257] = '\0';
	assert_non_null(strstr(password_problem(pw), "too long"));
}

static void test_problem_repeats_and_common(void **state)
{
	(void)state;
	assert_non_null(strstr(password_problem("aaaaaaaaaaaa"), "repeated"));
	assert_non_null(strstr(password_problem("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
						"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
			       "repeated"));
	assert_null(password_problem("abababababab")); /* two characters */
	assert_null(password_problem("aaaaaaaaaaab"));
	const char *common[] = {"password123", "PASSWORD123", "1234567890", "qwertyuiop",
				"QwertyUiop",  "iloveyou123", "teacher123"};
	for (size_t i = 0; i < COUNT_OF(common); i++)
		assert_non_null(strstr(password_problem(common[i]), "common"));
	/* No composition rules: lowercase words alone are fine. */
	assert_null(password_problem("purple tractor morning"));
}

/* ---- the hashing gate ---- */

typedef struct gate_waiter {
	password_gate *g;
	volatile int entered;
	pthread_mutex_t lock;
} gate_waiter;

static void *enter_gate(void *p)
{
	gate_waiter *w = p;
	password_gate_enter(w->g);
	pthread_mutex_lock(&w->lock);
	w->entered = 1;
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int entered(gate_waiter *w)
{
	pthread_mutex_lock(&w->lock);
	int e = w->entered;
	pthread_mutex_unlock(&w->lock);
	return e;
}

static void test_gate_third_waits(void **state)
{
	(void)state;
	gate_waiter w = {.g = password_gate_new()};
	assert_non_null(w.g);
	pthread_mutex_init(&w.lock, NULL);
	password_gate_enter(w.g);
	password_gate_enter(w.g);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, enter_gate, &w), 0);
	nanosleep(&(struct timespec){0, 150 * 1000 * 1000}, NULL);
	assert_int_equal(entered(&w), 0); /* both slots taken: still waiting */
	password_gate_leave(w.g);
	pthread_join(t, NULL);
	assert_int_equal(entered(&w), 1);
	assert_int_equal(password_gate_peak(w.g), 2);
	password_gate_leave(w.g);
	password_gate_leave(w.g);
	pthread_mutex_destroy(&w.lock);
	password_gate_free(w.g);
}

typedef struct hasher {
	password_gate *g;
	bool ok;
} hasher;

static void *hash_one(void *p)
{
	hasher *h = p;
	char out[PASSWORD_HASH_MAX];
	h->ok = password_hash(h->g, "a burst of sign-ins", out) &&
		password_verify(h->g, out, "a burst of sign-ins");
	return NULL;
}

static void test_gate_caps_concurrent_hashing(void **state)
{
	(void)state;
	password_gate *g = password_gate_new();
	enum { N = 6 };
	pthread_t t[N];
	hasher h[N];
	for (int i = 0; i < N; i++) {
		h[i] = (hasher){g, false};
		assert_int_equal(pthread_create(&t[i], NULL, hash_one, &h[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		assert_true(h[i].ok);
	}
	assert_in_range(password_gate_peak(g), 1, PASSWORD_GATE_SLOTS);
	password_gate_free(g);
}

/* ---- sessions ---- */

static void test_session_create_and_lookup(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	assert_int_equal(session_create(f->s, f->a, f->ada, "192.0.2.7", T0, &token, &csrf), STORE_OK);
	assert_int_equal(strlen(token), 43); /* 256 bits, base64url */
	assert_int_equal(strlen(csrf), 43);
	assert_string_not_equal(token, csrf);
	actor who;
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + 5, &who), SESSION_FOUND);
	assert_int_equal(who.person_id, f->ada);
	assert_string_equal(who.name, "Ada Lovelace");
	assert_string_equal(who.email, "ada@example.org");
	assert_string_equal(who.csrf, csrf);
	assert_true(who.session_id > 0);
	/* Only a hash is kept: the token appears in no column. */
	sql_arg tok[] = {ARG_TEXT(token)};
	assert_int_equal(count(f,
			       "SELECT count(*) FROM signin_session WHERE token_hash = $1 "
			       "OR csrf = $1 OR remote = $1",
			       tok, 1),
			 0);
	assert_int_equal(
		count(f, "SELECT count(*) FROM signin_session WHERE length(token_hash) = 64", NULL, 0), 1);
	/* A second sign-in is a second, different session. */
	const char *token2, *csrf2;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &token2, &csrf2), STORE_OK);
	assert_string_not_equal(token, token2);
	assert_string_not_equal(csrf, csrf2);
}

static void test_session_unknown_tokens(void **state)
{
	fixture *f = F;
	actor who;
	assert_int_equal(session_lookup(f->s, f->a, NULL, T0, &who), SESSION_NOT_FOUND);
	assert_int_equal(session_lookup(f->s, f->a, "", T0, &who), SESSION_NOT_FOUND);
	assert_int_equal(session_lookup(f->s, f->a, "made-up-token", T0, &who), SESSION_NOT_FOUND);
	char huge[4096];
	memset(huge, 'A', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	assert_int_equal(session_lookup(f->s, f->a, huge, T0, &who), SESSION_NOT_FOUND);
	assert_null(who.csrf);
}

static int64_t last_seen(fixture *f)
{
	return count(f, "SELECT max(last_seen) FROM signin_session", NULL, 0);
}

static void test_session_idle_expiry(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	actor who;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &token, &csrf), STORE_OK);
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + SESSION_IDLE_SECONDS - 1, &who),
			 SESSION_FOUND);
	/* That use moved the idle clock: eight hours from it, not from T0. */
	int64_t used = T0 + SESSION_IDLE_SECONDS - 1;
	assert_int_equal(session_lookup(f->s, f->a, token, used + SESSION_IDLE_SECONDS - 1, &who),
			 SESSION_FOUND);
	int64_t again = used + SESSION_IDLE_SECONDS - 1;
	assert_int_equal(session_lookup(f->s, f->a, token, again + SESSION_IDLE_SECONDS, &who),
			 SESSION_NOT_FOUND);
	/* Gone for good, and removed from the store. */
	assert_int_equal(session_lookup(f->s, f->a, token, again + 1, &who), SESSION_NOT_FOUND);
	assert_int_equal(count(f, "SELECT count(*) FROM signin_session", NULL, 0), 0);
}

static void test_session_idle_exactly_eight_hours(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	actor who;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &token, &csrf), STORE_OK);
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + SESSION_IDLE_SECONDS, &who),
			 SESSION_NOT_FOUND);
}

static void test_session_touch_once_a_minute(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	actor who;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &token, &csrf), STORE_OK);
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + 30, &who), SESSION_FOUND);
	assert_int_equal(last_seen(f), T0); /* no write within the minute */
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + 59, &who), SESSION_FOUND);
	assert_int_equal(last_seen(f), T0);
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + 60, &who), SESSION_FOUND);
	assert_int_equal(last_seen(f), T0 + 60);
}

static void test_session_absolute_expiry(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	actor who;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &token, &csrf), STORE_OK);
	/* In use every four hours, it never idles out, yet ends after 7 days. */
	int64_t t = T0;
	for (; t + 4 * 3600 < T0 + SESSION_MAX_SECONDS; t += 4 * 3600)
		assert_int_equal(session_lookup(f->s, f->a, token, t, &who), SESSION_FOUND);
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + SESSION_MAX_SECONDS - 1, &who),
			 SESSION_FOUND);
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + SESSION_MAX_SECONDS, &who),
			 SESSION_NOT_FOUND);
}

static void test_session_end(void **state)
{
	fixture *f = F;
	const char *t1, *t2, *csrf;
	actor who;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &t1, &csrf), STORE_OK);
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &t2, &csrf), STORE_OK);
	assert_int_equal(session_end(f->s, t1), STORE_OK);
	assert_int_equal(session_lookup(f->s, f->a, t1, T0 + 1, &who), SESSION_NOT_FOUND);
	assert_int_equal(session_lookup(f->s, f->a, t2, T0 + 1, &who), SESSION_FOUND);
	assert_int_equal(session_end(f->s, "no-such-token"), STORE_OK);
	assert_int_equal(session_end(f->s, NULL), STORE_OK);
}

static void test_session_end_all(void **state)
{
	fixture *f = F;
	const char *a1, *a2, *b1, *csrf;
	actor who;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &a1, &csrf), STORE_OK);
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &a2, &csrf), STORE_OK);
	assert_int_equal(session_create(f->s, f->a, f->ben, NULL, T0, &b1, &csrf), STORE_OK);
	assert_int_equal(session_end_all(f->s, f->ada), STORE_OK);
	assert_int_equal(session_lookup(f->s, f->a, a1, T0 + 1, &who), SESSION_NOT_FOUND);
	assert_int_equal(session_lookup(f->s, f->a, a2, T0 + 1, &who), SESSION_NOT_FOUND);
	assert_int_equal(session_lookup(f->s, f->a, b1, T0 + 1, &who), SESSION_FOUND);
	assert_int_equal(who.person_id, f->ben);
}

static void test_deactivated_person_is_not_signed_in(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	actor who;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &token, &csrf), STORE_OK);
	sql_arg id[] = {ARG_INT(f->ada)};
	assert_int_equal(store_query(f->s, f->a, "UPDATE person SET active = 0 WHERE id = $1", id, 1, NULL),
			 STORE_OK);
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + 1, &who), SESSION_NOT_FOUND);
	/* Switching the person back on does not revive the session. */
	assert_int_equal(store_query(f->s, f->a, "UPDATE person SET active = 1 WHERE id = $1", id, 1, NULL),
			 STORE_OK);
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + 2, &who), SESSION_NOT_FOUND);
}

static void test_sign_in_sweeps_expired_sessions(void **state)
{
	fixture *f = F;
	const char *old, *fresh, *csrf;
	assert_int_equal(session_create(f->s, f->a, f->ben, NULL, T0, &old, &csrf), STORE_OK);
	int64_t later = T0 + SESSION_IDLE_SECONDS + 1;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, later, &fresh, &csrf), STORE_OK);
	assert_int_equal(count(f, "SELECT count(*) FROM signin_session", NULL, 0), 1);
}

static void test_session_cookies(void **state)
{
	fixture *f = F;
	assert_string_equal(session_cookie(f->a, "tok", false),
			    "coachd_session=tok; Path=/; HttpOnly; SameSite=Lax");
	assert_string_equal(session_cookie(f->a, "tok", true),
			    "coachd_session=tok; Path=/; HttpOnly; SameSite=Lax; Secure");
	assert_string_equal(session_cookie_clear(f->a, true),
			    "coachd_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure");
}

/* ---- the access hooks ---- */

static req request(fixture *f, const char *method, const char *path, const char *token)
{
	req rq = {.a = f->a, .db = f->s, .method = method, .path = path};
	rq.api = str_starts(path, "/api/");
	if (token) {
		kv *c = arena_alloc(f->a, sizeof *c);
		*c = (kv){SESSION_COOKIE, token};
		rq.cookies = (kvlist){c, 1};
	}
	return rq;
}

static const char *header(const resp *rs, const char *name)
{
	for (size_t i = 0; i < rs->nheaders; i++)
		if (str_eq(rs->headers[i].name, name)) return rs->headers[i].value;
	return NULL;
}

static void test_authenticate_sets_actor(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	int64_t now = now_unix();
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, now, &token, &csrf), STORE_OK);
	route rt = {"GET", "/orgs", NULL, ROUTE_SIGNIN};
	req rq = request(f, "GET", "/orgs", token);
	resp rs = {.fd = -1};
	access_authenticate(&rt, &rq, &rs);
	assert_int_equal(rs.status, 0);
	assert_non_null(rq.actor);
	assert_int_equal(rq.actor->person_id, f->ada);
	assert_string_equal(rq.actor->csrf, csrf);
	buf_free(&rs.body);
}

static void test_authenticate_redirects_to_signin(void **state)
{
	fixture *f = F;
	route rt = {"GET", "/orgs", NULL, ROUTE_SIGNIN};
	req rq = request(f, "GET", "/orgs", NULL);
	kv q[] = {{"q", "a b"}, {"kind", "school"}};
	rq.query = (kvlist){q, 2};
	resp rs = {.fd = -1};
	access_authenticate(&rt, &rq, &rs);
	assert_int_equal(rs.status, 303);
	assert_null(rq.actor);
	assert_string_equal(header(&rs, "Location"), "/signin?next=%2Forgs%3Fq%3Da%2520b%26kind%3Dschool");
	buf_free(&rs.body);
}

static void test_authenticate_api_answers_401(void **state)
{
	fixture *f = F;
	route rt = {"GET", "/api/orgs", NULL, ROUTE_SIGNIN};
	req rq = request(f, "GET", "/api/orgs", "expired-or-made-up");
	resp rs = {.fd = -1};
	access_authenticate(&rt, &rq, &rs);
	assert_int_equal(rs.status, 401);
	assert_non_null(strstr(buf_cstr(&rs.body), "\"signin_required\""));
	/* The browser is told to drop a cookie that leads nowhere. */
	assert_true(str_starts(header(&rs, "Set-Cookie"), "coachd_session=; "));
	buf_free(&rs.body);
}

static void test_authenticate_open_route_signed_out(void **state)
{
	fixture *f = F;
	route rt = {"GET", "/", NULL, 0};
	req rq = request(f, "GET", "/", NULL);
	resp rs = {.fd = -1};
	access_authenticate(&rt, &rq, &rs);
	assert_int_equal(rs.status, 0);
	assert_null(rq.actor);
}

static void test_guard_checks_csrf(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, now_unix(), &token, &csrf), STORE_OK);
	route rt = {"POST", "/signout", NULL, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF};
	req rq = request(f, "POST", "/signout", token);
	resp rs = {.fd = -1};
	access_authenticate(&rt, &rq, &rs);
	assert_non_null(rq.actor);

	kv good[] = {{"csrf", csrf}};
	rq.form = (kvlist){good, 1};
	access_guard(&rt, &rq, &rs);
	assert_int_equal(rs.status, 0);

	char *wrong = arena_strdup(f->a, csrf);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	kv bad[] = {{"csrf", wrong}};
	rq.form = (kvlist){bad, 1};
	access_guard(&rt, &rq, &rs);
	assert_int_equal(rs.status, 403);
	buf_free(&rs.body);

	rs = (resp){.fd = -1};
	kv shorter[] = {{"csrf", arena_strndup(f->a, csrf, 10)}};
	rq.form = (kvlist){shorter, 1};
	access_guard(&rt, &rq, &rs);
	assert_int_equal(rs.status, 403);
	buf_free(&rs.body);

	/* A route without the flag is not checked. */
	rs = (resp){.fd = -1};
	route open = {"POST", "/csp-report", NULL, ROUTE_RAW};
	access_guard(&open, &rq, &rs);
	assert_int_equal(rs.status, 0);
}

static void test_guard_refuses_without_session(void **state)
{
	fixture *f = F;
	route rt = {"POST", "/x", NULL, ROUTE_FORM | ROUTE_CSRF};
	req rq = request(f, "POST", "/api/x", NULL);
	kv given[] = {{"csrf", "anything"}};
	rq.form = (kvlist){given, 1};
	resp rs = {.fd = -1};
	access_guard(&rt, &rq, &rs);
	assert_int_equal(rs.status, 403);
	assert_non_null(strstr(buf_cstr(&rs.body), "\"csrf\""));
	buf_free(&rs.body);
}

/* ---- accounts ---- */

static void test_person_add_with_role(void **state)
{
	fixture *f = F;
	char err[256] = "";
	int64_t id = person_add_with_role(f->s, f->a, "Cleo@Example.org", "Cleo Coach", "coach", f->org_id,
					  err, sizeof err);
	assert_true(id > 0);
	/* Same email in another case: same person, a second role. */
	int64_t again = person_add_with_role(f->s, f->a, "cleo@example.org", NULL, "teacher", f->org_id, err,
					     sizeof err);
	assert_int_equal(again, id);
	/* Adding a role held already changes nothing. */
	assert_int_equal(person_add_with_role(f->s, f->a, "cleo@example.org", NULL, "coach", f->org_id, err,
					      sizeof err),
			 id);
	sql_arg pid[] = {ARG_INT(id)};
	assert_int_equal(count(f, "SELECT count(*) FROM person_role WHERE person_id = $1", pid, 1), 2);
}

static void test_person_add_refuses_bad_input(void **state)
{
	fixture *f = F;
	char err[256] = "";
	assert_int_equal(person_add_with_role(f->s, f->a, "dee@example.org", "Dee", "wizard", f->org_id, err,
					      sizeof err),
			 0);
	assert_non_null(strstr(err, "role must be one of"));
	assert_int_equal(
		person_add_with_role(f->s, f->a, "dee@example.org", "Dee", "coach", 9999, err, sizeof err),
		0);
	assert_non_null(strstr(err, "no organization"));
	assert_int_equal(person_add_with_role(f->s, f->a, "dee@example.org", NULL, "coach", f->org_id, err,
					      sizeof err),
			 0);
	assert_non_null(strstr(err, "needs a name"));
	assert_int_equal(
		person_add_with_role(f->s, f->a, "not an email", "Dee", "coach", f->org_id, err, sizeof err),
		0);
	assert_non_null(strstr(err, "not an email"));
	/* Nothing was written by any of them. */
	sql_arg e[] = {ARG_TEXT("dee@example.org")};
	assert_int_equal(count(f, "SELECT count(*) FROM person WHERE email = $1", e, 1), 0);
}

static void test_account_set_password(void **state)
{
	fixture *f = F;
	char err[256] = "";
	const char *token, *csrf;
	actor who;
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, T0, &token, &csrf), STORE_OK);
	assert_int_equal(account_set_password(f->s, f->a, "ADA@example.org", "demo-pass-1", err, sizeof err),
			 0);
	sql_arg id[] = {ARG_INT(f->ada)};
	store_rows r;
	assert_int_equal(store_query(f->s, f->a, "SELECT password_hash FROM person WHERE id = $1", id, 1, &r),
			 STORE_OK);
	assert_true(password_verify(NULL, rows_get(&r, 0, 0), "demo-pass-1"));
	/* A new password signs the person out everywhere. */
	assert_int_equal(session_lookup(f->s, f->a, token, T0 + 1, &who), SESSION_NOT_FOUND);

	assert_int_equal(account_set_password(f->s, f->a, "ada@example.org", "password123", err, sizeof err),
			 2);
	assert_non_null(strstr(err, "common"));
	assert_int_equal(
		account_set_password(f->s, f->a, "nobody@example.org", "a fine password", err, sizeof err),
		1);
	assert_non_null(strstr(err, "no person"));
}

/* ---- the command line ---- */

static int run_user(fixture *f, const char *stdin_text, int argc, const char **args)
{
	char **argv = calloc((size_t)argc + 1, sizeof *argv);
	for (int i = 0; i < argc; i++) argv[i] = (char *)args[i];
	char input[PATH_MAX];
	snprintf(input, sizeof input, "%s/stdin.txt", f->tdb.dir);
	FILE *in = fopen(input, "w");
	fputs(stdin_text ? stdin_text : "", in);
	fclose(in);
	assert_non_null(freopen(input, "r", stdin));
	int rc = cmd_user(argc, argv, f->tdb.dsn);
	unlink(input);
	free(argv);
	return rc;
}

static void test_cli_usage_errors(void **state)
{
	fixture *f = F;
	const char *help[] = {"add", "--help"};
	assert_int_equal(run_user(f, NULL, 2, help), 0);
	const char *help2[] = {"password", "--help"};
	assert_int_equal(run_user(f, NULL, 2, help2), 0);
	const char *none[] = {"frobnicate"};
	assert_int_equal(run_user(f, NULL, 1, none), 2);
	const char *unknown[] = {"add", "eve@example.org", "--rol", "coach", "--org", "1"};
	assert_int_equal(run_user(f, NULL, 6, unknown), 2);
	const char *no_value[] = {"add", "eve@example.org", "--org", "1", "--role"};
	assert_int_equal(run_user(f, NULL, 5, no_value), 2);
	const char *bad_role[] = {"add", "eve@example.org", "--role", "wizard", "--org", "1"};
	assert_int_equal(run_user(f, NULL, 6, bad_role), 2);
	const char *no_email[] = {"add", "--role", "coach", "--org", "1"};
	assert_int_equal(run_user(f, NULL, 5, no_email), 2);
	const char *no_org[] = {"password"};
	assert_int_equal(run_user(f, NULL, 1, no_org), 2);
}

static void test_cli_add_and_password(void **state)
{
	fixture *f = F;
	const char *add[] = {
		"add",       "eve@example.org",         "--name",          "Eve Example", "--role",
		"principal", "--org=Riverside Unified", "--password-stdin"};
	assert_int_equal(run_user(f, "demo-pass-1\n", 8, add), 0);
	sql_arg e[] = {ARG_TEXT("eve@example.org")};
	store_rows r;
	assert_int_equal(store_query(f->s, f->a,
				     "SELECT p.password_hash, pr.role FROM person p "
				     "JOIN person_role pr ON pr.person_id = p.id WHERE p.email = $1",
				     e, 1, &r),
			 STORE_OK);
	assert_int_equal(r.nrows, 1);
	assert_true(password_verify(NULL, rows_get(&r, 0, 0), "demo-pass-1"));
	assert_string_equal(rows_get(&r, 0, 1), "principal");

	/* A weak password: status 2, nothing changed. */
	const char *pw[] = {"password", "eve@example.org"};
	assert_int_equal(run_user(f, "short\n", 2, pw), 2);
	assert_int_equal(run_user(f, "a much better passphrase\r\n", 2, pw), 0);
	assert_int_equal(
		store_query(f->s, f->a, "SELECT password_hash FROM person WHERE email = $1", e, 1, &r),
		STORE_OK);
	assert_true(password_verify(NULL, rows_get(&r, 0, 0), "a much better passphrase"));

	/* Runtime failures: status 1. */
	const char *nobody[] = {"password", "nobody@example.org"};
	assert_int_equal(run_user(f, "a much better passphrase\n", 2, nobody), 1);
	const char *no_org[] = {"add",    "fay@example.org", "--name", "Fay",
				"--role", "coach",           "--org",  "No Such District"};
	assert_int_equal(run_user(f, NULL, 8, no_org), 1);
	sql_arg fay[] = {ARG_TEXT("fay@example.org")};
	assert_int_equal(count(f, "SELECT count(*) FROM person WHERE email = $1", fay, 1), 0);
}

/* The tests that touch the store, run once per backend. */
#define STORE_TESTS(S) \
	S(test_session_create_and_lookup), S(test_session_unknown_tokens), S(test_session_idle_expiry), \
		S(test_session_idle_exactly_eight_hours), S(test_session_touch_once_a_minute), \
		S(test_session_absolute_expiry), S(test_session_end), S(test_session_end_all), \
		S(test_deactivated_person_is_not_signed_in), S(test_sign_in_sweeps_expired_sessions), \
		S(test_session_cookies), S(test_authenticate_sets_actor), \
		S(test_authenticate_redirects_to_signin), S(test_authenticate_api_answers_401), \
		S(test_authenticate_open_route_signed_out), S(test_guard_checks_csrf), \
		S(test_guard_refuses_without_session), S(test_person_add_with_role), \
		S(test_person_add_refuses_bad_input), S(test_account_set_password), \
		S(test_cli_usage_errors), S(test_cli_add_and_password)

#define ON_SQLITE(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define ON_PG(fn) cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_hash_and_verify),
		cmocka_unit_test(test_weaker_hash_needs_rehash),
		cmocka_unit_test(test_problem_length_and_encoding),
		cmocka_unit_test(test_problem_repeats_and_common),
		cmocka_unit_test(test_gate_third_waits),
		cmocka_unit_test(test_gate_caps_concurrent_hashing),
	};
	const struct CMUnitTest sqlite[] = {STORE_TESTS(ON_SQLITE)};
	const struct CMUnitTest postgres[] = {STORE_TESTS(ON_PG)};
	int failed = cmocka_run_group_tests_name("passwords", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("sqlite", sqlite, NULL, NULL);
	char *pg = testdb_pg_schema_dsn(pg_schema);
	if (pg) failed += cmocka_run_group_tests_name("postgres", postgres, NULL, NULL);
	else printf("postgres: skipped (COACHD_TEST_PG is not set)\n");
	free(pg);
	return failed ? 1 : 0;
}
