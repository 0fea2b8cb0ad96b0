/* The learning-walks JSON API, the twin of walk_pages.c: the same policy,
 * checks and changes (walk_change.c), JSON in and out. The dashboards'
 * helper reads walks and visits through it. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "../web/change.h"
#include "walk.h"
#include "walk_web.h"

enum { RATINGS_MAX = RUBRIC_INDICATORS_MAX, LOOK_FORS_MAX = RUBRIC_LOOK_FORS_MAX };

/* ---- JSON out ---- */

json_t *observation_json(const observation *o, bool teacher_shown)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(o->id));
	if (o->walk_id) json_object_set_new(j, "number", json_integer(o->number));
	json_object_set_new(j, "version", json_integer(o->version));
	json_object_set_new(j, "rubric_version_id", json_integer(o->rubric_version_id));
	json_object_set_new(j, "observer", json_named(o->observer_id, o->observer_name));
	json_object_set_new(j, "grade", json_text_or_null(o->grade));
	json_object_set_new(j, "grade_band", json_text_or_null(o->grade_band));
	json_object_set_new(j, "observed_on", json_text_or_null(o->observed_on));
	json_object_set_new(j, "start_time", json_text_or_null(o->start_time));
	json_object_set_new(j, "minutes", o->minutes ? json_integer(o->minutes) : json_null());
	if (teacher_shown) json_object_set_new(j, "teacher", json_named(o->teacher_id, o->teacher_name));
	json_object_set_new(j, "evidence", json_text_or_null(o->evidence));
	json_t *ratings = json_array();
	for (size_t i = 0; i < o->nratings; i++)
		json_array_append_new(ratings,
				      json_pack("{s:s, s:I, s:o}", "code",
						o->ratings[i].code ? o->ratings[i].code : "", "value",
						(json_int_t)o->ratings[i].value, "evidence",
						json_text_or_null(o->ratings[i].evidence)));
	json_object_set_new(j, "ratings", ratings);
	json_t *lf = json_array();
	for (size_t i = 0; i < o->nlook_fors; i++)
		json_array_append_new(lf,
				      json_pack("{s:I, s:I}", "id", (json_int_t)o->look_fors[i].look_for_id,
						"count", (json_int_t)o->look_fors[i].count));
	json_object_set_new(j, "look_fors", lf);
	json_object_set_new(j, "created_at", json_integer(o->created_at));
	json_object_set_new(j, "updated_at", json_integer(o->updated_at));
	return j;
}

static json_t *walk_summary_json(req *rq, const walk *w)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(w->id));
	json_object_set_new(j, "district", json_named(w->district_id, w->district_name));
	json_object_set_new(j, "school", json_named(w->school_id, w->school_name));
	json_object_set_new(j, "walked_on", json_string(w->walked_on));
	json_object_set_new(j, "rubric",
			    json_pack("{s:I, s:I, s:s}", "id", (json_int_t)w->rubric_id, "version_id",
				      (json_int_t)w->rubric_version_id, "name",
				      w->rubric_name ? w->rubric_name : ""));
	json_object_set_new(j, "rubric_version_id", json_integer(w->rubric_version_id));
	json_object_set_new(j, "state", json_string(w->closed ? "closed" : "open"));
	json_object_set_new(j, "visits_count", json_integer(w->nvisits));
	json_t *walkers = json_array();
	for (size_t i = 0; i < w->nwalkers; i++)
		json_array_append_new(walkers, json_named(w->walkers[i].person_id, w->walkers[i].name));
	json_object_set_new(j, "walkers", walkers);
	json_t *focus = json_array();
	for (size_t i = 0; i < w->nfocus; i++) json_array_append_new(focus, json_string(w->focus[i]));
	json_object_set_new(j, "focus", focus);
	json_object_set_new(j, "purpose", json_text_or_null(w->purpose));
	json_object_set_new(j, "teacher_identification", json_boolean(w->settings.teacher_ids));
	json_object_set_new(j, "href", json_string(arena_printf(rq->a, "/walks/%lld", (long long)w->id)));
	return j;
}

static void answer_walk(req *rq, resp *rs, int status, const walk *w)
{
	observation *visits;
	size_t n;
	if (walk_visits(rq->db, rq->a, w->id, &visits, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *j = walk_summary_json(rq, w);
	json_object_set_new(j, "debrief", json_text_or_null(w->debrief));
	json_object_set_new(j, "created_by", json_named(w->created_by, w->created_by_name));
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (may_visit(rq, ACT_READ, w, &visits[i]))
			json_array_append_new(arr, observation_json(&visits[i], w->settings.teacher_ids));
	json_object_set_new(j, "visits", arr);
	resp_json(rs, status, j);
}

/* ---- JSON in ---- */

static bool invalid_answered(req *rq, resp *rs, json_t *o, const form_errors *e)
{
	if (e->n) resp_form_invalid(rq, rs, e);
	json_decref(o);
	return e->n != 0;
}

static void json_ratings(arena *a, json_t *o, observation_input *in, form_errors *e)
{
	json_t *v = json_object_get(o, "ratings");
	if (!v || json_is_null(v)) return;
	if (!json_is_array(v) || json_array_size(v) > RATINGS_MAX) {
		form_error_add(e, "ratings", "ratings must be a list of {code, value, evidence?}.");
		return;
	}
	in->ratings = arena_calloc(a, json_array_size(v) + 1, sizeof *in->ratings);
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		json_t *code = json_object_get(x, "code"), *value = json_object_get(x, "value"),
		       *ev = json_object_get(x, "evidence");
		if (!json_is_object(x) || !json_is_string(code) || !json_is_integer(value) ||
		    (ev && !json_is_null(ev) && !json_is_string(ev))) {
			form_error_add(
				e, "ratings",
				arena_printf(a,
					     "ratings[%zu] must be {code: text, value: a whole number, "
					     "evidence?: text}.",
					     i));
			return;
		}
		static const char *const known[] = {"code", "value", "evidence", NULL};
		json_known_members(a, x, known, e);
		obs_rating *r = &in->ratings[in->nratings++];
		r->code = arena_strdup(a, json_string_value(code));
		r->value = json_integer_value(value);
		r->evidence = json_is_string(ev) ? text_trim(a, json_string_value(ev)) : NULL;
	}
}

static void json_look_fors(arena *a, json_t *o, observation_input *in, form_errors *e)
{
	json_t *v = json_object_get(o, "look_fors");
	if (!v || json_is_null(v)) return;
	if (!json_is_array(v) || json_array_size(v) > LOOK_FORS_MAX) {
		form_error_add(e, "look_fors", "look_fors must be a list of {id, count}.");
		return;
	}
	in->look_fors = arena_calloc(a, json_array_size(v) + 1, sizeof *in->look_fors);
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		json_t *id = json_object_get(x, "id"), *count = json_object_get(x, "count");
		if (!json_is_object(x) || !json_is_integer(id) || !json_is_integer(count)) {
			form_error_add(
				e, "look_fors",
				arena_printf(a, "look_fors[%zu] must be {id, count}, whole numbers.", i));
			return;
		}
		static const char *const known[] = {"id", "count", NULL};
		json_known_members(a, x, known, e);
		in->look_fors[in->nlook_fors++] =
			(obs_look_for){json_integer_value(id), json_integer_value(count)};
	}
}

void observation_input_from_json(arena *a, json_t *o, observation_input *in, bool with_version, bool with_day,
				 form_errors *e)
{
	*in = (observation_input){0};
	static const char *const known_walk[] = {"grade",    "start_time", "minutes", "ratings", "look_fors",
						 "evidence", "teacher_id", "version", NULL};
	static const char *const known_cycle[] = {"grade",     "start_time", "minutes",     "ratings",
						  "look_fors", "evidence",   "observed_on", "version",
						  "rubric_id", NULL};
	json_known_members(a, o, with_day ? known_cycle : known_walk, e);
	json_member_text(a, o, "grade", &in->grade, e);
	json_member_text(a, o, "start_time", &in->start_time, e);
	json_member_text(a, o, "evidence", &in->evidence, e);
	if (with_day) json_member_text(a, o, "observed_on", &in->observed_on, e);
	json_t *m = json_object_get(o, "minutes");
	if (json_is_integer(m)) in->minutes = json_integer_value(m);
	else if (m && !json_is_null(m)) in->minutes_unreadable = true;
	json_t *t = json_object_get(o, "teacher_id");
	if (json_is_integer(t)) in->teacher_id = json_integer_value(t);
	else if (t && !json_is_null(t))
		form_error_add(e, "teacher_id", "teacher_id is a person's id, or null.");
	json_ratings(a, o, in, e);
	json_look_fors(a, o, in, e);
	if (with_version) {
		json_t *v = json_object_get(o, "version");
		if (json_is_integer(v) && json_integer_value(v) >= 0) in->version = json_integer_value(v);
		else form_error_add(e, "version", "Give the version of the visit you read (a whole number).");
	}
}

/* ---- walks ---- */

/*
** GET /api/walks?school_id=&from=YYYY-MM-DD&to=YYYY-MM-DD
** {"walks":[{id, district, school, walked_on, rubric:{id, version_id, name}, state,
** visits_count, walkers, focus, purpose, teacher_identification, href}]}, newest first.
** Permissions: signed in; each walk through may(READ, walk).
*/
void api_walks(req *rq, resp *rs)
{
	form_errors e = {0};
	walk_filter f = {0};
	const char *school = req_query(rq, "school_id"), *from = req_query(rq, "from"),
		   *to = req_query(rq, "to");
	if (school && *school && !parse_i64(school, 1, INT64_MAX, &f.school_id))
		form_error_add(&e, "school_id", "school_id is an id.");
	if (from && *from && !walk_date_valid(from))
		form_error_add(&e, "from", "from is a day written YYYY-MM-DD.");
	if (to && *to && !walk_date_valid(to)) form_error_add(&e, "to", "to is a day written YYYY-MM-DD.");
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	f.from = from && *from ? from : NULL;
	f.to = to && *to ? to : NULL;
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_WALK, &v);
	walk *list;
	size_t n;
	if (walk_list(rq->db, rq->a, &v, actor_id(rq), &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (may_walk(rq, ACT_READ, &list[i]))
			json_array_append_new(arr, walk_summary_json(rq, &list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "walks", arr));
}

static void json_codes(arena *a, json_t *o, const char *key, walk_input *in, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) return;
	if (!json_is_array(v) || json_array_size(v) > RUBRIC_INDICATORS_MAX) {
		form_error_add(e, key, "focus must be a list of indicator codes.");
		return;
	}
	in->focus = arena_calloc(a, json_array_size(v) + 1, sizeof *in->focus);
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x)) {
			form_error_add(e, key, "focus must be a list of indicator codes.");
			return;
		}
		in->focus[in->nfocus++] = arena_strdup(a, json_string_value(x));
	}
}

/*
** POST /api/walks {school_id, walked_on "YYYY-MM-DD", rubric_id, walkers:[person ids],
** focus:[codes], purpose}
** 201 with the walk (its rubric's current version pinned); 400 naming the field; 403.
** Permissions: may(CREATE, walk) at the school.
*/
void api_walk_create(req *rq, resp *rs)
{
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	static const char *const known[] = {"school_id", "walked_on", "rubric_id", "walkers",
					    "focus",     "purpose",   NULL};
	form_errors e = {0};
	walk_input in = {0};
	json_known_members(rq->a, o, known, &e);
	json_member_id(o, "school_id", &in.school_id, &e);
	json_member_text(rq->a, o, "walked_on", &in.walked_on, &e);
	json_member_id(o, "rubric_id", &in.rubric_id, &e);
	json_member_text(rq->a, o, "purpose", &in.purpose, &e);
	json_member_ids(rq->a, o, "walkers", WALK_WALKERS_MAX, &in.walkers, &in.nwalkers, &e);
	json_codes(rq->a, o, "focus", &in, &e);
	if (invalid_answered(rq, rs, o, &e)) return;
	outcome out;
	walk_create(rq, &in, &out);
	if (outcome_answered(rq, rs, &out)) return;
	walk w;
	bool found;
	if (walk_get(rq->db, rq->a, out.id, &w, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	answer_walk(rq, rs, 201, &w);
}

/*
** GET /api/walks/{id}
** The walk with its rubric version id, walkers, focus, purpose, debrief, teacher_identification,
** and its visits ({id, number, version, observer, grade, grade_band, start_time, minutes,
** teacher (only where the district names teachers), evidence, ratings:[{code, value,
** evidence}], look_fors:[{id, count}]}).
** Permissions: may(READ, walk), else 404; each visit through may(READ, visit).
*/
void api_walk(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	answer_walk(rq, rs, 200, &w);
}

/* ---- visits ---- */

static json_t *saved_json(int64_t id, int64_t version)
{
	return json_pack("{s:I, s:I}", "id", (json_int_t)id, "version", (json_int_t)version);
}

/*
** POST /api/walks/{id}/visits {grade, start_time "HH:MM", minutes, ratings:[{code, value,
** evidence?}], look_fors:[{id, count}], evidence, teacher_id?}
** 201 {id, version}; 400 naming the field (a rating names its indicator: "rating-TRU2");
** 400 for a teacher where the district does not name teachers; 409 for a closed walk.
** Permissions: may(CREATE, visit): the walk's walkers.
*/
void api_walk_visit_add(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	if (!may_visit(rq, ACT_CREATE, &w, NULL)) {
		resp_error(rq, rs, 403, "forbidden", "Only the walk's walkers add visits.", NULL);
		return;
	}
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	form_errors e = {0};
	observation_input in;
	observation_input_from_json(rq->a, o, &in, false, false, &e);
	if (invalid_answered(rq, rs, o, &e)) return;
	outcome out;
	visit_add(rq, &w, &in, &out);
	if (outcome_answered(rq, rs, &out)) return;
	resp_json(rs, 201, saved_json(out.id, 1));
}

/*
** PUT /api/walks/{id}/visits/{vid} {the visit's fields as for POST, version}
** 200 {id, version}; 400 naming the field; 409 {"error":{"code":"conflict"}} naming who saved
** since version.
** Permissions: may(UPDATE, visit): the walker who made it.
*/
void api_walk_visit_save(req *rq, resp *rs)
{
	walk w;
	observation old;
	if (!walk_load(rq, rs, &w) || !visit_load(rq, rs, &w, &old)) return;
	if (!may_visit(rq, ACT_UPDATE, &w, &old)) {
		resp_error(rq, rs, 403, "forbidden", "Only the walker who made a visit changes it.", NULL);
		return;
	}
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	form_errors e = {0};
	observation_input in;
	observation_input_from_json(rq->a, o, &in, true, false, &e);
	if (invalid_answered(rq, rs, o, &e)) return;
	outcome out;
	visit_save(rq, &w, &old, &in, &out);
	if (outcome_answered(rq, rs, &out)) return;
	resp_json(rs, 200, saved_json(old.id, in.version + 1));
}

/*
** DELETE /api/walks/{id}/visits/{vid}
** 200 {"removed": id}; the kept counts lose its ratings.
** Permissions: may(DEACTIVATE, visit): its walker, the principal, the district's leaders.
*/
void api_walk_visit_remove(req *rq, resp *rs)
{
	walk w;
	observation o;
	if (!walk_load(rq, rs, &w) || !visit_load(rq, rs, &w, &o)) return;
	outcome out;
	visit_remove(rq, &w, &o, &out);
	if (outcome_answered(rq, rs, &out)) return;
	resp_json(rs, 200, json_pack("{s:I}", "removed", (json_int_t)o.id));
}

/*
** GET /api/walks/{id}/debrief
** {walk_id, visits, rubric:{id, version_id, name, scale_min, scale_max},
** indicators:[{code, name, rated, mean, counts:[{level, label, count}]}],
** look_fors:[{id, text, total}], evidence:[{visit, grade, start_time, teacher?, evidence,
** ratings:[{code, value, evidence}]}] by grade and time, debrief}
** Permissions: may(READ, walk), else 404.
*/
void api_walk_debrief(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	rubric_version v;
	observation *visits;
	size_t n;
	if (!walk_rubric(rq, &w, &v) || walk_visits(rq->db, rq->a, w.id, &visits, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const rubric_indicator **ind;
	size_t ni = walk_indicators(rq->a, &v, w.focus, w.nfocus, &ind);
	walk_debrief d;
	walk_debrief_compute(rq->a, &v, ind, ni, visits, n, &d);
	json_t *j = json_object();
	json_object_set_new(j, "walk_id", json_integer(w.id));
	json_object_set_new(j, "visits", json_integer(d.visits));
	json_object_set_new(j, "rubric",
			    json_pack("{s:I, s:I, s:s, s:I, s:I}", "id", (json_int_t)v.rubric_id,
				      "version_id", (json_int_t)v.id, "name", v.name ? v.name : "",
				      "scale_min", (json_int_t)v.scale_min, "scale_max",
				      (json_int_t)v.scale_max));
	json_t *inds = json_array();
	for (size_t k = 0; k < d.nindicators; k++) {
		const indicator_summary *s = &d.indicators[k];
		json_t *counts = json_array();
		for (size_t l = 0; l < v.nlevels; l++)
			json_array_append_new(counts,
					      json_pack("{s:I, s:s, s:I}", "level",
							(json_int_t)v.levels[l].level, "label",
							rubric_level_label(rq->a, &v, v.levels[l].level),
							"count", (json_int_t)s->counts[l]));
		json_array_append_new(
			inds,
			json_pack("{s:s, s:s, s:I, s:o, s:o}", "code", s->indicator->code, "name",
				  s->indicator->name, "rated", (json_int_t)s->rated, "mean",
				  s->rated ? json_real((double)s->total / (double)s->rated) : json_null(),
				  "counts", counts));
	}
	json_object_set_new(j, "indicators", inds);
	json_t *lf = json_array();
	for (size_t i = 0; i < v.nlook_fors; i++)
		json_array_append_new(lf,
				      json_pack("{s:I, s:s, s:I}", "id", (json_int_t)v.look_fors[i].id,
						"text", v.look_fors[i].text, "total",
						(json_int_t)d.look_for_totals[i]));
	json_object_set_new(j, "look_fors", lf);
	json_t *ev = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *x = observation_json(&visits[i], w.settings.teacher_ids);
		json_object_set_new(x, "visit", json_integer(visits[i].number));
		json_array_append_new(ev, x);
	}
	json_object_set_new(j, "evidence", ev);
	json_object_set_new(j, "debrief", json_text_or_null(w.debrief));
	resp_json(rs, 200, j);
}

/*
** PUT /api/districts/{id}/walk-settings {teacher_identification: bool, min_cell: 1..50}
** 200 {district_id, teacher_identification, min_cell}; 400 naming the field.
** Permissions: may(UPDATE, walk_summary) at the district: its leaders and administrators
** (403 otherwise; 404 for no such district).
*/
void api_walk_settings_save(req *rq, resp *rs)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return;
	walk_settings ws;
	bool found = false;
	if (walk_settings_get(rq->db, rq->a, id, &ws, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "There is no such district.", NULL);
		return;
	}
	/* Asked before the body is read, so a refusal is the same whatever was sent. */
	place p[1];
	record r = walk_settings_record(p, id);
	if (!may(rq->actor, ACT_UPDATE, &r)) {
		resp_error(rq, rs, 403, "forbidden",
			   "Only the district's leaders and administrators change its walk settings.", NULL);
		return;
	}
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	static const char *const known[] = {"teacher_identification", "min_cell", NULL};
	form_errors e = {0};
	json_known_members(rq->a, o, known, &e);
	bool teacher_ids = ws.teacher_ids;
	json_member_flag(o, "teacher_identification", &teacher_ids, &e);
	int64_t min_cell = ws.min_cell;
	bool unreadable = false;
	json_t *mc = json_object_get(o, "min_cell");
	if (json_is_integer(mc)) min_cell = json_integer_value(mc);
	else if (mc) unreadable = true;
	if (invalid_answered(rq, rs, o, &e)) return;
	outcome out;
	walk_settings_save(rq, id, teacher_ids, min_cell, unreadable, &out);
	if (outcome_answered(rq, rs, &out)) return;
	resp_json(rs, 200,
		  json_pack("{s:I, s:b, s:I}", "district_id", (json_int_t)id, "teacher_identification",
			    teacher_ids, "min_cell", (json_int_t)min_cell));
}
