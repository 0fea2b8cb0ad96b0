/* Server-rendered SVG charts. Geometry is designed for a phone's width (a
 * 360-unit viewBox scaled to the column); a chart whose data needs more
 * room keeps its natural size and scrolls sideways instead of shrinking
 * its text out of legibility. All text goes through html_printf. */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "html.h"

enum {
	FONT = 14,      /* text size in viewBox units */
	NARROW_W = 360, /* design width: a phone's content column */
	WIDE_W = 440,   /* wider than this: natural size, scrolled */
	MAX_LABEL = 22, /* category labels are cut to this many characters */
	MAX_TICKS = 50
};
/* Average advance of a character of the system sans at FONT: good enough
 * to reserve room and decide where to cut a label. */
static const double CHAR_W = 9.0; /* wide enough for DejaVu Sans, the widest common system-ui at 14px */

static const char FONT_FAMILY[] = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif";
static const char INK[] = "#1a1a1a";
static const char INK_SOFT[] = "#595959"; /* 7:1 on white */
static const char GRID[] = "#dcdcdc";
static const char AXIS[] = "#767676";

/* Okabe & Ito's colour-blind-safe palette, reordered so that the first
 * four series reach 3:1 against white. */
static const char *const SERIES[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442",
};

static const char *series_color(size_t j)
{
	return SERIES[j % COUNT_OF(SERIES)];
}

/* ---- text ------------------------------------------------------------ */

/* Bytes of s holding its first max code points, never cutting one. */
static size_t utf8_prefix(const char *s, size_t max)
{
	size_t cps = 0, i = 0;
	for (; s[i]; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80) continue;
		if (cps == max) break;
		cps++;
	}
	return i;
}

/* Writes s cut to max characters with an ellipsis; a cut label keeps its
 * full text as a tooltip (the data table has it too). */
static void fit_text(buf *b, const char *s, size_t max)
{
	if (!s) s = "";
	if (utf8_length(s) <= max) {
		html_printf(b, "%s", s);
		return;
	}
	size_t keep = max > 1 ? utf8_prefix(s, max - 1) : 0;
	html_printf(b, "<title>%s</title>%.*s…", s, (int)keep, s);
}

static size_t max_label_len(const char *const *labels, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; labels && i < n; i++) {
		size_t len = utf8_length(labels[i]);
		if (len > m) m = len;
	}
	return m;
}

/* X-axis labels may take two lines ("Spring" over "2024"): terms and
 * dates are the usual categories and rarely fit one narrow slot. The break
 * is the space nearest the middle; 0 means there is none. */
static size_t wrap_at(const char *s)
{
	size_t len = strlen(s), best = 0;
	double best_d = (double)len;
	for (size_t i = 1; i + 1 < len; i++) {
		double d = fabs((double)i - (double)len / 2);
		if (s[i] == ' ' && d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

/* Characters on the longer line of s once wrapped (all of s if it can't). */
static size_t wrapped_len(const char *s)
{
	size_t k = wrap_at(s);
	if (!k) return utf8_length(s);
	size_t head = utf8_length(s) - utf8_length(s + k), tail = utf8_length(s + k + 1);
	return head > tail ? head : tail;
}

static bool needs_wrap(const char *s, size_t max)
{
	return utf8_length(s) > max && wrap_at(s) && wrapped_len(s) <= max;
}

static size_t max_wrapped_len(const char *const *labels, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; labels && i < n; i++) {
		size_t len = labels[i] ? wrapped_len(labels[i]) : 0;
		if (len > m) m = len;
	}
	return m;
}

static bool any_wraps(const char *const *labels, size_t n, size_t max)
{
	for (size_t i = 0; labels && i < n; i++)
		if (labels[i] && needs_wrap(labels[i], max)) return true;
	return false;
}

/* A label centred under x at y: on one line, on two, or cut. */
static void x_label(buf *b, double x, double y, const char *s, size_t max)
{
	html_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, y);
	if (needs_wrap(s, max)) {
		size_t k = wrap_at(s);
		html_printf(b, "<tspan x=\"%.1f\">%.*s</tspan><tspan x=\"%.1f\" dy=\"1.15em\">%s</tspan>", x,
			    (int)k, s, x, s + k + 1);
	} else {
		fit_text(b, s, max);
	}
	html_RAW(b, "</text>\n");
}

/* ---- numbers --------------------------------------------------------- */

typedef struct numtext {
	char s[64];
} numtext;

static void trim_zeros(char *s)
{
	if (!strchr(s, '.')) return;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '0') s[--n] = 0;
	if (n > 0 && s[n - 1] == '.') s[--n] = 0;
}

static void group_thousands(char *s, size_t cap)
{
	char *digits = s + (*s == '-');
	size_t n = strspn(digits, "0123456789");
	if (n <= 3) return;
	char tmp[64];
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0) tmp[o++] = ',';
		tmp[o++] = digits[i];
	}
	snprintf(tmp + o, sizeof tmp - o, "%s", digits + n);
	snprintf(digits, cap - (size_t)(digits - s), "%s", tmp);
}

/* Integers print without decimals; others with c->decimals (default 1),
 * trailing zeros dropped. Thousands are grouped: 16,200. */
static numtext num_format(int decimals, double v)
{
	numtext n;
	if (fabs(v) >= 1e15) {
		snprintf(n.s, sizeof n.s, "%.3g", v);
		return n;
	}
	int d = decimals <= 0 ? 1 : decimals > 6 ? 6 : decimals;
	double r = round(v);
	if (fabs(v - r) < 1e-9) {
		snprintf(n.s, sizeof n.s, "%.0f", r);
	} else {
		/* halves round away from zero, as in school: 3.25 → 3.3 */
		double scale = pow(10, d);
		snprintf(n.s, sizeof n.s, "%.*f", d, round(v * scale) / scale);
		trim_zeros(n.s);
	}
	if (!strcmp(n.s, "-0")) strcpy(n.s, "0");
	group_thousands(n.s, sizeof n.s);
	return n;
}

static const char *unit_of(const svg_chart *c)
{
	return c->unit ? c->unit : "";
}

static void put_value(buf *b, const svg_chart *c, double v)
{
	html_printf(b, "%s%s", num_format(c->decimals, v).s, unit_of(c));
}

static size_t value_len(const svg_chart *c, int decimals, double v)
{
	return strlen(num_format(decimals, v).s) + utf8_length(c->unit);
}

/* A missing value is NaN; infinities count as missing too. */
static double cell(const svg_table *t, size_t r, size_t col)
{
	double v = t->v[r * t->ncols + col];
	return isfinite(v) ? v : NAN;
}

/* Labels are never NULL past these two: "" stands for a missing one. */
static const char *row_name(const svg_table *t, size_t r)
{
	return t->rows && t->rows[r] ? t->rows[r] : "";
}

static const char *col_name(const svg_table *t, size_t col)
{
	if (t->cols) return t->cols[col] ? t->cols[col] : "";
	return t->ncols == 1 ? "Value" : "";
}

/* ---- colour ---------------------------------------------------------- */

typedef struct rgb {
	double r, g, b;
} rgb;

static rgb parse_hex(const char *hex)
{
	unsigned long v = strtoul(hex + 1, NULL, 16);
	return (rgb){(double)(v >> 16 & 0xff), (double)(v >> 8 & 0xff), (double)(v & 0xff)};
}

static double channel(double c)
{
	c /= 255;
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(rgb c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/* Text on a coloured fill: white or near-black, whichever contrasts more
 * (one of them always reaches 4.5:1). */
static const char *ink_on(rgb bg)
{
	double l = luminance(bg), dark = luminance(parse_hex(INK));
	return 1.05 / (l + 0.05) >= (l + 0.05) / (dark + 0.05) ? "#ffffff" : INK;
}

typedef struct hexcolor {
	char s[16];
} hexcolor;

static hexcolor to_hex(rgb c)
{
	hexcolor h;
	snprintf(h.s, sizeof h.s, "#%02x%02x%02x", (unsigned)lround(c.r), (unsigned)lround(c.g),
		 (unsigned)lround(c.b));
	return h;
}

/* Sequential single-hue scale (ColorBrewer Blues): ordered by lightness,
 * so it reads the same to colour-blind readers and in greyscale print. */
static rgb heat_rgb(double t)
{
	static const rgb stops[] = {
		{222, 235, 247}, {158, 202, 225}, {107, 174, 214}, {49, 130, 189}, {8, 81, 156},
	};
	const size_t n = COUNT_OF(stops);
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	double x = t * (double)(n - 1);
	size_t i = (size_t)x;
	if (i >= n - 1) i = n - 2;
	double f = x - (double)i;
	rgb a = stops[i], z = stops[i + 1];
	return (rgb){a.r + (z.r - a.r) * f, a.g + (z.g - a.g) * f, a.b + (z.b - a.b) * f};
}

/* ---- value axis ------------------------------------------------------ */

typedef struct axis {
	double lo, hi, step;
	int decimals; /* for tick labels */
} axis;

/* 1, 2 or 5 times a power of ten, so ticks land on round numbers. */
static double nice_step(double raw, int *decimals)
{
	if (!(raw > 0) || !isfinite(raw)) raw = 1;
	double e = floor(log10(raw)), f = raw / pow(10, e);
	double nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
	*decimals = e < 0 ? (int)-e : 0;
	return nf * pow(10, e);
}

typedef struct extent {
	double min, max;
	bool any, integral;
} extent;

static void extent_add(extent *x, double v)
{
	if (isnan(v)) return;
	if (!x->any || v < x->min) x->min = v;
	if (!x->any || v > x->max) x->max = v;
	x->any = true;
	if (v != round(v)) x->integral = false;
}

static axis value_axis(const svg_chart *c, extent x, bool zero)
{
	axis a;
	bool fixed = isfinite(c->lo) && isfinite(c->hi) && c->lo < c->hi;
	double lo = x.any ? x.min : 0, hi = x.any ? x.max : 0;
	if (fixed) {
		lo = c->lo;
		hi = c->hi;
	} else if (zero) {
		lo = fmin(lo, 0);
		hi = fmax(hi, 0);
	}
	if (!(hi > lo)) hi = lo + 1;
	a.step = nice_step((hi - lo) / 4, &a.decimals);
	if (x.integral && !fixed && a.step < 1) {
		a.step = 1;
		a.decimals = 0;
	}
	a.lo = fixed ? lo : floor(lo / a.step) * a.step;
	a.hi = fixed ? hi : ceil(hi / a.step) * a.step;
	if (!(a.hi > a.lo)) a.hi = a.lo + a.step;
	return a;
}

static double first_tick(const axis *a)
{
	return ceil(a->lo / a->step - 1e-9) * a->step;
}

static size_t tick_count(const axis *a)
{
	double n = floor((a->hi - first_tick(a)) / a->step + 1e-9) + 1;
	return n < 1 ? 1 : n > MAX_TICKS ? MAX_TICKS : (size_t)n;
}

static double tick_value(const axis *a, size_t k)
{
	double v = first_tick(a) + (double)k * a->step;
	return fabs(v) < a->step * 1e-9 ? 0 : v;
}

static size_t tick_label_len(const svg_chart *c, const axis *a)
{
	size_t m = 0;
	for (size_t k = 0; k < tick_count(a); k++) {
		size_t len = value_len(c, a->decimals, tick_value(a, k));
		if (len > m) m = len;
	}
	return m;
}

/* ---- plot area ------------------------------------------------------- */

typedef struct plot {
	double w, h;           /* viewBox */
	double x0, x1, y0, y1; /* plot area */
	axis ax;
	bool horiz;         /* the value axis runs along x */
	size_t label_chars; /* category labels are cut to this many */
} plot;

static double vpos(const plot *p, double v)
{
	double t = (v - p->ax.lo) / (p->ax.hi - p->ax.lo);
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	return p->horiz ? p->x0 + t * (p->x1 - p->x0) : p->y1 - t * (p->y1 - p->y0);
}

static void draw_grid(buf *b, const svg_chart *c, const plot *p)
{
	for (size_t k = 0; k < tick_count(&p->ax); k++) {
		double v = tick_value(&p->ax, k), q = vpos(p, v);
		const char *stroke = v == 0 ? AXIS : GRID;
		if (p->horiz)
			html_printf(b,
				    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
				    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">",
				    q, p->y0, q, p->y1, stroke, q, p->y1 + 18, INK_SOFT);
		else
			html_printf(
				b,
				"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
				"<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" text-anchor=\"end\" fill=\"%s\">",
				p->x0, q, p->x1, q, stroke, p->x0 - 6, q, INK_SOFT);
		html_printf(b, "%s%s</text>\n", num_format(p->ax.decimals, v).s, unit_of(c));
	}
}

/* ---- figure, legend and data table ----------------------------------- */

static const char *chart_id(const svg_chart *c)
{
	return c->id && *c->id ? c->id : "chart";
}

static void figure_open(buf *b, const svg_chart *c, const char *kind)
{
	html_printf(b, "<figure class=\"chart chart-%s\" id=\"%s\">\n", kind, chart_id(c));
	if (c->title && *c->title) html_printf(b, "<figcaption>%s</figcaption>\n", c->title);
}

/* desc is plain text (the caller's, or a generated summary). */
static void svg_open(buf *b, const svg_chart *c, const plot *p, buf *desc)
{
	const char *id = chart_id(c);
	bool wide = p->w > WIDE_W;
	double w = ceil(p->w), h = ceil(p->h);
	/* A wide chart scrolls sideways in its frame; keyboard users reach the
	 * scroll only when the frame can take focus. */
	if (wide)
		html_printf(b,
			    "<div class=\"chart-frame chart-wide\" tabindex=\"0\" role=\"group\" "
			    "aria-label=\"%s (scrolls sideways)\">\n",
			    c->title && *c->title ? c->title : "Chart");
	else html_printf(b, "<div class=\"chart-frame\">\n");
	html_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" ", w, h);
	if (wide) html_printf(b, "width=\"%.0f\" height=\"%.0f\"", w, h);
	else html_printf(b, "width=\"100%%\" height=\"%.0f\"", h);
	html_printf(b,
		    " role=\"img\" aria-labelledby=\"%s-title %s-desc\" font-size=\"%d\""
		    " font-family=\"%s\" fill=\"%s\">\n",
		    id, id, FONT, FONT_FAMILY, INK);
	html_printf(b, "<title id=\"%s-title\">%s</title>\n<desc id=\"%s-desc\">%s</desc>\n", id, c->title,
		    id, c->desc ? c->desc : buf_cstr(desc));
}

static void svg_close(buf *b)
{
	html_RAW(b, "</svg>\n</div>\n");
}

static void empty_figure(buf *b, const svg_chart *c, const char *kind)
{
	figure_open(b, c, kind);
	html_RAW(b, "<p class=\"chart-empty\">No data to show.</p>\n</figure>\n");
}

static void value_cell(buf *b, const svg_chart *c, double v)
{
	if (isnan(v)) {
		html_RAW(b,
			 "<td class=\"num missing\">—<span class=\"visually-hidden\">"
			 " not shown</span></td>");
		return;
	}
	html_RAW(b, "<td class=\"num\">");
	put_value(b, c, v);
	html_RAW(b, "</td>");
}

static void table_head(buf *b, const svg_chart *c, const svg_table *t, size_t ncols, bool total)
{
	html_RAW(b, "<thead><tr>");
	if (c->row_head && *c->row_head) html_printf(b, "<th scope=\"col\">%s</th>", c->row_head);
	else html_RAW(b, "<td></td>");
	for (size_t j = 0; j < ncols; j++)
		html_printf(b, "<th scope=\"col\" class=\"num\">%s</th>", col_name(t, j));
	if (total) html_RAW(b, "<th scope=\"col\" class=\"num\">Total</th>");
	html_RAW(b, "</tr></thead>\n");
}

/* The text alternative: every value, collapsed until asked for. */
static void data_table(buf *b, const svg_chart *c, const svg_table *t, size_t ncols, bool total)
{
	html_printf(b,
		    "<details class=\"chart-data\"><summary>Data table"
		    "<span class=\"visually-hidden\">: %s</span></summary>\n",
		    c->title);
	html_table_open(b);
	table_head(b, c, t, ncols, total);
	html_RAW(b, "<tbody>\n");
	for (size_t i = 0; i < t->nrows; i++) {
		html_printf(b, "<tr><th scope=\"row\">%s</th>", row_name(t, i));
		double sum = 0;
		bool any = false;
		for (size_t j = 0; j < ncols; j++) {
			double v = cell(t, i, j);
			value_cell(b, c, v);
			if (isnan(v)) continue;
			sum += v;
			any = true;
		}
		if (total) value_cell(b, c, any ? sum : NAN);
		html_RAW(b, "</tr>\n");
	}
	html_RAW(b, "</tbody></table></div></details>\n");
}

static void marker(buf *b, size_t j, double x, double y)
{
	const char *fill = series_color(j);
	switch (j % 4) {
	case 0: html_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"/>", x, y, fill); break;
	case 1:
		html_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\"/>", x - 4,
			    y - 4, fill);
		break;
	case 2: html_printf(b, "<path d=\"M%.1f %.1fl5 9h-10z\" fill=\"%s\"/>", x, y - 5.5, fill); break;
	default:
		html_printf(b, "<path d=\"M%.1f %.1fl5.5 5.5l-5.5 5.5l-5.5 -5.5z\" fill=\"%s\"/>", x, y - 5.5,
			    fill);
		break;
	}
}

/* The legend is HTML so it wraps on a narrow screen; the data table
 * carries the same names for assistive technology. */
static void legend(buf *b, const svg_table *t, size_t ncols, bool markers)
{
	html_RAW(b, "<ul class=\"chart-legend\" aria-hidden=\"true\">");
	for (size_t j = 0; j < ncols; j++) {
		html_RAW(b, "<li><svg class=\"key\" viewBox=\"0 0 24 14\" width=\"24\" height=\"14\">");
		if (markers) {
			html_printf(b,
				    "<line x1=\"0\" y1=\"7\" x2=\"24\" y2=\"7\" stroke=\"%s\""
				    " stroke-width=\"2.5\"/>",
				    series_color(j));
			marker(b, j, 12, 7);
		} else {
			html_printf(b,
				    "<rect x=\"2\" y=\"0\" width=\"20\" height=\"14\" rx=\"2\""
				    " fill=\"%s\"/>",
				    series_color(j));
		}
		html_printf(b, "</svg>%s</li>", col_name(t, j));
	}
	html_RAW(b, "</ul>\n");
}

/* ---- bar and stacked bar --------------------------------------------- */

typedef struct bands {
	buf *b;
	const svg_chart *c;
	const svg_table *t;
	size_t ncols; /* series drawn: 1 for a plain bar chart */
	plot p;
} bands;

typedef struct box {
	double x, y, w, h;
} box;

static double band_size(const bands *k)
{
	const plot *p = &k->p;
	return (p->horiz ? p->y1 - p->y0 : p->x1 - p->x0) / (double)k->t->nrows;
}

static double band_mid(const bands *k, size_t i)
{
	const plot *p = &k->p;
	return (p->horiz ? p->y0 : p->x0) + ((double)i + 0.5) * band_size(k);
}

static box band_box(const bands *k, size_t i, double a, double z)
{
	const plot *p = &k->p;
	double thick = fmin(band_size(k) * 0.66, p->horiz ? 24 : 56);
	double mid = band_mid(k, i), qa = vpos(p, a), qz = vpos(p, z);
	if (p->horiz) return (box){fmin(qa, qz), mid - thick / 2, fabs(qz - qa), thick};
	return (box){mid - thick / 2, fmin(qa, qz), thick, fabs(qz - qa)};
}

/* The total at the end of each bar: the longest text a bar needs room for. */
static size_t end_label_len(const bands *k)
{
	size_t m = 0;
	for (size_t i = 0; i < k->t->nrows; i++) {
		double sum = 0;
		for (size_t j = 0; j < k->ncols; j++) {
			double v = cell(k->t, i, j);
			if (!isnan(v)) sum += v;
		}
		size_t len = value_len(k->c, k->c->decimals, sum);
		if (len > m) m = len;
	}
	return m;
}

static extent stack_extent(const bands *k)
{
	extent x = {0, 0, false, true};
	for (size_t i = 0; i < k->t->nrows; i++) {
		double pos = 0, neg = 0;
		for (size_t j = 0; j < k->ncols; j++) {
			double v = cell(k->t, i, j);
			if (isnan(v)) continue;
			extent_add(&x, v); /* integral-ness of the parts */
			if (v > 0) pos += v;
			else neg += v;
		}
		extent_add(&x, pos);
		extent_add(&x, neg);
	}
	return x;
}

static void layout_horizontal(bands *k, size_t end_chars)
{
	plot *p = &k->p;
	size_t chars = max_label_len(k->t->rows, k->t->nrows);
	if (chars > MAX_LABEL) chars = MAX_LABEL;
	double label_w = (double)chars * CHAR_W + 12, end_w = (double)end_chars * CHAR_W + 10;
	p->w = NARROW_W;
	if (p->w - label_w - end_w < 160) label_w = fmax(40, p->w - end_w - 160);
	p->label_chars = (size_t)fmax(3, (label_w - 12) / CHAR_W);
	p->x0 = label_w;
	p->x1 = p->w - end_w;
	p->y0 = 8;
	p->y1 = p->y0 + 36 * (double)k->t->nrows;
	p->h = p->y1 + 28;
}

static void layout_vertical(bands *k, size_t end_chars)
{
	plot *p = &k->p;
	double n = (double)k->t->nrows;
	double axis_w = (double)tick_label_len(k->c, &p->ax) * CHAR_W + 12;
	double slot = fmax(44, (double)end_chars * CHAR_W + 8);
	p->w = fmax(NARROW_W, axis_w + n * slot + 8);
	p->x0 = axis_w;
	p->x1 = p->w - 8;
	slot = (p->x1 - p->x0) / n;
	p->label_chars = (size_t)fmax(1, floor((slot - 6) / CHAR_W));
	p->y0 = 24;
	p->y1 = 204;
	p->h = any_wraps(k->t->rows, k->t->nrows, p->label_chars) ? 248 : 232;
}

static void band_label(const bands *k, size_t i)
{
	const plot *p = &k->p;
	double mid = band_mid(k, i);
	if (!p->horiz) {
		x_label(k->b, mid, p->y1 + 18, row_name(k->t, i), p->label_chars);
		return;
	}
	html_printf(k->b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" text-anchor=\"end\">", p->x0 - 8, mid);
	fit_text(k->b, row_name(k->t, i), p->label_chars);
	html_RAW(k->b, "</text>\n");
}

/* A stacked segment prints its value inside when the value fits. */
static void segment_value(const bands *k, box r, size_t j, double v)
{
	double need = (double)value_len(k->c, k->c->decimals, v) * CHAR_W + 6;
	if (r.w < need || r.h < FONT + 4) return;
	html_printf(k->b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" text-anchor=\"middle\" fill=\"%s\">",
		    r.x + r.w / 2, r.y + r.h / 2, ink_on(parse_hex(series_color(j))));
	put_value(k->b, k->c, v);
	html_RAW(k->b, "</text>\n");
}

/* One series' part of bar i, spanning a..z on the value axis. */
static void segment(const bands *k, size_t i, size_t j, double a, double z, double v)
{
	box r = band_box(k, i, a, z);
	html_printf(k->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"", r.x, r.y,
		    r.w, r.h, series_color(j));
	/* a white edge tells touching segments apart without colour */
	if (k->ncols > 1) html_RAW(k->b, " stroke=\"#ffffff\" stroke-width=\"1\"");
	html_printf(k->b, "><title>%s", row_name(k->t, i));
	if (k->ncols > 1) html_printf(k->b, " · %s", col_name(k->t, j));
	html_RAW(k->b, ": ");
	put_value(k->b, k->c, v);
	html_RAW(k->b, "</title></rect>\n");
	if (k->ncols > 1) segment_value(k, r, j, v);
}

static void end_label(const bands *k, size_t i, double pos, double total)
{
	const plot *p = &k->p;
	double q = vpos(p, fmax(pos, 0)), mid = band_mid(k, i);
	if (p->horiz) html_printf(k->b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\">", q + 5, mid);
	else html_printf(k->b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", mid, q - 6);
	put_value(k->b, k->c, total);
	html_RAW(k->b, "</text>\n");
}

static void band_row(const bands *k, size_t i)
{
	double pos = 0, neg = 0, total = 0;
	bool any = false;
	band_label(k, i);
	for (size_t j = 0; j < k->ncols; j++) {
		double v = cell(k->t, i, j);
		if (isnan(v)) continue;
		any = true;
		total += v;
		if (v == 0) continue;
		/* positives stack up from zero, negatives down from it */
		double *end = v > 0 ? &pos : &neg, from = *end;
		*end += v;
		segment(k, i, j, from, *end, v);
	}
	if (any) end_label(k, i, pos, total);
}

static void bar_desc(buf *d, const bands *k)
{
	const svg_table *t = k->t;
	size_t hi = 0, lo = 0;
	bool any = false;
	for (size_t i = 0; i < t->nrows; i++) {
		double v = cell(t, i, 0);
		if (isnan(v)) continue;
		if (!any || v > cell(t, hi, 0)) hi = i;
		if (!any || v < cell(t, lo, 0)) lo = i;
		any = true;
	}
	buf_printf(d, "Bar chart of %zu items.", t->nrows);
	if (!any) return;
	const char *u = unit_of(k->c);
	buf_printf(d, " Highest: %s, %s%s.", row_name(t, hi), num_format(k->c->decimals, cell(t, hi, 0)).s,
		   u);
	buf_printf(d, " Lowest: %s, %s%s.", row_name(t, lo), num_format(k->c->decimals, cell(t, lo, 0)).s, u);
}

static void stacked_desc(buf *d, const bands *k)
{
	buf_printf(d, "Stacked bar chart of %zu items, each split into", k->t->nrows);
	for (size_t j = 0; j < k->ncols; j++) {
		const char *name = col_name(k->t, j);
		buf_printf(d, "%s %s", j == 0 ? "" : j + 1 == k->ncols ? " and" : ",", name);
	}
	buf_puts(d, ".");
}

static void band_chart(buf *b, const svg_chart *c, const svg_table *t, size_t ncols)
{
	const char *kind = ncols > 1 ? "stacked" : "bar";
	bands k = {.b = b, .c = c, .t = t, .ncols = ncols};
	k.p.horiz = c->horizontal;
	k.p.ax = value_axis(c, stack_extent(&k), true);
	size_t end_chars = end_label_len(&k);
	if (c->horizontal) layout_horizontal(&k, end_chars);
	else layout_vertical(&k, end_chars);
	buf desc = BUF_INIT;
	if (ncols > 1) stacked_desc(&desc, &k);
	else bar_desc(&desc, &k);
	figure_open(b, c, kind);
	svg_open(b, c, &k.p, &desc);
	buf_free(&desc);
	draw_grid(b, c, &k.p);
	for (size_t i = 0; i < t->nrows; i++) band_row(&k, i);
	svg_close(b);
	if (ncols > 1) legend(b, t, ncols, false);
	data_table(b, c, t, ncols, ncols > 1);
	html_RAW(b, "</figure>\n");
}

static bool no_data(const svg_table *t)
{
	return !t || !t->v || t->nrows == 0 || t->ncols == 0;
}

static const svg_chart *chart_or_default(const svg_chart *c)
{
	static const svg_chart none = {0};
	return c ? c : &none;
}

void svg_bar(buf *b, const svg_chart *c, const svg_table *t)
{
	c = chart_or_default(c);
	if (no_data(t)) empty_figure(b, c, "bar");
	else band_chart(b, c, t, 1);
}

void svg_stacked_bar(buf *b, const svg_chart *c, const svg_table *t)
{
	c = chart_or_default(c);
	if (no_data(t)) empty_figure(b, c, "stacked");
	else band_chart(b, c, t, t->ncols);
}

/* ---- heatmap --------------------------------------------------------- */

typedef struct heat {
	buf *b;
	const svg_chart *c;
	const svg_table *t;
	double lo, hi; /* colour scale */
	double label_w, cell_w, cell_h, head_h, w, h;
	size_t row_chars, col_chars;
	bool rotate; /* column labels slanted to fit */
	size_t missing;
} heat;

static void heat_scale(heat *m)
{
	const svg_table *t = m->t;
	const svg_chart *c = m->c;
	extent x = {0, 0, false, true};
	for (size_t i = 0; i < t->nrows * t->ncols; i++) {
		double v = cell(t, i / t->ncols, i % t->ncols);
		if (isnan(v)) m->missing++;
		extent_add(&x, v);
	}
	bool fixed = isfinite(c->lo) && isfinite(c->hi) && c->lo < c->hi;
	m->lo = fixed ? c->lo : x.any ? x.min : 0;
	m->hi = fixed ? c->hi : x.any ? x.max : 1;
}

static size_t widest_value(const heat *m)
{
	size_t w = 1;
	for (size_t i = 0; i < m->t->nrows * m->t->ncols; i++) {
		double v = cell(m->t, i / m->t->ncols, i % m->t->ncols);
		size_t len = isnan(v) ? 1 : value_len(m->c, m->c->decimals, v);
		if (len > w) w = len;
	}
	return w;
}

static void heat_layout(heat *m)
{
	const svg_table *t = m->t;
	size_t rows = max_label_len(t->rows, t->nrows), cols = max_label_len(t->cols, t->ncols);
	m->row_chars = rows > MAX_LABEL ? MAX_LABEL : rows;
	m->label_w = (double)m->row_chars * CHAR_W + 12;
	m->cell_w = fmax(44, (double)widest_value(m) * CHAR_W + 12);
	double n = (double)t->ncols;
	/* Shorter row labels when that spares a phone reader from scrolling. */
	double room = NARROW_W - n * m->cell_w - 12;
	if (m->label_w + n * m->cell_w > NARROW_W && room >= 12 * CHAR_W) {
		m->row_chars = (size_t)(room / CHAR_W);
		m->label_w = (double)m->row_chars * CHAR_W + 12;
	}
	if (m->label_w + n * m->cell_w < NARROW_W) m->cell_w = (NARROW_W - m->label_w) / n;
	m->cell_h = 36;
	m->rotate = (double)cols * CHAR_W > m->cell_w - 6;
	m->col_chars = m->rotate ? (cols > 18 ? 18 : cols) : cols;
	double run = (double)m->col_chars * CHAR_W * 0.7071; /* 45 degrees */
	m->head_h = m->rotate ? run + 20 : 26;
	double spill = m->rotate ? fmax(0, run - m->cell_w / 2 + 4) : 0;
	m->w = m->label_w + n * m->cell_w + spill;
	m->h = m->head_h + (double)t->nrows * m->cell_h + 4;
}

static void heat_defs(const heat *m)
{
	html_printf(m->b,
		    "<defs><pattern id=\"%s-hatch\" width=\"6\" height=\"6\""
		    " patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
		    "<rect width=\"6\" height=\"6\" fill=\"#eeeeee\"/>"
		    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#c4c4c4\" stroke-width=\"2\"/>"
		    "</pattern></defs>\n",
		    chart_id(m->c));
}

static void heat_col_label(const heat *m, size_t j)
{
	double x = m->label_w + ((double)j + 0.5) * m->cell_w, y = m->head_h - 8;
	if (m->rotate)
		html_printf(m->b, "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-45 %.1f %.1f)\">", x, y, x,
			    y);
	else html_printf(m->b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x, y);
	fit_text(m->b, col_name(m->t, j), m->col_chars);
	html_RAW(m->b, "</text>\n");
}

static double heat_t(const heat *m, double v)
{
	return m->hi > m->lo ? (v - m->lo) / (m->hi - m->lo) : 0.5;
}

/* A suppressed cell is hatched and prints "—": the value never leaves
 * the server, not even in a tooltip. */
static void heat_cell(const heat *m, size_t i, size_t j)
{
	double v = cell(m->t, i, j);
	double x = m->label_w + (double)j * m->cell_w, y = m->head_h + (double)i * m->cell_h;
	rgb bg = isnan(v) ? parse_hex("#eeeeee") : heat_rgb(heat_t(m, v));
	html_printf(m->b, "<g><title>%s · %s: ", row_name(m->t, i), col_name(m->t, j));
	if (isnan(v)) html_RAW(m->b, "not shown");
	else put_value(m->b, m->c, v);
	html_RAW(m->b, "</title>");
	if (isnan(v))
		html_printf(m->b,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			    "fill=\"url(#%s-hatch)\"/>",
			    x + 1, y + 1, m->cell_w - 2, m->cell_h - 2, chart_id(m->c));
	else
		html_printf(m->b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
			    x + 1, y + 1, m->cell_w - 2, m->cell_h - 2, to_hex(bg).s);
	html_printf(m->b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" text-anchor=\"middle\" fill=\"%s\">",
		    x + m->cell_w / 2, y + m->cell_h / 2, ink_on(bg));
	if (isnan(v)) html_RAW(m->b, "—");
	else put_value(m->b, m->c, v);
	html_RAW(m->b, "</text></g>\n");
}

static void heat_row(const heat *m, size_t i)
{
	double y = m->head_h + ((double)i + 0.5) * m->cell_h;
	html_printf(m->b, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" text-anchor=\"end\">", m->label_w - 8,
		    y);
	fit_text(m->b, row_name(m->t, i), m->row_chars);
	html_RAW(m->b, "</text>\n");
	for (size_t j = 0; j < m->t->ncols; j++) heat_cell(m, i, j);
}

static void swatch(buf *b, const char *fill, const char *label_unit, double v, const svg_chart *c)
{
	html_printf(b,
		    "<li><svg class=\"key\" viewBox=\"0 0 24 14\" width=\"24\" height=\"14\">"
		    "<rect x=\"2\" y=\"0\" width=\"20\" height=\"14\" rx=\"2\" fill=\"%s\"/></svg>",
		    fill);
	if (label_unit) html_printf(b, "%s", label_unit);
	else put_value(b, c, v);
	html_RAW(b, "</li>");
}

/* Five steps of the colour scale, and the mark for suppressed cells. */
static void heat_legend(const heat *m)
{
	html_RAW(m->b, "<ul class=\"chart-legend chart-scale\" aria-hidden=\"true\">");
	size_t steps = m->hi > m->lo ? 5 : 1;
	for (size_t s = 0; s < steps; s++) {
		double f = steps > 1 ? (double)s / (double)(steps - 1) : 0.5;
		double v = steps > 1 ? m->lo + f * (m->hi - m->lo) : m->lo;
		swatch(m->b, to_hex(heat_rgb(f)).s, NULL, v, m->c);
	}
	if (m->missing)
		html_RAW(m->b,
			 "<li><svg class=\"key\" viewBox=\"0 0 24 14\" width=\"24\" height=\"14\">"
			 "<rect x=\"2\" y=\"0\" width=\"20\" height=\"14\" rx=\"2\" fill=\"#eeeeee\""
			 " stroke=\"#c4c4c4\"/><path d=\"M4 14L14 0M12 14L22 0\" stroke=\"#b0b0b0\""
			 " stroke-width=\"2\"/></svg>— not shown</li>");
	html_RAW(m->b, "</ul>\n");
}

static void heat_desc(buf *d, const heat *m)
{
	buf_printf(d, "Heatmap of %zu rows by %zu columns", m->t->nrows, m->t->ncols);
	if (m->missing < m->t->nrows * m->t->ncols)
		buf_printf(d, ", values from %s%s to %s%s", num_format(m->c->decimals, m->lo).s,
			   unit_of(m->c), num_format(m->c->decimals, m->hi).s, unit_of(m->c));
	buf_puts(d, "; darker means higher.");
	if (m->missing) buf_printf(d, " %zu cells are not shown.", m->missing);
}

void svg_heatmap(buf *b, const svg_chart *c, const svg_table *t)
{
	c = chart_or_default(c);
	if (no_data(t)) {
		empty_figure(b, c, "heatmap");
		return;
	}
	heat m = {.b = b, .c = c, .t = t};
	heat_scale(&m);
	heat_layout(&m);
	plot frame = {.w = m.w, .h = m.h};
	buf desc = BUF_INIT;
	heat_desc(&desc, &m);
	figure_open(b, c, "heatmap");
	svg_open(b, c, &frame, &desc);
	buf_free(&desc);
	heat_defs(&m);
	for (size_t j = 0; j < t->ncols; j++) heat_col_label(&m, j);
	for (size_t i = 0; i < t->nrows; i++) heat_row(&m, i);
	svg_close(b);
	heat_legend(&m);
	data_table(b, c, t, t->ncols, false);
	html_RAW(b, "</figure>\n");
}

/* ---- line ------------------------------------------------------------ */

enum { LINE_PAD = 14, MAX_X_LABEL = 16 };

typedef struct lines {
	buf *b;
	const svg_chart *c;
	const svg_table *t;
	plot p;
	size_t every; /* label every n-th x point, so labels never overlap */
} lines;

static double xpos(const lines *l, size_t i)
{
	const plot *p = &l->p;
	size_t n = l->t->nrows;
	if (n < 2) return (p->x0 + p->x1) / 2;
	return p->x0 + LINE_PAD + (double)i * (p->x1 - p->x0 - 2 * LINE_PAD) / (double)(n - 1);
}

static void line_layout(lines *l)
{
	plot *p = &l->p;
	double n = (double)l->t->nrows;
	size_t chars = max_wrapped_len(l->t->rows, l->t->nrows);
	if (chars > MAX_X_LABEL) chars = MAX_X_LABEL;
	double need = (double)chars * CHAR_W + 8;
	double axis_w = (double)tick_label_len(l->c, &p->ax) * CHAR_W + 12;
	p->w = fmax(NARROW_W, axis_w + n * 28 + 2 * LINE_PAD + 12);
	p->x0 = axis_w;
	p->x1 = p->w - fmax(12, need / 2 - LINE_PAD);
	double gap = n < 2 ? p->x1 - p->x0 : (p->x1 - p->x0 - 2 * LINE_PAD) / (n - 1);
	l->every = (size_t)fmax(1, ceil(need / gap));
	p->label_chars = (size_t)fmax(3, floor(((double)l->every * gap - 8) / CHAR_W));
	if (p->label_chars > MAX_X_LABEL) p->label_chars = MAX_X_LABEL;
	p->y0 = 12;
	p->y1 = 212;
	p->h = any_wraps(l->t->rows, l->t->nrows, p->label_chars) ? 256 : 240;
}

static void line_path(const lines *l, size_t j)
{
	bool pen = false, open = false;
	for (size_t i = 0; i < l->t->nrows; i++) {
		double v = cell(l->t, i, j);
		if (isnan(v)) { /* a gap, not a line through a missing value */
			pen = false;
			continue;
		}
		if (!open)
			html_printf(l->b,
				    "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\""
				    " stroke-linejoin=\"round\" d=\"",
				    series_color(j));
		open = true;
		html_printf(l->b, "%s%.1f %.1f", pen ? "L" : "M", xpos(l, i), vpos(&l->p, v));
		pen = true;
	}
	if (open) html_RAW(l->b, "\"/>\n");
}

static void line_markers(const lines *l, size_t j)
{
	for (size_t i = 0; i < l->t->nrows; i++) {
		double v = cell(l->t, i, j);
		if (isnan(v)) continue;
		const char *series = col_name(l->t, j);
		html_printf(l->b, "<g><title>%s%s%s: ", series, *series ? ", " : "", row_name(l->t, i));
		put_value(l->b, l->c, v);
		html_RAW(l->b, "</title>");
		marker(l->b, j, xpos(l, i), vpos(&l->p, v));
		html_RAW(l->b, "</g>\n");
	}
}

static void line_x_labels(const lines *l)
{
	for (size_t i = 0; i < l->t->nrows; i += l->every)
		x_label(l->b, xpos(l, i), l->p.y1 + 20, row_name(l->t, i), l->p.label_chars);
}

static void line_desc(buf *d, const lines *l)
{
	const svg_table *t = l->t;
	const char *first = row_name(t, 0), *last = row_name(t, t->nrows - 1);
	buf_printf(d, "Line chart of %zu points, from %s to %s.", t->nrows, first, last);
	for (size_t j = 0; j < t->ncols; j++) {
		double a = NAN, z = NAN;
		for (size_t i = 0; i < t->nrows; i++) {
			double v = cell(t, i, j);
			if (isnan(v)) continue;
			if (isnan(a)) a = v;
			z = v;
		}
		if (isnan(a)) continue;
		const char *name = col_name(t, j);
		buf_printf(d, " %s: %s%s to %s%s.", name, num_format(l->c->decimals, a).s, unit_of(l->c),
			   num_format(l->c->decimals, z).s, unit_of(l->c));
	}
}

void svg_line(buf *b, const svg_chart *c, const svg_table *t)
{
	c = chart_or_default(c);
	if (no_data(t)) {
		empty_figure(b, c, "line");
		return;
	}
	lines l = {.b = b, .c = c, .t = t, .every = 1};
	extent x = {0, 0, false, true};
	for (size_t i = 0; i < t->nrows * t->ncols; i++) extent_add(&x, cell(t, i / t->ncols, i % t->ncols));
	l.p.ax = value_axis(c, x, true);
	line_layout(&l);
	buf desc = BUF_INIT;
	line_desc(&desc, &l);
	figure_open(b, c, "line");
	svg_open(b, c, &l.p, &desc);
	buf_free(&desc);
	draw_grid(b, c, &l.p);
	line_x_labels(&l);
	for (size_t j = 0; j < t->ncols; j++) line_path(&l, j);
	for (size_t j = 0; j < t->ncols; j++) line_markers(&l, j);
	svg_close(b);
	if (t->ncols > 1 || t->cols) legend(b, t, t->ncols, true);
	data_table(b, c, t, t->ncols, false);
	html_RAW(b, "</figure>\n");
}
