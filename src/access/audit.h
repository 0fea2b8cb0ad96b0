/* The audit log: append-only. Sign-ins (success, failure, throttled),
 * token creation and use, role changes, imports, exports, shares and
 * unshares, and every read of confidential content by someone other than
 * its owners. Written inside the caller's transaction when there is one,
 * so a change and its audit entry land together. */
#ifndef COACHD_AUDIT_H
#define COACHD_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"
#include "actor.h"
#include "policy.h"

typedef struct audit_event {
	const char *action;  /* "signin.ok", "token.create", "role.grant", ... */
	const char *kind;    /* record kind name, or NULL */
	int64_t object_id;   /* 0: none */
	int64_t district_id; /* whose log it belongs to; 0: the installation's */
	const char *detail;  /* short plain text, no confidential content */
} audit_event;

/* who may be NULL (a failed sign-in, the command line). remote may be NULL. */
store_rc audit_record(store *s, const actor *who, const char *remote, const audit_event *e);

/* ---- reading the log (audit_store.c) ---- */
enum { AUDIT_PAGE_SIZE = 100 };

typedef struct audit_entry {
	int64_t id;
	int64_t at;
	int64_t actor_id; /* 0: nobody signed in (a failed sign-in, the CLI) */
	const char *actor_name;
	const char *action;
	const char *kind;
	int64_t object_id;
	int64_t district_id; /* 0: the installation's */
	const char *detail;
	const char *remote;
} audit_entry;

/* What to list. Text fields NULL when not filtering by them. */
typedef struct audit_filter {
	const char *action; /* prefix: "signin." */
	const char *actor;  /* part of the actor's name or email */
	int64_t from;       /* at >= from (unix seconds); 0: no bound */
	int64_t until;      /* at < until; 0: no bound */
	int64_t before;     /* id < before (the "Older" cursor); 0: newest */
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
store_rc audit_list(store *s, arena *a, const audit_scope *scope, const audit_filter *f, size_t limit,
		    audit_entry **out, size_t *n);

#endif
