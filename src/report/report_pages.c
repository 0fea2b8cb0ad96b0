/* Report pages and downloads: the scope and sequence and the services
 * overview of one engagement, as a printable page (print CSS hides the
 * navigation and the download links), as JSON, and as CSV, XLSX and PDF
 * downloads, each download audited. */
#include <jansson.h>
#include <string.h>

#include "../access/policy.h"
#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "report.h"

typedef enum report_kind { REPORT_SCOPE, REPORT_SERVICES } report_kind;

typedef struct report_def {
	const char *slug;  /* in the address */
	const char *audit; /* audit action of a download */
	const char *heading;
} report_def;

static const report_def defs[] = {
	[REPORT_SCOPE] = {"scope-and-sequence", "export.scope_sequence", "Scope and sequence"},
	[REPORT_SERVICES] = {"services-overview", "export.services_overview", "Services overview"},
};

/* Every report comes as each of these files. */
static const char *const downloads[] = {"csv", "xlsx", "pdf"};

static record engagement_rec(record_kind kind, const report_engagement *e, place p[2])
{
	p[0] = (place){e->district_id, e->district_id, 0};
	p[1] = (place){e->partner_id, 0, e->partner_id};
	return (record){.kind = kind, .places = p, .nplaces = 2};
}

/* Loads {id} and checks may(EXPORT): a report is an export of the
 * engagement, on a page or in a file. */
static bool report_load(req *rq, resp *rs, report_engagement *e)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found;
	if (report_engagement_get(rq->db, rq->a, id, e, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	place p[2];
	record r = engagement_rec(REC_ENGAGEMENT, e, p);
	if (!found || !may(rq->actor, ACT_READ, &r)) {
		/* Those who may not read it learn nothing of it, not even that it exists. */
		resp_error(rq, rs, 404, "not_found", "there is no such engagement", NULL);
		return false;
	}
	if (!may(rq->actor, ACT_EXPORT, &r)) {
		resp_error(rq, rs, 403, "forbidden", "you may not export reports of this engagement", NULL);
		return false;
	}
	return true;
}

static bool may_money(req *rq, const report_engagement *e)
{
	place p[2];
	record r = engagement_rec(REC_MONEY, e, p);
	return may(rq->actor, ACT_READ, &r);
}

static store_rc report_build(req *rq, report_kind k, const report_engagement *e, report_table *t)
{
	return k == REPORT_SCOPE ? scope_sequence_build(rq->db, rq->a, e, t)
				 : services_overview_build(rq->db, rq->a, e, may_money(rq, e), t);
}

/* ---- the page ---- */

static void report_html(buf *b, report_kind k, const report_engagement *e, const report_table *t)
{
	html_printf(b, "<p class=\"muted\"><a href=\"/engagements/%lld\">%s</a></p>\n", (long long)e->id,
		    e->title);
	html_printf(b, "<h1>%s</h1>\n<p>%s</p>\n", t->title, t->subtitle);
	html_printf(b, "<p class=\"actions\">Download: ");
	for (size_t i = 0; i < COUNT_OF(downloads); i++) {
		const report_format *f = report_format_named(downloads[i]);
		html_printf(b, "%s<a href=\"/engagements/%lld/%s?format=%s\" download>%s</a>", i ? " · " : "",
			    (long long)e->id, defs[k].slug, f->format, f->ext);
	}
	html_printf(b, "</p>\n");
	if (!t->nrows) {
		html_printf(b, "<p>This engagement has no sessions yet.</p>\n");
		return;
	}
	html_table_open(b);
	html_printf(b, "\n<caption>%s</caption>\n<thead><tr>", defs[k].heading);
	for (size_t c = 0; c < t->ncols; c++) html_printf(b, "<th scope=\"col\">%s</th>", t->headers[c]);
	html_printf(b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < t->nrows; r++) {
		html_printf(b, "<tr>");
		for (size_t c = 0; c < t->ncols; c++)
			html_printf(b, c == 0 ? "<th scope=\"row\">%s</th>" : "<td>%s</td>",
				    t->cells[r * t->ncols + c]);
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
	for (size_t i = 0; i < COUNT_OF(t->notes) && t->notes[i]; i++)
		html_printf(b, "<p class=\"muted\">%s</p>\n", t->notes[i]);
}

/* ---- downloads ---- */

static void send_download(req *rq, resp *rs, report_kind k, const report_engagement *e, const report_table *t,
			  const report_format *f)
{
	report_audit audit = {REC_ENGAGEMENT, defs[k].audit, e->id, e->district_id, f->format};
	report_download(rq, rs, t, f, &audit);
}

/* ---- the handlers ---- */

static void report_answer(req *rq, resp *rs, report_kind k)
{
	const char *format = req_query(rq, "format");
	const report_format *d = NULL;
	if (format && *format && strcmp(format, "html") && !(d = report_format_named(format))) {
		resp_error(rq, rs, 400, "bad_format", "format must be csv, xlsx, pdf or html", "format");
		return;
	}
	report_engagement e;
	if (!report_load(rq, rs, &e)) return;
	report_table t;
	if (report_build(rq, k, &e, &t) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (d) {
		send_download(rq, rs, k, &e, &t, d);
		return;
	}
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, defs[k].heading, "engagements");
	layout_begin(b, &l);
	report_html(b, k, &e, &t);
	layout_end(b);
}

/*
** GET /engagements/{id}/scope-and-sequence?format=csv|xlsx|pdf|html
** The engagement's scope and sequence, generated from its sessions: a
** printable page, or a download (audited "export.scope_sequence").
** Permissions: may(EXPORT, engagement); those who may not read it get 404.
*/
void page_scope_sequence(req *rq, resp *rs)
{
	report_answer(rq, rs, REPORT_SCOPE);
}

/*
** GET /engagements/{id}/services-overview?format=csv|xlsx|pdf|html
** The engagement's services overview; the cost band only for those who
** may(READ, money). Downloads are audited "export.services_overview".
** Permissions: may(EXPORT, engagement); those who may not read it get 404.
*/
void page_services_overview(req *rq, resp *rs)
{
	report_answer(rq, rs, REPORT_SERVICES);
}

static void api_report(req *rq, resp *rs, report_kind k)
{
	report_engagement e;
	if (!report_load(rq, rs, &e)) return;
	report_table t;
	if (report_build(rq, k, &e, &t) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	json_t *headers = json_array(), *rows = json_array(), *notes = json_array();
	for (size_t c = 0; c < t.ncols; c++) json_array_append_new(headers, json_string(t.headers[c]));
	for (size_t r = 0; r < t.nrows; r++) {
		json_t *row = json_array();
		for (size_t c = 0; c < t.ncols; c++)
			json_array_append_new(row, json_string(t.cells[r * t.ncols + c]));
		json_array_append_new(rows, row);
	}
	for (size_t i = 0; i < COUNT_OF(t.notes) && t.notes[i]; i++)
		json_array_append_new(notes, json_string(t.notes[i]));
	/* The API hands out the report's data as a download does: on record. */
	report_audit audit = {REC_ENGAGEMENT, defs[k].audit, e.id, e.district_id, "json"};
	if (!report_export_recorded(rq, rs, &audit)) {
		json_decref(headers);
		json_decref(rows);
		json_decref(notes);
		return;
	}
	resp_json(rs, 200,
		  json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "engagement_id", (json_int_t)e.id, "title",
			    t.title, "subtitle", t.subtitle, "headers", headers, "rows", rows, "notes",
			    notes));
}

/*
** GET /api/engagements/{id}/scope-and-sequence
** The scope and sequence as {title, subtitle, headers, rows, notes};
** audited "export.scope_sequence" (format json) as a download is.
** Permissions: may(EXPORT, engagement).
*/
void api_scope_sequence(req *rq, resp *rs)
{
	api_report(rq, rs, REPORT_SCOPE);
}

/*
** GET /api/engagements/{id}/services-overview
** The services overview as {title, subtitle, headers, rows, notes};
** audited "export.services_overview" (format json) as a download is.
** Permissions: may(EXPORT, engagement); the cost band only with may(READ, money).
*/
void api_services_overview(req *rq, resp *rs)
{
	api_report(rq, rs, REPORT_SERVICES);
}
