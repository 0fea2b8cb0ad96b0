/* The audit log: append-only. Sign-ins (success, failure, throttled),
 * token creation and use, role changes, imports, exports, shares and
 * unshares, and every read of confidential content by someone other than
 * its owners. Written inside the caller's transaction when there is one,
 * so a change and its audit entry land together. */
#ifndef COACHD_AUDIT_H
#define COACHD_AUDIT_H

#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"
#include "actor.h"

typedef struct audit_event {
	const char *action;   /* "signin.ok", "token.create", "role.grant", ... */
	const char *kind;     /* record kind name, or NULL */
	int64_t object_id;    /* 0: none */
	int64_t district_id;  /* whose log it belongs to; 0: the installation's */
	const char *detail;   /* short plain text, no confidential content */
} audit_event;

/* who may be NULL (a failed sign-in, the command line). remote may be NULL. */
store_rc audit_record(store *s, const actor *who, const char *remote, const audit_event *e);

#endif
