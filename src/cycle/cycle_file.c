/* A coaching cycle's evidence files: photos of student work, documents, a
 * lesson's video or audio. Checked by content, kept under data_dir/evidence/
 * by a random name, and written in the cycle's history, never in the audit
 * log (whose entries would outlive the cycle's privacy). */
#include <string.h>

#include "../base/util.h"
#include "../files/stored_file.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_web.h"

static const char EVIDENCE[] = "evidence"; /* their folder under data_dir */

enum {
	MEDIA_MAX_DEFAULT = 200, /* MB of a video or audio file */
	FILE_MAX_DEFAULT = 20    /* MB of anything else */
};

/* The cap for a file of this type, in bytes: the server's settings, or the
 * defaults when unset. */
static uint64_t cap_for(const req *rq, const char *type)
{
	if (stored_file_is_media(type))
		return rq->app->media_max ? rq->app->media_max : (uint64_t)MEDIA_MAX_DEFAULT << 20;
	return rq->app->file_max ? rq->app->file_max : (uint64_t)FILE_MAX_DEFAULT << 20;
}

static const char *cap_text(arena *a, uint64_t cap)
{
	if (cap % (1u << 20) == 0) return arena_printf(a, "%llu MB", (unsigned long long)(cap >> 20));
	return arena_printf(a, "%llu KB", (unsigned long long)((cap + 1023) >> 10));
}

static bool may_change_evidence(req *rq, const coaching_cycle *c, const cycle_stage *st, outcome *o)
{
	if (!may_cycle(rq, ACT_UPDATE, c)) {
		outcome_fail(o, 403, "forbidden",
			     "Only the cycle's coaches and teachers add or remove evidence.", NULL);
		return false;
	}
	if (c->state == CYCLE_CLOSED) {
		outcome_fail(o, 409, "closed", "The cycle is closed; its coach can reopen it.", NULL);
		return false;
	}
	if (st && st->cycle_id != c->id) {
		outcome_fail(o, 404, "not_found", "there is no such stage in this cycle", "stage_id");
		return false;
	}
	return true;
}

/* The file's type by its content, within its cap; fails o with 413 or 415.
 * The type decides the cap, so the content is read first. */
static const char *check_evidence(req *rq, const upload *u, outcome *o)
{
	const char *type = NULL;
	stored_verdict v = stored_file_identify(rq->a, u, &type);
	if (v == STORED_UNREADABLE) {
		outcome_fail(o, 500, "upload_failed", "The upload could not be read.", "file");
		return NULL;
	}
	if (v == STORED_UNKNOWN) {
		outcome_fail(o, 415, "unsupported_media_type",
			     "Evidence may be a photo (PNG, JPEG), a PDF, Word, Excel, PowerPoint or "
			     "text file, or a video or audio recording (MP4, MOV, WebM, M4A, MP3, WAV, "
			     "Ogg); the file's content is none of these.",
			     "file");
		return NULL;
	}
	if (v == STORED_MISMATCH) {
		outcome_fail(o, 415, "unsupported_media_type",
			     "The file's content is not the type it claims to be.", "file");
		return NULL;
	}
	uint64_t cap = cap_for(rq, type);
	if (u->size > cap) {
		outcome_fail(o, 413, "too_large",
			     arena_printf(rq->a, "%s may be at most %s.",
					  stored_file_is_media(type) ? "A video or audio file"
								     : "An evidence file",
					  cap_text(rq->a, cap)),
			     "file");
		return NULL;
	}
	return type;
}

/* The cycle's history: what happened to which file, never its title. */
static store_rc evidence_event(req *rq, const coaching_cycle *c, const char *what, int64_t file_id,
			       stage_kind st)
{
	return cycle_history_add(rq->db, rq->a, c->id, rq->actor->person_id, what,
				 arena_printf(rq->a, "file %lld, %s", (long long)file_id, stage_name(st)),
				 now_unix());
}

void cycle_file_add(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *title,
		    const upload *u, outcome *out)
{
	*out = (outcome){0};
	if (!may_change_evidence(rq, c, st, out)) return;
	title = text_trim(rq->a, title);
	if (!title || !*title) title = u && u->filename && *u->filename ? u->filename : NULL;
	if (!st) form_error_add(&out->errors, "stage_id", "Choose the stage the evidence belongs to.");
	if (!u) form_error_add(&out->errors, "file", "Choose a file.");
	if (!title) form_error_add(&out->errors, "title", "Give the file a title.");
	else form_error_line(rq->a, &out->errors, "title", "title", title, CYCLE_TITLE_MAX);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	cycle_file f = {.stage_id = st->id,
			.cycle_id = c->id,
			.stage = st->stage,
			.title = title,
			.size_bytes = (int64_t)u->size,
			.created_by = rq->actor->person_id,
			.created_at = now_unix()};
	if (!(f.content_type = check_evidence(rq, u, out))) return;
	if (!(f.file_name = stored_file_random_name(rq->a))) {
		outcome_fail(out, 500, "upload_failed", "The file could not be kept; nothing was added.",
			     "file");
		return;
	}
	if (!change_begin(rq, out)) return;
	store_rc rc = cycle_file_insert(rq->db, rq->a, &f, &out->id);
	if (rc == STORE_OK) rc = evidence_event(rq, c, "file.add", out->id, st->stage);
	if (rc != STORE_OK) {
		outcome_store_failed(rq, out, true);
		return;
	}
	/* The row and the file land together: the file moves while the row is
	 * still uncommitted, and goes again if the commit fails. */
	if (!stored_file_keep(rq, u, EVIDENCE, f.file_name)) {
		store_rollback(rq->db);
		outcome_fail(out, 500, "upload_failed", "The file could not be kept; nothing was added.",
			     "file");
		return;
	}
	if (store_commit(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, true);
		stored_file_remove(rq, EVIDENCE, f.file_name);
	}
}

void cycle_file_remove(req *rq, const coaching_cycle *c, const cycle_file *f, outcome *out)
{
	*out = (outcome){.id = f->id};
	if (!may_change_evidence(rq, c, NULL, out)) return;
	if (f->cycle_id != c->id) {
		outcome_fail(out, 404, "not_found", "there is no such file in this cycle", NULL);
		return;
	}
	if (!change_begin(rq, out)) return;
	store_rc rc = cycle_file_delete(rq->db, rq->a, f->id);
	if (rc == STORE_OK) rc = evidence_event(rq, c, "file.remove", f->id, f->stage);
	if (rc != STORE_OK || store_commit(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, true);
		return;
	}
	stored_file_remove(rq, EVIDENCE, f->file_name);
}

void cycle_file_send(req *rq, resp *rs, const cycle_file *f)
{
	stored_file_send(rq, rs, EVIDENCE, f->file_name, f->content_type,
			 stored_file_download_name(rq->a, f->title, "evidence", f->content_type));
}
