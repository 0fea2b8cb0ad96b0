/* Pages that belong to no feature. */
#include "pages.h"

#include <jansson.h>
#include <string.h>

#include "../base/log.h"
#include "../html/html.h"
#include "../html/layout.h"
#include "app.h"

/*
** GET /
** The start page. Public.
*/
void page_home(req *rq, resp *rs)
{
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Welcome", NULL);
	layout_begin(b, &l);
	html_printf(b,
		    "<h1>coachd</h1>\n"
		    "<p>Mathematics instructional coaching for districts and their partners: "
		    "the agreement and what it buys, the sessions that deliver it, coaching "
		    "cycles, learning walks and the evidence that classrooms are changing.</p>\n"
		    "<p><a class=\"button\" href=\"/orgs\">See the organizations</a></p>\n");
	layout_end(b);
}

/*
** GET /healthz
** 200 "ok" when the store answers, 503 otherwise. Public (for load
** balancers); says nothing else.
*/
void page_healthz(req *rq, resp *rs)
{
	if (store_ping(rq->db) != STORE_OK) {
		metrics_store_error(&rq->app->metrics);
		resp_text(rs, 503, "store unavailable\n");
		return;
	}
	resp_text(rs, 200, "ok\n");
}

/*
** GET /metrics
** Prometheus text format: requests by route and status, latency, store
** errors. Public: counts only, no names or content.
*/
void page_metrics(req *rq, resp *rs)
{
	resp_text(rs, 200, "");
	rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
	metrics_render(&rq->app->metrics, &rs->body);
}

/*
** GET /static/{name}
** Embedded stylesheet, script and icons, with ETag and Range. Public.
*/
void page_static(req *rq, resp *rs)
{
	const asset *as = asset_find(rq->path);
	if (!as) {
		resp_error(rq, rs, 404, "not_found", "there is no such file", NULL);
		return;
	}
	resp_static(rq, rs, as->content_type, as->data, as->len, as->etag);
}

/*
** POST /csp-report
** Browsers report Content-Security-Policy violations here (JSON). The
** report is logged, bounded, and never stored. Public.
*/
void page_csp_report(req *rq, resp *rs)
{
	json_error_t jerr;
	json_t *j = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, &jerr);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		resp_error(rq, rs, 400, "bad_json",
			   arena_printf(rq->a, "the report is not a JSON object (line %d: %s)", jerr.line,
					jerr.text),
			   NULL);
		return;
	}
	json_t *r = json_object_get(j, "csp-report");
	const char *directive = json_string_value(json_object_get(r ? r : j, "violated-directive"));
	const char *blocked = json_string_value(json_object_get(r ? r : j, "blocked-uri"));
	log_line("csp-report directive=%.80s blocked=%.200s", directive ? directive : "-",
		 blocked ? blocked : "-");
	json_decref(j);
	rs->status = 204;
}
