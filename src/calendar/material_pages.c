/* A session's materials on its page: the list and the add form, the file
 * itself, and the forms that add and remove one. */
#include <string.h>

#include "../base/util.h"
#include "../files/stored_file.h"
#include "../html/html.h"
#include "../web/app.h"
#include "session.h"

material_input material_form(req *rq)
{
	return (material_input){.title = text_trim(rq->a, req_form(rq, "title")),
				.url = text_trim(rq->a, req_form(rq, "url")),
				.file = req_file(rq, "file")};
}

const char *material_href(arena *a, const session_material *m)
{
	if (m->url) return m->url;
	return arena_printf(a, "/sessions/%lld/materials/%lld", (long long)m->session_id, (long long)m->id);
}

void session_materials_html(req *rq, buf *b, const pl_session *s, const session_material *m, size_t n,
			    const form_errors *e)
{
	html_printf(b, "<h2 id=\"materials\">Materials</h2>\n");
	bool editor = may_session(rq, ACT_UPDATE, s);
	if (!n) html_printf(b, "<p class=\"muted\">None.</p>\n");
	else html_printf(b, "<ul class=\"materials\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<li><a href=\"%s\">%s</a>", material_href(rq->a, &m[i]), m[i].title);
		if (!m[i].url)
			html_printf(
				b, " <span class=\"muted\">(%s, %s KB)</span>",
				stored_file_extension(m[i].content_type),
				arena_printf(rq->a, "%lld", (long long)((m[i].size_bytes + 1023) / 1024)));
		if (editor)
			form_button(b,
				    arena_printf(rq->a, "/sessions/%lld/materials/%lld/remove",
						 (long long)s->id, (long long)m[i].id),
				    rq->actor->csrf, "Remove", "Remove this material?", NULL, NULL);
		html_printf(b, "</li>\n");
	}
	if (n) html_printf(b, "</ul>\n");
	if (!editor) return;
	html_printf(b, "<h3>Add a material</h3>\n");
	form_begin_upload(b, arena_printf(rq->a, "/sessions/%lld/materials", (long long)s->id),
			  rq->actor->csrf, e);
	form_input(b, "text", "title", "Title", req_form(rq, "title"), false, "a file's name when empty", e);
	form_input(b, "url", "url", "Link", req_form(rq, "url"), false,
		   "http:// or https://; or choose a file", e);
	form_file(b, "file", "File", ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.pptx,.txt", false,
		  "PDF, image, Office document or text; at most 20 MB", e);
	form_end(b, "Add material");
}

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
	material_input in = material_form(rq);
	outcome o;
	material_add(rq, &s, &in, &o);
	form_errors e = o.errors;
	if (o.status && !e.n && o.field) form_error_add(&e, o.field, o.message);
	if (o.status == 400 || o.status == 413 || o.status == 415)
		session_page_render(rq, rs, o.status, &s, &e);
	else
		outcome_redirect(
			rq, rs, &o,
			arena_printf(rq->a, "/sessions/%lld?ok=material-added#materials", (long long)s.id));
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
	outcome_redirect(
		rq, rs, &o,
		arena_printf(rq->a, "/sessions/%lld?ok=material-removed#materials", (long long)s.id));
}
