/* The rubrics JSON API, the twin of rubric_pages.c: the same policy and
 * changes (rubric_change.c), JSON in and out. A rubric travels in one
 * shape: {id, name, org_id, builtin_key, version, version_id, active,
 * description, scale:{min,max}, levels:[{level,label,descriptor}],
 * indicators:[{id,code,name,description,levels:[{level,descriptor}]}],
 * look_fors:[{id,indicator_code,text}]}; a body to create or save one
 * is that shape without the ids. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "rubric_web.h"

/* ---- JSON out ---- */

static json_t *nonempty_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *levels_json(const rubric_version *v)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < v->nlevels; i++)
		json_array_append_new(arr,
				      json_pack("{s:I, s:o, s:o}", "level", (json_int_t)v->levels[i].level,
						"label", nonempty_or_null(v->levels[i].label), "descriptor",
						nonempty_or_null(v->levels[i].descriptor)));
	return arr;
}

static json_t *indicator_json(const rubric_version *v, const rubric_indicator *ind)
{
	json_t *cells = json_array();
	for (size_t k = 0; k < v->nlevels; k++)
		if (ind->level_descriptors && ind->level_descriptors[k])
			json_array_append_new(cells,
					      json_pack("{s:I, s:s}", "level", (json_int_t)v->levels[k].level,
							"descriptor", ind->level_descriptors[k]));
	return json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)ind->id, "code", ind->code, "name",
			 ind->name, "description", nonempty_or_null(ind->description), "levels", cells);
}

static json_t *version_json(req *rq, const rubric_summary *r, const rubric_version *v)
{
	json_t *j = json_object(), *inds = json_array(), *lfs = json_array();
	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "name", json_string(r->name ? r->name : ""));
	json_object_set_new(j, "org_id", r->org_id ? json_integer(r->org_id) : json_null());
	json_object_set_new(j, "builtin_key", nonempty_or_null(r->builtin_key));
	json_object_set_new(j, "version", json_integer(v->version));
	json_object_set_new(j, "version_id", json_integer(v->id));
	json_object_set_new(j, "current", json_boolean(v->id == r->current_version_id));
	json_object_set_new(j, "active", json_boolean(r->active));
	json_object_set_new(j, "description", nonempty_or_null(v->description));
	json_object_set_new(
		j, "scale",
		json_pack("{s:I, s:I}", "min", (json_int_t)v->scale_min, "max", (json_int_t)v->scale_max));
	json_object_set_new(j, "levels", levels_json(v));
	for (size_t i = 0; i < v->nindicators; i++)
		json_array_append_new(inds, indicator_json(v, &v->indicators[i]));
	json_object_set_new(j, "indicators", inds);
	for (size_t i = 0; i < v->nlook_fors; i++) {
		const rubric_indicator *ind = rubric_indicator_by_id(v, v->look_fors[i].indicator_id);
		json_array_append_new(lfs,
				      json_pack("{s:I, s:o, s:s}", "id", (json_int_t)v->look_fors[i].id,
						"indicator_code", ind ? json_string(ind->code) : json_null(),
						"text", v->look_fors[i].text ? v->look_fors[i].text : ""));
	}
	json_object_set_new(j, "look_fors", lfs);
	json_object_set_new(j, "href", json_string(arena_printf(rq->a, "/rubrics/%lld", (long long)r->id)));
	return j;
}

static json_t *summary_json(req *rq, const rubric_summary *r)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "name", json_string(r->name ? r->name : ""));
	json_object_set_new(j, "org_id", r->org_id ? json_integer(r->org_id) : json_null());
	json_object_set_new(j, "org_name", nonempty_or_null(r->org_name));
	json_object_set_new(j, "builtin_key", nonempty_or_null(r->builtin_key));
	json_object_set_new(j, "version", json_integer(r->version));
	json_object_set_new(j, "version_id", json_integer(r->current_version_id));
	json_object_set_new(
		j, "scale",
		json_pack("{s:I, s:I}", "min", (json_int_t)r->scale_min, "max", (json_int_t)r->scale_max));
	json_object_set_new(j, "indicators", json_integer(r->nindicators));
	json_object_set_new(j, "active", json_boolean(r->active));
	json_object_set_new(j, "href", json_string(arena_printf(rq->a, "/rubrics/%lld", (long long)r->id)));
	return j;
}

/* ---- answering ---- */

/* Answers with version_id of r in full. */
static void answer_version(req *rq, resp *rs, int status, const rubric_summary *r, int64_t version_id)
{
	rubric_version v;
	bool found = false;
	if (rubric_version_load(rq->db, rq->a, version_id, &v, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!found || v.rubric_id != r->id) {
		resp_error(rq, rs, 404, "not_found", "there is no such version of this rubric", NULL);
		return;
	}
	resp_json(rs, status, version_json(rq, r, &v));
}

/* The rubric as it now stands, after a change. */
static void answer_rubric(req *rq, resp *rs, int status, int64_t id)
{
	rubric_summary r;
	bool found = false;
	if (rubric_get(rq->db, rq->a, id, &r, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	answer_version(rq, rs, status, &r, r.current_version_id);
}

/* ---- JSON in ---- */

static bool is_whole(json_t *v, int64_t lo, int64_t hi)
{
	return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

/* A string member (trimmed) or null; absent leaves *dst. Errors name where. */
static void text_at(arena *a, json_t *o, const char *key, const char **dst, const char *where, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) return;
	if (json_is_string(v)) *dst = text_trim(a, json_string_value(v));
	else form_error_add(e, where, arena_printf(a, "%s must be a string.", key));
}

/* An array member of at most max entries (absent: none); NULL with an
 * error otherwise. */
static json_t *array_at(arena *a, json_t *o, const char *key, size_t max, const char *what, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) return NULL;
	if (json_is_array(v) && json_array_size(v) <= max) return v;
	form_error_add(e, key, arena_printf(a, "%s must be a list of at most %zu %s.", key, max, what));
	return NULL;
}

/* Each entry an object with only the members named in known. */
static bool entry_ok(arena *a, json_t *x, const char *field, size_t at, const char *const *known,
		     form_errors *e)
{
	if (!json_is_object(x)) {
		form_error_add(e, field, arena_printf(a, "%s[%zu] must be an object.", field, at));
		return false;
	}
	const char *key;
	json_t *v;
	json_object_foreach(x, key, v)
	{
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++) ok = strcmp(*k, key) == 0;
		if (!ok) {
			form_error_add(e, field,
				       arena_printf(a,
						    "%s[%zu] has a member “%s” this address does not take.",
						    field, at, key));
			return false;
		}
	}
	return true;
}

static void scale_in(arena *a, json_t *o, rubric_input *in, form_errors *e)
{
	json_t *s = json_object_get(o, "scale");
	json_t *lo = json_object_get(s, "min"), *hi = json_object_get(s, "max");
	if (!json_is_object(s) || json_object_size(s) != 2 ||
	    !is_whole(lo, RUBRIC_SCALE_LOW, RUBRIC_SCALE_HIGH) ||
	    !is_whole(hi, RUBRIC_SCALE_LOW, RUBRIC_SCALE_HIGH)) {
		form_error_add(e, "scale",
			       arena_printf(a,
					    "scale must be {\"min\": n, \"max\": n}, whole numbers from "
					    "-100 to 100."));
		return;
	}
	in->scale_min = json_integer_value(lo);
	in->scale_max = json_integer_value(hi);
}

static void levels_in(arena *a, json_t *o, rubric_input *in, form_errors *e)
{
	static const char *const known[] = {"level", "label", "descriptor", NULL};
	json_t *arr = array_at(a, o, "levels", RUBRIC_SCALE_LEVELS_MAX, "levels", e);
	in->levels = arena_calloc(a, RUBRIC_SCALE_LEVELS_MAX, sizeof *in->levels);
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
	{
		if (!entry_ok(a, x, "levels", i, known, e)) return;
		rubric_level *l = &in->levels[in->nlevels++];
		json_t *n = json_object_get(x, "level");
		if (!is_whole(n, RUBRIC_SCALE_LOW, RUBRIC_SCALE_HIGH)) {
			form_error_add(e, "levels",
				       arena_printf(a, "levels[%zu].level must be a whole number.", i));
			return;
		}
		l->level = json_integer_value(n);
		text_at(a, x, "label", &l->label, "levels", e);
		text_at(a, x, "descriptor", &l->descriptor, "levels", e);
		/* A level with nothing to say keeps its number alone, as GET shows it. */
		if ((!l->label || !*l->label) && (!l->descriptor || !*l->descriptor)) in->nlevels--;
	}
}

static void cells_in(arena *a, json_t *x, size_t at, rubric_indicator_input *ind, form_errors *e)
{
	static const char *const known[] = {"level", "descriptor", NULL};
	json_t *arr = json_object_get(x, "levels");
	if (!arr || json_is_null(arr)) return;
	if (!json_is_array(arr) || json_array_size(arr) > RUBRIC_SCALE_LEVELS_MAX) {
		form_error_add(e, "indicators",
			       arena_printf(a, "indicators[%zu].levels must be a list of at most 10.", at));
		return;
	}
	ind->levels = arena_calloc(a, RUBRIC_SCALE_LEVELS_MAX, sizeof *ind->levels);
	size_t k;
	json_t *c;
	json_array_foreach(arr, k, c)
	{
		if (!entry_ok(a, c, "indicators", at, known, e)) return;
		json_t *n = json_object_get(c, "level");
		if (!is_whole(n, RUBRIC_SCALE_LOW, RUBRIC_SCALE_HIGH)) {
			form_error_add(
				e, "indicators",
				arena_printf(a, "indicators[%zu].levels[%zu].level must be a whole number.",
					     at, k));
			return;
		}
		rubric_cell *cell = &ind->levels[ind->nlevels++];
		cell->level = json_integer_value(n);
		text_at(a, c, "descriptor", &cell->descriptor, "indicators", e);
	}
}

static void indicators_in(arena *a, json_t *o, rubric_input *in, form_errors *e)
{
	static const char *const known[] = {"code", "name", "description", "levels", NULL};
	json_t *arr = array_at(a, o, "indicators", RUBRIC_INDICATORS_MAX, "indicators", e);
	in->indicators = arena_calloc(a, RUBRIC_INDICATORS_MAX, sizeof *in->indicators);
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
	{
		if (!entry_ok(a, x, "indicators", i, known, e)) return;
		rubric_indicator_input *ind = &in->indicators[in->nindicators++];
		text_at(a, x, "code", &ind->code, "indicators", e);
		text_at(a, x, "name", &ind->name, "indicators", e);
		text_at(a, x, "description", &ind->description, "indicators", e);
		cells_in(a, x, i, ind, e);
	}
}

static void look_fors_in(arena *a, json_t *o, rubric_input *in, form_errors *e)
{
	static const char *const known[] = {"indicator_code", "text", NULL};
	json_t *arr = array_at(a, o, "look_fors", RUBRIC_LOOK_FORS_MAX, "look-fors", e);
	in->look_fors = arena_calloc(a, RUBRIC_LOOK_FORS_MAX, sizeof *in->look_fors);
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
	{
		if (!entry_ok(a, x, "look_fors", i, known, e)) return;
		rubric_look_for_input *l = &in->look_fors[in->nlook_fors++];
		text_at(a, x, "indicator_code", &l->indicator_code, "look_fors", e);
		text_at(a, x, "text", &l->text, "look_fors", e);
	}
}

/* The body of a create or a save, read into in: 400 answered (true) when
 * it does not read. The rules themselves are the change's. */
static bool body_unread(req *rq, resp *rs, rubric_input *in, bool create)
{
	json_t *o = json_body_object(rq, rs);
	if (!o) return true;
	static const char *const known[] = {"name",   "org_id",     "description", "scale",
					    "levels", "indicators", "look_fors",   NULL};
	form_errors e = {0};
	*in = (rubric_input){0};
	json_known_members(rq->a, o, known, &e);
	json_member_text(rq->a, o, "name", &in->name, &e);
	json_member_id(o, "org_id", &in->org_id, &e);
	if (create && !in->org_id && !form_error_for(&e, "org_id"))
		form_error_add(&e, "org_id", "Name the district or partner whose rubric it is (org_id).");
	json_member_text(rq->a, o, "description", &in->description, &e);
	scale_in(rq->a, o, in, &e);
	levels_in(rq->a, o, in, &e);
	indicators_in(rq->a, o, in, &e);
	look_fors_in(rq->a, o, in, &e);
	if (e.n) resp_form_invalid(rq, rs, &e);
	json_decref(o);
	return e.n != 0;
}

/* ---- handlers ---- */

/*
** GET /api/rubrics
** {"rubrics":[{id,name,org_id,org_name,builtin_key,version,version_id,scale:{min,max},
**   indicators,active,href}]}: the built-ins, then the rubrics of the districts and
** partners the asker belongs to; retired ones only to those who may bring them back.
** Permissions: may(READ, rubric) somewhere, else 403; each through may(READ).
*/
void api_rubrics(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_RUBRIC, ACT_READ)) {
		resp_error(rq, rs, 403, "forbidden",
			   "rubrics are for people with a role in a district or partner", NULL);
		return;
	}
	rubric_summary *list;
	size_t n;
	if (rubrics_visible(rq, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, summary_json(rq, &list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "rubrics", arr));
}

/*
** GET /api/rubrics/{id}
** The current version in full (the shape at the top of this file).
** Permissions: may(READ, rubric), else 404.
*/
void api_rubric(req *rq, resp *rs)
{
	rubric_summary r;
	if (rubric_load_readable(rq, rs, &r)) answer_version(rq, rs, 200, &r, r.current_version_id);
}

/*
** GET /api/rubrics/{id}/versions/{n}
** Version n in full, as it was made. 404 when there is none.
** Permissions: may(READ, rubric), else 404.
*/
void api_rubric_version(req *rq, resp *rs)
{
	rubric_summary r;
	int64_t id;
	if (rubric_load_readable(rq, rs, &r) && rubric_version_param(rq, rs, &r, &id))
		answer_version(rq, rs, 200, &r, id);
}

/*
** POST /api/rubrics {name, org_id, description, scale:{min,max}, levels:[{level,label,
**   descriptor}], indicators:[{code,name,description,levels:[{level,descriptor}]}],
**   look_fors:[{indicator_code,text}]}
** 201 with the rubric, as GET /api/rubrics/{id}; 400 naming the problem
** ("indicator 3: the code “TRU2” appears twice").
** Permissions: may(CREATE, rubric) at org_id (a district or partner), else 403.
*/
void api_rubric_create(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_RUBRIC, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "you may not write rubrics", NULL);
		return;
	}
	rubric_input in;
	if (body_unread(rq, rs, &in, true)) return;
	rubric_saved saved;
	outcome out;
	rubric_save_new(rq, &in, &saved, &out);
	if (!outcome_answered(rq, rs, &out)) answer_rubric(rq, rs, 201, saved.rubric_id);
}

/*
** PUT /api/rubrics/{id} (the body of POST /api/rubrics; org_id may be left out)
** {id, version, version_id, new_version, changed, removed_codes:[...]}: new_version
** true when the current version was in use and a new one was written (the old one
** stays as it was); removed_codes the codes the last version had and this one has
** not (the dashboards stop following them: a warning, not a refusal).
** 400 naming the problem; 409 when someone saved it at the same moment.
** Permissions: may(READ) (else 404), may(UPDATE, rubric) at its org (else 403);
** built-ins 403.
*/
void api_rubric_update(req *rq, resp *rs)
{
	rubric_summary r;
	/* Asked before the body is read: a reader learns nothing from its errors. */
	if (!rubric_load_writable(rq, rs, &r)) return;
	rubric_input in;
	if (body_unread(rq, rs, &in, false)) return;
	rubric_saved saved;
	const char **removed = NULL;
	size_t nremoved = 0;
	outcome out;
	rubric_save(rq, r.id, &in, &saved, &removed, &nremoved, &out);
	if (outcome_answered(rq, rs, &out)) return;
	json_t *codes = json_array();
	for (size_t i = 0; i < nremoved; i++) json_array_append_new(codes, json_string(removed[i]));
	resp_json(rs, 200,
		  json_pack("{s:I, s:I, s:I, s:b, s:b, s:o}", "id", (json_int_t)r.id, "version",
			    (json_int_t)saved.version, "version_id", (json_int_t)saved.version_id,
			    "new_version", saved.new_version, "changed", saved.changed, "removed_codes",
			    codes));
}

/*
** POST /api/rubrics/{id}/copy {org_id, name (optional: the rubric's name with the org's)}
** 201 with the copy, as GET /api/rubrics/{id}: version 1 of a new rubric saying what
** the current version of this one says.
** Permissions: may(READ) of this rubric (else 404), may(CREATE, rubric) at org_id
** (else 403).
*/
void api_rubric_copy(req *rq, resp *rs)
{
	rubric_summary r;
	if (!rubric_load_readable(rq, rs, &r)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	static const char *const known[] = {"org_id", "name", NULL};
	form_errors e = {0};
	int64_t org_id = 0;
	const char *name = NULL;
	json_known_members(rq->a, o, known, &e);
	json_member_id(o, "org_id", &org_id, &e);
	json_member_text(rq->a, o, "name", &name, &e);
	if (!org_id && !form_error_for(&e, "org_id"))
		form_error_add(&e, "org_id", "Name the district or partner the copy is for (org_id).");
	json_decref(o);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	rubric_saved saved;
	outcome out;
	rubric_make_copy(rq, r.id, org_id, name, &saved, &out);
	if (!outcome_answered(rq, rs, &out)) answer_rubric(rq, rs, 201, saved.rubric_id);
}

static void retire_change(req *rq, resp *rs, bool active)
{
	rubric_summary r;
	if (!rubric_load_readable(rq, rs, &r)) return;
	json_t *o = json_body_object(rq, rs);
	if (!o) return;
	static const char *const known[] = {NULL};
	form_errors e = {0};
	json_known_members(rq->a, o, known, &e);
	json_decref(o);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome out;
	rubric_retire(rq, r.id, active, &out);
	if (!outcome_answered(rq, rs, &out)) answer_rubric(rq, rs, 200, r.id);
}

/*
** POST /api/rubrics/{id}/retire (no members)
** 200 with the rubric (active false): no longer offered for new walks or
** calibrations; its versions keep working. 409 when already retired.
** Permissions: may(DEACTIVATE, rubric) at its org (else 403; 404 unreadable).
*/
void api_rubric_retire(req *rq, resp *rs)
{
	retire_change(rq, rs, false);
}

/*
** POST /api/rubrics/{id}/restore (no members)
** 200 with the rubric (active true). 409 when it is not retired.
** Permissions: may(DEACTIVATE, rubric) at its org (else 403; 404 unreadable).
*/
void api_rubric_restore(req *rq, resp *rs)
{
	retire_change(rq, rs, true);
}
