/* Accounts in the store, as signing in and the command line read and
 * write them: a person by email (in any mix of capitals), their password,
 * a new person and a role given by the installation's operator, and an
 * organization named on the command line. */
#ifndef COACHD_ACCOUNT_STORE_H
#define COACHD_ACCOUNT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"

typedef struct account {
	int64_t id;
	const char *name;
	const char *email;
	const char *password_hash; /* NULL: no password set */
	bool active;
} account;

/* The account an email names, regardless of case; the one with a
 * password first should an import have left two that differ only in
 * case. *found false when there is none. */
store_rc account_by_email(store *s, arena *a, const char *email, account *out, bool *found);
store_rc account_password_save(store *s, arena *a, int64_t person_id, const char *hash);
/* A new person with no role yet (the command line gives one next). */
store_rc account_insert(store *s, arena *a, const char *name, const char *email, int64_t now, int64_t *id);
/* Gives role at org, unless they hold it there already. */
store_rc account_role_give(store *s, arena *a, int64_t person_id, int64_t org_id, const char *role_name);
/* The ids of organizations with this exact id or name, oldest first. */
store_rc account_orgs_named(store *s, arena *a, const char *id_or_name, store_rows *out);

#endif
