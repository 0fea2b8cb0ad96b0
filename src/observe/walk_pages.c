/* Learning-walk pages: the list, setting a walk up, the walk with its
 * visits and the big "Next classroom", the visit form a walker fills on a
 * phone, the debrief, and the district's walk settings. Every control
 * shows only to those the policy lets use it; the changes check again. */
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../org/org.h"
#include "../web/app.h"
#include "../web/change.h"
#include "walk.h"
#include "walk_web.h"

static const char *num(arena *a, int64_t v)
{
	return v ? arena_printf(a, "%lld", (long long)v) : "";
}

static const char *walk_href(arena *a, int64_t id)
{
	return arena_printf(a, "/walks/%lld", (long long)id);
}

static const char *walk_title(arena *a, const walk *w)
{
	return arena_printf(a, "Learning walk · %s · %s", w->school_name ? w->school_name : "", w->walked_on);
}

static void crumbs(req *rq, buf *b, const walk *w)
{
	html_printf(b, "<p class=\"crumbs\"><a href=\"/walks\">Learning walks</a>");
	if (w) html_printf(b, " › <a href=\"%s\">%s</a>", walk_href(rq->a, w->id), walk_title(rq->a, w));
	html_printf(b, "</p>\n");
}

static void teacher_note(req *rq, buf *b, const walk *w)
{
	html_printf(b, "<p class=\"setting-note\">%s</p>\n", walk_teacher_sentence(rq->a, &w->settings));
}

/* The indicator codes a text names (spaces or commas between), upper case. */
static const char **codes_of(arena *a, const char *text, size_t *n)
{
	*n = 0;
	if (!text) return NULL;
	size_t len = strlen(text);
	const char **out = arena_calloc(a, len / 2 + 2, sizeof *out);
	char *copy = arena_strdup(a, text);
	for (char *p = copy; *p; p++) *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	char *save = NULL;
	for (char *tok = strtok_r(copy, " ,;\t\r\n", &save); tok; tok = strtok_r(NULL, " ,;\t\r\n", &save))
		out[(*n)++] = tok;
	return out;
}

/* ---- the list ---- */

static store_rc walks_visible(req *rq, const walk_filter *f, walk **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_WALK, &v);
	walk *all;
	size_t got;
	store_rc rc = walk_list(rq->db, rq->a, &v, actor_id(rq), f, &all, &got);
	if (rc != STORE_OK) return rc;
	*n = 0;
	for (size_t i = 0; i < got; i++)
		if (may_walk(rq, ACT_READ, &all[i])) all[(*n)++] = all[i];
	*out = all;
	return STORE_OK;
}

static store_rc schools_for(req *rq, action act, org **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, act, REC_WALK, &v);
	org *all;
	size_t got;
	store_rc rc = org_choices(rq->db, rq->a, "school", &v, &all, &got);
	if (rc != STORE_OK) return rc;
	*n = 0;
	for (size_t i = 0; i < got; i++) {
		walk w = {.school_id = all[i].id, .district_id = all[i].parent_id, .created_by = -1};
		if (act != ACT_CREATE || may_walk(rq, act, &w)) all[(*n)++] = all[i];
	}
	*out = all;
	return STORE_OK;
}

static form_option *school_options(req *rq, const org *s, size_t n, const char *none)
{
	form_option *o = arena_calloc(rq->a, n + 2, sizeof *o);
	o[0] = (form_option){"", none};
	for (size_t i = 0; i < n; i++) o[i + 1] = (form_option){num(rq->a, s[i].id), s[i].name};
	return o;
}

/* A filter's day: YYYY-MM-DD, else none (and said). */
static const char *filter_day(req *rq, const char *key, form_errors *e)
{
	const char *d = text_trim(rq->a, req_query(rq, key));
	if (!d || !*d) return NULL;
	if (walk_date_valid(d)) return d;
	form_error_add(e, key, "A day is written YYYY-MM-DD.");
	return NULL;
}

/* The walk settings of the districts where this person may change them. */
static store_rc settings_changeable(req *rq, walk_settings **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_UPDATE, REC_WALK_SUMMARY, &v);
	*out = arena_calloc(rq->a, v.ndistricts + 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < v.ndistricts; i++) {
		bool found = false;
		place p[1];
		record r = walk_settings_record(p, v.districts[i]);
		if (!may(rq->actor, ACT_UPDATE, &r)) continue;
		store_rc rc = walk_settings_get(rq->db, rq->a, v.districts[i], &(*out)[*n], &found);
		if (rc != STORE_OK) return rc;
		if (found) (*n)++;
	}
	return STORE_OK;
}

static void settings_links(buf *b, const walk_settings *ws, size_t n)
{
	for (size_t i = 0; i < n; i++)
		html_printf(
			b,
			"<p><a href=\"/districts/%lld/walk-settings\">Learning-walk settings of %s</a></p>\n",
			(long long)ws[i].district_id, ws[i].district_name);
}

/*
** GET /walks?school_id=ID&from=YYYY-MM-DD&to=YYYY-MM-DD
** "Learning walks": the walks I may read (my school's as principal, my
** district's as leader or coach, those I walk), newest first, with school,
** day, rubric and visits; filters by school and days.
** Permissions: signed in; each walk through may(READ, walk).
*/
void page_walks(req *rq, resp *rs)
{
	form_errors e = {0};
	walk_filter f = {.from = filter_day(rq, "from", &e), .to = filter_day(rq, "to", &e)};
	const char *school = req_query(rq, "school_id");
	if (school && *school && !parse_i64(school, 1, INT64_MAX, &f.school_id))
		form_error_add(&e, "school_id", "Choose a school from the list.");
	walk *list;
	size_t n;
	org *schools;
	size_t ns;
	walk_settings *settings;
	size_t nsettings;
	if (walks_visible(rq, &f, &list, &n) != STORE_OK ||
	    schools_for(rq, ACT_READ, &schools, &ns) != STORE_OK ||
	    settings_changeable(rq, &settings, &nsettings) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, e.n ? 400 : 200);
	layout l = page_layout(rq, "Learning walks", "walks");
	layout_begin(b, &l);
	html_printf(b, "<h1>Learning walks</h1>\n");
	if (may_act_somewhere(rq, REC_WALK, ACT_CREATE))
		html_printf(b, "<p><a class=\"button\" href=\"/walks/new\">Set up a walk</a></p>\n");
	settings_links(b, settings, nsettings);
	html_printf(b, "<form method=\"get\" action=\"/walks\" class=\"filters\">\n");
	form_select(b, "school_id", "School", school_options(rq, schools, ns, "Every school"), ns + 1,
		    num(rq->a, f.school_id), false, &e);
	form_input(b, "date", "from", "From", f.from, false, NULL, &e);
	form_input(b, "date", "to", "To", f.to, false, NULL, &e);
	html_printf(b, "<button type=\"submit\" class=\"secondary\">Show</button></form>\n");
	if (!n) {
		html_printf(b, "<p class=\"muted\">No learning walks%s.</p>\n",
			    f.school_id || f.from || f.to ? " match" : " yet");
	} else {
		html_table_open(b);
		html_printf(b,
			    "<caption>%zu learning walk%s</caption><thead><tr><th scope=\"col\">Day</th>"
			    "<th scope=\"col\">School</th><th scope=\"col\">Rubric</th><th scope=\"col\" "
			    "class=\"num\">Visits</th>"
			    "<th scope=\"col\">State</th></tr></thead><tbody>\n",
			    n, n == 1 ? "" : "s");
		for (size_t i = 0; i < n; i++)
			html_printf(b,
				    "<tr><td><a href=\"%s\">%s</a></td><td>%s</td><td>%s</td><td "
				    "class=\"num\">%lld</td>"
				    "<td>%s</td></tr>\n",
				    walk_href(rq->a, list[i].id), list[i].walked_on, list[i].school_name,
				    list[i].rubric_name, (long long)list[i].nvisits,
				    list[i].closed ? "Closed" : "Open");
		html_printf(b, "</tbody></table></div>\n");
	}
	layout_end(b);
}

/* ---- setting a walk up, and editing it ---- */

typedef struct walk_form {
	const walk *w; /* NULL: a new walk */
	walk_input in;
	const char *focus_text;
} walk_form;

static store_rc rubric_options(req *rq, int64_t district_id, form_option **out, size_t *n)
{
	rubric_summary *list;
	size_t nl;
	int64_t orgs[] = {district_id};
	store_rc rc = rubric_list(rq->db, rq->a, orgs, 1, false, &list, &nl);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(rq->a, nl + 1, sizeof **out);
	for (size_t i = 0; i < nl; i++)
		(*out)[i] = (form_option){num(rq->a, list[i].id),
					  arena_printf(rq->a, "%s (%lld indicators, %lld–%lld)", list[i].name,
						       (long long)list[i].nindicators,
						       (long long)list[i].scale_min,
						       (long long)list[i].scale_max)};
	*n = nl;
	return STORE_OK;
}

static bool id_in(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id) return true;
	return false;
}

static void walkers_field(buf *b, const walk_walker *cand, size_t nc, const walk_input *in,
			  const form_errors *e)
{
	const char *error = form_error_for(e, "walkers");
	html_printf(b, "<fieldset id=\"walkers\"");
	form_control_described(b, "walkers", "walkers", error);
	html_printf(
		b,
		"><legend>Walkers</legend>\n<span class=\"hint\" id=\"walkers-hint\">A role-diverse team: "
		"teachers, coaches, the principal, district and partner staff.</span>");
	form_field_error(b, "walkers", error);
	html_printf(b, "<div class=\"check-columns\">");
	for (size_t i = 0; i < nc; i++)
		html_printf(b,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"walkers\" "
			    "value=\"%lld\"%s> %s</label>",
			    (long long)cand[i].person_id,
			    id_in(in->walkers, in->nwalkers, cand[i].person_id) ? " checked" : "",
			    cand[i].name);
	html_printf(b, "</div></fieldset>\n");
}

static void focus_checks(req *rq, buf *b, const rubric_version *v, const walk_input *in, const form_errors *e)
{
	const char *error = form_error_for(e, "focus");
	html_printf(b, "<fieldset id=\"focus\"");
	form_control_described(b, "focus", "focus", error);
	html_printf(b,
		    "><legend>Focus indicators</legend><span class=\"hint\" id=\"focus-hint\">None chosen: "
		    "visits rate every indicator.</span>");
	form_field_error(b, "focus", error);
	for (size_t i = 0; i < v->nindicators; i++) {
		bool on = false;
		for (size_t k = 0; k < in->nfocus; k++) on |= str_eq(in->focus[k], v->indicators[i].code);
		html_printf(b,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"focus\" value=\"%s\"%s> "
			    "%s %s</label>",
			    v->indicators[i].code, on ? " checked" : "", v->indicators[i].code,
			    v->indicators[i].name);
	}
	html_printf(b, "</fieldset>\n");
	(void)rq;
}

/* The new walk's first step: which school (the walkers depend on it). */
static void school_step(req *rq, buf *b, const org *schools, size_t ns, const form_errors *e)
{
	html_printf(b, "<form method=\"get\" action=\"/walks/new\">\n");
	form_select(b, "school_id", "School", school_options(rq, schools, ns, "Choose a school"), ns + 1, "",
		    true, e);
	html_printf(b, "<div class=\"actions\"><button type=\"submit\">Next</button></div></form>\n");
}

/* What the walk form offers, read before it is written. */
typedef struct walk_choices {
	org *schools; /* a new walk: where the asker may set one up */
	size_t nschools;
	const org *school;    /* a new walk: the school chosen; NULL: choose it first */
	walk_walker *walkers; /* who may walk at the school */
	size_t nwalkers;
	form_option *rubrics; /* a new walk: its district's rubrics */
	size_t nrubrics;
	rubric_version rubric; /* an edit: the walk's rubric, whose codes are its focus */
} walk_choices;

static store_rc walk_choices_load(req *rq, const walk_form *wf, walk_choices *ch)
{
	*ch = (walk_choices){0};
	if (wf->w) {
		store_rc rc = walk_walker_candidates(rq->db, rq->a, wf->w->district_id, wf->w->school_id,
						     &ch->walkers, &ch->nwalkers);
		if (rc == STORE_OK && !walk_rubric(rq, wf->w, &ch->rubric)) rc = STORE_ERROR;
		return rc;
	}
	store_rc rc = schools_for(rq, ACT_CREATE, &ch->schools, &ch->nschools);
	if (rc != STORE_OK) return rc;
	for (size_t i = 0; i < ch->nschools; i++)
		if (ch->schools[i].id == wf->in.school_id) ch->school = &ch->schools[i];
	if (!ch->school && ch->nschools == 1) ch->school = &ch->schools[0];
	if (!ch->school) return STORE_OK;
	rc = walk_walker_candidates(rq->db, rq->a, ch->school->parent_id, ch->school->id, &ch->walkers,
				    &ch->nwalkers);
	if (rc == STORE_OK) rc = rubric_options(rq, ch->school->parent_id, &ch->rubrics, &ch->nrubrics);
	return rc;
}

static void walk_form_page(req *rq, resp *rs, int status, const walk_form *wf, const form_errors *e)
{
	bool editing = wf->w != NULL;
	walk_choices ch;
	if (walk_choices_load(rq, wf, &ch) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const org *school = ch.school;
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, editing ? "Edit the walk" : "Set up a learning walk", "walks");
	layout_begin(b, &l);
	crumbs(rq, b, wf->w);
	html_printf(b, "<h1>%s</h1>\n", editing ? "Edit the walk" : "Set up a learning walk");
	if (!editing && !school) {
		if (!ch.nschools)
			html_printf(
				b,
				"<p class=\"muted\">There is no school where you may set up a walk.</p>\n");
		else school_step(rq, b, ch.schools, ch.nschools, e);
		layout_end(b);
		return;
	}
	form_begin(b, editing ? walk_href(rq->a, wf->w->id) : "/walks", rq->actor->csrf, e);
	if (editing) {
		html_printf(b, "<p><strong>%s</strong>, %s</p>\n", wf->w->school_name, wf->w->rubric_name);
	} else {
		html_printf(
			b,
			"<p><strong>%s</strong> · <a href=\"/walks/new?school_id=\">another school</a></p>\n",
			school->name);
		form_hidden(b, "school_id", num(rq->a, school->id));
	}
	form_input(b, "date", "walked_on", "Day of the walk", wf->in.walked_on, true, NULL, e);
	if (!editing)
		form_select(b, "rubric_id", "Rubric", ch.rubrics, ch.nrubrics, num(rq->a, wf->in.rubric_id),
			    true, e);
	walkers_field(b, ch.walkers, ch.nwalkers, &wf->in, e);
	if (editing) focus_checks(rq, b, &ch.rubric, &wf->in, e);
	else
		form_input(b, "text", "focus", "Focus indicators", wf->focus_text, false,
			   "Codes of the rubric, e.g. TRU2 TRU4 (or TP2, MP3). Empty: every indicator.", e);
	form_input(b, "text", "purpose", "Purpose", wf->in.purpose, false,
		   "One line: what the team wants to learn about the school's mathematics classrooms.", e);
	form_end(b, editing ? "Save the walk" : "Set up the walk");
	layout_end(b);
}

static walk_form walk_form_read(req *rq, const walk *w)
{
	walk_form wf = {.w = w};
	const char *school = req_form(rq, "school_id");
	if (school) parse_i64(school, 1, INT64_MAX, &wf.in.school_id);
	wf.in.walked_on = text_trim(rq->a, req_form(rq, "walked_on"));
	const char *rubric = req_form(rq, "rubric_id");
	if (rubric) parse_i64(rubric, 1, INT64_MAX, &wf.in.rubric_id);
	/* Walkers come from the form's checkboxes; anything else is no walker,
	 * which the walk's own checks name. */
	(void)req_form_ids(rq, "walkers", WALK_WALKERS_MAX, &wf.in.walkers, &wf.in.nwalkers);
	wf.in.purpose = text_trim(rq->a, req_form(rq, "purpose"));
	if (w) {
		size_t count = 0;
		for (size_t i = 0; i < rq->form.n; i++) count += str_eq(rq->form.items[i].key, "focus");
		wf.in.focus = arena_calloc(rq->a, count + 1, sizeof *wf.in.focus);
		for (size_t i = 0; i < rq->form.n; i++)
			if (str_eq(rq->form.items[i].key, "focus"))
				wf.in.focus[wf.in.nfocus++] = rq->form.items[i].value;
	} else {
		wf.focus_text = text_trim(rq->a, req_form(rq, "focus"));
		wf.in.focus = codes_of(rq->a, wf.focus_text, &wf.in.nfocus);
	}
	return wf;
}

static const char *today(arena *a)
{
	int y, m, d;
	civil_from_days(now_unix() / 86400, &y, &m, &d);
	return arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

/*
** GET /walks/new?school_id=ID
** Setting up a walk: first the school (the walkers offered are those who
** may walk there), then the day, the rubric (its current version is
** pinned), the walkers (me checked), the focus codes and the purpose.
** Permissions: may(CREATE, walk) somewhere, else 403; the schools offered
** are those where it is allowed.
*/
void page_walk_new(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_WALK, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden", "You may not set up learning walks.", NULL);
		return;
	}
	walk_form wf = {0};
	const char *school = req_query(rq, "school_id");
	if (school) parse_i64(school, 1, INT64_MAX, &wf.in.school_id);
	wf.in.walked_on = today(rq->a);
	int64_t mine[] = {actor_id(rq)};
	wf.in.walkers = mine;
	wf.in.nwalkers = 1;
	form_errors e = {0};
	walk_form_page(rq, rs, 200, &wf, &e);
}

/*
** POST /walks (form: school_id, walked_on, rubric_id, walkers (repeated
** ids), focus (codes), purpose, csrf)
** 303 to the new walk; the form again with 400 beside the fields.
** Permissions: may(CREATE, walk) at the school.
*/
void page_walk_create(req *rq, resp *rs)
{
	walk_form wf = walk_form_read(rq, NULL);
	outcome o;
	walk_create(rq, &wf.in, &o);
	if (o.status == 400) {
		walk_form_page(rq, rs, 400, &wf, &o.errors);
		return;
	}
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/walks/%lld?ok=created", (long long)o.id));
}

/* ---- the walk ---- */

static void walk_facts(req *rq, buf *b, const walk *w)
{
	html_printf(
		b,
		"<dl "
		"class=\"facts\"><dt>School</dt><dd>%s</dd><dt>Day</dt><dd>%s</dd><dt>Rubric</dt><dd>%s</dd>",
		w->school_name, w->walked_on, w->rubric_name);
	html_printf(b, "<dt>Focus</dt><dd>");
	if (!w->nfocus) html_printf(b, "Every indicator");
	for (size_t i = 0; i < w->nfocus; i++) html_printf(b, "%s%s", i ? ", " : "", w->focus[i]);
	html_printf(b, "</dd><dt>Walkers</dt><dd>");
	for (size_t i = 0; i < w->nwalkers; i++) html_printf(b, "%s%s", i ? ", " : "", w->walkers[i].name);
	html_printf(b, "</dd>");
	if (w->purpose) html_printf(b, "<dt>Purpose</dt><dd class=\"pre\">%s</dd>", w->purpose);
	html_printf(b, "<dt>State</dt><dd>%s</dd></dl>\n", w->closed ? "Closed" : "Open");
	(void)rq;
}

static const char *ratings_line(req *rq, const observation *o)
{
	buf t = BUF_INIT;
	for (size_t i = 0; i < o->nratings; i++)
		buf_printf(&t, "%s%s %lld", i ? ", " : "", o->ratings[i].code,
			   (long long)o->ratings[i].value);
	const char *s = arena_strdup(rq->a, buf_cstr(&t));
	buf_free(&t);
	return s;
}

static void visits_table(req *rq, buf *b, const walk *w, const observation *v, size_t n)
{
	if (!n) {
		html_printf(b, "<p class=\"muted\">No visits yet.</p>\n");
		return;
	}
	html_table_open(b);
	html_printf(b,
		    "<caption>%zu visit%s</caption><thead><tr><th scope=\"col\">Visit</th><th "
		    "scope=\"col\">Grade</th>"
		    "<th scope=\"col\">Time</th>%s<th scope=\"col\">Walker</th><th "
		    "scope=\"col\">Ratings</th></tr></thead><tbody>\n",
		    n, n == 1 ? "" : "s", w->settings.teacher_ids ? "<th scope=\"col\">Teacher</th>" : "");
	for (size_t i = 0; i < n; i++) {
		html_printf(b,
			    "<tr><td><a href=\"/walks/%lld/visits/%lld\">Visit "
			    "%lld</a></td><td>%s</td><td>%s</td>",
			    (long long)w->id, (long long)v[i].id, (long long)v[i].number,
			    v[i].grade ? v[i].grade : "—", v[i].start_time ? v[i].start_time : "—");
		if (w->settings.teacher_ids)
			html_printf(b, "<td>%s</td>", v[i].teacher_name ? v[i].teacher_name : "—");
		html_printf(b, "<td>%s</td><td>%s</td></tr>\n", v[i].observer_name ? v[i].observer_name : "—",
			    ratings_line(rq, &v[i]));
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* The walk's edit form, folded under its page. */
static void edit_walk_folded(req *rq, buf *b, const walk_form *wf, const walk_choices *ch)
{
	html_printf(b, "<details class=\"add-file\"><summary>Edit the walk</summary>\n");
	form_errors none = {0};
	form_begin(b, walk_href(rq->a, wf->w->id), rq->actor->csrf, &none);
	form_input(b, "date", "walked_on", "Day of the walk", wf->in.walked_on, true, NULL, &none);
	walkers_field(b, ch->walkers, ch->nwalkers, &wf->in, &none);
	focus_checks(rq, b, &ch->rubric, &wf->in, &none);
	form_input(b, "text", "purpose", "Purpose", wf->in.purpose, false, NULL, &none);
	form_end(b, "Save the walk");
	html_printf(b, "</details>\n");
}

/*
** GET /walks/{id}?saved=VID
** The walk: school, day, rubric, focus, walkers, purpose; the district's
** teacher-identification setting said plainly; after a save "Visit N
** saved" and a big "Next classroom"; the visits (grade, time, walker,
** ratings); the debrief; for those who may, editing and closing.
** Permissions: may(READ, walk), else 404; controls by may().
*/
void page_walk(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	observation *visits;
	size_t n;
	if (walk_visits(rq->db, rq->a, w.id, &visits, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	bool editor = may_walk(rq, ACT_UPDATE, &w);
	walk_form wf = {.w = &w,
			.in = {.walked_on = w.walked_on,
			       .walkers = w.walker_ids,
			       .nwalkers = w.nwalkers,
			       .focus = w.focus,
			       .nfocus = w.nfocus,
			       .purpose = w.purpose}};
	walk_choices ch;
	if (editor && walk_choices_load(rq, &wf, &ch) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	int64_t saved = 0;
	const char *sv = req_query(rq, "saved");
	if (sv) parse_i64(sv, 1, INT64_MAX, &saved);
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, walk_title(rq->a, &w), "walks");
	layout_begin(b, &l);
	crumbs(rq, b, NULL);
	html_printf(b, "<h1>%s</h1>\n", walk_title(rq->a, &w));
	for (size_t i = 0; saved && i < n; i++)
		if (visits[i].id == saved)
			html_printf(
				b,
				"<div class=\"visit-saved\" role=\"status\"><p>Visit %lld saved.</p></div>\n",
				(long long)visits[i].number);
	bool adds = !w.closed && may_visit(rq, ACT_CREATE, &w, NULL);
	if (adds)
		html_printf(b,
			    "<p><a class=\"button big next-classroom\" "
			    "href=\"/walks/%lld/visits/new\">%s</a></p>\n",
			    (long long)w.id, n ? "Next classroom" : "First classroom");
	teacher_note(rq, b, &w);
	walk_facts(rq, b, &w);
	html_printf(b,
		    "<p><a class=\"button button-secondary\" href=\"/walks/%lld/debrief\">Debrief</a></p>\n",
		    (long long)w.id);
	html_printf(b, "<h2>Visits</h2>\n");
	visits_table(rq, b, &w, visits, n);
	if (editor) {
		edit_walk_folded(rq, b, &wf, &ch);
		if (!w.closed)
			form_button(b, arena_printf(rq->a, "/walks/%lld/close", (long long)w.id),
				    rq->actor->csrf, "Close the walk",
				    "Close this walk? Its visits will no longer change.", NULL, NULL);
	}
	layout_end(b);
}

/*
** POST /walks/{id} (form: walked_on, walkers (repeated ids), focus
** (repeated codes), purpose, csrf)
** 303 back to the walk; the form again with 400 beside the fields.
** Permissions: may(UPDATE, walk): its walkers, whoever set it up, the
** school's principal, the district's leaders.
*/
void page_walk_update(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	walk_form wf = walk_form_read(rq, &w);
	outcome o;
	walk_change(rq, &w, &wf.in, &o);
	if (o.status == 400) {
		walk_form_page(rq, rs, 400, &wf, &o.errors);
		return;
	}
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/walks/%lld?ok=saved", (long long)w.id));
}

/*
** POST /walks/{id}/close (form: csrf)
** 303 back to the walk, closed: no more visits or changes to them.
** Permissions: may(UPDATE, walk).
*/
void page_walk_close(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	outcome o;
	walk_close(rq, &w, &o);
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/walks/%lld?ok=saved", (long long)w.id));
}

/* ---- a visit ---- */

typedef struct visit_view {
	int status;
	const observation *o;        /* NULL: a new visit */
	const observation_input *in; /* the values shown */
	const form_errors *e;
	const char *conflict;
} visit_view;

static void visit_page(req *rq, resp *rs, const walk *w, const visit_view *vv)
{
	rubric_version v;
	if (!walk_rubric(rq, w, &v)) {
		resp_store_failed(rq, rs);
		return;
	}
	walk_walker *teachers = NULL;
	size_t nt = 0;
	if (w->settings.teacher_ids &&
	    walk_school_teachers(rq->db, rq->a, w->school_id, &teachers, &nt) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const rubric_indicator **ind;
	size_t ni = walk_indicators(rq->a, &v, w->focus, w->nfocus, &ind);
	bool editable = !w->closed &&
		(vv->o ? may_visit(rq, ACT_UPDATE, w, vv->o) : may_visit(rq, ACT_CREATE, w, NULL));
	const char *title = vv->o ? arena_printf(rq->a, "Visit %lld", (long long)vv->o->number) : "New visit";
	buf *b = resp_html(rs, vv->status ? vv->status : 200);
	layout l = page_layout(rq, arena_printf(rq->a, "%s · %s", title, walk_title(rq->a, w)), "walks");
	layout_begin(b, &l);
	crumbs(rq, b, w);
	html_printf(b, "<h1>%s <span class=\"muted\">%s, %s</span></h1>\n", title, w->school_name,
		    w->walked_on);
	teacher_note(rq, b, w);
	if (vv->conflict)
		html_printf(b, "<div class=\"form-error\" role=\"alert\"><p>%s</p></div>\n", vv->conflict);
	if (editable) {
		observation_form f = {.action = vv->o
					      ? arena_printf(rq->a, "/walks/%lld/visits/%lld",
							     (long long)w->id, (long long)vv->o->id)
					      : arena_printf(rq->a, "/walks/%lld/visits", (long long)w->id),
				      .v = &v,
				      .indicators = ind,
				      .nindicators = ni,
				      .in = vv->in,
				      .grade_field = true,
				      .teachers = w->settings.teacher_ids ? teachers : NULL,
				      .nteachers = nt,
				      .submit = vv->o ? "Save the visit" : "Save visit",
				      .e = vv->e};
		observation_form_write(rq, b, &f);
	} else if (vv->o) {
		observation_card(rq, b, &v, vv->o, w->settings.teacher_ids);
	}
	if (vv->o && !w->closed && may_visit(rq, ACT_DEACTIVATE, w, vv->o))
		form_button(b,
			    arena_printf(rq->a, "/walks/%lld/visits/%lld/remove", (long long)w->id,
					 (long long)vv->o->id),
			    rq->actor->csrf, "Remove this visit", "Remove this visit and its ratings?", NULL,
			    NULL);
	layout_end(b);
}

/*
** GET /walks/{id}/visits/new
** The visit form: grade chips, the time (now), minutes, a chip per level
** for each focus indicator (every indicator without a focus), look-fors
** with − and +, a line of evidence; a teacher only where the district
** names teachers. One screen, one POST.
** Permissions: may(CREATE, visit): the walk's walkers; 403 otherwise,
** 409 for a closed walk.
*/
void page_walk_visit_new(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	if (!may_visit(rq, ACT_CREATE, &w, NULL)) {
		resp_error(rq, rs, 403, "forbidden", "Only the walk's walkers add visits.", NULL);
		return;
	}
	if (w.closed) {
		resp_error(rq, rs, 409, "closed", "This walk is closed: its visits no longer change.", NULL);
		return;
	}
	observation_input in = {0};
	visit_view vv = {.in = &in};
	visit_page(rq, rs, &w, &vv);
}

/* Reads the visit form and, unless a − or + asked only to show it again,
 * saves it (o NULL: a new visit). */
static void visit_post(req *rq, resp *rs, const walk *w, const observation *o)
{
	rubric_version v;
	if (!walk_rubric(rq, w, &v)) {
		resp_store_failed(rq, rs);
		return;
	}
	observation_input in;
	bool bumped;
	observation_input_from_form(rq, &v, &in, &bumped);
	if (in.teacher_id < 0) in.teacher_id = 0;
	visit_view vv = {.o = o, .in = &in};
	if (bumped) {
		visit_page(rq, rs, w, &vv);
		return;
	}
	outcome out;
	if (o) visit_save(rq, w, o, &in, &out);
	else visit_add(rq, w, &in, &out);
	if (out.status == 400) {
		vv.status = 400;
		vv.e = &out.errors;
		visit_page(rq, rs, w, &vv);
	} else if (out.status == 409 && str_eq(out.code, "conflict")) {
		observation now;
		bool found = false;
		if (observation_get(rq->db, rq->a, o->id, &now, &found) != STORE_OK) {
			resp_store_failed(rq, rs);
			return;
		}
		if (found) {
			vv.o = &now;
			in.version = now.version;
		}
		vv.status = 409;
		vv.conflict =
			arena_printf(rq->a, "%s Your ratings are still in the form: save again to keep them.",
				     out.message);
		visit_page(rq, rs, w, &vv);
	} else {
		outcome_redirect(
			rq, rs, &out,
			arena_printf(rq->a, "/walks/%lld?saved=%lld", (long long)w->id, (long long)out.id));
	}
}

/*
** POST /walks/{id}/visits (form: grade, start_time, minutes, rating-CODE
** per indicator, look_for-ID per look-for, bump, evidence, teacher_id
** where allowed, csrf)
** 303 to the walk with "Visit N saved" and "Next classroom"; the form
** again with 400 beside the fields; a − or + (bump) shows the form again
** with the count changed and nothing saved.
** Permissions: may(CREATE, visit): the walk's walkers.
*/
void page_walk_visit_create(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	visit_post(rq, rs, &w, NULL);
}

/*
** GET /walks/{id}/visits/{vid}
** One visit: its form for the walker who made it, read-only for others
** who may read the walk; remove for its walker and the leaders.
** Permissions: may(READ, visit), else 404.
*/
void page_walk_visit(req *rq, resp *rs)
{
	walk w;
	observation o;
	if (!walk_load(rq, rs, &w) || !visit_load(rq, rs, &w, &o)) return;
	observation_input in = observation_input_of(rq->a, &o);
	visit_view vv = {.o = &o, .in = &in};
	visit_page(rq, rs, &w, &vv);
}

/*
** POST /walks/{id}/visits/{vid} (form: as for a new visit, and version)
** 303 to the walk; 400 beside the fields; 409 when it was saved since it
** was opened (naming who and when), the person's values kept.
** Permissions: may(UPDATE, visit): the walker who made it.
*/
void page_walk_visit_update(req *rq, resp *rs)
{
	walk w;
	observation o;
	if (!walk_load(rq, rs, &w) || !visit_load(rq, rs, &w, &o)) return;
	visit_post(rq, rs, &w, &o);
}

/*
** POST /walks/{id}/visits/{vid}/remove (form: csrf)
** 303 to the walk; the visit and its ratings are gone from the counts.
** Permissions: may(DEACTIVATE, visit): its walker, the school's principal,
** the district's leaders.
*/
void page_walk_visit_remove(req *rq, resp *rs)
{
	walk w;
	observation o;
	if (!walk_load(rq, rs, &w) || !visit_load(rq, rs, &w, &o)) return;
	outcome out;
	visit_remove(rq, &w, &o, &out);
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/walks/%lld?ok=deactivated", (long long)w.id));
}

/* ---- the debrief ---- */

static int by_grade_and_time(const void *x, const void *y)
{
	const observation *a = x, *b = y;
	int ga = a->grade && str_eq(a->grade, "K") ? 0 : a->grade ? atoi(a->grade) : 99;
	int gb = b->grade && str_eq(b->grade, "K") ? 0 : b->grade ? atoi(b->grade) : 99;
	if (ga != gb) return ga < gb ? -1 : 1;
	int t = strcmp(a->start_time ? a->start_time : "", b->start_time ? b->start_time : "");
	if (t) return t;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void evidence_list(req *rq, buf *b, const walk *w, const rubric_version *v, observation *visits,
			  size_t n)
{
	html_printf(b, "<section aria-labelledby=\"ev-h\"><h2 id=\"ev-h\">Evidence by grade and time</h2>\n");
	observation *sorted = arena_calloc(rq->a, n + 1, sizeof *sorted);
	memcpy(sorted, visits, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, by_grade_and_time);
	size_t shown = 0;
	html_printf(b, "<ul class=\"evidence-list\">\n");
	for (size_t i = 0; i < n; i++) {
		const observation *o = &sorted[i];
		bool any = o->evidence != NULL;
		for (size_t k = 0; k < o->nratings; k++) any |= o->ratings[k].evidence != NULL;
		if (!any) continue;
		shown++;
		html_printf(b, "<li><p class=\"evidence-head\"><strong>Grade %s, %s</strong>",
			    o->grade ? o->grade : "—", o->start_time ? o->start_time : "—");
		if (w->settings.teacher_ids && o->teacher_name) html_printf(b, " · %s", o->teacher_name);
		html_printf(b, "</p>");
		if (o->evidence) html_printf(b, "<p class=\"pre\">%s</p>", o->evidence);
		for (size_t k = 0; k < o->nratings; k++)
			if (o->ratings[k].evidence)
				html_printf(b, "<p>%s (%s): %s</p>", o->ratings[k].code,
					    rubric_level_label(rq->a, v, o->ratings[k].value),
					    o->ratings[k].evidence);
		html_printf(b, "</li>\n");
	}
	html_printf(b, "</ul>\n");
	if (!shown) html_printf(b, "<p class=\"muted\">No evidence written yet.</p>\n");
	html_printf(b, "</section>\n");
}

static void debrief_page(req *rq, resp *rs, const walk *w, int status, const char *notes,
			 const form_errors *e)
{
	rubric_version v;
	observation *visits;
	size_t n;
	if (!walk_rubric(rq, w, &v) || walk_visits(rq->db, rq->a, w->id, &visits, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const rubric_indicator **ind;
	size_t ni = walk_indicators(rq->a, &v, w->focus, w->nfocus, &ind);
	walk_debrief d;
	walk_debrief_compute(rq->a, &v, ind, ni, visits, n, &d);
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, arena_printf(rq->a, "Debrief · %s", walk_title(rq->a, w)), "walks");
	layout_begin(b, &l);
	crumbs(rq, b, w);
	html_printf(b, "<h1>Debrief <span class=\"muted\">%s, %s</span></h1>\n", w->school_name,
		    w->walked_on);
	html_printf(b, "<p>%lld visit%s with %s. ", (long long)n, n == 1 ? "" : "s", v.name);
	html_printf(b, "%s</p>\n", walk_teacher_sentence(rq->a, &w->settings));
	walk_debrief_write(rq, b, &v, &d);
	evidence_list(rq, b, w, &v, visits, n);
	html_printf(b, "<section aria-labelledby=\"notes-h\"><h2 id=\"notes-h\">The walkers' notes</h2>\n");
	if (may_walk(rq, ACT_UPDATE, w)) {
		form_begin(b, arena_printf(rq->a, "/walks/%lld/debrief", (long long)w->id), rq->actor->csrf,
			   e);
		form_textarea(
			b, "debrief", "Debrief notes", notes, false,
			"What the team noticed together, its wonderings, and next steps for the school.", e);
		form_end(b, "Save the notes");
	} else if (w->debrief) {
		html_printf(b, "<p class=\"pre\">%s</p>\n", w->debrief);
	} else {
		html_printf(b, "<p class=\"muted\">No notes yet.</p>\n");
	}
	html_printf(b, "</section>\n");
	layout_end(b);
}

/*
** GET /walks/{id}/debrief
** What the walkers saw, by indicator across the visits: a chart per
** indicator of the ratings at each level (with the numbers in a table),
** look-for totals, the visits' evidence by grade and time (a teacher only
** where the district names teachers), and the walkers' notes.
** Permissions: may(READ, walk), else 404; the notes editable by may(UPDATE).
*/
void page_walk_debrief(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	form_errors e = {0};
	debrief_page(rq, rs, &w, 200, w.debrief, &e);
}

/*
** POST /walks/{id}/debrief (form: debrief, csrf)
** 303 back to the debrief; 400 beside the notes.
** Permissions: may(UPDATE, walk).
*/
void page_walk_debrief_save(req *rq, resp *rs)
{
	walk w;
	if (!walk_load(rq, rs, &w)) return;
	const char *text = req_form(rq, "debrief");
	outcome o;
	walk_debrief_save(rq, &w, text, &o);
	if (o.status == 400) {
		debrief_page(rq, rs, &w, 400, text, &o.errors);
		return;
	}
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/walks/%lld/debrief?ok=saved", (long long)w.id));
}

/* ---- the district's settings ---- */

static bool settings_load(req *rq, resp *rs, walk_settings *ws)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found = false;
	if (walk_settings_get(rq->db, rq->a, id, ws, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "There is no such district.", NULL);
		return false;
	}
	place p[1];
	record r = walk_settings_record(p, id);
	if (may(rq->actor, ACT_UPDATE, &r)) return true;
	resp_error(rq, rs, 403, "forbidden",
		   "Only the district's leaders and administrators change its walk settings.", NULL);
	return false;
}

static void settings_page(req *rq, resp *rs, int status, const walk_settings *ws, const char *min_cell,
			  const form_errors *e)
{
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Learning-walk settings", "walks");
	layout_begin(b, &l);
	html_printf(
		b,
		"<p class=\"crumbs\"><a href=\"/walks\">Learning walks</a></p>\n<h1>Learning-walk settings "
		"<span class=\"muted\">%s</span></h1>\n",
		ws->district_name);
	html_printf(b, "<p class=\"setting-note\">%s</p>\n", walk_teacher_sentence(rq->a, ws));
	form_begin(b, arena_printf(rq->a, "/districts/%lld/walk-settings", (long long)ws->district_id),
		   rq->actor->csrf, e);
	html_printf(b,
		    "<p class=\"hint\">Learning walks are about the system, not the teacher: a visit names a "
		    "classroom "
		    "by school, grade and time. Switch this on only where the district has agreed to name "
		    "teachers.</p>");
	form_checkbox(b, "teacher_identification", "Name teachers on walk visits", ws->teacher_ids);
	form_input(b, "number", "min_cell", "Smallest group the dashboards count (visits)", min_cell, true,
		   arena_printf(
			   rq->a,
			   "Groups of fewer visits (one school, month and grade band) are left out of every "
			   "dashboard figure, so no single classroom can be picked out (%d to %d; %d by "
			   "default).",
			   WALK_MIN_CELL_MIN, WALK_MIN_CELL_MAX, WALK_MIN_CELL_DEFAULT),
		   e);
	form_end(b, "Save the settings");
	layout_end(b);
}

/*
** GET /districts/{id}/walk-settings
** The district's walk settings: whether visits name teachers, and the
** smallest dashboard cell.
** Permissions: may(UPDATE, walk_summary) at the district: its leaders and
** administrators; 403 for others, 404 for no such district.
*/
void page_walk_settings(req *rq, resp *rs)
{
	walk_settings ws;
	if (!settings_load(rq, rs, &ws)) return;
	form_errors e = {0};
	settings_page(rq, rs, 200, &ws, arena_printf(rq->a, "%lld", (long long)ws.min_cell), &e);
}

/*
** POST /districts/{id}/walk-settings (form: teacher_identification (1 or
** absent), min_cell, csrf)
** 303 back with "Saved."; the form again with 400 beside min_cell.
** Permissions: as for GET.
*/
void page_walk_settings_save(req *rq, resp *rs)
{
	walk_settings ws;
	if (!settings_load(rq, rs, &ws)) return;
	bool teacher_ids = str_eq(req_form(rq, "teacher_identification"), "1");
	const char *mc = text_trim(rq->a, req_form(rq, "min_cell"));
	int64_t min_cell = 0;
	bool unreadable = !mc || !parse_i64(mc, INT32_MIN, INT32_MAX, &min_cell);
	outcome o;
	walk_settings_save(rq, ws.district_id, teacher_ids, min_cell, unreadable, &o);
	if (o.status == 400) {
		ws.teacher_ids = teacher_ids;
		settings_page(rq, rs, 400, &ws, mc, &o.errors);
		return;
	}
	outcome_redirect(
		rq, rs, &o,
		arena_printf(rq->a, "/districts/%lld/walk-settings?ok=saved", (long long)ws.district_id));
}
