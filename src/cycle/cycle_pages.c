/* Coaching-cycle pages: one cycle with its stages, evidence, controls and
 * history. Content shows only to the cycle's members and to those a
 * teacher shared it with (cycle_find, cycle_read_on_record and
 * cycle_part_readable decide); every control shows only to those the
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
#include "cycle_pages.h"
#include "cycle_web.h"

/* The accepted evidence, for the file chooser: the server checks content. */
static const char EVIDENCE_ACCEPT[] = "image/*,video/*,audio/*,.pdf,.docx,.xlsx,.pptx,.txt";

/* What the cycle page shows, read before it is written. */
typedef struct cycle_view {
	cycle_stage *stages;
	size_t nstages;
	cycle_file *files;
	size_t nfiles;
	observation *observations; /* shown on the enactments' cards */
	size_t nobservations;
	pl_session *sessions; /* a coach's sessions to link it to, none cancelled */
	size_t nsessions;
	cycle_event *history; /* for its members */
	size_t nhistory;
} cycle_view;

static void progress_steps(buf *b, const coaching_cycle *c)
{
	html_printf(b, "<ol class=\"cycle-progress\" aria-label=\"Where the cycle stands\">\n");
	for (int s = 0; s < CYCLE_STATE_COUNT; s++) {
		bool done = s < (int)c->state || c->state == CYCLE_CLOSED;
		bool now = s == (int)c->state;
		const char *label = cycle_state_label((cycle_state)s);
		if (now)
			html_printf(b,
				    "<li class=\"now\" aria-current=\"step\">%s<span "
				    "class=\"visually-hidden\"> (now)</span></li>\n",
				    label);
		else if (done)
			html_printf(
				b,
				"<li class=\"done\">%s<span class=\"visually-hidden\"> (done)</span></li>\n",
				label);
		else html_printf(b, "<li class=\"todo\">%s</li>\n", label);
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
			html_printf(b, "<a href=\"/people/%lld/cycles\">%s</a>", (long long)m->person_id,
				    m->name);
		else html_printf(b, "%s", m->name);
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
		    c->school_name             ? c->school_name
			    : c->district_name ? c->district_name
					       : "—");
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
	html_printf(b, "<input type=\"text\" id=\"%s\" name=\"%s\" value=\"%s\"", id, name,
		    value ? value : "");
	form_control_described(b, id, hint, error);
	html_printf(b, ">\n</div>\n");
}

static const char *upload_hint(req *rq)
{
	return arena_printf(rq->a,
			    "a photo of student work, video or audio of the lesson, PDF, Office or "
			    "text; video and audio up to %llu MB, others up to %llu MB",
			    (unsigned long long)(rq->app->media_max >> 20),
			    (unsigned long long)(rq->app->file_max >> 20));
}

/* An upload form for stage st; idp keeps its fields' ids apart from
 * other forms on the page, back_to_cycle returns to the cycle page. */
void upload_form(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, const char *idp,
		 const form_errors *e, bool back_to_cycle)
{
	arena *a = rq->a;
	const char *title_id = arena_printf(a, "%stitle", idp), *file_id = arena_printf(a, "%sfile", idp);
	const char *hint = upload_hint(rq);
	const char *ferr = form_error_for(e, "file"), *terr = form_error_for(e, "title");
	html_printf(b,
		    "<form method=\"post\" action=\"%s/files\" enctype=\"multipart/form-data\" "
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
	html_printf(b,
		    "<div class=\"actions\"><button type=\"submit\">Add the file</button></div>\n</form>\n");
}

static void stage_card(req *rq, buf *b, const coaching_cycle *c, const cycle_view *v, const cycle_stage *st,
		       bool editable)
{
	arena *a = rq->a;
	html_printf(b,
		    "<li class=\"card stage-card stage-%s\">\n<h3><a href=\"%s\">%s</a></h3>\n"
		    "<p><span class=\"badge badge-%s\">%s</span>",
		    st->complete          ? "complete"
			    : st->version ? "draft"
					  : "new",
		    stage_href(a, c->id, st->id), stage_title(a, st),
		    st->complete          ? "complete"
			    : st->version ? "draft"
					  : "new",
		    stage_status(st));
	if (st->version && st->updated_at) {
		html_printf(b, " <span class=\"muted\">saved by %s, ",
			    st->updated_by_name ? st->updated_by_name : "—");
		time_html(a, b, st->updated_at, false);
		html_printf(b, "</span>");
	}
	html_printf(b, "</p>\n");
	/* Full-lesson observations with a rubric (cycle_observation.c). */
	if (st->stage == STAGE_ENACT)
		cycle_observation_links(rq, b, c, v->observations, v->nobservations, editable);
	if (editable) {
		html_printf(b, "<details class=\"add-file\"><summary>Add a file to the %s</summary>\n",
			    st->stage == STAGE_PLAN            ? "plan"
				    : st->stage == STAGE_ENACT ? "enactment"
							       : "reflection");
		upload_form(rq, b, c, st, arena_printf(a, "s%lld-", (long long)st->id), NULL, true);
		html_printf(b, "</details>\n");
	}
	html_printf(b, "</li>\n");
}

const cycle_stage *stage_by_id(const cycle_stage *st, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (st[i].id == id) return &st[i];
	return NULL;
}

const char *file_kind(const char *content_type)
{
	if (str_starts(content_type, "image/")) return "photo";
	if (str_starts(content_type, "video/")) return "video";
	if (str_starts(content_type, "audio/")) return "audio";
	if (str_starts(content_type, "application/pdf")) return "PDF";
	if (str_starts(content_type, "text/")) return "text";
	return "document";
}

/* The files of the stages the asker may read (of one stage when only). */
void files_list(req *rq, buf *b, const coaching_cycle *c, const cycle_stage *st, size_t n,
		const cycle_file *f, size_t nf, int64_t only, bool editable, bool back_to_cycle)
{
	arena *a = rq->a;
	size_t shown = 0;
	for (size_t i = 0; i < nf; i++) {
		if ((only && f[i].stage_id != only) ||
		    !cycle_part_readable(c, actor_id(rq), f[i].stage, f[i].classroom))
			continue;
		if (!shown++) html_printf(b, "<ul class=\"files\">\n");
		const cycle_stage *of = stage_by_id(st, n, f[i].stage_id);
		html_printf(b, "<li><a href=\"/cycles/%lld/files/%lld\">%s</a> <span class=\"muted\">(",
			    (long long)c->id, (long long)f[i].id, f[i].title);
		if (!only && of) html_printf(b, "%s · ", stage_title(a, of));
		html_printf(b, "%s, %s, %s, ", file_kind(f[i].content_type), size_text(a, f[i].size_bytes),
			    f[i].created_by_name ? f[i].created_by_name : "—");
		time_html(a, b, f[i].created_at, false);
		html_printf(b, ")</span>");
		if (editable)
			form_button(b,
				    arena_printf(a, "/cycles/%lld/files/%lld/remove", (long long)c->id,
						 (long long)f[i].id),
				    rq->actor->csrf, "Remove",
				    "Remove this file? It is deleted for everyone.",
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
			    "Close the cycle",
			    "Close this cycle? Nothing in it can change until it is reopened.", NULL, NULL);
	if (closer && c->state == CYCLE_CLOSED)
		form_button(b, arena_printf(a, "/cycles/%lld/reopen", (long long)c->id), rq->actor->csrf,
			    "Reopen the cycle", NULL, NULL, NULL);
	if (coach && !c->next_id && p->reflect_complete)
		form_button(b, arena_printf(a, "/cycles/%lld/next", (long long)c->id), rq->actor->csrf,
			    "Open the next cycle", NULL, NULL, NULL);
	html_printf(b, "</div>\n");
}

static void session_link_form(req *rq, buf *b, const coaching_cycle *c, const cycle_view *v)
{
	if (!cycle_is_coach(c, actor_id(rq))) return;
	html_printf(
		b, "<details class=\"session-link\"><summary>Coaching session it counts against</summary>\n");
	form_errors none = {0};
	form_begin(b, arena_printf(rq->a, "/cycles/%lld/session", (long long)c->id), rq->actor->csrf, &none);
	session_field(rq, b, v->sessions, v->nsessions, c->session_id, &none, "Coaching session");
	form_end(b, "Save");
	html_printf(b, "</details>\n");
}

/* A history entry in words: "Plan saved", "Shared"; what the tables do
 * not know stays as recorded. */
const char *event_what(arena *a, const char *what)
{
	static const struct {
		const char *what, *text;
	} whole[] = {{"start", "Cycle started"},
		     {"close", "Cycle closed"},
		     {"reopen", "Cycle reopened"},
		     {"next", "Next cycle opened"},
		     {"session", "Coaching session changed"},
		     {"share", "Shared"},
		     {"unshare", "Share taken back"},
		     {"file.add", "File added"},
		     {"file.remove", "File removed"}},
	  of_stage[] = {{"save", "saved"},
			{"complete", "marked complete"},
			{"note.add", "note added"},
			{"note.remove", "note removed"},
			{"file.add", "file added"},
			{"file.remove", "file removed"},
			{"observation.add", "observation added"},
			{"observation.save", "observation saved"},
			{"observation.remove", "observation removed"}};
	if (!what) return "";
	for (size_t i = 0; i < COUNT_OF(whole); i++)
		if (str_eq(whole[i].what, what)) return whole[i].text;
	const char *dot = strchr(what, '.');
	stage_kind sk;
	if (!dot || !stage_parse(arena_strndup(a, what, (size_t)(dot - what)), &sk)) return what;
	for (size_t i = 0; i < COUNT_OF(of_stage); i++)
		if (str_eq(of_stage[i].what, dot + 1))
			return arena_printf(a, "%s %s", stage_noun(sk), of_stage[i].text);
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

static void history_table(req *rq, buf *b, const cycle_event *ev, size_t n)
{
	html_printf(b, "<h2 id=\"history\">History</h2>\n");
	if (!n) {
		html_printf(b, "<p class=\"muted\">Nothing yet.</p>\n");
		return;
	}
	html_printf(b, "<details class=\"history\"%s><summary>%zu change%s</summary>\n",
		    n <= 8 ? " open" : "", n, n == 1 ? "" : "s");
	/* A list, newest first, not a table: three columns do not fit a phone. */
	html_printf(b, "<ol class=\"history-list\" reversed>\n");
	for (size_t i = n; i-- > 0;) {
		html_printf(b, "<li><span class=\"history-what\">%s</span>", event_what(rq->a, ev[i].what));
		if (ev[i].detail && *ev[i].detail)
			html_printf(b, " <span class=\"muted\">(%s)</span>",
				    comma_spaced(rq->a, ev[i].detail));
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
		html_printf(b, "<a class=\"button button-secondary\" href=\"/cycles/%lld/shares\">%s</a> ",
			    (long long)c->id, may_cycle(rq, ACT_SHARE, c) ? "Sharing" : "Who else reads it");
	if (exporter)
		html_printf(b,
			    "<a class=\"button button-secondary\" href=\"/cycles/%lld/export\">Download</a>",
			    (long long)c->id);
	html_printf(b, "</p>\n");
}

static store_rc cycle_view_load(req *rq, const coaching_cycle *c, cycle_view *v)
{
	*v = (cycle_view){0};
	store_rc rc = cycle_stages_get(rq->db, rq->a, c->id, &v->stages, &v->nstages);
	if (rc == STORE_OK) rc = cycle_files_get(rq->db, rq->a, c->id, &v->files, &v->nfiles);
	if (rc == STORE_OK)
		rc = cycle_observations(rq->db, rq->a, c->id, &v->observations, &v->nobservations);
	if (rc == STORE_OK && cycle_is_coach(c, actor_id(rq)))
		rc = coaching_sessions_load(rq, &v->sessions, &v->nsessions);
	if (rc == STORE_OK && cycle_is_member(c, actor_id(rq)))
		rc = cycle_history_get(rq->db, rq->a, c->id, &v->history, &v->nhistory);
	return rc;
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
	cycle_view v;
	if (cycle_view_load(rq, &c, &v) != STORE_OK) {
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
		html_printf(b,
			    "<p class=\"muted\">This cycle is closed; nothing in it changes until a coach "
			    "reopens it.</p>\n");
	cycle_facts(rq, b, &c);
	cycle_links(rq, b, &c);
	html_printf(b, "<h2>Stages</h2>\n<ul class=\"stage-list\">\n");
	for (size_t i = 0; i < v.nstages; i++)
		if (cycle_stage_readable(&c, actor_id(rq), &v.stages[i]))
			stage_card(rq, b, &c, &v, &v.stages[i], editable);
	html_printf(b, "</ul>\n<h2 id=\"evidence\">Evidence</h2>\n");
	files_list(rq, b, &c, v.stages, v.nstages, v.files, v.nfiles, 0, editable, true);
	cycle_progress p = cycle_progress_of(&c, v.stages, v.nstages);
	coach_controls(rq, b, &c, &p);
	session_link_form(rq, b, &c, &v);
	if (member) history_table(rq, b, v.history, v.nhistory);
	layout_end(b);
}
