/* The coaching-cycles JSON API, the twin of cycle_pages.c: the same policy,
 * checks and changes (cycle_change.c, cycle_file.c), JSON in and out. A
 * person holding a share of one stage sees that stage and nothing else of
 * the cycle's content; leaders reach none of it here. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../files/stored_file.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_web.h"

enum {
	Q_MAX = 200,     /* characters of a search */
	ANSWERS_MAX = 64 /* members of one save's "answers" */
};

/* ---- JSON out ---- */

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *time_or_null(int64_t t)
{
	return t ? json_integer(t) : json_null();
}

static json_t *members_json(const coaching_cycle *c)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < c->nmembers; i++)
		json_array_append_new(arr,
				      json_pack("{s:I, s:s, s:s}", "id", (json_int_t)c->members[i].person_id,
						"name", c->members[i].name ? c->members[i].name : "", "role",
						c->members[i].coach ? "coach" : "teacher"));
	return arr;
}

/* What a list shows of a cycle: who and where, never a stage's content. */
static json_t *cycle_summary_json(req *rq, const coaching_cycle *c)
{
	const cycle_share *share = cycle_is_member(c, actor_id(rq)) ? NULL : cycle_share_for(c, actor_id(rq));
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "kind", json_string(cycle_kind_name(c->kind)));
	json_object_set_new(j, "title", json_text_or_null(c->title));
	json_object_set_new(j, "state", json_string(cycle_state_name(c->state)));
	json_object_set_new(j, "district", json_named(c->district_id, c->district_name));
	json_object_set_new(j, "school", json_named(c->school_id, c->school_name));
	json_object_set_new(j, "team", json_named(c->team_id, c->team_name));
	json_object_set_new(j, "grade", json_text_or_null(c->grade));
	json_object_set_new(j, "started_on", json_text_or_null(c->started_on));
	json_object_set_new(j, "lesson_on", json_text_or_null(c->lesson_on));
	json_object_set_new(j, "members", members_json(c));
	json_object_set_new(j, "shared_with_me", json_boolean(share != NULL));
	json_object_set_new(j, "shared_by",
			    share ? json_named(share->shared_by, share->shared_by_name) : json_null());
	json_object_set_new(j, "href", json_string(arena_printf(rq->a, "/cycles/%lld", (long long)c->id)));
	return j;
}

static json_t *answers_json(const cycle_stage *st)
{
	json_t *o = json_object();
	for (size_t i = 0; i < st->nanswers; i++)
		if (st->answers[i].key && st->answers[i].value)
			json_object_set_new(o, st->answers[i].key, json_string(st->answers[i].value));
	return o;
}

static json_t *stage_json(const cycle_stage *st)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(st->id));
	json_object_set_new(j, "stage", json_string(stage_name(st->stage)));
	json_object_set_new(j, "teacher", json_named(st->teacher_id, st->teacher_name));
	json_object_set_new(j, "complete", json_boolean(st->complete));
	json_object_set_new(j, "version", json_integer(st->version));
	json_object_set_new(j, "minutes", json_integer(st->minutes));
	json_object_set_new(j, "updated_at", time_or_null(st->updated_at));
	json_object_set_new(j, "updated_by", json_named(st->updated_by, st->updated_by_name));
	json_object_set_new(j, "completed_at", time_or_null(st->completed_at));
	json_object_set_new(j, "answers", answers_json(st));
	return j;
}

static json_t *share_json(const cycle_share *s)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(s->id));
	json_object_set_new(j, "person", json_named(s->person_id, s->person_name));
	json_object_set_new(j, "stage",
			    s->stage >= 0 ? json_string(stage_name((stage_kind)s->stage)) : json_null());
	json_object_set_new(j, "shared_by", json_named(s->shared_by, s->shared_by_name));
	json_object_set_new(j, "created_at", json_integer(s->created_at));
	return j;
}

static json_t *shares_json(const coaching_cycle *c)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < c->nshares; i++) json_array_append_new(arr, share_json(&c->shares[i]));
	return arr;
}

static json_t *note_json(const cycle_note *n)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(n->id));
	json_object_set_new(j, "stage_id", json_integer(n->stage_id));
	json_object_set_new(j, "taken_at", json_integer(n->taken_at));
	json_object_set_new(j, "tag", json_text_or_null(n->tag && *n->tag ? n->tag : NULL));
	json_object_set_new(j, "body", json_string(n->body ? n->body : ""));
	json_object_set_new(j, "author", json_named(n->author_id, n->author_name));
	return j;
}

static json_t *file_json(req *rq, const cycle_file *f)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(f->id));
	json_object_set_new(j, "stage_id", json_integer(f->stage_id));
	json_object_set_new(j, "stage", json_string(stage_name(f->stage)));
	json_object_set_new(j, "title", json_text_or_null(f->title));
	json_object_set_new(j, "content_type", json_text_or_null(f->content_type));
	json_object_set_new(j, "media", json_boolean(stored_file_is_media(f->content_type)));
	json_object_set_new(j, "size_bytes", json_integer(f->size_bytes));
	json_object_set_new(j, "created_at", json_integer(f->created_at));
	json_object_set_new(j, "created_by", json_named(f->created_by, f->created_by_name));
	json_object_set_new(j, "href",
			    json_string(arena_printf(rq->a, "/api/cycles/%lld/files/%lld",
						     (long long)f->cycle_id, (long long)f->id)));
	return j;
}

/* The coaching day the cycle counts against, or null. */
static json_t *session_json(const coaching_cycle *c)
{
	if (!c->session_id) return json_null();
	return json_pack("{s:I, s:o, s:o}", "id", (json_int_t)c->session_id, "title",
			 json_text_or_null(c->session_title), "on_date", json_text_or_null(c->session_date));
}

/* The whole cycle as the asker may see it: the stages they may read (a
 * share of one stage shows that one), and its shares only to its members. */
static void answer_cycle(req *rq, resp *rs, int status, const coaching_cycle *c)
{
	cycle_stage *st;
	size_t n;
	if (cycle_stages_get(rq->db, rq->a, c->id, &st, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *j = cycle_summary_json(rq, c), *stages = json_array();
	json_object_set_new(j, "template_id", id_or_null(c->template_id));
	json_object_set_new(j, "previous_id", id_or_null(c->previous_id));
	json_object_set_new(j, "next_id", id_or_null(c->next_id));
	json_object_set_new(j, "session", session_json(c));
	json_object_set_new(j, "created_at", json_integer(c->created_at));
	json_object_set_new(j, "updated_at", json_integer(c->updated_at));
	json_object_set_new(j, "closed_at", time_or_null(c->closed_at));
	for (size_t i = 0; i < n; i++)
		if (cycle_stage_readable(c, actor_id(rq), &st[i]))
			json_array_append_new(stages, stage_json(&st[i]));
	json_object_set_new(j, "stages", stages);
	if (cycle_is_member(c, actor_id(rq))) json_object_set_new(j, "shares", shares_json(c));
	resp_json(rs, status, j);
}

/* The cycle again after a change, as it now stands. */
static void answer_changed(req *rq, resp *rs, int status, int64_t id)
{
	coaching_cycle c;
	bool found;
	if (cycle_get(rq->db, rq->a, id, &c, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	answer_cycle(rq, rs, status, &c);
}

/* ---- JSON in ---- */

/* Answers 400 with e when it holds errors and says so. The body o is
 * released after answering: the errors may name its members. */
static bool invalid_answered(req *rq, resp *rs, json_t *o, const form_errors *e)
{
	if (e->n) resp_form_invalid(rq, rs, e);
	json_decref(o);
	return e->n != 0;
}

/* A write route that takes no members: {} or no body at all. */
static bool empty_body(req *rq, resp *rs)
{
	json_t *o = json_body_object(rq, rs);
	if (!o) return false;
	static const char *const known[] = {NULL};
	form_errors e = {0};
	json_known_members(rq->a, o, known, &e);
	return !invalid_answered(rq, rs, o, &e);
}

/* ---- shared by the handlers ---- */

/* Writes are for the cycle's members; a share holder may only read. Asked
 * before a body is read, so a reader learns nothing from its errors. */
static bool members_write(req *rq, resp *rs, const coaching_cycle *c)
{
	if (may_cycle(rq, ACT_UPDATE, c)) return true;
	resp_error(rq, rs, 403, "forbidden", "only the cycle's coaches and teachers change it", NULL);
	return false;
}

/* The stage of kind st a request means: stage_id when given (it must be
 * one of the cycle's), else the only one of that kind; errors name
 * stage_id. */
static const cycle_stage *stage_named(req *rq, const cycle_stage *stages, size_t n, stage_kind st,
				      int64_t stage_id, form_errors *e)
{
	const cycle_stage *only = NULL;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (stages[i].stage != st) continue;
		if (stage_id && stages[i].id == stage_id) return &stages[i];
		only = &stages[i];
		count++;
	}
	if (stage_id)
		form_error_add(e, "stage_id",
			       arena_printf(rq->a, "This is not a %s stage of this cycle.", stage_name(st)));
	else if (!count)
		form_error_add(e, "stage_id",
			       arena_printf(rq->a, "This cycle has no %s stage.", stage_name(st)));
	else if (count > 1)
		form_error_add(e, "stage_id",
			       "Name the enactment (stage_id): this cycle has one for each teacher.");
	return !stage_id && count == 1 ? only : NULL;
}

static const cycle_stage *stage_by_id(const cycle_stage *stages, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (stages[i].id == id) return &stages[i];
	return NULL;
}

/* The {stage} of the address; 404 for anything but plan, enact, reflect. */
static bool stage_param(req *rq, resp *rs, stage_kind *st)
{
	if (stage_parse(req_param(rq, "stage"), st)) return true;
	resp_error(rq, rs, 404, "not_found", "there is no such page", NULL);
	return false;
}

/* The stages of c of kind the asker may read, with the read on record
 * (a share holder's) or, when there is none, the refusal (404: the same
 * answer as for a stage that is not there, so a share of one stage or one
 * classroom tells nothing of the rest). false when answered. */
static bool readable_stages(req *rq, resp *rs, const coaching_cycle *c, stage_kind kind, cycle_stage **st,
			    size_t *n)
{
	cycle_stage *all;
	size_t nall;
	if (cycle_stages_get(rq->db, rq->a, c->id, &all, &nall) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	*st = arena_calloc(rq->a, nall ? nall : 1, sizeof **st);
	*n = 0;
	for (size_t i = 0; i < nall; i++)
		if (all[i].stage == kind && cycle_stage_readable(c, actor_id(rq), &all[i]))
			(*st)[(*n)++] = all[i];
	return cycle_read_on_record(rq, rs, c, arena_printf(rq->a, "stage %s", stage_name(kind)), *n > 0);
}

/* ---- cycles ---- */

static bool cycles_filter(req *rq, resp *rs, cycle_filter *f)
{
	*f = (cycle_filter){.state = -1};
	form_errors e = {0};
	const char *state = req_query(rq, "state"), *teacher = req_query(rq, "teacher"),
		   *coach = req_query(rq, "coach"), *q = text_trim(rq->a, req_query(rq, "q"));
	cycle_state s;
	if (state && *state) {
		if (cycle_state_parse(state, &s)) f->state = (int)s;
		else form_error_add(&e, "state", "The state is one of planning, enacted, reflected, closed.");
	}
	if (teacher && *teacher && !parse_i64(teacher, 1, INT64_MAX, &f->teacher_id))
		form_error_add(&e, "teacher", "This must be the id of a person.");
	if (coach && *coach && !parse_i64(coach, 1, INT64_MAX, &f->coach_id))
		form_error_add(&e, "coach", "This must be the id of a person.");
	if (q && strlen(q) > Q_MAX)
		form_error_add(&e, "q", arena_printf(rq->a, "A search has at most %d characters.", Q_MAX));
	f->q = q && *q ? q : NULL;
	if (e.n) resp_form_invalid(rq, rs, &e);
	return !e.n;
}

/*
** GET /api/cycles?state=&q=&teacher=&coach=
** {"cycles":[{id,kind,title,state,district,school,team,grade,started_on,lesson_on,
**   members:[{id,name,role}],shared_with_me,shared_by,href}]}: the asker's
** cycles and those shared with them, newest first; q searches titles and
** the answers of the stages the asker may read.
** Permissions: signed in; each cycle through may(READ).
*/
void api_cycles(req *rq, resp *rs)
{
	cycle_filter f;
	if (!cycles_filter(rq, rs, &f)) return;
	coaching_cycle *list;
	size_t n;
	if (cycle_list(rq->db, rq->a, actor_id(rq), &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (may_cycle(rq, ACT_READ, &list[i]))
			json_array_append_new(arr, cycle_summary_json(rq, &list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "cycles", arr));
}

/*
** POST /api/cycles {kind,title,school_id,team_id,teachers:[ids],coaches:[ids],grade,
**   template_id,session_id}
** 201 with the cycle, as GET /api/cycles/{id}; 400 naming the field.
** Permissions: may(CREATE, coaching) at the school's district: a coach.
*/
void api_cycle_create(req *rq, resp *rs)
{
	/* Asked first, so a person who cannot start cycles hears so, whatever they sent. */
	if (!may_act_somewhere(rq, REC_COACHING, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "Only coaches start coaching cycles.", NULL);
		return;
	}
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	static const char *const known[] = {"kind",    "title", "school_id",   "team_id",    "teachers",
					    "coaches", "grade", "template_id", "session_id", NULL};
	form_errors e = {0};
	cycle_input in = {0};
	const char *kind = NULL;
	json_known_members(rq->a, o, known, &e);
	json_member_text(rq->a, o, "kind", &kind, &e);
	if (!kind || !*kind) form_error_add(&e, "kind", "Choose individual or collaborative.");
	else if (!cycle_kind_parse(kind, &in.kind))
		form_error_add(&e, "kind", "The kind is individual or collaborative.");
	json_member_text(rq->a, o, "title", &in.title, &e);
	json_member_id(o, "school_id", &in.school_id, &e);
	json_member_id(o, "team_id", &in.team_id, &e);
	json_member_ids(rq->a, o, "teachers", CYCLE_PEOPLE_MAX, &in.teachers, &in.nteachers, &e);
	json_member_ids(rq->a, o, "coaches", CYCLE_PEOPLE_MAX, &in.coaches, &in.ncoaches, &e);
	json_member_text_or_number(rq->a, o, "grade", &in.grade, &e);
	if (in.grade && !*in.grade) in.grade = NULL;
	json_member_id(o, "template_id", &in.template_id, &e);
	json_member_id(o, "session_id", &in.session_id, &e);
	if (invalid_answered(rq, rs, o, &e)) return;
	outcome out;
	cycle_start(rq, &in, &out);
	if (!outcome_answered(rq, rs, &out)) answer_changed(rq, rs, 201, out.id);
}

/*
** GET /api/cycles/{id}
** The cycle with the stages the asker may read, each {id,stage,teacher,complete,version,
** minutes,updated_at,updated_by,completed_at,answers:{key:value}}; its shares (to its
** members only), previous_id, next_id, session.
** Permissions: may(READ, coaching): members, and those it is shared with (audited).
*/
void api_cycle(req *rq, resp *rs)
{
	coaching_cycle c;
	if (cycle_load(rq, rs, &c)) answer_cycle(rq, rs, 200, &c);
}

/* Closing and reopening answer alike: 200 with the cycle, or the change's
 * refusal (409 when it is already closed, or not closed). */
static void course_change(req *rq, resp *rs, void (*change)(req *, const coaching_cycle *, outcome *))
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c) || !empty_body(rq, rs)) return;
	outcome out;
	change(rq, &c, &out);
	if (!outcome_answered(rq, rs, &out)) answer_changed(rq, rs, 200, c.id);
}

/*
** POST /api/cycles/{id}/close (no members)
** Ends the cycle's course: 200 with the cycle; 409 when it is already closed.
** Permissions: may(DEACTIVATE, coaching): the cycle's coaches.
*/
void api_cycle_close(req *rq, resp *rs)
{
	course_change(rq, rs, cycle_close);
}

/*
** POST /api/cycles/{id}/reopen (no members)
** Opens a closed cycle again: 200 with the cycle; 409 when it is not closed.
** Permissions: may(DEACTIVATE, coaching): the cycle's coaches.
*/
void api_cycle_reopen(req *rq, resp *rs)
{
	course_change(rq, rs, cycle_reopen);
}

/* ---- stages ---- */

static json_t *enactment_json(req *rq, resp *rs, const cycle_stage *st)
{
	cycle_tally *t;
	size_t n;
	if (cycle_tallies_get(rq->db, rq->a, st->id, &t, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return NULL;
	}
	json_t *j = stage_json(st), *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr,
				      json_pack("{s:s, s:I}", "label", t[i].label ? t[i].label : "", "count",
						(json_int_t)t[i].count));
	json_object_set_new(j, "tallies", arr);
	return j;
}

/*
** GET /api/cycles/{id}/{stage}  (stage: plan, enact or reflect)
** plan and reflect: the stage; enact: {"enactments":[stage with tallies:[{label,count}]]},
** one per teacher's classroom. 404 for a stage the asker may not read.
** Permissions: may(READ, coaching), and a share of this stage or the whole cycle.
*/
void api_cycle_stage(req *rq, resp *rs)
{
	stage_kind kind;
	coaching_cycle c;
	cycle_stage *st;
	size_t n;
	if (!stage_param(rq, rs, &kind) || !cycle_find(rq, rs, &c) ||
	    !readable_stages(rq, rs, &c, kind, &st, &n))
		return;
	if (kind != STAGE_ENACT) {
		for (size_t i = 0; i < n; i++)
			if (st[i].stage == kind) {
				resp_json(rs, 200, stage_json(&st[i]));
				return;
			}
		resp_error(rq, rs, 404, "not_found", "there is no such page", NULL);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (st[i].stage != STAGE_ENACT) continue;
		json_t *j = enactment_json(rq, rs, &st[i]);
		if (!j) {
			json_decref(arr);
			return;
		}
		json_array_append_new(arr, j);
	}
	resp_json(rs, 200, json_pack("{s:o}", "enactments", arr));
}

/* "answers": {key: text, number or null}, as the stage's answers. */
static void json_answers(arena *a, json_t *o, cycle_answer **out, size_t *n, form_errors *e)
{
	json_t *v = json_object_get(o, "answers");
	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v)) return;
	if (!json_is_object(v) || json_object_size(v) > ANSWERS_MAX) {
		form_error_add(e, "answers", "answers must be an object of field: text.");
		return;
	}
	*out = arena_calloc(a, json_object_size(v) + 1, sizeof **out);
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		const char *value = NULL;
		if (json_is_string(x)) value = text_trim(a, json_string_value(x));
		else if (json_is_null(x)) value = "";
		else if (json_is_integer(x))
			value = arena_printf(a, "%lld", (long long)json_integer_value(x));
		else form_error_add(e, key, arena_printf(a, "%s must be text.", key));
		if (value) (*out)[(*n)++] = (cycle_answer){arena_strdup(a, key), value};
	}
}

/*
** PUT /api/cycles/{id}/{stage} {stage_id?, version, complete?, answers:{key:value}}
** Saves answers (a value "" or null clears one); complete marks the stage done. stage_id
** is needed for an enactment when the cycle has several. 200 with the saved stage; 400
** naming the field; 409 {"error":{"code":"conflict"}} when someone saved since version.
** Permissions: may(UPDATE, coaching): the cycle's coaches and teachers.
*/
void api_cycle_stage_save(req *rq, resp *rs)
{
	stage_kind kind;
	coaching_cycle c;
	if (!stage_param(rq, rs, &kind) || !cycle_load(rq, rs, &c) || !members_write(rq, rs, &c)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	static const char *const known[] = {"stage_id", "version", "complete", "answers", NULL};
	form_errors e = {0};
	stage_input in = {0};
	json_known_members(rq->a, o, known, &e);
	json_member_id(o, "stage_id", &in.stage_id, &e);
	json_t *version = json_object_get(o, "version");
	if (json_is_integer(version) && json_integer_value(version) >= 0)
		in.version = json_integer_value(version);
	else form_error_add(&e, "version", "Give the version of the stage you read (a whole number).");
	json_member_flag(o, "complete", &in.complete, &e);
	json_answers(rq->a, o, &in.answers, &in.nanswers, &e);
	cycle_stage *stages;
	size_t n;
	if (cycle_stages_get(rq->db, rq->a, c.id, &stages, &n) != STORE_OK) {
		json_decref(o);
		resp_store_failed(rq, rs);
		return;
	}
	const cycle_stage *st = e.n ? NULL : stage_named(rq, stages, n, kind, in.stage_id, &e);
	if (invalid_answered(rq, rs, o, &e)) return;
	in.stage_id = st->id;
	outcome out;
	cycle_stage_save(rq, &c, st, &in, &out);
	if (outcome_answered(rq, rs, &out)) return;
	const cycle_stage *saved;
	if (cycle_stages_get(rq->db, rq->a, c.id, &stages, &n) != STORE_OK ||
	    !(saved = stage_by_id(stages, n, st->id))) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_json(rs, 200, stage_json(saved));
}

/* ---- notes ---- */

/*
** GET /api/cycles/{id}/notes
** {"notes":[{id,stage_id,taken_at,tag,body,author:{id,name}}]}, of every enactment the
** asker may read, in time.
** Permissions: may(READ, coaching), and an enactment readable (404 otherwise).
*/
void api_cycle_notes(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !readable_stages(rq, rs, &c, STAGE_ENACT, &st, &n)) return;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (st[i].stage != STAGE_ENACT) continue;
		cycle_note *notes;
		size_t nn;
		if (cycle_notes_get(rq->db, rq->a, st[i].id, &notes, &nn) != STORE_OK) {
			json_decref(arr);
			resp_store_failed(rq, rs);
			return;
		}
		for (size_t k = 0; k < nn; k++) json_array_append_new(arr, note_json(&notes[k]));
	}
	resp_json(rs, 200, json_pack("{s:o}", "notes", arr));
}

/*
** POST /api/cycles/{id}/notes {stage_id?, tag?, body, taken_at?}
** A time-stamped note of the lesson: taken_at in unix seconds (now when absent), tag one
** of student_reasoning, question, misconception, teacher_move, strategy. stage_id may be
** left out when the cycle has one enactment. 201 with the note; 400 naming the field.
** Permissions: may(UPDATE, coaching): the cycle's coaches and teachers.
*/
void api_cycle_note_add(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c) || !members_write(rq, rs, &c)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	static const char *const known[] = {"stage_id", "tag", "body", "taken_at", NULL};
	form_errors e = {0};
	int64_t stage_id = 0, taken_at = 0;
	const char *tag = NULL, *body = NULL;
	json_known_members(rq->a, o, known, &e);
	json_member_id(o, "stage_id", &stage_id, &e);
	json_member_text(rq->a, o, "tag", &tag, &e);
	json_member_text(rq->a, o, "body", &body, &e);
	json_t *at = json_object_get(o, "taken_at");
	if (json_is_integer(at) && json_integer_value(at) > 0) taken_at = json_integer_value(at);
	else if (at && !json_is_null(at))
		form_error_add(&e, "taken_at", "taken_at is a time in unix seconds.");
	cycle_stage *stages;
	size_t n;
	if (cycle_stages_get(rq->db, rq->a, c.id, &stages, &n) != STORE_OK) {
		json_decref(o);
		resp_store_failed(rq, rs);
		return;
	}
	const cycle_stage *st = e.n ? NULL : stage_named(rq, stages, n, STAGE_ENACT, stage_id, &e);
	if (invalid_answered(rq, rs, o, &e)) return;
	outcome out;
	cycle_note note = {.stage_id = st->id,
			   .author_id = actor_id(rq),
			   .author_name = rq->actor->name,
			   .taken_at = taken_at ? taken_at : now_unix(),
			   .tag = tag && *tag ? tag : NULL,
			   .body = body ? body : ""};
	cycle_note_add(rq, &c, st, note.tag, note.body, note.taken_at, &out);
	if (outcome_answered(rq, rs, &out)) return;
	/* The note as written: notes are the hot write, so it is not read back
	 * (the stage's notes grow through the lesson). */
	note.id = out.id;
	resp_json(rs, 201, note_json(&note));
}

/* ---- evidence files ---- */

/* The cycle's files, those of the stages the asker may read. */
static void answer_files(req *rq, resp *rs, const coaching_cycle *c)
{
	cycle_file *f;
	size_t n;
	if (cycle_files_get(rq->db, rq->a, c->id, &f, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (cycle_part_readable(c, actor_id(rq), f[i].stage, f[i].classroom))
			json_array_append_new(arr, file_json(rq, &f[i]));
	resp_json(rs, 200, json_pack("{s:o}", "files", arr));
}

/*
** GET /api/cycles/{id}/files
** {"files":[{id,stage_id,stage,title,content_type,media,size_bytes,created_at,
**   created_by:{id,name},href}]}: those of the stages the asker may read.
** GET /api/cycles/{id}/files/{fid}
** The file itself, with Range; video, audio and images inline (so they play and seek),
** others as an attachment; nosniff, private, no-store.
** Permissions: may(READ, coaching), and the file's stage readable; 404 otherwise.
*/
void api_cycle_files(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_file f;
	if (!cycle_find(rq, rs, &c)) return;
	/* One handler for both addresses: cycle.h names the handlers the route
	 * table may use, and the file is the list's member. */
	if (!req_param(rq, "fid")) {
		if (cycle_read_on_record(rq, rs, &c, "files", true)) answer_files(rq, rs, &c);
	} else if (cycle_file_load(rq, rs, &c, &f)) {
		cycle_file_send(rq, rs, &f);
	}
}

/*
** POST /api/cycles/{id}/files (multipart: stage_id, title, file)
** Evidence for a stage (stage_id may be left out when the cycle has one enactment); the
** title defaults to the file's name. 201 with the file; 400 naming the field; 413 over the
** cap (video and audio: --max-upload-mb, others --max-file-mb); 415 for content that is
** not an allowed type, or not the type claimed.
** Permissions: may(UPDATE, coaching): the cycle's coaches and teachers.
*/
void api_cycle_file_add(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c) || !members_write(rq, rs, &c)) return;
	form_errors e = {0};
	const char *sid = req_form(rq, "stage_id");
	int64_t stage_id = 0;
	cycle_stage *stages;
	size_t n;
	if (cycle_stages_get(rq->db, rq->a, c.id, &stages, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const cycle_stage *st = NULL;
	if (sid && *sid) {
		if (!parse_i64(sid, 1, INT64_MAX, &stage_id) || !(st = stage_by_id(stages, n, stage_id)))
			form_error_add(&e, "stage_id", "This is not a stage of this cycle.");
	} else {
		st = stage_named(rq, stages, n, STAGE_ENACT, 0, &e);
	}
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome out;
	cycle_file_add(rq, &c, st, req_form(rq, "title"), req_file(rq, "file"), &out);
	if (outcome_answered(rq, rs, &out)) return;
	cycle_file f;
	bool found;
	if (cycle_file_get(rq->db, rq->a, c.id, out.id, &f, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_json(rs, 201, file_json(rq, &f));
}

/*
** DELETE /api/cycles/{id}/files/{fid}
** 200 {"removed":true}; the file goes from disk too.
** Permissions: may(UPDATE, coaching): the cycle's coaches and teachers.
*/
void api_cycle_file_remove(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_file f;
	if (!cycle_find(rq, rs, &c) || !cycle_file_load(rq, rs, &c, &f)) return;
	outcome out;
	cycle_file_remove(rq, &c, &f, &out);
	if (!outcome_answered(rq, rs, &out)) resp_json(rs, 200, json_pack("{s:b}", "removed", 1));
}

/* ---- shares ---- */

/*
** GET /api/cycles/{id}/shares
** {"shares":[{id,person:{id,name},stage,shared_by:{id,name},created_at}],
**  "candidates":[{id,name}]}: the active shares, and (for its teachers, who alone share)
** the people it may be shared with.
** Permissions: the cycle's members; 404 for anyone else, share holders too.
*/
void api_cycle_shares(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_find(rq, rs, &c) ||
	    !cycle_read_on_record(rq, rs, &c, "shares", cycle_is_member(&c, actor_id(rq))))
		return;
	json_t *j = json_pack("{s:o}", "shares", shares_json(&c)), *cand = json_array();
	if (may_cycle(rq, ACT_SHARE, &c)) {
		cycle_member *m;
		size_t n;
		if (cycle_share_candidates(rq->db, rq->a, &c, &m, &n) != STORE_OK) {
			json_decref(j);
			json_decref(cand);
			resp_store_failed(rq, rs);
			return;
		}
		for (size_t i = 0; i < n; i++)
			json_array_append_new(cand, json_named(m[i].person_id, m[i].name));
	}
	json_object_set_new(j, "candidates", cand);
	resp_json(rs, 200, j);
}

/* The share just made: by its id, or else the newest one to that person. */
static const cycle_share *share_made(const coaching_cycle *c, int64_t id, int64_t person, int stage)
{
	const cycle_share *found = NULL;
	for (size_t i = 0; i < c->nshares; i++) {
		if (c->shares[i].id == id) return &c->shares[i];
		if (c->shares[i].person_id == person && c->shares[i].stage == stage) found = &c->shares[i];
	}
	return found;
}

/*
** POST /api/cycles/{id}/shares {person_id, stage: "plan"|"enact"|"reflect"|null}
** Shares the whole cycle (stage null or absent) or one stage, read-only. 201 with the
** share; 400 naming the field.
** Permissions: may(SHARE, coaching): the cycle's teachers only (a coach cannot share for
** them).
*/
void api_cycle_share_add(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	static const char *const known[] = {"person_id", "stage", NULL};
	form_errors e = {0};
	int64_t person = 0;
	const char *stage = NULL;
	stage_kind st = STAGE_PLAN;
	json_known_members(rq->a, o, known, &e);
	json_member_id(o, "person_id", &person, &e);
	if (!person && !form_error_for(&e, "person_id"))
		form_error_add(&e, "person_id", "Choose the person to share with.");
	json_member_text(rq->a, o, "stage", &stage, &e);
	if (stage && *stage && !stage_parse(stage, &st))
		form_error_add(&e, "stage",
			       "The stage is plan, enact, reflect, or null for the whole cycle.");
	if (invalid_answered(rq, rs, o, &e)) return;
	int which = stage && *stage ? (int)st : -1;
	outcome out;
	cycle_share_add(rq, &c, person, which, &out);
	if (outcome_answered(rq, rs, &out)) return;
	coaching_cycle now;
	bool found;
	const cycle_share *made;
	if (cycle_get(rq->db, rq->a, c.id, &now, &found) != STORE_OK || !found ||
	    !(made = share_made(&now, out.id, person, which))) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_json(rs, 201, share_json(made));
}

/*
** DELETE /api/cycles/{id}/shares/{shid}
** Revokes the share (the record stays, ended). 200 {"revoked":true}.
** Permissions: may(SHARE, coaching): the cycle's teachers.
*/
void api_cycle_share_revoke(req *rq, resp *rs)
{
	coaching_cycle c;
	int64_t shid;
	if (!cycle_load(rq, rs, &c) || !param_id(rq, rs, "shid", &shid)) return;
	outcome out;
	cycle_share_revoke(rq, &c, shid, &out);
	if (!outcome_answered(rq, rs, &out)) resp_json(rs, 200, json_pack("{s:b}", "revoked", 1));
}
