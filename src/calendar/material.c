/* A session's materials: links, and files checked by their content, kept
 * under data_dir/materials/ by a random name and served only to those who
 * may read the session. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../files/stored_file.h"
#include "../html/html.h"
#include "../web/app.h"
#include "../web/change.h"
#include "session.h"

static const char MATERIALS[] = "materials"; /* their folder under data_dir */

/* ---- rules ---- */

/* Materials are documents and pictures: video and audio belong to a
 * coaching cycle's evidence, not to a session's handouts. */
const char *material_sniff(const unsigned char *head, size_t n, bool whole)
{
	const char *type = stored_file_sniff(head, n, whole);
	return type && !stored_file_is_media(type) ? type : NULL;
}

const char *material_download_name(arena *a, const char *title, const char *content_type)
{
	return stored_file_download_name(a, title, "material", content_type);
}

static bool link_valid(const char *url)
{
	if (!(str_starts(url, "http://") || str_starts(url, "https://"))) return false;
	const char *host = strstr(url, "//") + 2;
	if (!*host || *host == '/') return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>') return false;
	return true;
}

/* ---- storage ---- */

#define MATERIAL_COLUMNS "id, session_id, title, url, file_path, content_type, size_bytes, created_at "

static void material_from_row(const store_rows *r, size_t i, session_material *m)
{
	*m = (session_material){.id = rows_int(r, i, 0), .session_id = rows_int(r, i, 1),
				.title = rows_get(r, i, 2), .url = rows_get(r, i, 3),
				.file_name = rows_get(r, i, 4), .content_type = rows_get(r, i, 5),
				.size_bytes = rows_int(r, i, 6), .created_at = rows_int(r, i, 7)};
}

static store_rc material_list(store *s, arena *a, int64_t session_id, session_material **out,
			      size_t *n)
{
	static const char sql[] = "SELECT " MATERIAL_COLUMNS "FROM session_material "
				  "WHERE session_id = $1 ORDER BY id";
	sql_arg args[] = {ARG_INT(session_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++) material_from_row(&r, i, &(*out)[i]);
	*n = r.nrows;
	return STORE_OK;
}

static store_rc material_get(store *s, arena *a, int64_t session_id, int64_t id, session_material *m,
			     bool *found)
{
	static const char sql[] = "SELECT " MATERIAL_COLUMNS "FROM session_material "
				  "WHERE id = $1 AND session_id = $2";
	sql_arg args[] = {ARG_INT(id), ARG_INT(session_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) material_from_row(&r, 0, m);
	return STORE_OK;
}

static store_rc material_insert(store *s, arena *a, const session_material *m, int64_t *id)
{
	static const char sql[] = "INSERT INTO session_material (session_id, title, url, file_path, "
				  "content_type, size_bytes, created_at) VALUES ($1, $2, $3, $4, $5, "
				  "CAST($6 AS BIGINT), $7) RETURNING id";
	sql_arg args[] = {ARG_INT(m->session_id), ARG_TEXT(m->title), ARG_TEXT(m->url),
			  ARG_TEXT(m->file_name), ARG_TEXT(m->content_type),
			  m->url ? ARG_NULL : ARG_INT(m->size_bytes), ARG_INT(now_unix())};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *id = rows_int(&r, 0, 0);
	return rc;
}

static store_rc material_delete(store *s, arena *a, int64_t id)
{
	sql_arg args[] = {ARG_INT(id)};
	return store_query(s, a, "DELETE FROM session_material WHERE id = $1", args, 1, NULL);
}

/* ---- changes: may(), checks, one transaction, audit ---- */

/* What an add carries: a link (title, url) or a file. */
typedef struct material_input {
	const char *title;
	const char *url;
	const upload *file;
} material_input;

static bool may_change_materials(req *rq, const pl_session *s, outcome *o)
{
	if (may_session(rq, ACT_UPDATE, s)) return true;
	outcome_fail(o, 403, "forbidden", "Only the session's facilitators and editors add or remove "
					  "materials.", NULL);
	return false;
}

static void check_title(req *rq, material_input *in, outcome *o)
{
	if (!in->title || !*in->title) {
		if (in->file && in->file->filename && *in->file->filename) in->title = in->file->filename;
		else form_error_add(&o->errors, "title", "Give the material a title.");
	}
	form_error_line(rq->a, &o->errors, "title", "title", in->title, MATERIAL_TITLE_MAX);
}

/* The file's type by its content; fails o with 413 or 415. */
static const char *check_file(req *rq, const upload *u, outcome *o)
{
	if (u->size > MATERIAL_FILE_MAX) {
		outcome_fail(o, 413, "too_large", "A material file may be at most 20 MB.", "file");
		return NULL;
	}
	const char *type = NULL;
	stored_verdict v = stored_file_identify(rq->a, u, &type);
	if (v == STORED_UNREADABLE) {
		outcome_fail(o, 500, "upload_failed", "The upload could not be read.", "file");
		return NULL;
	}
	if (v != STORED_OK || stored_file_is_media(type)) {
		outcome_fail(o, 415, "unsupported_media_type",
			     v == STORED_MISMATCH && !stored_file_is_media(type)
				     ? "The file's content is not the type it claims to be."
				     : "Materials may be PDF, PNG, JPEG, Word, Excel, PowerPoint or plain "
				       "text files; the file's content is none of these.",
			     "file");
		return NULL;
	}
	return type;
}

static void material_add(req *rq, const pl_session *s, material_input *in, outcome *o)
{
	*o = (outcome){0};
	if (!may_change_materials(rq, s, o)) return;
	session_material m = {.session_id = s->id};
	check_title(rq, in, o);
	if (in->file && in->url && *in->url)
		form_error_add(&o->errors, "url", "Give a link or a file, not both.");
	else if (!in->file && !link_valid(in->url ? in->url : ""))
		form_error_add(&o->errors, "url", "The link must be a web address starting with http:// "
						  "or https://, or choose a file.");
	else if (!in->file && strlen(in->url) > MATERIAL_URL_MAX)
		form_error_add(&o->errors, "url", "A link has at most 2,000 characters.");
	if (o->errors.n) {
		outcome_invalid(o);
		return;
	}
	m.title = in->title;
	if (in->file) {
		if (!(m.content_type = check_file(rq, in->file, o))) return;
		if (!(m.file_name = stored_file_random_name(rq->a))) {
			outcome_fail(o, 500, "upload_failed", "The file could not be kept; nothing was added.", "file");
			return;
		}
		m.size_bytes = (int64_t)in->file->size;
	} else {
		m.url = in->url;
	}
	if (!change_begin(rq, o)) return;
	store_rc rc = material_insert(rq->db, rq->a, &m, &o->id);
	if (rc == STORE_OK && m.file_name && !stored_file_keep(rq, in->file, MATERIALS, m.file_name)) {
		store_rollback(rq->db);
		outcome_fail(o, 500, "upload_failed", "The file could not be kept; nothing was added.", "file");
		return;
	}
	change_commit(rq, rc, REC_PL_SESSION, "session.material.add", s->id, s->district_id,
		      arena_printf(rq->a, "material %lld", (long long)o->id), o);
	if (o->status && rc == STORE_OK && m.file_name) stored_file_remove(rq, MATERIALS, m.file_name);
}

static void material_remove(req *rq, const pl_session *s, const session_material *m, outcome *o)
{
	*o = (outcome){.id = m->id};
	if (!may_change_materials(rq, s, o) || !change_begin(rq, o)) return;
	change_commit(rq, material_delete(rq->db, rq->a, m->id), REC_PL_SESSION, "session.material.remove",
		      s->id, s->district_id, arena_printf(rq->a, "material %lld", (long long)m->id), o);
	/* The row goes first: a file left behind is harmless, a row without
	 * its file is not. */
	if (!o->status && m->file_name) stored_file_remove(rq, MATERIALS, m->file_name);
}

/* ---- shared by pages and API ---- */

static material_input form_material(req *rq)
{
	return (material_input){.title = text_trim(rq->a, req_form(rq, "title")),
				.url = text_trim(rq->a, req_form(rq, "url")), .file = req_file(rq, "file")};
}

/* The material named by {mid} of session s; 404 when it is not one. */
static bool material_load(req *rq, resp *rs, const pl_session *s, session_material *m)
{
	int64_t mid;
	bool found;
	if (!param_id(rq, rs, "mid", &mid)) return false;
	if (material_get(rq->db, rq->a, s->id, mid, m, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found) resp_error(rq, rs, 404, "not_found", "there is no such material", NULL);
	return found;
}

static const char *material_href(arena *a, const session_material *m)
{
	if (m->url) return m->url;
	return arena_printf(a, "/sessions/%lld/materials/%lld", (long long)m->session_id, (long long)m->id);
}

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

/* ---- the list on the session page ---- */

void session_materials_html(req *rq, buf *b, const pl_session *s, const form_errors *e)
{
	session_material *m;
	size_t n = 0;
	html_printf(b, "<h2 id=\"materials\">Materials</h2>\n");
	if (material_list(rq->db, rq->a, s->id, &m, &n) != STORE_OK) {
		html_printf(b, "<p class=\"muted\">The materials could not be loaded.</p>\n");
		return;
	}
	bool editor = may_session(rq, ACT_UPDATE, s);
	if (!n) html_printf(b, "<p class=\"muted\">None.</p>\n");
	else html_printf(b, "<ul class=\"materials\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<li><a href=\"%s\">%s</a>", material_href(rq->a, &m[i]), m[i].title);
		if (!m[i].url)
			html_printf(b, " <span class=\"muted\">(%s, %s KB)</span>", stored_file_extension(m[i].content_type),
				    arena_printf(rq->a, "%lld", (long long)((m[i].size_bytes + 1023) / 1024)));
		if (editor)
			form_button(b, arena_printf(rq->a, "/sessions/%lld/materials/%lld/remove", (long long)s->id,
						    (long long)m[i].id),
				    rq->actor->csrf, "Remove", "Remove this material?", NULL, NULL);
		html_printf(b, "</li>\n");
	}
	if (n) html_printf(b, "</ul>\n");
	if (!editor) return;
	html_printf(b, "<h3>Add a material</h3>\n");
	form_begin_upload(b, arena_printf(rq->a, "/sessions/%lld/materials", (long long)s->id), rq->actor->csrf, e);
	form_input(b, "text", "title", "Title", req_form(rq, "title"), false, "a file's name when empty", e);
	form_input(b, "url", "url", "Link", req_form(rq, "url"), false, "http:// or https://; or choose a file", e);
	form_file(b, "file", "File", ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.txt", false,
		  "PDF, image, Office document or text; at most 20 MB", e);
	form_end(b, "Add material");
}

/* ---- pages ---- */

/*
** GET /sessions/{id}/materials/{mid}
** The file, as an attachment with a safe name, with Range support; a link
** redirects to its address.
** Permissions: may(READ, session); 404 otherwise, as for the session.
*/
void page_material(req *rq, resp *rs)
{
	pl_session s;
	session_material m;
	if (!session_load(rq, rs, &s) || !material_load(rq, rs, &s, &m)) return;
	if (m.url) {
		resp_redirect(rs, 303, m.url);
		return;
	}
	stored_file_send(rq, rs, MATERIALS, m.file_name, m.content_type,
			 material_download_name(rq->a, m.title, m.content_type));
}

/*
** POST /sessions/{id}/materials (multipart: title, url or file, csrf)
** 303 to the session; the session page again with the error beside the
** field (400, 413, 415).
** Permissions: may(UPDATE, session).
*/
void page_material_add(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	material_input in = form_material(rq);
	outcome o;
	material_add(rq, &s, &in, &o);
	form_errors e = o.errors;
	if (o.status && !e.n && o.field) form_error_add(&e, o.field, o.message);
	if (o.status == 400 || o.status == 413 || o.status == 415)
		session_page_render(rq, rs, o.status, &s, &e);
	else
		outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/sessions/%lld?ok=material-added#materials",
							  (long long)s.id));
}

/*
** POST /sessions/{id}/materials/{mid}/remove (form: csrf)
** Removes the material and its file. Permissions: may(UPDATE, session).
*/
void page_material_remove(req *rq, resp *rs)
{
	pl_session s;
	session_material m;
	if (!session_load(rq, rs, &s) || !material_load(rq, rs, &s, &m)) return;
	outcome o;
	material_remove(rq, &s, &m, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/sessions/%lld?ok=material-removed#materials", (long long)s.id));
}

/* ---- API ---- */

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
	if (str_starts(rq->content_type, "multipart/")) in = form_material(rq);
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
