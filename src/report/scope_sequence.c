/* The scope and sequence of an engagement's year: one row per strand of the engagement's
 * sessions - timing, participants, name of the PL and format, description.
 * Sessions of one coaching grid form one row ("Collaborative coaching
 * cycles", late Nov/Dec), a recurring series one row ("Monthly"), and other
 * sessions with the same kind and title one row per window of dates no
 * more than three weeks apart. Cancelled sessions are left out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "../calendar/session.h"
#include "report.h"

enum { WINDOW_GAP_DAYS = 21 };

typedef struct names {
	const char **v;
	size_t n, cap;
} names;

typedef struct strand {
	const char *key;
	const char *name;
	bool series, grid;
	int first_day, last_day;
	const char *first_date, *last_date;
	size_t sessions;
	size_t days;      /* distinct dates: a grid's AM and PM are one day */
	unsigned formats; /* bit per format */
	const char *description;
	names teams, people, facilitators;
	const char *kind_label;
	bool same_title;
	const char *title;
} strand;

typedef struct sess_ref {
	int64_t id;
	size_t strand;
} sess_ref;

static void names_add(arena *a, names *l, const char *s)
{
	if (!s || !*s) return;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s)) return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		const char **v = arena_calloc(a, cap, sizeof *v);
		if (l->n) memcpy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
}

static const char *names_join(arena *a, const names *l)
{
	buf b = BUF_INIT;
	for (size_t i = 0; i < l->n; i++) {
		if (i) buf_puts(&b, ", ");
		buf_puts(&b, l->v[i]);
	}
	const char *s = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* Days since 1970-01-01 of a YYYY-MM-DD date (H. Hinnant's algorithm),
 * 0 for a malformed one; only differences are used. */
static int day_number(const char *d)
{
	int y, m, dd;
	if (!d || sscanf(d, "%4d-%2d-%2d", &y, &m, &dd) != 3) return 0;
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + dd - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int date_part(const char *d, int from, int len)
{
	int v = 0;
	for (int i = from; i < from + len && d[i]; i++) v = v * 10 + (d[i] - '0');
	return v;
}

static const char *month_of(const char *d)
{
	int m = date_part(d, 5, 2);
	return m >= 1 && m <= 12 ? months[m - 1] : "?";
}

/* early (1-10), mid (11-19), late (20-31): how a scope and sequence names windows. */
static const char *part_of_month(const char *d)
{
	int day = date_part(d, 8, 2);
	return day <= 10 ? "early" : day <= 19 ? "mid" : "late";
}

static const char *timing(arena *a, const strand *s)
{
	int first_y = date_part(s->first_date, 0, 4), last_y = date_part(s->last_date, 0, 4);
	if (s->sessions == 1 || s->first_day == s->last_day)
		return arena_printf(a, "%s %d, %d", month_of(s->first_date), date_part(s->first_date, 8, 2),
				    first_y);
	if (s->series) {
		double gap = (double)(s->last_day - s->first_day) / (double)(s->sessions - 1);
		const char *often = gap <= 8 ? "Weekly"
			: gap <= 17          ? "Twice monthly"
			: gap <= 45          ? "Monthly"
			: gap <= 200         ? "Twice yearly"
					     : "Yearly";
		return arena_printf(a, "%s, %s %d - %s %d", often, month_of(s->first_date), first_y,
				    month_of(s->last_date), last_y);
	}
	if (!strcmp(month_of(s->first_date), month_of(s->last_date)) && first_y == last_y)
		return arena_printf(a, "%s %d-%d, %d", month_of(s->first_date),
				    date_part(s->first_date, 8, 2), date_part(s->last_date, 8, 2), first_y);
	return arena_printf(a, "%s %s/%s %d", part_of_month(s->first_date), month_of(s->first_date),
			    month_of(s->last_date), last_y);
}

static const char *format_text(unsigned f)
{
	static const char *const text[] = {"",
					   "In-person",
					   "Virtual",
					   "In-person and virtual",
					   "Hybrid",
					   "In-person and hybrid",
					   "Virtual and hybrid",
					   "In-person, virtual and hybrid"};
	return text[f & 7];
}

static unsigned format_bit(const char *f)
{
	return str_eq(f, "in_person") ? 1 : str_eq(f, "virtual") ? 2 : str_eq(f, "hybrid") ? 4 : 0;
}

static const char *strand_name(arena *a, const strand *s)
{
	const char *base = s->grid ? "Collaborative coaching cycles"
		: s->same_title    ? s->title
				   : s->kind_label;
	if (s->grid && s->days > 1) return arena_printf(a, "%s (%zu days)", base, s->days);
	if (!s->grid && s->sessions > 1) return arena_printf(a, "%s (%zu sessions)", base, s->sessions);
	return base;
}

/* The strand a session belongs to: its grid, its series, or the last
 * window of its kind and title when this date is close enough. */
static size_t strand_for(arena *a, strand **list, size_t *n, size_t *cap, const store_rows *r, size_t i)
{
	const char *kind = rows_get(r, i, 1), *title = rows_get(r, i, 2), *date = rows_get(r, i, 3);
	const char *series = rows_get(r, i, 6), *grid = rows_get(r, i, 7);
	/* Collaborative coaching days outside a grid still form one strand
	 * per window, whatever each day is titled. */
	bool collaborative = grid || str_eq(kind, "collaborative_coaching");
	const char *key = grid  ? arena_printf(a, "g%s", grid)
		: series        ? arena_printf(a, "s%s", series)
		: collaborative ? "collaborative"
				: arena_printf(a, "k%s\x1f%s", kind, title);
	int day = day_number(date);
	for (size_t k = *n; k-- > 0;) {
		strand *s = &(*list)[k];
		if (strcmp(s->key, key)) continue;
		if (grid || series || day - s->last_day <= WINDOW_GAP_DAYS) return k;
		break;
	}
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		strand *grown = arena_calloc(a, ncap, sizeof *grown);
		if (*n) memcpy(grown, *list, *n * sizeof *grown);
		*list = grown;
		*cap = ncap;
	}
	const char *label = session_kind_label(kind);
	(*list)[*n] = (strand){.key = key,
			       .series = series != NULL,
			       .grid = collaborative,
			       .first_day = day,
			       .last_day = day,
			       .first_date = date,
			       .last_date = date,
			       .kind_label = label ? label : kind,
			       .same_title = true,
			       .title = title};
	return (*n)++;
}

static void strand_take(arena *a, strand *s, const store_rows *r, size_t i)
{
	const char *date = rows_get(r, i, 3), *title = rows_get(r, i, 2);
	int day = day_number(date);
	if (!s->sessions || day > s->last_day) s->days++;
	if (day > s->last_day) s->last_day = day, s->last_date = date;
	s->sessions++;
	s->formats |= format_bit(rows_get(r, i, 4));
	if (!s->description && rows_get(r, i, 5) && *rows_get(r, i, 5)) s->description = rows_get(r, i, 5);
	if (strcmp(s->title, title)) s->same_title = false;
	(void)a;
}

static int ref_cmp(const void *x, const void *y)
{
	const sess_ref *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static strand *strand_of(strand *list, const sess_ref *refs, size_t nrefs, int64_t id)
{
	sess_ref key = {id, 0};
	const sess_ref *hit = bsearch(&key, refs, nrefs, sizeof *refs, ref_cmp);
	return hit ? &list[hit->strand] : NULL;
}

static store_rc gather(store *st, arena *a, int64_t id, strand **out, size_t *n)
{
	store_rows r, p;
	store_rc rc = report_session_rows(st, a, id, &r, &p);
	if (rc != STORE_OK) return rc;
	strand *list = NULL;
	size_t cap = 0;
	*n = 0;
	sess_ref *refs = arena_calloc(a, r.nrows ? r.nrows : 1, sizeof *refs);
	for (size_t i = 0; i < r.nrows; i++) {
		size_t k = strand_for(a, &list, n, &cap, &r, i);
		strand_take(a, &list[k], &r, i);
		refs[i] = (sess_ref){rows_int(&r, i, 0), k};
	}
	qsort(refs, r.nrows, sizeof *refs, ref_cmp);
	for (size_t i = 0; i < p.nrows; i++) {
		strand *s = strand_of(list, refs, r.nrows, rows_int(&p, i, 0));
		if (!s) continue;
		int64_t kind = rows_int(&p, i, 1);
		names_add(a,
			  kind == 0           ? &s->teams
				  : kind == 1 ? &s->people
					      : &s->facilitators,
			  rows_get(&p, i, 2));
	}
	*out = list;
	return STORE_OK;
}

static const char *participants(arena *a, const strand *s)
{
	const char *teams = names_join(a, &s->teams), *people = names_join(a, &s->people);
	if (*teams && *people) return arena_printf(a, "%s; %s", teams, people);
	if (*teams || *people) return *teams ? teams : people;
	return "To be assigned";
}

static const char *description(arena *a, const strand *s)
{
	const char *d = s->description ? s->description : "";
	if (!s->facilitators.n) return d;
	return arena_printf(a, "%s%sFacilitated by %s.", d, *d ? " " : "", names_join(a, &s->facilitators));
}

static const char *const headers[] = {"Timing", "Participants", "Name of PL and format", "Description"};
static const double widths[] = {1.2, 1.6, 1.6, 3.2};

store_rc scope_sequence_build(store *st, arena *a, const report_engagement *e, report_table *out)
{
	strand *list;
	size_t n;
	store_rc rc = gather(st, a, e->id, &list, &n);
	if (rc != STORE_OK) return rc;
	const char **cells = arena_calloc(a, n ? n * 4 : 1, sizeof *cells);
	for (size_t i = 0; i < n; i++) {
		const strand *s = &list[i];
		cells[i * 4 + 0] = timing(a, s);
		cells[i * 4 + 1] = participants(a, s);
		const char *fmt = format_text(s->formats);
		cells[i * 4 + 2] =
			*fmt ? arena_printf(a, "%s - %s", strand_name(a, s), fmt) : strand_name(a, s);
		cells[i * 4 + 3] = description(a, s);
	}
	*out = (report_table){
		.title = arena_printf(a, "Scope and sequence: %s", e->title),
		.subtitle = arena_printf(a, "%s with %s, %s to %s", e->partner_name, e->district_name,
					 e->starts_on, e->ends_on),
		.filename = arena_printf(a, "scope-and-sequence-%lld", (long long)e->id),
		.ncols = 4,
		.headers = headers,
		.widths = widths,
		.nrows = n,
		.cells = cells,
		.notes = {"Generated from the engagement's sessions; cancelled sessions are not shown."},
	};
	return STORE_OK;
}
