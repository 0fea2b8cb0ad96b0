/* Organization rules: the kinds there are and how they read. */
#include "org.h"

#include <string.h>

static const struct {
	const char *kind;
	const char *label;
} kinds[] = {
	{"partner", "Partner"},
	{"district", "District"},
	{"school", "School"},
};

bool org_kind_valid(const char *kind)
{
	return org_kind_label(kind) != NULL;
}

const char *org_kind_label(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, kind) == 0) return kinds[i].label;
	return NULL;
}
