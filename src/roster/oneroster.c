/* Reading OneRoster CSV files into a plan: the source (a directory or a
 * ZIP archive), the manifest, each file's header matched to the columns of
 * its version, and each row checked and kept. References between files are
 * resolved later, in roster_store.c, where the database can answer for the
 * records a delta import does not repeat. */
#include "oneroster.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/util.h"
#include "../http/parse_utf8.h"
#include "csv.h"
#include "zip.h"

enum {
	MAX_DIR_FILES = 1000,
	MAX_OPEN = 16,
	MAX_PROBLEMS = 200,
	MAX_WARNINGS = 100,
	MAX_PER_COLUMN = 10, /* notes like it in one column: enough to see the pattern */
	MAX_ID = 255,
	MAX_TEXT = 1000,
	MAX_COLS = 32
};

static const char *const file_names[RF_COUNT] = {
	[RF_ORGS] = "orgs.csv",
	[RF_SESSIONS] = "academicSessions.csv",
	[RF_COURSES] = "courses.csv",
	[RF_CLASSES] = "classes.csv",
	[RF_ROLES] = "roles.csv",
	[RF_USERS] = "users.csv",
	[RF_ENROLLMENTS] = "enrollments.csv",
};

/* The manifest's names for them (file.orgs ...). */
static const char *const manifest_keys[RF_COUNT] = {
	[RF_ORGS] = "file.orgs",
	[RF_SESSIONS] = "file.academicSessions",
	[RF_COURSES] = "file.courses",
	[RF_CLASSES] = "file.classes",
	[RF_ROLES] = "file.roles",
	[RF_USERS] = "file.users",
	[RF_ENROLLMENTS] = "file.enrollments",
};

/* Files of the standard that coachd does not import, and why. */
static const struct {
	const char *key, *why;
} other_files[] = {
	{"file.demographics", "coachd keeps no student data"},
	{"file.userProfiles", "coachd signs people in itself"},
	{"file.categories", "gradebook files are not used"},
	{"file.lineItems", "gradebook files are not used"},
	{"file.results", "gradebook files are not used"},
	{"file.scoreScales", "gradebook files are not used"},
	{"file.lineItemLearningObjectiveIds", "gradebook files are not used"},
	{"file.lineItemScoreScales", "gradebook files are not used"},
	{"file.resultLearningObjectiveIds", "gradebook files are not used"},
	{"file.resultScoreScales", "gradebook files are not used"},
	{"file.resources", "resource files are not used"},
	{"file.classResources", "resource files are not used"},
	{"file.courseResources", "resource files are not used"},
	{"file.userResources", "resource files are not used"},
};

const char *roster_file_name(roster_file f)
{
	return (unsigned)f < RF_COUNT ? file_names[f] : "?";
}

/* ---- notes ---- */

typedef struct note_cap {
	const char *file, *column;
	bool warning;
	size_t shown, dropped;
} note_cap;

typedef struct note_caps {
	note_cap v[64];
	size_t n;
} note_caps;

static note_cap *cap_for(roster_plan *p, const char *file, const char *column, bool warning)
{
	note_caps *c = p->caps;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].warning == warning && c->v[i].file == file &&
		    (c->v[i].column == column ||
		     (c->v[i].column && column && !strcmp(c->v[i].column, column))))
			return &c->v[i];
	if (c->n == sizeof c->v / sizeof c->v[0]) return NULL;
	c->v[c->n] = (note_cap){.file = file, .column = column, .warning = warning};
	return &c->v[c->n++];
}

/* A message cut to fit its buffer may end inside a character; JSON and
 * HTML both want whole ones. */
static void utf8_clip(char *s)
{
	size_t n = strlen(s);
	for (int k = 0; k < 4 && n && !parse_utf8_valid(s, n); k++) s[--n] = '\0';
}

static void notes_push(arena *a, roster_notes *l, const char *file, size_t row, const char *column,
		       const char *message)
{
	if (!l->items) {
		l->cap += 64; /* room for the summaries added at the end */
		l->items = arena_calloc(a, l->cap, sizeof *l->items);
	}
	l->items[l->n++] = (roster_note){.file = file,
					 .row = row,
					 .column = column ? arena_strdup(a, column) : NULL,
					 .message = arena_strdup(a, message)};
}

static void add_note(roster_plan *p, bool warning, const char *file, size_t row, const char *column,
		     const char *fmt, va_list ap)
{
	roster_notes *l = warning ? &p->warnings : &p->problems;
	size_t limit = warning ? MAX_WARNINGS : MAX_PROBLEMS;
	note_cap *c = cap_for(p, file, column, warning);
	if ((c && c->shown >= MAX_PER_COLUMN && row) || l->n >= limit) {
		if (c && c->shown >= MAX_PER_COLUMN) c->dropped++;
		else l->dropped++;
		return;
	}
	if (c) c->shown++;
	char msg[600];
	vsnprintf(msg, sizeof msg, fmt, ap);
	utf8_clip(msg);
	notes_push(p->a, l, file, row, column, msg);
}

void roster_problem(roster_plan *p, const char *file, size_t row, const char *column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_note(p, false, file, row, column, fmt, ap);
	va_end(ap);
}

void roster_warning(roster_plan *p, const char *file, size_t row, const char *column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_note(p, true, file, row, column, fmt, ap);
	va_end(ap);
}

/* Closing lines for notes held back: how many more there were. */
static void summarize_caps(roster_plan *p)
{
	note_caps *c = p->caps;
	for (size_t i = 0; i < c->n; i++) {
		if (!c->v[i].dropped) continue;
		roster_notes *l = c->v[i].warning ? &p->warnings : &p->problems;
		if (!l->items || l->n >= l->cap) {
			l->dropped += c->v[i].dropped;
			continue;
		}
		char msg[200];
		snprintf(msg, sizeof msg, "%zu more rows with %s like the ones above are not listed",
			 c->v[i].dropped, c->v[i].warning ? "warnings" : "problems");
		notes_push(p->a, l, c->v[i].file, 0, c->v[i].column, msg);
	}
}

char *roster_note_text(arena *a, const roster_note *n)
{
	if (!n->file) return arena_strdup(a, n->message);
	if (n->row && n->column)
		return arena_printf(a, "%s row %zu, column %s: %s", n->file, n->row, n->column, n->message);
	if (n->row) return arena_printf(a, "%s row %zu: %s", n->file, n->row, n->message);
	if (n->column) return arena_printf(a, "%s, column %s: %s", n->file, n->column, n->message);
	return arena_printf(a, "%s: %s", n->file, n->message);
}

/* ---- the source: a directory or a ZIP archive ---- */

struct roster_source {
	arena *a;
	const char *path;
	zip_archive *zip;
	const char *prefix; /* ZIP: the folder that holds manifest.csv */
	char **names;       /* directory: its files */
	size_t nnames;
	int fds[MAX_OPEN];
	size_t nfds;
};

static int keep_fd(roster_source *s, int fd)
{
	if (fd >= 0 && s->nfds < MAX_OPEN) s->fds[s->nfds++] = fd;
	else if (fd >= 0) {
		close(fd);
		fd = -1;
		errno = EMFILE;
	}
	return fd;
}

void roster_source_close(roster_source *s)
{
	for (size_t i = 0; s && i < s->nfds; i++) close(s->fds[i]);
	if (s) s->nfds = 0;
}

static bool list_dir(roster_source *s, const char **why)
{
	DIR *d = opendir(s->path);
	if (!d) {
		*why = arena_printf(s->a, "%s cannot be read: %s", s->path, strerror(errno));
		return false;
	}
	s->names = arena_calloc(s->a, MAX_DIR_FILES, sizeof *s->names);
	struct dirent *e;
	while ((e = readdir(d)) && s->nnames < MAX_DIR_FILES)
		if (e->d_name[0] != '.') s->names[s->nnames++] = arena_strdup(s->a, e->d_name);
	closedir(d);
	return true;
}

/* Why a file that is not a ZIP archive was given, in the user's terms. */
static const char *not_zip_reason(arena *a, const char *path, const unsigned char *head, ssize_t n)
{
	if (n == 0)
		return arena_printf(a,
				    "%s is empty (0 bytes): expected a ZIP archive of "
				    "OneRoster CSV files",
				    path);
	bool text = true;
	for (ssize_t i = 0; i < n; i++)
		if (head[i] == 0 || (head[i] < 0x20 && !isspace(head[i]))) text = false;
	if (text)
		return arena_printf(a,
				    "%s is a text file, not a ZIP archive: put manifest.csv and "
				    "the other CSV files in one ZIP archive",
				    path);
	return arena_printf(a, "%s is not a ZIP archive (it starts with other binary data)", path);
}

static bool open_zip(roster_source *s, const char **why)
{
	int fd = keep_fd(s, open(s->path, O_RDONLY | O_CLOEXEC));
	if (fd < 0) {
		*why = arena_printf(s->a, "%s cannot be read: %s", s->path, strerror(errno));
		return false;
	}
	unsigned char head[64];
	ssize_t n = pread(fd, head, sizeof head, 0);
	if (n < 0) n = 0;
	if (!zip_looks_like(head, (size_t)n)) {
		*why = not_zip_reason(s->a, s->path, head, n);
		return false;
	}
	const char *bad = zip_open_fd(s->a, fd, NULL, &s->zip);
	if (bad) {
		*why = arena_printf(s->a, "%s: %s", s->path, bad);
		return false;
	}
	return true;
}

static const char *base_name(const char *p)
{
	const char *slash = strrchr(p, '/');
	return slash ? slash + 1 : p;
}

/* The folder of the archive that holds manifest.csv: the roster may sit
 * at the top or inside one folder, as "Compress folder" makes it. */
static bool find_prefix(roster_source *s, const char **why)
{
	const char *found = NULL;
	for (size_t i = 0; i < zip_count(s->zip); i++) {
		const zip_entry *e = zip_entry_at(s->zip, i);
		if (e->is_dir || !str_ieq(base_name(e->name), "manifest.csv")) continue;
		if (found) {
			*why = "the archive holds more than one manifest.csv; put one roster in it";
			return false;
		}
		found = e->name;
	}
	if (!found) {
		*why = "the archive has no manifest.csv; a OneRoster export always has one";
		return false;
	}
	s->prefix = arena_strndup(s->a, found, (size_t)(base_name(found) - found));
	return true;
}

roster_source *roster_source_open(arena *a, const char *path, const char **why)
{
	roster_source *s = arena_alloc(a, sizeof *s);
	s->a = a;
	s->path = path;
	struct stat st;
	if (stat(path, &st) != 0) {
		*why = arena_printf(a, "%s cannot be read: %s", path, strerror(errno));
		return NULL;
	}
	bool ok = S_ISDIR(st.st_mode) ? list_dir(s, why) : open_zip(s, why) && find_prefix(s, why);
	if (!ok) {
		roster_source_close(s);
		return NULL;
	}
	return s;
}

/* A file's name in the source, matched without regard to case. */
typedef struct found_file {
	const char *name;
	const zip_entry *entry;
} found_file;

static bool source_find(roster_source *s, const char *want, found_file *out)
{
	*out = (found_file){0};
	if (s->zip) {
		size_t plen = strlen(s->prefix);
		for (size_t i = 0; i < zip_count(s->zip); i++) {
			const zip_entry *e = zip_entry_at(s->zip, i);
			if (e->is_dir || strncmp(e->name, s->prefix, plen) || strchr(e->name + plen, '/'))
				continue;
			if (str_ieq(e->name + plen, want)) {
				*out = (found_file){e->name, e};
				return true;
			}
		}
		return false;
	}
	for (size_t i = 0; i < s->nnames; i++)
		if (str_ieq(s->names[i], want)) {
			out->name = s->names[i];
			return true;
		}
	return false;
}

typedef struct fd_reader {
	int fd;
	char err[160];
} fd_reader;

static long fd_read(void *ctx, char *buf, size_t n)
{
	fd_reader *r = ctx;
	for (;;) {
		ssize_t got = read(r->fd, buf, n);
		if (got >= 0) return (long)got;
		if (errno == EINTR) continue;
		snprintf(r->err, sizeof r->err, "%s", strerror(errno));
		return -1;
	}
}

static const char *fd_error(void *ctx)
{
	return ((fd_reader *)ctx)->err;
}

static long zip_read_cb(void *ctx, char *buf, size_t n)
{
	return zip_stream_read(ctx, buf, n);
}

static const char *zip_error_cb(void *ctx)
{
	return zip_stream_error(ctx);
}

/* Opens a file of the roster for reading; NULL with *why on failure. */
static csv_reader *source_csv(roster_source *s, const found_file *f, const char *label, const char **why)
{
	if (f->entry) {
		zip_stream *zs;
		*why = zip_entry_open(s->zip, f->entry, &zs);
		if (*why) return NULL;
		return csv_open(s->a, label, (csv_source){zs, zip_read_cb, zip_error_cb}, NULL);
	}
	char *path = arena_printf(s->a, "%s/%s", s->path, f->name);
	fd_reader *r = arena_alloc(s->a, sizeof *r);
	r->fd = keep_fd(s, open(path, O_RDONLY | O_CLOEXEC));
	if (r->fd < 0) {
		*why = arena_printf(s->a, "it cannot be read: %s", strerror(errno));
		return NULL;
	}
	return csv_open(s->a, label, (csv_source){r, fd_read, fd_error}, NULL);
}

/* ---- values ---- */

static bool ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static bool is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i])) return false;
	return true;
}

/* YYYY-MM-DD, a real day of a real month. */
static bool valid_date(const char *s)
{
	if (strlen(s) < 10 || !is_digits(s, 4) || s[4] != '-' || !is_digits(s + 5, 2) || s[7] != '-' ||
	    !is_digits(s + 8, 2))
		return false;
	int y = atoi(s), m = (s[5] - '0') * 10 + s[6] - '0', d = (s[8] - '0') * 10 + s[9] - '0';
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static bool valid_time(const char *t)
{
	if (strlen(t) < 8 || !is_digits(t, 2) || t[2] != ':' || !is_digits(t + 3, 2) || t[5] != ':' ||
	    !is_digits(t + 6, 2))
		return false;
	if (atoi(t) > 23 || atoi(t + 3) > 59 || atoi(t + 6) > 60) return false;
	t += 8;
	if (*t == '.') {
		t++;
		size_t n = 0;
		while (isdigit((unsigned char)t[n])) n++;
		if (!n) return false;
		t += n;
	}
	if (*t == 'Z' || *t == 'z') return t[1] == '\0';
	if (*t == '+' || *t == '-')
		return strlen(t) == 6 && is_digits(t + 1, 2) && t[3] == ':' && is_digits(t + 4, 2);
	return *t == '\0';
}

/* 2: a date and time as the standard asks; 1: a bare date; 0: neither. */
static int datetime_kind(const char *s)
{
	if (!valid_date(s)) return 0;
	if (s[10] == '\0') return 1;
	return (s[10] == 'T' || s[10] == 't') && valid_time(s + 11) ? 2 : 0;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(b), prev[64], cur[64];
	if (n >= 64 || strlen(a) >= 64) return 99;
	for (size_t j = 0; j <= n; j++) prev[j] = j;
	for (const char *p = a; *p; p++) {
		cur[0] = prev[0] + 1;
		for (size_t j = 1; j <= n; j++) {
			size_t sub = prev[j - 1] +
				(tolower((unsigned char)*p) != tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (n + 1) * sizeof *prev);
	}
	return prev[n];
}

/* ---- columns of each file ---- */

enum { C_REQ = 1, C_V11 = 2, C_V12 = 4 };

typedef struct coldef {
	const char *name;
	unsigned flags;
} coldef;

/* Every file's first three columns. */
enum { K_SID, K_STATUS, K_MODIFIED };

enum { O_NAME = 3, O_TYPE, O_IDENTIFIER, O_PARENT, O_COUNT };
static const coldef org_cols[] = {{"sourcedId", C_REQ},  {"status", 0},   {"dateLastModified", 0},
				  {"name", C_REQ},       {"type", C_REQ}, {"identifier", 0},
				  {"parentSourcedId", 0}};

enum { S_TITLE = 3, S_TYPE, S_START, S_END, S_PARENT, S_YEAR, S_COUNT };
static const coldef session_cols[] = {{"sourcedId", C_REQ}, {"status", 0},          {"dateLastModified", 0},
				      {"title", C_REQ},     {"type", C_REQ},        {"startDate", C_REQ},
				      {"endDate", C_REQ},   {"parentSourcedId", 0}, {"schoolYear", C_REQ}};

enum { CO_YEAR = 3, CO_TITLE, CO_CODE, CO_GRADES, CO_ORG, CO_SUBJECTS, CO_SUBJECT_CODES, CO_COUNT };
static const coldef course_cols[] = {
	{"sourcedId", C_REQ}, {"status", 0},      {"dateLastModified", 0}, {"schoolYearSourcedId", 0},
	{"title", C_REQ},     {"courseCode", 0},  {"grades", 0},           {"orgSourcedId", C_REQ},
	{"subjects", 0},      {"subjectCodes", 0}};

enum {
	CL_TITLE = 3,
	CL_GRADES,
	CL_COURSE,
	CL_CODE,
	CL_TYPE,
	CL_LOCATION,
	CL_SCHOOL,
	CL_TERMS,
	CL_SUBJECTS,
	CL_SUBJECT_CODES,
	CL_PERIODS,
	CL_COUNT
};
static const coldef class_cols[] = {{"sourcedId", C_REQ},
				    {"status", 0},
				    {"dateLastModified", 0},
				    {"title", C_REQ},
				    {"grades", 0},
				    {"courseSourcedId", C_REQ},
				    {"classCode", 0},
				    {"classType", C_REQ},
				    {"location", 0},
				    {"schoolSourcedId", C_REQ},
				    {"termSourcedIds", C_REQ},
				    {"subjects", 0},
				    {"subjectCodes", 0},
				    {"periods", 0}};

enum {
	U_ENABLED = 3,
	U_ORGS,
	U_ROLE,
	U_USERNAME,
	U_USERIDS,
	U_GIVEN,
	U_FAMILY,
	U_MIDDLE,
	U_IDENTIFIER,
	U_EMAIL,
	U_SMS,
	U_PHONE,
	U_AGENTS,
	U_GRADES,
	U_PASSWORD,
	U_MASTER,
	U_PREF_GIVEN,
	U_PREF_MIDDLE,
	U_PREF_FAMILY,
	U_PRIMARY_ORG,
	U_PRONOUNS,
	U_COUNT
};
static const coldef user_cols[] = {{"sourcedId", C_REQ},
				   {"status", 0},
				   {"dateLastModified", 0},
				   {"enabledUser", C_REQ},
				   {"orgSourcedIds", C_REQ | C_V11},
				   {"role", C_REQ | C_V11},
				   {"username", C_REQ},
				   {"userIds", 0},
				   {"givenName", C_REQ},
				   {"familyName", C_REQ},
				   {"middleName", 0},
				   {"identifier", 0},
				   {"email", 0},
				   {"sms", 0},
				   {"phone", 0},
				   {"agentSourcedIds", 0},
				   {"grades", 0},
				   {"password", 0},
				   {"userMasterIdentifier", C_V12},
				   {"preferredGivenName", C_V12},
				   {"preferredMiddleName", C_V12},
				   {"preferredFamilyName", C_V12},
				   {"primaryOrgSourcedId", C_V12},
				   {"pronouns", C_V12}};

enum { R_USER = 3, R_ROLE_TYPE, R_ROLE, R_BEGIN, R_END, R_ORG, R_PROFILE, R_COUNT };
static const coldef role_cols[] = {{"sourcedId", C_REQ},       {"status", 0},       {"dateLastModified", 0},
				   {"userSourcedId", C_REQ},   {"roleType", C_REQ}, {"role", C_REQ},
				   {"beginDate", 0},           {"endDate", 0},      {"orgSourcedId", C_REQ},
				   {"userProfileSourcedId", 0}};

enum { E_CLASS = 3, E_SCHOOL, E_USER, E_ROLE, E_PRIMARY, E_BEGIN, E_END, E_COUNT };
static const coldef enrollment_cols[] = {{"sourcedId", C_REQ},
					 {"status", 0},
					 {"dateLastModified", 0},
					 {"classSourcedId", C_REQ},
					 {"schoolSourcedId", C_REQ},
					 {"userSourcedId", C_REQ},
					 {"role", C_REQ},
					 {"primary", 0},
					 {"beginDate", 0},
					 {"endDate", 0}};

/* userProfiles.csv is not imported, but its header is checked so a
 * wrong file under its name is reported rather than passed over. */
static const coldef profile_cols[] = {
	{"sourcedId", C_REQ},      {"status", 0},       {"dateLastModified", 0}, {"userSourcedId", C_REQ},
	{"profileType", C_REQ},    {"vendorId", C_REQ}, {"applicationId", 0},    {"description", 0},
	{"credentialType", C_REQ}, {"username", C_REQ}, {"password", 0}};

/* ---- reading one file ---- */

typedef struct rowctx rowctx;
typedef void row_fn(rowctx *rc);

struct rowctx {
	roster_plan *p;
	roster_file f;
	const char *file;
	csv_reader *r;
	const coldef *cols;
	size_t ncols;
	int idx[MAX_COLS];       /* the CSV column of each coldef; -1: absent */
	const char *v[MAX_COLS]; /* this row's values, trimmed; "" when absent */
	char *scratch;
	size_t scratch_cap;
	size_t row;
	roster_mode mode;
	bool bad;     /* the row has a problem: keep nothing of it */
	bool deleted; /* status tobedeleted */
	bool v12;
	bool bulk_status_seen;
	bool date_only_seen;
	strmap ids;        /* roles.csv: sourcedIds seen */
	strmap class_refs; /* enrollments.csv: class ids not in classes.csv */
};

static void problem(rowctx *rc, size_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(rowctx *rc, size_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void problem(rowctx *rc, size_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_note(rc->p, false, rc->file, rc->row, col < rc->ncols ? rc->cols[col].name : NULL, fmt, ap);
	va_end(ap);
	rc->bad = true;
}

static void warn(rowctx *rc, size_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_note(rc->p, true, rc->file, rc->row, col < rc->ncols ? rc->cols[col].name : NULL, fmt, ap);
	va_end(ap);
}

static bool col_in_version(const coldef *c, bool v12)
{
	return !(c->flags & (C_V11 | C_V12)) || (c->flags & (v12 ? C_V12 : C_V11));
}

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s)) (*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1])) (*n)--;
}

/* Matches the header to the columns this file has in this version:
 * names without regard to case; unknown names are a warning (with the
 * likely intended name); a missing required column is a problem. */
static bool map_header(rowctx *rc)
{
	for (size_t i = 0; i < rc->ncols; i++) rc->idx[i] = -1;
	bool ok = true;
	rc->row = 1;
	for (size_t c = 0; c < csv_ncolumns(rc->r); c++) {
		const char *name = csv_column_name(rc->r, c);
		size_t n = strlen(name);
		trim(&name, &n);
		char *h = arena_strndup(rc->p->a, name, n);
		if (!*h) {
			roster_problem(rc->p, rc->file, 1, NULL,
				       "column %zu of the header has no name "
				       "(remove empty columns, such as trailing commas)",
				       c + 1);
			ok = false;
			continue;
		}
		size_t k = 0;
		while (k < rc->ncols && !(col_in_version(&rc->cols[k], rc->v12) && ieq(rc->cols[k].name, h)))
			k++;
		if (k < rc->ncols) {
			if (rc->idx[k] >= 0) {
				roster_problem(rc->p, rc->file, 1, rc->cols[k].name,
					       "the column appears twice");
				ok = false;
			}
			rc->idx[k] = (int)c;
			continue;
		}
		const char *near = NULL;
		for (size_t j = 0; j < rc->ncols && !near; j++)
			if (edit_distance(h, rc->cols[j].name) <= 2) near = rc->cols[j].name;
		if (near)
			roster_warning(rc->p, rc->file, 1, h,
				       "unknown column %s, not read (did you mean %s?)", h, near);
		else roster_warning(rc->p, rc->file, 1, h, "unknown column %s, not read", h);
	}
	for (size_t k = 0; k < rc->ncols; k++) {
		if (rc->idx[k] >= 0 || !col_in_version(&rc->cols[k], rc->v12)) continue;
		bool delta_needs = rc->mode == ROSTER_DELTA && (k == K_STATUS || k == K_MODIFIED);
		if (rc->cols[k].flags & C_REQ || delta_needs) {
			roster_problem(rc->p, rc->file, 1, rc->cols[k].name,
				       delta_needs ? "the column is missing; a delta file needs it"
						   : "the required column is missing");
			ok = false;
		}
	}
	return ok;
}

/* Copies this row's values, trimmed, into scratch. */
static void take_values(rowctx *rc)
{
	size_t need = 0;
	for (size_t i = 0; i < csv_nfields(rc->r); i++) need += csv_field_len(rc->r, i) + 1;
	if (need > rc->scratch_cap) {
		rc->scratch_cap = need * 2 > 4096 ? need * 2 : 4096;
		rc->scratch = arena_alloc(rc->p->a, rc->scratch_cap);
	}
	char *w = rc->scratch;
	for (size_t k = 0; k < rc->ncols; k++) {
		if (rc->idx[k] < 0) {
			rc->v[k] = "";
			continue;
		}
		const char *s = csv_field(rc->r, (size_t)rc->idx[k]);
		size_t n = csv_field_len(rc->r, (size_t)rc->idx[k]);
		trim(&s, &n);
		memcpy(w, s, n);
		w[n] = '\0';
		rc->v[k] = w;
		w += n + 1;
	}
}

/* Checks what every file's rows share: required values, sourcedId,
 * status and dateLastModified. */
static void check_common(rowctx *rc)
{
	for (size_t k = 0; k < rc->ncols; k++)
		if (rc->idx[k] >= 0 && rc->cols[k].flags & C_REQ && !*rc->v[k])
			problem(rc, k, "the value is empty; it is required");
	if (strlen(rc->v[K_SID]) > MAX_ID)
		problem(rc, K_SID, "the sourcedId is longer than %d bytes", MAX_ID);
	const char *st = rc->v[K_STATUS], *mod = rc->v[K_MODIFIED];
	rc->deleted = false;
	if (rc->mode == ROSTER_DELTA && (!*st || !*mod))
		problem(rc, !*st ? K_STATUS : K_MODIFIED, "the value is empty; a delta file needs it");
	if (*st && ieq(st, "tobedeleted")) rc->deleted = true;
	else if (*st && !ieq(st, "active"))
		problem(rc, K_STATUS, "\"%s\" is not a status; it must be active or tobedeleted", st);
	if (*mod) {
		int kind = datetime_kind(mod);
		if (kind == 0)
			problem(rc, K_MODIFIED,
				"\"%s\" is not an ISO 8601 date and time "
				"(YYYY-MM-DDTHH:MM:SS.sssZ)",
				mod);
		else if (kind == 1 && !rc->date_only_seen) {
			rc->date_only_seen = true;
			warn(rc, K_MODIFIED,
			     "\"%s\" is a date without a time; the standard asks for "
			     "a date and time (YYYY-MM-DDTHH:MM:SS.sssZ); read as given",
			     mod);
		}
	}
	if (rc->mode == ROSTER_BULK && (*st || *mod) && !rc->bulk_status_seen) {
		rc->bulk_status_seen = true;
		warn(rc, *st ? K_STATUS : K_MODIFIED,
		     "status and dateLastModified are filled in although the manifest says bulk "
		     "(bulk files leave them empty); rows with status tobedeleted are deactivated");
	}
}

static const char *keep(rowctx *rc, const char *s)
{
	return s && *s ? strpool_add(&rc->p->pool, s, strlen(s)) : NULL;
}

static bool text_ok(rowctx *rc, size_t col)
{
	if (strlen(rc->v[col]) <= MAX_TEXT) return true;
	problem(rc, col, "the text is longer than %d bytes", MAX_TEXT);
	return false;
}

/* A comma-separated list ("a,b, c") as kept strings. */
static const char **split_list(rowctx *rc, const char *s, size_t *n)
{
	size_t count = 1;
	for (const char *p = s; *p; p++) count += *p == ',';
	const char **out = arena_calloc(rc->p->a, count, sizeof *out);
	*n = 0;
	while (*s) {
		const char *end = strchr(s, ',');
		size_t len = end ? (size_t)(end - s) : strlen(s);
		const char *item = s;
		trim(&item, &len);
		if (len) out[(*n)++] = strpool_add(&rc->p->pool, item, len);
		s += end ? (size_t)(end - s) + 1 : strlen(s);
	}
	return out;
}

/* "09, 10,11" -> "09,10,11" */
static const char *grades_text(rowctx *rc, const char *s)
{
	size_t n;
	const char **g = split_list(rc, s, &n);
	if (!n) return NULL;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) len += strlen(g[i]) + 1;
	char *out = arena_alloc(rc->p->a, len), *w = out;
	for (size_t i = 0; i < n; i++) w += sprintf(w, "%s%s", i ? "," : "", g[i]);
	return out;
}

/* A sourcedId seen twice in one file is a problem: which row is meant? */
static bool first_time(rowctx *rc, const char *sid)
{
	uintptr_t before = (uintptr_t)strmap_get(&rc->ids, sid);
	if (before) {
		problem(rc, K_SID, "sourcedId %s appears again (first on row %zu)", sid, (size_t)before);
		return false;
	}
	strmap_put(&rc->ids, sid, (void *)(uintptr_t)rc->row);
	return true;
}

/* Plan maps hold index + 1 into their vector (vectors move as they grow). */
#define AS_INDEX(v) ((void *)(uintptr_t)((v) + 1))

#define PUSH(a, vec) \
	((vec).n == (vec).cap ? grow_vec((a), (void **)&(vec).v, &(vec).cap, sizeof *(vec).v, (vec).n) \
			      : (void)0, \
	 &(vec).v[(vec).n++])

static void grow_vec(arena *a, void **v, size_t *cap, size_t size, size_t n)
{
	size_t c = *cap ? *cap * 2 : 64;
	void *bigger = arena_calloc(a, c, size);
	if (n) memcpy(bigger, *v, n * size);
	*v = bigger;
	*cap = c;
}

/* ---- orgs.csv ---- */

static const char *const org_types[] = {
	[OT_DISTRICT] = "district", [OT_SCHOOL] = "school", [OT_DEPARTMENT] = "department",
	[OT_LOCAL] = "local",       [OT_STATE] = "state",   [OT_NATIONAL] = "national"};

static int find_word(const char *const *words, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (words[i] && ieq(words[i], s)) return (int)i;
	return -1;
}

static void org_row(rowctx *rc)
{
	roster_plan *p = rc->p;
	int type = find_word(org_types, COUNT_OF(org_types), rc->v[O_TYPE]);
	if (type < 0 && *rc->v[O_TYPE])
		problem(rc, O_TYPE,
			"\"%s\" is not an org type; it must be district, school, "
			"department, local, state or national",
			rc->v[O_TYPE]);
	text_ok(rc, O_NAME);
	if (rc->bad) return;
	r_org *o = PUSH(p->a, p->orgs);
	*o = (r_org){.sid = keep(rc, rc->v[K_SID]),
		     .name = keep(rc, rc->v[O_NAME]),
		     .parent_sid = keep(rc, rc->v[O_PARENT]),
		     .type = (org_type)type,
		     .deleted = rc->deleted,
		     .row = (uint32_t)rc->row};
	if (!first_time(rc, o->sid)) {
		p->orgs.n--;
		return;
	}
	strmap_put(&p->org_by_sid, o->sid, AS_INDEX(p->orgs.n - 1));
	if (o->type != OT_DISTRICT || o->deleted) return;
	if (p->district >= 0)
		problem(rc, O_TYPE,
			"a second district (%s, after %s on row %u); one import holds "
			"one district",
			o->sid, p->orgs.v[p->district].sid, p->orgs.v[p->district].row);
	else p->district = (long)(p->orgs.n - 1);
}

/* ---- academicSessions.csv ---- */

static const char *const session_types[] = {[ST_SCHOOL_YEAR] = "schoolYear",
					    [ST_TERM] = "term",
					    [ST_SEMESTER] = "semester",
					    [ST_GRADING_PERIOD] = "gradingPeriod"};

static void session_row(rowctx *rc)
{
	roster_plan *p = rc->p;
	int type = find_word(session_types, COUNT_OF(session_types), rc->v[S_TYPE]);
	if (type < 0 && *rc->v[S_TYPE])
		problem(rc, S_TYPE,
			"\"%s\" is not a session type; it must be schoolYear, term, "
			"semester or gradingPeriod",
			rc->v[S_TYPE]);
	bool dates = true;
	for (size_t c = S_START; c <= S_END; c++)
		if (*rc->v[c] && !valid_date(rc->v[c])) {
			problem(rc, c, "\"%s\" is not a date (YYYY-MM-DD)", rc->v[c]);
			dates = false;
		}
	if (dates && *rc->v[S_START] && *rc->v[S_END] && strcmp(rc->v[S_START], rc->v[S_END]) >= 0)
		problem(rc, S_END, "the end %s is not after the start %s", rc->v[S_END], rc->v[S_START]);
	const char *y = rc->v[S_YEAR];
	if (*y && (strlen(y) != 4 || !is_digits(y, 4))) problem(rc, S_YEAR, "\"%s\" is not a year (YYYY)", y);
	text_ok(rc, S_TITLE);
	if (rc->bad) return;
	r_session *s = PUSH(p->a, p->sessions);
	*s = (r_session){.sid = keep(rc, rc->v[K_SID]),
			 .title = keep(rc, rc->v[S_TITLE]),
			 .starts = keep(rc, rc->v[S_START]),
			 .ends = keep(rc, rc->v[S_END]),
			 .parent_sid = keep(rc, rc->v[S_PARENT]),
			 .year = atoi(y),
			 .type = (session_type)type,
			 .deleted = rc->deleted,
			 .row = (uint32_t)rc->row};
	if (!first_time(rc, s->sid)) p->sessions.n--;
	else strmap_put(&p->session_by_sid, s->sid, AS_INDEX(p->sessions.n - 1));
}

/* ---- courses.csv ---- */

static void course_row(rowctx *rc)
{
	text_ok(rc, CO_TITLE);
	if (rc->bad) return;
	r_course *c = arena_alloc(rc->p->a, sizeof *c);
	*c = (r_course){.sid = keep(rc, rc->v[K_SID]),
			.title = keep(rc, rc->v[CO_TITLE]),
			.grades = grades_text(rc, rc->v[CO_GRADES])};
	if (first_time(rc, c->sid)) strmap_put(&rc->p->course_by_sid, c->sid, c);
}

/* ---- classes.csv ---- */

static void class_row(rowctx *rc)
{
	roster_plan *p = rc->p;
	const char *type = rc->v[CL_TYPE];
	if (*type && !ieq(type, "homeroom") && !ieq(type, "scheduled") && strncmp(type, "ext:", 4))
		problem(rc, CL_TYPE, "\"%s\" is not a class type; it must be homeroom or scheduled", type);
	const char *course = rc->v[CL_COURSE];
	if (*course && p->mode[RF_COURSES] == ROSTER_BULK && !strmap_get(&p->course_by_sid, course) &&
	    !roster_flawed(p, course))
		problem(rc, CL_COURSE, "course %s is not in courses.csv", course);
	text_ok(rc, CL_TITLE);
	if (rc->bad) return;
	r_class *c = PUSH(p->a, p->classes);
	*c = (r_class){.sid = keep(rc, rc->v[K_SID]),
		       .title = keep(rc, rc->v[CL_TITLE]),
		       .grades = grades_text(rc, rc->v[CL_GRADES]),
		       .school_sid = keep(rc, rc->v[CL_SCHOOL]),
		       .course_sid = keep(rc, course),
		       .deleted = rc->deleted,
		       .row = (uint32_t)rc->row};
	c->term_sids = split_list(rc, rc->v[CL_TERMS], &c->nterms);
	if (!first_time(rc, c->sid)) p->classes.n--;
	else strmap_put(&p->class_by_sid, c->sid, AS_INDEX(p->classes.n - 1));
}

/* ---- roles.csv (1.2) ---- */

static uintptr_t user_bits(const roster_plan *p, const char *sid)
{
	return (uintptr_t)strmap_get(&p->users, sid);
}

static void add_user_bits(roster_plan *p, const char *sid, uintptr_t bits)
{
	const char *key = sid;
	uintptr_t before = user_bits(p, sid);
	if (!before) key = strpool_add(&p->pool, sid, strlen(sid));
	strmap_put(&p->users, key, (void *)(before | bits));
}

static const char *const v12_roles[] = {"aide",
					"counselor",
					"districtAdministrator",
					"guardian",
					"parent",
					"principal",
					"proctor",
					"relative",
					"siteAdministrator",
					"student",
					"systemAdministrator",
					"teacher"};

static void push_role(rowctx *rc, const char *sid, const char *person, const char *org, r_role_kind kind)
{
	r_role *r = PUSH(rc->p->a, rc->p->roles);
	*r = (r_role){.sid = sid,
		      .person_sid = person,
		      .org_sid = org,
		      .kind = kind,
		      .deleted = rc->deleted,
		      .file = rc->f,
		      .row = (uint32_t)rc->row};
}

static void role_row(rowctx *rc)
{
	const char *role = rc->v[R_ROLE], *type = rc->v[R_ROLE_TYPE];
	int r = find_word(v12_roles, COUNT_OF(v12_roles), role);
	if (r < 0 && *role && strncmp(role, "ext:", 4))
		problem(rc, R_ROLE, "\"%s\" is not a OneRoster 1.2 role", role);
	if (*type && !ieq(type, "primary") && !ieq(type, "secondary"))
		problem(rc, R_ROLE_TYPE, "\"%s\" is not a role type; it must be primary or secondary", type);
	for (size_t c = R_BEGIN; c <= R_END; c++)
		if (*rc->v[c] && !valid_date(rc->v[c]))
			problem(rc, c, "\"%s\" is not a date (YYYY-MM-DD)", rc->v[c]);
	if (rc->bad) return;
	const char *sid = keep(rc, rc->v[K_SID]);
	if (!first_time(rc, sid)) return;
	const char *user = rc->v[R_USER];
	bool teacher = r >= 0 && !strcmp(v12_roles[r], "teacher");
	bool admin = r >= 0 &&
		(!strcmp(v12_roles[r], "principal") || !strcmp(v12_roles[r], "siteAdministrator") ||
		 !strcmp(v12_roles[r], "districtAdministrator"));
	uintptr_t bits = teacher                             ? U_TEACHER
		: admin                                      ? U_ADMIN
		: r >= 0 && !strcmp(v12_roles[r], "student") ? U_STUDENT
							     : U_OTHER;
	if (rc->deleted) {
		if (teacher || admin)
			push_role(rc, sid, keep(rc, user), keep(rc, rc->v[R_ORG]),
				  teacher ? RR_TEACHER : RR_ADMINISTRATOR);
		return;
	}
	add_user_bits(rc->p, user, bits);
	if (teacher || admin)
		push_role(rc, sid, keep(rc, user), keep(rc, rc->v[R_ORG]),
			  teacher ? RR_TEACHER : RR_ADMINISTRATOR);
}

/* ---- users.csv ---- */

static const char *const v11_roles[] = {"administrator", "aide",     "guardian", "parent",
					"proctor",       "relative", "student",  "teacher"};

static bool parse_bool(const char *s, bool *out)
{
	if (ieq(s, "true")) *out = true;
	else if (ieq(s, "false")) *out = false;
	else return false;
	return true;
}

/* Enough to catch a slip; the address is proven when its owner signs in. */
static bool email_plausible(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 254) return false;
	for (; *s; s++)
		if (isspace((unsigned char)*s) || iscntrl((unsigned char)*s)) return false;
	return true;
}

static r_person *staff_person(rowctx *rc, bool enabled)
{
	roster_plan *p = rc->p;
	const char *given = *rc->v[U_PREF_GIVEN] ? rc->v[U_PREF_GIVEN] : rc->v[U_GIVEN];
	const char *family = *rc->v[U_PREF_FAMILY] ? rc->v[U_PREF_FAMILY] : rc->v[U_FAMILY];
	const char *email = rc->v[U_EMAIL];
	if (*email && !email_plausible(email)) {
		warn(rc, U_EMAIL, "\"%s\" is not an email address; the person is kept without one", email);
		email = "";
	}
	if (strlen(given) + strlen(family) > 200) {
		problem(rc, U_GIVEN, "the name is longer than 200 bytes");
		return NULL;
	}
	r_person *ps = PUSH(p->a, p->persons);
	*ps = (r_person){.sid = keep(rc, rc->v[K_SID]),
			 .email = keep(rc, email),
			 .name = arena_printf(p->a, "%s%s%s", given, *given && *family ? " " : "", family),
			 .enabled = enabled,
			 .deleted = rc->deleted,
			 .row = (uint32_t)rc->row};
	strmap_put(&p->person_by_sid, ps->sid, AS_INDEX(p->persons.n - 1));
	return ps;
}

/* 1.1: the role is a column, for every org in orgSourcedIds. */
static void user_row_v11(rowctx *rc, bool enabled)
{
	roster_plan *p = rc->p;
	int r = find_word(v11_roles, COUNT_OF(v11_roles), rc->v[U_ROLE]);
	if (r < 0) {
		if (*rc->v[U_ROLE]) problem(rc, U_ROLE, "\"%s\" is not a OneRoster 1.1 role", rc->v[U_ROLE]);
		return;
	}
	const char *role = v11_roles[r];
	bool teacher = !strcmp(role, "teacher"), admin = !strcmp(role, "administrator");
	uintptr_t bits = U_LISTED | (rc->deleted ? U_DELETED : 0) |
		(teacher                            ? U_TEACHER
			 : admin                    ? U_ADMIN
			 : !strcmp(role, "student") ? U_STUDENT
						    : U_OTHER);
	if (!first_time(rc, rc->v[K_SID])) return;
	add_user_bits(p, rc->v[K_SID], bits);
	if (!teacher && !admin) {
		if (rc->deleted) return;
		if (bits & U_STUDENT) p->students++;
		else p->skipped++;
		return;
	}
	r_person *ps = staff_person(rc, enabled);
	if (!ps || rc->deleted) return;
	size_t n;
	const char **orgs = split_list(rc, rc->v[U_ORGS], &n);
	for (size_t i = 0; i < n; i++)
		push_role(rc, arena_printf(p->a, "users.csv:%s@%s", ps->sid, orgs[i]), ps->sid, orgs[i],
			  teacher ? RR_TEACHER : RR_ADMINISTRATOR);
}

/* 1.2: what a user is comes from roles.csv, read before. */
static void user_row_v12(rowctx *rc, bool enabled)
{
	roster_plan *p = rc->p;
	const char *sid = rc->v[K_SID];
	uintptr_t bits = user_bits(p, sid);
	if (!first_time(rc, sid)) return;
	add_user_bits(p, sid, U_LISTED | (rc->deleted ? U_DELETED : 0));
	if (bits & (U_TEACHER | U_ADMIN) || rc->deleted) {
		staff_person(rc, enabled);
		return;
	}
	if (bits & U_STUDENT) {
		p->students++;
		return;
	}
	if (bits & U_OTHER || p->mode[RF_ROLES] == ROSTER_BULK) {
		p->skipped++;
		return;
	}
	/* No role in this (delta) import: a known person's name may change. */
	r_person *ps = staff_person(rc, enabled);
	if (ps) ps->only_if_known = true;
}

static void user_row(rowctx *rc)
{
	bool enabled = true;
	if (*rc->v[U_ENABLED] && !parse_bool(rc->v[U_ENABLED], &enabled))
		problem(rc, U_ENABLED, "\"%s\" is not true or false", rc->v[U_ENABLED]);
	if (rc->bad) return;
	if (rc->v12) user_row_v12(rc, enabled);
	else user_row_v11(rc, enabled);
}

/* ---- enrollments.csv ---- */

static const char *const enrollment_roles[] = {"administrator", "proctor", "student", "teacher"};

static const char *user_role_word(uintptr_t bits)
{
	return bits & U_TEACHER    ? "teacher"
		: bits & U_ADMIN   ? "administrator"
		: bits & U_STUDENT ? "student"
				   : "a role coachd does not keep (parent, aide …)";
}

/* Checks the user against users.csv (and roles.csv) when they are there. */
static void check_enrolled_user(rowctx *rc, bool student)
{
	roster_plan *p = rc->p;
	if (p->mode[RF_USERS] == ROSTER_ABSENT) return;
	const char *user = rc->v[E_USER];
	uintptr_t bits = user_bits(p, user);
	if (!(bits & U_LISTED)) {
		if (p->mode[RF_USERS] == ROSTER_BULK && !roster_flawed(p, user))
			problem(rc, E_USER, "user %s is not in users.csv", user);
		return;
	}
	if (rc->deleted || bits & U_DELETED) return;
	const char *from = rc->v12 ? "roles.csv" : "users.csv";
	if (student && !(bits & U_STUDENT))
		problem(rc, E_ROLE, "user %s is enrolled as a student, but %s gives them the role %s", user,
			from, user_role_word(bits));
	else if (!student && !(bits & (U_TEACHER | U_ADMIN)))
		problem(rc, E_ROLE, "user %s is enrolled as a teacher, but %s gives them the role %s", user,
			from, user_role_word(bits));
}

/* The class's sourcedId, shared with the class row when there is one: a
 * million enrollments need not hold a million copies of forty thousand
 * class ids. */
static const char *class_ref(rowctx *rc, strmap *seen)
{
	const char *sid = rc->v[E_CLASS];
	uintptr_t c = (uintptr_t)strmap_get(&rc->p->class_by_sid, sid);
	if (c) return rc->p->classes.v[c - 1].sid;
	const char *known = strmap_get(seen, sid);
	if (known) return known;
	const char *k = strpool_add(&rc->p->pool, sid, strlen(sid));
	strmap_put(seen, k, (void *)k);
	return k;
}

static void enrollment_row_in(rowctx *rc, strmap *seen)
{
	roster_plan *p = rc->p;
	int r = find_word(enrollment_roles, COUNT_OF(enrollment_roles), rc->v[E_ROLE]);
	if (r < 0 && *rc->v[E_ROLE])
		problem(rc, E_ROLE,
			"\"%s\" is not an enrollment role; it must be administrator, "
			"proctor, student or teacher",
			rc->v[E_ROLE]);
	bool b;
	if (*rc->v[E_PRIMARY] && !parse_bool(rc->v[E_PRIMARY], &b))
		problem(rc, E_PRIMARY, "\"%s\" is not true or false", rc->v[E_PRIMARY]);
	const char *cls = rc->v[E_CLASS];
	uintptr_t ci = (uintptr_t)strmap_get(&p->class_by_sid, cls);
	const r_class *c = ci ? &p->classes.v[ci - 1] : NULL;
	if (*cls && !c && p->mode[RF_CLASSES] == ROSTER_BULK && !roster_flawed(p, cls))
		problem(rc, E_CLASS, "class %s is not in classes.csv", cls);
	if (c && *rc->v[E_SCHOOL] && c->school_sid && strcmp(c->school_sid, rc->v[E_SCHOOL]))
		warn(rc, E_SCHOOL,
		     "school %s is not the school of class %s (%s); the class's school "
		     "counts",
		     rc->v[E_SCHOOL], cls, c->school_sid);
	if (rc->bad || r < 0) return;
	bool student = !strcmp(enrollment_roles[r], "student");
	if (!student && strcmp(enrollment_roles[r], "teacher")) {
		p->skipped++;
		return;
	}
	check_enrolled_user(rc, student);
	if (rc->bad) return;
	const char *sid = strpool_add(&p->pool, rc->v[K_SID], strlen(rc->v[K_SID]));
	if (student) {
		r_enrollment *e = PUSH(p->a, p->enrollments);
		*e = (r_enrollment){.sid = sid,
				    .class_sid = class_ref(rc, seen),
				    .row = (uint32_t)rc->row,
				    .deleted = rc->deleted};
		return;
	}
	r_teacher *t = PUSH(p->a, p->teachers);
	*t = (r_teacher){.sid = sid,
			 .class_sid = class_ref(rc, seen),
			 .person_sid = keep(rc, rc->v[E_USER]),
			 .deleted = rc->deleted,
			 .row = (uint32_t)rc->row};
}

static void enrollment_row(rowctx *rc)
{
	enrollment_row_in(rc, &rc->class_refs);
}

/* ---- files ---- */

typedef struct filedef {
	const coldef *cols;
	size_t ncols;
	row_fn *row;
} filedef;

static const filedef filedefs[RF_COUNT] = {
	[RF_ORGS] = {org_cols, COUNT_OF(org_cols), org_row},
	[RF_SESSIONS] = {session_cols, COUNT_OF(session_cols), session_row},
	[RF_COURSES] = {course_cols, COUNT_OF(course_cols), course_row},
	[RF_CLASSES] = {class_cols, COUNT_OF(class_cols), class_row},
	[RF_ROLES] = {role_cols, COUNT_OF(role_cols), role_row},
	[RF_USERS] = {user_cols, COUNT_OF(user_cols), user_row},
	[RF_ENROLLMENTS] = {enrollment_cols, COUNT_OF(enrollment_cols), enrollment_row},
};

/* A problem the CSV reader found, in the plan's words. */
static void csv_trouble(roster_plan *p, const char *file, csv_reader *r)
{
	const csv_problem *cp = csv_problem_of(r);
	if (!cp) return;
	roster_problem(p, file, cp->row, cp->column_name && *cp->column_name ? cp->column_name : NULL, "%s",
		       cp->message);
}

/* Opens a file and reads its header; NULL (after saying why) when there
 * is nothing more to read in it. */
static csv_reader *open_file(roster_plan *p, roster_source *src, const char *label)
{
	found_file ff;
	if (!source_find(src, label, &ff)) return NULL;
	const char *why = NULL;
	csv_reader *r = source_csv(src, &ff, label, &why);
	if (!r) {
		roster_problem(p, label, 0, NULL, "%s", why);
		return NULL;
	}
	int rc = csv_read_header(r);
	if (rc == 0)
		roster_problem(p, label, 0, NULL,
			       "the file is empty (0 bytes); it needs at "
			       "least its header row");
	if (rc < 0) csv_trouble(p, label, r);
	return rc == 1 ? r : NULL;
}

bool roster_flawed(const roster_plan *p, const char *sid)
{
	return sid && strmap_get(&p->flawed, sid) != NULL;
}

static void mark_flawed(roster_plan *p, const char *sid, size_t n)
{
	if (!n || n > MAX_ID) return;
	char key[MAX_ID + 1];
	memcpy(key, sid, n);
	key[n] = '\0';
	if (!strmap_get(&p->flawed, key)) strmap_put(&p->flawed, strpool_add(&p->pool, sid, n), p);
}

static void read_rows(rowctx *rc, row_fn *fn)
{
	for (;;) {
		int got = csv_next(rc->r);
		if (got == 0) break;
		if (got < 0) {
			csv_trouble(rc->p, rc->file, rc->r);
			const csv_problem *cp = csv_problem_of(rc->r);
			if (!cp || cp->fatal) break;
			if (rc->idx[K_SID] >= 0) {
				const char *sid = csv_field(rc->r, (size_t)rc->idx[K_SID]);
				size_t n = csv_field_len(rc->r, (size_t)rc->idx[K_SID]);
				trim(&sid, &n);
				mark_flawed(rc->p, sid, n);
			}
			continue;
		}
		rc->p->rows[rc->f]++;
		rc->row = csv_row(rc->r);
		rc->bad = false;
		take_values(rc);
		check_common(rc);
		fn(rc);
		if (rc->bad) mark_flawed(rc->p, rc->v[K_SID], strlen(rc->v[K_SID]));
	}
}

static void read_file(roster_plan *p, roster_source *src, roster_file f)
{
	const filedef *d = &filedefs[f];
	csv_reader *r = open_file(p, src, file_names[f]);
	if (!r) return;
	rowctx *rc = arena_alloc(p->a, sizeof *rc);
	*rc = (rowctx){.p = p,
		       .f = f,
		       .file = file_names[f],
		       .r = r,
		       .cols = d->cols,
		       .ncols = d->ncols,
		       .mode = p->mode[f],
		       .v12 = !strcmp(p->version, "1.2")};
	strmap_init(&rc->ids, p->a, f == RF_ENROLLMENTS ? 0 : 1024);
	strmap_init(&rc->class_refs, p->a, 64);
	if (!map_header(rc)) return;
	read_rows(rc, d->row);
	if (f == RF_CLASSES && p->mode[RF_CLASSES] == ROSTER_BULK && p->mode[RF_COURSES] == ROSTER_ABSENT &&
	    p->classes.n)
		roster_warning(p, rc->file, 0, "courseSourcedId",
			       "classes refer to courses, but the "
			       "manifest says file.courses=absent: course references are not checked "
			       "and class titles are used as they are");
}

/* userProfiles.csv is not imported; its header is still checked. */
static void check_profiles(roster_plan *p, roster_source *src)
{
	csv_reader *r = open_file(p, src, "userProfiles.csv");
	if (!r) return;
	rowctx rc = {.p = p,
		     .file = "userProfiles.csv",
		     .r = r,
		     .cols = profile_cols,
		     .ncols = COUNT_OF(profile_cols),
		     .mode = ROSTER_BULK,
		     .v12 = true};
	map_header(&rc);
}

/* ---- manifest.csv ---- */

static int manifest_file(const char *key)
{
	for (int f = 0; f < RF_COUNT; f++)
		if (ieq(manifest_keys[f], key)) return f;
	return -1;
}

static bool other_file(const char *key)
{
	for (size_t i = 0; i < COUNT_OF(other_files); i++)
		if (ieq(other_files[i].key, key)) return true;
	return false;
}

static void manifest_row(roster_plan *p, const char *key, const char *value, size_t row, roster_mode *other,
			 const char **other_key, size_t *nother)
{
	static const char *const modes[] = {"absent", "bulk", "delta"};
	const char *file = "manifest.csv";
	if (ieq(key, "oneroster.version")) {
		if (!strcmp(value, "1.1") || !strcmp(value, "1.2") || !strcmp(value, "1.1.1") ||
		    !strcmp(value, "1.2.1"))
			p->version = value[2] == '1' ? "1.1" : "1.2";
		else
			roster_problem(p, file, row, "value", "oneroster.version \"%s\" is not 1.1 or 1.2",
				       value);
		return;
	}
	if (ieq(key, "manifest.version")) {
		if (strcmp(value, "1.0"))
			roster_warning(p, file, row, "value",
				       "manifest.version \"%s\" is not 1.0; read "
				       "as 1.0",
				       value);
		return;
	}
	if (strncasecmp(key, "file.", 5)) return; /* source.systemName and the like */
	int f = manifest_file(key);
	bool known = f >= 0 || other_file(key);
	if (!known) {
		roster_warning(p, file, row, "propertyName",
			       "%s is not a file of OneRoster 1.1 or 1.2; "
			       "ignored",
			       key);
		return;
	}
	int m = find_word(modes, 3, value);
	if (m < 0) {
		if (!*value)
			roster_problem(p, file, row, "value",
				       "%s has no value; it must be absent, bulk "
				       "or delta",
				       key);
		else
			roster_problem(p, file, row, "value",
				       "%s is \"%s\"; it must be absent, bulk "
				       "or delta",
				       key, value);
		return;
	}
	if (f >= 0) p->mode[f] = (roster_mode)m;
	else if (*nother < COUNT_OF(other_files)) {
		other_key[*nother] = key;
		other[(*nother)++] = (roster_mode)m;
	}
}

static void read_manifest(roster_plan *p, roster_source *src)
{
	csv_reader *r = open_file(p, src, "manifest.csv");
	if (!r) {
		if (!p->problems.n)
			roster_problem(p, "manifest.csv", 0, NULL,
				       "the file is missing; every OneRoster "
				       "export has one");
		p->stop = true;
		return;
	}
	int kcol = -1, vcol = -1;
	for (size_t c = 0; c < csv_ncolumns(r); c++) {
		if (ieq(csv_column_name(r, c), "propertyName")) kcol = (int)c;
		if (ieq(csv_column_name(r, c), "value")) vcol = (int)c;
	}
	if (kcol < 0 || vcol < 0) {
		roster_problem(p, "manifest.csv", 1, kcol < 0 ? "propertyName" : "value",
			       "the required column is missing");
		p->stop = true;
		return;
	}
	roster_mode other[COUNT_OF(other_files)];
	const char *other_key[COUNT_OF(other_files)];
	size_t nother = 0;
	for (;;) {
		int got = csv_next(r);
		if (got == 0) break;
		if (got < 0) {
			csv_trouble(p, "manifest.csv", r);
			if (csv_problem_of(r)->fatal) break;
			continue;
		}
		const char *key = arena_strdup(p->a, csv_field(r, (size_t)kcol));
		const char *value = arena_strdup(p->a, csv_field(r, (size_t)vcol));
		size_t kn = strlen(key), vn = strlen(value);
		trim(&key, &kn);
		trim(&value, &vn);
		manifest_row(p, arena_strndup(p->a, key, kn), arena_strndup(p->a, value, vn), csv_row(r),
			     other, other_key, &nother);
	}
	for (size_t i = 0; i < nother; i++) {
		if (other[i] == ROSTER_ABSENT) continue;
		for (size_t k = 0; k < COUNT_OF(other_files); k++)
			if (ieq(other_files[k].key, other_key[i]))
				roster_warning(p, "manifest.csv", 0, NULL, "%s is not imported: %s",
					       other_key[i], other_files[k].why);
	}
	if (!p->version) {
		if (!p->problems.n)
			roster_problem(p, "manifest.csv", 0, NULL, "oneroster.version is missing");
		p->stop = true;
	}
}

/* ---- the whole roster ---- */

static roster_plan *plan_new(arena *a)
{
	roster_plan *p = arena_alloc(a, sizeof *p);
	p->a = a;
	p->district = -1;
	p->caps = arena_alloc(a, sizeof(note_caps));
	p->problems.cap = MAX_PROBLEMS;
	p->warnings.cap = MAX_WARNINGS;
	strpool_init(&p->pool, a);
	strmap_init(&p->org_by_sid, a, 64);
	strmap_init(&p->session_by_sid, a, 64);
	strmap_init(&p->course_by_sid, a, 64);
	strmap_init(&p->class_by_sid, a, 1024);
	strmap_init(&p->person_by_sid, a, 1024);
	strmap_init(&p->users, a, 4096);
	strmap_init(&p->flawed, a, 64);
	return p;
}

/* Files the manifest and the folder disagree about. */
static bool file_expected(roster_plan *p, roster_source *src, roster_file f)
{
	found_file ff;
	bool there = source_find(src, file_names[f], &ff);
	bool v12 = !strcmp(p->version, "1.2");
	if (f == RF_ROLES && !v12) {
		if (there)
			roster_warning(p, file_names[f], 0, NULL,
				       "roles.csv belongs to OneRoster 1.2; "
				       "this roster is 1.1, so it is not read");
		p->mode[f] = ROSTER_ABSENT;
		return false;
	}
	if (p->mode[f] == ROSTER_ABSENT) {
		if (there)
			roster_warning(p, file_names[f], 0, NULL,
				       "the manifest says %s=absent, so the "
				       "file is not read",
				       manifest_keys[f]);
		return false;
	}
	if (!there) {
		roster_problem(p, file_names[f], 0, NULL,
			       "the manifest says %s=%s, but the file is "
			       "not there",
			       manifest_keys[f], p->mode[f] == ROSTER_BULK ? "bulk" : "delta");
		return false;
	}
	p->present[f] = true;
	return true;
}

roster_plan *roster_read(arena *a, roster_source *src)
{
	roster_plan *p = plan_new(a);
	read_manifest(p, src);
	if (p->stop) {
		summarize_caps(p);
		return p;
	}
	for (int f = 0; f < RF_COUNT; f++)
		if (file_expected(p, src, (roster_file)f)) read_file(p, src, (roster_file)f);
	if (!strcmp(p->version, "1.2")) check_profiles(p, src);
	summarize_caps(p);
	return p;
}
