/* Coaching cycles: individual (coach and teacher) or collaborative (coach
 * and a team), in three stages, plan, enact and reflect, with time-stamped
 * notes, tallies and evidence files; a teacher shares a cycle or one stage
 * with a named person; leaders see counts.
 *
 * The folder in layers, each with its header, each including only those
 * below it: this header and cycle.c are the pure rules (states, fields,
 * templates, who reads what; no I/O, no SQL, no HTTP); cycle_store.h is
 * storage (cycle_store.c, cycle_report_store.c); cycle_web.h the checked
 * changes and loaders (cycle_change.c, cycle_file.c, cycle_observation.c)
 * and the handlers (pages, API, the leaders' report). */
#ifndef COACHD_CYCLE_H
#define COACHD_CYCLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../html/form.h"
#include "../standards/standards.h"

enum {
	CYCLE_TITLE_MAX = 200,  /* characters of a title */
	CYCLE_TEXT_MAX = 20000, /* characters of one answer */
	CYCLE_NOTE_MAX = 2000,  /* characters of one note */
	CYCLE_PEOPLE_MAX = 60,  /* coaches or teachers of one cycle */
	CYCLE_PROMPTS_MAX = 24, /* prompts of one stage in a template */
	CYCLE_TALLIES_MAX = 12, /* tallies a plan may ask for */
	CYCLE_TALLY_LABEL_MAX = 80,
	CYCLE_MINUTES_MAX = 600 /* minutes of one conference or lesson */
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

/* A built-in field of a stage, with its default wording. */
typedef struct stage_field {
	const char *key; /* "goal"; unique within its stage */
	field_type type;
	const char *label;
	const char *help; /* NULL: none */
} stage_field;

/* A template's prompt: a built-in field with the template's wording, or an
 * extra free-text question (a key that is no built-in field). */
typedef struct cycle_prompt {
	stage_kind stage;
	const char *key;
	const char *label;
	const char *help; /* NULL or "": none */
} cycle_prompt;

typedef struct cycle_template {
	int64_t id;     /* 0: the built-in default */
	int64_t org_id; /* the district or partner that wrote it */
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
	int64_t teacher_id; /* an enactment: whose classroom; 0 otherwise */
	const char *teacher_name;
	bool complete;
	int64_t minutes;
	int64_t version; /* saves so far: a save names the one it read */
	int64_t updated_by;
	const char *updated_by_name;
	int64_t updated_at, completed_at;
	cycle_answer *answers;
	size_t nanswers;
} cycle_stage;

typedef struct cycle_member {
	int64_t person_id;
	const char *name;
	bool coach;       /* else a teacher */
	bool read_yet;    /* has opened the cycle since joining it */
	int64_t added_by; /* who put them in it, 0: unknown */
} cycle_member;

/* An active share: of the whole cycle (stage -1) or of one stage. */
typedef struct cycle_share {
	int64_t id, person_id;
	const char *person_name;
	int64_t shared_by;
	const char *shared_by_name;
	int stage; /* -1, or a stage_kind */
	int64_t created_at;
} cycle_share;

typedef struct coaching_cycle {
	int64_t id;
	cycle_kind kind;
	const char *title;
	cycle_state state;
	int64_t district_id, school_id, team_id, partner_id;
	const char *district_name, *school_name, *team_name;
	const char *grade;   /* "K", "3", "6-8", or NULL */
	int64_t template_id; /* 0: the default */
	int64_t session_id;  /* the coaching day it counts against, 0: none */
	const char *session_title, *session_date;
	int64_t previous_id, next_id; /* the cycle before, the one it opened */
	const char *started_on;       /* YYYY-MM-DD */
	const char *lesson_on;        /* the planned lesson's date, or NULL */
	int64_t created_by, created_at, updated_at, closed_at;
	cycle_member *members;
	size_t nmembers;
	int64_t *coaches, *teachers; /* member ids, for may() */
	size_t ncoaches, nteachers;
	cycle_share *shares;
	size_t nshares;
	int64_t *shared_with; /* person ids of the shares, for may() */
	size_t nshared;
} coaching_cycle;

typedef struct cycle_note {
	int64_t id, stage_id, author_id;
	const char *author_name;
	int64_t taken_at; /* unix seconds */
	const char *tag;  /* NULL or a note tag */
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
	int64_t classroom; /* its enactment's teacher; 0 for the plan and reflection */
	const char *title;
	const char *file_name;    /* its random name under evidence/ */
	const char *content_type; /* as found by content */
	int64_t size_bytes, created_by, created_at;
	const char *created_by_name;
} cycle_file;

typedef struct cycle_event {
	int64_t at, person_id;
	const char *person_name;
	const char *what;   /* "plan.save", "enact.complete", "share", ... */
	const char *detail; /* field names, never content */
} cycle_event;

/* Where a stage stands, for the state rules. */
typedef struct cycle_progress {
	bool plan_complete;
	size_t enactments, enactments_complete;
	bool reflect_complete;
	bool closed;
} cycle_progress;

/* ---- rules (cycle.c, pure) ---- */
const char *cycle_kind_name(cycle_kind k); /* "individual" */
bool cycle_kind_parse(const char *s, cycle_kind *out);
const char *cycle_state_name(cycle_state s);  /* "planning" */
const char *cycle_state_label(cycle_state s); /* "Planning" */
bool cycle_state_parse(const char *s, cycle_state *out);
const char *stage_name(stage_kind s);  /* "plan" */
const char *stage_label(stage_kind s); /* "Plan" */
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
/* The default template (id 0): plan, enact, reflect, with the built-in
 * fields' wording. */
void cycle_template_default(cycle_template *out);
/* The template's prompts of one stage, in order (pointers into t). */
size_t cycle_template_stage(arena *a, const cycle_template *t, stage_kind st, const cycle_prompt ***out);
/* Checks a template: a name (1..200), each stage has 1..CYCLE_PROMPTS_MAX
 * prompts, keys unique per stage and either a built-in field of that stage
 * or an extra key ([a-z][a-z0-9_]{0,30}), labels 1..200, help up to 1,000,
 * and the plan keeps "focus" (the leaders' counts need it). Errors name the
 * field "name" or the stage ("plan", "enact", "reflect"). */
void cycle_template_check(arena *a, const cycle_template *t, form_errors *e);
/* A stage's prompts as the template editor writes them, one per line:
 * "key | Label | Help" (help optional); parsed into t's prompts of st,
 * errors naming the stage and line. */
void cycle_template_parse_stage(arena *a, cycle_template *t, stage_kind st, const char *text, form_errors *e);
/* The same lines back, for the editor. */
const char *cycle_template_stage_text(arena *a, const cycle_template *t, stage_kind st);

/* Checks answers to stage st under template t: every key is one of the
 * template's prompts for st, values fit their field's type (normalized in
 * place: codes, dates, minutes); errors name the key. */
void stage_answers_check(arena *a, const cycle_template *t, stage_kind st, cycle_answer *answers, size_t n,
			 form_errors *e);
const char *stage_answer(const cycle_stage *s, const char *key); /* NULL when none */
/* The tallies a plan asks for: its "tallies" answer, one per line, trimmed,
 * without blanks or repeats, at most CYCLE_TALLIES_MAX. */
size_t plan_tally_labels(arena *a, const char *text, const char ***out);

bool coach_role_valid(const char *role);        /* observe, co_teach, model */
const char *coach_role_label(const char *role); /* "Co-teach" */
/* Note tags: student_reasoning, question, misconception, teacher_move,
 * strategy. */
bool note_tag_valid(const char *tag);
const char *note_tag_label(const char *tag); /* "Student reasoning" */
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

#endif
