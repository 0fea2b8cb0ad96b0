/* Growable byte buffer. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void buf_grow(buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len - 1) abort();
	size_t need = b->len + extra + 1;
	if (need <= b->cap) return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		fprintf(stderr, "coachd: out of memory growing a buffer to %zu\n", cap);
		abort();
	}
	b->data = p;
	b->cap = cap;
}

void buf_reserve(buf *b, size_t n)
{
	buf_grow(b, n);
}

void buf_free(buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void buf_reset(buf *b)
{
	b->len = 0;
	if (b->data) b->data[0] = 0;
}

void buf_append(buf *b, const void *p, size_t n)
{
	if (n == 0) return;
	buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
}

void buf_puts(buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, copy);
	va_end(copy);
	if (n < 0) return;
	if ((size_t)n < sizeof small) {
		buf_append(b, small, (size_t)n);
		return;
	}
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

const char *buf_cstr(buf *b)
{
	return b->data ? b->data : "";
}
