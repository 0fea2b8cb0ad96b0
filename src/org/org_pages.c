/* Organization pages and their JSON API. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "../html/html.h"
#include "../html/svg.h"
#include "../web/app.h"
#include "org.h"

/* Reads ?kind= and ?q=; answers 400 naming the field when kind is unknown. */
static bool read_filter(req *rq, resp *rs, org_filter *f)
{
	f->kind = req_query(rq, "kind");
	f->q = req_query(rq, "q");
	if (f->kind && !*f->kind) f->kind = NULL;
	if (f->kind && !org_kind_valid(f->kind)) {
		resp_error(rq, rs, 400, "bad_kind",
			   "kind must be one of partner, district or school", "kind");
		return false;
	}
	if (f->q && strlen(f->q) > 200) {
		resp_error(rq, rs, 400, "bad_query", "the search is longer than 200 characters", "q");
		return false;
	}
	return true;
}

static void filter_form(buf *b, const org_filter *f)
{
	static const char *const kinds[] = {"partner", "district", "school"};
	html_printf(b, "<form class=\"filters\" method=\"get\" action=\"/orgs\">\n"
		       "<div class=\"field\"><label for=\"q\">Name contains</label>"
		       "<input id=\"q\" name=\"q\" type=\"search\" value=\"%s\"></div>\n"
		       "<div class=\"field\"><label for=\"kind\">Kind</label>"
		       "<select id=\"kind\" name=\"kind\"><option value=\"\">Any</option>",
		    f->q ? f->q : "");
	for (size_t i = 0; i < 3; i++)
		html_printf(b, "<option value=\"%s\"%s>%s</option>", kinds[i],
			    f->kind && !strcmp(f->kind, kinds[i]) ? " selected" : "",
			    org_kind_label(kinds[i]));
	html_printf(b, "</select></div>\n<button type=\"submit\">Show</button>\n</form>\n");
}

/* Three columns so the table fits a phone: a school's district goes
 * under its name rather than in a column of its own. */
static void org_table(buf *b, const org *list, size_t n)
{
	html_printf(b, "<div class=\"table-wrap\"><table>\n<thead><tr><th scope=\"col\">Name</th>"
		       "<th scope=\"col\">Kind</th><th scope=\"col\" class=\"num\">People</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		html_printf(b, "<tr><td><a href=\"/orgs/%lld\">%s</a>", (long long)list[i].id, list[i].name);
		if (list[i].parent_name)
			html_printf(b, "<br><span class=\"muted\">%s</span>", list[i].parent_name);
		html_printf(b, "</td><td>%s</td><td class=\"num\">%lld</td></tr>\n",
			    org_kind_label(list[i].kind), (long long)list[i].people);
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* A bar per school: how many people hold a role there. */
static void people_chart(req *rq, buf *b, const org *list, size_t n)
{
	size_t schools = 0;
	for (size_t i = 0; i < n; i++) schools += !strcmp(list[i].kind, "school");
	if (!schools) return;
	const char **labels = arena_calloc(rq->a, schools, sizeof *labels);
	double *values = arena_calloc(rq->a, schools, sizeof *values);
	for (size_t i = 0, k = 0; i < n; i++) {
		if (strcmp(list[i].kind, "school")) continue;
		labels[k] = list[i].name;
		values[k++] = (double)list[i].people;
	}
	svg_chart c = {.id = "people", .title = "People per school", .row_head = "School",
		       .horizontal = true};
	svg_table t = {.nrows = schools, .ncols = 1, .rows = labels, .v = values};
	svg_bar(b, &c, &t);
}

/*
** GET /orgs?kind=K&q=TEXT
** Partners, districts and schools, with a chart of people per school.
** kind: partner|district|school; q: part of the name.
*/
void page_orgs(req *rq, resp *rs)
{
	org_filter f;
	if (!read_filter(rq, rs, &f)) return;
	org *list;
	size_t n;
	if (org_list(rq->db, rq->a, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Organizations", "orgs");
	layout_begin(b, &l);
	html_printf(b, "<h1>Organizations</h1>\n");
	filter_form(b, &f);
	if (n == 0)
		html_printf(b, "<p>No organization matches.</p>\n");
	else
		org_table(b, list, n);
	people_chart(rq, b, list, n);
	layout_end(b);
}

/*
** GET /orgs/{id}
** One organization; a district lists its schools.
*/
void page_org(req *rq, resp *rs)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return;
	org o;
	bool found;
	org *kids = NULL;
	size_t nkids = 0;
	if (org_get(rq->db, rq->a, id, &o, &found) != STORE_OK ||
	    (found && org_children(rq->db, rq->a, id, &kids, &nkids) != STORE_OK)) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "there is no such organization", NULL);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, o.name, "orgs");
	layout_begin(b, &l);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/orgs\">Organizations</a></p>\n"
		       "<h1>%s</h1>\n<dl class=\"facts\">\n<dt>Kind</dt><dd>%s</dd>\n",
		    o.name, org_kind_label(o.kind));
	if (o.parent_id)
		html_printf(b, "<dt>Part of</dt><dd><a href=\"/orgs/%lld\">%s</a></dd>\n",
			    (long long)o.parent_id, o.parent_name);
	if (o.district_type) html_printf(b, "<dt>District type</dt><dd>%s</dd>\n", o.district_type);
	if (o.size_band) html_printf(b, "<dt>Students</dt><dd>%s</dd>\n", o.size_band);
	html_printf(b, "<dt>People</dt><dd>%lld</dd>\n</dl>\n", (long long)o.people);
	if (nkids) {
		html_printf(b, "<h2>Schools</h2>\n");
		org_table(b, kids, nkids);
		people_chart(rq, b, kids, nkids);
	}
	layout_end(b);
}

static json_t *org_json(const org *o)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)o->id, "kind", o->kind,
			      "name", o->name, "people", (json_int_t)o->people);
	json_object_set_new(j, "parent_id", o->parent_id ? json_integer(o->parent_id) : json_null());
	if (o->district_type) json_object_set_new(j, "district_type", json_string(o->district_type));
	if (o->size_band) json_object_set_new(j, "size_band", json_string(o->size_band));
	return j;
}

/*
** GET /api/orgs?kind=K&q=TEXT
** {"orgs":[{id,kind,name,parent_id,people,...}]}
*/
void api_orgs(req *rq, resp *rs)
{
	org_filter f;
	if (!read_filter(rq, rs, &f)) return;
	org *list;
	size_t n;
	if (org_list(rq->db, rq->a, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, org_json(&list[i]));
	resp_json(rs, 200, json_pack("{s:o}", "orgs", arr));
}

/*
** GET /api/orgs/{id}
** One organization, or 404.
*/
void api_org(req *rq, resp *rs)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return;
	org o;
	bool found;
	if (org_get(rq->db, rq->a, id, &o, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "there is no such organization", NULL);
		return;
	}
	resp_json(rs, 200, org_json(&o));
}
