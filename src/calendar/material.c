/* A session's materials, the rules: links, and files checked by their
 * content (documents and pictures, never video). Pure: no I/O. */
#include <string.h>

#include "../base/util.h"
#include "../files/stored_file.h"
#include "session.h"

/* Materials are documents and pictures: video and audio belong to a
 * coaching cycle's evidence, not to a session's handouts. */
const char *material_sniff(const unsigned char *head, size_t n, bool whole)
{
	const char *type = stored_file_sniff(head, n, whole);
	return type && !stored_file_is_media(type) ? type : NULL;
}

const char *material_download_name(arena *a, const char *title, const char *content_type)
{
	return stored_file_download_name(a, title, "material", content_type);
}

bool material_link_valid(const char *url)
{
	if (!(str_starts(url, "http://") || str_starts(url, "https://"))) return false;
	const char *host = strstr(url, "//") + 2;
	if (!*host || *host == '/') return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>') return false;
	return true;
}
