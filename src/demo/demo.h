/* The demo database behind `coachd demo`. The demo writes its rows
 * directly, as a migration does, rather than through each feature's checked
 * changes: it is storage from end to end, so every file here is a _store.c,
 * and it sets up states (a cycle half-way through, a walk already rated)
 * that no single change makes. */
#ifndef COACHD_DEMO_H
#define COACHD_DEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "../store/store.h"

typedef struct demo_account {
	const char *email;
	const char *name;
	const char *role;
	const char *org;         /* key into the demo's organizations */
	const char *description; /* printed beside the sign-in */
} demo_account;

/* Loads the demo in one transaction; 1 with a message on failure. */
int demo_load(store *s, arena *a, char *err, size_t errlen);
int demo_is_empty(store *s, arena *a, bool *empty);
const demo_account *demo_accounts(size_t *n);
const char *demo_account_password(void);

/* The observation part of the demo, one file each (demo_rubric.c,
 * demo_walk.c, demo_calibration.c), run in this order inside demo_load's
 * transaction, after the people, sessions and cycles exist. */
store_rc demo_rubrics(store *s, arena *a);
store_rc demo_walks(store *s, arena *a);
store_rc demo_calibrations(store *s, arena *a);

/* ---- what the parts look up of the demo loaded before them (demo.c) ---- */

/* The id sql finds for key (the first column of its first row; key NULL:
 * sql takes no argument); 0 when there is none or the store fails. */
int64_t demo_id(store *s, arena *a, const char *sql, const char *key);
/* A person, an organization (district, school or partner) by name. */
int64_t demo_person(store *s, arena *a, const char *name);
int64_t demo_org(store *s, arena *a, const char *name);
/* The current version of a built-in framework ("tru", "tp", "mp"). */
int64_t demo_builtin_rubric(store *s, arena *a, const char *builtin_key);

#endif
