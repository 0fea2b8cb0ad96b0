/* The teams JSON API, the twin of team_pages.c: the same filters, checks
 * and permissions (team_change.c), JSON in and out. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "team.h"

/* The fields of a team in o; members absent keep old's values (PATCH),
 * or are empty for a new team (old NULL). */
static team_input json_team_input(req *rq, json_t *o, const team *old, form_errors *e)
{
	team_input in =
		old ? (team_input){old->name, old->kind, old->grade, old->org_id, false} : (team_input){0};
	json_member_text_or_number(rq->a, o, "name", &in.name, e);
	json_member_text_or_number(rq->a, o, "kind", &in.kind, e);
	json_member_text_or_number(rq->a, o, "grade", &in.grade, e);
	const char *org_text = NULL;
	json_member_text_or_number(rq->a, o, "org_id", &org_text, e);
	if (org_text && *org_text && !parse_i64(org_text, 1, INT64_MAX, &in.org_id)) in.org_unreadable = true;
	return in;
}

static json_t *team_json(req *rq, const team *t)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:I, s:s, s:s, s:I, s:s?, s:b, s:I}", "id",
			 (json_int_t)t->id, "name", t->name, "kind", t->kind, "kind_label",
			 team_kind_label(t->kind), "grade", t->grade, "grade_label",
			 team_grade_label(rq->a, t->grade), "org_id", (json_int_t)t->org_id, "org_name",
			 t->org_name, "org_kind", t->org_kind, "district_id", (json_int_t)t->district_id,
			 "district_name", t->district_name, "active", t->active, "member_count",
			 (json_int_t)t->members);
}

static json_t *member_json(const team_member *m)
{
	json_t *roles = json_array(), *places = json_array();
	for (int r = 0; r < ROLE_COUNT; r++)
		if ((m->roles >> r) & 1u) json_array_append_new(roles, json_string(role_name((role)r)));
	for (size_t i = 0; i < m->nrole_places; i++)
		json_array_append_new(places, json_string(m->role_places[i]));
	return json_pack("{s:I, s:s, s:s, s:o, s:o}", "person_id", (json_int_t)m->person_id, "name", m->name,
			 "team_role", m->team_role, "roles", roles, "role_places", places);
}

/* A team with its members and how many distinct roles they hold. */
static void answer_team(req *rq, resp *rs, int status, const team *t)
{
	team_member *m;
	size_t n;
	if (team_members(rq->db, rq->a, t, &m, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *j = team_json(rq, t), *members = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(members, member_json(&m[i]));
	unsigned distinct = team_distinct_roles(m, n);
	json_object_set_new(j, "members", members);
	json_object_set_new(j, "distinct_roles", json_integer(distinct));
	json_object_set_new(j, "role_diverse", json_boolean(team_is_role_diverse(distinct)));
	resp_json(rs, status, j);
}

/* After a change: the team as it is now, or the outcome's error. */
/* The team with id, as JSON. */
static void answer_team_id(req *rq, resp *rs, int status, int64_t id)
{
	team t;
	bool found;
	if (team_get(rq->db, rq->a, id, actor_id(rq), &t, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	answer_team(rq, rs, status, &t);
}

/*
** GET /api/teams?school=ID&kind=K&q=TEXT
** {"teams":[{id,name,kind,grade,org_id,org_name,district_id,member_count,...}]}
** Permissions: signed in; each team through may(READ, team).
*/
void api_teams(req *rq, resp *rs)
{
	team_filter f;
	if (!team_read_filter(rq, rs, &f)) return;
	team *list;
	size_t n;
	if (team_visible(rq, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, team_json(rq, &list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "teams", arr));
}

/*
** GET /api/teams/{id}
** One team with "members" [{person_id,name,team_role,roles,role_places}],
** "distinct_roles" and "role_diverse".
** Permissions: may(READ, team) (members read their own team).
*/
void api_team(req *rq, resp *rs)
{
	team t;
	if (team_load(rq, rs, &t)) answer_team(rq, rs, 200, &t);
}

/*
** POST /api/teams  {"name","kind","org_id","grade"?}
** Creates a team: 201 with the team; 400 naming the field; 403.
** Permissions: may(CREATE, team) at org_id.
*/
void api_team_create(req *rq, resp *rs)
{
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	team_input in = json_team_input(rq, body, NULL, &e);
	json_decref(body);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome o;
	team_create(rq, &in, &o);
	outcome_answer(rq, rs, &o, 201, o.id, answer_team_id);
}

/*
** PATCH /api/teams/{id}  {"name"?, "kind"?, "grade"?}
** Changes the fields given: 200 with the team; 400 naming the field; 409
** when the team is deactivated.
** Permissions: may(UPDATE, team).
*/
void api_team_update(req *rq, resp *rs)
{
	team t;
	if (!team_load(rq, rs, &t)) return;
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	team_input in = json_team_input(rq, body, &t, &e);
	json_decref(body);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome o;
	team_change(rq, &t, &in, &o);
	outcome_answer(rq, rs, &o, 200, o.id, answer_team_id);
}

/*
** POST /api/teams/{id}/deactivate
** The team, now inactive (again 200 when it already was).
** Permissions: may(DEACTIVATE, team).
*/
void api_team_deactivate(req *rq, resp *rs)
{
	team t;
	if (!team_load(rq, rs, &t)) return;
	outcome o;
	team_retire(rq, &t, &o);
	outcome_answer(rq, rs, &o, 200, o.id, answer_team_id);
}

/*
** POST /api/teams/{id}/members  {"person_id":N, "team_role":"member"|"facilitator"|"lead"}
** 201 with the team; 400 naming person_id or team_role (someone outside
** the team's district, deactivated, unknown, or a member already).
** Permissions: may(UPDATE, team), and the person through may(READ, person).
*/
void api_team_member_add(req *rq, resp *rs)
{
	team t;
	if (!team_load(rq, rs, &t)) return;
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	const char *person = NULL, *team_role = NULL;
	json_member_text_or_number(rq->a, body, "person_id", &person, &e);
	json_member_text_or_number(rq->a, body, "team_role", &team_role, &e);
	json_decref(body);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome o;
	team_join(rq, &t, person, team_role, &o);
	outcome_answer(rq, rs, &o, 201, o.id, answer_team_id);
}

/*
** DELETE /api/teams/{id}/members/{pid}
** 200 with the team; 404 when pid is not a member.
** Permissions: may(UPDATE, team).
*/
void api_team_member_remove(req *rq, resp *rs)
{
	team t;
	int64_t pid;
	if (!team_load(rq, rs, &t) || !param_id(rq, rs, "pid", &pid)) return;
	outcome o;
	team_leave(rq, &t, pid, &o);
	outcome_answer(rq, rs, &o, 200, o.id, answer_team_id);
}
