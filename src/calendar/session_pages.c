/* Session pages: one session, the forms that schedule and change it,
 * delivery and cancellation, attendance on a phone, and an engagement's
 * collaborative coaching grid laid out as agreements write it (days by
 * AM and PM blocks). */
#include <string.h>

#include "../base/util.h"
#include "../engagement/engagement_web.h"
#include "../people/people.h"
#include "../team/team.h"
#include "../html/html.h"
#include "../web/app.h"
#include "../web/change.h"
#include "session.h"

session_input session_input_of(arena *a, const pl_session *s)
{
	return (session_input){.kind = s->kind,
			       .title = s->title,
			       .on_date = s->on_date,
			       .block = s->block,
			       .starts_at = s->starts_at,
			       .ends_at = s->ends_at,
			       .time_zone = s->time_zone,
			       .format = s->format,
			       .place = s->place,
			       .link = s->link,
			       .agenda = s->agenda,
			       .school_id = s->school_id,
			       .engagement_id = s->engagement_id,
			       .service_line_id = s->service_line_id,
			       .draw = s->draw_milli ? session_units_text(a, s->draw_milli) : NULL,
			       .over_commit = s->over_commit};
}

/* ---- the form ---- */

static const char *id_text(arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : "";
}

static session_input form_session_input(req *rq, form_errors *e)
{
	session_input in = {0};
	const char *k[] = {"kind",      "title",  "on_date", "block", "starts_at", "ends_at",
			   "time_zone", "format", "place",   "link",  "draw"};
	const char **dst[] = {&in.kind,      &in.title,  &in.on_date, &in.block, &in.starts_at, &in.ends_at,
			      &in.time_zone, &in.format, &in.place,   &in.link,  &in.draw};
	for (size_t i = 0; i < COUNT_OF(k); i++) *dst[i] = text_trim(rq->a, req_form(rq, k[i]));
	in.agenda = req_form(rq, "agenda");
	const char *idk[] = {"school_id", "engagement_id", "service_line_id"};
	int64_t *idd[] = {&in.school_id, &in.engagement_id, &in.service_line_id};
	for (size_t i = 0; i < COUNT_OF(idk); i++) {
		const char *v = text_trim(rq->a, req_form(rq, idk[i]));
		if (v && *v && !parse_i64(v, 1, INT64_MAX, idd[i]))
			form_error_add(e, idk[i], arena_printf(rq->a, "%s must be an id.", idk[i]));
	}
	in.over_commit =
		str_eq(req_form(rq, "over_commit"), "1") || str_eq(req_form(rq, "over_commit"), "on");
	if (!req_form_ids(rq, "facilitator_ids", SESSION_PEOPLE_MAX, &in.facilitators, &in.nfacilitators))
		form_error_add(e, "facilitator_ids", "Choose facilitators from the list.");
	if (!req_form_ids(rq, "person_ids", SESSION_PEOPLE_MAX, &in.people, &in.npeople))
		form_error_add(e, "person_ids", "Choose participants from the list.");
	if (!req_form_ids(rq, "team_ids", SESSION_PEOPLE_MAX, &in.teams, &in.nteams))
		form_error_add(e, "team_ids", "Choose teams from the list.");
	return in;
}

/* ---- pickers: what the form offers instead of typed ids ---- */

enum { PICKER_PAGES_MAX = 40 }; /* pages of people one picker reads at most */

/* A service line as offered: its engagement and what it has left. */
typedef struct line_choice {
	int64_t id, engagement_id;
	const char *label;
} line_choice;

/* Everything the form's pickers offer, each read through the policy. */
typedef struct pickers {
	engagement *engagements;
	size_t nengagements;
	line_choice *lines;
	size_t nlines;
	person *coaches, *people;
	size_t ncoaches, npeople;
	team *teams;
	size_t nteams;
} pickers;

/* "Coaching day — 2.5 of 8 left", or "— 0.5 over the 8 agreed" */
static const char *line_choice_label(arena *a, const service_line *l)
{
	line_balance bal = service_line_balance(l);
	const char *what = l->description && *l->description ? l->description : l->kind_label;
	if (bal.remaining_milli < 0)
		return arena_printf(a, "%s — %s over the %s agreed", what,
				    milli_text(a, -bal.remaining_milli), milli_text(a, bal.committed_milli));
	return arena_printf(a, "%s — %s of %s left", what, milli_text(a, bal.remaining_milli),
			    milli_text(a, bal.committed_milli));
}

static store_rc lines_load(req *rq, pickers *pk)
{
	size_t cap = 0;
	service_line **per = arena_calloc(rq->a, pk->nengagements + 1, sizeof *per);
	size_t *nper = arena_calloc(rq->a, pk->nengagements + 1, sizeof *nper);
	for (size_t i = 0; i < pk->nengagements; i++) {
		store_rc rc = engagement_lines(rq->db, rq->a, pk->engagements[i].id, &per[i], &nper[i]);
		if (rc != STORE_OK) return rc;
		cap += nper[i];
	}
	pk->lines = arena_calloc(rq->a, cap + 1, sizeof *pk->lines);
	for (size_t i = 0; i < pk->nengagements; i++)
		for (size_t j = 0; j < nper[i]; j++)
			pk->lines[pk->nlines++] = (line_choice){per[i][j].id, pk->engagements[i].id,
								line_choice_label(rq->a, &per[i][j])};
	return STORE_OK;
}

static bool person_listed(const person *list, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].id == id) return true;
	return false;
}

/* Adds the people the actor may read holding role (NULL: any) at org (a
 * district counts its schools), each once, every page of them. */
static store_rc people_add(req *rq, int64_t org_id, const char *wanted, person **list, size_t *n, size_t *cap)
{
	bool more = true;
	for (int64_t page = 1; more && page <= PICKER_PAGES_MAX; page++) {
		people_filter f = {.org_id = org_id, .role = wanted, .page = page};
		person *got;
		size_t ngot;
		store_rc rc = people_visible(rq, &f, &got, &ngot, &more);
		if (rc != STORE_OK) return rc;
		for (size_t i = 0; i < ngot; i++) {
			if (person_listed(*list, *n, got[i].id)) continue;
			if (*n == *cap) {
				size_t bigger = *cap ? *cap * 2 : 64;
				person *grown = arena_calloc(rq->a, bigger, sizeof *grown);
				if (*n) memcpy(grown, *list, *n * sizeof *grown);
				*list = grown;
				*cap = bigger;
			}
			(*list)[(*n)++] = got[i];
		}
	}
	return STORE_OK;
}

/* The distinct districts (or partners) of the visible engagements. */
static bool org_seen(const engagement *e, size_t upto, int64_t org_id, bool partner)
{
	for (size_t i = 0; i < upto; i++)
		if ((partner ? e[i].partner_id : e[i].district_id) == org_id) return true;
	return false;
}

static store_rc people_load(req *rq, pickers *pk)
{
	size_t capc = 0, capp = 0;
	store_rc rc = STORE_OK;
	for (size_t i = 0; i < pk->nengagements && rc == STORE_OK; i++) {
		const engagement *en = &pk->engagements[i];
		if (!org_seen(pk->engagements, i, en->district_id, false)) {
			rc = people_add(rq, en->district_id, "coach", &pk->coaches, &pk->ncoaches, &capc);
			if (rc == STORE_OK)
				rc = people_add(rq, en->district_id, NULL, &pk->people, &pk->npeople, &capp);
		}
		if (rc == STORE_OK && !org_seen(pk->engagements, i, en->partner_id, true)) {
			rc = people_add(rq, en->partner_id, "coach", &pk->coaches, &pk->ncoaches, &capc);
			if (rc == STORE_OK)
				rc = people_add(rq, en->partner_id, "partner_staff", &pk->coaches,
						&pk->ncoaches, &capc);
		}
	}
	return rc;
}

/* Active teams of the engagements' districts that the actor may read. */
static store_rc teams_load(req *rq, pickers *pk)
{
	team_filter f = {0};
	team *all;
	size_t n;
	store_rc rc = team_visible(rq, &f, &all, &n);
	if (rc != STORE_OK) return rc;
	pk->teams = all;
	for (size_t i = 0; i < n; i++)
		if (all[i].active && org_seen(pk->engagements, pk->nengagements, all[i].district_id, false))
			pk->teams[pk->nteams++] = all[i];
	return STORE_OK;
}

static store_rc pickers_load(req *rq, pickers *pk)
{
	*pk = (pickers){0};
	store_rc rc = engagement_visible(rq, &pk->engagements, &pk->nengagements);
	if (rc == STORE_OK) rc = lines_load(rq, pk);
	if (rc == STORE_OK) rc = people_load(rq, pk);
	if (rc == STORE_OK) rc = teams_load(rq, pk);
	return rc;
}

/* A picker's label, hint and error (form.c's field), then its <select>. */
static void picker_open(buf *b, const char *name, const char *label, const char *hint, const form_errors *e)
{
	const char *error = form_error_for(e, name);
	form_field_open(b, name, label, hint, error);
	html_printf(b, "<select id=\"%s\" name=\"%s\"", name, name);
	form_control_described(b, name, hint, error);
}

static bool id_in(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id) return true;
	return false;
}

static void option_id(buf *b, int64_t id, const char *label, bool selected)
{
	html_printf(b, "<option value=\"%lld\"%s>%s</option>\n", (long long)id, selected ? " selected" : "",
		    label);
}

/* The engagement: title · district, of those the actor may read. */
static void engagement_picker(buf *b, const pickers *pk, int64_t chosen, const form_errors *e)
{
	picker_open(b, "engagement_id", "Engagement", "empty: a school's own session", e);
	html_printf(b, ">\n<option value=\"\">No engagement</option>\n");
	bool listed = false;
	for (size_t i = 0; i < pk->nengagements; i++) {
		const engagement *en = &pk->engagements[i];
		listed |= en->id == chosen;
		html_printf(b, "<option value=\"%lld\"%s>%s · %s</option>\n", (long long)en->id,
			    en->id == chosen ? " selected" : "", en->title, en->district_name);
	}
	if (chosen && !listed)
		html_printf(b, "<option value=\"%lld\" selected>Engagement %lld</option>\n",
			    (long long)chosen, (long long)chosen);
	html_RAW(b, "</select>\n</div>\n");
}

/* Every line of every visible engagement, grouped by engagement; the
 * server checks the line belongs to the engagement chosen. */
static void line_picker(buf *b, const pickers *pk, int64_t chosen, const form_errors *e)
{
	picker_open(b, "service_line_id", "Service line",
		    "what the session draws on; of the engagement above", e);
	html_printf(b, ">\n<option value=\"\">Draws on no line</option>\n");
	bool listed = false;
	for (size_t i = 0; i < pk->nengagements; i++) {
		html_printf(b, "<optgroup label=\"%s\">\n", pk->engagements[i].title);
		for (size_t j = 0; j < pk->nlines; j++)
			if (pk->lines[j].engagement_id == pk->engagements[i].id) {
				listed |= pk->lines[j].id == chosen;
				option_id(b, pk->lines[j].id, pk->lines[j].label, pk->lines[j].id == chosen);
			}
		html_RAW(b, "</optgroup>\n");
	}
	if (chosen && !listed)
		html_printf(b, "<option value=\"%lld\" selected>Line %lld</option>\n", (long long)chosen,
			    (long long)chosen);
	html_RAW(b, "</select>\n</div>\n");
}

/* A multi-select of people; those chosen but not offered (no longer
 * readable or moved) stay chosen so an edit does not drop them. */
static void people_picker(arena *a, buf *b, const char *name, const char *label, const char *hint,
			  const person *list, size_t n, const int64_t *chosen, size_t nchosen,
			  const form_errors *e)
{
	picker_open(b, name, label, arena_printf(a, "%s; hold Ctrl or ⌘ to choose several", hint), e);
	html_printf(b, " multiple size=\"%d\">\n", n > 8 ? 8 : (int)(n < 3 ? 3 : n));
	for (size_t i = 0; i < n; i++)
		option_id(b, list[i].id, list[i].name, id_in(chosen, nchosen, list[i].id));
	for (size_t i = 0; i < nchosen; i++)
		if (!person_listed(list, n, chosen[i]))
			option_id(b, chosen[i], arena_printf(a, "Person %lld", (long long)chosen[i]), true);
	html_RAW(b, "</select>\n</div>\n");
}

/* Checkboxes of the districts' teams, in a fieldset named by its legend. */
static void team_picker(arena *a, buf *b, const pickers *pk, const int64_t *chosen, size_t nchosen,
			const form_errors *e)
{
	const char *error = form_error_for(e, "team_ids");
	html_printf(b, "<fieldset class=\"field checks%s\" id=\"team_ids\"", error ? " field-invalid" : "");
	form_control_described(b, "team_ids", NULL, error);
	html_printf(b, "><legend>Participating teams</legend>\n");
	form_field_error(b, "team_ids", error);
	if (!pk->nteams) html_printf(b, "<p class=\"muted\">No teams in these districts.</p>\n");
	for (size_t i = 0; i < pk->nteams; i++) {
		const team *t = &pk->teams[i];
		html_printf(
			b,
			"<label class=\"check\"><input type=\"checkbox\" name=\"team_ids\" value=\"%lld\"%s> "
			"%s <span class=\"muted\">(%s)</span></label>\n",
			(long long)t->id, id_in(chosen, nchosen, t->id) ? " checked" : "", t->name,
			t->org_name);
	}
	for (size_t i = 0; i < nchosen; i++) {
		bool listed = false;
		for (size_t j = 0; j < pk->nteams; j++) listed |= pk->teams[j].id == chosen[i];
		if (!listed)
			html_printf(b,
				    "<label class=\"check\"><input type=\"checkbox\" name=\"team_ids\" "
				    "value=\"%lld\" "
				    "checked> %s</label>\n",
				    (long long)chosen[i], arena_printf(a, "Team %lld", (long long)chosen[i]));
	}
	html_RAW(b, "</fieldset>\n");
}

static void option_list(arena *a, const char *const *codes, size_t n, const char *(*label)(const char *),
			form_option **out)
{
	*out = arena_calloc(a, n, sizeof **out);
	for (size_t i = 0; i < n; i++) (*out)[i] = (form_option){codes[i], label(codes[i])};
}

static void session_form(req *rq, buf *b, const char *to, const session_input *in, const form_errors *e,
			 bool create, const pickers *pk)
{
	arena *a = rq->a;
	form_begin(b, to, rq->actor->csrf, e);
	size_t nk;
	const char *const *kinds = session_kinds(&nk);
	form_option *ko;
	option_list(a, kinds, nk, session_kind_label, &ko);
	form_select(b, "kind", "Kind", ko, nk, in->kind, true, e);
	form_input(b, "text", "title", "Title", in->title, true, NULL, e);
	form_input(b, "date", "on_date", "Date", in->on_date, true, NULL, e);
	static const form_option blocks[] = {
		{"", "Times below"}, {"am", "AM"}, {"pm", "PM"}, {"full", "Full day"}};
	form_select(b, "block", "Block", blocks, COUNT_OF(blocks), in->block, false, e);
	form_input(b, "time", "starts_at", "Starts", in->starts_at, false, "HH:MM; a block sets it", e);
	form_input(b, "time", "ends_at", "Ends", in->ends_at, false, NULL, e);
	form_input(b, "text", "time_zone", "Time zone", in->time_zone ? in->time_zone : "America/Chicago",
		   false, "IANA name", e);
	static const form_option formats[] = {
		{"in_person", "In person"}, {"virtual", "Virtual"}, {"hybrid", "Hybrid"}};
	form_select(b, "format", "Format", formats, COUNT_OF(formats), in->format, true, e);
	form_input(b, "text", "place", "Place", in->place, false, NULL, e);
	form_input(b, "url", "link", "Link", in->link, false, "for virtual and hybrid sessions", e);
	engagement_picker(b, pk, in->engagement_id, e);
	form_input(b, "text", "school_id", "School (id)", id_text(a, in->school_id), false,
		   "empty: district-wide", e);
	line_picker(b, pk, in->service_line_id, e);
	form_input(b, "text", "draw", "Draw (units of the line)", in->draw, false, "e.g. 0.5", e);
	form_checkbox(b, "over_commit", "Schedule beyond what the line holds (over-commit)", in->over_commit);
	people_picker(a, b, "facilitator_ids", "Facilitators", "coaches and partner staff of the engagement",
		      pk->coaches, pk->ncoaches, in->facilitators, in->nfacilitators, e);
	team_picker(a, b, pk, in->teams, in->nteams, e);
	people_picker(a, b, "person_ids", "Participants", "people of the district, one by one", pk->people,
		      pk->npeople, in->people, in->npeople, e);
	form_textarea(b, "agenda", "Agenda", in->agenda, false, "at most 20,000 characters", e);
	if (create) {
		static const form_option rep[] = {
			{"none", "Does not repeat"}, {"week", "Weekly"}, {"month", "Monthly (same weekday)"}};
		form_select(b, "repeat", "Repeat", rep, COUNT_OF(rep), req_form(rq, "repeat"), false, e);
		form_input(b, "number", "repeat_interval", "Every N weeks", req_form(rq, "repeat_interval"),
			   false, NULL, e);
		form_input(b, "date", "repeat_until", "Until", req_form(rq, "repeat_until"), false, NULL, e);
	}
	form_end(b, create ? "Schedule" : "Save");
}

static void form_page(req *rq, resp *rs, int status, const char *title, const char *to,
		      const session_input *in, const form_errors *e, bool create)
{
	pickers pk;
	if (pickers_load(rq, &pk) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, title, "calendar");
	layout_begin(b, &l);
	html_printf(b, "<h1>%s</h1>\n", title);
	session_form(rq, b, to, in, e, create, &pk);
	layout_end(b);
}

/* A failed change on a page: the form again beside the field (400, and a
 * refused overdraw, 409), or the error page. */
static void form_failed(req *rq, resp *rs, const outcome *o, const char *title, const char *to,
			const session_input *in, bool create)
{
	form_errors e = o->errors;
	if (o->status == 409 && o->field && !e.n) form_error_add(&e, o->field, o->message);
	if ((o->status == 400 && e.n) || o->status == 409)
		form_page(rq, rs, o->status, title, to, in, &e, create);
	else outcome_respond(rq, rs, o);
}

/*
** GET /sessions/new?engagement=ID
** The form that schedules a session or a recurring series.
** Permissions: signed in; the write is checked with may(CREATE, session).
*/
void page_session_new(req *rq, resp *rs)
{
	session_input in = {.format = "in_person"};
	const char *eng = req_query(rq, "engagement");
	if (eng) parse_i64(eng, 1, INT64_MAX, &in.engagement_id);
	form_errors e = {0};
	form_page(rq, rs, 200, "Schedule a session", "/sessions", &in, &e, true);
}

/*
** POST /sessions (form: the fields of the form, csrf)
** 303 to the new session; the form again with 400/409 beside the field.
** Permissions: may(CREATE, session) at the engagement's district or partner.
*/
void page_session_create(req *rq, resp *rs)
{
	form_errors e = {0};
	session_input in = form_session_input(rq, &e);
	session_repeat_parse(req_form(rq, "repeat"), req_form(rq, "repeat_interval"),
			     req_form(rq, "repeat_until"), &in.repeat, &e);
	outcome o = {0};
	if (e.n) {
		o.errors = e;
		outcome_fail(&o, 400, "invalid", e.items[0].message, e.items[0].field);
	} else {
		session_schedule(rq, &in, &o);
	}
	if (o.status) form_failed(rq, rs, &o, "Schedule a session", "/sessions", &in, true);
	else resp_redirect(rs, 303, arena_printf(rq->a, "/sessions/%lld?ok=created", (long long)o.id));
}

/*
** GET /sessions/{id}/edit
** Permissions: may(UPDATE, session).
*/
void page_session_edit(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	if (!may_session(rq, ACT_UPDATE, &s)) {
		resp_error(rq, rs, 403, "forbidden", "you may not change this session", NULL);
		return;
	}
	session_input in = session_input_of(rq->a, &s);
	if (session_parties_input(rq, &s, &in) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	form_errors e = {0};
	form_page(rq, rs, 200, "Edit session", arena_printf(rq->a, "/sessions/%lld", (long long)s.id), &in,
		  &e, false);
}

/*
** POST /sessions/{id} (form: the fields of the form, csrf)
** Permissions: may(UPDATE, session).
*/
void page_session_update(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	form_errors e = {0};
	session_input in = form_session_input(rq, &e);
	outcome o = {0};
	if (e.n) {
		o.errors = e;
		outcome_fail(&o, 400, "invalid", e.items[0].message, e.items[0].field);
	} else {
		session_change(rq, &s, &in, &o);
	}
	const char *to = arena_printf(rq->a, "/sessions/%lld", (long long)s.id);
	if (o.status) form_failed(rq, rs, &o, "Edit session", to, &in, false);
	else resp_redirect(rs, 303, arena_printf(rq->a, "%s?ok=saved", to));
}

/* ---- one session ---- */

static void party_list(buf *b, const char *heading, const session_party *p, size_t n)
{
	html_printf(b, "<h2>%s</h2>\n", heading);
	if (!n) {
		html_printf(b, "<p class=\"muted\">None.</p>\n");
		return;
	}
	html_printf(b, "<ul>\n");
	for (size_t i = 0; i < n; i++) html_printf(b, "<li>%s</li>\n", p[i].name);
	html_printf(b, "</ul>\n");
}

static void session_facts(req *rq, buf *b, const pl_session *s)
{
	const char *block = session_block_label(s->block);
	html_printf(b,
		    "<dl class=\"facts\">\n<dt>Kind</dt><dd>%s</dd>\n<dt>Status</dt>"
		    "<dd class=\"status-%s\">%s</dd>\n<dt>When</dt><dd>%s%s%s, %s–%s (%s)</dd>\n",
		    session_kind_label(s->kind), s->status, s->status, s->on_date, block ? " " : "",
		    block ? block : "", s->starts_at ? s->starts_at : "", s->ends_at ? s->ends_at : "",
		    s->time_zone);
	if (s->cancel_reason) html_printf(b, "<dt>Why cancelled</dt><dd>%s</dd>\n", s->cancel_reason);
	html_printf(b, "<dt>Format</dt><dd>%s</dd>\n", session_format_label(s->format));
	if (s->place) html_printf(b, "<dt>Place</dt><dd>%s</dd>\n", s->place);
	if (s->link) html_printf(b, "<dt>Link</dt><dd><a href=\"%s\">%s</a></dd>\n", s->link, s->link);
	html_printf(b, "<dt>Where</dt><dd>%s</dd>\n",
		    s->school_name             ? s->school_name
			    : s->district_name ? s->district_name
					       : "—");
	if (s->engagement_id)
		html_printf(b, "<dt>Engagement</dt><dd><a href=\"/engagements/%lld\">%s</a></dd>\n",
			    (long long)s->engagement_id, s->engagement_title);
	if (s->service_line_id)
		html_printf(b, "<dt>Draws on</dt><dd>%s of %s%s</dd>\n",
			    session_units_text(rq->a, s->draw_milli),
			    s->line_label ? s->line_label : "the line",
			    s->over_commit ? " <strong class=\"over\">(over-commit)</strong>" : "");
	html_printf(b, "</dl>\n");
}

static void session_actions(req *rq, buf *b, const pl_session *s)
{
	if (!may_session(rq, ACT_UPDATE, s) || str_eq(s->status, "cancelled")) return;
	html_printf(b,
		    "<p class=\"actions\"><a class=\"button\" href=\"/sessions/%lld/edit\">Edit</a> "
		    "<a class=\"button\" href=\"/sessions/%lld/attendance\">Attendance</a></p>\n",
		    (long long)s->id, (long long)s->id);
	if (str_eq(s->status, "planned")) {
		form_button(b, arena_printf(rq->a, "/sessions/%lld/deliver", (long long)s->id),
			    rq->actor->csrf, "Mark delivered", NULL, NULL, NULL);
		form_errors none = {0};
		form_begin(b, arena_printf(rq->a, "/sessions/%lld/cancel", (long long)s->id), rq->actor->csrf,
			   &none);
		form_input(b, "text", "reason", "Reason for cancelling", NULL, true, NULL, &none);
		form_end(b, "Cancel session");
	}
}

void session_page_render(req *rq, resp *rs, int status, const pl_session *s,
			 const form_errors *material_errors)
{
	session_party *f, *p, *t;
	session_material *m;
	size_t nf, np, nt, nm;
	if (pl_session_facilitators(rq->db, rq->a, s->id, &f, &nf) != STORE_OK ||
	    pl_session_people(rq->db, rq->a, s->id, &p, &np) != STORE_OK ||
	    pl_session_teams(rq->db, rq->a, s->id, &t, &nt) != STORE_OK ||
	    material_list(rq->db, rq->a, s->id, &m, &nm) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, s->title, "calendar");
	layout_begin(b, &l);
	html_printf(b, "<h1>%s</h1>\n", s->title);
	session_facts(rq, b, s);
	session_actions(rq, b, s);
	party_list(b, "Facilitators", f, nf);
	party_list(b, "Teams", t, nt);
	party_list(b, "People", p, np);
	if (s->agenda) html_printf(b, "<h2>Agenda</h2>\n<pre class=\"agenda\">%s</pre>\n", s->agenda);
	session_materials_html(rq, b, s, m, nm, material_errors);
	layout_end(b);
}

/*
** GET /sessions/{id}
** The session: when, where, format, line and draw, facilitators,
** participants, agenda, materials; deliver, cancel, attendance, edit and
** adding materials when allowed.
** Permissions: may(READ, session).
*/
void page_session(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	form_errors none = {0};
	session_page_render(rq, rs, 200, &s, &none);
}

/*
** POST /sessions/{id}/deliver (form: csrf)
** Permissions: may(UPDATE, session): facilitators and session editors.
*/
void page_session_deliver(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	outcome o;
	session_deliver(rq, &s, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/sessions/%lld?ok=saved", (long long)s.id));
}

/*
** POST /sessions/{id}/cancel (form: reason, csrf)
** Permissions: may(UPDATE, session). The reason is required.
*/
void page_session_cancel(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	outcome o;
	session_cancel(rq, &s, text_trim(rq->a, req_form(rq, "reason")), &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/sessions/%lld?ok=saved", (long long)s.id));
}

/* ---- attendance ---- */

/*
** GET /sessions/{id}/attendance
** Everyone taking part (people and members of the teams) with a big
** present/absent toggle each, for a phone. Permissions: may(UPDATE, session).
*/
void page_session_attendance(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	if (!may_session(rq, ACT_UPDATE, &s)) {
		resp_error(rq, rs, 403, "forbidden", "only the facilitators record attendance", NULL);
		return;
	}
	session_party *roll;
	size_t n;
	if (pl_session_roll(rq->db, rq->a, s.id, &roll, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Attendance", "calendar");
	layout_begin(b, &l);
	html_printf(b, "<h1>Attendance: %s</h1>\n<p>%s</p>\n", s.title, s.on_date);
	form_errors none = {0};
	form_begin(b, arena_printf(rq->a, "/sessions/%lld/attendance", (long long)s.id), rq->actor->csrf,
		   &none);
	html_printf(b, "<fieldset class=\"attendance\"><legend>Who was there</legend>\n");
	for (size_t i = 0; i < n; i++)
		html_printf(
			b,
			"<label class=\"toggle\"><input type=\"checkbox\" name=\"present\" value=\"%lld\"%s> "
			"%s</label>\n",
			(long long)roll[i].id, roll[i].present ? " checked" : "", roll[i].name);
	if (!n) html_printf(b, "<p>No one takes part yet.</p>\n");
	html_printf(b, "</fieldset>\n");
	form_end(b, "Save attendance");
	layout_end(b);
}

/*
** POST /sessions/{id}/attendance (form: present (repeated ids), csrf)
** Permissions: may(UPDATE, session).
*/
void page_session_attendance_save(req *rq, resp *rs)
{
	pl_session s;
	if (!session_load(rq, rs, &s)) return;
	int64_t *present;
	size_t n;
	if (!req_form_ids(rq, "present", SESSION_PEOPLE_MAX, &present, &n)) {
		resp_error(rq, rs, 400, "invalid", "present must be people's ids", "present");
		return;
	}
	outcome o;
	session_record_attendance(rq, &s, present, n, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/sessions/%lld?ok=saved", (long long)s.id));
}

/* ---- the collaborative coaching grid ---- */

static void grid_table(req *rq, buf *b, const grid_block *g, size_t n, int64_t grid_id, int k)
{
	size_t count = 0;
	grid_block *mine = arena_calloc(rq->a, n ? n : 1, sizeof *mine);
	for (size_t i = 0; i < n; i++)
		if (g[i].grid_id == grid_id) mine[count++] = g[i];
	int days = 0;
	for (size_t i = 0; i < count; i++) days = mine[i].day > days ? mine[i].day : days;
	html_table_open(b);
	html_printf(
		b,
		"<caption>Collaborative coaching cycle %d</caption>\n<thead><tr><th scope=\"col\">Time</th>",
		k);
	for (int d = 1; d <= days; d++) {
		const char *date = "";
		for (size_t i = 0; i < count; i++)
			if (mine[i].day == d) date = mine[i].on_date;
		html_printf(b, "<th scope=\"col\">Day %d<br><span class=\"muted\">%s</span></th>", d, date);
	}
	html_printf(b, "</tr></thead>\n<tbody>\n");
	static const char *const blocks[] = {"am", "pm"};
	for (size_t r = 0; r < 2; r++) {
		html_printf(b, "<tr><th scope=\"row\">%s</th>", session_block_label(blocks[r]));
		for (int d = 1; d <= days; d++) {
			const grid_block *x = session_grid_at(mine, count, d, blocks[r]);
			if (!x) html_printf(b, "<td>—</td>");
			else
				html_printf(b,
					    "<td class=\"status-%s\"><a href=\"/sessions/%lld\">%s</a>"
					    "<br><span class=\"muted\">%s</span></td>",
					    x->status, (long long)x->session_id,
					    x->team_name ? x->team_name : "(no team)", x->status);
		}
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* The engagement's grid blocks whose sessions the actor may read: the
 * grid shows only those. */
static store_rc readable_grid(req *rq, int64_t engagement_id, grid_block **g, size_t *n)
{
	store_rc rc = pl_session_grid(rq->db, rq->a, engagement_id, g, n);
	size_t k = 0;
	for (size_t i = 0; i < *n && rc == STORE_OK; i++) {
		pl_session s;
		bool found;
		rc = pl_session_get(rq->db, rq->a, (*g)[i].session_id, rq->actor->person_id, &s, &found);
		if (rc == STORE_OK && found && may_session(rq, ACT_READ, &s)) (*g)[k++] = (*g)[i];
	}
	*n = k;
	return rc;
}

/*
** GET /engagements/{id}/grid
** The engagement's collaborative coaching grids, rows AM and PM, columns
** Day 1..N with dates, a team per block.
** Permissions: each block through may(READ, session).
*/
void page_grid(req *rq, resp *rs)
{
	int64_t eid;
	if (!param_id(rq, rs, "id", &eid)) return;
	grid_block *g;
	size_t k;
	grid_tools_view tools;
	if (readable_grid(rq, eid, &g, &k) != STORE_OK || grid_tools_load(rq, eid, &tools) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Collaborative coaching", "calendar");
	layout_begin(b, &l);
	html_printf(b,
		    "<h1>Collaborative coaching</h1>\n<p><a href=\"/engagements/%lld\">Back to the "
		    "engagement</a></p>\n",
		    (long long)eid);
	if (!k) html_printf(b, "<p>No collaborative coaching days are scheduled.</p>\n");
	int64_t last = 0;
	int cycle = 0;
	for (size_t i = 0; i < k; i++)
		if (g[i].grid_id != last) {
			last = g[i].grid_id;
			grid_table(rq, b, g, k, last, ++cycle);
		}
	/* The swap forms and the builder (grid_pages.c). */
	grid_tools(rq, b, eid, &tools, g, k);
	layout_end(b);
}

/*
** POST /engagements/{id}/grid (form: date (repeated), am_team/pm_team
** (repeated, one per date, "" for none), service_line_id, title,
** facilitator_ids, over_commit, csrf)
** Permissions: may(CREATE, session) for the engagement.
*/
void page_grid_create(req *rq, resp *rs)
{
	int64_t eid;
	if (!param_id(rq, rs, "id", &eid)) return;
	grid_input g = {.engagement_id = eid, .title = text_trim(rq->a, req_form(rq, "title"))};
	g.dates = arena_calloc(rq->a, SESSION_GRID_DAYS_MAX + 1, sizeof *g.dates);
	g.teams = arena_calloc(rq->a, 2 * SESSION_GRID_DAYS_MAX + 2, sizeof *g.teams);
	size_t nam = 0, npm = 0;
	for (size_t i = 0; i < rq->form.n; i++) {
		const kv *f = &rq->form.items[i];
		int64_t id = 0;
		if (str_eq(f->key, "date") && g.ndays < SESSION_GRID_DAYS_MAX + 1)
			g.dates[g.ndays++] = f->value;
		else if (str_eq(f->key, "am_team") && nam <= SESSION_GRID_DAYS_MAX)
			g.teams[2 * nam++] = parse_i64(f->value, 1, INT64_MAX, &id) ? id : 0;
		else if (str_eq(f->key, "pm_team") && npm <= SESSION_GRID_DAYS_MAX)
			g.teams[2 * npm++ + 1] = parse_i64(f->value, 1, INT64_MAX, &id) ? id : 0;
	}
	const char *line = req_form(rq, "service_line_id");
	if (line && *line) parse_i64(line, 1, INT64_MAX, &g.service_line_id);
	if (!req_form_ids(rq, "facilitator_ids", SESSION_PEOPLE_MAX, &g.facilitators, &g.nfacilitators)) {
		resp_error(rq, rs, 400, "invalid", "facilitators must be people's ids", "facilitator_ids");
		return;
	}
	g.over_commit = str_eq(req_form(rq, "over_commit"), "1");
	outcome o;
	session_grid_create(rq, &g, &o);
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "/engagements/%lld/grid?ok=created", (long long)eid));
}

/*
** POST /engagements/{id}/grid/move (form: from, to — session ids, csrf)
** Swaps the teams of two blocks in one transaction.
** Permissions: may(UPDATE, session) for both blocks.
*/
void page_grid_move(req *rq, resp *rs)
{
	int64_t eid, from = 0, to = 0;
	if (!param_id(rq, rs, "id", &eid)) return;
	const char *f = req_form(rq, "from"), *t = req_form(rq, "to");
	if (!f || !parse_i64(f, 1, INT64_MAX, &from)) {
		resp_error(rq, rs, 400, "invalid", "from must be a block's session id", "from");
		return;
	}
	if (!t || !parse_i64(t, 1, INT64_MAX, &to)) {
		resp_error(rq, rs, 400, "invalid", "to must be a block's session id", "to");
		return;
	}
	outcome o;
	session_grid_move(rq, eid, from, to, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/engagements/%lld/grid?ok=saved", (long long)eid));
}
