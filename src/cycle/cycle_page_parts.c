/* What the cycle pages share: addresses, titles, times and sizes as a
 * page shows them, the crumbs and the share holder's banner, and the
 * small readers of a form (cycle_pages.h). */
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

const char *id_text(arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : "";
}

const char *cycle_href(arena *a, int64_t id)
{
	return arena_printf(a, "/cycles/%lld", (long long)id);
}

const char *stage_href(arena *a, int64_t cycle_id, int64_t stage_id)
{
	return arena_printf(a, "/cycles/%lld/stages/%lld", (long long)cycle_id, (long long)stage_id);
}

const char *kind_label(cycle_kind k)
{
	return k == CYCLE_COLLABORATIVE ? "Collaborative" : "Individual";
}

/* A stage as a heading names it: the plan, an enactment, the reflection. */
const char *stage_noun(stage_kind st)
{
	static const char *const nouns[STAGE_COUNT] = {"Plan", "Enactment", "Reflection"};
	return (unsigned)st < STAGE_COUNT ? nouns[st] : stage_label(st);
}

/* "Enactment · Tom Becker" for one teacher's enactment, else the stage. */
const char *stage_title(arena *a, const cycle_stage *st)
{
	if (st->stage == STAGE_ENACT && st->teacher_name)
		return arena_printf(a, "%s · %s", stage_noun(st->stage), st->teacher_name);
	return stage_noun(st->stage);
}

const char *stage_status(const cycle_stage *st)
{
	if (st->complete) return "Complete";
	return st->version ? "Draft" : "Not started";
}

/* A time in UTC, with its instant for coachd.js to show in the reader's
 * own zone (the server does not know where the classroom is). */
void time_html(arena *a, buf *b, int64_t at, bool clock_only)
{
	const char *shown = time_text_utc(a, at); /* "2025-03-04 14:05 UTC" */
	if (clock_only && strlen(shown) > 11) shown += 11;
	html_printf(b, "<time datetime=\"%s\" data-local=\"%s\">%s</time>", time_iso_utc(a, at),
		    clock_only ? "time" : "datetime", shown);
}

const char *size_text(arena *a, int64_t bytes)
{
	if (bytes >= 10 << 20) return arena_printf(a, "%lld MB", (long long)(bytes >> 20));
	if (bytes >= 1 << 20) return arena_printf(a, "%.1f MB", (double)bytes / (1 << 20));
	return arena_printf(a, "%lld KB", (long long)((bytes + 1023) / 1024));
}

/* The teachers of an individual cycle, or the team of a collaborative one. */
const char *cycle_people_text(arena *a, const coaching_cycle *c, bool coaches)
{
	const char *out = NULL;
	for (size_t i = 0; i < c->nmembers; i++)
		if (c->members[i].coach == coaches)
			out = out ? arena_printf(a, "%s, %s", out, c->members[i].name) : c->members[i].name;
	return out ? out : "—";
}

const char *cycle_who(arena *a, const coaching_cycle *c)
{
	if (c->kind == CYCLE_COLLABORATIVE && c->team_name) return c->team_name;
	return cycle_people_text(a, c, false);
}

const char *cycle_title(const coaching_cycle *c)
{
	return c->title && *c->title ? c->title : "Coaching cycle";
}

bool may_edit_content(const req *rq, const coaching_cycle *c)
{
	return c->state != CYCLE_CLOSED && may_cycle(rq, ACT_UPDATE, c);
}

void crumbs(req *rq, buf *b, const coaching_cycle *c)
{
	html_printf(b, "<p class=\"crumbs\"><a href=\"/cycles\">Coaching cycles</a>");
	if (c) html_printf(b, " › <a href=\"%s\">%s</a>", cycle_href(rq->a, c->id), cycle_title(c));
	html_printf(b, "</p>\n");
}

/* The banner a share holder reads: whose trust they hold, and that it is
 * theirs to read only. */
void shared_banner(req *rq, buf *b, const coaching_cycle *c)
{
	if (cycle_is_member(c, actor_id(rq))) return;
	const cycle_share *s = cycle_share_for(c, actor_id(rq));
	if (!s) return;
	html_printf(b,
		    "<div class=\"shared-banner\" role=\"note\"><p>Shared with you by %s (read "
		    "only)%s.</p></div>\n",
		    s->shared_by_name ? s->shared_by_name : "a teacher",
		    s->stage >= 0 ? arena_printf(rq->a, ": the %s only", stage_noun((stage_kind)s->stage))
				  : "");
}

bool id_in(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id) return true;
	return false;
}

bool form_id(req *rq, const char *field, int64_t min, int64_t *out, form_errors *e, const char *message)
{
	const char *v = text_trim(rq->a, req_form(rq, field));
	*out = 0;
	if (!v || !*v) return true;
	if (parse_i64(v, min, INT64_MAX, out)) return true;
	form_error_add(e, field, message);
	return false;
}
