/* libFuzzer driver: urlencoded form bodies. A parse that succeeds must
 * re-encode (url_encode) to a body that parses to the very same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reencode(arena *a, const kvlist *l, buf *out)
{
	for (size_t i = 0; i < l->n; i++) {
		if (i) buf_putc(out, '&');
		buf_puts(out, url_encode(a, l->items[i].key));
		buf_putc(out, '=');
		buf_puts(out, url_encode(a, l->items[i].value));
	}
}

static bool same(const kvlist *x, const kvlist *y)
{
	if (x->n != y->n) return false;
	for (size_t i = 0; i < x->n; i++)
		if (strcmp(x->items[i].key, y->items[i].key) != 0 ||
		    strcmp(x->items[i].value, y->items[i].value) != 0)
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = arena_new();
	kvlist l = {0}, again = {0};
	const char *err = parse_urlencoded(a, (const char *)data, size, &l);
	if (err && l.n != 0) abort();
	if (!err) {
		buf b = BUF_INIT;
		reencode(a, &l, &b);
		if (parse_urlencoded(a, buf_cstr(&b), b.len, &again) || !same(&l, &again)) abort();
		buf_free(&b);
	}
	arena_free(a);
	return 0;
}
