/* The reports' reading: what every report reads first (the engagement, its
 * two parties and the district's context fields), and the rows the scope
 * and sequence and the services overview are made from. */
#include <string.h>

#include "../base/util.h"
#include "report.h"

static bool flag(const store_rows *r, size_t col)
{
	const char *v = rows_get(r, 0, col);
	return v && strcmp(v, "0") != 0;
}

store_rc report_engagement_get(store *s, arena *a, int64_t id, report_engagement *out, bool *found)
{
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(
		s, a,
		"SELECT e.id, e.partner_id, e.district_id, e.title, e.starts_on, e.ends_on, "
		"e.curriculum, e.pl_type, e.audiences, e.delivery_format, e.state, "
		"p.name, d.name, d.district_type, d.size_band, "
		"d.flag_ell, d.flag_swd, d.flag_econ, d.flag_soc "
		"FROM engagement e JOIN org p ON p.id = e.partner_id JOIN org d ON d.id = e.district_id "
		"WHERE e.id = $1",
		args, COUNT_OF(args), &r);
	*found = rc == STORE_OK && r.nrows == 1;
	if (!*found) return rc;
	*out = (report_engagement){
		.id = rows_int(&r, 0, 0),
		.partner_id = rows_int(&r, 0, 1),
		.district_id = rows_int(&r, 0, 2),
		.title = rows_get(&r, 0, 3),
		.starts_on = rows_get(&r, 0, 4),
		.ends_on = rows_get(&r, 0, 5),
		.curriculum = rows_get(&r, 0, 6),
		.pl_type = rows_get(&r, 0, 7),
		.audiences = rows_get(&r, 0, 8),
		.delivery_format = rows_get(&r, 0, 9),
		.state = rows_get(&r, 0, 10),
		.partner_name = rows_get(&r, 0, 11),
		.district_name = rows_get(&r, 0, 12),
		.district_type = rows_get(&r, 0, 13),
		.size_band = rows_get(&r, 0, 14),
		.flag_ell = flag(&r, 15),
		.flag_swd = flag(&r, 16),
		.flag_econ = flag(&r, 17),
		.flag_soc = flag(&r, 18),
	};
	return STORE_OK;
}

/* ---- the services overview ---- */

static const char present_sql[] = "SELECT COUNT(DISTINCT a.person_id) FROM session_attendance a "
				  "JOIN pl_session s ON s.id = a.session_id "
				  "WHERE s.engagement_id = $1 AND s.status <> 'cancelled' AND a.present = 1";

/* People invited (directly or through a team) to delivered sessions that
 * have no attendance, not already counted as present somewhere. */
static const char roster_sql[] =
	"SELECT COUNT(DISTINCT x.pid) FROM ("
	"SELECT sp.session_id AS sid, sp.person_id AS pid FROM session_participant sp "
	"WHERE sp.person_id IS NOT NULL "
	"UNION ALL SELECT sp.session_id, tm.person_id FROM session_participant sp "
	"JOIN team_member tm ON tm.team_id = sp.team_id) x "
	"JOIN pl_session s ON s.id = x.sid "
	"WHERE s.engagement_id = $1 AND s.status = 'delivered' "
	"AND NOT EXISTS (SELECT 1 FROM session_attendance a WHERE a.session_id = s.id) "
	"AND x.pid NOT IN (SELECT a.person_id FROM session_attendance a "
	"JOIN pl_session s2 ON s2.id = a.session_id "
	"WHERE s2.engagement_id = $1 AND s2.status <> 'cancelled' AND a.present = 1)";

static const char session_counts_sql[] =
	"SELECT status, format, COUNT(*) FROM pl_session WHERE engagement_id = $1 "
	"GROUP BY status, format ORDER BY status, format";

static const char lines_sql[] = "SELECT quantity_milli, unit_price_cents FROM service_line "
				"WHERE engagement_id = $1 AND active = 1";

store_rc report_delivery_rows(store *s, arena *a, int64_t engagement_id, int64_t *present, int64_t *roster,
			      store_rows *sessions)
{
	sql_arg args[] = {ARG_INT(engagement_id)};
	store_rows p, r;
	store_rc rc;
	if ((rc = store_query(s, a, present_sql, args, 1, &p)) ||
	    (rc = store_query(s, a, roster_sql, args, 1, &r)) ||
	    (rc = store_query(s, a, session_counts_sql, args, 1, sessions)))
		return rc;
	*present = rows_int(&p, 0, 0);
	*roster = rows_int(&r, 0, 0);
	return STORE_OK;
}

store_rc report_line_rows(store *s, arena *a, int64_t engagement_id, store_rows *lines)
{
	sql_arg args[] = {ARG_INT(engagement_id)};
	return store_query(s, a, lines_sql, args, 1, lines);
}

/* ---- the scope and sequence ---- */

static const char sessions_sql[] =
	"SELECT s.id, s.kind, s.title, s.on_date, s.format, COALESCE(s.description, s.agenda), s.series_id, "
	"s.grid_id FROM pl_session s WHERE s.engagement_id = $1 AND s.status <> 'cancelled' ORDER BY "
	"s.on_date, s.id";

/* Participants: teams (kind 0) and people (kind 1); then facilitators (2). */
static const char people_sql[] =
	"SELECT sp.session_id, 0, t.name FROM session_participant sp "
	"JOIN pl_session s ON s.id = sp.session_id JOIN team t ON t.id = sp.team_id "
	"WHERE s.engagement_id = $1 AND s.status <> 'cancelled' "
	"UNION ALL SELECT sp.session_id, 1, p.name FROM session_participant sp "
	"JOIN pl_session s ON s.id = sp.session_id JOIN person p ON p.id = sp.person_id "
	"WHERE s.engagement_id = $1 AND s.status <> 'cancelled' "
	"UNION ALL SELECT f.session_id, 2, p.name FROM session_facilitator f "
	"JOIN pl_session s ON s.id = f.session_id JOIN person p ON p.id = f.person_id "
	"WHERE s.engagement_id = $1 AND s.status <> 'cancelled' "
	"ORDER BY 2, 3";

store_rc report_session_rows(store *s, arena *a, int64_t engagement_id, store_rows *sessions,
			     store_rows *people)
{
	sql_arg args[] = {ARG_INT(engagement_id)};
	store_rc rc = store_query(s, a, sessions_sql, args, 1, sessions);
	return rc == STORE_OK ? store_query(s, a, people_sql, args, 1, people) : rc;
}
