/* The XLSX writer for report downloads (libxlsxwriter): a title, the
 * parties, a bold header row and wrapped text cells. libxlsxwriter writes
 * only to a file, so the workbook goes to a private temporary file that is
 * read back and removed at once. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "../base/log.h"
#include "report.h"

enum { XLSX_MAX_BYTES = 64 * 1024 * 1024 };

static void write_sheet(lxw_workbook *wb, const report_table *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "Report");
	lxw_format *title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 14);
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bottom(head, LXW_BORDER_THIN);
	lxw_format *cell = workbook_add_format(wb);
	format_set_text_wrap(cell);
	format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
	for (size_t c = 0; c < t->ncols; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, t->widths ? 14.0 * t->widths[c] : 30.0,
				     NULL);
	worksheet_write_string(ws, 0, 0, t->title, title);
	if (t->subtitle) worksheet_write_string(ws, 1, 0, t->subtitle, NULL);
	lxw_row_t row = 3;
	for (size_t c = 0; c < t->ncols; c++)
		worksheet_write_string(ws, row, (lxw_col_t)c, t->headers[c], head);
	for (size_t r = 0; r < t->nrows; r++) {
		row++;
		for (size_t c = 0; c < t->ncols; c++)
			worksheet_write_string(ws, row, (lxw_col_t)c, t->cells[r * t->ncols + c], cell);
	}
	row += 2;
	for (size_t i = 0; i < sizeof t->notes / sizeof t->notes[0] && t->notes[i]; i++)
		worksheet_write_string(ws, row++, 0, t->notes[i], NULL);
	worksheet_freeze_panes(ws, 4, 0);
}

static bool slurp(const char *path, buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) return false;
	struct stat st;
	bool ok = fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size < XLSX_MAX_BYTES;
	if (ok) {
		buf_reserve(out, (size_t)st.st_size);
		char chunk[65536];
		ssize_t n;
		while ((n = read(fd, chunk, sizeof chunk)) > 0) buf_append(out, chunk, (size_t)n);
		ok = n == 0 && out->len == (size_t)st.st_size;
	}
	close(fd);
	return ok;
}

bool xlsx_table(arena *a, const report_table *t, buf *out)
{
	const char *dir = getenv("TMPDIR");
	char *path = arena_printf(a, "%s/coachd-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		log_line("xlsx: cannot make a temporary file: %s", strerror(errno));
		return false;
	}
	close(fd);
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	bool ok = wb != NULL;
	if (ok) {
		write_sheet(wb, t);
		lxw_error err = workbook_close(wb);
		ok = err == LXW_NO_ERROR && slurp(path, out);
		if (!ok) log_line("xlsx: %s", lxw_strerror(err));
	}
	unlink(path);
	return ok;
}
