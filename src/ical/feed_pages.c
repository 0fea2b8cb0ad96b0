/* Feed controls: the block on /account (my sessions) and on an engagement's
 * page, and the POSTs that make a new address (shown once: only its hash is
 * kept) or revoke every address in force. */
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "../access/audit.h"
#include "../access/grants.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../html/html.h"
#include "../web/app.h"
#include "ical_feed.h"

static void feed_state_text(buf *b, const feed_block *fb)
{
	if (!fb->active) {
		html_printf(b, "<p>No calendar feed address is in force.</p>\n");
		return;
	}
	char when[32] = "";
	time_t t = (time_t)fb->newest;
	struct tm tm;
	if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	html_printf(b,
		    "<p>%lld feed address%s in force, the newest made %s UTC. An address is "
		    "shown only when it is made; make a new one if you have lost it.</p>\n",
		    (long long)fb->active, fb->active == 1 ? "" : "es", when);
}

store_rc ical_account_block_load(req *rq, feed_block *fb)
{
	*fb = (feed_block){.shown = true};
	return feed_state(rq->db, rq->a, rq->actor->person_id, 0, &fb->active, &fb->newest);
}

void ical_account_block(req *rq, buf *b, const feed_block *fb)
{
	html_printf(b,
		    "<section id=\"calendar-feed\">\n<h2>Calendar feed</h2>\n"
		    "<p>Subscribe to your sessions (those you facilitate or take part in, "
		    "yourself or with a team) from a calendar app.</p>\n");
	feed_state_text(b, fb);
	form_button(b, "/account/calendar-feed", rq->actor->csrf,
		    fb->active ? "Make a new address (the old one stops working)" : "Make a feed address",
		    NULL, NULL, NULL);
	if (fb->active)
		form_button(b, "/account/calendar-feed/revoke", rq->actor->csrf, "Revoke the address",
			    "Calendar apps using it will stop updating.", NULL, NULL);
	html_printf(b, "</section>\n");
}

store_rc ical_feed_block_load(req *rq, int64_t engagement_id, feed_block *fb)
{
	*fb = (feed_block){0};
	int64_t district;
	if (!rq->actor) return STORE_OK;
	store_rc rc = feed_engagement_may(rq, engagement_id, ACT_READ, &fb->shown, &district);
	if (rc == STORE_OK && fb->shown)
		rc = feed_engagement_may(rq, engagement_id, ACT_UPDATE, &fb->revocable, &district);
	if (rc == STORE_OK && fb->shown)
		rc = feed_state(rq->db, rq->a, 0, engagement_id, &fb->active, &fb->newest);
	return rc;
}

void ical_feed_block(req *rq, buf *b, int64_t engagement_id, const feed_block *fb)
{
	if (!fb->shown) return;
	html_printf(b,
		    "<section id=\"calendar-feed\">\n<h2>Calendar feed</h2>\n"
		    "<p>Every session of this engagement, for a calendar app.</p>\n");
	feed_state_text(b, fb);
	form_button(b, arena_printf(rq->a, "/engagements/%lld/calendar-feed", (long long)engagement_id),
		    rq->actor->csrf, "Make a feed address", NULL, NULL, NULL);
	if (fb->active && fb->revocable)
		form_button(b,
			    arena_printf(rq->a, "/engagements/%lld/calendar-feed/revoke",
					 (long long)engagement_id),
			    rq->actor->csrf, "Revoke every address",
			    "Every calendar app subscribed to this engagement will stop updating.", NULL,
			    NULL);
	html_printf(b, "</section>\n");
}

static void new_feed_page(req *rq, resp *rs, const char *url, const char *back)
{
	buf *b = resp_html(rs, 200);
	layout l = page_layout(rq, "Your calendar feed address", "account");
	layout_begin(b, &l);
	html_printf(b,
		    "<h1>Your calendar feed address</h1>\n"
		    "<div class=\"flash flash-error\" role=\"alert\"><p><strong>Copy it now.</strong> "
		    "coachd keeps only a fingerprint of it and cannot show it to you again. "
		    "Anyone with the address can read the calendar.</p></div>\n"
		    "<div class=\"field\"><label for=\"feed-url\">Feed address</label>\n"
		    "<input id=\"feed-url\" type=\"url\" readonly value=\"%s\" autocomplete=\"off\" "
		    "spellcheck=\"false\"></div>\n"
		    "<p>In your calendar app, choose to subscribe to a calendar by address.</p>\n"
		    "<p><a href=\"%s\">Back</a></p>\n",
		    url, back);
	layout_end(b);
}

static int64_t my_home(const req *rq)
{
	return grants_home(rq->actor->grants, rq->actor->ngrants);
}

static bool may_own_feed(req *rq, resp *rs, action act)
{
	record r = {.kind = REC_TOKEN, .person_id = rq->actor->person_id};
	if (may(rq->actor, act, &r)) return true;
	resp_error(rq, rs, 403, "forbidden", "you may not manage a calendar feed", NULL);
	return false;
}

/*
** POST /account/calendar-feed   (form: csrf)
** Makes a new address for my sessions' feed (revoking the one in force)
** and shows it once. Audit: calendar_feed.create.
** Permissions: may(CREATE, own token); CSRF token required.
*/
void page_account_feed_create(req *rq, resp *rs)
{
	if (!may_own_feed(rq, rs, ACT_CREATE)) return;
	const char *secret;
	if (feed_make(rq, rq->actor->person_id, 0, my_home(rq), true, &secret) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	new_feed_page(rq, rs, feed_url(rq, secret), "/account#calendar-feed");
}

static store_rc revoke_all(req *rq, int64_t person_id, int64_t engagement_id, int64_t district)
{
	int64_t revoked;
	store_rc rc = store_begin(rq->db);
	if (rc == STORE_OK) rc = feed_revoke(rq->db, rq->a, person_id, engagement_id, now_unix(), &revoked);
	if (rc == STORE_OK) {
		audit_event e = {"calendar_feed.revoke", engagement_id ? "engagement" : "person",
				 engagement_id ? engagement_id : person_id, district,
				 arena_printf(rq->a, "%lld address(es)", (long long)revoked)};
		rc = audit_record(rq->db, rq->actor, rq->remote, &e);
	}
	if (rc == STORE_OK) rc = store_commit(rq->db);
	if (rc != STORE_OK) {
		log_line("store: %s %s: %s", rq->method, rq->path, store_errmsg(rq->db));
		store_rollback(rq->db);
	}
	return rc;
}

/*
** POST /account/calendar-feed/revoke   (form: csrf)
** Revokes my feed addresses; 303 to /account?ok=feed-revoked.
** Audit: calendar_feed.revoke.
** Permissions: may(DEACTIVATE, own token); CSRF token required.
*/
void page_account_feed_revoke(req *rq, resp *rs)
{
	if (!may_own_feed(rq, rs, ACT_DEACTIVATE)) return;
	if (revoke_all(rq, rq->actor->person_id, 0, my_home(rq)) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_redirect(rs, 303, "/account?ok=feed-revoked#calendar-feed");
}

/* The engagement {id} when the actor may act on it; false when answered. */
static bool engagement_for(req *rq, resp *rs, action act, int64_t *id, int64_t *district)
{
	if (!param_id(rq, rs, "id", id)) return false;
	bool readable, allowed;
	if (feed_engagement_may(rq, *id, ACT_READ, &readable, district) != STORE_OK ||
	    feed_engagement_may(rq, *id, act, &allowed, district) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!readable) {
		resp_error(rq, rs, 404, "not_found", "there is no such engagement", NULL);
		return false;
	}
	if (!allowed) {
		resp_error(rq, rs, 403, "forbidden", "you may not change this engagement's feeds", NULL);
		return false;
	}
	return true;
}

/* A new feed address of the engagement {id} the asker may read: the page
 * and the API make it alike and differ only in how they show it. */
static bool engagement_feed_made(req *rq, resp *rs, int64_t *id, const char **secret)
{
	int64_t district;
	if (!engagement_for(rq, rs, ACT_READ, id, &district)) return false;
	if (feed_make(rq, 0, *id, district, false, secret) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	return true;
}

/*
** POST /engagements/{id}/calendar-feed   (form: csrf)
** Makes a new feed address for the engagement's sessions and shows it
** once; earlier addresses keep working; it answers while its maker may
** read the engagement. Audit: calendar_feed.create.
** Permissions: may(READ, engagement); CSRF token required.
*/
void page_engagement_feed_create(req *rq, resp *rs)
{
	int64_t id;
	const char *secret;
	if (!engagement_feed_made(rq, rs, &id, &secret)) return;
	new_feed_page(rq, rs, feed_url(rq, secret),
		      arena_printf(rq->a, "/engagements/%lld#calendar-feed", (long long)id));
}

/*
** POST /engagements/{id}/calendar-feed/revoke   (form: csrf)
** Revokes every feed address of the engagement; 303 to the engagement
** with ?ok=feed-revoked. Audit: calendar_feed.revoke.
** Permissions: may(UPDATE, engagement); CSRF token required.
*/
void page_engagement_feed_revoke(req *rq, resp *rs)
{
	int64_t id, district;
	if (!engagement_for(rq, rs, ACT_UPDATE, &id, &district)) return;
	if (revoke_all(rq, 0, id, district) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	resp_redirect(rs, 303,
		      arena_printf(rq->a, "/engagements/%lld?ok=feed-revoked#calendar-feed", (long long)id));
}

store_rc ical_engagement_feeds(req *rq, int64_t engagement_id, int64_t *active, int64_t *newest)
{
	return feed_state(rq->db, rq->a, 0, engagement_id, active, newest);
}

/*
** POST /api/engagements/{id}/calendar-feed
** 201 {"url": the new feed address}: shown this once, for only its hash is
** kept; earlier addresses keep working. It answers while its maker may read
** the engagement. Audit: calendar_feed.create.
** Permissions: may(READ, engagement) (404 otherwise); CSRF for a session.
*/
void api_engagement_feed_create(req *rq, resp *rs)
{
	int64_t id;
	const char *secret;
	if (!engagement_feed_made(rq, rs, &id, &secret)) return;
	resp_json(rs, 201, json_pack("{s:s}", "url", feed_url(rq, secret)));
}
