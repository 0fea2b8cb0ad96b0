/* Small helpers shared by every layer: invariants, parsing numbers, time. */
#ifndef COACHD_UTIL_H
#define COACHD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SQLite-style invariant checks: in test builds (NDEBUG unset) a broken
 * invariant aborts loudly; in release builds the condition is still
 * evaluated so the caller can take its defensive branch. */
#ifndef NDEBUG
#define ALWAYS(x) ((x) ? 1 : (invariant_failed(#x, __FILE__, __LINE__), 0))
#define NEVER(x) ((x) ? (invariant_failed(#x, __FILE__, __LINE__), 1) : 0)
#else
#define ALWAYS(x) (!!(x))
#define NEVER(x) (!!(x))
#endif
void invariant_failed(const char *expr, const char *file, int line);

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Parses a whole decimal integer string within [min,max]; false otherwise. */
bool parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);
bool str_eq(const char *a, const char *b);  /* NULL-safe */
bool str_ieq(const char *a, const char *b); /* ASCII, NULL-safe */
bool str_starts(const char *s, const char *prefix);
/* s without surrounding white space (in a); NULL stays NULL. */
struct arena;
const char *text_trim(struct arena *a, const char *s);
/* Characters of UTF-8 text, not bytes (its bytes that do not continue
 * one): a title in Spanish or Vietnamese is no shorter for its accents.
 * NULL: 0. */
size_t utf8_length(const char *s);
/* s cut to at most max characters on a character boundary (in a when
 * cut); ellipsis: end a cut text with "…", for quoting a person's input
 * back to them. NULL: "". */
const char *utf8_cut(struct arena *a, const char *s, size_t max, bool ellipsis);
/* The one rule for every single-line field (a name, a title, a purpose, a
 * unit), wherever it comes from: no control character (C0, DEL, C1), no
 * line or paragraph separator and no bidirectional override (which would
 * make one name read as another), and at most max characters. The text is
 * UTF-8 already (every request is checked as it is parsed). NULL and ""
 * fit: whether a field is required is its own rule. */
typedef enum text_line_fault { TEXT_LINE_FITS, TEXT_LINE_BREAKS, TEXT_LINE_LONG } text_line_fault;
text_line_fault text_line_check(const char *s, size_t max);
/* The rule of a field of several lines (evidence, a transcript): the same,
 * but for the line breaks and tabs it may hold. */
text_line_fault text_lines_check(const char *s, size_t max);
/* One cell of the builders' "A | B | C" lines: one line, and no | (which
 * parts the cells). Its length is checked on its own. */
bool text_fits_cell(const char *s);
/* The same as a sentence in a naming the field as what ("title"); NULL
 * when s fits. */
const char *text_line_problem(struct arena *a, const char *what, const char *s, size_t max);
int64_t now_unix(void);
/* Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
 * Hinnant's civil-date algorithms): exact, with no time zone involved. */
int64_t days_from_civil(int64_t y, int64_t m, int64_t d);
void civil_from_days(int64_t z, int *y, int *m, int *d);
uint64_t now_usec_monotonic(void);
/* Times as coachd shows them, always in UTC (in a): "2025-03-04 14:05 UTC"
 * on pages, "2025-03-04T14:05:09Z" (ISO 8601) in JSON. */
const char *time_text_utc(struct arena *a, int64_t at);
const char *time_iso_utc(struct arena *a, int64_t at);

#endif
