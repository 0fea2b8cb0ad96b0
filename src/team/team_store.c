/* Teams and their members in the store. A team belongs to a school or a
 * district; its district is the school's parent or the district itself. */
#include "team.h"

#include <string.h>

#include "../base/util.h"

/* The team's district, in SQL: a district team's own org, or the school's
 * parent. */
#define TEAM_DISTRICT "(CASE WHEN o.kind = 'school' THEN o.parent_id ELSE o.id END)"

/* The columns every team query returns, in team_from_row's order; me is
 * the placeholder of the asking person (for actor_is_member). */
/* clang-format off */
#define TEAM_COLUMNS(me) \
	"t.id, t.org_id, o.name, o.kind, " TEAM_DISTRICT ", d.name, t.name, t.kind, t.grade, " \
	"t.active, " \
	"(SELECT COUNT(*) FROM team_member m JOIN person mp ON mp.id = m.person_id " \
	" WHERE m.team_id = t.id AND m.active = 1 AND mp.active = 1), " \
	"(SELECT COUNT(*) FROM team_member m WHERE m.team_id = t.id AND m.active = 1 " \
	" AND m.person_id = CAST(" me " AS BIGINT)) "
/* clang-format on */

/* clang-format off */
#define TEAM_FROM \
	"FROM team t JOIN org o ON o.id = t.org_id LEFT JOIN org d ON d.id = " TEAM_DISTRICT " "
/* clang-format on */

static void team_from_row(const store_rows *r, size_t i, team *t)
{
	t->id = rows_int(r, i, 0);
	t->org_id = rows_int(r, i, 1);
	t->org_name = rows_get(r, i, 2);
	t->org_kind = rows_get(r, i, 3);
	t->district_id = rows_int(r, i, 4);
	t->district_name = rows_get(r, i, 5);
	t->name = rows_get(r, i, 6);
	t->kind = rows_get(r, i, 7);
	t->grade = rows_get(r, i, 8);
	t->active = rows_int(r, i, 9) == 1;
	t->members = rows_int(r, i, 10);
	t->actor_is_member = rows_int(r, i, 11) > 0;
}

/* Grade-level teams first, in grade order (K, 1 … 12, not "G10" before
 * "G2"), then the other teams by name. */
#define TEAM_GRADE_ORDER \
	"CASE WHEN t.kind = 'grade_level' THEN 0 ELSE 1 END, " \
	"CASE WHEN t.kind = 'grade_level' AND t.grade = 'K' THEN 0 ELSE 1 END, " \
	"CASE WHEN t.kind = 'grade_level' THEN COALESCE(LENGTH(t.grade), 0) ELSE 0 END, " \
	"CASE WHEN t.kind = 'grade_level' THEN COALESCE(t.grade, '') ELSE '' END, "

/* The visibility filter takes $1..$17 (org.h); $18 is the asking person,
 * whose own teams are included when $19 (v->member) is 1. */
store_rc team_list(store *s, arena *a, const team_filter *f, const visibility *v, int64_t actor_id,
		   team **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " TEAM_COLUMNS("$18") TEAM_FROM
		"WHERE t.active = 1 "
		"AND (" VIS_ALL " OR " VIS_PLACE("o") " OR (CAST($19 AS BIGINT) = 1 AND EXISTS ("
		"  SELECT 1 FROM team_member m WHERE m.team_id = t.id AND m.active = 1 "
		"  AND m.person_id = CAST($18 AS BIGINT)))) "
		"AND (CAST($20 AS BIGINT) IS NULL OR t.org_id = $20) "
		"AND (CAST($21 AS TEXT) IS NULL OR t.kind = $21) "
		"AND (CAST($22 AS TEXT) IS NULL OR lower(t.name) LIKE lower($22) ESCAPE '\\') "
		"ORDER BY d.name NULLS LAST, CASE WHEN o.kind = 'school' THEN 1 ELSE 0 END, o.name, "
		TEAM_GRADE_ORDER "t.name, t.id";
	/* clang-format on */
	sql_arg args[VIS_NARGS + 5];
	visibility_args(v, args);
	args[VIS_NARGS] = ARG_INT(actor_id);
	args[VIS_NARGS + 1] = ARG_INT(v->member ? 1 : 0);
	args[VIS_NARGS + 2] = f->org_id ? ARG_INT(f->org_id) : ARG_NULL;
	args[VIS_NARGS + 3] = ARG_TEXT(f->kind);
	args[VIS_NARGS + 4] = ARG_TEXT(like_contains(a, f->q));
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++) team_from_row(&r, i, &(*out)[i]);
	*n = r.nrows;
	return STORE_OK;
}

store_rc team_get(store *s, arena *a, int64_t id, int64_t actor_id, team *out, bool *found)
{
	static const char sql[] = "SELECT " TEAM_COLUMNS("$1") TEAM_FROM "WHERE t.id = $2";
	sql_arg args[] = {ARG_INT(actor_id), ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) team_from_row(&r, 0, out);
	return STORE_OK;
}

/* Each member's roles in the team's district, folded into the members. */
static store_rc member_roles(store *s, arena *a, const team *t, team_member *m, size_t n)
{
	static const char sql[] = "SELECT m.person_id, r.role, o.name FROM team_member m "
				  "JOIN person_role r ON r.person_id = m.person_id AND r.active = 1 "
				  "JOIN org o ON o.id = r.org_id "
				  "WHERE m.team_id = $1 AND m.active = 1 AND o.active = 1 "
				  "AND (o.id = $2 OR o.parent_id = $2) "
				  "ORDER BY m.person_id, r.role, o.name";
	sql_arg args[] = {ARG_INT(t->id), ARG_INT(t->district_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	for (size_t i = 0; i < n; i++) m[i].role_places = arena_calloc(a, r.nrows + 1, sizeof(char *));
	for (size_t k = 0; k < r.nrows; k++) {
		int64_t pid = rows_int(&r, k, 0);
		role ro;
		if (!role_parse(rows_get(&r, k, 1), &ro)) continue;
		for (size_t i = 0; i < n; i++) {
			if (m[i].person_id != pid) continue;
			m[i].roles |= 1u << ro;
			m[i].role_places[m[i].nrole_places++] =
				arena_printf(a, "%s, %s", role_label(ro), rows_get(&r, k, 2));
		}
	}
	return STORE_OK;
}

store_rc team_members(store *s, arena *a, const team *t, team_member **out, size_t *n)
{
	static const char sql[] =
		"SELECT m.person_id, p.name, m.team_role FROM team_member m "
		"JOIN person p ON p.id = m.person_id "
		"WHERE m.team_id = $1 AND m.active = 1 AND p.active = 1 "
		"ORDER BY CASE m.team_role WHEN 'lead' THEN 0 WHEN 'facilitator' THEN 1 ELSE 2 END, "
		"p.name, p.id";
	sql_arg args[] = {ARG_INT(t->id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	team_member *m = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *m);
	for (size_t i = 0; i < r.nrows; i++)
		m[i] = (team_member){.person_id = rows_int(&r, i, 0),
				     .name = rows_get(&r, i, 1),
				     .team_role = rows_get(&r, i, 2)};
	*out = m;
	*n = r.nrows;
	return member_roles(s, a, t, m, r.nrows);
}

store_rc team_name_taken(store *s, arena *a, int64_t org_id, const char *name, int64_t except_id, bool *taken)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM team WHERE org_id = $1 AND lower(name) = lower($2) AND id <> $3";
	sql_arg args[] = {ARG_INT(org_id), ARG_TEXT(name), ARG_INT(except_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *taken = rows_int(&r, 0, 0) > 0;
	return rc;
}

store_rc team_insert(store *s, arena *a, const team_input *in, int64_t *id)
{
	static const char sql[] = "INSERT INTO team (org_id, name, kind, grade, created_at) "
				  "VALUES ($1, $2, $3, $4, $5) RETURNING id";
	sql_arg args[] = {ARG_INT(in->org_id), ARG_TEXT(in->name), ARG_TEXT(in->kind), ARG_TEXT(in->grade),
			  ARG_INT(now_unix())};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc team_update(store *s, arena *a, int64_t id, const team_input *in)
{
	static const char sql[] = "UPDATE team SET name = $2, kind = $3, grade = $4 WHERE id = $1";
	sql_arg args[] = {ARG_INT(id), ARG_TEXT(in->name), ARG_TEXT(in->kind), ARG_TEXT(in->grade)};
	return store_query(s, a, sql, args, COUNT_OF(args), NULL);
}

store_rc team_deactivate(store *s, arena *a, int64_t id)
{
	sql_arg args[] = {ARG_INT(id)};
	return store_query(s, a, "UPDATE team SET active = 0 WHERE id = $1", args, 1, NULL);
}

/* The columns of a candidate row: the person and one of their roles'
 * places (NULL columns when they hold none), and whether that role is in
 * the district ($1). */
#define CANDIDATE_COLUMNS \
	"p.id, p.name, p.active, r.org_id, " \
	"CASE WHEN o.kind = 'district' THEN o.id WHEN o.kind = 'school' THEN o.parent_id ELSE 0 END, " \
	"CASE WHEN o.kind = 'partner' THEN o.id ELSE 0 END, " \
	"CASE WHEN o.active = 1 AND (o.id = $1 OR o.parent_id = $1) THEN 1 ELSE 0 END "

/* Folds rows ordered by person into one candidate per person. */
static team_candidate *candidates_from_rows(arena *a, const store_rows *r, size_t *n)
{
	team_candidate *c = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof *c);
	size_t k = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		int64_t pid = rows_int(r, i, 0);
		if (k == 0 || c[k - 1].person_id != pid) {
			size_t rows = 1; /* this person's rows, for their places */
			while (i + rows < r->nrows && rows_int(r, i + rows, 0) == pid) rows++;
			c[k++] = (team_candidate){.person_id = pid,
						  .name = rows_get(r, i, 1),
						  .active = rows_int(r, i, 2) == 1,
						  .places = arena_calloc(a, rows, sizeof(place))};
		}
		team_candidate *cur = &c[k - 1];
		if (!rows_get(r, i, 3)) continue; /* no role at all */
		cur->places[cur->nplaces++] = (place){.org_id = rows_int(r, i, 3),
						      .district_id = rows_int(r, i, 4),
						      .partner_id = rows_int(r, i, 5)};
		if (rows_int(r, i, 6) == 1) cur->in_district = true;
	}
	*n = k;
	return c;
}

store_rc team_candidates(store *s, arena *a, int64_t district_id, int64_t team_id, team_candidate **out,
			 size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " CANDIDATE_COLUMNS
		"FROM person p JOIN person_role r ON r.person_id = p.id AND r.active = 1 "
		"JOIN org o ON o.id = r.org_id "
		"WHERE p.active = 1 AND EXISTS (SELECT 1 FROM person_role r2 "
		"  JOIN org o2 ON o2.id = r2.org_id WHERE r2.person_id = p.id AND r2.active = 1 "
		"  AND o2.active = 1 AND (o2.id = $1 OR o2.parent_id = $1)) "
		"AND NOT EXISTS (SELECT 1 FROM team_member m WHERE m.team_id = $2 "
		"  AND m.person_id = p.id AND m.active = 1) "
		"ORDER BY p.name, p.id, r.org_id";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(district_id), ARG_INT(team_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = candidates_from_rows(a, &r, n);
	return STORE_OK;
}

store_rc team_candidate_get(store *s, arena *a, int64_t person_id, int64_t district_id, team_candidate *out,
			    bool *found)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " CANDIDATE_COLUMNS
		"FROM person p LEFT JOIN person_role r ON r.person_id = p.id AND r.active = 1 "
		"LEFT JOIN org o ON o.id = r.org_id WHERE p.id = $2 ORDER BY r.org_id";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(district_id), ARG_INT(person_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	size_t n = 0;
	team_candidate *c = candidates_from_rows(a, &r, &n);
	*found = n == 1;
	if (*found) *out = c[0];
	return STORE_OK;
}

store_rc team_member_is_active(store *s, arena *a, int64_t team_id, int64_t person_id, bool *active)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM team_member WHERE team_id = $1 AND person_id = $2 AND active = 1";
	sql_arg args[] = {ARG_INT(team_id), ARG_INT(person_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *active = rows_int(&r, 0, 0) > 0;
	return rc;
}

/* A member who left and comes back keeps their one row (the key is team
 * and person), made active again with the role given now. */
store_rc team_member_add(store *s, arena *a, int64_t team_id, int64_t person_id, const char *team_role)
{
	sql_arg args[] = {ARG_INT(team_id), ARG_INT(person_id), ARG_TEXT(team_role)};
	store_rc rc = store_query(s, a,
				  "UPDATE team_member SET active = 1, team_role = $3 "
				  "WHERE team_id = $1 AND person_id = $2",
				  args, COUNT_OF(args), NULL);
	if (rc != STORE_OK || store_changes(s) > 0) return rc;
	return store_query(s, a,
			   "INSERT INTO team_member (team_id, person_id, team_role, active) "
			   "VALUES ($1, $2, $3, 1)",
			   args, COUNT_OF(args), NULL);
}

store_rc team_member_remove(store *s, arena *a, int64_t team_id, int64_t person_id)
{
	sql_arg args[] = {ARG_INT(team_id), ARG_INT(person_id)};
	return store_query(s, a, "UPDATE team_member SET active = 0 WHERE team_id = $1 AND person_id = $2",
			   args, COUNT_OF(args), NULL);
}
