/* The dashboards' kept counts (table walk_tally, migration 009): for each
 * rubric, indicator code, school, month and grade band, how many
 * learning-walk visits rated it, the sum of their ratings and a count per
 * rating value. Kept by one function, in the transaction of every change
 * to a visit's ratings, so no dashboard ever reads from stale figures or
 * scans the visits. Observations inside coaching cycles never count. */
#ifndef COACHD_WALK_TALLY_H
#define COACHD_WALK_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../store/store.h"

/* The grade band a grade falls in: "K-2", "3-5", "6-8", "9-12", or NULL
 * for anything else (a grade is "K" or "1".."12"). */
const char *grade_band_of(const char *grade);
/* The grade bands, in order ("K-2" .. "9-12"): what grade_band_of gives. */
const char *const *grade_bands(size_t *n);

/* Adds (sign +1) or takes away (sign -1) the visit's ratings. Call with -1
 * before a visit's ratings, grade or place change or it is removed, and
 * with +1 after they are written. A cycle observation adds nothing. */
store_rc walk_tally_apply(store *s, arena *a, int64_t observation_id, int sign);

#endif
