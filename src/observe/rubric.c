/* Frameworks and rubrics: the pure rules (src/observe/rubric.h). */
#include "rubric.h"

#include <string.h>

#include "../base/util.h"

bool rubric_value_valid(const rubric_version *v, int64_t value)
{
	return v && value >= v->scale_min && value <= v->scale_max;
}

const rubric_indicator *rubric_indicator_by_id(const rubric_version *v, int64_t id)
{
	for (size_t i = 0; v && id && i < v->nindicators; i++)
		if (v->indicators[i].id == id) return &v->indicators[i];
	return NULL;
}

const rubric_indicator *rubric_indicator_by_code(const rubric_version *v, const char *code)
{
	for (size_t i = 0; v && code && i < v->nindicators; i++)
		if (str_eq(v->indicators[i].code, code)) return &v->indicators[i];
	return NULL;
}

const char *rubric_level_label(arena *a, const rubric_version *v, int64_t level)
{
	for (size_t i = 0; v && i < v->nlevels; i++)
		if (v->levels[i].level == level && v->levels[i].label && *v->levels[i].label)
			return arena_printf(a, "%lld %s", (long long)level, v->levels[i].label);
	return arena_printf(a, "%lld", (long long)level);
}
