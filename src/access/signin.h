/* Signing in and out with a local account: the pages and their JSON twins.
 * Route lines (src/routes.c):
 *	{"GET", "/signin", page_signin, 0},
 *	{"POST", "/signin", page_signin_post, ROUTE_FORM},
 *	{"POST", "/signout", page_signout, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
 *	{"POST", "/api/signin", page_signin_post, ROUTE_FORM | ROUTE_JSON},
 *	{"POST", "/api/signout", page_signout, ROUTE_FORM | ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},
 */
#ifndef COACHD_SIGNIN_H
#define COACHD_SIGNIN_H

#include "../http/http.h"

handler_fn page_signin, page_signin_post, page_signout;

#endif
