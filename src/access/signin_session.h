/* Sign-in sessions: a random token in a cookie, only its SHA-256 in the
 * store, an idle and an absolute expiry, and a CSRF token per session. */
#ifndef COACHD_SIGNIN_SESSION_H
#define COACHD_SIGNIN_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"
#include "actor.h"

#define SESSION_COOKIE "coachd_session"

enum {
	SESSION_IDLE_SECONDS = 8 * 3600,     /* unused this long: ended */
	SESSION_MAX_SECONDS = 7 * 24 * 3600, /* after sign-in: ended regardless */
	SESSION_TOUCH_SECONDS = 60,          /* last_seen written at most this often */
	SESSION_TOKEN_MAX = 128              /* longer cookies are not ours */
};

typedef enum session_found {
	SESSION_FOUND,
	SESSION_NOT_FOUND,   /* unknown, expired, or the person is deactivated */
	SESSION_STORE_FAILED /* see store_errmsg() */
} session_found;

/* Starts a session for person_id: *token_out goes in the cookie and is
 * never stored; *csrf_out guards the session's forms. Both are base64url
 * text of 256 random bits, allocated in a. Also removes expired sessions
 * of everyone, since sign-ins are rare enough to carry that cost. */
store_rc session_create(store *s, arena *a, int64_t person_id, const char *remote, int64_t now,
			const char **token_out, const char **csrf_out);

/* Resolves a cookie's token to who is signed in (strings in a). An expired
 * session is removed on sight; last_seen moves at most once a minute, so
 * most requests cost one read and no write. */
session_found session_lookup(store *s, arena *a, const char *token, int64_t now, actor *out);

/* Ends the session behind token (signing out); no error if there is none. */
store_rc session_end(store *s, const char *token);
/* Ends every session of a person ("sign out everywhere", password change). */
store_rc session_end_all(store *s, int64_t person_id);

/* Set-Cookie values: the session cookie (a browser-session cookie: it goes
 * when the browser closes, which suits shared classroom devices) and the
 * one that clears it. */
const char *session_cookie(arena *a, const char *token, bool secure);
const char *session_cookie_clear(arena *a, bool secure);

#endif
