/* People and the roles they hold at organizations: the directory, its
 * administration (create, edit, deactivate, reactivate) and granting and
 * revoking roles. Rules in people.c; storage in people_store.c; the
 * checked changes pages and API share in people_change.c; pages in
 * people_pages.c and the JSON API in people_api.c. */
#ifndef COACHD_PEOPLE_H
#define COACHD_PEOPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "../access/actor.h"
#include "../access/policy.h"
#include "../base/arena.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../org/org.h"
#include "../store/store.h"

enum {
	EMAIL_MAX_BYTES = 254, /* RFC 5321's limit on a whole address */
	EMAIL_LOCAL_MAX = 64,  /* and on the part before the @ */
	PEOPLE_PAGE_SIZE = 50,
	PEOPLE_MAX_PAGE = 100000
};

/* A role a person holds, with its organization. */
typedef struct held {
	int64_t id; /* person_role.id */
	role role;
	int64_t org_id;
	const char *org_name;
	const char *org_kind;
	int64_t org_parent_id;
	bool org_active;
} held;

typedef struct person {
	int64_t id;
	const char *name;
	const char *email; /* NULL for a rostered person without one */
	bool active;
	bool has_password;
	held *roles; /* active roles only */
	size_t nroles;
} person;

typedef struct person_team {
	int64_t id;
	const char *name;
	int64_t org_id;
	const char *org_name;
	const char *org_kind;
	int64_t org_parent_id;
} person_team;

typedef struct people_filter {
	const char *q;    /* part of the name or email; NULL: all */
	int64_t org_id;   /* a role at this org or, for a district, its schools */
	const char *role; /* a role name; NULL: any */
	bool inactive;    /* deactivated people too */
	int64_t page;     /* from 1 */
} people_filter;

/* What a form or JSON body asks a new or changed person to be, trimmed. */
typedef struct person_input {
	const char *name;
	const char *email;
	const char *role;     /* a new person's first role */
	int64_t org_id;       /* where they hold it */
	bool org_unreadable;  /* an org was given but is not an id */
	const char *password; /* optional first password; never shown again */
} person_input;

/* ---- rules (people.c, pure) ---- */
/* NULL when email (already trimmed) looks like an address we can keep;
 * else a sentence saying what is wrong. */
const char *email_problem(const char *email);
/* NULL when role r may be held at an org of this kind: a teacher or
 * principal at a school, a district leader at a district, partner staff
 * at a partner, a coach or an administrator anywhere. */
const char *role_org_problem(role r, const char *org_kind);
/* A new person: name, email, first role and org, optional password. */
void person_check_new(const person_input *in, form_errors *e);
/* An edit: name and email (email may stay empty when it was). */
void person_check_edit(const person_input *in, bool email_required, form_errors *e);
/* A role to grant: its name and org. */
void role_check(const char *role_name, int64_t org_id, bool org_unreadable, form_errors *e);
/* A held role's place, as the policy sees it. */
place held_place(const held *h);
/* The record may() is asked about for a person: at every place they
 * hold an active role, and about them. */
record person_record(arena *a, const person *p);
/* The policy's kind for granting role r: a district leader's role is its
 * own kind, the first one a district ever has another (an administrator
 * may give only that one); every other role is REC_ROLE. */
record_kind role_grant_kind(role r, bool district_had_leader);
/* The record for granting (kind from role_grant_kind) or revoking
 * (REC_ROLE) a role at an org's place, for person_id (0: a new person). */
record role_record(record_kind kind, const place *p, int64_t person_id);
/* How many active admin roles p holds. */
size_t person_admin_roles(const person *p);

/* ---- storage (people_store.c) ---- */
/* One page of people the visibility reaches (plus self_id, the asker),
 * ordered by name, each with their active roles; *more when there are
 * further pages. */
store_rc people_list(store *s, arena *a, const people_filter *f, const visibility *v, int64_t self_id,
		     person **out, size_t *n, bool *more);
store_rc person_get(store *s, arena *a, int64_t id, person *out, bool *found);
store_rc person_teams(store *s, arena *a, int64_t id, person_team **out, size_t *n);
/* *taken: someone other than except_id has this email, in any case. */
store_rc person_email_taken(store *s, arena *a, const char *email, int64_t except_id, bool *taken);
store_rc person_insert(store *s, arena *a, const char *name, const char *email, const char *password_hash,
		       int64_t *id);
store_rc person_update(store *s, arena *a, int64_t id, const char *name, const char *email);
store_rc person_set_active(store *s, arena *a, int64_t id, bool active);
/* Grants role at org (reviving a revoked grant of the same); *id is the
 * grant's id. */
store_rc role_grant(store *s, arena *a, int64_t person_id, int64_t org_id, const char *role_name,
		    int64_t *id);
store_rc role_revoke(store *s, arena *a, int64_t role_id);
/* Has the district ever had a district leader, active or not? */
store_rc district_had_leader(store *s, arena *a, int64_t district_id, bool *had);

/* ---- changes (people_change.c): may(), checks, transaction, audit ---- */
bool may_person(const req *rq, action act, const person *p);
/* The orgs at which the actor may grant roles (for the selects). */
store_rc role_org_choices(req *rq, org **out, size_t *n);
/* Could the asker grant some role somewhere (any role, or a district
 * leader's)? */
bool may_grant_roles(const req *rq);
/* A new person with their first role (and password, when given). */
void person_create(req *rq, const person_input *in, outcome *out);
/* in->name and in->email are the whole new state. */
void person_change(req *rq, const person *p, const person_input *in, outcome *out);
void person_set_activity(req *rq, const person *p, bool active, outcome *out);
void person_role_add(req *rq, const person *p, const char *role_name, int64_t org_id, bool org_unreadable,
		     outcome *out);
void person_role_remove(req *rq, const person *p, int64_t role_id, outcome *out);

/* ---- loaders and lists the pages and the API share (people_change.c): each answers
 * the request itself (404, 403, 500) and returns false when it did ---- */
/* Reads ?q=&org=&role=&inactive=1&page=N; answers 400 naming the field. */
bool people_filter_read(req *rq, resp *rs, people_filter *f);
/* One page of the people the actor may see: filtered in SQL by the
 * policy's visibility, then each row checked with may(). */
store_rc people_visible(req *rq, const people_filter *f, person **out, size_t *n, bool *more);
/* Loads the person named by {id}; 404 also when the actor may not read
 * them, so that their existence is not told. */
bool person_load(req *rq, resp *rs, person *p);

/* ---- pages (people_pages.c) and API (people_api.c) ---- */
handler_fn page_people, page_person, page_person_new, page_person_create, page_person_edit,
	page_person_update, page_person_deactivate, page_person_reactivate, page_person_role_add,
	page_person_role_remove;
handler_fn api_people, api_person, api_person_create, api_person_update, api_person_deactivate,
	api_person_reactivate, api_person_role_add, api_person_role_remove;

#endif
