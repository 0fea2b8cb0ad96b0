/* School years and terms in the store. A year belongs to a district; its
 * dates are YYYY-MM-DD text, so comparing text compares dates. */
#include "schoolyear.h"

#include "../base/util.h"

/* The columns every year query returns, in year_from_row's order. */
#define YEAR_COLUMNS \
	"y.id, y.district_id, d.name, y.name, y.starts_on, y.ends_on, y.active, " \
	"(SELECT COUNT(*) FROM term t WHERE t.school_year_id = y.id AND t.active = 1) "

#define YEAR_FROM "FROM school_year y LEFT JOIN org d ON d.id = y.district_id "

static void year_from_row(const store_rows *r, size_t i, school_year *y)
{
	y->id = rows_int(r, i, 0);
	y->district_id = rows_int(r, i, 1);
	y->district_name = rows_get(r, i, 2);
	y->name = rows_get(r, i, 3);
	y->starts_on = rows_get(r, i, 4);
	y->ends_on = rows_get(r, i, 5);
	y->active = rows_int(r, i, 6) == 1;
	y->terms = rows_int(r, i, 7);
}

/* The visibility filter takes $1..$17 (org.h): a year sits in its
 * district, which may be in either list of slots. */
store_rc school_year_list(store *s, arena *a, const visibility *v, int64_t district_id, school_year **out,
			  size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " YEAR_COLUMNS YEAR_FROM
		"WHERE y.active = 1 AND (" VIS_ALL " OR y.district_id IN " VIS_ORG_SLOTS
		" OR y.district_id IN " VIS_DISTRICT_SLOTS ") "
		"AND (CAST($18 AS BIGINT) IS NULL OR y.district_id = $18) "
		"ORDER BY d.name NULLS LAST, y.district_id, y.starts_on DESC, y.id";
	/* clang-format on */
	sql_arg args[VIS_NARGS + 1];
	visibility_args(v, args);
	args[VIS_NARGS] = district_id ? ARG_INT(district_id) : ARG_NULL;
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++) year_from_row(&r, i, &(*out)[i]);
	*n = r.nrows;
	return STORE_OK;
}

store_rc school_year_get(store *s, arena *a, int64_t id, school_year *out, bool *found)
{
	static const char sql[] = "SELECT " YEAR_COLUMNS YEAR_FROM "WHERE y.id = $1";
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) year_from_row(&r, 0, out);
	return STORE_OK;
}

static date_span *spans_from_rows(arena *a, const store_rows *r)
{
	date_span *sp = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof *sp);
	for (size_t i = 0; i < r->nrows; i++)
		sp[i] = (date_span){rows_int(r, i, 0), rows_get(r, i, 1), rows_get(r, i, 2),
				    rows_get(r, i, 3)};
	return sp;
}

store_rc school_year_spans(store *s, arena *a, int64_t district_id, date_span **out, size_t *n)
{
	static const char sql[] = "SELECT id, name, starts_on, ends_on FROM school_year "
				  "WHERE district_id = $1 AND active = 1 ORDER BY starts_on, id";
	sql_arg args[] = {ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = spans_from_rows(a, &r);
	*n = r.nrows;
	return STORE_OK;
}

store_rc term_list(store *s, arena *a, int64_t year_id, term **out, size_t *n)
{
	static const char sql[] = "SELECT id, school_year_id, name, starts_on, ends_on FROM term "
				  "WHERE school_year_id = $1 AND active = 1 ORDER BY starts_on, id";
	sql_arg args[] = {ARG_INT(year_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	term *t = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *t);
	for (size_t i = 0; i < r.nrows; i++)
		t[i] = (term){rows_int(&r, i, 0), rows_int(&r, i, 1), rows_get(&r, i, 2), rows_get(&r, i, 3),
			      rows_get(&r, i, 4)};
	*out = t;
	*n = r.nrows;
	return STORE_OK;
}

static store_rc insert_id(store *s, arena *a, const char *sql, const sql_arg *args, size_t n, int64_t *id)
{
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, n, &r);
	if (rc != STORE_OK) return rc;
	*id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return *id ? STORE_OK : STORE_ERROR;
}

store_rc school_year_insert(store *s, arena *a, const school_year_input *in, int64_t *id)
{
	sql_arg args[] = {ARG_INT(in->district_id), ARG_TEXT(in->name), ARG_TEXT(in->starts_on),
			  ARG_TEXT(in->ends_on), ARG_INT(now_unix())};
	return insert_id(s, a,
			 "INSERT INTO school_year (district_id, name, starts_on, ends_on, created_at) "
			 "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			 args, COUNT_OF(args), id);
}

store_rc school_year_update(store *s, arena *a, int64_t id, const school_year_input *in)
{
	sql_arg args[] = {ARG_TEXT(in->name), ARG_TEXT(in->starts_on), ARG_TEXT(in->ends_on), ARG_INT(id)};
	return store_query(s, a,
			   "UPDATE school_year SET name = $1, starts_on = $2, ends_on = $3 WHERE id = $4",
			   args, COUNT_OF(args), NULL);
}

store_rc school_year_deactivate(store *s, arena *a, int64_t id)
{
	sql_arg args[] = {ARG_INT(id)};
	return store_query(s, a, "UPDATE school_year SET active = 0 WHERE id = $1", args, 1, NULL);
}

store_rc term_insert(store *s, arena *a, int64_t year_id, const term_input *in, int64_t *id)
{
	sql_arg args[] = {ARG_INT(year_id), ARG_TEXT(in->name), ARG_TEXT(in->starts_on),
			  ARG_TEXT(in->ends_on)};
	return insert_id(s, a,
			 "INSERT INTO term (school_year_id, name, starts_on, ends_on) "
			 "VALUES ($1, $2, $3, $4) RETURNING id",
			 args, COUNT_OF(args), id);
}

store_rc term_deactivate(store *s, arena *a, int64_t year_id, int64_t tid, bool *changed)
{
	sql_arg args[] = {ARG_INT(tid), ARG_INT(year_id)};
	store_rc rc = store_query(s, a,
				  "UPDATE term SET active = 0 "
				  "WHERE id = $1 AND school_year_id = $2 AND active = 1",
				  args, COUNT_OF(args), NULL);
	if (rc == STORE_OK) *changed = store_changes(s) > 0;
	return rc;
}
