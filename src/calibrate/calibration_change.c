/* Creating and editing calibration sessions, their anchors, raters' drafts
 * and submissions, rounds and closing, as pages and API both do it: may()
 * first, then the checks, then one transaction with its audit entry.
 * A rater's draft saves are their own work and are not audited; the rest
 * (a session, its anchors, a submission, a round, the close) is. */
#include <string.h>

#include "../base/log.h"
#include "../base/util.h"
#include "../files/stored_file.h"
#include "../org/org.h"
#include "../schoolyear/schoolyear.h"
#include "../web/app.h"
#include "calibration.h"

static const char VIDEOS[] = "calibration"; /* their folder under data_dir */
static const char NOT_FOUND[] = "There is no such calibration session, or you are not in it.";

enum { MEDIA_MAX_DEFAULT = 200 /* MB */ };

static place place_of(const calibration *c)
{
	place p[1];
	record r = calibration_record(p, c);
	(void)r;
	return p[0];
}

bool may_calibration(const req *rq, action act, const calibration *c)
{
	place p[1];
	record r = calibration_record(p, c);
	return may(rq->actor, act, &r);
}

store_rc calibrations_readable(req *rq, calibration **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_CALIBRATION, &v);
	calibration *list;
	size_t all;
	store_rc rc = calibration_list(rq->db, rq->a, &v, v.member ? actor_id(rq) : 0, &list, &all);
	if (rc != STORE_OK) return rc;
	*n = 0;
	for (size_t i = 0; i < all; i++)
		if (may_calibration(rq, ACT_READ, &list[i])) list[(*n)++] = list[i];
	*out = list;
	return STORE_OK;
}

/*
** The session named by the route's {id}, for every calibration route.
** Permissions: may(READ, calibration): its facilitator and raters, the
** district's leaders and the partner's staff. Anyone else hears 404, as
** for a session that does not exist.
*/
bool calibration_load(req *rq, resp *rs, calibration *c)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found = false;
	if (calibration_get(rq->db, rq->a, id, c, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (found && may_calibration(rq, ACT_READ, c)) return true;
	resp_error(rq, rs, 404, "not_found", NOT_FOUND, NULL);
	return false;
}

store_rc calibration_results_visible(const req *rq, const calibration *c, int64_t round, bool *sees,
				     bool *submitted)
{
	calibration_viewer v = {.may_read = may_calibration(rq, ACT_READ, c),
				.rater = calibration_is_rater(c, actor_id(rq))};
	*sees = false;
	if (submitted) *submitted = false;
	if (v.rater) {
		int64_t *ids;
		size_t n;
		store_rc rc = calibration_submissions_get(rq->db, rq->a, c->id, round, &ids, NULL, &n);
		if (rc != STORE_OK) return rc;
		for (size_t i = 0; i < n; i++) v.submitted |= ids[i] == actor_id(rq);
	}
	if (submitted) *submitted = v.submitted;
	*sees = calibration_may_see_results(&v, round, c->round);
	return STORE_OK;
}

/* ---- the checks of a session ---- */

/* A field of several lines (a transcript, evidence); single-line fields
 * take the one rule of form_error_line. */
static void check_lines(arena *a, const char *field, const char *label, const char *s, size_t max,
			form_errors *e)
{
	switch (text_lines_check(s, max)) {
	case TEXT_LINE_BREAKS:
		form_error_add(e, field, arena_printf(a, "The %s has a control character in it.", label));
		break;
	case TEXT_LINE_LONG:
		form_error_add(e, field,
			       arena_printf(a, "The %s is longer than %zu characters.", label, max));
		break;
	default: break;
	}
}

static void check_details(req *rq, const calibration_input *in, bool creating, form_errors *e)
{
	arena *a = rq->a;
	if (creating || in->title) {
		if (!in->title || !*in->title) form_error_add(e, "title", "Give the session a title.");
		else form_error_line(a, e, "title", "title", in->title, CALIBRATION_TITLE_MAX);
	}
	if (creating || in->held_on) {
		civil_date d;
		const char *why = in->held_on && *in->held_on ? date_problem(a, in->held_on, &d)
							      : "Give the day of the session.";
		if (why) form_error_add(e, "held_on", why);
	}
	if (in->video_url && *in->video_url) {
		if (!str_starts(in->video_url, "https://") && !str_starts(in->video_url, "http://"))
			form_error_add(e, "video_url", "The link must start with https:// or http://.");
		else form_error_line(a, e, "video_url", "link", in->video_url, CALIBRATION_URL_MAX);
	}
	check_lines(a, "transcript", "transcript", in->transcript, CALIBRATION_TRANSCRIPT_MAX, e);
	const char *why = in->pass_distance >= 0 ? calibration_pass_distance_check(in->pass_distance) : NULL;
	if (why) form_error_add(e, "pass_distance", why);
	if (in->pass_share < 0 || in->pass_share > 1)
		form_error_add(e, "pass_share", "The pass share must be more than 0 % and at most 100 %.");
}

/* The raters: unique, each someone who may be invited, never the
 * facilitator (who sets the anchors they are compared with). */
static bool check_raters(req *rq, calibration_input *in, int64_t district, int64_t partner,
			 int64_t facilitator, outcome *out)
{
	int64_t *ids;
	const char **names;
	size_t n;
	if (!change_asked(rq, out,
			  calibration_rater_choices(rq->db, rq->a, district, partner, &ids, &names, &n)))
		return false;
	int64_t *unique = arena_calloc(rq->a, in->nraters + 1, sizeof *unique);
	size_t k = 0;
	for (size_t i = 0; i < in->nraters; i++) {
		bool seen = false;
		for (size_t j = 0; j < k; j++) seen |= unique[j] == in->raters[i];
		if (seen) continue;
		bool offered = false;
		for (size_t j = 0; j < n; j++) offered |= ids[j] == in->raters[i];
		if (in->raters[i] == facilitator) {
			form_error_add(&out->errors, "raters",
				       "The facilitator sets the anchors and is not one of the raters.");
			return true;
		}
		if (!offered) {
			form_error_add(&out->errors, "raters",
				       arena_printf(rq->a,
						    "Person %lld cannot be invited: raters are people of "
						    "the district or of its partners.",
						    (long long)in->raters[i]));
			return true;
		}
		unique[k++] = in->raters[i];
	}
	if (k > CALIBRATION_RATERS_MAX)
		form_error_add(
			&out->errors, "raters",
			arena_printf(rq->a, "A session has at most %d raters.", CALIBRATION_RATERS_MAX));
	in->raters = unique;
	in->nraters = k;
	return true;
}

static uint64_t video_cap(const req *rq)
{
	return rq->app->media_max ? rq->app->media_max : (uint64_t)MEDIA_MAX_DEFAULT << 20;
}

/* The video's type by its content, within its cap; fails o with 413/415. */
static const char *check_video(req *rq, const upload *u, outcome *o)
{
	const char *type = NULL;
	stored_verdict v = stored_file_identify(rq->a, u, &type);
	if (v == STORED_UNREADABLE) {
		outcome_fail(o, 500, "upload_failed", "The upload could not be read.", "video");
		return NULL;
	}
	if (v != STORED_OK || !str_starts(type, "video/")) {
		outcome_fail(o, 415, "unsupported_media_type",
			     "The lesson's video must be a video file (MP4, MOV, WebM); the file's content "
			     "is not one.",
			     "video");
		return NULL;
	}
	uint64_t cap = video_cap(rq);
	if (u->size > cap) {
		outcome_fail(o, 413, "too_large",
			     arena_printf(rq->a, "A video may be at most %llu MB.",
					  (unsigned long long)(cap >> 20)),
			     "video");
		return NULL;
	}
	return type;
}

/* Who runs a session for district: the actor's partner when a partner
 * grant reaches it (a partner's coach or staff runs it for their
 * partner), else the district itself; 0 when the actor may not. */
void calibration_runner(const req *rq, int64_t district, calibration *probe)
{
	const actor *a = rq->actor;
	for (size_t i = 0; i < a->ngrants; i++) {
		int64_t p = a->grants[i].partner_id;
		if (!p) continue;
		*probe = (calibration){.org_id = p, .org_is_partner = true, .district_id = district};
		if (may_calibration(rq, ACT_CREATE, probe)) return;
	}
	*probe = (calibration){.org_id = district, .district_id = district};
	if (may_calibration(rq, ACT_CREATE, probe)) return;
	*probe = (calibration){0};
}

static bool rubric_offered(req *rq, int64_t rubric_id, int64_t district, int64_t partner, int64_t *version,
			   outcome *out)
{
	int64_t orgs[2] = {district, partner};
	rubric_summary *list;
	size_t n;
	*version = 0;
	if (!change_asked(rq, out, rubric_list(rq->db, rq->a, orgs, partner ? 2 : 1, false, &list, &n)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (list[i].id == rubric_id && list[i].active) *version = list[i].current_version_id;
	if (!*version) form_error_add(&out->errors, "rubric_id", "Choose a rubric from the list.");
	return true;
}

/* Keeps the checked video: the file moves while the row is uncommitted;
 * the caller commits. */
typedef struct kept_video {
	const char *file, *type, *name;
	int64_t size;
} kept_video;

static bool video_prepare(req *rq, const upload *u, kept_video *vid, outcome *out)
{
	*vid = (kept_video){0};
	if (!u) return true;
	if (!(vid->type = check_video(rq, u, out))) return false;
	if (!(vid->file = stored_file_random_name(rq->a))) {
		outcome_fail(out, 500, "upload_failed", "The video could not be kept; nothing was saved.",
			     "video");
		return false;
	}
	vid->name = u->filename && *u->filename ? u->filename : "video";
	vid->size = (int64_t)u->size;
	return true;
}

static void commit_with_video(req *rq, store_rc rc, const upload *u, const kept_video *vid, const char *what,
			      int64_t id, int64_t home, outcome *out)
{
	if (rc == STORE_OK && vid->file && !stored_file_keep(rq, u, VIDEOS, vid->file)) {
		store_rollback(rq->db);
		outcome_fail(out, 500, "upload_failed", "The video could not be kept; nothing was saved.",
			     "video");
		return;
	}
	change_commit(rq, rc, REC_CALIBRATION, what, id, home, "", out);
	if (out->status && vid->file) stored_file_remove(rq, VIDEOS, vid->file);
}

void calibration_create(req *rq, calibration_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_act_somewhere(rq, REC_CALIBRATION, ACT_CREATE)) {
		outcome_fail(out, 403, "forbidden",
			     "Only district leaders, coaches and partner staff run calibration sessions.",
			     NULL);
		return;
	}
	check_details(rq, in, true, &out->errors);
	calibration probe = {0};
	org d;
	bool found = false;
	if (in->district_id && !change_asked(rq, out, org_get(rq->db, rq->a, in->district_id, &d, &found)))
		return;
	if (!found || !d.active || !str_eq(d.kind, "district")) {
		form_error_add(&out->errors, "district_id", "Choose the district the session is for.");
	} else {
		calibration_runner(rq, d.id, &probe);
		if (!probe.org_id)
			form_error_add(&out->errors, "district_id",
				       "You may not run a calibration session for this district.");
	}
	int64_t partner = probe.org_is_partner ? probe.org_id : 0, version = 0;
	if (probe.org_id) {
		if (!rubric_offered(rq, in->rubric_id, probe.district_id, partner, &version, out)) return;
		if (!check_raters(rq, in, probe.district_id, partner, actor_id(rq), out)) return;
	}
	if (!in->video && !(in->video_url && *in->video_url) && !(in->transcript && *in->transcript))
		form_error_add(&out->errors, "video_url",
			       "Give the lesson: a video file, a link to it, or its transcript.");
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	kept_video vid;
	if (!video_prepare(rq, in->video, &vid, out)) return;
	if (!change_begin(rq, out)) return;
	int64_t now = now_unix();
	calibration row = {
		.org_id = probe.org_id,
		.district_id = probe.district_id,
		.title = in->title,
		.rubric_version_id = version,
		.facilitator_id = actor_id(rq),
		.held_on = in->held_on,
		.video_file = vid.file,
		.video_type = vid.type,
		.video_name = vid.name,
		.video_size = vid.size,
		.video_url = in->video_url,
		.transcript = in->transcript,
		.pass_share = in->pass_share > 0 ? in->pass_share : CALIBRATION_PASS_SHARE_DEFAULT,
		.pass_distance =
			in->pass_distance >= 0 ? in->pass_distance : CALIBRATION_PASS_DISTANCE_DEFAULT,
		.created_at = now,
	};
	store_rc rc = calibration_add(rq->db, rq->a, &row, &out->id);
	if (rc == STORE_OK) rc = calibration_raters_set(rq->db, rq->a, out->id, in->raters, in->nraters, now);
	place p = place_of(&probe);
	commit_with_video(rq, rc, in->video, &vid, "calibration.create", out->id, change_home(&p), out);
}

/* Raters with ratings stay: their work would otherwise go with them. */
static bool raters_kept(req *rq, const calibration *c, const calibration_input *in, outcome *out)
{
	int64_t *rated;
	size_t n;
	if (!change_asked(rq, out, calibration_raters_who_rated(rq->db, rq->a, c->id, &rated, &n)))
		return false;
	for (size_t i = 0; i < n; i++) {
		int64_t rater = rated[i];
		bool kept = false;
		for (size_t j = 0; j < in->nraters; j++) kept |= in->raters[j] == rater;
		if (!kept) {
			const calibration_rater *cr = calibration_rater_of(c, rater);
			outcome_fail(out, 409, "rater_has_ratings",
				     arena_printf(rq->a,
						  "%s has rated in this session and stays one of its raters.",
						  cr && cr->name ? cr->name : "A rater"),
				     "raters");
			return false;
		}
	}
	return true;
}

void calibration_update(req *rq, const calibration *c, calibration_input *in, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_calibration(rq, ACT_UPDATE, c)) {
		outcome_fail(out, 403, "forbidden",
			     "Only the facilitator and the district's leaders edit the session.", NULL);
		return;
	}
	/* The rater list's refusals name who has rated: not for a rater's eyes. */
	if (calibration_is_rater(c, actor_id(rq))) {
		outcome_fail(out, 403, "rater", "A rater does not edit the session they rate in.", NULL);
		return;
	}
	if (c->closed) {
		outcome_fail(out, 409, "closed", "The session is closed.", NULL);
		return;
	}
	check_details(rq, in, false, &out->errors);
	if (in->raters_given &&
	    !check_raters(rq, in, c->district_id, c->org_is_partner ? c->org_id : 0, c->facilitator_id, out))
		return;
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (in->raters_given && !raters_kept(rq, c, in, out)) return;
	kept_video vid;
	if (!video_prepare(rq, in->video, &vid, out)) return;
	if (!change_begin(rq, out)) return;
	int64_t now = now_unix();
	calibration row = *c;
	if (in->title) row.title = in->title;
	if (in->held_on) row.held_on = in->held_on;
	if (in->video_url) row.video_url = in->video_url;
	if (in->transcript) row.transcript = in->transcript;
	if (in->pass_share > 0) row.pass_share = in->pass_share;
	if (in->pass_distance >= 0) row.pass_distance = in->pass_distance;
	store_rc rc = calibration_details_set(rq->db, rq->a, &row, now);
	if (rc == STORE_OK && vid.file)
		rc = calibration_video_set(rq->db, rq->a, c->id, vid.file, vid.type, vid.name, vid.size);
	if (rc == STORE_OK && in->raters_given)
		rc = calibration_raters_set(rq->db, rq->a, c->id, in->raters, in->nraters, now);
	place p = place_of(c);
	commit_with_video(rq, rc, in->video, &vid, "calibration.update", c->id, change_home(&p), out);
	if (!out->status && vid.file && c->video_file) stored_file_remove(rq, VIDEOS, c->video_file);
}

/* Each value names an indicator of the rubric and lies on its scale;
 * errors name the code. */
static void check_values(req *rq, const rubric_version *v, const calibration_value *vals, size_t n,
			 const char *field, form_errors *e)
{
	for (size_t i = 0; i < n; i++) {
		const char *code = vals[i].code ? vals[i].code : "";
		if (!rubric_indicator_by_code(v, code)) {
			form_error_add(e, field,
				       arena_printf(rq->a, "%s is not an indicator of %s.", code, v->name));
			return;
		}
		if (vals[i].has_value && !rubric_value_valid(v, vals[i].value)) {
			form_error_add(e, field,
				       arena_printf(rq->a, "%s: %lld is off the scale %lld to %lld.", code,
						    (long long)vals[i].value, (long long)v->scale_min,
						    (long long)v->scale_max));
			return;
		}
		check_lines(rq->a, field, "evidence", vals[i].evidence, CALIBRATION_EVIDENCE_MAX, e);
		if (e->n) return;
	}
}

/* The values of a list (anchors, ratings) checked; false with 400. */
static bool values_checked(req *rq, const rubric_version *v, const calibration_value *vals, size_t n,
			   outcome *out)
{
	check_values(rq, v, vals, n, "ratings", &out->errors);
	if (!out->errors.n) return true;
	outcome_invalid(out);
	return false;
}

void calibration_anchors_set(req *rq, const calibration *c, const rubric_version *v,
			     const calibration_value *vals, size_t n, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_calibration(rq, ACT_UPDATE, c)) {
		outcome_fail(out, 403, "forbidden",
			     "Only the facilitator and the district's leaders set the anchors.", NULL);
		return;
	}
	/* A rater who saw the anchors would no longer rate blind. */
	if (calibration_is_rater(c, actor_id(rq))) {
		outcome_fail(out, 403, "rater", "A rater does not set the anchors they are compared with.",
			     NULL);
		return;
	}
	if (c->closed) {
		outcome_fail(out, 409, "closed", "The session is closed.", NULL);
		return;
	}
	/* Results already given, and rounds after them, are read against the
	 * anchors as they were: once anyone has submitted, they stay. */
	if (calibration_any_submitted(c)) {
		outcome_fail(
			out, 409, "anchors-fixed",
			"The anchors are fixed once a rater has submitted: results already seen keep them.",
			NULL);
		return;
	}
	if (!values_checked(rq, v, vals, n, out)) return;
	if (!change_begin(rq, out)) return;
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		const rubric_indicator *ind = rubric_indicator_by_code(v, vals[i].code);
		rc = calibration_anchor_set(rq->db, rq->a, c->id, ind->id, vals[i].has_value, vals[i].value);
	}
	place p = place_of(c);
	change_commit(rq, rc, REC_CALIBRATION, "calibration.anchors", c->id, change_home(&p), "", out);
}

/* May the asker rate now? A rater of an open session who has not
 * submitted the open round. */
static bool may_rate(req *rq, const calibration *c, outcome *out)
{
	place p[1];
	record r = calibration_rating_record(p, c, actor_id(rq));
	if (!may(rq->actor, ACT_CREATE, &r)) {
		outcome_fail(out, 403, "not_a_rater", "Only the session's invited raters rate.", NULL);
		return false;
	}
	if (c->closed) {
		outcome_fail(out, 409, "closed", "The session is closed; ratings are final.", NULL);
		return false;
	}
	const calibration_rater *cr = calibration_rater_of(c, actor_id(rq));
	if (cr && cr->submitted_at) {
		outcome_fail(out, 409, "submitted",
			     arena_printf(rq->a, "You submitted your ratings of round %lld; they are final.",
					  (long long)c->round),
			     NULL);
		return false;
	}
	return true;
}

void calibration_ratings_save(req *rq, const calibration *c, const rubric_version *v,
			      const calibration_value *vals, size_t n, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_rate(rq, c, out)) return;
	if (!values_checked(rq, v, vals, n, out)) return;
	if (!change_begin(rq, out)) return;
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		const rubric_indicator *ind = rubric_indicator_by_code(v, vals[i].code);
		calibration_rating r = {actor_id(rq), ind->id, vals[i].value, vals[i].evidence};
		rc = calibration_rating_set(rq->db, rq->a, c->id, c->round, &r, vals[i].has_value);
	}
	if (rc != STORE_OK || store_commit(rq->db) != STORE_OK) outcome_store_failed(rq, out, true);
}

void calibration_submit(req *rq, const calibration *c, const rubric_version *v, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_rate(rq, c, out)) return;
	calibration_rating *mine;
	size_t n;
	if (!change_asked(rq, out, calibration_ratings_get(rq->db, rq->a, c->id, c->round, &mine, &n)))
		return;
	for (size_t k = 0; k < v->nindicators; k++) {
		bool rated = false;
		for (size_t i = 0; i < n; i++)
			rated |= mine[i].rater_id == actor_id(rq) &&
				mine[i].indicator_id == v->indicators[k].id;
		if (!rated) {
			form_error_add(&out->errors, "ratings",
				       arena_printf(rq->a,
						    "%s has no rating yet: rate every indicator before "
						    "submitting.",
						    v->indicators[k].code));
			outcome_invalid(out);
			return;
		}
	}
	if (!change_begin(rq, out)) return;
	store_rc rc = calibration_submission_add(rq->db, rq->a, c->id, c->round, actor_id(rq), now_unix());
	if (rc == STORE_CONSTRAINT) {
		store_rollback(rq->db);
		outcome_fail(out, 409, "submitted", "Your ratings of this round are already submitted.",
			     NULL);
		return;
	}
	place p = place_of(c);
	change_commit(rq, rc, REC_CALIBRATION, "calibration.submit", c->id, change_home(&p),
		      arena_printf(rq->a, "round %lld", (long long)c->round), out);
}

static bool may_steer(req *rq, const calibration *c, outcome *out)
{
	if (!may_calibration(rq, ACT_UPDATE, c) || calibration_is_rater(c, actor_id(rq))) {
		outcome_fail(out, 403, "forbidden",
			     "Only the facilitator and the district's leaders steer the session.", NULL);
		return false;
	}
	if (c->closed) {
		outcome_fail(out, 409, "closed", "The session is closed.", NULL);
		return false;
	}
	return true;
}

void calibration_round_open(req *rq, const calibration *c, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_steer(rq, c, out)) return;
	size_t submitted = 0;
	for (size_t i = 0; i < c->nraters; i++) submitted += c->raters[i].submitted_at != 0;
	if (!submitted) {
		outcome_fail(out, 409, "nothing_submitted",
			     "Nobody has submitted this round yet: a new round follows a discussion of its "
			     "results.",
			     NULL);
		return;
	}
	if (c->round >= CALIBRATION_ROUNDS_MAX) {
		outcome_fail(out, 409, "too_many_rounds",
			     arena_printf(rq->a, "A session has at most %d rounds.", CALIBRATION_ROUNDS_MAX),
			     NULL);
		return;
	}
	if (!change_begin(rq, out)) return;
	/* Guarded by the round read, so two facilitators clicking at once open one round. */
	bool advanced = false;
	store_rc rc = calibration_round_advance(rq->db, rq->a, c->id, c->round, now_unix(), &advanced);
	if (rc == STORE_OK && !advanced) {
		store_rollback(rq->db);
		outcome_fail(out, 409, "conflict", "Another round was opened meanwhile.", NULL);
		return;
	}
	place p = place_of(c);
	change_commit(rq, rc, REC_CALIBRATION, "calibration.round", c->id, change_home(&p),
		      arena_printf(rq->a, "round %lld", (long long)c->round + 1), out);
}

void calibration_close(req *rq, const calibration *c, outcome *out)
{
	*out = (outcome){.id = c->id};
	if (!may_steer(rq, c, out)) return;
	if (!change_begin(rq, out)) return;
	store_rc rc = calibration_closed_set(rq->db, rq->a, c->id, now_unix());
	place p = place_of(c);
	change_commit(rq, rc, REC_CALIBRATION, "calibration.close", c->id, change_home(&p), "", out);
}

void calibration_video_send(req *rq, resp *rs, const calibration *c)
{
	if (!c->video_file || !stored_file_name_valid(c->video_file)) {
		resp_error(rq, rs, 404, "not_found", "This session has no video file.", NULL);
		return;
	}
	stored_file_send(rq, rs, VIDEOS, c->video_file, c->video_type,
			 stored_file_download_name(rq->a, c->video_name, "lesson", c->video_type));
}
