/* The people JSON API, the twin of the pages: the directory, one person,
 * adding, partial edits, deactivating and reactivating, and granting and
 * revoking roles. Errors have the one shape (resp_error, resp_form_invalid). */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "people.h"

static json_t *roles_json(const person *p)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < p->nroles; i++) {
		const held *h = &p->roles[i];
		json_array_append_new(arr,
				      json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:b}", "id",
						(json_int_t)h->id, "role", role_name(h->role), "role_label",
						role_label(h->role), "org_id", (json_int_t)h->org_id,
						"org_name", h->org_name, "org_kind", h->org_kind,
						"org_active", h->org_active));
	}
	return arr;
}

static json_t *person_json(const person *p)
{
	json_t *j = json_pack("{s:I, s:s, s:b, s:b}", "id", (json_int_t)p->id, "name", p->name, "active",
			      p->active, "has_password", p->has_password);
	json_object_set_new(j, "email", json_text_or_null(p->email));
	json_object_set_new(j, "roles", roles_json(p));
	return j;
}

/*
** GET /api/people?q=TEXT&org=ID&role=R&inactive=1&page=N
** {"people":[{id,name,email,active,has_password,roles:[{id,role,role_label,
** org_id,org_name,org_kind,org_active}]}],"page":N,"more":bool}: 50 a page.
** Permissions: signed in (else 401); rows by policy_visibility and may(READ).
*/
void api_people(req *rq, resp *rs)
{
	people_filter f;
	if (!people_filter_read(rq, rs, &f)) return;
	person *list;
	size_t n;
	bool more;
	if (people_visible(rq, &f, &list, &n, &more) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, person_json(&list[i]));
	resp_json(rs, 200,
		  json_pack("{s:o, s:I, s:b}", "people", arr, "page", (json_int_t)f.page, "more", more));
}

/* The teams of p the actor may read (p counts as their member). */
static json_t *teams_json(req *rq, const person *p)
{
	person_team *t;
	size_t n;
	if (person_teams(rq->db, rq->a, p->id, &t, &n) != STORE_OK) return NULL;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		place pl = org_place(t[i].org_kind, t[i].org_id, t[i].org_parent_id);
		record r = {
			.kind = REC_TEAM, .places = &pl, .nplaces = 1, .teachers = &p->id, .nteachers = 1};
		if (!may(rq->actor, ACT_READ, &r)) continue;
		json_array_append_new(arr,
				      json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)t[i].id, "name",
						t[i].name, "org_id", (json_int_t)t[i].org_id, "org_name",
						t[i].org_name));
	}
	return arr;
}

/* Answers the person as they are now, with their teams. */
static void answer_person(req *rq, resp *rs, int status, int64_t id)
{
	person p;
	bool found;
	if (person_get(rq->db, rq->a, id, &p, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "there is no such person", NULL);
		return;
	}
	json_t *teams = teams_json(rq, &p);
	if (!teams) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *j = person_json(&p);
	json_object_set_new(j, "teams", teams);
	if (status == 201)
		resp_header_add(rs, "Location", arena_printf(rq->a, "/api/people/%lld", (long long)id));
	resp_json(rs, status, j);
}

/*
** GET /api/people/{id}
** One person as in the list, with "teams":[{id,name,org_id,org_name}].
** Permissions: signed in; may(READ) the person (else 404).
*/
void api_person(req *rq, resp *rs)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	answer_person(rq, rs, 200, p.id);
}

/* Finishes a change: its error, or the person with status. */
/*
** POST /api/people   (JSON: name, email, role, org_id, password optional)
** Adds the person with their first role: 201 with them and Location.
** 400 {"error":{code:"invalid",field,fields}} for bad input, nothing written.
** Permissions: signed in, CSRF (cookie sessions); may(CREATE) a person and
** a role at the org (else 403).
*/
void api_person_create(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_PERSON, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "You may not add people.", NULL);
		return;
	}
	json_t *j = json_body_object(rq, rs);
	if (!j) return;
	static const char *const members[] = {"name", "email", "role", "org_id", "password", NULL};
	person_input in = {0};
	form_errors e = {0};
	json_known_members(rq->a, j, members, &e);
	json_member_text(rq->a, j, "name", &in.name, &e);
	json_member_text(rq->a, j, "email", &in.email, &e);
	json_member_text(rq->a, j, "role", &in.role, &e);
	json_member_id(j, "org_id", &in.org_id, &e);
	json_t *pw = json_object_get(j, "password");
	if (json_is_string(pw)) in.password = arena_strdup(rq->a, json_string_value(pw));
	else if (pw && !json_is_null(pw)) form_error_add(&e, "password", "password must be a string.");
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
	} else {
		outcome out;
		person_create(rq, &in, &out);
		outcome_answer(rq, rs, &out, 201, out.id, answer_person);
	}
	json_decref(j);
}

/*
** PATCH /api/people/{id}   (JSON: name and/or email)
** Changes what is given and keeps the rest; 200 with the person.
** Permissions: signed in, CSRF (cookie sessions); may(UPDATE) the person
** (themselves: the name only; an email change needs an administrator).
*/
void api_person_update(req *rq, resp *rs)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	if (!may_person(rq, ACT_UPDATE, &p)) {
		resp_error(rq, rs, 403, "forbidden", "You may not change this person.", NULL);
		return;
	}
	json_t *j = json_body_object(rq, rs);
	if (!j) return;
	static const char *const members[] = {"name", "email", NULL};
	person_input in = {.name = p.name, .email = p.email};
	form_errors e = {0};
	json_known_members(rq->a, j, members, &e);
	json_member_text(rq->a, j, "name", &in.name, &e);
	json_member_text(rq->a, j, "email", &in.email, &e);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
	} else {
		outcome out;
		person_change(rq, &p, &in, &out);
		outcome_answer(rq, rs, &out, 200, out.id, answer_person);
	}
	json_decref(j);
}

static void switch_person(req *rq, resp *rs, bool active)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	outcome out;
	person_set_activity(rq, &p, active, &out);
	outcome_answer(rq, rs, &out, 200, out.id, answer_person);
}

/*
** POST /api/people/{id}/deactivate
** Deactivates the person and ends their sessions; 200 with them
** ("active":false). 409 "self" for oneself.
** Permissions: signed in, CSRF (cookie sessions); may(DEACTIVATE) the person.
*/
void api_person_deactivate(req *rq, resp *rs)
{
	switch_person(rq, rs, false);
}

/*
** POST /api/people/{id}/reactivate
** Lets them sign in again; 200 with them.
** Permissions: signed in, CSRF (cookie sessions); may(DEACTIVATE) the person.
*/
void api_person_reactivate(req *rq, resp *rs)
{
	switch_person(rq, rs, true);
}

/*
** POST /api/people/{id}/roles   (JSON: role, org_id)
** Grants the role at the org; 201 with the person.
** Permissions: signed in, CSRF (cookie sessions); may(CREATE) a role at
** the org's place.
*/
void api_person_role_add(req *rq, resp *rs)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	if (!may_grant_roles(rq)) {
		resp_error(rq, rs, 403, "forbidden", "You may not grant roles.", NULL);
		return;
	}
	json_t *j = json_body_object(rq, rs);
	if (!j) return;
	static const char *const members[] = {"role", "org_id", NULL};
	const char *role_sent = NULL;
	int64_t org_id = 0;
	form_errors e = {0};
	json_known_members(rq->a, j, members, &e);
	json_member_text(rq->a, j, "role", &role_sent, &e);
	json_member_id(j, "org_id", &org_id, &e);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
	} else {
		outcome out;
		person_role_add(rq, &p, role_sent, org_id, false, &out);
		outcome_answer(rq, rs, &out, 201, out.id, answer_person);
	}
	json_decref(j);
}

/*
** DELETE /api/people/{id}/roles/{rid}
** Revokes the role; 200 with the person. 409 "last_role" for their only
** role, "last_admin_role" for an administrator's own last one.
** Permissions: signed in, CSRF (cookie sessions); may(DEACTIVATE) the role.
*/
void api_person_role_remove(req *rq, resp *rs)
{
	person p;
	int64_t rid;
	if (!person_load(rq, rs, &p) || !param_id(rq, rs, "rid", &rid)) return;
	outcome out;
	person_role_remove(rq, &p, rid, &out);
	outcome_answer(rq, rs, &out, 200, out.id, answer_person);
}
