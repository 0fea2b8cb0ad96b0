/* libFuzzer driver: ZIP archives, as uploads arrive. Every entry the
 * reader accepts has a safe name and within-limit sizes; reading it never
 * hands out more than its directory promised, and what it hands out can
 * be read by the CSV reader in turn. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "roster/csv.h"
#include "roster/zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long zread(void *ctx, char *out, size_t n)
{
	return zip_stream_read(ctx, out, n);
}

static const char *zerror(void *ctx)
{
	return zip_stream_error(ctx);
}

/* A ".." that is a whole segment of the path, not part of a name. */
static bool climbs(const char *name)
{
	size_t n = strlen(name);
	return !strcmp(name, "..") || !strncmp(name, "../", 3) || strstr(name, "/../") ||
		(n >= 3 && !strcmp(name + n - 3, "/.."));
}

static void check_entry(const zip_entry *e, const zip_limits *lim)
{
	if (!e->name || !*e->name || e->name[0] == '/' || climbs(e->name) || strchr(e->name, '\\') ||
	    strchr(e->name, ':'))
		abort();
	if (e->usize > lim->max_entry_size) abort();
	if (e->method != 0 && e->method != 8) abort();
}

static void read_entry(arena *a, zip_archive *z, const zip_entry *e)
{
	zip_stream *s;
	if (zip_entry_open(z, e, &s)) return;
	char chunk[1024];
	unsigned long long total = 0;
	long n;
	while ((n = zip_stream_read(s, chunk, sizeof chunk)) > 0) {
		total += (unsigned long long)n;
		if (total > e->usize) abort();
	}
	if (n == 0 && total != e->usize) abort();
	if (n < 0 && !zip_stream_error(s)) abort();
	/* The same bytes once more, through the CSV reader. */
	if (zip_entry_open(z, e, &s)) abort();
	csv_reader *r = csv_open(a, e->name, (csv_source){s, zread, zerror}, NULL);
	for (int rows = 0, rc; (rc = csv_next(r)) != 0 && rows < 10000; rows++)
		if (rc < 0 && csv_problem_of(r)->fatal) break;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zip_limits lim = {
		.max_entries = 16, .max_entry_size = 1 << 20, .max_total_size = 4 << 20, .max_ratio = 100};
	arena *a = arena_new();
	zip_archive *z;
	const char *why = zip_open_mem(a, data, size, &lim, &z);
	if (!why) {
		if (zip_count(z) > lim.max_entries) abort();
		for (size_t i = 0; i < zip_count(z); i++) {
			check_entry(zip_entry_at(z, i), &lim);
			if (!zip_entry_at(z, i)->is_dir) read_entry(a, z, zip_entry_at(z, i));
		}
	} else if (!*why) {
		abort();
	}
	arena_free(a);
	return 0;
}
