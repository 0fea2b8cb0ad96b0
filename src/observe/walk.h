/* Learning walks (seeds 003 and 004): a role-diverse team visits several
 * classrooms of one school with one rubric, a few focus indicators in
 * mind; each visit is a quick form (grade, time, ratings, look-for
 * tallies, a line of evidence). Classrooms are named by school, grade and
 * time, not by teacher, unless the district switches teacher
 * identification on. Full-lesson observations inside a coaching cycle use
 * the same observation rows and inherit the cycle's privacy.
 * Rules in walk.c (pure: checks, times, grades, the records may() is
 * asked about, the debrief's counts); storage in walk_store.c; checked
 * changes in walk_change.c (a cycle's lesson observations: src/cycle); pages in walk_pages.c,
 * the shared rating form in observation_form.c, the API in walk_api.c. */
#ifndef COACHD_WALK_H
#define COACHD_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../store/store.h"
#include "../web/change.h"
#include "rubric.h"

enum {
	WALK_WALKERS_MAX = 24,
	WALK_PURPOSE_MAX = 2000, /* characters */
	WALK_DEBRIEF_MAX = 20000,
	VISIT_EVIDENCE_MAX = 2000,
	RATING_EVIDENCE_MAX = 1000,
	VISIT_MINUTES_MAX = 240, /* a visit, or a whole lesson */
	LOOK_FOR_COUNT_MAX = 999,
	WALK_MIN_CELL_MIN = 3, /* below three a cell is one or two classrooms */
	WALK_MIN_CELL_MAX = 50,
	WALK_MIN_CELL_DEFAULT = 5,
	WALK_VISITS_MAX = 500 /* visits one walk lists */
};

typedef struct walk_walker {
	int64_t person_id;
	const char *name;
} walk_walker;

/* A district's walk settings (org.walk_teacher_ids, org.walk_min_cell). */
typedef struct walk_settings {
	int64_t district_id;
	const char *district_name;
	bool teacher_ids; /* visits may name the teacher */
	int64_t min_cell; /* dashboards hide cells behind fewer visits */
} walk_settings;

typedef struct walk {
	int64_t id;
	int64_t district_id, school_id;
	const char *district_name, *school_name;
	int64_t rubric_id, rubric_version_id;
	const char *rubric_name;
	const char *walked_on; /* YYYY-MM-DD */
	const char *purpose;   /* or NULL */
	const char *debrief;   /* the walkers' notes, or NULL */
	bool closed;
	int64_t created_by, created_at, updated_at;
	const char *created_by_name;
	walk_walker *walkers;
	size_t nwalkers;
	int64_t *walker_ids; /* for may() */
	const char **focus;  /* indicator codes; none: every indicator */
	size_t nfocus;
	int64_t nvisits;
	walk_settings settings; /* of the walk's district */
} walk;

typedef struct obs_rating {
	int64_t indicator_id;
	const char *code;
	int64_t value;
	const char *evidence; /* or NULL */
} obs_rating;

typedef struct obs_look_for {
	int64_t look_for_id;
	int64_t count;
} obs_look_for;

/* One observer's record of one classroom: a walk's visit or a full lesson
 * inside a coaching cycle. */
typedef struct observation {
	int64_t id;
	int64_t walk_id, cycle_id;
	int64_t rubric_version_id;
	int64_t observer_id;
	const char *observer_name;
	int64_t district_id, school_id;
	const char *grade, *grade_band;
	const char *observed_on; /* YYYY-MM-DD */
	int64_t observed_month;  /* YYYYMM */
	const char *start_time;  /* HH:MM or NULL */
	int64_t minutes;         /* 0: not given */
	int64_t teacher_id;
	const char *teacher_name;
	const char *evidence;
	int64_t version;
	int64_t created_at, updated_at;
	int64_t number; /* its place among its walk's visits, from 1 */
	obs_rating *ratings;
	size_t nratings;
	obs_look_for *look_fors;
	size_t nlook_fors;
} observation;

/* What a form or a JSON body asks a visit (or a cycle observation) to be,
 * trimmed. Ratings come by code or by indicator id; checking resolves them
 * against the rubric version. */
typedef struct observation_input {
	const char *grade;
	const char *start_time;
	int64_t minutes;
	bool minutes_unreadable;
	int64_t teacher_id;
	const char *evidence;
	const char *observed_on; /* a cycle observation's day; walks take the walk's */
	obs_rating *ratings;
	size_t nratings;
	obs_look_for *look_fors;
	size_t nlook_fors;
	int64_t version; /* the version an edit read */
} observation_input;

typedef struct walk_input {
	int64_t school_id;
	const char *walked_on;
	int64_t rubric_id; /* a new walk: its current version is pinned */
	int64_t *walkers;
	size_t nwalkers;
	const char **focus;
	size_t nfocus;
	const char *purpose;
} walk_input;

/* The debrief's numbers for one indicator across a walk's visits. */
typedef struct indicator_summary {
	const rubric_indicator *indicator;
	int64_t counts[RUBRIC_SCALE_LEVELS_MAX]; /* by value - scale_min */
	int64_t rated;                           /* visits that rated it */
	int64_t total;                           /* sum of the ratings */
} indicator_summary;

typedef struct walk_debrief {
	indicator_summary *indicators; /* those of the walk (its focus, or all), in order */
	size_t nindicators;
	int64_t *look_for_totals; /* by the version's look-for order */
	int64_t visits;
} walk_debrief;

/* ---- rules (walk.c, pure) ---- */

/* A real day written YYYY-MM-DD. */
bool walk_date_valid(const char *s);
/* YYYYMM of a valid day, 0 otherwise. */
int64_t observed_month_of(const char *date);
/* HH:MM on a 24-hour clock ("9:05" is read as "09:05"); the normalized
 * form in out (6 bytes). */
bool walk_time_parse(const char *s, char out[6]);
/* "K", "1" .. "12" (k accepted): the normalized grade, or NULL. */
const char *walk_grade_normalize(const char *s);
/* The indicators a visit rates: the walk's focus, or all when it has none;
 * pointers into v, in the rubric's order. */
size_t walk_indicators(arena *a, const rubric_version *v, const char *const *focus, size_t nfocus,
		       const rubric_indicator ***out);
/* Checks a new walk's or an edit's fields (the rubric version checks focus
 * codes; NULL skips that). Errors name the field. */
void walk_input_check(arena *a, const walk_input *in, const rubric_version *v, form_errors *e);
/* Checks a visit against its rubric version: grade (required on a walk),
 * time, minutes, ratings on the scale and of the version's indicators
 * (resolved from code to id; errors name the indicator's code), look-fors
 * of the version, evidence lengths; a teacher only where allowed
 * ("this district does not name teachers on walk visits"). */
void observation_input_check(arena *a, const rubric_version *v, observation_input *in, bool grade_required,
			     bool teacher_allowed, form_errors *e);
/* What an input records (grade, time, minutes, teacher, evidence, day,
 * ratings, look-fors); the caller places it: walk or cycle, rubric
 * version, observer, district and school. */
observation observation_of_input(const observation_input *in);
/* The walk's record: placed at its school, walkers as coaches, the person
 * who set it up as person_id. */
record walk_record(place places[1], const walk *w);
/* A visit's record: the walk's place, the walkers as coaches, the
 * observer as person_id (o NULL: a visit about to be made by observer). */
record visit_record(place places[1], const walk *w, const observation *o, int64_t observer);
/* The district's walk settings' record (REC_WALK_SUMMARY at the district). */
record walk_settings_record(place places[1], int64_t district_id);
/* Counts the visits' ratings by indicator and level, and the look-fors. */
void walk_debrief_compute(arena *a, const rubric_version *v, const rubric_indicator *const *ind, size_t nind,
			  const observation *visits, size_t n, walk_debrief *out);
/* The plain sentence every walk and visit form shows about the setting. */
const char *walk_teacher_sentence(arena *a, const walk_settings *s);
bool walk_is_walker(const walk *w, int64_t person);
const obs_rating *observation_rating_of(const observation *o, int64_t indicator_id);
int64_t observation_look_for_count(const observation *o, int64_t look_for_id);

/* ---- storage (walk_store.c) ---- */
typedef struct walk_filter {
	int64_t school_id;     /* 0: any */
	const char *from, *to; /* YYYY-MM-DD or NULL */
} walk_filter;

/* Walks the visibility reaches, and those actor_id walks or set up,
 * newest first; each row is still checked with may(). */
store_rc walk_list(store *s, arena *a, const visibility *v, int64_t actor_id, const walk_filter *f,
		   walk **out, size_t *n);
/* One walk with its walkers, focus, visit count and district settings. */
store_rc walk_get(store *s, arena *a, int64_t id, walk *out, bool *found);
/* A new walk (w's place, version, day, purpose, created_by, walkers,
 * focus); *id the new one. */
store_rc walk_insert(store *s, arena *a, const walk *w, int64_t *id);
/* Day, purpose, walkers and focus of an existing walk; the day is copied
 * to its visits (and their kept counts moved with them). */
store_rc walk_update(store *s, arena *a, const walk *w);
store_rc walk_set_closed(store *s, arena *a, int64_t id, bool closed);
store_rc walk_set_debrief(store *s, arena *a, int64_t id, const char *debrief);
/* A walk's visits, or a cycle's observations, with ratings (codes too)
 * and look-fors, in the order they were made, numbered from 1. */
store_rc walk_visits(store *s, arena *a, int64_t walk_id, observation **out, size_t *n);
store_rc cycle_observations(store *s, arena *a, int64_t cycle_id, observation **out, size_t *n);
store_rc observation_get(store *s, arena *a, int64_t id, observation *out, bool *found);
/* Writes a new observation with its ratings and look-fors and adds it to
 * the kept counts (walk_tally_apply +1): inside the caller's transaction. */
store_rc observation_insert(store *s, arena *a, const observation *o, int64_t *id);
/* Rewrites observation o->id if it is still at version expected: takes it
 * out of the kept counts, writes, puts it back. *stale true (and nothing
 * written) when someone saved it since. */
store_rc observation_update(store *s, arena *a, const observation *o, int64_t expected, bool *stale);
/* Takes it out of the kept counts and removes it. */
store_rc observation_delete(store *s, arena *a, int64_t id);
store_rc walk_settings_get(store *s, arena *a, int64_t district_id, walk_settings *out, bool *found);
store_rc walk_settings_set(store *s, arena *a, const walk_settings *ws);
/* Who may walk at a school: active people with an active role at the
 * school or its district, and the coaches and staff of partners with an
 * open engagement with the district; by name. */
store_rc walk_walker_candidates(store *s, arena *a, int64_t district_id, int64_t school_id, walk_walker **out,
				size_t *n);
/* The school's active teachers, by name (teacher identification). */
store_rc walk_school_teachers(store *s, arena *a, int64_t school_id, walk_walker **out, size_t *n);

/* ---- changes (walk_change.c): may(), checks, one transaction, audit ---- */

/* The walk named by the route's {id}; 404 for one that does not exist and
 * one the asker may not read alike. */
bool walk_load(req *rq, resp *rs, walk *w);
/* Its visit named by {vid}; 404 otherwise. */
bool visit_load(req *rq, resp *rs, const walk *w, observation *o);
bool may_walk(const req *rq, action act, const walk *w);
bool may_visit(const req *rq, action act, const walk *w, const observation *o);
/* The rubric version a walk's or a visit's form uses; false on a store
 * failure. */
bool walk_rubric(req *rq, const walk *w, rubric_version *v);
void walk_create(req *rq, walk_input *in, outcome *out);
void walk_change(req *rq, const walk *w, walk_input *in, outcome *out);
void walk_close(req *rq, const walk *w, outcome *out);
void walk_debrief_save(req *rq, const walk *w, const char *text, outcome *out);
/* out->id: the new visit; 409 when the walk is closed. */
void visit_add(req *rq, const walk *w, observation_input *in, outcome *out);
/* 409 "conflict" naming who saved since in->version. */
void visit_save(req *rq, const walk *w, const observation *o, observation_input *in, outcome *out);
void visit_remove(req *rq, const walk *w, const observation *o, outcome *out);
/* Begins a change and writes o over old when old's version is still
 * expected; else answers 409 naming who saved it since ("this visit",
 * "this observation": what) and leaves nothing written. true with *rc the
 * write's result and the transaction open; false when out is answered. */
bool observation_update_fresh(req *rq, const observation *o, const observation *old, int64_t expected,
			      const char *what, store_rc *rc, outcome *out);
/* district org id; teacher_ids, min_cell as asked. */
void walk_settings_save(req *rq, int64_t district_id, bool teacher_ids, int64_t min_cell,
			bool min_cell_unreadable, outcome *out);

/* ---- the rating form (observation_form.c) ---- */
typedef struct observation_form {
	const char *action; /* where it posts */
	const rubric_version *v;
	const rubric_indicator *const *indicators;
	size_t nindicators;
	const observation_input *in; /* the values shown */
	bool grade_field;            /* walks: grade chips; cycles: no */
	bool date_field;             /* cycles: the lesson's day */
	const walk_walker *teachers; /* NULL: no teacher field */
	size_t nteachers;
	const char *submit;
	const form_errors *e;
} observation_form;

void observation_form_write(req *rq, buf *b, const observation_form *f);
/* The form's fields as an input; a "bump" (a − or + on a look-for) is
 * applied to the counts and reported in *bumped, so the page can be shown
 * again without saving. */
void observation_input_from_form(req *rq, const rubric_version *v, observation_input *in, bool *bumped);
/* The input that shows o as stored. */
observation_input observation_input_of(arena *a, const observation *o);
/* A read-only card of one observation's ratings, look-fors, evidence. */
void observation_card(req *rq, buf *b, const rubric_version *v, const observation *o, bool teacher_shown);
/* The debrief's charts and tables (a chart per indicator, a table
 * alternative, look-for totals). */
void walk_debrief_write(req *rq, buf *b, const rubric_version *v, const walk_debrief *d);

/* ---- JSON shared by the walk and cycle-observation APIs (walk_api.c) ---- */
struct json_t;
/* Reads {grade, start_time, minutes, ratings:[{code, value, evidence?}],
 * look_fors:[{id, count}], evidence, teacher_id?, observed_on?, version?}
 * into in; unknown members and wrong types are errors naming them. */
void observation_input_from_json(arena *a, struct json_t *o, observation_input *in, bool with_version,
				 bool with_day, form_errors *e);
/* An observation with ratings by code and look-for counts; the teacher
 * only when teacher_shown. */
struct json_t *observation_json(const observation *o, bool teacher_shown);

#endif
