/* The engagements JSON API, the twin of engagement_pages.c: the same
 * checks and permissions (engagement_change.c); money members appear only
 * for those who may read money. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "../ical/ical.h"
#include "../web/app.h"
#include "engagement_web.h"

static json_t *engagement_json(req *rq, const engagement *en)
{
	json_t *j = json_pack(
		"{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
		(json_int_t)en->id, "partner_id", (json_int_t)en->partner_id, "partner_name",
		en->partner_name, "district_id", (json_int_t)en->district_id, "district_name",
		en->district_name, "title", en->title, "starts_on", en->starts_on, "ends_on", en->ends_on,
		"goals", en->goals, "focus", en->focus, "curriculum", en->curriculum, "pl_type", en->pl_type,
		"audiences", en->audiences, "delivery_format", en->delivery_format, "state",
		engagement_state_name(en->state), "decision_note", en->decision_note, "focus_codes",
		en->focus_codes);
	json_object_set_new(j, "decided_by", json_named(en->decided_by, en->decided_by_name));
	json_object_set_new(j, "decided_at", en->decided_at ? json_integer(en->decided_at) : json_null());
	engagement_state to[EN_STATE_COUNT];
	size_t n = engagement_moves(en->state, engagement_powers_of(rq, en), to);
	json_t *moves = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(moves, json_string(engagement_state_name(to[i])));
	json_object_set_new(j, "moves", moves);
	json_object_set_new(j, "school_year_id",
			    en->school_year_id ? json_integer(en->school_year_id) : json_null());
	if (may_see_money(rq, en)) json_object_set_new(j, "total_cents", json_integer(en->total_cents));
	return j;
}

static json_t *line_json(const service_line *l, bool money)
{
	json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)l->id, "kind_id",
			      (json_int_t)l->kind_id, "kind", l->kind_code, "kind_label", l->kind_label,
			      "description", l->description, "unit", l->unit, "quantity_milli",
			      (json_int_t)l->quantity_milli);
	json_object_set_new(j, "minutes", l->minutes ? json_integer(l->minutes) : json_null());
	if (money) {
		json_object_set_new(j, "unit_price_cents", json_integer(l->unit_price_cents));
		json_object_set_new(j, "total_cents",
				    json_integer(line_amount_cents(l->quantity_milli, l->unit_price_cents)));
	}
	return j;
}

static json_t *balance_json(const service_line *l, bool money)
{
	line_balance b = service_line_balance(l);
	json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "line_id", (json_int_t)l->id,
			      "kind", l->kind_code, "unit", l->unit, "committed_milli",
			      (json_int_t)b.committed_milli, "scheduled_milli", (json_int_t)b.scheduled_milli,
			      "delivered_milli", (json_int_t)b.delivered_milli, "cancelled_milli",
			      (json_int_t)b.cancelled_milli, "remaining_milli", (json_int_t)b.remaining_milli,
			      "over_milli", (json_int_t)b.over_milli);
	if (money) {
		json_object_set_new(j, "committed_cents", json_integer(b.committed_cents));
		json_object_set_new(j, "scheduled_cents", json_integer(b.scheduled_cents));
		json_object_set_new(j, "delivered_cents", json_integer(b.delivered_cents));
		json_object_set_new(j, "cancelled_cents", json_integer(b.cancelled_cents));
		json_object_set_new(j, "remaining_cents", json_integer(b.remaining_cents));
	}
	return j;
}

static bool load_lines(req *rq, resp *rs, const engagement *en, service_line **l, size_t *n)
{
	if (engagement_lines(rq->db, rq->a, en->id, l, n) == STORE_OK) return true;
	resp_store_failed(rq, rs);
	return false;
}

static void answer_engagement(req *rq, resp *rs, int status, const engagement *en)
{
	service_line *l;
	size_t n;
	if (!load_lines(rq, rs, en, &l, &n)) return;
	bool money = may_see_money(rq, en);
	json_t *j = engagement_json(rq, en), *lines = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(lines, line_json(&l[i], money));
	json_object_set_new(j, "lines", lines);
	int64_t feeds = 0, newest = 0;
	if (ical_engagement_feeds(rq, en->id, &feeds, &newest) != STORE_OK) {
		json_decref(j);
		resp_store_failed(rq, rs);
		return;
	}
	json_object_set_new(j, "calendar_feeds",
			    json_pack("{s:I, s:o}", "active", (json_int_t)feeds, "newest_at",
				      newest ? json_integer(newest) : json_null()));
	resp_json(rs, status, j);
}

/* The engagement with id, as JSON. */
static void answer_engagement_id(req *rq, resp *rs, int status, int64_t id)
{
	engagement en;
	bool found;
	if (engagement_get(rq->db, rq->a, id, &en, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	answer_engagement(rq, rs, status, &en);
}

/* A member that may be an id given as a number or as text. */
static void member_id(json_t *o, const char *key, int64_t *dst, bool *unreadable, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (json_is_string(v)) {
		if (!parse_i64(json_string_value(v), 1, INT64_MAX, dst)) *unreadable = true;
		return;
	}
	json_member_id(o, key, dst, e);
}

static const char *const engagement_members[] = {
	"partner_id", "district_id",     "school_year_id", "title",       "starts_on",
	"ends_on",    "goals",           "focus",          "curriculum",  "pl_type",
	"audiences",  "delivery_format", "state",          "focus_codes", NULL};

static void json_engagement_input(req *rq, json_t *o, engagement_input *in, form_errors *e)
{
	json_known_members(rq->a, o, engagement_members, e);
	member_id(o, "partner_id", &in->partner_id, &in->partner_unreadable, e);
	member_id(o, "district_id", &in->district_id, &in->district_unreadable, e);
	member_id(o, "school_year_id", &in->school_year_id, &in->school_year_unreadable, e);
	json_member_text(rq->a, o, "title", &in->title, e);
	json_member_text(rq->a, o, "starts_on", &in->starts_on, e);
	json_member_text(rq->a, o, "ends_on", &in->ends_on, e);
	json_member_text(rq->a, o, "goals", &in->goals, e);
	json_member_text(rq->a, o, "focus", &in->focus, e);
	json_member_text(rq->a, o, "curriculum", &in->curriculum, e);
	json_member_text(rq->a, o, "pl_type", &in->pl_type, e);
	json_member_text(rq->a, o, "delivery_format", &in->delivery_format, e);
	json_member_text(rq->a, o, "state", &in->state, e);
	json_member_text(rq->a, o, "focus_codes", &in->focus_codes, e);
	json_t *aud = json_object_get(o, "audiences");
	if (json_is_array(aud)) {
		const char *joined = "";
		size_t i;
		json_t *v;
		json_array_foreach(aud, i, v) joined =
			arena_printf(rq->a, "%s%s%s", joined, i ? "," : "",
				     json_is_string(v) ? json_string_value(v) : "?");
		in->audiences = joined;
	} else {
		json_member_text(rq->a, o, "audiences", &in->audiences, e);
	}
}

/*
** GET /api/engagements
** {"engagements":[{id,partner_id,partner_name,district_id,district_name,
** title,starts_on,ends_on,state,decided_by,decided_at,decision_note,moves,
** ...,total_cents (money readers only)}]}
** Permissions: signed in; each through may(READ, engagement).
*/
void api_engagements(req *rq, resp *rs)
{
	engagement *list;
	size_t n;
	if (engagement_visible(rq, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, engagement_json(rq, &list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "engagements", arr));
}

/*
** GET /api/engagements/{id}
** One engagement with "lines" (unit prices and totals for money readers)
** and "calendar_feeds" {active, newest_at}: how many calendar addresses are
** in force (an address is shown once, by POST .../calendar-feed).
** Permissions: may(READ, engagement); money: may(READ, money).
*/
void api_engagement(req *rq, resp *rs)
{
	engagement en;
	if (engagement_load(rq, rs, &en)) answer_engagement(rq, rs, 200, &en);
}

/*
** POST /api/engagements  {partner_id, district_id, title, starts_on, ends_on |
** school_year_id, goals?, focus?, focus_codes?, curriculum?, pl_type?,
** audiences? (array or comma list), delivery_format?, state? (draft or
** proposed)}
** 201 with the engagement; 400 naming the field; 403.
** Permissions: may(CREATE, engagement) at the partner or the district. It
** gives the partner no reach until the district accepts it (.../state).
*/
void api_engagement_create(req *rq, resp *rs)
{
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	engagement_input in = {0};
	json_engagement_input(rq, body, &in, &e);
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		json_decref(body);
		return;
	}
	json_decref(body);
	outcome o;
	engagement_create(rq, &in, &o);
	outcome_answer(rq, rs, &o, 201, o.id, answer_engagement_id);
}

/*
** PATCH /api/engagements/{id}  (any of the members of POST but state)
** 200 with the engagement; 400 naming the field; 403; 409 when it has
** ended or was declined, or names other parties once proposed.
** Permissions: may(UPDATE, engagement), before and after the change.
*/
void api_engagement_update(req *rq, resp *rs)
{
	engagement en;
	if (!engagement_load(rq, rs, &en)) return;
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	engagement_input in = engagement_input_of(&en);
	json_engagement_input(rq, body, &in, &e);
	if (in.state)
		form_error_add(&e, "state",
			       arena_printf(rq->a,
					    "Change the state with POST "
					    "/api/engagements/%lld/state.",
					    (long long)en.id));
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		json_decref(body);
		return;
	}
	json_decref(body);
	outcome o;
	engagement_change(rq, &en, &in, &o);
	outcome_answer(rq, rs, &o, 200, o.id, answer_engagement_id);
}

/*
** POST /api/engagements/{id}/state  {state, note?}
** Moves the agreement: draft → proposed → accepted → active → ended, or
** proposed → declined (note: why), proposed or declined → draft. 200 with
** the engagement (its "moves" say what the asker may do next); 400 for an
** unknown state; 403 when only the district may make the move; 409 when
** the agreement cannot move so.
** Permissions: a party (may(UPDATE, engagement)) proposes, starts, ends and
** withdraws; only the district (may(UPDATE, engagement_decision): its
** leaders, its administrators acting for it) accepts and declines.
*/
void api_engagement_state(req *rq, resp *rs)
{
	engagement en;
	if (!engagement_load(rq, rs, &en)) return;
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	static const char *const members[] = {"state", "note", NULL};
	form_errors e = {0};
	const char *state = NULL, *note = NULL;
	json_known_members(rq->a, body, members, &e);
	json_member_text(rq->a, body, "state", &state, &e);
	json_member_text(rq->a, body, "note", &note, &e);
	json_decref(body);
	engagement_state to = EN_DRAFT;
	if (!e.n && !engagement_state_parse(state, &to))
		form_error_add(&e, "state",
			       "The state is draft, proposed, accepted, active, ended or declined.");
	if (e.n) {
		resp_form_invalid(rq, rs, &e);
		return;
	}
	outcome o;
	engagement_move(rq, &en, to, note, &o);
	outcome_answer(rq, rs, &o, 200, o.id, answer_engagement_id);
}

/*
** GET /api/engagements/{id}/summary
** {"engagement_id", "lines":[{line_id,kind,unit,committed_milli,
** scheduled_milli,delivered_milli,cancelled_milli,remaining_milli,
** over_milli, *_cents (money readers only)}], "totals" (money readers only)}
** Permissions: may(READ, engagement); money: may(READ, money).
*/
void api_engagement_summary(req *rq, resp *rs)
{
	engagement en;
	service_line *l;
	size_t n;
	if (!engagement_load(rq, rs, &en) || !load_lines(rq, rs, &en, &l, &n)) return;
	bool money = may_see_money(rq, &en);
	json_t *lines = json_array();
	line_balance *b = arena_calloc(rq->a, n ? n : 1, sizeof *b);
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(lines, balance_json(&l[i], money));
		b[i] = service_line_balance(&l[i]);
	}
	json_t *j = json_pack("{s:I, s:o}", "engagement_id", (json_int_t)en.id, "lines", lines);
	engagement_balance t = engagement_balance_of(b, n);
	json_object_set_new(j, "lines_over", json_integer((json_int_t)t.lines_over));
	if (money)
		json_object_set_new(j, "totals",
				    json_pack("{s:I, s:I, s:I, s:I, s:I}", "committed_cents",
					      (json_int_t)t.committed_cents, "scheduled_cents",
					      (json_int_t)t.scheduled_cents, "delivered_cents",
					      (json_int_t)t.delivered_cents, "cancelled_cents",
					      (json_int_t)t.cancelled_cents, "remaining_cents",
					      (json_int_t)t.remaining_cents));
	resp_json(rs, 200, j);
}

static const char *const line_members[] = {"kind_id",     "quantity", "unit", "unit_price",
					   "description", "minutes",  NULL};

static void json_line_input(req *rq, json_t *o, line_input *in, form_errors *e)
{
	json_known_members(rq->a, o, line_members, e);
	json_member_text_or_number(rq->a, o, "kind_id", &in->kind_id, e);
	json_member_text_or_number(rq->a, o, "quantity", &in->quantity, e);
	json_member_text(rq->a, o, "unit", &in->unit, e);
	json_member_text_or_number(rq->a, o, "unit_price", &in->unit_price, e);
	json_member_text(rq->a, o, "description", &in->description, e);
	json_member_text_or_number(rq->a, o, "minutes", &in->minutes, e);
}

static line_input line_input_of(req *rq, const service_line *l)
{
	return (line_input){
		.kind_id = arena_printf(rq->a, "%lld", (long long)l->kind_id),
		.quantity = milli_text(rq->a, l->quantity_milli),
		.unit = l->unit,
		.unit_price = arena_printf(rq->a, "%lld.%02lld", (long long)(l->unit_price_cents / 100),
					   (long long)(l->unit_price_cents % 100)),
		.description = l->description,
		.minutes = l->minutes ? arena_printf(rq->a, "%lld", (long long)l->minutes) : NULL};
}

/*
** POST /api/engagements/{id}/lines  {kind_id, quantity ("8", 0.5), unit?,
** unit_price ("1,800.00", 1800), description?, minutes?}
** 201 with the engagement; 400 naming the field.
** Permissions: may(UPDATE, engagement).
*/
void api_engagement_line_add(req *rq, resp *rs)
{
	engagement en;
	if (!engagement_load(rq, rs, &en)) return;
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	line_input in = {0};
	json_line_input(rq, body, &in, &e);
	if (e.n) resp_form_invalid(rq, rs, &e); /* before the body, which holds the keys */
	json_decref(body);
	if (e.n) return;
	outcome o;
	line_add(rq, &en, &in, &o);
	outcome_answer(rq, rs, &o, 201, o.id, answer_engagement_id);
}

/*
** PATCH /api/engagements/{id}/lines/{lid}  (any member of POST .../lines)
** 200 with the engagement; 400 naming the field; 404 for no such line.
** Permissions: may(UPDATE, engagement).
*/
void api_engagement_line_update(req *rq, resp *rs)
{
	engagement en;
	service_line *lines, *l;
	size_t n;
	if (!engagement_load(rq, rs, &en) || !engagement_line_load(rq, rs, &en, &lines, &n, &l)) return;
	json_t *body = json_body_object(rq, rs);
	if (!body) return;
	form_errors e = {0};
	line_input in = line_input_of(rq, l);
	json_line_input(rq, body, &in, &e);
	if (e.n) resp_form_invalid(rq, rs, &e); /* before the body, which holds the keys */
	json_decref(body);
	if (e.n) return;
	outcome o;
	line_change(rq, &en, l, &in, &o);
	outcome_answer(rq, rs, &o, 200, o.id, answer_engagement_id);
}

/*
** DELETE /api/engagements/{id}/lines/{lid}
** 200 with the engagement; 409 when a session draws on the line.
** Permissions: may(UPDATE, engagement).
*/
void api_engagement_line_remove(req *rq, resp *rs)
{
	engagement en;
	service_line *lines, *l;
	size_t n;
	if (!engagement_load(rq, rs, &en) || !engagement_line_load(rq, rs, &en, &lines, &n, &l)) return;
	outcome o;
	line_remove(rq, &en, l, &o);
	outcome_answer(rq, rs, &o, 200, o.id, answer_engagement_id);
}
