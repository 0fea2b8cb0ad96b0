/* The grade bands the dashboards' kept counts use (walk_tally.h); pure. */
#include "walk_tally.h"

#include <string.h>

#include "../base/util.h"

const char *grade_band_of(const char *grade)
{
	static const struct {
		const char *grade, *band;
	} bands[] = {
		{"K", "K-2"},   {"1", "K-2"},   {"2", "K-2"},   {"3", "3-5"}, {"4", "3-5"},
		{"5", "3-5"},   {"6", "6-8"},   {"7", "6-8"},   {"8", "6-8"}, {"9", "9-12"},
		{"10", "9-12"}, {"11", "9-12"}, {"12", "9-12"},
	};
	for (size_t i = 0; grade && i < COUNT_OF(bands); i++)
		if (str_ieq(grade, bands[i].grade)) return bands[i].band;
	return NULL;
}

const char *const *grade_bands(size_t *n)
{
	static const char *const bands[] = {"K-2", "3-5", "6-8", "9-12"};
	*n = COUNT_OF(bands);
	return bands;
}
