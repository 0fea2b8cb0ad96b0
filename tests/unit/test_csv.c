/* Unit tests for the two readers a roster arrives through: the CSV reader
 * (quotes, embedded newlines, CRLF, BOM, ragged rows, limits, errors with
 * row and column) and the ZIP reader (archives built here with zlib). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "base/arena.h"
#include "base/buf.h"
#include "roster/csv.h"
#include "roster/zip.h"

/* ---- CSV helpers ---- */

/* A source handing out at most `step` bytes per read, to put chunk
 * boundaries everywhere: inside quotes, between CR and LF, in the BOM. */
typedef struct drip {
	const char *data;
	size_t len, pos, step;
	bool fail_at_end;
} drip;

static long drip_read(void *ctx, char *out, size_t n)
{
	drip *d = ctx;
	if (d->pos == d->len && d->fail_at_end) return -1;
	size_t take = d->len - d->pos;
	if (take > d->step) take = d->step;
	if (take > n) take = n;
	memcpy(out, d->data + d->pos, take);
	d->pos += take;
	return (long)take;
}

static const char *drip_error(void *ctx)
{
	(void)ctx;
	return "the disk went away";
}

/* Reads every data row of text, each row as its fields joined by '|' and
 * rows by '\n'; problems as "!row:column:message". Whole-buffer reading
 * and one-byte streaming must agree. */
static char *read_all_with(arena *a, csv_reader *r)
{
	buf out = BUF_INIT;
	int rc = csv_read_header(r);
	if (rc < 0) {
		const csv_problem *p = csv_problem_of(r);
		buf_printf(&out, "!%zu:%zu:%s\n", p->row, p->column, p->message);
	}
	while (rc > 0 && (rc = csv_next(r)) != 0) {
		if (rc < 0) {
			const csv_problem *p = csv_problem_of(r);
			buf_printf(&out, "!%zu:%s:%s\n", p->row, p->column_name ? p->column_name : "-",
				   p->message);
			if (p->fatal) break;
			rc = 1;
			continue;
		}
		buf_printf(&out, "%zu:", csv_row(r));
		for (size_t i = 0; i < csv_nfields(r); i++)
			buf_printf(&out, "%s%s", i ? "|" : "", csv_field(r, i));
		buf_putc(&out, '\n');
	}
	char *s = arena_strdup(a, buf_cstr(&out));
	buf_free(&out);
	return s;
}

static char *read_all(arena *a, const char *text, size_t len, const csv_limits *lim)
{
	char *whole = read_all_with(a, csv_open_mem(a, "t.csv", text, len, lim));
	for (size_t step = 1; step <= 3; step++) {
		drip d = {.data = text, .len = len, .step = step};
		char *streamed =
			read_all_with(a, csv_open(a, "t.csv", (csv_source){&d, drip_read, drip_error}, lim));
		assert_string_equal(streamed, whole);
	}
	return whole;
}

#define READ(a, lit) read_all((a), (lit), sizeof(lit) - 1, NULL)

/* ---- CSV ---- */

static void test_plain_rows(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(READ(a, "id,name\n1,Ann\n2,Bo\n"), "2:1|Ann\n3:2|Bo\n");
	/* The last line may lack its newline; fields may be empty. */
	assert_string_equal(READ(a, "a,b,c\n,,\nx,,z"), "2:||\n3:x||z\n");
	arena_free(a);
}

static void test_quotes(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(READ(a, "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n"), "2:x, y|say \"hi\"\n");
	assert_string_equal(READ(a, "a,b\n\"\",\"\"\"\"\n"), "2:|\"\n");
	/* A quote inside an unquoted field is taken literally. */
	assert_string_equal(READ(a, "a,b\n5\" ruler,x\n"), "2:5\" ruler|x\n");
	arena_free(a);
}

static void test_embedded_newlines_keep_row_numbers(void **state)
{
	(void)state;
	arena *a = arena_new();
	/* Row numbers count records as a spreadsheet shows them, not lines. */
	assert_string_equal(READ(a, "a,b\n\"line one\nline two\",x\n\"3\r\n4\",y\nlast,z\n"),
			    "2:line one\nline two|x\n3:3\r\n4|y\n4:last|z\n");
	arena_free(a);
}

static void test_line_endings(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(READ(a, "a,b\r\n1,2\r\n3,4\r\n"), "2:1|2\n3:3|4\n");
	assert_string_equal(READ(a, "a,b\r1,2\r3,4"), "2:1|2\n3:3|4\n");
	assert_string_equal(READ(a, "a,b\n1,2\r\n3,4\n"), "2:1|2\n3:3|4\n");
	/* Blank lines are skipped but counted; "" is not blank. */
	assert_string_equal(READ(a, "a\n\n1\n\"\"\n\n"), "3:1\n4:\n");
	arena_free(a);
}

static void test_bom_is_stripped(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const char text[] = "\xEF\xBB\xBFsourcedId,name\nx,y\n";
	csv_reader *r = csv_open_mem(a, "t.csv", text, sizeof text - 1, NULL);
	assert_int_equal(csv_read_header(r), 1);
	assert_string_equal(csv_column_name(r, 0), "sourcedId");
	assert_string_equal(READ(a, "\xEF\xBB\xBFsourcedId,name\nx,y\n"), "2:x|y\n");
	/* UTF-16 is named, not read as noise. */
	assert_string_equal(READ(a, "\xFF\xFEs\0i\0d\0"),
			    "!1:0:the file is UTF-16 text; save it as CSV in UTF-8\n");
	arena_free(a);
}

static void test_ragged_rows_are_reported_and_skipped(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(READ(a, "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"),
			    "2:1|2|3\n"
			    "!3:-:the row has 2 fields where the header has 3\n"
			    "!4:-:the row has 4 fields where the header has 3\n"
			    "5:10|11|12\n");
	/* A short last row is what a cut-off file looks like. */
	assert_string_equal(READ(a, "a,b,c\n1,2,3\n4,5"),
			    "2:1|2|3\n!3:-:the row has 2 fields where the header has 3 "
			    "(is the file cut short?)\n");
	arena_free(a);
}

static void test_unclosed_quote_is_fatal(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(READ(a, "id,title\n1,ok\n2,\"never closed\n3,x\n"),
			    "2:1|ok\n!3:title:a quoted field is not closed before the end of the file "
			    "(is the file cut short?)\n");
	arena_free(a);
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(READ(a, "id,title\n1,\"a\"b\n2,c\n"),
			    "!2:title:there is text after the closing quote of a quoted field\n3:2|c\n");
	arena_free(a);
}

static void test_binary_and_encoding(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const char nul[] = "id,x\n1,a\0b\n";
	assert_string_equal(read_all(a, nul, sizeof nul - 1, NULL),
			    "!1:0:the file holds NUL bytes: it is binary data, not CSV text\n");
	/* Past the first few kilobytes, the row with the NUL is named. */
	buf late = BUF_INIT;
	buf_puts(&late, "id,x\n");
	for (int i = 0; i < 1000; i++) buf_puts(&late, "1,abc\n");
	buf_append(&late, "2,a\0b\n", 6);
	char *got = read_all(a, late.data, late.len, NULL);
	assert_non_null(strstr(got, "1001:1|abc\n!1002:x:the file holds a NUL byte: it is binary data"));
	buf_free(&late);
	assert_string_equal(READ(a, "id,name\n1,caf\xE9\n2,ok\n"),
			    "!2:name:the text is not UTF-8 (save the file as CSV in UTF-8)\n3:2|ok\n");
	assert_string_equal(READ(a, "id,name\n1,caf\xC3\xA9\n"), "2:1|caf\xC3\xA9\n");
	arena_free(a);
}

static void test_empty_input(void **state)
{
	(void)state;
	arena *a = arena_new();
	csv_reader *r = csv_open_mem(a, "t.csv", "", 0, NULL);
	assert_int_equal(csv_read_header(r), 0);
	assert_int_equal(csv_next(r), 0);
	r = csv_open_mem(a, "t.csv", "\xEF\xBB\xBF", 3, NULL);
	assert_int_equal(csv_read_header(r), 0);
	/* Only a header: no rows, no problem. */
	assert_string_equal(READ(a, "a,b\n"), "");
	arena_free(a);
}

static void test_limits(void **state)
{
	(void)state;
	arena *a = arena_new();
	csv_limits lim = {.max_field = 5, .max_columns = 3, .max_rows = 3};
	static const char long_field[] = "a,b\n1,123456\n";
	assert_string_equal(read_all(a, long_field, sizeof long_field - 1, &lim),
			    "!2:b:a field is longer than 5 bytes (is a quote not closed?)\n");
	static const char quoted_long[] = "a,b\n1,\"12345\n6\"\n";
	assert_string_equal(read_all(a, quoted_long, sizeof quoted_long - 1, &lim),
			    "!2:b:a field is longer than 5 bytes (is a quote not closed?)\n");
	static const char wide[] = "a,b,c\n1,2,3,4\n";
	assert_string_equal(read_all(a, wide, sizeof wide - 1, &lim),
			    "!2:-:the row has more than 3 columns\n");
	static const char tall[] = "a\n1\n2\n3\n";
	assert_string_equal(read_all(a, tall, sizeof tall - 1, &lim),
			    "2:1\n3:2\n!4:-:the file has more than 3 rows\n");
	static const char fits[] = "a,b,c\n12345,,\"x\"\n";
	assert_string_equal(read_all(a, fits, sizeof fits - 1, &lim), "2:12345||x\n");
	arena_free(a);
}

static void test_read_error_is_fatal(void **state)
{
	(void)state;
	arena *a = arena_new();
	buf text = BUF_INIT;
	buf_puts(&text, "a,b\n");
	for (int i = 0; i < 2000; i++) buf_puts(&text, "1,2\n");
	buf_puts(&text, "3,");
	drip d = {.data = text.data, .len = text.len, .step = 100, .fail_at_end = true};
	csv_reader *r = csv_open(a, "t.csv", (csv_source){&d, drip_read, drip_error}, NULL);
	int rows = 0, rc;
	while ((rc = csv_next(r)) == 1) rows++;
	assert_int_equal(rc, -1);
	assert_int_equal(rows, 2000);
	const csv_problem *p = csv_problem_of(r);
	assert_true(p->fatal);
	assert_string_equal(p->message, "the file cannot be read: the disk went away");
	assert_int_equal(csv_next(r), -1);
	/* Failing at once is the same, from the first row. */
	drip early = {.data = "", .len = 0, .step = 1, .fail_at_end = true};
	r = csv_open(a, "t.csv", (csv_source){&early, drip_read, drip_error}, NULL);
	assert_int_equal(csv_read_header(r), -1);
	assert_int_equal(csv_problem_of(r)->row, 1);
	buf_free(&text);
	arena_free(a);
}

static void test_problem_text_names_file_row_column(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const char text[] = "sourcedId,email\nu1,\"x\"y\n";
	csv_reader *r = csv_open_mem(a, "users.csv", text, sizeof text - 1, NULL);
	assert_int_equal(csv_next(r), -1);
	assert_string_equal(csv_problem_text(a, "users.csv", csv_problem_of(r)),
			    "users.csv row 2, column email: there is text after the closing quote of "
			    "a quoted field");
	static const char ragged[] = "a,b\n1\n";
	r = csv_open_mem(a, "users.csv", ragged, sizeof ragged - 1, NULL);
	assert_int_equal(csv_next(r), -1);
	assert_string_equal(csv_problem_text(a, "users.csv", csv_problem_of(r)),
			    "users.csv row 2: the row has 1 fields where the header has 2 (is the file "
			    "cut short?)");
	arena_free(a);
}

/* ---- ZIP helpers: archives written here ---- */

typedef struct zfile {
	const char *name;
	const char *data;
	size_t len;
	uint16_t method; /* 0 or 8 (or anything, to test refusal) */
	uint16_t flags;
	int crc_delta;    /* added to the true CRC */
	long usize_delta; /* added to the declared uncompressed size */
	bool zip64;       /* sizes through a ZIP64 extra field */
} zfile;

static void le16(buf *b, unsigned v)
{
	buf_putc(b, (char)(v & 0xff));
	buf_putc(b, (char)(v >> 8 & 0xff));
}

static void le32(buf *b, uint32_t v)
{
	le16(b, v & 0xffff);
	le16(b, v >> 16);
}

static void le64(buf *b, uint64_t v)
{
	le32(b, (uint32_t)v);
	le32(b, (uint32_t)(v >> 32));
}

static size_t deflate_raw(const char *in, size_t n, unsigned char *out, size_t cap)
{
	z_stream z = {0};
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t got = z.total_out;
	deflateEnd(&z);
	return got;
}

/* Builds an archive of files into b. */
static void build_zip(buf *b, const zfile *files, size_t n)
{
	buf cd = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const zfile *f = &files[i];
		size_t cap = f->len + f->len / 10 + 64;
		unsigned char *comp = malloc(cap);
		size_t clen = f->len;
		if (f->method == 8) clen = deflate_raw(f->data, f->len, comp, cap);
		else memcpy(comp, f->data, f->len);
		uint32_t crc =
			(uint32_t)crc32(0, (const Bytef *)f->data, (uInt)f->len) + (uint32_t)f->crc_delta;
		uint64_t usize = (uint64_t)((long)f->len + f->usize_delta);
		size_t off = b->len, nlen = strlen(f->name);
		le32(b, 0x04034b50);
		le16(b, 20);
		le16(b, f->flags);
		le16(b, f->method);
		le32(b, 0);
		le32(b, crc);
		le32(b, (uint32_t)clen);
		le32(b, (uint32_t)usize);
		le16(b, (unsigned)nlen);
		le16(b, 0);
		buf_append(b, f->name, nlen);
		buf_append(b, comp, clen);
		le32(&cd, 0x02014b50);
		le16(&cd, 45);
		le16(&cd, 20);
		le16(&cd, f->flags);
		le16(&cd, f->method);
		le32(&cd, 0);
		le32(&cd, crc);
		le32(&cd, f->zip64 ? 0xFFFFFFFFu : (uint32_t)clen);
		le32(&cd, f->zip64 ? 0xFFFFFFFFu : (uint32_t)usize);
		le16(&cd, (unsigned)nlen);
		le16(&cd, f->zip64 ? 20 : 0);
		le16(&cd, 0);
		le16(&cd, 0);
		le16(&cd, 0);
		le32(&cd, 0);
		le32(&cd, (uint32_t)off);
		buf_append(&cd, f->name, nlen);
		if (f->zip64) {
			le16(&cd, 1);
			le16(&cd, 16);
			le64(&cd, usize);
			le64(&cd, clen);
		}
		free(comp);
	}
	size_t cd_off = b->len;
	buf_append(b, cd.data, cd.len);
	le32(b, 0x06054b50);
	le16(b, 0);
	le16(b, 0);
	le16(b, (unsigned)n);
	le16(b, (unsigned)n);
	le32(b, (uint32_t)cd.len);
	le32(b, (uint32_t)cd_off);
	le16(b, 0);
	buf_free(&cd);
}

/* Reads an entry whole; NULL (and *err) on failure. */
static char *read_entry(arena *a, zip_archive *z, const zip_entry *e, const char **err)
{
	zip_stream *s;
	*err = zip_entry_open(z, e, &s);
	if (*err) return NULL;
	buf out = BUF_INIT;
	char chunk[7]; /* small on purpose: many reads */
	long n;
	while ((n = zip_stream_read(s, chunk, sizeof chunk)) > 0) buf_append(&out, chunk, (size_t)n);
	char *text = n < 0 ? NULL : arena_strndup(a, out.data ? out.data : "", out.len);
	if (n < 0) *err = zip_stream_error(s);
	buf_free(&out);
	return text;
}

static const char *open_zip(arena *a, const zfile *files, size_t n, const zip_limits *lim, zip_archive **z)
{
	buf b = BUF_INIT;
	build_zip(&b, files, n);
	char *copy = arena_alloc(a, b.len);
	memcpy(copy, b.data, b.len);
	size_t len = b.len;
	buf_free(&b);
	return zip_open_mem(a, copy, len, lim, z);
}

static long zread(void *ctx, char *out, size_t n)
{
	return zip_stream_read(ctx, out, n);
}

static const char *zerror(void *ctx)
{
	return zip_stream_error(ctx);
}

#define ZF(name, text, method) \
	{ \
		name, text, sizeof(text) - 1, method, 0, 0, 0, false \
	}

/* ---- ZIP ---- */

static void test_zip_stored_and_deflated(void **state)
{
	(void)state;
	arena *a = arena_new();
	static const char big[] = "sourcedId,name\n1,Ann\n2,Bo\n3,Cy\n1,Ann\n2,Bo\n3,Cy\n1,Ann\n2,Bo\n";
	zfile files[] = {ZF("roster/", "", 0), ZF("roster/manifest.csv", "propertyName,value\n", 0),
			 ZF("roster/users.csv", big, 8)};
	zip_archive *z;
	assert_null(open_zip(a, files, 3, NULL, &z));
	assert_int_equal(zip_count(z), 3);
	assert_true(zip_entry_at(z, 0)->is_dir);
	const char *err;
	assert_string_equal(read_entry(a, z, zip_entry_at(z, 1), &err), "propertyName,value\n");
	assert_string_equal(read_entry(a, z, zip_entry_at(z, 2), &err), big);
	assert_int_equal(zip_entry_at(z, 2)->method, 8);
	assert_true(zip_entry_at(z, 2)->csize < zip_entry_at(z, 2)->usize);
	/* A CSV reader straight over an entry. */
	zip_stream *s;
	assert_null(zip_entry_open(z, zip_entry_at(z, 2), &s));
	csv_reader *r = csv_open(a, "users.csv", (csv_source){s, zread, zerror}, NULL);
	int rows = 0;
	while (csv_next(r) == 1) rows++;
	assert_int_equal(rows, 8);
	arena_free(a);
}

static void test_zip_crc_and_size_lies(void **state)
{
	(void)state;
	arena *a = arena_new();
	zip_archive *z;
	const char *err;
	zfile bad_crc[] = {{"a.csv", "hello,world\n", 12, 8, 0, 1, 0, false}};
	assert_null(open_zip(a, bad_crc, 1, NULL, &z));
	assert_null(read_entry(a, z, zip_entry_at(z, 0), &err));
	assert_string_equal(err, "a.csv: its CRC does not match (damaged archive)");
	/* The directory says 5 bytes; the data holds 12. */
	zfile small_lie[] = {{"a.csv", "hello,world\n", 12, 8, 0, 0, -7, false}};
	assert_null(open_zip(a, small_lie, 1, NULL, &z));
	assert_null(read_entry(a, z, zip_entry_at(z, 0), &err));
	assert_non_null(strstr(err, "larger than its header says"));
	zfile big_lie[] = {{"a.csv", "hello,world\n", 12, 8, 0, 0, 5, false}};
	assert_null(open_zip(a, big_lie, 1, NULL, &z));
	assert_null(read_entry(a, z, zip_entry_at(z, 0), &err));
	assert_non_null(strstr(err, "shorter than its header says"));
	arena_free(a);
}

static void test_zip_refusals(void **state)
{
	(void)state;
	arena *a = arena_new();
	zip_archive *z;
	zfile enc[] = {{"a.csv", "x", 1, 0, 1, 0, 0, false}};
	assert_string_equal(open_zip(a, enc, 1, NULL, &z),
			    "a.csv is encrypted; encrypted archives are not supported");
	zfile bzip[] = {{"a.csv", "x", 1, 12, 0, 0, 0, false}};
	assert_string_equal(
		open_zip(a, bzip, 1, NULL, &z),
		"a.csv uses compression method 12; only stored and deflated entries are supported");
	static const char *const unsafe[] = {"../evil.csv",   "/etc/passwd", "a\\b.csv",  "C:x.csv",
					     "a/../../b.csv", "a//b.csv",    "x\x01y.csv"};
	for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++) {
		zfile f[] = {{unsafe[i], "x", 1, 0, 0, 0, 0, false}};
		const char *why = open_zip(a, f, 1, NULL, &z);
		assert_non_null(why);
		assert_non_null(strstr(why, "unsafe name"));
	}
	zfile twice[] = {ZF("a.csv", "1", 0), ZF("a.csv", "2", 0)};
	assert_string_equal(open_zip(a, twice, 2, NULL, &z), "the archive holds a.csv twice");
	zip_limits lim = {.max_entries = 1, .max_entry_size = 4, .max_total_size = 6, .max_ratio = 1000};
	assert_string_equal(open_zip(a, twice, 2, &lim, &z), "the archive has more than 1 entries");
	zfile large[] = {ZF("a.csv", "12345", 0)};
	assert_string_equal(open_zip(a, large, 1, &lim, &z), "a.csv is larger than 4 bytes");
	lim.max_entries = 3;
	zfile total[] = {ZF("a.csv", "1234", 0), ZF("b.csv", "1234", 0)};
	assert_string_equal(open_zip(a, total, 2, &lim, &z),
			    "the archive's files add up to more than 6 bytes");
	arena_free(a);
}

static void test_zip_bomb_ratio(void **state)
{
	(void)state;
	arena *a = arena_new();
	size_t n = 4u << 20;
	char *zeros = calloc(1, n);
	zfile f[] = {{"bomb.csv", zeros, n, 8, 0, 0, 0, false}};
	zip_archive *z;
	const char *why = open_zip(a, f, 1, NULL, &z);
	assert_non_null(why);
	assert_non_null(strstr(why, "possible zip bomb"));
	free(zeros);
	arena_free(a);
}

static void test_zip64_sizes(void **state)
{
	(void)state;
	arena *a = arena_new();
	zfile f[] = {{"users.csv", "a,b\n1,2\n", 8, 8, 0, 0, 0, true}};
	zip_archive *z;
	const char *err;
	assert_null(open_zip(a, f, 1, NULL, &z));
	assert_int_equal(zip_entry_at(z, 0)->usize, 8);
	assert_string_equal(read_entry(a, z, zip_entry_at(z, 0), &err), "a,b\n1,2\n");
	arena_free(a);
}

static void test_zip_damaged(void **state)
{
	(void)state;
	arena *a = arena_new();
	zip_archive *z;
	assert_non_null(strstr(zip_open_mem(a, "", 0, NULL, &z), "too short"));
	static const char text[] = "sourcedId,name\n1,not a zip at all, but long enough to search\n";
	assert_non_null(
		strstr(zip_open_mem(a, text, sizeof text - 1, NULL, &z), "no end of central directory"));
	buf b = BUF_INIT;
	zfile f[] = {ZF("a.csv", "hello, world, hello, world\n", 8)};
	build_zip(&b, f, 1);
	/* Cut anywhere: refused at open, or the entry fails, never a crash. */
	for (size_t cut = 0; cut < b.len; cut++) {
		const char *why = zip_open_mem(a, b.data, cut, NULL, &z);
		if (!why) {
			const char *err;
			assert_null(read_entry(a, z, zip_entry_at(z, 0), &err));
		}
	}
	/* Damage the deflated bytes: an error, not garbage. */
	char *copy = arena_alloc(a, b.len);
	memcpy(copy, b.data, b.len);
	copy[30 + 5 + 2] ^= 0x55;
	assert_null(zip_open_mem(a, copy, b.len, NULL, &z));
	const char *err;
	assert_null(read_entry(a, z, zip_entry_at(z, 0), &err));
	assert_non_null(err);
	assert_true(zip_looks_like(b.data, b.len));
	assert_false(zip_looks_like("sourcedId", 9));
	buf_free(&b);
	arena_free(a);
}

static void test_zip_from_fd(void **state)
{
	(void)state;
	arena *a = arena_new();
	char path[] = "/tmp/coachd-test-zip-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	buf b = BUF_INIT;
	zfile f[] = {ZF("manifest.csv", "propertyName,value\noneroster.version,1.1\n", 8)};
	build_zip(&b, f, 1);
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	zip_archive *z;
	assert_null(zip_open_fd(a, fd, NULL, &z));
	const char *err;
	assert_string_equal(read_entry(a, z, zip_entry_at(z, 0), &err),
			    "propertyName,value\noneroster.version,1.1\n");
	close(fd);
	unlink(path);
	buf_free(&b);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_rows),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_embedded_newlines_keep_row_numbers),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_bom_is_stripped),
		cmocka_unit_test(test_ragged_rows_are_reported_and_skipped),
		cmocka_unit_test(test_unclosed_quote_is_fatal),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_binary_and_encoding),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_read_error_is_fatal),
		cmocka_unit_test(test_problem_text_names_file_row_column),
		cmocka_unit_test(test_zip_stored_and_deflated),
		cmocka_unit_test(test_zip_crc_and_size_lies),
		cmocka_unit_test(test_zip_refusals),
		cmocka_unit_test(test_zip_bomb_ratio),
		cmocka_unit_test(test_zip64_sizes),
		cmocka_unit_test(test_zip_damaged),
		cmocka_unit_test(test_zip_from_fd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
