/* Reading JSON request bodies for the API: the body as an object, and its
 * members checked one by one, each problem named by its field. */
#include <jansson.h>
#include <string.h>

#include "../base/util.h"
#include "app.h"

json_t *json_body_object(req *rq, resp *rs)
{
	if (!rq->body || !rq->body_len) return json_object();
	json_error_t err;
	json_t *o = json_loadb(rq->body, rq->body_len, 0, &err);
	if (!json_is_object(o)) {
		json_decref(o);
		resp_error(rq, rs, 400, "bad_json",
			   o ? "the body must be a JSON object"
			     : arena_printf(rq->a, "the body is not JSON: %s (line %d)", err.text, err.line),
			   NULL);
		return NULL;
	}
	return o;
}

void json_known_members(arena *a, json_t *o, const char *const *known, form_errors *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v)
	{
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++) ok = strcmp(*k, key) == 0;
		/* Copied: handlers release o before they answer with the errors. */
		if (!ok) form_error_add(e, arena_strdup(a, key), "This field is not one this address takes.");
	}
}

void json_member_text(arena *a, json_t *o, const char *key, const char **dst, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (!v) return;
	if (json_is_null(v)) *dst = "";
	else if (json_is_string(v)) *dst = text_trim(a, json_string_value(v));
	else form_error_add(e, key, arena_printf(a, "%s must be a string.", key));
}

void json_member_id(json_t *o, const char *key, int64_t *dst, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (!v) return;
	if (json_is_null(v)) *dst = 0;
	else if (json_is_integer(v) && json_integer_value(v) > 0) *dst = json_integer_value(v);
	else form_error_add(e, key, "This must be the id of a record (a positive whole number).");
}

void json_member_flag(json_t *o, const char *key, bool *dst, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (!v) return;
	if (json_is_boolean(v)) *dst = json_is_true(v);
	else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
		*dst = json_integer_value(v) == 1;
	else form_error_add(e, key, "This must be true or false.");
}

void json_member_text_or_number(arena *a, json_t *o, const char *key, const char **dst, form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (!v) return;
	*dst = NULL;
	if (json_is_string(v)) *dst = text_trim(a, json_string_value(v));
	else if (json_is_integer(v)) *dst = arena_printf(a, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v)) *dst = arena_printf(a, "%.6g", json_real_value(v));
	else if (!json_is_null(v))
		form_error_add(e, key, arena_printf(a, "%s must be text or a number.", key));
}

void json_member_ids(arena *a, json_t *o, const char *key, size_t max, int64_t **dst, size_t *n,
		     form_errors *e)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) return;
	const char *why = arena_printf(a, "%s must be a list of at most %zu ids.", key, max);
	if (!json_is_array(v) || json_array_size(v) > max) {
		form_error_add(e, key, why);
		return;
	}
	int64_t *ids = arena_calloc(a, json_array_size(v) + 1, sizeof *ids);
	size_t k = 0, i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_integer(x) || json_integer_value(x) <= 0) {
			form_error_add(e, key, why);
			return;
		}
		ids[k++] = json_integer_value(x);
	}
	*dst = ids;
	*n = k;
}
