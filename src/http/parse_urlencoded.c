/* application/x-www-form-urlencoded (query strings and form bodies) and the
 * percent-coding helpers that routes and HTML links share. */
#include "parse.h"

#include <string.h>

#include "parse_utf8.h"

typedef enum decode_result { DEC_OK, DEC_BAD_ESCAPE, DEC_NUL } decode_result;

static int hex_value(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..len) into dst, which has room for len + 1 bytes. A NUL is
 * refused whether raw or escaped: every result is used as a C string, and
 * a hidden NUL would make two layers see two different values. */
static decode_result decode(char *dst, const char *s, size_t len, bool plus, size_t *out_len)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			if (len - i < 3) return DEC_BAD_ESCAPE;
			int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
			if (hi < 0 || lo < 0) return DEC_BAD_ESCAPE;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c == 0) return DEC_NUL;
		dst[o++] = c;
	}
	dst[o] = 0;
	*out_len = o;
	return DEC_OK;
}

char *url_decode(arena *a, const char *s, size_t len, bool plus_is_space)
{
	if (!s) return len ? NULL : arena_strdup(a, "");
	char *dst = arena_alloc(a, len + 1);
	size_t n;
	return decode(dst, s, len, plus_is_space, &n) == DEC_OK ? dst : NULL;
}

/* Decodes one key or value of field number `field`; NULL or a message. */
static const char *decode_part(arena *a, const char *s, size_t len, size_t field, const char **out,
			       size_t *out_len)
{
	char *dst = arena_alloc(a, len + 1);
	switch (decode(dst, s, len, true, out_len)) {
	case DEC_BAD_ESCAPE: return arena_printf(a, "bad percent-escape in field %zu", field);
	case DEC_NUL: return arena_printf(a, "NUL byte in field %zu", field);
	case DEC_OK: break;
	}
	if (!parse_utf8_valid(dst, *out_len)) return arena_printf(a, "invalid UTF-8 in field %zu", field);
	*out = dst;
	return NULL;
}

/* One "key=value" (or bare "key", meaning an empty value). */
static const char *parse_pair(arena *a, const char *s, size_t len, size_t field, kv *out)
{
	const char *eq = memchr(s, '=', len);
	size_t klen = eq ? (size_t)(eq - s) : len;
	size_t n;
	const char *err = decode_part(a, s, klen, field, &out->key, &n);
	if (err) return err;
	if (n == 0) return arena_printf(a, "empty name in field %zu", field);
	if (n > PARSE_MAX_KEY)
		return arena_printf(a, "name of field %zu is longer than %d bytes", field, PARSE_MAX_KEY);
	if (!eq) {
		out->value = "";
		return NULL;
	}
	return decode_part(a, eq + 1, len - klen - 1, field, &out->value, &n);
}

/* Counts non-empty '&'-separated pairs, so the list is sized once and a
 * body of a million '&'s is refused before anything is decoded. */
static size_t count_fields(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '&' && (i == 0 || s[i - 1] == '&')) n++;
	return n;
}

const char *parse_urlencoded(arena *a, const char *s, size_t len, kvlist *out)
{
	*out = (kvlist){0};
	if (!s || len == 0) return NULL;
	size_t total = count_fields(s, len);
	if (total > PARSE_MAX_FIELDS) return arena_printf(a, "more than %d fields", PARSE_MAX_FIELDS);
	kv *items = arena_calloc(a, total ? total : 1, sizeof *items);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t stop = amp ? (size_t)(amp - s) : len;
		if (stop > i) {
			const char *err = parse_pair(a, s + i, stop - i, n + 1, &items[n]);
			if (err) return err;
			n++;
		}
		i = stop + 1;
	}
	*out = (kvlist){items, n};
	return NULL;
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		c == '.' || c == '_' || c == '~';
}

char *url_encode(arena *a, const char *s)
{
	if (!s) return NULL;
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) n += unreserved(*p) ? 1 : 3;
	char *out = arena_alloc(a, n + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (unreserved(*p)) {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '%';
		*o++ = hex[*p >> 4];
		*o++ = hex[*p & 15];
	}
	*o = 0;
	return out;
}

const char *kv_get(const kvlist *l, const char *key)
{
	if (!l || !key) return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0) return l->items[i].value;
	return NULL;
}
