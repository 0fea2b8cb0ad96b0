/* Open addressing with linear probing; the table doubles at 70% full (the
 * old table stays in the arena, at most as large as the new one). */
#include "strmap.h"

#include <string.h>

enum { POOL_BLOCK = 1 << 20 };

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ^ (h >> 29);
}

void strmap_init(strmap *m, arena *a, size_t expected)
{
	size_t cap = 16;
	while (cap < expected + expected / 2 + 1) cap *= 2;
	*m = (strmap){.a = a, .cap = cap};
	m->slots = arena_calloc(a, cap, sizeof *m->slots);
}

static strmap_slot *find(const strmap *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		strmap_slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0)) return s;
	}
}

void *strmap_get(const strmap *m, const char *key)
{
	if (!key || !m->slots) return NULL;
	strmap_slot *s = find(m, key, hash_str(key));
	return s->key ? s->value : NULL;
}

static void grow(strmap *m)
{
	strmap old = *m;
	m->cap *= 2;
	m->slots = arena_calloc(m->a, m->cap, sizeof *m->slots);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key) *find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
}

void *strmap_put(strmap *m, const char *key, void *value)
{
	if (!m->slots) strmap_init(m, m->a, 0);
	if ((m->n + 1) * 10 > m->cap * 7) grow(m);
	uint64_t h = hash_str(key);
	strmap_slot *s = find(m, key, h);
	void *before = s->key ? s->value : NULL;
	if (!s->key) {
		s->key = key;
		s->hash = h;
		m->n++;
	}
	s->value = value;
	return before;
}

void strpool_init(strpool *p, arena *a)
{
	*p = (strpool){.a = a};
}

const char *strpool_add(strpool *p, const char *s, size_t n)
{
	if (p->cap - p->used < n + 1) {
		p->cap = n + 1 > POOL_BLOCK ? n + 1 : POOL_BLOCK;
		p->block = arena_alloc(p->a, p->cap);
		p->used = 0;
	}
	char *out = p->block + p->used;
	memcpy(out, s, n);
	out[n] = '\0';
	p->used += n + 1;
	return out;
}
