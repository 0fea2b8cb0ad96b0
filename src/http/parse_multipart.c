/* multipart/form-data (RFC 7578 over RFC 2046), parsed as it streams in:
 * chunk edges may fall anywhere, even inside a boundary, and file parts go
 * straight to the sink so their size never touches memory. */
#include "parse.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "parse_utf8.h"

enum { MAX_BOUNDARY = 70 };

typedef enum mp_state {
	ST_PREAMBLE, /* before the first boundary: ignored (RFC 2046 §5.1.1) */
	ST_TAIL,     /* just after a delimiter: "--", padding or CRLF next */
	ST_TAIL_DASH,
	ST_TAIL_PAD,
	ST_TAIL_CR,
	ST_HEADERS,
	ST_BODY,
	ST_EPILOGUE /* after the closing delimiter: ignored */
} mp_state;

typedef enum part_kind {
	PART_TEXT,
	PART_FILE,
	PART_NO_FILE /* filename="": a file input left empty */
} part_kind;

struct multipart {
	arena *a;
	mp_sink sink;
	bool has_sink;
	size_t max_field;
	const char *err;
	mp_state st;
	/* "\r\n--" boundary; '\r' occurs only at [0] (boundaries cannot hold
	 * it), which is what lets a failed partial match be given back as
	 * data without rescanning it. */
	char delim[4 + MAX_BOUNDARY + 1];
	size_t dlen;
	size_t match; /* bytes of delim seen so far, held back from the part */
	int part;     /* parts begun, counted from 1 */
	char hdr[PARSE_MAX_PART_HEADER];
	size_t hlen;
	part_kind kind;
	const char *name;
	char *val;
	size_t vlen, vcap;
	kvlist fields;
};

/* ---- errors ---- */

static bool fail(multipart *m, const char *msg)
{
	if (!m->err) m->err = msg;
	return false;
}

__attribute__((format(printf, 2, 3))) static bool failf(multipart *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *msg = arena_vprintf(m->a, fmt, ap);
	va_end(ap);
	return fail(m, msg);
}

/* The sink's own message says why better than anything generic. */
static bool sink_refused(multipart *m)
{
	const char *msg = m->sink.error ? m->sink.error(m->sink.ctx) : NULL;
	return fail(m, msg ? msg : "multipart: the upload was refused");
}

/* ---- header values: shared by Content-Type and Content-Disposition ---- */

static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_ows(const char *s)
{
	while (is_ows(*s)) s++;
	return s;
}

static bool token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

static size_t token_len(const char *s)
{
	size_t n = 0;
	while (token_char((unsigned char)s[n])) n++;
	return n;
}

/* A quoted-string starting after its opening quote. Only \" and \\ are
 * escapes: browsers send backslashes in filenames raw, and a Windows path
 * must keep its separators so the last component can be found. */
static const char *read_quoted(arena *a, const char **sp)
{
	const char *s = *sp;
	char *out = arena_alloc(a, strlen(s) + 1), *o = out;
	for (; *s != '"'; s++) {
		if (!*s) return NULL;
		if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) s++;
		*o++ = *s;
	}
	*o = 0;
	*sp = s + 1;
	return out;
}

/* A parameter value: a quoted-string, or any run up to ';' or space —
 * looser than a token because clients send unquoted boundaries with '/'
 * or '=' in them. */
static const char *read_value(arena *a, const char **sp)
{
	const char *s = *sp;
	if (*s == '"') {
		*sp = s + 1;
		return read_quoted(a, sp);
	}
	size_t n = strcspn(s, "; \t\"");
	if (n == 0) return NULL;
	*sp = s + n;
	return arena_strndup(a, s, n);
}

/* Next "; name=value" after a header's main value. Returns 1 with a
 * parameter, 0 at the end, -1 when malformed. */
static int next_param(arena *a, const char **sp, const char **name, size_t *nlen, const char **value)
{
	const char *s = skip_ows(*sp);
	if (!*s) return 0;
	if (*s != ';') return -1;
	s = skip_ows(s + 1);
	if (!*s) return 0; /* a trailing ';' is harmless */
	*nlen = token_len(s);
	if (*nlen == 0) return -1;
	*name = s;
	s = skip_ows(s + *nlen);
	if (*s != '=') return -1;
	s = skip_ows(s + 1);
	*value = read_value(a, &s);
	if (!*value) return -1;
	*sp = s;
	return 1;
}

static bool name_is(const char *name, size_t nlen, const char *want)
{
	return nlen == strlen(want) && strncasecmp(name, want, nlen) == 0;
}

/* ---- the boundary ---- */

/* bchars of RFC 2046 §5.1.1; a space may not be last. */
static bool boundary_valid(const char *b)
{
	size_t n = b ? strlen(b) : 0;
	if (n < 1 || n > MAX_BOUNDARY || b[n - 1] == ' ') return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!alnum && !strchr("'()+_,-./:=? ", c)) return false;
	}
	return true;
}

const char *mp_boundary(arena *a, const char *content_type)
{
	if (!content_type) return NULL;
	const char *s = skip_ows(content_type);
	static const char type[] = "multipart/form-data";
	if (strncasecmp(s, type, sizeof type - 1) != 0) return NULL;
	s += sizeof type - 1;
	const char *name, *value, *boundary = NULL;
	size_t nlen;
	int r;
	while ((r = next_param(a, &s, &name, &nlen, &value)) == 1) {
		if (!name_is(name, nlen, "boundary")) continue;
		if (boundary) return NULL; /* two boundaries: which one? */
		boundary = value;
	}
	return r == 0 && boundary_valid(boundary) ? boundary : NULL;
}

/* ---- creation ---- */

multipart *mp_new(arena *a, const char *boundary, size_t max_field, const mp_sink *sink)
{
	multipart *m = arena_alloc(a, sizeof *m);
	m->a = a;
	m->max_field = max_field;
	m->has_sink = sink && sink->file_begin && sink->file_data && sink->file_end;
	if (sink) m->sink = *sink;
	m->fields.items = arena_calloc(a, PARSE_MAX_PARTS, sizeof(kv));
	/* An invalid boundary surfaces as mp_feed's error, so callers have
	 * one place to look. */
	if (!boundary_valid(boundary)) {
		m->err = "multipart: invalid boundary";
		return m;
	}
	size_t blen = strlen(boundary);
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, boundary, blen);
	m->dlen = 4 + blen;
	m->match = 2; /* the first delimiter may start the body without a CRLF */
	return m;
}

const kvlist *mp_fields(const multipart *m)
{
	return &m->fields;
}

/* ---- part headers ---- */

typedef struct part_headers {
	const char *disposition;
	const char *content_type;
} part_headers;

/* Header lines may not hide control bytes (a NUL would cut a name short
 * and a bare CR or LF is not a line end here). */
static bool line_clean(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
	}
	return true;
}

static bool keep_header(multipart *m, const char *line, size_t len, part_headers *h)
{
	const char *colon = memchr(line, ':', len);
	size_t nlen = colon ? (size_t)(colon - line) : 0;
	if (nlen == 0 || token_len(line) != nlen || !line_clean(line, len))
		return failf(m, "multipart: part %d has a malformed header", m->part);
	const char *v = colon + 1, *end = line + len;
	while (v < end && is_ows(*v)) v++;
	while (end > v && is_ows(end[-1])) end--;
	const char *value = arena_strndup(m->a, v, (size_t)(end - v));
	const char **slot;
	if (name_is(line, nlen, "Content-Disposition")) slot = &h->disposition;
	else if (name_is(line, nlen, "Content-Type")) slot = &h->content_type;
	else return true; /* other headers do not matter to a form */
	if (*slot) return failf(m, "multipart: part %d repeats a header", m->part);
	*slot = value;
	return true;
}

/* Splits the block (which ends in an empty line) into header lines. A CR
 * not followed by LF stays in its line, where line_clean refuses it. */
static bool split_headers(multipart *m, part_headers *h)
{
	const char *p = m->hdr, *end = m->hdr + m->hlen - 2;
	while (p < end) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		while (cr && cr[1] != '\n') cr = memchr(cr + 1, '\r', (size_t)(end - cr - 1));
		if (!cr) cr = end; /* unreachable: the block ends in CRLF */
		if (!keep_header(m, p, (size_t)(cr - p), h)) return false;
		p = cr + 2;
	}
	return true;
}

/* The last path component: some clients still send a full path, and a
 * filename must never steer where anything is stored. */
static const char *basename_of(const char *f)
{
	const char *base = f;
	for (const char *p = f; *p; p++)
		if (*p == '/' || *p == '\\') base = p + 1;
	return base;
}

static bool filename_usable(const char *f)
{
	if (!*f || strcmp(f, ".") == 0 || strcmp(f, "..") == 0) return false;
	return line_clean(f, strlen(f)) && !strchr(f, '\t') && parse_utf8_valid(f, strlen(f));
}

typedef struct disposition {
	const char *name;
	const char *filename;
} disposition;

static bool set_once(multipart *m, const char **slot, const char *value)
{
	if (*slot) return failf(m, "multipart: part %d has a malformed Content-Disposition", m->part);
	*slot = value;
	return true;
}

static bool parse_disposition(multipart *m, const char *s, disposition *d)
{
	size_t tlen = token_len(s);
	if (!name_is(s, tlen, "form-data")) return failf(m, "multipart: part %d is not form-data", m->part);
	s += tlen;
	const char *name, *value;
	size_t nlen;
	int r;
	while ((r = next_param(m->a, &s, &name, &nlen, &value)) == 1) {
		bool ok = true;
		if (name_is(name, nlen, "name")) ok = set_once(m, &d->name, value);
		else if (name_is(name, nlen, "filename")) ok = set_once(m, &d->filename, value);
		if (!ok) return false;
	}
	if (r < 0) return failf(m, "multipart: part %d has a malformed Content-Disposition", m->part);
	return true;
}

static bool check_name(multipart *m, const char *name)
{
	if (!name || !*name) return failf(m, "multipart: part %d has no name", m->part);
	size_t n = strlen(name);
	if (n > PARSE_MAX_KEY)
		return failf(m, "multipart: part %d has a name longer than %d bytes", m->part, PARSE_MAX_KEY);
	if (!line_clean(name, n) || !parse_utf8_valid(name, n))
		return failf(m, "multipart: part %d has a malformed name", m->part);
	return true;
}

static bool begin_file(multipart *m, const char *filename, const char *ctype)
{
	if (!*filename) {
		m->kind = PART_NO_FILE;
		return true;
	}
	filename = basename_of(filename);
	if (!filename_usable(filename))
		return failf(m, "multipart: part %d has an unusable filename", m->part);
	if (!m->has_sink)
		return failf(m, "multipart: part %d is a file, and files are not accepted here", m->part);
	m->kind = PART_FILE;
	/* RFC 7578 §4.4: a file without a Content-Type is octet-stream. */
	if (!ctype || !*ctype) ctype = "application/octet-stream";
	if (m->sink.file_begin(m->sink.ctx, m->name, filename, ctype) != 0) return sink_refused(m);
	return true;
}

static bool begin_part(multipart *m)
{
	part_headers h = {0};
	disposition d = {0};
	if (!split_headers(m, &h)) return false;
	if (!h.disposition) return failf(m, "multipart: part %d has no Content-Disposition", m->part);
	if (!parse_disposition(m, h.disposition, &d) || !check_name(m, d.name)) return false;
	m->name = d.name;
	m->val = NULL;
	m->vlen = m->vcap = 0;
	if (d.filename) return begin_file(m, d.filename, h.content_type);
	m->kind = PART_TEXT;
	return true;
}

/* Collects header bytes until the empty line; returns bytes consumed. */
static size_t feed_headers(multipart *m, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m->hlen == sizeof m->hdr) {
			failf(m, "multipart: part %d has more than %d bytes of headers", m->part,
			      PARSE_MAX_PART_HEADER);
			return i;
		}
		m->hdr[m->hlen++] = p[i];
		bool empty = m->hlen == 2 && memcmp(m->hdr, "\r\n", 2) == 0;
		bool done = m->hlen >= 4 && memcmp(m->hdr + m->hlen - 4, "\r\n\r\n", 4) == 0;
		if (empty || done) {
			if (begin_part(m)) m->st = ST_BODY;
			return i + 1;
		}
	}
	return n;
}

/* ---- part bodies ---- */

static bool field_append(multipart *m, const char *p, size_t n)
{
	if (n > m->max_field - m->vlen)
		return failf(m, "multipart: field \"%s\" is longer than %zu bytes", m->name, m->max_field);
	if (n >= m->vcap - m->vlen) {
		/* Doubling keeps the arena's waste under the field's own size. */
		size_t cap = m->vcap ? m->vcap : 64;
		while (cap - m->vlen <= n) cap *= 2;
		char *v = arena_alloc(m->a, cap);
		if (m->vlen) memcpy(v, m->val, m->vlen);
		m->val = v;
		m->vcap = cap;
	}
	memcpy(m->val + m->vlen, p, n);
	m->vlen += n;
	return true;
}

static bool emit(multipart *m, const char *p, size_t n)
{
	if (n == 0 || m->st == ST_PREAMBLE) return true;
	switch (m->kind) {
	case PART_TEXT: return field_append(m, p, n);
	case PART_FILE:
		if (m->sink.file_data(m->sink.ctx, p, n) != 0) return sink_refused(m);
		return true;
	case PART_NO_FILE: break;
	}
	return failf(m, "multipart: part %d has a file with an empty filename", m->part);
}

static bool end_text(multipart *m)
{
	const char *v = m->val ? m->val : "";
	if (m->val) m->val[m->vlen] = 0;
	if (memchr(v, 0, m->vlen)) return failf(m, "multipart: field \"%s\" contains a NUL byte", m->name);
	if (!parse_utf8_valid(v, m->vlen))
		return failf(m, "multipart: field \"%s\" is not valid UTF-8", m->name);
	m->fields.items[m->fields.n++] = (kv){m->name, v};
	return true;
}

static bool end_part(multipart *m)
{
	switch (m->kind) {
	case PART_TEXT: return end_text(m);
	case PART_FILE:
		if (m->sink.file_end(m->sink.ctx) != 0) return sink_refused(m);
		return true;
	case PART_NO_FILE: break;
	}
	return true;
}

/* The delimiter is complete: whatever part it closes is done. */
static void delimiter_found(multipart *m)
{
	m->match = 0;
	if (m->st == ST_BODY && !end_part(m)) return;
	m->st = ST_TAIL;
}

/* Continues a delimiter begun in an earlier chunk. True when nothing more
 * of p is to be scanned now; *used says how much of it was eaten. */
static bool resume_match(multipart *m, const char *p, size_t n, size_t *used)
{
	size_t carried = m->match, i = 0;
	while (i < n && m->match < m->dlen && p[i] == m->delim[m->match]) i++, m->match++;
	*used = i;
	if (m->match == m->dlen) {
		delimiter_found(m);
		return true;
	}
	if (i == n) return true; /* still undecided: keep holding it back */
	/* Not a delimiter: the held-back bytes were data. p[0..i) holds no
	 * CR (only delim[0] is one), so the scan goes on from p[i]. */
	m->match = 0;
	return !emit(m, m->delim, carried);
}

/* Passes part data on up to the next delimiter. Each call emits at most
 * one run from p, so a file reaches the sink in chunk-sized pieces even
 * when its bytes are full of CRs. Returns bytes consumed. */
static size_t scan(multipart *m, const char *p, size_t n)
{
	size_t i = 0;
	if (m->match && resume_match(m, p, n, &i)) return i;
	if (m->err) return n;
	for (const char *cr; (cr = memchr(p + i, '\r', n - i)); i++) {
		size_t c = (size_t)(cr - p), k = 0;
		while (k < m->dlen && c + k < n && p[c + k] == m->delim[k]) k++;
		i = c;
		if (k < m->dlen && c + k < n) continue; /* a CR, not a delimiter */
		if (!emit(m, p, c)) return n;
		if (k < m->dlen) {
			m->match = k; /* cut off by the chunk's end: decide later */
			return n;
		}
		delimiter_found(m);
		return c + k;
	}
	emit(m, p, n);
	return n;
}

/* ---- after a delimiter: "--" closes, else padding and CRLF ---- */

static bool start_headers(multipart *m)
{
	if (++m->part > PARSE_MAX_PARTS) return failf(m, "multipart: more than %d parts", PARSE_MAX_PARTS);
	m->hlen = 0;
	m->st = ST_HEADERS;
	return true;
}

static void tail_byte(multipart *m, char c)
{
	mp_state st = m->st;
	if (st == ST_TAIL && c == '-') m->st = ST_TAIL_DASH;
	else if (st == ST_TAIL_DASH && c == '-') m->st = ST_EPILOGUE;
	else if ((st == ST_TAIL || st == ST_TAIL_PAD) && is_ows(c)) m->st = ST_TAIL_PAD;
	else if ((st == ST_TAIL || st == ST_TAIL_PAD) && c == '\r') m->st = ST_TAIL_CR;
	else if (st == ST_TAIL_CR && c == '\n') start_headers(m);
	else fail(m, "multipart: malformed boundary line");
}

const char *mp_feed(multipart *m, const char *data, size_t len)
{
	size_t i = 0;
	while (i < len && !m->err) {
		switch (m->st) {
		case ST_PREAMBLE:
		case ST_BODY: i += scan(m, data + i, len - i); break;
		case ST_HEADERS: i += feed_headers(m, data + i, len - i); break;
		case ST_EPILOGUE: i = len; break;
		default: tail_byte(m, data[i++]); break;
		}
	}
	return m->err;
}

const char *mp_finish(multipart *m)
{
	if (!m->err && m->st != ST_EPILOGUE) fail(m, "multipart: closing boundary missing");
	return m->err;
}
