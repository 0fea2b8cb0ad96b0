/* Sessions in the store: the session with its engagement, line, school and
 * district names; its facilitators, participants and attendance; grids. */
#include "session.h"

#include <sodium.h>
#include <string.h>

#include "../base/util.h"

/* Whether the asking person ($ME) facilitates or takes part, in person or
 * through an active team membership: may() needs no more of the lists. */
#define FACILITATES(me) \
	"CASE WHEN EXISTS (SELECT 1 FROM session_facilitator f WHERE f.session_id = s.id " \
	" AND f.person_id = CAST(" me " AS BIGINT)) THEN 1 ELSE 0 END"
#define TAKES_PART(me) \
	"CASE WHEN EXISTS (SELECT 1 FROM session_participant sp WHERE sp.session_id = s.id " \
	" AND sp.person_id = CAST(" me " AS BIGINT)) OR EXISTS (SELECT 1 FROM session_participant sp " \
	" JOIN team_member m ON m.team_id = sp.team_id AND m.active = 1 " \
	" WHERE sp.session_id = s.id AND m.person_id = CAST(" me " AS BIGINT)) THEN 1 ELSE 0 END"

/* clang-format off */
#define SESSION_COLUMNS(me) \
	"s.id, s.engagement_id, e.title, e.partner_id, s.service_line_id, " \
	"COALESCE(sl.description, sk.label), s.draw_milli, s.over_commit, s.kind, s.title, " \
	"s.on_date, s.block, s.starts_at, s.ends_at, s.time_zone, s.format, s.place, s.link, " \
	"s.school_id, sc.name, s.district_id, d.name, s.agenda, s.status, s.cancel_reason, " \
	"s.series_id, s.grid_id, s.grid_day, s.uid, s.sequence, s.updated_at, " \
	FACILITATES(me) ", " TAKES_PART(me) " "
/* clang-format on */

#define SESSION_FROM \
	"FROM pl_session s LEFT JOIN engagement e ON e.id = s.engagement_id " \
	"LEFT JOIN service_line sl ON sl.id = s.service_line_id " \
	"LEFT JOIN service_kind sk ON sk.id = sl.kind_id " \
	"LEFT JOIN org sc ON sc.id = s.school_id LEFT JOIN org d ON d.id = s.district_id "

static void session_from_row(const store_rows *r, size_t i, pl_session *s)
{
	size_t c = 0;
	s->id = rows_int(r, i, c++);
	s->engagement_id = rows_int(r, i, c++);
	s->engagement_title = rows_get(r, i, c++);
	s->partner_id = rows_int(r, i, c++);
	s->service_line_id = rows_int(r, i, c++);
	s->line_label = rows_get(r, i, c++);
	s->draw_milli = rows_int(r, i, c++);
	s->over_commit = rows_int(r, i, c++) == 1;
	s->kind = rows_get(r, i, c++);
	s->title = rows_get(r, i, c++);
	s->on_date = rows_get(r, i, c++);
	s->block = rows_get(r, i, c++);
	s->starts_at = rows_get(r, i, c++);
	s->ends_at = rows_get(r, i, c++);
	s->time_zone = rows_get(r, i, c++);
	s->format = rows_get(r, i, c++);
	s->place = rows_get(r, i, c++);
	s->link = rows_get(r, i, c++);
	s->school_id = rows_int(r, i, c++);
	s->school_name = rows_get(r, i, c++);
	s->district_id = rows_int(r, i, c++);
	s->district_name = rows_get(r, i, c++);
	s->agenda = rows_get(r, i, c++);
	s->status = rows_get(r, i, c++);
	s->cancel_reason = rows_get(r, i, c++);
	s->series_id = rows_int(r, i, c++);
	s->grid_id = rows_int(r, i, c++);
	s->grid_day = rows_int(r, i, c++);
	s->uid = rows_get(r, i, c++);
	s->sequence = rows_int(r, i, c++);
	s->updated_at = rows_int(r, i, c++);
	s->actor_facilitates = rows_int(r, i, c++) == 1;
	s->actor_takes_part = rows_int(r, i, c++) == 1;
}

static sql_arg id_or_null(int64_t id)
{
	return id ? ARG_INT(id) : ARG_NULL;
}

/* Visibility takes $1..$17 (org.h): a session's places are its school or
 * district and its engagement's partner; $18 is the asking person, whose
 * own sessions come in too when $19 (v->member) is 1. */
store_rc pl_session_list(store *s, arena *a, const session_filter *f, const visibility *v, int64_t actor_id,
			 pl_session **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " SESSION_COLUMNS("$18") SESSION_FROM
		"WHERE (" VIS_ALL
		" OR COALESCE(s.school_id, s.district_id) IN " VIS_ORG_SLOTS
		" OR s.district_id IN " VIS_DISTRICT_SLOTS
		" OR e.partner_id IN " VIS_ORG_SLOTS
		" OR e.partner_id IN " VIS_DISTRICT_SLOTS
		" OR (CAST($19 AS BIGINT) = 1 AND (" FACILITATES("$18") " = 1 OR " TAKES_PART("$18") " = 1))) "
		"AND (CAST($20 AS BIGINT) IS NULL OR s.engagement_id = CAST($20 AS BIGINT)) "
		"AND (CAST($21 AS BIGINT) IS NULL OR s.school_id = CAST($21 AS BIGINT)) "
		"AND (CAST($22 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM session_participant tp "
		"  WHERE tp.session_id = s.id AND tp.team_id = CAST($22 AS BIGINT))) "
		"AND (CAST($23 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM session_facilitator ff "
		"  WHERE ff.session_id = s.id AND ff.person_id = CAST($23 AS BIGINT))) "
		"AND (CAST($24 AS TEXT) IS NULL OR s.on_date >= CAST($24 AS TEXT)) "
		"AND (CAST($25 AS TEXT) IS NULL OR s.on_date <= CAST($25 AS TEXT)) "
		"AND (CAST($26 AS BIGINT) = 0 OR " FACILITATES("$18") " = 1 OR " TAKES_PART("$18") " = 1) "
		"ORDER BY s.on_date, s.starts_at NULLS FIRST, s.id "
		"LIMIT 2000";
	/* clang-format on */
	sql_arg args[VIS_NARGS + 9];
	visibility_args(v, args);
	args[VIS_NARGS] = ARG_INT(actor_id);
	args[VIS_NARGS + 1] = ARG_INT(v->member ? 1 : 0);
	args[VIS_NARGS + 2] = id_or_null(f->engagement_id);
	args[VIS_NARGS + 3] = id_or_null(f->school_id);
	args[VIS_NARGS + 4] = id_or_null(f->team_id);
	args[VIS_NARGS + 5] = id_or_null(f->facilitator_id);
	args[VIS_NARGS + 6] = ARG_TEXT(f->from);
	args[VIS_NARGS + 7] = ARG_TEXT(f->to);
	args[VIS_NARGS + 8] = ARG_INT(f->mine ? 1 : 0);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++) session_from_row(&r, i, &(*out)[i]);
	*n = r.nrows;
	return STORE_OK;
}

store_rc pl_session_get(store *s, arena *a, int64_t id, int64_t actor_id, pl_session *out, bool *found)
{
	static const char sql[] = "SELECT " SESSION_COLUMNS("$1") SESSION_FROM "WHERE s.id = $2";
	sql_arg args[] = {ARG_INT(actor_id), ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) session_from_row(&r, 0, out);
	return STORE_OK;
}

static store_rc parties(store *s, arena *a, const char *sql, int64_t id, session_party **out, size_t *n)
{
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++) {
		session_party *p = &(*out)[i];
		p->id = rows_int(&r, i, 0);
		p->name = rows_get(&r, i, 1);
		if (r.ncols > 2) {
			p->present = rows_int(&r, i, 2) == 1;
			p->recorded = rows_get(&r, i, 2) != NULL;
		}
	}
	*n = r.nrows;
	return STORE_OK;
}

store_rc pl_session_facilitators(store *s, arena *a, int64_t id, session_party **out, size_t *n)
{
	return parties(s, a,
		       "SELECT p.id, p.name FROM session_facilitator f JOIN person p ON p.id = f.person_id "
		       "WHERE f.session_id = $1 ORDER BY p.name, p.id",
		       id, out, n);
}

store_rc pl_session_people(store *s, arena *a, int64_t id, session_party **out, size_t *n)
{
	return parties(s, a,
		       "SELECT p.id, p.name FROM session_participant sp JOIN person p ON p.id = sp.person_id "
		       "WHERE sp.session_id = $1 ORDER BY p.name, p.id",
		       id, out, n);
}

store_rc pl_session_teams(store *s, arena *a, int64_t id, session_party **out, size_t *n)
{
	return parties(s, a,
		       "SELECT t.id, t.name FROM session_participant sp JOIN team t ON t.id = sp.team_id "
		       "WHERE sp.session_id = $1 ORDER BY t.name, t.id",
		       id, out, n);
}

store_rc pl_session_roll(store *s, arena *a, int64_t id, session_party **out, size_t *n)
{
	return parties(s, a,
		       "SELECT p.id, p.name, at.present FROM person p "
		       "LEFT JOIN session_attendance at ON at.session_id = $1 AND at.person_id = p.id "
		       "WHERE p.id IN (SELECT sp.person_id FROM session_participant sp "
		       "  WHERE sp.session_id = $1 AND sp.person_id IS NOT NULL "
		       " UNION SELECT m.person_id FROM session_participant sp "
		       "  JOIN team_member m ON m.team_id = sp.team_id AND m.active = 1 "
		       "  WHERE sp.session_id = $1) "
		       "ORDER BY p.name, p.id",
		       id, out, n);
}

/* A calendar UID that stays with the session for life (RFC 5545). */
static const char *new_uid(arena *a)
{
	unsigned char raw[16];
	char hex[sizeof raw * 2 + 1];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
	return arena_printf(a, "%s@coachd", hex);
}

store_rc pl_session_insert(store *s, arena *a, const session_input *in, int64_t district_id,
			   int64_t series_id, int64_t grid_id, int64_t grid_day, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO pl_session (engagement_id, service_line_id, draw_milli, over_commit, kind, "
		"title, on_date, block, starts_at, ends_at, time_zone, format, place, link, school_id, "
		"district_id, agenda, series_id, grid_id, grid_day, uid, sequence, created_at, updated_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
		"$19, $20, $21, 0, $22, $22) RETURNING id";
	int64_t now = now_unix();
	sql_arg args[] = {id_or_null(in->engagement_id),
			  id_or_null(in->service_line_id),
			  ARG_INT(in->draw_milli),
			  ARG_INT(in->over_commit ? 1 : 0),
			  ARG_TEXT(in->kind),
			  ARG_TEXT(in->title),
			  ARG_TEXT(in->on_date),
			  ARG_TEXT(in->block),
			  ARG_TEXT(in->starts_at),
			  ARG_TEXT(in->ends_at),
			  ARG_TEXT(in->time_zone),
			  ARG_TEXT(in->format),
			  ARG_TEXT(in->place),
			  ARG_TEXT(in->link),
			  id_or_null(in->school_id),
			  id_or_null(district_id),
			  ARG_TEXT(in->agenda),
			  id_or_null(series_id),
			  id_or_null(grid_id),
			  id_or_null(grid_day),
			  ARG_TEXT(new_uid(a)),
			  ARG_INT(now)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc pl_session_update(store *s, arena *a, int64_t id, const session_input *in, int64_t district_id)
{
	static const char sql[] =
		"UPDATE pl_session SET engagement_id = $2, service_line_id = $3, draw_milli = $4, "
		"over_commit = $5, kind = $6, title = $7, on_date = $8, block = $9, starts_at = $10, "
		"ends_at = $11, time_zone = $12, format = $13, place = $14, link = $15, school_id = $16, "
		"district_id = $17, agenda = $18 WHERE id = $1";
	sql_arg args[] = {ARG_INT(id),
			  id_or_null(in->engagement_id),
			  id_or_null(in->service_line_id),
			  ARG_INT(in->draw_milli),
			  ARG_INT(in->over_commit ? 1 : 0),
			  ARG_TEXT(in->kind),
			  ARG_TEXT(in->title),
			  ARG_TEXT(in->on_date),
			  ARG_TEXT(in->block),
			  ARG_TEXT(in->starts_at),
			  ARG_TEXT(in->ends_at),
			  ARG_TEXT(in->time_zone),
			  ARG_TEXT(in->format),
			  ARG_TEXT(in->place),
			  ARG_TEXT(in->link),
			  id_or_null(in->school_id),
			  id_or_null(district_id),
			  ARG_TEXT(in->agenda)};
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), NULL);
	return rc == STORE_OK ? pl_session_touch(s, a, id) : rc;
}

store_rc pl_session_set_status(store *s, arena *a, int64_t id, const char *status, const char *reason)
{
	sql_arg args[] = {ARG_INT(id), ARG_TEXT(status), ARG_TEXT(reason)};
	store_rc rc = store_query(s, a, "UPDATE pl_session SET status = $2, cancel_reason = $3 WHERE id = $1",
				  args, COUNT_OF(args), NULL);
	return rc == STORE_OK ? pl_session_touch(s, a, id) : rc;
}

store_rc pl_session_touch(store *s, arena *a, int64_t id)
{
	sql_arg args[] = {ARG_INT(id), ARG_INT(now_unix())};
	return store_query(
		s, a,
		"UPDATE pl_session SET sequence = sequence + 1, "
		"updated_at = CASE WHEN $2 > updated_at THEN $2 ELSE updated_at + 1 END WHERE id = $1",
		args, COUNT_OF(args), NULL);
}

static store_rc add_each(store *s, arena *a, const char *sql, int64_t id, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sql_arg args[] = {ARG_INT(id), ARG_INT(ids[i])};
		store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), NULL);
		if (rc != STORE_OK) return rc;
	}
	return STORE_OK;
}

store_rc pl_session_set_parties(store *s, arena *a, int64_t id, const session_input *in)
{
	sql_arg args[] = {ARG_INT(id)};
	store_rc rc;
	if ((rc = store_query(s, a, "DELETE FROM session_facilitator WHERE session_id = $1", args, 1,
			      NULL)) ||
	    (rc = store_query(s, a, "DELETE FROM session_participant WHERE session_id = $1", args, 1, NULL)))
		return rc;
	if ((rc = add_each(s, a, "INSERT INTO session_facilitator (session_id, person_id) VALUES ($1, $2)",
			   id, in->facilitators, in->nfacilitators)) ||
	    (rc = add_each(s, a, "INSERT INTO session_participant (session_id, person_id) VALUES ($1, $2)",
			   id, in->people, in->npeople)))
		return rc;
	return add_each(s, a, "INSERT INTO session_participant (session_id, team_id) VALUES ($1, $2)", id,
			in->teams, in->nteams);
}

store_rc pl_session_attend(store *s, arena *a, int64_t id, int64_t person, bool present, int64_t recorded_by)
{
	sql_arg del[] = {ARG_INT(id), ARG_INT(person)};
	store_rc rc =
		store_query(s, a, "DELETE FROM session_attendance WHERE session_id = $1 AND person_id = $2",
			    del, COUNT_OF(del), NULL);
	if (rc != STORE_OK) return rc;
	sql_arg args[] = {ARG_INT(id), ARG_INT(person), ARG_INT(present ? 1 : 0), id_or_null(recorded_by),
			  ARG_INT(now_unix())};
	return store_query(s, a,
			   "INSERT INTO session_attendance (session_id, person_id, present, recorded_by, "
			   "recorded_at) VALUES ($1, $2, $3, $4, $5)",
			   args, COUNT_OF(args), NULL);
}

store_rc pl_session_grid(store *s, arena *a, int64_t engagement_id, grid_block **out, size_t *n)
{
	static const char sql[] =
		"SELECT s.grid_id, s.grid_day, s.on_date, s.block, s.id, s.status, t.id, t.name "
		"FROM pl_session s LEFT JOIN session_participant sp ON sp.session_id = s.id "
		" AND sp.team_id IS NOT NULL LEFT JOIN team t ON t.id = sp.team_id "
		"WHERE s.engagement_id = $1 AND s.grid_id IS NOT NULL "
		"ORDER BY s.grid_id, s.grid_day, s.block, s.id";
	sql_arg args[] = {ARG_INT(engagement_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++)
		(*out)[i] = (grid_block){rows_int(&r, i, 0), (int)rows_int(&r, i, 1), rows_get(&r, i, 2),
					 rows_get(&r, i, 3), rows_int(&r, i, 6),      rows_get(&r, i, 7),
					 rows_int(&r, i, 4), rows_get(&r, i, 5)};
	*n = r.nrows;
	return STORE_OK;
}

store_rc pl_session_swap_teams(store *s, arena *a, int64_t from, int64_t to)
{
	sql_arg args[] = {ARG_INT(from), ARG_INT(to)};
	store_rc rc = store_query(s, a,
				  "UPDATE session_participant SET session_id = CASE WHEN session_id = $1 "
				  "THEN $2 ELSE $1 END WHERE team_id IS NOT NULL AND session_id IN ($1, $2)",
				  args, COUNT_OF(args), NULL);
	if (rc == STORE_OK) rc = pl_session_touch(s, a, from);
	if (rc == STORE_OK) rc = pl_session_touch(s, a, to);
	return rc;
}

store_rc pl_session_person_fits(store *s, arena *a, int64_t person, int64_t district, int64_t partner,
				bool *fits)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM person p JOIN person_role r ON r.person_id = p.id AND r.active = 1 "
		"JOIN org o ON o.id = r.org_id "
		"WHERE p.id = $1 AND p.active = 1 AND (o.id = $2 OR o.parent_id = $2 OR o.id = $3)";
	sql_arg args[] = {ARG_INT(person), ARG_INT(district), ARG_INT(partner)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *fits = rows_int(&r, 0, 0) > 0;
	return rc;
}

/* Each facilitator of each session the visibility reaches (as
 * pl_session_list's), with the session so that may() can be asked per
 * row: the calendar offers them as its facilitator filter. */
store_rc pl_session_facilitations(store *s, arena *a, const visibility *v, int64_t actor_id,
				  pl_session **sessions, session_party **people, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " SESSION_COLUMNS("$18") ", p.id, p.name " SESSION_FROM
		"JOIN session_facilitator sf ON sf.session_id = s.id JOIN person p ON p.id = sf.person_id "
		"WHERE " VIS_ALL
		" OR COALESCE(s.school_id, s.district_id) IN " VIS_ORG_SLOTS
		" OR s.district_id IN " VIS_DISTRICT_SLOTS
		" OR e.partner_id IN " VIS_ORG_SLOTS
		" OR e.partner_id IN " VIS_DISTRICT_SLOTS
		" OR (CAST($19 AS BIGINT) = 1 AND (" FACILITATES("$18") " = 1 OR " TAKES_PART("$18") " = 1)) "
		"ORDER BY p.name, p.id, s.id "
		"LIMIT 5000";
	/* clang-format on */
	sql_arg args[VIS_NARGS + 2];
	visibility_args(v, args);
	args[VIS_NARGS] = ARG_INT(actor_id);
	args[VIS_NARGS + 1] = ARG_INT(v->member ? 1 : 0);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*sessions = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **sessions);
	*people = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **people);
	for (size_t i = 0; i < r.nrows; i++) {
		session_from_row(&r, i, &(*sessions)[i]);
		(*people)[i].id = rows_int(&r, i, r.ncols - 2);
		(*people)[i].name = rows_get(&r, i, r.ncols - 1);
	}
	*n = r.nrows;
	return STORE_OK;
}

store_rc pl_session_heads(store *s, arena *a, int64_t id, const char *what)
{
	static const char series[] = "UPDATE pl_session SET series_id = id WHERE id = $1";
	static const char grid[] = "UPDATE pl_session SET grid_id = id WHERE id = $1";
	sql_arg args[] = {ARG_INT(id)};
	return store_query(s, a, str_eq(what, "grid") ? grid : series, args, 1, NULL);
}
