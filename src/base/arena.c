/* Arena allocator: blocks chained together, all freed by arena_free. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *head;
	size_t total;
};

enum { BLOCK_MIN = 16 * 1024 };

static void out_of_memory(size_t n)
{
	fprintf(stderr, "coachd: out of memory allocating %zu bytes\n", n);
	abort();
}

arena *arena_new(void)
{
	arena *a = calloc(1, sizeof *a);
	if (!a) out_of_memory(sizeof *a);
	return a;
}

void arena_free(arena *a)
{
	if (!a) return;
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(arena *a, size_t n)
{
	/* Round up to 16 so every allocation stays aligned for any type. */
	if (n > SIZE_MAX - 15) out_of_memory(n);
	size_t need = (n + 15) & ~(size_t)15;
	if (need == 0) need = 16;
	struct block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t size = need > BLOCK_MIN ? need : BLOCK_MIN;
		if (b && size < b->size * 2 && b->size * 2 <= 1024 * 1024) size = b->size * 2;
		b = malloc(sizeof *b + size);
		if (!b) out_of_memory(size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	memset(p, 0, n);
	return p;
}

void *arena_calloc(arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) out_of_memory(SIZE_MAX);
	return arena_alloc(a, count * size);
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) return arena_strdup(a, "");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const arena *a)
{
	return a->total;
}
