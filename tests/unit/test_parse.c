/* Unit tests for the bounded request parsers in src/http/parse.h: every
 * error message, every limit at and past its edge, and multipart fed in
 * every way a network might split it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/http.h"
#include "http/parse.h"
#include "routes.h"

/* Each test gets a fresh arena through cmocka's state. */
static int setup(void **state)
{
	*state = arena_new();
	return 0;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

#define A ((arena *)*state)

/* ---- urlencoded ---- */

static const char *ue(arena *a, const char *s, kvlist *out)
{
	return parse_urlencoded(a, s, strlen(s), out);
}

static void test_ue_basic(void **state)
{
	kvlist l;
	assert_null(ue(A, "a=1&b=two", &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].key, "a");
	assert_string_equal(l.items[0].value, "1");
	assert_string_equal(l.items[1].key, "b");
	assert_string_equal(l.items[1].value, "two");
}

static void test_ue_decoding(void **state)
{
	kvlist l;
	assert_null(ue(A, "q=hello+world%21&n%61me=%C3%A9t%c3%a9&eq=a=b", &l));
	assert_int_equal(l.n, 3);
	assert_string_equal(kv_get(&l, "q"), "hello world!");
	assert_string_equal(kv_get(&l, "name"), "\xC3\xA9t\xC3\xA9");
	assert_string_equal(kv_get(&l, "eq"), "a=b");
}

static void test_ue_empty_pairs_and_bare_keys(void **state)
{
	kvlist l;
	assert_null(ue(A, "&&a=1&&b=2&", &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[1].key, "b");
	assert_null(ue(A, "flag&x=", &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(kv_get(&l, "flag"), "");
	assert_string_equal(kv_get(&l, "x"), "");
	assert_null(ue(A, "", &l));
	assert_int_equal(l.n, 0);
	assert_null(ue(A, "&&&", &l));
	assert_int_equal(l.n, 0);
	assert_null(parse_urlencoded(A, NULL, 0, &l));
	assert_int_equal(l.n, 0);
}

static void test_ue_repeated_keys(void **state)
{
	kvlist l;
	assert_null(ue(A, "t=1&u=x&t=2&t=3", &l));
	assert_int_equal(l.n, 4);
	assert_string_equal(kv_get(&l, "t"), "1");
	assert_string_equal(l.items[2].value, "2");
	assert_string_equal(l.items[3].value, "3");
}

static void test_ue_length_bounded(void **state)
{
	kvlist l;
	/* Only the first len bytes count, even with more after them. */
	assert_null(parse_urlencoded(A, "a=1&b=%zz", 3, &l));
	assert_int_equal(l.n, 1);
	assert_string_equal(l.items[0].value, "1");
	/* A raw NUL inside len is refused, not silently cut at. */
	assert_string_equal(parse_urlencoded(A, "a=x\0y", 5, &l), "NUL byte in field 1");
}

static void test_ue_bad_escapes(void **state)
{
	kvlist l = {0};
	assert_string_equal(ue(A, "a=1&b=%zz", &l), "bad percent-escape in field 2");
	assert_int_equal(l.n, 0);
	assert_string_equal(ue(A, "a=1&&b=%4", &l), "bad percent-escape in field 2");
	assert_string_equal(ue(A, "a=%", &l), "bad percent-escape in field 1");
	assert_string_equal(ue(A, "%g1=2", &l), "bad percent-escape in field 1");
	assert_string_equal(ue(A, "a=1&b=2&c=%2", &l), "bad percent-escape in field 3");
}

static void test_ue_nul_and_utf8(void **state)
{
	kvlist l;
	assert_string_equal(ue(A, "a=%00", &l), "NUL byte in field 1");
	assert_string_equal(ue(A, "x=1&k%00=v", &l), "NUL byte in field 2");
	assert_string_equal(ue(A, "a=%FF", &l), "invalid UTF-8 in field 1");
	assert_string_equal(ue(A, "a=%C0%AF", &l), "invalid UTF-8 in field 1");    /* overlong */
	assert_string_equal(ue(A, "a=%ED%A0%80", &l), "invalid UTF-8 in field 1"); /* surrogate */
	assert_string_equal(ue(A, "a=%F4%90%80%80", &l), "invalid UTF-8 in field 1");
	assert_string_equal(ue(A, "a=%E2%82", &l), "invalid UTF-8 in field 1"); /* cut short */
	assert_string_equal(ue(A, "b=1&%80=1", &l), "invalid UTF-8 in field 2");
	assert_null(ue(A, "a=%F0%9F%98%80%E2%82%AC", &l));
	assert_string_equal(l.items[0].value, "\xF0\x9F\x98\x80\xE2\x82\xAC");
}

static void test_ue_empty_name(void **state)
{
	kvlist l;
	assert_string_equal(ue(A, "=1", &l), "empty name in field 1");
	assert_string_equal(ue(A, "a=1&=", &l), "empty name in field 2");
	assert_null(ue(A, "+=1", &l)); /* a space is a name */
	assert_string_equal(l.items[0].key, " ");
}

static void test_ue_key_limit(void **state)
{
	kvlist l;
	char key[PARSE_MAX_KEY + 1];
	memset(key, 'k', sizeof key);
	assert_null(parse_urlencoded(A, key, PARSE_MAX_KEY, &l));
	assert_int_equal(strlen(l.items[0].key), PARSE_MAX_KEY);
	assert_string_equal(parse_urlencoded(A, key, PARSE_MAX_KEY + 1, &l),
			    "name of field 1 is longer than 256 bytes");
	/* The limit is on decoded bytes: 256 escapes are 256 bytes. */
	buf b = BUF_INIT;
	buf_puts(&b, "x=1&");
	for (int i = 0; i < PARSE_MAX_KEY; i++) buf_puts(&b, "%41");
	assert_null(parse_urlencoded(A, b.data, b.len, &l));
	buf_puts(&b, "%41=v");
	assert_string_equal(parse_urlencoded(A, b.data, b.len, &l),
			    "name of field 2 is longer than 256 bytes");
	buf_free(&b);
}

static void test_ue_field_limit(void **state)
{
	kvlist l;
	buf b = BUF_INIT;
	for (int i = 0; i < PARSE_MAX_FIELDS; i++) buf_puts(&b, "a=1&&");
	assert_null(parse_urlencoded(A, b.data, b.len, &l));
	assert_int_equal(l.n, PARSE_MAX_FIELDS);
	buf_puts(&b, "z");
	assert_string_equal(parse_urlencoded(A, b.data, b.len, &l), "more than 1000 fields");
	assert_int_equal(l.n, 0);
	buf_free(&b);
}

static void test_url_decode(void **state)
{
	assert_string_equal(url_decode(A, "a%20b+c%2f", 10, false), "a b+c/");
	assert_string_equal(url_decode(A, "a%20b+c%2F", 10, true), "a b c/");
	assert_string_equal(url_decode(A, "abc", 2, false), "ab");
	assert_string_equal(url_decode(A, "", 0, false), "");
	assert_string_equal(url_decode(A, NULL, 0, false), "");
	assert_null(url_decode(A, "%", 1, false));
	assert_null(url_decode(A, "%4", 2, false));
	assert_null(url_decode(A, "%4g", 3, false));
	assert_null(url_decode(A, "a%00b", 5, false));
	assert_null(url_decode(A, "a\0b", 3, false));
	/* Not UTF-8-checked: a path may name any bytes. */
	assert_string_equal(url_decode(A, "%FF", 3, false), "\xFF");
}

static void test_url_encode(void **state)
{
	assert_string_equal(url_encode(A, "AZaz09-._~"), "AZaz09-._~");
	assert_string_equal(url_encode(A, "a b/c?d=e&f+\xC3\xA9"), "a%20b%2Fc%3Fd%3De%26f%2B%C3%A9");
	assert_string_equal(url_encode(A, ""), "");
	assert_null(url_encode(A, NULL));
	/* Every byte survives encode then decode. */
	char all[256];
	for (int i = 1; i < 256; i++) all[i - 1] = (char)i;
	all[255] = 0;
	char *enc = url_encode(A, all);
	assert_int_equal(strspn(enc,
				"%0123456789ABCDEFabcdefghijklmnopqrstuvwxyz"
				"GHIJKLMNOPQRSTUVWXYZ-._~"),
			 strlen(enc));
	assert_string_equal(url_decode(A, enc, strlen(enc), false), all);
}

static void test_kv_get(void **state)
{
	kvlist l;
	assert_null(ue(A, "a=1&b=2", &l));
	assert_string_equal(kv_get(&l, "b"), "2");
	assert_null(kv_get(&l, "c"));
	assert_null(kv_get(&l, "A"));
	assert_null(kv_get(&l, NULL));
	assert_null(kv_get(NULL, "a"));
	kvlist empty = {0};
	assert_null(kv_get(&empty, "a"));
}

/* ---- cookies ---- */

static void test_cookie_basic(void **state)
{
	kvlist l;
	assert_null(parse_cookies(A, "sid=abc123; theme=dark", &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].key, "sid");
	assert_string_equal(l.items[0].value, "abc123");
	assert_string_equal(kv_get(&l, "theme"), "dark");
}

static void test_cookie_whitespace_quotes(void **state)
{
	kvlist l;
	assert_null(parse_cookies(A, "  a = 1 ;b=2;\tc=\"x y\" ; d=; e=a=b;f=%41", &l));
	assert_int_equal(l.n, 6);
	assert_string_equal(kv_get(&l, "a"), "1");
	assert_string_equal(kv_get(&l, "b"), "2");
	assert_string_equal(kv_get(&l, "c"), "x y");
	assert_string_equal(kv_get(&l, "d"), "");
	assert_string_equal(kv_get(&l, "e"), "a=b");
	assert_string_equal(kv_get(&l, "f"), "%41"); /* opaque, not decoded */
}

static void test_cookie_skips_malformed(void **state)
{
	kvlist l;
	assert_null(parse_cookies(A,
				  "novalue; =x; b=2; c d=3; e=\x01; f\"=1; "
				  "g=\xFF; h=\xC3\xA9;;",
				  &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].key, "b");
	assert_string_equal(l.items[1].key, "h");
	assert_string_equal(l.items[1].value, "\xC3\xA9");
}

static void test_cookie_duplicates_and_empty(void **state)
{
	kvlist l;
	assert_null(parse_cookies(A, "s=1; s=2", &l));
	assert_int_equal(l.n, 2);
	assert_string_equal(kv_get(&l, "s"), "1");
	assert_null(parse_cookies(A, NULL, &l));
	assert_int_equal(l.n, 0);
	assert_null(parse_cookies(A, "", &l));
	assert_int_equal(l.n, 0);
	assert_null(parse_cookies(A, " ; ;", &l));
	assert_int_equal(l.n, 0);
}

static void test_cookie_limits(void **state)
{
	kvlist l;
	char name[PARSE_MAX_KEY + 2];
	memset(name, 'n', PARSE_MAX_KEY + 1);
	name[PARSE_MAX_KEY + 1] = 0;
	/* A too-long name is a malformed pair, skipped, not fatal. */
	assert_null(parse_cookies(A, arena_printf(A, "%s=1; ok=1", name), &l));
	assert_int_equal(l.n, 1);
	name[PARSE_MAX_KEY] = 0;
	assert_null(parse_cookies(A, arena_printf(A, "%s=1; ok=1", name), &l));
	assert_int_equal(l.n, 2);

	buf b = BUF_INIT;
	for (int i = 0; i < PARSE_MAX_FIELDS; i++) buf_printf(&b, "c%d=%d; ", i, i);
	buf_puts(&b, "junk");
	assert_null(parse_cookies(A, b.data, &l));
	assert_int_equal(l.n, PARSE_MAX_FIELDS);
	buf_puts(&b, "; last=1");
	assert_string_equal(parse_cookies(A, b.data, &l), "the Cookie header has more than 1000 cookies");
	assert_int_equal(l.n, 0);
	buf_free(&b);
}

/* ---- Range ---- */

typedef struct range_case {
	const char *header;
	unsigned long long total;
	int ret;
	unsigned long long first, last;
} range_case;

static void test_range(void **state)
{
	(void)state;
	static const range_case cases[] = {
		{"bytes=0-499", 1000, 1, 0, 499},
		{"bytes=500-999", 1000, 1, 500, 999},
		{"bytes=500-5000", 1000, 1, 500, 999}, /* last clamped */
		{"bytes=999-999", 1000, 1, 999, 999},
		{"bytes=900-", 1000, 1, 900, 999},
		{"bytes=0-", 1, 1, 0, 0},
		{"bytes=-100", 1000, 1, 900, 999},
		{"bytes=-1000", 1000, 1, 0, 999},
		{"bytes=-5000", 1000, 1, 0, 999}, /* suffix longer than file */
		{"BYTES=1-2", 10, 1, 1, 2},
		{" bytes= 1-2 ", 10, 1, 1, 2},
		{"bytes=0-99999999999999999999999", 10, 1, 0, 9}, /* saturates */
		{"bytes=1000-", 1000, -1, 0, 0},
		{"bytes=1000-2000", 1000, -1, 0, 0},
		{"bytes=99999999999999999999999-", 1000, -1, 0, 0},
		{"bytes=-0", 1000, -1, 0, 0},
		{"bytes=0-", 0, -1, 0, 0},
		{"bytes=0-0", 0, -1, 0, 0},
		{"bytes=-5", 0, -1, 0, 0},
		{"bytes=0-1,4-5", 1000, 0, 0, 0}, /* multi-range: ignored */
		{"bytes=0-1, 4-5", 1000, 0, 0, 0},
		{"bytes=5-1", 1000, 0, 0, 0},
		{"bytes=5-1", 0, 0, 0, 0},
		{"bytes=", 1000, 0, 0, 0},
		{"bytes=-", 1000, 0, 0, 0},
		{"bytes=--1", 1000, 0, 0, 0},
		{"bytes=a-b", 1000, 0, 0, 0},
		{"bytes=1-2x", 1000, 0, 0, 0},
		{"bytes=+1-2", 1000, 0, 0, 0},
		{"bytes=1 -2", 1000, 0, 0, 0},
		{"bytes 1-2", 1000, 0, 0, 0},
		{"items=1-2", 1000, 0, 0, 0},
		{"", 1000, 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const range_case *c = &cases[i];
		unsigned long long first = 12345, last = 12345;
		int r = parse_range(c->header, c->total, &first, &last);
		if (r != c->ret) fail_msg("\"%s\" of %llu: got %d, want %d", c->header, c->total, r, c->ret);
		if (r == 1 && (first != c->first || last != c->last))
			fail_msg("\"%s\": got %llu-%llu", c->header, first, last);
		if (r != 1 && (first != 12345 || last != 12345))
			fail_msg("\"%s\": outputs written on %d", c->header, r);
	}
	unsigned long long f, l;
	assert_int_equal(parse_range(NULL, 100, &f, &l), 0);
}

/* ---- routes ---- */

static void test_route_literals(void **state)
{
	route_params p;
	assert_true(route_match(A, "/orgs", "/orgs", &p));
	assert_int_equal(p.n, 0);
	assert_false(route_match(A, "/orgs", "/orgs/", &p));
	assert_false(route_match(A, "/orgs/", "/orgs", &p));
	assert_true(route_match(A, "/orgs/", "/orgs/", &p));
	assert_false(route_match(A, "/orgs", "/org", &p));
	assert_false(route_match(A, "/orgs", "/orgsx", &p));
	assert_false(route_match(A, "/orgs", "orgs", &p));
	assert_false(route_match(A, "/orgs", "/org%73", &p)); /* literals are not decoded */
	assert_true(route_match(A, "/", "/", &p));
	assert_false(route_match(A, "/", "", &p));
	assert_false(route_match(A, "/", "//", &p));
	assert_false(route_match(A, NULL, "/", &p));
	assert_false(route_match(A, "/", NULL, &p));
}

static void test_route_params(void **state)
{
	route_params p;
	assert_true(route_match(A, "/api/people/{id}", "/api/people/42", &p));
	assert_int_equal(p.n, 1);
	assert_string_equal(route_param(&p, "id"), "42");
	assert_null(route_param(&p, "other"));
	assert_null(route_param(NULL, "id"));

	assert_true(route_match(A, "/orgs/{org}/people/{id}/edit", "/orgs/acme/people/7/edit", &p));
	assert_int_equal(p.n, 2);
	assert_string_equal(p.names[0], "org");
	assert_string_equal(route_param(&p, "org"), "acme");
	assert_string_equal(route_param(&p, "id"), "7");
	assert_false(route_match(A, "/orgs/{org}/people/{id}/edit", "/orgs/acme/people/7", &p));
	assert_false(route_match(A, "/orgs/{org}", "/orgs/acme/x", &p));
	assert_false(route_match(A, "/orgs/{org}", "/orgs/acme/", &p));
	assert_true(route_match(A, "/orgs/{org}", "/orgs/acme", NULL)); /* params optional */
}

/* A route listed after one that takes every path it matches never answers;
 * the server refuses such a table, and the real one has none. */
static void test_route_shadowing(void **state)
{
	(void)state;
	assert_true(route_pattern_covers("/cycles/{id}", "/cycles/new"));
	assert_true(route_pattern_covers("/cycles/{id}", "/cycles/{cycle}"));
	assert_true(route_pattern_covers("/cycles/new", "/cycles/new"));
	assert_true(route_pattern_covers("/{a}/{b}", "/cycles/{id}"));
	assert_false(route_pattern_covers("/cycles/new", "/cycles/{id}"));
	assert_false(route_pattern_covers("/cycles/{id}", "/cycles/{id}/edit"));
	assert_false(route_pattern_covers("/cycles/{id}/edit", "/cycles/{id}"));
	assert_false(route_pattern_covers("/cycles/{id}", "/cycles/"));
	assert_false(route_pattern_covers("/cycles", "/cycles/"));
	assert_false(route_pattern_covers("/teams/{id}", "/cycles/{id}"));

	static const route good[] = {
		{"GET", "/cycles/new", NULL, 0},
		{"GET", "/cycles/{id}", NULL, 0},
		{"POST", "/cycles/{id}", NULL, 0},
		{"POST", "/cycles/new", NULL, 0},
	};
	size_t later = 99, earlier = 99;
	assert_false(route_unreachable(good, 3, &later, &earlier));
	assert_int_equal(later, 99);
	/* POST /cycles/{id} comes before POST /cycles/new: the latter is dead. */
	assert_true(route_unreachable(good, 4, &later, &earlier));
	assert_int_equal(later, 3);
	assert_int_equal(earlier, 2);

	size_t n;
	const route *table = app_routes(&n);
	if (route_unreachable(table, n, &later, &earlier))
		fail_msg("%s %s is shadowed by %s %s", table[later].method, table[later].pattern,
			 table[earlier].method, table[earlier].pattern);
}

static void test_route_param_decoding(void **state)
{
	route_params p;
	assert_true(route_match(A, "/files/{name}", "/files/a%20b%C3%A9+c", &p));
	/* '+' is not a space in paths. */
	assert_string_equal(route_param(&p, "name"), "a b\xC3\xA9+c");
	assert_true(route_match(A, "/files/{name}", "/files/%7Bx%7D", &p));
	assert_string_equal(route_param(&p, "name"), "{x}");
	/* A successful match left p filled; a failure must clear it. */
	assert_false(route_match(A, "/files/{name}", "/files/a%2Fb", &p));
	assert_int_equal(p.n, 0);
	assert_false(route_match(A, "/files/{name}", "/files/a%2fb", &p));
	assert_false(route_match(A, "/files/{name}", "/files/%00", &p));
	assert_false(route_match(A, "/files/{name}", "/files/%zz", &p));
	assert_false(route_match(A, "/files/{name}", "/files/%4", &p));
	assert_false(route_match(A, "/files/{name}", "/files/", &p));
	assert_false(route_match(A, "/files/{name}", "/files//", &p));
	assert_false(route_match(A, "/{a}/{b}", "/x/%2F", &p));
	assert_int_equal(p.n, 0);
}

static void test_route_odd_patterns(void **state)
{
	route_params p;
	/* "{}" and "x{y}" are not parameters, just literal text. */
	assert_true(route_match(A, "/x/{}", "/x/{}", &p));
	assert_false(route_match(A, "/x/{}", "/x/a", &p));
	assert_true(route_match(A, "/x/a{y}", "/x/a{y}", &p));
	assert_int_equal(p.n, 0);
	assert_true(route_match(A, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", "/1/2/3/4/5/6/7/8", &p));
	assert_int_equal(p.n, 8);
	assert_string_equal(route_param(&p, "h"), "8");
	assert_true(route_match(A, "{a}", "x", &p)); /* relative patterns work too */
	assert_string_equal(route_param(&p, "a"), "x");
}

/* ---- multipart ---- */

#define BND "XyZ-b0undary"
#define DELIM "--" BND "\r\n"
#define CLOSE "--" BND "--\r\n"
#define CD "Content-Disposition: form-data; "

/* A sink that writes every event into a log, optionally refusing. */
typedef struct rec {
	buf log;
	int refuse_begin, refuse_end;
	size_t refuse_after; /* refuse data past this many bytes; 0: never */
	size_t data_total;
	size_t data_calls;
	const char *msg;
} rec;

static int rec_begin(void *ctx, const char *field, const char *filename, const char *ct)
{
	rec *r = ctx;
	buf_printf(&r->log, "<%s|%s|%s>", field, filename, ct);
	return r->refuse_begin;
}

static int rec_data(void *ctx, const char *data, size_t len)
{
	rec *r = ctx;
	buf_append(&r->log, data, len);
	r->data_total += len;
	r->data_calls++;
	return r->refuse_after && r->data_total > r->refuse_after;
}

static int rec_end(void *ctx)
{
	rec *r = ctx;
	buf_puts(&r->log, "</>");
	return r->refuse_end;
}

static const char *rec_error(void *ctx)
{
	return ((rec *)ctx)->msg;
}

/* What one parse produced, flattened so two runs compare as strings. */
typedef struct mp_out {
	const char *err;
	const kvlist *fields;
	const char *log;
	const char *summary;
} mp_out;

/* Next chunk size: 0 → all at once, 1 → one byte, else pseudo-random in
 * [1, mode] from *seed (an LCG, so failures replay). */
static size_t chunk_size(size_t mode, unsigned *seed, size_t left)
{
	size_t n = left;
	if (mode == 1) n = 1;
	else if (mode > 1) {
		*seed = *seed * 1103515245u + 12345u;
		n = 1 + (*seed >> 8) % mode;
	}
	return n < left ? n : left;
}

static mp_out mp_run_opts(arena *a, const char *body, size_t len, size_t mode, unsigned seed,
			  size_t max_field, rec *r)
{
	mp_sink sink = {r, rec_begin, rec_data, rec_end, rec_error};
	multipart *m = mp_new(a, BND, max_field, r ? &sink : NULL);
	mp_out o = {0};
	for (size_t i = 0; i < len && !o.err;) {
		size_t n = chunk_size(mode, &seed, len - i);
		o.err = mp_feed(m, body + i, n);
		i += n;
	}
	if (!o.err) o.err = mp_finish(m);
	o.fields = mp_fields(m);
	o.log = r ? arena_strdup(a, buf_cstr(&r->log)) : "";
	buf s = BUF_INIT;
	buf_printf(&s, "err=%s\n", o.err ? o.err : "-");
	for (size_t i = 0; i < o.fields->n; i++)
		buf_printf(&s, "%s=%s\n", o.fields->items[i].key, o.fields->items[i].value);
	buf_printf(&s, "log=%s", o.log);
	o.summary = arena_strdup(a, buf_cstr(&s));
	buf_free(&s);
	return o;
}

static mp_out mp_run(arena *a, const char *body, size_t mode, rec *r)
{
	return mp_run_opts(a, body, strlen(body), mode, 1, 1 << 20, r);
}

/* The error from parsing body whole, with a sink. */
static const char *mp_err(arena *a, const char *body)
{
	rec r = {0};
	mp_out o = mp_run(a, body, 0, &r);
	buf_free(&r.log);
	return o.err;
}

static const char form_body[] =
	"preamble to ignore\r\n" DELIM CD "name=\"title\"\r\n"
	"\r\n"
	"Hello, world\r\n" DELIM CD "name=\"notes\"\r\n"
	"Content-Type: text/plain; charset=utf-8\r\n"
	"\r\n"
	"line one\r\nline two\r\n\r\n-- not a boundary\r\n--XyZ-b0und\r\r\n--\r\n" DELIM
	"content-disposition: FORM-DATA; filename=\"clip.mp4\"; NAME=video\r\n"
	"Content-Type: video/mp4\r\n"
	"X-Ignored: yes\r\n"
	"\r\n"
	"\x00\x01\r\n\r\n--XyZ\r\n--XyZ-b0undar\r\r"
	"\r\n" DELIM CD "name=\"empty\"\r\n"
	"\r\n"
	"\r\n"
	"--" BND "  \t\r\n" /* transport padding */
	CD "name=\"title\"\r\n"
	"\r\n"
	"second\r"
	"\r\n" CLOSE "epilogue, also ignored\r\n--" BND "\r\n";

static const char form_file[] = "\x00\x01\r\n\r\n--XyZ\r\n--XyZ-b0undar\r\r";

static void check_form(const mp_out *o)
{
	assert_null(o->err);
	assert_int_equal(o->fields->n, 4);
	assert_string_equal(o->fields->items[0].key, "title");
	assert_string_equal(o->fields->items[0].value, "Hello, world");
	assert_string_equal(o->fields->items[1].value,
			    "line one\r\nline two\r\n\r\n-- not a boundary\r\n--XyZ-b0und\r\r\n--");
	assert_string_equal(o->fields->items[2].key, "empty");
	assert_string_equal(o->fields->items[2].value, "");
	assert_string_equal(o->fields->items[3].key, "title");
	assert_string_equal(o->fields->items[3].value, "second\r");
	assert_string_equal(kv_get(o->fields, "title"), "Hello, world");
}

static void test_mp_whole(void **state)
{
	rec r = {0};
	mp_out o = mp_run_opts(A, form_body, sizeof form_body - 1, 0, 1, 1 << 20, &r);
	check_form(&o);
	const char head[] = "<video|clip.mp4|video/mp4>";
	assert_int_equal(r.log.len, strlen(head) + sizeof form_file - 1 + 3);
	assert_memory_equal(r.log.data, head, strlen(head));
	assert_memory_equal(r.log.data + strlen(head), form_file, sizeof form_file - 1);
	assert_string_equal(r.log.data + r.log.len - 3, "</>");
	buf_free(&r.log);
}

static void test_mp_one_byte_at_a_time(void **state)
{
	rec r1 = {0}, r2 = {0};
	mp_out whole = mp_run_opts(A, form_body, sizeof form_body - 1, 0, 1, 1 << 20, &r1);
	mp_out bytes = mp_run_opts(A, form_body, sizeof form_body - 1, 1, 1, 1 << 20, &r2);
	check_form(&bytes);
	assert_int_equal(r1.log.len, r2.log.len);
	assert_memory_equal(r1.log.data, r2.log.data, r1.log.len);
	assert_string_equal(whole.summary, bytes.summary);
	buf_free(&r1.log);
	buf_free(&r2.log);
}

static void test_mp_random_chunks(void **state)
{
	rec r0 = {0};
	mp_out whole = mp_run_opts(A, form_body, sizeof form_body - 1, 0, 1, 1 << 20, &r0);
	static const size_t modes[] = {2, 3, 7, 16, 80, 300};
	for (size_t k = 0; k < sizeof modes / sizeof modes[0]; k++) {
		for (unsigned seed = 1; seed <= 50; seed++) {
			rec r = {0};
			mp_out o =
				mp_run_opts(A, form_body, sizeof form_body - 1, modes[k], seed, 1 << 20, &r);
			assert_int_equal(r.log.len, r0.log.len);
			assert_memory_equal(r.log.data, r0.log.data, r.log.len);
			assert_string_equal(o.summary, whole.summary);
			buf_free(&r.log);
		}
	}
	buf_free(&r0.log);
}

/* Two chunks, split at every possible place: each boundary byte gets its
 * turn at a chunk's edge. */
static void test_mp_every_split(void **state)
{
	size_t len = sizeof form_body - 1;
	rec r0 = {0};
	mp_out whole = mp_run_opts(A, form_body, len, 0, 1, 1 << 20, &r0);
	for (size_t cut = 0; cut <= len; cut++) {
		rec r = {0};
		mp_sink sink = {&r, rec_begin, rec_data, rec_end, rec_error};
		multipart *m = mp_new(A, BND, 1 << 20, &sink);
		assert_null(mp_feed(m, form_body, cut));
		assert_null(mp_feed(m, form_body + cut, len - cut));
		assert_null(mp_finish(m));
		assert_int_equal(r.log.len, r0.log.len);
		assert_memory_equal(r.log.data, r0.log.data, r.log.len);
		assert_int_equal(mp_fields(m)->n, whole.fields->n);
		for (size_t i = 0; i < whole.fields->n; i++)
			assert_string_equal(mp_fields(m)->items[i].value, whole.fields->items[i].value);
		buf_free(&r.log);
	}
	buf_free(&r0.log);
}

/* A big file full of near-boundaries reaches the sink intact. */
static void test_mp_large_file(void **state)
{
	buf body = BUF_INIT, file = BUF_INIT;
	for (int i = 0; i < 20000; i++) {
		static const char *bits[] = {"abc",       "\r", "\r\n", "\r\n-",
					     "\r\n--XyZ", "\n", "-",    "\r\n--XyZ-b0undar"};
		buf_puts(&file, bits[(unsigned)i * 2654435761u % 8]);
	}
	buf_puts(&body, DELIM CD "name=f; filename=big.bin\r\n\r\n");
	buf_append(&body, file.data, file.len);
	buf_puts(&body, "\r\n" CLOSE);
	for (size_t mode = 0; mode < 4; mode++) {
		rec r = {0};
		mp_out o = mp_run_opts(A, body.data, body.len, mode == 3 ? 5000 : mode, 7, 16, &r);
		assert_null(o.err);
		const char head[] = "<f|big.bin|application/octet-stream>";
		assert_int_equal(r.log.len, strlen(head) + file.len + 3);
		assert_memory_equal(r.log.data + strlen(head), file.data, file.len);
		buf_free(&r.log);
	}
	buf_free(&body);
	buf_free(&file);
}

/* Binary data is full of CRs; each must not cost a sink call (for the
 * server, a write()): data arrives in runs as long as the chunks. */
static void test_mp_sink_call_count(void **state)
{
	buf body = BUF_INIT;
	buf_puts(&body, DELIM CD "name=f; filename=v.bin\r\n\r\n");
	for (int i = 0; i < 64 * 1024; i++) buf_putc(&body, (char)(i % 7 ? 'v' : '\r'));
	buf_puts(&body, "\r\n" CLOSE);
	rec r = {0};
	mp_out o = mp_run_opts(A, body.data, body.len, 0, 1, 16, &r);
	assert_null(o.err);
	assert_int_equal(r.data_calls, 1);
	assert_int_equal(r.data_total, 64 * 1024);
	/* In 1000-byte chunks: one run per chunk, plus a held-back CR now and then. */
	buf_free(&r.log);
	r = (rec){0};
	multipart *m = mp_new(A, BND, 16, &(mp_sink){&r, rec_begin, rec_data, rec_end, rec_error});
	size_t chunks = 0;
	for (size_t i = 0; i < body.len; i += 1000, chunks++)
		assert_null(mp_feed(m, body.data + i, body.len - i < 1000 ? body.len - i : 1000));
	assert_null(mp_finish(m));
	assert_int_equal(r.data_total, 64 * 1024);
	assert_true(r.data_calls <= 2 * chunks);
	buf_free(&r.log);
	buf_free(&body);
}

static void test_mp_minimal_bodies(void **state)
{
	rec r = {0};
	/* A form with no fields: browsers send just the closing delimiter. */
	mp_out o = mp_run(A, CLOSE, 0, &r);
	assert_null(o.err);
	assert_int_equal(o.fields->n, 0);
	o = mp_run(A, "--" BND "--", 1, &r);
	assert_null(o.err);
	/* No headers at all: the part has no Content-Disposition. */
	assert_string_equal(mp_err(A, DELIM "\r\nx\r\n" CLOSE),
			    "multipart: part 1 has no Content-Disposition");
	/* An empty value: the CRLF before a delimiter belongs to it. */
	o = mp_run(A, DELIM CD "name=a\r\n\r\n\r\n" CLOSE, 1, &r);
	assert_null(o.err);
	assert_string_equal(kv_get(o.fields, "a"), "");
	buf_free(&r.log);
}

static void test_mp_closing_missing(void **state)
{
	static const char good[] = DELIM CD "name=a\r\n\r\nv\r\n" CLOSE;
	/* Every truncation short of the final "--" is incomplete. */
	size_t full = strlen(good) - 2;
	for (size_t cut = 0; cut < full; cut++) {
		arena *a = arena_new();
		multipart *m = mp_new(a, BND, 100, NULL);
		const char *err = mp_feed(m, good, cut);
		if (!err) err = mp_finish(m);
		assert_string_equal(err, "multipart: closing boundary missing");
		arena_free(a);
	}
	assert_string_equal(mp_err(A, "just some text"), "multipart: closing boundary missing");
	assert_string_equal(mp_err(A, ""), "multipart: closing boundary missing");
	assert_null(mp_err(A, good));
}

static void test_mp_names(void **state)
{
	assert_string_equal(mp_err(A, DELIM "Content-Disposition: form-data\r\n\r\nv\r\n" CLOSE),
			    "multipart: part 1 has no name");
	assert_string_equal(mp_err(A,
				   DELIM CD "name=a\r\n\r\n1\r\n" DELIM CD "name=b\r\n\r\n2\r\n" DELIM CD
					    "name=\"\"\r\n\r\n3\r\n" CLOSE),
			    "multipart: part 3 has no name");
	char *longname = arena_alloc(A, PARSE_MAX_KEY + 2);
	memset(longname, 'n', PARSE_MAX_KEY + 1);
	assert_string_equal(mp_err(A, arena_printf(A, DELIM CD "name=%s\r\n\r\n\r\n" CLOSE, longname)),
			    "multipart: part 1 has a name longer than 256 bytes");
	longname[PARSE_MAX_KEY] = 0;
	assert_null(mp_err(A, arena_printf(A, DELIM CD "name=%s\r\n\r\n\r\n" CLOSE, longname)));
	assert_string_equal(mp_err(A, DELIM CD "name=\"\xFF\"\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed name");
	rec r = {0};
	mp_out o = mp_run(A, DELIM CD "name=\"say \\\"hi\\\" \\\\ \xC3\xA9\"\r\n\r\nx\r\n" CLOSE, 0, &r);
	assert_null(o.err);
	assert_string_equal(o.fields->items[0].key, "say \"hi\" \\ \xC3\xA9");
	buf_free(&r.log);
}

static void test_mp_bad_headers(void **state)
{
	assert_string_equal(mp_err(A, DELIM "Content-Disposition: attachment; name=a\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 is not form-data");
	assert_string_equal(mp_err(A, DELIM CD "name=\"a\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed Content-Disposition");
	assert_string_equal(mp_err(A, DELIM "Content-Disposition: form-data name=a\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed Content-Disposition");
	assert_string_equal(mp_err(A, DELIM CD "name=a; name=b\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed Content-Disposition");
	assert_string_equal(mp_err(A, DELIM CD "name=\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed Content-Disposition");
	assert_string_equal(mp_err(A, DELIM "NoColonHere\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed header");
	assert_string_equal(mp_err(A, DELIM "Bad Name: x\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed header");
	assert_string_equal(mp_err(A, DELIM CD "name=a\nX: y\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed header");
	assert_string_equal(mp_err(A, DELIM "X: a\rb\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed header");
	assert_string_equal(mp_err(A, DELIM ": x\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 has a malformed header");
	assert_string_equal(mp_err(A,
				   DELIM CD "name=a\r\n"
					    "Content-Type: text/plain\r\n"
					    "content-type: text/html\r\n\r\n\r\n" CLOSE),
			    "multipart: part 1 repeats a header");
	/* A NUL inside a header line is a control byte, not an end. */
	static const char nul_hdr[] = DELIM CD "name=a\0b\r\n\r\n\r\n" CLOSE;
	rec r = {0};
	mp_out o = mp_run_opts(A, nul_hdr, sizeof nul_hdr - 1, 0, 1, 100, &r);
	assert_string_equal(o.err, "multipart: part 1 has a malformed header");
	buf_free(&r.log);
}

static void test_mp_header_limit(void **state)
{
	/* Pad one header so the block (ending in CRLF CRLF) is exactly n bytes. */
	for (int extra = 0; extra <= 1; extra++) {
		const char *cd = "Content-Disposition: form-data; name=a\r\n";
		size_t fixed = strlen(cd) + strlen("X: \r\n") + 2;
		size_t pad = PARSE_MAX_PART_HEADER + (size_t)extra - fixed;
		char *padding = arena_alloc(A, pad + 1);
		memset(padding, 'p', pad);
		const char *body = arena_printf(A, DELIM "%sX: %s\r\n\r\nv\r\n" CLOSE, cd, padding);
		const char *err = mp_err(A, body);
		if (!extra) assert_null(err);
		else assert_string_equal(err, "multipart: part 1 has more than 4096 bytes of headers");
	}
}

static void test_mp_part_limit(void **state)
{
	buf b = BUF_INIT;
	for (int i = 0; i < PARSE_MAX_PARTS; i++) buf_printf(&b, DELIM CD "name=f%d\r\n\r\n%d\r\n", i, i);
	size_t at = b.len;
	buf_puts(&b, CLOSE);
	rec r = {0};
	mp_out o = mp_run_opts(A, b.data, b.len, 0, 1, 100, &r);
	assert_null(o.err);
	assert_int_equal(o.fields->n, PARSE_MAX_PARTS);
	assert_string_equal(kv_get(o.fields, "f63"), "63");
	b.len = at;
	buf_puts(&b, DELIM CD "name=z\r\n\r\nz\r\n" CLOSE);
	o = mp_run_opts(A, b.data, b.len, 0, 1, 100, &r);
	assert_string_equal(o.err, "multipart: more than 64 parts");
	buf_free(&b);
	buf_free(&r.log);
}

static void test_mp_field_limit(void **state)
{
	const char *body = DELIM CD "name=bio\r\n\r\n12345\r\n" CLOSE;
	for (size_t mode = 0; mode <= 1; mode++) {
		mp_out o = mp_run_opts(A, body, strlen(body), mode, 1, 5, NULL);
		assert_null(o.err);
		assert_string_equal(kv_get(o.fields, "bio"), "12345");
		o = mp_run_opts(A, body, strlen(body), mode, 1, 4, NULL);
		assert_string_equal(o.err, "multipart: field \"bio\" is longer than 4 bytes");
	}
	mp_out o = mp_run_opts(A, DELIM CD "name=e\r\n\r\n\r\n" CLOSE,
			       strlen(DELIM CD "name=e\r\n\r\n\r\n" CLOSE), 0, 1, 0, NULL);
	assert_null(o.err);
	assert_string_equal(kv_get(o.fields, "e"), "");
}

static void test_mp_text_content(void **state)
{
	static const char nul[] = DELIM CD "name=a\r\n\r\nx\0y\r\n" CLOSE;
	mp_out o = mp_run_opts(A, nul, sizeof nul - 1, 0, 1, 100, NULL);
	assert_string_equal(o.err, "multipart: field \"a\" contains a NUL byte");
	assert_string_equal(mp_err(A, DELIM CD "name=a\r\n\r\n\xC3\r\n" CLOSE),
			    "multipart: field \"a\" is not valid UTF-8");
}

static void test_mp_boundary_lines(void **state)
{
	/* The boundary string inside content: RFC 2046 forbids it. */
	assert_string_equal(mp_err(A, DELIM CD "name=a\r\n\r\nx\r\n--" BND "x\r\n" CLOSE),
			    "multipart: malformed boundary line");
	assert_string_equal(mp_err(A, "--" BND "-\r\n"), "multipart: malformed boundary line");
	assert_string_equal(mp_err(A, "--" BND " x\r\n"), "multipart: malformed boundary line");
	assert_string_equal(mp_err(A, "--" BND "\rx"), "multipart: malformed boundary line");
	assert_string_equal(mp_err(A, "--" BND "\n"), "multipart: malformed boundary line");
	/* A near-miss in the preamble is just more preamble. */
	assert_null(mp_err(A, "--XyZ\r\n--" BND "--"));
}

static void test_mp_errors_stick(void **state)
{
	multipart *m = mp_new(A, BND, 100, NULL);
	const char *head = DELIM "Content-Disposition: form-data\r\n\r\n";
	const char *err = mp_feed(m, head, strlen(head));
	assert_string_equal(err, "multipart: part 1 has no name");
	assert_ptr_equal(mp_feed(m, CLOSE, strlen(CLOSE)), err);
	assert_ptr_equal(mp_finish(m), err);
	assert_ptr_equal(mp_finish(m), err);
	assert_int_equal(mp_fields(m)->n, 0);

	/* Input after the closing delimiter changes nothing. */
	m = mp_new(A, BND, 100, NULL);
	assert_null(mp_feed(m, CLOSE, strlen(CLOSE)));
	assert_null(mp_feed(m, DELIM "garbage\r\n\r\n", 10));
	assert_null(mp_finish(m));
}

static void test_mp_invalid_boundary(void **state)
{
	static const char *bad[] = {
		NULL,  "",      "a\r\nb",
		"tr ", "no@at", "12345678901234567890123456789012345678901234567890123456789012345678901"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		multipart *m = mp_new(A, bad[i], 10, NULL);
		assert_string_equal(mp_feed(m, "x", 1), "multipart: invalid boundary");
		assert_string_equal(mp_finish(m), "multipart: invalid boundary");
		assert_int_equal(mp_fields(m)->n, 0);
	}
	/* 70 characters, all the odd ones allowed, an inner space. */
	char *ok = arena_alloc(A, 71);
	memset(ok, 'x', 70);
	memcpy(ok, "'()+_,-./:=? Z", 14);
	multipart *m = mp_new(A, ok, 10, NULL);
	const char *body = arena_printf(A, "--%s\r\n" CD "name=a\r\n\r\nv\r\n--%s--", ok, ok);
	assert_null(mp_feed(m, body, strlen(body)));
	assert_null(mp_finish(m));
	assert_string_equal(kv_get(mp_fields(m), "a"), "v");
}

static const char *file_part(arena *a, const char *disp, const char *content)
{
	return arena_printf(a, DELIM CD "name=up; %s\r\n\r\n%s\r\n" CLOSE, disp, content);
}

static void test_mp_filenames(void **state)
{
	static const struct {
		const char *disp, *filename;
	} cases[] = {
		{"filename=\"a \\\"q\\\".txt\"", "a \"q\".txt"},
		{"filename=\"C:\\Users\\me\\r\xC3\xA9sum\xC3\xA9.pdf\"", "r\xC3\xA9sum\xC3\xA9.pdf"},
		{"filename=\"../../etc/passwd\"", "passwd"},
		{"filename=\"a\\\\\\\\b\"", "b"},
		{"filename=plain.txt", "plain.txt"},
		{"FileName=\"x.y\"; filename*=UTF-8''z", "x.y"},
		{"filename=\"..a\"", "..a"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rec r = {0};
		mp_out o = mp_run(A, file_part(A, cases[i].disp, "data"), 1, &r);
		assert_null(o.err);
		assert_string_equal(
			o.log, arena_printf(A, "<up|%s|application/octet-stream>data</>", cases[i].filename));
		assert_int_equal(o.fields->n, 0);
		buf_free(&r.log);
	}
	static const char *unusable[] = {
		"filename=\"dir/\"",          "filename=\".\"",    "filename=\"..\"",    "filename=\"a/..\"",
		"filename=\"C:\\\\x\\\\..\"", "filename=\"a\tb\"", "filename=\"\xC3(\"", "filename=\"/\"",
	};
	for (size_t i = 0; i < sizeof unusable / sizeof unusable[0]; i++) {
		rec r = {0};
		mp_out o = mp_run(A, file_part(A, unusable[i], "data"), 0, &r);
		if (!o.err || strcmp(o.err, "multipart: part 1 has an unusable filename"))
			fail_msg("%s: %s", unusable[i], o.err ? o.err : "accepted");
		assert_string_equal(o.log, "");
		buf_free(&r.log);
	}
	assert_string_equal(mp_err(A, file_part(A, "filename=\"a\"; filename=\"b\"", "")),
			    "multipart: part 1 has a malformed Content-Disposition");
}

/* filename="" with nothing in it is a file input left empty. */
static void test_mp_no_file_chosen(void **state)
{
	rec r = {0};
	mp_out o = mp_run(A,
			  DELIM CD "name=t\r\n\r\nx\r\n" DELIM CD "name=up; filename=\"\"\r\n"
				   "Content-Type: application/octet-stream\r\n\r\n\r\n" CLOSE,
			  1, &r);
	assert_null(o.err);
	assert_string_equal(o.log, "");
	assert_int_equal(o.fields->n, 1);
	assert_string_equal(mp_err(A, file_part(A, "filename=\"\"", "data")),
			    "multipart: part 1 has a file with an empty filename");
	const char *empty = file_part(A, "filename=\"\"", "");
	mp_out n = mp_run_opts(A, empty, strlen(empty), 0, 1, 10, NULL);
	assert_null(n.err);
	buf_free(&r.log);
}

static void test_mp_file_content_type(void **state)
{
	rec r = {0};
	mp_out o = mp_run(A,
			  DELIM CD "name=img; filename=p.png\r\n"
				   "Content-Type:  image/png  \r\n\r\n\x89PNG\r\n" CLOSE,
			  0, &r);
	assert_null(o.err);
	assert_string_equal(o.log, "<img|p.png|image/png>\x89PNG</>");
	buf_free(&r.log);
}

static void test_mp_no_sink(void **state)
{
	const char *body = file_part(A, "filename=a.txt", "x");
	mp_out o = mp_run_opts(A, body, strlen(body), 0, 1, 10, NULL);
	assert_string_equal(o.err, "multipart: part 1 is a file, and files are not accepted here");
	/* A sink missing a callback counts as none. */
	mp_sink partial = {NULL, rec_begin, NULL, rec_end, NULL};
	multipart *m = mp_new(A, BND, 10, &partial);
	assert_string_equal(mp_feed(m, body, strlen(body)),
			    "multipart: part 1 is a file, and files are not accepted here");
}

static void test_mp_sink_refusals(void **state)
{
	const char *body = file_part(A, "filename=a.txt", "0123456789");
	rec r = {.refuse_begin = 1, .msg = "that type of file is not accepted"};
	assert_string_equal(mp_run(A, body, 0, &r).err, "that type of file is not accepted");
	assert_string_equal(r.log.data, "<up|a.txt|application/octet-stream>");
	buf_free(&r.log);

	r = (rec){.refuse_after = 4, .msg = "too big"};
	assert_string_equal(mp_run(A, body, 1, &r).err, "too big");
	assert_int_equal(r.data_total, 5); /* stopped at the first refusal */
	buf_free(&r.log);

	r = (rec){.refuse_end = 1, .msg = "disk full"};
	assert_string_equal(mp_run(A, body, 3, &r).err, "disk full");
	buf_free(&r.log);

	/* Without an error callback (or with it returning NULL) a generic one. */
	r = (rec){.refuse_begin = 1};
	assert_string_equal(mp_run(A, body, 0, &r).err, "multipart: the upload was refused");
	buf_free(&r.log);
	mp_sink s = {&r, rec_begin, rec_data, rec_end, NULL};
	multipart *m = mp_new(A, BND, 10, &s);
	r = (rec){.refuse_begin = 1};
	assert_string_equal(mp_feed(m, body, strlen(body)), "multipart: the upload was refused");
	buf_free(&r.log);
}

/* ---- mp_boundary ---- */

static void test_mp_boundary(void **state)
{
	assert_string_equal(mp_boundary(A, "multipart/form-data; boundary=abc"), "abc");
	assert_string_equal(mp_boundary(A, "Multipart/Form-Data;BOUNDARY=----WebKitFormBoundary7MA4Y"),
			    "----WebKitFormBoundary7MA4Y");
	assert_string_equal(mp_boundary(A, "multipart/form-data; charset=utf-8; boundary=\"a b:c\""),
			    "a b:c");
	assert_string_equal(mp_boundary(A, "multipart/form-data; boundary = x=y/z ;"), "x=y/z");
	assert_string_equal(mp_boundary(A, "  multipart/form-data ; boundary=q"), "q");
	char *b70 = arena_alloc(A, 72);
	memset(b70, 'b', 70);
	const char *ct = arena_printf(A, "multipart/form-data; boundary=%s", b70);
	assert_string_equal(mp_boundary(A, ct), b70);
	b70[70] = 'b';
	assert_null(mp_boundary(A, arena_printf(A, "multipart/form-data; boundary=%s", b70)));
	static const char *bad[] = {
		NULL,
		"",
		"multipart/form-data",
		"multipart/form-data;",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=\"ab \"",
		"multipart/form-data; boundary=a@b",
		"multipart/form-data; boundary=\"a\r\nb\"",
		"multipart/form-data; boundary=\"unterminated",
		"text/plain; boundary=abc",
		"multipart/mixed; boundary=abc",
		"multipart/form-datax; boundary=abc",
		"multipart/form-data boundary=abc",
		"multipart/form-data; boundary=a; boundary=a",
		"multipart/form-data; =abc",
		"multipart/form-data; boundary=abc junk",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (mp_boundary(A, bad[i])) fail_msg("accepted: %s", bad[i] ? bad[i] : "(null)");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ue_basic),
		T(test_ue_decoding),
		T(test_ue_empty_pairs_and_bare_keys),
		T(test_ue_repeated_keys),
		T(test_ue_length_bounded),
		T(test_ue_bad_escapes),
		T(test_ue_nul_and_utf8),
		T(test_ue_empty_name),
		T(test_ue_key_limit),
		T(test_ue_field_limit),
		T(test_url_decode),
		T(test_url_encode),
		T(test_kv_get),
		T(test_cookie_basic),
		T(test_cookie_whitespace_quotes),
		T(test_cookie_skips_malformed),
		T(test_cookie_duplicates_and_empty),
		T(test_cookie_limits),
		T(test_range),
		T(test_route_literals),
		T(test_route_params),
		T(test_route_shadowing),
		T(test_route_param_decoding),
		T(test_route_odd_patterns),
		T(test_mp_whole),
		T(test_mp_one_byte_at_a_time),
		T(test_mp_random_chunks),
		T(test_mp_every_split),
		T(test_mp_large_file),
		T(test_mp_sink_call_count),
		T(test_mp_minimal_bodies),
		T(test_mp_closing_missing),
		T(test_mp_names),
		T(test_mp_bad_headers),
		T(test_mp_header_limit),
		T(test_mp_part_limit),
		T(test_mp_field_limit),
		T(test_mp_text_content),
		T(test_mp_boundary_lines),
		T(test_mp_errors_stick),
		T(test_mp_invalid_boundary),
		T(test_mp_filenames),
		T(test_mp_no_file_chosen),
		T(test_mp_file_content_type),
		T(test_mp_no_sink),
		T(test_mp_sink_refusals),
		T(test_mp_boundary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
