/* Bounded parsers for what arrives over HTTP: query strings and urlencoded
 * forms, cookies, multipart/form-data (streamed), and route patterns.
 * All are pure (no I/O except the multipart sink callbacks), allocate from
 * the caller's arena, and reject rather than guess. Each has a fuzz driver
 * in tests/fuzz/. */
#ifndef COACHD_PARSE_H
#define COACHD_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"

typedef struct kv {
	const char *key;
	const char *value;
} kv;

typedef struct kvlist {
	kv *items;
	size_t n;
} kvlist;

/* Limits that keep a hostile request from costing more than it is worth. */
enum {
	PARSE_MAX_FIELDS = 1000,     /* fields in a query, form or cookie header */
	PARSE_MAX_KEY = 256,         /* bytes in one decoded key */
	PARSE_MAX_PARTS = 64,        /* parts in one multipart body */
	PARSE_MAX_PART_HEADER = 4096 /* bytes of headers of one part */
};

/* Decodes an application/x-www-form-urlencoded string (also a query
 * string): '+' is a space, %XX is a byte. Returns NULL on success, or a
 * message naming what is wrong (bad escape, NUL byte, too many fields,
 * invalid UTF-8). */
const char *parse_urlencoded(arena *a, const char *s, size_t len, kvlist *out);

/* Percent-decodes one path or value in place of a new string; NULL on error. */
char *url_decode(arena *a, const char *s, size_t len, bool plus_is_space);
/* Percent-encodes everything but unreserved characters (RFC 3986). */
char *url_encode(arena *a, const char *s);

/* Parses a Cookie header ("a=1; b=2"). Malformed pairs are skipped, as
 * browsers do; returns NULL or a message when limits are exceeded. */
const char *parse_cookies(arena *a, const char *header, kvlist *out);

const char *kv_get(const kvlist *l, const char *key);

/* multipart/form-data, fed in chunks of any size. Text fields are collected
 * (bounded by max_field bytes each); file parts are handed to the sink as
 * they stream, so a 200 MB video never sits in memory. */
typedef struct mp_sink {
	void *ctx;
	/* A file part begins; return 0 to accept, nonzero to refuse (parse
	 * then fails with the sink's message). */
	int (*file_begin)(void *ctx, const char *field, const char *filename, const char *content_type);
	int (*file_data)(void *ctx, const char *data, size_t len);
	int (*file_end)(void *ctx);
	const char *(*error)(void *ctx); /* message after a refusal */
} mp_sink;

typedef struct multipart multipart;

/* boundary comes from the Content-Type header; see mp_boundary(). */
multipart *mp_new(arena *a, const char *boundary, size_t max_field, const mp_sink *sink);
/* Returns NULL while all is well, or a message for the first error; after
 * an error further input is ignored. */
const char *mp_feed(multipart *m, const char *data, size_t len);
/* Call after the last chunk: an error if the closing boundary never came. */
const char *mp_finish(multipart *m);
const kvlist *mp_fields(const multipart *m);

/* Extracts boundary=... from a multipart/form-data Content-Type value.
 * NULL if absent or invalid (RFC 2046: 1..70 chars). */
const char *mp_boundary(arena *a, const char *content_type);

/* Route patterns: literal segments and {name} parameters, e.g.
 * "/api/people/{id}". A parameter matches one non-empty segment. */
typedef struct route_params {
	const char *names[8];
	const char *values[8];
	size_t n;
} route_params;

/* True when path matches pattern; fills params (values decoded). */
bool route_match(arena *a, const char *pattern, const char *path, route_params *params);
const char *route_param(const route_params *p, const char *name);
/* True when every path later matches is matched by earlier too: the same
 * number of segments, each of earlier's a parameter or later's literal. */
bool route_pattern_covers(const char *earlier, const char *later);

/* Parses a "Range: bytes=..." header for a resource of size total.
 * Only single ranges are served (multi-range is answered with the whole
 * file, as RFC 9110 allows). Returns 1 and fills [*first,*last] for a
 * satisfiable range, 0 when the header should be ignored (absent or not
 * understood), -1 when it is unsatisfiable (416). */
int parse_range(const char *header, unsigned long long total, unsigned long long *first,
		unsigned long long *last);

#endif
