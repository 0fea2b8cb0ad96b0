/* Charts drawn on the server as inline SVG: bar, stacked bar, heatmap and
 * line. Each is a <figure> holding a labelled role="img" SVG, a legend and
 * a collapsed data table with every value, so no reader depends on colour
 * or on seeing the picture. */
#ifndef COACHD_SVG_H
#define COACHD_SVG_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/buf.h"

/* The numbers behind a chart: a table of rows × columns, row-major
 * (v[r * ncols + c]). Rows are the categories (bars, heatmap rows, line x
 * points); columns are the series (stack segments, heatmap columns, lines).
 * A NaN (or infinite) value is missing: no bar or point, and in a heatmap
 * a hatched cell printed "—" (for suppressed small counts). */
typedef struct svg_table {
	size_t nrows, ncols;
	const char *const *rows; /* nrows labels */
	const char *const *cols; /* ncols labels; may be NULL when ncols == 1 */
	const double *v;
} svg_table;

typedef struct svg_chart {
	const char *id;       /* unique on the page: prefixes the chart's ids */
	const char *title;    /* shown as the caption; the SVG's <title> */
	const char *desc;     /* the point of the chart in a sentence; NULL:
	                       * a summary is generated from the data */
	const char *row_head; /* data-table header of the label column */
	const char *unit;     /* appended to every printed value: "%", " h" */
	int decimals;         /* for non-integers (integers print none); 0 means 1 */
	bool horizontal;      /* bars: bars run left to right */
	double lo, hi;        /* value axis or colour scale; lo == hi: from the
	                       * data (bars and lines always include zero) */
} svg_chart;

/* One series: column 0 of t (other columns are ignored). */
void svg_bar(buf *b, const svg_chart *c, const svg_table *t);
/* Each row is a bar made of its columns' segments, with a legend. */
void svg_stacked_bar(buf *b, const svg_chart *c, const svg_table *t);
/* Rows × columns of coloured cells, each printing its value. */
void svg_heatmap(buf *b, const svg_chart *c, const svg_table *t);
/* Rows are the x points in order; each column is a line with markers. */
void svg_line(buf *b, const svg_chart *c, const svg_table *t);

#endif
