/* API tokens: a bearer secret for scripts and integrations, standing for
 * one person with that person's rights. Shown once when made; the store
 * keeps only its SHA-256. "cd_" marks it as ours, so a secret scanner or
 * a person finding one in a file knows what it is. */
#ifndef COACHD_TOKEN_H
#define COACHD_TOKEN_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"
#include "actor.h"

#define TOKEN_PREFIX "cd_"

enum {
	TOKEN_TEXT_MAX = 128,      /* longer bearer values are not ours */
	TOKEN_NAME_MAX = 100,      /* characters of a token's name */
	TOKEN_TOUCH_SECONDS = 60,  /* last_used_at written at most this often */
	TOKEN_AUDIT_SECONDS = 3600 /* "token.use" logged at most this often */
};

typedef struct api_token {
	int64_t id;
	int64_t person_id;
	const char *name;
	int64_t created_at;
	int64_t last_used_at; /* 0: never */
	int64_t revoked_at;   /* 0: in force */
	const char *person_name;
	const char *person_email;
} api_token;

typedef enum token_found {
	TOKEN_FOUND,
	TOKEN_NOT_FOUND,  /* unknown or revoked */
	TOKEN_PERSON_OFF, /* the person is deactivated */
	TOKEN_STORE_FAILED
} token_found;

/* NULL when name will do for a token's name, else what is wrong with it. */
const char *token_name_problem(const char *name);

/* The SHA-256 of a token, as the store keeps it (64 hex digits). */
void token_digest(const char *token, char out[65]);

/* Makes a token for person_id: *secret_out (in a) is the only copy of the
 * secret there will ever be. Opens no transaction. */
store_rc token_create(store *s, arena *a, int64_t person_id, const char *name, int64_t now, int64_t *id_out,
		      const char **secret_out);

/* Resolves a bearer secret to its person (strings in a); out->token_id is
 * set and out->session_id is 0. Grants are not loaded here. */
token_found token_lookup(store *s, arena *a, const char *secret, actor *out);

/* Notes that the token behind who was used now: last_used_at at most once
 * a minute, and an audit entry "token.use" at most once an hour. Does its
 * own transaction, and only in the minute it wins the touch, so most
 * requests write nothing. district_id: whose log the entry goes to. */
store_rc token_note_use(store *s, arena *a, const actor *who, int64_t district_id, const char *remote,
			int64_t now);

/* A person's tokens, newest first, revoked ones too. */
store_rc token_list(store *s, arena *a, int64_t person_id, api_token **out, size_t *n);
store_rc token_get(store *s, arena *a, int64_t id, api_token *out, bool *found);
/* Revokes token id; *changed is false when it was revoked already. */
store_rc token_revoke(store *s, arena *a, int64_t id, int64_t now, bool *changed);
/* Revokes every token of person_id still in force: a person switched off
 * keeps none, so switching them on again revives nothing. */
store_rc token_revoke_all(store *s, arena *a, int64_t person_id, int64_t now);

#endif
