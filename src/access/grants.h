/* Grants: the roles a person holds, each with its organization's place
 * (district or partner), loaded once per request into the actor. */
#ifndef COACHD_GRANTS_H
#define COACHD_GRANTS_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"
#include "actor.h"
#include "policy.h"

/* A grant as the account page shows it: with its organization's name. */
typedef struct held_role {
	grant g;
	const char *org_name;
	const char *org_kind; /* partner, district, school */
} held_role;

/* The active roles of person_id at active organizations, oldest first, in
 * one query. *roles may be NULL when names are not wanted. */
store_rc grants_load(store *s, arena *a, int64_t person_id, grant **grants, held_role **roles, size_t *n);

/* Loads who->grants. who is the caller's own, not yet shared. */
store_rc actor_load_grants(store *s, arena *a, actor *who);

/* Whose audit log an action of this person belongs in: their first
 * district, else their first partner, else 0 (the installation's). */
int64_t grants_home(const grant *g, size_t n);

/* The places a person belongs to, from their grants (for a record about
 * them or theirs, such as their API tokens). */
place *grants_places(arena *a, const grant *g, size_t n);

#endif
