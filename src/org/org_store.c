/* Organizations in the store. */
#include "org.h"

#include <string.h>

/* The columns every org query returns, in org_from_row's order. */
#define ORG_COLUMNS \
	"o.id, o.kind, o.name, o.parent_id, p.name, o.district_type, o.size_band, " \
	"(SELECT COUNT(DISTINCT r.person_id) FROM person_role r " \
	" JOIN person pe ON pe.id = r.person_id WHERE r.org_id = o.id AND pe.active = 1) "

static void org_from_row(const store_rows *r, size_t i, org *o)
{
	o->id = rows_int(r, i, 0);
	o->kind = rows_get(r, i, 1);
	o->name = rows_get(r, i, 2);
	o->parent_id = rows_int(r, i, 3);
	o->parent_name = rows_get(r, i, 4);
	o->district_type = rows_get(r, i, 5);
	o->size_band = rows_get(r, i, 6);
	o->people = rows_int(r, i, 7);
}

static org *orgs_from_rows(arena *a, const store_rows *r)
{
	org *list = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof *list);
	for (size_t i = 0; i < r->nrows; i++) org_from_row(r, i, &list[i]);
	return list;
}

/* A LIKE pattern matching q anywhere, with q's own % _ \ taken literally. */
static char *contains_pattern(arena *a, const char *q)
{
	size_t n = strlen(q);
	char *p = arena_alloc(a, 2 * n + 3), *w = p;
	*w++ = '%';
	for (const char *c = q; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\') *w++ = '\\';
		*w++ = *c;
	}
	*w++ = '%';
	*w = 0;
	return p;
}

store_rc org_list(store *s, arena *a, const org_filter *f, org **out, size_t *n)
{
	static const char sql[] =
		"SELECT " ORG_COLUMNS
		"FROM org o LEFT JOIN org p ON p.id = o.parent_id "
		"WHERE o.active = 1 AND (CAST($1 AS TEXT) IS NULL OR o.kind = $1) "
		"AND (CAST($2 AS TEXT) IS NULL OR lower(o.name) LIKE lower($2) ESCAPE '\\') "
		"ORDER BY CASE o.kind WHEN 'partner' THEN 0 ELSE 1 END, "
		"COALESCE(p.name, o.name), o.parent_id IS NOT NULL, o.name";
	const char *pattern = f->q && *f->q ? contains_pattern(a, f->q) : NULL;
	sql_arg args[] = {ARG_TEXT(f->kind), ARG_TEXT(pattern)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 2, &r);
	if (rc != STORE_OK) return rc;
	*out = orgs_from_rows(a, &r);
	*n = r.nrows;
	return STORE_OK;
}

store_rc org_get(store *s, arena *a, int64_t id, org *out, bool *found)
{
	static const char sql[] =
		"SELECT " ORG_COLUMNS
		"FROM org o LEFT JOIN org p ON p.id = o.parent_id WHERE o.id = $1 AND o.active = 1";
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) org_from_row(&r, 0, out);
	return STORE_OK;
}

store_rc org_children(store *s, arena *a, int64_t id, org **out, size_t *n)
{
	static const char sql[] =
		"SELECT " ORG_COLUMNS
		"FROM org o LEFT JOIN org p ON p.id = o.parent_id "
		"WHERE o.parent_id = $1 AND o.active = 1 ORDER BY o.name";
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	*out = orgs_from_rows(a, &r);
	*n = r.nrows;
	return STORE_OK;
}
