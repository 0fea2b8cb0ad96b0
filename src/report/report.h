/* Reports generated from an engagement's data (never typed): the scope and
 * sequence and the services overview a partner hands a district. Each report is
 * built once as a plain table, then written as a page, CSV, XLSX or PDF. */
#ifndef COACHD_REPORT_H
#define COACHD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../base/buf.h"
#include "../http/http.h"
#include "../store/store.h"

/* A titled table of text cells, row-major; notes are printed under it. */
typedef struct report_table {
	const char *title;
	const char *subtitle; /* the parties and the period */
	const char *filename; /* without extension: "scope-and-sequence-12" */
	size_t ncols;
	const char *const *headers;
	const double *widths; /* relative column widths (PDF), ncols of them */
	size_t nrows;
	const char **cells;   /* nrows * ncols, never NULL cells */
	const char *notes[4]; /* NULL-ended */
} report_table;

/* The engagement a report is about, with what the policy needs. */
typedef struct report_engagement {
	int64_t id, partner_id, district_id;
	const char *title, *starts_on, *ends_on, *curriculum, *pl_type, *audiences, *delivery_format, *state;
	const char *partner_name, *district_name, *district_type, *size_band;
	bool flag_ell, flag_swd, flag_econ, flag_soc;
} report_engagement;

/* Loads the engagement; *found false when there is none. */
store_rc report_engagement_get(store *s, arena *a, int64_t id, report_engagement *out, bool *found);

/* ---- the two reports ---- */
/* The services overview's rows: people present at least once, people of
 * delivered sessions without attendance taken, and sessions by status and
 * format (status, format, count); the active lines' quantity and price. */
store_rc report_delivery_rows(store *s, arena *a, int64_t engagement_id, int64_t *present, int64_t *roster,
			      store_rows *sessions);
store_rc report_line_rows(store *s, arena *a, int64_t engagement_id, store_rows *lines);
/* The scope and sequence's rows: the sessions not cancelled (id, kind,
 * title, day, format, description, series, grid) and their teams (0),
 * people (1) and facilitators (2) by name. */
store_rc report_session_rows(store *s, arena *a, int64_t engagement_id, store_rows *sessions,
			     store_rows *people);
store_rc scope_sequence_build(store *s, arena *a, const report_engagement *e, report_table *out);
/* show_money: the cost band is included only when may(REC_MONEY, READ). */
store_rc services_overview_build(store *s, arena *a, const report_engagement *e, bool show_money,
				 report_table *out);

/* The services overview's cost band for a total in cents. */
const char *cost_band(int64_t cents);

/* ---- writers ---- */
/* RFC 4180: CRLF line ends, fields with , " CR or LF quoted, quotes
 * doubled. A field that a spreadsheet would run as a formula (starting
 * with = + - @ or a tab/CR) is prefixed with ' so an export never runs. */
void csv_out_field(buf *out, const char *s);
void csv_out_row(buf *out, const char *const *cells, size_t n);
void csv_out_table(buf *out, const report_table *t);
/* false when the library failed (logged). */
bool xlsx_table(arena *a, const report_table *t, buf *out);
bool pdf_table(const report_table *t, buf *out);

/* ---- downloads (report_download.c) ---- */
/* A download's format: what ?format= names, its file's extension and type. */
typedef struct report_format {
	const char *format, *ext, *content_type;
} report_format;

/* csv, xlsx or pdf; NULL for anything else. */
const report_format *report_format_named(const char *format);

/* What a download records in the audit log before it is handed out. */
typedef struct report_audit {
	record_kind kind;
	const char *what; /* the audit action: "walk_summary.export" */
	int64_t id;       /* the record reported on; 0 for a summary */
	int64_t home;     /* whose audit log */
	const char *detail;
} report_audit;

/* Writes t as f, records the download (its own transaction), then answers
 * with the file as an attachment named t->filename.ext. A file that cannot
 * be made answers 500 "export_failed"; a download that cannot be recorded
 * is not given (500). */
void report_download(req *rq, resp *rs, const report_table *t, const report_format *f,
		     const report_audit *audit);
/* Records an export of a report's data in another form (the JSON API's)
 * the same way, before it is handed out; false when it could not be
 * recorded (500 answered: nothing is given). */
bool report_export_recorded(req *rq, resp *rs, const report_audit *audit);

/* ---- pages (report_pages.c) ---- */
handler_fn page_scope_sequence, page_services_overview, api_scope_sequence, api_services_overview;

#endif
