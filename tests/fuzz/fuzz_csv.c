/* libFuzzer driver: CSV files. The first byte chooses the limits and how
 * the input is chunked; read whole and read in chunks, the rows and the
 * problems must be the same, and every row must keep the promises: as
 * many fields as the header, none longer than the limit, all UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/parse_utf8.h"
#include "roster/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct chunks {
	const uint8_t *data;
	size_t len, pos, step;
} chunks;

static long chunk_read(void *ctx, char *out, size_t n)
{
	chunks *c = ctx;
	size_t take = c->len - c->pos;
	if (take > c->step) take = c->step;
	if (take > n) take = n;
	memcpy(out, c->data + c->pos, take);
	c->pos += take;
	return (long)take;
}

static void check_row(const csv_reader *r, const csv_limits *lim)
{
	if (csv_nfields(r) != csv_ncolumns(r)) abort();
	for (size_t i = 0; i < csv_nfields(r); i++) {
		size_t n = csv_field_len(r, i);
		if (n > lim->max_field || strlen(csv_field(r, i)) != n) abort();
		if (!parse_utf8_valid(csv_field(r, i), n)) abort();
	}
}

/* Everything the reader said, as text, for comparing two readings. */
static void transcript(csv_reader *r, const csv_limits *lim, buf *out)
{
	int rc = csv_read_header(r);
	size_t rows = 0;
	while (rc > 0 && (rc = csv_next(r)) != 0) {
		const csv_problem *p = csv_problem_of(r);
		if (rc < 0) {
			buf_printf(out, "!%zu:%zu:%s\n", p->row, p->column, p->message);
			if (p->fatal) break;
			rc = 1;
			continue;
		}
		check_row(r, lim);
		if (++rows > lim->max_rows) abort();
		buf_printf(out, "%zu:", csv_row(r));
		for (size_t i = 0; i < csv_nfields(r); i++) {
			buf_append(out, csv_field(r, i), csv_field_len(r, i));
			buf_putc(out, '|');
		}
		buf_putc(out, '\n');
	}
	if (rc < 0 && csv_problem_of(r)) buf_printf(out, "!%s\n", csv_problem_of(r)->message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	uint8_t knobs = data[0];
	data++, size--;
	csv_limits lim = {.max_field = 1 + (knobs & 7) * 16,
			  .max_columns = 1 + ((knobs >> 3) & 7),
			  .max_rows = 2 + (knobs >> 6) * 50};
	if (knobs == 0xff) lim = CSV_LIMITS_DEFAULT;
	arena *a = arena_new();
	buf whole = BUF_INIT, streamed = BUF_INIT;
	transcript(csv_open_mem(a, "f.csv", data, size, &lim), &lim, &whole);
	chunks c = {data, size, 0, 1 + (knobs % 5)};
	transcript(csv_open(a, "f.csv", (csv_source){&c, chunk_read, NULL}, &lim), &lim, &streamed);
	if (whole.len != streamed.len || (whole.len && memcmp(whole.data, streamed.data, whole.len))) abort();
	buf_free(&whole);
	buf_free(&streamed);
	arena_free(a);
	return 0;
}
