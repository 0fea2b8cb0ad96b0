/* `coachd user …`: local accounts from the command line, and the two
 * account operations the demo loader shares with it. */
#ifndef COACHD_USER_CLI_H
#define COACHD_USER_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"

/* coachd user add EMAIL --name N --role ROLE --org ORG [--password-stdin]
 * coachd user password EMAIL            (new password on stdin)
 * argv[0] is "add" or "password". Returns 0 on success, 2 for a usage
 * error or a weak password, 1 when the work itself failed. */
int cmd_user(int argc, char **argv, const char *dsn);

/* Sets the password of the person with this email (any case) and ends
 * their sessions. 0 on success; 2 when the password is weak (err holds
 * password_problem's sentence); 1 otherwise (no such person, store
 * failure), with the cause in err. Opens no transaction (see below): the
 * two writes land together inside the caller's. */
int account_set_password(store *s, arena *a, const char *email, const char *password, char *err,
			 size_t errlen);

/* Finds the person with this email (any case) or creates them with name,
 * and gives them role at org_id (kept if they hold it already). Returns
 * the person's id, or 0 with the cause in err. Opens no transaction: the
 * demo loader calls it inside its own, and the CLI wraps it in one; it
 * checks email, role, org and name before writing anything. */
int64_t person_add_with_role(store *s, arena *a, const char *email, const char *name, const char *role,
			     int64_t org_id, char *err, size_t errlen);

#endif
