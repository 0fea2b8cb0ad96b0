/* Coaching-cycle pages: who else reads a cycle, and a teacher's shares
 * and their taking back. */
#include <stdlib.h>
#include <string.h>

#include "../access/actor.h"
#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../calendar/session.h"
#include "../html/html.h"
#include "../org/org.h"
#include "../people/people.h"
#include "../roster/roster.h"
#include "../team/team.h"
#include "../web/app.h"
#include "../web/change.h"
#include "cycle_pages.h"
#include "cycle_web.h"

static const char *share_what(int stage)
{
	return stage < 0 ? "The whole cycle" : stage_noun((stage_kind)stage);
}

static void shares_table(req *rq, buf *b, const coaching_cycle *c, bool sharer)
{
	/* The table shows even empty, so its columns say what a share is. */
	html_table_open(b);
	/* A teacher sharing knows who shared; without that column the Revoke
	 * button fits a phone's width. */
	html_printf(b,
		    "\n<thead><tr><th scope=\"col\">Who</th><th scope=\"col\">What</th>"
		    "<th scope=\"col\">Since</th>");
	if (sharer) html_printf(b, "<th scope=\"col\"><span class=\"visually-hidden\">Revoke</span></th>");
	else html_printf(b, "<th scope=\"col\">Shared by</th>");
	html_printf(b, "</tr></thead>\n<tbody>\n");
	if (!c->nshares)
		html_printf(
			b,
			"<tr><td colspan=\"4\">No one besides the cycle's coaches and teachers.</td></tr>\n");
	for (size_t i = 0; i < c->nshares; i++) {
		const cycle_share *s = &c->shares[i];
		html_printf(b, "<tr><td>%s</td><td>%s</td><td>", s->person_name ? s->person_name : "—",
			    share_what(s->stage));
		time_html(rq->a, b, s->created_at, false);
		html_printf(b, "</td>");
		if (!sharer) html_printf(b, "<td>%s</td>", s->shared_by_name ? s->shared_by_name : "—");
		if (sharer) {
			html_printf(b, "<td>");
			form_button(b,
				    arena_printf(rq->a, "/cycles/%lld/shares/%lld/revoke", (long long)c->id,
						 (long long)s->id),
				    rq->actor->csrf, "Revoke",
				    "Take back this share? They will no longer read it.", NULL, NULL);
			html_printf(b, "</td>");
		}
		html_printf(b, "</tr>\n");
	}
	html_printf(b, "</tbody></table></div>\n");
}

/* cand: the people at the school or district it may be shared with. */
static void share_form(req *rq, buf *b, const coaching_cycle *c, const cycle_member *cand, size_t n,
		       const form_errors *e)
{
	html_printf(b, "<h2>Share it</h2>\n");
	if (!n) {
		html_printf(b, "<p>There is no one at the school or district to share it with.</p>\n");
		return;
	}
	form_option *po = arena_calloc(rq->a, n + 1, sizeof *po);
	po[0] = (form_option){"", "Choose a person"};
	for (size_t i = 0; i < n; i++)
		po[i + 1] = (form_option){id_text(rq->a, cand[i].person_id), cand[i].name};
	static const form_option what[] = {{"cycle", "The whole cycle"},
					   {"plan", "The plan only"},
					   {"enact", "The enactment only"},
					   {"reflect", "The reflection only"}};
	form_errors shown = *e;
	const char *perr = error_of(e, "person_id", "person");
	if (perr && !form_error_for(e, "person_id")) form_error_add(&shown, "person_id", perr);
	form_begin(b, arena_printf(rq->a, "/cycles/%lld/shares", (long long)c->id), rq->actor->csrf, &shown);
	form_select(b, "person_id", "Person", po, n + 1, e->n ? req_form(rq, "person_id") : "", true, &shown);
	form_select(b, "stage", "What they may read", what, COUNT_OF(what),
		    e->n ? req_form(rq, "stage") : "cycle", true, &shown);
	form_end(b, "Share");
}

static void shares_page(req *rq, resp *rs, int status, const coaching_cycle *c, const form_errors *e)
{
	bool sharer = may_cycle(rq, ACT_SHARE, c);
	cycle_member *cand = NULL;
	size_t ncand = 0;
	if (sharer && cycle_share_candidates(rq->db, rq->a, c, &cand, &ncand) != STORE_OK) {
		resp_store_failed(rq, rs);
		return;
	}
	buf *b = resp_html(rs, status);
	layout l = page_layout(rq, arena_printf(rq->a, "Sharing · %s", cycle_title(c)), "cycles");
	layout_begin(b, &l);
	crumbs(rq, b, c);
	html_printf(b,
		    "<h1>Sharing</h1>\n<p>A person you share with can read the cycle, or the one stage you "
		    "choose, and never edit it; you can take it back at any time. Only the cycle's teachers "
		    "share: its coaches cannot share it on a teacher's behalf.</p>\n");
	if (c->kind == CYCLE_COLLABORATIVE)
		html_printf(b,
			    "<p>In a team's cycle you share the plan and reflection you wrote together, and "
			    "your own classroom's lesson: a colleague's lesson is theirs to share.</p>\n");
	html_printf(b, "<h2>Who else reads it</h2>\n");
	shares_table(rq, b, c, sharer);
	if (sharer) share_form(rq, b, c, cand, ncand, e);
	else
		html_printf(
			b,
			"<p class=\"muted\">Only the cycle's teachers share it or take a share back.</p>\n");
	layout_end(b);
}

/* The cycle of {id} for its sharing pages: its members only, 404 else. */
static bool members_cycle(req *rq, resp *rs, coaching_cycle *c)
{
	return cycle_find(rq, rs, c) &&
		cycle_read_on_record(rq, rs, c, "shares", cycle_is_member(c, actor_id(rq)));
}

/*
** GET /cycles/{id}/shares
** Who else reads the cycle (person, the whole cycle or a stage, since),
** with Revoke and a form to share for its teachers; read only for its
** coaches, who must know who reads it.
** Permissions: the cycle's members; 404 for everyone else.
*/
void page_cycle_shares(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!members_cycle(rq, rs, &c)) return;
	form_errors none = {0};
	shares_page(rq, rs, 200, &c, &none);
}

/*
** POST /cycles/{id}/shares (form: person_id, stage = cycle | plan | enact
** | reflect, csrf)
** 303 back to sharing; the page again with 400 beside the fields.
** Permissions: may(SHARE, coaching): the cycle's teachers.
*/
void page_cycle_share_add(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!members_cycle(rq, rs, &c)) return;
	outcome o = {0};
	int64_t person_id = 0;
	int stage = -1;
	const char *what = req_form(rq, "stage");
	stage_kind sk;
	form_id(rq, "person_id", 1, &person_id, &o.errors, "Choose a person from the list.");
	if (!person_id && !o.errors.n)
		form_error_add(&o.errors, "person_id", "Choose the person to share it with.");
	if (what && stage_parse(what, &sk)) stage = (int)sk;
	else if (what && *what && !str_eq(what, "cycle"))
		form_error_add(&o.errors, "stage", "Choose the whole cycle or one of its stages.");
	if (o.errors.n) outcome_invalid(&o);
	else cycle_share_add(rq, &c, person_id, stage, &o);
	if (o.status == 400 || o.status == 409) {
		form_errors shown = o.errors;
		if (!shown.n) form_error_add(&shown, o.field, o.message);
		shares_page(rq, rs, o.status, &c, &shown);
		return;
	}
	outcome_redirect(rq, rs, &o, arena_printf(rq->a, "/cycles/%lld/shares?ok=shared", (long long)c.id));
}

/*
** POST /cycles/{id}/shares/{shid}/revoke (form: csrf)
** Takes a share back; 303 back to sharing.
** Permissions: may(SHARE, coaching): the cycle's teachers.
*/
void page_cycle_share_revoke(req *rq, resp *rs)
{
	coaching_cycle c;
	int64_t shid;
	if (!members_cycle(rq, rs, &c) || !param_id(rq, rs, "shid", &shid)) return;
	outcome o = {0};
	cycle_share_revoke(rq, &c, shid, &o);
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "/cycles/%lld/shares?ok=share-revoked", (long long)c.id));
}
