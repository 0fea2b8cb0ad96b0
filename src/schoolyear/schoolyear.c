/* School-year rules: calendar dates (real days, leap years), spans of days
 * that must not overlap, and terms that must sit inside their year. Pure:
 * no I/O. Dates are kept as YYYY-MM-DD text, whose order is the dates'. */
#include "schoolyear.h"

#include <string.h>

#include "../base/util.h"

enum { DATE_YEAR_MIN = 1900, DATE_YEAR_MAX = 2999 };

static const char *const month_names[12] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December",
};

bool date_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12) return 0;
	return month == 2 && date_is_leap_year(year) ? 29 : days[month - 1];
}

/* The number in s[0..n), all digits; -1 otherwise. */
static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

const char *date_problem(arena *a, const char *s, civil_date *out)
{
	if (!s || !*s) return "Enter a date as YYYY-MM-DD.";
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return "Enter the date as YYYY-MM-DD, such as 2026-08-17.";
	civil_date d = {digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)};
	if (d.year < 0 || d.month < 0 || d.day < 0)
		return "Enter the date as YYYY-MM-DD, such as 2026-08-17.";
	if (d.year < DATE_YEAR_MIN || d.year > DATE_YEAR_MAX)
		return "The year of the date must be between 1900 and 2999.";
	if (d.month < 1 || d.month > 12)
		return arena_printf(a, "%s is not a date: there is no month %02d.", s, d.month);
	int last = date_days_in_month(d.year, d.month);
	if (d.day < 1 || d.day > last)
		return arena_printf(a, "%s is not a date: %s %d has %d days.", s, month_names[d.month - 1],
				    d.year, last);
	if (out) *out = d;
	return NULL;
}

bool spans_overlap(const date_span *a, const date_span *b)
{
	return strcmp(a->starts_on, b->ends_on) <= 0 && strcmp(b->starts_on, a->ends_on) <= 0;
}

const date_span *span_overlapping(const date_span *others, size_t n, int64_t skip_id, const date_span *s)
{
	for (size_t i = 0; i < n; i++)
		if (others[i].id != skip_id && spans_overlap(&others[i], s)) return &others[i];
	return NULL;
}

/* Checks a name and a pair of dates; true when both dates are real and in
 * order, so that spans may be compared. */
static bool check_span(arena *a, const char *name, const char *starts_on, const char *ends_on,
		       const char *what, form_errors *e)
{
	const char *problem = name_problem(name);
	if (problem) form_error_add(e, "name", problem);
	const char *start = date_problem(a, starts_on, NULL), *end = date_problem(a, ends_on, NULL);
	if (start) form_error_add(e, "starts_on", start);
	if (end) form_error_add(e, "ends_on", end);
	if (start || end) return false;
	if (strcmp(starts_on, ends_on) >= 0) {
		form_error_add(e, "ends_on",
			       arena_printf(a, "The %s must end after it starts (%s).", what, starts_on));
		return false;
	}
	return true;
}

void school_year_check(arena *a, const school_year_input *in, int64_t self_id, const date_span *years,
		       size_t nyears, const date_span *terms, size_t nterms, form_errors *e)
{
	if (in->district_unreadable || in->district_id <= 0)
		form_error_add(e, "district_id", "Choose the district of the school year.");
	if (!check_span(a, in->name, in->starts_on, in->ends_on, "year", e)) return;
	date_span me = {self_id, in->name, in->starts_on, in->ends_on};
	const date_span *other = span_overlapping(years, nyears, self_id, &me);
	if (other)
		form_error_add(e, "starts_on",
			       arena_printf(a,
					    "This year overlaps %s (%s to %s), another school year of "
					    "the district.",
					    other->name, other->starts_on, other->ends_on));
	/* Shrinking a year must not strand its terms outside it. */
	for (size_t i = 0; i < nterms; i++) {
		if (strcmp(terms[i].starts_on, in->starts_on) < 0)
			form_error_add(e, "starts_on",
				       arena_printf(a,
						    "The term %s starts on %s, before this date; change "
						    "or remove the term first.",
						    terms[i].name, terms[i].starts_on));
		if (strcmp(terms[i].ends_on, in->ends_on) > 0)
			form_error_add(e, "ends_on",
				       arena_printf(a,
						    "The term %s ends on %s, after this date; change or "
						    "remove the term first.",
						    terms[i].name, terms[i].ends_on));
	}
}

void term_check(arena *a, const term_input *in, const school_year *year, const date_span *terms,
		size_t nterms, form_errors *e)
{
	if (!check_span(a, in->name, in->starts_on, in->ends_on, "term", e)) return;
	bool inside = true;
	if (strcmp(in->starts_on, year->starts_on) < 0 || strcmp(in->starts_on, year->ends_on) > 0) {
		form_error_add(e, "starts_on",
			       arena_printf(a, "The term must start within the school year, %s to %s.",
					    year->starts_on, year->ends_on));
		inside = false;
	}
	if (strcmp(in->ends_on, year->ends_on) > 0) {
		form_error_add(e, "ends_on",
			       arena_printf(a, "The term must end by the last day of the school year, %s.",
					    year->ends_on));
		inside = false;
	}
	if (!inside) return;
	date_span me = {0, in->name, in->starts_on, in->ends_on};
	const date_span *other = span_overlapping(terms, nterms, 0, &me);
	if (other)
		form_error_add(e, "starts_on",
			       arena_printf(a, "This term overlaps %s (%s to %s).", other->name,
					    other->starts_on, other->ends_on));
}

place school_year_place(int64_t district_id)
{
	return (place){.org_id = district_id, .district_id = district_id, .partner_id = 0};
}

record school_year_record(const place *p)
{
	return (record){.kind = REC_SCHOOL_YEAR, .places = p, .nplaces = 1};
}
