/* Writing JSON answers: the small values every API writes the same way. */
#include <jansson.h>

#include "app.h"

json_t *json_text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *json_named(int64_t id, const char *name)
{
	if (!id) return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name ? name : "");
}
