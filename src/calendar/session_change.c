/* Scheduling, changing, delivering and cancelling sessions, attendance and
 * collaborative grids, as pages and API both do it: may() first, then the
 * checks (places, people, teams, the line's balance), then one transaction
 * with its audit entry. */
#include <string.h>

#include "../access/audit.h"
#include "../base/log.h"
#include "../base/util.h"
#include "../engagement/engagement_web.h"
#include "../team/team.h"
#include "../web/app.h"
#include "session.h"

bool may_session(const req *rq, action act, const pl_session *s)
{
	place p[2];
	int64_t who = actor_id(rq);
	record r = session_record(p, s, &who);
	return may(rq->actor, act, &r);
}

/* Where a session being scheduled sits: filled from its engagement, line
 * and school, each checked against the others. */
typedef struct session_place {
	int64_t district_id, partner_id;
	const char *district_label;
} session_place;

static bool place_store(req *rq, outcome *out, store_rc rc)
{
	if (rc == STORE_OK) return true;
	outcome_store_failed(rq, out, false);
	return false;
}

/* Fills where from the engagement (or the line's), then the school. */
static bool check_place(req *rq, session_input *in, session_place *where, outcome *out)
{
	form_errors *e = &out->errors;
	bool found;
	if (in->service_line_id) {
		service_line line;
		line_balance b;
		if (!place_store(
			    rq, out,
			    engagement_line_usage(rq->db, rq->a, in->service_line_id, &line, &b, &found)))
			return false;
		if (!found) form_error_add(e, "service_line_id", "There is no such service line.");
		else if (!in->engagement_id) in->engagement_id = line.engagement_id;
		else if (line.engagement_id != in->engagement_id)
			form_error_add(e, "service_line_id",
				       "That service line belongs to another engagement.");
	}
	if (in->engagement_id) {
		engagement en;
		if (!place_store(rq, out, engagement_get(rq->db, rq->a, in->engagement_id, &en, &found)))
			return false;
		if (!found) {
			form_error_add(e, "engagement_id", "There is no such engagement.");
		} else {
			where->district_id = en.district_id;
			where->partner_id = en.partner_id;
			where->district_label = en.title;
			/* Sessions deliver an agreement the district accepted. */
			if (en.state == EN_ENDED)
				form_error_add(e, "engagement_id",
					       "This engagement has ended: its sessions no longer change.");
			else if (!engagement_reaches(en.state))
				form_error_add(e, "engagement_id",
					       arena_printf(rq->a,
							    "This engagement is %s: sessions are scheduled "
							    "once the district has accepted it.",
							    engagement_state_name(en.state)));
		}
	}
	if (in->school_id) {
		org o;
		if (!place_store(rq, out, org_get(rq->db, rq->a, in->school_id, &o, &found))) return false;
		if (!found || !o.active || !str_eq(o.kind, "school"))
			form_error_add(e, "school_id", "There is no active school with that id.");
		else if (where->district_id && o.parent_id != where->district_id)
			form_error_add(e, "school_id", "That school is not in the engagement's district.");
		else where->district_id = o.parent_id, where->district_label = o.name;
	}
	if (!in->engagement_id && !in->school_id)
		form_error_add(e, "engagement_id", "Choose the engagement or the school the session is for.");
	return true;
}

/* May the actor schedule (act) a session at where? 403 naming the field. */
static bool may_there(req *rq, action act, const session_input *in, const session_place *where, outcome *out)
{
	pl_session probe = {.district_id = where->district_id,
			    .partner_id = where->partner_id,
			    .school_id = in->school_id};
	if (may_session(rq, act, &probe)) return true;
	outcome_fail(out, 403, "forbidden", "You may not schedule sessions for this engagement or school.",
		     in->engagement_id ? "engagement_id" : "school_id");
	return false;
}

static bool check_people(req *rq, const int64_t *ids, size_t n, const char *field, const session_place *where,
			 outcome *out)
{
	for (size_t i = 0; i < n; i++) {
		bool fits = false;
		if (!place_store(rq, out,
				 pl_session_person_fits(rq->db, rq->a, ids[i], where->district_id,
							where->partner_id, &fits)))
			return false;
		if (!fits) {
			form_error_add(&out->errors, field,
				       arena_printf(rq->a,
						    "There is no active person %lld in this district "
						    "or at its partner.",
						    (long long)ids[i]));
			return true;
		}
	}
	return true;
}

static bool check_teams(req *rq, const int64_t *ids, size_t n, const session_place *where, outcome *out)
{
	for (size_t i = 0; i < n; i++) {
		team t;
		bool found;
		if (!place_store(rq, out, team_get(rq->db, rq->a, ids[i], actor_id(rq), &t, &found)))
			return false;
		if (!found || !t.active || t.district_id != where->district_id) {
			form_error_add(&out->errors, "team_ids",
				       arena_printf(rq->a, "There is no active team %lld in this district.",
						    (long long)ids[i]));
			return true;
		}
	}
	return true;
}

/* The line's balance allows draw more (editing: the old draw given back
 * first). 409 saying by how much, unless over_commit. */
static bool check_draw(req *rq, int64_t line_id, int64_t draw, bool over_commit, const pl_session *old,
		       outcome *out)
{
	if (!line_id || !draw) return true;
	service_line line;
	line_balance b;
	bool found;
	if (!place_store(rq, out, engagement_line_usage(rq->db, rq->a, line_id, &line, &b, &found)))
		return false;
	if (!found) return true; /* check_place named it */
	bool live = old && old->service_line_id == line_id && !str_eq(old->status, "cancelled");
	/* An edit that draws no more than before takes nothing new. */
	if (live && draw <= old->draw_milli) return true;
	if (live) b.remaining_milli += old->draw_milli;
	char why[256];
	if (draw_check(&b, draw, over_commit, why, sizeof why)) return true;
	outcome_fail(out, 409, "overdraw",
		     arena_printf(rq->a, "%s Send over_commit=1 to schedule it anyway.", why), "draw");
	return false;
}

/* Everything a new or changed session must pass before a write; times:
 * how many sessions draw in->draw (a series), 0 for no draw check. */
static bool check_all(req *rq, session_input *in, action act, const pl_session *old, int64_t times,
		      session_place *where, outcome *out)
{
	session_check(rq->a, in, &out->errors);
	if (!check_place(rq, in, where, out)) return false;
	if (out->errors.n) {
		outcome_invalid(out);
		return false;
	}
	if (!may_there(rq, act, in, where, out)) return false;
	if (!check_people(rq, in->facilitators, in->nfacilitators, "facilitator_ids", where, out) ||
	    !check_people(rq, in->people, in->npeople, "person_ids", where, out) ||
	    !check_teams(rq, in->teams, in->nteams, where, out))
		return false;
	if (out->errors.n) {
		outcome_invalid(out);
		return false;
	}
	return check_draw(rq, in->service_line_id, in->draw_milli * times, in->over_commit, old, out);
}

void session_schedule(req *rq, session_input *in, outcome *out)
{
	*out = (outcome){0};
	session_place where = {0};
	form_errors *e = &out->errors;
	const char **dates = NULL;
	bool capped = false;
	size_t ndates = session_series_dates(rq->a, in->on_date, &in->repeat, &dates, &capped);
	if (capped)
		form_error_add(e, "repeat_until",
			       arena_printf(rq->a,
					    "A series makes at most %d sessions; choose an earlier "
					    "last date.",
					    SESSION_SERIES_MAX));
	if (!check_all(rq, in, ACT_CREATE, NULL, (int64_t)(ndates ? ndates : 1), &where, out)) return;
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	int64_t series = 0;
	for (size_t i = 0; i < ndates; i++) {
		in->on_date = dates[i];
		int64_t id = 0;
		store_rc rc = pl_session_insert(rq->db, rq->a, in, where.district_id, series, 0, 0, &id);
		if (rc == STORE_OK) rc = pl_session_set_parties(rq->db, rq->a, id, in);
		if (rc == STORE_OK && ndates > 1 && i == 0) {
			series = id;
			rc = pl_session_heads(rq->db, rq->a, id, "series");
		}
		if (rc != STORE_OK) {
			outcome_store_failed(rq, out, true);
			return;
		}
		if (i == 0) out->id = id;
	}
	change_commit(rq, STORE_OK, REC_PL_SESSION, ndates > 1 ? "session.series" : "session.create", out->id,
		      where.district_id, arena_printf(rq->a, "%s on %s (%zu)", in->title, dates[0], ndates),
		      out);
}

/* A cancelled session is history: 409. */
static bool still_open(const pl_session *s, outcome *out, const char *what)
{
	if (!str_eq(s->status, "cancelled")) return true;
	outcome_fail(out, 409, "cancelled", what, NULL);
	return false;
}

void session_change(req *rq, const pl_session *old, session_input *in, outcome *out)
{
	*out = (outcome){.id = old->id};
	if (!may_session(rq, ACT_UPDATE, old)) {
		outcome_fail(out, 403, "forbidden", "You may not change this session.", NULL);
		return;
	}
	if (!still_open(old, out, "This session is cancelled; it can no longer change.")) return;
	in->repeat = (repeat_rule){0};
	session_place where = {0};
	if (!check_all(rq, in, ACT_UPDATE, old, 1, &where, out)) return;
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	store_rc rc = pl_session_update(rq->db, rq->a, old->id, in, where.district_id);
	if (rc == STORE_OK) rc = pl_session_set_parties(rq->db, rq->a, old->id, in);
	change_commit(rq, rc, REC_PL_SESSION, "session.update", old->id, where.district_id, in->title, out);
}

void session_deliver(req *rq, const pl_session *s, outcome *out)
{
	*out = (outcome){.id = s->id};
	if (!may_session(rq, ACT_UPDATE, s)) {
		outcome_fail(out, 403, "forbidden", "You may not record this session's delivery.", NULL);
		return;
	}
	if (!still_open(s, out, "This session was cancelled; it cannot be delivered.")) return;
	if (str_eq(s->status, "delivered")) return; /* a second click changes nothing */
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	change_commit(rq, pl_session_set_status(rq->db, rq->a, s->id, "delivered", NULL), REC_PL_SESSION,
		      "session.deliver", s->id, s->district_id, s->title, out);
}

void session_cancel(req *rq, const pl_session *s, const char *reason, outcome *out)
{
	*out = (outcome){.id = s->id};
	if (!may_session(rq, ACT_UPDATE, s)) {
		outcome_fail(out, 403, "forbidden", "You may not cancel this session.", NULL);
		return;
	}
	if (!reason || !*reason) {
		form_error_add(&out->errors, "reason", "Say why the session is cancelled.");
		outcome_invalid(out);
		return;
	}
	if (strlen(reason) > 2000) {
		form_error_add(&out->errors, "reason", "The reason is longer than 2,000 characters.");
		outcome_invalid(out);
		return;
	}
	if (str_eq(s->status, "delivered")) {
		outcome_fail(out, 409, "delivered", "This session was delivered; it cannot be cancelled.",
			     NULL);
		return;
	}
	if (str_eq(s->status, "cancelled")) return;
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	change_commit(rq, pl_session_set_status(rq->db, rq->a, s->id, "cancelled", reason), REC_PL_SESSION,
		      "session.cancel", s->id, s->district_id, s->title, out);
}

void session_record_attendance(req *rq, const pl_session *s, const int64_t *present, size_t npresent,
			       outcome *out)
{
	*out = (outcome){.id = s->id};
	if (!may_session(rq, ACT_UPDATE, s)) {
		outcome_fail(out, 403, "forbidden",
			     "Only the facilitators, or those who may change this "
			     "session, record its attendance.",
			     NULL);
		return;
	}
	if (!still_open(s, out, "This session was cancelled; it has no attendance.")) return;
	session_party *roll;
	size_t n;
	if (pl_session_roll(rq->db, rq->a, s->id, &roll, &n) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	for (size_t k = 0; k < npresent; k++) {
		bool on_roll = false;
		for (size_t i = 0; i < n; i++) on_roll |= roll[i].id == present[k];
		if (!on_roll) {
			form_error_add(&out->errors, "present",
				       arena_printf(rq->a, "Person %lld does not take part in this session.",
						    (long long)present[k]));
			outcome_invalid(out);
			return;
		}
	}
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	size_t here = 0;
	store_rc rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		bool p = false;
		for (size_t k = 0; k < npresent; k++) p |= present[k] == roll[i].id;
		here += p;
		rc = pl_session_attend(rq->db, rq->a, s->id, roll[i].id, p, actor_id(rq));
	}
	if (rc == STORE_OK) rc = pl_session_touch(rq->db, rq->a, s->id);
	change_commit(rq, rc, REC_PL_SESSION, "session.attendance", s->id, s->district_id,
		      arena_printf(rq->a, "%zu of %zu present", here, n), out);
}

/* The grid's sessions as one input each: a block of one team. */
static session_input grid_block_input(const grid_input *g, const char *date, int blk, int64_t *team_id)
{
	return (session_input){.kind = "collaborative_coaching",
			       .title = g->title,
			       .on_date = date,
			       .block = blk ? "pm" : "am",
			       .engagement_id = g->engagement_id,
			       .service_line_id = g->service_line_id,
			       .draw = g->service_line_id ? "0.5" : NULL,
			       .over_commit = g->over_commit,
			       .facilitators = g->facilitators,
			       .nfacilitators = g->nfacilitators,
			       .teams = team_id,
			       .nteams = 1};
}

/* The school of a grid block: the team's school, so its principal sees it. */
static int64_t team_school(req *rq, int64_t team_id)
{
	team t;
	bool found;
	if (team_get(rq->db, rq->a, team_id, actor_id(rq), &t, &found) != STORE_OK || !found) return 0;
	return str_eq(t.org_kind, "school") ? t.org_id : 0;
}

void session_grid_create(req *rq, grid_input *g, outcome *out)
{
	*out = (outcome){0};
	if (!g->title || !*g->title) g->title = "Collaborative coaching cycle";
	if (!g->ndays || g->ndays > SESSION_GRID_DAYS_MAX) {
		form_error_add(&out->errors, "dates",
			       arena_printf(rq->a, "Give 1 to %d dates.", SESSION_GRID_DAYS_MAX));
		outcome_invalid(out);
		return;
	}
	size_t nblocks = 0;
	session_place where = {0};
	session_input *ins = arena_calloc(rq->a, g->ndays * 2, sizeof *ins);
	for (size_t d = 0; d < g->ndays; d++)
		for (int blk = 0; blk < 2; blk++) {
			if (!g->teams[2 * d + blk]) continue;
			session_input *in = &ins[nblocks++];
			*in = grid_block_input(g, g->dates[d], blk, &g->teams[2 * d + blk]);
			in->school_id = team_school(rq, g->teams[2 * d + blk]);
			out->errors = (form_errors){0};
			/* The whole grid's draw is checked once, below. */
			if (!check_all(rq, in, ACT_CREATE, NULL, 0, &where, out)) {
				if (out->field && str_eq(out->field, "on_date")) out->field = "dates";
				return;
			}
		}
	if (!nblocks) {
		form_error_add(&out->errors, "teams", "Assign a team to at least one block.");
		outcome_invalid(out);
		return;
	}
	if (g->service_line_id &&
	    !check_draw(rq, g->service_line_id, 500 * (int64_t)nblocks, g->over_commit, NULL, out))
		return;
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	int64_t grid = 0;
	for (size_t d = 0, k = 0; d < g->ndays; d++)
		for (int blk = 0; blk < 2; blk++) {
			if (!g->teams[2 * d + blk]) continue;
			int64_t id = 0;
			store_rc rc = pl_session_insert(rq->db, rq->a, &ins[k++], where.district_id, 0, grid,
							(int64_t)d + 1, &id);
			if (rc == STORE_OK) rc = pl_session_set_parties(rq->db, rq->a, id, &ins[k - 1]);
			if (rc == STORE_OK && !grid) {
				grid = id;
				rc = pl_session_heads(rq->db, rq->a, id, "grid");
			}
			if (rc != STORE_OK) {
				outcome_store_failed(rq, out, true);
				return;
			}
		}
	out->id = grid;
	change_commit(rq, STORE_OK, REC_PL_SESSION, "session.grid", grid, where.district_id,
		      arena_printf(rq->a, "%zu days, %zu blocks", g->ndays, nblocks), out);
}

static bool load_grid_session(req *rq, int64_t engagement_id, int64_t id, const char *field, pl_session *s,
			      outcome *out)
{
	bool found;
	if (pl_session_get(rq->db, rq->a, id, actor_id(rq), s, &found) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return false;
	}
	if (!found || s->engagement_id != engagement_id || !s->grid_id || !may_session(rq, ACT_READ, s)) {
		form_error_add(&out->errors, field, "There is no such block in this engagement's grid.");
		outcome_invalid(out);
		return false;
	}
	if (!may_session(rq, ACT_UPDATE, s)) {
		outcome_fail(out, 403, "forbidden", "You may not change this grid.", field);
		return false;
	}
	return true;
}

void session_grid_move(req *rq, int64_t engagement_id, int64_t from, int64_t to, outcome *out)
{
	*out = (outcome){.id = engagement_id};
	pl_session a, b;
	if (!load_grid_session(rq, engagement_id, from, "from", &a, out) ||
	    !load_grid_session(rq, engagement_id, to, "to", &b, out))
		return;
	if (from == to) return;
	if (str_eq(a.status, "cancelled") || str_eq(b.status, "cancelled")) {
		outcome_fail(out, 409, "cancelled", "A cancelled block's team cannot move.", NULL);
		return;
	}
	if (store_begin(rq->db) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	change_commit(rq, pl_session_swap_teams(rq->db, rq->a, from, to), REC_PL_SESSION, "session.grid.move",
		      from, a.district_id,
		      arena_printf(rq->a, "teams of %lld and %lld swapped", (long long)from, (long long)to),
		      out);
}

/* ---- shared with the API and the calendar ---- */

static bool query_id(req *rq, resp *rs, const char *key, int64_t *out)
{
	const char *v = req_query(rq, key);
	*out = 0;
	if (!v || !*v) return true;
	if (parse_i64(v, 1, INT64_MAX, out)) return true;
	resp_error(rq, rs, 400, "bad_filter", arena_printf(rq->a, "%s must be an id", key), key);
	return false;
}

static bool query_date(req *rq, resp *rs, const char *key, const char **out)
{
	const char *v = req_query(rq, key);
	int64_t day;
	*out = NULL;
	if (!v || !*v) return true;
	if (session_day_number(v, &day)) {
		*out = v;
		return true;
	}
	resp_error(rq, rs, 400, "bad_filter", arena_printf(rq->a, "%s must be a date (YYYY-MM-DD)", key),
		   key);
	return false;
}

static void parties_ids(arena *a, const session_party *p, size_t n, int64_t **out, size_t *nout)
{
	*out = arena_calloc(a, n + 1, sizeof **out);
	for (size_t i = 0; i < n; i++) (*out)[i] = p[i].id;
	*nout = n;
}

bool session_read_filter(req *rq, resp *rs, session_filter *f)
{
	*f = (session_filter){0};
	f->mine = str_eq(req_query(rq, "mine"), "1");
	return query_id(rq, rs, "engagement", &f->engagement_id) &&
		query_id(rq, rs, "school", &f->school_id) && query_id(rq, rs, "team", &f->team_id) &&
		query_id(rq, rs, "facilitator", &f->facilitator_id) && query_date(rq, rs, "from", &f->from) &&
		query_date(rq, rs, "to", &f->to);
}

store_rc session_visible(req *rq, const session_filter *f, pl_session **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_PL_SESSION, &v);
	pl_session *list;
	size_t count;
	store_rc rc = pl_session_list(rq->db, rq->a, f, &v, rq->actor->person_id, &list, &count);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < count; i++)
		if (may_session(rq, ACT_READ, &list[i])) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

bool session_load(req *rq, resp *rs, pl_session *s)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found;
	if (pl_session_get(rq->db, rq->a, id, rq->actor->person_id, s, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	/* A session one may not see answers as if it did not exist. */
	if (!found || !may_session(rq, ACT_READ, s)) {
		resp_error(rq, rs, 404, "not_found", "there is no such session", NULL);
		return false;
	}
	return true;
}

store_rc session_parties_input(req *rq, const pl_session *s, session_input *in)
{
	session_party *f, *p, *t;
	size_t nf, np, nt;
	store_rc rc;
	if ((rc = pl_session_facilitators(rq->db, rq->a, s->id, &f, &nf)) ||
	    (rc = pl_session_people(rq->db, rq->a, s->id, &p, &np)) ||
	    (rc = pl_session_teams(rq->db, rq->a, s->id, &t, &nt)))
		return rc;
	parties_ids(rq->a, f, nf, &in->facilitators, &in->nfacilitators);
	parties_ids(rq->a, p, np, &in->people, &in->npeople);
	parties_ids(rq->a, t, nt, &in->teams, &in->nteams);
	return STORE_OK;
}
