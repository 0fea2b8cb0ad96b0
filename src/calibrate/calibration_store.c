/* Calibration sessions in the store: one session with its raters and
 * anchors, the list a person may see, a round's ratings and submissions,
 * and the rounds an observer took part in; and the writes the checked
 * changes of calibration_change.c make inside their transaction. */
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "calibration.h"

static const char SESSION_COLUMNS[] =
	"SELECT c.id, c.org_id, o.name, o.kind, c.district_id, d.name, c.title, c.rubric_version_id, "
	"r.name, c.facilitator_id, f.name, c.held_on, c.video_file, c.video_type, c.video_name, "
	"c.video_size, c.video_url, c.transcript, c.pass_share, c.pass_distance, c.round, c.state, "
	"c.created_at, c.updated_at, v.rubric_id "
	"FROM calibration c JOIN org o ON o.id = c.org_id LEFT JOIN org d ON d.id = c.district_id "
	"JOIN rubric_version v ON v.id = c.rubric_version_id JOIN rubric r ON r.id = v.rubric_id "
	"JOIN person f ON f.id = c.facilitator_id ";

static void session_of_row(const store_rows *r, size_t i, calibration *c)
{
	*c = (calibration){0};
	c->id = rows_int(r, i, 0);
	c->org_id = rows_int(r, i, 1);
	c->org_name = rows_get(r, i, 2);
	c->org_is_partner = str_eq(rows_get(r, i, 3), "partner");
	c->district_id = rows_int(r, i, 4);
	c->district_name = rows_get(r, i, 5);
	c->title = rows_get(r, i, 6);
	c->rubric_version_id = rows_int(r, i, 7);
	c->rubric_name = rows_get(r, i, 8);
	c->facilitator_id = rows_int(r, i, 9);
	c->facilitator_name = rows_get(r, i, 10);
	c->held_on = rows_get(r, i, 11);
	c->video_file = rows_get(r, i, 12);
	c->video_type = rows_get(r, i, 13);
	c->video_name = rows_get(r, i, 14);
	c->video_size = rows_int(r, i, 15);
	c->video_url = rows_get(r, i, 16);
	c->transcript = rows_get(r, i, 17);
	const char *share = rows_get(r, i, 18);
	c->pass_share = share ? strtod(share, NULL) : CALIBRATION_PASS_SHARE_DEFAULT;
	c->pass_distance = rows_int(r, i, 19);
	c->round = rows_int(r, i, 20);
	c->closed = str_eq(rows_get(r, i, 21), "closed");
	c->created_at = rows_int(r, i, 22);
	c->updated_at = rows_int(r, i, 23);
	c->rubric_id = rows_int(r, i, 24);
}

/* The raters of the sessions ids[0..n), with their submission of each
 * session's open round, spread onto the sessions. */
static store_rc raters_load(store *s, arena *a, calibration *list, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		calibration *c = &list[k];
		sql_arg args[] = {ARG_INT(c->id)};
		store_rows r;
		store_rc rc = store_query(
			s, a,
			"SELECT p.id, p.name, sub.submitted_at FROM calibration_rater cr "
			"JOIN person p ON p.id = cr.person_id JOIN calibration c ON c.id = cr.calibration_id "
			"LEFT JOIN calibration_submission sub ON sub.calibration_id = c.id "
			" AND sub.round = c.round AND sub.rater_id = p.id "
			"WHERE cr.calibration_id = $1 ORDER BY p.name, p.id",
			args, COUNT_OF(args), &r);
		if (rc != STORE_OK) return rc;
		c->nraters = r.nrows;
		c->raters = arena_calloc(a, r.nrows + 1, sizeof *c->raters);
		c->rater_ids = arena_calloc(a, r.nrows + 1, sizeof *c->rater_ids);
		for (size_t i = 0; i < r.nrows; i++) {
			c->raters[i] = (calibration_rater){rows_int(&r, i, 0), rows_get(&r, i, 1),
							   rows_int(&r, i, 2)};
			c->rater_ids[i] = c->raters[i].person_id;
		}
	}
	return STORE_OK;
}

store_rc calibration_get(store *s, arena *a, int64_t id, calibration *out, bool *found)
{
	*found = false;
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, arena_printf(a, "%sWHERE c.id = $1", SESSION_COLUMNS), args,
				  COUNT_OF(args), &r);
	if (rc != STORE_OK || !r.nrows) return rc;
	session_of_row(&r, 0, out);
	if ((rc = raters_load(s, a, out, 1)) != STORE_OK) return rc;
	store_rows an;
	rc = store_query(s, a,
			 "SELECT a.indicator_id, a.value FROM calibration_anchor a "
			 "JOIN rubric_indicator i ON i.id = a.indicator_id "
			 "WHERE a.calibration_id = $1 ORDER BY i.position",
			 args, COUNT_OF(args), &an);
	if (rc != STORE_OK) return rc;
	out->nanchors = an.nrows;
	out->anchors = arena_calloc(a, an.nrows + 1, sizeof *out->anchors);
	for (size_t i = 0; i < an.nrows; i++)
		out->anchors[i] = (calibration_anchor){rows_int(&an, i, 0), rows_int(&an, i, 1)};
	*found = true;
	return STORE_OK;
}

store_rc calibration_list(store *s, arena *a, const visibility *v, int64_t member, calibration **out,
			  size_t *n)
{
	*out = NULL;
	*n = 0;
	/* The places as bound ids: a district (or partner) list and an org
	 * list, each padded with 0, which no org has. */
	sql_arg args[2 + 2 * VISIBILITY_MAX + 1];
	size_t k = 0;
	args[k++] = ARG_INT(v->all || v->overflow ? 1 : 0);
	args[k++] = ARG_INT(member);
	for (size_t i = 0; i < VISIBILITY_MAX; i++)
		args[k++] = ARG_INT(i < v->ndistricts ? v->districts[i] : 0);
	for (size_t i = 0; i < VISIBILITY_MAX; i++) args[k++] = ARG_INT(i < v->norgs ? v->orgs[i] : 0);
	buf in_d = BUF_INIT, in_o = BUF_INIT;
	for (size_t i = 0; i < VISIBILITY_MAX; i++) {
		buf_printf(&in_d, "%s$%zu", i ? ", " : "", 3 + i);
		buf_printf(&in_o, "%s$%zu", i ? ", " : "", 3 + VISIBILITY_MAX + i);
	}
	const char *sql =
		arena_printf(a,
			     "%sWHERE CAST($1 AS BIGINT) = 1 OR c.facilitator_id = CAST($2 AS BIGINT) "
			     "OR EXISTS (SELECT 1 FROM calibration_rater x WHERE x.calibration_id = c.id "
			     " AND x.person_id = CAST($2 AS BIGINT)) "
			     "OR c.district_id IN (%s) OR c.org_id IN (%s) OR c.org_id IN (%s) "
			     "ORDER BY c.held_on DESC, c.id DESC",
			     SESSION_COLUMNS, buf_cstr(&in_d), buf_cstr(&in_d), buf_cstr(&in_o));
	buf_free(&in_d);
	buf_free(&in_o);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, k, &r);
	if (rc != STORE_OK) return rc;
	calibration *list = arena_calloc(a, r.nrows + 1, sizeof *list);
	for (size_t i = 0; i < r.nrows; i++) session_of_row(&r, i, &list[i]);
	if ((rc = raters_load(s, a, list, r.nrows)) != STORE_OK) return rc;
	*out = list;
	*n = r.nrows;
	return STORE_OK;
}

store_rc calibration_ratings_get(store *s, arena *a, int64_t id, int64_t round, calibration_rating **out,
				 size_t *n)
{
	sql_arg args[] = {ARG_INT(id), ARG_INT(round)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT rater_id, indicator_id, value, evidence FROM calibration_rating "
				  "WHERE calibration_id = $1 AND round = $2 ORDER BY rater_id, indicator_id",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows + 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (calibration_rating){rows_int(&r, i, 0), rows_int(&r, i, 1), rows_int(&r, i, 2),
						 rows_get(&r, i, 3)};
	*n = r.nrows;
	return STORE_OK;
}

store_rc calibration_submissions_get(store *s, arena *a, int64_t id, int64_t round, int64_t **raters,
				     int64_t **at, size_t *n)
{
	sql_arg args[] = {ARG_INT(id), ARG_INT(round)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT rater_id, submitted_at FROM calibration_submission "
				  "WHERE calibration_id = $1 AND round = $2 ORDER BY submitted_at, rater_id",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*raters = arena_calloc(a, r.nrows + 1, sizeof **raters);
	if (at) *at = arena_calloc(a, r.nrows + 1, sizeof **at);
	for (size_t i = 0; i < r.nrows; i++) {
		(*raters)[i] = rows_int(&r, i, 0);
		if (at) (*at)[i] = rows_int(&r, i, 1);
	}
	*n = r.nrows;
	return STORE_OK;
}

store_rc calibration_history_rounds(store *s, arena *a, int64_t person, int64_t **sessions, int64_t **rounds,
				    size_t *n)
{
	sql_arg args[] = {ARG_INT(person)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT sub.calibration_id, sub.round FROM calibration_submission sub "
				  "JOIN calibration c ON c.id = sub.calibration_id WHERE sub.rater_id = $1 "
				  "ORDER BY c.held_on, c.id, sub.round",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*sessions = arena_calloc(a, r.nrows + 1, sizeof **sessions);
	*rounds = arena_calloc(a, r.nrows + 1, sizeof **rounds);
	for (size_t i = 0; i < r.nrows; i++) {
		(*sessions)[i] = rows_int(&r, i, 0);
		(*rounds)[i] = rows_int(&r, i, 1);
	}
	*n = r.nrows;
	return STORE_OK;
}

store_rc calibration_rater_choices(store *s, arena *a, int64_t district_id, int64_t partner_id, int64_t **ids,
				   const char ***names, size_t *n)
{
	/* People with an active role in the district or one of its schools,
	 * and the coaches and staff of the partner running it or of a partner
	 * whose agreement the district accepted (partner_reach). */
	sql_arg args[] = {ARG_INT(district_id), ARG_INT(partner_id)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT p.id, p.name FROM person p WHERE p.active = 1 AND EXISTS ("
				  " SELECT 1 FROM person_role pr JOIN org o ON o.id = pr.org_id"
				  " WHERE pr.person_id = p.id AND pr.active = 1 AND o.active = 1 AND ("
				  "  o.id = $1 OR o.parent_id = $1 OR (o.kind = 'partner' AND pr.role IN "
				  "('coach', 'partner_staff')"
				  "  AND (o.id = $2 OR o.id IN (SELECT e.partner_id FROM partner_reach e"
				  "   WHERE e.district_id = $1))))) "
				  "ORDER BY p.name, p.id",
				  args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*ids = arena_calloc(a, r.nrows + 1, sizeof **ids);
	*names = arena_calloc(a, r.nrows + 1, sizeof **names);
	for (size_t i = 0; i < r.nrows; i++) {
		(*ids)[i] = rows_int(&r, i, 0);
		(*names)[i] = rows_get(&r, i, 1);
	}
	*n = r.nrows;
	return STORE_OK;
}

/* ---- writes (inside the caller's transaction) ---- */

static sql_arg text_or_null(const char *s)
{
	return s && *s ? ARG_TEXT(s) : ARG_NULL;
}

store_rc calibration_add(store *s, arena *a, const calibration *c, int64_t *id)
{
	*id = 0;
	sql_arg args[] = {ARG_INT(c->org_id),          ARG_INT(c->district_id),
			  ARG_TEXT(c->title),          ARG_INT(c->rubric_version_id),
			  ARG_INT(c->facilitator_id),  ARG_TEXT(c->held_on),
			  text_or_null(c->video_file), text_or_null(c->video_type),
			  text_or_null(c->video_name), c->video_file ? ARG_INT(c->video_size) : ARG_NULL,
			  text_or_null(c->video_url),  text_or_null(c->transcript),
			  ARG_REAL(c->pass_share),     ARG_INT(c->pass_distance),
			  ARG_INT(c->created_at)};
	store_rows r;
	store_rc rc = store_query(
		s, a,
		"INSERT INTO calibration (org_id, district_id, title, rubric_version_id, facilitator_id, "
		"held_on, video_file, video_type, video_name, video_size, video_url, transcript, pass_share, "
		"pass_distance, round, state, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
		"$8, "
		"$9, $10, $11, $12, $13, $14, 1, 'open', $15, $15) RETURNING id",
		args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc calibration_details_set(store *s, arena *a, const calibration *c, int64_t now)
{
	sql_arg args[] = {ARG_INT(c->id),
			  ARG_TEXT(c->title),
			  ARG_TEXT(c->held_on),
			  text_or_null(c->video_url),
			  text_or_null(c->transcript),
			  ARG_REAL(c->pass_share),
			  ARG_INT(c->pass_distance),
			  ARG_INT(now)};
	return store_query(
		s, a,
		"UPDATE calibration SET title = $2, held_on = $3, video_url = $4, transcript = $5, "
		"pass_share = $6, pass_distance = $7, updated_at = $8 WHERE id = $1",
		args, COUNT_OF(args), NULL);
}

store_rc calibration_video_set(store *s, arena *a, int64_t id, const char *file, const char *type,
			       const char *name, int64_t size)
{
	sql_arg args[] = {ARG_INT(id), ARG_TEXT(file), ARG_TEXT(type), ARG_TEXT(name), ARG_INT(size)};
	return store_query(s, a,
			   "UPDATE calibration SET video_file = $2, video_type = $3, video_name = $4, "
			   "video_size = $5 WHERE id = $1",
			   args, COUNT_OF(args), NULL);
}

store_rc calibration_raters_set(store *s, arena *a, int64_t id, const int64_t *raters, size_t n, int64_t now)
{
	sql_arg del[] = {ARG_INT(id)};
	store_rc rc = store_query(s, a, "DELETE FROM calibration_rater WHERE calibration_id = $1", del,
				  COUNT_OF(del), NULL);
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		sql_arg args[] = {ARG_INT(id), ARG_INT(raters[i]), ARG_INT(now)};
		rc = store_query(s, a,
				 "INSERT INTO calibration_rater (calibration_id, person_id, invited_at) "
				 "VALUES ($1, $2, $3)",
				 args, COUNT_OF(args), NULL);
	}
	return rc;
}

store_rc calibration_raters_who_rated(store *s, arena *a, int64_t id, int64_t **raters, size_t *n)
{
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(
		s, a, "SELECT DISTINCT rater_id FROM calibration_rating WHERE calibration_id = $1", args,
		COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*raters = arena_calloc(a, r.nrows + 1, sizeof **raters);
	for (size_t i = 0; i < r.nrows; i++) (*raters)[i] = rows_int(&r, i, 0);
	*n = r.nrows;
	return STORE_OK;
}

store_rc calibration_anchor_set(store *s, arena *a, int64_t id, int64_t indicator_id, bool has_value,
				int64_t value)
{
	sql_arg del[] = {ARG_INT(id), ARG_INT(indicator_id)};
	store_rc rc = store_query(
		s, a, "DELETE FROM calibration_anchor WHERE calibration_id = $1 AND indicator_id = $2", del,
		COUNT_OF(del), NULL);
	if (rc != STORE_OK || !has_value) return rc;
	sql_arg ins[] = {ARG_INT(id), ARG_INT(indicator_id), ARG_INT(value)};
	return store_query(
		s, a,
		"INSERT INTO calibration_anchor (calibration_id, indicator_id, value) VALUES ($1, $2, $3)",
		ins, COUNT_OF(ins), NULL);
}

store_rc calibration_rating_set(store *s, arena *a, int64_t id, int64_t round, const calibration_rating *r,
				bool has_value)
{
	sql_arg del[] = {ARG_INT(id), ARG_INT(round), ARG_INT(r->rater_id), ARG_INT(r->indicator_id)};
	store_rc rc = store_query(s, a,
				  "DELETE FROM calibration_rating WHERE calibration_id = $1 AND round = $2 "
				  "AND rater_id = $3 AND indicator_id = $4",
				  del, COUNT_OF(del), NULL);
	if (rc != STORE_OK || !has_value) return rc;
	sql_arg ins[] = {ARG_INT(id),          ARG_INT(round),
			 ARG_INT(r->rater_id), ARG_INT(r->indicator_id),
			 ARG_INT(r->value),    text_or_null(r->evidence)};
	return store_query(s, a,
			   "INSERT INTO calibration_rating (calibration_id, round, rater_id, indicator_id, "
			   "value, evidence) VALUES ($1, $2, $3, $4, $5, $6)",
			   ins, COUNT_OF(ins), NULL);
}

store_rc calibration_submission_add(store *s, arena *a, int64_t id, int64_t round, int64_t rater, int64_t at)
{
	sql_arg args[] = {ARG_INT(id), ARG_INT(round), ARG_INT(rater), ARG_INT(at)};
	return store_query(
		s, a,
		"INSERT INTO calibration_submission (calibration_id, round, rater_id, submitted_at) "
		"VALUES ($1, $2, $3, $4)",
		args, COUNT_OF(args), NULL);
}

store_rc calibration_round_advance(store *s, arena *a, int64_t id, int64_t round, int64_t now, bool *advanced)
{
	*advanced = false;
	sql_arg args[] = {ARG_INT(id), ARG_INT(round), ARG_INT(now)};
	/* Guarded by the round read, so two facilitators clicking at once open one round. */
	store_rc rc = store_query(
		s, a,
		"UPDATE calibration SET round = round + 1, updated_at = $3 WHERE id = $1 AND round = $2",
		args, COUNT_OF(args), NULL);
	if (rc == STORE_OK) *advanced = store_changes(s) == 1;
	return rc;
}

store_rc calibration_closed_set(store *s, arena *a, int64_t id, int64_t now)
{
	sql_arg args[] = {ARG_INT(id), ARG_INT(now)};
	return store_query(s, a, "UPDATE calibration SET state = 'closed', updated_at = $2 WHERE id = $1",
			   args, COUNT_OF(args), NULL);
}

store_rc calibration_observer_name(store *s, arena *a, int64_t person_id, const char **name)
{
	sql_arg args[] = {ARG_INT(person_id)};
	store_rows r;
	store_rc rc = store_query(s, a, "SELECT name FROM person WHERE id = $1", args, 1, &r);
	*name = rc == STORE_OK && r.nrows ? rows_get(&r, 0, 0) : NULL;
	return rc;
}
