/* Professional-learning sessions and the calendar: what is scheduled, who
 * facilitates and takes part, attendance, collaborative coaching grids and
 * recurring series. Rules in session.c (pure); storage in session_store.c;
 * checked changes in session_change.c; pages, API and calendar views in
 * session_pages.c, session_api.c and calendar_pages.c. */
#ifndef COACHD_CALENDAR_SESSION_H
#define COACHD_CALENDAR_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "../access/policy.h"
#include "../base/arena.h"
#include "../html/form.h"
#include "../http/http.h"
#include "../org/org.h"
#include "../store/store.h"

enum {
	SESSION_AGENDA_MAX = 20000, /* characters of an agenda */
	SESSION_TITLE_MAX = 200,    /* characters of a title (one line, as the place and link) */
	SESSION_PLACE_MAX = 300,
	SESSION_LINK_MAX = 2000,
	SESSION_SERIES_MAX = 100,   /* occurrences one recurring series may make */
	SESSION_GRID_DAYS_MAX = 20, /* days one collaborative grid may make */
	SESSION_PEOPLE_MAX = 200    /* facilitators, people or teams in one session */
};

/* A session as stored, with the names it is shown with. */
typedef struct pl_session {
	int64_t id;
	int64_t engagement_id; /* 0: none */
	const char *engagement_title;
	int64_t partner_id;      /* the engagement's partner, 0 without one */
	int64_t service_line_id; /* 0: draws on nothing */
	const char *line_label;
	int64_t draw_milli; /* thousandths of the line's unit */
	bool over_commit;
	const char *kind;
	const char *title;
	const char *on_date;   /* YYYY-MM-DD */
	const char *block;     /* am, pm, full, or NULL */
	const char *starts_at; /* HH:MM, local to time_zone */
	const char *ends_at;
	const char *time_zone;
	const char *format; /* in_person, virtual, hybrid */
	const char *place;
	const char *link;
	int64_t school_id; /* 0: district-wide */
	const char *school_name;
	int64_t district_id;
	const char *district_name;
	const char *agenda;
	const char *status; /* planned, delivered, cancelled */
	const char *cancel_reason;
	int64_t series_id, grid_id, grid_day;
	const char *uid;
	int64_t sequence;
	int64_t updated_at;
	bool actor_facilitates; /* the person asking is a facilitator */
	bool actor_takes_part;  /* ... a participant, in person or by a team */
} pl_session;

/* Someone named in a session: a facilitator, a participant, or a team. */
typedef struct session_party {
	int64_t id;
	const char *name;
	bool present;  /* attendance: recorded present */
	bool recorded; /* attendance was recorded for them */
} session_party;

/* How a series repeats: weekly, every N weeks, or monthly on the same
 * weekday of the month (the second Tuesday). */
typedef enum repeat_kind { REPEAT_NONE, REPEAT_WEEKLY, REPEAT_MONTHLY } repeat_kind;

typedef struct repeat_rule {
	repeat_kind kind;
	int interval;      /* weeks between, for weekly; 1 otherwise */
	const char *until; /* last day a session may fall on */
} repeat_rule;

/* What a create or edit carries, trimmed. */
typedef struct session_input {
	const char *kind;
	const char *title;
	const char *on_date;
	const char *block;
	const char *starts_at;
	const char *ends_at;
	const char *time_zone;
	const char *format;
	const char *place;
	const char *link;
	const char *agenda;
	int64_t school_id;
	int64_t engagement_id;
	int64_t service_line_id;
	const char *draw;   /* units as text: "0.5", "1" */
	int64_t draw_milli; /* session_check fills it from draw */
	bool over_commit;
	int64_t *facilitators;
	size_t nfacilitators;
	int64_t *people;
	size_t npeople;
	int64_t *teams;
	size_t nteams;
	repeat_rule repeat;
} session_input;

typedef struct session_filter {
	int64_t engagement_id, school_id, team_id, facilitator_id;
	const char *from, *to; /* dates, both included; NULL: open */
	bool mine;             /* only those I facilitate or take part in */
} session_filter;

/* One block of a collaborative coaching grid: a day, AM or PM, a team. */
typedef struct grid_block {
	int64_t grid_id; /* one grid: the days created together */
	int day;         /* 1..N */
	const char *on_date;
	const char *block; /* am, pm */
	int64_t team_id;
	const char *team_name;
	int64_t session_id;
	const char *status;
} grid_block;

/* ---- rules (session.c, pure) ---- */
bool session_kind_valid(const char *kind);
const char *session_kind_label(const char *kind);
const char *const *session_kinds(size_t *n);
bool session_block_valid(const char *block);
const char *session_block_label(const char *block); /* "AM", "PM", "Full day" */
/* The usual times of a block: AM 08:00–11:30, PM 12:30–15:30, full day
 * 08:00–15:30. false for anything else. */
bool session_block_times(const char *block, const char **starts, const char **ends);
bool session_format_valid(const char *format);
const char *session_format_label(const char *format);
bool session_status_valid(const char *status);
/* HH:MM on a 24-hour clock; minutes since midnight in *minutes. */
bool session_time_parse(const char *s, int *minutes);
/* An IANA zone name's shape: "America/Chicago", "UTC"; not whether the
 * zone exists (that needs the zone database). */
bool session_zone_valid(const char *tz);
/* Units as text ("0.5", "2", "1.25") in thousandths; false for negative,
 * more than three decimals, or over a million units. */
bool session_units_parse(const char *s, int64_t *milli);
/* "0.5", "2", "1.25" */
const char *session_units_text(arena *a, int64_t milli);
/* Checks the fields of in, fills block times and draw_milli, adding an
 * error per wrong field. */
void session_check(arena *a, session_input *in, form_errors *e);
/* A date as days since 1970-01-01 and back; false when not YYYY-MM-DD. */
bool session_day_number(const char *date, int64_t *day);
const char *session_date_of(arena *a, int64_t day);
/* The first and last day of the month day falls in. */
void session_month_span(int64_t day, int64_t *first, int64_t *last);
/* 0 Monday .. 6 Sunday */
int session_weekday(int64_t day);
/* The dates of a series starting on first (first included), at most
 * SESSION_SERIES_MAX; *capped true when the rule would make more. The
 * monthly rule keeps the weekday and its ordinal in the month (the 2nd
 * Tuesday); a month without a 5th such weekday is skipped. */
size_t session_series_dates(arena *a, const char *first, const repeat_rule *r, const char ***out,
			    bool *capped);
bool session_repeat_parse(const char *every, const char *interval, const char *until, repeat_rule *out,
			  form_errors *e);
/* The grid's days, ordered: the distinct dates of the blocks. */
size_t session_grid_days(arena *a, const grid_block *b, size_t n, const char ***days);
/* The block of a grid at day (1-based) and block, or NULL. */
const grid_block *session_grid_at(const grid_block *b, size_t n, int day, const char *block);
/* The record may() is asked about: the session's places (its school or
 * district, and its partner) with facilitators as coaches and
 * participants as teachers; me points at the asker's id, named inside
 * when s->actor_facilitates / actor_takes_part. */
record session_record(place places[2], const pl_session *s, const int64_t *me);

/* ---- storage (session_store.c) ---- */
store_rc pl_session_list(store *s, arena *a, const session_filter *f, const visibility *v, int64_t actor_id,
			 pl_session **out, size_t *n);
store_rc pl_session_get(store *s, arena *a, int64_t id, int64_t actor_id, pl_session *out, bool *found);
store_rc pl_session_facilitators(store *s, arena *a, int64_t id, session_party **out, size_t *n);
/* Each facilitator of each session the visibility reaches, with the
 * session (for may() per row): the calendar's facilitator filter. */
store_rc pl_session_facilitations(store *s, arena *a, const visibility *v, int64_t actor_id,
				  pl_session **sessions, session_party **people, size_t *n);
store_rc pl_session_people(store *s, arena *a, int64_t id, session_party **out, size_t *n);
store_rc pl_session_teams(store *s, arena *a, int64_t id, session_party **out, size_t *n);
/* Everyone taking part: the people named and the active members of the
 * teams named, once each, with their attendance. */
store_rc pl_session_roll(store *s, arena *a, int64_t id, session_party **out, size_t *n);
store_rc pl_session_insert(store *s, arena *a, const session_input *in, int64_t district_id,
			   int64_t series_id, int64_t grid_id, int64_t grid_day, int64_t *id);
store_rc pl_session_update(store *s, arena *a, int64_t id, const session_input *in, int64_t district_id);
store_rc pl_session_set_status(store *s, arena *a, int64_t id, const char *status, const char *reason);
store_rc pl_session_set_parties(store *s, arena *a, int64_t id, const session_input *in);
store_rc pl_session_attend(store *s, arena *a, int64_t id, int64_t person, bool present, int64_t recorded_by);
/* Bumps sequence and updated_at: the iCal feed tells calendars from it. */
store_rc pl_session_touch(store *s, arena *a, int64_t id);
store_rc pl_session_grid(store *s, arena *a, int64_t engagement_id, grid_block **out, size_t *n);
/* Below a grid page's tables: the "swap with" forms and the builder of new
 * collaborative coaching days, for those who may use them (grid_pages.c).
 * grid_tools_load reads what they offer before the page is written;
 * grid_tools writes them and reads nothing. */
typedef struct grid_tools_view {
	bool swaps;         /* may(UPDATE, session) at the engagement's places */
	bool builder;       /* may(CREATE, session) there */
	form_option *lines; /* the builder's service lines, with what each has left */
	form_option *teams; /* and the district's teams, "None" first */
	size_t nlines, nteams;
} grid_tools_view;
store_rc grid_tools_load(req *rq, int64_t engagement_id, grid_tools_view *v);
void grid_tools(req *rq, buf *b, int64_t engagement_id, const grid_tools_view *v, const grid_block *g,
		size_t n);
store_rc pl_session_swap_teams(store *s, arena *a, int64_t from, int64_t to);

/* *fits: person is active with an active role in the district (or one of
 * its schools) or at the partner. */
store_rc pl_session_person_fits(store *s, arena *a, int64_t person, int64_t district, int64_t partner,
				bool *fits);

/* ---- changes (session_change.c): may(), checks, transaction, audit ---- */
bool may_session(const req *rq, action act, const pl_session *s);
void session_schedule(req *rq, session_input *in, outcome *out);
void session_change(req *rq, const pl_session *old, session_input *in, outcome *out);
void session_deliver(req *rq, const pl_session *s, outcome *out);
void session_cancel(req *rq, const pl_session *s, const char *reason, outcome *out);
/* present: person ids marked present; everyone else on the roll absent. */
void session_record_attendance(req *rq, const pl_session *s, const int64_t *present, size_t npresent,
			       outcome *out);
/* A collaborative coaching grid: dates[i] gets an AM and a PM block with
 * teams[2i] and teams[2i+1] (0: no block). */
typedef struct grid_input {
	int64_t engagement_id;
	int64_t service_line_id;
	const char **dates;
	size_t ndays;
	int64_t *teams; /* 2 per day */
	const char *title;
	int64_t *facilitators;
	size_t nfacilitators;
	bool over_commit;
} grid_input;
void session_grid_create(req *rq, grid_input *in, outcome *out);
void session_grid_move(req *rq, int64_t engagement_id, int64_t from, int64_t to, outcome *out);

/* ---- loaders and lists the pages and the API share (session_change.c): each answers
 * the request itself (404, 403, 500) and returns false when it did ---- */
bool session_load(req *rq, resp *rs, pl_session *s);
bool session_read_filter(req *rq, resp *rs, session_filter *f);
store_rc session_visible(req *rq, const session_filter *f, pl_session **out, size_t *n);
/* The session's facilitators, people and teams as an input's lists. */
store_rc session_parties_input(req *rq, const pl_session *s, session_input *in);
/* Session id becomes the first of its series (what "series") or grid
 * ("grid"): the others name it. */
store_rc pl_session_heads(store *s, arena *a, int64_t id, const char *what);
/* The input that leaves s as it is (for PATCH and the edit form). */
session_input session_input_of(arena *a, const pl_session *s);

/* ---- materials: links and files of a session (material.c, the rules;
 * material_store.c; material_change.c; material_pages.c; material_api.c) ---- */
enum {
	MATERIAL_FILE_MAX = 20 << 20, /* bytes of one uploaded file */
	MATERIAL_TITLE_MAX = 200,     /* characters of a title */
	MATERIAL_URL_MAX = 2000       /* characters of a link */
};

#define MATERIALS "materials" /* their folder under data_dir */

typedef struct session_material {
	int64_t id, session_id;
	const char *title;
	const char *url;          /* a link; NULL for a file */
	const char *file_name;    /* a file: its random name under materials/ */
	const char *content_type; /* as found by content, not as claimed */
	int64_t size_bytes, created_at;
} session_material;

/* What an add carries: a link (title, url) or a file. */
typedef struct material_input {
	const char *title;
	const char *url;
	const upload *file;
} material_input;

/* The type a file's first bytes show it to be, among those allowed (PDF,
 * PNG, JPEG, DOCX/XLSX/PPTX, plain UTF-8 text); NULL for anything else.
 * whole: head is the whole file (a text may not end mid-character). */
const char *material_sniff(const unsigned char *head, size_t n, bool whole);
/* A name safe in Content-Disposition: the title's letters, digits, '-',
 * '_' and '.', others as '_', with the type's extension. */
const char *material_download_name(arena *a, const char *title, const char *content_type);
/* An http:// or https:// address with a host and nothing a page could
 * misread. */
bool material_link_valid(const char *url);

store_rc material_list(store *s, arena *a, int64_t session_id, session_material **out, size_t *n);
store_rc material_get(store *s, arena *a, int64_t session_id, int64_t id, session_material *m, bool *found);
store_rc material_insert(store *s, arena *a, const session_material *m, int64_t *id);
store_rc material_delete(store *s, arena *a, int64_t id);

/* Checked changes: may(UPDATE, session), the checks (413, 415 for a file),
 * one transaction with its audit entry. */
void material_add(req *rq, const pl_session *s, material_input *in, outcome *o);
void material_remove(req *rq, const pl_session *s, const session_material *m, outcome *o);
/* The material named by {mid} of session s; 404 answered when it is not one. */
bool material_load(req *rq, resp *rs, const pl_session *s, session_material *m);

/* What a form posts (title, url, file). */
material_input material_form(req *rq);
/* Where a material opens: its link, or its file's address. */
const char *material_href(arena *a, const session_material *m);
/* The session page's list of materials m (loaded by the caller) and the
 * add form; errors beside fields. */
void session_materials_html(req *rq, buf *b, const pl_session *s, const session_material *m, size_t n,
			    const form_errors *e);
/* The session page itself (session_pages.c), status and material errors. */
void session_page_render(req *rq, resp *rs, int status, const pl_session *s,
			 const form_errors *material_errors);
handler_fn page_material, page_material_add, page_material_remove, api_materials, api_material_add,
	api_material_remove;

handler_fn page_session, page_session_new, page_session_create, page_session_edit, page_session_update,
	page_session_deliver, page_session_cancel, page_session_attendance, page_session_attendance_save,
	page_grid, page_grid_create, page_grid_move;
handler_fn api_sessions, api_session, api_session_create, api_session_update, api_session_deliver,
	api_session_cancel, api_session_attendance, api_grid_create;
handler_fn page_calendar;

#endif
