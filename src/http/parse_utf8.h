/* UTF-8 validation shared by the parse_*.c files (not part of parse.h):
 * every decoded string they hand out must be safe to put into JSON. */
#ifndef COACHD_PARSE_UTF8_H
#define COACHD_PARSE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF). */
bool parse_utf8_valid(const char *s, size_t len);

#endif
