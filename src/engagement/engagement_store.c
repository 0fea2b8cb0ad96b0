/* Engagements, their focus codes, service lines and the kinds of service in
 * the store; the draws of sessions on each line come from pl_session. */
#include <string.h>

#include "../base/util.h"
#include "engagement_store.h"

/* The columns every engagement query returns, in engagement_from_row's
 * order. The total counts active lines, each rounded once (as in
 * line_amount_cents: half up), so it matches the sum the pages show. */
#define ENGAGEMENT_COLUMNS \
	"e.id, e.partner_id, p.name, e.district_id, d.name, e.school_year_id, y.name, e.title, " \
	"e.starts_on, e.ends_on, e.goals, e.focus, e.curriculum, e.pl_type, e.audiences, " \
	"e.delivery_format, e.state, e.decided_by, dp.name, e.decided_at, e.decision_note, " \
	"(SELECT COALESCE(SUM((l.quantity_milli / 1000) * l.unit_price_cents + " \
	"  ((l.quantity_milli % 1000) * l.unit_price_cents + 500) / 1000), 0) " \
	"  FROM service_line l WHERE l.engagement_id = e.id AND l.active = 1) "

#define ENGAGEMENT_FROM \
	"FROM engagement e JOIN org p ON p.id = e.partner_id JOIN org d ON d.id = e.district_id " \
	"LEFT JOIN school_year y ON y.id = e.school_year_id LEFT JOIN person dp ON dp.id = e.decided_by "

static const char *text_or_empty(const char *s)
{
	return s ? s : "";
}

static void engagement_from_row(const store_rows *r, size_t i, engagement *en)
{
	engagement_state st = EN_DRAFT;
	/* The schema's CHECK keeps out other names. */
	engagement_state_parse(rows_get(r, i, 16), &st);
	*en = (engagement){.id = rows_int(r, i, 0),
			   .partner_id = rows_int(r, i, 1),
			   .partner_name = rows_get(r, i, 2),
			   .district_id = rows_int(r, i, 3),
			   .district_name = rows_get(r, i, 4),
			   .school_year_id = rows_int(r, i, 5),
			   .school_year_name = rows_get(r, i, 6),
			   .title = rows_get(r, i, 7),
			   .starts_on = rows_get(r, i, 8),
			   .ends_on = rows_get(r, i, 9),
			   .goals = text_or_empty(rows_get(r, i, 10)),
			   .focus = text_or_empty(rows_get(r, i, 11)),
			   .curriculum = text_or_empty(rows_get(r, i, 12)),
			   .pl_type = text_or_empty(rows_get(r, i, 13)),
			   .audiences = text_or_empty(rows_get(r, i, 14)),
			   .delivery_format = text_or_empty(rows_get(r, i, 15)),
			   .state = st,
			   .decided_by = rows_int(r, i, 17),
			   .decided_by_name = rows_get(r, i, 18),
			   .decided_at = rows_int(r, i, 19),
			   .decision_note = text_or_empty(rows_get(r, i, 20)),
			   .total_cents = rows_int(r, i, 21),
			   .focus_codes = ""};
}

/* The visibility filter takes $1..$17 (org.h); an engagement is placed at
 * its district and at its partner. */
store_rc engagement_list(store *s, arena *a, const visibility *v, engagement **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT " ENGAGEMENT_COLUMNS ENGAGEMENT_FROM
		"WHERE " VIS_ALL " OR e.district_id IN " VIS_DISTRICT_SLOTS
		" OR e.partner_id IN " VIS_DISTRICT_SLOTS " OR e.district_id IN " VIS_ORG_SLOTS
		" OR e.partner_id IN " VIS_ORG_SLOTS " "
		"ORDER BY e.starts_on DESC, e.title, e.id";
	/* clang-format on */
	sql_arg args[VIS_NARGS];
	visibility_args(v, args);
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof **out);
	for (size_t i = 0; i < r.nrows; i++) engagement_from_row(&r, i, &(*out)[i]);
	*n = r.nrows;
	return STORE_OK;
}

static store_rc focus_codes_load(store *s, arena *a, engagement *en)
{
	sql_arg args[] = {ARG_INT(en->id)};
	store_rows r;
	store_rc rc =
		store_query(s, a, "SELECT code FROM engagement_focus WHERE engagement_id = $1 ORDER BY code",
			    args, 1, &r);
	if (rc != STORE_OK) return rc;
	const char *codes = "";
	for (size_t i = 0; i < r.nrows; i++)
		codes = arena_printf(a, "%s%s%s", codes, i ? " " : "", rows_get(&r, i, 0));
	en->focus_codes = codes;
	return STORE_OK;
}

store_rc engagement_get(store *s, arena *a, int64_t id, engagement *out, bool *found)
{
	static const char sql[] = "SELECT " ENGAGEMENT_COLUMNS ENGAGEMENT_FROM "WHERE e.id = $1";
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (!*found) return STORE_OK;
	engagement_from_row(&r, 0, out);
	return focus_codes_load(s, a, out);
}

static sql_arg opt_text(const char *s)
{
	return s && *s ? ARG_TEXT(s) : ARG_NULL;
}

/* Replaces the engagement's focus codes with the space-separated list. */
static store_rc focus_codes_save(store *s, arena *a, int64_t id, const char *codes)
{
	sql_arg del[] = {ARG_INT(id)};
	store_rc rc =
		store_query(s, a, "DELETE FROM engagement_focus WHERE engagement_id = $1", del, 1, NULL);
	for (const char *p = codes; rc == STORE_OK && p && *p;) {
		const char *end = strchr(p, ' ');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		sql_arg args[] = {ARG_INT(id), ARG_TEXT(arena_strndup(a, p, len))};
		rc = store_query(s, a, "INSERT INTO engagement_focus (engagement_id, code) VALUES ($1, $2)",
				 args, COUNT_OF(args), NULL);
		p = end ? end + 1 : NULL;
	}
	return rc;
}

store_rc engagement_insert(store *s, arena *a, const engagement_input *in, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO engagement (partner_id, district_id, title, school_year_id, starts_on, "
		"ends_on, goals, focus, curriculum, pl_type, audiences, delivery_format, state, created_at) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
	sql_arg args[] = {
		ARG_INT(in->partner_id),  ARG_INT(in->district_id),
		ARG_TEXT(in->title),      in->school_year_id ? ARG_INT(in->school_year_id) : ARG_NULL,
		ARG_TEXT(in->starts_on),  ARG_TEXT(in->ends_on),
		opt_text(in->goals),      opt_text(in->focus),
		opt_text(in->curriculum), opt_text(in->pl_type),
		opt_text(in->audiences),  opt_text(in->delivery_format),
		ARG_TEXT(in->state),      ARG_INT(now_unix())};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	*id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return focus_codes_save(s, a, *id, in->focus_codes);
}

store_rc engagement_update(store *s, arena *a, int64_t id, const engagement_input *in)
{
	static const char sql[] =
		"UPDATE engagement SET partner_id = $2, district_id = $3, title = $4, school_year_id = $5, "
		"starts_on = $6, ends_on = $7, goals = $8, focus = $9, curriculum = $10, pl_type = $11, "
		"audiences = $12, delivery_format = $13, updated_at = $14 WHERE id = $1";
	sql_arg args[] = {ARG_INT(id),
			  ARG_INT(in->partner_id),
			  ARG_INT(in->district_id),
			  ARG_TEXT(in->title),
			  in->school_year_id ? ARG_INT(in->school_year_id) : ARG_NULL,
			  ARG_TEXT(in->starts_on),
			  ARG_TEXT(in->ends_on),
			  opt_text(in->goals),
			  opt_text(in->focus),
			  opt_text(in->curriculum),
			  opt_text(in->pl_type),
			  opt_text(in->audiences),
			  opt_text(in->delivery_format),
			  ARG_INT(now_unix())};
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), NULL);
	return rc == STORE_OK ? focus_codes_save(s, a, id, in->focus_codes) : rc;
}

store_rc engagement_state_save(store *s, arena *a, int64_t id, engagement_state to, int64_t decided_by,
			       const char *note)
{
	bool decision = to == EN_ACCEPTED || to == EN_DECLINED;
	static const char moved[] = "UPDATE engagement SET state = $2, updated_at = $3 WHERE id = $1";
	static const char decided[] =
		"UPDATE engagement SET state = $2, updated_at = $3, decided_by = $4, decided_at = $3, "
		"decision_note = $5 WHERE id = $1";
	sql_arg args[] = {ARG_INT(id), ARG_TEXT(engagement_state_name(to)), ARG_INT(now_unix()),
			  decided_by ? ARG_INT(decided_by) : ARG_NULL, opt_text(note)};
	return store_query(s, a, decision ? decided : moved, args, decision ? 5 : 3, NULL);
}

#define LINE_COLUMNS \
	"l.id, l.engagement_id, l.kind_id, k.code, k.label, l.description, l.unit, " \
	"l.quantity_milli, l.unit_price_cents, l.minutes, l.position "
#define LINE_FROM "FROM service_line l JOIN service_kind k ON k.id = l.kind_id "

static void line_from_row(const store_rows *r, size_t i, service_line *l)
{
	*l = (service_line){.id = rows_int(r, i, 0),
			    .engagement_id = rows_int(r, i, 1),
			    .kind_id = rows_int(r, i, 2),
			    .kind_code = rows_get(r, i, 3),
			    .kind_label = rows_get(r, i, 4),
			    .description = text_or_empty(rows_get(r, i, 5)),
			    .unit = rows_get(r, i, 6),
			    .quantity_milli = rows_int(r, i, 7),
			    .unit_price_cents = rows_int(r, i, 8),
			    .minutes = rows_int(r, i, 9),
			    .position = rows_int(r, i, 10)};
}

static draw_state state_of(const char *status)
{
	if (str_eq(status, "delivered")) return DRAW_DELIVERED;
	if (str_eq(status, "cancelled")) return DRAW_CANCELLED;
	return DRAW_SCHEDULED;
}

/* The draws of every session on the given lines, folded into them. */
static store_rc draws_load(store *s, arena *a, const char *sql, int64_t id, service_line *l, size_t n)
{
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	for (size_t k = 0; k < n; k++) l[k].draws = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof(line_draw));
	for (size_t i = 0; i < r.nrows; i++)
		for (size_t k = 0; k < n; k++)
			if (l[k].id == rows_int(&r, i, 0))
				l[k].draws[l[k].ndraws++] =
					(line_draw){rows_int(&r, i, 1), state_of(rows_get(&r, i, 2))};
	return STORE_OK;
}

store_rc engagement_lines(store *s, arena *a, int64_t engagement_id, service_line **out, size_t *n)
{
	/* clang-format off */
	static const char sql[] = "SELECT " LINE_COLUMNS LINE_FROM
				  "WHERE l.engagement_id = $1 AND l.active = 1 ORDER BY l.position, l.id";
	/* clang-format on */
	sql_arg args[] = {ARG_INT(engagement_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	service_line *l = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *l);
	for (size_t i = 0; i < r.nrows; i++) line_from_row(&r, i, &l[i]);
	*out = l;
	*n = r.nrows;
	return draws_load(s, a,
			  "SELECT s.service_line_id, s.draw_milli, s.status FROM pl_session s "
			  "JOIN service_line l ON l.id = s.service_line_id WHERE l.engagement_id = $1 "
			  "ORDER BY s.id",
			  engagement_id, l, r.nrows);
}

store_rc service_line_insert(store *s, arena *a, int64_t engagement_id, const line_input *in, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO service_line (engagement_id, kind_id, description, quantity_milli, unit, "
		"unit_price_cents, minutes, position) VALUES ($1, $2, $3, $4, $5, $6, $7, "
		"(SELECT COALESCE(MAX(position), 0) + 1 FROM service_line WHERE engagement_id = $1)) "
		"RETURNING id";
	sql_arg args[] = {ARG_INT(engagement_id),
			  ARG_INT(in->kind),
			  opt_text(in->description),
			  ARG_INT(in->quantity_milli),
			  ARG_TEXT(in->unit),
			  ARG_INT(in->unit_price_cents),
			  in->minutes_n ? ARG_INT(in->minutes_n) : ARG_NULL};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc service_line_update(store *s, arena *a, int64_t line_id, const line_input *in)
{
	static const char sql[] =
		"UPDATE service_line SET kind_id = $2, description = $3, quantity_milli = $4, unit = $5, "
		"unit_price_cents = $6, minutes = $7 WHERE id = $1";
	sql_arg args[] = {ARG_INT(line_id),
			  ARG_INT(in->kind),
			  opt_text(in->description),
			  ARG_INT(in->quantity_milli),
			  ARG_TEXT(in->unit),
			  ARG_INT(in->unit_price_cents),
			  in->minutes_n ? ARG_INT(in->minutes_n) : ARG_NULL};
	return store_query(s, a, sql, args, COUNT_OF(args), NULL);
}

/* A line nothing draws on is deleted outright; the caller checks that. */
store_rc service_line_remove(store *s, arena *a, int64_t line_id)
{
	sql_arg args[] = {ARG_INT(line_id)};
	return store_query(s, a, "DELETE FROM service_line WHERE id = $1", args, 1, NULL);
}

store_rc engagement_line_usage(store *s, arena *a, int64_t line_id, service_line *line, line_balance *balance,
			       bool *found)
{
	static const char sql[] = "SELECT " LINE_COLUMNS LINE_FROM "WHERE l.id = $1";
	sql_arg args[] = {ARG_INT(line_id)};
	store_rows r;
	store_rc rc = store_query(s, a, sql, args, 1, &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (!*found) return STORE_OK;
	line_from_row(&r, 0, line);
	rc = draws_load(s, a,
			"SELECT service_line_id, draw_milli, status FROM pl_session "
			"WHERE service_line_id = $1 ORDER BY id",
			line_id, line, 1);
	if (rc == STORE_OK) *balance = service_line_balance(line);
	return rc;
}

store_rc service_kinds(store *s, arena *a, bool active_only, service_kind **out, size_t *n)
{
	sql_arg args[] = {ARG_INT(active_only ? 1 : 0)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT id, code, label, default_unit, active FROM service_kind "
				  "WHERE CAST($1 AS BIGINT) = 0 OR active = 1 ORDER BY id",
				  args, 1, &r);
	if (rc != STORE_OK) return rc;
	service_kind *k = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *k);
	for (size_t i = 0; i < r.nrows; i++)
		k[i] = (service_kind){rows_int(&r, i, 0), rows_get(&r, i, 1), rows_get(&r, i, 2),
				      rows_get(&r, i, 3), rows_int(&r, i, 4) == 1};
	*out = k;
	*n = r.nrows;
	return STORE_OK;
}

store_rc service_kind_insert(store *s, arena *a, const char *code, const char *label, const char *unit,
			     int64_t *id)
{
	sql_arg args[] = {ARG_TEXT(code), ARG_TEXT(label), ARG_TEXT(unit)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "INSERT INTO service_kind (code, label, default_unit) VALUES ($1, $2, $3) "
				  "RETURNING id",
				  args, COUNT_OF(args), &r);
	if (rc == STORE_OK) *id = r.nrows ? rows_int(&r, 0, 0) : 0;
	return rc;
}

store_rc engagement_org_kind(store *s, arena *a, int64_t org_id, const char **kind, const char **name)
{
	sql_arg args[] = {ARG_INT(org_id)};
	store_rows r;
	store_rc rc =
		store_query(s, a, "SELECT kind, name FROM org WHERE id = $1 AND active = 1", args, 1, &r);
	if (rc != STORE_OK) return rc;
	*kind = r.nrows ? rows_get(&r, 0, 0) : "";
	*name = r.nrows ? rows_get(&r, 0, 1) : "";
	return STORE_OK;
}

store_rc engagement_school_year(store *s, arena *a, int64_t id, int64_t district_id, const char **starts_on,
				const char **ends_on, bool *found)
{
	sql_arg args[] = {ARG_INT(id), ARG_INT(district_id)};
	store_rows r;
	store_rc rc = store_query(s, a,
				  "SELECT starts_on, ends_on FROM school_year "
				  "WHERE id = $1 AND district_id = $2 AND active = 1",
				  args, 2, &r);
	if (rc != STORE_OK) return rc;
	*found = r.nrows == 1;
	if (*found) {
		*starts_on = rows_get(&r, 0, 0);
		*ends_on = rows_get(&r, 0, 1);
	}
	return STORE_OK;
}
