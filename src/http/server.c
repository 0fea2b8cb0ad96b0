/* The libmicrohttpd adapter: turns MHD's callbacks into one parsed, bounded
 * req for a handler and sends its resp once, refuses what is too large at
 * once, and tells the connection guard what each connection is doing.
 * Nothing outside this file sees libmicrohttpd. */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "../base/log.h"
#include "../base/util.h"

/* Security headers sent with every response. No inline script or style is
 * allowed anywhere, so the policy can be strict. */
static const resp_header security_headers[] = {
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self'; style-src 'self'; "
	 "img-src 'self' data:; media-src 'self'; object-src 'none'; "
	 "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
	 "report-uri /csp-report"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
};

/* libmicrohttpd 0.9.75 keeps a connection's request line and headers, the
 * lists it parses out of them (one 64-byte entry per header field and per
 * cookie, plus a copy of the Cookie header) and then the response's
 * headers in one pool per connection. When a request fills the pool, the
 * library either refuses it itself (431/414 with its own small page) or,
 * in some paths, queues a refusal its state machine then loses, or cannot
 * build any response at all. So the limits below are checked before a
 * handler runs, with our own error shape, and they keep room in the pool
 * for whatever response follows. */
enum {
	POOL_BYTES = 32 * 1024,
	MAX_URI_BYTES = 8 * 1024,      /* 414 beyond */
	MAX_HEAD_BYTES = 16 * 1024,    /* request line and headers; 431 beyond */
	MAX_HEADER_FIELDS = 100,       /* 431 beyond */
	POOL_ENTRY_BYTES = 72,         /* a parsed field or cookie: 64, and a margin */
	RESPONSE_HEAD_ROOM = 4 * 1024, /* our headers, Set-Cookie, Location... */
	REFUSAL_HEAD_ROOM = 1536       /* the least a refusal's headers need */
};

/* How long stopping waits for requests being handled. */
enum { STOP_WAIT_MS = 10000 };

typedef enum body_kind { BODY_NONE, BODY_BUFFER, BODY_URLENCODED, BODY_MULTIPART } body_kind;

/* One request from first byte to last, with everything it owns. */
typedef struct exchange {
	arena *a;
	struct server *srv;
	const server_config *cfg;
	req rq;
	resp rs;
	const char *raw_uri;
	guarded *conn; /* this connection in the guard; NULL if unguarded */
	int route_index;
	bool started;
	bool counted; /* in server.in_flight: headers in, not yet completed */
	bool responded;
	bool refused; /* authenticate() filled the response already */
	bool close;   /* answer with Connection: close */
	/* An error found while the body was still arriving; sent at the end
	 * because MHD cannot queue a response in the middle of a body. */
	int fail_status;
	const char *fail_code;
	const char *fail_msg;
	body_kind body;
	buf data;
	size_t cap;
	uint64_t received;
	multipart *mp;
	upload *files;
	size_t nfiles, files_cap;
	int file_fd;
	uint64_t file_bytes;
	int status;
	uint64_t bytes;
	uint64_t t0;
} exchange;

/* An answer the connection guard writes itself (408, 503): built once at
 * start, in the one error shape, with the security headers. */
typedef struct canned {
	char *head; /* status line and headers but Date */
	size_t head_len;
	char *body;
	size_t body_len;
} canned;

/* State shared by all worker threads: read-only but for the atomics and
 * what the guard keeps under its own lock. */
typedef struct server {
	const server_config *cfg;
	atomic_int in_flight; /* requests being handled: headers in, not completed */
	atomic_bool stopping;
	guard *guard;
	canned timeout[2];         /* 408, [api] */
	canned stopping_answer[2]; /* 503, [api] */
} server;

/* ---- request accessors (declared in http.h) ---- */

const char *req_header(const req *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* ---- failures noticed while receiving ---- */

static void fail(exchange *x, int status, const char *code, const char *msg)
{
	if (x->fail_status) return; /* the first problem is the one to report */
	x->fail_status = status;
	x->fail_code = code;
	x->fail_msg = msg;
	buf_free(&x->data);
	if (x->file_fd >= 0) {
		close(x->file_fd);
		x->file_fd = -1;
	}
}

/* ---- answers written straight to the socket ---- */

/* The status line and headers of a response that closes its connection,
 * but Date (see write_now); malloc'd. */
static char *closing_head(int status, const char *content_type, size_t body_len, size_t *len)
{
	buf b = BUF_INIT;
	const char *reason = MHD_get_reason_phrase_for((unsigned)status);
	buf_printf(&b,
		   "HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Type: %s\r\n"
		   "Content-Length: %zu\r\nCache-Control: no-store\r\n",
		   status, reason && *reason ? reason : "Error", content_type, body_len);
	for (size_t i = 0; i < COUNT_OF(security_headers); i++)
		buf_printf(&b, "%s: %s\r\n", security_headers[i].name, security_headers[i].value);
	*len = b.len;
	return b.data;
}

/* Writes a response without blocking: a refusal or a timeout, after which
 * the connection closes, so what the socket cannot take at once is
 * dropped rather than waited for. */
static void write_now(int fd, const char *head, size_t head_len, const char *body, size_t body_len)
{
	char date[64];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	size_t date_len = strftime(date, sizeof date, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n\r\n", &tm);
	struct iovec iov[3] = {{(void *)head, head_len}, {date, date_len}, {(void *)body, body_len}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 3};
	while (sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno == EINTR) {
	}
}

/* Builds, once at start, an answer in the one error shape that the
 * connection guard can write from its own thread with no request at hand. */
static void can(canned *c, int status, bool api, const char *code, const char *message)
{
	arena *a = arena_new();
	req rq = {.a = a, .api = api, .path = "/"};
	resp rs = {.fd = -1};
	resp_error(&rq, &rs, status, code, message, NULL);
	c->body = rs.body.data;
	c->body_len = rs.body.len;
	c->head = closing_head(status, rs.content_type, c->body_len, &c->head_len);
	arena_free(a);
}

static void uncan(canned *c)
{
	free(c->head);
	free(c->body);
}

/* The guard's answer before it closes a connection (guard_answer_fn). */
static void guard_answer(void *ctx, int fd, int status, bool api)
{
	struct server *srv = ctx;
	const canned *c = status == 503 ? &srv->stopping_answer[api] : &srv->timeout[api];
	write_now(fd, c->head, c->head_len, c->body, c->body_len);
}

/* ---- refusals before anything reads the request ---- */

/* Whether a raw request target is under /api/, whose errors are JSON;
 * known before the path is decoded (the guard's 408 needs it too). */
static bool names_api(const char *uri)
{
	return str_starts(uri, "/api/") || str_starts(uri, "/api?") || strcmp(uri, "/api") == 0;
}

typedef struct field_count {
	size_t fields, cookies;
} field_count;

static enum MHD_Result count_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)key;
	(void)value;
	field_count *n = cls;
	if (kind == MHD_COOKIE_KIND) n->cookies++;
	else n->fields++;
	return MHD_YES;
}

/* Checks the address and headers against the limits above and fails x
 * when they are over; *pool_used is what the request takes of MHD's pool
 * (an upper estimate), so the caller knows whether a refusal still fits. */
static void check_head(exchange *x, struct MHD_Connection *c, size_t *pool_used)
{
	size_t uri_len = strlen(x->raw_uri);
	const union MHD_ConnectionInfo *hs =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	size_t head = hs ? hs->header_size : uri_len;
	field_count n = {0};
	MHD_get_connection_values(c, (enum MHD_ValueKind)(MHD_HEADER_KIND | MHD_COOKIE_KIND), count_field,
				  &n);
	const char *cookie = req_header(&x->rq, "Cookie");
	size_t used = head + (cookie ? strlen(cookie) + 16 : 0) + POOL_ENTRY_BYTES * (n.fields + n.cookies);
	*pool_used = used;
	if (uri_len > MAX_URI_BYTES)
		fail(x, 414, "uri_too_long",
		     arena_printf(x->a, "the address is longer than the %d bytes this server accepts",
				  MAX_URI_BYTES));
	else if (head > MAX_HEAD_BYTES)
		fail(x, 431, "headers_too_large",
		     arena_printf(x->a,
				  "the request line and headers are larger than the %d bytes "
				  "this server accepts",
				  MAX_HEAD_BYTES));
	else if (n.fields > MAX_HEADER_FIELDS)
		fail(x, 431, "headers_too_large",
		     arena_printf(x->a, "the request has more than %d header fields", MAX_HEADER_FIELDS));
	/* A redirect can carry the address back (sign-in's next=), encoded:
	 * room for it twice over, besides the other headers. */
	else if (used + RESPONSE_HEAD_ROOM + 2 * uri_len > POOL_BYTES)
		fail(x, 431, "headers_too_large",
		     arena_printf(x->a,
				  "the request's %zu header fields and %zu cookies in %zu bytes "
				  "are more than this server accepts",
				  n.fields, n.cookies, head));
}

/* Refuses at once what must not reach a handler: a request arriving while
 * the server stops, on a connection admitted over the limit, or over the
 * size limits. True when x now holds the refusal (and will close). */
static bool refuse_early(exchange *x, struct MHD_Connection *c, size_t *pool_used)
{
	x->rq.api = names_api(x->raw_uri);
	check_head(x, c, pool_used);
	if (!x->fail_status && atomic_load(&x->srv->stopping))
		fail(x, 503, "stopping", "the server is stopping; try again in a moment");
	if (!x->fail_status && guarded_refused(x->conn))
		fail(x, 503, "busy", "the server has too many connections open; try again in a moment");
	if (!x->fail_status) return false;
	x->close = true;
	resp_error(&x->rq, &x->rs, x->fail_status, x->fail_code, x->fail_msg, NULL);
	return true;
}

/* MHD's pool is too full to build even a refusal's headers (it would
 * close the connection without a word): the refusal goes straight to the
 * socket, and returning MHD_NO then closes the connection. */
static enum MHD_Result refuse_directly(exchange *x, struct MHD_Connection *c)
{
	resp *rs = &x->rs;
	const union MHD_ConnectionInfo *fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (fi) {
		size_t head_len;
		char *head = closing_head(rs->status, rs->content_type, rs->body.len, &head_len);
		write_now(fi->connect_fd, head, head_len, rs->body.data, rs->body.len);
		free(head);
		shutdown(fi->connect_fd, SHUT_WR);
	}
	x->status = rs->status;
	x->bytes = rs->body.len;
	x->responded = true;
	return MHD_NO;
}

/* ---- multipart file sink: stream each file part to its own temp file ---- */

static int sink_file_begin(void *ctx, const char *field, const char *filename, const char *content_type)
{
	exchange *x = ctx;
	const route *rt = &x->cfg->routes[x->route_index];
	if (!(rt->flags & ROUTE_FILES)) {
		fail(x, 400, "files_not_accepted", "this form does not take files");
		return 1;
	}
	if (x->nfiles == x->files_cap) {
		size_t cap = x->files_cap ? x->files_cap * 2 : 4;
		upload *u = arena_calloc(x->a, cap, sizeof *u);
		if (x->nfiles) memcpy(u, x->files, x->nfiles * sizeof *u);
		x->files = u;
		x->files_cap = cap;
	}
	char *path = arena_printf(x->a, "%s/coachd-upload-XXXXXX", x->cfg->upload_dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		log_line("upload: cannot create a file in %s: %s", x->cfg->upload_dir, strerror(errno));
		fail(x, 500, "upload_failed", "the upload could not be stored");
		return 1;
	}
	x->files[x->nfiles++] = (upload){.field = arena_strdup(x->a, field),
					 .filename = arena_strdup(x->a, filename),
					 .content_type = arena_strdup(x->a, content_type),
					 .path = path};
	x->file_fd = fd;
	return 0;
}

static int sink_file_data(void *ctx, const char *data, size_t len)
{
	exchange *x = ctx;
	if (x->file_fd < 0) return 1;
	x->file_bytes += len;
	if (x->file_bytes > x->cfg->max_upload) {
		fail(x, 413, "too_large", "the uploaded files are larger than this server accepts");
		return 1;
	}
	upload *u = &x->files[x->nfiles - 1];
	while (len) {
		ssize_t w = write(x->file_fd, data, len);
		if (w < 0 && errno == EINTR) continue;
		if (w <= 0) {
			log_line("upload: write failed: %s", strerror(errno));
			fail(x, 500, "upload_failed", "the upload could not be stored");
			return 1;
		}
		data += w;
		len -= (size_t)w;
		u->size += (uint64_t)w;
	}
	return 0;
}

static int sink_file_end(void *ctx)
{
	exchange *x = ctx;
	if (x->file_fd >= 0) close(x->file_fd);
	x->file_fd = -1;
	return 0;
}

static const char *sink_error(void *ctx)
{
	exchange *x = ctx;
	return x->fail_msg ? x->fail_msg : "the upload was refused";
}

/* ---- the beginning of a request: address, route, body plan ---- */

/* Matches the raw (still percent-encoded) path, so that route_match decodes
 * each parameter once and an encoded "/" cannot split a segment. */
static int find_route(exchange *x, const char *raw_path, const char *method, const char **allow)
{
	const server_config *cfg = x->cfg;
	bool head = strcmp(method, "HEAD") == 0;
	char *allowed = NULL;
	for (size_t i = 0; i < cfg->nroutes; i++) {
		route_params p = {0};
		if (!route_match(x->a, cfg->routes[i].pattern, raw_path, &p)) continue;
		const char *m = cfg->routes[i].method;
		if (strcmp(m, method) == 0 || (head && strcmp(m, "GET") == 0)) {
			x->rq.params = p;
			return (int)i;
		}
		allowed = allowed ? arena_printf(x->a, "%s, %s", allowed, m) : arena_strdup(x->a, m);
	}
	*allow = allowed;
	return ROUTE_NONE;
}

static bool content_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncasecmp(ct, want, n) == 0 && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' ');
}

/* Decides how the body will be read, or fails the exchange. */
static void plan_body(exchange *x, unsigned flags)
{
	const char *cl = req_header(&x->rq, "Content-Length");
	const char *te = req_header(&x->rq, "Transfer-Encoding");
	int64_t length = 0;
	if (cl && !parse_i64(cl, 0, INT64_MAX, &length)) {
		fail(x, 400, "bad_request", "Content-Length is not a number");
		return;
	}
	/* Any other coding leaves the body's end unknowable (RFC 9112 6.1):
	 * refuse now rather than read until the client gives up. */
	if (te && strcasecmp(te, "chunked") != 0) {
		x->close = true;
		fail(x, 400, "bad_request",
		     arena_printf(x->a,
				  "Transfer-Encoding %s is not supported; send Content-Length or "
				  "chunked",
				  te));
		return;
	}
	if (length == 0 && !te) return;
	const char *ct = x->rq.content_type;
	if (content_type_is(ct, "multipart/form-data") && (flags & (ROUTE_FORM | ROUTE_FILES))) {
		const char *boundary = mp_boundary(x->a, ct);
		if (!boundary) {
			fail(x, 400, "bad_multipart", "multipart body without a valid boundary");
			return;
		}
		static const mp_sink sink = {NULL, sink_file_begin, sink_file_data, sink_file_end,
					     sink_error};
		mp_sink *s = arena_alloc(x->a, sizeof *s);
		*s = sink;
		s->ctx = x;
		x->mp = mp_new(x->a, boundary, x->cfg->max_form, s);
		x->body = BODY_MULTIPART;
		x->cap = (flags & ROUTE_FILES) ? x->cfg->max_upload + x->cfg->max_form : x->cfg->max_form;
	} else if (content_type_is(ct, "application/x-www-form-urlencoded") && (flags & ROUTE_FORM)) {
		x->body = BODY_URLENCODED;
		x->cap = x->cfg->max_form;
	} else if (content_type_is(ct, "application/json") && (flags & ROUTE_JSON)) {
		x->body = BODY_BUFFER;
		x->cap = x->cfg->max_json;
	} else if (flags & ROUTE_RAW) {
		x->body = BODY_BUFFER;
		x->cap = x->cfg->max_json;
	} else if (flags & (ROUTE_FORM | ROUTE_FILES | ROUTE_JSON)) {
		fail(x, 415, "unsupported_media_type",
		     arena_printf(x->a, "this address does not accept %s",
				  ct && *ct ? ct : "a body without Content-Type"));
		return;
	} else {
		fail(x, 415, "unsupported_media_type", "this address does not take a request body");
		return;
	}
	if ((uint64_t)length > x->cap)
		fail(x, 413, "too_large",
		     arena_printf(x->a, "the request body is larger than the %zu bytes this address accepts",
				  x->cap));
}

/* Every X-Forwarded-For header of a request, in order, joined with ",". */
typedef struct forwarded {
	arena *a;
	const char *joined;
} forwarded;

static enum MHD_Result join_forwarded(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	forwarded *f = cls;
	if (!key || !value || strcasecmp(key, "X-Forwarded-For") != 0) return MHD_YES;
	f->joined = f->joined ? arena_printf(f->a, "%s,%s", f->joined, value) : value;
	return MHD_YES;
}

/* The client's address: the peer's, or when the peer is a trusted proxy,
 * the one its X-Forwarded-For vouches for. Anyone else's X-Forwarded-For
 * is ignored, or any client could write its own audit trail. */
static const char *client_address(exchange *x, struct MHD_Connection *c)
{
	net_addr peer;
	const net_addr *p = guarded_peer(x->conn);
	if (!p) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (!ci || !net_addr_from_sockaddr(ci->client_addr, &peer)) return "?";
		p = &peer;
	}
	char text[NET_ADDR_TEXT];
	if (guarded_from_proxy(x->conn)) {
		forwarded f = {x->a, NULL};
		MHD_get_connection_values(c, MHD_HEADER_KIND, join_forwarded, &f);
		net_addr client;
		if (forwarded_client(x->cfg->trusted_proxies, x->cfg->ntrusted_proxies, f.joined, &client)) {
			net_addr_format(&client, text);
			return arena_strdup(x->a, text);
		}
	}
	net_addr_format(p, text);
	return arena_strdup(x->a, text);
}

static void begin(exchange *x, struct MHD_Connection *c, const char *method)
{
	req *rq = &x->rq;
	rq->conn = c;
	rq->method = arena_strdup(x->a, method);
	rq->remote = client_address(x, c);
	rq->content_type = req_header(rq, "Content-Type");

	const char *uri = x->raw_uri ? x->raw_uri : "/";
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : strlen(uri);
	rq->path = url_decode(x->a, uri, plen, false);
	if (!rq->path || rq->path[0] != '/') {
		rq->path = "/";
		fail(x, 400, "bad_request", "the address has a bad percent-escape");
		return;
	}
	rq->api = str_starts(rq->path, "/api/") || strcmp(rq->path, "/api") == 0;
	if (q) {
		const char *msg = parse_urlencoded(x->a, q + 1, strlen(q + 1), &rq->query);
		if (msg) {
			fail(x, 400, "bad_query", arena_printf(x->a, "query string: %s", msg));
			return;
		}
	}
	const char *cookie = req_header(rq, "Cookie");
	if (cookie) {
		const char *msg = parse_cookies(x->a, cookie, &rq->cookies);
		if (msg) {
			fail(x, 400, "bad_cookie", msg);
			return;
		}
	}
	const char *allow = NULL;
	x->route_index = find_route(x, arena_strndup(x->a, uri, plen), method, &allow);
	if (x->route_index == ROUTE_NONE) {
		if (allow) {
			resp_header_add(&x->rs, "Allow", allow);
			fail(x, 405, "method_not_allowed",
			     arena_printf(x->a, "%s is not allowed here; use %s", method, allow));
		} else {
			fail(x, 404, "not_found", "there is nothing at this address");
		}
		return;
	}
	const route *rt = &x->cfg->routes[x->route_index];
	rq->db = x->cfg->thread_store(x->cfg->app);
	if (!rq->db) {
		if (x->cfg->metrics) metrics_store_error(x->cfg->metrics);
		fail(x, 503, "store_unavailable", "the store is unavailable; try again shortly");
		return;
	}
	if (x->cfg->authenticate) {
		x->cfg->authenticate(rt, rq, &x->rs);
		if (x->rs.status) {
			x->refused = true;
			return;
		}
	}
	plan_body(x, rt->flags);
}

/* ---- the body, chunk by chunk ---- */

static void receive(exchange *x, const char *data, size_t len)
{
	x->received += len;
	if (x->fail_status) return; /* drained and dropped */
	if (x->body == BODY_NONE) {
		fail(x, 415, "unsupported_media_type", "this address does not take a request body");
		return;
	}
	if (x->received > x->cap) {
		fail(x, 413, "too_large",
		     arena_printf(x->a, "the request body is larger than the %zu bytes this address accepts",
				  x->cap));
		return;
	}
	if (x->body == BODY_MULTIPART) {
		const char *msg = mp_feed(x->mp, data, len);
		if (msg && !x->fail_status) fail(x, 400, "bad_multipart", msg);
		return;
	}
	buf_append(&x->data, data, len);
}

/* Turns the received body into form fields or a raw body. */
static void complete_body(exchange *x)
{
	req *rq = &x->rq;
	if (x->body == BODY_MULTIPART) {
		const char *msg = mp_finish(x->mp);
		if (msg) {
			fail(x, 400, "bad_multipart", msg);
			return;
		}
		rq->form = *mp_fields(x->mp);
		rq->files = x->files;
		rq->nfiles = x->nfiles;
	} else if (x->body == BODY_URLENCODED) {
		const char *msg = parse_urlencoded(x->a, buf_cstr(&x->data), x->data.len, &rq->form);
		if (msg) fail(x, 400, "bad_form", arena_printf(x->a, "form: %s", msg));
	} else if (x->body == BODY_BUFFER) {
		rq->body = arena_strndup(x->a, buf_cstr(&x->data), x->data.len);
		rq->body_len = x->data.len;
	}
}

/* ---- sending ---- */

static enum MHD_Result send_response(exchange *x, struct MHD_Connection *c)
{
	resp *rs = &x->rs;
	struct MHD_Response *r;
	if (rs->fd >= 0) {
		r = MHD_create_response_from_fd_at_offset64(rs->file_len, rs->fd, rs->file_offset);
		rs->fd = -1; /* MHD closes it */
		x->bytes = rs->file_len;
	} else if (rs->data) {
		r = MHD_create_response_from_buffer(rs->data_len, (void *)rs->data, MHD_RESPMEM_PERSISTENT);
		x->bytes = rs->data_len;
	} else {
		x->bytes = rs->body.len;
		r = MHD_create_response_from_buffer_with_free_callback(rs->body.len, rs->body.data, free);
		rs->body.data = NULL; /* MHD frees it */
		rs->body.len = rs->body.cap = 0;
	}
	if (!r) return MHD_NO;
	if (rs->content_type) MHD_add_response_header(r, "Content-Type", rs->content_type);
	bool cache_set = false;
	for (size_t i = 0; i < rs->nheaders; i++) {
		MHD_add_response_header(r, rs->headers[i].name, rs->headers[i].value);
		if (strcasecmp(rs->headers[i].name, "Cache-Control") == 0) cache_set = true;
	}
	/* Pages can hold confidential coaching content: never cached unless a
	 * handler says otherwise (static assets do). */
	if (!cache_set) MHD_add_response_header(r, "Cache-Control", "no-store");
	for (size_t i = 0; i < COUNT_OF(security_headers); i++)
		MHD_add_response_header(r, security_headers[i].name, security_headers[i].value);
	/* Once stopping, no connection is kept for another request. */
	if (x->close || atomic_load(&x->srv->stopping)) MHD_add_response_header(r, "Connection", "close");
	x->status = rs->status ? rs->status : 200;
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)x->status, r);
	MHD_destroy_response(r);
	x->responded = true;
	return ok;
}

static void dispatch(exchange *x)
{
	const server_config *cfg = x->cfg;
	const route *rt = &cfg->routes[x->route_index];
	if (cfg->guard) {
		cfg->guard(rt, &x->rq, &x->rs);
		if (x->rs.status) return;
	}
	rt->handler(&x->rq, &x->rs);
	if (!x->rs.status) x->rs.status = 200;
}

static enum MHD_Result finish(exchange *x, struct MHD_Connection *c)
{
	if (!x->fail_status) complete_body(x);
	if (x->fail_status) resp_error(&x->rq, &x->rs, x->fail_status, x->fail_code, x->fail_msg, NULL);
	else dispatch(x);
	return send_response(x, c);
}

/* ---- MHD callbacks ---- */

static guarded *guarded_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* A connection opens or closes: the guard registers it (making room if
 * the server is full) and forgets it. MHD says "closed" before it closes
 * the socket (MHD_cleanup_connections in 0.9.75), and the guard forgets
 * under the lock it holds while shutting sockets down, so the guard never
 * touches an fd number that has been reused. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	server *srv = cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		guard_forget(srv->guard, *socket_context);
		*socket_context = NULL;
		return;
	}
	const union MHD_ConnectionInfo *fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *ai = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!fi) return;
	guarded *g = guard_admit(srv->guard, fi->connect_fd, ai ? ai->client_addr : NULL, guard_now_ms());
	/* Unguarded would mean unlimited: close it instead. */
	if (!g) shutdown(fi->connect_fd, SHUT_RDWR);
	*socket_context = g;
}

/* The request line is in; the headers may still be arriving. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	server *srv = cls;
	arena *a = arena_new();
	exchange *x = arena_alloc(a, sizeof *x);
	x->a = a;
	x->srv = srv;
	x->cfg = srv->cfg;
	x->raw_uri = arena_strdup(a, uri);
	x->conn = guarded_of(c);
	x->route_index = ROUTE_NONE;
	x->file_fd = -1;
	x->rs.fd = -1;
	x->rq.a = a;
	x->rq.app = srv->cfg->app;
	x->rq.path = "/";
	x->t0 = now_usec_monotonic();
	guarded_request_line(x->conn, names_api(uri));
	/* MHD 0.9.75 parses the query into the connection's pool right after
	 * this callback, from this very buffer, and when the pool runs out
	 * (a few hundred parameters) it queues a 431 that its state machine
	 * then drops: the client waits for nothing until the timeout. We read
	 * the query from our own copy above (parse_urlencoded, bounded), so
	 * the query is cut off where MHD would start: it parses an empty
	 * one. The buffer is MHD's writable read buffer; only its const
	 * parameter type says otherwise. */
	char *q = strchr((char *)(uintptr_t)uri, '?');
	if (q) q[1] = 0;
	return x;
}

/* Whether a body follows the headers (then the guard holds it to the
 * minimum rate instead of the header deadline). */
static bool body_follows(struct MHD_Connection *c)
{
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	return te || (cl && strspn(cl, "0") != strlen(cl));
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size,
				  void **ctx)
{
	server *srv = cls;
	(void)url; /* already decoded by MHD; we decode the raw URI ourselves */
	(void)version;
	exchange *x = *ctx;
	if (!x) return MHD_NO;
	if (!x->started) {
		x->started = true;
		x->rq.conn = c;
		x->rq.method = arena_strdup(x->a, method);
		/* The headers are in. If the guard cut the connection a moment
		 * ago it has answered already: say nothing more. */
		if (!guarded_headers_done(x->conn, body_follows(c), guard_now_ms())) return MHD_NO;
		atomic_fetch_add(&srv->in_flight, 1);
		x->counted = true;
		size_t pool_used = 0;
		if (refuse_early(x, c, &pool_used)) {
			if (pool_used + REFUSAL_HEAD_ROOM > POOL_BYTES) return refuse_directly(x, c);
			return send_response(x, c);
		}
		begin(x, c, method);
		if (x->refused) return send_response(x, c);
		/* Refuse at once what can be refused before the body arrives. */
		if (x->fail_status) {
			resp_error(&x->rq, &x->rs, x->fail_status, x->fail_code, x->fail_msg, NULL);
			return send_response(x, c);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		guarded_body_bytes(x->conn, *upload_size);
		receive(x, upload_data, *upload_size);
		*upload_size = 0;
		/* Stop reading a body that goes on far past the cap. */
		if (x->fail_status && x->received > x->cap + (64u << 20)) return MHD_NO;
		return MHD_YES;
	}
	if (x->responded) return MHD_YES;
	/* The body is in; a body the guard found too slow has been answered. */
	if (!guarded_body_done(x->conn)) return MHD_NO;
	return finish(x, c);
}

static const char *const cut_names[CUT_REASONS] = {[CUT_NONE] = "",
						   [CUT_HEADER_TIMEOUT] = " cut=header_timeout",
						   [CUT_BODY_RATE] = " cut=body_rate",
						   [CUT_EVICTED] = " cut=evicted",
						   [CUT_STOPPING] = " cut=stopping"};

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode toe)
{
	(void)c;
	server *srv = cls;
	exchange *x = *ctx;
	*ctx = NULL;
	if (!x) return;
	/* Between requests now: the next one's header deadline starts. */
	guarded_response_done(x->conn, guard_now_ms());
	uint64_t us = now_usec_monotonic() - x->t0;
	int status = x->responded ? x->status : 0;
	guard_cut why = guarded_cut(x->conn);
	/* The guard answered what it cut mid-request (see cut() in
	 * conn_guard.c): 503 when stopping, else 408. */
	if (!x->responded && why != CUT_NONE) status = why == CUT_STOPPING ? 503 : 408;
	if (srv->cfg->metrics && status) metrics_record(srv->cfg->metrics, x->route_index, status, us);
	if (srv->cfg->access_log) {
		const char *pattern = x->route_index >= 0 ? srv->cfg->routes[x->route_index].pattern : "-";
		log_line("access method=%s route=%s status=%d bytes=%llu us=%llu%s%s",
			 x->rq.method ? x->rq.method : "-", pattern, status, (unsigned long long)x->bytes,
			 (unsigned long long)us,
			 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1",
			 cut_names[why < CUT_REASONS ? why : CUT_NONE]);
	}
	if (x->file_fd >= 0) close(x->file_fd);
	if (x->rs.fd >= 0) close(x->rs.fd);
	for (size_t i = 0; i < x->nfiles; i++) unlink(x->files[i].path);
	buf_free(&x->data);
	buf_free(&x->rs.body);
	bool counted = x->counted;
	arena_free(x->a);
	if (counted) atomic_fetch_sub(&srv->in_flight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
	log_line("http: %s", line);
}

/* ---- listening address ---- */

static bool split_listen(const char *listen, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen) return false;
	const char *h = listen;
	size_t hl = (size_t)(colon - listen);
	if (h[0] == '[') { /* [::1]:8080 */
		if (hl < 3 || h[hl - 1] != ']') return false;
		h++;
		hl -= 2;
	}
	if (hl >= hostlen || strlen(colon + 1) >= portlen) return false;
	memcpy(host, h, hl);
	host[hl] = 0;
	strcpy(port, colon + 1);
	int64_t p;
	return parse_i64(port, 0, 65535, &p);
}

const char *listen_check(const char *listen)
{
	char host[256], port[16];
	if (!listen || !split_listen(listen, host, sizeof host, port, sizeof port))
		return "expected HOST:PORT, e.g. 127.0.0.1:8080";
	return NULL;
}

static int resolve(const char *listen, struct sockaddr_storage *ss, char *err, size_t errlen)
{
	char host[256], port[16];
	if (!split_listen(listen, host, sizeof host, port, sizeof port)) {
		snprintf(err, errlen, "--listen %s: expected HOST:PORT", listen);
		return -1;
	}
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	int rc = getaddrinfo(host, port, &hints, &res);
	if (rc || !res) {
		snprintf(err, errlen, "--listen %s: %s", listen, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	int family = res->ai_family;
	freeaddrinfo(res);
	return family;
}

static unsigned default_threads(unsigned asked)
{
	if (asked) return asked;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 256 ? (unsigned)n : 2;
}

/* Waits for SIGINT/SIGTERM, which every thread has blocked. */
static void wait_for_stop(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	int sig = 0;
	while (sigwait(&set, &sig) != 0) {
	}
	log_line("coachd: %s received; finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
}

bool server_trust_proxies(server_config *cfg, const char *list, char *err, size_t errlen)
{
	const char *p = list;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		net_addr a;
		if (!net_addr_parse(p, len, &a)) {
			snprintf(err, errlen, "'%.*s' is not an IP address", (int)(len > 60 ? 60 : len), p);
			return false;
		}
		if (cfg->ntrusted_proxies == GUARD_MAX_PROXIES) {
			snprintf(err, errlen, "more than %d addresses", GUARD_MAX_PROXIES);
			return false;
		}
		cfg->trusted_proxies[cfg->ntrusted_proxies++] = a;
		if (!comma) return true;
		p = comma + 1;
	}
}

/* MHD's own connection limit: above ours, so that MHD never refuses a
 * newcomer before the guard has made room for it, and so that connections
 * the guard has cut but MHD has not yet closed still fit. */
static unsigned capacity_for(unsigned max_connections)
{
	return max_connections + max_connections / 4 + 16;
}

/* File descriptors serving max_connections takes: one a connection, one
 * more for a quarter of them (a file being sent or an upload being
 * written), and the store's, the pool threads' and the listener's. */
static uint64_t files_for(unsigned max_connections, unsigned threads)
{
	uint64_t cap = capacity_for(max_connections);
	return cap + cap / 4 + 64 + 4 * (uint64_t)threads;
}

/* Raises the open-file limit as far as the hard limit allows and checks
 * that it is enough for *max_connections: too low for a number given on
 * the command line is an error; the default is lowered to fit, and said. */
static bool open_files_for(unsigned *max_connections, bool given, unsigned threads, char *err, size_t errlen)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return true; /* nothing to go by */
	rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (1u << 20) ? (1u << 20) : rl.rlim_max;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		struct rlimit raised = {want, rl.rlim_max};
		if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl.rlim_cur = want;
	}
	uint64_t have = rl.rlim_cur == RLIM_INFINITY ? UINT64_MAX : (uint64_t)rl.rlim_cur;
	if (files_for(*max_connections, threads) <= have) return true;
	if (given) {
		snprintf(err, errlen,
			 "--max-connections %u needs about %llu open files, but this process "
			 "may open only %llu (ulimit -n); raise that limit or lower --max-connections",
			 *max_connections, (unsigned long long)files_for(*max_connections, threads),
			 (unsigned long long)have);
		return false;
	}
	unsigned fit = *max_connections;
	while (fit > 16 && files_for(fit, threads) > have) fit -= fit / 16 ? fit / 16 : 1;
	if (files_for(fit, threads) > have) {
		snprintf(err, errlen,
			 "this process may open only %llu files (ulimit -n); coachd needs "
			 "at least %llu",
			 (unsigned long long)have, (unsigned long long)files_for(16, threads));
		return false;
	}
	log_line("coachd: this process may open %llu files (ulimit -n): serving at most %u "
		 "connections instead of %u",
		 (unsigned long long)have, fit, *max_connections);
	*max_connections = fit;
	return true;
}

int server_run(const server_config *cfg, char *err, size_t errlen)
{
	size_t later, earlier;
	if (route_unreachable(cfg->routes, cfg->nroutes, &later, &earlier)) {
		snprintf(err, errlen,
			 "route %s %s can never answer: %s %s, earlier in the table, takes every path it "
			 "matches",
			 cfg->routes[later].method, cfg->routes[later].pattern, cfg->routes[earlier].method,
			 cfg->routes[earlier].pattern);
		return 1;
	}
	struct sockaddr_storage ss;
	int family = resolve(cfg->listen, &ss, err, errlen);
	if (family < 0) return 1;
	unsigned threads = default_threads(cfg->threads);
	unsigned max_connections = cfg->max_connections ? cfg->max_connections : SERVER_MAX_CONNECTIONS;
	if (!open_files_for(&max_connections, cfg->max_connections_given, threads, err, errlen)) return 1;
	unsigned per_address = cfg->max_per_address ? cfg->max_per_address : SERVER_MAX_PER_ADDRESS;
	if (per_address > max_connections) per_address = max_connections;
	unsigned min_kbps = cfg->min_body_kbps ? cfg->min_body_kbps : SERVER_MIN_BODY_KBPS;

	server srv = {.cfg = cfg};
	guard_config gc = {
		.max_connections = max_connections,
		.max_per_address = per_address,
		.header_timeout_ms =
			cfg->header_timeout_ms ? cfg->header_timeout_ms : SERVER_HEADER_TIMEOUT_MS,
		.min_body_rate = min_kbps * 1024u,
		.proxies = cfg->trusted_proxies,
		.nproxies = cfg->ntrusted_proxies,
		.answer = guard_answer,
		.answer_ctx = &srv,
	};
	srv.guard = guard_new(&gc, capacity_for(max_connections));
	if (!srv.guard) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	for (int api = 0; api < 2; api++) {
		can(&srv.timeout[api], 408, api, "request_timeout",
		    "the request did not arrive in time; send it again");
		can(&srv.stopping_answer[api], 503, api, "stopping",
		    "the server is stopping; try again in a moment");
	}
	if (cfg->metrics) cfg->metrics->connections = guard_counters(srv.guard);

	/* Block the stop signals before any thread starts so that all of
	 * them inherit the mask and only sigwait() sees the signal. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (family == AF_INET6) flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = NULL;
	if (guard_watch(srv.guard))
		d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, threads,
			/* No byte at all for this long also closes a connection
			 * (a client that stops reading its response, say); the
			 * guard's deadlines do not wait for silence. */
			MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			/* Above the guard's limit: the guard, not MHD, decides
			 * who goes when the server is full, and per address. */
			MHD_OPTION_CONNECTION_LIMIT, capacity_for(max_connections),
			MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)POOL_BYTES, MHD_OPTION_NOTIFY_CONNECTION,
			on_connection, &srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_END);
	if (!d) {
		snprintf(err, errlen, "cannot listen on %s (address in use or not permitted)", cfg->listen);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (cfg->metrics) cfg->metrics->connections = NULL;
		guard_free(srv.guard);
		for (int api = 0; api < 2; api++) {
			uncan(&srv.timeout[api]);
			uncan(&srv.stopping_answer[api]);
		}
		return 1;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[256], port[16];
	split_listen(cfg->listen, host, sizeof host, port, sizeof port);
	/* Printed on stdout so scripts and tests can find a port chosen by 0. */
	printf("coachd: listening on http://%s%s%s:%u/\n", family == AF_INET6 ? "[" : "", host,
	       family == AF_INET6 ? "]" : "", info ? info->port : 0);
	fflush(stdout);

	wait_for_stop();
	/* From here every response says Connection: close and a request
	 * whose headers arrive gets 503; the guard closes, now and as they
	 * come, the connections with no request in hand (idle ones, and
	 * ones still sending headers), so only requests being handled are
	 * waited for. */
	atomic_store(&srv.stopping, true);
	/* The listening socket is ours after quiesce, but a pool thread may
	 * still be on its way out of accept(): shut it down now (new
	 * connections are refused at once) and close the fd only once the
	 * threads are gone, so its number cannot be reused under them. */
	MHD_socket ls = MHD_quiesce_daemon(d);
	if (ls != MHD_INVALID_SOCKET) shutdown(ls, SHUT_RDWR);
	guard_stopping(srv.guard);
	uint64_t until = guard_now_ms() + STOP_WAIT_MS;
	while (atomic_load(&srv.in_flight) > 0 && guard_now_ms() < until) usleep(5000);
	if (atomic_load(&srv.in_flight) > 0)
		log_line("coachd: %d requests still in flight after %d s; closing them",
			 atomic_load(&srv.in_flight), STOP_WAIT_MS / 1000);
	guard_unwatch(srv.guard);
	MHD_stop_daemon(d);
	if (ls != MHD_INVALID_SOCKET) close(ls);
	if (cfg->metrics) cfg->metrics->connections = NULL;
	guard_free(srv.guard);
	for (int api = 0; api < 2; api++) {
		uncan(&srv.timeout[api]);
		uncan(&srv.stopping_answer[api]);
	}
	/* The stop signals stay blocked: a second SIGTERM sent while we were
	 * draining must not kill the process on its way out. */
	log_line("coachd: stopped");
	return 0;
}
