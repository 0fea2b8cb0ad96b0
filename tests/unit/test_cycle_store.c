/* Unit tests for coaching cycles in the store and their checked changes:
 * starting individual and collaborative cycles, saving stages (with the
 * stale-version conflict), notes and tallies, closing, reopening and the
 * next cycle, shares, the list's filters and search (which never reaches
 * a stage a share holder cannot read), the order of stages, templates and
 * share candidates, what cycle_load answers and audits, and the counts
 * each cycle keeps for the leaders' report. Every case runs on a temporary
 * SQLite file and again on a database of its own made from $COACHD_TEST_PG
 * (required: missing it is a failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/actor.h"
#include "access/grants.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/util.h"
#include "cycle/cycle_web.h"
#include "store/store.h"
#include "web/change.h"
#include "testdb.h"

typedef struct fixture {
	store *s;
	arena *a; /* fresh for each test */
	testdb tdb;
	/* The world each test starts from (made again for every test). */
	int64_t district, school, other_school, partner;
	int64_t carmen;       /* coach in the district */
	int64_t cole;         /* another coach there */
	int64_t tom, grace;   /* teachers at the school, on the grade 3 team */
	int64_t priya;        /* principal of the school */
	int64_t dana;         /* district leader */
	int64_t olga;         /* teacher at the other school */
	int64_t zed;          /* deactivated teacher */
	int64_t team3, team4; /* grade 3 (tom, grace) and an empty grade 4 team */
	actor actors[16];     /* one per person asking, for the test's requests */
	size_t nactors;
} fixture;

#define F ((fixture *)*state)

/* ---- helpers ---- */

static int64_t add_org(fixture *f, const char *kind, const char *name, int64_t parent)
{
	return testdb_scalar(f->s, f->a,
			     "INSERT INTO org (kind, name, parent_id, created_at) VALUES ($1, $2, $3, 1) "
			     "RETURNING id",
			     ARGS(ARG_TEXT(kind), ARG_TEXT(name), parent ? ARG_INT(parent) : ARG_NULL));
}

static int64_t add_person(fixture *f, const char *name, int active)
{
	return testdb_scalar(f->s, f->a,
			     "INSERT INTO person (name, active, created_at) VALUES ($1, $2, 1) RETURNING id",
			     ARGS(ARG_TEXT(name), ARG_INT(active)));
}

static void add_role(fixture *f, int64_t person, int64_t org, const char *role_name)
{
	testdb_run(f->s, f->a, "INSERT INTO person_role (person_id, org_id, role) VALUES ($1, $2, $3)",
		   ARGS(ARG_INT(person), ARG_INT(org), ARG_TEXT(role_name)));
}

static int64_t add_team(fixture *f, const char *name, const char *grade)
{
	return testdb_scalar(f->s, f->a,
			     "INSERT INTO team (org_id, name, kind, grade, created_at) "
			     "VALUES ($1, $2, 'grade_level', $3, 1) RETURNING id",
			     ARGS(ARG_INT(f->school), ARG_TEXT(name), ARG_TEXT(grade)));
}

static void add_member(fixture *f, int64_t team_id, int64_t person)
{
	testdb_run(f->s, f->a, "INSERT INTO team_member (team_id, person_id) VALUES ($1, $2)",
		   ARGS(ARG_INT(team_id), ARG_INT(person)));
}

static int64_t count_audit(fixture *f, const char *what)
{
	return testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM audit WHERE action = $1",
			     ARGS(ARG_TEXT(what)));
}

/* A request by this person, with their grants loaded, under /api/. */
static req as(fixture *f, int64_t person)
{
	actor *who = NULL;
	for (size_t i = 0; i < f->nactors; i++)
		if (f->actors[i].person_id == person) who = &f->actors[i];
	if (!who) {
		assert_true(f->nactors < COUNT_OF(f->actors));
		who = &f->actors[f->nactors++];
		store_rows r = testdb_run(f->s, f->a, "SELECT name FROM person WHERE id = $1",
					  ARGS(ARG_INT(person)));
		*who = (actor){.person_id = person, .name = rows_get(&r, 0, 0)};
		assert_int_equal(actor_load_grants(f->s, f->a, who), STORE_OK);
	}
	return (req){.a = f->a,
		     .db = f->s,
		     .method = "POST",
		     .path = "/api/cycles",
		     .api = true,
		     .remote = "127.0.0.1",
		     .actor = who};
}

static void ok(const outcome *o)
{
	if (o->status)
		fail_msg("outcome %d %s: %s (%s)", o->status, o->code, o->message, o->field ? o->field : "-");
}

static int64_t start_with(fixture *f, int64_t coach, int64_t teacher, const char *title)
{
	req rq = as(f, coach);
	int64_t teachers[] = {teacher};
	cycle_input in = {.kind = CYCLE_INDIVIDUAL,
			  .title = title,
			  .school_id = f->school,
			  .teachers = teachers,
			  .nteachers = 1};
	outcome o;
	cycle_start(&rq, &in, &o);
	ok(&o);
	assert_true(o.id > 0);
	return o.id;
}

static coaching_cycle load(fixture *f, int64_t id)
{
	coaching_cycle c;
	bool found = false;
	assert_int_equal(cycle_get(f->s, f->a, id, &c, &found), STORE_OK);
	assert_true(found);
	return c;
}

/* The n-th stage of kind st (0: the first). */
static cycle_stage stage(fixture *f, int64_t cycle_id, stage_kind st, size_t nth)
{
	cycle_stage *all;
	size_t n;
	assert_int_equal(cycle_stages_get(f->s, f->a, cycle_id, &all, &n), STORE_OK);
	for (size_t i = 0; i < n; i++)
		if (all[i].stage == st && nth-- == 0) return all[i];
	fail_msg("no %s stage", stage_name(st));
	return all[0];
}

static outcome save(fixture *f, int64_t person, int64_t cycle_id, stage_kind st, int64_t version,
		    bool complete, cycle_answer *answers, size_t n)
{
	req rq = as(f, person);
	coaching_cycle c = load(f, cycle_id);
	cycle_stage s = stage(f, cycle_id, st, 0);
	stage_input in = {.stage_id = s.id,
			  .version = version,
			  .complete = complete,
			  .answers = answers,
			  .nanswers = n};
	outcome o;
	cycle_stage_save(&rq, &c, &s, &in, &o);
	return o;
}

static cycle_answer *answers1(fixture *f, const char *key, const char *value)
{
	cycle_answer *a = arena_calloc(f->a, 1, sizeof *a);
	*a = (cycle_answer){key, value};
	return a;
}

static void complete(fixture *f, int64_t person, int64_t cycle_id, stage_kind st)
{
	cycle_stage s = stage(f, cycle_id, st, 0);
	outcome o = save(f, person, cycle_id, st, s.version, true, NULL, 0);
	ok(&o);
}

static void save_ok(fixture *f, int64_t person, int64_t cycle_id, stage_kind st, int64_t version, bool done,
		    const char *key, const char *value)
{
	outcome o = save(f, person, cycle_id, st, version, done, answers1(f, key, value), 1);
	ok(&o);
}

static size_t list_count(fixture *f, int64_t person, const cycle_filter *flt)
{
	coaching_cycle *c;
	size_t n;
	assert_int_equal(cycle_list(f->s, f->a, person, flt, &c, &n), STORE_OK);
	return n;
}

static size_t search(fixture *f, int64_t person, const char *q)
{
	cycle_filter flt = {.state = -1, .q = q};
	return list_count(f, person, &flt);
}

static void share(fixture *f, int64_t teacher, int64_t cycle_id, int64_t person, int st, outcome *o)
{
	req rq = as(f, teacher);
	coaching_cycle c = load(f, cycle_id);
	cycle_share_add(&rq, &c, person, st, o);
}

/* ---- starting ---- */

static void test_start_individual(void **state)
{
	fixture *f = F;
	int64_t id = start_with(f, f->carmen, f->tom, NULL);
	coaching_cycle c = load(f, id);
	assert_int_equal(c.kind, CYCLE_INDIVIDUAL);
	assert_int_equal(c.state, CYCLE_PLANNING);
	assert_string_equal(c.title, "Coaching cycle with Tom Becker");
	assert_int_equal(c.district_id, f->district);
	assert_string_equal(c.school_name, "Meadowbrook Elementary");
	assert_int_equal(c.nmembers, 2);
	assert_int_equal(c.ncoaches, 1);
	assert_int_equal(c.coaches[0], f->carmen);
	assert_int_equal(c.nteachers, 1);
	assert_int_equal(c.teachers[0], f->tom);
	assert_int_equal(c.created_by, f->carmen);
	assert_non_null(c.started_on);

	cycle_stage *st;
	size_t n;
	assert_int_equal(cycle_stages_get(f->s, f->a, id, &st, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(st[0].stage, STAGE_PLAN);
	assert_int_equal(st[1].stage, STAGE_ENACT);
	assert_int_equal(st[1].teacher_id, f->tom);
	assert_int_equal(st[2].stage, STAGE_REFLECT);
	assert_int_equal(st[0].version, 0);

	cycle_event *ev;
	assert_int_equal(cycle_history_get(f->s, f->a, id, &ev, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].what, "start");
	assert_int_equal(ev[0].person_id, f->carmen);
	assert_int_equal(count_audit(f, "coaching.cycle.start"), 1);
	/* The audit entry carries ids, never a name or the title. */
	store_rows r = testdb_run(
		f->s, f->a, "SELECT detail, district_id FROM audit WHERE action = 'coaching.cycle.start'",
		NOARGS);
	assert_null(strstr(rows_get(&r, 0, 0), "Becker"));
	assert_int_equal(rows_int(&r, 0, 1), f->district);
}

static void test_start_refusals(void **state)
{
	fixture *f = F;
	int64_t teachers[] = {f->tom};
	cycle_input in = {
		.kind = CYCLE_INDIVIDUAL, .school_id = f->school, .teachers = teachers, .nteachers = 1};
	outcome o;
	req teacher = as(f, f->tom);
	cycle_start(&teacher, &in, &o);
	assert_int_equal(o.status, 403);

	req coach = as(f, f->carmen);
	int64_t self[] = {f->carmen};
	in.teachers = self;
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "teachers");

	int64_t elsewhere[] = {f->olga}; /* a teacher of another school */
	in.teachers = elsewhere;
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "teachers");

	int64_t gone[] = {f->zed};
	in.teachers = gone;
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 400);

	in.teachers = teachers;
	in.nteachers = 0;
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "teachers");

	in.nteachers = 1;
	int64_t not_a_coach[] = {f->grace};
	in.coaches = not_a_coach;
	in.ncoaches = 1;
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 422); /* someone who may not coach here */
	assert_string_equal(o.field, "coaches");

	in.ncoaches = 0;
	in.school_id = f->district; /* a district is not a school */
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "school_id");

	in.school_id = f->school;
	in.template_id = 999999;
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "template_id");

	in.template_id = 0;
	in.grade = "purple";
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "grade");

	in.grade = NULL;
	char long_title[CYCLE_TITLE_MAX + 2];
	memset(long_title, 'x', sizeof long_title - 1);
	long_title[sizeof long_title - 1] = 0;
	in.title = long_title;
	cycle_start(&coach, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "title");

	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM coaching_cycle", NOARGS), 0);
	assert_int_equal(count_audit(f, "coaching.cycle.start"), 0);
}

static void test_start_collaborative(void **state)
{
	fixture *f = F;
	req rq = as(f, f->carmen);
	int64_t coaches[] = {f->cole};
	cycle_input in = {.kind = CYCLE_COLLABORATIVE,
			  .school_id = f->school,
			  .team_id = f->team3,
			  .coaches = coaches,
			  .ncoaches = 1};
	outcome o;
	cycle_start(&rq, &in, &o);
	ok(&o);
	coaching_cycle c = load(f, o.id);
	assert_int_equal(c.kind, CYCLE_COLLABORATIVE);
	assert_string_equal(c.title, "Grade 3 team collaborative cycle");
	assert_string_equal(c.grade, "3");
	assert_int_equal(c.team_id, f->team3);
	assert_string_equal(c.team_name, "Grade 3 team");
	assert_int_equal(c.ncoaches, 2);
	assert_int_equal(c.nteachers, 2);

	/* One enactment per teacher, by the teacher's name. */
	cycle_stage *st;
	size_t n;
	assert_int_equal(cycle_stages_get(f->s, f->a, o.id, &st, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_int_equal(st[0].stage, STAGE_PLAN);
	assert_string_equal(st[1].teacher_name, "Grace Liu");
	assert_string_equal(st[2].teacher_name, "Tom Becker");
	assert_int_equal(st[3].stage, STAGE_REFLECT);

	in.team_id = f->team4; /* no members */
	cycle_start(&rq, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "team_id");
	in.team_id = 0;
	cycle_start(&rq, &in, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "team_id");
}

/* ---- saving stages ---- */

static void test_stage_save_and_conflict(void **state)
{
	fixture *f = F;
	int64_t id = start_with(f, f->carmen, f->tom, "Fractions");
	cycle_answer plan[] = {{"goal", "Fractions as numbers on a line"},
			       {"focus", "mp3, tp4"},
			       {"lesson_on", "2030-01-15"},
			       {"minutes", "30"}};
	outcome o = save(f, f->carmen, id, STAGE_PLAN, 0, false, plan, COUNT_OF(plan));
	ok(&o);
	cycle_stage s = stage(f, id, STAGE_PLAN, 0);
	assert_int_equal(s.version, 1);
	assert_int_equal(s.updated_by, f->carmen);
	assert_int_equal(s.minutes, 30);
	assert_string_equal(stage_answer(&s, "goal"), "Fractions as numbers on a line");
	assert_string_equal(stage_answer(&s, "focus"), "MP3 TP4");
	assert_false(s.complete);
	coaching_cycle c = load(f, id);
	assert_string_equal(c.lesson_on, "2030-01-15");
	assert_int_equal(
		testdb_scalar(
			f->s, f->a,
			"SELECT COUNT(*) FROM cycle_focus WHERE cycle_id = $1 AND code IN ('MP3', 'TP4')",
			ARGS(ARG_INT(id))),
		2);

	/* Tom's editor read version 0: his save is refused, naming Carmen. */
	cycle_answer late[] = {{"goal", "Something else"}};
	o = save(f, f->tom, id, STAGE_PLAN, 0, false, late, 1);
	assert_int_equal(o.status, 409);
	assert_string_equal(o.code, "conflict");
	assert_non_null(strstr(o.message, "Carmen Ortiz saved this stage at"));
	s = stage(f, id, STAGE_PLAN, 0);
	assert_int_equal(s.version, 1);
	assert_string_equal(stage_answer(&s, "goal"), "Fractions as numbers on a line");

	/* With the version read, only the keys given change; "" removes one. */
	cycle_answer next[] = {{"goal", ""}, {"focus", "MP1"}};
	o = save(f, f->tom, id, STAGE_PLAN, 1, false, next, COUNT_OF(next));
	ok(&o);
	s = stage(f, id, STAGE_PLAN, 0);
	assert_null(stage_answer(&s, "goal"));
	assert_string_equal(stage_answer(&s, "lesson_on"), "2030-01-15");
	assert_int_equal(testdb_scalar(f->s, f->a, "SELECT COUNT(*) FROM cycle_focus WHERE cycle_id = $1",
				       ARGS(ARG_INT(id))),
			 1);

	/* Answers are checked against the template. */
	o = save(f, f->tom, id, STAGE_PLAN, 2, false, answers1(f, "nonsense", "x"), 1);
	assert_int_equal(o.status, 400);
	o = save(f, f->tom, id, STAGE_PLAN, 2, false, answers1(f, "focus", "MP9"), 1);
	assert_int_equal(o.status, 400);

	/* Stages complete in order; the state follows. */
	o = save(f, f->tom, id, STAGE_REFLECT, 0, true, NULL, 0);
	assert_int_equal(o.status, 409);
	assert_string_equal(o.code, "not_ready");
	o = save(f, f->tom, id, STAGE_ENACT, 0, true, NULL, 0);
	assert_int_equal(o.status, 409);
	complete(f, f->carmen, id, STAGE_PLAN);
	assert_int_equal(load(f, id).state, CYCLE_PLANNING);
	complete(f, f->carmen, id, STAGE_ENACT);
	assert_int_equal(load(f, id).state, CYCLE_ENACTED);
	complete(f, f->tom, id, STAGE_REFLECT);
	assert_int_equal(load(f, id).state, CYCLE_REFLECTED);
	assert_true(stage(f, id, STAGE_REFLECT, 0).complete);

	cycle_event *ev;
	size_t n;
	assert_int_equal(cycle_history_get(f->s, f->a, id, &ev, &n), STORE_OK);
	assert_int_equal(n, 6);
	assert_string_equal(ev[1].what, "plan.save");
	assert_string_equal(ev[1].detail, "goal,focus,lesson_on,minutes");
	assert_string_equal(ev[2].detail, "goal,focus");
	assert_string_equal(ev[3].what, "plan.complete");
	assert_string_equal(ev[5].what, "reflect.complete");

	/* A stage of another cycle is not one of this cycle's. */
	int64_t other = start_with(f, f->carmen, f->grace, "Other");
	req carmen = as(f, f->carmen);
	c = load(f, id);
	cycle_stage theirs = stage(f, other, STAGE_PLAN, 0);
	stage_input in = {.stage_id = theirs.id, .version = theirs.version};
	cycle_stage_save(&carmen, &c, &theirs, &in, &o);
	assert_int_equal(o.status, 404);

	/* Not a member: refused. */
	o = save(f, f->priya, id, STAGE_PLAN, 3, false, NULL, 0);
	assert_int_equal(o.status, 403);
	/* Saves record no audit entries: the history is their record. */
	assert_int_equal(testdb_scalar(f->s, f->a,
				       "SELECT COUNT(*) FROM audit WHERE action LIKE 'coaching.%' "
				       "AND action <> 'coaching.cycle.start'",
				       NOARGS),
			 0);
}

/* ---- notes and tallies ---- */

static void test_notes_and_tallies(void **state)
{
	fixture *f = F;
	int64_t id = start_with(f, f->carmen, f->tom, "Notes");
	coaching_cycle c = load(f, id);
	cycle_stage enact = stage(f, id, STAGE_ENACT, 0);
	cycle_stage plan = stage(f, id, STAGE_PLAN, 0);
	req rq = as(f, f->carmen);
	outcome o;
	int64_t now = now_unix();
	cycle_note_add(&rq, &c, &enact, "question", "Why does 3/4 sit past 1/2?", now - 60, &o);
	ok(&o);
	int64_t first = o.id;
	cycle_note_add(&rq, &c, &enact, "misconception", "", 0, &o);
	ok(&o);
	cycle_note_add(&rq, &c, &enact, NULL, "An early one", now - 3600, &o);
	ok(&o);
	cycle_note_add(&rq, &c, &enact, "", "", 0, &o);
	assert_int_equal(o.status, 400);
	cycle_note_add(&rq, &c, &enact, "gossip", "x", 0, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "tag");
	cycle_note_add(&rq, &c, &enact, NULL, "old", now - 8 * 86400, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "taken_at");
	cycle_note_add(&rq, &c, &enact, NULL, "ahead", now + 3600, &o);
	assert_int_equal(o.status, 400);
	cycle_note_add(&rq, &c, &plan, NULL, "plan", 0, &o);
	assert_int_equal(o.status, 404);
	req outsider = as(f, f->priya);
	cycle_note_add(&outsider, &c, &enact, NULL, "x", 0, &o);
	assert_int_equal(o.status, 403);

	cycle_note *notes;
	size_t n;
	assert_int_equal(cycle_notes_get(f->s, f->a, enact.id, &notes, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(notes[0].body, "An early one");
	assert_null(notes[0].tag);
	assert_string_equal(notes[1].tag, "question");
	assert_string_equal(notes[1].author_name, "Carmen Ortiz");
	/* The hot write leaves no history line. */
	cycle_event *ev;
	assert_int_equal(cycle_history_get(f->s, f->a, id, &ev, &n), STORE_OK);
	assert_int_equal(n, 1);

	/* Tom may not remove Carmen's note; she may. */
	req tom = as(f, f->tom);
	cycle_note_remove(&tom, &c, first, &o);
	assert_int_equal(o.status, 403);
	cycle_note_remove(&rq, &c, first, &o);
	ok(&o);
	cycle_note_remove(&rq, &c, first, &o);
	assert_int_equal(o.status, 404);

	/* Tallies: only those the plan asks for, never below zero. */
	cycle_tally_bump(&rq, &c, &enact, "Students who explained", 1, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "label");
	save_ok(f, f->carmen, id, STAGE_PLAN, 0, false, "tallies", "Students who explained\nQuestions asked");
	cycle_tally_bump(&rq, &c, &enact, "Students who explained", 1, &o);
	ok(&o);
	cycle_tally_bump(&tom, &c, &enact, "Students who explained", 1, &o);
	ok(&o);
	cycle_tally_bump(&rq, &c, &enact, "Questions asked", -1, &o);
	ok(&o);
	cycle_tally_bump(&rq, &c, &enact, "Questions asked", 2, &o);
	assert_int_equal(o.status, 400);
	cycle_tally *t;
	assert_int_equal(cycle_tallies_get(f->s, f->a, enact.id, &t, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].label, "Questions asked");
	assert_int_equal(t[0].count, 0);
	assert_string_equal(t[1].label, "Students who explained");
	assert_int_equal(t[1].count, 2);
}

/* ---- close, reopen, next, session ---- */

static void test_close_reopen_next(void **state)
{
	fixture *f = F;
	int64_t id = start_with(f, f->carmen, f->tom, "First");
	req coach = as(f, f->carmen), teacher = as(f, f->tom);
	coaching_cycle c = load(f, id);
	outcome o;
	cycle_close(&teacher, &c, &o);
	assert_int_equal(o.status, 403);
	cycle_next(&coach, &c, &o);
	assert_int_equal(o.status, 409);
	assert_string_equal(o.code, "not_ready");

	cycle_close(&coach, &c, &o);
	ok(&o);
	c = load(f, id);
	assert_int_equal(c.state, CYCLE_CLOSED);
	assert_true(c.closed_at > 0);
	o = save(f, f->tom, id, STAGE_PLAN, 0, false, answers1(f, "goal", "x"), 1);
	assert_int_equal(o.status, 409);
	assert_string_equal(o.code, "closed");
	cycle_close(&coach, &c, &o);
	assert_int_equal(o.status, 409);
	cycle_reopen(&coach, &c, &o);
	ok(&o);
	c = load(f, id);
	assert_int_equal(c.state, CYCLE_PLANNING);
	assert_int_equal(c.closed_at, 0);

	complete(f, f->carmen, id, STAGE_PLAN);
	complete(f, f->carmen, id, STAGE_ENACT);
	save_ok(f, f->tom, id, STAGE_REFLECT, 0, true, "next_steps", "Number talks on equivalence");
	c = load(f, id);
	assert_int_equal(c.state, CYCLE_REFLECTED);
	cycle_next(&teacher, &c, &o);
	assert_int_equal(o.status, 403);
	cycle_next(&coach, &c, &o);
	ok(&o);
	int64_t next = o.id;
	coaching_cycle nc = load(f, next);
	assert_int_equal(nc.previous_id, id);
	assert_string_equal(nc.title, "First (next)");
	assert_int_equal(nc.nteachers, 1);
	assert_int_equal(nc.teachers[0], f->tom);
	cycle_stage plan = stage(f, next, STAGE_PLAN, 0);
	assert_int_equal(plan.version, 1);
	assert_string_equal(stage_answer(&plan, "goal"), "Number talks on equivalence");
	assert_int_equal(stage(f, next, STAGE_ENACT, 0).teacher_id, f->tom);
	c = load(f, id);
	assert_int_equal(c.next_id, next);
	cycle_next(&coach, &c, &o);
	assert_int_equal(o.status, 409);

	cycle_event *ev;
	size_t n;
	assert_int_equal(cycle_history_get(f->s, f->a, id, &ev, &n), STORE_OK);
	assert_string_equal(ev[n - 1].what, "next");
	assert_string_equal(ev[1].what, "close");
	assert_string_equal(ev[2].what, "reopen");

	/* A session the coach cannot see is refused; 0 unlinks. */
	cycle_link_session(&coach, &c, 424242, &o);
	assert_int_equal(o.status, 400);
	assert_string_equal(o.field, "session_id");
	cycle_link_session(&teacher, &c, 0, &o);
	assert_int_equal(o.status, 403);
	cycle_link_session(&coach, &c, 0, &o);
	ok(&o);
}

/* ---- what the leaders' report counts ---- */

/* The totals and copies each cycle keeps (cycle_counts_keep) agree with a
 * count from its stages and its own row. */
static void assert_counts_kept(fixture *f, int64_t id)
{
	static const char totals[] =
		"SELECT COUNT(*) FROM coaching_cycle c WHERE c.id = $1 "
		"AND c.held_day = CAST(replace(COALESCE(c.lesson_on, c.started_on), '-', '') AS BIGINT) "
		"AND c.held_month = c.held_day / 100 "
		"AND c.plans_done = (SELECT COUNT(*) FROM cycle_stage s WHERE s.cycle_id = c.id "
		" AND s.stage = 'plan' AND s.complete = 1) "
		"AND c.enactments_done = (SELECT COUNT(*) FROM cycle_stage s WHERE s.cycle_id = c.id "
		" AND s.stage = 'enact' AND s.complete = 1) "
		"AND c.reflections_done = (SELECT COUNT(*) FROM cycle_stage s WHERE s.cycle_id = c.id "
		" AND s.stage = 'reflect' AND s.complete = 1) "
		"AND c.minutes = (SELECT COALESCE(SUM(s.minutes), 0) FROM cycle_stage s WHERE s.cycle_id = "
		"c.id)";
	assert_int_equal(testdb_scalar(f->s, f->a, totals, ARGS(ARG_INT(id))), 1);
	static const char stale_members[] =
		"SELECT COUNT(*) FROM cycle_member m JOIN coaching_cycle c ON c.id = m.cycle_id "
		"WHERE m.cycle_id = $1 AND (m.district_id <> c.district_id OR m.school_id <> c.school_id "
		"OR m.grade <> c.grade OR m.held_day <> c.held_day OR m.held_day IS NULL)";
	assert_int_equal(testdb_scalar(f->s, f->a, stale_members, ARGS(ARG_INT(id))), 0);
	static const char stale_focus[] =
		"SELECT COUNT(*) FROM cycle_focus x JOIN coaching_cycle c ON c.id = x.cycle_id "
		"WHERE x.cycle_id = $1 AND (x.district_id <> c.district_id OR x.school_id <> c.school_id "
		"OR x.held_day <> c.held_day OR x.held_day IS NULL)";
	assert_int_equal(testdb_scalar(f->s, f->a, stale_focus, ARGS(ARG_INT(id))), 0);
}

static int64_t cycle_value(fixture *f, const char *column_sql, int64_t id)
{
	return testdb_scalar(f->s, f->a, column_sql, ARGS(ARG_INT(id)));
}

static void test_counts_kept(void **state)
{
	fixture *f = F;
	int64_t id = start_with(f, f->carmen, f->tom, "Counted");
	assert_counts_kept(f, id);
	assert_int_equal(cycle_value(f,
				     "SELECT plans_done + enactments_done + reflections_done + minutes "
				     "FROM coaching_cycle WHERE id = $1",
				     id),
			 0);

	/* The lesson's day moves the cycle to its month, focus rows included. */
	cycle_answer plan[] = {{"focus", "MP3 TP4"}, {"lesson_on", "2030-01-15"}, {"minutes", "30"}};
	outcome o = save(f, f->carmen, id, STAGE_PLAN, 0, false, plan, COUNT_OF(plan));
	ok(&o);
	assert_counts_kept(f, id);
	assert_int_equal(cycle_value(f, "SELECT held_day FROM coaching_cycle WHERE id = $1", id), 20300115);
	assert_int_equal(cycle_value(f, "SELECT held_month FROM coaching_cycle WHERE id = $1", id), 203001);
	assert_int_equal(cycle_value(f, "SELECT minutes FROM coaching_cycle WHERE id = $1", id), 30);
	assert_int_equal(cycle_value(f,
				     "SELECT COUNT(*) FROM cycle_focus WHERE cycle_id = $1 "
				     "AND held_day = 20300115",
				     id),
			 2);

	/* Completions count; a refused save changes nothing. */
	complete(f, f->carmen, id, STAGE_PLAN);
	o = save(f, f->tom, id, STAGE_REFLECT, 0, true, NULL, 0);
	assert_int_equal(o.status, 409);
	assert_int_equal(cycle_value(f,
				     "SELECT plans_done * 100 + reflections_done FROM coaching_cycle "
				     "WHERE id = $1",
				     id),
			 100);
	save_ok(f, f->carmen, id, STAGE_ENACT, 0, true, "minutes", "45");
	save_ok(f, f->tom, id, STAGE_REFLECT, 0, true, "minutes", "20");
	assert_counts_kept(f, id);
	assert_int_equal(cycle_value(f,
				     "SELECT plans_done * 100 + enactments_done * 10 + reflections_done "
				     "FROM coaching_cycle WHERE id = $1",
				     id),
			 111);
	assert_int_equal(cycle_value(f, "SELECT minutes FROM coaching_cycle WHERE id = $1", id), 95);

	/* Without a lesson the cycle counts on its start again. */
	o = save(f, f->carmen, id, STAGE_PLAN, 2, false, answers1(f, "lesson_on", ""), 1);
	ok(&o);
	assert_counts_kept(f, id);

	/* A collaborative cycle's teachers carry its place and grade; so does
	 * the next cycle's. */
	req rq = as(f, f->carmen);
	cycle_input in = {.kind = CYCLE_COLLABORATIVE, .school_id = f->school, .team_id = f->team3};
	cycle_start(&rq, &in, &o);
	ok(&o);
	assert_counts_kept(f, o.id);
	assert_int_equal(cycle_value(f,
				     "SELECT COUNT(*) FROM cycle_member WHERE cycle_id = $1 "
				     "AND member_role = 'teacher' AND grade = '3' AND school_id IS NOT NULL",
				     o.id),
			 2);
	coaching_cycle c = load(f, id);
	cycle_next(&rq, &c, &o);
	ok(&o);
	assert_counts_kept(f, o.id);
}

/* ---- shares, the list and its search ---- */

static void test_shares_and_search(void **state)
{
	fixture *f = F;
	int64_t id = start_with(f, f->carmen, f->tom, "Becker fractions");
	save_ok(f, f->carmen, id, STAGE_PLAN, 0, false, "goal", "Place fractions on a number line");
	save_ok(f, f->tom, id, STAGE_REFLECT, 0, false, "worked", "Revisiting equivalence worked");

	cycle_member *cand;
	size_t n;
	coaching_cycle c = load(f, id);
	assert_int_equal(cycle_share_candidates(f->s, f->a, &c, &cand, &n), STORE_OK);
	/* Not its members, not another school's teacher, not the deactivated. */
	assert_int_equal(n, 4);
	assert_string_equal(cand[0].name, "Cole Brandt");
	assert_string_equal(cand[1].name, "Dana Whitfield");
	assert_string_equal(cand[2].name, "Grace Liu");
	assert_string_equal(cand[3].name, "Priya Raman");

	outcome o;
	share(f, f->carmen, id, f->priya, STAGE_PLAN, &o);
	assert_int_equal(o.status, 403);
	assert_string_equal(o.message, "Only the teacher shares their coaching.");
	share(f, f->tom, id, f->olga, -1, &o);
	assert_int_equal(o.status, 400);
	share(f, f->tom, id, f->priya, 7, &o);
	assert_int_equal(o.status, 400);
	assert_int_equal(search(f, f->priya, NULL), 0);

	share(f, f->tom, id, f->priya, STAGE_PLAN, &o);
	ok(&o);
	int64_t share_id = o.id;
	share(f, f->tom, id, f->priya, STAGE_PLAN, &o);
	assert_int_equal(o.status, 409);
	assert_string_equal(o.code, "already_shared");
	assert_int_equal(count_audit(f, "coaching.share"), 1);
	store_rows r =
		testdb_run(f->s, f->a, "SELECT detail FROM audit WHERE action = 'coaching.share'", NOARGS);
	char want[64];
	snprintf(want, sizeof want, "person %lld, stage plan", (long long)f->priya);
	assert_string_equal(rows_get(&r, 0, 0), want);

	/* Priya's list has it, and may() agrees with the row. */
	coaching_cycle *list;
	cycle_filter all = {.state = -1};
	assert_int_equal(cycle_list(f->s, f->a, f->priya, &all, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].nshares, 1);
	assert_int_equal(list[0].nmembers, 2);
	req priya = as(f, f->priya);
	assert_true(may_cycle(&priya, ACT_READ, &list[0]));
	assert_false(may_cycle(&priya, ACT_UPDATE, &list[0]));

	/* The search reaches the title and the plan she holds, never the
	 * reflection; the members' search reaches everything. */
	assert_int_equal(search(f, f->priya, "BECKER"), 1);
	assert_int_equal(search(f, f->priya, "number"), 1);
	assert_int_equal(search(f, f->priya, "equivalence"), 0);
	assert_int_equal(search(f, f->priya, "number equivalence"), 0);
	assert_int_equal(search(f, f->priya, "line  number"), 1);
	assert_int_equal(search(f, f->tom, "equivalence"), 1);
	assert_int_equal(search(f, f->carmen, "number equivalence"), 1);
	assert_int_equal(search(f, f->tom, "100%"), 0);
	assert_int_equal(search(f, f->dana, "number"), 0);

	/* A whole share opens every stage to the search. */
	share(f, f->tom, id, f->dana, -1, &o);
	ok(&o);
	assert_int_equal(search(f, f->dana, "equivalence"), 1);

	/* Revoked: gone from her list; a second revoke finds nothing. */
	req tom = as(f, f->tom), carmen = as(f, f->carmen);
	c = load(f, id);
	cycle_share_revoke(&carmen, &c, share_id, &o);
	assert_int_equal(o.status, 403);
	cycle_share_revoke(&tom, &c, share_id, &o);
	ok(&o);
	assert_int_equal(search(f, f->priya, NULL), 0);
	c = load(f, id);
	cycle_share_revoke(&tom, &c, share_id, &o);
	assert_int_equal(o.status, 404);
	assert_int_equal(count_audit(f, "coaching.unshare"), 1);
	c = load(f, id);
	assert_int_equal(c.nshares, 1);
	assert_int_equal(c.shared_with[0], f->dana);
}

static void test_list_filters_and_order(void **state)
{
	fixture *f = F;
	int64_t first = start_with(f, f->carmen, f->tom, "Tom's cycle");
	req rq = as(f, f->carmen);
	int64_t teachers[] = {f->grace}, coaches[] = {f->cole};
	cycle_input in = {.kind = CYCLE_INDIVIDUAL,
			  .title = "Grace's cycle",
			  .school_id = f->school,
			  .teachers = teachers,
			  .nteachers = 1,
			  .coaches = coaches,
			  .ncoaches = 1};
	outcome o;
	cycle_start(&rq, &in, &o);
	ok(&o);
	int64_t second = o.id;

	coaching_cycle *list;
	size_t n;
	cycle_filter all = {.state = -1};
	assert_int_equal(cycle_list(f->s, f->a, f->carmen, &all, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].id, second); /* same day: the newer first */
	/* A lesson date sorts a cycle by the lesson. */
	save_ok(f, f->carmen, first, STAGE_PLAN, 0, false, "lesson_on", "2031-03-01");
	assert_int_equal(cycle_list(f->s, f->a, f->carmen, &all, &list, &n), STORE_OK);
	assert_int_equal(list[0].id, first);
	assert_int_equal(list[1].nmembers, 3);
	assert_int_equal(list[1].ncoaches, 2);

	cycle_filter by_teacher = {.state = -1, .teacher_id = f->grace};
	assert_int_equal(cycle_list(f->s, f->a, f->carmen, &by_teacher, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, second);
	cycle_filter by_coach = {.state = -1, .coach_id = f->cole};
	assert_int_equal(list_count(f, f->carmen, &by_coach), 1);
	cycle_filter coach_as_teacher = {.state = -1, .teacher_id = f->cole};
	assert_int_equal(list_count(f, f->carmen, &coach_as_teacher), 0);
	assert_int_equal(list_count(f, f->cole, &all), 1);
	assert_int_equal(list_count(f, f->tom, &all), 1);
	assert_int_equal(list_count(f, f->dana, &all), 0);

	coaching_cycle c = load(f, second);
	cycle_close(&rq, &c, &o);
	ok(&o);
	cycle_filter closed = {.state = CYCLE_CLOSED};
	assert_int_equal(cycle_list(f->s, f->a, f->carmen, &closed, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, second);
	cycle_filter planning = {.state = CYCLE_PLANNING};
	assert_int_equal(list_count(f, f->carmen, &planning), 1);
}

/* ---- templates ---- */

static cycle_template template_of(fixture *f, const char *name, bool with_focus)
{
	cycle_prompt *p = arena_calloc(f->a, 6, sizeof *p);
	size_t n = 0;
	if (with_focus) p[n++] = (cycle_prompt){STAGE_PLAN, "focus", "Practice we work on", NULL};
	p[n++] = (cycle_prompt){STAGE_PLAN, "goal", "Goal", "The big idea"};
	p[n++] = (cycle_prompt){STAGE_PLAN, "warmup", "Warm-up routine", ""};
	p[n++] = (cycle_prompt){STAGE_ENACT, "summary", "What we saw", NULL};
	p[n++] = (cycle_prompt){STAGE_REFLECT, "next_steps", "Next", NULL};
	return (cycle_template){
		.org_id = f->district, .name = name, .active = true, .prompts = p, .nprompts = n};
}

static void test_template_round_trip(void **state)
{
	fixture *f = F;
	cycle_template t = template_of(f, "Prairie Glen protocol", true);
	outcome o;
	req teacher = as(f, f->tom);
	cycle_template_save(&teacher, &t, &o);
	assert_int_equal(o.status, 403);
	req lead = as(f, f->dana);
	cycle_template bad = template_of(f, "No focus", false);
	cycle_template_save(&lead, &bad, &o);
	assert_int_equal(o.status, 400);
	cycle_template_save(&lead, &t, &o);
	ok(&o);
	int64_t id = o.id;
	assert_int_equal(count_audit(f, "cycle_template.save"), 1);

	cycle_template got;
	bool found = false;
	assert_int_equal(cycle_template_get(f->s, f->a, id, &got, &found), STORE_OK);
	assert_true(found);
	assert_string_equal(got.name, "Prairie Glen protocol");
	assert_string_equal(got.org_name, "Prairie Glen");
	assert_true(got.active);
	assert_int_equal(got.nprompts, 5);
	assert_int_equal(got.prompts[0].stage, STAGE_PLAN);
	assert_string_equal(got.prompts[0].key, "focus");
	assert_string_equal(got.prompts[1].help, "The big idea");
	assert_string_equal(got.prompts[2].key, "warmup");
	assert_null(got.prompts[2].help);
	assert_int_equal(got.prompts[3].stage, STAGE_ENACT);
	assert_int_equal(got.prompts[4].stage, STAGE_REFLECT);

	/* A cycle on it answers its own questions. */
	req coach = as(f, f->carmen);
	int64_t teachers[] = {f->tom};
	cycle_input in = {.kind = CYCLE_INDIVIDUAL,
			  .school_id = f->school,
			  .teachers = teachers,
			  .nteachers = 1,
			  .template_id = id};
	cycle_start(&coach, &in, &o);
	ok(&o);
	int64_t cycle_id = o.id;
	assert_int_equal(load(f, cycle_id).template_id, id);
	save_ok(f, f->carmen, cycle_id, STAGE_PLAN, 0, false, "warmup", "Choral counting");
	assert_int_equal(save(f, f->carmen, cycle_id, STAGE_PLAN, 1, false,
			      answers1(f, "task", "Not in this template"), 1)
				 .status,
			 400);

	/* An edit replaces the prompts. */
	got.name = "Prairie Glen protocol, v2";
	got.nprompts = 4;
	got.prompts[2] = got.prompts[3];
	got.prompts[3] = got.prompts[4];
	cycle_template_save(&lead, &got, &o);
	ok(&o);
	assert_int_equal(cycle_template_get(f->s, f->a, id, &got, &found), STORE_OK);
	assert_int_equal(got.nprompts, 4);
	assert_string_equal(got.name, "Prairie Glen protocol, v2");

	/* Lists: active templates of the orgs asked about, by name. */
	cycle_template t2 = template_of(f, "A first protocol", true);
	cycle_template_save(&lead, &t2, &o);
	ok(&o);
	cycle_template *list;
	size_t n;
	int64_t orgs[] = {f->district, f->partner};
	assert_int_equal(cycle_template_list(f->s, f->a, orgs, 2, false, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "A first protocol");
	int64_t partner_only[] = {f->partner};
	assert_int_equal(cycle_template_list(f->s, f->a, partner_only, 1, false, &list, &n), STORE_OK);
	assert_int_equal(n, 0);
	/* More orgs than one statement takes. */
	int64_t many[10] = {0, 0, 0, 0, 0, 0, 0, 0, f->district, 0};
	assert_int_equal(cycle_template_list(f->s, f->a, many, 10, false, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "A first protocol");

	/* Retired: gone from the list coaches choose from, still listed for
	 * those who may bring it back. */
	t2.id = o.id;
	t2.active = false;
	cycle_template_save(&lead, &t2, &o);
	ok(&o);
	assert_int_equal(cycle_template_list(f->s, f->a, orgs, 2, false, &list, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Prairie Glen protocol, v2");
	assert_int_equal(cycle_template_list(f->s, f->a, orgs, 2, true, &list, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "A first protocol");
	assert_false(list[0].active);
	assert_true(list[1].active);

	/* Id 0 is the built-in default. */
	assert_int_equal(cycle_template_get(f->s, f->a, 0, &got, &found), STORE_OK);
	assert_true(found);
	assert_int_equal(got.id, 0);
	assert_true(got.nprompts > 10);
	assert_int_equal(cycle_template_get(f->s, f->a, 987654, &got, &found), STORE_OK);
	assert_false(found);
}

/* ---- loading for a page: 404 and the audit log ---- */

static bool load_as(fixture *f, int64_t person, int64_t id, resp *rs)
{
	req rq = as(f, person);
	rq.method = "GET";
	rq.params.names[0] = "id";
	rq.params.values[0] = arena_printf(f->a, "%lld", (long long)id);
	rq.params.n = 1;
	*rs = (resp){.fd = -1};
	coaching_cycle c;
	bool loaded = cycle_load(&rq, rs, &c);
	buf_free(&rs->body);
	return loaded;
}

static void test_cycle_load_audits(void **state)
{
	fixture *f = F;
	int64_t id = start_with(f, f->carmen, f->tom, "Load");
	resp rs;
	assert_true(load_as(f, f->tom, id, &rs));
	assert_true(load_as(f, f->carmen, id, &rs));
	assert_false(load_as(f, f->priya, id, &rs));
	assert_int_equal(rs.status, 404);
	assert_int_equal(count_audit(f, "coaching.read.denied"), 1);
	assert_false(load_as(f, f->priya, id + 1000, &rs));
	assert_int_equal(rs.status, 404);
	assert_int_equal(count_audit(f, "coaching.read.denied"), 1);
	assert_int_equal(count_audit(f, "coaching.read.shared"), 0);

	outcome o;
	share(f, f->tom, id, f->priya, -1, &o);
	ok(&o);
	assert_true(load_as(f, f->priya, id, &rs));
	assert_int_equal(count_audit(f, "coaching.read.shared"), 1);
	store_rows r = testdb_run(f->s, f->a,
				  "SELECT actor_id, kind, object_id, district_id, detail FROM audit "
				  "WHERE action = 'coaching.read.shared'",
				  NOARGS);
	assert_int_equal(rows_int(&r, 0, 0), f->priya);
	assert_string_equal(rows_get(&r, 0, 1), "coaching");
	assert_int_equal(rows_int(&r, 0, 2), id);
	assert_int_equal(rows_int(&r, 0, 3), f->district);
	assert_true(!rows_get(&r, 0, 4) || !*rows_get(&r, 0, 4));
}

/* ---- files ---- */

static void test_files(void **state)
{
	fixture *f = F;
	int64_t id = start_with(f, f->carmen, f->tom, "Files");
	cycle_stage enact = stage(f, id, STAGE_ENACT, 0);
	int64_t file = testdb_scalar(f->s, f->a,
				     "INSERT INTO cycle_file (stage_id, title, file_path, content_type, "
				     "size_bytes, created_by, created_at) VALUES ($1, 'Exit tickets', "
				     "'ab12.pdf', 'application/pdf', 1234, $2, 5) RETURNING id",
				     ARGS(ARG_INT(enact.id), ARG_INT(f->carmen)));
	cycle_file *files;
	size_t n;
	assert_int_equal(cycle_files_get(f->s, f->a, id, &files, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(files[0].cycle_id, id);
	assert_int_equal(files[0].stage, STAGE_ENACT);
	assert_string_equal(files[0].file_name, "ab12.pdf");
	assert_string_equal(files[0].created_by_name, "Carmen Ortiz");
	cycle_file one;
	bool found = false;
	assert_int_equal(cycle_file_get(f->s, f->a, id, file, &one, &found), STORE_OK);
	assert_true(found);
	assert_int_equal(one.size_bytes, 1234);
	/* Another cycle's id does not reach it. */
	assert_int_equal(cycle_file_get(f->s, f->a, id + 1, file, &one, &found), STORE_OK);
	assert_false(found);
}

/* ---- fixtures ---- */

TESTDB_GROUP_FIXTURES("test_cycle_store", "cycle_store", true)

/* Every test starts from the same small world: a district with two
 * schools and a partner, two coaches, two teachers on the grade 3 team,
 * a principal, a district leader, another school's teacher and a
 * deactivated one. */
static int setup_test(void **state)
{
	fixture *f = *state;
	f->a = arena_new();
	f->nactors = 0;
	static const char *const clear[] = {"DELETE FROM audit",          "DELETE FROM cycle_event",
					    "DELETE FROM cycle_share",    "DELETE FROM cycle_file",
					    "DELETE FROM cycle_tally",    "DELETE FROM cycle_note",
					    "DELETE FROM cycle_focus",    "DELETE FROM cycle_answer",
					    "DELETE FROM cycle_stage",    "DELETE FROM cycle_member",
					    "DELETE FROM coaching_cycle", "DELETE FROM cycle_template_prompt",
					    "DELETE FROM cycle_template", "DELETE FROM team_member",
					    "DELETE FROM team",           "DELETE FROM person_role",
					    "DELETE FROM person",         "DELETE FROM org"};
	testdb_run_each(f->s, f->a, clear, COUNT_OF(clear));
	f->district = add_org(f, "district", "Prairie Glen", 0);
	f->school = add_org(f, "school", "Meadowbrook Elementary", f->district);
	f->other_school = add_org(f, "school", "Hillside Elementary", f->district);
	f->partner = add_org(f, "partner", "Lakeshore Collaborative", 0);
	f->carmen = add_person(f, "Carmen Ortiz", 1);
	f->cole = add_person(f, "Cole Brandt", 1);
	f->tom = add_person(f, "Tom Becker", 1);
	f->grace = add_person(f, "Grace Liu", 1);
	f->priya = add_person(f, "Priya Raman", 1);
	f->dana = add_person(f, "Dana Whitfield", 1);
	f->olga = add_person(f, "Olga Petrov", 1);
	f->zed = add_person(f, "Zed Quinn", 0);
	add_role(f, f->carmen, f->district, "coach");
	add_role(f, f->cole, f->district, "coach");
	add_role(f, f->tom, f->school, "teacher");
	add_role(f, f->grace, f->school, "teacher");
	add_role(f, f->priya, f->school, "principal");
	add_role(f, f->dana, f->district, "district_leader");
	add_role(f, f->olga, f->other_school, "teacher");
	add_role(f, f->zed, f->school, "teacher");
	f->team3 = add_team(f, "Grade 3 team", "3");
	f->team4 = add_team(f, "Grade 4 team", "4");
	add_member(f, f->team3, f->tom);
	add_member(f, f->team3, f->grace);
	return 0;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_test, teardown_test)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_start_individual),
		T(test_start_refusals),
		T(test_start_collaborative),
		T(test_stage_save_and_conflict),
		T(test_notes_and_tallies),
		T(test_close_reopen_next),
		T(test_counts_kept),
		T(test_shares_and_search),
		T(test_list_filters_and_order),
		T(test_template_round_trip),
		T(test_cycle_load_audits),
		T(test_files),
	};
	return TESTDB_RUN_GROUPS("cycle store", "cycle_store", tests);
}
