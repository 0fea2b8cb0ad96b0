/* Pages and API of the full-lesson observations inside a coaching cycle.
 * Each route finds the cycle first through cycle_find, so a person outside
 * it hears 404 with the refusal audited; then the lesson must be readable
 * (a share of the whole cycle or of its "enact" stage, made by a teacher of
 * that classroom), with a share holder's read or refusal on record, and
 * writes are for its members. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "../observe/rubric_web.h"
#include "../web/change.h"
#include "cycle_web.h"

static const char *num(arena *a, int64_t v)
{
	return v ? arena_printf(a, "%lld", (long long)v) : "";
}

static const char NO_OBSERVATION[] = "There is no such observation in this cycle.";

/* The cycle, when the asker may read some lesson of it (a member, or a
 * share of the whole cycle or its enactments), the read on record; 404
 * otherwise. Which lessons a share opens is decided per observation. */
static bool cycle_with_lessons(req *rq, resp *rs, coaching_cycle *c)
{
	return cycle_find(rq, rs, c) &&
		cycle_read_on_record(rq, rs, c, "lessons", cycle_lessons_shared(c, actor_id(rq)));
}

/* The observation {oid} of c, when the asker may read its classroom's
 * lesson (cycle_part_readable), the read on record; 404 otherwise. */
static bool observation_load(req *rq, resp *rs, const coaching_cycle *c, observation *o)
{
	int64_t oid;
	if (!param_id(rq, rs, "oid", &oid)) return false;
	bool found = false;
	if (observation_get(rq->db, rq->a, oid, o, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found || o->cycle_id != c->id) {
		resp_error(rq, rs, 404, "not_found", NO_OBSERVATION, NULL);
		return false;
	}
	return cycle_read_on_record(rq, rs, c, arena_printf(rq->a, "observation %lld", (long long)oid),
				    cycle_part_readable(c, actor_id(rq), STAGE_ENACT, o->teacher_id));
}

/* The cycle for a route that names one observation: the read goes on
 * record with the observation. */
static bool cycle_with_lesson(req *rq, resp *rs, coaching_cycle *c, observation *o)
{
	return cycle_find(rq, rs, c) && observation_load(rq, rs, c, o);
}

static bool members_write(req *rq, resp *rs, const coaching_cycle *c)
{
	if (may_cycle(rq, ACT_UPDATE, c)) return true;
	resp_error(rq, rs, 403, "forbidden", "only the cycle's coaches and teachers observe its lessons",
		   NULL);
	return false;
}

static const char *cycle_name(const coaching_cycle *c)
{
	return c->title ? c->title : "Coaching cycle";
}

/* ---- pages ---- */

typedef struct lesson_view {
	int status;
	int64_t rubric_id; /* a new observation's rubric */
	const rubric_version *v;
	const observation *o; /* NULL: a new one */
	const observation_input *in;
	const form_errors *e;
	const char *conflict;
} lesson_view;

static void lesson_page(req *rq, resp *rs, const coaching_cycle *c, const lesson_view *lv)
{
	bool editable = may_cycle(rq, ACT_UPDATE, c) && c->state != CYCLE_CLOSED;
	const char *title = lv->o ? arena_printf(rq->a, "Observation of %s", lv->o->observed_on)
				  : "Observe with a rubric";
	buf *b = resp_html(rs, lv->status ? lv->status : 200);
	layout l = page_layout(rq, arena_printf(rq->a, "%s · %s", title, cycle_name(c)), "cycles");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/cycles\">Coaching cycles</a> › <a "
		    "href=\"/cycles/%lld\">%s</a></p>\n",
		    (long long)c->id, cycle_name(c));
	html_printf(b, "<h1>%s</h1>\n", title);
	html_printf(
		b,
		"<p class=\"setting-note\">Part of this coaching cycle: only its coaches and teachers, and "
		"those a "
		"teacher shares it with, read it. It never counts in the learning-walk dashboards.</p>\n");
	if (lv->conflict)
		html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n", lv->conflict);
	if (editable) {
		const rubric_indicator **ind;
		size_t ni = walk_indicators(rq->a, lv->v, NULL, 0, &ind);
		const char *to = lv->o ? arena_printf(rq->a, "/cycles/%lld/observations/%lld",
						      (long long)c->id, (long long)lv->o->id)
				       : arena_printf(rq->a, "/cycles/%lld/observations?rubric_id=%lld",
						      (long long)c->id, (long long)lv->rubric_id);
		observation_form f = {.action = to,
				      .v = lv->v,
				      .indicators = ind,
				      .nindicators = ni,
				      .in = lv->in,
				      .date_field = true,
				      .submit = "Save the observation",
				      .e = lv->e};
		observation_form_write(rq, b, &f);
	} else if (lv->o) {
		observation_card(rq, b, lv->v, lv->o, true);
	}
	if (lv->o && editable)
		form_button(b,
			    arena_printf(rq->a, "/cycles/%lld/observations/%lld/remove", (long long)c->id,
					 (long long)lv->o->id),
			    rq->actor->csrf, "Remove this observation",
			    "Remove this observation and its ratings?", NULL, NULL);
	layout_end(b);
}

/* The rubrics a cycle's lessons are observed with: built-ins and the
 * district's (and its partner's) own. */
static void rubric_choice(req *rq, resp *rs, const coaching_cycle *c)
{
	int64_t orgs[] = {c->district_id, c->partner_id};
	rubric_summary *list;
	size_t n;
	if (rubric_list(rq->db, rq->a, orgs, c->partner_id ? 2 : 1, false, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	form_option *opts = arena_calloc(rq->a, n + 1, sizeof *opts);
	for (size_t i = 0; i < n; i++) opts[i] = (form_option){num(rq->a, list[i].id), list[i].name};
	buf *b = resp_html(rs, 200);
	layout l =
		page_layout(rq, arena_printf(rq->a, "Observe with a rubric · %s", cycle_name(c)), "cycles");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/cycles\">Coaching cycles</a> › <a "
		    "href=\"/cycles/%lld\">%s</a></p>\n"
		    "<h1>Observe with a rubric</h1>\n<form method=\"get\" "
		    "action=\"/cycles/%lld/observations/new\">\n",
		    (long long)c->id, cycle_name(c), (long long)c->id);
	form_errors none = {0};
	form_select(b, "rubric_id", "Rubric", opts, n, "", true, &none);
	html_printf(b, "<div class=\"actions\"><button type=\"submit\">Next</button></div></form>\n");
	layout_end(b);
}

/* The current version of a rubric offered to the cycle's district: no
 * other district's rubric is shown through a cycle's form (*offered
 * false for one that is not, or is not there). */
static store_rc rubric_current(req *rq, const coaching_cycle *c, int64_t rubric_id, rubric_version *v,
			       bool *offered)
{
	int64_t vid = 0;
	bool found = false;
	*offered = false;
	store_rc rc = rubric_current_version(rq->db, rq->a, rubric_id, &vid);
	if (rc == STORE_OK && vid) rc = rubric_version_load(rq->db, rq->a, vid, v, &found);
	*offered = rc == STORE_OK && found && rubric_offered_in(v, c->district_id, c->partner_id);
	return rc;
}

/* The rubric a form names in rubric_id (the address, else the form), when
 * it is offered to the cycle; *offered false when it names none such.
 * false when a 500 was answered. */
static bool rubric_named(req *rq, resp *rs, const coaching_cycle *c, const char *given, int64_t *rubric_id,
			 rubric_version *v, bool *offered)
{
	*offered = false;
	if (!given || !parse_i64(given, 1, INT64_MAX, rubric_id)) return true;
	if (rubric_current(rq, c, *rubric_id, v, offered) == STORE_OK) return true;
	resp_store_failed(rq, rs);
	return false;
}

/*
** GET /cycles/{id}/observations/new?rubric_id=ID
** Observing a lesson of the cycle with a rubric: first the rubric, then the
** rating form (day, time, minutes, a chip per level of every indicator,
** look-fors, evidence).
** Permissions: may(READ, coaching) (404, audited, otherwise), the
** enactment readable; may(UPDATE, coaching) to write (403).
*/
void page_cycle_observation_new(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_with_lessons(rq, rs, &c) || !members_write(rq, rs, &c)) return;
	int64_t rubric_id = 0;
	rubric_version v;
	bool offered;
	if (!rubric_named(rq, rs, &c, req_query(rq, "rubric_id"), &rubric_id, &v, &offered)) return;
	if (!offered) {
		rubric_choice(rq, rs, &c);
		return;
	}
	observation_input in = {.observed_on = c.lesson_on};
	lesson_view lv = {.rubric_id = rubric_id, .v = &v, .in = &in};
	lesson_page(rq, rs, &c, &lv);
}

/*
** POST /cycles/{id}/observations?rubric_id=ID (form: observed_on, start_time, minutes,
** rating-CODE, look_for-ID, bump, evidence, csrf)
** 303 to the observation; the form again with 400 beside the fields.
** Permissions: may(UPDATE, coaching): the cycle's members.
*/
void page_cycle_observation_create(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_with_lessons(rq, rs, &c) || !members_write(rq, rs, &c)) return;
	int64_t rubric_id = 0;
	const char *r = req_query(rq, "rubric_id");
	rubric_version v;
	bool offered;
	if (!rubric_named(rq, rs, &c, r ? r : req_form(rq, "rubric_id"), &rubric_id, &v, &offered)) return;
	if (!offered) {
		resp_error(rq, rs, 400, "invalid", "Choose the rubric to observe with.", "rubric_id");
		return;
	}
	observation_input in;
	bool bumped;
	observation_input_from_form(rq, &v, &in, &bumped);
	lesson_view lv = {.rubric_id = rubric_id, .v = &v, .in = &in};
	if (bumped) {
		lesson_page(rq, rs, &c, &lv);
		return;
	}
	outcome out;
	cycle_observation_add(rq, &c, rubric_id, &in, &out);
	if (out.status == 400) {
		lv.status = 400;
		lv.e = &out.errors;
		lesson_page(rq, rs, &c, &lv);
		return;
	}
	outcome_redirect(rq, rs, &out,
			 arena_printf(rq->a, "/cycles/%lld/observations/%lld?ok=saved", (long long)c.id,
				      (long long)out.id));
}

/*
** GET /cycles/{id}/observations/{oid}
** One observation: its form for the cycle's members, read-only for a share holder.
** Permissions: may(READ, coaching) and the enactment readable; 404 otherwise.
*/
void page_cycle_observation(req *rq, resp *rs)
{
	coaching_cycle c;
	observation o;
	if (!cycle_with_lesson(rq, rs, &c, &o)) return;
	rubric_version v;
	if (!rubric_version_pinned(rq, rs, o.rubric_version_id, &v)) return;
	observation_input in = observation_input_of(rq->a, &o);
	lesson_view lv = {.v = &v, .o = &o, .in = &in};
	lesson_page(rq, rs, &c, &lv);
}

/*
** POST /cycles/{id}/observations/{oid} (form: as for a new one, and version)
** 303 back; 400 beside the fields; 409 when saved since it was opened.
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_observation_update(req *rq, resp *rs)
{
	coaching_cycle c;
	observation o;
	if (!cycle_with_lesson(rq, rs, &c, &o) || !members_write(rq, rs, &c)) return;
	rubric_version v;
	if (!rubric_version_pinned(rq, rs, o.rubric_version_id, &v)) return;
	observation_input in;
	bool bumped;
	observation_input_from_form(rq, &v, &in, &bumped);
	lesson_view lv = {.v = &v, .o = &o, .in = &in};
	if (bumped) {
		lesson_page(rq, rs, &c, &lv);
		return;
	}
	outcome out;
	cycle_observation_save(rq, &c, &o, &in, &out);
	if (out.status == 400 || (out.status == 409 && str_eq(out.code, "conflict"))) {
		lv.status = out.status;
		lv.e = out.status == 400 ? &out.errors : NULL;
		lv.conflict = out.status == 409 ? out.message : NULL;
		lesson_page(rq, rs, &c, &lv);
		return;
	}
	outcome_redirect(rq, rs, &out,
			 arena_printf(rq->a, "/cycles/%lld/observations/%lld?ok=saved", (long long)c.id,
				      (long long)o.id));
}

/*
** POST /cycles/{id}/observations/{oid}/remove (form: csrf)
** 303 to the cycle.
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_observation_remove(req *rq, resp *rs)
{
	coaching_cycle c;
	observation o;
	if (!cycle_with_lesson(rq, rs, &c, &o) || !members_write(rq, rs, &c)) return;
	outcome out;
	cycle_observation_remove(rq, &c, &o, &out);
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/cycles/%lld?ok=deactivated", (long long)c.id));
}

/* ---- API ---- */

static bool invalid_answered(req *rq, resp *rs, json_t *o, const form_errors *e)
{
	if (e->n) resp_form_invalid(rq, rs, e);
	json_decref(o);
	return e->n != 0;
}

static void answer_observation(req *rq, resp *rs, int status, int64_t id)
{
	observation o;
	bool found = false;
	if (observation_get(rq->db, rq->a, id, &o, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_json(rs, status, observation_json(&o, true));
}

/*
** GET /api/cycles/{id}/observations
** {"observations":[{id, version, rubric_version_id, observer, grade, observed_on, start_time,
** minutes, teacher, evidence, ratings:[{code, value, evidence}], look_fors:[{id, count}]}]}
** Permissions: may(READ, coaching) (404, audited, otherwise) and the enactment readable.
*/
void api_cycle_observations(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_with_lessons(rq, rs, &c)) return;
	observation *list;
	size_t n;
	if (cycle_observations(rq->db, rq->a, c.id, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (cycle_part_readable(&c, actor_id(rq), STAGE_ENACT, list[i].teacher_id))
			json_array_append_new(arr, observation_json(&list[i], true));
	resp_json(rs, 200, json_pack("{s:o}", "observations", arr));
}

/*
** POST /api/cycles/{id}/observations {rubric_id, observed_on "YYYY-MM-DD", start_time?, minutes?,
** ratings:[{code, value, evidence?}], look_fors:[{id, count}], evidence?}
** 201 with the observation; 400 naming the field; 403 for a share holder; 409 when closed.
** Permissions: may(UPDATE, coaching): the cycle's members.
*/
void api_cycle_observation_add(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_with_lessons(rq, rs, &c) || !members_write(rq, rs, &c)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	form_errors e = {0};
	observation_input in;
	observation_input_from_json(rq->a, o, &in, false, true, &e);
	int64_t rubric_id = 0;
	json_member_id(o, "rubric_id", &rubric_id, &e);
	if (!rubric_id && !e.n)
		form_error_add(&e, "rubric_id", "Give the rubric to observe with (rubric_id).");
	if (invalid_answered(rq, rs, o, &e)) return;
	outcome out;
	cycle_observation_add(rq, &c, rubric_id, &in, &out);
	if (outcome_answered(rq, rs, &out)) return;
	answer_observation(rq, rs, 201, out.id);
}

/*
** GET /api/cycles/{id}/observations/{oid}
** The observation, as in the list.
** Permissions: may(READ, coaching) and the enactment readable; 404 otherwise.
*/
void api_cycle_observation(req *rq, resp *rs)
{
	coaching_cycle c;
	observation o;
	if (!cycle_with_lesson(rq, rs, &c, &o)) return;
	resp_json(rs, 200, observation_json(&o, true));
}

/*
** PUT /api/cycles/{id}/observations/{oid} {observed_on, start_time?, minutes?, ratings, look_fors,
** evidence?, version}
** 200 with the observation; 400 naming the field; 409 "conflict" when saved since version.
** Permissions: may(UPDATE, coaching).
*/
void api_cycle_observation_save(req *rq, resp *rs)
{
	coaching_cycle c;
	observation old;
	if (!cycle_with_lesson(rq, rs, &c, &old) || !members_write(rq, rs, &c)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	form_errors e = {0};
	observation_input in;
	observation_input_from_json(rq->a, o, &in, true, true, &e);
	if (json_object_get(o, "rubric_id"))
		form_error_add(&e, "rubric_id", "An observation keeps its rubric.");
	if (invalid_answered(rq, rs, o, &e)) return;
	outcome out;
	cycle_observation_save(rq, &c, &old, &in, &out);
	if (outcome_answered(rq, rs, &out)) return;
	answer_observation(rq, rs, 200, old.id);
}

/*
** DELETE /api/cycles/{id}/observations/{oid}
** 200 {"removed": id}.
** Permissions: may(UPDATE, coaching).
*/
void api_cycle_observation_remove(req *rq, resp *rs)
{
	coaching_cycle c;
	observation o;
	if (!cycle_with_lesson(rq, rs, &c, &o) || !members_write(rq, rs, &c)) return;
	outcome out;
	cycle_observation_remove(rq, &c, &o, &out);
	if (outcome_answered(rq, rs, &out)) return;
	resp_json(rs, 200, json_pack("{s:I}", "removed", (json_int_t)o.id));
}
