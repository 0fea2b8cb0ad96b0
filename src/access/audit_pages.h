/* The audit log's pages and API: who did what, filtered and paged, for
 * the people the access policy lets read it. There are no routes that
 * edit or delete an entry: the log is append-only by construction.
 * Route lines (src/web/routes.c):
 *	{"GET", "/audit", page_audit, ROUTE_SIGNIN},
 *	{"GET", "/api/audit", api_audit, ROUTE_SIGNIN},
 */
#ifndef COACHD_AUDIT_PAGES_H
#define COACHD_AUDIT_PAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../http/http.h"
#include "../store/store.h"
#include "policy.h"

enum { AUDIT_PAGE_SIZE = 100 };

typedef struct audit_entry {
	int64_t id;
	int64_t at;
	int64_t actor_id;      /* 0: nobody signed in (a failed sign-in, the CLI) */
	const char *actor_name;
	const char *action;
	const char *kind;
	int64_t object_id;
	int64_t district_id;   /* 0: the installation's */
	const char *detail;
	const char *remote;
} audit_entry;

/* What to list. Text fields NULL when not filtering by them. */
typedef struct audit_filter {
	const char *action;    /* prefix: "signin." */
	const char *actor;     /* part of the actor's name or email */
	int64_t from;          /* at >= from (unix seconds); 0: no bound */
	int64_t until;         /* at < until; 0: no bound */
	int64_t before;        /* id < before (the "Older" cursor); 0: newest */
} audit_filter;

/* Where the reader may look: the store filters by this before may()
 * checks each row. unplaced: entries of no district too. */
typedef struct audit_scope {
	bool all;
	const int64_t *districts;
	size_t ndistricts;
	bool unplaced;
} audit_scope;

/* Up to limit entries, newest first. */
store_rc audit_list(store *s, arena *a, const audit_scope *scope, const audit_filter *f,
		    size_t limit, audit_entry **out, size_t *n);

/* Times as coachd shows them, always in UTC: "2025-03-04 14:05 UTC" on
 * pages, "2025-03-04T14:05:09Z" (ISO 8601) in JSON. */
const char *time_text_utc(arena *a, int64_t at);
const char *time_iso_utc(arena *a, int64_t at);

handler_fn page_audit, api_audit;

#endif
