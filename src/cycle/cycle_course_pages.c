/* Coaching-cycle pages: closing, reopening, opening the next cycle and
 * linking the coaching session. */
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

typedef void cycle_course_fn(req *rq, const coaching_cycle *c, outcome *out);

/* Close, reopen and next differ only in the change and where it lands:
 * the cycle itself, or (next) the cycle the change made. */
static void course_change(req *rq, resp *rs, cycle_course_fn *change, const char *ok, bool to_new)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c)) return;
	outcome o = {0};
	change(rq, &c, &o);
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "/cycles/%lld?ok=%s", (long long)(to_new ? o.id : c.id), ok));
}

/*
** POST /cycles/{id}/close (form: csrf)
** Permissions: may(DEACTIVATE, coaching): the cycle's coaches.
*/
void page_cycle_close(req *rq, resp *rs)
{
	course_change(rq, rs, cycle_close, "cycle-closed", false);
}

/*
** POST /cycles/{id}/reopen (form: csrf)
** Permissions: may(DEACTIVATE, coaching): the cycle's coaches.
*/
void page_cycle_reopen(req *rq, resp *rs)
{
	course_change(rq, rs, cycle_reopen, "cycle-reopened", false);
}

/*
** POST /cycles/{id}/next (form: csrf)
** Opens the next cycle with the same people, its plan starting from this
** one's next steps; 303 to the new cycle.
** Permissions: the cycle's coaches (checked by cycle_next).
*/
void page_cycle_next(req *rq, resp *rs)
{
	course_change(rq, rs, cycle_next, "next-cycle", true);
}

/*
** POST /cycles/{id}/session (form: session_id, 0 to unlink, csrf)
** Links the cycle to the coaching session it counts against.
** Permissions: the cycle's coaches (checked by cycle_link_session).
*/
void page_cycle_session(req *rq, resp *rs)
{
	coaching_cycle c;
	if (!cycle_load(rq, rs, &c)) return;
	int64_t sid = 0;
	const char *v = text_trim(rq->a, req_form(rq, "session_id"));
	if (v && *v && !parse_i64(v, 0, INT64_MAX, &sid)) {
		resp_error(rq, rs, 400, "invalid", "session_id must be a session's id, or 0", "session_id");
		return;
	}
	outcome o = {0};
	cycle_link_session(rq, &c, sid, &o);
	outcome_redirect(rq, rs, &o,
			 arena_printf(rq->a, "/cycles/%lld?ok=%s", (long long)c.id,
				      sid ? "session-linked" : "session-unlinked"));
}
