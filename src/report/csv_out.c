/* The CSV writer (RFC 4180) for report downloads: quoting only where the
 * RFC needs it, CRLF line ends, and formula cells neutralised. */
#include <string.h>

#include "report.h"

static bool needs_quotes(const char *s)
{
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* Spreadsheets run a cell starting with these as a formula (CSV
 * injection); a leading apostrophe makes it plain text. */
static bool formula_like(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

void csv_out_field(buf *out, const char *s)
{
	if (!s) s = "";
	bool quote = needs_quotes(s) || formula_like(s);
	if (quote) buf_putc(out, '"');
	if (formula_like(s)) buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"') buf_putc(out, '"');
		buf_putc(out, *p);
	}
	if (quote) buf_putc(out, '"');
}

void csv_out_row(buf *out, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i) buf_putc(out, ',');
		csv_out_field(out, cells[i]);
	}
	buf_puts(out, "\r\n");
}

void csv_out_table(buf *out, const report_table *t)
{
	csv_out_row(out, t->headers, t->ncols);
	for (size_t r = 0; r < t->nrows; r++) csv_out_row(out, t->cells + r * t->ncols, t->ncols);
}
