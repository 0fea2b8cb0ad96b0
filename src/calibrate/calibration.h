/* Calibration sessions (a district recalibrates its observers whenever new
 * staff join): several observers rate the same lesson (a video, a link or a
 * transcript) with the same rubric, blind, in rounds; the results show how
 * far they agree with each other and with the anchor ("master") ratings,
 * who passes the session's rule, and what changed after the discussion.
 * Each observer's history across sessions shows drift over time.
 *
 * Rules in calibration.c (pure: the blind rule, the pass rule, deviations
 * from the anchor or the median, the change between rounds); storage in
 * calibration_store.c; checked changes in calibration_change.c; the
 * results (through src/agreement) in calibration_results.c; pages in
 * calibration_pages.c and observer_pages.c; the API in calibration_api.c. */
#ifndef COACHD_CALIBRATION_H
#define COACHD_CALIBRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../agreement/agreement.h"
#include "../base/arena.h"
#include "../http/http.h"
#include "../observe/rubric.h"
#include "../store/store.h"
#include "../web/change.h"

enum {
	CALIBRATION_TITLE_MAX = 200, /* characters of a title */
	CALIBRATION_TRANSCRIPT_MAX = 100000,
	CALIBRATION_EVIDENCE_MAX = 2000, /* characters of one rating's evidence */
	CALIBRATION_URL_MAX = 2000,
	CALIBRATION_RATERS_MAX = 60,
	CALIBRATION_ROUNDS_MAX = 9
};

/* The pass rule by default: 80 % of a rater's ratings within one point of
 * the anchor (the CLASS convention). */
#define CALIBRATION_PASS_SHARE_DEFAULT 0.8
#define CALIBRATION_PASS_DISTANCE_DEFAULT 1

typedef struct calibration_rater {
	int64_t person_id;
	const char *name;
	int64_t submitted_at; /* of the session's current round; 0: not yet */
} calibration_rater;

typedef struct calibration_anchor {
	int64_t indicator_id;
	int64_t value;
} calibration_anchor;

typedef struct calibration {
	int64_t id;
	int64_t org_id; /* the district or partner running it */
	const char *org_name;
	bool org_is_partner;
	int64_t district_id; /* the district it is for */
	const char *district_name;
	const char *title;
	int64_t rubric_id;
	int64_t rubric_version_id;
	const char *rubric_name;
	int64_t facilitator_id;
	const char *facilitator_name;
	const char *held_on;    /* YYYY-MM-DD */
	const char *video_file; /* random name under data_dir/calibration, or NULL */
	const char *video_type;
	const char *video_name;
	int64_t video_size;
	const char *video_url;
	const char *transcript;
	double pass_share;     /* 0 < share <= 1 */
	int64_t pass_distance; /* points from the reference that still count */
	int64_t round;         /* the open round, 1.. */
	bool closed;
	int64_t created_at, updated_at;
	calibration_rater *raters; /* by name */
	size_t nraters;
	int64_t *rater_ids; /* for may(): the raters as teachers */
	calibration_anchor *anchors;
	size_t nanchors;
} calibration;

/* One rating of one round. */
typedef struct calibration_rating {
	int64_t rater_id;
	int64_t indicator_id;
	int64_t value;
	const char *evidence;
} calibration_rating;

/* ---- rules (calibration.c, pure) ---- */

/* Who is asking about a round: whether the policy lets them read the
 * session, whether they are one of its raters, and whether they have
 * submitted their ratings of that round. */
typedef struct calibration_viewer {
	bool may_read;
	bool rater;
	bool submitted;
} calibration_viewer;

/* The blind rule: may this viewer see round's ratings of others, its
 * results and the anchors? Only readers of the session; a rater only
 * after submitting their own of that round; never a round that is not
 * open yet (round outside 1..current). */
bool calibration_may_see_results(const calibration_viewer *v, int64_t round, int64_t current);
/* Has any rater submitted, in this round or an earlier one? Then results
 * have been seen, and the anchors they were read against stay. */
bool calibration_any_submitted(const calibration *c);
/* Drafts are only ever their rater's: may viewer person see rater's
 * unsubmitted ratings? */
bool calibration_may_see_draft(int64_t viewer, int64_t rater);

/* The record may() is asked about: placed at the org running it (with its
 * district, or as the partner's), the facilitator as coach, the raters as
 * teachers. */
record calibration_record(place places[1], const calibration *c);
/* The record of one rater's ratings in the session. */
record calibration_rating_record(place places[1], const calibration *c, int64_t rater);
bool calibration_is_rater(const calibration *c, int64_t person);
const calibration_rater *calibration_rater_of(const calibration *c, int64_t person);
/* The anchor of an indicator; false when it has none. */
bool calibration_anchor_of(const calibration *c, int64_t indicator_id, int64_t *value);

/* The pass share as the forms write it: a percentage in (0, 100]. NULL
 * when it is one (with *share from 0 to 1), else what is wrong. */
const char *calibration_pass_share_parse(const char *text, double *share);
const char *calibration_pass_distance_check(int64_t distance);

/* The median of n values (n > 0; sorted in place). */
double calibration_median(int64_t *values, size_t n);

/* One rater compared with the reference of each indicator: the anchor
 * when there is one, else the median of the round's submitted ratings. */
typedef struct calibration_rater_result {
	int64_t rater_id;
	size_t compared; /* indicators with a rating and a reference */
	size_t exact, within_one, within_rule;
	double exact_share, within_one_share, rule_share; /* 0..1; 0 when compared is 0 */
	double mean_deviation;                            /* signed: > 0 rates high */
	bool passes;                                      /* rule_share >= pass_share, compared > 0 */
	double *deviations;                               /* per indicator in rubric order; NaN: no rating */
} calibration_rater_result;

typedef struct calibration_indicator_result {
	int64_t indicator_id;
	size_t n;       /* submitted ratings */
	size_t *counts; /* per scale point, scale_min first */
	bool has_anchor;
	int64_t anchor;
	bool has_reference;
	double reference; /* the anchor, or the median */
	double median;
	/* Pairwise among the submitted raters (NaN with fewer than two). */
	double pairs_exact, pairs_within_one;
} calibration_indicator_result;

/* The results of one round, everything but the agreement statistics. */
typedef struct calibration_round_result {
	int64_t round;
	size_t nraters;                   /* raters who submitted */
	calibration_rater_result *raters; /* in the order of rater_ids given */
	size_t nindicators;
	calibration_indicator_result *indicators; /* rubric order */
	bool anchored;                            /* any anchor */
} calibration_round_result;

/* Computes the round from the submitted raters' ratings (ratings of
 * anyone else are ignored: drafts never count). rater_ids: the raters who
 * submitted, in the order to report them. */
void calibration_round_compute(arena *a, const rubric_version *v, const calibration *c,
			       const int64_t *rater_ids, size_t nraters, const calibration_rating *ratings,
			       size_t nratings, calibration_round_result *out);
const calibration_rater_result *calibration_round_rater(const calibration_round_result *r, int64_t rater_id);

/* The ratings of a round as the agreement module reads them: units are
 * indicator codes, raters the names given (one per rater id), and the
 * anchor rater "anchor" when the session has anchors. NULL and d filled,
 * or what is wrong (fewer than two raters ...). */
const char *calibration_agreement_data(arena *a, const rubric_version *v, const calibration *c,
				       const int64_t *rater_ids, const char *const *names, size_t nraters,
				       const calibration_rating *ratings, size_t nratings, agreement_data *d);

/* ---- storage (calibration_store.c) ---- */

/* One session with its raters (submissions of the open round) and
 * anchors; *found false when there is none. */
store_rc calibration_get(store *s, arena *a, int64_t id, calibration *out, bool *found);
/* Sessions the filter lets through, newest first, without raters'
 * submissions or anchors (raters are there, for may()). v: the places
 * the asker reads in; member: also sessions they facilitate or rate. */
store_rc calibration_list(store *s, arena *a, const visibility *v, int64_t member, calibration **out,
			  size_t *n);
/* The ratings of a round: every rater's (drafts too: callers choose). */
store_rc calibration_ratings_get(store *s, arena *a, int64_t id, int64_t round, calibration_rating **out,
				 size_t *n);
/* Who submitted round: rater ids in submission order, with the times. */
store_rc calibration_submissions_get(store *s, arena *a, int64_t id, int64_t round, int64_t **raters,
				     int64_t **at, size_t *n);
/* The sessions and rounds person submitted ratings in, oldest first:
 * session ids and rounds side by side. */
store_rc calibration_history_rounds(store *s, arena *a, int64_t person, int64_t **sessions, int64_t **rounds,
				    size_t *n);

/* The writes of the checked changes, inside their transaction (the
 * caller begins, commits and audits). */

/* A new session from c (org, district, title, rubric version,
 * facilitator, day, video, link, transcript, pass rule, created_at), in
 * round 1 and open; *id its id. */
store_rc calibration_add(store *s, arena *a, const calibration *c, int64_t *id);
/* Session c->id's title, day, link, transcript and pass rule as in c. */
store_rc calibration_details_set(store *s, arena *a, const calibration *c, int64_t now);
/* The lesson's video file (random name under data_dir/calibration). */
store_rc calibration_video_set(store *s, arena *a, int64_t id, const char *file, const char *type,
			       const char *name, int64_t size);
/* The raters become raters[0..n), invited at now. */
store_rc calibration_raters_set(store *s, arena *a, int64_t id, const int64_t *raters, size_t n, int64_t now);
/* The raters with any rating (draft or submitted, any round). */
store_rc calibration_raters_who_rated(store *s, arena *a, int64_t id, int64_t **raters, size_t *n);
/* Sets an indicator's anchor, or clears it (has_value false). */
store_rc calibration_anchor_set(store *s, arena *a, int64_t id, int64_t indicator_id, bool has_value,
				int64_t value);
/* Sets r's rater's rating of r's indicator in round, or clears it
 * (has_value false). */
store_rc calibration_rating_set(store *s, arena *a, int64_t id, int64_t round, const calibration_rating *r,
				bool has_value);
/* rater's submission of round at time at; STORE_CONSTRAINT when it is
 * already submitted. */
store_rc calibration_submission_add(store *s, arena *a, int64_t id, int64_t round, int64_t rater, int64_t at);
/* Opens the round after round, when round is still the open one:
 * *advanced false when another round was opened meanwhile. */
store_rc calibration_round_advance(store *s, arena *a, int64_t id, int64_t round, int64_t now,
				   bool *advanced);
/* Closes the session. */
store_rc calibration_closed_set(store *s, arena *a, int64_t id, int64_t now);

/* An observer's name (NULL: no such person). */
store_rc calibration_observer_name(store *s, arena *a, int64_t person_id, const char **name);

/* ---- changes (calibration_change.c) ---- */

typedef struct calibration_input {
	const char *title;
	const char *held_on;
	int64_t district_id; /* the district it is for (creating only) */
	int64_t rubric_id;   /* the rubric: its current version is pinned (creating only) */
	const char *video_url;
	const char *transcript;
	int64_t *raters;
	size_t nraters;
	bool raters_given;     /* editing: absent leaves them */
	double pass_share;     /* 0: default (creating) or unchanged (editing) */
	int64_t pass_distance; /* -1: default or unchanged */
	const upload *video;   /* or NULL */
} calibration_input;

/* A value for one indicator, by code, as forms and bodies give it. */
typedef struct calibration_value {
	const char *code;
	bool has_value; /* false: clear it */
	int64_t value;
	const char *evidence;
} calibration_value;

/* The session named by {id}: 404 for one that does not exist and one the
 * asker may not read alike. */
bool calibration_load(req *rq, resp *rs, calibration *c);
bool may_calibration(const req *rq, action act, const calibration *c);
/* The sessions the asker may read, newest first: the policy's visibility
 * narrows the query, then each session through may(READ). */
store_rc calibrations_readable(req *rq, calibration **out, size_t *n);
/* The blind rule for the asker and round: *sees, whether they may see its
 * results; *submitted (when not NULL), whether they submitted it. */
store_rc calibration_results_visible(const req *rq, const calibration *c, int64_t round, bool *sees,
				     bool *submitted);

void calibration_create(req *rq, calibration_input *in, outcome *out);
void calibration_update(req *rq, const calibration *c, calibration_input *in, outcome *out);
/* Replaces the anchors: every indicator given is set (or cleared). */
void calibration_anchors_set(req *rq, const calibration *c, const rubric_version *v,
			     const calibration_value *vals, size_t n, outcome *out);
/* Saves the asker's draft ratings of the open round. */
void calibration_ratings_save(req *rq, const calibration *c, const rubric_version *v,
			      const calibration_value *vals, size_t n, outcome *out);
/* Submits the asker's ratings of the open round: every indicator rated. */
void calibration_submit(req *rq, const calibration *c, const rubric_version *v, outcome *out);
void calibration_round_open(req *rq, const calibration *c, outcome *out);
void calibration_close(req *rq, const calibration *c, outcome *out);
/* Who would run a session the asker starts for district: probe->org_id
 * the asker's partner when a partner grant of theirs may create it, else
 * the district; 0 when the asker may not. */
void calibration_runner(const req *rq, int64_t district, calibration *probe);
/* The round a page or the API asks for (?round=N, default the open one);
 * false with 400 answered. */
bool calibration_round_param(req *rq, resp *rs, const calibration *c, int64_t *round);
/* Sends the lesson's video with Range. */
void calibration_video_send(req *rq, resp *rs, const calibration *c);
/* The people who may be invited to rate in district_id (and of the
 * partner running it, when org_is_partner): ids and names by name. */
store_rc calibration_rater_choices(store *s, arena *a, int64_t district_id, int64_t partner_id, int64_t **ids,
				   const char ***names, size_t *n);

/* ---- results (calibration_results.c) ---- */

/* A round's results with the agreement statistics, for the page and the
 * API alike. */
typedef struct calibration_results {
	int64_t round;
	rubric_version rubric;
	int64_t *submitted; /* rater ids */
	const char **names; /* their names */
	size_t nsubmitted;
	calibration_rating *ratings; /* submitted raters' only */
	size_t nratings;
	calibration_round_result r;
	const char *agreement_missing; /* why there are no statistics, or NULL */
	agreement_data data;
	agreement_result stats;
} calibration_results;

store_rc calibration_results_load(store *s, arena *a, const calibration *c, int64_t round,
				  calibration_results *out);
/* The results of round and, when the asker may see that round too, of the
 * round before it (*change true, *before filled): what the results page
 * and the API show. */
store_rc calibration_results_with_change(req *rq, const calibration *c, int64_t round,
					 calibration_results *res, calibration_results *before, bool *change);
/* The agreement statistics as the agreement module writes them, or NULL. */
const char *calibration_agreement_json(arena *a, const calibration_results *r);

/* An observer's history: one row per session and round they submitted. */
typedef struct calibration_history_row {
	int64_t calibration_id, round;
	const char *title, *held_on, *rubric_name;
	bool anchored;
	size_t compared;
	double exact_share, within_one_share, mean_deviation;
	bool passes;
} calibration_history_row;

/* The rows the asker may see (may(READ) and the blind rule, per row). */
store_rc calibration_history_load(req *rq, int64_t person, calibration_history_row **out, size_t *n);
/* The history of the observer {id} for the history page and API: the
 * asker's own always (even empty); another's only with a row to show,
 * else 404. false when an answer was given. */
bool observer_history_load(req *rq, resp *rs, int64_t *person, calibration_history_row **rows, size_t *n);

/* ---- pages and API ---- */
handler_fn page_calibrations, page_calibration_new, page_calibration_create, page_calibration,
	page_calibration_update, page_calibration_anchors, page_calibration_video, page_calibration_rate,
	page_calibration_rate_save, page_calibration_round, page_calibration_close, page_calibration_results,
	page_observer_calibration;
handler_fn api_calibrations, api_calibration_create, api_calibration, api_calibration_anchors,
	api_calibration_ratings, api_calibration_submit, api_calibration_round, api_calibration_results,
	api_observer_calibration;

#endif
