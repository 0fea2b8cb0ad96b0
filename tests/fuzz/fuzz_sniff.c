/* libFuzzer driver: the content sniffer that judges every uploaded file.
 * The first byte says whether the rest is the whole file; the rest is the
 * head, in a buffer of exactly its size, so a read past it is caught. What
 * comes back is NULL or a type coachd keeps, and the same bytes taken as a
 * title or a client's claim are handled safely too. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "files/stored_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_type(const unsigned char *head, size_t n, const char *type)
{
	if (!type) return;
	if (!strcmp(stored_file_extension(type), "bin")) abort(); /* not a kept type */
	if (!stored_file_claim_matches(type, type)) abort();
	bool media = !strncmp(type, "video/", 6) || !strncmp(type, "audio/", 6);
	if (media != stored_file_is_media(type)) abort();
	if (!strncmp(type, "text/", 5) && memchr(head, 0, n)) abort();
}

static void check_name(arena *a, const char *title, const char *type)
{
	const char *name = stored_file_download_name(a, title, "file", type ? type : "x/y");
	size_t len = strlen(name);
	if (len > 80 + 1 + 4) abort();
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			abort();
	if (name[0] == '.') abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1) return 0;
	bool whole = data[0] & 1;
	size_t n = size - 1;
	unsigned char *head = malloc(n ? n : 1);
	memcpy(head, data + 1, n);
	const char *type = stored_file_sniff(head, n, whole);
	check_type(head, n, type);
	const char *again = stored_file_sniff(head, n, whole);
	if ((type == NULL) != (again == NULL) || (type && strcmp(type, again))) abort(); /* no hidden state */
	arena *a = arena_new();
	const char *text = arena_strndup(a, (const char *)head, n);
	check_name(a, text, type);
	if (type) (void)stored_file_claim_matches(text, type);
	(void)stored_file_name_valid(text);
	arena_free(a);
	free(head);
	return 0;
}
