/* The coaching report's reading: the counts kept on every cycle's rows
 * (migration 008), grouped in SQL by place, grade and month, and the
 * schools the asker may count. Which grouped rows the asker sees is
 * decided by the report (cycle_report.c) with may(). */
#include "../base/util.h"
#include "../org/org.h"
#include "cycle_store.h"

/* X names the table whose rows are counted: a cycle, or one of its teacher
 * or focus rows, which carry the cycle's place and day (migration 008). A
 * cycle falls on its lesson's day, or on its start before a lesson is
 * planned (held_day, YYYYMMDD).
 *
 * $1..$17 are the asker's places (org.h): they narrow the rows to the
 * districts of those places, which the indexes seek; which places of them
 * the asker may count is decided for each grouped row by may() (rows_kept),
 * as a test of every row here would cost more than the counting. $18 and
 * $19 the period, $20 the school. */
/* clang-format off */
#define REPORT_WHERE(x) \
	"WHERE " x ".district_id IN (SELECT COALESCE(o.parent_id, o.id) FROM org o " \
	" WHERE " VIS_ALL " OR " VIS_PLACE("o") ") " \
	"AND " x ".held_day >= CAST($18 AS BIGINT) AND " x ".held_day <= CAST($19 AS BIGINT) " \
	"AND (CAST($20 AS BIGINT) IS NULL OR " x ".school_id = CAST($20 AS BIGINT)) "
/* clang-format on */

/* Each cycle keeps its own completed stages and minutes, so this reads one
 * index entry per cycle, already in the grouping's order; names are joined
 * to the few grouped rows, not carried through the grouping. The month
 * (YYYYMM) becomes text in month_texts. */
/* clang-format off */
static const char stage_counts_sql[] =
	"SELECT x.district_id, x.school_id, o.name, x.grade, x.held_month, x.cycles, x.plans, "
	"x.enactments, x.reflections, x.minutes "
	"FROM (SELECT c.district_id, c.school_id, c.grade, c.held_month, COUNT(*) AS cycles, "
	" SUM(c.plans_done) AS plans, SUM(c.enactments_done) AS enactments, "
	" SUM(c.reflections_done) AS reflections, SUM(c.minutes) AS minutes "
	" FROM coaching_cycle c " REPORT_WHERE("c")
	" GROUP BY c.district_id, c.school_id, c.grade, c.held_month) x "
	"JOIN org o ON o.id = COALESCE(x.school_id, x.district_id)";
/* clang-format on */

/* clang-format off */
static const char teachers_sql[] =
	"SELECT x.district_id, x.school_id, x.grade, x.person_id, p.name, x.cycles "
	"FROM (SELECT m.district_id, m.school_id, m.grade, m.person_id, COUNT(*) AS cycles "
	" FROM cycle_member m " REPORT_WHERE("m") "AND m.member_role = 'teacher' "
	" GROUP BY m.district_id, m.school_id, m.grade, m.person_id) x "
	"JOIN person p ON p.id = x.person_id";
/* clang-format on */

/* clang-format off */
static const char focus_sql[] =
	"SELECT f.district_id, f.school_id, f.code, COUNT(*) "
	"FROM cycle_focus f " REPORT_WHERE("f")
	"GROUP BY f.district_id, f.school_id, f.code";
/* clang-format on */

enum { COUNTS_NARGS = VIS_NARGS + 3 };

store_rc coaching_report_rows(store *s, arena *a, const visibility *v, int64_t from_day, int64_t to_day,
			      int64_t school_id, store_rows *stages, store_rows *teachers, store_rows *focus)
{
	sql_arg args[COUNTS_NARGS];
	visibility_args(v, args);
	args[VIS_NARGS] = ARG_INT(from_day);
	args[VIS_NARGS + 1] = ARG_INT(to_day);
	args[VIS_NARGS + 2] = school_id ? ARG_INT(school_id) : ARG_NULL;
	store_rc rc;
	if ((rc = store_query(s, a, stage_counts_sql, args, COUNTS_NARGS, stages)) != STORE_OK ||
	    (rc = store_query(s, a, teachers_sql, args, COUNTS_NARGS, teachers)) != STORE_OK)
		return rc;
	return store_query(s, a, focus_sql, args, COUNTS_NARGS, focus);
}

store_rc coaching_report_schools(store *s, arena *a, const visibility *v, store_rows *out)
{
	/* clang-format off */
	static const char sql[] =
		"SELECT o.id, COALESCE(o.parent_id, o.id), o.name FROM org o "
		"WHERE o.kind = 'school' AND o.active = 1 AND (" VIS_ALL " OR " VIS_PLACE("o") ") "
		"ORDER BY o.name, o.id";
	/* clang-format on */
	sql_arg args[VIS_NARGS];
	visibility_args(v, args);
	return store_query(s, a, sql, args, COUNT_OF(args), out);
}
