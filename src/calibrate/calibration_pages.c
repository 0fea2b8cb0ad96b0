/* Calibration pages: the sessions, starting one, a session (its lesson,
 * raters, anchors and controls), the rater's blind rating form, and the
 * results of a round. What a page shows follows the policy and the blind
 * rule (calibration_load, calibration_results_visible); the changes check
 * again. */
#include <math.h>
#include <string.h>

#include "../base/util.h"
#include "../calendar/session.h"
#include "../files/stored_file.h"
#include "../html/html.h"
#include "../html/svg.h"
#include "../org/org.h"
#include "../observe/rubric_web.h"
#include "../web/app.h"
#include "calibration.h"

enum { DISTRICTS_MAX = 8 };

static const char VIDEO_ACCEPT[] = "video/*";

static const char *href(arena *a, int64_t id, const char *tail)
{
	return arena_printf(a, "/calibrations/%lld%s", (long long)id, tail ? tail : "");
}

static const char *percent(arena *a, double share)
{
	if (!isfinite(share)) return "—";
	return arena_printf(a, "%.0f %%", share * 100.0);
}

static const char *signed_points(arena *a, double v)
{
	if (!isfinite(v)) return "—";
	if (fabs(v) < 0.005) return "0";
	return arena_printf(a, "%+.2g", v);
}

static const char *rule_text(arena *a, const calibration *c, bool anchored)
{
	const char *within = c->pass_distance == 0 ? "equal to"
		: c->pass_distance == 1
		? "within ±1 point of"
		: arena_printf(a, "within ±%lld points of", (long long)c->pass_distance);
	return arena_printf(a, "at least %.0f %% of a rater's ratings %s the %s", c->pass_share * 100.0,
			    within, anchored ? "anchor" : "median of the submitted ratings");
}

static void crumbs(req *rq, buf *b, const calibration *c, const char *here)
{
	html_printf(b, "<p class=\"crumbs\"><a href=\"/calibrations\">Calibration</a>");
	if (c) html_printf(b, " › <a href=\"%s\">%s</a>", href(rq->a, c->id, NULL), c->title);
	if (here) html_printf(b, " › %s", here);
	html_printf(b, "</p>\n");
}

/* Steering (anchors, rounds, close): those who may update it and are not
 * among its raters. */
static bool may_steer(const req *rq, const calibration *c)
{
	return !c->closed && may_calibration(rq, ACT_UPDATE, c) && !calibration_is_rater(c, actor_id(rq));
}

static const char *field_text(req *rq, const char *name)
{
	const char *v = text_trim(rq->a, req_form(rq, name));
	return v && *v ? v : NULL;
}

/* ---- the list ---- */

/*
** GET /calibrations
** "Calibration": the sessions I may read, newest first, with the day,
** rubric, round and whether I rate in it (and have submitted); a link to
** start one for those who may.
** Permissions: signed in; each session through may(READ, calibration).
*/
void page_calibrations(req *rq, resp *rs)
{
	calibration *list;
	size_t n;
	if (calibrations_readable(rq, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Calibration", "calibration");
	layout_begin(b, &l);
	html_printf(b,
		    "<h1>Calibration sessions</h1>\n<p>Observers rate the same lesson with the same rubric, "
		    "blind, and then see where and how much they agree.</p>\n");
	if (may_act_somewhere(rq, REC_CALIBRATION, ACT_CREATE))
		html_printf(b,
			    "<p><a class=\"button\" href=\"/calibrations/new\">New calibration "
			    "session</a></p>\n");
	html_printf(b, "<p><a href=\"/observers/%lld/calibration\">My calibration history</a></p>\n",
		    (long long)actor_id(rq));
	size_t shown = 0;
	html_printf(b, "<ul class=\"cycle-list\">\n");
	for (size_t i = 0; i < n; i++) {
		const calibration *c = &list[i];
		shown++;
		const calibration_rater *mine = calibration_rater_of(c, actor_id(rq));
		html_printf(b,
			    "<li class=\"card cycle-card\">\n<h2><a href=\"%s\">%s</a></h2>\n"
			    "<p class=\"muted\">%s · %s · round %lld%s</p>\n",
			    href(rq->a, c->id, NULL), c->title, c->held_on ? c->held_on : "", c->rubric_name,
			    (long long)c->round, c->closed ? " · closed" : "");
		if (mine && !c->closed && !mine->submitted_at)
			html_printf(b,
				    "<p><a href=\"%s\">Rate round %lld</a> <span class=\"badge "
				    "badge-draft\">to do</span></p>\n",
				    href(rq->a, c->id, "/rate"), (long long)c->round);
		else if (mine)
			html_printf(b,
				    "<p><span class=\"badge badge-complete\">submitted</span> "
				    "<a href=\"%s\">Results</a></p>\n",
				    href(rq->a, c->id, "/results"));
		html_printf(b, "</li>\n");
	}
	html_printf(b, "</ul>\n");
	if (!shown) html_printf(b, "<p>No calibration sessions yet.</p>\n");
	layout_end(b);
}

/* ---- starting one ---- */

/* Who may rate in a session of one district: its people and its
 * partner's. */
typedef struct rater_choices {
	int64_t *ids;
	const char **names;
	size_t n;
} rater_choices;

typedef struct start_choices {
	int64_t districts[DISTRICTS_MAX];
	const char *district_names[DISTRICTS_MAX];
	int64_t partners[DISTRICTS_MAX];
	rater_choices raters[DISTRICTS_MAX];
	size_t ndistricts;
	rubric_summary *rubrics;
	size_t nrubrics;
} start_choices;

static store_rc start_choices_load(req *rq, start_choices *ch)
{
	*ch = (start_choices){0};
	const actor *a = rq->actor;
	for (size_t i = 0; i < a->ngrants && ch->ndistricts < DISTRICTS_MAX; i++) {
		int64_t d = a->grants[i].district_id;
		bool seen = false;
		for (size_t k = 0; k < ch->ndistricts; k++) seen |= ch->districts[k] == d;
		if (!d || seen) continue;
		calibration probe;
		calibration_runner(rq, d, &probe);
		if (!probe.org_id) continue;
		org o;
		bool found = false;
		store_rc rc = org_get(rq->db, rq->a, d, &o, &found);
		if (rc != STORE_OK) return rc;
		if (!found || !o.active || !str_eq(o.kind, "district")) continue;
		ch->districts[ch->ndistricts] = d;
		ch->district_names[ch->ndistricts] = o.name;
		ch->partners[ch->ndistricts++] = probe.org_is_partner ? probe.org_id : 0;
	}
	int64_t orgs[2 * DISTRICTS_MAX];
	size_t norgs = 0;
	for (size_t k = 0; k < ch->ndistricts; k++) {
		rater_choices *r = &ch->raters[k];
		store_rc rc = calibration_rater_choices(rq->db, rq->a, ch->districts[k], ch->partners[k],
							&r->ids, &r->names, &r->n);
		if (rc != STORE_OK) return rc;
		orgs[norgs++] = ch->districts[k];
		if (ch->partners[k]) orgs[norgs++] = ch->partners[k];
	}
	return rubric_list(rq->db, rq->a, orgs, norgs, false, &ch->rubrics, &ch->nrubrics);
}

static bool id_listed(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id) return true;
	return false;
}

static const char *id_text(arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : "";
}

/* The raters to choose from, a group per district offered. */
static void raters_field(req *rq, buf *b, const start_choices *ch, const calibration_input *in,
			 const form_errors *e)
{
	const char *error = form_error_for(e, "raters");
	html_printf(b, "<fieldset class=\"field%s\" id=\"raters\"", error ? " field-invalid" : "");
	form_control_described(b, "raters", "raters", error);
	html_printf(b,
		    "><legend>Raters</legend>\n"
		    "<span class=\"hint\" id=\"raters-hint\">People who rate the lesson. The facilitator is "
		    "not one "
		    "of them.</span>\n");
	form_field_error(b, "raters", error);
	for (size_t k = 0; k < ch->ndistricts; k++) {
		const rater_choices *r = &ch->raters[k];
		if (ch->ndistricts > 1) html_printf(b, "<p><strong>%s</strong></p>\n", ch->district_names[k]);
		for (size_t i = 0; i < r->n; i++) {
			if (r->ids[i] == actor_id(rq)) continue;
			const char *fid = arena_printf(rq->a, "rater-%lld-%lld", (long long)ch->districts[k],
						       (long long)r->ids[i]);
			html_printf(b,
				    "<label class=\"check\" for=\"%s\"><input type=\"checkbox\" id=\"%s\" "
				    "name=\"raters\" "
				    "value=\"%lld\"%s> %s</label>\n",
				    fid, fid, (long long)r->ids[i],
				    id_listed(in->raters, in->nraters, r->ids[i]) ? " checked" : "",
				    r->names[i]);
		}
	}
	html_printf(b, "</fieldset>\n");
}

static void lesson_fields(req *rq, buf *b, const calibration_input *in, const form_errors *e)
{
	html_printf(
		b,
		"<fieldset><legend>The lesson</legend>\n"
		"<p class=\"hint\">A video file, a link to the video, or a transcript (any of them).</p>\n");
	form_file(
		b, "video", "Video file", VIDEO_ACCEPT, false,
		arena_printf(
			rq->a, "MP4, MOV or WebM, up to %llu MB; played to the session's people only",
			(unsigned long long)((rq->app->media_max ? rq->app->media_max : 200ull << 20) >> 20)),
		e);
	form_input(b, "url", "video_url", "Link to the video", in->video_url, false, "https://…", e);
	form_textarea(b, "transcript", "Transcript", in->transcript, false, NULL, e);
	html_printf(b, "</fieldset>\n");
}

static void pass_fields(req *rq, buf *b, const char *share, const char *distance, const form_errors *e)
{
	html_printf(b, "<fieldset><legend>Pass rule</legend>\n");
	form_input(b, "number", "pass_share", "Share of ratings (%)", share, true,
		   "a rater passes with at least this share of ratings near the anchor; 80 by convention", e);
	form_input(b, "number", "pass_distance", "Points from the anchor that still count", distance, true,
		   "1: within ±1 point (the CLASS convention); 0: exact", e);
	html_printf(b, "</fieldset>\n");
	(void)rq;
}

typedef struct session_form {
	calibration_input in;
	const char *share, *distance; /* as typed */
} session_form;

static void start_page(req *rq, resp *rs, int status, const session_form *sf, const form_errors *e)
{
	start_choices ch;
	if (start_choices_load(rq, &ch) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	const calibration_input *in = &sf->in;
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "New calibration session", "calibration");
	layout_begin(b, &l);
	crumbs(rq, b, NULL, "New");
	html_printf(b, "<h1>New calibration session</h1>\n");
	form_begin_upload(b, "/calibrations", rq->actor->csrf, e);
	form_input(b, "text", "title", "Title", in->title, true, NULL, e);
	form_input(b, "date", "held_on", "Day", in->held_on, true, NULL, e);
	form_option *dopts = arena_calloc(rq->a, ch.ndistricts + 1, sizeof *dopts);
	for (size_t k = 0; k < ch.ndistricts; k++)
		dopts[k] = (form_option){id_text(rq->a, ch.districts[k]), ch.district_names[k]};
	form_select(b, "district_id", "District", dopts, ch.ndistricts,
		    id_text(rq->a,
			    in->district_id         ? in->district_id
				    : ch.ndistricts ? ch.districts[0]
						    : 0),
		    true, e);
	form_option *ropts = arena_calloc(rq->a, ch.nrubrics + 1, sizeof *ropts);
	int64_t tru = 0;
	for (size_t k = 0; k < ch.nrubrics; k++) {
		ropts[k] = (form_option){id_text(rq->a, ch.rubrics[k].id),
					 arena_printf(rq->a, "%s (%lld–%lld)", ch.rubrics[k].name,
						      (long long)ch.rubrics[k].scale_min,
						      (long long)ch.rubrics[k].scale_max)};
		if (str_eq(ch.rubrics[k].builtin_key, "tru")) tru = ch.rubrics[k].id;
	}
	form_select(b, "rubric_id", "Rubric", ropts, ch.nrubrics,
		    id_text(rq->a, in->rubric_id ? in->rubric_id : tru), true, e);
	lesson_fields(rq, b, in, e);
	raters_field(rq, b, &ch, in, e);
	pass_fields(rq, b, sf->share, sf->distance, e);
	form_end(b, "Create the session");
	layout_end(b);
}

/* Fields of the session form shared by create and edit. */
static session_form form_session(req *rq, bool creating, form_errors *e)
{
	session_form sf = {.in = {.pass_distance = -1}};
	calibration_input *in = &sf.in;
	in->title = text_trim(rq->a, req_form(rq, "title"));
	in->held_on = text_trim(rq->a, req_form(rq, "held_on"));
	in->video_url = text_trim(rq->a, req_form(rq, "video_url"));
	in->transcript = text_trim(rq->a, req_form(rq, "transcript"));
	if (creating) {
		const char *d = field_text(rq, "district_id"), *r = field_text(rq, "rubric_id");
		if (d && !parse_i64(d, 1, INT64_MAX, &in->district_id))
			form_error_add(e, "district_id", "Choose a district from the list.");
		if (!r || !parse_i64(r, 1, INT64_MAX, &in->rubric_id))
			form_error_add(e, "rubric_id", "Choose a rubric from the list.");
	}
	in->raters_given = true;
	if (!req_form_ids(rq, "raters", SESSION_PEOPLE_MAX, &in->raters, &in->nraters))
		form_error_add(e, "raters", "Choose raters from the list.");
	sf.share = field_text(rq, "pass_share");
	sf.distance = field_text(rq, "pass_distance");
	const char *why = calibration_pass_share_parse(sf.share, &in->pass_share);
	if (why) form_error_add(e, "pass_share", why);
	if (!sf.distance || !parse_i64(sf.distance, 0, 9, &in->pass_distance))
		form_error_add(e, "pass_distance",
			       "The distance must be a whole number of points from 0 to 9.");
	in->video = req_file(rq, "video");
	return sf;
}

/*
** GET /calibrations/new
** The form that starts a session: title, day, district, rubric (its
** current version is pinned), the lesson (video file, link, transcript),
** raters, pass rule.
** Permissions: may(CREATE, calibration) somewhere, else 403.
*/
void page_calibration_new(req *rq, resp *rs)
{
	if (!may_act_somewhere(rq, REC_CALIBRATION, ACT_CREATE)) {
		resp_error(rq, rs, 403, "forbidden",
			   "Only district leaders, coaches and partner staff run calibration sessions.",
			   NULL);
		return;
	}
	session_form sf = {.in = {.pass_distance = -1}, .share = "80", .distance = "1"};
	form_errors none = {0};
	start_page(rq, rs, 200, &sf, &none);
}

/*
** POST /calibrations (multipart: title, held_on, district_id, rubric_id,
** video (file), video_url, transcript, raters (repeated ids), pass_share
** (percent), pass_distance, csrf)
** 303 to the session; the form again with 400; 413 for a video over the
** cap, 415 for a file that is not a video (nothing kept).
** Permissions: may(CREATE, calibration) for the district.
*/
void page_calibration_create(req *rq, resp *rs)
{
	form_errors e = {0};
	session_form sf = form_session(rq, true, &e);
	outcome o = {0};
	if (e.n) {
		o.errors = e;
		outcome_invalid(&o);
	} else {
		calibration_create(rq, &sf.in, &o);
	}
	if (o.status == 400) {
		form_errors shown = o.errors;
		if (!shown.n) form_error_add(&shown, o.field, o.message);
		start_page(rq, rs, 400, &sf, &shown);
		return;
	}
	outcome_redirect(rq, rs, &o, href(rq->a, o.id, "?ok=created"));
}

/* ---- one session ---- */

static void lesson_html(req *rq, buf *b, const calibration *c)
{
	html_printf(b, "<h2>The lesson</h2>\n");
	if (c->video_file)
		html_printf(b,
			    "<video class=\"lesson-video\" controls preload=\"metadata\" src=\"%s\">"
			    "<a href=\"%s\">Download the video</a></video>\n",
			    href(rq->a, c->id, "/video"), href(rq->a, c->id, "/video"));
	if (c->video_url)
		html_printf(b,
			    "<p><a href=\"%s\" rel=\"noopener noreferrer\">Watch the lesson (link)</a></p>\n",
			    c->video_url);
	if (c->transcript)
		html_printf(b,
			    "<details class=\"transcript\"><summary>Transcript</summary>\n<div "
			    "class=\"prewrap\">%s</div>\n"
			    "</details>\n",
			    c->transcript);
	if (!c->video_file && !c->video_url && !c->transcript)
		html_printf(b, "<p class=\"muted\">No lesson given yet.</p>\n");
}

static void facts_html(req *rq, buf *b, const calibration *c, bool anchored)
{
	html_printf(b,
		    "<dl class=\"facts\">\n<dt>Day</dt><dd>%s</dd>\n<dt>Rubric</dt><dd>%s</dd>\n"
		    "<dt>Facilitator</dt><dd>%s</dd>\n<dt>Run by</dt><dd>%s</dd>\n",
		    c->held_on ? c->held_on : "—", c->rubric_name, c->facilitator_name, c->org_name);
	if (c->district_id && c->org_is_partner)
		html_printf(b, "<dt>For</dt><dd>%s</dd>\n", c->district_name);
	html_printf(b, "<dt>Round</dt><dd>%lld%s</dd>\n<dt>Pass rule</dt><dd>%s</dd>\n</dl>\n",
		    (long long)c->round, c->closed ? " (closed)" : "", rule_text(rq->a, c, anchored));
}

static void raters_html(buf *b, const calibration *c, bool sees)
{
	html_printf(b, "<h2>Raters</h2>\n");
	if (!c->nraters) {
		html_printf(b, "<p>No raters invited yet.</p>\n");
		return;
	}
	size_t done = 0;
	for (size_t i = 0; i < c->nraters; i++) done += c->raters[i].submitted_at != 0;
	if (sees)
		html_printf(b, "<p>%zu of %zu have submitted round %lld.</p>\n", done, c->nraters,
			    (long long)c->round);
	html_printf(b, "<ul>\n");
	for (size_t i = 0; i < c->nraters; i++) {
		const calibration_rater *r = &c->raters[i];
		html_printf(b, "<li><a href=\"/observers/%lld/calibration\">%s</a>", (long long)r->person_id,
			    r->name);
		if (sees)
			html_printf(b, " <span class=\"badge %s\">%s</span>",
				    r->submitted_at ? "badge-complete" : "badge-draft",
				    r->submitted_at ? "submitted" : "not yet");
		html_printf(b, "</li>\n");
	}
	html_printf(b, "</ul>\n");
}

static void anchors_form(req *rq, buf *b, const calibration *c, const rubric_version *v, const form_errors *e)
{
	html_printf(b,
		    "<details class=\"add-file\"%s><summary>Anchor ratings</summary>\n"
		    "<p class=\"hint\">The master rating of each indicator, if there is one; raters never "
		    "see them "
		    "before submitting.</p>\n",
		    e && e->n ? " open" : "");
	form_begin(b, href(rq->a, c->id, "/anchors"), rq->actor->csrf, e);
	form_option *opts = arena_calloc(rq->a, v->nlevels + 2, sizeof *opts);
	opts[0] = (form_option){"", "No anchor"};
	for (size_t i = 0; i < v->nlevels; i++)
		opts[i + 1] = (form_option){id_text(rq->a, v->levels[i].level),
					    rubric_level_label(rq->a, v, v->levels[i].level)};
	/* id_text gives "" for 0: a scale starting at 0 names its level. */
	for (size_t i = 0; i < v->nlevels; i++)
		if (!v->levels[i].level) opts[i + 1].value = "0";
	for (size_t k = 0; k < v->nindicators; k++) {
		const rubric_indicator *ind = &v->indicators[k];
		int64_t av;
		bool has = calibration_anchor_of(c, ind->id, &av);
		form_select(b, arena_printf(rq->a, "anchor_%s", ind->code),
			    arena_printf(rq->a, "%s %s", ind->code, ind->name), opts, v->nlevels + 1,
			    has ? arena_printf(rq->a, "%lld", (long long)av) : "", false, e);
	}
	form_end(b, "Save the anchors");
	html_printf(b, "</details>\n");
}

/* The raters a session's edit form offers: its district's people and its
 * partner's. */
static store_rc edit_choices_load(req *rq, const calibration *c, start_choices *ch)
{
	*ch = (start_choices){.districts = {c->district_id},
			      .district_names = {c->district_name},
			      .partners = {c->org_is_partner ? c->org_id : 0},
			      .ndistricts = 1};
	rater_choices *r = &ch->raters[0];
	return calibration_rater_choices(rq->db, rq->a, c->district_id, ch->partners[0], &r->ids, &r->names,
					 &r->n);
}

static void edit_form(req *rq, buf *b, const calibration *c, const start_choices *ch, const session_form *sf,
		      const form_errors *e)
{
	html_printf(b, "<details class=\"add-file\"%s><summary>Edit the session</summary>\n",
		    e && e->n ? " open" : "");
	form_begin_upload(b, href(rq->a, c->id, NULL), rq->actor->csrf, e);
	form_input(b, "text", "title", "Title", sf->in.title, true, NULL, e);
	form_input(b, "date", "held_on", "Day", sf->in.held_on, true, NULL, e);
	lesson_fields(rq, b, &sf->in, e);
	raters_field(rq, b, ch, &sf->in, e);
	pass_fields(rq, b, sf->share, sf->distance, e);
	form_end(b, "Save");
	html_printf(b, "</details>\n");
}

static session_form form_of(req *rq, const calibration *c)
{
	session_form sf = {.in = {.title = c->title,
				  .held_on = c->held_on,
				  .video_url = c->video_url,
				  .transcript = c->transcript,
				  .raters = c->rater_ids,
				  .nraters = c->nraters}};
	sf.share = arena_printf(rq->a, "%g", c->pass_share * 100.0);
	sf.distance = arena_printf(rq->a, "%lld", (long long)c->pass_distance);
	return sf;
}

static void session_page(req *rq, resp *rs, int status, const calibration *c, const session_form *edit,
			 const form_errors *edit_errors, const form_errors *anchor_errors)
{
	rubric_version v;
	if (!rubric_version_pinned(rq, rs, c->rubric_version_id, &v)) return;
	bool submitted, sees, steers = may_steer(rq, c);
	start_choices raters;
	if (calibration_results_visible(rq, c, c->round, &sees, &submitted) != STORE_OK ||
	    (steers && edit_choices_load(rq, c, &raters) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return;
	}
	const calibration_rater *mine = calibration_rater_of(c, actor_id(rq));
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, c->title, "calibration");
	layout_begin(b, &l);
	crumbs(rq, b, NULL, NULL);
	html_printf(b, "<h1>%s</h1>\n", c->title);
	facts_html(rq, b, c, c->nanchors > 0);
	html_printf(b, "<div class=\"actions\">\n");
	if (mine && !c->closed && !submitted)
		html_printf(b, "<a class=\"button\" href=\"%s\">Rate round %lld</a>\n",
			    href(rq->a, c->id, "/rate"), (long long)c->round);
	if (sees)
		html_printf(b, "<a class=\"button\" href=\"%s\">Results</a>\n",
			    href(rq->a, c->id, "/results"));
	html_printf(b, "</div>\n");
	if (mine && !submitted)
		html_printf(b,
			    "<p class=\"shared-banner\" role=\"note\">You rate blind: the group's ratings, "
			    "the results "
			    "and the anchors show once you submit yours.</p>\n");
	lesson_html(rq, b, c);
	raters_html(b, c, sees);
	if (steers) {
		html_printf(b, "<h2>Facilitating</h2>\n");
		if (c->nanchors)
			html_printf(b, "<p>%zu of %zu indicators have an anchor.</p>\n", c->nanchors,
				    v.nindicators);
		if (calibration_any_submitted(c))
			html_printf(
				b,
				"<p class=\"hint\">The anchors are fixed: a rater has submitted, and results "
				"already seen keep them.</p>\n");
		else anchors_form(rq, b, c, &v, anchor_errors);
		session_form sf = edit ? *edit : form_of(rq, c);
		edit_form(rq, b, c, &raters, &sf, edit_errors);
		html_printf(b, "<div class=\"actions\">\n");
		form_button(b, href(rq->a, c->id, "/rounds"), rq->actor->csrf,
			    arena_printf(rq->a, "Open round %lld", (long long)c->round + 1),
			    "Raters rate again, blind again. Open the next round?", NULL, NULL);
		form_button(b, href(rq->a, c->id, "/close"), rq->actor->csrf, "Close the session",
			    "Closing ends rating for good. Close it?", NULL, NULL);
		html_printf(b, "</div>\n");
	}
	layout_end(b);
}

/*
** GET /calibrations/{id}
** The session: day, rubric, facilitator, pass rule, the lesson (video
** played with Range, link, transcript), raters (who submitted only to
** those the blind rule lets see results), links to rate and to the
** results; for the facilitator and leaders (not raters) the anchors, the
** edit form, the next round and closing.
** Permissions: may(READ, calibration), else 404.
*/
void page_calibration(req *rq, resp *rs)
{
	calibration c;
	if (!calibration_load(rq, rs, &c)) return;
	session_page(rq, rs, 200, &c, NULL, NULL, NULL);
}

/*
** POST /calibrations/{id} (multipart: title, held_on, video (file),
** video_url, transcript, raters (repeated ids), pass_share, pass_distance,
** csrf)
** 303 back; the page again with 400 beside the fields; 409 when removing
** a rater who has rated; 413/415 for the video.
** Permissions: may(UPDATE, calibration).
*/
void page_calibration_update(req *rq, resp *rs)
{
	calibration c;
	if (!calibration_load(rq, rs, &c)) return;
	form_errors e = {0};
	session_form sf = form_session(rq, false, &e);
	outcome o = {0};
	if (e.n) {
		o.errors = e;
		outcome_invalid(&o);
	} else {
		calibration_update(rq, &c, &sf.in, &o);
	}
	if (o.status == 400 && may_steer(rq, &c)) {
		form_errors shown = o.errors;
		if (!shown.n) form_error_add(&shown, o.field, o.message);
		session_page(rq, rs, 400, &c, &sf, &shown, NULL);
		return;
	}
	outcome_redirect(rq, rs, &o, href(rq->a, c.id, "?ok=saved"));
}

/* The values of a form, one per indicator: prefix + code. */
static calibration_value *form_values(req *rq, const rubric_version *v, const char *prefix, bool evidence,
				      form_errors *e)
{
	calibration_value *vals = arena_calloc(rq->a, v->nindicators + 1, sizeof *vals);
	for (size_t k = 0; k < v->nindicators; k++) {
		const char *code = v->indicators[k].code;
		const char *text = field_text(rq, arena_printf(rq->a, "%s%s", prefix, code));
		vals[k].code = code;
		if (text) {
			vals[k].has_value = parse_i64(text, -1000, 1000, &vals[k].value);
			if (!vals[k].has_value)
				form_error_add(e, arena_printf(rq->a, "%s%s", prefix, code),
					       arena_printf(rq->a, "%s: choose a level of the scale.", code));
		}
		if (evidence) vals[k].evidence = field_text(rq, arena_printf(rq->a, "evidence_%s", code));
	}
	return vals;
}

/*
** POST /calibrations/{id}/anchors (form: anchor_CODE per indicator, empty
** for none; csrf)
** 303 back; the page with 400 for a value off the scale.
** Permissions: may(UPDATE, calibration) and not a rater of it.
*/
void page_calibration_anchors(req *rq, resp *rs)
{
	calibration c;
	rubric_version v;
	if (!calibration_load(rq, rs, &c) || !rubric_version_pinned(rq, rs, c.rubric_version_id, &v)) return;
	form_errors e = {0};
	calibration_value *vals = form_values(rq, &v, "anchor_", false, &e);
	outcome o = {0};
	if (e.n) {
		o.errors = e;
		outcome_invalid(&o);
	} else {
		calibration_anchors_set(rq, &c, &v, vals, v.nindicators, &o);
	}
	if (o.status == 400 && may_steer(rq, &c)) {
		session_page(rq, rs, 400, &c, NULL, NULL, &o.errors);
		return;
	}
	outcome_redirect(rq, rs, &o, href(rq->a, c.id, "?ok=saved"));
}

/*
** GET /calibrations/{id}/video
** The lesson's video, with Range so it seeks. Not coaching content, so not
** audited; only for those who may read the session.
** Permissions: may(READ, calibration), else 404.
*/
void page_calibration_video(req *rq, resp *rs)
{
	calibration c;
	if (!calibration_load(rq, rs, &c)) return;
	calibration_video_send(rq, rs, &c);
}

/* ---- rating ---- */

static void rate_form(req *rq, buf *b, const calibration *c, const rubric_version *v,
		      const calibration_value *vals, const form_errors *e)
{
	form_begin(b, href(rq->a, c->id, "/rate"), rq->actor->csrf, e);
	for (size_t k = 0; k < v->nindicators; k++) {
		const rubric_indicator *ind = &v->indicators[k];
		const char *name = arena_printf(rq->a, "value_%s", ind->code);
		const char *error = form_error_for(e, name);
		const char *id = arena_printf(rq->a, "ind-%s", ind->code);
		html_printf(b, "<fieldset class=\"rating%s\" id=\"%s\"", error ? " field-invalid" : "", id);
		form_control_described(b, id, ind->description ? id : NULL, error);
		html_printf(b, "><legend>%s %s</legend>\n", ind->code, ind->name);
		if (ind->description)
			html_printf(b, "<p class=\"hint\" id=\"%s-hint\">%s</p>\n", id, ind->description);
		form_field_error(b, id, error);
		html_printf(b, "<div class=\"rating-scale\">\n");
		for (size_t i = 0; i < v->nlevels; i++) {
			int64_t level = v->levels[i].level;
			const char *fid = arena_printf(rq->a, "v-%s-%lld", ind->code, (long long)level);
			bool on = vals[k].has_value && vals[k].value == level;
			html_printf(b,
				    "<label for=\"%s\"><input type=\"radio\" id=\"%s\" name=\"%s\" "
				    "value=\"%lld\"%s> %s</label>\n",
				    fid, fid, name, (long long)level, on ? " checked" : "",
				    rubric_level_label(rq->a, v, level));
		}
		html_printf(b, "</div>\n");
		const char *eid = arena_printf(rq->a, "evidence_%s", ind->code);
		html_printf(
			b,
			"<label for=\"%s\">Evidence for %s <span class=\"muted\">(optional)</span></label>\n"
			"<textarea id=\"%s\" name=\"%s\" rows=\"2\">%s</textarea>\n</fieldset>\n",
			eid, ind->code, eid, eid, vals[k].evidence ? vals[k].evidence : "");
	}
	html_printf(b,
		    "<div class=\"actions\">\n<button type=\"submit\" name=\"action\" value=\"draft\" "
		    "class=\"button-secondary\">Save draft</button>\n"
		    "<button type=\"submit\" name=\"action\" value=\"submit\">Submit my "
		    "ratings</button>\n</div>\n"
		    "<p class=\"hint\">Once submitted, your ratings of this round are final; then you see "
		    "the group's.</p>\n"
		    "</form>\n");
}

static void rate_page(req *rq, resp *rs, int status, const calibration *c, const rubric_version *v,
		      const calibration_value *typed, const form_errors *e)
{
	calibration_rating *now, *before = NULL;
	size_t nnow, nbefore = 0;
	if (calibration_ratings_get(rq->db, rq->a, c->id, c->round, &now, &nnow) != STORE_OK ||
	    (c->round > 1 &&
	     calibration_ratings_get(rq->db, rq->a, c->id, c->round - 1, &before, &nbefore) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return;
	}
	bool submitted, sees;
	if (calibration_results_visible(rq, c, c->round, &sees, &submitted) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, arena_printf(rq->a, "Rate: %s", c->title), "calibration");
	layout_begin(b, &l);
	crumbs(rq, b, c, "Rate");
	html_printf(b, "<h1>Rate round %lld</h1>\n<p>%s · %s</p>\n", (long long)c->round, c->title,
		    c->rubric_name);
	if (submitted) {
		html_printf(b, "<p>You submitted your ratings of round %lld; they are final.</p>\n",
			    (long long)c->round);
		if (sees)
			html_printf(b, "<p><a class=\"button\" href=\"%s\">See the group's results</a></p>\n",
				    href(rq->a, c->id, "/results"));
	} else if (c->closed) {
		html_printf(b, "<p>The session is closed.</p>\n");
	} else {
		html_printf(b,
			    "<p class=\"shared-banner\" role=\"note\">You rate blind: nobody's ratings, the "
			    "results or "
			    "the anchors show until you submit yours.</p>\n");
		if (c->video_file || c->video_url)
			html_printf(b, "<p><a href=\"%s\">The lesson</a></p>\n", href(rq->a, c->id, NULL));
		/* Your own: what you saved of this round, else your last round's. */
		calibration_value *vals = arena_calloc(rq->a, v->nindicators + 1, sizeof *vals);
		for (size_t k = 0; k < v->nindicators; k++) {
			const calibration_rating *r = NULL;
			for (size_t i = 0; i < nnow && !r; i++)
				if (now[i].rater_id == actor_id(rq) &&
				    now[i].indicator_id == v->indicators[k].id)
					r = &now[i];
			for (size_t i = 0; i < nbefore && !r; i++)
				if (before[i].rater_id == actor_id(rq) &&
				    before[i].indicator_id == v->indicators[k].id)
					r = &before[i];
			vals[k].code = v->indicators[k].code;
			if (typed) vals[k] = typed[k];
			else if (r)
				vals[k] = (calibration_value){v->indicators[k].code, true, r->value,
							      r->evidence};
		}
		rate_form(rq, b, c, v, vals, e);
	}
	layout_end(b);
}

/*
** GET /calibrations/{id}/rate
** The rater's form for the open round: a row of levels per indicator (big
** targets for a phone) with optional evidence, "Save draft" and "Submit";
** it starts from the rater's own draft, else their last round's ratings.
** After submitting: a note and the link to the results.
** Permissions: a rater of the session; others who may read it 403, the
** rest 404.
*/
void page_calibration_rate(req *rq, resp *rs)
{
	calibration c;
	rubric_version v;
	if (!calibration_load(rq, rs, &c) || !rubric_version_pinned(rq, rs, c.rubric_version_id, &v)) return;
	if (!calibration_is_rater(&c, actor_id(rq))) {
		resp_error(rq, rs, 403, "not_a_rater", "Only the session's invited raters rate.", NULL);
		return;
	}
	form_errors none = {0};
	rate_page(rq, rs, 200, &c, &v, NULL, &none);
}

/*
** POST /calibrations/{id}/rate (form: value_CODE and evidence_CODE per
** indicator, action=draft|submit, csrf)
** Saves the draft; with action=submit also submits (400 naming the first
** indicator without a rating, the form kept). 303 to the results after
** submitting, else back to the form. 409 after submitting.
** Permissions: a rater of the session.
*/
void page_calibration_rate_save(req *rq, resp *rs)
{
	calibration c;
	rubric_version v;
	if (!calibration_load(rq, rs, &c) || !rubric_version_pinned(rq, rs, c.rubric_version_id, &v)) return;
	form_errors e = {0};
	calibration_value *vals = form_values(rq, &v, "value_", true, &e);
	bool submit = str_eq(req_form(rq, "action"), "submit");
	outcome o = {0};
	if (e.n) {
		o.errors = e;
		outcome_invalid(&o);
	} else {
		calibration_ratings_save(rq, &c, &v, vals, v.nindicators, &o);
		if (!o.status && submit) calibration_submit(rq, &c, &v, &o);
	}
	if (o.status == 400) {
		form_errors shown = o.errors;
		if (!shown.n) form_error_add(&shown, o.field, o.message);
		rate_page(rq, rs, 400, &c, &v, vals, &shown);
		return;
	}
	outcome_redirect(rq, rs, &o,
			 submit ? href(rq->a, c.id, "/results?ok=saved")
				: href(rq->a, c.id, "/rate?ok=stage-saved"));
}

/*
** POST /calibrations/{id}/rounds (csrf)
** Opens the next round; 303 to the session. 409 when nobody submitted.
** Permissions: may(UPDATE, calibration) and not a rater of it.
*/
void page_calibration_round(req *rq, resp *rs)
{
	calibration c;
	if (!calibration_load(rq, rs, &c)) return;
	outcome o = {0};
	calibration_round_open(rq, &c, &o);
	outcome_redirect(rq, rs, &o, href(rq->a, c.id, "?ok=saved"));
}

/*
** POST /calibrations/{id}/close (csrf)
** Closes the session: no more rating or rounds; results stay.
** Permissions: may(UPDATE, calibration) and not a rater of it.
*/
void page_calibration_close(req *rq, resp *rs)
{
	calibration c;
	if (!calibration_load(rq, rs, &c)) return;
	outcome o = {0};
	calibration_close(rq, &c, &o);
	outcome_redirect(rq, rs, &o, href(rq->a, c.id, "?ok=saved"));
}

/* ---- results ---- */

static const char **codes_of(arena *a, const rubric_version *v)
{
	const char **codes = arena_calloc(a, v->nindicators + 1, sizeof *codes);
	for (size_t k = 0; k < v->nindicators; k++) codes[k] = v->indicators[k].code;
	return codes;
}

static void distribution_chart(req *rq, buf *b, const calibration_results *res)
{
	const rubric_version *v = &res->rubric;
	size_t points = (size_t)(v->scale_max - v->scale_min + 1);
	double *cells = arena_calloc(rq->a, v->nindicators * points + 1, sizeof *cells);
	const char **cols = arena_calloc(rq->a, points + 1, sizeof *cols);
	for (size_t p = 0; p < points; p++) cols[p] = rubric_level_label(rq->a, v, v->scale_min + (int64_t)p);
	for (size_t k = 0; k < v->nindicators; k++)
		for (size_t p = 0; p < points; p++)
			cells[k * points + p] = (double)res->r.indicators[k].counts[p];
	svg_table t = {v->nindicators, points, codes_of(rq->a, v), cols, cells};
	svg_chart ch = {.id = "dist",
			.title = "Ratings per indicator",
			.row_head = "Indicator",
			.unit = "",
			.horizontal = true,
			.desc = "How many raters gave each level, indicator by indicator."};
	svg_stacked_bar(b, &ch, &t);
}

static void indicator_table(req *rq, buf *b, const calibration_results *res)
{
	const rubric_version *v = &res->rubric;
	html_printf(b, "<h2>Agreement by indicator</h2>\n");
	html_table_open(b);
	html_printf(
		b,
		"<caption>Pairs of submitted raters who agree, per indicator</caption>\n<thead><tr>"
		"<th scope=\"col\">Indicator</th><th scope=\"col\" class=\"num\">Ratings</th>"
		"<th scope=\"col\" class=\"num\">Anchor</th><th scope=\"col\" class=\"num\">Median</th>"
		"<th scope=\"col\" class=\"num\">Exact</th><th scope=\"col\" class=\"num\">Within one</th>"
		"</tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < v->nindicators; k++) {
		const calibration_indicator_result *ir = &res->r.indicators[k];
		html_printf(
			b,
			"<tr><th scope=\"row\">%s %s</th><td class=\"num\">%zu</td><td class=\"num\">%s</td>"
			"<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
			v->indicators[k].code, v->indicators[k].name, ir->n,
			ir->has_anchor ? arena_printf(rq->a, "%lld", (long long)ir->anchor) : "—",
			isfinite(ir->median) ? arena_printf(rq->a, "%g", ir->median) : "—",
			percent(rq->a, ir->pairs_exact), percent(rq->a, ir->pairs_within_one));
	}
	html_printf(b, "</tbody></table></div>\n");
}

static void heatmap(req *rq, buf *b, const calibration_results *res)
{
	const rubric_version *v = &res->rubric;
	size_t nr = res->r.nraters, nc = v->nindicators;
	if (!nr) return;
	double *cells = arena_calloc(rq->a, nr * nc + 1, sizeof *cells);
	for (size_t i = 0; i < nr; i++)
		for (size_t k = 0; k < nc; k++) cells[i * nc + k] = res->r.raters[i].deviations[k];
	double span = (double)(v->scale_max - v->scale_min);
	svg_table t = {nr, nc, res->names, codes_of(rq->a, v), cells};
	svg_chart ch = {
		.id = "dev",
		.title = res->r.anchored ? "Each rater against the anchor" : "Each rater against the median",
		.desc = res->r.anchored
			? "Points above (+) or below (−) the anchor, per rater and indicator; 0 agrees."
			: "Points above (+) or below (−) the median of the submitted ratings; 0 agrees.",
		.row_head = "Rater",
		.unit = "",
		.decimals = 1,
		.lo = -span,
		.hi = span};
	svg_heatmap(b, &ch, &t);
}

static void stat_row(req *rq, buf *b, const char *name, agreement_stat s, bool share)
{
	html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">", name);
	if (s.undefined) html_printf(b, "not defined: %s", s.undefined);
	else if (share) html_printf(b, "%s", percent(rq->a, s.value));
	else html_printf(b, "%.3f", s.value);
	html_printf(b, "</td></tr>\n");
}

static void stats_table(req *rq, buf *b, const calibration_results *res, const calibration_results *before)
{
	html_printf(b, "<h2 id=\"statistics\">Statistics</h2>\n");
	if (res->agreement_missing) {
		html_printf(b, "<p>Not computed yet: %s.</p>\n", res->agreement_missing);
		return;
	}
	if (res->r.anchored)
		html_printf(b, "<p class=\"hint\">The anchor counts as one more rater here.</p>\n");
	const agreement_result *r = &res->stats;
	bool side = before && !before->agreement_missing;
	html_table_open(b);
	html_printf(b,
		    "<caption>Agreement statistics of round %lld%s</caption>\n<thead><tr><th "
		    "scope=\"col\">Statistic</th>",
		    (long long)res->round, side ? " beside the round before" : "");
	if (side) html_printf(b, "<th scope=\"col\" class=\"num\">Round %lld</th>", (long long)before->round);
	html_printf(b, "<th scope=\"col\" class=\"num\">Round %lld</th></tr></thead>\n<tbody>\n",
		    (long long)res->round);
	struct {
		const char *name;
		bool share;
		agreement_stat now, was;
	} rows[] = {
		{"Exact agreement (pairs)", true, r->percent_exact,
		 side ? before->stats.percent_exact : r->percent_exact},
		{"Within one (pairs)", true, r->percent_within_one,
		 side ? before->stats.percent_within_one : r->percent_within_one},
		{"Fleiss' kappa", false, r->fleiss_kappa,
		 side ? before->stats.fleiss_kappa : r->fleiss_kappa},
		{"Krippendorff's alpha, nominal", false, r->alpha[AGREEMENT_NOMINAL],
		 side ? before->stats.alpha[AGREEMENT_NOMINAL] : r->alpha[AGREEMENT_NOMINAL]},
		{"Krippendorff's alpha, ordinal", false, r->alpha[AGREEMENT_ORDINAL],
		 side ? before->stats.alpha[AGREEMENT_ORDINAL] : r->alpha[AGREEMENT_ORDINAL]},
		{"Krippendorff's alpha, interval", false, r->alpha[AGREEMENT_INTERVAL],
		 side ? before->stats.alpha[AGREEMENT_INTERVAL] : r->alpha[AGREEMENT_INTERVAL]},
		{"Krippendorff's alpha, ratio", false, r->alpha[AGREEMENT_RATIO],
		 side ? before->stats.alpha[AGREEMENT_RATIO] : r->alpha[AGREEMENT_RATIO]},
		{"Ordinal alpha, 95 % interval low", false, r->alpha_ordinal_lo,
		 side ? before->stats.alpha_ordinal_lo : r->alpha_ordinal_lo},
		{"Ordinal alpha, 95 % interval high", false, r->alpha_ordinal_hi,
		 side ? before->stats.alpha_ordinal_hi : r->alpha_ordinal_hi},
	};
	for (size_t i = 0; i < COUNT_OF(rows); i++) {
		html_printf(b, "<tr><th scope=\"row\">%s</th>", rows[i].name);
		const agreement_stat *cells[2] = {&rows[i].was, &rows[i].now};
		for (size_t j = side ? 0 : 1; j < 2; j++) {
			const agreement_stat *s = cells[j];
			if (s->undefined) html_printf(b, "<td>not defined: %s</td>", s->undefined);
			else if (rows[i].share)
				html_printf(b, "<td class=\"num\">%s</td>", percent(rq->a, s->value));
			else html_printf(b, "<td class=\"num\">%.3f</td>", s->value);
		}
		html_printf(b, "</tr>\n");
	}
	if (!r->cohen_undefined) {
		stat_row(rq, b, "Cohen's kappa", r->cohen_unweighted, false);
		stat_row(rq, b, "Cohen's kappa, linear weights", r->cohen_linear, false);
		stat_row(rq, b, "Cohen's kappa, quadratic weights", r->cohen_quadratic, false);
	}
	html_printf(b, "</tbody></table></div>\n");
	if (r->cohen_undefined)
		html_printf(b, "<p class=\"hint\">Cohen's kappa not defined: %s.</p>\n", r->cohen_undefined);
}

static void pass_table(req *rq, buf *b, const calibration *c, const calibration_results *res)
{
	html_printf(b, "<h2>Who passes</h2>\n<p>The rule: %s.</p>\n", rule_text(rq->a, c, res->r.anchored));
	html_table_open(b);
	html_printf(
		b,
		"<caption>Each rater against the rule</caption>\n<thead><tr><th scope=\"col\">Rater</th>"
		"<th scope=\"col\" class=\"num\">Exact</th><th scope=\"col\" class=\"num\">Within one</th>"
		"<th scope=\"col\" class=\"num\">Mean deviation</th><th "
		"scope=\"col\">Rule</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < res->r.nraters; i++) {
		const calibration_rater_result *rr = &res->r.raters[i];
		html_printf(b,
			    "<tr><th scope=\"row\"><a href=\"/observers/%lld/calibration\">%s</a></th>"
			    "<td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td>"
			    "<td><span class=\"badge %s\">%s</span></td></tr>\n",
			    (long long)rr->rater_id, res->names[i], percent(rq->a, rr->exact_share),
			    percent(rq->a, rr->within_one_share), signed_points(rq->a, rr->mean_deviation),
			    rr->passes ? "badge-complete" : "badge-draft", rr->passes ? "passes" : "not yet");
	}
	html_printf(b, "</tbody></table></div>\n");
}

static void change_tables(req *rq, buf *b, const calibration_results *before,
			  const calibration_results *after)
{
	html_printf(b, "<h2 id=\"change\">From round %lld to round %lld</h2>\n", (long long)before->round,
		    (long long)after->round);
	html_table_open(b);
	html_printf(b,
		    "<caption>Each rater's ratings within one point of the reference</caption>\n<thead><tr>"
		    "<th scope=\"col\">Rater</th><th scope=\"col\" class=\"num\">Round %lld</th>"
		    "<th scope=\"col\" class=\"num\">Round %lld</th></tr></thead>\n<tbody>\n",
		    (long long)before->round, (long long)after->round);
	for (size_t i = 0; i < after->r.nraters; i++) {
		const calibration_rater_result *now = &after->r.raters[i];
		const calibration_rater_result *was = calibration_round_rater(&before->r, now->rater_id);
		html_printf(b,
			    "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td><td "
			    "class=\"num\">%s</td></tr>\n",
			    after->names[i], was ? percent(rq->a, was->within_one_share) : "—",
			    percent(rq->a, now->within_one_share));
	}
	html_printf(b, "</tbody></table></div>\n");
	html_table_open(b);
	html_printf(b,
		    "<caption>Pairs of raters within one point, per indicator</caption>\n<thead><tr>"
		    "<th scope=\"col\">Indicator</th><th scope=\"col\" class=\"num\">Round %lld</th>"
		    "<th scope=\"col\" class=\"num\">Round %lld</th></tr></thead>\n<tbody>\n",
		    (long long)before->round, (long long)after->round);
	for (size_t k = 0; k < after->r.nindicators; k++)
		html_printf(b,
			    "<tr><th scope=\"row\">%s</th><td class=\"num\">%s</td><td "
			    "class=\"num\">%s</td></tr>\n",
			    after->rubric.indicators[k].code,
			    percent(rq->a, before->r.indicators[k].pairs_within_one),
			    percent(rq->a, after->r.indicators[k].pairs_within_one));
	html_printf(b, "</tbody></table></div>\n");
}

static void round_links(req *rq, buf *b, const calibration *c, int64_t round)
{
	if (c->round < 2) return;
	html_printf(b, "<nav aria-label=\"Rounds\"><p>Round:");
	for (int64_t r = 1; r <= c->round; r++) {
		if (r == round) html_printf(b, " <strong aria-current=\"page\">%lld</strong>", (long long)r);
		else
			html_printf(
				b, " <a href=\"%s\">%lld</a>",
				href(rq->a, c->id, arena_printf(rq->a, "/results?round=%lld", (long long)r)),
				(long long)r);
	}
	html_printf(b, "</p></nav>\n");
}

/* A rater who has not submitted the round: 403, and how to see it. */
static void blind_page(req *rq, resp *rs, const calibration *c, int64_t round)
{
	buf *b = resp_html(rs, 403);
	layout l = page_layout(rq, "Results", "calibration");
	layout_begin(b, &l);
	crumbs(rq, b, c, "Results");
	html_printf(b,
		    "<h1>Results of round %lld</h1>\n<p>Submit your ratings to see the group's: you rate "
		    "blind, so nobody's ratings, the results or the anchors show before yours are in.</p>\n",
		    (long long)round);
	if (round == c->round && !c->closed)
		html_printf(b, "<p><a class=\"button\" href=\"%s\">Rate round %lld</a></p>\n",
			    href(rq->a, c->id, "/rate"), (long long)round);
	layout_end(b);
}

/*
** GET /calibrations/{id}/results?round=N (default: the open round)
** The round's results from submitted ratings only: who submitted; the
** distribution per indicator (SVG with its table); agreement per
** indicator; the rater × indicator heatmap of deviations from the anchor
** (or the median); the agreement statistics; who passes the rule; from
** round 2, the change from the round before.
** Permissions: may(READ, calibration) (else 404); a rater who has not
** submitted round N sees a page saying to submit first (403).
*/
void page_calibration_results(req *rq, resp *rs)
{
	calibration c;
	int64_t round;
	if (!calibration_load(rq, rs, &c) || !calibration_round_param(rq, rs, &c, &round)) return;
	bool sees;
	if (calibration_results_visible(rq, &c, round, &sees, NULL) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!sees) {
		blind_page(rq, rs, &c, round);
		return;
	}
	calibration_results res, before;
	bool change;
	if (calibration_results_with_change(rq, &c, round, &res, &before, &change) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, arena_printf(rq->a, "Results: %s", c.title), "calibration");
	layout_begin(b, &l);
	crumbs(rq, b, &c, "Results");
	html_printf(b, "<h1>Results of round %lld</h1>\n<p>%s · %s · %s</p>\n", (long long)round, c.title,
		    c.rubric_name, c.held_on ? c.held_on : "");
	round_links(rq, b, &c, round);
	html_printf(b, "<p>%zu of %zu raters submitted; drafts never count.</p>\n", res.nsubmitted,
		    c.nraters);
	if (!res.nsubmitted) {
		html_printf(b, "<p>Nobody has submitted this round yet.</p>\n");
		layout_end(b);
		return;
	}
	distribution_chart(rq, b, &res);
	indicator_table(rq, b, &res);
	html_printf(b, "<h2>Deviations</h2>\n");
	heatmap(rq, b, &res);
	pass_table(rq, b, &c, &res);
	stats_table(rq, b, &res, change ? &before : NULL);
	if (change) change_tables(rq, b, &before, &res);
	if (may_steer(rq, &c) && round == c.round)
		html_printf(b, "<p><a href=\"%s\">Back to the session to open round %lld</a></p>\n",
			    href(rq->a, c.id, NULL), (long long)c.round + 1);
	layout_end(b);
}
