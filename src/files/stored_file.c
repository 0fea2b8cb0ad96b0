/* Uploaded files kept on disk: what their content is, where they live and
 * how they leave again. The sniffer reads only the head it is given, so a
 * hostile upload costs no more than its first 64 KB (tests/fuzz/fuzz_sniff.c). */
#include "stored_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/log.h"
#include "../base/util.h"
#include "../http/parse_utf8.h"
#include "../web/app.h"

#define TYPE_PDF "application/pdf"
#define TYPE_PNG "image/png"
#define TYPE_JPEG "image/jpeg"
#define TYPE_TEXT "text/plain; charset=utf-8"
#define TYPE_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define TYPE_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define TYPE_PPTX "application/vnd.openxmlformats-officedocument.presentationml.presentation"
#define TYPE_MP4 "video/mp4"
#define TYPE_MOV "video/quicktime"
#define TYPE_3GP "video/3gpp"
#define TYPE_M4A "audio/mp4"
#define TYPE_WEBM "video/webm"
#define TYPE_MKV "video/x-matroska"
#define TYPE_OGG "audio/ogg"
#define TYPE_WAV "audio/wav"
#define TYPE_MP3 "audio/mpeg"

/* ---- what the content is ---- */

static bool has_prefix(const unsigned char *h, size_t n, const char *magic, size_t m)
{
	return n >= m && memcmp(h, magic, m) == 0;
}

static bool contains(const unsigned char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(h + i, needle, m) == 0) return true;
	return false;
}

/* An Office document is a ZIP whose entries live under word/, xl/ or ppt/. */
static const char *office_type(const unsigned char *h, size_t n)
{
	if (contains(h, n, "word/")) return TYPE_DOCX;
	if (contains(h, n, "xl/")) return TYPE_XLSX;
	if (contains(h, n, "ppt/")) return TYPE_PPTX;
	return NULL;
}

/* ISO base media files (MP4, QuickTime, 3GP, M4A) open with an "ftyp" box
 * naming a major brand and the brands the file is also compatible with. */
static const char *brand_type(const unsigned char *b)
{
	static const struct {
		char brand[5];
		const char *type;
	} brands[] = {{"isom", TYPE_MP4}, {"iso2", TYPE_MP4}, {"iso3", TYPE_MP4}, {"iso4", TYPE_MP4},
		      {"iso5", TYPE_MP4}, {"iso6", TYPE_MP4}, {"mp41", TYPE_MP4}, {"mp42", TYPE_MP4},
		      {"avc1", TYPE_MP4}, {"dash", TYPE_MP4}, {"mmp4", TYPE_MP4}, {"MSNV", TYPE_MP4},
		      {"M4V ", TYPE_MP4}, {"M4VH", TYPE_MP4}, {"M4VP", TYPE_MP4}, {"qt  ", TYPE_MOV},
		      {"M4A ", TYPE_M4A}, {"M4B ", TYPE_M4A}, {"3gp4", TYPE_3GP}, {"3gp5", TYPE_3GP},
		      {"3gp6", TYPE_3GP}, {"3gp7", TYPE_3GP}, {"3g2a", TYPE_3GP}};
	for (size_t i = 0; i < COUNT_OF(brands); i++)
		if (memcmp(b, brands[i].brand, 4) == 0) return brands[i].type;
	return NULL;
}

/* HEIF and AVIF pictures and camera raw files share the box format; they
 * are not kept, whatever else they claim compatibility with. */
static bool picture_brand(const unsigned char *b)
{
	static const char pictures[][5] = {"mif1", "msf1", "heic", "heix", "hevc", "hevx",
					   "heim", "heis", "avif", "avis", "crx "};
	for (size_t i = 0; i < COUNT_OF(pictures); i++)
		if (memcmp(b, pictures[i], 4) == 0) return true;
	return false;
}

static const char *iso_media_type(const unsigned char *h, size_t n)
{
	if (n < 16 || memcmp(h + 4, "ftyp", 4) != 0) return NULL;
	size_t size = (size_t)h[0] << 24 | (size_t)h[1] << 16 | (size_t)h[2] << 8 | h[3];
	if (size < 16 || size > 4096 || picture_brand(h + 8)) return NULL;
	const char *type = brand_type(h + 8);
	size_t end = size < n ? size : n;
	for (size_t at = 16; !type && at + 4 <= end; at += 4) type = brand_type(h + at);
	return type;
}

/* An EBML variable-length integer at h[at..end): its length in *len; an
 * element id keeps its length marker, a size loses it. */
static bool ebml_vint(const unsigned char *h, size_t end, size_t at, bool is_size, uint64_t *v, size_t *len)
{
	if (at >= end || !h[at]) return false;
	size_t l = 1;
	while (!(h[at] & (0x80 >> (l - 1)))) l++;
	if (l > end - at) return false;
	uint64_t x = is_size ? h[at] & (0xffu >> l) : h[at];
	for (size_t i = 1; i < l; i++) x = x << 8 | h[at + i];
	*v = x;
	*len = l;
	return true;
}

/* An EBML string, which may be padded with NULs. */
static bool ebml_string_is(const unsigned char *s, size_t n, const char *want)
{
	size_t m = strlen(want);
	if (n < m || memcmp(s, want, m) != 0) return false;
	for (size_t i = m; i < n; i++)
		if (s[i]) return false;
	return true;
}

/* WebM and Matroska: the EBML header's DocType element (0x4282) tells. */
static const char *ebml_type(const unsigned char *h, size_t n)
{
	enum { DOC_TYPE = 0x4282 };
	uint64_t header, id, size;
	size_t len, at = 4;
	if (!ebml_vint(h, n, at, true, &header, &len)) return NULL;
	at += len;
	size_t end = header < n - at ? at + (size_t)header : n;
	while (at < end) {
		if (!ebml_vint(h, end, at, false, &id, &len)) return NULL;
		at += len;
		if (!ebml_vint(h, end, at, true, &size, &len)) return NULL;
		at += len;
		if (size > end - at) return NULL;
		if (id == DOC_TYPE) {
			if (ebml_string_is(h + at, (size_t)size, "webm")) return TYPE_WEBM;
			if (ebml_string_is(h + at, (size_t)size, "matroska")) return TYPE_MKV;
			return NULL;
		}
		at += (size_t)size;
	}
	return NULL;
}

/* An ID3v2 tag: version 2 to 4, flags, then a size of four 7-bit bytes. */
static bool id3_tag(const unsigned char *h, size_t n)
{
	return has_prefix(h, n, "ID3", 3) && n >= 10 && h[3] >= 2 && h[3] <= 4 && h[4] != 0xff &&
		!((h[6] | h[7] | h[8] | h[9]) & 0x80);
}

/* An MPEG audio frame header: the sync bits, then a version, layer,
 * bit rate and sample rate that are not reserved (ADTS AAC's layer 0 is). */
static bool mpeg_audio_frame(const unsigned char *h, size_t n)
{
	if (n < 4 || h[0] != 0xff || (h[1] & 0xe0) != 0xe0) return false;
	unsigned version = (h[1] >> 3) & 3, layer = (h[1] >> 1) & 3;
	unsigned bitrate = h[2] >> 4, rate = (h[2] >> 2) & 3;
	return version != 1 && layer != 0 && bitrate != 15 && rate != 3;
}

/* Text: no NUL and well-formed UTF-8; a cut head may end mid-character. */
static bool plain_text(const unsigned char *h, size_t n, bool whole)
{
	if (!n || memchr(h, 0, n)) return false;
	for (size_t cut = 0; cut < 4 && cut < n; cut++) {
		if (parse_utf8_valid((const char *)h, n - cut)) return true;
		if (whole) return false;
	}
	return false;
}

const char *stored_file_sniff(const unsigned char *head, size_t n, bool whole)
{
	if (has_prefix(head, n, "%PDF-", 5)) return TYPE_PDF;
	if (has_prefix(head, n, "\x89PNG\r\n\x1a\n", 8)) return TYPE_PNG;
	if (has_prefix(head, n, "\xff\xd8\xff", 3)) return TYPE_JPEG;
	if (has_prefix(head, n, "PK\x03\x04", 4)) return office_type(head, n);
	if (n >= 16 && memcmp(head + 4, "ftyp", 4) == 0) return iso_media_type(head, n);
	if (has_prefix(head, n, "\x1a\x45\xdf\xa3", 4)) return ebml_type(head, n);
	if (has_prefix(head, n, "OggS\0", 5)) return TYPE_OGG;
	if (n >= 12 && has_prefix(head, n, "RIFF", 4) && memcmp(head + 8, "WAVE", 4) == 0) return TYPE_WAV;
	if (id3_tag(head, n) || mpeg_audio_frame(head, n)) return TYPE_MP3;
	if (plain_text(head, n, whole)) return TYPE_TEXT;
	return NULL;
}

bool stored_file_is_media(const char *content_type)
{
	return str_starts(content_type, "video/") || str_starts(content_type, "audio/");
}

const char *stored_file_extension(const char *content_type)
{
	static const struct {
		const char *type, *ext;
	} ext[] = {{TYPE_PDF, "pdf"},   {TYPE_PNG, "png"},   {TYPE_JPEG, "jpg"},  {TYPE_TEXT, "txt"},
		   {TYPE_DOCX, "docx"}, {TYPE_XLSX, "xlsx"}, {TYPE_PPTX, "pptx"}, {TYPE_MP4, "mp4"},
		   {TYPE_MOV, "mov"},   {TYPE_3GP, "3gp"},   {TYPE_M4A, "m4a"},   {TYPE_WEBM, "webm"},
		   {TYPE_MKV, "mkv"},   {TYPE_OGG, "ogg"},   {TYPE_WAV, "wav"},   {TYPE_MP3, "mp3"}};
	for (size_t i = 0; i < COUNT_OF(ext); i++)
		if (str_eq(ext[i].type, content_type)) return ext[i].ext;
	return "bin";
}

const char *stored_file_download_name(arena *a, const char *title, const char *fallback,
				      const char *content_type)
{
	size_t n = title ? strlen(title) : 0;
	if (n > 80) n = 80;
	char *name = arena_calloc(a, n + 1, 1);
	for (size_t i = 0; i < n; i++) {
		char c = title[i];
		bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			c == '-' || c == '_' || (c == '.' && i > 0);
		name[i] = safe ? c : '_';
	}
	return arena_printf(a, "%s.%s", n ? name : fallback, stored_file_extension(content_type));
}

/* The type a claim names, ignoring case and parameters. */
static bool claim_is(const char *claimed, const char *type)
{
	size_t n = strlen(type);
	return strncasecmp(claimed, type, n) == 0 &&
		(claimed[n] == 0 || claimed[n] == ';' || claimed[n] == ' ');
}

/* Media types that name one container: browsers and phones label a file
 * by its name's extension, and .mov, .m4v and .mp4 are all one format. */
static int media_family(const char *type)
{
	static const struct {
		const char *type;
		int family;
	} names[] = {
		{"video/mp4", 1},        {"video/quicktime", 1},  {"video/x-m4v", 1},    {"video/3gpp", 1},
		{"video/3gpp2", 1},      {"audio/mp4", 1},        {"audio/x-m4a", 1},    {"audio/m4a", 1},
		{"audio/3gpp", 1},       {"application/mp4", 1},  {"video/webm", 2},     {"audio/webm", 2},
		{"video/x-matroska", 2}, {"audio/x-matroska", 2}, {"audio/ogg", 3},      {"video/ogg", 3},
		{"application/ogg", 3},  {"audio/opus", 3},       {"audio/vorbis", 3},   {"audio/wav", 4},
		{"audio/x-wav", 4},      {"audio/wave", 4},       {"audio/vnd.wave", 4}, {"audio/mpeg", 5},
		{"audio/mp3", 5},        {"audio/mpeg3", 5},      {"audio/x-mpeg-3", 5}, {"audio/x-mp3", 5}};
	for (size_t i = 0; i < COUNT_OF(names); i++)
		if (claim_is(type, names[i].type)) return names[i].family;
	return 0;
}

bool stored_file_claim_matches(const char *claimed, const char *found)
{
	if (!claimed || !*claimed || str_starts(claimed, "application/octet-stream")) return true;
	size_t n = strcspn(found, ";");
	if (strncmp(claimed, found, n) == 0 && (claimed[n] == 0 || claimed[n] == ';')) return true;
	int family = stored_file_is_media(found) ? media_family(found) : 0;
	return family && media_family(claimed) == family;
}

/* ---- reading an upload ---- */

/* The first bytes of an upload, for sniffing; NULL when unreadable. */
static const unsigned char *upload_head(arena *a, const upload *u, size_t *n)
{
	int fd = open(u->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return NULL;
	unsigned char *head = arena_alloc(a, STORED_FILE_HEAD);
	size_t got = 0;
	while (got < STORED_FILE_HEAD) {
		ssize_t r = read(fd, head + got, STORED_FILE_HEAD - got);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) break;
		got += (size_t)r;
	}
	close(fd);
	*n = got;
	return head;
}

stored_verdict stored_file_identify(arena *a, const upload *u, const char **type)
{
	size_t n = 0;
	const unsigned char *head = upload_head(a, u, &n);
	if (!head) return STORED_UNREADABLE;
	*type = stored_file_sniff(head, n, n == u->size);
	if (!*type) return STORED_UNKNOWN;
	return stored_file_claim_matches(u->content_type, *type) ? STORED_OK : STORED_MISMATCH;
}

/* ---- files on disk ---- */

const char *stored_file_random_name(arena *a)
{
	unsigned char raw[STORED_FILE_NAME_LEN / 2];
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t r = getrandom(raw + got, sizeof raw - got, 0);
		if (r < 0 && errno == EINTR) continue;
		if (r <= 0) {
			log_line("files: no random bytes: %s", strerror(errno));
			return NULL;
		}
		got += (size_t)r;
	}
	char *hex = arena_alloc(a, STORED_FILE_NAME_LEN + 1);
	for (size_t i = 0; i < sizeof raw; i++) snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return hex;
}

bool stored_file_name_valid(const char *name)
{
	if (!name || strlen(name) != STORED_FILE_NAME_LEN) return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
	return true;
}

const char *stored_file_path(const req *rq, const char *subdir, const char *name)
{
	return arena_printf(rq->a, "%s/%s/%s", rq->app->data_dir, subdir, name);
}

bool stored_file_keep(req *rq, const upload *u, const char *subdir, const char *name)
{
	const char *dir = arena_printf(rq->a, "%s/%s", rq->app->data_dir, subdir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_line("files: cannot create %s: %s", dir, strerror(errno));
		return false;
	}
	if (!stored_file_name_valid(name)) {
		log_line("files: not a stored file's name in %s", subdir);
		return false;
	}
	if (rename(u->path, stored_file_path(rq, subdir, name)) != 0) {
		log_line("files: cannot keep an upload in %s: %s", subdir, strerror(errno));
		return false;
	}
	return true;
}

void stored_file_remove(req *rq, const char *subdir, const char *name)
{
	if (!stored_file_name_valid(name)) log_line("files: not a stored file's name in %s", subdir);
	else if (unlink(stored_file_path(rq, subdir, name)) != 0)
		log_line("files: cannot remove %s/%s: %s", subdir, name, strerror(errno));
}

int stored_file_open(req *rq, const char *subdir, const char *name, uint64_t *size)
{
	if (!stored_file_name_valid(name)) {
		log_line("files: not a stored file's name in %s", subdir);
		return -1;
	}
	int fd = open(stored_file_path(rq, subdir, name), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		log_line("files: cannot open %s/%s: %s", subdir, name,
			 fd < 0 ? strerror(errno) : "not a file");
		if (fd >= 0) close(fd);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

const char *stored_file_disposition(arena *a, const char *content_type, const char *download_name)
{
	bool shown = stored_file_is_media(content_type) || str_starts(content_type, "image/");
	return arena_printf(a, "%s; filename=\"%s\"", shown ? "inline" : "attachment", download_name);
}
