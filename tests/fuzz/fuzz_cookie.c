/* libFuzzer driver: Cookie headers. Whatever is kept must be a clean
 * token name and a value free of control bytes and bad UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/parse.h"
#include "http/parse_utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pair(const kv *p)
{
	size_t nlen = strlen(p->key), vlen = strlen(p->value);
	if (nlen == 0 || nlen > PARSE_MAX_KEY) abort();
	if (strcspn(p->key, " \t;=\",") != nlen) abort();
	if (strchr(p->value, ';') || !parse_utf8_valid(p->value, vlen)) abort();
	for (size_t i = 0; i < vlen; i++)
		if ((unsigned char)p->value[i] < 0x20 || p->value[i] == 0x7f) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new();
	/* A header is a C string: an embedded NUL ends it, as MHD would. */
	const char *header = arena_strndup(a, (const char *)data, size);
	kvlist l = {0};
	const char *err = parse_cookies(a, header, &l);
	if (err && l.n != 0) abort();
	if (l.n > PARSE_MAX_FIELDS) abort();
	for (size_t i = 0; i < l.n; i++) check_pair(&l.items[i]);
	arena_free(a);
	return 0;
}
