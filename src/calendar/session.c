/* Session rules, pure: kinds, blocks, formats, times and zones, units of a
 * draw, recurrence expansion, overdraw, the collaborative grid's layout and
 * the record the access policy is asked about. No I/O. */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "../schoolyear/schoolyear.h"

typedef struct label {
	const char *code, *text;
} label;

static const label kinds[] = {
	{"pd_workshop", "PD workshop"},
	{"coaching_day", "Coaching day"},
	{"collaborative_coaching", "Collaborative coaching"},
	{"plc", "PLC"},
	{"institute", "Institute"},
	{"retreat", "Retreat"},
	{"learning_walk", "Learning walk"},
	{"leadership_meeting", "Leadership-team meeting"},
	{"consultation", "Consultation"},
};
static const char *const kind_codes[] = {"pd_workshop",   "coaching_day",       "collaborative_coaching",
					 "plc",           "institute",          "retreat",
					 "learning_walk", "leadership_meeting", "consultation"};

static const label blocks[] = {{"am", "AM"}, {"pm", "PM"}, {"full", "Full day"}};
static const label formats[] = {{"in_person", "In person"}, {"virtual", "Virtual"}, {"hybrid", "Hybrid"}};

static const char *find(const label *l, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(l[i].code, code)) return l[i].text;
	return NULL;
}

bool session_kind_valid(const char *kind)
{
	return find(kinds, COUNT_OF(kinds), kind) != NULL;
}
const char *session_kind_label(const char *kind)
{
	return find(kinds, COUNT_OF(kinds), kind);
}
const char *const *session_kinds(size_t *n)
{
	*n = COUNT_OF(kind_codes);
	return kind_codes;
}
bool session_block_valid(const char *b)
{
	return find(blocks, COUNT_OF(blocks), b) != NULL;
}
const char *session_block_label(const char *b)
{
	return find(blocks, COUNT_OF(blocks), b);
}
bool session_format_valid(const char *f)
{
	return find(formats, COUNT_OF(formats), f) != NULL;
}
const char *session_format_label(const char *f)
{
	return find(formats, COUNT_OF(formats), f);
}

bool session_status_valid(const char *s)
{
	return str_eq(s, "planned") || str_eq(s, "delivered") || str_eq(s, "cancelled");
}

bool session_block_times(const char *block, const char **starts, const char **ends)
{
	if (str_eq(block, "am")) *starts = "08:00", *ends = "11:30";
	else if (str_eq(block, "pm")) *starts = "12:30", *ends = "15:30";
	else if (str_eq(block, "full")) *starts = "08:00", *ends = "15:30";
	else return false;
	return true;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

bool session_time_parse(const char *s, int *minutes)
{
	if (!s || strlen(s) != 5 || !digit(s[0]) || !digit(s[1]) || s[2] != ':' || !digit(s[3]) ||
	    !digit(s[4]))
		return false;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59) return false;
	*minutes = h * 60 + m;
	return true;
}

bool session_zone_valid(const char *tz)
{
	if (!tz || !*tz || strlen(tz) > 64 || tz[0] == '/' || strstr(tz, "..")) return false;
	if (!strcmp(tz, "UTC")) return true;
	bool slash = false;
	for (const char *p = tz; *p; p++) {
		char c = *p;
		if (c == '/') slash = true;
		else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || digit(c) || c == '_' ||
			   c == '-' || c == '+'))
			return false;
	}
	return slash && tz[strlen(tz) - 1] != '/';
}

bool session_units_parse(const char *s, int64_t *milli)
{
	if (!s || !*s) return false;
	int64_t whole = 0, frac = 0;
	int nfrac = 0;
	const char *p = s;
	if (!digit(*p)) return false;
	for (; digit(*p); p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > 1000000) return false;
	}
	if (*p == '.') {
		p++;
		if (!digit(*p)) return false;
		for (; digit(*p); p++) {
			if (++nfrac > 3) return false;
			frac = frac * 10 + (*p - '0');
		}
	}
	if (*p) return false;
	for (; nfrac < 3; nfrac++) frac *= 10;
	*milli = whole * 1000 + frac;
	return true;
}

const char *session_units_text(arena *a, int64_t milli)
{
	int64_t whole = milli / 1000, frac = milli % 1000;
	if (!frac) return arena_printf(a, "%lld", (long long)whole);
	char f[8];
	snprintf(f, sizeof f, "%03lld", (long long)frac);
	for (int i = 2; i > 0 && f[i] == '0'; i--) f[i] = 0;
	return arena_printf(a, "%lld.%s", (long long)whole, f);
}

/* Optional text fields: "" means absent. */
static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

static void check_times(arena *a, session_input *in, form_errors *e)
{
	in->block = opt(in->block);
	in->starts_at = opt(in->starts_at);
	in->ends_at = opt(in->ends_at);
	if (in->block && !session_block_valid(in->block)) {
		form_error_add(e, "block", "The block must be am, pm or full.");
		return;
	}
	const char *bs = NULL, *be = NULL;
	if (in->block) session_block_times(in->block, &bs, &be);
	if (!in->starts_at) in->starts_at = bs;
	if (!in->ends_at) in->ends_at = be;
	if (!in->starts_at && !in->ends_at) {
		form_error_add(e, "block", "Choose a block (AM, PM, full day) or give start and end times.");
		return;
	}
	int s = 0, t = 0;
	bool s_ok = in->starts_at && session_time_parse(in->starts_at, &s);
	bool t_ok = in->ends_at && session_time_parse(in->ends_at, &t);
	if (!s_ok) form_error_add(e, "starts_at", "The start must be a time as HH:MM (24-hour clock).");
	if (!t_ok) form_error_add(e, "ends_at", "The end must be a time as HH:MM (24-hour clock).");
	if (s_ok && t_ok && t <= s)
		form_error_add(e, "ends_at",
			       arena_printf(a, "The end (%s) must be after the start (%s).", in->ends_at,
					    in->starts_at));
}

void session_check(arena *a, session_input *in, form_errors *e)
{
	if (!session_kind_valid(in->kind))
		form_error_add(e, "kind",
			       "Choose the kind of session (for example pd_workshop, "
			       "coaching_day, collaborative_coaching, plc).");
	if (!in->title || !*in->title) form_error_add(e, "title", "Give the session a title.");
	else form_error_line(a, e, "title", "title", in->title, SESSION_TITLE_MAX);
	civil_date d;
	const char *bad = in->on_date && *in->on_date ? date_problem(a, in->on_date, &d)
						      : "Give the date of the session.";
	if (bad) form_error_add(e, "on_date", bad);
	check_times(a, in, e);
	if (!opt(in->time_zone)) in->time_zone = "America/Chicago";
	if (!session_zone_valid(in->time_zone))
		form_error_add(e, "time_zone", "The time zone must be an IANA name such as America/Chicago.");
	if (!opt(in->format)) in->format = "in_person";
	if (!session_format_valid(in->format))
		form_error_add(e, "format", "The format must be in_person, virtual or hybrid.");
	in->place = opt(in->place);
	in->link = opt(in->link);
	form_error_line(a, e, "place", "place", in->place, SESSION_PLACE_MAX);
	form_error_line(a, e, "link", "link", in->link, SESSION_LINK_MAX);
	if (in->link && !str_starts(in->link, "https://") && !str_starts(in->link, "http://"))
		form_error_add(e, "link", "The link must start with https:// or http://.");
	in->agenda = opt(in->agenda);
	if (in->agenda && strlen(in->agenda) > SESSION_AGENDA_MAX)
		form_error_add(
			e, "agenda",
			arena_printf(a, "The agenda is longer than %d characters.", SESSION_AGENDA_MAX));
	in->draw_milli = 0;
	if (opt(in->draw) && !session_units_parse(in->draw, &in->draw_milli))
		form_error_add(e, "draw", "The draw must be a number of units such as 0.5 or 1.");
	if (in->draw_milli && !in->service_line_id)
		form_error_add(e, "service_line_id", "Choose the service line this session draws on.");
	if (in->nfacilitators + in->npeople + in->nteams > SESSION_PEOPLE_MAX)
		form_error_add(e, "participants", "A session names at most 200 people and teams.");
}

bool session_day_number(const char *date, int64_t *day)
{
	if (!date || strlen(date) != 10 || date[4] != '-' || date[7] != '-') return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !digit(date[i])) return false;
	int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
	if (m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m)) return false;
	*day = days_from_civil(y, m, d);
	return true;
}

const char *session_date_of(arena *a, int64_t day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	return arena_printf(a, "%04d-%02d-%02d", y, m, d);
}

void session_month_span(int64_t day, int64_t *first, int64_t *last)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	*first = days_from_civil(y, m, 1);
	*last = *first + date_days_in_month(y, m) - 1;
}

int session_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3 counting from Monday as 0). */
	int64_t w = (day + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

/* The n-th (1-based) weekday wd of a month, or -1 when it has none. */
static int64_t nth_weekday(int y, int m, int wd, int n)
{
	int64_t first = days_from_civil(y, m, 1);
	int64_t day = first + (wd - session_weekday(first) + 7) % 7 + 7 * (n - 1);
	int yy, mm, dd;
	civil_from_days(day, &yy, &mm, &dd);
	return mm == m ? day : -1;
}

size_t session_series_dates(arena *a, const char *first, const repeat_rule *r, const char ***out,
			    bool *capped)
{
	*capped = false;
	*out = arena_calloc(a, SESSION_SERIES_MAX, sizeof **out);
	int64_t start, until;
	if (!session_day_number(first, &start)) return 0;
	(*out)[0] = session_date_of(a, start);
	if (r->kind == REPEAT_NONE || !session_day_number(r->until, &until)) return 1;
	size_t n = 1;
	int y, m, d;
	civil_from_days(start, &y, &m, &d);
	int wd = session_weekday(start), ordinal = (d - 1) / 7 + 1;
	for (int k = 1;; k++) {
		int64_t day;
		if (r->kind == REPEAT_WEEKLY) {
			day = start + (int64_t)7 * (r->interval > 0 ? r->interval : 1) * k;
		} else {
			int mi = (m - 1) + k;
			day = nth_weekday(y + mi / 12, mi % 12 + 1, wd, ordinal);
			if (day < 0) {
				/* Still bounded: a month past until ends the loop below. */
				if (days_from_civil(y + mi / 12, mi % 12 + 1, 1) > until) break;
				continue;
			}
		}
		if (day > until) break;
		if (n == SESSION_SERIES_MAX) {
			*capped = true;
			break;
		}
		(*out)[n++] = session_date_of(a, day);
	}
	return n;
}

bool session_repeat_parse(const char *every, const char *interval, const char *until, repeat_rule *out,
			  form_errors *e)
{
	*out = (repeat_rule){REPEAT_NONE, 1, NULL};
	if (!opt(every) || str_eq(every, "none")) return true;
	if (str_eq(every, "week")) out->kind = REPEAT_WEEKLY;
	else if (str_eq(every, "month")) out->kind = REPEAT_MONTHLY;
	else {
		form_error_add(e, "repeat", "Repeat must be none, week or month.");
		return false;
	}
	int64_t n = 1;
	if (opt(interval) && !parse_i64(interval, 1, 12, &n)) {
		form_error_add(e, "repeat_interval", "Repeat every 1 to 12 weeks.");
		return false;
	}
	out->interval = (int)n;
	int64_t day;
	if (!session_day_number(until, &day)) {
		form_error_add(e, "repeat_until", "A series needs its last date (YYYY-MM-DD).");
		return false;
	}
	out->until = until;
	return true;
}

size_t session_grid_days(arena *a, const grid_block *b, size_t n, const char ***days)
{
	*days = arena_calloc(a, n ? n : 1, sizeof **days);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool seen = false;
		for (size_t j = 0; j < k; j++)
			if (str_eq((*days)[j], b[i].on_date)) seen = true;
		if (seen) continue;
		/* Insertion keeps them in date order; YYYY-MM-DD sorts as text. */
		size_t at = k;
		while (at > 0 && strcmp((*days)[at - 1], b[i].on_date) > 0) {
			(*days)[at] = (*days)[at - 1];
			at--;
		}
		(*days)[at] = b[i].on_date;
		k++;
	}
	return k;
}

const grid_block *session_grid_at(const grid_block *b, size_t n, int day, const char *block)
{
	for (size_t i = 0; i < n; i++)
		if (b[i].day == day && str_eq(b[i].block, block)) return &b[i];
	return NULL;
}

record session_record(place places[2], const pl_session *s, const int64_t *me)
{
	size_t np = 0;
	if (s->district_id)
		places[np++] = (place){s->school_id ? s->school_id : s->district_id, s->district_id, 0};
	if (s->partner_id) places[np++] = (place){s->partner_id, 0, s->partner_id};
	/* Only whether the asker is inside matters to may() for this actor,
	 * so the asker stands in for the whole list of people. */
	return (record){.kind = REC_PL_SESSION,
			.places = np ? places : NULL,
			.nplaces = np,
			.coaches = me,
			.ncoaches = s->actor_facilitates ? 1 : 0,
			.teachers = me,
			.nteachers = s->actor_takes_part ? 1 : 0};
}
