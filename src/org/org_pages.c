/* Organization pages: the list with its search and chart, one
 * organization with its schools, and the forms that create, edit and
 * deactivate one. Every page needs a signed-in person; controls show only
 * to those the policy lets use them. */
#include <string.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../html/svg.h"
#include "../web/app.h"
#include "org.h"

static void filter_form(buf *b, const org_filter *f)
{
	static const char *const kinds[] = {"partner", "district", "school"};
	html_printf(b,
		    "<form class=\"filters\" method=\"get\" action=\"/orgs\">\n"
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
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Name</th>"
		    "<th scope=\"col\">Kind</th><th scope=\"col\" "
		    "class=\"num\">People</th></tr></thead>\n<tbody>\n");
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
	svg_chart c = {
		.id = "people", .title = "People per school", .row_head = "School", .horizontal = true};
	svg_table t = {.nrows = schools, .ncols = 1, .rows = labels, .v = values};
	svg_bar(b, &c, &t);
}

/* Whether to offer "New organization": a new district or partner, or a
 * school in one of the listed districts. */
static bool may_create_some_org(const req *rq, const org *list, size_t n)
{
	if (may_create_org_in(rq, 0)) return true;
	for (size_t i = 0; i < n; i++)
		if (str_eq(list[i].kind, "district") && may_create_org_in(rq, list[i].id)) return true;
	return false;
}

/*
** GET /orgs?kind=K&q=TEXT
** Partners, districts and schools, with a chart of people per school.
** kind: partner|district|school; q: part of the name.
** Permissions: signed in; rows the policy lets the person read.
*/
void page_orgs(req *rq, resp *rs)
{
	org_filter f;
	if (!org_filter_read(rq, rs, &f)) return;
	org *list;
	size_t n;
	if (org_visible(rq, &f, &list, &n) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	/* The button depends on the districts, whatever the filter shows. */
	org_filter districts = {.kind = "district"};
	org *dlist = list;
	size_t nd = n;
	if ((f.kind || f.q) && org_visible(rq, &districts, &dlist, &nd) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Organizations", "orgs");
	layout_begin(b, &l);
	html_printf(b, "<h1>Organizations</h1>\n");
	if (may_create_some_org(rq, dlist, nd))
		html_printf(b, "<p><a class=\"button\" href=\"/orgs/new\">New organization</a></p>\n");
	filter_form(b, &f);
	if (n == 0) html_printf(b, "<p>No organization matches.</p>\n");
	else org_table(b, list, n);
	people_chart(rq, b, list, n);
	layout_end(b);
}

static void context_facts(buf *b, const org *o)
{
	const char *type = district_type_label(o->district_type);
	const char *band = size_band_label(o->size_band);
	html_printf(b, "<dt>District type</dt><dd>%s</dd>\n<dt>Students</dt><dd>%s</dd>\n",
		    type ? type : "Not recorded", band ? band : "Not recorded");
	html_printf(b, "<dt>Context</dt><dd>");
	bool any = false;
	for (int f = 0; f < ORG_FLAG_COUNT; f++) {
		if (!o->flags[f]) continue;
		html_printf(b, "%s%s", any ? "<br>" : "", org_flag_label((org_flag)f));
		any = true;
	}
	html_printf(b, "%s</dd>\n", any ? "" : "None of the context flags");
}

static void org_facts(buf *b, const org *o)
{
	html_printf(b, "<dl class=\"facts\">\n<dt>Kind</dt><dd>%s</dd>\n", org_kind_label(o->kind));
	if (o->parent_id)
		html_printf(b, "<dt>Part of</dt><dd><a href=\"/orgs/%lld\">%s</a></dd>\n",
			    (long long)o->parent_id, o->parent_name);
	if (str_eq(o->kind, "district")) context_facts(b, o);
	/* Rows written by an import may carry context on other kinds. */
	else if (o->district_type || o->size_band)
		html_printf(b, "<dt>Context</dt><dd>%s %s</dd>\n", o->district_type ? o->district_type : "",
			    o->size_band ? o->size_band : "");
	html_printf(b, "<dt>Status</dt><dd>%s</dd>\n", o->active ? "Active" : "Deactivated");
	html_printf(b, "<dt>People</dt><dd><a href=\"/people?org=%lld\">%lld</a></dd>\n</dl>\n",
		    (long long)o->id, (long long)o->people);
}

/* Edit, add a school, deactivate: each only for those who may. */
static void org_controls(req *rq, buf *b, const org *o, size_t nschools)
{
	bool edit = may_org(rq, ACT_UPDATE, o);
	bool add = o->active && str_eq(o->kind, "district") && may_create_org_in(rq, o->id);
	bool retire = o->active && may_org(rq, ACT_DEACTIVATE, o);
	if (!edit && !add && !retire) return;
	html_printf(b, "<div class=\"actions\">\n");
	if (edit) html_printf(b, "<a class=\"button\" href=\"/orgs/%lld/edit\">Edit</a>\n", (long long)o->id);
	if (add)
		html_printf(b,
			    "<a class=\"button button-secondary\" "
			    "href=\"/orgs/new?kind=school&amp;parent_id=%lld\">"
			    "Add a school</a>\n",
			    (long long)o->id);
	if (retire && !nschools)
		form_button(b, arena_printf(rq->a, "/orgs/%lld/deactivate", (long long)o->id),
			    rq->actor->csrf, "Deactivate", arena_printf(rq->a, "Deactivate %s?", o->name),
			    NULL, NULL);
	html_printf(b, "</div>\n");
	if (retire && nschools)
		html_printf(b,
			    "<p class=\"hint\">To deactivate this district, first deactivate its %zu "
			    "active school%s.</p>\n",
			    nschools, nschools == 1 ? "" : "s");
}

/*
** GET /orgs/{id}
** One organization: kind, district, the district context, status, people
** count; a district lists its schools. Edit, add-a-school and deactivate
** controls for those who may use them.
** Permissions: signed in; read the org (else 404).
*/
void page_org(req *rq, resp *rs)
{
	org o;
	if (!org_load(rq, rs, &o)) return;
	org *kids = NULL;
	size_t nkids = 0;
	if (org_children(rq->db, rq->a, o.id, &kids, &nkids) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, o.name, "orgs");
	layout_begin(b, &l);
	html_printf(b, "<p class=\"crumbs\"><a href=\"/orgs\">Organizations</a></p>\n<h1>%s</h1>\n", o.name);
	org_facts(b, &o);
	org_controls(rq, b, &o, nkids);
	if (nkids) {
		html_printf(b, "<h2>Schools</h2>\n");
		org_table(b, kids, nkids);
		people_chart(rq, b, kids, nkids);
	}
	layout_end(b);
}

/* ---- the form ---- */

static bool checked(const char *v)
{
	return v && *v && strcmp(v, "0") != 0;
}

/* The fields as posted, trimmed. kind is fixed on an edit. */
static org_input read_org_form(req *rq, const char *fixed_kind)
{
	org_input in = {0};
	in.kind = fixed_kind ? fixed_kind : text_trim(rq->a, req_form(rq, "kind"));
	in.name = text_trim(rq->a, req_form(rq, "name"));
	const char *parent = text_trim(rq->a, req_form(rq, "parent_id"));
	if (parent && *parent && !parse_i64(parent, 1, INT64_MAX, &in.parent_id)) in.parent_unreadable = true;
	in.district_type = text_trim(rq->a, req_form(rq, "district_type"));
	in.size_band = text_trim(rq->a, req_form(rq, "size_band"));
	for (int f = 0; f < ORG_FLAG_COUNT; f++)
		in.flags[f] = checked(req_form(rq, org_flag_field((org_flag)f)));
	return in;
}

static form_option *with_none(arena *a, const form_option *opts, size_t n, const char *none)
{
	form_option *all = arena_calloc(a, n + 1, sizeof *all);
	all[0] = (form_option){"", none};
	for (size_t i = 0; i < n; i++) all[i + 1] = opts[i];
	return all;
}

static void parent_field(req *rq, buf *b, const org_input *in, const org *parents, size_t n,
			 const form_errors *e)
{
	form_option *opts = arena_calloc(rq->a, n + 1, sizeof *opts);
	opts[0] = (form_option){"", "None (not a school)"};
	for (size_t i = 0; i < n; i++)
		opts[i + 1] =
			(form_option){arena_printf(rq->a, "%lld", (long long)parents[i].id), parents[i].name};
	const char *selected = in->parent_id ? arena_printf(rq->a, "%lld", (long long)in->parent_id) : "";
	form_select(b, "parent_id", "District (schools only)", opts, n + 1, selected, false, e);
}

static void context_fields(req *rq, buf *b, const org_input *in, const form_errors *e)
{
	size_t nt, nb;
	const form_option *types = district_types(&nt), *bands = size_bands(&nb);
	html_printf(b, "<fieldset>\n<legend>District context (districts only)</legend>\n");
	form_select(b, "district_type", "District type", with_none(rq->a, types, nt, "Not recorded"), nt + 1,
		    in->district_type ? in->district_type : "", false, e);
	form_select(b, "size_band", "Students enrolled", with_none(rq->a, bands, nb, "Not recorded"), nb + 1,
		    in->size_band ? in->size_band : "", false, e);
	for (int f = 0; f < ORG_FLAG_COUNT; f++) {
		const char *field = org_flag_field((org_flag)f);
		form_field_error(b, field, form_error_for(e, field));
		form_checkbox(b, field, org_flag_label((org_flag)f), in->flags[f]);
	}
	html_printf(b, "</fieldset>\n");
}

/* The create form (old NULL) or the edit form of old. */
static void org_form_page(req *rq, resp *rs, int status, const org *old, const org_input *in,
			  const form_errors *e)
{
	org *parents;
	size_t np;
	if (org_parent_choices(rq, &parents, &np) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	/* A school being edited keeps its district on offer. */
	if (old && old->parent_id) {
		bool listed = false;
		for (size_t i = 0; i < np; i++) listed |= parents[i].id == old->parent_id;
		if (!listed) {
			org *more = arena_calloc(rq->a, np + 1, sizeof *more);
			memcpy(more, parents, np * sizeof *more);
			more[np++] = (org){.id = old->parent_id, .name = old->parent_name};
			parents = more;
		}
	}
	const char *title = old ? arena_printf(rq->a, "Edit %s", old->name) : "New organization";
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, title, "orgs");
	layout_begin(b, &l);
	if (old)
		html_printf(b,
			    "<p class=\"crumbs\"><a href=\"/orgs\">Organizations</a> › "
			    "<a href=\"/orgs/%lld\">%s</a></p>\n",
			    (long long)old->id, old->name);
	else html_printf(b, "<p class=\"crumbs\"><a href=\"/orgs\">Organizations</a></p>\n");
	html_printf(b, "<h1>%s</h1>\n", title);
	form_begin(b, old ? arena_printf(rq->a, "/orgs/%lld", (long long)old->id) : "/orgs", rq->actor->csrf,
		   e);
	if (old) {
		html_printf(b, "<p>Kind: %s</p>\n", org_kind_label(old->kind));
	} else {
		static const form_option kinds[] = {{"", "Choose…"},
						    {"partner", "Partner"},
						    {"district", "District"},
						    {"school", "School"}};
		form_select(b, "kind", "Kind", kinds, COUNT_OF(kinds), in->kind ? in->kind : "", true, e);
	}
	form_input(b, "text", "name", "Name", in->name, true, NULL, e);
	if (!old || str_eq(old->kind, "school")) parent_field(rq, b, in, parents, np, e);
	if (!old || str_eq(old->kind, "district")) context_fields(rq, b, in, e);
	form_end(b, old ? "Save" : "Create");
	layout_end(b);
}

/*
** GET /orgs/new?kind=K&parent_id=ID
** The form for a new partner, district or school (kind and parent_id
** preselect; "Add a school" on a district's page sends both).
** Permissions: signed in; may create an org somewhere (else 403).
*/
void page_org_new(req *rq, resp *rs)
{
	org *parents;
	size_t np;
	if (org_parent_choices(rq, &parents, &np) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!np && !may_create_org_in(rq, 0)) {
		resp_error(rq, rs, 403, "forbidden", "You may not create organizations.", NULL);
		return;
	}
	org_input in = {.kind = req_query(rq, "kind")};
	const char *parent = req_query(rq, "parent_id");
	if (parent && !parse_i64(parent, 1, INT64_MAX, &in.parent_id)) in.parent_id = 0;
	org_form_page(rq, rs, 200, NULL, &in, NULL);
}

/*
** POST /orgs   (form: csrf, kind, name, parent_id, district_type, size_band,
**               flag_ell, flag_swd, flag_econ, flag_soc)
** Creates the organization; 303 to its page. Bad input: the form again,
** 400, errors beside the fields, nothing written.
** Permissions: signed in, CSRF; may(CREATE) for an org in the district
** (a school) or at installation level (a district or partner); else 403.
*/
void page_org_create(req *rq, resp *rs)
{
	org_input in = read_org_form(rq, NULL);
	outcome out;
	org_create(rq, &in, &out);
	if (out.status == 400) {
		org_form_page(rq, rs, 400, NULL, &in, &out.errors);
		return;
	}
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/orgs/%lld?ok=created", (long long)out.id));
}

/*
** GET /orgs/{id}/edit
** The edit form: name; a school's district; a district's context.
** Permissions: signed in; may(UPDATE) the org (else 403; 404 unreadable).
*/
void page_org_edit(req *rq, resp *rs)
{
	org o;
	if (!org_load(rq, rs, &o)) return;
	if (!may_org(rq, ACT_UPDATE, &o)) {
		resp_error(rq, rs, 403, "forbidden", "You may not change this organization.", NULL);
		return;
	}
	org_input in = org_input_of(&o);
	org_form_page(rq, rs, 200, &o, &in, NULL);
}

/*
** POST /orgs/{id}   (form: csrf, name, parent_id, district_type, size_band, flag_*)
** Saves the edit; 303 to the org's page. Bad input: the form again, 400.
** Permissions: signed in, CSRF; may(UPDATE) the org (and the new
** district, for a school that moves).
*/
void page_org_update(req *rq, resp *rs)
{
	org o;
	if (!org_load(rq, rs, &o)) return;
	org_input in = read_org_form(rq, o.kind);
	outcome out;
	org_change(rq, &o, &in, &out);
	if (out.status == 400) {
		org_form_page(rq, rs, 400, &o, &in, &out.errors);
		return;
	}
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/orgs/%lld?ok=saved", (long long)o.id));
}

/*
** POST /orgs/{id}/deactivate   (form: csrf)
** Deactivates the org; 303 to its page. 409 while a district still has
** active schools (the message says so).
** Permissions: signed in, CSRF; may(DEACTIVATE) the org.
*/
void page_org_deactivate(req *rq, resp *rs)
{
	org o;
	if (!org_load(rq, rs, &o)) return;
	outcome out;
	org_retire(rq, &o, &out);
	outcome_redirect(rq, rs, &out, arena_printf(rq->a, "/orgs/%lld?ok=deactivated", (long long)o.id));
}
