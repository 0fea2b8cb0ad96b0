/* School-year pages: the years of the districts a person may see, one year
 * with its terms, and the forms that create, edit and deactivate years and
 * add and remove terms. The JSON twins are in schoolyear_api.c. */
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "schoolyear.h"

/* ---- the list ---- */

static void year_table(buf *b, const school_year *list, size_t n)
{
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr>"
		    "<th scope=\"col\">School year</th><th scope=\"col\">Starts</th>"
		    "<th scope=\"col\">Ends</th><th scope=\"col\" class=\"num\">Terms</th>"
		    "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const school_year *y = &list[i];
		html_printf(b,
			    "<tr><td><a href=\"/school-years/%lld\">%s</a><br>"
			    "<span class=\"muted\">%s</span></td><td>%s</td><td>%s</td>"
			    "<td class=\"num\">%lld</td></tr>\n",
			    (long long)y->id, y->name, y->district_name ? y->district_name : "", y->starts_on,
			    y->ends_on, (long long)y->terms);
	}
	html_printf(b, "</tbody></table></div>\n");
}

/*
** GET /school-years
** The active school years of the districts the signed-in person may see,
** newest first, with how many terms each has.
** Permissions: signed in; each year through may(READ, school year).
*/
void page_school_years(req *rq, resp *rs)
{
	school_year *list;
	org *creatable;
	size_t n, ncreatable;
	if (school_year_visible(rq, 0, &list, &n) != STORE_OK ||
	    school_year_district_choices(rq, ACT_CREATE, &creatable, &ncreatable) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "School years", "school-years");
	layout_begin(b, &l);
	html_printf(b, "<h1>School years</h1>\n");
	if (ncreatable)
		html_printf(b, "<p><a class=\"button\" href=\"/school-years/new\">New school year</a></p>\n");
	if (n == 0) html_printf(b, "<p>No school years yet.</p>\n");
	else year_table(b, list, n);
	layout_end(b);
}

/* ---- one year ---- */

static void term_table(req *rq, buf *b, const school_year *y, const term *t, size_t n, bool can_update)
{
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Term</th>"
		    "<th scope=\"col\">Starts</th><th scope=\"col\">Ends</th>");
	/* The column of remove buttons is named for screen readers. */
	if (can_update)
		html_printf(b, "<th scope=\"col\"><span class=\"visually-hidden\">Remove</span></th>");
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td>", t[i].name, t[i].starts_on,
			    t[i].ends_on);
		if (can_update) {
			html_printf(b, "<td>");
			form_button(b,
				    arena_printf(rq->a, "/school-years/%lld/terms/%lld/remove",
						 (long long)y->id, (long long)t[i].id),
				    rq->actor->csrf, "Remove",
				    arena_printf(rq->a, "Remove the term %s?", t[i].name), NULL, NULL);
			html_printf(b, "</td>");
		}
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
}

static void add_term_form(req *rq, buf *b, const school_year *y, const term_input *in, const form_errors *e)
{
	html_printf(b, "<h2 id=\"add-term\">Add a term</h2>\n");
	form_begin(b, arena_printf(rq->a, "/school-years/%lld/terms", (long long)y->id), rq->actor->csrf, e);
	form_input(b, "text", "name", "Name", in ? in->name : NULL, true, "Such as Fall or Trimester 1.", e);
	form_input(b, "date", "starts_on", "Starts on", in ? in->starts_on : NULL, true,
		   "YYYY-MM-DD, within the school year.", e);
	form_input(b, "date", "ends_on", "Ends on", in ? in->ends_on : NULL, true,
		   "YYYY-MM-DD, within the school year.", e);
	form_end(b, "Add term");
}

static void year_actions(req *rq, buf *b, const school_year *y, bool can_update, bool can_retire)
{
	if (!can_update && !can_retire) return;
	html_printf(b, "<div class=\"actions\">");
	if (can_update)
		html_printf(b,
			    "<a class=\"button button-secondary\" href=\"/school-years/%lld/edit\">Edit</a> ",
			    (long long)y->id);
	if (can_retire)
		form_button(b, arena_printf(rq->a, "/school-years/%lld/deactivate", (long long)y->id),
			    rq->actor->csrf, "Deactivate school year",
			    arena_printf(rq->a, "Deactivate %s?", y->name), NULL, NULL);
	html_printf(b, "</div>\n");
}

/* The year page; status 400 with e when an add-term form came back. */
static void year_page(req *rq, resp *rs, int status, const school_year *y, const term_input *in,
		      const form_errors *e)
{
	bool can_update = y->active && may_school_year(rq, ACT_UPDATE, y->district_id);
	bool can_retire = y->active && may_school_year(rq, ACT_DEACTIVATE, y->district_id);
	term *t;
	size_t n;
	if (term_list(rq->db, rq->a, y->id, &t, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, y->name, "school-years");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/school-years\">School years</a></p>\n"
		    "<h1>%s</h1>\n<dl class=\"facts\">\n"
		    "<dt>District</dt><dd><a href=\"/orgs/%lld\">%s</a></dd>\n"
		    "<dt>Starts</dt><dd>%s</dd>\n<dt>Ends</dt><dd>%s</dd>\n",
		    y->name, (long long)y->district_id, y->district_name ? y->district_name : "",
		    y->starts_on, y->ends_on);
	if (!y->active) html_printf(b, "<dt>Status</dt><dd>Deactivated</dd>\n");
	html_printf(b, "</dl>\n");
	year_actions(rq, b, y, can_update, can_retire);
	html_printf(b, "<h2>Terms</h2>\n");
	if (n == 0) html_printf(b, "<p>No terms yet.</p>\n");
	else term_table(rq, b, y, t, n, can_update);
	if (can_update) add_term_form(rq, b, y, in, e);
	layout_end(b);
}

/*
** GET /school-years/{id}
** One school year: district, dates, and its terms, with the forms to edit
** it and add or remove terms for those who may.
** Permissions: may(READ, school year).
*/
void page_school_year(req *rq, resp *rs)
{
	school_year y;
	if (school_year_load(rq, rs, &y)) year_page(rq, rs, 200, &y, NULL, NULL);
}

/* ---- creating and editing ---- */

static school_year_input form_year_input(req *rq)
{
	school_year_input in = {.name = text_trim(rq->a, req_form(rq, "name")),
				.starts_on = text_trim(rq->a, req_form(rq, "starts_on")),
				.ends_on = text_trim(rq->a, req_form(rq, "ends_on"))};
	const char *d = text_trim(rq->a, req_form(rq, "district_id"));
	if (d && *d && !parse_i64(d, 1, INT64_MAX, &in.district_id)) in.district_unreadable = true;
	return in;
}

static void year_form(req *rq, buf *b, const char *to, const school_year_input *in, const org *districts,
		      size_t nd, const form_errors *e, const school_year *old)
{
	form_begin(b, to, rq->actor->csrf, e);
	form_input(b, "text", "name", "Name", in->name, true, "Such as 2026–2027.", e);
	if (old) {
		html_printf(b, "<p class=\"field\"><span class=\"label\">District</span> %s</p>\n",
			    old->district_name ? old->district_name : "");
	} else {
		form_option *o = arena_calloc(rq->a, nd + 1, sizeof *o);
		o[0] = (form_option){"", "Choose a district"};
		for (size_t i = 0; i < nd; i++)
			o[i + 1] = (form_option){arena_printf(rq->a, "%lld", (long long)districts[i].id),
						 districts[i].name};
		form_select(b, "district_id", "District", o, nd + 1,
			    in->district_id ? arena_printf(rq->a, "%lld", (long long)in->district_id) : NULL,
			    true, e);
	}
	form_input(b, "date", "starts_on", "Starts on", in->starts_on, true,
		   "YYYY-MM-DD: the first day of the school year.", e);
	form_input(b, "date", "ends_on", "Ends on", in->ends_on, true,
		   "YYYY-MM-DD: the last day; years of one district may not overlap.", e);
	form_end(b, old ? "Save" : "Create school year");
}

static void new_year_page(req *rq, resp *rs, int status, const school_year_input *in, const form_errors *e)
{
	org *districts;
	size_t n;
	if (school_year_district_choices(rq, ACT_CREATE, &districts, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (n == 0) {
		resp_error(rq, rs, 403, "forbidden", "you may not create school years", NULL);
		return;
	}
	school_year_input first = *in;
	if (n == 1 && !first.district_id) first.district_id = districts[0].id;
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "New school year", "school-years");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/school-years\">School years</a></p>\n"
		    "<h1>New school year</h1>\n");
	year_form(rq, b, "/school-years", &first, districts, n, e, NULL);
	layout_end(b);
}

/*
** GET /school-years/new
** The form for a new school year: name, district, first and last day.
** Permissions: may(CREATE, school year) in one district at least (the
** select offers only those), else 403.
*/
void page_school_year_new(req *rq, resp *rs)
{
	school_year_input in = {0};
	new_year_page(rq, rs, 200, &in, NULL);
}

/*
** POST /school-years  (form: name, district_id, starts_on, ends_on, csrf)
** Creates a school year and shows it; the form again with 400 and the
** message beside the field when one is wrong (bad date, end before start,
** overlap with another year of the district), nothing written.
** Permissions: may(CREATE, school year) in district_id, else 403.
*/
void page_school_year_create(req *rq, resp *rs)
{
	school_year_input in = form_year_input(rq);
	outcome o;
	school_year_create(rq, &in, &o);
	if (o.status == 400 && o.errors.n) new_year_page(rq, rs, 400, &in, &o.errors);
	else
		outcome_redirect(rq, rs, &o,
				 arena_printf(rq->a, "/school-years/%lld?ok=created", (long long)o.id));
}

static void edit_year_page(req *rq, resp *rs, int status, const school_year *y, const school_year_input *in,
			   const form_errors *e)
{
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, arena_printf(rq->a, "Edit %s", y->name), "school-years");
	layout_begin(b, &l);
	html_printf(b,
		    "<p class=\"crumbs\"><a href=\"/school-years\">School years</a> › "
		    "<a href=\"/school-years/%lld\">%s</a></p>\n<h1>Edit %s</h1>\n",
		    (long long)y->id, y->name, y->name);
	year_form(rq, b, arena_printf(rq->a, "/school-years/%lld", (long long)y->id), in, NULL, 0, e, y);
	layout_end(b);
}

/*
** GET /school-years/{id}/edit
** The form to change a year's name and dates.
** Permissions: may(UPDATE, school year); 409 when it is deactivated.
*/
void page_school_year_edit(req *rq, resp *rs)
{
	school_year y;
	if (!school_year_load(rq, rs, &y)) return;
	if (!may_school_year(rq, ACT_UPDATE, y.district_id)) {
		resp_error(rq, rs, 403, "forbidden", "you may not change this school year", NULL);
		return;
	}
	if (!y.active) {
		resp_error(rq, rs, 409, "inactive",
			   "this school year is deactivated; it can no longer change", NULL);
		return;
	}
	school_year_input in = {y.name, y.starts_on, y.ends_on, y.district_id, false};
	edit_year_page(rq, rs, 200, &y, &in, NULL);
}

/*
** POST /school-years/{id}  (form: name, starts_on, ends_on, csrf)
** Saves a year's changes; the form again with 400 when a field is wrong
** (including a new span that overlaps another year or strands a term).
** Permissions: may(UPDATE, school year); 409 when it is deactivated.
*/
void page_school_year_update(req *rq, resp *rs)
{
	school_year y;
	if (!school_year_load(rq, rs, &y)) return;
	school_year_input in = form_year_input(rq);
	if (!in.district_id && !in.district_unreadable) in.district_id = y.district_id;
	outcome o;
	school_year_change(rq, &y, &in, &o);
	if (o.status == 400 && o.errors.n) edit_year_page(rq, rs, 400, &y, &in, &o.errors);
	else
		outcome_redirect(rq, rs, &o,
				 arena_printf(rq->a, "/school-years/%lld?ok=saved", (long long)y.id));
}

/*
** POST /school-years/{id}/deactivate  (form: csrf)
** Deactivates a school year: it leaves the list and no longer blocks
** another year's dates; its page stays readable.
** Permissions: may(DEACTIVATE, school year).
*/
void page_school_year_deactivate(req *rq, resp *rs)
{
	school_year y;
	if (!school_year_load(rq, rs, &y)) return;
	outcome o;
	school_year_retire(rq, &y, &o);
	outcome_redirect(rq, rs, &o, "/school-years?ok=deactivated");
}

/* ---- terms ---- */

/*
** POST /school-years/{id}/terms  (form: name, starts_on, ends_on, csrf)
** Adds a term inside the year; the year page again with 400 beside the
** field when it falls outside the year or overlaps another term.
** Permissions: may(UPDATE, school year); 409 when it is deactivated.
*/
void page_term_add(req *rq, resp *rs)
{
	school_year y;
	if (!school_year_load(rq, rs, &y)) return;
	term_input in = {text_trim(rq->a, req_form(rq, "name")), text_trim(rq->a, req_form(rq, "starts_on")),
			 text_trim(rq->a, req_form(rq, "ends_on"))};
	outcome o;
	term_add(rq, &y, &in, &o);
	if (o.status == 400 && o.errors.n) year_page(rq, rs, 400, &y, &in, &o.errors);
	else
		outcome_redirect(rq, rs, &o,
				 arena_printf(rq->a, "/school-years/%lld?ok=term-added", (long long)y.id));
}

/*
** POST /school-years/{id}/terms/{tid}/remove  (form: csrf)
** Removes (deactivates) a term of the year; 404 when it has no such term.
** Permissions: may(UPDATE, school year); 409 when it is deactivated.
*/
void page_term_remove(req *rq, resp *rs)
{
	school_year y;
	int64_t tid;
	if (!school_year_load(rq, rs, &y) || !param_id(rq, rs, "tid", &tid)) return;
	outcome o;
	term_remove(rq, &y, tid, &o);
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "/school-years/%lld?ok=term-removed", (long long)y.id));
}
