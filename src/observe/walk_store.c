/* Learning walks and observations in the store: walks with their walkers
 * and focus, visits and cycle observations with their ratings and
 * look-fors, the district's walk settings, and who may walk. Every write
 * of an observation keeps the dashboards' counts (walk_tally_apply) in the
 * caller's transaction. Nothing here decides who may see what. */
#include <string.h>

#include "../base/util.h"
#include "../org/org.h"
#include "walk.h"
#include "walk_tally.h"

static sql_arg id_or_null(int64_t id)
{
	return id ? ARG_INT(id) : ARG_NULL;
}

/* ---- walks ---- */

#define WALK_COLUMNS \
	"w.id, w.district_id, w.school_id, d.name, sc.name, v.rubric_id, w.rubric_version_id, r.name, " \
	"w.walked_on, w.purpose, w.debrief, w.state, w.created_by, w.created_at, w.updated_at, p.name, " \
	"(SELECT COUNT(*) FROM observation o WHERE o.walk_id = w.id), d.walk_teacher_ids, d.walk_min_cell "
#define WALK_FROM \
	"FROM walk w JOIN org d ON d.id = w.district_id JOIN org sc ON sc.id = w.school_id " \
	"JOIN rubric_version v ON v.id = w.rubric_version_id JOIN rubric r ON r.id = v.rubric_id " \
	"LEFT JOIN person p ON p.id = w.created_by "

static void walk_from_row(const store_rows *r, size_t i, walk *w)
{
	size_t k = 0;
	*w = (walk){0};
	w->id = rows_int(r, i, k++);
	w->district_id = rows_int(r, i, k++);
	w->school_id = rows_int(r, i, k++);
	w->district_name = rows_get(r, i, k++);
	w->school_name = rows_get(r, i, k++);
	w->rubric_id = rows_int(r, i, k++);
	w->rubric_version_id = rows_int(r, i, k++);
	w->rubric_name = rows_get(r, i, k++);
	w->walked_on = rows_get(r, i, k++);
	w->purpose = rows_get(r, i, k++);
	w->debrief = rows_get(r, i, k++);
	w->closed = str_eq(rows_get(r, i, k++), "closed");
	w->created_by = rows_int(r, i, k++);
	w->created_at = rows_int(r, i, k++);
	w->updated_at = rows_int(r, i, k++);
	w->created_by_name = rows_get(r, i, k++);
	w->nvisits = rows_int(r, i, k++);
	w->settings.district_id = w->district_id;
	w->settings.district_name = w->district_name;
	w->settings.teacher_ids = rows_int(r, i, k++) == 1;
	w->settings.min_cell = rows_int(r, i, k++);
}

/* Walkers and focus of each walk in list (one query each for all). */
static store_rc walk_people_and_focus(store *s, arena *a, walk *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		walk *w = &list[i];
		sql_arg args[] = {ARG_INT(w->id)};
		store_rows r;
		store_rc rc = store_query(s, a,
					  "SELECT ww.person_id, p.name FROM walk_walker ww JOIN person p ON "
					  "p.id = ww.person_id "
					  "WHERE ww.walk_id = $1 ORDER BY p.name, p.id",
					  args, 1, &r);
		if (rc != STORE_OK) return rc;
		w->nwalkers = r.nrows;
		w->walkers = arena_calloc(a, r.nrows + 1, sizeof *w->walkers);
		w->walker_ids = arena_calloc(a, r.nrows + 1, sizeof *w->walker_ids);
		for (size_t k = 0; k < r.nrows; k++) {
			w->walkers[k] = (walk_walker){rows_int(&r, k, 0), rows_get(&r, k, 1)};
			w->walker_ids[k] = w->walkers[k].person_id;
		}
		rc = store_query(s, a,
				 "SELECT f.code FROM walk_focus f LEFT JOIN rubric_indicator i "
				 " ON i.version_id = (SELECT rubric_version_id FROM walk WHERE id = "
				 "f.walk_id) AND i.code = f.code "
				 "WHERE f.walk_id = $1 ORDER BY i.position, f.code",
				 args, 1, &r);
		if (rc != STORE_OK) return rc;
		w->nfocus = r.nrows;
		w->focus = arena_calloc(a, r.nrows + 1, sizeof *w->focus);
		for (size_t k = 0; k < r.nrows; k++) w->focus[k] = rows_get(&r, k, 0);
	}
	return STORE_OK;
}

store_rc walk_list(store *s, arena *a, const visibility *v, int64_t actor_id, const walk_filter *f,
		   walk **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " WALK_COLUMNS WALK_FROM
		"WHERE (" VIS_ALL " OR w.school_id IN " VIS_ORG_SLOTS " OR w.district_id IN " VIS_DISTRICT_SLOTS
		" OR w.created_by = CAST($18 AS BIGINT) "
		" OR EXISTS (SELECT 1 FROM walk_walker ww WHERE ww.walk_id = w.id AND ww.person_id = CAST($18 AS BIGINT))) "
		"AND (CAST($19 AS BIGINT) IS NULL OR w.school_id = CAST($19 AS BIGINT)) "
		"AND (CAST($20 AS TEXT) IS NULL OR w.walked_on >= CAST($20 AS TEXT)) "
		"AND (CAST($21 AS TEXT) IS NULL OR w.walked_on <= CAST($21 AS TEXT)) "
		"ORDER BY w.walked_on DESC, w.id DESC LIMIT 1000";
	/* clang-format on */
	sql_arg args[VIS_NARGS + 4];
	visibility_args(v, args);
	args[VIS_NARGS] = ARG_INT(actor_id);
	args[VIS_NARGS + 1] = id_or_null(f->school_id);
	args[VIS_NARGS + 2] = ARG_TEXT(f->from);
	args[VIS_NARGS + 3] = ARG_TEXT(f->to);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	walk *list = arena_calloc(a, r.nrows + 1, sizeof *list);
	for (size_t i = 0; i < r.nrows; i++) walk_from_row(&r, i, &list[i]);
	*out = list;
	*n = r.nrows;
	return walk_people_and_focus(s, a, list, r.nrows);
}

store_rc walk_get(store *s, arena *a, int64_t id, walk *out, bool *found)
{
	static const char sql[] = "SELECT " WALK_COLUMNS WALK_FROM "WHERE w.id = $1";
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (!*found) return STORE_OK;
	walk_from_row(&r, 0, out);
	return walk_people_and_focus(s, a, out, 1);
}

static store_rc walkers_and_focus_write(store *s, arena *a, const walk *w)
{
	sql_arg id[] = {ARG_INT(w->id)};
	store_rc rc = store_query(s, a, "DELETE FROM walk_walker WHERE walk_id = $1", id, 1, NULL);
	if (rc == STORE_OK) rc = store_query(s, a, "DELETE FROM walk_focus WHERE walk_id = $1", id, 1, NULL);
	for (size_t i = 0; rc == STORE_OK && i < w->nwalkers; i++) {
		sql_arg args[] = {ARG_INT(w->id), ARG_INT(w->walker_ids[i])};
		rc = store_query(s, a, "INSERT INTO walk_walker (walk_id, person_id) VALUES ($1, $2)", args,
				 2, NULL);
	}
	for (size_t i = 0; rc == STORE_OK && i < w->nfocus; i++) {
		sql_arg args[] = {ARG_INT(w->id), ARG_TEXT(w->focus[i])};
		rc = store_query(s, a, "INSERT INTO walk_focus (walk_id, code) VALUES ($1, $2)", args, 2,
				 NULL);
	}
	return rc;
}

store_rc walk_insert(store *s, arena *a, const walk *w, int64_t *id)
{
	int64_t now = now_unix();
	sql_arg args[] = {ARG_INT(w->district_id),
			  ARG_INT(w->school_id),
			  ARG_INT(w->rubric_version_id),
			  ARG_TEXT(w->walked_on),
			  ARG_TEXT(w->purpose),
			  ARG_INT(w->created_by),
			  ARG_INT(now)};
	store_rows r;
	store_rc rc = store_query(
		s, a,
		"INSERT INTO walk (district_id, school_id, rubric_version_id, walked_on, purpose, "
		"state, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $7) "
		"RETURNING id",
		args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*id = r.nrows ? rows_int(&r, 0, 0) : 0;
	walk copy = *w;
	copy.id = *id;
	return walkers_and_focus_write(s, a, &copy);
}

/* Visits carry the walk's day and month: when the day moves, each visit
 * leaves its old cell of the kept counts and joins its new one. */
static store_rc visits_redate(store *s, arena *a, const walk *w)
{
	sql_arg args[] = {ARG_INT(w->id), ARG_TEXT(w->walked_on)};
	store_rows r;
	store_rc rc = store_query(s, a, "SELECT id FROM observation WHERE walk_id = $1 AND observed_on <> $2",
				  args, 2, &r);
	for (size_t i = 0; rc == STORE_OK && i < r.nrows; i++) {
		int64_t oid = rows_int(&r, i, 0);
		if ((rc = walk_tally_apply(s, a, oid, -1)) != STORE_OK) break;
		sql_arg up[] = {ARG_INT(oid), ARG_TEXT(w->walked_on),
				ARG_INT(observed_month_of(w->walked_on))};
		rc = store_query(s, a,
				 "UPDATE observation SET observed_on = $2, observed_month = $3 WHERE id = $1",
				 up, 3, NULL);
		if (rc == STORE_OK) rc = walk_tally_apply(s, a, oid, 1);
	}
	return rc;
}

store_rc walk_update(store *s, arena *a, const walk *w)
{
	sql_arg args[] = {ARG_INT(w->id), ARG_TEXT(w->walked_on), ARG_TEXT(w->purpose), ARG_INT(now_unix())};
	store_rc rc = store_query(
		s, a, "UPDATE walk SET walked_on = $2, purpose = $3, updated_at = $4 WHERE id = $1", args,
		COUNT_OF(args), NULL);
	if (rc == STORE_OK) rc = walkers_and_focus_write(s, a, w);
	if (rc == STORE_OK) rc = visits_redate(s, a, w);
	return rc;
}

store_rc walk_set_closed(store *s, arena *a, int64_t id, bool closed)
{
	sql_arg args[] = {ARG_INT(id), ARG_TEXT(closed ? "closed" : "open"), ARG_INT(now_unix())};
	return store_query(s, a, "UPDATE walk SET state = $2, updated_at = $3 WHERE id = $1", args, 3, NULL);
}

store_rc walk_set_debrief(store *s, arena *a, int64_t id, const char *debrief)
{
	sql_arg args[] = {ARG_INT(id), ARG_TEXT(debrief && *debrief ? debrief : NULL), ARG_INT(now_unix())};
	return store_query(s, a, "UPDATE walk SET debrief = $2, updated_at = $3 WHERE id = $1", args, 3,
			   NULL);
}

/* ---- observations ---- */

#define OBS_COLUMNS \
	"o.id, o.walk_id, o.cycle_id, o.rubric_version_id, o.observer_id, op.name, o.district_id, " \
	"o.school_id, o.grade, o.grade_band, o.observed_on, o.observed_month, o.start_time, o.minutes, " \
	"o.teacher_id, tp.name, o.evidence, o.version, o.created_at, o.updated_at "
#define OBS_FROM \
	"FROM observation o LEFT JOIN person op ON op.id = o.observer_id " \
	"LEFT JOIN person tp ON tp.id = o.teacher_id "

static void observation_from_row(const store_rows *r, size_t i, observation *o)
{
	size_t k = 0;
	*o = (observation){0};
	o->id = rows_int(r, i, k++);
	o->walk_id = rows_int(r, i, k++);
	o->cycle_id = rows_int(r, i, k++);
	o->rubric_version_id = rows_int(r, i, k++);
	o->observer_id = rows_int(r, i, k++);
	o->observer_name = rows_get(r, i, k++);
	o->district_id = rows_int(r, i, k++);
	o->school_id = rows_int(r, i, k++);
	o->grade = rows_get(r, i, k++);
	o->grade_band = rows_get(r, i, k++);
	o->observed_on = rows_get(r, i, k++);
	o->observed_month = rows_int(r, i, k++);
	o->start_time = rows_get(r, i, k++);
	o->minutes = rows_int(r, i, k++);
	o->teacher_id = rows_int(r, i, k++);
	o->teacher_name = rows_get(r, i, k++);
	o->evidence = rows_get(r, i, k++);
	o->version = rows_int(r, i, k++);
	o->created_at = rows_int(r, i, k++);
	o->updated_at = rows_int(r, i, k++);
}

static observation *by_id(observation *list, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].id == id) return &list[i];
	return NULL;
}

/* The ratings and look-fors of the observations in list, read with one
 * query each over where (the same condition that chose list). */
static store_rc observation_details(store *s, arena *a, const char *where, int64_t key, observation *list,
				    size_t n)
{
	if (!n) return STORE_OK;
	for (size_t i = 0; i < n; i++) {
		list[i].ratings = arena_calloc(a, RUBRIC_INDICATORS_MAX, sizeof *list[i].ratings);
		list[i].look_fors = arena_calloc(a, RUBRIC_LOOK_FORS_MAX, sizeof *list[i].look_fors);
	}
	sql_arg args[] = {ARG_INT(key)};
	store_rows r;
	const char *sql = arena_printf(
		a,
		"SELECT x.observation_id, x.indicator_id, i.code, x.value, x.evidence "
		"FROM observation_rating x JOIN rubric_indicator i ON i.id = x.indicator_id "
		"JOIN observation o ON o.id = x.observation_id WHERE %s ORDER BY i.position, i.id",
		where);
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	for (size_t k = 0; k < r.nrows; k++) {
		observation *o = by_id(list, n, rows_int(&r, k, 0));
		if (!o || o->nratings >= RUBRIC_INDICATORS_MAX) continue;
		o->ratings[o->nratings++] = (obs_rating){rows_int(&r, k, 1), rows_get(&r, k, 2),
							 rows_int(&r, k, 3), rows_get(&r, k, 4)};
	}
	sql = arena_printf(a,
			   "SELECT x.observation_id, x.look_for_id, x.count FROM observation_look_for x "
			   "JOIN observation o ON o.id = x.observation_id WHERE %s ORDER BY x.look_for_id",
			   where);
	if ((rc = store_query(s, a, sql, args, 1, &r)) != STORE_OK) return rc;
	for (size_t k = 0; k < r.nrows; k++) {
		observation *o = by_id(list, n, rows_int(&r, k, 0));
		if (!o || o->nlook_fors >= RUBRIC_LOOK_FORS_MAX) continue;
		o->look_fors[o->nlook_fors++] = (obs_look_for){rows_int(&r, k, 1), rows_int(&r, k, 2)};
	}
	return STORE_OK;
}

/* where is one of the fixed conditions below, never built from input. */
static store_rc observations_where(store *s, arena *a, const char *where, int64_t key, observation **out,
				   size_t *n)
{
	sql_arg args[] = {ARG_INT(key)};
	store_rows r;
	const char *sql = arena_printf(a, "SELECT " OBS_COLUMNS OBS_FROM "WHERE %s ORDER BY o.id LIMIT %d",
				       where, WALK_VISITS_MAX);
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	observation *list = arena_calloc(a, r.nrows + 1, sizeof *list);
	for (size_t i = 0; i < r.nrows; i++) {
		observation_from_row(&r, i, &list[i]);
		list[i].number = (int64_t)i + 1;
	}
	*out = list;
	*n = r.nrows;
	return observation_details(s, a, where, key, list, r.nrows);
}

store_rc walk_visits(store *s, arena *a, int64_t walk_id, observation **out, size_t *n)
{
	return observations_where(s, a, "o.walk_id = $1", walk_id, out, n);
}

store_rc cycle_observations(store *s, arena *a, int64_t cycle_id, observation **out, size_t *n)
{
	return observations_where(s, a, "o.cycle_id = $1", cycle_id, out, n);
}

store_rc observation_get(store *s, arena *a, int64_t id, observation *out, bool *found)
{
	observation *list;
	size_t n;
	store_rc rc = observations_where(s, a, "o.id = $1", id, &list, &n);
	if (rc != STORE_OK) return rc;
	*found = n == 1;
	if (!*found) return STORE_OK;
	*out = list[0];
	/* Its number among its walk's visits: those made before it, and it. */
	if (out->walk_id) {
		sql_arg args[] = {ARG_INT(out->walk_id), ARG_INT(out->id)};
		store_rows r;
		rc = store_query(s, a, "SELECT COUNT(*) FROM observation WHERE walk_id = $1 AND id <= $2",
				 args, 2, &r);
		if (rc != STORE_OK) return rc;
		out->number = r.nrows ? rows_int(&r, 0, 0) : 1;
	}
	return STORE_OK;
}

static store_rc details_write(store *s, arena *a, const observation *o)
{
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < o->nratings; i++) {
		const obs_rating *x = &o->ratings[i];
		sql_arg args[] = {ARG_INT(o->id), ARG_INT(x->indicator_id), ARG_INT(x->value),
				  ARG_TEXT(x->evidence)};
		rc = store_query(
			s, a,
			"INSERT INTO observation_rating (observation_id, indicator_id, value, evidence) "
			"VALUES ($1, $2, $3, $4)",
			args, COUNT_OF(args), NULL);
	}
	for (size_t i = 0; rc == STORE_OK && i < o->nlook_fors; i++) {
		const obs_look_for *x = &o->look_fors[i];
		if (!x->count) continue;
		sql_arg args[] = {ARG_INT(o->id), ARG_INT(x->look_for_id), ARG_INT(x->count)};
		rc = store_query(s, a,
				 "INSERT INTO observation_look_for (observation_id, look_for_id, count) "
				 "VALUES ($1, $2, $3)",
				 args, COUNT_OF(args), NULL);
	}
	return rc;
}

static store_rc details_clear(store *s, arena *a, int64_t id)
{
	sql_arg args[] = {ARG_INT(id)};
	store_rc rc =
		store_query(s, a, "DELETE FROM observation_rating WHERE observation_id = $1", args, 1, NULL);
	if (rc == STORE_OK)
		rc = store_query(s, a, "DELETE FROM observation_look_for WHERE observation_id = $1", args, 1,
				 NULL);
	return rc;
}

store_rc observation_insert(store *s, arena *a, const observation *o, int64_t *id)
{
	int64_t now = now_unix();
	sql_arg args[] = {id_or_null(o->walk_id),
			  id_or_null(o->cycle_id),
			  ARG_INT(o->rubric_version_id),
			  ARG_INT(o->observer_id),
			  ARG_INT(o->district_id),
			  id_or_null(o->school_id),
			  ARG_TEXT(o->grade),
			  ARG_TEXT(grade_band_of(o->grade)),
			  ARG_TEXT(o->observed_on),
			  ARG_INT(observed_month_of(o->observed_on)),
			  ARG_TEXT(o->start_time),
			  o->minutes ? ARG_INT(o->minutes) : ARG_NULL,
			  id_or_null(o->teacher_id),
			  ARG_TEXT(o->evidence),
			  ARG_INT(now)};
	store_rows r;
	store_rc rc = store_query(
		s, a,
		"INSERT INTO observation (walk_id, cycle_id, rubric_version_id, observer_id, district_id, "
		"school_id, grade, grade_band, observed_on, observed_month, start_time, minutes, teacher_id, "
		"evidence, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
		"$11, $12, $13, $14, 1, $15, $15) RETURNING id",
		args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*id = r.nrows ? rows_int(&r, 0, 0) : 0;
	observation copy = *o;
	copy.id = *id;
	if ((rc = details_write(s, a, &copy)) != STORE_OK) return rc;
	return walk_tally_apply(s, a, *id, 1);
}

store_rc observation_update(store *s, arena *a, const observation *o, int64_t expected, bool *stale)
{
	*stale = false;
	store_rc rc = walk_tally_apply(s, a, o->id, -1);
	if (rc != STORE_OK) return rc;
	sql_arg args[] = {ARG_INT(o->id),
			  ARG_INT(expected),
			  ARG_TEXT(o->grade),
			  ARG_TEXT(grade_band_of(o->grade)),
			  ARG_TEXT(o->observed_on),
			  ARG_INT(observed_month_of(o->observed_on)),
			  ARG_TEXT(o->start_time),
			  o->minutes ? ARG_INT(o->minutes) : ARG_NULL,
			  id_or_null(o->teacher_id),
			  ARG_TEXT(o->evidence),
			  ARG_INT(now_unix())};
	store_rows r;
	rc = store_query(
		s, a,
		"UPDATE observation SET grade = $3, grade_band = $4, observed_on = $5, observed_month = $6, "
		"start_time = $7, minutes = $8, teacher_id = $9, evidence = $10, version = version + 1, "
		"updated_at = $11 WHERE id = $1 AND version = $2 RETURNING id",
		args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	if (r.nrows != 1) {
		*stale = true; /* the caller rolls back, which restores the counts too */
		return STORE_OK;
	}
	if ((rc = details_clear(s, a, o->id)) != STORE_OK || (rc = details_write(s, a, o)) != STORE_OK)
		return rc;
	return walk_tally_apply(s, a, o->id, 1);
}

store_rc observation_delete(store *s, arena *a, int64_t id)
{
	store_rc rc = walk_tally_apply(s, a, id, -1);
	if (rc == STORE_OK) rc = details_clear(s, a, id);
	sql_arg args[] = {ARG_INT(id)};
	if (rc == STORE_OK) rc = store_query(s, a, "DELETE FROM observation WHERE id = $1", args, 1, NULL);
	return rc;
}

/* ---- settings and people ---- */

store_rc walk_settings_get(store *s, arena *a, int64_t district_id, walk_settings *out, bool *found)
{
	sql_arg args[] = {ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT id, name, walk_teacher_ids, walk_min_cell FROM org "
				  "WHERE id = $1 AND kind = 'district'",
				  args, 1, &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found)
		*out = (walk_settings){rows_int(&r, 0, 0), rows_get(&r, 0, 1), rows_int(&r, 0, 2) == 1,
				       rows_int(&r, 0, 3)};
	return STORE_OK;
}

store_rc walk_settings_set(store *s, arena *a, const walk_settings *ws)
{
	sql_arg args[] = {ARG_INT(ws->district_id), ARG_INT(ws->teacher_ids ? 1 : 0), ARG_INT(ws->min_cell)};
	return store_query(s, a,
			   "UPDATE org SET walk_teacher_ids = $2, walk_min_cell = $3 WHERE id = $1 AND kind "
			   "= 'district'",
			   args, 3, NULL);
}

static store_rc people_rows(store *s, arena *a, const char *sql, const sql_arg *args, size_t nargs,
			    walk_walker **out, size_t *n)
{
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, nargs, &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows + 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (walk_walker){rows_int(&r, i, 0), rows_get(&r, i, 1)};
	*n = r.nrows;
	return STORE_OK;
}

store_rc walk_walker_candidates(store *s, arena *a, int64_t district_id, int64_t school_id, walk_walker **out,
				size_t *n)
{
	static const char sql[] =
		"SELECT p.id, p.name FROM person p WHERE p.active = 1 AND EXISTS ("
		" SELECT 1 FROM person_role r JOIN org o ON o.id = r.org_id "
		" WHERE r.person_id = p.id AND r.active = 1 AND o.active = 1 AND ("
		"  o.id = $1 OR o.id = $2 "
		"  OR (o.kind = 'partner' AND r.role IN ('coach', 'partner_staff') AND EXISTS ("
		"   SELECT 1 FROM partner_reach e WHERE e.partner_id = o.id AND e.district_id = $1)))) "
		"ORDER BY p.name, p.id LIMIT 2000";
	sql_arg args[] = {ARG_INT(district_id), ARG_INT(school_id)};
	return people_rows(s, a, sql, args, 2, out, n);
}

store_rc walk_school_teachers(store *s, arena *a, int64_t school_id, walk_walker **out, size_t *n)
{
	static const char sql[] =
		"SELECT DISTINCT p.id, p.name FROM person p JOIN person_role r ON r.person_id = p.id "
		"WHERE r.org_id = $1 AND r.role = 'teacher' AND r.active = 1 AND p.active = 1 "
		"ORDER BY p.name, p.id LIMIT 2000";
	sql_arg args[] = {ARG_INT(school_id)};
	return people_rows(s, a, sql, args, 1, out, n);
}
