/* The libmicrohttpd adapter: turns MHD's callbacks into one parsed, bounded
 * req for a handler and sends its resp once. Nothing outside this file sees
 * libmicrohttpd. */
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
#include <sys/socket.h>
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

typedef enum body_kind { BODY_NONE, BODY_BUFFER, BODY_URLENCODED, BODY_MULTIPART } body_kind;

/* One request from first byte to last, with everything it owns. */
typedef struct exchange {
	arena *a;
	const server_config *cfg;
	req rq;
	resp rs;
	const char *raw_uri;
	int route_index;
	bool started;
	bool responded;
	bool refused;   /* authenticate() filled the response already */
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

/* State shared by all worker threads: read-only but for the counter. */
typedef struct server {
	const server_config *cfg;
	atomic_int in_flight;
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

/* ---- multipart file sink: stream each file part to its own temp file ---- */

static int sink_file_begin(void *ctx, const char *field, const char *filename,
			   const char *content_type)
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
	if (length == 0 && !te) return;
	const char *ct = x->rq.content_type;
	if (content_type_is(ct, "multipart/form-data") && (flags & (ROUTE_FORM | ROUTE_FILES))) {
		const char *boundary = mp_boundary(x->a, ct);
		if (!boundary) {
			fail(x, 400, "bad_multipart", "multipart body without a valid boundary");
			return;
		}
		static const mp_sink sink = {NULL, sink_file_begin, sink_file_data,
					     sink_file_end, sink_error};
		mp_sink *s = arena_alloc(x->a, sizeof *s);
		*s = sink;
		s->ctx = x;
		x->mp = mp_new(x->a, boundary, x->cfg->max_form, s);
		x->body = BODY_MULTIPART;
		x->cap = (flags & ROUTE_FILES) ? x->cfg->max_upload + x->cfg->max_form
					       : x->cfg->max_form;
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

static void begin(exchange *x, struct MHD_Connection *c, const char *method)
{
	req *rq = &x->rq;
	rq->conn = c;
	rq->method = arena_strdup(x->a, method);
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[NI_MAXHOST] = "?";
	if (ci && ci->client_addr)
		getnameinfo(ci->client_addr, ci->client_addr->sa_family == AF_INET6
				? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
			    host, sizeof host, NULL, 0, NI_NUMERICHOST);
	rq->remote = arena_strdup(x->a, host);
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
	if (x->fail_status)
		resp_error(&x->rq, &x->rs, x->fail_status, x->fail_code, x->fail_msg, NULL);
	else
		dispatch(x);
	return send_response(x, c);
}

/* ---- MHD callbacks ---- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)c;
	server *srv = cls;
	arena *a = arena_new();
	exchange *x = arena_alloc(a, sizeof *x);
	x->a = a;
	x->cfg = srv->cfg;
	x->raw_uri = arena_strdup(a, uri);
	x->route_index = ROUTE_NONE;
	x->file_fd = -1;
	x->rs.fd = -1;
	x->rq.a = a;
	x->rq.app = srv->cfg->app;
	x->rq.path = "/";
	x->t0 = now_usec_monotonic();
	atomic_fetch_add(&srv->in_flight, 1);
	return x;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **ctx)
{
	(void)cls;
	(void)url; /* already decoded by MHD; we decode the raw URI ourselves */
	(void)version;
	exchange *x = *ctx;
	if (!x) return MHD_NO;
	if (!x->started) {
		x->started = true;
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
		receive(x, upload_data, *upload_size);
		*upload_size = 0;
		/* Stop reading a body that goes on far past the cap. */
		if (x->fail_status && x->received > x->cap + (64u << 20)) return MHD_NO;
		return MHD_YES;
	}
	if (x->responded) return MHD_YES;
	return finish(x, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ctx,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	server *srv = cls;
	exchange *x = *ctx;
	*ctx = NULL;
	if (!x) return;
	uint64_t us = now_usec_monotonic() - x->t0;
	int status = x->responded ? x->status : 0;
	if (srv->cfg->metrics && x->responded) metrics_record(srv->cfg->metrics, x->route_index, status, us);
	if (srv->cfg->access_log) {
		const char *pattern = x->route_index >= 0 ? srv->cfg->routes[x->route_index].pattern : "-";
		log_line("access method=%s route=%s status=%d bytes=%llu us=%llu%s",
			 x->rq.method ? x->rq.method : "-", pattern, status,
			 (unsigned long long)x->bytes, (unsigned long long)us,
			 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
	}
	if (x->file_fd >= 0) close(x->file_fd);
	if (x->rs.fd >= 0) close(x->rs.fd);
	for (size_t i = 0; i < x->nfiles; i++) unlink(x->files[i].path);
	buf_free(&x->data);
	buf_free(&x->rs.body);
	arena_free(x->a);
	atomic_fetch_sub(&srv->in_flight, 1);
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
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
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
	while (sigwait(&set, &sig) != 0) {}
	log_line("coachd: %s received; finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
}

int server_run(const server_config *cfg, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	int family = resolve(cfg->listen, &ss, err, errlen);
	if (family < 0) return 1;

	/* Block the stop signals before any thread starts so that all of
	 * them inherit the mask and only sigwait() sees the signal. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	signal(SIGPIPE, SIG_IGN);

	server srv = {.cfg = cfg};
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (family == AF_INET6) flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, &srv,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, default_threads(cfg->threads),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
		/* Headers beyond 16 KB are refused (431); MHD clears this pool for
		 * every request, so a smaller one is also faster. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(16 * 1024),
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
		MHD_OPTION_END);
	if (!d) {
		snprintf(err, errlen, "cannot listen on %s (address in use or not permitted)", cfg->listen);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
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
	MHD_socket ls = MHD_quiesce_daemon(d);
	if (ls != MHD_INVALID_SOCKET) close(ls);
	for (int i = 0; i < 1000 && atomic_load(&srv.in_flight) > 0; i++) usleep(10000);
	MHD_stop_daemon(d);
	/* The stop signals stay blocked: a second SIGTERM sent while we were
	 * draining must not kill the process on its way out. */
	log_line("coachd: stopped");
	return 0;
}
