/* Coaching-cycle pages: my cycles, starting one, a cycle with its stages,
 * the stage editor with the enactment's note taker, evidence files,
 * sharing, the export and a teacher's history. Content shows only to the
 * cycle's members and to those a teacher shared it with (cycle_load and
 * cycle_stage_readable decide); every control shows only to those the
 * policy lets use it, and the changes check again. */
#include <stdlib.h>
#include <string.h>

#include "../access/actor.h"
#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../calendar/session.h"
#include "../html/html.h"
#include "../org/org.h"
#include "../people/people.h"
#include "../roster/roster.h"
#include "../team/team.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_web.h"

enum {
	PICKER_PAGES_MAX = 40, /* pages of people one picker reads at most */
	CLASS_CHOICES_MAX = 200
};

/* The accepted evidence, for the file chooser: the server checks content. */
static const char EVIDENCE_ACCEPT[] = "image/*,video/*,audio/*,.pdf,.docx,.xlsx,.pptx,.txt";

/* ---- small pieces ---- */

static const char *id_text(arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : "";
}

static const char *cycle_href(arena *a, int64_t id)
{
	return arena_printf(a, "/cycles/%lld", (long long)id);
}

static const char *stage_href(arena *a, int64_t cycle_id, int64_t stage_id)
{
	return arena_printf(a, "/cycles/%lld/stages/%lld", (long long)cycle_id, (long long)stage_id);
}

static const char *kind_label(cycle_kind k)
{
	return k == CYCLE_COLLABORATIVE ? "Collaborative" : "Individual";
}

/* A stage as a heading names it: the plan, an enactment, the reflection. */
static const char *stage_noun(stage_kind st)
{
	static const char *const nouns[STAGE_COUNT] = {"Plan", "Enactment", "Reflection"};
	return (unsigned)st < STAGE_COUNT ? nouns[st] : stage_label(st);
}

/* "Enactment · Tom Becker" for one teacher's enactment, else the stage. */
static const char *stage_title(arena *a, const cycle_stage *st)
{
	if (st->stage == STAGE_ENACT && st->teacher_name)
		return arena_printf(a, "%s · %s", stage_noun(st->stage), st->teacher_name);
	return stage_noun(st->stage);
}

static const char *stage_status(const cycle_stage *st)
{
	if (st->complete) return "Complete";
	return st->version ? "Draft" : "Not started";
}

/* A time in UTC, with its instant for coachd.js to show in the reader's
 * own zone (the server does not know where the classroom is). */
static void time_html(arena *a, buf *b, int64_t at, bool clock_only)
{
	const char *shown = time_text_utc(a, at); /* "2025-03-04 14:05 UTC" */
	if (clock_only && strlen(shown) > 11) shown += 11;
	html_printf(b, "<time datetime=\"%s\" data-local=\"%s\">%s</time>", time_iso_utc(a, at),
		    clock_only ? "time" : "datetime", shown);
}

static const char *size_text(arena *a, int64_t bytes)
{
	if (bytes >= 10 << 20) return arena_printf(a, "%lld MB", (long long)(bytes >> 20));
	if (bytes >= 1 << 20) return arena_printf(a, "%.1f MB", (double)bytes / (1 << 20));
	return arena_printf(a, "%lld KB", (long long)((bytes + 1023) / 1024));
}

/* The teachers of an individual cycle, or the team of a collaborative one. */
static const char *cycle_people_text(arena *a, const coaching_cycle *c, bool coaches)
{
	const char *out = NULL;
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].coach == coaches)
			out = out ? arena_printf(a, "%s, %s", out, c->members[i].name) : c->members[i].name;
	return out ? out : "—";
}

static const char *cycle_who(arena *a, const coaching_cycle *c)
{
	if (c->kind == CYCLE_COLLABORATIVE && c->team_name) return c->team_name;
	return cycle_people_text(a, c, false);
}

static const char *cycle_title(const coaching_cycle *c)
{
	return c->title && *c->title ? c->title : "Coaching cycle";
}

static bool may_edit_content(const req *rq, const coaching_cycle *c)
{
	return c->state != CYCLE_CLOSED && may_cycle(rq, ACT_UPDATE, c);
}

static void crumbs(req *rq, buf *b, const coaching_cycle *c)
{
	html_printf(b, "<p class=\"crumbs\"><a href=\"/cycles\">Coaching cycles</a>");
	if (c) html_printf(b, " › <a href=\"%s\">%s</a>", cycle_href(rq->a, c->id), cycle_title(c));
	html_printf(b, "</p>\n");
}

/* The banner a share holder reads: whose trust they hold, and that it is
 * theirs to read only. */
static void shared_banner(req *rq, buf *b, const coaching_cycle *c)
{
	if (cycle_is_member(c, actor_id(rq))) return;
	const cycle_share *s = cycle_share_for(c, actor_id(rq));
	if (!s) return;
	html_printf(b, "<div class=\"shared-banner\" role=\"note\"><p>Shared with you by %s (read only)%s.</p></div>\n",
		    s->shared_by_name ? s->shared_by_name : "a teacher",
		    s->stage >= 0 ? arena_printf(rq->a, ": the %s only", stage_noun((stage_kind)s->stage))
				  : "");
}

static bool id_in(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id) return true;
	return false;
}

static bool form_id(req *rq, const char *field, int64_t min, int64_t *out, form_errors *e,
		    const char *message)
{
	const char *v = text_trim(rq->a, req_form(rq, field));
	*out = 0;
	if (!v || !*v) return true;
	if (parse_i64(v, min, INT64_MAX, out)) return true;
	form_error_add(e, field, message);
	return false;
}

/* ---- the list ---- */

static bool read_cycle_filter(req *rq, resp *rs, cycle_filter *f, bool *reflections)
{
	*f = (cycle_filter){.state = -1};
	const char *q = req_query(rq, "q"), *state = req_query(rq, "state"), *view = req_query(rq, "view");
	if (q && *q) {
		if (strlen(q) > SEARCH_MAX_BYTES) {
			resp_error(rq, rs, 400, "bad_query", "the search is longer than 200 characters", "q");
			return false;
		}
		f->q = q;
	}
	if (state && *state) {
		cycle_state s;
		if (!cycle_state_parse(state, &s)) {
			resp_error(rq, rs, 400, "bad_state",
				   "state must be planning, enacted, reflected or closed", "state");
			return false;
		}
		f->state = (int)s;
	}
	*reflections = str_eq(view, "reflections");
	if (view && *view && !*reflections) {
		resp_error(rq, rs, 400, "bad_view", "view must be reflections or left out", "view");
		return false;
	}
	return true;
}

/* The cycles the store offers, each checked with may() again. */
static store_rc cycles_visible(req *rq, const cycle_filter *f, coaching_cycle **out, size_t *n)
{
	coaching_cycle *list;
	size_t all;
	store_rc rc = cycle_list(rq->db, rq->a, actor_id(rq), f, &list, &all);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < all; i++)
		if (may_cycle(rq, ACT_READ, &list[i])) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

static void cycle_card(req *rq, buf *b, const coaching_cycle *c)
{
	arena *a = rq->a;
	html_printf(b, "<li class=\"card cycle-card\">\n<h3><a href=\"%s\">%s</a></h3>\n<p class=\"muted\">%s · %s",
		    cycle_href(a, c->id), cycle_title(c), kind_label(c->kind), cycle_who(a, c));
	if (c->school_name) html_printf(b, " · %s", c->school_name);
	html_printf(b, "</p>\n");
	if (c->lesson_on && c->state == CYCLE_PLANNING)
		html_printf(b, "<p>Lesson on <strong>%s</strong></p>\n", c->lesson_on);
	else if (c->state == CYCLE_CLOSED)
		html_printf(b, "<p class=\"muted\">Started %s</p>\n", c->started_on ? c->started_on : "");
	if (!cycle_is_member(c, actor_id(rq))) {
		const cycle_share *s = cycle_share_for(c, actor_id(rq));
		if (s)
			html_printf(b, "<p class=\"shared-mark\">Shared with you by %s</p>\n",
				    s->shared_by_name ? s->shared_by_name : "a teacher");
	}
	html_printf(b, "</li>\n");
}

/* On a phone the cycles come first: the search is folded unless used. */
static void filter_form(buf *b, const cycle_filter *f)
{
	html_printf(b, "<details class=\"filters\"%s><summary>Search</summary>\n", f->q || f->state >= 0 ? " open" : "");
	html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/cycles\">\n"
		       "<div class=\"field\"><label for=\"q\">Search my cycles</label>"
		       "<input id=\"q\" name=\"q\" type=\"search\" value=\"%s\"></div>\n"
		       "<div class=\"field\"><label for=\"state\">Where it stands</label>"
		       "<select id=\"state\" name=\"state\"><option value=\"\">Any</option>\n",
		    f->q ? f->q : "");
	for (int s = 0; s < CYCLE_STATE_COUNT; s++)
		html_printf(b, "<option value=\"%s\"%s>%s</option>\n", cycle_state_name((cycle_state)s),
			    f->state == s ? " selected" : "", cycle_state_label((cycle_state)s));
	html_printf(b, "</select></div>\n<button type=\"submit\">Show</button>\n</form>\n</details>\n");
}

static void cycles_grouped(req *rq, buf *b, const coaching_cycle *list, size_t n)
{
	for (int s = 0; s < CYCLE_STATE_COUNT; s++) {
		size_t count = 0;
		for (size_t i = 0; i < n; i++) count += list[i].state == (cycle_state)s;
		if (!count) continue;
		const char *label = cycle_state_label((cycle_state)s);
		/* Closed cycles are history: folded so the open ones lead. */
		if (s == CYCLE_CLOSED)
			html_printf(b, "<details class=\"closed-cycles\"><summary><h2>%s <span class=\"muted\">(%zu)</span>"
				       "</h2></summary>\n",
				    label, count);
		else
			html_printf(b, "<h2>%s <span class=\"muted\">(%zu)</span></h2>\n", label, count);
		html_printf(b, "<ul class=\"cycle-list\">\n");
		for (size_t i = 0; i < n; i++)
			if (list[i].state == (cycle_state)s) cycle_card(rq, b, &list[i]);
		html_printf(b, "</ul>\n");
		if (s == CYCLE_CLOSED) html_printf(b, "</details>\n");
	}
}

static void no_cycles(buf *b, const cycle_filter *f, bool may_start)
{
	if (f->q || f->state >= 0) html_printf(b, "<p>No cycle matches.</p>\n");
	else if (may_start) html_printf(b, "<p>No coaching cycles yet. Start one with a teacher or a team.</p>\n");
	else
		html_printf(b, "<p>You have no coaching cycles. Coaching cycles are private to their coach and "
			       "teachers; one appears here only when you are in it or a teacher shares it with you.</p>\n");
}

/* The reflect stage of c and its next steps, when the asker may read it. */
static const char *next_steps_key(void)
{
	size_t n;
	const stage_field *f = stage_fields(STAGE_REFLECT, &n);
	for (size_t i = 0; i < n; i++)
		if (strstr(f[i].key, "next")) return f[i].key;
	return "next_steps";
}

static store_rc reflection_card(req *rq, buf *b, const coaching_cycle *c, bool *shown)
{
	cycle_stage *st;
	size_t n;
	store_rc rc = cycle_stages_get(rq->db, rq->a, c->id, &st, &n);
	if (rc != STORE_OK) return rc;
	for (size_t i = 0; i < n; i++) {
		if (st[i].stage != STAGE_REFLECT || !st[i].version) continue;
		if (!cycle_stage_readable(c, actor_id(rq), &st[i])) continue;
		const char *next = stage_answer(&st[i], next_steps_key());
		html_printf(b, "<li class=\"card\">\n<h2><a href=\"%s\">%s</a></h2>\n<p class=\"muted\">%s · %s · %s</p>\n",
			    stage_href(rq->a, c->id, st[i].id), cycle_title(c), cycle_who(rq->a, c),
			    stage_status(&st[i]), c->started_on ? c->started_on : "");
		if (next && *next) html_printf(b, "<h3>Next steps</h3>\n<p class=\"prewrap\">%s</p>\n", next);
		html_printf(b, "</li>\n");
		*shown = true;
	}
	return STORE_OK;
}

static void reflections_page(req *rq, resp *rs, const coaching_cycle *list, size_t n)
{
	buf body = BUF_INIT;
	bool shown = false;
	for (size_t i = 0; i < n; i++)
		if (reflection_card(rq, &body, &list[i], &shown) != STORE_OK) {
			buf_free(&body);
			resp_store_failed(rq, rs);
			return;
		}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "My reflections", "cycles");
	layout_begin(b, &l);
	crumbs(rq, b, NULL);
	html_printf(b, "<h1>My reflections</h1>\n");
	if (!shown) html_printf(b, "<p>No reflections yet. A cycle's reflection appears here once it is begun.</p>\n");
	else {
		html_printf(b, "<ul class=\"cycle-list\">\n");
		html_RAW(b, buf_cstr(&body));
		html_printf(b, "</ul>\n");
	}
	buf_free(&body);
	layout_end(b);
}

/*
** GET /cycles?q=TEXT&state=STATE&view=reflections
** "Coaching cycles": the cycles I am in or that a teacher shared with me,
** grouped by where they stand (closed ones folded), with kind, teachers or
** team, school, the lesson's date and a "shared with you by" mark; a search
** over titles and what I may read. view=reflections lists the reflections
** I may read with their next steps.
** Permissions: signed in; each cycle through may(READ, coaching).
*/
void page_cycles(req *rq, resp *rs)
{
	cycle_filter f;
	bool reflections;
	if (!read_cycle_filter(rq, rs, &f, &reflections)) return;
	coaching_cycle *list;
	size_t n;
	if (cycles_visible(rq, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (reflections) {
		reflections_page(rq, rs, list, n);
		return;
	}
	bool may_start = may_act_somewhere(rq, REC_COACHING, ACT_CREATE);
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Coaching cycles", "cycles");
	layout_begin(b, &l);
	html_printf(b, "<h1>Coaching cycles</h1>\n<p class=\"actions\">");
	if (may_start) html_printf(b, "<a class=\"button\" href=\"/cycles/new\">Start a cycle</a> ");
	if (actor_has_role(rq->actor, ROLE_TEACHER))
		html_printf(b, "<a class=\"button button-secondary\" href=\"/cycles?view=reflections\">My reflections</a>");
	html_printf(b, "</p>\n");
	if (n || f.q || f.state >= 0) filter_form(b, &f);
	if (!n) no_cycles(b, &f, may_start);
	else cycles_grouped(rq, b, list, n);
	layout_end(b);
}

/*
** GET /people/{id}/cycles
** A teacher's history: the cycles in which person {id} is a teacher that
** the asker may read (a coach sees their cycles with that teacher over
** time), oldest first.
** Permissions: may(READ, person), else 404; each cycle through
** may(READ, coaching).
*/
void page_teacher_cycles(req *rq, resp *rs)
{
	person p;
	if (!person_load(rq, rs, &p)) return;
	cycle_filter f = {.teacher_id = p.id, .state = -1};
	coaching_cycle *list;
	size_t n;
	if (cycles_visible(rq, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const char *title = arena_printf(rq->a, "Coaching cycles with %s", p.name);
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, title, "cycles");
	layout_begin(b, &l);
	crumbs(rq, b, NULL);
	html_printf(b, "<h1>%s</h1>\n", title);
	if (!n) {
		html_printf(b, "<p>No cycle with %s that you may read.</p>\n", p.name);
		layout_end(b);
		return;
	}
	html_table_open(b);
	html_printf(b, "\n<thead><tr><th scope=\"col\">Started</th><th scope=\"col\">Cycle</th>"
		       "<th scope=\"col\">Kind</th><th scope=\"col\">Stands</th></tr></thead>\n<tbody>\n");
	for (size_t i = n; i-- > 0;) {
		const coaching_cycle *c = &list[i];
		html_printf(b, "<tr><td>%s</td><td><a href=\"%s\">%s</a></td><td>%s</td><td>%s</td></tr>\n",
			    c->started_on ? c->started_on : "", cycle_href(rq->a, c->id), cycle_title(c),
			    kind_label(c->kind), cycle_state_label(c->state));
	}
	html_printf(b, "</tbody></table></div>\n");
	layout_end(b);
}

/* ---- starting a cycle ---- */

/* What the start form offers, each read through the policy. */
typedef struct start_choices {
	org *schools;
	size_t nschools;
	person **teachers;      /* per school */
	size_t *nteachers;
	team *teams;
	size_t nteams;
	person *coaches;
	size_t ncoaches;
	cycle_template *templates;
	size_t ntemplates;
	pl_session *sessions;
	size_t nsessions;
} start_choices;

/* The form's values as given, for showing it again. */
typedef struct start_form {
	const char *kind;
	cycle_input in;
} start_form;

static bool may_start_at(const req *rq, const org *school)
{
	coaching_cycle c = {.school_id = school->id, .district_id = school->parent_id};
	place pl[1];
	record r = cycle_record(pl, &c);
	return may(rq->actor, ACT_CREATE, &r);
}

static store_rc schools_load(req *rq, start_choices *ch)
{
	visibility v;
	policy_visibility(rq->actor, ACT_CREATE, REC_COACHING, &v);
	org *all;
	size_t n;
	store_rc rc = org_choices(rq->db, rq->a, "school", &v, &all, &n);
	if (rc != STORE_OK) return rc;
	ch->schools = all;
	ch->nschools = 0;
	for (size_t i = 0; i < n; i++)
		if (may_start_at(rq, &all[i])) ch->schools[ch->nschools++] = all[i];
	return STORE_OK;
}

/* Every person holding role at org whom the actor may read, each page. */
static store_rc people_at(req *rq, int64_t org_id, const char *role_name, person **out, size_t *n)
{
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	bool more = true;
	for (int64_t page = 1; more && page <= PICKER_PAGES_MAX; page++) {
		people_filter f = {.org_id = org_id, .role = role_name, .page = page};
		person *got;
		size_t ngot;
		store_rc rc = people_visible(rq, &f, &got, &ngot, &more);
		if (rc != STORE_OK) return rc;
		if (*n + ngot > cap) {
			cap = (*n + ngot) * 2 + 8;
			person *grown = arena_calloc(rq->a, cap, sizeof *grown);
			if (*n) memcpy(grown, *out, *n * sizeof *grown);
			*out = grown;
		}
		for (size_t i = 0; i < ngot; i++) (*out)[(*n)++] = got[i];
	}
	return STORE_OK;
}

static bool person_in(const person *list, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].id == id) return true;
	return false;
}

/* Coaches of the schools' districts and of the actor's partners, not the
 * actor (who is a coach of what they start anyway). */
static store_rc coaches_load(req *rq, start_choices *ch)
{
	visibility v;
	policy_visibility(rq->actor, ACT_CREATE, REC_COACHING, &v);
	size_t cap = 0;
	for (size_t d = 0; d < v.ndistricts; d++) {
		person *got;
		size_t n;
		store_rc rc = people_at(rq, v.districts[d], "coach", &got, &n);
		if (rc != STORE_OK) return rc;
		for (size_t i = 0; i < n; i++) {
			if (got[i].id == actor_id(rq) || person_in(ch->coaches, ch->ncoaches, got[i].id)) continue;
			if (ch->ncoaches == cap) {
				cap = cap ? cap * 2 : 16;
				person *grown = arena_calloc(rq->a, cap, sizeof *grown);
				if (ch->ncoaches) memcpy(grown, ch->coaches, ch->ncoaches * sizeof *grown);
				ch->coaches = grown;
			}
			ch->coaches[ch->ncoaches++] = got[i];
		}
	}
	return STORE_OK;
}

static bool school_offered(const start_choices *ch, int64_t org_id)
{
	for (size_t i = 0; i < ch->nschools; i++)
		if (ch->schools[i].id == org_id) return true;
	return false;
}

static store_rc teams_load(req *rq, start_choices *ch)
{
	team_filter f = {0};
	team *all;
	size_t n;
	store_rc rc = team_visible(rq, &f, &all, &n);
	if (rc != STORE_OK) return rc;
	ch->teams = all;
	ch->nteams = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].active && school_offered(ch, all[i].org_id)) ch->teams[ch->nteams++] = all[i];
	return STORE_OK;
}

/* The default, then the templates of the districts and partners the actor
 * reaches (the start checks the one chosen fits the school). */
static store_rc templates_load(req *rq, start_choices *ch)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_CYCLE_TEMPLATE, &v);
	cycle_template *list = NULL;
	size_t n = 0;
	if (v.ndistricts) {
		store_rc rc = cycle_template_list(rq->db, rq->a, v.districts, v.ndistricts, false, &list, &n);
		if (rc != STORE_OK) return rc;
	}
	ch->templates = arena_calloc(rq->a, n + 1, sizeof *ch->templates);
	cycle_template_default(&ch->templates[0]);
	ch->ntemplates = 1;
	for (size_t i = 0; i < n; i++)
		if (list[i].id && list[i].active) ch->templates[ch->ntemplates++] = list[i];
	return STORE_OK;
}

/* The coaching days the actor facilitates that are not cancelled. */
static store_rc sessions_load(req *rq, start_choices *ch)
{
	session_filter f = {.facilitator_id = actor_id(rq)};
	pl_session *all;
	size_t n;
	store_rc rc = session_visible(rq, &f, &all, &n);
	if (rc != STORE_OK) return rc;
	ch->sessions = all;
	ch->nsessions = 0;
	for (size_t i = 0; i < n; i++)
		if (!str_eq(all[i].status, "cancelled")) ch->sessions[ch->nsessions++] = all[i];
	return STORE_OK;
}

static store_rc start_choices_load(req *rq, start_choices *ch)
{
	*ch = (start_choices){0};
	store_rc rc = schools_load(rq, ch);
	if (rc != STORE_OK) return rc;
	ch->teachers = arena_calloc(rq->a, ch->nschools + 1, sizeof *ch->teachers);
	ch->nteachers = arena_calloc(rq->a, ch->nschools + 1, sizeof *ch->nteachers);
	for (size_t i = 0; i < ch->nschools && rc == STORE_OK; i++)
		rc = people_at(rq, ch->schools[i].id, "teacher", &ch->teachers[i], &ch->nteachers[i]);
	if (rc == STORE_OK) rc = teams_load(rq, ch);
	if (rc == STORE_OK) rc = coaches_load(rq, ch);
	if (rc == STORE_OK) rc = templates_load(rq, ch);
	if (rc == STORE_OK) rc = sessions_load(rq, ch);
	return rc;
}

/* An error for a field under any of the names the change may use. */
static const char *error_of(const form_errors *e, const char *a, const char *b)
{
	const char *m = form_error_for(e, a);
	return m ? m : b ? form_error_for(e, b) : NULL;
}

static void kind_field(buf *b, const start_form *sf, const form_errors *e)
{
	const char *error = error_of(e, "kind", NULL);
	html_printf(b, "<fieldset class=\"field%s\" id=\"kind\"", error ? " field-invalid" : "");
	form_control_described(b, "kind", NULL, error);
	html_printf(b, "><legend>Kind of cycle</legend>\n");
	form_field_error(b, "kind", error);
	bool collab = str_eq(sf->kind, "collaborative");
	html_printf(b, "<label class=\"check\"><input type=\"radio\" name=\"kind\" value=\"individual\"%s> "
		       "Individual: you and one or more teachers</label>\n"
		       "<label class=\"check\"><input type=\"radio\" name=\"kind\" value=\"collaborative\"%s> "
		       "Collaborative: you and a team, each teacher enacting the plan</label>\n</fieldset>\n",
		    collab ? "" : " checked", collab ? " checked" : "");
}

static void school_field(req *rq, buf *b, const start_choices *ch, const cycle_input *in,
			 const form_errors *e)
{
	form_option *o = arena_calloc(rq->a, ch->nschools + 1, sizeof *o);
	o[0] = (form_option){"", "Choose a school"};
	for (size_t i = 0; i < ch->nschools; i++)
		o[i + 1] = (form_option){id_text(rq->a, ch->schools[i].id),
					 ch->schools[i].parent_name
						 ? arena_printf(rq->a, "%s (%s)", ch->schools[i].name, ch->schools[i].parent_name)
						 : ch->schools[i].name};
	form_errors shown = {0};
	const char *error = error_of(e, "school_id", "school");
	if (error) form_error_add(&shown, "school_id", error);
	form_select(b, "school_id", "School", o, ch->nschools + 1, id_text(rq->a, in->school_id), true, &shown);
}

static void teachers_field(buf *b, const start_choices *ch, const cycle_input *in,
			   const form_errors *e)
{
	const char *error = error_of(e, "teachers", "teacher_ids");
	const char *hint = "of the school above; on a computer hold Ctrl or ⌘ to choose several";
	html_printf(b, "<div data-for-kind=\"individual\">\n");
	form_field_open(b, "teachers", "Teachers", hint, error);
	html_printf(b, "<select id=\"teachers\" name=\"teachers\" multiple size=\"6\"");
	form_control_described(b, "teachers", hint, error);
	html_printf(b, ">\n");
	for (size_t s = 0; s < ch->nschools; s++) {
		if (!ch->nteachers[s]) continue;
		html_printf(b, "<optgroup label=\"%s\" data-school=\"%lld\">\n", ch->schools[s].name,
			    (long long)ch->schools[s].id);
		for (size_t i = 0; i < ch->nteachers[s]; i++)
			html_printf(b, "<option value=\"%lld\"%s>%s</option>\n", (long long)ch->teachers[s][i].id,
				    id_in(in->teachers, in->nteachers, ch->teachers[s][i].id) ? " selected" : "",
				    ch->teachers[s][i].name);
		html_printf(b, "</optgroup>\n");
	}
	html_printf(b, "</select>\n</div>\n</div>\n");
}

static void team_field(buf *b, const start_choices *ch, const cycle_input *in,
		       const form_errors *e)
{
	const char *error = error_of(e, "team_id", "team");
	const char *hint = "its members are the cycle's teachers";
	html_printf(b, "<div data-for-kind=\"collaborative\">\n");
	form_field_open(b, "team_id", "Team", hint, error);
	html_printf(b, "<select id=\"team_id\" name=\"team_id\"");
	form_control_described(b, "team_id", hint, error);
	html_printf(b, ">\n<option value=\"\">Choose a team</option>\n");
	for (size_t s = 0; s < ch->nschools; s++) {
		bool any = false;
		for (size_t i = 0; i < ch->nteams; i++) {
			if (ch->teams[i].org_id != ch->schools[s].id) continue;
			if (!any)
				html_printf(b, "<optgroup label=\"%s\" data-school=\"%lld\">\n", ch->schools[s].name,
					    (long long)ch->schools[s].id);
			any = true;
			html_printf(b, "<option value=\"%lld\"%s>%s</option>\n", (long long)ch->teams[i].id,
				    ch->teams[i].id == in->team_id ? " selected" : "", ch->teams[i].name);
		}
		if (any) html_printf(b, "</optgroup>\n");
	}
	html_printf(b, "</select>\n</div>\n</div>\n");
}

static void coaches_field(buf *b, const start_choices *ch, const cycle_input *in, const form_errors *e)
{
	if (!ch->ncoaches) return;
	const char *error = error_of(e, "coaches", "coach_ids");
	const char *hint = "optional: coaches who work this cycle with you";
	form_field_open(b, "coaches", "Other coaches", hint, error);
	html_printf(b, "<select id=\"coaches\" name=\"coaches\" multiple size=\"%d\"",
		    ch->ncoaches > 4 ? 4 : (int)ch->ncoaches + 1);
	form_control_described(b, "coaches", hint, error);
	html_printf(b, ">\n");
	for (size_t i = 0; i < ch->ncoaches; i++)
		html_printf(b, "<option value=\"%lld\"%s>%s</option>\n", (long long)ch->coaches[i].id,
			    id_in(in->coaches, in->ncoaches, ch->coaches[i].id) ? " selected" : "",
			    ch->coaches[i].name);
	html_printf(b, "</select>\n</div>\n");
}

static void template_field(req *rq, buf *b, const start_choices *ch, const cycle_input *in,
			   const form_errors *e)
{
	form_option *o = arena_calloc(rq->a, ch->ntemplates, sizeof *o);
	for (size_t i = 0; i < ch->ntemplates; i++) {
		const cycle_template *t = &ch->templates[i];
		o[i] = (form_option){arena_printf(rq->a, "%lld", (long long)t->id),
				     t->id ? arena_printf(rq->a, "%s (%s)", t->name, t->org_name ? t->org_name : "")
					   : arena_printf(rq->a, "%s (built in)", t->name)};
	}
	form_errors shown = {0};
	const char *error = error_of(e, "template_id", "template");
	if (error) form_error_add(&shown, "template_id", error);
	form_select(b, "template_id", "Prompts (template)", o, ch->ntemplates,
		    arena_printf(rq->a, "%lld", (long long)in->template_id), false, &shown);
}

static void session_field(req *rq, buf *b, const pl_session *list, size_t n, int64_t chosen,
			  const form_errors *e, const char *label)
{
	form_option *o = arena_calloc(rq->a, n + 2, sizeof *o);
	size_t k = 0;
	o[k++] = (form_option){"0", "None"};
	bool listed = false;
	/* The latest first: a cycle counts against a recent coaching day. */
	for (size_t i = n; i-- > 0;) {
		const char *block = session_block_label(list[i].block);
		listed |= list[i].id == chosen;
		o[k++] = (form_option){id_text(rq->a, list[i].id),
				       arena_printf(rq->a, "%s%s%s · %s", list[i].on_date, block ? " " : "",
						    block ? block : "", list[i].title)};
	}
	if (chosen && !listed)
		o[k++] = (form_option){id_text(rq->a, chosen), arena_printf(rq->a, "Session %lld", (long long)chosen)};
	form_errors shown = {0};
	const char *error = error_of(e, "session_id", "session");
	if (error) form_error_add(&shown, "session_id", error);
	form_select(b, "session_id", label, o, k, chosen ? id_text(rq->a, chosen) : "0", false, &shown);
}

static void start_page(req *rq, resp *rs, int status, const start_form *sf, const form_errors *e)
{
	start_choices ch;
	if (start_choices_load(rq, &ch) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const cycle_input *in = &sf->in;
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Start a coaching cycle", "cycles");
	layout_begin(b, &l);
	crumbs(rq, b, NULL);
	html_printf(b, "<h1>Start a coaching cycle</h1>\n");
	if (!ch.nschools)
		html_printf(b, "<p>There is no school where you may start a cycle.</p>\n");
	form_begin(b, "/cycles", rq->actor->csrf, e);
	kind_field(b, sf, e);
	school_field(rq, b, &ch, in, e);
	teachers_field(b, &ch, in, e);
	team_field(b, &ch, in, e);
	coaches_field(b, &ch, in, e);
	template_field(rq, b, &ch, in, e);
	form_input(b, "text", "title", "Title", in->title, false,
		   "optional; e.g. “Fractions on a number line”", e);
	form_input(b, "text", "grade", "Grade", in->grade, false, "K, 1 to 12, or a band such as 6-8", e);
	session_field(rq, b, ch.sessions, ch.nsessions, in->session_id, e,
		      "Coaching session it counts against");
	form_end(b, "Start the cycle");
	layout_end(b);
}

static start_form form_start(req *rq, form_errors *e)
{
	start_form sf = {.kind = text_trim(rq->a, req_form(rq, "kind"))};
	cycle_input *in = &sf.in;
	if (!cycle_kind_parse(sf.kind ? sf.kind : "", &in->kind))
		form_error_add(e, "kind", "Choose individual or collaborative.");
	in->title = text_trim(rq->a, req_form(rq, "title"));
	if (in->title && !*in->title) in->title = NULL;
	in->grade = text_trim(rq->a, req_form(rq, "grade"));
	if (in->grade && !*in->grade) in->grade = NULL;
	form_id(rq, "school_id", 1, &in->school_id, e, "Choose a school from the list.");
	form_id(rq, "team_id", 1, &in->team_id, e, "Choose a team from the list.");
	form_id(rq, "template_id", 0, &in->template_id, e, "Choose prompts from the list.");
	form_id(rq, "session_id", 0, &in->session_id, e, "Choose a session from the list.");
	if (!req_form_ids(rq, "teachers", SESSION_PEOPLE_MAX, &in->teachers, &in->nteachers))
		form_error_add(e, "teachers", "Choose teachers from the list.");
	if (!req_form_ids(rq, "coaches", SESSION_PEOPLE_MAX, &in->coaches, &in->ncoaches))
		form_error_add(e, "coaches", "Choose coaches from the list.");
	/* Only what the chosen kind uses: a team picked and then left for
	 * individual teachers is not an error. */
	if (in->kind == CYCLE_COLLABORATIVE) in->nteachers = 0;
	else in->team_id = 0;
	return sf;
}

/*
** GET /cycles/new
** The form that starts a cycle: kind, school, teachers (grouped by school)
** or team, other coaches, the template, title, grade, the coaching session.
** Permissions: may(CREATE, coaching) somewhere (coaches), else 403; the
** schools offered are those where it is allowed.
*/
void page_cycle_new(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_COACHING, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "only coaches start coaching cycles", NULL);
		return;
	}
	start_form sf = {.kind = "individual"};
	form_errors none = {0};
	start_page(rq, rs, 200, &sf, &none);
}

/*
** POST /cycles (form: kind, school_id, teachers (repeated ids) or team_id,
** coaches (repeated ids), template_id, title, grade, session_id, csrf)
** 303 to the new cycle; the form again with 400 beside the fields.
** Permissions: may(CREATE, coaching) at the school.
*/
void page_cycle_create(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_COACHING, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "only coaches start coaching cycles", NULL);
		return;
	}
	form_errors e = {0};
	start_form sf = form_start(rq, &e);
	outcome o = {0};
	if (e.n) {
		o.errors = e;
		outcome_invalid(&o);
	} else {
		cycle_start(rq, &sf.in, &o);
	}
	if (o.status == 400 || o.status == 422) {
		form_errors shown = o.errors;
		if (!shown.n) form_error_add(&shown, o.field, o.message);
		start_page(rq, rs, o.status, &sf, &shown);
		return;
	}
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/cycles/%lld?ok=cycle-started", (long long)o.id));
}

/* ---- one cycle ---- */

static void progress_steps(buf *b, const coaching_cycle *c)
{
	html_printf(b, "<ol class=\"cycle-progress\" aria-label=\"Where the cycle stands\">\n");
	for (int s = 0; s < CYCLE_STATE_COUNT; s++) {
		bool done = s < (int)c->state || c->state == CYCLE_CLOSED;
		bool now = s == (int)c->state;
		const char *label = cycle_state_label((cycle_state)s);
		if (now)
			html_printf(b, "<li class=\"now\" aria-current=\"step\">%s<span class=\"visually-hidden\"> (now)</span></li>\n",
				    label);
		else if (done)
			html_printf(b, "<li class=\"done\">%s<span class=\"visually-hidden\"> (done)</span></li>\n", label);
		else
			html_printf(b, "<li class=\"todo\">%s</li>\n", label);
	}
	html_printf(b, "</ol>\n");
}

static void people_links(req *rq, buf *b, const coaching_cycle *c, bool coaches)
{
	bool any = false;
	for (size_t i = 0; i < c->nmembers; i++) {
		const cycle_member *m = &c->members[i];
		if (m->coach != coaches) continue;
		if (any) html_printf(b, ", ");
		any = true;
		/* A teacher's name leads to their history with the asker. */
		if (!coaches && cycle_is_member(c, actor_id(rq)))
			html_printf(b, "<a href=\"/people/%lld/cycles\">%s</a>", (long long)m->person_id, m->name);
		else
			html_printf(b, "%s", m->name);
	}
	if (!any) html_printf(b, "—");
}

static void cycle_facts(req *rq, buf *b, const coaching_cycle *c)
{
	html_printf(b, "<dl class=\"facts\">\n<dt>Kind</dt><dd>%s</dd>\n", kind_label(c->kind));
	if (c->kind == CYCLE_COLLABORATIVE && c->team_name)
		html_printf(b, "<dt>Team</dt><dd>%s</dd>\n", c->team_name);
	html_printf(b, "<dt>Teachers</dt><dd>");
	people_links(rq, b, c, false);
	html_printf(b, "</dd>\n<dt>Coaches</dt><dd>");
	people_links(rq, b, c, true);
	html_printf(b, "</dd>\n<dt>School</dt><dd>%s</dd>\n",
		    c->school_name ? c->school_name : c->district_name ? c->district_name : "—");
	if (c->grade) html_printf(b, "<dt>Grade</dt><dd>%s</dd>\n", c->grade);
	html_printf(b, "<dt>Started</dt><dd>%s</dd>\n", c->started_on ? c->started_on : "—");
	if (c->lesson_on) html_printf(b, "<dt>Lesson</dt><dd>%s</dd>\n", c->lesson_on);
	if (c->session_id)
		html_printf(b, "<dt>Coaching session</dt><dd><a href=\"/sessions/%lld\">%s%s%s</a></dd>\n",
			    (long long)c->session_id, c->session_date ? c->session_date : "",
			    c->session_date ? " · " : "", c->session_title ? c->session_title : "Session");
	/* A share reaches this cycle only: its neighbours stay out of sight. */
	if (!cycle_is_member(c, actor_id(rq))) {
		html_printf(b, "</dl>\n");
		return;
	}
	if (c->previous_id)
		html_printf(b, "<dt>Before it</dt><dd><a href=\"%s\">The previous cycle</a></dd>\n",
			    cycle_href(rq->a, c->previous_id));
	if (c->next_id)
		html_printf(b, "<dt>After it</dt><dd><a href=\"%s\">The next cycle</a></dd>\n",
			    cycle_href(rq->a, c->next_id));
	html_printf(b, "</dl>\n");
}

static void text_field(buf *b, const char *id, const char *name, const char *label, const char *value,
		       const char *hint, const char *error)
{
	form_field_open(b, id, label, hint, error);
	html_printf(b, "<input type=\"text\" id=\"%s\" name=\"%s\" value=\"%s\"", id, name, value ? value : "");
	form_control_described(b, id, hint, error);
	html_printf(b, ">\n</div>\n");
}

static const char *upload_hint(req *rq)
{
	return arena_printf(rq->a, "a photo of student work, video or audio of the lesson, PDF, Office or "
				   "text; video and audio up to %llu MB, others up to %llu MB",
			    (unsigned long long)(rq->app->media_max >> 20),
			    (unsigned long long)(rq->app->file_max >> 20));
}

/* An upload form for stage st; idp keeps its fields' ids apart from
 * other forms on the page, back_to_cycle returns to the cycle page. */
static void upload_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
			const char *idp, const form_errors *e, bool back_to_cycle)
{
	arena *a = rq->a;
	const char *title_id = arena_printf(a, "%stitle", idp), *file_id = arena_printf(a, "%sfile", idp);
	const char *hint = upload_hint(rq);
	const char *ferr = form_error_for(e, "file"), *terr = form_error_for(e, "title");
	html_printf(b, "<form method=\"post\" action=\"%s/files\" enctype=\"multipart/form-data\" "
		       "class=\"upload\" novalidate>\n",
		    stage_href(a, c->id, st->id));
	form_hidden(b, "csrf", rq->actor->csrf);
	if (back_to_cycle) form_hidden(b, "back", "cycle");
	form_field_open(b, file_id, "File", hint, ferr);
	html_printf(b, "<input type=\"file\" id=\"%s\" name=\"file\" accept=\"%s\" required", file_id,
		    EVIDENCE_ACCEPT);
	form_control_described(b, file_id, hint, ferr);
	html_printf(b, ">\n</div>\n");
	text_field(b, title_id, "title", "Title", req_form(rq, "title"), "the file's name when empty", terr);
	html_printf(b, "<div class=\"actions\"><button type=\"submit\">Add the file</button></div>\n</form>\n");
}

static void stage_card(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, bool editable)
{
	arena *a = rq->a;
	html_printf(b, "<li class=\"card stage-card stage-%s\">\n<h3><a href=\"%s\">%s</a></h3>\n"
		       "<p><span class=\"badge badge-%s\">%s</span>",
		    st->complete ? "complete" : st->version ? "draft" : "new", stage_href(a, c->id, st->id),
		    stage_title(a, st), st->complete ? "complete" : st->version ? "draft" : "new", stage_status(st));
	if (st->version && st->updated_at) {
		html_printf(b, " <span class=\"muted\">saved by %s, ", st->updated_by_name ? st->updated_by_name : "—");
		time_html(a, b, st->updated_at, false);
		html_printf(b, "</span>");
	}
	html_printf(b, "</p>\n");
	/* Full-lesson observations with a rubric (cycle_observation.c). */
	if (st->stage == STAGE_ENACT) cycle_observation_links(rq, b, c, editable);
	if (editable) {
		html_printf(b, "<details class=\"add-file\"><summary>Add a file to the %s</summary>\n",
			    st->stage == STAGE_PLAN ? "plan" : st->stage == STAGE_ENACT ? "enactment" : "reflection");
		upload_form(rq, b, c, st, arena_printf(a, "s%lld-", (long long)st->id), NULL, true);
		html_printf(b, "</details>\n");
	}
	html_printf(b, "</li>\n");
}

static const cycle_stage *stage_by_id(const cycle_stage *st, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (st[i].id == id) return &st[i];
	return NULL;
}

static const char *file_kind(const char *content_type)
{
	if (str_starts(content_type, "image/")) return "photo";
	if (str_starts(content_type, "video/")) return "video";
	if (str_starts(content_type, "audio/")) return "audio";
	if (str_starts(content_type, "application/pdf")) return "PDF";
	if (str_starts(content_type, "text/")) return "text";
	return "document";
}

/* The files of the stages the asker may read (of one stage when only). */
static void files_list(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, size_t n,
		       const cycle_file *f, size_t nf, int64_t only, bool editable, bool back_to_cycle)
{
	arena *a = rq->a;
	size_t shown = 0;
	for (size_t i = 0; i < nf; i++) {
		if ((only && f[i].stage_id != only) || !cycle_part_readable(c, actor_id(rq), f[i].stage, f[i].classroom))
			continue;
		if (!shown++) html_printf(b, "<ul class=\"files\">\n");
		const cycle_stage *of = stage_by_id(st, n, f[i].stage_id);
		html_printf(b, "<li><a href=\"/cycles/%lld/files/%lld\">%s</a> <span class=\"muted\">(", (long long)c->id,
			    (long long)f[i].id, f[i].title);
		if (!only && of) html_printf(b, "%s · ", stage_title(a, of));
		html_printf(b, "%s, %s, %s, ", file_kind(f[i].content_type), size_text(a, f[i].size_bytes),
			    f[i].created_by_name ? f[i].created_by_name : "—");
		time_html(a, b, f[i].created_at, false);
		html_printf(b, ")</span>");
		if (editable)
			form_button(b, arena_printf(a, "/cycles/%lld/files/%lld/remove", (long long)c->id, (long long)f[i].id),
				    rq->actor->csrf, "Remove", "Remove this file? It is deleted for everyone.",
				    back_to_cycle ? "back" : NULL, back_to_cycle ? "cycle" : NULL);
		html_printf(b, "</li>\n");
	}
	if (shown) html_printf(b, "</ul>\n");
	else html_printf(b, "<p class=\"muted\">No files yet.</p>\n");
}

static void coach_controls(req *rq, buf *b, const coaching_cycle *c, const cycle_progress *p)
{
	arena *a = rq->a;
	bool coach = cycle_is_coach(c, actor_id(rq));
	bool closer = may_cycle(rq, ACT_DEACTIVATE, c);
	if (!coach && !closer) return;
	html_printf(b, "<h2>The cycle</h2>\n<div class=\"actions\">\n");
	if (closer && c->state != CYCLE_CLOSED)
		form_button(b, arena_printf(a, "/cycles/%lld/close", (long long)c->id), rq->actor->csrf,
			    "Close the cycle", "Close this cycle? Nothing in it can change until it is reopened.",
			    NULL, NULL);
	if (closer && c->state == CYCLE_CLOSED)
		form_button(b, arena_printf(a, "/cycles/%lld/reopen", (long long)c->id), rq->actor->csrf,
			    "Reopen the cycle", NULL, NULL, NULL);
	if (coach && !c->next_id && p->reflect_complete)
		form_button(b, arena_printf(a, "/cycles/%lld/next", (long long)c->id), rq->actor->csrf,
			    "Open the next cycle", NULL, NULL, NULL);
	html_printf(b, "</div>\n");
}

static void session_link_form(req *rq, buf *b, const coaching_cycle *c)
{
	if (!cycle_is_coach(c, actor_id(rq))) return;
	session_filter f = {.facilitator_id = actor_id(rq)};
	pl_session *list;
	size_t n;
	if (session_visible(rq, &f, &list, &n) != STORE_OK) return;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!str_eq(list[i].status, "cancelled")) list[k++] = list[i];
	html_printf(b, "<details class=\"session-link\"><summary>Coaching session it counts against</summary>\n");
	form_errors none = {0};
	form_begin(b, arena_printf(rq->a, "/cycles/%lld/session", (long long)c->id), rq->actor->csrf, &none);
	session_field(rq, b, list, k, c->session_id, &none, "Coaching session");
	form_end(b, "Save");
	html_printf(b, "</details>\n");
}

/* A history entry in words: "Plan saved", "Shared"; what the tables do
 * not know stays as recorded. */
static const char *event_what(arena *a, const char *what)
{
	static const struct {
		const char *what, *text;
	} whole[] = {{"start", "Cycle started"},   {"close", "Cycle closed"},
		     {"reopen", "Cycle reopened"}, {"next", "Next cycle opened"},
		     {"session", "Coaching session changed"}, {"share", "Shared"},
		     {"unshare", "Share taken back"}, {"file.add", "File added"},
		     {"file.remove", "File removed"}},
	  of_stage[] = {{"save", "saved"},           {"complete", "marked complete"},
			{"note.add", "note added"},  {"note.remove", "note removed"},
			{"file.add", "file added"},  {"file.remove", "file removed"},
			{"observation.add", "observation added"}, {"observation.save", "observation saved"},
			{"observation.remove", "observation removed"}};
	if (!what) return "";
	for (size_t i = 0; i < COUNT_OF(whole); i++)
		if (str_eq(whole[i].what, what)) return whole[i].text;
	const char *dot = strchr(what, '.');
	stage_kind sk;
	if (!dot || !stage_parse(arena_strndup(a, what, (size_t)(dot - what)), &sk)) return what;
	for (size_t i = 0; i < COUNT_OF(of_stage); i++)
		if (str_eq(of_stage[i].what, dot + 1)) return arena_printf(a, "%s %s", stage_noun(sk), of_stage[i].text);
	return what;
}

/* "goal,task" as "goal, task", so a long list of field names wraps. */
static const char *comma_spaced(arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, 2 * n + 1), *o = out;
	for (const char *p = s; *p; p++) {
		*o++ = *p;
		if (*p == ',' && p[1] != ' ') *o++ = ' ';
	}
	*o = '\0';
	return out;
}

static void history_table(req *rq, buf *b, const coaching_cycle *c)
{
	cycle_event *ev;
	size_t n;
	html_printf(b, "<h2 id=\"history\">History</h2>\n");
	if (cycle_history_get(rq->db, rq->a, c->id, &ev, &n) != STORE_OK) {
		html_printf(b, "<p class=\"muted\">The history could not be loaded.</p>\n");
		return;
	}
	if (!n) {
		html_printf(b, "<p class=\"muted\">Nothing yet.</p>\n");
		return;
	}
	html_printf(b, "<details class=\"history\"%s><summary>%zu change%s</summary>\n", n <= 8 ? " open" : "", n,
		    n == 1 ? "" : "s");
	/* A list, newest first, not a table: three columns do not fit a phone. */
	html_printf(b, "<ol class=\"history-list\" reversed>\n");
	for (size_t i = n; i-- > 0;) {
		html_printf(b, "<li><span class=\"history-what\">%s</span>", event_what(rq->a, ev[i].what));
		if (ev[i].detail && *ev[i].detail)
			html_printf(b, " <span class=\"muted\">(%s)</span>", comma_spaced(rq->a, ev[i].detail));
		html_printf(b, "<br><span class=\"muted\">%s, ", ev[i].person_name ? ev[i].person_name : "—");
		time_html(rq->a, b, ev[i].at, false);
		html_printf(b, "</span></li>\n");
	}
	html_printf(b, "</ol>\n</details>\n");
}

static void cycle_links(req *rq, buf *b, const coaching_cycle *c)
{
	bool member = cycle_is_member(c, actor_id(rq));
	bool exporter = may_cycle(rq, ACT_EXPORT, c) || cycle_share_for(c, actor_id(rq));
	if (!member && !exporter) return;
	html_printf(b, "<p class=\"actions\">");
	if (member)
		html_printf(b, "<a class=\"button button-secondary\" href=\"/cycles/%lld/shares\">%s</a> ", (long long)c->id,
			    may_cycle(rq, ACT_SHARE, c) ? "Sharing" : "Who else reads it");
	if (exporter)
		html_printf(b, "<a class=\"button button-secondary\" href=\"/cycles/%lld/export\">Download</a>",
			    (long long)c->id);
	html_printf(b, "</p>\n");
}

/*
** GET /cycles/{id}
** The cycle: title, kind, where it stands (Planning → Enacted → Reflected
** → Closed), people, school, the coaching session, the cycles before and
** after; the stages as cards; the evidence files; for its coaches close,
** reopen and the next cycle; sharing, download, and the history.
** Share holders see a "shared with you" banner, the stages they may read,
** and no controls.
** Permissions: may(READ, coaching) (404 otherwise, audited by cycle_load);
** stages through cycle_stage_readable; controls by may().
*/
void page_cycle(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c)) return;
	cycle_stage *st;
	cycle_file *files;
	size_t n, nf;
	if (cycle_stages_get(rq->db, rq->a, c.id, &st, &n) != STORE_OK ||
	    cycle_files_get(rq->db, rq->a, c.id, &files, &nf) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	bool editable = may_edit_content(rq, &c);
	bool member = cycle_is_member(&c, actor_id(rq));
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, cycle_title(&c), "cycles");
	layout_begin(b, &l);
	crumbs(rq, b, NULL);
	html_printf(b, "<h1>%s</h1>\n", cycle_title(&c));
	shared_banner(rq, b, &c);
	progress_steps(b, &c);
	if (c.state == CYCLE_CLOSED && member)
		html_printf(b, "<p class=\"muted\">This cycle is closed; nothing in it changes until a coach reopens it.</p>\n");
	cycle_facts(rq, b, &c);
	cycle_links(rq, b, &c);
	html_printf(b, "<h2>Stages</h2>\n<ul class=\"stage-list\">\n");
	for (size_t i = 0; i < n; i++)
		if (cycle_stage_readable(&c, actor_id(rq), &st[i])) stage_card(rq, b, &c, &st[i], editable);
	html_printf(b, "</ul>\n<h2 id=\"evidence\">Evidence</h2>\n");
	files_list(rq, b, &c, st, n, files, nf, 0, editable, true);
	cycle_progress p = cycle_progress_of(&c, st, n);
	coach_controls(rq, b, &c, &p);
	session_link_form(rq, b, &c);
	if (member) history_table(rq, b, &c);
	layout_end(b);
}

/* ---- a stage ---- */

/* The stage named by {sid} of c when the asker may read it, the read on
 * record; else 404, the same answer as for a stage that does not exist,
 * the refusal on record. */
static bool stage_load(req *rq, resp *rs, const coaching_cycle *c, cycle_stage **all, size_t *n,
		       const cycle_stage **st)
{
	int64_t sid;
	if (!param_id(rq, rs, "sid", &sid)) return false;
	if (cycle_stages_get(rq->db, rq->a, c->id, all, n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	*st = stage_by_id(*all, *n, sid);
	if (!*st) {
		resp_error(rq, rs, 404, "not_found", "there is no such stage", NULL);
		return false;
	}
	return cycle_read_on_record(rq, rs, c, arena_printf(rq->a, "stage %lld", (long long)sid),
				    cycle_stage_readable(c, actor_id(rq), *st));
}

/* The prompts of c's template, the default when it has none (or it is
 * gone). */
static bool template_of(req *rq, const coaching_cycle *c, cycle_template *t)
{
	bool found = false;
	if (cycle_template_get(rq->db, rq->a, c->template_id, t, &found) != STORE_OK) return false;
	if (!found) cycle_template_default(t);
	return true;
}

/* What the stage page shows besides the stored stage: a failed save's
 * values and errors, a conflict, a failed note or file. */
typedef struct stage_view {
	int status;
	const cycle_answer *values; /* the person's unsaved answers; NULL: the stored ones */
	size_t nvalues;
	int64_t version;            /* the version the form names */
	const char *conflict;       /* a 409's message */
	const cycle_stage *theirs;  /* what the other person saved, after a 409 */
	form_errors answer_errors, note_errors, file_errors;
} stage_view;

static const char *value_of(const cycle_answer *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(v[i].key, key)) return v[i].value;
	return NULL;
}

/* A class picker of the classes the asker may read that the stage's
 * teacher (or the cycle's teachers) teach; 0 when there are none. */
static size_t class_options(req *rq, const coaching_cycle *c, const cycle_stage *st, form_option **out)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_CLASS, &v);
	class_filter f = {.all = v.all || v.overflow, .districts = v.districts, .ndistricts = v.ndistricts,
			  .orgs = v.orgs, .norgs = v.norgs, .member = v.member || v.self ? actor_id(rq) : 0,
			  .school_id = c->school_id, .limit = CLASS_CHOICES_MAX};
	class_row *rows;
	size_t n;
	bool more;
	*out = NULL;
	if (class_list(rq->db, rq->a, &f, &rows, &n, &more) != STORE_OK) return 0;
	*out = arena_calloc(rq->a, n + 2, sizeof **out);
	size_t k = 0;
	(*out)[k++] = (form_option){"", "Not chosen"};
	for (size_t i = 0; i < n; i++) {
		place pl = {.org_id = rows[i].school_id, .district_id = rows[i].district_id};
		record r = {.kind = REC_CLASS, .places = &pl, .nplaces = 1, .teachers = rows[i].teacher_ids,
			    .nteachers = rows[i].nteachers};
		bool theirs = false;
		for (size_t t = 0; t < rows[i].nteachers; t++)
			theirs |= st->teacher_id ? rows[i].teacher_ids[t] == st->teacher_id
						 : id_in(c->teachers, c->nteachers, rows[i].teacher_ids[t]);
		if (!theirs || !may(rq->actor, ACT_READ, &r)) continue;
		(*out)[k++] = (form_option){id_text(rq->a, rows[i].id),
					    rows[i].term ? arena_printf(rq->a, "%s (%s)", rows[i].title, rows[i].term)
							 : rows[i].title};
	}
	return k > 1 ? k : 0;
}

static void class_field(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
			const cycle_prompt *p, const char *value, const char *help, const form_errors *e)
{
	form_option *o;
	size_t n = class_options(rq, c, st, &o);
	if (!n) {
		form_input(b, "number", p->key, p->label, value, false,
			   help ? help : "the class's number in the roster", e);
		return;
	}
	bool listed = !value || !*value;
	for (size_t i = 0; i < n; i++) listed |= str_eq(o[i].value, value);
	if (!listed) {
		form_option *more = arena_calloc(rq->a, n + 1, sizeof *more);
		memcpy(more, o, n * sizeof *o);
		more[n++] = (form_option){value, arena_printf(rq->a, "Class %s", value)};
		o = more;
	}
	form_select(b, p->key, p->label, o, n, value ? value : "", false, e);
}

static void coach_role_field(buf *b, const cycle_prompt *p, const char *value,
			     const form_errors *e)
{
	static const char *const roles[] = {"observe", "co_teach", "model"};
	form_option o[COUNT_OF(roles) + 1] = {{"", "Not decided"}};
	for (size_t i = 0; i < COUNT_OF(roles); i++) o[i + 1] = (form_option){roles[i], coach_role_label(roles[i])};
	form_select(b, p->key, p->label, o, COUNT_OF(o), value ? value : "", false, e);
}

/* The template's own help wins; the format hint stands in when it has none. */
static const char *with_help(arena *a, const char *help, const char *what)
{
	(void)a;
	return help ? help : what;
}

static void prompt_field(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
			 const cycle_prompt *p, const char *value, const form_errors *e)
{
	arena *a = rq->a;
	const stage_field *f = stage_field_find(st->stage, p->key);
	const char *help = p->help && *p->help ? p->help : NULL;
	switch (f ? f->type : FIELD_TEXT) {
	case FIELD_FOCUS:
		form_input(b, "text", p->key, p->label, value, false, with_help(a, help, "e.g. MP3, TP2"), e);
		break;
	case FIELD_STANDARDS:
		form_input(b, "text", p->key, p->label, value, false, with_help(a, help, "e.g. 4.NF.A.1, 3.OA.A.1"), e);
		break;
	case FIELD_COACH_ROLE: coach_role_field(b, p, value, e); break;
	case FIELD_DATE: form_input(b, "date", p->key, p->label, value, false, help, e); break;
	case FIELD_TIME: form_input(b, "time", p->key, p->label, value, false, help, e); break;
	case FIELD_CLASS: class_field(rq, b, c, st, p, value, help, e); break;
	case FIELD_LINES:
		form_textarea(b, p->key, p->label, value, false, with_help(a, help, "one per line"), e);
		break;
	case FIELD_MINUTES:
		form_input(b, "number", p->key, p->label, value, false,
			   with_help(a, help, arena_printf(a, "minutes, 0 to %d", CYCLE_MINUTES_MAX)), e);
		break;
	case FIELD_TEXT:
	default: form_textarea(b, p->key, p->label, value, false, help, e); break;
	}
}

/* An answer in words, for the export: codes with their meaning, a role by
 * its label, text as written. */
static const char *answer_text(arena *a, stage_kind stage, const char *key, const char *value)
{
	const stage_field *f = stage_field_find(stage, key);
	if (!value || !*value || !f) return value;
	if (f->type == FIELD_COACH_ROLE) return coach_role_label(value) ? coach_role_label(value) : value;
	if (f->type != FIELD_FOCUS) return value;
	const char *out = "";
	char *list = arena_strdup(a, value), *save = NULL;
	for (char *code = strtok_r(list, " ,\n", &save); code; code = strtok_r(NULL, " ,\n", &save)) {
		const char *label = focus_code_label(code);
		out = arena_printf(a, "%s%s%s", out, *out ? "\n" : "", label ? label : code);
	}
	return out;
}

/* An answer as a reader sees it: codes with their meaning, a role by its
 * label, text as written. */
static void answer_html(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, const char *key,
			const char *value)
{
	const stage_field *f = stage_field_find(st->stage, key);
	if (!value || !*value) {
		html_printf(b, "<dd class=\"muted\">—</dd>\n");
		return;
	}
	if (f && f->type == FIELD_CLASS) {
		/* By its title when the reader may see the class, else its number. */
		form_option *o;
		size_t n = class_options(rq, c, st, &o);
		const char *shown = arena_printf(rq->a, "Class %s", value);
		for (size_t i = 1; i < n; i++)
			if (str_eq(o[i].value, value)) shown = o[i].label;
		html_printf(b, "<dd>%s</dd>\n", shown);
		return;
	}
	if (f && f->type == FIELD_COACH_ROLE) {
		html_printf(b, "<dd>%s</dd>\n", coach_role_label(value) ? coach_role_label(value) : value);
		return;
	}
	if (f && f->type == FIELD_FOCUS) {
		html_printf(b, "<dd><ul class=\"codes\">");
		char *list = arena_strdup(rq->a, value), *save = NULL;
		for (char *code = strtok_r(list, " ,\n", &save); code; code = strtok_r(NULL, " ,\n", &save)) {
			const char *label = focus_code_label(code);
			html_printf(b, "<li>%s</li>", label ? label : code);
		}
		html_printf(b, "</ul></dd>\n");
		return;
	}
	html_printf(b, "<dd class=\"prewrap\">%s</dd>\n", value);
}

static void answers_read_only(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
			      const cycle_prompt **p, size_t n)
{
	html_printf(b, "<dl class=\"answers\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<dt>%s</dt>\n", p[i]->label);
		answer_html(rq, b, c, st, p[i]->key, stage_answer(st, p[i]->key));
	}
	html_printf(b, "</dl>\n");
}

/* After a 409, beside a field: what the other person saved there, when it
 * is not what this person sent, so that neither text is lost. */
static void theirs_beside(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *theirs,
			  const cycle_prompt *p, const char *mine, const char *stored, bool taken)
{
	const char *who = theirs->updated_by_name ? theirs->updated_by_name : "The other person";
	if (taken) {
		html_printf(b, "<p class=\"theirs-field\">Yours was empty: this is what %s saved.</p>\n", who);
		return;
	}
	if (str_eq(mine ? mine : "", stored ? stored : "")) return;
	if (!stored || !*stored) {
		html_printf(b, "<p class=\"theirs-field\">%s left this empty.</p>\n", who);
		return;
	}
	html_printf(b, "<div class=\"theirs-field\"><p>%s saved:</p>\n<dl class=\"answers\"><dt class=\"visually-hidden\">%s</dt>",
		    who, p->label);
	answer_html(rq, b, c, theirs, p->key, stored);
	html_printf(b, "</dl></div>\n");
}

static void stage_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
		       const cycle_prompt **p, size_t n, const stage_view *v)
{
	form_begin(b, stage_href(rq->a, c->id, st->id), rq->actor->csrf, &v->answer_errors);
	form_hidden(b, "version", arena_printf(rq->a, "%lld", (long long)v->version));
	for (size_t i = 0; i < n; i++) {
		const char *mine = v->values ? value_of(v->values, v->nvalues, p[i]->key) : NULL;
		const char *stored = stage_answer(st, p[i]->key);
		/* After a conflict a field left empty takes what the other
		 * person wrote, so that saving again keeps it. */
		bool taken = v->theirs && mine && !*mine && stored && *stored;
		prompt_field(rq, b, c, st, p[i], mine && !taken ? mine : stored, &v->answer_errors);
		if (v->theirs) theirs_beside(rq, b, c, st, p[i], mine, stored, taken);
	}
	/* A complete stage stays complete: its only button saves. */
	html_printf(b, "<div class=\"actions\">");
	if (st->complete) {
		html_printf(b, "<button type=\"submit\" name=\"action\" value=\"save\">Save changes</button>");
	} else {
		html_printf(b, "<button type=\"submit\" name=\"action\" value=\"save\" class=\"secondary\">Save draft</button>"
			       "<button type=\"submit\" name=\"action\" value=\"complete\">Save and mark complete</button>");
	}
	html_printf(b, "</div>\n</form>\n");
}

static int note_newest_first(const void *x, const void *y)
{
	const cycle_note *a = x, *b = y;
	if (a->taken_at != b->taken_at) return a->taken_at < b->taken_at ? 1 : -1;
	return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

static void note_buttons(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st)
{
	const char *to = arena_printf(rq->a, "%s/notes", stage_href(rq->a, c->id, st->id));
	size_t nt;
	const char *const *tags = note_tags(&nt);
	html_printf(b, "<p class=\"hint\" id=\"tap-hint\">One tap adds a note with the time.</p>\n"
		       "<div class=\"note-tags\" role=\"group\" aria-describedby=\"tap-hint\">\n");
	for (size_t i = 0; i < nt; i++) {
		html_printf(b, "<form method=\"post\" action=\"%s\" class=\"note-tag\">", to);
		form_hidden(b, "csrf", rq->actor->csrf);
		form_hidden(b, "tag", tags[i]);
		html_printf(b, "<button type=\"submit\">%s</button></form>\n", note_tag_label(tags[i]));
	}
	html_printf(b, "</div>\n");
}

/* The written note; its fields' ids keep clear of the prompts' keys. */
static void note_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, const stage_view *v)
{
	size_t nt;
	const char *const *tags = note_tags(&nt);
	const form_errors *e = &v->note_errors;
	const char *berr = form_error_for(e, "body"), *terr = form_error_for(e, "tag");
	const char *hint = arena_printf(rq->a, "at most %d characters; the time is added", CYCLE_NOTE_MAX);
	const char *chosen = e->n ? req_form(rq, "tag") : "";
	html_printf(b, "<details class=\"note-written\"%s><summary>Write a note</summary>\n", e->n ? " open" : "");
	if (e->n) html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n", e->items[0].message);
	html_printf(b, "<form method=\"post\" action=\"%s/notes\" novalidate>\n", stage_href(rq->a, c->id, st->id));
	form_hidden(b, "csrf", rq->actor->csrf);
	form_field_open(b, "note-body", "Note", hint, berr);
	html_printf(b, "<textarea id=\"note-body\" name=\"body\"");
	form_control_described(b, "note-body", hint, berr);
	html_printf(b, ">%s</textarea>\n</div>\n", e->n ? req_form(rq, "body") : "");
	form_field_open(b, "note-tag", "Tag", NULL, terr);
	html_printf(b, "<select id=\"note-tag\" name=\"tag\"");
	form_control_described(b, "note-tag", NULL, terr);
	html_printf(b, ">\n<option value=\"\">No tag</option>\n");
	for (size_t i = 0; i < nt; i++)
		html_printf(b, "<option value=\"%s\"%s>%s</option>\n", tags[i], str_eq(chosen, tags[i]) ? " selected" : "",
			    note_tag_label(tags[i]));
	html_printf(b, "</select>\n</div>\n<div class=\"actions\"><button type=\"submit\">Add the note</button></div>\n"
		       "</form>\n</details>\n");
}

static void notes_list(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
		       cycle_note *notes, size_t n, bool editable)
{
	if (!n) {
		html_printf(b, "<p class=\"muted\">No notes yet.</p>\n");
		return;
	}
	qsort(notes, n, sizeof *notes, note_newest_first);
	html_printf(b, "<ol class=\"notes\" reversed>\n");
	for (size_t i = 0; i < n; i++) {
		const cycle_note *x = &notes[i];
		html_printf(b, "<li><div class=\"note-text\"><p class=\"note-head\">");
		time_html(rq->a, b, x->taken_at, true);
		if (x->tag) html_printf(b, " <span class=\"tag\">%s</span>", note_tag_label(x->tag) ? note_tag_label(x->tag) : x->tag);
		html_printf(b, " <span class=\"muted\">%s</span></p>\n", x->author_name ? x->author_name : "");
		if (x->body && *x->body) html_printf(b, "<p class=\"prewrap\">%s</p>\n", x->body);
		html_printf(b, "</div>");
		if (editable && x->author_id == actor_id(rq))
			form_button(b, arena_printf(rq->a, "/cycles/%lld/notes/%lld/remove", (long long)c->id, (long long)x->id),
				    rq->actor->csrf, "Remove", "Remove this note?", "stage_id",
				    arena_printf(rq->a, "%lld", (long long)st->id));
		html_printf(b, "</li>\n");
	}
	html_printf(b, "</ol>\n");
}

static void note_taker(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st,
		       const stage_view *v, bool editable)
{
	cycle_note *notes;
	size_t n;
	html_printf(b, "<section class=\"note-taker\" id=\"notes\" aria-labelledby=\"notes-h\">\n"
		       "<h2 id=\"notes-h\">Notes</h2>\n");
	if (editable) {
		note_buttons(rq, b, c, st);
		note_form(rq, b, c, st, v);
	}
	if (cycle_notes_get(rq->db, rq->a, st->id, &notes, &n) != STORE_OK)
		html_printf(b, "<p class=\"muted\">The notes could not be loaded.</p>\n");
	else
		notes_list(rq, b, c, st, notes, n, editable);
	html_printf(b, "</section>\n");
}

/* The counts: those the plan asks for (when the asker may read it), and
 * any kept before the plan stopped asking for them (shown, no longer
 * counted); *asked: how many of the first are the plan's. */
static size_t tally_labels(req *rq, const coaching_cycle *c, const cycle_stage *all, size_t n,
			   const cycle_tally *t, size_t nt, const char ***out, size_t *asked)
{
	const char **wanted = NULL;
	size_t nw = 0;
	for (size_t i = 0; i < n; i++)
		if (all[i].stage == STAGE_PLAN && cycle_stage_readable(c, actor_id(rq), &all[i]))
			nw = plan_tally_labels(rq->a, stage_answer(&all[i], "tallies"), &wanted);
	const char **labels = arena_calloc(rq->a, nw + nt + 1, sizeof *labels);
	size_t k = 0;
	*asked = nw;
	for (size_t i = 0; i < nw; i++) labels[k++] = wanted[i];
	for (size_t i = 0; i < nt; i++) {
		bool seen = false;
		for (size_t j = 0; j < k; j++) seen |= str_eq(labels[j], t[i].label);
		if (!seen) labels[k++] = t[i].label;
	}
	*out = labels;
	return k;
}

static void tally_button(req *rq, buf *b, const char *to, const char *label, int delta)
{
	html_printf(b, "<form method=\"post\" action=\"%s\" class=\"tally-step\">", to);
	form_hidden(b, "csrf", rq->actor->csrf);
	form_hidden(b, "label", label);
	form_hidden(b, "delta", delta > 0 ? "1" : "-1");
	if (delta > 0)
		html_printf(b, "<button type=\"submit\" aria-label=\"One more: %s\">+</button></form>", label);
	else
		html_printf(b, "<button type=\"submit\" class=\"secondary\" aria-label=\"One fewer: %s\">−</button></form>",
			    label);
}

static void tally_counter(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *all, size_t n,
			  const cycle_stage *st, bool editable)
{
	cycle_tally *t;
	size_t nt;
	html_printf(b, "<section id=\"counts\" class=\"counts\" aria-labelledby=\"counts-h\">\n"
		       "<h2 id=\"counts-h\">Counts</h2>\n");
	if (cycle_tallies_get(rq->db, rq->a, st->id, &t, &nt) != STORE_OK) {
		html_printf(b, "<p class=\"muted\">The counts could not be loaded.</p>\n</section>\n");
		return;
	}
	const char **labels;
	size_t asked;
	size_t nl = tally_labels(rq, c, all, n, t, nt, &labels, &asked);
	if (!nl)
		html_printf(b, "<p class=\"muted\">The plan asks for no counts: list them in the plan, one per line.</p>\n");
	else
		html_printf(b, "<ul class=\"tallies\">\n");
	const char *to = arena_printf(rq->a, "%s/tally", stage_href(rq->a, c->id, st->id));
	for (size_t i = 0; i < nl; i++) {
		int64_t count = 0;
		for (size_t j = 0; j < nt; j++)
			if (str_eq(t[j].label, labels[i])) count = t[j].count;
		html_printf(b, "<li><span class=\"tally-label\">%s</span>", labels[i]);
		if (editable && i < asked) tally_button(rq, b, to, labels[i], -1);
		html_printf(b, "<span class=\"tally-count\">%lld</span>", (long long)count);
		if (editable && i < asked) tally_button(rq, b, to, labels[i], 1);
		html_printf(b, "</li>\n");
	}
	if (nl) html_printf(b, "</ul>\n");
	html_printf(b, "</section>\n");
}

/* A photo straight from the phone's camera during the lesson; coachd.js
 * sends it as soon as it is taken. */
static void photo_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st)
{
	html_printf(b, "<form method=\"post\" action=\"%s/files\" enctype=\"multipart/form-data\" "
		       "class=\"photo\" novalidate>\n",
		    stage_href(rq->a, c->id, st->id));
	form_hidden(b, "csrf", rq->actor->csrf);
	html_printf(b, "<div class=\"field\"><label for=\"photo\">Photo of student work</label>"
		       "<span class=\"hint\" id=\"photo-hint\">opens the camera on a phone</span>"
		       "<input type=\"file\" id=\"photo\" name=\"file\" accept=\"image/*\" capture=\"environment\" "
		       "data-autosubmit aria-describedby=\"photo-hint\"></div>\n"
		       "<div class=\"actions\"><button type=\"submit\">Add the photo</button></div>\n</form>\n");
}

static void stage_files(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *all, size_t n,
			const cycle_stage *st, const stage_view *v, bool editable)
{
	cycle_file *f;
	size_t nf;
	html_printf(b, "<section id=\"stage-files\" aria-labelledby=\"files-h\">\n<h2 id=\"files-h\">Files</h2>\n");
	if (cycle_files_get(rq->db, rq->a, c->id, &f, &nf) != STORE_OK)
		html_printf(b, "<p class=\"muted\">The files could not be loaded.</p>\n");
	else
		files_list(rq, b, c, all, n, f, nf, st->id, editable, false);
	if (editable && st->stage == STAGE_ENACT) photo_form(rq, b, c, st);
	if (editable) {
		html_printf(b, "<details class=\"add-file\"%s><summary>Add a file</summary>\n",
			    v->file_errors.n ? " open" : "");
		if (v->file_errors.n)
			html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n",
				    v->file_errors.items[0].message);
		upload_form(rq, b, c, st, "up-", &v->file_errors, false);
		html_printf(b, "</details>\n");
	}
	html_printf(b, "</section>\n");
}

static void stage_heading(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st)
{
	crumbs(rq, b, c);
	html_printf(b, "<h1>%s</h1>\n<p><span class=\"badge badge-%s\">%s</span>", stage_title(rq->a, st),
		    st->complete ? "complete" : st->version ? "draft" : "new", stage_status(st));
	if (st->version && st->updated_at) {
		html_printf(b, " <span class=\"muted\">last saved by %s, ",
			    st->updated_by_name ? st->updated_by_name : "—");
		time_html(rq->a, b, st->updated_at, false);
		html_printf(b, "</span>");
	}
	html_printf(b, "</p>\n");
	shared_banner(rq, b, c);
}

static void stage_page(req *rq, resp *rs, const coaching_cycle *c, const cycle_stage *all, size_t n,
		       const cycle_stage *st, const stage_view *v)
{
	cycle_template t;
	if (!template_of(rq, c, &t)) {
		resp_store_failed(rq, rs);
		return;
	}
	const cycle_prompt **p;
	size_t np = cycle_template_stage(rq->a, &t, st->stage, &p);
	bool editable = may_edit_content(rq, c);
	buf *b = resp_html(rs, v->status ? v->status : 200);
	layout l = page_layout(rq, arena_printf(rq->a, "%s · %s", stage_title(rq->a, st), cycle_title(c)), "cycles");
	layout_begin(b, &l);
	stage_heading(rq, b, c, st);
	if (v->conflict) html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n", v->conflict);
	if (c->state == CYCLE_CLOSED && cycle_is_member(c, actor_id(rq)))
		html_printf(b, "<p class=\"muted\">This cycle is closed; nothing in it changes until a coach reopens it.</p>\n");
	if (st->stage == STAGE_ENACT) {
		note_taker(rq, b, c, st, v, editable);
		tally_counter(rq, b, c, all, n, st, editable);
		stage_files(rq, b, c, all, n, st, v, editable);
	}
	/* The plan's and reflection's answers are the page itself; an
	 * enactment's come after its notes, counts and files. */
	if (st->stage == STAGE_ENACT)
		html_printf(b, "<section aria-labelledby=\"answers-h\">\n<h2 id=\"answers-h\">The lesson</h2>\n");
	else
		html_printf(b, "<section>\n");
	if (editable) {
		stage_form(rq, b, c, st, p, np, v);
	} else {
		answers_read_only(rq, b, c, st, p, np);
	}
	html_printf(b, "</section>\n");
	if (st->stage != STAGE_ENACT) stage_files(rq, b, c, all, n, st, v, editable);
	layout_end(b);
}

static stage_view stored_view(const cycle_stage *st)
{
	return (stage_view){.version = st->version};
}

/*
** GET /cycles/{id}/stages/{sid}
** One stage: its template's prompts as fields by type (codes, the coach's
** role, dates, the class, tallies to keep, minutes), "Save draft" and
** "Save and mark complete". An enactment leads with the note taker (one
** tap per tag adds a time-stamped note, or write one), the counts the plan
** asked for with − and +, and its files. Share holders read it only.
** Permissions: may(READ, coaching) and cycle_stage_readable; 404 otherwise.
*/
void page_cycle_stage(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	stage_view v = stored_view(st);
	stage_page(rq, rs, &c, all, n, st, &v);
}

/* A stage's answers as the form sent them: the prompts it carries (a
 * prompt the form did not show, say one added to the template since, is
 * left as it is). */
static cycle_answer *form_answers(req *rq, const cycle_prompt **p, size_t n, size_t *count)
{
	cycle_answer *out = arena_calloc(rq->a, n + 1, sizeof *out);
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		const char *v = req_form(rq, p[i]->key);
		if (v) out[(*count)++] = (cycle_answer){p[i]->key, text_trim(rq->a, v)};
	}
	return out;
}

/* After a conflict: the stage as now stored, so the form names its
 * version and the page shows what the other person saved. */
static const cycle_stage *stage_now(req *rq, const coaching_cycle *c, int64_t sid)
{
	cycle_stage *all;
	size_t n;
	if (cycle_stages_get(rq->db, rq->a, c->id, &all, &n) != STORE_OK) return NULL;
	return stage_by_id(all, n, sid);
}

/*
** POST /cycles/{id}/stages/{sid} (form: the prompts' keys, version,
** action = save | complete, csrf)
** 303 back to the stage (a draft) or to the cycle (complete); the stage
** again with 400 beside the fields, or with 409 when someone saved it
** since it was opened: their version shown, this person's text kept in
** the fields, and the form naming the new version.
** Permissions: may(UPDATE, coaching): the cycle's members.
*/
void page_cycle_stage_save(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	cycle_template t;
	if (!template_of(rq, &c, &t)) {
		resp_store_failed(rq, rs);
		return;
	}
	const cycle_prompt **p;
	size_t np = cycle_template_stage(rq->a, &t, st->stage, &p);
	stage_input in = {.stage_id = st->id, .complete = str_eq(req_form(rq, "action"), "complete")};
	in.answers = form_answers(rq, p, np, &in.nanswers);
	const char *version = req_form(rq, "version");
	stage_view v = {.values = in.answers, .nvalues = in.nanswers, .version = st->version};
	outcome o = {0};
	if (!version || !parse_i64(version, 0, INT64_MAX, &in.version)) {
		form_error_add(&o.errors, NULL, "The form lacks the version it was opened at; open the stage again.");
		outcome_invalid(&o);
	} else {
		v.version = in.version;
		cycle_stage_save(rq, &c, st, &in, &o);
	}
	if (o.status == 409 && str_eq(o.code, "conflict")) {
		v.status = 409;
		v.conflict = o.message;
		v.theirs = stage_now(rq, &c, st->id);
		if (v.theirs) {
			v.version = v.theirs->version;
			v.conflict = arena_printf(rq->a, "%s saved this stage at %s, after you opened it, so "
							 "nothing of yours is saved yet. Your text is still in the "
							 "fields below, with what they saved beside each field "
							 "where it differs: keep what you want, and save again.",
						  v.theirs->updated_by_name ? v.theirs->updated_by_name : "Someone",
						  time_text_utc(rq->a, v.theirs->updated_at));
		}
		stage_page(rq, rs, &c, all, n, v.theirs ? v.theirs : st, &v);
	} else if (o.status == 409) {
		/* Not ready to complete, or closed: nothing was saved, so the
		 * text stays in the fields with the reason above them. */
		v.status = 409;
		v.conflict = o.message;
		stage_page(rq, rs, &c, all, n, st, &v);
	} else if (o.status == 400) {
		v.status = 400;
		v.answer_errors = o.errors;
		if (!v.answer_errors.n) form_error_add(&v.answer_errors, NULL, o.message);
		stage_page(rq, rs, &c, all, n, st, &v);
	} else {
		outcome_redirect(rq, rs, &o,
				 in.complete ? arena_printf(rq->a, "/cycles/%lld?ok=stage-completed", (long long)c.id)
					     : arena_printf(rq->a, "%s?ok=stage-saved", stage_href(rq->a, c.id, st->id)));
	}
}

/*
** POST /cycles/{id}/stages/{sid}/notes (form: tag, body, csrf)
** Adds a note stamped with the time it arrives: a tag alone is one tap.
** 303 back to the notes; the stage again with 400 beside the note.
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_note_add(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	const char *tag = text_trim(rq->a, req_form(rq, "tag"));
	const char *body = text_trim(rq->a, req_form(rq, "body"));
	outcome o = {0};
	cycle_note_add(rq, &c, st, tag && *tag ? tag : NULL, body ? body : "", now_unix(), &o);
	if (o.status == 400) {
		stage_view v = stored_view(st);
		v.status = 400;
		v.note_errors = o.errors;
		if (!v.note_errors.n) form_error_add(&v.note_errors, o.field ? o.field : "body", o.message);
		stage_page(rq, rs, &c, all, n, st, &v);
		return;
	}
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "%s?ok=note-added#notes", stage_href(rq->a, c.id, st->id)));
}

/* Where to go back to after a change made from a stage: the stage named
 * by the form (one of c's), else the cycle. */
static const char *back_to(req *rq, const coaching_cycle *c, const char *stage_field_name,
			   int64_t stage_id, const char *ok, const char *fragment)
{
	int64_t sid = stage_id;
	const char *given = stage_field_name ? req_form(rq, stage_field_name) : NULL;
	if (!sid && given) parse_i64(given, 1, INT64_MAX, &sid);
	if (sid && !str_eq(req_form(rq, "back"), "cycle")) {
		cycle_stage *all;
		size_t n;
		if (cycle_stages_get(rq->db, rq->a, c->id, &all, &n) == STORE_OK && stage_by_id(all, n, sid))
			return arena_printf(rq->a, "%s?ok=%s%s", stage_href(rq->a, c->id, sid), ok, fragment);
	}
	return arena_printf(rq->a, "/cycles/%lld?ok=%s#evidence", (long long)c->id, ok);
}

/*
** POST /cycles/{id}/notes/{nid}/remove (form: stage_id, csrf)
** Removes one's own note; 303 back to the stage's notes.
** Permissions: may(UPDATE, coaching); only the note's author.
*/
void page_cycle_note_remove(req *rq, resp *rs)
{
	coaching_cycle c;
	int64_t nid;
	if (!cycle_load(rq, rs, &c) || !param_id(rq, rs, "nid", &nid)) return;
	outcome o = {0};
	cycle_note_remove(rq, &c, nid, &o);
	outcome_redirect(rq, rs, &o, back_to(rq, &c, "stage_id", 0, "note-removed", "#notes"));
}

/*
** POST /cycles/{id}/stages/{sid}/tally (form: label, delta = 1 | -1, csrf)
** One more, or one fewer (never below zero); 303 back to the counts.
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_tally(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	const char *label = text_trim(rq->a, req_form(rq, "label")), *delta = req_form(rq, "delta");
	int d = str_eq(delta, "1") ? 1 : str_eq(delta, "-1") ? -1 : 0;
	if (!d) {
		resp_error(rq, rs, 400, "invalid", "delta must be 1 or -1", "delta");
		return;
	}
	if (!label || !*label) {
		resp_error(rq, rs, 400, "invalid", "name the count to change", "label");
		return;
	}
	outcome o = {0};
	cycle_tally_bump(rq, &c, st, label, d, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "%s?ok=tally-saved#counts", stage_href(rq->a, c.id, st->id)));
}

/*
** POST /cycles/{id}/stages/{sid}/files (multipart: file, title, back, csrf)
** Adds an evidence file, checked by its content; 303 back to the stage (or
** the cycle, back=cycle); the stage again with the error for 400, 413 (too
** large) and 415 (not an accepted type, or not the type it claims).
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_file_add(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_stage *all;
	const cycle_stage *st;
	size_t n;
	if (!cycle_find(rq, rs, &c) || !stage_load(rq, rs, &c, &all, &n, &st)) return;
	const upload *u = req_file(rq, "file");
	const char *title = text_trim(rq->a, req_form(rq, "title"));
	outcome o = {0};
	if (!u) {
		form_error_add(&o.errors, "file", "Choose a file to add.");
		outcome_invalid(&o);
	} else {
		cycle_file_add(rq, &c, st, title && *title ? title : NULL, u, &o);
	}
	if (o.status == 400 || o.status == 409 || o.status == 413 || o.status == 415) {
		stage_view v = stored_view(st);
		v.status = o.status;
		v.file_errors = o.errors;
		if (!v.file_errors.n) form_error_add(&v.file_errors, o.field ? o.field : "file", o.message);
		stage_page(rq, rs, &c, all, n, st, &v);
		return;
	}
	outcome_redirect(rq, rs, &o, back_to(rq, &c, NULL, st->id, "file-added", "#stage-files"));
}


/*
** GET /cycles/{id}/files/{fid}
** The file, with Range (video and audio inline so they seek).
** Permissions: may(READ, coaching) and the file's stage readable; 404
** otherwise.
*/
void page_cycle_file(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_file f;
	if (!cycle_find(rq, rs, &c) || !cycle_file_load(rq, rs, &c, &f)) return;
	cycle_file_send(rq, rs, &f);
}

/*
** POST /cycles/{id}/files/{fid}/remove (form: back, csrf)
** Removes the file and deletes it from disk; 303 back to its stage (or
** the cycle, back=cycle).
** Permissions: may(UPDATE, coaching).
*/
void page_cycle_file_remove(req *rq, resp *rs)
{
	coaching_cycle c;
	cycle_file f;
	if (!cycle_find(rq, rs, &c) || !cycle_file_load(rq, rs, &c, &f)) return;
	outcome o = {0};
	cycle_file_remove(rq, &c, &f, &o);
	outcome_redirect(rq, rs, &o, back_to(rq, &c, NULL, f.stage_id, "file-removed", "#stage-files"));
}

/* ---- the cycle's course ---- */

typedef void cycle_course_fn(req *rq, const coaching_cycle *c, outcome *out);

/* Close, reopen and next differ only in the change and where it lands:
 * the cycle itself, or (next) the cycle the change made. */
static void course_change(req *rq, resp *rs, cycle_course_fn *change, const char *ok, bool to_new)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c)) return;
	outcome o = {0};
	change(rq, &c, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/cycles/%lld?ok=%s", (long long)(to_new ? o.id : c.id), ok));
}

/*
** POST /cycles/{id}/close (form: csrf)
** Permissions: may(DEACTIVATE, coaching): the cycle's coaches.
*/
void page_cycle_close(req *rq, resp *rs)
{
	course_change(rq, rs, cycle_close, "cycle-closed", false);
}

/*
** POST /cycles/{id}/reopen (form: csrf)
** Permissions: may(DEACTIVATE, coaching): the cycle's coaches.
*/
void page_cycle_reopen(req *rq, resp *rs)
{
	course_change(rq, rs, cycle_reopen, "cycle-reopened", false);
}

/*
** POST /cycles/{id}/next (form: csrf)
** Opens the next cycle with the same people, its plan starting from this
** one's next steps; 303 to the new cycle.
** Permissions: the cycle's coaches (checked by cycle_next).
*/
void page_cycle_next(req *rq, resp *rs)
{
	course_change(rq, rs, cycle_next, "next-cycle", true);
}

/*
** POST /cycles/{id}/session (form: session_id, 0 to unlink, csrf)
** Links the cycle to the coaching session it counts against.
** Permissions: the cycle's coaches (checked by cycle_link_session).
*/
void page_cycle_session(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c)) return;
	int64_t sid = 0;
	const char *v = text_trim(rq->a, req_form(rq, "session_id"));
	if (v && *v && !parse_i64(v, 0, INT64_MAX, &sid)) {
		resp_error(rq, rs, 400, "invalid", "session_id must be a session's id, or 0", "session_id");
		return;
	}
	outcome o = {0};
	cycle_link_session(rq, &c, sid, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/cycles/%lld?ok=%s", (long long)c.id,
						  sid ? "session-linked" : "session-unlinked"));
}

/* ---- sharing ---- */

static const char *share_what(int stage)
{
	return stage < 0 ? "The whole cycle" : stage_noun((stage_kind)stage);
}

static void shares_table(req *rq, buf *b, const coaching_cycle *c, bool sharer)
{
	/* The table shows even empty, so its columns say what a share is. */
	html_table_open(b);
	/* A teacher sharing knows who shared; without that column the Revoke
	 * button fits a phone's width. */
	html_printf(b, "\n<thead><tr><th scope=\"col\">Who</th><th scope=\"col\">What</th>"
		       "<th scope=\"col\">Since</th>");
	if (sharer) html_printf(b, "<th scope=\"col\"><span class=\"visually-hidden\">Revoke</span></th>");
	else html_printf(b, "<th scope=\"col\">Shared by</th>");
	html_printf(b, "</tr></thead>\n<tbody>\n");
	if (!c->nshares)
		html_printf(b, "<tr><td colspan=\"4\">No one besides the cycle's coaches and teachers.</td></tr>\n");
	for (size_t i = 0; i < c->nshares; i++) {
		const cycle_share *s = &c->shares[i];
		html_printf(b, "<tr><td>%s</td><td>%s</td><td>", s->person_name ? s->person_name : "—", share_what(s->stage));
		time_html(rq->a, b, s->created_at, false);
		html_printf(b, "</td>");
		if (!sharer) html_printf(b, "<td>%s</td>", s->shared_by_name ? s->shared_by_name : "—");
		if (sharer) {
			html_printf(b, "<td>");
			form_button(b, arena_printf(rq->a, "/cycles/%lld/shares/%lld/revoke", (long long)c->id, (long long)s->id),
				    rq->actor->csrf, "Revoke", "Take back this share? They will no longer read it.", NULL,
				    NULL);
			html_printf(b, "</td>");
		}
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
}

static void share_form(req *rq, buf *b, const coaching_cycle *c, const form_errors *e)
{
	cycle_member *cand;
	size_t n = 0;
	if (cycle_share_candidates(rq->db, rq->a, c, &cand, &n) != STORE_OK) {
		html_printf(b, "<p class=\"muted\">The people you could share with could not be loaded.</p>\n");
		return;
	}
	html_printf(b, "<h2>Share it</h2>\n");
	if (!n) {
		html_printf(b, "<p>There is no one at the school or district to share it with.</p>\n");
		return;
	}
	form_option *po = arena_calloc(rq->a, n + 1, sizeof *po);
	po[0] = (form_option){"", "Choose a person"};
	for (size_t i = 0; i < n; i++) po[i + 1] = (form_option){id_text(rq->a, cand[i].person_id), cand[i].name};
	static const form_option what[] = {
		{"cycle", "The whole cycle"}, {"plan", "The plan only"}, {"enact", "The enactment only"},
		{"reflect", "The reflection only"}};
	form_errors shown = *e;
	const char *perr = error_of(e, "person_id", "person");
	if (perr && !form_error_for(e, "person_id")) form_error_add(&shown, "person_id", perr);
	form_begin(b, arena_printf(rq->a, "/cycles/%lld/shares", (long long)c->id), rq->actor->csrf, &shown);
	form_select(b, "person_id", "Person", po, n + 1, e->n ? req_form(rq, "person_id") : "", true, &shown);
	form_select(b, "stage", "What they may read", what, COUNT_OF(what), e->n ? req_form(rq, "stage") : "cycle",
		    true, &shown);
	form_end(b, "Share");
}

static void shares_page(req *rq, resp *rs, int status, const coaching_cycle *c, const form_errors *e)
{
	bool sharer = may_cycle(rq, ACT_SHARE, c);
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, arena_printf(rq->a, "Sharing · %s", cycle_title(c)), "cycles");
	layout_begin(b, &l);
	crumbs(rq, b, c);
	html_printf(b, "<h1>Sharing</h1>\n<p>A person you share with can read the cycle, or the one stage you "
		       "choose, and never edit it; you can take it back at any time. Only the cycle's teachers "
		       "share: its coaches cannot share it on a teacher's behalf.</p>\n");
	if (c->kind == CYCLE_COLLABORATIVE)
		html_printf(b, "<p>In a team's cycle you share the plan and reflection you wrote together, and "
			       "your own classroom's lesson: a colleague's lesson is theirs to share.</p>\n");
	html_printf(b, "<h2>Who else reads it</h2>\n");
	shares_table(rq, b, c, sharer);
	if (sharer) share_form(rq, b, c, e);
	else html_printf(b, "<p class=\"muted\">Only the cycle's teachers share it or take a share back.</p>\n");
	layout_end(b);
}

/* The cycle of {id} for its sharing pages: its members only, 404 else. */
static bool members_cycle(req *rq, resp *rs, coaching_cycle *c)
{
	return cycle_find(rq, rs, c) && cycle_read_on_record(rq, rs, c, "shares", cycle_is_member(c, actor_id(rq)));
}

/*
** GET /cycles/{id}/shares
** Who else reads the cycle (person, the whole cycle or a stage, since),
** with Revoke and a form to share for its teachers; read only for its
** coaches, who must know who reads it.
** Permissions: the cycle's members; 404 for everyone else.
*/
void page_cycle_shares(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!members_cycle(rq, rs, &c)) return;
	form_errors none = {0};
	shares_page(rq, rs, 200, &c, &none);
}

/*
** POST /cycles/{id}/shares (form: person_id, stage = cycle | plan | enact
** | reflect, csrf)
** 303 back to sharing; the page again with 400 beside the fields.
** Permissions: may(SHARE, coaching): the cycle's teachers.
*/
void page_cycle_share_add(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!members_cycle(rq, rs, &c)) return;
	outcome o = {0};
	int64_t person_id = 0;
	int stage = -1;
	const char *what = req_form(rq, "stage");
	stage_kind sk;
	form_id(rq, "person_id", 1, &person_id, &o.errors, "Choose a person from the list.");
	if (!person_id && !o.errors.n) form_error_add(&o.errors, "person_id", "Choose the person to share it with.");
	if (what && stage_parse(what, &sk)) stage = (int)sk;
	else if (what && *what && !str_eq(what, "cycle"))
		form_error_add(&o.errors, "stage", "Choose the whole cycle or one of its stages.");
	if (o.errors.n) outcome_invalid(&o);
	else cycle_share_add(rq, &c, person_id, stage, &o);
	if (o.status == 400 || o.status == 409) {
		form_errors shown = o.errors;
		if (!shown.n) form_error_add(&shown, o.field, o.message);
		shares_page(rq, rs, o.status, &c, &shown);
		return;
	}
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/cycles/%lld/shares?ok=shared", (long long)c.id));
}

/*
** POST /cycles/{id}/shares/{shid}/revoke (form: csrf)
** Takes a share back; 303 back to sharing.
** Permissions: may(SHARE, coaching): the cycle's teachers.
*/
void page_cycle_share_revoke(req *rq, resp *rs)
{
	coaching_cycle c;
	int64_t shid;
	if (!members_cycle(rq, rs, &c) || !param_id(rq, rs, "shid", &shid)) return;
	outcome o = {0};
	cycle_share_revoke(rq, &c, shid, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/cycles/%lld/shares?ok=share-revoked", (long long)c.id));
}

/* ---- the export ---- */

/* Text as a Markdown block: each line indented as a quotation, so that
 * what a person wrote never turns into headings of the file. */
static void md_text(buf *out, const char *text)
{
	if (!text || !*text) {
		buf_puts(out, "_(empty)_\n\n");
		return;
	}
	buf_puts(out, "> ");
	for (const char *p = text; *p; p++) {
		if (*p == '\r') continue;
		buf_putc(out, *p);
		if (*p == '\n') buf_puts(out, "> ");
	}
	buf_puts(out, "\n\n");
}

static void md_stage(req *rq, buf *out, const cycle_stage *st, const cycle_template *t)
{
	const cycle_prompt **p;
	size_t np = cycle_template_stage(rq->a, t, st->stage, &p);
	buf_printf(out, "## %s\n\n%s", stage_title(rq->a, st), stage_status(st));
	if (st->version && st->updated_by_name)
		buf_printf(out, ", last saved by %s, %s", st->updated_by_name, time_text_utc(rq->a, st->updated_at));
	buf_puts(out, "\n\n");
	for (size_t i = 0; i < np; i++) {
		buf_printf(out, "### %s\n\n", p[i]->label);
		md_text(out, answer_text(rq->a, st->stage, p[i]->key, stage_answer(st, p[i]->key)));
	}
}

static store_rc md_enactment(req *rq, buf *out, const cycle_stage *st)
{
	cycle_note *notes;
	cycle_tally *t;
	size_t nn, nt;
	store_rc rc;
	if ((rc = cycle_notes_get(rq->db, rq->a, st->id, &notes, &nn)) != STORE_OK ||
	    (rc = cycle_tallies_get(rq->db, rq->a, st->id, &t, &nt)) != STORE_OK)
		return rc;
	if (nn) buf_puts(out, "### Notes\n\n");
	for (size_t i = 0; i < nn; i++) {
		buf_printf(out, "- %s", time_text_utc(rq->a, notes[i].taken_at));
		if (notes[i].tag)
			buf_printf(out, " [%s]", note_tag_label(notes[i].tag) ? note_tag_label(notes[i].tag) : notes[i].tag);
		buf_printf(out, " %s", notes[i].author_name ? notes[i].author_name : "");
		if (notes[i].body && *notes[i].body) buf_puts(out, ": ");
		for (const char *p = notes[i].body ? notes[i].body : ""; *p; p++) buf_putc(out, *p == '\n' ? ' ' : *p);
		buf_puts(out, "\n");
	}
	if (nn) buf_puts(out, "\n");
	if (nt) buf_puts(out, "### Counts\n\n");
	for (size_t i = 0; i < nt; i++) buf_printf(out, "- %s: %lld\n", t[i].label, (long long)t[i].count);
	if (nt) buf_puts(out, "\n");
	return STORE_OK;
}

static void md_head(req *rq, buf *out, const coaching_cycle *c)
{
	buf_printf(out, "# %s\n\n", cycle_title(c));
	buf_printf(out, "- Kind: %s\n- Stands: %s\n- Teachers: %s\n- Coaches: %s\n", kind_label(c->kind),
		   cycle_state_label(c->state), cycle_people_text(rq->a, c, false), cycle_people_text(rq->a, c, true));
	if (c->team_name) buf_printf(out, "- Team: %s\n", c->team_name);
	if (c->school_name) buf_printf(out, "- School: %s\n", c->school_name);
	if (c->grade) buf_printf(out, "- Grade: %s\n", c->grade);
	buf_printf(out, "- Started: %s\n", c->started_on ? c->started_on : "");
	if (c->lesson_on) buf_printf(out, "- Lesson: %s\n", c->lesson_on);
	buf_printf(out, "- Downloaded by %s, %s\n\n", rq->actor->name ? rq->actor->name : "",
		   time_text_utc(rq->a, now_unix()));
}

static void md_files(req *rq, buf *out, const coaching_cycle *c, const cycle_stage *st, size_t n,
		     const cycle_file *f, size_t nf)
{
	size_t shown = 0;
	for (size_t i = 0; i < nf; i++) {
		if (!cycle_part_readable(c, actor_id(rq), f[i].stage, f[i].classroom)) continue;
		if (!shown++) buf_puts(out, "## Files\n\n");
		const cycle_stage *of = stage_by_id(st, n, f[i].stage_id);
		buf_printf(out, "- %s (%s, %s, %s)\n", f[i].title, of ? stage_title(rq->a, of) : "",
			   file_kind(f[i].content_type), size_text(rq->a, f[i].size_bytes));
	}
	if (shown) buf_puts(out, "\n");
}

static store_rc md_history(req *rq, buf *out, const coaching_cycle *c)
{
	cycle_event *ev;
	size_t n;
	store_rc rc = cycle_history_get(rq->db, rq->a, c->id, &ev, &n);
	if (rc != STORE_OK || !n) return rc;
	buf_puts(out, "## History\n\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "- %s, %s: %s%s%s%s\n", time_text_utc(rq->a, ev[i].at),
			   ev[i].person_name ? ev[i].person_name : "", event_what(rq->a, ev[i].what),
			   ev[i].detail && *ev[i].detail ? " (" : "", ev[i].detail ? ev[i].detail : "",
			   ev[i].detail && *ev[i].detail ? ")" : "");
	buf_puts(out, "\n");
	return STORE_OK;
}

/* The file, from what the asker may read only; the stage ids exported
 * for the audit entry. */
static store_rc export_build(req *rq, const coaching_cycle *c, buf *out, const char **stage_ids)
{
	cycle_template t;
	cycle_stage *st;
	cycle_file *f;
	size_t n, nf;
	store_rc rc;
	if (!template_of(rq, c, &t)) return STORE_ERROR;
	if ((rc = cycle_stages_get(rq->db, rq->a, c->id, &st, &n)) != STORE_OK ||
	    (rc = cycle_files_get(rq->db, rq->a, c->id, &f, &nf)) != STORE_OK)
		return rc;
	md_head(rq, out, c);
	*stage_ids = "";
	for (size_t i = 0; i < n; i++) {
		if (!cycle_stage_readable(c, actor_id(rq), &st[i])) continue;
		*stage_ids = arena_printf(rq->a, "%s%s%lld", *stage_ids, **stage_ids ? " " : "", (long long)st[i].id);
		md_stage(rq, out, &st[i], &t);
		if (st[i].stage == STAGE_ENACT && (rc = md_enactment(rq, out, &st[i])) != STORE_OK) return rc;
	}
	md_files(rq, out, c, st, n, f, nf);
	if (cycle_is_member(c, actor_id(rq))) return md_history(rq, out, c);
	return STORE_OK;
}

/* The audit entry first, in its own transaction: an export that cannot be
 * recorded is not handed out. */
static bool audit_export(req *rq, resp *rs, const coaching_cycle *c, const char *stage_ids)
{
	audit_event ev = {"coaching.export", record_kind_name(REC_COACHING), c->id,
			  c->district_id ? c->district_id : c->partner_id,
			  arena_printf(rq->a, "stages %s", *stage_ids ? stage_ids : "none")};
	if (store_begin(rq->db) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (audit_record(rq->db, rq->actor, rq->remote, &ev) != STORE_OK || store_commit(rq->db) != STORE_OK) {
		log_line("store: %s %s: %s", rq->method, rq->path, store_errmsg(rq->db));
		store_rollback(rq->db);
		resp_store_failed(rq, rs);
		return false;
	}
	return true;
}

/*
** GET /cycles/{id}/export
** The cycle as a Markdown file: the stages the asker may read with their
** answers, the enactments' notes and counts, the files' names, and (for
** members) the history. Audited as coaching.export (ids only).
** Permissions: may(EXPORT, coaching) (members), or a share: a share
** holder exports what they may read.
*/
void page_cycle_export(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c)) return;
	if (!may_cycle(rq, ACT_EXPORT, &c) && !cycle_share_for(&c, actor_id(rq))) {
		resp_error(rq, rs, 403, "forbidden", "you may not download this cycle", NULL);
		return;
	}
	buf out = BUF_INIT;
	const char *stage_ids = "";
	if (export_build(rq, &c, &out, &stage_ids) != STORE_OK) {
		buf_free(&out);
		resp_store_failed(rq, rs);
		return;
	}
	if (!audit_export(rq, rs, &c, stage_ids)) {
		buf_free(&out);
		return;
	}
	buf_free(&rs->body);
	rs->body = out;
	rs->status = 200;
	rs->content_type = "text/markdown; charset=utf-8";
	resp_header_add(rs, "Content-Disposition",
			arena_printf(rq->a, "attachment; filename=\"coaching-cycle-%lld.md\"", (long long)c.id));
	resp_header_add(rs, "Cache-Control", "private, no-store");
}
