/* The ZIP reader: end of central directory (and its ZIP64 form), the
 * central directory itself, each entry's local header, and a stream over
 * its data with size and CRC checked at the end. Every number read from
 * the archive is checked against the archive's size before it is used. */
#include "zip.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "../http/parse_utf8.h"

enum {
	EOCD_SIZE = 22,
	EOCD64_LOCATOR_SIZE = 20,
	EOCD64_SIZE = 56,
	CDH_SIZE = 46,
	LFH_SIZE = 30,
	MAX_COMMENT = 65535,
	MAX_NAME = 1024,
	READ_CHUNK = 64 * 1024
};

/* Any central directory this large holds far more entries than allowed. */
#define MAX_CD_BYTES (64u << 20)
#define RATIO_FLOOR (1u << 20)

struct zip_archive {
	arena *a;
	const unsigned char *mem; /* or */
	int fd;
	uint64_t size;
	zip_limits lim;
	zip_entry *entries;
	size_t n;
	uint64_t cd_offset; /* entry data must end before this */
};

struct zip_stream {
	zip_archive *z;
	const zip_entry *e;
	uint64_t pos, end; /* compressed data still to read */
	uint64_t out;      /* uncompressed bytes handed out */
	uint32_t crc;
	bool inflating, done, failed;
	z_stream zs;
	unsigned char *chunk;
	char err[200];
};

/* ---- little-endian fields ---- */

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

bool zip_looks_like(const void *data, size_t len)
{
	const unsigned char *p = data;
	return len >= 4 && p[0] == 'P' && p[1] == 'K' &&
		((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

/* ---- reading bytes at an offset ---- */

/* Reads exactly n bytes at off; false when they are not all there. */
static bool read_at(const zip_archive *z, uint64_t off, void *dst, size_t n)
{
	if (off > z->size || n > z->size - off) return false;
	if (z->mem) {
		memcpy(dst, z->mem + off, n);
		return true;
	}
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(z->fd, (char *)dst + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) return false;
		got += (size_t)r;
	}
	return true;
}

/* ---- the end of the central directory ---- */

typedef struct eocd {
	uint64_t entries, cd_size, cd_offset;
	uint64_t at; /* where the record (or the ZIP64 record) starts */
} eocd;

static const char *find_eocd(zip_archive *z, eocd *e)
{
	if (z->size < EOCD_SIZE) return "the file is too short to be a ZIP archive";
	uint64_t tail = z->size < EOCD_SIZE + MAX_COMMENT ? z->size : EOCD_SIZE + MAX_COMMENT;
	unsigned char *buf = arena_alloc(z->a, (size_t)tail);
	uint64_t base = z->size - tail;
	if (!read_at(z, base, buf, (size_t)tail)) return "the archive cannot be read";
	for (uint64_t i = tail - EOCD_SIZE + 1; i-- > 0;) {
		const unsigned char *p = buf + i;
		if (le32(p) != 0x06054b50) continue;
		/* The comment must run exactly to the end of the file, or this
		 * is a signature that happens to sit in the comment or data. */
		if (i + EOCD_SIZE + le16(p + 20) != tail) continue;
		if (le16(p + 4) != 0 || le16(p + 6) != 0 || le16(p + 8) != le16(p + 10))
			return "the archive is split over several disks, which is not supported";
		e->entries = le16(p + 10);
		e->cd_size = le32(p + 12);
		e->cd_offset = le32(p + 16);
		e->at = base + i;
		return NULL;
	}
	return "this is not a complete ZIP archive (no end of central directory record: was it cut "
	       "short?)";
}

/* ZIP64: the real counts and offsets sit in a record the locator points at. */
static const char *read_eocd64(zip_archive *z, eocd *e)
{
	unsigned char loc[EOCD64_LOCATOR_SIZE], rec[EOCD64_SIZE];
	if (e->at < EOCD64_LOCATOR_SIZE || !read_at(z, e->at - EOCD64_LOCATOR_SIZE, loc, sizeof loc) ||
	    le32(loc) != 0x07064b50)
		return "the archive says it is ZIP64 but has no ZIP64 locator";
	if (le32(loc + 4) != 0 || le32(loc + 16) > 1)
		return "the archive is split over several disks, which is not supported";
	uint64_t at = le64(loc + 8);
	if (at > e->at - EOCD64_LOCATOR_SIZE || !read_at(z, at, rec, sizeof rec) || le32(rec) != 0x06064b50)
		return "the archive's ZIP64 end of central directory is damaged";
	if (le32(rec + 16) != 0 || le32(rec + 20) != 0 || le64(rec + 24) != le64(rec + 32))
		return "the archive is split over several disks, which is not supported";
	e->entries = le64(rec + 32);
	e->cd_size = le64(rec + 40);
	e->cd_offset = le64(rec + 48);
	e->at = at;
	return NULL;
}

/* ---- names ---- */

/* A relative path of plain segments: nothing that could name a place
 * outside the archive's own tree if anyone ever did write it out. */
static bool name_safe(const char *s, size_t n)
{
	if (n == 0 || n > MAX_NAME || s[0] == '/' || !parse_utf8_valid(s, n)) return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '\\' || c == ':') return false;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && s[j] != '/') j++;
		size_t seg = j - i;
		if (seg == 2 && s[i] == '.' && s[i + 1] == '.') return false;
		if (seg == 0 && j < n) return false; /* "a//b" */
		i = j + 1;
	}
	return true;
}

/* ---- the central directory ---- */

/* The ZIP64 extra field holds, in order, whichever of the sizes and the
 * offset were too large for their 32-bit fields. */
static const char *zip64_extra(const unsigned char *x, size_t xlen, zip_entry *e, bool need_u, bool need_c,
			       bool need_o)
{
	for (size_t i = 0; i + 4 <= xlen;) {
		uint16_t id = le16(x + i), len = le16(x + i + 2);
		if (i + 4 + len > xlen) break;
		if (id == 0x0001) {
			const unsigned char *p = x + i + 4;
			size_t want = 8u * (need_u + need_c + need_o);
			if (len < want) return "an entry's ZIP64 field is too short";
			if (need_u) e->usize = le64(p), p += 8;
			if (need_c) e->csize = le64(p), p += 8;
			if (need_o) e->offset = le64(p);
			return NULL;
		}
		i += 4u + len;
	}
	return "an entry needs ZIP64 sizes but has no ZIP64 field";
}

static const char *entry_problem(zip_archive *z, const zip_entry *e, char *msg, size_t n)
{
	if (e->flags & (1u | 0x40u | 0x2000u) || e->method == 99) {
		snprintf(msg, n, "%s is encrypted; encrypted archives are not supported", e->name);
		return msg;
	}
	if (e->method != 0 && e->method != 8) {
		snprintf(msg, n,
			 "%s uses compression method %u; only stored and deflated entries "
			 "are supported",
			 e->name, e->method);
		return msg;
	}
	if (e->method == 0 && e->csize != e->usize) {
		snprintf(msg, n, "%s is stored but its two sizes differ", e->name);
		return msg;
	}
	if (e->usize > z->lim.max_entry_size) {
		snprintf(msg, n, "%s is larger than %llu bytes", e->name,
			 (unsigned long long)z->lim.max_entry_size);
		return msg;
	}
	if (e->usize > RATIO_FLOOR && e->usize / (e->csize ? e->csize : 1) > z->lim.max_ratio) {
		snprintf(msg, n, "%s is compressed more than %u to 1; refused as a possible zip bomb",
			 e->name, z->lim.max_ratio);
		return msg;
	}
	if (e->offset + LFH_SIZE > z->cd_offset || e->csize > z->cd_offset - e->offset - LFH_SIZE) {
		snprintf(msg, n, "%s lies outside the archive (damaged or cut short?)", e->name);
		return msg;
	}
	return NULL;
}

static const char *parse_entry(zip_archive *z, const unsigned char *cd, size_t cd_len, size_t *pos,
			       zip_entry *e, char *msg, size_t msgn)
{
	const unsigned char *p = cd + *pos;
	if (cd_len - *pos < CDH_SIZE || le32(p) != 0x02014b50)
		return "the archive's central directory is damaged";
	size_t nlen = le16(p + 28), xlen = le16(p + 30), clen = le16(p + 32);
	if (cd_len - *pos - CDH_SIZE < nlen + xlen + clen)
		return "the archive's central directory is damaged";
	const char *name = (const char *)p + CDH_SIZE;
	if (memchr(name, 0, nlen) || !name_safe(name, nlen)) {
		snprintf(msg, msgn,
			 "the archive holds an entry with an unsafe name "
			 "(absolute, \"..\", a backslash or a drive letter)");
		return msg;
	}
	*e = (zip_entry){.name = arena_strndup(z->a, name, nlen),
			 .flags = le16(p + 8),
			 .method = le16(p + 10),
			 .crc = le32(p + 16),
			 .csize = le32(p + 20),
			 .usize = le32(p + 24),
			 .offset = le32(p + 42)};
	e->is_dir = name[nlen - 1] == '/';
	bool nu = e->usize == 0xFFFFFFFFu, nc = e->csize == 0xFFFFFFFFu, no = e->offset == 0xFFFFFFFFu;
	if (le16(p + 34) != 0 && le16(p + 34) != 0xFFFF)
		return "the archive is split over several disks, which is not supported";
	if (nu || nc || no) {
		const char *why = zip64_extra(p + CDH_SIZE + nlen, xlen, e, nu, nc, no);
		if (why) return why;
	}
	*pos += CDH_SIZE + nlen + xlen + clen;
	return entry_problem(z, e, msg, msgn);
}

static const char *read_directory(zip_archive *z, const eocd *e)
{
	if (e->entries > z->lim.max_entries) {
		char *m = arena_printf(z->a, "the archive has more than %zu entries", z->lim.max_entries);
		return m;
	}
	if (e->cd_offset > e->at || e->cd_size > e->at - e->cd_offset)
		return "the archive's central directory lies outside the file (damaged or cut short?)";
	if (e->cd_size > MAX_CD_BYTES) return "the archive's central directory is too large";
	unsigned char *cd = arena_alloc(z->a, (size_t)e->cd_size + 1);
	if (!read_at(z, e->cd_offset, cd, (size_t)e->cd_size)) return "the archive cannot be read";
	z->cd_offset = e->cd_offset;
	z->entries = arena_calloc(z->a, e->entries ? (size_t)e->entries : 1, sizeof *z->entries);
	size_t pos = 0;
	uint64_t total = 0;
	char *msg = arena_alloc(z->a, 300);
	for (uint64_t i = 0; i < e->entries; i++) {
		zip_entry *en = &z->entries[z->n];
		const char *why = parse_entry(z, cd, (size_t)e->cd_size, &pos, en, msg, 300);
		if (why) return why;
		for (size_t k = 0; k < z->n; k++)
			if (!strcmp(z->entries[k].name, en->name))
				return arena_printf(z->a, "the archive holds %s twice", en->name);
		total += en->usize;
		if (total > z->lim.max_total_size)
			return arena_printf(z->a, "the archive's files add up to more than %llu bytes",
					    (unsigned long long)z->lim.max_total_size);
		z->n++;
	}
	return NULL;
}

static const char *open_archive(zip_archive *z, zip_archive **out)
{
	eocd e;
	const char *why = find_eocd(z, &e);
	if (!why && (e.entries == 0xFFFF || e.cd_size == 0xFFFFFFFFu || e.cd_offset == 0xFFFFFFFFu))
		why = read_eocd64(z, &e);
	if (!why) why = read_directory(z, &e);
	*out = why ? NULL : z;
	return why;
}

const char *zip_open_mem(arena *a, const void *data, size_t len, const zip_limits *lim, zip_archive **out)
{
	zip_archive *z = arena_alloc(a, sizeof *z);
	*z = (zip_archive){.a = a,
			   .mem = data,
			   .fd = -1,
			   .size = data ? len : 0,
			   .lim = lim ? *lim : ZIP_LIMITS_DEFAULT};
	return open_archive(z, out);
}

const char *zip_open_fd(arena *a, int fd, const zip_limits *lim, zip_archive **out)
{
	struct stat st;
	*out = NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return "the archive cannot be read";
	zip_archive *z = arena_alloc(a, sizeof *z);
	*z = (zip_archive){
		.a = a, .fd = fd, .size = (uint64_t)st.st_size, .lim = lim ? *lim : ZIP_LIMITS_DEFAULT};
	return open_archive(z, out);
}

size_t zip_count(const zip_archive *z)
{
	return z->n;
}

const zip_entry *zip_entry_at(const zip_archive *z, size_t i)
{
	return i < z->n ? &z->entries[i] : NULL;
}

/* ---- entry streams ---- */

/* zlib's memory comes from the arena: nothing to free, nothing to leak. */
static voidpf arena_zalloc(voidpf opaque, uInt items, uInt size)
{
	return arena_calloc(opaque, items, size);
}

static void arena_zfree(voidpf opaque, voidpf p)
{
	(void)opaque;
	(void)p;
}

const char *zip_entry_open(zip_archive *z, const zip_entry *e, zip_stream **out)
{
	*out = NULL;
	unsigned char h[LFH_SIZE];
	if (!read_at(z, e->offset, h, sizeof h) || le32(h) != 0x04034b50)
		return arena_printf(z->a, "%s: its local header is damaged", e->name);
	size_t nlen = le16(h + 26), xlen = le16(h + 28);
	char name[MAX_NAME];
	if (nlen != strlen(e->name) || !read_at(z, e->offset + LFH_SIZE, name, nlen) ||
	    memcmp(name, e->name, nlen) != 0 || le16(h + 8) != e->method)
		return arena_printf(z->a, "%s: its local header does not match the directory", e->name);
	uint64_t start = e->offset + LFH_SIZE + nlen + xlen;
	if (start > z->cd_offset || e->csize > z->cd_offset - start)
		return arena_printf(z->a, "%s lies outside the archive (damaged or cut short?)", e->name);
	zip_stream *s = arena_alloc(z->a, sizeof *s);
	s->z = z;
	s->e = e;
	s->pos = start;
	s->end = start + e->csize;
	s->crc = (uint32_t)crc32(0L, Z_NULL, 0);
	if (e->method == 8) {
		s->chunk = arena_alloc(z->a, READ_CHUNK);
		s->zs.zalloc = arena_zalloc;
		s->zs.zfree = arena_zfree;
		s->zs.opaque = z->a;
		if (inflateInit2(&s->zs, -MAX_WBITS) != Z_OK)
			return arena_printf(z->a, "%s: cannot start inflating", e->name);
		s->inflating = true;
	}
	*out = s;
	return NULL;
}

static long stream_fail(zip_stream *s, const char *what)
{
	snprintf(s->err, sizeof s->err, "%s: %s", s->e->name, what);
	s->failed = true;
	return -1;
}

/* The end of the data: every byte the directory promised, with its CRC. */
static long stream_end(zip_stream *s)
{
	if (s->out != s->e->usize) return stream_fail(s, "it is shorter than its header says (damaged?)");
	if (s->crc != s->e->crc) return stream_fail(s, "its CRC does not match (damaged archive)");
	s->done = true;
	return 0;
}

static long stored_read(zip_stream *s, char *buf, size_t n)
{
	uint64_t left = s->end - s->pos;
	if (left == 0) return stream_end(s);
	size_t take = left < n ? (size_t)left : n;
	if (!read_at(s->z, s->pos, buf, take)) return stream_fail(s, "it cannot be read");
	s->pos += take;
	return (long)take;
}

static long inflate_read(zip_stream *s, char *buf, size_t n)
{
	if (n > 1u << 30) n = 1u << 30;
	s->zs.next_out = (Bytef *)buf;
	s->zs.avail_out = (uInt)n;
	while (s->zs.avail_out == n) {
		if (s->zs.avail_in == 0 && s->pos < s->end) {
			size_t take = s->end - s->pos < READ_CHUNK ? (size_t)(s->end - s->pos) : READ_CHUNK;
			if (!read_at(s->z, s->pos, s->chunk, take))
				return stream_fail(s, "it cannot be read");
			s->pos += take;
			s->zs.next_in = s->chunk;
			s->zs.avail_in = (uInt)take;
		}
		int rc = inflate(&s->zs, Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			if (s->zs.avail_out == n) return stream_end(s);
			break;
		}
		if (rc == Z_BUF_ERROR && s->zs.avail_in == 0 && s->pos >= s->end)
			return stream_fail(s, "its compressed data ends early (damaged or cut short?)");
		if (rc != Z_OK && rc != Z_BUF_ERROR) return stream_fail(s, "its compressed data is damaged");
	}
	return (long)(n - s->zs.avail_out);
}

long zip_stream_read(zip_stream *s, char *buf, size_t n)
{
	if (s->failed) return -1;
	if (s->done || n == 0) return 0;
	long got = s->inflating ? inflate_read(s, buf, n) : stored_read(s, buf, n);
	if (got <= 0) return got;
	/* Never more than promised: the promise is what the limits checked. */
	if ((uint64_t)got > s->e->usize - s->out)
		return stream_fail(s, "it is larger than its header says (damaged or a zip bomb)");
	s->out += (uint64_t)got;
	s->crc = (uint32_t)crc32(s->crc, (const Bytef *)buf, (uInt)got);
	return got;
}

const char *zip_stream_error(const zip_stream *s)
{
	return s->failed ? s->err : NULL;
}
