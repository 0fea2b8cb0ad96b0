/* The Cookie request header ("a=1; b=2"). Values stay as sent, not
 * percent-decoded: they are opaque tokens this server set itself. */
#include "parse.h"

#include <string.h>

#include "parse_utf8.h"

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Cookie names are RFC 9110 tokens (RFC 6265 §4.1.1). */
static bool token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

static bool valid_name(const char *s, size_t len)
{
	if (len == 0 || len > PARSE_MAX_KEY) return false;
	for (size_t i = 0; i < len; i++)
		if (!token_char((unsigned char)s[i])) return false;
	return true;
}

/* Browsers put spaces and commas in values despite RFC 6265, so only what
 * can never be safe downstream is refused: control bytes and bad UTF-8. */
static bool valid_value(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f) return false;
	}
	return parse_utf8_valid(s, len);
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_ows(**s)) (*s)++, (*len)--;
	while (*len && is_ows((*s)[*len - 1])) (*len)--;
}

/* Parses one "name=value" segment; false (skip it) when malformed. */
static bool parse_pair(arena *a, const char *s, size_t len, kv *out)
{
	const char *eq = memchr(s, '=', len);
	if (!eq) return false;
	const char *name = s, *value = eq + 1;
	size_t nlen = (size_t)(eq - s), vlen = len - nlen - 1;
	trim(&name, &nlen);
	trim(&value, &vlen);
	if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') value++, vlen -= 2;
	if (!valid_name(name, nlen) || !valid_value(value, vlen)) return false;
	out->key = arena_strndup(a, name, nlen);
	out->value = arena_strndup(a, value, vlen);
	return true;
}

static size_t count_segments(const char *s)
{
	size_t n = 1;
	for (; *s; s++) n += *s == ';';
	return n;
}

const char *parse_cookies(arena *a, const char *header, kvlist *out)
{
	*out = (kvlist){0};
	if (!header || !*header) return NULL;
	size_t cap = count_segments(header);
	if (cap > PARSE_MAX_FIELDS) cap = PARSE_MAX_FIELDS;
	kv *items = arena_calloc(a, cap, sizeof *items);
	size_t n = 0;
	for (const char *p = header;;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		kv pair;
		if (parse_pair(a, p, len, &pair)) {
			if (n == PARSE_MAX_FIELDS)
				return arena_printf(a, "the Cookie header has more than %d cookies",
						    PARSE_MAX_FIELDS);
			items[n++] = pair;
		}
		if (!semi) break;
		p = semi + 1;
	}
	*out = (kvlist){items, n};
	return NULL;
}
