/* iCalendar (RFC 5545): our own small writer for session feeds, and the
 * feed tokens (calendar_feed) that let a calendar app subscribe without a
 * session. The writer is pure (no I/O) so the unit tests reach every rule. */
#ifndef COACHD_ICAL_H
#define COACHD_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../http/http.h"
#include "../store/store.h"

/* ---- the writer (ical.c) ---- */

enum { ICAL_FOLD_OCTETS = 75 }; /* RFC 5545 3.1: lines longer are folded */

/* One content line: name (with any ;PARAM=...) ":" value, folded at 75
 * octets (never inside a UTF-8 sequence) and ended with CRLF. The value is
 * written as given: escape TEXT values first with ical_escape. */
void ical_line(buf *out, const char *name, const char *value);
/* TEXT escaping (RFC 5545 3.3.11): \ ; , and newlines (CRLF, LF, CR). */
void ical_escape(buf *out, const char *text);
/* A TEXT property: escaped and folded. Nothing is written for NULL or "". */
void ical_text(buf *out, const char *name, const char *text);

/* Session times without a clock time are mapped from their block:
 * am 08:00-11:30, pm 12:30-15:30, full 08:00-15:30 (local time of the
 * session's zone). A session with neither block nor times is all-day. */
typedef struct ical_event {
	const char *uid;  /* pl_session.uid: stable across edits */
	int64_t sequence; /* pl_session.sequence: bumped on change */
	int64_t stamp;    /* last change, unix seconds (DTSTAMP, UTC) */
	const char *summary;
	const char *description;
	const char *location; /* place, or the link for a virtual session */
	const char *url;
	const char *on_date;   /* YYYY-MM-DD */
	const char *block;     /* am|pm|full or NULL */
	const char *starts_at; /* HH:MM or NULL */
	const char *ends_at;   /* HH:MM or NULL */
	const char *time_zone; /* IANA name; see ical_zone_supported */
	bool cancelled;
} ical_event;

/* The zones with a built-in VTIMEZONE (current US rules, since 2007):
 * America/New_York, America/Chicago, America/Denver, America/Phoenix,
 * America/Los_Angeles, America/Anchorage, Pacific/Honolulu. Times in any
 * other zone are written as floating local times. */
bool ical_zone_supported(const char *tz);

/* VCALENDAR header with X-WR-CALNAME, then a VTIMEZONE for each supported
 * zone in zones (duplicates written once). */
void ical_begin(buf *out, const char *calname, const char *const *zones, size_t nzones);
/* false when the event's date or times are malformed (nothing written). */
bool ical_event_write(buf *out, const ical_event *ev);
void ical_end(buf *out);

/* ---- feeds (ical_feed.c, feed_pages.c) ---- */

#define ICAL_FEED_PREFIX "cf_"

/* Revokes every feed address of person_id and every one they made (a
 * person switched off keeps none, so switching them on revives none). */
store_rc ical_feeds_revoke_person(store *s, arena *a, int64_t person_id, int64_t now);
/* How many feed addresses of the engagement are in force, and when the
 * newest was made (0: none), for GET /api/engagements/{id}. */
store_rc ical_engagement_feeds(req *rq, int64_t engagement_id, int64_t *active, int64_t *newest);

/* What a page's calendar-feed block shows, read before the page is
 * written (the blocks themselves read nothing). */
typedef struct feed_block {
	bool shown;     /* the engagement's block: the actor may READ it */
	bool revocable; /* the engagement's block: the actor may UPDATE it */
	int64_t active; /* addresses in force */
	int64_t newest; /* when the newest was made, unix seconds */
} feed_block;
/* The block on the engagement page: the feed's state and the control that
 * makes a new address or revokes them all, for those who may READ it.
 * Writes nothing for others. */
store_rc ical_feed_block_load(req *rq, int64_t engagement_id, feed_block *fb);
void ical_feed_block(req *rq, buf *b, int64_t engagement_id, const feed_block *fb);
/* The block on /account: the person's own feed, create/replace/revoke. */
store_rc ical_account_block_load(req *rq, feed_block *fb);
void ical_account_block(req *rq, buf *b, const feed_block *fb);

handler_fn page_ical_feed, page_account_feed_create, page_account_feed_revoke, page_engagement_feed_create,
	page_engagement_feed_revoke, api_engagement_feed_create;

#endif
