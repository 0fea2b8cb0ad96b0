/* Coaching cycles on the web: the checked changes (may(), the checks, one
 * transaction with the cycle's history and the audit log) and the loaders
 * every route uses, then the handlers routes.c names. */
#ifndef COACHD_CYCLE_WEB_H
#define COACHD_CYCLE_WEB_H

#include "../base/buf.h"
#include "../http/http.h"
#include "../observe/walk.h"
#include "../web/change.h"
#include "cycle_store.h"

/* ---- changes (cycle_change.c): may(), checks, one transaction, the
 * cycle's history and the audit log ---- */
typedef struct cycle_input {
	cycle_kind kind;
	const char *title;
	int64_t school_id; /* required */
	int64_t team_id;   /* collaborative: required */
	int64_t *teachers; /* individual: one or more */
	size_t nteachers;
	int64_t *coaches; /* besides the one starting it */
	size_t ncoaches;
	const char *grade;
	int64_t template_id; /* 0: the default */
	int64_t session_id;  /* 0: none */
	int64_t previous_id; /* set by cycle_next */
} cycle_input;

typedef struct stage_input {
	int64_t stage_id;
	int64_t version; /* the version the editor read */
	bool complete;   /* mark it complete after saving */
	cycle_answer *answers;
	size_t nanswers;
} stage_input;

/* The cycle named by {id}; answers 404 (the same for a cycle that does not
 * exist and one the asker may not read, so nothing is learned) and writes
 * an audit entry for a refused read of an existing cycle and for every
 * read by someone who is not a member (a share). */
bool cycle_load(req *rq, resp *rs, coaching_cycle *c);
/* The same, for a route that reads one part of the cycle (a stage, a
 * file, a lesson observation): a refusal of the cycle is audited, but a
 * share holder's read is not yet on record, for the route does not know
 * yet whether the share opens that part. A member's first read after
 * someone else added them is audited here. */
bool cycle_find(req *rq, resp *rs, coaching_cycle *c);
/* After cycle_find: a non-member's read of part ("stage enact", "file 12")
 * goes on record as coaching.read.shared when shown, or as
 * coaching.read.denied when not (then 404, as for a part that is not
 * there). Members' reads are not audited. false when answered. */
bool cycle_read_on_record(req *rq, resp *rs, const coaching_cycle *c, const char *part, bool shown);
/* After cycle_find: the file named by {fid} of c when the asker may read
 * its part, the read on record; else 404, the refusal on record. */
bool cycle_file_load(req *rq, resp *rs, const coaching_cycle *c, cycle_file *f);
bool may_cycle(const req *rq, action act, const coaching_cycle *c);
void cycle_start(req *rq, cycle_input *in, outcome *out);
/* Saves answers; 409 "conflict" naming who saved since when in->version
 * is stale, and nothing is written. */
void cycle_stage_save(req *rq, const coaching_cycle *c, const cycle_stage *st, stage_input *in, outcome *out);
void cycle_note_add(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *tag,
		    const char *body, int64_t taken_at, outcome *out);
void cycle_note_remove(req *rq, const coaching_cycle *c, int64_t note_id, outcome *out);
/* Adds delta (+1 or -1) to a tally, never below zero. */
void cycle_tally_bump(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *label, int delta,
		      outcome *out);
void cycle_close(req *rq, const coaching_cycle *c, outcome *out);
void cycle_reopen(req *rq, const coaching_cycle *c, outcome *out);
/* Opens the next cycle with the same people, linked to c; its plan's goal
 * draft starts from c's next steps. out->id is the new cycle. */
void cycle_next(req *rq, const coaching_cycle *c, outcome *out);
void cycle_link_session(req *rq, const coaching_cycle *c, int64_t session_id, outcome *out);
/* stage: -1 for the whole cycle. Only the cycle's teachers share. */
void cycle_share_add(req *rq, const coaching_cycle *c, int64_t person_id, int stage, outcome *out);
void cycle_share_revoke(req *rq, const coaching_cycle *c, int64_t share_id, outcome *out);
void cycle_template_save(req *rq, cycle_template *t, outcome *out); /* t->id 0: a new one */

/* ---- evidence files (cycle_file.c) ---- */
/* Streams nothing into memory: the upload is already on disk; it is
 * checked by content (images, PDF, Office, text; video and audio up to the
 * larger cap), moved under evidence/ and recorded. 413, 415 as for
 * materials. */
void cycle_file_add(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *title,
		    const upload *u, outcome *out);
void cycle_file_remove(req *rq, const coaching_cycle *c, const cycle_file *f, outcome *out);
/* Sends the file with Range, as an attachment (inline for video and audio
 * so they play and seek). */
void cycle_file_send(req *rq, resp *rs, const cycle_file *f);

/* ---- the leaders' aggregate report, counts only (cycle_report.c) ---- */
handler_fn page_coaching_report, api_coaching_report;

/* ---- full-lesson observations inside a cycle (cycle_observation.c):
 * rated with a rubric, kept with the cycle's privacy ---- */
void cycle_observation_add(req *rq, const coaching_cycle *c, int64_t rubric_id, observation_input *in,
			   outcome *out);
void cycle_observation_save(req *rq, const coaching_cycle *c, const observation *o, observation_input *in,
			    outcome *out);
void cycle_observation_remove(req *rq, const coaching_cycle *c, const observation *o, outcome *out);
/* On the cycle page's enactment: of the cycle's observations (list, read
 * by the page with cycle_observations), those the reader may see, and
 * "Observe with a rubric" for those who may write. */
void cycle_observation_links(req *rq, buf *b, const coaching_cycle *c, const observation *list, size_t n,
			     bool editable);
/* Their pages and API (cycle_observation_web.c). */
handler_fn page_cycle_observation_new, page_cycle_observation_create, page_cycle_observation,
	page_cycle_observation_update, page_cycle_observation_remove;
handler_fn api_cycle_observations, api_cycle_observation_add, api_cycle_observation,
	api_cycle_observation_save, api_cycle_observation_remove;

/* ---- pages (cycle_pages.c, template_pages.c) and API (cycle_api.c) ---- */
handler_fn page_cycles, page_cycle_new, page_cycle_create, page_cycle, page_cycle_stage,
	page_cycle_stage_save, page_cycle_note_add, page_cycle_note_remove, page_cycle_tally,
	page_cycle_file_add, page_cycle_file, page_cycle_file_remove, page_cycle_close, page_cycle_reopen,
	page_cycle_next, page_cycle_session, page_cycle_shares, page_cycle_share_add, page_cycle_share_revoke,
	page_cycle_export, page_teacher_cycles;
handler_fn page_cycle_templates, page_cycle_template_new, page_cycle_template_create,
	page_cycle_template_edit, page_cycle_template_update;
handler_fn api_cycles, api_cycle_create, api_cycle, api_cycle_stage, api_cycle_stage_save, api_cycle_notes,
	api_cycle_note_add, api_cycle_files, api_cycle_file_add, api_cycle_file_remove, api_cycle_shares,
	api_cycle_share_add, api_cycle_share_revoke, api_cycle_close, api_cycle_reopen;

#endif
