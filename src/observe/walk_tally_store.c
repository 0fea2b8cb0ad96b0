/* The dashboards' kept counts in the store (walk_tally.h). */
#include "walk_tally.h"

#include "../base/util.h"

/* The sign, typed: PostgreSQL infers a parameter's type from its first use. */
#define SIGN "CAST($2 AS BIGINT)"

/* One statement for all of a visit's ratings: each becomes a row of its
 * cell, added to the cell's counts (or inserted). A visit without a grade
 * band counts under '' so it still shows in "all grades". */
store_rc walk_tally_apply(store *s, arena *a, int64_t observation_id, int sign)
{
	/* clang-format off */
	static const char sql[] =
		"INSERT INTO walk_tally (rubric_id, code, district_id, school_id, month, grade_band, "
		" visits, total, n0, n1, n2, n3, n4, n5, n6, n7, n8, n9) "
		"SELECT v.rubric_id, i.code, o.district_id, o.school_id, o.observed_month, "
		" COALESCE(o.grade_band, ''), " SIGN ", " SIGN " * r.value, "
		" CASE WHEN r.value - v.scale_min = 0 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 1 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 2 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 3 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 4 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 5 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 6 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 7 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 8 THEN " SIGN " ELSE 0 END, "
		" CASE WHEN r.value - v.scale_min = 9 THEN " SIGN " ELSE 0 END "
		"FROM observation o JOIN observation_rating r ON r.observation_id = o.id "
		"JOIN rubric_indicator i ON i.id = r.indicator_id "
		"JOIN rubric_version v ON v.id = o.rubric_version_id "
		"WHERE o.id = $1 AND o.walk_id IS NOT NULL AND o.school_id IS NOT NULL "
		"ON CONFLICT (district_id, rubric_id, month, school_id, code, grade_band) DO UPDATE SET "
		" visits = walk_tally.visits + excluded.visits, total = walk_tally.total + excluded.total, "
		" n0 = walk_tally.n0 + excluded.n0, n1 = walk_tally.n1 + excluded.n1, "
		" n2 = walk_tally.n2 + excluded.n2, n3 = walk_tally.n3 + excluded.n3, "
		" n4 = walk_tally.n4 + excluded.n4, n5 = walk_tally.n5 + excluded.n5, "
		" n6 = walk_tally.n6 + excluded.n6, n7 = walk_tally.n7 + excluded.n7, "
		" n8 = walk_tally.n8 + excluded.n8, n9 = walk_tally.n9 + excluded.n9";
	/* clang-format on */
	if (!ALWAYS(sign == 1 || sign == -1)) return STORE_ERROR;
	sql_arg args[] = {ARG_INT(observation_id), ARG_INT(sign)};
	return store_query(s, a, sql, args, COUNT_OF(args), NULL);
}
