/* Ratings from CSV with the header unit,rater,value: a file on the command
 * line or a text/csv body. Read with the roster's RFC 4180 reader, so
 * quoting, CRLF, a BOM and UTF-8 are handled the same everywhere. */
#include <string.h>
#include <strings.h>

#include "../base/util.h"
#include "agreement.h"

enum { COL_UNIT, COL_RATER, COL_VALUE, COLS };

static const char *const column_names[COLS] = {"unit", "rater", "value"};

/* The reader's own problem, as "row 7, column value: ...". */
static const char *reader_problem(arena *a, const csv_reader *r)
{
	const csv_problem *p = csv_problem_of(r);
	if (!p) return "the file could not be read";
	if (p->column_name && *p->column_name)
		return arena_printf(a, "row %zu, column %s: %s", p->row, p->column_name, p->message);
	return arena_printf(a, "row %zu: %s", p->row, p->message);
}

/* Finds each column by name (any order, any case, spaces around ignored). */
static const char *read_header(arena *a, csv_reader *r, size_t at[COLS])
{
	int rc = csv_read_header(r);
	if (rc == 0) return "the file is empty: it needs the header unit,rater,value and ratings";
	if (rc < 0) return reader_problem(a, r);
	bool seen[COLS] = {false};
	bool right = csv_ncolumns(r) == COLS;
	for (size_t i = 0; right && i < COLS; i++) {
		const char *name = text_trim(a, csv_column_name(r, i));
		size_t c = 0;
		while (c < COLS && strcasecmp(name, column_names[c])) c++;
		if (c == COLS || seen[c]) right = false;
		else seen[c] = true, at[c] = i;
	}
	if (!right) return "row 1: the header must name the three columns unit,rater,value";
	return NULL;
}

static const char *read_rows(arena *a, csv_reader *r, const agreement_settings *s, agreement_data *d)
{
	size_t at[COLS];
	const char *why = read_header(a, r, at);
	if (why) return why;
	agreement_settings csv = *s;
	csv.origin = AGREEMENT_FROM_CSV;
	agreement_input *in = agreement_input_new(a, &csv);
	size_t rows = 0;
	int rc;
	while ((rc = csv_next(r)) > 0) {
		why = agreement_input_add_text(in, csv_row(r), csv_field(r, at[COL_UNIT]),
					       csv_field(r, at[COL_RATER]), csv_field(r, at[COL_VALUE]));
		if (why) return why;
		rows++;
	}
	if (rc < 0) return reader_problem(a, r);
	if (!rows) return "the file has the header but no ratings";
	return agreement_input_finish(in, d);
}

static csv_limits limits(void)
{
	csv_limits lim = CSV_LIMITS_DEFAULT;
	/* The header and blank rows come on top of the ratings; one row more
	 * than that and the builder names the row that is one too many. */
	lim.max_rows = (size_t)AGREEMENT_MAX_RATINGS * 2 + 2;
	lim.max_columns = 16;
	return lim;
}

const char *agreement_read_csv_mem(arena *a, const char *name, const void *data, size_t len,
				   const agreement_settings *s, agreement_data *d)
{
	csv_limits lim = limits();
	return read_rows(a, csv_open_mem(a, name ? name : "ratings.csv", data, len, &lim), s, d);
}

const char *agreement_read_csv(arena *a, const char *name, csv_source src, const agreement_settings *s,
			       agreement_data *d)
{
	csv_limits lim = limits();
	return read_rows(a, csv_open(a, name ? name : "ratings.csv", src, &lim), s, d);
}
