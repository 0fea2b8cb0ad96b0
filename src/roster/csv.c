/* The CSV reader: a small state machine over a window of input, with fast
 * paths for the long runs of ordinary bytes that make up most of a file. */
#include "csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../http/parse_utf8.h"

/* SNIFF: how much of the start is looked at for signs of binary data. */
enum { IN_CHUNK = 64 * 1024, REC_INITIAL = 4096, SNIFF = 4096 };

typedef enum cstate { ST_FIELD_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE_SEEN } cstate;

struct csv_reader {
	arena *a;
	const char *name;
	csv_limits lim;
	csv_source src;
	bool streaming;
	const unsigned char *in; /* the window of input being read */
	size_t in_len, in_pos;
	unsigned char *inbuf;      /* streaming: the window's storage */
	unsigned long long before; /* bytes before the window */
	bool started, eof, pending_cr;
	/* The row being built: field bytes, each followed by a NUL. */
	char *rec;
	size_t rec_len, rec_cap;
	size_t *start;
	size_t *len;
	const char **fields;
	size_t nfields;
	bool quoted; /* the current field began with a quote */
	/* The header's names, once read. */
	char **header;
	size_t ncols;
	bool header_read;
	size_t row;
	/* A problem with the row being read that does not stop the file. */
	size_t row_problem_col;
	const char *row_problem;
	csv_problem prob;
	bool have_prob, fatal;
	char msg[320];
};

/* Bytes that end a run of ordinary bytes outside quotes. */
static const unsigned char special[256] = {[0] = 1, [','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1};

static csv_reader *reader_new(arena *a, const char *name, const csv_limits *lim)
{
	csv_reader *r = arena_alloc(a, sizeof *r);
	r->a = a;
	r->name = name ? name : "";
	r->lim = lim ? *lim : CSV_LIMITS_DEFAULT;
	if (!r->lim.max_columns) r->lim.max_columns = 1;
	r->start = arena_calloc(a, r->lim.max_columns, sizeof *r->start);
	r->len = arena_calloc(a, r->lim.max_columns, sizeof *r->len);
	r->fields = arena_calloc(a, r->lim.max_columns, sizeof *r->fields);
	r->rec_cap = REC_INITIAL;
	r->rec = arena_alloc(a, r->rec_cap);
	return r;
}

csv_reader *csv_open(arena *a, const char *name, csv_source src, const csv_limits *lim)
{
	csv_reader *r = reader_new(a, name, lim);
	r->src = src;
	r->streaming = true;
	r->inbuf = arena_alloc(a, IN_CHUNK);
	r->in = r->inbuf;
	return r;
}

csv_reader *csv_open_mem(arena *a, const char *name, const void *data, size_t len, const csv_limits *lim)
{
	csv_reader *r = reader_new(a, name, lim);
	r->in = data;
	r->in_len = data ? len : 0;
	return r;
}

/* ---- problems ---- */

static const char *column_name(const csv_reader *r, size_t col)
{
	return r->header_read && col >= 1 && col <= r->ncols ? r->header[col - 1] : NULL;
}

static void set_problem(csv_reader *r, size_t row, size_t col, bool fatal, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void set_problem(csv_reader *r, size_t row, size_t col, bool fatal, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof r->msg, fmt, ap);
	va_end(ap);
	r->prob = (csv_problem){.row = row,
				.column = col,
				.column_name = column_name(r, col),
				.message = r->msg,
				.fatal = fatal};
	r->have_prob = true;
	if (fatal) r->fatal = true;
}

const csv_problem *csv_problem_of(const csv_reader *r)
{
	return r->have_prob ? &r->prob : NULL;
}

char *csv_problem_text(arena *a, const char *file, const csv_problem *p)
{
	if (!p) return arena_strdup(a, "");
	if (p->column_name && *p->column_name)
		return arena_printf(a, "%s row %zu, column %s: %s", file, p->row, p->column_name, p->message);
	if (p->column)
		return arena_printf(a, "%s row %zu, column %zu: %s", file, p->row, p->column, p->message);
	return arena_printf(a, "%s row %zu: %s", file, p->row, p->message);
}

/* ---- input ---- */

/* 1 when there is a byte to read, 0 at the end, -1 after a read failure. */
static int fill(csv_reader *r)
{
	if (r->in_pos < r->in_len) return 1;
	if (r->eof || !r->streaming) {
		r->eof = true;
		return 0;
	}
	r->before += r->in_len;
	r->in_len = r->in_pos = 0;
	long n = r->src.read(r->src.ctx, (char *)r->inbuf, IN_CHUNK);
	if (n < 0) {
		const char *why = r->src.error ? r->src.error(r->src.ctx) : NULL;
		set_problem(r, r->row, 0, true, "the file cannot be read: %s", why ? why : "read failed");
		return -1;
	}
	if (n == 0) {
		r->eof = true;
		return 0;
	}
	r->in_len = (size_t)n;
	return 1;
}

/* The first bytes decide two things: a UTF-8 BOM is dropped, and UTF-16
 * (which spreadsheet programs offer as "Unicode text") is named. */
static int begin_input(csv_reader *r)
{
	r->started = true;
	while (r->streaming && !r->eof && r->in_len < SNIFF) {
		long n = r->src.read(r->src.ctx, (char *)r->inbuf + r->in_len, IN_CHUNK - r->in_len);
		if (n < 0) {
			const char *why = r->src.error ? r->src.error(r->src.ctx) : NULL;
			set_problem(r, 1, 0, true, "the file cannot be read: %s", why ? why : "read failed");
			return -1;
		}
		if (n == 0) r->eof = true;
		r->in_len += (size_t)n;
	}
	const unsigned char *p = r->in;
	if (r->in_len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) r->in_pos = 3;
	else if (r->in_len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
		set_problem(r, 1, 0, true, "the file is UTF-16 text; save it as CSV in UTF-8");
		return -1;
	}
	/* Text has no NUL bytes; most binary formats have some early on. */
	if (memchr(p, 0, r->in_len < SNIFF ? r->in_len : SNIFF)) {
		set_problem(r, 1, 0, true, "the file holds NUL bytes: it is binary data, not CSV text");
		return -1;
	}
	return 0;
}

unsigned long long csv_bytes_read(const csv_reader *r)
{
	return r->before + r->in_pos;
}

/* ---- the row being built ---- */

static void grow(csv_reader *r, size_t n)
{
	if (r->rec_len + n + 1 <= r->rec_cap) return;
	size_t cap = r->rec_cap * 2;
	while (cap < r->rec_len + n + 1) cap *= 2;
	char *bigger = arena_alloc(r->a, cap);
	memcpy(bigger, r->rec, r->rec_len);
	r->rec = bigger;
	r->rec_cap = cap;
}

static bool begin_field(csv_reader *r)
{
	if (r->nfields >= r->lim.max_columns) {
		set_problem(r, r->row, 0, true, "the row has more than %zu columns", r->lim.max_columns);
		return false;
	}
	r->start[r->nfields] = r->rec_len;
	r->quoted = false;
	return true;
}

static bool append(csv_reader *r, const void *p, size_t n)
{
	if (r->rec_len - r->start[r->nfields] + n > r->lim.max_field) {
		set_problem(r, r->row, r->nfields + 1, true,
			    "a field is longer than %zu bytes (is a quote not closed?)", r->lim.max_field);
		return false;
	}
	grow(r, n);
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
	return true;
}

static void end_field(csv_reader *r)
{
	grow(r, 0);
	r->len[r->nfields] = r->rec_len - r->start[r->nfields];
	r->rec[r->rec_len++] = '\0';
	r->nfields++;
}

static void row_problem(csv_reader *r, size_t col, const char *message)
{
	if (r->row_problem) return; /* the first one says enough */
	r->row_problem = message;
	r->row_problem_col = col;
}

static int nul_byte(csv_reader *r)
{
	set_problem(r, r->row, r->nfields + 1, true,
		    "the file holds a NUL byte: it is binary data, not CSV text");
	return -1;
}

/* A run of ordinary bytes outside quotes, then what ends it. 1: the row
 * ended, 0: go on, -1: fatal. */
static int unquoted_run(csv_reader *r, cstate *st)
{
	const unsigned char *p = r->in + r->in_pos, *end = r->in + r->in_len, *q = p;
	while (q < end && !special[*q]) q++;
	if (q > p && !append(r, p, (size_t)(q - p))) return -1;
	r->in_pos += (size_t)(q - p);
	if (q == end) return 0;
	unsigned char c = *q;
	r->in_pos++;
	switch (c) {
	case ',':
		end_field(r);
		*st = ST_FIELD_START;
		return begin_field(r) ? 0 : -1;
	case '\r':
		r->pending_cr = true;
		/* fall through */
	case '\n': end_field(r); return 1;
	case '"':
		/* A quote inside an unquoted field is taken as itself, as most
		 * readers do: 5" ruler. */
		return append(r, "\"", 1) ? 0 : -1;
	default: return nul_byte(r);
	}
}

static int quoted_run(csv_reader *r, cstate *st)
{
	const unsigned char *p = r->in + r->in_pos;
	size_t avail = r->in_len - r->in_pos;
	const unsigned char *q = memchr(p, '"', avail);
	size_t n = q ? (size_t)(q - p) : avail;
	if (memchr(p, 0, n)) return nul_byte(r);
	if (n && !append(r, p, n)) return -1;
	r->in_pos += n;
	if (q) {
		r->in_pos++;
		*st = ST_QUOTE_SEEN;
	}
	return 0;
}

/* After a quote inside a quoted field: a doubled quote, or the field's end. */
static int after_quote(csv_reader *r, cstate *st)
{
	unsigned char c = r->in[r->in_pos++];
	switch (c) {
	case '"': *st = ST_QUOTED; return append(r, "\"", 1) ? 0 : -1;
	case ',':
		end_field(r);
		*st = ST_FIELD_START;
		return begin_field(r) ? 0 : -1;
	case '\r':
		r->pending_cr = true;
		/* fall through */
	case '\n': end_field(r); return 1;
	case 0: return nul_byte(r);
	default:
		row_problem(r, r->nfields + 1, "there is text after the closing quote of a quoted field");
		*st = ST_UNQUOTED;
		return append(r, &c, 1) ? 0 : -1;
	}
}

/* Reads one row into rec. 1: a row, 0: the end of the file, -1: fatal. */
static int read_row(csv_reader *r)
{
	r->rec_len = 0;
	r->nfields = 0;
	r->row_problem = NULL;
	r->row++;
	if (!begin_field(r)) return -1;
	cstate st = ST_FIELD_START;
	size_t quote_row = r->row;
	bool any = false;
	for (;;) {
		int f = fill(r);
		if (f < 0) return -1;
		if (f == 0) {
			if (!any) {
				r->row--;
				return 0;
			}
			if (st == ST_QUOTED) {
				set_problem(r, quote_row, r->nfields + 1, true,
					    "a quoted field is not closed before the end of the file "
					    "(is the file cut short?)");
				return -1;
			}
			end_field(r);
			return 1;
		}
		if (r->pending_cr) {
			r->pending_cr = false;
			if (r->in[r->in_pos] == '\n') {
				r->in_pos++;
				continue;
			}
		}
		any = true;
		int rc = 0;
		switch (st) {
		case ST_FIELD_START:
			if (r->in[r->in_pos] == '"') {
				r->in_pos++;
				r->quoted = true;
				st = ST_QUOTED;
				break;
			}
			st = ST_UNQUOTED;
			rc = unquoted_run(r, &st);
			break;
		case ST_UNQUOTED: rc = unquoted_run(r, &st); break;
		case ST_QUOTED: rc = quoted_run(r, &st); break;
		case ST_QUOTE_SEEN: rc = after_quote(r, &st); break;
		}
		if (rc) return rc;
	}
}

/* A row with nothing on it at all (not even ""): skipped, but counted, so
 * row numbers stay those a spreadsheet shows. */
static bool blank_row(const csv_reader *r)
{
	return r->nfields == 1 && r->len[0] == 0 && !r->quoted && !r->row_problem;
}

/* Checks a complete row: its shape against the header, and UTF-8. */
static int check_row(csv_reader *r)
{
	for (size_t i = 0; i < r->nfields; i++) {
		r->fields[i] = r->rec + r->start[i];
		if (!r->row_problem && !parse_utf8_valid(r->fields[i], r->len[i]))
			row_problem(r, i + 1, "the text is not UTF-8 (save the file as CSV in UTF-8)");
	}
	/* A header that is not text: nothing after it can be read as CSV. */
	if (!r->header_read && r->row_problem) {
		set_problem(r, r->row, r->row_problem_col, true,
			    "the header is not UTF-8 text: this is "
			    "binary data, or CSV saved in another encoding (save it as CSV in UTF-8)");
		return -1;
	}
	if (r->row > r->lim.max_rows) {
		set_problem(r, r->row, 0, true, "the file has more than %zu rows", r->lim.max_rows);
		return -1;
	}
	if (r->row_problem) {
		set_problem(r, r->row, r->row_problem_col, false, "%s", r->row_problem);
		return -1;
	}
	if (r->header_read && r->nfields != r->ncols) {
		/* A short last row is what a file cut off in transit looks like. */
		bool last = r->nfields < r->ncols && fill(r) == 0;
		set_problem(r, r->row, 0, r->fatal, "the row has %zu fields where the header has %zu%s",
			    r->nfields, r->ncols, last ? " (is the file cut short?)" : "");
		return -1;
	}
	return 1;
}

static int next_row(csv_reader *r)
{
	if (r->fatal) return -1;
	if (!r->started && begin_input(r) < 0) return -1;
	for (;;) {
		int rc = read_row(r);
		if (rc <= 0) {
			r->nfields = 0;
			return rc;
		}
		if (!blank_row(r)) return check_row(r);
	}
}

int csv_read_header(csv_reader *r)
{
	if (r->header_read) return 1;
	int rc = next_row(r);
	if (rc <= 0) return rc;
	r->header = arena_calloc(r->a, r->nfields, sizeof *r->header);
	for (size_t i = 0; i < r->nfields; i++) r->header[i] = arena_strndup(r->a, r->fields[i], r->len[i]);
	r->ncols = r->nfields;
	r->header_read = true;
	return 1;
}

int csv_next(csv_reader *r)
{
	if (!r->header_read) {
		int rc = csv_read_header(r);
		if (rc <= 0) return rc;
	}
	return next_row(r);
}

size_t csv_nfields(const csv_reader *r)
{
	return r->nfields;
}

const char *csv_field(const csv_reader *r, size_t i)
{
	return i < r->nfields ? r->fields[i] : "";
}

size_t csv_field_len(const csv_reader *r, size_t i)
{
	return i < r->nfields ? r->len[i] : 0;
}

size_t csv_row(const csv_reader *r)
{
	return r->row;
}

size_t csv_ncolumns(const csv_reader *r)
{
	return r->ncols;
}

const char *csv_column_name(const csv_reader *r, size_t i)
{
	return i < r->ncols ? r->header[i] : NULL;
}

const char *csv_name(const csv_reader *r)
{
	return r->name;
}
