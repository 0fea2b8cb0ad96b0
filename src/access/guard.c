/* The access hooks the server runs around every handler: the session
 * cookie (or, under /api/, a bearer token) becomes rq->actor with the
 * person's grants, and state-changing requests from a browser session
 * must carry the session's CSRF token. */
#include "guard.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "../base/util.h"
#include "../web/app.h"
#include "grants.h"
#include "signin_session.h"
#include "token.h"

enum { NEXT_MAX = 2000 }; /* a return address longer than this loses its query */

/* Static assets look the same to everyone; browsers send the cookie with
 * each of them, and a store read per icon would be waste. */
static bool route_ignores_actor(const route *rt)
{
	return str_starts(rt->pattern, "/static/");
}

/* The path (and query) of a Referer URL: the page a form was sent from.
 * Whose site it names does not matter: only the path is kept, and the
 * sign-in page accepts nothing but a local path. */
static const char *referer_path(const req *rq)
{
	const char *ref = req_header(rq, "Referer");
	const char *host = ref ? strstr(ref, "://") : NULL;
	const char *path = host ? strchr(host + 3, '/') : NULL;
	return path && strlen(path) <= NEXT_MAX ? path : "/";
}

/* Where to come back to after signing in: for a GET its path and query
 * (re-encoded: the request keeps only the decoded fields). A POST's body
 * cannot be replayed and its address may not answer a GET, so the page
 * its form was on is the better place to return to. */
static const char *return_address(req *rq)
{
	if (!str_eq(rq->method, "GET") && !str_eq(rq->method, "HEAD")) return referer_path(rq);
	if (rq->query.n == 0) return rq->path;
	buf b = BUF_INIT;
	buf_puts(&b, rq->path);
	for (size_t i = 0; i < rq->query.n; i++) {
		const kv *f = &rq->query.items[i];
		buf_printf(&b, "%c%s=%s", i ? '&' : '?', url_encode(rq->a, f->key),
			   url_encode(rq->a, f->value ? f->value : ""));
	}
	const char *back = b.len <= NEXT_MAX ? arena_strdup(rq->a, buf_cstr(&b)) : rq->path;
	buf_free(&b);
	return back;
}

static void ask_to_sign_in(req *rq, resp *rs)
{
	if (rq->api) {
		resp_error(rq, rs, 401, "signin_required",
			   "sign in first: this address needs a signed-in person", NULL);
		return;
	}
	resp_redirect(rs, 303, arena_printf(rq->a, "/signin?next=%s", url_encode(rq->a, return_address(rq))));
}

/* The bearer secret of an Authorization header, or NULL when there is
 * none (another scheme, such as Basic, is not ours to read). */
static const char *bearer_secret(const req *rq)
{
	/* A request built by a test has no connection to read headers from. */
	const char *h = rq->conn ? req_header(rq, "Authorization") : NULL;
	/* "Bearer" alone counts too (proxies trim a trailing space): an
	 * attempt at a token, refused as one rather than ignored. */
	if (!h || strncasecmp(h, "Bearer", 6) != 0 || (h[6] != '\0' && h[6] != ' ')) return NULL;
	h += 6;
	while (*h == ' ') h++;
	return h;
}

static void refuse_token(req *rq, resp *rs, const char *message)
{
	resp_header_add(rs, "WWW-Authenticate", "Bearer realm=\"coachd\", error=\"invalid_token\"");
	resp_error(rq, rs, 401, "bad_token", message, NULL);
}

/* A token stands for its person under /api/ only. A bad one is refused
 * outright, never passed over for the cookie: a script with a revoked
 * token must hear so, not act as whoever last used the browser. */
static void authenticate_by_token(req *rq, resp *rs, const char *secret)
{
	actor *who = arena_alloc(rq->a, sizeof *who);
	switch (token_lookup(rq->db, rq->a, secret, who)) {
	case TOKEN_FOUND: break;
	case TOKEN_NOT_FOUND: refuse_token(rq, rs, "the API token is unknown or was revoked"); return;
	case TOKEN_PERSON_OFF: refuse_token(rq, rs, "the API token's account is switched off"); return;
	case TOKEN_STORE_FAILED: resp_store_failed(rq, rs); return;
	}
	if (actor_load_grants(rq->db, rq->a, who) != STORE_OK ||
	    token_note_use(rq->db, rq->a, who, grants_home(who->grants, who->ngrants), rq->remote,
			   now_unix()) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	rq->actor = who;
}

static void authenticate_by_cookie(req *rq, resp *rs, const char *token)
{
	bool secure = rq->app && rq->app->secure_cookies;
	actor *who = arena_alloc(rq->a, sizeof *who);
	switch (session_lookup(rq->db, rq->a, token, now_unix(), who)) {
	case SESSION_FOUND: break;
	case SESSION_NOT_FOUND:
		/* Expired or ended elsewhere: stop the browser sending it. */
		resp_header_add(rs, "Set-Cookie", session_cookie_clear(rq->a, secure));
		return;
	case SESSION_STORE_FAILED: resp_store_failed(rq, rs); return;
	}
	if (actor_load_grants(rq->db, rq->a, who) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	rq->actor = who;
}

void access_authenticate(const route *rt, req *rq, resp *rs)
{
	rq->actor = NULL;
	if (route_ignores_actor(rt)) return;
	/* Pages ignore a bearer header: a browser never sends one, and a
	 * page's forms are guarded by the session's CSRF token. */
	const char *secret = rq->api ? bearer_secret(rq) : NULL;
	const char *token = req_cookie(rq, SESSION_COOKIE);
	if (secret) authenticate_by_token(rq, rs, secret);
	else if (token) authenticate_by_cookie(rq, rs, token);
	if (rs->status) return;
	if (!rq->actor && (rt->flags & ROUTE_SIGNIN)) ask_to_sign_in(rq, rs);
}

/* Both tokens are ours and public-length; the length check first keeps
 * sodium_memcmp within both, and sodium_memcmp keeps the time flat. */
static bool csrf_matches(const char *expected, const char *given)
{
	if (!expected || !given) return false;
	size_t n = strlen(expected);
	return n > 0 && strlen(given) == n && sodium_memcmp(expected, given, n) == 0;
}

/* A request that proved itself with a bearer token carries no cookie a
 * forged cross-site request could ride on, so it needs no CSRF token. */
static bool authenticated_by_token(const req *rq)
{
	return rq->actor && rq->actor->token_id && !rq->actor->session_id;
}

void access_guard(const route *rt, req *rq, resp *rs)
{
	if (!(rt->flags & ROUTE_CSRF)) return;
	if (authenticated_by_token(rq)) return;
	const char *given = req_form(rq, "csrf");
	if (!given) given = req_header(rq, "X-CSRF-Token");
	if (csrf_matches(rq->actor ? rq->actor->csrf : NULL, given)) return;
	resp_error(rq, rs, 403, "csrf",
		   "the form expired or did not come from coachd; reload the page and try again", NULL);
}
