/* Unit tests for the HTML builder (src/html/html.h): escaping in
 * html_printf, numbers passed through as printf formats them, html_RAW,
 * the asset table, and the page layout (src/html/layout.h). */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "html/html.h"
#include "html/layout.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle)) n++;
	return n;
}

/* ---- escaping --------------------------------------------------------- */

static void test_escape_each_char_in_s(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"&", "&amp;"},
		{"<", "&lt;"},
		{">", "&gt;"},
		{"\"", "&quot;"},
		{"'", "&#39;"},
		{"a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&#39;f"},
		{"<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
		{"plain text é ✓", "plain text é ✓"},
		{"&amp;", "&amp;amp;"}, /* already-escaped text is escaped again */
		{"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf b = BUF_INIT;
		html_printf(&b, "%s", cases[i].in);
		assert_string_equal(buf_cstr(&b), cases[i].out);
		buf_free(&b);
	}
}

static void test_escape_each_char_in_c(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	html_printf(&b, "%c%c%c%c%c%c", '&', '<', '>', '"', '\'', 'x');
	assert_string_equal(buf_cstr(&b), "&amp;&lt;&gt;&quot;&#39;x");
	buf_free(&b);
}

static void test_format_text_is_not_escaped(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	html_printf(&b, "<a href=\"/orgs/%d\" title=\"%s\">%s</a>", 7, "\"><script>", "A & B");
	assert_string_equal(buf_cstr(&b),
			    "<a href=\"/orgs/7\" title=\"&quot;&gt;&lt;script&gt;\">A &amp; B</a>");
	buf_free(&b);
}

static void test_null_s_prints_nothing(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	const char *volatile none = NULL; /* hidden from the compiler's check */
	html_printf(&b, "[%s]<%s>[%-3s]", none, "x", none);
	assert_string_equal(buf_cstr(&b), "[]<x>[   ]");
	buf_free(&b);
}

static void test_s_width_and_precision(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	/* Precision cuts the raw text before escaping; width pads it. */
	html_printf(&b, "%.3s|%5s|%-4s|%.*s|%*s", "<<<<<", "<", "&", 2, "ab<", -3, "'");
	assert_string_equal(buf_cstr(&b), "&lt;&lt;&lt;|    &lt;|&amp;   |ab|&#39;  ");
	buf_free(&b);
}

static void test_numbers_match_printf(void **state)
{
	(void)state;
	char want[512];
	buf b = BUF_INIT;
	html_printf(&b, "%d %i %u %ld %lld %zu %x %X %o %f %.1f %g %e %5d|%-5d|%05d %+d % d %#x %%", -42, 17,
		    4000000000u, -1234567890123L, 9007199254740993LL, (size_t)12345, 255u, 255u, 8u, 3.14159,
		    2.25, 0.0001, 12345.678, 42, 42, 42, 5, 5, 255u);
	snprintf(want, sizeof want,
		 "%d %i %u %ld %lld %zu %x %X %o %f %.1f %g %e %5d|%-5d|%05d %+d % d %#x %%", -42, 17,
		 4000000000u, -1234567890123L, 9007199254740993LL, (size_t)12345, 255u, 255u, 8u, 3.14159,
		 2.25, 0.0001, 12345.678, 42, 42, 42, 5, 5, 255u);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void test_numbers_with_star_and_lengths(void **state)
{
	(void)state;
	char want[512];
	buf b = BUF_INIT;
	signed char sc = -5;
	short sh = -300;
	html_printf(&b, "%*d|%-*d|%.*f|%*.*f|%hhd|%hd|%hu|%jd|%td|%lu|%llx|%zd|%Lf|%.0f|%G", 6, 42, 4, 7, 3,
		    2.0 / 3, 8, 2, 3.14159, sc, sh, (unsigned short)65535, (intmax_t)-9, (ptrdiff_t)-3,
		    123456789UL, 0xdeadbeefULL, (ssize_t)-8, (long double)1.5, 2.5, 1e-10);
	snprintf(want, sizeof want, "%*d|%-*d|%.*f|%*.*f|%hhd|%hd|%hu|%jd|%td|%lu|%llx|%zd|%Lf|%.0f|%G", 6,
		 42, 4, 7, 3, 2.0 / 3, 8, 2, 3.14159, sc, sh, (unsigned short)65535, (intmax_t)-9,
		 (ptrdiff_t)-3, 123456789UL, 0xdeadbeefULL, (ssize_t)-8, (long double)1.5, 2.5, 1e-10);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void test_long_string_over_256(void **state)
{
	(void)state;
	char in[1201];
	for (size_t i = 0; i < 1200; i++) in[i] = i % 100 == 99 ? '<' : (char)('a' + i % 26);
	in[1200] = 0;
	buf b = BUF_INIT;
	html_printf(&b, "<p>%s</p>", in);
	/* 12 '<' become "&lt;": 3 extra bytes each. */
	assert_int_equal(b.len, strlen("<p></p>") + 1200 + 12 * 3);
	assert_int_equal(count(buf_cstr(&b), "&lt;"), 12);
	assert_int_equal(count(buf_cstr(&b), "<"), 2);
	assert_memory_equal(b.data + 3, in, 99); /* text before the first '<' intact */
	buf_free(&b);
}

static void test_long_number_padding(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	html_printf(&b, "%600d|%.300f", 1, 1.0);
	assert_int_equal(b.len, 600 + 1 + 2 + 300);
	assert_int_equal(b.data[599], '1');
	buf_free(&b);
}

static void test_many_args(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	html_printf(&b, "%s%d%s%d%s%d%s%d%s%d%s%d%s%d%s%d%s%d%s%d%c%.2f%s", "a", 1, "<", 2, "b", 3, ">", 4,
		    "c", 5, "&", 6, "d", 7, "\"", 8, "e", 9, "'", 10, '<', 0.5, "end");
	assert_string_equal(buf_cstr(&b), "a1&lt;2b3&gt;4c5&amp;6d7&quot;8e9&#39;10&lt;0.50end");
	buf_free(&b);
}

static void test_appends_to_existing_content(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	buf_puts(&b, "<ul>");
	html_printf(&b, "<li>%s</li>", "x<y");
	html_printf(&b, "%s", "");
	buf_puts(&b, "</ul>");
	assert_string_equal(buf_cstr(&b), "<ul><li>x&lt;y</li></ul>");
	buf_free(&b);
}

static void wrap_vprintf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	html_vprintf(b, fmt, ap);
	va_end(ap);
}

static void test_vprintf(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	wrap_vprintf(&b, "%s=%d", "<k>", 3);
	assert_string_equal(buf_cstr(&b), "&lt;k&gt;=3");
	buf_free(&b);
}

static void test_html_escape_counts_bytes(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	html_escape(&b, "a<b>c", 3); /* only "a<b" */
	html_escape(&b, "x\0y", 3);  /* a NUL byte never reaches the page */
	html_escape(&b, NULL, 4);
	assert_int_equal(b.len, strlen("a&lt;bxy"));
	assert_string_equal(buf_cstr(&b), "a&lt;bxy");
	buf_free(&b);
}

static void test_raw_is_not_escaped(void **state)
{
	(void)state;
	buf b = BUF_INIT;
	html_RAW(&b, "<b class=\"x\">&amp;'</b>");
	html_RAW(&b, NULL);
	assert_string_equal(buf_cstr(&b), "<b class=\"x\">&amp;'</b>");
	buf_free(&b);
}

/* ---- assets ----------------------------------------------------------- */

static void test_asset_find(void **state)
{
	(void)state;
	const asset *css = asset_find("/static/coachd.css");
	assert_non_null(css);
	assert_string_equal(css->content_type, "text/css; charset=utf-8");
	assert_true(css->len > 1000);
	assert_int_equal(css->etag[0], '"');
	assert_non_null(asset_find("/static/coachd.js"));
	const asset *icon = asset_find("/static/icon.svg");
	assert_non_null(icon);
	assert_string_equal(icon->content_type, "image/svg+xml");
	assert_null(asset_find("/static/nope.css"));
	assert_null(asset_find("/static/coachd.css/"));
	assert_null(asset_find("/static/"));
	assert_null(asset_find(""));
	assert_null(asset_find(NULL));
}

static void test_every_asset_is_found_by_its_path(void **state)
{
	(void)state;
	size_t n;
	const asset *all = asset_list(&n);
	assert_true(n >= 3);
	for (size_t i = 0; i < n; i++) assert_ptr_equal(asset_find(all[i].path), &all[i]);
}

/* Nothing in the stylesheet or script may fetch from another origin. */
static void test_assets_load_nothing_external(void **state)
{
	(void)state;
	size_t n;
	const asset *all = asset_list(&n);
	for (size_t i = 0; i < n; i++) {
		char *text = strndup((const char *)all[i].data, all[i].len);
		assert_null(strstr(text, "@import"));
		assert_null(strstr(text, "https://"));
		assert_null(strstr(text, "url(http"));
		free(text);
	}
}

/* ---- layout ----------------------------------------------------------- */

static char *page(const layout *l)
{
	buf b = BUF_INIT;
	layout_begin(&b, l);
	html_RAW(&b, "<h1>Body</h1>\n");
	layout_end(&b);
	char *s = strdup(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void test_layout_landmarks(void **state)
{
	(void)state;
	static const nav_link nav[] = {{"orgs", "/orgs", "Organizations"}, {"people", "/people", "People"}};
	layout l = {.title = "Organizations",
		    .active = "orgs",
		    .user_name = "Ana",
		    .csrf = "t0k",
		    .nav = nav,
		    .nnav = 2};
	char *s = page(&l);
	assert_true(strncmp(s, "<!doctype html>", 15) == 0);
	assert_non_null(strstr(s, "<a href=\"/people\">People</a>"));
	assert_non_null(strstr(s, "<html lang=\"en\">"));
	assert_non_null(strstr(s, "<meta charset=\"utf-8\">"));
	assert_non_null(
		strstr(s, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
	assert_non_null(strstr(s, "<title>Organizations · coachd</title>"));
	assert_non_null(strstr(s, "<link rel=\"stylesheet\" href=\"/static/coachd.css\">"));
	assert_non_null(strstr(s, "<script src=\"/static/coachd.js\" defer></script>"));
	assert_non_null(strstr(s, "<link rel=\"icon\" href=\"/static/icon.svg\""));
	assert_non_null(strstr(s, "href=\"#main\""));
	assert_non_null(strstr(s, "<header"));
	assert_non_null(strstr(s, "<nav class=\"site-nav\" aria-label=\"Main\">"));
	assert_non_null(strstr(s, "<a href=\"/orgs\" aria-current=\"page\">Organizations</a>"));
	assert_non_null(strstr(s, "<main id=\"main\""));
	assert_non_null(strstr(s, "<footer"));
	assert_int_equal(count(s, "<main"), 1);
	/* Order: header, then main holding the page, then footer. */
	assert_true(strstr(s, "<header") < strstr(s, "<main"));
	assert_true(strstr(s, "<main") < strstr(s, "<h1>Body</h1>"));
	assert_true(strstr(s, "<h1>Body</h1>") < strstr(s, "</main>"));
	assert_true(strstr(s, "</main>") < strstr(s, "<footer"));
	assert_non_null(strstr(s, "</html>\n"));
	free(s);
}

static void test_layout_escapes_everything_given(void **state)
{
	(void)state;
	layout l = {
		.title = "<script>alert(1)</script>",
		.flash = "Saved \"<b>\"",
		.user_name = "O'Brien <admin>",
		.csrf = "a\"><x",
	};
	char *s = page(&l);
	assert_non_null(strstr(s, "<title>&lt;script&gt;alert(1)&lt;/script&gt; · coachd</title>"));
	assert_null(strstr(s, "<script>alert"));
	assert_non_null(strstr(s, "Saved &quot;&lt;b&gt;&quot;"));
	assert_non_null(strstr(s, "O&#39;Brien &lt;admin&gt;"));
	assert_non_null(strstr(s, "value=\"a&quot;&gt;&lt;x\""));
	assert_null(strstr(s, "<b>"));
	assert_null(strstr(s, "<x"));
	free(s);
}

static void test_layout_flash(void **state)
{
	(void)state;
	layout ok = {.title = "T", .flash = "Saved.", .flash_kind = "ok"};
	char *s = page(&ok);
	assert_non_null(strstr(s, "<div class=\"flash flash-ok\" role=\"status\"><p>Saved.</p></div>"));
	free(s);
	layout err = {.title = "T", .flash = "Could not save.", .flash_kind = "error"};
	s = page(&err);
	assert_non_null(strstr(s, "class=\"flash flash-error\" role=\"status\""));
	free(s);
	layout odd = {.title = "T", .flash = "x", .flash_kind = "\"><script>"};
	s = page(&odd);
	assert_non_null(strstr(s, "flash flash-ok")); /* unknown kinds are not echoed */
	assert_null(strstr(s, "<script>"));
	free(s);
	layout none = {.title = "T"};
	s = page(&none);
	assert_null(strstr(s, "role=\"status\""));
	free(s);
}

static void test_layout_signed_out(void **state)
{
	(void)state;
	layout l = {.title = "Sign in"};
	char *s = page(&l);
	assert_non_null(strstr(s, "<a href=\"/signin\">Sign in</a>"));
	assert_null(strstr(s, "/signout"));
	assert_null(strstr(s, "aria-current"));
	free(s);
}

static void test_layout_signed_in_sign_out_is_a_post(void **state)
{
	(void)state;
	layout l = {.title = "Home", .user_name = "Ana", .csrf = "tok123"};
	char *s = page(&l);
	assert_non_null(strstr(s, "<form method=\"post\" action=\"/signout\""));
	assert_non_null(strstr(s, "<input type=\"hidden\" name=\"csrf\" value=\"tok123\">"));
	assert_null(strstr(s, "href=\"/signout\""));
	assert_null(strstr(s, "aria-current")); /* no active key given */
	free(s);
}

/* " onclick=", " onload=" and the like. */
static bool has_event_attribute(const char *s)
{
	for (const char *p = strstr(s, " on"); p; p = strstr(p + 1, " on")) {
		const char *q = p + 3;
		while (*q >= 'a' && *q <= 'z') q++;
		if (q > p + 3 && *q == '=') return true;
	}
	return false;
}

/* The Content Security Policy allows no inline script or style. */
static void test_layout_has_no_inline_script_or_style(void **state)
{
	(void)state;
	layout l = {.title = "T", .active = "orgs", .flash = "f", .user_name = "u", .csrf = "c"};
	char *s = page(&l);
	assert_int_equal(count(s, "<script"), count(s, "<script src=\"/static/"));
	assert_null(strstr(s, "<style"));
	assert_null(strstr(s, "style="));
	assert_false(has_event_attribute(s));
	assert_null(strstr(s, "javascript:"));
	free(s);
}

static void test_layout_without_title_or_struct(void **state)
{
	(void)state;
	layout l = {0};
	char *s = page(&l);
	assert_non_null(strstr(s, "<title>coachd</title>"));
	free(s);
	s = page(NULL);
	assert_non_null(strstr(s, "<main id=\"main\""));
	free(s);
}

/* The fast paths (%d %ld %lld %zu %.1f without flags) must print exactly
 * what printf prints, at the edges too. */
static void test_fast_paths_match_printf(void **state)
{
	(void)state;
	const long long ints[] = {0, 1, -1, 9, 10, -10, 123456789, LLONG_MAX, LLONG_MIN};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		buf b = BUF_INIT;
		char want[64];
		html_printf(&b, "%lld|%ld|%d|%zu", ints[i], (long)ints[i], (int)ints[i], (size_t)ints[i]);
		snprintf(want, sizeof want, "%lld|%ld|%d|%zu", ints[i], (long)ints[i], (int)ints[i],
			 (size_t)ints[i]);
		assert_string_equal(buf_cstr(&b), want);
		buf_free(&b);
	}
	const double reals[] = {0.0,   -0.0,   0.04,  0.05,      0.15, 0.25,  1.25,      -1.25,
				2.675, 359.96, -0.04, 123456.78, 1e20, -1e20, 1e16 + 0.5};
	for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
		buf b = BUF_INIT;
		char want[64];
		html_printf(&b, "%.1f", reals[i]);
		snprintf(want, sizeof want, "%.1f", reals[i]);
		assert_string_equal(buf_cstr(&b), want);
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_each_char_in_s),
		cmocka_unit_test(test_escape_each_char_in_c),
		cmocka_unit_test(test_format_text_is_not_escaped),
		cmocka_unit_test(test_null_s_prints_nothing),
		cmocka_unit_test(test_s_width_and_precision),
		cmocka_unit_test(test_numbers_match_printf),
		cmocka_unit_test(test_numbers_with_star_and_lengths),
		cmocka_unit_test(test_long_string_over_256),
		cmocka_unit_test(test_long_number_padding),
		cmocka_unit_test(test_many_args),
		cmocka_unit_test(test_appends_to_existing_content),
		cmocka_unit_test(test_vprintf),
		cmocka_unit_test(test_html_escape_counts_bytes),
		cmocka_unit_test(test_raw_is_not_escaped),
		cmocka_unit_test(test_asset_find),
		cmocka_unit_test(test_every_asset_is_found_by_its_path),
		cmocka_unit_test(test_assets_load_nothing_external),
		cmocka_unit_test(test_layout_landmarks),
		cmocka_unit_test(test_layout_escapes_everything_given),
		cmocka_unit_test(test_layout_flash),
		cmocka_unit_test(test_layout_signed_out),
		cmocka_unit_test(test_layout_signed_in_sign_out_is_a_post),
		cmocka_unit_test(test_layout_has_no_inline_script_or_style),
		cmocka_unit_test(test_layout_without_title_or_struct),
		cmocka_unit_test(test_fast_paths_match_printf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
