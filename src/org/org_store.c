/* Organizations in the store, and the visibility filter list queries of
 * organizations and people share. */
#include "org.h"

#include <string.h>

#include "../base/util.h"

_Static_assert(VISIBILITY_MAX == 8, "VIS_ORG_SLOTS and VIS_DISTRICT_SLOTS have 8 slots each");

/* The columns every org query returns, in org_from_row's order. */
#define ORG_COLUMNS \
	"o.id, o.kind, o.name, o.parent_id, p.name, o.district_type, o.size_band, " \
	"o.flag_ell, o.flag_swd, o.flag_econ, o.flag_soc, o.active, " \
	"(SELECT COUNT(DISTINCT r.person_id) FROM person_role r " \
	" JOIN person pe ON pe.id = r.person_id " \
	" WHERE r.org_id = o.id AND r.active = 1 AND pe.active = 1) "

static void org_from_row(const store_rows *r, size_t i, org *o)
{
	o->id = rows_int(r, i, 0);
	o->kind = rows_get(r, i, 1);
	o->name = rows_get(r, i, 2);
	o->parent_id = rows_int(r, i, 3);
	o->parent_name = rows_get(r, i, 4);
	o->district_type = rows_get(r, i, 5);
	o->size_band = rows_get(r, i, 6);
	for (int f = 0; f < ORG_FLAG_COUNT; f++) o->flags[f] = rows_int(r, i, 7 + (size_t)f) == 1;
	o->active = rows_int(r, i, 11) == 1;
	o->people = rows_int(r, i, 12);
}

static org *orgs_from_rows(arena *a, const store_rows *r)
{
	org *list = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof *list);
	for (size_t i = 0; i < r->nrows; i++) org_from_row(r, i, &list[i]);
	return list;
}

const char *like_contains(arena *a, const char *q)
{
	if (!q || !*q) return NULL;
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

static void bind_slots(sql_arg *out, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < VISIBILITY_MAX; i++) out[i] = i < n ? ARG_INT(ids[i]) : ARG_NULL;
}

void visibility_args(const visibility *v, sql_arg out[VIS_NARGS])
{
	/* More places than slots: every row goes to may() instead. */
	out[0] = ARG_INT(v->all || v->overflow ? 1 : 0);
	bind_slots(out + 1, v->orgs, v->norgs);
	bind_slots(out + 1 + VISIBILITY_MAX, v->districts, v->ndistricts);
}

store_rc org_list(store *s, arena *a, const org_filter *f, const visibility *v, org **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " ORG_COLUMNS
		"FROM org o LEFT JOIN org p ON p.id = o.parent_id "
		"WHERE o.active = 1 AND (" VIS_ALL " OR " VIS_PLACE("o") ") "
		"AND (CAST($18 AS TEXT) IS NULL OR o.kind = $18) "
		"AND (CAST($19 AS TEXT) IS NULL OR lower(o.name) LIKE lower($19) ESCAPE '\\') "
		"ORDER BY CASE o.kind WHEN 'partner' THEN 0 ELSE 1 END, "
		"COALESCE(p.name, o.name), o.parent_id IS NOT NULL, o.name";
	/* clang-format on */
	sql_arg args[VIS_NARGS + 2];
	visibility_args(v, args);
	args[VIS_NARGS] = ARG_TEXT(f->kind);
	args[VIS_NARGS + 1] = ARG_TEXT(like_contains(a, f->q));
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = orgs_from_rows(a, &r);
	*n = r.nrows;
	return STORE_OK;
}

store_rc org_choices(store *s, arena *a, const char *kind, const visibility *v, org **out, size_t *n)
{
	/* The list's order and filter without its people count, which a
	 * select of every school in a state would pay for once per option. */
	/* clang-format off */
	static const char sql[] =
		"SELECT o.id, o.kind, o.name, o.parent_id, p.name "
		"FROM org o LEFT JOIN org p ON p.id = o.parent_id "
		"WHERE o.active = 1 AND (" VIS_ALL " OR " VIS_PLACE("o") ") "
		"AND (CAST($18 AS TEXT) IS NULL OR o.kind = $18) "
		"ORDER BY CASE o.kind WHEN 'partner' THEN 0 ELSE 1 END, "
		"COALESCE(p.name, o.name), o.parent_id IS NOT NULL, o.name";
	/* clang-format on */
	sql_arg args[VIS_NARGS + 1];
	visibility_args(v, args);
	args[VIS_NARGS] = ARG_TEXT(kind);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	org *list = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *list);
	for (size_t i = 0; i < r.nrows; i++)
		list[i] = (org){.id = rows_int(&r, i, 0),
				.kind = rows_get(&r, i, 1),
				.name = rows_get(&r, i, 2),
				.parent_id = rows_int(&r, i, 3),
				.parent_name = rows_get(&r, i, 4),
				.active = true};
	*out = list;
	*n = r.nrows;
	return STORE_OK;
}

store_rc org_get(store *s, arena *a, int64_t id, org *out, bool *found)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " ORG_COLUMNS "FROM org o LEFT JOIN org p ON p.id = o.parent_id WHERE o.id = $1";
	/* clang-format on */
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
	/* clang-format off */
	static const char sql[] =
		"SELECT " ORG_COLUMNS
		"FROM org o LEFT JOIN org p ON p.id = o.parent_id "
		"WHERE o.parent_id = $1 AND o.active = 1 ORDER BY o.name";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	*out = orgs_from_rows(a, &r);
	*n = r.nrows;
	return STORE_OK;
}

static sql_arg code_arg(const char *code)
{
	return code && *code ? ARG_TEXT(code) : ARG_NULL;
}

store_rc org_insert(store *s, arena *a, const org_input *in, int64_t *id)
{
	sql_arg args[] = {
		ARG_TEXT(in->kind),
		ARG_TEXT(in->name),
		in->parent_id ? ARG_INT(in->parent_id) : ARG_NULL,
		code_arg(in->district_type),
		code_arg(in->size_band),
		ARG_INT(in->flags[FLAG_ELL]),
		ARG_INT(in->flags[FLAG_SWD]),
		ARG_INT(in->flags[FLAG_ECON]),
		ARG_INT(in->flags[FLAG_SOC]),
		ARG_INT(now_unix()),
	};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "INSERT INTO org (kind, name, parent_id, district_type, size_band, "
				  "flag_ell, flag_swd, flag_econ, flag_soc, created_at, updated_at) "
				  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return *id ? STORE_OK : STORE_ERROR;
}

store_rc org_update(store *s, arena *a, int64_t id, const org_input *in)
{
	sql_arg args[] = {
		ARG_TEXT(in->name),
		in->parent_id ? ARG_INT(in->parent_id) : ARG_NULL,
		code_arg(in->district_type),
		code_arg(in->size_band),
		ARG_INT(in->flags[FLAG_ELL]),
		ARG_INT(in->flags[FLAG_SWD]),
		ARG_INT(in->flags[FLAG_ECON]),
		ARG_INT(in->flags[FLAG_SOC]),
		ARG_INT(now_unix()),
		ARG_INT(id),
	};
	return store_query(s, a,
			   "UPDATE org SET name = $1, parent_id = $2, district_type = $3, size_band = $4, "
			   "flag_ell = $5, flag_swd = $6, flag_econ = $7, flag_soc = $8, updated_at = $9 "
			   "WHERE id = $10",
			   args, COUNT_OF(args), NULL);
}

store_rc org_deactivate(store *s, arena *a, int64_t id)
{
	sql_arg args[] = {ARG_INT(now_unix()), ARG_INT(id)};
	return store_query(s, a, "UPDATE org SET active = 0, updated_at = $1 WHERE id = $2", args,
			   COUNT_OF(args), NULL);
}
