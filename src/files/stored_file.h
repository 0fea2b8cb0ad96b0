/* Files people upload (a session's materials, a coaching cycle's evidence):
 * recognized by their content, never by their name; kept under
 * data_dir/<subdir>/ by a random name nobody can guess or choose; sent back
 * with Range so a video seeks. */
#ifndef COACHD_STORED_FILE_H
#define COACHD_STORED_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../http/http.h"

enum {
	STORED_FILE_HEAD = 64 * 1024, /* bytes sniffed: enough to see a ZIP's first entries */
	STORED_FILE_NAME_LEN = 32     /* hex digits of a stored file's name */
};

/* What the first bytes of a file show it to be, among the types coachd
 * keeps: PDF, PNG, JPEG, DOCX/XLSX/PPTX, plain UTF-8 text, and the media
 * types (MP4/M4V/MOV/3GP and M4A by their "ftyp" box, WebM and Matroska,
 * Ogg, WAV, MP3); NULL for anything else. Only head[0..n) is read. whole:
 * head is the whole file (a text may not then end mid-character). */
const char *stored_file_sniff(const unsigned char *head, size_t n, bool whole);
/* Video or audio: a larger cap, and played in the page rather than saved. */
bool stored_file_is_media(const char *content_type);
/* A file's usual extension for a type stored_file_sniff gives ("bin" else). */
const char *stored_file_extension(const char *content_type);
/* A name safe in Content-Disposition: the title's letters, digits, '-',
 * '_' and '.', others as '_', at most 80 of them (fallback when there are
 * none), with the type's extension. */
const char *stored_file_download_name(arena *a, const char *title, const char *fallback,
				      const char *content_type);
/* Does what the client claimed agree with what the content is? No claim,
 * or application/octet-stream, leaves the content to decide; media types
 * of one container (MP4 and QuickTime, WebM and Matroska, ...) agree. */
bool stored_file_claim_matches(const char *claimed, const char *found);

/* How an upload's content was judged. */
typedef enum stored_verdict {
	STORED_OK, /* *type is set */
	STORED_UNREADABLE,
	STORED_UNKNOWN, /* none of the types kept */
	STORED_MISMATCH /* a kept type, but not the one claimed */
} stored_verdict;
/* Reads the upload's head (at most STORED_FILE_HEAD bytes) and judges it. */
stored_verdict stored_file_identify(arena *a, const upload *u, const char **type);

/* A stored file's name: 32 random hex digits. */
const char *stored_file_random_name(arena *a);
/* Is name one stored_file_random_name could have made? (Nothing else is
 * ever joined to a path.) */
bool stored_file_name_valid(const char *name);
/* data_dir/subdir/name. */
const char *stored_file_path(const req *rq, const char *subdir, const char *name);
/* Moves the upload to data_dir/subdir/name (the folder made 0700 when
 * missing); false, logged, when it cannot. */
bool stored_file_keep(req *rq, const upload *u, const char *subdir, const char *name);
/* Removes a stored file; a failure is logged, not answered: by then its row
 * is gone, and a file left behind is harmless where a row without its file
 * is not. */
void stored_file_remove(req *rq, const char *subdir, const char *name);
/* Opens data_dir/subdir/name for sending: its descriptor and size, or -1
 * (logged) when it is missing or not a plain file. */
int stored_file_open(req *rq, const char *subdir, const char *name, uint64_t *size);
/* The Content-Disposition of a stored file: inline for video, audio and
 * images, so a page can play or show them; an attachment otherwise. */
const char *stored_file_disposition(arena *a, const char *content_type, const char *download_name);

/* Sends data_dir/subdir/name as content_type with Range, an ETag and
 * Cache-Control private, no-store (the server adds nosniff to every
 * response); 404 when the file is missing. Inline here, so the sniffer's
 * object file needs no HTTP code and the fuzzer links it alone. */
static inline void stored_file_send(req *rq, resp *rs, const char *subdir, const char *name,
				    const char *content_type, const char *download_name)
{
	uint64_t size = 0;
	int fd = stored_file_open(rq, subdir, name, &size);
	if (fd < 0) {
		resp_error(rq, rs, 404, "not_found", "the file is missing", NULL);
		return;
	}
	resp_header_add(rs, "Content-Disposition",
			stored_file_disposition(rq->a, content_type, download_name));
	resp_header_add(rs, "Cache-Control", "private, no-store");
	/* A stored file never changes under its random name. */
	resp_file(rq, rs, content_type, fd, size, arena_printf(rq->a, "\"%s\"", name));
}

#endif
