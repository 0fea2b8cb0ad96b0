/* Calendar feeds: secret addresses a calendar app subscribes to without a
 * session. The secret is random ("cf_" + 32 bytes, base64url) and only its
 * SHA-256 is stored, like an API token, so an address is shown once, when
 * it is made. A feed is one person's sessions (facilitating or taking
 * part, directly or through a team) or one engagement's, and stops
 * answering once revoked, once its person is deactivated, or (an
 * engagement's) once the person who made it may no longer read the
 * engagement. */
#include <ctype.h>
#include <string.h>

#include "../access/audit.h"
#include "../access/grants.h"
#include "../access/policy.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../engagement/engagement_store.h"
#include "../web/app.h"
#include "ical.h"
#include "ical_feed.h"

static const char *event_description(arena *a, const store_rows *r, size_t i)
{
	const char *d = rows_get(r, i, 4), *why = rows_get(r, i, 13), *eng = rows_get(r, i, 14);
	buf b = BUF_INIT;
	if (str_eq(rows_get(r, i, 12), "cancelled"))
		buf_printf(&b, "Cancelled%s%s\n", why && *why ? ": " : ".", why && *why ? why : "");
	if (d && *d) buf_printf(&b, "%s\n", d);
	if (eng && *eng) buf_printf(&b, "Engagement: %s", eng);
	const char *s = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* The whole calendar: the zones its sessions use, then one event each. */
void feed_write(arena *a, const char *calname, const store_rows *r, buf *out)
{
	const char **zones = arena_calloc(a, r->nrows ? r->nrows : 1, sizeof *zones);
	for (size_t i = 0; i < r->nrows; i++) zones[i] = rows_get(r, i, 11);
	ical_begin(out, calname, zones, r->nrows);
	for (size_t i = r->nrows; i-- > 0;) {
		const char *where = rows_get(r, i, 5), *link = rows_get(r, i, 6);
		ical_event ev = {
			.uid = rows_get(r, i, 0),
			.sequence = rows_int(r, i, 1),
			.stamp = rows_int(r, i, 2),
			.summary = rows_get(r, i, 3),
			.description = event_description(a, r, i),
			.location = where && *where ? where : link,
			.url = link,
			.on_date = rows_get(r, i, 7),
			.block = rows_get(r, i, 8),
			.starts_at = rows_get(r, i, 9),
			.ends_at = rows_get(r, i, 10),
			.time_zone = rows_get(r, i, 11),
			.cancelled = str_eq(rows_get(r, i, 12), "cancelled"),
		};
		/* A session whose date or time cannot be read is left out rather
		 * than failing everyone's calendar. */
		if (!ical_event_write(out, &ev)) log_line("ical: session %s has a bad date or time", ev.uid);
	}
	ical_end(out);
}

static record engagement_rec(int64_t partner, int64_t district, place p[2])
{
	p[0] = (place){district, district, 0};
	p[1] = (place){partner, 0, partner};
	return (record){.kind = REC_ENGAGEMENT, .places = p, .nplaces = 2};
}

/* May the maker of engagement feed f read its engagement now? */
static store_rc feed_maker_may_read(req *rq, const feed_found *f, bool *readable)
{
	actor maker = {.person_id = f->made_by};
	store_rc rc = actor_load_grants(rq->db, rq->a, &maker);
	if (rc != STORE_OK) return rc;
	place p[2];
	record rec = engagement_rec(f->partner_id, f->district_id, p);
	*readable = may(&maker, ACT_READ, &rec);
	return STORE_OK;
}

/* The secret out of "cf_….ics"; NULL when it is not shaped like one. */
static const char *feed_secret(arena *a, const char *file)
{
	size_t n = file ? strlen(file) : 0;
	if (n < 8 || n > 128 || strcmp(file + n - 4, ".ics") || !str_starts(file, ICAL_FEED_PREFIX))
		return NULL;
	for (size_t i = 0; i < n - 4; i++)
		if (!isalnum((unsigned char)file[i]) && file[i] != '_' && file[i] != '-') return NULL;
	return arena_strndup(a, file, n - 4);
}

/*
** GET /ical/{file}   (file: cf_SECRET.ics)
** The calendar of a feed as text/calendar (RFC 5545), not cached. No
** session: the secret is the credential. 404 for an unknown, revoked or
** malformed secret, a feed whose person or maker is deactivated, or an
** engagement's feed whose maker may no longer read the engagement.
** Permissions: whoever holds the secret, while its maker could read it.
*/
void page_ical_feed(req *rq, resp *rs)
{
	const char *secret = feed_secret(rq->a, req_param(rq, "file"));
	feed_found f = {0};
	bool found = false, readable = true;
	if (secret && feed_lookup(rq->db, rq->a, secret, &f, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	/* An engagement's feed reads as its maker would read the engagement
	 * now: a maker who lost access (their role, their partner's agreement)
	 * takes the feed's answers with them. */
	if (found && f.engagement_id && feed_maker_may_read(rq, &f, &readable) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	if (!found || !readable) {
		resp_text(rs, 404, "There is no such calendar feed.\n");
		return;
	}
	store_rows r;
	if (feed_sessions(rq->db, rq->a, &f, &r) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	rs->status = 200;
	rs->content_type = "text/calendar; charset=utf-8";
	buf_reset(&rs->body);
	feed_write(rq->a, arena_printf(rq->a, "coachd: %s", f.name ? f.name : "sessions"), &r, &rs->body);
	resp_header_add(rs, "Cache-Control", "no-store");
	resp_header_add(rs, "Content-Disposition", "inline; filename=\"coachd.ics\"");
}

/* The address a calendar app needs: absolute when the Host header is a
 * plain host name, else from the root of this site. */
const char *feed_url(req *rq, const char *secret)
{
	const char *host = req_header(rq, "Host");
	bool plain = host && *host && strlen(host) < 200;
	for (const char *p = host; plain && *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-:[]", *p)) plain = false;
	if (!plain) return arena_printf(rq->a, "/ical/%s.ics", secret);
	bool tls = rq->app && rq->app->secure_cookies;
	return arena_printf(rq->a, "%s://%s/ical/%s.ics", tls ? "https" : "http", host, secret);
}

store_rc feed_engagement_may(req *rq, int64_t engagement_id, action act, bool *allowed, int64_t *district_id)
{
	engagement en;
	bool found = false;
	store_rc rc = engagement_get(rq->db, rq->a, engagement_id, &en, &found);
	*allowed = false;
	if (rc != STORE_OK || !found) return rc;
	place p[2];
	record rec = engagement_rec(en.partner_id, en.district_id, p);
	*district_id = en.district_id;
	*allowed = may(rq->actor, act, &rec);
	return STORE_OK;
}

store_rc feed_make(req *rq, int64_t person_id, int64_t engagement_id, int64_t district_id, bool replace,
		   const char **secret)
{
	int64_t id, revoked = 0, now = now_unix();
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK && replace)
		rc = feed_revoke(rq->db, rq->a, person_id, engagement_id, now, &revoked);
	if (rc == STORE_OK)
		rc = feed_create(rq->db, rq->a, person_id, engagement_id, rq->actor->person_id, now, &id,
				 secret);
	if (rc == STORE_OK) {
		audit_event e = {"calendar_feed.create", engagement_id ? "engagement" : "person",
				 engagement_id ? engagement_id : person_id, district_id,
				 revoked ? "replaced the earlier address" : NULL};
		rc = audit_record(rq->db, rq->actor, rq->remote, &e);
	}
	if (rc == STORE_OK) rc = store_commit(rq->db);
	if (rc != STORE_OK) {
		log_line("store: %s %s: %s", rq->method, rq->path, store_errmsg(rq->db));
		store_rollback(rq->db);
	}
	return rc;
}
