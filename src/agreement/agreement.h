/* Agreement statistics for calibration: how far observers who rated the
 * same units with the same rubric scale agree, with each other and with an
 * anchor (master) rater. The ratings arrive as (unit, rater, value) rows
 * from a CSV file, a JSON body or the calibration pages; the statistics are
 * pure arithmetic on them (agreement.c), with no I/O. */
#ifndef COACHD_AGREEMENT_H
#define COACHD_AGREEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../roster/csv.h"

/* Bounds on one set of ratings, so a file or body that is far too large
 * stops with a clear message instead of exhausting memory. */
#define AGREEMENT_MAX_RATINGS 1000000
#define AGREEMENT_MAX_RATERS 10000
/* A scale is a run of whole numbers MIN..MAX with at most this many points:
 * rubric scales have a handful; the coincidence matrices are points². */
#define AGREEMENT_MAX_POINTS 101
/* Scale ends must lie within ±this, so sums of values stay exact. */
#define AGREEMENT_MAX_ABS_VALUE 1000000
/* Unit and rater names longer than this are refused. */
#define AGREEMENT_MAX_NAME 256

#define AGREEMENT_RESAMPLES_DEFAULT 1000
#define AGREEMENT_RESAMPLES_MAX 100000
#define AGREEMENT_SEED_DEFAULT 20110326u

/* The anchor rule (the CLASS convention): a rater passes with at least
 * this share of their ratings within one point of the anchor's. */
#define AGREEMENT_PASS_NUM 4
#define AGREEMENT_PASS_DEN 5

/* One rating: indexes into the unit and rater names, and a point on the
 * scale (meaningless when missing: the rater saw the unit, gave nothing). */
typedef struct agreement_rating {
	uint32_t unit;
	uint32_t rater;
	int32_t value;
	bool missing;
} agreement_rating;

/* A checked set of ratings: every (unit, rater) pair at most once, every
 * value a point of the scale, at least two raters. Names are in order of
 * first appearance. */
typedef struct agreement_data {
	const char **units;
	size_t nunits;
	const char **raters;
	size_t nraters;
	agreement_rating *ratings;
	size_t nratings;
	int32_t scale_min, scale_max; /* declared, or the values' range */
	bool scale_declared;
	int64_t anchor; /* index into raters, -1 when there is none */
} agreement_data;

/* ---- building a set of ratings (agreement_data.c) ---- */

/* Where the rows come from decides how a problem names its row: "row 7"
 * (CSV, the header is row 1) or "ratings[6]" (JSON, from 0). */
typedef enum agreement_origin { AGREEMENT_FROM_CSV, AGREEMENT_FROM_JSON } agreement_origin;

typedef struct agreement_settings {
	agreement_origin origin;
	bool scale_declared;
	int32_t scale_min, scale_max;
	const char *anchor; /* rater name, or NULL */
} agreement_settings;

typedef struct agreement_input agreement_input;

agreement_input *agreement_input_new(arena *a, const agreement_settings *s);
/* Adds one rating. where is the CSV row or JSON index. Returns NULL, or
 * what is wrong, naming the row (in the arena). */
const char *agreement_input_add(agreement_input *in, size_t where, const char *unit, const char *rater,
				bool missing, double value);
/* Adds one rating whose value is text, as in a CSV file: empty (or only
 * white space) is missing; otherwise a decimal number. */
const char *agreement_input_add_text(agreement_input *in, size_t where, const char *unit, const char *rater,
				     const char *value);
/* How a row is named in messages: "row 7" or "ratings[6]". */
const char *agreement_where(agreement_input *in, size_t where);
/* Checks the whole set and fills d. Returns NULL or what is wrong. */
const char *agreement_input_finish(agreement_input *in, agreement_data *d);

/* "MIN..MAX" with whole numbers, MIN < MAX, at most AGREEMENT_MAX_POINTS
 * points. Returns NULL or what is wrong (a static string). */
const char *agreement_parse_scale(const char *text, int32_t *min, int32_t *max);
/* Checks a declared scale's ends (the JSON body gives them as numbers). */
const char *agreement_check_scale(int64_t min, int64_t max);

/* ---- reading ratings (agreement_csv.c, agreement_json.c) ---- */

/* A CSV body or file with the header unit,rater,value (any order, any
 * case). Returns NULL and fills d, or a message naming the row. name is
 * the file's name for messages (NULL: none). */
const char *agreement_read_csv_mem(arena *a, const char *name, const void *data, size_t len,
				   const agreement_settings *s, agreement_data *d);
const char *agreement_read_csv(arena *a, const char *name, csv_source src, const agreement_settings *s,
			       agreement_data *d);

/* A JSON body {"scale":[min,max],"anchor":..,"ratings":[{"unit":..,
 * "rater":..,"value":..}]}: units and raters strings or numbers, values
 * numbers or null. s supplies what the body leaves out (scale, anchor);
 * the body's own members win. Returns NULL and fills d, or a message
 * naming the member or array index. */
const char *agreement_read_json(arena *a, const char *text, size_t len, const agreement_settings *s,
				agreement_data *d);

/* ---- the statistics (agreement.c) ---- */

/* A statistic that may be undefined (fewer than two raters, no pairs, no
 * variation to compare with): then undefined says why and value is 0. */
typedef struct agreement_stat {
	double value;
	const char *undefined;
} agreement_stat;

typedef enum agreement_metric {
	AGREEMENT_NOMINAL,
	AGREEMENT_ORDINAL,
	AGREEMENT_INTERVAL,
	AGREEMENT_RATIO,
	AGREEMENT_METRICS
} agreement_metric;

typedef struct agreement_anchor_row {
	size_t rater;                     /* index into raters */
	size_t units;                     /* units both this rater and the anchor rated */
	agreement_stat exact, within_one; /* shares of those units, 0 to 1 */
	bool passes;                      /* within_one >= 0.80 */
} agreement_anchor_row;

typedef struct agreement_options {
	uint32_t resamples; /* bootstrap resamples; 0: no interval */
	uint64_t seed;
} agreement_options;

#define AGREEMENT_OPTIONS_DEFAULT ((agreement_options){AGREEMENT_RESAMPLES_DEFAULT, AGREEMENT_SEED_DEFAULT})

/* Percentages are shares from 0 to 1 (as the anchor rule's 0.80 is). */
typedef struct agreement_result {
	size_t units, raters;   /* as listed, whether or not with a value */
	size_t pairable_values; /* values in units with two or more values */
	/* Over every pair of values within a unit, pooled across units. */
	agreement_stat percent_exact, percent_within_one;
	/* Cohen's kappa needs exactly two raters; when it has them each
	 * weighting may still be undefined on its own. Weights span the
	 * whole scale, not only the values that occur. */
	const char *cohen_undefined;
	agreement_stat cohen_unweighted, cohen_linear, cohen_quadratic;
	/* Fleiss' kappa needs the same number (two or more) of ratings for
	 * every unit. */
	agreement_stat fleiss_kappa;
	/* Krippendorff's alpha by metric; units with fewer than two values
	 * are not pairable and are left out. */
	agreement_stat alpha[AGREEMENT_METRICS];
	/* Percentile bootstrap over units for ordinal alpha. */
	agreement_stat alpha_ordinal_lo, alpha_ordinal_hi;
	size_t resamples_defined; /* resamples with a defined alpha */
	bool has_anchor;
	size_t anchor;
	agreement_anchor_row *per_rater; /* every rater but the anchor */
	size_t nper_rater;
} agreement_result;

void agreement_compute(arena *a, const agreement_data *d, const agreement_options *o, agreement_result *r);

/* Krippendorff's alpha from a coincidence matrix o (points × points, row
 * major) of the scale min..min+points-1: for tests and for the bootstrap.
 * Undefined when no disagreement is expected (one value only). */
agreement_stat agreement_alpha_from_coincidences(const double *o, size_t points, int32_t min,
						 agreement_metric m);

/* splitmix64 (Steele, Lea and Flood 2014): small, fast and the same on
 * every machine, so a seed always gives the same interval. */
uint64_t agreement_splitmix64(uint64_t *state);

/* The shortest decimal text that reads back as exactly v (finite v;
 * agreement.c, pure). */
void agreement_format_number(char out[32], double v);

/* ---- output (agreement_json.c) ---- */

/* The result as one JSON object (no trailing newline): numbers with the
 * fewest digits that read back to the same double, undefined statistics
 * as null with their reason under "reasons". */
void agreement_write_json(arena *a, buf *b, const agreement_data *d, const agreement_result *r);

/* ---- the command and the API ---- */

/* `coachd agreement [--scale MIN..MAX] [--anchor RATER] [--resamples N]
 * [--seed N] FILE.csv`: 0 printed, 2 bad input or usage, 1 unreadable. */
int cmd_agreement(int argc, char **argv, const char *dsn);

struct req;
struct resp;
void api_agreement(struct req *rq, struct resp *rs);

#endif
