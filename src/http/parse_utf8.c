/* Strict UTF-8 validation for the parsers: jansson refuses invalid UTF-8,
 * so a bad byte must be caught where the request is parsed, not later. */
#include "parse_utf8.h"

/* Length of the sequence that lead byte c starts, 0 if c cannot lead. */
static size_t seq_len(unsigned char c)
{
	if (c < 0x80) return 1;
	if (c >= 0xC2 && c <= 0xDF) return 2;
	if (c >= 0xE0 && c <= 0xEF) return 3;
	if (c >= 0xF0 && c <= 0xF4) return 4;
	return 0; /* continuation byte, overlong lead C0/C1, or above U+10FFFF */
}

/* The second byte's range depends on the lead: that is where overlongs,
 * surrogates and code points above U+10FFFF are excluded (RFC 3629 §4). */
static bool second_ok(unsigned char lead, unsigned char c)
{
	switch (lead) {
	case 0xE0: return c >= 0xA0 && c <= 0xBF;
	case 0xED: return c >= 0x80 && c <= 0x9F;
	case 0xF0: return c >= 0x90 && c <= 0xBF;
	case 0xF4: return c >= 0x80 && c <= 0x8F;
	default: return c >= 0x80 && c <= 0xBF;
	}
}

bool parse_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t n = seq_len(p[i]);
		if (n == 0 || n > len - i) return false;
		if (n > 1 && !second_ok(p[i], p[i + 1])) return false;
		for (size_t k = 2; k < n; k++)
			if ((p[i + k] & 0xC0) != 0x80) return false;
		i += n;
	}
	return true;
}
