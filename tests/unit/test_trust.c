/* Unit tests for the access plumbing of the trust contract: grants, API
 * tokens (hashing, lookup, revoking, noting use), sign-in throttling
 * (windows with time passed in), the audit log (recording and listing)
 * and the CSRF exemption of token requests. Every case runs on a
 * temporary SQLite file and again on a database of its own made from
 * $COACHD_TEST_PG (required: missing it is a failure, as in test_store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/actor.h"
#include "access/audit.h"
#include "access/audit_pages.h"
#include "access/grants.h"
#include "access/guard.h"
#include "access/signin_session.h"
#include "access/throttle.h"
#include "access/token.h"
#include "base/arena.h"
#include "base/util.h"
#include "http/http.h"
#include "store/store.h"
#include "testdb.h"

enum { T0 = 1700000000 };

typedef struct fixture {
	store *s;
	arena *a; /* fresh for each test */
	testdb tdb;
	/* The world each test starts from (made again for every test). */
	int64_t district, school, other_district, partner, closed_school;
	int64_t ada; /* teacher at school, coach at partner */
	int64_t ben; /* partner staff only */
	int64_t cy;  /* no role at all */
	int64_t dee; /* deactivated */
} fixture;

#define F ((fixture *)*state)

/* ---- helpers ---- */

static int64_t add_org(fixture *f, const char *kind, const char *name, int64_t parent, int active)
{
	return testdb_scalar(f->s, f->a,
			     "INSERT INTO org (kind, name, parent_id, active, created_at) "
			     "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			     ARGS(ARG_TEXT(kind), ARG_TEXT(name), parent ? ARG_INT(parent) : ARG_NULL,
				  ARG_INT(active), ARG_INT(T0)));
}

static int64_t add_person(fixture *f, const char *name, const char *email, int active)
{
	return testdb_scalar(f->s, f->a,
			     "INSERT INTO person (name, email, active, created_at) "
			     "VALUES ($1, $2, $3, $4) RETURNING id",
			     ARGS(ARG_TEXT(name), ARG_TEXT(email), ARG_INT(active), ARG_INT(T0)));
}

static void add_role(fixture *f, int64_t person, int64_t org, const char *role_text, int active)
{
	testdb_run(f->s, f->a,
		   "INSERT INTO person_role (person_id, org_id, role, active) VALUES ($1, $2, $3, $4)",
		   ARGS(ARG_INT(person), ARG_INT(org), ARG_TEXT(role_text), ARG_INT(active)));
}

static int64_t count_audit(fixture *f, const char *what)
{
	return testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM audit WHERE action = $1",
			     ARGS(ARG_TEXT(what)));
}

/* ---- grants ---- */

static void test_grants_carry_their_place(void **state)
{
	fixture *f = F;
	grant *g;
	held_role *roles;
	size_t n;
	assert_int_equal(grants_load(f->s, f->a, f->ada, &g, &roles, &n), STORE_OK);
	/* The inactive principal role and the role at a closed school give nothing. */
	assert_int_equal(n, 2);
	assert_int_equal(g[0].role, ROLE_TEACHER);
	assert_int_equal(g[0].org_id, f->school);
	assert_int_equal(g[0].district_id, f->district);
	assert_int_equal(g[0].partner_id, 0);
	assert_string_equal(roles[0].org_name, "Meadowbrook Elementary");
	assert_string_equal(roles[0].org_kind, "school");
	assert_int_equal(g[1].role, ROLE_COACH);
	assert_int_equal(g[1].org_id, f->partner);
	assert_int_equal(g[1].district_id, 0);
	assert_int_equal(g[1].partner_id, f->partner);
	assert_int_equal(grants_home(g, n), f->district);

	place *p = grants_places(f->a, g, n);
	assert_int_equal(p[0].org_id, f->school);
	assert_int_equal(p[0].district_id, f->district);
	assert_int_equal(p[1].partner_id, f->partner);
}

/* A partner-side grant (coach or partner staff at a partner) also reaches
 * each district the partner has a non-closed engagement with: same role,
 * org and district = that district, partner = the partner.
 * Closed engagements and the teacher role at a school yield nothing. */
static void test_grants_derived_from_engagements(void **state)
{
	fixture *f = F;
	actor who = {.person_id = f->ada};
	assert_int_equal(actor_load_grants(f->s, f->a, &who), STORE_OK);
	assert_int_equal(who.ngrants, 2); /* no engagement yet: nothing derived */
	testdb_run(f->s, f->a,
		   "INSERT INTO engagement (partner_id, district_id, title, starts_on, ends_on, state, "
		   "created_at) "
		   "VALUES ($1, $2, 'This year', '2025-06-01', '2026-06-30', 'draft', $3)",
		   ARGS(ARG_INT(f->partner), ARG_INT(f->district), ARG_INT(T0)));
	testdb_run(f->s, f->a,
		   "INSERT INTO engagement (partner_id, district_id, title, starts_on, ends_on, state, "
		   "created_at) "
		   "VALUES ($1, $2, 'Last year', '2024-06-01', '2025-06-30', 'ended', $3)",
		   ARGS(ARG_INT(f->partner), ARG_INT(f->other_district), ARG_INT(T0)));
	/* Nothing the district has not accepted gives reach. */
	static const char *const not_given[] = {"draft", "proposed", "declined", "ended"};
	for (size_t i = 0; i < COUNT_OF(not_given); i++) {
		testdb_run(f->s, f->a, "UPDATE engagement SET state = $1 WHERE title = 'This year'",
			   ARGS(ARG_TEXT(not_given[i])));
		who = (actor){.person_id = f->ada};
		assert_int_equal(actor_load_grants(f->s, f->a, &who), STORE_OK);
		assert_int_equal(who.ngrants, 2);
	}
	testdb_run(f->s, f->a, "UPDATE engagement SET state = 'accepted' WHERE title = 'This year'", NOARGS);
	who = (actor){.person_id = f->ada};
	assert_int_equal(actor_load_grants(f->s, f->a, &who), STORE_OK);
	assert_int_equal(who.ngrants, 3);
	assert_int_equal(who.grants[2].role, ROLE_COACH);
	assert_int_equal(who.grants[2].org_id, f->district);
	assert_int_equal(who.grants[2].district_id, f->district);
	assert_int_equal(who.grants[2].partner_id, f->partner);
	/* The coach now reaches a person of the district (at the district
	 * itself, where Ada's teacher role at a school does not reach). */
	place at_district = {f->district, f->district, 0};
	record person = {.kind = REC_PERSON, .places = &at_district, .nplaces = 1, .person_id = f->cy};
	assert_true(may(&who, ACT_READ, &person));
	/* Partner staff get the same; the account page's roles do not change. */
	actor staff = {.person_id = f->ben};
	assert_int_equal(actor_load_grants(f->s, f->a, &staff), STORE_OK);
	assert_int_equal(staff.ngrants, 2);
	assert_int_equal(staff.grants[1].role, ROLE_PARTNER_STAFF);
	assert_int_equal(staff.grants[1].district_id, f->district);
	grant *g;
	size_t n;
	assert_int_equal(grants_load(f->s, f->a, f->ben, &g, NULL, &n), STORE_OK);
	assert_int_equal(n, 1);
	/* Active still reaches; ending the engagement ends the reach. */
	testdb_run(f->s, f->a, "UPDATE engagement SET state = 'active' WHERE title = 'This year'", NOARGS);
	who = (actor){.person_id = f->ada};
	assert_int_equal(actor_load_grants(f->s, f->a, &who), STORE_OK);
	assert_int_equal(who.ngrants, 3);
	testdb_run(f->s, f->a, "UPDATE engagement SET state = 'ended'", NOARGS);
	who = (actor){.person_id = f->ada};
	assert_int_equal(actor_load_grants(f->s, f->a, &who), STORE_OK);
	assert_int_equal(who.ngrants, 2);
	assert_false(may(&who, ACT_READ, &person));
	/* The next test's setup deletes the orgs these refer to. */
	testdb_run(f->s, f->a, "DELETE FROM engagement", NOARGS);
}

static void test_grants_home_partner_or_none(void **state)
{
	fixture *f = F;
	grant *g;
	size_t n;
	assert_int_equal(grants_load(f->s, f->a, f->ben, &g, NULL, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].role, ROLE_PARTNER_STAFF);
	assert_int_equal(grants_home(g, n), f->partner);
	assert_int_equal(grants_load(f->s, f->a, f->cy, &g, NULL, &n), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(grants_home(g, n), 0);
	/* A district role is its own district. */
	add_role(f, f->cy, f->other_district, "district_leader", 1);
	assert_int_equal(grants_load(f->s, f->a, f->cy, &g, NULL, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].district_id, f->other_district);
}

/* ---- API tokens ---- */

static void test_token_secret_is_shown_once_and_hashed(void **state)
{
	fixture *f = F;
	int64_t id;
	const char *secret;
	assert_int_equal(token_create(f->s, f->a, f->ada, "warehouse", T0, &id, &secret), STORE_OK);
	assert_true(id > 0);
	assert_true(str_starts(secret, "cd_"));
	assert_int_equal(strlen(secret), 3 + 43); /* 32 bytes in unpadded base64url */
	for (const char *p = secret + 3; *p; p++)
		assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_');
	/* The store holds the SHA-256 hex of the secret, never the secret. */
	store_rows r = testdb_run(f->s, f->a,
				  "SELECT token_hash, name, created_at, last_used_at, revoked_at "
				  "FROM api_token WHERE id = $1",
				  ARGS(ARG_INT(id)));
	char want[65];
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
	sodium_bin2hex(want, sizeof want, h, sizeof h);
	assert_string_equal(rows_get(&r, 0, 0), want);
	char digest[65];
	token_digest(secret, digest);
	assert_string_equal(digest, want);
	assert_string_equal(rows_get(&r, 0, 1), "warehouse");
	assert_int_equal(rows_int(&r, 0, 2), T0);
	assert_null(rows_get(&r, 0, 3));
	assert_null(rows_get(&r, 0, 4));
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM api_token WHERE token_hash = $1",
				       ARGS(ARG_TEXT(secret))),
			 0);
	/* Two tokens never share a secret. */
	const char *second;
	int64_t id2;
	assert_int_equal(token_create(f->s, f->a, f->ada, "other", T0, &id2, &second), STORE_OK);
	assert_string_not_equal(second, secret);
}

static void test_token_lookup(void **state)
{
	fixture *f = F;
	int64_t id;
	const char *secret;
	assert_int_equal(token_create(f->s, f->a, f->ada, "script", T0, &id, &secret), STORE_OK);
	actor who;
	assert_int_equal(token_lookup(f->s, f->a, secret, &who), TOKEN_FOUND);
	assert_int_equal(who.person_id, f->ada);
	assert_int_equal(who.token_id, id);
	assert_int_equal(who.session_id, 0);
	assert_null(who.csrf);
	assert_string_equal(who.name, "Ada Lovelace");
	assert_string_equal(who.email, "ada@example.org");

	/* Unknown, almost right, not ours, oversized, empty. */
	char *wrong = arena_strdup(f->a, secret);
	wrong[10] = wrong[10] == 'A' ? 'B' : 'A';
	assert_int_equal(token_lookup(f->s, f->a, wrong, &who), TOKEN_NOT_FOUND);
	assert_int_equal(who.person_id, 0);
	assert_int_equal(token_lookup(f->s, f->a, secret + 3, &who), TOKEN_NOT_FOUND);
	assert_int_equal(token_lookup(f->s, f->a, "cd_", &who), TOKEN_NOT_FOUND);
	assert_int_equal(token_lookup(f->s, f->a, "", &who), TOKEN_NOT_FOUND);
	assert_int_equal(token_lookup(f->s, f->a, NULL, &who), TOKEN_NOT_FOUND);
	char big[300];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	memcpy(big, "cd_", 3);
	assert_int_equal(token_lookup(f->s, f->a, big, &who), TOKEN_NOT_FOUND);
}

static void test_token_revoke(void **state)
{
	fixture *f = F;
	int64_t id, keep;
	const char *secret, *other;
	assert_int_equal(token_create(f->s, f->a, f->ada, "gone", T0, &id, &secret), STORE_OK);
	assert_int_equal(token_create(f->s, f->a, f->ada, "kept", T0, &keep, &other), STORE_OK);
	bool changed;
	assert_int_equal(token_revoke(f->s, f->a, id, T0 + 5, &changed), STORE_OK);
	assert_true(changed);
	actor who;
	assert_int_equal(token_lookup(f->s, f->a, secret, &who), TOKEN_NOT_FOUND);
	assert_int_equal(token_lookup(f->s, f->a, other, &who), TOKEN_FOUND);
	/* Again: nothing changes, the first time stays. */
	assert_int_equal(token_revoke(f->s, f->a, id, T0 + 99, &changed), STORE_OK);
	assert_false(changed);
	api_token t;
	bool found;
	assert_int_equal(token_get(f->s, f->a, id, &t, &found), STORE_OK);
	assert_true(found);
	assert_int_equal(t.revoked_at, T0 + 5);
	assert_string_equal(t.person_email, "ada@example.org");
	assert_int_equal(token_get(f->s, f->a, id + 1000, &t, &found), STORE_OK);
	assert_false(found);

	api_token *list;
	size_t n;
	assert_int_equal(token_list(f->s, f->a, f->ada, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, keep); /* newest first */
	assert_int_equal(list[0].revoked_at, 0);
	assert_int_equal(list[1].id, id);
	assert_int_equal(list[1].revoked_at, T0 + 5);
	assert_int_equal(token_list(f->s, f->a, f->ben, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
}

static void test_token_of_deactivated_person(void **state)
{
	fixture *f = F;
	int64_t id;
	const char *secret;
	assert_int_equal(token_create(f->s, f->a, f->dee, "old", T0, &id, &secret), STORE_OK);
	actor who;
	assert_int_equal(token_lookup(f->s, f->a, secret, &who), TOKEN_PERSON_OFF);
	assert_int_equal(who.person_id, 0);
}

static void test_token_use_touches_each_minute_audits_each_hour(void **state)
{
	fixture *f = F;
	int64_t id;
	const char *secret;
	assert_int_equal(token_create(f->s, f->a, f->ada, "cron", T0, &id, &secret), STORE_OK);
	actor who;
	assert_int_equal(token_lookup(f->s, f->a, secret, &who), TOKEN_FOUND);
	/* audit_record stamps the real time, so the hour is counted from now. */
	int64_t now = now_unix();
	const char *used = "SELECT last_used_at FROM api_token WHERE id = $1";

	assert_int_equal(token_note_use(f->s, f->a, &who, f->district, "10.0.0.1", now), STORE_OK);
	assert_int_equal(testdb_scalar(f->s, f->a, used, ARGS(ARG_INT(id))), now);
	assert_int_equal(count_audit(f, "token.use"), 1);

	assert_int_equal(token_note_use(f->s, f->a, &who, f->district, "10.0.0.1", now + 30), STORE_OK);
	assert_int_equal(testdb_scalar(f->s, f->a, used, ARGS(ARG_INT(id))), now);

	assert_int_equal(token_note_use(f->s, f->a, &who, f->district, "10.0.0.1", now + 61), STORE_OK);
	assert_int_equal(testdb_scalar(f->s, f->a, used, ARGS(ARG_INT(id))), now + 61);
	assert_int_equal(count_audit(f, "token.use"), 1);

	assert_int_equal(token_note_use(f->s, f->a, &who, f->district, "10.0.0.1", now + 3700), STORE_OK);
	assert_int_equal(testdb_scalar(f->s, f->a, used, ARGS(ARG_INT(id))), now + 3700);
	assert_int_equal(count_audit(f, "token.use"), 2);

	store_rows r = testdb_run(f->s, f->a,
				  "SELECT actor_id, actor_name, kind, object_id, district_id, remote "
				  "FROM audit WHERE action = 'token.use' ORDER BY id",
				  NOARGS);
	assert_int_equal(rows_int(&r, 0, 0), f->ada);
	assert_string_equal(rows_get(&r, 0, 1), "Ada Lovelace");
	assert_string_equal(rows_get(&r, 0, 2), "token");
	assert_int_equal(rows_int(&r, 0, 3), id);
	assert_int_equal(rows_int(&r, 0, 4), f->district);
	assert_string_equal(rows_get(&r, 0, 5), "10.0.0.1");
}

static void test_token_names(void **state)
{
	(void)state;
	assert_null(token_name_problem("data warehouse"));
	assert_non_null(token_name_problem(NULL));
	assert_non_null(token_name_problem(""));
	assert_non_null(token_name_problem("   "));
	assert_non_null(token_name_problem("tab\there"));
	assert_non_null(token_name_problem("bad \xC3 byte"));
	char name[400];
	/* 100 two-byte characters are fine; 101 ASCII ones are not. */
	for (int i = 0; i < 100; i++) memcpy(name + 2 * i, "\xC3\xA9", 2);
	name[200] = 0;
	assert_null(token_name_problem(name));
	memset(name, 'a', 101);
	name[101] = 0;
	assert_non_null(token_name_problem(name));
	name[100] = 0;
	assert_null(token_name_problem(name));
}

/* ---- the CSRF rule for token requests ---- */

static req request(fixture *f, const char *method, const char *path)
{
	req rq = {.a = f->a, .db = f->s, .method = method, .path = path};
	rq.api = str_starts(path, "/api/");
	return rq;
}

static void test_guard_exempts_token_requests_only(void **state)
{
	fixture *f = F;
	route rt = {"POST", "/api/tokens", NULL, ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF};
	req rq = request(f, "POST", "/api/tokens");
	actor by_token = {.person_id = f->ada, .name = "Ada", .token_id = 7};
	rq.actor = &by_token;
	resp rs = {.fd = -1};
	access_guard(&rt, &rq, &rs);
	assert_int_equal(rs.status, 0);

	/* A cookie session without the token is refused, even on the API. */
	actor by_cookie = {.person_id = f->ada, .name = "Ada", .session_id = 3, .csrf = "secret-csrf"};
	rq.actor = &by_cookie;
	access_guard(&rt, &rq, &rs);
	assert_int_equal(rs.status, 403);
	assert_non_null(strstr(buf_cstr(&rs.body), "\"csrf\""));
	buf_free(&rs.body);

	rs = (resp){.fd = -1};
	kv given[] = {{"csrf", "secret-csrf"}};
	rq.form = (kvlist){given, 1};
	access_guard(&rt, &rq, &rs);
	assert_int_equal(rs.status, 0);
}

/* Sessions resolve to their person with grants; an expired one is treated
 * as signed out and the browser is told to drop the cookie. */
static void test_authenticate_loads_grants_and_expires(void **state)
{
	fixture *f = F;
	const char *token, *csrf;
	int64_t now = now_unix();
	assert_int_equal(session_create(f->s, f->a, f->ada, NULL, now, &token, &csrf), STORE_OK);
	kv cookie = {SESSION_COOKIE, token};
	route rt = {"GET", "/api/me", NULL, ROUTE_SIGNIN};
	req rq = request(f, "GET", "/api/me");
	rq.cookies = (kvlist){&cookie, 1};
	resp rs = {.fd = -1};
	access_authenticate(&rt, &rq, &rs);
	assert_int_equal(rs.status, 0);
	assert_non_null(rq.actor);
	assert_int_equal(rq.actor->ngrants, 2);
	assert_int_equal(rq.actor->grants[0].district_id, f->district);
	assert_int_equal(rq.actor->token_id, 0);

	/* Age the session past the idle limit. */
	testdb_run(f->s, f->a, "UPDATE signin_session SET last_seen = $1",
		   ARGS(ARG_INT(now - SESSION_IDLE_SECONDS - 1)));
	rq = request(f, "GET", "/api/me");
	rq.cookies = (kvlist){&cookie, 1};
	access_authenticate(&rt, &rq, &rs);
	assert_int_equal(rs.status, 401);
	assert_null(rq.actor);
	bool cleared = false;
	for (size_t i = 0; i < rs.nheaders; i++)
		if (str_eq(rs.headers[i].name, "Set-Cookie") &&
		    str_starts(rs.headers[i].value, "coachd_session=;"))
			cleared = true;
	assert_true(cleared);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM signin_session", NOARGS), 0);
	buf_free(&rs.body);
}

/* ---- throttling ---- */

static void fail_at(fixture *f, const char *email, const char *remote, int64_t at)
{
	assert_int_equal(throttle_failed(f->s, f->a, email, remote, at), STORE_OK);
}

static int64_t wait_for(fixture *f, const char *email, const char *remote, int64_t now)
{
	int64_t wait = -1;
	assert_int_equal(throttle_wait(f->s, f->a, email, remote, now, &wait), STORE_OK);
	return wait;
}

static void test_throttle_account_window(void **state)
{
	fixture *f = F;
	for (int i = 0; i < 4; i++) fail_at(f, "ada@example.org", "10.0.0.1", T0 + 10 * i);
	assert_int_equal(wait_for(f, "ada@example.org", "10.0.0.1", T0 + 45), 0);
	fail_at(f, "ADA@Example.org", "10.0.0.1", T0 + 40); /* case does not matter */
	/* Five in the window: blocked until the oldest leaves, 900 s after it. */
	assert_int_equal(wait_for(f, "ada@example.org", "10.0.0.1", T0 + 50), 850);
	assert_int_equal(wait_for(f, "Ada@Example.Org", "10.9.9.9", T0 + 50), 850);
	assert_int_equal(wait_for(f, "ada@example.org", NULL, T0 + 899), 1);
	assert_int_equal(wait_for(f, "ada@example.org", NULL, T0 + 900), 0);
	/* Another account from the same address is not held back. */
	assert_int_equal(wait_for(f, "ben@example.org", "10.0.0.1", T0 + 50), 0);
}

static void test_throttle_unknown_email_alike(void **state)
{
	fixture *f = F;
	for (int i = 0; i < 5; i++) fail_at(f, "nobody@example.org", "10.0.0.2", T0 + i);
	assert_int_equal(wait_for(f, "nobody@example.org", "10.0.0.3", T0 + 100), 800);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM signin_failure WHERE key = $1",
				       ARGS(ARG_TEXT("email:nobody@example.org"))),
			 5);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM signin_failure WHERE key = $1",
				       ARGS(ARG_TEXT("addr:10.0.0.2"))),
			 5);
}

static void test_throttle_address_window(void **state)
{
	fixture *f = F;
	for (int i = 0; i < 29; i++) {
		char email[64];
		snprintf(email, sizeof email, "guess%d@example.org", i);
		fail_at(f, email, "10.0.0.7", T0 + i);
	}
	assert_int_equal(wait_for(f, "fresh@example.org", "10.0.0.7", T0 + 60), 0);
	fail_at(f, "guess29@example.org", "10.0.0.7", T0 + 29);
	assert_int_equal(wait_for(f, "fresh@example.org", "10.0.0.7", T0 + 60), 840);
	assert_int_equal(wait_for(f, "fresh@example.org", "10.0.0.8", T0 + 60), 0);
	assert_int_equal(wait_for(f, "fresh@example.org", "10.0.0.7", T0 + 900), 0);
}

static void test_throttle_forgive_and_prune(void **state)
{
	fixture *f = F;
	for (int i = 0; i < 5; i++) fail_at(f, "ada@example.org", "10.0.0.1", T0 + i);
	assert_true(wait_for(f, "ada@example.org", NULL, T0 + 10) > 0);
	assert_int_equal(throttle_forgive(f->s, f->a, "Ada@example.org"), STORE_OK);
	assert_int_equal(wait_for(f, "ada@example.org", NULL, T0 + 10), 0);
	/* The address keeps its count: one right password vouches for no one else. */
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT COUNT(*) FROM signin_failure WHERE key = 'addr:10.0.0.1'",
				       NOARGS),
			 5);
	/* A failure long after drops the key's rows that left the window. */
	fail_at(f, "ada@example.org", "10.0.0.1", T0 + 5000);
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT COUNT(*) FROM signin_failure WHERE key = 'addr:10.0.0.1'",
				       NOARGS),
			 1);
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM signin_failure", NOARGS), 2);
}

static void test_throttle_keys_and_message(void **state)
{
	fixture *f = F;
	assert_string_equal(throttle_account_key(f->a, "Ada@Example.ORG"), "email:ada@example.org");
	assert_string_equal(throttle_address_key(f->a, "::1"), "addr:::1");
	assert_null(throttle_address_key(f->a, NULL));
	/* An absurdly long email is cut on a character boundary. */
	char longer[1200];
	for (int i = 0; i < 400; i++) memcpy(longer + 3 * i, "\xE2\x82\xAC", 3);
	longer[1200 - 1] = 0;
	const char *key = throttle_account_key(f->a, longer);
	assert_true(strlen(key) <= 6 + 320);
	assert_int_equal((strlen(key) - 6) % 3, 0);
	fail_at(f, longer, "10.0.0.1", T0); /* PostgreSQL takes it: valid UTF-8 */

	assert_string_equal(throttle_message(f->a, 850),
			    "Too many failed sign-ins. Try again in 15 minutes.");
	assert_string_equal(throttle_message(f->a, 30), "Too many failed sign-ins. Try again in 1 minute.");
	assert_string_equal(throttle_message(f->a, 61), "Too many failed sign-ins. Try again in 2 minutes.");
}

/* ---- the audit log ---- */

static void test_audit_record_fields(void **state)
{
	fixture *f = F;
	actor ada = {.person_id = f->ada, .name = "Ada Lovelace"};
	audit_event e = {.action = "token.create",
			 .kind = "token",
			 .object_id = 42,
			 .district_id = f->district,
			 .detail = "warehouse"};
	int64_t before = now_unix();
	assert_int_equal(audit_record(f->s, &ada, "192.0.2.1", &e), STORE_OK);
	audit_event anon = {.action = "signin.fail", .detail = "who@example.org"};
	assert_int_equal(audit_record(f->s, NULL, NULL, &anon), STORE_OK);
	store_rows r = testdb_run(f->s, f->a,
				  "SELECT at, actor_id, actor_name, action, kind, object_id, district_id, "
				  "detail, remote FROM audit ORDER BY id",
				  NOARGS);
	assert_int_equal(r.nrows, 2);
	assert_true(rows_int(&r, 0, 0) >= before && rows_int(&r, 0, 0) <= now_unix());
	assert_int_equal(rows_int(&r, 0, 1), f->ada);
	assert_string_equal(rows_get(&r, 0, 2), "Ada Lovelace");
	assert_string_equal(rows_get(&r, 0, 3), "token.create");
	assert_string_equal(rows_get(&r, 0, 4), "token");
	assert_int_equal(rows_int(&r, 0, 5), 42);
	assert_int_equal(rows_int(&r, 0, 6), f->district);
	assert_string_equal(rows_get(&r, 0, 7), "warehouse");
	assert_string_equal(rows_get(&r, 0, 8), "192.0.2.1");
	/* Nobody, no record, the installation's log. */
	assert_null(rows_get(&r, 1, 1));
	assert_null(rows_get(&r, 1, 2));
	assert_null(rows_get(&r, 1, 4));
	assert_null(rows_get(&r, 1, 5));
	assert_null(rows_get(&r, 1, 6));
	assert_null(rows_get(&r, 1, 8));
}

static void test_audit_inside_callers_transaction(void **state)
{
	fixture *f = F;
	audit_event e = {.action = "signin.ok"};
	assert_int_equal(store_begin(f->s), STORE_OK);
	assert_int_equal(audit_record(f->s, NULL, NULL, &e), STORE_OK);
	assert_int_equal(store_rollback(f->s), STORE_OK);
	assert_int_equal(count_audit(f, "signin.ok"), 0);
	assert_int_equal(store_begin(f->s), STORE_OK);
	assert_int_equal(audit_record(f->s, NULL, NULL, &e), STORE_OK);
	assert_int_equal(store_commit(f->s), STORE_OK);
	assert_int_equal(count_audit(f, "signin.ok"), 1);
}

static void test_audit_text_is_bounded_and_one_line(void **state)
{
	fixture *f = F;
	char detail[2000];
	for (int i = 0; i < 600; i++) memcpy(detail + 3 * i, "\xE2\x82\xAC", 3);
	detail[1800] = 0;
	audit_event e = {.action = "signin.fail", .detail = detail};
	assert_int_equal(audit_record(f->s, NULL, NULL, &e), STORE_OK);
	audit_event lines = {.action = "signin.fail", .detail = "a\nb\rc\td"};
	assert_int_equal(audit_record(f->s, NULL, NULL, &lines), STORE_OK);
	store_rows r = testdb_run(f->s, f->a, "SELECT detail FROM audit ORDER BY id", NOARGS);
	size_t n = strlen(rows_get(&r, 0, 0));
	assert_true(n <= 500 && n >= 495);
	assert_int_equal(n % 3, 0); /* whole characters only */
	assert_string_equal(rows_get(&r, 1, 0), "a b c d");
}

static void seed_log(fixture *f)
{
	actor ada = {.person_id = f->ada, .name = "Ada Lovelace"};
	actor ben = {.person_id = f->ben, .name = "Ben Banneker"};
	audit_event es[] = {
		{.action = "signin.ok", .district_id = f->district},
		{.action = "signin.fail", .district_id = f->district, .detail = "ada@example.org"},
		{.action = "token.create", .district_id = f->other_district},
		{.action = "signin.fail", .detail = "nobody@example.org"},
		{.action = "token.use", .district_id = f->partner},
	};
	const actor *who[] = {&ada, &ada, &ben, NULL, &ben};
	for (size_t i = 0; i < COUNT_OF(es); i++)
		assert_int_equal(audit_record(f->s, who[i], NULL, &es[i]), STORE_OK);
}

static size_t list(fixture *f, const audit_scope *scope, const audit_filter *flt, size_t limit,
		   audit_entry **out)
{
	size_t n;
	assert_int_equal(audit_list(f->s, f->a, scope, flt, limit, out, &n), STORE_OK);
	return n;
}

static void test_audit_list_scope(void **state)
{
	fixture *f = F;
	seed_log(f);
	audit_entry *e;
	audit_filter none = {0};
	audit_scope all = {.all = true};
	assert_int_equal(list(f, &all, &none, 100, &e), 5);
	assert_string_equal(e[0].action, "token.use"); /* newest first */
	assert_string_equal(e[4].action, "signin.ok");
	assert_int_equal(e[0].district_id, f->partner);
	assert_int_equal(e[1].district_id, 0);
	assert_int_equal(e[1].actor_id, 0);

	int64_t d[] = {f->district};
	audit_scope district = {.districts = d, .ndistricts = 1};
	assert_int_equal(list(f, &district, &none, 100, &e), 2);
	district.unplaced = true;
	assert_int_equal(list(f, &district, &none, 100, &e), 3);
	int64_t two[] = {f->district, f->partner};
	audit_scope both = {.districts = two, .ndistricts = 2};
	assert_int_equal(list(f, &both, &none, 100, &e), 3);
	audit_scope nothing = {0};
	assert_int_equal(list(f, &nothing, &none, 100, &e), 0);
}

static void test_audit_list_filters(void **state)
{
	fixture *f = F;
	seed_log(f);
	audit_entry *e;
	audit_scope all = {.all = true};
	audit_filter prefix = {.action = "signin."};
	assert_int_equal(list(f, &all, &prefix, 100, &e), 3);
	/* A prefix, not a pattern: _ and % are themselves. */
	audit_filter wild = {.action = "sign_n"};
	assert_int_equal(list(f, &all, &wild, 100, &e), 0);
	audit_filter pct = {.action = "%"};
	assert_int_equal(list(f, &all, &pct, 100, &e), 0);
	audit_filter mid = {.action = "fail"};
	assert_int_equal(list(f, &all, &mid, 100, &e), 0);

	audit_filter by_name = {.actor = "LOVE"};
	assert_int_equal(list(f, &all, &by_name, 100, &e), 2);
	audit_filter by_email = {.actor = "ben@EXAMPLE"};
	assert_int_equal(list(f, &all, &by_email, 100, &e), 2);
	audit_filter both = {.action = "token.", .actor = "ben"};
	assert_int_equal(list(f, &all, &both, 100, &e), 2);

	int64_t now = now_unix();
	audit_filter today = {.from = now - 3600, .until = now + 3600};
	assert_int_equal(list(f, &all, &today, 100, &e), 5);
	audit_filter past = {.until = now - 3600};
	assert_int_equal(list(f, &all, &past, 100, &e), 0);
	audit_filter future = {.from = now + 3600};
	assert_int_equal(list(f, &all, &future, 100, &e), 0);
}

static void test_audit_list_pages(void **state)
{
	fixture *f = F;
	seed_log(f);
	audit_entry *e;
	audit_scope all = {.all = true};
	audit_filter none = {0};
	assert_int_equal(list(f, &all, &none, 2, &e), 2);
	int64_t cursor = e[1].id;
	audit_filter older = {.before = cursor};
	assert_int_equal(list(f, &all, &older, 2, &e), 2);
	assert_true(e[0].id < cursor);
	assert_true(e[1].id < e[0].id);
	older.before = e[1].id;
	assert_int_equal(list(f, &all, &older, 2, &e), 1);
	assert_string_equal(e[0].action, "signin.ok");
}

static void test_time_text(void **state)
{
	fixture *f = F;
	assert_string_equal(time_iso_utc(f->a, 0), "1970-01-01T00:00:00Z");
	assert_string_equal(time_iso_utc(f->a, T0), "2023-11-14T22:13:20Z");
	assert_string_equal(time_text_utc(f->a, T0), "2023-11-14 22:13 UTC");
}

/* ---- fixtures ---- */

TESTDB_GROUP_FIXTURES("test_trust", "trust", true)

/* Every test starts from the same small world: a district with a school
 * (and a closed one), another district, a partner, and four people. */
static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	static const char *const clear[] = {"DELETE FROM audit",       "DELETE FROM signin_failure",
					    "DELETE FROM api_token",   "DELETE FROM signin_session",
					    "DELETE FROM person_role", "DELETE FROM person",
					    "DELETE FROM org"};
	testdb_run_each(f->s, f->a, clear, COUNT_OF(clear));
	f->district = add_org(f, "district", "Prairie Glen", 0, 1);
	f->school = add_org(f, "school", "Meadowbrook Elementary", f->district, 1);
	f->closed_school = add_org(f, "school", "Old Mill School", f->district, 0);
	f->other_district = add_org(f, "district", "Riverside", 0, 1);
	f->partner = add_org(f, "partner", "Lakeshore Collaborative", 0, 1);
	f->ada = add_person(f, "Ada Lovelace", "ada@example.org", 1);
	f->ben = add_person(f, "Ben Banneker", "ben@example.org", 1);
	f->cy = add_person(f, "Cy Young", "cy@example.org", 1);
	f->dee = add_person(f, "Dee Parted", "dee@example.org", 0);
	add_role(f, f->ada, f->school, "teacher", 1);
	add_role(f, f->ada, f->school, "principal", 0);
	add_role(f, f->ada, f->closed_school, "coach", 1);
	add_role(f, f->ada, f->partner, "coach", 1);
	add_role(f, f->ben, f->partner, "partner_staff", 1);
	add_role(f, f->dee, f->school, "teacher", 1);
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_test, teardown_test)

int main(void)
{
	if (sodium_init() < 0) return 1;
	const struct CMUnitTest tests[] = {
		T(test_grants_carry_their_place),
		T(test_grants_home_partner_or_none),
		T(test_grants_derived_from_engagements),
		T(test_token_secret_is_shown_once_and_hashed),
		T(test_token_lookup),
		T(test_token_revoke),
		T(test_token_of_deactivated_person),
		T(test_token_use_touches_each_minute_audits_each_hour),
		T(test_token_names),
		T(test_guard_exempts_token_requests_only),
		T(test_authenticate_loads_grants_and_expires),
		T(test_throttle_account_window),
		T(test_throttle_unknown_email_alike),
		T(test_throttle_address_window),
		T(test_throttle_forgive_and_prune),
		T(test_throttle_keys_and_message),
		T(test_audit_record_fields),
		T(test_audit_inside_callers_transaction),
		T(test_audit_text_is_bounded_and_one_line),
		T(test_audit_list_scope),
		T(test_audit_list_filters),
		T(test_audit_list_pages),
		T(test_time_text),
	};
	return TESTDB_RUN_GROUPS("trust", "trust", tests);
}
