/* Calendar feed storage and helpers shared by ical_feed.c and
 * feed_pages.c (not for other features: they use ical.h). */
#ifndef COACHD_ICAL_FEED_H
#define COACHD_ICAL_FEED_H

#include "../access/policy.h"
#include "../store/store.h"
#include "ical.h"

/* Exactly one of person_id and engagement_id is nonzero; made_by is who
 * asked for it. *secret (in a) is the only copy there will ever be. */
store_rc feed_create(store *s, arena *a, int64_t person_id, int64_t engagement_id, int64_t made_by,
		     int64_t now, int64_t *id, const char **secret);
store_rc feed_revoke(store *s, arena *a, int64_t person_id, int64_t engagement_id, int64_t now,
		     int64_t *revoked);
/* How many addresses are in force, and when the newest was made (0: none). */
store_rc feed_state(store *s, arena *a, int64_t person_id, int64_t engagement_id, int64_t *active,
		    int64_t *newest);
/* The feed behind a secret, if it is in force and its person (or maker)
 * is active. */
typedef struct feed_found {
	int64_t person_id, engagement_id;
	int64_t made_by;
	int64_t partner_id, district_id; /* the engagement's parties */
	const char *name;
} feed_found;

store_rc feed_lookup(store *s, arena *a, const char *secret, feed_found *f, bool *found);
/* The sessions a feed lists, newest first (at most 5,000), as feed_write
 * reads them. */
store_rc feed_sessions(store *s, arena *a, const feed_found *f, store_rows *out);
/* Writes the VCALENDAR for rows of the feed's session query. */
void feed_write(arena *a, const char *calname, const store_rows *r, buf *out);
const char *feed_url(req *rq, const char *secret);
/* may(act) on the engagement; *allowed false when there is none. */
store_rc feed_engagement_may(req *rq, int64_t engagement_id, action act, bool *allowed, int64_t *district_id);
/* In one transaction: (replace: revoke the addresses in force,) make a new
 * one, audit "calendar_feed.create". */
store_rc feed_make(req *rq, int64_t person_id, int64_t engagement_id, int64_t district_id, bool replace,
		   const char **secret);

#endif
