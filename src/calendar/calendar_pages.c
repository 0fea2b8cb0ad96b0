/* The calendar: a month grid (a table with a caption, the same sessions as
 * a list beneath it for a phone), a week, and a plain list; filters by
 * engagement, school, team and facilitator; "my calendar" with mine=1. */
#include <string.h>
#include <stdlib.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../engagement/engagement_web.h"
#include "../org/org.h"
#include "../team/team.h"
#include "../web/app.h"
#include "session.h"

/* One choice of a filter select: what is sent and what is shown. */
typedef struct choice {
	int64_t id;
	const char *label;
} choice;

/* The choices of each filter: only what the person may see. */
typedef struct filter_choices {
	choice *engagements, *schools, *teams, *facilitators;
	size_t nengagements, nschools, nteams, nfacilitators;
} filter_choices;

static const char *const weekday_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const month_names[] = {"January",   "February", "March",    "April",
					  "May",       "June",     "July",     "August",
					  "September", "October",  "November", "December"};

static int64_t today(void)
{
	return now_unix() / 86400;
}

/* A teacher's calendar starts as their own; anyone may ask for more. */
static bool mine_by_default(const req *rq)
{
	const actor *a = rq->actor;
	for (size_t i = 0; i < a->ngrants; i++)
		if (a->grants[i].role != ROLE_TEACHER) return false;
	return a->ngrants > 0;
}

static const char *filter_query(req *rq, const session_filter *f)
{
	const char *q = "";
	if (f->engagement_id) q = arena_printf(rq->a, "%s&engagement=%lld", q, (long long)f->engagement_id);
	if (f->school_id) q = arena_printf(rq->a, "%s&school=%lld", q, (long long)f->school_id);
	if (f->team_id) q = arena_printf(rq->a, "%s&team=%lld", q, (long long)f->team_id);
	if (f->facilitator_id)
		q = arena_printf(rq->a, "%s&facilitator=%lld", q, (long long)f->facilitator_id);
	return arena_printf(rq->a, "%s&mine=%d", q, f->mine ? 1 : 0);
}

static void choice_field(buf *b, const char *name, const char *label, const choice *c, size_t n, int64_t v)
{
	html_printf(b,
		    "<div class=\"field\"><label for=\"f-%s\">%s</label>"
		    "<select id=\"f-%s\" name=\"%s\"><option value=\"\">Any</option>",
		    name, label, name, name);
	for (size_t i = 0; i < n; i++)
		html_printf(b, "<option value=\"%lld\"%s>%s</option>", (long long)c[i].id,
			    c[i].id == v ? " selected" : "", c[i].label);
	html_printf(b, "</select></div>\n");
}

static choice *choices_new(req *rq, size_t n)
{
	return arena_calloc(rq->a, n ? n : 1, sizeof(choice));
}

static store_rc engagement_choices(req *rq, filter_choices *fc)
{
	engagement *list;
	size_t n;
	store_rc rc = engagement_visible(rq, &list, &n);
	if (rc != STORE_OK) return rc;
	fc->engagements = choices_new(rq, n);
	for (size_t i = 0; i < n; i++) fc->engagements[i] = (choice){list[i].id, list[i].title};
	fc->nengagements = n;
	return STORE_OK;
}

static store_rc school_choices(req *rq, filter_choices *fc)
{
	org *list;
	size_t n;
	store_rc rc = org_visible(rq, &(org_filter){.kind = "school"}, &list, &n);
	if (rc != STORE_OK) return rc;
	fc->schools = choices_new(rq, n);
	for (size_t i = 0; i < n; i++) fc->schools[i] = (choice){list[i].id, list[i].name};
	fc->nschools = n;
	return STORE_OK;
}

static store_rc team_choices(req *rq, filter_choices *fc)
{
	team *list;
	size_t n;
	store_rc rc = team_visible(rq, &(team_filter){0}, &list, &n);
	if (rc != STORE_OK) return rc;
	fc->teams = choices_new(rq, n);
	for (size_t i = 0; i < n; i++)
		fc->teams[i] = (choice){list[i].id,
					arena_printf(rq->a, "%s (%s)", list[i].name,
						     list[i].org_name ? list[i].org_name : "")};
	fc->nteams = n;
	return STORE_OK;
}

/* Facilitators are the people who facilitate a session the person may
 * see: anyone else could only ever show an empty calendar. Rows come
 * ordered by person, so each person is kept once. */
static store_rc facilitator_choices(req *rq, filter_choices *fc)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_PL_SESSION, &v);
	pl_session *sessions;
	session_party *people;
	size_t n;
	store_rc rc =
		pl_session_facilitations(rq->db, rq->a, &v, rq->actor->person_id, &sessions, &people, &n);
	if (rc != STORE_OK) return rc;
	fc->facilitators = choices_new(rq, n);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && fc->facilitators[k - 1].id == people[i].id) continue;
		if (!may_session(rq, ACT_READ, &sessions[i])) continue;
		fc->facilitators[k++] = (choice){people[i].id, people[i].name};
	}
	fc->nfacilitators = k;
	return STORE_OK;
}

static store_rc filter_choices_load(req *rq, filter_choices *fc)
{
	store_rc rc = engagement_choices(rq, fc);
	if (rc == STORE_OK) rc = school_choices(rq, fc);
	if (rc == STORE_OK) rc = team_choices(rq, fc);
	if (rc == STORE_OK) rc = facilitator_choices(rq, fc);
	return rc;
}

/* On a phone the filters take much height: folded unless one is set. */
static void filter_form(buf *b, const filter_choices *fc, const session_filter *f, const char *view,
			const char *date)
{
	bool any = f->engagement_id || f->school_id || f->team_id || f->facilitator_id;
	html_printf(b, "<details class=\"filters\"%s><summary>Filters</summary>\n", any ? " open" : "");
	html_printf(b,
		    "<form class=\"filters\" method=\"get\" action=\"/calendar\">\n"
		    "<input type=\"hidden\" name=\"view\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"date\" value=\"%s\">\n",
		    view, date);
	choice_field(b, "engagement", "Engagement", fc->engagements, fc->nengagements, f->engagement_id);
	choice_field(b, "school", "School", fc->schools, fc->nschools, f->school_id);
	choice_field(b, "team", "Team", fc->teams, fc->nteams, f->team_id);
	choice_field(b, "facilitator", "Facilitator", fc->facilitators, fc->nfacilitators, f->facilitator_id);
	html_printf(
		b,
		"<div class=\"field\"><label for=\"f-mine\">Whose</label><select id=\"f-mine\" name=\"mine\">"
		"<option value=\"1\"%s>My calendar</option><option value=\"0\"%s>Everything I may see"
		"</option></select></div>\n<button type=\"submit\">Show</button>\n</form>\n</details>\n",
		f->mine ? " selected" : "", f->mine ? "" : " selected");
}

static void session_link(buf *b, const pl_session *s)
{
	const char *block = session_block_label(s->block);
	html_printf(b, "<a class=\"session status-%s\" href=\"/sessions/%lld\">%s%s%s</a>", s->status,
		    (long long)s->id,
		    block                  ? block
			    : s->starts_at ? s->starts_at
					   : "",
		    " ", s->title);
	if (str_eq(s->status, "cancelled")) html_printf(b, " <span class=\"muted\">(cancelled)</span>");
}

static void session_list(buf *b, const pl_session *list, size_t n)
{
	if (!n) {
		html_printf(b, "<p>No sessions.</p>\n");
		return;
	}
	html_printf(b, "<ul class=\"calendar-list\">\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<li><time datetime=\"%s\">%s</time> ", list[i].on_date, list[i].on_date);
		session_link(b, &list[i]);
		html_printf(b, " <span class=\"muted\">%s</span></li>\n",
			    list[i].school_name             ? list[i].school_name
				    : list[i].district_name ? list[i].district_name
							    : "");
	}
	html_printf(b, "</ul>\n");
}

static void day_cell(req *rq, buf *b, int64_t day, const pl_session *list, size_t n, bool in_month)
{
	const char *date = session_date_of(rq->a, day);
	html_printf(b, "<td class=\"%s\"><span class=\"day\">%s</span>", in_month ? "" : "muted", date + 8);
	for (size_t i = 0; i < n; i++)
		if (str_eq(list[i].on_date, date)) {
			html_printf(b, "<br>");
			session_link(b, &list[i]);
		}
	html_printf(b, "</td>");
}

static void month_table(req *rq, buf *b, int64_t first, int64_t last, const pl_session *list, size_t n,
			const char *caption)
{
	int64_t start = first - session_weekday(first), end = last + (6 - session_weekday(last));
	html_table_open(b);
	html_printf(b, "<caption>%s</caption>\n<thead><tr>", caption);
	for (int d = 0; d < 7; d++) html_printf(b, "<th scope=\"col\">%s</th>", weekday_names[d]);
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (int64_t day = start; day <= end; day++) {
		if (session_weekday(day) == 0) html_printf(b, "<tr>");
		day_cell(rq, b, day, list, n, day >= first && day <= last);
		if (session_weekday(day) == 6) html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* The span a view shows around the anchor day. */
static void view_span(const char *view, int64_t anchor, int64_t *first, int64_t *last)
{
	if (str_eq(view, "week")) {
		*first = anchor - session_weekday(anchor);
		*last = *first + 6;
		return;
	}
	session_month_span(anchor, first, last);
}

/*
** GET /calendar?view=month|week|list&date=YYYY-MM-DD&engagement=ID&school=ID&team=ID
**   &facilitator=ID&mine=0|1
** Sessions the person may see; mine=1 (a teacher's default): those they
** facilitate or take part in, also through their teams.
** The filters are selects of what the person may see (engagements, schools,
** teams, facilitators of visible sessions), folded unless one is set.
** Permissions: signed in; each session through may(READ, session).
*/
void page_calendar(req *rq, resp *rs)
{
	session_filter f;
	if (!session_read_filter(rq, rs, &f)) return;
	if (!req_query(rq, "mine")) f.mine = mine_by_default(rq);
	const char *view = req_query(rq, "view");
	if (!view || !*view) view = "month";
	if (!str_eq(view, "month") && !str_eq(view, "week") && !str_eq(view, "list")) {
		resp_error(rq, rs, 400, "bad_view", "view must be month, week or list", "view");
		return;
	}
	int64_t anchor = today();
	const char *date = req_query(rq, "date");
	if (date && *date && !session_day_number(date, &anchor)) {
		resp_error(rq, rs, 400, "bad_date", "date must be a date (YYYY-MM-DD)", "date");
		return;
	}
	int64_t first = 0, last = 0;
	if (!str_eq(view, "list")) {
		view_span(view, anchor, &first, &last);
		if (!f.from) f.from = session_date_of(rq->a, first);
		if (!f.to) f.to = session_date_of(rq->a, last);
	}
	pl_session *list;
	size_t n;
	filter_choices fc = {0};
	if (session_visible(rq, &f, &list, &n) != STORE_OK || filter_choices_load(rq, &fc) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Calendar", "calendar");
	layout_begin(b, &l);
	html_printf(b, "<h1>%s</h1>\n", f.mine ? "My calendar" : "Calendar");
	const char *q = filter_query(rq, &f), *anchor_date = session_date_of(rq->a, anchor);
	html_printf(b,
		    "<p class=\"views\"><a href=\"/calendar?view=month&date=%s%s\">Month</a> · "
		    "<a href=\"/calendar?view=week&date=%s%s\">Week</a> · "
		    "<a href=\"/calendar?view=list%s\">List</a></p>\n",
		    anchor_date, q, anchor_date, q, q);
	filter_form(b, &fc, &f, view, anchor_date);
	if (str_eq(view, "month")) {
		const char *d = session_date_of(rq->a, first);
		const char *caption = arena_printf(rq->a, "%s %d", month_names[atoi(d + 5) - 1], atoi(d));
		html_printf(b,
			    "<p><a href=\"/calendar?view=month&date=%s%s\">Previous month</a> · "
			    "<a href=\"/calendar?view=month&date=%s%s\">Next month</a></p>\n",
			    session_date_of(rq->a, first - 1), q, session_date_of(rq->a, last + 1), q);
		month_table(rq, b, first, last, list, n, caption);
		html_printf(b, "<h2>%s, as a list</h2>\n", caption);
	} else if (str_eq(view, "week")) {
		html_printf(b,
			    "<h2>Week of %s</h2>\n<p><a href=\"/calendar?view=week&date=%s%s\">Previous week"
			    "</a> · <a href=\"/calendar?view=week&date=%s%s\">Next week</a></p>\n",
			    session_date_of(rq->a, first), session_date_of(rq->a, first - 7), q,
			    session_date_of(rq->a, first + 7), q);
	}
	session_list(b, list, n);
	layout_end(b);
}
