/* Classes in the store, for the class list: a page of classes the caller's
 * visibility reaches, and their teachers in one more query. */
#include <string.h>

#include "../base/buf.h"
#include "../base/util.h"
#include "roster.h"

enum { PLACES = 8, PAGE_MAX = 200 };

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

/* The place filter takes up to PLACES districts and PLACES schools, each
 * list padded with 0, which no organization has as its id. */
static const char list_sql[] =
	"SELECT c.id, c.title, c.grade, s.name, t.name, c.school_id, s.parent_id, c.student_count "
	"FROM class c JOIN org s ON s.id = c.school_id LEFT JOIN term t ON t.id = c.term_id "
	"WHERE c.active = 1 AND s.active = 1 "
	"AND ($1 = 1 OR s.parent_id IN ($2, $3, $4, $5, $6, $7, $8, $9) "
	"OR c.school_id IN ($10, $11, $12, $13, $14, $15, $16, $17) "
	"OR ($18 <> 0 AND EXISTS (SELECT 1 FROM class_teacher ct WHERE ct.class_id = c.id "
	"AND ct.person_id = $18 AND ct.active = 1))) "
	"AND ($19 = 0 OR c.school_id = $19) "
	"AND (CAST($20 AS TEXT) IS NULL OR lower(c.title) LIKE lower($20) ESCAPE '\\') "
	"ORDER BY s.name, c.title, c.id LIMIT $21 OFFSET $22";

static void place_args(sql_arg *args, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < PLACES; i++) args[i] = ARG_INT(i < n ? ids[i] : 0);
}

/* The teachers of the classes on the page, by class. */
static store_rc add_teachers(store *s, arena *a, class_row *list, size_t n)
{
	if (!n) return STORE_OK;
	buf sql = BUF_INIT;
	buf_puts(&sql,
		 "SELECT ct.class_id, p.id, p.name FROM class_teacher ct "
		 "JOIN person p ON p.id = ct.person_id WHERE ct.active = 1 AND ct.class_id IN (");
	sql_arg *args = arena_calloc(a, n, sizeof *args);
	for (size_t i = 0; i < n; i++) {
		buf_printf(&sql, "%s$%zu", i ? ", " : "", i + 1);
		args[i] = ARG_INT(list[i].id);
	}
	buf_puts(&sql, ") ORDER BY ct.class_id, p.name, p.id");
	store_rows r;
	store_rc rc = store_query(s, a, buf_cstr(&sql), args, n, &r);
	buf_free(&sql);
	if (rc != STORE_OK) return rc;
	for (size_t i = 0; i < n; i++) {
		class_row *c = &list[i];
		int64_t *ids = arena_calloc(a, r.nrows + 1, sizeof *ids);
		buf names = BUF_INIT;
		for (size_t k = 0; k < r.nrows; k++) {
			if (rows_int(&r, k, 0) != c->id) continue;
			ids[c->nteachers++] = rows_int(&r, k, 1);
			buf_printf(&names, "%s%s", names.len ? ", " : "", rows_get(&r, k, 2));
		}
		c->teacher_ids = ids;
		c->teachers = c->nteachers ? arena_strdup(a, buf_cstr(&names)) : NULL;
		buf_free(&names);
	}
	return STORE_OK;
}

store_rc class_list(store *s, arena *a, const class_filter *f, class_row **out, size_t *n, bool *more)
{
	int64_t limit = f->limit > 0 && f->limit <= PAGE_MAX ? f->limit : PAGE_MAX;
	sql_arg args[22];
	args[0] = ARG_INT(f->all ? 1 : 0);
	place_args(args + 1, f->districts, f->ndistricts);
	place_args(args + 9, f->orgs, f->norgs);
	args[17] = ARG_INT(f->member);
	args[18] = ARG_INT(f->school_id);
	args[19] = ARG_TEXT(f->q && *f->q ? contains_pattern(a, f->q) : NULL);
	args[20] = ARG_INT(limit + 1);
	args[21] = ARG_INT(f->offset);
	store_rows r;
	store_rc rc = store_query(s, a, list_sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*more = r.nrows > (size_t)limit;
	*n = *more ? (size_t)limit : r.nrows;
	class_row *list = arena_calloc(a, *n ? *n : 1, sizeof *list);
	for (size_t i = 0; i < *n; i++)
		list[i] = (class_row){.id = rows_int(&r, i, 0),
				      .title = rows_get(&r, i, 1),
				      .grade = rows_get(&r, i, 2),
				      .school = rows_get(&r, i, 3),
				      .term = rows_get(&r, i, 4),
				      .school_id = rows_int(&r, i, 5),
				      .district_id = rows_int(&r, i, 6),
				      .students = rows_int(&r, i, 7)};
	*out = list;
	return add_teachers(s, a, list, *n);
}
