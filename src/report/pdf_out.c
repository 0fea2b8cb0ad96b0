/* The PDF writer for report downloads (cairo): a title, the parties, and
 * the table with wrapped cells on US Letter landscape pages, the header
 * row repeated on each page and "Page N of M" at the foot. Two passes over
 * the same layout: the first counts the pages, the second draws them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "../base/log.h"
#include "report.h"

enum { PDF_MAX_LINES = 4000 }; /* per cell: a guard, not a layout rule */

static const double page_w = 792, page_h = 612, margin = 40, pad = 4;
static const double body_size = 9, line_h = 12, title_size = 16;

typedef struct pen {
	cairo_t *cr;
	const report_table *t;
	double col_x[16], col_w[16];
	double y;
	int page, pages;
	bool draw;
} pen;

/* Cairo's toy text API finds fonts through fontconfig, whose caches live
 * for the whole process; they are handed back at exit so the sanitizer
 * build reports real leaks only. No other thread runs by then. */
__attribute__((destructor)) static void fonts_release(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
	buf_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void font(cairo_t *cr, bool bold, double size)
{
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

static double width_of(cairo_t *cr, const char *s, size_t n)
{
	char tmp[1024];
	if (n >= sizeof tmp) n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	cairo_text_extents_t ext;
	cairo_text_extents(cr, tmp, &ext);
	return ext.x_advance;
}

/* Where the next line of at most width starts after s: the end of the
 * last whole word that fits, or of the last whole UTF-8 character that
 * fits when one word is wider than the column. Stops at a newline. */
static size_t line_end(cairo_t *cr, const char *s, double width)
{
	size_t nl = strcspn(s, "\n");
	size_t best = 0, i = 0;
	while (i < nl) {
		size_t j = i;
		while (j < nl && s[j] == ' ') j++;
		while (j < nl && s[j] != ' ') j++;
		if (width_of(cr, s, j) > width) break;
		best = i = j;
	}
	if (best) return best;
	/* One long word: as many characters as fit, at least one. */
	size_t k = 0;
	while (k < nl) {
		size_t next = k + 1;
		while (next < nl && ((unsigned char)s[next] & 0xC0) == 0x80) next++;
		if (k && width_of(cr, s, next) > width) break;
		k = next;
	}
	return k ? k : nl;
}

/* The wrapped lines of one cell, as offsets and lengths into s. */
static size_t wrap(cairo_t *cr, const char *s, double width, size_t *off, size_t *len, size_t max)
{
	size_t n = 0, i = 0, total = strlen(s);
	while (i < total && n < max) {
		while (s[i] == ' ') i++;
		size_t e = line_end(cr, s + i, width);
		off[n] = i;
		len[n++] = e;
		i += e;
		if (s[i] == '\n') i++;
	}
	if (!n) off[n] = 0, len[n++] = 0;
	return n;
}

static void text_at(pen *p, double x, double y, const char *s, size_t n)
{
	if (!p->draw) return;
	char tmp[1024];
	if (n >= sizeof tmp) n = sizeof tmp - 1;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	cairo_move_to(p->cr, x, y);
	cairo_show_text(p->cr, tmp);
}

static void header_row(pen *p)
{
	font(p->cr, true, body_size);
	for (size_t c = 0; c < p->t->ncols; c++) {
		const char *h = p->t->headers[c];
		text_at(p, p->col_x[c] + pad, p->y + body_size, h, strlen(h));
	}
	p->y += line_h + 2;
	if (p->draw) {
		cairo_move_to(p->cr, margin, p->y);
		cairo_line_to(p->cr, page_w - margin, p->y);
		cairo_set_line_width(p->cr, 0.8);
		cairo_stroke(p->cr);
	}
	p->y += 4;
	font(p->cr, false, body_size);
}

static void page_foot(pen *p)
{
	if (!p->draw) return;
	char foot[64];
	snprintf(foot, sizeof foot, "Page %d of %d", p->page, p->pages);
	font(p->cr, false, 8);
	text_at(p, page_w - margin - width_of(p->cr, foot, strlen(foot)), page_h - margin / 2, foot,
		strlen(foot));
	font(p->cr, false, body_size);
}

static void new_page(pen *p)
{
	page_foot(p);
	if (p->draw) cairo_show_page(p->cr);
	p->page++;
	p->y = margin;
	header_row(p);
}

static void first_page(pen *p)
{
	p->page = 1;
	p->y = margin;
	size_t off[16], len[16];
	font(p->cr, true, title_size);
	size_t n = wrap(p->cr, p->t->title, page_w - 2 * margin, off, len, 16);
	for (size_t i = 0; i < n; i++) {
		text_at(p, margin, p->y + title_size, p->t->title + off[i], len[i]);
		p->y += title_size + 4;
	}
	p->y += 6;
	if (p->t->subtitle) {
		font(p->cr, false, 10);
		n = wrap(p->cr, p->t->subtitle, page_w - 2 * margin, off, len, 16);
		for (size_t i = 0; i < n; i++) {
			text_at(p, margin, p->y + 10, p->t->subtitle + off[i], len[i]);
			p->y += 13;
		}
		p->y += 7;
	}
	p->y += 6;
	header_row(p);
}

static void table_rows(pen *p, size_t *off, size_t *len)
{
	const report_table *t = p->t;
	const double bottom = page_h - margin;
	for (size_t r = 0; r < t->nrows; r++) {
		size_t nlines[16], most = 0;
		size_t *o[16], *l[16];
		for (size_t c = 0; c < t->ncols; c++) {
			o[c] = off + c * PDF_MAX_LINES;
			l[c] = len + c * PDF_MAX_LINES;
			nlines[c] = wrap(p->cr, t->cells[r * t->ncols + c], p->col_w[c] - 2 * pad, o[c], l[c],
					 PDF_MAX_LINES);
			if (nlines[c] > most) most = nlines[c];
		}
		/* A row that fits on a fresh page starts on one rather than split. */
		if (p->y + most * line_h > bottom && most * line_h < bottom - 3 * margin) new_page(p);
		for (size_t i = 0; i < most; i++) {
			if (p->y + line_h > bottom) new_page(p);
			for (size_t c = 0; c < t->ncols; c++)
				if (i < nlines[c])
					text_at(p, p->col_x[c] + pad, p->y + body_size,
						t->cells[r * t->ncols + c] + o[c][i], l[c][i]);
			p->y += line_h;
		}
		p->y += 6;
	}
}

static void notes(pen *p)
{
	font(p->cr, false, 8);
	for (size_t i = 0; i < sizeof p->t->notes / sizeof p->t->notes[0] && p->t->notes[i]; i++) {
		if (p->y + line_h > page_h - margin) new_page(p);
		const char *s = p->t->notes[i];
		size_t off[64], len[64];
		size_t n = wrap(p->cr, s, page_w - 2 * margin, off, len, 64);
		for (size_t k = 0; k < n; k++) {
			text_at(p, margin, p->y + 8, s + off[k], len[k]);
			p->y += 11;
		}
	}
}

static void lay_out(pen *p, size_t *off, size_t *len)
{
	first_page(p);
	table_rows(p, off, len);
	notes(p);
	page_foot(p);
}

static void columns(pen *p)
{
	double total = 0;
	for (size_t c = 0; c < p->t->ncols; c++) total += p->t->widths ? p->t->widths[c] : 1;
	double x = margin, avail = page_w - 2 * margin;
	for (size_t c = 0; c < p->t->ncols; c++) {
		p->col_x[c] = x;
		p->col_w[c] = avail * (p->t->widths ? p->t->widths[c] : 1) / total;
		x += p->col_w[c];
	}
}

bool pdf_table(const report_table *t, buf *out)
{
	if (t->ncols == 0 || t->ncols > 16) return false;
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, page_w, page_h);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "coachd");
	cairo_t *cr = cairo_create(s);
	size_t *off = calloc(16 * PDF_MAX_LINES, sizeof *off);
	size_t *len = calloc(16 * PDF_MAX_LINES, sizeof *len);
	pen p = {.cr = cr, .t = t, .draw = false};
	columns(&p);
	if (off && len) {
		lay_out(&p, off, len);
		p.pages = p.page;
		p.draw = true;
		cairo_set_source_rgb(cr, 0, 0, 0);
		lay_out(&p, off, len);
		cairo_show_page(cr);
	}
	free(off);
	free(len);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) log_line("pdf: %s", cairo_status_to_string(st));
	return st == CAIRO_STATUS_SUCCESS && out->len > 0;
}
