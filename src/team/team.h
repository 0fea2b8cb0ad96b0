/* Teams: grade-level, grade-band, vertical, PLC and role-diverse leadership
 * teams of a school or a district, and their members. Rules in team.c;
 * storage in team_store.c; the checked changes pages and API share in
 * team_change.c; pages in team_pages.c and the JSON API in team_api.c. */
#ifndef COACHD_TEAM_H
#define COACHD_TEAM_H

#include <stdbool.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../org/org.h"
#include "../store/store.h"

/* A team with at least this many distinct roles among its members is
 * role-diverse: a district's sense-making teams bring teachers, coaches,
 * principals and district staff together, and three of those four is
 * the least that still mixes the levels of a district. */
enum { TEAM_DIVERSE_ROLES = 3 };

typedef struct team {
	int64_t id;
	int64_t org_id; /* the school or district it belongs to */
	const char *org_name;
	const char *org_kind; /* school, district */
	int64_t district_id;  /* the org itself for a district's own team */
	const char *district_name;
	const char *name;
	const char *kind;  /* grade_level, grade_band, vertical, plc, leadership */
	const char *grade; /* "4", "K", "6-8", or NULL */
	bool active;
	int64_t members;      /* active members */
	bool actor_is_member; /* the person asking is an active member */
} team;

/* A member with the roles they hold in the team's district: as bits
 * (1 << role) for counting, and as "Principal, Meadowbrook …" to show. */
typedef struct team_member {
	int64_t person_id;
	const char *name;
	const char *team_role; /* member, facilitator, lead */
	unsigned roles;
	const char **role_places;
	size_t nrole_places;
} team_member;

/* What a create or edit form carries, trimmed. */
typedef struct team_input {
	const char *name;
	const char *kind;
	const char *grade; /* team_check normalizes: "K", "4", "6-8" */
	int64_t org_id;
	bool org_unreadable; /* an org was given but is not an id */
} team_input;

typedef struct team_filter {
	int64_t org_id;   /* 0: every school and district */
	const char *kind; /* NULL: every kind */
	const char *q;    /* NULL: no name search */
} team_filter;

/* A person who might join a team: who, and where they hold roles. */
typedef struct team_candidate {
	int64_t person_id;
	const char *name;
	bool active;
	bool in_district; /* holds an active role in the team's district */
	place *places;    /* every active role's place, for may() */
	size_t nplaces;
} team_candidate;

/* A school or district a team could belong to, for selects. */
typedef struct team_org {
	int64_t id;
	const char *label;
	place where;
} team_org;

/* ---- rules (team.c, pure) ---- */
bool team_kind_valid(const char *kind);
const char *team_kind_label(const char *kind);
const char *const *team_kinds(size_t *n);
bool team_role_valid(const char *team_role);
const char *team_role_label(const char *team_role);
const char *const *team_roles(size_t *n);
/* Parses a grade ("K", "4", "G4") or a band ("6-8", "K-2", with a hyphen
 * or an en dash); writes the normalized text to out (8 bytes or more). */
bool team_grade_parse(const char *s, char *out, size_t outlen, bool *is_band);
/* "G4", "GK", "G6-8"; NULL for no grade. */
const char *team_grade_label(arena *a, const char *grade);
/* Checks a team's fields, adding an error per wrong field, and
 * normalizes in->grade (in a). */
void team_check(arena *a, team_input *in, form_errors *e);
/* How many different roles the members hold between them. */
unsigned team_distinct_roles(const team_member *m, size_t n);
bool team_is_role_diverse(unsigned distinct_roles);
/* Where a team sits for the policy: its school in its district, or its
 * district in itself. */
place team_place(int64_t org_id, int64_t district_id);
/* The record may() is asked about: the team at p, with its members as
 * the record's teachers, so that members can read their own team. */
record team_record(const place *p, const int64_t *members, size_t nmembers);

/* ---- storage (team_store.c) ---- */
/* Active teams the visibility reaches (or that actor_id is a member of,
 * when v->member), by district, school and name. */
store_rc team_list(store *s, arena *a, const team_filter *f, const visibility *v, int64_t actor_id,
		   team **out, size_t *n);
/* Active or not; *found false when there is no such team. */
store_rc team_get(store *s, arena *a, int64_t id, int64_t actor_id, team *out, bool *found);
store_rc team_members(store *s, arena *a, const team *t, team_member **out, size_t *n);
/* *taken: another team of the org (active or not) has this name, in any
 * letter case. */
store_rc team_name_taken(store *s, arena *a, int64_t org_id, const char *name, int64_t except_id,
			 bool *taken);
store_rc team_insert(store *s, arena *a, const team_input *in, int64_t *id);
store_rc team_update(store *s, arena *a, int64_t id, const team_input *in);
store_rc team_deactivate(store *s, arena *a, int64_t id);
/* Active people holding an active role in district_id who are not active
 * members of team_id, with all their places; ordered by name. */
store_rc team_candidates(store *s, arena *a, int64_t district_id, int64_t team_id, team_candidate **out,
			 size_t *n);
/* One person as a candidate for a team of district_id; *found false when
 * there is no such person. */
store_rc team_candidate_get(store *s, arena *a, int64_t person_id, int64_t district_id, team_candidate *out,
			    bool *found);
store_rc team_member_is_active(store *s, arena *a, int64_t team_id, int64_t person_id, bool *active);
store_rc team_member_add(store *s, arena *a, int64_t team_id, int64_t person_id, const char *team_role);
store_rc team_member_remove(store *s, arena *a, int64_t team_id, int64_t person_id);

/* ---- changes (team_change.c): may(), checks, transaction, audit ---- */
/* May the actor do act to t? (Members are passed as "the actor is one",
 * all that may() needs to answer for this actor.) */
bool may_team(const req *rq, action act, const team *t);
/* Schools and districts where the actor may do act to a team. */
store_rc team_org_choices(req *rq, action act, team_org **out, size_t *n);
/* People the actor may see in t's district who are not members yet. */
store_rc team_people_choices(req *rq, const team *t, team_candidate **out, size_t *n);
void team_create(req *rq, team_input *in, outcome *out);
/* in is the whole new state; the org cannot change. */
void team_change(req *rq, const team *old, team_input *in, outcome *out);
void team_retire(req *rq, const team *t, outcome *out);
/* person_id and team_role as given (text); team_role NULL or "": member. */
void team_join(req *rq, const team *t, const char *person_id, const char *team_role, outcome *out);
void team_leave(req *rq, const team *t, int64_t person_id, outcome *out);

/* ---- loaders and lists the pages and the API share (team_change.c): each answers
 * the request itself (404, 403, 500) and returns false when it did ---- */
/* Reads ?school=ID&kind=K&q=TEXT; answers 400 naming the field. */
bool team_read_filter(req *rq, resp *rs, team_filter *f);
/* The teams matching f that the actor may see: filtered by place in SQL,
 * then each row through may(). */
store_rc team_visible(req *rq, const team_filter *f, team **out, size_t *n);
/* Loads the team named by {id} if the actor may read it; false when
 * answered (404, 403, 500). */
bool team_load(req *rq, resp *rs, team *t);

/* ---- pages (team_pages.c) and API (team_api.c) ---- */
handler_fn page_teams, page_team, page_team_new, page_team_create, page_team_edit, page_team_update,
	page_team_deactivate, page_team_member_add, page_team_member_remove;
handler_fn api_teams, api_team, api_team_create, api_team_update, api_team_deactivate, api_team_member_add,
	api_team_member_remove;

#endif
