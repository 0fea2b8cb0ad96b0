/* The access hooks the server runs around every handler: the session
 * cookie becomes rq->actor, and state-changing requests must carry the
 * session's CSRF token. */
#include "guard.h"

#include <sodium.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "session.h"

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
	resp_redirect(rs, 303,
		      arena_printf(rq->a, "/signin?next=%s", url_encode(rq->a, return_address(rq))));
}

void access_authenticate(const route *rt, req *rq, resp *rs)
{
	rq->actor = NULL;
	if (route_ignores_actor(rt)) return;
	const char *token = req_cookie(rq, SESSION_COOKIE);
	if (token) {
		bool secure = rq->app && rq->app->secure_cookies;
		actor *who = arena_alloc(rq->a, sizeof *who);
		switch (session_lookup(rq->db, rq->a, token, now_unix(), who)) {
		case SESSION_FOUND:
			rq->actor = who;
			break;
		case SESSION_NOT_FOUND:
			/* Expired or ended elsewhere: stop the browser sending it. */
			resp_header_add(rs, "Set-Cookie", session_cookie_clear(rq->a, secure));
			break;
		case SESSION_STORE_FAILED:
			resp_store_failed(rq, rs);
			return;
		}
	}
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

void access_guard(const route *rt, req *rq, resp *rs)
{
	if (!(rt->flags & ROUTE_CSRF)) return;
	const char *given = req_form(rq, "csrf");
	if (!given) given = req_header(rq, "X-CSRF-Token");
	if (csrf_matches(rq->actor ? rq->actor->csrf : NULL, given)) return;
	resp_error(rq, rs, 403, "csrf",
		   "the form expired or did not come from coachd; reload the page and try again", NULL);
}
