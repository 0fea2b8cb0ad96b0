/* Sign-in sessions in the store. The cookie carries 256 random bits; the
 * store keeps only their SHA-256, so reading the database (or a backup)
 * does not let anyone sign in as someone else. */
#include "signin_session.h"

#include <sodium.h>
#include <string.h>

#include "../base/util.h"

enum {
	SECRET_BYTES = 32,
	SECRET_TEXT = 44, /* base64url without padding of 32 bytes, NUL included */
	HASH_TEXT = crypto_hash_sha256_BYTES * 2 + 1
};

/* 256 random bits as base64url text, fit for a cookie or a form field. */
static const char *random_secret(arena *a)
{
	unsigned char raw[SECRET_BYTES];
	char *text = arena_alloc(a, SECRET_TEXT);
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(text, SECRET_TEXT, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	return text;
}

static void token_hash(const char *token, char out[HASH_TEXT])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, HASH_TEXT, h, sizeof h);
}

/* Expired sessions of everyone; run at each sign-in to keep the table
 * small without a background job. */
static store_rc sweep_expired(store *s, arena *a, int64_t now)
{
	sql_arg args[] = {ARG_INT(now), ARG_INT(now - SESSION_IDLE_SECONDS)};
	return store_query(s, a, "DELETE FROM signin_session WHERE expires_at <= $1 OR last_seen <= $2", args,
			   COUNT_OF(args), NULL);
}

store_rc session_create(store *s, arena *a, int64_t person_id, const char *remote, int64_t now,
			const char **token_out, const char **csrf_out)
{
	*token_out = *csrf_out = NULL;
	if (sodium_init() < 0) return STORE_ERROR;
	store_rc rc = sweep_expired(s, a, now);
	if (rc != STORE_OK) return rc;
	const char *token = random_secret(a);
	const char *csrf = random_secret(a);
	char hash[HASH_TEXT];
	token_hash(token, hash);
	sql_arg args[] = {ARG_INT(person_id),
			  ARG_TEXT(hash),
			  ARG_TEXT(csrf),
			  ARG_INT(now),
			  ARG_INT(now + SESSION_MAX_SECONDS),
			  ARG_TEXT(remote)};
	rc = store_query(s, a,
			 "INSERT INTO signin_session (person_id, token_hash, csrf, created_at, "
			 "last_seen, expires_at, remote) VALUES ($1, $2, $3, $4, $4, $5, $6)",
			 args, COUNT_OF(args), NULL);
	if (rc != STORE_OK) return rc;
	*token_out = token;
	*csrf_out = csrf;
	return STORE_OK;
}

/* Best effort: a session that cannot be removed now is removed by the next
 * sweep, and is refused meanwhile all the same. */
static void forget_session(store *s, arena *a, int64_t id)
{
	sql_arg args[] = {ARG_INT(id)};
	(void)store_query(s, a, "DELETE FROM signin_session WHERE id = $1", args, 1, NULL);
}

/* Best effort too: a missed touch only makes the idle clock a minute early. */
static void touch_session(store *s, arena *a, int64_t id, int64_t now)
{
	sql_arg args[] = {ARG_INT(now), ARG_INT(id)};
	(void)store_query(s, a, "UPDATE signin_session SET last_seen = $1 WHERE id = $2", args,
			  COUNT_OF(args), NULL);
}

session_found session_lookup(store *s, arena *a, const char *token, int64_t now, actor *out)
{
	*out = (actor){0};
	if (!token || !*token || strnlen(token, SESSION_TOKEN_MAX + 1) > SESSION_TOKEN_MAX)
		return SESSION_NOT_FOUND;
	char hash[HASH_TEXT];
	token_hash(token, hash);
	sql_arg args[] = {ARG_TEXT(hash)};
	store_rows r;
	if (store_query(s, a,
			"SELECT s.id, s.person_id, s.csrf, s.last_seen, s.expires_at, "
			"p.name, p.email, p.active FROM signin_session s "
			"JOIN person p ON p.id = s.person_id WHERE s.token_hash = $1",
			args, 1, &r) != STORE_OK)
		return SESSION_STORE_FAILED;
	if (r.nrows != 1) return SESSION_NOT_FOUND;
	int64_t id = rows_int(&r, 0, 0);
	int64_t last_seen = rows_int(&r, 0, 3);
	int64_t expires_at = rows_int(&r, 0, 4);
	bool active = rows_int(&r, 0, 7) == 1;
	if (!active || now >= expires_at || now - last_seen >= SESSION_IDLE_SECONDS) {
		forget_session(s, a, id);
		return SESSION_NOT_FOUND;
	}
	if (now - last_seen >= SESSION_TOUCH_SECONDS) touch_session(s, a, id, now);
	*out = (actor){
		.person_id = rows_int(&r, 0, 1),
		.name = rows_get(&r, 0, 5),
		.email = rows_get(&r, 0, 6),
		.session_id = id,
		.csrf = rows_get(&r, 0, 2),
	};
	return SESSION_FOUND;
}

store_rc session_end(store *s, const char *token)
{
	if (!token || !*token || strnlen(token, SESSION_TOKEN_MAX + 1) > SESSION_TOKEN_MAX) return STORE_OK;
	char hash[HASH_TEXT];
	token_hash(token, hash);
	arena *a = arena_new();
	sql_arg args[] = {ARG_TEXT(hash)};
	store_rc rc = store_query(s, a, "DELETE FROM signin_session WHERE token_hash = $1", args, 1, NULL);
	arena_free(a);
	return rc;
}

store_rc session_end_all(store *s, int64_t person_id)
{
	arena *a = arena_new();
	sql_arg args[] = {ARG_INT(person_id)};
	store_rc rc = store_query(s, a, "DELETE FROM signin_session WHERE person_id = $1", args, 1, NULL);
	arena_free(a);
	return rc;
}

const char *session_cookie(arena *a, const char *token, bool secure)
{
	return arena_printf(a, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s", SESSION_COOKIE, token,
			    secure ? "; Secure" : "");
}

const char *session_cookie_clear(arena *a, bool secure)
{
	return arena_printf(a, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s", SESSION_COOKIE,
			    secure ? "; Secure" : "");
}
