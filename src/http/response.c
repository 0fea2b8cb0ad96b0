/* Response helpers: the one error shape, JSON, text, redirects, static
 * assets with ETags and files with byte ranges. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/util.h"
#include "../html/html.h"
#include "../html/layout.h"
#include "http.h"

void resp_header_add(resp *rs, const char *name, const char *value)
{
	if (NEVER(rs->nheaders >= COUNT_OF(rs->headers))) return;
	rs->headers[rs->nheaders++] = (resp_header){name, value};
}

buf *resp_html(resp *rs, int status)
{
	rs->status = status;
	rs->content_type = "text/html; charset=utf-8";
	buf_reset(&rs->body);
	buf_reserve(&rs->body, 16 * 1024); /* most pages fit without a realloc */
	return &rs->body;
}

void resp_text(resp *rs, int status, const char *text)
{
	rs->status = status;
	rs->content_type = "text/plain; charset=utf-8";
	buf_reset(&rs->body);
	buf_puts(&rs->body, text);
}

void resp_json_text(resp *rs, int status, const char *json)
{
	rs->status = status;
	rs->content_type = "application/json";
	buf_reset(&rs->body);
	buf_puts(&rs->body, json);
}

void resp_json(resp *rs, int status, json_t *j)
{
	rs->status = status;
	rs->content_type = "application/json";
	buf_reset(&rs->body);
	char *text = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(j);
	if (text) {
		buf_puts(&rs->body, text);
		buf_putc(&rs->body, '\n');
	}
	free(text);
}

void resp_redirect(resp *rs, int status, const char *location)
{
	rs->status = status;
	rs->content_type = "text/plain; charset=utf-8";
	buf_reset(&rs->body);
	resp_header_add(rs, "Location", location);
}

void resp_error(req *rq, resp *rs, int status, const char *code, const char *message, const char *field)
{
	if (rq->api) {
		json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
		if (field) json_object_set_new(e, "field", json_string(field));
		resp_json(rs, status, json_pack("{s:o}", "error", e));
		return;
	}
	buf *b = resp_html(rs, status);
	const char *title = status == 404 ? "Not found"
		: status == 403           ? "Not allowed"
		: status >= 500           ? "Something went wrong"
					  : "That did not work";
	layout l = {.title = title};
	layout_begin(b, &l);
	html_printf(b, "<h1>%s</h1>\n<p class=\"error-message\">%s</p>\n", title, message);
	if (field) html_printf(b, "<p>Field: <code>%s</code></p>\n", field);
	html_printf(b, "<p><a href=\"/\">Back to the start page</a></p>\n");
	layout_end(b);
}

/* Applies a Range header to a resource of size total: sets status and the
 * window [*off, *off + *len). False when the range cannot be satisfied
 * (the response is then a complete 416). */
static bool apply_range(req *rq, resp *rs, uint64_t total, uint64_t *off, uint64_t *len)
{
	resp_header_add(rs, "Accept-Ranges", "bytes");
	unsigned long long first = 0, last = 0;
	int r = parse_range(req_header(rq, "Range"), total, &first, &last);
	if (r < 0) {
		rs->status = 416;
		rs->content_type = "text/plain; charset=utf-8";
		resp_header_add(rs, "Content-Range",
				arena_printf(rq->a, "bytes */%llu", (unsigned long long)total));
		return false;
	}
	if (r == 0) {
		rs->status = 200;
		*off = 0;
		*len = total;
		return true;
	}
	rs->status = 206;
	*off = first;
	*len = last - first + 1;
	resp_header_add(rs, "Content-Range",
			arena_printf(rq->a, "bytes %llu-%llu/%llu", first, last, (unsigned long long)total));
	return true;
}

static bool not_modified(req *rq, resp *rs, const char *etag)
{
	const char *inm = req_header(rq, "If-None-Match");
	if (!etag || !inm) return false;
	if (strcmp(inm, "*") != 0 && !strstr(inm, etag)) return false;
	rs->status = 304;
	resp_header_add(rs, "ETag", etag);
	return true;
}

void resp_static(req *rq, resp *rs, const char *content_type, const void *data, size_t len, const char *etag)
{
	resp_header_add(rs, "Cache-Control", "public, max-age=300");
	if (not_modified(rq, rs, etag)) return;
	if (etag) resp_header_add(rs, "ETag", etag);
	uint64_t off = 0, n = 0;
	if (!apply_range(rq, rs, len, &off, &n)) return;
	rs->content_type = content_type;
	rs->data = (const char *)data + off;
	rs->data_len = (size_t)n;
}

void resp_file(req *rq, resp *rs, const char *content_type, int fd, uint64_t size, const char *etag)
{
	if (not_modified(rq, rs, etag)) {
		close(fd);
		return;
	}
	if (etag) resp_header_add(rs, "ETag", etag);
	uint64_t off = 0, n = 0;
	if (!apply_range(rq, rs, size, &off, &n)) {
		close(fd);
		return;
	}
	rs->content_type = content_type;
	rs->fd = fd;
	rs->file_offset = off;
	rs->file_len = n;
}
