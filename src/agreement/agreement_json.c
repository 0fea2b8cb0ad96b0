/* Agreement in JSON: ratings read from a body {"scale":[min,max],
 * "anchor":..,"ratings":[{"unit":..,"rater":..,"value":..}]}, and the
 * result written in the one shape the command line, the API and the
 * calibration pages share. Output is written here rather than through
 * jansson so that numbers carry the fewest digits that read back exactly
 * and the keys keep their documented order. */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "agreement.h"

/* ---- reading ---- */

static const char *member_name(arena *a, json_t *v, const char *what, size_t i, const char **out)
{
	char num[32];
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return NULL;
	}
	if (json_is_integer(v)) {
		*out = arena_printf(a, "%" PRId64, (int64_t)json_integer_value(v));
		return NULL;
	}
	if (json_is_real(v) && isfinite(json_real_value(v))) {
		agreement_format_number(num, json_real_value(v));
		*out = arena_strdup(a, num);
		return NULL;
	}
	return arena_printf(a, "ratings[%zu]: %s must be a string or a number", i, what);
}

static const char *read_rating(arena *a, agreement_input *in, json_t *r, size_t i)
{
	if (!json_is_object(r)) return arena_printf(a, "ratings[%zu] must be an object", i);
	const char *key;
	json_t *v;
	json_object_foreach(r, key, v)
	{
		if (strcmp(key, "unit") && strcmp(key, "rater") && strcmp(key, "value"))
			return arena_printf(a,
					    "ratings[%zu]: unknown member \"%.40s\": a rating has unit, "
					    "rater and value",
					    i, key);
	}
	json_t *unit = json_object_get(r, "unit"), *rater = json_object_get(r, "rater");
	json_t *value = json_object_get(r, "value");
	if (!unit) return arena_printf(a, "ratings[%zu]: the unit is missing", i);
	if (!rater) return arena_printf(a, "ratings[%zu]: the rater is missing", i);
	if (!value)
		return arena_printf(a, "ratings[%zu]: the value is missing (null for a rating not given)", i);
	const char *u, *who, *why;
	if ((why = member_name(a, unit, "unit", i, &u)) || (why = member_name(a, rater, "rater", i, &who)))
		return why;
	if (json_is_null(value)) return agreement_input_add(in, i, u, who, true, 0);
	if (json_is_string(value))
		return arena_printf(a, "ratings[%zu]: value \"%.40s\" is not a number", i,
				    json_string_value(value));
	if (!json_is_number(value)) return arena_printf(a, "ratings[%zu]: value must be a number or null", i);
	return agreement_input_add(in, i, u, who, false, json_number_value(value));
}

static const char *read_scale(arena *a, json_t *scale, agreement_settings *s)
{
	if (!scale || json_is_null(scale)) return NULL;
	json_t *lo = json_array_get(scale, 0), *hi = json_array_get(scale, 1);
	if (!json_is_array(scale) || json_array_size(scale) != 2 || !json_is_integer(lo) ||
	    !json_is_integer(hi))
		return "scale must be [min, max] with two whole numbers";
	const char *why = agreement_check_scale(json_integer_value(lo), json_integer_value(hi));
	if (why) return arena_printf(a, "scale: %s", why);
	s->scale_declared = true;
	s->scale_min = (int32_t)json_integer_value(lo);
	s->scale_max = (int32_t)json_integer_value(hi);
	return NULL;
}

static const char *read_body(arena *a, json_t *root, agreement_settings *s, agreement_data *d)
{
	if (!json_is_object(root)) return "the body must be a JSON object with ratings";
	const char *key, *why;
	json_t *v;
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "scale") && strcmp(key, "anchor") && strcmp(key, "ratings"))
			return arena_printf(a,
					    "unknown member \"%.40s\": the body takes scale, anchor and "
					    "ratings",
					    key);
	}
	if ((why = read_scale(a, json_object_get(root, "scale"), s))) return why;
	json_t *anchor = json_object_get(root, "anchor");
	if (anchor && !json_is_null(anchor)) {
		if (json_is_string(anchor)) s->anchor = arena_strdup(a, json_string_value(anchor));
		else if (json_is_integer(anchor))
			s->anchor = arena_printf(a, "%" PRId64, (int64_t)json_integer_value(anchor));
		else return "anchor must be a rater's name (a string or a number)";
	}
	json_t *ratings = json_object_get(root, "ratings");
	if (!json_is_array(ratings)) return "ratings must be an array of {unit, rater, value}";
	if (!json_array_size(ratings)) return "ratings is empty: there are no ratings";
	agreement_input *in = agreement_input_new(a, s);
	for (size_t i = 0; i < json_array_size(ratings); i++)
		if ((why = read_rating(a, in, json_array_get(ratings, i), i))) return why;
	return agreement_input_finish(in, d);
}

const char *agreement_read_json(arena *a, const char *text, size_t len, const agreement_settings *s,
				agreement_data *d)
{
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root)
		return arena_printf(a, "the body is not JSON: %s (line %d, column %d)", err.text, err.line,
				    err.column);
	agreement_settings body = *s;
	body.origin = AGREEMENT_FROM_JSON;
	const char *why = read_body(a, root, &body, d);
	json_decref(root);
	return why;
}

/* ---- writing ---- */

static void put_string(buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
		} else {
			buf_putc(b, (char)c);
		}
	}
	buf_putc(b, '"');
}

/* Reasons gathered while writing, written last. */
typedef struct reasons {
	const char **key, **why;
	size_t n, cap;
} reasons;

static void reason(reasons *rs, const char *key, const char *why)
{
	if (NEVER(rs->n >= rs->cap)) return;
	rs->key[rs->n] = key;
	rs->why[rs->n++] = why;
}

static void put_number(buf *b, double v)
{
	char text[32];
	agreement_format_number(text, v);
	buf_puts(b, text);
}

/* A statistic, or null with its reason under key. Checked for finiteness
 * here too: whatever happened upstream, no NaN reaches the output. */
static void put_stat(buf *b, reasons *rs, const char *key, agreement_stat s)
{
	if (s.undefined || !isfinite(s.value)) {
		buf_puts(b, "null");
		reason(rs, key, s.undefined ? s.undefined : "not a finite number");
		return;
	}
	put_number(b, s.value);
}

static void put_cohen(buf *b, reasons *rs, const agreement_result *r)
{
	if (r->cohen_undefined) {
		buf_puts(b, "null");
		reason(rs, "cohen_kappa", r->cohen_undefined);
		return;
	}
	buf_puts(b, "{\"unweighted\":");
	put_stat(b, rs, "cohen_kappa.unweighted", r->cohen_unweighted);
	buf_puts(b, ",\"linear\":");
	put_stat(b, rs, "cohen_kappa.linear", r->cohen_linear);
	buf_puts(b, ",\"quadratic\":");
	put_stat(b, rs, "cohen_kappa.quadratic", r->cohen_quadratic);
	buf_putc(b, '}');
}

static void put_alphas(buf *b, reasons *rs, const agreement_result *r)
{
	static const char *const names[AGREEMENT_METRICS] = {"nominal", "ordinal", "interval", "ratio"};
	static const char *const keys[AGREEMENT_METRICS] = {
		"krippendorff_alpha.nominal", "krippendorff_alpha.ordinal", "krippendorff_alpha.interval",
		"krippendorff_alpha.ratio"};
	buf_putc(b, '{');
	for (int m = 0; m < AGREEMENT_METRICS; m++) {
		buf_printf(b, "%s\"%s\":", m ? "," : "", names[m]);
		put_stat(b, rs, keys[m], r->alpha[m]);
	}
	buf_puts(b, "},\"alpha_ci95\":{\"ordinal\":");
	agreement_stat lo = r->alpha_ordinal_lo, hi = r->alpha_ordinal_hi;
	if (lo.undefined || hi.undefined || !isfinite(lo.value) || !isfinite(hi.value)) {
		buf_puts(b, "null");
		reason(rs, "alpha_ci95.ordinal",
		       lo.undefined           ? lo.undefined
			       : hi.undefined ? hi.undefined
					      : "not a finite number");
	} else {
		buf_putc(b, '[');
		put_number(b, lo.value);
		buf_putc(b, ',');
		put_number(b, hi.value);
		buf_putc(b, ']');
	}
	buf_putc(b, '}');
}

static void put_anchor(buf *b, arena *scratch, reasons *rs, const agreement_data *d,
		       const agreement_result *r)
{
	if (!r->has_anchor) {
		buf_puts(b, "null");
		return;
	}
	buf_puts(b, "{\"rater\":");
	put_string(b, d->raters[r->anchor]);
	buf_puts(b, ",\"per_rater\":[");
	for (size_t i = 0; i < r->nper_rater; i++) {
		const agreement_anchor_row *row = &r->per_rater[i];
		buf_puts(b, i ? ",{\"rater\":" : "{\"rater\":");
		put_string(b, d->raters[row->rater]);
		buf_puts(b, ",\"exact\":");
		put_stat(b, rs, arena_printf(scratch, "anchor.per_rater[%zu].exact", i), row->exact);
		buf_puts(b, ",\"within_one\":");
		put_stat(b, rs, arena_printf(scratch, "anchor.per_rater[%zu].within_one", i),
			 row->within_one);
		buf_puts(b, row->passes ? ",\"passes\":true}" : ",\"passes\":false}");
	}
	buf_puts(b, "]}");
}

void agreement_write_json(arena *a, buf *b, const agreement_data *d, const agreement_result *r)
{
	/* Every statistic but the per-rater ones, then two per rater. */
	reasons rs = {.cap = 16 + 2 * r->nper_rater};
	rs.key = arena_calloc(a, rs.cap, sizeof *rs.key);
	rs.why = arena_calloc(a, rs.cap, sizeof *rs.why);
	buf_printf(b, "{\"units\":%zu,\"raters\":%zu,\"pairable_values\":%zu,\"percent_exact\":", r->units,
		   r->raters, r->pairable_values);
	put_stat(b, &rs, "percent_exact", r->percent_exact);
	buf_puts(b, ",\"percent_within_one\":");
	put_stat(b, &rs, "percent_within_one", r->percent_within_one);
	buf_puts(b, ",\"cohen_kappa\":");
	put_cohen(b, &rs, r);
	buf_puts(b, ",\"fleiss_kappa\":");
	put_stat(b, &rs, "fleiss_kappa", r->fleiss_kappa);
	buf_puts(b, ",\"krippendorff_alpha\":");
	put_alphas(b, &rs, r);
	buf_puts(b, ",\"anchor\":");
	put_anchor(b, a, &rs, d, r);
	buf_puts(b, ",\"reasons\":{");
	for (size_t i = 0; i < rs.n; i++) {
		if (i) buf_putc(b, ',');
		put_string(b, rs.key[i]);
		buf_putc(b, ':');
		put_string(b, rs.why[i]);
	}
	buf_puts(b, "}}");
}
