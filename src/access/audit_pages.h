/* The audit log's pages and API: who did what, filtered and paged, for
 * the people the access policy lets read it. There are no routes that
 * edit or delete an entry: the log is append-only by construction.
 * Route lines (src/routes.c):
 *	{"GET", "/audit", page_audit, ROUTE_SIGNIN},
 *	{"GET", "/api/audit", api_audit, ROUTE_SIGNIN},
 */
#ifndef COACHD_AUDIT_PAGES_H
#define COACHD_AUDIT_PAGES_H

#include "../http/http.h"

handler_fn page_audit, api_audit;

#endif
