/* Roster pages and API: the upload page where a district's administrator
 * imports its OneRoster export (a dry run first, if they like), the
 * report that follows, and the class list the roster fills. */
#include <jansson.h>
#include <string.h>

#include "../access/policy.h"
#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "roster.h"

enum { MAX_DISTRICTS = 8, CLASS_PAGE = 100, MAX_PAGE = 100000, SEARCH_MAX = 200 };

/* ---- who may import, and into which district ---- */

static bool may_import(const actor *who, int64_t district)
{
	place pl = {.org_id = district, .district_id = district};
	record r = {.kind = REC_ROSTER_IMPORT, .places = &pl, .nplaces = 1};
	return may(who, ACT_CREATE, &r);
}

/* The districts this person may import a roster into: those of their
 * grants that the policy allows. */
static size_t import_districts(const req *rq, int64_t out[MAX_DISTRICTS])
{
	size_t n = 0;
	const actor *who = rq->actor;
	for (size_t i = 0; who && i < who->ngrants && n < MAX_DISTRICTS; i++) {
		int64_t d = who->grants[i].district_id;
		bool dup = false;
		for (size_t k = 0; k < n; k++) dup |= out[k] == d;
		if (d && !dup && may_import(who, d)) out[n++] = d;
	}
	return n;
}

static void forbidden(req *rq, resp *rs)
{
	resp_error(rq, rs, 403, "forbidden", "only an administrator of a district may import its roster",
		   NULL);
}

/* The district chosen in the form (needed only when there are several). */
static int64_t chosen_district(req *rq, const int64_t *ds, size_t n, form_errors *e)
{
	if (n == 1) return ds[0];
	int64_t id = 0;
	const char *v = req_form(rq, "district");
	if (v && parse_i64(v, 1, INT64_MAX, &id))
		for (size_t i = 0; i < n; i++)
			if (ds[i] == id) return id;
	form_error_add(e, "district", "Choose one of your districts.");
	return 0;
}

/* ---- the form ---- */

static const char *district_name(req *rq, int64_t id)
{
	sql_arg args[] = {ARG_INT(id)};
	store_rows r;
	if (store_query(rq->db, rq->a, "SELECT name FROM org WHERE id = $1", args, 1, &r) != STORE_OK ||
	    r.nrows != 1)
		return arena_printf(rq->a, "organization %lld", (long long)id);
	return rows_get(&r, 0, 0);
}

static void import_form(req *rq, buf *b, const int64_t *ds, size_t nds, int64_t chosen, const form_errors *e,
			bool dry_run)
{
	form_begin_upload(b, "/admin/import", rq->actor->csrf, e);
	if (nds > 1) {
		form_option *opts = arena_calloc(rq->a, nds + 1, sizeof *opts);
		opts[0] = (form_option){"", "Choose"};
		for (size_t i = 0; i < nds; i++)
			opts[i + 1] = (form_option){arena_printf(rq->a, "%lld", (long long)ds[i]),
						    district_name(rq, ds[i])};
		form_select(b, "district", "District", opts, nds + 1,
			    chosen ? arena_printf(rq->a, "%lld", (long long)chosen) : "", true, e);
	}
	form_file(b, "roster", "OneRoster export (ZIP)", ".zip,application/zip", true,
		  "The ZIP archive your student information system exports: manifest.csv, orgs.csv, "
		  "users.csv and the others, OneRoster 1.1 or 1.2.",
		  e);
	form_checkbox(b, "dry_run", "Dry run: show what would change and write nothing", dry_run);
	form_end(b, "Import");
}

static void import_intro(buf *b)
{
	html_printf(b,
		    "<h1>Roster import</h1>\n<p>Imports your district's schools, school years and "
		    "terms, staff and their roles, classes and their teachers from a OneRoster CSV "
		    "export. Students are counted per class; their names are never stored. The "
		    "import is all or nothing: if the file has a problem, nothing is written and the "
		    "report names the file, row and column.</p>\n");
}

/*
** GET /admin/import
** The upload form. Administrators of a district only (REC_ROSTER_IMPORT,
** create, at their district).
*/
void page_import(req *rq, resp *rs)
{
	int64_t ds[MAX_DISTRICTS];
	size_t nds = import_districts(rq, ds);
	if (!nds) {
		forbidden(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Roster import", "import");
	layout_begin(b, &l);
	import_intro(b);
	import_form(rq, b, ds, nds, 0, NULL, true);
	layout_end(b);
}

/* ---- the report ---- */

static int64_t total_changes(const roster_result *r)
{
	int64_t n = 0;
	for (int k = 0; k < RK_COUNT; k++)
		n += r->counts[k].created + r->counts[k].updated + r->counts[k].deactivated;
	return n;
}

static void counts_table(buf *b, const roster_plan *p, const roster_result *r)
{
	html_table_open(b);
	html_printf(b,
		    "\n<caption>What %s</caption>\n<thead><tr>"
		    "<th scope=\"col\">Records</th><th scope=\"col\" class=\"num\">Created</th>"
		    "<th scope=\"col\" class=\"num\">Updated</th><th scope=\"col\" class=\"num\">"
		    "Deactivated</th><th scope=\"col\" class=\"num\">Unchanged</th></tr></thead>\n<tbody>\n",
		    r->applied ? "changed" : "would change");
	for (int k = 0; k < RK_COUNT; k++) {
		const roster_counts *n = &r->counts[k];
		html_printf(b,
			    "<tr><th scope=\"row\">%s</th><td class=\"num\">%lld</td><td class=\"num\">"
			    "%lld</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>\n",
			    roster_kind_label((roster_kind)k), (long long)n->created, (long long)n->updated,
			    (long long)n->deactivated, (long long)n->unchanged);
	}
	html_printf(b,
		    "</tbody></table></div>\n<p>Students counted (never stored): %lld. Users "
		    "and enrollments coachd keeps nothing of (parents, aides, proctors …): %lld.</p>\n",
		    (long long)p->students, (long long)p->skipped);
}

static void notes_table(req *rq, buf *b, const char *id, const char *heading, const roster_notes *l)
{
	if (!l->n && !l->dropped) return;
	html_printf(b,
		    "<h2 id=\"%s\">%s (%zu)</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr>"
		    "<th scope=\"col\">File</th><th scope=\"col\" class=\"num\">Row</th>"
		    "<th scope=\"col\">Column</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
		    id, heading, l->n + l->dropped, heading);
	for (size_t i = 0; i < l->n; i++) {
		const roster_note *n = &l->items[i];
		html_printf(b, "<tr><td>%s</td><td class=\"num\">%s</td><td>%s</td><td>%s</td></tr>\n",
			    n->file ? n->file : "", n->row ? arena_printf(rq->a, "%zu", n->row) : "",
			    n->column ? n->column : "", n->message);
	}
	html_printf(b, "</tbody></table></div>\n");
	if (l->dropped) html_printf(b, "<p>%zu more are not listed.</p>\n", l->dropped);
}

static void report_page(req *rq, resp *rs, int status, const roster_plan *p, const roster_result *r,
			const int64_t *ds, size_t nds, int64_t chosen, const form_errors *e, bool dry_run)
{
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, "Roster import", "import");
	layout_begin(b, &l);
	import_intro(b);
	if (p && roster_clean(p)) {
		html_printf(b,
			    "<div class=\"card\" role=\"status\"><h2>%s</h2>\n<p>OneRoster %s roster "
			    "for %s: %lld %s.</p>\n",
			    r->applied ? "Import finished" : "Dry run", p->version,
			    r->district_name ? r->district_name : "the district", (long long)total_changes(r),
			    r->applied ? "changes made"
				       : "changes would be made; "
					 "nothing was written");
		counts_table(b, p, r);
		html_printf(b, "</div>\n");
	}
	if (p) {
		notes_table(rq, b, "problems", "Problems", &p->problems);
		notes_table(rq, b, "warnings", "Warnings", &p->warnings);
	}
	html_printf(b, "<h2>%s</h2>\n", p && roster_clean(p) && dry_run ? "Import it" : "Import a roster");
	import_form(rq, b, ds, nds, chosen, e, !(p && roster_clean(p) && dry_run));
	layout_end(b);
}

/* ---- running an import from a request ---- */

typedef struct import_run {
	int64_t ds[MAX_DISTRICTS];
	size_t nds;
	int64_t district;
	bool dry_run;
	const upload *file;
	form_errors e;
	roster_plan *plan;
	roster_result res;
	const char *why; /* the upload is no roster at all */
} import_run;

static const upload *roster_upload(const req *rq)
{
	for (size_t i = 0; i < rq->nfiles; i++)
		if (str_eq(rq->files[i].field, "roster")) return &rq->files[i];
	return NULL;
}

static bool form_true(const req *rq, const char *name)
{
	const char *v = req_form(rq, name);
	return v && (str_eq(v, "1") || str_ieq(v, "true") || str_ieq(v, "on") || str_ieq(v, "yes"));
}

/* Checks the request and runs the import. false: 403 already answered. */
static bool run_import(req *rq, resp *rs, import_run *x)
{
	x->nds = import_districts(rq, x->ds);
	if (!x->nds) {
		forbidden(rq, rs);
		return false;
	}
	x->dry_run = form_true(rq, "dry_run");
	x->district = chosen_district(rq, x->ds, x->nds, &x->e);
	x->file = roster_upload(rq);
	if (!x->file)
		form_error_add(&x->e, "roster",
			       "Choose the ZIP archive of your district's OneRoster export.");
	else if (x->file->size == 0)
		form_error_add(&x->e, "roster",
			       "The file is empty (0 bytes); choose the ZIP archive of "
			       "the OneRoster export.");
	if (x->e.n) return true;
	roster_target t = {
		.district_id = x->district, .dry_run = x->dry_run, .who = rq->actor, .remote = rq->remote};
	x->plan = roster_import(rq->db, rq->a, x->file->path, &t, &x->res, &x->why);
	if (!x->plan) {
		/* The path is the server's temporary file: name the upload instead. */
		const char *tail = x->why ? strstr(x->why, x->file->path) : NULL;
		const char *name = x->file->filename && *x->file->filename ? x->file->filename : "the file";
		if (tail) x->why = arena_printf(rq->a, "%s%s", name, tail + strlen(x->file->path));
		form_error_add(&x->e, "roster", x->why ? x->why : "The file cannot be read.");
	} else if (!roster_clean(x->plan)) {
		size_t n = x->plan->problems.n + x->plan->problems.dropped;
		form_error_add(&x->e, "roster",
			       arena_printf(rq->a,
					    "The roster has %zu problem%s (listed "
					    "below); nothing was imported.",
					    n, n == 1 ? "" : "s"));
	}
	return true;
}

/*
** POST /admin/import   (multipart: roster = ZIP file, dry_run = 1, district = ID
**                       when the administrator has several districts)
** Imports a OneRoster export into the administrator's own district and
** shows the report; 400 for a missing file, 422 with the problems listed
** (file, row, column) when the roster has any, and then nothing is written.
** Administrators of the district only (REC_ROSTER_IMPORT, create).
*/
void page_import_post(req *rq, resp *rs)
{
	import_run *x = arena_alloc(rq->a, sizeof *x);
	if (!run_import(rq, rs, x)) return;
	if (x->res.store_failed) {
		resp_store_failed(rq, rs);
		return;
	}
	int status = !x->e.n ? 200 : x->plan ? 422 : 400;
	report_page(rq, rs, status, x->plan, &x->res, x->ds, x->nds, x->district, &x->e, x->dry_run);
}

static json_t *notes_json(const roster_notes *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const roster_note *n = &l->items[i];
		json_t *j = json_pack("{s:s}", "message", n->message);
		json_object_set_new(j, "file", n->file ? json_string(n->file) : json_null());
		json_object_set_new(j, "row", n->row ? json_integer((json_int_t)n->row) : json_null());
		json_object_set_new(j, "column", n->column ? json_string(n->column) : json_null());
		json_array_append_new(arr, j);
	}
	return arr;
}

static json_t *report_json(const roster_plan *p, const roster_result *r, bool dry_run)
{
	json_t *counts = json_object();
	for (int k = 0; k < RK_COUNT; k++) {
		const roster_counts *n = &r->counts[k];
		json_object_set_new(counts, roster_kind_name((roster_kind)k),
				    json_pack("{s:I, s:I, s:I, s:I}", "created", (json_int_t)n->created,
					      "updated", (json_int_t)n->updated, "deactivated",
					      (json_int_t)n->deactivated, "unchanged",
					      (json_int_t)n->unchanged));
	}
	json_t *j = json_pack("{s:b, s:b, s:o, s:I, s:I, s:I, s:o, s:o, s:I, s:I}", "applied", r->applied,
			      "dry_run", dry_run, "counts", counts, "changes", (json_int_t)total_changes(r),
			      "students", (json_int_t)p->students, "skipped", (json_int_t)p->skipped,
			      "problems", notes_json(&p->problems), "warnings", notes_json(&p->warnings),
			      "problems_not_listed", (json_int_t)p->problems.dropped, "warnings_not_listed",
			      (json_int_t)p->warnings.dropped);
	json_object_set_new(j, "version", p->version ? json_string(p->version) : json_null());
	json_object_set_new(j, "district_id",
			    r->district_id > 0 ? json_integer(r->district_id) : json_null());
	return j;
}

/*
** POST /api/imports/oneroster   (multipart: roster = ZIP file, dry_run = 1|true,
**                                district = ID when the caller has several)
** The same import as the page: 200 {applied, dry_run, version, counts:{orgs:
** {created,updated,deactivated,unchanged}, ...}, students, problems, warnings};
** 422 {"error":{code:"roster_invalid",message,field:"roster"},"report":{...}}
** when the roster has problems (nothing written); 400 for a missing or
** unreadable file. Administrators of the district only.
*/
void api_import_oneroster(req *rq, resp *rs)
{
	import_run *x = arena_alloc(rq->a, sizeof *x);
	if (!run_import(rq, rs, x)) return;
	if (x->res.store_failed) {
		resp_store_failed(rq, rs);
		return;
	}
	if (x->e.n && !x->plan) {
		resp_form_invalid(rq, rs, &x->e);
		return;
	}
	if (x->e.n) {
		const roster_note *first = x->plan->problems.n ? &x->plan->problems.items[0] : NULL;
		json_t *err = json_pack("{s:s, s:s, s:s}", "code", "roster_invalid", "message",
					first ? roster_note_text(rq->a, first) : x->e.items[0].message,
					"field", "roster");
		resp_json(rs, 422,
			  json_pack("{s:o, s:o}", "error", err, "report",
				    report_json(x->plan, &x->res, x->dry_run)));
		return;
	}
	resp_json(rs, 200, report_json(x->plan, &x->res, x->dry_run));
}

/* ---- classes ---- */

static bool may_read_class(const actor *who, const class_row *c)
{
	place pl = {.org_id = c->school_id, .district_id = c->district_id};
	record r = {.kind = REC_CLASS,
		    .places = &pl,
		    .nplaces = 1,
		    .teachers = c->teacher_ids,
		    .nteachers = c->nteachers};
	return may(who, ACT_READ, &r);
}

/* Reads ?school=ID&q=TEXT&page=N; answers 400 naming the field. */
static bool read_class_filter(req *rq, resp *rs, class_filter *f, int64_t *page)
{
	const char *school = req_query(rq, "school"), *pg = req_query(rq, "page");
	f->q = req_query(rq, "q");
	*page = 1;
	if (school && *school && !parse_i64(school, 1, INT64_MAX, &f->school_id)) {
		resp_error(rq, rs, 400, "bad_school", "school must be the id of a school", "school");
		return false;
	}
	if (pg && *pg && !parse_i64(pg, 1, MAX_PAGE, page)) {
		resp_error(rq, rs, 400, "bad_page", "page must be a number from 1", "page");
		return false;
	}
	if (f->q && strlen(f->q) > SEARCH_MAX) {
		resp_error(rq, rs, 400, "bad_query", "the search is longer than 200 characters", "q");
		return false;
	}
	return true;
}

/* The classes this person may see, a page at a time: the store filters
 * by the policy's places, and every row is checked with may() again. */
static store_rc visible_classes(req *rq, class_filter *f, int64_t page, class_row **out, size_t *n,
				bool *more)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_CLASS, &v);
	f->all = v.all || v.overflow;
	f->districts = v.districts;
	f->ndistricts = v.ndistricts;
	f->orgs = v.orgs;
	f->norgs = v.norgs;
	f->member = v.member || v.self ? rq->actor->person_id : 0;
	f->limit = CLASS_PAGE;
	f->offset = (page - 1) * CLASS_PAGE;
	class_row *list;
	size_t all;
	store_rc rc = class_list(rq->db, rq->a, f, &list, &all, more);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < all; i++)
		if (may_read_class(rq->actor, &list[i])) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

static void class_table(buf *b, const class_row *list, size_t n)
{
	html_table_open(b);
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Class</th>"
		    "<th scope=\"col\">Grade</th><th scope=\"col\">Teachers</th>"
		    "<th scope=\"col\" class=\"num\">Students</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const class_row *c = &list[i];
		html_printf(b,
			    "<tr><td>%s<br><span class=\"muted\">%s%s%s</span></td><td>%s</td><td>%s</td>"
			    "<td class=\"num\">%lld</td></tr>\n",
			    c->title, c->school, c->term ? " · " : "", c->term ? c->term : "",
			    c->grade ? c->grade : "", c->teachers ? c->teachers : "", (long long)c->students);
	}
	html_printf(b, "</tbody></table></div>\n");
}

static void class_filters(buf *b, const class_filter *f)
{
	html_printf(b,
		    "<form class=\"filters\" method=\"get\" action=\"/classes\">\n"
		    "<div class=\"field\"><label for=\"q\">Title contains</label>"
		    "<input id=\"q\" name=\"q\" type=\"search\" value=\"%s\"></div>\n"
		    "<button type=\"submit\">Show</button>\n</form>\n",
		    f->q ? f->q : "");
}

static void pager(req *rq, buf *b, const class_filter *f, int64_t page, bool more)
{
	if (page <= 1 && !more) return;
	const char *q = f->q && *f->q ? arena_printf(rq->a, "&q=%s", url_encode(rq->a, f->q)) : "";
	const char *school = f->school_id ? arena_printf(rq->a, "&school=%lld", (long long)f->school_id) : "";
	html_printf(b, "<p class=\"pager\">");
	if (page > 1)
		html_printf(b, "<a href=\"/classes?page=%lld%s%s\">Previous</a> ", (long long)page - 1, q,
			    school);
	if (more)
		html_printf(b, "<a href=\"/classes?page=%lld%s%s\">Next</a>", (long long)page + 1, q, school);
	html_printf(b, "</p>\n");
}

/*
** GET /classes?school=ID&q=TEXT&page=N
** Rostered classes this person may see (REC_CLASS, read): title, school,
** grade, teachers and the number of students, 100 to a page.
*/
void page_classes(req *rq, resp *rs)
{
	class_filter f = {0};
	int64_t page;
	if (!read_class_filter(rq, rs, &f, &page)) return;
	class_row *list;
	size_t n;
	bool more;
	if (visible_classes(rq, &f, page, &list, &n, &more) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Classes", "classes");
	layout_begin(b, &l);
	html_printf(b,
		    "<h1>Classes</h1>\n<p class=\"muted\">From the district's roster. Students are "
		    "counted, never named.</p>\n");
	class_filters(b, &f);
	if (n == 0) html_printf(b, "<p>No class to show.</p>\n");
	else class_table(b, list, n);
	pager(rq, b, &f, page, more);
	layout_end(b);
}

static json_t *class_json(const class_row *c)
{
	json_t *j = json_pack("{s:I, s:s, s:I, s:s, s:I}", "id", (json_int_t)c->id, "title", c->title,
			      "school_id", (json_int_t)c->school_id, "school", c->school, "students",
			      (json_int_t)c->students);
	json_object_set_new(j, "grade", c->grade ? json_string(c->grade) : json_null());
	json_object_set_new(j, "term", c->term ? json_string(c->term) : json_null());
	json_t *ids = json_array();
	for (size_t i = 0; i < c->nteachers; i++) json_array_append_new(ids, json_integer(c->teacher_ids[i]));
	json_object_set_new(j, "teacher_ids", ids);
	json_object_set_new(j, "teachers", c->teachers ? json_string(c->teachers) : json_null());
	return j;
}

/*
** GET /api/classes?school=ID&q=TEXT&page=N
** {"classes":[{id,title,school_id,school,grade,term,teacher_ids,teachers,students}],"more":bool}
*/
void api_classes(req *rq, resp *rs)
{
	class_filter f = {0};
	int64_t page;
	if (!read_class_filter(rq, rs, &f, &page)) return;
	class_row *list;
	size_t n;
	bool more;
	if (visible_classes(rq, &f, page, &list, &n, &more) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) json_array_append_new(arr, class_json(&list[i]));
	resp_json(rs, 200, json_pack("{s:o, s:b}", "classes", arr, "more", more));
}
