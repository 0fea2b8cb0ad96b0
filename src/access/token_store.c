/* API tokens in the store. The secret is 256 random bits; only its
 * SHA-256 is kept (a fast hash is right here: unlike a password, the
 * secret cannot be guessed, so slowing each check would buy nothing). */
#include "token.h"

#include <sodium.h>
#include <string.h>

#include "../base/util.h"
#include "../http/parse_utf8.h"
#include "audit.h"

enum {
	SECRET_BYTES = 32,
	SECRET_B64 = 44, /* base64url of 32 bytes without padding, NUL included */
	DIGEST_TEXT = 65
};

const char *token_name_problem(const char *name)
{
	if (!name) return "Give the token a name, such as the script that will use it.";
	size_t len = strlen(name);
	if (!parse_utf8_valid(name, len)) return "The name has bytes that are not text.";
	bool visible = false;
	for (const char *p = name; *p; p++) visible |= *p != ' ';
	if (!visible) return "Give the token a name, such as the script that will use it.";
	switch (text_line_check(name, TOKEN_NAME_MAX)) {
	case TEXT_LINE_BREAKS: return "The name cannot contain control characters.";
	case TEXT_LINE_LONG: return "The name is longer than 100 characters.";
	default: break;
	}
	return NULL;
}

void token_digest(const char *token, char out[DIGEST_TEXT])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, DIGEST_TEXT, h, sizeof h);
}

static const char *new_secret(arena *a)
{
	unsigned char raw[SECRET_BYTES];
	char b64[SECRET_B64];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	const char *secret = arena_printf(a, TOKEN_PREFIX "%s", b64);
	sodium_memzero(b64, sizeof b64);
	return secret;
}

store_rc token_create(store *s, arena *a, int64_t person_id, const char *name, int64_t now, int64_t *id_out,
		      const char **secret_out)
{
	*id_out = 0;
	*secret_out = NULL;
	if (sodium_init() < 0) return STORE_ERROR;
	const char *secret = new_secret(a);
	char digest[DIGEST_TEXT];
	token_digest(secret, digest);
	sql_arg args[] = {ARG_INT(person_id), ARG_TEXT(name), ARG_TEXT(digest), ARG_INT(now)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "INSERT INTO api_token (person_id, name, token_hash, created_at) "
				  "VALUES ($1, $2, $3, $4) RETURNING id",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	if (r.nrows != 1) return STORE_ERROR;
	*id_out = rows_int(&r, 0, 0);
	*secret_out = secret;
	return STORE_OK;
}

/* Only strings shaped like ours are looked up: anything else is not a
 * token of ours, whatever the store might hold. */
static bool shaped_like_token(const char *secret)
{
	return secret && str_starts(secret, TOKEN_PREFIX) &&
		strnlen(secret, TOKEN_TEXT_MAX + 1) <= TOKEN_TEXT_MAX &&
		strlen(secret) > strlen(TOKEN_PREFIX);
}

token_found token_lookup(store *s, arena *a, const char *secret, actor *out)
{
	*out = (actor){0};
	if (!shaped_like_token(secret)) return TOKEN_NOT_FOUND;
	char digest[DIGEST_TEXT];
	token_digest(secret, digest);
	sql_arg args[] = {ARG_TEXT(digest)};
	store_rows r;
	if (store_query(s, a,
			"SELECT t.id, t.person_id, t.revoked_at, p.name, p.email, p.active "
			"FROM api_token t JOIN person p ON p.id = t.person_id WHERE t.token_hash = $1",
			args, 1, &r) != STORE_OK)
		return TOKEN_STORE_FAILED;
	if (r.nrows != 1 || rows_get(&r, 0, 2)) return TOKEN_NOT_FOUND;
	if (rows_int(&r, 0, 5) != 1) return TOKEN_PERSON_OFF;
	*out = (actor){
		.person_id = rows_int(&r, 0, 1),
		.name = rows_get(&r, 0, 3),
		.email = rows_get(&r, 0, 4),
		.token_id = rows_int(&r, 0, 0),
	};
	return TOKEN_FOUND;
}

/* The touch is conditional, so of several processes using the token in
 * the same minute exactly one changes the row and goes on to the audit. */
static store_rc touch(store *s, arena *a, int64_t id, int64_t now, bool *won)
{
	sql_arg args[] = {ARG_INT(now), ARG_INT(id), ARG_INT(now - TOKEN_TOUCH_SECONDS)};
	store_rc rc = store_query(s, a,
				  "UPDATE api_token SET last_used_at = $1 WHERE id = $2 "
				  "AND (last_used_at IS NULL OR last_used_at <= $3)",
				  args, COUNT_OF(args), NULL);
	*won = rc == STORE_OK && store_changes(s) == 1;
	return rc;
}

static store_rc use_logged_lately(store *s, arena *a, const actor *who, int64_t now, bool *lately)
{
	sql_arg args[] = {ARG_INT(who->person_id), ARG_INT(who->token_id),
			  ARG_INT(now - TOKEN_AUDIT_SECONDS)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT COUNT(*) FROM audit WHERE actor_id = $1 AND action = 'token.use' "
				  "AND object_id = $2 AND at > $3",
				  args, COUNT_OF(args), &r);
	*lately = rc == STORE_OK && rows_int(&r, 0, 0) > 0;
	return rc;
}

store_rc token_note_use(store *s, arena *a, const actor *who, int64_t district_id, const char *remote,
			int64_t now)
{
	store_rc rc = store_begin(s);
	if (rc != STORE_OK) return rc;
	bool won = false, lately = true;
	rc = touch(s, a, who->token_id, now, &won);
	if (rc == STORE_OK && won) rc = use_logged_lately(s, a, who, now, &lately);
	if (rc == STORE_OK && won && !lately) {
		audit_event e = {.action = "token.use",
				 .kind = "token",
				 .object_id = who->token_id,
				 .district_id = district_id};
		rc = audit_record(s, who, remote, &e);
	}
	if (rc == STORE_OK) rc = store_commit(s);
	if (rc != STORE_OK) store_rollback(s);
	return rc;
}

#define TOKEN_COLUMNS \
	"t.id, t.person_id, t.name, t.created_at, t.last_used_at, t.revoked_at, p.name, p.email "

static void token_from_row(const store_rows *r, size_t i, api_token *t)
{
	*t = (api_token){
		.id = rows_int(r, i, 0),
		.person_id = rows_int(r, i, 1),
		.name = rows_get(r, i, 2),
		.created_at = rows_int(r, i, 3),
		.last_used_at = rows_int(r, i, 4),
		.revoked_at = rows_int(r, i, 5),
		.person_name = rows_get(r, i, 6),
		.person_email = rows_get(r, i, 7),
	};
}

store_rc token_list(store *s, arena *a, int64_t person_id, api_token **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sql_arg args[] = {ARG_INT(person_id)};
	store_rows r;
	store_rc rc =
		store_query(s, a,
			    "SELECT " TOKEN_COLUMNS "FROM api_token t JOIN person p ON p.id = t.person_id "
			    "WHERE t.person_id = $1 ORDER BY t.id DESC",
			    args, 1, &r);
	if (rc != STORE_OK) return rc;
	api_token *list = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *list);
	for (size_t i = 0; i < r.nrows; i++) token_from_row(&r, i, &list[i]);
	*out = list;
	*n = r.nrows;
	return STORE_OK;
}

store_rc token_get(store *s, arena *a, int64_t id, api_token *out, bool *found)
{
	*found = false;
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc =
		store_query(s, a,
			    "SELECT " TOKEN_COLUMNS "FROM api_token t JOIN person p ON p.id = t.person_id "
			    "WHERE t.id = $1",
			    args, 1, &r);
	if (rc != STORE_OK || r.nrows != 1) return rc;
	token_from_row(&r, 0, out);
	*found = true;
	return STORE_OK;
}

store_rc token_revoke(store *s, arena *a, int64_t id, int64_t now, bool *changed)
{
	sql_arg args[] = {ARG_INT(now), ARG_INT(id)};
	store_rc rc =
		store_query(s, a, "UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
			    args, COUNT_OF(args), NULL);
	*changed = rc == STORE_OK && store_changes(s) == 1;
	return rc;
}

store_rc token_revoke_all(store *s, arena *a, int64_t person_id, int64_t now)
{
	sql_arg args[] = {ARG_INT(now), ARG_INT(person_id)};
	return store_query(s, a,
			   "UPDATE api_token SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL",
			   args, COUNT_OF(args), NULL);
}
