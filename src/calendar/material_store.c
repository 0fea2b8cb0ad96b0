/* A session's materials in the store. */
#include "../base/util.h"
#include "session.h"

#define MATERIAL_COLUMNS "id, session_id, title, url, file_path, content_type, size_bytes, created_at "

static void material_from_row(const store_rows *r, size_t i, session_material *m)
{
	*m = (session_material){.id = rows_int(r, i, 0),
				.session_id = rows_int(r, i, 1),
				.title = rows_get(r, i, 2),
				.url = rows_get(r, i, 3),
				.file_name = rows_get(r, i, 4),
				.content_type = rows_get(r, i, 5),
				.size_bytes = rows_int(r, i, 6),
				.created_at = rows_int(r, i, 7)};
}

store_rc material_list(store *s, arena *a, int64_t session_id, session_material **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] = "SELECT " MATERIAL_COLUMNS "FROM session_material "
				  "WHERE session_id = $1 ORDER BY id";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(session_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++) material_from_row(&r, i, &(*out)[i]);
	*n = r.nrows;
	return STORE_OK;
}

store_rc material_get(store *s, arena *a, int64_t session_id, int64_t id, session_material *m, bool *found)
{
	/* clang-format off */
	static const char sql[] = "SELECT " MATERIAL_COLUMNS "FROM session_material "
				  "WHERE id = $1 AND session_id = $2";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(id), ARG_INT(session_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) material_from_row(&r, 0, m);
	return STORE_OK;
}

store_rc material_insert(store *s, arena *a, const session_material *m, int64_t *id)
{
	static const char sql[] = "INSERT INTO session_material (session_id, title, url, file_path, "
				  "content_type, size_bytes, created_at) VALUES ($1, $2, $3, $4, $5, "
				  "CAST($6 AS BIGINT), $7) RETURNING id";
	sql_arg args[] = {ARG_INT(m->session_id),    ARG_TEXT(m->title),
			  ARG_TEXT(m->url),          ARG_TEXT(m->file_name),
			  ARG_TEXT(m->content_type), m->url ? ARG_NULL : ARG_INT(m->size_bytes),
			  ARG_INT(now_unix())};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *id = rows_int(&r, 0, 0);
	return rc;
}

store_rc material_delete(store *s, arena *a, int64_t id)
{
	sql_arg args[] = {ARG_INT(id)};
	return store_query(s, a, "DELETE FROM session_material WHERE id = $1", args, 1, NULL);
}
