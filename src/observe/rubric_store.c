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
		" CASE WHEN r.current_version_id = v.id THEN 1 ELSE 0 END, r.active, v.scale_min, "
		"v.scale_max "
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
	static const char sql[] = "SELECT id, indicator_id, text FROM rubric_look_for WHERE version_id = $1 "
				  "ORDER BY position, id";
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
		" + (SELECT COUNT(*) FROM (SELECT 1 FROM observation WHERE rubric_version_id = $1 LIMIT 1) "
		"o) "
		" + (SELECT COUNT(*) FROM (SELECT 1 FROM calibration WHERE rubric_version_id = $1 LIMIT 1) "
		"c)";
	sql_arg args[] = {ARG_INT(version_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*used = r.nrows && rows_int(&r, 0, 0) > 0;
	return STORE_OK;
}

/* ---- writes: the caller holds the transaction ---- */

static store_rc one_id(store *s, arena *a, const char *sql, const sql_arg *args, size_t nargs, int64_t *id)
{
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, nargs, &r);
	if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

/* The levels, indicators with their descriptors, and look-fors of in, as
 * the content of version_id (which holds none yet). */
static store_rc content_write(store *s, arena *a, int64_t version_id, const rubric_input *in)
{
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < in->nlevels; i++) {
		const rubric_level *l = &in->levels[i];
		sql_arg args[] = {ARG_INT(version_id), ARG_INT(l->level), ARG_TEXT(l->label ? l->label : ""),
				  ARG_TEXT(or_null(l->descriptor))};
		rc = store_query(s, a,
				 "INSERT INTO rubric_level (version_id, level, label, descriptor) "
				 "VALUES ($1, $2, $3, $4)",
				 args, COUNT_OF(args), NULL);
	}
	int64_t *ids = arena_calloc(a, in->nindicators ? in->nindicators : 1, sizeof *ids);
	for (size_t i = 0; rc == STORE_OK && i < in->nindicators; i++) {
		const rubric_indicator_input *ind = &in->indicators[i];
		sql_arg args[] = {ARG_INT(version_id), ARG_INT((int64_t)i + 1), ARG_TEXT(ind->code),
				  ARG_TEXT(ind->name), ARG_TEXT(or_null(ind->description))};
		rc = one_id(s, a,
			    "INSERT INTO rubric_indicator (version_id, position, code, name, description) "
			    "VALUES ($1, $2, $3, $4, $5) RETURNING id",
			    args, COUNT_OF(args), &ids[i]);
		for (size_t k = 0; rc == STORE_OK && k < ind->nlevels; k++) {
			sql_arg cell[] = {ARG_INT(ids[i]), ARG_INT(ind->levels[k].level),
					  ARG_TEXT(ind->levels[k].descriptor)};
			rc = store_query(
				s, a,
				"INSERT INTO rubric_indicator_level (indicator_id, level, descriptor) "
				"VALUES ($1, $2, $3)",
				cell, COUNT_OF(cell), NULL);
		}
	}
	for (size_t i = 0; rc == STORE_OK && i < in->nlook_fors; i++) {
		const rubric_look_for_input *l = &in->look_fors[i];
		int64_t indicator = 0;
		for (size_t k = 0; l->indicator_code && k < in->nindicators; k++)
			if (str_eq(in->indicators[k].code, l->indicator_code)) indicator = ids[k];
		sql_arg args[] = {ARG_INT(version_id), indicator ? ARG_INT(indicator) : ARG_NULL,
				  ARG_INT((int64_t)i + 1), ARG_TEXT(l->text)};
		rc = store_query(s, a,
				 "INSERT INTO rubric_look_for (version_id, indicator_id, position, text) "
				 "VALUES ($1, $2, $3, $4)",
				 args, COUNT_OF(args), NULL);
	}
	return rc;
}

/* Empties an unused version, to write it again. */
static store_rc content_clear(store *s, arena *a, int64_t version_id)
{
	static const char *const sql[] = {
		"DELETE FROM rubric_look_for WHERE version_id = $1",
		"DELETE FROM rubric_indicator_level WHERE indicator_id IN "
		"(SELECT id FROM rubric_indicator WHERE version_id = $1)",
		"DELETE FROM rubric_indicator WHERE version_id = $1",
		"DELETE FROM rubric_level WHERE version_id = $1",
	};
	sql_arg args[] = {ARG_INT(version_id)};
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < COUNT_OF(sql); i++)
		rc = store_query(s, a, sql[i], args, COUNT_OF(args), NULL);
	return rc;
}

static store_rc version_insert(store *s, arena *a, int64_t rubric_id, int64_t number, const rubric_input *in,
			       int64_t by, int64_t *version_id)
{
	sql_arg args[] = {ARG_INT(rubric_id),     ARG_INT(number),        ARG_TEXT(or_null(in->description)),
			  ARG_INT(in->scale_min), ARG_INT(in->scale_max), by ? ARG_INT(by) : ARG_NULL,
			  ARG_INT(now_unix())};
	store_rc rc =
		one_id(s, a,
		       "INSERT INTO rubric_version (rubric_id, version, description, scale_min, scale_max, "
		       "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		       args, COUNT_OF(args), version_id);
	if (rc != STORE_OK) return rc;
	if ((rc = content_write(s, a, *version_id, in)) != STORE_OK) return rc;
	sql_arg cur[] = {ARG_INT(rubric_id), ARG_INT(*version_id), ARG_INT(now_unix())};
	return store_query(s, a, "UPDATE rubric SET current_version_id = $2, updated_at = $3 WHERE id = $1",
			   cur, COUNT_OF(cur), NULL);
}

store_rc rubric_create(store *s, arena *a, const rubric_input *in, int64_t by, rubric_saved *out)
{
	*out = (rubric_saved){.version = 1, .new_version = true, .changed = true};
	int64_t now = now_unix();
	sql_arg args[] = {ARG_INT(in->org_id), ARG_TEXT(in->name), by ? ARG_INT(by) : ARG_NULL, ARG_INT(now)};
	store_rc rc = one_id(s, a,
			     "INSERT INTO rubric (org_id, name, active, created_by, created_at, updated_at) "
			     "VALUES ($1, $2, 1, $3, $4, $4) RETURNING id",
			     args, COUNT_OF(args), &out->rubric_id);
	if (rc != STORE_OK) return rc;
	return version_insert(s, a, out->rubric_id, 1, in, by, &out->version_id);
}

store_rc rubric_add_version(store *s, arena *a, int64_t rubric_id, const rubric_input *in, int64_t by,
			    rubric_saved *out)
{
	int64_t current = out->version_id;
	*out = (rubric_saved){.rubric_id = rubric_id, .new_version = true, .changed = true};
	store_rc rc = current ? STORE_OK : rubric_current_version(s, a, rubric_id, &current);
	out->previous_version_id = current;
	int64_t next = 0;
	sql_arg args[] = {ARG_INT(rubric_id)};
	if (rc == STORE_OK)
		rc = one_id(s, a,
			    "SELECT COALESCE(MAX(version), 0) + 1 FROM rubric_version WHERE rubric_id = $1",
			    args, COUNT_OF(args), &next);
	if (rc != STORE_OK) return rc;
	out->version = next;
	return version_insert(s, a, rubric_id, next, in, by, &out->version_id);
}

store_rc rubric_update(store *s, arena *a, int64_t rubric_id, const rubric_input *in, int64_t by,
		       rubric_saved *out)
{
	*out = (rubric_saved){.rubric_id = rubric_id};
	/* The rubric's row first: two saves of one rubric take turns here. */
	sql_arg head[] = {ARG_INT(rubric_id), ARG_TEXT(in->name), ARG_INT(now_unix())};
	store_rc rc = store_query(s, a, "UPDATE rubric SET name = $2, updated_at = $3 WHERE id = $1", head,
				  COUNT_OF(head), NULL);
	int64_t current = 0;
	if (rc == STORE_OK) rc = rubric_current_version(s, a, rubric_id, &current);
	rubric_version v;
	bool found = false, used = false;
	if (rc == STORE_OK) rc = rubric_version_load(s, a, current, &v, &found);
	if (rc != STORE_OK) return rc;
	if (!found) return STORE_ERROR; /* every rubric has a current version */
	out->previous_version_id = out->version_id = current;
	out->version = v.version;
	if (rubric_input_same_content(in, &v)) return STORE_OK;
	out->changed = true;
	if ((rc = rubric_version_in_use(s, a, current, &used)) != STORE_OK) return rc;
	if (used) return rubric_add_version(s, a, rubric_id, in, by, out);
	sql_arg args[] = {ARG_INT(current), ARG_TEXT(or_null(in->description)), ARG_INT(in->scale_min),
			  ARG_INT(in->scale_max)};
	rc = content_clear(s, a, current);
	if (rc == STORE_OK)
		rc = store_query(s, a,
				 "UPDATE rubric_version SET description = $2, scale_min = $3, scale_max = $4 "
				 "WHERE id = $1",
				 args, COUNT_OF(args), NULL);
	return rc == STORE_OK ? content_write(s, a, current, in) : rc;
}

store_rc rubric_copy(store *s, arena *a, int64_t version_id, int64_t org_id, const char *name, int64_t by,
		     rubric_saved *out)
{
	rubric_version v;
	bool found = false;
	store_rc rc = rubric_version_load(s, a, version_id, &v, &found);
	if (rc != STORE_OK) return rc;
	if (!found) return STORE_ERROR;
	rubric_input in;
	rubric_input_of_version(a, &v, &in);
	in.org_id = org_id;
	in.name = name;
	return rubric_create(s, a, &in, by, out);
}

store_rc rubric_set_active(store *s, arena *a, int64_t rubric_id, bool active)
{
	sql_arg args[] = {ARG_INT(rubric_id), ARG_INT(active ? 1 : 0), ARG_INT(now_unix())};
	return store_query(
		s, a, "UPDATE rubric SET active = $2, updated_at = $3 WHERE id = $1 AND org_id IS NOT NULL",
		args, COUNT_OF(args), NULL);
}

/* ---- reads for the rubric's own pages ---- */

store_rc rubric_get(store *s, arena *a, int64_t rubric_id, rubric_summary *out, bool *found)
{
	static const char sql[] =
		"SELECT r.id, r.org_id, o.name, r.builtin_key, r.name, r.current_version_id, v.version, "
		" v.scale_min, v.scale_max, "
		" (SELECT COUNT(*) FROM rubric_indicator i WHERE i.version_id = v.id), r.active "
		"FROM rubric r JOIN rubric_version v ON v.id = r.current_version_id "
		"LEFT JOIN org o ON o.id = r.org_id WHERE r.id = $1";
	sql_arg args[] = {ARG_INT(rubric_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) summary_from_row(&r, 0, out);
	return STORE_OK;
}

store_rc rubric_versions(store *s, arena *a, int64_t rubric_id, rubric_version_entry **out, size_t *n)
{
	static const char sql[] = "SELECT v.id, v.version, v.created_at, p.name, "
				  " (SELECT COUNT(*) FROM walk w WHERE w.rubric_version_id = v.id), "
				  " (SELECT COUNT(*) FROM observation o WHERE o.rubric_version_id = v.id AND "
				  "o.walk_id IS NOT NULL), "
				  " (SELECT COUNT(*) FROM calibration c WHERE c.rubric_version_id = v.id) "
				  "FROM rubric_version v LEFT JOIN person p ON p.id = v.created_by "
				  "WHERE v.rubric_id = $1 ORDER BY v.version DESC";
	sql_arg args[] = {ARG_INT(rubric_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*n = r.nrows;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++) {
		size_t k = 0;
		rubric_version_entry *e = &(*out)[i];
		e->id = rows_int(&r, i, k++);
		e->version = rows_int(&r, i, k++);
		e->created_at = rows_int(&r, i, k++);
		e->created_by_name = rows_get(&r, i, k++);
		e->walks = rows_int(&r, i, k++);
		e->observations = rows_int(&r, i, k++);
		e->calibrations = rows_int(&r, i, k++);
	}
	return STORE_OK;
}

store_rc rubric_version_numbered(store *s, arena *a, int64_t rubric_id, int64_t number, int64_t *version_id)
{
	sql_arg args[] = {ARG_INT(rubric_id), ARG_INT(number)};
	return one_id(s, a, "SELECT id FROM rubric_version WHERE rubric_id = $1 AND version = $2", args,
		      COUNT_OF(args), version_id);
}
