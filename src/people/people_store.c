/* People and their roles in the store. A person is never deleted, only
 * deactivated; a revoked role keeps its row (inactive), so a roster's
 * sourcedId and the audit trail still point at something. */
#include "people.h"

#include <string.h>

#include "../base/util.h"

/* A person's columns, then one active role per row (NULLs for a person
 * without one): person_rows folds them. */
#define PERSON_COLUMNS "pp.id, pp.name, pp.email, pp.active, pp.has_password, "
#define ROLE_COLUMNS "r.id, r.role, o.id, o.name, o.kind, o.parent_id, o.active "
#define ROLE_JOIN \
	"LEFT JOIN person_role r ON r.person_id = pp.id AND r.active = 1 " \
	"LEFT JOIN org o ON o.id = r.org_id "
#define PERSON_SELECT \
	"SELECT p.id, p.name, p.email, p.active, " \
	"CASE WHEN p.password_hash IS NULL THEN 0 ELSE 1 END AS has_password FROM person p "

static void held_from_row(const store_rows *r, size_t i, held *h)
{
	h->id = rows_int(r, i, 5);
	if (!role_parse(rows_get(r, i, 6), &h->role)) h->role = ROLE_COUNT;
	h->org_id = rows_int(r, i, 7);
	h->org_name = rows_get(r, i, 8);
	h->org_kind = rows_get(r, i, 9);
	h->org_parent_id = rows_int(r, i, 10);
	h->org_active = rows_int(r, i, 11) == 1;
}

/* Folds person-and-role rows (ordered by person) into people with their
 * roles; at most max people. */
static size_t person_rows(arena *a, const store_rows *r, person *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nrows;) {
		if (n == max) break;
		person *p = &out[n++];
		*p = (person){.id = rows_int(r, i, 0),
			      .name = rows_get(r, i, 1),
			      .email = rows_get(r, i, 2),
			      .active = rows_int(r, i, 3) == 1,
			      .has_password = rows_int(r, i, 4) == 1};
		size_t end = i;
		while (end < r->nrows && rows_int(r, end, 0) == p->id) end++;
		p->roles = arena_calloc(a, end - i, sizeof *p->roles);
		for (size_t k = i; k < end; k++) {
			if (!rows_get(r, k, 5)) continue; /* no role at all */
			held h;
			held_from_row(r, k, &h);
			/* A role name from a newer schema grants and shows nothing. */
			if (h.role != ROLE_COUNT) p->roles[p->nroles++] = h;
		}
		i = end;
	}
	return n;
}

store_rc people_list(store *s, arena *a, const people_filter *f, const visibility *v, int64_t self_id,
		     person **out, size_t *n, bool *more)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " PERSON_COLUMNS ROLE_COLUMNS "FROM (" PERSON_SELECT
		"WHERE (CAST($19 AS BIGINT) = 1 OR p.active = 1) "
		"AND (CAST($20 AS TEXT) IS NULL OR lower(p.name) LIKE lower($20) ESCAPE '\\' "
		"  OR lower(COALESCE(p.email, '')) LIKE lower($20) ESCAPE '\\') "
		"AND ((CAST($21 AS BIGINT) IS NULL AND CAST($22 AS TEXT) IS NULL) "
		"  OR EXISTS (SELECT 1 FROM person_role fr JOIN org fo ON fo.id = fr.org_id "
		"    WHERE fr.person_id = p.id AND fr.active = 1 "
		"    AND ($21 IS NULL OR fo.id = $21 OR fo.parent_id = $21) "
		"    AND ($22 IS NULL OR fr.role = $22))) "
		"AND (" VIS_ALL " OR p.id = CAST($18 AS BIGINT) "
		"  OR EXISTS (SELECT 1 FROM person_role vr JOIN org vo ON vo.id = vr.org_id "
		"    WHERE vr.person_id = p.id AND vr.active = 1 AND " VIS_PLACE("vo") ")) "
		"ORDER BY lower(p.name), p.id LIMIT $23 OFFSET $24) pp " ROLE_JOIN
		"ORDER BY lower(pp.name), pp.id, r.id";
	/* clang-format on */
	sql_arg args[VIS_NARGS + 7];
	visibility_args(v, args);
	args[VIS_NARGS] = ARG_INT(v->self ? self_id : 0);
	args[VIS_NARGS + 1] = ARG_INT(f->inactive ? 1 : 0);
	args[VIS_NARGS + 2] = ARG_TEXT(like_contains(a, f->q));
	args[VIS_NARGS + 3] = f->org_id ? ARG_INT(f->org_id) : ARG_NULL;
	args[VIS_NARGS + 4] = f->role && *f->role ? ARG_TEXT(f->role) : ARG_NULL;
	/* One more than a page tells whether there is a next one. */
	args[VIS_NARGS + 5] = ARG_INT(PEOPLE_PAGE_SIZE + 1);
	args[VIS_NARGS + 6] = ARG_INT((f->page > 1 ? f->page - 1 : 0) * PEOPLE_PAGE_SIZE);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	person *list = arena_calloc(a, PEOPLE_PAGE_SIZE + 1, sizeof *list);
	size_t got = person_rows(a, &r, list, PEOPLE_PAGE_SIZE + 1);
	*more = got > PEOPLE_PAGE_SIZE;
	*out = list;
	*n = *more ? PEOPLE_PAGE_SIZE : got;
	return STORE_OK;
}

store_rc person_get(store *s, arena *a, int64_t id, person *out, bool *found)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " PERSON_COLUMNS ROLE_COLUMNS "FROM (" PERSON_SELECT "WHERE p.id = $1) pp "
		ROLE_JOIN "ORDER BY r.id";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	*found = person_rows(a, &r, out, 1) == 1;
	return STORE_OK;
}

store_rc person_teams(store *s, arena *a, int64_t id, person_team **out, size_t *n)
{
	static const char sql[] = "SELECT t.id, t.name, o.id, o.name, o.kind, o.parent_id FROM team_member m "
				  "JOIN team t ON t.id = m.team_id JOIN org o ON o.id = t.org_id "
				  "WHERE m.person_id = $1 AND m.active = 1 AND t.active = 1 "
				  "ORDER BY lower(t.name), t.id";
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	person_team *list = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *list);
	for (size_t i = 0; i < r.nrows; i++)
		list[i] = (person_team){rows_int(&r, i, 0), rows_get(&r, i, 1), rows_int(&r, i, 2),
					rows_get(&r, i, 3), rows_get(&r, i, 4), rows_int(&r, i, 5)};
	*out = list;
	*n = r.nrows;
	return STORE_OK;
}

store_rc person_email_taken(store *s, arena *a, const char *email, int64_t except_id, bool *taken)
{
	sql_arg args[] = {ARG_TEXT(email), ARG_INT(except_id)};
	store_rows r;
	store_rc rc =
		store_query(s, a, "SELECT id FROM person WHERE lower(email) = lower($1) AND id <> $2 LIMIT 1",
			    args, COUNT_OF(args), &r);
	*taken = rc == STORE_OK && r.nrows > 0;
	return rc;
}

static sql_arg text_or_null(const char *s)
{
	return s && *s ? ARG_TEXT(s) : ARG_NULL;
}

store_rc person_insert(store *s, arena *a, const char *name, const char *email, const char *password_hash,
		       int64_t *id)
{
	sql_arg args[] = {ARG_TEXT(name), text_or_null(email), text_or_null(password_hash),
			  ARG_INT(now_unix())};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "INSERT INTO person (name, email, password_hash, created_at, updated_at) "
				  "VALUES ($1, $2, $3, $4, $4) RETURNING id",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return *id ? STORE_OK : STORE_ERROR;
}

store_rc person_update(store *s, arena *a, int64_t id, const char *name, const char *email)
{
	sql_arg args[] = {ARG_TEXT(name), text_or_null(email), ARG_INT(now_unix()), ARG_INT(id)};
	return store_query(s, a, "UPDATE person SET name = $1, email = $2, updated_at = $3 WHERE id = $4",
			   args, COUNT_OF(args), NULL);
}

store_rc person_set_active(store *s, arena *a, int64_t id, bool active)
{
	sql_arg args[] = {ARG_INT(active ? 1 : 0), ARG_INT(now_unix()), ARG_INT(id)};
	return store_query(s, a, "UPDATE person SET active = $1, updated_at = $2 WHERE id = $3", args,
			   COUNT_OF(args), NULL);
}

store_rc role_grant(store *s, arena *a, int64_t person_id, int64_t org_id, const char *role_name, int64_t *id)
{
	sql_arg args[] = {ARG_INT(person_id), ARG_INT(org_id), ARG_TEXT(role_name)};
	store_rows r;
	/* The schema keeps one row per person, org and role: a revoked one
	 * comes back rather than failing the unique constraint. */
	store_rc rc = store_query(s, a,
				  "UPDATE person_role SET active = 1 "
				  "WHERE person_id = $1 AND org_id = $2 AND role = $3 RETURNING id",
				  args, COUNT_OF(args), &r);
	if (rc == STORE_OK && r.nrows == 0)
		rc = store_query(s, a,
				 "INSERT INTO person_role (person_id, org_id, role) VALUES ($1, $2, $3) "
				 "RETURNING id",
				 args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return *id ? STORE_OK : STORE_ERROR;
}

store_rc role_revoke(store *s, arena *a, int64_t role_id)
{
	sql_arg args[] = {ARG_INT(role_id)};
	return store_query(s, a, "UPDATE person_role SET active = 0 WHERE id = $1", args, 1, NULL);
}

store_rc district_had_leader(store *s, arena *a, int64_t district_id, bool *had)
{
	sql_arg args[] = {ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(
		s, a, "SELECT COUNT(*) FROM person_role WHERE org_id = $1 AND role = 'district_leader'", args,
		1, &r);
	if (rc == STORE_OK) *had = rows_int(&r, 0, 0) > 0;
	return rc;
}
