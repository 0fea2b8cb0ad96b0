/* The calibration JSON API, the twin of calibration_pages.c: the same
 * policy, the same blind rule, the same changes (calibration_change.c),
 * JSON in and out. A rater who has not submitted a round gets nothing of
 * anyone else's for it: no ratings, no results, no anchors, not even who
 * has submitted. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "../base/util.h"
#include "../observe/rubric_web.h"
#include "../web/app.h"
#include "calibration.h"

enum { VALUES_MAX = 80 };

static const char BLIND[] = "Submit your ratings to see the group's.";

static json_t *num_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *summary_json(req *rq, const calibration *c)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "title", json_string(c->title ? c->title : ""));
	json_object_set_new(j, "held_on", json_text_or_null(c->held_on));
	json_object_set_new(j, "org",
			    json_pack("{s:I, s:s, s:s}", "id", (json_int_t)c->org_id, "name",
				      c->org_name ? c->org_name : "", "kind",
				      c->org_is_partner ? "partner" : "district"));
	json_object_set_new(j, "district", json_named(c->district_id, c->district_name));
	json_object_set_new(j, "rubric",
			    json_pack("{s:I, s:I, s:s}", "id", (json_int_t)c->rubric_id, "version_id",
				      (json_int_t)c->rubric_version_id, "name",
				      c->rubric_name ? c->rubric_name : ""));
	json_object_set_new(j, "facilitator", json_named(c->facilitator_id, c->facilitator_name));
	json_object_set_new(j, "round", json_integer(c->round));
	json_object_set_new(j, "state", json_string(c->closed ? "closed" : "open"));
	json_object_set_new(j, "rater", json_boolean(calibration_is_rater(c, actor_id(rq))));
	json_object_set_new(j, "href",
			    json_string(arena_printf(rq->a, "/calibrations/%lld", (long long)c->id)));
	return j;
}

static json_t *own_ratings_json(req *rq, const calibration *c, const rubric_version *v, int64_t round)
{
	calibration_rating *list;
	size_t n;
	json_t *arr = json_array();
	if (calibration_ratings_get(rq->db, rq->a, c->id, round, &list, &n) != STORE_OK) return arr;
	for (size_t i = 0; i < n; i++) {
		if (!calibration_may_see_draft(actor_id(rq), list[i].rater_id)) continue;
		const rubric_indicator *ind = rubric_indicator_by_id(v, list[i].indicator_id);
		if (!ind) continue;
		json_array_append_new(arr,
				      json_pack("{s:s, s:I, s:o}", "code", ind->code, "value",
						(json_int_t)list[i].value, "evidence",
						json_text_or_null(list[i].evidence)));
	}
	return arr;
}

/* The whole session as the asker may see it. */
static void answer_session(req *rq, resp *rs, int status, const calibration *c)
{
	rubric_version v;
	if (!rubric_version_pinned(rq, rs, c->rubric_version_id, &v)) return;
	bool submitted, sees;
	if (calibration_results_visible(rq, c, c->round, &sees, &submitted) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	bool rater = calibration_is_rater(c, actor_id(rq));
	json_t *j = summary_json(rq, c);
	json_t *inds = json_array();
	for (size_t i = 0; i < v.nindicators; i++)
		json_array_append_new(inds,
				      json_pack("{s:s, s:s}", "code", v.indicators[i].code, "name",
						v.indicators[i].name ? v.indicators[i].name : ""));
	json_object_set_new(j, "scale",
			    json_pack("[I, I]", (json_int_t)v.scale_min, (json_int_t)v.scale_max));
	json_object_set_new(j, "indicators", inds);
	json_object_set_new(
		j, "video",
		c->video_file ? json_string(arena_printf(rq->a, "/calibrations/%lld/video", (long long)c->id))
			      : json_null());
	json_object_set_new(j, "video_url", json_text_or_null(c->video_url));
	json_object_set_new(j, "transcript", json_text_or_null(c->transcript));
	json_object_set_new(j, "pass_rule",
			    json_pack("{s:f, s:I}", "share", c->pass_share * 100.0, "distance",
				      (json_int_t)c->pass_distance));
	json_t *raters = json_array();
	for (size_t i = 0; i < c->nraters; i++) {
		json_t *r = json_named(c->raters[i].person_id, c->raters[i].name);
		/* Who has submitted is the group's business once one is in it. */
		if (sees) json_object_set_new(r, "submitted", json_boolean(c->raters[i].submitted_at != 0));
		json_array_append_new(raters, r);
	}
	json_object_set_new(j, "raters", raters);
	/* Anchors: to those who see results, and to those who steer it. */
	bool anchors = sees || (!rater && may_calibration(rq, ACT_UPDATE, c));
	if (anchors) {
		json_t *an = json_object();
		for (size_t i = 0; i < c->nanchors; i++) {
			const rubric_indicator *ind = rubric_indicator_by_id(&v, c->anchors[i].indicator_id);
			if (ind) json_object_set_new(an, ind->code, json_integer(c->anchors[i].value));
		}
		json_object_set_new(j, "anchors", an);
	}
	if (rater) {
		json_object_set_new(j, "submitted", json_boolean(submitted));
		json_object_set_new(j, "my_ratings", own_ratings_json(rq, c, &v, c->round));
	}
	json_object_set_new(j, "results_visible", json_boolean(sees));
	resp_json(rs, status, j);
}

static void answer_changed(req *rq, resp *rs, int status, int64_t id)
{
	calibration c;
	bool found = false;
	if (calibration_get(rq->db, rq->a, id, &c, &found) != STORE_OK || !found) {
		resp_store_failed(rq, rs);
		return;
	}
	answer_session(rq, rs, status, &c);
}

/* ---- JSON in ---- */

static void pass_rule_in(arena *a, json_t *o, calibration_input *in, form_errors *e)
{
	json_t *share = json_object_get(o, "pass_share"), *dist = json_object_get(o, "pass_distance");
	if (share) {
		double v = json_is_number(share) ? json_number_value(share) : -1;
		if (!json_is_number(share) || !(v > 0 && v <= 100))
			form_error_add(e, "pass_share",
				       "pass_share must be a percentage more than 0 and at most 100.");
		else in->pass_share = v / 100.0;
	}
	if (dist) {
		const char *why = json_is_integer(dist)
			? calibration_pass_distance_check(json_integer_value(dist))
			: "pass_distance must be a whole number of points.";
		if (why) form_error_add(e, "pass_distance", why);
		else in->pass_distance = json_integer_value(dist);
	}
	(void)a;
}

static bool session_in(req *rq, resp *rs, calibration_input *in, bool creating, outcome *o)
{
	json_t *body = json_body_object(rq, rs);
	if (!body) return false;
	static const char *const known[] = {"title",         "held_on",    "district_id", "rubric_id",
					    "video_url",     "transcript", "raters",      "pass_share",
					    "pass_distance", NULL};
	form_errors *e = &o->errors;
	*in = (calibration_input){.pass_distance = -1};
	json_known_members(rq->a, body, known, e);
	json_member_text(rq->a, body, "title", &in->title, e);
	json_member_text(rq->a, body, "held_on", &in->held_on, e);
	json_member_text(rq->a, body, "video_url", &in->video_url, e);
	json_member_text(rq->a, body, "transcript", &in->transcript, e);
	if (creating) {
		json_member_id(body, "district_id", &in->district_id, e);
		json_member_id(body, "rubric_id", &in->rubric_id, e);
	} else if (json_object_get(body, "district_id") || json_object_get(body, "rubric_id")) {
		form_error_add(e, json_object_get(body, "district_id") ? "district_id" : "rubric_id",
			       "The district and the rubric of a session stay as they were made.");
	}
	in->raters_given = json_object_get(body, "raters") != NULL;
	json_member_ids(rq->a, body, "raters", CALIBRATION_RATERS_MAX * 2, &in->raters, &in->nraters, e);
	pass_rule_in(rq->a, body, in, e);
	json_decref(body);
	if (e->n) outcome_invalid(o);
	return true;
}

/* {"ratings":[{code, value, evidence?}]}: value a whole number, or null to
 * clear it. */
static bool values_in(req *rq, resp *rs, bool evidence_ok, calibration_value **out, size_t *n, outcome *o)
{
	json_t *body = json_body_object(rq, rs);
	if (!body) return false;
	static const char *const known[] = {"ratings", NULL};
	form_errors *e = &o->errors;
	json_known_members(rq->a, body, known, e);
	json_t *arr = json_object_get(body, "ratings");
	*n = 0;
	*out = NULL;
	if (!json_is_array(arr) || json_array_size(arr) > VALUES_MAX) {
		form_error_add(e, "ratings", "ratings must be a list of {code, value} objects.");
	} else {
		*out = arena_calloc(rq->a, json_array_size(arr) + 1, sizeof **out);
		size_t i;
		json_t *x;
		json_array_foreach(arr, i, x)
		{
			json_t *code = json_object_get(x, "code"), *value = json_object_get(x, "value"),
			       *ev = json_object_get(x, "evidence");
			const char *where = arena_printf(rq->a, "ratings[%zu]", i);
			size_t members = json_is_object(x) ? json_object_size(x) : 0;
			size_t expected = 1 + (value != NULL) + (ev != NULL);
			if (!json_is_object(x) || !json_is_string(code) || members != expected ||
			    (ev && !evidence_ok)) {
				form_error_add(e, "ratings",
					       arena_printf(rq->a, "%s must be {code, value%s}.", where,
							    evidence_ok ? ", evidence" : ""));
				break;
			}
			calibration_value *cv = &(*out)[(*n)++];
			cv->code = arena_strdup(rq->a, json_string_value(code));
			if (value && json_is_integer(value)) {
				cv->has_value = true;
				cv->value = json_integer_value(value);
			} else if (value && !json_is_null(value)) {
				form_error_add(e, "ratings",
					       arena_printf(rq->a,
							    "%s: the value of %s must be a whole number.",
							    where, cv->code));
				break;
			}
			if (ev && json_is_string(ev)) cv->evidence = text_trim(rq->a, json_string_value(ev));
			else if (ev && !json_is_null(ev)) {
				form_error_add(e, "ratings",
					       arena_printf(rq->a, "%s: evidence must be text.", where));
				break;
			}
		}
	}
	json_decref(body);
	if (e->n) outcome_invalid(o);
	return true;
}

/* ---- handlers ---- */

/* A change that writes a list of values (anchors, a rater's draft). */
typedef void values_change(req *rq, const calibration *c, const rubric_version *v,
			   const calibration_value *vals, size_t n, outcome *out);

/* PUT of {"ratings":[...]} to the session of {id}: read, change, answer. */
static void values_answer(req *rq, resp *rs, bool evidence_ok, values_change *change)
{
	calibration c;
	rubric_version v;
	if (!calibration_load(rq, rs, &c) || !rubric_version_pinned(rq, rs, c.rubric_version_id, &v)) return;
	calibration_value *vals;
	size_t n;
	outcome o = {0};
	if (!values_in(rq, rs, evidence_ok, &vals, &n, &o)) return;
	if (!o.status) change(rq, &c, &v, vals, n, &o);
	if (outcome_answered(rq, rs, &o)) return;
	answer_changed(rq, rs, 200, c.id);
}

/*
** GET /api/calibrations
** The sessions the asker may read, newest first: title, day, org, rubric,
** round, state, whether they rate in it.
** Permissions: signed in; each session through may(READ, calibration).
*/
void api_calibrations(req *rq, resp *rs)
{
	calibration *list;
	size_t n;
	if (calibrations_readable(rq, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, summary_json(rq, &list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "calibrations", arr));
}

/*
** POST /api/calibrations {title, held_on, district_id, rubric_id,
** video_url?, transcript?, raters:[person ids], pass_share? (percent,
** default 80), pass_distance? (default 1)}
** 201 with the session; 400 naming the field. The video file is given
** through the page's form (POST /calibrations, multipart).
** Permissions: may(CREATE, calibration) for the district (leaders,
** coaches, partner staff); the asker becomes its facilitator.
*/
void api_calibration_create(req *rq, resp *rs)
{
	calibration_input in;
	outcome o = {0};
	if (!session_in(rq, rs, &in, true, &o)) return;
	if (!o.status) calibration_create(rq, &in, &o);
	if (outcome_answered(rq, rs, &o)) return;
	answer_changed(rq, rs, 201, o.id);
}

/*
** GET /api/calibrations/{id}
** The session: details, rubric indicators and scale, lesson, pass rule,
** raters; who submitted and the anchors only to those the blind rule lets
** see them; a rater's own ratings of the open round.
** Permissions: may(READ, calibration), else 404.
*/
void api_calibration(req *rq, resp *rs)
{
	calibration c;
	if (!calibration_load(rq, rs, &c)) return;
	answer_session(rq, rs, 200, &c);
}

/*
** PATCH-like edit through the page only; the API sets anchors:
** PUT /api/calibrations/{id}/anchors {ratings:[{code, value}]}
** value null clears an indicator's anchor. 400 naming an unknown code or
** a value off the scale.
** Permissions: may(UPDATE, calibration) and not a rater of it.
*/
void api_calibration_anchors(req *rq, resp *rs)
{
	values_answer(rq, rs, false, calibration_anchors_set);
}

/*
** PUT /api/calibrations/{id}/ratings {ratings:[{code, value, evidence?}]}
** Saves the asker's draft of the open round (value null clears one).
** 400 for an unknown code or a value off the scale; 409 after submitting
** or in a closed session.
** Permissions: a rater of the session (may(CREATE, calibration_rating));
** 403 for others who may read it, 404 for those who may not.
*/
void api_calibration_ratings(req *rq, resp *rs)
{
	values_answer(rq, rs, true, calibration_ratings_save);
}

/*
** POST /api/calibrations/{id}/submit
** Submits the asker's ratings of the open round; they are final. 400
** naming the first indicator without a rating; 409 when already in.
** Permissions: a rater of the session.
*/
void api_calibration_submit(req *rq, resp *rs)
{
	calibration c;
	rubric_version v;
	if (!calibration_load(rq, rs, &c) || !rubric_version_pinned(rq, rs, c.rubric_version_id, &v)) return;
	outcome o = {0};
	calibration_submit(rq, &c, &v, &o);
	if (outcome_answered(rq, rs, &o)) return;
	answer_changed(rq, rs, 200, c.id);
}

/*
** POST /api/calibrations/{id}/rounds
** Opens the next round: raters rate again, blind again. 409 when nobody
** submitted the open round, or the session is closed.
** Permissions: may(UPDATE, calibration) and not a rater of it.
*/
void api_calibration_round(req *rq, resp *rs)
{
	calibration c;
	if (!calibration_load(rq, rs, &c)) return;
	outcome o = {0};
	calibration_round_open(rq, &c, &o);
	if (outcome_answered(rq, rs, &o)) return;
	answer_changed(rq, rs, 200, c.id);
}

/* ---- results ---- */

/* The round asked for (?round=N, default the open one); false with 400. */
bool calibration_round_param(req *rq, resp *rs, const calibration *c, int64_t *round)
{
	const char *q = req_query(rq, "round");
	*round = c->round;
	if (!q || !*q) return true;
	if (parse_i64(q, 1, c->round, round)) return true;
	resp_error(
		rq, rs, 400, "bad_round",
		arena_printf(rq->a, "round must be a round of this session, 1 to %lld", (long long)c->round),
		"round");
	return false;
}

static json_t *indicator_json(arena *a, const rubric_version *v, const calibration_indicator_result *ir)
{
	const rubric_indicator *ind = rubric_indicator_by_id(v, ir->indicator_id);
	json_t *dist = json_object();
	for (int64_t p = v->scale_min; p <= v->scale_max; p++)
		json_object_set_new(dist, arena_printf(a, "%lld", (long long)p),
				    json_integer((json_int_t)ir->counts[p - v->scale_min]));
	json_t *j = json_object();
	json_object_set_new(j, "code", json_string(ind ? ind->code : ""));
	json_object_set_new(j, "name", json_string(ind && ind->name ? ind->name : ""));
	json_object_set_new(j, "ratings", json_integer((json_int_t)ir->n));
	json_object_set_new(j, "distribution", dist);
	json_object_set_new(j, "anchor", ir->has_anchor ? json_integer(ir->anchor) : json_null());
	json_object_set_new(j, "median", num_or_null(ir->median));
	json_object_set_new(j, "reference", ir->has_reference ? json_real(ir->reference) : json_null());
	json_object_set_new(j, "pairs_exact", num_or_null(ir->pairs_exact));
	json_object_set_new(j, "pairs_within_one", num_or_null(ir->pairs_within_one));
	return j;
}

static json_t *rater_json(const calibration_results *res, size_t i)
{
	const calibration_rater_result *rr = &res->r.raters[i];
	const rubric_version *v = &res->rubric;
	json_t *ratings = json_object(), *devs = json_object();
	for (size_t k = 0; k < v->nindicators; k++) {
		const char *code = v->indicators[k].code;
		for (size_t x = 0; x < res->nratings; x++)
			if (res->ratings[x].rater_id == rr->rater_id &&
			    res->ratings[x].indicator_id == v->indicators[k].id)
				json_object_set_new(ratings, code, json_integer(res->ratings[x].value));
		json_object_set_new(devs, code, num_or_null(rr->deviations[k]));
	}
	json_t *j = json_named(rr->rater_id, res->names[i]);
	json_object_set_new(j, "ratings", ratings);
	json_object_set_new(j, "deviations", devs);
	json_object_set_new(j, "compared", json_integer((json_int_t)rr->compared));
	json_object_set_new(j, "exact", json_real(rr->exact_share));
	json_object_set_new(j, "within_one", json_real(rr->within_one_share));
	json_object_set_new(j, "within_rule", json_real(rr->rule_share));
	json_object_set_new(j, "mean_deviation", json_real(rr->mean_deviation));
	json_object_set_new(j, "passes", json_boolean(rr->passes));
	return j;
}

static json_t *agreement_of(arena *a, const calibration_results *res)
{
	const char *text = calibration_agreement_json(a, res);
	return text ? json_loads(text, 0, NULL) : json_null();
}

static json_t *change_json(arena *a, const calibration_results *before, const calibration_results *after)
{
	json_t *raters = json_array(), *inds = json_array();
	for (size_t i = 0; i < after->r.nraters; i++) {
		const calibration_rater_result *now = &after->r.raters[i];
		const calibration_rater_result *was = calibration_round_rater(&before->r, now->rater_id);
		json_t *j = json_named(now->rater_id, after->names[i]);
		json_object_set_new(j, "within_one_before",
				    was ? json_real(was->within_one_share) : json_null());
		json_object_set_new(j, "within_one_after", json_real(now->within_one_share));
		json_object_set_new(j, "exact_before", was ? json_real(was->exact_share) : json_null());
		json_object_set_new(j, "exact_after", json_real(now->exact_share));
		json_array_append_new(raters, j);
	}
	for (size_t k = 0; k < after->r.nindicators; k++)
		json_array_append_new(
			inds,
			json_pack("{s:s, s:o, s:o, s:o, s:o}", "code", after->rubric.indicators[k].code,
				  "pairs_within_one_before",
				  num_or_null(before->r.indicators[k].pairs_within_one),
				  "pairs_within_one_after",
				  num_or_null(after->r.indicators[k].pairs_within_one), "pairs_exact_before",
				  num_or_null(before->r.indicators[k].pairs_exact), "pairs_exact_after",
				  num_or_null(after->r.indicators[k].pairs_exact)));
	return json_pack("{s:I, s:I, s:o, s:o, s:o}", "from", (json_int_t)before->round, "to",
			 (json_int_t)after->round, "raters", raters, "indicators", inds, "agreement_before",
			 agreement_of(a, before));
}

/*
** GET /api/calibrations/{id}/results?round=N (default: the open round)
** The round's results from submitted ratings only: per indicator the
** distribution, anchor, median and pairwise agreement; per rater the
** ratings, deviations from the reference (anchor, else median), shares
** and pass; "agreement": the agreement module's JSON; "change": round N-1
** against N when N > 1 and the asker may see both.
** Permissions: may(READ, calibration) (else 404); a rater who has not
** submitted round N gets 403 "Submit your ratings to see the group's."
*/
void api_calibration_results(req *rq, resp *rs)
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
		resp_error(rq, rs, 403, "blind", BLIND, NULL);
		return;
	}
	calibration_results res, before;
	bool change;
	if (calibration_results_with_change(rq, &c, round, &res, &before, &change) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *j = json_object(), *subs = json_array(), *inds = json_array(), *raters = json_array();
	json_object_set_new(j, "calibration_id", json_integer(c.id));
	json_object_set_new(j, "round", json_integer(round));
	json_object_set_new(j, "rounds", json_integer(c.round));
	json_object_set_new(
		j, "scale",
		json_pack("[I, I]", (json_int_t)res.rubric.scale_min, (json_int_t)res.rubric.scale_max));
	json_object_set_new(j, "pass_rule",
			    json_pack("{s:f, s:I, s:s}", "share", c.pass_share * 100.0, "distance",
				      (json_int_t)c.pass_distance, "reference",
				      res.r.anchored ? "anchor" : "median"));
	for (size_t i = 0; i < res.nsubmitted; i++)
		json_array_append_new(subs, json_named(res.submitted[i], res.names[i]));
	for (size_t k = 0; k < res.r.nindicators; k++)
		json_array_append_new(inds, indicator_json(rq->a, &res.rubric, &res.r.indicators[k]));
	for (size_t i = 0; i < res.r.nraters; i++) json_array_append_new(raters, rater_json(&res, i));
	json_object_set_new(j, "submitted", subs);
	json_object_set_new(j, "indicators", inds);
	json_object_set_new(j, "raters", raters);
	json_object_set_new(j, "agreement", agreement_of(rq->a, &res));
	json_object_set_new(j, "agreement_missing", json_text_or_null(res.agreement_missing));
	json_object_set_new(j, "change", change ? change_json(rq->a, &before, &res) : json_null());
	resp_json(rs, 200, j);
}

/*
** GET /api/observers/{id}/calibration
** Person {id}'s calibration history: per session and round they submitted,
** the day, rubric, exact and within-one shares against the anchor (or the
** median), the mean signed deviation and whether they passed; oldest first.
** Permissions: the observer themself; others see the rows of sessions
** they may read and whose round the blind rule shows them; with no row
** to show, 404.
*/
void api_observer_calibration(req *rq, resp *rs)
{
	int64_t person;
	calibration_history_row *rows;
	size_t n;
	if (!observer_history_load(rq, rs, &person, &rows, &n)) return;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const calibration_history_row *h = &rows[i];
		json_t *j = json_object();
		json_object_set_new(j, "calibration_id", json_integer(h->calibration_id));
		json_object_set_new(j, "round", json_integer(h->round));
		json_object_set_new(j, "title", json_text_or_null(h->title));
		json_object_set_new(j, "held_on", json_text_or_null(h->held_on));
		json_object_set_new(j, "rubric", json_text_or_null(h->rubric_name));
		json_object_set_new(j, "reference", json_string(h->anchored ? "anchor" : "median"));
		json_object_set_new(j, "compared", json_integer((json_int_t)h->compared));
		json_object_set_new(j, "exact", json_real(h->exact_share));
		json_object_set_new(j, "within_one", json_real(h->within_one_share));
		json_object_set_new(j, "mean_deviation", json_real(h->mean_deviation));
		json_object_set_new(j, "passes", json_boolean(h->passes));
		json_array_append_new(arr, j);
	}
	resp_json(rs, 200, json_pack("{s:I, s:o}", "person_id", (json_int_t)person, "rounds", arr));
}
