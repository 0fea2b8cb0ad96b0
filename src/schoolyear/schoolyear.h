/* School years and their terms: a district's calendar, which sessions,
 * classes and reports are counted in. Date rules in schoolyear.c; storage
 * in schoolyear_store.c; the checked changes in schoolyear_change.c;
 * pages in schoolyear_pages.c and the JSON API in schoolyear_api.c. */
#ifndef COACHD_SCHOOLYEAR_H
#define COACHD_SCHOOLYEAR_H

#include <stdbool.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../org/org.h"
#include "../store/store.h"

/* A day of the Gregorian calendar. */
typedef struct civil_date {
	int year, month, day;
} civil_date;

/* A stored year or term: dates as YYYY-MM-DD text, which sorts as dates. */
typedef struct school_year {
	int64_t id;
	int64_t district_id;
	const char *district_name;
	const char *name;
	const char *starts_on;
	const char *ends_on;
	bool active;
	int64_t terms; /* active terms */
} school_year;

typedef struct term {
	int64_t id;
	int64_t school_year_id;
	const char *name;
	const char *starts_on;
	const char *ends_on;
} term;

/* A span of days, both ends included, and whose it is (for messages and
 * for leaving a record out of its own overlap check). */
typedef struct date_span {
	int64_t id;
	const char *name;
	const char *starts_on;
	const char *ends_on;
} date_span;

/* What a form or JSON body carries, trimmed. */
typedef struct school_year_input {
	const char *name;
	const char *starts_on;
	const char *ends_on;
	int64_t district_id;
	bool district_unreadable; /* a district was given but is not an id */
} school_year_input;

typedef struct term_input {
	const char *name;
	const char *starts_on;
	const char *ends_on;
} term_input;

/* ---- dates and spans (schoolyear.c, pure) ---- */
bool date_is_leap_year(int year);
int date_days_in_month(int year, int month);
/* Parses exactly YYYY-MM-DD (years 1900 to 2999) that names a real day;
 * NULL on success, else a sentence (in a) saying what is wrong. */
const char *date_problem(arena *a, const char *s, civil_date *out);
/* Do two spans share a day? Both ends are included. */
bool spans_overlap(const date_span *a, const date_span *b);
/* The first of others (not skip_id) overlapping s, or NULL. */
const date_span *span_overlapping(const date_span *others, size_t n, int64_t skip_id, const date_span *s);
/* Checks a year's name and dates against the district's other active
 * years (no overlap) and its own terms (all inside it); errors name the
 * field. self_id: the year being changed, 0 for a new one. */
void school_year_check(arena *a, const school_year_input *in, int64_t self_id, const date_span *years,
		       size_t nyears, const date_span *terms, size_t nterms, form_errors *e);
/* Checks a term against its year (inside it) and the year's other active
 * terms (no overlap). */
void term_check(arena *a, const term_input *in, const school_year *year, const date_span *terms,
		size_t nterms, form_errors *e);
/* Where a school year sits for the policy: in its district. */
place school_year_place(int64_t district_id);
record school_year_record(const place *p);

/* ---- storage (schoolyear_store.c) ---- */
/* Active years the visibility reaches, in district_id when not 0; by
 * district, newest first. */
store_rc school_year_list(store *s, arena *a, const visibility *v, int64_t district_id, school_year **out,
			  size_t *n);
/* Active or not; *found false when there is no such year. */
store_rc school_year_get(store *s, arena *a, int64_t id, school_year *out, bool *found);
/* The active years of a district, as spans. */
store_rc school_year_spans(store *s, arena *a, int64_t district_id, date_span **out, size_t *n);
/* The active terms of a year, in date order. */
store_rc term_list(store *s, arena *a, int64_t year_id, term **out, size_t *n);
store_rc school_year_insert(store *s, arena *a, const school_year_input *in, int64_t *id);
store_rc school_year_update(store *s, arena *a, int64_t id, const school_year_input *in);
store_rc school_year_deactivate(store *s, arena *a, int64_t id);
store_rc term_insert(store *s, arena *a, int64_t year_id, const term_input *in, int64_t *id);
/* *changed: an active term tid of year_id was there and is not any more. */
store_rc term_deactivate(store *s, arena *a, int64_t year_id, int64_t tid, bool *changed);

/* ---- changes (schoolyear_change.c): may(), checks, transaction, audit ---- */
bool may_school_year(const req *rq, action act, int64_t district_id);
/* Active districts where the actor may do act to a school year. */
store_rc school_year_district_choices(req *rq, action act, org **out, size_t *n);
void school_year_create(req *rq, const school_year_input *in, outcome *out);
/* in is the whole new state; the district cannot change. */
void school_year_change(req *rq, const school_year *old, const school_year_input *in, outcome *out);
void school_year_retire(req *rq, const school_year *y, outcome *out);
/* out->id is the new term's id. */
void term_add(req *rq, const school_year *y, const term_input *in, outcome *out);
void term_remove(req *rq, const school_year *y, int64_t tid, outcome *out);

/* ---- loaders and lists the pages and the API share (schoolyear_change.c): each answers
 * the request itself (404, 403, 500) and returns false when it did ---- */
/* Loads the year named by {id} if the actor may read it; false when
 * answered (404, 403, 500). */
bool school_year_load(req *rq, resp *rs, school_year *y);
/* The active years the actor may see (through may() row by row). */
store_rc school_year_visible(req *rq, int64_t district_id, school_year **out, size_t *n);

/* ---- pages (schoolyear_pages.c) and API (schoolyear_api.c) ---- */
handler_fn page_school_years, page_school_year, page_school_year_new, page_school_year_create,
	page_school_year_edit, page_school_year_update, page_school_year_deactivate, page_term_add,
	page_term_remove;
handler_fn api_school_years, api_school_year, api_school_year_create, api_school_year_update,
	api_school_year_deactivate, api_term_add, api_term_remove;

#endif
