/* Unit tests for the agreement statistics: published examples (each cited
 * where it is used), properties that must hold on any data (perfect
 * agreement, renamed raters, shuffled values, a reproducible bootstrap),
 * the anchor rule, the JSON written, and every kind of bad input named by
 * its row or index. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "agreement/agreement.h"
#include "base/arena.h"
#include "base/buf.h"

#define MISSING (-9999)

static void assert_close(double got, double want, double tol)
{
	if (fabs(got - want) > tol) fail_msg("got %.17g, want %.17g (± %g)", got, want, tol);
}

static double value_of(agreement_stat s)
{
	if (s.undefined) fail_msg("undefined: %s", s.undefined);
	return s.value;
}

/* Ratings from a raters × units matrix (MISSING: not rated), raters named
 * r0, r1, ... and units u0, u1, ...; a missing value is left out entirely,
 * as a spreadsheet without the cell would. */
static agreement_data matrix_data(arena *a, const int *m, size_t raters, size_t units, int scale_min,
				  int scale_max)
{
	agreement_settings s = {.origin = AGREEMENT_FROM_JSON,
				.scale_declared = scale_min < scale_max,
				.scale_min = scale_min,
				.scale_max = scale_max};
	agreement_input *in = agreement_input_new(a, &s);
	size_t at = 0;
	for (size_t u = 0; u < units; u++)
		for (size_t r = 0; r < raters; r++) {
			int v = m[r * units + u];
			if (v == MISSING) continue;
			const char *why = agreement_input_add(in, at++, arena_printf(a, "u%zu", u),
							      arena_printf(a, "r%zu", r), false, v);
			if (why) fail_msg("%s", why);
		}
	agreement_data d;
	const char *why = agreement_input_finish(in, &d);
	if (why) fail_msg("%s", why);
	return d;
}

static agreement_result compute(arena *a, const agreement_data *d)
{
	agreement_result r;
	agreement_options o = AGREEMENT_OPTIONS_DEFAULT;
	agreement_compute(a, d, &o, &r);
	return r;
}

/* Two raters from a contingency table: table[i][j] units rated i by the
 * first rater and j by the second, points min.. in order. */
static agreement_data table_data(arena *a, const int *table, size_t points, int min, int max)
{
	agreement_settings s = {
		.origin = AGREEMENT_FROM_JSON, .scale_declared = true, .scale_min = min, .scale_max = max};
	agreement_input *in = agreement_input_new(a, &s);
	size_t unit = 0;
	for (size_t i = 0; i < points; i++)
		for (size_t j = 0; j < points; j++)
			for (int k = 0; k < table[i * points + j]; k++, unit++) {
				const char *u = arena_printf(a, "u%zu", unit);
				assert_null(
					agreement_input_add(in, 2 * unit, u, "first", false, min + (int)i));
				assert_null(agreement_input_add(in, 2 * unit + 1, u, "second", false,
								min + (int)j));
			}
	agreement_data d;
	assert_null(agreement_input_finish(in, &d));
	return d;
}

/* ---- published values ---- */

/* Wikipedia, "Cohen's kappa", worked example: 50 applications, two
 * readers, Yes/No, table [[20,5],[10,15]]; p_o = 0.7, p_e = 0.5,
 * kappa = 0.4. With two categories all three weightings agree. */
static void test_cohen_wikipedia(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const int table[] = {20, 5, 10, 15};
	agreement_data d = table_data(a, table, 2, 1, 2);
	agreement_result r = compute(a, &d);
	assert_null(r.cohen_undefined);
	assert_close(value_of(r.cohen_unweighted), 0.4, 1e-12);
	assert_close(value_of(r.cohen_linear), 0.4, 1e-12);
	assert_close(value_of(r.cohen_quadratic), 0.4, 1e-12);
	assert_close(value_of(r.percent_exact), 0.7, 1e-15);
	assert_null(r.fleiss_kappa.undefined);
	arena_free(a);
}

/* A SAS PROC FREQ agreement printout, as reproduced in statsmodels' test
 * suite (statsmodels/stats/tests/test_inter_rater.py, TestUnweightedCohens
 * and TestWeightedCohens): table [[0,4,1],[0,8,0],[0,1,5]], simple kappa
 * 0.4842, weighted kappa with SAS's default Cicchetti-Allison (linear)
 * weights 0.4701. The first category is never used by either rater: with
 * the scale declared 1..3 it still counts in the weights. */
static void test_cohen_sas(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const int table[] = {0, 4, 1, 0, 8, 0, 0, 1, 5};
	agreement_data d = table_data(a, table, 3, 1, 3);
	agreement_result r = compute(a, &d);
	assert_close(value_of(r.cohen_unweighted), 0.4842, 5e-5);
	assert_close(value_of(r.cohen_linear), 0.4701, 5e-5);
	arena_free(a);
}

/* The anxiety ratings of the R package irr (Gamer, Lemon, Fellows and
 * Singh), raters 2 and 3 of 20 subjects on a 1-6 scale; the values irr's
 * kappa2() prints are in statsmodels' test_inter_rater.py
 * (test_cohens_kappa_irr): unweighted -0.006289308, "equal" (linear)
 * 0.1459075, "squared" (quadratic) 0.2520325. Neither rater used 5, and
 * irr weights only the levels that occur, so it treats 6 as one step above
 * 4: recoding 6 as 5 on a declared 1..5 scale reproduces irr. On the full
 * declared 1..6 scale the weighted kappas differ, as they must: 0.12621...
 * and 0.22979..., which statsmodels 0.13.5's cohens_kappa gives for the
 * 6 × 6 table. */
static const int anxiety2[20] = {3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4};
static const int anxiety3[20] = {2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2};

static void test_cohen_irr_anxiety(void **state)
{
	(void)state;
	arena *a = arena_new();
	int m[40];
	for (int i = 0; i < 20; i++) m[i] = anxiety2[i] == 6 ? 5 : anxiety2[i];
	for (int i = 0; i < 20; i++) m[20 + i] = anxiety3[i] == 6 ? 5 : anxiety3[i];
	agreement_data d = matrix_data(a, m, 2, 20, 1, 5);
	agreement_result r = compute(a, &d);
	assert_close(value_of(r.cohen_unweighted), -0.006289308, 5e-10);
	assert_close(value_of(r.cohen_linear), 0.1459075, 5e-8);
	assert_close(value_of(r.cohen_quadratic), 0.2520325, 5e-8);

	memcpy(m, anxiety2, sizeof anxiety2);
	memcpy(m + 20, anxiety3, sizeof anxiety3);
	d = matrix_data(a, m, 2, 20, 1, 6);
	r = compute(a, &d);
	assert_close(value_of(r.cohen_unweighted), -0.006289308176100635, 1e-12);
	assert_close(value_of(r.cohen_linear), 0.12621359223300965, 1e-12);
	assert_close(value_of(r.cohen_quadratic), 0.22979797979797978, 1e-12);
	arena_free(a);
}

/* Wikipedia, "Fleiss' kappa", worked example: 14 raters put 10 subjects
 * in 5 categories; P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210. The
 * table gives how many raters chose each category, so raters are named
 * here by position. */
static void test_fleiss_wikipedia(void **state)
{
	(void)state;
	static const int counts[10][5] = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0},
					  {2, 2, 8, 1, 1},  {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2},
					  {6, 5, 2, 1, 0},  {0, 2, 2, 3, 7}};
	arena *a = arena_new();
	int m[14 * 10];
	for (int u = 0; u < 10; u++) {
		int r = 0;
		for (int c = 0; c < 5; c++)
			for (int k = 0; k < counts[u][c]; k++) m[r++ * 10 + u] = c + 1;
	}
	agreement_data d = matrix_data(a, m, 14, 10, 1, 5);
	agreement_result r = compute(a, &d);
	assert_close(value_of(r.fleiss_kappa), 0.210, 5e-4);
	assert_close(value_of(r.fleiss_kappa), 0.20993070442195522, 1e-12); /* statsmodels */
	assert_string_equal(r.cohen_undefined, "needs exactly two raters");
	arena_free(a);
}

/* Fleiss (1971), "Measuring nominal scale agreement among many raters",
 * Psychological Bulletin 76(5): 30 patients, each diagnosed by 6 of the
 * psychiatrists into 5 categories; kappa = 0.430. The data as the R
 * package irr ships them ("diagnoses", raters in columns); irr's
 * kappam.fleiss gives 0.4302445. */
static const int diagnoses[30][6] = {
	{4, 4, 4, 4, 4, 4}, {2, 2, 2, 5, 5, 5}, {2, 3, 3, 3, 3, 5}, {5, 5, 5, 5, 5, 5}, {2, 2, 2, 4, 4, 4},
	{1, 1, 3, 3, 3, 3}, {3, 3, 3, 3, 5, 5}, {1, 1, 3, 3, 3, 4}, {1, 1, 4, 4, 4, 4}, {5, 5, 5, 5, 5, 5},
	{1, 4, 4, 4, 4, 4}, {1, 2, 4, 4, 4, 4}, {2, 2, 2, 3, 3, 3}, {1, 4, 4, 4, 4, 4}, {2, 2, 4, 4, 4, 5},
	{3, 3, 3, 3, 3, 5}, {1, 1, 1, 4, 5, 5}, {1, 1, 1, 1, 1, 2}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 5, 5, 5},
	{5, 5, 5, 5, 5, 5}, {2, 4, 4, 4, 4, 4}, {2, 2, 4, 5, 5, 5}, {1, 1, 4, 4, 4, 4}, {1, 4, 4, 4, 4, 5},
	{2, 2, 2, 2, 2, 4}, {1, 1, 1, 1, 5, 5}, {2, 2, 4, 4, 4, 4}, {1, 3, 3, 3, 3, 3}, {5, 5, 5, 5, 5, 5}};

static void test_fleiss_1971(void **state)
{
	(void)state;
	arena *a = arena_new();
	int m[6 * 30];
	for (int u = 0; u < 30; u++)
		for (int r = 0; r < 6; r++) m[r * 30 + u] = diagnoses[u][r];
	agreement_data d = matrix_data(a, m, 6, 30, 1, 5);
	agreement_result r = compute(a, &d);
	assert_close(value_of(r.fleiss_kappa), 0.430, 5e-4);
	assert_close(value_of(r.fleiss_kappa), 0.4302445, 5e-8);
	arena_free(a);
}

/* K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
 * section C, the example with missing data: 4 observers, 12 units, values
 * 1-5. Reported: nominal 0.743, ordinal 0.815, interval 0.849, ratio
 * 0.797 (the ordinal and ratio values are also asserted by the Python
 * package krippendorff's tests on the same data). Unit 12 has a single
 * value and is not pairable; n = 40. */
static const int krippendorff_2011[4 * 12] = {1,       2, 3, 3, 2, 1, 4, 1, 2, MISSING, MISSING, MISSING,
					      1,       2, 3, 3, 2, 2, 4, 1, 2, 5,       MISSING, 3,
					      MISSING, 3, 3, 3, 2, 3, 4, 2, 2, 5,       1,       MISSING,
					      1,       2, 3, 3, 2, 4, 4, 1, 2, 5,       1,       MISSING};

static void test_alpha_krippendorff_2011(void **state)
{
	(void)state;
	arena *a = arena_new();
	agreement_data d = matrix_data(a, krippendorff_2011, 4, 12, 1, 5);
	agreement_result r = compute(a, &d);
	assert_int_equal(r.units, 12);
	assert_int_equal(r.raters, 4);
	assert_int_equal(r.pairable_values, 40);
	assert_close(value_of(r.alpha[AGREEMENT_NOMINAL]), 0.743, 5e-4);
	assert_close(value_of(r.alpha[AGREEMENT_ORDINAL]), 0.815, 5e-4);
	assert_close(value_of(r.alpha[AGREEMENT_INTERVAL]), 0.849, 5e-4);
	assert_close(value_of(r.alpha[AGREEMENT_RATIO]), 0.797, 5e-4);
	/* Units do not all have the same number of ratings. */
	assert_non_null(r.fleiss_kappa.undefined);
	/* The interval brackets the estimate it resamples. */
	double lo = value_of(r.alpha_ordinal_lo), hi = value_of(r.alpha_ordinal_hi);
	assert_true(lo <= r.alpha[AGREEMENT_ORDINAL].value && r.alpha[AGREEMENT_ORDINAL].value <= hi);
	assert_true(hi <= 1.0);
	arena_free(a);
}

/* Wikipedia, "Krippendorff's alpha", the computational example: 3 coders,
 * 15 units, values 1-4 with many missing; alpha nominal 0.691 and interval
 * 0.811 (0.691358 and 0.810845 in the Python package krippendorff's
 * tests). Unit 2 and unit 14 have no value and units with one value are
 * left out. */
static void test_alpha_wikipedia(void **state)
{
	(void)state;
	static const int m[3 * 15] = {
		MISSING, MISSING, MISSING, MISSING, MISSING, 3,       4,       1,       2, 1, 1, 3,
		3,       MISSING, 3,       1,       MISSING, 2,       1,       3,       3, 4, 3, MISSING,
		MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, 2, 1, 3, 4,
		4,       MISSING, 2,       1,       1,       3,       3,       MISSING, 4};
	arena *a = arena_new();
	agreement_data d = matrix_data(a, m, 3, 15, 1, 4);
	agreement_result r = compute(a, &d);
	assert_close(value_of(r.alpha[AGREEMENT_NOMINAL]), 0.691358, 5e-7);
	assert_close(value_of(r.alpha[AGREEMENT_INTERVAL]), 0.810845, 5e-7);
	arena_free(a);
}

/* ---- properties ---- */

static void test_perfect_agreement(void **state)
{
	(void)state;
	arena *a = arena_new();
	int m[3 * 8];
	for (int r = 0; r < 3; r++)
		for (int u = 0; u < 8; u++) m[r * 8 + u] = 1 + u % 4;
	agreement_data d = matrix_data(a, m, 3, 8, 1, 4);
	agreement_result r = compute(a, &d);
	assert_close(value_of(r.percent_exact), 1, 0);
	assert_close(value_of(r.percent_within_one), 1, 0);
	assert_close(value_of(r.fleiss_kappa), 1, 1e-15);
	for (int k = 0; k < AGREEMENT_METRICS; k++) assert_close(value_of(r.alpha[k]), 1, 0);
	assert_close(value_of(r.alpha_ordinal_lo), 1, 0);
	assert_close(value_of(r.alpha_ordinal_hi), 1, 0);
	/* Two raters: Cohen's kappa too. */
	d = matrix_data(a, m, 2, 8, 1, 4);
	r = compute(a, &d);
	assert_close(value_of(r.cohen_unweighted), 1, 1e-15);
	assert_close(value_of(r.cohen_linear), 1, 1e-15);
	assert_close(value_of(r.cohen_quadratic), 1, 1e-15);
	arena_free(a);
}

/* Everyone gave the same value everywhere: agreement is perfect but the
 * chance-corrected statistics have nothing to correct against; they are
 * undefined with a reason, never NaN. */
static void test_no_variation_is_undefined(void **state)
{
	(void)state;
	arena *a = arena_new();
	int m[2 * 5];
	for (int i = 0; i < 10; i++) m[i] = 3;
	agreement_data d = matrix_data(a, m, 2, 5, 1, 4);
	agreement_result r = compute(a, &d);
	assert_close(value_of(r.percent_exact), 1, 0);
	for (int k = 0; k < AGREEMENT_METRICS; k++) assert_non_null(r.alpha[k].undefined);
	assert_non_null(r.fleiss_kappa.undefined);
	assert_non_null(r.cohen_unweighted.undefined);
	assert_non_null(r.alpha_ordinal_lo.undefined);
	buf b = BUF_INIT;
	agreement_write_json(a, &b, &d, &r);
	const char *json = buf_cstr(&b);
	assert_null(strstr(json, "nan"));
	assert_null(strstr(json, "inf"));
	assert_non_null(strstr(json, "\"krippendorff_alpha\":{\"nominal\":null,"));
	assert_non_null(strstr(json, "\"krippendorff_alpha.nominal\":\"every pairable value is the same"));
	buf_free(&b);
	arena_free(a);
}

static uint32_t rnd(uint64_t *state, uint32_t n)
{
	return (uint32_t)(agreement_splitmix64(state) % n);
}

/* Renaming the raters (and listing the rows in another order) changes
 * nothing alpha or Fleiss' kappa depend on. */
static void test_renaming_raters_keeps_alpha(void **state)
{
	(void)state;
	enum { R = 5, U = 40 };
	arena *a = arena_new();
	uint64_t rng = 7;
	int m[R * U], renamed[R * U];
	for (int u = 0; u < U; u++) {
		int truth = 1 + (int)rnd(&rng, 4);
		for (int r = 0; r < R; r++) {
			int v = truth + (rnd(&rng, 3) == 0 ? (rnd(&rng, 2) ? 1 : -1) : 0);
			m[r * U + u] = v < 1 ? 1 : v > 4 ? 4 : v;
		}
	}
	m[3] = MISSING; /* some missing values too */
	m[U + 7] = MISSING;
	static const int order[R] = {3, 0, 4, 1, 2};
	for (int r = 0; r < R; r++) memcpy(renamed + order[r] * U, m + r * U, sizeof(int) * U);
	agreement_data d1 = matrix_data(a, m, R, U, 1, 4), d2 = matrix_data(a, renamed, R, U, 1, 4);
	agreement_result r1 = compute(a, &d1), r2 = compute(a, &d2);
	for (int k = 0; k < AGREEMENT_METRICS; k++)
		assert_close(value_of(r2.alpha[k]), value_of(r1.alpha[k]), 1e-12);
	assert_close(value_of(r2.percent_exact), value_of(r1.percent_exact), 1e-12);
	assert_close(value_of(r2.percent_within_one), value_of(r1.percent_within_one), 1e-12);
	assert_true(value_of(r1.alpha[AGREEMENT_ORDINAL]) > 0.5);
	arena_free(a);
}

/* Values shuffled at random across units keep every value's frequency but
 * lose what made raters agree on a unit: alpha and kappa fall to about 0. */
static void test_shuffled_values_near_zero(void **state)
{
	(void)state;
	enum { R = 6, U = 600 };
	arena *a = arena_new();
	uint64_t rng = 2024;
	int *m = arena_calloc(a, R * U, sizeof *m);
	for (int u = 0; u < U; u++) {
		int truth = 1 + (int)rnd(&rng, 4);
		for (int r = 0; r < R; r++) m[r * U + u] = rnd(&rng, 5) ? truth : 1 + (int)rnd(&rng, 4);
	}
	agreement_data d = matrix_data(a, m, R, U, 1, 4);
	agreement_result before = compute(a, &d);
	assert_true(value_of(before.alpha[AGREEMENT_NOMINAL]) > 0.6);
	for (int i = R * U - 1; i > 0; i--) { /* Fisher-Yates */
		int j = (int)rnd(&rng, (uint32_t)i + 1), t = m[i];
		m[i] = m[j];
		m[j] = t;
	}
	d = matrix_data(a, m, R, U, 1, 4);
	agreement_result after = compute(a, &d);
	for (int k = 0; k < AGREEMENT_METRICS; k++) assert_close(value_of(after.alpha[k]), 0, 0.03);
	assert_close(value_of(after.fleiss_kappa), 0, 0.03);
	/* The interval of shuffled data straddles 0. */
	assert_true(value_of(after.alpha_ordinal_lo) < 0 && value_of(after.alpha_ordinal_hi) > 0);
	arena_free(a);
}

static void test_bootstrap_reproducible(void **state)
{
	(void)state;
	arena *a = arena_new();
	agreement_data d = matrix_data(a, krippendorff_2011, 4, 12, 1, 5);
	agreement_options o = {500, 42};
	agreement_result r1, r2, r3;
	agreement_compute(a, &d, &o, &r1);
	agreement_compute(a, &d, &o, &r2);
	assert_true(value_of(r1.alpha_ordinal_lo) == value_of(r2.alpha_ordinal_lo));
	assert_true(value_of(r1.alpha_ordinal_hi) == value_of(r2.alpha_ordinal_hi));
	assert_int_equal(r1.resamples_defined, 500);
	o.seed = 43;
	agreement_compute(a, &d, &o, &r3);
	assert_true(value_of(r3.alpha_ordinal_lo) != value_of(r1.alpha_ordinal_lo) ||
		    value_of(r3.alpha_ordinal_hi) != value_of(r1.alpha_ordinal_hi));
	o.resamples = 0;
	agreement_compute(a, &d, &o, &r3);
	assert_string_equal(r3.alpha_ordinal_lo.undefined, "no bootstrap resamples were asked for");
	/* splitmix64's published first output for seed 0. */
	uint64_t s = 0;
	assert_true(agreement_splitmix64(&s) == 0xe220a8397b1dcdafull);
	arena_free(a);
}

/* ---- the anchor ---- */

static void test_anchor(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char *csv = "unit,rater,value\n"
			  "1,master,3\n1,ann,3\n1,bo,1\n1,cy,2\n"
			  "2,master,2\n2,ann,3\n2,bo,2\n"
			  "3,master,4\n3,ann,4\n3,bo,2\n"
			  "4,master,1\n4,ann,3\n4,bo,1\n"
			  "5,master,2\n5,ann,2\n5,bo,2\n"
			  "6,cy,4\n6,ann,\n";
	agreement_settings s = {.anchor = "master"};
	agreement_data d;
	assert_null(agreement_read_csv_mem(a, NULL, csv, strlen(csv), &s, &d));
	agreement_result r = compute(a, &d);
	assert_true(r.has_anchor);
	assert_string_equal(d.raters[r.anchor], "master");
	assert_int_equal(r.nper_rater, 3);
	/* ann: 4 of 5 within one (0.80 exactly: passes), 3 exact. */
	assert_string_equal(d.raters[r.per_rater[0].rater], "ann");
	assert_close(value_of(r.per_rater[0].exact), 0.6, 1e-15);
	assert_close(value_of(r.per_rater[0].within_one), 0.8, 1e-15);
	assert_true(r.per_rater[0].passes);
	/* bo: within one on 3 of 5 (units 2, 4, 5). */
	assert_close(value_of(r.per_rater[1].within_one), 0.6, 1e-15);
	assert_false(r.per_rater[1].passes);
	/* cy: one unit with the anchor, within one. */
	assert_int_equal(r.per_rater[2].units, 1);
	assert_true(r.per_rater[2].passes);
	/* A missing value (ann on unit 6) counts for no one. */
	assert_int_equal(r.per_rater[0].units, 5);
	arena_free(a);
}

static void test_anchor_without_shared_units(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char *csv = "unit,rater,value\n1,m,1\n1,a,2\n2,b,3\n2,a,3\n";
	agreement_settings s = {.anchor = "m"};
	agreement_data d;
	assert_null(agreement_read_csv_mem(a, NULL, csv, strlen(csv), &s, &d));
	agreement_result r = compute(a, &d);
	assert_non_null(r.per_rater[1].exact.undefined);
	assert_false(r.per_rater[1].passes);
	buf b = BUF_INIT;
	agreement_write_json(a, &b, &d, &r);
	assert_non_null(strstr(buf_cstr(&b),
			       "{\"rater\":\"b\",\"exact\":null,\"within_one\":null,\"passes\":false}"));
	assert_non_null(
		strstr(buf_cstr(&b), "\"anchor.per_rater[1].exact\":\"rated no unit the anchor rated\""));
	buf_free(&b);
	arena_free(a);
}

/* ---- the JSON written ---- */

static void test_json_shape(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const int table[] = {20, 5, 10, 15};
	agreement_data d = table_data(a, table, 2, 1, 2);
	agreement_result r = compute(a, &d);
	buf b = BUF_INIT;
	agreement_write_json(a, &b, &d, &r);
	json_error_t err;
	json_t *j = json_loads(buf_cstr(&b), 0, &err);
	assert_non_null(j);
	static const char *const keys[] = {
		"units",       "raters",       "pairable_values",    "percent_exact", "percent_within_one",
		"cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "alpha_ci95",    "anchor",
		"reasons"};
	assert_int_equal(json_object_size(j), sizeof keys / sizeof *keys);
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) assert_non_null(json_object_get(j, keys[i]));
	assert_int_equal(json_integer_value(json_object_get(j, "units")), 50);
	/* 0.4 written as 0.4, not 0.40000000000000002. */
	assert_non_null(strstr(buf_cstr(&b), "\"cohen_kappa\":{\"unweighted\":0.4,"));
	assert_true(json_is_null(json_object_get(j, "anchor")));
	json_t *ci = json_object_get(json_object_get(j, "alpha_ci95"), "ordinal");
	assert_int_equal(json_array_size(ci), 2);
	json_decref(j);
	buf_free(&b);
	arena_free(a);
}

static void test_number_format(void **state)
{
	(void)state;
	char out[32];
	static const double values[] = {
		0.1,           1.0 / 3, 0.4, 1e-300, -0.006289308176100635, 1, -2.5, 0.20993070442195522,
		123456789.125, 5e-324};
	for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
		agreement_format_number(out, values[i]);
		assert_true(strtod(out, NULL) == values[i]);
	}
	agreement_format_number(out, 0.4);
	assert_string_equal(out, "0.4");
	agreement_format_number(out, -0.0);
	assert_string_equal(out, "0");
	agreement_format_number(out, 1);
	assert_string_equal(out, "1");
}

/* Names in JSON output are escaped; a CSV quoted field keeps its comma. */
static void test_names_escaped(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char *csv = "Unit , RATER,value\r\n\"a,1\",\"O\"\"Neil\\\",2\r\n\"a,1\",\"tab\tname\",2\r\n";
	agreement_settings s = {.anchor = "O\"Neil\\"};
	agreement_data d;
	assert_null(agreement_read_csv_mem(a, NULL, csv, strlen(csv), &s, &d));
	agreement_result r = compute(a, &d);
	buf b = BUF_INIT;
	agreement_write_json(a, &b, &d, &r);
	assert_non_null(strstr(
		buf_cstr(&b),
		"\"anchor\":{\"rater\":\"O\\\"Neil\\\\\",\"per_rater\":[{\"rater\":\"tab\\u0009name\""));
	json_error_t err;
	json_t *j = json_loads(buf_cstr(&b), 0, &err);
	assert_non_null(j);
	json_decref(j);
	buf_free(&b);
	arena_free(a);
}

/* ---- reading, and bad input ---- */

static const char *csv_error(arena *a, const char *text, const agreement_settings *s)
{
	agreement_data d;
	agreement_settings none = {0};
	return agreement_read_csv_mem(a, NULL, text, strlen(text), s ? s : &none, &d);
}

static void assert_starts(const char *got, const char *want)
{
	if (!got) fail_msg("no error, want \"%s…\"", want);
	if (strncmp(got, want, strlen(want))) fail_msg("got \"%s\", want \"%s…\"", got, want);
}

static void test_csv_bad_input(void **state)
{
	(void)state;
	arena *a = arena_new();
	agreement_settings scale = {.scale_declared = true, .scale_min = 1, .scale_max = 4};
	assert_starts(csv_error(a, "", NULL), "the file is empty");
	assert_starts(csv_error(a, "\n\n", NULL), "the file is empty");
	assert_starts(csv_error(a, "unit,rater,value\n", NULL), "the file has the header but no ratings");
	assert_starts(csv_error(a, "unit,rater,score\n1,a,1\n", NULL), "row 1: the header must name");
	assert_starts(csv_error(a, "unit,rater\n1,a\n", NULL), "row 1: the header must name");
	assert_starts(csv_error(a, "unit,rater,value,notes\n1,a,1,x\n", NULL), "row 1: the header");
	assert_starts(csv_error(a, "unit,unit,value\n1,a,1\n", NULL), "row 1: the header");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,b,three\n", NULL),
		      "row 3: value \"three\" is not a number");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,b,0x2\n", NULL), "row 3: value \"0x2\"");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,nan\n1,b,2\n", NULL), "row 2: value \"nan\"");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,b,5\n", &scale),
		      "row 3: value 5 is outside the scale 1..4");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,b,2.5\n", NULL),
		      "row 3: value 2.5 is not a whole number");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,b,2\n2,a,1\n1,a,3\n", NULL),
		      "row 5: rater \"a\" already rated unit \"1\" in row 2");
	/* The same rater with a missing value twice is still given twice. */
	assert_starts(csv_error(a, "unit,rater,value\n1,a,\n1, a ,\n", NULL), "row 3: rater \"a\"");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n2,a,2\n", NULL),
		      "every rating is by one rater (\"a\")");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,,2\n", NULL), "row 3: the rater is empty");
	assert_starts(csv_error(a, "unit,rater,value\n ,a,1\n", NULL), "row 2: the unit is empty");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,b\n", NULL), "row 3: the row has 2 fields");
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,b,0\n2,a,200\n", NULL),
		      "the values run from 0 to 200");
	agreement_settings anchor = {.anchor = "zed"};
	assert_starts(csv_error(a, "unit,rater,value\n1,a,1\n1,b,2\n", &anchor),
		      "the anchor rater \"zed\" gave no ratings here");
	/* Not UTF-8. */
	assert_starts(csv_error(a, "unit,rater,value\n1,\xff,1\n", NULL), "row 2");
	arena_free(a);
}

static void test_csv_limits(void **state)
{
	(void)state;
	arena *a = arena_new();
	buf b = BUF_INIT;
	buf_puts(&b, "unit,rater,value\n");
	for (int r = 0; r <= AGREEMENT_MAX_RATERS; r++) buf_printf(&b, "u,r%d,1\n", r);
	assert_starts(csv_error(a, buf_cstr(&b), NULL), "row 10002: more than 10000 raters");
	buf_reset(&b);
	buf_puts(&b, "unit,rater,value\n");
	for (int i = 0; i <= AGREEMENT_MAX_RATINGS; i++) buf_printf(&b, "%d,r%d,1\n", i / 2, i % 2);
	assert_starts(csv_error(a, buf_cstr(&b), NULL), "row 1000002: more than 1000000 ratings");
	buf_free(&b);
	char name[AGREEMENT_MAX_NAME + 40];
	memset(name, 'x', sizeof name);
	name[sizeof name - 1] = '\0';
	assert_starts(csv_error(a, arena_printf(a, "unit,rater,value\n%s,a,1\n", name), NULL),
		      "row 2: the unit is longer than 256 bytes");
	arena_free(a);
}

static void test_scale_parse(void **state)
{
	(void)state;
	int32_t lo, hi;
	assert_null(agreement_parse_scale("1..4", &lo, &hi));
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 4);
	assert_null(agreement_parse_scale("-2..2", &lo, &hi));
	assert_int_equal(lo, -2);
	assert_non_null(agreement_parse_scale("4..1", &lo, &hi));
	assert_non_null(agreement_parse_scale("3..3", &lo, &hi));
	assert_non_null(agreement_parse_scale("1-4", &lo, &hi));
	assert_non_null(agreement_parse_scale("1..x", &lo, &hi));
	assert_non_null(agreement_parse_scale("0..101", &lo, &hi));
	assert_null(agreement_parse_scale("0..100", &lo, &hi));
	assert_non_null(agreement_parse_scale("..4", &lo, &hi));
	assert_non_null(agreement_parse_scale("99999999999..100000000000", &lo, &hi));
}

/* A declared scale counts in Cohen's weights even where the data do not
 * reach, and a rating outside it is refused. */
static void test_csv_missing_and_scale(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char *csv = "unit,rater,value\n1,a,1\n1,b,2\n2,a,2\n2,b,2\n3,a, \n3,b,1\n";
	agreement_settings s = {.scale_declared = true, .scale_min = 1, .scale_max = 4};
	agreement_data d;
	assert_null(agreement_read_csv_mem(a, NULL, csv, strlen(csv), &s, &d));
	assert_int_equal(d.nratings, 6);
	assert_true(d.ratings[4].missing);
	agreement_result r = compute(a, &d);
	assert_int_equal(r.units, 3);
	assert_int_equal(r.pairable_values, 4);
	assert_close(value_of(r.percent_exact), 0.5, 0);
	assert_close(value_of(r.percent_within_one), 1, 0);
	/* Unit 3 has one rating: not the same number as the others. */
	assert_non_null(r.fleiss_kappa.undefined);
	/* Units 1 and 2 only; a gave 1 and 2, b gave 2 twice: b never varies,
	 * so whatever a does agrees only as much as chance, on any weights. */
	assert_close(value_of(r.cohen_unweighted), 0, 1e-15);
	assert_close(value_of(r.cohen_linear), 0, 1e-15);
	assert_close(value_of(r.cohen_quadratic), 0, 1e-15);
	arena_free(a);
}

static const char *json_error(arena *a, const char *text)
{
	agreement_data d;
	agreement_settings none = {0};
	return agreement_read_json(a, text, strlen(text), &none, &d);
}

static void test_json_input(void **state)
{
	(void)state;
	arena *a = arena_new();
	const char *body =
		"{\"scale\":[1,4],\"anchor\":\"m\",\"ratings\":["
		"{\"unit\":1,\"rater\":\"m\",\"value\":2},{\"unit\":1,\"rater\":\"a\",\"value\":3},"
		"{\"unit\":\"two\",\"rater\":\"m\",\"value\":4},{\"unit\":\"two\",\"rater\":7,\"value\":null}"
		","
		"{\"unit\":1.5,\"rater\":\"a\",\"value\":4.0}]}";
	agreement_settings none = {0};
	agreement_data d;
	assert_null(agreement_read_json(a, body, strlen(body), &none, &d));
	assert_int_equal(d.nunits, 3);
	assert_string_equal(d.units[0], "1");
	assert_string_equal(d.units[2], "1.5");
	assert_string_equal(d.raters[2], "7");
	assert_true(d.scale_declared);
	assert_int_equal(d.scale_max, 4);
	assert_string_equal(d.raters[d.anchor], "m");

	assert_starts(json_error(a, "{\"ratings\":["), "the body is not JSON");
	assert_starts(json_error(a, "[]"), "the body must be a JSON object");
	assert_starts(json_error(a, "{}"), "ratings must be an array");
	assert_starts(json_error(a, "{\"ratings\":[]}"), "ratings is empty");
	assert_starts(json_error(a, "{\"ratings\":[],\"extra\":1}"), "unknown member \"extra\"");
	assert_starts(json_error(a, "{\"scale\":[4,1],\"ratings\":[]}"), "scale: ");
	assert_starts(json_error(a, "{\"scale\":\"1..4\",\"ratings\":[]}"), "scale must be [min, max]");
	assert_starts(json_error(a,
				 "{\"ratings\":[{\"unit\":1,\"rater\":\"a\",\"value\":1},"
				 "{\"unit\":1,\"rater\":\"b\",\"value\":\"x\"}]}"),
		      "ratings[1]: value \"x\" is not a number");
	assert_starts(json_error(a, "{\"ratings\":[{\"unit\":true,\"rater\":\"a\",\"value\":1}]}"),
		      "ratings[0]: unit must be a string or a number");
	assert_starts(json_error(a, "{\"ratings\":[{\"unit\":1,\"rater\":\"a\"}]}"),
		      "ratings[0]: the value is missing");
	assert_starts(json_error(a, "{\"ratings\":[{\"unit\":1,\"rater\":\"a\",\"value\":1,\"note\":2}]}"),
		      "ratings[0]: unknown member \"note\"");
	assert_starts(json_error(a, "{\"ratings\":[3]}"), "ratings[0] must be an object");
	assert_starts(json_error(a,
				 "{\"scale\":[1,4],\"ratings\":[{\"unit\":1,\"rater\":\"a\",\"value\":1},"
				 "{\"unit\":1,\"rater\":\"b\",\"value\":9}]}"),
		      "ratings[1]: value 9 is outside the scale 1..4");
	assert_starts(json_error(a,
				 "{\"ratings\":[{\"unit\":1,\"rater\":\"a\",\"value\":1},"
				 "{\"unit\":1,\"rater\":\"a\",\"value\":2}]}"),
		      "ratings[1]: rater \"a\" already rated unit \"1\" in ratings[0]");
	assert_starts(json_error(a, "{\"ratings\":[{\"unit\":1,\"rater\":\"a\",\"value\":1}]}"),
		      "every rating is by one rater");
	assert_starts(json_error(a,
				 "{\"anchor\":\"q\",\"ratings\":[{\"unit\":1,\"rater\":\"a\",\"value\":1},"
				 "{\"unit\":1,\"rater\":\"b\",\"value\":1}]}"),
		      "the anchor rater \"q\"");
	assert_starts(json_error(a, "{\"ratings\":[],\"ratings\":[]}"), "the body is not JSON");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cohen_wikipedia),
		cmocka_unit_test(test_cohen_sas),
		cmocka_unit_test(test_cohen_irr_anxiety),
		cmocka_unit_test(test_fleiss_wikipedia),
		cmocka_unit_test(test_fleiss_1971),
		cmocka_unit_test(test_alpha_krippendorff_2011),
		cmocka_unit_test(test_alpha_wikipedia),
		cmocka_unit_test(test_perfect_agreement),
		cmocka_unit_test(test_no_variation_is_undefined),
		cmocka_unit_test(test_renaming_raters_keeps_alpha),
		cmocka_unit_test(test_shuffled_values_near_zero),
		cmocka_unit_test(test_bootstrap_reproducible),
		cmocka_unit_test(test_anchor),
		cmocka_unit_test(test_anchor_without_shared_units),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_number_format),
		cmocka_unit_test(test_names_escaped),
		cmocka_unit_test(test_csv_bad_input),
		cmocka_unit_test(test_csv_limits),
		cmocka_unit_test(test_scale_parse),
		cmocka_unit_test(test_csv_missing_and_scale),
		cmocka_unit_test(test_json_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
