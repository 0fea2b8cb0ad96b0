/* A growable byte buffer (malloc-backed, owned by whoever declares it).
 * Response bodies live in one of these and are sent once. */
#ifndef COACHD_BUF_H
#define COACHD_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *data; /* always NUL-terminated when len > 0 or after buf_cstr */
	size_t len;
	size_t cap;
} buf;

#define BUF_INIT \
	{ \
		0, 0, 0 \
	}

void buf_free(buf *b);
void buf_reset(buf *b);
void buf_append(buf *b, const void *p, size_t n);
/* Makes room for n more bytes at once (a page's usual size). */
void buf_reserve(buf *b, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
const char *buf_cstr(buf *b); /* "" for an empty buffer */

#endif
