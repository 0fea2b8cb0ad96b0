/* The sessions JSON API, the twin of session_pages.c: the same filters,
 * checks and permissions (session_change.c), JSON in and out. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "session.h"

static json_t *ids_json(const session_party *p, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr,
				      json_pack("{s:I, s:s}", "id", (json_int_t)p[i].id, "name", p[i].name));
	return arr;
}

static json_t *session_json(req *rq, const pl_session *s)
{
	json_t *j = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s?, s:s?, s:s, "
			      "s:s?, s:I, s:b, s:s, s:I}",
			      "id", (json_int_t)s->id, "kind", s->kind, "kind_label",
			      session_kind_label(s->kind), "title", s->title, "on_date", s->on_date, "block",
			      s->block, "starts_at", s->starts_at, "ends_at", s->ends_at, "time_zone",
			      s->time_zone, "format", s->format, "place", s->place, "link", s->link, "status",
			      s->status, "cancel_reason", s->cancel_reason, "draw_milli",
			      (json_int_t)s->draw_milli, "over_commit", s->over_commit, "draw",
			      session_units_text(rq->a, s->draw_milli), "sequence", (json_int_t)s->sequence);
	json_object_set_new(j, "engagement_id",
			    s->engagement_id ? json_integer(s->engagement_id) : json_null());
	json_object_set_new(j, "engagement_title",
			    s->engagement_title ? json_string(s->engagement_title) : json_null());
	json_object_set_new(j, "service_line_id",
			    s->service_line_id ? json_integer(s->service_line_id) : json_null());
	json_object_set_new(j, "line_label", s->line_label ? json_string(s->line_label) : json_null());
	json_object_set_new(j, "school_id", s->school_id ? json_integer(s->school_id) : json_null());
	json_object_set_new(j, "school_name", s->school_name ? json_string(s->school_name) : json_null());
	json_object_set_new(j, "district_id", json_integer(s->district_id));
	json_object_set_new(j, "series_id", s->series_id ? json_integer(s->series_id) : json_null());
	json_object_set_new(j, "grid_id", s->grid_id ? json_integer(s->grid_id) : json_null());
	json_object_set_new(j, "grid_day", s->grid_day ? json_integer(s->grid_day) : json_null());
	json_object_set_new(j, "uid", json_string(s->uid));
	json_object_set_new(j, "updated_at", json_integer(s->updated_at));
	return j;
}

/* One session with its people, teams, agenda and attendance roll. */
static void answer_session(req *rq, resp *rs, int status, const pl_session *s)
{
	session_party *f, *p, *t, *roll;
	size_t nf, np, nt, nroll;
	if (pl_session_facilitators(rq->db, rq->a, s->id, &f, &nf) != STORE_OK ||
	    pl_session_people(rq->db, rq->a, s->id, &p, &np) != STORE_OK ||
	    pl_session_teams(rq->db, rq->a, s->id, &t, &nt) != STORE_OK ||
	    pl_session_roll(rq->db, rq->a, s->id, &roll, &nroll) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *j = session_json(rq, s), *att = json_array();
	json_object_set_new(j, "agenda", s->agenda ? json_string(s->agenda) : json_null());
	json_object_set_new(j, "facilitators", ids_json(f, nf));
	json_object_set_new(j, "people", ids_json(p, np));
	json_object_set_new(j, "teams", ids_json(t, nt));
	for (size_t i = 0; i < nroll; i++)
		json_array_append_new(
			att,
			json_pack("{s:I, s:s, s:o}", "person_id", (json_int_t)roll[i].id, "name",
				  roll[i].name, "present",
				  roll[i].recorded ? json_boolean(roll[i].present) : json_null()));
	json_object_set_new(j, "attendance", att);
	resp_json(rs, status, j);
}

/* The session with id, as JSON. */
static void answer_session_id(req *rq, resp *rs, int status, int64_t id)
{
	pl_session s;
	bool found;
	if (pl_session_get(rq->db, rq->a, id, actor_id(rq), &s, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	answer_session(rq, rs, status, &s);
}

/* An array of positive ids (absent: *out untouched). */
/* "draw": a number (0.5) or text ("0.5"). */
static void json_member_units(arena *a, json_t *o, const char *key, const char **dst, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (json_is_number(v)) *dst = arena_printf(a, "%.3f", json_number_value(v));
	else if (v) json_member_text(a, o, key, dst, e);
	if (json_is_real(v) && *dst) {
		/* 0.500 → "0.5": session_units_parse takes at most 3 decimals. */
		char *t = (char *)*dst;
		size_t len = strlen(t);
		while (len && t[len - 1] == '0') t[--len] = 0;
		if (len && t[len - 1] == '.') t[--len] = 0;
	} else if (json_is_integer(v)) {
		*dst = arena_printf(a, "%lld", (long long)json_integer_value(v));
	}
}

static const char *const known_members[] = {"kind",
					    "title",
					    "on_date",
					    "block",
					    "starts_at",
					    "ends_at",
					    "time_zone",
					    "format",
					    "place",
					    "link",
					    "agenda",
					    "school_id",
					    "engagement_id",
					    "service_line_id",
					    "draw",
					    "over_commit",
					    "facilitator_ids",
					    "person_ids",
					    "team_ids",
					    "repeat",
					    "repeat_interval",
					    "repeat_until",
					    NULL};

static void json_session_input(req *rq, json_t *o, session_input *in, form_errors *e, bool create)
{
	json_known_members(rq->a, o, known_members, e);
	json_member_text(rq->a, o, "kind", &in->kind, e);
	json_member_text(rq->a, o, "title", &in->title, e);
	json_member_text(rq->a, o, "on_date", &in->on_date, e);
	json_member_text(rq->a, o, "block", &in->block, e);
	json_member_text(rq->a, o, "starts_at", &in->starts_at, e);
	json_member_text(rq->a, o, "ends_at", &in->ends_at, e);
	/* A new block without times takes the block's times. */
	if (json_object_get(o, "block") && !json_object_get(o, "starts_at")) in->starts_at = NULL;
	if (json_object_get(o, "block") && !json_object_get(o, "ends_at")) in->ends_at = NULL;
	json_member_text(rq->a, o, "time_zone", &in->time_zone, e);
	json_member_text(rq->a, o, "format", &in->format, e);
	json_member_text(rq->a, o, "place", &in->place, e);
	json_member_text(rq->a, o, "link", &in->link, e);
	json_member_text(rq->a, o, "agenda", &in->agenda, e);
	json_member_id(o, "school_id", &in->school_id, e);
	json_member_id(o, "engagement_id", &in->engagement_id, e);
	json_member_id(o, "service_line_id", &in->service_line_id, e);
	json_member_units(rq->a, o, "draw", &in->draw, e);
	json_member_flag(o, "over_commit", &in->over_commit, e);
	json_member_ids(rq->a, o, "facilitator_ids", SESSION_PEOPLE_MAX, &in->facilitators,
			&in->nfacilitators, e);
	json_member_ids(rq->a, o, "person_ids", SESSION_PEOPLE_MAX, &in->people, &in->npeople, e);
	json_member_ids(rq->a, o, "team_ids", SESSION_PEOPLE_MAX, &in->teams, &in->nteams, e);
	if (create) {
		const char *every = NULL, *interval = NULL, *until = NULL;
		json_member_text(rq->a, o, "repeat", &every, e);
		json_member_units(rq->a, o, "repeat_interval", &interval, e);
		json_member_text(rq->a, o, "repeat_until", &until, e);
		session_repeat_parse(every, interval, until, &in->repeat, e);
	}
}

/*
** GET /api/sessions?engagement=ID&school=ID&team=ID&facilitator=ID&from=DATE&to=DATE&mine=1
** {"sessions":[{id,kind,title,on_date,block,starts_at,ends_at,status,...}]}
** Permissions: signed in; each session through may(READ, session).
*/
void api_sessions(req *rq, resp *rs)
{
	session_filter f;
	if (!session_read_filter(rq, rs, &f)) return;
	pl_session *list;
	size_t n;
	if (session_visible(rq, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, session_json(rq, &list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "sessions", arr));
}

/*
** GET /api/sessions/{id}
** The session with facilitators, people, teams, agenda and attendance.
** Permissions: may(READ, session).
*/
void api_session(req *rq, resp *rs)
{
	pl_session s;
	if (session_load(rq, rs, &s)) answer_session(rq, rs, 200, &s);
}

/*
** POST /api/sessions {kind,title,on_date,block|starts_at+ends_at,time_zone,format,place,link,
**   school_id,engagement_id,service_line_id,draw,over_commit,facilitator_ids,person_ids,
**   team_ids,agenda,repeat(week|month),repeat_interval,repeat_until}
** 201 with the (first) session; 400 naming the field; 409 overdraw.
** Permissions: may(CREATE, session) at the engagement's district or partner.
*/
void api_session_create(req *rq, resp *rs)
{
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	session_input in = {0};
	form_errors e = {0};
	json_session_input(rq, o, &in, &e, true);
	json_decref(o);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome out;
	session_schedule(rq, &in, &out);
	outcome_answer(rq, rs, &out, 201, out.id, answer_session_id);
}

/*
** PATCH /api/sessions/{id} {any member of POST but repeat}
** Permissions: may(UPDATE, session).
*/
void api_session_update(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	session_input in = session_input_of(rq->a, &s);
	if (session_parties_input(rq, &s, &in) != STORE_OK) {
		json_decref(o);
		resp_store_failed(rq, rs);
		return;
	}
	form_errors e = {0};
	json_session_input(rq, o, &in, &e, false);
	json_decref(o);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome out;
	session_change(rq, &s, &in, &out);
	outcome_answer(rq, rs, &out, 200, out.id, answer_session_id);
}

/*
** POST /api/sessions/{id}/deliver
** Permissions: may(UPDATE, session) (facilitators too).
*/
void api_session_deliver(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	outcome out;
	session_deliver(rq, &s, &out);
	outcome_answer(rq, rs, &out, 200, out.id, answer_session_id);
}

/*
** POST /api/sessions/{id}/cancel {"reason": TEXT}
** Permissions: may(UPDATE, session). Cancelling gives the draw back.
*/
void api_session_cancel(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	const char *reason = NULL;
	form_errors e = {0};
	json_member_text(rq->a, o, "reason", &reason, &e);
	json_decref(o);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome out;
	session_cancel(rq, &s, reason, &out);
	outcome_answer(rq, rs, &out, 200, out.id, answer_session_id);
}

/*
** PUT /api/sessions/{id}/attendance {"present":[person ids]}
** Everyone else on the roll is recorded absent.
** Permissions: may(UPDATE, session): facilitators and session editors.
*/
void api_session_attendance(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	int64_t *present = NULL;
	size_t n = 0;
	form_errors e = {0};
	json_member_ids(rq->a, o, "present", SESSION_PEOPLE_MAX, &present, &n, &e);
	json_decref(o);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome out;
	session_record_attendance(rq, &s, present, n, &out);
	outcome_answer(rq, rs, &out, 200, out.id, answer_session_id);
}

/*
** POST /api/engagements/{id}/grid {dates:[D,...], teams:[[am,pm],...], service_line_id,
**   title, facilitator_ids, over_commit}
** Creates one session per block with a team, each drawing half a unit.
** 201 {"grid_id":N,"sessions":[...]}. Permissions: may(CREATE, session).
*/
void api_grid_create(req *rq, resp *rs)
{
	int64_t eid;
	if (!param_id(rq, rs, "id", &eid)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	form_errors e = {0};
	grid_input g = {.engagement_id = eid};
	static const char *const known[] = {
		"dates", "teams", "service_line_id", "title", "facilitator_ids", "over_commit", NULL};
	json_known_members(rq->a, o, known, &e);
	json_t *dates = json_object_get(o, "dates"), *teams = json_object_get(o, "teams");
	if (!json_is_array(dates) || !json_array_size(dates) ||
	    json_array_size(dates) > SESSION_GRID_DAYS_MAX)
		form_error_add(&e, "dates", "dates must be a list of 1 to 20 dates.");
	else if (!json_is_array(teams) || json_array_size(teams) != json_array_size(dates))
		form_error_add(&e, "teams", "teams must give [AM team, PM team] for each date.");
	else {
		g.ndays = json_array_size(dates);
		g.dates = arena_calloc(rq->a, g.ndays, sizeof *g.dates);
		g.teams = arena_calloc(rq->a, g.ndays * 2, sizeof *g.teams);
		for (size_t d = 0; d < g.ndays; d++) {
			json_t *day = json_array_get(dates, d), *pair = json_array_get(teams, d);
			g.dates[d] = json_is_string(day) ? arena_strdup(rq->a, json_string_value(day)) : "";
			for (size_t b = 0; b < 2; b++) {
				json_t *t = json_is_array(pair) ? json_array_get(pair, b) : NULL;
				if (json_is_integer(t) && json_integer_value(t) > 0)
					g.teams[2 * d + b] = json_integer_value(t);
				else if (t && !json_is_null(t))
					form_error_add(&e, "teams", "Each team must be a team's id or null.");
			}
		}
	}
	json_member_id(o, "service_line_id", &g.service_line_id, &e);
	json_member_text(rq->a, o, "title", &g.title, &e);
	json_member_ids(rq->a, o, "facilitator_ids", SESSION_PEOPLE_MAX, &g.facilitators, &g.nfacilitators,
			&e);
	json_member_flag(o, "over_commit", &g.over_commit, &e);
	json_decref(o);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome out;
	session_grid_create(rq, &g, &out);
	if (out.status) {
		outcome_respond(rq, rs, &out);
		return;
	}
	session_filter f = {.engagement_id = eid};
	pl_session *list;
	size_t n;
	if (session_visible(rq, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (list[i].grid_id == out.id) json_array_append_new(arr, session_json(rq, &list[i]));
	resp_json(rs, 201, json_pack("{s:I, s:o}", "grid_id", (json_int_t)out.id, "sessions", arr));
}
