/* The agreement statistics, pure arithmetic on a checked set of ratings:
 * pairwise exact and within-one agreement, Cohen's kappa (unweighted,
 * linear, quadratic; weights over the whole declared scale), Fleiss'
 * kappa, Krippendorff's alpha for four metrics with missing values, a
 * percentile bootstrap interval for ordinal alpha, and each rater against
 * an anchor. Krippendorff's alpha follows K. Krippendorff, "Computing
 * Krippendorff's Alpha-Reliability" (2011): the coincidence matrix, and
 * for the ordinal metric the marginal frequencies of the values between
 * two values. Every statistic that cannot be computed says why instead of
 * becoming NaN. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"

/* Work the bootstrap may do (coincidence cells touched over all
 * resamples) before it declines: seconds, not hours, on any input. */
#define BOOTSTRAP_BUDGET 2000000000.0

static const char no_pairs[] = "no unit has two or more values";
static const char one_value[] = "every pairable value is the same, so no disagreement is expected by chance";

/* The values of one unit, counted by scale point. */
typedef struct tally {
	size_t first, n; /* into the entries of all units */
	uint32_t m;      /* values in the unit */
} tally;

typedef struct tally_entry {
	uint32_t point; /* value - scale_min */
	uint32_t count;
} tally_entry;

/* The ratings grouped by unit, missing ones left out. */
typedef struct grouped {
	size_t *start; /* nunits + 1 offsets into rater and point */
	uint32_t *rater;
	uint32_t *point;
	size_t points;  /* of the scale */
	tally *tallies; /* one per unit */
	tally_entry *entries;
	size_t *pairable; /* units with m >= 2, in order */
	size_t npairable;
} grouped;

static agreement_stat defined(double v)
{
	if (!isfinite(v)) return (agreement_stat){0, "the computation did not give a finite number"};
	return (agreement_stat){v, NULL};
}

static agreement_stat undefined(const char *why)
{
	return (agreement_stat){0, why};
}

uint64_t agreement_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void group_by_unit(arena *a, const agreement_data *d, grouped *g)
{
	g->points = (size_t)((int64_t)d->scale_max - d->scale_min + 1);
	g->start = arena_calloc(a, d->nunits + 1, sizeof *g->start);
	size_t values = 0;
	for (size_t i = 0; i < d->nratings; i++)
		if (!d->ratings[i].missing) g->start[d->ratings[i].unit + 1]++, values++;
	for (size_t u = 0; u < d->nunits; u++) g->start[u + 1] += g->start[u];
	size_t *fill = arena_calloc(a, d->nunits, sizeof *fill);
	g->rater = arena_calloc(a, values + 1, sizeof *g->rater);
	g->point = arena_calloc(a, values + 1, sizeof *g->point);
	for (size_t i = 0; i < d->nratings; i++) {
		const agreement_rating *r = &d->ratings[i];
		if (r->missing) continue;
		size_t at = g->start[r->unit] + fill[r->unit]++;
		g->rater[at] = r->rater;
		g->point[at] = (uint32_t)(r->value - d->scale_min);
	}
	/* Tallies: each unit's values counted by point, in point order. */
	uint32_t *count = arena_calloc(a, g->points, sizeof *count);
	g->tallies = arena_calloc(a, d->nunits, sizeof *g->tallies);
	g->entries = arena_calloc(a, values + 1, sizeof *g->entries);
	g->pairable = arena_calloc(a, d->nunits + 1, sizeof *g->pairable);
	size_t e = 0;
	for (size_t u = 0; u < d->nunits; u++) {
		tally *t = &g->tallies[u];
		t->first = e;
		t->m = (uint32_t)(g->start[u + 1] - g->start[u]);
		for (size_t i = g->start[u]; i < g->start[u + 1]; i++) count[g->point[i]]++;
		/* Walking the scale costs points per unit; walking the unit's
		 * values and clearing as we go costs only its values. */
		for (size_t i = g->start[u]; i < g->start[u + 1]; i++) {
			uint32_t p = g->point[i];
			if (!count[p]) continue;
			g->entries[e++] = (tally_entry){p, count[p]};
			count[p] = 0;
		}
		t->n = e - t->first;
		if (t->m >= 2) g->pairable[g->npairable++] = u;
	}
}

/* ---- pairwise agreement ---- */

static void pairwise(const grouped *g, size_t nunits, agreement_result *r)
{
	double pairs = 0, exact = 0, within = 0;
	for (size_t u = 0; u < nunits; u++) {
		const tally *t = &g->tallies[u];
		const tally_entry *e = g->entries + t->first;
		pairs += (double)t->m * (t->m - 1) / 2;
		for (size_t i = 0; i < t->n; i++) {
			exact += (double)e[i].count * (e[i].count - 1) / 2;
			for (size_t j = 0; j < t->n; j++)
				if (e[j].point == e[i].point + 1) within += (double)e[i].count * e[j].count;
		}
	}
	within += exact;
	if (pairs == 0) {
		r->percent_exact = r->percent_within_one = undefined(no_pairs);
		return;
	}
	r->percent_exact = defined(exact / pairs);
	r->percent_within_one = defined(within / pairs);
}

/* ---- Krippendorff's alpha ---- */

static double distance(agreement_metric m, size_t c, size_t k, int32_t min, const double *cum,
		       const double *nc)
{
	if (c == k) return 0;
	double vc = (double)min + (double)c, vk = (double)min + (double)k;
	switch (m) {
	case AGREEMENT_NOMINAL: return 1;
	case AGREEMENT_ORDINAL: {
		size_t lo = c < k ? c : k, hi = c < k ? k : c;
		double between = cum[hi + 1] - cum[lo] - (nc[lo] + nc[hi]) / 2;
		return between * between;
	}
	case AGREEMENT_INTERVAL: return (vc - vk) * (vc - vk);
	case AGREEMENT_RATIO: {
		double s = vc + vk;
		return s == 0 ? 0 : ((vc - vk) / s) * ((vc - vk) / s);
	}
	default: return 0;
	}
}

agreement_stat agreement_alpha_from_coincidences(const double *o, size_t points, int32_t min,
						 agreement_metric m)
{
	if (m == AGREEMENT_RATIO && min < 0)
		return undefined("the ratio metric needs a scale that starts at 0 or above");
	double nc[AGREEMENT_MAX_POINTS], cum[AGREEMENT_MAX_POINTS + 1], n = 0;
	if (points > AGREEMENT_MAX_POINTS) return undefined("the scale has too many points");
	cum[0] = 0;
	for (size_t c = 0; c < points; c++) {
		nc[c] = 0;
		for (size_t k = 0; k < points; k++) nc[c] += o[c * points + k];
		n += nc[c];
		cum[c + 1] = cum[c] + nc[c];
	}
	if (n < 2) return undefined(no_pairs);
	double observed = 0, expected = 0;
	for (size_t c = 0; c < points; c++) {
		for (size_t k = 0; k < points; k++) {
			if (c == k || !nc[c] || !nc[k]) continue;
			double delta = distance(m, c, k, min, cum, nc);
			observed += o[c * points + k] * delta;
			expected += nc[c] * nc[k] * delta;
		}
	}
	if (!(expected > 0)) return undefined(one_value);
	return defined(1 - (n - 1) * observed / expected);
}

/* Adds times copies of unit t's pairs to the coincidence matrix: each
 * ordered pair of its values counts 1 / (m - 1). */
static void add_coincidences(double *o, size_t points, const tally *t, const tally_entry *e, double times)
{
	double w = times / (t->m - 1);
	for (size_t i = 0; i < t->n; i++)
		for (size_t j = 0; j < t->n; j++) {
			double pairs = (double)e[i].count * (e[j].count - (i == j));
			if (pairs) o[e[i].point * points + e[j].point] += w * pairs;
		}
}

static void krippendorff(arena *a, const grouped *g, int32_t min, agreement_result *r)
{
	double *o = arena_calloc(a, g->points * g->points, sizeof *o);
	for (size_t i = 0; i < g->npairable; i++) {
		const tally *t = &g->tallies[g->pairable[i]];
		add_coincidences(o, g->points, t, g->entries + t->first, 1);
		r->pairable_values += t->m;
	}
	for (int m = 0; m < AGREEMENT_METRICS; m++)
		r->alpha[m] = agreement_alpha_from_coincidences(o, g->points, min, (agreement_metric)m);
}

static int by_value(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* The p-quantile of sorted values with linear interpolation between
 * order statistics (Hyndman and Fan's type 7, numpy's default). */
static double quantile(const double *v, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n) return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* Resamples the pairable units with replacement; each resample's ordinal
 * alpha is computed afresh (the ordinal distances depend on the
 * resample's own marginal frequencies). */
static void bootstrap(arena *a, const grouped *g, int32_t min, const agreement_options *opt,
		      agreement_result *r)
{
	const char *why = NULL;
	size_t p = g->npairable;
	double work = 0;
	for (size_t i = 0; i < p; i++) {
		const tally *t = &g->tallies[g->pairable[i]];
		work += (double)t->n * t->n;
	}
	work = (work + (double)p + (double)(g->points * g->points)) * opt->resamples;
	if (r->alpha[AGREEMENT_ORDINAL].undefined) why = "ordinal alpha is undefined";
	else if (!opt->resamples) why = "no bootstrap resamples were asked for";
	else if (work > BOOTSTRAP_BUDGET) why = "too much work for the bootstrap: ask for fewer resamples";
	if (why) {
		r->alpha_ordinal_lo = r->alpha_ordinal_hi = undefined(why);
		return;
	}
	uint64_t state = opt->seed;
	uint32_t *times = arena_calloc(a, p, sizeof *times);
	double *o = arena_calloc(a, g->points * g->points, sizeof *o);
	double *alphas = arena_calloc(a, opt->resamples, sizeof *alphas);
	size_t got = 0;
	for (uint32_t b = 0; b < opt->resamples; b++) {
		memset(times, 0, p * sizeof *times);
		for (size_t i = 0; i < p; i++) times[agreement_splitmix64(&state) % p]++;
		memset(o, 0, g->points * g->points * sizeof *o);
		for (size_t i = 0; i < p; i++) {
			if (!times[i]) continue;
			const tally *t = &g->tallies[g->pairable[i]];
			add_coincidences(o, g->points, t, g->entries + t->first, times[i]);
		}
		agreement_stat s = agreement_alpha_from_coincidences(o, g->points, min, AGREEMENT_ORDINAL);
		if (!s.undefined) alphas[got++] = s.value;
	}
	r->resamples_defined = got;
	if (!got) {
		r->alpha_ordinal_lo = r->alpha_ordinal_hi =
			undefined("no resample had a defined ordinal alpha");
		return;
	}
	qsort(alphas, got, sizeof *alphas, by_value);
	r->alpha_ordinal_lo = defined(quantile(alphas, got, 0.025));
	r->alpha_ordinal_hi = defined(quantile(alphas, got, 0.975));
}

/* ---- kappas ---- */

/* Fleiss (1971): every unit rated the same number of times. Sums are of
 * whole counts, so the test for "only one category used" is exact. */
static void fleiss(arena *a, const grouped *g, size_t nunits, agreement_result *r)
{
	uint32_t n = nunits ? g->tallies[0].m : 0, lo = n, hi = n;
	for (size_t u = 0; u < nunits; u++) {
		if (g->tallies[u].m < lo) lo = g->tallies[u].m;
		if (g->tallies[u].m > hi) hi = g->tallies[u].m;
	}
	if (lo != hi) {
		r->fleiss_kappa = undefined(arena_printf(a,
							 "needs every unit to have the same number of "
							 "ratings; these have from %u to %u",
							 (unsigned)lo, (unsigned)hi));
		return;
	}
	if (n < 2) {
		r->fleiss_kappa = undefined("needs two or more ratings of every unit");
		return;
	}
	double *col = arena_calloc(a, g->points, sizeof *col);
	double squares = 0;
	for (size_t u = 0; u < nunits; u++) {
		const tally *t = &g->tallies[u];
		for (size_t i = 0; i < t->n; i++) {
			const tally_entry *e = &g->entries[t->first + i];
			squares += (double)e->count * e->count;
			col[e->point] += e->count;
		}
	}
	double total = (double)nunits * n, chance = 0;
	for (size_t c = 0; c < g->points; c++) chance += col[c] * col[c];
	double denominator = total * total - chance;
	if (!(denominator > 0)) {
		r->fleiss_kappa = undefined("every rating is the same, so agreement by chance is certain");
		return;
	}
	/* (P - Pe) / (1 - Pe) with P = (squares - total) / (total (n - 1))
	 * and Pe = chance / total², multiplied through by total². */
	double agreeing = (squares - total) * total / (n - 1);
	r->fleiss_kappa = defined((agreeing - chance) / denominator);
}

typedef enum weighting { UNWEIGHTED, LINEAR, QUADRATIC } weighting;

static double weight(weighting w, size_t i, size_t j, size_t points)
{
	if (w == UNWEIGHTED || points < 2) return i == j;
	double d = fabs((double)i - (double)j) / (double)(points - 1);
	return w == LINEAR ? 1 - d : 1 - d * d;
}

/* Cohen (1960, 1968) on a points × points table of counts, with agreement
 * weights over the whole scale: (po - pe) / (1 - pe), scaled by n². */
static agreement_stat cohen(const double *table, const double *rows, const double *cols, size_t points,
			    double n, weighting w)
{
	if (w != UNWEIGHTED && points < 2) return undefined("the scale has a single point");
	double observed = 0, chance = 0;
	for (size_t i = 0; i < points; i++)
		for (size_t j = 0; j < points; j++) {
			double wt = weight(w, i, j, points);
			observed += wt * table[i * points + j];
			chance += wt * rows[i] * cols[j];
		}
	double denominator = n * n - chance;
	if (!(denominator > 1e-9 * n * n))
		return undefined("both raters gave every unit the same value, so agreement by chance "
				 "is certain");
	return defined((n * observed - chance) / denominator);
}

static void cohens(arena *a, const grouped *g, size_t nunits, agreement_result *r)
{
	size_t points = g->points;
	double *table = arena_calloc(a, points * points, sizeof *table);
	double *rows = arena_calloc(a, points, sizeof *rows);
	double *cols = arena_calloc(a, points, sizeof *cols);
	double n = 0;
	for (size_t u = 0; u < nunits; u++) {
		if (g->start[u + 1] - g->start[u] != 2) continue;
		size_t i = g->start[u];
		uint32_t first = g->rater[i] == 0 ? g->point[i] : g->point[i + 1];
		uint32_t second = g->rater[i] == 0 ? g->point[i + 1] : g->point[i];
		table[first * points + second]++;
		rows[first]++;
		cols[second]++;
		n++;
	}
	if (!n) {
		r->cohen_undefined = "the two raters have no unit they both rated";
		return;
	}
	r->cohen_unweighted = cohen(table, rows, cols, points, n, UNWEIGHTED);
	r->cohen_linear = cohen(table, rows, cols, points, n, LINEAR);
	r->cohen_quadratic = cohen(table, rows, cols, points, n, QUADRATIC);
}

/* ---- the anchor ---- */

static void against_anchor(arena *a, const agreement_data *d, const grouped *g, agreement_result *r)
{
	size_t n = d->nraters, anchor = (size_t)d->anchor;
	size_t *shared = arena_calloc(a, n, sizeof *shared);
	size_t *exact = arena_calloc(a, n, sizeof *exact);
	size_t *within = arena_calloc(a, n, sizeof *within);
	for (size_t u = 0; u < d->nunits; u++) {
		int64_t at = -1;
		for (size_t i = g->start[u]; i < g->start[u + 1] && at < 0; i++)
			if (g->rater[i] == anchor) at = g->point[i];
		if (at < 0) continue;
		for (size_t i = g->start[u]; i < g->start[u + 1]; i++) {
			size_t who = g->rater[i];
			if (who == anchor) continue;
			int64_t diff = (int64_t)g->point[i] - at;
			shared[who]++;
			exact[who] += diff == 0;
			within[who] += diff >= -1 && diff <= 1;
		}
	}
	r->has_anchor = true;
	r->anchor = anchor;
	r->per_rater = arena_calloc(a, n, sizeof *r->per_rater);
	for (size_t who = 0; who < n; who++) {
		if (who == anchor) continue;
		agreement_anchor_row *row = &r->per_rater[r->nper_rater++];
		row->rater = who;
		row->units = shared[who];
		if (!shared[who]) {
			row->exact = row->within_one = undefined("rated no unit the anchor rated");
			continue;
		}
		row->exact = defined((double)exact[who] / (double)shared[who]);
		row->within_one = defined((double)within[who] / (double)shared[who]);
		/* Whole numbers, so 0.80 is met exactly, not to a rounding. */
		row->passes = within[who] * AGREEMENT_PASS_DEN >= shared[who] * AGREEMENT_PASS_NUM;
	}
}

void agreement_compute(arena *a, const agreement_data *d, const agreement_options *o, agreement_result *r)
{
	*r = (agreement_result){.units = d->nunits, .raters = d->nraters};
	grouped g = {0};
	group_by_unit(a, d, &g);
	pairwise(&g, d->nunits, r);
	krippendorff(a, &g, d->scale_min, r);
	bootstrap(a, &g, d->scale_min, o, r);
	fleiss(a, &g, d->nunits, r);
	if (d->nraters == 2) cohens(a, &g, d->nunits, r);
	else r->cohen_undefined = "needs exactly two raters";
	if (d->anchor >= 0) against_anchor(a, d, &g, r);
}

/* Numbers are written with the fewest digits that read back to the same
 * double, so a statistic is the same in JSON, CSV and on a page. */
void agreement_format_number(char out[32], double v)
{
	if (v == 0) {
		strcpy(out, "0");
		return;
	}
	for (int digits = 1; digits <= 17; digits++) {
		snprintf(out, 32, "%.*g", digits, v);
		if (strtod(out, NULL) == v) return;
	}
}
