/* The implementation dashboards over learning walks: an indicator × school heatmap of mean ratings for a period and
 * an indicator's trend across months and school years, for the district's
 * leaders, coaches and partner staff (every school) and its principals
 * (their school against the district). They read only the kept counts of
 * table walk_tally (src/observe/walk_tally.h), never a visit.
 *
 * Every figure is added up from groups of at least the district's minimum
 * of visits (org.walk_min_cell): a group is one school's visits of one
 * month and one grade band rating one indicator, a row of walk_tally.
 * Smaller groups are left out of every figure, in the page, the API, CSV
 * and XLSX alike, so no figure, and no difference of two figures (two
 * periods, a band and all grades, the district less a school), can single
 * out fewer visits than the minimum. A cell made only of smaller groups
 * says so and shows no number.
 *
 * Cell assembly and suppression are pure (dashboard.c); the queries are in
 * dashboard_store.c; the page, the JSON API and the downloads in
 * dashboard_pages.c. */
#ifndef COACHD_DASHBOARD_H
#define COACHD_DASHBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../http/http.h"
#include "../store/store.h"

enum {
	DASH_TREND_MONTHS_MAX = 72, /* a trend ends with its last month with visits */
	DASH_HEAT_STEPS = 9         /* colour steps of the heatmap: heat-0 .. heat-8 */
};

/* The kept counts behind a cell: how many visits rated the indicator and
 * the sum of their ratings. */
typedef struct dash_count {
	int64_t visits, total;
} dash_count;

typedef enum dash_show {
	DASH_EMPTY, /* no visits: nothing to hide */
	DASH_SHOWN, /* the mean and the number of visits in groups large enough */
	DASH_HIDDEN /* only groups of fewer visits than the minimum: no number */
} dash_show;

typedef struct dash_cell {
	dash_count n;  /* groups of at least the minimum, the only ones counted */
	int64_t small; /* visits in smaller groups: whether to say so, never shown */
	dash_show show;
} dash_cell;

/* A table of the district: one column per indicator (the heatmap) or per
 * month (the trend); one cell per school of the district in each column,
 * whether or not the reader sees that school's row, and the district's
 * cell, the sum of the column. */
typedef struct dash_table {
	size_t nschools, ncols;
	dash_cell *cells;    /* ncols × nschools: cells[col * nschools + school] */
	dash_cell *district; /* ncols */
} dash_table;

/* ---- pure (dashboard.c) ---- */

/* The mean rating, NAN without visits. */
double dash_mean(dash_count n);
/* An empty table (all cells DASH_EMPTY). */
void dash_table_init(arena *a, dash_table *t, size_t nschools, size_t ncols);
/* Adds kept counts (n: groups large enough; small: visits in the others)
 * to a school's cell of a column and to the district's. */
void dash_table_add(dash_table *t, size_t school, size_t col, dash_count n, int64_t small);
dash_cell *dash_table_cell(const dash_table *t, size_t school, size_t col);
/* Decides what each cell shows: its counted groups, or that it has only
 * small ones, or nothing. */
void dash_table_suppress(dash_table *t);

/* Months are kept as YYYYMM. */
bool dash_month_parse(const char *s, int64_t *month); /* "2026-09" */
int64_t dash_month_of_day(const char *day);           /* "2026-09-14" → 202609 */
int64_t dash_month_add(int64_t month, int64_t n);
/* Months from a to z, both included (0 when z < a). */
int64_t dash_month_span(int64_t a, int64_t z);
const char *dash_month_text(arena *a, int64_t month);  /* "2026-09" */
const char *dash_month_label(arena *a, int64_t month); /* "Sep 2026" */
/* The colour step (0 .. DASH_HEAT_STEPS - 1) of a mean on the scale. */
int dash_heat_step(double mean, int64_t scale_min, int64_t scale_max);
/* Is a grade band one the filter offers ("K-2", "3-5", "6-8", "9-12")? */
bool dash_band_valid(const char *band);

/* ---- store (dashboard_store.c) ---- */

/* A row of kept counts summed over grade bands (and months, for the
 * heatmap): month 0 in the heatmap's rows. n sums the groups of at least
 * min_cell visits, small the visits of the others. */
typedef struct dash_row {
	int64_t school_id;
	const char *code;
	int64_t month;
	dash_count n;
	int64_t small;
} dash_row;

/* The heatmap's counts: by school and indicator code over the months from
 * .. to, in one grade band (NULL: all of them). */
store_rc dash_heat_rows(store *s, arena *a, int64_t district_id, int64_t rubric_id, int64_t from, int64_t to,
			const char *band, int64_t min_cell, dash_row **out, size_t *n);
/* The trend's counts of one indicator: by month and school, every month. */
store_rc dash_trend_rows(store *s, arena *a, int64_t district_id, int64_t rubric_id, const char *code,
			 const char *band, int64_t min_cell, dash_row **out, size_t *n);
/* The district's minimum cell size (never below WALK_MIN_CELL_MIN)
 * and name; *found false when there is no such active district. */
store_rc dash_district(store *s, arena *a, int64_t district_id, const char **name, int64_t *min_cell,
		       bool *found);

typedef struct dash_school {
	int64_t id;
	const char *name;
} dash_school;

/* A school the reader's visibility reaches, with its district. */
typedef struct dash_place {
	int64_t school_id, district_id;
	const char *district_name;
} dash_place;

/* The active schools of the district, by name. */
store_rc dash_schools(store *s, arena *a, int64_t district_id, dash_school **out, size_t *n);
/* Active schools of active districts inside v, by district name and then
 * school name (each still to be checked with may()). */
store_rc dash_reach(store *s, arena *a, const visibility *v, dash_place **out, size_t *n);
/* The rubric of the district's latest walk, 0 when it has none. */
store_rc dash_recent_rubric(store *s, arena *a, int64_t district_id, int64_t *rubric_id);
/* The last month with visits of the rubric in the district, 0: none. */
store_rc dash_last_month(store *s, arena *a, int64_t district_id, int64_t rubric_id, int64_t *month);

/* ---- pages, API and downloads (dashboard_pages.c) ---- */
handler_fn page_walk_dashboard, api_walk_dashboard;

#endif
