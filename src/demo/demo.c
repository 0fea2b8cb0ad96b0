/* Demo data, modelled on a partner's commitment to a K-8 district: a partner
 * and its coaches, a district with three schools, grade-level teams GK to
 * G5 and G6-8, a role-diverse district leadership team, and one account per
 * kind of user. All names are fictional. */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "../access/user_cli.h"
#include "../base/util.h"
#include "../calendar/session.h"

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

static store_rc insert_id(store *s, arena *a, const char *sql, const sql_arg *args, size_t n,
			  int64_t *id)
{
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, n, &r);
	if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

static store_rc add_org(store *s, arena *a, const char *kind, const char *name, int64_t parent,
			const char *dtype, const char *band, int64_t *id)
{
	sql_arg args[] = {ARG_TEXT(kind), ARG_TEXT(name), parent ? ARG_INT(parent) : ARG_NULL,
			  ARG_TEXT(dtype), ARG_TEXT(band), ARG_INT(now_unix())};
	return insert_id(s, a,
			 "INSERT INTO org (kind, name, parent_id, district_type, size_band, created_at) "
			 "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			 args, COUNT_OF(args), id);
}

static store_rc add_orgs(store *s, arena *a, demo_ids *ids)
{
	store_rc rc;
	if ((rc = add_org(s, a, "partner", "Lakeshore Mathematics Collaborative", 0, NULL, NULL, &ids->partner)) ||
	    (rc = add_org(s, a, "district", "Prairie Glen School District 41", 0, "suburban", "2500-10000", &ids->district)) ||
	    (rc = add_org(s, a, "school", "Meadowbrook Elementary School", ids->district, NULL, NULL, &ids->school1)) ||
	    (rc = add_org(s, a, "school", "Cedar Ridge Elementary School", ids->district, NULL, NULL, &ids->school2)) ||
	    (rc = add_org(s, a, "school", "Prairie Glen Middle School", ids->district, NULL, NULL, &ids->school3)))
		return rc;
	sql_arg flags[] = {ARG_INT(ids->district)};
	return store_query(s, a, "UPDATE org SET flag_ell = 1, flag_econ = 0 WHERE id = $1", flags, 1, NULL);
}

static store_rc add_team(store *s, arena *a, int64_t org_id, const char *name, const char *kind,
			 const char *grade, int64_t *id)
{
	sql_arg args[] = {ARG_INT(org_id), ARG_TEXT(name), ARG_TEXT(kind), ARG_TEXT(grade), ARG_INT(now_unix())};
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
		int64_t pid = person_add_with_role(s, a, d->email, d->name, d->role, org_key(ids, d->org), err, errlen);
		if (pid <= 0 || account_set_password(s, a, d->email, demo_password, err, errlen)) return 1;
		/* The partner coach is also partner staff; the leader leads the
		 * district team; both demo teachers are on the Grade 3 team. */
		if (!strcmp(d->role, "coach") &&
		    person_add_with_role(s, a, d->email, d->name, "partner_staff", ids->partner, err, errlen) <= 0)
			return 1;
		const char *team = !strcmp(d->role, "teacher") ? "G3"
				 : !strcmp(d->role, "district_leader") || !strcmp(d->role, "principal")
				   ? "District Math Leadership Team" : NULL;
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
	if ((rc = insert_id(s, a, "INSERT INTO term (school_year_id, name, starts_on, ends_on) "
			    "VALUES ($1, 'Fall', '2025-08-18', '2026-01-16') RETURNING id", t, 1, &fall)) ||
	    (rc = store_query(s, a, "INSERT INTO term (school_year_id, name, starts_on, ends_on) "
			      "VALUES ($1, 'Spring', '2026-01-20', '2026-06-05')", t, 1, NULL)))
		return rc;
	/* One class per teacher: the grade comes from the teacher's team. */
	sql_arg c[] = {ARG_INT(fall), ARG_INT(now_unix())};
	if ((rc = store_query(s, a,
			      "INSERT INTO class (school_id, title, grade, term_id, student_count, created_at) "
			      "SELECT r.org_id, 'Math · ' || p.name, COALESCE(t.grade, '3'), $1, "
			      " 20 + (p.id % 7), $2 "
			      "FROM person p JOIN person_role r ON r.person_id = p.id AND r.role = 'teacher' "
			      "LEFT JOIN team_member m ON m.person_id = p.id "
			      "LEFT JOIN team t ON t.id = m.team_id AND t.kind IN ('grade_level', 'grade_band') "
			      "WHERE t.id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM team_member m2 WHERE m2.person_id = p.id)",
			      c, 2, NULL)))
		return rc;
	return store_query(s, a,
			   "INSERT INTO class_teacher (class_id, person_id) "
			   "SELECT c.id, p.id FROM class c JOIN person p ON c.title = 'Math · ' || p.name",
			   NULL, 0, NULL);
}

/* Seed 000's agreement between the demo partner and district: eight
 * coaching days and one PD half day at $1,800.00 ($16,200.00 in all), and
 * the seats, registrations and resources that come at no charge. The
 * sessions that deliver it are added separately. */
static store_rc add_engagement(store *s, arena *a, const demo_ids *ids)
{
	int64_t id = 0;
	sql_arg e[] = {ARG_INT(ids->partner), ARG_INT(ids->district), ARG_INT(now_unix())};
	store_rc rc = insert_id(s, a,
		"INSERT INTO engagement (partner_id, district_id, title, school_year_id, starts_on, ends_on, "
		"goals, focus, curriculum, pl_type, audiences, delivery_format, status, created_at) "
		"VALUES ($1, $2, 'Mathematics Instructional Coaching and Professional Development 2025–2026', "
		"(SELECT MIN(id) FROM school_year WHERE district_id = $2), '2025-06-01', '2026-06-30', "
		"'Strengthen mathematics teaching and learning through instructional coaching and "
		"professional development.', "
		"'Standards for Mathematical Practice with Teaching Practices 2, 4, 5, 7; elicit and use "
		"student thinking', NULL, 'ongoing', 'teachers,school_leaders,coaches,district_leaders', "
		"'in_person', 'active', $3) RETURNING id",
		e, COUNT_OF(e), &id);
	if (rc) return rc;
	static const char *const focus[] = {"TP2", "TP4", "TP5", "TP7"};
	for (size_t i = 0; i < COUNT_OF(focus); i++) {
		sql_arg f[] = {ARG_INT(id), ARG_TEXT(focus[i])};
		if ((rc = store_query(s, a, "INSERT INTO engagement_focus (engagement_id, code) VALUES ($1, $2)",
				      f, 2, NULL)))
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
		if ((rc = store_query(s, a,
				      "INSERT INTO service_line (engagement_id, kind_id, quantity_milli, unit, "
				      "unit_price_cents, position) SELECT $1, id, $3, default_unit, $4, $5 "
				      "FROM service_kind WHERE code = $2",
				      l, COUNT_OF(l), NULL)))
			return rc;
	}
	return STORE_OK;
}

/* ---- seed 000's sessions (after the engagement: found by query) ---- */

static int64_t demo_id(store *s, arena *a, const char *sql, const char *key)
{
	sql_arg args[] = {ARG_TEXT(key)};
	store_rows r;
	if (store_query(s, a, sql, args, key ? 1 : 0, &r) != STORE_OK || !r.nrows) return 0;
	return rows_int(&r, 0, 0);
}

#define DEMO_LINE "SELECT l.id FROM service_line l JOIN service_kind k ON k.id = l.kind_id " \
		  "WHERE k.code = $1 ORDER BY l.id LIMIT 1"
#define DEMO_TEAM "SELECT id FROM team WHERE name = $1"
#define DEMO_PERSON "SELECT id FROM person WHERE name = $1"

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
			if ((rc = store_query(s, a, "UPDATE pl_session SET grid_id = id WHERE id = $1", g, 1, NULL)))
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
	int64_t coaches[2] = {demo_id(s, a, DEMO_PERSON, "Carmen Ortiz"), demo_id(s, a, DEMO_PERSON, "Jamal Reed")};
	static const char *const k8[] = {"GK", "G1", "G2", "G3", "G4", "G5", "G6-8"};
	int64_t k8_teams[COUNT_OF(k8)];
	for (size_t i = 0; i < COUNT_OF(k8); i++) k8_teams[i] = demo_id(s, a, DEMO_TEAM, k8[i]);
	int64_t id = 0;
	session_input pd = {.kind = "pd_workshop", .title = "Half-day PD: eliciting and using student reasoning",
			    .on_date = "2025-10-10", .block = "am", .format = "in_person",
			    .place = "Prairie Glen Middle School library", .engagement_id = eng,
			    .service_line_id = demo_id(s, a, DEMO_LINE, "pd_half_day"), .draw = "1",
			    .facilitators = coaches, .nfacilitators = 2, .teams = k8_teams,
			    .nteams = COUNT_OF(k8_teams),
			    .agenda = "Dig into strategies for eliciting and using student reasoning. "
				      "Leave with an assessment task to bring student work to the first "
				      "collaborative coaching day."};
	store_rc rc = demo_session(s, a, &pd, ids->district, 0, 0, true, &id);
	if (rc) return rc;
	session_input cc = {.kind = "collaborative_coaching", .title = "Collaborative coaching cycle",
			    .format = "in_person", .engagement_id = eng,
			    .service_line_id = demo_id(s, a, DEMO_LINE, "coaching_day"), .draw = "0.5",
			    .facilitators = coaches, .nfacilitators = 1,
			    .agenda = "Each grade-level team brings student work from a performance task."};
	static const char *const fall[4] = {"2025-12-01", "2025-12-02", "2025-12-03", "2025-12-04"};
	static const char *const winter[4] = {"2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05"};
	if ((rc = demo_grid(s, a, cc, fall, ids->district, ids, 2)) ||
	    (rc = demo_grid(s, a, cc, winter, ids->district, ids, 0)))
		return rc;
	int64_t leaders = demo_id(s, a, DEMO_TEAM, "District Math Leadership Team");
	session_input april = {.kind = "leadership_meeting", .title = "Reflection with the District Math Leadership Team",
			       .on_date = "2026-04-15", .block = "pm", .format = "in_person",
			       .engagement_id = eng, .facilitators = coaches, .nfacilitators = 2,
			       .teams = &leaders, .nteams = 1};
	return demo_session(s, a, &april, ids->district, 0, 0, false, &id);
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
	if (add_year_and_classes(s, a, &ids) || add_engagement(s, a, &ids) ||
	    add_sessions(s, a, &ids)) {
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
