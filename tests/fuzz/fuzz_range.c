/* libFuzzer driver: Range headers. The first byte picks the resource
 * size (small sizes often, where the edge cases are), the rest is the
 * header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "http/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long long pick_total(uint8_t b)
{
	if (b < 200) return b % 20;
	if (b < 250) return 1000;
	return ~0ULL - (unsigned long long)(b - 250); /* near the top: overflow */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	arena *a = arena_new();
	unsigned long long total = pick_total(data[0]);
	const char *header = arena_strndup(a, (const char *)data + 1, size - 1);
	const unsigned long long unset = 0xdeadbeefULL;
	unsigned long long first = unset, last = unset;
	int r = parse_range(header, total, &first, &last);
	if (r < -1 || r > 1) abort();
	if (r == 1 && !(first <= last && last < total)) abort();
	if (r != 1 && (first != unset || last != unset)) abort();
	if (strchr(header, ',') && r != 0) abort(); /* multi-range is ignored */
	arena_free(a);
	return 0;
}
