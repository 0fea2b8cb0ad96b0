/* The rules of calibration sessions, pure: who sees a round's results (the
 * blind rule), the pass rule, deviations from the anchor or the median,
 * and the ratings handed to the agreement statistics. No I/O. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "calibration.h"

bool calibration_may_see_results(const calibration_viewer *v, int64_t round, int64_t current)
{
	if (!v || !v->may_read) return false;
	if (round < 1 || round > current) return false;
	/* A rater is blind until their own ratings of the round are in. */
	if (v->rater) return v->submitted;
	return true;
}

bool calibration_may_see_draft(int64_t viewer, int64_t rater)
{
	return viewer > 0 && viewer == rater;
}

static place calibration_place(const calibration *c)
{
	if (c->org_is_partner) return (place){c->org_id, c->district_id, c->org_id};
	return (place){c->org_id, c->district_id ? c->district_id : c->org_id, 0};
}

record calibration_record(place places[1], const calibration *c)
{
	places[0] = calibration_place(c);
	return (record){.kind = REC_CALIBRATION,
			.places = places,
			.nplaces = 1,
			.coaches = &c->facilitator_id,
			.ncoaches = 1,
			.teachers = c->rater_ids,
			.nteachers = c->nraters};
}

record calibration_rating_record(place places[1], const calibration *c, int64_t rater)
{
	record r = calibration_record(places, c);
	r.kind = REC_CALIBRATION_RATING;
	r.person_id = rater;
	return r;
}

bool calibration_is_rater(const calibration *c, int64_t person)
{
	return calibration_rater_of(c, person) != NULL;
}

bool calibration_any_submitted(const calibration *c)
{
	if (c->round > 1) return true; /* a round opens only after a submission */
	for (size_t i = 0; i < c->nraters; i++)
		if (c->raters[i].submitted_at) return true;
	return false;
}

const calibration_rater *calibration_rater_of(const calibration *c, int64_t person)
{
	for (size_t i = 0; person && i < c->nraters; i++)
		if (c->raters[i].person_id == person) return &c->raters[i];
	return NULL;
}

bool calibration_anchor_of(const calibration *c, int64_t indicator_id, int64_t *value)
{
	for (size_t i = 0; i < c->nanchors; i++)
		if (c->anchors[i].indicator_id == indicator_id) {
			*value = c->anchors[i].value;
			return true;
		}
	return false;
}

const char *calibration_pass_share_parse(const char *text, double *share)
{
	if (!text || !*text) return "Give the pass share as a percentage, e.g. 80.";
	char *end = NULL;
	double v = strtod(text, &end);
	while (end && (*end == ' ' || *end == '%')) end++;
	if (!end || *end || !isfinite(v)) return "The pass share must be a number of percent, e.g. 80.";
	if (v <= 0 || v > 100) return "The pass share must be more than 0 % and at most 100 %.";
	*share = v / 100.0;
	return NULL;
}

const char *calibration_pass_distance_check(int64_t distance)
{
	if (distance < 0 || distance > 9) return "The distance must be a whole number of points from 0 to 9.";
	return NULL;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

double calibration_median(int64_t *values, size_t n)
{
	if (!n) return NAN;
	qsort(values, n, sizeof *values, cmp_i64);
	if (n % 2) return (double)values[n / 2];
	return ((double)values[n / 2 - 1] + (double)values[n / 2]) / 2.0;
}

/* Deviations are whole or half points: a small tolerance keeps 1.0 within
 * one however it was reached. */
static bool within(double dev, double points)
{
	return fabs(dev) <= points + 1e-9;
}

static bool listed(const int64_t *ids, size_t n, int64_t id, size_t *at)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id) {
			if (at) *at = i;
			return true;
		}
	return false;
}

static size_t indicator_index(const rubric_version *v, int64_t id, bool *ok)
{
	for (size_t i = 0; i < v->nindicators; i++)
		if (v->indicators[i].id == id) {
			*ok = true;
			return i;
		}
	*ok = false;
	return 0;
}

/* Pairwise exact and within-one shares among the values of one unit. */
static void pairwise(const int64_t *vals, size_t n, double *exact, double *within_one)
{
	if (n < 2) {
		*exact = *within_one = NAN;
		return;
	}
	size_t pairs = 0, same = 0, near = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			pairs++;
			same += vals[i] == vals[j];
			near += llabs(vals[i] - vals[j]) <= 1;
		}
	*exact = (double)same / (double)pairs;
	*within_one = (double)near / (double)pairs;
}

static void indicators_compute(arena *a, const rubric_version *v, const calibration *c, const int64_t *raters,
			       size_t nraters, const calibration_rating *ratings, size_t nratings,
			       calibration_round_result *out)
{
	size_t points = (size_t)(v->scale_max - v->scale_min + 1);
	int64_t *vals = arena_calloc(a, nraters + 1, sizeof *vals);
	for (size_t k = 0; k < v->nindicators; k++) {
		calibration_indicator_result *ir = &out->indicators[k];
		ir->indicator_id = v->indicators[k].id;
		ir->counts = arena_calloc(a, points, sizeof *ir->counts);
		size_t n = 0;
		for (size_t i = 0; i < nratings; i++) {
			const calibration_rating *r = &ratings[i];
			if (r->indicator_id != ir->indicator_id ||
			    !listed(raters, nraters, r->rater_id, NULL))
				continue;
			if (r->value < v->scale_min || r->value > v->scale_max || n >= nraters) continue;
			vals[n++] = r->value;
			ir->counts[r->value - v->scale_min]++;
		}
		ir->n = n;
		pairwise(vals, n, &ir->pairs_exact, &ir->pairs_within_one);
		ir->median = calibration_median(vals, n);
		ir->has_anchor = calibration_anchor_of(c, ir->indicator_id, &ir->anchor);
		if (ir->has_anchor) {
			out->anchored = true;
			ir->has_reference = true;
			ir->reference = (double)ir->anchor;
		} else if (n) {
			ir->has_reference = true;
			ir->reference = ir->median;
		}
	}
}

static void rater_compute(arena *a, const rubric_version *v, const calibration *c, int64_t rater,
			  const calibration_rating *ratings, size_t nratings,
			  const calibration_round_result *round, calibration_rater_result *rr)
{
	rr->rater_id = rater;
	rr->deviations = arena_calloc(a, v->nindicators ? v->nindicators : 1, sizeof *rr->deviations);
	for (size_t k = 0; k < v->nindicators; k++) rr->deviations[k] = NAN;
	double sum = 0;
	for (size_t i = 0; i < nratings; i++) {
		const calibration_rating *r = &ratings[i];
		bool ok;
		size_t k = indicator_index(v, r->indicator_id, &ok);
		if (r->rater_id != rater || !ok || !round->indicators[k].has_reference) continue;
		double dev = (double)r->value - round->indicators[k].reference;
		rr->deviations[k] = dev;
		rr->compared++;
		rr->exact += within(dev, 0);
		rr->within_one += within(dev, 1);
		rr->within_rule += within(dev, (double)c->pass_distance);
		sum += dev;
	}
	if (!rr->compared) return;
	double n = (double)rr->compared;
	rr->exact_share = (double)rr->exact / n;
	rr->within_one_share = (double)rr->within_one / n;
	rr->rule_share = (double)rr->within_rule / n;
	rr->mean_deviation = sum / n;
	/* Compared in counts, so 4 of 5 passes a share of 0.8 exactly. */
	rr->passes = (double)rr->within_rule + 1e-9 >= c->pass_share * n;
}

void calibration_round_compute(arena *a, const rubric_version *v, const calibration *c,
			       const int64_t *rater_ids, size_t nraters, const calibration_rating *ratings,
			       size_t nratings, calibration_round_result *out)
{
	*out = (calibration_round_result){.nraters = nraters, .nindicators = v->nindicators};
	out->indicators = arena_calloc(a, v->nindicators ? v->nindicators : 1, sizeof *out->indicators);
	out->raters = arena_calloc(a, nraters ? nraters : 1, sizeof *out->raters);
	indicators_compute(a, v, c, rater_ids, nraters, ratings, nratings, out);
	for (size_t i = 0; i < nraters; i++)
		rater_compute(a, v, c, rater_ids[i], ratings, nratings, out, &out->raters[i]);
}

const calibration_rater_result *calibration_round_rater(const calibration_round_result *r, int64_t rater_id)
{
	for (size_t i = 0; i < r->nraters; i++)
		if (r->raters[i].rater_id == rater_id) return &r->raters[i];
	return NULL;
}

const char *calibration_agreement_data(arena *a, const rubric_version *v, const calibration *c,
				       const int64_t *rater_ids, const char *const *names, size_t nraters,
				       const calibration_rating *ratings, size_t nratings, agreement_data *d)
{
	bool anchored = c->nanchors > 0;
	agreement_settings s = {.origin = AGREEMENT_FROM_JSON,
				.scale_declared = true,
				.scale_min = (int32_t)v->scale_min,
				.scale_max = (int32_t)v->scale_max,
				.anchor = anchored ? "anchor" : NULL};
	agreement_input *in = agreement_input_new(a, &s);
	size_t row = 0;
	/* Unit by unit in rubric order, so units are listed as the rubric
	 * lists its indicators. */
	for (size_t k = 0; k < v->nindicators; k++) {
		const rubric_indicator *ind = &v->indicators[k];
		int64_t av;
		if (anchored && calibration_anchor_of(c, ind->id, &av)) {
			const char *why =
				agreement_input_add(in, row++, ind->code, "anchor", false, (double)av);
			if (why) return why;
		}
		for (size_t i = 0; i < nratings; i++) {
			size_t at;
			if (ratings[i].indicator_id != ind->id ||
			    !listed(rater_ids, nraters, ratings[i].rater_id, &at))
				continue;
			const char *why = agreement_input_add(in, row++, ind->code, names[at], false,
							      (double)ratings[i].value);
			if (why) return why;
		}
	}
	return agreement_input_finish(in, d);
}
