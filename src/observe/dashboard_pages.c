/* The walk dashboard's page, JSON API and downloads (src/observe/dashboard.h):
 * what was asked, who may see which school's row, the two tables built
 * from the kept counts, and the same tables written as HTML, JSON, CSV and
 * XLSX, each hiding the same cells. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../access/grants.h"
#include "../base/util.h"
#include "../calendar/session.h"
#include "../html/html.h"
#include "../html/svg.h"
#include "../http/parse.h"
#include "../report/report.h"
#include "../schoolyear/schoolyear.h"
#include "../web/app.h"
#include "../web/change.h"
#include "dashboard.h"
#include "rubric.h"
#include "walk_tally.h"

enum {
	DASH_MONTHS_DEFAULT = 12, /* without a school year: a year of months */
	DASH_PERIOD_MONTHS_MAX = 120,
	DASH_TREND_LINES_MAX = 4 /* school lines beside the district's, at most */
};

/* What was asked. Zero and NULL: the default. */
typedef struct dash_ask {
	int64_t district_id, rubric_id, year_id, school_id;
	int64_t from, to;   /* YYYYMM */
	const char *band;   /* NULL: every grade band */
	const char *code;   /* the trend's indicator */
	const char *format; /* "csv", "xlsx" or NULL */
	action act;         /* READ, or EXPORT for a download */
} dash_ask;

/* An indicator followed by its code across the rubric's versions. */
typedef struct dash_indicator {
	const char *code, *name;
} dash_indicator;

typedef struct dash_view {
	dash_ask ask;
	const char *district_name;
	int64_t min_cell;
	int64_t *districts; /* the districts the reader reaches, for the filter */
	const char **district_names;
	size_t ndistricts;
	rubric_summary *rubrics;
	size_t nrubrics;
	rubric_version rubric; /* its current version: scale, labels, indicators */
	date_span *years;
	size_t nyears;
	const char *year_name; /* the school year asked for, or NULL */
	dash_school *schools;  /* every school of the district */
	size_t nschools;
	bool *known; /* the reader may read the school's counts */
	bool *row;   /* ... and its row is in this view (school filter) */
	size_t nrows;
	dash_indicator *indicators;
	size_t nindicators;
	dash_table heat; /* columns: indicators */
	const char *trend_code;
	const char *trend_name;
	int64_t *months;  /* the trend's months */
	dash_table trend; /* columns: months */
	size_t *lines;    /* schools with a line of their own in the trend */
	size_t nlines;
} dash_view;

/* ---- what was asked ---- */

static bool ask_fail(req *rq, resp *rs, const char *field, const char *message)
{
	resp_error(rq, rs, 400, "bad_filter", message, field);
	return false;
}

static bool query_id(req *rq, resp *rs, const char *key, int64_t *out)
{
	const char *v = req_query(rq, key);
	*out = 0;
	if (!v || !*v) return true;
	if (parse_i64(v, 1, INT64_MAX, out)) return true;
	return ask_fail(rq, rs, key, arena_printf(rq->a, "%s must be an id", key));
}

static bool query_month(req *rq, resp *rs, const char *key, int64_t *out)
{
	const char *v = req_query(rq, key);
	*out = 0;
	if (!v || !*v || dash_month_parse(v, out)) return true;
	return ask_fail(rq, rs, key, arena_printf(rq->a, "%s must be a month (YYYY-MM)", key));
}

static bool read_ask(req *rq, resp *rs, dash_ask *q)
{
	*q = (dash_ask){.act = ACT_READ};
	const char *format = req_query(rq, "format"), *band = req_query(rq, "band"),
		   *code = req_query(rq, "indicator");
	if (format && *format && !str_eq(format, rq->api ? "json" : "html")) {
		if (!str_eq(format, "csv") && !str_eq(format, "xlsx"))
			return ask_fail(rq, rs, "format",
					rq->api ? "format must be csv, xlsx or json"
						: "format must be csv, xlsx or html");
		q->format = format;
		q->act = ACT_EXPORT;
	}
	if (!query_id(rq, rs, "district_id", &q->district_id) ||
	    !query_id(rq, rs, "rubric_id", &q->rubric_id) || !query_id(rq, rs, "year", &q->year_id) ||
	    !query_id(rq, rs, "school_id", &q->school_id) || !query_month(rq, rs, "from", &q->from) ||
	    !query_month(rq, rs, "to", &q->to))
		return false;
	if (band && *band && !str_eq(band, "all")) {
		if (!dash_band_valid(band))
			return ask_fail(rq, rs, "band", "band must be K-2, 3-5, 6-8, 9-12 or all");
		q->band = band;
	}
	if (code && *code) q->code = code;
	if (q->from && q->to && q->from > q->to)
		return ask_fail(rq, rs, "from", "from must be on or before to");
	if (q->from && q->to && dash_month_span(q->from, q->to) > DASH_PERIOD_MONTHS_MAX)
		return ask_fail(rq, rs, "to", "a period is at most ten years");
	return true;
}

/* ---- who sees what ---- */

static bool may_school(const req *rq, action act, int64_t district_id, int64_t school_id)
{
	place p = {school_id, district_id, 0};
	record r = {.kind = REC_WALK_SUMMARY, .places = &p, .nplaces = 1};
	return may(rq->actor, act, &r);
}

static bool not_found(req *rq, resp *rs, const char *message, const char *field)
{
	resp_error(rq, rs, 404, "not_found", message, field);
	return false;
}

/* The districts with a school whose counts the reader may see; the asked
 * one (or the first) is the view's. */
static bool choose_district(req *rq, resp *rs, dash_view *v)
{
	visibility vis;
	policy_visibility(rq->actor, v->ask.act, REC_WALK_SUMMARY, &vis);
	dash_place *reach;
	size_t n;
	if (dash_reach(rq->db, rq->a, &vis, &reach, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	v->districts = arena_calloc(rq->a, n + 1, sizeof *v->districts);
	v->district_names = arena_calloc(rq->a, n + 1, sizeof *v->district_names);
	for (size_t i = 0; i < n; i++) {
		if (v->ndistricts && v->districts[v->ndistricts - 1] == reach[i].district_id) continue;
		if (!may_school(rq, v->ask.act, reach[i].district_id, reach[i].school_id)) continue;
		v->districts[v->ndistricts] = reach[i].district_id;
		v->district_names[v->ndistricts++] = reach[i].district_name;
	}
	if (!v->ndistricts) return not_found(rq, rs, "there is no such page", NULL);
	if (!v->ask.district_id) v->ask.district_id = v->districts[0];
	for (size_t i = 0; i < v->ndistricts; i++)
		if (v->districts[i] == v->ask.district_id) return true;
	return not_found(rq, rs, "there is no such district in your dashboards", "district_id");
}

/* Every school of the district (the district cell adds them all up),
 * which of them the reader may read, and which are rows of this view. */
static bool load_schools(req *rq, resp *rs, dash_view *v)
{
	bool found = false;
	if (dash_district(rq->db, rq->a, v->ask.district_id, &v->district_name, &v->min_cell, &found) !=
		    STORE_OK ||
	    dash_schools(rq->db, rq->a, v->ask.district_id, &v->schools, &v->nschools) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found) return not_found(rq, rs, "there is no such district in your dashboards", "district_id");
	v->known = arena_calloc(rq->a, v->nschools + 1, sizeof *v->known);
	v->row = arena_calloc(rq->a, v->nschools + 1, sizeof *v->row);
	bool asked_known = !v->ask.school_id;
	for (size_t i = 0; i < v->nschools; i++) {
		v->known[i] = may_school(rq, v->ask.act, v->ask.district_id, v->schools[i].id);
		v->row[i] = v->known[i] && (!v->ask.school_id || v->ask.school_id == v->schools[i].id);
		v->nrows += v->row[i];
		if (v->row[i] && v->ask.school_id) asked_known = true;
	}
	if (!asked_known) return not_found(rq, rs, "there is no such school in your dashboards", "school_id");
	return true;
}

/* The asked rubric if it is offered in the district; else the one of the
 * district's latest walk; else the first offered. */
static bool choose_rubric(req *rq, resp *rs, dash_view *v)
{
	int64_t recent = 0, version_id = 0;
	if (rubric_list(rq->db, rq->a, &v->ask.district_id, 1, false, &v->rubrics, &v->nrubrics) !=
		    STORE_OK ||
	    (!v->ask.rubric_id &&
	     dash_recent_rubric(rq->db, rq->a, v->ask.district_id, &recent) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return false;
	}
	int64_t want = v->ask.rubric_id ? v->ask.rubric_id : recent;
	bool offered = false;
	for (size_t i = 0; i < v->nrubrics; i++) offered = offered || v->rubrics[i].id == want;
	if (!offered && v->ask.rubric_id)
		return not_found(rq, rs, "there is no such rubric in this district", "rubric_id");
	if (!offered) want = v->nrubrics ? v->rubrics[0].id : 0;
	if (!want) return not_found(rq, rs, "this district has no rubric yet", "rubric_id");
	v->ask.rubric_id = want;
	bool found = false;
	if (rubric_current_version(rq->db, rq->a, want, &version_id) != STORE_OK ||
	    (version_id && rubric_version_load(rq->db, rq->a, version_id, &v->rubric, &found) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found) return not_found(rq, rs, "there is no such rubric in this district", "rubric_id");
	return true;
}

/* The months a school year covers: every month with one of its days. */
static void year_months(const date_span *y, int64_t *from, int64_t *to)
{
	*from = dash_month_of_day(y->starts_on);
	*to = dash_month_of_day(y->ends_on);
}

static const date_span *year_of_month(const dash_view *v, int64_t month)
{
	for (size_t i = 0; i < v->nyears; i++) {
		int64_t a, z;
		year_months(&v->years[i], &a, &z);
		if (month >= a && month <= z) return &v->years[i];
	}
	return NULL;
}

/* A school year asked for sets the period; else from/to as given (a year
 * of months when one end is missing); else the school year of the last
 * month with visits, or the twelve months up to it (up to this month when
 * there are none). */
static bool choose_period(req *rq, resp *rs, dash_view *v)
{
	dash_ask *q = &v->ask;
	if (school_year_spans(rq->db, rq->a, q->district_id, &v->years, &v->nyears) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (q->year_id) {
		for (size_t i = 0; i < v->nyears; i++)
			if (v->years[i].id == q->year_id) {
				year_months(&v->years[i], &q->from, &q->to);
				v->year_name = v->years[i].name;
				return true;
			}
		return not_found(rq, rs, "there is no such school year in this district", "year");
	}
	if (q->from || q->to) {
		if (!q->from) q->from = dash_month_add(q->to, -(DASH_MONTHS_DEFAULT - 1));
		if (!q->to) q->to = dash_month_add(q->from, DASH_MONTHS_DEFAULT - 1);
		return true;
	}
	int64_t last = 0;
	if (dash_last_month(rq->db, rq->a, q->district_id, q->rubric_id, &last) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!last) last = dash_month_of_day(session_date_of(rq->a, now_unix() / 86400));
	const date_span *y = year_of_month(v, last);
	if (y) {
		year_months(y, &q->from, &q->to);
		q->year_id = y->id;
		v->year_name = y->name;
	} else {
		q->to = last;
		q->from = dash_month_add(last, -(DASH_MONTHS_DEFAULT - 1));
	}
	return true;
}

/* ---- the tables ---- */

static long school_index(const dash_view *v, int64_t school_id)
{
	for (size_t i = 0; i < v->nschools; i++)
		if (v->schools[i].id == school_id) return (long)i;
	return -1;
}

static long indicator_index(const dash_view *v, const char *code)
{
	for (size_t i = 0; i < v->nindicators; i++)
		if (str_eq(v->indicators[i].code, code)) return (long)i;
	return -1;
}

/* The current version's indicators in order, then any code only older
 * versions had that has counts here. */
static void indicators_of(dash_view *v, arena *a, const dash_row *rows, size_t n)
{
	v->indicators = arena_calloc(a, v->rubric.nindicators + n + 1, sizeof *v->indicators);
	for (size_t i = 0; i < v->rubric.nindicators; i++)
		v->indicators[v->nindicators++] =
			(dash_indicator){v->rubric.indicators[i].code, v->rubric.indicators[i].name};
	for (size_t i = 0; i < n; i++)
		if (indicator_index(v, rows[i].code) < 0)
			v->indicators[v->nindicators++] = (dash_indicator){rows[i].code, rows[i].code};
}

static bool build_heat(req *rq, resp *rs, dash_view *v)
{
	dash_row *rows;
	size_t n;
	if (dash_heat_rows(rq->db, rq->a, v->ask.district_id, v->ask.rubric_id, v->ask.from, v->ask.to,
			   v->ask.band, v->min_cell, &rows, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	indicators_of(v, rq->a, rows, n);
	dash_table_init(rq->a, &v->heat, v->nschools, v->nindicators);
	for (size_t i = 0; i < n; i++) {
		long s = school_index(v, rows[i].school_id), c = indicator_index(v, rows[i].code);
		if (s >= 0 && c >= 0)
			dash_table_add(&v->heat, (size_t)s, (size_t)c, rows[i].n, rows[i].small);
	}
	dash_table_suppress(&v->heat);
	return true;
}

/* The trend opens on the indicator with the most counted visits in the
 * heatmap's period: the one the walks looked at most. */
static long busiest_indicator(const dash_view *v)
{
	long best = 0;
	for (size_t c = 1; c < v->heat.ncols; c++)
		if (v->heat.district[c].n.visits > v->heat.district[best].n.visits) best = (long)c;
	return best;
}

/* Every month from the first with visits to the last (at most
 * DASH_TREND_MONTHS_MAX, the latest), so a month without enough visits is
 * a gap in its line. School lines: the view's rows when they are few. */
static bool build_trend(req *rq, resp *rs, dash_view *v)
{
	if (!v->nindicators) return true;
	long k = v->ask.code ? indicator_index(v, v->ask.code) : busiest_indicator(v);
	/* The page's form still names the last rubric's indicator when
	 * another rubric is chosen: the page opens on the first one. */
	if (k < 0 && rq->api)
		return not_found(rq, rs, "there is no such indicator in this rubric", "indicator");
	if (k < 0) k = 0;
	v->trend_code = v->indicators[k].code;
	v->trend_name = v->indicators[k].name;
	dash_row *rows;
	size_t n;
	if (dash_trend_rows(rq->db, rq->a, v->ask.district_id, v->ask.rubric_id, v->trend_code, v->ask.band,
			    v->min_cell, &rows, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	int64_t first = 0, last = 0;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].n.visits + rows[i].small <= 0) continue;
		if (!first || rows[i].month < first) first = rows[i].month;
		if (!last || rows[i].month > last) last = rows[i].month;
	}
	size_t nmonths = first ? (size_t)dash_month_span(first, last) : 0;
	if (nmonths > DASH_TREND_MONTHS_MAX) {
		nmonths = DASH_TREND_MONTHS_MAX;
		first = dash_month_add(last, -(DASH_TREND_MONTHS_MAX - 1));
	}
	v->months = arena_calloc(rq->a, nmonths + 1, sizeof *v->months);
	for (size_t m = 0; m < nmonths; m++) v->months[m] = dash_month_add(first, (int64_t)m);
	dash_table_init(rq->a, &v->trend, v->nschools, nmonths);
	for (size_t i = 0; i < n; i++) {
		long s = school_index(v, rows[i].school_id);
		if (s < 0 || rows[i].month < first || rows[i].month > last) continue;
		dash_table_add(&v->trend, (size_t)s, (size_t)dash_month_span(first, rows[i].month) - 1,
			       rows[i].n, rows[i].small);
	}
	dash_table_suppress(&v->trend);
	v->lines = arena_calloc(rq->a, v->nschools + 1, sizeof *v->lines);
	if (v->nrows <= DASH_TREND_LINES_MAX)
		for (size_t i = 0; i < v->nschools; i++)
			if (v->row[i]) v->lines[v->nlines++] = i;
	return true;
}

/* Reads the ask, decides the reader's reach and builds both tables; false
 * when an answer (an error) was already given. */
static bool dash_load(req *rq, resp *rs, dash_view *v)
{
	*v = (dash_view){0};
	if (!read_ask(rq, rs, &v->ask)) return false;
	/* No reach at all (teachers, administrators): no dashboard here. */
	if (!may_act_somewhere(rq, REC_WALK_SUMMARY, ACT_READ))
		return not_found(rq, rs, "there is no such page", NULL);
	if (v->ask.format && !may_act_somewhere(rq, REC_WALK_SUMMARY, ACT_EXPORT)) {
		resp_error(rq, rs, 403, "forbidden", "you may not download the walk dashboard", NULL);
		return false;
	}
	return choose_district(rq, rs, v) && load_schools(rq, rs, v) && choose_rubric(rq, rs, v) &&
		choose_period(rq, rs, v) && build_heat(rq, rs, v) && build_trend(rq, rs, v);
}

/* ---- words and numbers ---- */

static const char *mean_text(arena *a, dash_count n)
{
	return arena_printf(a, "%.1f", dash_mean(n));
}

/* Two decimals for the API: enough to compare, no binary noise. */
static double mean_rounded(dash_count n)
{
	return round(dash_mean(n) * 100) / 100;
}

static const char *band_text(const dash_view *v)
{
	return v->ask.band ? v->ask.band : "all";
}

static const char *band_label(arena *a, const dash_view *v)
{
	return v->ask.band ? arena_printf(a, "grades %s", v->ask.band) : "all grades";
}

static const char *period_text(arena *a, const dash_view *v)
{
	const char *months = v->ask.from == v->ask.to
		? dash_month_label(a, v->ask.from)
		: arena_printf(a, "%s to %s", dash_month_label(a, v->ask.from),
			       dash_month_label(a, v->ask.to));
	return v->year_name ? arena_printf(a, "School year %s (%s)", v->year_name, months) : months;
}

/* A cell made only of groups smaller than the minimum. */
static const char *hidden_text(arena *a, const dash_view *v)
{
	return arena_printf(a, "fewer than %lld visits", (long long)v->min_cell);
}

/* "Prairie Glen School District 41 · TRU framework · School year … · all grades" */
static const char *subtitle(arena *a, const dash_view *v)
{
	return arena_printf(a, "%s · %s · %s · %s", v->district_name, v->rubric.name, period_text(a, v),
			    band_label(a, v));
}

/* The filters as a query string (for links and the audit entry). */
static const char *ask_query(arena *a, const dash_view *v)
{
	const dash_ask *q = &v->ask;
	const char *s = arena_printf(a, "district_id=%lld&rubric_id=%lld", (long long)q->district_id,
				     (long long)q->rubric_id);
	if (q->year_id && v->year_name) s = arena_printf(a, "%s&year=%lld", s, (long long)q->year_id);
	else
		s = arena_printf(a, "%s&from=%s&to=%s", s, dash_month_text(a, q->from),
				 dash_month_text(a, q->to));
	if (q->band) s = arena_printf(a, "%s&band=%s", s, url_encode(a, q->band));
	if (q->school_id) s = arena_printf(a, "%s&school_id=%lld", s, (long long)q->school_id);
	if (v->trend_code) s = arena_printf(a, "%s&indicator=%s", s, url_encode(a, v->trend_code));
	return s;
}

/* ---- the page ---- */

static void option(buf *b, const char *value, const char *label, bool selected)
{
	html_printf(b, "<option value=\"%s\"%s>%s</option>", value, selected ? " selected" : "", label);
}

static void filter_form(req *rq, buf *b, const dash_view *v)
{
	arena *a = rq->a;
	const dash_ask *q = &v->ask;
	html_printf(b, "<form class=\"filters dash-filters\" method=\"get\" action=\"/reports/walks\">\n");
	if (v->ndistricts > 1) {
		html_printf(b,
			    "<div class=\"field\"><label for=\"district_id\">District</label>"
			    "<select id=\"district_id\" name=\"district_id\">");
		for (size_t i = 0; i < v->ndistricts; i++)
			option(b, arena_printf(a, "%lld", (long long)v->districts[i]), v->district_names[i],
			       v->districts[i] == q->district_id);
		html_printf(b, "</select></div>\n");
	}
	html_printf(b,
		    "<div class=\"field\"><label for=\"rubric_id\">Rubric</label>"
		    "<select id=\"rubric_id\" name=\"rubric_id\">");
	for (size_t i = 0; i < v->nrubrics; i++)
		option(b, arena_printf(a, "%lld", (long long)v->rubrics[i].id), v->rubrics[i].name,
		       v->rubrics[i].id == q->rubric_id);
	html_printf(b,
		    "</select></div>\n<div class=\"field\"><label for=\"year\">School year</label>"
		    "<select id=\"year\" name=\"year\">");
	option(b, "", "The months below", !v->year_name);
	for (size_t i = 0; i < v->nyears; i++)
		option(b, arena_printf(a, "%lld", (long long)v->years[i].id), v->years[i].name,
		       v->year_name && v->years[i].id == q->year_id);
	html_printf(b,
		    "</select></div>\n"
		    "<div class=\"field\"><label for=\"from\">From month</label>"
		    "<input id=\"from\" name=\"from\" type=\"month\" value=\"%s\"></div>\n"
		    "<div class=\"field\"><label for=\"to\">To month</label>"
		    "<input id=\"to\" name=\"to\" type=\"month\" value=\"%s\"></div>\n"
		    "<div class=\"field\"><label for=\"band\">Grade band</label><select id=\"band\" "
		    "name=\"band\">",
		    dash_month_text(a, q->from), dash_month_text(a, q->to));
	size_t nbands;
	const char *const *bands = grade_bands(&nbands);
	option(b, "all", "All grades", !q->band);
	for (size_t i = 0; i < nbands; i++) option(b, bands[i], bands[i], str_eq(q->band, bands[i]));
	html_printf(b, "</select></div>\n");
	size_t readable = 0;
	for (size_t i = 0; i < v->nschools; i++) readable += v->known[i];
	if (readable > 1) {
		html_printf(b,
			    "<div class=\"field\"><label for=\"school_id\">School</label>"
			    "<select id=\"school_id\" name=\"school_id\">");
		option(b, "", "Every school", !q->school_id);
		for (size_t i = 0; i < v->nschools; i++)
			if (v->known[i])
				option(b, arena_printf(a, "%lld", (long long)v->schools[i].id),
				       v->schools[i].name, v->schools[i].id == q->school_id);
		html_printf(b, "</select></div>\n");
	}
	if (v->nindicators) {
		html_printf(b,
			    "<div class=\"field\"><label for=\"indicator\">Trend of</label>"
			    "<select id=\"indicator\" name=\"indicator\">");
		for (size_t i = 0; i < v->nindicators; i++)
			option(b, v->indicators[i].code,
			       arena_printf(a, "%s %s", v->indicators[i].code, v->indicators[i].name),
			       str_eq(v->indicators[i].code, v->trend_code));
		html_printf(b, "</select></div>\n");
	}
	html_printf(b, "<button type=\"submit\">Show</button>\n</form>\n");
	if (!may_act_somewhere(rq, REC_WALK_SUMMARY, ACT_EXPORT)) return;
	const char *query = ask_query(a, v);
	html_printf(b,
		    "<p class=\"actions\">Download: "
		    "<a href=\"/reports/walks?format=csv&amp;%s\" download>csv</a> · "
		    "<a href=\"/reports/walks?format=xlsx&amp;%s\" download>xlsx</a></p>\n",
		    query, query);
}

static void heat_td(req *rq, buf *b, const dash_view *v, const dash_cell *c)
{
	switch (c->show) {
	case DASH_EMPTY:
		html_printf(b, "<td class=\"heat heat-empty\"><span class=\"heat-n\">no visits</span></td>");
		break;
	case DASH_HIDDEN:
		html_printf(b,
			    "<td class=\"heat heat-hidden\"><span class=\"heat-mean\" "
			    "aria-hidden=\"true\">—</span>"
			    "<span class=\"heat-n\">%s</span></td>",
			    hidden_text(rq->a, v));
		break;
	case DASH_SHOWN:
		html_printf(b,
			    "<td class=\"heat heat-%d\"><span class=\"heat-mean\">%s</span>"
			    "<span class=\"heat-n\">%lld visit%s</span></td>",
			    dash_heat_step(dash_mean(c->n), v->rubric.scale_min, v->rubric.scale_max),
			    mean_text(rq->a, c->n), (long long)c->n.visits, c->n.visits == 1 ? "" : "s");
		break;
	}
}

static void heat_legend(req *rq, buf *b, const dash_view *v)
{
	html_printf(b, "<ul class=\"heat-legend\">");
	for (int64_t level = v->rubric.scale_min; level <= v->rubric.scale_max; level++)
		html_printf(b, "<li><span class=\"heat-swatch heat-%d\" aria-hidden=\"true\"></span>%s</li>",
			    dash_heat_step((double)level, v->rubric.scale_min, v->rubric.scale_max),
			    rubric_level_label(rq->a, &v->rubric, level));
	html_printf(b,
		    "<li><span class=\"heat-swatch heat-hidden\" aria-hidden=\"true\"></span>— fewer than "
		    "%lld visits</li></ul>\n",
		    (long long)v->min_cell);
}

static void heat_table(req *rq, buf *b, const dash_view *v)
{
	html_printf(b, "<h2 id=\"heatmap\">Mean rating by school and indicator</h2>\n");
	heat_legend(rq, b, v);
	html_table_open(b);
	html_printf(b,
		    "\n<caption>Mean rating of each indicator by school, %s, %s; under each mean, the "
		    "visits behind it</caption>\n<thead><tr><th scope=\"col\">School</th>",
		    period_text(rq->a, v), band_label(rq->a, v));
	for (size_t c = 0; c < v->nindicators; c++)
		html_printf(b, "<th scope=\"col\"><abbr title=\"%s\">%s</abbr></th>", v->indicators[c].name,
			    v->indicators[c].code);
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (size_t s = 0; s < v->nschools; s++) {
		if (!v->row[s]) continue;
		html_printf(b, "<tr><th scope=\"row\">%s</th>", v->schools[s].name);
		for (size_t c = 0; c < v->nindicators; c++)
			heat_td(rq, b, v, dash_table_cell(&v->heat, s, c));
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "<tr class=\"heat-district\"><th scope=\"row\">District (all schools)</th>");
	for (size_t c = 0; c < v->nindicators; c++) heat_td(rq, b, v, &v->heat.district[c]);
	html_printf(b, "</tr>\n</tbody></table></div>\n<dl class=\"heat-key\">");
	for (size_t c = 0; c < v->nindicators; c++)
		html_printf(b, "<dt>%s</dt><dd>%s</dd>", v->indicators[c].code, v->indicators[c].name);
	html_printf(b, "</dl>\n");
}

/* A trend cell's value for the chart: a gap unless shown. */
static double trend_value(const dash_cell *c)
{
	return c->show == DASH_SHOWN ? dash_mean(c->n) : NAN;
}

static const dash_cell *trend_cell(const dash_view *v, size_t line, size_t m)
{
	return line == 0 ? &v->trend.district[m] : dash_table_cell(&v->trend, v->lines[line - 1], m);
}

static const char *line_name(const dash_view *v, size_t line)
{
	return line == 0 ? "District" : v->schools[v->lines[line - 1]].name;
}

static void trend_section(req *rq, buf *b, const dash_view *v)
{
	arena *a = rq->a;
	size_t nm = v->trend.ncols, nl = v->nlines + 1;
	html_printf(b, "<h2 id=\"trend\">Trend of %s %s</h2>\n", v->trend_code, v->trend_name);
	if (!nm) {
		html_printf(b, "<p class=\"muted\">No visit has rated %s with this rubric in %s yet.</p>\n",
			    v->trend_code, band_label(a, v));
		return;
	}
	html_printf(b,
		    "<p class=\"muted\">Every month with walks, across school years; a month behind fewer "
		    "than %lld visits is a gap in its line.</p>\n",
		    (long long)v->min_cell);
	const char **rows = arena_calloc(a, nm + 1, sizeof *rows),
		   **cols = arena_calloc(a, nl + 1, sizeof *cols);
	double *val = arena_calloc(a, nm * nl + 1, sizeof *val);
	for (size_t l = 0; l < nl; l++) cols[l] = line_name(v, l);
	for (size_t m = 0; m < nm; m++) {
		rows[m] = dash_month_label(a, v->months[m]);
		for (size_t l = 0; l < nl; l++) val[m * nl + l] = trend_value(trend_cell(v, l, m));
	}
	svg_chart c = {
		.id = "walk-trend",
		.title = arena_printf(a, "Mean rating of %s by month, %s", v->trend_code, band_label(a, v)),
		.row_head = "Month",
		.decimals = 1,
		.lo = (double)v->rubric.scale_min,
		.hi = (double)v->rubric.scale_max};
	svg_table t = {nm, nl, rows, cols, val};
	svg_line(b, &c, &t);
	html_printf(b,
		    "<details class=\"chart-data dash-months\"><summary>Visits and school years by "
		    "month</summary>\n");
	html_table_open(b);
	html_printf(b,
		    "\n<caption>%s by month: mean rating and visits</caption>\n<thead><tr>"
		    "<th scope=\"col\">Month</th><th scope=\"col\">School year</th>",
		    v->trend_code);
	for (size_t l = 0; l < nl; l++) html_printf(b, "<th scope=\"col\">%s</th>", line_name(v, l));
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (size_t m = 0; m < nm; m++) {
		const date_span *y = year_of_month(v, v->months[m]);
		html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td>", rows[m], y ? y->name : "—");
		for (size_t l = 0; l < nl; l++) heat_td(rq, b, v, trend_cell(v, l, m));
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n</details>\n");
}

static bool any_visits(const dash_view *v)
{
	for (size_t c = 0; c < v->heat.ncols; c++)
		if (v->heat.district[c].show != DASH_EMPTY) return true;
	return false;
}

static void dash_page(req *rq, resp *rs, const dash_view *v)
{
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Walk dashboard", "walk-dashboard");
	layout_begin(b, &l);
	html_printf(b, "<h1>Walk dashboard</h1>\n<p>%s</p>\n", subtitle(rq->a, v));
	html_printf(b,
		    "<p class=\"muted\">Mean ratings from learning-walk visits, never a visit or a "
		    "classroom. Every figure adds up groups of at least %lld visits (one school, month and "
		    "grade band); smaller groups are left out of every figure, so no figure, and no "
		    "difference between two, can single out a classroom (a district setting).</p>\n",
		    (long long)v->min_cell);
	filter_form(rq, b, v);
	bool visits = any_visits(v);
	if (!visits)
		html_printf(
			b,
			"<div class=\"empty-state\"><p><strong>No learning-walk visits yet</strong> for "
			"%s in %s, %s.</p><p>Ratings from the visits of <a href=\"/walks\">learning "
			"walks</a> "
			"show here as soon as they are saved. Try another period, grade band or rubric.</p>"
			"</div>\n",
			v->rubric.name, period_text(rq->a, v), band_label(rq->a, v));
	if (visits) heat_table(rq, b, v);
	if (v->trend_code && v->trend.ncols) trend_section(rq, b, v);
	layout_end(b);
}

/* ---- JSON ---- */

static json_t *cell_json(const dash_cell *c)
{
	bool shown = c->show == DASH_SHOWN;
	return json_pack("{s:o, s:o, s:b}", "visits",
			 c->show == DASH_HIDDEN ? json_null() : json_integer(c->n.visits), "mean",
			 shown ? json_real(mean_rounded(c->n)) : json_null(), "suppressed",
			 c->show == DASH_HIDDEN);
}

static json_t *points_json(arena *a, const dash_view *v, size_t line)
{
	json_t *points = json_array();
	for (size_t m = 0; m < v->trend.ncols; m++) {
		json_t *p = cell_json(trend_cell(v, line, m));
		const date_span *y = year_of_month(v, v->months[m]);
		json_object_set_new(p, "month", json_string(dash_month_text(a, v->months[m])));
		json_object_set_new(p, "school_year", y ? json_string(y->name) : json_null());
		json_array_append_new(points, p);
	}
	return points;
}

static json_t *dash_json(arena *a, const dash_view *v)
{
	json_t *schools = json_array(), *indicators = json_array(), *cells = json_array(),
	       *labels = json_array(), *lines = json_array();
	for (size_t s = 0; s < v->nschools; s++)
		if (v->row[s])
			json_array_append_new(schools,
					      json_pack("{s:I, s:s}", "id", (json_int_t)v->schools[s].id,
							"name", v->schools[s].name));
	for (size_t c = 0; c < v->nindicators; c++)
		json_array_append_new(indicators,
				      json_pack("{s:s, s:s}", "code", v->indicators[c].code, "name",
						v->indicators[c].name));
	for (size_t c = 0; c < v->nindicators; c++) {
		for (size_t s = 0; s < v->nschools; s++) {
			if (!v->row[s]) continue;
			json_t *j = cell_json(dash_table_cell(&v->heat, s, c));
			json_object_set_new(j, "school_id", json_integer(v->schools[s].id));
			json_object_set_new(j, "code", json_string(v->indicators[c].code));
			json_array_append_new(cells, j);
		}
		json_t *j = cell_json(&v->heat.district[c]);
		json_object_set_new(j, "school_id", json_null());
		json_object_set_new(j, "code", json_string(v->indicators[c].code));
		json_array_append_new(cells, j);
	}
	for (size_t i = 0; i < v->rubric.nlevels; i++)
		json_array_append_new(labels,
				      json_pack("{s:I, s:s}", "level", (json_int_t)v->rubric.levels[i].level,
						"label", v->rubric.levels[i].label));
	for (size_t l = 1; l <= v->nlines; l++)
		json_array_append_new(lines,
				      json_pack("{s:I, s:s, s:o}", "school_id",
						(json_int_t)v->schools[v->lines[l - 1]].id, "name",
						line_name(v, l), "points", points_json(a, v, l)));
	json_t *trend = v->trend_code
		? json_pack("{s:s, s:s, s:o, s:o}", "code", v->trend_code, "name", v->trend_name, "points",
			    points_json(a, v, 0), "schools", lines)
		: (json_decref(lines), json_null());
	json_t *rubrics = json_array(), *years = json_array();
	for (size_t i = 0; i < v->nrubrics; i++)
		json_array_append_new(rubrics,
				      json_pack("{s:I, s:s, s:o}", "id", (json_int_t)v->rubrics[i].id, "name",
						v->rubrics[i].name, "builtin_key",
						v->rubrics[i].builtin_key
							? json_string(v->rubrics[i].builtin_key)
							: json_null()));
	for (size_t i = 0; i < v->nyears; i++)
		json_array_append_new(years,
				      json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)v->years[i].id,
						"name", v->years[i].name, "starts_on", v->years[i].starts_on,
						"ends_on", v->years[i].ends_on));
	json_t *year = v->year_name
		? json_pack("{s:I, s:s}", "id", (json_int_t)v->ask.year_id, "name", v->year_name)
		: json_null();
	json_t *j = json_pack("{s:{s:I, s:s}, s:{s:I, s:s, s:{s:I, s:I, s:o}}, s:{s:s, s:s, s:o}, s:s, s:o, "
			      "s:I, s:o, s:o, s:o, s:o}",
			      "district", "id", (json_int_t)v->ask.district_id, "name", v->district_name,
			      "rubric", "id", (json_int_t)v->ask.rubric_id, "name", v->rubric.name, "scale",
			      "min", (json_int_t)v->rubric.scale_min, "max", (json_int_t)v->rubric.scale_max,
			      "labels", labels, "period", "from", dash_month_text(a, v->ask.from), "to",
			      dash_month_text(a, v->ask.to), "school_year", year, "band", band_text(v),
			      "school_id", v->ask.school_id ? json_integer(v->ask.school_id) : json_null(),
			      "min_cell", (json_int_t)v->min_cell, "schools", schools, "indicators",
			      indicators, "cells", cells, "trend", trend);
	json_object_set_new(j, "rubrics", rubrics);
	json_object_set_new(j, "school_years", years);
	return j;
}

/* ---- downloads ---- */

enum { TABLE_COLS = 8 };

static const char *const table_headers[TABLE_COLS] = {"Table",  "School",      "Indicator", "Indicator name",
						      "Period", "School year", "Visits",    "Mean rating"};
static const double table_widths[TABLE_COLS] = {0.8, 2.4, 0.8, 2.6, 1.6, 1.0, 1.2, 0.9};

typedef struct table_rows {
	arena *a;
	const char **cells;
	size_t n, cap;
} table_rows;

/* A hidden cell's visits are words, never a number below the minimum. */
static void table_row(table_rows *t, const dash_view *v, const char *table, const char *school,
		      const dash_indicator *ind, const char *period, const char *year, const dash_cell *c)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		const char **grown = arena_calloc(t->a, t->cap * TABLE_COLS, sizeof *grown);
		if (t->n) memcpy(grown, t->cells, t->n * TABLE_COLS * sizeof *grown);
		t->cells = grown;
	}
	const char **r = t->cells + t->n++ * TABLE_COLS;
	r[0] = table;
	r[1] = school;
	r[2] = ind->code;
	r[3] = ind->name;
	r[4] = period;
	r[5] = year ? year : "";
	r[6] = c->show == DASH_HIDDEN ? hidden_text(t->a, v)
				      : arena_printf(t->a, "%lld", (long long)c->n.visits);
	r[7] = c->show == DASH_SHOWN ? mean_text(t->a, c->n) : "";
}

static void dash_table_of(arena *a, const dash_view *v, report_table *out)
{
	table_rows t = {.a = a};
	const char *period = period_text(a, v);
	for (size_t s = 0; s <= v->nschools; s++) {
		if (s < v->nschools && !v->row[s]) continue;
		for (size_t c = 0; c < v->nindicators; c++)
			table_row(&t, v, "Heatmap",
				  s < v->nschools ? v->schools[s].name : "District (all schools)",
				  &v->indicators[c], period, v->year_name,
				  s < v->nschools ? dash_table_cell(&v->heat, s, c) : &v->heat.district[c]);
	}
	long k = v->trend_code ? indicator_index(v, v->trend_code) : -1;
	for (size_t l = 0; k >= 0 && l <= v->nlines; l++)
		for (size_t m = 0; m < v->trend.ncols; m++) {
			const date_span *y = year_of_month(v, v->months[m]);
			table_row(&t, v, "Trend", l ? line_name(v, l) : "District (all schools)",
				  &v->indicators[k], dash_month_text(a, v->months[m]), y ? y->name : NULL,
				  trend_cell(v, l, m));
		}
	*out = (report_table){
		.title = "Walk dashboard",
		.subtitle = subtitle(a, v),
		.filename = arena_printf(a, "walk-dashboard-%s-%s", dash_month_text(a, v->ask.from),
					 dash_month_text(a, v->ask.to)),
		.ncols = TABLE_COLS,
		.headers = table_headers,
		.widths = table_widths,
		.nrows = t.n,
		.cells = t.cells,
		.notes = {arena_printf(
				  a,
				  "Mean ratings from learning-walk visits. A figure behind fewer than %lld "
				  "visits is not shown, nor a district figure that would give one away.",
				  (long long)v->min_cell),
			  "The trend covers every month with walks, across school years."},
	};
}

static void send_download(req *rq, resp *rs, const dash_view *v)
{
	report_table t;
	dash_table_of(rq->a, v, &t);
	report_audit audit = {REC_WALK_SUMMARY, "walk_summary.export", 0, v->ask.district_id,
			      arena_printf(rq->a, "format=%s %s", v->ask.format, ask_query(rq->a, v))};
	report_download(rq, rs, &t, report_format_named(v->ask.format), &audit);
}

/* ---- the handlers ---- */

/*
** GET /reports/walks?district_id=&rubric_id=&year=&from=YYYY-MM&to=YYYY-MM&band=&school_id=
**     &indicator=&format=csv|xlsx|html
** The implementation dashboard: mean rating by school and indicator over a
** period (a school year, or months), with the visits behind each cell, and
** one indicator's trend by month across school years. Defaults: the
** reader's first district, the rubric of its latest walk, the school year
** of the last month with visits, all grade bands, every school, the
** indicator with the most counted visits. Every figure adds up only groups
** (school, month, grade band) of at least the district's minimum of
** visits. Downloads are audited "walk_summary.export".
** Permissions: may(READ, walk_summary) at each school for its row
** (district leaders, coaches and partner staff of the district: every
** school; principals their own); the district row for anyone with one
** school; downloads may(EXPORT). No reach anywhere (teachers): 404.
*/
void page_walk_dashboard(req *rq, resp *rs)
{
	dash_view v;
	if (!dash_load(rq, rs, &v)) return;
	if (v.ask.format) send_download(rq, rs, &v);
	else dash_page(rq, rs, &v);
}

/*
** GET /api/reports/walks?(as the page)&format=json|csv|xlsx
** {district:{id,name}, rubric:{id,name,scale:{min,max,labels}}, period:{from,to,school_year},
**  band, school_id, min_cell, schools:[{id,name}], indicators:[{code,name}],
**  cells:[{school_id|null (the district), code, visits|null, mean|null, suppressed}],
**  trend:{code, name, points:[{month, school_year, visits|null, mean|null, suppressed}],
**         schools:[{school_id, name, points}]} | null,
**  rubrics:[{id,name,builtin_key}] (the filter's choices), school_years:[{id,name,starts_on,ends_on}]}.
** A cell without visits has visits 0 and mean null. 400 names a bad filter.
** Every answer is an export, audited "walk_summary.export" (format=json).
** Permissions: as GET /reports/walks.
*/
void api_walk_dashboard(req *rq, resp *rs)
{
	dash_view v;
	if (!dash_load(rq, rs, &v)) return;
	if (v.ask.format) {
		send_download(rq, rs, &v);
		return;
	}
	/* The JSON is the dashboard's data handed out: on record as a download is. */
	report_audit audit = {REC_WALK_SUMMARY, "walk_summary.export", 0, v.ask.district_id,
			      arena_printf(rq->a, "format=json %s", ask_query(rq->a, &v))};
	if (report_export_recorded(rq, rs, &audit)) resp_json(rs, 200, dash_json(rq->a, &v));
}
