/* Who is asking: the signed-in person behind a request, if any, with the
 * roles they hold and where they hold them. */
#ifndef COACHD_ACTOR_H
#define COACHD_ACTOR_H

#include <stddef.h>
#include <stdint.h>

typedef enum role {
	ROLE_ADMIN,
	ROLE_DISTRICT_LEADER,
	ROLE_PRINCIPAL,
	ROLE_COACH,
	ROLE_TEACHER,
	ROLE_PARTNER_STAFF,
	ROLE_COUNT
} role;

/* One role held at one organization, with that organization's place:
 * district_id is the org itself for a district, its district for a
 * school, 0 for a partner; partner_id is the org itself for a partner. */
typedef struct grant {
	role role;
	int64_t org_id;
	int64_t district_id;
	int64_t partner_id;
} grant;

typedef struct actor {
	int64_t person_id;
	const char *name;
	const char *email;
	int64_t session_id; /* 0 when authenticated by an API token */
	int64_t token_id;   /* the API token used, 0 for a session */
	const char *csrf;   /* the session's CSRF token, NULL without one */
	const grant *grants;
	size_t ngrants;
} actor;

const char *role_name(role r);  /* "district_leader" */
const char *role_label(role r); /* "District leader" */
/* Parses a role name; false for anything else. */
int role_parse(const char *name, role *out);
int actor_has_role(const actor *a, role r);

#endif
