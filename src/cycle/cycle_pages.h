/* What the coaching-cycle pages share among their files (the list, the
 * start form, one cycle, a stage, the cycle's course, sharing, the
 * export): not for other features. */
#ifndef COACHD_CYCLE_PAGES_H
#define COACHD_CYCLE_PAGES_H

#include "../calendar/session.h"
#include "cycle_web.h"

const char *id_text(arena *a, int64_t id);
const char *cycle_href(arena *a, int64_t id);
const char *stage_href(arena *a, int64_t cycle_id, int64_t stage_id);
const char *kind_label(cycle_kind k);
/* A stage as a heading names it: the plan, an enactment, the reflection. */
const char *stage_noun(stage_kind st);
/* "Enactment · Tom Becker" for one teacher's enactment, else the stage. */
const char *stage_title(arena *a, const cycle_stage *st);
const char *stage_status(const cycle_stage *st);
/* A time in UTC, with its instant for coachd.js to show in the reader's
 * own zone (the server does not know where the classroom is). */
void time_html(arena *a, buf *b, int64_t at, bool clock_only);
const char *size_text(arena *a, int64_t bytes);
/* The teachers of an individual cycle, or the team of a collaborative one. */
const char *cycle_people_text(arena *a, const coaching_cycle *c, bool coaches);
const char *cycle_who(arena *a, const coaching_cycle *c);
const char *cycle_title(const coaching_cycle *c);
bool may_edit_content(const req *rq, const coaching_cycle *c);
void crumbs(req *rq, buf *b, const coaching_cycle *c);
/* The banner a share holder reads: whose trust they hold, and that it is
 * theirs to read only. */
void shared_banner(req *rq, buf *b, const coaching_cycle *c);
bool id_in(const int64_t *ids, size_t n, int64_t id);
bool form_id(req *rq, const char *field, int64_t min, int64_t *out, form_errors *e, const char *message);
/* An error for a field under any of the names the change may use. */
const char *error_of(const form_errors *e, const char *a, const char *b);
/* The coaching days the actor facilitates that are not cancelled: what a
 * cycle may count against. */
store_rc coaching_sessions_load(req *rq, pl_session **out, size_t *n);
void session_field(req *rq, buf *b, const pl_session *list, size_t n, int64_t chosen, const form_errors *e,
		   const char *label);
/* An upload form for stage st; idp keeps its fields' ids apart from
 * other forms on the page, back_to_cycle returns to the cycle page. */
void upload_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, const char *idp,
		 const form_errors *e, bool back_to_cycle);
const cycle_stage *stage_by_id(const cycle_stage *st, size_t n, int64_t id);
const char *file_kind(const char *content_type);
/* The files of the stages the asker may read (of one stage when only). */
void files_list(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, size_t n,
		const cycle_file *f, size_t nf, int64_t only, bool editable, bool back_to_cycle);
/* A history entry in words: "Plan saved", "Shared"; what the tables do
 * not know stays as recorded. */
const char *event_what(arena *a, const char *what);
/* The prompts of c's template, the default when it has none (or it is
 * gone). */
bool template_of(req *rq, const coaching_cycle *c, cycle_template *t);
/* An answer in words, for the export: codes with their meaning, a role by
 * its label, text as written. */
const char *answer_text(arena *a, stage_kind stage, const char *key, const char *value);

#endif
