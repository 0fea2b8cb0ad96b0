/* The school-years JSON API, the twin of schoolyear_pages.c: the same
 * checks and permissions (schoolyear_change.c), JSON in and out. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "schoolyear.h"

/* The fields of a year in o; members absent keep old's values (PATCH),
 * or are empty for a new year (old NULL). */
static school_year_input json_year_input(req *rq, json_t *o, const school_year *old, form_errors *e)
{
	school_year_input in = old
		? (school_year_input){old->name, old->starts_on, old->ends_on, old->district_id, false}
		: (school_year_input){0};
	json_member_text_or_number(rq->a, o, "name", &in.name, e);
	json_member_text_or_number(rq->a, o, "starts_on", &in.starts_on, e);
	json_member_text_or_number(rq->a, o, "ends_on", &in.ends_on, e);
	const char *d = NULL;
	json_member_text_or_number(rq->a, o, "district_id", &d, e);
	if (d && *d && !parse_i64(d, 1, INT64_MAX, &in.district_id)) in.district_unreadable = true;
	return in;
}

static json_t *term_json(const term *t)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)t->id, "name", t->name, "starts_on",
			 t->starts_on, "ends_on", t->ends_on);
}

static json_t *year_json(const school_year *y)
{
	return json_pack("{s:I, s:I, s:s?, s:s, s:s, s:s, s:b, s:I}", "id", (json_int_t)y->id, "district_id",
			 (json_int_t)y->district_id, "district_name", y->district_name, "name", y->name,
			 "starts_on", y->starts_on, "ends_on", y->ends_on, "active", y->active, "term_count",
			 (json_int_t)y->terms);
}

/* A year with its terms. */
static void answer_year(req *rq, resp *rs, int status, const school_year *y)
{
	term *t;
	size_t n;
	if (term_list(rq->db, rq->a, y->id, &t, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *j = year_json(y), *terms = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(terms, term_json(&t[i]));
	json_object_set_new(j, "terms", terms);
	resp_json(rs, status, j);
}

/* After a change: the year (year_id) as it is now, or the outcome's error. */
/* The school year with id, as JSON. */
static void answer_year_id(req *rq, resp *rs, int status, int64_t id)
{
	school_year y;
	bool found;
	if (school_year_get(rq->db, rq->a, id, &y, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	answer_year(rq, rs, status, &y);
}

/*
** GET /api/school-years?district=ID
** {"school_years":[{id,district_id,district_name,name,starts_on,ends_on,active,term_count}]}
** Permissions: signed in; each year through may(READ, school year).
*/
void api_school_years(req *rq, resp *rs)
{
	const char *d = req_query(rq, "district");
	int64_t district_id = 0;
	if (d && *d && !parse_i64(d, 1, INT64_MAX, &district_id)) {
		resp_error(rq, rs, 400, "bad_district", "district must be the id of a district", "district");
		return;
	}
	school_year *list;
	size_t n;
	if (school_year_visible(rq, district_id, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, year_json(&list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "school_years", arr));
}

/*
** GET /api/school-years/{id}
** One school year with its "terms" [{id,name,starts_on,ends_on}].
** Permissions: may(READ, school year).
*/
void api_school_year(req *rq, resp *rs)
{
	school_year y;
	if (school_year_load(rq, rs, &y)) answer_year(rq, rs, 200, &y);
}

/*
** POST /api/school-years  {"name","district_id","starts_on","ends_on"}
** 201 with the year; 400 naming the field (a date that is not one, end
** before start, overlap with another active year of the district); 403.
** Permissions: may(CREATE, school year) in district_id.
*/
void api_school_year_create(req *rq, resp *rs)
{
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	school_year_input in = json_year_input(rq, body, NULL, &e);
	json_decref(body);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome o;
	school_year_create(rq, &in, &o);
	outcome_answer(rq, rs, &o, 201, o.id, answer_year_id);
}

/*
** PATCH /api/school-years/{id}  {"name"?, "starts_on"?, "ends_on"?}
** 200 with the year; 400 naming the field; 409 when deactivated.
** Permissions: may(UPDATE, school year).
*/
void api_school_year_update(req *rq, resp *rs)
{
	school_year y;
	if (!school_year_load(rq, rs, &y)) return;
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	school_year_input in = json_year_input(rq, body, &y, &e);
	json_decref(body);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome o;
	school_year_change(rq, &y, &in, &o);
	outcome_answer(rq, rs, &o, 200, y.id, answer_year_id);
}

/*
** POST /api/school-years/{id}/deactivate
** The year, now inactive (again 200 when it already was).
** Permissions: may(DEACTIVATE, school year).
*/
void api_school_year_deactivate(req *rq, resp *rs)
{
	school_year y;
	if (!school_year_load(rq, rs, &y)) return;
	outcome o;
	school_year_retire(rq, &y, &o);
	outcome_answer(rq, rs, &o, 200, y.id, answer_year_id);
}

/*
** POST /api/school-years/{id}/terms  {"name","starts_on","ends_on"}
** 201 with the year and its terms; 400 naming the field (outside the
** year, overlapping another term, end before start).
** Permissions: may(UPDATE, school year); 409 when deactivated.
*/
void api_term_add(req *rq, resp *rs)
{
	school_year y;
	if (!school_year_load(rq, rs, &y)) return;
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	term_input in = {0};
	json_member_text_or_number(rq->a, body, "name", &in.name, &e);
	json_member_text_or_number(rq->a, body, "starts_on", &in.starts_on, &e);
	json_member_text_or_number(rq->a, body, "ends_on", &in.ends_on, &e);
	json_decref(body);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome o;
	term_add(rq, &y, &in, &o);
	outcome_answer(rq, rs, &o, 201, y.id, answer_year_id);
}

/*
** DELETE /api/school-years/{id}/terms/{tid}
** 200 with the year and its remaining terms; 404 when it has no such term.
** Permissions: may(UPDATE, school year); 409 when deactivated.
*/
void api_term_remove(req *rq, resp *rs)
{
	school_year y;
	int64_t tid;
	if (!school_year_load(rq, rs, &y) || !param_id(rq, rs, "tid", &tid)) return;
	outcome o;
	term_remove(rq, &y, tid, &o);
	outcome_answer(rq, rs, &o, 200, y.id, answer_year_id);
}
