/* The signed-in person's own account: who they are, the roles they hold
 * where, signing out on every device, and their API tokens (made, listed
 * and revoked here; administrators may revoke the tokens of people in
 * their district through the same API).
 * Route lines (src/routes.c):
 *	{"GET", "/account", page_account, ROUTE_SIGNIN},
 *	{"POST", "/account/signout-everywhere", page_account_signout_everywhere, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
 *	{"POST", "/account/tokens", page_account_token_create, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
 *	{"POST", "/account/tokens/{id}/revoke", page_account_token_revoke, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
 *	{"GET", "/api/me", api_me, ROUTE_SIGNIN},
 *	{"GET", "/api/tokens", api_tokens, ROUTE_SIGNIN},
 *	{"POST", "/api/tokens", api_token_create, ROUTE_FORM | ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
 *	{"DELETE", "/api/tokens/{id}", api_token_delete, ROUTE_SIGNIN | ROUTE_CSRF},
 */
#ifndef COACHD_ACCOUNT_H
#define COACHD_ACCOUNT_H

#include "../http/http.h"

handler_fn page_account, page_account_signout_everywhere, page_account_token_create,
	page_account_token_revoke, api_me, api_tokens, api_token_create, api_token_delete;

#endif
