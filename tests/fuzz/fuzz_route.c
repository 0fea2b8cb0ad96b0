/* libFuzzer driver: request paths against a fixed route table. A match
 * must bind every parameter to a clean value, and rebuilding the path
 * from those values (url_encode) must match again with the same values. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const patterns[] = {
	"/",
	"/orgs",
	"/orgs/",
	"/orgs/{org}",
	"/orgs/{org}/people/{id}",
	"/orgs/{org}/people/{id}/edit",
	"/api/people/{id}",
	"/files/{name}",
	"/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}",
	"/x/{}",
	"/{a}",
	"{a}",
	"",
};

static size_t count_params(const char *pattern)
{
	size_t n = 0;
	for (const char *p = pattern; (p = strchr(p, '{')); p++)
		if ((p == pattern || p[-1] == '/') && p[1] != '}' && strchr(p, '}')) n++;
	return n;
}

/* The pattern with each {name} replaced by its encoded value. */
static const char *rebuild(arena *a, const char *pattern, const route_params *p)
{
	buf b = BUF_INIT;
	size_t k = 0;
	for (const char *s = pattern; *s;) {
		const char *close = *s == '{' ? strchr(s, '}') : NULL;
		bool param = close && close > s + 1 && (s == pattern || s[-1] == '/') &&
			(close[1] == '/' || close[1] == 0);
		if (param) {
			buf_puts(&b, url_encode(a, p->values[k++]));
			s = close + 1;
		} else {
			buf_putc(&b, *s++);
		}
	}
	const char *out = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return out;
}

static void check(arena *a, const char *pattern, const char *path)
{
	route_params p;
	bool hit = route_match(a, pattern, path, &p);
	if (hit != route_match(a, pattern, path, NULL)) abort();
	if (!hit) {
		if (p.n != 0) abort();
		return;
	}
	if (p.n != count_params(pattern)) abort();
	for (size_t i = 0; i < p.n; i++) {
		if (!*p.values[i] || strchr(p.values[i], '/')) abort();
		if (!route_param(&p, p.names[i])) abort();
	}
	route_params again;
	if (!route_match(a, pattern, rebuild(a, pattern, &p), &again) || again.n != p.n) abort();
	for (size_t i = 0; i < p.n; i++)
		if (strcmp(again.values[i], p.values[i]) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new();
	const char *path = arena_strndup(a, (const char *)data, size);
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) check(a, patterns[i], path);
	arena_free(a);
	return 0;
}
