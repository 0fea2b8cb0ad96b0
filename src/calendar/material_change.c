/* Adding and removing a session's materials, as the pages and the API
 * both do it: may() first, then the checks, then one transaction with its
 * audit entry; and the loader of a material for its routes. Files are
 * kept under data_dir/materials/ by a random name. */
#include <string.h>

#include "../base/util.h"
#include "../files/stored_file.h"
#include "../web/app.h"
#include "../web/change.h"
#include "session.h"

static bool may_change_materials(req *rq, const pl_session *s, outcome *o)
{
	if (may_session(rq, ACT_UPDATE, s)) return true;
	outcome_fail(o, 403, "forbidden",
		     "Only the session's facilitators and editors add or remove "
		     "materials.",
		     NULL);
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

void material_add(req *rq, const pl_session *s, material_input *in, outcome *o)
{
	*o = (outcome){0};
	if (!may_change_materials(rq, s, o)) return;
	session_material m = {.session_id = s->id};
	check_title(rq, in, o);
	if (in->file && in->url && *in->url)
		form_error_add(&o->errors, "url", "Give a link or a file, not both.");
	else if (!in->file && !material_link_valid(in->url ? in->url : ""))
		form_error_add(&o->errors, "url",
			       "The link must be a web address starting with http:// "
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
			outcome_fail(o, 500, "upload_failed",
				     "The file could not be kept; nothing was added.", "file");
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
		outcome_fail(o, 500, "upload_failed", "The file could not be kept; nothing was added.",
			     "file");
		return;
	}
	change_commit(rq, rc, REC_PL_SESSION, "session.material.add", s->id, s->district_id,
		      arena_printf(rq->a, "material %lld", (long long)o->id), o);
	if (o->status && rc == STORE_OK && m.file_name) stored_file_remove(rq, MATERIALS, m.file_name);
}

void material_remove(req *rq, const pl_session *s, const session_material *m, outcome *o)
{
	*o = (outcome){.id = m->id};
	if (!may_change_materials(rq, s, o) || !change_begin(rq, o)) return;
	change_commit(rq, material_delete(rq->db, rq->a, m->id), REC_PL_SESSION, "session.material.remove",
		      s->id, s->district_id, arena_printf(rq->a, "material %lld", (long long)m->id), o);
	/* The row goes first: a file left behind is harmless, a row without
	 * its file is not. */
	if (!o->status && m->file_name) stored_file_remove(rq, MATERIALS, m->file_name);
}

/* The material named by {mid} of session s; 404 when it is not one. */
bool material_load(req *rq, resp *rs, const pl_session *s, session_material *m)
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
