/* The route table: every address coachd answers, read top to bottom.
 * Method, pattern ({name} is one path segment), handler, flags. */
#include "../access/signin.h"
#include "../org/org.h"
#include "app.h"
#include "pages.h"

static const route routes[] = {
	/* machinery */
	{"GET", "/", page_home, 0},
	{"GET", "/healthz", page_healthz, 0},
	{"GET", "/metrics", page_metrics, 0},
	{"GET", "/static/{name}", page_static, 0},
	{"POST", "/csp-report", page_csp_report, ROUTE_RAW},

	/* signing in and out */
	{"GET", "/signin", page_signin, 0},
	{"POST", "/signin", page_signin_post, ROUTE_FORM},
	{"POST", "/signout", page_signout, ROUTE_FORM | ROUTE_SIGNIN | ROUTE_CSRF},
	{"POST", "/api/signin", page_signin_post, ROUTE_FORM | ROUTE_JSON},
	{"POST", "/api/signout", page_signout, ROUTE_FORM | ROUTE_JSON | ROUTE_SIGNIN | ROUTE_CSRF},

	/* account: API tokens, signing out everywhere (src/access) */

	/* audit log (src/access) */

	/* organizations (src/org) */
	{"GET", "/orgs", page_orgs, 0},
	{"GET", "/orgs/{id}", page_org, 0},
	{"GET", "/api/orgs", api_orgs, 0},
	{"GET", "/api/orgs/{id}", api_org, 0},

	/* people and their roles (src/people) */

	/* teams (src/team) */

	/* school years and terms (src/schoolyear) */

	/* roster import (src/roster) */
};

const route *app_routes(size_t *n)
{
	*n = sizeof routes / sizeof routes[0];
	return routes;
}
