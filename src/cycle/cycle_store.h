/* Coaching cycles in the store: reading cycles, their stages, notes,
 * tallies, files, history and templates, and every write, each inside the
 * caller's transaction (cycle_store.c); the leaders' report's grouped rows
 * (cycle_report_store.c). SQL lives in those two files alone. */
#ifndef COACHD_CYCLE_STORE_H
#define COACHD_CYCLE_STORE_H

#include "../store/store.h"
#include "cycle.h"

typedef struct cycle_filter {
	int64_t teacher_id; /* cycles this person is a teacher in */
	int64_t coach_id;   /* ... a coach in */
	int state;          /* -1: any, else a cycle_state */
	const char *q;      /* words in the title or in answers the asker may read */
} cycle_filter;

/* Cycles the actor is a member of or has an active share of, newest
 * first, without stages; filtered. Each row is still checked with may(). */
store_rc cycle_list(store *s, arena *a, int64_t actor_id, const cycle_filter *f, coaching_cycle **out,
		    size_t *n);
/* One cycle with its members and active shares; *found false if none. */
store_rc cycle_get(store *s, arena *a, int64_t id, coaching_cycle *out, bool *found);
/* Its stages with their answers: plan, then enactments by teacher name,
 * then reflection. */
store_rc cycle_stages_get(store *s, arena *a, int64_t cycle_id, cycle_stage **out, size_t *n);
/* Templates of the given orgs by name, without prompts; retired ones too
 * when with_retired (for those who may bring them back). */
store_rc cycle_template_list(store *s, arena *a, const int64_t *org_ids, size_t norgs, bool with_retired,
			     cycle_template **out, size_t *n);
/* Template id 0 gives the default. */
store_rc cycle_template_get(store *s, arena *a, int64_t id, cycle_template *out, bool *found);
store_rc cycle_notes_get(store *s, arena *a, int64_t stage_id, cycle_note **out, size_t *n);
store_rc cycle_tallies_get(store *s, arena *a, int64_t stage_id, cycle_tally **out, size_t *n);
store_rc cycle_files_get(store *s, arena *a, int64_t cycle_id, cycle_file **out, size_t *n);
store_rc cycle_file_get(store *s, arena *a, int64_t cycle_id, int64_t id, cycle_file *out, bool *found);
store_rc cycle_history_get(store *s, arena *a, int64_t cycle_id, cycle_event **out, size_t *n);
/* People a teacher of c may share it with: active people holding an active
 * role at the cycle's school or district (not its members). */
store_rc cycle_share_candidates(store *s, arena *a, const coaching_cycle *c, cycle_member **out, size_t *n);

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

/* ---- the leaders' report (cycle_report_store.c) ---- */
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

#endif
