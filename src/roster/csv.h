/* Our own RFC 4180 CSV reader, streaming and bounded: quoted fields with
 * doubled quotes and embedded newlines, CRLF or LF, a UTF-8 BOM stripped,
 * every field checked to be UTF-8. Problems name the row (1-based, the
 * header is row 1), the column and what is wrong. */
#ifndef COACHD_CSV_H
#define COACHD_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"

typedef struct csv_limits {
	size_t max_field;   /* bytes in one field */
	size_t max_columns; /* fields in one row */
	size_t max_rows;    /* rows in the file, the header included */
} csv_limits;

/* Large enough for a district's 1,000,000 enrollments; small enough that
 * a file that is not CSV at all stops early. */
#define CSV_LIMITS_DEFAULT ((csv_limits){64 * 1024, 256, 20 * 1000 * 1000})

/* Where bytes come from: read returns the number of bytes put in buf, 0 at
 * the end, negative on failure (error then says why; it may be NULL). */
typedef struct csv_source {
	void *ctx;
	long (*read)(void *ctx, char *buf, size_t n);
	const char *(*error)(void *ctx);
} csv_source;

typedef struct csv_problem {
	size_t row;              /* 1-based; the header is row 1 */
	size_t column;           /* 1-based; 0 when it is about the whole row */
	const char *column_name; /* from the header; NULL when unknown */
	const char *message;     /* what is wrong, lower case, no file name */
	bool fatal;              /* the rest of the file cannot be read */
} csv_problem;

typedef struct csv_reader csv_reader;

/* name is the file's name, kept for messages. lim may be NULL (defaults). */
csv_reader *csv_open(arena *a, const char *name, csv_source src, const csv_limits *lim);
csv_reader *csv_open_mem(arena *a, const char *name, const void *data, size_t len, const csv_limits *lim);

/* Reads the header row: 1 when read, 0 when the file has no rows at all,
 * -1 on a problem (csv_problem_of says which). */
int csv_read_header(csv_reader *r);
/* Reads the next data row: 1 when read, 0 at the end, -1 on a problem.
 * After a problem that is not fatal (a ragged row, text that is not
 * UTF-8, text after a closing quote) reading can go on with the next row;
 * after a fatal one every call returns -1 again. */
int csv_next(csv_reader *r);

/* The row just read: fields are NUL-terminated and valid until the next
 * call. A field index past the row's end reads as "". */
size_t csv_nfields(const csv_reader *r);
const char *csv_field(const csv_reader *r, size_t i);
size_t csv_field_len(const csv_reader *r, size_t i);
size_t csv_row(const csv_reader *r);

size_t csv_ncolumns(const csv_reader *r); /* in the header */
const char *csv_column_name(const csv_reader *r, size_t i);
const char *csv_name(const csv_reader *r);
/* Bytes of the file consumed so far (for progress and tests). */
unsigned long long csv_bytes_read(const csv_reader *r);

/* The last problem, or NULL. The message is overwritten by the next one. */
const csv_problem *csv_problem_of(const csv_reader *r);
/* "users.csv row 7, column email: ..." in a's memory. */
char *csv_problem_text(arena *a, const char *file, const csv_problem *p);

#endif
