/* Small shared helpers. */
#include "util.h"

#include "arena.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void invariant_failed(const char *expr, const char *file, int line)
{
	fprintf(stderr, "coachd: invariant failed: %s (%s:%d)\n", expr, file, line);
	abort();
}

bool parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s || isspace((unsigned char)*s)) return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max) return false;
	*out = v;
	return true;
}

bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

bool str_ieq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

bool str_starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *text_trim(struct arena *a, const char *s)
{
	if (!s) return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
	return arena_strndup(a, s, n);
}

int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t now_unix(void)
{
	return (int64_t)time(NULL);
}

uint64_t now_usec_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* The code point starting at p (UTF-8 already checked), its length in *n. */
static uint32_t code_point(const unsigned char *p, size_t *n)
{
	if (p[0] < 0x80) return *n = 1, p[0];
	if ((p[0] & 0xE0) == 0xC0 && p[1]) return *n = 2, ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
	if ((p[0] & 0xF0) == 0xE0 && p[1] && p[2])
		return *n = 3,
		       ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
	*n = 1;
	return 0xFFFD; /* four bytes, or a broken sequence: nothing this rule refuses */
}

static bool breaks_a_line(uint32_t c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
		(c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static text_line_fault text_check(const char *s, size_t max, bool lines_ok)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
		size_t n;
		uint32_t c = code_point(p, &n);
		if (breaks_a_line(c) && !(lines_ok && (c == '\n' || c == '\r' || c == '\t')))
			return TEXT_LINE_BREAKS;
		chars++;
		p += n;
	}
	return chars > max ? TEXT_LINE_LONG : TEXT_LINE_FITS;
}

text_line_fault text_line_check(const char *s, size_t max)
{
	return text_check(s, max, false);
}

text_line_fault text_lines_check(const char *s, size_t max)
{
	return text_check(s, max, true);
}

bool text_fits_cell(const char *s)
{
	return text_line_check(s, SIZE_MAX) == TEXT_LINE_FITS && !(s && strchr(s, '|'));
}

const char *utf8_cut(struct arena *a, const char *s, size_t max, bool ellipsis)
{
	size_t chars = 0;
	for (size_t i = 0; s && s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
			return ellipsis ? arena_printf(a, "%.*s…", (int)i, s) : arena_strndup(a, s, i);
	return s ? s : "";
}

const char *text_line_problem(struct arena *a, const char *what, const char *s, size_t max)
{
	switch (text_line_check(s, max)) {
	case TEXT_LINE_BREAKS:
		return arena_printf(a, "The %s has a control character in it; it is one line of text.", what);
	case TEXT_LINE_LONG: return arena_printf(a, "The %s is longer than %zu characters.", what, max);
	default: return NULL;
	}
}

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) n += (*p & 0xC0) != 0x80;
	return n;
}

const char *time_text_utc(arena *a, int64_t at)
{
	time_t t = (time_t)at;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) return "?";
	char s[40];
	strftime(s, sizeof s, "%Y-%m-%d %H:%M UTC", &tm);
	return arena_strdup(a, s);
}

const char *time_iso_utc(arena *a, int64_t at)
{
	time_t t = (time_t)at;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) return "?";
	char s[40];
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(a, s);
}
