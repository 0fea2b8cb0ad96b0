/* Unit tests for the SVG charts (src/html/svg.h): accessible structure,
 * every value in the data table, escaping of every label, suppressed
 * heatmap cells, text contrast, and no crash or NaN on empty input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "base/buf.h"
#include "html/html.h"
#include "html/svg.h"

typedef void chart_fn(buf *b, const svg_chart *c, const svg_table *t);

static char *render(chart_fn *fn, const svg_chart *c, const svg_table *t)
{
	buf b = BUF_INIT;
	fn(&b, c, t);
	char *s = strdup(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = strstr(hay, needle); p; p = strstr(p + len, needle)) n++;
	return n;
}

/* The part of s between the first `from` and the next `to`, copied. */
static char *between(const char *s, const char *from, const char *to)
{
	const char *a = strstr(s, from);
	assert_non_null(a);
	a += strlen(from);
	const char *z = strstr(a, to);
	assert_non_null(z);
	return strndup(a, (size_t)(z - a));
}

/* A NaN or infinity that leaked into text or coordinates. */
static bool has_non_number(const char *s)
{
	return strstr(s, "nan") || strstr(s, "NaN") || strstr(s, "inf") || strstr(s, "Inf");
}

static bool valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80             ? 0
			: (*p & 0xe0) == 0xc0 ? 1
			: (*p & 0xf0) == 0xe0 ? 2
			: (*p & 0xf8) == 0xf0 ? 3
					      : -1;
		if (n < 0) return false;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xc0) != 0x80) return false;
	}
	return true;
}

/* Every id="..." on the page appears once. */
static void assert_ids_unique(const char *s)
{
	for (const char *p = strstr(s, " id=\""); p; p = strstr(p + 1, " id=\"")) {
		const char *q = strchr(p + 5, '"');
		assert_non_null(q);
		char *needle = strndup(p, (size_t)(q - p + 1));
		assert_int_equal(count(s, needle), 1);
		free(needle);
	}
}

/* The accessible frame every chart shares. */
static void assert_accessible(const char *s, const char *id, const char *title_html)
{
	char want[256];
	assert_int_equal(count(s, "role=\"img\""), 1);
	snprintf(want, sizeof want, "aria-labelledby=\"%s-title %s-desc\"", id, id);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof want, "<title id=\"%s-title\">%s</title>", id, title_html);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof want, "<desc id=\"%s-desc\">", id);
	assert_non_null(strstr(s, want));
	assert_non_null(strstr(s, "viewBox=\"0 0 "));
	assert_non_null(strstr(s, "<details class=\"chart-data\"><summary>Data table"));
	assert_non_null(strstr(s, "<table>"));
	/* the text alternative follows the picture */
	assert_true(strstr(s, "</svg>") < strstr(s, "<details"));
	assert_false(has_non_number(s));
	assert_true(valid_utf8(s));
	assert_ids_unique(s);
}

/* ---- bar -------------------------------------------------------------- */

static const char *const schools[] = {"Jefferson", "Lincoln", "Roosevelt", "Adams"};

static void test_bar_structure_and_values(void **state)
{
	(void)state;
	double v[] = {12, 7, 15.5, 0};
	svg_table t = {4, 1, schools, NULL, v};
	svg_chart c = {.id = "b1", .title = "Sessions by school", .row_head = "School", .horizontal = true};
	char *s = render(svg_bar, &c, &t);
	assert_accessible(s, "b1", "Sessions by school");
	assert_non_null(strstr(s, "<figure class=\"chart chart-bar\" id=\"b1\">"));
	assert_non_null(strstr(s, "<figcaption>Sessions by school</figcaption>"));
	char *table = between(s, "<table>", "</table>");
	assert_non_null(strstr(table, "<th scope=\"col\">School</th>"));
	assert_non_null(strstr(table, "<th scope=\"row\">Jefferson</th><td class=\"num\">12</td>"));
	assert_non_null(strstr(table, "<th scope=\"row\">Lincoln</th><td class=\"num\">7</td>"));
	assert_non_null(strstr(table, "<th scope=\"row\">Roosevelt</th><td class=\"num\">15.5</td>"));
	assert_non_null(strstr(table, "<th scope=\"row\">Adams</th><td class=\"num\">0</td>"));
	free(table);
	char *svg = between(s, "<svg", "</svg>");
	assert_int_equal(count(svg, "<rect"), 3); /* a zero draws no bar */
	assert_non_null(strstr(svg, ">15.5</text>"));
	/* generated summary names the extremes */
	char *desc = between(s, "-desc\">", "</desc>");
	assert_non_null(strstr(desc, "Highest: Roosevelt, 15.5."));
	assert_non_null(strstr(desc, "Lowest: Adams, 0."));
	free(desc);
	free(svg);
	free(s);
}

static void test_bar_vertical_and_given_desc(void **state)
{
	(void)state;
	double v[] = {4, 10.5, 12, 3.25};
	svg_table t = {4, 1, schools, NULL, v};
	svg_chart c = {.id = "b2", .title = "Hours", .desc = "Hours rose <then> fell.", .unit = " h"};
	char *s = render(svg_bar, &c, &t);
	assert_accessible(s, "b2", "Hours");
	assert_non_null(strstr(s, "<desc id=\"b2-desc\">Hours rose &lt;then&gt; fell.</desc>"));
	assert_non_null(strstr(s, "<td class=\"num\">10.5 h</td>"));
	assert_non_null(strstr(s, "<td class=\"num\">3.3 h</td>")); /* one decimal by default */
	assert_int_equal(count(s, "<rect"), 4);
	free(s);
}

static void test_bar_escapes_every_label(void **state)
{
	(void)state;
	const char *const rows[] = {"<script>alert(1)</script>", "A & B", "\"quoted\"", "O'Hare"};
	double v[] = {1, 2, 3, 4};
	svg_table t = {4, 1, rows, NULL, v};
	svg_chart c = {.id = "x\"><script>",
		       .title = "<script>t</script>",
		       .row_head = "<th>",
		       .unit = "<u>",
		       .horizontal = true};
	char *s = render(svg_bar, &c, &t);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<u>"));
	assert_null(strstr(s, "<th>"));
	assert_null(strstr(s, "\"quoted\""));
	assert_null(strstr(s, "O'Hare"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(s, "A &amp; B"));
	assert_non_null(strstr(s, "&quot;quoted&quot;"));
	assert_non_null(strstr(s, "O&#39;Hare"));
	assert_non_null(strstr(s, "<td class=\"num\">3&lt;u&gt;</td>"));
	assert_non_null(strstr(s, "id=\"x&quot;&gt;&lt;script&gt;\""));
	free(s);
}

static void test_number_format(void **state)
{
	(void)state;
	const char *const rows[] = {"a", "b", "c", "d", "e", "f"};
	double v[] = {3.0, 2.25, 16200, -0.04, 1234567.5, 2.999999999999};
	svg_table t = {6, 1, rows, NULL, v};
	svg_chart c = {.id = "n", .title = "N", .decimals = 2, .horizontal = true};
	char *s = render(svg_bar, &c, &t);
	char *table = between(s, "<tbody>", "</tbody>");
	assert_non_null(strstr(table, ">3</td>"));
	assert_null(strstr(table, ">3.0"));
	assert_non_null(strstr(table, ">2.25</td>"));
	assert_non_null(strstr(table, ">16,200</td>"));
	assert_non_null(strstr(table, "<th scope=\"row\">d</th><td class=\"num\">-0.04</td>"));
	assert_non_null(strstr(table, ">1,234,567.5</td>"));
	assert_non_null(strstr(table, "<th scope=\"row\">f</th><td class=\"num\">3</td>"));
	free(table);
	free(s);
	c.decimals = 1;
	s = render(svg_bar, &c, &t);
	assert_non_null(strstr(s, "<th scope=\"row\">d</th><td class=\"num\">0</td>")); /* not "-0" */
	free(s);
}

static void test_bar_negative_and_missing(void **state)
{
	(void)state;
	double v[] = {5, -3, NAN, INFINITY};
	svg_table t = {4, 1, schools, NULL, v};
	svg_chart c = {.id = "neg", .title = "Change"};
	char *s = render(svg_bar, &c, &t);
	assert_accessible(s, "neg", "Change");
	assert_int_equal(count(s, "<rect"), 2);
	assert_non_null(strstr(s, "<td class=\"num\">-3</td>"));
	assert_int_equal(count(s, "<td class=\"num missing\">—"), 2);
	free(s);
}

static void test_long_labels_are_cut_in_the_picture_only(void **state)
{
	(void)state;
	char long_label[121];
	memset(long_label, 'x', 120);
	long_label[120] = 0;
	char accents[2 * 40 + 1] = "";
	for (int i = 0; i < 40; i++) strcat(accents, "é");
	const char *const rows[] = {long_label, accents};
	double v[] = {1, 2};
	svg_table t = {2, 1, rows, NULL, v};
	svg_chart c = {.id = "l", .title = "Long", .horizontal = true};
	char *s = render(svg_bar, &c, &t);
	assert_true(valid_utf8(s)); /* a cut never splits a character */
	char *svg = between(s, "<svg", "</svg>");
	assert_non_null(strstr(svg, "…</text>"));
	/* the full label survives as the tooltip and in the table */
	char want[200];
	snprintf(want, sizeof want, "<title>%s</title>", long_label);
	assert_non_null(strstr(svg, want));
	snprintf(want, sizeof want, "<th scope=\"row\">%s</th>", long_label);
	assert_non_null(strstr(s, want));
	free(svg);
	free(s);
}

/* ---- stacked bar ------------------------------------------------------ */

static void test_stacked(void **state)
{
	(void)state;
	const char *const grades[] = {"GK", "G1", "G2"};
	const char *const kinds[] = {"Individual", "Collaborative <team>"};
	double v[] = {3, 2, 4, 0, NAN, 5};
	svg_table t = {3, 2, grades, kinds, v};
	svg_chart c = {.id = "s1", .title = "Cycles", .row_head = "Grade", .horizontal = true};
	char *s = render(svg_stacked_bar, &c, &t);
	assert_accessible(s, "s1", "Cycles");
	/* one segment per non-zero value, each outlined to separate it */
	assert_int_equal(count(s, "stroke=\"#ffffff\""), 4);
	/* legend with every series, names escaped */
	char *legend = between(s, "<ul class=\"chart-legend\"", "</ul>");
	assert_non_null(strstr(legend, "Individual</li>"));
	assert_non_null(strstr(legend, "Collaborative &lt;team&gt;</li>"));
	free(legend);
	char *table = between(s, "<table>", "</table>");
	assert_non_null(strstr(table, "<th scope=\"col\" class=\"num\">Total</th>"));
	assert_non_null(strstr(table,
			       "<th scope=\"row\">GK</th><td class=\"num\">3</td>"
			       "<td class=\"num\">2</td><td class=\"num\">5</td>"));
	assert_non_null(strstr(table,
			       "<th scope=\"row\">G1</th><td class=\"num\">4</td>"
			       "<td class=\"num\">0</td><td class=\"num\">4</td>"));
	assert_non_null(strstr(table, "<th scope=\"row\">G2</th><td class=\"num missing\">"));
	free(table);
	/* both colours of the palette are used, in order */
	assert_true(strstr(s, "#0072b2") < strstr(s, "#d55e00"));
	free(s);
}

static void test_stacked_vertical_all_zero(void **state)
{
	(void)state;
	const char *const rows[] = {"a", "b"};
	const char *const cols[] = {"x", "y", "z"};
	double v[6] = {0};
	svg_table t = {2, 3, rows, cols, v};
	svg_chart c = {.id = "z", .title = "Zeros"};
	char *s = render(svg_stacked_bar, &c, &t);
	assert_accessible(s, "z", "Zeros");
	assert_int_equal(count(s, "stroke=\"#ffffff\""), 0);
	assert_int_equal(count(s, "<td class=\"num\">0</td>"), 8);
	free(s);
}

/* ---- heatmap ---------------------------------------------------------- */

static double channel(unsigned c)
{
	double x = c / 255.0;
	return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

static double luminance(const char *hex)
{
	unsigned long v = strtoul(hex + 1, NULL, 16);
	return 0.2126 * channel(v >> 16 & 0xff) + 0.7152 * channel(v >> 8 & 0xff) +
		0.0722 * channel(v & 0xff);
}

static double contrast(const char *a, const char *b)
{
	double la = luminance(a), lb = luminance(b);
	return (fmax(la, lb) + 0.05) / (fmin(la, lb) + 0.05);
}

static const char *const dims[] = {"Mathematics", "Cognitive demand", "Access"};
static const char *const walks[] = {"Fall", "Spring"};

static void test_heatmap_values_and_suppression(void **state)
{
	(void)state;
	double v[] = {1.8, 2.5, NAN, 3, 1, -INFINITY};
	svg_table t = {3, 2, dims, walks, v};
	svg_chart c = {.id = "h1", .title = "TRU", .row_head = "Dimension", .lo = 1, .hi = 3};
	char *s = render(svg_heatmap, &c, &t);
	assert_accessible(s, "h1", "TRU");
	/* one pattern, used by the two suppressed cells */
	assert_int_equal(count(s, "<pattern id=\"h1-hatch\""), 1);
	assert_int_equal(count(s, "fill=\"url(#h1-hatch)\""), 2);
	char *svg = between(s, "<svg", "</svg>");
	assert_int_equal(count(svg, ">—</text>"), 2);
	assert_int_equal(count(svg, ": not shown</title>"), 2); /* their tooltips */
	assert_non_null(strstr(svg, ">1.8</text>"));
	assert_non_null(strstr(svg, ">2.5</text>"));
	assert_non_null(strstr(svg, ">3</text>"));
	assert_non_null(strstr(svg, ">1</text>"));
	free(svg);
	char *table = between(s, "<tbody>", "</tbody>");
	assert_non_null(strstr(table,
			       "<th scope=\"row\">Mathematics</th><td class=\"num\">1.8</td>"
			       "<td class=\"num\">2.5</td>"));
	assert_non_null(strstr(table, "<th scope=\"row\">Cognitive demand</th><td class=\"num missing\">"));
	assert_int_equal(count(table, "not shown"), 2);
	free(table);
	assert_non_null(strstr(s, "2 cells are not shown."));
	free(s);
}

/* A suppressed value never leaves the server: not as text, not as colour. */
static void test_heatmap_suppressed_value_not_printed(void **state)
{
	(void)state;
	const char *const rows[] = {"School A", "School B"};
	const char *const cols[] = {"Count"};
	double v[] = {NAN, 42};
	svg_table t = {2, 1, rows, cols, v};
	svg_chart c = {.id = "h2", .title = "Small counts"};
	char *s = render(svg_heatmap, &c, &t);
	assert_accessible(s, "h2", "Small counts");
	assert_int_equal(count(s, ">42</text>"), 1);
	char *row_a = between(s, "<title>School A · Count: ", "</title>");
	assert_string_equal(row_a, "not shown");
	free(row_a);
	free(s);
}

static void test_heatmap_text_contrast(void **state)
{
	(void)state;
	double v[] = {1, 1.5, 2, 2.25, 2.75, 3};
	svg_table t = {3, 2, dims, walks, v};
	svg_chart c = {.id = "h3", .title = "Contrast", .decimals = 2};
	char *s = render(svg_heatmap, &c, &t);
	size_t cells = 0;
	for (const char *p = strstr(s, "<rect x="); p; p = strstr(p + 1, "<rect x=")) {
		const char *fill = strstr(p, "fill=\"#");
		const char *text = strstr(p, "<text");
		if (!fill || !text || fill > text) continue;
		const char *ink = strstr(text, "fill=\"#");
		assert_non_null(ink);
		char bg[8], fg[8];
		memcpy(bg, fill + 6, 7);
		memcpy(fg, ink + 6, 7);
		bg[7] = fg[7] = 0;
		assert_true(contrast(bg, fg) >= 4.5);
		cells++;
	}
	assert_int_equal(cells, 6);
	/* the lowest and highest cells get different colours */
	assert_non_null(strstr(s, ">2.25</text>"));
	free(s);
}

static void test_heatmap_all_equal_and_all_missing(void **state)
{
	(void)state;
	double same[] = {2, 2, 2, 2, 2, 2};
	svg_table t = {3, 2, dims, walks, same};
	svg_chart c = {.id = "h4", .title = "Flat"};
	char *s = render(svg_heatmap, &c, &t);
	assert_accessible(s, "h4", "Flat");
	assert_int_equal(count(s, ">2</text>"), 6);
	free(s);
	double none[] = {NAN, NAN, NAN, NAN, NAN, NAN};
	t.v = none;
	c.id = "h5";
	s = render(svg_heatmap, &c, &t);
	assert_accessible(s, "h5", "Flat");
	assert_int_equal(count(s, "fill=\"url(#h5-hatch)\""), 6);
	free(s);
}

static void test_heatmap_wide_scrolls(void **state)
{
	(void)state;
	const char *const cols[] = {"MP1", "MP2", "MP3", "MP4",  "MP5",  "MP6",
				    "MP7", "MP8", "MP9", "MP10", "MP11", "MP12"};
	double v[3 * 12];
	for (size_t i = 0; i < 36; i++) v[i] = (double)(i % 3) + 1;
	svg_table t = {3, 12, dims, cols, v};
	svg_chart c = {.id = "h6", .title = "Wide"};
	char *s = render(svg_heatmap, &c, &t);
	assert_non_null(strstr(s, "class=\"chart-frame chart-wide\""));
	assert_null(strstr(s, "width=\"100%\""));
	free(s);
}

/* ---- line ------------------------------------------------------------- */

static void test_line(void **state)
{
	(void)state;
	const char *const points[] = {"Aug", "Sep", "Oct", "Nov"};
	const char *const series[] = {"Jefferson", "Lincoln <MS>"};
	double v[] = {1.8, 1.5, 2.0, NAN, 2.2, 1.6, 2.6, 2.0};
	svg_table t = {4, 2, points, series, v};
	svg_chart c = {.id = "l1", .title = "Ratings", .row_head = "Month", .lo = 1, .hi = 3};
	char *s = render(svg_line, &c, &t);
	assert_accessible(s, "l1", "Ratings");
	char *svg = between(s, "<svg", "</svg>");
	assert_int_equal(count(svg, "<path fill=\"none\""), 2);
	/* a missing value breaks the line instead of bridging it */
	char *second =
		between(svg, "stroke=\"#d55e00\" stroke-width=\"2.5\" stroke-linejoin=\"round\" d=\"", "\"");
	assert_int_equal(count(second, "M"), 2);
	free(second);
	/* markers: circles for the first series, squares for the second */
	assert_int_equal(count(svg, "<circle"), 4);
	assert_int_equal(count(svg, "<rect x="), 3);
	assert_non_null(strstr(svg, "<title>Lincoln &lt;MS&gt;, Oct: 1.6</title>"));
	free(svg);
	char *legend = between(s, "<ul class=\"chart-legend\"", "</ul>");
	assert_non_null(strstr(legend, "Jefferson</li>"));
	assert_non_null(strstr(legend, "Lincoln &lt;MS&gt;</li>"));
	free(legend);
	char *table = between(s, "<tbody>", "</tbody>");
	assert_non_null(strstr(table,
			       "<th scope=\"row\">Oct</th><td class=\"num\">2.2</td>"
			       "<td class=\"num\">1.6</td>"));
	assert_non_null(strstr(table,
			       "<th scope=\"row\">Sep</th><td class=\"num\">2</td>"
			       "<td class=\"num missing\">"));
	free(table);
	char *desc = between(s, "-desc\">", "</desc>");
	assert_non_null(strstr(desc, "from Aug to Nov"));
	assert_non_null(strstr(desc, "Jefferson: 1.8 to 2.6."));
	free(desc);
	free(s);
}

static void test_line_single_point_and_many_points(void **state)
{
	(void)state;
	const char *const one[] = {"Only"};
	double v1[] = {7};
	svg_table t = {1, 1, one, NULL, v1};
	svg_chart c = {.id = "l2", .title = "One"};
	char *s = render(svg_line, &c, &t);
	assert_accessible(s, "l2", "One");
	assert_int_equal(count(s, "<circle"), 1);
	assert_null(strstr(s, "chart-legend")); /* one unnamed series needs no legend */
	free(s);

	enum { N = 60 };
	const char *labels[N];
	double v[N];
	char names[N][24];
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "Week %d", i + 1);
		labels[i] = names[i];
		v[i] = i % 7;
	}
	svg_table many = {N, 1, labels, NULL, v};
	c.id = "l3";
	s = render(svg_line, &c, &many);
	assert_accessible(s, "l3", "One");
	char *svg = between(s, "<svg", "</svg>");
	/* x labels thinned so they cannot overlap; the table keeps all */
	assert_true(count(svg, "text-anchor=\"middle\">Week") < N);
	assert_int_equal(count(s, "<th scope=\"row\">Week "), N);
	free(svg);
	free(s);
}

/* Terms like "Spring 2024" wrap onto two lines rather than being cut or
 * skipped. */
static void test_axis_labels_wrap(void **state)
{
	(void)state;
	const char *const terms[] = {"Fall 2023", "Spring 2024", "Fall 2024", "Spring 2025", "Summer <&25>"};
	double v[] = {1, 2, 3, 2, 1};
	svg_table t = {5, 1, terms, NULL, v};
	svg_chart c = {.id = "w", .title = "Terms"};
	chart_fn *fns[] = {svg_line, svg_bar};
	for (size_t f = 0; f < 2; f++) {
		char *s = render(fns[f], &c, &t);
		char *svg = between(s, "<svg", "</svg>");
		assert_non_null(strstr(svg, ">Spring</tspan><tspan x="));
		assert_non_null(strstr(svg, "dy=\"1.15em\">2025</tspan>"));
		/* broken at the space nearest the middle, escaped */
		assert_non_null(strstr(svg, ">Summer</tspan>"));
		assert_non_null(strstr(svg, "dy=\"1.15em\">&lt;&amp;25&gt;</tspan>"));
		assert_null(strstr(svg, "…"));
		free(svg);
		free(s);
	}
}

/* ---- empty and degenerate input --------------------------------------- */

static void test_empty_inputs_do_not_crash(void **state)
{
	(void)state;
	chart_fn *fns[] = {svg_bar, svg_stacked_bar, svg_heatmap, svg_line};
	svg_chart c = {.id = "e", .title = "Nothing <here>"};
	svg_table none = {0, 0, NULL, NULL, NULL};
	double v[] = {1};
	svg_table no_cols = {1, 0, NULL, NULL, v};
	for (size_t i = 0; i < 4; i++) {
		char *s = render(fns[i], &c, &none);
		assert_non_null(strstr(s, "No data to show."));
		assert_non_null(strstr(s, "<figcaption>Nothing &lt;here&gt;</figcaption>"));
		assert_null(strstr(s, "role=\"img\""));
		free(s);
		s = render(fns[i], &c, NULL);
		assert_non_null(strstr(s, "No data to show."));
		free(s);
		s = render(fns[i], NULL, &no_cols);
		assert_non_null(strstr(s, "No data to show."));
		free(s);
	}
}

static void test_degenerate_inputs_stay_finite(void **state)
{
	(void)state;
	chart_fn *fns[] = {svg_bar, svg_stacked_bar, svg_heatmap, svg_line};
	const char *names[] = {"bar", "stacked", "heat", "line"};
	double zero[] = {0, 0};
	double missing[] = {NAN, NAN};
	double huge[] = {1e300, -1e300};
	double tiny[] = {1e-12, 2e-12};
	const double *sets[] = {zero, missing, huge, tiny};
	for (size_t i = 0; i < 4; i++) {
		for (size_t k = 0; k < 4; k++) {
			svg_table t = {2, 1, NULL, NULL, sets[k]}; /* no labels at all */
			char id[32];
			snprintf(id, sizeof id, "%s%zu", names[i], k);
			svg_chart c = {.id = id, .title = "T", .lo = k == 3 ? 5 : 0, .hi = k == 3 ? 5 : 0};
			char *s = render(fns[i], &c, &t);
			assert_accessible(s, id, "T");
			free(s);
		}
	}
	/* no chart struct: defaults, still a labelled image */
	svg_table t = {2, 1, NULL, NULL, zero};
	char *s = render(svg_bar, NULL, &t);
	assert_non_null(strstr(s, "aria-labelledby=\"chart-title chart-desc\""));
	free(s);
}

static void test_two_charts_on_a_page_have_distinct_ids(void **state)
{
	(void)state;
	double v[] = {1, 2, 3, 4, 5, 6};
	svg_table t = {3, 2, dims, walks, v};
	svg_chart a = {.id = "a", .title = "A"}, b2 = {.id = "b", .title = "B"};
	buf b = BUF_INIT;
	svg_heatmap(&b, &a, &t);
	svg_heatmap(&b, &b2, &t);
	svg_line(&b, &(svg_chart){.id = "c", .title = "C"}, &t);
	svg_stacked_bar(&b, &(svg_chart){.id = "d", .title = "D"}, &t);
	assert_ids_unique(buf_cstr(&b));
	assert_int_equal(count(buf_cstr(&b), "role=\"img\""), 4);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bar_structure_and_values),
		cmocka_unit_test(test_bar_vertical_and_given_desc),
		cmocka_unit_test(test_bar_escapes_every_label),
		cmocka_unit_test(test_number_format),
		cmocka_unit_test(test_bar_negative_and_missing),
		cmocka_unit_test(test_long_labels_are_cut_in_the_picture_only),
		cmocka_unit_test(test_stacked),
		cmocka_unit_test(test_stacked_vertical_all_zero),
		cmocka_unit_test(test_heatmap_values_and_suppression),
		cmocka_unit_test(test_heatmap_suppressed_value_not_printed),
		cmocka_unit_test(test_heatmap_text_contrast),
		cmocka_unit_test(test_heatmap_all_equal_and_all_missing),
		cmocka_unit_test(test_heatmap_wide_scrolls),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_line_single_point_and_many_points),
		cmocka_unit_test(test_axis_labels_wrap),
		cmocka_unit_test(test_empty_inputs_do_not_crash),
		cmocka_unit_test(test_degenerate_inputs_stay_finite),
		cmocka_unit_test(test_two_charts_on_a_page_have_distinct_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
