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
#include "cycle_web.h"

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
		if (c->members[i].person_id == actor_id(rq)) m = &c->members[i];
	if (!m || m->read_yet) return true;
	const char *by = "";
	for (size_t i = 0; i < c->nmembers; i++)
		if (m->added_by && c->members[i].person_id == m->added_by)
			by = arena_printf(rq->a, "added by %s", c->members[i].name);
	return store_begin(rq->db) == STORE_OK &&
		cycle_member_first_read(rq->db, rq->a, c->id, actor_id(rq), now_unix()) == STORE_OK &&
		change_audit(rq, "coaching.read.first", REC_COACHING, c->id, c->district_id, by) ==
		STORE_OK &&
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
	if (cycle_is_member(c, actor_id(rq))) return true;
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
				    cycle_part_readable(c, actor_id(rq), f->stage, f->classroom));
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
	const char *detail; /* ids and field names only */
} audit_line;

/* Ends a change of a cycle begun with change_begin whose own part returned
 * rc, as change_commit does: its history line (event NULL: none), its
 * audit entry when au is given, then commit; any failure rolls back and
 * fails o with 500. Members' own work is recorded in the history alone;
 * the audit log is for what the trust contract names. */
static void cycle_commit(req *rq, store_rc rc, int64_t cycle_id, const char *event, const char *detail,
			 const audit_line *au, outcome *o)
{
	if (rc == STORE_OK && event)
		rc = cycle_history_add(rq->db, rq->a, cycle_id, actor_id(rq), event, detail, now_unix());
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
	const int64_t *coaches; /* the one starting it first */
	size_t ncoaches;
	const int64_t *teachers;
	size_t nteachers;
	const int64_t *classrooms; /* the teacher of each enactment */
	size_t nclassrooms;
	const char *goal; /* the plan's goal to begin with, or NULL */
} new_cycle;

/* The cycle, its members and its stages: one plan, an enactment per
 * classroom, one reflection. */
static store_rc create_cycle(req *rq, const new_cycle *nc, int64_t *id)
{
	int64_t now = now_unix(), by = actor_id(rq);
	cycle_row row = {.kind = nc->kind,
			 .title = nc->title,
			 .grade = nc->grade,
			 .started_on = today(rq->a),
			 .district_id = nc->district_id,
			 .school_id = nc->school_id,
			 .team_id = nc->team_id,
			 .partner_id = nc->partner_id,
			 .template_id = nc->template_id,
			 .session_id = nc->session_id,
			 .previous_id = nc->previous_id,
			 .created_by = by,
			 .created_at = now};
	store *s = rq->db;
	store_rc rc;
	if ((rc = cycle_insert(s, rq->a, &row, id)) != STORE_OK ||
	    (rc = cycle_members_add(s, rq->a, *id, nc->coaches, nc->ncoaches, true, by, now)) != STORE_OK ||
	    (rc = cycle_members_add(s, rq->a, *id, nc->teachers, nc->nteachers, false, by, now)) !=
		    STORE_OK ||
	    (rc = cycle_stage_insert(s, rq->a, *id, STAGE_PLAN, 0, KEY_GOAL, nc->goal, by, now)) != STORE_OK)
		return rc;
	for (size_t i = 0; rc == STORE_OK && i < nc->nclassrooms; i++)
		rc = cycle_stage_insert(s, rq->a, *id, STAGE_ENACT, nc->classrooms[i], NULL, NULL, by, now);
	if (rc == STORE_OK) rc = cycle_stage_insert(s, rq->a, *id, STAGE_REFLECT, 0, NULL, NULL, by, now);
	return rc == STORE_OK ? cycle_counts_keep(s, rq->a, *id) : rc;
}

/* ---- the checks of a start ---- */

/* The school must be an active school; the cycle sits in its district. */
static bool check_school(req *rq, int64_t school_id, org *school, bool *ok, outcome *out)
{
	*ok = false;
	bool found = false;
	if (school_id && !change_asked(rq, out, org_get(rq->db, rq->a, school_id, school, &found)))
		return false;
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

/* The coaches: the one starting it, then the others named, each a person
 * who may coach at the school (cycle_coach_at): naming anyone else is 422,
 * for a coach reaches no further than the school's district lets them. */
static bool check_coaches(req *rq, const cycle_input *in, const org *school, new_cycle *nc, outcome *out)
{
	size_t n;
	int64_t *others = unique_ids(rq->a, in->coaches, in->ncoaches, actor_id(rq), &n);
	int64_t *all = arena_calloc(rq->a, n + 1, sizeof *all);
	all[0] = actor_id(rq);
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
		if (!change_asked(
			    rq, out,
			    cycle_coach_at(rq->db, rq->a, others[i], school->id, school->parent_id, &name)))
			return false;
		if (!name) {
			const char *why = arena_printf(rq->a,
						       "Person %lld may not coach at this school: a co-coach "
						       "holds a coach role at the school, its district, or a "
						       "partner the district works with.",
						       (long long)others[i]);
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
		if (ids[i] == actor_id(rq)) {
			form_error_add(e, "teachers", "You coach this cycle; choose the teacher you coach.");
			return true;
		}
		if (among(nc->coaches, nc->ncoaches, ids[i])) {
			form_error_add(e, "coaches",
				       arena_printf(rq->a,
						    "Person %lld is a teacher in this cycle; nobody "
						    "is both.",
						    (long long)ids[i]));
			return true;
		}
		if (!change_asked(
			    rq, out,
			    cycle_teacher_at(rq->db, rq->a, ids[i], school->id, school->parent_id, &name)))
			return false;
		if (!name) {
			form_error_add(e, "teachers",
				       arena_printf(rq->a,
						    "There is no active teacher %lld at this school or "
						    "in its district.",
						    (long long)ids[i]));
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
static bool check_team(req *rq, const cycle_input *in, const org *school, new_cycle *nc, team *t,
		       outcome *out)
{
	form_errors *e = &out->errors;
	bool found = false;
	if (!in->team_id) {
		form_error_add(e, "team_id", "Choose the team of this collaborative cycle.");
		return true;
	}
	if (!change_asked(rq, out, team_get(rq->db, rq->a, in->team_id, actor_id(rq), t, &found)))
		return false;
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
	if (!k)
		form_error_add(e, "team_id",
			       "That team has no members to coach yet: add its teachers first.");
	else if (k > CYCLE_PEOPLE_MAX)
		form_error_add(e, "team_id",
			       arena_printf(rq->a,
					    "A cycle has at most %d teachers; that "
					    "team has more.",
					    CYCLE_PEOPLE_MAX));
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
	if (!change_asked(rq, out, pl_session_get(rq->db, rq->a, session_id, actor_id(rq), &s, &found)))
		return false;
	if (!found || !may_session(rq, ACT_READ, &s))
		form_error_add(&out->errors, "session_id",
			       "There is no such session, or you may not see it.");
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

static const char *default_title(req *rq, const new_cycle *nc, const team *t, const char *teacher_name)
{
	const char *title = nc->kind == CYCLE_COLLABORATIVE
		? arena_printf(rq->a, "%s collaborative cycle", t->name ? t->name : "Team")
		: arena_printf(rq->a, "Coaching cycle with %s", teacher_name ? teacher_name : "a teacher");
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
	*nc = (new_cycle){.kind = in->kind,
			  .district_id = school.parent_id,
			  .school_id = school.id,
			  .template_id = in->template_id,
			  .session_id = in->session_id,
			  .previous_id = in->previous_id,
			  .partner_id = starter_partner(rq)};
	team t = {0};
	const char *teacher_name = NULL;
	if (!check_coaches(rq, in, &school, nc, out)) return false;
	bool ok = in->kind == CYCLE_COLLABORATIVE ? check_team(rq, in, &school, nc, &t, out)
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
** in its agreement, so the start is audited; its content never is.
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

static bool stage_of(const coaching_cycle *c, const cycle_stage *st, const stage_input *in, outcome *out)
{
	if (st && st->cycle_id == c->id && (!in->stage_id || in->stage_id == st->id)) return true;
	outcome_fail(out, 404, "not_found", "There is no such stage in this cycle.", NULL);
	return false;
}

/* The template a cycle uses; one gone from the store leaves the default. */
static bool template_of(req *rq, const coaching_cycle *c, cycle_template *t, outcome *out)
{
	bool found = false;
	if (!change_asked(rq, out, cycle_template_get(rq->db, rq->a, c->template_id, t, &found)))
		return false;
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
	const char *who = NULL, *when = NULL;
	int64_t at = 0;
	if (cycle_stage_saved_by(rq->db, rq->a, stage_id, &who, &at) == STORE_OK && at)
		when = clock_utc(rq->a, at);
	const char *saved = who && when ? arena_printf(rq->a, "%s saved this stage at %s", who, when)
					: "Someone saved this stage";
	outcome_fail(out, 409, "conflict",
		     arena_printf(rq->a,
				  "%s after you opened it. Your changes are not saved: copy "
				  "them, reload, and save again.",
				  saved),
		     NULL);
}

static bool answer_changes(const cycle_stage *now, const cycle_answer *a)
{
	const char *old = stage_answer(now, a->key);
	const char *value = a->value ? a->value : "";
	return *value ? !str_eq(old, value) : old != NULL;
}

/* The fields with a copy outside the answers follow their answer. */
static store_rc write_copies(req *rq, const coaching_cycle *c, const cycle_stage *st, const cycle_answer *a)
{
	const char *value = a->value && *a->value ? a->value : NULL;
	if (str_eq(a->key, KEY_MINUTES)) {
		int64_t minutes = 0;
		if (value && !parse_i64(value, 0, CYCLE_MINUTES_MAX, &minutes)) minutes = 0;
		return cycle_stage_minutes_save(rq->db, rq->a, st->id, minutes);
	}
	if (st->stage != STAGE_PLAN) return STORE_OK;
	if (str_eq(a->key, KEY_FOCUS)) return cycle_focus_save(rq->db, rq->a, c->id, value);
	if (str_eq(a->key, KEY_LESSON_ON)) return cycle_lesson_on_save(rq->db, rq->a, c->id, value);
	return STORE_OK;
}

/* Writes the answers that differ from now's; "" removes one, keys not
 * given stay. *keys: the changed keys, comma-separated, for the history. */
static store_rc write_answers(req *rq, const coaching_cycle *c, const cycle_stage *now, const stage_input *in,
			      const char **keys)
{
	*keys = "";
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < in->nanswers; i++) {
		const cycle_answer *a = &in->answers[i];
		if (!answer_changes(now, a)) continue;
		*keys = **keys ? arena_printf(rq->a, "%s,%s", *keys, a->key) : a->key;
		rc = cycle_answer_save(rq->db, rq->a, now->id, a->key, a->value);
		if (rc == STORE_OK) rc = write_copies(rq, c, now, a);
	}
	return rc;
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
void cycle_stage_save(req *rq, const coaching_cycle *c, const cycle_stage *st, stage_input *in, outcome *out)
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
	int64_t when = now_unix();
	/* The cycle's row first, so that saves of its stages follow one another
	 * and each counts the others' completions when it works out the state. */
	store_rc rc = cycle_touch(rq->db, rq->a, c->id, when);
	if (rc == STORE_OK)
		rc = cycle_stage_bump(rq->db, rq->a, st->id, in->version, actor_id(rq), when, &saved);
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
	if (rc == STORE_OK && completes) rc = cycle_stage_complete_save(rq->db, rq->a, st->id, when);
	if (rc == STORE_OK) rc = cycle_state_save(rq->db, rq->a, c->id, cycle_state_of(&p), false, 0);
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
		form_error_add(e, "body",
			       arena_printf(a, "A note is at most %d characters.", CYCLE_NOTE_MAX));
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
	cycle_note n = {.stage_id = st->id,
			.author_id = actor_id(rq),
			.taken_at = taken_at,
			.tag = tag,
			.body = body};
	change_asked(rq, out, cycle_note_insert(rq->db, rq->a, &n, &out->id));
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
	int64_t author = 0;
	bool found = false;
	if (!change_asked(rq, out, cycle_note_author(rq->db, rq->a, c->id, note_id, &author, &found))) return;
	if (!found) {
		outcome_fail(out, 404, "not_found", "There is no such note in this cycle.", NULL);
		return;
	}
	if (author != actor_id(rq) && !cycle_is_coach(c, actor_id(rq))) {
		refused(out, "Only the note's author or the cycle's coaches remove it.");
		return;
	}
	if (!change_begin(rq, out)) return;
	store_rc rc = cycle_note_delete(rq->db, rq->a, note_id);
	cycle_commit(rq, rc, c->id, "enact.note.remove", arena_printf(rq->a, "note %lld", (long long)note_id),
		     NULL, out);
}

/* Whether the plan asks for this tally. */
static bool tally_asked(req *rq, const coaching_cycle *c, const char *label, bool *asked_for, outcome *out)
{
	const char *tallies = NULL;
	if (!change_asked(rq, out, cycle_plan_answer(rq->db, rq->a, c->id, KEY_TALLIES, &tallies)))
		return false;
	const char **labels;
	size_t n = plan_tally_labels(rq->a, tallies ? tallies : "", &labels);
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
void cycle_tally_bump(req *rq, const coaching_cycle *c, const cycle_stage *st, const char *label, int delta,
		      outcome *out)
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
	cycle_commit(rq, cycle_tally_add(rq->db, rq->a, st->id, label, delta), c->id, NULL, NULL, NULL, out);
}

/* ---- closing, reopening, the next cycle, the session ---- */

static bool progress_now(req *rq, const coaching_cycle *c, cycle_stage **st, size_t *n, cycle_progress *p,
			 outcome *out)
{
	if (!change_asked(rq, out, cycle_stages_get(rq->db, rq->a, c->id, st, n))) return false;
	*p = cycle_progress_of(c, *st, *n);
	return true;
}

static void close_or_reopen(req *rq, const coaching_cycle *c, bool close, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_cycle(rq, ACT_DEACTIVATE, c)) {
		refused(out,
			close ? "Only the cycle's coaches close it." : "Only the cycle's coaches reopen it.");
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
	store_rc rc =
		cycle_state_save(rq->db, rq->a, c->id, cycle_state_of(&p), true, close ? now_unix() : 0);
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
	new_cycle nc = {.kind = c->kind,
			.district_id = c->district_id,
			.school_id = c->school_id,
			.team_id = c->team_id,
			.partner_id = c->partner_id,
			.grade = c->grade,
			.template_id = c->template_id,
			.previous_id = c->id,
			.teachers = c->teachers,
			.nteachers = c->nteachers};
	nc.title = arena_printf(
		rq->a, "%s (next)",
		utf8_cut(rq->a, c->title ? c->title : "Coaching cycle", CYCLE_TITLE_MAX - 7, false));
	/* The one opening it leads, as the one who starts a cycle does. */
	int64_t *coaches = arena_calloc(rq->a, c->ncoaches + 1, sizeof *coaches);
	coaches[0] = actor_id(rq);
	size_t k = 1;
	for (size_t i = 0; i < c->ncoaches; i++)
		if (c->coaches[i] != actor_id(rq)) coaches[k++] = c->coaches[i];
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
	if (!may_cycle(rq, ACT_UPDATE, c) || !cycle_is_coach(c, actor_id(rq))) {
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
		rc = cycle_history_add(rq->db, rq->a, c->id, actor_id(rq), "next",
				       arena_printf(rq->a, "cycle %lld", (long long)id), now_unix());
	audit_line au = {
		"coaching.cycle.start", nc.district_id,
		arena_printf(rq->a, "%s, next of cycle %lld", cycle_kind_name(nc.kind), (long long)c->id)};
	cycle_commit(rq, rc, id, "start", arena_printf(rq->a, "after cycle %lld", (long long)c->id), &au,
		     out);
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
	if (!may_cycle(rq, ACT_UPDATE, c) || !cycle_is_coach(c, actor_id(rq))) {
		refused(out, "Only the cycle's coaches link it to a session.");
		return;
	}
	if (!check_session(rq, session_id, c->district_id, out)) return;
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (session_id == c->session_id || !change_begin(rq, out)) return;
	store_rc rc = cycle_session_save(rq->db, rq->a, c->id, session_id);
	cycle_commit(rq, rc, c->id, "session",
		     session_id ? arena_printf(rq->a, "session %lld", (long long)session_id) : "none", NULL,
		     out);
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
		outcome_invalid_field(out, "person_id",
				      "Share with someone at this school or in its district "
				      "who is not in the cycle.");
		return;
	}
	for (size_t i = 0; i < c->nshares; i++)
		if (c->shares[i].person_id == person_id && c->shares[i].stage == stage &&
		    c->shares[i].shared_by == actor_id(rq)) {
			outcome_fail(out, 409, "already_shared", "This is shared with that person already.",
				     NULL);
			return;
		}
	if (!change_begin(rq, out)) return;
	store_rc rc = cycle_share_insert(rq->db, rq->a, c->id, stage, person_id, actor_id(rq), now_unix(),
					 &out->id);
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
	store_rc rc = cycle_share_revoke_save(rq->db, rq->a, c->id, share_id, now_unix());
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
		form_error_add(&out->errors, "org_id",
			       "Choose the district or partner whose template it is.");
		return true;
	}
	*p = (place){o.id, district ? o.id : 0, partner ? o.id : 0};
	return true;
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
			outcome_invalid_field(out, "org_id",
					      "A template stays with the district or partner that wrote it.");
			return;
		}
	}
	place p = {0};
	bool org_ok;
	if (!template_org(rq, t->org_id, &p, &org_ok, out)) return;
	record r = {.kind = REC_CYCLE_TEMPLATE, .places = &p, .nplaces = 1};
	bool retires = t->id && old.active && !t->active;
	if (org_ok &&
	    (!may(rq->actor, t->id ? ACT_UPDATE : ACT_CREATE, &r) ||
	     (retires && !may(rq->actor, ACT_DEACTIVATE, &r)))) {
		outcome_fail(out, 403, "forbidden",
			     "You may not write cycle templates for this organization.", "org_id");
		return;
	}
	cycle_template_check(rq->a, t, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (!change_begin(rq, out)) return;
	int64_t id = 0;
	store_rc rc = cycle_template_write(rq->db, rq->a, t, now_unix(), &id);
	out->id = id;
	change_commit(rq, rc, REC_CYCLE_TEMPLATE, "cycle_template.save", id, change_home(&p),
		      arena_printf(rq->a, "%zu prompts", t->nprompts), out);
}
