/* The Range request header, single byte ranges only: enough for a browser
 * seeking in a video, and nothing a client could use to multiply work. */
#include "parse.h"

#include <limits.h>
#include <strings.h>

/* Reads 1+ digits; saturates instead of wrapping, because a position too
 * big to represent is still simply past the end of any file. */
static bool read_number(const char **s, unsigned long long *out)
{
	const char *p = *s;
	unsigned long long v = 0;
	if (*p < '0' || *p > '9') return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		v = v > (ULLONG_MAX - d) / 10 ? ULLONG_MAX : v * 10 + d;
	}
	*s = p;
	*out = v;
	return true;
}

static const char *skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t') s++;
	return s;
}

/* "-n": the last n bytes. */
static int suffix_range(const char *p, unsigned long long total, unsigned long long *first,
			unsigned long long *last)
{
	unsigned long long n;
	if (!read_number(&p, &n) || *skip_ows(p)) return 0;
	if (n == 0 || total == 0) return -1;
	*first = n >= total ? 0 : total - n;
	*last = total - 1;
	return 1;
}

/* "a-b" or "a-". */
static int span_range(const char *p, unsigned long long total, unsigned long long *first,
		      unsigned long long *last)
{
	unsigned long long a, b = ULLONG_MAX;
	if (!read_number(&p, &a) || *p++ != '-') return 0;
	if (*p >= '0' && *p <= '9' && !read_number(&p, &b)) return 0;
	if (*skip_ows(p) || b < a) return 0;
	if (a >= total) return -1;
	*first = a;
	*last = b < total - 1 ? b : total - 1;
	return 1;
}

int parse_range(const char *header, unsigned long long total, unsigned long long *first,
		unsigned long long *last)
{
	if (!header) return 0;
	const char *p = skip_ows(header);
	if (strncasecmp(p, "bytes=", 6) != 0) return 0;
	p += 6;
	for (const char *q = p; *q; q++)
		if (*q == ',') return 0; /* multi-range: send the whole file */
	p = skip_ows(p);
	return *p == '-' ? suffix_range(p + 1, total, first, last) : span_range(p, total, first, last);
}
