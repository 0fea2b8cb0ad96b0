/* Unit tests for stored files: the sniffer against real headers of every
 * kept type (and near misses that must be refused), the claim check, names,
 * dispositions, and keeping, opening and removing a file under a data
 * directory. Materials still refuse video and audio. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "calendar/session.h"
#include "files/stored_file.h"
#include "testdb.h"
#include "web/app.h"

/* A head: bytes written into buf, their count returned. */
typedef struct head {
	unsigned char b[512];
	size_t n;
} head;

static void put(head *h, const void *p, size_t n)
{
	assert_true(h->n + n <= sizeof h->b);
	memcpy(h->b + h->n, p, n);
	h->n += n;
}

static void put_be32(head *h, uint32_t v)
{
	unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
			      (unsigned char)v};
	put(h, b, 4);
}

/* An ISO base media file's start: the ftyp box, then a free box. */
static head iso_file(const char *major, const char *const *compat, size_t ncompat)
{
	head h = {0};
	put_be32(&h, (uint32_t)(16 + 4 * ncompat));
	put(&h, "ftyp", 4);
	put(&h, major, 4);
	put_be32(&h, 0x200);
	for (size_t i = 0; i < ncompat; i++) put(&h, compat[i], 4);
	put_be32(&h, 8);
	put(&h, "free", 4);
	return h;
}

/* An EBML header with the given DocType, then a Segment's start. */
static head ebml_file(const char *doctype)
{
	unsigned char inner[64];
	size_t n = 0, len = strlen(doctype);
	const unsigned char version[] = {0x42, 0x86, 0x81, 0x01, 0x42, 0xf7, 0x81, 0x01};
	memcpy(inner + n, version, sizeof version);
	n += sizeof version;
	inner[n++] = 0x42;
	inner[n++] = 0x82;
	inner[n++] = (unsigned char)(0x80 | len);
	memcpy(inner + n, doctype, len);
	n += len;
	const unsigned char read_version[] = {0x42, 0x87, 0x81, 0x04};
	memcpy(inner + n, read_version, sizeof read_version);
	n += sizeof read_version;
	head h = {0};
	put(&h, "\x1a\x45\xdf\xa3", 4);
	unsigned char size = (unsigned char)(0x80 | n);
	put(&h, &size, 1);
	put(&h, inner, n);
	put(&h, "\x18\x53\x80\x67\x01\0\0\0\0\0\0\x10", 12);
	return h;
}

static const char *sniff(const head *h)
{
	return stored_file_sniff(h->b, h->n, false);
}

static void test_documents_and_images(void **state)
{
	(void)state;
	head pdf = {0}, png = {0}, jpeg = {0}, docx = {0}, xlsx = {0}, pptx = {0}, zip = {0};
	put(&pdf, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15);
	put(&png, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
	put(&jpeg, "\xff\xd8\xff\xe0\0\x10JFIF\0", 11);
	const char local[] = "PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0";
	put(&docx, local, sizeof local - 1);
	put(&docx, "[Content_Types].xml...word/document.xml", 39);
	put(&xlsx, local, sizeof local - 1);
	put(&xlsx, "xl/workbook.xml", 15);
	put(&pptx, local, sizeof local - 1);
	put(&pptx, "ppt/presentation.xml", 20);
	put(&zip, local, sizeof local - 1);
	put(&zip, "src/main.c", 10);
	assert_string_equal(sniff(&pdf), "application/pdf");
	assert_string_equal(sniff(&png), "image/png");
	assert_string_equal(sniff(&jpeg), "image/jpeg");
	assert_string_equal(sniff(&docx),
			    "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
	assert_string_equal(sniff(&xlsx),
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_string_equal(sniff(&pptx),
			    "application/vnd.openxmlformats-officedocument.presentationml.presentation");
	assert_null(sniff(&zip)); /* a ZIP that is no Office document */

	/* Only the head given is read: a magic cut short is not that type. */
	assert_string_equal(stored_file_sniff(pdf.b, 4, false), "text/plain; charset=utf-8");
	assert_null(stored_file_sniff(png.b, 7, false));
	assert_null(stored_file_sniff(pdf.b, 0, true));
}

static void test_text(void **state)
{
	(void)state;
	const unsigned char text[] = "Lesson notes: caf\xc3\xa9, 3 \xc3\x97 4\n";
	assert_string_equal(stored_file_sniff(text, sizeof text - 1, true), "text/plain; charset=utf-8");
	/* A head cut mid-character is still text; a whole file ending so is not. */
	const unsigned char cut[] = "caf\xc3";
	assert_string_equal(stored_file_sniff(cut, 4, false), "text/plain; charset=utf-8");
	assert_null(stored_file_sniff(cut, 4, true));
	const unsigned char nul[] = {'a', 0, 'b'};
	assert_null(stored_file_sniff(nul, 3, true));
	const unsigned char latin1[] = "caf\xe9 au lait";
	assert_null(stored_file_sniff(latin1, sizeof latin1 - 1, true));
	/* Words that begin like a media header are still text. */
	const unsigned char id3[] = "ID3 tags explained";
	assert_string_equal(stored_file_sniff(id3, sizeof id3 - 1, true), "text/plain; charset=utf-8");
	const unsigned char ogg[] = "OggS are not a thing";
	assert_string_equal(stored_file_sniff(ogg, sizeof ogg - 1, true), "text/plain; charset=utf-8");
}

static void test_iso_media(void **state)
{
	(void)state;
	const char *const mp4[] = {"isom", "iso2", "avc1", "mp41"};
	const char *const m4v[] = {"M4V ", "M4A ", "mp42", "isom"};
	const char *const mov[] = {"qt  "};
	const char *const m4a[] = {"M4A ", "mp42", "isom"};
	const char *const gp[] = {"3gp4", "isom"};
	const char *const other[] = {"abcd", "mp42"};
	const char *const heic[] = {"mif1", "heic", "isom"};
	const char *const avif[] = {"avif", "mif1", "miaf", "mp41"};
	const char *const none[] = {"abcd", "efgh"};
	head h = iso_file("isom", mp4, 4);
	assert_string_equal(sniff(&h), "video/mp4");
	h = iso_file("mp42", mp4, 4);
	assert_string_equal(sniff(&h), "video/mp4");
	h = iso_file("M4V ", m4v, 4);
	assert_string_equal(sniff(&h), "video/mp4");
	h = iso_file("qt  ", mov, 1);
	assert_string_equal(sniff(&h), "video/quicktime");
	h = iso_file("M4A ", m4a, 3);
	assert_string_equal(sniff(&h), "audio/mp4");
	h = iso_file("3gp4", gp, 2);
	assert_string_equal(sniff(&h), "video/3gpp");
	/* An unknown major brand: a compatible brand decides. */
	h = iso_file("abcd", other, 2);
	assert_string_equal(sniff(&h), "video/mp4");
	/* Pictures in the same box format are refused, whatever they list. */
	h = iso_file("heic", heic, 3);
	assert_null(sniff(&h));
	h = iso_file("avif", avif, 4);
	assert_null(sniff(&h));
	h = iso_file("abcd", none, 2);
	assert_null(sniff(&h));
	/* Compatible brands are read within the box and within the head only. */
	h = iso_file("abcd", other, 2);
	assert_null(stored_file_sniff(h.b, 20, false));
	h.b[3] = 20; /* the box ends before "mp42" */
	assert_null(sniff(&h));
	h.b[3] = 8; /* too short to be an ftyp box */
	assert_null(sniff(&h));
}

static void test_ebml(void **state)
{
	(void)state;
	head h = ebml_file("webm");
	assert_string_equal(sniff(&h), "video/webm");
	h = ebml_file("matroska");
	assert_string_equal(sniff(&h), "video/x-matroska");
	h = ebml_file("avi");
	assert_null(sniff(&h));
	/* A DocType padded with NULs is the same DocType. */
	head padded = {0};
	put(&padded, "\x1a\x45\xdf\xa3\x89\x42\x82\x86webm\0\0", 14);
	assert_string_equal(sniff(&padded), "video/webm");
	/* Cut inside the header, or sizes running past it: refused. */
	h = ebml_file("webm");
	assert_null(stored_file_sniff(h.b, 16, false));
	head liar = {0};
	put(&liar, "\x1a\x45\xdf\xa3\x88\x42\x82\x88webm", 12);
	assert_null(sniff(&liar));
	head zero = {0};
	put(&zero, "\x1a\x45\xdf\xa3\x00\x42\x82\x84webm", 12);
	assert_null(sniff(&zero));
}

static void test_audio(void **state)
{
	(void)state;
	head ogg = {0}, wav = {0}, avi = {0}, id3 = {0}, frame = {0}, mpeg2 = {0}, adts = {0}, bad_rate = {0};
	put(&ogg, "OggS\0\x02\0\0\0\0\0\0\0\0\x01\x02\x03\x04\0\0\0\0", 22);
	put(&wav, "RIFF\x24\x08\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0", 24);
	put(&avi, "RIFF\x24\x08\0\0AVI LIST", 16);
	put(&id3, "ID3\x04\0\0\0\0\x01\x21\0\0\0\0", 14);
	put(&frame, "\xff\xfb\x90\x64\0\0\0\0", 8);    /* MPEG-1 layer III, 128 kb/s, 44.1 kHz */
	put(&mpeg2, "\xff\xf3\x48\xc4\0\0\0\0", 8);    /* MPEG-2 layer III */
	put(&adts, "\xff\xf1\x50\x80\x02\x1f\xfc", 7); /* AAC in ADTS: layer 0 */
	put(&bad_rate, "\xff\xfb\x9c\x64", 4);         /* sample-rate index 3 is reserved */
	assert_string_equal(sniff(&ogg), "audio/ogg");
	assert_string_equal(sniff(&wav), "audio/wav");
	assert_null(sniff(&avi));
	assert_string_equal(sniff(&id3), "audio/mpeg");
	assert_string_equal(sniff(&frame), "audio/mpeg");
	assert_string_equal(sniff(&mpeg2), "audio/mpeg");
	assert_null(sniff(&adts));
	assert_null(sniff(&bad_rate));
	assert_null(stored_file_sniff(id3.b, 9, false)); /* an ID3 header is ten bytes */
	head exe = {0};
	put(&exe, "MZ\x90\0\x03\0\0\0\x04\0", 10);
	assert_null(sniff(&exe));
}

static void test_types_and_claims(void **state)
{
	(void)state;
	assert_true(stored_file_is_media("video/mp4"));
	assert_true(stored_file_is_media("audio/mpeg"));
	assert_false(stored_file_is_media("image/png"));
	assert_false(stored_file_is_media("application/pdf"));
	assert_false(stored_file_is_media(NULL));
	assert_string_equal(stored_file_extension("video/quicktime"), "mov");
	assert_string_equal(stored_file_extension("audio/mp4"), "m4a");
	assert_string_equal(stored_file_extension("video/webm"), "webm");
	assert_string_equal(stored_file_extension("text/plain; charset=utf-8"), "txt");
	assert_string_equal(stored_file_extension("application/x-whatever"), "bin");

	/* No claim, or an unhelpful one, leaves the content to decide. */
	assert_true(stored_file_claim_matches(NULL, "application/pdf"));
	assert_true(stored_file_claim_matches("", "video/mp4"));
	assert_true(stored_file_claim_matches("application/octet-stream", "image/png"));
	assert_true(stored_file_claim_matches("application/pdf", "application/pdf"));
	assert_true(stored_file_claim_matches("text/plain", "text/plain; charset=utf-8"));
	assert_true(stored_file_claim_matches("text/plain;charset=UTF-8", "text/plain; charset=utf-8"));
	assert_false(stored_file_claim_matches("text/csv", "text/plain; charset=utf-8"));
	assert_false(stored_file_claim_matches("application/pdf", "text/plain; charset=utf-8"));
	assert_false(stored_file_claim_matches("image/png", "image/jpeg"));
	assert_false(stored_file_claim_matches("application/pdfx", "application/pdf"));
	/* One container, several names: a phone's .mov that is an MP4 is fine. */
	assert_true(stored_file_claim_matches("video/quicktime", "video/mp4"));
	assert_true(stored_file_claim_matches("video/x-m4v", "video/mp4"));
	assert_true(stored_file_claim_matches("audio/x-m4a", "audio/mp4"));
	assert_true(stored_file_claim_matches("Video/MP4", "video/quicktime"));
	assert_true(stored_file_claim_matches("audio/webm", "video/webm"));
	assert_true(stored_file_claim_matches("audio/x-wav", "audio/wav"));
	assert_true(stored_file_claim_matches("audio/mp3", "audio/mpeg"));
	assert_true(stored_file_claim_matches("video/ogg", "audio/ogg"));
	assert_false(stored_file_claim_matches("video/webm", "video/mp4"));
	assert_false(stored_file_claim_matches("application/pdf", "video/mp4"));
	assert_false(stored_file_claim_matches("image/jpeg", "audio/mpeg"));
	assert_false(stored_file_claim_matches("video/mp4x", "video/mp4"));
}

static void test_names(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_string_equal(
		stored_file_download_name(a, "Agenda \"final\"/v2", "material", "application/pdf"),
		"Agenda__final__v2.pdf");
	assert_string_equal(stored_file_download_name(a, ".hidden", "evidence", "video/mp4"), "_hidden.mp4");
	assert_string_equal(stored_file_download_name(a, "", "evidence", "audio/mpeg"), "evidence.mp3");
	assert_string_equal(stored_file_download_name(a, NULL, "evidence", "image/png"), "evidence.png");
	char long_title[300];
	memset(long_title, 'x', sizeof long_title - 1);
	long_title[sizeof long_title - 1] = 0;
	assert_int_equal(strlen(stored_file_download_name(a, long_title, "f", "image/png")), 84);

	assert_string_equal(stored_file_disposition(a, "video/mp4", "lesson.mp4"),
			    "inline; filename=\"lesson.mp4\"");
	assert_string_equal(stored_file_disposition(a, "audio/ogg", "a.ogg"), "inline; filename=\"a.ogg\"");
	assert_string_equal(stored_file_disposition(a, "image/jpeg", "work.jpg"),
			    "inline; filename=\"work.jpg\"");
	assert_string_equal(stored_file_disposition(a, "application/pdf", "plan.pdf"),
			    "attachment; filename=\"plan.pdf\"");
	assert_string_equal(stored_file_disposition(a, "text/plain; charset=utf-8", "n.txt"),
			    "attachment; filename=\"n.txt\"");

	const char *x = stored_file_random_name(a), *y = stored_file_random_name(a);
	assert_non_null(x);
	assert_int_equal(strlen(x), STORED_FILE_NAME_LEN);
	assert_true(stored_file_name_valid(x));
	assert_string_not_equal(x, y);
	assert_false(stored_file_name_valid("../../etc/passwd"));
	assert_false(stored_file_name_valid("0123456789ABCDEF0123456789abcdef"));
	assert_false(stored_file_name_valid("0123456789abcdef0123456789abcde"));
	assert_false(stored_file_name_valid(NULL));
	arena_free(a);
}

static void test_materials_refuse_media(void **state)
{
	(void)state;
	const char *const mp4[] = {"isom"};
	head video = iso_file("isom", mp4, 1), pdf = {0};
	put(&pdf, "%PDF-1.4\n", 9);
	assert_null(material_sniff(video.b, video.n, false));
	assert_string_equal(material_sniff(pdf.b, pdf.n, false), "application/pdf");
	head ogg = {0};
	put(&ogg, "OggS\0\x02\0\0", 8);
	assert_null(material_sniff(ogg.b, ogg.n, false));
}

static const char *write_file(arena *a, const char *dir, const char *name, const void *p, size_t n)
{
	const char *path = arena_printf(a, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
	return path;
}

static void test_identify_keep_open_remove(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	assert_int_equal(testdb_scratch_dir(dir, sizeof dir, "files"), 0);
	arena *a = arena_new();
	const char *const brands[] = {"isom", "avc1"};
	head video = iso_file("isom", brands, 2);
	const char *path = write_file(a, dir, "upload-1", video.b, video.n);
	const char *type = NULL;

	upload u = {.field = "file",
		    .filename = "lesson.mov",
		    .content_type = "video/quicktime",
		    .path = path,
		    .size = video.n};
	assert_int_equal(stored_file_identify(a, &u, &type), STORED_OK);
	assert_string_equal(type, "video/mp4");
	u.content_type = "application/pdf";
	assert_int_equal(stored_file_identify(a, &u, &type), STORED_MISMATCH);
	upload exe = {.path = write_file(a, dir, "upload-2", "MZ\x90\0", 4), .size = 4};
	assert_int_equal(stored_file_identify(a, &exe, &type), STORED_UNKNOWN);
	upload gone = {.path = arena_printf(a, "%s/missing", dir), .size = 10};
	assert_int_equal(stored_file_identify(a, &gone, &type), STORED_UNREADABLE);

	app ap = {.data_dir = dir};
	req rq = {.a = a, .app = &ap};
	const char *name = stored_file_random_name(a);
	assert_true(stored_file_keep(&rq, &u, "evidence", name));
	struct stat st;
	assert_int_equal(stat(arena_printf(a, "%s/evidence", dir), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_not_equal(access(path, F_OK), 0); /* moved, not copied */
	uint64_t size = 0;
	int fd = stored_file_open(&rq, "evidence", name, &size);
	assert_true(fd >= 0);
	assert_int_equal(size, video.n);
	close(fd);
	/* Nothing but a stored file's name is ever joined to a path. */
	assert_int_equal(stored_file_open(&rq, "evidence", "../upload-2", &size), -1);
	assert_false(stored_file_keep(&rq, &exe, "evidence", "../../escape"));
	assert_int_equal(access(exe.path, F_OK), 0);
	stored_file_remove(&rq, "evidence", name);
	assert_int_equal(stored_file_open(&rq, "evidence", name, &size), -1);
	assert_int_not_equal(access(stored_file_path(&rq, "evidence", name), F_OK), 0);
	arena_free(a);
	testdb_remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documents_and_images),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_iso_media),
		cmocka_unit_test(test_ebml),
		cmocka_unit_test(test_audio),
		cmocka_unit_test(test_types_and_claims),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_materials_refuse_media),
		cmocka_unit_test(test_identify_keep_open_remove),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
