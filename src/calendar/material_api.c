/* A session's materials in the JSON API, the twin of material_pages.c. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "session.h"

static json_t *material_json(req *rq, const session_material *m)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)m->id, "title", m->title, "kind",
			      m->url ? "link" : "file", "href", material_href(rq->a, m));
	json_object_set_new(j, "url", m->url ? json_string(m->url) : json_null());
	json_object_set_new(j, "content_type", m->content_type ? json_string(m->content_type) : json_null());
	json_object_set_new(j, "size_bytes", m->url ? json_null() : json_integer(m->size_bytes));
	json_object_set_new(j, "created_at", json_integer(m->created_at));
	return j;
}

/*
** GET /api/sessions/{id}/materials
** {"materials":[{id,title,kind,href,url,content_type,size_bytes,created_at}]}
** Permissions: may(READ, session).
*/
void api_materials(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	session_material *m;
	size_t n;
	if (material_list(rq->db, rq->a, s.id, &m, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, material_json(rq, &m[i]));
	resp_json(rs, 200, json_pack("{s:o}", "materials", arr));
}

/* A JSON body carries a link: {"title","url"}. */
static bool json_material(req *rq, resp *rs, material_input *in)
{
	json_t *o = json_body_object(rq, rs);
	if (!o) return false;
	static const char *const known[] = {"title", "url", NULL};
	form_errors e = {0};
	json_known_members(rq->a, o, known, &e);
	json_member_text(rq->a, o, "title", &in->title, &e);
	json_member_text(rq->a, o, "url", &in->url, &e);
	json_decref(o);
	if (!e.n) return true;
	resp_form_invalid(rq, rs, &e);
	return false;
}

/*
** POST /api/sessions/{id}/materials
** JSON {title, url} for a link, or multipart (title, file) for a file.
** 201 with the material; 400 naming the field, 413 over 20 MB, 415 for
** content that is not an allowed type (or not the type claimed).
** Permissions: may(UPDATE, session).
*/
void api_material_add(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	material_input in = {0};
	if (str_starts(rq->content_type, "multipart/")) in = material_form(rq);
	else if (!json_material(rq, rs, &in)) return;
	outcome o;
	material_add(rq, &s, &in, &o);
	if (outcome_answered(rq, rs, &o)) return;
	session_material m;
	bool found;
	if (material_get(rq->db, rq->a, s.id, o.id, &m, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_json(rs, 201, material_json(rq, &m));
}

/*
** DELETE /api/sessions/{id}/materials/{mid}
** 200 {"removed":true}; the file goes from disk too. Permissions: may(UPDATE, session).
*/
void api_material_remove(req *rq, resp *rs)
{
	pl_session s;
	session_material m;
	if (!session_load(rq, rs, &s) || !material_load(rq, rs, &s, &m)) return;
	outcome o;
	material_remove(rq, &s, &m, &o);
	if (outcome_answered(rq, rs, &o)) return;
	resp_json(rs, 200, json_pack("{s:b}", "removed", 1));
}
