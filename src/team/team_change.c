/* Creating, changing and deactivating teams and changing their members, as
 * the pages and the API both do it: may() first, then the checks, then one
 * transaction that writes the change and its audit entry together. */
#include <string.h>

#include "../base/util.h"
#include "../web/app.h"
#include "team.h"

bool may_team(const req *rq, action act, const team *t)
{
	place p = team_place(t->org_id, t->district_id);
	int64_t me = rq->actor ? rq->actor->person_id : 0;
	record r = team_record(&p, &me, t->actor_is_member ? 1 : 0);
	return may(rq->actor, act, &r);
}

static place org_team_place(const org *o)
{
	bool school = str_eq(o->kind, "school");
	return team_place(o->id, school ? o->parent_id : o->id);
}

store_rc team_org_choices(req *rq, action act, team_org **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_ORG, &v);
	org_filter f = {0};
	org *list;
	size_t count;
	store_rc rc = org_list(rq->db, rq->a, &f, &v, &list, &count);
	if (rc != STORE_OK) return rc;
	team_org *o = arena_calloc(rq->a, count ? count : 1, sizeof *o);
	size_t k = 0;
	for (size_t i = 0; i < count; i++) {
		bool district = str_eq(list[i].kind, "district");
		if (!district && !str_eq(list[i].kind, "school")) continue;
		place p = org_team_place(&list[i]);
		record r = team_record(&p, NULL, 0);
		if (!may(rq->actor, act, &r)) continue;
		o[k++] = (team_org){
			list[i].id,
			district ? arena_printf(rq->a, "%s (district-wide)", list[i].name) : list[i].name, p};
	}
	*out = o;
	*n = k;
	return STORE_OK;
}

static record person_record(const team_candidate *c)
{
	return (record){
		.kind = REC_PERSON, .places = c->places, .nplaces = c->nplaces, .person_id = c->person_id};
}

store_rc team_people_choices(req *rq, const team *t, team_candidate **out, size_t *n)
{
	team_candidate *c;
	size_t count;
	store_rc rc = team_candidates(rq->db, rq->a, t->district_id, t->id, &c, &count);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < count; i++) {
		record r = person_record(&c[i]);
		if (may(rq->actor, ACT_READ, &r)) c[k++] = c[i];
	}
	*out = c;
	*n = k;
	return STORE_OK;
}

/* A new team's org must be an active school or district (400 naming
 * org_id) where the actor may create teams (403). Sets *where. */
static bool check_org(req *rq, const team_input *in, outcome *out, place *where)
{
	if (in->org_unreadable || in->org_id <= 0) return true; /* team_check names it */
	org o;
	bool found;
	if (org_get(rq->db, rq->a, in->org_id, &o, &found) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return false;
	}
	if (!found || !o.active || (!str_eq(o.kind, "school") && !str_eq(o.kind, "district"))) {
		form_error_add(&out->errors, "org_id", "There is no active school or district with that id.");
		return true;
	}
	*where = org_team_place(&o);
	record r = team_record(where, NULL, 0);
	if (may(rq->actor, ACT_CREATE, &r)) return true;
	outcome_fail(out, 403, "forbidden", arena_printf(rq->a, "You may not create a team at %s.", o.name),
		     "org_id");
	return false;
}

/* Adds the error when another team of the org has the name; false when
 * the store failed (outcome filled, transaction rolled back). */
static bool check_name_free(req *rq, const team_input *in, int64_t except_id, outcome *out)
{
	bool taken = false;
	if (team_name_taken(rq->db, rq->a, in->org_id, in->name, except_id, &taken) != STORE_OK) {
		outcome_store_failed(rq, out, true);
		return false;
	}
	if (taken)
		form_error_add(&out->errors, "name",
			       "Another team here already has this name (perhaps a deactivated one); "
			       "choose another.");
	return true;
}

/* Ends a write begun with change_begin: the audit entry, then commit. A
 * unique name taken meanwhile (STORE_CONSTRAINT) is the user's to fix. */
static void finish(req *rq, store_rc rc, const char *what, int64_t id, int64_t district_id,
		   const char *detail, outcome *out)
{
	if (rc == STORE_CONSTRAINT) {
		store_rollback(rq->db);
		form_error_add(&out->errors, "name",
			       "Another team here already has this name; choose another.");
		outcome_invalid(out);
		return;
	}
	change_commit(rq, rc, REC_TEAM, what, id, district_id, detail, out);
}

void team_create(req *rq, team_input *in, outcome *out)
{
	*out = (outcome){0};
	if (!may_act_somewhere(rq, REC_TEAM, ACT_CREATE)) {
		outcome_fail(out, 403, "forbidden", "You may not create teams.", NULL);
		return;
	}
	place where = {0};
	if (!check_org(rq, in, out, &where)) return;
	team_check(rq->a, in, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (!change_begin(rq, out)) return;
	if (!check_name_free(rq, in, 0, out)) return;
	if (out->errors.n) {
		store_rollback(rq->db);
		outcome_invalid(out);
		return;
	}
	int64_t id = 0;
	store_rc rc = team_insert(rq->db, rq->a, in, &id);
	out->id = id;
	finish(rq, rc, "team.create", id, where.district_id, arena_printf(rq->a, "%s %s", in->kind, in->name),
	       out);
}

/* A change to a deactivated team is refused: 409. */
static bool still_active(const team *t, outcome *out)
{
	if (t->active) return true;
	outcome_fail(out, 409, "inactive", "This team is deactivated; it can no longer change.", NULL);
	return false;
}

void team_change(req *rq, const team *old, team_input *in, outcome *out)
{
	*out = (outcome){.id = old->id};
	if (!may_team(rq, ACT_UPDATE, old)) {
		outcome_fail(out, 403, "forbidden", "You may not change this team.", NULL);
		return;
	}
	if (!still_active(old, out)) return;
	if (!in->org_unreadable && in->org_id != old->org_id)
		form_error_add(&out->errors, "org_id",
			       "A team cannot move to another school or district; "
			       "create a new team there instead.");
	in->org_id = old->org_id;
	team_check(rq->a, in, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (!change_begin(rq, out)) return;
	if (!check_name_free(rq, in, old->id, out)) return;
	if (out->errors.n) {
		store_rollback(rq->db);
		outcome_invalid(out);
		return;
	}
	finish(rq, team_update(rq->db, rq->a, old->id, in), "team.update", old->id, old->district_id,
	       in->name, out);
}

void team_retire(req *rq, const team *t, outcome *out)
{
	*out = (outcome){.id = t->id};
	if (!may_team(rq, ACT_DEACTIVATE, t)) {
		outcome_fail(out, 403, "forbidden", "You may not deactivate this team.", NULL);
		return;
	}
	if (!t->active) return; /* already done: a second click changes nothing */
	if (!change_begin(rq, out)) return;
	finish(rq, team_deactivate(rq->db, rq->a, t->id), "team.deactivate", t->id, t->district_id, t->name,
	       out);
}

/* Whom team_join may add: someone the actor may see (anyone else gets the
 * answer no one would), active, of the team's district, not yet in. */
static void check_newcomer(req *rq, const team *t, const team_candidate *c, bool found, bool member,
			   form_errors *e)
{
	record r = found ? person_record(c) : (record){.kind = REC_PERSON};
	if (!found || !may(rq->actor, ACT_READ, &r))
		form_error_add(e, "person_id", "There is no such person.");
	else if (!c->active)
		form_error_add(e, "person_id", arena_printf(rq->a, "%s is deactivated.", c->name));
	else if (!c->in_district)
		form_error_add(e, "person_id",
			       arena_printf(rq->a,
					    "%s holds no role in %s; a team's members come from its "
					    "district.",
					    c->name,
					    t->district_name ? t->district_name : "the team's district"));
	else if (member)
		form_error_add(e, "person_id", arena_printf(rq->a, "%s is already a member.", c->name));
}

void team_join(req *rq, const team *t, const char *person_id, const char *team_role, outcome *out)
{
	*out = (outcome){.id = t->id};
	if (!may_team(rq, ACT_UPDATE, t)) {
		outcome_fail(out, 403, "forbidden", "You may not change this team's members.", NULL);
		return;
	}
	if (!still_active(t, out)) return;
	if (!team_role || !*team_role) team_role = "member";
	int64_t pid = 0;
	if (!person_id || !*person_id) form_error_add(&out->errors, "person_id", "Choose the person to add.");
	else if (!parse_i64(person_id, 1, INT64_MAX, &pid))
		form_error_add(&out->errors, "person_id", "person_id must be a person's id.");
	if (!team_role_valid(team_role))
		form_error_add(&out->errors, "team_role",
			       "The team role must be member, facilitator or lead.");
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	team_candidate c = {0};
	bool found = false, member = false;
	if (team_candidate_get(rq->db, rq->a, pid, t->district_id, &c, &found) != STORE_OK ||
	    (found && team_member_is_active(rq->db, rq->a, t->id, pid, &member) != STORE_OK)) {
		outcome_store_failed(rq, out, false);
		return;
	}
	check_newcomer(rq, t, &c, found, member, &out->errors);
	if (out->errors.n) {
		outcome_invalid(out);
		return;
	}
	if (!change_begin(rq, out)) return;
	finish(rq, team_member_add(rq->db, rq->a, t->id, pid, team_role), "team.member.add", t->id,
	       t->district_id, arena_printf(rq->a, "person %lld as %s", (long long)pid, team_role), out);
}

void team_leave(req *rq, const team *t, int64_t person_id, outcome *out)
{
	*out = (outcome){.id = t->id};
	if (!may_team(rq, ACT_UPDATE, t)) {
		outcome_fail(out, 403, "forbidden", "You may not change this team's members.", NULL);
		return;
	}
	if (!still_active(t, out)) return;
	bool member = false;
	if (team_member_is_active(rq->db, rq->a, t->id, person_id, &member) != STORE_OK) {
		outcome_store_failed(rq, out, false);
		return;
	}
	if (!member) {
		outcome_fail(out, 404, "not_found", "That person is not a member of this team.", "pid");
		return;
	}
	if (!change_begin(rq, out)) return;
	finish(rq, team_member_remove(rq->db, rq->a, t->id, person_id), "team.member.remove", t->id,
	       t->district_id, arena_printf(rq->a, "person %lld", (long long)person_id), out);
}

bool team_read_filter(req *rq, resp *rs, team_filter *f)
{
	*f = (team_filter){.kind = req_query(rq, "kind"), .q = req_query(rq, "q")};
	const char *school = req_query(rq, "school");
	if (f->kind && !*f->kind) f->kind = NULL;
	if (school && *school && !parse_i64(school, 1, INT64_MAX, &f->org_id)) {
		resp_error(rq, rs, 400, "bad_school", "school must be the id of a school or district",
			   "school");
		return false;
	}
	if (f->kind && !team_kind_valid(f->kind)) {
		resp_error(rq, rs, 400, "bad_kind",
			   "kind must be one of grade_level, grade_band, vertical, plc or leadership",
			   "kind");
		return false;
	}
	if (f->q && strlen(f->q) > SEARCH_MAX_BYTES) {
		resp_error(rq, rs, 400, "bad_query", "the search is longer than 200 characters", "q");
		return false;
	}
	return true;
}

store_rc team_visible(req *rq, const team_filter *f, team **out, size_t *n)
{
	visibility v;
	policy_visibility(rq->actor, ACT_READ, REC_TEAM, &v);
	team *list;
	size_t count;
	store_rc rc = team_list(rq->db, rq->a, f, &v, rq->actor->person_id, &list, &count);
	if (rc != STORE_OK) return rc;
	size_t k = 0;
	for (size_t i = 0; i < count; i++)
		if (may_team(rq, ACT_READ, &list[i])) list[k++] = list[i];
	*out = list;
	*n = k;
	return STORE_OK;
}

bool team_load(req *rq, resp *rs, team *t)
{
	int64_t id;
	if (!param_id(rq, rs, "id", &id)) return false;
	bool found;
	if (team_get(rq->db, rq->a, id, rq->actor->person_id, t, &found) != STORE_OK) {
		resp_store_failed(rq, rs);
		return false;
	}
	if (!found) {
		resp_error(rq, rs, 404, "not_found", "there is no such team", NULL);
		return false;
	}
	if (!may_team(rq, ACT_READ, t)) {
		resp_error(rq, rs, 403, "forbidden", "you may not see this team", NULL);
		return false;
	}
	return true;
}
