/* Rubrics in the store, the read side: a version with everything an
 * observer's form needs, the current version of a rubric, the list a
 * district chooses from, and whether a version is in use (then it never
 * changes in place). Nothing here decides who may see what. */
#include <string.h>

#include "../base/util.h"
#include "rubric.h"

enum { ORG_SLOTS = 8 }; /* organizations one list query takes */

static store_rc version_head(store *s, arena *a, int64_t version_id, rubric_version *v, bool *found)
{
	static const char sql[] =
		"SELECT v.id, v.rubric_id, v.version, r.org_id, r.builtin_key, r.name, v.description, "
		" CASE WHEN r.current_version_id = v.id THEN 1 ELSE 0 END, r.active, v.scale_min, v.scale_max "
		"FROM rubric_version v JOIN rubric r ON r.id = v.rubric_id WHERE v.id = $1";
	sql_arg args[] = {ARG_INT(version_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (!*found) return STORE_OK;
	size_t k = 0;
	v->id = rows_int(&r, 0, k++);
	v->rubric_id = rows_int(&r, 0, k++);
	v->version = rows_int(&r, 0, k++);
	v->org_id = rows_int(&r, 0, k++);
	v->builtin_key = rows_get(&r, 0, k++);
	v->name = rows_get(&r, 0, k++);
	v->description = rows_get(&r, 0, k++);
	v->current = rows_int(&r, 0, k++) == 1;
	v->active = rows_int(&r, 0, k++) == 1;
	v->scale_min = rows_int(&r, 0, k++);
	v->scale_max = rows_int(&r, 0, k++);
	return STORE_OK;
}

/* One level per scale point; a point the rubric gives no label keeps its
 * number alone (label NULL). */
static store_rc version_levels(store *s, arena *a, rubric_version *v)
{
	static const char sql[] =
		"SELECT level, label, descriptor FROM rubric_level WHERE version_id = $1 ORDER BY level";
	sql_arg args[] = {ARG_INT(v->id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	int64_t span = v->scale_max - v->scale_min + 1;
	if (span < 1 || span > RUBRIC_SCALE_LEVELS_MAX) span = 0; /* the schema's CHECK forbids it */
	v->nlevels = (size_t)span;
	v->levels = arena_calloc(a, v->nlevels ? v->nlevels : 1, sizeof *v->levels);
	for (size_t i = 0; i < v->nlevels; i++) v->levels[i].level = v->scale_min + (int64_t)i;
	for (size_t i = 0; i < r.nrows; i++) {
		int64_t level = rows_int(&r, i, 0);
		if (level < v->scale_min || level > v->scale_max) continue;
		rubric_level *l = &v->levels[level - v->scale_min];
		l->label = rows_get(&r, i, 1);
		l->descriptor = rows_get(&r, i, 2);
	}
	return STORE_OK;
}

static store_rc version_indicators(store *s, arena *a, rubric_version *v)
{
	static const char sql[] =
		"SELECT id, code, name, description FROM rubric_indicator WHERE version_id = $1 "
		"ORDER BY position, id";
	static const char levels_sql[] =
		"SELECT il.indicator_id, il.level, il.descriptor FROM rubric_indicator_level il "
		"JOIN rubric_indicator i ON i.id = il.indicator_id WHERE i.version_id = $1";
	sql_arg args[] = {ARG_INT(v->id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	v->nindicators = r.nrows;
	v->indicators = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *v->indicators);
	for (size_t i = 0; i < r.nrows; i++) {
		rubric_indicator *ind = &v->indicators[i];
		ind->id = rows_int(&r, i, 0);
		ind->code = rows_get(&r, i, 1);
		ind->name = rows_get(&r, i, 2);
		ind->description = rows_get(&r, i, 3);
		ind->level_descriptors = arena_calloc(a, v->nlevels ? v->nlevels : 1, sizeof(char *));
	}
	rc = store_query(s, a, levels_sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	for (size_t i = 0; i < r.nrows; i++) {
		rubric_indicator *ind = (rubric_indicator *)rubric_indicator_by_id(v, rows_int(&r, i, 0));
		int64_t level = rows_int(&r, i, 1);
		if (!ind || level < v->scale_min || level > v->scale_max) continue;
		ind->level_descriptors[level - v->scale_min] = rows_get(&r, i, 2);
	}
	return STORE_OK;
}

static store_rc version_look_fors(store *s, arena *a, rubric_version *v)
{
	static const char sql[] =
		"SELECT id, indicator_id, text FROM rubric_look_for WHERE version_id = $1 ORDER BY position, id";
	sql_arg args[] = {ARG_INT(v->id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	v->nlook_fors = r.nrows;
	v->look_fors = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *v->look_fors);
	for (size_t i = 0; i < r.nrows; i++) {
		v->look_fors[i].id = rows_int(&r, i, 0);
		v->look_fors[i].indicator_id = rows_int(&r, i, 1);
		v->look_fors[i].text = rows_get(&r, i, 2);
	}
	return STORE_OK;
}

store_rc rubric_version_load(store *s, arena *a, int64_t version_id, rubric_version *out, bool *found)
{
	*out = (rubric_version){0};
	store_rc rc = version_head(s, a, version_id, out, found);
	if (rc != STORE_OK || !*found) return rc;
	if ((rc = version_levels(s, a, out)) != STORE_OK) return rc;
	if ((rc = version_indicators(s, a, out)) != STORE_OK) return rc;
	return version_look_fors(s, a, out);
}

store_rc rubric_current_version(store *s, arena *a, int64_t rubric_id, int64_t *version_id)
{
	static const char sql[] = "SELECT current_version_id FROM rubric WHERE id = $1";
	sql_arg args[] = {ARG_INT(rubric_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*version_id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return STORE_OK;
}

static void summary_from_row(const store_rows *r, size_t i, rubric_summary *o)
{
	size_t k = 0;
	o->id = rows_int(r, i, k++);
	o->org_id = rows_int(r, i, k++);
	o->org_name = rows_get(r, i, k++);
	o->builtin_key = rows_get(r, i, k++);
	o->name = rows_get(r, i, k++);
	o->current_version_id = rows_int(r, i, k++);
	o->version = rows_int(r, i, k++);
	o->scale_min = rows_int(r, i, k++);
	o->scale_max = rows_int(r, i, k++);
	o->nindicators = rows_int(r, i, k++);
	o->active = rows_int(r, i, k++) == 1;
}

/* Built-ins first, then each org's by name. More orgs than one query's
 * slots are read in turns; built-ins come with the first. */
store_rc rubric_list(store *s, arena *a, const int64_t *org_ids, size_t norgs, bool include_retired,
		     rubric_summary **out, size_t *n)
{
	static const char sql[] =
		"SELECT r.id, r.org_id, o.name, r.builtin_key, r.name, r.current_version_id, v.version, "
		" v.scale_min, v.scale_max, "
		" (SELECT COUNT(*) FROM rubric_indicator i WHERE i.version_id = v.id), r.active "
		"FROM rubric r JOIN rubric_version v ON v.id = r.current_version_id "
		"LEFT JOIN org o ON o.id = r.org_id "
		"WHERE r.active >= $9 AND ((r.org_id IS NULL AND $10 = 1) "
		" OR r.org_id IN ($1, $2, $3, $4, $5, $6, $7, $8)) "
		"ORDER BY CASE WHEN r.org_id IS NULL THEN 0 ELSE 1 END, r.name, r.id";
	size_t got = 0, cap = 8;
	rubric_summary *list = arena_calloc(a, cap, sizeof *list);
	size_t turns = norgs ? (norgs + ORG_SLOTS - 1) / ORG_SLOTS : 1;
	for (size_t t = 0; t < turns; t++) {
		sql_arg args[ORG_SLOTS + 2];
		for (size_t k = 0; k < ORG_SLOTS; k++) {
			size_t at = t * ORG_SLOTS + k;
			args[k] = ARG_INT(at < norgs ? org_ids[at] : 0);
		}
		args[ORG_SLOTS] = ARG_INT(include_retired ? 0 : 1);
		args[ORG_SLOTS + 1] = ARG_INT(t == 0 ? 1 : 0);
		store_rows r;
		store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
		if (rc != STORE_OK) return rc;
		if (got + r.nrows > cap) {
			rubric_summary *more = arena_calloc(a, cap = 2 * (got + r.nrows), sizeof *more);
			memcpy(more, list, got * sizeof *list);
			list = more;
		}
		for (size_t i = 0; i < r.nrows; i++) summary_from_row(&r, i, &list[got++]);
	}
	*out = list;
	*n = got;
	return STORE_OK;
}

store_rc rubric_version_in_use(store *s, arena *a, int64_t version_id, bool *used)
{
	static const char sql[] =
		"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM walk WHERE rubric_version_id = $1 LIMIT 1) w) "
		" + (SELECT COUNT(*) FROM (SELECT 1 FROM observation WHERE rubric_version_id = $1 LIMIT 1) o) "
		" + (SELECT COUNT(*) FROM (SELECT 1 FROM calibration WHERE rubric_version_id = $1 LIMIT 1) c)";
	sql_arg args[] = {ARG_INT(version_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*used = r.nrows && rows_int(&r, 0, 0) > 0;
	return STORE_OK;
}
