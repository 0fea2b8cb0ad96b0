/* The leaders' aggregate coaching report, counts only (the trust contract):
 * how many cycles, teachers, completed stages and hours, by school, grade,
 * month and focus indicator, and who takes part (names only, as agreed
 * with the district). It reads cycle rows with the totals of their stages
 * kept on them, their focus codes and their teachers' names; never an
 * answer, a note, a tally or a file. Counts are grouped in SQL by place
 * (district, school) and a group is kept only when may() lets the asker
 * read counts at that place. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../access/grants.h"
#include "../base/util.h"
#include "../calendar/session.h"
#include "../html/html.h"
#include "../html/svg.h"
#include "../org/org.h"
#include "../report/report.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_web.h"

enum {
	REPORT_MONTHS_DEFAULT = 12,
	REPORT_MONTHS_WHOLE = 24, /* a period up to this long shows every month */
	REPORT_MONTHS_MAX = 600   /* the month table of a longer one ends here */
};

/* What was asked: the period (both days included), one school or all of
 * them, and whether it is a download. */
typedef struct report_ask {
	const char *from, *to;
	int64_t school_id;  /* 0: every school the asker may see */
	const char *format; /* NULL: the page or JSON; else "csv" or "xlsx" */
	action act;         /* READ, or EXPORT for a download */
} report_ask;

typedef struct counts {
	int64_t cycles, teachers, plans, enactments, reflections, minutes;
} counts;

/* A school, or a district for cycles held at no school. */
typedef struct place_counts {
	int64_t district_id, school_id;
	const char *name;
	counts n;
} place_counts;

typedef struct grade_counts {
	const char *grade; /* NULL: not recorded */
	counts n;
} grade_counts;

typedef struct focus_count {
	const char *code;
	int64_t cycles;
} focus_count;

/* A teacher at one place, with the number of cycles they are in there. */
typedef struct participant {
	int64_t person_id;
	const char *name;
	size_t place;
	int64_t cycles;
} participant;

typedef struct coaching_report {
	report_ask ask;
	counts total;
	place_counts *places;
	size_t nplaces, places_cap;
	grade_counts *grades;
	size_t ngrades, grades_cap;
	const char **months; /* "2026-02" in order: the period's, or a long one's with cycles */
	size_t nmonths;
	int first_year, first_month;
	counts *by_month;    /* nmonths × month_stride, row-major */
	size_t month_stride; /* the places known when the month table was made */
	focus_count *focus;
	size_t nfocus;
	participant *people;
	size_t npeople;
} coaching_report;

/* ---- what was asked ---- */

static const char *today_text(arena *a)
{
	return session_date_of(a, now_unix() / 86400);
}

/* The first day of the month n months before the month of day. */
static const char *months_back(arena *a, const char *day, int n)
{
	int64_t y = atoi(day), m = atoi(day + 5) - n;
	while (m < 1) {
		m += 12;
		y--;
	}
	return arena_printf(a, "%04d-%02d-01", (int)y, (int)m);
}

static int month_span(const char *from, const char *to)
{
	return (atoi(to) - atoi(from)) * 12 + (atoi(to + 5) - atoi(from + 5)) + 1;
}

static bool query_day(req *rq, resp *rs, const char *key, const char **out)
{
	const char *v = req_query(rq, key);
	int64_t day;
	*out = NULL;
	if (!v || !*v) return true;
	if (session_day_number(v, &day)) {
		*out = v;
		return true;
	}
	resp_error(rq, rs, 400, "bad_filter", arena_printf(rq->a, "%s must be a date (YYYY-MM-DD)", key),
		   key);
	return false;
}

static bool query_format(req *rq, resp *rs, const char **out)
{
	const char *v = req_query(rq, "format");
	*out = NULL;
	if (!v || !*v || str_eq(v, rq->api ? "json" : "html")) return true;
	if (str_eq(v, "csv") || str_eq(v, "xlsx")) {
		*out = v;
		return true;
	}
	resp_error(rq, rs, 400, "bad_format",
		   rq->api ? "format must be csv, xlsx or json" : "format must be csv, xlsx or html",
		   "format");
	return false;
}

/* Without dates: the twelve calendar months up to today, this one included. */
static bool read_ask(req *rq, resp *rs, report_ask *q)
{
	*q = (report_ask){.act = ACT_READ};
	if (!query_format(rq, rs, &q->format) || !query_day(rq, rs, "from", &q->from) ||
	    !query_day(rq, rs, "to", &q->to))
		return false;
	if (q->format) q->act = ACT_EXPORT;
	if (!q->to) q->to = today_text(rq->a);
	if (!q->from) q->from = months_back(rq->a, q->to, REPORT_MONTHS_DEFAULT - 1);
	if (strcmp(q->from, q->to) > 0) {
		resp_error(rq, rs, 400, "bad_filter", "from must be on or before to", "from");
		return false;
	}
	const char *school = req_query(rq, "school");
	if (school && *school && !parse_i64(school, 1, INT64_MAX, &q->school_id)) {
		resp_error(rq, rs, 400, "bad_filter", "school must be an id", "school");
		return false;
	}
	return true;
}

/* ---- the policy, per place ---- */

/* The counts are the district's whichever partner's coach held a cycle,
 * so the place names no partner. */
static bool may_count(const req *rq, action act, int64_t district_id, int64_t school_id)
{
	place p = {school_id ? school_id : district_id, district_id, 0};
	record r = {.kind = REC_COACHING_SUMMARY, .places = &p, .nplaces = 1};
	return may(rq->actor, act, &r);
}

/* ---- reading (cycle_report_store.c) ---- */

/* "2026-02-17" as 20260217, the way held_day keeps a day; day is a valid
 * date (query_day). */
static int64_t day_key(const char *day)
{
	return (int64_t)atoi(day) * 10000 + atoi(day + 5) * 100 + atoi(day + 8);
}

/* The grouped rows of the three queries, before the policy looks at them. */
typedef struct grouped {
	store_rows stages, teachers, focus;
} grouped;

/* Column 4 of the stage rows, YYYYMM, as the "2026-02" the report speaks. */
static void month_texts(arena *a, store_rows *rows)
{
	for (size_t i = 0; i < rows->nrows; i++) {
		int64_t m = rows_int(rows, i, 4);
		rows->cells[i * rows->ncols + 4] =
			arena_printf(a, "%04lld-%02lld", (long long)(m / 100), (long long)(m % 100));
	}
}

static store_rc grouped_rows(req *rq, const report_ask *q, grouped *g)
{
	visibility v;
	policy_visibility(rq->actor, q->act, REC_COACHING_SUMMARY, &v);
	store_rc rc = coaching_report_rows(rq->db, rq->a, &v, day_key(q->from), day_key(q->to), q->school_id,
					   &g->stages, &g->teachers, &g->focus);
	if (rc == STORE_OK) month_texts(rq->a, &g->stages);
	return rc;
}

/* The schools whose counts the asker may see (act), by name: the filter's
 * choices, and a row each in the report even without cycles. */
static store_rc schools_reachable(req *rq, action act, place_counts **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, act, REC_COACHING_SUMMARY, &v);
	store_rows r;
	store_rc rc = coaching_report_schools(rq->db, rq->a, &v, &r);
	if (rc != STORE_OK) return rc;
	*out = arena_calloc(rq->a, r.nrows + 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < r.nrows; i++) {
		place_counts p = {.school_id = rows_int(&r, i, 0),
				  .district_id = rows_int(&r, i, 1),
				  .name = rows_get(&r, i, 2)};
		if (may_count(rq, act, p.district_id, p.school_id)) (*out)[(*n)++] = p;
	}
	return STORE_OK;
}

/* ---- adding up ---- */

static void counts_add(counts *to, const counts *n)
{
	to->cycles += n->cycles;
	to->plans += n->plans;
	to->enactments += n->enactments;
	to->reflections += n->reflections;
	to->minutes += n->minutes;
}

static long place_find(const coaching_report *r, int64_t district_id, int64_t school_id)
{
	for (size_t i = 0; i < r->nplaces; i++)
		if (r->places[i].district_id == district_id && r->places[i].school_id == school_id)
			return (long)i;
	return -1;
}

static size_t place_index(coaching_report *r, arena *a, int64_t district_id, int64_t school_id,
			  const char *name)
{
	long found = place_find(r, district_id, school_id);
	if (found >= 0) return (size_t)found;
	if (r->nplaces == r->places_cap) {
		r->places_cap = r->places_cap ? r->places_cap * 2 : 16;
		place_counts *grown = arena_calloc(a, r->places_cap, sizeof *grown);
		if (r->nplaces) memcpy(grown, r->places, r->nplaces * sizeof *grown);
		r->places = grown;
	}
	r->places[r->nplaces] = (place_counts){district_id, school_id, name ? name : "", {0}};
	return r->nplaces++;
}

static bool grade_same(const char *a, const char *b)
{
	return (!a && !b) || str_eq(a, b);
}

static size_t grade_index(coaching_report *r, arena *a, const char *grade)
{
	for (size_t i = 0; i < r->ngrades; i++)
		if (grade_same(r->grades[i].grade, grade)) return i;
	if (r->ngrades == r->grades_cap) {
		r->grades_cap = r->grades_cap ? r->grades_cap * 2 : 16;
		grade_counts *grown = arena_calloc(a, r->grades_cap, sizeof *grown);
		if (r->ngrades) memcpy(grown, r->grades, r->ngrades * sizeof *grown);
		r->grades = grown;
	}
	r->grades[r->ngrades] = (grade_counts){grade, {0}};
	return r->ngrades++;
}

/* The month's place in the period; -1 outside it. */
static long month_index(const coaching_report *r, const char *month)
{
	if (!month || strlen(month) != 7 || month[4] != '-') return -1;
	long k = (long)(atoi(month) - r->first_year) * 12 + (atoi(month + 5) - r->first_month);
	return k >= 0 && (size_t)k < r->nmonths ? k : -1;
}

/* Every month of a short period, empty ones too; a long one ("to=2099-12-31"
 * for everything) from its first month with cycles to its last. */
static void months_of_period(coaching_report *r, arena *a, const store_rows *rows, const bool *kept)
{
	const char *first = r->ask.from, *last = r->ask.to;
	if (month_span(first, last) > REPORT_MONTHS_WHOLE) {
		first = last = NULL;
		for (size_t i = 0; i < rows->nrows; i++) {
			const char *m = rows_get(rows, i, 4);
			if (!kept[i] || !m || strlen(m) != 7) continue;
			if (!first || strcmp(m, first) < 0) first = m;
			if (!last || strcmp(m, last) > 0) last = m;
		}
		if (!first) return;
		if (month_span(first, last) > REPORT_MONTHS_MAX)
			first = months_back(a, arena_printf(a, "%s-01", last), REPORT_MONTHS_MAX - 1);
	}
	r->first_year = atoi(first);
	r->first_month = atoi(first + 5);
	r->nmonths = (size_t)month_span(first, last);
	r->months = arena_calloc(a, r->nmonths + 1, sizeof *r->months);
	for (size_t k = 0; k < r->nmonths; k++) {
		int m0 = r->first_month - 1 + (int)k;
		r->months[k] = arena_printf(a, "%04d-%02d", r->first_year + m0 / 12, m0 % 12 + 1);
	}
}

/* A place's counts in month k; zeros for a place the month table does not
 * hold. */
static counts month_counts(const coaching_report *r, size_t k, size_t p)
{
	return p < r->month_stride ? r->by_month[k * r->month_stride + p] : (counts){0};
}

static counts stage_row_counts(const store_rows *rows, size_t i)
{
	return (counts){.cycles = rows_int(rows, i, 5),
			.plans = rows_int(rows, i, 6),
			.enactments = rows_int(rows, i, 7),
			.reflections = rows_int(rows, i, 8),
			.minutes = rows_int(rows, i, 9)};
}

/* The month table is sized once every place is known. */
static void stage_rows_add(coaching_report *r, arena *a, const store_rows *rows, const bool *kept)
{
	for (size_t i = 0; i < rows->nrows; i++) {
		if (!kept[i]) continue;
		size_t p =
			place_index(r, a, rows_int(rows, i, 0), rows_int(rows, i, 1), rows_get(rows, i, 2));
		counts n = stage_row_counts(rows, i);
		size_t g = grade_index(r, a, rows_get(rows, i, 3)); /* may move r->grades */
		counts_add(&r->places[p].n, &n);
		counts_add(&r->grades[g].n, &n);
		counts_add(&r->total, &n);
	}
	months_of_period(r, a, rows, kept);
	r->month_stride = r->nplaces;
	r->by_month = arena_calloc(a, (r->nmonths + 1) * (r->nplaces + 1), sizeof *r->by_month);
	for (size_t i = 0; i < rows->nrows; i++) {
		long k = month_index(r, rows_get(rows, i, 4));
		long p = place_find(r, rows_int(rows, i, 0), rows_int(rows, i, 1));
		if (!kept[i] || k < 0 || p < 0) continue;
		counts n = stage_row_counts(rows, i);
		counts_add(&r->by_month[(size_t)k * r->month_stride + (size_t)p], &n);
	}
}

/* A teacher row kept by the policy: where, which grade, who, how many. */
typedef struct teacher_row {
	size_t place, grade;
	int64_t person_id;
	const char *name;
	int64_t cycles;
} teacher_row;

static int by_place_person(const void *x, const void *y)
{
	const teacher_row *a = x, *b = y;
	if (a->place != b->place) return a->place < b->place ? -1 : 1;
	return a->person_id < b->person_id ? -1 : a->person_id > b->person_id;
}

static int by_grade_person(const void *x, const void *y)
{
	const teacher_row *a = x, *b = y;
	if (a->grade != b->grade) return a->grade < b->grade ? -1 : 1;
	return a->person_id < b->person_id ? -1 : a->person_id > b->person_id;
}

static int by_person(const void *x, const void *y)
{
	const teacher_row *a = x, *b = y;
	return a->person_id < b->person_id ? -1 : a->person_id > b->person_id;
}

/* Teachers are counted once per place, per grade and overall, however many
 * cycles they are in; participation lists them once per place. */
static void teachers_add(coaching_report *r, arena *a, teacher_row *t, size_t n)
{
	qsort(t, n, sizeof *t, by_place_person);
	r->people = arena_calloc(a, n + 1, sizeof *r->people);
	for (size_t i = 0; i < n; i++) {
		if (i && t[i].place == t[i - 1].place && t[i].person_id == t[i - 1].person_id) {
			r->people[r->npeople - 1].cycles += t[i].cycles;
			continue;
		}
		r->places[t[i].place].n.teachers++;
		r->people[r->npeople++] = (participant){t[i].person_id, t[i].name, t[i].place, t[i].cycles};
	}
	qsort(t, n, sizeof *t, by_grade_person);
	for (size_t i = 0; i < n; i++)
		if (!i || t[i].grade != t[i - 1].grade || t[i].person_id != t[i - 1].person_id)
			r->grades[t[i].grade].n.teachers++;
	qsort(t, n, sizeof *t, by_person);
	for (size_t i = 0; i < n; i++)
		if (!i || t[i].person_id != t[i - 1].person_id) r->total.teachers++;
}

/* A row of a place the counts did not have (a cycle started between the
 * two queries) waits for the next report. */
static void teacher_rows_add(coaching_report *r, arena *a, const store_rows *rows, const bool *kept)
{
	teacher_row *t = arena_calloc(a, rows->nrows + 1, sizeof *t);
	size_t n = 0;
	for (size_t i = 0; i < rows->nrows; i++) {
		long p = place_find(r, rows_int(rows, i, 0), rows_int(rows, i, 1));
		if (!kept[i] || p < 0) continue;
		t[n++] = (teacher_row){(size_t)p, grade_index(r, a, rows_get(rows, i, 2)),
				       rows_int(rows, i, 3), rows_get(rows, i, 4), rows_int(rows, i, 5)};
	}
	teachers_add(r, a, t, n);
}

static void focus_rows_add(coaching_report *r, arena *a, const store_rows *rows, const bool *kept)
{
	r->focus = arena_calloc(a, rows->nrows + 1, sizeof *r->focus);
	for (size_t i = 0; i < rows->nrows; i++) {
		if (!kept[i]) continue;
		const char *code = rows_get(rows, i, 2);
		size_t k = 0;
		while (k < r->nfocus && !str_eq(r->focus[k].code, code)) k++;
		if (k == r->nfocus) r->focus[r->nfocus++] = (focus_count){code, 0};
		r->focus[k].cycles += rows_int(rows, i, 3);
	}
}

/* Which rows (grouped by district in column 0 and school in column 1) the
 * asker may count. */
static bool *rows_kept(req *rq, action act, const store_rows *rows)
{
	bool *kept = arena_calloc(rq->a, rows->nrows + 1, sizeof *kept);
	for (size_t i = 0; i < rows->nrows; i++)
		kept[i] = may_count(rq, act, rows_int(rows, i, 0), rows_int(rows, i, 1));
	return kept;
}

/* ---- order ---- */

/* K, then grades by number (6-8 after 6), then anything else, then none. */
static int grade_rank(const char *g)
{
	if (!g) return 100000;
	if (str_eq(g, "K")) return 0;
	if (*g >= '0' && *g <= '9') return atoi(g) * 10 + (strchr(g, '-') ? 5 : 0) + 10;
	return 50000;
}

static int by_grade(const void *x, const void *y)
{
	const grade_counts *a = x, *b = y;
	int ra = grade_rank(a->grade), rb = grade_rank(b->grade);
	if (ra != rb) return ra < rb ? -1 : 1;
	return a->grade && b->grade ? strcmp(a->grade, b->grade) : 0;
}

static int by_cycles_then_code(const void *x, const void *y)
{
	const focus_count *a = x, *b = y;
	if (a->cycles != b->cycles) return a->cycles > b->cycles ? -1 : 1;
	return strcmp(a->code, b->code);
}

/* Participants by name, then by place (the places array is already in
 * order, so its index orders them). */
static int by_name_then_place(const void *x, const void *y)
{
	const participant *a = x, *b = y;
	int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
	if (c) return c;
	if (a->place != b->place) return a->place < b->place ? -1 : 1;
	return a->person_id < b->person_id ? -1 : a->person_id > b->person_id;
}

/* The places stay where they were added (the month table and participants
 * index them), so their order is a separate permutation. */
static size_t *places_by_name(const coaching_report *r, arena *a)
{
	size_t *order = arena_calloc(a, r->nplaces + 1, sizeof *order);
	for (size_t i = 0; i < r->nplaces; i++) {
		size_t j = i;
		while (j && strcmp(r->places[order[j - 1]].name, r->places[i].name) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	return order;
}

/* ---- building it ---- */

static store_rc report_build(req *rq, const report_ask *q, const place_counts *schools, size_t nschools,
			     coaching_report *r)
{
	*r = (coaching_report){.ask = *q};
	for (size_t i = 0; i < nschools; i++)
		if (!q->school_id || schools[i].school_id == q->school_id)
			place_index(r, rq->a, schools[i].district_id, schools[i].school_id, schools[i].name);
	grouped g;
	store_rc rc = grouped_rows(rq, q, &g);
	if (rc != STORE_OK) return rc;
	stage_rows_add(r, rq->a, &g.stages, rows_kept(rq, q->act, &g.stages));
	teacher_rows_add(r, rq->a, &g.teachers, rows_kept(rq, q->act, &g.teachers));
	focus_rows_add(r, rq->a, &g.focus, rows_kept(rq, q->act, &g.focus));
	qsort(r->people, r->npeople, sizeof *r->people, by_name_then_place);
	qsort(r->focus, r->nfocus, sizeof *r->focus, by_cycles_then_code);
	/* Grades last: teacher rows hold grade indexes until here. */
	if (r->ngrades) qsort(r->grades, r->ngrades, sizeof *r->grades, by_grade);
	return STORE_OK;
}

/* ---- words and numbers ---- */

/* Hours to one decimal, from whole minutes, without floating point. */
static const char *hours_text(arena *a, int64_t minutes)
{
	int64_t tenths = (minutes * 10 + 30) / 60;
	return arena_printf(a, "%lld.%lld", (long long)(tenths / 10), (long long)(tenths % 10));
}

static const char *grade_label(arena *a, const char *g)
{
	if (!g || !*g) return "Grade not recorded";
	if (str_eq(g, "K")) return "Kindergarten";
	return arena_printf(a, strchr(g, '-') ? "Grades %s" : "Grade %s", g);
}

static const char *focus_label(const char *code)
{
	const char *label = focus_code_label(code);
	return label && *label ? label : code;
}

static const char *month_label(arena *a, const char *month)
{
	static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int m = atoi(month + 5);
	return m >= 1 && m <= 12 ? arena_printf(a, "%s %.4s", names[m - 1], month) : month;
}

static const char *num(arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}

/* "2025-12-01 to 2026-11-22, Meadowbrook Elementary School" */
static const char *period_text(arena *a, const coaching_report *r)
{
	const char *where = "every school you may see";
	if (r->ask.school_id)
		for (size_t i = 0; i < r->nplaces; i++)
			if (r->places[i].school_id == r->ask.school_id) where = r->places[i].name;
	return arena_printf(a, "%s to %s, %s", r->ask.from, r->ask.to, where);
}

/* The filters as a query string, for download links and the audit entry. */
static const char *ask_query(arena *a, const report_ask *q)
{
	const char *s = arena_printf(a, "from=%s&to=%s", q->from, q->to);
	return q->school_id ? arena_printf(a, "%s&school=%lld", s, (long long)q->school_id) : s;
}

/* ---- the page ---- */

static void filter_form(req *rq, buf *b, const coaching_report *r, const place_counts *schools,
			size_t nschools)
{
	html_printf(b,
		    "<form class=\"filters\" method=\"get\" action=\"/reports/coaching\">\n"
		    "<div class=\"field\"><label for=\"from\">From</label>"
		    "<input id=\"from\" name=\"from\" type=\"date\" value=\"%s\"></div>\n"
		    "<div class=\"field\"><label for=\"to\">To</label>"
		    "<input id=\"to\" name=\"to\" type=\"date\" value=\"%s\"></div>\n"
		    "<div class=\"field\"><label for=\"school\">School</label>"
		    "<select id=\"school\" name=\"school\"><option value=\"\">Every school</option>",
		    r->ask.from, r->ask.to);
	for (size_t i = 0; i < nschools; i++)
		html_printf(b, "<option value=\"%lld\"%s>%s</option>", (long long)schools[i].school_id,
			    schools[i].school_id == r->ask.school_id ? " selected" : "", schools[i].name);
	html_printf(b, "</select></div>\n<button type=\"submit\">Show</button>\n</form>\n");
	if (!may_act_somewhere(rq, REC_COACHING_SUMMARY, ACT_EXPORT)) return;
	const char *query = ask_query(rq->a, &r->ask);
	html_printf(b,
		    "<p class=\"actions\">Download: "
		    "<a href=\"/reports/coaching?format=csv&amp;%s\" download>csv</a> · "
		    "<a href=\"/reports/coaching?format=xlsx&amp;%s\" download>xlsx</a></p>\n",
		    query, query);
}

static void totals_list(req *rq, buf *b, const counts *t)
{
	html_printf(b,
		    "<dl class=\"facts\">\n"
		    "<dt>Cycles</dt><dd>%lld</dd>\n<dt>Teachers in cycles</dt><dd>%lld</dd>\n"
		    "<dt>Completed plans</dt><dd>%lld</dd>\n<dt>Completed enactments</dt><dd>%lld</dd>\n"
		    "<dt>Completed reflections</dt><dd>%lld</dd>\n<dt>Hours</dt><dd>%s</dd>\n</dl>\n",
		    (long long)t->cycles, (long long)t->teachers, (long long)t->plans,
		    (long long)t->enactments, (long long)t->reflections, hours_text(rq->a, t->minutes));
}

/* Months down, one stack segment per school with cycles in the period. */
static void month_chart(req *rq, buf *b, const coaching_report *r, const size_t *order)
{
	size_t *cols = arena_calloc(rq->a, r->nplaces + 1, sizeof *cols), ncols = 0;
	for (size_t i = 0; i < r->nplaces; i++)
		if (r->places[order[i]].n.cycles) cols[ncols++] = order[i];
	const char **rows = arena_calloc(rq->a, r->nmonths + 1, sizeof *rows);
	const char **names = arena_calloc(rq->a, ncols + 1, sizeof *names);
	double *v = arena_calloc(rq->a, (r->nmonths + 1) * (ncols + 1), sizeof *v);
	for (size_t j = 0; j < ncols; j++) names[j] = r->places[cols[j]].name;
	for (size_t k = 0; k < r->nmonths; k++) {
		rows[k] = month_label(rq->a, r->months[k]);
		for (size_t j = 0; j < ncols; j++)
			v[k * ncols + j] = (double)month_counts(r, k, cols[j]).cycles;
	}
	svg_chart c = {.id = "cycles-per-month",
		       .title = "Cycles per month by school",
		       .row_head = "Month",
		       .horizontal = true}; /* months down: a phone reads a year without scrolling */
	svg_table t = {r->nmonths, ncols, rows, names, v};
	svg_stacked_bar(b, &c, &t);
}

static void focus_chart(req *rq, buf *b, const coaching_report *r)
{
	const char **rows = arena_calloc(rq->a, r->nfocus + 1, sizeof *rows);
	double *v = arena_calloc(rq->a, r->nfocus + 1, sizeof *v);
	for (size_t i = 0; i < r->nfocus; i++) {
		rows[i] = focus_label(r->focus[i].code);
		v[i] = (double)r->focus[i].cycles;
	}
	svg_chart c = {.id = "focus-indicators",
		       .title = "Focus indicators",
		       .row_head = "Indicator",
		       .horizontal = true};
	svg_table t = {.nrows = r->nfocus, .ncols = 1, .rows = rows, .v = v};
	svg_bar(b, &c, &t);
}

static void counts_head(buf *b, const char *caption, const char *first)
{
	html_table_open(b);
	html_printf(
		b,
		"\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
		"<th scope=\"col\" class=\"num\">Cycles</th><th scope=\"col\" class=\"num\">Teachers</th>"
		"<th scope=\"col\" class=\"num\">Plans</th><th scope=\"col\" class=\"num\">Enactments</th>"
		"<th scope=\"col\" class=\"num\">Reflections</th><th scope=\"col\" class=\"num\">Hours</th>"
		"</tr></thead>\n<tbody>\n",
		caption, first);
}

static void counts_row(req *rq, buf *b, const char *name, const counts *n)
{
	html_printf(b,
		    "<tr><th scope=\"row\">%s</th><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
		    "<td class=\"num\">%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
		    "<td class=\"num\">%s</td></tr>\n",
		    name, (long long)n->cycles, (long long)n->teachers, (long long)n->plans,
		    (long long)n->enactments, (long long)n->reflections, hours_text(rq->a, n->minutes));
}

static void school_table(req *rq, buf *b, const coaching_report *r, const size_t *order)
{
	html_printf(b, "<h2>By school</h2>\n");
	counts_head(b, "Cycles, teachers, completed stages and hours by school", "School");
	for (size_t i = 0; i < r->nplaces; i++)
		counts_row(rq, b, r->places[order[i]].name, &r->places[order[i]].n);
	html_printf(b, "</tbody></table></div>\n");
}

static void grade_table(req *rq, buf *b, const coaching_report *r)
{
	html_printf(b, "<h2>By grade</h2>\n");
	if (!r->ngrades) {
		html_printf(b, "<p class=\"muted\">No cycles in this period.</p>\n");
		return;
	}
	counts_head(b, "Cycles, teachers, completed stages and hours by grade", "Grade");
	for (size_t i = 0; i < r->ngrades; i++)
		counts_row(rq, b, grade_label(rq->a, r->grades[i].grade), &r->grades[i].n);
	html_printf(b, "</tbody></table></div>\n");
}

static void focus_table(buf *b, const coaching_report *r)
{
	html_printf(b, "<h2>By focus indicator</h2>\n");
	if (!r->nfocus) {
		html_printf(b, "<p class=\"muted\">No plan in this period names a focus yet.</p>\n");
		return;
	}
	html_table_open(b);
	html_printf(b,
		    "\n<caption>Cycles by the focus of their plan</caption>\n<thead><tr>"
		    "<th scope=\"col\">Indicator</th><th scope=\"col\" class=\"num\">Cycles</th>"
		    "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->nfocus; i++)
		html_printf(b, "<tr><th scope=\"row\">%s</th><td class=\"num\">%lld</td></tr>\n",
			    focus_label(r->focus[i].code), (long long)r->focus[i].cycles);
	html_printf(b, "</tbody></table></div>\n");
}

static void participation_table(buf *b, const coaching_report *r)
{
	html_printf(b,
		    "<h2>Participation</h2>\n"
		    "<p class=\"muted\">Who takes part is agreed with the district; what happens in a "
		    "cycle stays with its coach and teachers.</p>\n");
	if (!r->npeople) {
		html_printf(b, "<p class=\"muted\">No teacher was in a cycle in this period.</p>\n");
		return;
	}
	html_table_open(b);
	html_printf(b,
		    "\n<caption>Teachers in cycles</caption>\n<thead><tr><th scope=\"col\">Teacher</th>"
		    "<th scope=\"col\">School</th><th scope=\"col\" class=\"num\">Cycles</th>"
		    "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->npeople; i++)
		html_printf(b, "<tr><th scope=\"row\">%s</th><td>%s</td><td class=\"num\">%lld</td></tr>\n",
			    r->people[i].name, r->places[r->people[i].place].name,
			    (long long)r->people[i].cycles);
	html_printf(b, "</tbody></table></div>\n");
}

static void report_page(req *rq, resp *rs, const coaching_report *r, const place_counts *schools,
			size_t nschools)
{
	size_t *order = places_by_name(r, rq->a);
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Coaching report", "coaching-report");
	layout_begin(b, &l);
	html_printf(b,
		    "<h1>Coaching report</h1>\n<p>%s</p>\n"
		    "<p class=\"muted\">Counts only: no plan, note, reflection or file of any cycle is "
		    "shown here. A cycle counts in the month of its lesson, or of its start while no "
		    "lesson is planned.</p>\n",
		    period_text(rq->a, r));
	filter_form(rq, b, r, schools, nschools);
	totals_list(rq, b, &r->total);
	if (r->total.cycles) {
		month_chart(rq, b, r, order);
		focus_chart(rq, b, r);
	} else {
		html_printf(b, "<p>No coaching cycles in this period.</p>\n");
	}
	school_table(rq, b, r, order);
	grade_table(rq, b, r);
	focus_table(b, r);
	participation_table(b, r);
	layout_end(b);
}

/* ---- JSON ---- */

static json_t *counts_json(arena *a, const counts *n)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:s}", "cycles", (json_int_t)n->cycles, "teachers",
			 (json_int_t)n->teachers, "plans_completed", (json_int_t)n->plans,
			 "enactments_completed", (json_int_t)n->enactments, "reflections_completed",
			 (json_int_t)n->reflections, "minutes", (json_int_t)n->minutes, "hours",
			 hours_text(a, n->minutes));
}

static json_t *place_json(arena *a, const place_counts *p)
{
	json_t *j = counts_json(a, &p->n);
	json_object_set_new(j, "school_id", p->school_id ? json_integer(p->school_id) : json_null());
	json_object_set_new(j, "district_id", json_integer(p->district_id));
	json_object_set_new(j, "school", json_string(p->name));
	return j;
}

static json_t *months_json(arena *a, const coaching_report *r, const size_t *order)
{
	json_t *arr = json_array();
	for (size_t k = 0; k < r->nmonths; k++) {
		counts sum = {0};
		json_t *schools = json_array();
		for (size_t i = 0; i < r->nplaces; i++) {
			counts n = month_counts(r, k, order[i]);
			counts_add(&sum, &n);
			if (!n.cycles) continue;
			const place_counts *p = &r->places[order[i]];
			json_array_append_new(
				schools,
				json_pack("{s:o, s:s, s:I}", "school_id",
					  p->school_id ? json_integer(p->school_id) : json_null(), "school",
					  p->name, "cycles", (json_int_t)n.cycles));
		}
		json_t *j =
			json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:o}", "month", r->months[k], "cycles",
				  (json_int_t)sum.cycles, "plans_completed", (json_int_t)sum.plans,
				  "enactments_completed", (json_int_t)sum.enactments, "reflections_completed",
				  (json_int_t)sum.reflections, "minutes", (json_int_t)sum.minutes, "hours",
				  hours_text(a, sum.minutes), "schools", schools);
		json_array_append_new(arr, j);
	}
	return arr;
}

static json_t *report_json(arena *a, const coaching_report *r)
{
	size_t *order = places_by_name(r, a);
	json_t *schools = json_array(), *grades = json_array(), *focus = json_array(), *people = json_array();
	for (size_t i = 0; i < r->nplaces; i++)
		json_array_append_new(schools, place_json(a, &r->places[order[i]]));
	for (size_t i = 0; i < r->ngrades; i++) {
		json_t *g = counts_json(a, &r->grades[i].n);
		json_object_set_new(g, "grade",
				    r->grades[i].grade ? json_string(r->grades[i].grade) : json_null());
		json_object_set_new(g, "label", json_string(grade_label(a, r->grades[i].grade)));
		json_array_append_new(grades, g);
	}
	for (size_t i = 0; i < r->nfocus; i++)
		json_array_append_new(focus,
				      json_pack("{s:s, s:s, s:I}", "code", r->focus[i].code, "label",
						focus_label(r->focus[i].code), "cycles",
						(json_int_t)r->focus[i].cycles));
	for (size_t i = 0; i < r->npeople; i++) {
		const place_counts *p = &r->places[r->people[i].place];
		json_array_append_new(
			people,
			json_pack("{s:I, s:s, s:o, s:s, s:I}", "person_id",
				  (json_int_t)r->people[i].person_id, "name", r->people[i].name, "school_id",
				  p->school_id ? json_integer(p->school_id) : json_null(), "school", p->name,
				  "cycles", (json_int_t)r->people[i].cycles));
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "from", r->ask.from, "to",
			 r->ask.to, "school_id",
			 r->ask.school_id ? json_integer(r->ask.school_id) : json_null(), "totals",
			 counts_json(a, &r->total), "by_school", schools, "by_grade", grades, "by_month",
			 months_json(a, r, order), "by_focus", focus, "participation", people);
}

/* ---- downloads ---- */

enum { TABLE_COLS = 9 };

static const char *const table_headers[TABLE_COLS] = {"Figure",
						      "Item",
						      "School",
						      "Cycles",
						      "Teachers",
						      "Completed plans",
						      "Completed enactments",
						      "Completed reflections",
						      "Hours"};
static const double table_widths[TABLE_COLS] = {1.2, 2.6, 2.2, 0.8, 0.8, 1.1, 1.3, 1.3, 0.8};

/* One flat table, so the CSV and the one-sheet XLSX read the same: a row per
 * figure and item; cells that do not apply are empty. */
typedef struct table_rows {
	arena *a;
	const char **cells;
	size_t n, cap;
} table_rows;

static void table_row(table_rows *t, const char *figure, const char *item, const char *school,
		      const counts *n, bool teachers)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		const char **grown = arena_calloc(t->a, t->cap * TABLE_COLS, sizeof *grown);
		if (t->n) memcpy(grown, t->cells, t->n * TABLE_COLS * sizeof *grown);
		t->cells = grown;
	}
	const char **c = t->cells + t->n++ * TABLE_COLS;
	c[0] = figure;
	c[1] = item ? item : "";
	c[2] = school ? school : "";
	c[3] = num(t->a, n->cycles);
	c[4] = teachers ? num(t->a, n->teachers) : "";
	c[5] = num(t->a, n->plans);
	c[6] = num(t->a, n->enactments);
	c[7] = num(t->a, n->reflections);
	c[8] = hours_text(t->a, n->minutes);
}

static void count_row(table_rows *t, const char *figure, const char *item, const char *school, int64_t cycles)
{
	table_row(t, figure, item, school, &(counts){.cycles = cycles}, false);
	const char **c = t->cells + (t->n - 1) * TABLE_COLS;
	c[5] = c[6] = c[7] = c[8] = "";
}

static void report_table_of(arena *a, const coaching_report *r, report_table *out)
{
	size_t *order = places_by_name(r, a);
	table_rows t = {.a = a};
	table_row(&t, "Total", NULL, NULL, &r->total, true);
	for (size_t i = 0; i < r->nplaces; i++)
		table_row(&t, "School", NULL, r->places[order[i]].name, &r->places[order[i]].n, true);
	for (size_t i = 0; i < r->ngrades; i++)
		table_row(&t, "Grade", grade_label(a, r->grades[i].grade), NULL, &r->grades[i].n, true);
	for (size_t k = 0; k < r->nmonths; k++)
		for (size_t i = 0; i < r->nplaces; i++) {
			counts n = month_counts(r, k, order[i]);
			if (n.cycles)
				table_row(&t, "Month", r->months[k], r->places[order[i]].name, &n, false);
		}
	for (size_t i = 0; i < r->nfocus; i++)
		count_row(&t, "Focus indicator", focus_label(r->focus[i].code), NULL, r->focus[i].cycles);
	for (size_t i = 0; i < r->npeople; i++)
		count_row(&t, "Participation", r->people[i].name, r->places[r->people[i].place].name,
			  r->people[i].cycles);
	*out = (report_table){
		.title = "Coaching report",
		.subtitle = period_text(a, r),
		.filename = arena_printf(a, "coaching-report-%s-%s", r->ask.from, r->ask.to),
		.ncols = TABLE_COLS,
		.headers = table_headers,
		.widths = table_widths,
		.nrows = t.n,
		.cells = t.cells,
		.notes = {"Counts only: no content of any coaching cycle.",
			  "A cycle counts in the month of its lesson, or of its start while no lesson is "
			  "planned. Hours are the minutes recorded on its stages."},
	};
}

/* The district whose audit log the download belongs in: the report's one
 * district, else the asker's own. */
static int64_t report_home(const req *rq, const coaching_report *r)
{
	int64_t d = r->nplaces ? r->places[0].district_id : 0;
	for (size_t i = 1; i < r->nplaces; i++)
		if (r->places[i].district_id != d) d = 0;
	return d ? d : grants_home(rq->actor->grants, rq->actor->ngrants);
}

static void send_download(req *rq, resp *rs, const coaching_report *r)
{
	report_table t;
	report_table_of(rq->a, r, &t);
	report_audit audit = {REC_COACHING_SUMMARY, "coaching_summary.export", 0, report_home(rq, r),
			      arena_printf(rq->a, "format=%s %s", r->ask.format, ask_query(rq->a, &r->ask))};
	report_download(rq, rs, &t, report_format_named(r->ask.format), &audit);
}

/* ---- the handlers ---- */

/* Reads the ask, checks the asker's reach, and builds the report; false
 * when an answer (an error) was already given. */
static bool report_load(req *rq, resp *rs, coaching_report *r, place_counts **schools, size_t *nschools)
{
	report_ask q;
	if (!read_ask(rq, rs, &q)) return false;
	/* No reach at all: there is no report here for this person. */
	if (!may_act_somewhere(rq, REC_COACHING_SUMMARY, ACT_READ)) {
		resp_error(rq, rs, 404, "not_found", "there is no such page", NULL);
		return false;
	}
	if (q.format && !may_act_somewhere(rq, REC_COACHING_SUMMARY, ACT_EXPORT)) {
		resp_error(rq, rs, 403, "forbidden", "you may not download the coaching report", NULL);
		return false;
	}
	if (schools_reachable(rq, q.act, schools, nschools) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	bool known = !q.school_id;
	for (size_t i = 0; i < *nschools && !known; i++) known = (*schools)[i].school_id == q.school_id;
	if (!known) {
		resp_error(rq, rs, 404, "not_found", "there is no such school in your report", "school");
		return false;
	}
	if (report_build(rq, &q, *schools, *nschools, r) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	return true;
}

/*
** GET /reports/coaching?from=YYYY-MM-DD&to=YYYY-MM-DD&school=ID&format=csv|xlsx|html
** The leaders' aggregate report: counts of cycles, teachers, completed
** stages and hours by school, grade, month and focus indicator, and who
** takes part; never any content of a cycle. Default period: the twelve
** months up to today. Downloads are audited "coaching_summary.export".
** Permissions: may(READ, coaching_summary) at each school (district
** leaders their district, principals their school, coaches their
** district); downloads may(EXPORT). No reach anywhere: 404.
*/
void page_coaching_report(req *rq, resp *rs)
{
	coaching_report r;
	place_counts *schools;
	size_t nschools;
	if (!report_load(rq, rs, &r, &schools, &nschools)) return;
	if (r.ask.format) send_download(rq, rs, &r);
	else report_page(rq, rs, &r, schools, nschools);
}

/*
** GET /api/reports/coaching?from=YYYY-MM-DD&to=YYYY-MM-DD&school=ID&format=csv|xlsx|json
** {from,to,school_id,totals,by_school,by_grade,by_month,by_focus,participation};
** counts carry cycles, teachers, plans_completed, enactments_completed,
** reflections_completed, minutes and hours ("7.7"). 400 names a bad param.
** Every answer is an export, audited "coaching_summary.export" (format=json).
** Permissions: as GET /reports/coaching.
*/
void api_coaching_report(req *rq, resp *rs)
{
	coaching_report r;
	place_counts *schools;
	size_t nschools;
	if (!report_load(rq, rs, &r, &schools, &nschools)) return;
	if (r.ask.format) {
		send_download(rq, rs, &r);
		return;
	}
	/* The JSON is the report's data handed out: on record as a download is. */
	report_audit audit = {REC_COACHING_SUMMARY, "coaching_summary.export", 0, report_home(rq, &r),
			      arena_printf(rq->a, "format=json %s", ask_query(rq->a, &r.ask))};
	if (report_export_recorded(rq, rs, &audit)) resp_json(rs, 200, report_json(rq->a, &r));
}
