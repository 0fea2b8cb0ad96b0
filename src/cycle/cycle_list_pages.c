/* Coaching-cycle pages: my cycles (filtered, searched), a teacher's
 * cycles and the next steps of their reflections. */
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
#include "cycle_pages.h"
#include "cycle_web.h"

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
	html_printf(
		b,
		"<li class=\"card cycle-card\">\n<h3><a href=\"%s\">%s</a></h3>\n<p class=\"muted\">%s · %s",
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
	html_printf(b, "<details class=\"filters\"%s><summary>Search</summary>\n",
		    f->q || f->state >= 0 ? " open" : "");
	html_printf(b,
		    "<form class=\"filters\" method=\"get\" action=\"/cycles\">\n"
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
			html_printf(b,
				    "<details class=\"closed-cycles\"><summary><h2>%s <span "
				    "class=\"muted\">(%zu)</span>"
				    "</h2></summary>\n",
				    label, count);
		else html_printf(b, "<h2>%s <span class=\"muted\">(%zu)</span></h2>\n", label, count);
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
	else if (may_start)
		html_printf(b, "<p>No coaching cycles yet. Start one with a teacher or a team.</p>\n");
	else
		html_printf(b,
			    "<p>You have no coaching cycles. Coaching cycles are private to their coach and "
			    "teachers; one appears here only when you are in it or a teacher shares it with "
			    "you.</p>\n");
}

/* The key of a reflection's next steps. */
static const char *next_steps_key(void)
{
	size_t n;
	const stage_field *f = stage_fields(STAGE_REFLECT, &n);
	for (size_t i = 0; i < n; i++)
		if (strstr(f[i].key, "next")) return f[i].key;
	return "next_steps";
}

/* A begun reflection the asker may read, with its cycle. */
typedef struct reflection {
	const coaching_cycle *cycle;
	const cycle_stage *stage;
} reflection;

static bool reflection_shown(const req *rq, const coaching_cycle *c, const cycle_stage *st)
{
	return st->stage == STAGE_REFLECT && st->version && cycle_stage_readable(c, actor_id(rq), st);
}

/* The reflections of the cycles in list, in the list's order. */
static store_rc reflections_load(req *rq, const coaching_cycle *list, size_t n, reflection **out,
				 size_t *count)
{
	cycle_stage **st = arena_calloc(rq->a, n + 1, sizeof *st);
	size_t *nst = arena_calloc(rq->a, n + 1, sizeof *nst), total = 0;
	for (size_t i = 0; i < n; i++) {
		store_rc rc = cycle_stages_get(rq->db, rq->a, list[i].id, &st[i], &nst[i]);
		if (rc != STORE_OK) return rc;
		total += nst[i];
	}
	*out = arena_calloc(rq->a, total + 1, sizeof **out);
	*count = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < nst[i]; j++)
			if (reflection_shown(rq, &list[i], &st[i][j]))
				(*out)[(*count)++] = (reflection){&list[i], &st[i][j]};
	return STORE_OK;
}

static void reflection_card(req *rq, buf *b, const reflection *r)
{
	const coaching_cycle *c = r->cycle;
	const cycle_stage *st = r->stage;
	const char *next = stage_answer(st, next_steps_key());
	html_printf(
		b,
		"<li class=\"card\">\n<h2><a href=\"%s\">%s</a></h2>\n<p class=\"muted\">%s · %s · %s</p>\n",
		stage_href(rq->a, c->id, st->id), cycle_title(c), cycle_who(rq->a, c), stage_status(st),
		c->started_on ? c->started_on : "");
	if (next && *next) html_printf(b, "<h3>Next steps</h3>\n<p class=\"prewrap\">%s</p>\n", next);
	html_printf(b, "</li>\n");
}

static void reflections_page(req *rq, resp *rs, const coaching_cycle *list, size_t n)
{
	reflection *r;
	size_t nr;
	if (reflections_load(rq, list, n, &r, &nr) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "My reflections", "cycles");
	layout_begin(b, &l);
	crumbs(rq, b, NULL);
	html_printf(b, "<h1>My reflections</h1>\n");
	if (!nr)
		html_printf(
			b,
			"<p>No reflections yet. A cycle's reflection appears here once it is begun.</p>\n");
	else {
		html_printf(b, "<ul class=\"cycle-list\">\n");
		for (size_t i = 0; i < nr; i++) reflection_card(rq, b, &r[i]);
		html_printf(b, "</ul>\n");
	}
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
		html_printf(b,
			    "<a class=\"button button-secondary\" href=\"/cycles?view=reflections\">My "
			    "reflections</a>");
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
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Started</th><th scope=\"col\">Cycle</th>"
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
