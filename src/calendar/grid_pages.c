/* The grid page's tools: the form that builds a collaborative coaching grid
 * (a line, then per day a date and an AM and a PM team) and the swap forms. */
#include <string.h>

#include "../base/util.h"
#include "../engagement/engagement_web.h"
#include "../html/html.h"
#include "../team/team.h"
#include "../web/app.h"
#include "session.h"

enum {
	GRID_FORM_DAYS_DEFAULT = 4, /* rows shown before anyone asks for more */
	GRID_FORM_DAYS_MAX = 10     /* rows a form offers; the API takes more */
};

/* How many day rows to draw: ?days=N (1–10), else the default. */
static int grid_form_days(req *rq)
{
	int64_t days;
	const char *v = req_query(rq, "days");
	if (v && parse_i64(v, 1, GRID_FORM_DAYS_MAX, &days)) return (int)days;
	return GRID_FORM_DAYS_DEFAULT;
}

/* The engagement's active teams: those of its district and its schools
 * that the actor may see. */
static store_rc grid_team_choices(req *rq, int64_t district_id, form_option **out, size_t *nout)
{
	team_filter f = {0};
	team *t;
	size_t n;
	store_rc rc = team_visible(rq, &f, &t, &n);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(rq->a, n + 1, sizeof **out);
	(*out)[0] = (form_option){"", "None"};
	*nout = 1;
	for (size_t i = 0; i < n; i++)
		if (t[i].active && t[i].district_id == district_id)
			(*out)[(*nout)++] =
				(form_option){arena_printf(rq->a, "%lld", (long long)t[i].id),
					      arena_printf(rq->a, "%s (%s)", t[i].name, t[i].org_name)};
	return STORE_OK;
}

static bool has_text(const char *s)
{
	return s && *s;
}

/* The lines a grid may draw on, each with what it has left. */
static store_rc grid_line_choices(req *rq, int64_t engagement_id, form_option **out, size_t *nout)
{
	service_line *l;
	size_t n;
	store_rc rc = engagement_lines(rq->db, rq->a, engagement_id, &l, &n);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(rq->a, n + 1, sizeof **out);
	for (size_t i = 0; i < n; i++) {
		line_balance x = service_line_balance(&l[i]);
		(*out)[i] = (form_option){arena_printf(rq->a, "%lld", (long long)l[i].id),
					  arena_printf(rq->a, "%s%s%s (%s of %s left)", l[i].kind_label,
						       has_text(l[i].description) ? ": " : "",
						       has_text(l[i].description) ? l[i].description : "",
						       milli_text(rq->a, x.remaining_milli),
						       milli_text(rq->a, x.committed_milli))};
	}
	(*out)[n] = (form_option){"", "No service line"};
	*nout = n + 1;
	return STORE_OK;
}

/* One select with a label of its own id (the day rows repeat names, so
 * form_select's id-from-name would repeat ids). */
static void grid_select(buf *b, const char *name, const char *id, const char *label, const form_option *o,
			size_t n)
{
	html_printf(b,
		    "<div class=\"field\">\n<label for=\"%s\">%s</label>\n<select id=\"%s\" name=\"%s\">\n",
		    id, label, id, name);
	for (size_t i = 0; i < n; i++)
		html_printf(b, "<option value=\"%s\">%s</option>\n", o[i].value, o[i].label);
	html_printf(b, "</select>\n</div>\n");
}

/* Day d's row: a fieldset with its date and the teams of its two blocks. */
static void grid_day_row(req *rq, buf *b, int d, const form_option *teams, size_t nteams)
{
	html_printf(b, "<fieldset class=\"grid-day\"><legend>Day %d</legend>\n", d);
	html_printf(b,
		    "<div class=\"field\">\n<label for=\"date-%d\">Date</label>\n"
		    "<input type=\"date\" id=\"date-%d\" name=\"date\" value=\"\">\n</div>\n",
		    d, d);
	grid_select(b, "am_team", arena_printf(rq->a, "am-team-%d", d), "AM team", teams, nteams);
	grid_select(b, "pm_team", arena_printf(rq->a, "pm-team-%d", d), "PM team", teams, nteams);
	html_printf(b, "</fieldset>\n");
}

/* The builder: first how many days (a GET that redraws the rows), then the
 * grid itself, posted in the fields page_grid_create reads. */
static void grid_builder(req *rq, buf *b, int64_t engagement_id, const grid_tools_view *v)
{
	int days = grid_form_days(rq);
	const char *to = arena_printf(rq->a, "/engagements/%lld/grid", (long long)engagement_id);
	html_printf(b,
		    "<h2 id=\"build\">Build a grid</h2>\n<p>Each block is half a day of the line: "
		    "a team in the morning and a team in the afternoon. Leave a block at "
		    "“None” to skip it.</p>\n");
	html_printf(
		b,
		"<form method=\"get\" action=\"%s#build\" class=\"filters\">\n<div class=\"field\">\n"
		"<label for=\"days\">Number of days</label>\n<span class=\"hint\" id=\"days-hint\">1 to %d"
		"</span>\n<input type=\"number\" id=\"days\" name=\"days\" min=\"1\" max=\"%d\" value=\"%d\" "
		"aria-describedby=\"days-hint\">\n</div>\n<button type=\"submit\" class=\"secondary\">"
		"Set up days</button>\n</form>\n",
		to, GRID_FORM_DAYS_MAX, GRID_FORM_DAYS_MAX, days);
	form_errors none = {0};
	form_begin(b, to, rq->actor->csrf, &none);
	form_select(b, "service_line_id", "Service line to draw on", v->lines, v->nlines, NULL, false, &none);
	form_input(b, "text", "title", "Title", NULL, false, "Empty: “Collaborative coaching cycle”", &none);
	for (int d = 1; d <= days; d++) grid_day_row(rq, b, d, v->teams, v->nteams);
	form_end(b, "Build the grid");
}

/* The name a block goes by in the swap forms: "Day 1 AM (GK)". */
static const char *block_name(arena *a, const grid_block *x)
{
	return arena_printf(a, "Day %d %s (%s)", x->day, session_block_label(x->block),
			    x->team_name ? x->team_name : "no team");
}

/* Other blocks of x's grid a team may move to. */
static size_t swap_partners(const grid_block *g, size_t n, size_t x)
{
	size_t k = 0;
	for (size_t j = 0; j < n; j++)
		k += j != x && g[j].grid_id == g[x].grid_id && !str_eq(g[j].status, "cancelled");
	return k;
}

/* Per block, a small form that swaps its team with another block's in the
 * same grid, in one action; grouped by cycle when there are several. */
static void grid_swaps(req *rq, buf *b, int64_t engagement_id, const grid_block *g, size_t n)
{
	const char *to = arena_printf(rq->a, "/engagements/%lld/grid/move", (long long)engagement_id);
	bool several = g[0].grid_id != g[n - 1].grid_id;
	int cycle = 0;
	html_printf(b, "<h2 id=\"swap\">Swap two teams</h2>\n");
	for (size_t i = 0; i < n; i++) {
		if (!i || g[i].grid_id != g[i - 1].grid_id) {
			cycle++;
			if (several) html_printf(b, "<h3>Cycle %d</h3>\n", cycle);
		}
		if (str_eq(g[i].status, "cancelled") || !swap_partners(g, n, i)) continue;
		const char *id = arena_printf(rq->a, "swap-%lld", (long long)g[i].session_id);
		html_printf(b, "<form method=\"post\" action=\"%s\" class=\"filters swap\">\n", to);
		form_hidden(b, "csrf", rq->actor->csrf);
		form_hidden(b, "from", arena_printf(rq->a, "%lld", (long long)g[i].session_id));
		html_printf(b,
			    "<div class=\"field\">\n<label for=\"%s\">Swap %s%s with…</label>\n"
			    "<select id=\"%s\" name=\"to\">\n",
			    id, several ? arena_printf(rq->a, "cycle %d, ", cycle) : "",
			    block_name(rq->a, &g[i]), id);
		for (size_t j = 0; j < n; j++)
			if (j != i && g[j].grid_id == g[i].grid_id && !str_eq(g[j].status, "cancelled"))
				html_printf(b, "<option value=\"%lld\">%s</option>\n",
					    (long long)g[j].session_id, block_name(rq->a, &g[j]));
		html_printf(b,
			    "</select>\n</div>\n<button type=\"submit\" class=\"secondary\">Swap</button>\n"
			    "</form>\n");
	}
}

store_rc grid_tools_load(req *rq, int64_t engagement_id, grid_tools_view *v)
{
	*v = (grid_tools_view){0};
	engagement en;
	bool found;
	store_rc rc = engagement_get(rq->db, rq->a, engagement_id, &en, &found);
	if (rc != STORE_OK || !found || !may_engagement(rq, ACT_READ, &en)) return rc;
	pl_session probe = {.district_id = en.district_id, .partner_id = en.partner_id};
	v->swaps = may_session(rq, ACT_UPDATE, &probe);
	v->builder = may_session(rq, ACT_CREATE, &probe);
	if (!v->builder) return STORE_OK;
	rc = grid_line_choices(rq, engagement_id, &v->lines, &v->nlines);
	if (rc == STORE_OK) rc = grid_team_choices(rq, en.district_id, &v->teams, &v->nteams);
	return rc;
}

/*
** Not a handler: the part of GET /engagements/{id}/grid (page_grid) below
** the tables. g holds the n blocks the actor may read.
** Permissions: swaps for those who may(UPDATE, session) at the
** engagement's places, the builder for those who may(CREATE, session)
** there; each POST asks may() again for every block it touches.
*/
void grid_tools(req *rq, buf *b, int64_t engagement_id, const grid_tools_view *v, const grid_block *g,
		size_t n)
{
	if (n && v->swaps) grid_swaps(rq, b, engagement_id, g, n);
	if (v->builder) grid_builder(rq, b, engagement_id, v);
}
