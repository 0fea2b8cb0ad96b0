/* What a handler sees of an HTTP exchange: a request already parsed and
 * bounded, and a response it fills in. libmicrohttpd stays inside
 * server.c; nothing else includes it. */
#ifndef COACHD_HTTP_H
#define COACHD_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "parse.h"

struct actor;
struct app;
struct store;

typedef struct upload {
	const char *field;
	const char *filename;     /* as the client named it; never a path */
	const char *content_type; /* as the client claimed it */
	const char *path;         /* where it sits on disk, removed at the end */
	uint64_t size;
} upload;

typedef struct req {
	arena *a;
	struct app *app;
	struct store *db; /* this worker thread's connection */
	const char *method;
	const char *path;   /* decoded, without the query */
	const char *remote; /* client address, text */
	kvlist query;
	kvlist cookies;
	kvlist form; /* urlencoded or multipart text fields */
	upload *files;
	size_t nfiles;
	const char *body; /* raw JSON (or other) body, NUL-terminated */
	size_t body_len;
	const char *content_type;
	route_params params;
	bool api;                  /* path under /api/: errors are JSON */
	const struct actor *actor; /* signed-in person, NULL when signed out */
	void *conn;                /* opaque, for req_header() */
} req;

typedef struct resp_header {
	const char *name;
	const char *value;
} resp_header;

typedef struct resp {
	int status;
	const char *content_type;
	buf body;         /* the response, built once and sent once */
	const void *data; /* or: static bytes (embedded asset) */
	size_t data_len;
	int fd; /* or: an open file, sent from offset for len */
	uint64_t file_offset;
	uint64_t file_len;
	resp_header headers[12];
	size_t nheaders;
} resp;

typedef void handler_fn(req *rq, resp *rs);

/* Filled in by the server before the handler runs: which route matched. */
enum { ROUTE_NONE = -1 };

/* Route flags: what a route accepts and requires. */
enum {
	ROUTE_FORM = 1 << 0,   /* accepts urlencoded and multipart text fields */
	ROUTE_FILES = 1 << 1,  /* accepts file parts (streamed to disk) */
	ROUTE_JSON = 1 << 2,   /* accepts a JSON body */
	ROUTE_RAW = 1 << 3,    /* accepts any body as bytes (e.g. text/csv) */
	ROUTE_SIGNIN = 1 << 4, /* needs a signed-in person */
	ROUTE_CSRF = 1 << 5    /* state-changing: needs the CSRF token */
};

typedef struct route {
	const char *method;
	const char *pattern;
	handler_fn *handler;
	unsigned flags;
} route;

/* The first route of routes[n] that can never answer, because an earlier
 * one of the same method takes every path it matches (the table is tried
 * in order): true with both indexes, false when every route is reachable. */
bool route_unreachable(const route *routes, size_t n, size_t *later, size_t *earlier);

const char *req_header(const req *rq, const char *name);
const char *req_query(const req *rq, const char *key);
const char *req_form(const req *rq, const char *key);
const char *req_param(const req *rq, const char *name);
/* The file part named field that was chosen (an empty part with no file
 * name is a form sent without one): NULL when none. */
const upload *req_file(const req *rq, const char *field);
const char *req_cookie(const req *rq, const char *name);

void resp_header_add(resp *rs, const char *name, const char *value);
/* The one error shape: JSON {"error":{code,message,field}} under /api/,
 * an HTML page elsewhere. field may be NULL. */
void resp_error(req *rq, resp *rs, int status, const char *code, const char *message, const char *field);
void resp_json_text(resp *rs, int status, const char *json);
/* Serializes j (compact) and releases it. */
struct json_t;
void resp_json(resp *rs, int status, struct json_t *j);
/* Starts an HTML response: status, content type; the caller writes body. */
buf *resp_html(resp *rs, int status);
void resp_text(resp *rs, int status, const char *text);
void resp_redirect(resp *rs, int status, const char *location);
/* Serves static bytes with an ETag; answers 304 on If-None-Match. */
void resp_static(req *rq, resp *rs, const char *content_type, const void *data, size_t len, const char *etag);
/* Serves an open file with Range support (206/416); takes the fd. */
void resp_file(req *rq, resp *rs, const char *content_type, int fd, uint64_t size, const char *etag);

#endif
