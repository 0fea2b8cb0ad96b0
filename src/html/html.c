/* The HTML builder: a printf whose %s and %c arguments are HTML-escaped
 * while numbers are formatted exactly as printf would, and the asset table. */
#include "html.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include "../base/util.h"

/* NUL maps to "" so a stray zero byte never reaches the page. */
static const char *entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case '\0': return "";
	default: return NULL;
	}
}

/* Which bytes need an entity: the page is built of many short strings, so
 * a table lookup beats a switch per character. */
static bool needs_entity(unsigned char c)
{
	return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || c == 0;
}

void html_escape(buf *b, const char *s, size_t n)
{
	if (!s) return;
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (!needs_entity((unsigned char)s[i])) continue;
		buf_append(b, s + start, i - start);
		buf_puts(b, entity(s[i]));
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

void html_RAW(buf *b, const char *s)
{
	if (s) buf_puts(b, s);
}

/* One parsed conversion: %[flags][width][.precision][length]conv. Widths
 * and precisions given as '*' are already fetched and stored as numbers. */
typedef struct spec {
	char flags[6];
	size_t nflags;
	int width;   /* -1: none */
	int prec;    /* -1: none */
	char len[3]; /* "", "hh", "h", "l", "ll", "z", "j", "t", "L" */
	char conv;
} spec;

static void add_flag(spec *s, char f)
{
	if (memchr(s->flags, f, s->nflags)) return;
	if (s->nflags < sizeof s->flags - 1) s->flags[s->nflags++] = f;
}

/* Widths beyond this are a bug, not a layout; capping keeps a bad
 * argument from asking for gigabytes of padding. */
enum { MAX_WIDTH = 100000 };

static int parse_int(const char **p)
{
	int v = 0;
	while (**p >= '0' && **p <= '9') {
		if (v <= MAX_WIDTH) v = v * 10 + (**p - '0');
		(*p)++;
	}
	return v > MAX_WIDTH ? MAX_WIDTH : v;
}

static void parse_width(const char **p, va_list *ap, spec *s)
{
	if (**p == '*') {
		(*p)++;
		int w = va_arg(*ap, int);
		if (w < 0) {
			add_flag(s, '-'); /* as printf: a negative width left-justifies */
			w = w < -MAX_WIDTH ? MAX_WIDTH : -w;
		}
		s->width = w > MAX_WIDTH ? MAX_WIDTH : w;
	} else if (**p >= '0' && **p <= '9') {
		s->width = parse_int(p);
	}
}

static void parse_prec(const char **p, va_list *ap, spec *s)
{
	if (**p != '.') return;
	(*p)++;
	if (**p == '*') {
		(*p)++;
		int v = va_arg(*ap, int);
		/* negative means "as if omitted", as printf */
		s->prec = v < 0 ? -1 : v > MAX_WIDTH ? MAX_WIDTH : v;
	} else {
		s->prec = parse_int(p);
	}
}

static void parse_len(const char **p, spec *s)
{
	size_t n = 0;
	while (n < 2 && **p && strchr("hlzjtL", **p)) {
		if (n == 1 && **p != s->len[0]) break; /* only hh and ll double */
		s->len[n++] = *(*p)++;
	}
	s->len[n] = 0;
}

/* Parses the conversion after '%'; *p is left past the conversion char. */
static void parse_spec(const char **p, va_list *ap, spec *s)
{
	memset(s, 0, sizeof *s);
	s->width = s->prec = -1;
	while (**p && strchr("-+ #0", **p)) add_flag(s, *(*p)++);
	parse_width(p, ap, s);
	parse_prec(p, ap, s);
	parse_len(p, s);
	s->conv = **p;
	if (**p) (*p)++;
}

/* Rebuilds the conversion as a plain printf format for one argument. */
static void spec_format(const spec *s, char *out, size_t cap)
{
	char w[16] = "", pr[16] = "";
	if (s->width >= 0) snprintf(w, sizeof w, "%d", s->width);
	if (s->prec >= 0) snprintf(pr, sizeof pr, ".%d", s->prec);
	snprintf(out, cap, "%%%s%s%s%s%c", s->flags, w, pr, s->len, s->conv);
}

static void pad(buf *b, size_t n)
{
	while (n--) buf_putc(b, ' ');
}

/* Width counts bytes of the unescaped text, as printf would. */
static void put_text(buf *b, const spec *s, const char *t, size_t n)
{
	size_t width = s->width > 0 ? (size_t)s->width : 0;
	size_t fill = width > n ? width - n : 0;
	bool left = memchr(s->flags, '-', s->nflags) != NULL;
	if (!left) pad(b, fill);
	html_escape(b, t, n);
	if (left) pad(b, fill);
}

static void put_string(buf *b, const spec *s, va_list *ap)
{
	const char *t = va_arg(*ap, const char *);
	if (!t) t = "";
	size_t n = s->prec >= 0 ? strnlen(t, (size_t)s->prec) : strlen(t);
	put_text(b, s, t, n);
}

static void put_signed(buf *b, const spec *s, const char *f, va_list *ap)
{
	if (!strcmp(s->len, "l")) buf_printf(b, f, va_arg(*ap, long));
	else if (!strcmp(s->len, "ll")) buf_printf(b, f, va_arg(*ap, long long));
	else if (!strcmp(s->len, "z")) buf_printf(b, f, va_arg(*ap, ssize_t));
	else if (!strcmp(s->len, "j")) buf_printf(b, f, va_arg(*ap, intmax_t));
	else if (!strcmp(s->len, "t")) buf_printf(b, f, va_arg(*ap, ptrdiff_t));
	else buf_printf(b, f, va_arg(*ap, int)); /* also hh and h: promoted */
}

static void put_unsigned(buf *b, const spec *s, const char *f, va_list *ap)
{
	if (!strcmp(s->len, "l")) buf_printf(b, f, va_arg(*ap, unsigned long));
	else if (!strcmp(s->len, "ll")) buf_printf(b, f, va_arg(*ap, unsigned long long));
	else if (!strcmp(s->len, "z")) buf_printf(b, f, va_arg(*ap, size_t));
	else if (!strcmp(s->len, "j")) buf_printf(b, f, va_arg(*ap, uintmax_t));
	else if (!strcmp(s->len, "t")) buf_printf(b, f, va_arg(*ap, ptrdiff_t));
	else buf_printf(b, f, va_arg(*ap, unsigned));
}

static void put_float(buf *b, const spec *s, const char *f, va_list *ap)
{
	if (!strcmp(s->len, "L")) buf_printf(b, f, va_arg(*ap, long double));
	else buf_printf(b, f, va_arg(*ap, double));
}

/* Numbers go through snprintf unchanged: their output (digits, sign, '.',
 * 'e', "inf", "nan", "0x") never contains a character that needs escaping.
 * Returns false for a conversion we refuse (%n, %lc, %ls, unknown): the
 * argument list can no longer be trusted after it, so formatting stops. */
static bool put_conversion(buf *b, const spec *s, va_list *ap)
{
	char f[64];
	spec_format(s, f, sizeof f);
	switch (s->conv) {
	case '%': buf_putc(b, '%'); return true;
	case 's':
		if (s->len[0]) return false;
		put_string(b, s, ap);
		return true;
	case 'c': {
		if (s->len[0]) return false;
		char c = (char)va_arg(*ap, int);
		put_text(b, s, &c, 1);
		return true;
	}
	case 'd':
	case 'i': put_signed(b, s, f, ap); return true;
	case 'u':
	case 'o':
	case 'x':
	case 'X': put_unsigned(b, s, f, ap); return true;
	case 'f':
	case 'F':
	case 'e':
	case 'E':
	case 'g':
	case 'G':
	case 'a':
	case 'A': put_float(b, s, f, ap); return true;
	case 'p': buf_printf(b, f, va_arg(*ap, void *)); return true;
	default: return false;
	}
}

/* Appends a decimal integer without going through snprintf: pages print
 * ids and counts by the hundred, and this is most of their formatting. */
static void put_magnitude(buf *b, unsigned long long u, bool negative)
{
	char tmp[24];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (negative) tmp[--i] = '-';
	buf_append(b, tmp + i, sizeof tmp - i);
}

static void put_decimal(buf *b, long long v)
{
	/* The magnitude is taken unsigned so LLONG_MIN does not overflow. */
	put_magnitude(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
}

/* The common conversions without flags, width or precision: %s, %d, %ld,
 * %lld, %zu. Returns false (consuming nothing) for anything else. */
static bool put_plain(buf *b, const char **p, va_list *ap)
{
	const char *f = *p;
	if (f[0] == 's') {
		const char *t = va_arg(*ap, const char *);
		if (t) html_escape(b, t, strlen(t));
		*p = f + 1;
	} else if (f[0] == 'd') {
		put_decimal(b, va_arg(*ap, int));
		*p = f + 1;
	} else if (f[0] == 'l' && f[1] == 'd') {
		put_decimal(b, va_arg(*ap, long));
		*p = f + 2;
	} else if (f[0] == 'l' && f[1] == 'l' && f[2] == 'd') {
		put_decimal(b, va_arg(*ap, long long));
		*p = f + 3;
	} else if (f[0] == '.' && f[1] == '1' && f[2] == 'f') {
		/* Chart coordinates: one decimal. v * 10 is rounded once;
		 * it cannot step over a representable half, so only an exact
		 * half is ambiguous (the true value may lie on either side):
		 * that, and values too large, take printf's exact path. */
		double v = va_arg(*ap, double);
		double scaled = v * 10, tenths = rint(scaled);
		if (!(fabs(tenths) < 1e15) || fabs(scaled - trunc(scaled)) == 0.5) {
			buf_printf(b, "%.1f", v);
		} else {
			long long t = (long long)tenths;
			unsigned long long m = t < 0 ? 0ULL - (unsigned long long)t : (unsigned long long)t;
			put_magnitude(b, m / 10, t < 0 || (t == 0 && signbit(v)));
			buf_putc(b, '.');
			buf_putc(b, (char)('0' + m % 10));
		}
		*p = f + 3;
	} else if (f[0] == 'z' && f[1] == 'u') {
		put_magnitude(b, va_arg(*ap, size_t), false);
		*p = f + 2;
	} else {
		return false;
	}
	return true;
}

void html_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list args;
	va_copy(args, ap); /* a copy we may pass by address */
	const char *p = fmt;
	while (*p) {
		const char *pct = strchr(p, '%');
		size_t lit = pct ? (size_t)(pct - p) : strlen(p);
		buf_append(b, p, lit); /* the format is the program's own markup */
		if (!pct) break;
		p = pct + 1;
		if (put_plain(b, &p, &args)) continue;
		spec s;
		parse_spec(&p, &args, &s);
		/* A refused conversion is a format the compiler's check
		 * should have caught: loud in tests, truncated in release. */
		if (NEVER(!put_conversion(b, &s, &args))) break;
	}
	va_end(args);
}

void html_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
}

void html_table_open(buf *b)
{
	html_RAW(b, "<div class=\"table-wrap\" tabindex=\"0\"><table>");
}

const asset *asset_find(const char *path)
{
	if (!path) return NULL;
	size_t n;
	const asset *all = asset_list(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i].path, path)) return &all[i];
	return NULL;
}
