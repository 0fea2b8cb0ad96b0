/* Coaching cycles (seed 001): individual (coach and teacher) or
 * collaborative (coach and a team), in three stages, plan, enact and
 * reflect, with time-stamped notes, tallies and evidence files; a teacher
 * shares a cycle or one stage with a named person; leaders see counts.
 * Rules in cycle.c (pure: states, fields, templates, codes, shares);
 * storage in cycle_store.c; checked changes in cycle_change.c; evidence
 * files in cycle_file.c; pages in cycle_pages.c and template_pages.c; the
 * API in cycle_api.c; the leaders' aggregate report in cycle_report.c. */
#ifndef COACHD_CYCLE_H
#define COACHD_CYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../observe/walk.h"
#include "../standards/standards.h"
#include "../store/store.h"
#include "../web/change.h"

enum {
	CYCLE_TITLE_MAX = 200,     /* characters of a title */
	CYCLE_TEXT_MAX = 20000,    /* characters of one answer */
	CYCLE_NOTE_MAX = 2000,     /* characters of one note */
	CYCLE_PEOPLE_MAX = 60,     /* coaches or teachers of one cycle */
	CYCLE_PROMPTS_MAX = 24,    /* prompts of one stage in a template */
	CYCLE_TALLIES_MAX = 12,    /* tallies a plan may ask for */
	CYCLE_TALLY_LABEL_MAX = 80,
	CYCLE_MINUTES_MAX = 600    /* minutes of one conference or lesson */
};

typedef enum cycle_kind { CYCLE_INDIVIDUAL, CYCLE_COLLABORATIVE } cycle_kind;

typedef enum cycle_state {
	CYCLE_PLANNING,
	CYCLE_ENACTED,
	CYCLE_REFLECTED,
	CYCLE_CLOSED,
	CYCLE_STATE_COUNT
} cycle_state;

typedef enum stage_kind { STAGE_PLAN, STAGE_ENACT, STAGE_REFLECT, STAGE_COUNT } stage_kind;

/* What a stage's field holds, which decides how it is checked and shown. */
typedef enum field_type {
	FIELD_TEXT,       /* free text, CYCLE_TEXT_MAX */
	FIELD_FOCUS,      /* framework codes: MP1..MP8, TP1..TP8, TRU1..TRU5 */
	FIELD_STANDARDS,  /* CCSS codes: 4.NF.A.1, K.CC.B.4a, HSA-SSE.A.1 */
	FIELD_COACH_ROLE, /* observe, co_teach, model */
	FIELD_DATE,       /* YYYY-MM-DD */
	FIELD_TIME,       /* HH:MM */
	FIELD_CLASS,      /* a class id */
	FIELD_LINES,      /* one item per line: the tallies to keep */
	FIELD_MINUTES     /* 0..CYCLE_MINUTES_MAX: how long it took */
} field_type;

/* A built-in field of a stage, with its default wording (seed 001). */
typedef struct stage_field {
	const char *key;   /* "goal"; unique within its stage */
	field_type type;
	const char *label;
	const char *help;  /* NULL: none */
} stage_field;

/* A template's prompt: a built-in field with the template's wording, or an
 * extra free-text question (a key that is no built-in field). */
typedef struct cycle_prompt {
	stage_kind stage;
	const char *key;
	const char *label;
	const char *help;  /* NULL or "": none */
} cycle_prompt;

typedef struct cycle_template {
	int64_t id;        /* 0: the built-in default */
	int64_t org_id;    /* the district or partner that wrote it */
	const char *org_name;
	const char *name;
	bool active;
	cycle_prompt *prompts; /* in order, stage by stage */
	size_t nprompts;
} cycle_template;

/* A value given for a field: trimmed text, "" to clear it. */
typedef struct cycle_answer {
	const char *key;
	const char *value;
} cycle_answer;

typedef struct cycle_stage {
	int64_t id, cycle_id;
	stage_kind stage;
	int64_t teacher_id;        /* an enactment: whose classroom; 0 otherwise */
	const char *teacher_name;
	bool complete;
	int64_t minutes;
	int64_t version;           /* saves so far: a save names the one it read */
	int64_t updated_by;
	const char *updated_by_name;
	int64_t updated_at, completed_at;
	cycle_answer *answers;
	size_t nanswers;
} cycle_stage;

typedef struct cycle_member {
	int64_t person_id;
	const char *name;
	bool coach;                /* else a teacher */
	bool read_yet;             /* has opened the cycle since joining it */
	int64_t added_by;          /* who put them in it, 0: unknown */
} cycle_member;

/* An active share: of the whole cycle (stage -1) or of one stage. */
typedef struct cycle_share {
	int64_t id, person_id;
	const char *person_name;
	int64_t shared_by;
	const char *shared_by_name;
	int stage;                 /* -1, or a stage_kind */
	int64_t created_at;
} cycle_share;

typedef struct coaching_cycle {
	int64_t id;
	cycle_kind kind;
	const char *title;
	cycle_state state;
	int64_t district_id, school_id, team_id, partner_id;
	const char *district_name, *school_name, *team_name;
	const char *grade;         /* "K", "3", "6-8", or NULL */
	int64_t template_id;       /* 0: the default */
	int64_t session_id;        /* the coaching day it counts against, 0: none */
	const char *session_title, *session_date;
	int64_t previous_id, next_id; /* the cycle before, the one it opened */
	const char *started_on;    /* YYYY-MM-DD */
	const char *lesson_on;     /* the planned lesson's date, or NULL */
	int64_t created_by, created_at, updated_at, closed_at;
	cycle_member *members;
	size_t nmembers;
	int64_t *coaches, *teachers; /* member ids, for may() */
	size_t ncoaches, nteachers;
	cycle_share *shares;
	size_t nshares;
	int64_t *shared_with;      /* person ids of the shares, for may() */
	size_t nshared;
} coaching_cycle;

typedef struct cycle_note {
	int64_t id, stage_id, author_id;
	const char *author_name;
	int64_t taken_at;          /* unix seconds */
	const char *tag;           /* NULL or a note tag */
	const char *body;
} cycle_note;

typedef struct cycle_tally {
	int64_t stage_id;
	const char *label;
	int64_t count;
} cycle_tally;

typedef struct cycle_file {
	int64_t id, stage_id, cycle_id;
	stage_kind stage;
	int64_t classroom;         /* its enactment's teacher; 0 for the plan and reflection */
	const char *title;
	const char *file_name;     /* its random name under evidence/ */
	const char *content_type;  /* as found by content */
	int64_t size_bytes, created_by, created_at;
	const char *created_by_name;
} cycle_file;

typedef struct cycle_event {
	int64_t at, person_id;
	const char *person_name;
	const char *what;          /* "plan.save", "enact.complete", "share", ... */
	const char *detail;        /* field names, never content */
} cycle_event;

/* Where a stage stands, for the state rules. */
typedef struct cycle_progress {
	bool plan_complete;
	size_t enactments, enactments_complete;
	bool reflect_complete;
	bool closed;
} cycle_progress;

/* ---- rules (cycle.c, pure) ---- */
const char *cycle_kind_name(cycle_kind k);      /* "individual" */
bool cycle_kind_parse(const char *s, cycle_kind *out);
const char *cycle_state_name(cycle_state s);    /* "planning" */
const char *cycle_state_label(cycle_state s);   /* "Planning" */
bool cycle_state_parse(const char *s, cycle_state *out);
const char *stage_name(stage_kind s);           /* "plan" */
const char *stage_label(stage_kind s);          /* "Plan" */
bool stage_parse(const char *s, stage_kind *out);

/* The state a cycle is in: closed when closed; else reflected when the
 * reflection is complete; else enacted when every enactment is (and there
 * is one); else planning. */
cycle_state cycle_state_of(const cycle_progress *p);
/* Why stage st cannot be marked complete now, or NULL when it can: the
 * plan comes first, the enactments before the reflection, and nothing
 * changes in a closed cycle. */
const char *cycle_complete_blocker(const cycle_progress *p, stage_kind st);
/* Why the cycle cannot be closed (already closed), or reopened (not
 * closed); NULL when it can. */
const char *cycle_close_blocker(const cycle_progress *p);
const char *cycle_reopen_blocker(const cycle_progress *p);

/* The built-in fields of a stage, in order. */
const stage_field *stage_fields(stage_kind st, size_t *n);
const stage_field *stage_field_find(stage_kind st, const char *key);
/* The default template (id 0), following seed 001's steps. */
void cycle_template_default(cycle_template *out);
/* The template's prompts of one stage, in order (pointers into t). */
size_t cycle_template_stage(arena *a, const cycle_template *t, stage_kind st,
			    const cycle_prompt ***out);
/* Checks a template: a name (1..200), each stage has 1..CYCLE_PROMPTS_MAX
 * prompts, keys unique per stage and either a built-in field of that stage
 * or an extra key ([a-z][a-z0-9_]{0,30}), labels 1..200, help up to 1,000,
 * and the plan keeps "focus" (the leaders' counts need it). Errors name the
 * field "name" or the stage ("plan", "enact", "reflect"). */
void cycle_template_check(arena *a, const cycle_template *t, form_errors *e);
/* A stage's prompts as the template editor writes them, one per line:
 * "key | Label | Help" (help optional); parsed into t's prompts of st,
 * errors naming the stage and line. */
void cycle_template_parse_stage(arena *a, cycle_template *t, stage_kind st, const char *text,
				form_errors *e);
/* The same lines back, for the editor. */
const char *cycle_template_stage_text(arena *a, const cycle_template *t, stage_kind st);

/* Checks answers to stage st under template t: every key is one of the
 * template's prompts for st, values fit their field's type (normalized in
 * place: codes, dates, minutes); errors name the key. */
void stage_answers_check(arena *a, const cycle_template *t, stage_kind st, cycle_answer *answers,
			 size_t n, form_errors *e);
const char *stage_answer(const cycle_stage *s, const char *key); /* NULL when none */
/* The tallies a plan asks for: its "tallies" answer, one per line, trimmed,
 * without blanks or repeats, at most CYCLE_TALLIES_MAX. */
size_t plan_tally_labels(arena *a, const char *text, const char ***out);

bool coach_role_valid(const char *role);        /* observe, co_teach, model */
const char *coach_role_label(const char *role); /* "Co-teach" */
/* Note tags: student_reasoning, question, misconception, teacher_move,
 * strategy. */
bool note_tag_valid(const char *tag);
const char *note_tag_label(const char *tag);    /* "Student reasoning" */
const char *const *note_tags(size_t *n);

/* May this person read what c holds for stage st in the classroom of
 * teacher classroom (an enactment's teacher: its notes, files and lesson
 * observations too; 0 for the plan and the reflection, which the cycle's
 * teachers share)? Members always. A share (of the whole cycle, or of st)
 * reveals the shared parts; a classroom only under a share made by a
 * teacher of that classroom: in an individual cycle its co-teachers all
 * teach it, in a collaborative one each teacher their own, so a teacher
 * never shares a colleague's lesson. Call after may(READ). */
bool cycle_part_readable(const coaching_cycle *c, int64_t person, stage_kind st, int64_t classroom);
/* May person read some lesson of c (a member, or a share of the whole
 * cycle or of its enactments)? Which lessons, cycle_part_readable says. */
bool cycle_lessons_shared(const coaching_cycle *c, int64_t person);
/* cycle_part_readable for one of c's stages. */
bool cycle_stage_readable(const coaching_cycle *c, int64_t person, const cycle_stage *st);
bool cycle_is_member(const coaching_cycle *c, int64_t person);
bool cycle_is_coach(const coaching_cycle *c, int64_t person);
/* Whoever shared with person first (for the banner), or NULL. */
const cycle_share *cycle_share_for(const coaching_cycle *c, int64_t person);
/* Progress from a cycle's stages. */
cycle_progress cycle_progress_of(const coaching_cycle *c, const cycle_stage *st, size_t n);
/* The record may() is asked about: placed at its school (or district),
 * members as coaches and teachers, shares as shared_with. */
record cycle_record(place places[1], const coaching_cycle *c);
/* The record of the cycle's counts (REC_COACHING_SUMMARY) at its place. */
record cycle_summary_record(place places[1], const coaching_cycle *c);

/* ---- storage (cycle_store.c) ---- */
typedef struct cycle_filter {
	int64_t teacher_id;        /* cycles this person is a teacher in */
	int64_t coach_id;          /* ... a coach in */
	int state;                 /* -1: any, else a cycle_state */
	const char *q;             /* words in the title or in answers the asker may read */
} cycle_filter;

/* Cycles the actor is a member of or has an active share of, newest
 * first, without stages; filtered. Each row is still checked with may(). */
store_rc cycle_list(store *s, arena *a, int64_t actor_id, const cycle_filter *f,
		    coaching_cycle **out, size_t *n);
/* One cycle with its members and active shares; *found false if none. */
store_rc cycle_get(store *s, arena *a, int64_t id, coaching_cycle *out, bool *found);
/* Its stages with their answers: plan, then enactments by teacher name,
 * then reflection. */
store_rc cycle_stages_get(store *s, arena *a, int64_t cycle_id, cycle_stage **out, size_t *n);
/* Templates of the given orgs by name, without prompts; retired ones too
 * when with_retired (for those who may bring them back). */
store_rc cycle_template_list(store *s, arena *a, const int64_t *org_ids, size_t norgs,
			     bool with_retired, cycle_template **out, size_t *n);
/* Template id 0 gives the default. */
store_rc cycle_template_get(store *s, arena *a, int64_t id, cycle_template *out, bool *found);
store_rc cycle_notes_get(store *s, arena *a, int64_t stage_id, cycle_note **out, size_t *n);
store_rc cycle_tallies_get(store *s, arena *a, int64_t stage_id, cycle_tally **out, size_t *n);
store_rc cycle_files_get(store *s, arena *a, int64_t cycle_id, cycle_file **out, size_t *n);
store_rc cycle_file_get(store *s, arena *a, int64_t cycle_id, int64_t id, cycle_file *out,
			bool *found);
store_rc cycle_history_get(store *s, arena *a, int64_t cycle_id, cycle_event **out, size_t *n);
/* People a teacher of c may share it with: active people holding an active
 * role at the cycle's school or district (not its members). */
store_rc cycle_share_candidates(store *s, arena *a, const coaching_cycle *c, cycle_member **out,
				size_t *n);

/* A cycle's own row as it is first written. */
typedef struct cycle_row {
	cycle_kind kind;
	const char *title, *grade, *started_on;
	int64_t district_id, school_id, team_id, partner_id;
	int64_t template_id, session_id, previous_id;
	int64_t created_by, created_at;
} cycle_row;

/* Writes, each inside the caller's transaction. */
store_rc cycle_insert(store *s, arena *a, const cycle_row *c, int64_t *id);
/* A new stage (teacher: an enactment's classroom, else 0), beginning with
 * answer key = value when value is given (then at version 1, by by). */
store_rc cycle_stage_insert(store *s, arena *a, int64_t cycle_id, stage_kind st, int64_t teacher,
			    const char *key, const char *value, int64_t by, int64_t now);
/* The one way a cycle's history grows: what happened (by person_id, 0:
 * nobody), its detail (ids and field names, never content); the cycle's
 * updated_at follows. */
store_rc cycle_history_add(store *s, arena *a, int64_t cycle_id, int64_t person_id, const char *what,
			   const char *detail, int64_t now);
/* updated_at = now; taking the cycle's row first makes saves of its stages
 * follow one another. */
store_rc cycle_touch(store *s, arena *a, int64_t cycle_id, int64_t now);
/* Who saved the stage last, and when (NULL, 0: nobody). */
store_rc cycle_stage_saved_by(store *s, arena *a, int64_t stage_id, const char **who, int64_t *at);
/* The next version, only if the stage is still at version: *saved. */
store_rc cycle_stage_bump(store *s, arena *a, int64_t stage_id, int64_t version, int64_t by, int64_t now,
			  bool *saved);
/* Replaces answer key of a stage; value NULL or "" removes it. */
store_rc cycle_answer_save(store *s, arena *a, int64_t stage_id, const char *key, const char *value);
/* The copies of answers kept beside them for the report and lists. */
store_rc cycle_focus_save(store *s, arena *a, int64_t cycle_id, const char *codes);
store_rc cycle_stage_minutes_save(store *s, arena *a, int64_t stage_id, int64_t minutes);
store_rc cycle_lesson_on_save(store *s, arena *a, int64_t cycle_id, const char *day);
store_rc cycle_stage_complete_save(store *s, arena *a, int64_t stage_id, int64_t now);
/* The state, and closed_at too when set_closed (0: open again). */
store_rc cycle_state_save(store *s, arena *a, int64_t cycle_id, cycle_state state, bool set_closed,
			  int64_t closed_at);
store_rc cycle_note_insert(store *s, arena *a, const cycle_note *n, int64_t *id);
/* The author of note note_id when it is one of cycle_id's. */
store_rc cycle_note_author(store *s, arena *a, int64_t cycle_id, int64_t note_id, int64_t *author,
			   bool *found);
store_rc cycle_note_delete(store *s, arena *a, int64_t note_id);
/* The plan's answer key, NULL when none. */
store_rc cycle_plan_answer(store *s, arena *a, int64_t cycle_id, const char *key, const char **value);
/* Adds delta to a tally, never below zero. */
store_rc cycle_tally_add(store *s, arena *a, int64_t stage_id, const char *label, int delta);
store_rc cycle_session_save(store *s, arena *a, int64_t cycle_id, int64_t session_id);
/* stage: -1 for the whole cycle. */
store_rc cycle_share_insert(store *s, arena *a, int64_t cycle_id, int stage, int64_t person_id,
			    int64_t shared_by, int64_t now, int64_t *id);
store_rc cycle_share_revoke_save(store *s, arena *a, int64_t cycle_id, int64_t share_id, int64_t now);
/* Inserts (t->id 0) or updates a template and replaces its prompts. */
store_rc cycle_template_write(store *s, arena *a, const cycle_template *t, int64_t now, int64_t *id);
/* *name: the person's name when they are active with an active role at the
 * school or its district (a teacher a cycle may be with); NULL otherwise. */
store_rc cycle_teacher_at(store *s, arena *a, int64_t person, int64_t school_id, int64_t district_id,
			  const char **name);
store_rc cycle_file_insert(store *s, arena *a, const cycle_file *f, int64_t *id);
store_rc cycle_file_delete(store *s, arena *a, int64_t file_id);

/* Adds people to a cycle as its coaches (else teachers), put there by
 * added_by; added_by themselves counts as having read it. */
store_rc cycle_members_add(store *s, arena *a, int64_t cycle_id, const int64_t *people, size_t n,
			   bool coaches, int64_t added_by, int64_t now);
/* Records person's first read of the cycle (once). */
store_rc cycle_member_first_read(store *s, arena *a, int64_t cycle_id, int64_t person, int64_t now);
/* *name: the person's name when they may coach at the school: an active
 * coach role at the school, at its district, or at a partner whose
 * agreement the district accepted; NULL otherwise. */
store_rc cycle_coach_at(store *s, arena *a, int64_t person, int64_t school_id, int64_t district_id,
			const char **name);

/* What the leaders' report counts is kept on each cycle's rows (migration
 * 008), written by this one function: it recounts the cycle's completed
 * stages and minutes, its day and month, and copies its place, grade and
 * day to its teachers' and focus codes' rows. Call it inside the
 * transaction of every change to the cycle's stages' completion or
 * minutes, its lesson's day, its members or its focus, after that change. */
store_rc cycle_counts_keep(store *s, arena *a, int64_t cycle_id);

/* ---- changes (cycle_change.c): may(), checks, one transaction, the
 * cycle's history and the audit log ---- */
typedef struct cycle_input {
	cycle_kind kind;
	const char *title;
	int64_t school_id;         /* required */
	int64_t team_id;           /* collaborative: required */
	int64_t *teachers;         /* individual: one or more */
	size_t nteachers;
	int64_t *coaches;          /* besides the one starting it */
	size_t ncoaches;
	const char *grade;
	int64_t template_id;       /* 0: the default */
	int64_t session_id;        /* 0: none */
	int64_t previous_id;       /* set by cycle_next */
} cycle_input;

typedef struct stage_input {
	int64_t stage_id;
	int64_t version;           /* the version the editor read */
	bool complete;             /* mark it complete after saving */
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
void cycle_stage_save(req *rq, const coaching_cycle *c, const cycle_stage *st, stage_input *in,
		      outcome *out);
void cycle_note_add(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *tag,
		    const char *body, int64_t taken_at, outcome *out);
void cycle_note_remove(req *rq, const coaching_cycle *c, int64_t note_id, outcome *out);
/* Adds delta (+1 or -1) to a tally, never below zero. */
void cycle_tally_bump(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *label,
		      int delta, outcome *out);
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

/* ---- the leaders' aggregate report (cycle_report.c, its reading in
 * cycle_report_store.c) ---- */
/* The report's grouped rows over the cycles of the places v reaches (their
 * districts; each row is still judged by may()), held from from_day to
 * to_day (YYYYMMDD, both in), at school_id (0: any):
 * stages: district, school, place name, grade, month YYYYMM, cycles, plans,
 *   enactments, reflections, minutes;
 * teachers: district, school, grade, person, name, cycles;
 * focus: district, school, code, cycles. */
store_rc coaching_report_rows(store *s, arena *a, const visibility *v, int64_t from_day, int64_t to_day,
			      int64_t school_id, store_rows *stages, store_rows *teachers, store_rows *focus);
/* Active schools of the places v reaches: id, district, name, by name. */
store_rc coaching_report_schools(store *s, arena *a, const visibility *v, store_rows *out);
handler_fn page_coaching_report, api_coaching_report;

/* ---- full-lesson observations inside a cycle (cycle_observation.c):
 * rated with a rubric, kept with the cycle's privacy ---- */
void cycle_observation_add(req *rq, const coaching_cycle *c, int64_t rubric_id, observation_input *in,
			   outcome *out);
void cycle_observation_save(req *rq, const coaching_cycle *c, const observation *o, observation_input *in,
			    outcome *out);
void cycle_observation_remove(req *rq, const coaching_cycle *c, const observation *o, outcome *out);
/* On the cycle page's enactment: its observations the reader may see, and
 * "Observe with a rubric" for those who may write. */
void cycle_observation_links(req *rq, buf *b, const coaching_cycle *c, bool editable);
/* Their pages and API (cycle_observation_web.c). */
handler_fn page_cycle_observation_new, page_cycle_observation_create, page_cycle_observation,
	page_cycle_observation_update, page_cycle_observation_remove;
handler_fn api_cycle_observations, api_cycle_observation_add, api_cycle_observation,
	api_cycle_observation_save, api_cycle_observation_remove;

/* ---- pages (cycle_pages.c, template_pages.c) and API (cycle_api.c) ---- */
handler_fn page_cycles, page_cycle_new, page_cycle_create, page_cycle, page_cycle_stage,
	page_cycle_stage_save, page_cycle_note_add, page_cycle_note_remove, page_cycle_tally,
	page_cycle_file_add, page_cycle_file, page_cycle_file_remove, page_cycle_close,
	page_cycle_reopen, page_cycle_next, page_cycle_session, page_cycle_shares,
	page_cycle_share_add, page_cycle_share_revoke, page_cycle_export, page_teacher_cycles;
handler_fn page_cycle_templates, page_cycle_template_new, page_cycle_template_create,
	page_cycle_template_edit, page_cycle_template_update;
handler_fn api_cycles, api_cycle_create, api_cycle, api_cycle_stage, api_cycle_stage_save,
	api_cycle_notes, api_cycle_note_add, api_cycle_files, api_cycle_file_add,
	api_cycle_file_remove, api_cycle_shares, api_cycle_share_add, api_cycle_share_revoke,
	api_cycle_close, api_cycle_reopen;

#endif
