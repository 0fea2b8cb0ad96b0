/* A report's download, the one way every report is handed out as a file:
 * the table written as CSV, XLSX or PDF, the download recorded in the
 * audit log, and only then the file, as an attachment. */
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "../web/change.h"
#include "report.h"

static const report_format formats[] = {
	{"csv", "csv", "text/csv; charset=utf-8"},
	{"xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{"pdf", "pdf", "application/pdf"},
};

const report_format *report_format_named(const char *format)
{
	for (size_t i = 0; i < COUNT_OF(formats); i++)
		if (str_eq(format, formats[i].format)) return &formats[i];
	return NULL;
}

static bool report_file(arena *a, const report_table *t, const report_format *f, buf *out)
{
	if (str_eq(f->format, "csv")) {
		csv_out_table(out, t);
		return true;
	}
	return str_eq(f->format, "xlsx") ? xlsx_table(a, t, out) : pdf_table(t, out);
}

/* Recorded before it is handed out: an export that cannot be recorded is
 * not given. */
bool report_export_recorded(req *rq, resp *rs, const report_audit *audit)
{
	outcome o = {0};
	if (change_begin(rq, &o))
		change_commit(rq, STORE_OK, audit->kind, audit->what, audit->id, audit->home, audit->detail,
			      &o);
	return !outcome_answered(rq, rs, &o);
}

void report_download(req *rq, resp *rs, const report_table *t, const report_format *f,
		     const report_audit *audit)
{
	buf out = BUF_INIT;
	if (!report_file(rq->a, t, f, &out)) {
		buf_free(&out);
		resp_error(rq, rs, 500, "export_failed", "the file could not be made; try again", NULL);
		return;
	}
	if (!report_export_recorded(rq, rs, audit)) {
		buf_free(&out);
		return;
	}
	buf_free(&rs->body);
	rs->body = out;
	rs->status = 200;
	rs->content_type = f->content_type;
	resp_header_add(rs, "Content-Disposition",
			arena_printf(rq->a, "attachment; filename=\"%s.%s\"", t->filename, f->ext));
}
