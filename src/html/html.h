/* The HTML builder. Escaping lives in the format: every %s (and %c)
 * argument of html_printf is HTML-escaped, safe in text and in quoted
 * attribute values, so the safe thing is the short thing. Output that must
 * not be escaped goes through html_RAW, whose name is meant to be seen in
 * review. URLs built from data take url_encode() (parse.h) for each part. */
#ifndef COACHD_HTML_H
#define COACHD_HTML_H

#include <stdarg.h>
#include <stddef.h>

#include "../base/arena.h"
#include "../base/buf.h"

void html_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void html_escape(buf *b, const char *s, size_t n);
/* Appends s exactly as given. Only for markup the program itself built. */
void html_RAW(buf *b, const char *s);

/* Opens a table inside its scroll box: on a phone a wide table scrolls
 * sideways within the page, and the box takes keyboard focus so that
 * scrolling works without a pointer. Close with "</table></div>". */
void html_table_open(buf *b);

/* Embedded static assets (CSS, JS, icons), generated at build time. */
typedef struct asset {
	const char *path; /* e.g. "/static/coachd.css" */
	const char *content_type;
	const unsigned char *data;
	size_t len;
	const char *etag; /* quoted strong validator from content hash */
} asset;

const asset *asset_find(const char *path);
const asset *asset_list(size_t *n);

#endif
