/* A string-keyed hash map and a string pool, both in an arena: what a
 * roster import uses to find a record by sourcedId, or agreement
 * statistics a rater or unit by name, among a million without a search.
 * Keys are not copied; keep them alive. */
#ifndef COACHD_STRMAP_H
#define COACHD_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct strmap_slot {
	const char *key;
	uint64_t hash;
	void *value;
} strmap_slot;

typedef struct strmap {
	arena *a;
	strmap_slot *slots;
	size_t cap, n;
} strmap;

void strmap_init(strmap *m, arena *a, size_t expected);
/* The value for key, or NULL. */
void *strmap_get(const strmap *m, const char *key);
/* Sets key's value; returns the value it had before (NULL when new). */
void *strmap_put(strmap *m, const char *key, void *value);

/* Strings packed end to end in large blocks: a million short sourcedIds
 * without a 16-byte rounding each. */
typedef struct strpool {
	arena *a;
	char *block;
	size_t used, cap;
} strpool;

void strpool_init(strpool *p, arena *a);
const char *strpool_add(strpool *p, const char *s, size_t n);

#endif
