/* Our own bounded ZIP reader: the central directory is read and checked
 * by this code, entry data is stored (method 0) or raw deflate (method 8,
 * inflated by zlib). Refused: encryption, other methods, multi-disk
 * archives, unsafe names (absolute, "..", backslashes, drive letters),
 * sizes over the limits and ratios that look like a zip bomb. ZIP64 is
 * read for sizes and offsets, still within the same limits. Nothing is
 * ever written to disk: entries are read as streams. */
#ifndef COACHD_ZIP_H
#define COACHD_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"

typedef struct zip_limits {
	size_t max_entries;
	uint64_t max_entry_size; /* uncompressed bytes of one entry */
	uint64_t max_total_size; /* uncompressed bytes of all entries */
	uint32_t max_ratio;      /* uncompressed : compressed, for entries over 1 MiB */
} zip_limits;

#define ZIP_LIMITS_DEFAULT ((zip_limits){4096, 2ull << 30, 8ull << 30, 1000})

typedef struct zip_entry {
	const char *name; /* as stored, checked to be a safe relative path */
	uint16_t method;  /* 0 stored, 8 deflate */
	uint16_t flags;
	uint32_t crc;
	uint64_t csize, usize; /* compressed and uncompressed sizes */
	uint64_t offset;       /* of its local header */
	bool is_dir;
} zip_entry;

typedef struct zip_archive zip_archive;
typedef struct zip_stream zip_stream;

/* Each returns NULL on success or a sentence saying what is wrong. The
 * archive reads from data (kept, not copied) or from fd (not closed). */
const char *zip_open_mem(arena *a, const void *data, size_t len, const zip_limits *lim, zip_archive **out);
const char *zip_open_fd(arena *a, int fd, const zip_limits *lim, zip_archive **out);

size_t zip_count(const zip_archive *z);
const zip_entry *zip_entry_at(const zip_archive *z, size_t i);

/* A stream of the entry's uncompressed bytes. Its memory (zlib's too)
 * comes from the arena, so an abandoned stream leaks nothing. */
const char *zip_entry_open(zip_archive *z, const zip_entry *e, zip_stream **out);
/* Bytes put in buf; 0 at the end (size and CRC checked); -1 on error. */
long zip_stream_read(zip_stream *s, char *buf, size_t n);
const char *zip_stream_error(const zip_stream *s);

/* True when the first bytes look like a ZIP archive ("PK\3\4" or an empty
 * archive's "PK\5\6"). */
bool zip_looks_like(const void *data, size_t len);

#endif
