/* libFuzzer driver: a request target ("/path?query") split the way the
 * server splits it, through url_decode and parse_urlencoded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/parse.h"
#include "http/parse_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whatever url_decode returns must survive url_encode and come back. */
static void check_decode(arena *a, const char *s, size_t len, bool plus)
{
	char *d = url_decode(a, s, len, plus);
	if (!d) return;
	if (strlen(d) > len) abort();
	char *e = url_encode(a, d);
	char *back = url_decode(a, e, strlen(e), false);
	if (!back || strcmp(back, d) != 0) abort();
}

/* What a successful parse promises: bounded, non-empty, valid UTF-8 keys,
 * and kv_get finding the first of repeated keys. */
static void check_list(const kvlist *l)
{
	if (l->n > PARSE_MAX_FIELDS) abort();
	for (size_t i = 0; i < l->n; i++) {
		const char *k = l->items[i].key, *v = l->items[i].value;
		if (!k || !v || !*k || strlen(k) > PARSE_MAX_KEY) abort();
		if (!parse_utf8_valid(k, strlen(k)) || !parse_utf8_valid(v, strlen(v))) abort();
		size_t first = 0;
		while (strcmp(l->items[first].key, k) != 0) first++;
		if (kv_get(l, k) != l->items[first].value) abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new();
	const char *s = (const char *)data;
	const char *q = memchr(s, '?', size);
	size_t plen = q ? (size_t)(q - s) : size;
	check_decode(a, s, plen, false);
	check_decode(a, s, size, true);
	if (q) {
		kvlist l = {0};
		const char *err = parse_urlencoded(a, q + 1, size - plen - 1, &l);
		if (err && (l.n != 0 || !*err)) abort();
		if (!err) check_list(&l);
	}
	arena_free(a);
	return 0;
}
