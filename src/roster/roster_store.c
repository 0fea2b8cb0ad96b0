/* Applying a roster plan: what the database already holds is read once
 * into maps by sourcedId (a million enrollments are not a million
 * SELECTs), each record of the plan is compared with it and counted as
 * created, updated, deactivated or unchanged, and the writes happen in one
 * transaction. A dry run and a run that finds a problem decide exactly the
 * same way and write nothing. Nothing is ever deleted: a record that
 * leaves the roster is deactivated. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../access/audit.h"
#include "../access/policy.h"
#include "../base/util.h"
#include "roster.h"

enum { BATCH = 100, PAGE = 50000, MAX_CHAIN = 16 };

static const struct {
	const char *name, *label;
} kinds[RK_COUNT] = {
	[RK_ORG] = {"orgs", "Schools and districts"},
	[RK_SCHOOL_YEAR] = {"school_years", "School years"},
	[RK_TERM] = {"terms", "Terms"},
	[RK_PERSON] = {"people", "Staff"},
	[RK_ROLE] = {"roles", "Roles"},
	[RK_CLASS] = {"classes", "Classes"},
	[RK_CLASS_TEACHER] = {"class_teachers", "Class teachers"},
	[RK_ENROLLMENT] = {"enrollments", "Student enrollments"},
};

const char *roster_kind_name(roster_kind k)
{
	return (unsigned)k < RK_COUNT ? kinds[k].name : "?";
}

const char *roster_kind_label(roster_kind k)
{
	return (unsigned)k < RK_COUNT ? kinds[k].label : "?";
}

bool roster_clean(const roster_plan *p)
{
	return p && p->problems.n == 0 && p->problems.dropped == 0;
}

/* ---- what the database holds ---- */

typedef struct db_org {
	int64_t id, parent_id;
	const char *kind, *name;
	bool active, seen;
} db_org;

typedef struct db_year {
	int64_t id, district_id;
	const char *name, *starts, *ends;
	bool active, seen;
} db_year;

typedef struct db_term {
	int64_t id, district_id, year_id;
	const char *name, *starts, *ends;
	bool active, seen;
} db_term;

typedef struct db_person {
	int64_t id;
	const char *sid, *name, *email;
	bool active, seen;
	bool foreign; /* holds a role outside this district (or at a partner) */
	bool ours;    /* holds a role from this district's roster */
} db_person;

typedef struct db_role {
	int64_t id, person_id, org_id;
	const char *sid;
	bool active, seen;
} db_role;

typedef struct db_class {
	int64_t id, school_id, term_id, district_id;
	const char *title, *grade;
	bool active, seen;
} db_class;

typedef struct db_teacher {
	int64_t class_id, person_id;
	const char *sid;
	bool active, seen, ours;
} db_teacher;

typedef struct db_enr {
	int64_t class_id;
	bool active, seen, ours;
} db_enr;

typedef struct ctx {
	store *s;
	arena *a;
	roster_plan *p;
	const roster_target *t;
	roster_result *res;
	store_rc rc;
	int64_t now, next_virtual;
	int64_t district;
	const char *district_sid;
	strmap orgs, years, terms, persons, emails, person_ids, roles, classes;
	strmap unbound_schools; /* lower(name) -> db_org: this district's, no sourcedId yet */
	strmap teachers_by_key, teachers_by_sid, enrollments;
	int64_t *org_id, *session_id, *person_id, *class_id; /* per plan record */
	int64_t *synth_year_id;
	strpool pool;
} ctx;

/* Writes happen only on a real run with nothing wrong so far; decisions
 * (and counts) are made either way. */
static bool live(const ctx *c)
{
	return !c->t->dry_run && c->rc == STORE_OK && roster_clean(c->p);
}

static void run(ctx *c, const char *sql, const sql_arg *args, size_t n)
{
	if (!live(c)) return;
	store_rc rc = store_query(c->s, c->a, sql, args, n, NULL);
	if (rc != STORE_OK) c->rc = rc;
}

/* The new row's id; a made-up negative one when nothing is written. */
static int64_t insert(ctx *c, const char *sql, const sql_arg *args, size_t n)
{
	if (!live(c)) return --c->next_virtual;
	store_rows r;
	store_rc rc = store_query(c->s, c->a, sql, args, n, &r);
	if (rc != STORE_OK || r.nrows != 1) {
		c->rc = rc != STORE_OK ? rc : STORE_ERROR;
		return --c->next_virtual;
	}
	return rows_int(&r, 0, 0);
}

static bool load(ctx *c, const char *sql, const sql_arg *args, size_t n, store_rows *r)
{
	store_rc rc = store_query(c->s, c->a, sql, args, n, r);
	if (rc != STORE_OK) c->rc = rc;
	return rc == STORE_OK;
}

static bool flag(const store_rows *r, size_t i, size_t col)
{
	return rows_int(r, i, col) != 0;
}

static const char *keep(ctx *c, const char *s)
{
	return s ? strpool_add(&c->pool, s, strlen(s)) : NULL;
}

static const char *lower(ctx *c, const char *s)
{
	char *out = arena_strdup(c->a, s);
	for (char *p = out; *p; p++) *p = (char)tolower((unsigned char)*p);
	return out;
}

static const char *id_key(ctx *c, int64_t id)
{
	return arena_printf(c->a, "%lld", (long long)id);
}

#define COUNT(c, k, what) ((c)->res->counts[k].what++)

static void load_orgs(ctx *c)
{
	store_rows r;
	if (!load(c,
		  "SELECT id, kind, name, parent_id, sourced_id, active FROM org "
		  "WHERE sourced_id IS NOT NULL",
		  NULL, 0, &r))
		return;
	strmap_init(&c->orgs, c->a, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		db_org *o = arena_alloc(c->a, sizeof *o);
		*o = (db_org){.id = rows_int(&r, i, 0),
			      .kind = rows_get(&r, i, 1),
			      .name = rows_get(&r, i, 2),
			      .parent_id = rows_int(&r, i, 3),
			      .active = flag(&r, i, 5)};
		strmap_put(&c->orgs, rows_get(&r, i, 4), o);
	}
}

/* ---- the district ---- */

static const r_org *plan_district(const ctx *c)
{
	return c->p->district >= 0 ? &c->p->orgs.v[c->p->district] : NULL;
}

/* The administrator's district (or the one named on the command line). */
static void bind_district(ctx *c, const r_org *d)
{
	sql_arg args[] = {ARG_INT(c->t->district_id)};
	store_rows r;
	if (!load(c, "SELECT id, name, sourced_id, kind FROM org WHERE id = $1", args, 1, &r)) return;
	if (r.nrows != 1 || strcmp(rows_get(&r, 0, 3), "district")) {
		roster_problem(c->p, NULL, 0, NULL, "organization %lld is not a district",
			       (long long)c->t->district_id);
		return;
	}
	c->district = c->t->district_id;
	c->res->district_name = rows_get(&r, 0, 1);
	const char *bound = rows_get(&r, 0, 2);
	if (!d) {
		if (!bound)
			roster_problem(c->p, "orgs.csv", 0, NULL,
				       "the roster has no district row, and %s "
				       "has not been imported before: the first import needs orgs.csv "
				       "with the district",
				       c->res->district_name);
		c->district_sid = bound;
		return;
	}
	c->district_sid = d->sid;
	if (bound && !strcmp(bound, d->sid)) {
		COUNT(c, RK_ORG, unchanged);
		return;
	}
	if (bound) {
		roster_problem(c->p, "orgs.csv", d->row, "sourcedId",
			       "this roster is for district %s, "
			       "but %s is district %s: an import can only be for your own district",
			       d->sid, c->res->district_name, bound);
		return;
	}
	db_org *other = strmap_get(&c->orgs, d->sid);
	if (other) {
		roster_problem(c->p, "orgs.csv", d->row, "sourcedId",
			       "sourcedId %s already belongs to "
			       "%s, another organization in coachd",
			       d->sid, other->name);
		return;
	}
	/* First import: the district takes the roster's sourcedId (its name
	 * stays as entered in coachd). */
	sql_arg set[] = {ARG_INT(c->district), ARG_TEXT(d->sid), ARG_INT(c->now)};
	run(c, "UPDATE org SET sourced_id = $2, updated_at = $3 WHERE id = $1", set, 3);
	COUNT(c, RK_ORG, updated);
}

/* The command line: the file's district, found by sourcedId or created. */
static void find_or_create_district(ctx *c, const r_org *d)
{
	if (!d) {
		roster_problem(c->p, "orgs.csv", 0, NULL,
			       "the roster has no district row; name the "
			       "district to import into with --district ID");
		return;
	}
	c->district_sid = d->sid;
	c->res->district_name = d->name;
	db_org *o = strmap_get(&c->orgs, d->sid);
	if (o && strcmp(o->kind, "district")) {
		roster_problem(c->p, "orgs.csv", d->row, "sourcedId",
			       "sourcedId %s belongs to %s, "
			       "which is a %s in coachd, not a district",
			       d->sid, o->name, o->kind);
		return;
	}
	if (o) {
		c->district = o->id;
		o->seen = true;
		if (!strcmp(o->name, d->name) && o->active) {
			COUNT(c, RK_ORG, unchanged);
			return;
		}
		sql_arg args[] = {ARG_INT(o->id), ARG_TEXT(d->name), ARG_INT(c->now)};
		run(c, "UPDATE org SET name = $2, active = 1, updated_at = $3 WHERE id = $1", args, 3);
		COUNT(c, RK_ORG, updated);
		return;
	}
	sql_arg args[] = {ARG_TEXT(d->name), ARG_TEXT(d->sid), ARG_INT(c->now)};
	c->district = insert(c,
			     "INSERT INTO org (kind, name, sourced_id, active, created_at, updated_at) "
			     "VALUES ('district', $1, $2, 1, $3, $3) RETURNING id",
			     args, 3);
	COUNT(c, RK_ORG, created);
}

static void settle_district(ctx *c)
{
	const r_org *d = plan_district(c);
	if (d && d->deleted) {
		roster_problem(c->p, "orgs.csv", d->row, "status",
			       "the district itself is marked "
			       "tobedeleted; coachd does not deactivate a district from a roster");
		return;
	}
	if (c->t->district_id) bind_district(c, d);
	else find_or_create_district(c, d);
}

/* ---- schools ---- */

/* Where an org sourcedId leads: a row of the plan, or a row of the
 * database (only when orgs.csv is not the whole list, i.e. not bulk). */
typedef struct org_ref {
	long plan; /* index in the plan, -1: none */
	db_org *db;
} org_ref;

static org_ref find_org(ctx *c, const char *sid)
{
	org_ref r = {-1, NULL};
	uintptr_t i = (uintptr_t)strmap_get(&c->p->org_by_sid, sid);
	if (i) r.plan = (long)i - 1;
	else if (c->p->mode[RF_ORGS] != ROSTER_BULK) r.db = strmap_get(&c->orgs, sid);
	return r;
}

static const char *not_found_where(const ctx *c, roster_file f)
{
	return c->p->mode[f] == ROSTER_BULK ? "" : " nor in coachd";
}

/* Walks up from a plan org to the first school (want_school) or district
 * above it (or itself). The id found, 0 when there is none; *district_ok
 * says whether the walk ended in this import's district. */
static int64_t walk_up(ctx *c, long i, bool want_school, bool *district_ok)
{
	*district_ok = false;
	for (int depth = 0; depth < MAX_CHAIN && i >= 0; depth++) {
		const r_org *o = &c->p->orgs.v[i];
		if (want_school && o->type == OT_SCHOOL) {
			bool ok;
			walk_up(c, i, false, &ok);
			*district_ok = ok;
			return c->org_id[i];
		}
		if (o->type == OT_DISTRICT) {
			*district_ok = i == c->p->district;
			return want_school ? 0 : c->district;
		}
		if (!o->parent_sid) {
			/* A school without a parent belongs to the one district. */
			*district_ok = true;
			return want_school ? 0 : c->district;
		}
		org_ref up = find_org(c, o->parent_sid);
		if (up.db) {
			bool school = !strcmp(up.db->kind, "school");
			*district_ok = up.db->id == c->district || up.db->parent_id == c->district;
			if (want_school) return school ? up.db->id : 0;
			return *district_ok ? c->district : 0;
		}
		i = up.plan;
	}
	return 0;
}

/* Every org's parent must be somewhere: in orgs.csv, or (delta) in coachd. */
static void check_parents(ctx *c)
{
	for (size_t i = 0; i < c->p->orgs.n; i++) {
		const r_org *o = &c->p->orgs.v[i];
		if (!o->parent_sid || o->type == OT_DISTRICT) continue;
		org_ref up = find_org(c, o->parent_sid);
		if (up.plan < 0 && !up.db && !roster_flawed(c->p, o->parent_sid))
			roster_problem(c->p, "orgs.csv", o->row, "parentSourcedId",
				       "parent org %s is not "
				       "in orgs.csv%s",
				       o->parent_sid, not_found_where(c, RF_ORGS));
	}
}

/* Schools entered in coachd before the district's first import are the
 * roster's schools of the same name: they take its sourcedId, as people
 * made before it are found by email. */
static void load_unbound_schools(ctx *c)
{
	sql_arg args[] = {ARG_INT(c->district)};
	store_rows r;
	if (!load(c,
		  "SELECT id, name, active FROM org WHERE kind = 'school' AND parent_id = $1 "
		  "AND sourced_id IS NULL ORDER BY id",
		  args, 1, &r))
		return;
	strmap_init(&c->unbound_schools, c->a, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		const char *key = lower(c, rows_get(&r, i, 1));
		if (strmap_get(&c->unbound_schools, key)) continue; /* two of a name: the first */
		db_org *o = arena_alloc(c->a, sizeof *o);
		*o = (db_org){.id = rows_int(&r, i, 0),
			      .kind = "school",
			      .name = rows_get(&r, i, 1),
			      .parent_id = c->district,
			      .active = flag(&r, i, 2)};
		strmap_put(&c->unbound_schools, key, o);
	}
}

static void upsert_school(ctx *c, size_t i)
{
	const r_org *o = &c->p->orgs.v[i];
	bool ok;
	walk_up(c, (long)i, false, &ok);
	if (!ok) {
		roster_problem(c->p, "orgs.csv", o->row, "parentSourcedId",
			       "school %s is not part of "
			       "district %s",
			       o->sid, c->district_sid ? c->district_sid : "?");
		return;
	}
	db_org *d = strmap_get(&c->orgs, o->sid);
	if (d && (strcmp(d->kind, "school") || d->parent_id != c->district)) {
		roster_problem(c->p, "orgs.csv", o->row, "sourcedId",
			       "sourcedId %s already belongs to "
			       "%s, a %s of another district in coachd",
			       o->sid, d->name, d->kind);
		return;
	}
	bool active = !o->deleted, bind = false;
	if (!d && (d = strmap_get(&c->unbound_schools, lower(c, o->name))) && !d->seen) bind = true;
	else if (!d || d->seen) d = NULL;
	if (!d) {
		if (!active) {
			COUNT(c, RK_ORG, unchanged);
			return;
		}
		sql_arg args[] = {ARG_TEXT(o->name), ARG_INT(c->district), ARG_TEXT(o->sid), ARG_INT(c->now)};
		c->org_id[i] = insert(c,
				      "INSERT INTO org (kind, name, parent_id, sourced_id, active, "
				      "created_at, updated_at) VALUES ('school', $1, $2, $3, 1, $4, $4) "
				      "RETURNING id",
				      args, 4);
		COUNT(c, RK_ORG, created);
		return;
	}
	d->seen = true;
	c->org_id[i] = d->id;
	if (!bind && !strcmp(d->name, o->name) && d->active == active) {
		COUNT(c, RK_ORG, unchanged);
		return;
	}
	sql_arg args[] = {ARG_INT(d->id), ARG_TEXT(o->name), ARG_INT(active), ARG_INT(c->now),
			  ARG_TEXT(o->sid)};
	run(c, "UPDATE org SET name = $2, active = $3, updated_at = $4, sourced_id = $5 WHERE id = $1", args,
	    5);
	if (d->active && !active) COUNT(c, RK_ORG, deactivated);
	else COUNT(c, RK_ORG, updated);
}

/* A bulk orgs.csv is the whole list: schools it leaves out are closed. */
static void close_missing_schools(ctx *c)
{
	if (c->p->mode[RF_ORGS] != ROSTER_BULK) return;
	for (size_t i = 0; i < c->orgs.cap; i++) {
		db_org *d = c->orgs.slots[i].value;
		if (!c->orgs.slots[i].key || d->seen || !d->active || d->parent_id != c->district ||
		    strcmp(d->kind, "school"))
			continue;
		sql_arg args[] = {ARG_INT(d->id), ARG_INT(c->now)};
		run(c, "UPDATE org SET active = 0, updated_at = $2 WHERE id = $1", args, 2);
		COUNT(c, RK_ORG, deactivated);
	}
}

static void apply_orgs(ctx *c)
{
	load_unbound_schools(c);
	check_parents(c);
	for (size_t i = 0; i < c->p->orgs.n; i++) {
		if (c->p->orgs.v[i].type == OT_DISTRICT) c->org_id[i] = c->district;
		else if (c->p->orgs.v[i].type == OT_SCHOOL) upsert_school(c, i);
	}
	close_missing_schools(c);
}

/* A role's or a class's org: the school it is (or is part of, for a
 * department), or the district. kind_out: "school" or "district". */
static int64_t org_place(ctx *c, const char *sid, const char **kind_out, bool *found)
{
	*kind_out = NULL;
	org_ref r = find_org(c, sid);
	*found = r.plan >= 0 || r.db;
	bool ok;
	if (r.plan >= 0) {
		const r_org *o = &c->p->orgs.v[r.plan];
		if (o->type == OT_DISTRICT) {
			*kind_out = "district";
			return r.plan == c->p->district ? c->district : 0;
		}
		int64_t school = walk_up(c, r.plan, true, &ok);
		if (school && ok) *kind_out = "school";
		return ok ? school : 0;
	}
	if (!r.db) {
		if (!strcmp(sid, c->district_sid ? c->district_sid : "")) {
			*found = true;
			*kind_out = "district";
			return c->district;
		}
		return 0;
	}
	if (r.db->id == c->district) {
		*kind_out = "district";
		return c->district;
	}
	if (!strcmp(r.db->kind, "school") && r.db->parent_id == c->district) {
		*kind_out = "school";
		return r.db->id;
	}
	return 0;
}

static const char *org_type_name(org_type t)
{
	static const char *const names[] = {"district",  "school",    "department",
					    "local org", "state org", "national org"};
	return (unsigned)t < COUNT_OF(names) ? names[t] : "org";
}

/* ---- school years and terms ---- */

static void load_sessions(ctx *c)
{
	store_rows r;
	if (!load(c,
		  "SELECT id, district_id, name, starts_on, ends_on, sourced_id, active "
		  "FROM school_year WHERE sourced_id IS NOT NULL",
		  NULL, 0, &r))
		return;
	strmap_init(&c->years, c->a, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		db_year *y = arena_alloc(c->a, sizeof *y);
		*y = (db_year){.id = rows_int(&r, i, 0),
			       .district_id = rows_int(&r, i, 1),
			       .name = rows_get(&r, i, 2),
			       .starts = rows_get(&r, i, 3),
			       .ends = rows_get(&r, i, 4),
			       .active = flag(&r, i, 6)};
		strmap_put(&c->years, rows_get(&r, i, 5), y);
	}
	if (!load(c,
		  "SELECT t.id, y.district_id, t.school_year_id, t.name, t.starts_on, t.ends_on, "
		  "t.sourced_id, t.active FROM term t JOIN school_year y ON y.id = t.school_year_id "
		  "WHERE t.sourced_id IS NOT NULL",
		  NULL, 0, &r))
		return;
	strmap_init(&c->terms, c->a, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		db_term *t = arena_alloc(c->a, sizeof *t);
		*t = (db_term){.id = rows_int(&r, i, 0),
			       .district_id = rows_int(&r, i, 1),
			       .year_id = rows_int(&r, i, 2),
			       .name = rows_get(&r, i, 3),
			       .starts = rows_get(&r, i, 4),
			       .ends = rows_get(&r, i, 5),
			       .active = flag(&r, i, 7)};
		strmap_put(&c->terms, rows_get(&r, i, 6), t);
	}
}

/* A school year the file implies but does not list: terms of schoolYear
 * 2025 with no schoolYear session make "2024–2025". */
typedef struct synth_year {
	int year;
	const char *sid;
	char starts[11], ends[11];
} synth_year;

typedef struct synth_years {
	synth_year *v;
	size_t n, cap;
} synth_years;

typedef struct year_ref {
	long plan;     /* a schoolYear session of the plan */
	int64_t db_id; /* or a school year in coachd */
	long synth;    /* or one made up from the schoolYear column */
} year_ref;

static long synth_for(ctx *c, synth_years *list, const r_session *s)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->v[i].year == s->year) {
			if (strcmp(s->starts, list->v[i].starts) < 0)
				memcpy(list->v[i].starts, s->starts, 11);
			if (strcmp(s->ends, list->v[i].ends) > 0) memcpy(list->v[i].ends, s->ends, 11);
			return (long)i;
		}
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		synth_year *v = arena_calloc(c->a, cap, sizeof *v);
		if (list->n) memcpy(v, list->v, list->n * sizeof *v);
		list->v = v;
		list->cap = cap;
	}
	synth_year *y = &list->v[list->n];
	y->year = s->year;
	y->sid = arena_printf(c->a, "coachd:%s:schoolYear:%d", c->district_sid ? c->district_sid : "",
			      s->year);
	memcpy(y->starts, s->starts, 11);
	memcpy(y->ends, s->ends, 11);
	return (long)list->n++;
}

static const r_session *plan_session(const ctx *c, const char *sid, long *idx)
{
	uintptr_t i = (uintptr_t)strmap_get(&c->p->session_by_sid, sid);
	*idx = (long)i - 1;
	return i ? &c->p->sessions.v[i - 1] : NULL;
}

/* The school year of a term: up its parents to a schoolYear session; or,
 * with no parent, the schoolYear session of its schoolYear column. */
static bool year_of(ctx *c, const r_session *s, synth_years *synths, year_ref *out)
{
	*out = (year_ref){-1, 0, -1};
	const r_session *at = s;
	for (int depth = 0; depth < MAX_CHAIN; depth++) {
		if (!at->parent_sid) break;
		long idx;
		const r_session *up = plan_session(c, at->parent_sid, &idx);
		if (up && up->type == ST_SCHOOL_YEAR) {
			out->plan = idx;
			return true;
		}
		if (up) {
			at = up;
			continue;
		}
		bool look_db = c->p->mode[RF_SESSIONS] != ROSTER_BULK;
		db_year *y = look_db ? strmap_get(&c->years, at->parent_sid) : NULL;
		db_term *t = look_db ? strmap_get(&c->terms, at->parent_sid) : NULL;
		if ((y && y->district_id == c->district) || (t && t->district_id == c->district)) {
			out->db_id = y ? y->id : t->year_id;
			return true;
		}
		/* A session between this one and the missing parent says so itself. */
		if (at == s && !roster_flawed(c->p, at->parent_sid))
			roster_problem(c->p, "academicSessions.csv", at->row, "parentSourcedId",
				       "parent "
				       "session %s is not in academicSessions.csv%s",
				       at->parent_sid, not_found_where(c, RF_SESSIONS));
		return false;
	}
	for (size_t i = 0; i < c->p->sessions.n; i++)
		if (c->p->sessions.v[i].type == ST_SCHOOL_YEAR && c->p->sessions.v[i].year == s->year &&
		    !c->p->sessions.v[i].deleted) {
			out->plan = (long)i;
			return true;
		}
	out->synth = synth_for(c, synths, s);
	return true;
}

static void upsert_year(ctx *c, const char *sid, const char *name, const char *starts, const char *ends,
			bool active, uint32_t row, int64_t *id_out)
{
	db_year *y = strmap_get(&c->years, sid);
	if (y && y->district_id != c->district) {
		roster_problem(c->p, "academicSessions.csv", row, "sourcedId",
			       "sourcedId %s already "
			       "belongs to a school year of another district",
			       sid);
		return;
	}
	if (!y) {
		if (!active) {
			COUNT(c, RK_SCHOOL_YEAR, unchanged);
			return;
		}
		sql_arg args[] = {ARG_INT(c->district), ARG_TEXT(name), ARG_TEXT(starts),
				  ARG_TEXT(ends),       ARG_TEXT(sid),  ARG_INT(c->now)};
		*id_out = insert(c,
				 "INSERT INTO school_year (district_id, name, starts_on, ends_on, "
				 "sourced_id, active, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6) "
				 "RETURNING id",
				 args, 6);
		COUNT(c, RK_SCHOOL_YEAR, created);
		return;
	}
	y->seen = true;
	*id_out = y->id;
	if (!strcmp(y->name, name) && !strcmp(y->starts, starts) && !strcmp(y->ends, ends) &&
	    y->active == active) {
		COUNT(c, RK_SCHOOL_YEAR, unchanged);
		return;
	}
	sql_arg args[] = {ARG_INT(y->id), ARG_TEXT(name), ARG_TEXT(starts), ARG_TEXT(ends), ARG_INT(active)};
	run(c,
	    "UPDATE school_year SET name = $2, starts_on = $3, ends_on = $4, active = $5 "
	    "WHERE id = $1",
	    args, 5);
	if (y->active && !active) COUNT(c, RK_SCHOOL_YEAR, deactivated);
	else COUNT(c, RK_SCHOOL_YEAR, updated);
}

static void upsert_term(ctx *c, size_t i, int64_t year_id)
{
	const r_session *s = &c->p->sessions.v[i];
	db_term *t = strmap_get(&c->terms, s->sid);
	bool active = !s->deleted;
	if (t && t->district_id != c->district) {
		roster_problem(c->p, "academicSessions.csv", s->row, "sourcedId",
			       "sourcedId %s already "
			       "belongs to a term of another district",
			       s->sid);
		return;
	}
	if (!t) {
		if (!active) {
			COUNT(c, RK_TERM, unchanged);
			return;
		}
		sql_arg args[] = {ARG_INT(year_id), ARG_TEXT(s->title), ARG_TEXT(s->starts),
				  ARG_TEXT(s->ends), ARG_TEXT(s->sid)};
		c->session_id[i] = insert(c,
					  "INSERT INTO term (school_year_id, name, starts_on, ends_on, "
					  "sourced_id, active) VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
					  args, 5);
		COUNT(c, RK_TERM, created);
		return;
	}
	t->seen = true;
	c->session_id[i] = t->id;
	if (t->year_id == year_id && !strcmp(t->name, s->title) && !strcmp(t->starts, s->starts) &&
	    !strcmp(t->ends, s->ends) && t->active == active) {
		COUNT(c, RK_TERM, unchanged);
		return;
	}
	sql_arg args[] = {ARG_INT(t->id),      ARG_INT(year_id),  ARG_TEXT(s->title),
			  ARG_TEXT(s->starts), ARG_TEXT(s->ends), ARG_INT(active)};
	run(c,
	    "UPDATE term SET school_year_id = $2, name = $3, starts_on = $4, ends_on = $5, "
	    "active = $6 WHERE id = $1",
	    args, 6);
	if (t->active && !active) COUNT(c, RK_TERM, deactivated);
	else COUNT(c, RK_TERM, updated);
}

static void close_missing_sessions(ctx *c)
{
	if (c->p->mode[RF_SESSIONS] != ROSTER_BULK) return;
	for (size_t i = 0; i < c->terms.cap; i++) {
		db_term *t = c->terms.slots[i].value;
		if (!c->terms.slots[i].key || t->seen || !t->active || t->district_id != c->district)
			continue;
		sql_arg args[] = {ARG_INT(t->id)};
		run(c, "UPDATE term SET active = 0 WHERE id = $1", args, 1);
		COUNT(c, RK_TERM, deactivated);
	}
	for (size_t i = 0; i < c->years.cap; i++) {
		db_year *y = c->years.slots[i].value;
		if (!c->years.slots[i].key || y->seen || !y->active || y->district_id != c->district)
			continue;
		sql_arg args[] = {ARG_INT(y->id)};
		run(c, "UPDATE school_year SET active = 0 WHERE id = $1", args, 1);
		COUNT(c, RK_SCHOOL_YEAR, deactivated);
	}
}

static const char *year_name(ctx *c, int year)
{
	return arena_printf(c->a, "%d–%d", year - 1, year);
}

static void apply_sessions(ctx *c)
{
	roster_plan *p = c->p;
	synth_years synths = {0};
	year_ref *refs = arena_calloc(c->a, p->sessions.n ? p->sessions.n : 1, sizeof *refs);
	bool *ok = arena_calloc(c->a, p->sessions.n ? p->sessions.n : 1, sizeof *ok);
	for (size_t i = 0; i < p->sessions.n; i++)
		if (p->sessions.v[i].type != ST_SCHOOL_YEAR)
			ok[i] = year_of(c, &p->sessions.v[i], &synths, &refs[i]);
	for (size_t i = 0; i < p->sessions.n; i++) {
		const r_session *s = &p->sessions.v[i];
		if (s->type == ST_SCHOOL_YEAR)
			upsert_year(c, s->sid, s->title, s->starts, s->ends, !s->deleted, s->row,
				    &c->session_id[i]);
	}
	c->synth_year_id = arena_calloc(c->a, synths.n ? synths.n : 1, sizeof *c->synth_year_id);
	for (size_t i = 0; i < synths.n; i++)
		upsert_year(c, synths.v[i].sid, year_name(c, synths.v[i].year), synths.v[i].starts,
			    synths.v[i].ends, true, 0, &c->synth_year_id[i]);
	for (size_t i = 0; i < p->sessions.n; i++) {
		if (p->sessions.v[i].type == ST_SCHOOL_YEAR || !ok[i]) continue;
		int64_t year = refs[i].plan >= 0 ? c->session_id[refs[i].plan]
			: refs[i].synth >= 0     ? c->synth_year_id[refs[i].synth]
						 : refs[i].db_id;
		if (year) upsert_term(c, i, year);
	}
	close_missing_sessions(c);
}

/* ---- staff ---- */

static void load_persons(ctx *c)
{
	/* foreign: a role anywhere but this district and its schools;
	 * ours: a role this district's roster gave. */
	sql_arg args[] = {ARG_INT(c->district)};
	store_rows r;
	if (!load(c,
		  "SELECT p.id, p.sourced_id, p.name, p.email, p.active, "
		  "CASE WHEN EXISTS (SELECT 1 FROM person_role r JOIN org o ON o.id = r.org_id "
		  " WHERE r.person_id = p.id AND r.active = 1 AND o.id <> $1 "
		  " AND (o.parent_id IS NULL OR o.parent_id <> $1)) THEN 1 ELSE 0 END, "
		  "CASE WHEN EXISTS (SELECT 1 FROM person_role r JOIN org o ON o.id = r.org_id "
		  " WHERE r.person_id = p.id AND r.sourced_id IS NOT NULL "
		  " AND (o.id = $1 OR o.parent_id = $1)) THEN 1 ELSE 0 END "
		  "FROM person p WHERE p.sourced_id IS NOT NULL OR p.email IS NOT NULL",
		  args, 1, &r))
		return;
	strmap_init(&c->persons, c->a, r.nrows);
	strmap_init(&c->emails, c->a, r.nrows);
	strmap_init(&c->person_ids, c->a, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		db_person *d = arena_alloc(c->a, sizeof *d);
		*d = (db_person){.id = rows_int(&r, i, 0),
				 .sid = rows_get(&r, i, 1),
				 .name = rows_get(&r, i, 2),
				 .email = rows_get(&r, i, 3),
				 .active = flag(&r, i, 4),
				 .foreign = flag(&r, i, 5),
				 .ours = flag(&r, i, 6)};
		if (d->sid) strmap_put(&c->persons, d->sid, d);
		if (d->email) strmap_put(&c->emails, lower(c, d->email), d);
		strmap_put(&c->person_ids, id_key(c, d->id), d);
	}
}

/* The person in coachd a staff row is: by sourcedId, or, the first time,
 * by email (an account made before the district's first import). */
static db_person *match_person(ctx *c, const r_person *ps, bool *bad)
{
	*bad = false;
	db_person *d = strmap_get(&c->persons, ps->sid);
	if (!d && ps->email) {
		db_person *e = strmap_get(&c->emails, lower(c, ps->email));
		if (e && e->sid && strcmp(e->sid, ps->sid)) {
			roster_problem(c->p, "users.csv", ps->row, "email",
				       "email %s already belongs to "
				       "another person (sourcedId %s)",
				       ps->email, e->sid);
			*bad = true;
			return NULL;
		}
		d = e;
	}
	if (d && d->foreign) {
		roster_problem(c->p, "users.csv", ps->row, "sourcedId",
			       "user %s is a person who also "
			       "works outside this district; a district's roster does not change them",
			       ps->sid);
		*bad = true;
		return NULL;
	}
	return d;
}

/* The email a person ends up with must be no one else's, in any case. */
static bool email_free(ctx *c, const r_person *ps, const db_person *d, const char *email)
{
	if (!email) return true;
	db_person *e = strmap_get(&c->emails, lower(c, email));
	if (!e || e == d) return true;
	roster_problem(c->p, "users.csv", ps->row, "email",
		       "email %s already belongs to another "
		       "person%s%s",
		       email, e->sid ? " with sourcedId " : "", e->sid ? e->sid : "");
	return false;
}

static void upsert_person(ctx *c, size_t i)
{
	const r_person *ps = &c->p->persons.v[i];
	bool bad;
	db_person *d = match_person(c, ps, &bad);
	if (bad || (!d && ps->only_if_known)) return;
	bool active = ps->enabled && !ps->deleted;
	const char *email = ps->email ? ps->email : d ? d->email : NULL;
	if (!email_free(c, ps, d, email)) return;
	if (!d) {
		if (ps->deleted) {
			COUNT(c, RK_PERSON, unchanged);
			return;
		}
		sql_arg args[] = {ARG_TEXT(ps->name), ARG_TEXT(email), ARG_TEXT(ps->sid), ARG_INT(active),
				  ARG_INT(c->now)};
		c->person_id[i] = insert(c,
					 "INSERT INTO person (name, email, sourced_id, active, "
					 "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) "
					 "RETURNING id",
					 args, 5);
		d = arena_alloc(c->a, sizeof *d);
		*d = (db_person){.id = c->person_id[i], .sid = ps->sid, .email = email, .seen = true};
		strmap_put(&c->persons, ps->sid, d);
		if (email) strmap_put(&c->emails, lower(c, email), d);
		COUNT(c, RK_PERSON, created);
		return;
	}
	if (d->seen) {
		roster_problem(c->p, "users.csv", ps->row, "email",
			       "email %s is also the email of "
			       "another user in users.csv",
			       ps->email ? ps->email : "");
		return;
	}
	d->seen = true;
	c->person_id[i] = d->id;
	if (str_eq(d->sid, ps->sid) && !strcmp(d->name, ps->name) &&
	    (d->email == email || str_eq(d->email, email)) && d->active == active) {
		COUNT(c, RK_PERSON, unchanged);
		return;
	}
	sql_arg args[] = {ARG_INT(d->id),    ARG_TEXT(ps->name), ARG_TEXT(email),
			  ARG_TEXT(ps->sid), ARG_INT(active),    ARG_INT(c->now)};
	run(c,
	    "UPDATE person SET name = $2, email = $3, sourced_id = $4, active = $5, "
	    "updated_at = $6 WHERE id = $1",
	    args, 6);
	if (email) strmap_put(&c->emails, lower(c, email), d);
	if (d->active && !active) COUNT(c, RK_PERSON, deactivated);
	else COUNT(c, RK_PERSON, updated);
}

/* A bulk users.csv is the whole staff: rostered people of this district
 * it no longer lists (or lists as students) are deactivated. */
static void close_missing_persons(ctx *c)
{
	if (c->p->mode[RF_USERS] != ROSTER_BULK) return;
	for (size_t i = 0; i < c->persons.cap; i++) {
		db_person *d = c->persons.slots[i].value;
		if (!c->persons.slots[i].key || d->seen || !d->active || !d->ours || d->foreign) continue;
		d->active = false;
		sql_arg args[] = {ARG_INT(d->id), ARG_INT(c->now)};
		run(c, "UPDATE person SET active = 0, updated_at = $2 WHERE id = $1", args, 2);
		COUNT(c, RK_PERSON, deactivated);
	}
}

static void apply_persons(ctx *c)
{
	for (size_t i = 0; i < c->p->persons.n; i++) upsert_person(c, i);
	close_missing_persons(c);
}

/* ---- roles ---- */

static const char *role_key(ctx *c, int64_t person, int64_t org, const char *role_name)
{
	return arena_printf(c->a, "%lld:%lld:%s", (long long)person, (long long)org, role_name);
}

static void load_roles(ctx *c)
{
	sql_arg args[] = {ARG_INT(c->district)};
	store_rows r;
	if (!load(c,
		  "SELECT r.id, r.person_id, r.org_id, r.role, r.sourced_id, r.active "
		  "FROM person_role r JOIN org o ON o.id = r.org_id WHERE o.id = $1 OR o.parent_id = $1",
		  args, 1, &r))
		return;
	strmap_init(&c->roles, c->a, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		db_role *d = arena_alloc(c->a, sizeof *d);
		*d = (db_role){.id = rows_int(&r, i, 0),
			       .person_id = rows_int(&r, i, 1),
			       .org_id = rows_int(&r, i, 2),
			       .sid = rows_get(&r, i, 4),
			       .active = flag(&r, i, 5)};
		strmap_put(&c->roles, role_key(c, d->person_id, d->org_id, rows_get(&r, i, 3)), d);
	}
}

/* The person a sourcedId names: staff of this plan, or (delta) of coachd. */
static int64_t person_of(ctx *c, const char *sid, bool *known)
{
	uintptr_t i = (uintptr_t)strmap_get(&c->p->person_by_sid, sid);
	*known = i != 0;
	if (i) return c->person_id[i - 1];
	db_person *d = strmap_get(&c->persons, sid);
	*known = d != NULL;
	return d && !d->foreign ? d->id : 0;
}

static void upsert_role(ctx *c, const r_role *pr)
{
	const char *file = roster_file_name(pr->file);
	const char *pcol = pr->file == RF_ROLES ? "userSourcedId" : "sourcedId";
	const char *ocol = pr->file == RF_ROLES ? "orgSourcedId" : "orgSourcedIds";
	bool known;
	int64_t person = person_of(c, pr->person_sid, &known);
	if (!known && !pr->deleted && !roster_flawed(c->p, pr->person_sid))
		roster_problem(c->p, file, pr->row, pcol, "user %s is not in users.csv%s", pr->person_sid,
			       not_found_where(c, RF_USERS));
	if (!person) return;
	const char *kind;
	bool found;
	int64_t org = org_place(c, pr->org_sid, &kind, &found);
	if (!found) {
		if (!roster_flawed(c->p, pr->org_sid))
			roster_problem(c->p, file, pr->row, ocol, "org %s is not in orgs.csv%s", pr->org_sid,
				       not_found_where(c, RF_ORGS));
		return;
	}
	if (!org || !kind) {
		roster_warning(c->p, file, pr->row, ocol,
			       "org %s is not a school or the district of "
			       "this roster; no role is given there",
			       pr->org_sid);
		return;
	}
	bool school = !strcmp(kind, "school");
	if (pr->kind == RR_TEACHER && !school) {
		roster_warning(c->p, file, pr->row, ocol,
			       "a teacher at the district org rather than a "
			       "school; no role is given there");
		return;
	}
	const char *given = pr->kind == RR_TEACHER ? "teacher" : school ? "principal" : "district_leader";
	const char *key = role_key(c, person, org, given);
	db_role *d = strmap_get(&c->roles, key);
	bool active = !pr->deleted;
	if (!d) {
		if (!active) {
			COUNT(c, RK_ROLE, unchanged);
			return;
		}
		sql_arg args[] = {ARG_INT(person), ARG_INT(org), ARG_TEXT(given), ARG_TEXT(pr->sid)};
		run(c,
		    "INSERT INTO person_role (person_id, org_id, role, sourced_id, active) "
		    "VALUES ($1, $2, $3, $4, 1)",
		    args, 4);
		d = arena_alloc(c->a, sizeof *d);
		*d = (db_role){
			.person_id = person, .org_id = org, .sid = pr->sid, .active = true, .seen = true};
		strmap_put(&c->roles, key, d);
		COUNT(c, RK_ROLE, created);
		return;
	}
	if (d->seen) return; /* the same role twice (primary and secondary): once is enough */
	d->seen = true;
	/* A role given in coachd itself stays coachd's: the roster neither
	 * takes it over nor takes it away. */
	if ((!d->sid && d->active) || (d->active == active && str_eq(d->sid, pr->sid))) {
		COUNT(c, RK_ROLE, unchanged);
		return;
	}
	if (!d->sid && !active) {
		COUNT(c, RK_ROLE, unchanged);
		return;
	}
	sql_arg args[] = {ARG_INT(person), ARG_INT(org), ARG_TEXT(given), ARG_TEXT(pr->sid), ARG_INT(active)};
	run(c,
	    "UPDATE person_role SET sourced_id = $4, active = $5 "
	    "WHERE person_id = $1 AND org_id = $2 AND role = $3",
	    args, 5);
	if (d->active && !active) COUNT(c, RK_ROLE, deactivated);
	else COUNT(c, RK_ROLE, updated);
	d->active = active;
}

/* Roster roles the roster no longer gives: all of them when the list is
 * whole (bulk users.csv in 1.1, bulk roles.csv in 1.2); in a 1.1 delta,
 * those of the users it lists, whose row says all their roles. */
static bool role_gone(ctx *c, const db_role *d)
{
	bool v12 = !strcmp(c->p->version, "1.2");
	roster_file f = v12 ? RF_ROLES : RF_USERS;
	if (c->p->mode[f] == ROSTER_BULK) return true;
	if (v12 || c->p->mode[RF_USERS] != ROSTER_DELTA) return false;
	db_person *ps = strmap_get(&c->person_ids, id_key(c, d->person_id));
	if (!ps || !ps->sid) {
		/* made by this import: listed by definition */
		return false;
	}
	return ((uintptr_t)strmap_get(&c->p->users, ps->sid) & U_LISTED) != 0;
}

static void close_missing_roles(ctx *c)
{
	for (size_t i = 0; i < c->roles.cap; i++) {
		db_role *d = c->roles.slots[i].value;
		if (!c->roles.slots[i].key || d->seen || !d->active || !d->sid || !role_gone(c, d)) continue;
		sql_arg args[] = {ARG_INT(d->id)};
		run(c, "UPDATE person_role SET active = 0 WHERE id = $1", args, 1);
		COUNT(c, RK_ROLE, deactivated);
	}
}

static void apply_roles(ctx *c)
{
	for (size_t i = 0; i < c->p->roles.n; i++) upsert_role(c, &c->p->roles.v[i]);
	close_missing_roles(c);
}

/* ---- classes ---- */

static void load_classes(ctx *c)
{
	store_rows r;
	if (!load(c,
		  "SELECT c.id, c.school_id, c.title, c.grade, c.term_id, c.sourced_id, c.active, "
		  "o.parent_id FROM class c JOIN org o ON o.id = c.school_id "
		  "WHERE c.sourced_id IS NOT NULL",
		  NULL, 0, &r))
		return;
	strmap_init(&c->classes, c->a, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		db_class *d = arena_alloc(c->a, sizeof *d);
		*d = (db_class){.id = rows_int(&r, i, 0),
				.school_id = rows_int(&r, i, 1),
				.title = rows_get(&r, i, 2),
				.grade = rows_get(&r, i, 3),
				.term_id = rows_int(&r, i, 4),
				.active = flag(&r, i, 6),
				.district_id = rows_int(&r, i, 7)};
		strmap_put(&c->classes, rows_get(&r, i, 5), d);
	}
}

/* The first of a class's sessions that is a term (or semester, grading
 * period); school years give no term. 0 when none is. */
static int64_t class_term(ctx *c, const r_class *k, bool *bad)
{
	*bad = false;
	for (size_t i = 0; i < k->nterms; i++) {
		long idx;
		const r_session *s = plan_session(c, k->term_sids[i], &idx);
		if (s) {
			if (s->type != ST_SCHOOL_YEAR && c->session_id[idx]) return c->session_id[idx];
			continue;
		}
		bool look_db = c->p->mode[RF_SESSIONS] != ROSTER_BULK;
		db_term *t = look_db ? strmap_get(&c->terms, k->term_sids[i]) : NULL;
		db_year *y = look_db ? strmap_get(&c->years, k->term_sids[i]) : NULL;
		if (t && t->district_id == c->district) return t->id;
		if (y && y->district_id == c->district) continue;
		if (roster_flawed(c->p, k->term_sids[i])) {
			*bad = true;
			continue;
		}
		roster_problem(c->p, "classes.csv", k->row, "termSourcedIds",
			       "session %s is not in "
			       "academicSessions.csv%s",
			       k->term_sids[i], not_found_where(c, RF_SESSIONS));
		*bad = true;
	}
	return 0;
}

/* "Grade 3 Mathematics (Section 2)": the course's title says what the
 * class is when the class's own title is only a section or a code. A
 * delta without courses.csv keeps the course part a bulk import gave. */
static const char *class_title(ctx *c, const r_class *k, const db_class *d, const char **grades)
{
	const r_course *course = k->course_sid ? strmap_get(&c->p->course_by_sid, k->course_sid) : NULL;
	*grades = k->grades ? k->grades : course ? course->grades : d && !course ? d->grade : NULL;
	if (!course && d) {
		size_t n = strlen(d->title), m = strlen(k->title);
		if (n > m + 3 && d->title[n - 1] == ')' && d->title[n - m - 2] == '(' &&
		    !strncmp(d->title + n - m - 1, k->title, m))
			return d->title;
	}
	if (!course || !course->title || strstr(k->title, course->title)) return k->title;
	return arena_printf(c->a, "%s (%s)", course->title, k->title);
}

static void upsert_class(ctx *c, size_t i)
{
	const r_class *k = &c->p->classes.v[i];
	const char *kind;
	bool found, bad;
	int64_t school = org_place(c, k->school_sid, &kind, &found);
	if (!found && roster_flawed(c->p, k->school_sid)) return;
	if (!found || !school || !kind || strcmp(kind, "school")) {
		uintptr_t oi = (uintptr_t)strmap_get(&c->p->org_by_sid, k->school_sid);
		const char *what = oi ? org_type_name(c->p->orgs.v[oi - 1].type) : "org";
		roster_problem(c->p, "classes.csv", k->row, "schoolSourcedId",
			       found ? "%s %s is not a school of this district, nor part of one"
				     : "school %s is not in orgs.csv%s",
			       found ? what : k->school_sid,
			       found ? k->school_sid : not_found_where(c, RF_ORGS));
		return;
	}
	int64_t term = class_term(c, k, &bad);
	if (bad) return;
	db_class *d = strmap_get(&c->classes, k->sid);
	const char *grades, *title = class_title(c, k, d, &grades);
	if (d && d->district_id != c->district) {
		roster_problem(c->p, "classes.csv", k->row, "sourcedId",
			       "sourcedId %s already belongs to "
			       "a class of another district",
			       k->sid);
		return;
	}
	bool active = !k->deleted;
	if (!d) {
		if (!active) {
			COUNT(c, RK_CLASS, unchanged);
			return;
		}
		sql_arg args[] = {ARG_INT(school),  ARG_TEXT(title),
				  ARG_TEXT(grades), term ? ARG_INT(term) : ARG_NULL,
				  ARG_TEXT(k->sid), ARG_INT(c->now)};
		c->class_id[i] = insert(c,
					"INSERT INTO class (school_id, title, grade, term_id, sourced_id, "
					"active, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
					args, 6);
		COUNT(c, RK_CLASS, created);
		return;
	}
	d->seen = true;
	c->class_id[i] = d->id;
	if (d->school_id == school && !strcmp(d->title, title) &&
	    (d->grade == grades || str_eq(d->grade, grades)) && d->term_id == term && d->active == active) {
		COUNT(c, RK_CLASS, unchanged);
		return;
	}
	sql_arg args[] = {ARG_INT(d->id),
			  ARG_INT(school),
			  ARG_TEXT(title),
			  ARG_TEXT(grades),
			  term ? ARG_INT(term) : ARG_NULL,
			  ARG_INT(active)};
	run(c,
	    "UPDATE class SET school_id = $2, title = $3, grade = $4, term_id = $5, active = $6 "
	    "WHERE id = $1",
	    args, 6);
	if (d->active && !active) COUNT(c, RK_CLASS, deactivated);
	else COUNT(c, RK_CLASS, updated);
}

static void close_missing_classes(ctx *c)
{
	if (c->p->mode[RF_CLASSES] != ROSTER_BULK) return;
	for (size_t i = 0; i < c->classes.cap; i++) {
		db_class *d = c->classes.slots[i].value;
		if (!c->classes.slots[i].key || d->seen || !d->active || d->district_id != c->district)
			continue;
		sql_arg args[] = {ARG_INT(d->id)};
		run(c, "UPDATE class SET active = 0 WHERE id = $1", args, 1);
		COUNT(c, RK_CLASS, deactivated);
	}
}

static void apply_classes(ctx *c)
{
	for (size_t i = 0; i < c->p->classes.n; i++) upsert_class(c, i);
	close_missing_classes(c);
}

/* The class a sourcedId names: of this plan, or (delta) of coachd. */
static int64_t class_of(ctx *c, const char *sid, bool *known)
{
	uintptr_t i = (uintptr_t)strmap_get(&c->p->class_by_sid, sid);
	*known = i != 0;
	if (i) return c->class_id[i - 1];
	db_class *d = c->p->mode[RF_CLASSES] != ROSTER_BULK ? strmap_get(&c->classes, sid) : NULL;
	*known = d != NULL;
	return d && d->district_id == c->district ? d->id : 0;
}

/* ---- class teachers ---- */

static const char *pair_key(ctx *c, int64_t class_id, int64_t person_id)
{
	return arena_printf(c->a, "%lld:%lld", (long long)class_id, (long long)person_id);
}

static void load_teachers(ctx *c)
{
	sql_arg args[] = {ARG_INT(c->district)};
	store_rows r;
	if (!load(c,
		  "SELECT t.class_id, t.person_id, t.sourced_id, t.active, "
		  "CASE WHEN o.parent_id = $1 THEN 1 ELSE 0 END FROM class_teacher t "
		  "JOIN class c ON c.id = t.class_id JOIN org o ON o.id = c.school_id "
		  "WHERE t.sourced_id IS NOT NULL OR o.parent_id = $1",
		  args, 1, &r))
		return;
	strmap_init(&c->teachers_by_key, c->a, r.nrows);
	strmap_init(&c->teachers_by_sid, c->a, r.nrows);
	for (size_t i = 0; i < r.nrows; i++) {
		db_teacher *d = arena_alloc(c->a, sizeof *d);
		*d = (db_teacher){.class_id = rows_int(&r, i, 0),
				  .person_id = rows_int(&r, i, 1),
				  .sid = rows_get(&r, i, 2),
				  .active = flag(&r, i, 3),
				  .ours = flag(&r, i, 4)};
		if (d->ours) strmap_put(&c->teachers_by_key, pair_key(c, d->class_id, d->person_id), d);
		if (d->sid) strmap_put(&c->teachers_by_sid, d->sid, d);
	}
}

static void retire_teacher(ctx *c, db_teacher *d)
{
	sql_arg args[] = {ARG_INT(d->class_id), ARG_INT(d->person_id)};
	run(c,
	    "UPDATE class_teacher SET sourced_id = NULL, active = 0 "
	    "WHERE class_id = $1 AND person_id = $2",
	    args, 2);
	if (d->active) COUNT(c, RK_CLASS_TEACHER, deactivated);
	d->active = false;
	d->sid = NULL;
}

static void upsert_teacher(ctx *c, const r_teacher *t)
{
	bool known;
	int64_t cls = class_of(c, t->class_sid, &known);
	if (!known && !roster_flawed(c->p, t->class_sid))
		roster_problem(c->p, "enrollments.csv", t->row, "classSourcedId",
			       "class %s is not in "
			       "classes.csv%s",
			       t->class_sid, not_found_where(c, RF_CLASSES));
	int64_t person = person_of(c, t->person_sid, &known);
	if (!known && !t->deleted && !roster_flawed(c->p, t->person_sid))
		roster_problem(c->p, "enrollments.csv", t->row, "userSourcedId",
			       "teacher %s is not in "
			       "users.csv%s",
			       t->person_sid, not_found_where(c, RF_USERS));
	if (!cls || !person) return;
	db_teacher *by_sid = strmap_get(&c->teachers_by_sid, t->sid);
	if (by_sid && by_sid->seen) {
		roster_problem(c->p, "enrollments.csv", t->row, "sourcedId", "sourcedId %s appears again",
			       t->sid);
		return;
	}
	if (by_sid && !by_sid->ours) {
		roster_problem(c->p, "enrollments.csv", t->row, "sourcedId",
			       "sourcedId %s already "
			       "belongs to an enrollment of another district",
			       t->sid);
		return;
	}
	const char *key = pair_key(c, cls, person);
	db_teacher *d = strmap_get(&c->teachers_by_key, key);
	/* The enrollment now names another class or teacher: the old pair ends. */
	if (by_sid && by_sid != d) retire_teacher(c, by_sid);
	bool active = !t->deleted;
	if (!d) {
		if (!active) {
			COUNT(c, RK_CLASS_TEACHER, unchanged);
			return;
		}
		sql_arg args[] = {ARG_INT(cls), ARG_INT(person), ARG_TEXT(t->sid)};
		run(c,
		    "INSERT INTO class_teacher (class_id, person_id, sourced_id, active) "
		    "VALUES ($1, $2, $3, 1)",
		    args, 3);
		d = arena_alloc(c->a, sizeof *d);
		*d = (db_teacher){.class_id = cls,
				  .person_id = person,
				  .sid = t->sid,
				  .active = true,
				  .seen = true,
				  .ours = true};
		strmap_put(&c->teachers_by_key, key, d);
		strmap_put(&c->teachers_by_sid, t->sid, d);
		COUNT(c, RK_CLASS_TEACHER, created);
		return;
	}
	if (d->seen) {
		roster_warning(c->p, "enrollments.csv", t->row, "userSourcedId",
			       "teacher %s is already "
			       "a teacher of class %s in this file; the row adds nothing",
			       t->person_sid, t->class_sid);
		strmap_put(&c->teachers_by_sid, t->sid, d);
		return;
	}
	d->seen = true;
	strmap_put(&c->teachers_by_sid, t->sid, d);
	if (d->active == active && str_eq(d->sid, t->sid)) {
		COUNT(c, RK_CLASS_TEACHER, unchanged);
		return;
	}
	sql_arg args[] = {ARG_INT(cls), ARG_INT(person), ARG_TEXT(t->sid), ARG_INT(active)};
	run(c,
	    "UPDATE class_teacher SET sourced_id = $3, active = $4 "
	    "WHERE class_id = $1 AND person_id = $2",
	    args, 4);
	if (d->active && !active) COUNT(c, RK_CLASS_TEACHER, deactivated);
	else COUNT(c, RK_CLASS_TEACHER, updated);
	d->active = active;
	d->sid = t->sid;
}

static void close_missing_teachers(ctx *c)
{
	if (c->p->mode[RF_ENROLLMENTS] != ROSTER_BULK) return;
	for (size_t i = 0; i < c->teachers_by_key.cap; i++) {
		db_teacher *d = c->teachers_by_key.slots[i].value;
		if (!c->teachers_by_key.slots[i].key || d->seen || !d->active || !d->sid) continue;
		sql_arg args[] = {ARG_INT(d->class_id), ARG_INT(d->person_id)};
		run(c, "UPDATE class_teacher SET active = 0 WHERE class_id = $1 AND person_id = $2", args, 2);
		d->active = false;
		COUNT(c, RK_CLASS_TEACHER, deactivated);
	}
}

static void apply_teachers(ctx *c)
{
	for (size_t i = 0; i < c->p->teachers.n; i++) upsert_teacher(c, &c->p->teachers.v[i]);
	close_missing_teachers(c);
}

/* ---- student enrollments ---- */

/* A page at a time, with its own arena: the text of a million rows need
 * not sit in memory at once, only the map built from it. */
static void load_enrollments(ctx *c)
{
	strmap_init(&c->enrollments, c->a, c->p->enrollments.n);
	char after[300] = "";
	for (;;) {
		arena *page = arena_new();
		sql_arg args[] = {ARG_INT(c->district), ARG_TEXT(after), ARG_INT(PAGE)};
		store_rows r;
		store_rc rc = store_query(c->s, page,
					  "SELECT e.sourced_id, e.class_id, e.active, "
					  "CASE WHEN o.parent_id = $1 THEN 1 ELSE 0 END "
					  "FROM class_enrollment e JOIN class k ON k.id = e.class_id "
					  "JOIN org o ON o.id = k.school_id WHERE e.sourced_id > $2 "
					  "ORDER BY e.sourced_id LIMIT $3",
					  args, 3, &r);
		if (rc != STORE_OK) {
			c->rc = rc;
			arena_free(page);
			return;
		}
		for (size_t i = 0; i < r.nrows; i++) {
			db_enr *d = arena_alloc(c->a, sizeof *d);
			*d = (db_enr){.class_id = rows_int(&r, i, 1),
				      .active = flag(&r, i, 2),
				      .ours = flag(&r, i, 3)};
			strmap_put(&c->enrollments, keep(c, rows_get(&r, i, 0)), d);
		}
		if (r.nrows) snprintf(after, sizeof after, "%s", rows_get(&r, r.nrows - 1, 0));
		size_t n = r.nrows;
		arena_free(page);
		if (n < PAGE) return;
	}
}

/* New enrollments go in BATCH rows to a statement: a tenth of the round
 * trips on PostgreSQL and of the statement overhead on SQLite. */
typedef struct batch {
	sql_arg args[BATCH * 2];
	size_t n;
	const char *sql;
} batch;

static const char *batch_sql(ctx *c, size_t rows)
{
	buf b = BUF_INIT;
	buf_puts(&b, "INSERT INTO class_enrollment (sourced_id, class_id, active) VALUES ");
	for (size_t i = 0; i < rows; i++)
		buf_printf(&b, "%s($%zu, $%zu, 1)", i ? ", " : "", 2 * i + 1, 2 * i + 2);
	char *sql = arena_strdup(c->a, buf_cstr(&b));
	buf_free(&b);
	return sql;
}

static void flush(ctx *c, batch *b)
{
	if (!b->n) return;
	run(c, b->n == BATCH ? b->sql : batch_sql(c, b->n), b->args, b->n * 2);
	b->n = 0;
}

static void add_enrollment(ctx *c, batch *b, const char *sid, int64_t cls)
{
	b->args[b->n * 2] = ARG_TEXT(sid);
	b->args[b->n * 2 + 1] = ARG_INT(cls);
	if (++b->n == BATCH) flush(c, b);
}

static void upsert_enrollment(ctx *c, batch *b, const r_enrollment *e, db_enr *fresh)
{
	bool known;
	int64_t cls = class_of(c, e->class_sid, &known);
	if (!known && !roster_flawed(c->p, e->class_sid))
		roster_problem(c->p, "enrollments.csv", e->row, "classSourcedId",
			       "class %s is not in "
			       "classes.csv%s",
			       e->class_sid, not_found_where(c, RF_CLASSES));
	if (!cls) return;
	db_enr *d = strmap_get(&c->enrollments, e->sid);
	bool active = !e->deleted;
	if (d && d->seen) {
		roster_problem(c->p, "enrollments.csv", e->row, "sourcedId", "sourcedId %s appears again",
			       e->sid);
		return;
	}
	if (d && !d->ours) {
		roster_problem(c->p, "enrollments.csv", e->row, "sourcedId",
			       "sourcedId %s already "
			       "belongs to an enrollment of another district",
			       e->sid);
		return;
	}
	if (!d) {
		*fresh = (db_enr){.class_id = cls, .active = active, .seen = true, .ours = true};
		strmap_put(&c->enrollments, e->sid, fresh);
		if (!active) {
			COUNT(c, RK_ENROLLMENT, unchanged);
			return;
		}
		if (live(c)) add_enrollment(c, b, e->sid, cls);
		COUNT(c, RK_ENROLLMENT, created);
		return;
	}
	d->seen = true;
	if (d->class_id == cls && d->active == active) {
		COUNT(c, RK_ENROLLMENT, unchanged);
		return;
	}
	sql_arg args[] = {ARG_TEXT(e->sid), ARG_INT(cls), ARG_INT(active)};
	run(c, "UPDATE class_enrollment SET class_id = $2, active = $3 WHERE sourced_id = $1", args, 3);
	if (d->active && !active) COUNT(c, RK_ENROLLMENT, deactivated);
	else COUNT(c, RK_ENROLLMENT, updated);
}

static void close_missing_enrollments(ctx *c)
{
	if (c->p->mode[RF_ENROLLMENTS] != ROSTER_BULK) return;
	for (size_t i = 0; i < c->enrollments.cap; i++) {
		db_enr *d = c->enrollments.slots[i].value;
		if (!c->enrollments.slots[i].key || d->seen || !d->active || !d->ours) continue;
		sql_arg args[] = {ARG_TEXT(c->enrollments.slots[i].key)};
		run(c, "UPDATE class_enrollment SET active = 0 WHERE sourced_id = $1", args, 1);
		COUNT(c, RK_ENROLLMENT, deactivated);
	}
}

/* A class's student count follows its active enrollments. */
static void recount_students(ctx *c)
{
	sql_arg args[] = {ARG_INT(c->district)};
	run(c,
	    "UPDATE class SET student_count = (SELECT COUNT(*) FROM class_enrollment e "
	    "WHERE e.class_id = class.id AND e.active = 1) "
	    "WHERE school_id IN (SELECT id FROM org WHERE parent_id = $1) "
	    "AND student_count <> (SELECT COUNT(*) FROM class_enrollment e "
	    "WHERE e.class_id = class.id AND e.active = 1)",
	    args, 1);
}

static void apply_enrollments(ctx *c)
{
	batch *b = arena_alloc(c->a, sizeof *b);
	b->sql = batch_sql(c, BATCH);
	db_enr *fresh = arena_calloc(c->a, c->p->enrollments.n ? c->p->enrollments.n : 1, sizeof *fresh);
	for (size_t i = 0; i < c->p->enrollments.n && c->rc == STORE_OK; i++)
		upsert_enrollment(c, b, &c->p->enrollments.v[i], &fresh[i]);
	flush(c, b);
	close_missing_enrollments(c);
	recount_students(c);
}

/* ---- the whole import ---- */

static const char *audit_detail(ctx *c)
{
	buf b = BUF_INIT;
	buf_printf(&b, "OneRoster %s", c->p->version ? c->p->version : "?");
	for (int k = 0; k < RK_COUNT; k++) {
		const roster_counts *n = &c->res->counts[k];
		buf_printf(&b, "; %s +%lld ~%lld -%lld =%lld", kinds[k].name, (long long)n->created,
			   (long long)n->updated, (long long)n->deactivated, (long long)n->unchanged);
	}
	buf_printf(&b, "; students %lld counted", (long long)c->p->students);
	char *s = arena_strdup(c->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void record_audit(ctx *c)
{
	if (!live(c)) return;
	audit_event e = {.action = "import.oneroster",
			 .kind = record_kind_name(REC_ROSTER_IMPORT),
			 .object_id = c->district,
			 .district_id = c->district,
			 .detail = audit_detail(c)};
	store_rc rc = audit_record(c->s, c->t->who, c->t->remote, &e);
	if (rc != STORE_OK) c->rc = rc;
}

static void apply_all(ctx *c)
{
	roster_plan *p = c->p;
	c->org_id = arena_calloc(c->a, p->orgs.n + 1, sizeof *c->org_id);
	c->session_id = arena_calloc(c->a, p->sessions.n + 1, sizeof *c->session_id);
	c->person_id = arena_calloc(c->a, p->persons.n + 1, sizeof *c->person_id);
	c->class_id = arena_calloc(c->a, p->classes.n + 1, sizeof *c->class_id);
	load_orgs(c);
	if (c->rc == STORE_OK) settle_district(c);
	if (c->rc != STORE_OK) return;
	/* Without a district the rest is still checked, to list every
	 * problem at once; nothing is written with a problem anyway. */
	if (!c->district) c->district = --c->next_virtual;
	c->res->district_id = c->district;
	apply_orgs(c);
	if (c->rc == STORE_OK) load_sessions(c);
	if (c->rc == STORE_OK) apply_sessions(c);
	if (c->rc == STORE_OK) load_persons(c);
	if (c->rc == STORE_OK) apply_persons(c);
	if (c->rc == STORE_OK) load_roles(c);
	if (c->rc == STORE_OK) apply_roles(c);
	if (c->rc == STORE_OK) load_classes(c);
	if (c->rc == STORE_OK) apply_classes(c);
	if (c->rc == STORE_OK) load_teachers(c);
	if (c->rc == STORE_OK) apply_teachers(c);
	if (c->rc == STORE_OK) load_enrollments(c);
	if (c->rc == STORE_OK) apply_enrollments(c);
	if (c->rc == STORE_OK) record_audit(c);
}

store_rc roster_apply(store *s, arena *a, roster_plan *p, const roster_target *t, roster_result *out)
{
	*out = (roster_result){0};
	if (p->stop) return STORE_OK;
	uint64_t t0 = now_usec_monotonic();
	ctx c = {.s = s, .a = a, .p = p, .t = t, .res = out, .now = now_unix()};
	strpool_init(&c.pool, a);
	c.rc = store_begin(s);
	if (c.rc == STORE_OK) apply_all(&c);
	bool commit = live(&c);
	if (commit) c.rc = store_commit(s);
	if (!commit || c.rc != STORE_OK) store_rollback(s);
	out->applied = commit && c.rc == STORE_OK;
	out->store_failed = c.rc != STORE_OK;
	out->seconds = (double)(now_usec_monotonic() - t0) / 1e6;
	return c.rc;
}

roster_plan *roster_import(store *s, arena *a, const char *path, const roster_target *t, roster_result *out,
			   const char **why)
{
	*out = (roster_result){0};
	uint64_t t0 = now_usec_monotonic();
	roster_source *src = roster_source_open(a, path, why);
	if (!src) return NULL;
	roster_plan *p = roster_read(a, src);
	roster_source_close(src);
	roster_apply(s, a, p, t, out);
	out->seconds = (double)(now_usec_monotonic() - t0) / 1e6;
	return p;
}
