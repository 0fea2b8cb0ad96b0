/* The dashboards' queries (src/observe/dashboard.h): sums of the kept
 * counts in walk_tally, grouped in SQL, so a district's four million
 * ratings are never read. */
#include "dashboard.h"

#include "../base/util.h"
#include "../org/org.h"
#include "walk.h"

/* The counts of a band, or of all bands (NULL): a visit without a grade
 * band is kept under '' and counts in "all" only. */
#define BAND_MATCH(n) "(CAST($" n " AS TEXT) IS NULL OR grade_band = CAST($" n " AS TEXT))"

/* Sums of the groups (rows) of at least $1 visits, and the visits of the
 * smaller ones: each row of walk_tally is one group. */
#define COUNTED \
	"SUM(CASE WHEN visits >= CAST($1 AS BIGINT) THEN visits ELSE 0 END), " \
	"SUM(CASE WHEN visits >= CAST($1 AS BIGINT) THEN total ELSE 0 END), " \
	"SUM(CASE WHEN visits < CAST($1 AS BIGINT) THEN visits ELSE 0 END) "

static void rows_to_dash(arena *a, const store_rows *r, bool with_month, dash_row **out, size_t *n)
{
	*out = arena_calloc(a, r->nrows + 1, sizeof **out);
	*n = r->nrows;
	for (size_t i = 0; i < r->nrows; i++) {
		size_t c = with_month ? 1 : 0;
		(*out)[i] = (dash_row){.school_id = rows_int(r, i, 0),
				       .code = rows_get(r, i, 1),
				       .month = with_month ? rows_int(r, i, 2) : 0,
				       .n = {rows_int(r, i, 2 + c), rows_int(r, i, 3 + c)},
				       .small = rows_int(r, i, 4 + c)};
	}
}

/* Index walk_tally_period (migration 011) covers the period's rows. */
store_rc dash_heat_rows(store *s, arena *a, int64_t district_id, int64_t rubric_id, int64_t from, int64_t to,
			const char *band, int64_t min_cell, dash_row **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT school_id, code, " COUNTED "FROM walk_tally "
		"WHERE district_id = $2 AND rubric_id = $3 AND month >= CAST($4 AS BIGINT) "
		"AND month <= CAST($5 AS BIGINT) AND " BAND_MATCH("6") " "
		"GROUP BY school_id, code";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(min_cell), ARG_INT(district_id), ARG_INT(rubric_id),
			  ARG_INT(from),     ARG_INT(to),          ARG_TEXT(band)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) rows_to_dash(a, &r, false, out, n);
	return rc;
}

/* Index walk_tally_code (migration 011) covers the indicator's rows. */
store_rc dash_trend_rows(store *s, arena *a, int64_t district_id, int64_t rubric_id, const char *code,
			 const char *band, int64_t min_cell, dash_row **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT school_id, code, month, " COUNTED "FROM walk_tally "
		"WHERE district_id = $2 AND rubric_id = $3 AND code = $4 AND " BAND_MATCH("5") " "
		"GROUP BY school_id, code, month";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(min_cell), ARG_INT(district_id), ARG_INT(rubric_id), ARG_TEXT(code),
			  ARG_TEXT(band)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) rows_to_dash(a, &r, true, out, n);
	return rc;
}

store_rc dash_district(store *s, arena *a, int64_t district_id, const char **name, int64_t *min_cell,
		       bool *found)
{
	static const char sql[] =
		"SELECT name, walk_min_cell FROM org WHERE id = $1 AND kind = 'district' AND active = 1";
	sql_arg args[] = {ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) {
		*name = rows_get(&r, 0, 0);
		*min_cell = rows_int(&r, 0, 1);
		if (*min_cell < WALK_MIN_CELL_MIN) *min_cell = WALK_MIN_CELL_MIN;
	}
	return STORE_OK;
}

store_rc dash_schools(store *s, arena *a, int64_t district_id, dash_school **out, size_t *n)
{
	static const char sql[] =
		"SELECT id, name FROM org WHERE kind = 'school' AND parent_id = $1 AND active = 1 "
		"ORDER BY name, id";
	sql_arg args[] = {ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows + 1, sizeof **out);
	*n = r.nrows;
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (dash_school){.id = rows_int(&r, i, 0), .name = rows_get(&r, i, 1)};
	return STORE_OK;
}

store_rc dash_reach(store *s, arena *a, const visibility *v, dash_place **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT o.id, d.id, d.name FROM org o JOIN org d ON d.id = o.parent_id "
		"WHERE o.kind = 'school' AND o.active = 1 AND d.kind = 'district' AND d.active = 1 "
		"AND (" VIS_ALL " OR " VIS_PLACE("o") ") ORDER BY d.name, d.id, o.name, o.id";
	/* clang-format on */
	sql_arg args[VIS_NARGS];
	visibility_args(v, args);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows + 1, sizeof **out);
	*n = r.nrows;
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (dash_place){.school_id = rows_int(&r, i, 0),
					 .district_id = rows_int(&r, i, 1),
					 .district_name = rows_get(&r, i, 2)};
	return STORE_OK;
}

/* The rubric of the district's latest walk: what its dashboard opens on.
 * Index walk_district (district_id, walked_on) finds it. */
store_rc dash_recent_rubric(store *s, arena *a, int64_t district_id, int64_t *rubric_id)
{
	static const char sql[] =
		"SELECT v.rubric_id FROM walk w JOIN rubric_version v ON v.id = w.rubric_version_id "
		"WHERE w.district_id = $1 ORDER BY w.walked_on DESC, w.id DESC LIMIT 1";
	sql_arg args[] = {ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*rubric_id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return STORE_OK;
}

/* The primary key ends its (district_id, rubric_id) prefix with the month. */
store_rc dash_last_month(store *s, arena *a, int64_t district_id, int64_t rubric_id, int64_t *month)
{
	static const char sql[] =
		"SELECT MAX(month) FROM walk_tally WHERE district_id = $1 AND rubric_id = $2 AND visits > 0";
	sql_arg args[] = {ARG_INT(district_id), ARG_INT(rubric_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*month = r.nrows && rows_get(&r, 0, 0) ? rows_int(&r, 0, 0) : 0;
	return STORE_OK;
}
