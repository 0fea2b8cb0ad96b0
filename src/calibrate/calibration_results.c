/* A round's results, for the results page and the API alike: the
 * submitted raters' ratings only (drafts never count), the per-indicator
 * and per-rater figures of calibration.c, and the agreement statistics of
 * src/agreement on the same ratings. And an observer's history across
 * sessions, each row behind may() and the blind rule. */
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "calibration.h"

/* Rater names as the agreement module lists them: unique, and never the
 * anchor's. */
static const char **unique_names(arena *a, const calibration *c, const int64_t *ids, size_t n)
{
	const char **names = arena_calloc(a, n + 1, sizeof *names);
	for (size_t i = 0; i < n; i++) {
		const calibration_rater *cr = calibration_rater_of(c, ids[i]);
		const char *name =
			cr && cr->name ? cr->name : arena_printf(a, "Person %lld", (long long)ids[i]);
		bool clash = str_ieq(name, "anchor");
		for (size_t j = 0; j < i; j++) clash |= str_eq(names[j], name);
		names[i] = clash ? arena_printf(a, "%s (%lld)", name, (long long)ids[i]) : name;
	}
	return names;
}

/* The results of round with the agreement statistics computed under o. */
static store_rc results_load(store *s, arena *a, const calibration *c, int64_t round,
			     const agreement_options *o, calibration_results *out)
{
	*out = (calibration_results){.round = round};
	bool found = false;
	store_rc rc = rubric_version_load(s, a, c->rubric_version_id, &out->rubric, &found);
	if (rc != STORE_OK) return rc;
	if (!found) return STORE_ERROR;
	if ((rc = calibration_submissions_get(s, a, c->id, round, &out->submitted, NULL, &out->nsubmitted)) !=
	    STORE_OK)
		return rc;
	/* A rater removed from the session after submitting is still a rater
	 * of that round; their name comes from the store then. */
	calibration_rating *all;
	size_t nall;
	if ((rc = calibration_ratings_get(s, a, c->id, round, &all, &nall)) != STORE_OK) return rc;
	out->ratings = arena_calloc(a, nall + 1, sizeof *out->ratings);
	for (size_t i = 0; i < nall; i++)
		for (size_t j = 0; j < out->nsubmitted; j++)
			if (all[i].rater_id == out->submitted[j]) {
				out->ratings[out->nratings++] = all[i];
				break;
			}
	out->names = unique_names(a, c, out->submitted, out->nsubmitted);
	calibration_round_compute(a, &out->rubric, c, out->submitted, out->nsubmitted, out->ratings,
				  out->nratings, &out->r);
	out->agreement_missing =
		calibration_agreement_data(a, &out->rubric, c, out->submitted, out->names, out->nsubmitted,
					   out->ratings, out->nratings, &out->data);
	if (!out->agreement_missing) agreement_compute(a, &out->data, o, &out->stats);
	return STORE_OK;
}

store_rc calibration_results_load(store *s, arena *a, const calibration *c, int64_t round,
				  calibration_results *out)
{
	agreement_options o = AGREEMENT_OPTIONS_DEFAULT;
	return results_load(s, a, c, round, &o, out);
}

store_rc calibration_results_with_change(req *rq, const calibration *c, int64_t round,
					 calibration_results *res, calibration_results *before, bool *change)
{
	*change = false;
	store_rc rc = calibration_results_load(rq->db, rq->a, c, round, res);
	if (rc == STORE_OK && round > 1) rc = calibration_results_visible(rq, c, round - 1, change, NULL);
	if (rc != STORE_OK || !*change) return rc;
	return calibration_results_load(rq->db, rq->a, c, round - 1, before);
}

const char *calibration_agreement_json(arena *a, const calibration_results *r)
{
	if (r->agreement_missing) return NULL;
	buf b = BUF_INIT;
	agreement_write_json(a, &b, &r->data, &r->stats);
	const char *out = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

store_rc calibration_history_load(req *rq, int64_t person, calibration_history_row **out, size_t *n)
{
	int64_t *sessions, *rounds;
	size_t nrounds;
	*out = NULL;
	*n = 0;
	store_rc rc = calibration_history_rounds(rq->db, rq->a, person, &sessions, &rounds, &nrounds);
	if (rc != STORE_OK) return rc;
	calibration_history_row *rows = arena_calloc(rq->a, nrounds + 1, sizeof *rows);
	size_t k = 0;
	calibration c = {0};
	for (size_t i = 0; i < nrounds; i++) {
		if (c.id != sessions[i]) {
			bool found = false;
			if ((rc = calibration_get(rq->db, rq->a, sessions[i], &c, &found)) != STORE_OK)
				return rc;
			if (!found) continue;
		}
		/* The observer sees their own rounds; others, what the session's
		 * policy and the blind rule let them see of that round. */
		bool self = rq->actor->person_id == person, sees = self;
		if (!self && (rc = calibration_results_visible(rq, &c, rounds[i], &sees, NULL)) != STORE_OK)
			return rc;
		if (!sees) continue;
		/* A row shows no interval: no bootstrap resamples. */
		calibration_results res;
		agreement_options o = AGREEMENT_OPTIONS_DEFAULT;
		o.resamples = 0;
		if ((rc = results_load(rq->db, rq->a, &c, rounds[i], &o, &res)) != STORE_OK) return rc;
		const calibration_rater_result *rr = calibration_round_rater(&res.r, person);
		if (!rr) continue;
		rows[k++] = (calibration_history_row){.calibration_id = c.id,
						      .round = rounds[i],
						      .title = c.title,
						      .held_on = c.held_on,
						      .rubric_name = c.rubric_name,
						      .anchored = res.r.anchored,
						      .compared = rr->compared,
						      .exact_share = rr->exact_share,
						      .within_one_share = rr->within_one_share,
						      .mean_deviation = rr->mean_deviation,
						      .passes = rr->passes};
	}
	*out = rows;
	*n = k;
	return STORE_OK;
}

bool observer_history_load(req *rq, resp *rs, int64_t *person, calibration_history_row **rows, size_t *n)
{
	if (!param_id(rq, rs, "id", person)) return false;
	if (calibration_history_load(rq, *person, rows, n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (*n || *person == rq->actor->person_id) return true;
	resp_error(rq, rs, 404, "not_found", "There is no calibration history of this person for you to see.",
		   NULL);
	return false;
}
