/* libFuzzer driver: the rubric builder's four text boxes (levels,
 * indicators, descriptors, look-fors), split from the input at NUL bytes,
 * read by rubric_text_parse and checked by rubric_input_check. What reads
 * stays within the limits; every problem names its part; a rubric that
 * reads and checks clean writes back (rubric_text_of) to boxes that read to
 * the same boxes again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "observe/rubric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "") == 0;
}

static void problems_named(const rubric_problem *p, size_t n)
{
	if (n > RUBRIC_PROBLEMS_MAX) abort();
	for (size_t i = 0; i < n; i++)
		if (!p[i].field || !*p[i].field || !p[i].message || !*p[i].message) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new();
	if (!a) return 0;
	/* Boxes cut at NULs; the first byte picks the scale. */
	int64_t lo = size ? (int64_t)(data[0] % 8) - 2 : 1;
	int64_t hi = lo + (size > 1 ? data[1] % 12 : 3);
	const char *box[4] = {"", "", "", ""};
	size_t at = size > 2 ? 2 : size;
	for (int k = 0; k < 4 && at <= size; k++) {
		const uint8_t *end = memchr(data + at, 0, size - at);
		size_t len = end ? (size_t)(end - (data + at)) : size - at;
		box[k] = arena_strndup(a, (const char *)data + at, len);
		at += len + 1;
	}
	rubric_text t = {box[0], box[1], box[2], box[3]};
	rubric_input in = {.org_id = 1, .name = "Fuzzed", .scale_min = lo, .scale_max = hi};
	rubric_problem p[RUBRIC_PROBLEMS_MAX];
	size_t n = rubric_text_parse(a, &t, &in, p);
	problems_named(p, n);
	if (in.nlevels > RUBRIC_SCALE_LEVELS_MAX || in.nindicators > RUBRIC_INDICATORS_MAX ||
	    in.nlook_fors > RUBRIC_LOOK_FORS_MAX)
		abort();
	size_t m = rubric_input_check(a, &in, p);
	problems_named(p, m);
	if (!n && !m) {
		rubric_text out = rubric_text_of(a, &in);
		rubric_input back = {.org_id = 1, .name = "Fuzzed", .scale_min = lo, .scale_max = hi};
		if (rubric_text_parse(a, &out, &back, p) || rubric_input_check(a, &back, p)) abort();
		rubric_text again = rubric_text_of(a, &back);
		if (!same(out.levels, again.levels) || !same(out.indicators, again.indicators) ||
		    !same(out.descriptors, again.descriptors) || !same(out.look_fors, again.look_fors))
			abort();
	}
	arena_free(a);
	return 0;
}
