/* The services overview a partner reports to a district: curriculum, type of PL, educators
 * served, audiences, district type and size, delivery format and the total
 * cost band, each as one row of an item-and-value table. Educators served
 * are the distinct people marked present, plus - for delivered sessions
 * where no attendance was taken - the people invited directly and the
 * members of participating teams (the roster count), and the report says
 * how many came from each. */
#include <string.h>

#include "../base/util.h"
#include "../engagement/engagement_web.h"
#include "report.h"

const char *cost_band(int64_t cents)
{
	if (cents < 5000000) return "Less than $50,000";
	if (cents <= 10000000) return "$50,000 - $100,000";
	if (cents <= 50000000) return "$100,001 - $500,000";
	if (cents <= 100000000) return "$500,001 - $1,000,000";
	return "More than $1,000,000";
}

/* The services overview's bands for the number of educators served. */
static const char *served_band(int64_t n)
{
	return n <= 50      ? "1 - 50"
		: n <= 100  ? "51 - 100"
		: n <= 500  ? "101 - 500"
		: n <= 1000 ? "501 - 1000"
			    : "1000+";
}

static const char *option_label(const form_option *o, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(o[i].value, code)) return o[i].label;
	return code;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* "teachers,coaches" → "Teachers, Coaches". */
static const char *audiences_text(arena *a, const char *codes)
{
	if (!codes || !*codes) return "-";
	size_t n;
	const form_option *o = engagement_audiences(&n);
	buf b = BUF_INIT;
	const char *p = codes;
	while (*p) {
		size_t len = strcspn(p, ", ");
		if (len) {
			const char *code = arena_strndup(a, p, len);
			if (b.len) buf_puts(&b, ", ");
			buf_puts(&b, option_label(o, n, code));
		}
		p += len;
		while (*p == ',' || *p == ' ') p++;
	}
	const char *s = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

static const char *district_type_text(arena *a, const report_engagement *e)
{
	const char *type = e->district_type ? district_type_label(e->district_type) : NULL;
	buf b = BUF_INIT;
	buf_puts(&b, type ? type : "Not recorded");
	if (e->flag_ell) buf_puts(&b, "; greater than 20% English language learners");
	if (e->flag_swd) buf_puts(&b, "; greater than 20% students with disability");
	if (e->flag_econ) buf_puts(&b, "; greater than 60% economically disadvantaged students");
	if (e->flag_soc) buf_puts(&b, "; greater than 80% students of color");
	const char *s = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

typedef struct counts {
	int64_t present, roster;
	int64_t delivered, planned, cancelled;
	unsigned formats;
	int64_t total_cents;
} counts;

static store_rc count_all(store *st, arena *a, int64_t id, bool money, counts *c)
{
	store_rows s, l;
	int64_t present, roster;
	store_rc rc = report_delivery_rows(st, a, id, &present, &roster, &s);
	if (rc != STORE_OK) return rc;
	*c = (counts){.present = present, .roster = roster};
	for (size_t i = 0; i < s.nrows; i++) {
		const char *status = rows_get(&s, i, 0), *format = rows_get(&s, i, 1);
		int64_t n = rows_int(&s, i, 2);
		if (str_eq(status, "delivered")) c->delivered += n;
		else if (str_eq(status, "cancelled")) c->cancelled += n;
		else c->planned += n;
		if (!str_eq(status, "cancelled"))
			c->formats |= str_eq(format, "in_person") ? 1u : str_eq(format, "virtual") ? 2u : 4u;
	}
	if (!money) return STORE_OK;
	if ((rc = report_line_rows(st, a, id, &l))) return rc;
	for (size_t i = 0; i < l.nrows; i++)
		c->total_cents += line_amount_cents(rows_int(&l, i, 0), rows_int(&l, i, 1));
	return STORE_OK;
}

static const char *formats_text(arena *a, const report_engagement *e, unsigned f)
{
	size_t n;
	const form_option *o = engagement_formats(&n);
	if (e->delivery_format && *e->delivery_format) return option_label(o, n, e->delivery_format);
	if (!f) return "-";
	return arena_printf(a, "%s%s%s%s%s", f & 1 ? "In person" : "", (f & 1) && (f & 6) ? ", " : "",
			    f & 2 ? "Virtual" : "", (f & 2) && (f & 4) ? ", " : "", f & 4 ? "Hybrid" : "");
}

static const char *const headers[] = {"Item", "Value"};
static const double widths[] = {1.4, 4.0};
enum { ROWS_MAX = 12 };

static void row(const char **cells, size_t *n, const char *item, const char *value)
{
	cells[*n * 2] = item;
	cells[*n * 2 + 1] = value;
	(*n)++;
}

store_rc services_overview_build(store *st, arena *a, const report_engagement *e, bool show_money,
				 report_table *out)
{
	counts c;
	store_rc rc = count_all(st, a, e->id, show_money, &c);
	if (rc != STORE_OK) return rc;
	size_t npl;
	const form_option *pl = engagement_pl_types(&npl);
	const char **cells = arena_calloc(a, ROWS_MAX * 2, sizeof *cells);
	size_t n = 0;
	int64_t served = c.present + c.roster;
	row(cells, &n, "Curriculum or content area", or_dash(e->curriculum));
	row(cells, &n, "Type of professional learning",
	    e->pl_type && *e->pl_type ? option_label(pl, npl, e->pl_type) : "-");
	row(cells, &n, "Number of educators served",
	    arena_printf(a,
			 "%lld (%s): %lld present per attendance, %lld from the rosters of "
			 "participants of delivered sessions where attendance was not taken",
			 (long long)served, served ? served_band(served) : "none yet", (long long)c.present,
			 (long long)c.roster));
	row(cells, &n, "Audience", audiences_text(a, e->audiences));
	row(cells, &n, "District type", district_type_text(a, e));
	row(cells, &n, "District size",
	    e->size_band && size_band_label(e->size_band) ? size_band_label(e->size_band) : "Not recorded");
	row(cells, &n, "Delivery format", formats_text(a, e, c.formats));
	row(cells, &n, "Sessions",
	    arena_printf(a, "%lld delivered, %lld planned, %lld cancelled", (long long)c.delivered,
			 (long long)c.planned, (long long)c.cancelled));
	if (show_money) row(cells, &n, "Total cost range", cost_band(c.total_cents));
	*out = (report_table){
		.title = arena_printf(a, "Services overview: %s", e->title),
		.subtitle = arena_printf(a, "%s with %s, %s to %s", e->partner_name, e->district_name,
					 e->starts_on, e->ends_on),
		.filename = arena_printf(a, "services-overview-%lld", (long long)e->id),
		.ncols = 2,
		.headers = headers,
		.widths = widths,
		.nrows = n,
		.cells = cells,
		.notes = {show_money ? "Total cost includes every active service line of the agreement."
				     : NULL},
	};
	return STORE_OK;
}
