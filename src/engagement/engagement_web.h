/* Engagements on the web: the checked changes and loaders (may(), the
 * checks, one transaction with its audit entry), then the handlers routes.c
 * names. */
#ifndef COACHD_ENGAGEMENT_WEB_H
#define COACHD_ENGAGEMENT_WEB_H

#include "../http/http.h"
#include "../web/change.h"
#include "engagement_store.h"

/* ---- changes (engagement_change.c): may(), checks, transaction, audit ---- */
bool may_engagement(const req *rq, action act, const engagement *en);
/* What the asker may do to en: update it as a party, decide on it. */
engagement_powers engagement_powers_of(const req *rq, const engagement *en);
/* Money shows only to those who may read it here. */
bool may_see_money(const req *rq, const engagement *en);
/* Could the actor create an engagement anywhere? */
bool may_create_engagements(const req *rq);
store_rc engagement_visible(req *rq, engagement **out, size_t *n);
void engagement_create(req *rq, engagement_input *in, outcome *out);
void engagement_change(req *rq, const engagement *old, engagement_input *in, outcome *out);
/* Moves en to state to (engagement_move_blocker decides; 409 when it may
 * not move so, 403 when the asker has no say); note is the reason given
 * for declining (at most 1,000 characters). Audited; a decision by an
 * administrator says that they acted for the district. */
void engagement_move(req *rq, const engagement *en, engagement_state to, const char *note, outcome *out);
void line_add(req *rq, const engagement *en, line_input *in, outcome *out);
void line_change(req *rq, const engagement *en, const service_line *old, line_input *in, outcome *out);
void line_remove(req *rq, const engagement *en, const service_line *old, outcome *out);
/* Administrators extend the kinds of service (see engagement_change.c). */
bool may_manage_service_kinds(const req *rq);
void service_kind_add(req *rq, const char *code, const char *label, const char *unit, outcome *out);

/* ---- loaders and lists the pages and the API share (engagement_change.c): each answers
 * the request itself (404, 403, 500) and returns false when it did ---- */
bool engagement_load(req *rq, resp *rs, engagement *en);
/* The active line {lid} of en; false when answered (404). */
bool engagement_line_load(req *rq, resp *rs, const engagement *en, service_line **lines, size_t *nlines,
			  service_line **line);

/* ---- pages (engagement_pages.c) and API (engagement_api.c) ---- */
handler_fn page_engagements, page_engagement, page_engagement_new, page_engagement_create,
	page_engagement_edit, page_engagement_update, page_engagement_state, page_engagement_line_add,
	page_engagement_line_update, page_engagement_line_remove, page_service_kinds, page_service_kind_add;
handler_fn api_engagements, api_engagement, api_engagement_create, api_engagement_update,
	api_engagement_state, api_engagement_summary, api_engagement_line_add, api_engagement_line_update,
	api_engagement_line_remove;

#endif
