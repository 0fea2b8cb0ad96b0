/* Demo data, modelled on a partner's commitment to a K-8 district: a partner
 * and its coaches, a district with three schools, grade-level teams GK to
 * G5 and G6-8, a role-diverse district leadership team, one account per
 * kind of user, the partnership's sessions and coaching cycles at every
 * stage. All names are fictional. */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../access/user_cli.h"
#include "../base/util.h"
#include "../calendar/session.h"
#include "../cycle/cycle_web.h"

static const char demo_password[] = "demo-pass-1";

/* The accounts printed by `coachd demo`, in the order shown. */
static const demo_account accounts[] = {
	{"admin@example.org", "Alex Admin", "admin", "district", "administrator"},
	{"lead@example.org", "Dana Whitfield", "district_leader", "district", "district math leader"},
	{"principal@example.org", "Priya Raman", "principal", "school1", "principal, Meadowbrook Elementary"},
	{"coach@example.org", "Carmen Ortiz", "coach", "partner", "partner coach"},
	{"teacher@example.org", "Tom Becker", "teacher", "school1", "teacher, Meadowbrook Elementary"},
	{"teacher2@example.org", "Grace Liu", "teacher", "school1", "teacher, Meadowbrook Elementary"},
};

/* Further people without sign-in, so teams and charts have members:
 * name, org key, role, team (NULL: none). */
static const struct {
	const char *name, *org, *role, *team;
} people[] = {
	{"Jamal Reed", "partner", "coach", NULL},
	{"Nora Fitzgerald", "school1", "teacher", "GK"},
	{"Owen Park", "school1", "teacher", "G1"},
	{"Lucia Moreno", "school1", "teacher", "G2"},
	{"Ben Adeyemi", "school1", "teacher", "G3"},
	{"Hannah Schultz", "school1", "teacher", "G4"},
	{"Rosa Delgado", "school1", "teacher", "G5"},
	{"Ivan Petrov", "school2", "teacher", NULL},
	{"Mei Tanaka", "school2", "teacher", NULL},
	{"Samuel Okafor", "school2", "principal", NULL},
	{"Erin Walsh", "school3", "teacher", "G6-8"},
	{"Marcus Hill", "school3", "teacher", "G6-8"},
	{"Aisha Karim", "school3", "teacher", "G6-8"},
	{"Paul Novak", "school3", "principal", "G6-8 Leadership"},
	{"Kim Sorensen", "district", "coach", "District Math Leadership Team"},
};

typedef struct demo_ids {
	int64_t partner, district, school1, school2, school3;
} demo_ids;

static int64_t org_key(const demo_ids *ids, const char *key)
{
	if (!strcmp(key, "partner")) return ids->partner;
	if (!strcmp(key, "district")) return ids->district;
	if (!strcmp(key, "school1")) return ids->school1;
	if (!strcmp(key, "school2")) return ids->school2;
	return ids->school3;
}

static store_rc insert_id(store *s, arena *a, const char *sql, const sql_arg *args, size_t n, int64_t *id)
{
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, n, &r);
	if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

static store_rc add_org(store *s, arena *a, const char *kind, const char *name, int64_t parent,
			const char *dtype, const char *band, int64_t *id)
{
	sql_arg args[] = {ARG_TEXT(kind),  ARG_TEXT(name), parent ? ARG_INT(parent) : ARG_NULL,
			  ARG_TEXT(dtype), ARG_TEXT(band), ARG_INT(now_unix())};
	return insert_id(s, a,
			 "INSERT INTO org (kind, name, parent_id, district_type, size_band, created_at) "
			 "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			 args, COUNT_OF(args), id);
}

static store_rc add_orgs(store *s, arena *a, demo_ids *ids)
{
	store_rc rc;
	if ((rc = add_org(s, a, "partner", "Lakeshore Mathematics Collaborative", 0, NULL, NULL,
			  &ids->partner)) ||
	    (rc = add_org(s, a, "district", "Prairie Glen School District 41", 0, "suburban", "2500-10000",
			  &ids->district)) ||
	    (rc = add_org(s, a, "school", "Meadowbrook Elementary School", ids->district, NULL, NULL,
			  &ids->school1)) ||
	    (rc = add_org(s, a, "school", "Cedar Ridge Elementary School", ids->district, NULL, NULL,
			  &ids->school2)) ||
	    (rc = add_org(s, a, "school", "Prairie Glen Middle School", ids->district, NULL, NULL,
			  &ids->school3)))
		return rc;
	sql_arg flags[] = {ARG_INT(ids->district)};
	return store_query(s, a, "UPDATE org SET flag_ell = 1, flag_econ = 0 WHERE id = $1", flags, 1, NULL);
}

static store_rc add_team(store *s, arena *a, int64_t org_id, const char *name, const char *kind,
			 const char *grade, int64_t *id)
{
	sql_arg args[] = {ARG_INT(org_id), ARG_TEXT(name), ARG_TEXT(kind), ARG_TEXT(grade),
			  ARG_INT(now_unix())};
	return insert_id(s, a,
			 "INSERT INTO team (org_id, name, kind, grade, created_at) "
			 "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			 args, COUNT_OF(args), id);
}

static store_rc join_team(store *s, arena *a, const char *team, int64_t person, const char *team_role)
{
	sql_arg args[] = {ARG_TEXT(team), ARG_INT(person), ARG_TEXT(team_role)};
	return store_query(s, a,
			   "INSERT INTO team_member (team_id, person_id, team_role) "
			   "SELECT id, $2, $3 FROM team WHERE name = $1",
			   args, COUNT_OF(args), NULL);
}

static store_rc add_teams(store *s, arena *a, const demo_ids *ids)
{
	static const char *const grades[] = {"GK", "G1", "G2", "G3", "G4", "G5"};
	store_rc rc;
	int64_t id;
	for (size_t i = 0; i < COUNT_OF(grades); i++)
		if ((rc = add_team(s, a, ids->school1, grades[i], "grade_level", grades[i] + 1, &id)))
			return rc;
	if ((rc = add_team(s, a, ids->school3, "G6-8", "grade_band", "6-8", &id)) ||
	    (rc = add_team(s, a, ids->school3, "G6-8 Leadership", "leadership", "6-8", &id)) ||
	    (rc = add_team(s, a, ids->district, "District Math Leadership Team", "leadership", NULL, &id)))
		return rc;
	return STORE_OK;
}

static int add_people(store *s, arena *a, const demo_ids *ids, char *err, size_t errlen)
{
	for (size_t i = 0; i < COUNT_OF(accounts); i++) {
		const demo_account *d = &accounts[i];
		int64_t pid = person_add_with_role(s, a, d->email, d->name, d->role, org_key(ids, d->org),
						   err, errlen);
		if (pid <= 0 || account_set_password(s, a, d->email, demo_password, err, errlen)) return 1;
		/* The partner coach is also partner staff; the leader leads the
		 * district team; both demo teachers are on the Grade 3 team. */
		if (!strcmp(d->role, "coach") &&
		    person_add_with_role(s, a, d->email, d->name, "partner_staff", ids->partner, err,
					 errlen) <= 0)
			return 1;
		const char *team = !strcmp(d->role, "teacher") ? "G3"
			: !strcmp(d->role, "district_leader") || !strcmp(d->role, "principal")
			? "District Math Leadership Team"
			: NULL;
		if (team && join_team(s, a, team, pid, "member")) goto store_failed;
	}
	for (size_t i = 0; i < COUNT_OF(people); i++) {
		char email[128];
		snprintf(email, sizeof email, "person%zu@demo.example.org", i + 1);
		int64_t pid = person_add_with_role(s, a, email, people[i].name, people[i].role,
						   org_key(ids, people[i].org), err, errlen);
		if (pid <= 0) return 1;
		if (people[i].team && join_team(s, a, people[i].team, pid, "member")) goto store_failed;
	}
	return 0;
store_failed:
	snprintf(err, errlen, "%s", store_errmsg(s));
	return 1;
}

/* The school year of the partnership, its terms, and one math class per
 * teacher at the demo schools (students only counted). */
static store_rc add_year_and_classes(store *s, arena *a, const demo_ids *ids)
{
	int64_t year = 0, fall = 0;
	sql_arg y[] = {ARG_INT(ids->district), ARG_INT(now_unix())};
	store_rc rc = insert_id(s, a,
				"INSERT INTO school_year (district_id, name, starts_on, ends_on, created_at) "
				"VALUES ($1, '2025–2026', '2025-08-18', '2026-06-05', $2) RETURNING id",
				y, 2, &year);
	if (rc) return rc;
	sql_arg t[] = {ARG_INT(year)};
	if ((rc = insert_id(s, a,
			    "INSERT INTO term (school_year_id, name, starts_on, ends_on) "
			    "VALUES ($1, 'Fall', '2025-08-18', '2026-01-16') RETURNING id",
			    t, 1, &fall)) ||
	    (rc = store_query(s, a,
			      "INSERT INTO term (school_year_id, name, starts_on, ends_on) "
			      "VALUES ($1, 'Spring', '2026-01-20', '2026-06-05')",
			      t, 1, NULL)))
		return rc;
	/* One class per teacher: the grade comes from the teacher's team. */
	sql_arg c[] = {ARG_INT(fall), ARG_INT(now_unix())};
	if ((rc = store_query(
		     s, a,
		     "INSERT INTO class (school_id, title, grade, term_id, student_count, created_at) "
		     "SELECT r.org_id, 'Math · ' || p.name, COALESCE(t.grade, '3'), $1, "
		     " 20 + (p.id % 7), $2 "
		     "FROM person p JOIN person_role r ON r.person_id = p.id AND r.role = 'teacher' "
		     "LEFT JOIN team_member m ON m.person_id = p.id "
		     "LEFT JOIN team t ON t.id = m.team_id AND t.kind IN ('grade_level', 'grade_band') "
		     "WHERE t.id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM team_member m2 WHERE m2.person_id "
		     "= p.id)",
		     c, 2, NULL)))
		return rc;
	return store_query(s, a,
			   "INSERT INTO class_teacher (class_id, person_id) "
			   "SELECT c.id, p.id FROM class c JOIN person p ON c.title = 'Math · ' || p.name",
			   NULL, 0, NULL);
}

/* The demo agreement between the demo partner and district, accepted by
 * the district's leader and active: eight coaching days and one PD half day
 * at $1,800.00 ($16,200.00 in all), and the seats, registrations and
 * resources that come at no charge. The sessions that deliver it are added
 * separately. */
static store_rc add_engagement(store *s, arena *a, const demo_ids *ids)
{
	int64_t id = 0;
	sql_arg e[] = {ARG_INT(ids->partner), ARG_INT(ids->district), ARG_INT(now_unix())};
	store_rc rc = insert_id(
		s, a,
		"INSERT INTO engagement (partner_id, district_id, title, school_year_id, starts_on, ends_on, "
		"goals, focus, curriculum, pl_type, audiences, delivery_format, state, decided_by, "
		"decided_at, created_at) "
		"VALUES ($1, $2, 'Mathematics Instructional Coaching and Professional Development "
		"2025–2026', "
		"(SELECT MIN(id) FROM school_year WHERE district_id = $2), '2025-06-01', '2026-06-30', "
		"'Strengthen mathematics teaching and learning through instructional coaching and "
		"professional development.', "
		"'Standards for Mathematical Practice with Teaching Practices 2, 4, 5, 7; elicit and use "
		"student thinking', NULL, 'ongoing', 'teachers,school_leaders,coaches,district_leaders', "
		"'in_person', 'active', (SELECT id FROM person WHERE email = 'lead@example.org'), $3, $3) "
		"RETURNING id",
		e, COUNT_OF(e), &id);
	if (rc) return rc;
	static const char *const focus[] = {"TP2", "TP4", "TP5", "TP7"};
	for (size_t i = 0; i < COUNT_OF(focus); i++) {
		sql_arg f[] = {ARG_INT(id), ARG_TEXT(focus[i])};
		if ((rc = store_query(s, a,
				      "INSERT INTO engagement_focus (engagement_id, code) VALUES ($1, $2)", f,
				      2, NULL)))
			return rc;
	}
	static const struct {
		const char *kind;
		int64_t milli, cents;
	} lines[] = {
		{"coaching_day", 8000, 180000},
		{"pd_half_day", 1000, 180000},
		{"leadership_institute_seat", 10000, 0},
		{"summer_institute_registration", 10000, 0},
		{"resource_access", 1000, 0},
	};
	for (size_t i = 0; i < COUNT_OF(lines); i++) {
		sql_arg l[] = {ARG_INT(id), ARG_TEXT(lines[i].kind), ARG_INT(lines[i].milli),
			       ARG_INT(lines[i].cents), ARG_INT((int64_t)i + 1)};
		if ((rc = store_query(
			     s, a,
			     "INSERT INTO service_line (engagement_id, kind_id, quantity_milli, unit, "
			     "unit_price_cents, position) SELECT $1, id, $3, default_unit, $4, $5 "
			     "FROM service_kind WHERE code = $2",
			     l, COUNT_OF(l), NULL)))
			return rc;
	}
	return STORE_OK;
}

/* ---- the agreement's sessions (after the engagement: found by query) ---- */

int64_t demo_id(store *s, arena *a, const char *sql, const char *key)
{
	sql_arg args[] = {ARG_TEXT(key)};
	store_rows r;
	if (store_query(s, a, sql, args, key ? 1 : 0, &r) != STORE_OK || !r.nrows) return 0;
	return rows_int(&r, 0, 0);
}

int64_t demo_person(store *s, arena *a, const char *name)
{
	return demo_id(s, a, "SELECT id FROM person WHERE name = $1 ORDER BY id LIMIT 1", name);
}

int64_t demo_org(store *s, arena *a, const char *name)
{
	return demo_id(s, a, "SELECT id FROM org WHERE name = $1 ORDER BY id LIMIT 1", name);
}

int64_t demo_builtin_rubric(store *s, arena *a, const char *builtin_key)
{
	return demo_id(s, a, "SELECT current_version_id FROM rubric WHERE builtin_key = $1", builtin_key);
}

/* clang-format off */
#define DEMO_LINE "SELECT l.id FROM service_line l JOIN service_kind k ON k.id = l.kind_id " \
		  "WHERE k.code = $1 ORDER BY l.id LIMIT 1"
/* clang-format on */
#define DEMO_TEAM "SELECT id FROM team WHERE name = $1"

/* Delivered sessions get everyone on the roll present but the last. */
static store_rc demo_deliver(store *s, arena *a, int64_t id)
{
	session_party *roll;
	size_t n;
	store_rc rc = pl_session_set_status(s, a, id, "delivered", NULL);
	if (rc == STORE_OK) rc = pl_session_roll(s, a, id, &roll, &n);
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = pl_session_attend(s, a, id, roll[i].id, n < 2 || i + 1 < n, 0);
	return rc;
}

static store_rc demo_session(store *s, arena *a, session_input *in, int64_t district, int64_t grid,
			     int64_t day, bool delivered, int64_t *id)
{
	session_check(a, in, &(form_errors){0});
	store_rc rc = pl_session_insert(s, a, in, district, 0, grid, day, id);
	if (rc == STORE_OK) rc = pl_session_set_parties(s, a, *id, in);
	if (rc == STORE_OK && delivered) rc = demo_deliver(s, a, *id);
	return rc;
}

/* Four collaborative coaching days, AM and PM, a grade-level team each. */
static store_rc demo_grid(store *s, arena *a, session_input base, const char *const dates[4],
			  int64_t district, const demo_ids *ids, int delivered_days)
{
	static const char *const teams[8] = {"GK", "G1", "G2", "G3", "G4", "G5", "G6-8", "G6-8 Leadership"};
	int64_t grid = 0;
	for (int i = 0; i < 8; i++) {
		int64_t team = demo_id(s, a, DEMO_TEAM, teams[i]), id = 0;
		session_input in = base;
		in.on_date = dates[i / 2];
		in.block = i % 2 ? "pm" : "am";
		in.teams = &team;
		in.nteams = 1;
		in.school_id = i < 6 ? ids->school1 : ids->school3;
		store_rc rc = demo_session(s, a, &in, district, grid, i / 2 + 1, i / 2 < delivered_days, &id);
		if (rc != STORE_OK) return rc;
		if (!grid) {
			grid = id;
			sql_arg g[] = {ARG_INT(id)};
			if ((rc = store_query(s, a, "UPDATE pl_session SET grid_id = id WHERE id = $1", g, 1,
					      NULL)))
				return rc;
		}
	}
	return STORE_OK;
}

/* October's half-day PD with both partner coaches for the K-8 teachers
 * (delivered, with attendance); the two collaborative coaching cycles
 * (late Nov/Dec, the first two days delivered; late Jan/Feb, planned);
 * April's reflection with the district leadership team (planned). */
static store_rc add_sessions(store *s, arena *a, const demo_ids *ids)
{
	int64_t eng = demo_id(s, a, "SELECT id FROM engagement ORDER BY id LIMIT 1", NULL);
	if (!eng) return STORE_OK;
	int64_t coaches[2] = {demo_person(s, a, "Carmen Ortiz"), demo_person(s, a, "Jamal Reed")};
	static const char *const k8[] = {"GK", "G1", "G2", "G3", "G4", "G5", "G6-8"};
	int64_t k8_teams[COUNT_OF(k8)];
	for (size_t i = 0; i < COUNT_OF(k8); i++) k8_teams[i] = demo_id(s, a, DEMO_TEAM, k8[i]);
	int64_t id = 0;
	session_input pd = {.kind = "pd_workshop",
			    .title = "Half-day PD: eliciting and using student reasoning",
			    .on_date = "2025-10-10",
			    .block = "am",
			    .format = "in_person",
			    .place = "Prairie Glen Middle School library",
			    .engagement_id = eng,
			    .service_line_id = demo_id(s, a, DEMO_LINE, "pd_half_day"),
			    .draw = "1",
			    .facilitators = coaches,
			    .nfacilitators = 2,
			    .teams = k8_teams,
			    .nteams = COUNT_OF(k8_teams),
			    .agenda = "Dig into strategies for eliciting and using student reasoning. "
				      "Leave with an assessment task to bring student work to the first "
				      "collaborative coaching day."};
	store_rc rc = demo_session(s, a, &pd, ids->district, 0, 0, true, &id);
	if (rc) return rc;
	session_input cc = {.kind = "collaborative_coaching",
			    .title = "Collaborative coaching cycle",
			    .format = "in_person",
			    .engagement_id = eng,
			    .service_line_id = demo_id(s, a, DEMO_LINE, "coaching_day"),
			    .draw = "0.5",
			    .facilitators = coaches,
			    .nfacilitators = 1,
			    .agenda = "Each grade-level team brings student work from a performance task."};
	static const char *const fall[4] = {"2025-12-01", "2025-12-02", "2025-12-03", "2025-12-04"};
	static const char *const winter[4] = {"2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"};
	if ((rc = demo_grid(s, a, cc, fall, ids->district, ids, 2)) ||
	    (rc = demo_grid(s, a, cc, winter, ids->district, ids, 0)))
		return rc;
	int64_t leaders = demo_id(s, a, DEMO_TEAM, "District Math Leadership Team");
	session_input april = {.kind = "leadership_meeting",
			       .title = "Reflection with the District Math Leadership Team",
			       .on_date = "2026-04-15",
			       .block = "pm",
			       .format = "in_person",
			       .engagement_id = eng,
			       .facilitators = coaches,
			       .nfacilitators = 2,
			       .teams = &leaders,
			       .nteams = 1};
	return demo_session(s, a, &april, ids->district, 0, 0, false, &id);
}

/* ---- coaching cycles, as the cycle pages leave them ---- */

/* Carmen Ortiz's cycles with Tom Becker and with the Grade 3 team at
 * Meadowbrook (one shared with the principal, one not), and the district
 * coach's at the other two schools, so the leaders' report has more than
 * one school. Times are UTC: mornings in the district's Central time.
 * Students are never named, in notes either. */
typedef struct demo_answer {
	const char *key, *value; /* class_id "*": the enacting teacher's class */
} demo_answer;

typedef struct demo_stage {
	const char *stage;   /* NULL ends the list */
	const char *teacher; /* an enactment's classroom */
	const char *saved;   /* "2026-02-10 16:10": when last saved; NULL: never */
	const char *by;      /* who saved it last */
	int64_t version;
	bool complete;
	demo_answer answers[14];
} demo_stage;

typedef struct demo_event {
	const char *at, *who, *what, *detail;
} demo_event;

typedef struct demo_note {
	const char *at, *tag, *body;
} demo_note;

typedef struct demo_cycle {
	const char *kind, *title, *state, *school, *coach, *grade, *team;
	const char *teachers[4];
	bool partner;           /* held by the partner's coach */
	const char *session_on; /* the team's coaching session that day */
	int previous;           /* index of the cycle it follows, -1: none */
	const char *started_on, *lesson_on, *closed;
	const char *focus;
	demo_stage stages[6];
	demo_event events[8];
} demo_cycle;

enum { DEMO_SHARED = 1 }; /* the cycle Tom shares with the principal */

static const demo_cycle demo_cycles[] = {
	{"individual",
	 "Partitioning shapes into equal parts",
	 "closed",
	 "school1",
	 "Carmen Ortiz",
	 "3",
	 NULL,
	 {"Tom Becker"},
	 true,
	 NULL,
	 -1,
	 "2026-01-05",
	 "2026-01-14",
	 "2026-01-21 17:00",
	 "TP4",
	 {{"plan",
	   NULL,
	   "2026-01-08 21:30",
	   "Carmen Ortiz",
	   2,
	   true,
	   {{"focus", "TP4"},
	    {"standards", "3.G.A.2"},
	    {"goal",
	     "Students partition shapes into parts with equal areas and name each part as a unit fraction of "
	     "the whole."},
	    {"task",
	     "Share paper brownies fairly among 2, 3, 4 and 6 friends by folding and cutting; record each "
	     "share as a unit fraction."},
	    {"anticipated",
	     "Some students will make the right number of pieces without equal areas; some will name a piece "
	     "by how many cuts it took rather than by the whole."},
	    {"coach_role", "observe"},
	    {"who_leads",
	     "Tom leads the lesson; Carmen observes two groups and writes down the questions students ask."},
	    {"evidence", "Student drawings of their shares and the words they use to name one share."},
	    {"tallies", "Students who named a share as a unit fraction"},
	    {"lesson_on", "2026-01-14"},
	    {"lesson_at", "09:05"},
	    {"class_id", "*"},
	    {"minutes", "30"}}},
	  {"enact",
	   "Tom Becker",
	   "2026-01-14 16:20",
	   "Carmen Ortiz",
	   2,
	   true,
	   {{"summary",
	     "Most groups folded equal halves and fourths; sixths were hard to make equal, and two groups "
	     "argued that unequal pieces were still sixths."},
	    {"minutes", "50"}}},
	  {"reflect",
	   NULL,
	   "2026-01-16 21:10",
	   "Tom Becker",
	   2,
	   true,
	   {{"compared",
	     "We expected unequal pieces and saw them mostly with sixths; naming a piece by the number of "
	     "cuts did not come up."},
	    {"worked", "Letting groups compare their brownies side by side before anyone named the pieces."},
	    {"student_learning",
	     "Students can explain that fourths must be the same size, and most can name one share as 1/4 of "
	     "the whole."},
	    {"teacher_learning",
	     "Tom found that asking whether a share is fair opened the talk about equal areas better than "
	     "asking how many pieces."},
	    {"next_steps",
	     "Place unit fractions on a number line next, so equal parts become equal distances."},
	    {"minutes", "30"}}}},
	 {{"2026-01-05 15:00", "Carmen Ortiz", "start", NULL},
	  {"2026-01-07 22:00", "Carmen Ortiz", "plan.save", "goal, task, anticipated"},
	  {"2026-01-08 21:30", "Carmen Ortiz", "plan.complete",
	   "focus, standards, tallies, lesson_on, minutes"},
	  {"2026-01-14 16:20", "Carmen Ortiz", "enact.complete", "summary, minutes"},
	  {"2026-01-16 21:10", "Tom Becker", "reflect.complete",
	   "compared, worked, student_learning, teacher_learning, next_steps, minutes"},
	  {"2026-01-21 17:00", "Carmen Ortiz", "close", NULL}}},

	{"individual",
	 "Fractions on a number line",
	 "reflected",
	 "school1",
	 "Carmen Ortiz",
	 "3",
	 NULL,
	 {"Tom Becker"},
	 true,
	 NULL,
	 0,
	 "2026-01-26",
	 "2026-02-10",
	 NULL,
	 "MP3 TP4",
	 {{"plan",
	   NULL,
	   "2026-01-29 21:45",
	   "Tom Becker",
	   3,
	   true,
	   {{"focus", "MP3 TP4"},
	    {"standards", "3.NF.A.2"},
	    {"goal",
	     "Students represent a fraction 1/b on a number line by partitioning the interval from 0 to 1 "
	     "into b equal parts, and explain why each part is 1/b."},
	    {"task",
	     "Where does 3/4 go? Students fold a paper strip to place 1/4, 2/4 and 3/4 on a number line, "
	     "then convince a partner that their placement is right."},
	    {"anticipated",
	     "Students may count tick marks instead of the spaces between them and put 3/4 on the third "
	     "mark; some may think 3/4 is more than 1 because 3 and 4 are big numbers."},
	    {"coach_role", "co_teach"},
	    {"who_leads",
	     "Tom launches the task and leads the closing discussion; Carmen confers with small groups "
	     "during work time."},
	    {"evidence",
	     "Which students count spaces and which count marks, and the words they use to justify where 3/4 "
	     "goes."},
	    {"tallies", "Students who explained their reasoning\nStudents who placed 3/4 correctly"},
	    {"lesson_on", "2026-02-10"},
	    {"lesson_at", "09:05"},
	    {"class_id", "*"},
	    {"minutes", "40"}}},
	  {"enact",
	   "Tom Becker",
	   "2026-02-10 16:10",
	   "Carmen Ortiz",
	   2,
	   true,
	   {{"summary",
	     "Folding the strip into fourths helped most students see equal spaces. Five students counted "
	     "marks at first; after comparing strips with a partner, four of them moved 3/4."},
	    {"minutes", "55"}}},
	  {"reflect",
	   NULL,
	   "2026-02-12 21:20",
	   "Tom Becker",
	   3,
	   true,
	   {{"compared",
	     "We anticipated counting marks instead of spaces and saw it in five students, fewer than we "
	     "feared. Nobody argued that 3/4 was more than 1."},
	    {"worked",
	     "Folding the strip before drawing tick marks, and asking partners to convince each other."},
	    {"student_learning",
	     "Most students can now say why each space is one fourth and place 3/4 by counting three spaces "
	     "from 0."},
	    {"teacher_learning",
	     "Tom noticed that partner explanations surfaced the counting-marks idea better than a "
	     "whole-class question did."},
	    {"next_steps",
	     "Compare fractions with the same denominator on the number line; keep partner explanations as "
	     "the routine."},
	    {"minutes", "35"}}}},
	 {{"2026-01-26 15:00", "Carmen Ortiz", "start", NULL},
	  {"2026-01-28 22:10", "Tom Becker", "plan.save", "goal, task"},
	  {"2026-01-29 21:45", "Tom Becker", "plan.complete",
	   "focus, standards, anticipated, evidence, tallies, lesson_on, minutes"},
	  {"2026-02-10 16:10", "Carmen Ortiz", "enact.complete", "summary, minutes"},
	  {"2026-02-12 21:20", "Tom Becker", "reflect.complete",
	   "compared, worked, student_learning, teacher_learning, next_steps, minutes"},
	  {"2026-02-13 14:30", "Tom Becker", "share", "person principal, stage all"}}},

	{"individual",
	 "Comparing fractions",
	 "planning",
	 "school1",
	 "Carmen Ortiz",
	 "3",
	 NULL,
	 {"Tom Becker"},
	 true,
	 NULL,
	 1,
	 "2026-02-16",
	 "2026-03-05",
	 NULL,
	 "MP3",
	 {{"plan",
	   NULL,
	   "2026-02-18 22:00",
	   "Carmen Ortiz",
	   1,
	   false,
	   {{"focus", "MP3"},
	    {"standards", "3.NF.A.3d"},
	    {"goal",
	     "Students compare two fractions with the same numerator or the same denominator by reasoning "
	     "about their size, and record the result with >, = or <."},
	    {"task", "Draft: which is more, 3/8 or 3/6 of the same pan of cornbread?"},
	    {"anticipated", "Students may say 3/8 is more because 8 is more than 6."},
	    {"coach_role", "co_teach"},
	    {"lesson_on", "2026-03-05"},
	    {"minutes", "25"}}},
	  {"enact", "Tom Becker", NULL, NULL, 0, false, {{NULL, NULL}}},
	  {"reflect", NULL, NULL, NULL, 0, false, {{NULL, NULL}}}},
	 {{"2026-02-16 15:00", "Carmen Ortiz", "start", NULL},
	  {"2026-02-18 22:00", "Carmen Ortiz", "plan.save",
	   "focus, standards, goal, task, anticipated, coach_role, lesson_on, minutes"}}},

	{"collaborative",
	 "Grade 3 team: unit fractions in a fair-share task",
	 "enacted",
	 "school1",
	 "Carmen Ortiz",
	 "3",
	 "G3",
	 {"Ben Adeyemi", "Grace Liu", "Tom Becker"},
	 true,
	 "2026-02-03",
	 -1,
	 "2026-01-27",
	 "2026-02-03",
	 NULL,
	 "MP1 TP2",
	 {{"plan",
	   NULL,
	   "2026-01-29 23:00",
	   "Carmen Ortiz",
	   2,
	   true,
	   {{"focus", "MP1 TP2"},
	    {"standards", "3.NF.A.1"},
	    {"goal",
	     "Students understand a unit fraction as one part of a whole partitioned into equal parts, and "
	     "build other fractions from unit fractions."},
	    {"task",
	     "Four friends share three granola bars fairly. How much does each friend get? Show how you "
	     "know."},
	    {"anticipated",
	     "Some students will give each friend a whole bar and split the last one; some will cut every "
	     "bar into fourths; some will say each gets 3 pieces without naming the unit."},
	    {"coach_role", "model"},
	    {"who_leads",
	     "Carmen models the launch in Grace's class; each teacher then teaches the task in their own "
	     "class that week."},
	    {"evidence", "Student work from each class, sorted by strategy for the team's debrief."},
	    {"tallies", "Students who shared every bar into fourths"},
	    {"lesson_on", "2026-02-03"},
	    {"minutes", "60"}}},
	  {"enact",
	   "Ben Adeyemi",
	   "2026-02-05 17:00",
	   "Ben Adeyemi",
	   2,
	   true,
	   {{"summary",
	     "Ben's class mostly split every bar into fourths; three students gave whole bars first."},
	    {"minutes", "45"}}},
	  {"enact",
	   "Grace Liu",
	   "2026-02-03 16:00",
	   "Carmen Ortiz",
	   2,
	   true,
	   {{"summary",
	     "The modelled launch went quickly; students asked whether the bars must be the same size."},
	    {"minutes", "45"}}},
	  {"enact",
	   "Tom Becker",
	   "2026-02-04 16:30",
	   "Tom Becker",
	   2,
	   true,
	   {{"summary", "Tom's class used the number line strips from the last cycle to show 3/4 of a bar."},
	    {"minutes", "45"}}},
	  {"reflect", NULL, NULL, NULL, 0, false, {{NULL, NULL}}}},
	 {{"2026-01-27 15:00", "Carmen Ortiz", "start", NULL},
	  {"2026-01-29 23:00", "Carmen Ortiz", "plan.complete",
	   "focus, standards, goal, task, anticipated, coach_role, who_leads, evidence, tallies, lesson_on, "
	   "minutes"},
	  {"2026-02-03 16:00", "Carmen Ortiz", "enact.complete", "summary, minutes"},
	  {"2026-02-04 16:30", "Tom Becker", "enact.complete", "summary, minutes"},
	  {"2026-02-05 17:00", "Ben Adeyemi", "enact.complete", "summary, minutes"}}},

	{"individual",
	 "Arrays and area",
	 "reflected",
	 "school2",
	 "Kim Sorensen",
	 "3",
	 NULL,
	 {"Ivan Petrov"},
	 false,
	 NULL,
	 -1,
	 "2026-03-02",
	 "2026-03-10",
	 NULL,
	 "TP5 MP7",
	 {{"plan",
	   NULL,
	   "2026-03-04 21:00",
	   "Kim Sorensen",
	   2,
	   true,
	   {{"focus", "TP5 MP7"},
	    {"standards", "3.MD.C.7a"},
	    {"goal",
	     "Students find the area of a rectangle by tiling it and show that it is the same as multiplying "
	     "the side lengths."},
	    {"task",
	     "How many square tiles cover the garden bed? Find two ways to know without counting every "
	     "tile."},
	    {"anticipated",
	     "Students may count tiles one by one or add rows; some may multiply and not connect it to the "
	     "rows of tiles."},
	    {"coach_role", "observe"},
	    {"tallies", "Students who used rows or columns"},
	    {"lesson_on", "2026-03-10"},
	    {"minutes", "30"}}},
	  {"enact",
	   "Ivan Petrov",
	   "2026-03-10 17:00",
	   "Kim Sorensen",
	   2,
	   true,
	   {{"summary",
	     "About half the class skip-counted rows; the gallery walk let others see the shortcut."},
	    {"minutes", "45"}}},
	  {"reflect",
	   NULL,
	   "2026-03-12 21:00",
	   "Ivan Petrov",
	   2,
	   true,
	   {{"compared", "Fewer students than expected counted one by one."},
	    {"next_steps", "Move from tiles to drawn rectangles with side lengths only."},
	    {"minutes", "30"}}}},
	 {{"2026-03-02 15:00", "Kim Sorensen", "start", NULL},
	  {"2026-03-04 21:00", "Kim Sorensen", "plan.complete",
	   "focus, standards, goal, task, anticipated, coach_role, tallies, lesson_on, minutes"},
	  {"2026-03-10 17:00", "Kim Sorensen", "enact.complete", "summary, minutes"},
	  {"2026-03-12 21:00", "Ivan Petrov", "reflect.complete", "compared, next_steps, minutes"}}},

	{"individual",
	 "Ratio tables and double number lines",
	 "planning",
	 "school3",
	 "Kim Sorensen",
	 "6-8",
	 NULL,
	 {"Erin Walsh"},
	 false,
	 NULL,
	 -1,
	 "2026-04-06",
	 "2026-04-14",
	 NULL,
	 "TRU2 MP4",
	 {{"plan",
	   NULL,
	   "2026-04-08 20:00",
	   "Erin Walsh",
	   2,
	   true,
	   {{"focus", "TRU2 MP4"},
	    {"standards", "6.RP.A.3"},
	    {"goal",
	     "Students use ratio tables and double number lines to compare unit rates in a real situation."},
	    {"task",
	     "Which store sells the better deal on notebooks? Use a table or a double number line to "
	     "convince the class."},
	    {"coach_role", "co_teach"},
	    {"lesson_on", "2026-04-14"},
	    {"minutes", "35"}}},
	  {"enact", "Erin Walsh", NULL, NULL, 0, false, {{NULL, NULL}}},
	  {"reflect", NULL, NULL, NULL, 0, false, {{NULL, NULL}}}},
	 {{"2026-04-06 15:00", "Kim Sorensen", "start", NULL},
	  {"2026-04-08 20:00", "Erin Walsh", "plan.complete",
	   "focus, standards, goal, task, coach_role, lesson_on, minutes"}}},
};

/* The lesson of "Fractions on a number line", as the coach tapped it in. */
static const demo_note demo_notes[] = {
	{"2026-02-10 15:08", "question", "Tom asked where zero goes on the strip, and why there."},
	{"2026-02-10 15:12", "student_reasoning",
	 "A student at table 2 folded the strip in half twice and said each part is one of four equal "
	 "spaces."},
	{"2026-02-10 15:15", "misconception",
	 "Two students at table 3 counted tick marks and put 3/4 on the third mark."},
	{"2026-02-10 15:19", "teacher_move",
	 "Tom paired table 3 with table 4 to compare strips instead of correcting them."},
	{"2026-02-10 15:24", "strategy",
	 "One student checked with a finger that the spaces were equal before labelling."},
	{"2026-02-10 15:29", "student_reasoning",
	 "After comparing: \"it's the spaces, not the lines\", and 3/4 moved."},
	{"2026-02-10 15:36", "question",
	 "Carmen asked a group whether 4/4 is on their strip too, and where."},
	{"2026-02-10 15:44", "misconception",
	 "One student still thinks 1/4 is more than 1/3 because 4 is more than 3."},
};

static const struct {
	const char *label;
	int64_t count;
} demo_tallies[] = {
	{"Students who explained their reasoning", 14},
	{"Students who placed 3/4 correctly", 17},
};

/* "2026-02-10 15:08" (UTC) as unix seconds; a day alone is 15:00. */
static int64_t demo_at(const char *when)
{
	int64_t t = days_from_civil(atoi(when), atoi(when + 5), atoi(when + 8)) * 86400;
	return t + (strlen(when) >= 16 ? atoi(when + 11) * 3600 + atoi(when + 14) * 60 : 15 * 3600);
}

static sql_arg text_or_null(const char *s)
{
	return s ? ARG_TEXT(s) : ARG_NULL;
}

static sql_arg id_or_null(int64_t id)
{
	return id ? ARG_INT(id) : ARG_NULL;
}

static store_rc add_cycle_row(store *s, arena *a, const demo_ids *ids, const demo_cycle *dc, int64_t previous,
			      int64_t *id)
{
	int64_t coach = demo_person(s, a, dc->coach);
	int64_t session = 0;
	if (dc->session_on) {
		sql_arg q[] = {ARG_TEXT(dc->team), ARG_TEXT(dc->session_on)};
		store_rows r;
		store_rc rc = store_query(
			s, a,
			"SELECT s.id FROM pl_session s JOIN session_participant sp ON sp.session_id = s.id "
			"JOIN team t ON t.id = sp.team_id WHERE t.name = $1 AND s.on_date = $2 "
			"ORDER BY s.id LIMIT 1",
			q, COUNT_OF(q), &r);
		if (rc) return rc;
		session = r.nrows ? rows_int(&r, 0, 0) : 0;
	}
	const demo_event *last = &dc->events[0];
	while (last + 1 < dc->events + COUNT_OF(dc->events) && last[1].at) last++;
	sql_arg args[] = {ARG_TEXT(dc->kind),
			  ARG_TEXT(dc->title),
			  ARG_TEXT(dc->state),
			  ARG_INT(ids->district),
			  ARG_INT(org_key(ids, dc->school)),
			  id_or_null(dc->team ? demo_id(s, a, DEMO_TEAM, dc->team) : 0),
			  id_or_null(dc->partner ? ids->partner : 0),
			  ARG_TEXT(dc->grade),
			  id_or_null(session),
			  id_or_null(previous),
			  ARG_TEXT(dc->started_on),
			  text_or_null(dc->lesson_on),
			  ARG_INT(coach),
			  ARG_INT(demo_at(dc->started_on)),
			  ARG_INT(demo_at(last->at)),
			  dc->closed ? ARG_INT(demo_at(dc->closed)) : ARG_NULL};
	return insert_id(
		s, a,
		"INSERT INTO coaching_cycle (kind, title, state, district_id, school_id, team_id, "
		"partner_id, grade, session_id, previous_id, started_on, lesson_on, created_by, "
		"created_at, updated_at, closed_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
		args, COUNT_OF(args), id);
}

static store_rc add_cycle_people(store *s, arena *a, int64_t cycle, const demo_cycle *dc)
{
	sql_arg c[] = {ARG_INT(cycle), ARG_INT(demo_person(s, a, dc->coach))};
	store_rc rc = store_query(
		s, a, "INSERT INTO cycle_member (cycle_id, person_id, member_role) VALUES ($1, $2, 'coach')",
		c, COUNT_OF(c), NULL);
	for (size_t i = 0; rc == STORE_OK && i < COUNT_OF(dc->teachers) && dc->teachers[i]; i++) {
		sql_arg t[] = {ARG_INT(cycle), ARG_INT(demo_person(s, a, dc->teachers[i]))};
		rc = store_query(s, a,
				 "INSERT INTO cycle_member (cycle_id, person_id, member_role) VALUES ($1, "
				 "$2, 'teacher')",
				 t, COUNT_OF(t), NULL);
	}
	return rc;
}

static store_rc add_answer(store *s, arena *a, int64_t stage, const demo_stage *ds, const demo_answer *x)
{
	const char *value = x->value;
	if (!strcmp(x->key, "class_id") && !strcmp(value, "*")) {
		int64_t class_id = demo_id(
			s, a,
			"SELECT ct.class_id FROM class_teacher ct JOIN person p ON p.id = ct.person_id "
			"WHERE p.name = $1 ORDER BY ct.class_id LIMIT 1",
			ds->teacher ? ds->teacher : "Tom Becker");
		if (!class_id) return STORE_OK;
		value = arena_printf(a, "%lld", (long long)class_id);
	}
	sql_arg args[] = {ARG_INT(stage), ARG_TEXT(x->key), ARG_TEXT(value)};
	return store_query(s, a, "INSERT INTO cycle_answer (stage_id, field, value) VALUES ($1, $2, $3)",
			   args, COUNT_OF(args), NULL);
}

static int64_t stage_minutes(const demo_stage *ds)
{
	for (size_t i = 0; i < COUNT_OF(ds->answers) && ds->answers[i].key; i++)
		if (!strcmp(ds->answers[i].key, "minutes")) return atoi(ds->answers[i].value);
	return 0;
}

static store_rc add_stage(store *s, arena *a, int64_t cycle, const demo_stage *ds, int64_t *id)
{
	int64_t at = ds->saved ? demo_at(ds->saved) : 0;
	sql_arg args[] = {ARG_INT(cycle),
			  ARG_TEXT(ds->stage),
			  id_or_null(ds->teacher ? demo_person(s, a, ds->teacher) : 0),
			  ARG_INT(ds->complete ? 1 : 0),
			  ARG_INT(stage_minutes(ds)),
			  ARG_INT(ds->version),
			  id_or_null(ds->by ? demo_person(s, a, ds->by) : 0),
			  id_or_null(at),
			  ds->complete ? ARG_INT(at) : ARG_NULL};
	store_rc rc =
		insert_id(s, a,
			  "INSERT INTO cycle_stage (cycle_id, stage, teacher_id, complete, minutes, version, "
			  "updated_by, updated_at, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
			  "RETURNING id",
			  args, COUNT_OF(args), id);
	for (size_t i = 0; rc == STORE_OK && i < COUNT_OF(ds->answers) && ds->answers[i].key; i++)
		rc = add_answer(s, a, *id, ds, &ds->answers[i]);
	return rc;
}

/* The shared cycle's lesson: notes and the tallies its plan asked for. */
static store_rc add_lesson_record(store *s, arena *a, int64_t stage)
{
	int64_t coach = demo_person(s, a, "Carmen Ortiz");
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < COUNT_OF(demo_notes); i++) {
		sql_arg n[] = {ARG_INT(stage), ARG_INT(coach), ARG_INT(demo_at(demo_notes[i].at)),
			       ARG_TEXT(demo_notes[i].tag), ARG_TEXT(demo_notes[i].body)};
		rc = store_query(s, a,
				 "INSERT INTO cycle_note (stage_id, author_id, taken_at, tag, body) "
				 "VALUES ($1, $2, $3, $4, $5)",
				 n, COUNT_OF(n), NULL);
	}
	for (size_t i = 0; rc == STORE_OK && i < COUNT_OF(demo_tallies); i++) {
		sql_arg t[] = {ARG_INT(stage), ARG_TEXT(demo_tallies[i].label),
			       ARG_INT(demo_tallies[i].count)};
		rc = store_query(s, a, "INSERT INTO cycle_tally (stage_id, label, count) VALUES ($1, $2, $3)",
				 t, COUNT_OF(t), NULL);
	}
	return rc;
}

static store_rc add_cycle_focus(store *s, arena *a, int64_t cycle, const char *codes)
{
	char *list = arena_strdup(a, codes), *save = NULL;
	store_rc rc = STORE_OK;
	for (char *code = strtok_r(list, " ", &save); rc == STORE_OK && code;
	     code = strtok_r(NULL, " ", &save)) {
		sql_arg f[] = {ARG_INT(cycle), ARG_TEXT(code)};
		rc = store_query(s, a, "INSERT INTO cycle_focus (cycle_id, code) VALUES ($1, $2)", f,
				 COUNT_OF(f), NULL);
	}
	return rc;
}

static store_rc add_cycle_history(store *s, arena *a, int64_t cycle, const demo_cycle *dc)
{
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < COUNT_OF(dc->events) && dc->events[i].at; i++) {
		const demo_event *e = &dc->events[i];
		const char *detail = e->detail;
		/* The share names the principal by id, as the change itself would. */
		if (!strcmp(e->what, "share"))
			detail = arena_printf(a, "person %lld, stage all",
					      (long long)demo_person(s, a, "Priya Raman"));
		sql_arg ev[] = {ARG_INT(cycle), ARG_INT(demo_person(s, a, e->who)), ARG_INT(demo_at(e->at)),
				ARG_TEXT(e->what), text_or_null(detail)};
		rc = store_query(s, a,
				 "INSERT INTO cycle_event (cycle_id, person_id, at, what, detail) "
				 "VALUES ($1, $2, $3, $4, $5)",
				 ev, COUNT_OF(ev), NULL);
	}
	return rc;
}

static store_rc add_cycle_share(store *s, arena *a, int64_t cycle)
{
	sql_arg sh[] = {ARG_INT(cycle), ARG_INT(demo_person(s, a, "Priya Raman")),
			ARG_INT(demo_person(s, a, "Tom Becker")), ARG_INT(demo_at("2026-02-13 14:30"))};
	return store_query(s, a,
			   "INSERT INTO cycle_share (cycle_id, stage, person_id, shared_by, created_at) "
			   "VALUES ($1, NULL, $2, $3, $4)",
			   sh, COUNT_OF(sh), NULL);
}

static store_rc add_cycles(store *s, arena *a, const demo_ids *ids)
{
	int64_t made[COUNT_OF(demo_cycles)] = {0};
	for (size_t i = 0; i < COUNT_OF(demo_cycles); i++) {
		const demo_cycle *dc = &demo_cycles[i];
		int64_t id = 0;
		store_rc rc = add_cycle_row(s, a, ids, dc, dc->previous >= 0 ? made[dc->previous] : 0, &id);
		if (rc == STORE_OK) rc = add_cycle_people(s, a, id, dc);
		for (size_t k = 0; rc == STORE_OK && k < COUNT_OF(dc->stages) && dc->stages[k].stage; k++) {
			int64_t stage = 0;
			rc = add_stage(s, a, id, &dc->stages[k], &stage);
			if (rc == STORE_OK && i == DEMO_SHARED && !strcmp(dc->stages[k].stage, "enact"))
				rc = add_lesson_record(s, a, stage);
		}
		if (rc == STORE_OK) rc = add_cycle_focus(s, a, id, dc->focus);
		if (rc == STORE_OK) rc = cycle_counts_keep(s, a, id);
		if (rc == STORE_OK) rc = add_cycle_history(s, a, id, dc);
		if (rc == STORE_OK && i == DEMO_SHARED) rc = add_cycle_share(s, a, id);
		if (rc != STORE_OK) return rc;
		made[i] = id;
	}
	return STORE_OK;
}

const demo_account *demo_accounts(size_t *n)
{
	*n = COUNT_OF(accounts);
	return accounts;
}

const char *demo_account_password(void)
{
	return demo_password;
}

int demo_is_empty(store *s, arena *a, bool *empty)
{
	store_rows r;
	if (store_query(s, a, "SELECT COUNT(*) FROM org", NULL, 0, &r) != STORE_OK) return 1;
	*empty = rows_int(&r, 0, 0) == 0;
	return 0;
}

int demo_load(store *s, arena *a, char *err, size_t errlen)
{
	demo_ids ids = {0};
	if (store_begin(s) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(s));
		return 1;
	}
	if (add_orgs(s, a, &ids) || add_teams(s, a, &ids)) {
		snprintf(err, errlen, "%s", store_errmsg(s));
		store_rollback(s);
		return 1;
	}
	if (add_people(s, a, &ids, err, errlen)) {
		store_rollback(s);
		return 1;
	}
	if (add_year_and_classes(s, a, &ids) || add_engagement(s, a, &ids) || add_sessions(s, a, &ids) ||
	    add_cycles(s, a, &ids) || demo_rubrics(s, a) || demo_walks(s, a) || demo_calibrations(s, a)) {
		snprintf(err, errlen, "%s", store_errmsg(s));
		store_rollback(s);
		return 1;
	}
	if (store_commit(s) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(s));
		return 1;
	}
	return 0;
}
