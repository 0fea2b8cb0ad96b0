/* Setting up, editing and closing learning walks, their visits and
 * debriefs, and the district's walk settings, as pages and API both do
 * it: may() first, then the checks, then one transaction with its audit
 * entry. A visit's write keeps the dashboards' counts in the same
 * transaction (observation_insert/update/delete). */
#include <string.h>

#include "../base/util.h"
#include "../org/org.h"
#include "../web/app.h"
#include "../web/change.h"
#include "walk.h"

static const char NOT_FOUND[] = "There is no such learning walk, or it is not yours to see.";

bool may_walk(const req *rq, action act, const walk *w)
{
	place p[1];
	record r = walk_record(p, w);
	return may(rq->actor, act, &r);
}

bool may_visit(const req *rq, action act, const walk *w, const observation *o)
{
	place p[1];
	record r = visit_record(p, w, o, actor_id(rq));
	return may(rq->actor, act, &r);
}

/*
** The walk named by the route's {id}, for every walk page and API route.
** Permissions: may(READ, walk); anyone else hears 404, as for a walk that
** does not exist.
*/
bool walk_load(req *rq, resp *rs, walk *w)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found = false;
	if (walk_get(rq->db, rq->a, id, w, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (found && may_walk(rq, ACT_READ, w)) return true;
	resp_error(rq, rs, 404, "not_found", NOT_FOUND, NULL);
	return false;
}

bool visit_load(req *rq, resp *rs, const walk *w, observation *o)
{
	int64_t vid;
	if (!param_id(rq, rs, "vid", &vid)) return false;
	bool found = false;
	if (observation_get(rq->db, rq->a, vid, o, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (found && o->walk_id == w->id && may_visit(rq, ACT_READ, w, o)) return true;
	resp_error(rq, rs, 404, "not_found", "There is no such visit on this walk.", NULL);
	return false;
}

bool walk_rubric(req *rq, const walk *w, rubric_version *v)
{
	bool found = false;
	return rubric_version_load(rq->db, rq->a, w->rubric_version_id, v, &found) == STORE_OK && found;
}

/* ---- walks ---- */

static bool among(const int64_t *ids, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id) return true;
	return false;
}

/* Every walker must be one who may walk at the school. */
static bool walkers_check(req *rq, const walk *w, walk_input *in, outcome *out)
{
	walk_walker *cand;
	size_t nc;
	if (!change_asked(rq, out,
			  walk_walker_candidates(rq->db, rq->a, w->district_id, w->school_id, &cand, &nc)))
		return false;
	int64_t *unique = arena_calloc(rq->a, in->nwalkers + 1, sizeof *unique);
	size_t k = 0;
	for (size_t i = 0; i < in->nwalkers; i++) {
		bool known = false;
		for (size_t j = 0; j < nc; j++) known |= cand[j].person_id == in->walkers[i];
		if (!known) {
			outcome_invalid_field(
				out, "walkers",
				arena_printf(rq->a,
					     "Person %lld holds no role at this school or district, and is "
					     "not with a partner working there.",
					     (long long)in->walkers[i]));
			return false;
		}
		if (!among(unique, k, in->walkers[i])) unique[k++] = in->walkers[i];
	}
	in->walkers = unique;
	in->nwalkers = k;
	return true;
}

/* The school, its district and the rubric a new walk names, checked. */
static bool walk_place(req *rq, walk_input *in, walk *w, rubric_version *v, outcome *out)
{
	org school;
	bool found = false;
	if (!change_asked(rq, out, org_get(rq->db, rq->a, in->school_id, &school, &found))) return false;
	if (!found || !school.active || !str_eq(school.kind, "school")) {
		outcome_invalid_field(out, "school_id", "There is no such school.");
		return false;
	}
	w->school_id = school.id;
	w->district_id = school.parent_id;
	int64_t version_id = 0;
	if (!change_asked(rq, out, rubric_current_version(rq->db, rq->a, in->rubric_id, &version_id)))
		return false;
	found = false;
	if (version_id && !change_asked(rq, out, rubric_version_load(rq->db, rq->a, version_id, v, &found)))
		return false;
	/* A built-in, or the district's own tool, still offered. */
	if (!found || !v->active || (v->org_id && v->org_id != w->district_id)) {
		outcome_invalid_field(out, "rubric_id", "Choose a rubric offered in this district.");
		return false;
	}
	w->rubric_version_id = v->id;
	w->rubric_id = v->rubric_id;
	return true;
}

void walk_create(req *rq, walk_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_act_somewhere(rq, REC_WALK, ACT_CREATE)) {
		outcome_fail(out, 403, "forbidden", "You may not set up learning walks.", NULL);
		return;
	}
	walk_input_check(rq->a, in, NULL, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	walk w = {.walked_on = in->walked_on,
		  .purpose = in->purpose && *in->purpose ? in->purpose : NULL,
		  .created_by = actor_id(rq)};
	rubric_version v;
	if (!walk_place(rq, in, &w, &v, out)) return;
	if (!may_walk(rq, ACT_CREATE, &w)) {
		outcome_fail(out, 403, "forbidden", "You may not set up learning walks at this school.",
			     "school_id");
		return;
	}
	walk_input_check(rq->a, in, &v, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (!walkers_check(rq, &w, in, out)) return;
	w.walker_ids = in->walkers;
	w.nwalkers = in->nwalkers;
	w.focus = in->focus;
	w.nfocus = in->nfocus;
	if (!change_begin(rq, out)) return;
	store_rc rc = walk_insert(rq->db, rq->a, &w, &out->id);
	change_commit(rq, rc, REC_WALK, "walk.create", out->id, w.district_id, "", out);
}

void walk_change(req *rq, const walk *w, walk_input *in, outcome *out)
{
	*out = (outcome){.id = w->id};
	if (!may_walk(rq, ACT_UPDATE, w)) {
		outcome_fail(out, 403, "forbidden", "Only the walk's walkers and leaders change it.", NULL);
		return;
	}
	/* Its day decides the month its visits count in: a closed walk's stay put. */
	if (w->closed) {
		outcome_fail(out, 409, "closed",
			     "This walk is closed: its day, walkers and focus no longer change.", NULL);
		return;
	}
	rubric_version v;
	if (!walk_rubric(rq, w, &v)) {
		outcome_store_failed(rq, out, false);
		return;
	}
	in->school_id = w->school_id;
	in->rubric_id = w->rubric_id;
	walk_input_check(rq->a, in, &v, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	walk nw = *w;
	if (!walkers_check(rq, w, in, out)) return;
	nw.walked_on = in->walked_on;
	nw.purpose = in->purpose && *in->purpose ? in->purpose : NULL;
	nw.walker_ids = in->walkers;
	nw.nwalkers = in->nwalkers;
	nw.focus = in->focus;
	nw.nfocus = in->nfocus;
	if (!change_begin(rq, out)) return;
	store_rc rc = walk_update(rq->db, rq->a, &nw);
	change_commit(rq, rc, REC_WALK, "walk.update", w->id, w->district_id, "", out);
}

void walk_close(req *rq, const walk *w, outcome *out)
{
	*out = (outcome){.id = w->id};
	if (!may_walk(rq, ACT_UPDATE, w)) {
		outcome_fail(out, 403, "forbidden", "Only the walk's walkers and leaders close it.", NULL);
		return;
	}
	if (w->closed) {
		outcome_fail(out, 409, "closed", "This walk is closed already.", NULL);
		return;
	}
	if (!change_begin(rq, out)) return;
	store_rc rc = walk_set_closed(rq->db, rq->a, w->id, true);
	change_commit(rq, rc, REC_WALK, "walk.close", w->id, w->district_id, "", out);
}

void walk_debrief_save(req *rq, const walk *w, const char *text, outcome *out)
{
	*out = (outcome){.id = w->id};
	if (!may_walk(rq, ACT_UPDATE, w)) {
		outcome_fail(out, 403, "forbidden", "Only the walk's walkers and leaders write its debrief.",
			     NULL);
		return;
	}
	const char *t = text_trim(rq->a, text ? text : "");
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) chars += (*p & 0xC0) != 0x80;
	if (chars > WALK_DEBRIEF_MAX) {
		outcome_invalid_field(out, "debrief",
				      arena_printf(rq->a, "The debrief notes are at most %d characters.",
						   WALK_DEBRIEF_MAX));
		return;
	}
	if (!change_begin(rq, out)) return;
	store_rc rc = walk_set_debrief(rq->db, rq->a, w->id, t);
	change_commit(rq, rc, REC_WALK, "walk.debrief", w->id, w->district_id, "", out);
}

/* ---- visits ---- */

/* The visit the input describes, with the walk's place copied. */
static observation visit_of(const walk *w, const observation_input *in, int64_t observer)
{
	observation o = observation_of_input(in);
	o.walk_id = w->id;
	o.rubric_version_id = w->rubric_version_id;
	o.observer_id = observer;
	o.district_id = w->district_id;
	o.school_id = w->school_id;
	o.observed_on = w->walked_on;
	return o;
}

/* The checks every visit write shares: the walk open, the input against
 * the rubric and the district's setting, a named teacher at the school. */
static bool visit_checks(req *rq, const walk *w, observation_input *in, outcome *out)
{
	if (w->closed) {
		outcome_fail(out, 409, "closed", "This walk is closed: its visits no longer change.", NULL);
		return false;
	}
	rubric_version v;
	if (!walk_rubric(rq, w, &v)) {
		outcome_store_failed(rq, out, false);
		return false;
	}
	observation_input_check(rq->a, &v, in, true, w->settings.teacher_ids, &out->errors);
	if (!out->errors.n && in->teacher_id) {
		walk_walker *t;
		size_t nt;
		if (!change_asked(rq, out, walk_school_teachers(rq->db, rq->a, w->school_id, &t, &nt)))
			return false;
		bool known = false;
		for (size_t i = 0; i < nt; i++) known |= t[i].person_id == in->teacher_id;
		if (!known)
			form_error_add(&out->errors, "teacher_id",
				       "That person does not teach at this school.");
	}
	if (out->errors.n) {
		outcome_invalid(out);
		return false;
	}
	return true;
}

void visit_add(req *rq, const walk *w, observation_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_visit(rq, ACT_CREATE, w, NULL)) {
		outcome_fail(out, 403, "forbidden", "Only the walk's walkers add visits.", NULL);
		return;
	}
	if (!visit_checks(rq, w, in, out)) return;
	observation o = visit_of(w, in, actor_id(rq));
	if (!change_begin(rq, out)) return;
	store_rc rc = observation_insert(rq->db, rq->a, &o, &out->id);
	change_commit(rq, rc, REC_VISIT, "walk.visit.add", out->id, w->district_id,
		      arena_printf(rq->a, "walk %lld", (long long)w->id), out);
}

bool observation_update_fresh(req *rq, const observation *o, const observation *old, int64_t expected,
			      const char *what, store_rc *rc, outcome *out)
{
	if (!change_begin(rq, out)) return false;
	bool stale = false;
	*rc = observation_update(rq->db, rq->a, o, expected, &stale);
	if (*rc != STORE_OK || !stale) return true;
	store_rollback(rq->db);
	observation now;
	bool found = false;
	if (observation_get(rq->db, rq->a, old->id, &now, &found) != STORE_OK || !found) now = *old;
	outcome_fail(out, 409, "conflict",
		     arena_printf(rq->a,
				  "%s saved %s at %s, after you opened it (version %lld, you had %lld); "
				  "nothing of yours was saved.",
				  now.observer_name ? now.observer_name : "Someone", what,
				  time_text_utc(rq->a, now.updated_at), (long long)now.version,
				  (long long)expected),
		     "version");
	return false;
}

void visit_save(req *rq, const walk *w, const observation *old, observation_input *in, outcome *out)
{
	*out = (outcome){.id = old->id};
	if (!may_visit(rq, ACT_UPDATE, w, old)) {
		outcome_fail(out, 403, "forbidden", "Only the walker who made a visit changes it.", NULL);
		return;
	}
	if (!visit_checks(rq, w, in, out)) return;
	observation o = visit_of(w, in, old->observer_id);
	o.id = old->id;
	store_rc rc;
	if (!observation_update_fresh(rq, &o, old, in->version, "this visit", &rc, out)) return;
	change_commit(rq, rc, REC_VISIT, "walk.visit.update", old->id, w->district_id,
		      arena_printf(rq->a, "walk %lld", (long long)w->id), out);
}

void visit_remove(req *rq, const walk *w, const observation *o, outcome *out)
{
	*out = (outcome){.id = o->id};
	if (!may_visit(rq, ACT_DEACTIVATE, w, o)) {
		outcome_fail(out, 403, "forbidden",
			     "Only the walker who made a visit, or a leader, removes it.", NULL);
		return;
	}
	if (w->closed) {
		outcome_fail(out, 409, "closed", "This walk is closed: its visits no longer change.", NULL);
		return;
	}
	if (!change_begin(rq, out)) return;
	store_rc rc = observation_delete(rq->db, rq->a, o->id);
	change_commit(rq, rc, REC_VISIT, "walk.visit.remove", o->id, w->district_id,
		      arena_printf(rq->a, "walk %lld", (long long)w->id), out);
}

/* ---- the district's setting ---- */

void walk_settings_save(req *rq, int64_t district_id, bool teacher_ids, int64_t min_cell,
			bool min_cell_unreadable, outcome *out)
{
	*out = (outcome){.id = district_id};
	place p[1];
	record r = walk_settings_record(p, district_id);
	if (!may(rq->actor, ACT_UPDATE, &r)) {
		outcome_fail(out, 403, "forbidden",
			     "Only the district's leaders and administrators change its walk settings.",
			     NULL);
		return;
	}
	if (min_cell_unreadable || min_cell < WALK_MIN_CELL_MIN || min_cell > WALK_MIN_CELL_MAX) {
		outcome_invalid_field(
			out, "min_cell",
			arena_printf(rq->a,
				     "The smallest cell shown is a whole number of visits from %d to %d.",
				     WALK_MIN_CELL_MIN, WALK_MIN_CELL_MAX));
		return;
	}
	walk_settings ws = {.district_id = district_id, .teacher_ids = teacher_ids, .min_cell = min_cell};
	if (!change_begin(rq, out)) return;
	store_rc rc = walk_settings_set(rq->db, rq->a, &ws);
	change_commit(rq, rc, REC_WALK_SUMMARY, "walk.settings", district_id, district_id,
		      arena_printf(rq->a, "teacher_ids %d, min_cell %lld", teacher_ids ? 1 : 0,
				   (long long)min_cell),
		      out);
}
