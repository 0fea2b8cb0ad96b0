/* Starting, saving, closing and reopening coaching cycles, their notes and
 * tallies, the next cycle, shares and templates, as pages and API both do
 * it: may() first, then the checks, then one transaction. Each change adds
 * a line to the cycle's history (who, when, which fields: never content);
 * what the trust contract names (a start, a share, an unshare, a read by
 * someone who is not a member) goes to the audit log as well. */
#include <string.h>
#include <time.h>

#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../calendar/session.h"
#include "../org/org.h"
#include "../team/team.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle.h"

enum {
	/* Phones keep notes taken without a connection and send them later;
	 * a week covers a lost afternoon, not a made-up record. */
	NOTE_PAST_SECONDS = 7 * 24 * 3600,
	NOTE_AHEAD_SECONDS = 5 * 60, /* a phone's clock may run a little fast */
	GRADE_TEXT_MAX = 16
};

/* The fields whose values also live outside the answers: the leaders'
 * counts read focus and minutes, the lists sort by the lesson's date, and
 * the enactment counts the tallies the plan asks for. */
static const char KEY_FOCUS[] = "focus";
static const char KEY_LESSON_ON[] = "lesson_on";
static const char KEY_MINUTES[] = "minutes";
static const char KEY_TALLIES[] = "tallies";
static const char KEY_GOAL[] = "goal";
static const char KEY_NEXT_STEPS[] = "next_steps";

static const char NOT_FOUND[] = "There is no such coaching cycle, or it is not shared with you.";

static int64_t me(const req *rq) { return rq->actor ? rq->actor->person_id : 0; }

static sql_arg id_or_null(int64_t id) { return id ? ARG_INT(id) : ARG_NULL; }

static const char *today(arena *a)
{
	int y, m, d;
	civil_from_days(now_unix() / 86400, &y, &m, &d);
	return arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

static bool among(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id) return true;
	return false;
}

/* ids without repeats and without skip (0: none), in their order. */
static int64_t *unique_ids(arena *a, const int64_t *ids, size_t n, int64_t skip, size_t *out_n)
{
	int64_t *out = arena_calloc(a, n + 1, sizeof *out);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (ids[i] != skip && !among(out, k, ids[i])) out[k++] = ids[i];
	*out_n = k;
	return out;
}

bool may_cycle(const req *rq, action act, const coaching_cycle *c)
{
	place p[1];
	record r = cycle_record(p, c);
	return may(rq->actor, act, &r);
}

/* ---- reading one cycle ---- */

/* Reads are not changes: the audit entry stands alone. part names what
 * was read or refused ("stage enact"), "" for the cycle. */
static store_rc audit_read(req *rq, const coaching_cycle *c, const char *what, const char *part)
{
	return change_audit(rq, what, REC_COACHING, c->id, c->district_id, part);
}

/* A member's first read after someone else put them in the cycle goes on
 * record, once; later reads by members are not audited. */
static bool member_first_read(req *rq, const coaching_cycle *c)
{
	const cycle_member *m = NULL;
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].person_id == me(rq)) m = &c->members[i];
	if (!m || m->read_yet) return true;
	const char *by = "";
	for (size_t i = 0; i < c->nmembers; i++)
		if (m->added_by && c->members[i].person_id == m->added_by)
			by = arena_printf(rq->a, "added by %s", c->members[i].name);
	return store_begin(rq->db) == STORE_OK &&
	       cycle_member_first_read(rq->db, rq->a, c->id, me(rq), now_unix()) == STORE_OK &&
	       change_audit(rq, "coaching.read.first", REC_COACHING, c->id, c->district_id, by) == STORE_OK &&
	       store_commit(rq->db) == STORE_OK;
}

bool cycle_find(req *rq, resp *rs, coaching_cycle *c)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found = false;
	if (cycle_get(rq->db, rq->a, id, c, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (found && may_cycle(rq, ACT_READ, c)) {
		if (member_first_read(rq, c)) return true;
		store_rollback(rq->db);
		resp_store_failed(rq, rs);
		return false;
	}
	if (found && audit_read(rq, c, "coaching.read.denied", "") != STORE_OK)
		log_line("store: audit of a refused cycle read: %s", store_errmsg(rq->db));
	resp_error(rq, rs, 404, "not_found", NOT_FOUND, NULL);
	return false;
}

bool cycle_read_on_record(req *rq, resp *rs, const coaching_cycle *c, const char *part, bool shown)
{
	if (cycle_is_member(c, me(rq))) return true;
	if (!shown) {
		if (audit_read(rq, c, "coaching.read.denied", part) != STORE_OK)
			log_line("store: audit of a refused cycle read: %s", store_errmsg(rq->db));
		resp_error(rq, rs, 404, "not_found", "there is no such page", NULL);
		return false;
	}
	/* Content is shown to a non-member only once the read is on record. */
	if (audit_read(rq, c, "coaching.read.shared", part) == STORE_OK) return true;
	resp_store_failed(rq, rs);
	return false;
}

bool cycle_file_load(req *rq, resp *rs, const coaching_cycle *c, cycle_file *f)
{
	int64_t fid;
	bool found;
	if (!param_id(rq, rs, "fid", &fid)) return false;
	if (cycle_file_get(rq->db, rq->a, c->id, fid, f, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "there is no such file", NULL);
		return false;
	}
	return cycle_read_on_record(rq, rs, c, arena_printf(rq->a, "file %lld", (long long)fid),
				    cycle_part_readable(c, me(rq), f->stage, f->classroom));
}

/*
** The cycle named by the route's {id}, for the cycle page and the routes
** that show all of it a reader may see (or write to it).
** Permissions: may(READ, coaching): its members and those it is shared
** with. Anyone else hears 404, as for a cycle that does not exist; the
** refusal is audited, and so is every read by someone who is not a member.
*/
bool cycle_load(req *rq, resp *rs, coaching_cycle *c)
{
	return cycle_find(rq, rs, c) && cycle_read_on_record(rq, rs, c, "", true);
}

/* ---- the history, and the end of every change ---- */

typedef struct audit_line {
	const char *what;
	int64_t home;
	const char *detail;   /* ids and field names only */
} audit_line;

static store_rc history_add(req *rq, int64_t cycle_id, const char *what, const char *detail)
{
	int64_t now = now_unix();
	sql_arg ev[] = {ARG_INT(cycle_id), id_or_null(me(rq)), ARG_INT(now), ARG_TEXT(what),
			ARG_TEXT(detail)};
	store_rc rc = store_query(rq->db, rq->a,
				  "INSERT INTO cycle_event (cycle_id, person_id, at, what, detail) "
				  "VALUES ($1, $2, $3, $4, $5)",
				  ev, COUNT_OF(ev), NULL);
	if (rc != STORE_OK) return rc;
	sql_arg up[] = {ARG_INT(cycle_id), ARG_INT(now)};
	return store_query(rq->db, rq->a, "UPDATE coaching_cycle SET updated_at = $2 WHERE id = $1", up,
			   COUNT_OF(up), NULL);
}

/* Ends a change of a cycle begun with change_begin whose own part returned
 * rc, as change_commit does: its history line (event NULL: none), its
 * audit entry when au is given, then commit; any failure rolls back and
 * fails o with 500. Members' own work is recorded in the history alone;
 * the audit log is for what the trust contract names. */
static void cycle_commit(req *rq, store_rc rc, int64_t cycle_id, const char *event,
			 const char *detail, const audit_line *au, outcome *o)
{
	if (rc == STORE_OK && event) rc = history_add(rq, cycle_id, event, detail);
	if (au) {
		change_commit(rq, rc, REC_COACHING, au->what, cycle_id, au->home, au->detail, o);
		return;
	}
	if (rc != STORE_OK || store_commit(rq->db) != STORE_OK) outcome_store_failed(rq, o, true);
}

/* ---- creating a cycle (a start, or the next one) ---- */

/* A cycle about to be created, every part checked. */
typedef struct new_cycle {
	cycle_kind kind;
	const char *title;
	int64_t district_id, school_id, team_id, partner_id;
	const char *grade;
	int64_t template_id, session_id, previous_id;
	const int64_t *coaches;     /* the one starting it first */
	size_t ncoaches;
	const int64_t *teachers;
	size_t nteachers;
	const int64_t *classrooms;  /* the teacher of each enactment */
	size_t nclassrooms;
	const char *goal;           /* the plan's goal to begin with, or NULL */
} new_cycle;


/* A stage begins at version 0, or 1 when it starts with an answer. */
static store_rc add_stage(req *rq, int64_t cycle_id, stage_kind st, int64_t teacher,
			  const char *key, const char *value)
{
	bool answered = key && value && *value;
	int64_t now = now_unix();
	sql_arg args[] = {ARG_INT(cycle_id), ARG_TEXT(stage_name(st)), id_or_null(teacher),
			  ARG_INT(answered ? 1 : 0), answered ? id_or_null(me(rq)) : ARG_NULL,
			  answered ? ARG_INT(now) : ARG_NULL};
	store_rows r;
	store_rc rc = store_query(rq->db, rq->a,
				  "INSERT INTO cycle_stage (cycle_id, stage, teacher_id, version, updated_by, "
				  "updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK || !answered) return rc;
	sql_arg ans[] = {ARG_INT(r.nrows ? rows_int(&r, 0, 0) : 0), ARG_TEXT(key), ARG_TEXT(value)};
	return store_query(rq->db, rq->a,
			   "INSERT INTO cycle_answer (stage_id, field, value) VALUES ($1, $2, $3)", ans,
			   COUNT_OF(ans), NULL);
}

/* The cycle, its members and its stages: one plan, an enactment per
 * classroom, one reflection. */
static store_rc create_cycle(req *rq, const new_cycle *nc, int64_t *id)
{
	int64_t now = now_unix();
	sql_arg args[] = {ARG_TEXT(cycle_kind_name(nc->kind)), ARG_TEXT(nc->title),
			  ARG_INT(nc->district_id), id_or_null(nc->school_id), id_or_null(nc->team_id),
			  id_or_null(nc->partner_id), ARG_TEXT(nc->grade), id_or_null(nc->template_id),
			  id_or_null(nc->session_id), id_or_null(nc->previous_id), ARG_TEXT(today(rq->a)),
			  ARG_INT(me(rq)), ARG_INT(now)};
	store_rows r;
	store_rc rc = store_query(
		rq->db, rq->a,
		"INSERT INTO coaching_cycle (kind, title, state, district_id, school_id, team_id, "
		"partner_id, grade, template_id, session_id, previous_id, started_on, created_by, "
		"created_at, updated_at) VALUES ($1, $2, 'planning', $3, $4, $5, $6, $7, $8, $9, $10, "
		"$11, $12, $13, $13) RETURNING id",
		args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*id = r.nrows ? rows_int(&r, 0, 0) : 0;
	if ((rc = cycle_members_add(rq->db, rq->a, *id, nc->coaches, nc->ncoaches, true, me(rq), now)) != STORE_OK ||
	    (rc = cycle_members_add(rq->db, rq->a, *id, nc->teachers, nc->nteachers, false, me(rq), now)) != STORE_OK ||
	    (rc = add_stage(rq, *id, STAGE_PLAN, 0, KEY_GOAL, nc->goal)) != STORE_OK)
		return rc;
	for (size_t i = 0; rc == STORE_OK && i < nc->nclassrooms; i++)
		rc = add_stage(rq, *id, STAGE_ENACT, nc->classrooms[i], NULL, NULL);
	if (rc == STORE_OK) rc = add_stage(rq, *id, STAGE_REFLECT, 0, NULL, NULL);
	return rc == STORE_OK ? cycle_counts_keep(rq->db, rq->a, *id) : rc;
}

/* ---- the checks of a start ---- */

/* The school must be an active school; the cycle sits in its district. */
static bool check_school(req *rq, int64_t school_id, org *school, bool *ok, outcome *out)
{
	*ok = false;
	bool found = false;
	if (school_id && !change_asked(rq, out, org_get(rq->db, rq->a, school_id, school, &found))) return false;
	*ok = found && school->active && str_eq(school->kind, "school") && school->parent_id;
	if (!*ok) form_error_add(&out->errors, "school_id", "Choose an active school.");
	return true;
}

/* May the actor start a cycle at this school? The probe carries no
 * partner, so only a coach whose role reaches the district (their own, or
 * their partner's through an agreement with it) passes. */
static bool may_start_at(const req *rq, const org *school)
{
	coaching_cycle probe = {.district_id = school->parent_id, .school_id = school->id};
	return may_cycle(rq, ACT_CREATE, &probe);
}

/* *name: the person's name when they are active and hold an active role
 * the query's condition names; NULL otherwise. */
static store_rc person_named(req *rq, const char *sql, const sql_arg *args, size_t nargs,
			     const char **name)
{
	store_rows r;
	store_rc rc = store_query(rq->db, rq->a, sql, args, nargs, &r);
	*name = rc == STORE_OK && r.nrows ? rows_get(&r, 0, 0) : NULL;
	return rc;
}

static store_rc teacher_at(req *rq, int64_t person, const org *school, const char **name)
{
	sql_arg args[] = {ARG_INT(person), ARG_INT(school->id), ARG_INT(school->parent_id)};
	return person_named(rq,
			    "SELECT p.name FROM person p WHERE p.id = $1 AND p.active = 1 AND EXISTS ("
			    " SELECT 1 FROM person_role r WHERE r.person_id = p.id AND r.active = 1"
			    " AND r.org_id IN ($2, $3))",
			    args, COUNT_OF(args), name);
}


/* The coaches: the one starting it, then the others named, each a person
 * who may coach at the school (cycle_coach_at): naming anyone else is 422,
 * for a coach reaches no further than the school's district lets them. */
static bool check_coaches(req *rq, const cycle_input *in, const org *school, new_cycle *nc,
			  outcome *out)
{
	size_t n;
	int64_t *others = unique_ids(rq->a, in->coaches, in->ncoaches, me(rq), &n);
	int64_t *all = arena_calloc(rq->a, n + 1, sizeof *all);
	all[0] = me(rq);
	memcpy(all + 1, others, n * sizeof *all);
	nc->coaches = all;
	nc->ncoaches = n + 1;
	if (nc->ncoaches > CYCLE_PEOPLE_MAX) {
		form_error_add(&out->errors, "coaches",
			       arena_printf(rq->a, "A cycle has at most %d coaches.", CYCLE_PEOPLE_MAX));
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name;
		if (!change_asked(rq, out, cycle_coach_at(rq->db, rq->a, others[i], school->id, school->parent_id, &name)))
			return false;
		if (!name) {
			const char *why = arena_printf(rq->a, "Person %lld may not coach at this school: a co-coach "
							     "holds a coach role at the school, its district, or a "
							     "partner the district works with.", (long long)others[i]);
			form_error_add(&out->errors, "coaches", why);
			outcome_fail(out, 422, "not_allowed_here", why, "coaches");
			return false;
		}
	}
	return true;
}

/* An individual cycle's teachers: co-teachers of one classroom, each an
 * active person with a role at the school or in its district. */
static bool check_teachers(req *rq, const cycle_input *in, const org *school, new_cycle *nc,
			   const char **first_name, outcome *out)
{
	size_t n;
	int64_t *ids = unique_ids(rq->a, in->teachers, in->nteachers, 0, &n);
	nc->teachers = ids;
	nc->nteachers = n;
	form_errors *e = &out->errors;
	if (!n) {
		form_error_add(e, "teachers", "Choose the teacher this cycle is with.");
		return true;
	}
	if (n > CYCLE_PEOPLE_MAX) {
		form_error_add(e, "teachers",
			       arena_printf(rq->a, "A cycle has at most %d teachers.", CYCLE_PEOPLE_MAX));
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name;
		if (ids[i] == me(rq)) {
			form_error_add(e, "teachers", "You coach this cycle; choose the teacher you coach.");
			return true;
		}
		if (among(nc->coaches, nc->ncoaches, ids[i])) {
			form_error_add(e, "coaches",
				       arena_printf(rq->a, "Person %lld is a teacher in this cycle; nobody "
							   "is both.", (long long)ids[i]));
			return true;
		}
		if (!change_asked(rq, out, teacher_at(rq, ids[i], school, &name))) return false;
		if (!name) {
			form_error_add(e, "teachers",
				       arena_printf(rq->a, "There is no active teacher %lld at this school or "
							   "in its district.", (long long)ids[i]));
			return true;
		}
		if (i == 0) *first_name = name;
	}
	/* Co-teachers share one classroom: one enactment, in the first's name. */
	nc->classrooms = ids;
	nc->nclassrooms = 1;
	return true;
}

/* A collaborative cycle's teachers: its team's active members (its coaches
 * aside), copied so a later change of the team leaves the cycle as it was. */
static bool check_team(req *rq, const cycle_input *in, const org *school, new_cycle *nc,
		       team *t, outcome *out)
{
	form_errors *e = &out->errors;
	bool found = false;
	if (!in->team_id) {
		form_error_add(e, "team_id", "Choose the team of this collaborative cycle.");
		return true;
	}
	if (!change_asked(rq, out, team_get(rq->db, rq->a, in->team_id, me(rq), t, &found))) return false;
	if (!found || !t->active || t->org_id != school->id) {
		form_error_add(e, "team_id", "There is no active team with that id at this school.");
		return true;
	}
	team_member *m;
	size_t n;
	if (!change_asked(rq, out, team_members(rq->db, rq->a, t, &m, &n))) return false;
	int64_t *ids = arena_calloc(rq->a, n + 1, sizeof *ids);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!among(nc->coaches, nc->ncoaches, m[i].person_id)) ids[k++] = m[i].person_id;
	if (!k) form_error_add(e, "team_id", "That team has no members to coach yet: add its teachers first.");
	else if (k > CYCLE_PEOPLE_MAX)
		form_error_add(e, "team_id", arena_printf(rq->a, "A cycle has at most %d teachers; that "
								 "team has more.", CYCLE_PEOPLE_MAX));
	nc->team_id = t->id;
	nc->teachers = nc->classrooms = ids;
	nc->nteachers = nc->nclassrooms = k;
	return true;
}

static const char *check_grade(req *rq, const char *grade, form_errors *e)
{
	if (!grade || !*grade) return NULL;
	char norm[GRADE_TEXT_MAX];
	bool band;
	if (team_grade_parse(grade, norm, sizeof norm, &band)) return arena_strdup(rq->a, norm);
	form_error_add(e, "grade", "The grade must be K or 1 to 12, or a band such as 6-8.");
	return NULL;
}

static bool works_for(const req *rq, int64_t partner_id)
{
	for (size_t i = 0; rq->actor && i < rq->actor->ngrants; i++)
		if (rq->actor->grants[i].partner_id == partner_id) return true;
	return false;
}

/* 0, or an active template of the district or of a partner the actor
 * works for. */
static bool check_template(req *rq, int64_t template_id, int64_t district_id, outcome *out)
{
	if (!template_id) return true;
	cycle_template t;
	bool found = false;
	if (!change_asked(rq, out, cycle_template_get(rq->db, rq->a, template_id, &t, &found))) return false;
	if (!found || !t.active || (t.org_id != district_id && !works_for(rq, t.org_id)))
		form_error_add(&out->errors, "template_id",
			       "There is no active template with that id for this district.");
	return true;
}

/* 0, or a session of the district the actor may see. */
static bool check_session(req *rq, int64_t session_id, int64_t district_id, outcome *out)
{
	if (!session_id) return true;
	pl_session s;
	bool found = false;
	if (!change_asked(rq, out, pl_session_get(rq->db, rq->a, session_id, me(rq), &s, &found))) return false;
	if (!found || !may_session(rq, ACT_READ, &s))
		form_error_add(&out->errors, "session_id", "There is no such session, or you may not see it.");
	else if (s.district_id != district_id)
		form_error_add(&out->errors, "session_id", "That session is in another district.");
	return true;
}

/* A partner's coach runs the cycle for their partner, so the partner's
 * delivery counts it. */
static int64_t starter_partner(const req *rq)
{
	for (size_t i = 0; rq->actor && i < rq->actor->ngrants; i++) {
		const grant *g = &rq->actor->grants[i];
		if (g->role == ROLE_COACH && g->partner_id && !g->district_id) return g->partner_id;
	}
	return 0;
}

static const char *default_title(req *rq, const new_cycle *nc, const team *t,
				 const char *teacher_name)
{
	const char *title = nc->kind == CYCLE_COLLABORATIVE
				    ? arena_printf(rq->a, "%s collaborative cycle", t->name ? t->name : "Team")
				    : arena_printf(rq->a, "Coaching cycle with %s",
						   teacher_name ? teacher_name : "a teacher");
	return utf8_cut(rq->a, title, CYCLE_TITLE_MAX, false);
}

/* Every check of a start, before anything is written; false when out is
 * answered (403, 400, 500). */
static bool start_ready(req *rq, const cycle_input *in, new_cycle *nc, outcome *out)
{
	org school;
	bool school_ok;
	if (!check_school(rq, in->school_id, &school, &school_ok, out)) return false;
	if (school_ok && !may_start_at(rq, &school)) {
		outcome_fail(out, 403, "forbidden", "You may not start coaching cycles at this school.",
			     "school_id");
		return false;
	}
	const char *title = in->title ? in->title : "";
	form_error_line(rq->a, &out->errors, "title", "title", title, CYCLE_TITLE_MAX);
	if (!school_ok) {
		outcome_invalid(out);
		return false;
	}
	*nc = (new_cycle){.kind = in->kind, .district_id = school.parent_id, .school_id = school.id,
			  .template_id = in->template_id, .session_id = in->session_id,
			  .previous_id = in->previous_id, .partner_id = starter_partner(rq)};
	team t = {0};
	const char *teacher_name = NULL;
	if (!check_coaches(rq, in, &school, nc, out)) return false;
	bool ok = in->kind == CYCLE_COLLABORATIVE
			  ? check_team(rq, in, &school, nc, &t, out)
			  : check_teachers(rq, in, &school, nc, &teacher_name, out);
	if (!ok || !check_template(rq, in->template_id, nc->district_id, out) ||
	    !check_session(rq, in->session_id, nc->district_id, out))
		return false;
	nc->grade = check_grade(rq, in->grade, &out->errors);
	if (!nc->grade && t.grade && *t.grade) nc->grade = t.grade;
	if (out->errors.n) {
		outcome_invalid(out);
		return false;
	}
	nc->title = *title ? title : default_title(rq, nc, &t, teacher_name);
	return true;
}

/*
** Starts a coaching cycle: the actor is its first coach.
** Permissions: may(CREATE, coaching) at the school: a coach whose role
** reaches the school's district. Participation is agreed with the district
** (seed 000), so the start is audited; its content never is.
*/
void cycle_start(req *rq, cycle_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_act_somewhere(rq, REC_COACHING, ACT_CREATE)) {
		outcome_fail(out, 403, "forbidden", "Only coaches start coaching cycles.", NULL);
		return;
	}
	if (in->kind != CYCLE_INDIVIDUAL && in->kind != CYCLE_COLLABORATIVE) {
		outcome_invalid_field(out, "kind", "Choose an individual or a collaborative cycle.");
		return;
	}
	new_cycle nc;
	if (!start_ready(rq, in, &nc, out) || !change_begin(rq, out)) return;
	int64_t id = 0;
	store_rc rc = create_cycle(rq, &nc, &id);
	out->id = id;
	audit_line au = {"coaching.cycle.start", nc.district_id,
			 arena_printf(rq->a, "%s, school %lld, %zu teachers, %zu coaches",
				      cycle_kind_name(nc.kind), (long long)nc.school_id, nc.nteachers,
				      nc.ncoaches)};
	cycle_commit(rq, rc, id, "start", cycle_kind_name(nc.kind), &au, out);
}

/* ---- saving a stage ---- */

static bool refused(outcome *out, const char *message)
{
	outcome_fail(out, 403, "forbidden", message, NULL);
	return false;
}

static bool open_cycle(const coaching_cycle *c, outcome *out)
{
	if (c->state != CYCLE_CLOSED) return true;
	outcome_fail(out, 409, "closed", "This cycle is closed; a coach can reopen it to change it.", NULL);
	return false;
}

static bool stage_of(const coaching_cycle *c, const cycle_stage *st, const stage_input *in,
		     outcome *out)
{
	if (st && st->cycle_id == c->id && (!in->stage_id || in->stage_id == st->id)) return true;
	outcome_fail(out, 404, "not_found", "There is no such stage in this cycle.", NULL);
	return false;
}

/* The template a cycle uses; one gone from the store leaves the default. */
static bool template_of(req *rq, const coaching_cycle *c, cycle_template *t, outcome *out)
{
	bool found = false;
	if (!change_asked(rq, out, cycle_template_get(rq->db, rq->a, c->template_id, t, &found))) return false;
	if (!found) cycle_template_default(t);
	return true;
}

static const char *clock_utc(arena *a, int64_t at)
{
	time_t t = (time_t)at;
	struct tm tm;
	char s[16];
	if (!gmtime_r(&t, &tm) || !strftime(s, sizeof s, "%H:%M", &tm)) return "a moment ago";
	return arena_printf(a, "%s UTC", s);
}

/* 409 naming who saved the stage since the editor read it, and when. */
static void stage_conflict(req *rq, int64_t stage_id, outcome *out)
{
	sql_arg args[] = {ARG_INT(stage_id)};
	store_rows r;
	const char *who = NULL, *when = NULL;
	if (store_query(rq->db, rq->a,
			"SELECT p.name, s.updated_at FROM cycle_stage s "
			"LEFT JOIN person p ON p.id = s.updated_by WHERE s.id = $1",
			args, COUNT_OF(args), &r) == STORE_OK && r.nrows) {
		who = rows_get(&r, 0, 0);
		when = rows_get(&r, 0, 1) ? clock_utc(rq->a, rows_int(&r, 0, 1)) : NULL;
	}
	const char *saved = who && when ? arena_printf(rq->a, "%s saved this stage at %s", who, when)
					: "Someone saved this stage";
	outcome_fail(out, 409, "conflict",
		     arena_printf(rq->a, "%s after you opened it. Your changes are not saved: copy "
					 "them, reload, and save again.", saved),
		     NULL);
}

/* Takes the cycle's row first, so saves of its stages follow one another
 * and each counts the others' completions when it works out the state. */
static store_rc hold_cycle(req *rq, int64_t cycle_id)
{
	sql_arg args[] = {ARG_INT(cycle_id), ARG_INT(now_unix())};
	return store_query(rq->db, rq->a, "UPDATE coaching_cycle SET updated_at = $2 WHERE id = $1",
			   args, COUNT_OF(args), NULL);
}

/* A new version, if the stage is still at the one the editor read. */
static store_rc stage_bump(req *rq, int64_t stage_id, int64_t version, bool *saved)
{
	sql_arg args[] = {ARG_INT(stage_id), ARG_INT(version), ARG_INT(me(rq)), ARG_INT(now_unix())};
	store_rc rc = store_query(rq->db, rq->a,
				  "UPDATE cycle_stage SET version = version + 1, updated_by = $3, "
				  "updated_at = $4 WHERE id = $1 AND version = $2",
				  args, COUNT_OF(args), NULL);
	*saved = rc == STORE_OK && store_changes(rq->db) > 0;
	return rc;
}

static bool answer_changes(const cycle_stage *now, const cycle_answer *a)
{
	const char *old = stage_answer(now, a->key);
	const char *value = a->value ? a->value : "";
	return *value ? !str_eq(old, value) : old != NULL;
}

static store_rc write_focus(req *rq, int64_t cycle_id, const char *codes)
{
	sql_arg del[] = {ARG_INT(cycle_id)};
	store_rc rc = store_query(rq->db, rq->a, "DELETE FROM cycle_focus WHERE cycle_id = $1", del,
				  COUNT_OF(del), NULL);
	char *list = arena_strdup(rq->a, codes ? codes : ""), *save = NULL;
	for (char *code = strtok_r(list, " ,\n", &save); rc == STORE_OK && code;
	     code = strtok_r(NULL, " ,\n", &save)) {
		sql_arg args[] = {ARG_INT(cycle_id), ARG_TEXT(code)};
		rc = store_query(rq->db, rq->a,
				 "INSERT INTO cycle_focus (cycle_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
				 args, COUNT_OF(args), NULL);
	}
	return rc;
}

/* The fields with a copy outside the answers follow their answer. */
static store_rc write_copies(req *rq, const coaching_cycle *c, const cycle_stage *st,
			     const cycle_answer *a)
{
	const char *value = a->value && *a->value ? a->value : NULL;
	if (str_eq(a->key, KEY_MINUTES)) {
		int64_t minutes = 0;
		if (value && !parse_i64(value, 0, CYCLE_MINUTES_MAX, &minutes)) minutes = 0;
		sql_arg args[] = {ARG_INT(st->id), ARG_INT(minutes)};
		return store_query(rq->db, rq->a, "UPDATE cycle_stage SET minutes = $2 WHERE id = $1", args,
				   COUNT_OF(args), NULL);
	}
	if (st->stage != STAGE_PLAN) return STORE_OK;
	if (str_eq(a->key, KEY_FOCUS)) return write_focus(rq, c->id, value);
	if (str_eq(a->key, KEY_LESSON_ON)) {
		sql_arg args[] = {ARG_INT(c->id), ARG_TEXT(value)};
		return store_query(rq->db, rq->a, "UPDATE coaching_cycle SET lesson_on = $2 WHERE id = $1",
				   args, COUNT_OF(args), NULL);
	}
	return STORE_OK;
}

/* Writes the answers that differ from now's; "" removes one, keys not
 * given stay. *keys: the changed keys, comma-separated, for the history. */
static store_rc write_answers(req *rq, const coaching_cycle *c, const cycle_stage *now,
			      const stage_input *in, const char **keys)
{
	*keys = "";
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < in->nanswers; i++) {
		const cycle_answer *a = &in->answers[i];
		if (!answer_changes(now, a)) continue;
		*keys = **keys ? arena_printf(rq->a, "%s,%s", *keys, a->key) : a->key;
		sql_arg key[] = {ARG_INT(now->id), ARG_TEXT(a->key)};
		rc = store_query(rq->db, rq->a, "DELETE FROM cycle_answer WHERE stage_id = $1 AND field = $2",
				 key, COUNT_OF(key), NULL);
		if (rc == STORE_OK && a->value && *a->value) {
			sql_arg args[] = {ARG_INT(now->id), ARG_TEXT(a->key), ARG_TEXT(a->value)};
			rc = store_query(rq->db, rq->a,
					 "INSERT INTO cycle_answer (stage_id, field, value) VALUES ($1, $2, $3)",
					 args, COUNT_OF(args), NULL);
		}
		if (rc == STORE_OK) rc = write_copies(rq, c, now, a);
	}
	return rc;
}

static store_rc stage_complete(req *rq, int64_t stage_id)
{
	sql_arg args[] = {ARG_INT(stage_id), ARG_INT(now_unix())};
	return store_query(rq->db, rq->a,
			   "UPDATE cycle_stage SET complete = 1, completed_at = $2 WHERE id = $1 AND complete = 0",
			   args, COUNT_OF(args), NULL);
}

static store_rc state_store(req *rq, int64_t cycle_id, cycle_state state)
{
	sql_arg args[] = {ARG_INT(cycle_id), ARG_TEXT(cycle_state_name(state))};
	return store_query(rq->db, rq->a, "UPDATE coaching_cycle SET state = $2 WHERE id = $1", args,
			   COUNT_OF(args), NULL);
}

/* The stage as it is inside the transaction, and the cycle's progress
 * with it complete when complete is asked for. */
static store_rc stage_now(req *rq, const coaching_cycle *c, int64_t stage_id, bool complete,
			  cycle_stage **now, cycle_progress *p)
{
	cycle_stage *all;
	size_t n;
	store_rc rc = cycle_stages_get(rq->db, rq->a, c->id, &all, &n);
	if (rc != STORE_OK) return rc;
	*now = NULL;
	for (size_t i = 0; i < n; i++) {
		if (all[i].id != stage_id) continue;
		/* A copy before the completion asked for: what the save changes. */
		*now = arena_calloc(rq->a, 1, sizeof **now);
		**now = all[i];
		all[i].complete |= complete;
	}
	*p = cycle_progress_of(c, all, n);
	return *now ? STORE_OK : STORE_ERROR;
}

/*
** Saves a stage's answers and, when asked, marks it complete.
** Permissions: may(UPDATE, coaching): the cycle's members. A save names
** the version its editor read; a stale one is refused (409 "conflict")
** with nothing written, so two editors never lose each other's words.
*/
void cycle_stage_save(req *rq, const coaching_cycle *c, const cycle_stage *st, stage_input *in,
		      outcome *out)
{
	*out = (outcome){.id = st ? st->id : 0};
	if (!may_cycle(rq, ACT_UPDATE, c)) {
		refused(out, "Only the cycle's coaches and teachers change it.");
		return;
	}
	if (!stage_of(c, st, in, out) || !open_cycle(c, out)) return;
	cycle_template t;
	if (!template_of(rq, c, &t, out)) return;
	stage_answers_check(rq->a, &t, st->stage, in->answers, in->nanswers, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (!change_begin(rq, out)) return;
	bool saved = false;
	store_rc rc = hold_cycle(rq, c->id);
	if (rc == STORE_OK) rc = stage_bump(rq, st->id, in->version, &saved);
	if (rc == STORE_OK && !saved) {
		store_rollback(rq->db);
		stage_conflict(rq, st->id, out);
		return;
	}
	cycle_stage *now = NULL;
	cycle_progress p;
	if (rc == STORE_OK) rc = stage_now(rq, c, st->id, in->complete, &now, &p);
	if (rc != STORE_OK) {
		outcome_store_failed(rq, out, true);
		return;
	}
	const char *why = in->complete ? cycle_complete_blocker(&p, st->stage) : NULL;
	if (why) {
		store_rollback(rq->db);
		outcome_fail(out, 409, "not_ready", why, NULL);
		return;
	}
	const char *keys = "";
	bool completes = in->complete && !now->complete;
	rc = write_answers(rq, c, now, in, &keys);
	if (rc == STORE_OK && completes) rc = stage_complete(rq, st->id);
	if (rc == STORE_OK) rc = state_store(rq, c->id, cycle_state_of(&p));
	/* Minutes, the lesson's day, focus or a completion may have changed. */
	if (rc == STORE_OK) rc = cycle_counts_keep(rq->db, rq->a, c->id);
	const char *event =
		arena_printf(rq->a, "%s.%s", stage_name(st->stage), completes ? "complete" : "save");
	cycle_commit(rq, rc, c->id, event, keys, NULL, out);
}

/* ---- notes and tallies: taken during the lesson ---- */

static bool enactment_of(const coaching_cycle *c, const cycle_stage *st, outcome *out)
{
	if (st && st->cycle_id == c->id && st->stage == STAGE_ENACT) return true;
	outcome_fail(out, 404, "not_found", "There is no such enactment in this cycle.", NULL);
	return false;
}

static void check_note(arena *a, const char *tag, const char *body, int64_t taken_at, int64_t now,
		       form_errors *e)
{
	if (tag && !note_tag_valid(tag)) form_error_add(e, "tag", "Choose one of the note tags.");
	if (utf8_length(body) > CYCLE_NOTE_MAX)
		form_error_add(e, "body", arena_printf(a, "A note is at most %d characters.", CYCLE_NOTE_MAX));
	if (!tag && !*body) form_error_add(e, "body", "Write the note, or choose a tag.");
	if (taken_at < now - NOTE_PAST_SECONDS || taken_at > now + NOTE_AHEAD_SECONDS)
		form_error_add(e, "taken_at", "A note's time is within the last seven days.");
}

/*
** Adds a time-stamped note to an enactment.
** Permissions: may(UPDATE, coaching): the cycle's members.
** The hot write of a lesson: one INSERT, which is its own transaction, and
** no history line (the note carries its author and time itself).
*/
void cycle_note_add(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *tag,
		    const char *body, int64_t taken_at, outcome *out)
{
	*out = (outcome){0};
	if (!may_cycle(rq, ACT_UPDATE, c)) {
		refused(out, "Only the cycle's coaches and teachers take notes in it.");
		return;
	}
	if (!enactment_of(c, st, out) || !open_cycle(c, out)) return;
	if (tag && !*tag) tag = NULL;
	if (!body) body = "";
	int64_t now = now_unix();
	if (!taken_at) taken_at = now;
	check_note(rq->a, tag, body, taken_at, now, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	sql_arg args[] = {ARG_INT(st->id), ARG_INT(me(rq)), ARG_INT(taken_at), ARG_TEXT(tag), ARG_TEXT(body)};
	store_rows r;
	if (store_query(rq->db, rq->a,
			"INSERT INTO cycle_note (stage_id, author_id, taken_at, tag, body) "
			"VALUES ($1, $2, $3, $4, $5) RETURNING id",
			args, COUNT_OF(args), &r) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	out->id = r.nrows ? rows_int(&r, 0, 0) : 0;
}

/*
** Removes a note.
** Permissions: may(UPDATE, coaching), and the note's author or a coach of
** the cycle.
*/
void cycle_note_remove(req *rq, const coaching_cycle *c, int64_t note_id, outcome *out)
{
	*out = (outcome){.id = note_id};
	if (!may_cycle(rq, ACT_UPDATE, c)) {
		refused(out, "Only the cycle's coaches and teachers change it.");
		return;
	}
	if (!open_cycle(c, out)) return;
	sql_arg args[] = {ARG_INT(note_id), ARG_INT(c->id)};
	store_rows r;
	if (!change_asked(rq, out, store_query(rq->db, rq->a,
					 "SELECT n.author_id FROM cycle_note n JOIN cycle_stage s ON s.id = n.stage_id "
					 "WHERE n.id = $1 AND s.cycle_id = $2",
					 args, COUNT_OF(args), &r)))
		return;
	if (!r.nrows) {
		outcome_fail(out, 404, "not_found", "There is no such note in this cycle.", NULL);
		return;
	}
	if (rows_int(&r, 0, 0) != me(rq) && !cycle_is_coach(c, me(rq))) {
		refused(out, "Only the note's author or the cycle's coaches remove it.");
		return;
	}
	if (!change_begin(rq, out)) return;
	sql_arg del[] = {ARG_INT(note_id)};
	store_rc rc = store_query(rq->db, rq->a, "DELETE FROM cycle_note WHERE id = $1", del,
				  COUNT_OF(del), NULL);
	cycle_commit(rq, rc, c->id, "enact.note.remove",
		     arena_printf(rq->a, "note %lld", (long long)note_id), NULL, out);
}

/* Whether the plan asks for this tally. */
static bool tally_asked(req *rq, const coaching_cycle *c, const char *label, bool *asked_for,
			outcome *out)
{
	sql_arg args[] = {ARG_INT(c->id), ARG_TEXT(KEY_TALLIES)};
	store_rows r;
	if (!change_asked(rq, out, store_query(rq->db, rq->a,
					 "SELECT a.value FROM cycle_answer a JOIN cycle_stage s ON s.id = a.stage_id "
					 "WHERE s.cycle_id = $1 AND s.stage = 'plan' AND a.field = $2",
					 args, COUNT_OF(args), &r)))
		return false;
	const char **labels;
	size_t n = plan_tally_labels(rq->a, r.nrows ? rows_get(&r, 0, 0) : "", &labels);
	*asked_for = false;
	for (size_t i = 0; i < n; i++) *asked_for |= str_eq(labels[i], label);
	return true;
}

/*
** Adds one to a tally, or takes one away (never below zero).
** Permissions: may(UPDATE, coaching): the cycle's members.
** Taps during the lesson, like notes: no history line. The sum is done in
** SQL, so two phones tapping at once both count.
*/
void cycle_tally_bump(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *label,
		      int delta, outcome *out)
{
	*out = (outcome){.id = st ? st->id : 0};
	if (!may_cycle(rq, ACT_UPDATE, c)) {
		refused(out, "Only the cycle's coaches and teachers keep its tallies.");
		return;
	}
	if (!enactment_of(c, st, out) || !open_cycle(c, out)) return;
	if (delta != 1 && delta != -1) {
		outcome_invalid_field(out, "delta", "A tally goes up or down by one.");
		return;
	}
	bool asked_for = false;
	if (!tally_asked(rq, c, label, &asked_for, out)) return;
	if (!asked_for) {
		outcome_invalid_field(out, "label", "The plan does not ask for that tally.");
		return;
	}
	if (!change_begin(rq, out)) return;
	sql_arg args[] = {ARG_INT(st->id), ARG_TEXT(label), ARG_INT(delta)};
	store_rc rc = store_query(rq->db, rq->a,
				  "INSERT INTO cycle_tally (stage_id, label, count) VALUES ($1, $2, 0) "
				  "ON CONFLICT DO NOTHING",
				  args, 2, NULL);
	if (rc == STORE_OK)
		rc = store_query(rq->db, rq->a,
				 "UPDATE cycle_tally SET count = CASE WHEN count + CAST($3 AS BIGINT) < 0 "
				 "THEN 0 ELSE count + CAST($3 AS BIGINT) END WHERE stage_id = $1 AND label = $2",
				 args, COUNT_OF(args), NULL);
	cycle_commit(rq, rc, c->id, NULL, NULL, NULL, out);
}

/* ---- closing, reopening, the next cycle, the session ---- */

static bool progress_now(req *rq, const coaching_cycle *c, cycle_stage **st, size_t *n,
			 cycle_progress *p, outcome *out)
{
	if (!change_asked(rq, out, cycle_stages_get(rq->db, rq->a, c->id, st, n))) return false;
	*p = cycle_progress_of(c, *st, *n);
	return true;
}

static void close_or_reopen(req *rq, const coaching_cycle *c, bool close, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_cycle(rq, ACT_DEACTIVATE, c)) {
		refused(out, close ? "Only the cycle's coaches close it." : "Only the cycle's coaches reopen it.");
		return;
	}
	cycle_stage *st;
	size_t n;
	cycle_progress p;
	if (!progress_now(rq, c, &st, &n, &p, out)) return;
	const char *why = close ? cycle_close_blocker(&p) : cycle_reopen_blocker(&p);
	if (why) {
		outcome_fail(out, 409, close ? "closed" : "not_closed", why, NULL);
		return;
	}
	p.closed = close;
	if (!change_begin(rq, out)) return;
	sql_arg args[] = {ARG_INT(c->id), ARG_TEXT(cycle_state_name(cycle_state_of(&p))),
			  close ? ARG_INT(now_unix()) : ARG_NULL};
	store_rc rc = store_query(rq->db, rq->a,
				  "UPDATE coaching_cycle SET state = $2, closed_at = $3 WHERE id = $1", args,
				  COUNT_OF(args), NULL);
	cycle_commit(rq, rc, c->id, close ? "close" : "reopen", "", NULL, out);
}

/*
** Closes a cycle: nothing in it changes until a coach reopens it.
** Permissions: may(DEACTIVATE, coaching): the cycle's coaches.
*/
void cycle_close(req *rq, const coaching_cycle *c, outcome *out)
{
	close_or_reopen(rq, c, true, out);
}

/*
** Reopens a closed cycle.
** Permissions: may(DEACTIVATE, coaching): the cycle's coaches.
*/
void cycle_reopen(req *rq, const coaching_cycle *c, outcome *out)
{
	close_or_reopen(rq, c, false, out);
}

/* The next cycle: c's people, place and template, its enactments in the
 * same classrooms, its goal drafted from c's next steps. */
static new_cycle next_of(req *rq, const coaching_cycle *c, const cycle_stage *st, size_t n)
{
	new_cycle nc = {.kind = c->kind, .district_id = c->district_id, .school_id = c->school_id,
			.team_id = c->team_id, .partner_id = c->partner_id, .grade = c->grade,
			.template_id = c->template_id, .previous_id = c->id, .teachers = c->teachers,
			.nteachers = c->nteachers};
	nc.title = arena_printf(rq->a, "%s (next)",
				utf8_cut(rq->a, c->title ? c->title : "Coaching cycle", CYCLE_TITLE_MAX - 7, false));
	/* The one opening it leads, as the one who starts a cycle does. */
	int64_t *coaches = arena_calloc(rq->a, c->ncoaches + 1, sizeof *coaches);
	coaches[0] = me(rq);
	size_t k = 1;
	for (size_t i = 0; i < c->ncoaches; i++)
		if (c->coaches[i] != me(rq)) coaches[k++] = c->coaches[i];
	nc.coaches = coaches;
	nc.ncoaches = k;
	int64_t *rooms = arena_calloc(rq->a, n + 1, sizeof *rooms);
	size_t r = 0;
	for (size_t i = 0; i < n; i++) {
		if (st[i].stage == STAGE_ENACT && st[i].teacher_id) rooms[r++] = st[i].teacher_id;
		if (st[i].stage == STAGE_REFLECT) nc.goal = stage_answer(&st[i], KEY_NEXT_STEPS);
	}
	if (!r && c->nteachers) rooms[r++] = c->teachers[0];
	nc.classrooms = rooms;
	nc.nclassrooms = r;
	return nc;
}

/*
** Opens the next cycle with the same people, linked to c.
** Permissions: may(UPDATE, coaching) and a coach of c; c's reflection is
** complete (its next steps begin the new plan).
*/
void cycle_next(req *rq, const coaching_cycle *c, outcome *out)
{
	*out = (outcome){0};
	if (!may_cycle(rq, ACT_UPDATE, c) || !cycle_is_coach(c, me(rq))) {
		refused(out, "Only the cycle's coaches open the next cycle.");
		return;
	}
	if (c->next_id) {
		out->id = c->next_id;
		outcome_fail(out, 409, "next_exists", "This cycle has opened its next cycle already.", NULL);
		return;
	}
	cycle_stage *st;
	size_t n;
	cycle_progress p;
	if (!progress_now(rq, c, &st, &n, &p, out)) return;
	if (!p.reflect_complete) {
		outcome_fail(out, 409, "not_ready",
			     "Complete the reflection first: its next steps begin the next cycle.", NULL);
		return;
	}
	new_cycle nc = next_of(rq, c, st, n);
	if (!change_begin(rq, out)) return;
	int64_t id = 0;
	store_rc rc = create_cycle(rq, &nc, &id);
	out->id = id;
	if (rc == STORE_OK)
		rc = history_add(rq, c->id, "next", arena_printf(rq->a, "cycle %lld", (long long)id));
	audit_line au = {"coaching.cycle.start", nc.district_id,
			 arena_printf(rq->a, "%s, next of cycle %lld", cycle_kind_name(nc.kind),
				      (long long)c->id)};
	cycle_commit(rq, rc, id, "start", arena_printf(rq->a, "after cycle %lld", (long long)c->id),
		     &au, out);
}

/*
** Links the cycle to a session (the coaching day it counts against), or
** unlinks it (session_id 0).
** Permissions: may(UPDATE, coaching) and a coach of the cycle; the session
** one the coach may read, in the cycle's district.
*/
void cycle_link_session(req *rq, const coaching_cycle *c, int64_t session_id, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_cycle(rq, ACT_UPDATE, c) || !cycle_is_coach(c, me(rq))) {
		refused(out, "Only the cycle's coaches link it to a session.");
		return;
	}
	if (!check_session(rq, session_id, c->district_id, out)) return;
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (session_id == c->session_id || !change_begin(rq, out)) return;
	sql_arg args[] = {ARG_INT(c->id), id_or_null(session_id)};
	store_rc rc = store_query(rq->db, rq->a, "UPDATE coaching_cycle SET session_id = $2 WHERE id = $1",
				  args, COUNT_OF(args), NULL);
	cycle_commit(rq, rc, c->id, "session",
		     session_id ? arena_printf(rq->a, "session %lld", (long long)session_id) : "none",
		     NULL, out);
}

/* ---- shares ---- */

static const char *share_detail(arena *a, int64_t person, int stage)
{
	return arena_printf(a, "person %lld, stage %s", (long long)person,
			    stage < 0 ? "all" : stage_name((stage_kind)stage));
}

/*
** Shares the cycle (stage -1) or one stage with a person, read-only.
** Permissions: may(SHARE, coaching): the cycle's teachers; a coach cannot
** share on the teacher's behalf. The person holds a role at the cycle's
** school or district. Audited.
*/
void cycle_share_add(req *rq, const coaching_cycle *c, int64_t person_id, int stage, outcome *out)
{
	*out = (outcome){0};
	if (!may_cycle(rq, ACT_SHARE, c)) {
		refused(out, "Only the teacher shares their coaching.");
		return;
	}
	if (stage < -1 || stage >= STAGE_COUNT) {
		outcome_invalid_field(out, "stage", "Share the whole cycle or one of its stages.");
		return;
	}
	cycle_member *who;
	size_t n;
	if (!change_asked(rq, out, cycle_share_candidates(rq->db, rq->a, c, &who, &n))) return;
	bool candidate = false;
	for (size_t i = 0; i < n; i++) candidate |= who[i].person_id == person_id;
	if (!candidate) {
		outcome_invalid_field(out, "person_id", "Share with someone at this school or in its district "
						"who is not in the cycle.");
		return;
	}
	for (size_t i = 0; i < c->nshares; i++)
		if (c->shares[i].person_id == person_id && c->shares[i].stage == stage && c->shares[i].shared_by == me(rq)) {
			outcome_fail(out, 409, "already_shared", "This is shared with that person already.", NULL);
			return;
		}
	if (!change_begin(rq, out)) return;
	sql_arg args[] = {ARG_INT(c->id), stage < 0 ? ARG_NULL : ARG_TEXT(stage_name((stage_kind)stage)),
			  ARG_INT(person_id), ARG_INT(me(rq)), ARG_INT(now_unix())};
	store_rows r;
	store_rc rc = store_query(rq->db, rq->a,
				  "INSERT INTO cycle_share (cycle_id, stage, person_id, shared_by, created_at) "
				  "VALUES ($1, $2, $3, $4, $5) RETURNING id",
				  args, COUNT_OF(args), &r);
	if (rc == STORE_OK) out->id = r.nrows ? rows_int(&r, 0, 0) : 0;
	const char *detail = share_detail(rq->a, person_id, stage);
	audit_line au = {"coaching.share", c->district_id, detail};
	cycle_commit(rq, rc, c->id, "share", detail, &au, out);
}

/*
** Takes a share back.
** Permissions: may(SHARE, coaching): any teacher of the cycle. Audited.
*/
void cycle_share_revoke(req *rq, const coaching_cycle *c, int64_t share_id, outcome *out)
{
	*out = (outcome){.id = share_id};
	if (!may_cycle(rq, ACT_SHARE, c)) {
		refused(out, "Only the cycle's teachers take a share back.");
		return;
	}
	const cycle_share *sh = NULL;
	for (size_t i = 0; i < c->nshares; i++)
		if (c->shares[i].id == share_id) sh = &c->shares[i];
	if (!sh) {
		outcome_fail(out, 404, "not_found", "There is no such share of this cycle.", NULL);
		return;
	}
	if (!change_begin(rq, out)) return;
	sql_arg args[] = {ARG_INT(share_id), ARG_INT(c->id), ARG_INT(now_unix())};
	store_rc rc = store_query(rq->db, rq->a,
				  "UPDATE cycle_share SET revoked_at = $3 WHERE id = $1 AND cycle_id = $2 "
				  "AND revoked_at IS NULL",
				  args, COUNT_OF(args), NULL);
	const char *detail = share_detail(rq->a, sh->person_id, sh->stage);
	audit_line au = {"coaching.unshare", c->district_id, detail};
	cycle_commit(rq, rc, c->id, "unshare", detail, &au, out);
}

/* ---- templates ---- */

/* The org a template belongs to: an active district or partner; *p its
 * place for may(). */
static bool template_org(req *rq, int64_t org_id, place *p, bool *ok, outcome *out)
{
	org o;
	bool found = false;
	*ok = false;
	if (org_id && !change_asked(rq, out, org_get(rq->db, rq->a, org_id, &o, &found))) return false;
	bool district = found && str_eq(o.kind, "district"), partner = found && str_eq(o.kind, "partner");
	*ok = found && o.active && (district || partner);
	if (!*ok) {
		form_error_add(&out->errors, "org_id", "Choose the district or partner whose template it is.");
		return true;
	}
	*p = (place){o.id, district ? o.id : 0, partner ? o.id : 0};
	return true;
}

static store_rc template_write(req *rq, const cycle_template *t, int64_t *id)
{
	int64_t now = now_unix();
	store_rc rc;
	if (!*id) {
		sql_arg args[] = {ARG_INT(t->org_id), ARG_TEXT(t->name), ARG_INT(now)};
		store_rows r;
		rc = store_query(rq->db, rq->a,
				 "INSERT INTO cycle_template (org_id, name, active, created_at, updated_at) "
				 "VALUES ($1, $2, 1, $3, $3) RETURNING id",
				 args, COUNT_OF(args), &r);
		if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	} else {
		sql_arg args[] = {ARG_INT(*id), ARG_TEXT(t->name), ARG_INT(t->active ? 1 : 0), ARG_INT(now)};
		rc = store_query(rq->db, rq->a,
				 "UPDATE cycle_template SET name = $2, active = $3, updated_at = $4 WHERE id = $1",
				 args, COUNT_OF(args), NULL);
	}
	if (rc != STORE_OK) return rc;
	sql_arg del[] = {ARG_INT(*id)};
	rc = store_query(rq->db, rq->a, "DELETE FROM cycle_template_prompt WHERE template_id = $1", del,
			 COUNT_OF(del), NULL);
	int64_t position[STAGE_COUNT] = {0};
	for (size_t i = 0; rc == STORE_OK && i < t->nprompts; i++) {
		const cycle_prompt *pr = &t->prompts[i];
		sql_arg args[] = {ARG_INT(*id), ARG_TEXT(stage_name(pr->stage)),
				  ARG_INT(position[pr->stage]++), ARG_TEXT(pr->key), ARG_TEXT(pr->label),
				  ARG_TEXT(pr->help && *pr->help ? pr->help : NULL)};
		rc = store_query(rq->db, rq->a,
				 "INSERT INTO cycle_template_prompt (template_id, stage, position, field, label, "
				 "help) VALUES ($1, $2, $3, $4, $5, $6)",
				 args, COUNT_OF(args), NULL);
	}
	return rc;
}

/*
** Saves a template (t->id 0: a new one, active) with its prompts.
** Permissions: may(CREATE or UPDATE, cycle_template) at the district or
** partner that writes it (DEACTIVATE as well to retire it); a template
** stays with its org.
*/
void cycle_template_save(req *rq, cycle_template *t, outcome *out)
{
	*out = (outcome){.id = t->id};
	cycle_template old = {0};
	if (t->id) {
		bool found = false;
		if (!change_asked(rq, out, cycle_template_get(rq->db, rq->a, t->id, &old, &found))) return;
		if (!found) {
			outcome_fail(out, 404, "not_found", "There is no such template.", NULL);
			return;
		}
		if (!t->org_id) t->org_id = old.org_id;
		if (t->org_id != old.org_id) {
			outcome_invalid_field(out, "org_id", "A template stays with the district or partner that wrote it.");
			return;
		}
	}
	place p = {0};
	bool org_ok;
	if (!template_org(rq, t->org_id, &p, &org_ok, out)) return;
	record r = {.kind = REC_CYCLE_TEMPLATE, .places = &p, .nplaces = 1};
	bool retires = t->id && old.active && !t->active;
	if (org_ok && (!may(rq->actor, t->id ? ACT_UPDATE : ACT_CREATE, &r) ||
		       (retires && !may(rq->actor, ACT_DEACTIVATE, &r)))) {
		outcome_fail(out, 403, "forbidden", "You may not write cycle templates for this organization.",
			     "org_id");
		return;
	}
	cycle_template_check(rq->a, t, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (!change_begin(rq, out)) return;
	int64_t id = t->id;
	store_rc rc = template_write(rq, t, &id);
	out->id = id;
	change_commit(rq, rc, REC_CYCLE_TEMPLATE, "cycle_template.save", id, change_home(&p),
		      arena_printf(rq->a, "%zu prompts", t->nprompts), out);
}
