/* The iCalendar writer: content lines folded at 75 octets on UTF-8
 * boundaries, TEXT escaping, VTIMEZONEs for the US zones we support, and
 * one VEVENT per session. Pure: it only appends to a buffer. */
#include "ical.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/util.h"

/* A UTF-8 continuation byte (10xxxxxx) may not start a folded segment. */
static bool utf8_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* Writes text as one logical line: the first physical line holds up to
 * 75 octets, each continuation a space and up to 74 more. */
static void fold(buf *out, const char *text, size_t len)
{
	size_t room = ICAL_FOLD_OCTETS;
	while (len > room) {
		size_t cut = room;
		while (cut > 0 && utf8_continuation((unsigned char)text[cut])) cut--;
		if (cut == 0) cut = room; /* not UTF-8 at all: cut anyway */
		buf_append(out, text, cut);
		buf_puts(out, "\r\n ");
		text += cut;
		len -= cut;
		room = ICAL_FOLD_OCTETS - 1;
	}
	buf_append(out, text, len);
	buf_puts(out, "\r\n");
}

void ical_line(buf *out, const char *name, const char *value)
{
	buf line = BUF_INIT;
	buf_puts(&line, name);
	buf_putc(&line, ':');
	buf_puts(&line, value ? value : "");
	fold(out, line.data, line.len);
	buf_free(&line);
}

void ical_escape(buf *out, const char *text)
{
	for (const char *p = text; p && *p; p++) {
		switch (*p) {
		case '\\': buf_puts(out, "\\\\"); break;
		case ';': buf_puts(out, "\\;"); break;
		case ',': buf_puts(out, "\\,"); break;
		case '\r':
			if (p[1] == '\n') p++;
			buf_puts(out, "\\n");
			break;
		case '\n': buf_puts(out, "\\n"); break;
		default:
			/* Other control characters are not allowed in TEXT. */
			if ((unsigned char)*p < 0x20 && *p != '\t') break;
			buf_putc(out, *p);
		}
	}
}

void ical_text(buf *out, const char *name, const char *text)
{
	if (!text || !*text) return;
	buf esc = BUF_INIT;
	ical_escape(&esc, text);
	ical_line(out, name, buf_cstr(&esc));
	buf_free(&esc);
}

/* ---- time zones ---- */

typedef struct zone_rule {
	const char *tz;
	const char *std_name, *std_offset;
	const char *dst_name, *dst_offset; /* NULL: no daylight saving time */
} zone_rule;

static const zone_rule zones[] = {
	{"America/New_York", "EST", "-0500", "EDT", "-0400"},
	{"America/Chicago", "CST", "-0600", "CDT", "-0500"},
	{"America/Denver", "MST", "-0700", "MDT", "-0600"},
	{"America/Phoenix", "MST", "-0700", NULL, NULL},
	{"America/Los_Angeles", "PST", "-0800", "PDT", "-0700"},
	{"America/Anchorage", "AKST", "-0900", "AKDT", "-0800"},
	{"Pacific/Honolulu", "HST", "-1000", NULL, NULL},
};

static const zone_rule *zone_find(const char *tz)
{
	for (size_t i = 0; tz && i < COUNT_OF(zones); i++)
		if (!strcmp(zones[i].tz, tz)) return &zones[i];
	return NULL;
}

bool ical_zone_supported(const char *tz)
{
	return zone_find(tz) != NULL;
}

/* US rules since 2007: daylight time from the second Sunday of March to
 * the first Sunday of November, switching at 02:00 local time. */
static void vtimezone(buf *out, const zone_rule *z)
{
	ical_line(out, "BEGIN", "VTIMEZONE");
	ical_line(out, "TZID", z->tz);
	ical_line(out, "BEGIN", "STANDARD");
	if (z->dst_name) {
		ical_line(out, "DTSTART", "20071104T020000");
		ical_line(out, "RRULE", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU");
		ical_line(out, "TZOFFSETFROM", z->dst_offset);
	} else {
		ical_line(out, "DTSTART", "19700101T000000");
		ical_line(out, "TZOFFSETFROM", z->std_offset);
	}
	ical_line(out, "TZOFFSETTO", z->std_offset);
	ical_line(out, "TZNAME", z->std_name);
	ical_line(out, "END", "STANDARD");
	if (z->dst_name) {
		ical_line(out, "BEGIN", "DAYLIGHT");
		ical_line(out, "DTSTART", "20070311T020000");
		ical_line(out, "RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU");
		ical_line(out, "TZOFFSETFROM", z->std_offset);
		ical_line(out, "TZOFFSETTO", z->dst_offset);
		ical_line(out, "TZNAME", z->dst_name);
		ical_line(out, "END", "DAYLIGHT");
	}
	ical_line(out, "END", "VTIMEZONE");
}

void ical_begin(buf *out, const char *calname, const char *const *tzs, size_t ntzs)
{
	ical_line(out, "BEGIN", "VCALENDAR");
	ical_line(out, "VERSION", "2.0");
	ical_line(out, "PRODID", "-//coachd//coachd//EN");
	ical_line(out, "CALSCALE", "GREGORIAN");
	ical_line(out, "METHOD", "PUBLISH");
	ical_text(out, "X-WR-CALNAME", calname);
	/* Each supported zone once, in the table's order. */
	for (size_t z = 0; z < COUNT_OF(zones); z++)
		for (size_t i = 0; i < ntzs; i++)
			if (tzs[i] && !strcmp(tzs[i], zones[z].tz)) {
				vtimezone(out, &zones[z]);
				break;
			}
}

void ical_end(buf *out)
{
	ical_line(out, "END", "VCALENDAR");
}

/* ---- dates and times ---- */

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9') return false;
	return true;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
	return v;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

typedef struct ymd {
	int y, m, d;
} ymd;

static bool parse_date(const char *s, ymd *out)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
	    !digits(s + 8, 2))
		return false;
	*out = (ymd){num(s, 4), num(s + 5, 2), num(s + 8, 2)};
	return out->y >= 1900 && out->m >= 1 && out->m <= 12 && out->d >= 1 &&
		out->d <= month_days(out->y, out->m);
}

/* "HH:MM" or "HH:MM:SS" to "HHMMSS". */
static bool parse_clock(const char *s, char out[7])
{
	size_t n = s ? strlen(s) : 0;
	if ((n != 5 && n != 8) || s[2] != ':' || !digits(s, 2) || !digits(s + 3, 2)) return false;
	if (n == 8 && (s[5] != ':' || !digits(s + 6, 2))) return false;
	if (num(s, 2) > 23 || num(s + 3, 2) > 59 || (n == 8 && num(s + 6, 2) > 59)) return false;
	snprintf(out, 7, "%.2s%.2s%.2s", s, s + 3, n == 8 ? s + 6 : "00");
	return true;
}

static ymd next_day(ymd d)
{
	if (++d.d > month_days(d.y, d.m)) {
		d.d = 1;
		if (++d.m > 12) {
			d.m = 1;
			d.y++;
		}
	}
	return d;
}

/* The clock times of a block, when a session has no times of its own. */
static bool block_times(const char *block, const char **start, const char **end)
{
	if (str_eq(block, "am")) *start = "08:00", *end = "11:30";
	else if (str_eq(block, "pm")) *start = "12:30", *end = "15:30";
	else if (str_eq(block, "full")) *start = "08:00", *end = "15:30";
	else return false;
	return true;
}

static void utc_stamp(int64_t t, char out[17])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* DTSTART/DTEND: with TZID for a supported zone, floating otherwise. */
static void timed(buf *out, const char *name, const ymd *d, const char hms[7], const char *tz)
{
	char value[32];
	snprintf(value, sizeof value, "%04d%02d%02dT%s", d->y, d->m, d->d, hms);
	if (ical_zone_supported(tz)) {
		char prop[64];
		snprintf(prop, sizeof prop, "%s;TZID=%s", name, tz);
		ical_line(out, prop, value);
	} else {
		ical_line(out, name, value);
	}
}

static bool event_times(buf *out, const ical_event *ev)
{
	ymd d;
	if (!parse_date(ev->on_date, &d)) return false;
	const char *start = ev->starts_at, *end = ev->ends_at;
	if (!start && !block_times(ev->block, &start, &end)) {
		char v[16];
		ymd e = next_day(d);
		snprintf(v, sizeof v, "%04d%02d%02d", d.y, d.m, d.d);
		ical_line(out, "DTSTART;VALUE=DATE", v);
		snprintf(v, sizeof v, "%04d%02d%02d", e.y, e.m, e.d);
		ical_line(out, "DTEND;VALUE=DATE", v);
		return true;
	}
	char s[7], e[7];
	if (!parse_clock(start, s)) return false;
	if (!end) {
		/* A start without an end: one hour, as calendar apps assume. */
		int hour = num(s, 2) < 23 ? num(s, 2) + 1 : 23;
		memcpy(e, s, sizeof e);
		e[0] = (char)('0' + hour / 10);
		e[1] = (char)('0' + hour % 10);
	} else if (!parse_clock(end, e)) {
		return false;
	}
	timed(out, "DTSTART", &d, s, ev->time_zone);
	timed(out, "DTEND", &d, e, ev->time_zone);
	return true;
}

/* A URI value is not TEXT: it is written as is, so one with spaces or
 * control characters (which could break the line) is left out. */
static bool uri_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f) return false;
	return *s != 0;
}

bool ical_event_write(buf *out, const ical_event *ev)
{
	buf times = BUF_INIT;
	bool ok = ev->uid && *ev->uid && event_times(&times, ev);
	if (ok) {
		char stamp[17], seq[24];
		utc_stamp(ev->stamp, stamp);
		snprintf(seq, sizeof seq, "%lld", (long long)(ev->sequence > 0 ? ev->sequence : 0));
		ical_line(out, "BEGIN", "VEVENT");
		ical_text(out, "UID", ev->uid);
		ical_line(out, "DTSTAMP", stamp);
		ical_line(out, "SEQUENCE", seq);
		buf_append(out, times.data, times.len);
		ical_text(out, "SUMMARY", ev->summary);
		ical_text(out, "DESCRIPTION", ev->description);
		ical_text(out, "LOCATION", ev->location);
		if (ev->url && uri_safe(ev->url)) ical_line(out, "URL", ev->url);
		ical_line(out, "STATUS", ev->cancelled ? "CANCELLED" : "CONFIRMED");
		ical_line(out, "END", "VEVENT");
	}
	buf_free(&times);
	return ok;
}
