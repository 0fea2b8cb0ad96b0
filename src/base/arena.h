/* An arena: one memory pool per request or per command, freed at once.
 * Allocation failure aborts: a server that cannot allocate a few bytes
 * cannot answer sensibly, and checking every call would hide real logic. */
#ifndef COACHD_ARENA_H
#define COACHD_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);
void *arena_alloc(arena *a, size_t n);                   /* zeroed, 16-byte aligned */
void *arena_calloc(arena *a, size_t count, size_t size); /* checks overflow */
char *arena_strdup(arena *a, const char *s);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
size_t arena_used(const arena *a); /* bytes handed out, for tests */

#endif
