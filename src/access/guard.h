/* The server's two access hooks: who is asking (from the session cookie,
 * or an API token under /api/, before the body is read; with their
 * grants) and whether a state-changing request carries its session's
 * CSRF token (after the body, before the handler). */
#ifndef COACHD_GUARD_H
#define COACHD_GUARD_H

#include "../http/http.h"

/* server_config.authenticate: sets rq->actor, with the person's grants,
 * from "Authorization: Bearer cd_..." under /api/ (a bad token is 401
 * "bad_token", never passed over for the cookie; elsewhere the header is
 * ignored) or else from the session cookie. A ROUTE_SIGNIN route without
 * one gets 401 "signin_required" under /api/, else a 303 to
 * /signin?next=<this address> (for a POST, the address of the page it
 * came from, per Referer, else "/"). */
void access_authenticate(const route *rt, req *rq, resp *rs);

/* server_config.guard: a ROUTE_CSRF route needs the form field "csrf" or
 * the header X-CSRF-Token equal to the session's token; else 403 "csrf".
 * A request authenticated by an API token needs none (no cookie rode
 * along that another site could have made the browser send). */
void access_guard(const route *rt, req *rq, resp *rs);

#endif
