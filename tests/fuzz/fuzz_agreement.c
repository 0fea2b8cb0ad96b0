/* libFuzzer driver: ratings for the agreement statistics, as CSV and as
 * JSON. The first byte chooses the format, a declared scale, an anchor and
 * (for CSV) how the input is chunked. Read whole and read in chunks, a CSV
 * file must give the same answer; whatever is accepted must compute to
 * JSON that reads back, with no NaN, shares within 0..1 and an interval
 * whose ends are in order. */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agreement/agreement.h"
#include "base/arena.h"
#include "base/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct chunks {
	const uint8_t *data;
	size_t len, pos, step;
} chunks;

static long chunk_read(void *ctx, char *out, size_t n)
{
	chunks *c = ctx;
	size_t take = c->len - c->pos;
	if (take > c->step) take = c->step;
	if (take > n) take = n;
	memcpy(out, c->data + c->pos, take);
	c->pos += take;
	return (long)take;
}

static void check_share(json_t *v)
{
	if (json_is_null(v)) return;
	if (!json_is_number(v)) abort();
	double x = json_number_value(v);
	if (!(x >= 0 && x <= 1)) abort();
}

static void check_output(arena *a, const agreement_data *d)
{
	agreement_result r;
	agreement_options o = {20, 1};
	agreement_compute(a, d, &o, &r);
	buf b = BUF_INIT;
	agreement_write_json(a, &b, d, &r);
	json_error_t err;
	json_t *j = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &err);
	if (!j || json_object_size(j) != 11) abort();
	check_share(json_object_get(j, "percent_exact"));
	check_share(json_object_get(j, "percent_within_one"));
	json_t *ci = json_object_get(json_object_get(j, "alpha_ci95"), "ordinal");
	if (json_is_array(ci) &&
	    !(json_number_value(json_array_get(ci, 0)) <= json_number_value(json_array_get(ci, 1))))
		abort();
	/* Every null statistic has its reason. */
	json_t *reasons = json_object_get(j, "reasons");
	if (json_is_null(json_object_get(j, "fleiss_kappa")) && !json_object_get(reasons, "fleiss_kappa"))
		abort();
	json_decref(j);
	buf_free(&b);
}

static bool same_data(const agreement_data *x, const agreement_data *y)
{
	if (x->nratings != y->nratings || x->nunits != y->nunits || x->nraters != y->nraters ||
	    x->scale_min != y->scale_min || x->scale_max != y->scale_max || x->anchor != y->anchor)
		return false;
	for (size_t i = 0; i < x->nratings; i++) {
		const agreement_rating *p = &x->ratings[i], *q = &y->ratings[i];
		if (p->unit != q->unit || p->rater != q->rater || p->missing != q->missing ||
		    (!p->missing && p->value != q->value))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	uint8_t knobs = data[0];
	data++, size--;
	agreement_settings s = {0};
	if (knobs & 2) {
		s.scale_declared = true;
		s.scale_min = (knobs >> 4) & 1 ? 0 : 1;
		s.scale_max = s.scale_min + 3;
	}
	if (knobs & 4) s.anchor = "a";
	arena *a = arena_new();
	agreement_data d;
	const char *why;
	if (knobs & 1) {
		why = agreement_read_json(a, (const char *)data, size, &s, &d);
	} else {
		why = agreement_read_csv_mem(a, "f.csv", data, size, &s, &d);
		agreement_data streamed;
		chunks c = {data, size, 0, 1 + (knobs >> 5)};
		const char *why2 =
			agreement_read_csv(a, "f.csv", (csv_source){&c, chunk_read, NULL}, &s, &streamed);
		if (!why != !why2 || (why && strcmp(why, why2)) || (!why && !same_data(&d, &streamed)))
			abort();
	}
	if (!why) check_output(a, &d);
	arena_free(a);
	return 0;
}
