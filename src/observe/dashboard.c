/* The dashboards' cells (src/observe/dashboard.h): adding up kept counts,
 * what a reader is shown of them, months and colour steps. Pure. */
#include "dashboard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "walk_tally.h"

double dash_mean(dash_count n)
{
	return n.visits > 0 ? (double)n.total / (double)n.visits : NAN;
}

void dash_table_init(arena *a, dash_table *t, size_t nschools, size_t ncols)
{
	*t = (dash_table){.nschools = nschools, .ncols = ncols};
	t->cells = arena_calloc(a, nschools * ncols + 1, sizeof *t->cells);
	t->district = arena_calloc(a, ncols + 1, sizeof *t->district);
}

dash_cell *dash_table_cell(const dash_table *t, size_t school, size_t col)
{
	return &t->cells[col * t->nschools + school];
}

void dash_table_add(dash_table *t, size_t school, size_t col, dash_count n, int64_t small)
{
	if (!ALWAYS(school < t->nschools && col < t->ncols)) return;
	dash_cell *c = dash_table_cell(t, school, col);
	c->n.visits += n.visits;
	c->n.total += n.total;
	c->small += small;
	t->district[col].n.visits += n.visits;
	t->district[col].n.total += n.total;
	t->district[col].small += small;
}

/* Only counted groups give a number; a cell of small groups alone says
 * that it has some, which a reader learns from any empty-looking cell. */
static dash_show show_of(const dash_cell *c)
{
	if (c->n.visits > 0) return DASH_SHOWN;
	return c->small > 0 ? DASH_HIDDEN : DASH_EMPTY;
}

/* No district cell needs hiding beside its schools: it adds up the same
 * counted groups, so the district less any schools is itself a sum of
 * groups of at least the minimum. */
void dash_table_suppress(dash_table *t)
{
	for (size_t col = 0; col < t->ncols; col++) {
		for (size_t s = 0; s < t->nschools; s++) {
			dash_cell *c = dash_table_cell(t, s, col);
			c->show = show_of(c);
		}
		t->district[col].show = show_of(&t->district[col]);
	}
}

/* ---- months ---- */

bool dash_month_parse(const char *s, int64_t *month)
{
	if (!s || strlen(s) != 7 || s[4] != '-') return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9')) return false;
	int64_t y = atoi(s), m = atoi(s + 5);
	if (y < 1900 || y > 2999 || m < 1 || m > 12) return false;
	*month = y * 100 + m;
	return true;
}

int64_t dash_month_of_day(const char *day)
{
	if (!day || strlen(day) < 7) return 0;
	return (int64_t)atoi(day) * 100 + atoi(day + 5);
}

int64_t dash_month_add(int64_t month, int64_t n)
{
	int64_t k = (month / 100) * 12 + (month % 100 - 1) + n;
	return (k / 12) * 100 + k % 12 + 1;
}

int64_t dash_month_span(int64_t a, int64_t z)
{
	int64_t n = (z / 100 - a / 100) * 12 + (z % 100 - a % 100) + 1;
	return n > 0 ? n : 0;
}

const char *dash_month_text(arena *a, int64_t month)
{
	return arena_printf(a, "%04lld-%02lld", (long long)(month / 100), (long long)(month % 100));
}

const char *dash_month_label(arena *a, int64_t month)
{
	static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int64_t m = month % 100;
	if (m < 1 || m > 12) return dash_month_text(a, month);
	return arena_printf(a, "%s %04lld", names[m - 1], (long long)(month / 100));
}

int dash_heat_step(double mean, int64_t scale_min, int64_t scale_max)
{
	if (isnan(mean) || scale_max <= scale_min) return 0;
	double f = (mean - (double)scale_min) / (double)(scale_max - scale_min);
	int step = (int)lround(f * (DASH_HEAT_STEPS - 1));
	return step < 0 ? 0 : step > DASH_HEAT_STEPS - 1 ? DASH_HEAT_STEPS - 1 : step;
}

bool dash_band_valid(const char *band)
{
	size_t n;
	const char *const *bands = grade_bands(&n);
	for (size_t i = 0; band && i < n; i++)
		if (str_eq(band, bands[i])) return true;
	return false;
}
