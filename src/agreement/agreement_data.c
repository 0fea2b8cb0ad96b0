/* Building a checked set of ratings row by row, whatever the rows come
 * from: names interned in order of first appearance, each (unit, rater)
 * pair at most once, each value a whole point of the scale. Every problem
 * names its row, so a facilitator can find it in the spreadsheet. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "../base/strmap.h"
#include "agreement.h"

/* Names as they arrive, in order; the map gives a name's index + 1. */
typedef struct names {
	strmap index;
	const char **list;
	size_t n, cap;
} names;

struct agreement_input {
	arena *a;
	agreement_settings s;
	strpool pool;
	names units, raters;
	agreement_rating *ratings;
	size_t *origins; /* where each rating came from, for "already in row 4" */
	size_t n, cap;
	/* (unit, rater) pairs seen: open addressing on unit << 32 | rater;
	 * a slot holds the rating's index + 1, 0 when empty. */
	uint32_t *pair_slots;
	size_t pair_cap;
	bool have_value;
	int32_t vmin, vmax;
};

static const char *quoted(arena *a, const char *s)
{
	size_t n = strlen(s);
	return n > 40 ? arena_printf(a, "\"%.40s…\"", s) : arena_printf(a, "\"%s\"", s);
}

const char *agreement_where(agreement_input *in, size_t where)
{
	return in->s.origin == AGREEMENT_FROM_CSV ? arena_printf(in->a, "row %zu", where)
						  : arena_printf(in->a, "ratings[%zu]", where);
}

agreement_input *agreement_input_new(arena *a, const agreement_settings *s)
{
	agreement_input *in = arena_alloc(a, sizeof *in);
	in->a = a;
	in->s = *s;
	strpool_init(&in->pool, a);
	strmap_init(&in->units.index, a, 64);
	strmap_init(&in->raters.index, a, 16);
	return in;
}

static void *grown(arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	if (n < *cap) return old;
	size_t want = *cap ? *cap * 2 : 64;
	void *p = arena_calloc(a, want, size);
	if (n) memcpy(p, old, n * size);
	*cap = want;
	return p;
}

/* The name without surrounding white space, or NULL with *why set. */
static const char *clean_name(agreement_input *in, const char *s, const char *what, const char **why)
{
	const char *b = s, *e = s + strlen(s);
	while (b < e && isspace((unsigned char)*b)) b++;
	while (e > b && isspace((unsigned char)e[-1])) e--;
	if (b == e) {
		*why = arena_printf(in->a, "the %s is empty", what);
		return NULL;
	}
	if ((size_t)(e - b) > AGREEMENT_MAX_NAME) {
		*why = arena_printf(in->a, "the %s is longer than %d bytes", what, AGREEMENT_MAX_NAME);
		return NULL;
	}
	return (b == s && !*e) ? s : arena_strndup(in->a, b, (size_t)(e - b));
}

/* The name's index, adding it when new; -1 when the list is full. */
static int64_t intern(agreement_input *in, names *l, const char *name, size_t max)
{
	void *v = strmap_get(&l->index, name);
	if (v) return (int64_t)(uintptr_t)v - 1;
	if (l->n >= max) return -1;
	const char *kept = strpool_add(&in->pool, name, strlen(name));
	l->list = grown(in->a, l->list, l->n, &l->cap, sizeof *l->list);
	l->list[l->n] = kept;
	strmap_put(&l->index, kept, (void *)(uintptr_t)(l->n + 1));
	return (int64_t)l->n++;
}

static uint64_t pair_hash(uint32_t unit, uint32_t rater)
{
	uint64_t h = ((uint64_t)unit << 32 | rater) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 31);
}

static uint32_t *pair_slot(agreement_input *in, uint32_t unit, uint32_t rater)
{
	size_t mask = in->pair_cap - 1;
	for (size_t i = (size_t)pair_hash(unit, rater) & mask;; i = (i + 1) & mask) {
		uint32_t *slot = &in->pair_slots[i];
		if (!*slot) return slot;
		const agreement_rating *r = &in->ratings[*slot - 1];
		if (r->unit == unit && r->rater == rater) return slot;
	}
}

static void pairs_grow(agreement_input *in)
{
	if (in->pair_cap && (in->n + 1) * 10 < in->pair_cap * 7) return;
	size_t cap = in->pair_cap ? in->pair_cap * 2 : 256;
	in->pair_slots = arena_calloc(in->a, cap, sizeof *in->pair_slots);
	in->pair_cap = cap;
	for (size_t i = 0; i < in->n; i++)
		*pair_slot(in, in->ratings[i].unit, in->ratings[i].rater) = (uint32_t)(i + 1);
}

static const char *check_value(agreement_input *in, double v, int32_t *out)
{
	char text[32];
	agreement_format_number(text, v);
	if (v != floor(v))
		return arena_printf(in->a, "value %s is not a whole number: ratings are points on the scale",
				    text);
	if (in->s.scale_declared && (v < in->s.scale_min || v > in->s.scale_max))
		return arena_printf(in->a, "value %s is outside the scale %d..%d", text, (int)in->s.scale_min,
				    (int)in->s.scale_max);
	if (fabs(v) > AGREEMENT_MAX_ABS_VALUE)
		return arena_printf(in->a, "value %s is beyond ±%d", text, AGREEMENT_MAX_ABS_VALUE);
	*out = (int32_t)v;
	return NULL;
}

const char *agreement_input_add(agreement_input *in, size_t where, const char *unit, const char *rater,
				bool missing, double value)
{
	const char *why = NULL;
	const char *u = clean_name(in, unit, "unit", &why);
	const char *r = u ? clean_name(in, rater, "rater", &why) : NULL;
	int32_t v = 0;
	if (!why && !missing && !isfinite(value)) why = "the value is not a finite number";
	if (!why && !missing) why = check_value(in, value, &v);
	if (!why && in->n >= AGREEMENT_MAX_RATINGS)
		why = arena_printf(in->a, "more than %d ratings: split the file", AGREEMENT_MAX_RATINGS);
	if (why) return arena_printf(in->a, "%s: %s", agreement_where(in, where), why);
	int64_t ui = intern(in, &in->units, u, AGREEMENT_MAX_RATINGS);
	int64_t ri = intern(in, &in->raters, r, AGREEMENT_MAX_RATERS);
	if (ri < 0)
		return arena_printf(in->a, "%s: more than %d raters", agreement_where(in, where),
				    AGREEMENT_MAX_RATERS);
	pairs_grow(in);
	uint32_t *slot = pair_slot(in, (uint32_t)ui, (uint32_t)ri);
	if (*slot)
		return arena_printf(in->a, "%s: rater %s already rated unit %s in %s",
				    agreement_where(in, where), quoted(in->a, r), quoted(in->a, u),
				    agreement_where(in, in->origins[*slot - 1]));
	if (in->n == in->cap) {
		size_t cap = in->cap;
		in->ratings = grown(in->a, in->ratings, in->n, &cap, sizeof *in->ratings);
		in->origins = grown(in->a, in->origins, in->n, &in->cap, sizeof *in->origins);
	}
	in->ratings[in->n] = (agreement_rating){(uint32_t)ui, (uint32_t)ri, v, missing};
	in->origins[in->n] = where;
	*slot = (uint32_t)++in->n;
	if (!missing) {
		if (!in->have_value || v < in->vmin) in->vmin = v;
		if (!in->have_value || v > in->vmax) in->vmax = v;
		in->have_value = true;
	}
	return NULL;
}

/* A decimal number as JSON writes one, with an optional sign and no hex,
 * infinities or NaN, which strtod would also take. */
static bool decimal_text(const char *s)
{
	if (*s == '+' || *s == '-') s++;
	size_t whole = strspn(s, "0123456789");
	s += whole;
	size_t frac = 0;
	if (*s == '.') {
		frac = strspn(s + 1, "0123456789");
		s += 1 + frac;
	}
	if (!whole && !frac) return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-') s++;
		size_t exp = strspn(s, "0123456789");
		if (!exp) return false;
		s += exp;
	}
	return *s == '\0';
}

const char *agreement_input_add_text(agreement_input *in, size_t where, const char *unit, const char *rater,
				     const char *value)
{
	const char *b = value, *e = value + strlen(value);
	while (b < e && isspace((unsigned char)*b)) b++;
	while (e > b && isspace((unsigned char)e[-1])) e--;
	if (b == e) return agreement_input_add(in, where, unit, rater, true, 0);
	const char *text = arena_strndup(in->a, b, (size_t)(e - b));
	if (!decimal_text(text))
		return arena_printf(in->a, "%s: value %s is not a number", agreement_where(in, where),
				    quoted(in->a, text));
	return agreement_input_add(in, where, unit, rater, false, strtod(text, NULL));
}

const char *agreement_check_scale(int64_t min, int64_t max)
{
	if (min < -AGREEMENT_MAX_ABS_VALUE || max > AGREEMENT_MAX_ABS_VALUE)
		return "the scale's ends must lie within ±1000000";
	if (min >= max) return "the scale must run from a smaller to a larger whole number";
	if (max - min + 1 > AGREEMENT_MAX_POINTS) return "a scale has at most 101 points";
	return NULL;
}

const char *agreement_parse_scale(const char *text, int32_t *min, int32_t *max)
{
	const char *dots = text ? strstr(text, "..") : NULL;
	int64_t lo, hi;
	if (!dots) return "the scale must be written MIN..MAX, e.g. 1..4";
	char left[24];
	size_t n = (size_t)(dots - text);
	if (n >= sizeof left) return "the scale must be written MIN..MAX with whole numbers";
	memcpy(left, text, n);
	left[n] = '\0';
	if (!parse_i64(left, INT32_MIN, INT32_MAX, &lo) || !parse_i64(dots + 2, INT32_MIN, INT32_MAX, &hi))
		return "the scale must be written MIN..MAX with whole numbers";
	const char *why = agreement_check_scale(lo, hi);
	if (why) return why;
	*min = (int32_t)lo;
	*max = (int32_t)hi;
	return NULL;
}

const char *agreement_input_finish(agreement_input *in, agreement_data *d)
{
	if (!in->n) return "there are no ratings";
	if (in->raters.n < 2)
		return arena_printf(in->a, "every rating is by one rater (%s): agreement needs two or more",
				    quoted(in->a, in->raters.list[0]));
	int64_t anchor = -1;
	if (in->s.anchor) {
		void *v = strmap_get(&in->raters.index, text_trim(in->a, in->s.anchor));
		if (!v)
			return arena_printf(in->a, "the anchor rater %s gave no ratings here",
					    quoted(in->a, in->s.anchor));
		anchor = (int64_t)(uintptr_t)v - 1;
	}
	int32_t min = in->s.scale_min, max = in->s.scale_max;
	if (!in->s.scale_declared) {
		min = in->have_value ? in->vmin : 0;
		max = in->have_value ? in->vmax : 0;
		if ((int64_t)max - min + 1 > AGREEMENT_MAX_POINTS)
			return arena_printf(in->a,
					    "the values run from %d to %d, more than the %d points "
					    "a scale may have",
					    (int)min, (int)max, AGREEMENT_MAX_POINTS);
	}
	*d = (agreement_data){.units = in->units.list,
			      .nunits = in->units.n,
			      .raters = in->raters.list,
			      .nraters = in->raters.n,
			      .ratings = in->ratings,
			      .nratings = in->n,
			      .scale_min = min,
			      .scale_max = max,
			      .scale_declared = in->s.scale_declared,
			      .anchor = anchor};
	return NULL;
}
