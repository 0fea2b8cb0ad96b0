/* libFuzzer driver: multipart bodies with the boundary "fzB". The first
 * four bytes choose max_field, when the sink refuses, and how the body is
 * chunked; the same body fed whole must give the same result. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOUNDARY "fzB"

/* Logs every sink event; refuses data beyond `limit` bytes when set. */
typedef struct sink_log {
	buf log;
	size_t total, limit;
	bool open;
} sink_log;

static int on_begin(void *ctx, const char *field, const char *filename, const char *ct)
{
	sink_log *s = ctx;
	if (s->open || !*field || !*filename || !ct) abort(); /* promised by the parser */
	if (strchr(filename, '/') || strchr(filename, '\\')) abort();
	s->open = true;
	buf_printf(&s->log, "<%s|%s|%s>", field, filename, ct);
	return strcmp(filename, "refuse") == 0;
}

static int on_data(void *ctx, const char *data, size_t len)
{
	sink_log *s = ctx;
	if (!s->open || len == 0) abort();
	buf_append(&s->log, data, len);
	s->total += len;
	return s->limit && s->total > s->limit;
}

static int on_end(void *ctx)
{
	sink_log *s = ctx;
	if (!s->open) abort();
	s->open = false;
	buf_puts(&s->log, "</>");
	return 0;
}

static const char *on_error(void *ctx)
{
	(void)ctx;
	return "refused";
}

typedef struct outcome {
	const char *err;
	const kvlist *fields;
	sink_log sink;
} outcome;

/* chunk == 0 feeds everything at once; else sizes come from an LCG and
 * stay within [1, chunk]. */
static void run(arena *a, const char *body, size_t len, size_t max_field, size_t limit, unsigned chunk,
		unsigned seed, outcome *o)
{
	*o = (outcome){.sink = {.limit = limit}};
	mp_sink sink = {&o->sink, on_begin, on_data, on_end, on_error};
	multipart *m = mp_new(a, BOUNDARY, max_field, &sink);
	for (size_t i = 0; i < len && !o->err;) {
		size_t n = len - i;
		if (chunk) {
			seed = seed * 1103515245u + 12345u;
			size_t c = 1 + (seed >> 16) % chunk;
			if (c < n) n = c;
		}
		o->err = mp_feed(m, body + i, n);
		i += n;
	}
	if (!o->err) o->err = mp_finish(m);
	o->fields = mp_fields(m);
}

static void compare(const outcome *x, const outcome *y)
{
	if (!x->err != !y->err || (x->err && strcmp(x->err, y->err) != 0)) abort();
	if (x->err) return; /* how far a refused upload got may differ */
	if (x->sink.log.len != y->sink.log.len ||
	    memcmp(buf_cstr((buf *)&x->sink.log), buf_cstr((buf *)&y->sink.log), x->sink.log.len) != 0)
		abort();
	if (x->fields->n != y->fields->n || x->fields->n > PARSE_MAX_PARTS) abort();
	for (size_t i = 0; i < x->fields->n; i++)
		if (strcmp(x->fields->items[i].key, y->fields->items[i].key) != 0 ||
		    strcmp(x->fields->items[i].value, y->fields->items[i].value) != 0)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4) return 0;
	arena *a = arena_new();
	size_t max_field = data[0];
	size_t limit = data[1] & 1 ? data[1] : 0;
	unsigned chunk = data[2] % 32, seed = data[3];
	const char *body = (const char *)data + 4;
	outcome whole, pieces;
	run(a, body, size - 4, max_field, limit, 0, 0, &whole);
	run(a, body, size - 4, max_field, limit, chunk ? chunk : 1, seed, &pieces);
	compare(&whole, &pieces);
	if (!whole.err && whole.sink.open) abort(); /* every file was ended */
	for (size_t i = 0; !whole.err && i < whole.fields->n; i++)
		if (strlen(whole.fields->items[i].value) > max_field) abort();
	buf_free(&whole.sink.log);
	buf_free(&pieces.sink.log);
	arena_free(a);
	return 0;
}
