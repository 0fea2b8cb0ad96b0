/* The demo's calibrations (see demo.h): a spring session whose raters rated
 * high against the anchors, and the fall session with the same people, in
 * its second round after the discussion, closer to the anchors; Tom Becker
 * (teacher@) has not rated round two yet, so he can try rating blind. */
#include <stdio.h>
#include <string.h>

#include "../base/util.h"
#include "demo.h"

enum { RATERS = 6, CODES = 5 };

static const char *const rater_names[RATERS] = {"Dana Whitfield", "Priya Raman", "Kim Sorensen",
						"Samuel Okafor",  "Paul Novak",  "Tom Becker"};
static const char *const codes[CODES] = {"TRU1", "TRU2", "TRU3", "TRU4", "TRU5"};

/* A round: each rater's ratings of TRU1..TRU5; 0 rows: not submitted. */
typedef struct demo_round {
	int values[RATERS][CODES];
} demo_round;

typedef struct demo_session {
	const char *title, *held_on, *state;
	const char *video_url, *transcript;
	int anchors[CODES];
	const demo_round *rounds;
	int nrounds;
} demo_session;

static const demo_round spring[] = {{{{3, 3, 2, 2, 3},
				      {3, 2, 2, 3, 3},
				      {2, 2, 1, 2, 2},
				      {3, 3, 2, 3, 3},
				      {3, 3, 2, 2, 3},
				      {3, 3, 3, 3, 2}}}};

static const demo_round fall[] = {{{{3, 2, 2, 3, 2},
				    {2, 3, 2, 2, 2},
				    {3, 2, 1, 2, 1},
				    {2, 3, 3, 3, 2},
				    {3, 3, 2, 3, 2},
				    {2, 2, 1, 2, 3}}},
				  {{{3, 2, 2, 2, 1},
				    {3, 2, 2, 2, 2},
				    {3, 2, 2, 2, 1},
				    {3, 2, 2, 3, 1},
				    {3, 2, 2, 2, 2},
				    {0, 0, 0, 0, 0}}}};

static const demo_session sessions[] = {
	{"Spring calibration: Grade 3 area lesson",
	 "2026-04-22",
	 "closed",
	 "https://video.example.org/lakeshore/grade3-area",
	 NULL,
	 {2, 2, 1, 2, 2},
	 spring,
	 1},
	{"Fall calibration: Grade 4 fractions lesson",
	 "2026-10-14",
	 "open",
	 NULL,
	 "T: Here are two strips of paper, the same length. Fold one into thirds and one into sixths.\n"
	 "S1: The sixths are smaller pieces.\n"
	 "T: How many sixths fit in one third? Talk to your partner, then show me on your strips.\n"
	 "S2: Two! Two sixths is the same as one third, see, they line up.\n"
	 "T: Who can say why that happens? Maya, you had a different way.\n"
	 "S3: I drew a number line from 0 to 1 and marked thirds and sixths; 2/6 lands on 1/3.\n"
	 "T: Let's put both ways on the board. What is the same about them?\n",
	 {3, 2, 2, 2, 1},
	 fall,
	 2},
};

static int64_t at_time(const char *day, int minutes)
{
	int y = 0, m = 0, d = 0;
	if (sscanf(day, "%d-%d-%d", &y, &m, &d) != 3) return 0;
	return days_from_civil(y, m, d) * 86400 + 16 * 3600 + minutes * 60;
}

static store_rc add_session(store *s, arena *a, const demo_session *ds, int64_t version,
			    const int64_t *indicators, const int64_t *raters, int64_t facilitator,
			    int64_t partner, int64_t district)
{
	int64_t t0 = at_time(ds->held_on, 0);
	sql_arg args[] = {ARG_INT(partner),
			  ARG_INT(district),
			  ARG_TEXT(ds->title),
			  ARG_INT(version),
			  ARG_INT(facilitator),
			  ARG_TEXT(ds->held_on),
			  ARG_TEXT(ds->video_url),
			  ARG_TEXT(ds->transcript),
			  ARG_INT(ds->nrounds),
			  ARG_TEXT(ds->state),
			  ARG_INT(t0)};
	store_rows r;
	store_rc rc = store_query(
		s, a,
		"INSERT INTO calibration (org_id, district_id, title, rubric_version_id, facilitator_id, "
		"held_on, video_url, transcript, round, state, created_at, updated_at) VALUES ($1, $2, $3, "
		"$4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
		args, COUNT_OF(args), &r);
	if (rc != STORE_OK) return rc;
	int64_t id = rows_int(&r, 0, 0);
	for (int k = 0; rc == STORE_OK && k < CODES; k++) {
		sql_arg an[] = {ARG_INT(id), ARG_INT(indicators[k]), ARG_INT(ds->anchors[k])};
		rc = store_query(s, a,
				 "INSERT INTO calibration_anchor (calibration_id, indicator_id, value) "
				 "VALUES ($1, $2, $3)",
				 an, COUNT_OF(an), NULL);
	}
	for (int i = 0; rc == STORE_OK && i < RATERS; i++) {
		sql_arg ra[] = {ARG_INT(id), ARG_INT(raters[i]), ARG_INT(t0 - 86400)};
		rc = store_query(s, a,
				 "INSERT INTO calibration_rater (calibration_id, person_id, invited_at) "
				 "VALUES ($1, $2, $3)",
				 ra, COUNT_OF(ra), NULL);
	}
	for (int round = 0; rc == STORE_OK && round < ds->nrounds; round++) {
		for (int i = 0; rc == STORE_OK && i < RATERS; i++) {
			const int *v = ds->rounds[round].values[i];
			if (!v[0]) continue;
			for (int k = 0; rc == STORE_OK && k < CODES; k++) {
				sql_arg rt[] = {ARG_INT(id), ARG_INT(round + 1), ARG_INT(raters[i]),
						ARG_INT(indicators[k]), ARG_INT(v[k])};
				rc = store_query(s, a,
						 "INSERT INTO calibration_rating (calibration_id, round, "
						 "rater_id, indicator_id, "
						 "value) VALUES ($1, $2, $3, $4, $5)",
						 rt, COUNT_OF(rt), NULL);
			}
			sql_arg sub[] = {ARG_INT(id), ARG_INT(round + 1), ARG_INT(raters[i]),
					 ARG_INT(t0 + round * 3600 + 1800 + i * 90)};
			if (rc == STORE_OK)
				rc = store_query(s, a,
						 "INSERT INTO calibration_submission (calibration_id, round, "
						 "rater_id, "
						 "submitted_at) VALUES ($1, $2, $3, $4)",
						 sub, COUNT_OF(sub), NULL);
		}
	}
	return rc;
}

store_rc demo_calibrations(store *s, arena *a)
{
	int64_t version = demo_builtin_rubric(s, a, "tru");
	int64_t partner = demo_org(s, a, "Lakeshore Mathematics Collaborative");
	int64_t district = demo_org(s, a, "Prairie Glen School District 41");
	int64_t facilitator = demo_person(s, a, "Carmen Ortiz");
	if (!version || !partner || !district || !facilitator) return STORE_ERROR;
	int64_t indicators[CODES], raters[RATERS];
	for (int k = 0; k < CODES; k++) {
		sql_arg args[] = {ARG_INT(version), ARG_TEXT(codes[k])};
		store_rows r;
		store_rc rc = store_query(
			s, a, "SELECT id FROM rubric_indicator WHERE version_id = $1 AND code = $2", args,
			COUNT_OF(args), &r);
		if (rc != STORE_OK) return rc;
		if (!r.nrows) return STORE_ERROR;
		indicators[k] = rows_int(&r, 0, 0);
	}
	for (int i = 0; i < RATERS; i++)
		if (!(raters[i] = demo_person(s, a, rater_names[i]))) return STORE_ERROR;
	for (size_t i = 0; i < COUNT_OF(sessions); i++) {
		store_rc rc = add_session(s, a, &sessions[i], version, indicators, raters, facilitator,
					  partner, district);
		if (rc != STORE_OK) return rc;
	}
	return STORE_OK;
}
